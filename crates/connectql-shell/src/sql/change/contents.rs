//! INSERT, UPDATE and DELETE of any table with a write side — an
//! instance's contents (users, queues, routing profiles…) and the
//! instances themselves — planned from the catalog's write side. An item of
//! the contents lives in an instance (`Scope::Instance`: its place is
//! region and instance); an instance's place is its region alone
//! (`Scope::Account`).
//!
//! The targets and their wanted values are SQL's answer: the statement
//! becomes one SELECT over the same table, with the same WHERE clause and
//! each SET expression as a column (`SELECT *, (<expr>) AS "set 0" FROM
//! <table> WHERE <where>`), taken from the user's own text. That SELECT is
//! planned and scoped like any other (a WHERE that selects nothing reads
//! nothing, a scope that cannot be derived is refused), read fresh from
//! Connect, and run by SQLite. Per target row, each SET column's value is
//! compared with the current one; only a difference makes a call, through
//! the operation the catalog says changes that field. So the same statement
//! run again after it converged makes no write call.

use serde_json::{Map, Value};
use sqlparser::ast::{Assignment, AssignmentTarget, Expr, SelectItem, TableFactor, TableWithJoins};

use super::shapes::{self, put_form, same, to_api, Put};
use crate::catalog::writes::{Deletion, EachKey, Removal, Shape, WriteOp};
use crate::catalog::{
    FieldType, Op, ResourceType, Scope, Source, Table, INSTANCE_ARN, PROFILE, REGION,
};
use crate::connect_api::Place;
use crate::engine::ResultSet;
use crate::error::Error;
use crate::sql::calls::{plan_calls, FieldSet};
use crate::sql::parse_one;
use crate::sql::planner::{self, SelectPlan, SourceSpec};
use crate::sql::resolve::{PlanContext, Targets};
use crate::sql::text::SourceText;
use shapes::REF_NAME;

/// The column of the target SELECT holding SET expression `i`.
pub fn set_column(i: usize) -> String {
    format!("connectql set {i}")
}

/// The column of the target SELECT holding a patch's `test` number `i`.
pub fn test_column(i: usize) -> String {
    format!("connectql test {i}")
}

/// The marker of an item a change creates (`…/(new 3)`): the create and
/// the calls that follow it on the new item share it.
pub const NEW: &str = "(new ";

/// "a queue", "an instance".
fn a_or_an(singular: &str) -> String {
    let what = singular.replace('_', " ");
    let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {what}")
}

/// True when an item lives in an instance (users, queues…); false for the
/// instance itself, whose place is its region alone.
fn in_instance(r: &ResourceType) -> bool {
    r.scope == Scope::Instance
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Insert,
    Update,
    Delete,
}

/// A column of an INSERT into an instance's contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertColumn {
    /// A field the create operation takes (or `region`, or `tags`).
    Field(usize),
    /// `data__InstanceId`: the instance to create in (ARN, id or alias).
    Instance,
}

/// A change of an instance's contents, planned before any call.
#[derive(Debug, Clone)]
pub struct ContentsPlan {
    pub verb: Verb,
    pub table: &'static Table,
    /// Finds the targets (and, for UPDATE, their wanted values).
    pub select: SelectPlan,
    /// UPDATE: the fields set, by index, in SET order.
    pub sets: Vec<usize>,
    /// INSERT: the column list; `select` is then the rows to create.
    pub columns: Vec<InsertColumn>,
    /// INSERT: the region of rows without a `region` column.
    pub default_region: Option<String>,
    /// INSERT: the configured profiles a row's `profile` may name (`None`:
    /// not looked up).
    pub profiles: Option<Vec<String>>,
    /// INSERT: the session's default profiles (`.profile`), where a row
    /// without a `profile` column goes when there is one; with several it
    /// must name one.
    pub default_profiles: Vec<String>,
    /// UPDATE with data__PatchDocument: the patch's `test` conditions (a
    /// column each of `select`), with what each checks.
    pub tests: Vec<(String, String)>,
    /// The keys a patch names in a field whose keys change one call each
    /// (API names, for EXPLAIN).
    pub keys: Vec<String>,
    /// RETURNING: the engine's query over the changed items' rows.
    pub returning: Option<SelectPlan>,
}

/// One call of a change, with what it changes.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedWrite {
    /// Where the call goes: the target's profile (or the session's) and
    /// region.
    pub place: Place,
    /// The item's name (username, name…) for people.
    pub item: String,
    pub item_arn: String,
    pub property: String,
    pub before: Value,
    pub after: Value,
    pub op: Op,
    /// Every input member of the operation, wire JSON.
    pub input: Value,
}

/// True when `t` is a table whose changes this module plans: every table
/// of an instance's contents, and any other with a write side (the
/// instances themselves).
pub fn handles(t: &Table) -> bool {
    let w = t.resource.writes;
    in_instance(t.resource)
        || w.create.is_some()
        || !w.updates.is_empty()
        || matches!(w.delete, Deletion::By(_))
}

pub fn plan_update(
    text: &SourceText,
    t: &'static Table,
    table: &TableWithJoins,
    assignments: &[Assignment],
    selection: Option<&Expr>,
    ctx: &PlanContext,
) -> Result<ContentsPlan, Error> {
    let r = t.resource;
    if assignments.is_empty() {
        return Err(Error::Unsupported("UPDATE without SET".into()));
    }
    let clauses = text.change_clauses().ok_or_else(|| {
        Error::Unsupported("connectql could not read this UPDATE's clauses".into())
    })?;
    if clauses.values.len() != assignments.len() {
        return Err(Error::Unsupported(
            "connectql could not read this UPDATE's SET clause".into(),
        ));
    }
    // (field, SQL expression as written or translated from a patch)
    let mut wanted: Vec<(usize, String)> = Vec::new();
    let mut patch = super::patch::PatchSets::default();
    for (i, a) in assignments.iter().enumerate() {
        let AssignmentTarget::ColumnName(name) = &a.target else {
            return Err(Error::Unsupported("SET of a tuple of columns".into()));
        };
        let column = name
            .0
            .last()
            .map(|p| p.to_string().trim_matches('"').to_string())
            .unwrap_or_default();
        if crate::catalog::canonical_param(&column) == Some(crate::catalog::PATCH_DOCUMENT) {
            let text = crate::sql::params::as_string_literal(&a.value).ok_or_else(|| {
                Error::InvalidParam {
                    param: crate::catalog::PATCH_DOCUMENT.into(),
                    message: "give the patch as a quoted string (or string('...'))".into(),
                }
            })?;
            let p = super::patch::translate(r, &text)?;
            for (index, expr) in p.sets {
                if wanted.iter().any(|(w, _)| *w == index) {
                    return Err(Error::InvalidParam {
                        param: r.fields[index].name.into(),
                        message: "is set twice".into(),
                    });
                }
                changeable(r, index)?;
                wanted.push((index, expr));
            }
            patch.tests.extend(p.tests);
            patch.keys.extend(p.keys);
            continue;
        }
        let Some(index) = r.field_index(&column) else {
            return Err(Error::Unknown {
                what: "field",
                name: column.clone(),
                suggestion: crate::catalog::suggest(&column, r.fields.iter().map(|f| f.name))
                    .map(str::to_string),
                known: r
                    .fields
                    .iter()
                    .map(|f| f.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        let field = &r.fields[index];
        if wanted.iter().any(|(w, _)| *w == index) {
            return Err(Error::InvalidParam {
                param: field.name.into(),
                message: "is set twice".into(),
            });
        }
        changeable(r, index)?;
        wanted.push((index, clauses.values[i].to_string()));
    }
    let sets: Vec<usize> = wanted.iter().map(|(i, _)| *i).collect();
    let mut columns: Vec<String> = wanted
        .iter()
        .enumerate()
        .map(|(i, (_, expr))| format!("({expr}) AS \"{}\"", set_column(i)))
        .collect();
    columns.extend(
        patch
            .tests
            .iter()
            .enumerate()
            .map(|(i, (condition, _))| format!("({condition}) AS \"{}\"", test_column(i))),
    );
    // The fields read: the keys, and every member of the operations the
    // SET fields go through (an Update* takes its members together).
    let mut read: Vec<&str> = Vec::new();
    for &index in &sets {
        let name = r.fields[index].name;
        read.push(name);
        if let Some(u) = r
            .writes
            .updates
            .iter()
            .find(|u| u.fields().any(|f| f == name))
        {
            read.extend(u.fields());
        }
    }
    let select = target_select(text, t, table, &read, &columns, selection, ctx, "UPDATE")?;
    Ok(ContentsPlan {
        verb: Verb::Update,
        table: t,
        select,
        sets,
        columns: Vec::new(),
        default_region: None,
        profiles: None,
        default_profiles: Vec::new(),
        tests: patch.tests,
        keys: patch.keys,
        returning: None,
    })
}

/// DELETE: the rows its WHERE clause selects; `whole` reads every field of
/// them (for DELETE … RETURNING, which returns them as they were).
pub fn plan_delete(
    text: &SourceText,
    t: &'static Table,
    table: &TableWithJoins,
    selection: Option<&Expr>,
    ctx: &PlanContext,
    whole: bool,
) -> Result<ContentsPlan, Error> {
    if let Deletion::Impossible(why) = t.resource.writes.delete {
        return Err(Error::Refused(format!(
            "DELETE of {}: {why}; nothing was deleted",
            t.resource.plural.replace('_', " ")
        )));
    }
    let all: Vec<&str> = t.resource.fields.iter().map(|f| f.name).collect();
    let fields: &[&str] = if whole { &all } else { &[] };
    let select = target_select(text, t, table, fields, &[], selection, ctx, "DELETE")?;
    Ok(ContentsPlan {
        verb: Verb::Delete,
        table: t,
        select,
        sets: Vec::new(),
        columns: Vec::new(),
        default_region: None,
        profiles: None,
        default_profiles: Vec::new(),
        tests: Vec::new(),
        keys: Vec::new(),
        returning: None,
    })
}

/// INSERT into an instance's contents: each row of the source (VALUES or
/// any SELECT, run by SQLite) becomes one create call. Columns are spelled
/// as SELECT spells them (or as CloudFormation's properties), with
/// `region` and `data__InstanceId` among them.
pub fn plan_insert(
    text: &SourceText,
    t: &'static Table,
    columns: &[sqlparser::ast::Ident],
    ctx: &PlanContext,
) -> Result<ContentsPlan, Error> {
    let r = t.resource;
    let Some(create) = &r.writes.create else {
        return Err(Error::Refused(format!(
            "INSERT into {}: {}; nothing was created",
            t.id,
            no_write_path(r).unwrap_or("Connect has no operation that creates one")
        )));
    };
    if columns.is_empty() {
        return Err(Error::InvalidParam {
            param: "columns".into(),
            message: format!(
                "name the create properties, e.g.\n  INSERT INTO {} ({}, region{}) VALUES (...)",
                t.id,
                create.fields().take(3).collect::<Vec<_>>().join(", "),
                if in_instance(r) {
                    ", data__InstanceId"
                } else {
                    ""
                }
            ),
        });
    }
    let mut list = Vec::new();
    for c in columns {
        let name = c.value.as_str();
        let column = if name.eq_ignore_ascii_case(crate::catalog::INSTANCE_ID) {
            if !in_instance(r) {
                return Err(Error::InvalidParam {
                    param: crate::catalog::INSTANCE_ID.into(),
                    message: format!(
                        "does not belong in an INSERT into {}: its region is its place",
                        t.id
                    ),
                });
            }
            InsertColumn::Instance
        } else {
            let index = r
                .fields
                .iter()
                .position(|f| {
                    f.name.eq_ignore_ascii_case(name)
                        || f.cfn.is_some_and(|p| p.eq_ignore_ascii_case(name))
                })
                .ok_or_else(|| Error::Unknown {
                    what: "field",
                    name: name.to_string(),
                    suggestion: crate::catalog::suggest(name, r.fields.iter().map(|f| f.name))
                        .map(str::to_string),
                    known: r
                        .fields
                        .iter()
                        .map(|f| f.name)
                        .collect::<Vec<_>>()
                        .join(", "),
                })?;
            let f = &r.fields[index];
            // `region` and `profile` say where the row goes, not a property.
            let creatable = f.name == REGION
                || f.name == PROFILE
                || (f.name == "tags" && r.writes.tags)
                || create.fields().any(|x| x == f.name);
            if !creatable {
                let after = match r.writes.changed_by(f.name) {
                    Some(op) if !f.read_only => {
                        format!("; set it afterwards with UPDATE ({op} changes it)")
                    }
                    _ => String::new(),
                };
                return Err(Error::Refused(format!(
                    "{} is not set when a {} is created ({} does not take it{}){after}; nothing was created",
                    f.name,
                    r.singular.replace('_', " "),
                    create.op,
                    if f.read_only { ": Connect sets it" } else { "" }
                )));
            }
            InsertColumn::Field(index)
        };
        if list.contains(&column) {
            return Err(Error::InvalidParam {
                param: name.to_string(),
                message: "named twice in the column list".into(),
            });
        }
        list.push(column);
    }
    if in_instance(r) && !list.contains(&InsertColumn::Instance) {
        return Err(Error::MissingParam {
            param: crate::catalog::INSTANCE_ID,
            method: "create_resource",
            resource: t.id.clone(),
            example: format!(
                "name it in the column list, e.g.\n  INSERT INTO {} ({}, region, data__InstanceId) VALUES (..., 'us-east-1', '<instance alias, id or ARN>')",
                t.id,
                create.fields().take(3).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    // Required properties the create operation takes must be given.
    for f in r.fields.iter().filter(|f| f.required) {
        let index = r.field_index(f.name).expect("its own field");
        if create.fields().any(|x| x == f.name) && !list.contains(&InsertColumn::Field(index)) {
            return Err(Error::InvalidParam {
                param: f.name.into(),
                message: format!(
                    "is required to create {} ({} needs it{}); add it to the column list",
                    a_or_an(r.singular),
                    create.op,
                    f.cfn.map(|p| format!(" as {p}")).unwrap_or_default()
                ),
            });
        }
    }
    let source = text
        .change_clauses()
        .and_then(|c| c.source)
        .ok_or_else(|| Error::Unsupported("INSERT without VALUES or SELECT".into()))?;
    let statement = parse_one(&source)?;
    let select = planner::plan_query(&source, statement, ctx)?;
    Ok(ContentsPlan {
        verb: Verb::Insert,
        table: t,
        select,
        sets: Vec::new(),
        columns: list,
        default_region: ctx.sole_default_region(),
        profiles: ctx
            .profiles
            .as_ref()
            .map(|l| l.iter().map(|p| p.name.clone()).collect()),
        default_profiles: ctx.default_profiles.clone(),
        tests: Vec::new(),
        keys: Vec::new(),
        returning: None,
    })
}

/// The engine's query for RETURNING: its items over the rows of the
/// changed items (read back, or as they were for DELETE), checked before
/// any call.
pub fn returning_plan(t: &'static Table, items: &[SelectItem]) -> SelectPlan {
    let list = items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let resource = t.resource;
    SelectPlan {
        sources: vec![SourceSpec {
            table: "src0".into(),
            catalog: t,
            resource,
            qualifier: t.name.to_string(),
            targets: Targets::default(),
            needed: FieldSet::all(resource),
            predicates: Vec::new(),
            calls: plan_calls(resource, FieldSet::all(resource), &[], &[]),
            // Its rows are given: nothing is read.
            steps: Vec::new(),
            inherited_from: None,
            fresh: false,
        }],
        sql: format!("SELECT {list} FROM src0 AS {}", t.name),
        locals: Vec::new(),
    }
}

/// The instances an INSERT's rows name, as (place, name as written).
pub fn named_instances(
    plan: &ContentsPlan,
    answer: &ResultSet,
) -> Result<Vec<(Place, String)>, Error> {
    let mut out = Vec::new();
    if !in_instance(plan.table.resource) {
        return Ok(out);
    }
    for row in &answer.rows {
        let (place, instance) = place_of(plan, row)?;
        if !out.contains(&(place.clone(), instance.clone())) {
            out.push((place, instance));
        }
    }
    Ok(out)
}

/// A row's place (its `profile` column, else the session's; its `region`,
/// else the default) and instance (as written).
fn place_of(plan: &ContentsPlan, row: &[Value]) -> Result<(Place, String), Error> {
    let r = plan.table.resource;
    let value = |c: InsertColumn| {
        plan.columns
            .iter()
            .position(|x| *x == c)
            .and_then(|i| row.get(i))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let region = r
        .field_index(REGION)
        .and_then(|i| value(InsertColumn::Field(i)))
        .or_else(|| plan.default_region.clone())
        .ok_or_else(|| Error::MissingParam {
            param: REGION,
            method: "create_resource",
            resource: plan.table.id.clone(),
            example: "add region to the column list, or set a default region (--region)".into(),
        })?;
    let region = crate::sql::resolve::validate_region(&region)?;
    let profile = match r
        .field_index(PROFILE)
        .and_then(|i| value(InsertColumn::Field(i)))
    {
        Some(p) => Some(p),
        None => match plan.default_profiles.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            several => {
                return Err(Error::InvalidParam {
                    param: PROFILE.into(),
                    message: format!(
                        "the session reads several profiles ({}); a new row goes to one: add \
                         profile to the column list, or set one with .profile",
                        several.join(", ")
                    ),
                })
            }
        },
    };
    if let (Some(p), Some(known)) = (&profile, &plan.profiles) {
        if !known.contains(p) {
            return Err(Error::Unknown {
                what: PROFILE,
                name: p.clone(),
                suggestion: crate::catalog::suggest(p, known.iter().map(String::as_str))
                    .map(str::to_string),
                known: known.join(", "),
            });
        }
    }
    let place = Place::new(profile.as_deref(), &region);
    if !in_instance(r) {
        return Ok((place, String::new()));
    }
    let instance = value(InsertColumn::Instance).ok_or_else(|| Error::InvalidParam {
        param: crate::catalog::INSTANCE_ID.into(),
        message: "is NULL in a row; every row names the instance to create in".into(),
    })?;
    Ok((place, instance))
}

/// The create calls of an INSERT, one per source row, each validated
/// before any call. `instance` gives an instance's (id, ARN) from its
/// region and name as written, or `None` when there is no such instance.
pub fn creates(
    plan: &ContentsPlan,
    answer: &ResultSet,
    instance: impl Fn(&Place, &str) -> Option<(String, String)>,
) -> Result<Vec<PlannedWrite>, Error> {
    let r = plan.table.resource;
    let create = r.writes.create.as_ref().expect("checked when planned");
    if answer.columns.len() != plan.columns.len() {
        return Err(Error::InvalidParam {
            param: "VALUES".into(),
            message: format!(
                "the source gives {} columns for {} in the column list",
                answer.columns.len(),
                plan.columns.len()
            ),
        });
    }
    let mut out = Vec::new();
    for (n, row) in answer.rows.iter().enumerate() {
        let (place, written) = place_of(plan, row)?;
        let mut input = Map::new();
        // Where the new item goes: its instance, or (an instance) its region.
        let new_arn = if in_instance(r) {
            let Some((instance_id, instance_arn)) = instance(&place, &written) else {
                return Err(Error::InvalidParam {
                    param: crate::catalog::INSTANCE_ID.into(),
                    message: format!(
                        "row {}: no instance `{written}` in {place}; nothing was created",
                        n + 1
                    ),
                });
            };
            input.insert("InstanceId".into(), Value::String(instance_id));
            format!("{instance_arn}/{NEW}{n})")
        } else {
            format!("{NEW}{n})")
        };
        let mut name = String::new();
        // Keys of a field changed one call each that the create does not take.
        let mut later: Vec<(String, Value)> = Vec::new();
        for (column, value) in plan.columns.iter().zip(row) {
            let InsertColumn::Field(index) = *column else {
                continue;
            };
            let f = &r.fields[index];
            if f.name == REGION || f.name == PROFILE {
                continue;
            }
            let value = typed(f.name, f.ty, value.clone())?;
            if value.is_null() {
                continue;
            }
            if f.name == created_key(r) {
                name = value.as_str().unwrap_or_default().to_string();
            }
            if f.name == "tags" {
                input.insert("Tags".into(), shapes::tag_map(&value, f.name)?);
                continue;
            }
            if let Some(k) = r.writes.each_key.filter(|k| k.field == f.name) {
                for (key, v) in key_values(k, &value)? {
                    match k.at_create.iter().find(|(_, at)| *at == key) {
                        Some((member, _)) => {
                            input.insert(member.to_string(), v);
                        }
                        None => later.push((key, v)),
                    }
                }
                continue;
            }
            let member = create
                .members
                .iter()
                .find(|(_, field)| *field == f.name)
                .map(|(m, _)| *m)
                .expect("checked when planned");
            // The request list's limit, as the set's removal declares it:
            // said before any call, with the way to add the rest.
            let limit = r
                .writes
                .updates
                .iter()
                .find(|u| u.fields().any(|x| x == f.name))
                .and_then(|u| u.remove.as_ref())
                .and_then(|removal| removal.per_call);
            if let (Some(limit), Value::Array(list)) = (limit, &value) {
                if list.len() > limit {
                    return Err(Error::InvalidParam {
                        param: f.name.into(),
                        message: format!(
                            "row {}: {} takes at most {limit} (got {}); create it with {limit} and add the rest with UPDATE; nothing was created",
                            n + 1,
                            create.op,
                            list.len()
                        ),
                    });
                }
            }
            shapes::put_member(
                &mut input,
                member,
                to_api(&value, put_form(r, index).unwrap_or(Put::AsIs), f.name)?,
            );
        }
        // A row that names its own target instance (a number claimed by
        // its `target_arn`, which may also be a traffic distribution group)
        // goes there: the request takes that member or InstanceId, not both.
        let names_its_target = create.members.iter().any(|(member, field)| {
            input.contains_key(*member)
                && r.field(field).is_some_and(|f| {
                    f.reference
                        == crate::catalog::Reference::Arn(
                            crate::catalog::instance_resource().singular,
                        )
                })
        });
        if names_its_target {
            input.remove("InstanceId");
        }
        let row_error = |param: &str, message: String| Error::InvalidParam {
            param: format!("{param} (row {})", n + 1),
            message: format!("{message}; nothing was created"),
        };
        if let Some(k) = r.writes.each_key {
            for (member, key) in k.at_create {
                if !input.contains_key(*member) {
                    return Err(row_error(
                        k.field,
                        format!(
                            "{key} is required to create {} ({} takes it as {member})",
                            a_or_an(r.singular),
                            create.op
                        ),
                    ));
                }
            }
        }
        if let Some(check) = r.writes.check_create {
            check(&input).map_err(|(member, why)| row_error(member, why))?;
        }
        let item = if name.is_empty() {
            format!("row {}", n + 1)
        } else {
            name
        };
        out.push(PlannedWrite {
            place: place.clone(),
            item: item.clone(),
            item_arn: new_arn.clone(),
            property: "(a new item)".into(),
            before: Value::Null,
            after: Value::String("created".into()),
            op: create.op,
            input: Value::Object(input),
        });
        // The other keys, on the new item once it is ready.
        if let Some(k) = r.writes.each_key {
            for (key, v) in later {
                out.push(PlannedWrite {
                    place: place.clone(),
                    item: item.clone(),
                    item_arn: new_arn.clone(),
                    property: format!("{}.{key}", k.field),
                    before: Value::Null,
                    after: v.clone(),
                    op: k.op,
                    input: key_input(k, &key, &v),
                });
            }
        }
    }
    Ok(out)
}

/// The (key, value) pairs of a field whose keys change one call each,
/// checked: known keys, values true or false.
fn key_values(k: &EachKey, value: &Value) -> Result<Vec<(String, Value)>, Error> {
    let Value::Object(map) = value else {
        return Err(Error::InvalidParam {
            param: k.field.into(),
            message: "expects a JSON object of names to true or false".into(),
        });
    };
    let mut out = Vec::new();
    for (key, v) in map {
        if k.api_name(key).is_none() {
            return Err(Error::Unknown {
                what: "key",
                name: format!("{}.{key}", k.field),
                suggestion: crate::catalog::suggest(key, k.keys.iter().map(|(n, _)| *n))
                    .map(|s| format!("{}.{s}", k.field)),
                known: k
                    .keys
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if !v.is_boolean() {
            return Err(Error::InvalidParam {
                param: format!("{}.{key}", k.field),
                message: format!("must be true or false, not {v}"),
            });
        }
        out.push((key.clone(), v.clone()));
    }
    Ok(out)
}

/// The input of one key's call, without the item's URI labels.
fn key_input(k: &EachKey, key: &str, v: &Value) -> Value {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut input = Map::new();
    input.insert(
        k.key_member.to_string(),
        Value::String(k.api_name(key).unwrap_or(key).to_string()),
    );
    input.insert(k.value_member.to_string(), Value::String(text));
    Value::Object(input)
}

/// The calls of an UPDATE of a field whose keys change one call each: one
/// per key whose value differs (keys not given are left as they are).
#[allow(clippy::too_many_arguments)]
fn key_writes(
    k: &EachKey,
    place: &Place,
    item: &str,
    item_arn: &str,
    mut base: Map<String, Value>,
    before: &Value,
    after: &Value,
) -> Result<Vec<PlannedWrite>, Error> {
    let mut out = Vec::new();
    for (key, v) in key_values(k, after)? {
        let was = before.get(&key).cloned().unwrap_or(Value::Null);
        if was == v {
            continue;
        }
        if let Value::Object(m) = key_input(k, &key, &v) {
            base.extend(m);
        }
        out.push(PlannedWrite {
            place: place.clone(),
            item: item.to_string(),
            item_arn: item_arn.to_string(),
            property: format!("{}.{key}", k.field),
            before: was,
            after: v,
            op: k.op,
            input: Value::Object(base.clone()),
        });
    }
    Ok(out)
}

/// The field naming what an INSERT creates, which a re-run finds among
/// the existing items instead of creating it again: the item's name, or
/// for a table listed over a field's values, that value (an instance has
/// one storage config per resource type; its association id is Connect's).
pub fn created_key(r: &ResourceType) -> &'static str {
    r.list_over.map_or(r.name_field, |o| o.field)
}

/// Why UPDATE cannot set `field` of `r` today (`None`: it can).
pub fn not_writable(r: &ResourceType, field: &str) -> Option<String> {
    let index = r.field_index(field)?;
    match changeable(r, index) {
        Ok(()) => None,
        Err(Error::Refused(why)) => Some(
            why.trim_end_matches("; nothing was changed")
                .split_once(": ")
                .map(|(_, reason)| reason.to_string())
                .unwrap_or(why),
        ),
        Err(e) => Some(e.to_string()),
    }
}

/// Why nothing of a resource can change, when nothing can: its
/// Deletion's reason.
fn no_write_path(r: &ResourceType) -> Option<&'static str> {
    match r.writes.delete {
        Deletion::Impossible(why) if r.writes.create.is_none() && r.writes.updates.is_empty() => {
            Some(why)
        }
        _ => None,
    }
}

/// The field holding the instance's ARN: `instance_arn`, or CloudFormation's
/// `instance_id` (approved origins, integration associations).
pub fn instance_field(r: &ResourceType) -> &'static str {
    r.fields
        .iter()
        .find(|f| matches!(f.source, Source::InstanceArn))
        .map_or(INSTANCE_ARN, |f| f.name)
}

/// Refuses, with the reason, a field no operation changes.
fn changeable(r: &ResourceType, index: usize) -> Result<(), Error> {
    let f = &r.fields[index];
    let refuse = |why: String| {
        Err(Error::Refused(format!(
            "{} cannot be changed: {why}; nothing was changed",
            f.name
        )))
    };
    if f.name == REGION || f.name == PROFILE || matches!(f.source, Source::InstanceArn) {
        return refuse("it is where the item lives".into());
    }
    if f.read_only {
        return refuse("it is read-only (Connect sets it)".into());
    }
    if f.create_only {
        return refuse("it is set only when the item is created".into());
    }
    if let Some(followed) = f.follows {
        return refuse(format!(
            "it follows the {followed} of the {} it lists; change those",
            r.plural.replace('_', " ")
        ));
    }
    // Its keys change one call each (catalog/writes.rs, EachKey).
    if r.writes.each_key.is_some_and(|k| k.field == f.name) {
        return Ok(());
    }
    let Some(op) = r.writes.changed_by(f.name) else {
        if let Some(why) = no_write_path(r) {
            return refuse(why.to_string());
        }
        return refuse(format!(
            "no operation in the catalog changes a {}'s {}",
            r.singular.replace('_', " "),
            f.name
        ));
    };
    if op != Op::TagResource && put_form(r, index).is_none() {
        return refuse(format!(
            "the catalog does not say how its CloudFormation shape goes into {op}'s request"
        ));
    }
    Ok(())
}

/// The SELECT that finds a change's targets: the user's table reference,
/// WHERE clause and SET expressions, as written.
#[allow(clippy::too_many_arguments)]
fn target_select(
    text: &SourceText,
    t: &'static Table,
    table: &TableWithJoins,
    fields: &[&str],
    extra: &[String],
    selection: Option<&Expr>,
    ctx: &PlanContext,
    verb: &str,
) -> Result<SelectPlan, Error> {
    if !table.joins.is_empty() {
        return Err(Error::Unsupported(format!(
            "{verb} with JOIN; select the targets in the WHERE clause (… IN (SELECT …))"
        )));
    }
    let written = text.change_clauses().and_then(|c| c.selection);
    let (Some(_), Some(selection)) = (selection, written) else {
        return Err(Error::Refused(format!(
            "{verb} of {} without WHERE: say which items (WHERE region = '...' AND {} = '...' AND ...); nothing was changed",
            t.id,
            if in_instance(t.resource) {
                crate::catalog::INSTANCE_ID
            } else {
                crate::catalog::IDENTIFIER
            }
        )));
    };
    let relation = match &table.relation {
        TableFactor::Table { name, alias, .. } => {
            let written = text
                .name_range(name)
                .map(|(s, e)| text.as_str()[s..e].to_string())
                .unwrap_or_else(|| name.to_string());
            match alias {
                Some(a) => format!("{written} AS {}", a.name),
                None => written,
            }
        }
        other => {
            return Err(Error::Unsupported(format!("{verb} of `{other}`")));
        }
    };
    // Only what the change needs is read: the keys, then `fields`.
    let r = t.resource;
    let mut names: Vec<&str> = vec![REGION, PROFILE];
    if in_instance(r) {
        names.push(instance_field(r));
    }
    let keys = [
        Some(r.id_field),
        r.arn_field,
        Some(r.name_field),
        r.list_over.map(|o| o.field),
    ];
    for f in keys.into_iter().flatten().chain(fields.iter().copied()) {
        if !names.contains(&f) {
            names.push(f);
        }
    }
    let qualifier = match &table.relation {
        TableFactor::Table { alias: Some(a), .. } => a.name.to_string(),
        _ => t.name.to_string(),
    };
    let mut list: Vec<String> = names
        .iter()
        .map(|n| format!("{qualifier}.\"{n}\" AS \"{n}\""))
        .collect();
    list.extend(extra.iter().cloned());
    let sql = format!(
        "SELECT {} FROM {relation} WHERE {selection}",
        list.join(", ")
    );
    let statement = parse_one(&sql)?;
    let mut plan = planner::plan_query(&sql, statement, ctx)?;
    // A change starts from the truth, not the cache.
    for s in &mut plan.sources {
        s.fresh = true;
    }
    Ok(plan)
}

/// Every string of a request that is a Connect ARN (other services' ARNs,
/// a role or a function, may be in another account).
fn arns_in(v: &Value, found: &mut impl FnMut(&str)) {
    match v {
        Value::String(s) if s.starts_with("arn:") && s.split(':').nth(2) == Some("connect") => {
            found(s)
        }
        Value::Array(items) => items.iter().for_each(|i| arns_in(i, found)),
        Value::Object(m) => m.values().for_each(|i| arns_in(i, found)),
        _ => {}
    }
}

/// The column of the targets' profile when the statement chose profiles:
/// each target is then changed with its own profile's credentials; `None`:
/// the session's.
fn profile_column(plan: &ContentsPlan, answer: &ResultSet) -> Option<usize> {
    let r = plan.table.resource;
    plan.select
        .sources
        .iter()
        .find(|s| std::ptr::eq(s.resource, r))
        .filter(|s| !s.targets.profiles.is_empty())?;
    answer.columns.iter().position(|c| c.name == PROFILE)
}

/// The account of `value` (an ARN) when it is not the account of the
/// row's instance (its ARN as written, or the ARNs of its items).
fn other_account(value: &str, instance: &str, items: &[Referenced]) -> Option<String> {
    let theirs = crate::catalog::arn_account(value)?;
    let ours = crate::catalog::arn_account(instance).or_else(|| {
        items
            .iter()
            .find_map(|(_, arn, _)| crate::catalog::arn_account(arn))
    })?;
    (theirs != ours).then(|| theirs.to_string())
}

/// The calls that make the targets what the statement says, from the
/// target SELECT's answer: per row and per changed field, the difference
/// between the current and the wanted value.
pub fn writes(plan: &ContentsPlan, answer: &ResultSet) -> Result<Vec<PlannedWrite>, Error> {
    let r = plan.table.resource;
    let column = |name: &str| answer.columns.iter().position(|c| c.name == name);
    let at = |field: &str| {
        column(field).ok_or_else(|| Error::Engine(format!("internal: no column {field}")))
    };
    let (region_at, id_at) = (at(REGION)?, at(r.id_field)?);
    // Each target's place: its row's profile when the statement chose
    // profiles (the row's own credentials), else the session's.
    let profile_at = profile_column(plan, answer);
    // An instance's place is its region: it has no instance_arn column.
    let instance_at = if in_instance(r) {
        Some(at(instance_field(r))?)
    } else {
        None
    };
    let arn_at = r.arn_field.map(at).transpose()?;
    let name_at = column(r.name_field);
    // An item of a table listed over a field's values (a storage config,
    // per resource type) is named by that value too, in every call on it.
    let over_at = r
        .list_over
        .map(|o| at(o.field).map(|i| (o.member, i)))
        .transpose()?;
    let mut out = Vec::new();
    for row in &answer.rows {
        let text = |i: usize| row[i].as_str().unwrap_or("").to_string();
        let place = Place::new(
            profile_at.map(text).as_deref().filter(|p| !p.is_empty()),
            &text(region_at),
        );
        let instance_arn = instance_at.map(text).unwrap_or_default();
        let id = text(id_at);
        let instance_id = match instance_at {
            Some(_) => instance_arn.rsplit('/').next().unwrap_or("").to_string(),
            None => id.clone(),
        };
        let item_arn = arn_at.map(text).unwrap_or_default();
        let item = name_at
            .map(text)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| id.clone());
        let base = |op: Op| -> Map<String, Value> {
            let mut input = Map::new();
            for label in uri_labels(op) {
                let value = if label == "InstanceId" {
                    instance_id.clone()
                } else {
                    id.clone()
                };
                input.insert(label.to_string(), Value::String(value));
            }
            if let Some((member, i)) = over_at {
                input.insert(member.to_string(), row[i].clone());
            }
            input
        };
        match plan.verb {
            Verb::Insert => {}
            Verb::Delete => {
                let Deletion::By(op) = r.writes.delete else {
                    continue;
                };
                let mut input = base(op);
                // An item its URI does not name (an approved origin) is
                // named by its identifier's own member (`Origin`); an
                // instance is its URI's InstanceId itself.
                if in_instance(r) && uri_labels(op).iter().all(|l| *l == "InstanceId") {
                    if let Some(member) = r.field(r.id_field).and_then(|f| f.cfn) {
                        input.insert(member.to_string(), Value::String(id.clone()));
                    }
                }
                out.push(PlannedWrite {
                    place,
                    item,
                    item_arn,
                    property: "(the item)".into(),
                    before: Value::String("exists".into()),
                    after: Value::String("deleted".into()),
                    op,
                    input: Value::Object(input),
                });
            }
            Verb::Update => {
                for (i, &field) in plan.sets.iter().enumerate() {
                    let f = &r.fields[field];
                    let before = row[at(f.name)?].clone();
                    let wanted = row[at(&set_column(i))?].clone();
                    let after = typed(f.name, f.ty, wanted)?;
                    if same(&before, &after) {
                        continue;
                    }
                    let op = r.writes.changed_by(f.name).expect("checked when planned");
                    if let Some(k) = r.writes.each_key.filter(|k| k.field == f.name) {
                        out.extend(key_writes(
                            k,
                            &place,
                            &item,
                            &item_arn,
                            base(k.op),
                            &before,
                            &after,
                        )?);
                        continue;
                    }
                    if op == Op::TagResource {
                        out.extend(tag_writes(
                            &place, &item, &item_arn, &before, &after, f.name,
                        )?);
                        continue;
                    }
                    let update = r
                        .writes
                        .updates
                        .iter()
                        .find(|u| u.fields().any(|x| x == f.name))
                        .expect("changed_by found it");
                    let put = put_form(r, field).expect("checked when planned");
                    let (old, new) = (to_api(&before, put, f.name)?, to_api(&after, put, f.name)?);
                    if shapes::same_api(&old, &new, put) {
                        continue;
                    }
                    if let Some(removal) = &update.remove {
                        let base = |o: Op| {
                            let mut input = base(o);
                            if removal.names_instance {
                                input.insert(
                                    "InstanceId".into(),
                                    Value::String(instance_id.clone()),
                                );
                            }
                            input
                        };
                        let write = |op: Op, input: Map<String, Value>| PlannedWrite {
                            place: place.clone(),
                            item: item.clone(),
                            item_arn: item_arn.clone(),
                            property: f.name.to_string(),
                            before: before.clone(),
                            after: after.clone(),
                            op,
                            input: Value::Object(input),
                        };
                        if let Some(id_member) = removal.own_id {
                            for call in
                                own_item_calls(update, removal, id_member, &old, &new, f.name)?
                            {
                                let mut input = base(call.op);
                                input.extend(call.members);
                                out.push(PlannedWrite {
                                    before: call.before,
                                    after: call.after,
                                    ..write(call.op, input)
                                });
                            }
                            continue;
                        }
                        for (o, member, list) in removal_calls(update, removal, &old, &new, f.name)?
                        {
                            let Some(member) = member else {
                                out.push(write(o, base(o)));
                                continue;
                            };
                            // Another field's call of the same operation on
                            // the same item takes this member too (a
                            // routing profile's queues and manual queues).
                            if let Some(w) = out.iter_mut().find(|w| {
                                w.op == o
                                    && w.item_arn == item_arn
                                    && w.place == place
                                    && w.input.get(member).is_none()
                            }) {
                                if let Value::Object(input) = &mut w.input {
                                    input.insert(member.to_string(), list);
                                }
                                w.property = format!("{}, {}", w.property, f.name);
                                continue;
                            }
                            let mut input = base(o);
                            input.insert(member.to_string(), list);
                            out.push(write(o, input));
                        }
                        continue;
                    }
                    // Members of the same operation travel together: the
                    // others keep their current values (or the wanted ones
                    // when also set by this statement).
                    let mut input = base(op);
                    for (member, other) in update.members {
                        let index = r.field_index(other).expect("checked by the catalog test");
                        let value = match plan.sets.iter().position(|&s| s == index) {
                            Some(k) => {
                                typed(other, r.fields[index].ty, row[at(&set_column(k))?].clone())?
                            }
                            None => row[at(other)?].clone(),
                        };
                        let form = put_form(r, index).unwrap_or(Put::AsIs);
                        let value = match to_api(&value, form, other)? {
                            // Set to NULL by this statement: cleared.
                            Value::Null if plan.sets.contains(&index) => shapes::cleared(form),
                            v => v,
                        };
                        if !value.is_null() {
                            shapes::put_member(&mut input, member, value);
                        }
                    }
                    // One call per operation and item even when it sets
                    // several fields: merge with a call already planned.
                    if let Some(w) = out
                        .iter_mut()
                        .find(|w| w.op == op && w.item_arn == item_arn && w.place == place)
                    {
                        w.property = format!("{}, {}", w.property, f.name);
                        continue;
                    }
                    out.push(PlannedWrite {
                        place: place.clone(),
                        item: item.clone(),
                        item_arn: item_arn.clone(),
                        property: f.name.to_string(),
                        before,
                        after,
                        op,
                        input: Value::Object(input),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// The labels of an operation's URI (`InstanceId`, `QueueId`…).
pub fn uri_labels(op: Op) -> Vec<&'static str> {
    op.def()
        .uri
        .split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .collect()
}

/// A SET value in the field's type: JSON text for object and array fields
/// is parsed, 0/1 are booleans for boolean fields; anything else of the
/// wrong type is refused before any call.
fn typed(field: &str, ty: FieldType, v: Value) -> Result<Value, Error> {
    let wrong = |what: &str| {
        Err(Error::InvalidParam {
            param: field.to_string(),
            message: format!("expects {what}, got {v}"),
        })
    };
    match (ty, &v) {
        (_, Value::Null) => Ok(Value::Null),
        (FieldType::Object | FieldType::Array, Value::String(s)) => {
            match serde_json::from_str::<Value>(s) {
                Ok(parsed @ Value::Object(_)) if ty == FieldType::Object => Ok(parsed),
                Ok(parsed @ Value::Array(_)) if ty == FieldType::Array => Ok(parsed),
                _ => wrong(if ty == FieldType::Object {
                    "a JSON object (e.g. json_object(...))"
                } else {
                    "a JSON array (e.g. json_array(...))"
                }),
            }
        }
        (FieldType::Object, Value::Object(_)) | (FieldType::Array, Value::Array(_)) => Ok(v),
        (FieldType::Boolean, Value::Number(n)) if n.as_i64() == Some(0) => Ok(Value::Bool(false)),
        (FieldType::Boolean, Value::Number(n)) if n.as_i64() == Some(1) => Ok(Value::Bool(true)),
        (FieldType::Boolean, Value::Bool(_)) => Ok(v),
        (FieldType::Integer, Value::Number(n)) if n.is_i64() => Ok(v),
        (FieldType::Number, Value::Number(_)) => Ok(v),
        (FieldType::String, Value::String(_)) => Ok(v),
        (FieldType::Boolean, _) => wrong("true or false (1 or 0)"),
        (FieldType::Integer, _) => wrong("an integer"),
        (FieldType::Number, _) => wrong("a number"),
        (FieldType::String, _) => wrong("text"),
        (FieldType::Object, _) => wrong("a JSON object"),
        (FieldType::Array, _) => wrong("a JSON array"),
    }
}

/// One call of a field's change: the operation, and the member it fills
/// with the value (none for a call that only names the item).
type FieldCall = (Op, Option<&'static str>, Value);

/// The calls that take a field from `old` to `new` (request forms) through
/// an operation with a removal, in order: (operation, member, its value),
/// no member for a call that only names the item. A single value is set
/// by `update.op` or cleared by the removal; a set changes by difference:
/// what is gone first, then what changed, then what is new, each in calls
/// of at most `per_call` elements.
fn removal_calls(
    update: &WriteOp,
    removal: &Removal,
    old: &Value,
    new: &Value,
    field: &str,
) -> Result<Vec<FieldCall>, Error> {
    let add = update.members[0].0;
    let Some(remove) = removal.member else {
        return Ok(if new.is_null() {
            vec![(removal.op, None, Value::Null)]
        } else {
            vec![(update.op, Some(add), new.clone())]
        });
    };
    let mut d = shapes::difference(old, new, removal.key, field)?;
    let change = match removal.change {
        Some(op) => op,
        // Without an operation that changes an element in place, a changed
        // one is taken away and added again.
        None => {
            for e in std::mem::take(&mut d.changed) {
                let key = match removal.key {
                    Some(k) => shapes::key_at(&e, k),
                    None => Some(e.clone()),
                };
                d.removed.extend(key);
                d.added.push(e);
            }
            update.op
        }
    };
    let mut out = Vec::new();
    for (op, member, list) in [
        (removal.op, remove, d.removed),
        (change, add, d.changed),
        (update.op, add, d.added),
    ] {
        for chunk in shapes::calls_of(list, removal.per_call) {
            out.push((op, Some(member), Value::Array(chunk)));
        }
    }
    Ok(out)
}

/// One call on an element that is an item of its own: the operation, the
/// element's members (with its id, when it names one), and the element
/// before and after (request forms, without the id; `Null` where there is
/// none), which is what people are shown of it.
struct ElementCall {
    op: Op,
    members: Map<String, Value>,
    before: Value,
    after: Value,
}

/// The calls that take a set of elements that are items of their own
/// (`Removal::own_id`) from `old` to `new` (request forms): each element
/// gone taken away by its id, each changed one changed by its id, each new
/// one added, a call each with the element's members at the top. An id in
/// a wanted element is not the wanted item's (it names the item it was
/// read from, maybe in another instance), so elements are compared and
/// sent without it.
fn own_item_calls(
    update: &WriteOp,
    removal: &Removal,
    id_member: &'static str,
    old: &Value,
    new: &Value,
    field: &str,
) -> Result<Vec<ElementCall>, Error> {
    let without_id = |v: &Value| -> Value {
        Value::Array(
            v.as_array()
                .into_iter()
                .flatten()
                .map(|e| {
                    let mut e = e.clone();
                    if let Value::Object(members) = &mut e {
                        members.remove(id_member);
                    }
                    e
                })
                .collect(),
        )
    };
    let key_of = |e: &Value| match removal.key {
        Some(k) => shapes::key_at(e, k),
        None => Some(e.clone()),
    };
    // The current elements' ids by key.
    let id_of = |key: &Value| -> Option<Value> {
        old.as_array()?
            .iter()
            .find(|e| key_of(e).as_ref() == Some(key))
            .and_then(|e| e.get(id_member).cloned())
    };
    let current = without_id(old);
    let d = shapes::difference(&current, &without_id(new), removal.key, field)?;
    // Shown with what names it first (`{"Name": "Christmas Day", …}`).
    let shown = |e: &Value| -> Value {
        let (Some(key), Value::Object(members)) = (removal.key, e) else {
            return e.clone();
        };
        let mut out = Map::new();
        for k in key.split('+') {
            if let Some(v) = members.get(k) {
                out.insert(k.to_string(), v.clone());
            }
        }
        for (k, v) in members {
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Value::Object(out)
    };
    let members = |e: &Value| -> Map<String, Value> { e.as_object().cloned().unwrap_or_default() };
    let with_id = |key: &Value, mut m: Map<String, Value>| -> Result<_, Error> {
        let id = id_of(key).ok_or_else(|| Error::InvalidParam {
            param: field.into(),
            message: format!("the current element {key} has no {id_member}"),
        })?;
        m.insert(id_member.to_string(), id);
        Ok(m)
    };
    let now = |key: &Value| -> Value {
        current
            .as_array()
            .and_then(|list| list.iter().find(|e| key_of(e).as_ref() == Some(key)))
            .map_or(Value::Null, shown)
    };
    let mut out = Vec::new();
    for key in &d.removed {
        out.push(ElementCall {
            op: removal.op,
            members: with_id(key, Map::new())?,
            before: now(key),
            after: Value::Null,
        });
    }
    for e in &d.changed {
        let key = key_of(e).unwrap_or(Value::Null);
        match removal.change {
            Some(change) => out.push(ElementCall {
                op: change,
                members: with_id(&key, members(e))?,
                before: now(&key),
                after: shown(e),
            }),
            // Without an operation that changes one in place: taken away
            // and added again.
            None => {
                out.push(ElementCall {
                    op: removal.op,
                    members: with_id(&key, Map::new())?,
                    before: now(&key),
                    after: Value::Null,
                });
                out.push(ElementCall {
                    op: update.op,
                    members: members(e),
                    before: Value::Null,
                    after: shown(e),
                });
            }
        }
    }
    for e in &d.added {
        out.push(ElementCall {
            op: update.op,
            members: members(e),
            before: Value::Null,
            after: shown(e),
        });
    }
    Ok(out)
}

/// Tags: CloudFormation's `[{"Key","Value"}]` against the current ones;
/// new and changed keys through TagResource, removed ones through
/// UntagResource.
fn tag_writes(
    place: &Place,
    item: &str,
    arn: &str,
    before: &Value,
    after: &Value,
    field: &str,
) -> Result<Vec<PlannedWrite>, Error> {
    let pairs = |v: &Value| -> Result<Vec<(String, String)>, Error> {
        let list = match v {
            Value::Null => return Ok(Vec::new()),
            Value::Array(list) => list,
            _ => {
                return Err(Error::InvalidParam {
                    param: field.into(),
                    message: "expects [{\"Key\": ..., \"Value\": ...}, ...]".into(),
                })
            }
        };
        list.iter()
            .map(
                |t| match (t.get("Key").and_then(Value::as_str), t.get("Value")) {
                    (Some(k), Some(Value::String(v))) => Ok((k.to_string(), v.clone())),
                    (Some(k), None | Some(Value::Null)) => Ok((k.to_string(), String::new())),
                    _ => Err(Error::InvalidParam {
                        param: field.into(),
                        message: format!("expects {{\"Key\": ..., \"Value\": ...}} items, got {t}"),
                    }),
                },
            )
            .collect()
    };
    let (old, new) = (pairs(before)?, pairs(after)?);
    let mut out = Vec::new();
    let set: Map<String, Value> = new
        .iter()
        .filter(|(k, v)| !old.iter().any(|(ok, ov)| ok == k && ov == v))
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let gone: Vec<Value> = old
        .iter()
        .filter(|(k, _)| !new.iter().any(|(nk, _)| nk == k))
        .map(|(k, _)| Value::String(k.clone()))
        .collect();
    let write = |op: Op, input: Value| PlannedWrite {
        place: place.clone(),
        item: item.to_string(),
        item_arn: arn.to_string(),
        property: field.to_string(),
        before: before.clone(),
        after: after.clone(),
        op,
        input,
    };
    if !set.is_empty() {
        out.push(write(
            Op::TagResource,
            serde_json::json!({"resourceArn": arn, "tags": set}),
        ));
    }
    if !gone.is_empty() {
        out.push(write(
            Op::UntagResource,
            serde_json::json!({"resourceArn": arn, "tagKeys": gone}),
        ));
    }
    Ok(out)
}

/// Values that name other items where a field holds their ARNs: by name
/// or id (`SET routing_profile_arn = 'Tier 2 Agents'`), resolved to ARNs,
/// or by ARN, checked. Both in the row's own instance, before any call,
/// and refused naming what was not found.
#[derive(Debug, Clone)]
pub struct NameRef {
    pub row: usize,
    pub column: usize,
    /// The field set (for messages).
    pub field: &'static str,
    /// The resource the field refers to.
    pub resource: &'static ResourceType,
    /// The row's place: resolved and checked with its own credentials.
    pub place: Place,
    /// The instance, as written (an INSERT's `data__InstanceId`) or its ARN.
    pub instance: String,
    /// The names, ids and ARNs to resolve or check.
    pub names: Vec<String>,
    /// The field holds a list of ARNs (JSON text or an array).
    pub list: bool,
    /// Where the references are inside the field's JSON value (in the
    /// object, or in each object of a list), as its `Shape::Ids` declares;
    /// `None`: the field's value itself.
    pub at: Option<&'static str>,
}

/// An item of a referenced resource in the row's instance, as read:
/// (id, ARN, name).
pub type Referenced = (String, String, String);

/// The resource whose ARNs are of `kind` (`routing-profile`).
fn resource_of_kind(kind: &str) -> Option<&'static ResourceType> {
    crate::catalog::RESOURCE_TYPES
        .iter()
        .copied()
        .find(|r| matches!(r.arn, crate::catalog::ArnForm::Instance(k) if k == kind))
}

/// The kind of item a field's ARNs name, when it is written as ids: the
/// kind its read gives the ids, or for the ARNs of a sub-listing
/// (`ListQueueQuickConnects`), the resource whose own listing it narrows
/// (`ListQuickConnects`).
fn referenced_kind(r: &ResourceType, index: usize) -> Option<&'static str> {
    if let Some(crate::catalog::writes::Shape::Id(kind)) = r.fields[index].written {
        return Some(kind);
    }
    match r.fields[index].reference {
        crate::catalog::Reference::Arn(_) | crate::catalog::Reference::Arns(_) => {
            match r.fields[index].reference.other()?.arn {
                crate::catalog::ArnForm::Instance(kind)
                | crate::catalog::ArnForm::Account(kind) => Some(kind),
                crate::catalog::ArnForm::None => None,
            }
        }
        _ => None,
    }
}

/// The strings of a reference cell: one value, or a list (JSON text or
/// array) of them.
fn cell_values(cell: &Value, list: bool) -> Vec<String> {
    let strings = |items: &[Value]| {
        items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    match cell {
        Value::Array(items) if list => strings(items),
        Value::String(s) if list => match serde_json::from_str::<Value>(s) {
            Ok(Value::Array(items)) => strings(&items),
            _ => Vec::new(),
        },
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The values in a SET or INSERT column whose field holds ARNs of another
/// resource that need a look at that resource: every name and id, and
/// every ARN an UPDATE does not find in the field already (an ARN the
/// item refers to now exists; a re-run reads nothing more).
pub fn names_to_resolve(plan: &ContentsPlan, answer: &ResultSet) -> Result<Vec<NameRef>, Error> {
    let r = plan.table.resource;
    // (column in the answer, field index)
    let columns: Vec<(usize, usize)> = match plan.verb {
        Verb::Update => plan
            .sets
            .iter()
            .enumerate()
            .filter_map(|(i, &f)| {
                let c = answer
                    .columns
                    .iter()
                    .position(|c| c.name == set_column(i))?;
                Some((c, f))
            })
            .collect(),
        Verb::Insert => plan
            .columns
            .iter()
            .enumerate()
            .filter_map(|(c, col)| match col {
                InsertColumn::Field(f) => Some((c, *f)),
                InsertColumn::Instance => None,
            })
            .collect(),
        Verb::Delete => Vec::new(),
    };
    let at = |name: &str| answer.columns.iter().position(|c| c.name == name);
    let profile_at = profile_column(plan, answer);
    let mut out = Vec::new();
    for (n, row) in answer.rows.iter().enumerate() {
        for &(column, field) in &columns {
            let f = &r.fields[field];
            let mut found: Vec<Found> = Vec::new();
            let list = f.ty == FieldType::Array;
            let current = |i: usize| match plan.verb {
                Verb::Update => row[i].clone(),
                _ => Value::Null,
            };
            if let Some(resource) = referenced_kind(r, field).and_then(resource_of_kind) {
                let now = at(f.name)
                    .map(|i| cell_values(&current(i), list))
                    .unwrap_or_default();
                found.push((resource, None, cell_values(&row[column], list), now));
            }
            if let Some(nested) = f.written.map(|w| w.nested()).filter(|n| !n.is_empty()) {
                let given = json_cell(&row[column]);
                let now = at(f.name)
                    .map(|i| json_cell(&current(i)))
                    .unwrap_or_default();
                for (path, _, kind) in nested {
                    let Some(resource) = resource_of_kind(kind) else {
                        continue;
                    };
                    let strings = |v: &Value| -> Vec<String> {
                        shapes::values_at(v, path)
                            .into_iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    };
                    found.push((resource, Some(*path), strings(&given), strings(&now)));
                    // A list of references may name an item by its `Name`
                    // alone, as its read shows it (`[{"Name": "US Business
                    // Hours"}]`): resolved there.
                    if let Some(Shape::Refs(_)) = f.written {
                        let by_name: Vec<String> = given
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter(|e| {
                                shapes::values_at(e, path).is_empty() && e.get("Id").is_none()
                            })
                            .filter_map(|e| e.get(REF_NAME).and_then(Value::as_str))
                            .map(str::to_string)
                            .collect();
                        found.push((resource, Some(REF_NAME), by_name, Vec::new()));
                    }
                }
            }
            for (resource, path, given, now) in found {
                let mut names: Vec<String> = Vec::new();
                for v in given {
                    // An ARN the item holds now was checked when it was set.
                    let held = v.starts_with("arn:") && now.contains(&v);
                    if !held && !names.contains(&v) {
                        names.push(v);
                    }
                }
                if names.is_empty() {
                    continue;
                }
                let (place, instance) = match plan.verb {
                    Verb::Insert => place_of(plan, row)?,
                    _ => {
                        let text = |name: &str| {
                            at(name)
                                .and_then(|i| row[i].as_str())
                                .unwrap_or_default()
                                .to_string()
                        };
                        let profile = profile_at.map(|_| text(PROFILE));
                        (
                            Place::new(profile.as_deref().filter(|p| !p.is_empty()), &text(REGION)),
                            text(instance_field(r)),
                        )
                    }
                };
                out.push(NameRef {
                    row: n,
                    column,
                    field: f.name,
                    resource,
                    place,
                    instance,
                    names,
                    list,
                    at: path,
                });
            }
        }
    }
    Ok(out)
}

/// References found in one cell: the resource referred to, the path
/// inside the value (`None`: the value itself), the values given and the
/// current ones.
type Found = (
    &'static ResourceType,
    Option<&'static str>,
    Vec<String>,
    Vec<String>,
);

/// A cell holding JSON: as given, or parsed from its text (SQLite's
/// json_object() answers text); `Null` when it is neither.
fn json_cell(cell: &Value) -> Value {
    match cell {
        Value::String(s) => serde_json::from_str(s).unwrap_or(Value::Null),
        Value::Array(_) | Value::Object(_) => cell.clone(),
        _ => Value::Null,
    }
}

/// The instance id of an ARN of an item inside an instance (or of the
/// instance itself).
fn instance_id_in(arn: &str) -> Option<&str> {
    arn.split_once(":instance/")
        .and_then(|(_, rest)| rest.split('/').next())
        .filter(|id| !id.is_empty())
}

/// Puts the ARNs of the items named by name or id in their place, and
/// checks that every ARN given is one of `items` (the referenced
/// resource's items in the row's instance, read fresh). Refuses naming
/// the value and the instance: an unknown name, id or ARN, an ARN of
/// another kind, of another region or of another instance.
pub fn substitute(
    answer: &mut ResultSet,
    reference: &NameRef,
    items: &[Referenced],
) -> Result<(), Error> {
    use crate::sql::resolve::ItemRef;
    let what = reference.resource.singular.replace('_', " ");
    let place = format!("instance {} ({})", reference.instance, reference.place);
    // The row's instance id: from its ARN or id as written, or else from
    // the ARNs of its items.
    let instance_id = ItemRef::parse(
        crate::catalog::instance_resource(),
        crate::catalog::INSTANCE_ID,
        &reference.instance,
    )
    .ok()
    .and_then(|i| match i {
        ItemRef::Arn { id, .. } | ItemRef::Id(id) => Some(id),
        ItemRef::Name(_) => None,
    })
    .or_else(|| {
        items
            .iter()
            .find_map(|(_, arn, _)| instance_id_in(arn).map(str::to_string))
    });
    let refuse = |message: String| Error::InvalidParam {
        param: reference.field.to_string(),
        message: format!("{message}; nothing was changed"),
    };
    let resolve = |value: &str| -> Result<String, Error> {
        // An ARN that parses is shown whole: its ids are what differs.
        let quoted = format!("'{value}'");
        let parsed = ItemRef::parse(reference.resource, reference.field, value).map_err(|e| {
            // An ARN of another kind of item says which.
            let other = crate::catalog::RESOURCE_TYPES.iter().find(|r| {
                matches!(r.arn, crate::catalog::ArnForm::Instance(_))
                    && matches!(
                        ItemRef::parse(r, reference.field, value),
                        Ok(ItemRef::Arn { .. })
                    )
            });
            match other {
                Some(o) => refuse(format!(
                    "{} is the ARN of a {}, not of a {what}",
                    quoted,
                    o.singular.replace('_', " ")
                )),
                None => e,
            }
        })?;
        match parsed {
            ItemRef::Arn {
                region,
                instance_id: of,
                ..
            } => {
                if items.iter().any(|(_, arn, _)| arn == value) {
                    return Ok(value.to_string());
                }
                let same_instance = "Connect links only items of the same instance";
                if let Some(theirs) = other_account(value, &reference.instance, items) {
                    return Err(refuse(format!(
                        "{} is in account {theirs}, not in the account of {place}: {same_instance}",
                        quoted
                    )));
                }
                if region != reference.place.region {
                    return Err(refuse(format!(
                        "{} is in region {region}, not in {place}: {same_instance}",
                        quoted
                    )));
                }
                if let (Some(of), Some(here)) = (&of, &instance_id) {
                    if !of.eq_ignore_ascii_case(here) {
                        return Err(refuse(format!(
                            "{} is in instance {of}, not in {place}: {same_instance}",
                            quoted
                        )));
                    }
                }
                Err(refuse(format!("no {what} {} in {place}", quoted)))
            }
            ItemRef::Id(_) | ItemRef::Name(_) => items
                .iter()
                .find(|(id, _, n)| id.eq_ignore_ascii_case(value) || n == value)
                .or_else(|| items.iter().find(|(_, _, n)| n.eq_ignore_ascii_case(value)))
                .map(|(_, arn, _)| arn.clone())
                .ok_or_else(|| refuse(format!("no {what} named `{value}` in {place}"))),
        }
    };
    let resolve_all = |items: Vec<Value>| -> Result<Value, Error> {
        items
            .into_iter()
            .map(|v| match v {
                Value::String(x) if reference.names.contains(&x) => resolve(&x).map(Value::String),
                other => Ok(other),
            })
            .collect::<Result<Vec<Value>, Error>>()
            .map(Value::Array)
    };
    let cell = &answer.rows[reference.row][reference.column];
    if let Some(path) = reference.at {
        // Inside the value: replaced where it is, the cell keeping its
        // form (JSON text stays text).
        let mut value = json_cell(cell);
        shapes::replace_at(&mut value, path, &mut |v: &str| {
            if reference.names.iter().any(|n| n == v) {
                resolve(v).map(Some)
            } else {
                Ok(None)
            }
        })?;
        answer.rows[reference.row][reference.column] = match cell {
            Value::String(_) => Value::String(value.to_string()),
            _ => value,
        };
        return Ok(());
    }
    let replaced = match cell {
        // A list as JSON text stays JSON text.
        Value::String(s) if reference.list => {
            Value::String(resolve_all(serde_json::from_str(s).unwrap_or_default())?.to_string())
        }
        Value::Array(items) if reference.list => resolve_all(items.clone())?,
        Value::String(s) if reference.names.contains(s) => Value::String(resolve(s)?),
        other => other.clone(),
    };
    answer.rows[reference.row][reference.column] = replaced;
    Ok(())
}

/// Checks every request of a plan as [`write::send`] does before a call
/// (its shape, then Connect's documented limits), all of them before the
/// first is sent: any problem refuses the whole statement, listing the
/// problems (the first [`SHOWN_PROBLEMS`], then how many more).
///
/// [`write::send`]: crate::connect_api::write::send
pub fn check_writes(plan: &ContentsPlan, writes: &[PlannedWrite]) -> Result<(), Error> {
    let what = plan.table.resource.singular.replace('_', " ");
    let short = |text: &str| {
        if text.chars().count() > 24 {
            format!("{}…", text.chars().take(23).collect::<String>())
        } else {
            text.to_string()
        }
    };
    let mut problems = Vec::new();
    let mut refused = 0;
    let create = plan.table.resource.writes.create.as_ref().map(|c| c.op);
    for w in writes {
        // An ARN of another account than the target's: Connect has no
        // resource-based policies, so the call could only be refused (or,
        // worse, read as the target's own account's item).
        if let Some(ours) = crate::catalog::arn_account(&w.item_arn) {
            let mut foreign: Vec<String> = Vec::new();
            arns_in(&w.input, &mut |arn| {
                if crate::catalog::arn_account(arn).is_some_and(|a| a != ours)
                    && !foreign.iter().any(|f| f == arn)
                {
                    foreign.push(arn.to_string());
                }
            });
            if !foreign.is_empty() {
                refused += 1;
                for arn in foreign {
                    problems.push(format!(
                        "{what} '{}' ({}, account {ours}): {arn} is in account {}, and Connect                          links only items of the item's own account and instance",
                        short(&w.item),
                        w.place,
                        crate::catalog::arn_account(&arn).unwrap_or_default(),
                    ));
                }
                continue;
            }
        }
        let mut input = w.input.clone();
        // A call on an item this change creates names it by the id Connect
        // gives it then (the executor fills its URI labels): checked with
        // a stand-in id.
        if w.item_arn.contains(NEW) && Some(w.op) != create {
            if let Value::Object(m) = &mut input {
                for label in uri_labels(w.op) {
                    m.entry(label)
                        .or_insert_with(|| Value::String(NEW_ID_STAND_IN.into()));
                }
            }
        }
        let Err(list) = crate::connect_api::write::check(w.op, &input) else {
            continue;
        };
        refused += 1;
        for e in list {
            // `Name "Q…" is 200 characters`, `Status: missing required member`.
            let limit = e.message.starts_with(['"', '('])
                || e.message.starts_with("is ")
                || e.message.starts_with("has ");
            let separator = match (e.path().is_empty(), limit) {
                (true, _) => "",
                (false, true) => " ",
                (false, false) => ": ",
            };
            problems.push(format!(
                "{what} '{}': {}{separator}{} ({})",
                short(&w.item),
                e.path(),
                e.message,
                w.op
            ));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let total = problems.len();
    let more = total.saturating_sub(SHOWN_PROBLEMS);
    problems.truncate(SHOWN_PROBLEMS);
    if more > 0 {
        problems.push(format!("… and {more} more"));
    }
    Err(Error::Refused(format!(
        "{} of {} call{} would be refused by Connect ({total} problem{}); nothing was changed:\n  {}",
        refused,
        writes.len(),
        if writes.len() == 1 { "" } else { "s" },
        if total == 1 { "" } else { "s" },
        problems.join("\n  ")
    )))
}

/// The id a new item's follow-up calls are checked with before it exists.
const NEW_ID_STAND_IN: &str = "00000000-0000-4000-8000-000000000000";

/// How many problems a refused plan lists.
pub const SHOWN_PROBLEMS: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Column;

    const INSTANCE: &str =
        "arn:aws:connect:us-east-1:123456789012:instance/7c3a1f0e-2b4d-4e8a-9f61-0d5b8c2e4a11";

    fn profile(id: &str) -> String {
        format!("{INSTANCE}/routing-profile/{id}")
    }

    /// One cell holding `value`, referring to routing profiles of INSTANCE.
    fn resolve(value: &str, instance: &str) -> Result<Value, String> {
        let mut answer = ResultSet {
            columns: vec![Column::plain("routing_profile_arn")],
            rows: vec![vec![Value::String(value.into())]],
        };
        let reference = NameRef {
            row: 0,
            column: 0,
            field: "routing_profile_arn",
            resource: resource_of_kind("routing-profile").expect("in the catalog"),
            place: Place::new(None, "us-east-1"),
            instance: instance.into(),
            names: vec![value.into()],
            list: false,
            at: None,
        };
        let items = [
            ("aaaa".to_string(), profile("aaaa"), "Tier 1".to_string()),
            ("bbbb".to_string(), profile("bbbb"), "Tier 2".to_string()),
        ];
        substitute(&mut answer, &reference, &items)
            .map(|()| answer.rows[0][0].clone())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn names_ids_and_arns_resolve_in_the_rows_instance() {
        assert_eq!(
            resolve("Tier 2", INSTANCE),
            Ok(Value::String(profile("bbbb")))
        );
        assert_eq!(
            resolve("tier 1", INSTANCE),
            Ok(Value::String(profile("aaaa")))
        );
        assert_eq!(
            resolve("aaaa", INSTANCE),
            Ok(Value::String(profile("aaaa")))
        );
        assert_eq!(
            resolve(&profile("bbbb"), "acme"),
            Ok(Value::String(profile("bbbb")))
        );
    }

    #[test]
    fn unknown_foreign_and_mistyped_references_are_refused_by_name() {
        let err = resolve("Tier 9", "acme").unwrap_err();
        assert!(
            err.contains("no routing profile named `Tier 9` in instance acme (us-east-1)"),
            "{err}"
        );
        let unknown = profile("cccc");
        let err = resolve(&unknown, "acme").unwrap_err();
        assert!(
            err.contains(&format!(
                "no routing profile '{unknown}' in instance acme (us-east-1)"
            )),
            "{err}"
        );
        // The instance as an alias: its id comes from its items' ARNs.
        let other = unknown.replace("7c3a1f0e", "00000000");
        let err = resolve(&other, "acme").unwrap_err();
        assert!(
            err.contains(
                "is in instance 00000000-2b4d-4e8a-9f61-0d5b8c2e4a11, not in instance acme"
            ),
            "{err}"
        );
        let err =
            resolve(&profile("bbbb").replace("us-east-1", "eu-west-2"), INSTANCE).unwrap_err();
        assert!(err.contains("is in region eu-west-2"), "{err}");
        // Another account's ARN: named with its account, whatever the rest.
        let foreign = profile("bbbb").replace("123456789012", "222222222222");
        for instance in [INSTANCE, "acme"] {
            let err = resolve(&foreign, instance).unwrap_err();
            assert!(
                err.contains(&format!("'{foreign}' is in account 222222222222")),
                "{err}"
            );
        }
        let err = resolve(&format!("{INSTANCE}/queue/q1"), INSTANCE).unwrap_err();
        assert!(
            err.contains("is the ARN of a queue, not of a routing profile"),
            "{err}"
        );
        assert!(err.contains("nothing was changed"), "{err}");
    }

    #[test]
    fn nested_references_name_kinds_of_the_catalog() {
        for r in crate::catalog::RESOURCE_TYPES {
            for f in r.fields {
                let Some(nested) = f.written.map(|w| w.nested()) else {
                    continue;
                };
                for (path, _, kind) in nested {
                    assert!(
                        crate::catalog::RESOURCE_TYPES.iter().any(|o| matches!(
                            o.arn,
                            crate::catalog::ArnForm::Instance(k) | crate::catalog::ArnForm::Account(k) if k == *kind
                        )),
                        "{}.{}: {path} names `{kind}`, the ARN kind of no resource",
                        r.singular,
                        f.name
                    );
                }
            }
        }
    }

    #[test]
    fn a_name_inside_a_value_is_resolved_where_it_is() {
        let cell = r#"[{"QueueReference":{"QueueArn":"Tier 2","Channel":"VOICE"},"Priority":1}]"#;
        let mut answer = ResultSet {
            columns: vec![Column::plain("connectql set 0")],
            rows: vec![vec![Value::String(cell.into())]],
        };
        let reference = NameRef {
            row: 0,
            column: 0,
            field: "queue_configs",
            resource: resource_of_kind("routing-profile").expect("in the catalog"),
            place: Place::new(None, "us-east-1"),
            instance: INSTANCE.into(),
            names: vec!["Tier 2".into()],
            list: false,
            at: Some("QueueReference.QueueArn"),
        };
        let items = [("bbbb".to_string(), profile("bbbb"), "Tier 2".to_string())];
        substitute(&mut answer, &reference, &items).unwrap();
        let Value::String(text) = &answer.rows[0][0] else {
            panic!("JSON text stays text: {:?}", answer.rows[0][0]);
        };
        let v: Value = serde_json::from_str(text).unwrap();
        assert_eq!(v[0]["QueueReference"]["QueueArn"], profile("bbbb").as_str());
        assert_eq!(v[0]["Priority"], 1);
        let reference = NameRef {
            names: vec!["Tier 9".into()],
            ..reference
        };
        answer.rows[0][0] = Value::String(cell.replace("Tier 2", "Tier 9"));
        let err = substitute(&mut answer, &reference, &items).unwrap_err();
        assert!(
            err.to_string().contains("queue_configs")
                && err
                    .to_string()
                    .contains("no routing profile named `Tier 9`"),
            "{err}"
        );
    }

    #[test]
    fn list_cells_are_lists_only_for_list_fields() {
        assert_eq!(
            cell_values(&Value::String(r#"["a","b"]"#.into()), true),
            ["a", "b"]
        );
        assert_eq!(
            cell_values(&Value::String(r#"["a"]"#.into()), false),
            [r#"["a"]"#]
        );
        assert_eq!(cell_values(&serde_json::json!(["x", 1]), true), ["x"]);
        assert!(cell_values(&Value::Null, false).is_empty());
    }
}
