//! Call planning: for one source, which Connect calls give the fields the
//! statement references, chosen from the catalog at the lowest cost.
//!
//! Per instance (or account), the source makes one *base* listing — Search
//! (whole objects, server-side criteria) or List (small summaries, larger
//! pages) — or, for items named by ARN or id, one Describe each. Fields the
//! base call does not return come from a Describe per item, from a List
//! joined by id (`queue.type` is only in ListQueues), or from a per-item
//! sub-listing; each is made only when a referenced field needs it, and
//! only for the items left after the pushed-down predicates.

use crate::catalog::{Call, Criteria, Op, ResourceType, Source};
use crate::sql::pushdown::{within_limits, Predicate, Test};
use crate::sql::resolve::ItemRef;

/// A set of fields of one resource, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FieldSet(pub u64);

impl FieldSet {
    pub fn all(resource: &ResourceType) -> FieldSet {
        FieldSet(if resource.fields.len() >= 64 {
            u64::MAX
        } else {
            (1u64 << resource.fields.len()) - 1
        })
    }
    pub fn insert(&mut self, index: usize) {
        if index < 64 {
            self.0 |= 1 << index;
        }
    }
    pub fn contains(self, index: usize) -> bool {
        index < 64 && self.0 & (1 << index) != 0
    }
    pub fn union(self, other: FieldSet) -> FieldSet {
        FieldSet(self.0 | other.0)
    }
    pub fn indices(self) -> impl Iterator<Item = usize> {
        (0..64).filter(move |i| self.contains(*i))
    }
}

/// The first call per instance.
#[derive(Debug, Clone, PartialEq)]
pub enum Base {
    /// One Describe per named item (by ARN or id).
    Describe,
    /// Every page of the List operation.
    List,
    /// Every page of the Search operation, with criteria when some
    /// predicates could be pushed.
    Search(Option<Criteria>),
}

/// The calls one source makes per instance (or per account region).
#[derive(Debug, Clone, PartialEq)]
pub struct CallPlan {
    pub base: Base,
    /// A Describe per item left after filtering.
    pub describe_each: bool,
    /// A List joined by id, for fields only List returns.
    pub supplement: bool,
    /// Fields fetched by per-item sub-listings.
    pub subs: Vec<usize>,
    /// Predicates checked on the base call's items before per-item calls.
    pub prefilter: Vec<Predicate>,
    /// Fields read from an instance-level listing joined to the rows.
    pub joined: Vec<usize>,
}

impl CallPlan {
    pub fn base_op(&self, resource: &ResourceType) -> Option<Op> {
        resource.op_for(self.base_call())
    }
    pub fn base_call(&self) -> Call {
        match self.base {
            Base::Describe => Call::Describe,
            Base::List => Call::List,
            Base::Search(_) => Call::Search,
        }
    }
    /// The sub-listing operations, with their fields.
    pub fn sub_ops(&self, resource: &ResourceType) -> Vec<(usize, Op)> {
        self.subs
            .iter()
            .filter_map(|&i| match resource.fields[i].source {
                Source::SubListing { op, .. } => Some((i, op)),
                _ => None,
            })
            .collect()
    }
    /// The instance-level listings joined to the rows, once each.
    pub fn joined_ops(&self, resource: &ResourceType) -> Vec<Op> {
        let mut ops = Vec::new();
        for &i in &self.joined {
            if let Source::Joined { op, .. } = resource.fields[i].source {
                if !ops.contains(&op) {
                    ops.push(op);
                }
            }
        }
        ops
    }
}

/// Which read calls can supply field `index` as a member.
fn member_calls(resource: &ResourceType, index: usize) -> Vec<Call> {
    let mut out = Vec::new();
    for s in resource.fields[index].sources() {
        if let Source::Member { calls, .. } = s {
            for (call, _) in resource.read_calls() {
                if calls.has(call) && !out.contains(&call) {
                    out.push(call);
                }
            }
        }
    }
    out
}

fn is_sub(resource: &ResourceType, index: usize) -> bool {
    matches!(resource.fields[index].source, Source::SubListing { .. })
}

/// Items per instance the cost model assumes, and the share a pushed or
/// filtered predicate is assumed to keep.
const ASSUMED_ITEMS: f64 = 1000.0;
const ASSUMED_SELECTIVITY: f64 = 0.01;

struct Candidate {
    plan: CallPlan,
    cost: f64,
}

/// Chooses the calls for one source: the fields it needs (the resource's
/// id, ARN and name are always needed, to key items), the items named by
/// `data__Identifier` (singular tables), and the pushable predicates.
pub fn plan_calls(
    resource: &ResourceType,
    needed: FieldSet,
    identifiers: &[ItemRef],
    predicates: &[Predicate],
) -> CallPlan {
    let mut needed = needed;
    for key in [
        Some(resource.id_field),
        resource.arn_field,
        Some(resource.name_field),
    ]
    .into_iter()
    .flatten()
    {
        if let Some(i) = resource.field_index(key) {
            needed.insert(i);
        }
    }
    let subs: Vec<usize> = needed.indices().filter(|&i| is_sub(resource, i)).collect();
    let joined: Vec<usize> = needed
        .indices()
        .filter(|&i| matches!(resource.fields[i].source, Source::Joined { .. }))
        .collect();
    let members: Vec<usize> = needed
        .indices()
        .filter(|&i| {
            !is_sub(resource, i)
                && resource.fields[i]
                    .sources()
                    .any(|s| matches!(s, Source::Member { .. }))
        })
        .collect();

    // Items named by ARN or id are described directly, when Describe exists
    // and is per instance like the rest (DescribePhoneNumber is not: a
    // listing keeps the instance the number is claimed to).
    let by_key =
        !identifiers.is_empty() && identifiers.iter().all(|i| !matches!(i, ItemRef::Name(_)));
    let describe_in_scope = resource.describe.is_some_and(|d| {
        resource.scope == crate::catalog::Scope::Account || d.def().uri.contains("{InstanceId}")
    });
    let mut candidates: Vec<Candidate> = Vec::new();
    if by_key && describe_in_scope {
        let (supplement, _) = coverage(resource, &members, Call::Describe);
        candidates.push(Candidate {
            plan: CallPlan {
                base: Base::Describe,
                describe_each: false,
                supplement,
                subs: subs.clone(),
                prefilter: Vec::new(),
                joined: joined.clone(),
            },
            cost: identifiers.len() as f64 + if supplement { 1.0 } else { 0.0 },
        });
    }
    for call in [Call::Search, Call::List] {
        let Some(op) = resource.op_for(call) else {
            continue;
        };
        let page = f64::from(op.def().max_results.unwrap_or(100));
        let criteria = if call == Call::Search {
            search_criteria(resource, identifiers, predicates)
        } else {
            None
        };
        let base_fields: Vec<Call> = vec![call];
        let prefilter: Vec<Predicate> = predicates
            .iter()
            .filter(|p| {
                member_calls(resource, p.field)
                    .iter()
                    .any(|c| base_fields.contains(c))
            })
            .cloned()
            .collect();
        let narrowed = criteria.is_some() || !prefilter.is_empty() || !identifiers.is_empty();
        let kept = if narrowed {
            ASSUMED_ITEMS * ASSUMED_SELECTIVITY
        } else {
            ASSUMED_ITEMS
        };
        let base_pages = if criteria.is_some() {
            1.0
        } else {
            (ASSUMED_ITEMS / page).ceil()
        };
        let (supplement, describe_each) = coverage(resource, &members, call);
        let supplement_pages = if supplement {
            resource
                .list
                .map(|l| (ASSUMED_ITEMS / f64::from(l.def().max_results.unwrap_or(100))).ceil())
                .unwrap_or(0.0)
        } else {
            0.0
        };
        let cost = base_pages
            + supplement_pages
            + if describe_each { kept } else { 0.0 }
            + subs.len() as f64 * kept;
        candidates.push(Candidate {
            plan: CallPlan {
                base: if call == Call::Search {
                    Base::Search(criteria)
                } else {
                    Base::List
                },
                describe_each,
                supplement,
                subs: subs.clone(),
                prefilter,
                joined: joined.clone(),
            },
            cost,
        });
    }
    candidates
        .into_iter()
        .min_by(|a, b| a.cost.total_cmp(&b.cost))
        .map(|c| c.plan)
        .unwrap_or(CallPlan {
            base: Base::List,
            describe_each: false,
            supplement: false,
            subs,
            prefilter: Vec::new(),
            joined,
        })
}

/// With `base` as the base call: does a List joined by id need to be
/// added, and does each item need a Describe?
fn coverage(resource: &ResourceType, members: &[usize], base: Call) -> (bool, bool) {
    let mut supplement = false;
    let mut describe = false;
    for &i in members {
        let calls = member_calls(resource, i);
        if calls.contains(&base) {
            continue;
        }
        // A List joined by id costs one call per page; a Describe one per item.
        if calls.contains(&Call::List) && base != Call::List {
            supplement = true;
        } else if calls.contains(&Call::Describe) {
            describe = true;
        }
    }
    (supplement, describe)
}

/// The SearchCriteria for the identifiers and the pushable predicates,
/// within Connect's request limits: when the whole does not fit, the
/// largest parts are left to the engine until it does (or nothing is
/// pushed). Each part alone is already a superset, so any subset of them
/// ANDed still is.
fn search_criteria(
    resource: &ResourceType,
    identifiers: &[ItemRef],
    predicates: &[Predicate],
) -> Option<Criteria> {
    let mut all: Vec<Criteria> = predicates
        .iter()
        .filter_map(|p| p.criteria(resource))
        .collect();
    if !identifiers.is_empty() {
        // Names and ids of a singular table: one Or, or nothing if some
        // identifier cannot be searched for.
        let by: Option<Vec<Criteria>> = identifiers
            .iter()
            .map(|i| {
                let (field, value) = match i {
                    ItemRef::Name(n) => (resource.name_field, n.as_str()),
                    ItemRef::Id(id) | ItemRef::Arn { id, .. } => (resource.id_field, id.as_str()),
                };
                Predicate {
                    field: resource.field_index(field)?,
                    test: Test::Equals(vec![value.to_string()]),
                }
                .criteria(resource)
            })
            .collect();
        match by {
            Some(mut by) if by.len() == 1 => all.push(by.remove(0)),
            Some(by) => all.push(Criteria::Or(by)),
            None => {}
        }
    }
    loop {
        let whole = match all.len() {
            0 => return None,
            1 => all[0].clone(),
            _ => Criteria::And(all.clone()),
        };
        if within_limits(&whole) {
            return Some(whole);
        }
        // Leave the largest part to the engine.
        let largest = (0..all.len()).max_by_key(|&i| all[i].to_json().to_string().len())?;
        all.remove(largest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::table;

    fn fields(resource: &ResourceType, names: &[&str]) -> FieldSet {
        let mut s = FieldSet::default();
        for n in names {
            s.insert(resource.field_index(n).unwrap());
        }
        s
    }

    #[test]
    fn search_when_search_covers_the_fields() {
        let users = table("aws.connect.users").unwrap().resource;
        let p = plan_calls(
            users,
            fields(users, &["username", "routing_profile_arn"]),
            &[],
            &[],
        );
        assert_eq!(p.base, Base::Search(None));
        assert!(!p.describe_each && !p.supplement && p.subs.is_empty());
    }

    #[test]
    fn list_when_the_summary_is_enough() {
        let users = table("aws.connect.users").unwrap().resource;
        let p = plan_calls(users, fields(users, &["username"]), &[], &[]);
        assert_eq!(p.base, Base::List);
        assert!(!p.describe_each);
    }

    #[test]
    fn describe_only_fields_after_push_down() {
        let users = table("aws.connect.users").unwrap().resource;
        let username = users.field_index("username").unwrap();
        let pred = Predicate {
            field: username,
            test: Test::Equals(vec!["jdoe".into()]),
        };
        let p = plan_calls(users, fields(users, &["identity_info"]), &[], &[pred]);
        assert!(matches!(p.base, Base::Search(Some(_))), "{p:?}");
        assert!(p.describe_each);
        assert_eq!(p.prefilter.len(), 1);
    }

    #[test]
    fn list_only_fields_join_a_list() {
        let queues = table("aws.connect.queues").unwrap().resource;
        let p = plan_calls(
            queues,
            fields(queues, &["type", "hours_of_operation_arn"]),
            &[],
            &[],
        );
        assert_eq!(p.base, Base::Search(None));
        assert!(p.supplement && !p.describe_each);
        let p = plan_calls(queues, fields(queues, &["quick_connect_arns"]), &[], &[]);
        assert_eq!(p.subs.len(), 1);
    }

    #[test]
    fn instances_by_key_are_described() {
        let instances = table("aws.connect.instance").unwrap().resource;
        let p = plan_calls(
            instances,
            FieldSet::all(instances),
            &[ItemRef::Id("i-1".into())],
            &[],
        );
        assert_eq!(p.base, Base::Describe);
        assert_eq!(p.subs.len(), 1, "attributes");
        let p = plan_calls(
            instances,
            FieldSet::all(instances),
            &[ItemRef::Name("acme".into())],
            &[],
        );
        assert_eq!(p.base, Base::List);
        assert!(p.describe_each, "tags need DescribeInstance");
    }

    #[test]
    fn combined_criteria_past_the_limits_push_less() {
        use crate::sql::pushdown::{within_limits, MAX_CONDITIONS};
        let queues = table("aws.connect.queues").unwrap().resource;
        let name = queues.field_index("name").unwrap();
        let description = queues.field_index("description").unwrap();
        let names: Vec<String> = (0..MAX_CONDITIONS - 1).map(|i| format!("q{i}")).collect();
        let preds = [
            Predicate {
                field: name,
                test: Test::Equals(names.clone()),
            },
            Predicate {
                field: description,
                test: Test::Prefix("Tier".into()),
            },
        ];
        // Each fits alone; both together do too (MAX_CONDITIONS leaves).
        let both = search_criteria(queues, &[], &preds).unwrap();
        assert!(matches!(&both, Criteria::And(p) if p.len() == 2));
        // Two identifiers more: over the count, the big IN list is dropped
        // and the rest still pushed.
        let ids = [ItemRef::Name("a".into()), ItemRef::Name("b".into())];
        let less = search_criteria(queues, &ids, &preds).unwrap();
        assert!(within_limits(&less));
        let json = less.to_json().to_string();
        assert!(json.contains("Tier") && !json.contains("\"q0\""), "{json}");
    }
}
