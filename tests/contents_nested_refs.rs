//! References inside JSON values, changed against the local endpoint: a
//! routing profile's queue configs (and manual-assignment ones), a quick
//! connect's config and a queue's outbound caller config hold other items'
//! ARNs at the paths the catalog declares (`Shape::Ids`). There, as in a
//! field declared `arn_of`, a name or id is resolved in the row's own
//! instance and an ARN is checked, before any call, with the same refusals;
//! the same statement again makes no write call.

mod common;
#[path = "common/statements.rs"]
mod statements;

use common::{run, Emulator};
use serde_json::{json, Value};
use statements::{change, converged, one, writes, REGION};

const ACME: &str = "region = 'us-east-1' AND data__InstanceId = 'acme-support'";

/// A column of the one acme-support item of `table` a filter names.
fn get(emu: &Emulator, table: &str, column: &str, filter: &str) -> Value {
    one(
        emu,
        &format!("SELECT {column} FROM aws.connect.{table} WHERE {ACME} AND {filter}"),
    )[column]
        .clone()
}

/// An ARN, as text.
fn arn(emu: &Emulator, table: &str, column: &str, filter: &str) -> String {
    get(emu, table, column, filter)
        .as_str()
        .unwrap_or_else(|| panic!("no {table} where {filter}"))
        .to_string()
}

/// Runs a change expected to be refused: its error, after checking that
/// no write call was made.
fn refused(emu: &Emulator, sql: &str) -> String {
    let before = writes(emu);
    let mut c = emu.connectql();
    c.args(["--region", REGION, "--yes", "-e", sql]);
    let (ok, out, err) = run(c);
    assert!(!ok, "{sql}: {out}");
    assert_eq!(writes(emu), before, "{sql}: a refused change sent a call");
    err
}

fn set_queue_configs(queue: &str) -> String {
    format!(
        "UPDATE aws.connect.routing_profiles SET queue_configs = json_array(json_object('QueueReference', \
         json_object('QueueArn', '{queue}', 'Channel', 'VOICE'), 'Priority', 1, 'Delay', 0)) \
         WHERE {ACME} AND name = 'Tier 1 Agents'"
    )
}

#[test]
fn queue_configs_take_a_queues_name_resolved_in_the_profiles_instance() {
    let emu = Emulator::start(&["--demo-data"]);
    let billing = arn(&emu, "queues", "queue_arn", "name = 'Billing'");
    let vip = arn(&emu, "queues", "queue_arn", "name = 'VIP Support'");
    let update = set_queue_configs("Billing");
    change(&emu, &update);
    let configs = get(
        &emu,
        "routing_profiles",
        "queue_configs",
        "name = 'Tier 1 Agents'",
    );
    assert_eq!(
        configs,
        json!([{"Delay": 0, "Priority": 1,
                "QueueReference": {"Channel": "VOICE", "QueueArn": billing}}])
    );
    converged(&emu, &update);
    // The same by id and by ARN: the same value, nothing to do.
    converged(
        &emu,
        &set_queue_configs(billing.rsplit('/').next().unwrap()),
    );
    // The ARN the profile holds was checked when set: not read again.
    let reads = |emu: &Emulator| emu.calls("ListQueues") + emu.calls("SearchQueues");
    let before = reads(&emu);
    converged(&emu, &set_queue_configs(&billing));
    assert_eq!(reads(&emu), before, "the queues were read for an ARN held");
    converged(&emu, &update);
    assert!(reads(&emu) > before, "a name is looked up in the queues");

    // Manual-assignment queues too, by name.
    let manual = format!(
        "UPDATE aws.connect.routing_profiles SET manual_assignment_queue_configs = \
         json_array(json_object('QueueReference', json_object('QueueArn', 'VIP Support', 'Channel', 'CHAT'))) \
         WHERE {ACME} AND name = 'Tier 1 Agents'"
    );
    change(&emu, &manual);
    assert_eq!(
        get(
            &emu,
            "routing_profiles",
            "manual_assignment_queue_configs",
            "name = 'Tier 1 Agents'"
        ),
        json!([{"QueueReference": {"Channel": "CHAT", "QueueArn": vip}}])
    );
    converged(&emu, &manual);

    // Created with queues named: resolved in the instance the row names.
    let insert = "INSERT INTO aws.connect.routing_profiles (name, description, default_outbound_queue_arn, \
         media_concurrencies, queue_configs, region, data__InstanceId) VALUES ('Billing only', 'Billing calls', \
         'Billing', json_array(json_object('Channel', 'VOICE', 'Concurrency', 1)), \
         json_array(json_object('QueueReference', json_object('QueueArn', 'Billing', 'Channel', 'VOICE'), 'Priority', 2, 'Delay', 10)), \
         'us-east-1', 'acme-support')";
    change(&emu, insert);
    assert_eq!(
        get(
            &emu,
            "routing_profiles",
            "queue_configs",
            "name = 'Billing only'"
        ),
        json!([{"Delay": 10, "Priority": 2,
                "QueueReference": {"Channel": "VOICE", "QueueArn": billing}}])
    );
    converged(&emu, insert);
}

#[test]
fn unknown_foreign_and_mistyped_nested_references_are_refused_before_any_call() {
    let emu = Emulator::start(&["--demo-data"]);
    let before = get(
        &emu,
        "routing_profiles",
        "queue_configs",
        "name = 'Tier 1 Agents'",
    );
    let err = refused(&emu, &set_queue_configs("Nope"));
    assert!(
        err.contains("queue_configs")
            && err.contains("no queue named `Nope` in instance arn:aws:connect:us-east-1:")
            && err.contains("nothing was changed"),
        "{err}"
    );
    // A queue of another instance, by ARN.
    let (ok, values, stderr) = common::query_json(
        &emu,
        Some(REGION),
        &[
            "SELECT queue_arn FROM aws.connect.queues WHERE region = 'us-east-1' \
           AND data__InstanceId = 'acme-sales' LIMIT 1",
        ],
    );
    assert!(ok, "{stderr}");
    let foreign = values[0][0]["queue_arn"].as_str().unwrap().to_string();
    let err = refused(&emu, &set_queue_configs(&foreign));
    assert!(
        err.contains("is in instance")
            && err.contains("Connect links only items of the same instance"),
        "{err}"
    );
    // A flow's ARN where a queue's belongs.
    let flow = arn(
        &emu,
        "contact_flows",
        "contact_flow_arn",
        "name = 'Default outbound'",
    );
    let err = refused(&emu, &set_queue_configs(&flow));
    assert!(
        err.contains("is the ARN of a contact flow, not of a queue"),
        "{err}"
    );
    assert_eq!(
        get(
            &emu,
            "routing_profiles",
            "queue_configs",
            "name = 'Tier 1 Agents'"
        ),
        before
    );
}

#[test]
fn quick_connect_and_outbound_caller_configs_take_names_too() {
    let emu = Emulator::start(&["--demo-data"]);
    let user = arn(&emu, "users", "user_arn", "username = 'olivia.smith'");
    let agent_flow = arn(
        &emu,
        "contact_flows",
        "contact_flow_arn",
        "name = 'Default agent transfer'",
    );
    let update = format!(
        "UPDATE aws.connect.quick_connects SET quick_connect_config = json_object('QuickConnectType', 'USER', \
         'UserConfig', json_object('UserArn', 'olivia.smith', 'ContactFlowArn', 'Default agent transfer')) \
         WHERE {ACME} AND name = 'Transfer to Billing'"
    );
    change(&emu, &update);
    assert_eq!(
        get(
            &emu,
            "quick_connects",
            "quick_connect_config",
            "name = 'Transfer to Billing'"
        ),
        json!({"QuickConnectType": "USER",
               "UserConfig": {"UserArn": user, "ContactFlowArn": agent_flow}})
    );
    converged(&emu, &update);
    let err = refused(&emu, &update.replace("'olivia.smith'", "'nobody.here'"));
    assert!(
        err.contains("quick_connect_config")
            && err.contains("no user named `nobody.here` in instance arn:aws:connect:us-east-1:"),
        "{err}"
    );

    // A queue's config, created.
    let billing = arn(&emu, "queues", "queue_arn", "name = 'Billing'");
    let queue_flow = arn(
        &emu,
        "contact_flows",
        "contact_flow_arn",
        "name = 'Default queue transfer'",
    );
    let insert = "INSERT INTO aws.connect.quick_connects (name, quick_connect_config, region, data__InstanceId) \
         VALUES ('To Billing', json_object('QuickConnectType', 'QUEUE', 'QueueConfig', \
         json_object('QueueArn', 'Billing', 'ContactFlowArn', 'Default queue transfer')), 'us-east-1', 'acme-support')";
    change(&emu, insert);
    assert_eq!(
        get(
            &emu,
            "quick_connects",
            "quick_connect_config",
            "name = 'To Billing'"
        ),
        json!({"QuickConnectType": "QUEUE",
               "QueueConfig": {"QueueArn": billing, "ContactFlowArn": queue_flow}})
    );
    converged(&emu, insert);

    // A queue's outbound whisper flow, by name.
    let outbound = arn(
        &emu,
        "contact_flows",
        "contact_flow_arn",
        "name = 'Default outbound'",
    );
    let caller = format!(
        "UPDATE aws.connect.queues SET outbound_caller_config = json_object('OutboundCallerIdName', 'Acme Billing', \
         'OutboundFlowArn', 'Default outbound') WHERE {ACME} AND name = 'Billing'"
    );
    change(&emu, &caller);
    assert_eq!(
        get(&emu, "queues", "outbound_caller_config", "name = 'Billing'")["OutboundFlowArn"],
        outbound.as_str()
    );
    converged(&emu, &caller);
    let err = refused(
        &emu,
        &caller.replace("'Default outbound'", "'No such flow'"),
    );
    assert!(
        err.contains("outbound_caller_config")
            && err.contains("no contact flow named `No such flow`"),
        "{err}"
    );
}
