//! One request's view of one instance: its contents, created with what Connect
//! puts in every new instance on first use (see [`super::defaults`]).

use std::collections::HashMap;

use super::content::{item_arn, Content, Item, Kind};
use super::defaults;
use super::state::{instance_arn, RegionState, Store};
use super::wire::ApiError;

/// The instance a content operation works in.
pub struct Cx<'a> {
    pub region: &'a str,
    pub account: &'a str,
    /// The instance id (never its ARN).
    pub instance: String,
    pub instance_arn: String,
    /// `IdentityManagementType` of the instance.
    pub identity: String,
    /// Epoch seconds of this request (`LastModifiedTime`).
    pub now: f64,
    pub content: &'a mut Content,
    /// Claimed phone number id → instance id, for the whole region.
    pub phone_index: &'a mut HashMap<String, String>,
}

/// Make sure the contents of instance `id` exist (defaults on first use).
pub fn ensure_content(r: &mut RegionState, region: &str, account: &str, id: &str) {
    if r.has_content(id) {
        return;
    }
    let Some(inst) = r.get(id) else { return };
    let created = inst.created_time;
    let mut content = Content::new();
    defaults::populate(&mut content, region, account, id, created);
    r.contents.insert(id.to_string(), content);
}

/// Resolve `instance` (an id or ARN) in the request's region and open its contents.
pub fn open<'a>(
    store: &'a mut Store,
    region: &'a str,
    instance: &str,
    now: f64,
) -> Result<Cx<'a>, ApiError> {
    let id = store.resolve_instance(region, instance)?;
    let account: &'a str = &store.account_id;
    let r = store
        .regions
        .get_mut(region)
        .ok_or_else(|| ApiError::not_found("Instance not found"))?;
    ensure_content(r, region, account, &id);
    let identity = r
        .get(&id)
        .map(|i| i.identity_management_type.clone())
        .unwrap_or_default();
    let RegionState {
        contents,
        phone_index,
        ..
    } = r;
    let content = contents
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("Instance not found"))?;
    Ok(Cx {
        region,
        account,
        instance_arn: instance_arn(region, account, &id),
        instance: id,
        identity,
        now,
        content,
        phone_index,
    })
}

impl Cx<'_> {
    /// ARN of a new item of `kind`.
    pub fn arn(&self, kind: Kind, id: &str) -> String {
        item_arn(kind, self.region, self.account, &self.instance, id)
    }

    /// An item that must exist: 404 ResourceNotFoundException otherwise.
    pub fn need(&self, kind: Kind, id: &str) -> Result<&Item, ApiError> {
        self.content
            .get(kind, id)
            .ok_or_else(|| not_found(kind, id))
    }

    pub fn need_mut(&mut self, kind: Kind, id: &str) -> Result<&mut Item, ApiError> {
        self.content
            .items_mut(kind)
            .get_mut(id)
            .ok_or_else(|| not_found(kind, id))
    }
}

/// 404 for an id of `kind` that does not exist.
pub fn not_found(kind: Kind, id: &str) -> ApiError {
    ApiError::not_found(format!(
        "{} not found: {}",
        kind.def().noun,
        id.chars().take(200).collect::<String>()
    ))
}
