//! Shell responsiveness: completion latency and time to the first prompt.
//!
//! `cargo bench --bench completion` prints
//! * completion latency (p50, p99, max) over a few thousand calls at every
//!   cursor position of a set of realistic statements, with a session that
//!   has seen 60 instances (target: p99 < 1 ms);
//! * the time from starting `connectql --demo` in a pseudo-terminal to its
//!   first `connectql> ` prompt (median of several runs).

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use connectql::executor::SeenInstance;
use connectql::repl::completer::complete;

const STATEMENTS: [&str; 10] = [
    "SELECT region, id, instance_alias, instance_status FROM aws.connect.instances WHERE region IN ('us-east-1', 'eu-west-2', 'ap-southeast-2') ORDER BY created_time DESC;",
    "SELECT id, json_extract(attributes, '$.ContactLens') AS lens, json_extract(attributes, '$.EarlyMedia') FROM aws.connect.instances WHERE region = 'us-east-1' AND instance_status = 'ACTIVE';",
    "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'acme-support';",
    "SELECT i.instance_alias, i.tags FROM aws.connect.instances i WHERE i.region = 'eu-west-2' AND i.attributes->>'$.ContactLens' = 1;",
    "UPDATE aws.connect.instance SET data__PatchDocument = string('[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]') WHERE region = 'us-east-1' AND data__Identifier = 'acme-sales';",
    "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) SELECT 'CONNECT_MANAGED', 'my-instance', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'us-east-1';",
    "DELETE FROM aws.connect.instances WHERE region = 'ap-southeast-2' AND data__Identifier = 'acme-anz';",
    "SELECT region, count(*) AS n FROM aws.connect.instances WHERE region IN ('us-east-1','us-west-2','eu-central-1','eu-west-2','ap-northeast-1') GROUP BY region ORDER BY n DESC;",
    "DESCRIBE EXTENDED aws.connect.instances;",
    ".output json",
];

fn seen() -> Vec<SeenInstance> {
    let regions = ["us-east-1", "eu-west-2", "ap-southeast-2"];
    (0..60)
        .map(|i| {
            let region = regions[i % regions.len()];
            let id = format!("{i:08x}-3c6e-4b9f-a0d4-e7b2c5f8913d");
            SeenInstance {
                region: region.to_string(),
                arn: Some(format!(
                    "arn:aws:connect:{region}:123456789012:instance/{id}"
                )),
                alias: Some(format!("team-{i:02}")),
                id,
            }
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn completion_latency() -> bool {
    let seen = seen();
    // Every char boundary of every statement, a few rounds over.
    let positions: Vec<(&str, usize)> = STATEMENTS
        .iter()
        .flat_map(|s| {
            s.char_indices()
                .map(|(i, _)| i)
                .chain([s.len()])
                .map(move |i| (*s, i))
        })
        .collect();
    for (s, p) in &positions {
        black_box(complete(s, *p, &seen));
    }
    let rounds = (4000 / positions.len()).max(3);
    let mut samples = Vec::with_capacity(rounds * positions.len());
    let mut offered = 0usize;
    for _ in 0..rounds {
        for (s, p) in &positions {
            let t = Instant::now();
            let (_, c) = black_box(complete(black_box(s), black_box(*p), &seen));
            samples.push(t.elapsed());
            offered += c.len();
        }
    }
    samples.sort();
    let p99 = percentile(&samples, 0.99);
    println!(
        "completion: {} calls at {} cursor positions of {} statements, {} seen instances ({} candidates in all)",
        samples.len(),
        positions.len(),
        STATEMENTS.len(),
        seen.len(),
        offered
    );
    println!(
        "completion latency: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs (target p99 < 1000 µs): {}",
        micros(percentile(&samples, 0.50)),
        micros(p99),
        micros(*samples.last().unwrap()),
        if p99 < Duration::from_millis(1) {
            "ok"
        } else {
            "TOO SLOW"
        }
    );
    p99 < Duration::from_millis(1)
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Starts `connectql --demo` in a pty and waits for its first prompt.
fn time_to_prompt() -> Option<Duration> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_connectql"));
    let dir = tempfile::tempdir().ok()?;
    cmd.arg("--demo")
        .arg("--history-file")
        .arg(dir.path().join("history"))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(&k);
        }
    }
    let started = Instant::now();
    let mut pty = expectrl::Session::spawn(cmd).ok()?;
    pty.set_expect_timeout(Some(Duration::from_secs(30)));
    pty.expect("connectql> ").ok()?;
    let took = started.elapsed();
    let _ = pty.send("\x04");
    let _ = pty.expect(expectrl::Eof);
    let _ = pty.get_process().wait();
    Some(took)
}

fn startup() {
    let mut runs: Vec<Duration> = (0..7).filter_map(|_| time_to_prompt()).collect();
    if runs.is_empty() {
        println!(
            "time to first prompt: could not run {}",
            env!("CARGO_BIN_EXE_connectql")
        );
        return;
    }
    runs.sort();
    println!(
        "time to first prompt (connectql --demo in a pty, {} runs): median {:.1} ms, min {:.1} ms, max {:.1} ms",
        runs.len(),
        runs[runs.len() / 2].as_secs_f64() * 1e3,
        runs[0].as_secs_f64() * 1e3,
        runs[runs.len() - 1].as_secs_f64() * 1e3
    );
}

fn main() {
    // `cargo test --benches` runs benches with `--bench`-less args; keep it quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let ok = completion_latency();
    if !quick {
        startup();
    }
    if !ok {
        std::process::exit(1);
    }
}
