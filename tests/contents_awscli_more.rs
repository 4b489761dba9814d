//! Changes of an instance's contents cross-checked with the AWS CLI, both
//! ways, for the resources `tests/contents_awscli.rs` and
//! `contents_changes.rs::the_aws_cli_sees_what_connectql_wrote` leave out:
//! routing profiles, flows and flow modules, security profiles, hierarchy
//! groups, phone numbers, approved origins, integration associations,
//! storage configurations and the instance itself.
//!
//! Each change is made once by connectql (UPDATE / INSERT / DELETE), and the
//! AWS CLI's describe-* / list-* answer holds exactly the written values;
//! once by the AWS CLI (create-* / update-* / tag-resource), and connectql's
//! SELECT reads exactly what it wrote. Either way the whole row connectql
//! reads equals the row derived from the CLI's answers alone
//! (`common/cli_rows.rs`), and a connectql change run again makes no write
//! call.

use serde_json::{json, Map, Value};

#[path = "common/cli_rows.rs"]
mod cli_rows;
mod common;
#[path = "common/statements.rs"]
mod statements;

use cli_rows::{alias_of, assert_row, cli, expected_row, instance, queue_arns, tag_list, Source};
use common::{query_json, Emulator};
use statements::{change, converged, one, REGION};

const ACME: &str = "region = 'us-east-1' AND data__InstanceId = 'acme-support'";

const FLOW: &str = r#"{"Version":"2019-10-30","StartAction":"bye","Actions":[{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}"#;
const OTHER_FLOW: &str = r#"{"Version":"2019-10-30","StartAction":"end","Actions":[{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}"#;
const MODULE: &str = r#"{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"EndFlowModuleExecution","Parameters":{},"Transitions":{}}],"Settings":{"InputParameters":[],"OutputParameters":[],"Transitions":[]}}"#;
const OTHER_MODULE: &str = r#"{"Version":"2019-10-30","StartAction":"b","Actions":[{"Identifier":"b","Type":"EndFlowModuleExecution","Parameters":{},"Transitions":{}}],"Settings":{"InputParameters":[],"OutputParameters":[],"Transitions":[]}}"#;
const SETTINGS: &str = r#"{"InputParameters":[{"Name":"lang","Type":"String"}],"OutputParameters":[],"Transitions":[]}"#;

/// The demo's acme-support instance, as the AWS CLI sees it.
struct Acme {
    emu: Emulator,
    iid: String,
    iarn: String,
}

impl Acme {
    fn start() -> Acme {
        let emu = Emulator::start(&["--demo-data"]);
        let (iid, iarn) = instance(&emu, "acme-support");
        Acme { emu, iid, iarn }
    }

    /// `aws connect <args> --instance-id <acme-support>`.
    fn cli(&self, args: &[&str]) -> Value {
        let mut full = args.to_vec();
        full.extend(["--instance-id", self.iid.as_str()]);
        cli(&self.emu, &full)
    }

    /// A column of the one item a SELECT names.
    fn get(&self, table: &str, column: &str, filter: &str) -> String {
        let row = one(
            &self.emu,
            &format!("SELECT {column} FROM aws.connect.{table} WHERE {ACME} AND {filter}"),
        );
        row[column].as_str().unwrap().to_string()
    }

    /// The names the AWS CLI lists (`list-contact-flows`, its member, the
    /// name's key).
    fn cli_names(&self, cmd: &str, member: &str, key: &str) -> Vec<String> {
        self.cli(&[cmd])[member]
            .as_array()
            .unwrap_or_else(|| panic!("{cmd}: no {member}"))
            .iter()
            .map(|x| x[key].as_str().unwrap().to_string())
            .collect()
    }

    /// The names connectql reads in `table`.
    fn names(&self, table: &str, column: &str) -> Vec<String> {
        let (ok, values, stderr) = query_json(
            &self.emu,
            Some(REGION),
            &[&format!(
                "SELECT {column} FROM aws.connect.{table} WHERE {ACME}"
            )],
        );
        assert!(ok, "{stderr}");
        values[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[column].as_str().unwrap().to_string())
            .collect()
    }

    /// An item deleted by connectql is gone from the CLI's listing, and one
    /// the CLI deletes is gone from connectql's table; both were there.
    #[allow(clippy::too_many_arguments)]
    fn deletes_agree(
        &self,
        (table, column): (&str, &str),
        (list, member, key): (&str, &str, &str),
        by_connectql: &str,
        (delete, flag): (&str, &str),
        by_cli: &str,
        by_cli_id: &str,
    ) {
        for name in [by_connectql, by_cli] {
            assert!(
                self.names(table, column).iter().any(|n| n == name),
                "{table}: {name}"
            );
            assert!(
                self.cli_names(list, member, key).iter().any(|n| n == name),
                "{list}: {name}"
            );
        }
        let calls = change(
            &self.emu,
            &format!(
                "DELETE FROM aws.connect.{table} WHERE {ACME} AND {column} = '{}'",
                by_connectql.replace('\'', "''")
            ),
        );
        assert_eq!(calls.len(), 1, "{calls:?}");
        assert!(
            !self
                .cli_names(list, member, key)
                .iter()
                .any(|n| n == by_connectql),
            "the AWS CLI still lists {by_connectql}"
        );
        self.cli(&[delete, flag, by_cli_id]);
        let left = self.names(table, column);
        assert!(
            !left.iter().any(|n| n == by_cli),
            "connectql still reads {by_cli}"
        );
        assert!(!left.iter().any(|n| n == by_connectql));
    }

    /// The row of `table`'s item `id` derived from the AWS CLI alone.
    fn cli_row(&self, table: &str, id: &str) -> Map<String, Value> {
        let no_arns = Default::default();
        let source = |doc, own_arn, own_id, arns| Source {
            doc,
            own_arn,
            own_id,
            renames: &[],
            instance_arn: &self.iarn,
            instance_alias: "acme-support",
            arns,
        };
        let described =
            |cmd: &str, flag: &str, member: &str| self.cli(&[cmd, flag, id])[member].clone();
        match table {
            "routing_profile" => {
                let doc = described(
                    "describe-routing-profile",
                    "--routing-profile-id",
                    "RoutingProfile",
                );
                let queues: Value = self.cli(&[
                    "list-routing-profile-queues",
                    "--routing-profile-id",
                    id,
                ])["RoutingProfileQueueConfigSummaryList"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|q| {
                        json!({
                            "Delay": q["Delay"],
                            "Priority": q["Priority"],
                            "QueueReference": {"Channel": q["Channel"], "QueueArn": q["QueueArn"]},
                        })
                    })
                    .collect();
                let manual: Value = self.cli(&[
                    "list-routing-profile-manual-assignment-queues",
                    "--routing-profile-id",
                    id,
                ])["RoutingProfileManualAssignmentQueueConfigSummaryList"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|q| {
                        json!({"QueueReference": {"Channel": q["Channel"], "QueueArn": q["QueueArn"]}})
                    })
                    .collect();
                let arns = queue_arns(&self.emu, &self.iid);
                expected_row(
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
                    &source(&doc, "RoutingProfileArn", "RoutingProfileId", &arns),
                    &[
                        ("queue_configs", queues),
                        ("manual_assignment_queue_configs", manual),
                    ],
                )
            }
            "contact_flow" => {
                let doc = described("describe-contact-flow", "--contact-flow-id", "ContactFlow");
                expected_row(
                    "aws-connect-contactflow.json",
                    &["id", "status", "last_modified_time", "last_modified_region"],
                    &source(&doc, "ContactFlowArn", "Id", &no_arns),
                    &[],
                )
            }
            "contact_flow_module" => {
                let doc = described(
                    "describe-contact-flow-module",
                    "--contact-flow-module-id",
                    "ContactFlowModule",
                );
                expected_row(
                    "aws-connect-contactflowmodule.json",
                    &["id"],
                    &source(&doc, "ContactFlowModuleArn", "Id", &no_arns),
                    &[],
                )
            }
            "security_profile" => {
                let doc = described(
                    "describe-security-profile",
                    "--security-profile-id",
                    "SecurityProfile",
                );
                let list = |cmd: &str, member: &str| {
                    self.cli(&[cmd, "--security-profile-id", id])[member].clone()
                };
                expected_row(
                    "aws-connect-securityprofile.json",
                    &["id"],
                    &source(&doc, "SecurityProfileArn", "Id", &no_arns),
                    &[
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
                    ],
                )
            }
            "user_hierarchy_group" => {
                let doc = described(
                    "describe-user-hierarchy-group",
                    "--hierarchy-group-id",
                    "HierarchyGroup",
                );
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
                expected_row(
                    "aws-connect-userhierarchygroup.json",
                    &[
                        "id",
                        "level_id",
                        "hierarchy_path",
                        "last_modified_time",
                        "last_modified_region",
                    ],
                    &source(&doc, "UserHierarchyGroupArn", "Id", &no_arns),
                    &[("parent_group_arn", parent)],
                )
            }
            "integration_association" => {
                let listed = self.cli(&["list-integration-associations"]);
                let doc = listed["IntegrationAssociationSummaryList"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|a| a["IntegrationAssociationId"] == json!(id))
                    .unwrap_or_else(|| panic!("the CLI lists no association {id}: {listed}"))
                    .clone();
                let arn = doc["IntegrationAssociationArn"].as_str().unwrap();
                let tags = cli(
                    &self.emu,
                    &["list-tags-for-resource", "--resource-arn", arn],
                );
                expected_row(
                    "aws-connect-integrationassociation.json",
                    &[
                        "integration_association_arn",
                        "source_application_url",
                        "source_application_name",
                        "source_type",
                    ],
                    &source(&doc, "IntegrationAssociationArn", "Id", &no_arns),
                    // CloudFormation's InstanceId holds the instance's ARN.
                    &[
                        ("instance_id", json!(self.iarn)),
                        ("tags", tag_list(&tags["tags"])),
                    ],
                )
            }
            other => panic!("no CLI row for {other}"),
        }
    }

    /// The CLI sees each `written` field of the item as written, and
    /// connectql reads the whole item as the CLI answers it.
    fn agree(&self, table: &str, id: &str, written: &[(&str, Value)]) -> Map<String, Value> {
        let expected = self.cli_row(table, id);
        for (field, value) in written {
            let seen = if *field == "tags" {
                sorted_tags(&expected[*field])
            } else {
                expected[*field].clone()
            };
            assert_eq!(&seen, value, "the AWS CLI's {table} {id}: {field}");
        }
        let row = one(
            &self.emu,
            &format!(
                "SELECT * FROM aws.connect.{table} WHERE region = '{REGION}' AND data__InstanceId = '{}' AND data__Identifier = '{id}'",
                self.iarn
            ),
        );
        assert_row(&format!("connectql's {table} {id}"), &row, &expected);
        // The plural table reads the same item through List/Search.
        let plural = match table {
            "security_profile" => "security_profiles".to_string(),
            other => format!("{other}s"),
        };
        let id_column = match table {
            "integration_association" => "integration_association_id",
            _ => "id",
        };
        let row = one(
            &self.emu,
            &format!("SELECT * FROM aws.connect.{plural} WHERE {ACME} AND {id_column} = '{id}'"),
        );
        assert_row(&format!("connectql's {plural} {id}"), &row, &expected);
        expected
    }
}

fn sorted_tags(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(list) = v.as_array_mut() {
        list.sort_by(|a, b| a["Key"].as_str().cmp(&b["Key"].as_str()));
    }
    v
}

fn tags(pairs: &[(&str, &str)]) -> Value {
    sorted_tags(
        &pairs
            .iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}

fn id_in(created: &Value, member: &str) -> String {
    created[member]
        .as_str()
        .unwrap_or_else(|| panic!("no {member} in {created}"))
        .to_string()
}

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn routing_profiles_agree_both_ways() {
    let a = Acme::start();
    let billing = a.get("queues", "queue_arn", "name = 'Billing'");

    // connectql writes, the AWS CLI reads.
    let update = format!(
        "UPDATE aws.connect.routing_profiles \
         SET name = 'Tier 2 Renamed', description = 'changed by connectql', \
             media_concurrencies = json('[{{\"Channel\":\"VOICE\",\"Concurrency\":1}},{{\"Channel\":\"CHAT\",\"Concurrency\":5}}]'), \
             default_outbound_queue_arn = 'Billing', agent_availability_timer = 'TIME_SINCE_LAST_INBOUND', \
             tags = json_array(json_object('Key', 'team', 'Value', 'tier2')) \
         WHERE {ACME} AND name = 'Tier 2 Agents'"
    );
    change(&a.emu, &update);
    let id = a.get("routing_profiles", "id", "name = 'Tier 2 Renamed'");
    a.agree(
        "routing_profile",
        &id,
        &[
            ("name", json!("Tier 2 Renamed")),
            ("description", json!("changed by connectql")),
            (
                "media_concurrencies",
                json!([{"Channel": "VOICE", "Concurrency": 1}, {"Channel": "CHAT", "Concurrency": 5}]),
            ),
            ("default_outbound_queue_arn", json!(billing)),
            ("agent_availability_timer", json!("TIME_SINCE_LAST_INBOUND")),
            ("tags", tags(&[("team", "tier2")])),
        ],
    );
    converged(
        &a.emu,
        &update.replace("name = 'Tier 2 Agents'", "name = 'Tier 2 Renamed'"),
    );

    let insert = "INSERT INTO aws.connect.routing_profiles \
         (name, description, default_outbound_queue_arn, media_concurrencies, agent_availability_timer, tags, region, data__InstanceId) \
         VALUES ('Night Shift', 'made by connectql', 'Billing', json_array(json_object('Channel', 'TASK', 'Concurrency', 4)), \
                 'TIME_SINCE_LAST_ACTIVITY', json_array(json_object('Key', 'shift', 'Value', 'night')), 'us-east-1', 'acme-support')";
    change(&a.emu, insert);
    let id = a.get("routing_profiles", "id", "name = 'Night Shift'");
    a.agree(
        "routing_profile",
        &id,
        &[
            ("description", json!("made by connectql")),
            (
                "media_concurrencies",
                json!([{"Channel": "TASK", "Concurrency": 4}]),
            ),
            ("default_outbound_queue_arn", json!(billing)),
            (
                "agent_availability_timer",
                json!("TIME_SINCE_LAST_ACTIVITY"),
            ),
            ("tags", tags(&[("shift", "night")])),
        ],
    );
    converged(&a.emu, insert);

    // The AWS CLI writes, connectql reads.
    let id = a.get("routing_profiles", "id", "name = 'Tier 1 Agents'");
    let vip = a.get("queues", "id", "name = 'VIP Support'");
    let vip_arn = a.get("queues", "queue_arn", "name = 'VIP Support'");
    let arn = a.get(
        "routing_profiles",
        "routing_profile_arn",
        "name = 'Tier 1 Agents'",
    );
    let p = ["--routing-profile-id", id.as_str()];
    a.cli(
        &[
            &[
                "update-routing-profile-name",
                "--name",
                "Tier One",
                "--description",
                "changed by the CLI",
            ],
            &p[..],
        ]
        .concat(),
    );
    a.cli(&[&["update-routing-profile-concurrency", "--media-concurrencies", r#"[{"Channel":"CHAT","Concurrency":7,"CrossChannelBehavior":{"BehaviorType":"ROUTE_ANY_CHANNEL"}}]"#], &p[..]].concat());
    a.cli(
        &[
            &[
                "update-routing-profile-default-outbound-queue",
                "--default-outbound-queue-id",
                &vip,
            ],
            &p[..],
        ]
        .concat(),
    );
    a.cli(
        &[
            &[
                "update-routing-profile-agent-availability-timer",
                "--agent-availability-timer",
                "TIME_SINCE_LAST_INBOUND",
            ],
            &p[..],
        ]
        .concat(),
    );
    cli(
        &a.emu,
        &[
            "tag-resource",
            "--resource-arn",
            &arn,
            "--tags",
            "team=tier1,floor=3",
        ],
    );
    cli(
        &a.emu,
        &[
            "untag-resource",
            "--resource-arn",
            &arn,
            "--tag-keys",
            "floor",
        ],
    );
    a.agree(
        "routing_profile",
        &id,
        &[
            ("name", json!("Tier One")),
            ("description", json!("changed by the CLI")),
            (
                "media_concurrencies",
                json!([{"Channel": "CHAT", "Concurrency": 7, "CrossChannelBehavior": {"BehaviorType": "ROUTE_ANY_CHANNEL"}}]),
            ),
            ("default_outbound_queue_arn", json!(vip_arn)),
            ("agent_availability_timer", json!("TIME_SINCE_LAST_INBOUND")),
            ("tags", tags(&[("team", "tier1")])),
        ],
    );

    // Deleted by each, gone for the other: the profile connectql made goes
    // through the CLI, the demo's unstaffed one through connectql.
    let night = a.get("routing_profiles", "id", "name = 'Night Shift'");
    a.deletes_agree(
        ("routing_profiles", "name"),
        ("list-routing-profiles", "RoutingProfileSummaryList", "Name"),
        "Weekend Overflow",
        ("delete-routing-profile", "--routing-profile-id"),
        "Night Shift",
        &night,
    );
}

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn contact_flows_and_modules_agree_both_ways() {
    let a = Acme::start();

    // connectql writes, the AWS CLI reads: a flow changed and one created.
    let update = format!(
        "UPDATE aws.connect.contact_flows \
         SET name = 'Outbound (archived)', description = 'by connectql', state = 'ARCHIVED', content = '{FLOW}', \
             tags = json_array(json_object('Key', 'owner', 'Value', 'ops')) \
         WHERE {ACME} AND name = 'Default outbound'"
    );
    change(&a.emu, &update);
    let id = a.get("contact_flows", "id", "name = 'Outbound (archived)'");
    a.agree(
        "contact_flow",
        &id,
        &[
            ("name", json!("Outbound (archived)")),
            ("description", json!("by connectql")),
            ("state", json!("ARCHIVED")),
            ("content", json!(FLOW)),
            ("tags", tags(&[("owner", "ops")])),
        ],
    );
    converged(
        &a.emu,
        &update.replace("name = 'Default outbound'", "name = 'Outbound (archived)'"),
    );
    let insert = format!(
        "INSERT INTO aws.connect.contact_flows (name, type, description, content, tags, region, data__InstanceId) \
         VALUES ('Goodbye', 'CONTACT_FLOW', 'says goodbye', '{FLOW}', json_array(json_object('Key', 'owner', 'Value', 'ops')), 'us-east-1', 'acme-support')"
    );
    change(&a.emu, &insert);
    let id = a.get("contact_flows", "id", "name = 'Goodbye'");
    a.agree(
        "contact_flow",
        &id,
        &[
            ("type", json!("CONTACT_FLOW")),
            ("description", json!("says goodbye")),
            ("content", json!(FLOW)),
            ("tags", tags(&[("owner", "ops")])),
        ],
    );

    // Modules: created, then content, settings and metadata changed.
    let insert = format!(
        "INSERT INTO aws.connect.contact_flow_modules (name, description, content, tags, region, data__InstanceId) \
         VALUES ('Greeting', 'a module', '{MODULE}', json_array(json_object('Key', 'owner', 'Value', 'ops')), 'us-east-1', 'acme-support')"
    );
    change(&a.emu, &insert);
    let module = a.get("contact_flow_modules", "id", "name = 'Greeting'");
    a.agree(
        "contact_flow_module",
        &module,
        &[
            ("description", json!("a module")),
            ("content", json!(MODULE)),
            ("state", json!("ACTIVE")),
            ("tags", tags(&[("owner", "ops")])),
        ],
    );
    let update = format!(
        "UPDATE aws.connect.contact_flow_modules \
         SET name = 'Greeting v2', description = 'changed', state = 'ARCHIVED', content = '{OTHER_MODULE}', settings = '{SETTINGS}', \
             tags = json_array(json_object('Key', 'owner', 'Value', 'cx')) \
         WHERE {ACME} AND name = 'Greeting'"
    );
    change(&a.emu, &update);
    a.agree(
        "contact_flow_module",
        &module,
        &[
            ("name", json!("Greeting v2")),
            ("description", json!("changed")),
            ("state", json!("ARCHIVED")),
            ("content", json!(OTHER_MODULE)),
            ("settings", json!(SETTINGS)),
            ("tags", tags(&[("owner", "cx")])),
        ],
    );
    converged(
        &a.emu,
        &update.replace("name = 'Greeting'", "name = 'Greeting v2'"),
    );

    // The AWS CLI writes, connectql reads.
    let flow = id_in(
        &a.cli(&[
            "create-contact-flow",
            "--name",
            "From the CLI",
            "--type",
            "CONTACT_FLOW",
            "--description",
            "made by the CLI",
            "--content",
            FLOW,
            "--tags",
            "owner=cli",
        ]),
        "ContactFlowId",
    );
    a.cli(&[
        "update-contact-flow-content",
        "--contact-flow-id",
        &flow,
        "--content",
        OTHER_FLOW,
    ]);
    a.cli(&[
        "update-contact-flow-metadata",
        "--contact-flow-id",
        &flow,
        "--name",
        "From the CLI, renamed",
        "--description",
        "changed by the CLI",
        "--contact-flow-state",
        "ARCHIVED",
    ]);
    a.agree(
        "contact_flow",
        &flow,
        &[
            ("name", json!("From the CLI, renamed")),
            ("description", json!("changed by the CLI")),
            ("state", json!("ARCHIVED")),
            ("content", json!(OTHER_FLOW)),
            ("tags", tags(&[("owner", "cli")])),
        ],
    );
    let module = id_in(
        &a.cli(&[
            "create-contact-flow-module",
            "--name",
            "CLI module",
            "--description",
            "made by the CLI",
            "--content",
            MODULE,
            "--tags",
            "owner=cli",
        ]),
        "Id",
    );
    a.cli(&[
        "update-contact-flow-module-content",
        "--contact-flow-module-id",
        &module,
        "--content",
        OTHER_MODULE,
        "--settings",
        SETTINGS,
    ]);
    a.cli(&[
        "update-contact-flow-module-metadata",
        "--contact-flow-module-id",
        &module,
        "--name",
        "CLI module v2",
        "--description",
        "changed by the CLI",
        "--state",
        "ARCHIVED",
    ]);
    let arn = a.get(
        "contact_flow_modules",
        "contact_flow_module_arn",
        "name = 'CLI module v2'",
    );
    cli(
        &a.emu,
        &[
            "untag-resource",
            "--resource-arn",
            &arn,
            "--tag-keys",
            "owner",
        ],
    );
    a.agree(
        "contact_flow_module",
        &module,
        &[
            ("name", json!("CLI module v2")),
            ("description", json!("changed by the CLI")),
            ("state", json!("ARCHIVED")),
            ("content", json!(OTHER_MODULE)),
            ("settings", json!(SETTINGS)),
            ("tags", json!([])),
        ],
    );

    a.deletes_agree(
        ("contact_flows", "name"),
        ("list-contact-flows", "ContactFlowSummaryList", "Name"),
        "Goodbye",
        ("delete-contact-flow", "--contact-flow-id"),
        "From the CLI, renamed",
        &flow,
    );
    a.deletes_agree(
        ("contact_flow_modules", "name"),
        (
            "list-contact-flow-modules",
            "ContactFlowModulesSummaryList",
            "Name",
        ),
        "Greeting v2",
        ("delete-contact-flow-module", "--contact-flow-module-id"),
        "CLI module v2",
        &module,
    );
}

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn security_profiles_agree_both_ways() {
    let a = Acme::start();
    let module = id_in(
        &a.cli(&[
            "create-contact-flow-module",
            "--name",
            "Allowed module",
            "--content",
            MODULE,
        ]),
        "Id",
    );
    let group = a.get("user_hierarchy_groups", "id", "name = 'North America'");

    // connectql writes, the AWS CLI reads.
    let update = format!(
        "UPDATE aws.connect.security_profiles \
         SET description = 'leads a team', \
             permissions = json_array('BasicAgentAccess', 'Users.View', 'ListenIn'), \
             applications = json_array(json_object('Namespace', 'Calendar', 'ApplicationPermissions', json_array('ACCESS'))), \
             tag_restricted_resources = json_array('User', 'SecurityProfile'), \
             hierarchy_restricted_resources = json_array('User'), \
             allowed_access_control_hierarchy_group_id = '{group}', \
             allowed_flow_modules = json_array(json_object('Type', 'MCP', 'FlowModuleId', '{module}')), \
             tags = json_array(json_object('Key', 'team', 'Value', 'leads')) \
         WHERE {ACME} AND security_profile_name = 'Team Lead'"
    );
    change(&a.emu, &update);
    let id = a.get(
        "security_profiles",
        "id",
        "security_profile_name = 'Team Lead'",
    );
    a.agree(
        "security_profile",
        &id,
        &[
            ("description", json!("leads a team")),
            (
                "permissions",
                json!(["BasicAgentAccess", "Users.View", "ListenIn"]),
            ),
            (
                "applications",
                json!([{"Namespace": "Calendar", "ApplicationPermissions": ["ACCESS"]}]),
            ),
            (
                "tag_restricted_resources",
                json!(["User", "SecurityProfile"]),
            ),
            ("hierarchy_restricted_resources", json!(["User"])),
            ("allowed_access_control_hierarchy_group_id", json!(group)),
            (
                "allowed_flow_modules",
                json!([{"Type": "MCP", "FlowModuleId": module}]),
            ),
            ("tags", tags(&[("team", "leads")])),
        ],
    );
    converged(&a.emu, &update);
    let insert = "INSERT INTO aws.connect.security_profiles \
         (security_profile_name, description, permissions, tags, region, data__InstanceId) \
         VALUES ('Auditor', 'reads reports', json_array('AccessMetrics', 'ContactSearch.View'), \
                 json_array(json_object('Key', 'team', 'Value', 'audit')), 'us-east-1', 'acme-support')";
    change(&a.emu, insert);
    let id = a.get(
        "security_profiles",
        "id",
        "security_profile_name = 'Auditor'",
    );
    a.agree(
        "security_profile",
        &id,
        &[
            ("description", json!("reads reports")),
            (
                "permissions",
                json!(["AccessMetrics", "ContactSearch.View"]),
            ),
            ("tags", tags(&[("team", "audit")])),
        ],
    );

    // The AWS CLI writes, connectql reads.
    let id = id_in(
        &a.cli(&[
            "create-security-profile",
            "--security-profile-name",
            "CLI Profile",
            "--description",
            "made by the CLI",
            "--permissions",
            "BasicAgentAccess",
            "--tags",
            "owner=cli",
        ]),
        "SecurityProfileId",
    );
    a.cli(&[
        "update-security-profile",
        "--security-profile-id",
        &id,
        "--description",
        "changed by the CLI",
        "--permissions",
        "BasicAgentAccess",
        "OutboundCallAccess",
        "--applications",
        r#"[{"Namespace":"Calendar","ApplicationPermissions":["ACCESS"]}]"#,
        "--tag-restricted-resources",
        "User",
        "--hierarchy-restricted-resources",
        "User",
        "--allowed-access-control-hierarchy-group-id",
        &group,
        "--allowed-flow-modules",
        &json!([{"Type": "MCP", "FlowModuleId": module}]).to_string(),
    ]);
    a.agree(
        "security_profile",
        &id,
        &[
            ("security_profile_name", json!("CLI Profile")),
            ("description", json!("changed by the CLI")),
            (
                "permissions",
                json!(["BasicAgentAccess", "OutboundCallAccess"]),
            ),
            (
                "applications",
                json!([{"Namespace": "Calendar", "ApplicationPermissions": ["ACCESS"]}]),
            ),
            ("tag_restricted_resources", json!(["User"])),
            ("hierarchy_restricted_resources", json!(["User"])),
            ("allowed_access_control_hierarchy_group_id", json!(group)),
            (
                "allowed_flow_modules",
                json!([{"Type": "MCP", "FlowModuleId": module}]),
            ),
            ("tags", tags(&[("owner", "cli")])),
        ],
    );

    a.deletes_agree(
        ("security_profiles", "security_profile_name"),
        (
            "list-security-profiles",
            "SecurityProfileSummaryList",
            "Name",
        ),
        "Auditor",
        ("delete-security-profile", "--security-profile-id"),
        "CLI Profile",
        &id,
    );
}

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn user_hierarchy_groups_agree_both_ways() {
    let a = Acme::start();
    let parent = a.get(
        "user_hierarchy_groups",
        "user_hierarchy_group_arn",
        "name = 'North America'",
    );
    let parent_id = a.get("user_hierarchy_groups", "id", "name = 'North America'");

    // connectql writes, the AWS CLI reads.
    let insert = &format!("INSERT INTO aws.connect.user_hierarchy_groups (name, parent_group_arn, tags, region, data__InstanceId) \
         VALUES ('Denver', '{parent}', json_array(json_object('Key', 'site', 'Value', 'den')), 'us-east-1', 'acme-support')");
    change(&a.emu, insert);
    let id = a.get("user_hierarchy_groups", "id", "name = 'Denver'");
    a.agree(
        "user_hierarchy_group",
        &id,
        &[
            ("name", json!("Denver")),
            ("parent_group_arn", json!(parent)),
            ("tags", tags(&[("site", "den")])),
        ],
    );
    converged(&a.emu, insert);
    let update = format!(
        "UPDATE aws.connect.user_hierarchy_groups \
         SET name = 'Denver Tech Center', tags = json_array(json_object('Key', 'site', 'Value', 'dtc')) \
         WHERE {ACME} AND name = 'Denver'"
    );
    change(&a.emu, &update);
    a.agree(
        "user_hierarchy_group",
        &id,
        &[
            ("name", json!("Denver Tech Center")),
            ("parent_group_arn", json!(parent)),
            ("tags", tags(&[("site", "dtc")])),
        ],
    );
    converged(
        &a.emu,
        &update.replace("name = 'Denver'", "name = 'Denver Tech Center'"),
    );

    // The AWS CLI writes, connectql reads.
    let id = id_in(
        &a.cli(&[
            "create-user-hierarchy-group",
            "--name",
            "Boulder",
            "--parent-group-id",
            &parent_id,
            "--tags",
            "site=bou",
        ]),
        "HierarchyGroupId",
    );
    a.cli(&[
        "update-user-hierarchy-group-name",
        "--hierarchy-group-id",
        &id,
        "--name",
        "Boulder North",
    ]);
    a.agree(
        "user_hierarchy_group",
        &id,
        &[
            ("name", json!("Boulder North")),
            ("parent_group_arn", json!(parent)),
            ("tags", tags(&[("site", "bou")])),
        ],
    );

    a.deletes_agree(
        ("user_hierarchy_groups", "name"),
        (
            "list-user-hierarchy-groups",
            "UserHierarchyGroupSummaryList",
            "Name",
        ),
        "Denver Tech Center",
        ("delete-user-hierarchy-group", "--hierarchy-group-id"),
        "Boulder North",
        &id,
    );
}

/// A phone number as the AWS CLI describes it, as connectql's row: the
/// number lives in the instance it targets.
fn number_row(emu: &Emulator, id: &str) -> Map<String, Value> {
    let doc = cli(emu, &["describe-phone-number", "--phone-number-id", id])
        ["ClaimedPhoneNumberSummary"]
        .clone();
    let target = doc["TargetArn"].as_str().unwrap().to_string();
    let flows = cli(
        emu,
        &[
            "list-flow-associations",
            "--instance-id",
            target.rsplit('/').next().unwrap(),
            "--resource-type",
            "VOICE_PHONE_NUMBER",
        ],
    );
    let flow = flows["FlowAssociationSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ResourceId"] == doc["PhoneNumberArn"])
        // FlowId is the flow's ARN in this answer.
        .map_or(Value::Null, |f| f["FlowId"].clone());
    let arns = Default::default();
    let source = Source {
        doc: &doc,
        own_arn: "PhoneNumberArn",
        own_id: "PhoneNumberId",
        renames: &[
            ("Description", "PhoneNumberDescription"),
            ("Type", "PhoneNumberType"),
            ("CountryCode", "PhoneNumberCountryCode"),
            ("Address", "PhoneNumber"),
            ("Status", "PhoneNumberStatus"),
            ("Id", "PhoneNumberId"),
        ],
        instance_arn: &target,
        instance_alias: &alias_of(emu, &target),
        arns: &arns,
    };
    expected_row(
        "aws-connect-phonenumber.json",
        &["id", "instance_arn", "status", "contact_flow_arn"],
        &source,
        &[("contact_flow_arn", flow)],
    )
}

/// connectql's row of a number, read from the instance it targets.
fn number_agrees(emu: &Emulator, id: &str, written: &[(&str, Value)]) {
    let expected = number_row(emu, id);
    for (field, value) in written {
        let seen = if *field == "tags" {
            sorted_tags(&expected[*field])
        } else {
            expected[*field].clone()
        };
        assert_eq!(&seen, value, "the AWS CLI's number {id}: {field}");
    }
    let row = one(
        emu,
        &format!(
            "SELECT * FROM aws.connect.phone_number WHERE region = '{REGION}' AND data__InstanceId = '{}' AND data__Identifier = '{id}'",
            expected["target_arn"].as_str().unwrap()
        ),
    );
    assert_row(&format!("connectql's phone number {id}"), &row, &expected);
    let row = one(
        emu,
        &format!(
            "SELECT * FROM aws.connect.phone_numbers WHERE region = '{REGION}' AND data__InstanceId = '{}' AND id = '{id}'",
            expected["target_arn"].as_str().unwrap()
        ),
    );
    assert_row(&format!("connectql's phone_numbers {id}"), &row, &expected);
}

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn phone_numbers_agree_both_ways() {
    let a = Acme::start();
    let (_, sales) = instance(&a.emu, "acme-sales");

    // connectql writes, the AWS CLI reads: description and tags, then the
    // number moves to the sales instance.
    let update = format!(
        "UPDATE aws.connect.phone_numbers \
         SET description = 'VIP line, moved', tags = json_array(json_object('Key', 'line', 'Value', 'vip-2')) \
         WHERE {ACME} AND address = '+12125550103'"
    );
    change(&a.emu, &update);
    let id = a.get("phone_numbers", "id", "address = '+12125550103'");
    number_agrees(
        &a.emu,
        &id,
        &[
            ("description", json!("VIP line, moved")),
            ("tags", tags(&[("line", "vip-2")])),
            ("target_arn", json!(a.iarn)),
        ],
    );
    converged(&a.emu, &update);
    let moved = format!(
        "UPDATE aws.connect.phone_numbers \
         SET target_arn = (SELECT i.arn FROM aws.connect.instances i WHERE i.region = 'us-east-1' AND i.instance_alias = 'acme-sales') \
         WHERE {ACME} AND address = '+12125550103'"
    );
    let calls = change(&a.emu, &moved);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0]["operation"], "UpdatePhoneNumber");
    number_agrees(&a.emu, &id, &[("target_arn", json!(sales))]);
    let (ok, values, stderr) = query_json(
        &a.emu,
        Some(REGION),
        &[&format!(
            "SELECT address FROM aws.connect.phone_numbers WHERE {ACME} AND address = '+12125550103'"
        )],
    );
    assert!(ok, "{stderr}");
    assert_eq!(values[0], json!([]), "the number left acme-support");

    // The AWS CLI writes, connectql reads.
    let id = a.get("phone_numbers", "id", "address = '+12125550102'");
    let arn = a.get(
        "phone_numbers",
        "phone_number_arn",
        "address = '+12125550102'",
    );
    cli(
        &a.emu,
        &[
            "update-phone-number-metadata",
            "--phone-number-id",
            &id,
            "--phone-number-description",
            "changed by the CLI",
        ],
    );
    cli(
        &a.emu,
        &[
            "tag-resource",
            "--resource-arn",
            &arn,
            "--tags",
            "owner=cli",
        ],
    );
    cli(
        &a.emu,
        &[
            "update-phone-number",
            "--phone-number-id",
            &id,
            "--target-arn",
            &sales,
        ],
    );
    number_agrees(
        &a.emu,
        &id,
        &[
            ("description", json!("changed by the CLI")),
            (
                "tags",
                tags(&[("line", "tech-support-direct-line"), ("owner", "cli")]),
            ),
            ("target_arn", json!(sales)),
        ],
    );

    // Claimed by connectql, the AWS CLI describes it; claimed by the CLI,
    // connectql reads it.
    let claim = format!(
        "INSERT INTO aws.connect.phone_numbers (address, target_arn, description, tags, region, data__InstanceId) \
         VALUES ('+12125550199', '{}', 'a new line', json_array(json_object('Key', 'line', 'Value', 'new')), 'us-east-1', 'acme-support')",
        a.iarn
    );
    let calls = change(&a.emu, &claim);
    assert_eq!(calls[0]["operation"], "ClaimPhoneNumber");
    let claimed = a.get("phone_numbers", "id", "address = '+12125550199'");
    number_agrees(
        &a.emu,
        &claimed,
        &[
            ("address", json!("+12125550199")),
            ("description", json!("a new line")),
            ("target_arn", json!(a.iarn)),
            ("tags", tags(&[("line", "new")])),
        ],
    );
    converged(&a.emu, &claim);
    let by_cli = id_in(
        &cli(
            &a.emu,
            &[
                "claim-phone-number",
                "--target-arn",
                &a.iarn,
                "--phone-number",
                "+12125550198",
                "--phone-number-description",
                "claimed by the CLI",
                "--tags",
                "line=cli",
            ],
        ),
        "PhoneNumberId",
    );
    number_agrees(
        &a.emu,
        &by_cli,
        &[
            ("address", json!("+12125550198")),
            ("description", json!("claimed by the CLI")),
            ("tags", tags(&[("line", "cli")])),
        ],
    );
    // Released by each, gone for the other.
    let listed = |a: &Acme| {
        a.cli_names(
            "list-phone-numbers-v2",
            "ListPhoneNumbersSummaryList",
            "PhoneNumber",
        )
    };
    change(
        &a.emu,
        &format!("DELETE FROM aws.connect.phone_numbers WHERE {ACME} AND address = '+12125550199'"),
    );
    assert!(!listed(&a).contains(&"+12125550199".to_string()));
    cli(
        &a.emu,
        &["release-phone-number", "--phone-number-id", &by_cli],
    );
    let left = a.names("phone_numbers", "address");
    assert!(!left.contains(&"+12125550198".to_string()), "{left:?}");
    assert!(!left.contains(&"+12125550199".to_string()), "{left:?}");
}

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn approved_origins_and_integration_associations_agree_both_ways() {
    let a = Acme::start();
    let origins = |a: &Acme| -> Vec<String> {
        let mut o: Vec<String> = a.cli(&["list-approved-origins"])["Origins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_str().unwrap().to_string())
            .collect();
        o.sort();
        o
    };
    let connectql_origins = |a: &Acme| -> Vec<String> {
        let (ok, values, stderr) = query_json(
            &a.emu,
            Some(REGION),
            &[&format!(
                "SELECT origin, instance_id FROM aws.connect.approved_origins WHERE {ACME} ORDER BY origin"
            )],
        );
        assert!(ok, "{stderr}");
        values[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                assert_eq!(r["instance_id"], json!(a.iarn));
                r["origin"].as_str().unwrap().to_string()
            })
            .collect()
    };

    // connectql writes, the AWS CLI reads.
    let insert = "INSERT INTO aws.connect.approved_origins (origin, region, data__InstanceId) \
                  VALUES ('https://new.acme.example', 'us-east-1', 'acme-support')";
    change(&a.emu, insert);
    let delete = format!(
        "DELETE FROM aws.connect.approved_origins WHERE {ACME} AND origin = 'https://help.acme.example'"
    );
    change(&a.emu, &delete);
    let want = vec![
        "https://new.acme.example".to_string(),
        "https://support.acme.example".to_string(),
    ];
    assert_eq!(origins(&a), want);
    assert_eq!(connectql_origins(&a), want);
    converged(&a.emu, insert);

    let insert = "INSERT INTO aws.connect.integration_associations \
         (integration_arn, integration_type, source_application_url, source_application_name, source_type, tags, region, data__InstanceId) \
         VALUES ('arn:aws:app-integrations:us-east-1:123456789012:event-integration/new-events', 'EVENT', \
                 'https://crm2.acme.example', 'CRM Two', 'SALESFORCE', json_array(json_object('Key', 'team', 'Value', 'crm')), \
                 'us-east-1', 'acme-support')";
    change(&a.emu, insert);
    let new_events = "integration_arn = 'arn:aws:app-integrations:us-east-1:123456789012:event-integration/new-events'";
    let id = a.get(
        "integration_associations",
        "integration_association_id",
        new_events,
    );
    a.agree(
        "integration_association",
        &id,
        &[
            ("integration_type", json!("EVENT")),
            ("source_application_url", json!("https://crm2.acme.example")),
            ("source_application_name", json!("CRM Two")),
            ("source_type", json!("SALESFORCE")),
            ("tags", tags(&[("team", "crm")])),
        ],
    );
    converged(&a.emu, insert);
    let retag = format!(
        "UPDATE aws.connect.integration_associations SET tags = json_array(json_object('Key', 'team', 'Value', 'ops')) \
         WHERE {ACME} AND {new_events}"
    );
    change(&a.emu, &retag);
    a.agree(
        "integration_association",
        &id,
        &[("tags", tags(&[("team", "ops")]))],
    );
    converged(&a.emu, &retag);
    change(
        &a.emu,
        &format!("DELETE FROM aws.connect.integration_associations WHERE {ACME} AND {new_events}"),
    );
    let listed = a.cli(&["list-integration-associations"]);
    assert!(
        !listed["IntegrationAssociationSummaryList"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["IntegrationAssociationId"] == json!(id)),
        "{listed}"
    );

    // The AWS CLI writes, connectql reads.
    // The CLI would fetch an https:// parameter's URL: the origin goes as JSON.
    let origin = |o: &str| json!({"Origin": o}).to_string();
    a.cli(&[
        "associate-approved-origin",
        "--cli-input-json",
        &origin("https://cli.acme.example"),
    ]);
    a.cli(&[
        "disassociate-approved-origin",
        "--cli-input-json",
        &origin("https://support.acme.example"),
    ]);
    let want = vec![
        "https://cli.acme.example".to_string(),
        "https://new.acme.example".to_string(),
    ];
    assert_eq!(origins(&a), want);
    assert_eq!(connectql_origins(&a), want);
    let created = a.cli(&[
        "create-integration-association",
        "--integration-type",
        "APPLICATION",
        "--integration-arn",
        "arn:aws:app-integrations:us-east-1:123456789012:application/cli-app",
        "--tags",
        "owner=cli",
    ]);
    let id = id_in(&created, "IntegrationAssociationId");
    let arn = id_in(&created, "IntegrationAssociationArn");
    cli(
        &a.emu,
        &[
            "tag-resource",
            "--resource-arn",
            &arn,
            "--tags",
            "team=apps",
        ],
    );
    a.agree(
        "integration_association",
        &id,
        &[
            ("integration_type", json!("APPLICATION")),
            (
                "integration_arn",
                json!("arn:aws:app-integrations:us-east-1:123456789012:application/cli-app"),
            ),
            ("tags", tags(&[("owner", "cli"), ("team", "apps")])),
        ],
    );
}

/// The instance's attributes as the CLI lists them, as connectql's
/// `attributes` object: each under CloudFormation's name for it (the
/// schema's, matched letter for letter: `USE_CUSTOM_TTS_VOICES` is
/// `UseCustomTTSVoices`), a boolean.
fn cli_attributes(emu: &Emulator, iid: &str) -> Value {
    let path = format!(
        "{}/tests/data/cfn/aws-connect-instance.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let names: Vec<&String> = schema["definitions"]["Attributes"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let listed = cli(emu, &["list-instance-attributes", "--instance-id", iid]);
    let mut out = Map::new();
    for a in listed["Attributes"].as_array().unwrap() {
        let ty = a["AttributeType"].as_str().unwrap().replace('_', "");
        let name = names
            .iter()
            .find(|n| n.to_ascii_uppercase() == ty)
            .unwrap_or_else(|| panic!("{ty}: not in the CloudFormation schema"));
        out.insert(name.to_string(), json!(a["Value"] == "true"));
    }
    Value::Object(out)
}

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn instance_attributes_and_tags_agree_both_ways() {
    let a = Acme::start();
    let read = |a: &Acme| {
        one(
            &a.emu,
            "SELECT attributes, tags FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'",
        )
    };
    let cli_tags = |a: &Acme| tag_list(&a.cli(&["describe-instance"])["Instance"]["Tags"]);

    // connectql writes, the AWS CLI reads.
    let patch = "UPDATE aws.connect.instance SET data__PatchDocument = \
         string('[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false},\
                  {\"op\":\"replace\",\"path\":\"/Attributes/EarlyMedia\",\"value\":false},\
                  {\"op\":\"add\",\"path\":\"/Tags/-\",\"value\":{\"Key\":\"owner\",\"Value\":\"ops\"}}]') \
         WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'";
    let mut c = a.emu.connectql();
    c.args(["--region", REGION, "--yes", "-e", patch]);
    let (ok, out, err) = common::run(c);
    assert!(ok, "{out}{err}");
    let attributes = cli_attributes(&a.emu, &a.iid);
    assert_eq!(attributes["ContactLens"], false);
    assert_eq!(attributes["EarlyMedia"], false);
    assert_eq!(attributes["InboundCalls"], true);
    let tags_now = cli_tags(&a);
    assert!(
        tags_now
            .as_array()
            .unwrap()
            .contains(&json!({"Key": "owner", "Value": "ops"})),
        "{tags_now}"
    );
    let row = read(&a);
    assert_eq!(row["attributes"], attributes);
    assert_eq!(sorted_tags(&row["tags"]), tags_now);

    // The AWS CLI writes, connectql reads.
    a.cli(&[
        "update-instance-attribute",
        "--attribute-type",
        "MULTI_PARTY_CHAT_CONFERENCE",
        "--value",
        "true",
    ]);
    a.cli(&[
        "update-instance-attribute",
        "--attribute-type",
        "CONTACT_LENS",
        "--value",
        "true",
    ]);
    cli(
        &a.emu,
        &[
            "untag-resource",
            "--resource-arn",
            &a.iarn,
            "--tag-keys",
            "owner",
            "env",
        ],
    );
    let attributes = cli_attributes(&a.emu, &a.iid);
    assert_eq!(attributes["MultiPartyChatConference"], true);
    assert_eq!(attributes["ContactLens"], true);
    let row = read(&a);
    assert_eq!(row["attributes"], attributes);
    assert_eq!(
        sorted_tags(&row["tags"]),
        tags(&[("cost-centre", "cc-1001"), ("team", "support")])
    );
}

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn storage_configs_written_by_either_side_read_back_in_the_other() {
    let a = Acme::start();
    // The AWS CLI writes, connectql reads.
    let created = a.cli(&[
        "associate-instance-storage-config",
        "--resource-type",
        "SCREEN_RECORDINGS",
        "--storage-config",
        r#"{"StorageType":"S3","S3Config":{"BucketName":"acme-chats","BucketPrefix":"transcripts"}}"#,
    ]);
    let id = id_in(&created, "AssociationId");
    a.cli(&[
        "update-instance-storage-config",
        "--association-id",
        &id,
        "--resource-type",
        "SCREEN_RECORDINGS",
        "--storage-config",
        &json!({"AssociationId": id, "StorageType": "S3", "S3Config": {"BucketName": "acme-chats-2", "BucketPrefix": "chats"}}).to_string(),
    ]);
    let described = a.cli(&[
        "describe-instance-storage-config",
        "--association-id",
        &id,
        "--resource-type",
        "SCREEN_RECORDINGS",
    ])["StorageConfig"]
        .clone();
    assert_eq!(described["S3Config"]["BucketName"], "acme-chats-2");
    let arns = Default::default();
    let source = Source {
        doc: &described,
        own_arn: "",
        own_id: "AssociationId",
        renames: &[],
        instance_arn: &a.iarn,
        instance_alias: "acme-support",
        arns: &arns,
    };
    // The type is the request's, which the answer does not repeat.
    let expected = expected_row(
        "aws-connect-instancestorageconfig.json",
        &[],
        &source,
        &[("resource_type", json!("SCREEN_RECORDINGS"))],
    );
    let row = one(
        &a.emu,
        &format!(
            "SELECT * FROM aws.connect.instance_storage_config WHERE {ACME} AND data__Identifier = '{id}'"
        ),
    );
    assert_row("connectql's storage config", &row, &expected);

    // connectql writes, the AWS CLI reads: field for field.
    let kms = "arn:aws:kms:us-east-1:123456789012:key/acme-media";
    let insert = format!(
        "INSERT INTO aws.connect.instance_storage_configs (resource_type, storage_type, kinesis_video_stream_config, region, data__InstanceId) \
         VALUES ('MEDIA_STREAMS', 'KINESIS_VIDEO_STREAM', json_object('Prefix', 'acme-media', 'RetentionPeriodHours', 24, \
         'EncryptionConfig', json_object('EncryptionType', 'KMS', 'KeyId', '{kms}')), 'us-east-1', 'acme-support')"
    );
    change(&a.emu, &insert);
    converged(&a.emu, &insert);
    let listed = a.cli(&[
        "list-instance-storage-configs",
        "--resource-type",
        "MEDIA_STREAMS",
    ])["StorageConfigs"]
        .clone();
    let listed = listed.as_array().expect("StorageConfigs");
    assert_eq!(listed.len(), 1, "{listed:?}");
    let media = a.get(
        "instance_storage_configs",
        "association_id",
        "resource_type = 'MEDIA_STREAMS'",
    );
    let video = json!({"Prefix": "acme-media", "RetentionPeriodHours": 24,
                       "EncryptionConfig": {"EncryptionType": "KMS", "KeyId": kms}});
    assert_eq!(
        listed[0],
        json!({"AssociationId": media, "StorageType": "KINESIS_VIDEO_STREAM", "KinesisVideoStreamConfig": video})
    );
    let describe = |id: &str, resource_type: &str| {
        a.cli(&[
            "describe-instance-storage-config",
            "--association-id",
            id,
            "--resource-type",
            resource_type,
        ])["StorageConfig"]
            .clone()
    };
    assert_eq!(describe(&media, "MEDIA_STREAMS"), listed[0]);

    // An UPDATE replaces the StorageConfig the CLI wrote, once.
    let update = format!(
        "UPDATE aws.connect.instance_storage_configs SET s3_config = json_object('BucketName', 'acme-screens', 'BucketPrefix', 'screens', \
         'EncryptionConfig', json_object('EncryptionType', 'KMS', 'KeyId', '{kms}')) \
         WHERE {ACME} AND association_id = '{id}'"
    );
    change(&a.emu, &update);
    converged(&a.emu, &update);
    assert_eq!(
        describe(&id, "SCREEN_RECORDINGS"),
        json!({"AssociationId": id, "StorageType": "S3",
               "S3Config": {"BucketName": "acme-screens", "BucketPrefix": "screens",
                            "EncryptionConfig": {"EncryptionType": "KMS", "KeyId": kms}}})
    );
    // The whole row connectql reads is the one the CLI's answer gives.
    let described = describe(&id, "SCREEN_RECORDINGS");
    let source = Source {
        doc: &described,
        own_arn: "",
        own_id: "AssociationId",
        renames: &[],
        instance_arn: &a.iarn,
        instance_alias: "acme-support",
        arns: &arns,
    };
    let expected = expected_row(
        "aws-connect-instancestorageconfig.json",
        &[],
        &source,
        &[("resource_type", json!("SCREEN_RECORDINGS"))],
    );
    let row = one(
        &a.emu,
        &format!(
            "SELECT * FROM aws.connect.instance_storage_config WHERE {ACME} AND data__Identifier = '{id}'"
        ),
    );
    assert_row("connectql's updated storage config", &row, &expected);

    // A DELETE disassociates: the CLI lists the type without it.
    let delete = format!(
        "DELETE FROM aws.connect.instance_storage_configs WHERE {ACME} AND resource_type = 'MEDIA_STREAMS'"
    );
    change(&a.emu, &delete);
    assert_eq!(
        a.cli(&[
            "list-instance-storage-configs",
            "--resource-type",
            "MEDIA_STREAMS"
        ])["StorageConfigs"],
        json!([])
    );
    // The other types keep theirs.
    assert_eq!(
        describe(&id, "SCREEN_RECORDINGS")["S3Config"]["BucketName"],
        "acme-screens"
    );
}
