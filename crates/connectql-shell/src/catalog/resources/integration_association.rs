//! `aws.connect.integration_association` /
//! `aws.connect.integration_associations` — AWS::Connect::IntegrationAssociation.
//! Tags are not in the listing: ListTagsForResource on each association's
//! ARN, only when referenced.

use crate::catalog::writes::{Deletion, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{ArnForm, Field, Op, Read, ResourceType, Scope, Source, L};

pub static INTEGRATION_ASSOCIATION: ResourceType = ResourceType {
    singular: "integration_association",
    plural: "integration_associations",
    cfn_type: "AWS::Connect::IntegrationAssociation",
    description: "The integrations of an instance (Lex bots, Lambda functions, apps, Voice ID...).",
    scope: Scope::Instance,
    arn: ArnForm::None,
    id_field: "integration_association_id",
    // Tags change on this ARN (TagResource).
    arn_field: Some("integration_association_arn"),
    name_field: "integration_arn",
    list: Some(Op::ListIntegrationAssociations),
    search: None,
    describe: None,
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::text(
            "integration_association_id",
            "The identifier for the integration association.",
        )
        .cfn("IntegrationAssociationId")
        .read_only()
        .from_member(L, "IntegrationAssociationId", Read::AsIs),
        Field::text(
            "instance_id",
            "The instance of the association (its ARN, as CloudFormation has it).",
        )
        .cfn("InstanceId")
        .required()
        .create_only()
        .from(Source::InstanceArn),
        Field::instance_alias(),
        Field::text("integration_arn", "The ARN of the integration.")
            .outside_arn()
            .cfn("IntegrationArn")
            .required()
            .create_only()
            .from_member(L, "IntegrationArn", Read::AsIs),
        Field::text("integration_type", "The integration type.")
            .cfn("IntegrationType")
            .required()
            .create_only()
            .from_member(L, "IntegrationType", Read::AsIs)
            .note("the API's types (EVENT, VOICE_ID, PINPOINT_APP, APPLICATION...); CloudFormation's LEX_BOT and LAMBDA_FUNCTION are other APIs"),
        Field::tags(L)
            .from(Source::SubListing {
                op: Op::ListTagsForResource,
                read: Read::Tags,
                when: None,
                key: Some("integration_association_arn"),
            })
            .note("ListTagsForResource per association, only when referenced"),
        Field::text(
            "integration_association_arn",
            "The Amazon Resource Name (ARN) for the integration association.",
        )
        .own_arn()
        .from_member(L, "IntegrationAssociationArn", Read::AsIs),
        Field::text("source_application_url", "The URL for the external application.")
            .from_member(L, "SourceApplicationUrl", Read::AsIs),
        Field::text("source_application_name", "The user-provided, friendly name for the external application.")
            .from_member(L, "SourceApplicationName", Read::AsIs),
        Field::text("source_type", "The name of the source.")
            .from_member(L, "SourceType", Read::AsIs),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.integration_association WHERE region = 'us-east-1' AND data__InstanceId = '<instance>' AND data__Identifier = '<association id>';",
        "SELECT instance_id, integration_type, integration_arn FROM aws.connect.integration_associations WHERE region = 'us-east-1';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: None,
};

/// What changes a integration association: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::CreateIntegrationAssociation,
        members: &[
            ("IntegrationType", "integration_type"),
            ("IntegrationArn", "integration_arn"),
            ("SourceApplicationUrl", "source_application_url"),
            ("SourceApplicationName", "source_application_name"),
            ("SourceType", "source_type"),
        ],
        remove: None,
    }),
    updates: &[],
    delete: Deletion::By(Op::DeleteIntegrationAssociation),
    tags: true,
    each_key: None,
    check_create: None,
};
