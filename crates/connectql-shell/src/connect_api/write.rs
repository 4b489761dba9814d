//! Write calls, generic over the operation table: [`send`] takes any write
//! operation and its input as wire JSON, and answers with the output as
//! wire JSON.
//!
//! The design mirrors the read side, but is generated rather than written:
//! `tools/gen_wire.py` reads botocore's model of every write operation in the
//! table and emits `write_ops.rs` (one row per operation: its input
//! members, the required ones and its limits, made by [`write_table`] into
//! [`check`]'s shape check and [`send`]'s dispatch, which sets every member
//! on the SDK's input builder), the `FromWire` conversions of their input
//! shapes and Connect's documented limits (botocore's `min`, `max` and
//! `pattern`) into `shapes.rs`. So the input members are exactly
//! botocore's, wherever the HTTP binding puts them (URI label, query
//! string or body): the SDK does the binding.
//!
//! The input is checked whole before any call ([`check`], which a change
//! also runs on every request of its plan before the first is sent): an
//! unknown member (a typo must not be dropped), a missing required member,
//! a wrong type, an unknown enum value, a length, count or number out of
//! range or a value not matching Connect's pattern is an
//! [`ApiErrorKind::InvalidRequest`] naming the member path, the value and
//! the limit. Every call goes through the pacer; an operation with an
//! idempotency token gets one before the first attempt, so a resend after
//! throttling is the same request and is applied once.

use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

use super::wire::WireError;
use super::write_ops;
use super::{ApiError, ApiErrorKind, RegionClient};
use crate::catalog::Op;

/// Sends one write operation. `input` holds every input member of the
/// operation under its botocore name — URI labels (InstanceId, QueueId,
/// resourceArn…), query members (tagKeys, Origin, ClientToken…) and body
/// members alike — as wire JSON. Returns the answer as wire JSON (`{}`
/// for operations with an empty output). The input is [`check`]ed first:
/// a request Connect would refuse is not sent.
pub async fn send(rc: &RegionClient, op: Op, input: &Value) -> Result<Value, ApiError> {
    if is_mapped(op) {
        if let Err(problems) = check(op, input) {
            let text = problems
                .iter()
                .map(WireError::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            return Err(ApiError::new(
                op,
                &rc.region,
                ApiErrorKind::InvalidRequest,
                text,
            ));
        }
    }
    match with_idempotency_token(op, input) {
        Some(input) => write_ops::dispatch(rc, op, &input).await,
        None => write_ops::dispatch(rc, op, input).await,
    }
}

/// The members `op`'s request requires.
pub fn required_members(op: Op) -> &'static [&'static str] {
    write_ops::required_members(op)
}

/// Checks a write request without sending it, as [`send`] does before any
/// call: first its shape (unknown member, missing required member, wrong
/// type, unknown enum value: the first such error), then Connect's
/// documented limits of every member (length, count, range, pattern: every
/// such problem). Each error names its member path.
pub fn check(op: Op, input: &Value) -> Result<(), Vec<WireError>> {
    write_ops::check_shape(op, input).map_err(|e| vec![e])?;
    let mut problems = Vec::new();
    if let Some(shape) = write_ops::limits(op) {
        shape.check(input, &mut |e| problems.push(e));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A documented limit of a member: `min`/`max` are a string's length in
/// characters, a list's or map's count, or a number's range.
#[derive(Debug)]
pub struct Limits {
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub pattern: Option<Pattern>,
    /// The value is a secret (a password): messages do not show it.
    pub sensitive: bool,
}

/// A member's pattern, as the regex crate runs it: the pattern as written
/// (for messages), the regexes a value must match and those it must not
/// (the model's leading lookaheads, which the regex crate does not have).
#[derive(Debug)]
pub struct Pattern {
    pub shown: &'static str,
    must: &'static [&'static str],
    must_not: &'static [&'static str],
    compiled: OnceLock<Result<Compiled, regex::Error>>,
}

/// A pattern's regexes: those a value must match, those it must not.
type Compiled = (Vec<Regex>, Vec<Regex>);

impl Pattern {
    pub const fn new(
        shown: &'static str,
        must: &'static [&'static str],
        must_not: &'static [&'static str],
    ) -> Self {
        Pattern {
            shown,
            must,
            must_not,
            compiled: OnceLock::new(),
        }
    }

    /// Compiled once, on first use; a pattern that does not compile checks
    /// nothing (the unit tests compile every one).
    fn regexes(&self) -> Option<&Compiled> {
        self.compiled
            .get_or_init(|| {
                let all = |list: &[&str]| -> Result<Vec<Regex>, regex::Error> {
                    list.iter().map(|p| Regex::new(p)).collect()
                };
                Ok((all(self.must)?, all(self.must_not)?))
            })
            .as_ref()
            .ok()
    }

    pub fn matches(&self, text: &str) -> bool {
        self.regexes().is_none_or(|(must, must_not)| {
            must.iter().all(|r| r.is_match(text)) && !must_not.iter().any(|r| r.is_match(text))
        })
    }
}

/// The limits of a shape and of what is inside it (generated into
/// `shapes.rs`; members without any limit are left out).
#[derive(Debug)]
pub enum Shape {
    Structure(&'static [(&'static str, &'static Shape)]),
    List(Limits, Option<&'static Shape>),
    /// Entries: the map's limits, its keys' and its values'.
    Map(Limits, Option<&'static Shape>, Option<&'static Shape>),
    Text(Limits),
    Number(Limits),
}

impl Shape {
    /// Reports every value of `value` outside its limits. Values of the
    /// wrong type are left alone: the shape check reports those.
    fn check(&self, value: &Value, report: &mut dyn FnMut(WireError)) {
        match (self, value) {
            (Shape::Structure(members), Value::Object(object)) => {
                for (name, shape) in *members {
                    if let Some(v) = object.get(*name).filter(|v| !v.is_null()) {
                        shape.check(v, &mut |e| report(e.within(name)));
                    }
                }
            }
            (Shape::List(limits, element), Value::Array(items)) => {
                limits.count(items.len(), "item", report);
                if let Some(element) = element {
                    for (i, item) in items.iter().enumerate() {
                        element.check(item, &mut |e| report(e.at(i)));
                    }
                }
            }
            (Shape::Map(limits, key, entry), Value::Object(entries)) => {
                limits.count(entries.len(), "entr", report);
                for (k, v) in entries {
                    if let Some(key) = key {
                        key.check(&Value::String(k.clone()), &mut |e| report(e.entry(k)));
                    }
                    if let Some(entry) = entry {
                        entry.check(v, &mut |e| report(e.entry(k)));
                    }
                }
            }
            (Shape::Text(limits), Value::String(text)) => limits.text(text, report),
            (Shape::Number(limits), Value::Number(n)) => {
                if let Some(n) = n.as_i64() {
                    limits.range(n, report);
                }
            }
            _ => {}
        }
    }
}

impl Limits {
    /// The value as messages show it: quoted and cut short, or hidden.
    fn show(&self, text: &str) -> String {
        if self.sensitive {
            return "(not shown)".into();
        }
        const SHOWN: usize = 40;
        if text.chars().count() > SHOWN {
            format!(
                "{:?}",
                format!("{}…", text.chars().take(SHOWN).collect::<String>())
            )
        } else {
            format!("{text:?}")
        }
    }

    /// "allows at most 127", "needs at least 1", "allows 1 to 99".
    fn allowed(&self, unit: &str) -> String {
        match (self.min, self.max) {
            (Some(lo), Some(hi)) if lo == hi => format!("Connect allows exactly {lo}{unit}"),
            (Some(lo), Some(hi)) => format!("Connect allows {lo} to {hi}{unit}"),
            (Some(lo), None) => format!("Connect needs at least {lo}{unit}"),
            (None, Some(hi)) => format!("Connect allows at most {hi}{unit}"),
            (None, None) => String::new(),
        }
    }

    fn outside(&self, n: i64) -> bool {
        self.min.is_some_and(|lo| n < lo) || self.max.is_some_and(|hi| n > hi)
    }

    fn text(&self, text: &str, report: &mut dyn FnMut(WireError)) {
        let length = text.chars().count() as i64;
        if self.outside(length) {
            report(WireError::new(format!(
                "{} is {length} character{}; {}",
                self.show(text),
                if length == 1 { "" } else { "s" },
                self.allowed("")
            )));
        }
        if let Some(pattern) = &self.pattern {
            if !pattern.matches(text) {
                report(WireError::new(format!(
                    "{} does not match Connect's pattern {}",
                    self.show(text),
                    pattern.shown
                )));
            }
        }
    }

    /// `noun` is "item" or "entr" (y/ies).
    fn count(&self, n: usize, noun: &str, report: &mut dyn FnMut(WireError)) {
        let n = n as i64;
        if self.outside(n) {
            let plural = |k: i64| match (noun, k == 1) {
                ("entr", true) => "entry".to_string(),
                ("entr", false) => "entries".to_string(),
                (_, true) => noun.to_string(),
                (_, false) => format!("{noun}s"),
            };
            let unit = format!(" {}", plural(self.max.or(self.min).unwrap_or_default()));
            report(WireError::new(format!(
                "has {n} {}; {}",
                plural(n),
                self.allowed(&unit)
            )));
        }
    }

    fn range(&self, n: i64, report: &mut dyn FnMut(WireError)) {
        if self.outside(n) {
            report(WireError::new(format!("is {n}; {}", self.allowed(""))));
        }
    }
}

/// True when [`send`] knows `op` (every write operation of the table, once
/// `tools/gen_wire.py` has run after its row was added).
pub fn is_mapped(op: Op) -> bool {
    write_ops::MAPPED.contains(&op)
}

/// The input with a fresh idempotency token when the operation takes one
/// and the caller gave none; `None` when the input is fine as it is. The
/// token is fixed here, before the first attempt: the SDK would make a new
/// one per `send()`, and the pacer resends after throttling.
fn with_idempotency_token(op: Op, input: &Value) -> Option<Value> {
    let member = write_ops::idempotency_token(op)?;
    let object = input.as_object()?;
    if object.get(member).is_some_and(|v| !v.is_null()) {
        return None;
    }
    let mut object = object.clone();
    object.insert(
        member.to_string(),
        Value::String(uuid::Uuid::new_v4().to_string()),
    );
    Some(Value::Object(object))
}

/// An input that does not fit the operation's shape, as the API error a
/// caller handles like Connect's own InvalidParameterException.
pub(super) fn invalid_input(rc: &RegionClient, op: Op, error: WireError) -> ApiError {
    ApiError::new(
        op,
        &rc.region,
        ApiErrorKind::InvalidRequest,
        error.to_string(),
    )
}

/// The answer for an operation the generated dispatch does not have.
pub(super) fn not_mapped(rc: &RegionClient, op: Op) -> ApiError {
    ApiError::new(
        op,
        &rc.region,
        ApiErrorKind::InvalidRequest,
        unmapped_reason(op),
    )
}

/// Why the generated table has no row for `op`.
pub(super) fn unmapped_reason(op: Op) -> String {
    let why = if op.def().is_read() {
        "is a read; reads go through connect_api::read"
    } else {
        "has no mapping yet: re-run `python3 tools/gen_wire.py`"
    };
    format!("internal: {op} {why}")
}

/// The SDK's input builder of an operation from wire JSON: unknown,
/// missing required and mistyped members and unknown enum values are
/// errors naming the member path (`QueueConfigs[0].Priority`).
macro_rules! input_builder {
    ($value:expr, $module:ident, $input:ident { $($member:literal => $setter:ident),* } [$($required:literal),*]) => {
        // A closure, so that `?` ends the conversion, not the caller.
        (|| -> Result<_, $crate::connect_api::wire::WireError> {
            #[allow(unused_variables)]
            let object = $crate::connect_api::wire::members(
                $value,
                &[$($member),*],
                &[$($required),*],
            )?;
            Ok(aws_sdk_connect::operation::$module::$input::builder()
                $(.$setter($crate::connect_api::wire::member(object, $member)?))*)
        })()
    };
}

/// The generated table of write operations (`write_ops.rs`), one row per
/// operation — `Op => module::OpInput { "Member" => set_member, … }
/// required [...] limits Some(&SHAPE)` — made into [`check_shape`], the
/// operation's [`Shape`] of limits and the dispatch of [`send`]. Each row
/// lists its members once: the check and the call cannot differ.
macro_rules! write_table {
    ($($op:ident => $module:ident :: $input:ident { $($member:literal => $setter:ident),* $(,)? } required [$($required:literal),* $(,)?] limits $limits:expr;)*) => {
        /// `input` against the shape of `op`'s input (not its limits).
        pub fn check_shape(op: Op, input: &serde_json::Value) -> Result<(), $crate::connect_api::wire::WireError> {
            match op {
                $(Op::$op => $crate::connect_api::write::input_builder!(input, $module, $input { $($member => $setter),* } [$($required),*])
                    .and_then(|b| $crate::connect_api::wire::checked(b.build()))
                    .map(drop),)*
                _ => Err($crate::connect_api::wire::WireError::new($crate::connect_api::write::unmapped_reason(op))),
            }
        }

        /// The members `op`'s input requires (botocore's `required`).
        pub fn required_members(op: Op) -> &'static [&'static str] {
            match op {
                $(Op::$op => &[$($required),*],)*
                _ => &[],
            }
        }

        /// The limits of `op`'s input members, if any.
        pub fn limits(op: Op) -> Option<&'static $crate::connect_api::write::Shape> {
            match op {
                $(Op::$op => $limits,)*
                _ => None,
            }
        }

        /// Sends `op` with the members of `input` (see [`super::write::send`]).
        /// Each operation's call is its own boxed future: one `async fn`
        /// over every arm would hold all their states in one frame (over a
        /// megabyte of stack in debug builds).
        pub fn dispatch<'a>(
            rc: &'a $crate::connect_api::RegionClient,
            op: Op,
            input: &'a serde_json::Value,
        ) -> futures::future::BoxFuture<'a, Result<serde_json::Value, $crate::connect_api::ApiError>> {
            match op {
                $(Op::$op => Box::pin(async move {
                    let request = $crate::connect_api::write::input_builder!(input, $module, $input { $($member => $setter),* } [$($required),*])
                        .map_err(|e| $crate::connect_api::write::invalid_input(rc, op, e))?;
                    rc.paced(op, || request.clone().send_with(&rc.client))
                        .await
                        .map(|out| $crate::connect_api::wire::ToWire::to_wire(&out))
                        .map_err(|e| $crate::connect_api::ApiError::from_sdk(op, &rc.region, e))
                }),)*
                _ => Box::pin(std::future::ready(Err($crate::connect_api::write::not_mapped(rc, op)))),
            }
        }
    };
}

pub(crate) use {input_builder, write_table};

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use aws_sdk_connect::types::{
        Channel, HoursOfOperationConfig, HoursOfOperationDays, MediaConcurrency,
        RoutingProfileQueueConfig,
    };
    use serde_json::json;

    use super::*;
    use crate::catalog::OPERATIONS;
    use crate::connect_api::pacer::Pacer;
    use crate::connect_api::wire::FromWire;

    /// A client that must never be reached: every test here fails before
    /// any call (the endpoint is a closed port, retries off).
    fn offline_client() -> RegionClient {
        let conf = aws_sdk_connect::Config::builder()
            .behavior_version(aws_sdk_connect::config::BehaviorVersion::latest())
            .region(aws_sdk_connect::config::Region::new("us-east-1"))
            .endpoint_url("http://127.0.0.1:9")
            .retry_config(aws_sdk_connect::config::retry::RetryConfig::disabled())
            .build();
        RegionClient::new(
            aws_sdk_connect::Client::from_conf(conf),
            &crate::connect_api::Place::new(None, "us-east-1"),
            Arc::new(Pacer::default()),
        )
    }

    fn send_offline(op: Op, input: Value) -> ApiError {
        let rc = offline_client();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(send(&rc, op, &input))
            .expect_err("the input should be refused before any call")
    }

    #[test]
    fn nested_structures_lists_and_enums() {
        let config = RoutingProfileQueueConfig::from_wire(&json!({
            "QueueReference": {"QueueId": "q-1", "Channel": "VOICE"},
            "Priority": 2,
            "Delay": 30
        }))
        .unwrap();
        assert_eq!(config.queue_reference().unwrap().queue_id(), "q-1");
        assert_eq!(config.queue_reference().unwrap().channel(), &Channel::Voice);
        assert_eq!((config.priority(), config.delay()), (2, 30));

        let hours = Vec::<HoursOfOperationConfig>::from_wire(&json!([
            {"Day": "MONDAY", "StartTime": {"Hours": 9, "Minutes": 0}, "EndTime": {"Hours": 17, "Minutes": 30}}
        ]))
        .unwrap();
        assert_eq!(hours[0].day(), &HoursOfOperationDays::Monday);
        assert_eq!(hours[0].end_time().unwrap().minutes(), 30);

        let media =
            MediaConcurrency::from_wire(&json!({"Channel": "CHAT", "Concurrency": 3})).unwrap();
        assert_eq!(media.concurrency(), 3);
        assert!(media.cross_channel_behavior().is_none());
    }

    #[test]
    fn maps_and_nulls() {
        let tags =
            HashMap::<String, String>::from_wire(&json!({"env": "prod", "team": "ops"})).unwrap();
        assert_eq!(tags["team"], "ops");
        // null is absent, as the SDK serializes None.
        let media = MediaConcurrency::from_wire(
            &json!({"Channel": "TASK", "Concurrency": 1, "CrossChannelBehavior": null}),
        )
        .unwrap();
        assert!(media.cross_channel_behavior().is_none());
        let err = HashMap::<String, String>::from_wire(&json!({"env": 1})).unwrap_err();
        assert_eq!(err.path(), "[\"env\"]");
    }

    #[test]
    fn errors_name_the_member_path() {
        let err = Vec::<RoutingProfileQueueConfig>::from_wire(&json!([
            {"QueueReference": {"QueueId": "q-1", "Channel": "VOICE"}, "Priority": 1, "Delay": 0},
            {"QueueReference": {"QueueId": "q-2", "Channel": "FAX"}, "Priority": 1, "Delay": 0}
        ]))
        .unwrap_err();
        assert_eq!(err.path(), "[1].QueueReference.Channel");
        assert!(
            err.message.contains("unknown Channel value \"FAX\""),
            "{err}"
        );
        assert!(err.message.contains("VOICE"), "{err}");

        let err = RoutingProfileQueueConfig::from_wire(&json!({
            "QueueReference": {"QueueId": "q-1", "Channel": "VOICE"}, "Priority": "high", "Delay": 0
        }))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "input member `Priority`: expected an integer (32-bit), got \"high\""
        );

        let err = RoutingProfileQueueConfig::from_wire(&json!({
            "QueueReference": {"QueueId": "q-1", "Channel": "VOICE"}, "Priority": 1, "Delay": 4_000_000_000i64
        }))
        .unwrap_err();
        assert_eq!(err.path(), "Delay");

        let err = MediaConcurrency::from_wire(&json!("CHAT")).unwrap_err();
        assert_eq!(err.to_string(), "input: expected an object, got \"CHAT\"");
    }

    // No write input is a union yet; the generator's macro is checked on
    // one of the SDK's unions.
    use crate::connect_api::wire::from_wire_union;
    use aws_sdk_connect::types::CreatedByInfo;
    from_wire_union!(CreatedByInfo { "ConnectUserArn" => ConnectUserArn, "AWSIdentityArn" => AwsIdentityArn });

    #[test]
    fn unions_take_exactly_one_member() {
        let by =
            CreatedByInfo::from_wire(&json!({"AWSIdentityArn": "arn:aws:iam::1:role/r"})).unwrap();
        assert_eq!(
            by,
            CreatedByInfo::AwsIdentityArn("arn:aws:iam::1:role/r".into())
        );
        let err = CreatedByInfo::from_wire(&json!({"ConnectUserArn": "a", "AWSIdentityArn": "b"}))
            .unwrap_err();
        assert_eq!(
            err.message,
            "expected exactly one of ConnectUserArn, AWSIdentityArn"
        );
        assert!(CreatedByInfo::from_wire(&json!({})).is_err());
        let err = CreatedByInfo::from_wire(&json!({"ConnectUserArn": 7})).unwrap_err();
        assert_eq!(err.path(), "ConnectUserArn");
    }

    #[test]
    fn unknown_and_missing_members_are_errors() {
        let err = RoutingProfileQueueConfig::from_wire(&json!({
            "QueueReference": {"QueueId": "q-1", "Chanel": "VOICE"}, "Priority": 1, "Delay": 0
        }))
        .unwrap_err();
        assert_eq!(err.path(), "QueueReference.Chanel");
        assert!(err.message.starts_with("unknown member"), "{err}");

        let err = RoutingProfileQueueConfig::from_wire(&json!({
            "QueueReference": {"QueueId": "q-1", "Channel": "VOICE"}, "Delay": 0
        }))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "input member `Priority`: missing required member"
        );

        let err = RoutingProfileQueueConfig::from_wire(&json!({
            "QueueReference": {"QueueId": null, "Channel": "VOICE"}, "Priority": 1, "Delay": 0
        }))
        .unwrap_err();
        assert_eq!(err.path(), "QueueReference.QueueId");
    }

    #[test]
    fn operation_inputs_are_checked_before_any_call() {
        let err = send_offline(
            Op::UpdateQueueMaxContacts,
            json!({"InstanceId": "i", "QueueId": "q", "MaxContact": 5}),
        );
        assert_eq!(err.kind, ApiErrorKind::InvalidRequest);
        assert!(
            err.message.contains("`MaxContact`: unknown member"),
            "{err}"
        );
        assert!(err.message.contains("MaxContacts"), "{err}");

        let err = send_offline(
            Op::UpdateQueueStatus,
            json!({"InstanceId": "i", "QueueId": "q"}),
        );
        assert_eq!(
            err.message,
            "input member `Status`: missing required member"
        );
        let err = send_offline(
            Op::UpdateQueueStatus,
            json!({"InstanceId": "i", "QueueId": "q", "Status": "PAUSED"}),
        );
        assert!(
            err.message.contains("unknown QueueStatus value \"PAUSED\""),
            "{err}"
        );
        let err = send_offline(
            Op::AssociateRoutingProfileQueues,
            json!({"InstanceId": "i", "RoutingProfileId": "r", "QueueConfigs": [{"QueueReference": {"QueueId": "q"}, "Priority": 1, "Delay": 0}]}),
        );
        assert!(
            err.message
                .starts_with("input member `QueueConfigs[0].QueueReference.Channel`"),
            "{err}"
        );
    }

    #[test]
    fn every_write_operation_of_the_table_is_mapped() {
        // The generator and the table cannot drift: a new write row without
        // a re-run of tools/gen_wire.py fails here.
        for row in OPERATIONS {
            assert_eq!(
                is_mapped(row.op),
                !row.is_read(),
                "{}: re-run `python3 tools/gen_wire.py`",
                row.name
            );
            if row.is_read() {
                continue;
            }
            // Each arm knows its members: a made-up one is refused by name.
            let err = send_offline(row.op, json!({"NoSuchMember": 1}));
            assert!(
                err.message
                    .starts_with("input member `NoSuchMember`: unknown member"),
                "{}: {err}",
                row.name
            );
        }
        let err = send_offline(Op::DescribeQueue, json!({}));
        assert!(err.message.contains("is a read"), "{err}");
    }

    /// The problems of a request, rendered.
    fn problems(op: Op, input: Value) -> Vec<String> {
        match check(op, &input) {
            Ok(()) => Vec::new(),
            Err(list) => list.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn lengths_counts_and_ranges_name_the_member_the_value_and_the_limit() {
        let long = "Q".repeat(200);
        assert_eq!(
            problems(
                Op::CreateQueue,
                json!({"InstanceId": "i", "Name": long, "HoursOfOperationId": "h"})
            ),
            [format!(
                "input member `Name`: \"{}…\" is 200 characters; Connect allows 1 to 127",
                "Q".repeat(40)
            )]
        );
        // Every problem of a request, not only the first.
        let queues = |priority: i64, delay: i64| json!({"QueueReference": {"QueueId": "q", "Channel": "VOICE"}, "Priority": priority, "Delay": delay});
        let found = problems(
            Op::AssociateRoutingProfileQueues,
            json!({"InstanceId": "i", "RoutingProfileId": "r",
                   "QueueConfigs": [queues(1, 0), queues(0, 10_000)]}),
        );
        assert_eq!(
            found,
            [
                "input member `QueueConfigs[1].Priority`: is 0; Connect allows 1 to 99",
                "input member `QueueConfigs[1].Delay`: is 10000; Connect allows 0 to 9999",
            ]
        );
        let eleven: Vec<Value> = (0..11).map(|_| queues(1, 0)).collect();
        assert_eq!(
            problems(
                Op::AssociateRoutingProfileQueues,
                json!({"InstanceId": "i", "RoutingProfileId": "r", "QueueConfigs": eleven})
            ),
            ["input member `QueueConfigs`: has 11 items; Connect allows 1 to 10 items"]
        );
        assert_eq!(
            problems(
                Op::UpdateQueueMaxContacts,
                json!({"InstanceId": "i", "QueueId": "q", "MaxContacts": -1})
            ),
            ["input member `MaxContacts`: is -1; Connect needs at least 0"]
        );
        let tags: serde_json::Map<String, Value> =
            (0..51).map(|i| (format!("k{i}"), json!("v"))).collect();
        assert_eq!(
            problems(Op::TagResource, json!({"resourceArn": "a", "tags": tags})),
            ["input member `tags`: has 51 entries; Connect allows 1 to 50 entries"]
        );
        assert!(problems(
            Op::CreateQueue,
            json!({"InstanceId": "i", "Name": "Q".repeat(127), "HoursOfOperationId": "h"})
        )
        .is_empty());
    }

    #[test]
    fn patterns_are_connects_with_lookaheads_checked_on_their_own() {
        // TagKey is `^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`.
        assert_eq!(
            problems(
                Op::TagResource,
                json!({"resourceArn": "a", "tags": {"aws:team": "x", "ok key": "y", "bad#": "z"}})
            ),
            [
                "input member `tags[\"aws:team\"]`: \"aws:team\" does not match Connect's pattern ^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$",
                "input member `tags[\"bad#\"]`: \"bad#\" does not match Connect's pattern ^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$",
            ]
        );
        // A password is checked (three lookaheads) but never shown.
        let user = |password: &str| {
            json!({"InstanceId": "i", "Username": "ava", "Password": password,
                   "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
                   "SecurityProfileIds": ["s"], "RoutingProfileId": "r"})
        };
        let found = problems(Op::CreateUser, user("alllowercase1"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("input member `Password`: (not shown) does not match"),
            "{found:?}"
        );
        assert!(!found[0].contains("alllowercase1"), "{found:?}");
        assert!(problems(Op::CreateUser, user("Passw0rd!x")).is_empty());
        // The model's doubly escaped phone pattern is read as meant (E.164).
        let quick = |number: &str| {
            json!({"InstanceId": "i", "Name": "Desk",
                   "QuickConnectConfig": {"QuickConnectType": "PHONE_NUMBER",
                                          "PhoneConfig": {"PhoneNumber": number}}})
        };
        assert!(problems(Op::CreateQuickConnect, quick("+15551234567")).is_empty());
        assert_eq!(
            problems(Op::CreateQuickConnect, quick("555-1234")),
            ["input member `QuickConnectConfig.PhoneConfig.PhoneNumber`: \"555-1234\" does not match Connect's pattern \\+[1-9]\\d{1,14}$"]
        );
        // The shape is checked first: a wrong type is that one error.
        assert_eq!(
            problems(
                Op::CreateQueue,
                json!({"InstanceId": "i", "Name": 7, "HoursOfOperationId": "h"})
            ),
            ["input member `Name`: expected a string, got 7"]
        );
    }

    /// Every pattern of every write input compiles with the regex crate:
    /// a pattern that did not would check nothing.
    #[test]
    fn every_pattern_compiles() {
        fn walk(shape: &Shape, seen: &mut Vec<&'static str>) {
            let limits = match shape {
                Shape::Structure(members) => {
                    for (_, s) in *members {
                        walk(s, seen);
                    }
                    return;
                }
                Shape::List(l, element) => {
                    element.iter().for_each(|e| walk(e, seen));
                    l
                }
                Shape::Map(l, key, value) => {
                    key.iter().chain(value).for_each(|e| walk(e, seen));
                    l
                }
                Shape::Text(l) | Shape::Number(l) => l,
            };
            if let Some(p) = &limits.pattern {
                assert!(p.regexes().is_some(), "{}: {:?}", p.shown, p.compiled);
                seen.push(p.shown);
            }
        }
        let mut seen = Vec::new();
        for row in OPERATIONS.iter().filter(|r| !r.is_read()) {
            if let Some(shape) = write_ops::limits(row.op) {
                walk(shape, &mut seen);
            }
        }
        seen.sort_unstable();
        seen.dedup();
        assert!(seen.len() >= 15, "{seen:?}");
    }

    #[test]
    fn an_idempotency_token_is_fixed_before_the_first_attempt() {
        let given = json!({"ClientToken": "mine", "InstanceId": "i"});
        assert!(with_idempotency_token(Op::DeleteInstance, &given).is_none());
        let filled =
            with_idempotency_token(Op::DeleteInstance, &json!({"InstanceId": "i"})).unwrap();
        let token = filled["ClientToken"].as_str().unwrap();
        assert!(uuid::Uuid::parse_str(token).is_ok(), "{token}");
        assert!(with_idempotency_token(Op::UpdateQueueName, &json!({})).is_none());
    }

    #[test]
    fn generated_files_say_so() {
        for (name, text) in [
            ("shapes.rs", include_str!("shapes.rs")),
            ("write_ops.rs", include_str!("write_ops.rs")),
        ] {
            assert!(
                text.starts_with("// Generated by tools/gen_wire.py"),
                "{name} must be generated by tools/gen_wire.py"
            );
        }
    }
}
