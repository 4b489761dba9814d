//! Never a silent partial read (issue 16), end to end through the local
//! endpoint's faults: a listing whose next-page token repeats is an error
//! naming the operation, not a short listing shown as complete; an item
//! that vanishes between its listing and its Describe is reported and the
//! answer marked partial.

use connectql::executor::ConnectionOptions;
use connectql::session::{Session, SessionOptions};
use connectql_emulator::{self as emulator, EmulatorArgs, RunningEmulator};
use serde_json::{json, Value};

const USERS: &str =
    "FROM aws.connect.users WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support'";

async fn endpoint() -> RunningEmulator {
    emulator::start(EmulatorArgs {
        demo_data: true,
        ..EmulatorArgs::default()
    })
    .await
    .expect("start the local endpoint")
}

fn session(emu: &RunningEmulator) -> Session {
    Session::new(SessionOptions {
        connection: ConnectionOptions {
            region: Some("us-east-1".into()),
            endpoint_url: Some(emu.url()),
            static_credentials: Some(("test".into(), "test".into())),
            max_attempts: Some(1),
            ..ConnectionOptions::default()
        },
        ..SessionOptions::default()
    })
    .expect("a session")
}

async fn post(emu: &RunningEmulator, path: &str, body: Value) -> Value {
    let r: Value = reqwest::Client::new()
        .post(format!("{}{path}", emu.url()))
        .json(&body)
        .send()
        .await
        .expect("control route")
        .json()
        .await
        .expect("control JSON");
    assert!(r.get("message").is_none(), "{path} {body}: {r}");
    r
}

/// 2,236 users in acme-support: five SearchUsers pages of 500, three
/// ListUsers pages of 1,000 (the fault repeats the token of every page that
/// has a next one, so a listing needs three pages to meet it).
async fn many_users(emu: &RunningEmulator) {
    post(
        emu,
        "/_emulator/seed",
        json!({"region": "us-east-1", "instance": "acme-support", "resource": "users", "count": 2200}),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_page_token_is_an_error_naming_the_operation() {
    let emu = endpoint().await;
    many_users(&emu).await;
    let mut s = session(&emu);
    // Without the fault: every user, from both base calls.
    let search = format!("SELECT username, routing_profile_arn {USERS}");
    let list = format!("SELECT username {USERS}");
    for sql in [&search, &list] {
        let out = s.execute(sql).await.unwrap();
        assert_eq!(out.result.unwrap().rows.len(), 2236, "{sql}");
    }
    s.cache().clear();
    post(
        &emu,
        "/_emulator/faults",
        json!({"repeat_page_token": {"operations": []}}),
    )
    .await;
    for (sql, op) in [(&search, "SearchUsers"), (&list, "ListUsers")] {
        let e = s
            .execute(sql)
            .await
            .map(|o| o.result.map(|r| r.rows.len()))
            .expect_err("a listing that would loop is no answer");
        let text = e.to_string();
        assert!(
            text.contains(op) && text.contains("NextToken"),
            "{sql}: {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_page_token_in_one_instance_marks_the_answer_partial() {
    let emu = endpoint().await;
    many_users(&emu).await;
    let mut s = session(&emu);
    post(
        &emu,
        "/_emulator/faults",
        json!({"repeat_page_token": {"operations": ["SearchUsers"]}}),
    )
    .await;
    // Every instance of the region: acme-support has three pages and fails,
    // acme-sales has one and answers.
    let out = s
        .execute("SELECT username, routing_profile_arn FROM aws.connect.users WHERE region = 'us-east-1'")
        .await
        .unwrap();
    assert!(out.partial);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("acme-support") && w.contains("SearchUsers")),
        "{:?}",
        out.warnings
    );
    assert_eq!(out.result.unwrap().rows.len(), 24, "acme-sales' users only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_gone_before_its_describe_is_reported() {
    let emu = endpoint().await;
    let mut s = session(&emu);
    // identity_info's email is only in DescribeUser: one Describe per user.
    let sql = format!("SELECT username, identity_info {USERS} ORDER BY username");
    let all = s.execute(&sql).await.unwrap();
    assert!(!all.partial);
    let all = all.result.unwrap().rows.len();
    assert!(all >= 2, "{all}");
    s.cache().clear();
    post(
        &emu,
        "/_emulator/faults",
        json!({"not_found": {"operations": ["DescribeUser"], "count": 1}}),
    )
    .await;
    let out = s.execute(&sql).await.unwrap();
    assert!(out.partial, "the answer is not a snapshot");
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("DescribeUser") && w.contains("changed while it was read")),
        "{:?}",
        out.warnings
    );
    assert_eq!(out.result.unwrap().rows.len(), all - 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_gone_before_its_sub_listing_is_reported() {
    let emu = endpoint().await;
    let mut s = session(&emu);
    // quick_connect_arns: one ListQueueQuickConnects per queue.
    let sql = "SELECT name, quick_connect_arns FROM aws.connect.queues \
               WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support'";
    let all = s.execute(sql).await.unwrap();
    assert!(!all.partial);
    let all = all.result.unwrap().rows.len();
    s.cache().clear();
    post(
        &emu,
        "/_emulator/faults",
        json!({"not_found": {"operations": ["ListQueueQuickConnects"], "count": 1}}),
    )
    .await;
    let out = s.execute(sql).await.unwrap();
    assert!(out.partial);
    assert!(
        out.warnings.iter().any(
            |w| w.contains("ListQueueQuickConnects") && w.contains("changed while it was read")
        ),
        "{:?}",
        out.warnings
    );
    assert_eq!(
        out.result.unwrap().rows.len(),
        all - 1,
        "no row with a hole"
    );
}
