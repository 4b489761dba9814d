//! `aws.connect.hours_of_operation` / `aws.connect.hours_of_operations` —
//! AWS::Connect::HoursOfOperation.

use serde_json::{Map, Value};

use crate::catalog::writes::{Deletion, Removal, Shape, WriteOp, Writes, EACH_ELEMENT};
use crate::catalog::SelectMethods;
use crate::catalog::{
    ArnForm, Field, FieldType, Op, Read, ResourceType, RowContext, Scope, Source, L, LSD, SD,
};

pub static HOURS_OF_OPERATION: ResourceType = ResourceType {
    singular: "hours_of_operation",
    plural: "hours_of_operations",
    cfn_type: "AWS::Connect::HoursOfOperation",
    description: "The hours of operation of an instance: when queues are open.",
    scope: Scope::Instance,
    arn: ArnForm::Instance("operating-hours"),
    id_field: "id",
    arn_field: Some("hours_of_operation_arn"),
    name_field: "name",
    list: Some(Op::ListHoursOfOperations),
    search: Some(Op::SearchHoursOfOperations),
    describe: Some(Op::DescribeHoursOfOperation),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn(),
        Field::instance_alias(),
        Field::text("id", "The identifier for the hours of operation.")
            .from_member(SD, "HoursOfOperationId", Read::AsIs)
            .or(&[Source::Member {
                calls: L,
                member: "Id",
                read: Read::AsIs,
            }])
            .search("resourceID"),
        Field::text(
            "hours_of_operation_arn",
            "The Amazon Resource Name (ARN) for the hours of operation.",
        )
        .own_arn()
        .cfn("HoursOfOperationArn")
        .read_only()
        .from_member(SD, "HoursOfOperationArn", Read::AsIs)
        .or(&[Source::Member {
            calls: L,
            member: "Arn",
            read: Read::AsIs,
        }]),
        Field::text("name", "The name of the hours of operation.")
            .cfn("Name")
            .required()
            .from_member(LSD, "Name", Read::AsIs)
            .search("name"),
        Field::text("description", "The description of the hours of operation.")
            .cfn("Description")
            .from_member(SD, "Description", Read::AsIs)
            .search("description"),
        Field::text("time_zone", "The time zone of the hours of operation.")
            .cfn("TimeZone")
            .required()
            .from_member(SD, "TimeZone", Read::AsIs)
            .search("timezone"),
        Field::new(
            "config",
            FieldType::Array,
            "Configuration information for the hours of operation: day, start time, and end time.",
        )
        .cfn("Config")
        .required()
        .from_member(SD, "Config", Read::AsIs)
        .paths(&[
            "[0].Day",
            "[0].StartTime.Hours",
            "[0].StartTime.Minutes",
            "[0].EndTime.Hours",
            "[0].EndTime.Minutes",
        ]),
        Field::tags(SD),
        Field::new(
            "hours_of_operation_overrides",
            FieldType::Array,
            "One or more hours of operation overrides assigned to an hour of operation.",
        )
        .cfn("HoursOfOperationOverrides")
        .from(Source::SubListing {
            op: Op::ListHoursOfOperationOverrides,
            read: Read::Reshape(overrides),
            when: None,
            key: None,
        })
        .paths(&[
            "[0].OverrideName",
            "[0].OverrideDescription",
            "[0].OverrideType",
            "[0].EffectiveFrom",
            "[0].EffectiveTill",
            "[0].OverrideConfig",
        ])
        .ignoring(&["HoursOfOperationOverrideId"])
        .written(&Shape::Renamed(&[
            ("OverrideName", "Name"),
            ("OverrideDescription", "Description"),
            ("OverrideConfig", "Config"),
        ])),
        Field::new(
            "child_hours_of_operations",
            FieldType::Array,
            "List of child hours of operations.",
        )
        .cfn("ChildHoursOfOperations")
        .from(Source::SubListing {
            op: Op::ListChildHoursOfOperations,
            read: Read::AsIs,
            when: None,
            key: None,
        })
        .paths(&["[0].Name", "[0].Id", "[0].Arn"])
        .mentions(&["hours_of_operation"])
        .ignoring(&["LastModifiedTime", "LastModifiedRegion"])
        .follows("parent_hours_of_operations"),
        Field::new(
            "parent_hours_of_operations",
            FieldType::Array,
            "List of parent hours of operations.",
        )
        .cfn("ParentHoursOfOperations")
        .from_member(SD, "ParentHoursOfOperations", Read::AsIs)
        .paths(&["[0].Name", "[0].Id", "[0].Arn"])
        .mentions(&["hours_of_operation"])
        .ignoring(&["LastModifiedTime", "LastModifiedRegion"])
        .written(&Shape::Refs(("Arn", "HoursOfOperationId", "operating-hours"))),
        Field::last_modified_time(LSD),
        Field::last_modified_region(LSD),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.hours_of_operation WHERE region = 'us-east-1' AND data__Identifier = '<hours ARN, or id or name with data__InstanceId>';",
        "SELECT name, time_zone FROM aws.connect.hours_of_operations WHERE region = 'us-east-1' AND data__InstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: Some("name"),
};

/// ListHoursOfOperationOverrides' items in CloudFormation's shape: the
/// API's Name, Description and Config become OverrideName,
/// OverrideDescription and OverrideConfig.
fn overrides(list: &Value, _: &RowContext<'_>) -> Value {
    Value::Array(
        list.as_array()
            .into_iter()
            .flatten()
            .map(|o| {
                let mut out = Map::new();
                for (api, cfn) in [
                    ("HoursOfOperationOverrideId", "HoursOfOperationOverrideId"),
                    ("Name", "OverrideName"),
                    ("Description", "OverrideDescription"),
                    ("Config", "OverrideConfig"),
                    ("EffectiveFrom", "EffectiveFrom"),
                    ("EffectiveTill", "EffectiveTill"),
                    ("OverrideType", "OverrideType"),
                    ("RecurrenceConfig", "RecurrenceConfig"),
                ] {
                    if let Some(v) = o.get(api) {
                        out.insert(cfn.to_string(), v.clone());
                    }
                }
                Value::Object(out)
            })
            .collect(),
    )
}

/// What changes a hours of operation: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::CreateHoursOfOperation,
        members: &[
            ("Name", "name"),
            ("Description", "description"),
            ("TimeZone", "time_zone"),
            ("Config", "config"),
            (
                "ParentHoursOfOperationConfigs",
                "parent_hours_of_operations",
            ),
        ],
        remove: None,
    }),
    updates: &[
        WriteOp {
            op: Op::UpdateHoursOfOperation,
            members: &[
                ("Name", "name"),
                ("Description", "description"),
                ("TimeZone", "time_zone"),
                ("Config", "config"),
            ],
            remove: None,
        },
        // A child names its parents (at most three); the parents' lists of
        // children follow.
        WriteOp {
            op: Op::AssociateHoursOfOperations,
            members: &[(
                "ParentHoursOfOperationConfigs",
                "parent_hours_of_operations",
            )],
            remove: Some(Removal {
                member: Some("ParentHoursOfOperationIds"),
                key: Some("HoursOfOperationId"),
                per_call: Some(3),
                ..Removal::of(Op::DisassociateHoursOfOperations)
            }),
        },
        // An override is an item of its own inside its hours, named by its
        // name (unique within the hours).
        WriteOp {
            op: Op::CreateHoursOfOperationOverride,
            members: &[(EACH_ELEMENT, "hours_of_operation_overrides")],
            remove: Some(Removal {
                key: Some("Name"),
                change: Some(Op::UpdateHoursOfOperationOverride),
                own_id: Some("HoursOfOperationOverrideId"),
                ..Removal::of(Op::DeleteHoursOfOperationOverride)
            }),
        },
    ],
    delete: Deletion::By(Op::DeleteHoursOfOperation),
    tags: true,
    each_key: None,
    check_create: None,
};
