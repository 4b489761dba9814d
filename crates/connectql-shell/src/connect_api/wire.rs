//! aws-sdk-connect answers back in their wire form.
//!
//! The SDK parses Connect's JSON into typed structs; the catalog says which
//! wire member feeds which field (`RoutingProfileId` → `routing_profile_arn`).
//! [`ToWire`] turns a typed answer back into the JSON Connect sent, under
//! the same member names, so one declarative catalog reads every resource.
//! `shapes.rs` (generated from botocore's model) lists each shape's members.

use std::collections::HashMap;

use aws_sdk_connect::primitives::DateTime;
use serde_json::{Map, Number, Value};

/// A typed SDK value as the JSON Connect sends for it.
pub trait ToWire {
    fn to_wire(&self) -> Value;
}

impl ToWire for String {
    fn to_wire(&self) -> Value {
        Value::String(self.clone())
    }
}
impl ToWire for bool {
    fn to_wire(&self) -> Value {
        Value::Bool(*self)
    }
}
impl ToWire for i32 {
    fn to_wire(&self) -> Value {
        Value::from(*self)
    }
}
impl ToWire for i64 {
    fn to_wire(&self) -> Value {
        Value::from(*self)
    }
}
impl ToWire for f32 {
    fn to_wire(&self) -> Value {
        Number::from_f64(f64::from(*self))
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}
impl ToWire for f64 {
    fn to_wire(&self) -> Value {
        Number::from_f64(*self)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}
/// Timestamps are epoch seconds on the wire.
impl ToWire for DateTime {
    fn to_wire(&self) -> Value {
        self.as_secs_f64().to_wire()
    }
}
impl<T: ToWire> ToWire for Option<T> {
    fn to_wire(&self) -> Value {
        match self {
            Some(v) => v.to_wire(),
            None => Value::Null,
        }
    }
}
impl<T: ToWire> ToWire for Vec<T> {
    fn to_wire(&self) -> Value {
        Value::Array(self.iter().map(ToWire::to_wire).collect())
    }
}
impl<T: ToWire> ToWire for HashMap<String, T> {
    fn to_wire(&self) -> Value {
        // Sorted, so that equal answers render equally.
        let mut keys: Vec<&String> = self.keys().collect();
        keys.sort();
        Value::Object(
            keys.into_iter()
                .map(|k| (k.clone(), self[k].to_wire()))
                .collect(),
        )
    }
}

/// Inserts a member unless the SDK had nothing for it (absent on the wire).
pub fn put(map: &mut Map<String, Value>, member: &str, value: Value) {
    if !value.is_null() {
        map.insert(member.to_string(), value);
    }
}

/// `ToWire` for a structure: `"WireMember" => rust_field, ...`.
macro_rules! wire_struct {
    ($ty:ident { $($member:literal => $field:ident),* $(,)? }) => {
        impl $crate::connect_api::wire::ToWire for $ty {
            fn to_wire(&self) -> serde_json::Value {
                #[allow(unused_mut)]
                let mut m = serde_json::Map::new();
                $($crate::connect_api::wire::put(
                    &mut m,
                    $member,
                    $crate::connect_api::wire::ToWire::to_wire(&self.$field),
                );)*
                serde_json::Value::Object(m)
            }
        }
    };
}

/// `ToWire` for enums: their wire string (unknown values included).
macro_rules! wire_enum {
    ($($ty:ident),* $(,)?) => {
        $(impl $crate::connect_api::wire::ToWire for $ty {
            fn to_wire(&self) -> serde_json::Value {
                serde_json::Value::String(self.as_str().to_string())
            }
        })*
    };
}

pub(crate) use {wire_enum, wire_struct};
