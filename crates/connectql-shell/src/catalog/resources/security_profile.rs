//! `aws.connect.security_profile` / `aws.connect.security_profiles` —
//! AWS::Connect::SecurityProfile. The permissions, applications and flow
//! modules are per-profile listings, called only when referenced.

use crate::catalog::writes::{Deletion, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{
    ArnForm, Field, FieldType, Op, Read, ResourceType, Scope, Source, D, L, LD, LSD, SD,
};

pub static SECURITY_PROFILE: ResourceType = ResourceType {
    singular: "security_profile",
    plural: "security_profiles",
    cfn_type: "AWS::Connect::SecurityProfile",
    description: "The security profiles of an instance: what their users may do.",
    scope: Scope::Instance,
    arn: ArnForm::Instance("security-profile"),
    id_field: "id",
    arn_field: Some("security_profile_arn"),
    name_field: "security_profile_name",
    list: Some(Op::ListSecurityProfiles),
    search: Some(Op::SearchSecurityProfiles),
    describe: Some(Op::DescribeSecurityProfile),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn().create_only(),
        Field::instance_alias(),
        Field::text("id", "The identifier of the security profile.")
            .from_member(LSD, "Id", Read::AsIs),
        Field::text(
            "security_profile_arn",
            "The Amazon Resource Name (ARN) for the security profile.",
        )
        .own_arn()
        .cfn("SecurityProfileArn")
        .read_only()
        .from_member(LSD, "Arn", Read::AsIs),
        Field::text("security_profile_name", "The name of the security profile.")
            .cfn("SecurityProfileName")
            .required()
            .create_only()
            .from_member(SD, "SecurityProfileName", Read::AsIs)
            .or(&[Source::Member {
                calls: L,
                member: "Name",
                read: Read::AsIs,
            }])
            .search_text("name"),
        Field::text("description", "The description of the security profile.")
            .cfn("Description")
            .from_member(SD, "Description", Read::AsIs),
        Field::new(
            "permissions",
            FieldType::Array,
            "Permissions assigned to the security profile.",
        )
        .cfn("Permissions")
        .from(Source::SubListing {
            op: Op::ListSecurityProfilePermissions,
            read: Read::AsIs,
            when: None,
            key: None,
        })
        .paths(&["[0]"])
        .note("ListSecurityProfilePermissions per profile (all pages), only when referenced"),
        Field::new(
            "allowed_access_control_tags",
            FieldType::Array,
            "The list of tags that a security profile uses to restrict access to resources in Amazon Connect.",
        )
        .cfn("AllowedAccessControlTags")
        .from_member(D, "AllowedAccessControlTags", Read::Tags)
        .paths(&["[0].Key", "[0].Value"]),
        Field::new(
            "tag_restricted_resources",
            FieldType::Array,
            "The list of resources that a security profile applies tag restrictions to in Amazon Connect.",
        )
        .cfn("TagRestrictedResources")
        .from_member(D, "TagRestrictedResources", Read::AsIs)
        .paths(&["[0]"]),
        Field::new(
            "hierarchy_restricted_resources",
            FieldType::Array,
            "The list of resources that a security profile applies hierarchy restrictions to in Amazon Connect.",
        )
        .cfn("HierarchyRestrictedResources")
        .from_member(D, "HierarchyRestrictedResources", Read::AsIs)
        .paths(&["[0]"]),
        Field::text(
            "allowed_access_control_hierarchy_group_id",
            "The identifier of the hierarchy group that a security profile uses to restrict access to resources in Amazon Connect.",
        )
        .id_of("user_hierarchy_group")
        .cfn("AllowedAccessControlHierarchyGroupId")
        .from_member(D, "AllowedAccessControlHierarchyGroupId", Read::AsIs),
        Field::new(
            "applications",
            FieldType::Array,
            "A list of third-party applications that the security profile will give access to.",
        )
        .cfn("Applications")
        .from(Source::SubListing {
            op: Op::ListSecurityProfileApplications,
            read: Read::AsIs,
            when: None,
            key: None,
        })
        .paths(&["[0].Namespace", "[0].ApplicationPermissions", "[0].Type"]),
        Field::new(
            "allowed_flow_modules",
            FieldType::Array,
            "The list of flow-module resources to be linked to a security profile in Amazon Connect.",
        )
        .cfn("AllowedFlowModules")
        .from(Source::SubListing {
            op: Op::ListSecurityProfileFlowModules,
            read: Read::AsIs,
            when: None,
            key: None,
        })
        .paths(&["[0].Type", "[0].FlowModuleId"]),
        Field::tags(SD),
        Field::text(
            "last_modified_region",
            "The AWS Region where this resource was last modified.",
        )
        .cfn("LastModifiedRegion")
        .read_only()
        .from_member(LD, "LastModifiedRegion", Read::AsIs)
        .not_compared(),
        Field::text(
            "last_modified_time",
            "The timestamp when this resource was last modified.",
        )
        .cfn("LastModifiedTime")
        .read_only()
        .from_member(LD, "LastModifiedTime", Read::Time)
        .note("ISO-8601 UTC")
        .not_compared(),
        Field::new(
            "granular_access_control_configuration",
            FieldType::Object,
            "The granular access control configuration for the security profile.",
        )
        .cfn("GranularAccessControlConfiguration")
        .from_member(D, "GranularAccessControlConfiguration", Read::AsIs)
        .paths(&[".DataTableAccessControlConfiguration"]),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.security_profile WHERE region = 'us-east-1' AND data__Identifier = '<profile ARN, or id or name with data__InstanceId>';",
        "SELECT security_profile_name, permissions FROM aws.connect.security_profiles WHERE region = 'us-east-1' AND data__InstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: Some("security_profile_name"),
};

/// What changes a security profile: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::CreateSecurityProfile,
        members: &[
            ("SecurityProfileName", "security_profile_name"),
            ("Description", "description"),
            ("Permissions", "permissions"),
            ("AllowedAccessControlTags", "allowed_access_control_tags"),
            ("TagRestrictedResources", "tag_restricted_resources"),
            ("Applications", "applications"),
            (
                "HierarchyRestrictedResources",
                "hierarchy_restricted_resources",
            ),
            (
                "AllowedAccessControlHierarchyGroupId",
                "allowed_access_control_hierarchy_group_id",
            ),
            ("AllowedFlowModules", "allowed_flow_modules"),
            (
                "GranularAccessControlConfiguration",
                "granular_access_control_configuration",
            ),
        ],
        remove: None,
    }),
    updates: &[WriteOp {
        op: Op::UpdateSecurityProfile,
        members: &[
            ("Description", "description"),
            ("Permissions", "permissions"),
            ("AllowedAccessControlTags", "allowed_access_control_tags"),
            ("TagRestrictedResources", "tag_restricted_resources"),
            ("Applications", "applications"),
            (
                "HierarchyRestrictedResources",
                "hierarchy_restricted_resources",
            ),
            (
                "AllowedAccessControlHierarchyGroupId",
                "allowed_access_control_hierarchy_group_id",
            ),
            ("AllowedFlowModules", "allowed_flow_modules"),
            (
                "GranularAccessControlConfiguration",
                "granular_access_control_configuration",
            ),
        ],
        remove: None,
    }],
    delete: Deletion::By(Op::DeleteSecurityProfile),
    tags: true,
    each_key: None,
    check_create: None,
};
