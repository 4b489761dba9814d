//! A deadline that fits the work: how long a statement's calls take at
//! Connect's documented rates, and the statement's budget of calls.
//!
//! Connect limits each operation per account and region with a token
//! bucket (`burst` calls at once, refilled at `per_second`; the operation
//! table has each operation's default). The calls of one lane (region and
//! operation) queue behind their bucket; lanes run in parallel. So the
//! expected time of a set of calls is the longest lane's
//! ([`expected_time`]).
//!
//! Per-item calls (a Describe per item, a sub-listing per item) are known
//! once a listing page has arrived. Before a page's per-item calls start,
//! [`CallBudget::admit`] adds them to the statement's plan; when the plan
//! cannot finish before the statement's deadline at Connect's rate, the
//! statement is refused with the numbers ([`Refusal`]) instead of failing
//! at the deadline after minutes of calls. The estimator is separate from
//! reads so that writes can use it for their planned calls too.

use std::fmt;
use std::sync::Mutex;
use std::task::Poll;
use std::time::{Duration, Instant};

use futures::stream::{self, Stream, StreamExt};
use serde_json::Value;
use tokio::sync::Notify;

use crate::catalog::operations::Rate;
use crate::catalog::{Op, ResourceType, RowContext, Source};
use crate::sql::calls::Base;
use crate::sql::planner::SourceSpec;

use super::cache::{Key, SessionCache};

/// Where calls queue behind one token bucket. (Per account too, once
/// statements span accounts.)
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lane {
    pub region: String,
    pub op: Op,
}

/// A number of calls in one lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCalls {
    pub lane: Lane,
    pub count: u64,
}

/// The time a bucket with `rate`, full at the start, needs to let `count`
/// calls through: the burst goes at once, the rest at the refill rate.
pub fn lane_time(rate: Rate, count: u64) -> Duration {
    let waiting = count.saturating_sub(u64::from(rate.burst));
    if waiting == 0 {
        return Duration::ZERO;
    }
    // Zero, negative or NaN: the bucket never refills.
    if rate.per_second.is_nan() || rate.per_second <= 0.0 {
        return Duration::MAX;
    }
    Duration::try_from_secs_f64(waiting as f64 / rate.per_second).unwrap_or(Duration::MAX)
}

/// The expected time of all these calls at each operation's documented
/// rate: the same lane listed twice is one queue, lanes run in parallel.
pub fn expected_time(calls: &[PlannedCalls]) -> Duration {
    let mut lanes: Vec<(&Lane, u64)> = Vec::new();
    for c in calls {
        match lanes.iter_mut().find(|(l, _)| *l == &c.lane) {
            Some((_, n)) => *n = n.saturating_add(c.count),
            None => lanes.push((&c.lane, c.count)),
        }
    }
    lanes
        .into_iter()
        .map(|(lane, n)| lane_time(lane.op.def().rate, n))
        .max()
        .unwrap_or(Duration::ZERO)
}

/// The calls of one lane a statement has planned so far.
#[derive(Debug, Clone)]
struct LaneState {
    lane: Lane,
    planned: u64,
    /// When the first of them was planned: the bucket starts there.
    since: Instant,
    /// The resource they are made for (one call per item of it).
    resource: &'static ResourceType,
    /// The listing that planned them has more pages to come.
    more_to_come: bool,
}

impl LaneState {
    /// When the bucket lets the last planned call through.
    fn done_at(&self) -> Option<Instant> {
        self.since
            .checked_add(lane_time(self.lane.op.def().rate, self.planned))
    }
}

/// A statement deadline: `--timeout` from when the statement started.
#[derive(Debug, Clone, Copy)]
struct Deadline {
    started: Instant,
    limit: Duration,
}

impl Deadline {
    fn at(&self) -> Option<Instant> {
        self.started.checked_add(self.limit)
    }
}

/// One lane of a refused statement: what it needed.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneNeed {
    pub lane: Lane,
    pub calls: u64,
    /// More pages were still to come: at least that many.
    pub at_least: bool,
    /// The item each call is for (`user`).
    pub per: String,
    /// The time these calls take at the documented rate.
    pub time: Duration,
}

/// A statement whose calls cannot finish before its deadline at Connect's
/// documented rate; refused before those calls.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// The lanes that do not fit, slowest first.
    pub lanes: Vec<LaneNeed>,
    /// `--timeout`.
    pub limit: Duration,
    /// Spent (listing) before the slowest lane's calls could start.
    pub spent: Duration,
    /// Fields Connect filters on for the slowest lane's resource.
    pub pushed_down: Vec<&'static str>,
}

impl Refusal {
    /// The `--timeout` to suggest: a round number above what is needed.
    pub fn suggested_timeout(&self) -> u64 {
        let slowest = self.lanes.first().map(|l| l.time).unwrap_or_default();
        let needed = (self.spent.saturating_add(slowest)).as_secs_f64() * 1.1 + 5.0;
        const ROUND: [u64; 9] = [60, 120, 180, 300, 600, 900, 1200, 1800, 3600];
        ROUND
            .iter()
            .copied()
            .find(|&s| s as f64 >= needed)
            .unwrap_or_else(|| {
                let hours = (needed / 3600.0).ceil();
                if hours.is_finite() && hours < 1e6 {
                    hours as u64 * 3600
                } else {
                    1_000_000 * 3600
                }
            })
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(slowest) = self.lanes.first() else {
            return write!(f, "this statement needs more time than --timeout allows");
        };
        // The three slowest lanes; the others are counted.
        const SHOWN: usize = 3;
        let mut needs: Vec<String> = self
            .lanes
            .iter()
            .take(SHOWN)
            .map(|l| {
                format!(
                    "{}{} {} call{} in {} (one per {} left after filtering{})",
                    if l.at_least { "at least " } else { "" },
                    l.calls,
                    l.lane.op.name(),
                    if l.calls == 1 { "" } else { "s" },
                    l.lane.region,
                    l.per,
                    if l.at_least {
                        ", and the listing goes on"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        if self.lanes.len() > SHOWN {
            let rest = self.lanes.len() - SHOWN;
            needs.push(format!(
                "the calls of {rest} more operation{} or region{}",
                if rest == 1 { "" } else { "s" },
                if rest == 1 { "" } else { "s" },
            ));
        }
        write!(
            f,
            "this statement needs {} — about {} at Connect's default rate of {}, more than --timeout {} allows",
            needs.join(" and "),
            duration_text(slowest.time),
            rate_text(slowest.lane.op.def().rate),
            duration_text(self.limit),
        )?;
        if self.spent >= Duration::from_secs(1) {
            write!(f, " after the {} spent listing", duration_text(self.spent))?;
        }
        let seconds = self.suggested_timeout();
        let more = if slowest.at_least { " or more" } else { "" };
        write!(
            f,
            ". Raise the limit (--timeout {seconds}{more}, or .timeout {seconds} in the shell) or narrow the WHERE"
        )?;
        match self.pushed_down.as_slice() {
            [] => write!(f, " to fewer instances or regions")?,
            [one] => write!(f, " ({one} is pushed down to Connect)")?,
            [a, b] => write!(f, " ({a} and {b} are pushed down to Connect)")?,
            [a, b, ..] => write!(f, " ({a}, {b}, … are pushed down to Connect)")?,
        }
        write!(
            f,
            ". If this account's Connect quotas were raised, the calls go faster than this estimate and a smaller --timeout may do."
        )
    }
}

/// `4 min 8 s`, `30 s`, `2 h 5 min`: whole seconds, rounded.
pub fn duration_text(d: Duration) -> String {
    if d == Duration::MAX {
        return "forever".into();
    }
    let s = d.as_secs() + u64::from(d.subsec_millis() >= 500);
    match s {
        0..60 => format!("{s} s"),
        60..3600 if s.is_multiple_of(60) => format!("{} min", s / 60),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ if (s % 3600) / 60 == 0 => format!("{} h", s / 3600),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

/// `2 per second`, `1 every 10 s`.
pub fn rate_text(rate: Rate) -> String {
    if rate.per_second >= 1.0 {
        let n = rate.per_second;
        if n.fract() == 0.0 {
            format!("{n:.0} per second")
        } else {
            format!("{n} per second")
        }
    } else if rate.per_second > 0.0 {
        format!(
            "1 every {}",
            duration_text(Duration::from_secs_f64(1.0 / rate.per_second))
        )
    } else {
        "none".into()
    }
}

/// The fields of a resource that Connect's search filters on (a WHERE on
/// them means fewer items and fewer per-item calls).
fn pushed_down_fields(resource: &ResourceType) -> Vec<&'static str> {
    if resource.search.is_none() {
        return Vec::new();
    }
    resource
        .fields
        .iter()
        .filter(|f| f.search.is_some())
        .map(|f| f.name)
        .collect()
}

/// Lanes whose planned calls end after the deadline, slowest first; none
/// when everything fits.
fn over_deadline(lanes: &[LaneState], deadline: Deadline) -> Option<Refusal> {
    let at = deadline.at()?;
    let mut late: Vec<&LaneState> = lanes
        .iter()
        .filter(|l| l.done_at().is_none_or(|d| d > at))
        .collect();
    if late.is_empty() {
        return None;
    }
    late.sort_by_key(|l| std::cmp::Reverse(lane_time(l.lane.op.def().rate, l.planned)));
    let slowest = late[0];
    Some(Refusal {
        lanes: late
            .iter()
            .map(|l| LaneNeed {
                lane: l.lane.clone(),
                calls: l.planned,
                at_least: l.more_to_come,
                per: l.resource.singular.replace('_', " "),
                time: lane_time(l.lane.op.def().rate, l.planned),
            })
            .collect(),
        limit: deadline.limit,
        spent: slowest.since.saturating_duration_since(deadline.started),
        pushed_down: pushed_down_fields(slowest.resource),
    })
}

/// Where a statement's per-item calls stand, for the shell's progress line.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The operation with the most time left.
    pub op: Op,
    /// Its calls planned so far, over every region.
    pub planned: u64,
    /// The expected time left at Connect's rate.
    pub left: Duration,
}

#[derive(Debug, Default)]
struct BudgetState {
    deadline: Option<Deadline>,
    lanes: Vec<LaneState>,
    refusal: Option<Refusal>,
}

/// The per-item calls one statement has planned, checked against its
/// deadline. One per session; [`CallBudget::begin`] starts a statement.
#[derive(Debug, Default)]
pub struct CallBudget {
    state: Mutex<BudgetState>,
    refused: Notify,
}

impl CallBudget {
    fn with<T>(&self, f: impl FnOnce(&mut BudgetState) -> T) -> T {
        let mut guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// A statement starts: nothing planned yet; `deadline` is its
    /// `--timeout` from now (None: no deadline, nothing is refused).
    pub fn begin(&self, deadline: Option<Duration>) {
        self.with(|s| {
            *s = BudgetState {
                deadline: deadline.map(|limit| Deadline {
                    started: Instant::now(),
                    limit,
                }),
                ..BudgetState::default()
            }
        });
    }

    /// The statement ended: nothing is left planned.
    pub fn end(&self) {
        self.with(|s| *s = BudgetState::default());
    }

    /// Adds calls to the plan; false (and the statement refused) when the
    /// plan no longer fits the deadline, or was refused already.
    pub fn plan(
        &self,
        region: &str,
        resource: &'static ResourceType,
        calls: &[(Op, u64)],
        more_to_come: bool,
    ) -> bool {
        self.plan_at(Instant::now(), region, resource, calls, more_to_come)
    }

    fn plan_at(
        &self,
        now: Instant,
        region: &str,
        resource: &'static ResourceType,
        calls: &[(Op, u64)],
        more_to_come: bool,
    ) -> bool {
        // (refused, refused by these calls)
        let (refused, newly) = self.with(|s| {
            if s.refusal.is_some() {
                return (true, false);
            }
            for &(op, count) in calls.iter().filter(|(_, n)| *n > 0) {
                let lane = Lane {
                    region: region.to_string(),
                    op,
                };
                match s.lanes.iter_mut().find(|l| l.lane == lane) {
                    Some(l) => {
                        l.planned = l.planned.saturating_add(count);
                        l.more_to_come = more_to_come;
                    }
                    None => s.lanes.push(LaneState {
                        lane,
                        planned: count,
                        since: now,
                        resource,
                        more_to_come,
                    }),
                }
            }
            s.refusal = s.deadline.and_then(|d| over_deadline(&s.lanes, d));
            (s.refusal.is_some(), s.refusal.is_some())
        });
        if newly {
            self.refused.notify_waiters();
        }
        !refused
    }

    /// The running statement's refusal, if it was refused.
    pub fn refused(&self) -> Option<Refusal> {
        self.with(|s| s.refusal.clone())
    }

    /// Waits until the running statement is refused.
    pub async fn refusal(&self) -> Refusal {
        loop {
            let notified = self.refused.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(r) = self.refused() {
                return r;
            }
            notified.await;
        }
    }

    /// The per-item calls planned so far and the time they have left, given
    /// how many calls of an operation were made since the statement began.
    pub fn progress(&self, done: impl Fn(Op) -> u64) -> Option<Progress> {
        let now = Instant::now();
        self.with(|s| {
            let mut ops: Vec<Op> = s.lanes.iter().map(|l| l.lane.op).collect();
            ops.sort();
            ops.dedup();
            ops.into_iter()
                .map(|op| {
                    let lanes: Vec<&LaneState> =
                        s.lanes.iter().filter(|l| l.lane.op == op).collect();
                    let planned: u64 = lanes.iter().map(|l| l.planned).sum();
                    // The bucket's schedule, unless the calls are ahead of it
                    // (a raised quota).
                    let scheduled = lanes
                        .iter()
                        .filter_map(|l| l.done_at())
                        .max()
                        .map(|d| d.saturating_duration_since(now))
                        .unwrap_or(Duration::MAX);
                    let remaining = planned.saturating_sub(done(op));
                    let rate = op.def().rate;
                    let by_count = if remaining == 0 {
                        Duration::ZERO
                    } else if rate.per_second > 0.0 {
                        Duration::try_from_secs_f64(
                            remaining as f64 / rate.per_second / lanes.len().max(1) as f64,
                        )
                        .unwrap_or(Duration::MAX)
                    } else {
                        Duration::MAX
                    };
                    Progress {
                        op,
                        planned,
                        left: scheduled.min(by_count),
                    }
                })
                .max_by_key(|p| p.left)
        })
    }

    /// Passes a source's items on (after its filters, before their per-item
    /// calls) a batch at a time — what has arrived: a page, or a cached
    /// listing at once — after adding the batch's per-item calls to the
    /// plan. When the plan no longer fits the deadline the items stop, so
    /// none of those calls starts.
    pub fn admit<'a, T: 'a>(
        &'a self,
        spec: &'a SourceSpec,
        region: &'a str,
        instance_id: Option<&'a str>,
        cache: &'a SessionCache,
        items: impl Stream<Item = (Value, T)> + 'a,
    ) -> impl Stream<Item = (Value, T)> + 'a {
        ready_batches(items)
            .map(move |(batch, ended)| {
                let mut calls: Vec<(Op, u64)> = Vec::new();
                for (doc, _) in &batch {
                    for op in per_item_calls(spec, region, instance_id, cache, doc) {
                        match calls.iter_mut().find(|(o, _)| *o == op) {
                            Some((_, n)) => *n += 1,
                            None => calls.push((op, 1)),
                        }
                    }
                }
                let admitted = calls.is_empty() || self.plan(region, spec.resource, &calls, !ended);
                (batch, admitted)
            })
            .take_while(|(_, admitted)| futures::future::ready(*admitted))
            .flat_map(|(batch, _)| stream::iter(batch))
    }
}

/// [`CallBudget::admit`] as a step of a stream of items.
pub trait Budgeted<'a, T: 'a>: Stream<Item = (Value, T)> + Sized + 'a {
    fn budgeted(
        self,
        budget: &'a CallBudget,
        spec: &'a SourceSpec,
        region: &'a str,
        instance_id: Option<&'a str>,
        cache: &'a SessionCache,
    ) -> impl Stream<Item = (Value, T)> + 'a {
        budget.admit(spec, region, instance_id, cache, self)
    }
}

impl<'a, T: 'a, S: Stream<Item = (Value, T)> + 'a> Budgeted<'a, T> for S {}

/// The most items in one batch: a cached listing of 100,000 items is
/// checked (and copied) a part at a time.
const MAX_BATCH: usize = 5_000;

/// The items that have arrived, in batches: each batch is everything the
/// stream gives without waiting (at most [`MAX_BATCH`]); the flag says the
/// stream ended with it.
fn ready_batches<'a, T: 'a>(
    items: impl Stream<Item = T> + 'a,
) -> impl Stream<Item = (Vec<T>, bool)> + 'a {
    let mut items = Box::pin(items);
    let mut ended = false;
    stream::poll_fn(move |cx| {
        if ended {
            return Poll::Ready(None);
        }
        let mut batch = Vec::new();
        while batch.len() < MAX_BATCH {
            match items.as_mut().poll_next(cx) {
                Poll::Ready(Some(item)) => batch.push(item),
                Poll::Ready(None) => {
                    ended = true;
                    break;
                }
                Poll::Pending => break,
            }
        }
        match (batch.is_empty(), ended) {
            (true, true) => Poll::Ready(None),
            (true, false) => Poll::Pending,
            (false, _) => Poll::Ready(Some((batch, ended))),
        }
    })
}

/// The calls the executor will make for one item that passed the filters:
/// its Describe and its sub-listings, less what the session cache holds.
fn per_item_calls(
    spec: &SourceSpec,
    region: &str,
    instance_id: Option<&str>,
    cache: &SessionCache,
    doc: &Value,
) -> Vec<Op> {
    let resource = spec.resource;
    let plan = &spec.calls;
    let ctx = RowContext {
        region,
        profile: None,
        instance_arn: None,
        instance_alias: None,
    };
    let id_field = resource.field_index(resource.id_field).unwrap_or(0);
    let id = super::field_value(resource, id_field, &ctx, &[(plan.base_call(), doc)]);
    let Some(id) = id.as_str() else {
        return Vec::new();
    };
    // The executor's cache keys for a Describe and a sub-listing by id.
    let cached = |op: Op| !spec.fresh && cache.holds_item(&Key::new(region, instance_id, op, id));
    let mut calls = Vec::new();
    if plan.describe_each {
        if let Some(op) = resource.describe {
            if !cached(op) {
                calls.push(op);
            }
        }
    }
    for (field, op) in plan.sub_ops(resource) {
        let Source::SubListing { when, key, .. } = resource.fields[field].source else {
            continue;
        };
        // Started alongside the Describe of an item named by id.
        if plan.base == Base::Describe && key.is_none() {
            continue;
        }
        if when.is_some_and(|c| !c.holds(doc)) {
            continue;
        }
        if key.is_none() && cached(op) {
            continue;
        }
        calls.push(op);
    }
    calls
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(region: &str, op: Op, count: u64) -> PlannedCalls {
        PlannedCalls {
            lane: Lane {
                region: region.into(),
                op,
            },
            count,
        }
    }

    #[test]
    fn a_lane_takes_its_burst_at_once_and_the_rest_at_the_rate() {
        let rate = Op::DescribeUser.def().rate;
        assert_eq!(lane_time(rate, 0), Duration::ZERO);
        assert_eq!(lane_time(rate, u64::from(rate.burst)), Duration::ZERO);
        // 500 DescribeUser: 5 at once, 495 at 2 per second.
        assert_eq!(
            expected_time(&[calls("us-east-1", Op::DescribeUser, 500)]),
            Duration::from_secs_f64(247.5)
        );
        assert_eq!(duration_text(Duration::from_secs_f64(247.5)), "4 min 8 s");
    }

    #[test]
    fn regions_run_in_parallel_and_one_lane_queues() {
        let two_regions = expected_time(&[
            calls("us-east-1", Op::DescribeUser, 500),
            calls("eu-west-2", Op::DescribeUser, 500),
        ]);
        assert_eq!(two_regions, Duration::from_secs_f64(247.5));
        // The same lane named twice is one queue of 1,000.
        let one_lane = expected_time(&[
            calls("us-east-1", Op::DescribeUser, 500),
            calls("us-east-1", Op::DescribeUser, 500),
        ]);
        assert_eq!(one_lane, Duration::from_secs_f64(497.5));
    }

    #[test]
    fn mixed_operations_take_the_longest_lane() {
        let mixed = expected_time(&[
            calls("us-east-1", Op::DescribeUser, 105),
            calls("us-east-1", Op::ListUserProficiencies, 45),
        ]);
        assert_eq!(mixed, Duration::from_secs(50));
        // A slow operation (0.1 per second, burst 1) dominates.
        let slow = expected_time(&[
            calls("us-east-1", Op::DescribeUser, 105),
            calls("us-east-1", Op::CreateInstance, 7),
        ]);
        assert_eq!(slow, Duration::from_secs(60));
        assert_eq!(expected_time(&[]), Duration::ZERO);
    }

    #[test]
    fn a_zero_rate_is_forever_not_a_panic() {
        let never = Rate {
            per_second: 0.0,
            burst: 0,
        };
        assert_eq!(lane_time(never, 1), Duration::MAX);
        assert_eq!(duration_text(Duration::MAX), "forever");
        let nan = Rate {
            per_second: f64::NAN,
            burst: 0,
        };
        assert_eq!(lane_time(nan, 1), Duration::MAX);
    }

    fn users() -> &'static ResourceType {
        crate::catalog::RESOURCE_TYPES
            .iter()
            .find(|r| r.singular == "user")
            .expect("users are in the catalog")
    }

    #[test]
    fn the_budget_refuses_what_the_deadline_cannot_hold_and_says_so() {
        let budget = CallBudget::default();
        budget.begin(Some(Duration::from_secs(30)));
        let now = Instant::now();
        // 60 calls: 27.5 s, fits.
        assert!(budget.plan_at(now, "us-east-1", users(), &[(Op::DescribeUser, 60)], true));
        // 500 more on the same lane: refused, and stays refused.
        assert!(!budget.plan_at(now, "us-east-1", users(), &[(Op::DescribeUser, 440)], false));
        assert!(!budget.plan_at(now, "us-east-1", users(), &[(Op::DescribeUser, 1)], false));
        let refusal = budget.with(|s| s.refusal.clone()).expect("refused");
        let text = refusal.to_string();
        assert!(
            text.starts_with(
                "this statement needs 500 DescribeUser calls in us-east-1 (one per user left after filtering) \
                 — about 4 min 8 s at Connect's default rate of 2 per second, more than --timeout 30 s allows. \
                 Raise the limit (--timeout 300, or .timeout 300 in the shell) or narrow the WHERE ("
            ),
            "{text}"
        );
        assert!(text.contains("are pushed down to Connect"), "{text}");
        assert!(text.contains("quotas were raised"), "{text}");
        // The next statement starts afresh.
        budget.begin(Some(Duration::from_secs(30)));
        assert!(budget.plan("us-east-1", users(), &[(Op::DescribeUser, 60)], false));
    }

    #[test]
    fn without_a_deadline_nothing_is_refused() {
        let budget = CallBudget::default();
        budget.begin(None);
        assert!(budget.plan(
            "us-east-1",
            users(),
            &[(Op::DescribeUser, 1_000_000)],
            false
        ));
        let p = budget.progress(|_| 0).expect("planned calls");
        assert_eq!((p.op, p.planned), (Op::DescribeUser, 1_000_000));
        assert!(p.left > Duration::from_secs(400_000));
        // Calls ahead of the bucket's schedule leave no time.
        let p = budget.progress(|_| 1_000_000).expect("planned calls");
        assert_eq!(p.left, Duration::ZERO);
        budget.end();
        assert_eq!(budget.progress(|_| 0), None);
    }

    #[test]
    fn a_listing_still_going_says_at_least_and_time_spent_listing_counts() {
        let budget = CallBudget::default();
        budget.begin(Some(Duration::from_secs(30)));
        let started = budget.with(|s| s.deadline.map(|d| d.started)).unwrap();
        let later = started + Duration::from_secs(20);
        // 30 calls (12.5 s) after 20 s of listing: past the deadline.
        assert!(!budget.plan_at(later, "eu-west-2", users(), &[(Op::DescribeUser, 30)], true));
        let text = budget.with(|s| s.refusal.clone()).unwrap().to_string();
        assert!(
            text.contains("needs at least 30 DescribeUser calls in eu-west-2")
                && text.contains("about 13 s")
                && text.contains("after the 20 s spent listing")
                && text.contains("--timeout 60"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn a_refusal_wakes_the_statement() {
        let budget = std::sync::Arc::new(CallBudget::default());
        budget.begin(Some(Duration::from_secs(1)));
        let waiting = tokio::spawn({
            let b = budget.clone();
            async move { b.refusal().await }
        });
        tokio::task::yield_now().await;
        assert!(!budget.plan("us-east-1", users(), &[(Op::DescribeUser, 100)], false));
        let r = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("woken")
            .expect("no panic");
        assert_eq!(r.lanes[0].calls, 100);
    }

    #[test]
    fn many_lanes_are_summed_up() {
        let budget = CallBudget::default();
        budget.begin(Some(Duration::from_secs(1)));
        let regions = [
            "us-east-1",
            "us-west-2",
            "eu-west-2",
            "eu-central-1",
            "ap-southeast-2",
        ];
        for (i, region) in regions.iter().enumerate() {
            budget.plan(
                region,
                users(),
                &[(Op::DescribeUser, 100 + i as u64)],
                false,
            );
        }
        let text = budget.refused().expect("refused").to_string();
        assert!(
            text.starts_with("this statement needs 100 DescribeUser calls in us-east-1 (one per user left after filtering) — about 48 s"),
            "{text}"
        );
        // Refused at the first lane: the others were never planned.
        assert_eq!(budget.refused().map(|r| r.lanes.len()), Some(1));
        let many = Refusal {
            lanes: regions
                .iter()
                .map(|r| LaneNeed {
                    lane: Lane {
                        region: r.to_string(),
                        op: Op::DescribeUser,
                    },
                    calls: 100,
                    at_least: false,
                    per: "user".into(),
                    time: Duration::from_secs(48),
                })
                .collect(),
            limit: Duration::from_secs(1),
            spent: Duration::ZERO,
            pushed_down: vec![],
        };
        let text = many.to_string();
        assert!(text.contains("in eu-west-2 (one per user left after filtering) and the calls of 2 more operations or regions — about 48 s"), "{text}");
        assert!(
            text.contains("narrow the WHERE to fewer instances or regions"),
            "{text}"
        );
    }

    #[test]
    fn texts() {
        assert_eq!(duration_text(Duration::from_secs(30)), "30 s");
        assert_eq!(duration_text(Duration::from_secs(120)), "2 min");
        assert_eq!(duration_text(Duration::from_secs(7500)), "2 h 5 min");
        assert_eq!(rate_text(Op::DescribeUser.def().rate), "2 per second");
        assert_eq!(rate_text(Op::CreateInstance.def().rate), "1 every 10 s");
    }

    #[tokio::test]
    async fn batches_are_what_has_arrived() {
        let items = stream::iter(vec![1, 2, 3]);
        let batches: Vec<_> = ready_batches(items).collect().await;
        assert_eq!(batches, vec![(vec![1, 2, 3], true)]);
        let (tx, rx) = futures::channel::mpsc::unbounded::<u32>();
        tx.unbounded_send(1).unwrap();
        tx.unbounded_send(2).unwrap();
        let mut batches = Box::pin(ready_batches(rx));
        assert_eq!(batches.next().await, Some((vec![1, 2], false)));
        tx.unbounded_send(3).unwrap();
        drop(tx);
        assert_eq!(batches.next().await, Some((vec![3], true)));
        assert_eq!(batches.next().await, None);
        // A long listing at hand comes in parts.
        let sizes: Vec<(usize, bool)> = ready_batches(stream::iter(0..12_000))
            .map(|(b, ended)| (b.len(), ended))
            .collect()
            .await;
        assert_eq!(sizes, [(5_000, false), (5_000, false), (2_000, true)]);
    }
}
