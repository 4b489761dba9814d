//! DELETE: the items a WHERE clause names by `data__Identifier`, after
//! confirmation in the shell (`--yes` in batch mode).

use sqlparser::ast::{Delete, FromTable, TableFactor};

use super::{resource_of, targets_of, wrong_table};
use crate::catalog::SqlVerb;
use crate::error::Error;
use crate::sql::resolve::{PlanContext, Targets};

#[derive(Debug, Clone)]
pub struct DeletePlan {
    pub targets: Targets,
}

pub fn plan(
    text: &crate::sql::text::SourceText,
    delete: Delete,
    ctx: &PlanContext,
) -> Result<DeletePlan, Error> {
    let Delete {
        tables,
        from,
        using,
        selection,
        returning,
        order_by,
        limit,
    } = delete;
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
    let t = match &from[0].relation {
        TableFactor::Table { name, .. } => resource_of(name)?,
        other => return Err(Error::Unsupported(format!("DELETE from `{other}`"))),
    };
    let method = t
        .method_for(SqlVerb::Delete)
        .ok_or_else(|| wrong_table("DELETE", t, SqlVerb::Delete))?;
    let targets = targets_of(text, t, method, selection, ctx, "DELETE")?;
    Ok(DeletePlan { targets })
}

/// The table of a DELETE when it is an instance's contents (planned by
/// `contents.rs`), else `None`.
pub fn contents_table(delete: &Delete) -> Result<Option<&'static crate::catalog::Table>, Error> {
    let from = match &delete.from {
        FromTable::WithFromKeyword(f) | FromTable::WithoutKeyword(f) => f,
    };
    match from.first().map(|f| &f.relation) {
        Some(TableFactor::Table { name, .. }) => {
            let t = resource_of(name)?;
            Ok(super::contents::handles(t).then_some(t))
        }
        _ => Ok(None),
    }
}

/// DELETE of an instance's contents: the rows its WHERE clause selects.
pub fn plan_contents(
    text: &crate::sql::text::SourceText,
    t: &'static crate::catalog::Table,
    delete: Delete,
    ctx: &PlanContext,
) -> Result<super::contents::ContentsPlan, Error> {
    let from = match &delete.from {
        FromTable::WithFromKeyword(f) | FromTable::WithoutKeyword(f) => f,
    };
    if !delete.tables.is_empty()
        || delete.using.is_some()
        || delete.returning.is_some()
        || !delete.order_by.is_empty()
        || delete.limit.is_some()
        || from.len() != 1
    {
        return Err(Error::Unsupported(format!(
            "DELETE of {} takes one table and a WHERE clause (no USING, RETURNING, ORDER BY or LIMIT)",
            t.id
        )));
    }
    super::contents::plan_delete(text, t, &from[0], delete.selection.as_ref(), ctx)
}
