//! Shared helpers for the end-to-end tests: a local Connect endpoint run as
//! a child process (`connectql emulator`), the real `connectql` binary with a
//! clean AWS environment, and the AWS CLI as an independent client.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_connectql");

/// A `connectql emulator` child process on a free loopback port.
pub struct Emulator {
    child: Child,
    pub url: String,
}

impl Emulator {
    pub fn start(extra: &[&str]) -> Emulator {
        let mut child = Command::new(BIN)
            .args(["emulator", "--listen", "127.0.0.1:0"])
            .args(extra)
            .env("NO_PROXY", "127.0.0.1,localhost")
            // No init file of the user's.
            .env("XDG_CONFIG_HOME", "/nonexistent/connectql-test-config")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the emulator");
        let stdout = child.stdout.take().expect("emulator stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("emulator first line");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Emulator { child, url }
    }

    pub fn stats(&self) -> Value {
        reqwest::blocking::get(format!("{}/_emulator/stats", self.url))
            .and_then(|r| r.json())
            .expect("stats")
    }

    /// Calls of one operation since start or reset.
    pub fn calls(&self, operation: &str) -> u64 {
        self.stats()["calls"][operation].as_u64().unwrap_or(0)
    }

    pub fn reset(&self) {
        reqwest::blocking::Client::new()
            .post(format!("{}/_emulator/reset", self.url))
            .header("content-type", "application/json")
            .send()
            .and_then(|r| r.error_for_status())
            .expect("reset");
    }

    pub fn post(&self, path: &str, body: Value) -> Value {
        reqwest::blocking::Client::new()
            .post(format!("{}{path}", self.url))
            .json(&body)
            .send()
            .and_then(|r| r.json())
            .expect("post")
    }

    /// The connectql binary pointed at this endpoint with test credentials.
    pub fn connectql(&self) -> Command {
        let mut c = clean_command(BIN);
        c.args(["--endpoint-url", &self.url]);
        c
    }

    /// The AWS CLI pointed at this endpoint, in `region`, returning its JSON.
    pub fn aws(&self, region: &str, args: &[&str]) -> Value {
        let out = clean_command("aws")
            .args([
                "--endpoint-url",
                &self.url,
                "--region",
                region,
                "--output",
                "json",
            ])
            .args(args)
            .output()
            .expect("the AWS CLI (pip install awscli) must be on PATH");
        assert!(
            out.status.success(),
            "aws {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if out.stdout.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(&out.stdout).expect("aws json")
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A command with the machine's AWS settings removed and explicit test
/// credentials, so nothing waits on profiles or instance metadata.
pub fn clean_command(program: &str) -> Command {
    let mut c = Command::new(program);
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") || k == "CONNECTQL_REGION" {
            c.env_remove(k);
        }
    }
    c.env("AWS_ACCESS_KEY_ID", "AKIDTESTTESTTEST")
        .env("AWS_SECRET_ACCESS_KEY", "test-secret-do-not-print")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/connectql-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/connectql-test-credentials",
        )
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    c
}

/// Runs a command and returns (status ok, stdout, stderr).
pub fn run(mut c: Command) -> (bool, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = c.output().expect("run");
    (
        status.success(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// Runs connectql with `--output json` and the given statements; returns
/// each statement's JSON array.
pub fn query_json(
    emu: &Emulator,
    region: Option<&str>,
    statements: &[&str],
) -> (bool, Vec<Value>, String) {
    let mut c = emu.connectql();
    c.args(["--output", "json"]);
    if let Some(r) = region {
        c.args(["--region", r]);
    }
    for s in statements {
        c.args(["-e", s]);
    }
    let (ok, stdout, stderr) = run(c);
    let values: Vec<Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {stdout}\nstderr: {stderr}"));
    (ok, values, stderr)
}
