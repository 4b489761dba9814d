//! `aws.connect.contact_flow_module` / `aws.connect.contact_flow_modules` —
//! AWS::Connect::ContactFlowModule. The module's `content` costs a
//! DescribeContactFlowModule per module, only when referenced.

use crate::catalog::writes::{Deletion, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{ArnForm, Field, FieldType, Op, Read, ResourceType, Scope, D, LSD, SD};

pub static CONTACT_FLOW_MODULE: ResourceType = ResourceType {
    singular: "contact_flow_module",
    plural: "contact_flow_modules",
    cfn_type: "AWS::Connect::ContactFlowModule",
    description: "The flow modules of an instance: reusable pieces of flows.",
    scope: Scope::Instance,
    arn: ArnForm::Instance("flow-module"),
    id_field: "id",
    arn_field: Some("contact_flow_module_arn"),
    name_field: "name",
    list: Some(Op::ListContactFlowModules),
    search: Some(Op::SearchContactFlowModules),
    describe: Some(Op::DescribeContactFlowModule),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn(),
        Field::instance_alias(),
        Field::text("id", "The identifier of the flow module.").from_member(LSD, "Id", Read::AsIs),
        Field::text(
            "contact_flow_module_arn",
            "The identifier of the contact flow module (ARN).",
        )
        .own_arn()
        .cfn("ContactFlowModuleArn")
        .read_only()
        .from_member(LSD, "Arn", Read::AsIs),
        Field::text("name", "The name of the contact flow module.")
            .cfn("Name")
            .required()
            .from_member(LSD, "Name", Read::AsIs),
        Field::text("content", "The content of the contact flow module in JSON format.")
            .cfn("Content")
            .required()
            .from_member(D, "Content", Read::AsIs)
            .note("a JSON document: DescribeContactFlowModule per module, only when referenced")
            .content(),
        Field::text("description", "The description of the contact flow module.")
            .cfn("Description")
            .from_member(SD, "Description", Read::AsIs),
        Field::text("state", "The state of the contact flow module.")
            .cfn("State")
            .from_member(LSD, "State", Read::AsIs)
            .note("ACTIVE | ARCHIVED")
            .created_as("ACTIVE"),
        Field::text("status", "The status of the contact flow module.")
            .cfn("Status")
            .read_only()
            .from_member(SD, "Status", Read::AsIs)
            .note("PUBLISHED | SAVED"),
        Field::tags(SD),
        Field::text(
            "settings",
            "The schema of the settings for contact flow module in JSON Schema V4 format.",
        )
        .cfn("Settings")
        .from_member(SD, "Settings", Read::AsIs),
        Field::new(
            "external_invocation_configuration",
            FieldType::Object,
            "Defines the external invocation configuration of the flow module resource",
        )
        .cfn("ExternalInvocationConfiguration")
        .from_member(SD, "ExternalInvocationConfiguration", Read::AsIs)
        .paths(&[".Enabled"]),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.contact_flow_module WHERE region = 'us-east-1' AND data__Identifier = '<module ARN, or id or name with data__InstanceId>';",
        "SELECT name, state FROM aws.connect.contact_flow_modules WHERE region = 'us-east-1' AND data__InstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: Some("name"),
};

/// What changes a contact flow module: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::CreateContactFlowModule,
        members: &[
            ("Name", "name"),
            ("Description", "description"),
            ("Content", "content"),
            ("Settings", "settings"),
            (
                "ExternalInvocationConfiguration",
                "external_invocation_configuration",
            ),
        ],
        remove: None,
    }),
    updates: &[
        WriteOp {
            op: Op::UpdateContactFlowModuleContent,
            members: &[("Content", "content"), ("Settings", "settings")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdateContactFlowModuleMetadata,
            members: &[
                ("Name", "name"),
                ("Description", "description"),
                ("State", "state"),
            ],
            remove: None,
        },
    ],
    delete: Deletion::By(Op::DeleteContactFlowModule),
    tags: true,
    each_key: None,
    check_create: None,
};
