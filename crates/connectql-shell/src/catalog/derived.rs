//! Tables computed from the reads of other tables rather than read from
//! Connect: declared here like every other table (SHOW, DESCRIBE,
//! completion and errors know them), computed by their own module.

use super::writes::Writes;
use super::{ArnForm, Field, ResourceType, Scope, SelectMethods, Source};

/// The params of `aws.connect.instance_differences`: the two instances
/// (ARN, id or alias; an ARN names its region) and, optionally, the AWS
/// profile each is read with.
pub const SOURCE_INSTANCE: &str = "data__SourceInstanceId";
pub const TARGET_INSTANCE: &str = "data__TargetInstanceId";
pub const SOURCE_PROFILE: &str = "source_profile";
pub const TARGET_PROFILE: &str = "target_profile";

pub static DIFFERENCE_PARAMS: [super::Param; 4] = [
    super::Param {
        name: SOURCE_INSTANCE,
        synonyms: &["SourceInstanceId"],
        description: "the instance compared from: its ARN (which names its region), id or alias",
    },
    super::Param {
        name: TARGET_INSTANCE,
        synonyms: &["TargetInstanceId"],
        description: "the instance compared with: its ARN (which names its region), id or alias",
    },
    super::Param {
        name: SOURCE_PROFILE,
        synonyms: &[],
        description: "the AWS profile the source instance is read with (default: the session's)",
    },
    super::Param {
        name: TARGET_PROFILE,
        synonyms: &[],
        description: "the AWS profile the target instance is read with (default: the session's)",
    },
];

/// What a derived table's param takes, for completing its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// An instance: its ARN, id or alias.
    Instance,
    /// An AWS profile's name.
    Profile,
}

/// The statement params of a derived table, each with what it takes
/// (none for a table read from Connect, whose params are its methods').
pub fn params(resource: &ResourceType) -> Vec<(&'static super::Param, Takes)> {
    if !std::ptr::eq(resource, &INSTANCE_DIFFERENCES) {
        return Vec::new();
    }
    DIFFERENCE_PARAMS
        .iter()
        .map(|p| {
            let takes = match p.name {
                SOURCE_PROFILE | TARGET_PROFILE => Takes::Profile,
                _ => Takes::Instance,
            };
            (p, takes)
        })
        .collect()
}

const COMPUTED: Source = Source::Unavailable("computed from both instances' reads");

const fn column(name: &'static str, description: &'static str) -> Field {
    Field::text(name, description).from(COMPUTED)
}

/// `aws.connect.instance_differences`: one row per difference between two
/// instances, items matched by name and references compared by the names
/// of what they point to (`differences.rs`).
pub static INSTANCE_DIFFERENCES: ResourceType = ResourceType {
    singular: "instance_difference",
    plural: "instance_differences",
    cfn_type: "",
    description: "The differences between two instances' configuration: items matched by name, references compared by the names of what they point to. UPDATE ... SET target_value = source_value WHERE ... copies the selected ones into the target.",
    scope: Scope::Instance,
    arn: ArnForm::None,
    id_field: "name",
    arn_field: None,
    name_field: "name",
    list: None,
    search: None,
    describe: None,
    fields: &[
        column(
            "resource_type",
            "The kind of item: the singular table name (queue, user...).",
        )
        .note("WHERE resource_type = / IN / OR-ed equalities read only those kinds"),
        column("name", "The item's name (a user's username)."),
        column("kind", "only_in_source, only_in_target or differs."),
        column("property", "The column that differs; NULL for a whole item."),
        column(
            "source_value",
            "The source's value, references as names (JSON for objects and lists).",
        ),
        column(
            "target_value",
            "The target's value, references as names (JSON for objects and lists).",
        ),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.instance_differences WHERE data__SourceInstanceId = 'acme-support' AND data__TargetInstanceId = '<instance ARN, id or alias>';",
        "SELECT * FROM aws.connect.instance_differences WHERE data__SourceInstanceId = 'acme-support' AND data__TargetInstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &Writes::NONE,
    matched_by: None,
};
