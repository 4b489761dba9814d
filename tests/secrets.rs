//! Credentials never reach any output stream: stdout, stderr (log lines at
//! every level, errors, warnings) or the history file, whatever renders
//! them.
//!
//! The credentials come from a profile file (no AWS_* credential variable,
//! so nothing is scrubbed just because the environment names it), with a
//! session token, as `aws sso login` or `aws configure` leave them. The
//! runs cover `--debug`, `CONNECTQL_LOG=trace` and the SDK's own trace
//! events against the local endpoint, its injected access-denied and
//! expired-token faults, an endpoint that rejects the signature the way
//! AWS does (quoting the canonical request it expected, security token
//! included), and an interactive session whose history file is read back.

#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{run, Emulator, BIN};
use expectrl::{Eof, Session};
use serde_json::json;

const KEY_ID: &str = "ASIAZ4PROFILE7KEY2QX";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPROFILEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEPr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDprofileSessionTokenExample0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ+KLMNOPQRSTUVWXYZ==";

/// A home directory with `~/.aws/config` and `~/.aws/credentials` holding
/// temporary credentials of the default profile.
fn profile_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let aws = home.path().join(".aws");
    std::fs::create_dir(&aws).unwrap();
    std::fs::write(aws.join("config"), "[default]\nregion = us-east-1\n").unwrap();
    std::fs::write(
        aws.join("credentials"),
        format!(
            "[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"
        ),
    )
    .unwrap();
    home
}

/// connectql at `endpoint` with the profile files of `home` and no other
/// AWS setting of the machine's.
fn connectql(home: &Path, endpoint: &str) -> Command {
    let mut c = Command::new(BIN);
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("AWS_") || k.starts_with("CONNECTQL_") || k == "RUST_LOG" {
            c.env_remove(k.as_ref());
        }
    }
    let aws = home.join(".aws");
    c.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("AWS_CONFIG_FILE", aws.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", aws.join("credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("NO_COLOR", "1")
        .args(["--endpoint-url", endpoint]);
    c
}

fn assert_no_secret(what: &str, text: &str) {
    for (name, value) in [("key id", KEY_ID), ("secret", SECRET), ("token", TOKEN)] {
        assert!(
            !text.contains(value),
            "the {name} leaked in {what}:\n{text}"
        );
    }
    // Pieces of the token (a line may cut it, a renderer may quote part).
    assert!(
        !text.contains(&TOKEN[..40]),
        "the token leaked in {what}:\n{text}"
    );
}

/// How the rejecting endpoint quotes the request in its error.
#[derive(Clone, Copy, Debug)]
enum Quote {
    /// As AWS answers a signature mismatch: 403 InvalidSignatureException
    /// with the canonical request it expected, security token included.
    CanonicalRequest,
    /// As S3 answers a malformed token (its `Token-0` element): the bare
    /// value, under a name no pattern knows, so only the exact value the
    /// client pool registered can catch it.
    BareToken,
}

/// An endpoint that rejects every request, quoting it as `quote` says.
fn rejecting_endpoint(quote: Quote) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let mut headers = Vec::new();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let (name, value) = line.trim_end().split_once(':').unwrap_or(("", ""));
                let name = name.to_ascii_lowercase();
                if name == "content-length" {
                    length = value.trim().parse().unwrap_or(0);
                }
                if name == "host" || name.starts_with("x-amz-") {
                    headers.push(format!("{name}:{}", value.trim()));
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            headers.sort();
            let mut parts = request_line.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let (code, message) = match quote {
                Quote::CanonicalRequest => (
                    "InvalidSignatureException",
                    format!(
                        "The request signature we calculated does not match the signature you \
                         provided. Check your AWS Secret Access Key and signing method. Consult \
                         the service documentation for details.\n\nThe Canonical String for this \
                         request should have been\n'{method}\n{path}\n\n{}\n'\n",
                        headers.join("\n")
                    ),
                ),
                Quote::BareToken => {
                    let token = headers
                        .iter()
                        .find_map(|h| h.strip_prefix("x-amz-security-token:"))
                        .unwrap_or("");
                    (
                        "UnrecognizedClientException",
                        format!(
                            "The provided token is malformed or otherwise invalid. \
                             (Token-0 {token})"
                        ),
                    )
                }
            };
            let body = json!({ "message": message }).to_string();
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\n\
                 x-amzn-errortype: {code}\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

const LISTING: &str =
    "SELECT * FROM aws.connect.instances WHERE region IN ('us-east-1','eu-west-2','ap-southeast-2')";
const FAILING: &str = "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'nope'";

/// The log settings of the runs: `--debug`, and the `CONNECTQL_LOG`
/// filters that let the SDK's own events through.
const LOGS: [(&str, Option<&str>); 3] = [
    ("--debug", None),
    ("--no-cache", Some("trace")),
    (
        "--no-cache",
        Some(
            "aws_sigv4=trace,aws_smithy_runtime=trace,aws_config=trace,hyper=trace,connectql=trace",
        ),
    ),
];

fn batch(home: &Path, endpoint: &str, flag: &str, log: Option<&str>) -> (String, String) {
    let mut c = connectql(home, endpoint);
    c.stdin(Stdio::null())
        .args([flag, "-o", "json", "-e", LISTING, "-e", FAILING]);
    if let Some(filter) = log {
        c.env("CONNECTQL_LOG", filter);
    }
    let (_, stdout, stderr) = run(c);
    (stdout, stderr)
}

#[test]
fn profile_credentials_never_reach_logs_errors_or_warnings() {
    let home = profile_home();
    let emu = Emulator::start(&["--demo-data"]);
    // A warning (one region's attributes denied) and an error (not found)
    // in every run.
    emu.post(
        "/_emulator/faults",
        json!({"deny": ["ListInstanceAttributes"], "regions": ["eu-west-2"]}),
    );
    for (flag, log) in LOGS {
        let (stdout, stderr) = batch(home.path(), &emu.url, flag, log);
        let what = format!("{flag} {log:?}");
        assert!(
            stdout.contains("acme-support"),
            "{what}: {stdout}\n{stderr}"
        );
        assert!(
            stderr.lines().count() > 5,
            "{what} logs the calls: {stderr}"
        );
        assert!(stderr.contains("warning: "), "{what}: {stderr}");
        assert!(stderr.contains("error: "), "{what}: {stderr}");
        assert_no_secret(&format!("stdout with {what}"), &stdout);
        assert_no_secret(&format!("stderr with {what}"), &stderr);
    }

    // The endpoint's access-denied and expired-token answers.
    for fault in [
        json!({"deny": ["ListInstances"], "regions": null}),
        json!({"deny": null, "expired_token": true}),
    ] {
        emu.post("/_emulator/faults", fault.clone());
        for (flag, log) in LOGS {
            let (stdout, stderr) = batch(home.path(), &emu.url, flag, log);
            let what = format!("{fault} {flag} {log:?}");
            assert!(stderr.contains("error: "), "{what}: {stderr}");
            assert_no_secret(&format!("stdout with {what}"), &stdout);
            assert_no_secret(&format!("stderr with {what}"), &stderr);
        }
    }
}

#[test]
fn errors_quoting_the_request_leak_nothing() {
    let home = profile_home();
    for (quote, shows) in [
        (Quote::CanonicalRequest, "x-amz-security-token:"),
        (Quote::BareToken, "Token-0 "),
    ] {
        let endpoint = rejecting_endpoint(quote);
        for log in [None, Some("trace")] {
            let (stdout, stderr) = batch(home.path(), &endpoint, "--no-cache", log);
            let what = format!("{quote:?} {log:?}");
            // The error is shown, with AWS's explanation, token scrubbed.
            assert!(stderr.contains(shows), "{what}: {stderr}");
            assert_no_secret(&format!("stdout with {what}"), &stdout);
            assert_no_secret(&format!("stderr with {what}"), &stderr);
        }
    }
}

#[test]
fn the_history_file_never_holds_the_session_credentials() {
    let home = profile_home();
    let emu = Emulator::start(&["--demo-data"]);
    let history = home.path().join("history");
    let mut cmd = connectql(home.path(), &emu.url);
    cmd.args(["--region", "us-east-1", "--history-file"])
        .arg(&history)
        .env("TERM", "xterm")
        .env("CONNECTQL_LOG", "trace");
    let mut pty = Session::spawn(cmd).expect("spawn connectql in a pty");
    pty.set_expect_timeout(Some(Duration::from_secs(30)));
    pty.expect("connectql> ").expect("first prompt");
    let mut printed = String::new();
    // The first statement resolves the credentials; the next lines carry
    // them as a paste would.
    for line in [
        "SELECT instance_alias FROM aws.connect.instances;".to_string(),
        format!("SELECT '{SECRET}' AS pasted;"),
        format!("SELECT 1 AS n WHERE '{TOKEN}' <> '';"),
        format!("SELECT 2 AS n WHERE '{KEY_ID}' <> '';"),
        "SELECT 'kept' AS after;".to_string(),
    ] {
        pty.send(format!("{line}\r")).unwrap();
        // The editor switches bracketed paste off when it hands the line
        // over (before that, the prompt is the line's own redraw).
        pty.expect("\x1b[?2004l").expect("the line handed over");
        let seen = pty.expect("connectql> ").expect("the next prompt");
        printed.push_str(&String::from_utf8_lossy(seen.before()));
    }
    pty.send("\x04").unwrap();
    pty.expect(Eof).ok();
    assert!(printed.contains("acme-support"), "{printed}");
    let saved = std::fs::read_to_string(&history).unwrap();
    assert!(saved.contains("SELECT 'kept' AS after;"), "{saved}");
    assert_no_secret("the history file", &saved);
}
