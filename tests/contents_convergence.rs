//! Bulk changes under faults converge. Generated UPDATE, INSERT and DELETE
//! statements run against an endpoint that fails calls — 500s before a
//! change, and answers lost after the change took effect — and are run
//! again until one run succeeds. Then every target is as the statement
//! says, nothing outside the WHERE clause (or in another instance) changed,
//! nothing was created twice, and one more run makes no write call.

mod common;
#[path = "common/statements.rs"]
mod statements;

use std::collections::{BTreeMap, BTreeSet};

use common::{run, Emulator};
use serde_json::{json, Value};
use statements::writes;

const ACME: &str = "region = 'us-east-1' AND data__InstanceId = 'acme-support'";
/// Runs before giving up on the faults (then one more without them).
const TRIES: usize = 8;

/// A small deterministic generator (xorshift), so a failing case is
/// reproduced by its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// The rows of a SELECT (fresh: every process starts with an empty cache).
fn rows(emu: &Emulator, sql: &str) -> Vec<Value> {
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "-o", "json", "-e", sql]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{sql}: {stderr}");
    match serde_json::from_str(&stdout) {
        Ok(Value::Array(rows)) => rows,
        _ => panic!("{sql}: not a JSON array: {stdout}"),
    }
}

/// Every queue of the two us-east-1 instances, by (instance, name).
fn queues(emu: &Emulator) -> BTreeMap<(String, String), Value> {
    rows(
        emu,
        "SELECT instance_arn, name, max_contacts, status, description FROM aws.connect.queues \
         WHERE region = 'us-east-1' AND data__InstanceId IN ('acme-support', 'acme-sales')",
    )
    .into_iter()
    .map(|r| {
        let key = (
            r["instance_arn"].as_str().unwrap_or_default().to_string(),
            r["name"].as_str().unwrap_or_default().to_string(),
        );
        (key, r)
    })
    .collect()
}

/// Runs a change with `--yes`; (succeeded, stdout, stderr).
fn change(emu: &Emulator, sql: &str, attempts: u64) -> (bool, String, String) {
    let mut c = emu.connectql();
    c.args([
        "--region",
        "us-east-1",
        "--yes",
        "-o",
        "json",
        "--max-attempts",
        &attempts.to_string(),
        "-e",
        sql,
    ]);
    run(c)
}

/// Faults for one case: 500s before a change, and changes whose answer is
/// lost (an error or a dropped connection) after they took effect.
fn faults(rng: &mut Rng) -> Value {
    json!({
        "error_rate": *rng.pick(&[0.0, 0.1, 0.2]),
        "apply_then_fail": {
            "mode": *rng.pick(&["error", "drop"]),
            "rate": *rng.pick(&[0.3, 0.5, 1.0]),
        },
    })
}

fn clear_faults(emu: &Emulator) {
    emu.post(
        "/_emulator/faults",
        json!({"error_rate": 0.0, "apply_then_fail": null}),
    );
}

/// Runs `sql` under `fault` until a run succeeds (at most TRIES), then, if
/// none did, once more without faults: a change re-run after a failure
/// finishes the job.
fn run_until_done(emu: &Emulator, rng: &mut Rng, sql: &str, fault: Value) -> Vec<String> {
    emu.post("/_emulator/faults", fault);
    let mut failures = Vec::new();
    let mut done = false;
    for _ in 0..TRIES {
        let (ok, stdout, stderr) = change(emu, sql, 1 + rng.below(3));
        if ok {
            done = true;
            break;
        }
        failures.push(format!("{stdout}{stderr}"));
    }
    clear_faults(emu);
    if !done {
        let (ok, stdout, stderr) = change(emu, sql, 3);
        assert!(ok, "{sql}: fails without faults: {stdout}{stderr}");
    }
    failures
}

/// A predicate over acme-support's queues, from a few atoms.
fn predicate(rng: &mut Rng) -> String {
    const ATOMS: &[&str] = &[
        "name LIKE 'B%'",
        "name LIKE '%Support%'",
        "name LIKE '%s'",
        "status = 'ENABLED'",
        "description IS NULL",
        "name IN ('Billing', 'BasicQueue', 'Escalations')",
        "max_contacts > 20",
        "max_contacts IS NULL",
        "length(name) < 9",
    ];
    let a = *rng.pick(ATOMS);
    let b = *rng.pick(ATOMS);
    match rng.below(4) {
        0 => a.to_string(),
        1 => format!("({a} OR {b})"),
        2 => format!("{a} AND NOT {b}"),
        _ => format!("({a} AND {b})"),
    }
}

/// SET clauses and the values they leave in the JSON rows.
fn assignments(rng: &mut Rng, seed: u64) -> (String, Vec<(&'static str, Value)>) {
    let mut sets = Vec::new();
    let mut wanted = Vec::new();
    if rng.below(2) == 0 {
        let n = 1 + rng.below(40);
        sets.push(format!("max_contacts = {n}"));
        wanted.push(("max_contacts", json!(n)));
    }
    if rng.below(2) == 0 {
        let status = *rng.pick(&["ENABLED", "DISABLED"]);
        sets.push(format!("status = '{status}'"));
        wanted.push(("status", json!(status)));
    }
    if sets.is_empty() || rng.below(2) == 0 {
        let text = format!("generated {seed}");
        sets.push(format!("description = '{text}'"));
        wanted.push(("description", json!(text)));
    }
    (sets.join(", "), wanted)
}

#[test]
fn generated_updates_under_faults_converge_within_their_where() {
    let mut failed_runs = 0;
    for seed in 1..=8u64 {
        // A fresh endpoint per case: the demo as it starts.
        let emu = Emulator::start(&["--demo-data"]);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let case = predicate(&mut rng);
        let (sets, wanted) = assignments(&mut rng, seed);
        let where_ = format!("{ACME} AND type = 'STANDARD' AND {case}");
        let targets: BTreeSet<String> = rows(
            &emu,
            &format!("SELECT name FROM aws.connect.queues WHERE {where_}"),
        )
        .iter()
        .filter_map(|r| r["name"].as_str().map(String::from))
        .collect();
        let before = queues(&emu);
        let update = format!("UPDATE aws.connect.queues SET {sets} WHERE {where_}");
        let fault = faults(&mut rng);
        let failures = run_until_done(&emu, &mut rng, &update, fault.clone());
        failed_runs += failures.len();

        let after = queues(&emu);
        let context = format!(
            "seed {seed}: {update}\nfaults {fault}\nfailed runs: {}",
            failures.len()
        );
        assert_eq!(
            after.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>(),
            "{context}: no queue appears or disappears"
        );
        for (key, row) in &after {
            let acme_support = key.0.contains("7c3a1f0e");
            if acme_support && targets.contains(&key.1) {
                for (field, value) in &wanted {
                    assert_eq!(&row[*field], value, "{context}: {} {field}", key.1);
                }
            } else {
                assert_eq!(row, &before[key], "{context}: outside the WHERE clause");
            }
        }
        // Converged: the same statement makes no write call.
        let calls = writes(&emu);
        let (ok, stdout, stderr) = change(&emu, &update, 3);
        assert!(
            ok && stderr.contains("nothing to change"),
            "{context}: {stdout}{stderr}"
        );
        assert_eq!(writes(&emu), calls, "{context}: a converged run wrote");
    }
    // The faults did their part: some runs failed part-way and were re-run.
    assert!(
        failed_runs > 0,
        "no run failed: the faults were not exercised"
    );
}

#[test]
fn generated_inserts_and_deletes_under_faults_create_once_and_converge() {
    let mut failed_runs = 0;
    for seed in 1..=3u64 {
        let emu = Emulator::start(&["--demo-data"]);
        let mut rng = Rng(0xD1B5_4A32_D192_ED03 ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let n = 2 + rng.below(4);
        let names: Vec<String> = (0..n).map(|i| format!("Generated {seed}-{i}")).collect();
        let values = names
            .iter()
            .map(|name| {
                format!(
                    "('{name}', 'made under faults', 'Basic Hours', {}, 'us-east-1', 'acme-support')",
                    1 + rng.below(20)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let insert = format!(
            "INSERT INTO aws.connect.queues (name, description, hours_of_operation_arn, \
             max_contacts, region, data__InstanceId) VALUES {values}"
        );
        let before = queues(&emu);
        let fault = faults(&mut rng);
        let failures = run_until_done(&emu, &mut rng, &insert, fault.clone());
        failed_runs += failures.len();
        let context = format!(
            "seed {seed}: {insert}\nfaults {fault}\nfailed runs: {}",
            failures.len()
        );

        // Each name exists exactly once, and nothing else changed.
        let after = queues(&emu);
        let named: Vec<&String> = after.keys().map(|(_, name)| name).collect();
        for name in &names {
            assert_eq!(
                named.iter().filter(|n| **n == name).count(),
                1,
                "{context}: {name} created once"
            );
        }
        for (key, row) in &before {
            assert_eq!(&after[key], row, "{context}: an existing queue changed");
        }
        assert_eq!(after.len(), before.len() + names.len(), "{context}");
        let calls = writes(&emu);
        let (ok, stdout, stderr) = change(&emu, &insert, 3);
        assert!(
            ok && stderr.contains("nothing to create"),
            "{context}: {stdout}{stderr}"
        );
        assert_eq!(writes(&emu), calls, "{context}: a converged INSERT wrote");

        // Delete them again under faults: gone, the rest untouched.
        let delete = format!(
            "DELETE FROM aws.connect.queues WHERE {ACME} AND name LIKE 'Generated {seed}-%'"
        );
        let fault = faults(&mut rng);
        failed_runs += run_until_done(&emu, &mut rng, &delete, fault.clone()).len();
        let gone = queues(&emu);
        assert_eq!(gone, before, "seed {seed}: {delete} under {fault}");
        let calls = writes(&emu);
        let (ok, stdout, stderr) = change(&emu, &delete, 3);
        assert!(
            ok && stderr.contains("nothing to change"),
            "seed {seed}: {stdout}{stderr}"
        );
        assert_eq!(writes(&emu), calls, "seed {seed}: a converged DELETE wrote");
    }
    assert!(
        failed_runs > 0,
        "no run failed: the faults were not exercised"
    );
}
