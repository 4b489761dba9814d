//! The pacer: connectql's answer to Connect's rate limits (about 2 requests
//! per second per operation and region, 0.1 for CreateInstance and
//! DeleteInstance).
//!
//! Until Connect throttles an operation in an account and region, calls go
//! out freely. The first ThrottlingException engages a lane for that
//! (account, region, operation) — Connect counts its quotas per account and
//! region, so two profiles reaching one account share a lane ([`Quota`]):
//! from then on every attempt waits for its slot at the documented rate, and
//! throttled attempts are retried here, through the same slots, instead of
//! by the SDK's backoff. Requests then arrive no faster than Connect refills
//! its bucket, so a throttled workload runs close to the floor the quota
//! allows instead of hammering the service. A lane disengages after a quiet
//! spell, so an account with raised quotas is not held back for long.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::catalog::Op;

/// Whose quota a call spends: an account in a region. The account is its id
/// when known (from the profile's settings or an ARN it has read), else the
/// profile's name, which stands for the account it reaches.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Quota {
    pub account: String,
    pub region: String,
}

impl Quota {
    pub fn new(account: &str, region: &str) -> Quota {
        Quota {
            account: account.to_string(),
            region: region.to_string(),
        }
    }
}

impl std::fmt::Display for Quota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.account.is_empty() {
            write!(f, "{}", self.region)
        } else {
            write!(f, "{} in {}", self.account, self.region)
        }
    }
}

use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::http::Response as HttpResponse;

/// Attempts per call when throttled (each waits for its slot, so this bounds
/// attempts, not time).
const MAX_THROTTLED_ATTEMPTS: u32 = 40;
/// A lane with no throttling for this long lets calls go freely again.
const QUIET_SPELL: Duration = Duration::from_secs(30);

/// The spacing of an operation's calls at Connect's documented rate
/// (the operation table's `rate`).
pub fn interval(op: Op) -> Duration {
    Duration::from_secs_f64(1.0 / op.def().rate.per_second)
}

/// True for the error codes and status Connect uses when throttling.
pub fn is_throttling(code: Option<&str>, status: Option<u16>) -> bool {
    matches!(
        code,
        Some(
            "ThrottlingException"
                | "Throttling"
                | "TooManyRequestsException"
                | "LimitExceededException"
        )
    ) || status == Some(429)
}

#[derive(Debug)]
struct Lane {
    next_slot: Instant,
    last_throttle: Instant,
}

#[derive(Debug, Default)]
pub struct Pacer {
    lanes: Mutex<HashMap<(Quota, Op), Lane>>,
}

impl Pacer {
    /// Waits for the operation's next slot in `quota`, if its lane is engaged.
    async fn acquire(&self, quota: &Quota, operation: Op) {
        let wait = {
            let Ok(mut lanes) = self.lanes.lock() else {
                return;
            };
            let key = (quota.clone(), operation);
            let now = Instant::now();
            match lanes.get_mut(&key) {
                Some(lane) if now.duration_since(lane.last_throttle) > QUIET_SPELL => {
                    lanes.remove(&key);
                    Duration::ZERO
                }
                Some(lane) => {
                    let slot = lane.next_slot.max(now);
                    lane.next_slot = slot + interval(operation);
                    slot - now
                }
                None => Duration::ZERO,
            }
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Records a throttled attempt: engages the lane.
    fn throttled(&self, quota: &Quota, operation: Op) {
        if let Ok(mut lanes) = self.lanes.lock() {
            let now = Instant::now();
            let lane = lanes.entry((quota.clone(), operation)).or_insert(Lane {
                next_slot: now + interval(operation),
                last_throttle: now,
            });
            lane.last_throttle = now;
        }
    }

    /// Whether calls of `operation` in `quota` are being paced.
    #[cfg(test)]
    fn engaged(&self, quota: &Quota, operation: Op) -> bool {
        self.lanes
            .lock()
            .map(|l| l.contains_key(&(quota.clone(), operation)))
            .unwrap_or(false)
    }

    /// Runs one call through the pacer: waits for a slot when engaged, and
    /// retries throttled attempts through later slots.
    pub async fn run<T, E, F, Fut>(
        &self,
        quota: &Quota,
        operation: Op,
        mut call: F,
    ) -> Result<T, SdkError<E, HttpResponse>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata,
    {
        let mut attempts = 0;
        loop {
            self.acquire(quota, operation).await;
            match call().await {
                Err(e)
                    if attempts + 1 < MAX_THROTTLED_ATTEMPTS
                        && is_throttling(
                            e.code(),
                            e.raw_response().map(|r| r.status().as_u16()),
                        ) =>
                {
                    attempts += 1;
                    tracing::debug!(target: "connectql::pacer", %quota, operation = operation.name(), attempts, "throttled; pacing");
                    self.throttled(quota, operation);
                }
                other => return other,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn engaged_lanes_space_calls_at_the_documented_rate() {
        let pacer = Pacer::default();
        let us_east_1 = Quota::new("", "us-east-1");
        let start = Instant::now();
        pacer.acquire(&us_east_1, Op::DescribeInstance).await;
        assert!(
            start.elapsed() < Duration::from_millis(1),
            "free until throttled"
        );
        pacer.throttled(&us_east_1, Op::DescribeInstance);
        assert!(pacer.engaged(&us_east_1, Op::DescribeInstance));
        assert!(!pacer.engaged(&Quota::new("", "eu-west-2"), Op::DescribeInstance));
        for _ in 0..4 {
            pacer.acquire(&us_east_1, Op::DescribeInstance).await;
        }
        // Four slots after the throttle: 0.5 s apart, the first 0.5 s out.
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_millis(2000) && elapsed < Duration::from_millis(2100),
            "{elapsed:?}"
        );
        // Another operation is not slowed.
        let t = Instant::now();
        pacer.acquire(&us_east_1, Op::ListInstances).await;
        assert!(t.elapsed() < Duration::from_millis(1));
        // Nor is another account in the same region: its quota is its own.
        let t = Instant::now();
        let dev = Quota::new("111111111111", "us-east-1");
        assert!(!pacer.engaged(&dev, Op::DescribeInstance));
        pacer.acquire(&dev, Op::DescribeInstance).await;
        assert!(t.elapsed() < Duration::from_millis(1));
    }

    #[tokio::test(start_paused = true)]
    async fn lanes_disengage_after_a_quiet_spell() {
        let pacer = Pacer::default();
        let us_east_1 = Quota::new("", "us-east-1");
        pacer.throttled(&us_east_1, Op::CreateInstance);
        tokio::time::sleep(QUIET_SPELL + Duration::from_secs(1)).await;
        let t = Instant::now();
        pacer.acquire(&us_east_1, Op::CreateInstance).await;
        assert!(t.elapsed() < Duration::from_millis(1));
        assert!(!pacer.engaged(&us_east_1, Op::CreateInstance));
    }

    #[test]
    fn throttling_is_recognised_by_code_or_status() {
        assert!(is_throttling(Some("ThrottlingException"), Some(429)));
        assert!(is_throttling(None, Some(429)));
        assert!(!is_throttling(Some("InternalServiceException"), Some(500)));
    }
}
