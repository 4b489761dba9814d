//! A deadline that fits the work: a query whose per-item calls cannot
//! finish before `--timeout` at Connect's documented rate is refused before
//! those calls start, with the numbers and what to do; with a deadline
//! that holds them it runs. Against the local endpoint, which does not
//! throttle, so what runs finishes in well under a second.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod common;
use common::Emulator;

/// A Describe-only field (the email is in DescribeUser's IdentityInfo):
/// one DescribeUser per user.
const EMAILS: &str = "SELECT username, identity_info ->> '$.Email' AS email \
     FROM aws.connect.users WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support'";
const COUNT: &str = "SELECT count(*) AS n FROM aws.connect.users \
     WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support'";

fn connectql(emu: &Emulator, args: &[&str]) -> Command {
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "-o", "json"]).args(args);
    c
}

/// (exit code, each statement's JSON, stderr).
fn run(mut c: Command) -> (Option<i32>, Vec<Value>, String) {
    let out = c.output().expect("run connectql");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let values = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {stdout}\nstderr: {stderr}"));
    (out.status.code(), values, stderr)
}

fn users_in_acme_support(emu: &Emulator) -> u64 {
    let (code, values, stderr) = run(connectql(emu, &["-e", COUNT]));
    assert_eq!(code, Some(0), "{stderr}");
    values[0][0]["n"].as_u64().expect("a count")
}

#[test]
fn five_thousand_describes_are_refused_before_the_first_at_30_s() {
    let emu = Emulator::start(&["--demo-data"]);
    emu.post(
        "/_emulator/seed",
        json!({"region": "us-east-1", "instance": "acme-support", "resource": "users", "count": 5000}),
    );
    let started = Instant::now();
    let (code, values, stderr) = run(connectql(&emu, &["--timeout", "30", "-e", EMAILS]));
    let took = started.elapsed();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(values.is_empty(), "nothing printed: {values:?}");
    // Refused on the first page of the listing: "at least" a page's worth.
    assert!(
        stderr.contains("this statement needs at least ")
            && stderr
                .contains(" DescribeUser calls in us-east-1 (one per user left after filtering")
            && stderr.contains(
                "at Connect's default rate of 2 per second, more than --timeout 30 s allows"
            )
            && stderr.contains("Raise the limit (--timeout ")
            && stderr.contains("or .timeout ")
            && stderr.contains("narrow the WHERE")
            && stderr.contains("quotas were raised"),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert_eq!(emu.calls("DescribeUser"), 0, "{}", emu.stats());
}

#[test]
fn a_small_instance_is_refused_at_10_s_and_runs_at_60_s() {
    let emu = Emulator::start(&["--demo-data"]);
    let n = users_in_acme_support(&emu);
    // One DescribeUser per user: 5 at once, the rest at 2 per second.
    let expected = (n - 5) as f64 / 2.0;
    assert!(
        expected > 10.0 && expected < 50.0,
        "the demo's acme-support has {n} users"
    );
    let (code, values, stderr) = run(connectql(&emu, &["--timeout", "10", "-e", EMAILS]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(values.is_empty(), "{values:?}");
    let about = format!("about {} s", expected.round());
    assert!(
        stderr.contains(&format!(
            "this statement needs {n} DescribeUser calls in us-east-1 (one per user left after filtering)"
        )) && stderr.contains(&about)
            && stderr.contains("more than --timeout 10 s allows")
            && stderr.contains("(--timeout 60, or .timeout 60 in the shell)"),
        "{about}: {stderr}"
    );
    assert_eq!(emu.calls("DescribeUser"), 0, "{}", emu.stats());

    let started = Instant::now();
    let (code, values, stderr) = run(connectql(&emu, &["--timeout", "60", "-e", EMAILS]));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(values[0].as_array().map(Vec::len), Some(n as usize));
    assert!(values[0][0]["email"].is_string(), "{}", values[0][0]);
    assert_eq!(emu.calls("DescribeUser"), n, "{}", emu.stats());
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the endpoint does not throttle: {:?}",
        started.elapsed()
    );
}

#[test]
fn in_one_session_a_cached_listing_is_checked_before_any_call_and_cached_describes_cost_nothing() {
    let emu = Emulator::start(&["--demo-data"]);
    let n = users_in_acme_support(&emu);
    let listings = || emu.calls("ListUsers") + emu.calls("SearchUsers");
    let listed_before = listings();
    let (code, values, stderr) = run(connectql(
        &emu,
        &[
            "--timeout",
            "10",
            "-e",
            COUNT, // lists the users, cached
            "-e",
            EMAILS, // refused: no call at all
            "-e",
            ".timeout 60",
            "-e",
            EMAILS, // runs
            "-e",
            ".timeout 10",
            "-e",
            EMAILS, // from the cache: nothing to wait for
        ],
    ));
    // The refused statement makes the batch's status 1; the rest ran.
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        stderr.matches("this statement needs").count(),
        1,
        "{stderr}"
    );
    assert_eq!(values.len(), 3, "{values:?}");
    assert_eq!(values[1].as_array().map(Vec::len), Some(n as usize));
    assert_eq!(values[2], values[1]);
    let stats = emu.stats();
    assert_eq!(emu.calls("DescribeUser"), n, "{stats}");
    // One listing, by the first statement; the others read it from the cache.
    assert_eq!(listings() - listed_before, 1, "{stats}");
}

#[test]
fn dot_timeout_shows_and_sets_the_deadline() {
    let emu = Emulator::start(&["--demo-data"]);
    let mut c = connectql(
        &emu,
        &[
            "--timeout",
            "45",
            "-e",
            ".timeout",
            "-e",
            ".timeout 7",
            "-e",
            ".timeout",
        ],
    );
    c.args(["-e", ".timeout soon"]);
    let out = c.output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stdout, "timeout: 45 s\ntimeout: 7 s\n", "{stderr}");
    assert!(stderr.contains("invalid `.timeout`"), "{stderr}");
    assert_eq!(out.status.code(), Some(1));
}

/// In the shell: a refused statement leaves the shell running, and a long
/// one shows its per-item calls against the plan and stops on Ctrl-C.
#[cfg(unix)]
#[test]
fn the_shell_shows_progress_against_the_plan_and_keeps_running() {
    use expectrl::{Regex, Session};

    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(common::BIN);
    cmd.args(["--demo", "--region", "us-east-1", "--no-init"])
        .arg("--history-file")
        .arg(dir.path().join("history"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("XDG_DATA_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path());
    let mut pty = Session::spawn(cmd).expect("spawn connectql in a pty");
    pty.get_process_mut()
        .set_window_size(200, 50)
        .expect("window size");
    pty.set_expect_timeout(Some(Duration::from_secs(20)));
    let banner = pty
        .expect(Regex(r"http://127\.0\.0\.1:\d+"))
        .expect("the demo banner names its endpoint");
    let endpoint = String::from_utf8_lossy(banner.get(0).unwrap()).to_string();
    pty.expect("connectql> ").expect("first prompt");

    // Refused in the shell; the shell goes on.
    pty.send(".timeout 10\r").unwrap();
    pty.expect("connectql> ").unwrap();
    pty.send(format!("{EMAILS};\r")).unwrap();
    pty.expect(Regex(
        r"this statement needs \d+ DescribeUser calls in us-east-1",
    ))
    .expect("the refusal");
    pty.expect("connectql> ").unwrap();

    // Throttled at Connect's rate, the same statement takes ~15 s: the
    // spinner shows the plan, and Ctrl-C stops it.
    reqwest::blocking::Client::new()
        .post(format!("{endpoint}/_emulator/faults"))
        .json(&json!({ "throttle": true }))
        .send()
        .and_then(|r| r.error_for_status())
        .expect("throttle the endpoint");
    pty.send(".timeout 60\r").unwrap();
    pty.expect("connectql> ").unwrap();
    pty.send(format!("{EMAILS};\r")).unwrap();
    pty.expect(Regex(
        r"DescribeUser \d+/\d+ · ~\d+ s left at Connect's rate · Ctrl-C cancels",
    ))
    .expect("the progress line");
    pty.send("\x03").unwrap();
    pty.expect("cancelled").expect("Ctrl-C stops the statement");
    pty.expect("connectql> ").unwrap();
    pty.send(".timeout\r").unwrap();
    pty.expect("timeout: 60 s").expect("the shell still runs");
}

/// `--timeout` takes what a deadline can hold: above 0, at most a week; a
/// huge or non-finite value is a clear usage error, not a panic.
#[test]
fn timeouts_out_of_range_are_refused_clearly() {
    for bad in ["1e30", "inf", "NaN", "0", "604801"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_connectql"))
            .args(["--timeout", bad, "-e", "SELECT 1"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--timeout {bad}: {stderr}");
        assert!(
            stderr.contains("--timeout must be"),
            "--timeout {bad}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "--timeout {bad}: {stderr}");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_connectql"))
        .args(["--timeout", "604800", "-o", "csv", "-e", "SELECT 1 AS one"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
