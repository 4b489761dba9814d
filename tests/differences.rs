//! `aws.connect.instance_differences`: two instances compared kind by kind,
//! items matched by name, references compared by the names of what they
//! point to. Against the local endpoint's demo accounts (`--demo-accounts`:
//! demo-prod's acme-support-prod lacks the Escalations queue, has
//! dana.reports on another routing profile and other US Business Hours).

mod common;

use common::{run, Emulator};
use serde_json::{json, Value};

#[path = "common/aws_files.rs"]
mod aws_files;

use aws_files::AwsFiles;

/// Runs one statement as demo-dev (the session's credentials); (ok, rows, stderr).
fn query(emu: &Emulator, files: &AwsFiles, sql: &str) -> (bool, Value, String) {
    let mut c = emu.connectql();
    c.env("AWS_CONFIG_FILE", files.dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", files.dir.join("credentials"))
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        // Both instances whole: more per-item calls than Connect's documented
        // rate allows in the default 30 s.
        .args([
            "--profile",
            "demo-dev",
            "--region",
            "us-east-1",
            "--timeout",
            "600",
            "--output",
            "json",
            "-e",
            sql,
        ]);
    let (ok, stdout, stderr) = run(c);
    let rows = if ok {
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{sql}: not JSON ({e}): {stdout}\n{stderr}"))
    } else {
        Value::Null
    };
    (ok, rows, stderr)
}

fn rows(emu: &Emulator, files: &AwsFiles, sql: &str) -> Vec<Value> {
    let (ok, rows, stderr) = query(emu, files, sql);
    assert!(ok, "{sql}: {stderr}");
    rows.as_array().cloned().unwrap_or_default()
}

/// The ARN of an instance of an account, by alias.
fn arn(emu: &Emulator, files: &AwsFiles, profile: &str, region: &str, alias: &str) -> String {
    let found = rows(
        emu,
        files,
        &format!(
            "SELECT arn FROM aws.connect.instances WHERE profile = '{profile}' \
             AND region = '{region}' AND instance_alias = '{alias}'"
        ),
    );
    found[0]["arn"].as_str().expect("an ARN").to_string()
}

fn endpoint() -> Emulator {
    Emulator::start(&["--demo-data", "--demo-accounts"])
}

/// dev's acme-support against prod's acme-support-prod (named by its ARN,
/// which names its region and account, read with the prod profile).
fn dev_vs_prod(emu: &Emulator, files: &AwsFiles) -> String {
    let prod = arn(emu, files, "demo-prod", "us-east-1", "acme-support-prod");
    format!(
        "FROM aws.connect.instance_differences WHERE data__SourceInstanceId = 'acme-support' \
         AND source_profile = 'demo-dev' AND data__TargetInstanceId = '{prod}' \
         AND target_profile = 'demo-prod'"
    )
}

fn hours(open: u64, close: u64) -> Value {
    let days = ["FRIDAY", "MONDAY", "THURSDAY", "TUESDAY", "WEDNESDAY"];
    Value::Array(
        days.iter()
            .map(|d| {
                json!({"Day": d, "StartTime": {"Hours": open, "Minutes": 0},
                       "EndTime": {"Hours": close, "Minutes": 0}})
            })
            .collect(),
    )
}

fn queue_config(channel: &str, priority: u64, queue: &str) -> Value {
    json!({"Delay": 0, "Priority": priority,
           "QueueReference": {"Channel": channel, "QueueArn": format!("queue:{queue}")}})
}

#[test]
fn what_prod_lacks_is_every_documented_difference_and_nothing_else() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("exact", "eu-west-2");
    let from = dev_vs_prod(&emu, &files);
    let found = rows(
        &emu,
        &files,
        &format!("SELECT * {from} ORDER BY resource_type, name, property"),
    );
    // JSON values compare as JSON, the rest as written.
    let parse = |v: &Value| match v.as_str() {
        Some(s) if s.starts_with('[') || s.starts_with('{') => {
            serde_json::from_str(s).expect("a JSON value")
        }
        _ => v.clone(),
    };
    let got: Vec<Value> = found
        .iter()
        .map(|r| {
            json!([
                r["resource_type"],
                r["name"],
                r["kind"],
                r["property"],
                parse(&r["source_value"]),
                parse(&r["target_value"])
            ])
        })
        .collect();
    let t2 = |with_escalations: bool| {
        let mut configs = vec![
            queue_config("CHAT", 1, "Technical Support"),
            queue_config("TASK", 1, "Technical Support"),
            queue_config("VOICE", 1, "Technical Support"),
            queue_config("VOICE", 1, "VIP Support"),
        ];
        if with_escalations {
            configs.push(queue_config("TASK", 2, "Escalations"));
            configs.push(queue_config("VOICE", 2, "Escalations"));
        }
        Value::Array(configs)
    };
    let expected = vec![
        json!([
            "hours_of_operation",
            "US Business Hours",
            "differs",
            "config",
            hours(8, 20),
            hours(7, 21)
        ]),
        json!(["queue", "Escalations", "only_in_source", null, null, null]),
        json!([
            "queue",
            "General Support",
            "differs",
            "quick_connect_arns",
            [
                "Transfer to Billing",
                "Transfer to Escalations",
                "Transfer to Technical Support"
            ],
            ["Transfer to Billing", "Transfer to Technical Support"]
        ]),
        json!([
            "queue",
            "Technical Support",
            "differs",
            "quick_connect_arns",
            ["Acme Field Services", "Transfer to Escalations"],
            ["Acme Field Services"]
        ]),
        json!([
            "quick_connect",
            "Transfer to Escalations",
            "only_in_source",
            null,
            null,
            null
        ]),
        json!([
            "routing_profile",
            "Tier 2 Agents",
            "differs",
            "associated_queue_arns",
            ["Escalations", "Technical Support", "VIP Support"],
            ["Technical Support", "VIP Support"]
        ]),
        json!([
            "routing_profile",
            "Tier 2 Agents",
            "differs",
            "queue_configs",
            t2(true),
            t2(false)
        ]),
        json!([
            "user",
            "dana.reports",
            "differs",
            "routing_profile_arn",
            "Back Office",
            "Tier 1 Agents"
        ]),
    ];
    assert_eq!(got, expected, "{found:#?}");

    // GROUP BY and every other SQL run over the rows in the engine.
    let grouped = rows(
        &emu,
        &files,
        &format!("SELECT resource_type, count(*) AS n {from} GROUP BY resource_type ORDER BY resource_type"),
    );
    assert_eq!(
        grouped,
        vec![
            json!({"resource_type": "hours_of_operation", "n": 1}),
            json!({"resource_type": "queue", "n": 3}),
            json!({"resource_type": "quick_connect", "n": 1}),
            json!({"resource_type": "routing_profile", "n": 2}),
            json!({"resource_type": "user", "n": 1}),
        ]
    );
    // "What is in prod that staging lacks" read the other way round.
    let prod = arn(&emu, &files, "demo-prod", "us-east-1", "acme-support-prod");
    let reverse = rows(
        &emu,
        &files,
        &format!(
            "SELECT resource_type, name FROM aws.connect.instance_differences \
             WHERE data__SourceInstanceId = '{prod}' AND source_profile = 'demo-prod' \
             AND data__TargetInstanceId = 'acme-support' AND kind = 'only_in_target' \
             ORDER BY resource_type"
        ),
    );
    assert_eq!(
        reverse,
        vec![
            json!({"resource_type": "queue", "name": "Escalations"}),
            json!({"resource_type": "quick_connect", "name": "Transfer to Escalations"}),
        ]
    );
}

#[test]
fn an_arn_of_another_account_is_read_with_the_profile_seen_to_reach_it() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("account", "eu-west-2");
    let prod = arn(&emu, &files, "demo-prod", "us-east-1", "acme-support-prod");
    // One session: its first statement sees which account each profile
    // reaches; the ARN's account then chooses demo-prod with no param.
    let mut c = emu.connectql();
    c.env("AWS_CONFIG_FILE", files.dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", files.dir.join("credentials"))
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args([
            "--profile",
            "demo-dev",
            "--region",
            "us-east-1",
            "--timeout",
            "600",
        ])
        .args(["--output", "csv", "-e"])
        .arg(
            "SELECT count(*) FROM aws.connect.instances WHERE profile IN ('demo-dev', 'demo-prod')",
        )
        .arg("-e")
        .arg(format!(
            "SELECT resource_type, name FROM aws.connect.instance_differences \
             WHERE data__SourceInstanceId = 'acme-support' AND data__TargetInstanceId = '{prod}' \
             AND kind = 'only_in_source' ORDER BY resource_type"
        ));
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    assert!(
        stdout.ends_with(
            "resource_type,name\nqueue,Escalations\nquick_connect,Transfer to Escalations\n"
        ),
        "{stdout}"
    );
}

#[test]
fn an_instance_against_itself_has_no_differences() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("itself", "eu-west-2");
    let support = arn(&emu, &files, "demo-dev", "us-east-1", "acme-support");
    for (a, b) in [
        ("acme-support", "acme-support"),
        ("acme-support", support.as_str()),
    ] {
        let found = rows(
            &emu,
            &files,
            &format!(
                "SELECT * FROM aws.connect.instance_differences \
                 WHERE data__SourceInstanceId = '{a}' AND data__TargetInstanceId = '{b}'"
            ),
        );
        assert!(found.is_empty(), "{a} vs {b}: {found:#?}");
    }
}

#[test]
fn instances_in_two_regions_are_each_read_in_their_own() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("regions", "eu-west-2");
    let uk = arn(&emu, &files, "demo-dev", "eu-west-2", "acme-uk");
    let found = rows(
        &emu,
        &files,
        &format!(
            "SELECT name, kind FROM aws.connect.instance_differences \
             WHERE data__SourceInstanceId = 'acme-support' AND data__TargetInstanceId = '{uk}' \
             AND resource_type = 'queue' AND kind <> 'differs' ORDER BY name"
        ),
    );
    let source_only: Vec<&str> = found
        .iter()
        .filter(|r| r["kind"] == "only_in_source")
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(source_only.contains(&"Escalations"), "{found:#?}");
    assert!(
        found.iter().any(|r| r["kind"] == "only_in_target"),
        "{found:#?}"
    );
    let by_region = &emu.stats()["calls_by_region"];
    assert_eq!(by_region["us-east-1"]["SearchQueues"], 1, "{by_region}");
    assert_eq!(by_region["eu-west-2"]["SearchQueues"], 1, "{by_region}");
}

/// Calls of each operation made by one statement (a process of its own:
/// no session cache carried over).
fn calls_of(emu: &Emulator, files: &AwsFiles, sql: &str) -> (Vec<Value>, Value) {
    let before = emu.stats()["calls"].clone();
    let found = rows(emu, files, sql);
    let after = emu.stats()["calls"].clone();
    let mut made = serde_json::Map::new();
    for (op, n) in after.as_object().into_iter().flatten() {
        let d = n.as_u64().unwrap_or(0) - before[op].as_u64().unwrap_or(0);
        if d > 0 {
            made.insert(op.clone(), json!(d));
        }
    }
    (found, Value::Object(made))
}

#[test]
fn resource_type_predicates_read_only_those_kinds() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("pushdown", "eu-west-2");
    let from = dev_vs_prod(&emu, &files);
    let select =
        format!("SELECT resource_type, name, kind, property, source_value, target_value {from}");
    let (queues, calls) = calls_of(
        &emu,
        &files,
        &format!("{select} AND resource_type = 'queue' ORDER BY name, property"),
    );
    assert_eq!(queues.len(), 3, "{queues:#?}");
    // Queues whole in both instances; of the others only the names their
    // references need (a listing each), never users, routing profiles…
    assert_eq!(calls["SearchQueues"], 2, "{calls}");
    for op in [
        "SearchUsers",
        "ListUsers",
        "DescribeUser",
        "SearchRoutingProfiles",
        "ListRoutingProfileQueues",
        "DescribeContactFlow",
        "SearchPrompts",
    ] {
        assert!(calls.get(op).is_none(), "{op}: {calls}");
    }
    for op in [
        "ListHoursOfOperations",
        "ListQuickConnects",
        "ListContactFlows",
    ] {
        assert_eq!(calls[op], 2, "{op}: {calls}");
    }
    // A wrapped predicate, evaluated by SQLite over the kinds: the same rows.
    let (wrapped, wrapped_calls) = calls_of(
        &emu,
        &files,
        &format!("{select} AND upper(resource_type) = 'QUEUE' ORDER BY name, property"),
    );
    assert_eq!(wrapped, queues);
    assert!(
        wrapped_calls.get("SearchUsers").is_none(),
        "{wrapped_calls}"
    );
    // IN and OR-ed equalities unite.
    for predicate in [
        "resource_type IN ('queue', 'user')",
        "(resource_type = 'queue' OR resource_type = 'user')",
    ] {
        let (found, calls) = calls_of(
            &emu,
            &files,
            &format!("{select} AND {predicate} ORDER BY resource_type, name, property"),
        );
        let kinds: Vec<&str> = found
            .iter()
            .filter_map(|r| r["resource_type"].as_str())
            .collect();
        assert_eq!(kinds, ["queue", "queue", "queue", "user"], "{predicate}");
        assert_eq!(calls["SearchQueues"], 2, "{predicate}: {calls}");
        assert!(
            calls.get("SearchRoutingProfiles").is_none(),
            "{predicate}: {calls}"
        );
        assert!(
            calls.get("DescribeContactFlow").is_none(),
            "{predicate}: {calls}"
        );
    }
    // Anything else reads every kind, and SQLite filters.
    let (named, calls) = calls_of(
        &emu,
        &files,
        &format!("{select} AND (resource_type = 'queue' OR name = 'dana.reports') ORDER BY resource_type, name, property"),
    );
    assert_eq!(named.len(), 4, "{named:#?}");
    assert_eq!(calls["SearchRoutingProfiles"], 2, "{calls}");
    assert!(calls.get("DescribeContactFlow").is_some(), "{calls}");
}

#[test]
fn explain_prints_each_instances_reads_without_a_call() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("explain", "eu-west-2");
    let from = dev_vs_prod(&emu, &files);
    let (plan, calls) = calls_of(
        &emu,
        &files,
        &format!("EXPLAIN SELECT name {from} AND resource_type = 'queue'"),
    );
    assert_eq!(calls, json!({}), "EXPLAIN made calls");
    let ops: Vec<(&str, &str)> = plan
        .iter()
        .map(|r| {
            (
                r["operation"].as_str().unwrap(),
                r["note"].as_str().unwrap(),
            )
        })
        .collect();
    let searches: Vec<&&str> = ops
        .iter()
        .filter(|(op, _)| *op == "SearchQueues")
        .map(|(_, note)| note)
        .collect();
    assert_eq!(searches.len(), 2, "{ops:#?}");
    assert!(
        searches[0].starts_with("source 'acme-support': queues (compared)"),
        "{ops:#?}"
    );
    assert!(searches[1].starts_with("target 'arn:"), "{ops:#?}");
    assert!(ops
        .iter()
        .any(|(op, note)| *op == "ListHoursOfOperations" && note.contains("names only")));
    assert!(!ops.iter().any(|(op, _)| op.contains("User")), "{ops:#?}");
    // The alias is looked up once, shared by every kind's read. The ARN
    // needs no look-up, except that a fresh session does not know yet which
    // account demo-prod reaches: its listing says whether the ARN is there.
    let listings: Vec<&str> = ops
        .iter()
        .filter(|(op, _)| *op == "ListInstances")
        .map(|(_, note)| *note)
        .collect();
    assert_eq!(listings.len(), 2, "{ops:#?}");
    assert!(listings[0].starts_with("source 'acme-support'"), "{ops:#?}");
    assert!(
        listings[1].starts_with("target 'arn:") && listings[1].contains("not known yet"),
        "{ops:#?}"
    );
    assert_eq!(ops.last().map(|o| o.0), Some("(engine)"));
}

#[test]
fn a_missing_instance_is_asked_for_with_an_example() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("missing", "eu-west-2");
    let (ok, _, stderr) = query(
        &emu,
        &files,
        "SELECT * FROM aws.connect.instance_differences WHERE data__SourceInstanceId = 'acme-support'",
    );
    assert!(!ok);
    assert!(
        stderr.contains("data__TargetInstanceId")
            && stderr.contains("SELECT * FROM aws.connect.instance_differences WHERE"),
        "{stderr}"
    );
    // A param OR-ed with a column is refused, not guessed.
    let (ok, _, stderr) = query(
        &emu,
        &files,
        "SELECT * FROM aws.connect.instance_differences WHERE data__SourceInstanceId = 'acme-support' \
         AND (data__TargetInstanceId = 'acme-sales' OR name = 'x')",
    );
    assert!(!ok);
    assert!(stderr.contains("data__TargetInstanceId"), "{stderr}");
    assert_eq!(emu.stats()["calls"], json!({}), "calls were made");
}

#[test]
fn a_missing_instance_is_said_to_be_the_source_or_the_target() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("no-such", "eu-west-2");
    for (sql, side) in [
        (
            "SELECT * FROM aws.connect.instance_differences WHERE \
             data__SourceInstanceId = 'acme-support' AND data__TargetInstanceId = 'no-such-alias'",
            "target",
        ),
        (
            "SELECT * FROM aws.connect.instance_differences WHERE \
             data__SourceInstanceId = 'no-such-alias' AND data__TargetInstanceId = 'acme-support'",
            "source",
        ),
    ] {
        let (ok, _, stderr) = query(&emu, &files, sql);
        assert!(!ok, "{sql}");
        assert!(
            stderr.contains(&format!("no such {side} instance"))
                && stderr.contains(&format!("{side} instance `no-such-alias`")),
            "{stderr}"
        );
    }
}
