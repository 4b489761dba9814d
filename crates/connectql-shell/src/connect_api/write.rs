//! Write calls, generic over the operation table: [`send`] takes any write
//! operation and its input as wire JSON, and answers with the output as
//! wire JSON.
//!
//! The design mirrors the read side, but is generated rather than written:
//! `tools/gen_wire.py` reads botocore's model of every write operation in the
//! table and emits `write_ops.rs` (one dispatch arm per operation, setting
//! every input member on the SDK's fluent builder) and the `FromWire`
//! conversions of their input shapes into `shapes.rs`. So the input
//! members are exactly botocore's, wherever the HTTP binding puts them (URI
//! label, query string or body): the SDK does the binding.
//!
//! The input is checked whole before any call: an unknown member (a typo
//! must not be dropped), a missing required member, a wrong type or an
//! unknown enum value is an [`ApiErrorKind::InvalidRequest`] naming the
//! member path. Every call goes through the pacer; an operation with an
//! idempotency token gets one before the first attempt, so a resend after
//! throttling is the same request and is applied once.

use serde_json::Value;

use super::wire::WireError;
use super::write_ops;
use super::{ApiError, ApiErrorKind, RegionClient};
use crate::catalog::Op;

/// Sends one write operation. `input` holds every input member of the
/// operation under its botocore name — URI labels (InstanceId, QueueId,
/// resourceArn…), query members (tagKeys, Origin, ClientToken…) and body
/// members alike — as wire JSON. Returns the answer as wire JSON (`{}`
/// for operations with an empty output).
pub async fn send(rc: &RegionClient, op: Op, input: &Value) -> Result<Value, ApiError> {
    match with_idempotency_token(op, input) {
        Some(input) => write_ops::dispatch(rc, op, &input).await,
        None => write_ops::dispatch(rc, op, input).await,
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
    let why = if op.def().is_read() {
        "is a read; reads go through connect_api::read".to_string()
    } else {
        "has no mapping yet: re-run `python3 tools/gen_wire.py`".to_string()
    };
    ApiError::new(
        op,
        &rc.region,
        ApiErrorKind::InvalidRequest,
        format!("internal: {op} {why}"),
    )
}

/// One arm of the generated dispatch: checks `input` against the
/// operation's members, sets each on the fluent builder (its type comes
/// from the setter), sends it through the pacer and renders the answer.
macro_rules! write_op {
    ($rc:ident, $op:ident, $input:ident, $method:ident { $($member:literal => $setter:ident),* $(,)? } required [$($required:literal),* $(,)?]) => {{
        // A closure, so that `?` ends the conversion (before any call) and
        // not the whole dispatch.
        let converted: Result<_, $crate::connect_api::wire::WireError> = (|| {
            #[allow(unused_variables)]
            let object = $crate::connect_api::wire::members(
                $input,
                &[$($member),*],
                &[$($required),*],
            )?;
            Ok($rc.client.$method()
                $(.$setter($crate::connect_api::wire::member(object, $member)?))*)
        })();
        match converted {
            Err(e) => Err($crate::connect_api::write::invalid_input($rc, $op, e)),
            Ok(call) => $rc
                .paced($op, || call.clone().send())
                .await
                .map(|out| $crate::connect_api::wire::ToWire::to_wire(&out))
                .map_err(|e| $crate::connect_api::ApiError::from_sdk($op, &$rc.region, e)),
        }
    }};
}

pub(crate) use write_op;

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
            "us-east-1",
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
