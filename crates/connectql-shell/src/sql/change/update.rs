//! UPDATE: an RFC 6902 JSON Patch over the resource's CloudFormation
//! model. The patch is checked against the catalog before any call: paths
//! must name writable properties (not read-only, not create-only), values
//! must have the right shape.

use std::collections::BTreeSet;

use json_patch::PatchOperation;
use serde_json::Value;
use sqlparser::ast::{AssignmentTarget, Expr, TableFactor, TableWithJoins};

use super::{resource_of, targets_of, wrong_table};
use crate::catalog::{self, ResourceType, SqlVerb, PATCH_DOCUMENT};
use crate::error::Error;
use crate::sql::params::as_string_literal;
use crate::sql::resolve::{PlanContext, Targets};

#[derive(Debug, Clone)]
pub struct UpdatePlan {
    pub targets: Targets,
    pub patch: Vec<PatchOperation>,
    /// The patch text as written, for messages.
    pub patch_text: String,
    /// Attributes the patch may change (for EXPLAIN).
    pub attributes: BTreeSet<&'static str>,
    /// Whether the patch touches Tags.
    pub tags: bool,
}

pub fn plan(
    text: &crate::sql::text::SourceText,
    table: TableWithJoins,
    assignments: Vec<sqlparser::ast::Assignment>,
    selection: Option<Expr>,
    ctx: &PlanContext,
) -> Result<UpdatePlan, Error> {
    let t = match &table.relation {
        TableFactor::Table { name, .. } => resource_of(name)?,
        other => return Err(Error::Unsupported(format!("UPDATE of `{other}`"))),
    };
    let method = t
        .method_for(SqlVerb::Update)
        .ok_or_else(|| wrong_table("UPDATE", t, SqlVerb::Update))?;
    let mut patch_text = None;
    for a in &assignments {
        let name = match &a.target {
            AssignmentTarget::ColumnName(n) => n.to_string(),
            AssignmentTarget::Tuple(_) => String::new(),
        };
        if catalog::canonical_param(&name) != Some(PATCH_DOCUMENT) {
            return Err(Error::Unsupported(format!(
                "SET {name}: {} changes through a JSON Patch, e.g.\n  {}",
                t.id, method.example
            )));
        }
        patch_text = Some(
            as_string_literal(&a.value).ok_or_else(|| Error::InvalidParam {
                param: PATCH_DOCUMENT.into(),
                message: "give the patch as a quoted string (or string('...'))".into(),
            })?,
        );
    }
    let Some(patch_text) = patch_text else {
        return Err(Error::MissingParam {
            param: PATCH_DOCUMENT,
            method: method.name,
            resource: t.id.clone(),
            example: method.example.into(),
        });
    };
    let (patch, attributes, tags) = validate_patch(t.resource, &patch_text)?;
    let targets = targets_of(text, t, method, selection, ctx, "UPDATE")?;
    Ok(UpdatePlan {
        targets,
        patch,
        patch_text,
        attributes,
        tags,
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
fn check_path(
    resource: &ResourceType,
    path: &str,
    op: &str,
    value: Option<&Value>,
) -> Result<PathTarget, Error> {
    let refuse =
        |message: String| Error::Refused(format!("patch operation `{op}` on `{path}`: {message}"));
    if path.is_empty() {
        return Err(refuse(
            "the whole document cannot be replaced; patch /Attributes/<Name> or /Tags".into(),
        ));
    }
    let tokens = pointer_tokens(path);
    let top = tokens[0].as_str();
    let property = resource.fields.iter().find(|f| f.cfn == Some(top));
    if property.is_some_and(|f| f.read_only) {
        return Err(refuse(format!("{top} is read-only")));
    }
    if property.is_some_and(|f| f.create_only) {
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
            let known: Vec<&str> = resource.fields.iter().filter_map(|f| f.cfn).collect();
            Err(Error::Unknown {
                what: "patch path",
                name: format!("/{other}"),
                suggestion: catalog::suggest(other, known.iter().copied()).map(|s| format!("/{s}")),
                known: "/Attributes/<Name> (booleans), /Tags (array of {\"Key\",\"Value\"})".into(),
            })
        }
    }
}

pub(crate) fn check_attribute(
    name: &str,
    path: &str,
    op: &str,
) -> Result<&'static catalog::Attribute, Error> {
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
    resource: &ResourceType,
    text: &str,
) -> Result<(Vec<PatchOperation>, BTreeSet<&'static str>, bool), Error> {
    let value: Value = serde_json::from_str(text).map_err(|e| Error::InvalidParam {
        param: PATCH_DOCUMENT.into(),
        message: format!(
            "not valid JSON ({e}); expected an RFC 6902 array such as [{{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}}]"
        ),
    })?;
    if !value.is_array() {
        return Err(Error::InvalidParam {
            param: PATCH_DOCUMENT.into(),
            message: "a JSON Patch is an array of operations".into(),
        });
    }
    let patch: json_patch::Patch =
        serde_json::from_value(value).map_err(|e| Error::InvalidParam {
            param: PATCH_DOCUMENT.into(),
            message: format!("not an RFC 6902 JSON Patch: {e}"),
        })?;
    if patch.0.is_empty() {
        return Err(Error::InvalidParam {
            param: PATCH_DOCUMENT.into(),
            message: "the patch has no operations".into(),
        });
    }
    let mut attributes = BTreeSet::new();
    let mut tags = false;
    for op in &patch.0 {
        let mut targets = Vec::new();
        match op {
            PatchOperation::Add(o) => targets.push(check_path(
                resource,
                &o.path.to_string(),
                "add",
                Some(&o.value),
            )?),
            PatchOperation::Replace(o) => targets.push(check_path(
                resource,
                &o.path.to_string(),
                "replace",
                Some(&o.value),
            )?),
            PatchOperation::Remove(o) => {
                targets.push(check_path(resource, &o.path.to_string(), "remove", None)?)
            }
            PatchOperation::Test(o) => {
                check_path(resource, &o.path.to_string(), "test", None)?;
            }
            PatchOperation::Move(o) => {
                targets.push(check_path(resource, &o.from.to_string(), "move", None)?);
                targets.push(check_path(resource, &o.path.to_string(), "move", None)?);
            }
            PatchOperation::Copy(o) => {
                check_path(resource, &o.from.to_string(), "copy", None)?;
                targets.push(check_path(resource, &o.path.to_string(), "copy", None)?);
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
