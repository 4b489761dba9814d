//! Every statement is bounded: the SQL engine's part stops on Ctrl-C in the
//! shell and at the statement deadline in batch mode, results are bounded,
//! and the process stays alive for the next statement. The first tests run
//! in the engine alone; the later ones over thousands of users fetched from
//! the local endpoint (seeded through `/_emulator/seed`).

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

mod common;
mod memory;
use common::{clean_command, run, Emulator};

const RECURSIVE: &str =
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r) SELECT count(*) FROM r";
const CROSS_JOIN: &str = "WITH a(j) AS (SELECT json_group_array(value) FROM (WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value+1 FROM c WHERE value < 1000) SELECT value FROM c)) \
     SELECT count(*) FROM a, json_each(a.j) x, json_each(a.j) y, json_each(a.j) z";

fn connectql(args: &[&str]) -> Command {
    let mut c = clean_command(common::BIN);
    c.args(["--region", "us-east-1", "-o", "json"]).args(args);
    c
}

#[test]
fn the_deadline_ends_runaway_sql_in_batch_mode() {
    for sql in [RECURSIVE, CROSS_JOIN] {
        let started = Instant::now();
        let (ok, stdout, stderr) = run(connectql(&[
            "--timeout",
            "2",
            "-e",
            sql,
            "-e",
            "SELECT 41 + 1 AS answer",
        ]));
        let took = started.elapsed();
        assert!(!ok, "the runaway statement is an error");
        assert!(took < Duration::from_secs(6), "took {took:?}");
        assert!(
            stderr.contains("did not finish within 2 s") && stderr.contains("engine"),
            "{stderr}"
        );
        assert!(
            stdout.contains("\"answer\": 42"),
            "the next statement ran: {stdout}"
        );
    }
}

#[test]
fn results_are_bounded() {
    let unbounded = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r) SELECT n FROM r";
    let started = Instant::now();
    let (ok, _, stderr) = run(connectql(&["--max-rows", "5000", "-e", unbounded]));
    assert!(!ok);
    assert!(stderr.contains("more than 5000 rows"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(10));
    let (ok, _, stderr) = run(connectql(&[
        "--max-result-mb",
        "1",
        "-e",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r WHERE n < 100000) SELECT n, printf('%.200c', 'x') AS pad FROM r",
    ]));
    assert!(!ok);
    assert!(stderr.contains("larger than 1 MiB"), "{stderr}");
    // Within the bounds, the answer is whole.
    let (ok, stdout, stderr) = run(connectql(&[
        "--max-rows",
        "5000",
        "-e",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r WHERE n < 5000) SELECT count(*) AS n FROM r",
    ]));
    assert!(ok, "{stderr}");
    assert!(stdout.contains("\"n\": 5000"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_runaway_sql_in_the_shell_at_once() {
    use expectrl::Session;

    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(common::BIN);
    cmd.args([
        "--region",
        "us-east-1",
        "--timeout",
        "3600",
        "--history-file",
    ])
    .arg(dir.path().join("history"))
    .arg("--no-init");
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("NO_COLOR", "1").env("TERM", "xterm");
    let mut pty = Session::spawn(cmd).expect("spawn connectql in a pty");
    pty.set_expect_timeout(Some(Duration::from_secs(20)));
    pty.expect("connectql> ").expect("first prompt");
    pty.send(format!("{RECURSIVE};\r")).unwrap();
    pty.expect("running:").expect("the spinner shows it runs");
    let pressed = Instant::now();
    pty.send("\x03").unwrap();
    pty.expect("cancelled").expect("Ctrl-C cancels");
    let cancelled = pressed.elapsed();
    pty.expect("connectql> ").expect("a new prompt");
    // The engine really stopped: the next statement gets it at once.
    pty.send("SELECT 6 * 7 AS answer;\r").unwrap();
    pty.expect("42").expect("the next statement runs");
    let next = pressed.elapsed();
    assert!(
        cancelled < Duration::from_millis(100),
        "cancelling took {cancelled:?}"
    );
    assert!(
        next < Duration::from_secs(2),
        "the next statement took {next:?}"
    );
    pty.send("\x04").unwrap();
}

/// SQLite's memory is bounded by --max-result-mb (twice it plus 64 MiB):
/// a recursive CTE that dedups (`UNION`) grows its temporary table until
/// that limit, then stops with an error naming the flag, long before the
/// deadline; the next statement runs.
#[test]
fn sqlite_memory_is_bounded_by_max_result_mb() {
    let dedup = "WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n+1 FROM r) SELECT count(*) FROM r";
    let r = memory::measure(
        connectql(&[
            "--max-result-mb",
            "1",
            "--timeout",
            "120",
            "-e",
            dedup,
            "-e",
            "SELECT 41 + 1 AS answer",
        ]),
        None,
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("needed more than 66 MiB of memory in the engine")
            && r.stderr.contains("--max-result-mb"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("\"answer\": 42"), "{}", r.stdout);
    // 66 MiB for SQLite and the binary itself (~30 MB).
    assert!(r.peak_kb < 130 * 1024, "peak RSS {} MB", r.peak_kb / 1024);
}

/// A local endpoint with 5,000 more users in acme-support.
fn seeded() -> Emulator {
    let emu = Emulator::start(&["--demo-data"]);
    emu.post(
        "/_emulator/seed",
        json!({"region": "us-east-1", "instance": "acme-support", "resource": "users", "count": 5000}),
    );
    emu
}

/// Three copies of the instance's users, crossed: 1.3e11 rows to count.
const USERS_CUBED: &str =
    "SELECT count(*) AS n FROM aws.connect.users a, aws.connect.users b, aws.connect.users c \
     WHERE a.region = 'us-east-1' AND b.region = 'us-east-1' AND c.region = 'us-east-1' \
     AND data__InstanceId = 'acme-support'";

#[test]
fn the_deadline_ends_runaway_sql_over_fetched_rows() {
    let emu = seeded();
    let mut c = emu.connectql();
    c.args([
        "--region",
        "us-east-1",
        "-o",
        "json",
        "--timeout",
        "4",
        "-e",
        USERS_CUBED,
        "-e",
        "SELECT count(*) AS users FROM aws.connect.users WHERE data__InstanceId = 'acme-support'",
    ]);
    let started = Instant::now();
    let (ok, stdout, stderr) = run(c);
    let took = started.elapsed();
    assert!(!ok);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    // 5,036 users, read once and shared by the three sides.
    assert!(
        stderr.contains("did not finish within 4 s")
            && stderr.contains("engine over 15108 fetched rows"),
        "{stderr}"
    );
    assert!(
        stdout.contains("\"users\": 5036"),
        "the next statement ran: {stdout}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_runaway_sql_over_fetched_rows_in_the_shell() {
    use expectrl::Session;

    let emu = seeded();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(common::BIN);
    cmd.args([
        "--endpoint-url",
        &emu.url,
        "--region",
        "us-east-1",
        "--timeout",
        "3600",
    ])
    .arg("--history-file")
    .arg(dir.path().join("history"))
    .arg("--no-init");
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", "AKIDTESTTESTTEST")
        .env("AWS_SECRET_ACCESS_KEY", "test-secret")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut pty = Session::spawn(cmd).expect("spawn connectql in a pty");
    pty.set_expect_timeout(Some(Duration::from_secs(30)));
    pty.expect("connectql> ").expect("first prompt");
    // Fetch the users once, so the runaway statement starts in the engine.
    pty.send("SELECT count(*) AS users FROM aws.connect.users WHERE data__InstanceId = 'acme-support';\r")
        .unwrap();
    pty.expect("5036").expect("the users are fetched");
    pty.expect("connectql> ").expect("prompt");
    pty.send(format!("{USERS_CUBED};\r")).unwrap();
    pty.expect("running:").expect("the spinner shows it runs");
    // The rows are loaded by now (from the session cache): the query runs.
    std::thread::sleep(Duration::from_millis(500));
    let pressed = Instant::now();
    pty.send("\x03").unwrap();
    pty.expect("cancelled").expect("Ctrl-C cancels");
    let cancelled = pressed.elapsed();
    pty.expect("connectql> ").expect("a new prompt");
    pty.send("SELECT 6 * 7 AS answer;\r").unwrap();
    pty.expect("42").expect("the next statement runs");
    let next = pressed.elapsed();
    assert!(
        cancelled < Duration::from_millis(200),
        "cancelling took {cancelled:?}"
    );
    assert!(
        next < Duration::from_secs(2),
        "the next statement took {next:?}"
    );
    pty.send("\x04").unwrap();
}

/// `"name"` is always an identifier: a misspelt column in double quotes is
/// an unknown field (before any call), not a string compared with 'ACTIVE'.
#[test]
fn a_double_quoted_typo_is_an_unknown_field() {
    let emu = Emulator::start(&["--demo-data"]);
    let mut c = emu.connectql();
    c.args([
        "--region",
        "us-east-1",
        "-o",
        "json",
        "-e",
        "SELECT instance_alias FROM aws.connect.instances WHERE \"instance_staus\" = 'ACTIVE'",
    ]);
    let (ok, stdout, stderr) = run(c);
    assert!(!ok, "{stdout}");
    assert!(
        stderr.contains("unknown field `\"instance_staus\"`; did you mean `instance_status`?"),
        "{stderr}"
    );
    assert_eq!(emu.calls("ListInstances"), 0);
}
