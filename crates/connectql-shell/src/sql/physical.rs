//! The physical plan: the steps a source's reads run, compiled once from
//! its [`CallPlan`] and [`Targets`], then read twice — by the executor,
//! which runs exactly these steps, and by EXPLAIN, which prints them. Neither
//! decides anything of its own about which calls happen, so what EXPLAIN
//! shows cannot drift from what runs (`tests/explain_calls.rs` counts the
//! calls the endpoint answered against EXPLAIN's list for every example).
//!
//! Steps are per place (a profile, or the session's credentials, in a
//! region): each place has its own, and a place gets none when the
//! statement names instances or items by ARNs of other regions or accounts
//! (an ARN names its account as it names its region). Each step says what
//! it waits for (its `stage`: the steps of a stage start together once the
//! previous stage has given them their inputs) and how often it runs: once,
//! once per instance, once per item named by the statement, or once per
//! item as the listing's pages arrive.
//!
//! [`Targets`]: crate::sql::resolve::Targets

use std::collections::BTreeMap;

use crate::catalog::{Call, Criteria, ListOver, Op, ResourceType, Scope, Source};
use crate::connect_api::Place;
use crate::sql::calls::{Base, CallPlan};
use crate::sql::pushdown::{Predicate, Test};
use crate::sql::resolve::{ItemRef, Targets};

/// What a step does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// ListInstances (all pages): every ACTIVE instance of the place, or
    /// the instances the statement names by alias or id, resolved. Also
    /// runs for instances named by ARN in a place whose account is not
    /// known when planned: its listing says which of them it holds, so an
    /// ARN of another account is never sent there.
    FindInstances { named: Vec<ItemRef> },
    /// One Describe per item the statement names by ARN or id.
    DescribeNamed { ids: Vec<ItemRef> },
    /// Every page of the List or Search operation, per instance; Search
    /// with the pushed-down criteria; a List that takes an enum value per
    /// call once per value. `prefilter` is checked on each item before its
    /// per-item calls.
    Listing {
        call: Call,
        criteria: Option<Criteria>,
        variants: Vec<&'static str>,
        prefilter: Vec<Predicate>,
    },
    /// A List joined by id, for fields only List returns.
    Supplement,
    /// An instance-level listing joined to the rows (`fields`).
    Joined { fields: Vec<usize> },
    /// A Describe per item left after filtering.
    DescribeEach,
    /// A sub-listing per item for `field`. `early`: keyed by an id the
    /// statement names, so it runs alongside that item's Describe.
    SubListing { field: usize, early: bool },
}

/// How often a step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runs {
    Once,
    PerInstance,
    PerNamedItem,
    /// As the listing's pages arrive, bounded by the executor's concurrency.
    PerItem,
}

/// One step of a source's reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// 1-based; a step starts when the steps of earlier stages that feed
    /// it have given their answers (per item: as soon as that item's page
    /// is in).
    pub stage: usize,
    pub place: Place,
    /// The account the place's profile reaches, when known as planned
    /// (its config, or an ARN it has read): ARNs of other accounts are not
    /// read there. `None`: not known, or the session's credentials.
    pub account: Option<String>,
    pub op: Op,
    pub action: Action,
    pub runs: Runs,
}

/// The steps of one source in one place, for the executor's questions.
#[derive(Debug, Clone, Copy)]
pub struct PlaceSteps<'a> {
    steps: &'a [Step],
    place: &'a Place,
}

impl<'a> PlaceSteps<'a> {
    pub fn new(steps: &'a [Step], place: &'a Place) -> Self {
        PlaceSteps { steps, place }
    }
    fn iter(&self) -> impl Iterator<Item = &'a Step> + 'a {
        let place = self.place;
        self.steps.iter().filter(move |s| s.place == *place)
    }
    /// Whether the place has any step (a place none of whose named
    /// instances or items can be there has none, and is not read).
    pub fn any(&self) -> bool {
        self.iter().next().is_some()
    }
    /// The account the place reaches, as planned.
    pub fn account(&self) -> Option<&'a str> {
        self.iter().next().and_then(|s| s.account.as_deref())
    }
    /// True when instances named by ARN are resolved through the place's
    /// listing, not taken as written: its account was not known.
    pub fn arns_by_listing(&self) -> bool {
        self.place.profile.is_some() && self.account().is_none()
    }
    /// The instances the statement names that can be in the place.
    pub fn instances(&self, targets: &Targets) -> Vec<ItemRef> {
        targets.instances_at(self.place, self.account())
    }
    /// The items a Describe base reads in the place.
    pub fn named_items(&self) -> &'a [ItemRef] {
        match self.base().map(|s| &s.action) {
            Some(Action::DescribeNamed { ids }) => ids,
            _ => &[],
        }
    }
    /// The instance lookup, when the place's instances must be listed.
    pub fn finds_instances(&self) -> bool {
        self.iter()
            .any(|s| matches!(s.action, Action::FindInstances { .. }))
    }
    /// The base step: a Describe per named item or the listing.
    pub fn base(&self) -> Option<&'a Step> {
        self.iter().find(|s| {
            matches!(
                s.action,
                Action::DescribeNamed { .. } | Action::Listing { .. }
            )
        })
    }
    /// The call the base step makes (List, Search or Describe).
    pub fn base_call(&self) -> Call {
        match self.base().map(|s| &s.action) {
            Some(Action::DescribeNamed { .. }) => Call::Describe,
            Some(Action::Listing { call, .. }) => *call,
            _ => Call::List,
        }
    }
    /// Predicates checked on the base's items before per-item calls.
    pub fn prefilter(&self) -> &'a [Predicate] {
        match self.base().map(|s| &s.action) {
            Some(Action::Listing { prefilter, .. }) => prefilter,
            _ => &[],
        }
    }
    pub fn supplement(&self) -> Option<Op> {
        self.iter()
            .find(|s| s.action == Action::Supplement)
            .map(|s| s.op)
    }
    /// The instance-level listings joined to the rows, with their fields.
    pub fn joined(&self) -> impl Iterator<Item = (Op, &'a [usize])> + 'a {
        self.iter().filter_map(|s| match &s.action {
            Action::Joined { fields } => Some((s.op, fields.as_slice())),
            _ => None,
        })
    }
    pub fn describe_each(&self) -> Option<Op> {
        self.iter()
            .find(|s| s.action == Action::DescribeEach)
            .map(|s| s.op)
    }
    /// The per-item sub-listings: (field, operation, early).
    pub fn sub_listings(&self) -> impl Iterator<Item = (usize, Op, bool)> + 'a {
        self.iter().filter_map(|s| match s.action {
            Action::SubListing { field, early } => Some((field, s.op, early)),
            _ => None,
        })
    }
}

/// Compiles a source's reads into steps, place by place. `aliases`: the
/// rows show their instance's alias, which only the instances' listing
/// says. `accounts`: the account of each profile, where known when
/// planning. A source whose predicates contradict each other has none; so
/// has a place that can hold none of the instances or items the statement
/// names.
pub fn compile(
    resource: &ResourceType,
    targets: &Targets,
    predicates: &[Predicate],
    plan: &CallPlan,
    aliases: bool,
    accounts: &BTreeMap<String, String>,
) -> Vec<Step> {
    let mut steps = Vec::new();
    if targets.empty.is_some() {
        return steps;
    }
    for place in targets.places() {
        let account = place
            .profile
            .as_ref()
            .and_then(|p| accounts.get(p))
            .cloned();
        if targets.reads_nothing_at(&place, account.as_deref()) {
            continue;
        }
        // Where the account is unknown, ARNs are checked against the
        // place's instance listing rather than sent as written.
        let unknown_account = place.profile.is_some() && account.is_none();
        let mut stage = 1;
        let mut per = Runs::Once;
        let step = |stage: usize, op: Op, action: Action, runs: Runs| Step {
            stage,
            place: place.clone(),
            account: account.clone(),
            op,
            action,
            runs,
        };
        let ids = targets.identifiers_at(&place, account.as_deref());
        if resource.scope == Scope::Instance {
            let named = targets.instances_at(&place, account.as_deref());
            // Instances named by ARN need no lookup, unless for their
            // aliases or to learn the account.
            let all_arns =
                !named.is_empty() && named.iter().all(|i| matches!(i, ItemRef::Arn { .. }));
            if !all_arns || unknown_account || aliases {
                steps.push(step(
                    stage,
                    Op::ListInstances,
                    Action::FindInstances { named },
                    Runs::Once,
                ));
                stage += 1;
            }
            per = Runs::PerInstance;
        } else if unknown_account
            && plan.base == Base::Describe
            && ids.iter().any(|i| matches!(i, ItemRef::Arn { .. }))
        {
            // Instances named by ARN: the listing says which are here.
            let named = ids
                .iter()
                .filter(|i| matches!(i, ItemRef::Arn { .. }))
                .cloned()
                .collect();
            steps.push(step(
                stage,
                Op::ListInstances,
                Action::FindInstances { named },
                Runs::Once,
            ));
            stage += 1;
        }
        let Some(base_op) = plan.base_op(resource) else {
            continue;
        };
        let base = match &plan.base {
            Base::Describe => Action::DescribeNamed { ids },
            Base::List | Base::Search(_) => Action::Listing {
                call: plan.base_call(),
                criteria: match &plan.base {
                    Base::Search(c) => c.clone(),
                    _ => None,
                },
                variants: match resource.list_over {
                    Some(over) if plan.base == Base::List => {
                        list_over_values(resource, predicates, over)
                    }
                    _ => Vec::new(),
                },
                prefilter: plan.prefilter.clone(),
            },
        };
        let named_items = plan.base == Base::Describe;
        steps.push(step(
            stage,
            base_op,
            base,
            if named_items { Runs::PerNamedItem } else { per },
        ));
        if let (true, Some(list)) = (plan.supplement, resource.list) {
            steps.push(step(stage, list, Action::Supplement, per));
        }
        for op in plan.joined_ops(resource) {
            let fields = plan
                .joined
                .iter()
                .copied()
                .filter(|&i| matches!(resource.fields[i].source, Source::Joined { op: o, .. } if o == op))
                .collect();
            steps.push(step(stage, op, Action::Joined { fields }, per));
        }
        if let (true, Some(d)) = (plan.describe_each, resource.describe) {
            steps.push(step(stage + 1, d, Action::DescribeEach, Runs::PerItem));
        }
        for (field, op) in plan.sub_ops(resource) {
            // Keyed by the item's own id, which the statement names: no
            // need to wait for the Describe.
            let early = named_items
                && matches!(
                    resource.fields[field].source,
                    Source::SubListing { key: None, .. }
                );
            steps.push(step(
                if early { stage } else { stage + 1 },
                op,
                Action::SubListing { field, early },
                if early {
                    Runs::PerNamedItem
                } else {
                    Runs::PerItem
                },
            ));
        }
    }
    steps
}

/// The values of a List's enum parameter a statement needs: those its
/// predicates pin (`resource_type = 'CALL_RECORDINGS'`), or all.
fn list_over_values(
    resource: &ResourceType,
    predicates: &[Predicate],
    over: ListOver,
) -> Vec<&'static str> {
    let field = resource.field_index(over.field);
    let pinned = predicates.iter().find_map(|p| match &p.test {
        Test::Equals(values) if Some(p.field) == field => Some(values),
        _ => None,
    });
    match pinned {
        Some(values) => over
            .values
            .iter()
            .copied()
            .filter(|v| values.iter().any(|x| x == v))
            .collect(),
        None => over.values.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect_api::ProfileInfo;
    use crate::sql::planner::{plan_query, SourceSpec};
    use crate::sql::resolve::PlanContext;

    const DEV: &str = "111111111111";
    const PROD: &str = "222222222222";
    const INSTANCE: &str = "arn:aws:connect:us-east-1:111111111111:instance/i-1";

    /// The one source of a statement over profiles dev and prod, whose
    /// accounts are known or not.
    fn source(sql: &str, dev: Option<&str>, prod: Option<&str>) -> SourceSpec {
        let profile = |name: &str, account: Option<&str>| ProfileInfo {
            name: name.into(),
            region: Some("us-east-1".into()),
            account: account.map(str::to_string),
        };
        let ctx = PlanContext {
            profiles: Some(vec![profile("dev", dev), profile("prod", prod)]),
            ..PlanContext::in_region("us-east-1")
        };
        let statement = crate::sql::parse_one(sql).unwrap();
        plan_query(sql, statement, &ctx).unwrap().sources.remove(0)
    }

    fn profiles_of(steps: &[Step]) -> Vec<&str> {
        let mut p: Vec<&str> = steps
            .iter()
            .filter_map(|s| s.place.profile.as_deref())
            .collect();
        p.dedup();
        p
    }

    #[test]
    fn an_arn_goes_only_to_the_place_of_its_account() {
        let sql = format!(
            "SELECT name FROM aws.connect.queues WHERE profile IN ('dev', 'prod') \
             AND instance_arn = '{INSTANCE}'"
        );
        let s = source(&sql, Some(DEV), Some(PROD));
        assert_eq!(profiles_of(&s.steps), ["dev"], "{:?}", s.steps);
        // Named by ARN in a known account: no lookup either.
        assert!(s.steps.iter().all(|st| st.op != Op::ListInstances));
        assert!(s.steps.iter().all(|st| st.account.as_deref() == Some(DEV)));

        // An item's ARN names its account too.
        let sql = "SELECT name FROM aws.connect.queues WHERE profile IN ('dev', 'prod') AND \
                   data__Identifier = 'arn:aws:connect:us-east-1:222222222222:instance/i-2/queue/q-1'";
        assert_eq!(
            profiles_of(&source(sql, Some(DEV), Some(PROD)).steps),
            ["prod"]
        );

        // An account no profile reaches: nothing is read anywhere.
        let sql = "SELECT name FROM aws.connect.queues WHERE profile IN ('dev', 'prod') AND \
                   instance_arn = 'arn:aws:connect:us-east-1:333333333333:instance/i-3'";
        assert!(source(sql, Some(DEV), Some(PROD)).steps.is_empty());
    }

    #[test]
    fn with_an_unknown_account_the_listing_decides_first() {
        let sql = format!(
            "SELECT name FROM aws.connect.queues WHERE profile IN ('dev', 'prod') \
             AND instance_arn = '{INSTANCE}'"
        );
        // Prod's account unknown: it is read, but its instance listing runs
        // first and resolves the ARN (an ARN it does not list is not sent).
        let s = source(&sql, Some(DEV), None);
        assert_eq!(profiles_of(&s.steps), ["dev", "prod"], "{:?}", s.steps);
        let prod: Vec<&Step> = s
            .steps
            .iter()
            .filter(|st| st.place.profile.as_deref() == Some("prod"))
            .collect();
        let first = prod[0];
        assert_eq!((first.stage, first.op), (1, Op::ListInstances));
        assert!(
            matches!(&first.action, Action::FindInstances { named } if named.len() == 1),
            "{first:?}"
        );
        assert!(prod[1..].iter().all(|st| st.stage > 1));
        assert!(PlaceSteps::new(&s.steps, &first.place).arns_by_listing());
        // Dev's known account holds the ARN: read as written, no lookup.
        let dev = &s.steps[0].place;
        assert_eq!(dev.profile.as_deref(), Some("dev"));
        assert!(!PlaceSteps::new(&s.steps, dev).finds_instances());

        // Dev's own account unknown, prod's known: only dev, with its lookup.
        let s = source(&sql, None, Some(PROD));
        assert_eq!(profiles_of(&s.steps), ["dev"]);
        assert_eq!(s.steps[0].op, Op::ListInstances);

        // The instance table described by ARN: the listing comes first.
        let sql = format!(
            "SELECT * FROM aws.connect.instance WHERE profile IN ('dev', 'prod') \
             AND data__Identifier = '{INSTANCE}'"
        );
        let s = source(&sql, None, None);
        assert_eq!(profiles_of(&s.steps), ["dev", "prod"]);
        for place in ["dev", "prod"] {
            let mine: Vec<&Step> = s
                .steps
                .iter()
                .filter(|st| st.place.profile.as_deref() == Some(place))
                .collect();
            assert_eq!(mine[0].op, Op::ListInstances, "{mine:?}");
            assert!(mine[1..].iter().all(|st| st.stage >= 2), "{mine:?}");
            assert!(mine
                .iter()
                .any(|st| st.stage == 2 && matches!(st.action, Action::DescribeNamed { .. })));
        }
        let s = source(&sql, Some(DEV), Some(PROD));
        assert_eq!(profiles_of(&s.steps), ["dev"]);
        assert!(s.steps.iter().all(|st| st.op != Op::ListInstances));
    }
}
