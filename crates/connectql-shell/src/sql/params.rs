//! Statement-only params from the WHERE clause.
//!
//! A param (`data__Identifier`, `data__InstanceId`, `data__PatchDocument`
//! and their synonyms) is not a column: it names what to read or change.
//! It is a top-level AND-ed predicate of the form `name = 'value'`,
//! `name IN ('a', 'b')` (either side of `=`), or an OR of such predicates
//! on the same param, optionally qualified by a table alias. AND-ed
//! predicates on one param intersect (see `resolve`). `profile` is a param
//! too (the accounts to read), and also a column of every row. `region` is a real
//! column: its predicates stay in the SQL and the scope analysis
//! (`scope.rs`) derives the regions to read from them.

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Query, Value, Visit,
    Visitor,
};

use crate::catalog;
use crate::error::Error;

pub use crate::catalog::REGION;

/// One param predicate found in a WHERE clause.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamPredicate {
    /// The table alias the param was qualified with (`i.region`).
    pub qualifier: Option<String>,
    /// Canonical name: `region`, `data__Identifier` or `data__PatchDocument`.
    pub name: &'static str,
    pub values: Vec<String>,
}

/// The canonical name of a param identifier, if it is one.
fn param_name(ident: &str) -> Option<&'static str> {
    catalog::canonical_param(ident)
}

/// `(qualifier, canonical param name)` when `expr` names a param.
fn as_param_ref(expr: &Expr) -> Option<(Option<String>, &'static str)> {
    match expr {
        Expr::Identifier(i) => param_name(&i.value).map(|n| (None, n)),
        Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
            let last = parts.last()?;
            let qualifier = parts[parts.len() - 2].value.clone();
            param_name(&last.value).map(|n| (Some(qualifier), n))
        }
        Expr::Nested(inner) => as_param_ref(inner),
        _ => None,
    }
}

/// A string literal, also `string('...')` (StackQL's spelling). A
/// double-quoted word is an identifier, never a string (the engine runs
/// with double-quoted string literals off).
pub fn as_string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s.clone()),
            _ => None,
        },
        Expr::Nested(inner) => as_string_literal(inner),
        Expr::Function(f) if f.name.to_string().eq_ignore_ascii_case("string") => match &f.args {
            FunctionArguments::List(list) if list.args.len() == 1 => match &list.args[0] {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => as_string_literal(e),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// Flattens `a AND (b AND c)` into `[a, b, c]`.
pub fn conjuncts(expr: Expr, out: &mut Vec<Expr>) {
    match expr {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            conjuncts(*left, out);
            conjuncts(*right, out);
        }
        Expr::Nested(inner)
            if matches!(
                *inner,
                Expr::BinaryOp {
                    op: BinaryOperator::And,
                    ..
                }
            ) =>
        {
            conjuncts(*inner, out)
        }
        other => out.push(other),
    }
}

/// Rebuilds an AND chain (None when empty).
pub fn and_all(parts: Vec<Expr>) -> Option<Expr> {
    parts.into_iter().reduce(|a, b| Expr::BinaryOp {
        left: Box::new(a),
        op: BinaryOperator::And,
        right: Box::new(b),
    })
}

/// Reads one conjunct as a param predicate: `p = 'v'`, `p IN ('a', 'b')`,
/// or an OR of those on the same param (their values united).
fn as_param_predicate(expr: &Expr) -> Result<Option<ParamPredicate>, Error> {
    match expr {
        Expr::Nested(inner) => as_param_predicate(inner),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Or,
            right,
        } => {
            let (Some(mut l), Some(r)) = (as_param_predicate(left)?, as_param_predicate(right)?)
            else {
                return Ok(None);
            };
            let same = l.name == r.name
                && match (&l.qualifier, &r.qualifier) {
                    (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                    (None, None) => true,
                    _ => false,
                };
            if !same {
                return Ok(None);
            }
            for v in r.values {
                if !l.values.contains(&v) {
                    l.values.push(v);
                }
            }
            Ok(Some(l))
        }
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } => {
            let (param, value) = match (as_param_ref(left), as_param_ref(right)) {
                (Some(p), _) => (p, right.as_ref()),
                (None, Some(p)) => (p, left.as_ref()),
                (None, None) => return Ok(None),
            };
            let Some(v) = as_string_literal(value) else {
                return Err(Error::InvalidParam {
                    param: param.1.to_string(),
                    message: format!(
                        "compare it with a quoted string, e.g. {} = '<value>'",
                        param.1
                    ),
                });
            };
            Ok(Some(ParamPredicate {
                qualifier: param.0,
                name: param.1,
                values: vec![v],
            }))
        }
        Expr::InList {
            expr,
            list,
            negated: false,
        } => {
            let Some(param) = as_param_ref(expr) else {
                return Ok(None);
            };
            let values: Option<Vec<String>> = list.iter().map(as_string_literal).collect();
            match values {
                Some(values) if !values.is_empty() => Ok(Some(ParamPredicate {
                    qualifier: param.0,
                    name: param.1,
                    values,
                })),
                _ => Err(Error::InvalidParam {
                    param: param.1.to_string(),
                    message: "every value in the IN list must be a quoted string".into(),
                }),
            }
        }
        _ => Ok(None),
    }
}

/// True when `expr` mentions a statement-only param anywhere.
/// A subquery's params are its own: they are taken when it is planned.
pub fn mentions_statement_param(expr: &Expr) -> Option<&'static str> {
    struct Finder {
        depth: usize,
        found: Option<&'static str>,
    }
    impl Visitor for Finder {
        type Break = ();
        fn pre_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
            self.depth += 1;
            ControlFlow::Continue(())
        }
        fn post_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
            self.depth -= 1;
            ControlFlow::Continue(())
        }
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            if self.depth == 0 {
                if let Some((_, name)) = as_param_ref(e) {
                    self.found = Some(name);
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut f = Finder {
        depth: 0,
        found: None,
    };
    let _ = expr.visit(&mut f);
    f.found
}

/// The params of a WHERE clause, taken out of it.
#[derive(Debug, Default)]
pub struct TakenParams {
    pub params: Vec<ParamPredicate>,
    /// The conjuncts that were params, as written (their text is replaced
    /// by a true value in the SQL the engine runs).
    pub removed: Vec<Expr>,
    /// The WHERE clause without them.
    pub rest: Option<Expr>,
}

/// Takes the params out of a WHERE clause.
pub fn take_params(selection: Option<Expr>) -> Result<TakenParams, Error> {
    let Some(selection) = selection else {
        return Ok(TakenParams::default());
    };
    let mut parts = Vec::new();
    conjuncts(selection, &mut parts);
    let mut taken = TakenParams::default();
    let mut kept = Vec::new();
    for part in parts {
        match as_param_predicate(&part)? {
            Some(p) => {
                taken.params.push(p);
                taken.removed.push(part);
            }
            None => {
                if let Some(name) = mentions_statement_param(&part) {
                    return Err(Error::InvalidParam {
                        param: name.to_string(),
                        message: format!(
                            "`{name}` is a param, not a column: use it only in a top-level AND-ed \
                             `{name} = '...'` or `{name} IN ('...', '...')` predicate of the WHERE clause \
                             (or an OR of such predicates on `{name}` alone; found in `{part}`)"
                        ),
                    });
                }
                kept.push(part);
            }
        }
    }
    taken.rest = and_all(kept);
    Ok(taken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::parse_one;
    use sqlparser::ast::{SetExpr, Statement};

    fn where_of(sql: &str) -> Option<Expr> {
        match parse_one(sql).unwrap() {
            Statement::Query(q) => match *q.body {
                SetExpr::Select(s) => s.selection,
                _ => None,
            },
            _ => None,
        }
    }

    #[test]
    fn takes_eq_in_and_or_params() {
        let t = take_params(where_of(
            "SELECT * FROM t WHERE region IN ('us-east-1','eu-west-2') AND Identifier = 'abc' AND id > 'x' \
             AND (data__InstanceId = 'a' OR data__InstanceId IN ('b', 'a'))",
        ))
        .unwrap();
        assert_eq!(t.params.len(), 2);
        assert_eq!(t.params[0].name, "data__Identifier");
        assert_eq!(t.params[0].values, ["abc"]);
        assert_eq!(t.params[1].name, "data__InstanceId");
        assert_eq!(t.params[1].values, ["a", "b"]);
        assert_eq!(t.removed.len(), 2);
        // region is a column: it stays.
        assert_eq!(
            t.rest.unwrap().to_string(),
            "region IN ('us-east-1', 'eu-west-2') AND id > 'x'"
        );
    }

    #[test]
    fn reversed_qualified_and_string_function() {
        let t = take_params(where_of(
            "SELECT * FROM t WHERE 'us-east-1' = i.region AND (i.data__Identifier = string('abc'))",
        ))
        .unwrap();
        assert_eq!(t.params[0].qualifier.as_deref(), Some("i"));
        assert_eq!(t.params[0].values, ["abc"]);
        assert_eq!(t.rest.unwrap().to_string(), "'us-east-1' = i.region");
    }

    #[test]
    fn identifier_mixed_under_or_is_an_error() {
        for sql in [
            "SELECT * FROM t WHERE data__Identifier = 'a' OR region = 'us-east-1'",
            "SELECT * FROM t WHERE data__Identifier = 'a' OR data__InstanceId = 'b'",
            "SELECT * FROM t WHERE NOT data__Identifier = 'a'",
        ] {
            let err = take_params(where_of(sql)).unwrap_err();
            assert!(err.to_string().contains("top-level AND-ed"), "{err}");
        }
    }

    #[test]
    fn non_literal_identifier_is_an_error() {
        assert!(take_params(where_of("SELECT * FROM t WHERE data__Identifier = id")).is_err());
        assert!(take_params(where_of("SELECT * FROM t WHERE data__Identifier = 5")).is_err());
        // A double-quoted word is an identifier, not a string.
        assert!(take_params(where_of("SELECT * FROM t WHERE data__Identifier = \"abc\"")).is_err());
    }
}
