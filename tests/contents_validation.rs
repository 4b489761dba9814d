//! A change of an instance's contents is checked whole before any call:
//! every planned request against Connect's documented limits (lengths,
//! counts, ranges, patterns, from botocore's model), and every reference
//! to another item (by name, id or ARN) against the items of the row's own
//! instance. One problem anywhere refuses the statement, naming what is
//! wrong, and the endpoint sees no write.

mod common;
#[path = "common/statements.rs"]
mod statements;

use common::{run, Emulator};
use serde_json::Value;
use statements::writes;

const ACME: &str = "region = 'us-east-1' AND data__InstanceId = 'acme-support'";

/// Runs one statement with `--yes` (and `extra` options): ok, stdout, stderr.
fn change(emu: &Emulator, statement: &str, extra: &[&str]) -> (bool, String, String) {
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "--yes"]);
    c.args(extra);
    c.args(["-e", statement]);
    run(c)
}

/// The rows of a query's JSON answer.
fn query(emu: &Emulator, sql: &str) -> Vec<Value> {
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "-o", "json", "-e", sql]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{sql}: {stderr}");
    serde_json::from_str::<Value>(&stdout)
        .unwrap_or_else(|e| panic!("{sql}: {e}: {stdout}"))
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn one(emu: &Emulator, sql: &str, column: &str) -> String {
    let rows = query(emu, sql);
    rows.first()
        .and_then(|r| r[column].as_str())
        .unwrap_or_else(|| panic!("{sql}: no {column} in {rows:?}"))
        .to_string()
}

/// Refused, naming every `reason`, with no write call made.
fn refused(emu: &Emulator, statement: &str, extra: &[&str], reasons: &[&str]) -> String {
    let before = writes(emu);
    let (ok, stdout, stderr) = change(emu, statement, extra);
    assert!(!ok, "{statement} should be refused: {stdout}");
    for reason in reasons {
        assert!(
            stderr.contains(reason),
            "{statement}: {reason:?} not in {stderr}"
        );
    }
    assert_eq!(writes(emu), before, "{statement}: a write was sent");
    stderr
}

#[test]
fn limits_and_patterns_are_checked_before_any_call() {
    let emu = Emulator::start(&["--demo-data"]);
    let long = "Q".repeat(200);
    // A create: the name is longer than Connect allows.
    refused(
        &emu,
        &format!(
            "INSERT INTO aws.connect.queues (name, hours_of_operation_arn, region, data__InstanceId) \
             VALUES ('{long}', 'Basic Hours', 'us-east-1', 'acme-support')"
        ),
        &[],
        &[
            "queue 'QQQQ",
            &format!("Name \"{}…\" is 200 characters; Connect allows 1 to 127", "Q".repeat(40)),
            "(CreateQueue)",
            "nothing was changed",
        ],
    );
    // An update: a number out of range, in a dry run too.
    let update = format!(
        "UPDATE aws.connect.queues SET max_contacts = -1 WHERE {ACME} AND name = 'Billing'"
    );
    for extra in [&[][..], &["--dry-run"][..]] {
        refused(
            &emu,
            &update,
            extra,
            &["queue 'Billing': MaxContacts is -1; Connect needs at least 0 (UpdateQueueMaxContacts)"],
        );
    }
    // A pattern: Connect's tag keys may not start with `aws:`.
    refused(
        &emu,
        &format!(
            "UPDATE aws.connect.queues SET tags = json_array(json_object('Key', 'aws:owner', 'Value', 'me')) \
             WHERE {ACME} AND name = 'Billing'"
        ),
        &[],
        &["tags[\"aws:owner\"] \"aws:owner\" does not match Connect's pattern ^(?!aws:)"],
    );
    // A password is checked against Connect's rule but never shown.
    let stderr = refused(
        &emu,
        "INSERT INTO aws.connect.users (username, password, phone_config, security_profile_arns, \
           routing_profile_arn, region, data__InstanceId) \
         VALUES ('ava.king', 'alllowercase1', json_object('PhoneType', 'SOFT_PHONE'), \
           json_array('Agent'), 'Basic Routing Profile', 'us-east-1', 'acme-support')",
        &[],
        &["user 'ava.king': Password (not shown) does not match Connect's pattern"],
    );
    assert!(!stderr.contains("alllowercase1"), "{stderr}");
    assert_eq!(writes(&emu), 0);

    // Within the limits, the same statements go through.
    let (ok, _, stderr) = change(
        &emu,
        &format!(
            "INSERT INTO aws.connect.queues (name, hours_of_operation_arn, region, data__InstanceId) \
             VALUES ('{}', 'Basic Hours', 'us-east-1', 'acme-support')",
            "Q".repeat(127)
        ),
        &[],
    );
    assert!(ok, "{stderr}");
    assert_eq!(emu.calls("CreateQueue"), 1);
}

#[test]
fn one_bad_row_among_many_sends_nothing_and_every_problem_is_listed() {
    let emu = Emulator::start(&["--demo-data"]);
    let queues = query(
        &emu,
        &format!("SELECT name FROM aws.connect.queues WHERE {ACME}"),
    );
    assert!(queues.len() >= 3, "{queues:?}");
    // Every queue changes; only Billing's description is too long.
    let update = format!(
        "UPDATE aws.connect.queues SET description = CASE WHEN name = 'Billing' \
           THEN '{}' ELSE 'checked ' || name END WHERE {ACME}",
        "d".repeat(251)
    );
    let stderr = refused(
        &emu,
        &update,
        &[],
        &[
            "1 of",
            "would be refused by Connect",
            "queue 'Billing': Description",
            "is 251 characters; Connect allows 1 to 250 (UpdateQueueName)",
        ],
    );
    assert!(!stderr.contains("queue 'Escalations'"), "{stderr}");

    // Many bad rows: the first twenty problems, then how many more.
    let rows: Vec<String> = (0..25)
        .map(|i| {
            format!(
                "('{}{i:02}', 'Basic Hours', 'us-east-1', 'acme-support')",
                "N".repeat(130)
            )
        })
        .collect();
    let stderr = refused(
        &emu,
        &format!(
            "INSERT INTO aws.connect.queues (name, hours_of_operation_arn, region, data__InstanceId) VALUES {}",
            rows.join(", ")
        ),
        &[],
        &["25 of 25 calls would be refused by Connect (25 problems)", "… and 5 more"],
    );
    assert_eq!(
        stderr
            .matches("is 132 characters; Connect allows 1 to 127")
            .count(),
        20,
        "{stderr}"
    );
    assert_eq!(writes(&emu), 0);
}

#[test]
fn references_by_arn_or_id_must_be_items_of_the_same_instance() {
    let emu = Emulator::start(&["--demo-data"]);
    let profile = |instance: &str, region: &str| {
        one(
            &emu,
            &format!(
                "SELECT routing_profile_arn FROM aws.connect.routing_profiles \
                 WHERE region = '{region}' AND data__InstanceId = '{instance}' ORDER BY name LIMIT 1"
            ),
            "routing_profile_arn",
        )
    };
    let here = profile("acme-support", "us-east-1");
    let sales = profile("acme-sales", "us-east-1");
    let uk = profile("acme-uk", "eu-west-2");
    let queue = one(
        &emu,
        &format!("SELECT queue_arn FROM aws.connect.queues WHERE {ACME} AND name = 'Billing'"),
        "queue_arn",
    );
    let set = |value: &str| {
        format!(
            "UPDATE aws.connect.users SET routing_profile_arn = '{value}' \
             WHERE {ACME} AND username = 'olivia.smith'"
        )
    };
    // An ARN of this instance's kind, but no such item.
    let unknown = format!(
        "{}/routing-profile/00000000-0000-4000-8000-000000000000",
        here.rsplit_once("/routing-profile/").unwrap().0
    );
    refused(
        &emu,
        &set(&unknown),
        &[],
        &[
            "routing_profile_arn",
            &format!("no routing profile '{unknown}' in instance arn:aws:connect:us-east-1:"),
        ],
    );
    // An id that is no routing profile's.
    refused(
        &emu,
        &set("00000000-0000-4000-8000-000000000000"),
        &["--dry-run"],
        &["no routing profile named `00000000-0000-4000-8000-000000000000` in instance"],
    );
    // Another instance, another region, another kind of item.
    let sales_instance = sales
        .split("instance/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap();
    refused(
        &emu,
        &set(&sales),
        &[],
        &[
            &format!("is in instance {sales_instance}, not in instance arn:aws:connect:us-east-1:"),
            "Connect links only items of the same instance",
        ],
    );
    refused(
        &emu,
        &set(&uk),
        &[],
        &["is in region eu-west-2, not in instance", "(us-east-1)"],
    );
    refused(
        &emu,
        &set(&queue),
        &[],
        &["is the ARN of a queue, not of a routing profile"],
    );
    // In a list too: one unknown ARN among known ones refuses the change.
    let agent = one(
        &emu,
        &format!(
            "SELECT security_profile_arn FROM aws.connect.security_profiles \
             WHERE {ACME} AND security_profile_name = 'Agent'"
        ),
        "security_profile_arn",
    );
    let missing = format!(
        "{}/security-profile/00000000-0000-4000-8000-000000000001",
        agent.rsplit_once("/security-profile/").unwrap().0
    );
    refused(
        &emu,
        &format!(
            "UPDATE aws.connect.users SET security_profile_arns = json_array('{agent}', '{missing}') \
             WHERE {ACME} AND username = 'olivia.smith'"
        ),
        &[],
        &[&format!("no security profile '{missing}'")],
    );
    // INSERT: the instance as written (an alias) names the place.
    refused(
        &emu,
        &format!(
            "INSERT INTO aws.connect.users (username, password, phone_config, security_profile_arns, \
               routing_profile_arn, region, data__InstanceId) \
             VALUES ('ava.king', 'Passw0rd!x', json_object('PhoneType', 'SOFT_PHONE'), \
               json_array('Agent'), '{unknown}', 'us-east-1', 'acme-support')"
        ),
        &[],
        &[&format!(
            "no routing profile '{unknown}' in instance acme-support (us-east-1)"
        )],
    );
    assert_eq!(writes(&emu), 0);

    // A valid ARN (and a list of them) goes through, and reads back.
    let other = one(
        &emu,
        &format!(
            "SELECT routing_profile_arn FROM aws.connect.routing_profiles WHERE {ACME} \
             AND routing_profile_arn <> (SELECT routing_profile_arn FROM aws.connect.users \
               WHERE {ACME} AND username = 'olivia.smith') LIMIT 1"
        ),
        "routing_profile_arn",
    );
    let (ok, _, stderr) = change(&emu, &set(&other), &[]);
    assert!(ok, "{stderr}");
    assert_eq!(emu.calls("UpdateUserRoutingProfile"), 1);
    let now = one(
        &emu,
        &format!(
            "SELECT routing_profile_arn FROM aws.connect.users WHERE {ACME} AND username = 'olivia.smith'"
        ),
        "routing_profile_arn",
    );
    assert_eq!(now, other);
    // The same ARN again is the current value: nothing to check, nothing to do.
    let reads_before = emu.calls("ListRoutingProfiles") + emu.calls("SearchRoutingProfiles");
    let (ok, stdout, stderr) = change(&emu, &set(&other), &[]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("nothing to change") && stdout.trim().is_empty(),
        "{stdout}{stderr}"
    );
    assert_eq!(
        emu.calls("ListRoutingProfiles") + emu.calls("SearchRoutingProfiles"),
        reads_before,
        "an ARN the item already refers to needs no listing"
    );
    let (ok, _, stderr) = change(
        &emu,
        &format!(
            "UPDATE aws.connect.users SET security_profile_arns = json_array('{agent}') \
             WHERE {ACME} AND username = 'olivia.smith'"
        ),
        &[],
    );
    assert!(ok, "{stderr}");
}

/// A queue's quick connects (read through a sub-listing) are references
/// too: by name they resolve, an unknown ARN is refused.
#[test]
fn quick_connects_of_a_queue_by_name_or_checked_arn() {
    let emu = Emulator::start(&["--demo-data"]);
    let (ok, _, stderr) = change(
        &emu,
        &format!(
            "UPDATE aws.connect.queues SET quick_connect_arns = \
               json_array('Transfer to Escalations', 'Acme Field Services') \
             WHERE {ACME} AND name = 'VIP Support'"
        ),
        &[],
    );
    assert!(ok, "{stderr}");
    assert_eq!(emu.calls("AssociateQueueQuickConnects"), 1);
    let names = query(
        &emu,
        "SELECT c.name FROM aws.connect.queues q, json_each(q.quick_connect_arns) j \
         JOIN aws.connect.quick_connects c ON c.quick_connect_arn = j.value \
         WHERE q.region = 'us-east-1' AND q.data__InstanceId = 'acme-support' \
           AND c.region = 'us-east-1' AND c.data__InstanceId = 'acme-support' \
           AND q.name = 'VIP Support' ORDER BY c.name",
    );
    assert_eq!(
        names,
        [
            serde_json::json!({"name": "Acme Field Services"}),
            serde_json::json!({"name": "Transfer to Escalations"})
        ]
    );
    let queue = one(
        &emu,
        &format!("SELECT queue_arn FROM aws.connect.queues WHERE {ACME} AND name = 'Billing'"),
        "queue_arn",
    );
    let missing = format!(
        "{}/transfer-destination/00000000-0000-4000-8000-000000000002",
        queue.rsplit_once("/queue/").unwrap().0
    );
    refused(
        &emu,
        &format!(
            "UPDATE aws.connect.queues SET quick_connect_arns = json_array('{missing}') \
             WHERE {ACME} AND name = 'VIP Support'"
        ),
        &[],
        &[&format!("no quick connect '{missing}' in instance")],
    );
}

/// The limits are botocore's: where the AWS CLI checks one itself (a
/// minimum length or value), it refuses the same request connectql
/// refuses, and neither reaches the endpoint.
#[test]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
fn the_aws_cli_refuses_what_connectql_refuses() {
    let emu = Emulator::start(&["--demo-data"]);
    let billing = one(
        &emu,
        &format!("SELECT queue_arn FROM aws.connect.queues WHERE {ACME} AND name = 'Billing'"),
        "queue_arn",
    );
    let (instance, queue) = {
        let mut parts = billing.split("instance/").nth(1).unwrap().split('/');
        (
            parts.next().unwrap().to_string(),
            parts.nth(1).unwrap().to_string(),
        )
    };
    for (set, cli, cli_says) in [
        (
            "max_contacts = -1",
            vec!["update-queue-max-contacts", "--max-contacts", "-1"],
            "valid min value: 0",
        ),
        (
            "name = ''",
            vec!["update-queue-name", "--name", ""],
            "valid min length: 1",
        ),
    ] {
        refused(
            &emu,
            &format!("UPDATE aws.connect.queues SET {set} WHERE {ACME} AND name = 'Billing'"),
            &[],
            &["would be refused by Connect"],
        );
        let out = common::clean_command("aws")
            .args([
                "--endpoint-url",
                &emu.url,
                "--region",
                "us-east-1",
                "connect",
            ])
            .args(&cli)
            .args(["--instance-id", &instance, "--queue-id", &queue])
            .output()
            .expect("the AWS CLI (pip install awscli) must be on PATH");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "aws {cli:?} should refuse");
        assert!(stderr.contains(cli_says), "aws {cli:?}: {stderr}");
    }
    assert_eq!(writes(&emu), 0);
}
