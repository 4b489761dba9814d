//! Running changes against the local endpoint and counting what they
//! sent: the helpers of the change cross-checks and the README's tasks.
#![allow(dead_code)]

use serde_json::Value;

use crate::common::{query_json, run, Emulator};

pub const REGION: &str = "us-east-1";

/// The one row a SELECT answers.
pub fn one(emu: &Emulator, sql: &str) -> Value {
    let (ok, values, stderr) = query_json(emu, Some(REGION), &[sql]);
    assert!(ok, "{sql}: {stderr}");
    let rows = values[0].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{sql}: {rows:?}");
    rows[0].clone()
}

/// Write calls the endpoint counted (every operation not a read).
pub fn writes(emu: &Emulator) -> u64 {
    write_count(&emu.stats()["calls"])
}

/// Write calls one account answered.
pub fn writes_in(emu: &Emulator, account: &str) -> u64 {
    write_count(&emu.stats()["calls_by_account"][account])
}

/// The calls of a count by operation that are not reads.
fn write_count(calls: &Value) -> u64 {
    calls
        .as_object()
        .map(|calls| {
            calls
                .iter()
                .filter(|(op, _)| {
                    !["List", "Describe", "Search", "Get"]
                        .iter()
                        .any(|p| op.starts_with(p))
                })
                .filter_map(|(_, n)| n.as_u64())
                .sum()
        })
        .unwrap_or(0)
}

/// Runs one change with `--yes`: every call it reports applied; its rows
/// (item, property, operation...).
pub fn change(emu: &Emulator, sql: &str) -> Vec<Value> {
    let mut c = emu.connectql();
    c.args(["--region", REGION, "-o", "json", "--yes", "-e", sql]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{sql}: {stderr}\n{stdout}");
    let rows: Vec<Value> = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{sql}: not JSON ({e}): {stdout}\n{stderr}"));
    assert!(!rows.is_empty(), "{sql}: no call was made ({stderr})");
    for r in &rows {
        assert_eq!(r["status"], "applied", "{sql}: {r}");
    }
    rows
}

/// Runs a change again: it finds nothing left to do and makes no write
/// call (what connectql reads back is what it wrote).
pub fn converged(emu: &Emulator, sql: &str) {
    let before = writes(emu);
    let mut c = emu.connectql();
    c.args(["--region", REGION, "-o", "json", "--yes", "-e", sql]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{sql} (again): {stderr}");
    // The notice is on stdout or stderr, as the output format has it.
    let said = format!("{stdout}{stderr}");
    assert!(
        said.starts_with("nothing to change") || said.starts_with("nothing to create"),
        "{sql} (again): {said}"
    );
    assert_eq!(writes(emu), before, "{sql} (again) made write calls");
}
