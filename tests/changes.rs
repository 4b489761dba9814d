//! End-to-end tests of UPDATE, INSERT and DELETE against the local Connect
//! endpoint, each change verified with the AWS CLI as an independent client.

mod common;

use common::{run, Emulator};
use serde_json::{json, Value};

fn id_of(emu: &Emulator, region: &str, alias: &str) -> Option<String> {
    let listed = emu.aws(region, &["connect", "list-instances"]);
    listed["InstanceSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["InstanceAlias"] == alias)
        .map(|s| s["Id"].as_str().unwrap().to_string())
}

fn connectql(emu: &Emulator, args: &[&str]) -> (bool, String, String) {
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1"]).args(args);
    run(c)
}

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn update_attribute_and_tags_show_in_the_aws_cli() {
    let emu = Emulator::start(&["--demo-data"]);
    let id = id_of(&emu, "us-east-1", "acme-support").unwrap();
    let arn = format!("arn:aws:connect:us-east-1:123456789012:instance/{id}");
    let before = emu.aws(
        "us-east-1",
        &[
            "connect",
            "describe-instance-attribute",
            "--instance-id",
            &id,
            "--attribute-type",
            "CONTACT_LENS",
        ],
    );
    assert_eq!(before["Attribute"]["Value"], "true");

    let (ok, stdout, stderr) = connectql(&emu, &["-e",
        "UPDATE aws.connect.instance SET data__PatchDocument = string('[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false},{\"op\":\"add\",\"path\":\"/Tags/-\",\"value\":{\"Key\":\"owner\",\"Value\":\"me\"}}]') WHERE region = 'us-east-1' AND data__Identifier = 'acme-support';"]);
    assert!(ok, "{stderr}");
    // One row per call: the attribute with its value before and after.
    let rows: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rows[0]["property"], "attributes.ContactLens", "{stdout}");
    assert_eq!(
        (&rows[0]["before"], &rows[0]["after"]),
        (&json!(true), &json!(false))
    );
    assert_eq!(rows[1]["operation"], "TagResource", "{stdout}");
    let after = emu.aws(
        "us-east-1",
        &[
            "connect",
            "describe-instance-attribute",
            "--instance-id",
            &id,
            "--attribute-type",
            "CONTACT_LENS",
        ],
    );
    assert_eq!(after["Attribute"]["Value"], "false");
    let tags = emu.aws(
        "us-east-1",
        &["connect", "list-tags-for-resource", "--resource-arn", &arn],
    );
    assert_eq!(tags["tags"]["owner"], "me");

    // Remove the tag again (by its position in the sorted Key/Value array),
    // with the newer param spellings and the ARN as identifier.
    let sql = format!(
        "UPDATE aws.connect.instance SET PatchDocument = '[{{\"op\":\"test\",\"path\":\"/Tags/2/Key\",\"value\":\"owner\"}},{{\"op\":\"remove\",\"path\":\"/Tags/2\"}}]' WHERE Identifier = '{arn}';"
    );
    let (ok, stdout, stderr) = connectql(&emu, &["-e", &sql]);
    assert!(ok, "{stderr}");
    let rows: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rows[0]["operation"], "UntagResource", "{stdout}");
    assert_eq!(rows[0]["status"], "applied", "{stdout}");
    let tags = emu.aws(
        "us-east-1",
        &["connect", "list-tags-for-resource", "--resource-arn", &arn],
    );
    assert!(tags["tags"].get("owner").is_none(), "{tags}");

    // Same session: the SELECT after an UPDATE shows the truth.
    let (ok, stdout, stderr) = connectql(&emu, &["-o", "json",
        "-e", "SELECT json_extract(attributes, '$.ContactLens') AS lens FROM aws.connect.instance WHERE data__Identifier = 'acme-support'",
        "-e", "UPDATE aws.connect.instance SET data__PatchDocument = '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":true}]' WHERE data__Identifier = 'acme-support'",
        "-e", "SELECT json_extract(attributes, '$.ContactLens') AS lens FROM aws.connect.instance WHERE data__Identifier = 'acme-support'"]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("\"lens\": 0") && stdout.contains("\"lens\": 1"),
        "{stdout}"
    );
}

#[test]
fn refused_patches_make_no_call() {
    let emu = Emulator::start(&["--demo-data"]);
    for patch in [
        r#"[{"op":"replace","path":"/InstanceAlias","value":"renamed"}]"#,
        r#"[{"op":"replace","path":"/Arn","value":"x"}]"#,
        r#"[{"op":"replace","path":"/Attributes/ContactLens","value":"no"}]"#,
        r#"[{"op":"replace","path":"/Attributes/ContactLenz","value":false}]"#,
        r#"not json"#,
    ] {
        let sql = format!("UPDATE aws.connect.instance SET data__PatchDocument = '{patch}' WHERE region = 'us-east-1' AND data__Identifier = 'acme-support';");
        let (ok, _, stderr) = connectql(&emu, &["-e", &sql]);
        assert!(!ok, "{patch} should be refused");
        assert!(stderr.contains("error:"), "{stderr}");
    }
    let calls = emu.stats()["calls"].clone();
    assert!(
        calls.as_object().map(|m| m.is_empty()).unwrap_or(true),
        "calls were made: {calls}"
    );
}

#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn insert_creates_with_attributes_and_delete_needs_yes() {
    let emu = Emulator::start(&["--demo-data"]);
    let (ok, stdout, stderr) = connectql(&emu, &["-o", "json", "-e",
        "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, DirectoryId, Attributes, Tags, region) SELECT 'CONNECT_MANAGED', 'gamma', NULL, '{\"InboundCalls\":true,\"OutboundCalls\":false,\"ContactLens\":true,\"ContactflowLogs\":true}', '[{\"Key\":\"env\",\"Value\":\"dev\"}]', 'us-east-1' RETURNING id, arn;"]);
    assert!(ok, "{stderr}");
    let created: Value = serde_json::from_str(&stdout).unwrap();
    let id = created[0]["id"].as_str().unwrap().to_string();
    assert!(created[0]["arn"].as_str().unwrap().ends_with(&id));
    assert_eq!(
        id_of(&emu, "us-east-1", "gamma").as_deref(),
        Some(id.as_str())
    );
    let attrs = emu.aws(
        "us-east-1",
        &["connect", "list-instance-attributes", "--instance-id", &id],
    );
    let value = |t: &str| {
        attrs["Attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["AttributeType"] == t)
            .unwrap()["Value"]
            .clone()
    };
    assert_eq!(value("INBOUND_CALLS"), "true");
    assert_eq!(value("OUTBOUND_CALLS"), "false");
    assert_eq!(value("CONTACTFLOW_LOGS"), "true");
    let d = emu.aws(
        "us-east-1",
        &["connect", "describe-instance", "--instance-id", &id],
    );
    assert_eq!(d["Instance"]["Tags"], json!({"env": "dev"}));

    // Batch DELETE without --yes deletes nothing and fails, before any call.
    let delete = "DELETE FROM aws.connect.instances WHERE data__Identifier = 'gamma' AND region = 'us-east-1';";
    let describes = emu.calls("DescribeInstance");
    let (ok, _, stderr) = connectql(&emu, &["-e", delete]);
    assert!(!ok);
    assert!(
        stderr.contains("--yes") && stderr.contains("gamma") && stderr.contains("us-east-1"),
        "{stderr}"
    );
    assert_eq!(emu.calls("DeleteInstance"), 0);
    assert_eq!(emu.calls("DescribeInstance"), describes);
    assert!(id_of(&emu, "us-east-1", "gamma").is_some());

    let (ok, stdout, stderr) = connectql(&emu, &["--yes", "-e", delete]);
    assert!(ok, "{stderr}");
    let rows: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (&rows[0]["item"], &rows[0]["after"], &rows[0]["status"]),
        (&json!("gamma"), &json!("deleted"), &json!("applied")),
        "{stdout}"
    );
    assert!(id_of(&emu, "us-east-1", "gamma").is_none());
}

#[test]
fn invalid_inserts_are_refused_before_any_call() {
    let emu = Emulator::start(&[]);
    for (values, expect) in [
        ("'CONNECT_MANAGED', 'd-bad', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'us-east-1'", "InstanceAlias"),
        ("'CONNECT_MANAGED', 'ok', '{\"InboundCalls\":true}', 'us-east-1'", "OutboundCalls"),
        ("'NOPE', 'ok', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'us-east-1'", "IdentityManagementType"),
        ("'CONNECT_MANAGED', 'ok', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'nowhere'", "region"),
    ] {
        let sql = format!("INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) VALUES ({values});");
        let (ok, _, stderr) = connectql(&emu, &["-e", &sql]);
        assert!(!ok);
        assert!(stderr.contains(expect), "{values}: {stderr}");
    }
    let (ok, _, stderr) = connectql(&emu, &["-e",
        "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, DirectoryId, Attributes, region) VALUES ('EXISTING_DIRECTORY', 'ok', 'd-12', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'us-east-1');"]);
    assert!(!ok && stderr.contains("DirectoryId"), "{stderr}");
    assert_eq!(emu.calls("CreateInstance"), 0);
}

#[test]
fn read_only_refuses_every_change() {
    let emu = Emulator::start(&["--demo-data"]);
    for sql in [
        "UPDATE aws.connect.instance SET data__PatchDocument = '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]' WHERE data__Identifier = 'acme-support'",
        "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) VALUES ('CONNECT_MANAGED', 'x1', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'us-east-1')",
        "DELETE FROM aws.connect.instances WHERE data__Identifier = 'acme-support'",
    ] {
        let (ok, _, stderr) = connectql(&emu, &["--read-only", "--yes", "-e", sql]);
        assert!(!ok);
        assert!(stderr.contains("read-only"), "{stderr}");
    }
    let calls = emu.stats()["calls"].clone();
    assert!(
        calls.as_object().map(|m| m.is_empty()).unwrap_or(true),
        "{calls}"
    );
}

#[test]
fn explain_of_every_statement_kind_makes_no_call() {
    let emu = Emulator::start(&["--demo-data"]);
    let statements = [
        ("EXPLAIN SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'", vec!["DescribeInstance", "ListInstanceAttributes", "connect:DescribeInstance"]),
        ("EXPLAIN SELECT region, tags FROM aws.connect.instances WHERE region IN ('us-east-1','eu-west-2')", vec!["ListInstances", "DescribeInstance", "connect:ListInstances"]),
        ("EXPLAIN UPDATE aws.connect.instance SET data__PatchDocument = '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]' WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'", vec!["UpdateInstanceAttribute", "CONTACT_LENS", "connect:UpdateInstanceAttribute"]),
        ("EXPLAIN INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) VALUES ('CONNECT_MANAGED', 'x1', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'us-east-1')", vec!["CreateInstance", "connect:CreateInstance"]),
        ("EXPLAIN DELETE FROM aws.connect.instances WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'", vec!["DeleteInstance", "connect:DeleteInstance"]),
    ];
    for (sql, expect) in statements {
        let (ok, stdout, stderr) = connectql(&emu, &["-o", "csv", "-e", sql]);
        assert!(ok, "{sql}: {stderr}");
        for e in expect {
            assert!(stdout.contains(e), "{sql}: missing {e} in\n{stdout}");
        }
    }
    let calls = emu.stats()["calls"].clone();
    assert!(
        calls.as_object().map(|m| m.is_empty()).unwrap_or(true),
        "{calls}"
    );
}
