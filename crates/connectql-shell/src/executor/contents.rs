//! Running a planned change of an instance's contents: every write goes out
//! through the generic write mapping (`connect_api::write::send`), up to the
//! executor's concurrency at once and within Connect's rate (the pacer),
//! and each one's outcome is reported — nothing is retried blindly and
//! nothing is dropped. Whatever happens, the cache forgets what the change
//! may have touched.

use std::sync::atomic::{AtomicBool, Ordering};

use futures::stream::{self, StreamExt};
use serde_json::{json, Value};

use crate::catalog::Table;
use crate::connect_api::{write, ApiError};
use crate::engine::{Column, ResultSet, Weight};
use crate::executor::Executor;
use crate::sql::change::contents::PlannedWrite;

/// Whether a change's writes are going out, and the request to stop them:
/// the shell's Ctrl-C stops sending, lets the calls in flight finish and
/// gets the per-item report, instead of dropping calls whose fate would
/// then be unknown.
#[derive(Debug, Default)]
pub struct WriteSwitch {
    running: AtomicBool,
    stop: AtomicBool,
}

impl WriteSwitch {
    /// True while writes are going out.
    pub fn running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }
    /// Asks the running writes to stop after the calls in flight.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// Clears the switch whatever way the writes end.
struct Running<'a>(&'a WriteSwitch);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.store(false, Ordering::SeqCst);
        self.0.stop.store(false, Ordering::SeqCst);
    }
}

/// One write and what became of it (`None`: not sent, stopped before).
#[derive(Debug)]
pub struct WriteOutcome {
    pub write: PlannedWrite,
    pub result: Option<Result<(), ApiError>>,
}

/// The columns of a change's plan and of its result: what changes first,
/// then how (their weights below decide what a narrow terminal cuts and
/// hides).
const COLUMNS: [&str; 8] = [
    "item",
    "property",
    "before",
    "after",
    "operation",
    "region",
    "status",
    "error",
];

impl Executor {
    /// Sends the writes, concurrently within the pacer's rate; drops the
    /// cached answers of the table's resource in every instance touched.
    pub async fn run_writes(&self, table: &Table, writes: Vec<PlannedWrite>) -> Vec<WriteOutcome> {
        let touched: Vec<(String, String)> = {
            let mut t: Vec<(String, String)> = writes
                .iter()
                .map(|w| (w.region.clone(), instance_of(&w.item_arn)))
                .collect();
            t.sort();
            t.dedup();
            t
        };
        // Forgotten before and after: whatever the outcome (even a Ctrl-C
        // dropping this future), no cached answer predates the change.
        self.forget(table, &touched);
        let switch = self.writes().clone();
        switch.stop.store(false, Ordering::SeqCst);
        switch.running.store(true, Ordering::SeqCst);
        let _running = Running(&switch);
        let outcomes = stream::iter(writes)
            .map(|w| {
                let switch = &switch;
                async move {
                    // Stopped: what has not gone out is reported, not sent.
                    if switch.stopped() {
                        return WriteOutcome {
                            write: w,
                            result: None,
                        };
                    }
                    let rc = self.pool().client(&w.region).await;
                    let result = write::send(&rc, w.op, &w.input).await.map(|_| ());
                    WriteOutcome {
                        write: w,
                        result: Some(result),
                    }
                }
            })
            .buffered(self.concurrency())
            .collect::<Vec<_>>()
            .await;
        self.forget(table, &touched);
        outcomes
    }

    fn forget(&self, table: &Table, touched: &[(String, String)]) {
        for (region, instance) in touched {
            self.cache()
                .invalidate_resource(region, instance, table.resource);
        }
    }
}

/// The instance id inside an item's ARN (`…:instance/<id>/queue/<id>`).
fn instance_of(arn: &str) -> String {
    arn.split("instance/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("")
        .to_string()
}

/// A change's plan (status "planned") or its result, one row per call
/// (`not sent` after a stop).
pub fn result_set(outcomes: &[WriteOutcome]) -> ResultSet {
    result_set_with(outcomes, "planned")
}

/// The result of writes that ran: calls not made say `not sent`.
pub fn result_of_run(outcomes: &[WriteOutcome]) -> ResultSet {
    result_set_with(outcomes, "not sent")
}

fn result_set_with(outcomes: &[WriteOutcome], unsent: &str) -> ResultSet {
    let failed = outcomes.iter().any(|o| matches!(o.result, Some(Err(_))));
    let rows = outcomes
        .iter()
        .map(|o| {
            let w = &o.write;
            let (status, error) = match &o.result {
                None => (unsent.to_string(), Value::Null),
                Some(Ok(())) => ("applied".to_string(), Value::Null),
                Some(Err(e)) => ("failed".to_string(), json!(e.to_string())),
            };
            vec![
                json!(w.item),
                json!(w.property),
                w.before.clone(),
                w.after.clone(),
                json!(w.op.name()),
                json!(w.region),
                json!(status),
                error,
            ]
        })
        .collect();
    ResultSet {
        columns: COLUMNS
            .iter()
            .map(|n| Column {
                name: n.to_string(),
                json: matches!(*n, "before" | "after"),
                // In a narrow terminal: which item and property whole; the
                // values and the outcome cut rather than hidden; the call,
                // the region and an error column with no error go first.
                weight: match *n {
                    "item" | "property" => Weight::Name,
                    "after" | "status" => Weight::Outcome,
                    "error" if failed => Weight::Outcome,
                    "before" => Weight::Asked,
                    _ => Weight::Detail,
                },
            })
            .collect(),
        rows,
    }
}
