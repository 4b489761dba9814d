//! `aws.connect.quick_connect` / `aws.connect.quick_connects` —
//! AWS::Connect::QuickConnect.

use serde_json::{json, Map, Value};

use crate::catalog::writes::{Deletion, Shape, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{
    child_arn, ArnForm, Field, FieldType, Op, Read, ResourceType, RowContext, Scope, Source, L,
    LSD, SD,
};

pub static QUICK_CONNECT: ResourceType = ResourceType {
    singular: "quick_connect",
    plural: "quick_connects",
    cfn_type: "AWS::Connect::QuickConnect",
    description: "The quick connects of an instance: transfer destinations for agents.",
    scope: Scope::Instance,
    arn: ArnForm::Instance("transfer-destination"),
    id_field: "id",
    arn_field: Some("quick_connect_arn"),
    name_field: "name",
    list: Some(Op::ListQuickConnects),
    search: Some(Op::SearchQuickConnects),
    describe: Some(Op::DescribeQuickConnect),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn(),
        Field::instance_alias(),
        Field::text("id", "The identifier for the quick connect.")
            .from_member(SD, "QuickConnectId", Read::AsIs)
            .or(&[Source::Member {
                calls: L,
                member: "Id",
                read: Read::AsIs,
            }])
            .search("resourceID"),
        Field::text("name", "The name of the quick connect.")
            .cfn("Name")
            .required()
            .from_member(LSD, "Name", Read::AsIs)
            .search("name"),
        Field::text("description", "The description of the quick connect.")
            .cfn("Description")
            .from_member(SD, "Description", Read::AsIs)
            .search("description"),
        Field::new(
            "quick_connect_config",
            FieldType::Object,
            "Configuration settings for the quick connect.",
        )
        .cfn("QuickConnectConfig")
        .required()
        .from_member(SD, "QuickConnectConfig", Read::Reshape(config))
        .paths(&[
            ".QuickConnectType",
            ".UserConfig.UserArn",
            ".UserConfig.ContactFlowArn",
            ".QueueConfig.QueueArn",
            ".QueueConfig.ContactFlowArn",
            ".PhoneConfig.PhoneNumber",
            ".FlowConfig.ContactFlowArn",
        ])
        .note("CloudFormation shape: the API's user, queue and flow ids as ARNs")
        .mentions(&["user", "queue", "contact_flow"])
        .written(&Shape::Ids(&[
            ("UserConfig.UserArn", "UserId", "agent"),
            ("UserConfig.ContactFlowArn", "ContactFlowId", "contact-flow"),
            ("QueueConfig.QueueArn", "QueueId", "queue"),
            ("QueueConfig.ContactFlowArn", "ContactFlowId", "contact-flow"),
            ("FlowConfig.ContactFlowArn", "ContactFlowId", "contact-flow"),
        ])),
        Field::text(
            "quick_connect_arn",
            "The Amazon Resource Name (ARN) for the quick connect.",
        )
        .own_arn()
        .cfn("QuickConnectArn")
        .read_only()
        .from_member(SD, "QuickConnectARN", Read::AsIs)
        .or(&[Source::Member {
            calls: L,
            member: "Arn",
            read: Read::AsIs,
        }]),
        Field::tags(SD),
        Field::text("quick_connect_type", "The type of quick connect.")
            .cfn("QuickConnectType")
            .read_only()
            .from_member(L, "QuickConnectType", Read::AsIs)
            .or(&[Source::Member {
                calls: SD,
                member: "QuickConnectConfig",
                read: Read::Reshape(config_type),
            }])
            .note("USER | QUEUE | PHONE_NUMBER | FLOW"),
        Field::last_modified_time(LSD),
        Field::last_modified_region(LSD),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.quick_connect WHERE region = 'us-east-1' AND data__Identifier = '<quick connect ARN, or id or name with data__InstanceId>';",
        "SELECT name, quick_connect_type, quick_connect_config FROM aws.connect.quick_connects WHERE region = 'us-east-1' AND data__InstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: Some("name"),
};

/// The API's QuickConnectConfig with ids, in CloudFormation's shape with ARNs.
fn config(value: &Value, ctx: &RowContext<'_>) -> Value {
    let arn = |kind: &str, id: Option<&Value>| -> Value {
        match (id.and_then(Value::as_str), ctx.instance_arn) {
            (Some(id), Some(instance)) => json!(child_arn(instance, kind, id)),
            _ => Value::Null,
        }
    };
    let mut out = Map::new();
    if let Some(t) = value.get("QuickConnectType") {
        out.insert("QuickConnectType".into(), t.clone());
    }
    if let Some(u) = value.get("UserConfig") {
        out.insert(
            "UserConfig".into(),
            json!({"UserArn": arn("agent", u.get("UserId")), "ContactFlowArn": arn("contact-flow", u.get("ContactFlowId"))}),
        );
    }
    if let Some(q) = value.get("QueueConfig") {
        out.insert(
            "QueueConfig".into(),
            json!({"QueueArn": arn("queue", q.get("QueueId")), "ContactFlowArn": arn("contact-flow", q.get("ContactFlowId"))}),
        );
    }
    if let Some(p) = value.get("PhoneConfig") {
        out.insert("PhoneConfig".into(), p.clone());
    }
    if let Some(f) = value.get("FlowConfig") {
        out.insert(
            "FlowConfig".into(),
            json!({"ContactFlowArn": arn("contact-flow", f.get("ContactFlowId"))}),
        );
    }
    Value::Object(out)
}

fn config_type(value: &Value, _: &RowContext<'_>) -> Value {
    value
        .get("QuickConnectType")
        .cloned()
        .unwrap_or(Value::Null)
}

/// What changes a quick connect: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::CreateQuickConnect,
        members: &[
            ("Name", "name"),
            ("Description", "description"),
            ("QuickConnectConfig", "quick_connect_config"),
        ],
        remove: None,
    }),
    updates: &[
        WriteOp {
            op: Op::UpdateQuickConnectName,
            members: &[("Name", "name"), ("Description", "description")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateQuickConnectConfig,
            members: &[("QuickConnectConfig", "quick_connect_config")],
            remove: None,
        },
    ],
    delete: Deletion::By(Op::DeleteQuickConnect),
    tags: true,
    each_key: None,
    check_create: None,
};
