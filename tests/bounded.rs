//! Every statement is bounded: the SQL engine's part stops on Ctrl-C in the
//! shell and at the statement deadline in batch mode, results are bounded,
//! and the process stays alive for the next statement. None of these needs
//! an endpoint: the statements run in the engine alone.

use std::process::Command;
use std::time::{Duration, Instant};

mod common;
use common::{clean_command, run};

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
