//! Answers you can trust (issue 16), end to end against the local endpoint
//! in-process: push-down is a superset under Connect's documented
//! semantics and stays within its request limits; a listing never ends
//! silently part-way; the session cache tells the truth.

use connectql::executor::ConnectionOptions;
use connectql::session::{Outcome, Session, SessionOptions};
use connectql_emulator::{self as emulator, EmulatorArgs, RunningEmulator};
use serde_json::{json, Value};

const REGION: &str = "us-east-1";
const SUPPORT: &str = "7c3a1f0e-2b4d-4e8a-9f61-0d5b8c2e4a11";

async fn endpoint() -> RunningEmulator {
    emulator::start(EmulatorArgs {
        demo_data: true,
        ..EmulatorArgs::default()
    })
    .await
    .expect("start the local endpoint")
}

fn options(emu: &RunningEmulator) -> SessionOptions {
    SessionOptions {
        connection: ConnectionOptions {
            region: Some(REGION.into()),
            endpoint_url: Some(emu.url()),
            static_credentials: Some(("test".into(), "test".into())),
            max_attempts: Some(1),
            ..ConnectionOptions::default()
        },
        assume_yes: true,
        ..SessionOptions::default()
    }
}

fn session(emu: &RunningEmulator) -> Session {
    Session::new(options(emu)).expect("a session")
}

/// An SDK client of its own: another admin, behind the session's back.
async fn other_admin(emu: &RunningEmulator) -> aws_sdk_connect::Client {
    session(emu)
        .executor()
        .pool()
        .client(REGION)
        .await
        .client
        .clone()
}

async fn calls(emu: &RunningEmulator, op: &str) -> u64 {
    let stats: Value = reqwest::get(format!("{}/_emulator/stats", emu.url()))
        .await
        .expect("stats")
        .json()
        .await
        .expect("stats JSON");
    stats["calls"][op].as_u64().unwrap_or(0)
}

/// The rows of a statement that must succeed completely.
async fn rows(s: &mut Session, sql: &str) -> Vec<Vec<Value>> {
    let out: Outcome = s
        .execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", short(sql)));
    assert!(!out.partial, "{}: partial: {:?}", short(sql), out.warnings);
    out.result.expect("rows").rows
}

fn short(sql: &str) -> String {
    sql.chars().take(160).collect()
}

async fn create_queue(client: &aws_sdk_connect::Client, name: &str) -> String {
    let hours = client
        .list_hours_of_operations()
        .instance_id(SUPPORT)
        .send()
        .await
        .expect("ListHoursOfOperations");
    let hours_id = hours.hours_of_operation_summary_list()[0]
        .id()
        .expect("hours id")
        .to_string();
    client
        .create_queue()
        .instance_id(SUPPORT)
        .name(name)
        .hours_of_operation_id(hours_id)
        .send()
        .await
        .expect("CreateQueue")
        .queue_id()
        .expect("queue id")
        .to_string()
}

const QUEUES: &str =
    "SELECT name FROM aws.connect.queues WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support'";

/// The parameters of the calls EXPLAIN lists for a statement.
async fn explained(s: &mut Session, sql: &str) -> String {
    rows(s, &format!("EXPLAIN {sql}"))
        .await
        .iter()
        .map(|r| r.iter().map(Value::to_string).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Connect documents no case folding beyond ASCII, so a non-ASCII value is
/// never sent (whatever folding the endpoint at hand does), and the rows
/// are those of the statement with nothing pushed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_ascii_like_prefix_gives_the_rows_of_no_push_down() {
    let emu = endpoint().await;
    let client = other_admin(&emu).await;
    for name in ["ΟΔΟΣΟΣ", "Straße Süd", "STRASSE Nord"] {
        create_queue(&client, name).await;
    }
    let mut s = session(&emu);
    for (pattern, expected) in [
        ("ΟΔΟΣ%", vec!["ΟΔΟΣΟΣ"]),
        ("Straß%", vec!["Straße Süd"]),
        ("%aße S%", vec!["Straße Süd"]),
        ("Straße Süd", vec!["Straße Süd"]),
    ] {
        let pushed = format!("{QUEUES} AND name LIKE '{pattern}' ORDER BY name");
        let plan = explained(&mut s, &pushed).await;
        assert!(!plan.contains("SearchCriteria"), "{pattern}: {plan}");
        let engine = rows(
            &mut s,
            &format!("{QUEUES} AND name || '' LIKE '{pattern}' ORDER BY name"),
        )
        .await;
        let expected: Vec<Vec<Value>> = expected.into_iter().map(|n| vec![json!(n)]).collect();
        assert_eq!(engine, expected, "{pattern}");
        assert_eq!(rows(&mut s, &pushed).await, engine, "{pattern}");
    }
    // An ASCII prefix is still pushed (the check above can tell).
    let plan = explained(&mut s, &format!("{QUEUES} AND name LIKE 'Basic%'")).await;
    assert!(plan.contains("STARTS_WITH"), "{plan}");
}

/// `name IN (<20,000 names>)` as one SearchQueues request would be a body
/// over a megabyte, which the endpoint refuses: past the limits, nothing of
/// it is pushed, and the answer is the engine's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_twenty_thousand_name_in_list_gives_the_rows_of_no_push_down() {
    let emu = endpoint().await;
    let mut names: Vec<String> = (0..19_998)
        .map(|i| format!("'No Such Queue {i:05}'"))
        .collect();
    names.push("'BasicQueue'".into());
    names.push("'Escalations'".into());
    let list = names.join(", ");
    let mut s = session(&emu);
    let before = calls(&emu, "SearchQueues").await + calls(&emu, "ListQueues").await;
    let pushed = rows(
        &mut s,
        &format!("{QUEUES} AND name IN ({list}) ORDER BY name"),
    )
    .await;
    let made = calls(&emu, "SearchQueues").await + calls(&emu, "ListQueues").await - before;
    assert!(made >= 1, "the queues were listed");
    let plan = explained(&mut s, &format!("{QUEUES} AND name IN ({list})")).await;
    assert!(!plan.contains("SearchCriteria"), "nothing of it is pushed");
    let engine = rows(
        &mut s,
        &format!("{QUEUES} AND name || '' IN ({list}) ORDER BY name"),
    )
    .await;
    assert_eq!(
        engine,
        vec![vec![json!("BasicQueue")], vec![json!("Escalations")]]
    );
    assert_eq!(pushed, engine);
}
