//! SELECT planning: find the catalog tables a query reads, derive each
//! one's scope (regions, instances, items) soundly from the statement's
//! predicates, find the fields it references and the predicates it can push
//! down, choose its calls, and rewrite the statement's own text so that the
//! relational engine runs it over temporary tables of fetched rows.
//!
//! # Scope
//!
//! Every table of the statement (joined, in a subquery, a derived table or
//! a CTE) gets its scope in one of three ways, or the statement is refused:
//!
//! 1. **its own predicates**: `data__InstanceId` / `data__Identifier` params
//!    (AND-ed ones intersect), pinned `instance_arn = '...'`, and what its
//!    `region` predicates allow (`scope.rs`: AND intersects, OR unites, a
//!    contradiction reads nothing);
//! 2. **inherited** from a table it is linked to by an ARN — an equality in
//!    an inner join's ON or the WHERE clause, a correlated subquery's
//!    equality with an outer table, `outer.x [NOT] IN (SELECT t.arn ...)`,
//!    or an ARN reached through a JSON value of the other table
//!    (`json_each(r.queue_configs) c ... ON q.queue_arn = c.value ->> '$...'`):
//!    its rows that can match live where the partner's do. Never the
//!    preserved side of an outer join;
//! 3. **the session's default region**, only when no predicate of the whole
//!    statement names a region, instance or item.
//!
//! The accounts are chosen the same way: a table's `profile` params (a
//! finite domain, the profiles of the AWS config files; `IN` and `OR` unite,
//! AND-ed ones intersect, an unknown name is refused) or, failing those, the
//! profiles of the table its ARNs join it to (an ARN names its account as it
//! names its region); with none, the session's credentials. A table read in
//! several profiles with no region named reads each in its own default
//! region.
//!
//! The engine runs the user's text with only table references and params
//! rewritten, so every predicate — scoping ones included — is still
//! evaluated by SQLite; the scope only decides what is read.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;

use sqlparser::ast::{
    visit_expressions, BinaryOperator, Expr, FunctionArg, FunctionArgExpr, JoinConstraint,
    JoinOperator, ObjectName, ObjectNamePart, Query, Select, SelectItem, SetExpr, Statement,
    TableFactor, TableWithJoins, Value as SqlValue, VisitMut, VisitorMut,
};

use crate::catalog::{self, FieldType, ResourceType, Scope, SqlVerb, Table, INSTANCE_ID, PROFILE};
use crate::error::Error;
use crate::sql::calls::{plan_calls, CallPlan, FieldSet};
use crate::sql::local::{self, LocalTable};
use crate::sql::params::{self, conjuncts, ParamPredicate, REGION};
use crate::sql::physical::{compile, Step};
use crate::sql::pushdown::{self, Predicate, Test};
use crate::sql::resolve::{resolve_targets, ItemRef, PlanContext, RegionScope, Targets};
use crate::sql::scope::{string_literals, RegionAnalysis, RegionColumn, Regions};
use crate::sql::text::{Edit, SourceText};

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
    /// The steps that run, compiled once from `calls` and `targets`: the
    /// executor runs them and EXPLAIN prints them.
    pub steps: Vec<Step>,
    /// The scope was taken from the table it is joined to.
    pub inherited_from: Option<String>,
    /// Read from Connect even if the session cache has the answer (a
    /// change starts from the truth).
    pub fresh: bool,
}

impl SourceSpec {
    /// The fields the fetched rows carry: those the statement references
    /// and the keys (id, ARN, name, region) that identify an item. The
    /// others stay NULL: no row holds what nobody reads.
    pub fn carried(&self) -> FieldSet {
        let mut set = self.needed;
        let r = self.resource;
        for key in [
            Some(r.id_field),
            r.arn_field,
            Some(r.name_field),
            Some(REGION),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(i) = r.field_index(key) {
                set.insert(i);
            }
        }
        set
    }

    /// Chooses the calls for the fields, items and predicates the source
    /// needs in its targets, and compiles them into the steps that run
    /// (`ctx`: the accounts the profiles reach, where known).
    pub fn plan_reads(&mut self, ctx: &PlanContext) {
        self.calls = plan_calls(
            self.resource,
            self.needed,
            if self.catalog.plural {
                &[]
            } else {
                &self.targets.identifiers
            },
            &self.predicates,
        );
        let aliases = self
            .resource
            .fields
            .iter()
            .position(|f| matches!(f.source, catalog::Source::InstanceAlias))
            .is_some_and(|i| self.needed.contains(i));
        let accounts: BTreeMap<String, String> = ctx
            .profiles
            .iter()
            .flatten()
            .filter_map(|p| Some((p.name.clone(), p.account.clone()?)))
            .collect();
        self.steps = compile(
            self.resource,
            &self.targets,
            &self.predicates,
            &self.calls,
            aliases,
            &accounts,
        );
    }
}

#[derive(Debug, Clone)]
pub struct SelectPlan {
    pub sources: Vec<SourceSpec>,
    /// Local files read by `read_csv(…)` / `read_json(…)`, loaded by the
    /// engine beside the sources.
    pub locals: Vec<LocalTable>,
    /// The query the engine runs over the source tables: the user's text
    /// with table references and params replaced.
    pub sql: String,
}

/// Plans a SELECT (or any query) statement written as `text`.
pub fn plan_query(
    text: &str,
    statement: Statement,
    ctx: &PlanContext,
) -> Result<SelectPlan, Error> {
    // The visitors' frames are large: plan on a deep stack (see src/sql/mod.rs).
    crate::sql::on_deep_stack(|| plan_query_here(text, statement, ctx))
}

fn plan_query_here(
    text: &str,
    statement: Statement,
    ctx: &PlanContext,
) -> Result<SelectPlan, Error> {
    let Statement::Query(mut query) = statement else {
        return Err(Error::Unsupported(
            "only queries can be planned as SELECT".into(),
        ));
    };
    let text = SourceText::new(text);
    let references = References::of(&query);
    let mut literals = Vec::new();
    let _ = visit_expressions(&query, |e| {
        string_literals(e, &mut literals);
        ControlFlow::<()>::Continue(())
    });
    let mut planner = Planner {
        ctx,
        text: &text,
        references: &references,
        regions: RegionAnalysis::new(&text, literals, &ctx.default_regions),
        pending: Vec::new(),
        links: Vec::new(),
        in_links: Vec::new(),
        edits: Vec::new(),
        query_stack: Vec::new(),
        queries: 0,
        selects: 0,
        region_filtered: false,
        locals: Vec::new(),
    };
    if let ControlFlow::Break(e) = query.visit(&mut planner) {
        return Err(e);
    }
    let sql = text.edited(planner.edits.clone())?;
    let locals = std::mem::take(&mut planner.locals);
    let sources = planner.finish()?;
    Ok(SelectPlan {
        sources,
        sql,
        locals,
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
            using: BTreeSet::new(),
        };
        let _ = query.clone().visit(&mut finder);
        refs.wildcard = finder.any;
        refs.qualified_wildcards = finder.qualified;
        refs.bare.extend(finder.using);
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
    using: BTreeSet<String>,
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
            // Join columns named outside any expression: USING's names are
            // referenced columns; NATURAL joins on every common one.
            for t in &s.from {
                for j in &t.joins {
                    match join_constraint(&j.join_operator) {
                        Some(JoinConstraint::Using(names)) => {
                            for n in names {
                                let text = n.to_string();
                                let last = text.rsplit('.').next().unwrap_or("");
                                self.using
                                    .insert(last.trim_matches('"').to_ascii_lowercase());
                            }
                        }
                        Some(JoinConstraint::Natural) => self.any = true,
                        _ => {}
                    }
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

/// A table of the statement, planned but not yet scoped.
struct Pending {
    spec: SourceSpec,
    /// The queries it is inside, outermost first (its own last).
    queries: Vec<usize>,
    select: usize,
    params: Vec<ParamPredicate>,
    instance_arns: Vec<String>,
    /// The instance aliases its `instance_alias` predicates allow.
    instance_aliases: Option<Vec<String>>,
    region: OwnRegion,
    preserved: bool,
    scoped: bool,
}

/// What a table's own region predicates say.
enum OwnRegion {
    Unmentioned,
    Bounded(Vec<String>),
    /// Mentioned but not bounded: how to write it.
    Unbounded(String),
}

/// An equality (or IN) that lets `restricted` be read where `partner`'s
/// rows are: `(restricted's select, qualifier, field, partner qualifier)`.
#[derive(Debug, Clone)]
struct Link {
    select: usize,
    restricted: String,
    field: String,
    partner: String,
}

/// `partner.x [NOT] IN (SELECT q.field FROM ...)`: the subquery (by
/// address) whose table may be read where `partner`'s rows are.
#[derive(Clone)]
struct InLink {
    query: usize,
    qualifier: Option<String>,
    field: String,
    partner: String,
}

struct Planner<'a> {
    ctx: &'a PlanContext,
    text: &'a SourceText,
    references: &'a References,
    regions: RegionAnalysis<'a>,
    pending: Vec<Pending>,
    links: Vec<Link>,
    in_links: Vec<InLink>,
    edits: Vec<Edit>,
    query_stack: Vec<usize>,
    queries: usize,
    selects: usize,
    /// Some WHERE, ON or HAVING clause of the statement reads a `region`
    /// column (a table's, a derived table's or a CTE's): the default region
    /// may not be assumed for any table.
    region_filtered: bool,
    /// Files read by `read_csv(…)` / `read_json(…)`.
    locals: Vec<LocalTable>,
}

impl VisitorMut for Planner<'_> {
    type Break = Error;

    /// `read_csv('file')` and `read_json('file')`: the file is read now and
    /// the call becomes a temporary table of its rows.
    fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<Error> {
        let TableFactor::Table {
            name, args, alias, ..
        } = factor
        else {
            return ControlFlow::Continue(());
        };
        let function = name.to_string();
        if !local::is_reader(&function) {
            return ControlFlow::Continue(());
        }
        let path = match args.as_ref().map(|a| a.args.as_slice()) {
            Some([FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))]) => match &v.value {
                SqlValue::SingleQuotedString(p) => Some(p.clone()),
                _ => None,
            },
            _ => None,
        };
        let Some(path) = path else {
            return ControlFlow::Break(Error::InvalidParam {
                param: function.clone(),
                message: format!("takes one quoted file name: {function}('new_hires.csv')"),
            });
        };
        let Some((start, end)) = self.text.call_range(name) else {
            return ControlFlow::Break(Error::Unsupported(format!(
                "`{function}(...)` in this layout"
            )));
        };
        let table = format!("local{}", self.locals.len());
        match local::read(&function, &path, table.clone()) {
            Ok(loaded) => self.locals.push(loaded),
            Err(e) => return ControlFlow::Break(e),
        }
        let text = match alias {
            Some(_) => table,
            None => format!("{table} AS {}", function.to_ascii_lowercase()),
        };
        self.edits.push(Edit { start, end, text });
        ControlFlow::Continue(())
    }

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<Error> {
        let address = query as *const Query as usize;
        self.queries += 1;
        self.query_stack.push(self.queries);
        let first_select = self.selects;
        let result = for_each_select(&mut query.body, &mut |select| self.plan_select(select));
        if let Err(e) = result {
            return ControlFlow::Break(e);
        }
        // Links from an enclosing `x IN (SELECT ...)` to this subquery.
        let selects = first_select..self.selects;
        let mine: Vec<InLink> = self
            .in_links
            .iter()
            .filter(|l| l.query == address)
            .cloned()
            .collect();
        for l in mine {
            let candidates: Vec<&Pending> = self
                .pending
                .iter()
                .filter(|p| selects.contains(&p.select))
                .collect();
            let restricted = match &l.qualifier {
                Some(q) => candidates
                    .iter()
                    .find(|p| p.spec.qualifier.eq_ignore_ascii_case(q)),
                None if candidates.len() == 1 => candidates.first(),
                None => None,
            };
            if let Some(p) = restricted {
                self.links.push(Link {
                    select: p.select,
                    restricted: p.spec.qualifier.to_ascii_lowercase(),
                    field: l.field.to_ascii_lowercase(),
                    partner: l.partner.to_ascii_lowercase(),
                });
            }
        }
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &mut Query) -> ControlFlow<Error> {
        self.query_stack.pop();
        ControlFlow::Continue(())
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
    /// Its rows may be null-extended by an outer join.
    nullable: bool,
    /// The ON condition of the inner or left join that brings it in: its
    /// conditions on this table alone filter this table's rows.
    on: Option<Expr>,
}

impl Planner<'_> {
    fn plan_select(&mut self, select: &mut Select) -> Result<(), Error> {
        let select_id = self.selects;
        self.selects += 1;
        let mut filters: Vec<&Expr> = select.selection.iter().chain(&select.having).collect();
        for twj in &select.from {
            for j in &twj.joins {
                if let Some(JoinConstraint::On(on)) = join_constraint(&j.join_operator) {
                    filters.push(on);
                }
            }
        }
        if filters.iter().any(|f| reads_a_region(f)) {
            self.region_filtered = true;
        }
        let taken = params::take_params(select.selection.clone())?;
        for removed in &taken.removed {
            let (start, end) = self.text.extent(removed).ok_or_else(|| {
                Error::Unsupported(format!(
                    "the param predicate `{removed}` in this layout; write it as a plain \
                     `name = '...'` or `name IN (...)`"
                ))
            })?;
            self.edits.push(Edit {
                start,
                end,
                text: "1".into(),
            });
        }
        let params = taken.params;
        let remaining = taken.rest;
        let json_sources = json_function_sources(&select.from);
        let mut links = join_links(&select.from, remaining.as_ref(), &json_sources);
        // `x IN (SELECT ...)` links to subqueries planned later.
        if let Some(selection) = &select.selection {
            collect_in_links(selection, &json_sources, &mut self.in_links);
        }
        let mut refs = Vec::new();
        for twj in select.from.iter_mut() {
            collect_table_refs(twj, &mut refs)?;
        }
        // Correlated equalities name tables of enclosing queries too.
        for l in links.iter_mut() {
            l.select = select_id;
        }
        self.links.extend(links);
        if refs.is_empty() {
            if let Some(p) = params.first() {
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
        let resources: Vec<&'static ResourceType> = refs.iter().map(|r| r.table.resource).collect();
        let owners =
            |name: &str| -> usize { resources.iter().filter(|r| r.field(name).is_some()).count() };
        let single = refs.len() == 1;
        // `region` is a column of every table: unqualified in a SELECT of
        // several, SQLite would call it ambiguous; say how to write it.
        if owners(REGION) > 1 {
            let unqualified = |e: &Expr| {
                visit_expressions(e, |x| match x {
                    Expr::Identifier(i) if i.value.eq_ignore_ascii_case(REGION) => {
                        ControlFlow::Break(())
                    }
                    _ => ControlFlow::Continue(()),
                })
                .is_break()
            };
            if remaining.as_ref().is_some_and(unqualified) {
                let names: Vec<String> = refs
                    .iter()
                    .map(|r| format!("{}.region", r.qualifier))
                    .collect();
                return Err(Error::InvalidParam {
                    param: REGION.into(),
                    message: format!(
                        "`region` is ambiguous here: every table of this SELECT has it ({}); qualify it for \
                         each table whose regions you mean, e.g. `{} = '...'`",
                        names.join(", "),
                        names[0]
                    ),
                });
            }
        }
        for r in refs.iter_mut() {
            let mine: Vec<ParamPredicate> = params
                .iter()
                .filter(|p| match &p.qualifier {
                    Some(q) => q.eq_ignore_ascii_case(&r.qualifier),
                    None => true,
                })
                .cloned()
                .collect();
            let resource = r.table.resource;
            let owns = |name: &str| single || owners(name) == 1;
            let mut predicates =
                pushdown::predicates(remaining.as_ref(), &r.qualifier, resource, &owns);
            predicates.extend(pushdown::predicates(
                r.on.as_ref(),
                &r.qualifier,
                resource,
                &|_: &str| false,
            ));
            let arn_columns: Vec<&str> = resource
                .fields
                .iter()
                .filter(|f| is_arn_field(f))
                .map(|f| f.name)
                .collect();
            let column = RegionColumn {
                qualifier: &r.qualifier,
                sole: single || owners(REGION) == 1,
                arn_columns: &arn_columns,
            };
            let region = self.own_region(remaining.as_ref(), r, column)?;
            let index = self.pending.len();
            // The engine's table keeps the user's alias, or the short name
            // so that `instance.id` still works.
            let table = format!("src{index}");
            if let TableFactor::Table { name, alias, .. } = &*r.factor {
                let (start, end) = self.text.name_range(name).ok_or_else(|| {
                    Error::Unsupported(format!("the table reference `{name}` in this layout"))
                })?;
                let text = match alias {
                    Some(_) => table.clone(),
                    None => format!("{table} AS {}", r.qualifier),
                };
                self.edits.push(Edit { start, end, text });
            }
            let instance_arns = instance_arns(resource, &predicates);
            let instance_aliases = instance_aliases(resource, &predicates);
            self.pending.push(Pending {
                spec: SourceSpec {
                    table,
                    catalog: r.table,
                    resource,
                    qualifier: r.qualifier.clone(),
                    targets: Targets::default(),
                    needed: self.references.needed(resource, &r.qualifier),
                    predicates,
                    calls: CallPlan {
                        base: crate::sql::calls::Base::List,
                        describe_each: false,
                        supplement: false,
                        subs: Vec::new(),
                        prefilter: Vec::new(),
                        joined: Vec::new(),
                    },
                    steps: Vec::new(),
                    inherited_from: None,
                    fresh: false,
                },
                queries: self.query_stack.clone(),
                select: select_id,
                params: mine,
                instance_arns,
                instance_aliases,
                region,
                preserved: r.preserved,
                scoped: false,
            });
        }
        Ok(())
    }

    /// What a table's own predicates say of its region: the WHERE clause
    /// (for a nullable side only its NULL-rejecting conjuncts) and the ON
    /// clause of the join that brings it in.
    fn own_region(
        &mut self,
        selection: Option<&Expr>,
        r: &TableRef<'_>,
        column: RegionColumn<'_>,
    ) -> Result<OwnRegion, Error> {
        let mut mentioned = false;
        let mut regions = Regions::Any;
        if let Some(w) = selection {
            if column.named_in(w) {
                mentioned = true;
                regions = regions.and(self.regions.regions(w, column, r.nullable)?);
            }
        }
        if let Some(on) = &r.on {
            let on_column = RegionColumn {
                sole: false,
                ..column
            };
            if on_column.named_in(on) {
                mentioned = true;
                regions = regions.and(self.regions.regions(on, on_column, false)?);
            }
        }
        Ok(match (mentioned, regions) {
            (false, _) => OwnRegion::Unmentioned,
            (true, Regions::Only(set)) => OwnRegion::Bounded(self.regions.ordered(&set)),
            (true, Regions::Any) => OwnRegion::Unbounded(format!(
                "connectql cannot tell from the WHERE clause which regions the rows of {table} can come from, \
                 so it would have to guess; bound {col} with a predicate AND-ed with the rest, such as \
                 `{col} = '...'` or `{col} IN ('...', '...')` (any predicate on {col} alone \
                 works, e.g. `{col} LIKE 'eu-%'`)",
                col = if column.sole {
                    REGION.to_string()
                } else {
                    format!("{}.region", r.qualifier)
                },
                table = r.table.id,
            )),
        })
    }

    /// Gives every table its targets (see the module docs), then its calls.
    fn finish(mut self) -> Result<Vec<SourceSpec>, Error> {
        let ctx = self.ctx;
        let mentions_place = self.region_filtered
            || self.pending.iter().any(|p| {
                !p.params.is_empty()
                    || !p.instance_arns.is_empty()
                    || !matches!(p.region, OwnRegion::Unmentioned)
            });
        // 1. Own scopes.
        for p in self.pending.iter_mut() {
            let own = !p.params.is_empty()
                || !p.instance_arns.is_empty()
                || matches!(p.region, OwnRegion::Bounded(_));
            if !own {
                continue;
            }
            let scope = match &p.region {
                OwnRegion::Bounded(set) => RegionScope::Bounded(set.clone()),
                OwnRegion::Unmentioned => RegionScope::Unmentioned,
                OwnRegion::Unbounded(_) => continue,
            };
            p.spec.targets = resolve(p, &scope, ctx)?;
            p.scoped = true;
        }
        // 2. Inherited, to a fixpoint (users → routing_profiles → queues,
        //    in whatever order they are written).
        loop {
            let mut changed = false;
            for k in 0..self.pending.len() {
                if self.pending[k].scoped {
                    continue;
                }
                if let Some(p) = self.scope_partner(k) {
                    let (targets, name) = (
                        self.pending[p].spec.targets.clone(),
                        self.pending[p].spec.qualifier.clone(),
                    );
                    let partner_inside = self.pending[p].spec.resource.scope == Scope::Instance;
                    let me = &mut self.pending[k];
                    let spec = &mut me.spec;
                    spec.targets.regions = targets.regions;
                    spec.targets.default_regions = targets.default_regions;
                    spec.targets.default_profiles = targets.default_profiles;
                    spec.targets.empty = targets.empty;
                    // An ARN names its account as it names its region.
                    spec.targets.profiles = targets.profiles;
                    spec.targets.profile_regions = targets.profile_regions;
                    let inside = spec.resource.scope == Scope::Instance && partner_inside;
                    spec.targets.instances = if inside {
                        targets.instances
                    } else {
                        Vec::new()
                    };
                    spec.targets.instances_by_filter = inside && targets.instances_by_filter;
                    pin_aliases(
                        &mut spec.targets,
                        me.instance_aliases.as_deref(),
                        &me.params,
                    );
                    spec.inherited_from = Some(name);
                    me.scoped = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // A table scoped by its own region but naming no profile reads the
        // accounts of the table its ARNs join it to.
        for k in 0..self.pending.len() {
            let me = &self.pending[k];
            if !me.scoped
                || me.spec.inherited_from.is_some()
                || me.params.iter().any(|p| p.name == PROFILE)
            {
                continue;
            }
            if let Some(p) = self.scope_partner(k) {
                let partner = &self.pending[p].spec.targets;
                let (profiles, from_defaults) =
                    (partner.profiles.clone(), partner.default_profiles);
                let spec = &mut self.pending[k].spec;
                // The session's default profiles give way to the partner's
                // (its rows can only match there); nothing is left out.
                let mine_open = spec.targets.profiles.is_empty() || spec.targets.default_profiles;
                if mine_open && !profiles.is_empty() {
                    spec.targets.profiles = profiles;
                    spec.targets.default_profiles = from_defaults;
                    spec.targets
                        .profile_regions
                        .retain(|name, _| spec.targets.profiles.contains(name));
                }
            }
        }
        // 3. The session's default, when the statement names no place.
        for p in self.pending.iter_mut().filter(|p| !p.scoped) {
            if let OwnRegion::Unbounded(message) = &p.region {
                return Err(Error::InvalidParam {
                    param: REGION.into(),
                    message: message.clone(),
                });
            }
            if mentions_place {
                let q = p.spec.qualifier.to_ascii_lowercase();
                return Err(Error::InvalidParam {
                    param: REGION.into(),
                    message: format!(
                        "{} ({}) names no region or instance, and its rows cannot safely be limited to those of \
                         the tables it is joined to (connectql does not guess); join it on an ARN column \
                         (e.g. {q}.{} = <other>.<..._arn>) in an inner join or a correlated subquery, or give it \
                         its own `{q}.region = '...'`{}",
                        p.spec.catalog.id,
                        p.spec.qualifier,
                        p.spec.resource.arn_field.unwrap_or(p.spec.resource.id_field),
                        if p.spec.resource.scope == Scope::Instance {
                            format!(" and `{q}.{INSTANCE_ID} = '...'`")
                        } else {
                            String::new()
                        }
                    ),
                });
            }
            p.spec.targets = resolve(p, &RegionScope::Unmentioned, ctx)?;
            p.scoped = true;
        }
        Ok(self
            .pending
            .into_iter()
            .map(|p| {
                let mut spec = p.spec;
                spec.plan_reads(ctx);
                spec
            })
            .collect())
    }

    /// The scoped table that table `k` may take its scope from: one it is
    /// linked to by an ARN column (never when `k` is the preserved side of
    /// an outer join), in its own SELECT or an enclosing one (nearest).
    fn scope_partner(&self, k: usize) -> Option<usize> {
        let me = &self.pending[k];
        if me.preserved {
            return None;
        }
        let q = me.spec.qualifier.to_ascii_lowercase();
        let resource = me.spec.resource;
        self.links.iter().find_map(|l| {
            if l.select != me.select || l.restricted != q {
                return None;
            }
            // An ARN names its region (and the instance, inside one), so a
            // row that can match lives where the partner's rows do.
            if !is_arn_field(resource.field(&l.field)?) {
                return None;
            }
            // The nearest table of that name: in this SELECT, else in the
            // innermost enclosing query.
            self.pending
                .iter()
                .enumerate()
                .filter(|(i, p)| {
                    *i != k
                        && p.scoped
                        && p.spec.qualifier.eq_ignore_ascii_case(&l.partner)
                        && (p.select == me.select
                            || me.queries.contains(p.queries.last().unwrap_or(&0)))
                })
                .max_by_key(|(_, p)| (p.select == me.select, p.queries.len()))
                .map(|(i, _)| i)
        })
    }
}

/// A field that holds one Connect ARN, as the catalog declares: the item's
/// own, its instance's, or a reference to another item (which lives in the
/// same instance).
fn is_arn_field(field: &crate::catalog::Field) -> bool {
    field.ty == FieldType::String && field.reference.is_connect_arn()
}

/// Whether an expression reads a column named `region` (of any table).
fn reads_a_region(expr: &Expr) -> bool {
    visit_expressions(expr, |e| match e {
        Expr::Identifier(i) if i.value.eq_ignore_ascii_case(REGION) => ControlFlow::Break(()),
        Expr::CompoundIdentifier(parts)
            if parts
                .last()
                .is_some_and(|p| p.value.eq_ignore_ascii_case(REGION)) =>
        {
            ControlFlow::Break(())
        }
        _ => ControlFlow::Continue(()),
    })
    .is_break()
}

/// The constraint of a join, whatever its kind.
fn join_constraint(op: &JoinOperator) -> Option<&JoinConstraint> {
    match op {
        JoinOperator::Join(c)
        | JoinOperator::Inner(c)
        | JoinOperator::Left(c)
        | JoinOperator::LeftOuter(c)
        | JoinOperator::Right(c)
        | JoinOperator::RightOuter(c)
        | JoinOperator::FullOuter(c)
        | JoinOperator::CrossJoin(c) => Some(c),
        _ => None,
    }
}

/// A pending table's targets under a region scope, in the profiles its
/// `profile` params name.
fn resolve(p: &Pending, scope: &RegionScope, ctx: &PlanContext) -> Result<Targets, Error> {
    let method = p
        .spec
        .catalog
        .method_for(SqlVerb::Select)
        .expect("every catalog table has a SELECT method");
    let params: Vec<&ParamPredicate> = p.params.iter().filter(|q| q.name != PROFILE).collect();
    let mut targets = resolve_targets(
        p.spec.resource,
        &p.spec.catalog.id,
        method,
        &params,
        &p.instance_arns,
        scope,
        ctx,
    )?;
    apply_profiles(&mut targets, &p.params, ctx)?;
    pin_aliases(&mut targets, p.instance_aliases.as_deref(), &p.params);
    Ok(targets)
}

/// Refuses a profile name that is not configured, naming the nearest and
/// those there are (`known`: the profiles of the AWS config files). The
/// one check of profile names: `profile` predicates and `.profile`.
pub fn check_profiles(
    names: &[String],
    known: &[crate::connect_api::ProfileInfo],
) -> Result<(), Error> {
    let Some(unknown) = names.iter().find(|v| !known.iter().any(|k| &k.name == *v)) else {
        return Ok(());
    };
    Err(Error::Unknown {
        what: crate::catalog::PROFILE,
        name: unknown.clone(),
        suggestion: catalog::suggest(unknown, known.iter().map(|k| k.name.as_str()))
            .map(str::to_string),
        known: if known.is_empty() {
            "none: the AWS config and credentials files define no profile".to_string()
        } else {
            known
                .iter()
                .map(|k| k.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        },
    })
}

/// The profiles of a table's `profile` params: each names configured
/// profiles (an unknown one is refused, naming those there are), OR and IN
/// unite, AND-ed ones intersect. A table with no `profile` param reads the
/// session's default profiles (`.profile a,b`), exactly as if it had
/// `profile IN ('a', 'b')`. With no region named, each profile reads its
/// own configured region (the session's when it has none) — unless the
/// user chose the default regions, which every profile then reads.
fn apply_profiles(
    targets: &mut Targets,
    params: &[ParamPredicate],
    ctx: &PlanContext,
) -> Result<(), Error> {
    let defaults = [ParamPredicate {
        qualifier: None,
        name: PROFILE,
        values: ctx.default_profiles.clone(),
    }];
    let own = params.iter().any(|p| p.name == PROFILE);
    let from_defaults = !own && !ctx.default_profiles.is_empty();
    let params = if from_defaults { &defaults[..] } else { params };
    let mut chosen: Option<Vec<String>> = None;
    for p in params.iter().filter(|p| p.name == PROFILE) {
        if let Some(known) = &ctx.profiles {
            check_profiles(&p.values, known)?;
        }
        chosen = Some(match chosen {
            None => p.values.clone(),
            Some(before) => before
                .into_iter()
                .filter(|v| p.values.contains(v))
                .collect(),
        });
    }
    let Some(mut profiles) = chosen else {
        return Ok(());
    };
    // `IN ('dev', 'dev')` reads dev once: each place once, each row once.
    let mut seen = BTreeSet::new();
    profiles.retain(|p| seen.insert(p.clone()));
    if profiles.is_empty() {
        targets
            .empty
            .get_or_insert_with(|| "the profile predicates exclude every profile".to_string());
        targets.regions.clear();
        targets.default_regions.clear();
        targets.identifiers.clear();
        targets.instances.clear();
        return Ok(());
    }
    if !targets.default_regions.is_empty() && !ctx.regions_chosen {
        let known = ctx.profiles.as_deref().unwrap_or_default();
        let session = &targets.default_regions;
        // The regions ARNs name are read by every profile.
        let named: Vec<String> = targets
            .regions
            .iter()
            .filter(|r| !session.contains(r))
            .cloned()
            .collect();
        let mut union: Vec<String> = Vec::new();
        for name in &profiles {
            let own = known
                .iter()
                .find(|k| &k.name == name)
                .and_then(|k| k.region.clone());
            let mut regions: Vec<String> = match own {
                Some(r) => vec![r],
                None => session.clone(),
            };
            for r in &named {
                if !regions.contains(r) {
                    regions.push(r.clone());
                }
            }
            for r in &regions {
                if !union.contains(r) {
                    union.push(r.clone());
                }
            }
            targets.profile_regions.insert(name.clone(), regions);
        }
        targets.regions = union;
    }
    targets.profiles = profiles;
    targets.default_profiles = from_defaults;
    Ok(())
}

/// Instance ARNs pinned by `instance_arn = '...'` / `IN (...)` (or the
/// field that holds the instance's ARN under another name: `instance_id`).
fn instance_arns(resource: &ResourceType, predicates: &[Predicate]) -> Vec<String> {
    if resource.scope != Scope::Instance {
        return Vec::new();
    }
    let Some(field) = resource
        .fields
        .iter()
        .position(|f| f.reference == crate::catalog::Reference::Instance)
    else {
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

/// The instance aliases a table's rows can have by its pushed-down
/// `instance_alias` predicates (`= '...'`, `IN (...)`, OR-ed equalities),
/// AND-ed ones intersected; `None` when none bounds it. A value that no
/// instance alias can be matches no row, so it drops out.
fn instance_aliases(resource: &ResourceType, predicates: &[Predicate]) -> Option<Vec<String>> {
    if resource.scope != Scope::Instance {
        return None;
    }
    let field = resource
        .fields
        .iter()
        .position(|f| matches!(f.source, catalog::Source::InstanceAlias))?;
    let is_alias = |v: &String| {
        matches!(
            ItemRef::parse(catalog::instance_resource(), catalog::INSTANCE_ALIAS, v),
            Ok(ItemRef::Name(_) | ItemRef::Id(_))
        )
    };
    predicates
        .iter()
        .filter(|p| p.field == field)
        .filter_map(|p| match &p.test {
            Test::Equals(values) => Some(values),
            _ => None,
        })
        .fold(None, |allowed: Option<Vec<String>>, values| {
            let mut out: Vec<String> = Vec::new();
            for v in values.iter().filter(|v| is_alias(v)) {
                if allowed.as_ref().is_none_or(|a| a.contains(v)) && !out.contains(v) {
                    out.push(v.clone());
                }
            }
            Some(out)
        })
}

/// Reads only the instances a table's `instance_alias` predicates allow,
/// as `data__InstanceId` naming them by alias would, when nothing else
/// names its instances (a param, an `instance_arn`, an item's ARN, the
/// table it is joined to): then those are read and the engine filters.
/// An alias no instance has gives no rows; aliases that exclude each
/// other read nothing.
fn pin_aliases(targets: &mut Targets, aliases: Option<&[String]>, params: &[ParamPredicate]) {
    let Some(aliases) = aliases else {
        return;
    };
    if targets.empty.is_some() {
        return;
    }
    if aliases.is_empty() {
        targets.empty = Some(format!(
            "the AND-ed {} predicates exclude every instance alias",
            catalog::INSTANCE_ALIAS
        ));
        targets.regions.clear();
        targets.identifiers.clear();
        targets.instances.clear();
        return;
    }
    if !targets.instances.is_empty() || params.iter().any(|p| p.name == INSTANCE_ID) {
        return;
    }
    targets.instances = aliases.iter().cloned().map(ItemRef::Name).collect();
    targets.instances_by_filter = true;
}

/// Table-valued JSON functions of a FROM clause (`json_each(r.x) c`):
/// alias → the qualifier of the table whose value they read.
fn json_function_sources(from: &[TableWithJoins]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut visit = |f: &TableFactor| {
        if let TableFactor::Table {
            name,
            args: Some(args),
            alias: Some(alias),
            ..
        } = f
        {
            let n = name.to_string().to_ascii_lowercase();
            if n == "json_each" || n == "json_tree" {
                let mut qualifiers = BTreeSet::new();
                for a in &args.args {
                    if let sqlparser::ast::FunctionArg::Unnamed(
                        sqlparser::ast::FunctionArgExpr::Expr(e),
                    ) = a
                    {
                        qualifiers.extend(qualifiers_of(e));
                    }
                }
                if qualifiers.len() == 1 {
                    out.insert(
                        alias.name.value.to_ascii_lowercase(),
                        qualifiers.into_iter().next().expect("one"),
                    );
                }
            }
        }
    };
    for twj in from {
        visit(&twj.relation);
        for j in &twj.joins {
            visit(&j.relation);
        }
    }
    out
}

/// The qualifiers an expression's column references use (lower-cased).
fn qualifiers_of(expr: &Expr) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let _ = visit_expressions(expr, |e| {
        if let Expr::CompoundIdentifier(parts) = e {
            if parts.len() >= 2 {
                out.insert(parts[parts.len() - 2].value.to_ascii_lowercase());
            }
        }
        ControlFlow::<()>::Continue(())
    });
    out
}

/// The one table an expression reads, through JSON functions' aliases.
fn partner_of(expr: &Expr, json_sources: &BTreeMap<String, String>) -> Option<String> {
    let tables: BTreeSet<String> = qualifiers_of(expr)
        .into_iter()
        .map(|q| json_sources.get(&q).cloned().unwrap_or(q))
        .collect();
    (tables.len() == 1).then(|| tables.into_iter().next().expect("one"))
}

/// `outer [NOT] IN (SELECT t.field FROM ...)` at the top level of a WHERE
/// clause (AND-ed) or under OR: the subquery's table may be read where the
/// outer value's table is.
fn collect_in_links(
    selection: &Expr,
    json_sources: &BTreeMap<String, String>,
    out: &mut Vec<InLink>,
) {
    let _ = visit_expressions(selection, |e| {
        if let Expr::InSubquery { expr, subquery, .. } = e {
            if let (Some(partner), SetExpr::Select(inner)) =
                (partner_of(expr, json_sources), subquery.body.as_ref())
            {
                if let [SelectItem::UnnamedExpr(item)
                | SelectItem::ExprWithAlias { expr: item, .. }] = inner.projection.as_slice()
                {
                    let column = match item {
                        Expr::Identifier(i) => Some((None, i.value.clone())),
                        Expr::CompoundIdentifier(parts) if parts.len() >= 2 => Some((
                            Some(parts[parts.len() - 2].value.clone()),
                            parts[parts.len() - 1].value.clone(),
                        )),
                        _ => None,
                    };
                    if let Some((qualifier, field)) = column {
                        out.push(InLink {
                            query: subquery.as_ref() as *const Query as usize,
                            qualifier,
                            field,
                            partner,
                        });
                    }
                }
            }
        }
        ControlFlow::<()>::Continue(())
    });
}

/// The equalities of ON clauses (and of the WHERE clause, between tables
/// in no outer join) that may restrict one side to the other's instances.
/// A side may be any expression over one table (through JSON functions).
fn join_links(
    from: &[TableWithJoins],
    selection: Option<&Expr>,
    json_sources: &BTreeMap<String, String>,
) -> Vec<Link> {
    let mut links = Vec::new();
    let mut in_outer_join: BTreeSet<String> = BTreeSet::new();
    let push = |links: &mut Vec<Link>, a: (String, String), partner: String| {
        if a.0 != partner {
            links.push(Link {
                select: 0,
                restricted: a.0,
                field: a.1,
                partner,
            });
        }
    };
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
                for (a, other) in equalities(expr) {
                    if let Some(partner) = partner_of(&other, json_sources) {
                        if allowed(&a.0) {
                            push(&mut links, a, partner);
                        }
                    }
                }
            }
            left.extend(right);
        }
    }
    if let Some(expr) = selection {
        for (a, other) in equalities(expr) {
            if let Some(partner) = partner_of(&other, json_sources) {
                if in_outer_join.contains(&a.0) || in_outer_join.contains(&partner) {
                    continue;
                }
                push(&mut links, a, partner);
            }
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

/// The AND-ed equalities `t.x = <expr>` (either way round): `((t, x),
/// <expr>)`, lower-cased; each equality once for each side that is a
/// qualified column.
fn equalities(expr: &Expr) -> Vec<((String, String), Expr)> {
    let mut parts = Vec::new();
    conjuncts(expr.clone(), &mut parts);
    fn column(e: &Expr) -> Option<(String, String)> {
        match e {
            Expr::CompoundIdentifier(p) if p.len() >= 2 => Some((
                p[p.len() - 2].value.to_ascii_lowercase(),
                p[p.len() - 1].value.to_ascii_lowercase(),
            )),
            Expr::Nested(inner) => column(inner),
            _ => None,
        }
    }
    let mut out = Vec::new();
    for e in &parts {
        let e = match e {
            Expr::Nested(inner) => inner.as_ref(),
            other => other,
        };
        if let Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } = e
        {
            if let Some(c) = column(left) {
                out.push((c, right.as_ref().clone()));
            }
            if let Some(c) = column(right) {
                out.push((c, left.as_ref().clone()));
            }
        }
    }
    out
}

fn collect_table_refs<'s>(
    twj: &'s mut TableWithJoins,
    out: &mut Vec<TableRef<'s>>,
) -> Result<(), Error> {
    collect_joined(twj, false, false, out)
}

/// Collects the tables of one FROM item. `preserved` / `nullable` come
/// from an enclosing outer join (a parenthesised join inside one).
fn collect_joined<'s>(
    twj: &'s mut TableWithJoins,
    preserved: bool,
    nullable: bool,
    out: &mut Vec<TableRef<'s>>,
) -> Result<(), Error> {
    let kinds: Vec<(bool, bool)> = twj
        .joins
        .iter()
        .map(|j| match j.join_operator {
            JoinOperator::Left(_) | JoinOperator::LeftOuter(_) => (true, false),
            JoinOperator::Right(_) | JoinOperator::RightOuter(_) => (false, true),
            JoinOperator::FullOuter(_) => (true, true),
            _ => (false, false),
        })
        .collect();
    // The tables before a join: preserved by a LEFT/FULL join, nullable
    // by a RIGHT/FULL one, from any later join.
    let before = |i: usize| -> (bool, bool) {
        kinds[i..]
            .iter()
            .fold((false, false), |(p, n), (left, right)| {
                (p || *left, n || *right)
            })
    };
    let (p0, n0) = if kinds.is_empty() {
        (false, false)
    } else {
        before(0)
    };
    collect_factor(
        &mut twj.relation,
        preserved || p0,
        nullable || n0,
        None,
        out,
    )?;
    let count = twj.joins.len();
    for (i, j) in twj.joins.iter_mut().enumerate() {
        let on = match &j.join_operator {
            JoinOperator::Join(JoinConstraint::On(e))
            | JoinOperator::Inner(JoinConstraint::On(e))
            | JoinOperator::Left(JoinConstraint::On(e))
            | JoinOperator::LeftOuter(JoinConstraint::On(e)) => Some(e.clone()),
            _ => None,
        };
        let (left, right) = kinds[i];
        let later_n = i + 1 < count && before(i + 1).1;
        // Preserved by its own join only: a later LEFT JOIN's ON cannot
        // restrict it (see `join_links`), and its own ON link stays sound.
        collect_factor(
            &mut j.relation,
            preserved || right,
            nullable || left || later_n,
            on,
            out,
        )?;
    }
    Ok(())
}

fn collect_factor<'s>(
    factor: &'s mut TableFactor,
    preserved: bool,
    nullable: bool,
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
                nullable,
                on,
            });
            Ok(())
        }
        TableFactor::NestedJoin {
            table_with_joins, ..
        } => collect_joined(table_with_joins, preserved, nullable, out),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::calls::Base;
    use crate::sql::parse_one;
    use crate::sql::physical::PlaceSteps;
    use crate::sql::resolve::ItemRef;

    fn plan(sql: &str) -> Result<SelectPlan, Error> {
        plan_query(
            sql,
            parse_one(sql)?,
            &PlanContext {
                ..Default::default()
            },
        )
    }

    fn needs(s: &SourceSpec, name: &str) -> bool {
        s.needed.contains(s.resource.field_index(name).unwrap())
    }

    #[test]
    fn join_columns_outside_expressions_are_read() {
        let scope = "q.region = 'us-east-1' AND o.region = 'us-east-1'";
        let using = plan(&format!(
            "SELECT q.name FROM aws.connect.queues q JOIN aws.connect.queues o \
             USING (max_contacts) WHERE {scope}"
        ))
        .unwrap();
        assert!(using.sources.iter().all(|s| needs(s, "max_contacts")));
        let natural = plan(&format!(
            "SELECT q.name FROM aws.connect.queues q NATURAL JOIN aws.connect.queues o WHERE {scope}"
        ))
        .unwrap();
        for s in &natural.sources {
            assert_eq!(s.needed, FieldSet::all(s.resource));
        }
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
        // The user's text, with only the table and the param replaced.
        assert_eq!(
            p.sql,
            "SELECT region, id, attributes FROM src0 AS instance WHERE region = 'us-east-1' AND 1"
        );
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
            "SELECT id FROM aws.connect.instances",
            parse_one("SELECT id FROM aws.connect.instances").unwrap(),
            &PlanContext {
                default_regions: vec!["eu-west-2".into()],
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(p.sources[0].targets.regions, ["eu-west-2"]);
        assert_eq!(p.sources[0].targets.default_regions, ["eu-west-2"]);
    }

    #[test]
    fn arn_gives_the_region() {
        let p = plan(
            "SELECT id FROM aws.connect.instance WHERE data__Identifier = 'arn:aws:connect:eu-west-2:123456789012:instance/1f0af98d-6cb5-4ff4-b7a5-0fc506667efe'",
        )
        .unwrap();
        assert_eq!(p.sources[0].targets.regions, ["eu-west-2"]);
        // AND-ed with a region it is not in: nothing to read.
        let p = plan(
            "SELECT id FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'arn:aws:connect:eu-west-2:123456789012:instance/1f0af98d-6cb5-4ff4-b7a5-0fc506667efe'",
        )
        .unwrap();
        assert!(p.sources[0].targets.regions.is_empty());
        assert!(p.sources[0].targets.empty.is_some());
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
        assert!(p.sql.contains("FROM src0 a JOIN src1 b"), "{}", p.sql);

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
             WHERE i.region IN ('us-east-1', 'eu-west-2') GROUP BY i.instance_alias",
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
        // Every predicate stays in the SQL the engine runs.
        assert!(p.sql.contains("i.region IN"), "{}", p.sql);
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

    /// The instances a statement's first table reads (by how it names
    /// them), whether they come from a filter, and whether it reads nothing.
    fn alias_pins(sql: &str) -> (Vec<ItemRef>, bool, bool) {
        let p = plan(sql).unwrap();
        let t = &p.sources[0].targets;
        (
            t.instances.clone(),
            t.instances_by_filter,
            t.empty.is_some(),
        )
    }

    fn names(aliases: &[&str]) -> Vec<ItemRef> {
        aliases
            .iter()
            .map(|a| ItemRef::Name(a.to_string()))
            .collect()
    }

    #[test]
    fn instance_alias_predicates_pin_the_instances() {
        let q = "SELECT username FROM aws.connect.users WHERE region = 'us-east-1' AND ";
        for (filter, expect) in [
            ("instance_alias = 'acme-support'", vec!["acme-support"]),
            ("instance_alias IN ('a', 'b', 'a')", vec!["a", "b"]),
            (
                "(instance_alias = 'a' OR instance_alias = 'b')",
                vec!["a", "b"],
            ),
            (
                "instance_alias IN ('a', 'b') AND instance_alias IN ('b', 'c')",
                vec!["b"],
            ),
            // A value no alias can be (a space, an ARN) matches no row.
            ("instance_alias IN ('a b', 'c')", vec!["c"]),
        ] {
            assert_eq!(
                alias_pins(&format!("{q}{filter}")),
                (names(&expect), true, false),
                "{filter}"
            );
        }
    }

    #[test]
    fn unsound_instance_alias_predicates_read_every_instance() {
        let q = "SELECT username FROM aws.connect.users u WHERE region = 'us-east-1' AND ";
        for filter in [
            "(instance_alias = 'a' OR username = 'jdoe')",
            "NOT instance_alias = 'a'",
            "instance_alias <> 'a'",
            "upper(instance_alias) = 'A'",
            "instance_alias LIKE 'acme%'",
            "instance_alias NOT IN ('a')",
            "instance_alias = u.username",
        ] {
            assert_eq!(
                alias_pins(&format!("{q}{filter}")),
                (vec![], false, false),
                "{filter}"
            );
        }
    }

    #[test]
    fn contradicting_instance_aliases_read_nothing() {
        for filter in [
            "instance_alias = 'a' AND instance_alias = 'b'",
            "instance_alias IN ('a b')",
        ] {
            let sql = format!(
                "SELECT username FROM aws.connect.users WHERE region = 'us-east-1' AND {filter}"
            );
            let p = plan(&sql).unwrap();
            assert!(p.sources[0].targets.empty.is_some(), "{filter}");
            assert!(p.sources[0].steps.is_empty(), "{filter}");
        }
    }

    #[test]
    fn other_instance_names_win_over_alias_pins() {
        let arn =
            "arn:aws:connect:us-east-1:123456789012:instance/5f1d8a72-3c6e-4b9f-a0d4-e7b2c5f8913d";
        // data__InstanceId names the instances: the engine filters on the alias.
        let (instances, by_filter, _) = alias_pins(
            "SELECT username FROM aws.connect.users WHERE region = 'us-east-1' AND data__InstanceId = 'x' AND instance_alias = 'y'",
        );
        assert_eq!((instances, by_filter), (names(&["x"]), false));
        let (instances, by_filter, _) = alias_pins(&format!(
            "SELECT username FROM aws.connect.users WHERE instance_arn = '{arn}' AND instance_alias = 'y'"
        ));
        assert!(matches!(instances.as_slice(), [ItemRef::Arn { .. }]) && !by_filter);
        // The instance table's own instance_alias is its name, not a pin.
        let p = plan("SELECT id FROM aws.connect.instances WHERE region = 'us-east-1' AND instance_alias = 'x'")
            .unwrap();
        assert!(p.sources[0].targets.instances.is_empty());
    }

    #[test]
    fn reading_instance_alias_lists_the_instances_named_by_arn() {
        let arn =
            "arn:aws:connect:us-east-1:123456789012:instance/5f1d8a72-3c6e-4b9f-a0d4-e7b2c5f8913d";
        let finds = |columns: &str| {
            let p = plan(&format!(
                "SELECT {columns} FROM aws.connect.queues WHERE instance_arn = '{arn}'"
            ))
            .unwrap();
            let place = crate::connect_api::Place::new(None, "us-east-1");
            PlaceSteps::new(&p.sources[0].steps, &place).finds_instances()
        };
        assert!(!finds("name"));
        assert!(finds("name, instance_alias"));
        assert!(finds("*"));
    }

    #[test]
    fn an_alias_pin_reaches_the_tables_joined_by_arn() {
        let p = plan(
            "SELECT u.username, r.name FROM aws.connect.users u JOIN aws.connect.routing_profiles r \
             ON r.routing_profile_arn = u.routing_profile_arn \
             WHERE u.region = 'us-east-1' AND u.instance_alias = 'acme-support'",
        )
        .unwrap();
        for s in &p.sources {
            assert_eq!(
                s.targets.instances,
                names(&["acme-support"]),
                "{}",
                s.qualifier
            );
            assert!(s.targets.instances_by_filter);
        }
    }

    fn regions(sql: &str) -> Vec<Vec<String>> {
        plan(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .sources
            .iter()
            .map(|s| s.targets.regions.clone())
            .collect()
    }

    fn refused(sql: &str, expect: &str) {
        let e = plan(sql).map(|p| p.sql).unwrap_err().to_string();
        assert!(e.contains(expect), "{sql}: {e}");
    }

    #[test]
    fn and_ed_identifiers_intersect() {
        let p = plan(
            "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' \
             AND data__Identifier = 'acme-sales' AND data__Identifier = 'acme-support'",
        )
        .unwrap();
        assert!(p.sources[0].targets.empty.is_some());
        assert!(p.sources[0].targets.regions.is_empty());
        let p = plan(
            "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' \
             AND data__Identifier IN ('acme-support','acme-sales') AND data__Identifier = 'acme-sales'",
        )
        .unwrap();
        assert_eq!(
            p.sources[0].targets.identifiers,
            [ItemRef::Name("acme-sales".into())]
        );
        // Or-ed ones unite, like IN.
        let p = plan(
            "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' \
             AND (data__Identifier = 'a' OR data__Identifier = 'b')",
        )
        .unwrap();
        assert_eq!(p.sources[0].targets.identifiers.len(), 2);
        assert!(p.sql.ends_with("AND (1)"), "{}", p.sql);
    }

    #[test]
    fn region_predicates_are_evaluated_over_the_domain() {
        let two = vec!["us-east-1".to_string(), "eu-west-2".to_string()];
        for sql in [
            "SELECT id FROM aws.connect.instances WHERE region = 'us-east-1' OR region = 'eu-west-2'",
            "SELECT id FROM aws.connect.instances WHERE region IN ('us-east-1', 'eu-west-2')",
            "SELECT id FROM aws.connect.instances WHERE 'eu-west-2' = region OR (region = 'us-east-1' AND id IS NOT NULL)",
        ] {
            let mut got = regions(sql).remove(0);
            got.sort();
            let mut want = two.clone();
            want.sort();
            assert_eq!(got, want, "{sql}");
        }
        assert_eq!(
            regions("SELECT id FROM aws.connect.instances WHERE upper(region) = 'EU-WEST-2'"),
            [["eu-west-2"]]
        );
        assert_eq!(
            regions("SELECT id FROM aws.connect.instances WHERE region IN (SELECT 'eu-west-2')"),
            [["eu-west-2"]]
        );
        let like =
            regions("SELECT id FROM aws.connect.instances WHERE region LIKE '%-%-2'").remove(0);
        assert!(like.contains(&"eu-west-2".to_string()) && like.contains(&"us-west-2".to_string()));
        assert!(like.iter().all(|r| r.ends_with("-2")), "{like:?}");
        let not_in =
            regions("SELECT id FROM aws.connect.instances WHERE region NOT IN ('ca-central-1')")
                .remove(0);
        assert!(
            !not_in.contains(&"ca-central-1".to_string()) && not_in.len() > 5,
            "{not_in:?}"
        );
        // A contradiction reads nothing.
        let p = plan("SELECT id FROM aws.connect.instances WHERE region = 'us-east-1' AND region = 'eu-west-2'")
            .unwrap();
        assert!(p.sources[0].targets.empty.is_some());
        // A region the statement names is in the domain too.
        assert_eq!(
            regions("SELECT id FROM aws.connect.instances WHERE region = 'xx-moon-1'"),
            [["xx-moon-1"]]
        );
    }

    #[test]
    fn an_unbounded_region_is_refused_not_guessed() {
        refused(
            "SELECT id FROM aws.connect.instances WHERE region = 'us-east-1' OR instance_alias = 'x'",
            "cannot tell",
        );
        refused(
            "SELECT id FROM aws.connect.instances WHERE region = instance_alias",
            "cannot tell",
        );
    }

    #[test]
    fn outer_join_null_side_takes_only_null_rejecting_region_predicates() {
        // `OR u.region IS NULL` lets null-extended rows through: not a bound.
        refused(
            "SELECT r.name FROM aws.connect.routing_profiles r LEFT JOIN aws.connect.users u \
             ON u.username = r.name WHERE r.region = 'us-east-1' AND r.data__InstanceId = 'acme-support' \
             AND (u.region = 'us-east-1' OR u.region IS NULL)",
            "u",
        );
        // ... while the predicate stays in the SQL the engine runs.
        let p = plan(
            "SELECT r.name FROM aws.connect.routing_profiles r LEFT JOIN aws.connect.users u \
             ON u.routing_profile_arn = r.routing_profile_arn WHERE r.region = 'us-east-1' \
             AND r.data__InstanceId = 'acme-support' AND u.region = 'us-east-1'",
        )
        .unwrap();
        assert!(p.sql.contains("AND u.region = 'us-east-1'"), "{}", p.sql);
    }

    #[test]
    fn subqueries_inherit_by_arn_or_are_refused() {
        let p = plan(
            "SELECT h.region, h.name FROM aws.connect.hours_of_operations h WHERE h.region IN \
             ('us-east-1','eu-west-2','ap-southeast-2') AND h.hours_of_operation_arn NOT IN \
             (SELECT q.hours_of_operation_arn FROM aws.connect.queues q)",
        )
        .unwrap();
        assert_eq!(p.sources[1].targets.regions.len(), 3);
        assert_eq!(p.sources[1].inherited_from.as_deref(), Some("h"));
        let p = plan(
            "SELECT h.name FROM aws.connect.hours_of_operations h WHERE h.region IN ('us-east-1','eu-west-2') \
             AND NOT EXISTS (SELECT 1 FROM aws.connect.queues q WHERE q.hours_of_operation_arn = h.hours_of_operation_arn)",
        )
        .unwrap();
        assert_eq!(p.sources[1].targets.regions.len(), 2);
        refused(
            "SELECT h.name FROM aws.connect.hours_of_operations h WHERE h.region = 'us-east-1' \
             AND h.name NOT IN (SELECT q.name FROM aws.connect.queues q)",
            "names no region",
        );
        // With no place named anywhere, the default applies to all.
        let p = plan_query(
            "SELECT name FROM aws.connect.queues WHERE name IN (SELECT name FROM aws.connect.hours_of_operations)",
            parse_one("SELECT name FROM aws.connect.queues WHERE name IN (SELECT name FROM aws.connect.hours_of_operations)").unwrap(),
            &PlanContext {
                default_regions: vec!["eu-west-2".into()],
                ..Default::default()
            },
        )
        .unwrap();
        assert!(p.sources.iter().all(|s| s.targets.regions == ["eu-west-2"]));
    }

    #[test]
    fn region_filters_outside_a_table_rule_out_the_default() {
        let with_default = |sql: &str| {
            plan_query(
                sql,
                parse_one(sql).unwrap(),
                &PlanContext {
                    default_regions: vec!["us-east-1".into()],
                    ..Default::default()
                },
            )
            .map(|p| p.sources[0].targets.regions.clone())
            .map_err(|e| e.to_string())
        };
        // A derived table's region, HAVING, the preserved side's ON: the
        // default region would silently answer for another one.
        for sql in [
            "SELECT * FROM (SELECT name, region FROM aws.connect.queues) t WHERE t.region = 'eu-west-2'",
            "SELECT region, count(*) FROM aws.connect.queues GROUP BY region HAVING region = 'eu-west-2'",
            "WITH q AS (SELECT * FROM aws.connect.queues) SELECT name FROM q WHERE region LIKE 'eu-%'",
        ] {
            let e = with_default(sql).unwrap_err();
            assert!(e.contains("names no region"), "{sql}: {e}");
        }
        // In the projection or ORDER BY it filters nothing.
        assert_eq!(
            with_default("SELECT region, name FROM aws.connect.queues ORDER BY region").unwrap(),
            ["us-east-1"]
        );
    }

    #[test]
    fn an_arn_inside_a_json_value_links_like_a_column() {
        let p = plan(
            "SELECT r.name, q.name FROM aws.connect.routing_profiles r, json_each(r.queue_configs) c \
             JOIN aws.connect.queues q ON q.queue_arn = c.value ->> '$.QueueReference.QueueArn' \
             WHERE r.region = 'eu-west-2' AND r.data__InstanceId = 'acme-uk'",
        )
        .unwrap();
        let q = &p.sources[1];
        assert_eq!(q.targets.regions, ["eu-west-2"]);
        assert_eq!(q.inherited_from.as_deref(), Some("r"));
    }

    #[test]
    fn arn_columns_compared_with_arns_name_their_regions() {
        const SUPPORT: &str =
            "arn:aws:connect:us-east-1:123456789012:instance/7c3a1f0e-2b4d-4e8a-9f61-0d5b8c2e4a11";
        const UK: &str =
            "arn:aws:connect:eu-west-2:123456789012:instance/5f1d8a72-3c6e-4b9f-a0d4-e7b2c5f8913d";
        let mut got = regions(&format!(
            "SELECT name FROM aws.connect.queues q WHERE instance_arn = '{SUPPORT}' OR instance_arn = '{UK}'"
        ))
        .remove(0);
        got.sort();
        assert_eq!(got, ["eu-west-2", "us-east-1"]);
        assert_eq!(
            regions(&format!(
                "SELECT name FROM aws.connect.queues q WHERE q.queue_arn = '{UK}/queue/f94087df' AND name <> 'x'"
            )),
            [["eu-west-2"]]
        );
        // An ARN beside an OR with another column bounds nothing: refused,
        // not the default region.
        refused(
            &format!("SELECT name FROM aws.connect.queues q WHERE instance_arn = '{SUPPORT}' OR 'BasicQueue' = name"),
            "cannot tell",
        );
    }

    #[test]
    fn instance_arns_outside_the_regions_drop_out() {
        let p = plan(
            "SELECT name FROM aws.connect.queues WHERE region = 'us-east-1' AND instance_arn IN \
             ('arn:aws:connect:us-east-1:123456789012:instance/5f1d8a72-3c6e-4b9f-a0d4-e7b2c5f8913d', \
              'arn:aws:connect:eu-west-2:123456789012:instance/6f1d8a72-3c6e-4b9f-a0d4-e7b2c5f8913d')",
        )
        .unwrap();
        let s = &p.sources[0];
        assert_eq!(s.targets.regions, ["us-east-1"]);
        assert_eq!(s.targets.instances.len(), 1);
    }

    #[test]
    fn the_engine_gets_the_users_text() {
        for (sql, kept) in [
            ("SELECT 3 >= 0x02", "3 >= 0x02"),
            (
                "SELECT 0x10, 'a' GLOB 'a*', 1 << 3, ~5, 1 IS NOT 2, 'a' NOT GLOB 'b'",
                "0x10, 'a' GLOB 'a*', 1 << 3, ~5, 1 IS NOT 2, 'a' NOT GLOB 'b'",
            ),
            ("SELECT 1 IS 1 + 0", "1 IS 1 + 0"),
        ] {
            let p = plan(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
            assert!(p.sql.contains(kept), "{sql}: {}", p.sql);
        }
        let p = plan(
            "EXPLAIN SELECT \"name\" FROM aws.connect.queues AS q WHERE q.region = 'us-east-1' AND q.data__InstanceId = 'x' ;",
        );
        assert!(p.is_err(), "EXPLAIN is not a query statement");
        let sql = "SELECT \"name\" FROM aws.connect.queues AS q WHERE q.region = 'us-east-1' AND q.data__InstanceId = 'x' ;";
        let p = plan(sql).unwrap();
        assert_eq!(
            p.sql,
            "SELECT \"name\" FROM src0 AS q WHERE q.region = 'us-east-1' AND 1"
        );
    }

    #[test]
    fn arn_fields_are_the_declared_ones_not_the_arn_named() {
        use crate::catalog::Field;
        // A field naming another item's ARN counts, whatever its name.
        assert!(is_arn_field(
            &Field::text("flow", "The flow a number reaches.").arn_of("contact_flow")
        ));
        // A name ending in `_arn` alone does not, nor an ARN outside Connect.
        assert!(!is_arn_field(&Field::text("lambda_arn", "A function.")));
        assert!(!is_arn_field(
            &Field::text("lambda_arn", "A function.").outside_arn()
        ));
        // A list is no single ARN.
        assert!(!is_arn_field(
            &Field::new("queues", FieldType::Array, "Queues.").arns_of("queue")
        ));

        // In the catalog: the approved origin's `instance_id` holds the
        // instance's ARN, which names the region the rows live in...
        const UK: &str =
            "arn:aws:connect:eu-west-2:123456789012:instance/5f1d8a72-3c6e-4b9f-a0d4-e7b2c5f8913d";
        let p = plan(&format!(
            "SELECT origin FROM aws.connect.approved_origins WHERE instance_id = '{UK}'"
        ))
        .unwrap();
        assert_eq!(p.sources[0].targets.regions, ["eu-west-2"]);
        // ...and pins the instance, as `instance_arn` does elsewhere.
        assert_eq!(p.sources[0].targets.instances.len(), 1);
        // ...and the Lambda function or Lex bot an integration is made with
        // names no Connect item: its ARN keeps the rows of the region asked for.
        assert_eq!(
            regions(
                "SELECT 1 FROM aws.connect.integration_associations WHERE region = 'us-east-1' \
                 AND integration_arn = 'arn:aws:lambda:us-east-1:123456789012:function:route'"
            ),
            [["us-east-1"]]
        );
        // The number's target is an instance: joined on it, the number
        // inherits the instance's scope.
        let p = plan(
            "SELECT p.address FROM aws.connect.instances i JOIN aws.connect.phone_numbers p \
             ON p.target_arn = i.arn WHERE i.region = 'eu-west-2'",
        )
        .unwrap();
        assert_eq!(p.sources[1].targets.regions, ["eu-west-2"]);
        assert_eq!(p.sources[1].inherited_from.as_deref(), Some("i"));
    }

    fn with_defaults(regions: &[&str], chosen: bool, profiles: &[&str]) -> PlanContext {
        let info = |name: &str, region: Option<&str>| crate::connect_api::ProfileInfo {
            name: name.into(),
            region: region.map(str::to_string),
            account: None,
        };
        PlanContext {
            default_regions: regions.iter().map(|r| r.to_string()).collect(),
            regions_chosen: chosen,
            default_profiles: profiles.iter().map(|p| p.to_string()).collect(),
            profiles: Some(vec![
                info("dev", Some("us-east-1")),
                info("prod", Some("eu-west-2")),
                info("qa", None),
            ]),
        }
    }

    /// (profile, region) of every place a statement's first table reads.
    fn places_of(sql: &str, ctx: &PlanContext) -> Vec<Vec<(String, String)>> {
        let p = plan_query(sql, parse_one(sql).unwrap(), ctx).unwrap();
        p.sources
            .iter()
            .map(|s| {
                s.targets
                    .places()
                    .into_iter()
                    .map(|pl| (pl.profile.unwrap_or_default(), pl.region))
                    .collect()
            })
            .collect()
    }

    fn pl(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(p, r)| (p.to_string(), r.to_string()))
            .collect()
    }

    #[test]
    fn default_regions_and_profiles_are_sets() {
        let sql = "SELECT name FROM aws.connect.instances";
        // Several default regions: each is read.
        assert_eq!(
            places_of(
                sql,
                &with_defaults(&["us-east-1", "ap-southeast-2"], true, &[])
            ),
            [pl(&[("", "us-east-1"), ("", "ap-southeast-2")])]
        );
        // Default profiles, regions from the configuration: each profile
        // reads its own region, the session's when it has none.
        assert_eq!(
            places_of(
                sql,
                &with_defaults(&["ca-central-1"], false, &["dev", "prod", "qa"])
            ),
            [pl(&[
                ("dev", "us-east-1"),
                ("prod", "eu-west-2"),
                ("qa", "ca-central-1")
            ])]
        );
        // Regions the user chose: every profile reads each.
        assert_eq!(
            places_of(
                sql,
                &with_defaults(&["us-east-1", "ca-central-1"], true, &["dev", "prod"])
            ),
            [pl(&[
                ("dev", "us-east-1"),
                ("dev", "ca-central-1"),
                ("prod", "us-east-1"),
                ("prod", "ca-central-1")
            ])]
        );
        // A statement's own predicates win over the defaults.
        assert_eq!(
            places_of(
                "SELECT name FROM aws.connect.instances WHERE profile = 'qa' AND region = 'us-west-2'",
                &with_defaults(&["us-east-1"], true, &["dev", "prod"])
            ),
            [pl(&[("qa", "us-west-2")])]
        );
        // A table joined on ARNs reads its partner's accounts, not every
        // default one.
        let joined = places_of(
            "SELECT q.name FROM aws.connect.instances i JOIN aws.connect.queues q \
             ON q.instance_arn = i.arn WHERE i.profile = 'prod' AND i.region = 'us-east-1' \
             AND q.region = 'us-east-1'",
            &with_defaults(&["us-east-1"], true, &["dev", "prod"]),
        );
        assert_eq!(
            joined,
            [pl(&[("prod", "us-east-1")]), pl(&[("prod", "us-east-1")])]
        );
        // An unknown default profile is refused as a predicate's would be.
        let e = plan_query(
            sql,
            parse_one(sql).unwrap(),
            &with_defaults(&["us-east-1"], true, &["dve"]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("unknown profile `dve`; did you mean `dev`?"),
            "{e}"
        );
    }
}
