//! `aws.connect.instance` / `aws.connect.instances` — AWS::Connect::Instance,
//! the seed's eleven fields in the seed's order.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::catalog::writes::{Deletion, EachKey, Ready, WriteOp, Writes};
use crate::catalog::Permission::{Call, Other};
use crate::catalog::SelectMethods;
use crate::catalog::{
    ArnForm, Condition, Field, FieldType, Method, Op, Read, ResourceType, RowContext, Scope,
    Source, SqlVerb, D, IDENTIFIER, LD, PATCH_DOCUMENT, REGION,
};

/// Instances still being created change under us: cache settled ones only.
const SETTLED: Condition = Condition {
    member: "InstanceStatus",
    equals: &["ACTIVE", "CREATION_FAILED"],
};

/// Attributes exist only for ACTIVE instances (CloudFormation's read
/// handler asks only then).
const ACTIVE: Condition = Condition {
    member: "InstanceStatus",
    equals: &["ACTIVE"],
};

pub static INSTANCE: ResourceType = ResourceType {
    singular: "instance",
    plural: "instances",
    cfn_type: "AWS::Connect::Instance",
    description: "Amazon Connect instances.",
    scope: Scope::Account,
    arn: ArnForm::Account("instance"),
    id_field: "id",
    arn_field: Some("arn"),
    name_field: "instance_alias",
    list: Some(Op::ListInstances),
    search: None,
    describe: Some(Op::DescribeInstance),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::text(
            "id",
            "An instanceId is automatically generated on creation and assigned as the unique identifier.",
        )
        .cfn("Id")
        .read_only()
        .from_member(LD, "Id", Read::AsIs),
        Field::text(
            "arn",
            "An instanceArn is automatically generated on creation based on instanceId.",
        )
        .own_arn()
        .cfn("Arn")
        .read_only()
        .from_member(LD, "Arn", Read::AsIs),
        Field::text(
            "identity_management_type",
            "Specifies the type of directory integration for new instance.",
        )
        .cfn("IdentityManagementType")
        .required()
        .create_only()
        .from_member(LD, "IdentityManagementType", Read::AsIs)
        .note("SAML | CONNECT_MANAGED | EXISTING_DIRECTORY"),
        Field::text(
            "instance_alias",
            "Alias of the new directory created as part of new instance creation.",
        )
        .cfn("InstanceAlias")
        .create_only()
        .from_member(LD, "InstanceAlias", Read::AsIs)
        .note("1..45 letters, digits and hyphens, not starting with d-"),
        Field::text(
            "created_time",
            "Timestamp of instance creation logged as part of instance creation.",
        )
        .cfn("CreatedTime")
        .read_only()
        .from_member(LD, "CreatedTime", Read::Time)
        .note("ISO-8601 UTC, e.g. 2026-11-26T19:54:36Z"),
        Field::text(
            "service_role",
            "Service linked role created as part of instance creation.",
        )
        .outside_arn()
        .cfn("ServiceRole")
        .read_only()
        .from_member(LD, "ServiceRole", Read::AsIs),
        Field::text(
            "instance_status",
            "Specifies the creation status of new instance.",
        )
        .cfn("InstanceStatus")
        .read_only()
        .from_member(LD, "InstanceStatus", Read::AsIs)
        .note("CREATION_IN_PROGRESS | ACTIVE | CREATION_FAILED"),
        Field::text(
            "directory_id",
            "Existing directoryId user wants to map to the new Connect instance.",
        )
        .cfn("DirectoryId")
        .create_only()
        .write_only()
        .from(Source::Unavailable(
            "the Connect API never returns the directory id (DirectoryId is write-only in the CloudFormation schema)",
        ))
        .note("always NULL: the Connect API never returns the directory id (DirectoryId is write-only in the CloudFormation schema); d-xxxxxxxxxx, only with EXISTING_DIRECTORY"),
        Field::new("attributes", FieldType::Object, "The attributes for the instance.")
            .cfn("Attributes")
            .required()
            .from(Source::SubListing {
                op: Op::ListInstanceAttributes,
                read: Read::Reshape(attributes_object),
                when: Some(ACTIVE),
                key: None,
            })
            .paths(&ATTRIBUTE_PATHS)
            .note("JSON object of CloudFormation attribute names to booleans"),
        Field::tags(D),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = '<arn, id or alias>';",
        "SELECT region, id, instance_alias, instance_status FROM aws.connect.instances WHERE region = 'us-east-1';",
    )
    .also(&[Other("ds:DescribeDirectories")]),
    methods: &[
        Method {
            name: "update_resource",
            verb: SqlVerb::Update,
            plural: false,
            required: &[IDENTIFIER, PATCH_DOCUMENT, REGION],
            permissions: Cow::Borrowed(&[
                Call(Op::DescribeInstance),
                Call(Op::ListInstanceAttributes),
                Call(Op::UpdateInstanceAttribute),
                Other("iam:CreateServiceLinkedRole"),
                Other("iam:PutRolePolicy"),
                Call(Op::TagResource),
                Call(Op::UntagResource),
            ]),
            example: "UPDATE aws.connect.instance SET data__PatchDocument = string('[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]') WHERE region = 'us-east-1' AND data__Identifier = '<arn, id or alias>';",
        },
        Method {
            name: "create_resource",
            verb: SqlVerb::Insert,
            plural: true,
            required: &["IdentityManagementType", "Attributes", REGION],
            permissions: Cow::Borrowed(&[
                Call(Op::CreateInstance),
                Call(Op::DescribeInstance),
                Call(Op::UpdateInstanceAttribute),
                Call(Op::TagResource),
                Call(Op::ListInstanceAttributes),
                Other("ds:CheckAlias"),
                Other("ds:CreateAlias"),
                Other("ds:AuthorizeApplication"),
                Other("ds:UnauthorizeApplication"),
                Other("ds:CreateIdentityPoolDirectory"),
                Other("ds:CreateDirectory"),
                Other("ds:DescribeDirectories"),
                Other("iam:CreateServiceLinkedRole"),
                Other("iam:PutRolePolicy"),
                Other("logs:CreateLogGroup"),
            ]),
            example: "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) SELECT 'CONNECT_MANAGED', 'my-instance', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'us-east-1';",
        },
        Method {
            name: "delete_resource",
            verb: SqlVerb::Delete,
            plural: true,
            required: &[IDENTIFIER, REGION],
            permissions: Cow::Borrowed(&[
                Call(Op::DeleteInstance),
                Call(Op::DescribeInstance),
                Call(Op::UntagResource),
                Call(Op::ListInstances),
                Other("ds:DeleteDirectory"),
                Other("ds:UnauthorizeApplication"),
                Other("ds:DescribeDirectories"),
            ]),
            example: "DELETE FROM aws.connect.instances WHERE region = 'us-east-1' AND data__Identifier = '<arn, id or alias>';",
        },
    ],
    cache_when: Some(SETTLED),
    list_over: None,
    writes: &WRITES,
    matched_by: None,
};

/// One instance attribute: the CloudFormation property name used in the
/// `attributes` object and the Connect API's InstanceAttributeType.
#[derive(Debug)]
pub struct Attribute {
    pub cfn_name: &'static str,
    pub api_type: &'static str,
}

macro_rules! attributes {
    ($($cfn:literal => $api:literal,)*) => {
        /// All 14 attributes, in the order of the API's InstanceAttributeType enum.
        pub static ATTRIBUTES: [Attribute; 14] = [$(Attribute { cfn_name: $cfn, api_type: $api },)*];
        /// `.InboundCalls`... for completion inside the `attributes` column.
        const ATTRIBUTE_PATHS: [&str; 14] = [$(concat!(".", $cfn),)*];
        /// (CloudFormation name, AttributeType) for the write side.
        const ATTRIBUTE_KEYS: [(&str, &str); 14] = [$(($cfn, $api),)*];
    };
}

attributes! {
    "InboundCalls" => "INBOUND_CALLS",
    "OutboundCalls" => "OUTBOUND_CALLS",
    "ContactflowLogs" => "CONTACTFLOW_LOGS",
    "ContactLens" => "CONTACT_LENS",
    "AutoResolveBestVoices" => "AUTO_RESOLVE_BEST_VOICES",
    "UseCustomTTSVoices" => "USE_CUSTOM_TTS_VOICES",
    "EarlyMedia" => "EARLY_MEDIA",
    "MultiPartyConference" => "MULTI_PARTY_CONFERENCE",
    "HighVolumeOutBound" => "HIGH_VOLUME_OUTBOUND",
    "EnhancedContactMonitoring" => "ENHANCED_CONTACT_MONITORING",
    "EnhancedChatMonitoring" => "ENHANCED_CHAT_MONITORING",
    "MultiPartyChatConference" => "MULTI_PARTY_CHAT_CONFERENCE",
    "MessageStreaming" => "MESSAGE_STREAMING",
    "AutoMuteAgentOnHold" => "AUTO_MUTE_AGENT_ON_HOLD",
}

/// ListInstanceAttributes' `[{AttributeType, Value}]` as the CloudFormation
/// object: CloudFormation names in the catalog's order, booleans; types the
/// catalog does not know keep their API name.
fn attributes_object(list: &Value, _: &RowContext<'_>) -> Value {
    let mut found: Vec<(String, bool)> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let t = a.get("AttributeType")?.as_str()?;
            let v = a.get("Value")?.as_str()?;
            Some((t.to_string(), v.eq_ignore_ascii_case("true")))
        })
        .collect();
    let mut out = serde_json::Map::new();
    for a in &ATTRIBUTES {
        if let Some(i) = found.iter().position(|(t, _)| t == a.api_type) {
            let (_, v) = found.remove(i);
            out.insert(a.cfn_name.to_string(), Value::Bool(v));
        }
    }
    found.sort();
    for (t, v) in found {
        out.insert(t, Value::Bool(v));
    }
    Value::Object(out)
}

/// What changes an instance: `catalog/writes.rs`. The attributes change one
/// UpdateInstanceAttribute call per attribute (AttributeType, Value);
/// CreateInstance takes the inbound and outbound calls attributes as
/// InboundCallsEnabled / OutboundCallsEnabled, the others are set once the
/// new instance is ACTIVE.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::CreateInstance,
        members: &[
            ("IdentityManagementType", "identity_management_type"),
            ("InstanceAlias", "instance_alias"),
            ("DirectoryId", "directory_id"),
            ("InboundCallsEnabled", "attributes"),
            ("OutboundCallsEnabled", "attributes"),
        ],
        remove: None,
    }),
    updates: &[WriteOp {
        op: Op::UpdateInstanceAttribute,
        members: &[("Value", "attributes")],
        remove: None,
    }],
    delete: Deletion::By(Op::DeleteInstance),
    tags: true,
    each_key: Some(&EachKey {
        field: "attributes",
        op: Op::UpdateInstanceAttribute,
        key_member: "AttributeType",
        keys: &ATTRIBUTE_KEYS,
        value_member: "Value",
        at_create: &[
            ("InboundCallsEnabled", "InboundCalls"),
            ("OutboundCallsEnabled", "OutboundCalls"),
        ],
        ready: Some(Ready {
            ready: ACTIVE,
            failed: Condition {
                member: "InstanceStatus",
                equals: &["CREATION_FAILED"],
            },
            reason: "/StatusReason/Message",
        }),
    }),
    check_create: Some(check_create),
};

/// What CreateInstance would refuse, said before any call: the directory
/// type, the alias's form, and a directory id only with (and required by)
/// EXISTING_DIRECTORY.
fn check_create(input: &Map<String, Value>) -> Result<(), (&'static str, String)> {
    let text = |m: &str| input.get(m).and_then(Value::as_str);
    const TYPES: [&str; 3] = ["SAML", "CONNECT_MANAGED", "EXISTING_DIRECTORY"];
    let imt = text("IdentityManagementType").unwrap_or_default();
    if !TYPES.contains(&imt) {
        return Err((
            "IdentityManagementType",
            format!("`{imt}` is not SAML, CONNECT_MANAGED or EXISTING_DIRECTORY"),
        ));
    }
    match text("InstanceAlias") {
        Some(a) => {
            let ok = (1..=45).contains(&a.len())
                && !a.starts_with("d-")
                && a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !a.starts_with('-')
                && !a.ends_with('-');
            if !ok {
                return Err((
                    "InstanceAlias",
                    format!(
                        "`{a}` must be 1 to 45 letters, digits and hyphens, not starting with `d-`"
                    ),
                ));
            }
        }
        None if imt != "EXISTING_DIRECTORY" => {
            return Err(("InstanceAlias", format!("required for {imt}")))
        }
        None => {}
    }
    match (text("DirectoryId"), imt) {
        (None, "EXISTING_DIRECTORY") => {
            Err(("DirectoryId", "required for EXISTING_DIRECTORY".to_string()))
        }
        (Some(d), "EXISTING_DIRECTORY") => {
            let ok = d.len() == 12
                && d.starts_with("d-")
                && d[2..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
            if ok {
                Ok(())
            } else {
                Err((
                    "DirectoryId",
                    format!("`{d}` does not match d-xxxxxxxxxx (10 hex digits)"),
                ))
            }
        }
        (Some(_), _) => Err((
            "DirectoryId",
            format!("only with EXISTING_DIRECTORY, not {imt}"),
        )),
        (None, _) => Ok(()),
    }
}
