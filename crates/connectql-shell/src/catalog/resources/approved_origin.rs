//! `aws.connect.approved_origin` / `aws.connect.approved_origins` —
//! AWS::Connect::ApprovedOrigin: the web origins allowed to embed the
//! instance's contact control panel. ListApprovedOrigins answers plain
//! strings, 25 at a time.

use crate::catalog::writes::{Deletion, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{ArnForm, Field, Op, Read, ResourceType, Scope, Source, L};

pub static APPROVED_ORIGIN: ResourceType = ResourceType {
    singular: "approved_origin",
    plural: "approved_origins",
    cfn_type: "AWS::Connect::ApprovedOrigin",
    description: "The approved origins of an instance (domains that may embed its agent app).",
    scope: Scope::Instance,
    arn: ArnForm::None,
    id_field: "origin",
    arn_field: None,
    name_field: "origin",
    list: Some(Op::ListApprovedOrigins),
    search: None,
    describe: None,
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::text("origin", "The domain allowed, e.g. https://www.example.com.")
            .cfn("Origin")
            .required()
            .create_only()
            .from_member(L, "", Read::AsIs),
        Field::text(
            "instance_id",
            "The instance the origin is approved for (its ARN, as CloudFormation has it).",
        )
        .cfn("InstanceId")
        .required()
        .create_only()
        .from(Source::InstanceArn),
        Field::instance_alias(),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.approved_origin WHERE region = 'us-east-1' AND data__InstanceId = '<instance>' AND data__Identifier = 'https://example.com';",
        "SELECT instance_id, origin FROM aws.connect.approved_origins WHERE region = 'us-east-1';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: Some("origin"),
};

/// What changes a approved origin: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::AssociateApprovedOrigin,
        members: &[("Origin", "origin")],
        remove: None,
    }),
    updates: &[],
    delete: Deletion::By(Op::DisassociateApprovedOrigin),
    tags: false,
    each_key: None,
    check_create: None,
};
