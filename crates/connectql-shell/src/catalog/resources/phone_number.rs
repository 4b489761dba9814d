//! `aws.connect.phone_number` / `aws.connect.phone_numbers` —
//! AWS::Connect::PhoneNumber: the numbers claimed to an instance
//! (ListPhoneNumbersV2 by instance). Tags and status only come from
//! DescribePhoneNumber; the flow a number reaches from the instance's
//! ListFlowAssociations, once per instance, when referenced.

use crate::catalog::writes::{Deletion, Removal, Shape, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{ArnForm, Field, FieldType, Op, Read, ResourceType, Scope, Source, D, LD};

pub static PHONE_NUMBER: ResourceType = ResourceType {
    singular: "phone_number",
    plural: "phone_numbers",
    cfn_type: "AWS::Connect::PhoneNumber",
    description: "The phone numbers claimed to an instance.",
    scope: Scope::Instance,
    arn: ArnForm::Account("phone-number"),
    id_field: "id",
    arn_field: Some("phone_number_arn"),
    name_field: "address",
    list: Some(Op::ListPhoneNumbersV2),
    search: None,
    describe: Some(Op::DescribePhoneNumber),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn_extra(),
        Field::instance_alias(),
        Field::text("id", "The identifier of the phone number.")
            .from_member(LD, "PhoneNumberId", Read::AsIs),
        Field::text("target_arn", "The ARN of the target the phone number is claimed to.")
            .arn_of("instance")
            .cfn("TargetArn")
            .required()
            .from_member(LD, "TargetArn", Read::AsIs),
        Field::text("phone_number_arn", "The phone number ARN")
            .own_arn()
            .cfn("PhoneNumberArn")
            .read_only()
            .from_member(LD, "PhoneNumberArn", Read::AsIs),
        Field::text("description", "The description of the phone number.")
            .cfn("Description")
            .from_member(LD, "PhoneNumberDescription", Read::AsIs),
        Field::text("type", "The phone number type")
            .cfn("Type")
            .create_only()
            .from_member(LD, "PhoneNumberType", Read::AsIs)
            .note("TOLL_FREE | DID | UIFN | SHARED | THIRD_PARTY_TF | THIRD_PARTY_DID | SHORT_CODE"),
        Field::text("country_code", "The phone number country code.")
            .cfn("CountryCode")
            .create_only()
            .from_member(LD, "PhoneNumberCountryCode", Read::AsIs),
        Field::text("prefix", "The phone number prefix.")
            .cfn("Prefix")
            .create_only()
            .write_only()
            .from(Source::Unavailable("input-only when claiming a number: no read operation returns it")),
        Field::text("address", "The phone number e164 address.")
            .cfn("Address")
            .read_only()
            .from_member(LD, "PhoneNumber", Read::AsIs),
        Field::tags(D),
        Field::text("source_phone_number_arn", "The source phone number arn.")
            .arn_of("phone_number")
            .cfn("SourcePhoneNumberArn")
            .create_only()
            .from_member(LD, "SourcePhoneNumberArn", Read::AsIs),
        Field::new(
            "status",
            FieldType::Object,
            "The status of the phone number: CLAIMED, IN_PROGRESS or FAILED, with a message.",
        )
        .from_member(D, "PhoneNumberStatus", Read::AsIs)
        .paths(&[".Status", ".Message"]),
        Field::text("contact_flow_arn", "The flow the number is associated with (voice).")
            .arn_of("contact_flow")
            .from(Source::Joined {
                op: Op::ListFlowAssociations,
                key: "ResourceId",
                value: "FlowId",
                read: Read::AsIs,
            })
            .note("ListFlowAssociations (VOICE_PHONE_NUMBER) once per instance, only when referenced")
            .written(&Shape::Id("contact-flow")),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.phone_number WHERE region = 'us-east-1' AND data__Identifier = '<phone number ARN, id or +E.164 address>';",
        "SELECT address, type, contact_flow_arn FROM aws.connect.phone_numbers WHERE region = 'us-east-1' AND data__InstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: None,
};

/// What changes a phone number: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::ClaimPhoneNumber,
        members: &[
            ("PhoneNumber", "address"),
            ("TargetArn", "target_arn"),
            ("PhoneNumberDescription", "description"),
        ],
        remove: None,
    }),
    updates: &[
        WriteOp {
            op: Op::UpdatePhoneNumberMetadata,
            members: &[("PhoneNumberDescription", "description")],
            remove: None,
        },
        WriteOp {
            op: Op::UpdatePhoneNumber,
            members: &[("TargetArn", "target_arn")],
            remove: None,
        },
        WriteOp {
            op: Op::AssociatePhoneNumberContactFlow,
            members: &[("ContactFlowId", "contact_flow_arn")],
            remove: Some(Removal {
                names_instance: true,
                ..Removal::of(Op::DisassociatePhoneNumberContactFlow)
            }),
        },
    ],
    delete: Deletion::By(Op::ReleasePhoneNumber),
    tags: true,
    each_key: None,
    check_create: None,
};
