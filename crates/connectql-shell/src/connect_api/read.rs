//! Read calls, generic over the operation table: one page of a List* or
//! Search* (or of a per-item sub-listing), or one Describe*. Each answer is
//! returned as wire JSON ([`ToWire`]); the catalog says how to read it.
//!
//! This is the only place that knows which SDK call an [`Op`] is. A page
//! always asks for the largest `MaxResults` the operation table allows.

use aws_sdk_connect::types::{
    AgentStatusSearchCriteria, ContactFlowModuleSearchCriteria, ContactFlowSearchCriteria,
    HoursOfOperationSearchCriteria, InstanceStorageResourceType, ListFlowAssociationResourceType,
    PromptSearchCriteria, QueueSearchCriteria, QuickConnectSearchCriteria,
    RoutingProfileSearchCriteria, SecurityProfileSearchCriteria, StringComparisonType,
    StringCondition, UserHierarchyGroupSearchCriteria, UserSearchCriteria,
};
use std::collections::{HashSet, VecDeque};

use futures::Stream;
use serde_json::Value;

use super::wire::ToWire;
use super::{ApiError, ApiErrorKind, RegionClient};
use crate::catalog::{Criteria, Op, Source, RESOURCE_TYPES};

/// What a read call is about: the instance (for anything inside one) and
/// the item (for Describe* and sub-listings).
#[derive(Debug, Clone, Copy, Default)]
pub struct Target<'a> {
    pub instance: Option<&'a str>,
    pub item: Option<&'a str>,
    /// The enum value of a List that takes one per call (storage configs).
    pub variant: Option<&'a str>,
}

/// One page of items, and the token of the next one.
#[derive(Debug, Default)]
pub struct Page {
    pub items: Vec<Value>,
    pub next: Option<String>,
}

fn missing(op: Op, region: &str, what: &str) -> ApiError {
    ApiError::new(
        op,
        region,
        ApiErrorKind::InvalidRequest,
        format!("internal: {op} needs {what}"),
    )
}

/// Connect always sends the list, even empty: an answer without it was not
/// a real answer (an empty or foreign body), and "no items" would be a lie.
fn no_list(op: Op, region: &str) -> ApiError {
    ApiError::new(
        op,
        region,
        ApiErrorKind::MalformedResponse,
        format!(
            "the response has no {} (an empty or foreign body)",
            op.def().result.unwrap_or("result")
        ),
    )
}

fn page_size(op: Op) -> i32 {
    op.def().max_results.unwrap_or(100) as i32
}

fn string_condition(field_name: &str, value: &str, comparison: &str) -> StringCondition {
    StringCondition::builder()
        .field_name(field_name)
        .value(value)
        .comparison_type(StringComparisonType::from(comparison))
        .build()
}

macro_rules! criteria_fn {
    ($name:ident, $ty:ident) => {
        fn $name(c: &Criteria) -> $ty {
            match c {
                Criteria::And(all) => $ty::builder()
                    .set_and_conditions(Some(all.iter().map($name).collect()))
                    .build(),
                Criteria::Or(any) => $ty::builder()
                    .set_or_conditions(Some(any.iter().map($name).collect()))
                    .build(),
                Criteria::String {
                    field_name,
                    value,
                    comparison,
                } => $ty::builder()
                    .string_condition(string_condition(field_name, value, comparison.wire()))
                    .build(),
            }
        }
    };
}

criteria_fn!(user_criteria, UserSearchCriteria);
criteria_fn!(queue_criteria, QueueSearchCriteria);
criteria_fn!(routing_profile_criteria, RoutingProfileSearchCriteria);
criteria_fn!(hours_criteria, HoursOfOperationSearchCriteria);
criteria_fn!(flow_criteria, ContactFlowSearchCriteria);
criteria_fn!(flow_module_criteria, ContactFlowModuleSearchCriteria);
criteria_fn!(security_profile_criteria, SecurityProfileSearchCriteria);
criteria_fn!(quick_connect_criteria, QuickConnectSearchCriteria);
criteria_fn!(hierarchy_group_criteria, UserHierarchyGroupSearchCriteria);
criteria_fn!(prompt_criteria, PromptSearchCriteria);
criteria_fn!(agent_status_criteria, AgentStatusSearchCriteria);

/// Sends one paged call and turns its items into wire JSON.
macro_rules! paged {
    ($rc:expr, $op:expr, $token:expr, $items:ident, $call:expr) => {{
        let call = $call.max_results(page_size($op)).set_next_token($token);
        let out = $rc
            .paced($op, || call.clone().send())
            .await
            .map_err(|e| ApiError::from_sdk($op, &$rc.region, e))?;
        let Some(items) = out.$items else {
            return Err(no_list($op, &$rc.region));
        };
        Ok(Page {
            items: items.iter().map(ToWire::to_wire).collect(),
            next: out.next_token,
        })
    }};
}

/// Sends one Describe* call and returns the described object.
macro_rules! described {
    ($rc:expr, $op:expr, $member:ident, $call:expr) => {{
        let call = $call;
        let out = $rc
            .paced($op, || call.clone().send())
            .await
            .map_err(|e| ApiError::from_sdk($op, &$rc.region, e))?;
        match out.$member {
            Some(v) => Ok(v.to_wire()),
            None => Err(no_list($op, &$rc.region)),
        }
    }};
}

/// One page of a List*, Search* or sub-listing operation.
pub async fn page(
    rc: &RegionClient,
    op: Op,
    target: Target<'_>,
    criteria: Option<&Criteria>,
    token: Option<String>,
) -> Result<Page, ApiError> {
    let c = &rc.client;
    let region = rc.region.as_str();
    let inst = || {
        target
            .instance
            .ok_or_else(|| missing(op, region, "an instance"))
    };
    let item = || target.item.ok_or_else(|| missing(op, region, "an item id"));
    let variant = || {
        target
            .variant
            .ok_or_else(|| missing(op, region, "a resource type"))
    };
    match op {
        Op::ListInstances => paged!(rc, op, token, instance_summary_list, c.list_instances()),
        Op::ListInstanceAttributes => paged!(
            rc,
            op,
            token,
            attributes,
            c.list_instance_attributes().instance_id(item()?)
        ),
        Op::ListUsers => paged!(
            rc,
            op,
            token,
            user_summary_list,
            c.list_users().instance_id(inst()?)
        ),
        Op::SearchUsers => paged!(
            rc,
            op,
            token,
            users,
            c.search_users()
                .instance_id(inst()?)
                .set_search_criteria(criteria.map(user_criteria))
        ),
        Op::ListUserProficiencies => paged!(
            rc,
            op,
            token,
            user_proficiency_list,
            c.list_user_proficiencies()
                .instance_id(inst()?)
                .user_id(item()?)
        ),
        Op::ListQueues => paged!(
            rc,
            op,
            token,
            queue_summary_list,
            c.list_queues().instance_id(inst()?)
        ),
        Op::SearchQueues => paged!(
            rc,
            op,
            token,
            queues,
            c.search_queues()
                .instance_id(inst()?)
                .set_search_criteria(criteria.map(queue_criteria))
        ),
        Op::ListQueueQuickConnects => paged!(
            rc,
            op,
            token,
            quick_connect_summary_list,
            c.list_queue_quick_connects()
                .instance_id(inst()?)
                .queue_id(item()?)
        ),
        Op::ListQueueEmailAddresses => paged!(
            rc,
            op,
            token,
            email_address_metadata_list,
            c.list_queue_email_addresses()
                .instance_id(inst()?)
                .queue_id(item()?)
        ),
        Op::ListRoutingProfiles => paged!(
            rc,
            op,
            token,
            routing_profile_summary_list,
            c.list_routing_profiles().instance_id(inst()?)
        ),
        Op::SearchRoutingProfiles => paged!(
            rc,
            op,
            token,
            routing_profiles,
            c.search_routing_profiles()
                .instance_id(inst()?)
                .set_search_criteria(criteria.map(routing_profile_criteria))
        ),
        Op::ListRoutingProfileQueues => paged!(
            rc,
            op,
            token,
            routing_profile_queue_config_summary_list,
            c.list_routing_profile_queues()
                .instance_id(inst()?)
                .routing_profile_id(item()?)
        ),
        Op::ListRoutingProfileManualAssignmentQueues => paged!(
            rc,
            op,
            token,
            routing_profile_manual_assignment_queue_config_summary_list,
            c.list_routing_profile_manual_assignment_queues()
                .instance_id(inst()?)
                .routing_profile_id(item()?)
        ),
        Op::ListHoursOfOperations => paged!(
            rc,
            op,
            token,
            hours_of_operation_summary_list,
            c.list_hours_of_operations().instance_id(inst()?)
        ),
        Op::SearchHoursOfOperations => paged!(
            rc,
            op,
            token,
            hours_of_operations,
            c.search_hours_of_operations()
                .instance_id(inst()?)
                .set_search_criteria(criteria.map(hours_criteria))
        ),
        Op::ListHoursOfOperationOverrides => paged!(
            rc,
            op,
            token,
            hours_of_operation_override_list,
            c.list_hours_of_operation_overrides()
                .instance_id(inst()?)
                .hours_of_operation_id(item()?)
        ),
        Op::ListChildHoursOfOperations => paged!(
            rc,
            op,
            token,
            child_hours_of_operations_summary_list,
            c.list_child_hours_of_operations()
                .instance_id(inst()?)
                .hours_of_operation_id(item()?)
        ),
        Op::ListContactFlows => paged!(
            rc,
            op,
            token,
            contact_flow_summary_list,
            c.list_contact_flows().instance_id(inst()?)
        ),
        Op::SearchContactFlows => paged!(
            rc,
            op,
            token,
            contact_flows,
            c.search_contact_flows()
                .instance_id(inst()?)
                .set_search_criteria(criteria.map(flow_criteria))
        ),
        Op::ListContactFlowModules => paged!(
            rc,
            op,
            token,
            contact_flow_modules_summary_list,
            c.list_contact_flow_modules().instance_id(inst()?)
        ),
        Op::SearchContactFlowModules => paged!(
            rc,
            op,
            token,
            contact_flow_modules,
            c.search_contact_flow_modules()
                .instance_id(inst()?)
                .set_search_criteria(criteria.map(flow_module_criteria))
        ),
        Op::ListPhoneNumbersV2 => paged!(
            rc,
            op,
            token,
            list_phone_numbers_summary_list,
            c.list_phone_numbers_v2().instance_id(inst()?)
        ),
        Op::ListFlowAssociations => paged!(
            rc,
            op,
            token,
            flow_association_summary_list,
            c.list_flow_associations()
                .instance_id(inst()?)
                .resource_type(ListFlowAssociationResourceType::VoicePhoneNumber)
        ),
        Op::ListSecurityProfiles => paged!(
            rc,
            op,
            token,
            security_profile_summary_list,
            c.list_security_profiles().instance_id(inst()?)
        ),
        Op::SearchSecurityProfiles => paged!(
            rc,
            op,
            token,
            security_profiles,
            c.search_security_profiles()
                .instance_id(inst()?)
                .set_search_criteria(criteria.map(security_profile_criteria))
        ),
        Op::ListSecurityProfilePermissions => paged!(
            rc,
            op,
            token,
            permissions,
            c.list_security_profile_permissions()
                .instance_id(inst()?)
                .security_profile_id(item()?)
        ),
        Op::ListSecurityProfileApplications => paged!(
            rc,
            op,
            token,
            applications,
            c.list_security_profile_applications()
                .instance_id(inst()?)
                .security_profile_id(item()?)
        ),
        Op::ListSecurityProfileFlowModules => paged!(
            rc,
            op,
            token,
            allowed_flow_modules,
            c.list_security_profile_flow_modules()
                .instance_id(inst()?)
                .security_profile_id(item()?)
        ),
        Op::ListQuickConnects => paged!(
            rc,
            op,
            token,
            quick_connect_summary_list,
            c.list_quick_connects().instance_id(inst()?)
        ),
        Op::SearchQuickConnects => paged!(
            rc,
            op,
            token,
            quick_connects,
            c.search_quick_connects()
                .instance_id(inst()?)
                .set_search_criteria(criteria.map(quick_connect_criteria))
        ),
        Op::ListUserHierarchyGroups => paged!(
            rc,
            op,
            token,
            user_hierarchy_group_summary_list,
            c.list_user_hierarchy_groups().instance_id(inst()?)
        ),
        Op::SearchUserHierarchyGroups => paged!(
            rc,
            op,
            token,
            user_hierarchy_groups,
            c.search_user_hierarchy_groups()
                .instance_id(inst()?)
                .set_search_criteria(criteria.map(hierarchy_group_criteria))
        ),
        Op::ListPrompts => paged!(
            rc,
            op,
            token,
            prompt_summary_list,
            c.list_prompts().instance_id(inst()?)
        ),
        Op::SearchPrompts => paged!(
            rc,
            op,
            token,
            prompts,
            c.search_prompts()
                .instance_id(inst()?)
                .set_search_criteria(criteria.map(prompt_criteria))
        ),
        Op::ListAgentStatuses => paged!(
            rc,
            op,
            token,
            agent_status_summary_list,
            c.list_agent_statuses().instance_id(inst()?)
        ),
        Op::SearchAgentStatuses => paged!(
            rc,
            op,
            token,
            agent_statuses,
            c.search_agent_statuses()
                .instance_id(inst()?)
                .set_search_criteria(criteria.map(agent_status_criteria))
        ),
        Op::ListApprovedOrigins => paged!(
            rc,
            op,
            token,
            origins,
            c.list_approved_origins().instance_id(inst()?)
        ),
        Op::ListInstanceStorageConfigs => paged!(
            rc,
            op,
            token,
            storage_configs,
            c.list_instance_storage_configs()
                .instance_id(inst()?)
                .resource_type(InstanceStorageResourceType::from(variant()?))
        ),
        Op::ListIntegrationAssociations => paged!(
            rc,
            op,
            token,
            integration_association_summary_list,
            c.list_integration_associations().instance_id(inst()?)
        ),
        other => Err(missing(other, region, "a paged read mapping")),
    }
}

/// One unpaged per-item call, answered as its result member.
pub async fn single(rc: &RegionClient, op: Op, target: Target<'_>) -> Result<Value, ApiError> {
    let c = &rc.client;
    let region = rc.region.as_str();
    let item = || target.item.ok_or_else(|| missing(op, region, "an item"));
    match op {
        Op::ListTagsForResource => {
            described!(
                rc,
                op,
                tags,
                c.list_tags_for_resource().resource_arn(item()?)
            )
        }
        other => Err(missing(other, region, "a single-answer mapping")),
    }
}

/// One Describe* call.
pub async fn describe(rc: &RegionClient, op: Op, target: Target<'_>) -> Result<Value, ApiError> {
    let c = &rc.client;
    let region = rc.region.as_str();
    let inst = || {
        target
            .instance
            .ok_or_else(|| missing(op, region, "an instance"))
    };
    let item = || target.item.ok_or_else(|| missing(op, region, "an item id"));
    match op {
        Op::DescribeInstance => {
            described!(rc, op, instance, c.describe_instance().instance_id(item()?))
        }
        Op::DescribeUser => described!(
            rc,
            op,
            user,
            c.describe_user().instance_id(inst()?).user_id(item()?)
        ),
        Op::DescribeQueue => described!(
            rc,
            op,
            queue,
            c.describe_queue().instance_id(inst()?).queue_id(item()?)
        ),
        Op::DescribeRoutingProfile => described!(
            rc,
            op,
            routing_profile,
            c.describe_routing_profile()
                .instance_id(inst()?)
                .routing_profile_id(item()?)
        ),
        Op::DescribeHoursOfOperation => described!(
            rc,
            op,
            hours_of_operation,
            c.describe_hours_of_operation()
                .instance_id(inst()?)
                .hours_of_operation_id(item()?)
        ),
        Op::DescribeContactFlow => described!(
            rc,
            op,
            contact_flow,
            c.describe_contact_flow()
                .instance_id(inst()?)
                .contact_flow_id(item()?)
        ),
        Op::DescribeContactFlowModule => described!(
            rc,
            op,
            contact_flow_module,
            c.describe_contact_flow_module()
                .instance_id(inst()?)
                .contact_flow_module_id(item()?)
        ),
        Op::DescribePhoneNumber => described!(
            rc,
            op,
            claimed_phone_number_summary,
            c.describe_phone_number().phone_number_id(item()?)
        ),
        Op::DescribeSecurityProfile => described!(
            rc,
            op,
            security_profile,
            c.describe_security_profile()
                .instance_id(inst()?)
                .security_profile_id(item()?)
        ),
        Op::DescribeQuickConnect => described!(
            rc,
            op,
            quick_connect,
            c.describe_quick_connect()
                .instance_id(inst()?)
                .quick_connect_id(item()?)
        ),
        Op::DescribeUserHierarchyGroup => described!(
            rc,
            op,
            hierarchy_group,
            c.describe_user_hierarchy_group()
                .instance_id(inst()?)
                .hierarchy_group_id(item()?)
        ),
        Op::DescribePrompt => described!(
            rc,
            op,
            prompt,
            c.describe_prompt().instance_id(inst()?).prompt_id(item()?)
        ),
        Op::DescribeAgentStatus => described!(
            rc,
            op,
            agent_status,
            c.describe_agent_status()
                .instance_id(inst()?)
                .agent_status_id(item()?)
        ),
        Op::DescribeInstanceStorageConfig => described!(
            rc,
            op,
            storage_config,
            c.describe_instance_storage_config()
                .instance_id(inst()?)
                .association_id(item()?)
                .resource_type(InstanceStorageResourceType::from(
                    target
                        .variant
                        .ok_or_else(|| missing(op, region, "a resource type"))?
                ))
        ),
        other => Err(missing(other, region, "a describe mapping")),
    }
}

/// Every page of a paged operation as a stream of items, page after page:
/// callers can start per-item calls while later pages are on their way.
pub fn items<'a>(
    rc: &'a RegionClient,
    op: Op,
    target: Target<'a>,
    criteria: Option<&'a Criteria>,
) -> impl Stream<Item = Result<Value, ApiError>> + 'a {
    paged_items(op, &rc.region, move |token| {
        page(rc, op, target, criteria, token)
    })
}

/// The member that names an item of `op`'s answer once across pages: the
/// ARN (or else the id) the catalog reads from that call.
fn identity_member(op: Op) -> Option<&'static str> {
    RESOURCE_TYPES.iter().find_map(|r| {
        let (call, _) = r.read_calls().into_iter().find(|(_, o)| *o == op)?;
        [r.arn_field, Some(r.id_field)]
            .into_iter()
            .flatten()
            .filter_map(|name| r.field_index(name))
            .flat_map(|i| r.fields[i].sources())
            .find_map(|s| match s {
                Source::Member { calls, member, .. } if calls.has(call) && !member.is_empty() => {
                    Some(*member)
                }
                _ => None,
            })
    })
}

/// The paging loop, over any page fetcher (the SDK, or a test's pages).
///
/// The next page is asked for as soon as a page's token is known, while
/// the consumer is still taking that page's items: decoding and loading a
/// page overlaps the next page's round trip, so a listing of ten pages
/// costs ten round trips, not ten round trips plus ten pages of work.
///
/// Never a silent partial read: a next-page token that was already used
/// (the server answering page 2 again and again, or a cycle 1→2→3→2) is
/// an error naming the operation, not a listing that stops and looks
/// complete; an item that appears on two pages (the same ARN, or id) is
/// given once. After an error nothing more is given (the listing failed).
pub fn paged_items<'a, F, Fut>(
    op: Op,
    region: &'a str,
    mut fetch: F,
) -> impl Stream<Item = Result<Value, ApiError>> + 'a
where
    F: FnMut(Option<String>) -> Fut + 'a,
    Fut: std::future::Future<Output = Result<Page, ApiError>> + 'a,
{
    use std::pin::Pin;
    use std::task::Poll;

    let identity = identity_member(op);
    // Every token sent so far: a cycle of any length shows up here.
    let mut used: HashSet<String> = HashSet::new();
    // The identity of every item given so far.
    let mut given: HashSet<String> = HashSet::new();
    let mut pages = 0usize;
    let mut buffered: VecDeque<Value> = VecDeque::new();
    let mut failed: Option<ApiError> = None;
    let mut finished = false;
    let mut pending: Option<Pin<Box<Fut>>> = Some(Box::pin(fetch(None)));
    let mut sent: Option<String> = None;
    futures::stream::poll_fn(move |cx| loop {
        // Drive the page in flight, even while items are buffered.
        if let Some(fut) = pending.as_mut() {
            if let Poll::Ready(result) = fut.as_mut().poll(cx) {
                pending = None;
                match result {
                    Ok(p) => {
                        pages += 1;
                        if let Some(t) = sent.take() {
                            used.insert(t);
                        }
                        for item in p.items {
                            let key = identity
                                .and_then(|m| item.get(m))
                                .and_then(Value::as_str)
                                .map(str::to_string);
                            if key.is_none_or(|k| given.insert(k)) {
                                buffered.push_back(item);
                            }
                        }
                        match p.next.filter(|t| !t.is_empty()) {
                            None => finished = true,
                            Some(t) if used.contains(&t) => {
                                failed = Some(repeated_token(op, region, pages));
                            }
                            Some(t) => {
                                sent = Some(t.clone());
                                pending = Some(Box::pin(fetch(Some(t))));
                                // Poll it once now: the request goes out.
                                continue;
                            }
                        }
                    }
                    Err(e) => failed = Some(e),
                }
            }
        }
        if let Some(e) = failed.take() {
            buffered.clear();
            pending = None;
            finished = true;
            return Poll::Ready(Some(Err(e)));
        }
        if let Some(item) = buffered.pop_front() {
            return Poll::Ready(Some(Ok(item)));
        }
        if pending.is_none() && finished {
            return Poll::Ready(None);
        }
        return Poll::Pending;
    })
}

/// A page token the server already sent: reading on would loop forever,
/// and stopping would pass a partial listing off as complete.
fn repeated_token(op: Op, region: &str, pages: usize) -> ApiError {
    ApiError::new(
        op,
        region,
        ApiErrorKind::MalformedResponse,
        format!(
            "page {pages} answered a NextToken that an earlier page already gave; \
             the listing would loop, so it was stopped and is incomplete"
        ),
    )
}

/// Every page of a paged operation, collected.
pub async fn all_items(
    rc: &RegionClient,
    op: Op,
    target: Target<'_>,
    criteria: Option<&Criteria>,
) -> Result<Vec<Value>, ApiError> {
    use futures::TryStreamExt;
    items(rc, op, target, criteria).try_collect().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::TryStreamExt;
    use serde_json::json;

    /// Pages by token: `None` is the first page; each entry is (items' ARNs, next token).
    async fn read_pages(
        op: Op,
        pages: Vec<(Option<&str>, Vec<&str>, Option<&str>)>,
    ) -> Result<Vec<Value>, ApiError> {
        let calls = std::cell::Cell::new(0usize);
        let result = paged_items(op, "us-east-1", |token: Option<String>| {
            calls.set(calls.get() + 1);
            assert!(calls.get() < 50, "the pager loops");
            let found = pages
                .iter()
                .find(|(t, _, _)| t.map(str::to_string) == token)
                .map(|(_, arns, next)| Page {
                    items: arns
                        .iter()
                        .map(|a| json!({"Arn": a, "Username": a}))
                        .collect(),
                    next: next.map(str::to_string),
                })
                .expect("a page for every token sent");
            async move { Ok(found) }
        })
        .try_collect()
        .await;
        result
    }

    fn arns(items: &[Value]) -> Vec<&str> {
        items.iter().map(|i| i["Arn"].as_str().unwrap()).collect()
    }

    #[tokio::test]
    async fn every_page_is_read_and_empty_pages_do_not_end_the_listing() {
        let items = read_pages(
            Op::ListUsers,
            vec![
                (None, vec!["a", "b"], Some("t2")),
                (Some("t2"), vec![], Some("t3")),
                (Some("t3"), vec!["c"], None),
            ],
        )
        .await
        .unwrap();
        assert_eq!(arns(&items), ["a", "b", "c"]);
    }

    #[tokio::test]
    async fn a_repeated_token_is_an_error_naming_the_operation() {
        // 1 → 2 → 2 → 2 …: Connect's page 2 answering its own token again.
        let e = read_pages(
            Op::SearchUsers,
            vec![
                (None, vec!["a"], Some("t2")),
                (Some("t2"), vec!["b"], Some("t2")),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(e.operation, Op::SearchUsers);
        assert_eq!(e.kind, ApiErrorKind::MalformedResponse);
        let text = e.to_string();
        assert!(
            text.contains("SearchUsers")
                && text.contains("NextToken")
                && text.contains("incomplete"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn a_cycle_of_tokens_is_an_error() {
        // 1 → 2 → 3 → 2: no token repeats twice in a row.
        let e = read_pages(
            Op::ListQueues,
            vec![
                (None, vec!["a"], Some("t2")),
                (Some("t2"), vec!["b"], Some("t3")),
                (Some("t3"), vec!["c"], Some("t2")),
            ],
        )
        .await
        .unwrap_err();
        assert_eq!(e.operation, Op::ListQueues);
        assert!(e.to_string().contains("page 3"), "{e}");
    }

    #[tokio::test]
    async fn an_item_on_two_pages_is_given_once() {
        let items = read_pages(
            Op::ListUsers,
            vec![
                (None, vec!["a", "b"], Some("t2")),
                (Some("t2"), vec!["b", "c"], Some("t3")),
                (Some("t3"), vec!["a"], None),
            ],
        )
        .await
        .unwrap();
        assert_eq!(arns(&items), ["a", "b", "c"]);
    }

    #[test]
    fn items_are_keyed_by_the_arn_the_catalog_reads() {
        assert_eq!(identity_member(Op::ListUsers), Some("Arn"));
        assert_eq!(identity_member(Op::SearchQueues), Some("QueueArn"));
        assert_eq!(identity_member(Op::ListInstances), Some("Arn"));
        // Phone numbers carry two ARNs; the number's own is the key.
        assert_eq!(
            identity_member(Op::ListPhoneNumbersV2),
            Some("PhoneNumberArn")
        );
    }
}
