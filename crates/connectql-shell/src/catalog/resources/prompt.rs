//! `aws.connect.prompt` / `aws.connect.prompts` — AWS::Connect::Prompt.

use crate::catalog::writes::{Deletion, WriteOp, Writes};
use crate::catalog::SelectMethods;
use crate::catalog::{ArnForm, Field, Op, Read, ResourceType, Scope, Source, L, LSD, SD};

pub static PROMPT: ResourceType = ResourceType {
    singular: "prompt",
    plural: "prompts",
    cfn_type: "AWS::Connect::Prompt",
    description: "The prompts (recorded audio) of an instance.",
    scope: Scope::Instance,
    arn: ArnForm::Instance("prompt"),
    id_field: "id",
    arn_field: Some("prompt_arn"),
    name_field: "name",
    list: Some(Op::ListPrompts),
    search: Some(Op::SearchPrompts),
    describe: Some(Op::DescribePrompt),
    fields: &[
        Field::region(),
        Field::profile(),
        Field::account_id(),
        Field::instance_arn(),
        Field::instance_alias(),
        Field::text("id", "The identifier of the prompt.")
            .from_member(SD, "PromptId", Read::AsIs)
            .or(&[Source::Member {
                calls: L,
                member: "Id",
                read: Read::AsIs,
            }])
            .search("resourceID"),
        Field::text("name", "The name of the prompt.")
            .cfn("Name")
            .required()
            .from_member(LSD, "Name", Read::AsIs)
            .search("name"),
        Field::text("description", "The description of the prompt.")
            .cfn("Description")
            .from_member(SD, "Description", Read::AsIs)
            .search("description"),
        Field::text("s3_uri", "S3 URI of the customer's audio file for creating prompts resource.")
            .cfn("S3Uri")
            .write_only()
            .from(Source::Unavailable(
                "write-only: GetPromptFile returns a presigned URL instead",
            )),
        Field::text("prompt_arn", "The Amazon Resource Name (ARN) for the prompt.")
            .own_arn()
            .cfn("PromptArn")
            .read_only()
            .from_member(SD, "PromptARN", Read::AsIs)
            .or(&[Source::Member {
                calls: L,
                member: "Arn",
                read: Read::AsIs,
            }]),
        Field::tags(SD),
        Field::last_modified_time(LSD),
        Field::last_modified_region(LSD),
    ],
    select: SelectMethods::new(
        "SELECT * FROM aws.connect.prompt WHERE region = 'us-east-1' AND data__Identifier = '<prompt ARN, or id or name with data__InstanceId>';",
        "SELECT name, prompt_arn FROM aws.connect.prompts WHERE region = 'us-east-1' AND data__InstanceId = '<instance ARN, id or alias>';",
    ),
    methods: &[],
    cache_when: None,
    list_over: None,
    writes: &WRITES,
    matched_by: Some("name"),
};

/// What changes a prompt: `catalog/writes.rs`.
pub static WRITES: Writes = Writes {
    create: Some(WriteOp {
        op: Op::CreatePrompt,
        members: &[
            ("Name", "name"),
            ("Description", "description"),
            ("S3Uri", "s3_uri"),
        ],
        remove: None,
    }),
    updates: &[WriteOp {
        op: Op::UpdatePrompt,
        members: &[
            ("Name", "name"),
            ("Description", "description"),
            ("S3Uri", "s3_uri"),
        ],
        remove: None,
    }],
    delete: Deletion::By(Op::DeletePrompt),
    tags: true,
    each_key: None,
    check_create: None,
};
