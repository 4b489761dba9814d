//! Required params from the WHERE clause.
//!
//! A param is a top-level AND-ed predicate of the form `name = 'value'` or
//! `name IN ('a', 'b')` (either side of `=`), optionally qualified by a
//! table alias. `region` is also a real column, so its predicates stay in the
//! SQL; the statement-only params (`data__Identifier`, `data__PatchDocument`
//! and their synonyms) are taken out before the SQL reaches the engine.

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Query, Value, Visit,
    Visitor,
};

use crate::catalog;
use crate::error::Error;

pub const REGION: &str = "region";

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
    if ident.eq_ignore_ascii_case(REGION) {
        Some(REGION)
    } else {
        catalog::canonical_param(ident)
    }
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

/// A string literal, also `string('...')` (StackQL's spelling) and a
/// double-quoted word (SQLite reads an unknown "x" as a string too).
pub fn as_string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some(s.clone()),
            _ => None,
        },
        Expr::Identifier(i) if i.quote_style == Some('"') => Some(i.value.clone()),
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

/// Reads one conjunct as a param predicate.
fn as_param_predicate(expr: &Expr) -> Result<Option<ParamPredicate>, Error> {
    match expr {
        Expr::Nested(inner) => as_param_predicate(inner),
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
                return if param.1 == REGION {
                    Ok(None)
                } else {
                    Err(Error::InvalidParam {
                        param: param.1.to_string(),
                        message: format!(
                            "compare it with a quoted string, e.g. {} = '<value>'",
                            param.1
                        ),
                    })
                };
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
                _ if param.1 == REGION => Ok(None),
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
                    if name != REGION {
                        self.found = Some(name);
                        return ControlFlow::Break(());
                    }
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

/// Takes the params out of a WHERE clause. Returns them with the WHERE
/// clause the engine should run (statement-only params removed).
pub fn take_params(selection: Option<Expr>) -> Result<(Vec<ParamPredicate>, Option<Expr>), Error> {
    let Some(selection) = selection else {
        return Ok((Vec::new(), None));
    };
    let mut parts = Vec::new();
    conjuncts(selection, &mut parts);
    let mut params = Vec::new();
    let mut kept = Vec::new();
    for part in parts {
        match as_param_predicate(&part)? {
            Some(p) if p.name == REGION => {
                params.push(p);
                kept.push(part);
            }
            Some(p) => params.push(p),
            None => {
                if let Some(name) = mentions_statement_param(&part) {
                    return Err(Error::InvalidParam {
                        param: name.to_string(),
                        message: format!(
                            "`{name}` is a param, not a column: use it only in a top-level AND-ed \
                             `{name} = '...'` or `{name} IN ('...', '...')` predicate of the WHERE clause \
                             (found in `{part}`)"
                        ),
                    });
                }
                kept.push(part);
            }
        }
    }
    Ok((params, and_all(kept)))
}

/// The WHERE clause without its `region` param predicates. The fetch
/// reads only those regions, so they hold for every fetched row; keeping
/// them would make an unqualified `region` ambiguous in a join.
pub fn without_region_params(selection: Option<Expr>) -> Option<Expr> {
    let mut parts = Vec::new();
    conjuncts(selection?, &mut parts);
    and_all(
        parts
            .into_iter()
            .filter(|p| !matches!(as_param_predicate(p), Ok(Some(q)) if q.name == REGION))
            .collect(),
    )
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
    fn takes_eq_and_in_params() {
        let (params, rest) = take_params(where_of(
            "SELECT * FROM t WHERE region IN ('us-east-1','eu-west-2') AND Identifier = 'abc' AND id > 'x'",
        ))
        .unwrap();
        assert_eq!(params.len(), 2);
        assert_eq!(params[0].name, "region");
        assert_eq!(params[0].values, ["us-east-1", "eu-west-2"]);
        assert_eq!(params[1].name, "data__Identifier");
        assert_eq!(params[1].values, ["abc"]);
        assert_eq!(
            rest.unwrap().to_string(),
            "region IN ('us-east-1', 'eu-west-2') AND id > 'x'"
        );
    }

    #[test]
    fn reversed_qualified_and_string_function() {
        let (params, rest) = take_params(where_of(
            "SELECT * FROM t WHERE 'us-east-1' = i.region AND (i.data__Identifier = string('abc'))",
        ))
        .unwrap();
        assert_eq!(params[0].qualifier.as_deref(), Some("i"));
        assert_eq!(params[1].values, ["abc"]);
        assert_eq!(rest.unwrap().to_string(), "'us-east-1' = i.region");
    }

    #[test]
    fn identifier_under_or_is_an_error() {
        let err = take_params(where_of(
            "SELECT * FROM t WHERE data__Identifier = 'a' OR region = 'us-east-1'",
        ))
        .unwrap_err();
        assert!(err.to_string().contains("top-level AND-ed"), "{err}");
    }

    #[test]
    fn non_literal_identifier_is_an_error() {
        assert!(take_params(where_of("SELECT * FROM t WHERE data__Identifier = id")).is_err());
        assert!(take_params(where_of("SELECT * FROM t WHERE data__Identifier = 5")).is_err());
    }
}
