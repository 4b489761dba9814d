//! `aws.connect.instance_storage_config` /
//! `aws.connect.instance_storage_configs` — AWS::Connect::InstanceStorageConfig:
//! where an instance keeps call recordings, chat transcripts, reports...
//! ListInstanceStorageConfigs takes one resource type per call, so a
//! listing is one call per type — only the types a `resource_type = '...'`
//! predicate names, when there is one.

use crate::catalog::writes::{Deletion, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{ArnForm, Field, FieldType, ListOver, Op, Read, ResourceType, Scope, L};

pub static INSTANCE_STORAGE_CONFIG: ResourceType = ResourceType {
    singular: "instance_storage_config",
    plural: "instance_storage_configs",
    cfn_type: "AWS::Connect::InstanceStorageConfig",
    description: "The storage configurations of an instance, per resource type.",
    scope: Scope::Instance,
    arn: ArnForm::None,
    id_field: "association_id",
    arn_field: None,
    name_field: "association_id",
    list: Some(Op::ListInstanceStorageConfigs),
    search: None,
    describe: None,
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn().create_only(),
        Field::text("resource_type", "The type of data stored.")
            .cfn("ResourceType")
            .required()
            .create_only()
            .from_member(L, RESOURCE_TYPE_MEMBER, Read::AsIs)
            .note("the request's resourceType: CHAT_TRANSCRIPTS | CALL_RECORDINGS | SCHEDULED_REPORTS | MEDIA_STREAMS | CONTACT_TRACE_RECORDS | AGENT_EVENTS | ... (one ListInstanceStorageConfigs per type)"),
        Field::text("association_id", "The existing association identifier that uniquely identifies the resource type and storage config for the given instance ID.")
            .cfn("AssociationId")
            .read_only()
            .from_member(L, "AssociationId", Read::AsIs),
        Field::text("storage_type", "A valid storage type.")
            .cfn("StorageType")
            .required()
            .from_member(L, "StorageType", Read::AsIs)
            .note("S3 | KINESIS_VIDEO_STREAM | KINESIS_STREAM | KINESIS_FIREHOSE"),
        Field::new("s3_config", FieldType::Object, "The S3 bucket configuration.")
            .cfn("S3Config")
            .from_member(L, "S3Config", Read::AsIs)
            .paths(&[".BucketName", ".BucketPrefix", ".EncryptionConfig.KeyId"]),
        Field::new(
            "kinesis_video_stream_config",
            FieldType::Object,
            "The configuration of the Kinesis video stream.",
        )
        .cfn("KinesisVideoStreamConfig")
        .from_member(L, "KinesisVideoStreamConfig", Read::AsIs)
        .paths(&[".Prefix", ".RetentionPeriodHours"]),
        Field::new(
            "kinesis_stream_config",
            FieldType::Object,
            "The configuration of the Kinesis data stream.",
        )
        .cfn("KinesisStreamConfig")
        .from_member(L, "KinesisStreamConfig", Read::AsIs)
        .paths(&[".StreamArn"]),
        Field::new(
            "kinesis_firehose_config",
            FieldType::Object,
            "The configuration of the Kinesis Firehose delivery stream.",
        )
        .cfn("KinesisFirehoseConfig")
        .from_member(L, "KinesisFirehoseConfig", Read::AsIs)
        .paths(&[".FirehoseArn"]),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.instance_storage_config WHERE region = 'us-east-1' AND data__InstanceId = '<instance>' AND data__Identifier = '<association id>';",
        "SELECT instance_arn, resource_type, storage_type, s3_config FROM aws.connect.instance_storage_configs WHERE region = 'us-east-1';",
    ),
    methods: &[],
    cache_when: None,
    writes: &WRITES,
    list_over: Some(ListOver {
        field: "resource_type",
        member: RESOURCE_TYPE_MEMBER,
        values: &[
            "CHAT_TRANSCRIPTS",
            "CALL_RECORDINGS",
            "SCHEDULED_REPORTS",
            "MEDIA_STREAMS",
            "CONTACT_TRACE_RECORDS",
            "AGENT_EVENTS",
            "REAL_TIME_CONTACT_ANALYSIS_SEGMENTS",
            "ATTACHMENTS",
            "CONTACT_EVALUATIONS",
            "SCREEN_RECORDINGS",
            "REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS",
            "REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS",
            "EMAIL_MESSAGES",
        ],
    }),
};

/// The member each listed config is tagged with: its request's type.
const RESOURCE_TYPE_MEMBER: &str = "ResourceType";

/// Not changed by connectql yet: Connect's operations take these fields
/// nested in one `StorageConfig` (with the type as a parameter), which the
/// write side does not map yet. With no write path at all, this reason is
/// said for INSERT and UPDATE too.
pub static WRITES: Writes = Writes {
    create: None,
    updates: &[],
    delete: Deletion::Impossible(
        "not yet: AssociateInstanceStorageConfig, UpdateInstanceStorageConfig and \
         DisassociateInstanceStorageConfig take the fields nested in one StorageConfig, \
         which connectql does not map yet (the AWS CLI's associate-instance-storage-config does)",
    ),
    tags: false,
    each_key: None,
    check_create: None,
};
