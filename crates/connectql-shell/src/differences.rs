//! `aws.connect.instance_differences`: the difference between two
//! instances' configuration, as a table ordinary SQL filters and groups.
//!
//! ```text
//!  statement ──plan──▶ DiffPlan ─┬─ reads: per instance and kind, a SELECT the planner plans
//!                                │          (the catalog's calls, the session cache)
//!                                └─ query: the user's text, the table replaced by a local one
//!  run:  executor.fetch(reads) ──▶ Names (ARN/id → name) ──▶ differences() ──▶ engine(query)
//!  EXPLAIN prints the same plan's reads.
//! ```
//!
//! * **What is compared** is the catalog's: the kinds with a
//!   [`ResourceType::matched_by`] field (items match by it: a user's
//!   username, others' name), and of those the fields
//!   [`catalog::Field::compared`] says (never the item's id or ARN, never
//!   what changes by itself, declared [`catalog::Compare::Ignored`]).
//! * **References compare by name.** Every value a field declares as a
//!   reference ([`Reference`]) becomes the name of what it points to; any
//!   ARN or id of a known item inside a JSON value or a flow's content
//!   becomes a `kind:name` token. So two instances with equal configuration
//!   have no difference although every id differs. The kinds whose names a
//!   compared kind needs (its references, [`catalog::Compare::Mentions`],
//!   every kind for flow content) are read too, by name only (a listing).
//! * **`resource_type` predicates bound the kinds read**, as `region`
//!   predicates bound regions (`sql::scope`): AND intersects, OR unites,
//!   and a part that mentions no column but `resource_type` is evaluated by
//!   SQLite over the finite domain of compared kinds; anything else reads
//!   every kind. SQLite still runs the whole statement over the rows.
//!
//! Matching ([`by_name`]), reference mapping ([`Names`],
//! [`comparable`]) and the difference itself ([`differences`]) are
//! functions over rows, for a copy to reuse.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::ControlFlow;

use serde_json::Value;
use sqlparser::ast::{
    visit_expressions, visit_relations, BinaryOperator, Expr, ObjectName, Query, Select, SetExpr,
    Statement, TableFactor,
};

use crate::catalog::derived::{
    DIFFERENCE_PARAMS, SOURCE_INSTANCE, SOURCE_PROFILE, TARGET_INSTANCE, TARGET_PROFILE,
};
use crate::catalog::{self, Compare, Field, Reference, ResourceType, Scope, Table};
use crate::connect_api::ApiErrorKind;
use crate::engine::{Engine, ResultSet};
use crate::error::Error;
use crate::executor::{Executor, Row};
use crate::outcome::Outcome;
use crate::sql::local::LocalTable;
use crate::sql::params::{as_string_literal, conjuncts};
use crate::sql::planner::{self, SelectPlan, SourceSpec};
use crate::sql::resolve::PlanContext;
use crate::sql::scope::DomainCheck;
use crate::sql::text::{Edit, SourceText};

/// The column the kinds are bounded by.
const RESOURCE_TYPE: &str = "resource_type";
/// The engine's table of differences.
const ENGINE_TABLE: &str = "differences0";

/// Which instance of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Source,
    Target,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Source => "source",
            Role::Target => "target",
        }
    }
}

/// One instance as the statement names it.
#[derive(Debug, Clone)]
pub struct Side {
    pub role: Role,
    /// ARN, id or alias, as written.
    pub instance: String,
    pub profile: Option<String>,
}

/// One kind read in one instance: whole (compared) or by name only.
#[derive(Debug, Clone)]
pub struct KindRead {
    pub role: Role,
    pub resource: &'static ResourceType,
    pub compared: bool,
    /// Planned by the SELECT planner: the calls the catalog's plans make.
    pub source: SourceSpec,
}

/// The plan of a statement reading `aws.connect.instance_differences`:
/// what runs and what EXPLAIN prints.
#[derive(Debug, Clone)]
pub struct DiffPlan {
    pub sides: [Side; 2],
    /// The kinds compared, in the catalog's order.
    pub kinds: Vec<&'static ResourceType>,
    pub reads: Vec<KindRead>,
    /// The user's statement over the engine table of differences (its
    /// other tables planned as usual).
    pub query: SelectPlan,
}

/// How an item differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffKind {
    OnlyInSource,
    OnlyInTarget,
    Differs,
}

impl DiffKind {
    pub fn name(self) -> &'static str {
        match self {
            DiffKind::OnlyInSource => "only_in_source",
            DiffKind::OnlyInTarget => "only_in_target",
            DiffKind::Differs => "differs",
        }
    }
}

/// One row of `instance_differences`.
#[derive(Debug, Clone)]
pub struct Difference {
    pub resource: &'static ResourceType,
    pub name: String,
    pub kind: DiffKind,
    /// The field; `None` for a whole item.
    pub property: Option<&'static str>,
    pub source: Value,
    pub target: Value,
}

// ---------------------------------------------------------------------------
// Functions over rows (matching, reference mapping, difference).

/// The items of one instance that can be named: ARN and id → (kind, name).
#[derive(Debug, Default, Clone)]
pub struct Names {
    refs: HashMap<String, (&'static str, String)>,
}

impl Names {
    /// Adds the rows of `resource` (rows in the catalog's field order).
    pub fn add(&mut self, resource: &'static ResourceType, rows: &[Row]) {
        let name_field = resource.matched_by.unwrap_or(resource.name_field);
        let (Some(name_at), Some(id_at)) = (
            resource.field_index(name_field),
            resource.field_index(resource.id_field),
        ) else {
            return;
        };
        let arn_at = resource.arn_field.and_then(|f| resource.field_index(f));
        for row in rows {
            let Some(name) = row.get(name_at).and_then(Value::as_str) else {
                continue;
            };
            for at in [Some(id_at), arn_at].into_iter().flatten() {
                if let Some(key) = row.get(at).and_then(Value::as_str) {
                    self.refs
                        .insert(key.to_string(), (resource.singular, name.to_string()));
                }
            }
        }
    }

    /// The name of the item of `kind` an ARN or id names.
    pub fn name_of(&self, kind: &str, value: &str) -> Option<&str> {
        self.refs
            .get(value)
            .filter(|(k, _)| *k == kind)
            .map(|(_, n)| n.as_str())
    }

    /// The (kind, name) of the item an ARN or id names.
    pub fn item_of(&self, value: &str) -> Option<(&'static str, &str)> {
        self.refs.get(value).map(|(k, n)| (*k, n.as_str()))
    }

    /// `kind:name` for an ARN or id of any known item.
    pub fn token(&self, value: &str) -> Option<String> {
        self.refs.get(value).map(|(k, n)| format!("{k}:{n}"))
    }

    /// Every ARN or id of a known item inside `text` (delimited by
    /// characters no ARN or id has) as its `kind:name` token.
    pub fn tokens_in(&self, text: &str) -> String {
        replace_words(text, |word| self.token(word))
    }

    /// Every string of a JSON value that is a known ARN or id, as its token.
    fn map_strings(&self, value: &Value, inside: bool) -> Value {
        match value {
            Value::String(s) if inside => Value::String(self.tokens_in(s)),
            Value::String(s) => Value::String(self.token(s).unwrap_or_else(|| s.clone())),
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| self.map_strings(v, inside)).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.map_strings(v, inside)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// `text` with each word that could be an ARN or id (a run of the
/// characters they are made of) replaced by `with`'s answer, when it has
/// one; the rest kept byte for byte.
pub fn replace_words(text: &str, mut with: impl FnMut(&str) -> Option<String>) -> String {
    let is_part = |c: char| c.is_ascii_alphanumeric() || ":/._-".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_part) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let end = run.find(|c: char| !is_part(c)).unwrap_or(run.len());
        let word = &run[..end];
        match with(word) {
            Some(t) => out.push_str(&t),
            None => out.push_str(word),
        }
        rest = &run[end..];
    }
    out.push_str(rest);
    out
}

/// The items of one instance by the value of their matching field; a
/// second item with a name already seen is returned apart.
pub fn by_name<'r>(
    resource: &ResourceType,
    rows: &'r [Row],
) -> (BTreeMap<String, &'r Row>, Vec<String>) {
    let mut items = BTreeMap::new();
    let mut repeated = Vec::new();
    let at = resource
        .matched_by
        .and_then(|f| resource.field_index(f))
        .or_else(|| resource.field_index(resource.name_field));
    for row in rows {
        let Some(name) = at.and_then(|i| row.get(i)).and_then(Value::as_str) else {
            continue;
        };
        if items.contains_key(name) {
            repeated.push(name.to_string());
        } else {
            items.insert(name.to_string(), row);
        }
    }
    (items, repeated)
}

/// A field's value as compared: references as the names of what they
/// point to, lists of references and top-level lists in a stable order
/// (Connect's association lists are sets), absent and empty alike.
pub fn comparable(field: &Field, value: &Value, names: &Names) -> Value {
    let name = |s: &str, kind: &str| {
        names
            .name_of(kind, s)
            .map(str::to_string)
            .unwrap_or_else(|| s.to_string())
    };
    let mapped = match (field.reference, value) {
        (Reference::Arn(kind) | Reference::Id(kind), Value::String(s)) => {
            Value::String(name(s, kind))
        }
        (Reference::Arns(kind), Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Value::String(name(s, kind)),
                    other => other.clone(),
                })
                .collect(),
        ),
        (_, Value::String(s)) if field.compare == Compare::Content => {
            match serde_json::from_str::<Value>(s) {
                Ok(json) => {
                    let json = positional_actions(&json);
                    Value::String(names.map_strings(&json, true).to_string())
                }
                Err(_) => Value::String(names.tokens_in(s)),
            }
        }
        (_, other) => names.map_strings(&without(other, field.ignored_members), false),
    };
    match mapped {
        Value::Null => Value::Null,
        Value::String(s) if s.is_empty() => Value::Null,
        Value::Array(a) if a.is_empty() => Value::Null,
        Value::Object(o) if o.is_empty() => Value::Null,
        Value::Array(mut items) => {
            items.sort_by_cached_key(Value::to_string);
            Value::Array(items)
        }
        other => other,
    }
}

/// A JSON value without the members (at any depth) named `ignored`.
fn without(value: &Value, ignored: &[&str]) -> Value {
    if ignored.is_empty() {
        return value.clone();
    }
    match value {
        Value::Array(items) => Value::Array(items.iter().map(|v| without(v, ignored)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !ignored.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), without(v, ignored)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A flow's content with its actions' own identifiers (random per flow,
/// named by `StartAction`, transitions and metadata keys) replaced by
/// their position: two flows with the same blocks compare equal.
fn positional_actions(content: &Value) -> Value {
    let ids: HashMap<String, String> = content
        .get("Actions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, a)| {
            a.get("Identifier")
                .and_then(Value::as_str)
                .map(|id| (id.to_string(), format!("action#{}", i + 1)))
        })
        .collect();
    fn walk(v: &Value, ids: &HashMap<String, String>) -> Value {
        let rename = |s: &String| ids.get(s).cloned().unwrap_or_else(|| s.clone());
        match v {
            Value::String(s) => Value::String(rename(s)),
            Value::Array(items) => Value::Array(items.iter().map(|i| walk(i, ids)).collect()),
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (rename(k), walk(v, ids))).collect())
            }
            other => other.clone(),
        }
    }
    if ids.is_empty() {
        content.clone()
    } else {
        walk(content, &ids)
    }
}

/// The differences of one kind between two instances' rows (each in the
/// catalog's field order), items matched by name, fields compared after
/// mapping references with each instance's own names.
pub fn differences(
    resource: &'static ResourceType,
    source: &[Row],
    target: &[Row],
    source_names: &Names,
    target_names: &Names,
) -> (Vec<Difference>, Vec<String>) {
    let (left, left_repeated) = by_name(resource, source);
    let (right, right_repeated) = by_name(resource, target);
    let mut warnings = Vec::new();
    for (role, repeated) in [("source", left_repeated), ("target", right_repeated)] {
        if !repeated.is_empty() {
            warnings.push(format!(
                "the {role} instance has more than one {} named {}: the first is compared",
                resource.singular,
                repeated.join(", ")
            ));
        }
    }
    let whole = |name: &str, kind| Difference {
        resource,
        name: name.to_string(),
        kind,
        property: None,
        source: Value::Null,
        target: Value::Null,
    };
    let names: BTreeSet<&String> = left.keys().chain(right.keys()).collect();
    let mut out = Vec::new();
    for name in names {
        match (left.get(name), right.get(name)) {
            (Some(_), None) => out.push(whole(name, DiffKind::OnlyInSource)),
            (None, Some(_)) => out.push(whole(name, DiffKind::OnlyInTarget)),
            (Some(a), Some(b)) => {
                for (i, field) in resource.fields.iter().enumerate() {
                    if !field.compared(resource) {
                        continue;
                    }
                    let null = Value::Null;
                    let a = comparable(field, a.get(i).unwrap_or(&null), source_names);
                    let b = comparable(field, b.get(i).unwrap_or(&null), target_names);
                    if a != b {
                        out.push(Difference {
                            resource,
                            name: name.clone(),
                            kind: DiffKind::Differs,
                            property: Some(field.name),
                            source: a,
                            target: b,
                        });
                    }
                }
            }
            (None, None) => {}
        }
    }
    (out, warnings)
}

/// The kinds whose names the compared fields of `resource` need.
pub fn named_kinds(resource: &ResourceType) -> Vec<&'static ResourceType> {
    let mut out: Vec<&'static ResourceType> = Vec::new();
    let mut add = |r: &'static ResourceType| {
        if r.scope == Scope::Instance && !out.iter().any(|o| std::ptr::eq(*o, r)) {
            out.push(r);
        }
    };
    for f in resource.fields.iter().filter(|f| f.compared(resource)) {
        if let Reference::Arn(kind) | Reference::Arns(kind) | Reference::Id(kind) = f.reference {
            if let Some(r) = catalog::resource_type(kind) {
                add(r);
            }
        }
        match f.compare {
            Compare::Mentions(kinds) => kinds
                .iter()
                .filter_map(|k| catalog::resource_type(k))
                .for_each(&mut add),
            Compare::Content => catalog::compared_resources().for_each(&mut add),
            Compare::Compared | Compare::Ignored => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Planning.

fn is_differences(name: &ObjectName) -> bool {
    matches!(planner::resolve_table(name), Ok(Some(t)) if t.derived)
}

pub fn differences_table() -> &'static Table {
    catalog::table(&format!(
        "{}.{}",
        catalog::SERVICE_PATH,
        catalog::derived::INSTANCE_DIFFERENCES.plural
    ))
    .expect("declared in the catalog")
}

/// The SELECT whose FROM reads the table, and the table's factor.
fn find_select(query: &Query) -> Option<(&Select, &TableFactor)> {
    if let Some(with) = &query.with {
        for cte in &with.cte_tables {
            if let Some(found) = find_select(&cte.query) {
                return Some(found);
            }
        }
    }
    find_in_body(&query.body)
}

fn find_in_body(body: &SetExpr) -> Option<(&Select, &TableFactor)> {
    match body {
        SetExpr::Select(s) => {
            for t in &s.from {
                for factor in
                    std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation))
                {
                    if let Some(found) = find_in_factor(s, factor) {
                        return Some(found);
                    }
                }
            }
            None
        }
        SetExpr::Query(q) => find_select(q),
        SetExpr::SetOperation { left, right, .. } => {
            find_in_body(left).or_else(|| find_in_body(right))
        }
        _ => None,
    }
}

fn find_in_factor<'a>(
    select: &'a Select,
    factor: &'a TableFactor,
) -> Option<(&'a Select, &'a TableFactor)> {
    match factor {
        TableFactor::Table { name, .. } if is_differences(name) => Some((select, factor)),
        TableFactor::Derived { subquery, .. } => find_select(subquery),
        TableFactor::NestedJoin {
            table_with_joins, ..
        } => std::iter::once(&table_with_joins.relation)
            .chain(table_with_joins.joins.iter().map(|j| &j.relation))
            .find_map(|f| find_in_factor(select, f)),
        _ => None,
    }
}

/// The param a column reference names (bare or qualified by the table).
fn param_of(expr: &Expr, qualifier: &str) -> Option<&'static str> {
    let name = match expr {
        Expr::Identifier(i) => &i.value,
        Expr::CompoundIdentifier(parts) if parts.len() == 2 => {
            if !parts[0].value.eq_ignore_ascii_case(qualifier) {
                return None;
            }
            &parts[1].value
        }
        Expr::Nested(inner) => return param_of(inner, qualifier),
        _ => return None,
    };
    DIFFERENCE_PARAMS
        .iter()
        .find(|p| {
            p.name.eq_ignore_ascii_case(name)
                || p.synonyms.iter().any(|s| s.eq_ignore_ascii_case(name))
        })
        .map(|p| p.name)
}

/// Plans a query that reads `aws.connect.instance_differences`; `None`
/// when it does not. `known_account` gives the account a profile has
/// been seen to reach (the session's reads so far).
pub fn plan(
    text: &str,
    statement: &Statement,
    ctx: &PlanContext,
    known_account: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<DiffPlan>, Error> {
    let mut count = 0;
    let _ = visit_relations(statement, |name| {
        if is_differences(name) {
            count += 1;
        }
        ControlFlow::<()>::Continue(())
    });
    if count == 0 {
        return Ok(None);
    }
    let table = differences_table();
    if count > 1 {
        return Err(Error::Unsupported(format!(
            "{} more than once in a statement (read it once, in a CTE, and use that)",
            table.id
        )));
    }
    let Statement::Query(query) = statement else {
        return Err(Error::Unsupported(format!(
            "changing {}: it is computed from two instances' reads",
            table.id
        )));
    };
    let Some((select, factor)) = find_select(query) else {
        return Err(Error::Unsupported(format!(
            "{} outside a FROM clause: read it in the FROM of a SELECT, a derived table or a CTE",
            table.id
        )));
    };
    let TableFactor::Table { name, alias, .. } = factor else {
        unreachable!("find_in_factor returns table factors")
    };
    let source_text = SourceText::new(text);
    let qualifier = alias
        .as_ref()
        .map(|a| a.name.value.clone())
        .unwrap_or_else(|| table.name.to_string());

    // The params: AND-ed equalities with a string each.
    let mut values: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut edits = Vec::new();
    let mut rest = Vec::new();
    let mut parts = Vec::new();
    if let Some(selection) = &select.selection {
        conjuncts(selection.clone(), &mut parts);
    }
    for part in &parts {
        let taken = match part {
            Expr::BinaryOp {
                left,
                op: BinaryOperator::Eq,
                right,
            } => param_of(left, &qualifier)
                .map(|p| (p, right.as_ref()))
                .or_else(|| param_of(right, &qualifier).map(|p| (p, left.as_ref()))),
            _ => None,
        };
        let Some((param, value)) = taken else {
            rest.push(part);
            continue;
        };
        let Some(value) = as_string_literal(value) else {
            return Err(Error::InvalidParam {
                param: param.to_string(),
                message: format!("takes a quoted string: {param} = '...'"),
            });
        };
        if values.insert(param, value).is_some() {
            return Err(Error::InvalidParam {
                param: param.to_string(),
                message: "is given twice; compare one pair of instances at a time".into(),
            });
        }
        let Some((start, end)) = source_text.extent(part) else {
            return Err(Error::Unsupported(format!("`{param}` in this layout")));
        };
        edits.push(Edit {
            start,
            end,
            text: "1".into(),
        });
    }
    for part in &rest {
        let mut named = None;
        let _ = visit_expressions(*part, |e| {
            named = param_of(e, &qualifier);
            if named.is_some() {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        if let Some(param) = named {
            return Err(Error::InvalidParam {
                param: param.to_string(),
                message: format!(
                    "is a param, not a column: AND it with the rest of the WHERE clause ({param} = '...')"
                ),
            });
        }
    }
    let method = table
        .method_for(catalog::SqlVerb::Select)
        .expect("a SELECT method");
    let mut side = |role: Role, instance: &'static str, profile: &'static str| {
        let Some(value) = values.remove(instance) else {
            return Err(Error::MissingParam {
                param: instance,
                method: method.name,
                resource: table.id.clone(),
                example: method.example.to_string(),
            });
        };
        let profile = values
            .remove(profile)
            .or_else(|| profile_of_account(&value, ctx, known_account));
        Ok(Side {
            role,
            instance: value,
            profile,
        })
    };
    let sides = [
        side(Role::Source, SOURCE_INSTANCE, SOURCE_PROFILE)?,
        side(Role::Target, TARGET_INSTANCE, TARGET_PROFILE)?,
    ];

    // The kinds the predicates allow.
    let domain: Vec<&'static ResourceType> = catalog::compared_resources().collect();
    let allowed = match &select.selection {
        Some(selection) => {
            let mut analysis = KindAnalysis::new(&source_text, &qualifier);
            analysis.kinds(selection, &domain)?
        }
        None => Kinds::Any,
    };
    let kinds: Vec<&'static ResourceType> = domain
        .into_iter()
        .filter(|r| match &allowed {
            Kinds::Any => true,
            Kinds::Only(set) => set.contains(r.singular),
        })
        .collect();
    let mut named: Vec<&'static ResourceType> = Vec::new();
    for k in &kinds {
        for r in named_kinds(k) {
            if !kinds
                .iter()
                .chain(named.iter())
                .any(|o| std::ptr::eq(*o, r))
            {
                named.push(r);
            }
        }
    }
    let mut reads = Vec::new();
    for s in &sides {
        for (resource, compared) in kinds
            .iter()
            .map(|r| (*r, true))
            .chain(named.iter().map(|r| (*r, false)))
        {
            reads.push(KindRead {
                role: s.role,
                resource,
                compared,
                source: read_plan(s, resource, compared, ctx)?,
            });
        }
    }

    // The user's statement over the table of differences.
    let (start, end) = source_text
        .name_range(name)
        .ok_or_else(|| Error::Unsupported(format!("{} in this layout", table.id)))?;
    edits.push(Edit {
        start,
        end,
        text: match alias {
            Some(_) => ENGINE_TABLE.to_string(),
            None => format!("{ENGINE_TABLE} AS {}", table.name),
        },
    });
    let edited = source_text.edited(edits)?;
    let mut query = planner::plan_query(&edited, crate::sql::parse_one(&edited)?, ctx)?;
    query.locals.push(LocalTable {
        table: ENGINE_TABLE.into(),
        columns: table.fields().iter().map(|f| f.name.to_string()).collect(),
        rows: Vec::new(),
    });
    Ok(Some(DiffPlan {
        sides,
        kinds,
        reads,
        query,
    }))
}

/// The one configured profile that reaches the account an instance ARN
/// names (by its settings, or as seen by the session's reads): an ARN
/// names its account as it names its region. `None` (the session's
/// credentials) for an id or alias, or when no profile or several do.
fn profile_of_account(
    instance: &str,
    ctx: &PlanContext,
    known_account: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let account = catalog::arn_account(instance)?;
    let matching: Vec<&str> = ctx
        .profiles
        .as_ref()?
        .iter()
        .filter(|p| {
            p.account
                .clone()
                .or_else(|| known_account(&p.name))
                .as_deref()
                == Some(account)
        })
        .map(|p| p.name.as_str())
        .collect();
    match matching.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// One kind's read in one instance, planned as the SELECT a user would
/// write: the compared fields (or the names only) in that instance.
pub fn read_plan(
    side: &Side,
    resource: &'static ResourceType,
    compared: bool,
    ctx: &PlanContext,
) -> Result<SourceSpec, Error> {
    let mut columns: Vec<&str> = [
        Some(resource.id_field),
        resource.arn_field,
        Some(resource.matched_by.unwrap_or(resource.name_field)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if compared {
        columns.extend(
            resource
                .fields
                .iter()
                .filter(|f| f.compared(resource))
                .map(|f| f.name),
        );
    }
    columns.dedup();
    let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let mut sql = format!(
        "SELECT {} FROM {}.{} WHERE {} = {}",
        columns.join(", "),
        catalog::SERVICE_PATH,
        resource.plural,
        catalog::INSTANCE_ID,
        quote(&side.instance)
    );
    if let Some(p) = &side.profile {
        sql.push_str(&format!(" AND {} = {}", catalog::PROFILE, quote(p)));
    }
    let statement = crate::sql::parse_one(&sql)?;
    let mut plan = planner::plan_query(&sql, statement, ctx).map_err(|e| match e {
        Error::InvalidParam { param, message } => Error::InvalidParam {
            param: format!("{} ({param})", side.role.name()),
            message,
        },
        other => other,
    })?;
    Ok(plan.sources.remove(0))
}

/// The kinds a predicate allows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kinds {
    Any,
    Only(BTreeSet<&'static str>),
}

impl Kinds {
    fn and(self, other: Kinds) -> Kinds {
        match (self, other) {
            (Kinds::Any, x) | (x, Kinds::Any) => x,
            (Kinds::Only(a), Kinds::Only(b)) => Kinds::Only(&a & &b),
        }
    }
    fn or(self, other: Kinds) -> Kinds {
        match (self, other) {
            (Kinds::Only(mut a), Kinds::Only(b)) => {
                a.extend(b);
                Kinds::Only(a)
            }
            _ => Kinds::Any,
        }
    }
}

/// `resource_type` predicates evaluated by SQLite over the compared kinds
/// (the style of `sql::scope`'s regions).
struct KindAnalysis<'t> {
    text: &'t SourceText,
    qualifier: &'t str,
    check: DomainCheck<'t>,
}

impl<'t> KindAnalysis<'t> {
    fn new(text: &'t SourceText, qualifier: &'t str) -> Self {
        KindAnalysis {
            text,
            qualifier,
            check: DomainCheck::new(text),
        }
    }

    fn is_column(&self, e: &Expr) -> bool {
        is_kind_column(self.qualifier, e)
    }

    fn kinds(&mut self, expr: &Expr, domain: &[&'static ResourceType]) -> Result<Kinds, Error> {
        match expr {
            Expr::Nested(inner) => self.kinds(inner, domain),
            Expr::BinaryOp {
                left,
                op: BinaryOperator::And,
                right,
            } => Ok(self.kinds(left, domain)?.and(self.kinds(right, domain)?)),
            Expr::BinaryOp {
                left,
                op: BinaryOperator::Or,
                right,
            } => {
                let left = self.kinds(left, domain)?;
                if left == Kinds::Any {
                    return Ok(Kinds::Any);
                }
                Ok(left.or(self.kinds(right, domain)?))
            }
            _ if self.evaluable(expr) => {
                let mut out = BTreeSet::new();
                for r in domain {
                    if self.holds(expr, r.singular)? {
                        out.insert(r.singular);
                    }
                }
                Ok(Kinds::Only(out))
            }
            _ => Ok(Kinds::Any),
        }
    }

    /// Mentions the column, and nothing else that varies by row.
    fn evaluable(&self, expr: &Expr) -> bool {
        let mentioned = visit_expressions(expr, |e| {
            if self.is_column(e) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .is_break();
        mentioned && DomainCheck::evaluable(expr, |e| self.is_column(e))
    }

    fn holds(&mut self, expr: &Expr, kind: &str) -> Result<bool, Error> {
        let (qualifier, text) = (self.qualifier, self.text);
        let is_column = |e: &Expr| is_kind_column(qualifier, e);
        self.check
            .holds(expr, is_column, Some(kind))
            .map_err(|e| Error::InvalidParam {
                param: RESOURCE_TYPE.into(),
                message: format!(
                    "the predicate `{}` cannot be evaluated (SQLite: {e})",
                    text.of_expr(expr)
                ),
            })
    }
}

/// `resource_type`, bare or qualified by the table's alias.
fn is_kind_column(qualifier: &str, e: &Expr) -> bool {
    match e {
        Expr::Identifier(i) => i.value.eq_ignore_ascii_case(RESOURCE_TYPE),
        Expr::CompoundIdentifier(parts) if parts.len() == 2 => {
            parts[0].value.eq_ignore_ascii_case(qualifier)
                && parts[1].value.eq_ignore_ascii_case(RESOURCE_TYPE)
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Running and explaining.

/// Says which of the two a missing instance is: the source or the target
/// (both are read alike, so the executor's error cannot tell).
pub fn of_side(e: Error, role: Role) -> Error {
    match e {
        Error::Api(mut api)
            if api.kind == ApiErrorKind::NotFound
                && api
                    .subject
                    .as_deref()
                    .is_some_and(|s| s.starts_with("instance `")) =>
        {
            api.subject = api.subject.map(|s| format!("{} {s}", role.name()));
            if api.message == "no such instance" {
                api.message = format!("no such {} instance", role.name());
            }
            Error::Api(api)
        }
        other => other,
    }
}

/// Both instances' reads, as fetched: the names each side's items go by,
/// each read's rows, what was missing.
pub struct BothRead {
    pub names: [Names; 2],
    pub reads: Vec<crate::executor::Fetched>,
    pub warnings: Vec<String>,
    /// Some read was not whole: the differences may be wrong.
    pub partial: bool,
    /// The rows of the user's other tables (`plan.query`'s sources),
    /// fetched beside both instances' reads.
    pub others: Vec<crate::executor::Fetched>,
}

impl BothRead {
    /// The rows of `resource` read whole (compared) in one instance.
    pub fn rows_of(&self, plan: &DiffPlan, role: Role, resource: &ResourceType) -> &[Row] {
        plan.reads
            .iter()
            .zip(&self.reads)
            .find(|(r, _)| r.compared && r.role == role && std::ptr::eq(r.resource, resource))
            .map(|(_, f)| f.rows.as_slice())
            .unwrap_or(&[])
    }

    /// Every row of `resource` read in one instance (whole or by name).
    pub fn any_rows_of(&self, plan: &DiffPlan, role: Role, resource: &ResourceType) -> &[Row] {
        let whole = self.rows_of(plan, role, resource);
        if !whole.is_empty() {
            return whole;
        }
        plan.reads
            .iter()
            .zip(&self.reads)
            .find(|(r, _)| r.role == role && std::ptr::eq(r.resource, resource))
            .map(|(_, f)| f.rows.as_slice())
            .unwrap_or(&[])
    }
}

/// The index of a role in `[source, target]` pairs.
pub fn at(role: Role) -> usize {
    match role {
        Role::Source => 0,
        Role::Target => 1,
    }
}

/// Reads both instances, kind by kind, as the plan says, and the user's
/// other tables, all concurrently.
pub async fn read_both(plan: &DiffPlan, executor: &Executor) -> Result<BothRead, Error> {
    let (reads, others) = futures::future::try_join(
        futures::future::try_join_all(plan.reads.iter().map(|r| async move {
            let fetched = executor.fetch(&r.source).await;
            fetched.map_err(|e| of_side(e, r.role))
        })),
        futures::future::try_join_all(plan.query.sources.iter().map(|s| executor.fetch(s))),
    )
    .await?;
    let mut both = BothRead {
        names: [Names::default(), Names::default()],
        reads: Vec::new(),
        warnings: Vec::new(),
        partial: false,
        others,
    };
    for (read, fetched) in plan.reads.iter().zip(&reads) {
        if fetched.partial {
            both.partial = true;
            both.warnings.push(format!(
                "the {} instance's {} were not read whole: the differences may be wrong",
                read.role.name(),
                read.resource.plural.replace('_', " ")
            ));
        }
        both.warnings.extend(fetched.warnings.iter().cloned());
        both.names[at(read.role)].add(read.resource, &fetched.rows);
    }
    both.reads = reads;
    Ok(both)
}

/// The rows of the table of differences (its columns in order) for the
/// plan's kinds, grouped by kind name, then item name and field order.
pub fn difference_rows(
    plan: &DiffPlan,
    both: &BothRead,
) -> (Vec<Vec<Option<String>>>, Vec<String>) {
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    let mut kinds = plan.kinds.clone();
    kinds.sort_by_key(|r| r.singular);
    for resource in &kinds {
        let (found, w) = differences(
            resource,
            both.rows_of(plan, Role::Source, resource),
            both.rows_of(plan, Role::Target, resource),
            &both.names[0],
            &both.names[1],
        );
        warnings.extend(w);
        rows.extend(found.into_iter().map(|d| {
            let text = |v: Value| match v {
                Value::Null => None,
                Value::String(s) => Some(s),
                other => Some(other.to_string()),
            };
            vec![
                Some(d.resource.singular.to_string()),
                Some(d.name),
                Some(d.kind.name().to_string()),
                d.property.map(str::to_string),
                text(d.source),
                text(d.target),
            ]
        }));
    }
    (rows, warnings)
}

/// The user's statement over the differences' rows (and its other
/// tables' rows, fetched with both instances' reads).
pub async fn query_differences(
    plan: &DiffPlan,
    rows: Vec<Vec<Option<String>>>,
    others: Vec<crate::executor::Fetched>,
    engine: &Engine,
    outcome: &mut Outcome,
) -> Result<ResultSet, Error> {
    let mut query = plan.query.clone();
    if let Some(local) = query.locals.iter_mut().find(|l| l.table == ENGINE_TABLE) {
        local.rows = rows;
    }
    let mut data = Vec::with_capacity(others.len());
    for f in others {
        outcome.warnings.extend(f.warnings);
        outcome.partial |= f.partial;
        data.push(f.rows);
    }
    engine.run(&query, data).await
}

/// Reads both instances, computes the differences and runs the user's
/// statement over them.
pub async fn run(plan: &DiffPlan, executor: &Executor, engine: &Engine) -> Result<Outcome, Error> {
    engine.check(&plan.query).await?;
    let mut both = read_both(plan, executor).await?;
    let mut outcome = Outcome {
        partial: both.partial,
        warnings: both.warnings.clone(),
        ..Outcome::default()
    };
    let (rows, warnings) = difference_rows(plan, &both);
    outcome.warnings.extend(warnings);
    let others = std::mem::take(&mut both.others);
    outcome.result = Some(query_differences(plan, rows, others, engine, &mut outcome).await?);
    Ok(outcome)
}

/// EXPLAIN: each instance's reads, kind by kind, as their compiled steps
/// (what [`run`] makes the executor do), then the engine's SQL.
pub fn explain(plan: &DiffPlan, executor: &Executor) -> ResultSet {
    let mut calls = Vec::new();
    for read in &plan.reads {
        let side = &plan.sides[match read.role {
            Role::Source => 0,
            Role::Target => 1,
        }];
        let from = calls.len();
        crate::explain::explain_source(executor, &read.source, &mut calls);
        let what = format!(
            "{} '{}': {}",
            side.role.name(),
            side.instance,
            if read.compared {
                format!("{} (compared)", read.resource.plural)
            } else {
                format!("{} (names only, for references)", read.resource.plural)
            }
        );
        for c in &mut calls[from..] {
            c.note = if c.note.is_empty() {
                what.clone()
            } else {
                format!("{what}; {}", c.note)
            };
        }
        // Each instance is found once: the session cache answers the
        // other kinds' look-ups, so they are printed once.
        let mut i = from;
        while i < calls.len() {
            let seen = calls[..from].iter().any(|c| {
                c.operation == calls[i].operation
                    && c.region == calls[i].region
                    && c.parameters == calls[i].parameters
            });
            if seen && calls[i].operation == catalog::Op::ListInstances {
                calls.remove(i);
            } else {
                i += 1;
            }
        }
    }
    for source in &plan.query.sources {
        crate::explain::explain_source(executor, source, &mut calls);
    }
    crate::explain::to_result_set(&calls, Some(plan.query.sql.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resource(name: &str) -> &'static ResourceType {
        catalog::resource_type(name).expect("a resource")
    }

    /// A row of `resource` with these fields set.
    fn row(resource: &ResourceType, values: &[(&str, Value)]) -> Row {
        let mut row = vec![Value::Null; resource.fields.len()];
        for (f, v) in values {
            row[resource.field_index(f).expect("a field")] = v.clone();
        }
        row
    }

    const I1: &str = "arn:aws:connect:us-east-1:111111111111:instance/i1";
    const I2: &str = "arn:aws:connect:eu-west-2:222222222222:instance/i2";

    fn hours(instance: &str, id: &str, name: &str) -> Row {
        row(
            resource("hours_of_operation"),
            &[
                ("id", json!(id)),
                (
                    "hours_of_operation_arn",
                    json!(format!("{instance}/operating-hours/{id}")),
                ),
                ("name", json!(name)),
            ],
        )
    }

    fn queue(instance: &str, id: &str, name: &str, hours_id: &str, max: i64) -> Row {
        row(
            resource("queue"),
            &[
                ("id", json!(id)),
                ("queue_arn", json!(format!("{instance}/queue/{id}"))),
                ("name", json!(name)),
                (
                    "hours_of_operation_arn",
                    json!(format!("{instance}/operating-hours/{hours_id}")),
                ),
                ("max_contacts", json!(max)),
                ("instance_arn", json!(instance)),
                (
                    "last_modified_time",
                    json!(format!("2026-01-0{max}T00:00:00Z")),
                ),
            ],
        )
    }

    fn names(hours_rows: &[Row], queues: &[Row]) -> Names {
        let mut n = Names::default();
        n.add(resource("hours_of_operation"), hours_rows);
        n.add(resource("queue"), queues);
        n
    }

    #[test]
    fn references_compare_by_name_and_what_changes_by_itself_is_left_out() {
        let q = resource("queue");
        let h1 = [hours(I1, "h-a", "Basic"), hours(I1, "h-b", "Weekend")];
        let h2 = [hours(I2, "x-1", "Basic"), hours(I2, "x-2", "Weekend")];
        // Same names and hours, other ids, instances and timestamps.
        let left = [
            queue(I1, "q1", "Billing", "h-a", 1),
            queue(I1, "q2", "Sales", "h-a", 1),
        ];
        let right = [
            queue(I2, "z1", "Billing", "x-1", 2),
            queue(I2, "z3", "Support", "x-2", 2),
        ];
        let (found, warnings) =
            differences(q, &left, &right, &names(&h1, &left), &names(&h2, &right));
        assert!(warnings.is_empty());
        let rows: Vec<(String, &str, Option<&str>, Value, Value)> = found
            .into_iter()
            .map(|d| (d.name, d.kind.name(), d.property, d.source, d.target))
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "Billing".into(),
                    "differs",
                    Some("max_contacts"),
                    json!(1),
                    json!(2)
                ),
                (
                    "Sales".into(),
                    "only_in_source",
                    None,
                    Value::Null,
                    Value::Null
                ),
                (
                    "Support".into(),
                    "only_in_target",
                    None,
                    Value::Null,
                    Value::Null
                ),
            ]
        );
        // Another hours of operation is a difference, by name.
        let moved = [queue(I2, "z1", "Billing", "x-2", 1)];
        let (found, _) = differences(
            q,
            &left[..1],
            &moved,
            &names(&h1, &left),
            &names(&h2, &moved),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].property, Some("hours_of_operation_arn"));
        assert_eq!(
            (&found[0].source, &found[0].target),
            (&json!("Basic"), &json!("Weekend"))
        );
    }

    #[test]
    fn flow_content_names_items_and_numbers_its_actions() {
        let content = resource("contact_flow").field("content").unwrap();
        let h1 = [hours(I1, "h-a", "Basic")];
        let h2 = [hours(I2, "x-1", "Basic")];
        let q1 = [queue(I1, "q1", "Billing", "h-a", 1)];
        let q2 = [queue(I2, "z1", "Billing", "x-1", 1)];
        let text = |start: &str, queue: &str| {
            json!({"StartAction": start, "Actions": [
                {"Identifier": start, "Parameters": {"QueueId": queue},
                 "Transitions": {"NextAction": format!("{start}-end")}},
                {"Identifier": format!("{start}-end"), "Parameters": {}}
            ], "Metadata": {"ActionMetadata": {start: {"x": 1}}}})
            .to_string()
        };
        let a = comparable(
            content,
            &json!(text("aaa", &format!("{I1}/queue/q1"))),
            &names(&h1, &q1),
        );
        let b = comparable(
            content,
            &json!(text("bbb", &format!("{I2}/queue/z1"))),
            &names(&h2, &q2),
        );
        assert_eq!(a, b);
        assert!(
            a.as_str()
                .unwrap()
                .contains("\"QueueId\":\"queue:Billing\""),
            "{a}"
        );
        assert!(a.as_str().unwrap().contains("action#2"), "{a}");
        // An id the instance does not have stays as it is: a difference.
        let c = comparable(
            content,
            &json!(text("ccc", &format!("{I2}/queue/gone"))),
            &names(&h2, &q2),
        );
        assert_ne!(a, c);
    }

    #[test]
    fn ids_inside_text_become_tokens_and_lists_compare_as_sets() {
        let h = [hours(I1, "h-a", "Basic")];
        let n = names(&h, &[]);
        assert_eq!(
            n.tokens_in("go to h-a, not h-ab: x/h-a"),
            "go to hours_of_operation:Basic, not h-ab: x/h-a"
        );
        let rp = resource("routing_profile");
        let assoc = rp.field("associated_queue_arns").unwrap();
        let q = [
            queue(I1, "q1", "A", "h-a", 1),
            queue(I1, "q2", "B", "h-a", 1),
        ];
        let n = names(&h, &q);
        let one = comparable(
            assoc,
            &json!([format!("{I1}/queue/q2"), format!("{I1}/queue/q1")]),
            &n,
        );
        assert_eq!(one, json!(["A", "B"]));
        // Absent and empty alike.
        assert_eq!(comparable(assoc, &json!([]), &n), Value::Null);
    }

    #[test]
    fn kinds_are_bounded_by_what_sqlite_says_of_each() {
        let domain: Vec<&'static ResourceType> = catalog::compared_resources().collect();
        let kinds_of = |where_clause: &str| {
            let sql = format!("SELECT 1 FROM t WHERE {where_clause}");
            let text = SourceText::new(&sql);
            let Statement::Query(q) = crate::sql::parse_one(&sql).unwrap() else {
                panic!()
            };
            let SetExpr::Select(s) = q.body.as_ref() else {
                panic!()
            };
            let mut a = KindAnalysis::new(&text, "d");
            match a.kinds(s.selection.as_ref().unwrap(), &domain).unwrap() {
                Kinds::Any => None,
                Kinds::Only(set) => Some(set.into_iter().collect::<Vec<_>>()),
            }
        };
        assert_eq!(kinds_of("resource_type = 'queue'"), Some(vec!["queue"]));
        assert_eq!(
            kinds_of("upper(d.resource_type) = 'QUEUE'"),
            Some(vec!["queue"])
        );
        assert_eq!(
            kinds_of("resource_type IN ('user', 'queue') AND name = 'x'"),
            Some(vec!["queue", "user"])
        );
        assert_eq!(
            kinds_of("resource_type = 'queue' OR resource_type = 'prompt'"),
            Some(vec!["prompt", "queue"])
        );
        assert_eq!(
            kinds_of("resource_type = 'queue' AND resource_type = 'user'"),
            Some(vec![])
        );
        assert_eq!(kinds_of("resource_type = 'queue' OR name = 'x'"), None);
        assert_eq!(
            kinds_of("resource_type <> 'queue'").map(|k| k.len()),
            Some(domain.len() - 1)
        );
    }
}
