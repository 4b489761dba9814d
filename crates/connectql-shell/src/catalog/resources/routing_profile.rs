//! `aws.connect.routing_profile` / `aws.connect.routing_profiles` —
//! AWS::Connect::RoutingProfile.
//!
//! SearchRoutingProfiles returns whole profiles (with their associated
//! queue ids) 500 at a time; the queue configs with priority and delay are
//! a per-profile sub-listing, called only when referenced.

use serde_json::{json, Value};

use crate::catalog::writes::{Deletion, Removal, Shape, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{
    ArnForm, Field, FieldType, Op, Read, ResourceType, RowContext, Scope, Source, L, LSD, SD,
};

pub static ROUTING_PROFILE: ResourceType = ResourceType {
    singular: "routing_profile",
    plural: "routing_profiles",
    cfn_type: "AWS::Connect::RoutingProfile",
    description: "The routing profiles of an instance: which queues agents serve, on which channels.",
    scope: Scope::Instance,
    arn: ArnForm::Instance("routing-profile"),
    id_field: "id",
    arn_field: Some("routing_profile_arn"),
    name_field: "name",
    list: Some(Op::ListRoutingProfiles),
    search: Some(Op::SearchRoutingProfiles),
    describe: Some(Op::DescribeRoutingProfile),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn(),
        Field::instance_alias(),
        Field::text("id", "The identifier of the routing profile.")
            .from_member(SD, "RoutingProfileId", Read::AsIs)
            .or(&[Source::Member {
                calls: L,
                member: "Id",
                read: Read::AsIs,
            }])
            .search("resourceID"),
        Field::text(
            "routing_profile_arn",
            "The Amazon Resource Name (ARN) of the routing profile.",
        )
        .own_arn()
        .cfn("RoutingProfileArn")
        .read_only()
        .from_member(SD, "RoutingProfileArn", Read::AsIs)
        .or(&[Source::Member {
            calls: L,
            member: "Arn",
            read: Read::AsIs,
        }]),
        Field::text("name", "The name of the routing profile.")
            .cfn("Name")
            .required()
            .from_member(LSD, "Name", Read::AsIs)
            .search_text("name"),
        Field::text("description", "The description of the routing profile.")
            .cfn("Description")
            .required()
            .from_member(SD, "Description", Read::AsIs)
            .search_text("description"),
        Field::new(
            "media_concurrencies",
            FieldType::Array,
            "The channels agents can handle in the Contact Control Panel (CCP) for this routing profile.",
        )
        .cfn("MediaConcurrencies")
        .required()
        .from_member(SD, "MediaConcurrencies", Read::AsIs)
        .paths(&["[0].Channel", "[0].Concurrency", "[0].CrossChannelBehavior.BehaviorType"]),
        Field::text(
            "default_outbound_queue_arn",
            "The identifier of the default outbound queue for this routing profile.",
        )
        .arn_of("queue")
        .cfn("DefaultOutboundQueueArn")
        .required()
        .from_member(SD, "DefaultOutboundQueueId", Read::IdToArn("queue")),
        Field::new(
            "queue_configs",
            FieldType::Array,
            "The queues to associate with this routing profile.",
        )
        .cfn("QueueConfigs")
        .from(Source::SubListing {
            op: Op::ListRoutingProfileQueues,
            read: Read::Reshape(queue_configs),
            when: None,
            key: None,
        })
        .paths(&[
            "[0].Delay",
            "[0].Priority",
            "[0].QueueReference.Channel",
            "[0].QueueReference.QueueArn",
        ])
        .mentions(&["queue"])
        .written(&QUEUE_REFERENCE),
        Field::new(
            "manual_assignment_queue_configs",
            FieldType::Array,
            "The manual assignment queues to associate with this routing profile.",
        )
        .cfn("ManualAssignmentQueueConfigs")
        .from(Source::SubListing {
            op: Op::ListRoutingProfileManualAssignmentQueues,
            read: Read::Reshape(manual_assignment_queue_configs),
            when: None,
            key: None,
        })
        .paths(&["[0].QueueReference.Channel", "[0].QueueReference.QueueArn"])
        .mentions(&["queue"])
        .written(&QUEUE_REFERENCE),
        Field::tags(SD),
        Field::text(
            "agent_availability_timer",
            "Whether agents with this routing profile will have their routing order calculated based on longest idle time or time since their last inbound contact.",
        )
        .cfn("AgentAvailabilityTimer")
        .from_member(SD, "AgentAvailabilityTimer", Read::AsIs),
        Field::new(
            "associated_queue_arns",
            FieldType::Array,
            "The queues associated with the routing profile (any channel).",
        )
        .arns_of("queue")
        .from_member(SD, "AssociatedQueueIds", Read::IdsToArns("queue"))
        .search_by_id("associatedQueueIds")
        .paths(&["[0]"]),
        Field::new(
            "number_of_associated_queues",
            FieldType::Integer,
            "The number of associated queues in routing profile.",
        )
        .from_member(SD, "NumberOfAssociatedQueues", Read::AsIs)
        // Counts follow from other compared fields (queue_configs, users'
        // routing_profile_arn): not differences of their own.
        .not_compared(),
        Field::new(
            "number_of_associated_users",
            FieldType::Integer,
            "The number of associated users in routing profile.",
        )
        .from_member(SD, "NumberOfAssociatedUsers", Read::AsIs)
        .not_compared(),
        Field::new(
            "is_default",
            FieldType::Boolean,
            "Whether this is the default routing profile.",
        )
        .from_member(SD, "IsDefault", Read::AsIs),
        Field::last_modified_time(LSD),
        Field::last_modified_region(LSD),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.routing_profile WHERE region = 'us-east-1' AND data__Identifier = '<routing profile ARN, or id or name with data__InstanceId>';",
        "SELECT name, default_outbound_queue_arn FROM aws.connect.routing_profiles WHERE region = 'us-east-1' AND data__InstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: Some("name"),
};

/// CloudFormation's queue reference names the queue by ARN, the request's
/// by id.
static QUEUE_REFERENCE: Shape = Shape::Ids(&[("QueueReference.QueueArn", "QueueId", "queue")]);

fn queue_reference(summary: &Value) -> Value {
    json!({
        "Channel": summary.get("Channel"),
        "QueueArn": summary.get("QueueArn"),
    })
}

/// ListRoutingProfileQueues' flat summaries as CloudFormation's
/// `[{Delay, Priority, QueueReference{Channel, QueueArn}}]`.
fn queue_configs(list: &Value, _: &RowContext<'_>) -> Value {
    Value::Array(
        list.as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                json!({
                    "Delay": s.get("Delay"),
                    "Priority": s.get("Priority"),
                    "QueueReference": queue_reference(s),
                })
            })
            .collect(),
    )
}

fn manual_assignment_queue_configs(list: &Value, _: &RowContext<'_>) -> Value {
    Value::Array(
        list.as_array()
            .into_iter()
            .flatten()
            .map(|s| json!({ "QueueReference": queue_reference(s) }))
            .collect(),
    )
}

/// What changes a routing profile: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::CreateRoutingProfile,
        members: &[
            ("Name", "name"),
            ("Description", "description"),
            ("DefaultOutboundQueueId", "default_outbound_queue_arn"),
            ("QueueConfigs", "queue_configs"),
            (
                "ManualAssignmentQueueConfigs",
                "manual_assignment_queue_configs",
            ),
            ("MediaConcurrencies", "media_concurrencies"),
            ("AgentAvailabilityTimer", "agent_availability_timer"),
        ],
        remove: None,
    }),
    updates: &[
        WriteOp {
            op: Op::UpdateRoutingProfileName,
            members: &[("Name", "name"), ("Description", "description")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateRoutingProfileConcurrency,
            members: &[("MediaConcurrencies", "media_concurrencies")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateRoutingProfileDefaultOutboundQueue,
            members: &[("DefaultOutboundQueueId", "default_outbound_queue_arn")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateRoutingProfileAgentAvailabilityTimer,
            members: &[("AgentAvailabilityTimer", "agent_availability_timer")],
            remove: None,
        },
        WriteOp {
            op: Op::AssociateRoutingProfileQueues,
            members: &[("QueueConfigs", "queue_configs")],
            remove: Some(Removal {
                member: Some("QueueReferences"),
                key: Some("QueueReference"),
                change: Some(Op::UpdateRoutingProfileQueues),
                per_call: Some(10),
                ..Removal::of(Op::DisassociateRoutingProfileQueues)
            }),
        },
        WriteOp {
            op: Op::AssociateRoutingProfileQueues,
            members: &[(
                "ManualAssignmentQueueConfigs",
                "manual_assignment_queue_configs",
            )],
            remove: Some(Removal {
                member: Some("ManualAssignmentQueueReferences"),
                key: Some("QueueReference"),
                per_call: Some(10),
                ..Removal::of(Op::DisassociateRoutingProfileQueues)
            }),
        },
    ],
    delete: Deletion::By(Op::DeleteRoutingProfile),
    tags: true,
    each_key: None,
    check_create: None,
};
