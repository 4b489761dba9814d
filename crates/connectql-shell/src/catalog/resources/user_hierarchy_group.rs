//! `aws.connect.user_hierarchy_group` / `aws.connect.user_hierarchy_groups`
//! — AWS::Connect::UserHierarchyGroup.

use serde_json::Value;

use crate::catalog::writes::{Deletion, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{
    ArnForm, Field, FieldType, Op, Read, ResourceType, RowContext, Scope, LSD, SD,
};

pub static USER_HIERARCHY_GROUP: ResourceType = ResourceType {
    singular: "user_hierarchy_group",
    plural: "user_hierarchy_groups",
    cfn_type: "AWS::Connect::UserHierarchyGroup",
    description: "The agent hierarchy of an instance: groups in up to five levels.",
    scope: Scope::Instance,
    arn: ArnForm::Instance("agent-group"),
    id_field: "id",
    arn_field: Some("user_hierarchy_group_arn"),
    name_field: "name",
    list: Some(Op::ListUserHierarchyGroups),
    search: Some(Op::SearchUserHierarchyGroups),
    describe: Some(Op::DescribeUserHierarchyGroup),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn(),
        Field::instance_alias(),
        Field::text("id", "The identifier of the hierarchy group.")
            .from_member(LSD, "Id", Read::AsIs)
            .search("resourceID"),
        Field::text(
            "user_hierarchy_group_arn",
            "The Amazon Resource Name (ARN) for the user hierarchy group.",
        )
        .own_arn()
        .cfn("UserHierarchyGroupArn")
        .read_only()
        .from_member(LSD, "Arn", Read::AsIs),
        Field::text(
            "parent_group_arn",
            "The Amazon Resource Name (ARN) for the parent user hierarchy group.",
        )
        .arn_of("user_hierarchy_group")
        .cfn("ParentGroupArn")
        .create_only()
        .from_member(SD, "HierarchyPath", Read::Reshape(parent_arn))
        .note("the level above the group's own in its HierarchyPath; NULL for a top-level group"),
        Field::text("name", "The name of the user hierarchy group.")
            .cfn("Name")
            .required()
            .from_member(LSD, "Name", Read::AsIs)
            .search("name"),
        Field::tags(SD),
        Field::text("level_id", "The identifier of the level in the hierarchy group.")
            .from_member(SD, "LevelId", Read::AsIs)
            .search("levelId")
            // The level's own id differs between instances; the level is
            // compared through hierarchy_path.
            .not_compared(),
        Field::new(
            "hierarchy_path",
            FieldType::Object,
            "The groups above and including this one, level by level.",
        )
        .from_member(SD, "HierarchyPath", Read::AsIs)
        .paths(&[
            ".LevelOne.Name",
            ".LevelTwo.Name",
            ".LevelThree.Name",
            ".LevelFour.Name",
            ".LevelFive.Name",
            ".LevelOne.Arn",
        ])
        .mentions(&["user_hierarchy_group"])
        .ignoring(&["LastModifiedTime", "LastModifiedRegion"]),
        Field::last_modified_time(LSD),
        Field::last_modified_region(LSD),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.user_hierarchy_group WHERE region = 'us-east-1' AND data__Identifier = '<group ARN, or id or name with data__InstanceId>';",
        "SELECT name, parent_group_arn FROM aws.connect.user_hierarchy_groups WHERE region = 'us-east-1' AND data__InstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: Some("name"),
};

/// The parent in a HierarchyPath: the level just above the deepest one
/// (the group's own).
fn parent_arn(path: &Value, _: &RowContext<'_>) -> Value {
    let levels: Vec<&Value> = [
        "LevelOne",
        "LevelTwo",
        "LevelThree",
        "LevelFour",
        "LevelFive",
    ]
    .iter()
    .filter_map(|l| path.get(*l).filter(|v| !v.is_null()))
    .collect();
    if levels.len() < 2 {
        return Value::Null;
    }
    levels[levels.len() - 2]
        .get("Arn")
        .cloned()
        .unwrap_or(Value::Null)
}

/// What changes a user hierarchy group: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::CreateUserHierarchyGroup,
        members: &[("Name", "name"), ("ParentGroupId", "parent_group_arn")],
        remove: None,
    }),
    updates: &[WriteOp {
        op: Op::UpdateUserHierarchyGroupName,
        members: &[("Name", "name")],
        remove: None,
    }],
    delete: Deletion::By(Op::DeleteUserHierarchyGroup),
    tags: true,
    each_key: None,
    check_create: None,
};
