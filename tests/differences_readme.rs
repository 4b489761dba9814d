//! README's comparisons of two instances, run as written against `--demo`
//! (demo-dev's acme-support is a staging centre ahead of demo-prod's
//! acme-support-prod: one more queue and quick connect, other hours, a user
//! on another routing profile).

mod common;

use common::run;
use serde_json::Value;

const BOTH: &str = "\
WHERE data__SourceInstanceId = 'acme-support' AND source_profile = 'demo-dev'
  AND data__TargetInstanceId = 'acme-support-prod' AND target_profile = 'demo-prod'";

fn staging_has_prod_lacks() -> String {
    format!(
        "SELECT resource_type, name\nFROM aws.connect.instance_differences\n{BOTH}\n  \
         AND kind = 'only_in_source'\nORDER BY 1, 2;"
    )
}

fn queues_that_differ() -> String {
    format!(
        "SELECT name, property, source_value, target_value\nFROM aws.connect.instance_differences\n{BOTH}\n  \
         AND resource_type = 'queue' AND kind = 'differs'\nORDER BY 1;"
    )
}

fn per_kind() -> String {
    format!(
        "SELECT resource_type, count(*) AS differences\nFROM aws.connect.instance_differences\n{BOTH}\n\
         GROUP BY resource_type ORDER BY 1;"
    )
}

/// The rows of one statement run against `--demo`, as strings.
fn demo(sql: &str, timeout: Option<&str>) -> Vec<Vec<String>> {
    let mut c = common::clean_command(common::BIN);
    c.args(["--demo", "-o", "json"]);
    if let Some(t) = timeout {
        c.args(["--timeout", t]);
    }
    c.args(["-e", sql]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{sql}: {stderr}");
    assert!(!stderr.contains("partial"), "{sql}: {stderr}");
    let rows: Vec<Value> = serde_json::from_str(&stdout).expect("a JSON array");
    rows.iter()
        .map(|r| {
            r.as_object()
                .expect("an object")
                .values()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), String::from))
                .collect()
        })
        .collect()
}

#[test]
fn what_staging_has_that_prod_lacks() {
    assert_eq!(
        demo(&staging_has_prod_lacks(), Some("120")),
        [
            ["queue", "Escalations"],
            ["quick_connect", "Transfer to Escalations"]
        ]
    );
}

#[test]
fn the_queues_that_differ_by_name_of_what_they_reference() {
    assert_eq!(
        demo(&queues_that_differ(), None),
        [
            [
                "General Support",
                "quick_connect_arns",
                r#"["Transfer to Billing","Transfer to Escalations","Transfer to Technical Support"]"#,
                r#"["Transfer to Billing","Transfer to Technical Support"]"#
            ],
            [
                "Technical Support",
                "quick_connect_arns",
                r#"["Acme Field Services","Transfer to Escalations"]"#,
                r#"["Acme Field Services"]"#
            ]
        ]
    );
}

#[test]
fn how_far_apart_per_kind() {
    assert_eq!(
        demo(&per_kind(), Some("120")),
        [
            ["hours_of_operation", "1"],
            ["queue", "3"],
            ["quick_connect", "1"],
            ["routing_profile", "2"],
            ["user", "1"]
        ]
    );
}

/// Every kind's reads need more than the default deadline at Connect's
/// rate: refused before any call, saying how to raise it (README says so).
#[test]
fn a_whole_comparison_asks_for_a_longer_deadline_first() {
    let mut c = common::clean_command(common::BIN);
    c.args(["--demo", "-o", "json", "-e", &per_kind()]);
    let (ok, _, stderr) = run(c);
    assert!(!ok);
    assert!(
        stderr.contains("DescribeUser") && stderr.contains("--timeout"),
        "{stderr}"
    );
}

/// README shows these statements exactly as the tests run them.
#[test]
fn readme_shows_the_statements_the_tests_run() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    for sql in [staging_has_prod_lacks(), queues_that_differ(), per_kind()] {
        assert!(readme.contains(&sql), "README lacks:\n{sql}");
    }
    assert!(readme.contains(".timeout 120"));
}
