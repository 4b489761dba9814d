//! The properties whose CloudFormation shape is not the request's, changed
//! against the local endpoint: a queue's outbound caller config, a routing
//! profile's queues (and manual-assignment queues), a quick connect's
//! config, a security profile's access-control tags and the flow a number
//! reaches. Each changes by difference with the fewest calls, and the same
//! statement run again makes no write call; what CloudFormation writes as
//! ARNs is sent as the ids the request takes, so ids and ARNs are the same
//! value. The AWS CLI (its own botocore model) cross-checks both ways.

mod common;
#[path = "common/statements.rs"]
mod statements;

use common::{run, Emulator};
use serde_json::{json, Value};
use statements::writes;

const ACME: &str = "region = 'us-east-1' AND data__InstanceId = 'acme-support'";
const INSTANCE: &str =
    "arn:aws:connect:us-east-1:123456789012:instance/7c3a1f0e-2b4d-4e8a-9f61-0d5b8c2e4a11";

/// Runs statements in one process (`--yes` when `yes`); the JSON of the
/// last one that printed a table.
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

/// Runs one change with `--yes`; fails the test when it fails.
fn change(emu: &Emulator, statement: &str) -> Value {
    let (ok, result, stderr) = json(emu, &[statement], true);
    assert!(ok, "{statement}: {stderr}");
    result
}

/// One SELECT's rows.
fn select(emu: &Emulator, statement: &str) -> Vec<Value> {
    let (ok, rows, stderr) = json(emu, &[statement], false);
    assert!(ok, "{statement}: {stderr}");
    rows.as_array().cloned().unwrap_or_default()
}

/// Runs `statement` again: it converged, so it makes no write call.
fn converged(emu: &Emulator, statement: &str) {
    let before = writes(emu);
    let (ok, _, stderr) = json(emu, &[statement], true);
    assert!(ok, "{statement}: {stderr}");
    assert_eq!(writes(emu), before, "a re-run made calls: {statement}");
}

/// A SQL string literal.
fn lit(v: &Value) -> String {
    format!("'{}'", v.to_string().replace('\'', "''"))
}

/// The ARN of the item of `table` whose `name_column` is `name`.
fn arn_of(emu: &Emulator, table: &str, arn_column: &str, name_column: &str, name: &str) -> String {
    let rows = select(
        emu,
        &format!("SELECT {arn_column} FROM aws.connect.{table} WHERE {ACME} AND {name_column} = '{name}'"),
    );
    rows[0][arn_column]
        .as_str()
        .unwrap_or_else(|| panic!("no {table} named {name}"))
        .to_string()
}

fn queue_config(queue_arn: &str, channel: &str, priority: i64, delay: i64) -> Value {
    json!({"Delay": delay, "Priority": priority,
           "QueueReference": {"Channel": channel, "QueueArn": queue_arn}})
}

/// Equal as sets of elements.
fn same_set(a: &Value, b: &Value) -> bool {
    let (a, b) = (a.as_array().unwrap(), b.as_array().unwrap());
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

#[test]
fn a_queues_outbound_caller_config_changes_by_difference() {
    let emu = Emulator::start(&["--demo-data"]);
    let number =
        "arn:aws:connect:us-east-1:123456789012:phone-number/63be4d8f-51f0-4a19-a641-bf4003ada47e";
    let flow = arn_of(
        &emu,
        "contact_flows",
        "contact_flow_arn",
        "name",
        "Default outbound",
    );
    let config = json!({"OutboundCallerIdName": "Acme Billing",
                        "OutboundCallerIdNumberArn": number, "OutboundFlowArn": flow});
    let update = format!(
        "UPDATE aws.connect.queues SET outbound_caller_config = {} WHERE {ACME} AND name = 'Billing'",
        lit(&config)
    );
    let result = change(&emu, &update);
    assert_eq!(emu.calls("UpdateQueueOutboundCallerConfig"), 1, "{result}");
    assert_eq!(writes(&emu), 1);
    let rows = select(
        &emu,
        &format!("SELECT outbound_caller_config FROM aws.connect.queues WHERE {ACME} AND name = 'Billing'"),
    );
    assert_eq!(rows[0]["outbound_caller_config"], config);
    converged(&emu, &update);
    // The request takes ids: the same config written with ids is no change.
    let by_ids = json!({"OutboundCallerIdName": "Acme Billing",
                        "OutboundCallerIdNumberArn": "63be4d8f-51f0-4a19-a641-bf4003ada47e",
                        "OutboundFlowArn": flow.rsplit('/').next().unwrap()});
    converged(
        &emu,
        &format!(
            "UPDATE aws.connect.queues SET outbound_caller_config = {} WHERE {ACME} AND name = 'Billing'",
            lit(&by_ids)
        ),
    );
    // Another name only: one call, and the number and flow stay.
    let renamed = json!({"OutboundCallerIdName": "Acme Accounts",
                         "OutboundCallerIdNumberArn": number, "OutboundFlowArn": flow});
    let result = change(
        &emu,
        &format!(
            "UPDATE aws.connect.queues SET outbound_caller_config = {} WHERE {ACME} AND name = 'Billing'",
            lit(&renamed)
        ),
    );
    assert_eq!(emu.calls("UpdateQueueOutboundCallerConfig"), 2, "{result}");
    assert_eq!(result[0]["before"], config, "{result}");

    // Created with it.
    let created = json!({"OutboundCallerIdName": "Nights", "OutboundFlowArn": flow});
    let result = change(
        &emu,
        &format!(
            "INSERT INTO aws.connect.queues (name, hours_of_operation_arn, outbound_caller_config, region, data__InstanceId) \
             VALUES ('Night Line', 'Basic Hours', {}, 'us-east-1', 'acme-support')",
            lit(&created)
        ),
    );
    assert_eq!(emu.calls("CreateQueue"), 1, "{result}");
    let rows = select(
        &emu,
        &format!("SELECT outbound_caller_config FROM aws.connect.queues WHERE {ACME} AND name = 'Night Line'"),
    );
    assert_eq!(rows[0]["outbound_caller_config"], created);
}

#[test]
fn a_routing_profiles_queues_change_element_by_element() {
    let emu = Emulator::start(&["--demo-data"]);
    let queue = |name: &str| arn_of(&emu, "queues", "queue_arn", "name", name);
    let (general, billing, vip) = (
        queue("General Support"),
        queue("Billing"),
        queue("VIP Support"),
    );
    // Tier 1 Agents: General Support and Billing on VOICE and CHAT. Keep
    // General/VOICE, change Billing/VOICE's priority and delay, drop the
    // two CHAT ones, add Billing/TASK (by id: the request's form), and a
    // manual-assignment queue.
    let wanted = json!([
        queue_config(&general, "VOICE", 1, 0),
        queue_config(&billing, "VOICE", 3, 5),
        queue_config(billing.rsplit('/').next().unwrap(), "TASK", 4, 0),
    ]);
    let manual = json!([{"QueueReference": {"Channel": "CHAT", "QueueArn": vip}}]);
    let update = format!(
        "UPDATE aws.connect.routing_profiles SET queue_configs = {}, manual_assignment_queue_configs = {} \
         WHERE {ACME} AND name = 'Tier 1 Agents'",
        lit(&wanted),
        lit(&manual)
    );
    let result = change(&emu, &update);
    // One call per operation: the removal, the change in place, and one
    // association that adds the queue and the manual queue together.
    assert_eq!(emu.calls("DisassociateRoutingProfileQueues"), 1, "{result}");
    assert_eq!(emu.calls("UpdateRoutingProfileQueues"), 1, "{result}");
    assert_eq!(emu.calls("AssociateRoutingProfileQueues"), 1, "{result}");
    assert_eq!(writes(&emu), 3, "{result}");
    let rows = select(
        &emu,
        &format!(
            "SELECT queue_configs, manual_assignment_queue_configs FROM aws.connect.routing_profiles \
             WHERE {ACME} AND name = 'Tier 1 Agents'"
        ),
    );
    let expected = json!([
        queue_config(&general, "VOICE", 1, 0),
        queue_config(&billing, "VOICE", 3, 5),
        queue_config(&billing, "TASK", 4, 0),
    ]);
    assert!(same_set(&rows[0]["queue_configs"], &expected), "{rows:?}");
    assert_eq!(rows[0]["manual_assignment_queue_configs"], manual);
    converged(&emu, &update);

    // Taken away: one disassociation for both.
    let before = writes(&emu);
    let clear = format!(
        "UPDATE aws.connect.routing_profiles SET queue_configs = '[]', manual_assignment_queue_configs = NULL \
         WHERE {ACME} AND name = 'Tier 1 Agents'"
    );
    let result = change(&emu, &clear);
    assert_eq!(writes(&emu), before + 1, "{result}");
    assert_eq!(emu.calls("DisassociateRoutingProfileQueues"), 2, "{result}");
    let rows = select(
        &emu,
        &format!(
            "SELECT queue_configs, manual_assignment_queue_configs FROM aws.connect.routing_profiles \
             WHERE {ACME} AND name = 'Tier 1 Agents'"
        ),
    );
    assert_eq!(rows[0]["queue_configs"], json!([]));
    assert_eq!(rows[0]["manual_assignment_queue_configs"], json!([]));
    converged(&emu, &clear);

    // 14 queue configs: AssociateRoutingProfileQueues takes 10 at a time.
    let all: Vec<Value> = select(
        &emu,
        &format!("SELECT queue_arn FROM aws.connect.queues WHERE {ACME}"),
    )
    .iter()
    .flat_map(|q| {
        let arn = q["queue_arn"].as_str().unwrap().to_string();
        [
            queue_config(&arn, "VOICE", 2, 0),
            queue_config(&arn, "CHAT", 2, 0),
        ]
    })
    .collect();
    assert_eq!(all.len(), 14);
    let many = format!(
        "UPDATE aws.connect.routing_profiles SET queue_configs = {} WHERE {ACME} AND name = 'Back Office'",
        lit(&Value::Array(all.clone()))
    );
    let before = emu.calls("AssociateRoutingProfileQueues");
    let result = change(&emu, &many);
    assert_eq!(
        emu.calls("AssociateRoutingProfileQueues"),
        before + 2,
        "{result}"
    );
    converged(&emu, &many);

    // A queue and channel given twice says neither: refused, no call.
    let twice = json!([
        queue_config(&general, "VOICE", 1, 0),
        queue_config(&general, "VOICE", 2, 0)
    ]);
    let before = writes(&emu);
    let (ok, _, stderr) = json(
        &emu,
        &[&format!(
            "UPDATE aws.connect.routing_profiles SET queue_configs = {} WHERE {ACME} AND name = 'Back Office'",
            lit(&twice)
        )],
        true,
    );
    assert!(!ok);
    assert!(stderr.contains("given twice"), "{stderr}");
    assert_eq!(writes(&emu), before);

    // Created with both.
    let configs = json!([queue_config(&billing, "VOICE", 1, 2)]);
    let result = change(
        &emu,
        &format!(
            "INSERT INTO aws.connect.routing_profiles (name, description, default_outbound_queue_arn, media_concurrencies, \
               queue_configs, manual_assignment_queue_configs, region, data__InstanceId) \
             VALUES ('Night Shift', 'nights', 'BasicQueue', json_array(json_object('Channel', 'VOICE', 'Concurrency', 1)), \
               {}, {}, 'us-east-1', 'acme-support')",
            lit(&configs),
            lit(&manual)
        ),
    );
    assert_eq!(emu.calls("CreateRoutingProfile"), 1, "{result}");
    let rows = select(
        &emu,
        &format!(
            "SELECT queue_configs, manual_assignment_queue_configs FROM aws.connect.routing_profiles \
             WHERE {ACME} AND name = 'Night Shift'"
        ),
    );
    assert_eq!(rows[0]["queue_configs"], configs);
    assert_eq!(rows[0]["manual_assignment_queue_configs"], manual);

    // CreateRoutingProfile takes 10 queue configs: more are refused before
    // any call, with the way.
    let before = writes(&emu);
    let (ok, _, stderr) = json(
        &emu,
        &[&format!(
            "INSERT INTO aws.connect.routing_profiles (name, description, default_outbound_queue_arn, media_concurrencies, \
               queue_configs, region, data__InstanceId) \
             VALUES ('Everything', 'all queues', 'BasicQueue', json_array(json_object('Channel', 'VOICE', 'Concurrency', 1)), \
               {}, 'us-east-1', 'acme-support')",
            lit(&Value::Array(all))
        )],
        true,
    );
    assert!(!ok);
    assert!(
        stderr.contains("at most 10") && stderr.contains("UPDATE"),
        "{stderr}"
    );
    assert_eq!(writes(&emu), before);

    // DESCRIBE and EXPLAIN name all three operations.
    let (ok, described, stderr) = json(
        &emu,
        &["DESCRIBE EXTENDED aws.connect.routing_profiles"],
        false,
    );
    assert!(ok, "{stderr}");
    let row = described
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r.to_string().contains("\"queue_configs\""))
        .cloned()
        .unwrap();
    assert!(
        row.to_string().contains("UpdateRoutingProfileQueues"),
        "{row}"
    );
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "-e", &format!("EXPLAIN {update}")]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    for action in [
        "connect:AssociateRoutingProfileQueues",
        "connect:DisassociateRoutingProfileQueues",
        "connect:UpdateRoutingProfileQueues",
    ] {
        assert!(stdout.contains(action), "{action}: {stdout}");
    }
}

#[test]
fn a_quick_connects_config_changes_by_difference() {
    let emu = Emulator::start(&["--demo-data"]);
    let user = arn_of(&emu, "users", "user_arn", "username", "olivia.smith");
    let flow = arn_of(
        &emu,
        "contact_flows",
        "contact_flow_arn",
        "name",
        "Default agent transfer",
    );
    let config = json!({"QuickConnectType": "USER",
                        "UserConfig": {"UserArn": user, "ContactFlowArn": flow}});
    let update = format!(
        "UPDATE aws.connect.quick_connects SET quick_connect_config = {} WHERE {ACME} AND name = 'Transfer to Billing'",
        lit(&config)
    );
    let result = change(&emu, &update);
    assert_eq!(emu.calls("UpdateQuickConnectConfig"), 1, "{result}");
    assert_eq!(writes(&emu), 1);
    let rows = select(
        &emu,
        &format!(
            "SELECT quick_connect_config, quick_connect_type FROM aws.connect.quick_connects \
             WHERE {ACME} AND name = 'Transfer to Billing'"
        ),
    );
    assert_eq!(rows[0]["quick_connect_config"], config);
    assert_eq!(rows[0]["quick_connect_type"], "USER");
    converged(&emu, &update);

    // Created with a queue's config.
    let queue = arn_of(&emu, "queues", "queue_arn", "name", "VIP Support");
    let transfer = arn_of(
        &emu,
        "contact_flows",
        "contact_flow_arn",
        "name",
        "Default queue transfer",
    );
    let created = json!({"QuickConnectType": "QUEUE",
                         "QueueConfig": {"QueueArn": queue, "ContactFlowArn": transfer}});
    let result = change(
        &emu,
        &format!(
            "INSERT INTO aws.connect.quick_connects (name, quick_connect_config, region, data__InstanceId) \
             VALUES ('Transfer to VIP', {}, 'us-east-1', 'acme-support')",
            lit(&created)
        ),
    );
    assert_eq!(emu.calls("CreateQuickConnect"), 1, "{result}");
    let rows = select(
        &emu,
        &format!("SELECT quick_connect_config FROM aws.connect.quick_connects WHERE {ACME} AND name = 'Transfer to VIP'"),
    );
    assert_eq!(rows[0]["quick_connect_config"], created);
}

#[test]
fn a_security_profiles_access_control_tags_change_by_difference() {
    let emu = Emulator::start(&["--demo-data"]);
    let read = |emu: &Emulator| {
        select(
            emu,
            &format!(
                "SELECT allowed_access_control_tags, description, permissions FROM aws.connect.security_profiles \
                 WHERE {ACME} AND security_profile_name = 'Team Lead'"
            ),
        )[0]
            .clone()
    };
    let before = read(&emu);
    let tags = json!([{"Key": "team", "Value": "red"}, {"Key": "site", "Value": "lisbon"}]);
    let update = format!(
        "UPDATE aws.connect.security_profiles SET allowed_access_control_tags = {} \
         WHERE {ACME} AND security_profile_name = 'Team Lead'",
        lit(&tags)
    );
    let result = change(&emu, &update);
    assert_eq!(emu.calls("UpdateSecurityProfile"), 1, "{result}");
    assert_eq!(writes(&emu), 1);
    let after = read(&emu);
    assert!(
        same_set(&after["allowed_access_control_tags"], &tags),
        "{after}"
    );
    // UpdateSecurityProfile takes its members together: the others stay.
    assert_eq!(after["description"], before["description"]);
    assert_eq!(after["permissions"], before["permissions"]);
    converged(&emu, &update);
    // The same tags in another order are the same map.
    converged(
        &emu,
        &format!(
            "UPDATE aws.connect.security_profiles SET allowed_access_control_tags = {} \
             WHERE {ACME} AND security_profile_name = 'Team Lead'",
            lit(&json!([{"Key": "site", "Value": "lisbon"}, {"Key": "team", "Value": "red"}]))
        ),
    );

    // NULL takes them away (an empty map), once.
    let clear = format!(
        "UPDATE aws.connect.security_profiles SET allowed_access_control_tags = NULL \
         WHERE {ACME} AND security_profile_name = 'Team Lead'"
    );
    let result = change(&emu, &clear);
    assert_eq!(emu.calls("UpdateSecurityProfile"), 2, "{result}");
    let after = read(&emu);
    assert!(
        after["allowed_access_control_tags"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "{after}"
    );
    assert_eq!(after["permissions"], before["permissions"]);
    converged(&emu, &clear);

    // Created with them.
    let result = change(
        &emu,
        &format!(
            "INSERT INTO aws.connect.security_profiles (security_profile_name, allowed_access_control_tags, \
               tag_restricted_resources, region, data__InstanceId) \
             VALUES ('Red Team', {}, json_array('User'), 'us-east-1', 'acme-support')",
            lit(&tags)
        ),
    );
    assert_eq!(emu.calls("CreateSecurityProfile"), 1, "{result}");
    let rows = select(
        &emu,
        &format!(
            "SELECT allowed_access_control_tags FROM aws.connect.security_profiles \
             WHERE {ACME} AND security_profile_name = 'Red Team'"
        ),
    );
    assert!(
        same_set(&rows[0]["allowed_access_control_tags"], &tags),
        "{rows:?}"
    );
    // A key given twice is refused before any call.
    let before = writes(&emu);
    let (ok, _, stderr) = json(
        &emu,
        &[&format!(
            "UPDATE aws.connect.security_profiles SET allowed_access_control_tags = {} \
             WHERE {ACME} AND security_profile_name = 'Team Lead'",
            lit(&json!([{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]))
        )],
        true,
    );
    assert!(!ok);
    assert!(stderr.contains("twice"), "{stderr}");
    assert_eq!(writes(&emu), before);
}

#[test]
fn the_flow_a_number_reaches_is_associated_and_disassociated() {
    let emu = Emulator::start(&["--demo-data"]);
    let flow = arn_of(
        &emu,
        "contact_flows",
        "contact_flow_arn",
        "name",
        "Support After Hours",
    );
    let update = format!(
        "UPDATE aws.connect.phone_numbers SET contact_flow_arn = '{flow}' \
         WHERE {ACME} AND address IN ('+12125550102', '+12125550103')"
    );
    let result = change(&emu, &update);
    assert_eq!(emu.calls("AssociatePhoneNumberContactFlow"), 2, "{result}");
    assert_eq!(writes(&emu), 2);
    let flows = |emu: &Emulator| {
        select(
            emu,
            &format!("SELECT address, contact_flow_arn FROM aws.connect.phone_numbers WHERE {ACME} ORDER BY address"),
        )
    };
    let rows = flows(&emu);
    for r in &rows {
        let moved = r["address"] == "+12125550102" || r["address"] == "+12125550103";
        assert_eq!(r["contact_flow_arn"] == json!(flow), moved, "{rows:?}");
    }
    converged(&emu, &update);
    // By id: the same flow.
    converged(
        &emu,
        &format!(
            "UPDATE aws.connect.phone_numbers SET contact_flow_arn = '{}' \
             WHERE {ACME} AND address IN ('+12125550102', '+12125550103')",
            flow.rsplit('/').next().unwrap()
        ),
    );

    // By name, resolved in the number's instance.
    let result = change(
        &emu,
        &format!(
            "UPDATE aws.connect.phone_numbers SET contact_flow_arn = 'Billing Inbound' \
             WHERE {ACME} AND address = '+12125550102'"
        ),
    );
    assert_eq!(emu.calls("AssociatePhoneNumberContactFlow"), 3, "{result}");
    let billing = arn_of(
        &emu,
        "contact_flows",
        "contact_flow_arn",
        "name",
        "Billing Inbound",
    );
    let rows = flows(&emu);
    let number = rows
        .iter()
        .find(|r| r["address"] == "+12125550102")
        .unwrap();
    assert_eq!(number["contact_flow_arn"], json!(billing), "{rows:?}");
    let before = writes(&emu);
    let (ok, _, stderr) = json(
        &emu,
        &[&format!(
            "UPDATE aws.connect.phone_numbers SET contact_flow_arn = 'No Such Flow' \
             WHERE {ACME} AND address = '+12125550102'"
        )],
        true,
    );
    assert!(!ok);
    assert!(stderr.contains("No Such Flow"), "{stderr}");
    assert_eq!(writes(&emu), before);

    // NULL: the number reaches no flow.
    let clear = format!(
        "UPDATE aws.connect.phone_numbers SET contact_flow_arn = NULL WHERE {ACME} AND address = '+12125550103'"
    );
    let result = change(&emu, &clear);
    assert_eq!(
        emu.calls("DisassociatePhoneNumberContactFlow"),
        1,
        "{result}"
    );
    let rows = flows(&emu);
    let number = rows
        .iter()
        .find(|r| r["address"] == "+12125550103")
        .unwrap();
    assert_eq!(number["contact_flow_arn"], Value::Null, "{rows:?}");
    converged(&emu, &clear);

    // ClaimPhoneNumber does not take a flow: said, with the way.
    let before = writes(&emu);
    let (ok, _, stderr) = json(
        &emu,
        &[&format!(
            "INSERT INTO aws.connect.phone_numbers (address, target_arn, contact_flow_arn, region, data__InstanceId) \
             VALUES ('+12125550199', '{INSTANCE}', '{flow}', 'us-east-1', 'acme-support')"
        )],
        true,
    );
    assert!(!ok);
    assert!(
        stderr.contains("ClaimPhoneNumber does not take it")
            && stderr.contains("AssociatePhoneNumberContactFlow"),
        "{stderr}"
    );
    assert_eq!(writes(&emu), before);
}

/// The AWS CLI reads back, field for field, what connectql wrote to these
/// five properties, and connectql reads back what the CLI wrote with the
/// corresponding update commands (and finds nothing to change when asked
/// for it again).
#[test]
#[ignore = "AWS CLI cross-check: needs `aws` on PATH (run by .ci/run)"]
fn the_aws_cli_and_connectql_agree_on_these_shapes() {
    let emu = Emulator::start(&["--demo-data"]);
    let iid = INSTANCE.rsplit('/').next().unwrap();
    let cli = |args: &[&str]| {
        let mut full = vec!["connect"];
        full.extend_from_slice(args);
        emu.aws("us-east-1", &full)
    };
    let id = |arn: &str| arn.rsplit('/').next().unwrap().to_string();
    let queue = |name: &str| arn_of(&emu, "queues", "queue_arn", "name", name);
    let flow = |name: &str| arn_of(&emu, "contact_flows", "contact_flow_arn", "name", name);
    let (billing, general, vip) = (
        queue("Billing"),
        queue("General Support"),
        queue("VIP Support"),
    );
    let user = arn_of(&emu, "users", "user_arn", "username", "olivia.smith");
    let number_id = "63be4d8f-51f0-4a19-a641-bf4003ada47e";
    let number_arn = format!("arn:aws:connect:us-east-1:123456789012:phone-number/{number_id}");
    let quick = id(&arn_of(
        &emu,
        "quick_connects",
        "quick_connect_arn",
        "name",
        "Transfer to Billing",
    ));
    let profile = id(&arn_of(
        &emu,
        "routing_profiles",
        "routing_profile_arn",
        "name",
        "Tier 1 Agents",
    ));
    let security = id(&arn_of(
        &emu,
        "security_profiles",
        "security_profile_arn",
        "security_profile_name",
        "Team Lead",
    ));
    let (outbound, after_hours, agent_transfer) = (
        flow("Default outbound"),
        flow("Support After Hours"),
        flow("Default agent transfer"),
    );

    // connectql writes; the CLI reads.
    let caller = json!({"OutboundCallerIdName": "Acme Billing",
                        "OutboundCallerIdNumberArn": number_arn, "OutboundFlowArn": outbound});
    let configs = json!([
        queue_config(&general, "VOICE", 1, 0),
        queue_config(&billing, "CHAT", 3, 7)
    ]);
    let manual = json!([{"QueueReference": {"Channel": "CHAT", "QueueArn": vip}}]);
    let quick_config = json!({"QuickConnectType": "USER",
                              "UserConfig": {"UserArn": user, "ContactFlowArn": agent_transfer}});
    let tags = json!([{"Key": "team", "Value": "red"}]);
    let statements = [
        format!("UPDATE aws.connect.queues SET outbound_caller_config = {} WHERE {ACME} AND name = 'Billing'", lit(&caller)),
        format!(
            "UPDATE aws.connect.routing_profiles SET queue_configs = {}, manual_assignment_queue_configs = {} \
             WHERE {ACME} AND name = 'Tier 1 Agents'",
            lit(&configs),
            lit(&manual)
        ),
        format!(
            "UPDATE aws.connect.quick_connects SET quick_connect_config = {} WHERE {ACME} AND name = 'Transfer to Billing'",
            lit(&quick_config)
        ),
        format!(
            "UPDATE aws.connect.security_profiles SET allowed_access_control_tags = {} \
             WHERE {ACME} AND security_profile_name = 'Team Lead'",
            lit(&tags)
        ),
        format!(
            "UPDATE aws.connect.phone_numbers SET contact_flow_arn = '{after_hours}' WHERE {ACME} AND address = '+12125550101'"
        ),
    ];
    for s in &statements {
        change(&emu, s);
    }
    let q = cli(&[
        "describe-queue",
        "--instance-id",
        iid,
        "--queue-id",
        &id(&billing),
    ]);
    assert_eq!(
        q["Queue"]["OutboundCallerConfig"],
        json!({"OutboundCallerIdName": "Acme Billing", "OutboundCallerIdNumberId": number_id,
               "OutboundFlowId": id(&outbound)})
    );
    let listed = cli(&[
        "list-routing-profile-queues",
        "--instance-id",
        iid,
        "--routing-profile-id",
        &profile,
    ]);
    let seen: Vec<Value> = listed["RoutingProfileQueueConfigSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| json!([s["QueueId"], s["Channel"], s["Priority"], s["Delay"]]))
        .collect();
    assert!(
        same_set(
            &Value::Array(seen),
            &json!([[id(&general), "VOICE", 1, 0], [id(&billing), "CHAT", 3, 7]])
        ),
        "{listed}"
    );
    let listed = cli(&[
        "list-routing-profile-manual-assignment-queues",
        "--instance-id",
        iid,
        "--routing-profile-id",
        &profile,
    ]);
    let seen: Vec<Value> = listed["RoutingProfileManualAssignmentQueueConfigSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| json!([s["QueueId"], s["Channel"]]))
        .collect();
    assert_eq!(Value::Array(seen), json!([[id(&vip), "CHAT"]]), "{listed}");
    let qc = cli(&[
        "describe-quick-connect",
        "--instance-id",
        iid,
        "--quick-connect-id",
        &quick,
    ]);
    assert_eq!(
        qc["QuickConnect"]["QuickConnectConfig"],
        json!({"QuickConnectType": "USER",
               "UserConfig": {"UserId": id(&user), "ContactFlowId": id(&agent_transfer)}})
    );
    let sp = cli(&[
        "describe-security-profile",
        "--instance-id",
        iid,
        "--security-profile-id",
        &security,
    ]);
    assert_eq!(
        sp["SecurityProfile"]["AllowedAccessControlTags"],
        json!({"team": "red"})
    );
    let numbers = cli(&["list-phone-numbers-v2", "--instance-id", iid]);
    let number = numbers["ListPhoneNumbersSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["PhoneNumber"] == "+12125550101")
        .unwrap()["PhoneNumberId"]
        .as_str()
        .unwrap()
        .to_string();
    let described = cli(&["describe-phone-number", "--phone-number-id", &number]);
    let number_arn_101 = described["ClaimedPhoneNumberSummary"]["PhoneNumberArn"].clone();
    let associations = cli(&[
        "list-flow-associations",
        "--instance-id",
        iid,
        "--resource-type",
        "VOICE_PHONE_NUMBER",
    ]);
    let reached = associations["FlowAssociationSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["ResourceId"] == number_arn_101)
        .map(|a| a["FlowId"].clone());
    assert_eq!(reached, Some(json!(after_hours)), "{associations}");

    // The CLI writes; connectql reads, and has nothing to change when
    // asked for what the CLI wrote.
    cli(&[
        "update-queue-outbound-caller-config",
        "--instance-id",
        iid,
        "--queue-id",
        &id(&billing),
        "--outbound-caller-config",
        &json!({"OutboundCallerIdName": "Billing Desk", "OutboundFlowId": id(&after_hours)})
            .to_string(),
    ]);
    cli(&[
        "update-routing-profile-queues",
        "--instance-id",
        iid,
        "--routing-profile-id",
        &profile,
        "--queue-configs",
        &json!([{"QueueReference": {"QueueId": id(&general), "Channel": "VOICE"}, "Priority": 5, "Delay": 9}])
            .to_string(),
    ]);
    cli(&[
        "disassociate-routing-profile-queues",
        "--instance-id",
        iid,
        "--routing-profile-id",
        &profile,
        "--manual-assignment-queue-references",
        &json!([{"QueueId": id(&vip), "Channel": "CHAT"}]).to_string(),
    ]);
    cli(&[
        "update-quick-connect-config",
        "--instance-id",
        iid,
        "--quick-connect-id",
        &quick,
        "--quick-connect-config",
        &json!({"QuickConnectType": "PHONE_NUMBER", "PhoneConfig": {"PhoneNumber": "+12125550177"}}).to_string(),
    ]);
    cli(&[
        "update-security-profile",
        "--instance-id",
        iid,
        "--security-profile-id",
        &security,
        "--allowed-access-control-tags",
        &json!({"team": "blue", "site": "porto"}).to_string(),
    ]);
    cli(&[
        "associate-phone-number-contact-flow",
        "--phone-number-id",
        &number,
        "--instance-id",
        iid,
        "--contact-flow-id",
        &id(&outbound),
    ]);
    let expected_caller =
        json!({"OutboundCallerIdName": "Billing Desk", "OutboundFlowArn": after_hours});
    let expected_configs = json!([
        queue_config(&general, "VOICE", 5, 9),
        queue_config(&billing, "CHAT", 3, 7)
    ]);
    let expected_quick =
        json!({"QuickConnectType": "PHONE_NUMBER", "PhoneConfig": {"PhoneNumber": "+12125550177"}});
    let expected_tags =
        json!([{"Key": "site", "Value": "porto"}, {"Key": "team", "Value": "blue"}]);
    let read = |sql: String| select(&emu, &sql)[0].clone();
    let row = read(format!(
        "SELECT outbound_caller_config FROM aws.connect.queues WHERE {ACME} AND name = 'Billing'"
    ));
    assert_eq!(row["outbound_caller_config"], expected_caller);
    let row = read(format!(
        "SELECT queue_configs, manual_assignment_queue_configs FROM aws.connect.routing_profiles \
         WHERE {ACME} AND name = 'Tier 1 Agents'"
    ));
    assert!(same_set(&row["queue_configs"], &expected_configs), "{row}");
    assert_eq!(row["manual_assignment_queue_configs"], json!([]));
    let row = read(format!(
        "SELECT quick_connect_config FROM aws.connect.quick_connects WHERE {ACME} AND name = 'Transfer to Billing'"
    ));
    assert_eq!(row["quick_connect_config"], expected_quick);
    let row = read(format!(
        "SELECT allowed_access_control_tags FROM aws.connect.security_profiles \
         WHERE {ACME} AND security_profile_name = 'Team Lead'"
    ));
    assert!(
        same_set(&row["allowed_access_control_tags"], &expected_tags),
        "{row}"
    );
    let row = read(format!(
        "SELECT contact_flow_arn FROM aws.connect.phone_numbers WHERE {ACME} AND address = '+12125550101'"
    ));
    assert_eq!(row["contact_flow_arn"], json!(outbound));
    for s in [
        format!(
            "UPDATE aws.connect.queues SET outbound_caller_config = {} WHERE {ACME} AND name = 'Billing'",
            lit(&expected_caller)
        ),
        format!(
            "UPDATE aws.connect.routing_profiles SET queue_configs = {}, manual_assignment_queue_configs = '[]' \
             WHERE {ACME} AND name = 'Tier 1 Agents'",
            lit(&expected_configs)
        ),
        format!(
            "UPDATE aws.connect.quick_connects SET quick_connect_config = {} WHERE {ACME} AND name = 'Transfer to Billing'",
            lit(&expected_quick)
        ),
        format!(
            "UPDATE aws.connect.security_profiles SET allowed_access_control_tags = {} \
             WHERE {ACME} AND security_profile_name = 'Team Lead'",
            lit(&expected_tags)
        ),
        format!(
            "UPDATE aws.connect.phone_numbers SET contact_flow_arn = '{outbound}' WHERE {ACME} AND address = '+12125550101'"
        ),
    ] {
        converged(&emu, &s);
    }
}
