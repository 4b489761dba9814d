//! Planning of changes: one planner for every table (`contents.rs`),
//! generic over the catalog's write side. UPDATE and DELETE become a
//! SELECT of the targets with the user's own WHERE clause; INSERT creates
//! one item per source row; `data__PatchDocument` (StackQL's JSON Patch)
//! becomes SET expressions (`patch.rs`); RETURNING is a query over the
//! changed items, checked here. Everything that can be checked without a
//! call is checked here, so a bad statement is refused before anything
//! happens.

pub mod contents;
pub mod patch;
mod shapes;

use sqlparser::ast::{Delete, FromTable, ObjectName, SelectItem, Statement, TableFactor};

use crate::catalog::{self, SqlVerb, Table};
use crate::error::Error;
use crate::sql::planner::{resolve_table, unknown_resource};
use crate::sql::resolve::PlanContext;
use crate::sql::text::SourceText;

pub use contents::ContentsPlan;

/// Plans a change statement written as `text`.
pub fn plan_change(
    text: &str,
    statement: Statement,
    ctx: &PlanContext,
) -> Result<ContentsPlan, Error> {
    // The visitors' frames are large: plan on a deep stack (see src/sql/mod.rs).
    // A change's targets may span profiles: each is read, resolved and
    // changed with its own profile's credentials (`PlannedWrite::place`).
    crate::sql::on_deep_stack(|| plan_change_here(&SourceText::new(text), statement, ctx))
}

fn plan_change_here(
    text: &SourceText,
    statement: Statement,
    ctx: &PlanContext,
) -> Result<ContentsPlan, Error> {
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
            let TableFactor::Table { name, .. } = &table.relation else {
                return Err(Error::Unsupported(format!(
                    "UPDATE of `{}`",
                    table.relation
                )));
            };
            let t = changeable_table(name, "UPDATE", SqlVerb::Update)?;
            if from.is_some() || limit.is_some() {
                return Err(Error::Unsupported(format!(
                    "UPDATE of {} with FROM or LIMIT; select the targets in the WHERE clause",
                    t.id
                )));
            }
            let mut plan =
                contents::plan_update(text, t, &table, &assignments, selection.as_ref(), ctx)?;
            plan.returning = returning.as_deref().map(|r| contents::returning_plan(t, r));
            names_its_items(t, SqlVerb::Update, &plan)?;
            Ok(plan)
        }
        Statement::Insert(insert) => {
            let sqlparser::ast::TableObject::TableName(name) = &insert.table else {
                return Err(Error::Unsupported("INSERT into a table function".into()));
            };
            let t = changeable_table(name, "INSERT", SqlVerb::Insert)?;
            if insert.on.is_some() {
                return Err(Error::Unsupported(format!(
                    "INSERT into {} with ON CONFLICT",
                    t.id
                )));
            }
            let mut plan = contents::plan_insert(text, t, &insert.columns, ctx)?;
            plan.returning = insert
                .returning
                .as_deref()
                .map(|r| contents::returning_plan(t, r));
            Ok(plan)
        }
        Statement::Delete(delete) => plan_delete(text, delete, ctx),
        other => Err(Error::Unsupported(format!("`{other}` as a change"))),
    }
}

/// DELETE: the rows its WHERE clause selects.
fn plan_delete(
    text: &SourceText,
    delete: Delete,
    ctx: &PlanContext,
) -> Result<ContentsPlan, Error> {
    let from = match &delete.from {
        FromTable::WithFromKeyword(f) | FromTable::WithoutKeyword(f) => f,
    };
    let Some(TableFactor::Table { name, .. }) = from.first().map(|f| &f.relation) else {
        return Err(Error::Unsupported("DELETE takes one table".into()));
    };
    let t = changeable_table(name, "DELETE", SqlVerb::Delete)?;
    if !delete.tables.is_empty()
        || delete.using.is_some()
        || !delete.order_by.is_empty()
        || delete.limit.is_some()
        || from.len() != 1
    {
        return Err(Error::Unsupported(format!(
            "DELETE of {} takes one table and a WHERE clause (no USING, ORDER BY or LIMIT)",
            t.id
        )));
    }
    let returning: Option<&[SelectItem]> = delete.returning.as_deref();
    let mut plan = contents::plan_delete(
        text,
        t,
        &from[0],
        delete.selection.as_ref(),
        ctx,
        returning.is_some(),
    )?;
    plan.returning = returning.map(|r| contents::returning_plan(t, r));
    names_its_items(t, SqlVerb::Delete, &plan)?;
    Ok(plan)
}

/// A table whose catalog method for the verb requires `data__Identifier`
/// (an instance) changes only the items named by it: `WHERE 1=1` never
/// changes every instance of a region.
fn names_its_items(t: &'static Table, verb: SqlVerb, plan: &ContentsPlan) -> Result<(), Error> {
    let Some(method) = t.method_for(verb) else {
        return Ok(());
    };
    if !method.required.contains(&catalog::IDENTIFIER) {
        return Ok(());
    }
    let named = plan
        .select
        .sources
        .iter()
        .filter(|s| std::ptr::eq(s.resource, t.resource))
        .all(|s| !s.targets.identifiers.is_empty() || s.targets.empty.is_some());
    if named {
        return Ok(());
    }
    Err(Error::MissingParam {
        param: catalog::IDENTIFIER,
        method: method.name,
        resource: t.id.clone(),
        example: format!(
            "{}\n  (the WHERE clause names the {} to change by data__Identifier = '...' or IN (...))",
            method.example,
            t.resource.plural.replace('_', " ")
        ),
    })
}

/// The table a change names, when the generic planner changes it. A table
/// whose sibling (singular or plural) has the catalog method for the verb
/// and it has none is refused naming the sibling (`DELETE` works on
/// `aws.connect.instances`, not `aws.connect.instance`).
fn changeable_table(
    name: &ObjectName,
    verb: &str,
    sql_verb: SqlVerb,
) -> Result<&'static Table, Error> {
    let t = resolve_table(name)?.ok_or_else(|| unknown_resource(&name.to_string()))?;
    if !contents::handles(t) {
        return Err(Error::Unsupported(format!("{verb} on {}", t.id)));
    }
    let siblings: Vec<&Table> = catalog::TABLES
        .iter()
        .filter(|o| std::ptr::eq(o.resource, t.resource))
        .collect();
    if t.method_for(sql_verb).is_none() && siblings.iter().any(|o| o.method_for(sql_verb).is_some())
    {
        let others: Vec<&str> = siblings
            .iter()
            .filter(|o| o.method_for(sql_verb).is_some())
            .map(|o| o.id.as_str())
            .collect();
        return Err(Error::Unsupported(format!(
            "{verb} on {}: {verb} works with {}",
            t.id,
            others.join(", ")
        )));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::parse_one;

    fn plan(sql: &str) -> Result<ContentsPlan, Error> {
        plan_change(
            sql,
            parse_one(sql)?,
            &PlanContext {
                ..Default::default()
            },
        )
    }

    #[test]
    fn an_instance_patch_is_a_set_on_the_generic_path() {
        let p = plan(
            "UPDATE aws.connect.instance SET data__PatchDocument = string('[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]') WHERE region = 'us-east-1' AND data__Identifier = 'acme'",
        )
        .unwrap();
        assert_eq!(p.verb, contents::Verb::Update);
        assert_eq!(p.select.sources[0].targets.regions, ["us-east-1"]);
        let r = p.table.resource;
        assert_eq!(p.sets, [r.field_index("attributes").unwrap()]);
        assert_eq!(p.keys, ["CONTACT_LENS"]);
        let p = plan(
            "UPDATE aws.connect.instance SET PatchDocument = '[{\"op\":\"add\",\"path\":\"/Tags/-\",\"value\":{\"Key\":\"a\",\"Value\":\"b\"}}]' WHERE region = 'us-east-1' AND Identifier = 'acme'",
        )
        .unwrap();
        assert_eq!(p.sets, [p.table.resource.field_index("tags").unwrap()]);
        // Patch and plain SET together; a field set both ways is refused.
        let e = plan(
            "UPDATE aws.connect.queues SET max_contacts = 3, data__PatchDocument = '[{\"op\":\"replace\",\"path\":\"/MaxContacts\",\"value\":5}]' WHERE region = 'us-east-1' AND data__InstanceId = 'acme'",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("set twice"), "{e}");
    }

    #[test]
    fn changes_need_a_where_and_the_right_table() {
        let e = plan("UPDATE aws.connect.instance SET data__PatchDocument = '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]'")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("data__Identifier") && e.contains("without WHERE"),
            "{e}"
        );
        let e = plan("DELETE FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'a'")
            .unwrap_err()
            .to_string();
        assert!(e.contains("aws.connect.instances"), "{e}");
    }

    #[test]
    fn returning_is_planned_for_every_verb() {
        let p = plan("DELETE FROM aws.connect.queues WHERE region = 'us-east-1' AND data__InstanceId = 'acme' AND name = 'x' RETURNING name, max_contacts")
            .unwrap();
        assert!(p.returning.is_some());
        // The rows as they were: every field is read.
        assert!(p.select.sql.contains("max_contacts"), "{}", p.select.sql);
        let p = plan(
            "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) \
             VALUES ('CONNECT_MANAGED', 'gamma', '{\"InboundCalls\":true,\"OutboundCalls\":false}', 'us-east-1') RETURNING id, arn",
        )
        .unwrap();
        assert_eq!(p.verb, contents::Verb::Insert);
        assert!(p
            .returning
            .unwrap()
            .sql
            .starts_with("SELECT id, arn FROM src0"));
        let e = plan(
            "INSERT INTO aws.connect.instances (InstanceAlias, region) VALUES ('a', 'us-east-1')",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("identity_management_type"), "{e}");
    }
}
