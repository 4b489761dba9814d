//! Input is bounded: scripts, `.read`, `-f` and stdin are read as a stream
//! of statements of at most 1 MiB each, a NUL byte or invalid UTF-8 is an
//! error, and memory stays flat however long the input is (peak RSS of the
//! child, from /proc, with a watchdog that kills it past 400 MB). Batch
//! mode exits non-zero when results could not be written.

use std::io::Write;
use std::process::Command;
use std::time::Duration;

mod common;
mod memory;
use common::{clean_command, run};
use memory::{measure, Ran};

/// Peak RSS a bounded run may reach (the debug binary alone is ~30 MB).
const FLAT_KB: u64 = 100 * 1024;

fn connectql(args: &[&str]) -> Command {
    let mut c = clean_command(common::BIN);
    c.args(["--no-init", "--region", "us-east-1", "-o", "json"])
        .args(args);
    c
}

fn assert_bounded(what: &str, r: &Ran, error: &str) {
    assert_eq!(
        r.code,
        Some(1),
        "{what}: exit {:?}; stderr: {}",
        r.code,
        r.stderr
    );
    assert!(r.stderr.contains(error), "{what}: {}", r.stderr);
    assert!(
        r.peak_kb < FLAT_KB,
        "{what}: peak RSS {} MB",
        r.peak_kb / 1024
    );
    assert!(
        r.took < Duration::from_secs(10),
        "{what}: took {:?}",
        r.took
    );
}

/// Writes `total` bytes of `pattern` repeated, until the reader goes away.
fn endless(pattern: &'static [u8], total: u64) -> Box<dyn FnOnce(std::process::ChildStdin) + Send> {
    Box::new(move |mut stdin| {
        let block = pattern.repeat((1 << 16) / pattern.len().max(1));
        let mut sent = 0u64;
        while sent < total {
            if stdin.write_all(&block).is_err() {
                return;
            }
            sent += block.len() as u64;
        }
    })
}

#[test]
fn dev_zero_through_read_file_and_stdin_is_refused_at_once() {
    let r = measure(
        connectql(&["-e", ".read /dev/zero", "-e", "SELECT 41 + 1 AS answer"]),
        None,
    );
    assert_bounded(".read /dev/zero", &r, "/dev/zero has a NUL byte on line 1");
    assert!(
        r.stdout.contains("\"answer\": 42"),
        "the next -e ran: {}",
        r.stdout
    );

    let r = measure(connectql(&["-f", "/dev/zero"]), None);
    assert_bounded("-f /dev/zero", &r, "/dev/zero has a NUL byte on line 1");

    // `head -c 3G /dev/zero | connectql`.
    let r = measure(connectql(&[]), Some(endless(&[0], 3 << 30)));
    assert_bounded(
        "3 GB of zeros on stdin",
        &r,
        "stdin has a NUL byte on line 1",
    );
}

#[test]
fn a_statement_longer_than_one_mib_is_refused_with_flat_memory() {
    // A 4 MB one-line statement (it took 430 MB when read whole).
    let feed: Box<dyn FnOnce(std::process::ChildStdin) + Send> = Box::new(|mut stdin| {
        let statement = format!("SELECT 1 AS a;\nSELECT '{}';\n", "x".repeat(4 << 20));
        let _ = stdin.write_all(statement.as_bytes());
    });
    let r = measure(connectql(&[]), Some(feed));
    assert_bounded(
        "a 4 MB statement",
        &r,
        "the statement starting on line 2 of stdin is longer than 1 MiB",
    );
    assert!(
        r.stdout.contains("\"a\": 1"),
        "the statement before ran: {}",
        r.stdout
    );

    // Text without an end: a statement that never closes.
    let r = measure(connectql(&[]), Some(endless(b"SELECT 1 +\n", 3 << 30)));
    assert_bounded("an endless statement", &r, "longer than 1 MiB");

    // Many complete statements run one by one in flat memory.
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("many.sql");
    std::fs::write(&script, "SELECT 1 AS n;\n".repeat(20_000)).unwrap();
    let r = measure(connectql(&["-f", script.to_str().unwrap()]), None);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout.matches("\"n\": 1").count(), 20_000);
    assert!(r.peak_kb < FLAT_KB, "peak RSS {} MB", r.peak_kb / 1024);

    // Just under the limit is still a statement.
    let near = format!("SELECT length('{}') AS n;", "x".repeat((1 << 20) - 40));
    let feed: Box<dyn FnOnce(std::process::ChildStdin) + Send> = Box::new(move |mut stdin| {
        let _ = stdin.write_all(near.as_bytes());
    });
    let r = measure(connectql(&[]), Some(feed));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!("\"n\": {}", (1 << 20) - 40)),
        "{}",
        r.stdout
    );
}

#[test]
fn nul_and_invalid_utf8_are_errors_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.sql");
    std::fs::write(
        &bad,
        b"SELECT 1 AS a;\n\nSELECT '\xff\xfe' AS b;\nSELECT 3 AS c;\n",
    )
    .unwrap();
    let (ok, stdout, stderr) = run(connectql(&["-f", bad.to_str().unwrap()]));
    assert!(!ok);
    assert!(
        stdout.contains("\"a\": 1") && !stdout.contains("\"c\""),
        "{stdout}"
    );
    assert!(
        stderr.contains(&format!("{} is not valid UTF-8 on line 3", bad.display())),
        "{stderr}"
    );
    let nul = dir.path().join("nul.sql");
    std::fs::write(&nul, b"SELECT 1 AS a;\nSELECT 'a\0b' AS b;\n").unwrap();
    let (ok, _, stderr) = run(connectql(&["-e", &format!(".read {}", nul.display())]));
    assert!(!ok);
    assert!(stderr.contains("has a NUL byte on line 2"), "{stderr}");
    // The init file is read the same way.
    let (ok, stdout, stderr) = run(connectql_with_init(&nul, &["-e", "SELECT 2 AS after"]));
    assert!(stderr.contains("has a NUL byte on line 2"), "{stderr}");
    assert!(
        ok && stdout.contains("\"after\": 2"),
        "start-up goes on: {stdout}{stderr}"
    );
}

fn connectql_with_init(init: &std::path::Path, args: &[&str]) -> Command {
    let mut c = clean_command(common::BIN);
    c.args(["--region", "us-east-1", "-o", "json", "--init"])
        .arg(init)
        .args(args);
    c
}

/// README: exit status 0 only when every statement succeeded, results
/// written included.
#[test]
fn batch_mode_fails_when_results_cannot_be_written() {
    for redirect in [
        ".once /dev/full",
        ".output /dev/full",
        ".output /proc/self/mem",
    ] {
        let (ok, _, stderr) = run(connectql(&[
            "-e",
            redirect,
            "-e",
            "SELECT 1;",
            "-e",
            "SELECT 2;",
        ]));
        assert!(!ok, "{redirect}: exit 0");
        assert!(
            stderr.contains("error: cannot write to"),
            "{redirect}: {stderr}"
        );
    }
    let mut c = connectql(&["-e", "SELECT 1;"]);
    c.stdout(std::fs::File::create("/dev/full").unwrap());
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot write to stdout"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Written results are a success.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.json");
    let (ok, _, stderr) = run(connectql(&[
        "-e",
        &format!(".once {}", file.display()),
        "-e",
        "SELECT 1 AS a;",
    ]));
    assert!(ok, "{stderr}");
    assert!(std::fs::read_to_string(&file).unwrap().contains("\"a\": 1"));
}
