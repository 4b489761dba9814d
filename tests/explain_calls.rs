//! EXPLAIN lists the calls that run: for every example query of the
//! project (README's exploring questions and the read examples), the
//! operations the local endpoint counted while the statement ran are the
//! ones EXPLAIN listed for it, in a fresh session each time (no cache).
//!
//! EXPLAIN cannot know how many items a listing returns, so its per-item
//! calls (a Describe "per item") may run zero times; every other operation
//! it lists must run, and nothing it does not list may run.

mod common;
use std::collections::BTreeSet;

use common::{run, Emulator};
use serde_json::Value;

/// The statements of a script that read (SELECT / WITH).
fn queries(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    connectql::sql::split_script(&text)
        .unwrap()
        .into_iter()
        .filter(|s| {
            let first = s
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with("--"))
                .unwrap_or("")
                .to_ascii_uppercase();
            first.starts_with("SELECT") || first.starts_with("WITH")
        })
        .filter(|s| s.contains("aws.connect."))
        .collect()
}

fn json(emulator: &Emulator, sql: &str) -> Value {
    let mut c = emulator.connectql();
    c.args(["--region", "us-east-1", "--output", "json", "-e", sql]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{sql}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{sql}: {e}: {stdout}"))
}

/// After a reset, EXPLAIN's operations for `sql` are the ones the endpoint
/// counts while it runs (per-item ones may not run).
fn ran_as_explained(emulator: &Emulator, sql: &str, what: &str) {
    emulator.post("/_emulator/reset", serde_json::json!({"reseed": true}));
    let explained = json(emulator, &format!("EXPLAIN {sql}"));
    let mut listed = BTreeSet::new();
    let mut must_run = BTreeSet::new();
    for row in explained.as_array().unwrap() {
        let op = row["operation"].as_str().unwrap().to_string();
        if op.starts_with('(') {
            continue;
        }
        let per_item = row["runs"].as_str().unwrap_or("").contains("per item");
        if !per_item {
            must_run.insert(op.clone());
        }
        listed.insert(op);
    }
    let before = emulator.stats();
    // (the reseed itself counts no call)
    assert!(
        before["calls"]
            .as_object()
            .is_none_or(|c| c.values().all(|v| v.as_u64() == Some(0))),
        "EXPLAIN made a call: {before}"
    );
    json(emulator, sql);
    let counted: BTreeSet<String> = emulator.stats()["calls"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, n)| n.as_u64().unwrap_or(0) > 0)
        .map(|(op, _)| op.clone())
        .collect();
    let unlisted: Vec<_> = counted.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "{}: ran {unlisted:?}, which EXPLAIN did not list\n{sql}",
        what
    );
    let missing: Vec<_> = must_run.difference(&counted).collect();
    assert!(
        missing.is_empty(),
        "{}: EXPLAIN listed {missing:?}, which did not run\n{sql}",
        what
    );
}

#[test]
fn explain_lists_the_calls_that_run() {
    let emulator = Emulator::start(&["--demo-data"]);
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files: Vec<_> = std::fs::read_dir(format!("{root}/examples/explore"))
        .unwrap()
        .chain(std::fs::read_dir(format!("{root}/examples")).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("sql"))
        .collect();
    files.sort();
    let mut checked = 0;
    for path in files {
        for sql in queries(&path) {
            ran_as_explained(&emulator, &sql, &path.display().to_string());
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} example queries were checked");
}

/// A contradiction reads nothing: EXPLAIN lists no call and says why, the
/// statement answers no row and the endpoint counts no call; a change whose
/// WHERE selects nothing changes nothing and says so.
#[test]
fn a_contradiction_makes_no_call() {
    let emulator = Emulator::start(&["--demo-data"]);
    for sql in [
        "SELECT * FROM aws.connect.instances WHERE region = 'us-east-1' AND region = 'eu-west-2'",
        "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' \
         AND data__Identifier = 'acme-sales' AND data__Identifier = 'acme-support'",
        "SELECT name FROM aws.connect.queues WHERE region = 'us-east-1' \
         AND data__InstanceId = 'acme-support' AND data__InstanceId = 'acme-sales'",
        "SELECT name FROM aws.connect.queues WHERE region = 'us-east-1' \
         AND instance_alias = 'acme-support' AND instance_alias = 'acme-sales'",
    ] {
        emulator.post("/_emulator/reset", serde_json::json!({"reseed": true}));
        let explained = json(&emulator, &format!("EXPLAIN {sql}"));
        let rows = explained.as_array().unwrap();
        assert_eq!(rows.len(), 1, "only the engine's step: {explained}");
        assert!(
            rows[0]["note"]
                .as_str()
                .unwrap()
                .contains("read with no call"),
            "{explained}"
        );
        assert_eq!(json(&emulator, sql), serde_json::json!([]), "{sql}");
        let calls = emulator.stats()["calls"].clone();
        assert!(
            calls
                .as_object()
                .is_none_or(|c| c.values().all(|v| v.as_u64() == Some(0))),
            "{sql}: {calls}"
        );
    }
    let mut c = emulator.connectql();
    c.args([
        "--region",
        "us-east-1",
        "--yes",
        "-e",
        "DELETE FROM aws.connect.instances WHERE region = 'us-east-1' \
         AND data__Identifier = 'acme-sales' AND data__Identifier = 'acme-support'",
    ]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("nothing to change") && stdout.trim().is_empty(),
        "{stdout}{stderr}"
    );
    let instances = json(
        &emulator,
        "SELECT instance_alias FROM aws.connect.instances WHERE region = 'us-east-1' ORDER BY 1",
    );
    assert_eq!(
        instances,
        serde_json::json!([{"instance_alias": "acme-sales"}, {"instance_alias": "acme-support"}])
    );
}

/// `instance_alias`: read where the statement pins its instance by ARN, it
/// adds the instances' listing; as a filter, it scopes the read to those
/// instances. EXPLAIN says so, and those are the calls that run.
#[test]
fn instance_alias_reads_list_the_calls_that_run() {
    let emulator = Emulator::start(&["--demo-data"]);
    let arn = json(
        &emulator,
        "SELECT arn FROM aws.connect.instances WHERE region = 'us-east-1' AND instance_alias = 'acme-sales'",
    )[0]["arn"]
        .as_str()
        .unwrap()
        .to_string();
    for sql in [
        format!("SELECT name FROM aws.connect.queues WHERE instance_arn = '{arn}'"),
        format!("SELECT name, instance_alias FROM aws.connect.queues WHERE instance_arn = '{arn}'"),
        format!("SELECT * FROM aws.connect.users WHERE instance_arn = '{arn}' AND username LIKE 'a%'"),
        "SELECT name FROM aws.connect.queues WHERE region = 'us-east-1' AND instance_alias = 'acme-sales'"
            .to_string(),
        "SELECT q.name, h.name FROM aws.connect.queues q JOIN aws.connect.hours_of_operations h \
         ON h.hours_of_operation_arn = q.hours_of_operation_arn \
         WHERE q.region = 'us-east-1' AND q.instance_alias IN ('acme-sales', 'acme-support')"
            .to_string(),
    ] {
        ran_as_explained(&emulator, &sql, "instance_alias");
        let listed = json(&emulator, &format!("EXPLAIN {sql}"));
        let finds = listed
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["operation"] == "ListInstances");
        assert_eq!(finds, !sql.contains("SELECT name FROM aws.connect.queues WHERE instance_arn"), "{sql}: {listed}");
    }
}

#[path = "common/aws_files.rs"]
mod aws_files;

/// The operations EXPLAIN lists per place (its `region` column).
fn listed_by_place(explained: &Value) -> Vec<(String, String, String)> {
    explained
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["operation"].as_str().unwrap().starts_with('('))
        .map(|r| {
            (
                r["region"].as_str().unwrap().to_string(),
                r["operation"].as_str().unwrap().to_string(),
                r["note"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The operations one account of the endpoint answered.
fn made_by(stats: &Value, account: &str) -> BTreeSet<String> {
    stats["calls_by_account"][account]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, n)| n.as_u64().unwrap_or(0) > 0)
                .map(|(op, _)| op.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Several profiles and an instance ARN of one account: the ARN is read
/// only with the profile that reaches its account. Before the account is
/// known, each profile's instance listing runs first and says which ARNs it
/// holds (EXPLAIN says why); once known, the other profile is not called.
#[test]
fn an_arn_is_read_only_in_its_own_account() {
    use connectql_emulator::{DEMO_DEV_ACCOUNT, DEMO_PROD_ACCOUNT};
    let emulator = Emulator::start(&["--demo-data", "--demo-accounts"]);
    let files = aws_files::AwsFiles::new("explain-calls");
    let session = |statements: &[&str]| -> Vec<Value> {
        let mut c = emulator.connectql();
        files.apply(&mut c);
        c.args(["--region", "us-east-1", "--output", "json"]);
        for s in statements {
            c.args(["-e", s]);
        }
        let (ok, stdout, stderr) = run(c);
        assert!(ok, "{statements:?}: {stderr}");
        assert!(!stderr.contains("partial"), "{stderr}");
        serde_json::Deserializer::from_str(&stdout)
            .into_iter::<Value>()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let dev_arn = session(&[
        "SELECT arn FROM aws.connect.instances WHERE profile = 'demo-dev' \
                             AND region = 'us-east-1' AND instance_alias = 'acme-support'",
    ])[0][0]["arn"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(dev_arn.contains(DEMO_DEV_ACCOUNT), "{dev_arn}");
    let sql = format!(
        "SELECT profile, name FROM aws.connect.queues \
         WHERE profile IN ('demo-dev', 'demo-prod') AND instance_arn = '{dev_arn}'"
    );
    let dev = "us-east-1 (profile demo-dev)";
    let prod = "us-east-1 (profile demo-prod)";

    // 1. Accounts not known: each place lists its instances first.
    emulator.post("/_emulator/reset", serde_json::json!({"reseed": true}));
    let answers = session(&[&format!("EXPLAIN {sql}"), &sql]);
    let listed = listed_by_place(&answers[0]);
    for place in [dev, prod] {
        let first = listed
            .iter()
            .find(|(p, op, _)| p == place && op == "ListInstances")
            .unwrap_or_else(|| panic!("{place}: {listed:?}"));
        assert!(first.2.contains("not known yet"), "{first:?}");
    }
    let rows = answers[1].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["profile"] == "demo-dev"), "{rows:?}");
    let stats = emulator.stats();
    let ops = |place: &str| -> BTreeSet<String> {
        listed
            .iter()
            .filter(|(p, _, _)| p == place)
            .map(|(_, op, _)| op.clone())
            .collect()
    };
    // Dev ran every step EXPLAIN lists for it; prod only its listing (its
    // per-instance ListQueues has no instance to run for), no AccessDenied.
    assert_eq!(made_by(&stats, DEMO_DEV_ACCOUNT), ops(dev), "{stats}");
    assert_eq!(
        made_by(&stats, DEMO_PROD_ACCOUNT),
        BTreeSet::from(["ListInstances".to_string()]),
        "{stats}"
    );
    assert!(ops(prod).contains("ListInstances"));

    // 2. Accounts known from what the session read: prod is not in the plan
    //    and is not called; EXPLAIN names dev's account.
    emulator.post("/_emulator/reset", serde_json::json!({"reseed": true}));
    let answers = session(&[
        "SELECT count(*) FROM aws.connect.instances \
         WHERE profile IN ('demo-dev', 'demo-prod') AND region = 'us-east-1'",
        &format!("EXPLAIN {sql}"),
        &sql,
    ]);
    let listed = listed_by_place(&answers[1]);
    let dev_known = format!("us-east-1 (profile demo-dev, account {DEMO_DEV_ACCOUNT})");
    assert!(
        !listed.is_empty() && listed.iter().all(|(p, _, _)| *p == dev_known),
        "{listed:?}"
    );
    let stats = emulator.stats();
    // Prod: the first statement's listing only.
    assert_eq!(
        stats["calls_by_account"][DEMO_PROD_ACCOUNT]["ListInstances"], 1,
        "{stats}"
    );
    assert_eq!(made_by(&stats, DEMO_PROD_ACCOUNT).len(), 1, "{stats}");
    let listed_ops: BTreeSet<String> = listed.iter().map(|(_, op, _)| op.clone()).collect();
    assert!(
        made_by(&stats, DEMO_DEV_ACCOUNT).is_superset(&listed_ops),
        "{stats}"
    );
    assert_eq!(
        answers[2].as_array().unwrap().len(),
        rows.len(),
        "the same rows with fewer calls"
    );
}
