//! Fault injection: latency/stall, throttling token buckets, injected 500s,
//! access denial, expired tokens, malformed responses, and the paging faults
//! (a repeated page token, items gone between a listing and their Describe).

use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;
use serde_json::{json, Map, Value};

use connect_operations::{Op, OPERATIONS};

/// What kind of broken response to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MalformedKind {
    /// 200 with the real JSON body cut in half.
    Truncated,
    /// 200 with valid JSON whose values have the wrong types.
    WrongTypes,
    /// 502 `text/html` page, as a load balancer sends.
    Html,
    /// 200 with an empty body.
    Empty,
}

impl MalformedKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "truncated" => MalformedKind::Truncated,
            "wrong_types" => MalformedKind::WrongTypes,
            "html" => MalformedKind::Html,
            "empty" => MalformedKind::Empty,
            _ => return None,
        })
    }
}

/// Malformed-response fault.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Malformed {
    pub kind: MalformedKind,
    /// Operation names this applies to; empty = every operation.
    pub operations: Vec<String>,
    /// Remaining responses to break; `None` = until cleared.
    pub count: Option<u64>,
}

impl Malformed {
    fn applies_to(&self, op: Op) -> bool {
        self.operations.is_empty() || self.operations.iter().any(|o| o == op.name())
    }
}

/// How an apply-then-fail fault answers after the change took effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailMode {
    /// 500 InternalServiceException.
    Error,
    /// The connection is closed without a response.
    Drop,
}

/// Apply-then-fail fault: a mutating operation takes effect, then the answer fails.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplyThenFail {
    pub mode: FailMode,
    /// Share of eligible calls that fail (1.0 = all).
    pub rate: f64,
    /// Operation names; empty = every operation that changes something.
    pub operations: Vec<String>,
    /// Remaining failures; `None` = until cleared.
    pub count: Option<u64>,
}

/// Paging fault: every page that has a next page answers the NextToken it was
/// asked with, so page 1 → 2 → 2 → 2 … (a client that follows it loops).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepeatPageToken {
    /// Paginated operation names; empty = every paginated operation.
    pub operations: Vec<String>,
}

/// The next calls of some operations answer 404 ResourceNotFoundException, as
/// Connect does for an item deleted between a listing and its Describe.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotFound {
    /// Operation names; empty = every operation.
    pub operations: Vec<String>,
    /// Remaining 404s; `None` = until cleared.
    pub count: Option<u64>,
}

/// The fault settings in force (command line, changed at run time by `POST /_emulator/faults`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaultSettings {
    pub latency_ms: u64,
    pub error_rate: f64,
    pub throttle: bool,
    /// Accounts throttled as by `throttle` when it is off (it throttles every
    /// account): one throttled account beside unthrottled ones.
    pub throttle_accounts: Vec<String>,
    pub malformed: Option<Malformed>,
    pub deny: Vec<String>,
    pub expired_token: bool,
    pub stall_ms: u64,
    /// Regions the faults apply to (from the SigV4 scope); empty = all.
    /// Lets a test fail one region of a fan-out.
    pub regions: Vec<String>,
    pub apply_then_fail: Option<ApplyThenFail>,
    pub repeat_page_token: Option<RepeatPageToken>,
    pub not_found: Option<NotFound>,
}

impl FaultSettings {
    pub fn new(latency_ms: u64, error_rate: f64, throttle: bool) -> Self {
        FaultSettings {
            latency_ms,
            error_rate,
            throttle,
            throttle_accounts: Vec::new(),
            malformed: None,
            deny: Vec::new(),
            expired_token: false,
            stall_ms: 0,
            regions: Vec::new(),
            apply_then_fail: None,
            repeat_page_token: None,
            not_found: None,
        }
    }

    /// Merge a `POST /_emulator/faults` body. Absent keys are left unchanged; `null`
    /// resets a key to "off". All-or-nothing: on error nothing changes.
    pub fn apply_json(&mut self, body: &Value) -> Result<(), String> {
        let obj = body
            .as_object()
            .ok_or_else(|| "the body must be a JSON object".to_string())?;
        let mut next = self.clone();
        for (key, v) in obj {
            match key.as_str() {
                "latency_ms" => next.latency_ms = opt_u64(key, v)?,
                "stall_ms" => next.stall_ms = opt_u64(key, v)?,
                "error_rate" => {
                    let r = if v.is_null() {
                        0.0
                    } else {
                        v.as_f64().ok_or(format!("{key} must be a number"))?
                    };
                    if !(0.0..=1.0).contains(&r) {
                        return Err(format!("{key} must be between 0 and 1"));
                    }
                    next.error_rate = r;
                }
                "throttle" => next.throttle = opt_bool(key, v)?,
                "throttle_accounts" => next.throttle_accounts = account_list(v)?,
                "expired_token" => next.expired_token = opt_bool(key, v)?,
                "deny" => next.deny = op_list(key, v)?,
                "malformed" => next.malformed = parse_malformed(v)?,
                "regions" => next.regions = region_list(v)?,
                "apply_then_fail" => next.apply_then_fail = parse_apply_then_fail(v)?,
                "repeat_page_token" => next.repeat_page_token = parse_repeat_page_token(v)?,
                "not_found" => next.not_found = parse_not_found(v)?,
                other => {
                    return Err(format!(
                        "unknown key {other:?}; expected latency_ms, error_rate, throttle, \
                         throttle_accounts, malformed, deny, expired_token, stall_ms, regions, apply_then_fail, \
                         repeat_page_token, not_found"
                    ))
                }
            }
        }
        *self = next;
        Ok(())
    }

    /// The malformed kind to use for `op`, if any (does not consume the count).
    pub fn malformed_for(&self, op: Op) -> Option<MalformedKind> {
        self.malformed
            .as_ref()
            .filter(|m| m.applies_to(op) && m.count != Some(0))
            .map(|m| m.kind)
    }

    /// Count one malformed response sent; clears the fault when its count runs out.
    pub fn consume_malformed(&mut self) {
        if let Some(m) = &mut self.malformed {
            if let Some(c) = &mut m.count {
                *c = c.saturating_sub(1);
                if *c == 0 {
                    self.malformed = None;
                }
            }
        }
    }

    /// Whether the faults apply to a request scoped to `region`.
    pub fn applies_to_region(&self, region: Option<&str>) -> bool {
        self.regions.is_empty() || region.is_some_and(|r| self.regions.iter().any(|x| x == r))
    }

    /// Whether the answer of a call of `op` that just changed something must fail
    /// (and how); counts the failure.
    pub fn take_apply_then_fail(&mut self, op: Op) -> Option<FailMode> {
        let f = self.apply_then_fail.as_mut()?;
        if op.def().is_read() || f.count == Some(0) {
            return None;
        }
        if !f.operations.is_empty() && !f.operations.iter().any(|o| o == op.name()) {
            return None;
        }
        if f.rate < 1.0 && fastrand::f64() >= f.rate {
            return None;
        }
        let mode = f.mode;
        if let Some(c) = &mut f.count {
            *c = c.saturating_sub(1);
            if *c == 0 {
                self.apply_then_fail = None;
            }
        }
        Some(mode)
    }

    /// Whether pages of `op` repeat the NextToken they were asked with.
    pub fn repeats_page_token(&self, op: Op) -> bool {
        self.repeat_page_token.as_ref().is_some_and(|r| {
            op.def().max_results.is_some()
                && (r.operations.is_empty() || r.operations.iter().any(|o| o == op.name()))
        })
    }

    /// Whether this call of `op` is answered 404 (and counts it).
    pub fn take_not_found(&mut self, op: Op) -> bool {
        let Some(f) = self.not_found.as_mut() else {
            return false;
        };
        if f.count == Some(0)
            || (!f.operations.is_empty() && !f.operations.iter().any(|o| o == op.name()))
        {
            return false;
        }
        if let Some(c) = &mut f.count {
            *c = c.saturating_sub(1);
            if *c == 0 {
                self.not_found = None;
            }
        }
        true
    }

    /// Whether calls of `account` go through the token buckets.
    pub fn throttles(&self, account: &str) -> bool {
        self.throttle || self.throttle_accounts.iter().any(|a| a == account)
    }

    pub fn denies(&self, op: Op) -> bool {
        self.deny.iter().any(|d| d == op.name())
    }
}

fn opt_u64(key: &str, v: &Value) -> Result<u64, String> {
    if v.is_null() {
        return Ok(0);
    }
    v.as_u64().ok_or(format!(
        "{key} must be a non-negative integer (milliseconds)"
    ))
}

fn opt_bool(key: &str, v: &Value) -> Result<bool, String> {
    if v.is_null() {
        return Ok(false);
    }
    v.as_bool().ok_or(format!("{key} must be a boolean"))
}

fn region_list(v: &Value) -> Result<Vec<String>, String> {
    if v.is_null() {
        return Ok(Vec::new());
    }
    v.as_array()
        .and_then(|a| {
            a.iter()
                .map(|r| r.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| "regions must be a list of region names".to_string())
}

fn account_list(v: &Value) -> Result<Vec<String>, String> {
    const WHAT: &str = "throttle_accounts must be a list of 12-digit account ids";
    if v.is_null() {
        return Ok(Vec::new());
    }
    let arr = v.as_array().ok_or(WHAT)?;
    arr.iter()
        .map(|a| {
            a.as_str()
                .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
                .map(str::to_string)
                .ok_or_else(|| format!("{WHAT}, not {a}"))
        })
        .collect()
}

fn op_list(key: &str, v: &Value) -> Result<Vec<String>, String> {
    if v.is_null() {
        return Ok(Vec::new());
    }
    let arr = v
        .as_array()
        .ok_or(format!("{key} must be a list of operation names"))?;
    let mut out = Vec::new();
    for item in arr {
        let name = item
            .as_str()
            .ok_or(format!("{key} must be a list of operation names"))?;
        let op = Op::from_name(name).ok_or(format!(
            "{key}: unknown operation {name:?}; expected one of {}",
            OPERATIONS
                .iter()
                .map(|o| o.name)
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        out.push(op.name().to_string());
    }
    Ok(out)
}

fn parse_apply_then_fail(v: &Value) -> Result<Option<ApplyThenFail>, String> {
    if v.is_null() {
        return Ok(None);
    }
    let obj = v
        .as_object()
        .ok_or("apply_then_fail must be an object or null".to_string())?;
    for k in obj.keys() {
        if !matches!(k.as_str(), "mode" | "rate" | "operations" | "count") {
            return Err(format!(
                "apply_then_fail: unknown key {k:?}; expected mode, rate, operations, count"
            ));
        }
    }
    let mode = match obj.get("mode").map(|m| m.as_str()) {
        None | Some(Some("error")) => FailMode::Error,
        Some(Some("drop")) => FailMode::Drop,
        _ => return Err("apply_then_fail.mode must be \"error\" or \"drop\"".to_string()),
    };
    let rate = match obj.get("rate") {
        None | Some(Value::Null) => 1.0,
        Some(r) => r
            .as_f64()
            .filter(|r| (0.0..=1.0).contains(r))
            .ok_or("apply_then_fail.rate must be a number between 0 and 1".to_string())?,
    };
    let operations = match obj.get("operations") {
        Some(v) => op_list("apply_then_fail.operations", v)?,
        None => Vec::new(),
    };
    if let Some(o) = operations
        .iter()
        .find(|o| Op::from_name(o).is_some_and(|op| op.def().is_read()))
    {
        return Err(format!(
            "apply_then_fail.operations: {o} changes nothing; name operations that do"
        ));
    }
    let count = match obj.get("count") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .filter(|c| *c > 0)
                .ok_or("apply_then_fail.count must be a positive integer".to_string())?,
        ),
    };
    Ok(Some(ApplyThenFail {
        mode,
        rate,
        operations,
        count,
    }))
}

/// Reject keys of a fault object other than `known`.
fn known_keys(fault: &str, obj: &Map<String, Value>, known: &[&str]) -> Result<(), String> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(format!(
            "{fault}: unknown key {k:?}; expected {}",
            known.join(", ")
        )),
        None => Ok(()),
    }
}

fn parse_repeat_page_token(v: &Value) -> Result<Option<RepeatPageToken>, String> {
    if v.is_null() {
        return Ok(None);
    }
    let obj = v
        .as_object()
        .ok_or("repeat_page_token must be an object or null".to_string())?;
    known_keys("repeat_page_token", obj, &["operations"])?;
    let operations = match obj.get("operations") {
        Some(v) => op_list("repeat_page_token.operations", v)?,
        None => Vec::new(),
    };
    if let Some(o) = operations
        .iter()
        .find(|o| Op::from_name(o).is_some_and(|op| op.def().max_results.is_none()))
    {
        return Err(format!(
            "repeat_page_token.operations: {o} is not paginated; name List*/Search* operations \
             that page"
        ));
    }
    Ok(Some(RepeatPageToken { operations }))
}

fn parse_not_found(v: &Value) -> Result<Option<NotFound>, String> {
    if v.is_null() {
        return Ok(None);
    }
    let obj = v
        .as_object()
        .ok_or("not_found must be an object or null".to_string())?;
    known_keys("not_found", obj, &["operations", "count"])?;
    let operations = match obj.get("operations") {
        Some(v) => op_list("not_found.operations", v)?,
        None => Vec::new(),
    };
    let count = match obj.get("count") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .filter(|c| *c > 0)
                .ok_or("not_found.count must be a positive integer".to_string())?,
        ),
    };
    Ok(Some(NotFound { operations, count }))
}

/// The answer of a paged call under `repeat_page_token`: its `NextToken`, when it
/// has one, becomes the token the call was asked with (page 2 leads to page 2).
pub fn repeat_token(body: Vec<u8>, asked_with: &str) -> Vec<u8> {
    let Ok(Value::Object(mut m)) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    match m.get_mut("NextToken") {
        Some(t @ Value::String(_)) => *t = Value::String(asked_with.to_string()),
        _ => return body,
    }
    serde_json::to_vec(&m).unwrap_or(body)
}

fn parse_malformed(v: &Value) -> Result<Option<Malformed>, String> {
    if v.is_null() {
        return Ok(None);
    }
    let obj = v
        .as_object()
        .ok_or("malformed must be an object or null".to_string())?;
    for k in obj.keys() {
        if !matches!(k.as_str(), "kind" | "operations" | "count") {
            return Err(format!(
                "malformed: unknown key {k:?}; expected kind, operations, count"
            ));
        }
    }
    let kind_s = obj
        .get("kind")
        .and_then(Value::as_str)
        .ok_or("malformed.kind is required: truncated, wrong_types, html or empty".to_string())?;
    let kind = MalformedKind::parse(kind_s).ok_or(format!(
        "malformed.kind {kind_s:?} is not one of truncated, wrong_types, html, empty"
    ))?;
    let operations = match obj.get("operations") {
        Some(v) => op_list("malformed.operations", v)?,
        None => Vec::new(),
    };
    let count = match obj.get("count") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .filter(|c| *c > 0)
                .ok_or("malformed.count must be a positive integer".to_string())?,
        ),
    };
    Ok(Some(Malformed {
        kind,
        operations,
        count,
    }))
}

/// Token-bucket rate and burst per operation (Amazon Connect's default API quotas).
pub fn limits(op: Op) -> (f64, f64) {
    let rate = op.def().rate;
    (rate.per_second, f64::from(rate.burst))
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Token buckets per (region, operation).
#[derive(Debug, Default)]
pub struct Buckets {
    /// Per (account, region, operation): Connect's limits are per account and region.
    map: HashMap<(String, String, Op), Bucket>,
}

impl Buckets {
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// Take one token; `false` means the call is throttled.
    pub fn try_take(&mut self, account: &str, region: &str, op: Op, now: Instant) -> bool {
        let (rate, burst) = limits(op);
        let key = (account.to_string(), region.to_string(), op);
        let b = self.map.entry(key).or_insert(Bucket {
            tokens: burst,
            last: now,
        });
        let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
        b.tokens = (b.tokens + elapsed * rate).min(burst);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The body of a load balancer's 502 page.
pub const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

/// Cut a JSON body in half (an empty body becomes an unterminated object).
pub fn truncate(body: &[u8]) -> Vec<u8> {
    if body.len() < 2 {
        return b"{\"".to_vec();
    }
    body[..body.len() / 2].to_vec()
}

/// Replace every value of a JSON document by one of the wrong type, keeping the keys.
pub fn wrong_types(body: &[u8]) -> Vec<u8> {
    let v: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return b"[1, 2, 3]".to_vec(),
    };
    let mangled = match v {
        Value::Object(m) => Value::Object(mangle_map(m)),
        _ => json!({"unexpected": true}),
    };
    serde_json::to_vec(&mangled).unwrap_or_default()
}

fn mangle_map(m: Map<String, Value>) -> Map<String, Value> {
    m.into_iter().map(|(k, v)| (k, mangle(v))).collect()
}

fn mangle(v: Value) -> Value {
    match v {
        Value::String(_) => json!(12345),
        Value::Number(_) => json!("not-a-number"),
        Value::Bool(_) => json!("yes"),
        Value::Null => json!([]),
        Value::Array(_) => json!({"unexpected": "object"}),
        Value::Object(m) => Value::Object(mangle_map(m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn apply_json_merges_and_validates() {
        let mut f = FaultSettings::new(0, 0.0, false);
        f.apply_json(&json!({"latency_ms": 50, "deny": ["DescribeInstance"]}))
            .unwrap();
        assert_eq!(f.latency_ms, 50);
        assert!(f.denies(Op::DescribeInstance));
        let before = f.clone();
        assert!(f
            .apply_json(&json!({"latency_ms": 1, "error_rate": 2.0}))
            .is_err());
        assert_eq!(f, before, "failed update must not change anything");
        assert!(f.apply_json(&json!({"deny": ["Nope"]})).is_err());
        assert!(f.apply_json(&json!({"bogus": 1})).is_err());
        f.apply_json(&json!({"malformed": {"kind": "html", "count": 2}}))
            .unwrap();
        assert_eq!(
            f.malformed_for(Op::ListInstances),
            Some(MalformedKind::Html)
        );
        f.consume_malformed();
        f.consume_malformed();
        assert_eq!(f.malformed_for(Op::ListInstances), None);
        f.apply_json(&json!({"malformed": {"kind": "empty", "operations": ["ListInstances"]}}))
            .unwrap();
        assert_eq!(f.malformed_for(Op::DescribeInstance), None);
        assert_eq!(
            f.malformed_for(Op::ListInstances),
            Some(MalformedKind::Empty)
        );
        f.apply_json(&json!({"malformed": null})).unwrap();
        assert!(f.malformed.is_none());
    }

    #[test]
    fn throttle_accounts_throttle_only_those() {
        let mut f = FaultSettings::new(0, 0.0, false);
        assert!(!f.throttles("111111111111"));
        f.apply_json(&json!({"throttle_accounts": ["111111111111"]}))
            .unwrap();
        assert!(f.throttles("111111111111"));
        assert!(!f.throttles("222222222222"));
        for bad in [
            json!({"throttle_accounts": "111111111111"}),
            json!({"throttle_accounts": ["1111"]}),
            json!({"throttle_accounts": [111111111111u64]}),
        ] {
            assert!(f.apply_json(&bad).is_err(), "{bad}");
        }
        assert_eq!(f.throttle_accounts, ["111111111111"], "unchanged by errors");
        f.apply_json(&json!({"throttle": true})).unwrap();
        assert!(f.throttles("222222222222"), "throttle: every account");
        f.apply_json(&json!({"throttle": null, "throttle_accounts": null}))
            .unwrap();
        assert!(!f.throttles("111111111111"));
    }

    #[test]
    fn paging_faults_parse_and_count() {
        let mut f = FaultSettings::new(0, 0.0, false);
        f.apply_json(&json!({"repeat_page_token": {"operations": ["SearchUsers"]}}))
            .unwrap();
        assert!(f.repeats_page_token(Op::SearchUsers));
        assert!(!f.repeats_page_token(Op::ListUsers));
        f.apply_json(&json!({"repeat_page_token": {"operations": []}}))
            .unwrap();
        assert!(f.repeats_page_token(Op::ListUsers));
        assert!(!f.repeats_page_token(Op::DescribeUser), "not paginated");
        for bad in [
            json!({"repeat_page_token": {"operations": ["DescribeUser"]}}),
            json!({"repeat_page_token": {"count": 1}}),
            json!({"repeat_page_token": []}),
            json!({"not_found": {"count": 0}}),
            json!({"not_found": {"operations": ["Nope"]}}),
            json!({"not_found": {"kind": "x"}}),
        ] {
            assert!(f.apply_json(&bad).is_err(), "{bad}");
        }
        f.apply_json(&json!({"not_found": {"operations": ["DescribeUser"], "count": 2}}))
            .unwrap();
        assert!(!f.take_not_found(Op::DescribeQueue));
        assert!(f.take_not_found(Op::DescribeUser));
        assert!(f.take_not_found(Op::DescribeUser));
        assert!(!f.take_not_found(Op::DescribeUser), "count ran out");
        assert!(f.not_found.is_none());
        f.apply_json(&json!({"not_found": {}, "repeat_page_token": null}))
            .unwrap();
        assert!(f.take_not_found(Op::ListQueues) && f.take_not_found(Op::ListQueues));
        assert!(f.repeat_page_token.is_none());
    }

    #[test]
    fn repeated_token_replaces_only_a_next_token() {
        let page: Value = serde_json::from_slice(&repeat_token(
            br#"{"Users":[1],"NextToken":"t2"}"#.to_vec(),
            "t1",
        ))
        .unwrap();
        assert_eq!(page, json!({"Users": [1], "NextToken": "t1"}));
        let last = br#"{"Users":[1]}"#.to_vec();
        assert_eq!(repeat_token(last.clone(), "t1"), last);
    }

    #[test]
    fn buckets_burst_then_refill() {
        const A: &str = "111111111111";
        let mut b = Buckets::default();
        let t0 = Instant::now();
        let ok = (0..8)
            .filter(|_| b.try_take(A, "us-east-1", Op::ListInstances, t0))
            .count();
        assert_eq!(ok, 5);
        assert!(b.try_take(A, "eu-west-2", Op::ListInstances, t0));
        assert!(b.try_take("222222222222", "us-east-1", Op::ListInstances, t0));
        assert!(b.try_take(
            A,
            "us-east-1",
            Op::ListInstances,
            t0 + Duration::from_millis(600)
        ));
        assert!(b.try_take(A, "us-east-1", Op::CreateInstance, t0));
        assert!(!b.try_take(A, "us-east-1", Op::CreateInstance, t0));
    }

    #[test]
    fn mangling() {
        let body = br#"{"Instance":{"Id":"x","CreatedTime":1.5,"InboundCallsEnabled":true,"Tags":{"a":"b"}},"L":[1]}"#;
        let v: Value = serde_json::from_slice(&wrong_types(body)).unwrap();
        assert_eq!(v["Instance"]["Id"], json!(12345));
        assert_eq!(v["Instance"]["CreatedTime"], json!("not-a-number"));
        assert!(v["L"].is_object());
        assert!(serde_json::from_slice::<Value>(&truncate(body)).is_err());
        assert!(serde_json::from_slice::<Value>(&truncate(b"")).is_err());
    }
}
