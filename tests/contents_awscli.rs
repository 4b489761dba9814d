//! The contents of an instance, cross-checked with the AWS CLI: fixtures
//! are created with `aws connect create-*`, and connectql reads them back —
//! by ARN, by id, by name and through the instance alias — equal, field for
//! field, nulls included, to what the AWS CLI answers.
//!
//! The expected rows are derived here, from the CLI's JSON and the
//! CloudFormation schemas in `tests/data/cfn/` alone, never through
//! connectql's catalog: every CloudFormation property is a field named in
//! snake_case, holding the CLI member of the same name, or the ARN of the
//! member that names an item by id (`HoursOfOperationId` →
//! `HoursOfOperationArn`, looked up in the CLI's own listings), or null
//! where the CLI's answer has neither. The fields Describe does not supply
//! are read with the CLI call that does, each with its reason.

use std::collections::HashMap;

use serde_json::{json, Value};

mod common;

#[path = "common/cli_rows.rs"]
mod cli_rows;
#[path = "common/statements.rs"]
mod statements;

use cli_rows::{assert_row, expected_row, instance, tag_list, Source};
use common::{query_json, Emulator};
use statements::{one, REGION};

/// Every id → ARN pair the CLI lists in the instance (queues, hours,
/// profiles, users, flows...), to turn an `...Id` member into its ARN.
fn arns_by_id(emu: &Emulator, iid: &str) -> HashMap<String, String> {
    let mut arns = HashMap::new();
    for (cmd, member) in [
        ("list-queues", "QueueSummaryList"),
        ("list-hours-of-operations", "HoursOfOperationSummaryList"),
        ("list-routing-profiles", "RoutingProfileSummaryList"),
        ("list-security-profiles", "SecurityProfileSummaryList"),
        ("list-users", "UserSummaryList"),
        (
            "list-user-hierarchy-groups",
            "UserHierarchyGroupSummaryList",
        ),
        ("list-contact-flows", "ContactFlowSummaryList"),
        ("list-quick-connects", "QuickConnectSummaryList"),
    ] {
        let listed = emu.aws(REGION, &["connect", cmd, "--instance-id", iid]);
        for item in listed[member].as_array().unwrap() {
            arns.insert(
                item["Id"].as_str().unwrap().to_string(),
                item["Arn"].as_str().unwrap().to_string(),
            );
        }
    }
    arns
}

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn created_with_the_aws_cli_read_back_field_for_field() {
    let emu = Emulator::start(&["--demo-data"]);
    let (iid, iarn) = instance(&emu, "acme-support");
    let cli = |args: &[&str]| {
        let mut full = vec!["connect"];
        full.extend_from_slice(args);
        emu.aws(REGION, &full)
    };

    let hours = cli(&[
        "create-hours-of-operation",
        "--instance-id",
        &iid,
        "--name",
        "Fixture Hours",
        "--description",
        "weekdays nine to five",
        "--time-zone",
        "Europe/London",
        "--config",
        &json!([
            {"Day": "MONDAY", "StartTime": {"Hours": 9, "Minutes": 0}, "EndTime": {"Hours": 17, "Minutes": 0}},
            {"Day": "FRIDAY", "StartTime": {"Hours": 9, "Minutes": 30}, "EndTime": {"Hours": 16, "Minutes": 0}}
        ])
        .to_string(),
        "--tags",
        "team=fixtures",
    ]);
    let hours_id = hours["HoursOfOperationId"].as_str().unwrap().to_string();
    let queue = cli(&[
        "create-queue",
        "--instance-id",
        &iid,
        "--name",
        "Fixture Queue",
        "--description",
        "for the cross-check",
        "--hours-of-operation-id",
        &hours_id,
        "--max-contacts",
        "7",
        "--tags",
        "team=fixtures",
    ]);
    let queue_id = queue["QueueId"].as_str().unwrap().to_string();
    let profile = cli(&[
        "create-routing-profile",
        "--instance-id",
        &iid,
        "--name",
        "Fixture Profile",
        "--description",
        "voice and chat",
        "--default-outbound-queue-id",
        &queue_id,
        "--media-concurrencies",
        &json!([{"Channel": "VOICE", "Concurrency": 1}, {"Channel": "CHAT", "Concurrency": 2}]).to_string(),
        "--queue-configs",
        &json!([{"QueueReference": {"QueueId": queue_id, "Channel": "VOICE"}, "Priority": 1, "Delay": 0}]).to_string(),
    ]);
    let profile_id = profile["RoutingProfileId"].as_str().unwrap().to_string();
    let security = cli(&["list-security-profiles", "--instance-id", &iid]);
    let agent_profile = security["SecurityProfileSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Name"] == "Agent")
        .expect("a new instance has the Agent security profile")["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let user = cli(&[
        "create-user",
        "--instance-id",
        &iid,
        "--username",
        "fixture.user",
        "--password",
        "Fixture-Passw0rd!",
        "--identity-info",
        &json!({"FirstName": "Fix", "LastName": "Ture", "Email": "fixture.user@example.com"})
            .to_string(),
        "--phone-config",
        &json!({"PhoneType": "SOFT_PHONE", "AutoAccept": false, "AfterContactWorkTimeLimit": 30})
            .to_string(),
        "--security-profile-ids",
        &agent_profile,
        "--routing-profile-id",
        &profile_id,
        "--tags",
        "team=fixtures",
    ]);
    let user_id = user["UserId"].as_str().unwrap().to_string();
    let user_arn = user["UserArn"].as_str().unwrap().to_string();

    let arns = arns_by_id(&emu, &iid);
    let source = |doc, own_arn, own_id| Source {
        doc,
        own_arn,
        own_id,
        renames: &[],
        instance_arn: &iarn,
        instance_alias: "acme-support",
        arns: &arns,
    };
    // The fixtures have no email addresses, overrides or child hours: the
    // CLI lists none, so these fields are empty lists.
    let none = |args: &[&str], member: &str| -> Value {
        let listed = cli(args)[member].clone();
        assert_eq!(listed, json!([]), "{args:?}: the fixtures have none");
        listed
    };

    // Users: by ARN, by id and by name in the instance named by alias.
    let described = cli(&[
        "describe-user",
        "--instance-id",
        &iid,
        "--user-id",
        &user_id,
    ])["User"]
        .clone();
    // DescribeUser leaves out proficiencies (ListUserProficiencies has
    // them); it never returns a password (write-only: null), and these
    // fixtures have no directory user or hierarchy group (null).
    let proficiencies = cli(&[
        "list-user-proficiencies",
        "--instance-id",
        &iid,
        "--user-id",
        &user_id,
    ])["UserProficiencyList"]
        .clone();
    let expected = expected_row(
        "aws-connect-user.json",
        &["id", "last_modified_time", "last_modified_region"],
        &source(&described, "UserArn", "Id"),
        &[("user_proficiencies", proficiencies)],
    );
    assert_eq!(expected["password"], Value::Null);
    assert_eq!(
        expected["identity_info"]["Email"],
        "fixture.user@example.com"
    );
    for ident in [
        format!("data__Identifier = '{user_arn}'"),
        format!("data__InstanceId = 'acme-support' AND data__Identifier = '{user_id}'"),
        "data__InstanceId = 'acme-support' AND data__Identifier = 'fixture.user'".to_string(),
    ] {
        let row = one(
            &emu,
            &format!("SELECT * FROM aws.connect.user WHERE {ident}"),
        );
        assert_row(&format!("user ({ident})"), &row, &expected);
    }
    // The plural table, through the alias, with the same values.
    let row = one(
        &emu,
        "SELECT * FROM aws.connect.users WHERE data__InstanceId = 'acme-support' AND username = 'fixture.user'",
    );
    assert_row("users", &row, &expected);
    // Read from SearchUsers alone (which answers milliseconds), the same seconds.
    let row = one(
        &emu,
        "SELECT phone_config FROM aws.connect.users WHERE data__InstanceId = 'acme-support' AND username = 'fixture.user'",
    );
    assert_eq!(row["phone_config"], described["PhoneConfig"]);

    // Queues. DescribeQueue leaves out the quick connects
    // (ListQueueQuickConnects), the email addresses
    // (ListQueueEmailAddresses) and the type (ListQueues).
    let described = cli(&[
        "describe-queue",
        "--instance-id",
        &iid,
        "--queue-id",
        &queue_id,
    ])["Queue"]
        .clone();
    let quick_connects: Value = cli(&[
        "list-queue-quick-connects",
        "--instance-id",
        &iid,
        "--queue-id",
        &queue_id,
    ])["QuickConnectSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["Arn"].clone())
        .collect();
    let queue_type = cli(&["list-queues", "--instance-id", &iid])["QueueSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["Id"] == json!(queue_id))
        .unwrap()["QueueType"]
        .clone();
    let queue_expected = expected_row(
        "aws-connect-queue.json",
        &["id", "last_modified_time", "last_modified_region"],
        &source(&described, "QueueArn", "QueueId"),
        &[
            ("quick_connect_arns", quick_connects),
            (
                "additional_email_addresses",
                none(
                    &[
                        "list-queue-email-addresses",
                        "--instance-id",
                        &iid,
                        "--queue-id",
                        &queue_id,
                    ],
                    "EmailAddressMetadataList",
                ),
            ),
            ("type", queue_type),
        ],
    );
    assert_eq!(queue_expected["max_contacts"], 7);

    // Routing profiles. DescribeRoutingProfile leaves out the queues
    // (ListRoutingProfileQueues, as CloudFormation's QueueReference) and
    // the manual-assignment queues.
    let described = cli(&[
        "describe-routing-profile",
        "--instance-id",
        &iid,
        "--routing-profile-id",
        &profile_id,
    ])["RoutingProfile"]
        .clone();
    let queue_configs: Value = cli(&[
        "list-routing-profile-queues",
        "--instance-id",
        &iid,
        "--routing-profile-id",
        &profile_id,
    ])["RoutingProfileQueueConfigSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            json!({
                "QueueReference": {"QueueArn": q["QueueArn"], "Channel": q["Channel"]},
                "Priority": q["Priority"],
                "Delay": q["Delay"],
            })
        })
        .collect();
    let profile_expected = expected_row(
        "aws-connect-routingprofile.json",
        &[
            "id",
            "associated_queue_arns",
            "number_of_associated_queues",
            "number_of_associated_users",
            "is_default",
            "last_modified_time",
            "last_modified_region",
        ],
        &source(&described, "RoutingProfileArn", "RoutingProfileId"),
        &[
            ("queue_configs", queue_configs),
            (
                "manual_assignment_queue_configs",
                none(
                    &[
                        "list-routing-profile-manual-assignment-queues",
                        "--instance-id",
                        &iid,
                        "--routing-profile-id",
                        &profile_id,
                    ],
                    "RoutingProfileManualAssignmentQueueConfigSummaryList",
                ),
            ),
        ],
    );
    assert_eq!(profile_expected["queue_configs"][0]["Priority"], 1);

    // Hours of operation. DescribeHoursOfOperation leaves out the
    // overrides and the children (their own List calls).
    let described = cli(&[
        "describe-hours-of-operation",
        "--instance-id",
        &iid,
        "--hours-of-operation-id",
        &hours_id,
    ])["HoursOfOperation"]
        .clone();
    let hours_expected = expected_row(
        "aws-connect-hoursofoperation.json",
        &["id", "last_modified_time", "last_modified_region"],
        &source(&described, "HoursOfOperationArn", "HoursOfOperationId"),
        &[
            (
                "hours_of_operation_overrides",
                none(
                    &[
                        "list-hours-of-operation-overrides",
                        "--instance-id",
                        &iid,
                        "--hours-of-operation-id",
                        &hours_id,
                    ],
                    "HoursOfOperationOverrideList",
                ),
            ),
            (
                "child_hours_of_operations",
                none(
                    &[
                        "list-child-hours-of-operations",
                        "--instance-id",
                        &iid,
                        "--hours-of-operation-id",
                        &hours_id,
                    ],
                    "ChildHoursOfOperationsSummaryList",
                ),
            ),
        ],
    );
    assert_eq!(hours_expected["time_zone"], "Europe/London");

    for (table, expected, id, name) in [
        ("queue", &queue_expected, queue_id.as_str(), "Fixture Queue"),
        (
            "routing_profile",
            &profile_expected,
            profile_id.as_str(),
            "Fixture Profile",
        ),
        (
            "hours_of_operation",
            &hours_expected,
            hours_id.as_str(),
            "Fixture Hours",
        ),
    ] {
        let arn = expected[&format!("{table}_arn")]
            .as_str()
            .unwrap()
            .to_string();
        for ident in [
            format!("data__Identifier = '{arn}'"),
            format!("data__InstanceId = '{iarn}' AND data__Identifier = '{id}'"),
            format!("data__InstanceId = 'acme-support' AND data__Identifier = '{name}'"),
        ] {
            let row = one(
                &emu,
                &format!("SELECT * FROM aws.connect.{table} WHERE {ident}"),
            );
            assert_row(&format!("{table} ({ident})"), &row, expected);
        }
    }
}

/// One resource of issue-10 kind: how the AWS CLI lists and describes it,
/// and how its answer reads as the CloudFormation type.
struct Kind {
    table: &'static str,
    cfn: &'static str,
    list: &'static [&'static str],
    list_member: &'static str,
    /// (describe command, id flag, answer member); None for list-only kinds.
    describe: Option<(&'static str, &'static str, &'static str)>,
    id: &'static str,
    arn: Option<&'static str>,
    name: &'static str,
    /// Describe takes no instance (phone numbers).
    describe_without_instance: bool,
    own_arn: &'static str,
    renames: &'static [(&'static str, &'static str)],
    extras: &'static [&'static str],
}

/// The usual extras of a described item.
const EXTRAS: &[&str] = &["id", "last_modified_time", "last_modified_region"];

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn the_rest_of_the_instance_reads_like_the_aws_cli() {
    let emu = Emulator::start(&["--demo-data"]);
    let (iid, iarn) = instance(&emu, "acme-support");
    let kinds = [
        Kind {
            table: "contact_flow",
            cfn: "aws-connect-contactflow.json",
            list: &["list-contact-flows"],
            list_member: "ContactFlowSummaryList",
            describe: Some(("describe-contact-flow", "--contact-flow-id", "ContactFlow")),
            id: "Id",
            arn: Some("Arn"),
            name: "Name",
            describe_without_instance: false,
            own_arn: "ContactFlowArn",
            renames: &[],
            extras: &["id", "status", "last_modified_time", "last_modified_region"],
        },
        Kind {
            table: "contact_flow_module",
            cfn: "aws-connect-contactflowmodule.json",
            list: &["list-contact-flow-modules"],
            list_member: "ContactFlowModulesSummaryList",
            describe: Some((
                "describe-contact-flow-module",
                "--contact-flow-module-id",
                "ContactFlowModule",
            )),
            id: "Id",
            arn: Some("Arn"),
            name: "Name",
            describe_without_instance: false,
            own_arn: "ContactFlowModuleArn",
            renames: &[],
            extras: &["id"],
        },
        Kind {
            table: "phone_number",
            cfn: "aws-connect-phonenumber.json",
            list: &["list-phone-numbers-v2"],
            list_member: "ListPhoneNumbersSummaryList",
            describe: Some((
                "describe-phone-number",
                "--phone-number-id",
                "ClaimedPhoneNumberSummary",
            )),
            id: "PhoneNumberId",
            arn: Some("PhoneNumberArn"),
            name: "PhoneNumber",
            describe_without_instance: true,
            own_arn: "PhoneNumberArn",
            renames: &[
                ("Description", "PhoneNumberDescription"),
                ("Type", "PhoneNumberType"),
                ("CountryCode", "PhoneNumberCountryCode"),
                ("Address", "PhoneNumber"),
                ("Status", "PhoneNumberStatus"),
                ("Id", "PhoneNumberId"),
            ],
            // Prefix is an input of a search for a number to claim, and
            // SourcePhoneNumberArn one of an import: the CLI's answer has
            // neither (null).
            extras: &["id", "instance_arn", "status", "contact_flow_arn"],
        },
        Kind {
            table: "security_profile",
            cfn: "aws-connect-securityprofile.json",
            list: &["list-security-profiles"],
            list_member: "SecurityProfileSummaryList",
            describe: Some((
                "describe-security-profile",
                "--security-profile-id",
                "SecurityProfile",
            )),
            id: "Id",
            arn: Some("Arn"),
            name: "Name",
            describe_without_instance: false,
            own_arn: "SecurityProfileArn",
            renames: &[],
            extras: &["id"],
        },
        Kind {
            table: "quick_connect",
            cfn: "aws-connect-quickconnect.json",
            list: &["list-quick-connects"],
            list_member: "QuickConnectSummaryList",
            describe: Some((
                "describe-quick-connect",
                "--quick-connect-id",
                "QuickConnect",
            )),
            id: "Id",
            arn: Some("Arn"),
            name: "Name",
            describe_without_instance: false,
            own_arn: "QuickConnectArn",
            renames: &[("Id", "QuickConnectId")],
            extras: EXTRAS,
        },
        Kind {
            table: "user_hierarchy_group",
            cfn: "aws-connect-userhierarchygroup.json",
            list: &["list-user-hierarchy-groups"],
            list_member: "UserHierarchyGroupSummaryList",
            describe: Some((
                "describe-user-hierarchy-group",
                "--hierarchy-group-id",
                "HierarchyGroup",
            )),
            id: "Id",
            arn: Some("Arn"),
            name: "Name",
            describe_without_instance: false,
            own_arn: "UserHierarchyGroupArn",
            renames: &[],
            extras: &[
                "id",
                "level_id",
                "hierarchy_path",
                "last_modified_time",
                "last_modified_region",
            ],
        },
        Kind {
            table: "prompt",
            cfn: "aws-connect-prompt.json",
            list: &["list-prompts"],
            list_member: "PromptSummaryList",
            describe: Some(("describe-prompt", "--prompt-id", "Prompt")),
            id: "Id",
            arn: Some("Arn"),
            name: "Name",
            describe_without_instance: false,
            own_arn: "PromptArn",
            // S3Uri is write-only: the CLI's answer has none (null).
            renames: &[("Id", "PromptId")],
            extras: EXTRAS,
        },
        Kind {
            table: "agent_status",
            cfn: "aws-connect-agentstatus.json",
            list: &["list-agent-statuses"],
            list_member: "AgentStatusSummaryList",
            describe: Some(("describe-agent-status", "--agent-status-id", "AgentStatus")),
            id: "Id",
            arn: Some("Arn"),
            name: "Name",
            describe_without_instance: false,
            own_arn: "AgentStatusArn",
            // ResetOrderNumber is write-only, and this status has no
            // DisplayOrder in the CLI's answer (both null).
            renames: &[("Id", "AgentStatusId")],
            extras: &["id"],
        },
        Kind {
            table: "instance_storage_config",
            cfn: "aws-connect-instancestorageconfig.json",
            list: &[
                "list-instance-storage-configs",
                "--resource-type",
                "CALL_RECORDINGS",
            ],
            list_member: "StorageConfigs",
            describe: None,
            id: "AssociationId",
            arn: None,
            name: "AssociationId",
            describe_without_instance: false,
            own_arn: "",
            renames: &[],
            extras: &[],
        },
        Kind {
            table: "integration_association",
            cfn: "aws-connect-integrationassociation.json",
            list: &["list-integration-associations"],
            list_member: "IntegrationAssociationSummaryList",
            describe: None,
            id: "IntegrationAssociationId",
            arn: None,
            name: "IntegrationArn",
            describe_without_instance: false,
            own_arn: "IntegrationAssociationArn",
            renames: &[],
            extras: &[
                "integration_association_arn",
                "source_application_url",
                "source_application_name",
                "source_type",
            ],
        },
    ];
    let arns = arns_by_id(&emu, &iid);
    for k in &kinds {
        let mut args = vec!["connect"];
        args.extend_from_slice(k.list);
        args.extend(["--instance-id", iid.as_str()]);
        let mut listed = emu.aws(REGION, &args);
        if k.table == "contact_flow_module"
            && listed[k.list_member]
                .as_array()
                .is_some_and(|a| a.is_empty())
        {
            // The demo has none: make one as a user would.
            emu.aws(
                REGION,
                &[
                    "connect",
                    "create-contact-flow-module",
                    "--instance-id",
                    &iid,
                    "--name",
                    "Fixture Module",
                    "--description",
                    "a module",
                    "--content",
                    r#"{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"EndFlowModuleExecution","Parameters":{},"Transitions":{}}],"Settings":{"InputParameters":[],"OutputParameters":[],"Transitions":[]}}"#,
                ],
            );
            listed = emu.aws(REGION, &args);
        }
        let items = listed[k.list_member]
            .as_array()
            .unwrap_or_else(|| panic!("{}: {listed}", k.table));
        assert!(!items.is_empty(), "{}: the demo has some", k.table);
        // The last item: past the defaults where there are any.
        let item = items.last().unwrap();
        let id = item[k.id].as_str().unwrap().to_string();
        let doc = match k.describe {
            Some((cmd, flag, member)) => {
                let mut a = vec!["connect", cmd, flag, id.as_str()];
                if !k.describe_without_instance {
                    a.extend(["--instance-id", iid.as_str()]);
                }
                emu.aws(REGION, &a)[member].clone()
            }
            None => item.clone(),
        };
        let cli = |args: &[&str]| {
            let mut full = vec!["connect"];
            full.extend_from_slice(args);
            emu.aws(REGION, &full)
        };
        // What Describe (or List) leaves to other calls.
        let elsewhere: Vec<(&str, Value)> = match k.table {
            "phone_number" => {
                // The flow a number reaches: ListFlowAssociations.
                let flows = cli(&[
                    "list-flow-associations",
                    "--instance-id",
                    &iid,
                    "--resource-type",
                    "VOICE_PHONE_NUMBER",
                ]);
                let flow = flows["FlowAssociationSummaryList"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|f| f["ResourceId"] == doc["PhoneNumberArn"])
                    // FlowId is the flow's ARN in this answer.
                    .map_or(Value::Null, |f| f["FlowId"].clone());
                vec![("contact_flow_arn", flow)]
            }
            "security_profile" => {
                let list = |cmd: &str, member: &str| {
                    cli(&[cmd, "--instance-id", &iid, "--security-profile-id", &id])[member].clone()
                };
                vec![
                    (
                        "permissions",
                        list("list-security-profile-permissions", "Permissions"),
                    ),
                    (
                        "applications",
                        list("list-security-profile-applications", "Applications"),
                    ),
                    (
                        "allowed_flow_modules",
                        list("list-security-profile-flow-modules", "AllowedFlowModules"),
                    ),
                ]
            }
            "quick_connect" => vec![(
                "quick_connect_type",
                doc["QuickConnectConfig"]["QuickConnectType"].clone(),
            )],
            "user_hierarchy_group" => {
                // The parent is the level above the group's own in its path.
                let path = &doc["HierarchyPath"];
                let levels = [
                    "LevelOne",
                    "LevelTwo",
                    "LevelThree",
                    "LevelFour",
                    "LevelFive",
                ];
                let own = levels
                    .iter()
                    .position(|l| path[*l]["Id"] == json!(id))
                    .expect("the group is in its own path");
                let parent = match own {
                    0 => Value::Null,
                    n => path[levels[n - 1]]["Arn"].clone(),
                };
                vec![("parent_group_arn", parent)]
            }
            // The listing is per resource type: its answer does not repeat it.
            "instance_storage_config" => vec![("resource_type", json!("CALL_RECORDINGS"))],
            "integration_association" => {
                let arn = doc["IntegrationAssociationArn"].as_str().unwrap();
                let tags = cli(&["list-tags-for-resource", "--resource-arn", arn]);
                vec![
                    // CloudFormation's InstanceId holds the instance's ARN.
                    ("instance_id", json!(iarn)),
                    ("tags", tag_list(&tags["tags"])),
                ]
            }
            _ => Vec::new(),
        };
        let source = Source {
            doc: &doc,
            own_arn: k.own_arn,
            own_id: "Id",
            renames: k.renames,
            instance_arn: &iarn,
            instance_alias: "acme-support",
            arns: &arns,
        };
        let expected = expected_row(k.cfn, k.extras, &source, &elsewhere);
        let mut idents = vec![
            format!("data__InstanceId = 'acme-support' AND data__Identifier = '{id}'"),
            format!(
                "data__InstanceId = '{iarn}' AND data__Identifier = '{}'",
                item[k.name].as_str().unwrap().replace('\'', "''")
            ),
        ];
        if let Some(a) = k.arn {
            idents.push(format!(
                "data__Identifier = '{}'",
                item[a].as_str().unwrap()
            ));
        }
        for ident in idents {
            let row = one(
                &emu,
                &format!("SELECT * FROM aws.connect.{} WHERE {ident}", k.table),
            );
            assert_row(&format!("{} ({ident})", k.table), &row, &expected);
        }
    }
    // Approved origins are plain strings.
    let origins = emu.aws(
        REGION,
        &["connect", "list-approved-origins", "--instance-id", &iid],
    );
    let expected: Vec<&str> = origins["Origins"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o.as_str())
        .collect();
    let (ok, values, stderr) = query_json(
        &emu,
        Some(REGION),
        &["SELECT origin, instance_id FROM aws.connect.approved_origins WHERE data__InstanceId = 'acme-support' ORDER BY origin"],
    );
    assert!(ok, "{stderr}");
    let mut got: Vec<&str> = values[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["origin"].as_str().unwrap())
        .collect();
    let mut want = expected.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert!(values[0][0]["instance_id"] == json!(iarn));
    // A security profile's permissions are its ListSecurityProfilePermissions.
    let profiles = emu.aws(
        REGION,
        &["connect", "list-security-profiles", "--instance-id", &iid],
    );
    let admin = profiles["SecurityProfileSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["Name"] == "Admin")
        .unwrap();
    let perms = emu.aws(
        REGION,
        &[
            "connect",
            "list-security-profile-permissions",
            "--instance-id",
            &iid,
            "--security-profile-id",
            admin["Id"].as_str().unwrap(),
        ],
    );
    let row = one(&emu, "SELECT permissions FROM aws.connect.security_profile WHERE data__InstanceId = 'acme-support' AND data__Identifier = 'Admin'");
    assert_eq!(row["permissions"], perms["Permissions"]);
}
