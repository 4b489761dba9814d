//! SELECT planning: find the catalog resources a query reads, take their
//! required params out of the WHERE clauses, decide which fields (and so
//! which API calls) are needed, and rewrite the query so that the
//! relational engine runs it over temporary tables of fetched rows.

use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::sync::LazyLock;

use regex::Regex;
use sqlparser::ast::{
    visit_expressions, Expr, Ident, ObjectName, ObjectNamePart, Query, Select, SelectItem, SetExpr,
    Statement, TableAlias, TableFactor, TableWithJoins, VisitMut, VisitorMut,
};

use crate::catalog::{self, Resource, ResourceKind, SqlVerb};
use crate::error::Error;
use crate::sql::params::{self, ParamPredicate, REGION};

static REGION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$").unwrap());
static ARN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^arn:aws[-a-z0-9]*:connect:([-a-z0-9]+):([0-9]{12}):instance/([-a-zA-Z0-9]{1,100})$",
    )
    .unwrap()
});
static UUID_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
        .unwrap()
});
static ALIAS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([\da-zA-Z]+)(-*[\da-zA-Z])*$").unwrap());

/// How the user named an instance in `data__Identifier`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceRef {
    Arn {
        arn: String,
        region: String,
        id: String,
    },
    Id(String),
    Alias(String),
}

impl InstanceRef {
    /// Validates against the Connect ARN, id and alias patterns before any
    /// call is made, so hostile or mistyped values never reach the wire.
    pub fn parse(value: &str) -> Result<InstanceRef, Error> {
        let invalid = |why: &str| Error::InvalidParam {
            param: "data__Identifier".into(),
            message: format!(
                "{} is not an instance ARN, id or alias ({why}); expected e.g. \
                 'arn:aws:connect:us-east-1:123456789012:instance/<uuid>', '<uuid>' or 'my-alias'",
                show_value(value)
            ),
        };
        if value.is_empty() {
            return Err(invalid("it is empty"));
        }
        if let Some(c) = ARN_RE.captures(value) {
            return Ok(InstanceRef::Arn {
                arn: value.to_string(),
                region: c[1].to_string(),
                id: c[3].to_string(),
            });
        }
        if value.starts_with("arn:") {
            return Err(invalid("not a Connect instance ARN"));
        }
        if UUID_RE.is_match(value) {
            return Ok(InstanceRef::Id(value.to_ascii_lowercase()));
        }
        if value.len() <= 45 && ALIAS_RE.is_match(value) && !value.starts_with("d-") {
            return Ok(InstanceRef::Alias(value.to_string()));
        }
        Err(invalid(
            "aliases are 1 to 45 letters, digits and hyphens, not starting with `d-`",
        ))
    }

    /// The text the user wrote, for messages.
    pub fn display(&self) -> &str {
        match self {
            InstanceRef::Arn { arn, .. } => arn,
            InstanceRef::Id(id) => id,
            InstanceRef::Alias(a) => a,
        }
    }
}

/// A value quoted for messages, cut when long and with control characters
/// escaped so it cannot disturb the terminal.
pub fn show_value(value: &str) -> String {
    let escaped: String = value.chars().flat_map(char::escape_debug).collect();
    if escaped.chars().count() > 80 {
        format!("'{}…'", escaped.chars().take(80).collect::<String>())
    } else {
        format!("'{escaped}'")
    }
}

/// Checks a region name; unknown but well-formed regions are accepted so
/// new regions keep working.
pub fn validate_region(value: &str) -> Result<String, Error> {
    if REGION_RE.is_match(value) {
        return Ok(value.to_string());
    }
    let suggestion = catalog::suggest(value, catalog::CONNECT_REGIONS.iter().copied());
    Err(Error::InvalidParam {
        param: REGION.into(),
        message: format!(
            "{} is not a region name{}; Amazon Connect regions: {}",
            show_value(value),
            suggestion
                .map(|s| format!(" (did you mean '{s}'?)"))
                .unwrap_or_default(),
            catalog::CONNECT_REGIONS.join(", ")
        ),
    })
}

/// One catalog resource read by a statement: one engine table, filled by
/// the calls of the resource's SELECT method.
#[derive(Debug, Clone)]
pub struct SourceSpec {
    /// The engine's table name (`src0`, `src1`...).
    pub table: String,
    pub resource: &'static Resource,
    /// Regions to read, in the order given, without duplicates.
    pub regions: Vec<String>,
    /// Instances named by `data__Identifier` (empty: none given).
    pub identifiers: Vec<InstanceRef>,
    /// True when the regions came from the session default, not the SQL.
    pub default_region: bool,
}

/// Which optional calls the statement needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FieldNeeds {
    /// `attributes` is referenced: ListInstanceAttributes per instance.
    pub attributes: bool,
    /// `tags` is referenced: DescribeInstance per listed instance.
    pub tags: bool,
}

#[derive(Debug, Clone)]
pub struct SelectPlan {
    pub sources: Vec<SourceSpec>,
    pub needs: FieldNeeds,
    /// The query the engine runs over the source tables.
    pub sql: String,
}

/// Session facts the planner needs.
#[derive(Debug, Clone, Default)]
pub struct PlanContext {
    pub default_region: Option<String>,
}

/// Plans a SELECT (or any query) statement.
pub fn plan_query(statement: Statement, ctx: &PlanContext) -> Result<SelectPlan, Error> {
    let Statement::Query(mut query) = statement else {
        return Err(Error::Unsupported(
            "only queries can be planned as SELECT".into(),
        ));
    };
    let needs = field_needs(&query);
    let mut rewriter = Rewriter {
        ctx,
        sources: Vec::new(),
    };
    if let ControlFlow::Break(e) = query.visit(&mut rewriter) {
        return Err(e);
    }
    Ok(SelectPlan {
        sources: rewriter.sources,
        needs,
        sql: query.to_string(),
    })
}

/// Which of the optional fields the query references (a wildcard
/// references all of them).
fn field_needs(query: &Query) -> FieldNeeds {
    let mut names = BTreeSet::new();
    let _ = visit_expressions(query, |e| {
        match e {
            Expr::Identifier(i) => {
                names.insert(i.value.to_ascii_lowercase());
            }
            Expr::CompoundIdentifier(parts) => {
                if let Some(last) = parts.last() {
                    names.insert(last.value.to_ascii_lowercase());
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    // VisitorMut is the only visitor with a per-query hook; it runs on a copy.
    let mut finder = WildcardFinder { found: false };
    let _ = query.clone().visit(&mut finder);
    let wildcard = finder.found;
    FieldNeeds {
        attributes: wildcard || names.contains("attributes"),
        tags: wildcard || names.contains("tags"),
    }
}

struct WildcardFinder {
    found: bool,
}

impl VisitorMut for WildcardFinder {
    type Break = ();
    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        for_each_select(&mut query.body, &mut |s| {
            if s.projection.iter().any(|p| {
                matches!(
                    p,
                    SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
                )
            }) {
                self.found = true;
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
    sources: Vec<SourceSpec>,
}

impl VisitorMut for Rewriter<'_> {
    type Break = Error;
    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<Error> {
        let ctx = self.ctx;
        let sources = &mut self.sources;
        match for_each_select(&mut query.body, &mut |select| {
            plan_select(select, ctx, sources)
        }) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => ControlFlow::Break(e),
        }
    }
}

/// A catalog table reference found in a FROM clause.
struct TableRef<'s> {
    factor: &'s mut TableFactor,
    resource: &'static Resource,
    /// What qualifies its columns: the alias, or the resource's short name.
    qualifier: String,
}

fn plan_select(
    select: &mut Select,
    ctx: &PlanContext,
    sources: &mut Vec<SourceSpec>,
) -> Result<(), Error> {
    let (params, remaining) = params::take_params(select.selection.take())?;
    select.selection = remaining;
    let mut refs = Vec::new();
    for twj in select.from.iter_mut() {
        collect_table_refs(twj, &mut refs)?;
    }
    if refs.is_empty() {
        if let Some(p) = params.iter().find(|p| p.name != REGION) {
            return Err(Error::InvalidParam {
                param: p.name.into(),
                message: "it only applies to a SELECT that reads aws.connect.instance or aws.connect.instances".into(),
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
        if p.name == "data__PatchDocument" {
            return Err(Error::InvalidParam {
                param: p.name.into(),
                message: "a patch document belongs in UPDATE ... SET data__PatchDocument = '...', not in a SELECT".into(),
            });
        }
    }
    for r in refs {
        let applies = |p: &&ParamPredicate| match &p.qualifier {
            Some(q) => q.eq_ignore_ascii_case(&r.qualifier),
            None => true,
        };
        let mine: Vec<&ParamPredicate> = params.iter().filter(applies).collect();
        let spec = source_spec(r.resource, &mine, ctx, sources.len())?;
        // The engine's table keeps the user's alias, or the short name so
        // that `instance.id` still works.
        let alias = r.qualifier.clone();
        if let TableFactor::Table { name, alias: a, .. } = r.factor {
            *name = ObjectName(vec![ObjectNamePart::Identifier(Ident::new(
                spec.table.clone(),
            ))]);
            *a = Some(TableAlias {
                name: Ident::new(alias),
                columns: vec![],
            });
        }
        sources.push(spec);
    }
    Ok(())
}

fn collect_table_refs<'s>(
    twj: &'s mut TableWithJoins,
    out: &mut Vec<TableRef<'s>>,
) -> Result<(), Error> {
    collect_factor(&mut twj.relation, out)?;
    for j in twj.joins.iter_mut() {
        collect_factor(&mut j.relation, out)?;
    }
    Ok(())
}

fn collect_factor<'s>(
    factor: &'s mut TableFactor,
    out: &mut Vec<TableRef<'s>>,
) -> Result<(), Error> {
    match factor {
        TableFactor::Table { name, alias, .. } => {
            let Some(resource) = resolve_table(name)? else {
                return Ok(());
            };
            let qualifier = alias
                .as_ref()
                .map(|a| a.name.value.clone())
                .unwrap_or_else(|| resource.name.to_string());
            out.push(TableRef {
                factor,
                resource,
                qualifier,
            });
            Ok(())
        }
        TableFactor::NestedJoin {
            table_with_joins, ..
        } => collect_table_refs(table_with_joins, out),
        _ => Ok(()),
    }
}

/// The catalog resource a table name refers to. Names under `aws.` must be
/// catalog resources; other names (CTEs) are left to the engine.
pub fn resolve_table(name: &ObjectName) -> Result<Option<&'static Resource>, Error> {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) => i.value.clone(),
            other => other.to_string(),
        })
        .collect();
    let full = parts.join(".");
    if let Some(r) = catalog::resource(&full) {
        return Ok(Some(r));
    }
    let looks_like_catalog = parts.len() >= 2 && parts[0].eq_ignore_ascii_case(catalog::PROVIDER);
    let near = catalog::suggest(&full, catalog::RESOURCES.iter().map(|r| r.id));
    if looks_like_catalog || (parts.len() == 1 && near.is_some()) {
        return Err(unknown_resource(&full));
    }
    Ok(None)
}

pub fn unknown_resource(name: &str) -> Error {
    Error::Unknown {
        what: "resource",
        name: name.to_string(),
        suggestion: catalog::suggest(name, catalog::RESOURCES.iter().map(|r| r.id))
            .map(str::to_string),
        known: catalog::RESOURCES
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Turns the params that apply to one table reference into its fetch spec,
/// enforcing the SELECT method's required params.
fn source_spec(
    resource: &'static Resource,
    params: &[&ParamPredicate],
    ctx: &PlanContext,
    index: usize,
) -> Result<SourceSpec, Error> {
    let method = resource
        .method_for(SqlVerb::Select)
        .expect("every catalog resource has a SELECT method");
    let mut regions: Vec<String> = Vec::new();
    let mut identifiers: Vec<InstanceRef> = Vec::new();
    let mut region_given = false;
    for p in params {
        match p.name {
            REGION => {
                // Several AND-ed region predicates intersect.
                let values: Vec<String> = p
                    .values
                    .iter()
                    .map(|v| validate_region(v))
                    .collect::<Result<_, _>>()?;
                if region_given {
                    regions.retain(|r| values.contains(r));
                } else {
                    regions = values;
                    region_given = true;
                }
            }
            _ => {
                for v in &p.values {
                    let r = InstanceRef::parse(v)?;
                    if !identifiers.contains(&r) {
                        identifiers.push(r);
                    }
                }
            }
        }
    }
    dedup(&mut regions);
    let example = || method.example.to_string();
    if resource.kind == ResourceKind::Instance && identifiers.is_empty() {
        return Err(Error::MissingParam {
            param: "data__Identifier",
            method: method.name,
            resource: resource.id,
            example: example(),
        });
    }
    let mut default_region = false;
    if !region_given {
        // An ARN names its region; otherwise use the session default.
        let arn_regions: Vec<String> = identifiers
            .iter()
            .filter_map(|i| match i {
                InstanceRef::Arn { region, .. } => Some(region.clone()),
                _ => None,
            })
            .collect();
        if !identifiers.is_empty() && arn_regions.len() == identifiers.len() {
            regions = arn_regions;
            dedup(&mut regions);
        } else if let Some(r) = &ctx.default_region {
            regions = vec![r.clone()];
            default_region = true;
            for i in &identifiers {
                if let InstanceRef::Arn { region, .. } = i {
                    if !regions.contains(region) {
                        regions.push(region.clone());
                    }
                }
            }
        } else {
            return Err(Error::MissingParam {
                param: "region",
                method: method.name,
                resource: resource.id,
                example: example(),
            });
        }
    } else if regions.is_empty() {
        return Err(Error::InvalidParam {
            param: REGION.into(),
            message: "the region predicates exclude each other, so no region is left to read"
                .into(),
        });
    } else {
        for i in &identifiers {
            if let InstanceRef::Arn { arn, region, .. } = i {
                if !regions.contains(region) {
                    return Err(Error::InvalidParam {
                        param: "data__Identifier".into(),
                        message: format!(
                            "the ARN {} is in {region}, which the statement's region ({}) excludes",
                            show_value(arn),
                            regions.join(", ")
                        ),
                    });
                }
            }
        }
    }
    Ok(SourceSpec {
        table: format!("src{index}"),
        resource,
        regions,
        identifiers,
        default_region,
    })
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::parse_one;

    fn plan(sql: &str) -> Result<SelectPlan, Error> {
        plan_query(
            parse_one(sql)?,
            &PlanContext {
                default_region: None,
            },
        )
    }

    #[test]
    fn seed_statement_plans_a_get() {
        let p = plan(
            "SELECT region, id, attributes FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'acme'",
        )
        .unwrap();
        assert_eq!(p.sources.len(), 1);
        let s = &p.sources[0];
        assert_eq!(s.resource.id, "aws.connect.instance");
        assert_eq!(s.regions, ["us-east-1"]);
        assert_eq!(s.identifiers, [InstanceRef::Alias("acme".into())]);
        assert!(p.needs.attributes);
        assert!(!p.needs.tags);
        assert_eq!(
            p.sql,
            "SELECT region, id, attributes FROM src0 AS instance WHERE region = 'us-east-1'"
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
            parse_one("SELECT id FROM aws.connect.instances").unwrap(),
            &PlanContext {
                default_region: Some("eu-west-2".into()),
            },
        )
        .unwrap();
        assert_eq!(p.sources[0].regions, ["eu-west-2"]);
        assert!(p.sources[0].default_region);
    }

    #[test]
    fn arn_gives_the_region() {
        let p = plan(
            "SELECT id FROM aws.connect.instance WHERE data__Identifier = 'arn:aws:connect:eu-west-2:123456789012:instance/1f0af98d-6cb5-4ff4-b7a5-0fc506667efe'",
        )
        .unwrap();
        assert_eq!(p.sources[0].regions, ["eu-west-2"]);
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
        assert_eq!(p.sources[0].regions, ["us-east-1", "eu-west-2"]);
        assert_eq!(p.sources[1].regions, ["us-east-1"]);
        assert!(p.needs.tags && !p.needs.attributes);
        assert!(p.sql.contains("FROM src0 AS a JOIN src1 AS b"), "{}", p.sql);

        let p = plan(
            "SELECT count(*) FROM (SELECT id FROM aws.connect.instances WHERE region = 'us-east-1') t",
        )
        .unwrap();
        assert_eq!(p.sources.len(), 1);
        assert!(!p.needs.attributes && !p.needs.tags);
    }

    #[test]
    fn wildcard_needs_everything() {
        let p = plan("SELECT * FROM aws.connect.instances WHERE region = 'us-east-1'").unwrap();
        assert!(p.needs.attributes && p.needs.tags);
    }

    #[test]
    fn unknown_resource_suggests() {
        let e = plan("SELECT * FROM aws.connect.instanse WHERE region = 'us-east-1'")
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `aws.connect.instance`"), "{e}");
    }

    #[test]
    fn bad_values_are_refused_before_any_call() {
        for bad in [
            "x' OR 1=1 --",
            "../../instance",
            "arn:aws:s3:::bucket",
            "d-1234567890",
            "",
        ] {
            let sql = format!(
                "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = '{}'",
                bad.replace('\'', "''")
            );
            let e = plan(&sql).unwrap_err().to_string();
            assert!(e.contains("not an instance ARN, id or alias"), "{bad}: {e}");
        }
        let e = plan("SELECT * FROM aws.connect.instances WHERE region = 'us-east1'")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a region name"), "{e}");
    }

    #[test]
    fn identifier_kinds() {
        assert_eq!(
            InstanceRef::parse("1F0AF98D-6CB5-4FF4-B7A5-0FC506667EFE").unwrap(),
            InstanceRef::Id("1f0af98d-6cb5-4ff4-b7a5-0fc506667efe".into())
        );
        assert_eq!(
            InstanceRef::parse("acme-support").unwrap(),
            InstanceRef::Alias("acme-support".into())
        );
    }
}
