//! Changes, mapped onto the Connect API the way CloudFormation's handler
//! for AWS::Connect::Instance does: an UPDATE applies a JSON Patch to the
//! instance's CloudFormation model and turns the difference into
//! UpdateInstanceAttribute / TagResource / UntagResource calls; an INSERT is
//! CreateInstance, a wait for ACTIVE, then the remaining attributes; a
//! DELETE is DeleteInstance. The session cache is updated after each.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::catalog;
use crate::connect_api::{self, ApiError, ApiErrorKind, Attributes, InstanceRecord};
use crate::error::Error;
use crate::executor::{Executor, InstanceRow};
use crate::sql::change::{tags_from_json, CreateSpec, UpdatePlan};
use crate::sql::planner::InstanceRef;

/// How long an INSERT waits for a new instance to become ACTIVE.
const CREATE_WAIT: Duration = Duration::from_secs(15 * 60);

/// The instance's model in CloudFormation shape.
fn model_of(record: &InstanceRecord, attributes: &Attributes) -> Value {
    json!({
        "Id": record.id,
        "Arn": record.arn,
        "IdentityManagementType": record.identity_management_type,
        "InstanceAlias": record.instance_alias,
        "CreatedTime": record.created_time,
        "ServiceRole": record.service_role,
        "InstanceStatus": record.instance_status,
        "Attributes": attributes,
        "Tags": connect_api::tags_json(record.tags.as_ref().unwrap_or(&BTreeMap::new())),
    })
}

/// Names an instance for messages: `alias (id)`.
pub fn instance_label(record: &InstanceRecord) -> String {
    match &record.instance_alias {
        Some(a) => format!("{a} ({})", record.id),
        None => record.id.clone(),
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

impl Executor {
    /// Resolves an identifier to its current description, fresh from the
    /// API (a change must start from the truth, not the cache).
    pub async fn resolve_fresh(
        &self,
        region: &str,
        ident: &InstanceRef,
    ) -> Result<InstanceRecord, Error> {
        let not_found = || {
            Error::from(
                ApiError::new(
                    "DescribeInstance",
                    region,
                    ApiErrorKind::NotFound,
                    "no such instance",
                )
                .about(format!("`{}`", ident.display())),
            )
        };
        let id = self.resolve(region, ident).await?.ok_or_else(not_found)?;
        let client = self.pool().client(region).await;
        match connect_api::describe_instance(&client, &id).await {
            Ok(r) => {
                self.cache().put_describe(&r);
                Ok(r)
            }
            Err(e) if e.kind == ApiErrorKind::NotFound => {
                // A stale alias resolution: forget it and say so.
                self.cache().invalidate(region, &id);
                Err(not_found())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Applies an UPDATE's patch to one instance. Returns what changed.
    pub async fn update_instance(
        &self,
        region: &str,
        ident: &InstanceRef,
        plan: &UpdatePlan,
    ) -> Result<String, Error> {
        let record = self.resolve_fresh(region, ident).await?;
        let client = self.pool().client(region).await;
        let attributes = connect_api::list_attributes(&client, &record.id).await?;
        let current = model_of(&record, &attributes);
        let mut desired = current.clone();
        json_patch::patch(&mut desired, &plan.patch).map_err(|e| {
            Error::Refused(format!(
                "the patch does not apply to {}: {e}; nothing was changed",
                instance_label(&record)
            ))
        })?;
        let calls = diff(&current, &desired, &record)?;
        let label = instance_label(&record);
        if calls.is_empty() {
            return Ok(format!(
                "UPDATE {label} in {region}: no change (the patch leaves it as it is)"
            ));
        }
        let arn = record.arn.clone().unwrap_or_default();
        let mut applied: Vec<String> = Vec::new();
        for (i, call) in calls.iter().enumerate() {
            let result = match call {
                Call::Attribute { api_type, to, .. } => {
                    connect_api::update_attribute(&client, &record.id, api_type, *to).await
                }
                Call::Tag(tags) => connect_api::tag_resource(&client, &arn, tags).await,
                Call::Untag(keys) => connect_api::untag_resource(&client, &arn, keys).await,
            };
            if let Err(cause) = result {
                self.cache().invalidate(region, &record.id);
                return Err(Error::PartialChange {
                    what: format!("UPDATE of {label} in {region}"),
                    applied,
                    not_applied: calls[i..].iter().map(Call::describe).collect(),
                    cause: Box::new(cause),
                });
            }
            applied.push(call.describe());
        }
        self.cache().invalidate(region, &record.id);
        Ok(format!(
            "UPDATE {label} in {region}: {}",
            applied.join("; ")
        ))
    }

    /// Creates one instance, waits for ACTIVE, then sets the other
    /// attributes. Returns its row (described, with attributes).
    pub async fn create_instance(&self, spec: &CreateSpec) -> Result<InstanceRow, Error> {
        let region = spec.request.region.as_str();
        let client = self.pool().client(region).await;
        let (id, arn) = connect_api::create_instance(&client, &spec.request).await?;
        let created = format!("instance {id} ({arn})");
        // Poll with backoff until the instance settles.
        let started = Instant::now();
        let mut delay = Duration::from_millis(200);
        let record = loop {
            let r = connect_api::describe_instance(&client, &id).await;
            match r {
                Ok(r) if r.instance_status.as_deref() == Some("ACTIVE") => break r,
                Ok(r) if r.instance_status.as_deref() == Some("CREATION_FAILED") => {
                    return Err(Error::Refused(format!(
                        "CreateInstance made {created}, but its creation failed: {}",
                        r.status_reason.as_deref().unwrap_or("no reason given")
                    )));
                }
                Ok(_) => {}
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
        };
        let mut applied = vec![format!("created {created}")];
        let others: Vec<(&&str, &bool)> = spec.other_attributes.iter().collect();
        for (i, (name, value)) in others.iter().enumerate() {
            let api_type = catalog::attribute_by_cfn_name(name)
                .map(|a| a.api_type)
                .unwrap_or_default();
            if let Err(cause) = connect_api::update_attribute(&client, &id, api_type, **value).await
            {
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
        self.cache().put_describe(&record);
        let attributes = connect_api::list_attributes(&client, &id).await.ok();
        if let Some(a) = &attributes {
            self.cache().put_attributes(region, &id, a);
        }
        Ok(InstanceRow { record, attributes })
    }

    /// DeleteInstance, then forgets the instance.
    pub async fn delete_instance(&self, record: &InstanceRecord) -> Result<(), Error> {
        let client = self.pool().client(&record.region).await;
        connect_api::delete_instance(&client, &record.id).await?;
        self.cache().forget_seen(&record.region, &record.id);
        Ok(())
    }
}

/// The calls that turn `current` into `desired`, after checking that the
/// patched model is still a valid instance model.
fn diff(current: &Value, desired: &Value, record: &InstanceRecord) -> Result<Vec<Call>, Error> {
    let refuse = |m: String| {
        Error::Refused(format!(
            "{m}; nothing was changed on {}",
            instance_label(record)
        ))
    };
    for key in [
        "Id",
        "Arn",
        "IdentityManagementType",
        "InstanceAlias",
        "CreatedTime",
        "ServiceRole",
        "InstanceStatus",
    ] {
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
