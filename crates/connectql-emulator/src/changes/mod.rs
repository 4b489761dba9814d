//! Create, update, associate and delete operations on the contents of an
//! instance, validated as Connect does: required members and model constraints
//! (400 InvalidParameterException), references that must exist (404
//! ResourceNotFoundException), names unique per instance (409
//! DuplicateResourceException), resources in use (409 ResourceInUseException),
//! tags (1..50, key `^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$` 1..128, value ≤ 256,
//! no control characters).
//!
//! Each `create_*` takes the request body and an optional fixed id (the
//! defaults of a new instance and the demo data use the same code with
//! deterministic ids) and answers the output JSON.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use connect_operations::Op;
use regex::Regex;
use serde_json::{json, Map, Value};

use super::content::{Item, Kind};
use super::scope::{not_found, Cx};
use super::search::FLOW_TYPES;
use super::validate::*;
use super::wire::ApiError;

pub type Body = Map<String, Value>;

pub const CHANNELS: [&str; 4] = ["VOICE", "CHAT", "TASK", "EMAIL"];
pub const DAYS: [&str; 7] = [
    "SUNDAY",
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
];
pub const STORAGE_RESOURCE_TYPES: [&str; 13] = [
    "CHAT_TRANSCRIPTS",
    "CALL_RECORDINGS",
    "SCHEDULED_REPORTS",
    "MEDIA_STREAMS",
    "CONTACT_TRACE_RECORDS",
    "AGENT_EVENTS",
    "REAL_TIME_CONTACT_ANALYSIS_SEGMENTS",
    "ATTACHMENTS",
    "CONTACT_EVALUATIONS",
    "SCREEN_RECORDINGS",
    "REAL_TIME_CONTACT_ANALYSIS_CHAT_SEGMENTS",
    "REAL_TIME_CONTACT_ANALYSIS_VOICE_SEGMENTS",
    "EMAIL_MESSAGES",
];
pub const INTEGRATION_TYPES: [&str; 15] = [
    "EVENT",
    "VOICE_ID",
    "PINPOINT_APP",
    "WISDOM_ASSISTANT",
    "WISDOM_KNOWLEDGE_BASE",
    "WISDOM_QUICK_RESPONSES",
    "Q_MESSAGE_TEMPLATES",
    "CASES_DOMAIN",
    "APPLICATION",
    "FILE_SCANNER",
    "SES_IDENTITY",
    "ANALYTICS_CONNECTOR",
    "CALL_TRANSFER_CONNECTOR",
    "COGNITO_USER_POOL",
    "MESSAGE_PROCESSOR",
];

static USERNAME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z0-9_\-.@]+$").expect("username regex"));
static EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}$").expect("email regex")
});
static SECURITY_PROFILE_NAME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ a-zA-Z0-9_@-]+$").expect("security profile regex"));
static S3_URI_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(s3://\S+/.+|https://\S+\.s3\.\S+\.amazonaws\.com/\S+)$").expect("s3 regex")
});
static SOURCE_APP_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z0-9_ -]+$").expect("source app regex"));
static TIME_ZONE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(UTC|GMT|[A-Z][A-Za-z_]+(/[A-Za-z0-9_+\-]+){1,2})$").expect("time zone regex")
});

// ---------------------------------------------------------------- helpers

/// Insert a new item: id and ARN members first, then `doc`; stamps
/// `LastModifiedTime`. Returns (id, ARN).
pub fn insert_item(
    cx: &mut Cx<'_>,
    kind: Kind,
    id: Option<String>,
    doc: Body,
    extra: Body,
    tags: BTreeMap<String, String>,
) -> (String, String) {
    let def = kind.def();
    let id = id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let arn = cx.arn(kind, &id);
    let mut full = Map::new();
    full.insert(def.id_member.into(), json!(id));
    full.insert(def.arn_member.into(), json!(arn));
    full.extend(doc);
    let mut item = Item {
        seq: 0,
        id: id.clone(),
        arn: arn.clone(),
        doc: full,
        extra,
        tags,
    };
    item.touch(kind, cx.region, cx.now);
    cx.content.items_mut(kind).insert(kind, item);
    (id, arn)
}

/// 409 DuplicateResourceException when another item of `kind` has `name`.
pub fn unique_name(
    cx: &Cx<'_>,
    kind: Kind,
    name: &str,
    except: Option<&str>,
) -> Result<(), ApiError> {
    match cx.content.items(kind).by_name(name) {
        Some(other) if Some(other.id.as_str()) != except => Err(ApiError::duplicate(format!(
            "{} with name '{}' already exists in this instance",
            kind.def().noun,
            name.chars().take(200).collect::<String>()
        ))),
        _ => Ok(()),
    }
}

/// The id of an item named by id or by ARN, if it exists.
pub fn find_id(cx: &Cx<'_>, kind: Kind, id_or_arn: &str) -> Option<String> {
    if id_or_arn.starts_with("arn:") {
        let id = id_or_arn.rsplit('/').next()?;
        cx.content
            .get(kind, id)
            .filter(|i| i.arn == id_or_arn)
            .map(|i| i.id.clone())
    } else {
        cx.content.get(kind, id_or_arn).map(|i| i.id.clone())
    }
}

/// An id (or ARN) that must name an existing item: its id, or 404.
pub fn existing(cx: &Cx<'_>, kind: Kind, id_or_arn: &str) -> Result<String, ApiError> {
    find_id(cx, kind, id_or_arn).ok_or_else(|| not_found(kind, id_or_arn))
}

fn put_opt(doc: &mut Body, key: &str, v: Option<&str>) {
    if let Some(v) = v {
        doc.insert(key.into(), json!(v));
    }
}

fn touch(cx: &mut Cx<'_>, kind: Kind, id: &str) {
    let (region, now) = (cx.region, cx.now);
    if let Some(item) = cx.content.items_mut(kind).get_mut(id) {
        item.touch(kind, region, now);
    }
}

/// No unknown members in a structure (they would be silently ignored otherwise).
fn known_members(m: &Body, at: &str, known: &[&str]) -> Result<(), ApiError> {
    match m.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(ApiError::serialization(format!(
            "Unknown member '{k}' in {at}"
        ))),
        None => Ok(()),
    }
}

fn check_password(p: &str) -> Result<(), ApiError> {
    let n = p.chars().count();
    let ok = (8..=64).contains(&n)
        && !p.chars().any(char::is_whitespace)
        && p.chars().any(|c| c.is_ascii_lowercase())
        && p.chars().any(|c| c.is_ascii_uppercase())
        && p.chars().any(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(
            "1 validation error detected: Value '***' at 'password' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: \
             /^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d)[a-zA-Z\\d\\S]{8,64}$/",
        ))
    }
}

fn check_email(v: &str, member: &str) -> Result<(), ApiError> {
    check_len(v, member, 0, 265)?;
    check_pattern(
        v,
        member,
        &EMAIL_RE,
        r"(?=^.{0,265}$)[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}",
    )
}

/// A validated `UserIdentityInfo`.
fn identity_info(m: &Body) -> Result<Body, ApiError> {
    known_members(
        m,
        "IdentityInfo",
        &["FirstName", "LastName", "Email", "SecondaryEmail", "Mobile"],
    )?;
    let mut out = Map::new();
    if let Some(v) = opt_str(m, "FirstName", 0, 255)? {
        out.insert("FirstName".into(), json!(v));
    }
    if let Some(v) = opt_str(m, "LastName", 0, 300)? {
        out.insert("LastName".into(), json!(v));
    }
    for key in ["Email", "SecondaryEmail"] {
        if let Some(v) = get_str(m, key)? {
            check_email(v, key)?;
            out.insert(key.into(), json!(v));
        }
    }
    if let Some(v) = get_str(m, "Mobile")? {
        check_e164(v, "Mobile")?;
        out.insert("Mobile".into(), json!(v));
    }
    Ok(out)
}

/// A validated `UserPhoneConfig` (defaults: SOFT_PHONE, no auto-accept, ACW 0 s).
fn phone_config(m: Option<&Body>) -> Result<Body, ApiError> {
    let empty = Map::new();
    let m = m.unwrap_or(&empty);
    known_members(
        m,
        "PhoneConfig",
        &[
            "PhoneType",
            "AutoAccept",
            "AfterContactWorkTimeLimit",
            "DeskPhoneNumber",
            "PersistentConnection",
        ],
    )?;
    let phone_type = get_str(m, "PhoneType")?.unwrap_or("SOFT_PHONE");
    check_enum(phone_type, "PhoneType", &["SOFT_PHONE", "DESK_PHONE"])?;
    let mut out = Map::new();
    out.insert("PhoneType".into(), json!(phone_type));
    out.insert(
        "AutoAccept".into(),
        json!(get_bool(m, "AutoAccept")?.unwrap_or(false)),
    );
    let acw = get_i64(m, "AfterContactWorkTimeLimit")?.unwrap_or(0);
    check_range(acw, "AfterContactWorkTimeLimit", 0, i64::from(i32::MAX))?;
    out.insert("AfterContactWorkTimeLimit".into(), json!(acw));
    match get_str(m, "DeskPhoneNumber")? {
        Some(n) if !n.is_empty() => {
            check_e164(n, "DeskPhoneNumber")?;
            out.insert("DeskPhoneNumber".into(), json!(n));
        }
        _ if phone_type == "DESK_PHONE" => {
            return Err(ApiError::invalid_parameter(
                "DeskPhoneNumber is required when PhoneType is DESK_PHONE",
            ))
        }
        _ => {}
    }
    if let Some(p) = get_bool(m, "PersistentConnection")? {
        out.insert("PersistentConnection".into(), json!(p));
    }
    Ok(out)
}

/// Per-channel user configuration lists, kept as sent (structures with a valid Channel).
fn channel_configs(m: &Body, key: &str) -> Result<Option<Value>, ApiError> {
    let Some(list) = obj_list(m, key)? else {
        return Ok(None);
    };
    for c in &list {
        let ch = required(get_str(c, "Channel")?, &format!("{key}.Channel"))?;
        check_enum(ch, &format!("{key}.Channel"), &CHANNELS)?;
    }
    Ok(Some(Value::Array(
        list.into_iter().map(|c| Value::Object(c.clone())).collect(),
    )))
}

fn security_profile_ids(cx: &Cx<'_>, m: &Body) -> Result<Vec<String>, ApiError> {
    let ids = required(
        str_list(m, "SecurityProfileIds", 1, 10)?,
        "SecurityProfileIds",
    )?;
    ids.iter()
        .map(|id| existing(cx, Kind::SecurityProfile, id))
        .collect()
}

// ---------------------------------------------------------------- users

pub fn create_user(cx: &mut Cx<'_>, m: &Body, id: Option<String>) -> Result<Value, ApiError> {
    let username = req_str(m, "Username", 1, 100)?;
    check_pattern(username, "Username", &USERNAME_RE, r"[a-zA-Z0-9\_\-\.\@]+")?;
    let password = get_str(m, "Password")?;
    if let Some(p) = password {
        check_password(p)?;
    } else if cx.identity == "CONNECT_MANAGED" {
        return Err(ApiError::invalid_parameter(
            "Password is required for an instance with CONNECT_MANAGED identity management",
        ));
    }
    let identity = match get_obj(m, "IdentityInfo")? {
        Some(i) => Some(identity_info(i)?),
        None => None,
    };
    let phone = phone_config(get_obj(m, "PhoneConfig")?)?;
    let directory_user_id = opt_str(m, "DirectoryUserId", 1, 256)?;
    let security = security_profile_ids(cx, m)?;
    let routing = existing(
        cx,
        Kind::RoutingProfile,
        required(get_str(m, "RoutingProfileId")?, "RoutingProfileId")?,
    )?;
    let hierarchy = match get_str(m, "HierarchyGroupId")? {
        Some(h) => Some(existing(cx, Kind::HierarchyGroup, h)?),
        None => None,
    };
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    let mut per_channel = Vec::new();
    for key in CHANNEL_CONFIGS {
        if let Some(v) = channel_configs(m, key)? {
            per_channel.push((key, v));
        }
    }
    unique_name(cx, Kind::User, username, None)?;

    let mut doc = Map::new();
    doc.insert("Username".into(), json!(username));
    if let Some(i) = identity {
        doc.insert("IdentityInfo".into(), Value::Object(i));
    }
    doc.insert("PhoneConfig".into(), Value::Object(phone));
    put_opt(&mut doc, "DirectoryUserId", directory_user_id);
    doc.insert("SecurityProfileIds".into(), json!(security));
    doc.insert("RoutingProfileId".into(), json!(routing));
    if let Some(h) = hierarchy {
        doc.insert("HierarchyGroupId".into(), json!(h));
    }
    for (k, v) in per_channel {
        doc.insert(k.into(), v);
    }
    let mut extra = Map::new();
    extra.insert("Proficiencies".into(), json!([]));
    let (id, arn) = insert_item(cx, Kind::User, id, doc, extra, tags);
    Ok(json!({"UserId": id, "UserArn": arn}))
}

pub fn delete_user(cx: &mut Cx<'_>, id: &str) -> Result<Value, ApiError> {
    cx.need(Kind::User, id)?;
    cx.content.items_mut(Kind::User).remove(Kind::User, id);
    Ok(Value::Null)
}

pub fn update_user_identity_info(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let info = identity_info(required(get_obj(m, "IdentityInfo")?, "IdentityInfo")?)?;
    cx.need_mut(Kind::User, id)?
        .doc
        .insert("IdentityInfo".into(), Value::Object(info));
    touch(cx, Kind::User, id);
    Ok(Value::Null)
}

pub fn update_user_phone_config(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let phone = phone_config(Some(required(get_obj(m, "PhoneConfig")?, "PhoneConfig")?))?;
    cx.need_mut(Kind::User, id)?
        .doc
        .insert("PhoneConfig".into(), Value::Object(phone));
    touch(cx, Kind::User, id);
    Ok(Value::Null)
}

/// A user's proficiencies as a request names them: (attribute name, value,
/// level) — the level absent for a disassociation.
fn proficiencies(m: &Body, level: bool) -> Result<Vec<(String, String, Option<f64>)>, ApiError> {
    let list = required(get_array(m, "UserProficiencies")?, "UserProficiencies")?;
    if list.is_empty() || list.len() > 20 {
        return Err(ApiError::invalid_parameter(
            "UserProficiencies must have 1 to 20 items",
        ));
    }
    let mut out = Vec::new();
    for p in list {
        let Value::Object(p) = p else {
            return Err(ApiError::invalid_parameter(
                "UserProficiencies items must be structures",
            ));
        };
        let name = req_str(p, "AttributeName", 1, 64)?;
        let value = req_str(p, "AttributeValue", 1, 64)?;
        let known = if level {
            &["AttributeName", "AttributeValue", "Level"][..]
        } else {
            &["AttributeName", "AttributeValue"][..]
        };
        if let Some(k) = p.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(ApiError::invalid_parameter(format!(
                "Unknown member {k} in UserProficiencies"
            )));
        }
        let lvl = if level {
            let l = p
                .get("Level")
                .and_then(Value::as_f64)
                .ok_or_else(|| ApiError::invalid_parameter(missing("Level")))?;
            if !(1.0..=5.0).contains(&l) {
                return Err(ApiError::invalid_parameter(format!(
                    "Level {l} is outside 1.0 to 5.0"
                )));
            }
            Some(l)
        } else {
            None
        };
        out.push((name.to_string(), value.to_string(), lvl));
    }
    Ok(out)
}

/// `AssociateUserProficiencies`, `UpdateUserProficiencies` and
/// `DisassociateUserProficiencies`: add (or re-level) proficiencies, change
/// the levels of those the user has, or take them away.
pub fn user_proficiencies(cx: &mut Cx<'_>, id: &str, m: &Body, op: Op) -> Result<Value, ApiError> {
    let given = proficiencies(m, op != Op::DisassociateUserProficiencies)?;
    let u = cx.need_mut(Kind::User, id)?;
    let mut list = u.extra_list("Proficiencies");
    let at = |list: &[Value], name: &str, value: &str| {
        list.iter().position(|p| {
            p["AttributeName"].as_str() == Some(name) && p["AttributeValue"].as_str() == Some(value)
        })
    };
    for (name, value, level) in given {
        let entry = json!({"AttributeName": name, "AttributeValue": value, "Level": level});
        match (op, at(&list, &name, &value)) {
            (Op::DisassociateUserProficiencies, Some(i)) => {
                list.remove(i);
            }
            (Op::DisassociateUserProficiencies, None) => {}
            (Op::UpdateUserProficiencies, Some(i)) | (Op::AssociateUserProficiencies, Some(i)) => {
                list[i] = entry;
            }
            (Op::UpdateUserProficiencies, None) => {
                return Err(ApiError::invalid_parameter(format!(
                    "The user has no proficiency {name}: {value} to update"
                )));
            }
            _ => list.push(entry),
        }
    }
    u.extra.insert("Proficiencies".into(), Value::Array(list));
    touch(cx, Kind::User, id);
    Ok(Value::Null)
}

pub fn update_user_routing_profile(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let rp = required(get_str(m, "RoutingProfileId")?, "RoutingProfileId")?;
    cx.need(Kind::User, id)?;
    let rp = existing(cx, Kind::RoutingProfile, rp)?;
    cx.need_mut(Kind::User, id)?
        .doc
        .insert("RoutingProfileId".into(), json!(rp));
    touch(cx, Kind::User, id);
    Ok(Value::Null)
}

pub fn update_user_security_profiles(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let ids = security_profile_ids(cx, m)?;
    cx.need_mut(Kind::User, id)?
        .doc
        .insert("SecurityProfileIds".into(), json!(ids));
    touch(cx, Kind::User, id);
    Ok(Value::Null)
}

pub fn update_user_hierarchy(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let group = match get_str(m, "HierarchyGroupId")? {
        Some(g) if !g.is_empty() => Some(existing(cx, Kind::HierarchyGroup, g)?),
        _ => None,
    };
    let user = cx.need_mut(Kind::User, id)?;
    match group {
        Some(g) => user.doc.insert("HierarchyGroupId".into(), json!(g)),
        None => user.doc.remove("HierarchyGroupId"),
    };
    touch(cx, Kind::User, id);
    Ok(Value::Null)
}

/// The per-channel settings of `CreateUser` and `UpdateUserConfig`.
const CHANNEL_CONFIGS: [&str; 5] = [
    "AutoAcceptConfigs",
    "AfterContactWorkConfigs",
    "PhoneNumberConfigs",
    "PersistentConnectionConfigs",
    "VoiceEnhancementConfigs",
];

/// `UpdateUserConfig`: each per-channel list sent replaces the user's list.
pub fn update_user_config(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let mut lists = Vec::new();
    for key in CHANNEL_CONFIGS {
        if let Some(v) = channel_configs(m, key)? {
            lists.push((key, v));
        }
    }
    let user = cx.need_mut(Kind::User, id)?;
    for (key, v) in lists {
        user.doc.insert(key.into(), v);
    }
    touch(cx, Kind::User, id);
    Ok(Value::Null)
}

// ---------------------------------------------------------------- queues

fn outbound_caller_config(cx: &Cx<'_>, m: &Body) -> Result<Body, ApiError> {
    known_members(
        m,
        "OutboundCallerConfig",
        &[
            "OutboundCallerIdName",
            "OutboundCallerIdNumberId",
            "OutboundFlowId",
        ],
    )?;
    let mut out = Map::new();
    if let Some(n) = opt_str(m, "OutboundCallerIdName", 1, 255)? {
        out.insert("OutboundCallerIdName".into(), json!(n));
    }
    if let Some(n) = get_str(m, "OutboundCallerIdNumberId")? {
        let known = cx.content.get(Kind::PhoneNumber, n).is_some()
            || cx.phone_index.get(n).is_some_and(|i| *i == cx.instance);
        if !known {
            return Err(not_found(Kind::PhoneNumber, n));
        }
        out.insert("OutboundCallerIdNumberId".into(), json!(n));
    }
    if let Some(f) = opt_str(m, "OutboundFlowId", 0, 500)? {
        let f = existing(cx, Kind::ContactFlow, f)?;
        out.insert("OutboundFlowId".into(), json!(f));
    }
    Ok(out)
}

fn quick_connect_ids(cx: &Cx<'_>, m: &Body) -> Result<Option<Vec<String>>, ApiError> {
    match str_list(m, "QuickConnectIds", 1, 50)? {
        Some(ids) => ids
            .iter()
            .map(|q| existing(cx, Kind::QuickConnect, q))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        None => Ok(None),
    }
}

pub fn create_queue(cx: &mut Cx<'_>, m: &Body, id: Option<String>) -> Result<Value, ApiError> {
    let name = req_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 1, 250)?;
    let hours = existing(
        cx,
        Kind::HoursOfOperation,
        required(get_str(m, "HoursOfOperationId")?, "HoursOfOperationId")?,
    )?;
    let max_contacts = get_i64(m, "MaxContacts")?;
    if let Some(n) = max_contacts {
        check_range(n, "MaxContacts", 0, i64::from(i32::MAX))?;
    }
    let outbound = match get_obj(m, "OutboundCallerConfig")? {
        Some(o) => Some(outbound_caller_config(cx, o)?),
        None => None,
    };
    if let Some(list) = obj_list(m, "EmailAddressesConfig")? {
        if !list.is_empty() {
            return Err(ApiError::invalid_request(
                "EmailAddressesConfig is not supported by the connectql emulator (no email addresses)",
            ));
        }
    }
    let quick = quick_connect_ids(cx, m)?.unwrap_or_default();
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    unique_name(cx, Kind::Queue, name, None)?;

    let mut doc = Map::new();
    doc.insert("Name".into(), json!(name));
    put_opt(&mut doc, "Description", description);
    if let Some(o) = outbound {
        doc.insert("OutboundCallerConfig".into(), Value::Object(o));
    }
    doc.insert("HoursOfOperationId".into(), json!(hours));
    if let Some(n) = max_contacts {
        doc.insert("MaxContacts".into(), json!(n));
    }
    doc.insert("Status".into(), json!("ENABLED"));
    let mut extra = Map::new();
    extra.insert("QueueType".into(), json!("STANDARD"));
    extra.insert("QuickConnectIds".into(), json!(quick));
    let (id, arn) = insert_item(cx, Kind::Queue, id, doc, extra, tags);
    Ok(json!({"QueueArn": arn, "QueueId": id}))
}

pub fn delete_queue(cx: &mut Cx<'_>, id: &str) -> Result<Value, ApiError> {
    cx.need(Kind::Queue, id)?;
    let user = cx.content.items(Kind::RoutingProfile).iter().find(|rp| {
        rp.doc_str("DefaultOutboundQueueId") == Some(id)
            || rp.values_at("AssociatedQueueIds").iter().any(|q| q == id)
            || rp
                .values_at("AssociatedManualAssignmentQueueIds")
                .iter()
                .any(|q| q == id)
    });
    if let Some(rp) = user {
        return Err(ApiError::in_use(format!(
            "Queue {id} is in use by routing profile {}",
            rp.id
        )));
    }
    // A queue quick connect would transfer to a queue that is gone.
    if let Some(qc) = cx.content.items(Kind::QuickConnect).iter().find(|qc| {
        qc.values_at("QuickConnectConfig.QueueConfig.QueueId")
            .iter()
            .any(|q| q == id)
    }) {
        return Err(ApiError::in_use(format!(
            "Queue {id} is in use by quick connect {}",
            qc.id
        )));
    }
    cx.content.items_mut(Kind::Queue).remove(Kind::Queue, id);
    Ok(Value::Null)
}

pub fn update_queue_name(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let name = opt_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 1, 250)?;
    cx.need(Kind::Queue, id)?;
    if let Some(n) = name {
        unique_name(cx, Kind::Queue, n, Some(id))?;
        cx.content.items_mut(Kind::Queue).rename(Kind::Queue, id, n);
    }
    if let Some(d) = description {
        cx.need_mut(Kind::Queue, id)?
            .doc
            .insert("Description".into(), json!(d));
    }
    touch(cx, Kind::Queue, id);
    Ok(Value::Null)
}

pub fn update_queue_hours(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let hours = required(get_str(m, "HoursOfOperationId")?, "HoursOfOperationId")?;
    cx.need(Kind::Queue, id)?;
    let hours = existing(cx, Kind::HoursOfOperation, hours)?;
    cx.need_mut(Kind::Queue, id)?
        .doc
        .insert("HoursOfOperationId".into(), json!(hours));
    touch(cx, Kind::Queue, id);
    Ok(Value::Null)
}

pub fn update_queue_max_contacts(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let n = get_i64(m, "MaxContacts")?;
    if let Some(n) = n {
        check_range(n, "MaxContacts", 0, i64::from(i32::MAX))?;
    }
    let q = cx.need_mut(Kind::Queue, id)?;
    match n {
        Some(n) => q.doc.insert("MaxContacts".into(), json!(n)),
        None => q.doc.remove("MaxContacts"),
    };
    touch(cx, Kind::Queue, id);
    Ok(Value::Null)
}

pub fn update_queue_status(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let status = required(get_str(m, "Status")?, "Status")?;
    check_enum(status, "Status", &["ENABLED", "DISABLED"])?;
    cx.need_mut(Kind::Queue, id)?
        .doc
        .insert("Status".into(), json!(status));
    touch(cx, Kind::Queue, id);
    Ok(Value::Null)
}

pub fn update_queue_outbound_caller_config(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let o = required(get_obj(m, "OutboundCallerConfig")?, "OutboundCallerConfig")?;
    cx.need(Kind::Queue, id)?;
    let o = outbound_caller_config(cx, o)?;
    cx.need_mut(Kind::Queue, id)?
        .doc
        .insert("OutboundCallerConfig".into(), Value::Object(o));
    touch(cx, Kind::Queue, id);
    Ok(Value::Null)
}

pub fn associate_queue_quick_connects(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    cx.need(Kind::Queue, id)?;
    let ids = required(quick_connect_ids(cx, m)?, "QuickConnectIds")?;
    let q = cx.need_mut(Kind::Queue, id)?;
    let mut list = q.extra_list("QuickConnectIds");
    for qc in ids {
        if !list.iter().any(|v| v.as_str() == Some(qc.as_str())) {
            list.push(json!(qc));
        }
    }
    if list.len() > 50 {
        return Err(ApiError::limit_exceeded(
            "A queue can have at most 50 quick connects",
        ));
    }
    q.extra.insert("QuickConnectIds".into(), Value::Array(list));
    touch(cx, Kind::Queue, id);
    Ok(Value::Null)
}

/// `DisassociateQueueQuickConnects`: every id must name an existing quick connect.
pub fn disassociate_queue_quick_connects(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    cx.need(Kind::Queue, id)?;
    let ids = required(quick_connect_ids(cx, m)?, "QuickConnectIds")?;
    let q = cx.need_mut(Kind::Queue, id)?;
    let mut list = q.extra_list("QuickConnectIds");
    list.retain(|v| !ids.iter().any(|qc| v.as_str() == Some(qc.as_str())));
    q.extra.insert("QuickConnectIds".into(), Value::Array(list));
    touch(cx, Kind::Queue, id);
    Ok(Value::Null)
}

// ---------------------------------------------------------------- routing profiles

/// A validated `RoutingProfileQueueReference` → (queue id, channel).
fn queue_reference(cx: &Cx<'_>, m: &Body, at: &str) -> Result<(String, String), ApiError> {
    let r = required(
        get_obj(m, "QueueReference")?,
        &format!("{at}.QueueReference"),
    )?;
    queue_ref_fields(cx, r, at)
}

fn queue_ref_fields(cx: &Cx<'_>, r: &Body, at: &str) -> Result<(String, String), ApiError> {
    let q = required(get_str(r, "QueueId")?, &format!("{at}.QueueId"))?;
    let ch = required(get_str(r, "Channel")?, &format!("{at}.Channel"))?;
    check_enum(ch, &format!("{at}.Channel"), &CHANNELS)?;
    Ok((existing(cx, Kind::Queue, q)?, ch.to_string()))
}

/// `QueueConfigs` → `[{QueueId, Channel, Priority, Delay}]`.
fn queue_configs(cx: &Cx<'_>, m: &Body, key: &str) -> Result<Option<Vec<Value>>, ApiError> {
    let Some(list) = obj_list(m, key)? else {
        return Ok(None);
    };
    if list.is_empty() || list.len() > 10 {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value at '{key}' failed to satisfy constraint: \
             Member must have length between 1 and 10 (got {})",
            list.len()
        )));
    }
    let mut out = Vec::new();
    for c in list {
        let (q, ch) = queue_reference(cx, c, key)?;
        let priority = required(get_i64(c, "Priority")?, &format!("{key}.Priority"))?;
        check_range(priority, &format!("{key}.Priority"), 1, 99)?;
        let delay = required(get_i64(c, "Delay")?, &format!("{key}.Delay"))?;
        check_range(delay, &format!("{key}.Delay"), 0, 9999)?;
        out.push(json!({"QueueId": q, "Channel": ch, "Priority": priority, "Delay": delay}));
    }
    Ok(Some(out))
}

/// `ManualAssignmentQueueConfigs` → `[{QueueId, Channel}]`.
fn manual_configs(cx: &Cx<'_>, m: &Body, key: &str) -> Result<Option<Vec<Value>>, ApiError> {
    let Some(list) = obj_list(m, key)? else {
        return Ok(None);
    };
    if list.is_empty() || list.len() > 10 {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value at '{key}' failed to satisfy constraint: \
             Member must have length between 1 and 10 (got {})",
            list.len()
        )));
    }
    list.into_iter()
        .map(|c| queue_reference(cx, c, key).map(|(q, ch)| json!({"QueueId": q, "Channel": ch})))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn media_concurrencies(m: &Body) -> Result<Vec<Value>, ApiError> {
    let list = required(obj_list(m, "MediaConcurrencies")?, "MediaConcurrencies")?;
    let mut out = Vec::new();
    for c in list {
        let ch = required(get_str(c, "Channel")?, "MediaConcurrencies.Channel")?;
        check_enum(ch, "MediaConcurrencies.Channel", &CHANNELS)?;
        let n = required(get_i64(c, "Concurrency")?, "MediaConcurrencies.Concurrency")?;
        check_range(n, "MediaConcurrencies.Concurrency", 1, 10)?;
        let mut one = json!({"Channel": ch, "Concurrency": n});
        if let Some(b) = get_obj(c, "CrossChannelBehavior")? {
            let t = required(
                get_str(b, "BehaviorType")?,
                "CrossChannelBehavior.BehaviorType",
            )?;
            check_enum(
                t,
                "CrossChannelBehavior.BehaviorType",
                &["ROUTE_CURRENT_CHANNEL_ONLY", "ROUTE_ANY_CHANNEL"],
            )?;
            one["CrossChannelBehavior"] = json!({"BehaviorType": t});
        }
        out.push(one);
    }
    Ok(out)
}

/// Recompute the queue members of a routing profile's Describe shape from its configs.
pub fn refresh_routing_profile(item: &mut Item) {
    let ids = |list: Vec<Value>| {
        let mut ids: Vec<String> = Vec::new();
        for c in list {
            if let Some(q) = c["QueueId"].as_str() {
                if !ids.iter().any(|x| x == q) {
                    ids.push(q.to_string());
                }
            }
        }
        ids
    };
    let queues = item.extra_list("QueueConfigs");
    let manual = item.extra_list("ManualQueueConfigs");
    let (nq, nm) = (queues.len(), manual.len());
    item.doc
        .insert("NumberOfAssociatedQueues".into(), json!(nq));
    item.doc
        .insert("NumberOfAssociatedManualAssignmentQueues".into(), json!(nm));
    item.doc
        .insert("AssociatedQueueIds".into(), json!(ids(queues)));
    item.doc.insert(
        "AssociatedManualAssignmentQueueIds".into(),
        json!(ids(manual)),
    );
}

fn same_ref(a: &Value, q: &str, ch: &str) -> bool {
    a["QueueId"].as_str() == Some(q) && a["Channel"].as_str() == Some(ch)
}

pub fn create_routing_profile(
    cx: &mut Cx<'_>,
    m: &Body,
    id: Option<String>,
) -> Result<Value, ApiError> {
    let name = req_str(m, "Name", 1, 127)?;
    let description = req_str(m, "Description", 1, 250)?;
    let outbound = existing(
        cx,
        Kind::Queue,
        required(
            get_str(m, "DefaultOutboundQueueId")?,
            "DefaultOutboundQueueId",
        )?,
    )?;
    let queues = queue_configs(cx, m, "QueueConfigs")?.unwrap_or_default();
    let manual = manual_configs(cx, m, "ManualAssignmentQueueConfigs")?.unwrap_or_default();
    let media = media_concurrencies(m)?;
    let timer = get_str(m, "AgentAvailabilityTimer")?.unwrap_or("TIME_SINCE_LAST_ACTIVITY");
    check_enum(
        timer,
        "AgentAvailabilityTimer",
        &["TIME_SINCE_LAST_ACTIVITY", "TIME_SINCE_LAST_INBOUND"],
    )?;
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    unique_name(cx, Kind::RoutingProfile, name, None)?;

    let mut doc = Map::new();
    doc.insert("InstanceId".into(), json!(cx.instance));
    doc.insert("Name".into(), json!(name));
    doc.insert("Description".into(), json!(description));
    doc.insert("MediaConcurrencies".into(), json!(media));
    doc.insert("DefaultOutboundQueueId".into(), json!(outbound));
    doc.insert("AgentAvailabilityTimer".into(), json!(timer));
    doc.insert("IsDefault".into(), json!(false));
    let mut extra = Map::new();
    extra.insert("QueueConfigs".into(), json!(queues));
    extra.insert("ManualQueueConfigs".into(), json!(manual));
    let (id, arn) = insert_item(cx, Kind::RoutingProfile, id, doc, extra, tags);
    if let Some(item) = cx.content.items_mut(Kind::RoutingProfile).get_mut(&id) {
        refresh_routing_profile(item);
    }
    Ok(json!({"RoutingProfileArn": arn, "RoutingProfileId": id}))
}

pub fn delete_routing_profile(cx: &mut Cx<'_>, id: &str) -> Result<Value, ApiError> {
    cx.need(Kind::RoutingProfile, id)?;
    if let Some(u) = cx
        .content
        .items(Kind::User)
        .iter()
        .find(|u| u.doc_str("RoutingProfileId") == Some(id))
    {
        return Err(ApiError::in_use(format!(
            "Routing profile {id} is in use by user {}",
            u.id
        )));
    }
    cx.content
        .items_mut(Kind::RoutingProfile)
        .remove(Kind::RoutingProfile, id);
    Ok(Value::Null)
}

pub fn update_routing_profile_name(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let name = opt_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 1, 250)?;
    cx.need(Kind::RoutingProfile, id)?;
    if let Some(n) = name {
        unique_name(cx, Kind::RoutingProfile, n, Some(id))?;
        cx.content
            .items_mut(Kind::RoutingProfile)
            .rename(Kind::RoutingProfile, id, n);
    }
    if let Some(d) = description {
        cx.need_mut(Kind::RoutingProfile, id)?
            .doc
            .insert("Description".into(), json!(d));
    }
    touch(cx, Kind::RoutingProfile, id);
    Ok(Value::Null)
}

pub fn update_routing_profile_default_outbound_queue(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let q = required(
        get_str(m, "DefaultOutboundQueueId")?,
        "DefaultOutboundQueueId",
    )?;
    cx.need(Kind::RoutingProfile, id)?;
    let q = existing(cx, Kind::Queue, q)?;
    cx.need_mut(Kind::RoutingProfile, id)?
        .doc
        .insert("DefaultOutboundQueueId".into(), json!(q));
    touch(cx, Kind::RoutingProfile, id);
    Ok(Value::Null)
}

pub fn update_routing_profile_concurrency(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let media = media_concurrencies(m)?;
    cx.need_mut(Kind::RoutingProfile, id)?
        .doc
        .insert("MediaConcurrencies".into(), json!(media));
    touch(cx, Kind::RoutingProfile, id);
    Ok(Value::Null)
}

pub fn update_routing_profile_agent_availability_timer(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let timer = required(
        get_str(m, "AgentAvailabilityTimer")?,
        "AgentAvailabilityTimer",
    )?;
    check_enum(
        timer,
        "AgentAvailabilityTimer",
        &["TIME_SINCE_LAST_ACTIVITY", "TIME_SINCE_LAST_INBOUND"],
    )?;
    cx.need_mut(Kind::RoutingProfile, id)?
        .doc
        .insert("AgentAvailabilityTimer".into(), json!(timer));
    touch(cx, Kind::RoutingProfile, id);
    Ok(Value::Null)
}

/// Upsert `(QueueId, Channel)` entries into a config list.
fn upsert(list: &mut Vec<Value>, new: Vec<Value>) {
    for c in new {
        let (q, ch) = (
            c["QueueId"].as_str().unwrap_or_default().to_string(),
            c["Channel"].as_str().unwrap_or_default().to_string(),
        );
        match list.iter_mut().find(|x| same_ref(x, &q, &ch)) {
            Some(x) => *x = c,
            None => list.push(c),
        }
    }
}

pub fn associate_routing_profile_queues(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    cx.need(Kind::RoutingProfile, id)?;
    let queues = queue_configs(cx, m, "QueueConfigs")?;
    let manual = manual_configs(cx, m, "ManualAssignmentQueueConfigs")?;
    if queues.is_none() && manual.is_none() {
        return Err(ApiError::invalid_parameter(
            "One of QueueConfigs or ManualAssignmentQueueConfigs is required",
        ));
    }
    let rp = cx.need_mut(Kind::RoutingProfile, id)?;
    for (key, new) in [("QueueConfigs", queues), ("ManualQueueConfigs", manual)] {
        if let Some(new) = new {
            let mut list = rp.extra_list(key);
            upsert(&mut list, new);
            rp.extra.insert(key.into(), Value::Array(list));
        }
    }
    refresh_routing_profile(rp);
    touch(cx, Kind::RoutingProfile, id);
    Ok(Value::Null)
}

pub fn disassociate_routing_profile_queues(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    cx.need(Kind::RoutingProfile, id)?;
    let mut refs = Vec::new();
    for (key, target) in [
        ("QueueReferences", "QueueConfigs"),
        ("ManualAssignmentQueueReferences", "ManualQueueConfigs"),
    ] {
        if let Some(list) = obj_list(m, key)? {
            for r in list {
                refs.push((target, queue_ref_fields(cx, r, key)?));
            }
        }
    }
    let rp = cx.need_mut(Kind::RoutingProfile, id)?;
    for (target, (q, ch)) in refs {
        let mut list = rp.extra_list(target);
        list.retain(|x| !same_ref(x, &q, &ch));
        rp.extra.insert(target.into(), Value::Array(list));
    }
    refresh_routing_profile(rp);
    touch(cx, Kind::RoutingProfile, id);
    Ok(Value::Null)
}

pub fn update_routing_profile_queues(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    cx.need(Kind::RoutingProfile, id)?;
    let new = required(queue_configs(cx, m, "QueueConfigs")?, "QueueConfigs")?;
    let rp = cx.need_mut(Kind::RoutingProfile, id)?;
    let mut list = rp.extra_list("QueueConfigs");
    for c in &new {
        let (q, ch) = (
            c["QueueId"].as_str().unwrap_or_default(),
            c["Channel"].as_str().unwrap_or_default(),
        );
        if !list.iter().any(|x| same_ref(x, q, ch)) {
            return Err(ApiError::invalid_parameter(format!(
                "Queue {q} is not associated with this routing profile for channel {ch}"
            )));
        }
    }
    upsert(&mut list, new);
    rp.extra.insert("QueueConfigs".into(), Value::Array(list));
    refresh_routing_profile(rp);
    touch(cx, Kind::RoutingProfile, id);
    Ok(Value::Null)
}

// ---------------------------------------------------------------- hours of operation

fn time_slice(m: &Body, at: &str) -> Result<Value, ApiError> {
    let h = required(get_i64(m, "Hours")?, &format!("{at}.Hours"))?;
    check_range(h, &format!("{at}.Hours"), 0, 23)?;
    let mi = required(get_i64(m, "Minutes")?, &format!("{at}.Minutes"))?;
    check_range(mi, &format!("{at}.Minutes"), 0, 59)?;
    Ok(json!({"Hours": h, "Minutes": mi}))
}

fn hours_config(m: &Body) -> Result<Option<Vec<Value>>, ApiError> {
    let Some(list) = obj_list(m, "Config")? else {
        return Ok(None);
    };
    if list.len() > 100 {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'config' failed to satisfy constraint: \
             Member must have length less than or equal to 100",
        ));
    }
    let mut out = Vec::new();
    for c in list {
        let day = required(get_str(c, "Day")?, "Config.Day")?;
        check_enum(day, "Config.Day", &DAYS)?;
        let start = time_slice(
            required(get_obj(c, "StartTime")?, "Config.StartTime")?,
            "Config.StartTime",
        )?;
        let end = time_slice(
            required(get_obj(c, "EndTime")?, "Config.EndTime")?,
            "Config.EndTime",
        )?;
        out.push(json!({"Day": day, "StartTime": start, "EndTime": end}));
    }
    Ok(Some(out))
}

fn check_time_zone(tz: &str) -> Result<(), ApiError> {
    check_len(tz, "TimeZone", 1, 64)?;
    if TIME_ZONE_RE.is_match(tz) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "Invalid time zone '{}': expected an IANA time zone such as America/New_York",
            tz.chars().take(64).collect::<String>()
        )))
    }
}

pub fn create_hours_of_operation(
    cx: &mut Cx<'_>,
    m: &Body,
    id: Option<String>,
) -> Result<Value, ApiError> {
    let name = req_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 1, 250)?;
    let tz = required(get_str(m, "TimeZone")?, "TimeZone")?;
    check_time_zone(tz)?;
    let config = required(hours_config(m)?, "Config")?;
    let mut parents = Vec::new();
    if let Some(list) = obj_list(m, "ParentHoursOfOperationConfigs")? {
        if list.len() > 3 {
            return Err(ApiError::invalid_parameter(
                "ParentHoursOfOperationConfigs can have at most 3 entries",
            ));
        }
        for p in list {
            let pid = required(
                get_str(p, "HoursOfOperationId")?,
                "ParentHoursOfOperationConfigs.HoursOfOperationId",
            )?;
            let pid = existing(cx, Kind::HoursOfOperation, pid)?;
            let parent = cx.need(Kind::HoursOfOperation, &pid)?;
            parents.push(json!({
                "Name": parent.name(Kind::HoursOfOperation),
                "Id": parent.id,
                "Arn": parent.arn,
            }));
        }
    }
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    unique_name(cx, Kind::HoursOfOperation, name, None)?;

    let mut doc = Map::new();
    doc.insert("Name".into(), json!(name));
    put_opt(&mut doc, "Description", description);
    doc.insert("TimeZone".into(), json!(tz));
    doc.insert("Config".into(), json!(config));
    if !parents.is_empty() {
        doc.insert("ParentHoursOfOperations".into(), json!(parents));
    }
    let mut extra = Map::new();
    extra.insert("Overrides".into(), json!([]));
    let (id, arn) = insert_item(cx, Kind::HoursOfOperation, id, doc, extra, tags);
    Ok(json!({"HoursOfOperationId": id, "HoursOfOperationArn": arn}))
}

pub fn update_hours_of_operation(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let name = opt_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 0, 250)?;
    let tz = get_str(m, "TimeZone")?;
    if let Some(tz) = tz {
        check_time_zone(tz)?;
    }
    let config = hours_config(m)?;
    cx.need(Kind::HoursOfOperation, id)?;
    if let Some(n) = name {
        unique_name(cx, Kind::HoursOfOperation, n, Some(id))?;
        cx.content
            .items_mut(Kind::HoursOfOperation)
            .rename(Kind::HoursOfOperation, id, n);
        rename_in_children(cx, id, n);
    }
    let h = cx.need_mut(Kind::HoursOfOperation, id)?;
    match description {
        Some("") => {
            h.doc.remove("Description");
        }
        Some(d) => {
            h.doc.insert("Description".into(), json!(d));
        }
        None => {}
    }
    if let Some(tz) = tz {
        h.doc.insert("TimeZone".into(), json!(tz));
    }
    if let Some(c) = config {
        h.doc.insert("Config".into(), json!(c));
    }
    touch(cx, Kind::HoursOfOperation, id);
    Ok(Value::Null)
}

pub fn delete_hours_of_operation(cx: &mut Cx<'_>, id: &str) -> Result<Value, ApiError> {
    cx.need(Kind::HoursOfOperation, id)?;
    if let Some(q) = cx
        .content
        .items(Kind::Queue)
        .iter()
        .find(|q| q.doc_str("HoursOfOperationId") == Some(id))
    {
        return Err(ApiError::invalid_request(format!(
            "Hours of operation {id} is in use by queue {}",
            q.id
        )));
    }
    if let Some(child) = cx.content.items(Kind::HoursOfOperation).iter().find(|h| {
        h.doc
            .get("ParentHoursOfOperations")
            .and_then(Value::as_array)
            .is_some_and(|ps| ps.iter().any(|p| p["Id"].as_str() == Some(id)))
    }) {
        return Err(ApiError::invalid_request(format!(
            "Hours of operation {id} is the parent of hours of operation {}",
            child.id
        )));
    }
    cx.content
        .items_mut(Kind::HoursOfOperation)
        .remove(Kind::HoursOfOperation, id);
    Ok(Value::Null)
}

mod flows;
mod hierarchy;
mod hours_overrides;
mod instance_lists;
mod phone_numbers;
mod prompts_and_statuses;
mod quick_connects;
mod security_profiles;

pub use flows::*;
pub use hierarchy::*;
pub use hours_overrides::*;
pub use instance_lists::*;
pub use phone_numbers::*;
pub use prompts_and_statuses::*;
pub use quick_connects::*;
pub use security_profiles::*;
