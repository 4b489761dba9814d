//! Planning of changes. An instance's contents (users, queues…) are
//! changed through `contents.rs`, generic over the catalog's write side;
//! the instance itself still has its own files per statement kind: UPDATE
//! (a JSON Patch over the CloudFormation model), INSERT (create) and
//! DELETE. Everything that can be checked without a call is checked here,
//! so a bad statement is refused before anything happens.

pub mod contents;
pub mod delete;
pub mod insert;
mod shapes;
pub mod update;

use sqlparser::ast::{Expr, ObjectName, Statement, TableFactor};

use crate::catalog::{self, Method, SqlVerb, Table, IDENTIFIER};
use crate::error::Error;
use crate::sql::params::{self, REGION};
use crate::sql::planner::{resolve_table, unknown_resource};
use crate::sql::resolve::{resolve_targets, ItemRef, PlanContext, RegionScope, Targets};
use crate::sql::scope::{string_literals, RegionAnalysis, RegionColumn, Regions};
use crate::sql::text::SourceText;

pub use delete::DeletePlan;
pub use insert::{create_specs, tags_from_json, CreateSpec, InsertPlan};
pub use update::{validate_patch, UpdatePlan};

#[derive(Debug, Clone)]
pub enum ChangePlan {
    Update(UpdatePlan),
    Insert(InsertPlan),
    Delete(DeletePlan),
    /// UPDATE or DELETE of an instance's contents.
    Contents(contents::ContentsPlan),
}

/// Plans a change statement written as `text`.
pub fn plan_change(
    text: &str,
    statement: Statement,
    ctx: &PlanContext,
) -> Result<ChangePlan, Error> {
    // The visitors' frames are large: plan on a deep stack (see src/sql/mod.rs).
    crate::sql::on_deep_stack(|| plan_change_here(&SourceText::new(text), statement, ctx))
}

fn plan_change_here(
    text: &SourceText,
    statement: Statement,
    ctx: &PlanContext,
) -> Result<ChangePlan, Error> {
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
            if let TableFactor::Table { name, .. } = &table.relation {
                let t = resource_of(name)?;
                if contents::handles(t) {
                    if from.is_some() || limit.is_some() || returning.is_some() {
                        return Err(Error::Unsupported(format!(
                            "UPDATE of {} with FROM, LIMIT or RETURNING; select the targets in the WHERE clause",
                            t.id
                        )));
                    }
                    return contents::plan_update(
                        text,
                        t,
                        &table,
                        &assignments,
                        selection.as_ref(),
                        ctx,
                    )
                    .map(ChangePlan::Contents);
                }
            }
            if from.is_some() || !table.joins.is_empty() || limit.is_some() || returning.is_some() {
                return Err(Error::Unsupported(
                    "UPDATE of an instance takes SET data__PatchDocument = '...' and a WHERE clause; FROM, JOIN, LIMIT and RETURNING are not available".into(),
                ));
            }
            update::plan(text, table, assignments, selection, ctx).map(ChangePlan::Update)
        }
        Statement::Insert(insert) => {
            if let sqlparser::ast::TableObject::TableName(name) = &insert.table {
                let t = resource_of(name)?;
                if contents::handles(t) {
                    if insert.returning.is_some() || insert.on.is_some() {
                        return Err(Error::Unsupported(format!(
                            "INSERT into {} with RETURNING or ON CONFLICT",
                            t.id
                        )));
                    }
                    return contents::plan_insert(text, t, &insert.columns, ctx)
                        .map(ChangePlan::Contents);
                }
            }
            insert::plan(insert, ctx).map(ChangePlan::Insert)
        }
        Statement::Delete(delete) => {
            if let Some(t) = delete::contents_table(&delete)? {
                return delete::plan_contents(text, t, delete, ctx).map(ChangePlan::Contents);
            }
            delete::plan(text, delete, ctx).map(ChangePlan::Delete)
        }
        other => Err(Error::Unsupported(format!("`{other}` as a change"))),
    }
}

fn resource_of(name: &ObjectName) -> Result<&'static Table, Error> {
    resolve_table(name)?.ok_or_else(|| unknown_resource(&name.to_string()))
}

/// True when a predicate reads a column other than the region.
fn column_other_than_region(expr: &Expr, column: RegionColumn<'_>) -> bool {
    sqlparser::ast::visit_expressions(expr, |e| match e {
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) if !column.is(e) => {
            std::ops::ControlFlow::Break(())
        }
        _ => std::ops::ControlFlow::Continue(()),
    })
    .is_break()
}

/// A change on a table that has no such method: name the one that does.
fn wrong_table(verb: &str, t: &Table, sql_verb: SqlVerb) -> Error {
    let others: Vec<&str> = catalog::TABLES
        .iter()
        .filter(|o| o.method_for(sql_verb).is_some())
        .map(|o| o.id.as_str())
        .collect();
    if others.is_empty() {
        return Error::Unsupported(format!("{verb} on {}", t.id));
    }
    Error::Unsupported(format!(
        "{verb} on {}: {verb} works with {}",
        t.id,
        others.join(", ")
    ))
}

/// The items a change's WHERE clause names, through the one resolver.
/// `data__Identifier` is required so a change never applies to
/// "everything" by accident, and nothing but params may filter.
fn targets_of(
    text: &SourceText,
    t: &'static Table,
    method: &'static Method,
    selection: Option<Expr>,
    ctx: &PlanContext,
    verb: &str,
) -> Result<Targets, Error> {
    if selection.is_none() {
        return Err(Error::MissingParam {
            param: IDENTIFIER,
            method: method.name,
            resource: t.id.clone(),
            example: format!(
                "{}\n  ({verb} without WHERE would not say which {} to change)",
                method.example,
                t.resource.singular.replace('_', " ")
            ),
        });
    }
    let taken = params::take_params(selection)?;
    let params = taken.params;
    // Only region predicates may remain: anything else would be a filter
    // connectql cannot honour for a change.
    let column = RegionColumn {
        qualifier: t.name,
        sole: true,
        arn_columns: &[],
    };
    let mut literals = Vec::new();
    let mut parts = Vec::new();
    if let Some(rest) = &taken.rest {
        string_literals(rest, &mut literals);
        params::conjuncts(rest.clone(), &mut parts);
    }
    if parts
        .iter()
        .any(|p| !column.mentioned_in(p) || column_other_than_region(p, column))
    {
        return Err(Error::Unsupported(format!(
            "{verb} filters other than region and data__Identifier; name the items with data__Identifier = '...' or IN (...)"
        )));
    }
    let region_scope = match &taken.rest {
        None => RegionScope::Unmentioned,
        Some(rest) => {
            let mut analysis = RegionAnalysis::new(text, literals, ctx.default_region.as_deref());
            match analysis.regions(rest, column, false)? {
                Regions::Only(set) => RegionScope::Bounded(set.into_iter().collect()),
                Regions::Any => {
                    return Err(Error::InvalidParam {
                        param: REGION.into(),
                        message: format!(
                            "connectql cannot tell which regions the WHERE clause of this {verb} selects; \
                             write region = '...' or region IN ('...', ...)"
                        ),
                    })
                }
            }
        }
    };
    if params.iter().any(|p| p.qualifier.is_some()) {
        return Err(Error::Unsupported(format!("qualified params in {verb}")));
    }
    if let Some(p) = params.iter().find(|p| p.name != IDENTIFIER) {
        return Err(Error::InvalidParam {
            param: p.name.into(),
            message: format!("does not belong in the WHERE clause of {verb}"),
        });
    }
    let refs: Vec<&params::ParamPredicate> = params.iter().collect();
    let targets = resolve_targets(t.resource, &t.id, method, &refs, &[], &region_scope, ctx)?;
    if targets.regions.len() > 1
        && targets
            .identifiers
            .iter()
            .any(|i| !matches!(i, ItemRef::Arn { .. }))
    {
        return Err(Error::Unsupported(format!(
            "{verb} in several regions at once by id or alias; name one region (or use ARNs)"
        )));
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::parse_one;
    use serde_json::Value;

    fn plan(sql: &str) -> Result<ChangePlan, Error> {
        plan_change(
            sql,
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
        assert_eq!(u.targets.regions, ["us-east-1"]);
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
