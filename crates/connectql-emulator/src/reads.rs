//! Read operations on the contents of an instance: the generic List*, Describe*
//! and Search* of every kind, and the sub-listings, each answering botocore's
//! output shape.
//!
//! Pages: `MaxResults` is checked against the operation table (400
//! InvalidParameterException outside 1..max; absent = 100 or the maximum if
//! smaller); items come in creation order; `NextToken` is opaque (the position
//! of the next item) and only valid for the operation that issued it. Every
//! answer carries its list member, even empty; Search* pages carry
//! `ApproximateTotalCount` (the number of matches over all pages).

use serde_json::{json, Map, Value};

use super::content::{Item, Kind};
use super::scope::{not_found, Cx};
use super::search::{parse_criteria, parse_filter, Cond};
use super::validate::*;
use super::wire::{query_all, query_get, ApiError};
use connect_operations::Op;

/// The result member of a paged or Describe operation (from the table).
pub fn result_member(op: Op) -> &'static str {
    op.def().result.unwrap_or("Result")
}

/// A list answer: `{<member>: items, NextToken?}`.
pub fn page_json(op: Op, items: Vec<Value>, next: Option<u64>) -> Value {
    let mut out = Map::new();
    out.insert(result_member(op).into(), Value::Array(items));
    if let Some(n) = next {
        out.insert("NextToken".into(), json!(encode_token(op, n)));
    }
    Value::Object(out)
}

/// List summary of an item.
pub fn summary_json(kind: Kind, item: &Item) -> Value {
    let mut m = Map::new();
    for (out, source) in kind.def().summary {
        if let Some(v) = item.value_at(source) {
            m.insert((*out).into(), v);
        }
    }
    Value::Object(m)
}

/// The Describe shape: the stored document, `Tags` and computed members.
pub fn describe_json(cx: &Cx<'_>, kind: Kind, item: &Item) -> Value {
    let mut m = item.doc.clone();
    m.insert("Tags".into(), json!(item.tags));
    if kind == Kind::RoutingProfile {
        let users = cx
            .content
            .items(Kind::User)
            .iter()
            .filter(|u| u.doc_str("RoutingProfileId") == Some(item.id.as_str()))
            .count();
        m.insert("NumberOfAssociatedUsers".into(), json!(users));
    }
    Value::Object(m)
}

/// The shape a Search* answers: the Describe shape, except for users
/// (`UserSearchSummary`) and security profiles (`SecurityProfileSearchSummary`).
pub fn search_json(cx: &Cx<'_>, kind: Kind, item: &Item) -> Value {
    match kind {
        Kind::User => {
            let mut m = item.doc.clone();
            m.remove("LastModifiedTime");
            m.remove("LastModifiedRegion");
            if let Some(Value::Object(info)) = m.get_mut("IdentityInfo") {
                info.retain(|k, _| k == "FirstName" || k == "LastName");
            }
            // UserSearchSummary: "AfterContactWorkTimeLimit is returned in milliseconds".
            if let Some(Value::Object(pc)) = m.get_mut("PhoneConfig") {
                if let Some(s) = pc.get("AfterContactWorkTimeLimit").and_then(Value::as_i64) {
                    pc.insert(
                        "AfterContactWorkTimeLimit".into(),
                        json!(s.saturating_mul(1000)),
                    );
                }
            }
            m.insert("Tags".into(), json!(item.tags));
            Value::Object(m)
        }
        Kind::SecurityProfile => {
            let mut m = Map::new();
            for k in [
                "Id",
                "OrganizationResourceId",
                "Arn",
                "SecurityProfileName",
                "Description",
            ] {
                if let Some(v) = item.doc.get(k) {
                    m.insert(k.into(), v.clone());
                }
            }
            m.insert("Tags".into(), json!(item.tags));
            Value::Object(m)
        }
        _ => describe_json(cx, kind, item),
    }
}

/// Query-string filters of a List: (query name, source, allowed values, repeated, max).
fn list_filters(op: Op) -> &'static [(&'static str, &'static str, &'static [&'static str], usize)] {
    match op {
        Op::ListQueues => &[("queueTypes", "~QueueType", &["STANDARD", "AGENT"], 2)],
        Op::ListContactFlows => &[("contactFlowTypes", "Type", &super::search::FLOW_TYPES, 10)],
        Op::ListQuickConnects => &[(
            "QuickConnectTypes",
            "QuickConnectConfig.QuickConnectType",
            &["USER", "QUEUE", "PHONE_NUMBER", "FLOW"],
            4,
        )],
        Op::ListAgentStatuses => &[(
            "AgentStatusTypes",
            "Type",
            &["ROUTABLE", "CUSTOM", "OFFLINE"],
            3,
        )],
        Op::ListContactFlowModules => &[("state", "State", &["ACTIVE", "ARCHIVED"], 1)],
        Op::ListIntegrationAssociations => &[
            (
                "integrationType",
                "IntegrationType",
                &super::changes::INTEGRATION_TYPES,
                1,
            ),
            ("integrationArn", "IntegrationArn", &[], 1),
        ],
        _ => &[],
    }
}

/// Generic List* of a kind.
pub fn list(
    cx: &Cx<'_>,
    op: Op,
    kind: Kind,
    query: &[(String, String)],
) -> Result<Value, ApiError> {
    let max = page_size_query(op, query)?;
    let start = query_token(op, query)?.unwrap_or(0);
    let mut wanted: Vec<(&str, Vec<&str>)> = Vec::new();
    for (name, source, allowed, most) in list_filters(op) {
        let values = query_all(query, name);
        if values.is_empty() {
            continue;
        }
        if values.len() > *most {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value at '{name}' failed to satisfy constraint: \
                 Member must have length less than or equal to {most}"
            )));
        }
        for v in &values {
            if !allowed.is_empty() {
                check_enum(v, name, allowed)?;
            }
        }
        wanted.push((source, values));
    }
    let keep = |item: &Item| {
        wanted.iter().all(|(source, values)| {
            item.values_at(source)
                .iter()
                .any(|v| values.contains(&v.as_str()))
        })
    };
    let mut items = Vec::new();
    let mut next = None;
    for item in cx.content.items(kind).from_seq(start).filter(|i| keep(i)) {
        if items.len() == max {
            next = Some(item.seq);
            break;
        }
        items.push(summary_json(kind, item));
    }
    Ok(page_json(op, items, next))
}

/// Generic Describe* of a kind.
pub fn describe(cx: &Cx<'_>, op: Op, kind: Kind, id: &str) -> Result<Value, ApiError> {
    let item = cx.need(kind, id)?;
    if kind == Kind::ContactFlow && item.extra.get("Published") == Some(&json!(false)) {
        return Err(ApiError::flow_not_published(format!(
            "Contact flow {id} has not been published"
        )));
    }
    Ok(json!({ result_member(op): describe_json(cx, kind, item) }))
}

/// Generic Search* of a kind.
pub fn search(cx: &Cx<'_>, op: Op, kind: Kind, m: &Map<String, Value>) -> Result<Value, ApiError> {
    let def = kind.def();
    for k in m.keys() {
        if !matches!(
            k.as_str(),
            "InstanceId" | "NextToken" | "MaxResults" | "SearchCriteria" | "SearchFilter"
        ) {
            return Err(ApiError::invalid_request(format!(
                "{k} is not a member of the {op} request"
            )));
        }
    }
    let max = page_size_body(op, m)?;
    if let Some(t) = get_str(m, "NextToken")? {
        check_len(t, "NextToken", 1, 2500)?;
    }
    let start = body_token(op, m)?.unwrap_or(0);
    let mut conds = Vec::new();
    if let Some(c) = m.get("SearchCriteria").filter(|v| !v.is_null()) {
        conds.push(parse_criteria(def, c, "SearchCriteria")?);
    }
    if let Some(f) = m.get("SearchFilter").filter(|v| !v.is_null()) {
        conds.push(parse_filter(def, f)?);
    }
    let cond = Cond::All(conds);
    let mut total = 0u64;
    let mut items = Vec::new();
    let mut next = None;
    for item in cx.content.items(kind).iter() {
        if !cond.matches(cx.content, item) {
            continue;
        }
        total += 1;
        if item.seq < start || next.is_some() {
            continue;
        }
        if items.len() == max {
            next = Some(item.seq);
            continue;
        }
        items.push(search_json(cx, kind, item));
    }
    let mut out = page_json(op, items, next);
    out["ApproximateTotalCount"] = json!(total);
    Ok(out)
}

/// Page through an already built list (sub-listings): offset tokens.
pub fn page_list(
    op: Op,
    query: &[(String, String)],
    all: Vec<Value>,
    last_modified: Option<&Item>,
) -> Result<Value, ApiError> {
    let max = page_size_query(op, query)?;
    let start = query_token(op, query)?.unwrap_or(0) as usize;
    if start > all.len() {
        return Err(ApiError::invalid_request("Invalid NextToken"));
    }
    let end = (start + max).min(all.len());
    let next = (end < all.len()).then_some(end as u64);
    let mut out = page_json(op, all[start..end].to_vec(), next);
    if let Some(item) = last_modified {
        for k in ["LastModifiedTime", "LastModifiedRegion"] {
            if let Some(v) = item.doc.get(k) {
                out[k] = v.clone();
            }
        }
    }
    Ok(out)
}

/// Builds the full list of a sub-listing from its item.
type SubList = fn(&Cx<'_>, &Item) -> Vec<Value>;

/// The sub-listings of one item.
pub fn sub_listing(
    cx: &Cx<'_>,
    op: Op,
    id: &str,
    query: &[(String, String)],
) -> Result<Value, ApiError> {
    let (kind, all): (Kind, SubList) = match op {
        Op::ListUserProficiencies => (Kind::User, |_, u| u.extra_list("Proficiencies")),
        Op::ListQueueQuickConnects => (Kind::Queue, |cx, q| {
            q.extra_list("QuickConnectIds")
                .iter()
                .filter_map(|id| cx.content.get(Kind::QuickConnect, id.as_str()?))
                .map(|qc| summary_json(Kind::QuickConnect, qc))
                .collect()
        }),
        Op::ListQueueEmailAddresses => (Kind::Queue, |_, _| Vec::new()),
        Op::ListRoutingProfileQueues => (Kind::RoutingProfile, |cx, rp| {
            queue_config_summaries(cx, rp.extra_list("QueueConfigs"), true)
        }),
        Op::ListRoutingProfileManualAssignmentQueues => (Kind::RoutingProfile, |cx, rp| {
            queue_config_summaries(cx, rp.extra_list("ManualQueueConfigs"), false)
        }),
        Op::ListHoursOfOperationOverrides => {
            (Kind::HoursOfOperation, |_, h| h.extra_list("Overrides"))
        }
        Op::ListChildHoursOfOperations => (Kind::HoursOfOperation, |cx, h| {
            cx.content
                .items(Kind::HoursOfOperation)
                .iter()
                .filter(|c| {
                    c.doc
                        .get("ParentHoursOfOperations")
                        .and_then(Value::as_array)
                        .is_some_and(|ps| ps.iter().any(|p| p["Id"].as_str() == Some(&h.id)))
                })
                .map(|c| json!({"Name": c.name(Kind::HoursOfOperation), "Id": c.id, "Arn": c.arn}))
                .collect()
        }),
        Op::ListSecurityProfilePermissions => {
            (Kind::SecurityProfile, |_, s| s.extra_list("Permissions"))
        }
        Op::ListSecurityProfileApplications => {
            (Kind::SecurityProfile, |_, s| s.extra_list("Applications"))
        }
        Op::ListSecurityProfileFlowModules => (Kind::SecurityProfile, |_, s| {
            s.extra_list("AllowedFlowModules")
        }),
        _ => return Err(ApiError::unknown_operation_named(op.name())),
    };
    // Validate the page before looking the item up (Connect checks input first).
    page_size_query(op, query)?;
    query_token(op, query)?;
    let item = cx.need(kind, id)?;
    page_list(op, query, all(cx, item), Some(item))
}

fn queue_config_summaries(cx: &Cx<'_>, configs: Vec<Value>, with_priority: bool) -> Vec<Value> {
    configs
        .into_iter()
        .filter_map(|c| {
            let q = cx.content.get(Kind::Queue, c["QueueId"].as_str()?)?;
            let mut m = json!({
                "QueueId": q.id,
                "QueueArn": q.arn,
                "QueueName": q.name(Kind::Queue),
            });
            if with_priority {
                m["Priority"] = c["Priority"].clone();
                m["Delay"] = c["Delay"].clone();
            }
            m["Channel"] = c["Channel"].clone();
            Some(m)
        })
        .collect()
}

/// ListApprovedOrigins: plain strings.
pub fn list_approved_origins(cx: &Cx<'_>, query: &[(String, String)]) -> Result<Value, ApiError> {
    let all = cx
        .content
        .approved_origins
        .iter()
        .map(|o| json!(o))
        .collect();
    page_list(Op::ListApprovedOrigins, query, all, None)
}

fn resource_type(query: &[(String, String)]) -> Result<&str, ApiError> {
    let rt = required(query_get(query, "resourceType"), "resourceType")?;
    check_enum(rt, "resourceType", &super::changes::STORAGE_RESOURCE_TYPES)?;
    Ok(rt)
}

/// ListInstanceStorageConfigs (one resource type per call).
pub fn list_storage_configs(cx: &Cx<'_>, query: &[(String, String)]) -> Result<Value, ApiError> {
    let rt = resource_type(query)?;
    let all = cx
        .content
        .storage
        .iter()
        .filter(|s| s.resource_type == rt)
        .map(|s| s.config.clone())
        .collect();
    page_list(Op::ListInstanceStorageConfigs, query, all, None)
}

/// DescribeInstanceStorageConfig.
pub fn describe_storage_config(
    cx: &Cx<'_>,
    association: &str,
    query: &[(String, String)],
) -> Result<Value, ApiError> {
    let rt = resource_type(query)?;
    let found = cx
        .content
        .storage
        .iter()
        .find(|s| s.resource_type == rt && s.config["AssociationId"].as_str() == Some(association))
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Storage config {} not found for {rt}",
                association.chars().take(100).collect::<String>()
            ))
        })?;
    Ok(json!({"StorageConfig": found.config}))
}

/// ListFlowAssociations (voice phone numbers are the only associations modeled).
pub fn list_flow_associations(cx: &Cx<'_>, query: &[(String, String)]) -> Result<Value, ApiError> {
    let rt = query_get(query, "ResourceType");
    if let Some(rt) = rt {
        check_enum(
            rt,
            "ResourceType",
            &[
                "WHATSAPP_MESSAGING_PHONE_NUMBER",
                "VOICE_PHONE_NUMBER",
                "INBOUND_EMAIL",
                "OUTBOUND_EMAIL",
                "ANALYTICS_CONNECTOR",
            ],
        )?;
    }
    let all = if rt.is_none_or(|r| r == "VOICE_PHONE_NUMBER") {
        cx.content
            .flow_associations
            .iter()
            .map(|(p, f)| json!({"ResourceId": p, "FlowId": f, "ResourceType": "VOICE_PHONE_NUMBER"}))
            .collect()
    } else {
        Vec::new()
    };
    page_list(Op::ListFlowAssociations, query, all, None)
}

/// 404 helper re-exported for the dispatcher.
pub fn missing_item(kind: Kind, id: &str) -> ApiError {
    not_found(kind, id)
}
