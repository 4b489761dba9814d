//! `aws.connect.contact_flow` / `aws.connect.contact_flows` —
//! AWS::Connect::ContactFlow. Type, state and status come with the listing;
//! the flow's `content` (a JSON document) costs a DescribeContactFlow per
//! flow, only when referenced.

use crate::catalog::writes::{Deletion, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{ArnForm, Field, Op, Read, ResourceType, Scope, Source, D, L, LSD, SD};

pub static CONTACT_FLOW: ResourceType = ResourceType {
    singular: "contact_flow",
    plural: "contact_flows",
    cfn_type: "AWS::Connect::ContactFlow",
    description: "The flows of an instance (contact flows, queue flows, whispers...).",
    scope: Scope::Instance,
    arn: ArnForm::Instance("contact-flow"),
    id_field: "id",
    arn_field: Some("contact_flow_arn"),
    name_field: "name",
    list: Some(Op::ListContactFlows),
    search: Some(Op::SearchContactFlows),
    describe: Some(Op::DescribeContactFlow),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn(),
        Field::instance_alias(),
        Field::text("id", "The identifier of the flow.").from_member(LSD, "Id", Read::AsIs),
        Field::text("contact_flow_arn", "The identifier of the contact flow (ARN).")
            .own_arn()
            .cfn("ContactFlowArn")
            .read_only()
            .from_member(LSD, "Arn", Read::AsIs),
        Field::text("name", "The name of the contact flow.")
            .cfn("Name")
            .required()
            .from_member(LSD, "Name", Read::AsIs),
        Field::text("content", "The content of the contact flow in JSON format.")
            .cfn("Content")
            .required()
            .from_member(D, "Content", Read::AsIs)
            .note("a JSON document (Connect's flow language): use json_extract, json_each, json_tree; DescribeContactFlow per flow, only when referenced")
            .content(),
        Field::text("description", "The description of the contact flow.")
            .cfn("Description")
            .from_member(SD, "Description", Read::AsIs),
        Field::text("state", "The state of the contact flow.")
            .cfn("State")
            .from_member(SD, "State", Read::AsIs)
            .or(&[Source::Member {
                calls: L,
                member: "ContactFlowState",
                read: Read::AsIs,
            }])
            .note("ACTIVE | ARCHIVED")
            .created_as("ACTIVE"),
        Field::text("type", "The type of the contact flow.")
            .cfn("Type")
            .required()
            .create_only()
            .from_member(SD, "Type", Read::AsIs)
            .or(&[Source::Member {
                calls: L,
                member: "ContactFlowType",
                read: Read::AsIs,
            }])
            .note("CONTACT_FLOW | CUSTOMER_QUEUE | CUSTOMER_HOLD | CUSTOMER_WHISPER | AGENT_HOLD | AGENT_WHISPER | OUTBOUND_WHISPER | AGENT_TRANSFER | QUEUE_TRANSFER | CAMPAIGN"),
        Field::tags(SD),
        Field::text("status", "The status of the flow: PUBLISHED or SAVED.")
            .from_member(SD, "Status", Read::AsIs)
            .or(&[Source::Member {
                calls: L,
                member: "ContactFlowStatus",
                read: Read::AsIs,
            }]),
        Field::last_modified_time(SD),
        Field::last_modified_region(SD),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.contact_flow WHERE region = 'us-east-1' AND data__Identifier = '<flow ARN, or id or name with data__InstanceId>';",
        "SELECT name, type, state FROM aws.connect.contact_flows WHERE region = 'us-east-1' AND data__InstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: Some("name"),
};

/// What changes a contact flow: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::CreateContactFlow,
        members: &[
            ("Name", "name"),
            ("Type", "type"),
            ("Description", "description"),
            ("Content", "content"),
            ("Status", "status"),
        ],
        remove: None,
    }),
    updates: &[
        WriteOp {
            op: Op::UpdateContactFlowContent,
            members: &[("Content", "content")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateContactFlowMetadata,
            members: &[
                ("Name", "name"),
                ("Description", "description"),
                ("ContactFlowState", "state"),
            ],
            remove: None,
        },
    ],
    delete: Deletion::By(Op::DeleteContactFlow),
    tags: true,
    each_key: None,
    check_create: None,
};
