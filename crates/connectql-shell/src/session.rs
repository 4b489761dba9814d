//! A session: the executor (client pool + cache), the relational engine and
//! the settings a shell changes with meta-commands. [`classify`] reads one
//! statement's text once into a [`Parsed`] (query, change, SHOW/DESCRIBE,
//! EXPLAIN, meta-command) and [`Session::run`] dispatches it once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlparser::ast::Statement;

use crate::connect_api::Place as ApiPlace;
use crate::engine::{Engine, Limits};
use crate::error::Error;
use crate::executor::contents as run_contents;
use crate::executor::{CallCounters, ConnectionOptions, Executor, SessionCache};
use crate::sql::change;
use crate::sql::change::contents::{self, ContentsPlan, PlannedWrite, Verb as ContentsVerb};
use crate::sql::planner::{self, SelectPlan};
use crate::sql::resolve::{ItemRef, PlanContext};
use crate::{catalog, explain, introspection, sql};

pub use crate::outcome::Outcome;

/// Figures for `.timing on`.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatementStats {
    pub elapsed: Duration,
    pub api_calls: u64,
    pub cache_hits: u64,
    /// The age of the oldest answer served from the session cache.
    pub cache_age: Option<Duration>,
}

#[derive(Debug, Clone)]
pub struct SessionOptions {
    pub connection: ConnectionOptions,
    pub cache: bool,
    pub read_only: bool,
    pub concurrency: usize,
    /// `--yes`: DELETE proceeds without asking.
    pub assume_yes: bool,
    /// `--dry-run`: changes are planned and shown, never sent.
    pub dry_run: bool,
    /// `--timeout`: one deadline for a whole query.
    pub deadline: Option<Duration>,
    /// Bounds on a result (`--max-rows`, `--max-result-mb`).
    pub limits: Limits,
    /// Default regions chosen at start (`--region a,b`, `--region all`,
    /// `CONNECTQL_REGION`) and which of those said so; `None`: the AWS
    /// configuration's.
    pub regions: Option<(RegionChoice, String)>,
    /// Default profiles chosen at start (`--profile a,b`); empty: the
    /// session's credentials.
    pub profiles: Vec<String>,
}

impl Default for SessionOptions {
    fn default() -> Self {
        SessionOptions {
            connection: ConnectionOptions::default(),
            cache: true,
            read_only: false,
            concurrency: crate::executor::DEFAULT_CONCURRENCY,
            assume_yes: false,
            dry_run: false,
            deadline: Some(crate::executor::clients::DEFAULT_TIMEOUT),
            limits: Limits::default(),
            regions: None,
            profiles: Vec::new(),
        }
    }
}

/// Regions the user chose as the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionChoice {
    /// These regions (validated, without duplicates).
    List(Vec<String>),
    /// Every region where the default profiles have Connect instances.
    All,
}

impl RegionChoice {
    /// Reads `us-east-1,eu-west-2` (blanks allowed around the commas) or
    /// `all`; every name is checked as a `region` predicate's would be.
    pub fn parse(text: &str) -> Result<RegionChoice, Error> {
        let names = split_list(text);
        if names.len() == 1 && names[0].eq_ignore_ascii_case("all") {
            return Ok(RegionChoice::All);
        }
        if names.is_empty() {
            return Err(Error::InvalidParam {
                param: catalog::REGION.into(),
                message: "no region named; write one or more, separated by commas (us-east-1,eu-west-2), or all"
                    .into(),
            });
        }
        let mut regions: Vec<String> = Vec::new();
        for n in names {
            let r = crate::sql::resolve::validate_region(&n.to_ascii_lowercase())?;
            if !regions.contains(&r) {
                regions.push(r);
            }
        }
        Ok(RegionChoice::List(regions))
    }
}

/// What to say of regions where Connect is not known to be offered: each,
/// with the nearest known one.
pub fn unknown_region_notes(regions: &[String]) -> Vec<String> {
    regions
        .iter()
        .filter(|r| !catalog::CONNECT_REGIONS.contains(&r.as_str()))
        .map(|r| {
            let hint = catalog::suggest(r, catalog::CONNECT_REGIONS.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            format!("Amazon Connect is not known to be offered in {r}{hint}")
        })
        .collect()
}

/// `a,b , c` as `[a, b, c]` (empty parts left out).
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// The session's default regions: what a statement reads where it names
/// no region.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DefaultRegions {
    /// The AWS configuration's (`AWS_REGION`, the profile's region...):
    /// a profile with a region of its own reads that one.
    Configured,
    /// Chosen by the user (`by`: `.region`, `--region`...): every
    /// profile reads them.
    Chosen { regions: Vec<String>, by: String },
    /// `all`: found when first needed (then `found`), by listing the
    /// instances of every Connect region with each default profile.
    All {
        by: String,
        found: Option<Vec<String>>,
    },
}

impl DefaultRegions {
    fn from_options(choice: Option<(RegionChoice, String)>) -> DefaultRegions {
        match choice {
            None => DefaultRegions::Configured,
            Some((RegionChoice::List(regions), by)) => DefaultRegions::Chosen { regions, by },
            Some((RegionChoice::All, by)) => DefaultRegions::All { by, found: None },
        }
    }
}

/// What `.region all` found: the regions with instances, and what it took.
#[derive(Debug, Clone, Default)]
pub struct FoundRegions {
    /// Regions where a default profile has an instance, with how many.
    pub regions: Vec<(String, usize)>,
    /// Places whose listing failed (kept in the set), with the error.
    pub failed: Vec<(crate::connect_api::Place, String)>,
    /// The HTTP calls made (cached listings make none).
    pub calls: u64,
    /// Listings answered from the session cache.
    pub cached: u64,
    /// The listings asked for: regions × profiles.
    pub listings: usize,
}

impl FoundRegions {
    /// The default set: regions with instances, then those that failed.
    pub fn set(&self) -> Vec<String> {
        let mut out: Vec<String> = self.regions.iter().map(|(r, _)| r.clone()).collect();
        for (place, _) in &self.failed {
            if !out.contains(&place.region) {
                out.push(place.region.clone());
            }
        }
        out
    }

    /// What the shell says: which regions, how many, and the calls made.
    pub fn describe(&self, by: &str) -> String {
        let set = self.set();
        let mut out = format!(
            "region: {} ({by}: {} region{} with instances, found with {} ListInstances call{}{} over {} listing{})",
            if set.is_empty() {
                "none".to_string()
            } else {
                set.join(", ")
            },
            self.regions.len(),
            if self.regions.len() == 1 { "" } else { "s" },
            self.calls,
            if self.calls == 1 { "" } else { "s" },
            if self.cached > 0 {
                format!(" and {} from the cache", self.cached)
            } else {
                String::new()
            },
            self.listings,
            if self.listings == 1 { "" } else { "s" },
        );
        for (place, e) in &self.failed {
            out.push_str(&format!(
                "\nwarning: listing the instances of {place} failed, so it stays in the set: {e}"
            ));
        }
        if set.is_empty() {
            out.push_str(
                "\nnote: no region has an instance, so statements must name a region (.region NAME sets one)",
            );
        }
        out
    }
}

/// Asks the user to confirm a destructive change; returns true to proceed.
pub type Confirm = Box<dyn FnMut(&str) -> bool + Send>;

pub struct Session {
    executor: Executor,
    engine: Engine,
    pub read_only: bool,
    pub assume_yes: bool,
    pub dry_run: bool,
    confirm: Option<Confirm>,
    last_stats: StatementStats,
    /// The default regions, and those the session started with (`.region
    /// default` goes back to them).
    regions: DefaultRegions,
    start_regions: DefaultRegions,
    /// The default profiles (empty: the session's credentials), and where
    /// they were chosen; and those the session started with.
    profiles: (Vec<String>, String),
    start_profiles: (Vec<String>, String),
    deadline: Option<Duration>,
    /// What the running statement is doing, for the deadline's message.
    phase: Arc<std::sync::Mutex<String>>,
    /// `aws.connect.copy_mappings`: what a copy puts in the target for a
    /// source value it cannot map (source, target), newest last.
    mappings: Vec<(String, String)>,
}

impl Session {
    pub fn new(options: SessionOptions) -> Result<Session, Error> {
        let mut engine = Engine::new()?;
        engine.limits = options.limits;
        Ok(Session {
            executor: Executor::new(options.connection, options.cache, options.concurrency),
            engine,
            deadline: options.deadline,
            phase: Arc::default(),
            read_only: options.read_only,
            assume_yes: options.assume_yes,
            dry_run: options.dry_run,
            confirm: None,
            last_stats: StatementStats::default(),
            regions: DefaultRegions::from_options(options.regions.clone()),
            start_regions: DefaultRegions::from_options(options.regions),
            profiles: (options.profiles.clone(), "--profile".into()),
            start_profiles: (options.profiles, "--profile".into()),
            mappings: Vec::new(),
        })
    }

    /// Sets how destructive changes are confirmed (the shell asks on the
    /// terminal; batch mode has none and needs `--yes`).
    pub fn set_confirm(&mut self, confirm: Confirm) {
        self.confirm = Some(confirm);
    }

    pub fn executor(&self) -> &Executor {
        &self.executor
    }
    pub fn cache(&self) -> &Arc<SessionCache> {
        self.executor.cache()
    }
    pub fn counters(&self) -> &Arc<CallCounters> {
        self.executor.counters()
    }
    pub fn last_stats(&self) -> StatementStats {
        self.last_stats
    }

    /// The first of the default regions (see [`Session::default_regions`]).
    pub async fn default_region(&self) -> Option<String> {
        self.default_regions().await.0.into_iter().next()
    }

    /// The regions a statement that names none reads, and whether the user
    /// chose them (then every profile reads them; otherwise a profile with
    /// its own region reads that). `all` not yet found gives none.
    pub async fn default_regions(&self) -> (Vec<String>, bool) {
        match &self.regions {
            DefaultRegions::Configured => (
                self.executor
                    .pool()
                    .default_region()
                    .await
                    .into_iter()
                    .collect(),
                false,
            ),
            DefaultRegions::Chosen { regions, .. } => (regions.clone(), true),
            DefaultRegions::All { found, .. } => (found.clone().unwrap_or_default(), true),
        }
    }

    /// The default regions and where they come from, for `.region`.
    pub async fn describe_default_regions(&self) -> String {
        let per_profile = "each profile reads its own region when it has one";
        match &self.regions {
            DefaultRegions::Configured => match self.executor.pool().default_region_source().await {
                Some((r, from)) => format!(
                    "region: {r} (the configured default{}; {per_profile})",
                    from.map(|f| format!(", from {f}")).unwrap_or_default()
                ),
                None => "region: none (statements must name one: WHERE region = '...', or .region NAME)"
                    .to_string(),
            },
            DefaultRegions::Chosen { regions, by } => format!(
                "region: {} (set with {by}; every profile reads {})",
                regions.join(", "),
                if regions.len() == 1 { "it" } else { "them" }
            ),
            DefaultRegions::All { by, found: None } => format!(
                "region: all (set with {by}; the regions with instances are found before the first statement that needs them)"
            ),
            DefaultRegions::All { by, found: Some(set) } => format!(
                "region: {} (all, set with {by}: the regions with instances; every profile reads them)",
                if set.is_empty() { "none".to_string() } else { set.join(", ") }
            ),
        }
    }

    /// Sets the default regions (`by`: who chose them, for `.region`).
    pub fn set_default_regions(&mut self, regions: Vec<String>, by: &str) {
        self.regions = DefaultRegions::Chosen {
            regions,
            by: by.to_string(),
        };
    }

    /// Back to the default regions the session started with.
    pub fn reset_default_regions(&mut self) {
        self.regions = self.start_regions.clone();
    }

    /// `all` waits to be found (`--region all` before its first use).
    fn all_regions_pending(&self) -> bool {
        matches!(self.regions, DefaultRegions::All { found: None, .. })
    }

    /// Sets the default regions to every region where the default profiles
    /// have a Connect instance: one ListInstances per Connect region and
    /// profile, concurrently, through the session cache (later statements
    /// reuse the listings). A region whose listing fails stays in the set.
    pub async fn find_all_regions(&mut self, by: &str) -> Result<FoundRegions, Error> {
        let profiles: Vec<Option<String>> = if self.profiles.0.is_empty() {
            vec![None]
        } else {
            self.profiles.0.iter().cloned().map(Some).collect()
        };
        let places: Vec<crate::connect_api::Place> = profiles
            .iter()
            .flat_map(|p| {
                catalog::CONNECT_REGIONS
                    .iter()
                    .map(move |r| crate::connect_api::Place::new(p.as_deref(), r))
            })
            .collect();
        let (calls, hits) = (self.counters().api_calls(), self.counters().cache_hits());
        let executor = &self.executor;
        let listed = futures::future::join_all(places.iter().map(|place| async move {
            let rc = executor.pool().client_at(place).await;
            executor
                .instances(&rc, false)
                .await
                .map(|l| l.len())
                .map_err(|e| executor.in_its_profile(e, place).to_string())
        }))
        .await;
        let mut found = FoundRegions {
            listings: places.len(),
            ..FoundRegions::default()
        };
        for region in catalog::CONNECT_REGIONS {
            let n: usize = places
                .iter()
                .zip(&listed)
                .filter(|(p, _)| p.region == region)
                .filter_map(|(_, l)| l.as_ref().ok())
                .sum();
            if n > 0 {
                found.regions.push((region.to_string(), n));
            }
        }
        for (place, l) in places.iter().zip(listed) {
            if let Err(e) = l {
                found.failed.push((place.clone(), e));
            }
        }
        found.calls = self.counters().api_calls() - calls;
        found.cached = self.counters().cache_hits() - hits;
        self.regions = DefaultRegions::All {
            by: by.to_string(),
            found: Some(found.set()),
        };
        Ok(found)
    }

    /// The default profiles (empty: the session's credentials).
    pub fn default_profiles(&self) -> &[String] {
        &self.profiles.0
    }

    /// The default profiles and where they were chosen, for `.profile`.
    pub fn describe_default_profiles(&self) -> String {
        let (names, by) = &self.profiles;
        if names.is_empty() {
            let session = self
                .executor
                .pool()
                .profile_name(&crate::connect_api::Place::new(None, ""));
            return match session {
                Some(p) => format!("profile: the session's credentials (profile {p})"),
                None => "profile: the session's credentials (keys, not a profile's)".to_string(),
            };
        }
        format!(
            "profile: {} (set with {by}; a statement without a profile predicate reads {})",
            names.join(", "),
            if names.len() == 1 { "it" } else { "each" }
        )
    }

    /// Refuses a name that is not a configured profile, as a `profile`
    /// predicate naming it is (unreadable config files check nothing:
    /// aws-config says what is wrong when the profile is used).
    pub async fn check_profiles(&self, names: &[String]) -> Result<(), Error> {
        match self.executor.pool().configured_profiles().await {
            Ok(known) => planner::check_profiles(names, &known),
            Err(_) => Ok(()),
        }
    }

    /// Sets the default profiles: each must be a configured profile (the
    /// message of a `profile` predicate naming another). The session's own
    /// profile alone is the session's credentials.
    pub async fn set_default_profiles(
        &mut self,
        names: Vec<String>,
        by: &str,
    ) -> Result<(), Error> {
        let mut unique: Vec<String> = Vec::new();
        for n in names {
            if !unique.contains(&n) {
                unique.push(n);
            }
        }
        self.check_profiles(&unique).await?;
        let session = self.executor.pool().session_profile();
        if matches!(unique.as_slice(), [one] if Some(one.as_str()) == session) {
            unique.clear();
        }
        self.profiles = (unique, by.to_string());
        self.forget_all_regions();
        Ok(())
    }

    /// Back to the profiles the session started with.
    pub fn reset_default_profiles(&mut self) {
        self.profiles = self.start_profiles.clone();
        self.forget_all_regions();
    }

    /// `all` was found for other profiles: find it again when next needed.
    fn forget_all_regions(&mut self) {
        if let DefaultRegions::All { found, .. } = &mut self.regions {
            *found = None;
        }
    }

    /// `SHOW PROFILES` and `.profiles`: the AWS profiles statements can name.
    pub async fn profiles(&self) -> Result<crate::engine::ResultSet, Error> {
        let pool = self.executor.pool();
        let mut list = pool.configured_profiles().await.map_err(Error::Config)?;
        self.cache().see_names(
            crate::catalog::PROFILE,
            list.iter().map(|p| p.name.as_str()),
        );
        // The account a profile reached, from the ARNs it has read.
        for p in list.iter_mut().filter(|p| p.account.is_none()) {
            p.account = pool.known_account(&p.name);
        }
        // Marked: what a statement without a profile predicate reads, the
        // default profiles (`.profile a,b`), else the session's profile.
        let read: Vec<String> = if self.profiles.0.is_empty() {
            pool.profile_name(&crate::connect_api::Place::new(None, ""))
                .into_iter()
                .collect()
        } else {
            self.profiles.0.clone()
        };
        Ok(introspection::profiles(&list, &read))
    }

    async fn plan_context(&self) -> PlanContext {
        let (default_regions, regions_chosen) = self.default_regions().await;
        PlanContext {
            default_regions,
            regions_chosen,
            default_profiles: self.profiles.0.clone(),
            // Unreadable config files leave names unchecked: aws-config
            // then says what is wrong when a profile is used.
            profiles: self
                .executor
                .pool()
                .configured_profiles()
                .await
                .ok()
                .map(|mut list| {
                    // For completion inside `profile = '`.
                    self.cache().see_names(
                        crate::catalog::PROFILE,
                        list.iter().map(|p| p.name.as_str()),
                    );
                    // The account a profile reached, from the ARNs it has
                    // read: the plan sends no other account's ARN there.
                    for p in list.iter_mut().filter(|p| p.account.is_none()) {
                        p.account = self.executor.pool().known_account(&p.name);
                    }
                    list
                }),
        }
    }

    /// Plans with the session's defaults. `--region all` is found the
    /// first time a statement needs a default region (never before): then
    /// the note says which regions it found, and the calls it took.
    async fn planned<T>(
        &mut self,
        plan: impl Fn(&PlanContext, &Executor) -> Result<T, Error>,
    ) -> Result<(T, Option<String>), Error> {
        self.planned_needing(plan, |_| false).await
    }

    /// As [`Session::planned`], for a plan that goes through without a
    /// default region but needs one when run (`needs_region`: an INSERT
    /// whose rows name none): `all` is found first then too.
    async fn planned_needing<T>(
        &mut self,
        plan: impl Fn(&PlanContext, &Executor) -> Result<T, Error>,
        needs_region: impl Fn(&T) -> bool,
    ) -> Result<(T, Option<String>), Error> {
        let ctx = self.plan_context().await;
        match plan(&ctx, &self.executor) {
            Err(Error::MissingParam { param, .. })
                if param == catalog::REGION && self.all_regions_pending() => {}
            Ok(t) if needs_region(&t) && self.all_regions_pending() => {}
            other => return other.map(|t| (t, None)),
        }
        let by = match &self.regions {
            DefaultRegions::All { by, .. } => by.clone(),
            _ => String::new(),
        };
        let found = self.find_all_regions(&by).await?;
        let ctx = self.plan_context().await;
        let note = found.describe(&format!("{by} all"));
        Ok((plan(&ctx, &self.executor)?, Some(note)))
    }

    /// Classifies and runs one statement (with or without its trailing
    /// `;`). Meta-commands are the shell's: see `repl::exec`.
    pub async fn execute(&mut self, text: &str) -> Result<Outcome, Error> {
        let parsed = classify(text);
        self.run(parsed).await
    }

    /// Runs a classified statement, keeping its figures for `.timing`.
    pub async fn run(&mut self, parsed: Result<Parsed, Error>) -> Result<Outcome, Error> {
        let started = Instant::now();
        let calls_before = self.counters().api_calls();
        let hits_before = self.counters().cache_hits();
        self.cache().take_oldest_served();
        // Only a query has a deadline for its calls (set in `bounded`).
        self.executor.budget().begin(None);
        let result = match parsed {
            Ok(p) => self.dispatch(p).await,
            Err(e) => Err(e),
        };
        self.executor.budget().end();
        self.last_stats = StatementStats {
            elapsed: started.elapsed(),
            api_calls: self.counters().api_calls() - calls_before,
            cache_hits: self.counters().cache_hits() - hits_before,
            cache_age: self.cache().take_oldest_served(),
        };
        result
    }

    /// The one dispatch of a classified statement.
    async fn dispatch(&mut self, parsed: Parsed) -> Result<Outcome, Error> {
        match parsed {
            Parsed::Meta(line) => Err(Error::Unsupported(format!(
                "the meta-command `{}` outside the shell or a script",
                line.split_whitespace().next().unwrap_or("")
            ))),
            Parsed::Introspect(introspection::Introspection::Profiles) => Ok(Outcome {
                result: Some(self.profiles().await?),
                ..Outcome::default()
            }),
            Parsed::Introspect(i) => Ok(Outcome {
                result: Some(introspection::run(&i)),
                ..Outcome::default()
            }),
            Parsed::Explain(statement) => {
                let (result, note) = self
                    .planned(|ctx, executor| {
                        explain::explain(
                            &statement.text,
                            statement.statement.clone(),
                            ctx,
                            executor,
                        )
                    })
                    .await?;
                Ok(Outcome {
                    result: Some(result),
                    warnings: note.into_iter().collect(),
                    ..Outcome::default()
                })
            }
            Parsed::Query(statement) => self.bounded(statement).await,
            // A change's future is large (reads, writes, read-back): on the heap.
            Parsed::Change(statement) => Box::pin(self.change(statement)).await,
        }
    }

    fn set_phase(&self, phase: String) {
        if let Ok(mut p) = self.phase.lock() {
            *p = phase;
        }
    }

    /// The statement deadline (`--timeout`); None: statements run until done.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// Sets the statement deadline (`.timeout` in the shell).
    pub fn set_deadline(&mut self, deadline: Option<Duration>) {
        self.deadline = deadline;
    }

    /// A query within the statement deadline (`--timeout`): fetch, retries,
    /// pacing and engine together. Changes are not cut off part-way; each
    /// of their calls has its own bound. Per-item calls that cannot finish
    /// in time at Connect's rate stop the query before they start
    /// ([`crate::executor::budget`]); dropping the fetch leaves the cache
    /// as it was, as the deadline does.
    async fn bounded(&mut self, statement: Written) -> Result<Outcome, Error> {
        self.set_phase("planning".into());
        let Some(limit) = self.deadline else {
            return self.select(statement).await;
        };
        let phase = self.phase.clone();
        let budget = self.executor.budget().clone();
        budget.begin(Some(limit));
        // A refusal stops the statement at once (what is in flight is
        // dropped), even when the rest of it finished in the same poll.
        let refusable = async {
            let result = tokio::select! {
                result = self.select(statement) => result,
                refusal = budget.refusal() => Err(Error::DeadlineTooShort(Box::new(refusal))),
            };
            match budget.refused() {
                Some(refusal) => Err(Error::DeadlineTooShort(Box::new(refusal))),
                None => result,
            }
        };
        match tokio::time::timeout(limit, refusable).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout {
                after: limit,
                what: phase.lock().map(|p| p.clone()).unwrap_or_default(),
            }),
        }
    }

    async fn select(&mut self, statement: Written) -> Result<Outcome, Error> {
        let mappings = self.mappings.clone();
        let (local, _) = self
            .planned(|ctx, _| {
                crate::copy::mappings_select(&statement.text, &statement.statement, ctx, &mappings)
            })
            .await?;
        if let Some(plan) = local {
            return self.select_planned(plan, None).await;
        }
        let (diff, note) = self
            .planned(|ctx, executor| {
                let known = |p: &str| executor.pool().known_account(p);
                crate::differences::plan(&statement.text, &statement.statement, ctx, &known)
            })
            .await?;
        if let Some(plan) = diff {
            self.set_phase("waiting for Connect: both instances' reads".into());
            let mut outcome = crate::differences::run(&plan, &self.executor, &self.engine).await?;
            outcome.warnings.extend(note);
            return Ok(outcome);
        }
        let (plan, note) = self
            .planned(|ctx, _| {
                planner::plan_query(&statement.text, statement.statement.clone(), ctx)
            })
            .await?;
        self.select_planned(plan, note).await
    }

    /// A planned query: checked, fetched, run by the engine.
    async fn select_planned(
        &mut self,
        plan: SelectPlan,
        note: Option<String>,
    ) -> Result<Outcome, Error> {
        // SQL errors surface here, before any call.
        self.engine.check(&plan).await?;
        self.set_phase(format!(
            "waiting for Connect: {}",
            plan.sources
                .iter()
                .map(|s| {
                    let op = s
                        .steps
                        .iter()
                        .find(|step| {
                            !matches!(
                                step.action,
                                crate::sql::physical::Action::FindInstances { .. }
                            )
                        })
                        .map(|step| step.op.name())
                        .unwrap_or("calls");
                    format!(
                        "{op} in {} for {}",
                        s.targets.regions.join(", "),
                        s.catalog.id
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        ));
        let fetched = futures::future::try_join_all(
            plan.sources
                .iter()
                .map(|source| self.executor.fetch(source)),
        )
        .await?;
        let mut outcome = Outcome::default();
        outcome.warnings.extend(note);
        outcome.warnings.extend(unknown_region_warnings(&plan));
        let mut data = Vec::with_capacity(fetched.len());
        for f in fetched {
            outcome.warnings.extend(f.warnings);
            outcome.partial |= f.partial;
            data.push(f.rows);
        }
        let rows: usize = data.iter().map(Vec::len).sum();
        self.set_phase(format!(
            "running the SQL in the engine over {rows} fetched row{}",
            if rows == 1 { "" } else { "s" }
        ));
        outcome.result = Some(self.engine.run(&plan, data).await?);
        Ok(outcome)
    }

    async fn change(&mut self, statement: Written) -> Result<Outcome, Error> {
        if let Some(outcome) = self.change_mappings(&statement).await? {
            return Ok(outcome);
        }
        if self.read_only {
            return Err(Error::Refused(format!(
                "this session is read-only (--read-only or .readonly on): `{}` would change instances; nothing was changed",
                statement_keyword(&statement.statement)
            )));
        }
        let (copy, note) = self
            .planned(|ctx, executor| {
                let known = |p: &str| executor.pool().known_account(p);
                crate::copy::plan(&statement.text, &statement.statement, ctx, &known)
            })
            .await?;
        if let Some(plan) = copy {
            let mut outcome = Box::pin(self.copy(plan)).await?;
            outcome.warnings.splice(0..0, note);
            return Ok(outcome);
        }
        // An INSERT's rows without a region go to the default region.
        let needs_region = |plan: &ContentsPlan| {
            let region = plan.table.resource.field_index(catalog::REGION);
            plan.verb == ContentsVerb::Insert
                && plan.default_region.is_none()
                && !region.is_some_and(|i| plan.columns.contains(&contents::InsertColumn::Field(i)))
        };
        let (plan, note) = self
            .planned_needing(
                |ctx, _| change::plan_change(&statement.text, statement.statement.clone(), ctx),
                needs_region,
            )
            .await?;
        // A DELETE nobody can confirm is refused before any call.
        if plan.verb == ContentsVerb::Delete
            && !self.assume_yes
            && !self.dry_run
            && self.confirm.is_none()
        {
            let text = statement.text.trim().trim_end_matches(';');
            let shown: String = text.chars().take(300).collect();
            return Err(Error::Refused(format!(
                "`{shown}{}` needs --yes in batch mode; nothing was deleted and no call was made (--dry-run shows what it would delete)",
                if shown.len() < text.len() { "…" } else { "" }
            )));
        }
        let mut outcome = self.contents(plan).await?;
        outcome.warnings.splice(0..0, note);
        Ok(outcome)
    }

    /// Any change, of an instance or of its contents: the targets and
    /// their wanted values are read fresh and computed by SQLite, the
    /// difference becomes the calls, a change to more than one item (or any
    /// DELETE) is confirmed, and every call's outcome is shown — or, with
    /// RETURNING, the changed items as read back.
    async fn contents(&mut self, plan: ContentsPlan) -> Result<Outcome, Error> {
        let verb = match plan.verb {
            ContentsVerb::Insert => "INSERT",
            ContentsVerb::Update => "UPDATE",
            ContentsVerb::Delete => "DELETE",
        };
        let what = plan.table.resource.plural.replace('_', " ");
        self.engine.check(&plan.select).await?;
        // What RETURNING asks for is checked before any call.
        if let Some(returning) = &plan.returning {
            self.engine.check(returning).await?;
        }
        let fetched = futures::future::try_join_all(
            plan.select
                .sources
                .iter()
                .map(|source| self.executor.fetch(source)),
        )
        .await?;
        let mut data = Vec::with_capacity(fetched.len());
        // Profiles whose credentials or access failed as a whole: their
        // targets are not changed (said, and the result is partial); the
        // other profiles' targets are. Anything else missing stops all.
        let mut failed_profiles: Vec<(String, String)> = Vec::new();
        for f in fetched {
            if f.partial && (f.partial_within || f.failed_profiles.is_empty()) {
                return Err(Error::Refused(format!(
                    "{verb} could not read its targets whole ({}); nothing was changed",
                    f.warnings.join("; ")
                )));
            }
            for failed in f.failed_profiles {
                if !failed_profiles.contains(&failed) {
                    failed_profiles.push(failed);
                }
            }
            data.push(f.rows);
        }
        let unchanged_profiles: Vec<String> = failed_profiles
            .iter()
            .map(|(p, e)| format!("profile {p}: nothing of it was changed: {e}"))
            .collect();
        let mut outcome =
            Box::pin(self.contents_in(plan, data, verb, what, &unchanged_profiles)).await?;
        if !unchanged_profiles.is_empty() {
            outcome.partial = true;
            outcome.change_failed = true;
            outcome.warnings.extend(unchanged_profiles);
        }
        Ok(outcome)
    }

    /// A change over its targets' rows (`data`, read fresh): resolved,
    /// diffed, confirmed and made. `failed`: profiles already known to be
    /// left out, for the confirmation.
    async fn contents_in(
        &mut self,
        plan: ContentsPlan,
        data: Vec<Vec<crate::executor::Row>>,
        verb: &str,
        what: String,
        failed: &[String],
    ) -> Result<Outcome, Error> {
        let mut answer = self.engine.run(&plan.select, data).await?;
        let selected = answer.rows.len();
        patch_tests_hold(&plan, &answer)?;
        // Items named by name, id or ARN where an ARN is expected, resolved
        // and checked in the row's own instance before any call.
        self.resolve_names(&plan, &mut answer).await?;
        let mut already: Option<String> = None;
        let writes = if plan.verb == ContentsVerb::Insert {
            // The instances the rows name, resolved before any call: one
            // fresh listing per region, matched as every identifier is.
            let mut found = Vec::new();
            let mut listings: Vec<(ApiPlace, Arc<Vec<serde_json::Value>>)> = Vec::new();
            for (region, written) in contents::named_instances(&plan, &answer)? {
                let wanted =
                    ItemRef::parse(catalog::instance_resource(), catalog::INSTANCE_ID, &written)?;
                if !listings.iter().any(|(r, _)| *r == region) {
                    // In the row's own place: its profile's instances.
                    let rc = self.executor.pool().client_at(&region).await;
                    let listing = self
                        .executor
                        .instances(&rc, true)
                        .await
                        .map_err(|e| self.executor.in_its_profile(e, &region))?;
                    listings.push((region.clone(), listing));
                }
                let listing = &listings
                    .iter()
                    .find(|(r, _)| *r == region)
                    .expect("listed")
                    .1;
                let s = |i: &serde_json::Value, k: &str| {
                    i.get(k)
                        .and_then(serde_json::Value::as_str)
                        .map(str::to_string)
                };
                let hit = listing.iter().find(|i| {
                    wanted.matches(
                        s(i, "Id").as_deref(),
                        s(i, "Arn").as_deref(),
                        s(i, "InstanceAlias").as_deref(),
                    )
                });
                if let Some(i) = hit {
                    let (id, arn) = (
                        s(i, "Id").unwrap_or_default(),
                        s(i, "Arn").unwrap_or_default(),
                    );
                    found.push((region, written, id, arn));
                }
            }
            let creates = contents::creates(&plan, &answer, |region, written| {
                found
                    .iter()
                    .find(|(r, w, _, _)| r == region && w == written)
                    .map(|(_, _, id, arn)| (id.clone(), arn.clone()))
            })?;
            // Rows whose item already exists (by name) are not created
            // again: a re-run of an INSERT converges like any change.
            let r = plan.table.resource;
            let named = r
                .field_index(contents::created_key(r))
                .is_some_and(|i| plan.columns.contains(&contents::InsertColumn::Field(i)));
            let existing = if named {
                self.existing_names(&plan, &creates).await?
            } else {
                Vec::new()
            };
            let (exist, new): (Vec<PlannedWrite>, Vec<PlannedWrite>) =
                creates.into_iter().partition(|w| {
                    existing.iter().any(|(place, instance, name)| {
                        *place == w.place
                            && w.item_arn.starts_with(instance.as_str())
                            && name.eq_ignore_ascii_case(&w.item)
                    })
                });
            // Rows, not calls: a create may carry calls on the new item.
            let create_op = r.writes.create.as_ref().map(|c| c.op);
            let rows =
                |list: &[PlannedWrite]| list.iter().filter(|w| Some(w.op) == create_op).count();
            if !exist.is_empty() {
                let names: Vec<&str> = exist
                    .iter()
                    .filter(|w| Some(w.op) == create_op)
                    .map(|w| w.item.as_str())
                    .collect();
                already = Some(format!(
                    "{} of {} rows name {} that already exist{}: not created again",
                    rows(&exist),
                    rows(&exist) + rows(&new),
                    what,
                    if names.len() <= 10 {
                        format!(" ({})", names.join(", "))
                    } else {
                        String::new()
                    }
                ));
            }
            new
        } else {
            contents::writes(&plan, &answer)?
        };
        // Every request checked as it would be sent, before the first is.
        contents::check_writes(&plan, &writes)?;
        if writes.is_empty() {
            // RETURNING still answers the items selected, as they are.
            if let (Some(_), ContentsVerb::Update) = (&plan.returning, plan.verb) {
                let places = targets_of_answer(&plan, &answer);
                return Box::pin(self.returned(&plan, &answer, &places, &[])).await;
            }
            return Ok(Outcome {
                message: Some(if plan.verb == ContentsVerb::Insert {
                    match &already {
                        Some(a) => format!("nothing to create: {a}; no call was made"),
                        None => "INSERT: the source has no rows; nothing was created".to_string(),
                    }
                } else if selected == 0 {
                    format!(
                        "nothing to change: the WHERE clause selects no {what}; no call was made"
                    )
                } else {
                    format!(
                        "nothing to change: {} already as the statement says; no call was made",
                        if selected == 1 {
                            format!(
                                "the one {} selected is",
                                plan.table.resource.singular.replace('_', " ")
                            )
                        } else {
                            format!("the {selected} {what} selected are")
                        }
                    )
                }),
                ..Outcome::default()
            });
        }
        // Each row of an INSERT is a new item (its calls share a marker);
        // other changes count the items they touch.
        let mut items: Vec<String> = writes.iter().map(|w| w.item_arn.clone()).collect();
        items.sort_unstable();
        items.dedup();
        let summary = format!(
            "{verb} makes {} call{} on {} {}{} ({}){}",
            writes.len(),
            if writes.len() == 1 { "" } else { "s" },
            items.len(),
            if items.len() == 1 {
                plan.table.resource.singular.replace('_', " ")
            } else {
                what.clone()
            },
            self.accounts_of(&writes),
            summarize_ops(&writes),
            if failed.is_empty() {
                String::new()
            } else {
                format!(" — {}", failed.join("; "))
            }
        );
        let refusal = format!(
            "{summary} ({}): a change to more than one item, or any DELETE, needs --yes in batch mode; nothing was changed (EXPLAIN shows the calls)",
            named_items(&writes, 10)
        );
        let ask = items.len() > 1 || plan.verb == ContentsVerb::Delete;
        if let Some(answer) = self.dry_run_or_confirm(&writes, &summary, ask, &[], refusal, &[])? {
            return Ok(answer);
        }
        let outcomes = Box::pin(self.executor.run_writes(plan.table, writes)).await;
        let already_said = already.map(|a| format!("{a}."));
        let failed = outcomes
            .iter()
            .filter(|o| matches!(o.result, Some(Err(_))))
            .count();
        let unsent = outcomes.iter().filter(|o| o.result.is_none()).count();
        let mut outcome = match &plan.returning {
            Some(_) => {
                let places = match plan.verb {
                    ContentsVerb::Insert => created_items(plan.table, &outcomes),
                    ContentsVerb::Update => targets_of_answer(&plan, &answer),
                    ContentsVerb::Delete => deleted_items(&outcomes),
                };
                Box::pin(self.returned(&plan, &answer, &places, &outcomes)).await?
            }
            None => Outcome {
                result: Some(run_contents::result_of_run(&outcomes)),
                ..Outcome::default()
            },
        };
        outcome.warnings.extend(already_said);
        // With RETURNING the per-call table is not shown: its failures are.
        let shown = if plan.returning.is_some() {
            ""
        } else {
            " above"
        };
        if plan.returning.is_some() {
            for o in &outcomes {
                if let Some(Err(e)) = &o.result {
                    outcome.warnings.push(format!(
                        "{} · {} ({}): {e}",
                        o.write.item, o.write.property, o.write.op
                    ));
                }
            }
        }
        let stopped = failed == 0;
        outcome.change_failed |= unsent > 0 || failed > 0;
        outcome.warnings.extend(failure_warnings(
            &outcomes,
            stopped,
            "calls on a new item wait for its create, which failed",
            shown,
            "statement",
        ));
        Ok(outcome)
    }

    /// A copy (`UPDATE aws.connect.instance_differences SET target_value =
    /// source_value WHERE …`): both instances read, the selected
    /// differences planned as creates and updates in dependency order,
    /// shown or confirmed like any change, then made wave by wave.
    async fn copy(&mut self, plan: crate::copy::CopyPlan) -> Result<Outcome, Error> {
        self.set_phase("waiting for Connect: both instances' reads".into());
        let prepared =
            crate::copy::prepare(&plan, &self.executor, &self.engine, &self.mappings).await?;
        let mut warnings = prepared.warnings.clone();
        warnings.extend(prepared.notes.iter().cloned());
        let shown = prepared.shown();
        let target = format!("{} ({})", prepared.target.alias, prepared.target.place);
        if shown.is_empty() {
            return Ok(Outcome {
                message: Some(if prepared.selected == 0 {
                    format!(
                        "nothing to copy: the WHERE clause selects no difference; {target} already matches; no write call was made"
                    )
                } else {
                    format!(
                        "nothing to copy: none of the {} difference{} selected can be copied (see above); no write call was made",
                        prepared.selected,
                        if prepared.selected == 1 { "" } else { "s" }
                    )
                }),
                warnings,
                ..Outcome::default()
            });
        }
        let creates = prepared.creates.len();
        let mut items: Vec<String> = shown.iter().map(|w| w.item_arn.clone()).collect();
        items.sort_unstable();
        items.dedup();
        let summary = format!(
            "the copy makes {} call{} on {} item{} of {target}: creates {creates}, changes {} ({})",
            shown.len(),
            if shown.len() == 1 { "" } else { "s" },
            items.len(),
            if items.len() == 1 { "" } else { "s" },
            items.len().saturating_sub(creates),
            summarize_ops(&shown)
        );
        let refusal = format!(
            "{summary}: a change to more than one item needs --yes in batch mode; nothing was changed (--dry-run shows every call)"
        );
        if let Some(answer) = self.dry_run_or_confirm(
            &shown,
            &summary,
            items.len() > 1,
            &prepared.notes,
            refusal,
            &warnings,
        )? {
            return Ok(answer);
        }
        self.set_phase("copying".into());
        let executed = Box::pin(crate::copy::execute(prepared, &self.executor)).await;
        let outcomes = executed.outcomes;
        let failed = outcomes
            .iter()
            .filter(|o| matches!(o.result, Some(Err(_))))
            .count();
        let unsent = outcomes.iter().filter(|o| o.result.is_none()).count();
        let mut outcome = Outcome {
            result: Some(run_contents::result_of_run(&outcomes)),
            warnings,
            ..Outcome::default()
        };
        outcome.change_failed |= unsent > 0 || failed > 0;
        outcome.warnings.extend(failure_warnings(
            &outcomes,
            executed.stopped,
            "calls that name an item whose create failed wait for it",
            " above",
            "copy",
        ));
        Ok(outcome)
    }

    /// Before a change's first call: with `--dry-run`, the planned calls
    /// are the answer; where `ask`, the plan (and `notes`) is shown and
    /// confirmed, or in batch mode without `--yes` refused with `refusal`.
    /// `Some`: the answer instead of the calls; `warnings` go with it.
    fn dry_run_or_confirm(
        &mut self,
        writes: &[PlannedWrite],
        summary: &str,
        ask: bool,
        notes: &[String],
        refusal: String,
        warnings: &[String],
    ) -> Result<Option<Outcome>, Error> {
        if self.dry_run {
            let planned: Vec<run_contents::WriteOutcome> = writes
                .iter()
                .map(|write| run_contents::WriteOutcome {
                    write: write.clone(),
                    result: None,
                })
                .collect();
            let mut warnings = warnings.to_vec();
            warnings.push(format!("dry run: {summary}; no write call was made"));
            return Ok(Some(Outcome {
                result: Some(run_contents::result_set(&planned)),
                warnings,
                ..Outcome::default()
            }));
        }
        if self.assume_yes || !ask {
            return Ok(None);
        }
        let confirmed = match self.confirm.as_mut() {
            // The plan first (EXPLAIN shows every call), then the question.
            Some(confirm) => {
                let mut text = plan_lines(writes, 20);
                for n in notes {
                    text.push_str(&format!("\n{n}"));
                }
                confirm(&format!("{text}\n{summary}. Go ahead?"))
            }
            None => return Err(Error::Refused(refusal)),
        };
        Ok((!confirmed).then(|| Outcome {
            message: Some(format!("{summary}: not confirmed; nothing was changed")),
            warnings: warnings.to_vec(),
            ..Outcome::default()
        }))
    }

    /// INSERT INTO / DELETE FROM `aws.connect.copy_mappings`: the session's
    /// table of what a copy uses for a source value it cannot map. `None`:
    /// the statement is about another table.
    async fn change_mappings(&mut self, statement: &Written) -> Result<Option<Outcome>, Error> {
        let Some(change) = crate::copy::mappings_change(&statement.text, &statement.statement)?
        else {
            return Ok(None);
        };
        let mut warnings = Vec::new();
        let answer = match change.verb {
            crate::copy::MappingVerb::Insert => {
                // Its rows may come from the mapping table itself.
                let mappings = self.mappings.clone();
                let (plan, _) = self
                    .planned(|ctx, _| {
                        let statement = sql::parse_one(&change.query)?;
                        match crate::copy::mappings_select(
                            &change.query,
                            &statement,
                            ctx,
                            &mappings,
                        )? {
                            Some(plan) => Ok(plan),
                            None => planner::plan_query(&change.query, statement, ctx),
                        }
                    })
                    .await?;
                // Its rows as any SELECT's: a source read in part sets none.
                let selected = self.select_planned(plan, None).await?;
                if selected.partial {
                    return Err(Error::Refused(format!(
                        "the rows for {} were not read whole ({}); no mapping was set",
                        crate::copy::MAPPINGS_TABLE,
                        selected.warnings.join("; ")
                    )));
                }
                warnings = selected.warnings;
                selected.result.unwrap_or_default()
            }
            crate::copy::MappingVerb::Delete => {
                let query = crate::copy::mappings_query(&change.query, &self.mappings)?;
                self.engine.run(&query, Vec::new()).await?
            }
        };
        let message = match change.verb {
            crate::copy::MappingVerb::Insert => {
                if answer.columns.len() != 2 {
                    return Err(Error::InvalidParam {
                        param: "VALUES".into(),
                        message: format!(
                            "{} takes two columns (source, target), got {}",
                            crate::copy::MAPPINGS_TABLE,
                            answer.columns.len()
                        ),
                    });
                }
                let mut added = 0;
                for row in &answer.rows {
                    let text = |v: &serde_json::Value| match v {
                        serde_json::Value::String(s) => Some(s.clone()),
                        serde_json::Value::Null => None,
                        other => Some(other.to_string()),
                    };
                    let (Some(source), Some(target)) = (text(&row[0]), text(&row[1])) else {
                        return Err(Error::InvalidParam {
                            param: "source".into(),
                            message: "a mapping's source and target are not NULL".into(),
                        });
                    };
                    let (source, target) = if change.swapped {
                        (target, source)
                    } else {
                        (source, target)
                    };
                    self.mappings.retain(|(s, _)| *s != source);
                    self.mappings.push((source, target));
                    added += 1;
                }
                format!(
                    "{added} mapping{} set ({} in all); a copy uses them for the values it cannot map",
                    if added == 1 { "" } else { "s" },
                    self.mappings.len()
                )
            }
            crate::copy::MappingVerb::Delete => {
                let gone: Vec<String> = answer
                    .rows
                    .iter()
                    .filter_map(|r| r.first().and_then(|v| v.as_str()).map(str::to_string))
                    .collect();
                let before = self.mappings.len();
                self.mappings.retain(|(s, _)| !gone.contains(s));
                format!(
                    "{} mapping{} removed ({} left)",
                    before - self.mappings.len(),
                    if before - self.mappings.len() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    self.mappings.len()
                )
            }
        };
        Ok(Some(Outcome {
            message: Some(message),
            warnings,
            ..Outcome::default()
        }))
    }

    /// The mappings as rows of `aws.connect.copy_mappings`.
    pub fn mappings(&self) -> &[(String, String)] {
        &self.mappings
    }

    /// ` in 2 accounts: demo-dev (111111111111), demo-prod (…)` when a
    /// change's targets span profiles; empty when they are in one.
    fn accounts_of(&self, writes: &[PlannedWrite]) -> String {
        let mut profiles: Vec<&str> = Vec::new();
        for w in writes {
            if let Some(p) = w.place.profile.as_deref() {
                if !profiles.contains(&p) {
                    profiles.push(p);
                }
            }
        }
        if profiles.len() < 2 {
            return String::new();
        }
        let pool = self.executor.pool();
        let named: Vec<String> = profiles
            .iter()
            .map(|p| match pool.known_account(p) {
                Some(a) => format!("{p} ({a})"),
                None => p.to_string(),
            })
            .collect();
        format!(" in {} accounts: {}", profiles.len(), named.join(", "))
    }

    /// RETURNING: the changed items' rows — read back fresh through
    /// Describe, retried a few times for an item not found yet (Search is
    /// eventually consistent, a new item may take a moment to appear), or
    /// for DELETE as they were — with the RETURNING items evaluated over
    /// them by SQLite.
    async fn returned(
        &mut self,
        plan: &ContentsPlan,
        answer: &crate::engine::ResultSet,
        places: &[Changed],
        outcomes: &[run_contents::WriteOutcome],
    ) -> Result<Outcome, Error> {
        let returning = plan.returning.as_ref().expect("called with RETURNING");
        let r = plan.table.resource;
        let mut outcome = Outcome::default();
        let rows: Vec<Vec<serde_json::Value>> = if plan.verb == ContentsVerb::Delete {
            // The rows as they were, of the items whose delete was applied.
            let at = |name: &str| answer.columns.iter().position(|c| c.name == name);
            let arn_at = r.arn_field.and_then(at);
            let deleted: Vec<&str> = outcomes
                .iter()
                .filter(|o| matches!(o.result, Some(Ok(_))))
                .map(|o| o.write.item_arn.as_str())
                .collect();
            answer
                .rows
                .iter()
                .filter(|row| {
                    arn_at
                        .and_then(|i| row[i].as_str())
                        .is_some_and(|arn| deleted.contains(&arn))
                })
                .map(|row| {
                    r.fields
                        .iter()
                        .map(|f| at(f.name).map(|i| row[i].clone()).unwrap_or_default())
                        .collect()
                })
                .collect()
        } else {
            let (rows, missing) = Box::pin(self.read_back(plan.table, places)).await?;
            if !missing.is_empty() {
                outcome.partial = true;
                outcome.warnings.push(format!(
                    "RETURNING: {} not found when read back after {READ_BACK_TRIES} reads (Connect's search is eventually consistent); {} missing",
                    missing.join(", "),
                    if missing.len() == 1 { "its row is" } else { "their rows are" }
                ));
            }
            rows
        };
        outcome.result = Some(self.engine.run(returning, vec![rows]).await?);
        Ok(outcome)
    }

    /// The changed items read fresh by identifier (Describe), grouped by
    /// region and instance; an item not found is read again, a bounded
    /// number of times. Answers the rows in field order and the ARNs never
    /// found.
    async fn read_back(
        &mut self,
        t: &'static catalog::Table,
        places: &[Changed],
    ) -> Result<(Vec<Vec<serde_json::Value>>, Vec<String>), Error> {
        let r = t.resource;
        let singular = catalog::TABLES
            .iter()
            .find(|o| std::ptr::eq(o.resource, r) && !o.id.ends_with(r.plural))
            .unwrap_or(t);
        let mut groups: Vec<(ApiPlace, String, Vec<String>)> = Vec::new();
        for p in places {
            match groups
                .iter_mut()
                .find(|(place, instance, _)| *place == p.place && *instance == p.instance)
            {
                Some((_, _, arns)) => arns.push(p.arn.clone()),
                None => groups.push((p.place.clone(), p.instance.clone(), vec![p.arn.clone()])),
            }
        }
        let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
        let mut rows = Vec::new();
        let mut missing = Vec::new();
        for (place, instance, mut arns) in groups {
            let mut delay = Duration::from_millis(250);
            for attempt in 1..=READ_BACK_TRIES {
                let mut text = format!(
                    "SELECT * FROM {} WHERE {}",
                    singular.id,
                    place_clause(&place)
                );
                if !instance.is_empty() {
                    text.push_str(&format!(" AND data__InstanceId = {}", quote(&instance)));
                }
                text.push_str(&format!(
                    " AND data__Identifier IN ({})",
                    arns.iter().map(|a| quote(a)).collect::<Vec<_>>().join(", ")
                ));
                // An item not found yet fails or leaves the read partial: read again.
                let found = match self.read_whole(&text).await {
                    Ok(found) => found,
                    Err(_) if attempt < READ_BACK_TRIES => {
                        tokio::time::sleep(delay).await;
                        delay *= 2;
                        continue;
                    }
                    // The change is made: what could not be read is said,
                    // not turned into an error.
                    Err(_) => break,
                };
                let arn_at = r
                    .arn_field
                    .and_then(|a| found.columns.iter().position(|c| c.name == a));
                for row in found.rows {
                    let arn = arn_at
                        .and_then(|i| row[i].as_str())
                        .unwrap_or_default()
                        .to_string();
                    arns.retain(|a| *a != arn);
                    rows.push(
                        r.fields
                            .iter()
                            .map(|f| {
                                found
                                    .columns
                                    .iter()
                                    .position(|c| c.name == f.name)
                                    .map(|i| row[i].clone())
                                    .unwrap_or_default()
                            })
                            .collect(),
                    );
                }
                if arns.is_empty() {
                    break;
                }
                if attempt < READ_BACK_TRIES {
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                }
            }
            missing.extend(arns);
        }
        Ok((rows, missing))
    }

    /// A change's own read (connectql's text, not the user's): planned,
    /// read fresh and run; a partial answer is refused, since a change must
    /// not rest on missing rows.
    async fn read_whole(&mut self, text: &str) -> Result<crate::engine::ResultSet, Error> {
        let statement = sql::parse_one(text)?;
        let ctx = self.plan_context().await;
        let mut select = planner::plan_query(text, statement, &ctx)?;
        for s in &mut select.sources {
            s.fresh = true;
        }
        let fetched =
            futures::future::try_join_all(select.sources.iter().map(|s| self.executor.fetch(s)))
                .await?;
        let mut data = Vec::with_capacity(fetched.len());
        for f in fetched {
            if f.partial {
                return Err(Error::Refused(format!(
                    "a read the change needs is partial: {}",
                    f.warnings.join("; ")
                )));
            }
            data.push(f.rows);
        }
        self.engine.run(&select, data).await
    }

    /// Resolves names written where a field holds another item's ARN
    /// (`SET routing_profile_arn = 'Tier 2 Agents'`), reading each
    /// referenced table once per instance.
    async fn resolve_names(
        &mut self,
        plan: &ContentsPlan,
        answer: &mut crate::engine::ResultSet,
    ) -> Result<(), Error> {
        let references = contents::names_to_resolve(plan, answer)?;
        // (place, instance, resource) → its items as (id, ARN, name).
        type Items = Vec<(String, String, String)>;
        let mut known: Vec<(ApiPlace, String, &'static str, Items)> = Vec::new();
        for reference in &references {
            let r = reference.resource;
            let loaded = known.iter().any(|(region, instance, singular, _)| {
                *region == reference.place
                    && *instance == reference.instance
                    && *singular == r.singular
            });
            if !loaded {
                let text = format!(
                    "SELECT \"{}\", \"{}\", \"{}\" FROM aws.connect.{} WHERE {} AND data__InstanceId = '{}'",
                    r.id_field,
                    r.arn_field.unwrap_or(r.id_field),
                    r.name_field,
                    r.plural,
                    place_clause(&reference.place),
                    reference.instance.replace('\'', "''")
                );
                let rows = self.read_whole(&text).await?;
                let items = rows
                    .rows
                    .iter()
                    .map(|row| {
                        let text = |i: usize| row[i].as_str().unwrap_or_default().to_string();
                        (text(0), text(1), text(2))
                    })
                    .collect();
                known.push((
                    reference.place.clone(),
                    reference.instance.clone(),
                    r.singular,
                    items,
                ));
            }
            let items = &known
                .iter()
                .find(|(region, instance, singular, _)| {
                    *region == reference.place
                        && *instance == reference.instance
                        && *singular == r.singular
                })
                .expect("loaded above")
                .3;
            contents::substitute(answer, reference, items)?;
        }
        Ok(())
    }

    /// The names of the items that exist where an INSERT creates: (place,
    /// instance ARN, name), read fresh.
    async fn existing_names(
        &mut self,
        plan: &ContentsPlan,
        creates: &[PlannedWrite],
    ) -> Result<Vec<(ApiPlace, String, String)>, Error> {
        let r = plan.table.resource;
        let mut places: Vec<(ApiPlace, String)> = creates
            .iter()
            .map(|w| {
                let instance = w.item_arn.split(contents::NEW).next().unwrap_or_default();
                (w.place.clone(), instance.trim_end_matches('/').to_string())
            })
            .collect();
        places.sort();
        places.dedup();
        let mut out = Vec::new();
        for (place, instance) in places {
            let region = &place.region;
            let mut text = format!(
                "SELECT \"{}\" FROM aws.connect.{} WHERE {}",
                contents::created_key(r),
                r.plural,
                place_clause(&place),
            );
            // An item of an instance's contents, or an instance (its region).
            if !instance.is_empty() {
                text.push_str(&format!(
                    " AND data__InstanceId = '{}'",
                    instance.replace('\'', "''")
                ));
            }
            let names =
                self.read_whole(&text).await.map_err(|e| {
                    Error::Refused(format!(
                    "INSERT could not read which {} already exist in {} ({e}); nothing was created",
                    r.plural.replace('_', " "),
                    if instance.is_empty() { region } else { &instance }
                ))
                })?;
            for row in names.rows {
                if let Some(name) = row.first().and_then(serde_json::Value::as_str) {
                    out.push((place.clone(), instance.clone(), name.to_string()));
                }
            }
        }
        Ok(out)
    }
}

/// How many times RETURNING reads an item that is not found yet.
const READ_BACK_TRIES: u32 = 4;

/// A changed item, for RETURNING's read-back: its place (profile and
/// region), its instance's ARN (empty for an instance) and its ARN.
#[derive(Debug, Clone)]
struct Changed {
    place: ApiPlace,
    instance: String,
    arn: String,
}

/// The WHERE clause of a change's own read in one place: its region, and
/// its profile when the statement chose one (read with its credentials).
fn place_clause(place: &ApiPlace) -> String {
    let quote = |s: &str| s.replace('\'', "''");
    match &place.profile {
        Some(p) => format!(
            "region = '{}' AND {} = '{}'",
            quote(&place.region),
            catalog::PROFILE,
            quote(p)
        ),
        None => format!("region = '{}'", quote(&place.region)),
    }
}

/// The items an UPDATE's WHERE clause selected.
fn targets_of_answer(plan: &ContentsPlan, answer: &crate::engine::ResultSet) -> Vec<Changed> {
    let r = plan.table.resource;
    // Read back with the row's profile when the statement chose profiles.
    let profiles = plan
        .select
        .sources
        .iter()
        .any(|s| std::ptr::eq(s.resource, r) && !s.targets.profiles.is_empty());
    let at = |name: &str| answer.columns.iter().position(|c| c.name == name);
    let text = |row: &[serde_json::Value], name: &str| {
        at(name)
            .and_then(|i| row[i].as_str())
            .unwrap_or_default()
            .to_string()
    };
    answer
        .rows
        .iter()
        .map(|row| Changed {
            place: ApiPlace::new(
                profiles
                    .then(|| text(row, crate::catalog::PROFILE))
                    .as_deref()
                    .filter(|p| !p.is_empty()),
                &text(row, crate::catalog::REGION),
            ),
            instance: text(row, crate::catalog::INSTANCE_ARN),
            arn: text(row, r.arn_field.unwrap_or(r.id_field)),
        })
        .collect()
}

/// The items an INSERT created, from its creates' answers.
fn created_items(t: &catalog::Table, outcomes: &[run_contents::WriteOutcome]) -> Vec<Changed> {
    let create = t.resource.writes.create.as_ref().map(|c| c.op);
    outcomes
        .iter()
        .filter(|o| Some(o.write.op) == create)
        .filter_map(|o| {
            let answer = o.result.as_ref()?.as_ref().ok()?;
            let (_, arn) = run_contents::created_identity(answer)?;
            let instance = o
                .write
                .item_arn
                .split(contents::NEW)
                .next()
                .unwrap_or_default();
            Some(Changed {
                place: o.write.place.clone(),
                instance: instance.trim_end_matches('/').to_string(),
                arn,
            })
        })
        .collect()
}

/// The items a DELETE deleted.
fn deleted_items(outcomes: &[run_contents::WriteOutcome]) -> Vec<Changed> {
    outcomes
        .iter()
        .filter(|o| matches!(o.result, Some(Ok(_))))
        .map(|o| Changed {
            place: o.write.place.clone(),
            instance: String::new(),
            arn: o.write.item_arn.clone(),
        })
        .collect()
}

/// A patch's `test` operations must hold on every target, or nothing is
/// changed.
fn patch_tests_hold(plan: &ContentsPlan, answer: &crate::engine::ResultSet) -> Result<(), Error> {
    let r = plan.table.resource;
    for (i, (_, what)) in plan.tests.iter().enumerate() {
        let Some(at) = answer
            .columns
            .iter()
            .position(|c| c.name == contents::test_column(i))
        else {
            continue;
        };
        let name_at = answer.columns.iter().position(|c| c.name == r.name_field);
        for row in &answer.rows {
            let holds = match &row[at] {
                serde_json::Value::Bool(b) => *b,
                serde_json::Value::Number(n) => n.as_i64() == Some(1),
                _ => false,
            };
            if !holds {
                let item = name_at
                    .and_then(|n| row[n].as_str())
                    .unwrap_or("an item selected");
                return Err(Error::Refused(format!(
                    "the patch's test fails on {item}: {what} does not hold; nothing was changed"
                )));
            }
        }
    }
    Ok(())
}

/// What a change's calls that were not made or failed mean, and that
/// running the `statement` again makes only the calls still needed.
/// `waiting`: why calls were not sent when nobody stopped them; `shown`:
/// where the per-call statuses are.
fn failure_warnings(
    outcomes: &[run_contents::WriteOutcome],
    stopped: bool,
    waiting: &str,
    shown: &str,
    statement: &str,
) -> Vec<String> {
    let failed = outcomes
        .iter()
        .filter(|o| matches!(o.result, Some(Err(_))))
        .count();
    let unsent = outcomes.iter().filter(|o| o.result.is_none()).count();
    let mut out = Vec::new();
    if unsent > 0 {
        out.push(format!(
            "{}{} of {} calls were made, {unsent} not sent (status 'not sent'{shown}). \
             Running the {statement} again makes only the calls still needed.",
            if stopped {
                "stopped (Ctrl-C): ".to_string()
            } else {
                format!("{waiting}: ")
            },
            outcomes.len() - unsent,
            outcomes.len()
        ));
    }
    if failed > 0 {
        out.push(format!(
            "{failed} of {} calls failed (status 'failed'{shown}){}. \
             Running the {statement} again makes only the calls still needed.",
            outcomes.len(),
            if failed < outcomes.len() {
                "; the others were applied"
            } else {
                ""
            }
        ));
    }
    out
}

/// The items of a change, named: `gamma in us-east-1, …`.
fn named_items(writes: &[PlannedWrite], max: usize) -> String {
    let mut names: Vec<String> = Vec::new();
    for w in writes {
        let n = format!("{} in {}", w.item, w.place);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let more = names.len().saturating_sub(max);
    names.truncate(max);
    if more > 0 {
        names.push(format!("and {more} more"));
    }
    names.join(", ")
}

/// The operations of a change, counted: `UpdateUserRoutingProfile ×40`.
fn summarize_ops(writes: &[PlannedWrite]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for w in writes {
        match counts.iter_mut().find(|(op, _)| *op == w.op.name()) {
            Some((_, n)) => *n += 1,
            None => counts.push((w.op.name(), 1)),
        }
    }
    counts
        .iter()
        .map(|(op, n)| format!("{op} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A change's plan as short lines, at most `max` of them, each fitting the
/// terminal the question is asked on (80 columns when unknown).
fn plan_lines(writes: &[PlannedWrite], max: usize) -> String {
    let width = console::Term::stderr()
        .size_checked()
        .map_or(80, |(_, c)| usize::from(c));
    plan_lines_at(writes, max, width)
}

/// `  item · property: before → after (Operation)` within `width`
/// columns: item and property whole, an ARN as its last part, before and
/// after cut with `…`, the operation left out when there is no room.
fn plan_lines_at(writes: &[PlannedWrite], max: usize, width: usize) -> String {
    use crate::output::fitting::{cut, width as w};
    // An ARN as its last part; a list as its members, each so.
    fn short(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::String(s) => s.rsplit('/').next().unwrap_or(s).to_string(),
            serde_json::Value::Array(items) => format!(
                "[{}]",
                items.iter().map(short).collect::<Vec<_>>().join(", ")
            ),
            other => other.to_string(),
        }
    }
    // Room for before and after together below which the operation goes.
    const VALUES: usize = 24;
    // Targets in several profiles: each line names its item's profile.
    let spans = writes
        .iter()
        .any(|x| x.place.profile.is_some() && x.place.profile != writes[0].place.profile);
    let mut lines: Vec<String> = writes
        .iter()
        .take(max)
        .map(|x| {
            let (before, after) = (short(&x.before), short(&x.after));
            let head = match (&x.place.profile, spans) {
                (Some(p), true) => format!("  {} [{p}] · {}: ", x.item, x.property),
                _ => format!("  {} · {}: ", x.item, x.property),
            };
            let op = format!(" ({})", x.op);
            let arrow = " → ";
            let fixed = w(&head) + w(arrow);
            let room = |op: &str| width.saturating_sub(fixed + w(op));
            let op = if room(&op) >= VALUES.min(w(&before) + w(&after)) {
                op
            } else {
                String::new()
            };
            let room = room(&op).max(8);
            // The shorter value whole when it takes at most half the room.
            let (b, a) = (w(&before), w(&after));
            let (bw, aw) = if b + a <= room {
                (b, a)
            } else if b <= room / 2 {
                (b, room - b)
            } else if a <= room / 2 {
                (room - a, a)
            } else {
                (room / 2, room - room / 2)
            };
            // Cut where they still agree, the two would read alike: both
            // start a little before the first difference instead.
            let same = before
                .chars()
                .zip(after.chars())
                .take_while(|(x, y)| x == y)
                .count();
            let (before, after) = if (b > bw || a > aw) && same > 4 && same + 1 >= bw.min(aw) {
                let from = |v: &str| format!("…{}", v.chars().skip(same - 4).collect::<String>());
                (from(&before), from(&after))
            } else {
                (before, after)
            };
            format!("{head}{}{arrow}{}{op}", cut(&before, bw), cut(&after, aw))
        })
        .collect();
    if writes.len() > max {
        lines.push(format!("  … and {} more calls", writes.len() - max));
    }
    lines.join("\n")
}

#[cfg(test)]
mod plan_lines_tests {
    use super::*;
    use crate::output::fitting::width;
    use serde_json::json;

    fn write(
        item: &str,
        property: &str,
        before: serde_json::Value,
        after: serde_json::Value,
    ) -> PlannedWrite {
        PlannedWrite {
            place: ApiPlace::new(None, "us-east-1"),
            item: item.into(),
            item_arn: String::new(),
            property: property.into(),
            before,
            after,
            op: catalog::Op::UpdateUserSecurityProfiles,
            input: json!({}),
        }
    }

    #[test]
    fn plan_lines_read_at_80_columns() {
        let arn = |id: &str| {
            format!("arn:aws:connect:us-east-1:123456789012:instance/3f1c2b7e-1111-4a2b-9c3d-5e6f7a8b9c0d/security-profile/{id}")
        };
        let writes = vec![
            write(
                "abigail.thompson",
                "security_profile_arns",
                json!([arn("4d6a8e10-aaaa-4bbb-8ccc-0123456789ab")]),
                json!([arn("agent-profile-0001"), arn("admin-profile-0002")]),
            ),
            write("Billing", "max_contacts", json!(20), json!(7)),
        ];
        let text = plan_lines_at(&writes, 20, 80);
        let lines: Vec<&str> = text.lines().collect();
        for l in &lines {
            assert!(width(l) <= 80, "{l:?}");
        }
        assert!(
            lines[0].starts_with("  abigail.thompson · security_profile_arns: ["),
            "{text}"
        );
        assert!(
            lines[0].contains('…') && lines[0].contains(" → ["),
            "{text}"
        );
        assert_eq!(
            lines[1],
            "  Billing · max_contacts: 20 → 7 (UpdateUserSecurityProfiles)"
        );
        // Wide enough: every value whole, the ARNs as their last part.
        let wide = plan_lines_at(&writes, 20, 200);
        assert!(
            wide.contains("[4d6a8e10-aaaa-4bbb-8ccc-0123456789ab] → [agent-profile-0001, admin-profile-0002] ("),
            "{wide}"
        );
        assert!(plan_lines_at(&writes, 1, 80).ends_with("  … and 1 more calls"));
    }

    #[test]
    fn plan_lines_name_the_profile_when_targets_span_several() {
        let mut dev = write("Billing", "description", json!("a"), json!("b"));
        dev.place = ApiPlace::new(Some("demo-dev"), "us-east-1");
        let mut prod = dev.clone();
        prod.place = ApiPlace::new(Some("demo-prod"), "us-east-1");
        let text = plan_lines_at(&[dev.clone(), prod], 20, 120);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("  Billing [demo-dev] · description: "),
            "{text}"
        );
        assert!(
            lines[1].starts_with("  Billing [demo-prod] · description: "),
            "{text}"
        );
        // One profile: nothing to tell apart.
        let text = plan_lines_at(&[dev.clone(), dev], 20, 120);
        assert!(!text.contains("[demo-dev]"), "{text}");
    }
}

/// A well-formed region where Connect is not offered answers with nothing
/// (or fails) depending on the endpoint: say so, so a typo such as
/// `us-eats-1` never passes for "no instances".
fn unknown_region_warnings(plan: &SelectPlan) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for region in plan.sources.iter().flat_map(|s| &s.targets.regions) {
        if catalog::CONNECT_REGIONS.contains(&region.as_str()) {
            continue;
        }
        let hint = catalog::suggest(region, catalog::CONNECT_REGIONS.iter().copied())
            .map(|s| format!(" (did you mean '{s}'?)"))
            .unwrap_or_default();
        let w = format!("'{region}' is not a region where Amazon Connect is offered{hint}");
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// One piece of input, classified once: what kind of statement it is,
/// parsed, so that it is dispatched once.
#[derive(Debug)]
pub enum Parsed {
    /// A meta-command line (`.mode json`, `\q`), run by the shell.
    Meta(String),
    /// SELECT (and WITH ... SELECT, VALUES).
    Query(Written),
    /// INSERT, UPDATE or DELETE.
    Change(Written),
    /// SHOW and DESCRIBE, answered from the catalog.
    Introspect(introspection::Introspection),
    /// EXPLAIN of any statement: the calls it would make.
    Explain(Written),
}

/// A statement with the text it was written as: the engine runs that text
/// (with connectql's table references and params replaced), never a
/// re-rendering of the tree.
#[derive(Debug)]
pub struct Written {
    pub text: String,
    pub statement: Statement,
}

/// True when `text` is a meta-command (starts with `.` or `\`).
pub fn is_meta(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('.') || t.starts_with('\\')
}

/// Classifies one statement or meta-command: a meta-command by its first
/// character, SHOW/DESCRIBE by their words, everything else by one parse.
pub fn classify(text: &str) -> Result<Parsed, Error> {
    if is_meta(text) {
        return Ok(Parsed::Meta(text.trim().to_string()));
    }
    if let Some(i) = introspection::parse(text) {
        return Ok(Parsed::Introspect(i?));
    }
    match sql::parse_one(text)? {
        statement @ Statement::Query(_) => Ok(Parsed::Query(Written {
            text: text.to_string(),
            statement,
        })),
        statement @ (Statement::Insert(_) | Statement::Update { .. } | Statement::Delete(_)) => {
            Ok(Parsed::Change(Written {
                text: text.to_string(),
                statement,
            }))
        }
        Statement::Explain {
            analyze, statement, ..
        } => {
            if analyze {
                return Err(Error::Unsupported(
                    "EXPLAIN ANALYZE; EXPLAIN lists the calls a statement would make without making them"
                        .into(),
                ));
            }
            Ok(Parsed::Explain(Written {
                text: text.to_string(),
                statement: *statement,
            }))
        }
        other => Err(Error::Unsupported(format!(
            "`{}` statements; connectql runs SELECT, INSERT, UPDATE, DELETE, SHOW, DESCRIBE and EXPLAIN",
            statement_keyword(&other)
        ))),
    }
}

/// The first word of a statement, for messages.
fn statement_keyword(s: &Statement) -> String {
    s.to_string()
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase()
}
