//! The copy: `UPDATE aws.connect.instance_differences SET target_value =
//! source_value WHERE …` makes the target instance match the source for
//! the differences the WHERE clause selects.
//!
//! ```text
//!  statement ──plan──▶ CopyPlan: the difference's plan (differences.rs), the target read fresh,
//!                      every kind's names in both instances, on-demand whole reads of the source
//!  run:  read ─▶ differences ─▶ SQLite selects rows ─▶ items to create / fields to set
//!        ─▶ references mapped (source ARN/id → name → target ARN/id, or the new item's)
//!        ─▶ waves: each call after the creates of the new items it names ─▶ confirm ─▶ calls
//! ```
//!
//! * **The difference is the plan.** A row `only_in_source` creates the
//!   item, a row `differs` sets that property, a row `only_in_target` is
//!   left alone (a copy never deletes). Run again after it converged, the
//!   selected differences are gone and the copy makes no write call.
//! * **Dependencies come along.** An item a copied item references that
//!   the target lacks is created too (and said to be); what cannot be
//!   created or mapped (a Lambda function of the source's region or
//!   account, an item of the source connectql does not copy, a prompt's
//!   audio or a user's password, which Connect never returns) is listed
//!   before any write, with the row of `aws.connect.copy_mappings` that
//!   supplies it.
//! * **Order comes from the catalog.** Kinds are ordered by the
//!   references their create operations need ([`copy_order`]); a
//!   reference to a new item of a later kind that an update can set is
//!   set once that item exists; a flow whose content names a new item is
//!   created with a stub content first and given its content after. Each
//!   call goes out in the wave after the creates of the new items it
//!   names, so waves are as few as the references allow.
//! * **Writes are the change planner's.** Creates are planned by
//!   `contents::creates` and updates by `contents::writes` over synthetic
//!   rows, so each field goes through the operation the catalog names, and
//!   every request is checked before the first is sent.

use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Value};
use sqlparser::ast::{AssignmentTarget, Expr, Statement, TableFactor};

use crate::catalog::{
    self, Compare, Field, Reference, ResourceType, Source, Table, PROFILE, REGION,
};
use crate::connect_api::Place;
use crate::differences::{self, BothRead, DiffPlan, KindRead, Role};
use crate::engine::{Column, Engine, ResultSet};
use crate::error::Error;
use crate::executor::contents::{created_identity, WriteOutcome};
use crate::executor::{Executor, Row};
use crate::sql::change::contents::{
    self, instance_field, returning_plan, set_column, ContentsPlan, InsertColumn, PlannedWrite,
    Verb,
};
use crate::sql::resolve::{ItemRef, PlanContext};
use crate::sql::text::SourceText;

/// The one assignment a copy takes.
pub const COPY_SET: &str = "SET target_value = source_value";

/// The table of mappings a copy reads.
pub const MAPPINGS_TABLE: &str = "aws.connect.copy_mappings";

/// The plan of a copy: what runs and what EXPLAIN prints.
#[derive(Debug, Clone)]
pub struct CopyPlan {
    /// The difference, as `SELECT … FROM instance_differences WHERE <the
    /// copy's WHERE>` plans it; the target's reads are fresh, and every
    /// kind is read by name in both instances (what a reference may need).
    pub diff: DiffPlan,
    /// Whole reads of the source's other kinds, made only when a copied
    /// item needs an item of that kind that the target lacks.
    pub on_demand: Vec<KindRead>,
}

/// True for `aws.connect.instance_differences`.
fn is_differences(name: &sqlparser::ast::ObjectName) -> bool {
    name.to_string()
        .eq_ignore_ascii_case(&differences::differences_table().id)
}

/// True when a DELETE names a table `is` recognizes.
fn deletes_from(d: &sqlparser::ast::Delete, is: fn(&sqlparser::ast::ObjectName) -> bool) -> bool {
    let tables = match &d.from {
        sqlparser::ast::FromTable::WithFromKeyword(t)
        | sqlparser::ast::FromTable::WithoutKeyword(t) => t,
    };
    tables
        .iter()
        .any(|t| matches!(&t.relation, TableFactor::Table { name, .. } if is(name)))
}

/// Plans a copy, when `statement` changes `instance_differences`.
pub fn plan(
    text: &str,
    statement: &Statement,
    ctx: &PlanContext,
    known_account: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<CopyPlan>, Error> {
    let table = differences::differences_table();
    let (relation, assignments, returning, from_or_limit) = match statement {
        Statement::Update {
            table,
            assignments,
            from,
            returning,
            limit,
            ..
        } => (
            &table.relation,
            assignments,
            returning,
            from.is_some() || limit.is_some(),
        ),
        Statement::Delete(d) => {
            if deletes_from(d, is_differences) {
                return Err(Error::Refused(format!(
                    "DELETE FROM {}: a copy never deletes. To copy, UPDATE {} {COPY_SET} WHERE …; \
                     to delete what only the target has, DELETE FROM its table (e.g. DELETE FROM \
                     aws.connect.queues WHERE data__InstanceId = '<target>' AND name IN (…)); \
                     nothing was changed",
                    table.id, table.id
                )));
            }
            return Ok(None);
        }
        Statement::Insert(i) => {
            if let sqlparser::ast::TableObject::TableName(name) = &i.table {
                if is_differences(name) {
                    return Err(Error::Refused(format!(
                        "INSERT INTO {}: its rows are computed from two instances. To copy, \
                         UPDATE {} {COPY_SET} WHERE …; nothing was changed",
                        table.id, table.id
                    )));
                }
            }
            return Ok(None);
        }
        _ => return Ok(None),
    };
    let TableFactor::Table { name, alias, .. } = relation else {
        return Ok(None);
    };
    if !is_differences(name) {
        return Ok(None);
    }
    let example = format!(
        "UPDATE {} {COPY_SET} WHERE data__SourceInstanceId = '<source>' AND \
         data__TargetInstanceId = '<target>' [AND resource_type = 'queue' AND name = '…']",
        table.id
    );
    let copies = match assignments.as_slice() {
        [one] => {
            let target = match &one.target {
                AssignmentTarget::ColumnName(n) => {
                    n.0.last()
                        .map(|i| i.to_string().trim_matches('"').to_lowercase())
                }
                _ => None,
            };
            let value = match &one.value {
                Expr::Identifier(i) => Some(i.value.to_lowercase()),
                Expr::CompoundIdentifier(parts) => parts.last().map(|i| i.value.to_lowercase()),
                _ => None,
            };
            target.as_deref() == Some("target_value") && value.as_deref() == Some("source_value")
        }
        _ => false,
    };
    if !copies {
        return Err(Error::Refused(format!(
            "an UPDATE of {} copies the source's configuration into the target, and takes one \
             assignment: {COPY_SET}, e.g.\n  {example}; nothing was changed",
            table.id
        )));
    }
    if returning.is_some() || from_or_limit {
        return Err(Error::Unsupported(format!(
            "a copy with FROM, LIMIT or RETURNING; select the differences in the WHERE clause \
             and read the result with SELECT … FROM {}",
            table.id
        )));
    }
    let source_text = SourceText::new(text);
    let Some(selection) = source_text.change_clauses().and_then(|c| c.selection) else {
        return Err(Error::MissingParam {
            param: catalog::derived::SOURCE_INSTANCE,
            method: "copy",
            resource: table.id.clone(),
            example: example.clone(),
        });
    };
    let qualifier = match alias {
        Some(a) => format!(" AS {}", a.name),
        None => String::new(),
    };
    let sql = format!(
        "SELECT resource_type, name, kind, property FROM {}{qualifier} WHERE {selection}",
        table.id
    );
    let statement = crate::sql::parse_one(&sql)?;
    // A missing param is said with the copy's own example.
    let planned = differences::plan(&sql, &statement, ctx, known_account).map_err(|e| match e {
        Error::MissingParam {
            param, resource, ..
        } => Error::MissingParam {
            param,
            method: "copy",
            resource,
            example: example.clone(),
        },
        other => other,
    })?;
    let Some(mut diff) = planned else {
        return Ok(None);
    };
    // A change starts from the truth: the target is read fresh.
    for r in diff.reads.iter_mut().filter(|r| r.role == Role::Target) {
        r.source.fresh = true;
    }
    // Every kind by name in both instances: a reference (inside a flow
    // too) is mapped, or found missing, by the name of what it names.
    let mut on_demand = Vec::new();
    for side in diff.sides.clone() {
        for resource in catalog::compared_resources() {
            let read = diff
                .reads
                .iter()
                .any(|r| r.role == side.role && std::ptr::eq(r.resource, resource));
            if !read {
                let mut source = differences::read_plan(&side, resource, false, ctx)?;
                source.fresh = side.role == Role::Target;
                diff.reads.push(KindRead {
                    role: side.role,
                    resource,
                    compared: false,
                    source,
                });
            }
            if side.role == Role::Source && !diff.kinds.iter().any(|k| std::ptr::eq(*k, resource)) {
                on_demand.push(KindRead {
                    role: Role::Source,
                    resource,
                    compared: true,
                    source: differences::read_plan(&side, resource, true, ctx)?,
                });
            }
        }
    }
    Ok(Some(CopyPlan { diff, on_demand }))
}

// ---------------------------------------------------------------------------
// Order.

/// Whether a field's reference to a new item can wait for an update after
/// the creates (the create does not need it, and an operation sets it).
fn deferrable(r: &ResourceType, f: &Field) -> bool {
    !f.required && r.writes.changed_by(f.name).is_some()
}

/// The kinds a field of `r` names (declared references and mentions).
fn referenced_kinds(f: &Field) -> Vec<&'static ResourceType> {
    let mut out: Vec<&'static ResourceType> = Vec::new();
    if let Reference::Arn(k) | Reference::Arns(k) | Reference::Id(k) = f.reference {
        out.extend(catalog::resource_type(k));
    }
    if let Compare::Mentions(kinds) = f.compare {
        out.extend(kinds.iter().filter_map(|k| catalog::resource_type(k)));
    }
    out
}

/// The compared kinds in the order their items are created: a kind after
/// the kinds its create needs (references it cannot set later; a flow's
/// content is set later when it must be), the catalog's order otherwise.
pub fn copy_order() -> Vec<&'static ResourceType> {
    let kinds: Vec<&'static ResourceType> = catalog::compared_resources().collect();
    // What a kind's create names: all of it, or only what cannot wait.
    let needs = |r: &ResourceType, all: bool| -> Vec<&'static ResourceType> {
        r.fields
            .iter()
            .filter(|f| r.writes.created_with(f.name) && (all || !deferrable(r, f)))
            .flat_map(referenced_kinds)
            .filter(|k| !std::ptr::eq(*k, r) && kinds.iter().any(|x| std::ptr::eq(*x, *k)))
            .collect()
    };
    let mut out: Vec<&'static ResourceType> = Vec::new();
    while out.len() < kinds.len() {
        let placed = |k: &ResourceType| out.iter().any(|o| std::ptr::eq(*o, k));
        let ready = |all: bool| {
            kinds
                .iter()
                .find(|k| !placed(k) && needs(k, all).iter().all(|n| placed(n)))
        };
        // Everything a kind names before it; in a cycle, what can wait
        // waits (set once the item exists); else the catalog's order.
        let next = ready(true)
            .or_else(|| ready(false))
            .or_else(|| kinds.iter().find(|k| !placed(k)));
        out.extend(next.copied());
    }
    out
}

fn rank(order: &[&'static ResourceType], r: &ResourceType) -> usize {
    order
        .iter()
        .position(|o| std::ptr::eq(*o, r))
        .unwrap_or(order.len())
}

fn table_of(r: &ResourceType) -> Result<&'static Table, Error> {
    catalog::table(&format!("{}.{}", catalog::SERVICE_PATH, r.plural))
        .ok_or_else(|| Error::Engine(format!("internal: no table for {}", r.plural)))
}

// ---------------------------------------------------------------------------
// Mapping references.

/// Where an instance lives, from its ARN.
#[derive(Debug, Clone)]
pub struct TargetInstance {
    pub place: Place,
    pub id: String,
    pub arn: String,
    pub alias: String,
    pub identity: String,
}

/// A new item of the copy: created in the target, named by placeholders
/// until its create answers.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub resource: &'static ResourceType,
    pub name: String,
    /// Why it is created: selected, or needed by another item.
    pub needed_by: Option<String>,
    /// Set once its create answered.
    pub created: Option<(String, String)>,
}

const PLACEHOLDER: &str = "connectql-new-";

/// A new item's id or ARN until its create answers. An ARN's ends in its
/// id's (`connectql-new-3-arn/connectql-new-3-id`), as a real ARN ends in
/// its id: a request taking the id of an ARN (the part after the last `/`)
/// gets the new item's id once it is known, not its ARN.
fn placeholder(n: usize, arn: bool) -> String {
    if arn {
        format!("{PLACEHOLDER}{n}-arn/{PLACEHOLDER}{n}-id")
    } else {
        format!("{PLACEHOLDER}{n}-id")
    }
}

/// Every placeholder in a text, as (start, end, item, is ARN).
fn placeholders_in(text: &str) -> Vec<(usize, usize, usize, bool)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(PLACEHOLDER) {
        let start = from + at;
        let rest = &text[start + PLACEHOLDER.len()..];
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let tail = &rest[digits..];
        let (arn, len) = if tail.starts_with("-arn") {
            (true, 4)
        } else if tail.starts_with("-id") {
            (false, 3)
        } else {
            from = start + PLACEHOLDER.len();
            continue;
        };
        if let Ok(n) = rest[..digits].parse::<usize>() {
            let mut end = start + PLACEHOLDER.len() + digits + len;
            // An ARN's placeholder ends in its id's.
            let id_part = format!("/{}", placeholder(n, false));
            if arn && text[end..].starts_with(&id_part) {
                end += id_part.len();
            }
            out.push((start, end, n, arn));
            from = end;
        } else {
            from = start + PLACEHOLDER.len();
        }
    }
    out
}

/// A JSON value with every placeholder replaced by `with(item, is ARN)`
/// (`None`: left as it is).
fn replace_placeholders(v: &Value, with: &dyn Fn(usize, bool) -> Option<String>) -> Value {
    match v {
        Value::String(s) if s.contains(PLACEHOLDER) => {
            let mut out = String::with_capacity(s.len());
            let mut last = 0;
            for (start, end, n, arn) in placeholders_in(s) {
                out.push_str(&s[last..start]);
                match with(n, arn) {
                    Some(x) => out.push_str(&x),
                    None => out.push_str(&s[start..end]),
                }
                last = end;
            }
            out.push_str(&s[last..]);
            Value::String(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| replace_placeholders(i, with))
                .collect(),
        ),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), replace_placeholders(v, with)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The new items a value names.
fn new_items_in(v: &Value, out: &mut BTreeSet<usize>) {
    match v {
        Value::String(s) => out.extend(placeholders_in(s).into_iter().map(|(_, _, n, _)| n)),
        Value::Array(items) => items.iter().for_each(|i| new_items_in(i, out)),
        Value::Object(m) => m.values().for_each(|i| new_items_in(i, out)),
        _ => {}
    }
}

/// The parts of an ARN: (service, region, account, resource).
fn arn_parts(s: &str) -> Option<(&str, &str, &str, &str)> {
    let mut p = s.splitn(6, ':');
    let (Some("arn"), Some(_), Some(service), Some(region), Some(account), Some(resource)) =
        (p.next(), p.next(), p.next(), p.next(), p.next(), p.next())
    else {
        return None;
    };
    Some((service, region, account, resource))
}

/// Maps the source's references to the target's, finding what must be
/// created and what cannot be mapped.
struct Mapper<'a> {
    source_names: &'a differences::Names,
    /// The target's items: (kind, name) → (id, ARN).
    target: HashMap<(&'static str, String), (String, String)>,
    source_instance_arn: String,
    target_instance: &'a TargetInstance,
    mappings: &'a [(String, String)],
    new: Vec<NewItem>,
    /// The item being mapped, for `needed_by` and reports.
    current: String,
    /// What cannot be mapped: (what names it, the value, why).
    unmappable: Vec<(String, String, String)>,
}

impl Mapper<'_> {
    fn mapped(&self, value: &str) -> Option<&str> {
        self.mappings
            .iter()
            .rev()
            .find(|(s, _)| s == value)
            .map(|(_, t)| t.as_str())
    }

    /// The target's form of one source ARN or id (`None`: not a reference,
    /// left as it is).
    fn map_one(&mut self, s: &str) -> Option<String> {
        if let Some(t) = self.mapped(s) {
            return Some(t.to_string());
        }
        let is_arn = s.starts_with("arn:");
        if let Some((kind, name)) = self.source_names.item_of(s) {
            let name = name.to_string();
            if let Some((id, arn)) = self.target.get(&(kind, name.clone())) {
                return Some(if is_arn { arn.clone() } else { id.clone() });
            }
            let resource = catalog::resource_type(kind)?;
            let n = match self
                .new
                .iter()
                .position(|i| std::ptr::eq(i.resource, resource) && i.name == name)
            {
                Some(n) => n,
                None => {
                    self.new.push(NewItem {
                        resource,
                        name,
                        needed_by: Some(self.current.clone()),
                        created: None,
                    });
                    self.new.len() - 1
                }
            };
            return Some(placeholder(n, is_arn));
        }
        let (service, region, account, resource) = arn_parts(s)?;
        let target_arn = &self.target_instance.arn;
        let (t_region, t_account) = arn_parts(target_arn)
            .map(|(_, r, a, _)| (r, a))
            .unwrap_or_default();
        if service == "connect" {
            if s.starts_with(target_arn.as_str()) {
                return None;
            }
            let why = if s.starts_with(&format!("{}/", self.source_instance_arn)) {
                format!(
                    "{} of the source instance, which a copy does not create",
                    resource
                        .split('/')
                        .nth(2)
                        .unwrap_or("an item")
                        .replace('-', " ")
                )
            } else if resource.starts_with("phone-number/") {
                "a phone number, claimed by one instance".to_string()
            } else {
                "a Connect resource outside the target instance".to_string()
            };
            self.unmappable
                .push((self.current.clone(), s.to_string(), why));
            return None;
        }
        // Another service's resource (a Lambda function, a Lex bot, an S3
        // object): usable where it is if the target is in its place.
        if (region == t_region || region.is_empty()) && (account == t_account || account.is_empty())
        {
            return None;
        }
        let (s_region, s_account) = arn_parts(&self.source_instance_arn)
            .map(|(_, r, a, _)| (r, a))
            .unwrap_or_default();
        if region == s_region || account == s_account {
            let place = if account != t_account {
                format!("account {account}")
            } else {
                region.to_string()
            };
            self.unmappable.push((
                self.current.clone(),
                s.to_string(),
                format!(
                    "{} in {place}, and the target is in {}",
                    match service {
                        "lambda" => "a Lambda function",
                        "lex" => "a Lex bot",
                        "s3" => "an S3 object",
                        other => other,
                    },
                    if account != t_account {
                        format!("account {t_account}")
                    } else {
                        t_region.to_string()
                    }
                ),
            ));
        }
        None
    }

    /// A value of a field as the target takes it.
    fn map_value(&mut self, f: &Field, v: &Value) -> Value {
        match v {
            Value::String(s) if f.compare == Compare::Content => Value::String(self.map_text(s)),
            Value::String(s) => Value::String(self.map_one(s).unwrap_or_else(|| s.clone())),
            Value::Array(items) => {
                Value::Array(items.iter().map(|i| self.map_value(f, i)).collect())
            }
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), self.map_value(f, v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// Every ARN or id inside a text (a flow's content), mapped in place:
    /// the rest of the text is kept byte for byte.
    fn map_text(&mut self, text: &str) -> String {
        differences::replace_words(text, |word| self.map_one(word))
    }
}

// ---------------------------------------------------------------------------
// Preparing: the reads, the selection and the planned writes.

/// A copy ready to run: its writes in waves, with what it found.
#[derive(Debug)]
pub struct Prepared {
    pub target: TargetInstance,
    /// The calls, wave by wave: a call names only items the target has or
    /// earlier waves create.
    pub waves: Vec<Vec<(&'static Table, Vec<PlannedWrite>)>>,
    pub new: Vec<NewItem>,
    /// Each create's item: (its write's marker, the new item).
    pub creates: Vec<(String, usize)>,
    /// What the copy leaves, and why; what it adds.
    pub notes: Vec<String>,
    /// The differences the WHERE clause selected.
    pub selected: usize,
    pub warnings: Vec<String>,
}

impl Prepared {
    pub fn writes(&self) -> Vec<PlannedWrite> {
        self.waves
            .iter()
            .flatten()
            .flat_map(|(_, w)| w.iter().cloned())
            .collect()
    }

    /// The writes as people read them: a new item's id or ARN shows as
    /// `(new queue 'Billing')`.
    pub fn shown(&self) -> Vec<PlannedWrite> {
        let name = |n: usize, _arn: bool| {
            self.new.get(n).map(|i| {
                format!(
                    "(new {} '{}')",
                    i.resource.singular.replace('_', " "),
                    i.name
                )
            })
        };
        self.writes()
            .into_iter()
            .map(|mut w| {
                w.before = replace_placeholders(&w.before, &name);
                w.after = replace_placeholders(&w.after, &name);
                w.input = replace_placeholders(&w.input, &name);
                if w.item_arn.contains(PLACEHOLDER) {
                    w.item_arn = replace_placeholders(&Value::String(w.item_arn.clone()), &name)
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                }
                if let Some((_, n)) = self.creates.iter().find(|(m, _)| *m == w.item_arn) {
                    w.item_arn = name(*n, true).unwrap_or_default();
                }
                w
            })
            .collect()
    }
}

/// One item to write: created, or existing with fields to set.
struct ItemWrites {
    resource: &'static ResourceType,
    name: String,
    /// A new item's index, or None for an item the target has.
    new: Option<usize>,
    /// Create values by field index.
    create: Vec<(usize, Value)>,
    /// Field values set once the new items they name exist.
    set: Vec<(usize, Value)>,
    /// New items the create needs first.
    needs: BTreeSet<usize>,
}

/// A flow-language document that does nothing, for a flow created before
/// the items its content names.
fn stub_content(r: &ResourceType) -> Value {
    let end = if r.singular.contains("module") {
        "EndFlowModuleExecution"
    } else {
        "DisconnectParticipant"
    };
    Value::String(
        json!({
            "Version": "2019-10-30",
            "StartAction": "connectql-stub",
            "Actions": [{"Identifier": "connectql-stub", "Type": end, "Parameters": {}, "Transitions": {}}]
        })
        .to_string(),
    )
}

/// The value of a write-only field (a prompt's audio, a user's password)
/// for one item, from the mappings: `<field>:<name>`, else `<field>`.
fn write_only_value(mappings: &[(String, String)], f: &Field, name: &str) -> Option<String> {
    let one = format!("{}:{name}", f.name);
    mappings
        .iter()
        .rev()
        .find(|(s, _)| *s == one)
        .or_else(|| mappings.iter().rev().find(|(s, _)| s == f.name))
        .map(|(_, t)| t.clone())
}

fn is_write_only(f: &Field) -> bool {
    matches!(f.source, Source::Unavailable(_))
}

fn label(r: &ResourceType, name: &str) -> String {
    format!("{} '{name}'", r.singular.replace('_', " "))
}

/// Finds one of the two instances (its place, id and ARN) in its
/// regions' listings (the session cache's, as the reads found it).
async fn locate(plan: &DiffPlan, role: Role, executor: &Executor) -> Result<TargetInstance, Error> {
    let side = &plan.sides[differences::at(role)];
    let wanted = ItemRef::parse(
        catalog::instance_resource(),
        catalog::INSTANCE_ID,
        &side.instance,
    )?;
    let mut regions: Vec<String> = Vec::new();
    for r in plan.reads.iter().filter(|r| r.role == role) {
        for region in &r.source.targets.regions {
            if !regions.contains(region) {
                regions.push(region.clone());
            }
        }
    }
    for region in regions {
        let place = Place::new(side.profile.as_deref(), &region);
        let rc = executor.pool().client_at(&place).await;
        let listing = executor
            .instances(&rc, false)
            .await
            .map_err(|e| executor.in_its_profile(e, &place))?;
        let s = |i: &Value, k: &str| i.get(k).and_then(Value::as_str).map(str::to_string);
        if let Some(i) = listing.iter().find(|i| {
            wanted.matches(
                s(i, "Id").as_deref(),
                s(i, "Arn").as_deref(),
                s(i, "InstanceAlias").as_deref(),
            )
        }) {
            return Ok(TargetInstance {
                place,
                id: s(i, "Id").unwrap_or_default(),
                arn: s(i, "Arn").unwrap_or_default(),
                alias: s(i, "InstanceAlias").unwrap_or_default(),
                identity: s(i, "IdentityManagementType").unwrap_or_default(),
            });
        }
    }
    Err(Error::InvalidParam {
        param: match role {
            Role::Source => catalog::derived::SOURCE_INSTANCE,
            Role::Target => catalog::derived::TARGET_INSTANCE,
        }
        .into(),
        message: format!("no {} instance `{}` was found", role.name(), side.instance),
    })
}

/// Reads both instances, selects the differences, and plans every write
/// of the copy — before any write, refusing what cannot be mapped.
pub async fn prepare(
    plan: &CopyPlan,
    executor: &Executor,
    engine: &Engine,
    mappings: &[(String, String)],
) -> Result<Prepared, Error> {
    engine.check(&plan.diff.query).await?;
    let mut both = differences::read_both(&plan.diff, executor).await?;
    if both.partial {
        return Err(Error::Refused(format!(
            "the copy could not read both instances whole ({}); nothing was changed",
            both.warnings.join("; ")
        )));
    }
    let (rows, mut warnings) = differences::difference_rows(&plan.diff, &both);
    let mut outcome = crate::outcome::Outcome::default();
    let others = std::mem::take(&mut both.others);
    let selected =
        differences::query_differences(&plan.diff, rows, others, engine, &mut outcome).await?;
    // A WHERE clause over a table read in part could select too few (or,
    // negated, too many) differences: nothing is copied.
    if outcome.partial {
        return Err(Error::Refused(format!(
            "the copy's WHERE clause reads a table that was not read whole ({}); nothing was changed",
            outcome.warnings.join("; ")
        )));
    }
    warnings.extend(outcome.warnings);
    let target = locate(&plan.diff, Role::Target, executor).await?;
    let source = locate(&plan.diff, Role::Source, executor).await?;
    // The source's whole rows by kind; other kinds read when needed.
    let mut whole: HashMap<&'static str, Vec<Row>> = HashMap::new();
    for r in &plan.diff.kinds {
        whole.insert(
            r.singular,
            both.rows_of(&plan.diff, Role::Source, r).to_vec(),
        );
    }
    loop {
        let missing = plan_writes(
            plan,
            &both,
            &whole,
            &selected,
            &target,
            &source.arn,
            mappings,
        )?;
        let needed = match missing {
            Planned::Done(mut prepared) => {
                prepared.warnings.splice(0..0, warnings);
                return Ok(*prepared);
            }
            Planned::NeedsKinds(kinds) => kinds,
        };
        let reads: Vec<&KindRead> = plan
            .on_demand
            .iter()
            .filter(|r| needed.contains(&r.resource.singular))
            .collect();
        if reads.is_empty() {
            return Err(Error::Engine(format!(
                "internal: the copy needs {} whole, and has no read for them",
                needed.join(", ")
            )));
        }
        let fetched = futures::future::try_join_all(reads.iter().map(|r| async move {
            executor
                .fetch(&r.source)
                .await
                .map_err(|e| differences::of_side(e, Role::Source))
        }))
        .await?;
        for (r, f) in reads.iter().zip(fetched) {
            if f.partial {
                return Err(Error::Refused(format!(
                    "the copy could not read the source's {} whole ({}); nothing was changed",
                    r.resource.plural.replace('_', " "),
                    f.warnings.join("; ")
                )));
            }
            whole.insert(r.resource.singular, f.rows);
        }
    }
}

enum Planned {
    Done(Box<Prepared>),
    /// Source kinds to read whole first (a new item of theirs is needed).
    NeedsKinds(Vec<&'static str>),
}

fn plan_writes(
    plan: &CopyPlan,
    both: &BothRead,
    whole: &HashMap<&'static str, Vec<Row>>,
    selected: &ResultSet,
    target: &TargetInstance,
    source_instance_arn: &str,
    mappings: &[(String, String)],
) -> Result<Planned, Error> {
    let diff = &plan.diff;
    let order = copy_order();
    let mut notes = Vec::new();
    // The target's items by kind and name.
    let mut target_items: HashMap<(&'static str, String), (String, String)> = HashMap::new();
    for r in catalog::compared_resources() {
        let rows = both.any_rows_of(diff, Role::Target, r);
        let (items, _) = differences::by_name(r, rows);
        let id_at = r.field_index(r.id_field);
        let arn_at = r.arn_field.and_then(|f| r.field_index(f));
        for (name, row) in items {
            let get = |i: Option<usize>| {
                i.and_then(|i| row.get(i))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            target_items.insert((r.singular, name), (get(id_at), get(arn_at)));
        }
    }
    let mut mapper = Mapper {
        source_names: &both.names[0],
        target: target_items,
        source_instance_arn: source_instance_arn.to_string(),
        target_instance: target,
        mappings,
        new: Vec::new(),
        current: String::new(),
        unmappable: Vec::new(),
    };
    // What the WHERE clause selected.
    let column = |name: &str| selected.columns.iter().position(|c| c.name == name);
    let (Some(kind_at), Some(name_at), Some(diff_at), Some(property_at)) = (
        column("resource_type"),
        column("name"),
        column("kind"),
        column("property"),
    ) else {
        return Err(Error::Engine(
            "internal: the copy's selection lost a column".into(),
        ));
    };
    let mut updates: Vec<(&'static ResourceType, String, usize)> = Vec::new();
    let mut left_in_target: Vec<String> = Vec::new();
    // Differences of a field that follows another: (kind, the field it
    // follows, the note).
    let mut mirrors: Vec<(&'static ResourceType, &'static str, String)> = Vec::new();
    for row in &selected.rows {
        let text = |i: usize| row[i].as_str().unwrap_or_default().to_string();
        let Some(r) = catalog::resource_type(&text(kind_at)) else {
            continue;
        };
        let name = text(name_at);
        match text(diff_at).as_str() {
            "only_in_source" => {
                if !mapper
                    .new
                    .iter()
                    .any(|i| std::ptr::eq(i.resource, r) && i.name == name)
                {
                    mapper.new.push(NewItem {
                        resource: r,
                        name,
                        needed_by: None,
                        created: None,
                    });
                }
            }
            "only_in_target" => left_in_target.push(label(r, &name)),
            _ => {
                let property = text(property_at);
                let Some(index) = r.field_index(&property) else {
                    continue;
                };
                if let Some(why) = contents::not_writable(r, &property) {
                    let note = format!("{} {property} is left as it is: {why}", label(r, &name));
                    match r.fields[index].follows {
                        // Said only if the copy changes none of what it follows.
                        Some(followed) => mirrors.push((r, followed, note)),
                        None => notes.push(note),
                    }
                    continue;
                }
                if !updates
                    .iter()
                    .any(|(k, n, i)| std::ptr::eq(*k, r) && *n == name && *i == index)
                {
                    updates.push((r, name, index));
                }
            }
        }
    }
    for (r, followed, note) in mirrors {
        let followed_at = r.field_index(followed);
        let copied = mapper.new.iter().any(|i| std::ptr::eq(i.resource, r))
            || updates
                .iter()
                .any(|(k, _, i)| std::ptr::eq(*k, r) && Some(*i) == followed_at);
        if !copied {
            notes.push(note);
        }
    }
    if !left_in_target.is_empty() {
        let shown: Vec<&String> = left_in_target.iter().take(10).collect();
        notes.push(format!(
            "{} item{} only in the target {} left as {} (a copy never deletes): {}{}",
            left_in_target.len(),
            if left_in_target.len() == 1 { "" } else { "s" },
            if left_in_target.len() == 1 {
                "is"
            } else {
                "are"
            },
            if left_in_target.len() == 1 {
                "it is"
            } else {
                "they are"
            },
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if left_in_target.len() > 10 {
                ", …"
            } else {
                ""
            }
        ));
    }

    // The source rows of one kind by name.
    let source_row = |r: &ResourceType, name: &str| -> Option<Row> {
        let rows = whole.get(r.singular)?;
        let (items, _) = differences::by_name(r, rows);
        items.get(name).map(|row| (*row).clone())
    };
    let mut items: Vec<ItemWrites> = Vec::new();
    // Fields of new items no operation sets: (what, the items).
    let mut uncopied: Vec<(String, Vec<String>)> = Vec::new();
    let mut needs_kinds: Vec<&'static str> = Vec::new();
    // New items, including those mapping adds while it goes.
    let mut n = 0;
    while n < mapper.new.len() {
        let (r, name) = (mapper.new[n].resource, mapper.new[n].name.clone());
        mapper.current = label(r, &name);
        let Some(row) = source_row(r, &name) else {
            if whole.contains_key(r.singular) {
                mapper.unmappable.push((
                    mapper.new[n].needed_by.clone().unwrap_or_default(),
                    label(r, &name),
                    "the source's item was not found".into(),
                ));
            } else if !needs_kinds.contains(&r.singular) {
                needs_kinds.push(r.singular);
            }
            n += 1;
            continue;
        };
        if r.writes.create.is_none() {
            mapper.unmappable.push((
                mapper.new[n].needed_by.clone().unwrap_or(label(r, &name)),
                label(r, &name),
                "Connect has no operation that creates one".into(),
            ));
            n += 1;
            continue;
        }
        let name_field = r.matched_by.unwrap_or(r.name_field);
        let mut create = Vec::new();
        let mut set = Vec::new();
        let mut needs = BTreeSet::new();
        for (i, f) in r.fields.iter().enumerate() {
            // A mirror (a parent's children) is written by what it lists,
            // and needs none of them.
            if f.name == REGION || f.name == PROFILE || f.follows.is_some() {
                continue;
            }
            let created_with = r.writes.created_with(f.name);
            let value = if is_write_only(f) {
                if !created_with {
                    continue;
                }
                match write_only_value(mappings, f, &name) {
                    Some(v) => Value::String(v),
                    None => {
                        // Connect needs a user's password only where it
                        // manages identities itself.
                        let create = r.writes.create.as_ref().expect("checked above");
                        let member = create
                            .members
                            .iter()
                            .find(|(_, x)| *x == f.name)
                            .map(|(m, _)| *m);
                        let needed = member.is_some_and(|m| {
                            crate::connect_api::write::required_members(create.op).contains(&m)
                        }) || (f.name == "password"
                            && target.identity == "CONNECT_MANAGED");
                        if needed {
                            mapper.unmappable.push((
                                label(r, &name),
                                f.name.to_string(),
                                format!(
                                    "Connect never returns a {}'s {}; supply it: INSERT INTO {MAPPINGS_TABLE} (source, target) VALUES ('{}:{}', '…') (or '{}' for every {})",
                                    r.singular.replace('_', " "),
                                    f.name,
                                    f.name,
                                    name.replace('\'', "''"),
                                    f.name,
                                    r.singular.replace('_', " ")
                                ),
                            ));
                        }
                        continue;
                    }
                }
            } else if f.name == name_field {
                // The item's own name (an approved origin's is its id).
                row.get(i).cloned().unwrap_or(Value::Null)
            } else if f.compared(r) {
                let v = row.get(i).cloned().unwrap_or(Value::Null);
                if v.is_null() {
                    continue;
                }
                mapper.map_value(f, &v)
            } else {
                continue;
            };
            // Absent and empty alike (Connect refuses an empty tag map).
            let empty = match &value {
                Value::Null => true,
                Value::String(s) => s.is_empty(),
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                _ => false,
            };
            if empty {
                continue;
            }
            if !created_with {
                // What the new item has anyway.
                if f.created_as.is_some() && value.as_str() == f.created_as {
                    continue;
                }
                if r.writes.changed_by(f.name).is_some() && f.compared(r) {
                    set.push((i, value));
                } else if let Some(why) = contents::not_writable(r, f.name).filter(|_| {
                    // Said up front only where the new item surely lacks it:
                    // a list or object of CloudFormation's (a scalar may be
                    // what the create leaves; if not, the next copy says so).
                    !f.read_only && f.cfn.is_some() && (value.is_array() || value.is_object())
                }) {
                    let what = format!(
                        "{} of a new {} is not copied: {why}",
                        f.name,
                        r.singular.replace('_', " ")
                    );
                    match uncopied.iter_mut().find(|(w, _)| *w == what) {
                        Some((_, names)) => names.push(name.clone()),
                        None => uncopied.push((what, vec![name.clone()])),
                    }
                }
                continue;
            }
            let mut named = BTreeSet::new();
            new_items_in(&value, &mut named);
            let later_or_same = named.iter().any(|k| {
                mapper
                    .new
                    .get(*k)
                    .is_some_and(|x| rank(&order, x.resource) >= rank(&order, r))
            });
            // A request list longer than the create takes: the rest after.
            let too_long = matches!(&value, Value::Array(list) if r.writes.updates.iter()
                .find(|u| u.fields().any(|x| x == f.name))
                .and_then(|u| u.remove.as_ref())
                .and_then(|removal| removal.per_call)
                .is_some_and(|limit| list.len() > limit));
            if f.compare == Compare::Content && !named.is_empty() {
                create.push((i, stub_content(r)));
                set.push((i, value));
            } else if (later_or_same || too_long) && deferrable(r, f) {
                set.push((i, value));
            } else {
                needs.extend(named);
                create.push((i, value));
            }
        }
        needs.remove(&n);
        items.push(ItemWrites {
            resource: r,
            name,
            new: Some(n),
            create,
            set,
            needs,
        });
        n += 1;
    }
    // Selected properties of items the target has.
    for (r, name, index) in &updates {
        let Some(row) = source_row(r, name) else {
            continue;
        };
        mapper.current = label(r, name);
        let f = &r.fields[*index];
        let value = mapper.map_value(f, row.get(*index).unwrap_or(&Value::Null));
        match items
            .iter_mut()
            .find(|i| i.new.is_none() && std::ptr::eq(i.resource, *r) && i.name == *name)
        {
            Some(item) => item.set.push((*index, value)),
            None => items.push(ItemWrites {
                resource: r,
                name: name.clone(),
                new: None,
                create: Vec::new(),
                set: vec![(*index, value)],
                needs: BTreeSet::new(),
            }),
        }
    }
    if !needs_kinds.is_empty() {
        return Ok(Planned::NeedsKinds(needs_kinds));
    }
    if !mapper.unmappable.is_empty() {
        let mut lines: Vec<String> = mapper
            .unmappable
            .iter()
            .map(|(by, value, why)| format!("{by}: {value} — {why}"))
            .collect();
        lines.dedup();
        let total = lines.len();
        lines.truncate(contents::SHOWN_PROBLEMS);
        if total > lines.len() {
            lines.push(format!("… and {} more", total - lines.len()));
        }
        let example = mapper
            .unmappable
            .iter()
            .find(|(_, v, _)| v.starts_with("arn:"))
            .map(|(_, v, _)| {
                format!(
                    "\nMap a reference to what the target should use instead, e.g.\n  INSERT INTO {MAPPINGS_TABLE} (source, target) VALUES ('{v}', '<ARN in the target''s place>');"
                )
            })
            .unwrap_or_default();
        return Err(Error::Refused(format!(
            "the copy cannot map {total} reference{} into {} ({}); nothing was changed and no write call was made:\n  {}{example}",
            if total == 1 { "" } else { "s" },
            target.alias,
            target.place,
            lines.join("\n  "),
        )));
    }

    // Waves: a new item after the new items its create needs.
    let mut wave_of: HashMap<usize, usize> = HashMap::new();
    let mut changed = true;
    let mut rounds = 0;
    while changed {
        changed = false;
        rounds += 1;
        for item in &items {
            let Some(n) = item.new else { continue };
            let wave = item
                .needs
                .iter()
                .map(|k| wave_of.get(k).copied().unwrap_or(0) + 1)
                .max()
                .unwrap_or(0);
            if wave_of.get(&n) != Some(&wave) {
                wave_of.insert(n, wave);
                changed = true;
            }
        }
        if rounds > items.len() + 2 {
            let cycle: Vec<String> = items
                .iter()
                .filter(|i| !i.needs.is_empty())
                .map(|i| label(i.resource, &i.name))
                .collect();
            return Err(Error::Refused(format!(
                "the copy's items need each other to be created first ({}); copy them one at a time; nothing was changed",
                cycle.join(", ")
            )));
        }
    }
    for (what, names) in uncopied {
        let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
        notes.push(format!(
            "{what} ({}{})",
            shown.join(", "),
            if names.len() > 5 {
                format!(" and {} more", names.len() - 5)
            } else {
                String::new()
            }
        ));
    }
    let new_items = mapper.new.clone();
    let added: Vec<String> = new_items
        .iter()
        .filter_map(|i| {
            i.needed_by
                .as_ref()
                .map(|by| format!("{} (needed by {by})", label(i.resource, &i.name)))
        })
        .collect();
    if !added.is_empty() {
        notes.push(format!(
            "the target lacks what copied items name, so the copy creates it too: {}",
            added.join(", ")
        ));
    }
    let waves_count = wave_of.values().max().map_or(0, |m| m + 1);
    let mut waves: Vec<Vec<(&'static Table, Vec<PlannedWrite>)>> = vec![Vec::new(); waves_count];
    let mut creates: Vec<(String, usize)> = Vec::new();
    for (wave, slot) in waves.iter_mut().enumerate() {
        for r in &order {
            let here: Vec<&ItemWrites> = items
                .iter()
                .filter(|i| {
                    std::ptr::eq(i.resource, *r)
                        && i.new.is_some_and(|n| wave_of.get(&n) == Some(&wave))
                })
                .collect();
            if here.is_empty() {
                continue;
            }
            let (plan, answer) = create_rows(r, &here, target)?;
            let mut planned = contents::creates(&plan, &answer, |_, _| {
                Some((target.id.clone(), target.arn.clone()))
            })?;
            // Each new item's calls share a marker unique in the copy
            // (`creates` numbers a synthetic INSERT's rows from 0).
            for w in &mut planned {
                w.place = target.place.clone();
                let row = w
                    .item_arn
                    .rsplit_once(contents::NEW)
                    .and_then(|(_, n)| n.trim_end_matches(')').parse::<usize>().ok());
                if let Some(n) = row.and_then(|row| here.get(row)).and_then(|i| i.new) {
                    w.item_arn = format!("{}/{}{n})", target.arn, contents::NEW);
                    if !creates.iter().any(|(m, _)| *m == w.item_arn) {
                        creates.push((w.item_arn.clone(), n));
                    }
                }
            }
            check(&plan, &planned, &new_items, target)?;
            slot.push((table_of(r)?, planned));
        }
    }
    // An update goes out in the wave after the new items it names (its own
    // item, when new) are created; one naming none, in the first wave.
    for r in &order {
        let here: Vec<&ItemWrites> = items
            .iter()
            .filter(|i| std::ptr::eq(i.resource, *r) && !i.set.is_empty())
            .collect();
        if here.is_empty() {
            continue;
        }
        let (plan, answer) = update_rows(r, &here, both, diff, target)?;
        let mut planned = contents::writes(&plan, &answer)?;
        for w in &mut planned {
            w.place = target.place.clone();
        }
        check(&plan, &planned, &new_items, target)?;
        let table = table_of(r)?;
        for w in planned {
            let mut named = BTreeSet::new();
            new_items_in(&w.input, &mut named);
            new_items_in(&Value::String(w.item_arn.clone()), &mut named);
            let wave = named
                .iter()
                .map(|n| wave_of.get(n).copied().unwrap_or(0) + 1)
                .max()
                .unwrap_or(0);
            if waves.len() <= wave {
                waves.resize_with(wave + 1, Vec::new);
            }
            match waves[wave]
                .iter_mut()
                .find(|(t, _)| std::ptr::eq(*t, table))
            {
                Some((_, list)) => list.push(w),
                None => waves[wave].push((table, vec![w])),
            }
        }
    }
    Ok(Planned::Done(Box::new(Prepared {
        target: target.clone(),
        waves,
        new: new_items,
        creates,
        notes,
        selected: selected.rows.len(),
        warnings: Vec::new(),
    })))
}

/// Checks every request as it will be sent, a new item's id and ARN
/// stood in for.
fn check(
    plan: &ContentsPlan,
    writes: &[PlannedWrite],
    new: &[NewItem],
    target: &TargetInstance,
) -> Result<(), Error> {
    let stand_in = |n: usize, arn: bool| {
        let id = format!("00000000-0000-4000-8000-{n:012}");
        Some(if arn {
            let segment = new
                .get(n)
                .and_then(|i| match i.resource.arn {
                    catalog::ArnForm::Instance(s) => Some(s),
                    _ => None,
                })
                .unwrap_or("item");
            format!("{}/{segment}/{id}", target.arn)
        } else {
            id
        })
    };
    let checked: Vec<PlannedWrite> = writes
        .iter()
        .map(|w| {
            let mut w = w.clone();
            w.input = replace_placeholders(&w.input, &stand_in);
            w.item_arn = replace_placeholders(&Value::String(w.item_arn.clone()), &stand_in)
                .as_str()
                .unwrap_or_default()
                .to_string();
            w
        })
        .collect();
    contents::check_writes(plan, &checked)
}

/// The fields any of `items` gives a value (`values`: its create's, or
/// the ones set after), in first-seen order: a synthetic statement's columns.
fn fields_of(
    items: &[&ItemWrites],
    values: impl Fn(&ItemWrites) -> &Vec<(usize, Value)>,
) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for item in items {
        for (i, _) in values(item) {
            if !out.contains(i) {
                out.push(*i);
            }
        }
    }
    out
}

/// A synthetic INSERT of `items` of `r` into the target: its plan and rows.
fn create_rows(
    r: &'static ResourceType,
    items: &[&ItemWrites],
    target: &TargetInstance,
) -> Result<(ContentsPlan, ResultSet), Error> {
    let table = table_of(r)?;
    let fields = fields_of(items, |i| &i.create);
    let region_at = r.field_index(REGION).expect("every table has a region");
    let mut columns = vec![InsertColumn::Instance, InsertColumn::Field(region_at)];
    columns.extend(fields.iter().map(|i| InsertColumn::Field(*i)));
    let rows = items
        .iter()
        .map(|item| {
            let mut row = vec![
                Value::String(target.arn.clone()),
                Value::String(target.place.region.clone()),
            ];
            row.extend(fields.iter().map(|i| {
                item.create
                    .iter()
                    .find(|(x, _)| x == i)
                    .map(|(_, v)| v.clone())
                    .unwrap_or(Value::Null)
            }));
            row
        })
        .collect();
    let answer = ResultSet {
        columns: (0..columns.len())
            .map(|i| Column::plain(&format!("c{i}")))
            .collect(),
        rows,
    };
    Ok((
        synthetic(table, Verb::Insert, columns, Vec::new(), target),
        answer,
    ))
}

fn synthetic(
    table: &'static Table,
    verb: Verb,
    columns: Vec<InsertColumn>,
    sets: Vec<usize>,
    target: &TargetInstance,
) -> ContentsPlan {
    ContentsPlan {
        verb,
        table,
        select: returning_plan(table, &[]),
        sets,
        columns,
        default_region: Some(target.place.region.clone()),
        profiles: None,
        default_profiles: Vec::new(),
        tests: Vec::new(),
        keys: Vec::new(),
        returning: None,
    }
}

/// A synthetic UPDATE of `items` of `r`: each item's current row (the
/// target's, or a new item as its create leaves it) and wanted values.
fn update_rows(
    r: &'static ResourceType,
    items: &[&ItemWrites],
    both: &BothRead,
    diff: &DiffPlan,
    target: &TargetInstance,
) -> Result<(ContentsPlan, ResultSet), Error> {
    let table = table_of(r)?;
    let sets = fields_of(items, |i| &i.set);
    let target_rows = both.rows_of(diff, Role::Target, r);
    let (existing, _) = differences::by_name(r, target_rows);
    let name_at = r
        .field_index(r.matched_by.unwrap_or(r.name_field))
        .expect("a name");
    let mut columns: Vec<Column> = r.fields.iter().map(|f| Column::plain(f.name)).collect();
    columns.extend((0..sets.len()).map(|k| Column::plain(&set_column(k))));
    let mut rows = Vec::new();
    for item in items {
        let mut row: Vec<Value> = match item.new {
            None => match existing.get(&item.name) {
                Some(row) => (*row).clone(),
                None => continue,
            },
            Some(n) => {
                let mut row = vec![Value::Null; r.fields.len()];
                for (i, v) in &item.create {
                    row[*i] = v.clone();
                }
                let mut put = |field: &str, v: String| {
                    if let Some(i) = r.field_index(field) {
                        row[i] = Value::String(v);
                    }
                };
                put(REGION, target.place.region.clone());
                if let Some(p) = &target.place.profile {
                    put(PROFILE, p.clone());
                }
                put(instance_field(r), target.arn.clone());
                put(r.id_field, placeholder(n, false));
                if let Some(a) = r.arn_field {
                    put(a, placeholder(n, true));
                }
                row[name_at] = Value::String(item.name.clone());
                row
            }
        };
        row.resize(r.fields.len(), Value::Null);
        // Where the item lives is the target's (a read need not carry it).
        for (field, value) in [
            (REGION, Some(target.place.region.clone())),
            (PROFILE, target.place.profile.clone()),
            (instance_field(r), Some(target.arn.clone())),
        ] {
            if let (Some(i), Some(v)) = (r.field_index(field), value) {
                row[i] = Value::String(v);
            }
        }
        for i in &sets {
            let wanted = item
                .set
                .iter()
                .find(|(x, _)| x == i)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| row[*i].clone());
            row.push(wanted);
        }
        rows.push(row);
    }
    Ok((
        synthetic(table, Verb::Update, Vec::new(), sets, target),
        ResultSet { columns, rows },
    ))
}

// ---------------------------------------------------------------------------
// Running.

/// Makes the copy's writes, wave after wave: each wave's calls go out
/// together (per kind, within Connect's rate), a new item's id and ARN
/// fill the later calls that name it, and a call that names an item whose
/// create failed (or a copy stopped part-way) is not sent.
pub async fn execute(mut prepared: Prepared, executor: &Executor) -> Executed {
    let mut outcomes: Vec<WriteOutcome> = Vec::new();
    let mut stopped = false;
    let mut waiting = 0;
    // One Ctrl-C stops the copy, between waves too: what was made is
    // reported, and what was not, said.
    let _held = executor.hold_writes();
    let waves = std::mem::take(&mut prepared.waves);
    for wave in waves {
        stopped |= executor.writes_stopped();
        let mut groups = Vec::new();
        for (table, writes) in wave {
            let mut ready = Vec::new();
            for mut w in writes {
                let fill = |n: usize, arn: bool| {
                    prepared
                        .new
                        .get(n)
                        .and_then(|i| i.created.clone())
                        .map(|(id, a)| if arn { a } else { id })
                };
                w.input = replace_placeholders(&w.input, &fill);
                w.after = replace_placeholders(&w.after, &fill);
                if w.item_arn.contains(PLACEHOLDER) {
                    w.item_arn = replace_placeholders(&Value::String(w.item_arn.clone()), &fill)
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                }
                let mut unfilled = BTreeSet::new();
                new_items_in(&w.input, &mut unfilled);
                if stopped || !unfilled.is_empty() {
                    if !stopped {
                        waiting += 1;
                    }
                    outcomes.push(WriteOutcome {
                        write: w,
                        result: None,
                    });
                } else {
                    ready.push(w);
                }
            }
            if !ready.is_empty() {
                groups.push((table, ready));
            }
        }
        if groups.is_empty() {
            continue;
        }
        let done = executor.run_together(groups).await;
        for o in &done {
            if o.result.is_none() {
                stopped = true;
            }
            if let Some(Ok(answer)) = &o.result {
                if let Some((_, n)) = prepared
                    .creates
                    .iter()
                    .find(|(m, _)| *m == o.write.item_arn)
                {
                    if let Some(item) = prepared.new.get_mut(*n) {
                        item.created = created_identity(answer);
                    }
                }
            }
        }
        outcomes.extend(done);
    }
    // What was not sent still names its new items: by name.
    let name = |n: usize, arn: bool| {
        prepared.new.get(n).map(|i| match &i.created {
            Some((id, a)) => {
                if arn {
                    a.clone()
                } else {
                    id.clone()
                }
            }
            None => format!(
                "(new {} '{}')",
                i.resource.singular.replace('_', " "),
                i.name
            ),
        })
    };
    for o in &mut outcomes {
        o.write.after = replace_placeholders(&o.write.after, &name);
        o.write.input = replace_placeholders(&o.write.input, &name);
        if let Some((_, n)) = prepared
            .creates
            .iter()
            .find(|(m, _)| *m == o.write.item_arn)
        {
            o.write.item_arn = name(*n, true).unwrap_or_default();
        }
        o.write.item_arn = replace_placeholders(&Value::String(o.write.item_arn.clone()), &name)
            .as_str()
            .unwrap_or_default()
            .to_string();
    }
    Executed {
        outcomes,
        stopped,
        waiting,
    }
}

/// What a copy's writes did.
pub struct Executed {
    pub outcomes: Vec<WriteOutcome>,
    /// Stopped part-way (Ctrl-C): later calls were not sent.
    pub stopped: bool,
    /// Calls not sent because they name an item whose create failed.
    pub waiting: usize,
}

// ---------------------------------------------------------------------------
// EXPLAIN.

/// EXPLAIN of a copy: the difference's reads, the reads made only when a
/// copied item needs another kind's item, then the writes by kind in the
/// order the copy makes them.
pub fn explain(plan: &CopyPlan, executor: &Executor) -> ResultSet {
    let mut result = differences::explain(&plan.diff, executor);
    let mut step = result
        .rows
        .iter()
        .filter_map(|r| r.first().and_then(Value::as_u64))
        .max()
        .unwrap_or(0);
    let region = plan
        .diff
        .reads
        .iter()
        .find(|r| r.role == Role::Target)
        .map(|r| r.source.targets.regions.join(", "))
        .unwrap_or_default();
    let row = |step: u64, op: catalog::Op, parameters: String, runs: &str, note: String| {
        vec![
            json!(step),
            json!(op.name()),
            json!(region),
            json!(parameters),
            json!(runs),
            json!(op.iam_action()),
            json!(note),
        ]
    };
    let mut rows = Vec::new();
    for read in &plan.on_demand {
        let op = read.source.steps.iter().map(|s| s.op).next_back();
        if let Some(op) = op {
            step += 1;
            rows.push(row(
                step,
                op,
                format!("the source's {} (whole)", read.resource.plural),
                "only when a copied item needs one the target lacks",
                "read before any write, to create it too".into(),
            ));
        }
    }
    let kinds: Vec<&'static ResourceType> = copy_order();
    for r in &kinds {
        let selected = plan.diff.kinds.iter().any(|k| std::ptr::eq(*k, *r));
        let needed = if selected {
            String::new()
        } else {
            " (only one a copied item needs)".into()
        };
        if let Some(create) = &r.writes.create {
            step += 1;
            let stub = if r.fields.iter().any(|f| f.compare == Compare::Content) {
                "; one whose content names a new item is created with a stub content first"
            } else {
                ""
            };
            rows.push(row(
                step,
                create.op,
                format!(
                    "per {} only in the source{needed}",
                    r.singular.replace('_', " ")
                ),
                "after what it names is created, up to 16 at a time within Connect's rate",
                format!("references mapped to the target's items{stub}"),
            ));
        }
    }
    for r in &kinds {
        if !plan.diff.kinds.iter().any(|k| std::ptr::eq(*k, *r)) {
            continue;
        }
        let mut seen = Vec::new();
        for u in r.writes.updates {
            if seen.contains(&u.op) {
                continue;
            }
            seen.push(u.op);
            let fields: Vec<&str> = u
                .fields()
                .filter(|f| r.field(f).is_some_and(|f| f.compared(r)))
                .collect();
            if fields.is_empty() {
                continue;
            }
            step += 1;
            rows.push(row(
                step,
                u.op,
                format!("for `{}`", fields.join("`, `")),
                "after the creates of the new items it names, per item whose value differs",
                "none when the target already matches".into(),
            ));
        }
    }
    result.rows.extend(rows);
    result
}

// ---------------------------------------------------------------------------
// The mapping table.

/// The engine's table of mappings.
const MAPPINGS_LOCAL: &str = "copy_mappings";

/// A change of the mapping table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappingVerb {
    Insert,
    Delete,
}

/// A statement changing `aws.connect.copy_mappings`: the query whose rows
/// are added (INSERT's source) or removed (DELETE's sources).
#[derive(Debug, Clone)]
pub struct MappingChange {
    pub verb: MappingVerb,
    pub query: String,
    /// The column list says (target, source).
    pub swapped: bool,
}

fn is_mappings(name: &sqlparser::ast::ObjectName) -> bool {
    name.to_string().eq_ignore_ascii_case(MAPPINGS_TABLE)
}

/// The mapping table's change a statement makes (`None`: another table's).
pub fn mappings_change(text: &str, statement: &Statement) -> Result<Option<MappingChange>, Error> {
    let clauses = SourceText::new(text).change_clauses();
    match statement {
        Statement::Insert(insert) => {
            let sqlparser::ast::TableObject::TableName(name) = &insert.table else {
                return Ok(None);
            };
            if !is_mappings(name) {
                return Ok(None);
            }
            let columns: Vec<String> = insert
                .columns
                .iter()
                .map(|c| c.value.to_lowercase())
                .collect();
            let swapped = match columns.iter().map(String::as_str).collect::<Vec<_>>().as_slice()
            {
                [] | ["source", "target"] => false,
                ["target", "source"] => true,
                _ => {
                    return Err(Error::InvalidParam {
                        param: "columns".into(),
                        message: format!(
                            "{MAPPINGS_TABLE} has two columns: INSERT INTO {MAPPINGS_TABLE} (source, target) VALUES ('<source value>', '<target value>')"
                        ),
                    })
                }
            };
            let query = clauses
                .and_then(|c| c.source)
                .or_else(|| insert.source.as_ref().map(|q| q.to_string()))
                .ok_or_else(|| Error::Unsupported("INSERT without VALUES or SELECT".into()))?;
            Ok(Some(MappingChange {
                verb: MappingVerb::Insert,
                query,
                swapped,
            }))
        }
        Statement::Delete(d) => {
            if !deletes_from(d, is_mappings) {
                return Ok(None);
            }
            let selection = clauses
                .and_then(|c| c.selection)
                .map(|s| format!(" WHERE {s}"))
                .unwrap_or_default();
            // The WHERE clause may name the table by its alias.
            let alias = match &d.from {
                sqlparser::ast::FromTable::WithFromKeyword(t)
                | sqlparser::ast::FromTable::WithoutKeyword(t) => {
                    t.iter().find_map(|t| match &t.relation {
                        TableFactor::Table {
                            name,
                            alias: Some(a),
                            ..
                        } if is_mappings(name) => Some(a.name.to_string()),
                        _ => None,
                    })
                }
            };
            let query = match alias {
                Some(a) => format!("SELECT {a}.source FROM {MAPPINGS_LOCAL} AS {a}{selection}"),
                None => format!("SELECT source FROM {MAPPINGS_LOCAL}{selection}"),
            };
            Ok(Some(MappingChange {
                verb: MappingVerb::Delete,
                query,
                swapped: false,
            }))
        }
        Statement::Update { table, .. } => match &table.relation {
            TableFactor::Table { name, .. } if is_mappings(name) => Err(Error::Refused(format!(
                "UPDATE of {MAPPINGS_TABLE}: INSERT the mapping again, it replaces the one with the same source; nothing was changed"
            ))),
            _ => Ok(None),
        },
        _ => Ok(None),
    }
}

/// The mapping table as the engine loads it.
pub fn mappings_local(mappings: &[(String, String)]) -> crate::sql::local::LocalTable {
    crate::sql::local::LocalTable {
        table: MAPPINGS_LOCAL.into(),
        columns: vec!["source".into(), "target".into()],
        rows: mappings
            .iter()
            .map(|(s, t)| vec![Some(s.clone()), Some(t.clone())])
            .collect(),
    }
}

/// A query over the mapping table alone (DELETE's sources).
pub fn mappings_query(
    sql: &str,
    mappings: &[(String, String)],
) -> Result<crate::sql::planner::SelectPlan, Error> {
    crate::sql::parse_one(sql)?;
    Ok(crate::sql::planner::SelectPlan {
        sources: Vec::new(),
        locals: vec![mappings_local(mappings)],
        sql: sql.to_string(),
    })
}

/// A query that reads `aws.connect.copy_mappings` (with any other table),
/// planned with the mapping table as a local one; `None`: it does not.
pub fn mappings_select(
    text: &str,
    statement: &Statement,
    ctx: &PlanContext,
    mappings: &[(String, String)],
) -> Result<Option<crate::sql::planner::SelectPlan>, Error> {
    let mut names = Vec::new();
    let _ = sqlparser::ast::visit_relations(statement, |name| {
        if is_mappings(name) {
            names.push(name.clone());
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    if names.is_empty() {
        return Ok(None);
    }
    let source = SourceText::new(text);
    let mut edits = Vec::new();
    let mut seen = BTreeSet::new();
    for name in &names {
        let Some((start, end)) = source.name_range(name) else {
            return Err(Error::Unsupported(format!(
                "{MAPPINGS_TABLE} in this layout"
            )));
        };
        if seen.insert(start) {
            edits.push(crate::sql::text::Edit {
                start,
                end,
                text: MAPPINGS_LOCAL.to_string(),
            });
        }
    }
    let edited = source.edited(edits)?;
    let mut plan = crate::sql::planner::plan_query(&edited, crate::sql::parse_one(&edited)?, ctx)?;
    plan.locals.push(mappings_local(mappings));
    Ok(Some(plan))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A request that takes the id of an ARN (a queue's hours, a child's
    /// parents) is given a new item's id, not its ARN.
    #[test]
    fn an_arn_placeholder_taken_as_an_id_is_filled_with_the_id() {
        let full = "arn:aws:connect:eu-west-2:123456789012:instance/i-1/operating-hours/h-1";
        let fill =
            |n: usize, arn: bool| (n == 3).then(|| if arn { full } else { "h-1" }.to_string());
        let arn = placeholder(3, true);
        // What the change planner does to an ARN a request takes as an id.
        let id = arn.rsplit('/').next().unwrap();
        assert_eq!(replace_placeholders(&json!(id), &fill), json!("h-1"));
        assert_eq!(replace_placeholders(&json!(arn), &fill), json!(full));
        let text = format!(
            "{arn}, {}, {}",
            placeholder(12, false),
            placeholder(3, false)
        );
        let found: Vec<(usize, bool)> = placeholders_in(&text)
            .into_iter()
            .map(|(_, _, n, arn)| (n, arn))
            .collect();
        assert_eq!(found, [(3, true), (12, false), (3, false)]);
        assert_eq!(
            replace_placeholders(&json!(text), &fill),
            json!(format!("{full}, connectql-new-12-id, h-1"))
        );
    }
}
