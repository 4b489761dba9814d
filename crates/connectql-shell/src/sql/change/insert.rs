//! INSERT: CreateInstance, one per row of the statement's VALUES or
//! SELECT (run by the engine), each row validated before any call; then a
//! wait for ACTIVE and the remaining attributes. RETURNING runs over the
//! created rows and is checked by the engine before anything is created.

use std::collections::BTreeMap;

use serde_json::Value;
use sqlparser::ast::{Insert, Query, SelectItem, TableObject};

use super::resource_of;
use crate::catalog::{self, SqlVerb, Table};
use crate::connect_api::instance::CreateRequest;
use crate::error::Error;
use crate::sql::calls::{plan_calls, FieldSet};
use crate::sql::change::update::check_attribute;
use crate::sql::params::REGION;
use crate::sql::planner::{SelectPlan, SourceSpec};
use crate::sql::resolve::{show_value, validate_region, ItemRef, PlanContext, Targets};

#[derive(Debug, Clone)]
pub struct InsertPlan {
    /// Create properties in the order of the column list.
    pub columns: Vec<&'static str>,
    /// The rows to create: VALUES or a SELECT, run by the engine.
    pub source: Box<Query>,
    /// What to return about the created instances, checked before any call.
    pub returning: SelectPlan,
    pub default_region: Option<String>,
}

/// The plural table of instances, the one INSERT creates in.
fn instances() -> &'static Table {
    catalog::table("aws.connect.instances").expect("the catalog has aws.connect.instances")
}

pub fn plan(insert: Insert, ctx: &PlanContext) -> Result<InsertPlan, Error> {
    let Insert {
        table,
        columns,
        source,
        returning,
        on,
        ..
    } = insert;
    let TableObject::TableName(name) = &table else {
        return Err(Error::Unsupported("INSERT into a table function".into()));
    };
    let t = resource_of(name)?;
    let method = t
        .method_for(SqlVerb::Insert)
        .ok_or_else(|| super::wrong_table("INSERT", t, SqlVerb::Insert))?;
    if on.is_some() {
        return Err(Error::Unsupported("ON CONFLICT / ON DUPLICATE KEY".into()));
    }
    let Some(source) = source else {
        return Err(Error::Unsupported(format!(
            "INSERT without VALUES or SELECT; e.g.\n  {}",
            method.example
        )));
    };
    // The create properties: the writable CloudFormation properties, and region.
    let properties: Vec<&'static str> = t
        .resource
        .writable_properties()
        .filter_map(|f| f.cfn)
        .chain([REGION])
        .collect();
    let mut props: Vec<&'static str> = Vec::new();
    for c in &columns {
        let Some(p) = properties.iter().find(|p| p.eq_ignore_ascii_case(&c.value)) else {
            return Err(Error::Unknown {
                what: "create property",
                name: c.value.clone(),
                suggestion: catalog::suggest(&c.value, properties.iter().copied())
                    .map(str::to_string),
                known: properties.join(", "),
            });
        };
        if props.contains(p) {
            return Err(Error::InvalidParam {
                param: p.to_string(),
                message: "named twice in the column list".into(),
            });
        }
        props.push(p);
    }
    if props.is_empty() {
        return Err(Error::InvalidParam {
            param: "columns".into(),
            message: format!("name the create properties, e.g.\n  {}", method.example),
        });
    }
    for required in method.required {
        if *required == REGION && ctx.default_region.is_some() {
            continue;
        }
        if !props.contains(required) {
            return Err(Error::MissingParam {
                param: required,
                method: method.name,
                resource: t.id.clone(),
                example: method.example.into(),
            });
        }
    }
    Ok(InsertPlan {
        columns: props,
        source,
        returning: returning_plan(t, returning.as_deref()),
        default_region: ctx.default_region.clone(),
    })
}

/// The engine's query over the created rows (`RETURNING` items, or the
/// instance's identity by default).
fn returning_plan(t: &'static Table, items: Option<&[SelectItem]>) -> SelectPlan {
    let list = match items {
        Some(items) => items
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        None => "id, arn, region, instance_alias, instance_status".to_string(),
    };
    let resource = t.resource;
    SelectPlan {
        sources: vec![SourceSpec {
            table: "src0".into(),
            catalog: t,
            resource,
            qualifier: t.name.to_string(),
            targets: Targets::default(),
            needed: FieldSet::all(resource),
            predicates: Vec::new(),
            calls: plan_calls(resource, FieldSet::all(resource), &[], &[]),
            // Its rows are the created ones: nothing is read.
            steps: Vec::new(),
            inherited_from: None,
            fresh: false,
        }],
        sql: format!("SELECT {list} FROM src0 AS {}", t.name),
        locals: Vec::new(),
    }
}

/// One instance to create, validated.
#[derive(Debug, Clone)]
pub struct CreateSpec {
    pub request: CreateRequest,
    /// Attributes other than InboundCalls/OutboundCalls, set once ACTIVE.
    pub other_attributes: BTreeMap<&'static str, bool>,
}

/// Turns the rows of an INSERT's source into validated create requests.
pub fn create_specs(plan: &InsertPlan, rows: &[Vec<Value>]) -> Result<Vec<CreateSpec>, Error> {
    let mut out = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        if row.len() != plan.columns.len() {
            return Err(Error::InvalidParam {
                param: "VALUES".into(),
                message: format!(
                    "row {} has {} values for {} columns",
                    n + 1,
                    row.len(),
                    plan.columns.len()
                ),
            });
        }
        let get = |name: &str| {
            plan.columns
                .iter()
                .position(|c| *c == name)
                .map(|i| &row[i])
                .filter(|v| !v.is_null())
        };
        let row_err = |param: &str, message: String| Error::InvalidParam {
            param: format!("{param} (row {})", n + 1),
            message,
        };
        let text = |name: &str| -> Result<Option<String>, Error> {
            match get(name) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(row_err(name, format!("expected a string, got {other}"))),
            }
        };
        let imt = text("IdentityManagementType")?.ok_or_else(|| {
            row_err(
                "IdentityManagementType",
                "required: SAML, CONNECT_MANAGED or EXISTING_DIRECTORY".into(),
            )
        })?;
        if !["SAML", "CONNECT_MANAGED", "EXISTING_DIRECTORY"].contains(&imt.as_str()) {
            return Err(row_err(
                "IdentityManagementType",
                format!(
                    "{} is not SAML, CONNECT_MANAGED or EXISTING_DIRECTORY",
                    show_value(&imt)
                ),
            ));
        }
        let alias = text("InstanceAlias")?;
        if let Some(a) = &alias {
            if !matches!(
                ItemRef::parse(instances().resource, "InstanceAlias", a),
                Ok(ItemRef::Name(_)) | Ok(ItemRef::Id(_))
            ) || a.len() > 45
            {
                return Err(row_err(
                    "InstanceAlias",
                    format!(
                        "{} must be 1 to 45 letters, digits and hyphens, not starting with `d-`",
                        show_value(a)
                    ),
                ));
            }
        } else if imt != "EXISTING_DIRECTORY" {
            return Err(row_err("InstanceAlias", format!("required for {imt}")));
        }
        let directory = text("DirectoryId")?;
        match (&directory, imt.as_str()) {
            (None, "EXISTING_DIRECTORY") => {
                return Err(row_err(
                    "DirectoryId",
                    "required for EXISTING_DIRECTORY".into(),
                ));
            }
            (Some(d), "EXISTING_DIRECTORY") => {
                let ok = d.len() == 12
                    && d.starts_with("d-")
                    && d[2..]
                        .chars()
                        .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
                if !ok {
                    return Err(row_err(
                        "DirectoryId",
                        format!(
                            "{} does not match d-xxxxxxxxxx (10 hex digits)",
                            show_value(d)
                        ),
                    ));
                }
            }
            (Some(_), _) => {
                return Err(row_err(
                    "DirectoryId",
                    format!("only with EXISTING_DIRECTORY, not {imt}"),
                ));
            }
            (None, _) => {}
        }
        let attributes = json_arg(get("Attributes"), "Attributes", n)?.ok_or_else(|| {
            row_err(
                "Attributes",
                "required: a JSON object with at least InboundCalls and OutboundCalls".into(),
            )
        })?;
        let Value::Object(attributes) = attributes else {
            return Err(row_err(
                "Attributes",
                "must be a JSON object of attribute names to booleans".into(),
            ));
        };
        let mut inbound = None;
        let mut outbound = None;
        let mut other_attributes = BTreeMap::new();
        for (k, v) in &attributes {
            let a = check_attribute(k, "/Attributes", "INSERT")?;
            let Some(b) = v.as_bool() else {
                return Err(row_err(
                    "Attributes",
                    format!("{k} must be true or false, not {v}"),
                ));
            };
            match a.cfn_name {
                "InboundCalls" => inbound = Some(b),
                "OutboundCalls" => outbound = Some(b),
                name => {
                    other_attributes.insert(name, b);
                }
            }
        }
        let (Some(inbound_calls), Some(outbound_calls)) = (inbound, outbound) else {
            return Err(row_err(
                "Attributes",
                "InboundCalls and OutboundCalls are required".into(),
            ));
        };
        let tags = match json_arg(get("Tags"), "Tags", n)? {
            None => BTreeMap::new(),
            Some(v) => tags_from_json(&v).map_err(|m| row_err("Tags", m))?,
        };
        let region = match text("region")? {
            Some(r) => validate_region(&r)?,
            None => plan.default_region.clone().ok_or_else(|| {
                let t = instances();
                let m = t.method_for(SqlVerb::Insert);
                Error::MissingParam {
                    param: REGION,
                    method: m.map(|m| m.name).unwrap_or_default(),
                    resource: t.id.clone(),
                    example: m.map(|m| m.example.to_string()).unwrap_or_default(),
                }
            })?,
        };
        out.push(CreateSpec {
            request: CreateRequest {
                region,
                identity_management_type: imt,
                instance_alias: alias,
                directory_id: directory,
                inbound_calls,
                outbound_calls,
                tags,
                client_token: uuid::Uuid::new_v4().to_string(),
            },
            other_attributes,
        });
    }
    Ok(out)
}

/// A JSON argument: given as JSON text (a string) or already JSON.
fn json_arg(v: Option<&Value>, name: &str, row: usize) -> Result<Option<Value>, Error> {
    match v {
        None => Ok(None),
        Some(Value::String(s)) => {
            serde_json::from_str(s)
                .map(Some)
                .map_err(|e| Error::InvalidParam {
                    param: format!("{name} (row {})", row + 1),
                    message: format!("not valid JSON: {e}"),
                })
        }
        Some(other) => Ok(Some(other.clone())),
    }
}

/// Tags from the seed's Key/Value array (or a plain map), validated
/// against Connect's tag rules.
pub fn tags_from_json(v: &Value) -> Result<BTreeMap<String, String>, String> {
    let mut tags = BTreeMap::new();
    let mut put = |k: &str, val: &Value| -> Result<(), String> {
        let Some(val) = val.as_str() else {
            return Err(format!("the value of tag `{k}` must be a string"));
        };
        if k.is_empty() || k.chars().count() > 128 {
            return Err(format!(
                "tag key {} must be 1 to 128 characters",
                show_value(k)
            ));
        }
        if k.to_ascii_lowercase().starts_with("aws:") {
            return Err(format!("tag key {} may not start with aws:", show_value(k)));
        }
        if val.chars().count() > 256 {
            return Err(format!(
                "the value of tag `{k}` is longer than 256 characters"
            ));
        }
        if tags.insert(k.to_string(), val.to_string()).is_some() {
            return Err(format!("tag key `{k}` appears twice"));
        }
        Ok(())
    };
    match v {
        Value::Array(items) => {
            for item in items {
                let (Some(k), Some(val)) =
                    (item.get("Key").and_then(Value::as_str), item.get("Value"))
                else {
                    return Err("each tag is {\"Key\": \"...\", \"Value\": \"...\"}".into());
                };
                if item.as_object().is_some_and(|o| o.len() != 2) {
                    return Err("a tag has exactly Key and Value".into());
                }
                put(k, val)?;
            }
        }
        Value::Object(map) => {
            for (k, val) in map {
                put(k, val)?;
            }
        }
        _ => return Err("Tags must be an array of {\"Key\",\"Value\"} objects".into()),
    }
    if tags.len() > 50 {
        return Err("at most 50 tags".into());
    }
    Ok(tags)
}
