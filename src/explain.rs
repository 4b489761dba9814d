//! EXPLAIN: the calls a statement would make, in order, which of them run
//! concurrently, and the IAM action each needs, computed from the plan and
//! the session cache without calling any API.

use serde_json::json;
use sqlparser::ast::Statement;

use crate::catalog::{self, ResourceKind};
use crate::engine::{Column, ResultSet};
use crate::error::Error;
use crate::executor::Executor;
use crate::sql::change::{self, ChangePlan};
use crate::sql::planner::{self, InstanceRef, PlanContext};

/// One planned call.
#[derive(Debug, Clone)]
pub struct PlannedCall {
    pub step: usize,
    pub operation: &'static str,
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
                json!(c.operation),
                json!(c.region),
                json!(c.parameters),
                json!(c.concurrency),
                json!(catalog::iam_action(c.operation)),
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
        columns: COLUMNS
            .iter()
            .map(|n| Column {
                name: n.to_string(),
                json: false,
            })
            .collect(),
        rows,
    }
}

/// Explains any statement connectql runs.
pub fn explain(
    statement: Statement,
    ctx: &PlanContext,
    executor: &Executor,
) -> Result<ResultSet, Error> {
    match statement {
        Statement::Query(_) => {
            let plan = planner::plan_query(statement, ctx)?;
            let mut calls = Vec::new();
            for (i, source) in plan.sources.iter().enumerate() {
                let regions_note = if source.regions.len() > 1 {
                    format!("concurrently across {} regions", source.regions.len())
                } else {
                    String::new()
                };
                for region in &source.regions {
                    let step = i + 1;
                    match source.resource.kind {
                        ResourceKind::Instance => explain_get(
                            executor,
                            region,
                            &source.identifiers,
                            plan.needs,
                            step,
                            &regions_note,
                            &mut calls,
                        ),
                        ResourceKind::Instances => explain_list(
                            executor.concurrency(),
                            region,
                            plan.needs,
                            step,
                            &regions_note,
                            &mut calls,
                        ),
                    }
                }
            }
            Ok(to_result_set(&calls, Some(plan.sql)))
        }
        Statement::Update { .. } | Statement::Insert(_) | Statement::Delete(_) => {
            let plan = change::plan_change(statement, ctx)?;
            Ok(to_result_set(&explain_change(&plan, executor), None))
        }
        other => Err(Error::Unsupported(format!(
            "EXPLAIN of `{}` statements",
            other.to_string().split_whitespace().next().unwrap_or("")
        ))),
    }
}

/// The identifier-resolution step of a change, if an alias needs one.
fn resolve_step(
    executor: &Executor,
    region: &str,
    ident: &InstanceRef,
    calls: &mut Vec<PlannedCall>,
) {
    if let InstanceRef::Alias(alias) = ident {
        calls.push(PlannedCall {
            step: calls.len() + 1,
            operation: "ListInstances",
            region: region.to_string(),
            parameters: format!("resolve alias '{alias}' (all pages)"),
            concurrency: "first".into(),
            note: cached_note(executor.cache().alias(region, alias).is_some()),
        });
    }
}

fn call(
    step: usize,
    operation: &'static str,
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
            for (region, ident) in u.target.pairs() {
                let (region, ident) = (region.as_str(), &ident);
                resolve_step(executor, region, ident, &mut calls);
                let id = format!("InstanceId=<{}>", ident.display());
                let step = calls.len() + 1;
                calls.push(call(
                    step,
                    "DescribeInstance",
                    region,
                    id.clone(),
                    "reads the current model",
                    "always fresh, not from the cache",
                ));
                calls.push(call(
                    step + 1,
                    "ListInstanceAttributes",
                    region,
                    format!("{id} (all pages)"),
                    "reads the current model",
                    "always fresh, not from the cache",
                ));
                for a in &u.attributes {
                    let api = catalog::attribute_by_cfn_name(a)
                        .map(|x| x.api_type)
                        .unwrap_or_default();
                    calls.push(call(
                        step + 2,
                        "UpdateInstanceAttribute",
                        region,
                        format!("{id}, AttributeType={api}"),
                        "one after another",
                        "only if the value changes",
                    ));
                }
                if u.tags {
                    calls.push(call(
                        step + 2,
                        "TagResource",
                        region,
                        "resourceArn=<arn>, tags added or changed".into(),
                        "one after another",
                        "only if tags are added or changed",
                    ));
                    calls.push(call(
                        step + 2,
                        "UntagResource",
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
            calls.push(call(1, "CreateInstance", &region, format!("{rows}: IdentityManagementType, InstanceAlias, InboundCallsEnabled, OutboundCallsEnabled, Tags, ClientToken"), "one instance after another", "the region column of each row decides its region"));
            calls.push(call(
                2,
                "DescribeInstance",
                &region,
                "InstanceId=<new id>".into(),
                "polled with backoff until ACTIVE",
                "",
            ));
            calls.push(call(
                3,
                "UpdateInstanceAttribute",
                &region,
                "each attribute given besides InboundCalls and OutboundCalls".into(),
                "one after another, once ACTIVE",
                "",
            ));
            calls.push(call(
                4,
                "ListInstanceAttributes",
                &region,
                "InstanceId=<new id> (all pages)".into(),
                "after the attributes are set",
                "for the returned row",
            ));
        }
        ChangePlan::Delete(d) => {
            for (region, ident) in d.target.pairs() {
                let (region, ident) = (region.as_str(), &ident);
                resolve_step(executor, region, ident, &mut calls);
                let id = format!("InstanceId=<{}>", ident.display());
                let step = calls.len() + 1;
                calls.push(call(
                    step,
                    "DescribeInstance",
                    region,
                    id.clone(),
                    "first",
                    "names the instance for the confirmation",
                ));
                calls.push(call(
                    step + 1,
                    "DeleteInstance",
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

fn explain_get(
    executor: &Executor,
    region: &str,
    identifiers: &[InstanceRef],
    needs: planner::FieldNeeds,
    step: usize,
    regions_note: &str,
    calls: &mut Vec<PlannedCall>,
) {
    let cache = executor.cache();
    for ident in identifiers {
        let id = match ident {
            InstanceRef::Arn { id, region: r, .. } if r == region => Some(id.clone()),
            InstanceRef::Arn { .. } => continue,
            InstanceRef::Id(id) => Some(id.clone()),
            InstanceRef::Alias(alias) => {
                let cached = cache.alias(region, alias);
                calls.push(PlannedCall {
                    step,
                    operation: "ListInstances",
                    region: region.to_string(),
                    parameters: format!("resolve alias '{alias}' (all pages)"),
                    concurrency: join_notes(&["first", regions_note]),
                    note: if cached.is_some() {
                        "served from the session cache".into()
                    } else {
                        String::new()
                    },
                });
                cached
            }
        };
        let shown = id
            .clone()
            .unwrap_or_else(|| format!("<id of '{}'>", ident.display()));
        let describe_cached = id
            .as_ref()
            .is_some_and(|i| cache.describe(region, i).is_some());
        calls.push(PlannedCall {
            step: step + usize::from(matches!(ident, InstanceRef::Alias(_))),
            operation: "DescribeInstance",
            region: region.to_string(),
            parameters: format!("InstanceId={shown}"),
            concurrency: join_notes(&[
                if needs.attributes {
                    "concurrently with ListInstanceAttributes"
                } else {
                    ""
                },
                regions_note,
            ]),
            note: cached_note(describe_cached),
        });
        if needs.attributes {
            let attrs_cached = id
                .as_ref()
                .is_some_and(|i| cache.attributes(region, i).is_some());
            calls.push(PlannedCall {
                step: step + usize::from(matches!(ident, InstanceRef::Alias(_))),
                operation: "ListInstanceAttributes",
                region: region.to_string(),
                parameters: format!("InstanceId={shown}, maxResults=7 (all pages)"),
                concurrency: join_notes(&["concurrently with DescribeInstance", regions_note]),
                note: cached_note(attrs_cached),
            });
        }
    }
}

fn explain_list(
    concurrency: usize,
    region: &str,
    needs: planner::FieldNeeds,
    step: usize,
    regions_note: &str,
    calls: &mut Vec<PlannedCall>,
) {
    calls.push(PlannedCall {
        step,
        operation: "ListInstances",
        region: region.to_string(),
        parameters: "maxResults=10 (all pages)".into(),
        concurrency: join_notes(&["first", regions_note]),
        note: String::new(),
    });
    let per_instance = format!("per listed instance, up to {concurrency} at a time");
    if needs.tags {
        calls.push(PlannedCall {
            step: step + 1,
            operation: "DescribeInstance",
            region: region.to_string(),
            parameters: "InstanceId=<each listed id> (for tags)".into(),
            concurrency: per_instance.clone(),
            note: "cached descriptions are reused".into(),
        });
    }
    if needs.attributes {
        calls.push(PlannedCall {
            step: step + 1,
            operation: "ListInstanceAttributes",
            region: region.to_string(),
            parameters: "InstanceId=<each ACTIVE listed id>, maxResults=7 (all pages)".into(),
            concurrency: per_instance,
            note: "cached attribute sets are reused".into(),
        });
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
