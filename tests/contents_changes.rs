//! UPDATE and DELETE of an instance's contents, against the local endpoint:
//! the calls are the difference between what is and what the statement
//! says (a converged statement makes no write call), the targets are SQL's
//! answer (a WHERE that selects nothing changes nothing), and what cannot
//! change is refused with the reason before any call.

mod common;
#[path = "common/statements.rs"]
mod statements;

use common::{run, Emulator};
use serde_json::Value;
use statements::writes;

const ACME: &str = "region = 'us-east-1' AND data__InstanceId = 'acme-support'";

/// Runs statements in one process with `--yes`; the JSON of the last one.
fn json(emu: &Emulator, statements: &[&str], yes: bool) -> (bool, Value, String) {
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "-o", "json"]);
    if yes {
        c.arg("--yes");
    }
    for s in statements {
        c.args(["-e", s]);
    }
    let (ok, stdout, stderr) = run(c);
    let last = stdout
        .rfind("\n[")
        .map(|i| &stdout[i + 1..])
        .unwrap_or(&stdout);
    (
        ok,
        serde_json::from_str(last).unwrap_or(Value::Null),
        stderr,
    )
}

#[test]
fn an_update_makes_only_the_difference_and_converges() {
    let emu = Emulator::start(&["--demo-data"]);
    let update = format!(
        "UPDATE aws.connect.queues SET max_contacts = 7, status = 'DISABLED' \
         WHERE {ACME} AND name IN ('Billing', 'BasicQueue', 'Escalations')"
    );
    let (ok, result, stderr) = json(&emu, &[&update], true);
    assert!(ok, "{stderr}");
    let rows = result.as_array().unwrap();
    // Three queues, two fields each, all different from the demo's values.
    assert_eq!(emu.calls("UpdateQueueMaxContacts"), 3, "{result}");
    assert_eq!(emu.calls("UpdateQueueStatus"), 3, "{result}");
    assert_eq!(writes(&emu), 6);
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r["status"] == "applied"), "{result}");
    let billing = rows
        .iter()
        .find(|r| r["item"] == "Billing" && r["property"] == "max_contacts")
        .unwrap();
    assert_eq!(billing["before"], 20);
    assert_eq!(billing["after"], 7);

    // Read back, fresh.
    let (_, read, _) = json(
        &emu,
        &[&format!(
            "SELECT name, max_contacts, status FROM aws.connect.queues \
             WHERE {ACME} AND name IN ('Billing', 'BasicQueue', 'Escalations') ORDER BY name"
        )],
        false,
    );
    for q in read.as_array().unwrap() {
        assert_eq!(q["max_contacts"], 7, "{read}");
        assert_eq!(q["status"], "DISABLED", "{read}");
    }

    // Run again: converged, no write call.
    let before = writes(&emu);
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "--yes", "-e", &update]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("nothing to change") && stdout.trim().is_empty(),
        "{stdout}{stderr}"
    );
    assert_eq!(writes(&emu), before);
}

#[test]
fn users_move_to_a_profile_named_by_a_subquery() {
    let emu = Emulator::start(&["--demo-data"]);
    let tier2 = format!(
        "(SELECT routing_profile_arn FROM aws.connect.routing_profiles \
          WHERE {ACME} AND name = 'Tier 2 Agents')"
    );
    let (_, team, _) = json(
        &emu,
        &[&format!(
            "SELECT username FROM aws.connect.users WHERE {ACME} \
             AND routing_profile_arn <> {tier2} AND username LIKE '%o%' ORDER BY username"
        )],
        false,
    );
    let team: Vec<String> = team
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["username"].as_str().unwrap().to_string())
        .collect();
    assert!(team.len() >= 2, "the demo has such users: {team:?}");
    let update = format!(
        "UPDATE aws.connect.users SET routing_profile_arn = {tier2} \
         WHERE {ACME} AND username LIKE '%o%'"
    );
    let (ok, result, stderr) = json(&emu, &[&update], true);
    assert!(ok, "{stderr}");
    assert_eq!(
        emu.calls("UpdateUserRoutingProfile"),
        team.len() as u64,
        "{result}"
    );
    assert_eq!(writes(&emu), team.len() as u64);
    let (_, after, _) = json(
        &emu,
        &[&format!(
            "SELECT count(*) AS n FROM aws.connect.users WHERE {ACME} \
             AND username LIKE '%o%' AND routing_profile_arn <> {tier2}"
        )],
        false,
    );
    assert_eq!(after[0]["n"], 0, "{after}");
}

#[test]
fn a_where_that_selects_nothing_changes_nothing() {
    let emu = Emulator::start(&["--demo-data"]);
    for statement in [
        format!("UPDATE aws.connect.queues SET max_contacts = 1 WHERE {ACME} AND name = 'a' AND name = 'b'"),
        format!("UPDATE aws.connect.queues SET max_contacts = 1 WHERE {ACME} AND 1 = 0"),
        "DELETE FROM aws.connect.queues WHERE region = 'us-east-1' AND region = 'eu-west-2'".to_string(),
        format!("DELETE FROM aws.connect.queues WHERE {ACME} AND name = 'no such queue'"),
    ] {
        let mut c = emu.connectql();
        c.args(["--region", "us-east-1", "--yes", "-e", &statement]);
        let (ok, stdout, stderr) = run(c);
        assert!(ok, "{statement}: {stderr}");
        assert!(stderr.contains("nothing to change") && stdout.trim().is_empty(), "{statement}: {stdout}{stderr}");
    }
    assert_eq!(writes(&emu), 0);
}

#[test]
fn several_items_need_yes_in_batch_mode() {
    let emu = Emulator::start(&["--demo-data"]);
    let mut c = emu.connectql();
    c.args([
        "--region",
        "us-east-1",
        "-e",
        &format!("UPDATE aws.connect.queues SET max_contacts = 3 WHERE {ACME}"),
    ]);
    let (ok, _, stderr) = run(c);
    assert!(!ok);
    assert!(stderr.contains("needs --yes"), "{stderr}");
    assert!(stderr.contains("UpdateQueueMaxContacts"), "{stderr}");
    assert_eq!(writes(&emu), 0);
}

#[test]
fn what_cannot_change_is_refused_with_the_reason() {
    let emu = Emulator::start(&["--demo-data"]);
    for (statement, reason) in [
        (
            format!("UPDATE aws.connect.queues SET queue_arn = 'x' WHERE {ACME}"),
            "read-only",
        ),
        (
            format!("UPDATE aws.connect.queues SET type = 'AGENT' WHERE {ACME}"),
            "read-only",
        ),
        (
            format!("UPDATE aws.connect.queues SET instance_arn = 'x' WHERE {ACME}"),
            "where the item lives",
        ),
        (
            format!("UPDATE aws.connect.contact_flows SET type = 'AGENT_HOLD' WHERE {ACME}"),
            "only when the item is created",
        ),
        (
            format!("DELETE FROM aws.connect.agent_statuses WHERE {ACME}"),
            "no operation that deletes an agent status",
        ),
        (
            format!("UPDATE aws.connect.queues SET max_contacts = 'many' WHERE {ACME} AND name = 'Billing'"),
            "expects an integer",
        ),
        (
            format!("UPDATE aws.connect.queues SET nonsense = 1 WHERE {ACME}"),
            "nonsense",
        ),
        (
            "UPDATE aws.connect.queues SET max_contacts = 1".to_string(),
            "without WHERE",
        ),
    ] {
        let mut c = emu.connectql();
        c.args(["--region", "us-east-1", "--yes", "-e", &statement]);
        let (ok, _, stderr) = run(c);
        assert!(!ok, "{statement}");
        assert!(stderr.contains(reason), "{statement}: {stderr}");
    }
    assert_eq!(writes(&emu), 0);
}

#[test]
fn tags_and_quick_connects_change_by_difference() {
    let emu = Emulator::start(&["--demo-data"]);
    let update = format!(
        "UPDATE aws.connect.queues SET \
           tags = json_array(json_object('Key', 'team', 'Value', 'billing'), json_object('Key', 'tier', 'Value', '1')), \
           quick_connect_arns = (SELECT json_group_array(quick_connect_arn) FROM aws.connect.quick_connects \
                                 WHERE {ACME} AND name IN ('Transfer to Escalations', 'Acme Field Services')) \
         WHERE {ACME} AND name = 'VIP Support'"
    );
    let (ok, result, stderr) = json(&emu, &[&update], true);
    assert!(ok, "{stderr}");
    // Tags: team changed and tier added (TagResource), queue-type removed
    // (UntagResource); quick connects: two added, none removed.
    assert_eq!(emu.calls("TagResource"), 1, "{result}");
    assert_eq!(emu.calls("UntagResource"), 1, "{result}");
    assert_eq!(emu.calls("AssociateQueueQuickConnects"), 1, "{result}");
    assert_eq!(emu.calls("DisassociateQueueQuickConnects"), 0, "{result}");
    let (_, after, _) = json(
        &emu,
        &[&format!(
            "SELECT tags, json_array_length(quick_connect_arns) AS n FROM aws.connect.queues \
             WHERE {ACME} AND name = 'VIP Support'"
        )],
        false,
    );
    assert_eq!(after[0]["n"], 2, "{after}");
    let tags = after[0]["tags"].as_array().unwrap();
    assert_eq!(tags.len(), 2, "{after}");
    assert!(tags.iter().any(|t| t["Key"] == "tier" && t["Value"] == "1"));
    assert!(tags
        .iter()
        .any(|t| t["Key"] == "team" && t["Value"] == "billing"));

    // Now take one quick connect away: one Disassociate, nothing else.
    let before = writes(&emu);
    let narrow = format!(
        "UPDATE aws.connect.queues SET quick_connect_arns = \
           (SELECT json_group_array(quick_connect_arn) FROM aws.connect.quick_connects \
            WHERE {ACME} AND name = 'Acme Field Services') \
         WHERE {ACME} AND name = 'VIP Support'"
    );
    let (ok, result, stderr) = json(&emu, &[&narrow], true);
    assert!(ok, "{stderr}");
    assert_eq!(emu.calls("DisassociateQueueQuickConnects"), 1, "{result}");
    assert_eq!(writes(&emu), before + 1);
}

/// A user's proficiencies change by difference, each named by attribute and
/// value: one gone (Disassociate), one re-levelled (Update), one new
/// (Associate); run again, no call.
#[test]
fn proficiencies_change_by_attribute_and_value() {
    let emu = Emulator::start(&["--demo-data"]);
    let user = "aisha.rodriguez";
    let update = format!(
        "UPDATE aws.connect.users SET user_proficiencies = json('[\
           {{\"AttributeName\":\"Language\",\"AttributeValue\":\"English\",\"Level\":5.0}},\
           {{\"AttributeName\":\"Language\",\"AttributeValue\":\"Spanish\",\"Level\":2.0}}]') \
         WHERE {ACME} AND username = '{user}'"
    );
    let (ok, result, stderr) = json(&emu, &[&update], true);
    assert!(ok, "{stderr}");
    for op in [
        "DisassociateUserProficiencies",
        "UpdateUserProficiencies",
        "AssociateUserProficiencies",
    ] {
        assert_eq!(emu.calls(op), 1, "{op}: {result}");
    }
    let before = writes(&emu);
    let (ok, _, stderr) = json(&emu, &[&update], true);
    assert!(ok, "{stderr}");
    assert_eq!(writes(&emu), before, "the converged change wrote");
    let (_, after, _) = json(
        &emu,
        &[&format!(
            "SELECT user_proficiencies FROM aws.connect.users WHERE {ACME} AND username = '{user}'"
        )],
        false,
    );
    let mut got: Vec<String> = after[0]["user_proficiencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{} {} {}",
                p["AttributeName"], p["AttributeValue"], p["Level"]
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "\"Language\" \"English\" 5.0",
            "\"Language\" \"Spanish\" 2.0"
        ]
    );
}

/// An hours' overrides are items of their own, named by their name: one
/// gone (Delete…Override by its id), one changed (Update…Override), one
/// new (Create…Override), a call each; run again, no call.
#[test]
fn hours_overrides_change_one_call_each_by_name() {
    let emu = Emulator::start(&["--demo-data"]);
    let hours = "US Business Hours";
    let update = format!(
        "UPDATE aws.connect.hours_of_operations SET hours_of_operation_overrides = json('[\
           {{\"OverrideName\":\"Thanksgiving\",\"OverrideDescription\":\"closed all day\",\
             \"OverrideType\":\"CLOSED\",\"EffectiveFrom\":\"2026-11-26\",\"EffectiveTill\":\"2026-11-26\",\
             \"OverrideConfig\":[]}},\
           {{\"OverrideName\":\"New Year\",\"OverrideType\":\"CLOSED\",\
             \"EffectiveFrom\":\"2027-01-01\",\"EffectiveTill\":\"2027-01-01\",\"OverrideConfig\":[]}}]') \
         WHERE {ACME} AND name = '{hours}'"
    );
    let (ok, result, stderr) = json(&emu, &[&update], true);
    assert!(ok, "{stderr}");
    for op in [
        "DeleteHoursOfOperationOverride",
        "UpdateHoursOfOperationOverride",
        "CreateHoursOfOperationOverride",
    ] {
        assert_eq!(emu.calls(op), 1, "{op}: {result}");
    }
    // Each row shows its own override, before and after.
    let row = |op: &str| {
        result
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["operation"] == op)
            .cloned()
            .unwrap()
    };
    let gone = row("DeleteHoursOfOperationOverride");
    assert_eq!(gone["before"]["Name"], "Christmas Day", "{gone}");
    assert_eq!(gone["after"], Value::Null, "{gone}");
    let changed = row("UpdateHoursOfOperationOverride");
    assert_eq!(changed["before"]["Description"], "Thanksgiving (CLOSED)");
    assert_eq!(changed["after"]["Description"], "closed all day");
    assert_eq!(
        row("CreateHoursOfOperationOverride")["after"]["Name"],
        "New Year"
    );
    let before = writes(&emu);
    let (ok, _, stderr) = json(&emu, &[&update], true);
    assert!(ok, "{stderr}");
    assert_eq!(writes(&emu), before, "the converged change wrote");
    let (_, after, _) = json(
        &emu,
        &[&format!(
            "SELECT o.value ->> 'OverrideName' AS name, o.value ->> 'OverrideDescription' AS description \
             FROM aws.connect.hours_of_operations h, json_each(h.hours_of_operation_overrides) o \
             WHERE {ACME} AND h.name = '{hours}' ORDER BY 1"
        )],
        false,
    );
    assert_eq!(after[0]["name"], "New Year", "{after}");
    assert_eq!(after[1]["name"], "Thanksgiving", "{after}");
    assert_eq!(after[1]["description"], "closed all day", "{after}");
    assert_eq!(after.as_array().map(Vec::len), Some(2), "{after}");
}

/// A child hours names its parents, by name as its read shows them; the
/// parent's list of children follows, and cannot be set itself.
#[test]
fn a_child_hours_names_its_parents_and_the_parents_children_follow() {
    let emu = Emulator::start(&["--demo-data"]);
    let update = format!(
        "UPDATE aws.connect.hours_of_operations \
         SET parent_hours_of_operations = '[{{\"Arn\":\"Weekend Support\"}}]' \
         WHERE {ACME} AND name = 'Holiday Hours'"
    );
    let (ok, result, stderr) = json(&emu, &[&update], true);
    assert!(ok, "{stderr}");
    assert_eq!(emu.calls("DisassociateHoursOfOperations"), 1, "{result}");
    assert_eq!(emu.calls("AssociateHoursOfOperations"), 1, "{result}");
    let (_, after, _) = json(
        &emu,
        &[&format!(
            "SELECT name, parent_hours_of_operations -> '$[0].Name' AS parent, \
                    child_hours_of_operations -> '$[0].Name' AS child \
             FROM aws.connect.hours_of_operations \
             WHERE {ACME} AND name IN ('Holiday Hours', 'Weekend Support', 'US Business Hours') ORDER BY name"
        )],
        false,
    );
    assert_eq!(after[0]["parent"], "\"Weekend Support\"", "{after}");
    assert_eq!(after[1]["child"], Value::Null, "{after}");
    assert_eq!(after[2]["child"], "\"Holiday Hours\"", "{after}");
    let before = writes(&emu);
    let (ok, _, stderr) = json(&emu, &[&update], true);
    assert!(ok, "{stderr}");
    assert_eq!(writes(&emu), before, "the converged change wrote");
    // By name, as the read shows a parent: back to US Business Hours.
    let back = format!(
        "UPDATE aws.connect.hours_of_operations \
         SET parent_hours_of_operations = '[{{\"Name\":\"US Business Hours\"}}]' \
         WHERE {ACME} AND name = 'Holiday Hours'"
    );
    let (ok, result, stderr) = json(&emu, &[&back], true);
    assert!(ok, "{stderr}");
    assert_eq!(emu.calls("AssociateHoursOfOperations"), 2, "{result}");
    let (_, after, _) = json(
        &emu,
        &[&format!(
            "SELECT parent_hours_of_operations -> '$[0].Name' AS parent \
             FROM aws.connect.hours_of_operations WHERE {ACME} AND name = 'Holiday Hours'"
        )],
        false,
    );
    assert_eq!(after[0]["parent"], "\"US Business Hours\"", "{after}");
    let before = writes(&emu);
    let (ok, _, stderr) = json(&emu, &[&back.replace("US Business", "No Such")], true);
    assert!(!ok);
    assert!(
        stderr.contains("no hours of operation named `No Such Hours`"),
        "{stderr}"
    );
    // The children are the children's to say.
    let (ok, _, stderr) = json(
        &emu,
        &[&format!(
            "UPDATE aws.connect.hours_of_operations SET child_hours_of_operations = '[]' \
             WHERE {ACME} AND name = 'Weekend Support'"
        )],
        true,
    );
    assert!(!ok);
    assert!(
        stderr.contains("follows the parent_hours_of_operations"),
        "{stderr}"
    );
    assert_eq!(writes(&emu), before);
}

#[test]
fn delete_reports_each_item_and_what_connect_refused() {
    let emu = Emulator::start(&["--demo-data"]);
    // A quick connect goes; a queue that routing profiles use stays, its
    // call reported as failed with Connect's reason.
    let (ok, result, stderr) = json(
        &emu,
        &[&format!(
            "DELETE FROM aws.connect.quick_connects WHERE {ACME} AND name = 'Acme Field Services'"
        )],
        true,
    );
    assert!(ok, "{stderr}");
    assert_eq!(emu.calls("DeleteQuickConnect"), 1, "{result}");
    assert_eq!(result[0]["status"], "applied", "{result}");
    let (_, left, _) = json(
        &emu,
        &[&format!(
            "SELECT count(*) AS n FROM aws.connect.quick_connects WHERE {ACME} AND name = 'Acme Field Services'"
        )],
        false,
    );
    assert_eq!(left[0]["n"], 0, "{left}");

    let (ok, result, stderr) = json(
        &emu,
        &[&format!(
            "DELETE FROM aws.connect.queues WHERE {ACME} AND name = 'Billing'"
        )],
        true,
    );
    assert!(!ok, "a failed call fails the statement");
    assert_eq!(result[0]["status"], "failed", "{result}");
    assert!(
        result[0]["error"]
            .as_str()
            .unwrap()
            .contains("ResourceInUseException"),
        "{result}"
    );
    assert!(stderr.contains("1 of 1 calls failed"), "{stderr}");
    assert!(!stderr.contains("could not be fetched"), "{stderr}");
}

#[test]
fn explain_shows_the_reads_and_the_writes_without_calls() {
    let emu = Emulator::start(&["--demo-data"]);
    let (ok, plan, stderr) = json(
        &emu,
        &[&format!(
            "EXPLAIN UPDATE aws.connect.users SET routing_profile_arn = \
               (SELECT routing_profile_arn FROM aws.connect.routing_profiles WHERE {ACME} AND name = 'Tier 2 Agents') \
             WHERE {ACME} AND username LIKE 'o%'"
        )],
        false,
    );
    assert!(ok, "{stderr}");
    let ops: Vec<&str> = plan
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["operation"].as_str())
        .collect();
    assert!(ops.contains(&"SearchUsers"), "{plan}");
    assert!(
        ops.contains(&"SearchRoutingProfiles") || ops.contains(&"ListRoutingProfiles"),
        "{plan}"
    );
    assert!(ops.contains(&"(engine)"), "{plan}");
    assert_eq!(ops.last(), Some(&"UpdateUserRoutingProfile"), "{plan}");
    assert_eq!(
        emu.stats()["calls"]
            .as_object()
            .map(|c| c.values().filter_map(Value::as_u64).sum::<u64>())
            .unwrap_or(0),
        0,
        "EXPLAIN made a call"
    );
}

#[test]
fn insert_creates_one_item_per_source_row() {
    let emu = Emulator::start(&["--demo-data"]);
    let hours = format!(
        "(SELECT hours_of_operation_arn FROM aws.connect.hours_of_operations WHERE {ACME} AND name = 'Basic Hours')"
    );
    // VALUES, columns spelled as SELECT spells them, a subquery for an ARN.
    let (ok, result, stderr) = json(
        &emu,
        &[&format!(
            "INSERT INTO aws.connect.queues (name, description, hours_of_operation_arn, max_contacts, region, data__InstanceId) \
             VALUES ('Claims', 'Insurance claims', {hours}, 12, 'us-east-1', 'acme-support')"
        )],
        false,
    );
    assert!(ok, "{stderr}");
    assert_eq!(result[0]["status"], "applied", "{result}");
    assert_eq!(emu.calls("CreateQueue"), 1);
    let (_, read, _) = json(
        &emu,
        &[&format!(
            "SELECT q.description, q.max_contacts, h.name AS hours FROM aws.connect.queues q \
             JOIN aws.connect.hours_of_operations h ON h.hours_of_operation_arn = q.hours_of_operation_arn \
             WHERE q.{ACME} AND q.name = 'Claims'"
        )
        .replace("q.region = 'us-east-1' AND data__InstanceId", "q.region = 'us-east-1' AND q.data__InstanceId")],
        false,
    );
    assert_eq!(read[0]["description"], "Insurance claims", "{read}");
    assert_eq!(read[0]["max_contacts"], 12, "{read}");
    assert_eq!(read[0]["hours"], "Basic Hours", "{read}");

    // INSERT ... SELECT: a copy of every hours of operation, one call each
    // (CloudFormation's PascalCase names work too).
    let (_, n, _) = json(
        &emu,
        &[&format!(
            "SELECT count(*) AS n FROM aws.connect.hours_of_operations WHERE {ACME}"
        )],
        false,
    );
    let n = n[0]["n"].as_u64().unwrap();
    let copy = format!(
        "INSERT INTO aws.connect.hours_of_operations (Name, description, TimeZone, config, region, data__InstanceId) \
         SELECT name || ' (copy)', description, time_zone, config, region, 'acme-support' \
         FROM aws.connect.hours_of_operations WHERE {ACME} AND name NOT LIKE '%(copy)'"
    );
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "-e", &copy]);
    let (ok, _, stderr) = run(c);
    assert!(!ok, "several rows need --yes in batch mode");
    assert!(stderr.contains("needs --yes"), "{stderr}");
    assert_eq!(emu.calls("CreateHoursOfOperation"), 0);
    let (ok, _, stderr) = json(&emu, &[&copy], true);
    assert!(ok, "{stderr}");
    assert_eq!(emu.calls("CreateHoursOfOperation"), n);
    let (_, copies, _) = json(
        &emu,
        &[&format!(
            "SELECT count(*) AS n FROM aws.connect.hours_of_operations o \
             JOIN aws.connect.hours_of_operations c ON c.name = o.name || ' (copy)' \
               AND c.time_zone = o.time_zone AND c.config = o.config \
             WHERE o.{ACME} AND c.region = 'us-east-1' AND c.data__InstanceId = 'acme-support'"
        )
        .replace(
            "o.region = 'us-east-1' AND data__InstanceId",
            "o.region = 'us-east-1' AND o.data__InstanceId",
        )],
        false,
    );
    assert_eq!(copies[0]["n"].as_u64(), Some(n), "{copies}");

    // Run again: every copy exists (by name), so nothing is created.
    let before = writes(&emu);
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "--yes", "-e", &copy]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("nothing to create") && stdout.trim().is_empty(),
        "{stdout}{stderr}"
    );
    assert_eq!(writes(&emu), before);
}

#[test]
fn insert_checks_its_rows_before_any_call() {
    let emu = Emulator::start(&["--demo-data"]);
    for (statement, reason) in [
        (
            "INSERT INTO aws.connect.queues (name, region, data__InstanceId) VALUES ('X', 'us-east-1', 'acme-support')",
            "hours_of_operation_arn",
        ),
        (
            "INSERT INTO aws.connect.queues (name, queue_arn, hours_of_operation_arn, region, data__InstanceId) \
             VALUES ('X', 'arn', 'h', 'us-east-1', 'acme-support')",
            "queue_arn is not set when a queue is created",
        ),
        (
            "INSERT INTO aws.connect.queues (name, hours_of_operation_arn, region) VALUES ('X', 'h', 'us-east-1')",
            "data__InstanceId",
        ),
        (
            "INSERT INTO aws.connect.queues (name, hours_of_operation_arn, region, data__InstanceId) \
             VALUES ('X', 'h', 'us-east-1', 'no-such-instance')",
            "instance `no-such-instance`",
        ),
        (
            "INSERT INTO aws.connect.queues (name, hours_of_operation_arn, max_contacts, region, data__InstanceId) \
             VALUES ('X', 'Basic Hours', 'lots', 'us-east-1', 'acme-support')",
            "expects an integer",
        ),
    ] {
        let mut c = emu.connectql();
        c.args(["--region", "us-east-1", "--yes", "-e", statement]);
        let (ok, _, stderr) = run(c);
        assert!(!ok, "{statement}");
        assert!(stderr.contains(reason), "{statement}: {stderr}");
    }
    assert_eq!(writes(&emu), 0);
}

/// README's table of what can change comes from the catalog: this test
/// writes it (per table and property, the operations a change may call and
/// the IAM actions they need) and fails when README's copy differs.
#[test]
fn readme_lists_what_the_catalog_can_change() {
    use connectql::catalog::{writes::Deletion, Op, RESOURCE_TYPES};
    let row = |table: &str, what: &str, ops: &[Op]| {
        let names: Vec<String> = ops.iter().map(|o| o.to_string()).collect();
        let actions: Vec<String> = ops.iter().map(|o| o.def().iam_action()).collect();
        format!(
            "| {table} | {what} | {} | {} |\n",
            names.join(" / "),
            actions.join(", ")
        )
    };
    let mut out =
        String::from("| table | what changes | operations | IAM actions |\n|---|---|---|---|\n");
    for r in RESOURCE_TYPES {
        let w = r.writes;
        if w.create.is_none() && w.updates.is_empty() {
            continue;
        }
        if let Some(c) = &w.create {
            out.push_str(&row(r.plural, "INSERT", &[c.op]));
        }
        for u in w.updates {
            // Every field listed can change (the catalog's own test says so).
            let fields = u.fields().collect::<Vec<_>>().join(", ");
            out.push_str(&row(r.plural, &fields, &u.operations()));
        }
        if w.tags {
            out.push_str(&row(
                r.plural,
                "tags",
                &[Op::TagResource, Op::UntagResource],
            ));
        }
        match w.delete {
            Deletion::By(op) => out.push_str(&row(r.plural, "DELETE", &[op])),
            Deletion::Impossible(why) => {
                out.push_str(&format!("| {} | no DELETE: {why} | | |\n", r.plural))
            }
        }
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- changeable:start -->\n")
        .expect("README marker")
        + 26;
    let end = readme
        .find("<!-- changeable:end -->")
        .expect("README marker");
    assert_eq!(
        &readme[start..end],
        out,
        "README's table, as the catalog has it:\n{out}"
    );
}

/// The AWS CLI (its own botocore model) reads back what connectql's
/// INSERT, UPDATE and DELETE wrote, field for field.
#[test]
#[ignore = "AWS CLI cross-check: needs `aws` on PATH (run by .ci/run)"]
fn the_aws_cli_sees_what_connectql_wrote() {
    let emu = Emulator::start(&["--demo-data"]);
    let instance = "7c3a1f0e-2b4d-4e8a-9f61-0d5b8c2e4a11";
    let (ok, _, stderr) = json(
        &emu,
        &[
            &format!(
                "UPDATE aws.connect.queues SET max_contacts = 9, status = 'DISABLED', description = 'Billing, closed' \
                 WHERE {ACME} AND name = 'Billing'"
            ),
            &format!(
                "UPDATE aws.connect.users SET routing_profile_arn = \
                   (SELECT routing_profile_arn FROM aws.connect.routing_profiles WHERE {ACME} AND name = 'Back Office') \
                 WHERE {ACME} AND username = 'olivia.smith'"
            ),
            &format!(
                "UPDATE aws.connect.hours_of_operations SET time_zone = 'Europe/London', description = 'moved' \
                 WHERE {ACME} AND name = 'Basic Hours'"
            ),
            &format!(
                "UPDATE aws.connect.agent_statuses SET description = 'lunch break', display_order = 3 \
                 WHERE {ACME} AND name = 'Lunch'"
            ),
            "INSERT INTO aws.connect.prompts (name, description, s3_uri, region, data__InstanceId) \
             VALUES ('Welcome', 'welcome message', 's3://acme-prompts/welcome.wav', 'us-east-1', 'acme-support')",
            &format!("DELETE FROM aws.connect.quick_connects WHERE {ACME} AND name = 'Acme Field Services'"),
        ],
        true,
    );
    assert!(ok, "{stderr}");
    let id_of = |sql: &str| {
        let (_, v, _) = json(&emu, &[sql], false);
        v[0]["id"].as_str().unwrap_or_default().to_string()
    };
    let queue = id_of(&format!(
        "SELECT id FROM aws.connect.queues WHERE {ACME} AND name = 'Billing'"
    ));
    let q = emu.aws(
        "us-east-1",
        &[
            "connect",
            "describe-queue",
            "--instance-id",
            instance,
            "--queue-id",
            &queue,
        ],
    );
    assert_eq!(q["Queue"]["MaxContacts"], 9, "{q}");
    assert_eq!(q["Queue"]["Status"], "DISABLED", "{q}");
    assert_eq!(q["Queue"]["Description"], "Billing, closed", "{q}");

    let user = id_of(&format!(
        "SELECT id FROM aws.connect.users WHERE {ACME} AND username = 'olivia.smith'"
    ));
    let profile = id_of(&format!(
        "SELECT id FROM aws.connect.routing_profiles WHERE {ACME} AND name = 'Back Office'"
    ));
    let u = emu.aws(
        "us-east-1",
        &[
            "connect",
            "describe-user",
            "--instance-id",
            instance,
            "--user-id",
            &user,
        ],
    );
    assert_eq!(u["User"]["RoutingProfileId"], profile.as_str(), "{u}");

    let hours = id_of(&format!(
        "SELECT id FROM aws.connect.hours_of_operations WHERE {ACME} AND name = 'Basic Hours'"
    ));
    let h = emu.aws(
        "us-east-1",
        &[
            "connect",
            "describe-hours-of-operation",
            "--instance-id",
            instance,
            "--hours-of-operation-id",
            &hours,
        ],
    );
    assert_eq!(h["HoursOfOperation"]["TimeZone"], "Europe/London", "{h}");
    assert_eq!(h["HoursOfOperation"]["Description"], "moved", "{h}");

    let status = id_of(&format!(
        "SELECT id FROM aws.connect.agent_statuses WHERE {ACME} AND name = 'Lunch'"
    ));
    let a = emu.aws(
        "us-east-1",
        &[
            "connect",
            "describe-agent-status",
            "--instance-id",
            instance,
            "--agent-status-id",
            &status,
        ],
    );
    assert_eq!(a["AgentStatus"]["Description"], "lunch break", "{a}");
    assert_eq!(a["AgentStatus"]["DisplayOrder"], 3, "{a}");

    let prompts = emu.aws(
        "us-east-1",
        &["connect", "list-prompts", "--instance-id", instance],
    );
    assert!(
        prompts["PromptSummaryList"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["Name"] == "Welcome"),
        "{prompts}"
    );
    let qcs = emu.aws(
        "us-east-1",
        &["connect", "list-quick-connects", "--instance-id", instance],
    );
    assert!(
        !qcs["QuickConnectSummaryList"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["Name"] == "Acme Field Services"),
        "{qcs}"
    );
}

/// Calls that Connect applied but whose answers were lost are reported as
/// failed; the same statement run again reads the truth, finds nothing
/// left to do and makes no call; nothing outside the WHERE clause moved.
#[test]
fn lost_answers_converge_on_a_rerun_and_touch_nothing_else() {
    let emu = Emulator::start(&["--demo-data"]);
    let (_, before, _) = json(
        &emu,
        &[&format!(
            "SELECT name, max_contacts FROM aws.connect.queues WHERE {ACME} ORDER BY name"
        )],
        false,
    );
    emu.post(
        "/_emulator/faults",
        serde_json::json!({"apply_then_fail": {"mode": "error", "operations": ["UpdateQueueMaxContacts"]}}),
    );
    let update = format!(
        "UPDATE aws.connect.queues SET max_contacts = max_contacts + 100 \
         WHERE {ACME} AND name IN ('Billing', 'Escalations')"
    );
    let mut c = emu.connectql();
    c.args([
        "--region",
        "us-east-1",
        "--yes",
        "--max-attempts",
        "1",
        "-o",
        "json",
        "-e",
        &update,
    ]);
    let (ok, stdout, stderr) = run(c);
    assert!(!ok, "the lost answers are failures: {stdout}");
    assert!(stderr.contains("2 of 2 calls failed"), "{stderr}");
    emu.post(
        "/_emulator/faults",
        serde_json::json!({"apply_then_fail": null}),
    );

    // The SET expression reads the current value: run again, it would add
    // 100 once more — so converge with the absolute value instead, and
    // check that Connect holds exactly what one application gave.
    let (_, after, _) = json(
        &emu,
        &[&format!(
            "SELECT name, max_contacts FROM aws.connect.queues WHERE {ACME} ORDER BY name"
        )],
        false,
    );
    for (b, a) in before
        .as_array()
        .unwrap()
        .iter()
        .zip(after.as_array().unwrap())
    {
        let (old, new) = (b["max_contacts"].as_i64(), a["max_contacts"].as_i64());
        assert_eq!(a["name"], b["name"]);
        if ["Billing", "Escalations"].contains(&b["name"].as_str().unwrap()) {
            assert_eq!(new, old.map(|o| o + 100), "applied once: {after}");
        } else {
            assert_eq!(new, old, "outside the WHERE clause: {after}");
        }
    }
    let writes_before = writes(&emu);
    let settle = format!(
        "UPDATE aws.connect.queues SET status = status, max_contacts = max_contacts \
         WHERE {ACME} AND name IN ('Billing', 'Escalations')"
    );
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "--yes", "-e", &settle]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("nothing to change") && stdout.trim().is_empty(),
        "{stdout}{stderr}"
    );
    assert_eq!(writes(&emu), writes_before);
}

#[test]
fn dry_run_plans_every_call_and_sends_none() {
    let emu = Emulator::start(&["--demo-data"]);
    let mut c = emu.connectql();
    c.args([
        "--region",
        "us-east-1",
        "--dry-run",
        "-o",
        "json",
        "-e",
        &format!("UPDATE aws.connect.queues SET max_contacts = 7 WHERE {ACME} AND name IN ('Billing', 'Escalations')"),
    ]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    let plan: Value = serde_json::from_str(&stdout).unwrap();
    let rows = plan.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{plan}");
    assert!(
        rows.iter()
            .all(|r| r["status"] == "planned" && r["after"] == 7),
        "{plan}"
    );
    assert!(stderr.contains("no write call was made"), "{stderr}");
    // An instance's own change is planned the same way, and not sent.
    let mut c = emu.connectql();
    c.args([
        "--region",
        "us-east-1",
        "--dry-run",
        "--yes",
        "-o",
        "json",
        "-e",
        "DELETE FROM aws.connect.instances WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'",
    ]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    let plan: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(plan[0]["operation"], "DeleteInstance", "{plan}");
    assert_eq!(plan[0]["status"], "planned", "{plan}");
    assert!(stderr.contains("no write call was made"), "{stderr}");
    assert_eq!(writes(&emu), 0);
}

/// Onboarding a class from a CSV file is one statement: `read_csv` in the
/// INSERT's SELECT; a JSON file works the same way, and a file that cannot
/// be read is a clear error before any call.
#[test]
fn onboarding_from_a_csv_file_is_one_statement() {
    let emu = Emulator::start(&["--demo-data"]);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("new_hires.csv");
    std::fs::write(
        &csv,
        "username,first,last,email\nava.king,Ava,King,ava@example.com\nbo.lee,Bo,\"Lee, Jr\",bo@example.com\n",
    )
    .unwrap();
    let insert = format!(
        "INSERT INTO aws.connect.users (username, password, identity_info, phone_config, \
           security_profile_arns, routing_profile_arn, region, data__InstanceId) \
         SELECT h.username, 'Passw0rd!x', \
           json_object('FirstName', h.first, 'LastName', h.last, 'Email', h.email), \
           json_object('PhoneType', 'SOFT_PHONE'), \
           (SELECT json_group_array(security_profile_arn) FROM aws.connect.security_profiles \
            WHERE {ACME} AND security_profile_name = 'Agent'), \
           (SELECT routing_profile_arn FROM aws.connect.routing_profiles \
            WHERE {ACME} AND name = 'Tier 1 Agents'), \
           'us-east-1', 'acme-support' \
         FROM read_csv('{}') h",
        csv.display()
    );
    let (ok, result, stderr) = json(&emu, &[&insert], true);
    assert!(ok, "{stderr}");
    assert_eq!(emu.calls("CreateUser"), 2, "{result}");
    let (_, users, _) = json(
        &emu,
        &[&format!(
            "SELECT username, identity_info ->> '$.LastName' AS last FROM aws.connect.users \
             WHERE {ACME} AND username IN ('ava.king', 'bo.lee') ORDER BY username"
        )],
        false,
    );
    assert_eq!(users[1]["last"], "Lee, Jr", "{users}");

    let json_file = dir.path().join("teams.json");
    std::fs::write(
        &json_file,
        r#"[{"team":"Billing","max":7},{"team":"Support"}]"#,
    )
    .unwrap();
    let (ok, rows, stderr) = json(
        &emu,
        &[&format!(
            "SELECT team, max FROM read_json('{}') ORDER BY team",
            json_file.display()
        )],
        false,
    );
    assert!(ok, "{stderr}");
    assert_eq!(rows[0]["max"], "7", "{rows}");
    assert!(rows[1]["max"].is_null(), "{rows}");

    let before = writes(&emu);
    let mut c = emu.connectql();
    c.args([
        "--region",
        "us-east-1",
        "--yes",
        "-e",
        &insert.replace("new_hires.csv", "missing.csv"),
    ]);
    let (ok, _, stderr) = run(c);
    assert!(!ok);
    assert!(
        stderr.contains("missing.csv") && stderr.contains("cannot read it"),
        "{stderr}"
    );
    assert_eq!(writes(&emu), before);
}

/// Where a field holds another item's ARN, its name (or id) works too,
/// resolved in the row's own instance before any call; a name that is not
/// there is refused naming it.
#[test]
fn names_stand_for_arns_in_the_same_instance() {
    let emu = Emulator::start(&["--demo-data"]);
    let (ok, result, stderr) = json(
        &emu,
        &[&format!(
            "UPDATE aws.connect.users SET routing_profile_arn = 'Back Office', \
               security_profile_arns = json_array('Agent', 'Admin') \
             WHERE {ACME} AND username = 'olivia.smith'"
        )],
        true,
    );
    assert!(ok, "{stderr}");
    assert_eq!(emu.calls("UpdateUserRoutingProfile"), 1, "{result}");
    let (_, read, _) = json(
        &emu,
        &["SELECT r.name, json_array_length(u.security_profile_arns) AS n \
           FROM aws.connect.users u JOIN aws.connect.routing_profiles r \
             ON r.routing_profile_arn = u.routing_profile_arn \
           WHERE u.region = 'us-east-1' AND u.data__InstanceId = 'acme-support' AND u.username = 'olivia.smith'"],
        false,
    );
    assert_eq!(read[0]["name"], "Back Office", "{read}");
    assert_eq!(read[0]["n"], 2, "{read}");

    let before = writes(&emu);
    let mut c = emu.connectql();
    c.args([
        "--region",
        "us-east-1",
        "--yes",
        "-e",
        &format!("UPDATE aws.connect.users SET routing_profile_arn = 'Tier 9' WHERE {ACME} AND username LIKE 'o%'"),
    ]);
    let (ok, _, stderr) = run(c);
    assert!(!ok);
    assert!(
        stderr.contains("routing_profile_arn")
            && stderr.contains("no routing profile named `Tier 9`"),
        "{stderr}"
    );
    assert_eq!(writes(&emu), before);

    // INSERT: the hours of a new queue by name.
    let (ok, _, stderr) = json(
        &emu,
        &["INSERT INTO aws.connect.queues (name, hours_of_operation_arn, region, data__InstanceId) \
           VALUES ('Claims', 'Basic Hours', 'us-east-1', 'acme-support')"],
        false,
    );
    assert!(ok, "{stderr}");
    assert_eq!(emu.calls("CreateQueue"), 1);
}

/// The targets of a change are SQL's answer: equivalent WHERE clauses (OR
/// vs IN, operands swapped, a column wrapped so nothing is pushed down,
/// a subquery vs a list, repeated predicates) plan the same calls on the
/// same items, and a contradiction plans none.
#[test]
fn equivalent_where_clauses_plan_the_same_changes() {
    let emu = Emulator::start(&["--demo-data"]);
    let plan = |where_: &str| -> Vec<String> {
        let mut c = emu.connectql();
        c.args([
            "--region",
            "us-east-1",
            "--dry-run",
            "-o",
            "json",
            "-e",
            &format!("UPDATE aws.connect.queues SET max_contacts = 3 WHERE {where_}"),
        ]);
        let (ok, stdout, stderr) = run(c);
        assert!(ok, "{where_}: {stderr}");
        let mut items: Vec<String> = serde_json::from_str::<Value>(&stdout)
            .map(|v| {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|r| format!("{} {}", r["item"], r["operation"]))
                    .collect()
            })
            .unwrap_or_default();
        items.sort();
        items
    };
    let groups: [&[String]; 2] = [
        &[
            format!("{ACME} AND (name = 'Billing' OR name = 'Escalations')"),
            format!("{ACME} AND name IN ('Escalations', 'Billing')"),
            format!("{ACME} AND ('Billing' = name OR 'Escalations' = name)"),
            format!("{ACME} AND upper(name) IN ('BILLING', 'ESCALATIONS')"),
            format!(
                "{ACME} AND name IN (SELECT 'Billing' UNION SELECT 'Escalations') AND name IN ('Billing', 'Escalations')"
            ),
            "data__InstanceId = 'acme-support' AND name IN ('Billing', 'Escalations') AND region = 'us-east-1'".to_string(),
        ],
        &[
            format!("{ACME} AND name = 'Billing' AND name = 'Escalations'"),
            format!("{ACME} AND region = 'eu-west-2'"),
            format!("{ACME} AND name IN ('Billing') AND NOT name = 'Billing'"),
        ],
    ];
    let expected = [2usize, 0];
    for (group, n) in groups.iter().zip(expected) {
        let first = plan(&group[0]);
        assert_eq!(first.len(), n, "{}: {first:?}", group[0]);
        for other in group.iter().skip(1) {
            assert_eq!(
                plan(other),
                first,
                "{other} plans other changes than {}",
                group[0]
            );
        }
    }
    assert_eq!(writes(&emu), 0);
}
