//! The one resolver of targets: from a statement's param predicates to the
//! regions, instances and items it reads or changes. SELECT, EXPLAIN and
//! the change statements all go through [`resolve_targets`], so they agree
//! on what `region`, `data__Identifier` and `data__InstanceId` mean.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::catalog::{self, ArnForm, Method, ResourceType, Scope, IDENTIFIER, INSTANCE_ID};
use crate::connect_api::Place;
use crate::error::Error;
use crate::sql::params::{ParamPredicate, REGION};

static REGION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$").unwrap());
static UUID_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
        .unwrap()
});
static ALIAS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([\da-zA-Z]+)(-*[\da-zA-Z])*$").unwrap());
static ID_PART_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-a-zA-Z0-9]{1,100}$").unwrap());
static ACCOUNT_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[0-9]{12}$").unwrap());

/// The longest name accepted before any call (Connect's longest names are
/// 256 characters).
const MAX_NAME: usize = 256;

/// How a statement names one item: by ARN, id or name (an instance's name
/// is its alias).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemRef {
    Arn {
        arn: String,
        region: String,
        /// The account it names: only a place reaching that account holds it.
        account: String,
        /// The instance an item inside an instance belongs to.
        instance_id: Option<String>,
        id: String,
    },
    Id(String),
    Name(String),
}

/// How a statement names an instance (`data__InstanceId`, or an
/// instance's `data__Identifier`).
pub type InstanceRef = ItemRef;

/// The parts of a Connect ARN: region, account, and the path after it.
fn arn_parts(value: &str) -> Option<(&str, &str, &str)> {
    let rest = value.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    if !partition.starts_with("aws") {
        return None;
    }
    let rest = rest.strip_prefix("connect:")?;
    let (region, rest) = rest.split_once(':')?;
    let (account, path) = rest.split_once(':')?;
    Some((region, account, path))
}

impl ItemRef {
    /// Reads a value naming an item of `resource`, checked against the
    /// Connect ARN, id and name patterns before any call is made, so
    /// hostile or mistyped values never reach the wire.
    pub fn parse(resource: &ResourceType, param: &str, value: &str) -> Result<ItemRef, Error> {
        let what = resource.singular.replace('_', " ");
        let name_word = if resource.scope == Scope::Account {
            "alias"
        } else {
            "name"
        };
        let invalid = |why: &str| Error::InvalidParam {
            param: param.into(),
            message: format!(
                "{} is not {} ARN, id or {name_word} ({why}); expected e.g. '{}', '<uuid>' or '{}'",
                show_value(value),
                article(&what),
                example_arn(resource),
                if resource.scope == Scope::Account {
                    "my-alias"
                } else {
                    "<name>"
                }
            ),
        };
        if value.is_empty() {
            return Err(invalid("it is empty"));
        }
        // Resources without an ARN of their own may be named by one that is
        // their name (an integration association's integration ARN).
        if value.starts_with("arn:") && resource.arn != ArnForm::None {
            let Some((region, account, path)) = arn_parts(value) else {
                return Err(invalid("not a Connect ARN"));
            };
            if !REGION_RE.is_match(region) || !ACCOUNT_RE.is_match(account) {
                return Err(invalid("not a Connect ARN"));
            }
            let segments: Vec<&str> = path.split('/').collect();
            let parsed = match (resource.arn, segments.as_slice()) {
                (ArnForm::Account(kind), [k, id]) if *k == kind && ID_PART_RE.is_match(id) => {
                    Some(ItemRef::Arn {
                        arn: value.to_string(),
                        region: region.to_string(),
                        account: account.to_string(),
                        instance_id: None,
                        id: id.to_string(),
                    })
                }
                (ArnForm::Instance(kind), ["instance", instance, k, id])
                    if *k == kind && ID_PART_RE.is_match(instance) && ID_PART_RE.is_match(id) =>
                {
                    Some(ItemRef::Arn {
                        arn: value.to_string(),
                        region: region.to_string(),
                        account: account.to_string(),
                        instance_id: Some(instance.to_string()),
                        id: id.to_string(),
                    })
                }
                _ => None,
            };
            return parsed.ok_or_else(|| invalid(&format!("not {} ARN", article(&what))));
        }
        if UUID_RE.is_match(value) {
            return Ok(ItemRef::Id(value.to_ascii_lowercase()));
        }
        if resource.scope == Scope::Account {
            if value.len() <= 45 && ALIAS_RE.is_match(value) && !value.starts_with("d-") {
                return Ok(ItemRef::Name(value.to_string()));
            }
            return Err(invalid(
                "aliases are 1 to 45 letters, digits and hyphens, not starting with `d-`",
            ));
        }
        if value.chars().count() > MAX_NAME || value.chars().any(char::is_control) {
            return Err(invalid(&format!(
                "names are at most {MAX_NAME} characters, without control characters"
            )));
        }
        Ok(ItemRef::Name(value.to_string()))
    }

    /// The text the user wrote, for messages.
    pub fn display(&self) -> &str {
        match self {
            ItemRef::Arn { arn, .. } => arn,
            ItemRef::Id(id) => id,
            ItemRef::Name(n) => n,
        }
    }

    /// The region an ARN names.
    pub fn arn_region(&self) -> Option<&str> {
        match self {
            ItemRef::Arn { region, .. } => Some(region),
            _ => None,
        }
    }

    /// The account an ARN names.
    pub fn arn_account(&self) -> Option<&str> {
        match self {
            ItemRef::Arn { account, .. } => Some(account),
            _ => None,
        }
    }

    /// Whether the item can live in `place`, whose profile reaches
    /// `account` (`None`: not known yet): an ARN names its region and its
    /// account; an id or a name may be anywhere.
    pub fn may_be_at(&self, place: &Place, account: Option<&str>) -> bool {
        match self {
            ItemRef::Arn {
                region, account: a, ..
            } => *region == place.region && account.is_none_or(|known| known == a),
            _ => true,
        }
    }

    /// Whether the ref names an item with this id, ARN or name.
    pub fn matches(&self, id: Option<&str>, arn: Option<&str>, name: Option<&str>) -> bool {
        match self {
            ItemRef::Arn { arn: a, .. } => arn == Some(a.as_str()),
            ItemRef::Id(i) => id.is_some_and(|x| x.eq_ignore_ascii_case(i)),
            ItemRef::Name(n) => name == Some(n.as_str()),
        }
    }
}

fn article(word: &str) -> String {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {word}")
    } else {
        format!("a {word}")
    }
}

fn example_arn(resource: &ResourceType) -> String {
    let base = "arn:aws:connect:us-east-1:123456789012:";
    match resource.arn {
        ArnForm::Instance(kind) => format!("{base}instance/<uuid>/{kind}/<uuid>"),
        ArnForm::Account(kind) => format!("{base}{kind}/<uuid>"),
        ArnForm::None => "(it has no ARN)".to_string(),
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

/// What a statement reads or changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Targets {
    /// Regions, in the order given, without duplicates.
    pub regions: Vec<String>,
    /// The session's default regions among `regions`, when the statement
    /// named none for this table (empty: its regions come from the SQL).
    pub default_regions: Vec<String>,
    /// The instances whose contents to read (empty: every instance of the
    /// regions). Only for resources inside an instance.
    pub instances: Vec<InstanceRef>,
    /// `instances` come from a filter on the rows (`instance_alias IN
    /// (...)`), not a param: one no region has is not in SQL's answer,
    /// rather than an error.
    pub instances_by_filter: bool,
    /// The items named by `data__Identifier` (empty: none named).
    pub identifiers: Vec<ItemRef>,
    /// Whether the statement named any region or instance itself.
    pub scoped: bool,
    /// Why the statement reads (or changes) nothing: its predicates
    /// contradict each other. No call is made.
    pub empty: Option<String>,
    /// The AWS profiles (accounts) to read, in the order given; empty: the
    /// session's credentials.
    pub profiles: Vec<String>,
    /// The regions of a profile when they are not `regions`: a statement
    /// that names no region reads each profile in its own default region.
    pub profile_regions: std::collections::BTreeMap<String, Vec<String>>,
    /// `profiles` are the session's default profiles (`.profile`,
    /// `--profile a,b`), not the statement's: an ARN join may narrow them.
    pub default_profiles: bool,
}

impl Targets {
    /// Every place to read: each profile (or the session's) in each region.
    pub fn places(&self) -> Vec<Place> {
        let profiles: Vec<Option<&str>> = if self.profiles.is_empty() {
            vec![None]
        } else {
            self.profiles.iter().map(|p| Some(p.as_str())).collect()
        };
        profiles
            .into_iter()
            .flat_map(|p| {
                p.and_then(|p| self.profile_regions.get(p))
                    .unwrap_or(&self.regions)
                    .iter()
                    .map(move |r| Place::new(p, r))
            })
            .collect()
    }

    /// The instances to read in `place`, whose profile reaches `account`
    /// (`None`: not known yet): an instance ARN only in its own region and
    /// account. Empty: every instance, unless the statement names some
    /// (then none of them is here: see [`Targets::reads_nothing_at`]).
    pub fn instances_at(&self, place: &Place, account: Option<&str>) -> Vec<InstanceRef> {
        self.instances
            .iter()
            .filter(|i| i.may_be_at(place, account))
            .cloned()
            .collect()
    }

    /// The items named by `data__Identifier` that can be in `place`.
    pub fn identifiers_at(&self, place: &Place, account: Option<&str>) -> Vec<ItemRef> {
        self.identifiers
            .iter()
            .filter(|i| i.may_be_at(place, account))
            .cloned()
            .collect()
    }

    /// True when the statement names instances or items and none of them
    /// can be in `place` (their ARNs name other regions or accounts): the
    /// place is not read at all, so no call goes to an account with
    /// another's ARN.
    pub fn reads_nothing_at(&self, place: &Place, account: Option<&str>) -> bool {
        (!self.instances.is_empty() && self.instances_at(place, account).is_empty())
            || (!self.identifiers.is_empty() && self.identifiers_at(place, account).is_empty())
    }
}

/// Session facts the planner needs.
#[derive(Debug, Clone, Default)]
pub struct PlanContext {
    /// The regions a table whose region the statement leaves unmentioned
    /// reads (empty: none, it must name one).
    pub default_regions: Vec<String>,
    /// The user chose `default_regions` (`.region`, `--region`,
    /// `CONNECTQL_REGION`): every profile reads them. Otherwise they come
    /// from the AWS configuration, and a profile with a region of its own
    /// reads that one.
    pub regions_chosen: bool,
    /// The profiles a table read without a `profile` predicate (of its own
    /// or through an ARN join) reads, as if the statement said
    /// `profile IN (...)`; empty: the session's credentials.
    pub default_profiles: Vec<String>,
    /// The profiles of the AWS config and credentials files (`None`: not
    /// looked up, so profile names are not checked).
    pub profiles: Option<Vec<crate::connect_api::ProfileInfo>>,
}

impl PlanContext {
    /// A context whose default is one region (tests, tools).
    pub fn in_region(region: &str) -> PlanContext {
        PlanContext {
            default_regions: vec![region.to_string()],
            ..PlanContext::default()
        }
    }

    /// The default region when there is exactly one (an INSERT's row
    /// without a region goes there; with several it must name one).
    pub fn sole_default_region(&self) -> Option<String> {
        match self.default_regions.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }
}

/// What the statement's region predicates say of one table's regions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionScope {
    /// No predicate mentions its region: ARNs name the regions, or the
    /// session's default applies.
    Unmentioned,
    /// Its rows can only come from these regions (none: a contradiction).
    Bounded(Vec<String>),
}

/// AND-ed predicates on one param intersect. Refs are compared when they
/// are of one kind (names with names, ids with ids, ARNs with ARNs);
/// telling an alias from an ARN of the same item would need a call, so
/// such a mix is refused.
fn intersect_refs(
    param: &'static str,
    conjuncts: Vec<Vec<ItemRef>>,
) -> Result<Option<Vec<ItemRef>>, Error> {
    let mut out: Option<Vec<ItemRef>> = None;
    for refs in conjuncts {
        out = Some(match out {
            None => refs,
            Some(have) => {
                let kind = |r: &ItemRef| std::mem::discriminant(r);
                let mixed = have.iter().any(|a| refs.iter().any(|b| kind(a) != kind(b)));
                if mixed {
                    return Err(Error::InvalidParam {
                        param: param.into(),
                        message: format!(
                            "AND-ed `{param}` predicates name items in different ways (an ARN, an id, a name); \
                             connectql intersects them only when they name items the same way: \
                             use one predicate, or the same kind of reference in each"
                        ),
                    });
                }
                have.into_iter().filter(|a| refs.contains(a)).collect()
            }
        });
    }
    Ok(out)
}

/// Resolves the params and region scope of one table of a statement into
/// its targets, enforcing the method's required params. AND-ed params
/// intersect; a contradiction gives targets with no region (nothing is
/// read or changed) and says why in `empty`.
///
/// `extra_instance_arns` are instance ARNs the statement pins with a
/// pushed-down `instance_arn = '...'`: they name the instances when
/// `data__InstanceId` does not.
pub fn resolve_targets(
    resource: &'static ResourceType,
    table_id: &str,
    method: &'static Method,
    params: &[&ParamPredicate],
    extra_instance_arns: &[String],
    region_scope: &RegionScope,
    ctx: &PlanContext,
) -> Result<Targets, Error> {
    let mut identifier_sets: Vec<Vec<ItemRef>> = Vec::new();
    let mut instance_sets: Vec<Vec<InstanceRef>> = Vec::new();
    for p in params {
        match p.name {
            IDENTIFIER => {
                let mut set = Vec::new();
                for v in &p.values {
                    push_unique(&mut set, ItemRef::parse(resource, IDENTIFIER, v)?);
                }
                identifier_sets.push(set);
            }
            INSTANCE_ID => {
                if resource.scope == Scope::Account {
                    return Err(Error::InvalidParam {
                        param: INSTANCE_ID.into(),
                        message: format!(
                            "{table_id} is not inside an instance; name instances with data__Identifier"
                        ),
                    });
                }
                let mut set = Vec::new();
                for v in &p.values {
                    push_unique(
                        &mut set,
                        ItemRef::parse(catalog::instance_resource(), INSTANCE_ID, v)?,
                    );
                }
                instance_sets.push(set);
            }
            other => {
                return Err(Error::InvalidParam {
                    param: other.into(),
                    message: format!("it does not apply to a SELECT of {table_id}"),
                })
            }
        }
    }
    let named_identifiers = !identifier_sets.is_empty();
    let named_instances = !instance_sets.is_empty();
    let mut identifiers = intersect_refs(IDENTIFIER, identifier_sets)?.unwrap_or_default();
    let mut instances = intersect_refs(INSTANCE_ID, instance_sets)?.unwrap_or_default();
    if method.required.contains(&IDENTIFIER) && !named_identifiers {
        return Err(Error::MissingParam {
            param: IDENTIFIER,
            method: method.name,
            resource: table_id.to_string(),
            example: method.example.to_string(),
        });
    }
    let mut empty: Option<String> = None;
    if named_identifiers && identifiers.is_empty() {
        empty = Some(format!(
            "the AND-ed {IDENTIFIER} predicates exclude each other"
        ));
    }
    if named_instances && instances.is_empty() {
        empty = Some(format!(
            "the AND-ed {INSTANCE_ID} predicates exclude each other"
        ));
    }
    let mut pinned_by_arn = false;
    if !named_instances && resource.scope == Scope::Instance {
        for arn in extra_instance_arns {
            if let Ok(r) = ItemRef::parse(catalog::instance_resource(), catalog::INSTANCE_ARN, arn)
            {
                push_unique(&mut instances, r);
                pinned_by_arn = true;
            }
        }
    }
    // Items inside an instance named by ARN name their instance too.
    if resource.scope == Scope::Instance && instances.is_empty() && !identifiers.is_empty() {
        let all_arns = identifiers.iter().all(|i| matches!(i, ItemRef::Arn { .. }));
        if all_arns {
            for i in &identifiers {
                if let ItemRef::Arn {
                    arn,
                    region,
                    account,
                    instance_id: Some(instance),
                    ..
                } = i
                {
                    let instance_arn = arn
                        .split_once("/")
                        .map(|(head, _)| format!("{head}/{instance}"))
                        .unwrap_or_default();
                    push_unique(
                        &mut instances,
                        ItemRef::Arn {
                            arn: instance_arn,
                            region: region.clone(),
                            account: account.clone(),
                            instance_id: None,
                            id: instance.clone(),
                        },
                    );
                }
            }
        }
    }
    let mut default_regions = Vec::new();
    let mut regions: Vec<String> = match region_scope {
        RegionScope::Bounded(allowed) => {
            // An ARN outside the allowed regions names nothing the
            // statement can read: AND-ed, it drops out.
            let inside = |r: &ItemRef| {
                r.arn_region()
                    .is_none_or(|g| allowed.iter().any(|a| a == g))
            };
            let before = (identifiers.len(), instances.len());
            identifiers.retain(inside);
            instances.retain(inside);
            if before.0 > 0 && identifiers.is_empty() {
                empty.get_or_insert_with(|| {
                    format!(
                        "every ARN of {IDENTIFIER} is in a region the region predicates exclude"
                    )
                });
            }
            if before.1 > 0 && instances.is_empty() {
                empty.get_or_insert_with(|| {
                    if pinned_by_arn {
                        "every instance_arn the statement names is in a region its region predicates exclude".to_string()
                    } else {
                        format!("every instance ARN of {INSTANCE_ID} is in a region the region predicates exclude")
                    }
                });
            }
            if allowed.is_empty() {
                empty.get_or_insert_with(|| {
                    "the region predicates exclude every region".to_string()
                });
            }
            match arn_regions_of(&identifiers, &instances) {
                Some(named) => allowed
                    .iter()
                    .filter(|a| named.contains(a))
                    .cloned()
                    .collect(),
                None => allowed.clone(),
            }
        }
        RegionScope::Unmentioned => match arn_regions_of(&identifiers, &instances) {
            Some(named) => named,
            None => {
                let mut arn_regions: Vec<String> = identifiers
                    .iter()
                    .chain(&instances)
                    .filter_map(|i| i.arn_region().map(str::to_string))
                    .collect();
                dedup(&mut arn_regions);
                if !ctx.default_regions.is_empty() {
                    default_regions = ctx.default_regions.clone();
                    let mut regions = default_regions.clone();
                    regions.extend(arn_regions);
                    regions
                } else if empty.is_some() {
                    Vec::new()
                } else {
                    return Err(Error::MissingParam {
                        param: REGION,
                        method: method.name,
                        resource: table_id.to_string(),
                        example: method.example.to_string(),
                    });
                }
            }
        },
    };
    dedup(&mut regions);
    if empty.is_some() {
        regions.clear();
        default_regions.clear();
        identifiers.clear();
        instances.clear();
    }
    let scoped = *region_scope != RegionScope::Unmentioned
        || !instances.is_empty()
        || !identifiers.is_empty()
        || empty.is_some();
    Ok(Targets {
        regions,
        default_regions,
        instances,
        instances_by_filter: false,
        identifiers,
        scoped,
        empty,
        profiles: Vec::new(),
        profile_regions: Default::default(),
        default_profiles: false,
    })
}

/// The regions named by ARNs, when the instances (or else the items) are
/// all named by ARN: then nothing can be read anywhere else.
fn arn_regions_of(identifiers: &[ItemRef], instances: &[InstanceRef]) -> Option<Vec<String>> {
    let all = |refs: &[ItemRef]| -> Option<Vec<String>> {
        if refs.is_empty() {
            return None;
        }
        let mut regions: Vec<String> = refs
            .iter()
            .map(|r| r.arn_region().map(str::to_string))
            .collect::<Option<_>>()?;
        dedup(&mut regions);
        Some(regions)
    };
    all(instances).or_else(|| all(identifiers))
}

fn push_unique(v: &mut Vec<ItemRef>, r: ItemRef) {
    if !v.contains(&r) {
        v.push(r);
    }
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::table;

    fn instance() -> &'static ResourceType {
        table("aws.connect.instance").unwrap().resource
    }
    fn user() -> &'static ResourceType {
        table("aws.connect.user").unwrap().resource
    }

    #[test]
    fn identifier_kinds() {
        assert_eq!(
            ItemRef::parse(
                instance(),
                IDENTIFIER,
                "1F0AF98D-6CB5-4FF4-B7A5-0FC506667EFE"
            )
            .unwrap(),
            ItemRef::Id("1f0af98d-6cb5-4ff4-b7a5-0fc506667efe".into())
        );
        assert_eq!(
            ItemRef::parse(instance(), IDENTIFIER, "acme-support").unwrap(),
            ItemRef::Name("acme-support".into())
        );
        let arn = "arn:aws:connect:eu-west-2:123456789012:instance/i-1/agent/u-1";
        match ItemRef::parse(user(), IDENTIFIER, arn).unwrap() {
            ItemRef::Arn {
                region,
                instance_id,
                id,
                ..
            } => {
                assert_eq!(region, "eu-west-2");
                assert_eq!(instance_id.as_deref(), Some("i-1"));
                assert_eq!(id, "u-1");
            }
            other => panic!("{other:?}"),
        }
        // A queue ARN is not a user ARN.
        assert!(ItemRef::parse(
            user(),
            IDENTIFIER,
            "arn:aws:connect:eu-west-2:123456789012:instance/i-1/queue/q-1"
        )
        .is_err());
        assert_eq!(
            ItemRef::parse(user(), IDENTIFIER, "jane.doe@example.com").unwrap(),
            ItemRef::Name("jane.doe@example.com".into())
        );
        assert!(ItemRef::parse(user(), IDENTIFIER, "a\u{1b}[2Jb").is_err());
    }

    #[test]
    fn bad_values_are_refused() {
        for bad in [
            "x' OR 1=1 --",
            "../../instance",
            "arn:aws:s3:::bucket",
            "d-1234567890",
            "",
        ] {
            let e = ItemRef::parse(instance(), IDENTIFIER, bad)
                .unwrap_err()
                .to_string();
            assert!(e.contains("not an instance ARN, id or alias"), "{bad}: {e}");
        }
        assert!(validate_region("us-east1").is_err());
    }
}
