//! EXPLAIN: the calls a statement would make, in order, which of them run
//! concurrently, and the IAM action each needs — computed from the plan,
//! the operation table and the session cache without calling any API.

use serde_json::json;
use sqlparser::ast::Statement;

use crate::catalog::writes::Deletion;
use crate::catalog::{Op, Scope};
use crate::engine::{Column, ResultSet};
use crate::error::Error;
use crate::executor::{Executor, Key};
use crate::sql::change;
use crate::sql::change::contents::{ContentsPlan, Verb as ContentsVerb};
use crate::sql::physical::Action;
use crate::sql::planner::{self, SourceSpec};
use crate::sql::resolve::{ItemRef, PlanContext};

/// One planned call.
#[derive(Debug, Clone)]
pub struct PlannedCall {
    pub step: usize,
    pub operation: Op,
    pub region: String,
    pub parameters: String,
    /// How it runs relative to the other calls.
    pub concurrency: String,
    /// "cached" when the session cache would answer it.
    pub note: String,
}

pub const COLUMNS: [&str; 7] = [
    "step",
    "operation",
    crate::catalog::REGION,
    "parameters",
    "runs",
    "iam_action",
    "note",
];

pub fn to_result_set(calls: &[PlannedCall], sql_note: Option<String>) -> ResultSet {
    let mut rows: Vec<Vec<serde_json::Value>> = calls
        .iter()
        .map(|c| {
            vec![
                json!(c.step),
                json!(c.operation.name()),
                json!(c.region),
                json!(c.parameters),
                json!(c.concurrency),
                json!(c.operation.iam_action()),
                json!(c.note),
            ]
        })
        .collect();
    if let Some(sql) = sql_note {
        rows.push(vec![
            json!(calls.iter().map(|c| c.step).max().unwrap_or(0) + 1),
            json!("(engine)"),
            json!(""),
            json!(sql),
            json!("after the calls"),
            json!(""),
            json!("SQL run by the relational engine over the fetched rows"),
        ]);
    }
    ResultSet {
        columns: COLUMNS.iter().map(|n| Column::plain(n)).collect(),
        rows,
    }
}

/// Explains any statement connectql runs.
pub fn explain(
    text: &str,
    statement: Statement,
    ctx: &PlanContext,
    executor: &Executor,
) -> Result<ResultSet, Error> {
    match statement {
        Statement::Query(_) => {
            let known = |p: &str| executor.pool().known_account(p);
            if let Some(plan) = crate::differences::plan(text, &statement, ctx, &known)? {
                return Ok(crate::differences::explain(&plan, executor));
            }
            let plan = planner::plan_query(text, statement, ctx)?;
            let mut calls = Vec::new();
            for source in &plan.sources {
                explain_source(executor, source, &mut calls);
            }
            let mut result = to_result_set(&calls, Some(plan.sql));
            // A table whose predicates contradict each other is read with no
            // call: say why on the engine's row.
            let nothing: Vec<String> = plan
                .sources
                .iter()
                .filter_map(|s| {
                    s.targets.empty.as_ref().map(|why| {
                        format!(
                            "{} ({}) is read with no call: {why}",
                            s.catalog.id, s.qualifier
                        )
                    })
                })
                .collect();
            if let (false, Some(engine)) = (nothing.is_empty(), result.rows.last_mut()) {
                if let Some(note) = engine.last_mut() {
                    *note = json!(format!(
                        "{}; {}",
                        note.as_str().unwrap_or(""),
                        nothing.join("; ")
                    ));
                }
            }
            Ok(result)
        }
        Statement::Update { .. } | Statement::Insert(_) | Statement::Delete(_) => {
            let known = |p: &str| executor.pool().known_account(p);
            if let Some(plan) = crate::copy::plan(text, &statement, ctx, &known)? {
                return Ok(crate::copy::explain(&plan, executor));
            }
            let plan = change::plan_change(text, statement, ctx)?;
            Ok(explain_contents(&plan, executor))
        }
        other => Err(Error::Unsupported(format!(
            "EXPLAIN of `{}` statements",
            other.to_string().split_whitespace().next().unwrap_or("")
        ))),
    }
}

fn cached_note(cached: bool) -> String {
    if cached {
        "served from the session cache (no call)".into()
    } else {
        String::new()
    }
}

fn join_notes(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("; ")
}

fn pages(op: Op) -> String {
    match op.def().max_results {
        Some(n) => format!("MaxResults={n}, all pages"),
        None => String::new(),
    }
}

/// The steps of one source, as compiled: the executor runs the same list.
pub(crate) fn explain_source(executor: &Executor, s: &SourceSpec, calls: &mut Vec<PlannedCall>) {
    let r = s.resource;
    let cache = executor.cache();
    // The places the plan reads (a place none of whose named instances or
    // items can be there has no step).
    let mut places: Vec<&crate::connect_api::Place> = Vec::new();
    for step in &s.steps {
        if !places.contains(&&step.place) {
            places.push(&step.place);
        }
    }
    let regions_note = if !s.targets.profiles.is_empty() && places.len() > 1 {
        format!(
            "concurrently across {} places (profile and region)",
            places.len()
        )
    } else if s.targets.regions.len() > 1 {
        format!("concurrently across {} regions", s.targets.regions.len())
    } else {
        String::new()
    };
    let scope_note = match &s.inherited_from {
        Some(q) => format!("the instances of {q}, resolved once for both"),
        None => String::new(),
    };
    let per = if r.scope == Scope::Instance {
        "per instance, concurrently"
    } else {
        ""
    };
    let per_item = format!(
        "per item, as pages arrive, up to {} at a time",
        executor.concurrency()
    );
    for step in &s.steps {
        let (parameters, runs, note) = match &step.action {
            Action::FindInstances { named } => {
                let what = if named.is_empty() {
                    "every ACTIVE instance".to_string()
                } else {
                    format!(
                        "resolve {}",
                        named
                            .iter()
                            .map(|i| format!("'{}'", i.display()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                // Whether the cache has it is said below.
                let why = if step.place.profile.is_some()
                    && step.account.is_none()
                    && named.iter().any(|i| i.arn_account().is_some())
                {
                    format!(
                        "the account of profile {} is not known yet: its listing says which of the ARNs it holds, so no other account's ARN is sent there",
                        step.place.profile.as_deref().unwrap_or_default()
                    )
                } else {
                    String::new()
                };
                (
                    format!("{what} ({})", pages(step.op)),
                    join_notes(&["first", &regions_note, &scope_note]),
                    why,
                )
            }
            Action::DescribeNamed { ids } => {
                let ids: Vec<&str> = ids.iter().map(ItemRef::display).collect();
                (
                    format!("{} (one call each)", ids.join(", ")),
                    join_notes(&[per, &regions_note]),
                    String::new(),
                )
            }
            Action::Listing {
                criteria,
                variants,
                prefilter,
                ..
            } => {
                let mut parameters = match criteria {
                    Some(c) => format!("SearchCriteria={} ({})", c.to_json(), pages(step.op)),
                    None => pages(step.op),
                };
                if r.list_over.is_some() {
                    parameters = format!(
                        "one listing per value: {} ({parameters})",
                        variants.join(", ")
                    );
                }
                (
                    parameters,
                    join_notes(&[per, &regions_note]),
                    if prefilter.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "{} predicate(s) filter items before per-item calls",
                            prefilter.len()
                        )
                    },
                )
            }
            Action::Supplement => (
                format!("{} (joined by id)", pages(step.op)),
                join_notes(&["concurrently with the listing", per]),
                "for fields only List returns".into(),
            ),
            Action::Joined { .. } => (
                format!("{} (joined to the rows)", pages(step.op)),
                join_notes(&["concurrently with the listing", per]),
                "for fields only this listing has".into(),
            ),
            Action::DescribeEach => (
                "each item left after filtering".into(),
                per_item.clone(),
                "cached descriptions are reused".into(),
            ),
            Action::SubListing { field, early } => (
                format!("for `{}` ({})", r.fields[*field].name, pages(step.op)),
                if *early {
                    "per item named, alongside its Describe".into()
                } else {
                    per_item.clone()
                },
                "cached answers are reused".into(),
            ),
        };
        let note = match step.action {
            Action::FindInstances { .. } => join_notes(&[
                &note,
                &cached_note(
                    cache
                        .listing(&Key::at(&step.place, None, step.op, ""))
                        .is_some(),
                ),
            ]),
            _ => note,
        };
        calls.push(PlannedCall {
            step: step.stage,
            operation: step.op,
            region: place_label(&step.place, step.account.as_deref()),
            parameters,
            concurrency: runs,
            note,
        });
    }
}

/// A place as EXPLAIN shows it: the region, and the profile with its
/// account when known.
fn place_label(place: &crate::connect_api::Place, account: Option<&str>) -> String {
    match (&place.profile, account) {
        (Some(p), Some(a)) => format!("{} (profile {p}, account {a})", place.region),
        _ => place.to_string(),
    }
}

/// A change (of an instance or its contents): the fresh reads that find the
/// targets (the compiled steps, as for a SELECT), SQLite computing the
/// wanted values, then the write operations a difference can call — one
/// per item and operation, only where the value differs.
fn explain_contents(plan: &ContentsPlan, executor: &Executor) -> ResultSet {
    let mut calls = Vec::new();
    for source in &plan.select.sources {
        explain_source(executor, source, &mut calls);
    }
    for c in &mut calls {
        if plan.verb != ContentsVerb::Insert {
            c.note = join_notes(&[
                "read fresh (not from the cache): a change starts from the truth",
                &c.note,
            ]);
        }
    }
    let after = calls.iter().map(|c| c.step).max().unwrap_or(0) + 1;
    let r = plan.table.resource;
    let mut ops: Vec<(Op, String)> = Vec::new();
    // (operation, what, how it runs, note) after the writes.
    let mut then: Vec<(Op, String, String, String)> = Vec::new();
    match plan.verb {
        ContentsVerb::Insert => {
            if let Some(c) = &r.writes.create {
                ops.push((c.op, "each row of the source".into()));
            }
            if let (Some(k), Some(describe)) = (r.writes.each_key, r.describe) {
                if k.ready.is_some() {
                    then.push((
                        describe,
                        "the new item's id".into(),
                        "polled with backoff until it is ready".into(),
                        format!(
                            "only when a row gives {} besides those the create takes",
                            k.field
                        ),
                    ));
                }
                then.push((
                    k.op,
                    format!(
                        "{}: one call per other key given ({})",
                        k.field, k.key_member
                    ),
                    "one after another, once ready".into(),
                    String::new(),
                ));
            }
        }
        ContentsVerb::Delete => {
            if let Deletion::By(op) = r.writes.delete {
                ops.push((op, "each item the WHERE clause selects".into()));
            }
        }
        ContentsVerb::Update => {
            for &field in &plan.sets {
                let name = r.fields[field].name;
                let Some(op) = r.writes.changed_by(name) else {
                    continue;
                };
                let mut these = vec![op];
                if op == Op::TagResource {
                    these.push(Op::UntagResource);
                }
                if let Some(u) = r
                    .writes
                    .updates
                    .iter()
                    .find(|u| u.fields().any(|f| f == name))
                {
                    these = u.operations();
                }
                let what = match r.writes.each_key.filter(|k| k.field == name) {
                    Some(k) if plan.keys.is_empty() => {
                        format!(
                            "for `{name}`: one call per key that differs ({}=<key>)",
                            k.key_member
                        )
                    }
                    Some(k) => format!(
                        "for `{name}`: {}",
                        plan.keys
                            .iter()
                            .map(|key| format!("{}={key}", k.key_member))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => format!("for `{name}`"),
                };
                for op in these {
                    match ops.iter_mut().find(|(o, _)| *o == op) {
                        Some((_, fields)) => fields.push_str(&format!(", {name}")),
                        None => ops.push((op, what.clone())),
                    }
                }
            }
        }
    }
    let regions: Vec<String> = plan
        .select
        .sources
        .first()
        .map(|s| s.targets.regions.clone())
        .unwrap_or_default();
    let insert = plan.verb == ContentsVerb::Insert;
    // Targets in several profiles: the writes are listed per place, each
    // naming its profile (and account, when known), since each goes out
    // with that profile's credentials.
    let mut places: Vec<String> = Vec::new();
    if let Some(s) = plan
        .select
        .sources
        .first()
        .filter(|s| s.targets.profiles.len() > 1)
    {
        for step in &s.steps {
            let label = place_label(&step.place, step.account.as_deref());
            if !places.contains(&label) {
                places.push(label);
            }
        }
    }
    if places.is_empty() || insert {
        // An INSERT's rows say their own region (and profile).
        places = vec![if insert {
            String::new()
        } else {
            regions.join(", ")
        }];
    }
    for (op, what) in ops {
        for place in &places {
            calls.push(PlannedCall {
                step: after,
                operation: op,
                region: place.clone(),
                parameters: what.clone(),
                concurrency: format!(
                    "{}, up to {} at a time within Connect's rate",
                    if insert {
                        "per source row"
                    } else {
                        "per item whose value differs"
                    },
                    executor.concurrency()
                ),
                note: if insert && r.scope == Scope::Instance {
                    "the instance each row names is resolved first (ListInstances)".into()
                } else if insert {
                    "the region column of each row (or the default region) decides its region"
                        .into()
                } else {
                    "none when the items are already as the statement says".into()
                },
            });
        }
    }
    for (op, what, runs, note) in then {
        calls.push(PlannedCall {
            step: after + 1,
            operation: op,
            region: String::new(),
            parameters: what,
            concurrency: runs,
            note,
        });
    }
    if plan.returning.is_some() && plan.verb != ContentsVerb::Delete {
        if let Some(describe) = r.describe {
            calls.push(PlannedCall {
                step: after + 2,
                operation: describe,
                region: regions.join(", "),
                parameters: "each item changed (RETURNING)".into(),
                concurrency: "after the writes; read again a few times while not found".into(),
                note: "read fresh: RETURNING shows the items as Connect has them".into(),
            });
        }
    }
    let mut result = to_result_set(&calls, Some(plan.select.sql.clone()));
    // The engine's row comes between the reads and the writes.
    if let Some(engine) = result.rows.pop() {
        let at = result
            .rows
            .iter()
            .position(|r| r[0].as_u64().is_some_and(|s| s as usize >= after))
            .unwrap_or(result.rows.len());
        let mut engine = engine;
        engine[0] = json!(after);
        engine[4] = json!("after the reads, before any write");
        engine[6] = json!(if insert {
            "SQLite computes the rows to create"
        } else {
            "SQLite computes the targets and the wanted values"
        });
        result.rows.insert(at, engine);
        for row in result.rows.iter_mut().skip(at + 1) {
            row[0] = json!(row[0].as_u64().unwrap_or(after as u64) + 1);
        }
    }
    result
}
