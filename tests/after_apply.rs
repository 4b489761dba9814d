//! Faults after the change: the endpoint applies a change and then answers
//! 500 or drops the connection. The client retries with the same
//! ClientToken, so INSERT creates exactly one instance, UPDATE applies each
//! change once and DELETE deletes once — and says so, without an error.

use serde_json::json;

mod common;
use common::{run, Emulator};

fn connectql(emu: &Emulator, statement: &str) -> (bool, String, String) {
    let mut c = emu.connectql();
    c.args([
        "--region",
        "us-east-1",
        "-o",
        "json",
        "--yes",
        "-e",
        statement,
    ]);
    run(c)
}

fn fail_after_applying(emu: &Emulator, mode: &str, op: &str) {
    let r = emu.post(
        "/_emulator/faults",
        json!({"apply_then_fail": {"mode": mode, "operations": [op], "count": 1}}),
    );
    assert!(r.get("apply_then_fail").is_some(), "{r}");
}

fn instances_named(emu: &Emulator, alias: &str) -> usize {
    let (ok, out, err) = connectql(
        emu,
        &format!(
            "SELECT count(*) AS n FROM aws.connect.instances WHERE instance_alias = '{alias}'"
        ),
    );
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v[0]["n"].as_u64().unwrap() as usize
}

#[test]
fn changes_are_applied_once_when_the_answer_is_lost() {
    for mode in ["error", "drop"] {
        let emu = Emulator::start(&["--demo-data", "--create-delay-ms", "50"]);
        let alias = format!("once-{mode}");

        fail_after_applying(&emu, mode, "CreateInstance");
        let (ok, _, err) = connectql(
            &emu,
            &format!(
                "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) \
                 SELECT 'CONNECT_MANAGED', '{alias}', '{{\"InboundCalls\":true,\"OutboundCalls\":true}}', 'us-east-1'"
            ),
        );
        assert!(ok, "{mode}: {err}");
        let stats = emu.stats();
        assert_eq!(stats["applied_then_failed"], 1, "{mode}: the fault fired");
        assert_eq!(
            stats["client_token_replays"], 1,
            "{mode}: the retry carried the token"
        );
        assert_eq!(
            instances_named(&emu, &alias),
            1,
            "{mode}: exactly one instance"
        );

        fail_after_applying(&emu, mode, "UpdateInstanceAttribute");
        let (ok, out, err) = connectql(
            &emu,
            &format!(
                "UPDATE aws.connect.instance SET data__PatchDocument = '[{{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}}]' \
                 WHERE region = 'us-east-1' AND data__Identifier = '{alias}'"
            ),
        );
        assert!(ok, "{mode}: {err}");
        // One row per call: the attribute, before and after, applied.
        let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            rows,
            json!([{"item": alias, "property": "attributes.ContactLens", "before": true,
                    "after": false, "operation": "UpdateInstanceAttribute",
                    "region": "us-east-1", "status": "applied", "error": null}]),
            "{mode}"
        );
        let stats = emu.stats();
        assert_eq!(stats["applied_then_failed"], 2, "{mode}");
        assert_eq!(
            stats["client_token_replays"], 2,
            "{mode}: applied once, replayed once"
        );

        fail_after_applying(&emu, mode, "DeleteInstance");
        let (ok, out, err) = connectql(
            &emu,
            &format!("DELETE FROM aws.connect.instances WHERE region = 'us-east-1' AND data__Identifier = '{alias}'"),
        );
        assert!(ok, "{mode}: a retried delete is not a 404: {err}");
        assert!(out.contains("deleted"), "{out}");
        let stats = emu.stats();
        assert_eq!(stats["applied_then_failed"], 3, "{mode}");
        assert_eq!(stats["client_token_replays"], 3, "{mode}");
        assert_eq!(instances_named(&emu, &alias), 0);
    }
}
