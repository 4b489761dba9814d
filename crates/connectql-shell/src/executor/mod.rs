//! The executor: runs the calls a source's [`CallPlan`](crate::sql::calls::CallPlan) chose, through the
//! client pool (one client per region) and the session cache, concurrently
//! across regions, instances and items, with a bound on how many per-item
//! calls run at once in a region.
//!
//! For each region it finds the instances to read (resources inside an
//! instance), then per instance: the base listing (or one Describe per
//! named item), the items' per-item calls as soon as each page arrives,
//! and a List joined by id when a field needs it. Rows are built from the
//! answers by the catalog's field sources.
//!
//! It never hides a failure: a region, an instance or an item's call that
//! failed is reported in [`Fetched::warnings`] and marks the result
//! partial; an answer with nothing at all is an error.

pub mod budget;
pub mod cache;
pub mod clients;
pub mod contents;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures::stream::{self, BoxStream, StreamExt};
use serde_json::Value;
use tokio::sync::Semaphore;

use crate::catalog::{self, Call, Op, ResourceType, RowContext, Scope, Source, RESOURCE_TYPES};
use crate::connect_api::read::{self, Target};
use crate::connect_api::{ApiError, ApiErrorKind, Place, RegionClient};
use crate::error::Error;
use crate::sql::physical::{Action, PlaceSteps};
use crate::sql::planner::SourceSpec;
use crate::sql::resolve::ItemRef;

pub use budget::{Budgeted, CallBudget};
pub use cache::{Key, ListingText, SeenInstance, SessionCache};
pub use clients::{CallCounters, ClientPool, ConnectionOptions};

/// One row: a value per field of the resource, in the catalog's order.
pub type Row = Vec<Value>;

/// The rows of one source, and what could not be fetched.
#[derive(Debug, Default)]
pub struct Fetched {
    pub rows: Vec<Row>,
    /// Human-readable notes on missing parts (printed on stderr).
    pub warnings: Vec<String>,
    /// True when rows or fields are missing because a call failed.
    pub partial: bool,
    /// The profiles that failed as a whole (their credentials, access),
    /// each with what it said: a change goes ahead in the others and says
    /// these were not changed. Empty when every failure was inside a place.
    pub failed_profiles: Vec<(String, String)>,
    /// True when something failed inside a place that answered (an
    /// instance, some fields), or a place of the session's credentials.
    pub partial_within: bool,
}

/// Default bound on concurrent per-item calls per region.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// An instance whose contents are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceInfo {
    pub id: String,
    pub arn: String,
    pub alias: Option<String>,
    pub status: Option<String>,
}

impl InstanceInfo {
    fn from_wire(v: &Value) -> Option<InstanceInfo> {
        Some(InstanceInfo {
            id: v.get("Id")?.as_str()?.to_string(),
            arn: v.get("Arn")?.as_str()?.to_string(),
            alias: v
                .get("InstanceAlias")
                .and_then(Value::as_str)
                .map(str::to_string),
            status: v
                .get("InstanceStatus")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }
    /// `alias (id)` for messages.
    pub fn label(&self) -> String {
        match &self.alias {
            Some(a) => format!("{a} ({})", self.id),
            None => self.id.clone(),
        }
    }
}

pub struct Executor {
    pool: ClientPool,
    cache: Arc<SessionCache>,
    counters: Arc<CallCounters>,
    concurrency: usize,
    /// The running statement's per-item calls against its deadline.
    budget: Arc<CallBudget>,
    /// A change's writes in progress, which Ctrl-C stops gracefully.
    writes: Arc<contents::WriteSwitch>,
}

/// What one instance (or the account level) gave.
#[derive(Default)]
struct ScopeRows {
    rows: Vec<Row>,
    warnings: Vec<String>,
    partial: bool,
    /// For each row, which identifiers (by index) it matched.
    matched: Vec<usize>,
}

/// What one place gave.
#[derive(Default)]
struct PlaceRows {
    rows: Vec<Row>,
    warnings: Vec<String>,
    partial: bool,
    /// Per identifier: the instances (labels) where it matched.
    found: Vec<Vec<String>>,
    /// Instances named by the statement that this place does not have.
    missing_instances: Vec<String>,
}

impl Executor {
    pub fn new(options: ConnectionOptions, cache_enabled: bool, concurrency: usize) -> Self {
        let counters = Arc::new(CallCounters::default());
        Executor {
            pool: ClientPool::new(options, counters.clone()),
            cache: Arc::new(SessionCache::new(cache_enabled)),
            counters,
            concurrency: concurrency.max(1),
            budget: Arc::default(),
            writes: Arc::default(),
        }
    }

    pub fn pool(&self) -> &ClientPool {
        &self.pool
    }

    /// Names in a failed call's error the profile whose credentials it
    /// used: the statement's, else the session's (`--profile`,
    /// `AWS_PROFILE`), so a credentials failure says which profile to fix.
    /// None for explicit or environment keys ([`ClientPool::profile_name`]),
    /// nor for the implicit `default`: there the whole default chain was
    /// tried, and the error's general advice fits.
    pub fn in_its_profile(&self, e: ApiError, place: &Place) -> ApiError {
        let chosen = place.profile.is_some()
            || self.pool.session_profile().is_some()
            || std::env::var_os("AWS_PROFILE").is_some_and(|v| !v.is_empty());
        let name = self.pool.profile_name(place).filter(|_| chosen);
        e.in_profile(name.as_deref())
    }
    pub fn cache(&self) -> &Arc<SessionCache> {
        &self.cache
    }
    pub fn counters(&self) -> &Arc<CallCounters> {
        &self.counters
    }
    pub fn budget(&self) -> &Arc<CallBudget> {
        &self.budget
    }
    /// The switch that stops a change's writes (Ctrl-C in the shell).
    pub fn writes(&self) -> &Arc<contents::WriteSwitch> {
        &self.writes
    }
    /// The bound on concurrent per-item calls per region.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Fetches the rows of one source across its regions, concurrently.
    pub async fn fetch(&self, spec: &SourceSpec) -> Result<Fetched, Error> {
        // The statement's predicates contradict each other: nothing can
        // pass, so nothing is read.
        if spec.targets.empty.is_some() {
            return Ok(Fetched::default());
        }
        let regions = &spec.targets.regions;
        // The places the plan reads: one whose named instances or items
        // are all elsewhere (other regions or accounts) has no steps.
        let places: Vec<Place> = spec
            .targets
            .places()
            .into_iter()
            .filter(|p| PlaceSteps::new(&spec.steps, p).any())
            .collect();
        let per_place = futures::future::join_all(places.iter().map(|place| async move {
            let result = self.fetch_place(spec, place).await;
            result.map_err(|e| self.in_its_profile(e, place))
        }))
        .await;

        let mut out = Fetched::default();
        let mut failures: Vec<ApiError> = Vec::new();
        let identifiers = &spec.targets.identifiers;
        let mut found: Vec<Vec<String>> = vec![Vec::new(); identifiers.len()];
        let mut missing_instances: Vec<Vec<String>> = Vec::new();
        for result in per_place {
            match result {
                Ok(r) => {
                    out.rows.extend(r.rows);
                    out.warnings.extend(r.warnings);
                    out.partial |= r.partial;
                    out.partial_within |= r.partial;
                    for (i, f) in r.found.into_iter().enumerate() {
                        found[i].extend(f);
                    }
                    missing_instances.push(r.missing_instances);
                }
                Err(e) => failures.push(e),
            }
        }
        let what = spec.resource.singular.replace('_', " ");

        // An instance named by the statement that no region has is an error.
        if failures.is_empty() && !missing_instances.is_empty() {
            let everywhere: Vec<&String> = missing_instances[0]
                .iter()
                .filter(|m| missing_instances.iter().all(|r| r.contains(m)))
                .collect();
            if let Some(m) = everywhere.first() {
                let e = ApiError::new(
                    Op::ListInstances,
                    &regions.join(", "),
                    ApiErrorKind::NotFound,
                    "no such instance",
                )
                .about(format!("instance `{m}`"));
                if out.rows.is_empty() {
                    return Err(e.into());
                }
                // Said, but nothing is missing from the answer: the
                // instance is not where the statement looked.
                out.warnings.push(e.to_string());
            }
        }

        // An identifier found nowhere is an error, not an empty answer; a
        // name or id found in several instances the statement did not
        // name is ambiguous.
        // Only when the whole scope was read: an item that pushed-down
        // predicates left out, or that lives in another instance than the
        // ones named, is simply not in SQL's answer.
        let read_whole = spec
            .predicates
            .iter()
            .all(|p| spec.resource.fields[p.field].name == crate::sql::params::REGION)
            && spec.targets.instances.is_empty();
        for (ident, places) in identifiers.iter().zip(&found) {
            if places.is_empty() && failures.is_empty() && !out.partial && read_whole {
                let op = spec
                    .resource
                    .describe
                    .or(spec.resource.list)
                    .unwrap_or(Op::ListInstances);
                return Err(ApiError::new(
                    op,
                    &regions.join(", "),
                    ApiErrorKind::NotFound,
                    format!("no such {what}"),
                )
                .about(format!("{what} `{}`", ident.display()))
                .into());
            }
            if places.len() > 1
                && spec.targets.instances.is_empty()
                && !matches!(ident, ItemRef::Arn { .. })
                && spec.resource.scope == Scope::Instance
            {
                return Err(Error::InvalidParam {
                    param: catalog::IDENTIFIER.into(),
                    message: format!(
                        "`{}` names {what}s in {} instances ({}); add data__InstanceId = '...' or use the ARN",
                        ident.display(),
                        places.len(),
                        places.join(", ")
                    ),
                });
            }
        }

        if !failures.is_empty() {
            if out.rows.is_empty() && failures.len() == places.len() {
                return Err(if failures.len() == 1 {
                    failures.remove(0).into()
                } else {
                    Error::AllRegionsFailed(failures)
                });
            }
            out.partial = true;
            for f in failures {
                match &f.profile {
                    Some(p) => out.failed_profiles.push((p.to_string(), f.to_string())),
                    None => out.partial_within = true,
                }
                out.warnings.push(match &f.profile {
                    Some(p) => format!(
                        "profile {p} failed in {}, its rows are missing: {f}",
                        f.region
                    ),
                    None => format!("region {} failed, its rows are missing: {f}", f.region),
                });
            }
        }
        self.see_rows(spec.resource, &out.rows);
        Ok(out)
    }

    /// Remembers what a fetch showed, for completion.
    fn see_rows(&self, resource: &'static ResourceType, rows: &[Row]) {
        let at = |name: &str| resource.field_index(name);
        if let Some(n) = at(resource.name_field) {
            self.cache
                .see_names(resource.singular, rows.iter().filter_map(|r| r[n].as_str()));
        }
        if resource.scope == Scope::Account {
            if let (Some(region), Some(id), Some(arn)) =
                (at(crate::catalog::REGION), at("id"), at("arn"))
            {
                let alias = at(resource.name_field);
                for r in rows {
                    if let (Some(reg), Some(i)) = (r[region].as_str(), r[id].as_str()) {
                        self.cache.see_instance(SeenInstance {
                            region: reg.to_string(),
                            id: i.to_string(),
                            arn: r[arn].as_str().map(str::to_string),
                            alias: alias.and_then(|a| r[a].as_str()).map(str::to_string),
                        });
                    }
                }
            }
        }
    }

    /// One place: its instances (for resources inside an instance), then
    /// each instance's rows, concurrently; an instance that fails is a
    /// warning, every instance failing is the place failing.
    async fn fetch_place(&self, spec: &SourceSpec, place: &Place) -> Result<PlaceRows, ApiError> {
        let rc = self.pool.client_at(place).await;
        let region = place.region.as_str();
        let permits = Arc::new(Semaphore::new(self.concurrency));
        let mut out = PlaceRows {
            found: vec![Vec::new(); spec.targets.identifiers.len()],
            ..PlaceRows::default()
        };
        let steps = PlaceSteps::new(&spec.steps, place);
        // The items a Describe base reads here: an instance ARN in a place
        // whose account was not known only when its listing has it.
        let mut described: Vec<ItemRef> = steps.named_items().to_vec();
        let scopes: Vec<Option<InstanceInfo>> = match spec.resource.scope {
            Scope::Account => {
                if steps.finds_instances() {
                    let listing = self.instances(&rc, spec.fresh).await?;
                    described.retain(|i| match i {
                        ItemRef::Arn { arn, .. } => listing
                            .iter()
                            .filter_map(InstanceInfo::from_wire)
                            .any(|l| l.arn == *arn),
                        _ => true,
                    });
                }
                vec![None]
            }
            Scope::Instance => {
                let (instances, missing) = self.instances_for(&rc, spec, steps).await?;
                out.missing_instances = missing;
                instances.into_iter().map(Some).collect()
            }
        };
        if scopes.is_empty() {
            return Ok(out);
        }
        let described = &described;
        let results = stream::iter(scopes.iter().map(|scope| {
            let (rc, permits) = (&rc, permits.clone());
            async move {
                (
                    scope,
                    self.fetch_scope(spec, rc, scope.as_ref(), described, permits)
                        .await,
                )
            }
        }))
        .buffered(self.concurrency)
        .collect::<Vec<_>>()
        .await;
        let mut failures = Vec::new();
        for (scope, result) in results {
            let label = scope
                .as_ref()
                .map(InstanceInfo::label)
                .unwrap_or_else(|| region.to_string());
            match result {
                Ok(s) => {
                    for &m in &s.matched {
                        if !out.found[m].contains(&label) {
                            out.found[m].push(label.clone());
                        }
                    }
                    out.rows.extend(s.rows);
                    out.warnings.extend(s.warnings);
                    out.partial |= s.partial;
                }
                Err(e) => failures.push((label, self.in_its_profile(e, place))),
            }
        }
        if !failures.is_empty() {
            if failures.len() == scopes.len() && out.rows.is_empty() {
                return Err(failures.remove(0).1);
            }
            out.partial = true;
            let what = spec.resource.plural.replace('_', " ");
            for (label, e) in failures {
                out.warnings.push(format!(
                    "instance {label} failed, its {what} are missing: {e}"
                ));
            }
        }
        // An ARN read tells the account the profile reaches (SHOW PROFILES).
        let arn_at = spec
            .resource
            .arn_field
            .and_then(|f| spec.resource.field_index(f));
        if let Some(arn) = arn_at.and_then(|i| out.rows.iter().find_map(|r| r[i].as_str())) {
            self.pool.learn_account(place, arn);
        }
        Ok(out)
    }

    /// The instances of a place whose contents a source reads: those the
    /// statement names, or every ACTIVE one. Also returns the names of the
    /// instances named but not in this place.
    async fn instances_for(
        &self,
        rc: &RegionClient,
        spec: &SourceSpec,
        steps: PlaceSteps<'_>,
    ) -> Result<(Vec<InstanceInfo>, Vec<String>), ApiError> {
        let named = steps.instances(&spec.targets);
        let mut out: Vec<InstanceInfo> = Vec::new();
        let mut missing = Vec::new();
        // Instances named by ARN need no call (the plan has no lookup),
        // unless the place's account was not known: then its listing
        // says which of them it holds.
        let by_listing = steps.arns_by_listing();
        let listing = if steps.finds_instances() {
            Some(self.instances(rc, spec.fresh).await?)
        } else {
            None
        };
        let all: Vec<InstanceInfo> = listing
            .iter()
            .flat_map(|l| l.iter())
            .filter_map(InstanceInfo::from_wire)
            .collect();
        if named.is_empty() {
            // Instances being created (or failed) have no contents yet.
            out = all
                .into_iter()
                .filter(|i| i.status.as_deref() == Some("ACTIVE"))
                .collect();
        } else {
            for r in &named {
                let info = match r {
                    // Its alias, when the rows need it, from the listing.
                    ItemRef::Arn { arn, id, .. } if !by_listing => Some(InstanceInfo {
                        id: id.clone(),
                        arn: arn.clone(),
                        alias: all
                            .iter()
                            .find(|i| &i.arn == arn)
                            .and_then(|i| i.alias.clone()),
                        status: None,
                    }),
                    _ => all
                        .iter()
                        .find(|i| r.matches(Some(&i.id), Some(&i.arn), i.alias.as_deref()))
                        .cloned(),
                };
                match info {
                    Some(i) if !out.iter().any(|o| o.id == i.id) => out.push(i),
                    Some(_) => {}
                    // An alias the rows are filtered by that no instance
                    // has: no rows, as SQL answers.
                    None if spec.targets.instances_by_filter => {}
                    None => missing.push(r.display().to_string()),
                }
            }
        }
        // Instance-pinning predicates (`instance_arn = '...'`) keep theirs.
        Ok((out, missing))
    }

    /// Every instance of a region (ListInstances, all pages), through the
    /// cache and one fetch at a time.
    pub async fn instances(
        &self,
        rc: &RegionClient,
        fresh: bool,
    ) -> Result<Arc<Vec<Value>>, ApiError> {
        let key = Key::at(&rc.place, None, Op::ListInstances, "");
        let flight = self.cache.flight(&key);
        let _one = flight.lock().await;
        if let Some(l) = (!fresh).then(|| self.cache.listing(&key)).flatten() {
            self.counters.hit();
            return Ok(l);
        }
        let items = read::all_items(rc, Op::ListInstances, Target::default(), None).await?;
        for i in &items {
            if let Some(info) = InstanceInfo::from_wire(i) {
                self.pool.learn_account(&rc.place, &info.arn);
                self.cache.see_instance(SeenInstance {
                    region: rc.region.clone(),
                    id: info.id,
                    arn: Some(info.arn),
                    alias: info.alias,
                });
            }
        }
        let settled = cacheable(catalog::instance_resource(), &items);
        if settled {
            Ok(self.cache.put_listing(key, items))
        } else {
            Ok(Arc::new(items))
        }
    }

    /// The rows of one instance (or of the account level in a region).
    async fn fetch_scope(
        &self,
        spec: &SourceSpec,
        rc: &RegionClient,
        instance: Option<&InstanceInfo>,
        described: &[ItemRef],
        permits: Arc<Semaphore>,
    ) -> Result<ScopeRows, ApiError> {
        let resource = spec.resource;
        let region = rc.region.as_str();
        let steps = PlaceSteps::new(&spec.steps, &rc.place);
        let instance_id = instance.map(|i| i.id.as_str());
        let profile = self.pool.profile_name(&rc.place);
        let ctx = RowContext {
            region,
            profile: profile.as_deref(),
            instance_arn: instance.map(|i| i.arn.as_str()),
            instance_alias: instance.and_then(|i| i.alias.as_deref()),
        };
        let base_call = steps.base_call();
        // A plural table's rows are listed, then kept when they match an
        // identifier the statement names (a singular table Describes them).
        let identifiers: &[ItemRef] = &spec.targets.identifiers;

        // The supplement (a List joined by id) runs alongside the base.
        let supplement = async {
            match steps.supplement() {
                Some(op) => Some(
                    self.listing(rc, resource, op, instance_id, None, spec.fresh)
                        .await,
                ),
                None => None,
            }
        };

        // Instance-level listings joined to the rows, alongside too.
        let joined = futures::future::join_all(steps.joined().map(|(op, _)| async move {
            (
                op,
                self.listing(rc, resource, op, instance_id, None, spec.fresh)
                    .await,
            )
        }));

        // Items named by id need no answer before their sub-listings keyed
        // by that id: those start alongside the Describe (one round trip,
        // not two); whether the item qualifies is checked when both are in.
        let early_keys: Vec<(usize, Op, String)> = {
            let ids = described_ids(described, region, instance_id);
            steps
                .sub_listings()
                .filter(|(_, _, early)| *early)
                .flat_map(|(field, op, _)| ids.iter().map(move |id| (field, op, id.clone())))
                .collect()
        };
        let early = futures::future::join_all(early_keys.iter().map(|(field, op, id)| {
            let permits = permits.clone();
            async move {
                let _p = permits.acquire().await;
                (
                    (*field, id.clone()),
                    self.sub_listing(rc, resource, *op, instance_id, id, spec.fresh)
                        .await,
                )
            }
        }));
        let prefetched: Vec<(usize, String)> = early_keys
            .iter()
            .map(|(f, _, id)| (*f, id.clone()))
            .collect();
        let prefetched = &prefetched;

        let listing_error: Mutex<Option<ApiError>> = Mutex::new(None);
        let base = self.base_items(spec, rc, instance_id, described);
        let items = base
            .filter_map(|item| {
                let keep = match item {
                    Ok(doc) => {
                        let matched = item_matches(resource, &ctx, base_call, &doc, identifiers);
                        let passes = steps.prefilter().iter().all(|p| {
                            p.test.holds(&field_value(
                                resource,
                                p.field,
                                &ctx,
                                &[(base_call, &doc)],
                            ))
                        });
                        (passes && (identifiers.is_empty() || !matched.is_empty()))
                            .then_some((doc, matched))
                    }
                    Err(e) => {
                        if let Ok(mut slot) = listing_error.lock() {
                            slot.get_or_insert(e);
                        }
                        None
                    }
                };
                futures::future::ready(keep)
            })
            // Each page's per-item calls are checked against the deadline first.
            .budgeted(&self.budget, spec, region, instance_id, &self.cache)
            .map(|(doc, matched)| {
                let permits = permits.clone();
                async move {
                    let id = field_value(resource, id_index(resource), &ctx, &[(base_call, &doc)]);
                    let id = id.as_str().map(str::to_string);
                    let mut extra = self
                        .item_calls(
                            spec,
                            rc,
                            instance_id,
                            ctx.instance_arn,
                            id.as_deref(),
                            &doc,
                            permits,
                            prefetched,
                        )
                        .await;
                    // Read into the field now: the answer's parsed JSON is
                    // dropped here rather than held until every item is in.
                    for (field, result) in &mut extra.subs {
                        if let Ok(answer) = result {
                            *answer = sub_value(resource, *field, answer, &ctx);
                        }
                    }
                    (doc, matched, extra)
                }
            })
            .buffered(self.concurrency)
            .collect::<Vec<_>>();
        let (items, supplement, joined, early) = tokio::join!(items, supplement, joined, early);
        let mut early: HashMap<(usize, String), Result<Value, ApiError>> =
            early.into_iter().collect();
        // The early sub-listings join their items, when the item qualifies.
        let items: Vec<_> = items
            .into_iter()
            .map(|(doc, matched, mut extra)| {
                if let Some(id) = extra.id.clone() {
                    for (field, _, _) in steps.sub_listings() {
                        let Some(result) = early.remove(&(field, id.clone())) else {
                            continue;
                        };
                        let qualifies = match resource.fields[field].source {
                            Source::SubListing { when: Some(c), .. } => c.holds(&doc),
                            _ => true,
                        };
                        if qualifies {
                            let value = result.map(|v| sub_value(resource, field, &v, &ctx));
                            extra.subs.push((field, value));
                        }
                    }
                }
                (doc, matched, extra)
            })
            .collect();
        if let Some(e) = listing_error.into_inner().ok().flatten() {
            return Err(e);
        }
        let supplement: HashMap<String, Value> = match supplement {
            None => HashMap::new(),
            Some(Ok(list)) => list
                .iter()
                .filter_map(|d| {
                    let id = field_value(resource, id_index(resource), &ctx, &[(Call::List, d)]);
                    id.as_str().map(|i| (i.to_string(), d.clone()))
                })
                .collect(),
            Some(Err(e)) => return Err(e),
        };

        let mut out = ScopeRows::default();
        let carried = spec.carried();
        let what = resource.singular.replace('_', " ");
        let mut joined_lists: HashMap<Op, Vec<Value>> = HashMap::new();
        for (op, result) in joined {
            match result {
                Ok(list) => {
                    joined_lists.insert(op, list);
                }
                Err(e) => {
                    // The rows are there; the joined fields are not.
                    out.partial = true;
                    out.warnings
                        .push(format!("some fields of the {what}s are missing: {e}"));
                }
            }
        }
        for (doc, matched, extra) in items {
            // Deleted between its listing and a per-item call (its Describe
            // or a sub-listing answering 404): not a row any more, and the
            // answer is not a snapshot — said so.
            let gone = extra
                .described
                .iter()
                .chain(extra.subs.iter().map(|(_, r)| r))
                .find_map(|r| match r {
                    Err(e) if e.kind == ApiErrorKind::NotFound => Some(e.operation),
                    _ => None,
                });
            if let Some(op) = gone {
                out.partial = true;
                out.warnings.push(format!(
                    "{what} {} was listed but {op} then answered that it does not exist: \
                     it changed while it was read, so its row is left out; \
                     run the statement again for a consistent answer",
                    extra.id.as_deref().unwrap_or("?"),
                ));
                continue;
            }
            let described = match extra.described {
                None => None,
                Some(Ok(d)) => Some(d),
                Some(Err(e)) => {
                    out.partial = true;
                    out.warnings.push(format!(
                        "some fields of {what} {} are missing: {e}",
                        extra.id.as_deref().unwrap_or("?")
                    ));
                    None
                }
            };
            let mut subs: HashMap<usize, Value> = HashMap::new();
            for (field, result) in extra.subs {
                match result {
                    Ok(v) => {
                        subs.insert(field, v);
                    }
                    Err(e) => {
                        out.partial = true;
                        out.warnings.push(format!(
                            "{} missing for {what} {}: {e}",
                            resource.fields[field].name,
                            extra.id.as_deref().unwrap_or("?")
                        ));
                    }
                }
            }
            let mut docs: Vec<(Call, &Value)> = Vec::new();
            if let Some(d) = &described {
                docs.push((Call::Describe, d));
            }
            docs.push((base_call, &doc));
            if let Some(s) = extra.id.as_deref().and_then(|id| supplement.get(id)) {
                docs.push((Call::List, s));
            }
            let mut row: Row = (0..resource.fields.len())
                .map(|i| match subs.remove(&i) {
                    // Already read into the field's value.
                    Some(v) => v,
                    None if carried.contains(i) || i >= 64 => field_value(resource, i, &ctx, &docs),
                    None => Value::Null,
                })
                .collect();
            for (_, fields) in steps.joined() {
                fill_joined(resource, fields, &joined_lists, &ctx, &mut row);
            }
            out.matched.extend(matched);
            out.rows.push(row);
        }
        Ok(out)
    }

    /// The base call's items: a Describe per named item, or the listing.
    fn base_items<'a>(
        &'a self,
        spec: &'a SourceSpec,
        rc: &'a RegionClient,
        instance_id: Option<&'a str>,
        described: &'a [ItemRef],
    ) -> BoxStream<'a, Result<Value, ApiError>> {
        let resource = spec.resource;
        let Some(base) = PlaceSteps::new(&spec.steps, &rc.place).base() else {
            return stream::empty().boxed();
        };
        let op = base.op;
        match &base.action {
            Action::DescribeNamed { .. } => {
                let ids = described_ids(described, &rc.region, instance_id);
                stream::iter(ids)
                    .map(move |id| async move {
                        match self
                            .describe(rc, resource, op, instance_id, &id, spec.fresh)
                            .await
                        {
                            Ok(d) => Some(Ok(d)),
                            Err(e) if e.kind == ApiErrorKind::NotFound => None,
                            Err(e) => Some(Err(e)),
                        }
                    })
                    .buffered(self.concurrency)
                    .filter_map(futures::future::ready)
                    .boxed()
            }
            // A List that takes an enum value per call: one listing per
            // value the plan names, each item tagged with its value.
            Action::Listing { variants, .. } if resource.list_over.is_some() => {
                let member = resource.list_over.map(|o| o.member).unwrap_or_default();
                stream::iter(variants.iter().copied())
                    .map(move |value| {
                        self.variant_stream(
                            rc,
                            resource,
                            op,
                            instance_id,
                            value,
                            member,
                            spec.fresh,
                        )
                    })
                    .flatten()
                    .boxed()
            }
            Action::Listing { criteria, .. } => {
                self.listing_stream(rc, resource, op, instance_id, criteria.as_ref(), spec.fresh)
            }
            _ => stream::empty().boxed(),
        }
    }

    /// A listing through the cache, as a stream: pages are used as they
    /// arrive, and the whole listing is cached once complete.
    fn listing_stream<'a>(
        &'a self,
        rc: &'a RegionClient,
        resource: &'static ResourceType,
        op: Op,
        instance_id: Option<&'a str>,
        criteria: Option<&'a catalog::Criteria>,
        fresh: bool,
    ) -> BoxStream<'a, Result<Value, ApiError>> {
        let subject = criteria
            .map(|c| c.to_json().to_string())
            .unwrap_or_default();
        let target = Target {
            instance: instance_id,
            item: None,
            variant: None,
        };
        let key = Key::at(&rc.place, instance_id, op, &subject);
        self.cached_stream(rc, resource, op, target, criteria, key, None, fresh)
    }

    /// One value's listing of a List that takes an enum value per call,
    /// each item tagged with the value (it is not in the answer).
    #[allow(clippy::too_many_arguments)]
    fn variant_stream<'a>(
        &'a self,
        rc: &'a RegionClient,
        resource: &'static ResourceType,
        op: Op,
        instance_id: Option<&'a str>,
        value: &'static str,
        member: &'static str,
        fresh: bool,
    ) -> BoxStream<'a, Result<Value, ApiError>> {
        let target = Target {
            instance: instance_id,
            item: None,
            variant: Some(value),
        };
        let key = Key::at(&rc.place, instance_id, op, value);
        self.cached_stream(
            rc,
            resource,
            op,
            target,
            None,
            key,
            Some((member, value)),
            fresh,
        )
    }

    /// Every page of `op` as a stream through the cache, one fetch of a key
    /// at a time (a join's sides listing the same thing share one answer),
    /// items optionally tagged with a member, cached once complete.
    #[allow(clippy::too_many_arguments)]
    fn cached_stream<'a>(
        &'a self,
        rc: &'a RegionClient,
        resource: &'static ResourceType,
        op: Op,
        target: Target<'a>,
        criteria: Option<&'a catalog::Criteria>,
        key: Key,
        tag: Option<(&'static str, &'static str)>,
        fresh: bool,
    ) -> BoxStream<'a, Result<Value, ApiError>> {
        let flight = self.cache.flight(&key);
        stream::once(async move { flight.lock_owned().await })
            .flat_map(move |turn| {
                if let Some(cached) = (!fresh).then(|| self.cache.listing(&key)).flatten() {
                    self.counters.hit();
                    drop(turn);
                    return stream::iter((0..cached.len()).map(move |i| Ok(cached[i].clone())))
                        .boxed();
                }
                // Written for the cache (as text, item by item) only when
                // there is one and while every item is settled: the rows
                // hold the parsed items, the cache a compact copy.
                let collected: Arc<Mutex<Option<ListingText>>> =
                    Arc::new(Mutex::new(self.cache.enabled().then(ListingText::default)));
                let sink = collected.clone();
                let items = read::items(rc, op, target, criteria).map(move |item| {
                    let item = item.map(|mut v| {
                        if let (Some((member, value)), Some(o)) = (tag, v.as_object_mut()) {
                            o.insert(member.to_string(), Value::String(value.to_string()));
                        }
                        v
                    });
                    if let Ok(mut c) = sink.lock() {
                        match &item {
                            Ok(v) if cacheable(resource, std::slice::from_ref(v)) => {
                                if let Some(text) = c.as_mut() {
                                    text.push(v)
                                }
                            }
                            _ => *c = None,
                        }
                    }
                    item
                });
                // Once the listing ends without error, cache it; then let
                // the next fetch of the key go.
                let key = key.clone();
                let store = stream::once(async move {
                    let complete = collected.lock().ok().and_then(|mut c| c.take());
                    if let Some(text) = complete {
                        self.cache.put_listing_text(key, text);
                    }
                    drop(turn);
                })
                .filter_map(|()| futures::future::ready(None));
                items.chain(store).boxed()
            })
            .boxed()
    }

    /// A complete listing through the cache.
    async fn listing(
        &self,
        rc: &RegionClient,
        resource: &'static ResourceType,
        op: Op,
        instance_id: Option<&str>,
        criteria: Option<&catalog::Criteria>,
        fresh: bool,
    ) -> Result<Vec<Value>, ApiError> {
        use futures::TryStreamExt;
        self.listing_stream(rc, resource, op, instance_id, criteria, fresh)
            .try_collect()
            .await
    }

    /// One Describe through the cache.
    async fn describe(
        &self,
        rc: &RegionClient,
        resource: &'static ResourceType,
        op: Op,
        instance_id: Option<&str>,
        id: &str,
        fresh: bool,
    ) -> Result<Value, ApiError> {
        let key = Key::at(&rc.place, instance_id, op, id);
        if let Some(v) = (!fresh).then(|| self.cache.item(&key)).flatten() {
            self.counters.hit();
            return Ok(v);
        }
        let target = Target {
            instance: instance_id,
            item: Some(id),
            variant: None,
        };
        let what = resource.singular.replace('_', " ");
        let doc = read::describe(rc, op, target)
            .await
            .map_err(|e| e.about(format!("{what} `{id}`")))?;
        if cacheable(resource, std::slice::from_ref(&doc)) {
            self.cache.put_item(key, &doc);
        }
        Ok(doc)
    }

    /// A sub-listing (every page) through the cache.
    async fn sub_listing(
        &self,
        rc: &RegionClient,
        resource: &'static ResourceType,
        op: Op,
        instance_id: Option<&str>,
        id: &str,
        fresh: bool,
    ) -> Result<Value, ApiError> {
        let key = Key::at(&rc.place, instance_id, op, id);
        if let Some(v) = (!fresh).then(|| self.cache.item(&key)).flatten() {
            self.counters.hit();
            return Ok(v);
        }
        // Sub-listings of an account-level item (an instance's attributes)
        // take the item as their instance.
        let target = Target {
            instance: instance_id.or(Some(id)),
            item: Some(id),
            variant: None,
        };
        let what = resource.singular.replace('_', " ");
        let v = if op.def().max_results.is_some() {
            read::all_items(rc, op, target, None)
                .await
                .map(Value::Array)
        } else {
            read::single(rc, op, target).await
        }
        .map_err(|e| e.about(format!("{what} `{id}`")))?;
        self.cache.put_item(key, &v);
        Ok(v)
    }

    /// The per-item calls of one item: its Describe and sub-listings,
    /// concurrently, each holding one of the region's permits.
    #[allow(clippy::too_many_arguments)]
    async fn item_calls(
        &self,
        spec: &SourceSpec,
        rc: &RegionClient,
        instance_id: Option<&str>,
        instance_arn: Option<&str>,
        id: Option<&str>,
        base_doc: &Value,
        permits: Arc<Semaphore>,
        prefetched: &[(usize, String)],
    ) -> ItemCalls {
        let resource = spec.resource;
        let steps = PlaceSteps::new(&spec.steps, &rc.place);
        let Some(id) = id else {
            return ItemCalls::default();
        };
        let describe = async {
            match steps.describe_each() {
                Some(op) => {
                    let _p = permits.acquire().await;
                    Some(
                        self.describe(rc, resource, op, instance_id, id, spec.fresh)
                            .await,
                    )
                }
                None => None,
            }
        };
        let subs = futures::future::join_all(steps.sub_listings().map(|(field, op, _)| {
            let permits = permits.clone();
            async move {
                let Source::SubListing { when, key, .. } = resource.fields[field].source else {
                    return None;
                };
                // Started alongside the Describe already.
                if prefetched.iter().any(|(f, i)| *f == field && i == id) {
                    return None;
                }
                if when.is_some_and(|c| !c.holds(base_doc)) {
                    return None;
                }
                // The call takes the item's id, or another of its fields (an ARN).
                let subject = match key {
                    None => id.to_string(),
                    Some(k) => {
                        let ctx = RowContext {
                            region: &rc.region,
                            profile: rc.place.profile.as_deref(),
                            instance_arn,
                            instance_alias: None,
                        };
                        let i = resource.field_index(k)?;
                        field_value(resource, i, &ctx, &[(steps.base_call(), base_doc)])
                            .as_str()?
                            .to_string()
                    }
                };
                let _p = permits.acquire().await;
                Some((
                    field,
                    self.sub_listing(rc, resource, op, instance_id, &subject, spec.fresh)
                        .await,
                ))
            }
        }));
        let (described, subs) = tokio::join!(describe, subs);
        // A sub-listing of an item that turned out not to qualify (an
        // instance no longer ACTIVE) is not a failure.
        let subs = subs
            .into_iter()
            .flatten()
            .filter(|(field, result)| {
                let qualifies = match resource.fields[*field].source {
                    Source::SubListing { when: Some(c), .. } => match &described {
                        Some(Ok(d)) => c.holds(d),
                        _ => true,
                    },
                    _ => true,
                };
                qualifies || result.is_ok()
            })
            .collect();
        ItemCalls {
            id: Some(id.to_string()),
            described,
            subs,
        }
    }
}

/// The per-item answers of one item.
#[derive(Default)]
struct ItemCalls {
    id: Option<String>,
    described: Option<Result<Value, ApiError>>,
    subs: Vec<(usize, Result<Value, ApiError>)>,
}

/// The ids a Describe base reads in one region (and instance): those the
/// statement names by id, or by an ARN of that place.
fn described_ids(identifiers: &[ItemRef], region: &str, instance_id: Option<&str>) -> Vec<String> {
    identifiers
        .iter()
        .filter_map(|i| match i {
            ItemRef::Arn {
                id,
                instance_id: inst,
                region: r,
                ..
            } => (r == region && inst.as_deref() == instance_id).then(|| id.clone()),
            ItemRef::Id(id) => Some(id.clone()),
            ItemRef::Name(_) => None,
        })
        .collect()
}

fn id_index(resource: &ResourceType) -> usize {
    resource.field_index(resource.id_field).unwrap_or(0)
}

/// Whether answers may be cached (the resource's settled-state rule).
fn cacheable(resource: &ResourceType, items: &[Value]) -> bool {
    match resource.cache_when {
        Some(c) => items.iter().all(|i| c.holds(i)),
        None => true,
    }
}

/// Which identifiers (by index) an item matches.
fn item_matches(
    resource: &ResourceType,
    ctx: &RowContext<'_>,
    call: Call,
    doc: &Value,
    identifiers: &[ItemRef],
) -> Vec<usize> {
    if identifiers.is_empty() {
        return Vec::new();
    }
    let get = |name: &str| {
        resource
            .field_index(name)
            .map(|i| field_value(resource, i, ctx, &[(call, doc)]))
            .unwrap_or(Value::Null)
    };
    let (id, arn, name) = (
        get(resource.id_field),
        resource.arn_field.map(get).unwrap_or(Value::Null),
        get(resource.name_field),
    );
    identifiers
        .iter()
        .enumerate()
        .filter(|(_, r)| r.matches(id.as_str(), arn.as_str(), name.as_str()))
        .map(|(i, _)| i)
        .collect()
}

/// A field's value from the answers at hand (`docs`: each answer with the
/// call that gave it, best first), by the catalog's sources.
pub fn field_value(
    resource: &ResourceType,
    index: usize,
    ctx: &RowContext<'_>,
    docs: &[(Call, &Value)],
) -> Value {
    let field = &resource.fields[index];
    for source in field.sources() {
        match source {
            Source::Region => return Value::String(ctx.region.to_string()),
            Source::Profile => {
                return ctx
                    .profile
                    .map(|p| Value::String(p.to_string()))
                    .unwrap_or(Value::Null)
            }
            Source::Account => {
                // The instance's ARN names the account; an item outside an
                // instance (the instance itself) names it in its own ARN.
                let own = || {
                    resource
                        .arn_field
                        .and_then(|f| resource.field_index(f))
                        .filter(|&i| i != index)
                        .map(|i| field_value(resource, i, ctx, docs))
                };
                let arn = match ctx.instance_arn {
                    Some(a) => Some(Value::String(a.to_string())),
                    None => own(),
                };
                return arn
                    .as_ref()
                    .and_then(Value::as_str)
                    .and_then(catalog::arn_account)
                    .map(|a| Value::String(a.to_string()))
                    .unwrap_or(Value::Null);
            }
            Source::InstanceArn => {
                return ctx
                    .instance_arn
                    .map(|a| Value::String(a.to_string()))
                    .unwrap_or(Value::Null)
            }
            Source::InstanceAlias => {
                return ctx
                    .instance_alias
                    .map(|a| Value::String(a.to_string()))
                    .unwrap_or(Value::Null)
            }
            Source::Member {
                calls,
                member,
                read,
            } => {
                for (call, doc) in docs {
                    if calls.has(*call) {
                        // An empty member is the item itself (a plain string).
                        let v = if member.is_empty() {
                            Some(*doc)
                        } else {
                            doc.get(*member)
                        };
                        if let Some(v) = v.filter(|v| !v.is_null()) {
                            return read.apply(v, ctx);
                        }
                    }
                }
            }
            Source::SubListing { .. } | Source::Joined { .. } | Source::Unavailable(_) => {}
        }
    }
    Value::Null
}

/// Fields read from instance-level listings: the item whose `key` member
/// is the row's ARN or id.
fn fill_joined(
    resource: &ResourceType,
    fields: &[usize],
    lists: &HashMap<Op, Vec<Value>>,
    ctx: &RowContext<'_>,
    row: &mut Row,
) {
    let own: Vec<String> = [resource.arn_field, Some(resource.id_field)]
        .into_iter()
        .flatten()
        .filter_map(|f| resource.field_index(f))
        .filter_map(|i| row[i].as_str().map(str::to_string))
        .collect();
    for &i in fields {
        let Source::Joined {
            op,
            key,
            value,
            read,
        } = resource.fields[i].source
        else {
            continue;
        };
        let found = lists.get(&op).and_then(|list| {
            list.iter().find(|item| {
                item.get(key)
                    .and_then(Value::as_str)
                    .is_some_and(|k| own.iter().any(|o| o == k))
            })
        });
        row[i] = found
            .and_then(|item| item.get(value))
            .map(|v| read.apply(v, ctx))
            .unwrap_or(Value::Null);
    }
}

/// A sub-listing's answer read into its field.
fn sub_value(resource: &ResourceType, index: usize, answer: &Value, ctx: &RowContext<'_>) -> Value {
    match resource.fields[index].source {
        Source::SubListing { read, .. } => read.apply(answer, ctx),
        _ => Value::Null,
    }
}

/// Every resource type a fetch of `op` can fill (for messages).
pub fn resources_reading(op: Op) -> Vec<&'static str> {
    RESOURCE_TYPES
        .iter()
        .filter(|r| r.read_operations().contains(&op))
        .map(|r| r.singular)
        .collect()
}
