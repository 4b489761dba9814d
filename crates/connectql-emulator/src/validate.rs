//! Request validation with Connect's messages and status codes: typed access to
//! JSON members, lengths, patterns, enums, ranges, tags, aliases, page sizes and
//! page tokens.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::wire::{query_get, ApiError};
use connect_operations::Op;

pub fn constraint(value: &str, member: &str, rule: &str) -> String {
    let shown: String = value.chars().take(100).collect();
    format!("1 validation error detected: Value '{shown}' at '{member}' failed to satisfy constraint: {rule}")
}

pub fn missing(member: &str) -> String {
    format!("1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null")
}

/// Parse a JSON request body; empty = `{}`. Non-JSON or non-object → SerializationException.
pub fn parse_body(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::serialization(
            "Start of structure or map found where not expected: the request body must be a JSON object",
        )),
        Err(e) => Err(ApiError::serialization(format!(
            "Could not parse the request body as JSON: {e}"
        ))),
    }
}

pub fn type_error(member: &str, expected: &str) -> ApiError {
    ApiError::serialization(format!(
        "Unexpected value type for member '{member}': expected {expected}"
    ))
}

pub fn get_str<'a>(m: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(type_error(key, "a string")),
    }
}

pub fn get_bool(m: &Map<String, Value>, key: &str) -> Result<Option<bool>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(type_error(key, "a boolean")),
    }
}

pub fn get_string_map(
    m: &Map<String, Value>,
    key: &str,
) -> Result<Option<BTreeMap<String, String>>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => {
            let mut out = BTreeMap::new();
            for (k, v) in o {
                let v = v
                    .as_str()
                    .ok_or_else(|| type_error(key, "a map of string to string"))?;
                out.insert(k.clone(), v.to_string());
            }
            Ok(Some(out))
        }
        Some(_) => Err(type_error(key, "a map of string to string")),
    }
}

pub static ALIAS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([\da-zA-Z]+)([-]*[\da-zA-Z])*$").expect("alias regex"));
pub static DIRECTORY_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^d-[0-9a-f]{10}$").expect("directory regex"));
/// botocore's `.*\S.*` (ContactFlowModuleName, ContactFlowModuleDescription) as
/// Connect's validator applies a model pattern: to the whole value, with Java's
/// `.`, which matches no line terminator (`\n`, `\r`, U+0085, U+2028, U+2029). So a
/// blank value and one with a line break are refused; other control characters
/// (a tab) are accepted.
pub static NON_BLANK_LINE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^\n\r\x{85}\x{2028}\x{2029}]*\S[^\n\r\x{85}\x{2028}\x{2029}]*$")
        .expect("non-blank line regex")
});
pub static TAG_KEY_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$").expect("tag key regex"));

/// Validate an InstanceAlias: 1..45 chars, `^(?!d-)([\da-zA-Z]+)([-]*[\da-zA-Z])*$`.
pub fn validate_alias(alias: &str) -> Result<(), String> {
    let n = alias.chars().count();
    if !(1..=45).contains(&n) {
        return Err(constraint(
            alias,
            "instanceAlias",
            "Member must have length between 1 and 45",
        ));
    }
    if alias.starts_with("d-") || !ALIAS_RE.is_match(alias) {
        return Err(constraint(
            alias,
            "instanceAlias",
            r"Member must satisfy regular expression pattern: ^(?!d-)([\da-zA-Z]+)([-]*[\da-zA-Z])*$",
        ));
    }
    Ok(())
}

pub fn validate_tag_key(key: &str) -> Result<(), String> {
    let n = key.chars().count();
    if !(1..=128).contains(&n) {
        return Err(constraint(
            key,
            "tags.key",
            "Member must have length between 1 and 128",
        ));
    }
    if key.to_ascii_lowercase().starts_with("aws:") || !TAG_KEY_RE.is_match(key) {
        return Err(constraint(
            key,
            "tags.key",
            r"Member must satisfy regular expression pattern: ^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$",
        ));
    }
    Ok(())
}

/// Validate a TagMap: 1..50 entries, keys 1..128 matching the pattern, values ≤ 256.
pub fn validate_tags(tags: &BTreeMap<String, String>) -> Result<(), String> {
    if tags.is_empty() || tags.len() > 50 {
        return Err(format!(
            "1 validation error detected: Value at 'tags' failed to satisfy constraint: \
             Member must have between 1 and 50 entries (got {})",
            tags.len()
        ));
    }
    for (k, v) in tags {
        validate_tag_key(k)?;
        if v.chars().any(char::is_control) {
            return Err(constraint(
                v,
                "tags.value",
                "Member must not contain control characters",
            ));
        }
        if v.chars().count() > 256 {
            return Err(constraint(
                v,
                "tags.value",
                "Member must have length less than or equal to 256",
            ));
        }
    }
    Ok(())
}

/// Parse `maxResults` from the query string: absent → `default`, outside lo..=hi → 400.
pub fn max_results(query: &[(String, String)], hi: usize) -> Result<usize, ApiError> {
    let Some(raw) = query_get(query, "maxResults") else {
        return Ok(hi);
    };
    let n: i64 = raw.trim().parse().map_err(|_| {
        ApiError::serialization(format!(
            "Could not convert maxResults value '{}' to an integer",
            raw.chars().take(50).collect::<String>()
        ))
    })?;
    if n < 1 {
        return Err(ApiError::invalid_parameter(constraint(
            raw,
            "maxResults",
            "Member must have value greater than or equal to 1",
        )));
    }
    if n > hi as i64 {
        return Err(ApiError::invalid_parameter(constraint(
            raw,
            "maxResults",
            &format!("Member must have value less than or equal to {hi}"),
        )));
    }
    Ok(n as usize)
}

/// The `MaxResults` used when a request has none: 100, or the largest page when
/// that is smaller (the model documents "The default MaxResult size is 100").
pub fn default_page(op: Op) -> usize {
    op.def().max_results.map_or(100, |m| (m as usize).min(100))
}

/// `maxResults` of a query string, validated against the operation's table row.
pub fn page_size_query(op: Op, query: &[(String, String)]) -> Result<usize, ApiError> {
    let hi = op.def().max_results.unwrap_or(100) as usize;
    match query_get(query, "maxResults") {
        None => Ok(default_page(op)),
        Some(_) => max_results(query, hi),
    }
}

/// `MaxResults` of a JSON body, validated against the operation's table row.
pub fn page_size_body(op: Op, m: &Map<String, Value>) -> Result<usize, ApiError> {
    let hi = op.def().max_results.unwrap_or(100) as i64;
    match get_i64(m, "MaxResults")? {
        None => Ok(default_page(op)),
        Some(n) if n < 1 => Err(ApiError::invalid_parameter(constraint(
            &n.to_string(),
            "maxResults",
            "Member must have value greater than or equal to 1",
        ))),
        Some(n) if n > hi => Err(ApiError::invalid_parameter(constraint(
            &n.to_string(),
            "maxResults",
            &format!("Member must have value less than or equal to {hi}"),
        ))),
        Some(n) => Ok(n as usize),
    }
}

const TOKEN_MASK: u64 = 0x9e37_79b9_7f4a_7c15;

/// An opaque page token for `op`: where the next page starts (a sequence
/// number or an offset).
pub fn encode_token(op: Op, n: u64) -> String {
    format!("cq2{:02x}{:016x}", op as u8, n ^ TOKEN_MASK)
}

/// Decode a token sent back; absent or empty = `None`; anything that is not a
/// token of this operation → 400 InvalidRequestException.
pub fn decode_token(op: Op, raw: Option<&str>) -> Result<Option<u64>, ApiError> {
    let raw = match raw {
        None | Some("") => return Ok(None),
        Some(t) => t,
    };
    let prefix = format!("cq2{:02x}", op as u8);
    raw.strip_prefix(prefix.as_str())
        .filter(|h| h.len() == 16)
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .map(|n| Some(n ^ TOKEN_MASK))
        .ok_or_else(|| ApiError::invalid_request("Invalid NextToken"))
}

/// The `nextToken` of a query string.
pub fn query_token(op: Op, query: &[(String, String)]) -> Result<Option<u64>, ApiError> {
    decode_token(op, query_get(query, "nextToken"))
}

/// The `NextToken` of a JSON body.
pub fn body_token(op: Op, m: &Map<String, Value>) -> Result<Option<u64>, ApiError> {
    decode_token(op, get_str(m, "NextToken")?)
}

pub fn get_i64(m: &Map<String, Value>, key: &str) -> Result<Option<i64>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| type_error(key, "an integer")),
        Some(_) => Err(type_error(key, "an integer")),
    }
}

pub fn get_f64(m: &Map<String, Value>, key: &str) -> Result<Option<f64>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .map(Some)
            .ok_or_else(|| type_error(key, "a number")),
        Some(_) => Err(type_error(key, "a number")),
    }
}

pub fn get_obj<'a>(
    m: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a Map<String, Value>>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(type_error(key, "a structure")),
    }
}

pub fn get_array<'a>(
    m: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a [Value]>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a)),
        Some(_) => Err(type_error(key, "a list")),
    }
}

/// A required member: absent → 400 InvalidParameterException "must not be null".
pub fn required<T>(v: Option<T>, member: &str) -> Result<T, ApiError> {
    v.ok_or_else(|| ApiError::invalid_parameter(missing(member)))
}

/// Length in characters within `min..=max`.
pub fn check_len(value: &str, member: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let n = value.chars().count();
    if n < min || n > max {
        let rule = if min == 0 {
            format!("Member must have length less than or equal to {max}")
        } else if max == usize::MAX {
            format!("Member must have length greater than or equal to {min}")
        } else {
            format!("Member must have length between {min} and {max}")
        };
        return Err(ApiError::invalid_parameter(constraint(
            value, member, &rule,
        )));
    }
    Ok(())
}

/// A value from an enum.
pub fn check_enum(value: &str, member: &str, allowed: &[&str]) -> Result<(), ApiError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(constraint(
            value,
            member,
            &format!(
                "Member must satisfy enum value set: [{}]",
                allowed.join(", ")
            ),
        )))
    }
}

/// A value matching a regular expression (`shown` = the pattern as the model spells it).
pub fn check_pattern(value: &str, member: &str, re: &Regex, shown: &str) -> Result<(), ApiError> {
    if re.is_match(value) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(constraint(
            value,
            member,
            &format!("Member must satisfy regular expression pattern: {shown}"),
        )))
    }
}

/// An integer within `min..=max`.
pub fn check_range(value: i64, member: &str, min: i64, max: i64) -> Result<(), ApiError> {
    if value < min {
        return Err(ApiError::invalid_parameter(constraint(
            &value.to_string(),
            member,
            &format!("Member must have value greater than or equal to {min}"),
        )));
    }
    if value > max {
        return Err(ApiError::invalid_parameter(constraint(
            &value.to_string(),
            member,
            &format!("Member must have value less than or equal to {max}"),
        )));
    }
    Ok(())
}

/// A required string of `min..=max` characters.
pub fn req_str<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    min: usize,
    max: usize,
) -> Result<&'a str, ApiError> {
    let v = required(get_str(m, key)?, key)?;
    check_len(v, key, min, max)?;
    Ok(v)
}

/// An optional string of `min..=max` characters.
pub fn opt_str<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    min: usize,
    max: usize,
) -> Result<Option<&'a str>, ApiError> {
    let v = get_str(m, key)?;
    if let Some(v) = v {
        check_len(v, key, min, max)?;
    }
    Ok(v)
}

/// A list of strings with `min..=max` entries.
pub fn str_list(
    m: &Map<String, Value>,
    key: &str,
    min: usize,
    max: usize,
) -> Result<Option<Vec<String>>, ApiError> {
    let Some(arr) = get_array(m, key)? else {
        return Ok(None);
    };
    if arr.len() < min || arr.len() > max {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value at '{key}' failed to satisfy constraint: \
             Member must have length between {min} and {max} (got {})",
            arr.len()
        )));
    }
    arr.iter()
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| type_error(key, "a list of strings"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A list of structures.
pub fn obj_list<'a>(
    m: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<Vec<&'a Map<String, Value>>>, ApiError> {
    let Some(arr) = get_array(m, key)? else {
        return Ok(None);
    };
    arr.iter()
        .map(|v| {
            v.as_object()
                .ok_or_else(|| type_error(key, "a list of structures"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The optional `Tags` (or `tags`) member of a create request, validated.
pub fn opt_tags(
    m: &Map<String, Value>,
    key: &str,
) -> Result<Option<BTreeMap<String, String>>, ApiError> {
    let tags = get_string_map(m, key)?;
    if let Some(t) = &tags {
        validate_tags(t).map_err(ApiError::invalid_parameter)?;
    }
    Ok(tags)
}

/// An optional `ClientToken` (at most 500 characters).
pub fn client_token(m: &Map<String, Value>) -> Result<Option<&str>, ApiError> {
    let t = get_str(m, "ClientToken")?.filter(|t| !t.is_empty());
    if let Some(t) = t {
        check_len(t, "clientToken", 0, 500)?;
    }
    Ok(t)
}

/// An E.164 phone number: `\+[1-9]\d{1,14}`.
pub fn check_e164(value: &str, member: &str) -> Result<(), ApiError> {
    check_pattern(value, member, &E164_RE, r"\+[1-9]\d{1,14}$")
}

pub static E164_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\+[1-9]\d{1,14}$").expect("e164 regex"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_rules() {
        assert!(validate_alias("acme-support").is_ok());
        assert!(validate_alias("a").is_ok());
        assert!(validate_alias("a--b").is_ok());
        assert!(validate_alias("d-abc").is_err());
        assert!(validate_alias("D-abc").is_ok());
        assert!(validate_alias("-abc").is_err());
        assert!(validate_alias("abc-").is_err());
        assert!(validate_alias("ab_c").is_err());
        assert!(validate_alias("").is_err());
        assert!(validate_alias(&"a".repeat(45)).is_ok());
        assert!(validate_alias(&"a".repeat(46)).is_err());
    }

    #[test]
    fn tag_rules() {
        let mut t = BTreeMap::new();
        assert!(validate_tags(&t).is_err());
        t.insert("env".to_string(), "prod".to_string());
        assert!(validate_tags(&t).is_ok());
        t.insert("aws:x".to_string(), "v".to_string());
        assert!(validate_tags(&t).is_err());
        t.remove("aws:x");
        t.insert("bad#key".to_string(), "v".to_string());
        assert!(validate_tags(&t).is_err());
    }

    #[test]
    fn tokens_round_trip() {
        let t = encode_token(Op::ListInstances, 42);
        let q = vec![("nextToken".to_string(), t)];
        assert_eq!(query_token(Op::ListInstances, &q).unwrap(), Some(42));
        assert!(query_token(Op::ListUsers, &q).is_err());
        let bad = vec![("nextToken".to_string(), "garbage".to_string())];
        assert!(query_token(Op::ListInstances, &bad).is_err());
        assert_eq!(default_page(Op::ListUsers), 100);
        assert_eq!(default_page(Op::ListInstances), 10);
    }

    #[test]
    fn bodies() {
        assert!(parse_body(b"").unwrap().is_empty());
        assert_eq!(parse_body(b"{").unwrap_err().code, "SerializationException");
        assert_eq!(
            parse_body(b"[1]").unwrap_err().code,
            "SerializationException"
        );
        let m = parse_body(br#"{"InboundCallsEnabled":"yes"}"#).unwrap();
        assert_eq!(
            get_bool(&m, "InboundCallsEnabled").unwrap_err().code,
            "SerializationException"
        );
    }
}
