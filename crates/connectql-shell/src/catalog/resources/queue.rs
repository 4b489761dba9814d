//! `aws.connect.queue` / `aws.connect.queues` — AWS::Connect::Queue.
//!
//! SearchQueues returns whole queues 500 at a time; only the queue `type`
//! is in ListQueues alone, and the quick connects and additional email
//! addresses are per-queue sub-listings, called only when referenced.

use serde_json::{json, Value};

use crate::catalog::writes::{Deletion, Removal, Shape, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{
    child_arn, ArnForm, Field, FieldType, Op, Read, ResourceType, RowContext, Scope, Source, L,
    LSD, SD,
};

pub static QUEUE: ResourceType = ResourceType {
    singular: "queue",
    plural: "queues",
    cfn_type: "AWS::Connect::Queue",
    description: "The queues of an instance.",
    scope: Scope::Instance,
    arn: ArnForm::Instance("queue"),
    id_field: "id",
    arn_field: Some("queue_arn"),
    name_field: "name",
    list: Some(Op::ListQueues),
    search: Some(Op::SearchQueues),
    describe: Some(Op::DescribeQueue),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn(),
        Field::instance_alias(),
        Field::text("id", "The identifier for the queue.")
            .from_member(SD, "QueueId", Read::AsIs)
            .or(&[Source::Member {
                calls: L,
                member: "Id",
                read: Read::AsIs,
            }])
            .search("resourceID"),
        Field::text("queue_arn", "The Amazon Resource Name (ARN) for the queue.")
            .own_arn()
            .cfn("QueueArn")
            .read_only()
            .from_member(SD, "QueueArn", Read::AsIs)
            .or(&[Source::Member {
                calls: L,
                member: "Arn",
                read: Read::AsIs,
            }]),
        Field::text("name", "The name of the queue.")
            .cfn("Name")
            .required()
            .from_member(LSD, "Name", Read::AsIs)
            .search_text("name"),
        Field::text("description", "The description of the queue.")
            .cfn("Description")
            .from_member(SD, "Description", Read::AsIs)
            .search_text("description"),
        Field::text("hours_of_operation_arn", "The identifier for the hours of operation.")
            .arn_of("hours_of_operation")
            .cfn("HoursOfOperationArn")
            .required()
            .from_member(SD, "HoursOfOperationId", Read::IdToArn("operating-hours")),
        Field::new(
            "max_contacts",
            FieldType::Integer,
            "The maximum number of contacts that can be in the queue before it is considered full.",
        )
        .cfn("MaxContacts")
        .from_member(SD, "MaxContacts", Read::AsIs),
        Field::new(
            "outbound_caller_config",
            FieldType::Object,
            "The outbound caller ID name, number, and outbound whisper flow.",
        )
        .cfn("OutboundCallerConfig")
        .from_member(SD, "OutboundCallerConfig", Read::Reshape(outbound_caller_config))
        .paths(&[".OutboundCallerIdName", ".OutboundCallerIdNumberArn", ".OutboundFlowArn"])
        .note("CloudFormation shape: the API's number and flow ids as ARNs")
        .mentions(&["contact_flow", "phone_number"])
        .written(&Shape::Ids(&[
            ("OutboundCallerIdNumberArn", "OutboundCallerIdNumberId", "phone-number"),
            ("OutboundFlowArn", "OutboundFlowId", "contact-flow"),
        ])),
        Field::new("outbound_email_config", FieldType::Object, "The outbound email address ID.")
            .cfn("OutboundEmailConfig")
            .from_member(SD, "OutboundEmailConfig", Read::AsIs)
            .paths(&[".OutboundEmailAddressId"]),
        Field::text("status", "The status of the queue.")
            .cfn("Status")
            .from_member(SD, "Status", Read::AsIs)
            .note("ENABLED | DISABLED")
            .created_as("ENABLED"),
        Field::new(
            "quick_connect_arns",
            FieldType::Array,
            "The quick connects available to agents who are working the queue.",
        )
        .arns_of("quick_connect")
        .cfn("QuickConnectArns")
        .from(Source::SubListing {
            op: Op::ListQueueQuickConnects,
            read: Read::Pluck("Arn"),
            when: None,
            key: None,
        })
        .paths(&["[0]"]),
        Field::tags(SD),
        Field::text("type", "The type of queue.")
            .cfn("Type")
            .read_only()
            .from_member(L, "QueueType", Read::AsIs)
            .note("STANDARD | AGENT; only ListQueues returns it"),
        Field::new(
            "additional_email_addresses",
            FieldType::Array,
            "The email addresses that agents can use when replying to or initiating email contacts.",
        )
        .cfn("AdditionalEmailAddresses")
        .from(Source::SubListing {
            op: Op::ListQueueEmailAddresses,
            read: Read::Reshape(email_addresses),
            when: None,
            key: None,
        })
        .paths(&["[0].EmailAddressArn"]),
        Field::last_modified_time(LSD),
        Field::last_modified_region(LSD),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.queue WHERE region = 'us-east-1' AND data__Identifier = '<queue ARN, or id or name with data__InstanceId>';",
        "SELECT name, hours_of_operation_arn FROM aws.connect.queues WHERE region = 'us-east-1' AND data__InstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: Some("name"),
};

/// The API's `{OutboundCallerIdName, OutboundCallerIdNumberId,
/// OutboundFlowId}` in CloudFormation's shape, with ARNs.
fn outbound_caller_config(value: &Value, ctx: &RowContext<'_>) -> Value {
    let mut out = serde_json::Map::new();
    if let Some(name) = value.get("OutboundCallerIdName") {
        out.insert("OutboundCallerIdName".into(), name.clone());
    }
    if let Some(id) = value
        .get("OutboundCallerIdNumberId")
        .and_then(Value::as_str)
    {
        // Phone numbers live at the account level, not inside an instance.
        let arn = ctx
            .instance_arn
            .and_then(|i| i.split_once(":instance/"))
            .map(|(prefix, _)| format!("{prefix}:phone-number/{id}"));
        out.insert("OutboundCallerIdNumberArn".into(), json!(arn));
    }
    if let (Some(id), Some(instance)) = (
        value.get("OutboundFlowId").and_then(Value::as_str),
        ctx.instance_arn,
    ) {
        out.insert(
            "OutboundFlowArn".into(),
            json!(child_arn(instance, "contact-flow", id)),
        );
    }
    Value::Object(out)
}

/// ListQueueEmailAddresses' summaries as CloudFormation's
/// `[{EmailAddressArn}]`.
fn email_addresses(list: &Value, _: &RowContext<'_>) -> Value {
    Value::Array(
        list.as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e.get("Arn"))
            .map(|arn| json!({ "EmailAddressArn": arn }))
            .collect(),
    )
}

/// What changes a queue: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::CreateQueue,
        members: &[
            ("Name", "name"),
            ("Description", "description"),
            ("OutboundCallerConfig", "outbound_caller_config"),
            ("OutboundEmailConfig", "outbound_email_config"),
            ("HoursOfOperationId", "hours_of_operation_arn"),
            ("MaxContacts", "max_contacts"),
            ("QuickConnectIds", "quick_connect_arns"),
        ],
        remove: None,
    }),
    updates: &[
        WriteOp {
            op: Op::UpdateQueueName,
            members: &[("Name", "name"), ("Description", "description")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateQueueHoursOfOperation,
            members: &[("HoursOfOperationId", "hours_of_operation_arn")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateQueueMaxContacts,
            members: &[("MaxContacts", "max_contacts")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateQueueOutboundCallerConfig,
            members: &[("OutboundCallerConfig", "outbound_caller_config")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateQueueStatus,
            members: &[("Status", "status")],
            remove: None,
        },
        WriteOp {
            op: Op::AssociateQueueQuickConnects,
            members: &[("QuickConnectIds", "quick_connect_arns")],
            remove: Some(Removal {
                member: Some("QuickConnectIds"),
                per_call: Some(50),
                ..Removal::of(Op::DisassociateQueueQuickConnects)
            }),
        },
    ],
    delete: Deletion::By(Op::DeleteQueue),
    tags: true,
    each_key: None,
    check_create: None,
};
