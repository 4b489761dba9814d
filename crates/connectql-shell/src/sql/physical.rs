//! The physical plan: the steps a source's reads run, compiled once from
//! its [`CallPlan`] and [`Targets`], then read twice — by the executor,
//! which runs exactly these steps, and by EXPLAIN, which prints them. Neither
//! decides anything of its own about which calls happen, so what EXPLAIN
//! shows cannot drift from what runs (`tests/explain_calls.rs` counts the
//! calls the endpoint answered against EXPLAIN's list for every example).
//!
//! Steps are per region. Each says what it waits for (its `stage`: the
//! steps of a stage start together once the previous stage has given them
//! their inputs) and how often it runs: once, once per instance, once per
//! item named by the statement, or once per item as the listing's pages
//! arrive.
//!
//! [`Targets`]: crate::sql::resolve::Targets

use crate::catalog::{Call, Criteria, ListOver, Op, ResourceType, Scope, Source};
use crate::sql::calls::{Base, CallPlan};
use crate::sql::pushdown::{Predicate, Test};
use crate::sql::resolve::{ItemRef, Targets};

/// What a step does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// ListInstances (all pages): every ACTIVE instance of the region, or
    /// the instances the statement names by alias or id, resolved.
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
    pub region: String,
    pub op: Op,
    pub action: Action,
    pub runs: Runs,
}

/// The steps of one source in one region, for the executor's questions.
#[derive(Debug, Clone, Copy)]
pub struct RegionSteps<'a> {
    steps: &'a [Step],
    region: &'a str,
}

impl<'a> RegionSteps<'a> {
    pub fn new(steps: &'a [Step], region: &'a str) -> Self {
        RegionSteps { steps, region }
    }
    fn iter(&self) -> impl Iterator<Item = &'a Step> + 'a {
        let region = self.region;
        self.steps.iter().filter(move |s| s.region == region)
    }
    /// The instance lookup, when the region's instances must be listed.
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

/// Compiles a source's reads into steps, region by region. A source whose
/// predicates contradict each other has none. `aliases`: the rows show
/// their instance's alias, which only the instances' listing says.
pub fn compile(
    resource: &ResourceType,
    targets: &Targets,
    predicates: &[Predicate],
    plan: &CallPlan,
    aliases: bool,
) -> Vec<Step> {
    let mut steps = Vec::new();
    if targets.empty.is_some() {
        return steps;
    }
    for region in &targets.regions {
        let mut stage = 1;
        let mut per = Runs::Once;
        if resource.scope == Scope::Instance {
            let named = targets.instances_in(region);
            // Instances named by ARN need no lookup, unless for their aliases.
            let all_arns =
                !named.is_empty() && named.iter().all(|i| matches!(i, ItemRef::Arn { .. }));
            if !all_arns || aliases {
                steps.push(Step {
                    stage,
                    region: region.clone(),
                    op: Op::ListInstances,
                    action: Action::FindInstances { named },
                    runs: Runs::Once,
                });
                stage += 1;
            }
            per = Runs::PerInstance;
        }
        let Some(base_op) = plan.base_op(resource) else {
            continue;
        };
        let base = match &plan.base {
            Base::Describe => Action::DescribeNamed {
                ids: targets.identifiers.clone(),
            },
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
        steps.push(Step {
            stage,
            region: region.clone(),
            op: base_op,
            runs: if named_items { Runs::PerNamedItem } else { per },
            action: base,
        });
        if let (true, Some(list)) = (plan.supplement, resource.list) {
            steps.push(Step {
                stage,
                region: region.clone(),
                op: list,
                action: Action::Supplement,
                runs: per,
            });
        }
        for op in plan.joined_ops(resource) {
            let fields = plan
                .joined
                .iter()
                .copied()
                .filter(|&i| matches!(resource.fields[i].source, Source::Joined { op: o, .. } if o == op))
                .collect();
            steps.push(Step {
                stage,
                region: region.clone(),
                op,
                action: Action::Joined { fields },
                runs: per,
            });
        }
        if let (true, Some(d)) = (plan.describe_each, resource.describe) {
            steps.push(Step {
                stage: stage + 1,
                region: region.clone(),
                op: d,
                action: Action::DescribeEach,
                runs: Runs::PerItem,
            });
        }
        for (field, op) in plan.sub_ops(resource) {
            // Keyed by the item's own id, which the statement names: no
            // need to wait for the Describe.
            let early = named_items
                && matches!(
                    resource.fields[field].source,
                    Source::SubListing { key: None, .. }
                );
            steps.push(Step {
                stage: if early { stage } else { stage + 1 },
                region: region.clone(),
                op,
                action: Action::SubListing { field, early },
                runs: if early {
                    Runs::PerNamedItem
                } else {
                    Runs::PerItem
                },
            });
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
