//! Planning of changes: UPDATE (a JSON Patch over the instance's
//! CloudFormation model), INSERT (CreateInstance) and DELETE
//! (DeleteInstance). Everything that can be checked without a call is
//! checked here, so a bad statement is refused before anything happens.

use std::collections::{BTreeMap, BTreeSet};

use json_patch::PatchOperation;
use serde_json::Value;
use sqlparser::ast::{
    AssignmentTarget, Delete, FromTable, Insert, ObjectName, Query, SelectItem, Statement,
    TableFactor, TableObject,
};

use crate::catalog::{self, SqlVerb};
use crate::error::Error;
use crate::sql::params::{self, as_string_literal, REGION};
use crate::sql::planner::{resolve_table, show_value, validate_region, InstanceRef, PlanContext};

/// Which instances a change applies to.
#[derive(Debug, Clone)]
pub struct Target {
    pub regions: Vec<String>,
    pub identifiers: Vec<InstanceRef>,
}

impl Target {
    /// Every (region, identifier) pair the change applies to; an ARN only
    /// in its own region.
    pub fn pairs(&self) -> Vec<(String, InstanceRef)> {
        let mut out = Vec::new();
        for region in &self.regions {
            for ident in &self.identifiers {
                if matches!(ident, InstanceRef::Arn { region: r, .. } if r != region) {
                    continue;
                }
                out.push((region.clone(), ident.clone()));
            }
        }
        out
    }
}

#[derive(Debug, Clone)]
pub struct UpdatePlan {
    pub target: Target,
    pub patch: Vec<PatchOperation>,
    /// The patch text as written, for messages.
    pub patch_text: String,
    /// Attributes the patch may change (for EXPLAIN).
    pub attributes: BTreeSet<&'static str>,
    /// Whether the patch touches Tags.
    pub tags: bool,
}

#[derive(Debug, Clone)]
pub struct InsertPlan {
    /// Create properties in the order of the column list.
    pub columns: Vec<&'static str>,
    /// The rows to create: VALUES or a SELECT, run by the engine.
    pub source: Box<Query>,
    /// RETURNING items, run over the created instances' rows.
    pub returning: Option<Vec<SelectItem>>,
    pub default_region: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DeletePlan {
    pub target: Target,
}

#[derive(Debug, Clone)]
pub enum ChangePlan {
    Update(UpdatePlan),
    Insert(InsertPlan),
    Delete(DeletePlan),
}

/// Properties a patch may never touch, and why.
const READ_ONLY: [&str; 5] = ["Id", "Arn", "ServiceRole", "CreatedTime", "InstanceStatus"];
const CREATE_ONLY: [&str; 3] = ["InstanceAlias", "IdentityManagementType", "DirectoryId"];

pub fn plan_change(statement: Statement, ctx: &PlanContext) -> Result<ChangePlan, Error> {
    match statement {
        Statement::Update {
            table,
            assignments,
            from,
            selection,
            returning,
            limit,
            ..
        } => {
            if from.is_some() || !table.joins.is_empty() || limit.is_some() || returning.is_some() {
                return Err(Error::Unsupported(
                    "UPDATE of an instance takes SET data__PatchDocument = '...' and a WHERE clause; FROM, JOIN, LIMIT and RETURNING are not available".into(),
                ));
            }
            let resource = match &table.relation {
                TableFactor::Table { name, .. } => resource_of(name)?,
                other => return Err(Error::Unsupported(format!("UPDATE of `{other}`"))),
            };
            let method = resource
                .method_for(SqlVerb::Update)
                .ok_or_else(|| wrong_resource("UPDATE", resource.id, "aws.connect.instance"))?;
            let mut patch_text = None;
            for a in &assignments {
                let name = match &a.target {
                    AssignmentTarget::ColumnName(n) => n.to_string(),
                    AssignmentTarget::Tuple(_) => String::new(),
                };
                if catalog::canonical_param(&name) != Some("data__PatchDocument") {
                    return Err(Error::Unsupported(format!(
                        "SET {name}: an instance changes through a JSON Patch, e.g.\n  {}",
                        method.example
                    )));
                }
                patch_text =
                    Some(
                        as_string_literal(&a.value).ok_or_else(|| Error::InvalidParam {
                            param: "data__PatchDocument".into(),
                            message: "give the patch as a quoted string (or string('...'))".into(),
                        })?,
                    );
            }
            let Some(patch_text) = patch_text else {
                return Err(Error::MissingParam {
                    param: "data__PatchDocument",
                    method: method.name,
                    resource: resource.id,
                    example: method.example.into(),
                });
            };
            let (patch, attributes, tags) = validate_patch(&patch_text)?;
            let target = target_of(
                selection,
                ctx,
                method.name,
                resource.id,
                method.example,
                "UPDATE",
            )?;
            Ok(ChangePlan::Update(UpdatePlan {
                target,
                patch,
                patch_text,
                attributes,
                tags,
            }))
        }
        Statement::Insert(Insert {
            table,
            columns,
            source,
            returning,
            on,
            ..
        }) => {
            let TableObject::TableName(name) = &table else {
                return Err(Error::Unsupported("INSERT into a table function".into()));
            };
            let resource = resource_of(name)?;
            let method = resource
                .method_for(SqlVerb::Insert)
                .ok_or_else(|| wrong_resource("INSERT", resource.id, "aws.connect.instances"))?;
            if on.is_some() {
                return Err(Error::Unsupported("ON CONFLICT / ON DUPLICATE KEY".into()));
            }
            let Some(source) = source else {
                return Err(Error::Unsupported(format!(
                    "INSERT without VALUES or SELECT; e.g.\n  {}",
                    method.example
                )));
            };
            let mut props: Vec<&'static str> = Vec::new();
            for c in &columns {
                let Some((p, _)) = catalog::CREATE_PROPERTIES
                    .iter()
                    .find(|(p, _)| p.eq_ignore_ascii_case(&c.value))
                else {
                    return Err(Error::Unknown {
                        what: "create property",
                        name: c.value.clone(),
                        suggestion: catalog::suggest(
                            &c.value,
                            catalog::CREATE_PROPERTIES.iter().map(|(p, _)| *p),
                        )
                        .map(str::to_string),
                        known: catalog::CREATE_PROPERTIES
                            .iter()
                            .map(|(p, _)| *p)
                            .collect::<Vec<_>>()
                            .join(", "),
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
                        resource: resource.id,
                        example: method.example.into(),
                    });
                }
            }
            Ok(ChangePlan::Insert(InsertPlan {
                columns: props,
                source,
                returning,
                default_region: ctx.default_region.clone(),
            }))
        }
        Statement::Delete(Delete {
            tables,
            from,
            using,
            selection,
            returning,
            order_by,
            limit,
        }) => {
            let from = match from {
                FromTable::WithFromKeyword(f) | FromTable::WithoutKeyword(f) => f,
            };
            if !tables.is_empty()
                || using.is_some()
                || returning.is_some()
                || !order_by.is_empty()
                || limit.is_some()
                || from.len() != 1
                || !from[0].joins.is_empty()
            {
                return Err(Error::Unsupported(
                    "DELETE takes one resource and a WHERE clause: DELETE FROM aws.connect.instances WHERE region = '...' AND data__Identifier = '...'".into(),
                ));
            }
            let resource = match &from[0].relation {
                TableFactor::Table { name, .. } => resource_of(name)?,
                other => return Err(Error::Unsupported(format!("DELETE from `{other}`"))),
            };
            let method = resource
                .method_for(SqlVerb::Delete)
                .ok_or_else(|| wrong_resource("DELETE", resource.id, "aws.connect.instances"))?;
            let target = target_of(
                selection,
                ctx,
                method.name,
                resource.id,
                method.example,
                "DELETE",
            )?;
            Ok(ChangePlan::Delete(DeletePlan { target }))
        }
        other => Err(Error::Unsupported(format!("`{other}` as a change"))),
    }
}

fn resource_of(name: &ObjectName) -> Result<&'static catalog::Resource, Error> {
    resolve_table(name)?.ok_or_else(|| crate::sql::planner::unknown_resource(&name.to_string()))
}

fn wrong_resource(verb: &str, got: &str, want: &str) -> Error {
    Error::Unsupported(format!("{verb} on {got}: use {verb} with {want}"))
}

/// The instances a WHERE clause names; `data__Identifier` is required so a
/// change never applies to "everything" by accident.
fn target_of(
    selection: Option<sqlparser::ast::Expr>,
    ctx: &PlanContext,
    method: &'static str,
    resource: &'static str,
    example: &str,
    verb: &str,
) -> Result<Target, Error> {
    if selection.is_none() {
        return Err(Error::MissingParam {
            param: "data__Identifier",
            method,
            resource,
            example: format!(
                "{example}\n  ({verb} without WHERE would not say which instance to change)"
            ),
        });
    }
    let (params, rest) = params::take_params(selection)?;
    if let Some(rest) = rest {
        // Only the region predicates may remain: anything else would be a
        // filter connectql cannot honour for a change.
        let mut parts = Vec::new();
        params::conjuncts(rest, &mut parts);
        let region_preds = params.iter().filter(|p| p.name == REGION).count();
        if parts.len() > region_preds {
            return Err(Error::Unsupported(format!(
                "{verb} filters other than region and data__Identifier; name the instances with data__Identifier = '...' or IN (...)"
            )));
        }
    }
    let mut regions: Vec<String> = Vec::new();
    let mut identifiers: Vec<InstanceRef> = Vec::new();
    for p in &params {
        if p.qualifier.is_some() {
            return Err(Error::Unsupported(format!("qualified params in {verb}")));
        }
        match p.name {
            REGION => {
                for v in &p.values {
                    let r = validate_region(v)?;
                    if !regions.contains(&r) {
                        regions.push(r);
                    }
                }
            }
            "data__Identifier" => {
                for v in &p.values {
                    let r = InstanceRef::parse(v)?;
                    if !identifiers.contains(&r) {
                        identifiers.push(r);
                    }
                }
            }
            other => {
                return Err(Error::InvalidParam {
                    param: other.into(),
                    message: format!("does not belong in the WHERE clause of {verb}"),
                })
            }
        }
    }
    if identifiers.is_empty() {
        return Err(Error::MissingParam {
            param: "data__Identifier",
            method,
            resource,
            example: example.into(),
        });
    }
    if regions.is_empty() {
        let arn_regions: Vec<String> = identifiers
            .iter()
            .filter_map(|i| match i {
                InstanceRef::Arn { region, .. } => Some(region.clone()),
                _ => None,
            })
            .collect();
        if arn_regions.len() == identifiers.len() {
            for r in arn_regions {
                if !regions.contains(&r) {
                    regions.push(r);
                }
            }
        } else if let Some(r) = &ctx.default_region {
            regions.push(r.clone());
        } else {
            return Err(Error::MissingParam {
                param: "region",
                method,
                resource,
                example: example.into(),
            });
        }
    }
    if regions.len() > 1
        && identifiers
            .iter()
            .any(|i| !matches!(i, InstanceRef::Arn { .. }))
    {
        return Err(Error::Unsupported(format!(
            "{verb} in several regions at once by id or alias; name one region (or use ARNs)"
        )));
    }
    Ok(Target {
        regions,
        identifiers,
    })
}

/// Splits a JSON pointer into unescaped tokens.
fn pointer_tokens(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Checks one path of a patch against the model's shape.
fn check_path(path: &str, op: &str, value: Option<&Value>) -> Result<PathTarget, Error> {
    let refuse =
        |message: String| Error::Refused(format!("patch operation `{op}` on `{path}`: {message}"));
    if path.is_empty() {
        return Err(refuse(
            "the whole document cannot be replaced; patch /Attributes/<Name> or /Tags".into(),
        ));
    }
    let tokens = pointer_tokens(path);
    let top = tokens[0].as_str();
    if READ_ONLY.contains(&top) {
        return Err(refuse(format!("{top} is read-only")));
    }
    if CREATE_ONLY.contains(&top) {
        return Err(refuse(format!(
            "{top} is create-only: it can only be set when the instance is created (INSERT INTO aws.connect.instances)"
        )));
    }
    match top {
        "Attributes" => match tokens.len() {
            1 => {
                if let Some(v) = value {
                    let Some(obj) = v.as_object() else {
                        return Err(refuse(
                            "Attributes must be an object of attribute names to booleans".into(),
                        ));
                    };
                    for (k, v) in obj {
                        check_attribute(k, path, op)?;
                        if !v.is_boolean() {
                            return Err(refuse(format!("{k} must be true or false, not {v}")));
                        }
                    }
                } else if op == "remove" {
                    return Err(refuse("Attributes cannot be removed".into()));
                }
                Ok(PathTarget::Attributes(None))
            }
            2 => {
                let a = check_attribute(&tokens[1], path, op)?;
                if let Some(v) = value {
                    if !v.is_boolean() {
                        return Err(refuse(format!(
                            "{} must be true or false, not {v}",
                            a.cfn_name
                        )));
                    }
                }
                if op == "remove" {
                    return Err(refuse(format!(
                        "attributes cannot be removed; replace {} with false to turn it off",
                        a.cfn_name
                    )));
                }
                Ok(PathTarget::Attributes(Some(a.cfn_name)))
            }
            _ => Err(refuse(
                "attribute values are booleans: there is nothing below them".into(),
            )),
        },
        "Tags" => {
            if tokens.len() > 3
                || (tokens.len() == 3 && !matches!(tokens[2].as_str(), "Key" | "Value"))
            {
                return Err(refuse("a tag is {\"Key\": ..., \"Value\": ...}".into()));
            }
            Ok(PathTarget::Tags)
        }
        other => {
            let known: Vec<&str> = ["Attributes", "Tags"]
                .into_iter()
                .chain(READ_ONLY)
                .chain(CREATE_ONLY)
                .collect();
            Err(Error::Unknown {
                what: "patch path",
                name: format!("/{other}"),
                suggestion: catalog::suggest(other, known.iter().copied()).map(|s| format!("/{s}")),
                known: "/Attributes/<Name> (booleans), /Tags (array of {\"Key\",\"Value\"})".into(),
            })
        }
    }
}

fn check_attribute(name: &str, path: &str, op: &str) -> Result<&'static catalog::Attribute, Error> {
    catalog::attribute_by_cfn_name(name).ok_or_else(|| Error::Unknown {
        what: "attribute",
        name: name.to_string(),
        suggestion: catalog::suggest(name, catalog::ATTRIBUTES.iter().map(|a| a.cfn_name))
            .map(str::to_string),
        known: format!(
            "in `{op}` on `{path}`; attributes: {}",
            catalog::ATTRIBUTES
                .iter()
                .map(|a| a.cfn_name)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

enum PathTarget {
    Attributes(Option<&'static str>),
    Tags,
}

/// Parses and checks a patch document. Returns the operations, the
/// attributes it may change and whether it touches tags.
pub fn validate_patch(
    text: &str,
) -> Result<(Vec<PatchOperation>, BTreeSet<&'static str>, bool), Error> {
    let value: Value = serde_json::from_str(text).map_err(|e| Error::InvalidParam {
        param: "data__PatchDocument".into(),
        message: format!(
            "not valid JSON ({e}); expected an RFC 6902 array such as [{{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}}]"
        ),
    })?;
    if !value.is_array() {
        return Err(Error::InvalidParam {
            param: "data__PatchDocument".into(),
            message: "a JSON Patch is an array of operations".into(),
        });
    }
    let patch: json_patch::Patch =
        serde_json::from_value(value).map_err(|e| Error::InvalidParam {
            param: "data__PatchDocument".into(),
            message: format!("not an RFC 6902 JSON Patch: {e}"),
        })?;
    if patch.0.is_empty() {
        return Err(Error::InvalidParam {
            param: "data__PatchDocument".into(),
            message: "the patch has no operations".into(),
        });
    }
    let mut attributes = BTreeSet::new();
    let mut tags = false;
    for op in &patch.0 {
        let mut targets = Vec::new();
        match op {
            PatchOperation::Add(o) => {
                targets.push(check_path(&o.path.to_string(), "add", Some(&o.value))?)
            }
            PatchOperation::Replace(o) => {
                targets.push(check_path(&o.path.to_string(), "replace", Some(&o.value))?)
            }
            PatchOperation::Remove(o) => {
                targets.push(check_path(&o.path.to_string(), "remove", None)?)
            }
            PatchOperation::Test(o) => {
                check_path(&o.path.to_string(), "test", None)?;
            }
            PatchOperation::Move(o) => {
                targets.push(check_path(&o.from.to_string(), "move", None)?);
                targets.push(check_path(&o.path.to_string(), "move", None)?);
            }
            PatchOperation::Copy(o) => {
                check_path(&o.from.to_string(), "copy", None)?;
                targets.push(check_path(&o.path.to_string(), "copy", None)?);
            }
        }
        for t in targets {
            match t {
                PathTarget::Attributes(Some(a)) => {
                    attributes.insert(a);
                }
                PathTarget::Attributes(None) => {
                    attributes.extend(catalog::ATTRIBUTES.iter().map(|a| a.cfn_name))
                }
                PathTarget::Tags => tags = true,
            }
        }
    }
    Ok((patch.0, attributes, tags))
}

/// One instance to create, validated.
#[derive(Debug, Clone)]
pub struct CreateSpec {
    pub request: crate::connect_api::CreateRequest,
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
                InstanceRef::parse(a),
                Ok(InstanceRef::Alias(_)) | Ok(InstanceRef::Id(_))
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
            None => plan
                .default_region
                .clone()
                .ok_or_else(|| Error::MissingParam {
                    param: "region",
                    method: "create_resource",
                    resource: "aws.connect.instances",
                    example: catalog::resource("aws.connect.instances")
                        .and_then(|r| r.method_for(SqlVerb::Insert))
                        .map(|m| m.example.to_string())
                        .unwrap_or_default(),
                })?,
        };
        out.push(CreateSpec {
            request: crate::connect_api::CreateRequest {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::parse_one;

    fn plan(sql: &str) -> Result<ChangePlan, Error> {
        plan_change(
            parse_one(sql)?,
            &PlanContext {
                default_region: None,
            },
        )
    }

    #[test]
    fn update_with_patch_document() {
        let p = plan(
            "UPDATE aws.connect.instance SET data__PatchDocument = string('[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]') WHERE region = 'us-east-1' AND data__Identifier = 'acme'",
        )
        .unwrap();
        let ChangePlan::Update(u) = p else { panic!() };
        assert_eq!(u.target.regions, ["us-east-1"]);
        assert!(u.attributes.contains("ContactLens"));
        assert!(!u.tags);
        let p = plan(
            "UPDATE aws.connect.instance SET PatchDocument = '[{\"op\":\"add\",\"path\":\"/Tags/-\",\"value\":{\"Key\":\"a\",\"Value\":\"b\"}}]' WHERE region = 'us-east-1' AND Identifier = 'acme'",
        )
        .unwrap();
        let ChangePlan::Update(u) = p else { panic!() };
        assert!(u.tags);
    }

    #[test]
    fn refused_patches() {
        let cases = [
            (
                r#"[{"op":"replace","path":"/InstanceAlias","value":"x"}]"#,
                "create-only",
            ),
            (
                r#"[{"op":"replace","path":"/Id","value":"x"}]"#,
                "read-only",
            ),
            (
                r#"[{"op":"replace","path":"/Attributes/ContactLens","value":"yes"}]"#,
                "true or false",
            ),
            (
                r#"[{"op":"replace","path":"/Attributes/ContactLenz","value":true}]"#,
                "ContactLens",
            ),
            (
                r#"[{"op":"replace","path":"/Foo","value":true}]"#,
                "unknown patch path",
            ),
            (
                r#"[{"op":"remove","path":"/Attributes/InboundCalls"}]"#,
                "cannot be removed",
            ),
            (r#"{"op":"replace"}"#, "array"),
            (r#"[{"op":"replace""#, "not valid JSON"),
            (r#"[{"op":"frobnicate","path":"/Tags"}]"#, "RFC 6902"),
            (r#"[]"#, "no operations"),
        ];
        for (patch, expect) in cases {
            let sql = format!(
                "UPDATE aws.connect.instance SET data__PatchDocument = '{patch}' WHERE region = 'us-east-1' AND data__Identifier = 'acme'"
            );
            let e = plan(&sql).unwrap_err().to_string();
            assert!(e.contains(expect), "{patch}: {e}");
        }
    }

    #[test]
    fn update_and_delete_need_a_where() {
        let e = plan("UPDATE aws.connect.instance SET data__PatchDocument = '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]'")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("data__Identifier") && e.contains("without WHERE"),
            "{e}"
        );
        let e = plan("DELETE FROM aws.connect.instances WHERE region = 'us-east-1'")
            .unwrap_err()
            .to_string();
        assert!(e.contains("data__Identifier"), "{e}");
        let e = plan("DELETE FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'a'")
            .unwrap_err()
            .to_string();
        assert!(e.contains("aws.connect.instances"), "{e}");
    }

    #[test]
    fn insert_columns_and_rows() {
        let ChangePlan::Insert(p) = plan(
            "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, DirectoryId, Attributes, Tags, region) \
             VALUES ('CONNECT_MANAGED', 'gamma', NULL, '{\"InboundCalls\":true,\"OutboundCalls\":false,\"ContactLens\":true}', '[{\"Key\":\"env\",\"Value\":\"dev\"}]', 'us-east-1')",
        )
        .unwrap() else {
            panic!()
        };
        let row = vec![
            Value::from("CONNECT_MANAGED"),
            Value::from("gamma"),
            Value::Null,
            Value::from(r#"{"InboundCalls":true,"OutboundCalls":false,"ContactLens":true}"#),
            Value::from(r#"[{"Key":"env","Value":"dev"}]"#),
            Value::from("us-east-1"),
        ];
        let specs = create_specs(&p, std::slice::from_ref(&row)).unwrap();
        assert!(specs[0].request.inbound_calls && !specs[0].request.outbound_calls);
        assert_eq!(specs[0].other_attributes.get("ContactLens"), Some(&true));
        assert_eq!(
            specs[0].request.tags.get("env").map(String::as_str),
            Some("dev")
        );

        let mut bad = row.clone();
        bad[1] = Value::from("d-abc");
        assert!(create_specs(&p, &[bad])
            .unwrap_err()
            .to_string()
            .contains("InstanceAlias"));
        let mut bad = row.clone();
        bad[2] = Value::from("d-1234567890");
        assert!(create_specs(&p, &[bad])
            .unwrap_err()
            .to_string()
            .contains("only with EXISTING_DIRECTORY"));
        let mut bad = row;
        bad[3] = Value::from(r#"{"InboundCalls":true}"#);
        assert!(create_specs(&p, &[bad])
            .unwrap_err()
            .to_string()
            .contains("OutboundCalls"));

        let e = plan(
            "INSERT INTO aws.connect.instances (InstanceAlias, region) VALUES ('a', 'us-east-1')",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("IdentityManagementType"), "{e}");
    }
}
