//! The Amazon Connect operations: request validation and the operation logic
//! against the [`Store`].

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::content::Kind;
use super::router::Route;
use super::scope::open;
use super::state::{
    attribute_index, now_epoch, NewInstance, Store, ATTRIBUTE_TYPES, IDENTITY_TYPES,
};
use super::validate::*;
use super::wire::{query_all, query_get, to_body, ApiError};
use connect_operations::Op;

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
        _ => super::dispatch::handle(store, ctx, route, query, body),
    }
}

/// Answer an error with an error shape the operation models: the two 400
/// shapes stand in for each other where the model lists only one of them
/// (ListInstances, DescribeInstance, CreateInstance, DeleteInstance and the
/// integration association operations and UpdateContactFlowModuleContent have
/// no InvalidParameterException; the phone number operations but
/// UpdatePhoneNumberMetadata no InvalidRequestException).
pub fn as_modeled(op: Op, mut e: ApiError) -> ApiError {
    let no_parameter = matches!(
        op,
        Op::ListInstances
            | Op::DescribeInstance
            | Op::CreateInstance
            | Op::DeleteInstance
            | Op::ListIntegrationAssociations
            | Op::CreateIntegrationAssociation
            | Op::DeleteIntegrationAssociation
            | Op::UpdateContactFlowModuleContent
    );
    let no_request = matches!(
        op,
        Op::ListPhoneNumbersV2
            | Op::DescribePhoneNumber
            | Op::ClaimPhoneNumber
            | Op::AssociatePhoneNumberContactFlow
            | Op::DisassociatePhoneNumberContactFlow
            | Op::UpdatePhoneNumber
            | Op::ReleasePhoneNumber
    );
    match e.code {
        "InvalidParameterException" if no_parameter => e.code = "InvalidRequestException",
        "InvalidRequestException" if no_request => e.code = "InvalidParameterException",
        _ => {}
    }
    e
}

/// Whether a successful response of `op` carries a JSON body.
pub fn has_output_body(op: Op) -> bool {
    let def = op.def();
    def.is_read()
        || def.name.starts_with("Create")
        || matches!(
            op,
            Op::ClaimPhoneNumber
                | Op::AssociateInstanceStorageConfig
                | Op::UpdatePhoneNumber
                | Op::UpdatePrompt
        )
}

// ---------------------------------------------------------------- operations

fn list_instances(
    store: &mut Store,
    ctx: &Ctx<'_>,
    query: &[(String, String)],
) -> Result<Vec<u8>, ApiError> {
    let max = page_size_query(Op::ListInstances, query)?;
    let start = query_token(Op::ListInstances, query)?.unwrap_or(0);
    let mut list = Vec::new();
    let mut token = None;
    if let Some(r) = store.region(ctx.region) {
        for (seq, inst) in r.instances.range(start..) {
            if list.len() == max {
                token = Some(encode_token(Op::ListInstances, *seq));
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
    let max = page_size_query(Op::ListInstanceAttributes, query)?;
    let start = query_token(Op::ListInstanceAttributes, query)?.unwrap_or(0) as usize;
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
        out.insert(
            "NextToken".into(),
            json!(encode_token(Op::ListInstanceAttributes, end as u64)),
        );
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
    let token = get_str(&m, "ClientToken")?.filter(|t| !t.is_empty());
    let id = store.resolve_instance(ctx.region, instance)?;
    let r = store.region_mut(ctx.region);
    if let Some(t) = token {
        // A retry of a request that succeeded answers 200 without applying it again
        // (a later change by another request is not undone).
        if let Some((prev_id, prev_idx, prev_value)) = r.update_tokens.get(t) {
            if *prev_id == id && *prev_idx == idx && prev_value == normalized {
                store.token_replays += 1;
                return Ok(Vec::new());
            }
            return Err(ApiError::invalid_request(format!(
                "ClientToken {} was already used with a different UpdateInstanceAttribute request",
                t.chars().take(100).collect::<String>()
            )));
        }
    }
    let inst = r
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("Instance not found"))?;
    inst.set_attribute(idx, normalized);
    if let Some(t) = token {
        r.update_tokens
            .insert(t.to_string(), (id, idx, normalized.to_string()));
    }
    Ok(Vec::new())
}

/// What the `{resourceArn}` of the tag operations names.
enum TagTarget {
    Instance(String),
    Item(String, Kind, String),
}

/// Resolve the `{resourceArn}` of the tag operations: an instance, an item inside
/// one (`instance/ID/<segment>/ID`), or a claimed phone number.
fn tag_target(store: &mut Store, ctx: &Ctx<'_>, arn: &str) -> Result<TagTarget, ApiError> {
    let shown: String = arn.chars().take(200).collect();
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" || !parts[1].starts_with("aws") {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid resource ARN: {shown}"
        )));
    }
    if let Some(e) = super::state::foreign_account(arn, &store.account_id) {
        return Err(e);
    }
    let not_found = || ApiError::not_found(format!("Resource not found: {shown}"));
    if parts[2] != "connect" || parts[3] != ctx.region || parts[4] != store.account_id {
        return Err(not_found());
    }
    let resource = parts[5];
    if let Some(id) = resource.strip_prefix("phone-number/") {
        let instance = store
            .region(ctx.region)
            .and_then(|r| r.phone_index.get(id))
            .cloned()
            .ok_or_else(not_found)?;
        return Ok(TagTarget::Item(instance, Kind::PhoneNumber, id.to_string()));
    }
    let segs: Vec<&str> = resource.split('/').collect();
    match segs.as_slice() {
        ["instance", id] if !id.is_empty() => {
            let id = store.resolve_instance(ctx.region, id)?;
            Ok(TagTarget::Instance(id))
        }
        ["instance", iid, seg, id] if !id.is_empty() => {
            let kind = Kind::of_arn_segment(seg)
                .filter(|k| *k != Kind::PhoneNumber)
                .ok_or_else(not_found)?;
            let cx = open(store, ctx.region, iid, now_epoch()).map_err(|_| not_found())?;
            if cx.content.get(kind, id).is_none() {
                return Err(not_found());
            }
            Ok(TagTarget::Item(cx.instance, kind, id.to_string()))
        }
        _ => Err(not_found()),
    }
}

/// Run `f` on the tags of the resource `arn` names.
fn with_tags<R>(
    store: &mut Store,
    ctx: &Ctx<'_>,
    arn: &str,
    f: impl FnOnce(&mut BTreeMap<String, String>) -> Result<R, ApiError>,
) -> Result<R, ApiError> {
    let not_found = || ApiError::not_found("Resource not found");
    match tag_target(store, ctx, arn)? {
        TagTarget::Instance(id) => {
            let inst = store
                .region_mut(ctx.region)
                .get_mut(&id)
                .ok_or_else(not_found)?;
            f(&mut inst.tags)
        }
        TagTarget::Item(instance, kind, id) => {
            let cx = open(store, ctx.region, &instance, now_epoch())?;
            let item = cx
                .content
                .items_mut(kind)
                .get_mut(&id)
                .ok_or_else(not_found)?;
            f(&mut item.tags)
        }
    }
}

fn list_tags(store: &mut Store, ctx: &Ctx<'_>, arn: &str) -> Result<Vec<u8>, ApiError> {
    let tags = with_tags(store, ctx, arn, |t| Ok(t.clone()))?;
    Ok(to_body(&json!({ "tags": tags })))
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
    with_tags(store, ctx, arn, |current| {
        let total = current
            .keys()
            .chain(tags.keys())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        if total > 50 {
            return Err(ApiError::invalid_parameter(format!(
                "A resource can have at most 50 tags; this request would give it {total}"
            )));
        }
        current.extend(tags);
        Ok(())
    })?;
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
    with_tags(store, ctx, arn, |current| {
        for k in keys {
            current.remove(k);
        }
        Ok(())
    })?;
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
            .cloned()
        {
            store.token_replays += 1;
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
            store.token_replays += 1;
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
