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
