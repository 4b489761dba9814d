//! End-to-end tests of the read path: the real binary, the real SDK and the
//! local Connect endpoint, checked against the AWS CLI as an independent
//! client.

mod common;

use common::{query_json, run, Emulator};
use serde_json::{json, Value};

const SEED_SELECT: &str =
    "SELECT region, id, arn, identity_management_type, instance_alias, created_time, \
     service_role, instance_status, directory_id, attributes, tags FROM aws.connect.instance";

/// Creates an instance with the AWS CLI and waits until it is ACTIVE.
fn create_with_aws_cli(emu: &Emulator, region: &str, alias: &str, tags: &str) -> Value {
    let created = emu.aws(
        region,
        &[
            "connect",
            "create-instance",
            "--identity-management-type",
            "CONNECT_MANAGED",
            "--instance-alias",
            alias,
            "--inbound-calls-enabled",
            "--no-outbound-calls-enabled",
            "--tags",
            tags,
        ],
    );
    let id = created["Id"].as_str().expect("Id").to_string();
    for _ in 0..100 {
        let d = emu.aws(
            region,
            &["connect", "describe-instance", "--instance-id", &id],
        );
        if d["Instance"]["InstanceStatus"] == "ACTIVE" {
            return d["Instance"].clone();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("instance {id} never became ACTIVE");
}

/// What the AWS CLI reads back, shaped like the seed's row.
fn expected_row(emu: &Emulator, region: &str, instance: &Value) -> Value {
    let id = instance["Id"].as_str().unwrap();
    let arn = instance["Arn"].as_str().unwrap();
    let mut attributes = serde_json::Map::new();
    let listed = emu.aws(
        region,
        &["connect", "list-instance-attributes", "--instance-id", id],
    );
    let names = [
        ("INBOUND_CALLS", "InboundCalls"),
        ("OUTBOUND_CALLS", "OutboundCalls"),
        ("CONTACTFLOW_LOGS", "ContactflowLogs"),
        ("CONTACT_LENS", "ContactLens"),
        ("AUTO_RESOLVE_BEST_VOICES", "AutoResolveBestVoices"),
        ("USE_CUSTOM_TTS_VOICES", "UseCustomTTSVoices"),
        ("EARLY_MEDIA", "EarlyMedia"),
        ("MULTI_PARTY_CONFERENCE", "MultiPartyConference"),
        ("HIGH_VOLUME_OUTBOUND", "HighVolumeOutBound"),
        ("ENHANCED_CONTACT_MONITORING", "EnhancedContactMonitoring"),
        ("ENHANCED_CHAT_MONITORING", "EnhancedChatMonitoring"),
        ("MULTI_PARTY_CHAT_CONFERENCE", "MultiPartyChatConference"),
        ("MESSAGE_STREAMING", "MessageStreaming"),
        ("AUTO_MUTE_AGENT_ON_HOLD", "AutoMuteAgentOnHold"),
    ];
    for a in listed["Attributes"].as_array().unwrap() {
        let api = a["AttributeType"].as_str().unwrap();
        let cfn = names.iter().find(|(t, _)| *t == api).unwrap().1;
        attributes.insert(cfn.into(), json!(a["Value"] == "true"));
    }
    let tags = emu.aws(
        region,
        &["connect", "list-tags-for-resource", "--resource-arn", arn],
    );
    let mut tag_list: Vec<(String, String)> = tags["tags"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    tag_list.sort();
    json!({
        "region": region,
        "id": id,
        "arn": arn,
        "identity_management_type": instance["IdentityManagementType"],
        "instance_alias": instance["InstanceAlias"],
        "created_time": instance["CreatedTime"],
        "service_role": instance["ServiceRole"],
        "instance_status": instance["InstanceStatus"],
        "directory_id": null,
        "attributes": attributes,
        "tags": tag_list.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
    })
}

/// created_time: ISO-8601 UTC at second precision, the same instant the
/// AWS CLI shows (it prints `2026-11-26T19:54:36.577000+00:00`).
/// AWS CLI v1 prints the epoch number itself, v2 an ISO string.
fn same_instant(ours: &Value, cli: &Value) -> bool {
    let Some(o) = ours.as_str() else { return false };
    let cli_iso = match cli {
        Value::Number(n) => {
            let t = time::OffsetDateTime::from_unix_timestamp(n.as_f64().unwrap().floor() as i64)
                .unwrap();
            t.format(&time::format_description::well_known::Rfc3339)
                .unwrap()
        }
        Value::String(s) => s.clone(),
        _ => return false,
    };
    o.len() == 20 && o.ends_with('Z') && cli_iso.starts_with(&o[..19])
}

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn seed_statement_matches_the_aws_cli_for_arn_id_and_alias() {
    let emu = Emulator::start(&["--create-delay-ms", "200"]);
    let east = create_with_aws_cli(&emu, "us-east-1", "alpha", "env=prod,team=ops");
    let west = create_with_aws_cli(&emu, "eu-west-2", "beta", "env=dev");

    for (region, instance) in [("us-east-1", &east), ("eu-west-2", &west)] {
        let mut expected = expected_row(&emu, region, instance);
        let cli_time = expected["created_time"].take();
        for ident in [
            &instance["Arn"],
            &instance["Id"],
            &instance["InstanceAlias"],
        ] {
            let sql = format!(
                "{SEED_SELECT} WHERE region = '{region}' AND data__Identifier = '{}';",
                ident.as_str().unwrap()
            );
            let (ok, results, stderr) = query_json(&emu, None, &[&sql]);
            assert!(ok, "{sql}: {stderr}");
            let rows = results[0].as_array().unwrap();
            assert_eq!(rows.len(), 1, "{sql}");
            let mut row = rows[0].clone();
            assert!(
                same_instant(&row["created_time"], &cli_time),
                "{row} vs {cli_time}"
            );
            row["created_time"] = Value::Null;
            assert_eq!(row, expected, "{sql}");
            assert_eq!(row.as_object().unwrap().len(), 11);
        }
    }
}

#[test]
fn fan_out_lists_both_regions_in_order() {
    let emu = Emulator::start(&["--demo-data"]);
    let (ok, results, stderr) = query_json(
        &emu,
        None,
        &["SELECT region, instance_alias FROM aws.connect.instances WHERE region IN ('us-east-1','eu-west-2') ORDER BY instance_alias"],
    );
    assert!(ok, "{stderr}");
    assert_eq!(
        results[0],
        json!([
            {"region": "us-east-1", "instance_alias": "acme-sales"},
            {"region": "us-east-1", "instance_alias": "acme-support"},
            {"region": "eu-west-2", "instance_alias": "acme-uk"},
        ])
    );
}

#[test]
fn missing_identifier_names_the_param_and_shows_an_example() {
    let emu = Emulator::start(&[]);
    let mut c = emu.connectql();
    c.args([
        "-e",
        "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1'",
    ]);
    let (ok, stdout, stderr) = run(c);
    assert!(!ok);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("data__Identifier"), "{stderr}");
    assert!(stderr.contains("get_resource"), "{stderr}");
    assert!(
        stderr.contains("WHERE region = 'us-east-1' AND data__Identifier = "),
        "{stderr}"
    );
    assert_eq!(
        emu.stats()["calls"]
            .as_object()
            .map(|m| m.len())
            .unwrap_or(0),
        0
    );
}

#[test]
fn missing_region_without_a_default_is_an_error() {
    let emu = Emulator::start(&[]);
    let mut c = emu.connectql();
    c.args(["-e", "SELECT id FROM aws.connect.instances"]);
    let (ok, _, stderr) = run(c);
    assert!(!ok);
    assert!(
        stderr.contains("`region`") && stderr.contains("list_resources"),
        "{stderr}"
    );
}

#[test]
fn session_cache_and_call_pruning() {
    let emu = Emulator::start(&["--demo-data"]);
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("twice.sql");
    std::fs::write(
        &script,
        "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'acme-support';\n\
         SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'acme-support';\n",
    )
    .unwrap();
    let mut c = emu.connectql();
    c.args(["--output", "json", "-f", script.to_str().unwrap()]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    let arrays: Vec<Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(arrays.len(), 2);
    assert_eq!(arrays[0], arrays[1]);
    assert_eq!(emu.calls("DescribeInstance"), 1);
    assert_eq!(emu.calls("ListInstances"), 1, "the alias resolves once");
    assert_eq!(
        emu.calls("ListInstanceAttributes"),
        2,
        "one listing: two pages of 7"
    );

    let emu2 = Emulator::start(&["--demo-data"]);
    let (ok, results, stderr) = query_json(
        &emu2,
        None,
        &["SELECT id, instance_alias FROM aws.connect.instances WHERE region = 'us-east-1'"],
    );
    assert!(ok, "{stderr}");
    assert_eq!(results[0].as_array().unwrap().len(), 2);
    assert_eq!(emu2.calls("ListInstanceAttributes"), 0);
    assert_eq!(emu2.calls("DescribeInstance"), 0);

    // --no-cache: the same statement twice calls twice.
    let mut c = emu2.connectql();
    c.args([
        "--no-cache",
        "--output",
        "json",
        "-f",
        script.to_str().unwrap(),
    ]);
    let (ok, _, stderr) = run(c);
    assert!(ok, "{stderr}");
    assert_eq!(emu2.calls("DescribeInstance"), 2);
}

#[test]
fn full_sql_over_fetched_rows() {
    let emu = Emulator::start(&["--demo-data"]);
    let regions = "region IN ('us-east-1','eu-west-2','ap-southeast-2')";
    let statements = [
        format!("SELECT region, count(*) AS n FROM aws.connect.instances WHERE {regions} GROUP BY region ORDER BY n DESC, region"),
        format!("SELECT instance_alias FROM aws.connect.instances WHERE {regions} AND instance_alias LIKE 'acme-s%' ORDER BY 1 LIMIT 1 OFFSET 1"),
        format!("SELECT DISTINCT identity_management_type FROM aws.connect.instances WHERE {regions}"),
        format!("SELECT instance_alias, json_extract(attributes, '$.ContactLens') AS lens FROM aws.connect.instances WHERE {regions} ORDER BY instance_alias"),
        format!("SELECT i.instance_alias, t.value ->> '$.Value' AS env FROM aws.connect.instances i, json_each(i.tags) t WHERE i.{regions} AND t.value ->> '$.Key' = 'env' ORDER BY 1"),
        "SELECT l.instance_alias, g.instance_status FROM aws.connect.instances l JOIN aws.connect.instance g ON l.id = g.id \
         WHERE l.region = 'us-east-1' AND g.region = 'us-east-1' AND g.data__Identifier = 'acme-sales'".to_string(),
    ];
    let refs: Vec<&str> = statements.iter().map(String::as_str).collect();
    let (ok, results, stderr) = query_json(&emu, None, &refs);
    assert!(ok, "{stderr}");
    assert_eq!(
        results[0],
        json!([{"region": "us-east-1", "n": 2}, {"region": "ap-southeast-2", "n": 1}, {"region": "eu-west-2", "n": 1}])
    );
    assert_eq!(results[1], json!([{"instance_alias": "acme-support"}]));
    let distinct: Vec<&Value> = results[2].as_array().unwrap().iter().collect();
    let mut unique = distinct.clone();
    unique.dedup();
    assert!(
        !distinct.is_empty() && distinct.len() == unique.len(),
        "{}",
        results[2]
    );
    let lens = results[3].as_array().unwrap();
    assert_eq!(lens.len(), 4);
    assert!(lens.iter().all(|r| r["lens"].is_i64()), "{lens:?}");
    assert_eq!(results[4].as_array().unwrap().len(), 4, "{}", results[4]);
    assert_eq!(
        results[5],
        json!([{"instance_alias": "acme-sales", "instance_status": "ACTIVE"}])
    );
}

#[test]
fn unknown_field_suggests_and_makes_no_call() {
    let emu = Emulator::start(&["--demo-data"]);
    let mut c = emu.connectql();
    c.args([
        "-e",
        "SELECT instance_alais FROM aws.connect.instances WHERE region = 'us-east-1'",
    ]);
    let (ok, _, stderr) = run(c);
    assert!(!ok);
    assert!(stderr.contains("did you mean `instance_alias`"), "{stderr}");
    assert_eq!(emu.calls("ListInstances"), 0);
}

#[test]
fn default_region_from_flag_and_environment() {
    let emu = Emulator::start(&["--demo-data"]);
    let (ok, results, stderr) = query_json(
        &emu,
        Some("eu-west-2"),
        &["SELECT instance_alias FROM aws.connect.instances"],
    );
    assert!(ok, "{stderr}");
    assert_eq!(results[0], json!([{"instance_alias": "acme-uk"}]));

    let mut c = emu.connectql();
    c.env("AWS_REGION", "ap-southeast-2").args([
        "--output",
        "json",
        "-e",
        "SELECT instance_alias FROM aws.connect.instances",
    ]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("acme-anz"), "{stdout}");
}

#[test]
fn demo_works_without_any_aws_configuration() {
    let mut c = common::clean_command(common::BIN);
    c.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    c.args([
        "--demo",
        "--output",
        "json",
        "-e",
        "SELECT region, instance_alias, attributes, tags FROM aws.connect.instances WHERE region IN ('us-east-1','eu-west-2','ap-southeast-2') ORDER BY instance_alias",
    ]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    let rows: Value = serde_json::from_str(&stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows
        .iter()
        .all(|r| r["attributes"].is_object() && r["tags"].is_array()));
}

#[test]
fn output_formats() {
    let emu = Emulator::start(&["--demo-data"]);
    let sql = "SELECT instance_alias, tags FROM aws.connect.instances WHERE region = 'eu-west-2'";
    let outputs: Vec<String> = ["table", "csv", "text"]
        .iter()
        .map(|f| {
            let mut c = emu.connectql();
            c.args(["--output", f, "-e", sql]);
            let (ok, stdout, stderr) = run(c);
            assert!(ok, "{stderr}");
            stdout
        })
        .collect();
    assert!(
        outputs[0].contains("acme-uk") && outputs[0].trim_end().ends_with("(1 row)"),
        "{}",
        outputs[0]
    );
    assert!(
        outputs[1].starts_with("instance_alias,tags\nacme-uk,"),
        "{}",
        outputs[1]
    );
    assert!(outputs[2].starts_with("acme-uk\t[{"), "{}", outputs[2]);
}

#[test]
fn examples_run_against_the_demo() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut ran = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("sql") {
            continue;
        }
        let mut c = common::clean_command(common::BIN);
        c.args([
            "--demo",
            "--yes",
            "--output",
            "json",
            "-f",
            path.to_str().unwrap(),
        ]);
        let (ok, stdout, stderr) = run(c);
        assert!(ok, "{}: {stderr}", path.display());
        assert!(
            !stdout.trim().is_empty(),
            "{} printed nothing",
            path.display()
        );
        ran += 1;
    }
    assert!(ran >= 3, "examples/ should hold the read statements");
}

#[test]
fn endpoint_from_the_environment() {
    let emu = Emulator::start(&["--demo-data"]);
    for var in ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CONNECT"] {
        let mut c = common::clean_command(common::BIN);
        c.env(var, &emu.url).args([
            "--region",
            "eu-west-2",
            "-o",
            "text",
            "-e",
            "SELECT instance_alias FROM aws.connect.instances",
        ]);
        let (ok, stdout, stderr) = run(c);
        assert!(ok, "{var}: {stderr}");
        assert_eq!(stdout, "acme-uk\n", "{var}");
    }
}
