//! Predicates a source can use before the engine sees its rows.
//!
//! Exact, simple predicates of the WHERE clause — `name = 'x'`,
//! `name IN ('a','b')`, `name LIKE 'Sales%'` (LIKE is case-sensitive in
//! connectql) — on one source's fields become SearchCriteria where Connect
//! can evaluate them, and filter items before per-item calls. They only
//! ever save calls: the whole WHERE clause still runs in the engine over
//! what was fetched, and a pushed predicate keeps every row the engine
//! would keep (Connect's comparison is the same or looser).

use sqlparser::ast::{BinaryOperator, Expr, Value};

use crate::catalog::{Comparison, Criteria, Field, FieldType, ResourceType, SearchValue};
use crate::sql::params::{as_string_literal, conjuncts};

/// A test on one field's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// Equal to one of these.
    Equals(Vec<String>),
    /// Starts with this.
    Prefix(String),
    /// Contains this.
    Contains(String),
}

impl Test {
    /// Evaluates the test as the engine would (BINARY collation, LIKE
    /// case-sensitive).
    pub fn holds(&self, value: &serde_json::Value) -> bool {
        let Some(s) = value.as_str() else {
            return false;
        };
        match self {
            Test::Equals(values) => values.iter().any(|v| v == s),
            Test::Prefix(p) => s.starts_with(p.as_str()),
            Test::Contains(p) => s.contains(p.as_str()),
        }
    }
}

/// A predicate on one field of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predicate {
    /// Index into the resource's fields.
    pub field: usize,
    pub test: Test,
}

impl Predicate {
    /// The predicate as Connect SearchCriteria, when the field is
    /// searchable and Connect accepts the comparison.
    pub fn criteria(&self, resource: &ResourceType) -> Option<Criteria> {
        let field: &Field = resource.fields.get(self.field)?;
        let key = field.search?;
        let value = |v: &str| -> Option<String> {
            match key.value {
                SearchValue::AsIs => Some(v.to_string()),
                SearchValue::IdOfArn => {
                    // Only the ARNs of that kind have that id; anything else
                    // is left to the engine.
                    let (_, id) = v.rsplit_once('/')?;
                    (v.starts_with("arn:") && !id.is_empty()).then(|| id.to_string())
                }
            }
        };
        let one = |v: &str, comparison| {
            Some(Criteria::String {
                field_name: key.field_name,
                value: value(v)?,
                comparison,
            })
        };
        match &self.test {
            Test::Equals(values) => {
                let all: Option<Vec<Criteria>> =
                    values.iter().map(|v| one(v, Comparison::Exact)).collect();
                let mut all = all?;
                if all.len() == 1 {
                    all.pop()
                } else {
                    Some(Criteria::Or(all))
                }
            }
            Test::Prefix(p) if key.value == SearchValue::AsIs && !p.is_empty() => {
                one(p, Comparison::StartsWith)
            }
            Test::Contains(p) if key.contains && (2..=25).contains(&p.chars().count()) => {
                one(p, Comparison::Contains)
            }
            _ => None,
        }
    }
}

/// The pushable predicates of a WHERE clause for one source. `owns`
/// answers whether an unqualified column name belongs to this source (it
/// does when this is the only source with a field of that name).
pub fn predicates(
    selection: Option<&Expr>,
    qualifier: &str,
    resource: &ResourceType,
    owns: &dyn Fn(&str) -> bool,
) -> Vec<Predicate> {
    let Some(selection) = selection else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    conjuncts(selection.clone(), &mut parts);
    parts
        .iter()
        .filter_map(|e| predicate(e, qualifier, resource, owns))
        .collect()
}

/// The field a column reference names, if it is one of this source's
/// text fields.
fn column(
    expr: &Expr,
    qualifier: &str,
    resource: &ResourceType,
    owns: &dyn Fn(&str) -> bool,
) -> Option<usize> {
    let name = match expr {
        Expr::Identifier(i) if i.quote_style != Some('\'') && owns(&i.value) => &i.value,
        Expr::CompoundIdentifier(parts) if parts.len() == 2 => {
            if !parts[0].value.eq_ignore_ascii_case(qualifier) {
                return None;
            }
            &parts[1].value
        }
        Expr::Nested(inner) => return column(inner, qualifier, resource, owns),
        _ => return None,
    };
    let index = resource.field_index(name)?;
    (resource.fields[index].ty == FieldType::String).then_some(index)
}

fn predicate(
    expr: &Expr,
    qualifier: &str,
    resource: &ResourceType,
    owns: &dyn Fn(&str) -> bool,
) -> Option<Predicate> {
    match expr {
        Expr::Nested(inner) => predicate(inner, qualifier, resource, owns),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } => {
            let (field, value) = match (
                column(left, qualifier, resource, owns),
                column(right, qualifier, resource, owns),
            ) {
                (Some(f), None) => (f, right),
                (None, Some(f)) => (f, left),
                _ => return None,
            };
            Some(Predicate {
                field,
                test: Test::Equals(vec![literal(value)?]),
            })
        }
        Expr::InList {
            expr,
            list,
            negated: false,
        } => {
            let field = column(expr, qualifier, resource, owns)?;
            let values: Option<Vec<String>> = list.iter().map(literal).collect();
            let values = values?;
            (!values.is_empty()).then_some(Predicate {
                field,
                test: Test::Equals(values),
            })
        }
        Expr::Like {
            negated: false,
            any: false,
            expr,
            pattern,
            escape_char: None,
        } => {
            let field = column(expr, qualifier, resource, owns)?;
            like_test(&literal(pattern)?, '%', '_').map(|test| Predicate { field, test })
        }
        _ => None,
    }
}

/// A single-quoted string literal (never a column in disguise).
fn literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s.clone()),
            _ => None,
        },
        Expr::Nested(inner) => literal(inner),
        Expr::Function(_) => as_string_literal(expr),
        _ => None,
    }
}

/// `abc%` → prefix, `%abc%` → contains, `abc` → equals; anything with a
/// wildcard elsewhere is left to the engine.
fn like_test(pattern: &str, many: char, one: char) -> Option<Test> {
    if pattern.contains(one) {
        return None;
    }
    let inner = pattern.trim_start_matches(many).trim_end_matches(many);
    if inner.contains(many) || inner.is_empty() {
        return None;
    }
    let starts = pattern.starts_with(many);
    let ends = pattern.ends_with(many);
    Some(match (starts, ends) {
        (false, false) => Test::Equals(vec![inner.to_string()]),
        (false, true) => Test::Prefix(inner.to_string()),
        (true, true) => Test::Contains(inner.to_string()),
        (true, false) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::table;
    use crate::sql::parse_one;
    use sqlparser::ast::{SetExpr, Statement};

    fn preds(sql: &str) -> (Vec<Predicate>, &'static ResourceType) {
        let users = table("aws.connect.users").unwrap().resource;
        let Statement::Query(q) = parse_one(sql).unwrap() else {
            panic!()
        };
        let SetExpr::Select(s) = *q.body else {
            panic!()
        };
        (
            predicates(s.selection.as_ref(), "u", users, &|_| true),
            users,
        )
    }

    #[test]
    fn simple_predicates_are_found() {
        let (p, users) = preds(
            "SELECT * FROM x u WHERE username = 'jdoe' AND u.routing_profile_arn IN ('arn:aws:connect:us-east-1:123456789012:instance/i/routing-profile/rp1') \
             AND directory_user_id LIKE 'ab%' AND (username LIKE '%oe%') AND username LIKE 'a_b%' AND tags = 'x' AND v.username = 'no'",
        );
        assert_eq!(p.len(), 4, "{p:?}");
        let username = users.field_index("username").unwrap();
        assert_eq!(
            p[0],
            Predicate {
                field: username,
                test: Test::Equals(vec!["jdoe".into()])
            }
        );
        assert_eq!(
            p[0].criteria(users).unwrap().to_json().to_string(),
            r#"{"StringCondition":{"FieldName":"Username","Value":"jdoe","ComparisonType":"EXACT"}}"#
        );
        assert_eq!(
            p[1].criteria(users).unwrap().to_json()["StringCondition"]["Value"],
            "rp1"
        );
        // directory_user_id is not searchable: a prefilter only.
        assert!(p[2].criteria(users).is_none());
        assert_eq!(p[2].test, Test::Prefix("ab".into()));
        // Username is not a name/description field: no CONTAINS.
        assert!(p[3].criteria(users).is_none());
    }

    #[test]
    fn tests_hold_like_the_engine() {
        assert!(Test::Prefix("Sal".into()).holds(&"Sales".into()));
        assert!(!Test::Prefix("sal".into()).holds(&"Sales".into()));
        assert!(!Test::Equals(vec!["a".into()]).holds(&serde_json::Value::Null));
        assert_eq!(like_test("%", '%', '_'), None);
        assert_eq!(like_test("a%b", '%', '_'), None);
        assert_eq!(
            like_test("ab", '%', '_'),
            Some(Test::Equals(vec!["ab".into()]))
        );
    }
}
