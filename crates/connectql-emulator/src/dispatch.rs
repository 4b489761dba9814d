//! The operations on the contents of an instance: which handler serves which
//! row of the operation table, where the instance comes from (the
//! `{InstanceId}` label, the body of a Search*, or the phone number), and
//! `ClientToken` idempotency.

use serde_json::{Map, Value};

use super::changes::{self as ch, Body};
use super::content::{Kind, TokenAnswer};
use super::handlers::Ctx;
use super::reads;
use super::router::Route;
use super::scope::{ensure_content, open, Cx};
use super::state::{now_epoch, Store};
use super::validate::*;
use super::wire::{to_body, ApiError};
use connect_operations::Op;

fn label<'a>(route: &'a Route, name: &str) -> &'a str {
    route.label(name).unwrap_or_default()
}

/// The answer of an operation: `Value::Null` = empty body.
fn answer(v: Value) -> Vec<u8> {
    if v.is_null() {
        Vec::new()
    } else {
        to_body(&v)
    }
}

/// Run a create with a `ClientToken`: the same token and request answer the
/// first answer again (one item); the same token with another request is a 409
/// IdempotencyException.
fn idempotent(
    cx: &mut Cx<'_>,
    op: Op,
    m: &Body,
    f: impl FnOnce(&mut Cx<'_>) -> Result<Value, ApiError>,
) -> Result<Vec<u8>, ApiError> {
    let token = client_token(m)?.map(str::to_string);
    let request = Value::Object(m.clone());
    if let Some(t) = &token {
        if let Some(prev) = cx.content.tokens.get(&(op, t.clone())) {
            if prev.request == request {
                return Ok(prev.response.clone());
            }
            return Err(ApiError::idempotency(format!(
                "ClientToken {t} was already used with a different {op} request"
            )));
        }
    }
    let response = answer(f(cx)?);
    if let Some(t) = token {
        cx.content.tokens.insert(
            (op, t),
            TokenAnswer {
                request,
                response: response.clone(),
            },
        );
    }
    Ok(response)
}

/// The `InstanceId` member of a JSON body (Search*, phone numbers).
fn body_instance(m: &Body) -> Result<&str, ApiError> {
    let id = required(get_str(m, "InstanceId")?, "InstanceId")?;
    check_len(id, "InstanceId", 1, 100)?;
    Ok(id)
}

/// Serve an operation on instance contents.
pub fn handle(
    store: &mut Store,
    ctx: &Ctx<'_>,
    route: &Route,
    query: &[(String, String)],
    body: &[u8],
) -> Result<Vec<u8>, ApiError> {
    let op = route.op;
    let now = now_epoch();
    match op {
        Op::ListPhoneNumbersV2 => return list_phone_numbers(store, ctx, &parse_body(body)?),
        Op::DescribePhoneNumber => return describe_phone_number(store, ctx, route, now),
        Op::ClaimPhoneNumber => return claim_phone_number(store, ctx, &parse_body(body)?, now),
        _ => {}
    }
    let m = if op.def().method == "GET" || op.def().method == "DELETE" {
        Map::new()
    } else {
        parse_body(body)?
    };
    let instance = match route.label("InstanceId") {
        Some(i) => i.to_string(),
        None => body_instance(&m)?.to_string(),
    };
    let mut cx = open(store, ctx.region, &instance, now)?;
    let cx = &mut cx;

    if let Some(kind) = Kind::of_list(op) {
        return reads::list(cx, op, kind, query).map(answer);
    }
    if let Some(kind) = Kind::of_describe(op) {
        return reads::describe(cx, op, kind, label(route, kind.def().id_label)).map(answer);
    }
    if let Some(kind) = Kind::of_search(op) {
        return reads::search(cx, op, kind, &m).map(answer);
    }
    let user = || label(route, "UserId");
    let queue = || label(route, "QueueId");
    let rp = || label(route, "RoutingProfileId");
    let hours = || label(route, "HoursOfOperationId");
    let out = match op {
        Op::ListUserProficiencies => reads::sub_listing(cx, op, user(), query),
        Op::ListQueueQuickConnects | Op::ListQueueEmailAddresses => {
            reads::sub_listing(cx, op, queue(), query)
        }
        Op::ListRoutingProfileQueues | Op::ListRoutingProfileManualAssignmentQueues => {
            reads::sub_listing(cx, op, rp(), query)
        }
        Op::ListHoursOfOperationOverrides | Op::ListChildHoursOfOperations => {
            reads::sub_listing(cx, op, hours(), query)
        }
        Op::ListSecurityProfilePermissions
        | Op::ListSecurityProfileApplications
        | Op::ListSecurityProfileFlowModules => {
            reads::sub_listing(cx, op, label(route, "SecurityProfileId"), query)
        }
        Op::ListFlowAssociations => reads::list_flow_associations(cx, query),
        Op::ListApprovedOrigins => reads::list_approved_origins(cx, query),
        Op::ListInstanceStorageConfigs => reads::list_storage_configs(cx, query),
        Op::DescribeInstanceStorageConfig => {
            reads::describe_storage_config(cx, label(route, "AssociationId"), query)
        }

        Op::CreateUser => ch::create_user(cx, &m, None),
        Op::DeleteUser => ch::delete_user(cx, user()),
        Op::UpdateUserIdentityInfo => ch::update_user_identity_info(cx, user(), &m),
        Op::UpdateUserPhoneConfig => ch::update_user_phone_config(cx, user(), &m),
        Op::UpdateUserRoutingProfile => ch::update_user_routing_profile(cx, user(), &m),
        Op::UpdateUserSecurityProfiles => ch::update_user_security_profiles(cx, user(), &m),
        Op::UpdateUserHierarchy => ch::update_user_hierarchy(cx, user(), &m),

        Op::CreateQueue => ch::create_queue(cx, &m, None),
        Op::DeleteQueue => ch::delete_queue(cx, queue()),
        Op::UpdateQueueName => ch::update_queue_name(cx, queue(), &m),
        Op::UpdateQueueHoursOfOperation => ch::update_queue_hours(cx, queue(), &m),
        Op::UpdateQueueMaxContacts => ch::update_queue_max_contacts(cx, queue(), &m),
        Op::UpdateQueueStatus => ch::update_queue_status(cx, queue(), &m),
        Op::UpdateQueueOutboundCallerConfig => {
            ch::update_queue_outbound_caller_config(cx, queue(), &m)
        }
        Op::AssociateQueueQuickConnects => ch::associate_queue_quick_connects(cx, queue(), &m),

        Op::CreateRoutingProfile => ch::create_routing_profile(cx, &m, None),
        Op::DeleteRoutingProfile => ch::delete_routing_profile(cx, rp()),
        Op::UpdateRoutingProfileName => ch::update_routing_profile_name(cx, rp(), &m),
        Op::UpdateRoutingProfileDefaultOutboundQueue => {
            ch::update_routing_profile_default_outbound_queue(cx, rp(), &m)
        }
        Op::UpdateRoutingProfileConcurrency => ch::update_routing_profile_concurrency(cx, rp(), &m),
        Op::AssociateRoutingProfileQueues => ch::associate_routing_profile_queues(cx, rp(), &m),
        Op::DisassociateRoutingProfileQueues => {
            ch::disassociate_routing_profile_queues(cx, rp(), &m)
        }
        Op::UpdateRoutingProfileQueues => ch::update_routing_profile_queues(cx, rp(), &m),

        Op::CreateHoursOfOperation => ch::create_hours_of_operation(cx, &m, None),
        Op::UpdateHoursOfOperation => ch::update_hours_of_operation(cx, hours(), &m),
        Op::DeleteHoursOfOperation => ch::delete_hours_of_operation(cx, hours()),

        Op::CreateContactFlow => ch::create_contact_flow(cx, &m, None),
        Op::CreateContactFlowModule => {
            return idempotent(cx, op, &m, |cx| {
                ch::create_contact_flow_module(cx, &m, None)
            })
        }
        Op::AssociatePhoneNumberContactFlow => {
            ch::associate_phone_number_contact_flow(cx, label(route, "PhoneNumberId"), &m)
        }
        Op::CreateSecurityProfile => ch::create_security_profile(cx, &m, None),
        Op::CreateQuickConnect => ch::create_quick_connect(cx, &m, None),
        Op::CreateUserHierarchyGroup => ch::create_user_hierarchy_group(cx, &m, None),
        Op::CreatePrompt => ch::create_prompt(cx, &m, None),
        Op::CreateAgentStatus => ch::create_agent_status(cx, &m, None),
        Op::AssociateApprovedOrigin => {
            return idempotent(cx, op, &m, |cx| ch::associate_approved_origin(cx, &m))
        }
        Op::AssociateInstanceStorageConfig => {
            return idempotent(cx, op, &m, |cx| {
                ch::associate_instance_storage_config(cx, &m, None)
            })
        }
        Op::CreateIntegrationAssociation => ch::create_integration_association(cx, &m, None),
        _ => Err(ApiError::unknown_operation_named(op.name())),
    };
    out.map(answer)
}

/// Resolve `TargetArn` or `InstanceId` of a phone-number request to an instance id.
fn phone_target(store: &Store, ctx: &Ctx<'_>, m: &Body) -> Result<Option<String>, ApiError> {
    let target = get_str(m, "TargetArn")?;
    let instance = get_str(m, "InstanceId")?;
    match (target, instance) {
        (Some(_), Some(_)) => Err(ApiError::invalid_parameter(
            "Specify either TargetArn or InstanceId, not both",
        )),
        (Some(t), None) => {
            if t.contains(":traffic-distribution-group/") {
                return Err(ApiError::not_found(
                    "Traffic distribution groups are not modeled by the connectql emulator",
                ));
            }
            store.resolve_instance(ctx.region, t).map(Some)
        }
        (None, Some(i)) => {
            check_len(i, "InstanceId", 1, 100)?;
            store.resolve_instance(ctx.region, i).map(Some)
        }
        (None, None) => Ok(None),
    }
}

fn list_phone_numbers(store: &mut Store, ctx: &Ctx<'_>, m: &Body) -> Result<Vec<u8>, ApiError> {
    let op = Op::ListPhoneNumbersV2;
    let max = page_size_body(op, m)?;
    let start = body_token(op, m)?.unwrap_or(0) as usize;
    let countries = str_list(m, "PhoneNumberCountryCodes", 0, 10)?;
    let types = str_list(m, "PhoneNumberTypes", 0, 6)?;
    if let Some(ts) = &types {
        for t in ts {
            check_enum(
                t,
                "PhoneNumberTypes",
                &[
                    "TOLL_FREE",
                    "DID",
                    "UIFN",
                    "SHARED",
                    "THIRD_PARTY_TF",
                    "THIRD_PARTY_DID",
                    "SHORT_CODE",
                ],
            )?;
        }
    }
    let prefix = get_str(m, "PhoneNumberPrefix")?.map(|p| {
        if p.starts_with('+') {
            p.to_string()
        } else {
            format!("+{p}")
        }
    });
    let only = phone_target(store, ctx, m)?;
    let mut all = Vec::new();
    if let Some(r) = store.region(ctx.region) {
        for inst in r.instances.values() {
            if only.as_ref().is_some_and(|o| *o != inst.id) {
                continue;
            }
            let Some(content) = r.contents.get(&inst.id) else {
                continue;
            };
            for p in content.items(Kind::PhoneNumber).iter() {
                let country_ok = countries.as_ref().is_none_or(|cs| {
                    p.doc_str("PhoneNumberCountryCode")
                        .is_some_and(|c| cs.iter().any(|x| x == c))
                });
                let type_ok = types.as_ref().is_none_or(|ts| {
                    p.doc_str("PhoneNumberType")
                        .is_some_and(|c| ts.iter().any(|x| x == c))
                });
                let prefix_ok = prefix.as_ref().is_none_or(|pre| {
                    p.doc_str("PhoneNumber")
                        .is_some_and(|n| n.starts_with(pre.as_str()))
                });
                if country_ok && type_ok && prefix_ok {
                    all.push(reads::summary_json(Kind::PhoneNumber, p));
                }
            }
        }
    }
    if start > all.len() {
        return Err(ApiError::invalid_request("Invalid NextToken"));
    }
    let end = (start + max).min(all.len());
    let next = (end < all.len()).then_some(end as u64);
    Ok(to_body(&reads::page_json(
        op,
        all[start..end].to_vec(),
        next,
    )))
}

/// The instance holding a claimed phone number (by id or ARN).
fn phone_instance(
    store: &Store,
    ctx: &Ctx<'_>,
    id_or_arn: &str,
) -> Result<(String, String), ApiError> {
    let id = if id_or_arn.starts_with("arn:") {
        id_or_arn.rsplit('/').next().unwrap_or_default()
    } else {
        id_or_arn
    };
    let instance = store
        .region(ctx.region)
        .and_then(|r| r.phone_index.get(id))
        .cloned()
        .ok_or_else(|| reads::missing_item(Kind::PhoneNumber, id_or_arn))?;
    Ok((instance, id.to_string()))
}

fn describe_phone_number(
    store: &mut Store,
    ctx: &Ctx<'_>,
    route: &Route,
    now: f64,
) -> Result<Vec<u8>, ApiError> {
    let (instance, id) = phone_instance(store, ctx, label(route, "PhoneNumberId"))?;
    let cx = open(store, ctx.region, &instance, now)?;
    reads::describe(&cx, Op::DescribePhoneNumber, Kind::PhoneNumber, &id).map(answer)
}

fn claim_phone_number(
    store: &mut Store,
    ctx: &Ctx<'_>,
    m: &Body,
    now: f64,
) -> Result<Vec<u8>, ApiError> {
    client_token(m)?;
    let instance = phone_target(store, ctx, m)?
        .ok_or_else(|| ApiError::invalid_parameter("One of TargetArn or InstanceId is required"))?;
    let number = required(get_str(m, "PhoneNumber")?, "PhoneNumber")?;
    check_e164(number, "PhoneNumber")?;
    // A number can be claimed once per region.
    let account = store.account_id.clone();
    if let Some(r) = store.regions.get_mut(ctx.region) {
        ensure_content(r, ctx.region, &account, &instance);
        let token_seen = client_token(m)?.is_some_and(|t| {
            r.contents.get(&instance).is_some_and(|c| {
                c.tokens
                    .contains_key(&(Op::ClaimPhoneNumber, t.to_string()))
            })
        });
        let taken = r.contents.iter().any(|(_, c)| {
            c.items(Kind::PhoneNumber)
                .iter()
                .any(|p| p.doc_str("PhoneNumber") == Some(number))
        });
        if taken && !token_seen {
            return Err(ApiError::invalid_parameter(format!(
                "Phone number {number} is already claimed"
            )));
        }
    }
    let mut cx = open(store, ctx.region, &instance, now)?;
    idempotent(&mut cx, Op::ClaimPhoneNumber, m, |cx| {
        ch::claim_phone_number(cx, m, None)
    })
}
