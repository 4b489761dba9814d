//! Running a planned change: every write goes out through the generic
//! write mapping (`connect_api::write::send`), up to the executor's
//! concurrency at once and within Connect's rate (the pacer), and each
//! one's outcome is reported — nothing is retried blindly and nothing is
//! dropped. Calls on an item the change creates (an instance's other
//! attributes) follow its create, with the id it answered, once the new
//! item is ready. Whatever happens, the cache forgets what the change may
//! have touched.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use serde_json::{json, Map, Value};

use crate::catalog::{Scope, Table};
use crate::connect_api::read::{self, Target};
use crate::connect_api::{write, ApiError, ApiErrorKind, RegionClient};
use crate::engine::{Column, ResultSet, Weight};
use crate::executor::Executor;
use crate::sql::change::contents::{self, PlannedWrite, NEW};

/// How long calls on a new item wait for it to be ready (an instance takes
/// minutes to become ACTIVE).
const READY_WAIT: Duration = Duration::from_secs(15 * 60);

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

/// One write and what became of it (`None`: not sent, stopped before),
/// with the answer (a create's says the new item's id and ARN).
#[derive(Debug)]
pub struct WriteOutcome {
    pub write: PlannedWrite,
    pub result: Option<Result<Value, ApiError>>,
}

/// True for a call on an item the same change creates (not the create).
fn follows_create(table: &Table, w: &PlannedWrite) -> bool {
    w.item_arn.contains(NEW) && table.resource.writes.create.as_ref().map(|c| c.op) != Some(w.op)
}

/// The new item's (id, ARN) from its create's answer (`Id`/`Arn`,
/// `QueueId`/`QueueArn`…).
pub fn created_identity(answer: &Value) -> Option<(String, String)> {
    let map = answer.as_object()?;
    // `QueueArn`, but `PromptARN`, `QuickConnectARN`.
    let find = |suffix: &str| {
        map.iter()
            .find(|(k, v)| {
                k.to_ascii_lowercase()
                    .ends_with(&suffix.to_ascii_lowercase())
                    && k.as_str() != "InstanceId"
                    && v.is_string()
            })
            .and_then(|(_, v)| v.as_str())
            .map(str::to_string)
    };
    Some((find("Id")?, find("Arn")?))
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
    crate::catalog::REGION,
    "status",
    "error",
];

impl Executor {
    /// Sends the writes, concurrently within the pacer's rate; drops the
    /// cached answers of the table's resource in every instance touched.
    pub async fn run_writes(&self, table: &Table, writes: Vec<PlannedWrite>) -> Vec<WriteOutcome> {
        let _running = self.hold_writes();
        self.run_writes_of(table, writes, self.writes()).await
    }

    /// Marks writes as going out until the guard drops, across several
    /// runs (a copy's waves): a Ctrl-C between two runs asks them to stop
    /// ([`Executor::writes_stopped`]) rather than dropping the statement
    /// with calls already made unreported.
    pub fn hold_writes(&self) -> impl Drop + '_ {
        let switch = self.writes();
        switch.stop.store(false, Ordering::SeqCst);
        switch.running.store(true, Ordering::SeqCst);
        Running(switch)
    }

    /// True once a Ctrl-C asked the held writes to stop.
    pub fn writes_stopped(&self) -> bool {
        self.writes().stopped()
    }

    /// Sends several tables' writes together (a copy's wave: items of
    /// different kinds that need nothing of each other), each as
    /// [`Executor::run_writes`] does; one Ctrl-C stops them all. Within
    /// [`Executor::hold_writes`], the hold's switch is used as it is.
    pub async fn run_together(
        &self,
        groups: Vec<(&'static Table, Vec<PlannedWrite>)>,
    ) -> Vec<WriteOutcome> {
        let held = self.writes().running.load(Ordering::SeqCst);
        let _running = (!held).then(|| self.hold_writes());
        let runs = groups
            .into_iter()
            .map(|(table, writes)| self.run_writes_of(table, writes, self.writes()));
        futures::future::join_all(runs)
            .await
            .into_iter()
            .flatten()
            .collect()
    }

    async fn run_writes_of(
        &self,
        table: &Table,
        writes: Vec<PlannedWrite>,
        switch: &WriteSwitch,
    ) -> Vec<WriteOutcome> {
        let touched: Vec<(String, String)> = {
            let mut t: Vec<(String, String)> = writes
                .iter()
                .map(|w| (w.place.region.clone(), place_of(table, &w.item_arn)))
                .collect();
            t.sort();
            t.dedup();
            t
        };
        // Forgotten before and after: whatever the outcome (even a Ctrl-C
        // dropping this future), no cached answer predates the change.
        self.forget(table, &touched);
        let (later, now): (Vec<PlannedWrite>, Vec<PlannedWrite>) =
            writes.into_iter().partition(|w| follows_create(table, w));
        let mut outcomes = stream::iter(now)
            .map(|w| {
                async move {
                    // Stopped: what has not gone out is reported, not sent.
                    if switch.stopped() {
                        return WriteOutcome {
                            write: w,
                            result: None,
                        };
                    }
                    // With the target's own credentials: a profile that
                    // fails (no keys, an expired SSO token) fails its own
                    // items, naming it; the others go ahead.
                    let rc = self.pool().client_at(&w.place).await;
                    let result = write::send(&rc, w.op, &w.input)
                        .await
                        .map_err(|e| self.in_its_profile(e, &w.place));
                    WriteOutcome {
                        write: w,
                        result: Some(result),
                    }
                }
            })
            .buffered(self.concurrency())
            .collect::<Vec<_>>()
            .await;
        // A new item that becomes usable only later (an instance, ACTIVE
        // after minutes) is waited for, so the calls on it, RETURNING and
        // the next statement find it ready; a creation that failed is the
        // create's failure, with Connect's reason.
        let mut ready: Vec<(String, Result<Value, ApiError>)> = Vec::new();
        if table
            .resource
            .writes
            .each_key
            .is_some_and(|k| k.ready.is_some())
        {
            for o in outcomes.iter_mut() {
                let Some(Ok(answer)) = &o.result else {
                    continue;
                };
                if follows_create(table, &o.write) || !o.write.item_arn.contains(NEW) {
                    continue;
                }
                let rc = self.pool().client_at(&o.write.place).await;
                let state = self.await_ready(&rc, table, &o.write, answer).await;
                if let Err(e) = &state {
                    o.result = Some(Err(e.clone()));
                }
                ready.push((o.write.item_arn.clone(), state));
            }
        }
        // Calls on new items, one item after another, in plan order.
        for mut w in later {
            let create = outcomes
                .iter()
                .find(|o| o.write.item_arn == w.item_arn && !follows_create(table, &o.write))
                .and_then(|o| o.result.as_ref())
                .and_then(|r| r.as_ref().ok())
                .cloned();
            let (Some(answer), false) = (create, switch.stopped()) else {
                outcomes.push(WriteOutcome {
                    write: w,
                    result: None,
                });
                continue;
            };
            let rc = self.pool().client_at(&w.place).await;
            let known = ready
                .iter()
                .find(|(arn, _)| *arn == w.item_arn)
                .map(|(_, r)| r.clone());
            let state = match known {
                Some(state) => state,
                None => {
                    let state = self.await_ready(&rc, table, &w, &answer).await;
                    ready.push((w.item_arn.clone(), state.clone()));
                    state
                }
            };
            let result = match state {
                Ok(_) => {
                    fill_labels(table, &mut w, &answer);
                    write::send(&rc, w.op, &w.input)
                        .await
                        .map_err(|e| self.in_its_profile(e, &w.place))
                }
                Err(e) => Err(e),
            };
            outcomes.push(WriteOutcome {
                write: w,
                result: Some(result),
            });
        }
        self.forget(table, &touched);
        // New instances (and deleted ones) change the region's listing.
        if table.resource.scope != Scope::Instance {
            for o in &outcomes {
                if let Some(Ok(answer)) = &o.result {
                    if let Some((id, _)) = created_identity(answer) {
                        self.cache().invalidate_instance(&o.write.place.region, &id);
                    }
                    if matches!(table.resource.writes.delete, crate::catalog::writes::Deletion::By(op) if op == o.write.op)
                    {
                        let id = o.write.item_arn.rsplit('/').next().unwrap_or_default();
                        self.cache().forget_instance(&o.write.place.region, id);
                    }
                }
            }
        }
        outcomes
    }

    /// Waits until a new item takes further calls (its Describe shows it
    /// ready); answers its description, or why it never will be.
    async fn await_ready(
        &self,
        rc: &RegionClient,
        table: &Table,
        w: &PlannedWrite,
        answer: &Value,
    ) -> Result<Value, ApiError> {
        let r = table.resource;
        let ready = r.writes.each_key.and_then(|k| k.ready.as_ref());
        let (Some(ready), Some(describe)) = (ready, r.describe) else {
            return Ok(Value::Null);
        };
        let fail = |message: String| {
            let e = ApiError::new(w.op, &w.place.region, ApiErrorKind::Service, message);
            self.in_its_profile(e, &w.place)
        };
        let Some((id, arn)) = created_identity(answer) else {
            return Err(fail(
                "the create's answer has no id: the new item cannot be followed".into(),
            ));
        };
        let instance = in_instance_id(table, w);
        let started = Instant::now();
        let mut delay = Duration::from_millis(200);
        loop {
            let target = Target {
                instance: instance.as_deref(),
                item: Some(&id),
                variant: None,
            };
            match read::describe(rc, describe, target).await {
                Ok(d) if ready.ready.holds(&d) => return Ok(d),
                Ok(d) if ready.failed.holds(&d) => {
                    return Err(fail(format!(
                        "{arn} was created, but its creation failed: {}",
                        d.pointer(ready.reason)
                            .and_then(Value::as_str)
                            .unwrap_or("no reason given")
                    )))
                }
                // Not found yet: a new item may take a moment to appear.
                Ok(_) => {}
                Err(e) if e.kind == ApiErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            if started.elapsed() > READY_WAIT || self.writes().stopped() {
                return Err(fail(format!(
                    "{arn} was created but is not ready after {} s",
                    started.elapsed().as_secs()
                )));
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
        }
    }

    fn forget(&self, table: &Table, touched: &[(String, String)]) {
        for (region, place) in touched {
            if table.resource.scope == Scope::Instance {
                self.cache()
                    .invalidate_resource(region, place, table.resource);
            } else {
                // An instance: its own answers and the region's listing.
                self.cache().invalidate_instance_listing(region);
                if !place.is_empty() {
                    self.cache().invalidate_instance(region, place);
                }
            }
        }
    }
}

/// The instance a new item is created in (its create's `InstanceId`).
fn in_instance_id(table: &Table, w: &PlannedWrite) -> Option<String> {
    (table.resource.scope == Scope::Instance)
        .then(|| instance_of(&w.item_arn))
        .filter(|i| !i.is_empty())
}

/// Puts the new item's id (and its instance's) into a follow-up call's URI
/// labels.
fn fill_labels(table: &Table, w: &mut PlannedWrite, answer: &Value) {
    let Some((id, _)) = created_identity(answer) else {
        return;
    };
    let instance = in_instance_id(table, w);
    let Value::Object(input) = &mut w.input else {
        return;
    };
    let mut labels = Map::new();
    for label in contents::uri_labels(w.op) {
        let value = match (label, &instance) {
            ("InstanceId", Some(i)) => i.clone(),
            _ => id.clone(),
        };
        labels.insert(label.to_string(), Value::String(value));
    }
    for (k, v) in labels {
        input.entry(k).or_insert(v);
    }
    if let Some((_, arn)) = created_identity(answer) {
        w.item_arn = arn;
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

/// Where a change's answers are cached: an item's instance; for an
/// instance itself its id (empty for one being created).
fn place_of(table: &Table, arn: &str) -> String {
    if table.resource.scope != Scope::Instance && arn.contains(NEW) {
        return String::new();
    }
    instance_of(arn)
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
    // Targets in several places: the place tells rows of one name apart,
    // so a narrow terminal cuts it rather than hiding it.
    let places = outcomes
        .first()
        .is_some_and(|first| outcomes.iter().any(|o| o.write.place != first.write.place));
    let rows = outcomes
        .iter()
        .map(|o| {
            let w = &o.write;
            let (status, error) = match &o.result {
                None => (unsent.to_string(), Value::Null),
                Some(Ok(_)) => ("applied".to_string(), Value::Null),
                Some(Err(e)) => ("failed".to_string(), json!(e.to_string())),
            };
            vec![
                json!(w.item),
                json!(w.property),
                w.before.clone(),
                w.after.clone(),
                json!(w.op.name()),
                // The target's place: with its profile when the statement
                // chose profiles.
                json!(w.place.to_string()),
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
                // values and the outcome cut rather than hidden, the values
                // hidden before the status; the call, the region and an
                // error column with no error go first.
                weight: match *n {
                    "item" | "property" => Weight::Name,
                    "status" => Weight::Outcome,
                    "after" => Weight::Asked,
                    "error" if failed => Weight::Outcome,
                    crate::catalog::REGION if places => Weight::Outcome,
                    "before" => Weight::Asked,
                    _ => Weight::Detail,
                },
            })
            .collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Op;
    use crate::connect_api::Place;

    fn outcome(profile: Option<&str>) -> WriteOutcome {
        WriteOutcome {
            write: PlannedWrite {
                place: Place::new(profile, "us-east-1"),
                item: "Billing".into(),
                item_arn: String::new(),
                property: "description".into(),
                before: json!("old"),
                after: json!("new"),
                op: Op::UpdateQueueName,
                input: json!({}),
            },
            result: None,
        }
    }

    fn place_weight(outcomes: &[WriteOutcome]) -> Weight {
        let rs = result_set(outcomes);
        rs.columns
            .iter()
            .find(|c| c.name == crate::catalog::REGION)
            .unwrap()
            .weight
    }

    /// Two targets of one name in two accounts read alike without their
    /// place: a narrow terminal then cuts the place rather than hiding it.
    #[test]
    fn the_place_stays_when_targets_span_places() {
        assert_eq!(
            place_weight(&[outcome(None), outcome(None)]),
            Weight::Detail
        );
        assert_eq!(
            place_weight(&[outcome(Some("dev")), outcome(Some("prod"))]),
            Weight::Outcome
        );
    }
}
