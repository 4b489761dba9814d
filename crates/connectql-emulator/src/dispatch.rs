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
use super::wire::{query_get, to_body, ApiError};
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

/// Run an operation that takes a `ClientToken`: the same token and request
/// answer the first answer again (no second effect); the same token with
/// another request is a 409 IdempotencyException. `request` is everything
/// that names the change: the body, with the URI labels and query members
/// that matter.
fn idempotent(
    cx: &mut Cx<'_>,
    op: Op,
    request: &Body,
    f: impl FnOnce(&mut Cx<'_>) -> Result<Value, ApiError>,
) -> Result<Vec<u8>, ApiError> {
    let token = client_token(request)?.map(str::to_string);
    let request = Value::Object(request.clone());
    if let Some(t) = &token {
        if let Some(prev) = cx.content.tokens.get(&(op, t.clone())) {
            return replay(op, t, prev, &request);
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

/// The first answer to a token again, or an error for a different request:
/// 409 IdempotencyException where the model has it, else the error it has
/// for a conflicting request (409 ResourceConflictException for the
/// associations, 400 InvalidRequestException otherwise).
fn replay(op: Op, token: &str, prev: &TokenAnswer, request: &Value) -> Result<Vec<u8>, ApiError> {
    if prev.request == *request {
        return Ok(prev.response.clone());
    }
    let message = format!("ClientToken {token} was already used with a different {op} request");
    Err(match op {
        Op::CreateContactFlowModule
        | Op::ClaimPhoneNumber
        | Op::UpdatePhoneNumber
        | Op::UpdatePhoneNumberMetadata
        | Op::ReleasePhoneNumber => ApiError::idempotency(message),
        Op::AssociateApprovedOrigin | Op::AssociateInstanceStorageConfig => {
            ApiError::conflict(message)
        }
        _ => ApiError::invalid_request(message),
    })
}

/// A body with URI labels and query members added (for [`idempotent`]).
fn with_members<'a>(
    mut m: Body,
    members: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Body {
    for (k, v) in members {
        if let Some(v) = v {
            m.insert(k.into(), Value::String(v.into()));
        }
    }
    m
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
        Op::UpdatePhoneNumber
        | Op::UpdatePhoneNumberMetadata
        | Op::ReleasePhoneNumber
        | Op::DisassociatePhoneNumberContactFlow => {
            return phone_number_change(store, ctx, route, query, body, now)
        }
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
    let hours_override = || label(route, "HoursOfOperationOverrideId");
    let flow = || label(route, "ContactFlowId");
    let module = || label(route, "ContactFlowModuleId");
    let profile = || label(route, "SecurityProfileId");
    let quick = || label(route, "QuickConnectId");
    let group = || label(route, "HierarchyGroupId");
    let prompt = || label(route, "PromptId");
    let association = || label(route, "AssociationId");
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
        Op::UpdateUserConfig => ch::update_user_config(cx, user(), &m),
        Op::AssociateUserProficiencies
        | Op::UpdateUserProficiencies
        | Op::DisassociateUserProficiencies => ch::user_proficiencies(cx, user(), &m, op),

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
        Op::DisassociateQueueQuickConnects => {
            ch::disassociate_queue_quick_connects(cx, queue(), &m)
        }

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
        Op::UpdateRoutingProfileAgentAvailabilityTimer => {
            ch::update_routing_profile_agent_availability_timer(cx, rp(), &m)
        }

        Op::CreateHoursOfOperation => ch::create_hours_of_operation(cx, &m, None),
        Op::UpdateHoursOfOperation => ch::update_hours_of_operation(cx, hours(), &m),
        Op::DeleteHoursOfOperation => ch::delete_hours_of_operation(cx, hours()),
        Op::CreateHoursOfOperationOverride => {
            ch::create_hours_of_operation_override(cx, hours(), &m)
        }
        Op::UpdateHoursOfOperationOverride => {
            ch::update_hours_of_operation_override(cx, hours(), hours_override(), &m)
        }
        Op::DeleteHoursOfOperationOverride => {
            ch::delete_hours_of_operation_override(cx, hours(), hours_override())
        }
        Op::AssociateHoursOfOperations => ch::associate_hours_of_operations(cx, hours(), &m),
        Op::DisassociateHoursOfOperations => ch::disassociate_hours_of_operations(cx, hours(), &m),

        Op::CreateContactFlow => ch::create_contact_flow(cx, &m, None),
        Op::UpdateContactFlowContent => ch::update_contact_flow_content(cx, flow(), &m),
        Op::UpdateContactFlowMetadata => ch::update_contact_flow_metadata(cx, flow(), &m, true),
        Op::UpdateContactFlowName => ch::update_contact_flow_metadata(cx, flow(), &m, false),
        Op::DeleteContactFlow => ch::delete_contact_flow(cx, flow()),
        Op::CreateContactFlowModule => {
            return idempotent(cx, op, &m, |cx| {
                ch::create_contact_flow_module(cx, &m, None)
            })
        }
        Op::UpdateContactFlowModuleContent => {
            ch::update_contact_flow_module_content(cx, module(), &m)
        }
        Op::UpdateContactFlowModuleMetadata => {
            ch::update_contact_flow_module_metadata(cx, module(), &m)
        }
        Op::DeleteContactFlowModule => ch::delete_contact_flow_module(cx, module()),
        Op::AssociatePhoneNumberContactFlow => {
            ch::associate_phone_number_contact_flow(cx, label(route, "PhoneNumberId"), &m)
        }
        Op::CreateSecurityProfile => ch::create_security_profile(cx, &m, None),
        Op::UpdateSecurityProfile => ch::update_security_profile(cx, profile(), &m),
        Op::DeleteSecurityProfile => ch::delete_security_profile(cx, profile()),
        Op::CreateQuickConnect => ch::create_quick_connect(cx, &m, None),
        Op::UpdateQuickConnectName => ch::update_quick_connect_name(cx, quick(), &m),
        Op::UpdateQuickConnectConfig => ch::update_quick_connect_config(cx, quick(), &m),
        Op::DeleteQuickConnect => ch::delete_quick_connect(cx, quick()),
        Op::CreateUserHierarchyGroup => ch::create_user_hierarchy_group(cx, &m, None),
        Op::UpdateUserHierarchyGroupName => ch::update_user_hierarchy_group_name(cx, group(), &m),
        Op::DeleteUserHierarchyGroup => ch::delete_user_hierarchy_group(cx, group()),
        Op::CreatePrompt => ch::create_prompt(cx, &m, None),
        Op::UpdatePrompt => ch::update_prompt(cx, prompt(), &m),
        Op::DeletePrompt => ch::delete_prompt(cx, prompt()),
        Op::CreateAgentStatus => ch::create_agent_status(cx, &m, None),
        Op::UpdateAgentStatus => ch::update_agent_status(cx, label(route, "AgentStatusId"), &m),
        Op::AssociateApprovedOrigin => {
            return idempotent(cx, op, &m, |cx| ch::associate_approved_origin(cx, &m))
        }
        Op::DisassociateApprovedOrigin => {
            let origin = query_get(query, "origin");
            let request = with_members(
                Map::new(),
                [
                    ("Origin", origin),
                    ("ClientToken", query_get(query, "clientToken")),
                ],
            );
            return idempotent(cx, op, &request, |cx| {
                ch::disassociate_approved_origin(cx, required(origin, "Origin")?)
            });
        }
        Op::AssociateInstanceStorageConfig => {
            return idempotent(cx, op, &m, |cx| {
                ch::associate_instance_storage_config(cx, &m, None)
            })
        }
        Op::UpdateInstanceStorageConfig | Op::DisassociateInstanceStorageConfig => {
            let resource_type = query_get(query, "resourceType");
            let token = match op {
                Op::UpdateInstanceStorageConfig => get_str(&m, "ClientToken")?,
                _ => query_get(query, "clientToken"),
            };
            let request = with_members(
                m.clone(),
                [
                    ("AssociationId", Some(association())),
                    ("ResourceType", resource_type),
                    ("ClientToken", token),
                ],
            );
            return idempotent(cx, op, &request, |cx| {
                let rt = required(resource_type, "ResourceType")?;
                if op == Op::UpdateInstanceStorageConfig {
                    ch::update_instance_storage_config(cx, association(), rt, &m)
                } else {
                    ch::disassociate_instance_storage_config(cx, association(), rt)
                }
            });
        }
        Op::CreateIntegrationAssociation => ch::create_integration_association(cx, &m, None),
        Op::DeleteIntegrationAssociation => {
            ch::delete_integration_association(cx, label(route, "IntegrationAssociationId"))
        }
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
    if let Some(e) = super::state::foreign_account(id_or_arn, &store.account_id) {
        return Err(e);
    }
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

/// The phone number operations named by the number alone (or with an
/// `instanceId` query member): their `ClientToken`s are kept per region, since
/// a number can move between instances or be released.
fn phone_number_change(
    store: &mut Store,
    ctx: &Ctx<'_>,
    route: &Route,
    query: &[(String, String)],
    body: &[u8],
    now: f64,
) -> Result<Vec<u8>, ApiError> {
    let op = route.op;
    let number = label(route, "PhoneNumberId");
    let m = if op.def().method == "DELETE" {
        Map::new()
    } else {
        parse_body(body)?
    };
    let request = match op {
        Op::ReleasePhoneNumber => with_members(
            m.clone(),
            [("ClientToken", query_get(query, "clientToken"))],
        ),
        _ => m.clone(),
    };
    let token = client_token(&request)?.map(str::to_string);
    let request = Value::Object(with_members(request, [("PhoneNumberId", Some(number))]));
    if let Some(t) = &token {
        let prev = store
            .region(ctx.region)
            .and_then(|r| r.phone_tokens.get(&(op, t.clone())));
        if let Some(prev) = prev {
            return replay(op, t, prev, &request);
        }
    }
    let out = match op {
        Op::DisassociatePhoneNumberContactFlow => {
            let instance = required(query_get(query, "instanceId"), "InstanceId")?;
            check_len(instance, "InstanceId", 1, 100)?;
            let mut cx = open(store, ctx.region, instance, now)?;
            let id = ch::existing(&cx, Kind::PhoneNumber, number)?;
            ch::disassociate_phone_number_contact_flow(&mut cx, &id)
        }
        Op::UpdatePhoneNumber => {
            let target = phone_target(store, ctx, &m)?.ok_or_else(|| {
                ApiError::invalid_parameter("One of TargetArn or InstanceId is required")
            })?;
            let (_, id) = phone_instance(store, ctx, number)?;
            // Open the target's contents (defaults on first use).
            open(store, ctx.region, &target, now)?;
            let account = store.account_id.clone();
            let r = store.region_mut(ctx.region);
            ch::move_phone_number(r, ctx.region, &account, &id, &target)
        }
        _ => {
            let (instance, id) = phone_instance(store, ctx, number)?;
            let mut cx = open(store, ctx.region, &instance, now)?;
            if op == Op::ReleasePhoneNumber {
                ch::release_phone_number(&mut cx, &id)
            } else {
                ch::update_phone_number_metadata(&mut cx, &id, &m)
            }
        }
    };
    let response = answer(out?);
    if let Some(t) = token {
        store.region_mut(ctx.region).phone_tokens.insert(
            (op, t),
            TokenAnswer {
                request,
                response: response.clone(),
            },
        );
    }
    Ok(response)
}
