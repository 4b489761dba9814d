//! The session cache tells the truth (issue 16): every outcome of a change
//! — success, a failure part-way, a failure after the server applied it, a
//! statement stopped part-way (Ctrl-C, a deadline) — drops what it may
//! have touched, so the same session then shows what a fresh session shows;
//! and answers expire after the time-to-live, so a change made behind the
//! session's back becomes visible after it (and not before).
//!
//! In-process against the local endpoint; `max_attempts: 1` so a fault
//! after the change reaches the statement instead of being retried away.

use std::time::Duration;

use connectql::executor::ConnectionOptions;
use connectql::session::{Session, SessionOptions};
use connectql_emulator::{self as emulator, EmulatorArgs, RunningEmulator};
use serde_json::{json, Value};

mod common;

const REGION: &str = "us-east-1";
const SUPPORT: &str = "7c3a1f0e-2b4d-4e8a-9f61-0d5b8c2e4a11";

async fn endpoint() -> RunningEmulator {
    emulator::start(EmulatorArgs {
        demo_data: true,
        create_delay_ms: 20,
        ..EmulatorArgs::default()
    })
    .await
    .expect("start the local endpoint")
}

fn session(emu: &RunningEmulator) -> Session {
    Session::new(options(emu)).expect("a session")
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

async fn control(emu: &RunningEmulator, method: reqwest::Method, path: &str, body: Value) -> Value {
    reqwest::Client::new()
        .request(method, format!("{}{path}", emu.url()))
        .json(&body)
        .send()
        .await
        .expect("control route")
        .json()
        .await
        .expect("control JSON")
}

async fn fault(emu: &RunningEmulator, body: Value) {
    let r = control(
        emu,
        reqwest::Method::POST,
        "/_emulator/faults",
        body.clone(),
    )
    .await;
    assert!(
        r.get("error").is_none() && r.get("message").is_none(),
        "{body}: {r}"
    );
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

async fn rows(s: &mut Session, sql: &str) -> Vec<Vec<Value>> {
    let out = s
        .execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    assert!(!out.partial, "{sql}: partial: {:?}", out.warnings);
    out.result.expect("rows").rows
}

/// What a session that has cached nothing sees.
async fn truth(emu: &RunningEmulator, sql: &str) -> Vec<Vec<Value>> {
    rows(&mut session(emu), sql).await
}

const INSTANCES: &str =
    "SELECT instance_alias, instance_status, attributes FROM aws.connect.instances \
                         WHERE region = 'us-east-1' ORDER BY instance_alias";

/// A statement's outcome, then the same session's SELECT against a fresh
/// session's: equal, and different from before the change.
async fn change_then_select(emu: &RunningEmulator, change: &str, expect_ok: bool) {
    let mut s = session(emu);
    let before = rows(&mut s, INSTANCES).await;
    let result = s.execute(change).await;
    // A call that failed is a row of the result (status 'failed'), and
    // the outcome says the change failed.
    let succeeded = matches!(&result, Ok(o) if !o.change_failed);
    assert_eq!(
        succeeded,
        expect_ok,
        "{change}: {:?}",
        result.map(|o| o.result).map_err(|e| e.to_string())
    );
    control(emu, reqwest::Method::DELETE, "/_emulator/faults", json!({})).await;
    let after = rows(&mut s, INSTANCES).await;
    assert_ne!(after, before, "{change}: the change was made");
    assert_eq!(
        after,
        truth(emu, INSTANCES).await,
        "{change}: the session shows the truth"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_successful_update_shows_the_new_state() {
    let emu = endpoint().await;
    change_then_select(
        &emu,
        "UPDATE aws.connect.instance SET data__PatchDocument = \
         '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]' \
         WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'",
        true,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_that_fails_after_the_server_applied_it_shows_the_new_state() {
    let emu = endpoint().await;
    fault(
        &emu,
        json!({"apply_then_fail": {"mode": "error", "operations": ["UpdateInstanceAttribute"], "count": 1}}),
    )
    .await;
    change_then_select(
        &emu,
        "UPDATE aws.connect.instance SET data__PatchDocument = \
         '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]' \
         WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'",
        false,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_that_fails_after_the_server_applied_it_shows_the_new_state() {
    let emu = endpoint().await;
    fault(
        &emu,
        json!({"apply_then_fail": {"mode": "drop", "operations": ["DeleteInstance"], "count": 1}}),
    )
    .await;
    change_then_select(
        &emu,
        "DELETE FROM aws.connect.instances WHERE data__Identifier = 'acme-sales' AND region = 'us-east-1'",
        false,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_insert_that_fails_part_way_shows_the_new_state() {
    let emu = endpoint().await;
    // CreateInstance works; setting ContactLens afterwards fails once applied.
    fault(
        &emu,
        json!({"apply_then_fail": {"mode": "error", "operations": ["UpdateInstanceAttribute"], "count": 1}}),
    )
    .await;
    change_then_select(
        &emu,
        "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) \
         SELECT 'CONNECT_MANAGED', 'part-way', \
         '{\"InboundCalls\":true,\"OutboundCalls\":false,\"ContactLens\":true}', 'us-east-1'",
        false,
    )
    .await;
}

/// Ctrl-C in the shell and a deadline both drop the running statement's
/// future. Here it is dropped after the server applied the first of two
/// attribute changes and while the second is on its way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_stopped_part_way_shows_the_new_state() {
    let emu = endpoint().await;
    // One call at a time, so the first is answered before the second goes.
    let mut s = Session::new(SessionOptions {
        concurrency: 1,
        ..options(&emu)
    })
    .expect("a session");
    let before = rows(&mut s, INSTANCES).await;
    fault(&emu, json!({"latency_ms": 1000})).await;
    let update = "UPDATE aws.connect.instance SET data__PatchDocument = \
                  '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false},\
                    {\"op\":\"replace\",\"path\":\"/Attributes/ContactflowLogs\",\"value\":false}]' \
                  WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'";
    let stopped = tokio::select! {
        r = s.execute(update) => panic!("the UPDATE ran to its end: {:?}", r.map(|o| o.message)),
        () = async {
            // The second call has arrived (the first was answered, so applied)
            // and waits out its latency.
            while calls(&emu, "UpdateInstanceAttribute").await < 2 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        } => true,
    };
    assert!(stopped);
    control(
        &emu,
        reqwest::Method::DELETE,
        "/_emulator/faults",
        json!({}),
    )
    .await;
    // Let the server finish whatever it had in hand.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let after = rows(&mut s, INSTANCES).await;
    assert_ne!(after, before, "the first change was made");
    assert_eq!(after, truth(&emu, INSTANCES).await);
}

/// `--timeout` bounds each call of a change: here the third of three
/// attribute changes meets a slow endpoint and times out, after the first
/// two were applied.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_stopped_by_its_timeout_shows_the_new_state() {
    let emu = endpoint().await;
    let mut options = options(&emu);
    options.connection.timeout = Some(Duration::from_millis(2000));
    // One call at a time, so the third goes after the first two applied.
    options.concurrency = 1;
    let mut s = Session::new(options).expect("a session");
    let before = rows(&mut s, INSTANCES).await;
    fault(&emu, json!({"latency_ms": 600})).await;
    let update = "UPDATE aws.connect.instance SET data__PatchDocument = \
                  '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false},\
                    {\"op\":\"replace\",\"path\":\"/Attributes/ContactflowLogs\",\"value\":false},\
                    {\"op\":\"replace\",\"path\":\"/Attributes/AutoResolveBestVoices\",\"value\":false}]' \
                  WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'";
    let (result, ()) = tokio::join!(s.execute(update), async {
        // Once the second call has arrived, every later one is slower than
        // the timeout.
        while calls(&emu, "UpdateInstanceAttribute").await < 2 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        fault(&emu, json!({"latency_ms": 4000})).await;
    });
    // Each call's outcome is a row: two applied, the third failed.
    let out = result.expect("the change reports each call");
    assert!(out.change_failed, "{out:?}");
    let statuses: Vec<Value> = out
        .result
        .expect("rows")
        .rows
        .iter()
        .map(|r| r[6].clone())
        .collect();
    assert_eq!(
        statuses,
        [json!("applied"), json!("applied"), json!("failed")]
    );
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("1 of 3 calls failed")),
        "{:?}",
        out.warnings
    );
    control(
        &emu,
        reqwest::Method::DELETE,
        "/_emulator/faults",
        json!({}),
    )
    .await;
    // Let the server finish whatever it had in hand.
    tokio::time::sleep(Duration::from_millis(4500)).await;
    let after = rows(&mut s, INSTANCES).await;
    assert_ne!(after, before, "the first changes were made");
    assert_eq!(after, truth(&emu, INSTANCES).await);
}

/// Another admin creates a queue behind the session's back: invisible
/// while the cached listing lives, visible once it expired.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_made_elsewhere_shows_after_the_time_to_live_and_not_before() {
    let emu = endpoint().await;
    let mut s = session(&emu);
    s.cache().set_ttl(Duration::from_secs(1));
    let queues = "SELECT name FROM aws.connect.queues \
                  WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support' ORDER BY name";
    let before = rows(&mut s, queues).await;
    assert_eq!(
        s.last_stats().cache_age,
        None,
        "nothing came from the cache"
    );

    let other = session(&emu)
        .executor()
        .pool()
        .client(REGION)
        .await
        .client
        .clone();
    let hours = other
        .list_hours_of_operations()
        .instance_id(SUPPORT)
        .send()
        .await
        .expect("ListHoursOfOperations");
    let hours_id = hours.hours_of_operation_summary_list()[0]
        .id()
        .unwrap()
        .to_string();
    other
        .create_queue()
        .instance_id(SUPPORT)
        .name("Made Elsewhere")
        .hours_of_operation_id(hours_id)
        .send()
        .await
        .expect("CreateQueue");

    let cached = rows(&mut s, queues).await;
    assert_eq!(cached, before, "within the time-to-live: the cached answer");
    let age = s
        .last_stats()
        .cache_age
        .expect("the answer came from the cache");
    assert!(age < Duration::from_secs(1), "{age:?}");

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let expired = rows(&mut s, queues).await;
    assert!(
        expired.contains(&vec![json!("Made Elsewhere")]),
        "{expired:?}"
    );
    assert_eq!(expired.len(), before.len() + 1);
}

/// `--cache-ttl` sets what `.cache ttl` shows, and a bad value is refused.
#[test]
fn the_cache_ttl_flag_sets_the_time_to_live() {
    let mut c = common::clean_command(common::BIN);
    c.args(["--demo", "--cache-ttl", "7", "-e", ".cache ttl"]);
    let (ok, out, err) = common::run(c);
    assert!(ok, "{err}");
    assert!(
        out.contains("cache ttl: 7 s") || err.contains("cache ttl: 7 s"),
        "{out}{err}"
    );
    for bad in ["soon", "-1", "999999999"] {
        let mut c = common::clean_command(common::BIN);
        c.args(["--demo", &format!("--cache-ttl={bad}"), "-e", ".cache ttl"]);
        let (ok, _, err) = common::run(c);
        assert!(!ok && err.contains("--cache-ttl"), "{bad}: {err}");
    }
}

/// `.timing` says how old an answer from the cache is, and says nothing of
/// the kind for an answer fetched afresh.
#[test]
fn timing_shows_the_age_of_a_cached_answer() {
    let select = "SELECT instance_alias FROM aws.connect.instances WHERE region = 'us-east-1'";
    let mut c = common::clean_command(common::BIN);
    c.args([
        "--demo",
        "-o",
        "json",
        "-e",
        ".timing on",
        "-e",
        select,
        "-e",
        select,
    ]);
    let (ok, _, err) = common::run(c);
    assert!(ok, "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("time: ")).collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(!lines[0].contains("from cache"), "{}", lines[0]);
    assert!(lines[1].ends_with("from cache, 0 s old"), "{}", lines[1]);
}
