//! Scope analysis: the regions a source's rows can come from, derived from
//! the statement's predicates so that it is a **superset** of every region
//! whose rows could satisfy them — or refused.
//!
//! `region` is a real column: the engine evaluates every predicate on it
//! (the SQL SQLite runs is the user's), so the scope only decides which
//! regions are read, never which rows are kept. It must therefore never
//! leave out a region whose rows could pass. The analysis:
//!
//! * `A AND B` intersects, `A OR B` unites (a row passes an AND only when
//!   both pass, an OR only when one does);
//! * a part that mentions no other column than the source's `region` (and
//!   no table) is evaluated by SQLite itself for every region of a finite
//!   domain — Connect's regions, every region the statement names, and the
//!   session's default regions — keeping the regions for which it is true, so
//!   `LIKE`, `upper(...)`, `NOT IN`, `IN (SELECT 'x')`, `BETWEEN` mean
//!   exactly what SQLite says;
//! * any other part bounds nothing (`Any`).
//!
//! A source whose predicates mention `region` but bound nothing is refused
//! with a message saying how to write it; one whose statement names no
//! region at all reads the session's default regions (one or several).
//!
//! For the nullable side of an outer join only the top-level conjuncts that
//! reject a NULL region count: a null-extended row must not pass where a
//! read row would have failed (`u.region = 'x' OR u.region IS NULL`).

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use rusqlite::Connection;
use sqlparser::ast::{
    visit_expressions, visit_expressions_mut, visit_relations, BinaryOperator, Expr, Ident, Value,
};

use crate::catalog;
use crate::error::Error;
use crate::sql::params::{conjuncts, REGION};
use crate::sql::text::SourceText;

/// The regions a source may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regions {
    /// The predicates do not bound the region.
    Any,
    /// Only these (possibly none: a contradiction).
    Only(BTreeSet<String>),
}

impl Regions {
    pub fn and(self, other: Regions) -> Regions {
        match (self, other) {
            (Regions::Any, x) | (x, Regions::Any) => x,
            (Regions::Only(a), Regions::Only(b)) => {
                Regions::Only(a.intersection(&b).cloned().collect())
            }
        }
    }

    pub fn or(self, other: Regions) -> Regions {
        match (self, other) {
            (Regions::Any, _) | (_, Regions::Any) => Regions::Any,
            (Regions::Only(mut a), Regions::Only(b)) => {
                a.extend(b);
                Regions::Only(a)
            }
        }
    }
}

/// How one source's `region` column is written in the statement.
#[derive(Debug, Clone, Copy)]
pub struct RegionColumn<'a> {
    /// The source's qualifier (alias or short table name).
    pub qualifier: &'a str,
    /// An unqualified `region` is this source's (the only table of its
    /// SELECT with such a column).
    pub sole: bool,
    /// The source's columns that hold Connect ARNs (its own, its
    /// instance's, the items it references): a row whose ARN column equals
    /// an ARN lives in that ARN's region. Unqualified ones count when
    /// `sole` (the planner passes none it cannot attribute).
    pub arn_columns: &'a [&'a str],
}

impl RegionColumn<'_> {
    /// Whether `expr` is a reference to one of this source's ARN columns.
    fn is_arn_column(&self, expr: &Expr) -> bool {
        let named = |name: &str| {
            self.arn_columns
                .iter()
                .any(|c| c.eq_ignore_ascii_case(name))
        };
        match expr {
            Expr::Identifier(i) => self.sole && named(&i.value),
            Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                let n = parts.len();
                named(&parts[n - 1].value)
                    && parts[n - 2].value.eq_ignore_ascii_case(self.qualifier)
            }
            Expr::Nested(inner) => self.is_arn_column(inner),
            _ => false,
        }
    }

    /// The regions of `col = 'arn' | 'arn' = col | col IN ('arn', ...)` on
    /// an ARN column: a row can only pass in the regions those ARNs name
    /// (a value that is no Connect ARN never equals an ARN column).
    pub fn arn_atom(&self, expr: &Expr) -> Option<BTreeSet<String>> {
        let values: Vec<&Expr> = match expr {
            Expr::Nested(inner) => return self.arn_atom(inner),
            Expr::BinaryOp {
                left,
                op: BinaryOperator::Eq,
                right,
            } => {
                if self.is_arn_column(left) {
                    vec![right.as_ref()]
                } else if self.is_arn_column(right) {
                    vec![left.as_ref()]
                } else {
                    return None;
                }
            }
            Expr::InList {
                expr,
                list,
                negated: false,
            } if self.is_arn_column(expr) => list.iter().collect(),
            _ => return None,
        };
        let mut regions = BTreeSet::new();
        for v in values {
            let value = string_literal(v)?;
            match arn_region(&value) {
                Some(region) => {
                    regions.insert(region.to_string());
                }
                // Another service's ARN (an integration association's
                // `integration_arn`) says nothing of where the row lives.
                None if is_other_service_arn(&value) => return None,
                None => {}
            }
        }
        Some(regions)
    }

    /// Whether `expr` names a place for this source: its region column, or
    /// one of its ARN columns compared with ARNs.
    pub fn named_in(&self, expr: &Expr) -> bool {
        visit_expressions(expr, |e| {
            if self.is(e) || self.arn_atom(e).is_some() {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .is_break()
    }

    /// Whether `expr` is a reference to this source's region column.
    pub fn is(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Identifier(i) => self.sole && i.value.eq_ignore_ascii_case(REGION),
            Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                let n = parts.len();
                parts[n - 1].value.eq_ignore_ascii_case(REGION)
                    && parts[n - 2].value.eq_ignore_ascii_case(self.qualifier)
            }
            _ => false,
        }
    }

    /// Whether `expr` mentions this source's region column anywhere.
    pub fn mentioned_in(&self, expr: &Expr) -> bool {
        visit_expressions(expr, |e| {
            if self.is(e) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .is_break()
    }
}

/// The region a Connect ARN names (`arn:aws:connect:<region>:...`).
fn arn_region(value: &str) -> Option<&str> {
    let rest = value.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    if !partition.starts_with("aws") {
        return None;
    }
    let (region, _) = rest.strip_prefix("connect:")?.split_once(':')?;
    crate::sql::resolve::validate_region(region).ok()?;
    Some(region)
}

/// `arn:<partition>:<service>:...` of a service other than Connect.
fn is_other_service_arn(value: &str) -> bool {
    let mut parts = value.splitn(4, ':');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("arn"), Some(_), Some(service), Some(_)) if service != "connect"
    )
}

/// Functions whose value is not fixed within a statement: a part that
/// calls one cannot be evaluated ahead of the engine.
const VOLATILE: [&str; 2] = ["random", "randomblob"];

/// One predicate part over one column whose values form a finite domain
/// (regions, profiles, a derived table's kinds), asked of SQLite value by
/// value: what the part says is SQLite's own answer, never a reading of
/// our own.
pub struct DomainCheck<'t> {
    text: &'t SourceText,
    db: Option<Connection>,
}

impl<'t> DomainCheck<'t> {
    pub fn new(text: &'t SourceText) -> Self {
        DomainCheck { text, db: None }
    }

    /// True when the part mentions no column but `is_column`, no table and
    /// nothing volatile, so it can be evaluated ahead of the engine.
    pub fn evaluable(expr: &Expr, is_column: impl Fn(&Expr) -> bool) -> bool {
        if visit_relations(expr, |_| ControlFlow::Break(())).is_break() {
            return false;
        }
        visit_expressions(expr, |e| match e {
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) if !is_column(e) => {
                ControlFlow::Break(())
            }
            Expr::Function(f)
                if VOLATILE
                    .iter()
                    .any(|v| f.name.to_string().eq_ignore_ascii_case(v)) =>
            {
                ControlFlow::Break(())
            }
            _ => ControlFlow::Continue(()),
        })
        .is_continue()
    }

    /// Whether SQLite finds the part true where the column is `value`;
    /// `Err` carries SQLite's reason.
    pub fn holds(
        &mut self,
        expr: &Expr,
        is_column: impl Fn(&Expr) -> bool,
        value: Option<&str>,
    ) -> Result<bool, String> {
        let sql = format!(
            "SELECT CASE WHEN ({}) THEN 1 ELSE 0 END",
            self.render(expr, is_column)
        );
        if self.db.is_none() {
            self.db = Some(Connection::open_in_memory().map_err(|e| e.to_string())?);
        }
        let db = self.db.as_ref().expect("opened above");
        db.query_row(&sql, [value], |r| r.get::<_, i64>(0))
            .map(|v| v == 1)
            .map_err(|e| e.to_string())
    }

    /// The part as SQLite text: the column becomes the parameter, and every
    /// literal keeps its original spelling (sqlparser renders `0x10` and
    /// `X'10'` alike).
    fn render(&self, expr: &Expr, is_column: impl Fn(&Expr) -> bool) -> String {
        let mut copy = expr.clone();
        let _ = visit_expressions_mut(&mut copy, |e| {
            if is_column(e) {
                *e = Expr::Identifier(Ident::new("?1"));
            } else if let Expr::Value(v) = e {
                if !matches!(v.value, Value::Placeholder(_)) {
                    if let Some(original) = self.text.of_span(v.span) {
                        *e = Expr::Identifier(Ident::new(original));
                    }
                }
            }
            ControlFlow::<()>::Continue(())
        });
        copy.to_string()
    }
}

/// Evaluates region predicates with SQLite over the finite domain.
pub struct RegionAnalysis<'t> {
    text: &'t SourceText,
    domain: Vec<String>,
    check: DomainCheck<'t>,
}

impl<'t> RegionAnalysis<'t> {
    /// The domain: Connect's regions, every region-shaped string the
    /// statement contains, and the session's default regions (all of
    /// them: a default the user chose may be a region Connect's list
    /// lacks).
    pub fn new(
        text: &'t SourceText,
        statement_literals: impl IntoIterator<Item = String>,
        default_regions: &[String],
    ) -> Self {
        // In the order the statement names them, so rows come in that order.
        let mut domain: Vec<String> = Vec::new();
        let named = statement_literals
            .into_iter()
            .filter(|l| crate::sql::resolve::validate_region(l).is_ok());
        let rest = default_regions
            .iter()
            .cloned()
            .chain(catalog::CONNECT_REGIONS.iter().map(|r| r.to_string()));
        for r in named.chain(rest) {
            if !domain.contains(&r) {
                domain.push(r);
            }
        }
        RegionAnalysis {
            text,
            domain,
            check: DomainCheck::new(text),
        }
    }

    /// A set of regions in the domain's order (the statement's first).
    pub fn ordered(&self, regions: &BTreeSet<String>) -> Vec<String> {
        let mut out: Vec<String> = self
            .domain
            .iter()
            .filter(|r| regions.contains(*r))
            .cloned()
            .collect();
        out.extend(regions.iter().filter(|r| !self.domain.contains(r)).cloned());
        out
    }

    /// The regions `predicate` allows for `column` (`null_rejecting_only`:
    /// for the nullable side of an outer join, see the module docs).
    pub fn regions(
        &mut self,
        predicate: &Expr,
        column: RegionColumn<'_>,
        null_rejecting_only: bool,
    ) -> Result<Regions, Error> {
        if null_rejecting_only {
            let mut parts = Vec::new();
            conjuncts(predicate.clone(), &mut parts);
            let mut out = Regions::Any;
            for part in &parts {
                if let Some(regions) = column.arn_atom(part) {
                    // `col = 'arn'` is never true of a NULL column.
                    out = out.and(Regions::Only(regions));
                } else if column.mentioned_in(part)
                    && self.evaluable(part, column)
                    && !self.holds(part, column, None)?
                {
                    out = out.and(self.evaluate(part, column)?);
                }
            }
            return Ok(out);
        }
        self.walk(predicate, column)
    }

    fn walk(&mut self, expr: &Expr, column: RegionColumn<'_>) -> Result<Regions, Error> {
        match expr {
            Expr::Nested(inner) => self.walk(inner, column),
            Expr::BinaryOp {
                left,
                op: BinaryOperator::And,
                right,
            } => Ok(self.walk(left, column)?.and(self.walk(right, column)?)),
            Expr::BinaryOp {
                left,
                op: BinaryOperator::Or,
                right,
            } => {
                let left = self.walk(left, column)?;
                if left == Regions::Any {
                    return Ok(Regions::Any);
                }
                Ok(left.or(self.walk(right, column)?))
            }
            _ if column.mentioned_in(expr) && self.evaluable(expr, column) => {
                // `region = 'useast1'` can hold for no row: a typo, refused
                // with the nearest region rather than answered with nothing.
                for literal in compared_literals(expr, column) {
                    crate::sql::resolve::validate_region(&literal)?;
                }
                self.evaluate(expr, column)
            }
            _ => Ok(column.arn_atom(expr).map_or(Regions::Any, Regions::Only)),
        }
    }

    /// True when the part mentions no column but the region, no table,
    /// and nothing volatile.
    fn evaluable(&self, expr: &Expr, column: RegionColumn<'_>) -> bool {
        DomainCheck::evaluable(expr, |e| column.is(e))
    }

    fn evaluate(&mut self, expr: &Expr, column: RegionColumn<'_>) -> Result<Regions, Error> {
        let mut out = BTreeSet::new();
        for region in self.domain.clone() {
            if self.holds(expr, column, Some(&region))? {
                out.insert(region);
            }
        }
        Ok(Regions::Only(out))
    }

    /// Whether SQLite finds the part true for a row of this region.
    fn holds(
        &mut self,
        expr: &Expr,
        column: RegionColumn<'_>,
        region: Option<&str>,
    ) -> Result<bool, Error> {
        self.check
            .holds(expr, |e| column.is(e), region)
            .map_err(|e| Error::InvalidParam {
                param: REGION.into(),
                message: format!(
                    "the predicate `{}` on {}.region cannot be evaluated (SQLite: {e})",
                    self.text.of_expr(expr),
                    column.qualifier
                ),
            })
    }
}

/// A single-quoted string literal's value.
fn string_literal(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The string literals `region = '...'` or `region IN ('...')` compares the
/// region column with.
fn compared_literals(expr: &Expr, column: RegionColumn<'_>) -> Vec<String> {
    let literal = string_literal;
    match expr {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } if column.is(left) => literal(right).into_iter().collect(),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } if column.is(right) => literal(left).into_iter().collect(),
        Expr::InList {
            expr,
            list,
            negated: false,
        } if column.is(expr) => list.iter().filter_map(literal).collect(),
        _ => Vec::new(),
    }
}

/// Every string literal of an expression (the regions a statement names).
pub fn string_literals(expr: &Expr, out: &mut Vec<String>) {
    let _ = visit_expressions(expr, |e| {
        if let Expr::Value(v) = e {
            if let Value::SingleQuotedString(s) = &v.value {
                out.push(s.clone());
            }
        }
        ControlFlow::<()>::Continue(())
    });
}
