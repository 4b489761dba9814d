//! Real tasks, each one statement, as the README shows them, run against
//! the demo: exactly the items the task is about change, in exactly the
//! property it names, and the statement run again makes no write call.

use std::collections::BTreeMap;

use serde_json::{json, Value};

mod common;
#[path = "common/statements.rs"]
mod statements;

use common::{query_json, Emulator};
use statements::{change, converged, writes, REGION};

/// The rows of a SELECT, in its order.
fn rows(emu: &Emulator, sql: &str) -> Vec<Value> {
    let (ok, values, stderr) = query_json(emu, Some(REGION), &[sql]);
    assert!(ok, "{sql}: {stderr}");
    values[0].as_array().unwrap().clone()
}

/// name → value of one column, for every row of a SELECT of two columns.
fn by_name(emu: &Emulator, sql: &str, name: &str, value: &str) -> BTreeMap<String, Value> {
    rows(emu, sql)
        .into_iter()
        .map(|r| (r[name].as_str().unwrap().to_string(), r[value].clone()))
        .collect()
}

/// The README's "take a permission away from every security profile".
const REMOVE_PERMISSION: &str = "\
UPDATE aws.connect.security_profiles
SET permissions = (SELECT json_group_array(value) FROM json_each(permissions)
                   WHERE value <> 'ListenIn')
WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support'
  AND EXISTS (SELECT 1 FROM json_each(permissions) WHERE value = 'ListenIn')";

#[test]
fn a_permission_is_taken_away_from_the_profiles_that_have_it() {
    let emu = Emulator::start(&["--demo-data"]);
    let all = "SELECT security_profile_name, permissions FROM aws.connect.security_profiles \
               WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support'";
    let before = by_name(&emu, all, "security_profile_name", "permissions");
    let holders: Vec<&String> = before
        .iter()
        .filter(|(_, p)| p.as_array().unwrap().contains(&json!("ListenIn")))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        holders,
        ["Admin", "CallCenterManager", "QualityAnalyst", "Team Lead"],
        "the demo's profiles that may listen in"
    );

    let calls = change(&emu, REMOVE_PERMISSION);
    // One UpdateSecurityProfile per profile that had it, with its
    // permissions in their order, less ListenIn.
    let mut changed: Vec<(String, Value, Value)> = calls
        .iter()
        .map(|c| {
            assert_eq!(c["operation"], "UpdateSecurityProfile", "{c}");
            assert_eq!(c["property"], "permissions", "{c}");
            (
                c["item"].as_str().unwrap().to_string(),
                c["before"].clone(),
                c["after"].clone(),
            )
        })
        .collect();
    changed.sort_by(|a, b| a.0.cmp(&b.0));
    let want: Vec<(String, Value, Value)> = holders
        .iter()
        .map(|n| {
            let was = before[*n].clone();
            let less: Vec<Value> = was
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| **p != json!("ListenIn"))
                .cloned()
                .collect();
            (n.to_string(), was, Value::Array(less))
        })
        .collect();
    assert_eq!(changed, want);

    // Read back: only ListenIn went, only from those profiles.
    let after = by_name(&emu, all, "security_profile_name", "permissions");
    let expected: BTreeMap<String, Value> = before
        .iter()
        .map(|(n, p)| {
            let p = match want.iter().find(|(w, _, _)| w == n) {
                Some((_, _, less)) => less.clone(),
                None => p.clone(),
            };
            (n.clone(), p)
        })
        .collect();
    assert_eq!(after, expected);
    // The profiles that still have it: none, so nothing is selected.
    converged(&emu, REMOVE_PERMISSION);
}

/// The README's "disable every queue that no routing profile serves".
const DISABLE_UNSERVED: &str = "\
UPDATE aws.connect.queues SET status = 'DISABLED'
WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support' AND type = 'STANDARD'
  AND NOT EXISTS (SELECT 1 FROM aws.connect.routing_profiles r, json_each(r.queue_configs) c
                  WHERE r.region = 'us-east-1' AND r.data__InstanceId = 'acme-support'
                    AND c.value ->> '$.QueueReference.QueueArn' = queues.queue_arn)";

#[test]
fn queues_no_routing_profile_serves_are_disabled() {
    let emu = Emulator::start(&["--demo-data"]);
    let statuses = "SELECT name, status FROM aws.connect.queues \
                    WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support'";
    // Every queue of the demo is served: the statement selects none.
    let start = writes(&emu);
    let mut c = emu.connectql();
    c.args(["--region", REGION, "--yes", "-e", DISABLE_UNSERVED]);
    let (ok, out, err) = common::run(c);
    assert!(ok, "{err}");
    assert!(
        format!("{out}{err}").starts_with("nothing to change: the WHERE clause selects no queues"),
        "{out}{err}"
    );
    assert_eq!(writes(&emu), start);

    // Two new queues no profile serves.
    change(
        &emu,
        "INSERT INTO aws.connect.queues (name, description, hours_of_operation_arn, region, data__InstanceId) \
         VALUES ('Claims', 'Insurance claims', 'Basic Hours', 'us-east-1', 'acme-support'), \
                ('Claims Overflow', 'Insurance claims, overflow', 'Basic Hours', 'us-east-1', 'acme-support')",
    );
    let before = by_name(&emu, statuses, "name", "status");
    assert_eq!(before["Claims"], "ENABLED");

    let calls = change(&emu, DISABLE_UNSERVED);
    let mut changed: Vec<Value> = calls
        .iter()
        .map(|c| {
            json!([
                c["item"],
                c["property"],
                c["before"],
                c["after"],
                c["operation"]
            ])
        })
        .collect();
    changed.sort_by(|a, b| a[0].as_str().cmp(&b[0].as_str()));
    assert_eq!(
        changed,
        vec![
            json!([
                "Claims",
                "status",
                "ENABLED",
                "DISABLED",
                "UpdateQueueStatus"
            ]),
            json!([
                "Claims Overflow",
                "status",
                "ENABLED",
                "DISABLED",
                "UpdateQueueStatus"
            ]),
        ]
    );
    // Read back: those two are disabled, every served queue as it was.
    let after = by_name(&emu, statuses, "name", "status");
    let mut expected = before.clone();
    expected.insert("Claims".into(), json!("DISABLED"));
    expected.insert("Claims Overflow".into(), json!("DISABLED"));
    assert_eq!(after, expected);
    converged(&emu, DISABLE_UNSERVED);
}
