//! Predicates a source can use before the engine sees its rows.
//!
//! Exact, simple predicates of the WHERE clause — `name = 'x'`,
//! `name IN ('a','b')`, `name LIKE 'Sales%'` (LIKE is case-sensitive in
//! connectql) — on one source's fields become SearchCriteria where Connect
//! can evaluate them, and filter items before per-item calls. They only
//! ever save calls: the whole WHERE clause still runs in the engine over
//! what was fetched, so a pushed predicate must keep every row the engine
//! would keep — a superset under every reading Connect's documentation
//! allows.
//!
//! ## What Connect documents (botocore's Connect model, `StringCondition`
//! and the `*SearchCriteria` shapes), and what follows from it
//!
//! * `StringCondition` has `FieldName`, `Value` and `ComparisonType`
//!   (`EXACT`, `STARTS_WITH`, `CONTAINS`). The admin guide calls the
//!   comparison case-insensitive; the model does not say, and the local
//!   endpoint compares `EXACT` case-sensitively. Either way, for ASCII
//!   text a case-insensitive or a case-sensitive `EXACT`/`STARTS_WITH`/
//!   `CONTAINS` keeps every value the engine's case-sensitive `=` / `LIKE`
//!   keeps: pushed.
//! * Connect documents no folding rule for text outside ASCII, and Unicode
//!   has several: lower-casing is context-dependent (`ΟΔΟΣ` lower-cases to
//!   `οδος` alone but to `οδοσ…` at the start of `ΟΔΟΣΟΣ`, so a lowered
//!   prefix need not be a prefix of the lowered name), full case folding
//!   maps `ß` to `ss`, and normalisation forms are not mentioned. A value
//!   with a non-ASCII character is therefore never pushed.
//! * `name` and `description` take `CONTAINS` with 2 to 25 characters;
//!   "queries with character lengths outside of this range will throw
//!   invalid results": a `LIKE '%x%'` outside it is not pushed.
//! * Connect documents no bound on the number of conditions, the length of
//!   a value or the size of a request body; real services have them (the
//!   local endpoint refuses bodies over 1 MiB). connectql stays within
//!   conservative ones ([`MAX_CONDITIONS`], [`MAX_VALUE_CHARS`],
//!   [`MAX_CRITERIA_BYTES`]): past them it pushes less, or nothing, and the
//!   engine (and the prefilter) do the filtering — an optimisation never
//!   turns an answer into an error.

use sqlparser::ast::{BinaryOperator, Expr, Value};

use crate::catalog::{Comparison, Criteria, Field, FieldType, ResourceType, SearchValue};
use crate::sql::params::{as_string_literal, conjuncts};

/// At most this many `StringCondition`s in one request's SearchCriteria.
pub const MAX_CONDITIONS: usize = 100;
/// At most this many characters in one pushed value (the longest search
/// text Connect's model bounds, `SearchText`, is 128).
pub const MAX_VALUE_CHARS: usize = 128;
/// At most this many bytes of SearchCriteria JSON in one request.
pub const MAX_CRITERIA_BYTES: usize = 16 * 1024;

/// Whether a value may be sent to Connect: ASCII only (no documented
/// folding rule otherwise) and within [`MAX_VALUE_CHARS`].
fn pushable_value(v: &str) -> bool {
    v.is_ascii() && v.len() <= MAX_VALUE_CHARS
}

/// Whether a SearchCriteria stays within the request limits connectql
/// keeps to (conditions and body size).
pub fn within_limits(c: &Criteria) -> bool {
    leaves(c) <= MAX_CONDITIONS && c.to_json().to_string().len() <= MAX_CRITERIA_BYTES
}

/// The number of `StringCondition`s in a criteria tree.
fn leaves(c: &Criteria) -> usize {
    match c {
        Criteria::And(all) | Criteria::Or(all) => all.iter().map(leaves).sum(),
        Criteria::String { .. } => 1,
    }
}

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
            if !pushable_value(v) {
                return None;
            }
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
                let one = if all.len() == 1 {
                    all.pop()?
                } else {
                    Criteria::Or(all)
                };
                within_limits(&one).then_some(one)
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
        // `x = 'a' OR x = 'b'` is `x IN ('a', 'b')`; an OR with anything
        // else (another column, a LIKE pattern) bounds nothing.
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Or,
            right,
        } => {
            let left = predicate(left, qualifier, resource, owns)?;
            let right = predicate(right, qualifier, resource, owns)?;
            match (left.test, right.test) {
                (Test::Equals(mut values), Test::Equals(more)) if left.field == right.field => {
                    for v in more {
                        if !values.contains(&v) {
                            values.push(v);
                        }
                    }
                    Some(Predicate {
                        field: left.field,
                        test: Test::Equals(values),
                    })
                }
                _ => None,
            }
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
    fn or_ed_equalities_on_one_field_are_an_in_list() {
        let (p, users) = preds(
            "SELECT * FROM x u WHERE (u.instance_alias = 'a' OR instance_alias IN ('b', 'a')) \
             AND (username = 'x' OR u.instance_alias = 'c') \
             AND (instance_alias = 'd' OR instance_alias LIKE 'e%') \
             AND NOT (instance_alias = 'f' OR instance_alias = 'g')",
        );
        assert_eq!(
            p,
            [Predicate {
                field: users.field_index("instance_alias").unwrap(),
                test: Test::Equals(vec!["a".into(), "b".into()])
            }]
        );
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

    fn queue_name(test: Test) -> Option<Criteria> {
        let queues = table("aws.connect.queues").unwrap().resource;
        Predicate {
            field: queues.field_index("name").unwrap(),
            test,
        }
        .criteria(queues)
    }

    #[test]
    fn non_ascii_values_are_not_pushed() {
        // Connect documents no folding rule beyond ASCII.
        assert!(queue_name(Test::Prefix("ΟΔΟΣ".into())).is_none());
        assert!(queue_name(Test::Contains("straße".into())).is_none());
        assert!(queue_name(Test::Equals(vec!["Sales".into(), "Café".into()])).is_none());
        assert!(queue_name(Test::Prefix("Sales".into())).is_some());
        assert!(queue_name(Test::Equals(vec!["Sales".into()])).is_some());
    }

    #[test]
    fn contains_keeps_to_two_to_twenty_five_characters() {
        assert!(queue_name(Test::Contains("a".into())).is_none());
        assert!(queue_name(Test::Contains("ab".into())).is_some());
        assert!(queue_name(Test::Contains("a".repeat(25))).is_some());
        assert!(queue_name(Test::Contains("a".repeat(26))).is_none());
    }

    #[test]
    fn pushed_criteria_stay_within_request_limits() {
        let names = |n: usize| (0..n).map(|i| format!("queue-{i:05}")).collect::<Vec<_>>();
        let at_limit = queue_name(Test::Equals(names(MAX_CONDITIONS))).unwrap();
        assert!(within_limits(&at_limit));
        assert!(queue_name(Test::Equals(names(MAX_CONDITIONS + 1))).is_none());
        assert!(queue_name(Test::Equals(names(20_000))).is_none());
        assert!(queue_name(Test::Equals(vec!["x".repeat(MAX_VALUE_CHARS + 1)])).is_none());
        assert!(queue_name(Test::Equals(vec!["x".repeat(MAX_VALUE_CHARS)])).is_some());
        // Many long values: within the count, over the byte bound.
        let long: Vec<String> = (0..MAX_CONDITIONS)
            .map(|i| format!("{i:03}{}", "x".repeat(MAX_VALUE_CHARS - 3)))
            .collect();
        assert!(queue_name(Test::Equals(long)).is_none());
    }
}
