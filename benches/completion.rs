//! Shell responsiveness: completion latency and time to the first prompt.
//!
//! `cargo bench --bench completion` prints
//! * completion latency (p50, p99, max) over a few thousand calls at every
//!   cursor position of a set of realistic statements over every kind of
//!   resource and of statements across profiles, with a session that has seen
//!   ten profiles, 60 instances in their 30 places (profile × region) and 5,000
//!   users in each place, 150,000 usernames in all (target: p99 < 1 ms);
//! * the time from starting `connectql --demo` in a pseudo-terminal to its
//!   first `connectql> ` prompt (median of several runs).

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use connectql::executor::{SeenInstance, SessionCache};
use connectql::repl::completer::complete;

const STATEMENTS: [&str; 23] = [
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
    // Across profiles: profile strings, the place columns, usernames of 30 places.
    "SELECT u.profile, u.account_id, u.region, u.instance_alias, u.username FROM aws.connect.users u WHERE u.profile IN ('prod', 'sales-prod', 'support-prod') AND u.region IN ('us-east-1', 'eu-west-2') AND u.username = 'agent-0042.sales-prod.eu-west-2';",
    "SELECT profile, account_id, region, instance_alias, instance_status FROM aws.connect.instances WHERE profile IN ('dev', 'staging', 'prod', 'prod-replica') AND region IN ('us-east-1', 'eu-west-2', 'ap-southeast-2') ORDER BY profile, region;",
    "SELECT q.profile, q.account_id, q.name FROM aws.connect.queues q WHERE q.profile = 'support-dev' AND q.data__InstanceId = 'team-17' AND q.account_id = '100000000007';",
    "SELECT d.username FROM aws.connect.users d WHERE d.profile = 'staging' AND d.region = 'eu-west-2' AND d.username IN ('agent-0001.staging.eu-west-2', 'agent-4999.staging.eu-west-2') AND d.username NOT IN (SELECT p.username FROM aws.connect.users p WHERE p.profile = 'prod');",
    "UPDATE aws.connect.users SET routing_profile_arn = 'arn' WHERE profile = 'sandbox' AND region = 'ap-southeast-2' AND username = 'agent-2500.sandbox.ap-southeast-2';",
];

/// The profiles of the session (ten accounts, one profile each).
const PROFILES: [&str; 10] = [
    "dev",
    "staging",
    "prod",
    "prod-replica",
    "sales-dev",
    "sales-prod",
    "support-dev",
    "support-prod",
    "data",
    "sandbox",
];
const REGIONS: [&str; 3] = ["us-east-1", "eu-west-2", "ap-southeast-2"];
/// Users seen in each place (profile × region).
const USERS_PER_PLACE: usize = 5000;

/// Two instances in each of the 30 places, each account's ARNs its own.
fn seen() -> Vec<SeenInstance> {
    (0..60)
        .map(|i| {
            let region = REGIONS[i % REGIONS.len()];
            let account = 100_000_000_000u64 + (i / 6) as u64;
            let id = format!("{i:08x}-3c6e-4b9f-a0d4-e7b2c5f8913d");
            SeenInstance {
                region: region.to_string(),
                arn: Some(format!("arn:aws:connect:{region}:{account}:instance/{id}")),
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

/// A session cache that has seen the profiles, the instances and 5,000
/// users in each place (usernames differ from place to place: 150,000).
fn session() -> SessionCache {
    let cache = SessionCache::new(true);
    cache.see_names(connectql::catalog::PROFILE, PROFILES);
    for i in seen() {
        cache.see_instance(i);
    }
    for profile in PROFILES {
        for region in REGIONS {
            let users: Vec<String> = (0..USERS_PER_PLACE)
                .map(|i| format!("agent-{i:04}.{profile}.{region}"))
                .collect();
            cache.see_names("user", users.iter().map(String::as_str));
        }
    }
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
    // The slowest call and where it was.
    let mut slowest = (Duration::ZERO, 0);
    for _ in 0..rounds {
        for (at, (s, p)) in positions.iter().enumerate() {
            let t = Instant::now();
            let (_, c) = black_box(complete(black_box(s), black_box(*p), &seen));
            let took = t.elapsed();
            samples.push(took);
            slowest = slowest.max((took, at));
            offered += c.len();
        }
    }
    samples.sort();
    let (s, p) = positions[slowest.1];
    println!(
        "slowest: {:.1} µs with the cursor at `{}|`",
        micros(slowest.0),
        &s[s.len().min(p).saturating_sub(50)..p]
    );
    let p99 = percentile(&samples, 0.99);
    println!(
        "completion: {} calls at {} cursor positions of {} statements, {} profiles, {} seen instances and {} seen users ({} candidates in all)",
        samples.len(),
        positions.len(),
        STATEMENTS.len(),
        seen.seen_names(connectql::catalog::PROFILE).len(),
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
