//! `aws.connect.instance_storage_config` /
//! `aws.connect.instance_storage_configs` — AWS::Connect::InstanceStorageConfig:
//! where an instance keeps call recordings, chat transcripts, reports...
//! ListInstanceStorageConfigs takes one resource type per call, so a
//! listing is one call per type — only the types a `resource_type = '...'`
//! predicate names, when there is one.

use serde_json::{Map, Value};

use crate::catalog::writes::{Deletion, WriteOp, Writes};
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
        Field::instance_alias(),
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
    matched_by: None,
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

/// Connect takes the fields nested in one `StorageConfig` (dotted
/// members), and names an existing config by its association id and its
/// resource type (the `ListOver` field, sent as `ResourceType` with every
/// call on it). UpdateInstanceStorageConfig replaces the whole
/// `StorageConfig`, so its members travel together.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::AssociateInstanceStorageConfig,
        members: &[
            (RESOURCE_TYPE_MEMBER, "resource_type"),
            ("StorageConfig.StorageType", "storage_type"),
            ("StorageConfig.S3Config", "s3_config"),
            (
                "StorageConfig.KinesisVideoStreamConfig",
                "kinesis_video_stream_config",
            ),
            ("StorageConfig.KinesisStreamConfig", "kinesis_stream_config"),
            (
                "StorageConfig.KinesisFirehoseConfig",
                "kinesis_firehose_config",
            ),
        ],
        remove: None,
    }),
    updates: &[WriteOp {
        op: Op::UpdateInstanceStorageConfig,
        members: &[
            ("StorageConfig.StorageType", "storage_type"),
            ("StorageConfig.S3Config", "s3_config"),
            (
                "StorageConfig.KinesisVideoStreamConfig",
                "kinesis_video_stream_config",
            ),
            ("StorageConfig.KinesisStreamConfig", "kinesis_stream_config"),
            (
                "StorageConfig.KinesisFirehoseConfig",
                "kinesis_firehose_config",
            ),
        ],
        remove: None,
    }],
    delete: Deletion::By(Op::DisassociateInstanceStorageConfig),
    tags: false,
    each_key: None,
    check_create: Some(check_create),
};

/// The configuration member each storage type needs.
const CONFIG_OF_TYPE: &[(&str, &str)] = &[
    ("S3", "S3Config"),
    ("KINESIS_VIDEO_STREAM", "KinesisVideoStreamConfig"),
    ("KINESIS_STREAM", "KinesisStreamConfig"),
    ("KINESIS_FIREHOSE", "KinesisFirehoseConfig"),
];

/// Connect refuses a storage type without its configuration: said before
/// any call, with the field to add.
fn check_create(input: &Map<String, Value>) -> Result<(), (&'static str, String)> {
    let config = input.get("StorageConfig");
    let Some(storage_type) = config
        .and_then(|c| c.get("StorageType"))
        .and_then(Value::as_str)
    else {
        return Ok(());
    };
    let Some((_, member)) = CONFIG_OF_TYPE.iter().find(|(t, _)| *t == storage_type) else {
        return Ok(()); // an unknown type is the request check's to name
    };
    if config.and_then(|c| c.get(*member)).is_some() {
        return Ok(());
    }
    let field = INSTANCE_STORAGE_CONFIG
        .fields
        .iter()
        .find(|f| f.cfn == Some(*member))
        .map_or(*member, |f| f.name);
    Err((
        "storage_type",
        format!("{storage_type} needs {field} (StorageConfig.{member})"),
    ))
}
