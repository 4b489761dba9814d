//! Shell responsiveness: completion latency and time to the first prompt.
//!
//! `cargo bench --bench completion` prints
//! * completion latency (p50, p99, max) over a few thousand calls at every
//!   cursor position of a set of realistic statements over every kind of
//!   resource, with a session that has seen 60 instances and 5,000 users
//!   (target: p99 < 1 ms);
//! * the time from starting `connectql --demo` in a pseudo-terminal to its
//!   first `connectql> ` prompt (median of several runs).

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use connectql::executor::{SeenInstance, SessionCache};
use connectql::repl::completer::complete;

const STATEMENTS: [&str; 18] = [
    "SELECT username, routing_profile_arn, identity_info ->> '$.Email' FROM aws.connect.users WHERE region = 'us-east-1' AND data__InstanceId = 'team-03' AND username = 'agent-0042';",
    "SELECT u.username, r.name FROM aws.connect.users u JOIN aws.connect.routing_profiles r ON u.routing_profile_arn = r.routing_profile_arn WHERE u.region = 'us-east-1' AND u.data__InstanceId = 'team-00' AND u.username LIKE 'agent-1%';",
    "SELECT * FROM aws.connect.user WHERE region = 'eu-west-2' AND data__InstanceId = 'team-01' AND data__Identifier = 'agent-4999';",
    "SELECT q.name, h.name, json_extract(h.config, '$[0].Day') FROM aws.connect.queues q JOIN aws.connect.hours_of_operations h ON q.hours_of_operation_arn = h.hours_of_operation_arn WHERE q.region = 'us-east-1';",
    "SELECT name, content FROM aws.connect.contact_flows f, json_tree(f.content) t WHERE f.region = 'us-east-1' AND t.key = 'QueueId';",
    "SELECT address, contact_flow_arn FROM aws.connect.phone_numbers WHERE region IN ('us-east-1', 'eu-west-2');",
    "SELECT security_profile_name, permissions FROM aws.connect.security_profiles WHERE region = 'us-east-1' AND security_profile_name LIKE 'Admin%';",
    "SELECT instance_arn, resource_type, s3_config ->> '$.BucketName' FROM aws.connect.instance_storage_configs WHERE region = 'ap-southeast-2';",
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

/// A session cache that has seen the instances and 5,000 usernames.
fn session() -> SessionCache {
    let cache = SessionCache::new(true);
    for i in seen() {
        cache.see_instance(i);
    }
    let users: Vec<String> = (0..5000).map(|i| format!("agent-{i:04}")).collect();
    cache.see_names("user", users.iter().map(String::as_str));
    cache
}

fn completion_latency() -> bool {
    let seen = session();
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
        "completion: {} calls at {} cursor positions of {} statements, {} seen instances and {} seen users ({} candidates in all)",
        samples.len(),
        positions.len(),
        STATEMENTS.len(),
        seen.seen_instances().len(),
        seen.seen_names("user").len(),
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
