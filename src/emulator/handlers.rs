//! The Amazon Connect operations: request validation and the operation logic
//! against the [`Store`].

use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use regex::Regex;
use serde_json::{json, Map, Value};

use super::router::Route;
use super::state::{
    attribute_index, now_epoch, NewInstance, Store, ATTRIBUTE_TYPES, IDENTITY_TYPES,
};
use super::wire::{query_all, query_get, to_body, ApiError};
use crate::catalog::operations::Op;

/// Per-request context.
#[derive(Debug, Clone)]
pub struct Ctx<'a> {
    pub region: &'a str,
    pub now: Instant,
    pub create_delay: Duration,
    pub instance_quota: usize,
}

/// Run one operation. Success is always HTTP 200; the returned bytes are the body
/// (empty for operations without output members).
pub fn handle(
    store: &mut Store,
    ctx: &Ctx<'_>,
    route: &Route,
    query: &[(String, String)],
    body: &[u8],
) -> Result<Vec<u8>, ApiError> {
    let instance = route.label("InstanceId").unwrap_or_default();
    let attribute = route.label("AttributeType").unwrap_or_default();
    let arn = route.label("resourceArn").unwrap_or_default();
    match route.op {
        Op::ListInstances => list_instances(store, ctx, query),
        Op::DescribeInstance => describe_instance(store, ctx, instance),
        Op::ListInstanceAttributes => list_instance_attributes(store, ctx, instance, query),
        Op::DescribeInstanceAttribute => {
            describe_instance_attribute(store, ctx, instance, attribute)
        }
        Op::UpdateInstanceAttribute => {
            update_instance_attribute(store, ctx, instance, attribute, body)
        }
        Op::ListTagsForResource => list_tags(store, ctx, arn),
        Op::TagResource => tag_resource(store, ctx, arn, body),
        Op::UntagResource => untag_resource(store, ctx, arn, query),
        Op::CreateInstance => create_instance(store, ctx, body),
        Op::DeleteInstance => delete_instance(store, ctx, instance, query),
        op => Err(ApiError::unknown_operation_named(op.name())),
    }
}

/// Whether a successful response of `op` carries a JSON body.
pub fn has_output_body(op: Op) -> bool {
    let def = op.def();
    def.is_read()
        || def.name.starts_with("Create")
        || matches!(
            op,
            Op::ClaimPhoneNumber | Op::AssociateInstanceStorageConfig
        )
}

// ---------------------------------------------------------------- validation helpers

fn constraint(value: &str, member: &str, rule: &str) -> String {
    let shown: String = value.chars().take(100).collect();
    format!("1 validation error detected: Value '{shown}' at '{member}' failed to satisfy constraint: {rule}")
}

fn missing(member: &str) -> String {
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

fn type_error(member: &str, expected: &str) -> ApiError {
    ApiError::serialization(format!(
        "Unexpected value type for member '{member}': expected {expected}"
    ))
}

fn get_str<'a>(m: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(type_error(key, "a string")),
    }
}

fn get_bool(m: &Map<String, Value>, key: &str) -> Result<Option<bool>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(type_error(key, "a boolean")),
    }
}

fn get_string_map(
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

static ALIAS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([\da-zA-Z]+)([-]*[\da-zA-Z])*$").expect("alias regex"));
static DIRECTORY_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^d-[0-9a-f]{10}$").expect("directory regex"));
static TAG_KEY_RE: LazyLock<Regex> =
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

fn validate_tag_key(key: &str) -> Result<(), String> {
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
fn max_results(query: &[(String, String)], hi: usize) -> Result<usize, ApiError> {
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

const TOKEN_MASK: u64 = 0x9e37_79b9_7f4a_7c15;

fn encode_token(kind: char, n: u64) -> String {
    format!("cq1{kind}{:016x}", n ^ TOKEN_MASK)
}

fn next_token(query: &[(String, String)], kind: char) -> Result<Option<u64>, ApiError> {
    let raw = match query_get(query, "nextToken") {
        None | Some("") => return Ok(None),
        Some(t) => t,
    };
    raw.strip_prefix("cq1")
        .and_then(|r| r.strip_prefix(kind))
        .filter(|h| h.len() == 16)
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .map(|n| Some(n ^ TOKEN_MASK))
        .ok_or_else(|| ApiError::invalid_request("Invalid NextToken"))
}

// ---------------------------------------------------------------- operations

fn list_instances(
    store: &mut Store,
    ctx: &Ctx<'_>,
    query: &[(String, String)],
) -> Result<Vec<u8>, ApiError> {
    let max = max_results(query, 10)?;
    let start = next_token(query, 'i')?.unwrap_or(0);
    let mut list = Vec::new();
    let mut token = None;
    if let Some(r) = store.region(ctx.region) {
        for (seq, inst) in r.instances.range(start..) {
            if list.len() == max {
                token = Some(encode_token('i', *seq));
                break;
            }
            list.push(inst.summary_json(ctx.now));
        }
    }
    let mut out = Map::new();
    out.insert("InstanceSummaryList".into(), Value::Array(list));
    if let Some(t) = token {
        out.insert("NextToken".into(), json!(t));
    }
    Ok(to_body(&Value::Object(out)))
}

fn describe_instance(
    store: &mut Store,
    ctx: &Ctx<'_>,
    instance: &str,
) -> Result<Vec<u8>, ApiError> {
    let id = store.resolve_instance(ctx.region, instance)?;
    let inst = store
        .region(ctx.region)
        .and_then(|r| r.get(&id))
        .ok_or_else(|| ApiError::not_found("Instance not found"))?;
    Ok(to_body(&json!({"Instance": inst.describe_json(ctx.now)})))
}

fn attribute_type(name: &str) -> Result<usize, ApiError> {
    attribute_index(name).ok_or_else(|| {
        ApiError::invalid_parameter(constraint(
            name,
            "attributeType",
            &format!(
                "Member must satisfy enum value set: [{}]",
                ATTRIBUTE_TYPES.join(", ")
            ),
        ))
    })
}

fn list_instance_attributes(
    store: &mut Store,
    ctx: &Ctx<'_>,
    instance: &str,
    query: &[(String, String)],
) -> Result<Vec<u8>, ApiError> {
    let max = max_results(query, 7)?;
    let start = next_token(query, 'a')?.unwrap_or(0) as usize;
    if start > ATTRIBUTE_TYPES.len() {
        return Err(ApiError::invalid_request("Invalid NextToken"));
    }
    let id = store.resolve_instance(ctx.region, instance)?;
    let inst = store
        .region(ctx.region)
        .and_then(|r| r.get(&id))
        .ok_or_else(|| ApiError::not_found("Instance not found"))?;
    let end = (start + max).min(ATTRIBUTE_TYPES.len());
    let attrs: Vec<Value> = (start..end)
        .map(|i| json!({"AttributeType": ATTRIBUTE_TYPES[i], "Value": inst.attributes[i]}))
        .collect();
    let mut out = Map::new();
    out.insert("Attributes".into(), Value::Array(attrs));
    if end < ATTRIBUTE_TYPES.len() {
        out.insert("NextToken".into(), json!(encode_token('a', end as u64)));
    }
    Ok(to_body(&Value::Object(out)))
}

fn describe_instance_attribute(
    store: &mut Store,
    ctx: &Ctx<'_>,
    instance: &str,
    attribute: &str,
) -> Result<Vec<u8>, ApiError> {
    let idx = attribute_type(attribute)?;
    let id = store.resolve_instance(ctx.region, instance)?;
    let inst = store
        .region(ctx.region)
        .and_then(|r| r.get(&id))
        .ok_or_else(|| ApiError::not_found("Instance not found"))?;
    Ok(to_body(&json!({"Attribute": {
        "AttributeType": ATTRIBUTE_TYPES[idx],
        "Value": inst.attributes[idx],
    }})))
}

fn update_instance_attribute(
    store: &mut Store,
    ctx: &Ctx<'_>,
    instance: &str,
    attribute: &str,
    body: &[u8],
) -> Result<Vec<u8>, ApiError> {
    let idx = attribute_type(attribute)?;
    let m = parse_body(body)?;
    let value = get_str(&m, "Value")?.ok_or_else(|| ApiError::invalid_request(missing("value")))?;
    if let Some(t) = get_str(&m, "ClientToken")? {
        if t.chars().count() > 500 {
            return Err(ApiError::invalid_parameter(constraint(
                t,
                "clientToken",
                "Member must have length less than or equal to 500",
            )));
        }
    }
    let n = value.chars().count();
    if !(1..=100).contains(&n) {
        return Err(ApiError::invalid_parameter(constraint(
            value,
            "value",
            "Member must have length between 1 and 100",
        )));
    }
    // All 14 attribute types are boolean features.
    let normalized = if value.eq_ignore_ascii_case("true") {
        "true"
    } else if value.eq_ignore_ascii_case("false") {
        "false"
    } else {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid value '{}' for attribute {}: expected true or false",
            value.chars().take(100).collect::<String>(),
            ATTRIBUTE_TYPES[idx]
        )));
    };
    let id = store.resolve_instance(ctx.region, instance)?;
    let inst = store
        .region_mut(ctx.region)
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("Instance not found"))?;
    inst.set_attribute(idx, normalized);
    Ok(Vec::new())
}

/// Resolve the `{resourceArn}` of the tag operations to an instance id.
fn tagged_instance(store: &Store, ctx: &Ctx<'_>, arn: &str) -> Result<String, ApiError> {
    if !arn.starts_with("arn:") {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid resource ARN: {}",
            arn.chars().take(200).collect::<String>()
        )));
    }
    store.resolve_instance(ctx.region, arn)
}

fn list_tags(store: &mut Store, ctx: &Ctx<'_>, arn: &str) -> Result<Vec<u8>, ApiError> {
    let id = tagged_instance(store, ctx, arn)?;
    let inst = store
        .region(ctx.region)
        .and_then(|r| r.get(&id))
        .ok_or_else(|| ApiError::not_found("Resource not found"))?;
    Ok(to_body(&json!({"tags": inst.tags})))
}

fn tag_resource(
    store: &mut Store,
    ctx: &Ctx<'_>,
    arn: &str,
    body: &[u8],
) -> Result<Vec<u8>, ApiError> {
    let m = parse_body(body)?;
    let tags =
        get_string_map(&m, "tags")?.ok_or_else(|| ApiError::invalid_parameter(missing("tags")))?;
    validate_tags(&tags).map_err(ApiError::invalid_parameter)?;
    let id = tagged_instance(store, ctx, arn)?;
    let inst = store
        .region_mut(ctx.region)
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("Resource not found"))?;
    let total = inst
        .tags
        .keys()
        .chain(tags.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if total > 50 {
        return Err(ApiError::invalid_parameter(format!(
            "A resource can have at most 50 tags; this request would give it {total}"
        )));
    }
    inst.tags.extend(tags);
    Ok(Vec::new())
}

fn untag_resource(
    store: &mut Store,
    ctx: &Ctx<'_>,
    arn: &str,
    query: &[(String, String)],
) -> Result<Vec<u8>, ApiError> {
    let keys = query_all(query, "tagKeys");
    if keys.is_empty() {
        return Err(ApiError::invalid_parameter(missing("tagKeys")));
    }
    if keys.len() > 50 {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: \
             Member must have length less than or equal to 50",
        ));
    }
    for k in &keys {
        validate_tag_key(k).map_err(ApiError::invalid_parameter)?;
    }
    let id = tagged_instance(store, ctx, arn)?;
    let inst = store
        .region_mut(ctx.region)
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("Resource not found"))?;
    for k in keys {
        inst.tags.remove(k);
    }
    Ok(Vec::new())
}

fn create_instance(store: &mut Store, ctx: &Ctx<'_>, body: &[u8]) -> Result<Vec<u8>, ApiError> {
    let m = parse_body(body)?;
    let client_token = get_str(&m, "ClientToken")?;
    if let Some(t) = client_token {
        if t.chars().count() > 500 {
            return Err(ApiError::invalid_request(constraint(
                t,
                "clientToken",
                "Member must have length less than or equal to 500",
            )));
        }
    }
    let idm = get_str(&m, "IdentityManagementType")?
        .ok_or_else(|| ApiError::invalid_request(missing("IdentityManagementType")))?;
    if !IDENTITY_TYPES.contains(&idm) {
        return Err(ApiError::invalid_request(constraint(
            idm,
            "IdentityManagementType",
            "Member must satisfy enum value set: [SAML, CONNECT_MANAGED, EXISTING_DIRECTORY]",
        )));
    }
    let inbound = get_bool(&m, "InboundCallsEnabled")?
        .ok_or_else(|| ApiError::invalid_request(missing("InboundCallsEnabled")))?;
    let outbound = get_bool(&m, "OutboundCallsEnabled")?
        .ok_or_else(|| ApiError::invalid_request(missing("OutboundCallsEnabled")))?;
    let alias = get_str(&m, "InstanceAlias")?;
    if let Some(a) = alias {
        validate_alias(a).map_err(ApiError::invalid_request)?;
    }
    let directory_id = get_str(&m, "DirectoryId")?;
    if idm == "EXISTING_DIRECTORY" {
        let d = directory_id.ok_or_else(|| {
            ApiError::invalid_request(
                "DirectoryId is required when IdentityManagementType is EXISTING_DIRECTORY",
            )
        })?;
        if !DIRECTORY_RE.is_match(d) {
            return Err(ApiError::invalid_request(constraint(
                d,
                "directoryId",
                r"Member must satisfy regular expression pattern: ^d-[0-9a-f]{10}$",
            )));
        }
    } else if directory_id.is_some() {
        return Err(ApiError::invalid_request(format!(
            "DirectoryId can only be specified when IdentityManagementType is EXISTING_DIRECTORY (got {idm})"
        )));
    }
    let alias = match (alias, directory_id) {
        (Some(a), _) => a.to_string(),
        // With an existing directory, Connect takes the alias from the directory.
        (None, Some(d)) => format!("directory-{}", d.trim_start_matches("d-")),
        (None, None) => {
            return Err(ApiError::invalid_request(
                "InstanceAlias is required unless IdentityManagementType is EXISTING_DIRECTORY",
            ))
        }
    };
    let tags = get_string_map(&m, "Tags")?;
    if let Some(t) = &tags {
        validate_tags(t).map_err(ApiError::invalid_request)?;
    }

    if let Some(t) = client_token {
        if let Some((id, arn)) = store
            .region(ctx.region)
            .and_then(|r| r.create_tokens.get(t))
        {
            return Ok(to_body(&json!({"Id": id, "Arn": arn})));
        }
    }
    if store
        .region(ctx.region)
        .is_some_and(|r| r.alias_in_use(&alias))
    {
        return Err(ApiError::invalid_request(
            "Invalid Input. Instance alias is already used.",
        ));
    }
    let count = store.instance_count(ctx.region);
    if count >= ctx.instance_quota {
        return Err(ApiError::quota_exceeded(format!(
            "The request exceeds the instance limit of {} for region {} ({count} instances exist)",
            ctx.instance_quota, ctx.region
        )));
    }
    let mut spec = NewInstance::new(&alias, idm, inbound, outbound);
    spec.directory_id = directory_id.map(str::to_string);
    spec.created_time = now_epoch();
    spec.create_delay = ctx.create_delay;
    spec.tags = tags.unwrap_or_default();
    let (id, arn) = store.insert(ctx.region, spec, ctx.now);
    if let Some(t) = client_token {
        store
            .region_mut(ctx.region)
            .create_tokens
            .insert(t.to_string(), (id.clone(), arn.clone()));
    }
    Ok(to_body(&json!({"Id": id, "Arn": arn})))
}

fn delete_instance(
    store: &mut Store,
    ctx: &Ctx<'_>,
    instance: &str,
    query: &[(String, String)],
) -> Result<Vec<u8>, ApiError> {
    let token = query_get(query, "clientToken").filter(|t| !t.is_empty());
    if let Some(t) = token {
        if t.chars().count() > 500 {
            return Err(ApiError::invalid_request(constraint(
                t,
                "clientToken",
                "Member must have length less than or equal to 500",
            )));
        }
        if store
            .region(ctx.region)
            .is_some_and(|r| r.delete_tokens.contains_key(t))
        {
            return Ok(Vec::new());
        }
    }
    let id = store.resolve_instance(ctx.region, instance)?;
    let r = store.region_mut(ctx.region);
    r.remove(&id);
    if let Some(t) = token {
        r.delete_tokens.insert(t.to_string(), id);
    }
    Ok(Vec::new())
}

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
        let t = encode_token('i', 42);
        let q = vec![("nextToken".to_string(), t)];
        assert_eq!(next_token(&q, 'i').unwrap(), Some(42));
        assert!(next_token(&q, 'a').is_err());
        let bad = vec![("nextToken".to_string(), "garbage".to_string())];
        assert!(next_token(&bad, 'i').is_err());
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
