//! EXPLAIN: the calls a statement would make, in order, which of them run
//! concurrently, and the IAM action each needs — computed from the plan,
//! the operation table and the session cache without calling any API.

use serde_json::json;
use sqlparser::ast::Statement;

use crate::catalog::{Op, Scope};
use crate::engine::{Column, ResultSet};
use crate::error::Error;
use crate::executor::{Executor, Key};
use crate::sql::calls::Base;
use crate::sql::change::{self, ChangePlan};
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
    "region",
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
            let plan = change::plan_change(text, statement, ctx)?;
            Ok(to_result_set(&explain_change(&plan, executor), None))
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

/// The calls of one source, per region.
fn explain_source(executor: &Executor, s: &SourceSpec, calls: &mut Vec<PlannedCall>) {
    let r = s.resource;
    let plan = &s.calls;
    let cache = executor.cache();
    // Independent tables are fetched concurrently: each starts at step 1.
    let first = 1;
    let regions_note = if s.targets.regions.len() > 1 {
        format!("concurrently across {} regions", s.targets.regions.len())
    } else {
        String::new()
    };
    let scope_note = match &s.inherited_from {
        Some(q) => format!("the instances of {q}, resolved once for both"),
        None => String::new(),
    };
    for region in &s.targets.regions {
        let mut step = first;
        let mut per = "";
        if r.scope == Scope::Instance {
            let named = s.targets.instances_in(region);
            let all_arns =
                !named.is_empty() && named.iter().all(|i| matches!(i, ItemRef::Arn { .. }));
            if !all_arns {
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
                let key = Key::new(region, None, Op::ListInstances, "");
                calls.push(PlannedCall {
                    step,
                    operation: Op::ListInstances,
                    region: region.clone(),
                    parameters: format!("{what} ({})", pages(Op::ListInstances)),
                    concurrency: join_notes(&["first", &regions_note, &scope_note]),
                    note: cached_note(cache.listing(&key).is_some()),
                });
                step += 1;
            }
            per = "per instance, concurrently";
        }
        let Some(base_op) = plan.base_op(r) else {
            continue;
        };
        let base_params = match &plan.base {
            Base::Describe => {
                let ids: Vec<&str> = s.targets.identifiers.iter().map(ItemRef::display).collect();
                format!("{} (one call each)", ids.join(", "))
            }
            Base::Search(Some(c)) => format!("SearchCriteria={} ({})", c.to_json(), pages(base_op)),
            _ => pages(base_op),
        };
        calls.push(PlannedCall {
            step,
            operation: base_op,
            region: region.clone(),
            parameters: base_params,
            concurrency: join_notes(&[per, &regions_note]),
            note: if plan.prefilter.is_empty() {
                String::new()
            } else {
                format!(
                    "{} predicate(s) filter items before per-item calls",
                    plan.prefilter.len()
                )
            },
        });
        if let (true, Some(list)) = (plan.supplement, r.list) {
            calls.push(PlannedCall {
                step,
                operation: list,
                region: region.clone(),
                parameters: format!("{} (joined by id)", pages(list)),
                concurrency: join_notes(&["concurrently with the listing", per]),
                note: "for fields only List returns".into(),
            });
        }
        for op in plan.joined_ops(r) {
            calls.push(PlannedCall {
                step,
                operation: op,
                region: region.clone(),
                parameters: format!("{} (joined to the rows)", pages(op)),
                concurrency: join_notes(&["concurrently with the listing", per]),
                note: "for fields only this listing has".into(),
            });
        }
        let per_item = format!(
            "per item, as pages arrive, up to {} at a time",
            executor.concurrency()
        );
        if let (true, Some(d)) = (plan.describe_each, r.describe) {
            calls.push(PlannedCall {
                step: step + 1,
                operation: d,
                region: region.clone(),
                parameters: "each item left after filtering".into(),
                concurrency: per_item.clone(),
                note: "cached descriptions are reused".into(),
            });
        }
        for (field, op) in plan.sub_ops(r) {
            // Keyed by an id the statement names: alongside the Describe
            // (the executor's `early` sub-listings).
            let early = plan.base == Base::Describe
                && matches!(
                    r.fields[field].source,
                    crate::catalog::Source::SubListing { key: None, .. }
                );
            calls.push(PlannedCall {
                step: if early { step } else { step + 1 },
                operation: op,
                region: region.clone(),
                parameters: format!("for `{}` ({})", r.fields[field].name, pages(op)),
                concurrency: if early {
                    "per item named, alongside its Describe".into()
                } else {
                    per_item.clone()
                },
                note: "cached answers are reused".into(),
            });
        }
    }
}

/// The identifier-resolution step of a change, if an alias needs one.
fn resolve_step(executor: &Executor, region: &str, ident: &ItemRef, calls: &mut Vec<PlannedCall>) {
    if let ItemRef::Name(alias) = ident {
        let key = Key::new(region, None, Op::ListInstances, "");
        calls.push(PlannedCall {
            step: calls.len() + 1,
            operation: Op::ListInstances,
            region: region.to_string(),
            parameters: format!("resolve alias '{alias}' (all pages)"),
            concurrency: "first".into(),
            note: cached_note(executor.cache().listing(&key).is_some()),
        });
    }
}

fn call(
    step: usize,
    operation: Op,
    region: &str,
    parameters: String,
    runs: &str,
    note: &str,
) -> PlannedCall {
    PlannedCall {
        step,
        operation,
        region: region.to_string(),
        parameters,
        concurrency: runs.to_string(),
        note: note.to_string(),
    }
}

fn explain_change(plan: &ChangePlan, executor: &Executor) -> Vec<PlannedCall> {
    let mut calls = Vec::new();
    match plan {
        ChangePlan::Update(u) => {
            for (region, ident) in u.targets.pairs() {
                let (region, ident) = (region.as_str(), &ident);
                resolve_step(executor, region, ident, &mut calls);
                let id = format!("InstanceId=<{}>", ident.display());
                let step = calls.len() + 1;
                calls.push(call(
                    step,
                    Op::DescribeInstance,
                    region,
                    id.clone(),
                    "reads the current model",
                    "always fresh, not from the cache",
                ));
                calls.push(call(
                    step + 1,
                    Op::ListInstanceAttributes,
                    region,
                    format!("{id} (all pages)"),
                    "reads the current model",
                    "always fresh, not from the cache",
                ));
                for a in &u.attributes {
                    let api = crate::catalog::attribute_by_cfn_name(a)
                        .map(|x| x.api_type)
                        .unwrap_or_default();
                    calls.push(call(
                        step + 2,
                        Op::UpdateInstanceAttribute,
                        region,
                        format!("{id}, AttributeType={api}"),
                        "one after another",
                        "only if the value changes",
                    ));
                }
                if u.tags {
                    calls.push(call(
                        step + 2,
                        Op::TagResource,
                        region,
                        "resourceArn=<arn>, tags added or changed".into(),
                        "one after another",
                        "only if tags are added or changed",
                    ));
                    calls.push(call(
                        step + 2,
                        Op::UntagResource,
                        region,
                        "resourceArn=<arn>, tagKeys removed".into(),
                        "one after another",
                        "only if tags are removed",
                    ));
                }
            }
        }
        ChangePlan::Insert(i) => {
            let rows = match i.source.body.as_ref() {
                sqlparser::ast::SetExpr::Values(v) => format!("{} row(s)", v.rows.len()),
                _ => "each row of the SELECT".into(),
            };
            let region = i
                .default_region
                .clone()
                .unwrap_or_else(|| "<row's region>".into());
            calls.push(call(1, Op::CreateInstance, &region, format!("{rows}: IdentityManagementType, InstanceAlias, InboundCallsEnabled, OutboundCallsEnabled, Tags, ClientToken"), "one instance after another", "the region column of each row decides its region"));
            calls.push(call(
                2,
                Op::DescribeInstance,
                &region,
                "InstanceId=<new id>".into(),
                "polled with backoff until ACTIVE",
                "",
            ));
            calls.push(call(
                3,
                Op::UpdateInstanceAttribute,
                &region,
                "each attribute given besides InboundCalls and OutboundCalls".into(),
                "one after another, once ACTIVE",
                "",
            ));
            calls.push(call(
                4,
                Op::ListInstanceAttributes,
                &region,
                "InstanceId=<new id> (all pages)".into(),
                "after the attributes are set",
                "for the returned row",
            ));
        }
        ChangePlan::Delete(d) => {
            for (region, ident) in d.targets.pairs() {
                let (region, ident) = (region.as_str(), &ident);
                resolve_step(executor, region, ident, &mut calls);
                let id = format!("InstanceId=<{}>", ident.display());
                let step = calls.len() + 1;
                calls.push(call(
                    step,
                    Op::DescribeInstance,
                    region,
                    id.clone(),
                    "first",
                    "names the instance for the confirmation",
                ));
                calls.push(call(
                    step + 1,
                    Op::DeleteInstance,
                    region,
                    format!("{id}, clientToken"),
                    "after confirmation (--yes in batch mode)",
                    "",
                ));
            }
        }
    }
    calls
}
