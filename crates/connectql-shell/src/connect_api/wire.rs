//! aws-sdk-connect's typed values to and from their wire form.
//!
//! The SDK parses Connect's JSON into typed structs; the catalog says which
//! wire member feeds which field (`RoutingProfileId` → `routing_profile_arn`).
//! [`ToWire`] turns a typed answer back into the JSON Connect sent, under
//! the same member names, so one declarative catalog reads every resource.
//! [`FromWire`] is the way back for the write side: wire JSON (botocore
//! member names) into the SDK's input types, strictly — a wrong type, an
//! unknown enum value, an unknown member or a missing required member is a
//! [`WireError`] naming the member's path (`QueueConfigs[0].Priority`).
//! `shapes.rs` (generated from botocore's model) lists each shape's members.

use std::collections::HashMap;

use std::fmt;

use aws_sdk_connect::primitives::DateTime;
use aws_smithy_types::error::operation::BuildError;
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
    ($ty:ty { $($member:literal => $field:ident),* $(,)? }) => {
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

/// Why a wire value is not a valid input, and where: the member path from
/// the input's top (`QueueConfigs[0].QueueReference.Channel`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    path: String,
    pub message: String,
}

impl WireError {
    pub fn new(message: impl Into<String>) -> Self {
        WireError {
            path: String::new(),
            message: message.into(),
        }
    }

    /// The member path, empty for the input itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Errors are made at the leaf and get their path on the way up, so a
    /// valid input never pays for building paths.
    fn prefixed(mut self, segment: String) -> Self {
        if !self.path.is_empty() && !self.path.starts_with('[') {
            self.path.insert(0, '.');
        }
        self.path.insert_str(0, &segment);
        self
    }

    /// The error is inside member `name` of an object.
    pub fn within(self, name: &str) -> Self {
        self.prefixed(name.to_string())
    }

    /// The error is inside element `index` of a list.
    pub fn at(self, index: usize) -> Self {
        self.prefixed(format!("[{index}]"))
    }

    /// The error is inside the entry `key` of a map.
    pub fn entry(self, key: &str) -> Self {
        self.prefixed(format!("[{key:?}]"))
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "input: {}", self.message)
        } else {
            write!(f, "input member `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for WireError {}

/// A typed SDK input value from the JSON Connect takes for it.
pub trait FromWire: Sized {
    fn from_wire(value: &Value) -> Result<Self, WireError>;
}

/// What a value is, for "expected X, got Y" (the value itself, shortened).
fn got(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

fn expected(what: &str, value: &Value) -> WireError {
    WireError::new(format!("expected {what}, got {}", got(value)))
}

impl FromWire for String {
    fn from_wire(value: &Value) -> Result<Self, WireError> {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| expected("a string", value))
    }
}
impl FromWire for bool {
    fn from_wire(value: &Value) -> Result<Self, WireError> {
        value
            .as_bool()
            .ok_or_else(|| expected("true or false", value))
    }
}
impl FromWire for i32 {
    fn from_wire(value: &Value) -> Result<Self, WireError> {
        value
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .ok_or_else(|| expected("an integer (32-bit)", value))
    }
}
impl FromWire for i64 {
    fn from_wire(value: &Value) -> Result<Self, WireError> {
        value
            .as_i64()
            .ok_or_else(|| expected("an integer (64-bit)", value))
    }
}
impl FromWire for f64 {
    fn from_wire(value: &Value) -> Result<Self, WireError> {
        value.as_f64().ok_or_else(|| expected("a number", value))
    }
}
impl FromWire for f32 {
    fn from_wire(value: &Value) -> Result<Self, WireError> {
        f64::from_wire(value).map(|n| n as f32)
    }
}
/// Timestamps are epoch seconds on the wire.
impl FromWire for DateTime {
    fn from_wire(value: &Value) -> Result<Self, WireError> {
        value
            .as_f64()
            .filter(|n| n.is_finite())
            .map(DateTime::from_secs_f64)
            .ok_or_else(|| expected("a timestamp (epoch seconds)", value))
    }
}
impl<T: FromWire> FromWire for Vec<T> {
    fn from_wire(value: &Value) -> Result<Self, WireError> {
        let items = value.as_array().ok_or_else(|| expected("a list", value))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| T::from_wire(item).map_err(|e| e.at(i)))
            .collect()
    }
}
impl<T: FromWire> FromWire for HashMap<String, T> {
    fn from_wire(value: &Value) -> Result<Self, WireError> {
        let entries = value.as_object().ok_or_else(|| expected("a map", value))?;
        entries
            .iter()
            .map(|(k, v)| Ok((k.clone(), T::from_wire(v).map_err(|e| e.entry(k))?)))
            .collect()
    }
}

/// The members of a structure's wire object, checked against its shape:
/// every member must be one of `known`, every one of `required` present.
/// A JSON `null` counts as absent, as the SDK serializes `None`.
pub fn members<'a>(
    value: &'a Value,
    known: &[&str],
    required: &[&str],
) -> Result<&'a Map<String, Value>, WireError> {
    let object = value
        .as_object()
        .ok_or_else(|| expected("an object", value))?;
    if let Some(unknown) = object.keys().find(|k| !known.contains(&k.as_str())) {
        // A typo must not be dropped silently; say what would have fitted.
        return Err(WireError::new(format!(
            "unknown member (the members are: {})",
            known.join(", ")
        ))
        .within(unknown));
    }
    if let Some(absent) = required
        .iter()
        .find(|r| object.get(**r).is_none_or(Value::is_null))
    {
        return Err(WireError::new("missing required member").within(absent));
    }
    Ok(object)
}

/// One member of a checked object, typed by the setter it feeds.
pub fn member<T: FromWire>(
    object: &Map<String, Value>,
    name: &str,
) -> Result<Option<T>, WireError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => T::from_wire(v).map(Some).map_err(|e| e.within(name)),
    }
}

/// A wire enum value, one of `values` (the SDK's known ones).
pub fn enum_value<'a>(
    value: &'a Value,
    type_name: &str,
    values: &[&str],
) -> Result<&'a str, WireError> {
    let text = value
        .as_str()
        .ok_or_else(|| expected(&format!("a {type_name} string"), value))?;
    if values.contains(&text) {
        Ok(text)
    } else {
        // Some enums are long (country codes): name the first few.
        const SHOWN: usize = 20;
        let more = if values.len() > SHOWN { ", …" } else { "" };
        let shown = &values[..values.len().min(SHOWN)];
        Err(WireError::new(format!(
            "unknown {type_name} value {text:?} (expected one of {}{more})",
            shown.join(", ")
        )))
    }
}

/// A builder whose `build()` cannot fail.
pub fn built<T>(value: T) -> Result<T, WireError> {
    Ok(value)
}

/// A builder whose `build()` checks required members (already checked by
/// [`members`], so this only fires if the SDK requires more than botocore).
pub fn checked<T>(result: Result<T, BuildError>) -> Result<T, WireError> {
    result.map_err(|e| WireError::new(e.to_string()))
}

/// `FromWire` for a structure, through its builder:
/// `Type, built|checked { "WireMember" => set_field, ... } required [...]`.
macro_rules! from_wire_struct {
    ($ty:ty, $build:ident { $($member:literal => $setter:ident),* $(,)? } required [$($required:literal),* $(,)?]) => {
        impl $crate::connect_api::wire::FromWire for $ty {
            fn from_wire(
                value: &serde_json::Value,
            ) -> Result<Self, $crate::connect_api::wire::WireError> {
                #[allow(unused_variables)]
                let object = $crate::connect_api::wire::members(
                    value,
                    &[$($member),*],
                    &[$($required),*],
                )?;
                let builder = <$ty>::builder()
                    $(.$setter($crate::connect_api::wire::member(object, $member)?))*;
                $crate::connect_api::wire::$build(builder.build())
            }
        }
    };
}

/// `FromWire` for a union: an object with exactly one of the members.
// No write operation takes a union yet; the generator emits it when one does.
#[allow(unused_macros)]
macro_rules! from_wire_union {
    ($ty:ident { $($member:literal => $variant:ident),* $(,)? }) => {
        impl $crate::connect_api::wire::FromWire for $ty {
            fn from_wire(
                value: &serde_json::Value,
            ) -> Result<Self, $crate::connect_api::wire::WireError> {
                use $crate::connect_api::wire::{FromWire, WireError};
                let known = [$($member),*];
                let object = $crate::connect_api::wire::members(value, &known, &[])?;
                let mut set = object.iter().filter(|(_, v)| !v.is_null());
                match (set.next(), set.next()) {
                    $((Some((name, v)), None) if name == $member => Ok($ty::$variant(
                        FromWire::from_wire(v).map_err(|e| e.within(name))?,
                    )),)*
                    _ => Err(WireError::new(format!(
                        "expected exactly one of {}",
                        known.join(", ")
                    ))),
                }
            }
        }
    };
}

/// `FromWire` for enums: only the values the SDK knows (`From<&str>` would
/// take any string as `Unknown` and send a typo to Connect).
macro_rules! from_wire_enum {
    ($($ty:ident),* $(,)?) => {
        $(impl $crate::connect_api::wire::FromWire for $ty {
            fn from_wire(
                value: &serde_json::Value,
            ) -> Result<Self, $crate::connect_api::wire::WireError> {
                $crate::connect_api::wire::enum_value(value, stringify!($ty), $ty::values())
                    .map($ty::from)
            }
        })*
    };
}

#[allow(unused_imports)]
pub(crate) use {from_wire_enum, from_wire_struct, from_wire_union, wire_enum, wire_struct};
