//! The fewest calls: each statement makes exactly the calls its plan
//! promises, counted at the local endpoint.

use std::collections::BTreeMap;

use serde_json::Value;

mod common;
use common::{query_json, Emulator};

/// Calls per operation made by `f`.
fn calls_of(emu: &Emulator, f: impl FnOnce()) -> BTreeMap<String, u64> {
    let count = |v: &Value| -> BTreeMap<String, u64> {
        v["calls"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let before = count(&emu.stats());
    f();
    let after = count(&emu.stats());
    after
        .into_iter()
        .map(|(k, v)| (k.clone(), v - before.get(&k).copied().unwrap_or(0)))
        .filter(|(_, v)| *v > 0)
        .collect()
}

fn rows(emu: &Emulator, sql: &str) -> Vec<Value> {
    let (ok, values, stderr) = query_json(emu, Some("us-east-1"), &[sql]);
    assert!(ok, "{sql}: {stderr}");
    values[0].as_array().cloned().unwrap_or_default()
}

/// `rows` with a deadline that holds the statement's per-item calls at
/// Connect's documented rate (the default 30 s refuses more than ~65).
fn rows_within(emu: &Emulator, seconds: u32, sql: &str) -> Vec<Value> {
    let timeout = format!(".timeout {seconds}");
    let (ok, values, stderr) = query_json(emu, Some("us-east-1"), &[&timeout, sql]);
    assert!(ok, "{sql}: {stderr}");
    values[0].as_array().cloned().unwrap_or_default()
}

fn map(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// An instance with 5,000 users and 300 flows; its ARN.
fn big_instance(emu: &Emulator) -> String {
    let seeded = emu.post(
        "/_emulator/seed",
        serde_json::json!({"region": "us-east-1", "count": 1, "alias_prefix": "big"}),
    );
    let id = seeded["ids"][0].as_str().unwrap().to_string();
    for (resource, count) in [("users", 5000), ("contact_flows", 300)] {
        let r = emu.post(
            "/_emulator/seed",
            serde_json::json!({"region": "us-east-1", "instance": id, "resource": resource, "count": count}),
        );
        assert_eq!(r["created"], count, "{r}");
    }
    format!("arn:aws:connect:us-east-1:123456789012:instance/{id}")
}

#[test]
fn five_thousand_users_in_ten_searches_and_nothing_else() {
    let emu = Emulator::start(&[]);
    let arn = big_instance(&emu);
    let base =
        format!("FROM aws.connect.users WHERE region = 'us-east-1' AND data__InstanceId = '{arn}'");

    // Fields SearchUsers returns: pages of 500, nothing else.
    let mut n = 0;
    let made = calls_of(&emu, || {
        n = rows(
            &emu,
            &format!("SELECT username, routing_profile_arn {base}"),
        )
        .len();
    });
    assert_eq!(n, 5000);
    assert_eq!(made, map(&[("SearchUsers", 10)]));

    // Fields the summary has: ListUsers in pages of 1,000.
    let made = calls_of(&emu, || {
        n = rows(&emu, &format!("SELECT username, user_arn {base}")).len();
    });
    assert_eq!(n, 5000);
    assert_eq!(made, map(&[("ListUsers", 5)]));

    // A Describe-only field, rows pinned by a pushed-down predicate: one
    // DescribeUser per row returned, not per user.
    let first = rows(
        &emu,
        &format!("SELECT username {base} ORDER BY username LIMIT 1"),
    );
    let name = first[0]["username"].as_str().unwrap().to_string();
    let made = calls_of(&emu, || {
        let r = rows(
            &emu,
            &format!("SELECT username, identity_info ->> '$.Email' AS email {base} AND username IN ('{name}', 'no.such.user')"),
        );
        n = r.len();
    });
    assert_eq!(n, 1);
    assert_eq!(
        made,
        map(&[("DescribeUser", n as u64), ("SearchUsers", 1)]),
        "{n} rows"
    );

    // The same listing again in one session: the session cache answers.
    let made = calls_of(&emu, || {
        let (ok, _, stderr) = query_json(
            &emu,
            Some("us-east-1"),
            &[
                &format!("SELECT username, routing_profile_arn {base} AND username = '{name}'"),
                &format!("SELECT count(*), routing_profile_arn {base} AND username = '{name}'"),
            ],
        );
        assert!(ok, "{stderr}");
    });
    assert_eq!(made, map(&[("SearchUsers", 1)]));
}

#[test]
fn flow_content_costs_one_describe_per_flow_and_only_when_referenced() {
    let emu = Emulator::start(&[]);
    let arn = big_instance(&emu);
    let base = format!("FROM aws.connect.contact_flows WHERE data__InstanceId = '{arn}'");
    let mut flows = 0;
    let made = calls_of(&emu, || {
        flows = rows(&emu, &format!("SELECT name, type, state {base}")).len();
    });
    assert!(flows >= 300, "{flows}");
    assert_eq!(made, map(&[("ListContactFlows", 1)]));
    let made = calls_of(&emu, || {
        // 300 DescribeContactFlow: about 2.5 min at Connect's rate.
        let r = rows_within(&emu, 600, &format!("SELECT name, content {base}"));
        assert!(r.iter().all(|f| f["content"].is_string()));
    });
    assert_eq!(made.get("DescribeContactFlow"), Some(&(flows as u64)));
    assert_eq!(made.get("ListContactFlows"), Some(&1));
}

#[test]
fn storage_configs_are_listed_only_for_the_types_a_statement_names() {
    let emu = Emulator::start(&["--demo-data"]);
    let made = calls_of(&emu, || {
        rows(
            &emu,
            "SELECT i.instance_alias, c.storage_type FROM aws.connect.instances i \
             LEFT JOIN aws.connect.instance_storage_configs c ON c.instance_arn = i.arn AND c.resource_type = 'CALL_RECORDINGS' \
             WHERE i.region = 'us-east-1'",
        );
    });
    // Two demo instances in us-east-1: one listing each, one call each.
    assert_eq!(
        made,
        map(&[("ListInstanceStorageConfigs", 2), ("ListInstances", 1)])
    );
    let made = calls_of(&emu, || {
        rows(
            &emu,
            "SELECT resource_type FROM aws.connect.instance_storage_configs WHERE data__InstanceId = 'acme-support'",
        );
    });
    assert_eq!(
        made.get("ListInstanceStorageConfigs"),
        Some(&13),
        "every type: {made:?}"
    );
}

#[test]
fn a_join_resolves_its_instances_once_and_tags_cost_nothing_extra() {
    let emu = Emulator::start(&["--demo-data"]);
    let made = calls_of(&emu, || {
        let r = rows(
            &emu,
            "SELECT u.username, r.name, u.tags FROM aws.connect.users u \
             JOIN aws.connect.routing_profiles r ON u.routing_profile_arn = r.routing_profile_arn \
             WHERE u.region = 'us-east-1' AND u.data__InstanceId = 'acme-support'",
        );
        assert!(r.len() > 20);
    });
    assert_eq!(
        made,
        map(&[
            ("ListInstances", 1),
            ("ListRoutingProfiles", 1),
            ("SearchUsers", 1)
        ])
    );
}
