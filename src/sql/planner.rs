//! SELECT planning: find the catalog tables a query reads, resolve each
//! one's targets from its params, find the fields it references and the
//! predicates it can push down, choose its calls, and rewrite the query so
//! that the relational engine runs it over temporary tables of fetched rows.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{
    visit_expressions, BinaryOperator, Expr, Ident, JoinConstraint, JoinOperator, ObjectName,
    ObjectNamePart, Query, Select, SelectItem, SetExpr, Statement, TableAlias, TableFactor,
    TableWithJoins, VisitMut, VisitorMut,
};

use crate::catalog::{
    self, FieldType, ResourceType, Scope, SqlVerb, Table, IDENTIFIER, INSTANCE_ID,
};
use crate::error::Error;
use crate::sql::calls::{plan_calls, CallPlan, FieldSet};
use crate::sql::params::{self, conjuncts, ParamPredicate, REGION};
use crate::sql::pushdown::{self, Predicate, Test};
use crate::sql::resolve::{resolve_targets, PlanContext, Targets};

/// One catalog table read by a statement: one engine table, filled by the
/// calls of its plan.
#[derive(Debug, Clone)]
pub struct SourceSpec {
    /// The engine's table name (`src0`, `src1`...).
    pub table: String,
    /// The catalog table (`aws.connect.users`).
    pub catalog: &'static Table,
    pub resource: &'static ResourceType,
    /// What qualifies its columns in the statement (alias or table name).
    pub qualifier: String,
    pub targets: Targets,
    /// The fields the statement references.
    pub needed: FieldSet,
    /// Predicates pushed into the calls (the engine still checks them).
    pub predicates: Vec<Predicate>,
    pub calls: CallPlan,
    /// The scope was taken from the table it is joined to.
    pub inherited_from: Option<String>,
    /// Read from Connect even if the session cache has the answer (a
    /// change starts from the truth).
    pub fresh: bool,
}

#[derive(Debug, Clone)]
pub struct SelectPlan {
    pub sources: Vec<SourceSpec>,
    /// The query the engine runs over the source tables.
    pub sql: String,
}

/// Plans a SELECT (or any query) statement.
pub fn plan_query(statement: Statement, ctx: &PlanContext) -> Result<SelectPlan, Error> {
    // The visitors' frames are large: plan on a deep stack (see src/sql/mod.rs).
    crate::sql::on_deep_stack(|| plan_query_here(statement, ctx))
}

fn plan_query_here(statement: Statement, ctx: &PlanContext) -> Result<SelectPlan, Error> {
    let Statement::Query(mut query) = statement else {
        return Err(Error::Unsupported(
            "only queries can be planned as SELECT".into(),
        ));
    };
    let references = References::of(&query);
    let mut rewriter = Rewriter {
        ctx,
        references: &references,
        sources: Vec::new(),
    };
    if let ControlFlow::Break(e) = query.visit(&mut rewriter) {
        return Err(e);
    }
    Ok(SelectPlan {
        sources: rewriter.sources,
        sql: query.to_string(),
    })
}

/// The columns a query references: bare names, qualified names, wildcards.
struct References {
    bare: BTreeSet<String>,
    qualified: BTreeSet<(String, String)>,
    wildcard: bool,
    qualified_wildcards: BTreeSet<String>,
}

impl References {
    fn of(query: &Query) -> References {
        let mut refs = References {
            bare: BTreeSet::new(),
            qualified: BTreeSet::new(),
            wildcard: false,
            qualified_wildcards: BTreeSet::new(),
        };
        let _ = visit_expressions(query, |e| {
            match e {
                Expr::Identifier(i) => {
                    refs.bare.insert(i.value.to_ascii_lowercase());
                }
                Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                    let n = parts.len();
                    refs.qualified.insert((
                        parts[n - 2].value.to_ascii_lowercase(),
                        parts[n - 1].value.to_ascii_lowercase(),
                    ));
                }
                _ => {}
            }
            ControlFlow::<()>::Continue(())
        });
        // VisitorMut is the only visitor with a per-query hook; it runs on a copy.
        let mut finder = WildcardFinder {
            any: false,
            qualified: BTreeSet::new(),
        };
        let _ = query.clone().visit(&mut finder);
        refs.wildcard = finder.any;
        refs.qualified_wildcards = finder.qualified;
        refs
    }

    /// The fields of `resource` the query references through `qualifier`.
    fn needed(&self, resource: &ResourceType, qualifier: &str) -> FieldSet {
        let q = qualifier.to_ascii_lowercase();
        if self.wildcard || self.qualified_wildcards.contains(&q) {
            return FieldSet::all(resource);
        }
        let mut set = FieldSet::default();
        for (i, f) in resource.fields.iter().enumerate() {
            if self.bare.contains(f.name)
                || self.qualified.contains(&(q.clone(), f.name.to_string()))
            {
                set.insert(i);
            }
        }
        set
    }
}

struct WildcardFinder {
    any: bool,
    qualified: BTreeSet<String>,
}

impl VisitorMut for WildcardFinder {
    type Break = ();
    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        for_each_select(&mut query.body, &mut |s| {
            for p in &s.projection {
                match p {
                    SelectItem::Wildcard(_) => self.any = true,
                    SelectItem::QualifiedWildcard(kind, _) => {
                        let text = kind.to_string();
                        let name = text.trim_end_matches(".*").rsplit('.').next().unwrap_or("");
                        self.qualified.insert(name.to_ascii_lowercase());
                    }
                    _ => {}
                }
            }
            Ok(())
        })
        .ok();
        ControlFlow::Continue(())
    }
}

/// Calls `f` on every SELECT of a set expression (UNION arms included).
fn for_each_select(
    body: &mut SetExpr,
    f: &mut dyn FnMut(&mut Select) -> Result<(), Error>,
) -> Result<(), Error> {
    match body {
        SetExpr::Select(s) => f(s),
        SetExpr::SetOperation { left, right, .. } => {
            for_each_select(left, f)?;
            for_each_select(right, f)
        }
        // Nested queries are visited as queries of their own.
        _ => Ok(()),
    }
}

struct Rewriter<'a> {
    ctx: &'a PlanContext,
    references: &'a References,
    sources: Vec<SourceSpec>,
}

impl VisitorMut for Rewriter<'_> {
    type Break = Error;
    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<Error> {
        let (ctx, references) = (self.ctx, self.references);
        let sources = &mut self.sources;
        match for_each_select(&mut query.body, &mut |select| {
            plan_select(select, ctx, references, sources)
        }) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => ControlFlow::Break(e),
        }
    }
}

/// A catalog table reference found in a FROM clause.
struct TableRef<'s> {
    factor: &'s mut TableFactor,
    table: &'static Table,
    /// What qualifies its columns: the alias, or the table's short name.
    qualifier: String,
    /// Restricting its rows could change an outer join's answer.
    preserved: bool,
    /// The ON condition of the inner or left join that brings it in: its
    /// conditions on this table alone filter this table's rows.
    on: Option<Expr>,
}

fn plan_select(
    select: &mut Select,
    ctx: &PlanContext,
    references: &References,
    sources: &mut Vec<SourceSpec>,
) -> Result<(), Error> {
    let (params, remaining) = params::take_params(select.selection.take())?;
    select.selection = remaining;
    let links = join_links(&select.from, select.selection.as_ref());
    let mut refs = Vec::new();
    for twj in select.from.iter_mut() {
        collect_table_refs(twj, &mut refs)?;
    }
    if refs.is_empty() {
        if let Some(p) = params.iter().find(|p| p.name != REGION) {
            return Err(Error::InvalidParam {
                param: p.name.into(),
                message: "it only applies to a SELECT that reads a table of aws.connect".into(),
            });
        }
        return Ok(());
    }
    for p in &params {
        if let Some(q) = &p.qualifier {
            if !refs.iter().any(|r| r.qualifier.eq_ignore_ascii_case(q)) {
                return Err(Error::Unknown {
                    what: "table alias",
                    name: q.clone(),
                    suggestion: catalog::suggest(q, refs.iter().map(|r| r.qualifier.as_str()))
                        .map(str::to_string),
                    known: refs
                        .iter()
                        .map(|r| r.qualifier.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
        if p.name == catalog::PATCH_DOCUMENT {
            return Err(Error::InvalidParam {
                param: p.name.into(),
                message: "a patch document belongs in UPDATE ... SET data__PatchDocument = '...', not in a SELECT".into(),
            });
        }
    }
    // An unqualified column belongs to the one table that has it.
    let owners = |name: &str| -> usize {
        refs.iter()
            .filter(|r| r.table.resource.field(name).is_some())
            .count()
    };
    let single = refs.len() == 1;
    let mut planned: Vec<(usize, SourceSpec, bool)> = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        let mine: Vec<&ParamPredicate> = params
            .iter()
            .filter(|p| match &p.qualifier {
                Some(q) => q.eq_ignore_ascii_case(&r.qualifier),
                None => true,
            })
            .collect();
        let own_scope = !mine.is_empty();
        let resource = r.table.resource;
        let owns = |name: &str| single || owners(name) == 1;
        let mut predicates =
            pushdown::predicates(select.selection.as_ref(), &r.qualifier, resource, &owns);
        predicates.extend(pushdown::predicates(
            r.on.as_ref(),
            &r.qualifier,
            resource,
            &|_: &str| false,
        ));
        let instance_arns = instance_arns(resource, &predicates);
        let method = r
            .table
            .method_for(SqlVerb::Select)
            .expect("every catalog table has a SELECT method");
        // A table without region of its own may take its partner's (below).
        let targets =
            match resolve_targets(resource, &r.table.id, method, &mine, &instance_arns, ctx) {
                Err(Error::MissingParam { param: REGION, .. }) if !single && mine.is_empty() => {
                    Targets::default()
                }
                other => other?,
            };
        let needed = references.needed(resource, &r.qualifier);
        planned.push((
            i,
            SourceSpec {
                table: format!("src{}", sources.len() + i),
                catalog: r.table,
                resource,
                qualifier: r.qualifier.clone(),
                targets,
                needed,
                predicates,
                calls: CallPlan {
                    base: crate::sql::calls::Base::List,
                    describe_each: false,
                    supplement: false,
                    subs: Vec::new(),
                    prefilter: Vec::new(),
                    joined: Vec::new(),
                },
                inherited_from: None,
                fresh: false,
            },
            own_scope || !instance_arns.is_empty(),
        ));
    }
    inherit_scopes(&mut planned, &refs, &links)?;
    select.selection = params::without_region_params(select.selection.take());
    for (_, spec, _) in &planned {
        if spec.targets.regions.is_empty() {
            let method = spec
                .catalog
                .method_for(SqlVerb::Select)
                .expect("SELECT method");
            return Err(Error::MissingParam {
                param: REGION,
                method: method.name,
                resource: spec.catalog.id.clone(),
                example: method.example.to_string(),
            });
        }
    }
    for (i, mut spec, _) in planned {
        spec.calls = plan_calls(
            spec.resource,
            spec.needed,
            if spec.catalog.plural {
                &[]
            } else {
                &spec.targets.identifiers
            },
            &spec.predicates,
        );
        // The engine's table keeps the user's alias, or the short name so
        // that `instance.id` still works.
        if let TableFactor::Table { name, alias, .. } = &mut *refs[i].factor {
            *name = ObjectName(vec![ObjectNamePart::Identifier(Ident::new(
                spec.table.clone(),
            ))]);
            *alias = Some(TableAlias {
                name: Ident::new(spec.qualifier.clone()),
                columns: vec![],
            });
        }
        sources.push(spec);
    }
    Ok(())
}

/// Instance ARNs pinned by `instance_arn = '...'` / `IN (...)`.
fn instance_arns(resource: &ResourceType, predicates: &[Predicate]) -> Vec<String> {
    if resource.scope != Scope::Instance {
        return Vec::new();
    }
    let Some(field) = resource.field_index("instance_arn") else {
        return Vec::new();
    };
    predicates
        .iter()
        .filter(|p| p.field == field)
        .find_map(|p| match &p.test {
            Test::Equals(values) => Some(values.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// An equality between columns of two tables that lets the first be read
/// in the second's instances: `(restricted, partner, restricted's field)`.
struct Link {
    restricted: String,
    partner: String,
    field: String,
}

/// The equalities of ON clauses (and of the WHERE clause, between tables
/// in no outer join) that may restrict one side to the other's instances.
fn join_links(from: &[TableWithJoins], selection: Option<&Expr>) -> Vec<Link> {
    let mut links = Vec::new();
    let mut in_outer_join: BTreeSet<String> = BTreeSet::new();
    for twj in from {
        let mut left: Vec<String> = factor_qualifiers(&twj.relation);
        for j in &twj.joins {
            let right = factor_qualifiers(&j.relation);
            let (constraint, left_ok, right_ok) = match &j.join_operator {
                JoinOperator::Join(c) | JoinOperator::Inner(c) | JoinOperator::CrossJoin(c) => {
                    (Some(c), true, true)
                }
                JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (Some(c), false, true),
                JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (Some(c), true, false),
                _ => (None, false, false),
            };
            if !(left_ok && right_ok) {
                in_outer_join.extend(left.iter().cloned());
                in_outer_join.extend(right.iter().cloned());
            }
            if let Some(JoinConstraint::On(expr)) = constraint {
                let allowed =
                    |q: &String| (right.contains(q) && right_ok) || (left.contains(q) && left_ok);
                for (a, af, b, bf) in equalities(expr) {
                    if allowed(&a) {
                        links.push(Link {
                            restricted: a.clone(),
                            partner: b.clone(),
                            field: af,
                        });
                    }
                    if allowed(&b) {
                        links.push(Link {
                            restricted: b,
                            partner: a,
                            field: bf,
                        });
                    }
                }
            }
            left.extend(right);
        }
    }
    if let Some(expr) = selection {
        for (a, af, b, bf) in equalities(expr) {
            if in_outer_join.contains(&a) || in_outer_join.contains(&b) {
                continue;
            }
            links.push(Link {
                restricted: a.clone(),
                partner: b.clone(),
                field: af,
            });
            links.push(Link {
                restricted: b,
                partner: a,
                field: bf,
            });
        }
    }
    links
}

fn factor_qualifiers(f: &TableFactor) -> Vec<String> {
    match f {
        TableFactor::Table { name, alias, .. } => {
            let q = match alias {
                Some(a) => a.name.value.clone(),
                None => name
                    .0
                    .last()
                    .map(|p| match p {
                        ObjectNamePart::Identifier(i) => i.value.clone(),
                        other => other.to_string(),
                    })
                    .unwrap_or_default(),
            };
            vec![q.to_ascii_lowercase()]
        }
        TableFactor::NestedJoin {
            table_with_joins, ..
        } => {
            let mut v = factor_qualifiers(&table_with_joins.relation);
            for j in &table_with_joins.joins {
                v.extend(factor_qualifiers(&j.relation));
            }
            v
        }
        _ => Vec::new(),
    }
}

/// `a.x = b.y` conjuncts: (a, x, b, y), lower-cased.
fn equalities(expr: &Expr) -> Vec<(String, String, String, String)> {
    let mut parts = Vec::new();
    conjuncts(expr.clone(), &mut parts);
    parts
        .iter()
        .filter_map(|e| match e {
            Expr::BinaryOp {
                left,
                op: BinaryOperator::Eq,
                right,
            } => match (left.as_ref(), right.as_ref()) {
                (Expr::CompoundIdentifier(l), Expr::CompoundIdentifier(r))
                    if l.len() >= 2 && r.len() >= 2 =>
                {
                    let (ln, rn) = (l.len(), r.len());
                    Some((
                        l[ln - 2].value.to_ascii_lowercase(),
                        l[ln - 1].value.to_ascii_lowercase(),
                        r[rn - 2].value.to_ascii_lowercase(),
                        r[rn - 1].value.to_ascii_lowercase(),
                    ))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Gives a table that names no region or instance of its own the scope
/// of a table it is joined to by an ARN, when that cannot change the
/// answer: its matching rows live in the partner's instances anyway (the
/// ARN embeds the instance), and it is not the preserved side of an outer
/// join. Where that is not safe, the statement must scope it itself.
fn inherit_scopes(
    planned: &mut [(usize, SourceSpec, bool)],
    refs: &[TableRef<'_>],
    links: &[Link],
) -> Result<(), Error> {
    if planned.len() < 2 || planned.iter().all(|(_, _, scoped)| !scoped) {
        return Ok(());
    }
    // To a fixpoint: a table that inherits becomes a partner for the next
    // (users → routing_profiles → queues, in whatever order they are written).
    loop {
        let mut changed = false;
        for k in 0..planned.len() {
            if planned[k].2 {
                continue;
            }
            if let Some(p) = scope_partner(planned, refs, links, k) {
                let (targets, name) =
                    (planned[p].1.targets.clone(), planned[p].1.qualifier.clone());
                let partner_inside = planned[p].1.resource.scope == Scope::Instance;
                let spec = &mut planned[k].1;
                spec.targets.regions = targets.regions;
                spec.targets.default_region = targets.default_region;
                spec.targets.instances = if spec.resource.scope == Scope::Instance && partner_inside
                {
                    targets.instances
                } else {
                    Vec::new()
                };
                spec.inherited_from = Some(name);
                planned[k].2 = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    if let Some((_, spec, _)) = planned.iter().find(|(_, _, scoped)| !scoped) {
        let q = spec.qualifier.to_ascii_lowercase();
        return Err(Error::InvalidParam {
            param: REGION.into(),
            message: format!(
                "{} ({}) names no region or instance, and its rows cannot safely be limited to those of the tables it is joined to; \
                 join it on an ARN column (e.g. {q}.{} = <other>.<..._arn>) in an inner join, or give it its own \
                 `{q}.region = '...'`{}",
                spec.catalog.id,
                spec.qualifier,
                spec.resource.arn_field.unwrap_or(spec.resource.id_field),
                if spec.resource.scope == Scope::Instance {
                    format!(" and `{q}.{INSTANCE_ID} = '...'`")
                } else {
                    String::new()
                }
            ),
        });
    }
    Ok(())
}

/// The scoped table that table `k` may take its scope from: one it is
/// joined to by an ARN column, in an inner join (never the preserved side
/// of an outer join).
fn scope_partner(
    planned: &[(usize, SourceSpec, bool)],
    refs: &[TableRef<'_>],
    links: &[Link],
    k: usize,
) -> Option<usize> {
    let q = planned[k].1.qualifier.to_ascii_lowercase();
    let resource = planned[k].1.resource;
    links.iter().find_map(|l| {
        if l.restricted != q || refs[planned[k].0].preserved {
            return None;
        }
        // An ARN names its region (and the instance, inside one), so a
        // row that can match lives where the partner's rows do.
        let field = resource.field(&l.field)?;
        let arn_link = field.ty == FieldType::String
            && (field.name.ends_with("_arn")
                || field.name == "arn"
                || matches!(field.source, crate::catalog::Source::InstanceArn));
        if !arn_link {
            return None;
        }
        planned
            .iter()
            .position(|(_, s, scoped)| *scoped && s.qualifier.eq_ignore_ascii_case(&l.partner))
    })
}

fn collect_table_refs<'s>(
    twj: &'s mut TableWithJoins,
    out: &mut Vec<TableRef<'s>>,
) -> Result<(), Error> {
    let outer_right: Vec<bool> = twj
        .joins
        .iter()
        .map(|j| {
            matches!(
                j.join_operator,
                JoinOperator::Right(_) | JoinOperator::RightOuter(_) | JoinOperator::FullOuter(_)
            )
        })
        .collect();
    let first_preserved = twj.joins.iter().any(|j| {
        matches!(
            j.join_operator,
            JoinOperator::Left(_) | JoinOperator::LeftOuter(_) | JoinOperator::FullOuter(_)
        )
    });
    collect_factor(&mut twj.relation, first_preserved, None, out)?;
    for (j, preserved) in twj.joins.iter_mut().zip(outer_right) {
        let on = match &j.join_operator {
            JoinOperator::Join(JoinConstraint::On(e))
            | JoinOperator::Inner(JoinConstraint::On(e))
            | JoinOperator::Left(JoinConstraint::On(e))
            | JoinOperator::LeftOuter(JoinConstraint::On(e)) => Some(e.clone()),
            _ => None,
        };
        collect_factor(&mut j.relation, preserved, on, out)?;
    }
    Ok(())
}

fn collect_factor<'s>(
    factor: &'s mut TableFactor,
    preserved: bool,
    on: Option<Expr>,
    out: &mut Vec<TableRef<'s>>,
) -> Result<(), Error> {
    match factor {
        TableFactor::Table { name, alias, .. } => {
            let Some(table) = resolve_table(name)? else {
                return Ok(());
            };
            let qualifier = alias
                .as_ref()
                .map(|a| a.name.value.clone())
                .unwrap_or_else(|| table.name.to_string());
            out.push(TableRef {
                factor,
                table,
                qualifier,
                preserved,
                on,
            });
            Ok(())
        }
        TableFactor::NestedJoin {
            table_with_joins, ..
        } => collect_table_refs(table_with_joins, out),
        _ => Ok(()),
    }
}

/// The catalog table a table name refers to. Names under `aws.` must be
/// catalog tables; other names (CTEs) are left to the engine.
pub fn resolve_table(name: &ObjectName) -> Result<Option<&'static Table>, Error> {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) => i.value.clone(),
            other => other.to_string(),
        })
        .collect();
    let full = parts.join(".");
    if let Some(t) = catalog::table(&full) {
        return Ok(Some(t));
    }
    let looks_like_catalog = parts.len() >= 2 && parts[0].eq_ignore_ascii_case(catalog::PROVIDER);
    let near = catalog::suggest(&full, catalog::TABLES.iter().map(|t| t.id.as_str()));
    if looks_like_catalog || (parts.len() == 1 && near.is_some()) {
        return Err(unknown_resource(&full));
    }
    Ok(None)
}

pub fn unknown_resource(name: &str) -> Error {
    Error::Unknown {
        what: "resource",
        name: name.to_string(),
        suggestion: catalog::suggest(name, catalog::TABLES.iter().map(|t| t.id.as_str()))
            .map(str::to_string),
        known: catalog::TABLES
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The params a WHERE clause gives a change statement's single table.
pub fn statement_params(
    selection: Option<Expr>,
) -> Result<(Vec<ParamPredicate>, Option<Expr>), Error> {
    params::take_params(selection)
}

/// The parameter name of the identifier, for messages.
pub const IDENTIFIER_PARAM: &str = IDENTIFIER;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::calls::Base;
    use crate::sql::parse_one;
    use crate::sql::resolve::ItemRef;

    fn plan(sql: &str) -> Result<SelectPlan, Error> {
        plan_query(
            parse_one(sql)?,
            &PlanContext {
                default_region: None,
            },
        )
    }

    fn needs(s: &SourceSpec, name: &str) -> bool {
        s.needed.contains(s.resource.field_index(name).unwrap())
    }

    #[test]
    fn seed_statement_plans_a_get() {
        let p = plan(
            "SELECT region, id, attributes FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'acme'",
        )
        .unwrap();
        assert_eq!(p.sources.len(), 1);
        let s = &p.sources[0];
        assert_eq!(s.catalog.id, "aws.connect.instance");
        assert_eq!(s.targets.regions, ["us-east-1"]);
        assert_eq!(s.targets.identifiers, [ItemRef::Name("acme".into())]);
        assert!(needs(s, "attributes") && !needs(s, "tags"));
        assert_eq!(p.sql, "SELECT region, id, attributes FROM src0 AS instance");
    }

    #[test]
    fn missing_identifier_names_param_and_example() {
        let e = plan("SELECT * FROM aws.connect.instance WHERE region = 'us-east-1'")
            .unwrap_err()
            .to_string();
        assert!(e.contains("data__Identifier"), "{e}");
        assert!(e.contains("get_resource"), "{e}");
        assert!(
            e.contains("SELECT * FROM aws.connect.instance WHERE"),
            "{e}"
        );
    }

    #[test]
    fn missing_region_without_default() {
        let e = plan("SELECT id FROM aws.connect.instances")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`region`") && e.contains("list_resources"),
            "{e}"
        );
        let p = plan_query(
            parse_one("SELECT id FROM aws.connect.instances").unwrap(),
            &PlanContext {
                default_region: Some("eu-west-2".into()),
            },
        )
        .unwrap();
        assert_eq!(p.sources[0].targets.regions, ["eu-west-2"]);
        assert!(p.sources[0].targets.default_region);
    }

    #[test]
    fn arn_gives_the_region() {
        let p = plan(
            "SELECT id FROM aws.connect.instance WHERE data__Identifier = 'arn:aws:connect:eu-west-2:123456789012:instance/1f0af98d-6cb5-4ff4-b7a5-0fc506667efe'",
        )
        .unwrap();
        assert_eq!(p.sources[0].targets.regions, ["eu-west-2"]);
        let e = plan(
            "SELECT id FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'arn:aws:connect:eu-west-2:123456789012:instance/1f0af98d-6cb5-4ff4-b7a5-0fc506667efe'",
        )
        .unwrap_err();
        assert!(e.to_string().contains("excludes"));
    }

    #[test]
    fn fan_out_join_and_subquery() {
        let p = plan(
            "SELECT a.instance_alias, b.tags FROM aws.connect.instances a JOIN aws.connect.instance b ON a.id = b.id \
             WHERE a.region IN ('us-east-1','eu-west-2') AND b.region = 'us-east-1' AND b.data__Identifier = 'x1'",
        )
        .unwrap();
        assert_eq!(p.sources.len(), 2);
        assert_eq!(p.sources[0].targets.regions, ["us-east-1", "eu-west-2"]);
        assert_eq!(p.sources[1].targets.regions, ["us-east-1"]);
        assert!(needs(&p.sources[1], "tags") && !needs(&p.sources[1], "attributes"));
        assert!(!needs(&p.sources[0], "tags"));
        assert!(p.sql.contains("FROM src0 AS a JOIN src1 AS b"), "{}", p.sql);

        let p = plan(
            "SELECT count(*) FROM (SELECT id FROM aws.connect.instances WHERE region = 'us-east-1') t",
        )
        .unwrap();
        assert_eq!(p.sources.len(), 1);
        assert!(!needs(&p.sources[0], "attributes") && !needs(&p.sources[0], "tags"));
    }

    #[test]
    fn wildcard_needs_everything() {
        let p = plan("SELECT * FROM aws.connect.instances WHERE region = 'us-east-1'").unwrap();
        assert!(needs(&p.sources[0], "attributes") && needs(&p.sources[0], "tags"));
    }

    #[test]
    fn unknown_resource_suggests() {
        let e = plan("SELECT * FROM aws.connect.instanse WHERE region = 'us-east-1'")
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `aws.connect.instance`"), "{e}");
    }

    #[test]
    fn users_of_an_instance_push_down_and_choose_search() {
        let p = plan(
            "SELECT username, routing_profile_arn FROM aws.connect.users \
             WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support' AND username LIKE 'j%'",
        )
        .unwrap();
        let s = &p.sources[0];
        assert_eq!(s.targets.instances, [ItemRef::Name("acme-support".into())]);
        assert!(
            matches!(s.calls.base, Base::Search(Some(_))),
            "{:?}",
            s.calls
        );
        assert!(!s.calls.describe_each);
        // The predicate stays in the engine's WHERE clause.
        assert!(p.sql.contains("username LIKE 'j%'"), "{}", p.sql);
    }

    #[test]
    fn joined_side_inherits_the_instance_through_an_arn() {
        let p = plan(
            "SELECT u.username, r.name FROM aws.connect.users u JOIN aws.connect.routing_profiles r \
             ON u.routing_profile_arn = r.routing_profile_arn \
             WHERE u.region = 'us-east-1' AND u.data__InstanceId = 'acme-support'",
        )
        .unwrap();
        let r = &p.sources[1];
        assert_eq!(r.targets.regions, ["us-east-1"]);
        assert_eq!(r.targets.instances, [ItemRef::Name("acme-support".into())]);
        assert_eq!(r.inherited_from.as_deref(), Some("u"));

        // On a name, or as the preserved side of a LEFT JOIN: not safe.
        let e = plan(
            "SELECT 1 FROM aws.connect.users u JOIN aws.connect.users v ON u.username = v.username \
             WHERE u.region = 'us-east-1' AND u.data__InstanceId = 'acme-support'",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("cannot safely be limited"), "{e}");
        let e = plan(
            "SELECT 1 FROM aws.connect.routing_profiles r LEFT JOIN aws.connect.users u ON u.routing_profile_arn = r.routing_profile_arn \
             WHERE u.region = 'us-east-1' AND u.data__InstanceId = 'acme-support'",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("cannot safely be limited"), "{e}");
    }

    #[test]
    fn inheritance_goes_along_a_chain_of_arn_joins() {
        // queues are joined to routing_profiles, which are joined to users:
        // whichever order the tables are written in.
        for sql in [
            "SELECT 1 FROM aws.connect.users u \
             JOIN aws.connect.routing_profiles r ON u.routing_profile_arn = r.routing_profile_arn \
             JOIN aws.connect.queues q ON q.queue_arn = r.default_outbound_queue_arn \
             WHERE u.region IN ('us-east-1', 'eu-west-2') AND u.data__InstanceId IN ('acme-support', 'acme-uk')",
            "SELECT 1 FROM aws.connect.queues q \
             JOIN aws.connect.routing_profiles r ON q.queue_arn = r.default_outbound_queue_arn \
             JOIN aws.connect.users u ON u.routing_profile_arn = r.routing_profile_arn \
             WHERE u.region IN ('us-east-1', 'eu-west-2') AND u.data__InstanceId IN ('acme-support', 'acme-uk')",
        ] {
            let p = plan(sql).unwrap();
            for s in &p.sources {
                assert_eq!(s.targets.regions, ["us-east-1", "eu-west-2"], "{}", s.qualifier);
                assert_eq!(s.targets.instances.len(), 2, "{}", s.qualifier);
            }
            let q = p.sources.iter().find(|s| s.qualifier == "q").unwrap();
            assert_eq!(q.inherited_from.as_deref(), Some("r"));
        }
    }

    #[test]
    fn left_joined_sides_inherit_and_take_their_on_predicates() {
        let p = plan(
            "SELECT i.instance_alias, count(c.association_id) AS n FROM aws.connect.instances i \
             LEFT JOIN aws.connect.instance_storage_configs c ON c.instance_arn = i.arn AND c.resource_type = 'CALL_RECORDINGS' \
             LEFT JOIN aws.connect.approved_origins o ON o.instance_id = i.arn \
             WHERE region IN ('us-east-1', 'eu-west-2') GROUP BY i.instance_alias",
        )
        .unwrap();
        let c = &p.sources[1];
        assert_eq!(c.targets.regions, ["us-east-1", "eu-west-2"]);
        assert_eq!(c.predicates.len(), 1, "{:?}", c.predicates);
        assert_eq!(
            c.predicates[0].field,
            c.resource.field_index("resource_type").unwrap()
        );
        assert_eq!(p.sources[2].targets.regions, ["us-east-1", "eu-west-2"]);
        // The region params hold by construction: the engine's SQL drops them.
        assert!(!p.sql.contains("region IN"), "{}", p.sql);
    }

    #[test]
    fn instance_arn_predicate_names_the_instance() {
        let p = plan(
            "SELECT name FROM aws.connect.queues WHERE instance_arn = 'arn:aws:connect:eu-west-2:123456789012:instance/5f1d8a72-3c6e-4b9f-a0d4-e7b2c5f8913d'",
        )
        .unwrap();
        let s = &p.sources[0];
        assert_eq!(s.targets.regions, ["eu-west-2"]);
        assert_eq!(s.targets.instances.len(), 1);
    }
}
