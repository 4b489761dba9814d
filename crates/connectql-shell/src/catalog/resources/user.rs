//! `aws.connect.user` / `aws.connect.users` — AWS::Connect::User.
//!
//! SearchUsers returns whole users 500 at a time, except the identity's
//! email, mobile and secondary email (its IdentityInfo is the "lite" one):
//! `identity_info` costs a DescribeUser per row, only when referenced.

use serde_json::Value;

use crate::catalog::writes::{Deletion, Removal, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{
    ArnForm, Field, FieldType, Op, Read, ResourceType, RowContext, Scope, Source, D, LD, LSD, S, SD,
};

pub static USER: ResourceType = ResourceType {
    singular: "user",
    plural: "users",
    cfn_type: "AWS::Connect::User",
    description: "The users (agents, supervisors, administrators) of an instance.",
    scope: Scope::Instance,
    arn: ArnForm::Instance("agent"),
    id_field: "id",
    arn_field: Some("user_arn"),
    name_field: "username",
    list: Some(Op::ListUsers),
    search: Some(Op::SearchUsers),
    describe: Some(Op::DescribeUser),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn(),
        Field::instance_alias(),
        Field::text("id", "The identifier of the user account.")
            .from_member(LSD, "Id", Read::AsIs)
            .search("resourceId"),
        Field::text("user_arn", "The Amazon Resource Name (ARN) for the user.")
            .own_arn()
            .cfn("UserArn")
            .read_only()
            .from_member(LSD, "Arn", Read::AsIs),
        Field::text("username", "The user name for the account.")
            .cfn("Username")
            .required()
            .from_member(LSD, "Username", Read::AsIs)
            .search("Username"),
        Field::text(
            "directory_user_id",
            "The identifier of the user account in the directory used for identity management.",
        )
        .cfn("DirectoryUserId")
        .from_member(SD, "DirectoryUserId", Read::AsIs),
        Field::text("hierarchy_group_arn", "The identifier of the hierarchy group for the user.")
            .arn_of("user_hierarchy_group")
            .cfn("HierarchyGroupArn")
            .from_member(SD, "HierarchyGroupId", Read::IdToArn("agent-group")),
        Field::text("password", "The password for the user account.")
            .cfn("Password")
            .write_only()
            .from(Source::Unavailable("write-only: no read operation returns it")),
        Field::text("routing_profile_arn", "The identifier of the routing profile for the user.")
            .arn_of("routing_profile")
            .cfn("RoutingProfileArn")
            .required()
            .from_member(SD, "RoutingProfileId", Read::IdToArn("routing-profile"))
            .search_by_id("RoutingProfileId"),
        Field::new(
            "identity_info",
            FieldType::Object,
            "The information about the identity of the user.",
        )
        .cfn("IdentityInfo")
        .from_member(D, "IdentityInfo", Read::AsIs)
        .paths(&[".FirstName", ".LastName", ".Email", ".SecondaryEmail", ".Mobile"])
        .note("DescribeUser per row: SearchUsers leaves out Email, SecondaryEmail and Mobile"),
        Field::new("phone_config", FieldType::Object, "The phone settings for the user.")
            .cfn("PhoneConfig")
            .from_member(D, "PhoneConfig", Read::AsIs)
            .or(&[Source::Member {
                calls: S,
                member: "PhoneConfig",
                read: Read::Reshape(search_phone_config),
            }])
            .paths(&[
                ".PhoneType",
                ".AutoAccept",
                ".AfterContactWorkTimeLimit",
                ".DeskPhoneNumber",
                ".PersistentConnection",
            ])
            .note("AfterContactWorkTimeLimit in seconds (SearchUsers answers milliseconds; converted)"),
        Field::new(
            "security_profile_arns",
            FieldType::Array,
            "One or more security profile arns for the user",
        )
        .arns_of("security_profile")
        .cfn("SecurityProfileArns")
        .required()
        .from_member(SD, "SecurityProfileIds", Read::IdsToArns("security-profile"))
        .paths(&["[0]"]),
        Field::tags(SD),
        Field::new(
            "user_proficiencies",
            FieldType::Array,
            "One or more predefined attributes assigned to a user, with a level that indicates how skilled they are.",
        )
        .cfn("UserProficiencies")
        .from(Source::SubListing {
            op: Op::ListUserProficiencies,
            read: Read::AsIs,
            when: None,
            key: None,
        })
        .paths(&["[0].AttributeName", "[0].AttributeValue", "[0].Level"]),
        Field::new("auto_accept_configs", FieldType::Array, "Auto-accept configurations of a user.")
            .cfn("AutoAcceptConfigs")
            .from_member(SD, "AutoAcceptConfigs", Read::AsIs)
            .paths(&["[0].Channel", "[0].AutoAccept", "[0].AgentFirstCallbackAutoAccept"]),
        Field::new(
            "after_contact_work_configs",
            FieldType::Array,
            "After Contact Work configurations of a user.",
        )
        .cfn("AfterContactWorkConfigs")
        .from_member(SD, "AfterContactWorkConfigs", Read::AsIs)
        .paths(&["[0].Channel", "[0].AfterContactWorkConfig.AfterContactWorkTimeLimit"]),
        Field::new(
            "phone_number_configs",
            FieldType::Array,
            "Phone Number configurations of a user.",
        )
        .cfn("PhoneNumberConfigs")
        .from_member(SD, "PhoneNumberConfigs", Read::AsIs)
        .paths(&["[0].Channel", "[0].PhoneType", "[0].PhoneNumber"]),
        Field::new(
            "persistent_connection_configs",
            FieldType::Array,
            "Persistent Connection configurations of a user.",
        )
        .cfn("PersistentConnectionConfigs")
        .from_member(SD, "PersistentConnectionConfigs", Read::AsIs)
        .paths(&["[0].Channel", "[0].PersistentConnection"]),
        Field::new(
            "voice_enhancement_configs",
            FieldType::Array,
            "Voice Enhancement configurations of a user.",
        )
        .cfn("VoiceEnhancementConfigs")
        .from_member(SD, "VoiceEnhancementConfigs", Read::AsIs)
        .paths(&["[0].Channel", "[0].VoiceEnhancementMode"]),
        Field::last_modified_time(LD),
        Field::last_modified_region(LD),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.user WHERE region = 'us-east-1' AND data__Identifier = '<user ARN, or id or username with data__InstanceId>';",
        "SELECT username, routing_profile_arn FROM aws.connect.users WHERE region = 'us-east-1' AND data__InstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: Some("username"),
};

/// SearchUsers answers `AfterContactWorkTimeLimit` in milliseconds (its
/// documentation says so); CloudFormation and DescribeUser use seconds.
fn search_phone_config(value: &Value, _: &RowContext<'_>) -> Value {
    let mut v = value.clone();
    if let Some(ms) = v.get("AfterContactWorkTimeLimit").and_then(Value::as_i64) {
        v["AfterContactWorkTimeLimit"] = Value::from(ms / 1000);
    }
    v
}

/// What changes a user: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::CreateUser,
        members: &[
            ("Username", "username"),
            ("Password", "password"),
            ("IdentityInfo", "identity_info"),
            ("PhoneConfig", "phone_config"),
            ("DirectoryUserId", "directory_user_id"),
            ("SecurityProfileIds", "security_profile_arns"),
            ("RoutingProfileId", "routing_profile_arn"),
            ("HierarchyGroupId", "hierarchy_group_arn"),
            ("AutoAcceptConfigs", "auto_accept_configs"),
            ("AfterContactWorkConfigs", "after_contact_work_configs"),
            ("PhoneNumberConfigs", "phone_number_configs"),
            (
                "PersistentConnectionConfigs",
                "persistent_connection_configs",
            ),
            ("VoiceEnhancementConfigs", "voice_enhancement_configs"),
        ],
        remove: None,
    }),
    updates: &[
        WriteOp {
            op: Op::UpdateUserIdentityInfo,
            members: &[("IdentityInfo", "identity_info")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateUserPhoneConfig,
            members: &[("PhoneConfig", "phone_config")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateUserRoutingProfile,
            members: &[("RoutingProfileId", "routing_profile_arn")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateUserSecurityProfiles,
            members: &[("SecurityProfileIds", "security_profile_arns")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateUserHierarchy,
            members: &[("HierarchyGroupId", "hierarchy_group_arn")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateUserConfig,
            members: &[
                ("AutoAcceptConfigs", "auto_accept_configs"),
                ("AfterContactWorkConfigs", "after_contact_work_configs"),
                ("PhoneNumberConfigs", "phone_number_configs"),
                (
                    "PersistentConnectionConfigs",
                    "persistent_connection_configs",
                ),
                ("VoiceEnhancementConfigs", "voice_enhancement_configs"),
            ],
            remove: None,
        },
        // A proficiency is named by its attribute and value; its level
        // changes in place.
        WriteOp {
            op: Op::AssociateUserProficiencies,
            members: &[("UserProficiencies", "user_proficiencies")],
            remove: Some(Removal {
                member: Some("UserProficiencies"),
                key: Some("AttributeName+AttributeValue"),
                change: Some(Op::UpdateUserProficiencies),
                per_call: Some(20),
                ..Removal::of(Op::DisassociateUserProficiencies)
            }),
        },
    ],
    delete: Deletion::By(Op::DeleteUser),
    tags: true,
    each_key: None,
    check_create: None,
};
