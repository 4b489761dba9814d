//! The instance's changes, mapped onto the Connect API the way
//! CloudFormation's handler for AWS::Connect::Instance does: an UPDATE
//! applies a JSON Patch to the instance's CloudFormation model (read fresh
//! through the same fetch as SELECT) and turns the difference into
//! UpdateInstanceAttribute / TagResource / UntagResource calls; an INSERT
//! is CreateInstance, a wait for ACTIVE, then the remaining attributes; a
//! DELETE is DeleteInstance.
//!
//! The session cache forgets what a change may have touched whatever its
//! outcome — success, an error part-way, a call that timed out after the
//! server applied it, or the statement dropped by Ctrl-C — through a guard
//! ([`Touched`]) made before the first call and dropped on every path.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::catalog::{self, Op, ResourceType};
use crate::connect_api::read::{self, Target};
use crate::connect_api::{instance as api, ApiError, ApiErrorKind};
use crate::error::Error;
use crate::executor::{Executor, Row, SessionCache};
use crate::sql::calls::{plan_calls, FieldSet};
use crate::sql::change::{tags_from_json, CreateSpec, UpdatePlan};
use crate::sql::planner::SourceSpec;
use crate::sql::resolve::{ItemRef, Targets};

/// How long an INSERT waits for a new instance to become ACTIVE.
const CREATE_WAIT: Duration = Duration::from_secs(15 * 60);

/// One instance as a change sees it: read fresh, with its model.
#[derive(Debug, Clone)]
pub struct InstanceState {
    pub resource: &'static ResourceType,
    pub region: String,
    pub id: String,
    pub arn: String,
    /// `alias (id)`, for messages.
    pub label: String,
    pub row: Row,
}

impl InstanceState {
    fn from_row(resource: &'static ResourceType, row: Row) -> Option<InstanceState> {
        let get = |name: &str| {
            resource
                .field_index(name)
                .and_then(|i| row[i].as_str())
                .map(str::to_string)
        };
        let id = get(resource.id_field)?;
        let label = match get(resource.name_field) {
            Some(a) => format!("{a} ({id})"),
            None => id.clone(),
        };
        Some(InstanceState {
            resource,
            region: get("region")?,
            arn: resource.arn_field.and_then(get).unwrap_or_default(),
            id,
            label,
            row,
        })
    }

    /// The CloudFormation model: each property's value, from the row.
    pub fn model(&self) -> Value {
        let mut m = Map::new();
        for (f, v) in self.resource.fields.iter().zip(&self.row) {
            if let (Some(p), false) = (f.cfn, v.is_null()) {
                m.insert(p.to_string(), v.clone());
            }
        }
        Value::Object(m)
    }
}

/// What a change may touch, dropped from the session cache when the guard
/// goes: at the end of the change, on its error paths, and when its future
/// is dropped (Ctrl-C, a deadline). No outcome can forget it.
struct Touched<'a> {
    cache: &'a SessionCache,
    region: String,
    /// The instance, once known (None: the region's instance listing).
    instance: Option<String>,
}

impl<'a> Touched<'a> {
    fn new(cache: &'a SessionCache, region: &str, instance: Option<&str>) -> Self {
        Touched {
            cache,
            region: region.to_string(),
            instance: instance.map(str::to_string),
        }
    }
}

impl Drop for Touched<'_> {
    fn drop(&mut self) {
        match &self.instance {
            // Its description, attributes, contents and the region's listing.
            Some(id) => self.cache.invalidate_instance(&self.region, id),
            None => self.cache.invalidate_instance_listing(&self.region),
        }
    }
}

/// One call an UPDATE will make.
enum Call {
    Attribute {
        name: &'static str,
        api_type: &'static str,
        from: Option<bool>,
        to: bool,
    },
    Tag(BTreeMap<String, String>),
    Untag(Vec<String>),
}

impl Call {
    fn describe(&self) -> String {
        match self {
            Call::Attribute { name, from, to, .. } => match from {
                Some(f) => format!("{name} {f} -> {to}"),
                None => format!("{name} -> {to}"),
            },
            Call::Tag(t) => format!(
                "tags set: {}",
                t.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Call::Untag(k) => format!("tags removed: {}", k.join(", ")),
        }
    }
}

/// A source reading whole instances by identifier in one region.
pub fn instance_source(region: &str, identifiers: Vec<ItemRef>, fresh: bool) -> SourceSpec {
    let table =
        catalog::table("aws.connect.instance").expect("the catalog has aws.connect.instance");
    let resource = table.resource;
    let all = FieldSet::all(resource);
    let mut source = SourceSpec {
        table: "src0".into(),
        catalog: table,
        resource,
        qualifier: table.name.to_string(),
        calls: plan_calls(resource, all, &[], &[]),
        steps: Vec::new(),
        targets: Targets {
            regions: vec![region.to_string()],
            identifiers,
            ..Targets::default()
        },
        needed: all,
        predicates: Vec::new(),
        inherited_from: None,
        fresh,
    };
    source.plan_reads();
    source
}

impl Executor {
    /// The instance an identifier names in `region`, fresh from the API (a
    /// change must start from the truth, not the cache).
    pub async fn fresh_instance(
        &self,
        region: &str,
        ident: &ItemRef,
    ) -> Result<InstanceState, Error> {
        let spec = instance_source(region, vec![ident.clone()], true);
        let fetched = self.fetch(&spec).await?;
        if fetched.partial {
            return Err(Error::Refused(format!(
                "the instance `{}` could not be read completely ({}); nothing was changed",
                ident.display(),
                fetched.warnings.join("; ")
            )));
        }
        fetched
            .rows
            .into_iter()
            .next()
            .and_then(|row| InstanceState::from_row(spec.resource, row))
            .ok_or_else(|| {
                Error::from(
                    ApiError::new(
                        Op::DescribeInstance,
                        region,
                        ApiErrorKind::NotFound,
                        "no such instance",
                    )
                    .about(format!("instance `{}`", ident.display())),
                )
            })
    }

    /// Applies an UPDATE's patch to one instance. Returns what changed.
    pub async fn update_instance(
        &self,
        region: &str,
        ident: &ItemRef,
        plan: &UpdatePlan,
    ) -> Result<String, Error> {
        let state = self.fresh_instance(region, ident).await?;
        let current = state.model();
        let mut desired = current.clone();
        json_patch::patch(&mut desired, &plan.patch).map_err(|e| {
            Error::Refused(format!(
                "the patch does not apply to {}: {e}; nothing was changed",
                state.label
            ))
        })?;
        let calls = diff(&current, &desired, &state)?;
        let label = &state.label;
        if calls.is_empty() {
            return Ok(format!(
                "UPDATE {label} in {region}: no change (the patch leaves it as it is)"
            ));
        }
        let _touched = Touched::new(self.cache(), region, Some(&state.id));
        let client = self.pool().client(region).await;
        let mut applied: Vec<String> = Vec::new();
        for (i, call) in calls.iter().enumerate() {
            let result = match call {
                Call::Attribute { api_type, to, .. } => {
                    api::update_attribute(&client, &state.id, api_type, *to).await
                }
                Call::Tag(tags) => api::tag_resource(&client, &state.arn, tags).await,
                Call::Untag(keys) => api::untag_resource(&client, &state.arn, keys).await,
            };
            if let Err(cause) = result {
                return Err(Error::PartialChange {
                    what: format!("UPDATE of {label} in {region}"),
                    applied,
                    not_applied: calls[i..].iter().map(Call::describe).collect(),
                    cause: Box::new(cause),
                });
            }
            applied.push(call.describe());
        }
        Ok(format!(
            "UPDATE {label} in {region}: {}",
            applied.join("; ")
        ))
    }

    /// Creates one instance, waits for ACTIVE, then sets the other
    /// attributes. Returns its row, read fresh.
    pub async fn create_instance(&self, spec: &CreateSpec) -> Result<Row, Error> {
        let region = spec.request.region.as_str();
        // A CreateInstance that fails may still have created it.
        let mut touched = Touched::new(self.cache(), region, None);
        let client = self.pool().client(region).await;
        let (id, arn) = api::create_instance(&client, &spec.request).await?;
        touched.instance = Some(id.clone());
        let created = format!("instance {id} ({arn})");
        // Poll with backoff until the instance settles.
        let started = Instant::now();
        let mut delay = Duration::from_millis(200);
        let target = Target {
            instance: None,
            item: Some(&id),
            variant: None,
        };
        loop {
            match read::describe(&client, Op::DescribeInstance, target).await {
                Ok(d) => match d.get("InstanceStatus").and_then(Value::as_str) {
                    Some("ACTIVE") => break,
                    Some("CREATION_FAILED") => {
                        return Err(Error::Refused(format!(
                            "CreateInstance made {created}, but its creation failed: {}",
                            d.pointer("/StatusReason/Message")
                                .and_then(Value::as_str)
                                .unwrap_or("no reason given")
                        )));
                    }
                    _ => {}
                },
                Err(e) if e.kind == ApiErrorKind::NotFound => {}
                Err(e) => {
                    return Err(Error::PartialChange {
                        what: "INSERT".into(),
                        applied: vec![format!("created {created}")],
                        not_applied: spec
                            .other_attributes
                            .keys()
                            .map(|a| format!("set {a}"))
                            .collect(),
                        cause: Box::new(e),
                    })
                }
            }
            if started.elapsed() > CREATE_WAIT {
                return Err(Error::Refused(format!(
                    "{created} was created but is not ACTIVE after {} minutes; its other attributes were not set",
                    CREATE_WAIT.as_secs() / 60
                )));
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
        }
        let mut applied = vec![format!("created {created}")];
        let others: Vec<(&&str, &bool)> = spec.other_attributes.iter().collect();
        for (i, (name, value)) in others.iter().enumerate() {
            let api_type = catalog::attribute_by_cfn_name(name)
                .map(|a| a.api_type)
                .unwrap_or_default();
            if let Err(cause) = api::update_attribute(&client, &id, api_type, **value).await {
                return Err(Error::PartialChange {
                    what: "INSERT".into(),
                    applied,
                    not_applied: others[i..]
                        .iter()
                        .map(|(n, v)| format!("set {n} = {v}"))
                        .collect(),
                    cause: Box::new(cause),
                });
            }
            applied.push(format!("set {name} = {value}"));
        }
        // The region's listing no longer tells the truth; what is read
        // next is.
        drop(touched);
        let state = self.fresh_instance(region, &ItemRef::Id(id)).await?;
        Ok(state.row)
    }

    /// DeleteInstance, then forgets the instance.
    pub async fn delete_instance(&self, state: &InstanceState) -> Result<(), Error> {
        // A DeleteInstance that fails may have deleted it all the same.
        let _touched = Touched::new(self.cache(), &state.region, Some(&state.id));
        let client = self.pool().client(&state.region).await;
        api::delete_instance(&client, &state.id).await?;
        self.cache().forget_instance(&state.region, &state.id);
        Ok(())
    }
}

/// The calls that turn `current` into `desired`, after checking that the
/// patched model is still a valid instance model.
fn diff(current: &Value, desired: &Value, state: &InstanceState) -> Result<Vec<Call>, Error> {
    let refuse = |m: String| Error::Refused(format!("{m}; nothing was changed on {}", state.label));
    let fixed = state
        .resource
        .fields
        .iter()
        .filter(|f| f.read_only || f.create_only)
        .filter_map(|f| f.cfn);
    for key in fixed {
        if current.get(key) != desired.get(key) {
            return Err(refuse(format!(
                "the patch changes {key}, which cannot be updated"
            )));
        }
    }
    if let Some(obj) = desired.as_object() {
        if let Some(extra) = obj
            .keys()
            .find(|k| !current.as_object().is_some_and(|c| c.contains_key(*k)))
        {
            return Err(refuse(format!(
                "the patch adds an unknown property /{extra}"
            )));
        }
    }
    let mut calls = Vec::new();
    let current_attrs = current["Attributes"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let Some(desired_attrs) = desired["Attributes"].as_object() else {
        return Err(refuse("Attributes must stay an object".into()));
    };
    for (name, value) in desired_attrs {
        let Some(a) = catalog::attribute_by_cfn_name(name) else {
            return Err(refuse(format!("unknown attribute {name}")));
        };
        let Some(to) = value.as_bool() else {
            return Err(refuse(format!("{name} must be true or false, not {value}")));
        };
        let from = current_attrs.get(name).and_then(Value::as_bool);
        if from != Some(to) {
            calls.push(Call::Attribute {
                name: a.cfn_name,
                api_type: a.api_type,
                from,
                to,
            });
        }
    }
    let current_tags = tags_from_json(&current["Tags"]).unwrap_or_default();
    let desired_tags =
        tags_from_json(&desired["Tags"]).map_err(|m| refuse(format!("Tags: {m}")))?;
    let set: BTreeMap<String, String> = desired_tags
        .iter()
        .filter(|(k, v)| current_tags.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let removed: Vec<String> = current_tags
        .keys()
        .filter(|k| !desired_tags.contains_key(*k))
        .cloned()
        .collect();
    if !set.is_empty() {
        calls.push(Call::Tag(set));
    }
    if !removed.is_empty() {
        calls.push(Call::Untag(removed));
    }
    Ok(calls)
}
