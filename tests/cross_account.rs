//! README's questions across accounts, run as written against `--demo`
//! (its two profiles, demo-dev and demo-prod, are two accounts of the
//! local endpoint whose contact centres differ on purpose).

mod common;

use common::run;
use serde_json::Value;

/// Where a user is, and on which routing profile, in every account.
const A_USER_ACROSS_EVERY_ACCOUNT: &str = "\
SELECT u.profile, u.account_id, i.instance_alias, r.name AS routing_profile
FROM aws.connect.users u
JOIN aws.connect.instances i ON u.instance_arn = i.arn
JOIN aws.connect.routing_profiles r ON r.routing_profile_arn = u.routing_profile_arn
WHERE i.profile IN ('demo-dev', 'demo-prod')
  AND i.region IN ('us-east-1', 'eu-west-2', 'ap-southeast-2')
  AND u.username = 'dana.reports'
ORDER BY 1, 3;";

/// Queues in the dev centre that its production twin lacks.
const QUEUES_PROD_LACKS: &str = "\
SELECT d.name FROM aws.connect.queues d
WHERE d.profile = 'demo-dev' AND d.region = 'us-east-1'
  AND d.data__InstanceId = 'acme-support' AND d.type = 'STANDARD'
  AND d.name NOT IN (SELECT p.name FROM aws.connect.queues p
                     WHERE p.profile = 'demo-prod' AND p.region = 'us-east-1'
                       AND p.data__InstanceId = 'acme-support-prod');";

/// Every instance of every account and region.
const EVERY_INSTANCE: &str = "\
SELECT profile, account_id, region, instance_alias FROM aws.connect.instances
WHERE profile IN ('demo-dev', 'demo-prod')
  AND region IN ('us-east-1', 'eu-west-2', 'ap-southeast-2')
ORDER BY 1, 3, 4;";

/// The rows of one statement run against `--demo`.
fn demo(sql: &str) -> Vec<Vec<String>> {
    let mut c = common::clean_command(common::BIN);
    c.args(["--demo", "-o", "json", "-e", sql]);
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
fn a_user_across_every_account() {
    assert_eq!(
        demo(A_USER_ACROSS_EVERY_ACCOUNT),
        [
            ["demo-dev", "111111111111", "acme-support", "Back Office"],
            [
                "demo-prod",
                "222222222222",
                "acme-support-prod",
                "Tier 1 Agents"
            ],
        ]
    );
}

#[test]
fn queues_in_dev_that_prod_lacks() {
    assert_eq!(demo(QUEUES_PROD_LACKS), [["Escalations"]]);
}

#[test]
fn every_instance_of_every_account_and_region() {
    assert_eq!(
        demo(EVERY_INSTANCE),
        [
            ["demo-dev", "111111111111", "ap-southeast-2", "acme-anz"],
            ["demo-dev", "111111111111", "eu-west-2", "acme-uk"],
            ["demo-dev", "111111111111", "us-east-1", "acme-sales"],
            ["demo-dev", "111111111111", "us-east-1", "acme-support"],
            ["demo-prod", "222222222222", "eu-west-2", "acme-uk-prod"],
            ["demo-prod", "222222222222", "us-east-1", "acme-sales-prod"],
            [
                "demo-prod",
                "222222222222",
                "us-east-1",
                "acme-support-prod"
            ],
        ]
    );
}

/// README shows these statements exactly as the tests run them.
#[test]
fn readme_shows_the_statements_the_tests_run() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    for sql in [
        A_USER_ACROSS_EVERY_ACCOUNT,
        QUEUES_PROD_LACKS,
        EVERY_INSTANCE,
    ] {
        assert!(readme.contains(sql), "README lacks:\n{sql}");
    }
}
