//! `aws.connect.agent_status` / `aws.connect.agent_statuses` —
//! AWS::Connect::AgentStatus.

use crate::catalog::writes::{Deletion, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{
    ArnForm, Field, FieldType, Op, Read, ResourceType, Scope, Source, L, LSD, SD,
};

pub static AGENT_STATUS: ResourceType = ResourceType {
    singular: "agent_status",
    plural: "agent_statuses",
    cfn_type: "AWS::Connect::AgentStatus",
    description: "The agent statuses of an instance (Available, Offline, custom ones).",
    scope: Scope::Instance,
    arn: ArnForm::Instance("agent-state"),
    id_field: "id",
    arn_field: Some("agent_status_arn"),
    name_field: "name",
    list: Some(Op::ListAgentStatuses),
    search: Some(Op::SearchAgentStatuses),
    describe: Some(Op::DescribeAgentStatus),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn(),
        Field::instance_alias(),
        Field::text("id", "The identifier of the agent status.")
            .from_member(SD, "AgentStatusId", Read::AsIs)
            .or(&[Source::Member {
                calls: L,
                member: "Id",
                read: Read::AsIs,
            }])
            .search("resourceID"),
        Field::text(
            "agent_status_arn",
            "The Amazon Resource Name (ARN) of the agent status.",
        )
        .own_arn()
        .cfn("AgentStatusArn")
        .read_only()
        .from_member(SD, "AgentStatusARN", Read::AsIs)
        .or(&[Source::Member {
            calls: L,
            member: "Arn",
            read: Read::AsIs,
        }]),
        Field::text("description", "The description of the status.")
            .cfn("Description")
            .from_member(SD, "Description", Read::AsIs)
            .search("description"),
        Field::text("name", "The name of the status.")
            .cfn("Name")
            .required()
            .from_member(LSD, "Name", Read::AsIs)
            .search("name"),
        Field::new(
            "display_order",
            FieldType::Integer,
            "The display order of the status.",
        )
        .cfn("DisplayOrder")
        .from_member(SD, "DisplayOrder", Read::AsIs),
        Field::text("state", "The state of the status.")
            .cfn("State")
            .required()
            .from_member(SD, "State", Read::AsIs)
            .search("state")
            .note("ENABLED | DISABLED"),
        Field::text("type", "The type of agent status.")
            .cfn("Type")
            .from_member(LSD, "Type", Read::AsIs)
            .search("type")
            .note("ROUTABLE | CUSTOM | OFFLINE"),
        Field::new(
            "reset_order_number",
            FieldType::Boolean,
            "A number indicating the reset order of the agent status.",
        )
        .cfn("ResetOrderNumber")
        .from(Source::Unavailable("input-only: no read operation returns it")),
        Field::tags(SD),
        Field::text("last_modified_region", "Last modified region.")
            .cfn("LastModifiedRegion")
            .read_only()
            .from_member(LSD, "LastModifiedRegion", Read::AsIs)
            .not_compared(),
        Field::text("last_modified_time", "Last modified time.")
            .cfn("LastModifiedTime")
            .read_only()
            .from_member(LSD, "LastModifiedTime", Read::Time)
            .note("ISO-8601 UTC")
            .not_compared(),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.agent_status WHERE region = 'us-east-1' AND data__Identifier = '<status ARN, or id or name with data__InstanceId>';",
        "SELECT name, type, state FROM aws.connect.agent_statuses WHERE region = 'us-east-1' AND data__InstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: Some("name"),
};

/// What changes a agent status: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp { op: Op::CreateAgentStatus, members: &[("Name", "name"), ("Description", "description"), ("State", "state"), ("DisplayOrder", "display_order")], remove: None }),
    updates: &[
        WriteOp { op: Op::UpdateAgentStatus, members: &[("Name", "name"), ("Description", "description"), ("State", "state"), ("DisplayOrder", "display_order"), ("ResetOrderNumber", "reset_order_number")], remove: None }
    ],
    delete: Deletion::Impossible("Connect has no operation that deletes an agent status; disable it instead (SET state = 'DISABLED')"),
    tags: true,
    each_key: None,
    check_create: None,
};
