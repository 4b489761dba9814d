//! The in-memory store: instances per region, idempotency tokens, call statistics.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::content::{Content, TokenAnswer};
use super::wire::ApiError;
use connect_operations::Op;

/// All 14 `InstanceAttributeType` values, in the order ListInstanceAttributes returns them.
pub const ATTRIBUTE_TYPES: [&str; 14] = [
    "INBOUND_CALLS",
    "OUTBOUND_CALLS",
    "CONTACTFLOW_LOGS",
    "CONTACT_LENS",
    "AUTO_RESOLVE_BEST_VOICES",
    "USE_CUSTOM_TTS_VOICES",
    "EARLY_MEDIA",
    "MULTI_PARTY_CONFERENCE",
    "HIGH_VOLUME_OUTBOUND",
    "ENHANCED_CONTACT_MONITORING",
    "ENHANCED_CHAT_MONITORING",
    "MULTI_PARTY_CHAT_CONFERENCE",
    "MESSAGE_STREAMING",
    "AUTO_MUTE_AGENT_ON_HOLD",
];

/// `IdentityManagementType` values.
pub const IDENTITY_TYPES: [&str; 3] = ["SAML", "CONNECT_MANAGED", "EXISTING_DIRECTORY"];

/// Index of an attribute type in [`ATTRIBUTE_TYPES`].
pub fn attribute_index(name: &str) -> Option<usize> {
    ATTRIBUTE_TYPES.iter().position(|a| *a == name)
}

const IDX_INBOUND: usize = 0;
const IDX_OUTBOUND: usize = 1;

/// Current time as epoch seconds with millisecond precision (the wire format of `CreatedTime`).
pub fn now_epoch() -> f64 {
    let ms = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    ms as f64 / 1000.0
}

/// `AWSServiceRoleForAmazonConnect_<20 random alphanumerics>` role ARN.
pub fn random_service_role(account: &str) -> String {
    let suffix: String = std::iter::repeat_with(fastrand::alphanumeric)
        .take(20)
        .collect();
    service_role(account, &suffix)
}

/// The service-linked role ARN with a given suffix.
pub fn service_role(account: &str, suffix: &str) -> String {
    format!(
        "arn:aws:iam::{account}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_{suffix}"
    )
}

/// Instance ARN.
pub fn instance_arn(region: &str, account: &str, id: &str) -> String {
    format!("arn:aws:connect:{region}:{account}:instance/{id}")
}

/// One Amazon Connect instance.
#[derive(Debug, Clone)]
pub struct Instance {
    pub seq: u64,
    pub id: String,
    pub arn: String,
    pub identity_management_type: String,
    pub alias: String,
    pub directory_id: Option<String>,
    /// Epoch seconds.
    pub created_time: f64,
    /// While `Some(t)` and `now < t` the instance is `CREATION_IN_PROGRESS`.
    pub active_at: Option<Instant>,
    pub service_role: String,
    pub tags: BTreeMap<String, String>,
    /// Values of [`ATTRIBUTE_TYPES`], same order.
    pub attributes: [String; 14],
}

impl Instance {
    pub fn status(&self, now: Instant) -> &'static str {
        match self.active_at {
            Some(t) if now < t => "CREATION_IN_PROGRESS",
            _ => "ACTIVE",
        }
    }

    fn flag(&self, idx: usize) -> bool {
        self.attributes[idx].eq_ignore_ascii_case("true")
    }

    pub fn inbound_calls_enabled(&self) -> bool {
        self.flag(IDX_INBOUND)
    }

    pub fn outbound_calls_enabled(&self) -> bool {
        self.flag(IDX_OUTBOUND)
    }

    pub fn access_url(&self) -> String {
        format!("https://{}.my.connect.aws", self.alias)
    }

    fn common_fields(&self, now: Instant) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("Id".into(), json!(self.id));
        m.insert("Arn".into(), json!(self.arn));
        m.insert(
            "IdentityManagementType".into(),
            json!(self.identity_management_type),
        );
        m.insert("InstanceAlias".into(), json!(self.alias));
        m.insert("CreatedTime".into(), json!(self.created_time));
        m.insert("ServiceRole".into(), json!(self.service_role));
        m.insert("InstanceStatus".into(), json!(self.status(now)));
        m.insert(
            "InboundCallsEnabled".into(),
            json!(self.inbound_calls_enabled()),
        );
        m.insert(
            "OutboundCallsEnabled".into(),
            json!(self.outbound_calls_enabled()),
        );
        m.insert("InstanceAccessUrl".into(), json!(self.access_url()));
        m
    }

    /// `InstanceSummary` (ListInstances): no Tags, no StatusReason.
    pub fn summary_json(&self, now: Instant) -> Value {
        Value::Object(self.common_fields(now))
    }

    /// `Instance` (DescribeInstance), including Tags.
    pub fn describe_json(&self, now: Instant) -> Value {
        let mut m = self.common_fields(now);
        m.insert("Tags".into(), json!(self.tags));
        Value::Object(m)
    }

    pub fn set_attribute(&mut self, idx: usize, value: &str) {
        self.attributes[idx] = value.to_string();
    }
}

/// Everything needed to insert an instance.
#[derive(Debug, Clone)]
pub struct NewInstance {
    pub id: Option<String>,
    pub identity_management_type: String,
    pub alias: String,
    pub directory_id: Option<String>,
    pub created_time: f64,
    /// Delay before the instance turns ACTIVE (zero = ACTIVE at once).
    pub create_delay: Duration,
    pub service_role_suffix: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub inbound: bool,
    pub outbound: bool,
    /// Attribute values overriding the defaults (after inbound/outbound are applied).
    pub attribute_overrides: Vec<(&'static str, bool)>,
}

impl NewInstance {
    pub fn new(alias: &str, identity_management_type: &str, inbound: bool, outbound: bool) -> Self {
        NewInstance {
            id: None,
            identity_management_type: identity_management_type.to_string(),
            alias: alias.to_string(),
            directory_id: None,
            created_time: now_epoch(),
            create_delay: Duration::ZERO,
            service_role_suffix: None,
            tags: BTreeMap::new(),
            inbound,
            outbound,
            attribute_overrides: Vec::new(),
        }
    }
}

/// Default attribute values (Terraform's documented defaults for aws_connect_instance).
pub fn default_attributes(inbound: bool, outbound: bool) -> [String; 14] {
    let mut attrs: [String; 14] = std::array::from_fn(|_| "false".to_string());
    let set = |attrs: &mut [String; 14], name: &str, v: bool| {
        if let Some(i) = attribute_index(name) {
            attrs[i] = v.to_string();
        }
    };
    set(&mut attrs, "INBOUND_CALLS", inbound);
    set(&mut attrs, "OUTBOUND_CALLS", outbound);
    set(&mut attrs, "AUTO_RESOLVE_BEST_VOICES", true);
    set(&mut attrs, "CONTACT_LENS", true);
    set(&mut attrs, "EARLY_MEDIA", outbound);
    attrs
}

/// State of one region.
#[derive(Debug, Default)]
pub struct RegionState {
    /// Instances by creation sequence number (creation order).
    pub instances: BTreeMap<u64, Instance>,
    pub by_id: HashMap<String, u64>,
    /// CreateInstance ClientToken → (Id, Arn) of the response.
    pub create_tokens: HashMap<String, (String, String)>,
    /// DeleteInstance clientToken → deleted instance id.
    pub delete_tokens: HashMap<String, String>,
    /// UpdateInstanceAttribute ClientToken → (instance id, attribute, value).
    pub update_tokens: HashMap<String, (String, usize, String)>,
    /// The contents of each instance, created on first use (see [`super::scope::ensure_content`]).
    pub contents: HashMap<String, Content>,
    /// Claimed phone number id → the id of the instance holding it.
    pub phone_index: HashMap<String, String>,
    /// (operation, ClientToken) → the first answer, for the phone number
    /// operations named by the number alone (no instance in their request).
    pub phone_tokens: HashMap<(Op, String), TokenAnswer>,
}

impl RegionState {
    pub fn alias_in_use(&self, alias: &str) -> bool {
        self.instances
            .values()
            .any(|i| i.alias.eq_ignore_ascii_case(alias))
    }

    pub fn get(&self, id: &str) -> Option<&Instance> {
        self.by_id.get(id).and_then(|s| self.instances.get(s))
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Instance> {
        let seq = *self.by_id.get(id)?;
        self.instances.get_mut(&seq)
    }

    /// Remove an instance and everything in it.
    pub fn remove(&mut self, id: &str) -> Option<Instance> {
        let seq = self.by_id.remove(id)?;
        self.contents.remove(id);
        self.phone_index.retain(|_, inst| inst != id);
        self.instances.remove(&seq)
    }

    /// Whether the contents of an instance exist yet.
    pub fn has_content(&self, id: &str) -> bool {
        self.contents.contains_key(id)
    }
}

/// The whole emulated account.
#[derive(Debug)]
pub struct Store {
    pub account_id: String,
    pub regions: HashMap<String, RegionState>,
    next_seq: u64,
    /// Retries answered from a ClientToken's record without applying the
    /// change again (reported in the stats as `client_token_replays`).
    pub token_replays: u64,
}

impl Store {
    pub fn new(account_id: &str) -> Self {
        Store {
            account_id: account_id.to_string(),
            regions: HashMap::new(),
            next_seq: 1,
            token_replays: 0,
        }
    }

    pub fn clear(&mut self) {
        self.regions.clear();
        self.token_replays = 0;
    }

    pub fn region(&self, region: &str) -> Option<&RegionState> {
        self.regions.get(region)
    }

    pub fn region_mut(&mut self, region: &str) -> &mut RegionState {
        self.regions.entry(region.to_string()).or_default()
    }

    pub fn instance_count(&self, region: &str) -> usize {
        self.region(region).map_or(0, |r| r.instances.len())
    }

    /// Insert an instance (no validation, no quota); returns (Id, Arn).
    pub fn insert(&mut self, region: &str, spec: NewInstance, now: Instant) -> (String, String) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let id = spec.id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let arn = instance_arn(region, &self.account_id, &id);
        let service_role = match &spec.service_role_suffix {
            Some(s) => service_role(&self.account_id, s),
            None => random_service_role(&self.account_id),
        };
        let mut attributes = default_attributes(spec.inbound, spec.outbound);
        for (name, v) in &spec.attribute_overrides {
            if let Some(i) = attribute_index(name) {
                attributes[i] = v.to_string();
            }
        }
        let inst = Instance {
            seq,
            id: id.clone(),
            arn: arn.clone(),
            identity_management_type: spec.identity_management_type,
            alias: spec.alias,
            directory_id: spec.directory_id,
            created_time: spec.created_time,
            active_at: (!spec.create_delay.is_zero()).then(|| now + spec.create_delay),
            service_role,
            tags: spec.tags,
            attributes,
        };
        let r = self.region_mut(region);
        r.by_id.insert(id.clone(), seq);
        r.instances.insert(seq, inst);
        (id, arn)
    }

    /// Resolve an InstanceId or instance ARN sent in a request scoped to `region`.
    /// Anything that does not name an existing instance of this region → 404.
    pub fn resolve_instance(&self, region: &str, id_or_arn: &str) -> Result<String, ApiError> {
        let id = if id_or_arn.starts_with("arn:") {
            parse_instance_arn(id_or_arn, region, &self.account_id)?
        } else {
            id_or_arn.to_string()
        };
        match self.region(region).and_then(|r| r.get(&id)) {
            Some(inst) => Ok(inst.id.clone()),
            None => Err(not_found(id_or_arn)),
        }
    }
}

fn not_found(what: &str) -> ApiError {
    let shown: String = what.chars().take(200).collect();
    ApiError::not_found(format!("Instance not found: {shown}"))
}

/// A refusal of a Connect ARN that names another account than the caller's, as IAM
/// answers it: Connect has no resource-based policies, so a principal of one
/// account is never authorized on another account's instance (403
/// AccessDeniedException, whether or not that account or resource exists).
/// `None` for anything else (another service, not an ARN, the caller's account).
pub fn foreign_account(arn: &str, caller: &str) -> Option<ApiError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let account_like = parts
        .get(4)
        .is_some_and(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()) && *a != caller);
    if parts.len() != 6
        || parts[0] != "arn"
        || !parts[1].starts_with("aws")
        || parts[2] != "connect"
        || !account_like
    {
        return None;
    }
    Some(ApiError::cross_account(caller, arn))
}

/// Parse `arn:<partition>:connect:<region>:<account>:instance/<id>` and return `<id>`.
/// An ARN of another account is a 403 ([`foreign_account`]); a well-formed ARN of
/// another region, or for a sub-resource, is a 404; something that is not an ARN
/// at all is a 400 InvalidParameterException.
pub fn parse_instance_arn(arn: &str, region: &str, account: &str) -> Result<String, ApiError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" || !parts[1].starts_with("aws") {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid resource ARN: {}",
            arn.chars().take(200).collect::<String>()
        )));
    }
    if let Some(e) = foreign_account(arn, account) {
        return Err(e);
    }
    let (service, arn_region, resource) = (parts[2], parts[3], parts[5]);
    if service != "connect" || arn_region != region {
        return Err(not_found(arn));
    }
    match resource.strip_prefix("instance/") {
        Some(id) if !id.is_empty() && !id.contains('/') => Ok(id.to_string()),
        _ => Err(not_found(arn)),
    }
}

/// Call statistics since start or the last reset.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Stats {
    pub calls: BTreeMap<String, u64>,
    pub calls_by_region: BTreeMap<String, BTreeMap<String, u64>>,
    /// Calls per account (the account the access key chose) and operation.
    pub calls_by_account: BTreeMap<String, BTreeMap<String, u64>>,
    /// Per account, when its latest successful answer was sent, in milliseconds
    /// since the emulator started (the clock of `uptime_ms`): when an account's
    /// calls finished, whatever another account's throttling did.
    pub last_answer_ms_by_account: BTreeMap<String, f64>,
    /// 429 ThrottlingException answers.
    pub throttled: u64,
    /// 500 InternalServiceException answers injected by `error_rate`.
    pub errors_injected: u64,
    /// 403 AccessDeniedException answers from the `deny` list.
    pub denied: u64,
    /// 403 ExpiredTokenException answers.
    pub expired_token: u64,
    /// Malformed responses sent.
    pub malformed: u64,
    /// Requests without usable SigV4 authentication (403 MissingAuthenticationToken).
    pub unauthenticated: u64,
    /// Requests that matched no operation (404 UnknownOperationException).
    pub unknown_operations: u64,
    /// Changes applied whose answer was then failed (`apply_then_fail`).
    pub applied_then_failed: u64,
    /// 404 ResourceNotFoundException answers injected by `not_found`.
    pub not_found_injected: u64,
}

impl Stats {
    /// Records a successful answer to `account` at `since_start`.
    pub fn answered(&mut self, account: &str, since_start: std::time::Duration) {
        let ms = since_start.as_secs_f64() * 1e3;
        match self.last_answer_ms_by_account.get_mut(account) {
            Some(t) => *t = t.max(ms),
            None => {
                self.last_answer_ms_by_account
                    .insert(account.to_string(), ms);
            }
        }
    }

    pub fn count_call(&mut self, op: &str, region: Option<&str>, account: Option<&str>) {
        *self.calls.entry(op.to_string()).or_default() += 1;
        for (by, key) in [
            (&mut self.calls_by_region, region),
            (&mut self.calls_by_account, account),
        ] {
            if let Some(k) = key {
                *by.entry(k.to_string())
                    .or_default()
                    .entry(op.to_string())
                    .or_default() += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_outbound() {
        let a = default_attributes(true, false);
        assert_eq!(a[attribute_index("EARLY_MEDIA").unwrap()], "false");
        assert_eq!(a[attribute_index("CONTACT_LENS").unwrap()], "true");
        assert_eq!(a[attribute_index("INBOUND_CALLS").unwrap()], "true");
        let b = default_attributes(false, true);
        assert_eq!(b[attribute_index("EARLY_MEDIA").unwrap()], "true");
    }

    #[test]
    fn arn_resolution() {
        let mut s = Store::new("123456789012");
        let now = Instant::now();
        let (id, arn) = s.insert("us-east-1", NewInstance::new("a1", "SAML", true, true), now);
        assert_eq!(s.resolve_instance("us-east-1", &arn).unwrap(), id);
        assert_eq!(s.resolve_instance("us-east-1", &id).unwrap(), id);
        assert_eq!(
            s.resolve_instance("eu-west-2", &arn).unwrap_err().status,
            404
        );
        assert_eq!(
            s.resolve_instance("eu-west-2", &id).unwrap_err().status,
            404
        );
        // Another account's ARN is refused by authorization, before any lookup.
        let other_acct = arn.replace("123456789012", "999999999999");
        let e = s.resolve_instance("us-east-1", &other_acct).unwrap_err();
        assert_eq!((e.status.as_u16(), e.code), (403, "AccessDeniedException"));
        assert!(
            e.message.contains("arn:aws:iam::123456789012:"),
            "{}",
            e.message
        );
        assert!(e.message.contains(&other_acct), "{}", e.message);
        assert_eq!(
            s.resolve_instance("us-east-1", "arn:nonsense")
                .unwrap_err()
                .status,
            400
        );
        let sub = format!("{arn}/queue/abc");
        assert_eq!(
            s.resolve_instance("us-east-1", &sub).unwrap_err().status,
            404
        );
    }
}
