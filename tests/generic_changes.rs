//! The instance is one more entry on the generic change path, against the
//! local endpoint: its attributes change by difference (one call per
//! attribute, none on a re-run), StackQL's `data__PatchDocument` works on
//! every table, RETURNING answers the changed items as read back (or, for
//! DELETE, as they were), and `--dry-run` plans an instance's change like
//! any other.

mod common;
#[path = "common/statements.rs"]
mod statements;

use common::{run, Emulator};
use serde_json::{json, Value};
use statements::writes;

const ACME: &str = "region = 'us-east-1' AND data__InstanceId = 'acme-support'";
const SUPPORT: &str = "region = 'us-east-1' AND data__Identifier = 'acme-support'";

/// Runs one statement with `--yes` and `-o json`: (ok, its JSON, stderr).
fn json_of(emu: &Emulator, extra: &[&str], statement: &str) -> (bool, Value, String) {
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "-o", "json", "--yes"])
        .args(extra)
        .args(["-e", statement]);
    let (ok, stdout, stderr) = run(c);
    (
        ok,
        serde_json::from_str(&stdout).unwrap_or(Value::String(stdout)),
        stderr,
    )
}

fn lens_and_media(emu: &Emulator) -> Value {
    let (ok, v, err) = json_of(
        emu,
        &[],
        &format!(
            "SELECT json_extract(attributes, '$.ContactLens') AS lens, \
             json_extract(attributes, '$.EarlyMedia') AS media FROM aws.connect.instance WHERE {SUPPORT}"
        ),
    );
    assert!(ok, "{err}");
    v
}

#[test]
fn instance_attributes_change_by_difference_and_converge() {
    let emu = Emulator::start(&["--demo-data"]);
    assert_eq!(lens_and_media(&emu), json!([{"lens": 1, "media": 1}]));
    // Three keys named, two differ: two calls, one per attribute.
    let update = format!(
        "UPDATE aws.connect.instance SET attributes = json_set(attributes, \
         '$.ContactLens', json('false'), '$.EarlyMedia', json('false'), '$.InboundCalls', json('true')) \
         WHERE {SUPPORT}"
    );
    let (ok, rows, err) = json_of(&emu, &[], &update);
    assert!(ok, "{err}");
    assert_eq!(
        rows,
        json!([
            {"item": "acme-support", "property": "attributes.ContactLens", "before": true, "after": false,
             "operation": "UpdateInstanceAttribute", "region": "us-east-1", "status": "applied", "error": null},
            {"item": "acme-support", "property": "attributes.EarlyMedia", "before": true, "after": false,
             "operation": "UpdateInstanceAttribute", "region": "us-east-1", "status": "applied", "error": null},
        ])
    );
    assert_eq!(emu.calls("UpdateInstanceAttribute"), 2);
    assert_eq!(lens_and_media(&emu), json!([{"lens": 0, "media": 0}]));
    // Converged: the same statement makes no write call.
    let before = writes(&emu);
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "-e", &update]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("nothing to change") && stdout.trim().is_empty(),
        "{stdout}{stderr}"
    );
    assert_eq!(writes(&emu), before);
    // An unknown attribute or a value that is not a boolean: refused
    // before any call, naming it.
    for (set, expect) in [
        (
            "json_set(attributes, '$.ContactLenz', json('true'))",
            "ContactLens",
        ),
        (
            "json_set(attributes, '$.ContactLens', 'yes')",
            "true or false",
        ),
    ] {
        let (ok, _, err) = json_of(
            &emu,
            &[],
            &format!("UPDATE aws.connect.instance SET attributes = {set} WHERE {SUPPORT}"),
        );
        assert!(!ok && err.contains(expect), "{set}: {err}");
    }
    assert_eq!(writes(&emu), before);
}

#[test]
fn patch_documents_work_on_queues_and_instances() {
    let emu = Emulator::start(&["--demo-data"]);
    let (ok, rows, err) = json_of(
        &emu,
        &[],
        &format!(
            "UPDATE aws.connect.queues SET data__PatchDocument = string('[{{\"op\":\"replace\",\"path\":\"/MaxContacts\",\"value\":5}},{{\"op\":\"replace\",\"path\":\"/Description\",\"value\":\"patched\"}}]') \
             WHERE {ACME} AND name = 'Billing'"
        ),
    );
    assert!(ok, "{err}");
    // MaxContacts and Description go through one UpdateQueue* call each.
    let ops: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["operation"].as_str().unwrap())
        .collect();
    assert!(ops.contains(&"UpdateQueueMaxContacts"), "{rows}");
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "applied"),
        "{rows}"
    );
    let (_, read, _) = json_of(
        &emu,
        &[],
        &format!("SELECT max_contacts, description FROM aws.connect.queues WHERE {ACME} AND name = 'Billing'"),
    );
    assert_eq!(read, json!([{"max_contacts": 5, "description": "patched"}]));

    // On an instance: a tag added at the end, an attribute replaced.
    let patch = r#"[{"op":"add","path":"/Tags/-","value":{"Key":"owner","Value":"me"}},{"op":"replace","path":"/Attributes/ContactLens","value":false}]"#;
    let (ok, rows, err) = json_of(
        &emu,
        &[],
        &format!("UPDATE aws.connect.instance SET data__PatchDocument = '{patch}' WHERE {SUPPORT}"),
    );
    assert!(ok, "{err}");
    let ops: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["operation"].as_str().unwrap())
        .collect();
    // In the patch's order: the tag, then the attribute.
    assert_eq!(ops, ["TagResource", "UpdateInstanceAttribute"], "{rows}");
    // A `test` that does not hold refuses the whole patch, before any call.
    let before = writes(&emu);
    let failing = r#"[{"op":"test","path":"/Attributes/ContactLens","value":true},{"op":"replace","path":"/Attributes/EarlyMedia","value":true}]"#;
    let (ok, _, err) = json_of(
        &emu,
        &[],
        &format!(
            "UPDATE aws.connect.instance SET data__PatchDocument = '{failing}' WHERE {SUPPORT}"
        ),
    );
    assert!(!ok && err.contains("test fails on acme-support"), "{err}");
    // An unknown path is refused naming it.
    let (ok, _, err) = json_of(
        &emu,
        &[],
        &format!(
            "UPDATE aws.connect.queues SET data__PatchDocument = '[{{\"op\":\"replace\",\"path\":\"/MaxContactz\",\"value\":1}}]' WHERE {ACME}"
        ),
    );
    assert!(
        !ok && err.contains("unknown patch path `/MaxContactz`") && err.contains("/MaxContacts"),
        "{err}"
    );
    assert_eq!(writes(&emu), before);
}

#[test]
fn returning_answers_the_changed_queues() {
    let emu = Emulator::start(&["--demo-data"]);
    // INSERT: the created item, read back through Describe.
    let (ok, rows, err) = json_of(
        &emu,
        &[],
        "INSERT INTO aws.connect.queues (name, description, hours_of_operation_arn, max_contacts, region, data__InstanceId) \
         VALUES ('Returned', 'new', 'Basic Hours', 3, 'us-east-1', 'acme-support') \
         RETURNING name, max_contacts * 2 AS doubled, queue_arn LIKE 'arn:aws:connect:%' AS arn_ok",
    );
    assert!(ok, "{err}");
    assert_eq!(
        rows,
        json!([{"name": "Returned", "doubled": 6, "arn_ok": 1}])
    );
    // UPDATE: every item selected, as Connect has it after the change.
    let (ok, rows, err) = json_of(
        &emu,
        &[],
        &format!(
            "UPDATE aws.connect.queues SET max_contacts = 9 WHERE {ACME} AND name IN ('Returned', 'Billing') \
             RETURNING name, max_contacts"
        ),
    );
    assert!(ok, "{err}");
    let mut got: Vec<Value> = rows.as_array().unwrap().clone();
    got.sort_by_key(|r| r["name"].as_str().unwrap().to_string());
    assert_eq!(
        got,
        vec![
            json!({"name": "Billing", "max_contacts": 9}),
            json!({"name": "Returned", "max_contacts": 9})
        ]
    );
    // DELETE: the rows as they were before.
    let (ok, rows, err) = json_of(
        &emu,
        &[],
        &format!("DELETE FROM aws.connect.queues WHERE {ACME} AND name = 'Returned' RETURNING name, description, max_contacts"),
    );
    assert!(ok, "{err}");
    assert_eq!(
        rows,
        json!([{"name": "Returned", "description": "new", "max_contacts": 9}])
    );
    let (_, left, _) = json_of(
        &emu,
        &[],
        &format!("SELECT count(*) AS n FROM aws.connect.queues WHERE {ACME} AND name = 'Returned'"),
    );
    assert_eq!(left, json!([{"n": 0}]));
    // A RETURNING column that does not exist: refused before any call.
    let before = writes(&emu);
    let (ok, _, err) = json_of(
        &emu,
        &[],
        &format!("UPDATE aws.connect.queues SET max_contacts = 1 WHERE {ACME} AND name = 'Billing' RETURNING no_such_column"),
    );
    assert!(!ok && err.contains("no_such_column"), "{err}");
    assert_eq!(writes(&emu), before);
}

#[test]
fn returning_answers_the_changed_instance() {
    let emu = Emulator::start(&["--demo-data", "--create-delay-ms", "300"]);
    // INSERT: CreateInstance, then (once ACTIVE) the attributes it does not
    // take, then the new instance read back.
    let (ok, rows, err) = json_of(
        &emu,
        &[],
        "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) \
         VALUES ('CONNECT_MANAGED', 'delta', '{\"InboundCalls\":true,\"OutboundCalls\":false,\"EarlyMedia\":true}', 'us-east-1') \
         RETURNING instance_alias, instance_status, json_extract(attributes, '$.EarlyMedia') AS media, \
         json_extract(attributes, '$.OutboundCalls') AS outbound",
    );
    assert!(ok, "{err}");
    assert_eq!(
        rows,
        json!([{"instance_alias": "delta", "instance_status": "ACTIVE", "media": 1, "outbound": 0}])
    );
    assert_eq!(emu.calls("CreateInstance"), 1);
    assert_eq!(emu.calls("UpdateInstanceAttribute"), 1);
    // UPDATE … RETURNING reads the instance back after the change.
    let (ok, rows, err) = json_of(
        &emu,
        &[],
        "UPDATE aws.connect.instance SET data__PatchDocument = '[{\"op\":\"replace\",\"path\":\"/Attributes/EarlyMedia\",\"value\":false}]' \
         WHERE region = 'us-east-1' AND data__Identifier = 'delta' \
         RETURNING instance_alias, json_extract(attributes, '$.EarlyMedia') AS media",
    );
    assert!(ok, "{err}");
    assert_eq!(rows, json!([{"instance_alias": "delta", "media": 0}]));
    // DELETE … RETURNING: the instance as it was.
    let (ok, rows, err) = json_of(
        &emu,
        &[],
        "DELETE FROM aws.connect.instances WHERE region = 'us-east-1' AND data__Identifier = 'delta' \
         RETURNING instance_alias, instance_status",
    );
    assert!(ok, "{err}");
    assert_eq!(
        rows,
        json!([{"instance_alias": "delta", "instance_status": "ACTIVE"}])
    );
    assert_eq!(emu.calls("DeleteInstance"), 1);
}

#[test]
fn dry_run_plans_an_instance_change_and_sends_nothing() {
    let emu = Emulator::start(&["--demo-data"]);
    let (ok, rows, err) = json_of(
        &emu,
        &["--dry-run"],
        &format!(
            "UPDATE aws.connect.instance SET data__PatchDocument = '[{{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}}]', \
             tags = json('[{{\"Key\":\"env\",\"Value\":\"test\"}}]') WHERE {SUPPORT}"
        ),
    );
    assert!(ok, "{err}");
    assert!(
        err.contains("dry run") && err.contains("no write call was made"),
        "{err}"
    );
    let planned: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["status"], "planned", "{rows}");
            (
                r["property"].as_str().unwrap(),
                r["operation"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        planned,
        [
            ("attributes.ContactLens", "UpdateInstanceAttribute"),
            ("tags", "TagResource"),
            ("tags", "UntagResource")
        ],
        "{rows}"
    );
    assert_eq!(writes(&emu), 0);
    // The INSERT of an instance is planned too: the create, then the
    // attribute it does not take.
    let (ok, rows, err) = json_of(
        &emu,
        &["--dry-run"],
        "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) \
         VALUES ('CONNECT_MANAGED', 'epsilon', '{\"InboundCalls\":true,\"OutboundCalls\":true,\"ContactLens\":true}', 'us-east-1')",
    );
    assert!(ok, "{err}");
    let ops: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["operation"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["CreateInstance", "UpdateInstanceAttribute"], "{rows}");
    assert_eq!(writes(&emu), 0);
}

/// What is read back after a change comes through Describe, read again a
/// few times while Connect does not find the new item yet (its search is
/// eventually consistent); past the bound, the change stands and the
/// missing row is said.
#[test]
fn returning_reads_again_while_a_new_item_is_not_found() {
    let emu = Emulator::start(&["--demo-data"]);
    let insert = |name: &str| {
        format!(
            "INSERT INTO aws.connect.queues (name, hours_of_operation_arn, region, data__InstanceId) \
             VALUES ('{name}', 'Basic Hours', 'us-east-1', 'acme-support') RETURNING name, status"
        )
    };
    // Not found twice, then found: the row is there.
    emu.post(
        "/_emulator/faults",
        json!({"not_found": {"operations": ["DescribeQueue"], "count": 2}}),
    );
    let describes = emu.calls("DescribeQueue");
    let (ok, rows, err) = json_of(&emu, &[], &insert("Eventually"));
    assert!(ok, "{err}");
    assert_eq!(rows, json!([{"name": "Eventually", "status": "ENABLED"}]));
    assert_eq!(
        emu.calls("DescribeQueue") - describes,
        3,
        "two misses, then the row"
    );
    // Never found within the bound: created all the same, and said.
    emu.post(
        "/_emulator/faults",
        json!({"not_found": {"operations": ["DescribeQueue"], "count": 100}}),
    );
    let (_, rows, err) = json_of(&emu, &[], &insert("Never"));
    assert_eq!(rows, json!([]), "{err}");
    assert!(
        err.contains("not found when read back after 4 reads"),
        "{err}"
    );
    emu.post("/_emulator/faults", json!({"not_found": null}));
    let (_, found, _) = json_of(
        &emu,
        &[],
        &format!("SELECT count(*) AS n FROM aws.connect.queues WHERE {ACME} AND name = 'Never'"),
    );
    assert_eq!(found, json!([{"n": 1}]));
}
