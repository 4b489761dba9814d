//! The copy: `UPDATE aws.connect.instance_differences SET target_value =
//! source_value WHERE …` against the local endpoint's demo contact centres.
//! A whole centre copied into a fresh instance of another region leaves no
//! difference, a second copy makes
//! no write call, a copy cut short by faults converges when run again, and
//! what cannot be mapped is reported before any write.

mod common;
#[path = "common/statements.rs"]
mod statements;

use std::collections::HashMap;

use common::{run, Emulator};
use serde_json::{json, Value};
use statements::{writes, writes_in};

const SOURCE: &str = "acme-sales";
/// The audio of a new prompt: Connect never returns a prompt's S3 URI.
const PROMPT_AUDIO: &str =
    "INSERT INTO aws.connect.copy_mappings (source, target) VALUES ('s3_uri', 's3://acme-prompts/replica/audio.wav')";

/// Runs statements in one session (`--yes`, JSON); (ok, stdout, stderr).
fn session(emu: &Emulator, statements: &[&str]) -> (bool, String, String) {
    session_with(emu, "--yes", statements)
}

/// Runs statements in one session with `mode` (`--yes`, `--dry-run`).
fn session_with(emu: &Emulator, mode: &str, statements: &[&str]) -> (bool, String, String) {
    let mut c = emu.connectql();
    c.args([
        "--region",
        "us-east-1,eu-west-2",
        "--timeout",
        "600",
        "-o",
        "json",
        mode,
    ]);
    for s in statements {
        c.args(["-e", s]);
    }
    run(c)
}

/// A fresh instance in eu-west-2 (what Connect puts in every new one);
/// its ARN.
fn fresh_instance(emu: &Emulator, alias: &str, identity: &str) -> String {
    let sql = format!(
        "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) \
         SELECT '{identity}', '{alias}', '{{\"InboundCalls\":true,\"OutboundCalls\":true}}', 'eu-west-2' \
         RETURNING arn"
    );
    let (ok, stdout, stderr) = session(emu, &[&sql]);
    assert!(ok, "{sql}: {stderr}");
    let rows: Value = serde_json::from_str(&stdout).expect("JSON");
    rows[0]["arn"].as_str().expect("an ARN").to_string()
}

fn copy_sql(target: &str, more: &str) -> String {
    copy_sql_from(SOURCE, target, more)
}

fn copy_sql_from(source: &str, target: &str, more: &str) -> String {
    format!(
        "UPDATE aws.connect.instance_differences SET target_value = source_value \
         WHERE data__SourceInstanceId = '{source}' AND data__TargetInstanceId = '{target}'{more}"
    )
}

fn differences(emu: &Emulator, target: &str) -> Vec<Value> {
    let sql = format!(
        "SELECT resource_type, name, kind, property FROM aws.connect.instance_differences \
         WHERE data__SourceInstanceId = '{SOURCE}' AND data__TargetInstanceId = '{target}'"
    );
    let (ok, stdout, stderr) = session(emu, &[&sql]);
    assert!(ok, "{sql}: {stderr}");
    serde_json::from_str::<Value>(&stdout)
        .expect("JSON")
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The differences left after a copy: none (the copy's notes, in
/// `said`, are shown when there are).
fn assert_no_difference_left(left: &[Value], said: &str) {
    assert!(
        left.is_empty(),
        "differences left after the copy: {left:#?}\nthe copy said: {said}"
    );
}

fn endpoint() -> Emulator {
    Emulator::start(&["--demo-data", "--create-delay-ms", "10"])
}

#[test]
fn a_whole_centre_copied_into_a_fresh_instance_leaves_no_difference_and_a_second_copy_no_write() {
    let emu = endpoint();
    let target = fresh_instance(&emu, "acme-replica", "SAML");
    assert!(target.contains(":eu-west-2:"), "{target}");
    let before = differences(&emu, &target);
    assert!(
        before
            .iter()
            .filter(|d| d["kind"] == "only_in_source")
            .count()
            > 20,
        "{before:?}"
    );

    // EXPLAIN and --dry-run make no write call.
    let written = writes(&emu);
    let (ok, stdout, stderr) = session(&emu, &[&format!("EXPLAIN {}", copy_sql(&target, ""))]);
    assert!(ok, "{stderr}");
    for op in [
        "CreateQueue",
        "CreateContactFlow",
        "CreateUser",
        "UpdateContactFlowContent",
    ] {
        assert!(stdout.contains(op), "EXPLAIN names {op}: {stdout}");
    }
    let (ok, stdout, stderr) =
        session_with(&emu, "--dry-run", &[PROMPT_AUDIO, &copy_sql(&target, "")]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("dry run: the copy makes"), "{stderr}");
    assert!(stdout.contains("CreateQueue"), "{stdout}");
    assert_eq!(writes(&emu), written, "EXPLAIN or --dry-run wrote");

    let (ok, stdout, stderr) = session(&emu, &[PROMPT_AUDIO, &copy_sql(&target, "")]);
    assert!(ok, "copy: {stderr}\n{stdout}");
    let rows: Vec<Value> = stdout
        .lines()
        .skip_while(|l| !l.starts_with('['))
        .collect::<String>()
        .parse::<Value>()
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    assert!(!rows.is_empty(), "{stdout}");
    for r in &rows {
        assert_eq!(r["status"], "applied", "{r}");
    }
    // Flows whose content names new items: a stub first, the content after
    // its own create.
    let at = |item: &str, op: &str| {
        rows.iter()
            .position(|r| r["item"] == item && r["operation"] == op)
    };
    let contents: Vec<&str> = rows
        .iter()
        .filter(|r| r["operation"] == "UpdateContactFlowContent")
        .filter_map(|r| r["item"].as_str())
        .collect();
    assert!(
        !contents.is_empty(),
        "no flow was given its content after a stub"
    );
    for flow in contents {
        assert!(
            at(flow, "CreateContactFlow") < at(flow, "UpdateContactFlowContent"),
            "{flow}: its content before its create"
        );
    }
    // A user is created after the routing profile it is on.
    assert!(
        rows.iter()
            .position(|r| r["operation"] == "CreateRoutingProfile")
            < rows.iter().position(|r| r["operation"] == "CreateUser"),
        "users before routing profiles"
    );

    let left = differences(&emu, &target);
    assert_no_difference_left(&left, &stderr);

    // Run again: nothing left to copy, no write call.
    let written = writes(&emu);
    let (ok, stdout, stderr) = session(&emu, &[PROMPT_AUDIO, &copy_sql(&target, "")]);
    assert!(ok, "{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("nothing to copy"),
        "{stdout}{stderr}"
    );
    assert_eq!(writes(&emu), written, "the second copy wrote");
}

#[test]
fn a_copy_whose_where_selects_nothing_changes_nothing() {
    let emu = endpoint();
    let target = fresh_instance(&emu, "acme-empty-copy", "SAML");
    let written = writes(&emu);
    for more in [
        " AND resource_type = 'no_such_kind'",
        " AND name = 'No Such Item'",
        " AND kind = 'only_in_target' AND kind = 'differs'",
    ] {
        let (ok, stdout, stderr) = session(&emu, &[&copy_sql(&target, more)]);
        assert!(ok, "{more}: {stderr}");
        assert!(
            format!("{stdout}{stderr}").contains("nothing to copy"),
            "{more}: {stdout}{stderr}"
        );
    }
    assert_eq!(writes(&emu), written);
}

#[test]
fn a_queue_is_copied_with_the_hours_it_needs_and_nothing_else() {
    let emu = endpoint();
    let target = fresh_instance(&emu, "acme-one-queue", "SAML");
    let (ok, stdout, stderr) = session(
        &emu,
        &[&copy_sql(
            &target,
            " AND resource_type = 'queue' AND name = 'Renewals'",
        )],
    );
    assert!(ok, "{stderr}");
    assert!(stderr.contains("needed by queue 'Renewals'"), "{stderr}");
    let rows: Vec<Value> = serde_json::from_str(&stdout).expect("JSON");
    let items: Vec<&str> = rows.iter().filter_map(|r| r["item"].as_str()).collect();
    assert!(items.contains(&"Renewals"), "{items:?}");
    assert!(
        items
            .iter()
            .all(|i| *i == "Renewals" || i.contains("Hours")),
        "{items:?}"
    );
    // The queue's row now matches; other kinds are still only in the source.
    let left = differences(&emu, &target);
    assert!(!left.iter().any(|d| d["name"] == "Renewals"), "{left:?}");
    assert!(left.iter().any(|d| d["resource_type"] == "routing_profile"));
}

#[test]
fn a_copy_cut_short_by_faults_converges_when_run_again() {
    let emu = endpoint();
    let target = fresh_instance(&emu, "acme-faulty", "SAML");
    // Writes whose answer is lost after they took effect, and 500s.
    emu.post(
        "/_emulator/faults",
        json!({"error_rate": 0.1, "apply_then_fail": {"mode": "error", "rate": 0.3}}),
    );
    let mut failed_runs = 0;
    for _ in 0..4 {
        let (ok, _, _) = session(&emu, &[PROMPT_AUDIO, &copy_sql(&target, "")]);
        if ok {
            break;
        }
        failed_runs += 1;
    }
    emu.post(
        "/_emulator/faults",
        json!({"error_rate": 0.0, "apply_then_fail": null}),
    );
    assert!(failed_runs > 0, "the faults never cut a copy short");
    let (ok, stdout, stderr) = session(&emu, &[PROMPT_AUDIO, &copy_sql(&target, "")]);
    assert!(ok, "the copy without faults: {stderr}\n{stdout}");
    let left = differences(&emu, &target);
    assert_no_difference_left(&left, &stderr);
    let written = writes(&emu);
    let (ok, stdout, stderr) = session(&emu, &[PROMPT_AUDIO, &copy_sql(&target, "")]);
    assert!(ok, "{stderr}");
    assert!(format!("{stdout}{stderr}").contains("nothing to copy"));
    assert_eq!(writes(&emu), written);
}

#[test]
fn an_unmappable_lambda_is_reported_before_any_write_and_a_mapping_supplies_it() {
    let emu = endpoint();
    let target = fresh_instance(&emu, "acme-lambda", "SAML");
    let lambda = "arn:aws:lambda:us-east-1:123456789012:function:lookup-customer";
    let content = json!({
        "Version": "2019-10-30",
        "StartAction": "a",
        "Actions": [
            {"Identifier": "a", "Type": "InvokeLambdaFunction",
             "Parameters": {"LambdaFunctionARN": lambda, "InvocationTimeLimitSeconds": "3"},
             "Transitions": {"NextAction": "b"}},
            {"Identifier": "b", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}
        ]
    })
    .to_string();
    let insert = format!(
        "INSERT INTO aws.connect.contact_flows (name, type, content, region, data__InstanceId) \
         VALUES ('Customer Lookup', 'CONTACT_FLOW', '{content}', 'us-east-1', '{SOURCE}')"
    );
    let (ok, _, stderr) = session(&emu, &[&insert]);
    assert!(ok, "{stderr}");
    let only_the_flow = " AND resource_type = 'contact_flow' AND name = 'Customer Lookup'";
    let written = writes(&emu);
    let (ok, _, stderr) = session(&emu, &[&copy_sql(&target, only_the_flow)]);
    assert!(!ok, "an unmappable reference must stop the copy");
    assert!(stderr.contains(lambda), "{stderr}");
    assert!(stderr.contains("Lambda function in us-east-1"), "{stderr}");
    assert!(
        stderr.contains("INSERT INTO aws.connect.copy_mappings"),
        "{stderr}"
    );
    assert!(stderr.contains("no write call was made"), "{stderr}");
    assert_eq!(writes(&emu), written, "a write before the report");

    // The mapping, in the same session: the copy uses the replica's function.
    let replica = "arn:aws:lambda:eu-west-2:123456789012:function:lookup-customer";
    let map = format!(
        "INSERT INTO aws.connect.copy_mappings (source, target) VALUES ('{lambda}', '{replica}')"
    );
    let (ok, stdout, stderr) = session(&emu, &[&map, &copy_sql(&target, only_the_flow)]);
    assert!(ok, "{stderr}\n{stdout}");
    let read = format!(
        "SELECT content FROM aws.connect.contact_flows WHERE data__InstanceId = '{target}' \
         AND name = 'Customer Lookup'"
    );
    let (ok, stdout, stderr) = session(&emu, &[&read]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains(replica) && !stdout.contains(lambda),
        "{stdout}"
    );
}

#[test]
fn users_into_an_instance_managing_identities_need_a_password_said_before_any_write() {
    let emu = endpoint();
    let target = fresh_instance(&emu, "acme-managed", "CONNECT_MANAGED");
    let written = writes(&emu);
    let one_user = " AND resource_type = 'user' AND name = 'priya.hill'";
    let (ok, _, stderr) = session(&emu, &[&copy_sql(&target, one_user)]);
    assert!(!ok);
    assert!(stderr.contains("password"), "{stderr}");
    assert!(stderr.contains("'password:priya.hill'"), "{stderr}");
    assert_eq!(writes(&emu), written);
    let (ok, _, stderr) = session(
        &emu,
        &[
            "INSERT INTO aws.connect.copy_mappings VALUES ('password', 'Initial-Passw0rd!')",
            &copy_sql(&target, one_user),
        ],
    );
    assert!(ok, "{stderr}");
    let left = differences(&emu, &target);
    assert!(
        !left
            .iter()
            .any(|d| d["name"] == "priya.hill" && d["kind"] == "only_in_source"),
        "{left:?}"
    );
}

#[test]
fn the_mapping_table_is_a_table() {
    let emu = endpoint();
    let (ok, stdout, stderr) = session(
        &emu,
        &[
            "INSERT INTO aws.connect.copy_mappings (target, source) VALUES ('b', 'a'), ('d', 'c')",
            "INSERT INTO aws.connect.copy_mappings (source, target) VALUES ('a', 'B')",
            "DELETE FROM aws.connect.copy_mappings WHERE source = 'c'",
            // Rows from the table itself; a DELETE naming it by an alias.
            "INSERT INTO aws.connect.copy_mappings (source, target) \
             SELECT source || '2', target FROM aws.connect.copy_mappings",
            "INSERT INTO aws.connect.copy_mappings (source, target) VALUES ('e', 'f')",
            "DELETE FROM aws.connect.copy_mappings AS m WHERE m.source = 'e'",
            "SELECT m.source, m.target FROM aws.connect.copy_mappings AS m ORDER BY 1",
        ],
    );
    assert!(ok, "{stderr}");
    let last: Value = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .filter_map(Result::ok)
        .last()
        .expect("rows");
    assert_eq!(
        last,
        json!([{"source": "a", "target": "B"}, {"source": "a2", "target": "B"}]),
        "{stdout}"
    );
    let (ok, _, stderr) = session(
        &emu,
        &["UPDATE aws.connect.instance_differences SET kind = 'x' WHERE data__SourceInstanceId = 'a' AND data__TargetInstanceId = 'b'"],
    );
    assert!(
        !ok && stderr.contains("SET target_value = source_value"),
        "{stderr}"
    );
    let (ok, _, stderr) = session(
        &emu,
        &["DELETE FROM aws.connect.instance_differences WHERE data__SourceInstanceId = 'a' AND data__TargetInstanceId = 'b'"],
    );
    assert!(!ok && stderr.contains("never deletes"), "{stderr}");
}

/// Every id and ARN of an instance's items → `kind:name`, from the AWS
/// CLI's own listings.
fn cli_names(emu: &Emulator, region: &str, instance: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (command, list, kind) in [
        ("list-queues", "QueueSummaryList", "queue"),
        (
            "list-hours-of-operations",
            "HoursOfOperationSummaryList",
            "hours",
        ),
        ("list-contact-flows", "ContactFlowSummaryList", "flow"),
        (
            "list-routing-profiles",
            "RoutingProfileSummaryList",
            "routing_profile",
        ),
        (
            "list-quick-connects",
            "QuickConnectSummaryList",
            "quick_connect",
        ),
        ("list-prompts", "PromptSummaryList", "prompt"),
        (
            "list-security-profiles",
            "SecurityProfileSummaryList",
            "security_profile",
        ),
        (
            "list-user-hierarchy-groups",
            "UserHierarchyGroupSummaryList",
            "group",
        ),
        ("list-users", "UserSummaryList", "user"),
        (
            "list-agent-statuses",
            "AgentStatusSummaryList",
            "agent_status",
        ),
        (
            "list-contact-flow-modules",
            "ContactFlowModulesSummaryList",
            "module",
        ),
    ] {
        let listed = emu.aws(region, &["connect", command, "--instance-id", instance]);
        for item in listed[list].as_array().into_iter().flatten() {
            let name = item["Name"]
                .as_str()
                .or_else(|| item["Username"].as_str())
                .unwrap_or_default();
            for key in ["Id", "Arn"] {
                if let Some(v) = item[key].as_str() {
                    out.insert(v.to_string(), format!("{kind}:{name}"));
                }
            }
        }
    }
    out
}

/// A describe-* answer with references as names, without what differs by
/// itself (ids, ARNs, times, regions).
fn comparable(v: &Value, names: &HashMap<String, String>) -> Value {
    match v {
        Value::String(s) => {
            let mut text = s.clone();
            let mut keys: Vec<&String> = names.keys().collect();
            keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
            for k in keys {
                if text.contains(k.as_str()) {
                    text = text.replace(k.as_str(), &names[k]);
                }
            }
            Value::String(text)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| comparable(i, names)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| {
                    !(k.ends_with("Id")
                        || k.ends_with("Arn")
                        || k.ends_with("ARN")
                        || k.starts_with("LastModified")
                        || *k == "Version")
                })
                .map(|(k, v)| (k.clone(), comparable(v, names)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The AWS CLI, an independent client, describes every copied item of the
/// target (queues, hours and their overrides, flows, modules, routing
/// profiles, quick connects, users, security profiles, agent statuses,
/// hierarchy groups, prompts) as the source's, references mapped by name.
#[test]
#[ignore = "needs the AWS CLI (CI installs it)"]
fn the_aws_cli_describes_copied_items_as_the_source_after_mapping() {
    // acme-sales has flows naming new items; acme-support hours with
    // overrides and a child of another.
    for source in [SOURCE, "acme-support"] {
        cli_describes_a_copy_as_its_source(source);
    }
}

fn cli_describes_a_copy_as_its_source(source: &str) {
    let emu = endpoint();
    let target = fresh_instance(&emu, &format!("{source}-cli-copy"), "SAML");
    let (ok, _, stderr) = session(&emu, &[PROMPT_AUDIO, &copy_sql_from(source, &target, "")]);
    assert!(ok, "{stderr}");
    let source_id = {
        let listed = emu.aws("us-east-1", &["connect", "list-instances"]);
        listed["InstanceSummaryList"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["InstanceAlias"] == source)
            .and_then(|i| i["Id"].as_str())
            .unwrap()
            .to_string()
    };
    let target_id = target.rsplit('/').next().unwrap().to_string();
    let source_names = cli_names(&emu, "us-east-1", &source_id);
    let target_names = cli_names(&emu, "eu-west-2", &target_id);
    let mut compared = 0;
    for (list, id_key, describe, id_flag, answer) in [
        ("list-queues", "Id", "describe-queue", "--queue-id", "Queue"),
        (
            "list-hours-of-operations",
            "Id",
            "describe-hours-of-operation",
            "--hours-of-operation-id",
            "HoursOfOperation",
        ),
        (
            "list-contact-flows",
            "Id",
            "describe-contact-flow",
            "--contact-flow-id",
            "ContactFlow",
        ),
        (
            "list-routing-profiles",
            "Id",
            "describe-routing-profile",
            "--routing-profile-id",
            "RoutingProfile",
        ),
        (
            "list-quick-connects",
            "Id",
            "describe-quick-connect",
            "--quick-connect-id",
            "QuickConnect",
        ),
        ("list-users", "Id", "describe-user", "--user-id", "User"),
        (
            "list-security-profiles",
            "Id",
            "describe-security-profile",
            "--security-profile-id",
            "SecurityProfile",
        ),
        (
            "list-agent-statuses",
            "Id",
            "describe-agent-status",
            "--agent-status-id",
            "AgentStatus",
        ),
        (
            "list-user-hierarchy-groups",
            "Id",
            "describe-user-hierarchy-group",
            "--hierarchy-group-id",
            "HierarchyGroup",
        ),
        (
            "list-prompts",
            "Id",
            "describe-prompt",
            "--prompt-id",
            "Prompt",
        ),
        (
            "list-contact-flow-modules",
            "Id",
            "describe-contact-flow-module",
            "--contact-flow-module-id",
            "ContactFlowModule",
        ),
    ] {
        let items = |region: &str, instance: &str| -> HashMap<String, Value> {
            let listed = emu.aws(region, &["connect", list, "--instance-id", instance]);
            let key = listed
                .as_object()
                .and_then(|m| m.keys().find(|k| k.ends_with("List")).cloned())
                .unwrap();
            listed[&key]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    let d = emu.aws(
                        region,
                        &[
                            "connect",
                            describe,
                            "--instance-id",
                            instance,
                            id_flag,
                            i[id_key].as_str().unwrap(),
                        ],
                    );
                    let name = i["Name"].as_str().or_else(|| i["Username"].as_str());
                    (name.unwrap().to_string(), d[answer].clone())
                })
                .collect()
        };
        let source = items("us-east-1", &source_id);
        let target = items("eu-west-2", &target_id);
        for (name, s) in &source {
            let t = target
                .get(name)
                .unwrap_or_else(|| panic!("{answer} {name} was not copied"));
            let (s, t) = (comparable(s, &source_names), comparable(t, &target_names));
            // The content is a JSON text: compared as JSON, its blocks'
            // own identifiers (each instance's default flows have their
            // own) by position.
            let parse = |v: &Value| {
                let mut v = v.clone();
                if let Some(c) = v.get("Content").and_then(Value::as_str) {
                    let mut text = c.to_string();
                    let content: Value = serde_json::from_str(c).unwrap_or(Value::Null);
                    for (i, a) in content["Actions"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .enumerate()
                    {
                        if let Some(id) = a["Identifier"].as_str() {
                            text = text.replace(id, &format!("action#{i}"));
                        }
                    }
                    v["Content"] = serde_json::from_str(&text).unwrap_or(Value::Null);
                }
                v
            };
            assert_eq!(parse(&s), parse(&t), "{answer} {name}");
            compared += 1;
        }
    }
    // Each hours' overrides, by name, without their own ids.
    let overrides = |region: &str, instance: &str| -> HashMap<String, Value> {
        let hours = emu.aws(
            region,
            &[
                "connect",
                "list-hours-of-operations",
                "--instance-id",
                instance,
            ],
        );
        hours["HoursOfOperationSummaryList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let listed = emu.aws(
                    region,
                    &[
                        "connect",
                        "list-hours-of-operation-overrides",
                        "--instance-id",
                        instance,
                        "--hours-of-operation-id",
                        h["Id"].as_str().unwrap(),
                    ],
                );
                let mut list: Vec<Value> = listed["HoursOfOperationOverrideList"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|o| comparable(o, &HashMap::new()))
                    .collect();
                list.sort_by_key(|o| o["Name"].as_str().unwrap_or("").to_string());
                (h["Name"].as_str().unwrap().to_string(), Value::Array(list))
            })
            .collect()
    };
    let source_overrides = overrides("us-east-1", &source_id);
    let target_overrides = overrides("eu-west-2", &target_id);
    let mut overridden = 0;
    for (name, list) in &source_overrides {
        assert_eq!(
            Some(list),
            target_overrides.get(name),
            "overrides of {name}"
        );
        overridden += list.as_array().map_or(0, Vec::len);
    }
    if source == "acme-support" {
        assert!(overridden >= 2, "acme-support's overrides were compared");
    }
    assert!(compared > 15, "{source}: {compared} items compared");
}

#[path = "common/aws_files.rs"]
mod aws_files;

/// Across accounts: dev's staging centre into prod's, each read and changed
/// with its own profile; prod then has what staging had, and its own
/// queue's quick connects are remapped to prod's items.
#[test]
fn a_copy_from_one_account_into_another_uses_each_accounts_profile() {
    let emu = Emulator::start(&["--demo-data", "--demo-accounts"]);
    let files = aws_files::AwsFiles::new("copy-accounts");
    let run_as = |statements: &[&str]| {
        let mut c = emu.connectql();
        files.apply(&mut c);
        c.env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .args(["--profile", "demo-dev", "--region", "us-east-1"])
            .args(["--timeout", "600", "-o", "json", "--yes"]);
        for s in statements {
            c.args(["-e", s]);
        }
        run(c)
    };
    let both = "data__SourceInstanceId = 'acme-support' AND source_profile = 'demo-dev' \
                AND data__TargetInstanceId = 'acme-support-prod' AND target_profile = 'demo-prod'";
    let queues = format!(
        "SELECT name, kind, property FROM aws.connect.instance_differences WHERE {both} \
         AND resource_type IN ('queue', 'quick_connect') ORDER BY 1, 3"
    );
    let (ok, stdout, stderr) = run_as(&[&queues]);
    assert!(ok, "{stderr}");
    let before: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    assert!(
        before
            .iter()
            .any(|d| d["name"] == "Escalations" && d["kind"] == "only_in_source"),
        "{before:?}"
    );
    let prod_writes = |emu: &Emulator| writes_in(emu, "222222222222");
    let dev_writes_before = writes(&emu) - prod_writes(&emu);
    let copy = format!(
        "UPDATE aws.connect.instance_differences SET target_value = source_value WHERE {both} \
         AND resource_type IN ('queue', 'quick_connect')"
    );
    let (ok, stdout, stderr) = run_as(&[&copy]);
    assert!(ok, "{stderr}\n{stdout}");
    assert!(prod_writes(&emu) > 0, "no write in prod: {stdout}");
    assert_eq!(
        writes(&emu) - prod_writes(&emu),
        dev_writes_before,
        "the source account was written to"
    );
    let (ok, stdout, stderr) = run_as(&[&queues]);
    assert!(ok, "{stderr}");
    let after: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    assert!(after.is_empty(), "left: {after:?}");
    // Again: no write call.
    let written = writes(&emu);
    let (ok, stdout, stderr) = run_as(&[&copy]);
    assert!(ok, "{stderr}");
    assert!(format!("{stdout}{stderr}").contains("nothing to copy"));
    assert_eq!(writes(&emu), written);
}

/// A copy missing an instance is told how a copy is written.
#[test]
fn a_copy_without_its_target_says_how_to_write_one() {
    let emu = endpoint();
    let (ok, _, stderr) = session(
        &emu,
        &[
            "UPDATE aws.connect.instance_differences SET target_value = source_value \
           WHERE data__SourceInstanceId = 'acme-sales'",
        ],
    );
    assert!(!ok);
    assert!(stderr.contains("data__TargetInstanceId"), "{stderr}");
    assert!(
        stderr.contains("SET target_value = source_value WHERE"),
        "{stderr}"
    );
}

/// Statements that mean the same select the same differences, so their
/// copies plan the same calls: an OR for an IN, operands swapped, a column
/// wrapped so that it is not pushed down (every kind is read), a subquery.
#[test]
fn equivalent_wheres_plan_the_same_copy() {
    let emu = endpoint();
    let target = fresh_instance(&emu, "acme-same", "SAML");
    let plan_of = |more: &str| -> Vec<String> {
        let (ok, stdout, stderr) = session_with(&emu, "--dry-run", &[&copy_sql(&target, more)]);
        assert!(ok, "{more}: {stderr}");
        let rows: Vec<Value> = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{more}: not JSON ({e}): {stdout}"));
        let mut calls: Vec<String> = rows
            .iter()
            .map(|r| format!("{} · {} · {}", r["item"], r["property"], r["operation"]))
            .collect();
        calls.sort();
        calls
    };
    let written = writes(&emu);
    let base = plan_of(" AND resource_type = 'queue' AND name = 'Renewals'");
    assert!(base.iter().any(|c| c.contains("CreateQueue")), "{base:?}");
    for same in [
        " AND name = 'Renewals' AND resource_type IN ('queue')",
        " AND ('queue' = resource_type OR resource_type = 'queue') AND 'Renewals' = name",
        " AND lower(resource_type) = 'queue' AND name = 'Renewals'",
        " AND name IN (SELECT 'Renewals') AND resource_type = 'queue'",
        " AND resource_type || '/' || name = 'queue/Renewals'",
    ] {
        assert_eq!(plan_of(same), base, "{same}");
    }
    assert_eq!(writes(&emu), written, "a dry run wrote");
}

/// Hours with overrides and a child: copied one override a call, the child
/// after its parent. An override only the target's hours has is deleted
/// (the property is made the source's), shown by the plan first; then no
/// difference is left.
#[test]
fn hours_are_copied_with_their_overrides_and_parents_and_made_equal() {
    let emu = endpoint();
    let target = fresh_instance(&emu, "acme-hours", "SAML");
    let hours = " AND resource_type = 'hours_of_operation'";
    let (ok, stdout, stderr) = session(&emu, &[&copy_sql_from("acme-support", &target, hours)]);
    assert!(ok, "{stderr}");
    let rows: Vec<Value> = serde_json::from_str(&stdout).expect("JSON");
    let ops = |op: &str| rows.iter().filter(|r| r["operation"] == op).count();
    assert_eq!(ops("CreateHoursOfOperationOverride"), 3, "{stdout}");
    assert_eq!(ops("AssociateHoursOfOperations"), 1, "{stdout}");
    let at = |item: &str, op: &str| {
        rows.iter()
            .position(|r| r["item"] == item && r["operation"] == op)
    };
    assert!(
        at("US Business Hours", "CreateHoursOfOperation")
            < at("Holiday Hours", "AssociateHoursOfOperations")
    );

    // The target's hours get an override of their own.
    let extra = format!(
        "UPDATE aws.connect.hours_of_operations SET hours_of_operation_overrides = \
           json_insert(hours_of_operation_overrides, '$[#]', json('{{\"OverrideName\":\"Offsite\",\
           \"OverrideType\":\"CLOSED\",\"EffectiveFrom\":\"2027-03-01\",\"EffectiveTill\":\"2027-03-01\",\
           \"OverrideConfig\":[]}}')) \
         WHERE region = 'eu-west-2' AND data__InstanceId = '{target}' AND name = 'US Business Hours'"
    );
    let (ok, _, stderr) = session(&emu, &[&extra]);
    assert!(ok, "{stderr}");
    let left = |emu: &Emulator| {
        let sql = format!(
            "SELECT resource_type, name, property FROM aws.connect.instance_differences \
             WHERE data__SourceInstanceId = 'acme-support' AND data__TargetInstanceId = '{target}'{hours}"
        );
        let (ok, stdout, stderr) = session(emu, &[&sql]);
        assert!(ok, "{stderr}");
        serde_json::from_str::<Value>(&stdout).expect("JSON")
    };
    assert_eq!(
        left(&emu),
        json!([{"resource_type": "hours_of_operation", "name": "US Business Hours",
                "property": "hours_of_operation_overrides"}])
    );
    let written = writes(&emu);
    let (ok, stdout, stderr) = session_with(
        &emu,
        "--dry-run",
        &[&copy_sql_from("acme-support", &target, hours)],
    );
    assert!(ok, "{stderr}");
    let planned: Vec<Value> = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(planned.len(), 1, "{stdout}");
    assert_eq!(planned[0]["operation"], "DeleteHoursOfOperationOverride");
    assert_eq!(writes(&emu), written, "a dry run wrote");
    let (ok, _, stderr) = session(&emu, &[&copy_sql_from("acme-support", &target, hours)]);
    assert!(ok, "{stderr}");
    assert_eq!(writes(&emu), written + 1);
    assert_eq!(left(&emu), json!([]));
}

/// A new queue is ENABLED anyway: no call sets it. A disabled one is
/// disabled after its create.
#[test]
fn a_new_items_status_is_set_only_where_it_is_not_connects_default() {
    let emu = endpoint();
    let target = fresh_instance(&emu, "acme-status", "SAML");
    let (ok, _, stderr) = session(
        &emu,
        &["UPDATE aws.connect.queues SET status = 'DISABLED' \
           WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support' AND name = 'Billing'"],
    );
    assert!(ok, "{stderr}");
    let queues = |name: &str| {
        format!(" AND resource_type = 'queue' AND name = '{name}' AND kind = 'only_in_source'")
    };
    // Escalations first: Billing's quick connects would bring it along.
    for (queue, status_calls) in [("Escalations", 0), ("Billing", 1)] {
        let (ok, stdout, stderr) = session(
            &emu,
            &[&copy_sql_from("acme-support", &target, &queues(queue))],
        );
        assert!(ok, "{stderr}");
        let rows: Vec<Value> = serde_json::from_str(&stdout).expect("JSON");
        let set: Vec<&Value> = rows
            .iter()
            .filter(|r| r["operation"] == "UpdateQueueStatus")
            .collect();
        assert_eq!(set.len(), status_calls, "{queue}: {stdout}");
        if let Some(call) = set.first() {
            assert_eq!(call["item"], queue);
            assert_eq!(call["after"], "DISABLED");
        }
    }
    let sql = format!(
        "SELECT name, status FROM aws.connect.queues \
         WHERE region = 'eu-west-2' AND data__InstanceId = '{target}' \
         AND name IN ('Billing', 'Escalations') ORDER BY name"
    );
    let (ok, stdout, stderr) = session(&emu, &[&sql]);
    assert!(ok, "{stderr}");
    assert_eq!(
        serde_json::from_str::<Value>(&stdout).unwrap(),
        json!([{"name": "Billing", "status": "DISABLED"}, {"name": "Escalations", "status": "ENABLED"}])
    );
}
