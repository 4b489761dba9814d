//! The one table of Connect operations connectql knows: the name (which is
//! also the IAM action after `connect:`), the HTTP binding, the largest page
//! Connect allows, the output member holding the answer, and Connect's
//! documented default rate. The API mapping, EXPLAIN, the pacer, error
//! messages and the local endpoint's router all read it; nothing else
//! writes an operation's name.

use std::fmt;

/// A documented request rate: a token bucket refilled at `per_second`,
/// holding at most `burst` requests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_second: f64,
    pub burst: u32,
}

/// Amazon Connect's default for every operation here but two: "a RateLimit
/// of 2 requests per second, and a BurstLimit of 5 requests per second"
/// (Connect Administrator Guide, API throttling quotas).
pub const STD: Rate = Rate {
    per_second: 2.0,
    burst: 5,
};
/// CreateInstance and DeleteInstance: one request per 10 seconds.
pub const SLOW: Rate = Rate {
    per_second: 0.1,
    burst: 1,
};

/// One row of the table.
#[derive(Debug)]
pub struct Operation {
    pub op: Op,
    /// The operation's name, e.g. `SearchUsers`.
    pub name: &'static str,
    /// HTTP method of its restJson1 binding.
    pub method: &'static str,
    /// URI template, labels in braces (`/users/{InstanceId}/{UserId}`).
    pub uri: &'static str,
    /// The largest `MaxResults` Connect accepts (paged operations only).
    pub max_results: Option<u32>,
    /// The output member holding the items (paged) or the described object.
    pub result: Option<&'static str>,
    pub rate: Rate,
}

impl Operation {
    /// The IAM action that allows the operation.
    pub fn iam_action(&self) -> String {
        format!("connect:{}", self.name)
    }
    /// True for operations that only read (List*, Describe*, Search*).
    pub fn is_read(&self) -> bool {
        ["List", "Describe", "Search", "Get"]
            .iter()
            .any(|p| self.name.starts_with(p))
    }
}

macro_rules! optional {
    (-) => {
        None
    };
    ($value:literal) => {
        Some($value)
    };
}

macro_rules! operations {
    ($($op:ident $method:ident $uri:literal $page:tt $result:tt $rate:ident;)*) => {
        /// A Connect operation; its row in [`OPERATIONS`] says everything else.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Op {
            $($op,)*
        }

        /// Every operation, in the order of [`Op`].
        pub static OPERATIONS: &[Operation] = &[
            $(Operation {
                op: Op::$op,
                name: stringify!($op),
                method: stringify!($method),
                uri: $uri,
                max_results: optional!($page),
                result: optional!($result),
                rate: $rate,
            },)*
        ];
    };
}

operations! {
    // operation                            method  URI                                                                         page result                                                 rate
    ListInstances                            GET    "/instance"                                                                  10   "InstanceSummaryList"                                  STD;
    DescribeInstance                         GET    "/instance/{InstanceId}"                                                     -    "Instance"                                             STD;
    ListInstanceAttributes                   GET    "/instance/{InstanceId}/attributes"                                          7    "Attributes"                                           STD;
    DescribeInstanceAttribute                GET    "/instance/{InstanceId}/attribute/{AttributeType}"                           -    "Attribute"                                            STD;
    UpdateInstanceAttribute                  POST   "/instance/{InstanceId}/attribute/{AttributeType}"                           -    -                                                      STD;
    ListTagsForResource                      GET    "/tags/{resourceArn}"                                                        -    "tags"                                                 STD;
    TagResource                              POST   "/tags/{resourceArn}"                                                        -    -                                                      STD;
    UntagResource                            DELETE "/tags/{resourceArn}"                                                        -    -                                                      STD;
    CreateInstance                           PUT    "/instance"                                                                  -    -                                                      SLOW;
    DeleteInstance                           DELETE "/instance/{InstanceId}"                                                     -    -                                                      SLOW;
    ListUsers                                GET    "/users-summary/{InstanceId}"                                                1000 "UserSummaryList"                                      STD;
    DescribeUser                             GET    "/users/{InstanceId}/{UserId}"                                               -    "User"                                                 STD;
    SearchUsers                              POST   "/search-users"                                                              500  "Users"                                                STD;
    ListUserProficiencies                    GET    "/users/{InstanceId}/{UserId}/proficiencies"                                 100  "UserProficiencyList"                                  STD;
    CreateUser                               PUT    "/users/{InstanceId}"                                                        -    -                                                      STD;
    DeleteUser                               DELETE "/users/{InstanceId}/{UserId}"                                               -    -                                                      STD;
    UpdateUserIdentityInfo                   POST   "/users/{InstanceId}/{UserId}/identity-info"                                 -    -                                                      STD;
    UpdateUserPhoneConfig                    POST   "/users/{InstanceId}/{UserId}/phone-config"                                  -    -                                                      STD;
    AssociateUserProficiencies               POST   "/users/{InstanceId}/{UserId}/associate-proficiencies"                       -    -                                                      STD;
    DisassociateUserProficiencies            POST   "/users/{InstanceId}/{UserId}/disassociate-proficiencies"                    -    -                                                      STD;
    UpdateUserProficiencies                  POST   "/users/{InstanceId}/{UserId}/proficiencies"                                 -    -                                                      STD;
    UpdateUserRoutingProfile                 POST   "/users/{InstanceId}/{UserId}/routing-profile"                               -    -                                                      STD;
    UpdateUserSecurityProfiles               POST   "/users/{InstanceId}/{UserId}/security-profiles"                             -    -                                                      STD;
    UpdateUserHierarchy                      POST   "/users/{InstanceId}/{UserId}/hierarchy"                                     -    -                                                      STD;
    UpdateUserConfig                         POST   "/users/{InstanceId}/{UserId}/config"                                        -    -                                                      STD;
    ListQueues                               GET    "/queues-summary/{InstanceId}"                                               1000 "QueueSummaryList"                                     STD;
    DescribeQueue                            GET    "/queues/{InstanceId}/{QueueId}"                                             -    "Queue"                                                STD;
    SearchQueues                             POST   "/search-queues"                                                             500  "Queues"                                               STD;
    ListQueueQuickConnects                   GET    "/queues/{InstanceId}/{QueueId}/quick-connects"                              100  "QuickConnectSummaryList"                              STD;
    ListQueueEmailAddresses                  GET    "/queues/{InstanceId}/{QueueId}/email-addresses"                             100  "EmailAddressMetadataList"                             STD;
    CreateQueue                              PUT    "/queues/{InstanceId}"                                                       -    -                                                      STD;
    DeleteQueue                              DELETE "/queues/{InstanceId}/{QueueId}"                                             -    -                                                      STD;
    UpdateQueueName                          POST   "/queues/{InstanceId}/{QueueId}/name"                                        -    -                                                      STD;
    UpdateQueueHoursOfOperation              POST   "/queues/{InstanceId}/{QueueId}/hours-of-operation"                          -    -                                                      STD;
    UpdateQueueMaxContacts                   POST   "/queues/{InstanceId}/{QueueId}/max-contacts"                                -    -                                                      STD;
    UpdateQueueStatus                        POST   "/queues/{InstanceId}/{QueueId}/status"                                      -    -                                                      STD;
    UpdateQueueOutboundCallerConfig          POST   "/queues/{InstanceId}/{QueueId}/outbound-caller-config"                      -    -                                                      STD;
    AssociateQueueQuickConnects              POST   "/queues/{InstanceId}/{QueueId}/associate-quick-connects"                    -    -                                                      STD;
    DisassociateQueueQuickConnects           POST   "/queues/{InstanceId}/{QueueId}/disassociate-quick-connects"                 -    -                                                      STD;
    ListRoutingProfiles                      GET    "/routing-profiles-summary/{InstanceId}"                                     1000 "RoutingProfileSummaryList"                            STD;
    DescribeRoutingProfile                   GET    "/routing-profiles/{InstanceId}/{RoutingProfileId}"                          -    "RoutingProfile"                                       STD;
    SearchRoutingProfiles                    POST   "/search-routing-profiles"                                                   500  "RoutingProfiles"                                      STD;
    ListRoutingProfileQueues                 GET    "/routing-profiles/{InstanceId}/{RoutingProfileId}/queues"                   100  "RoutingProfileQueueConfigSummaryList"                 STD;
    ListRoutingProfileManualAssignmentQueues GET    "/routing-profiles/{InstanceId}/{RoutingProfileId}/manual-assignment-queues" 100  "RoutingProfileManualAssignmentQueueConfigSummaryList" STD;
    CreateRoutingProfile                     PUT    "/routing-profiles/{InstanceId}"                                             -    -                                                      STD;
    DeleteRoutingProfile                     DELETE "/routing-profiles/{InstanceId}/{RoutingProfileId}"                          -    -                                                      STD;
    UpdateRoutingProfileName                 POST   "/routing-profiles/{InstanceId}/{RoutingProfileId}/name"                     -    -                                                      STD;
    UpdateRoutingProfileDefaultOutboundQueue POST   "/routing-profiles/{InstanceId}/{RoutingProfileId}/default-outbound-queue"   -    -                                                      STD;
    UpdateRoutingProfileConcurrency          POST   "/routing-profiles/{InstanceId}/{RoutingProfileId}/concurrency"              -    -                                                      STD;
    AssociateRoutingProfileQueues            POST   "/routing-profiles/{InstanceId}/{RoutingProfileId}/associate-queues"         -    -                                                      STD;
    DisassociateRoutingProfileQueues         POST   "/routing-profiles/{InstanceId}/{RoutingProfileId}/disassociate-queues"      -    -                                                      STD;
    UpdateRoutingProfileQueues               POST   "/routing-profiles/{InstanceId}/{RoutingProfileId}/queues"                   -    -                                                      STD;
    UpdateRoutingProfileAgentAvailabilityTimer POST   "/routing-profiles/{InstanceId}/{RoutingProfileId}/agent-availability-timer" -    -                                                      STD;
    ListHoursOfOperations                    GET    "/hours-of-operations-summary/{InstanceId}"                                  1000 "HoursOfOperationSummaryList"                          STD;
    DescribeHoursOfOperation                 GET    "/hours-of-operations/{InstanceId}/{HoursOfOperationId}"                     -    "HoursOfOperation"                                     STD;
    SearchHoursOfOperations                  POST   "/search-hours-of-operations"                                                100  "HoursOfOperations"                                    STD;
    ListHoursOfOperationOverrides            GET    "/hours-of-operations/{InstanceId}/{HoursOfOperationId}/overrides"           100  "HoursOfOperationOverrideList"                         STD;
    ListChildHoursOfOperations               GET    "/hours-of-operations/{InstanceId}/{HoursOfOperationId}/hours"               100  "ChildHoursOfOperationsSummaryList"                    STD;
    CreateHoursOfOperation                   PUT    "/hours-of-operations/{InstanceId}"                                          -    -                                                      STD;
    UpdateHoursOfOperation                   POST   "/hours-of-operations/{InstanceId}/{HoursOfOperationId}"                     -    -                                                      STD;
    DeleteHoursOfOperation                   DELETE "/hours-of-operations/{InstanceId}/{HoursOfOperationId}"                     -    -                                                      STD;
    CreateHoursOfOperationOverride           PUT    "/hours-of-operations/{InstanceId}/{HoursOfOperationId}/overrides"           -    -                                                      STD;
    UpdateHoursOfOperationOverride           POST   "/hours-of-operations/{InstanceId}/{HoursOfOperationId}/overrides/{HoursOfOperationOverrideId}" -   -                                                      STD;
    DeleteHoursOfOperationOverride           DELETE "/hours-of-operations/{InstanceId}/{HoursOfOperationId}/overrides/{HoursOfOperationOverrideId}" -   -                                                      STD;
    AssociateHoursOfOperations               POST   "/hours-of-operations/{InstanceId}/{HoursOfOperationId}/associate-hours"     -    -                                                      STD;
    DisassociateHoursOfOperations            POST   "/hours-of-operations/{InstanceId}/{HoursOfOperationId}/disassociate-hours"  -    -                                                      STD;
    ListContactFlows                         GET    "/contact-flows-summary/{InstanceId}"                                        1000 "ContactFlowSummaryList"                               STD;
    DescribeContactFlow                      GET    "/contact-flows/{InstanceId}/{ContactFlowId}"                                -    "ContactFlow"                                          STD;
    SearchContactFlows                       POST   "/search-contact-flows"                                                      100  "ContactFlows"                                         STD;
    CreateContactFlow                        PUT    "/contact-flows/{InstanceId}"                                                -    -                                                      STD;
    UpdateContactFlowContent                 POST   "/contact-flows/{InstanceId}/{ContactFlowId}/content"                        -    -                                                      STD;
    UpdateContactFlowMetadata                POST   "/contact-flows/{InstanceId}/{ContactFlowId}/metadata"                       -    -                                                      STD;
    UpdateContactFlowName                    POST   "/contact-flows/{InstanceId}/{ContactFlowId}/name"                           -    -                                                      STD;
    DeleteContactFlow                        DELETE "/contact-flows/{InstanceId}/{ContactFlowId}"                                -    -                                                      STD;
    ListContactFlowModules                   GET    "/contact-flow-modules-summary/{InstanceId}"                                 1000 "ContactFlowModulesSummaryList"                        STD;
    DescribeContactFlowModule                GET    "/contact-flow-modules/{InstanceId}/{ContactFlowModuleId}"                   -    "ContactFlowModule"                                    STD;
    SearchContactFlowModules                 POST   "/search-contact-flow-modules"                                               100  "ContactFlowModules"                                   STD;
    CreateContactFlowModule                  PUT    "/contact-flow-modules/{InstanceId}"                                         -    -                                                      STD;
    UpdateContactFlowModuleContent           POST   "/contact-flow-modules/{InstanceId}/{ContactFlowModuleId}/content"           -    -                                                      STD;
    UpdateContactFlowModuleMetadata          POST   "/contact-flow-modules/{InstanceId}/{ContactFlowModuleId}/metadata"          -    -                                                      STD;
    DeleteContactFlowModule                  DELETE "/contact-flow-modules/{InstanceId}/{ContactFlowModuleId}"                   -    -                                                      STD;
    ListPhoneNumbersV2                       POST   "/phone-number/list"                                                         1000 "ListPhoneNumbersSummaryList"                          STD;
    DescribePhoneNumber                      GET    "/phone-number/{PhoneNumberId}"                                              -    "ClaimedPhoneNumberSummary"                            STD;
    ClaimPhoneNumber                         POST   "/phone-number/claim"                                                        -    -                                                      STD;
    AssociatePhoneNumberContactFlow          PUT    "/phone-number/{PhoneNumberId}/contact-flow"                                 -    -                                                      STD;
    DisassociatePhoneNumberContactFlow       DELETE "/phone-number/{PhoneNumberId}/contact-flow"                                 -    -                                                      STD;
    UpdatePhoneNumber                        PUT    "/phone-number/{PhoneNumberId}"                                              -    -                                                      STD;
    UpdatePhoneNumberMetadata                PUT    "/phone-number/{PhoneNumberId}/metadata"                                     -    -                                                      STD;
    ReleasePhoneNumber                       DELETE "/phone-number/{PhoneNumberId}"                                              -    -                                                      STD;
    ListFlowAssociations                     GET    "/flow-associations-summary/{InstanceId}"                                    1000 "FlowAssociationSummaryList"                           STD;
    ListSecurityProfiles                     GET    "/security-profiles-summary/{InstanceId}"                                    1000 "SecurityProfileSummaryList"                           STD;
    DescribeSecurityProfile                  GET    "/security-profiles/{InstanceId}/{SecurityProfileId}"                        -    "SecurityProfile"                                      STD;
    SearchSecurityProfiles                   POST   "/search-security-profiles"                                                  100  "SecurityProfiles"                                     STD;
    ListSecurityProfilePermissions           GET    "/security-profiles-permissions/{InstanceId}/{SecurityProfileId}"            1000 "Permissions"                                          STD;
    ListSecurityProfileApplications          GET    "/security-profiles-applications/{InstanceId}/{SecurityProfileId}"           1000 "Applications"                                         STD;
    ListSecurityProfileFlowModules           GET    "/security-profiles-flow-modules/{InstanceId}/{SecurityProfileId}"           1000 "AllowedFlowModules"                                   STD;
    CreateSecurityProfile                    PUT    "/security-profiles/{InstanceId}"                                            -    -                                                      STD;
    UpdateSecurityProfile                    POST   "/security-profiles/{InstanceId}/{SecurityProfileId}"                        -    -                                                      STD;
    DeleteSecurityProfile                    DELETE "/security-profiles/{InstanceId}/{SecurityProfileId}"                        -    -                                                      STD;
    ListQuickConnects                        GET    "/quick-connects/{InstanceId}"                                               1000 "QuickConnectSummaryList"                              STD;
    DescribeQuickConnect                     GET    "/quick-connects/{InstanceId}/{QuickConnectId}"                              -    "QuickConnect"                                         STD;
    SearchQuickConnects                      POST   "/search-quick-connects"                                                     100  "QuickConnects"                                        STD;
    CreateQuickConnect                       PUT    "/quick-connects/{InstanceId}"                                               -    -                                                      STD;
    UpdateQuickConnectName                   POST   "/quick-connects/{InstanceId}/{QuickConnectId}/name"                         -    -                                                      STD;
    UpdateQuickConnectConfig                 POST   "/quick-connects/{InstanceId}/{QuickConnectId}/config"                       -    -                                                      STD;
    DeleteQuickConnect                       DELETE "/quick-connects/{InstanceId}/{QuickConnectId}"                              -    -                                                      STD;
    ListUserHierarchyGroups                  GET    "/user-hierarchy-groups-summary/{InstanceId}"                                1000 "UserHierarchyGroupSummaryList"                        STD;
    DescribeUserHierarchyGroup               GET    "/user-hierarchy-groups/{InstanceId}/{HierarchyGroupId}"                     -    "HierarchyGroup"                                       STD;
    SearchUserHierarchyGroups                POST   "/search-user-hierarchy-groups"                                              100  "UserHierarchyGroups"                                  STD;
    CreateUserHierarchyGroup                 PUT    "/user-hierarchy-groups/{InstanceId}"                                        -    -                                                      STD;
    UpdateUserHierarchyGroupName             POST   "/user-hierarchy-groups/{InstanceId}/{HierarchyGroupId}/name"                -    -                                                      STD;
    DeleteUserHierarchyGroup                 DELETE "/user-hierarchy-groups/{InstanceId}/{HierarchyGroupId}"                     -    -                                                      STD;
    ListPrompts                              GET    "/prompts-summary/{InstanceId}"                                              1000 "PromptSummaryList"                                    STD;
    DescribePrompt                           GET    "/prompts/{InstanceId}/{PromptId}"                                           -    "Prompt"                                               STD;
    SearchPrompts                            POST   "/search-prompts"                                                            100  "Prompts"                                              STD;
    CreatePrompt                             PUT    "/prompts/{InstanceId}"                                                      -    -                                                      STD;
    UpdatePrompt                             POST   "/prompts/{InstanceId}/{PromptId}"                                           -    -                                                      STD;
    DeletePrompt                             DELETE "/prompts/{InstanceId}/{PromptId}"                                           -    -                                                      STD;
    ListAgentStatuses                        GET    "/agent-status/{InstanceId}"                                                 1000 "AgentStatusSummaryList"                               STD;
    DescribeAgentStatus                      GET    "/agent-status/{InstanceId}/{AgentStatusId}"                                 -    "AgentStatus"                                          STD;
    SearchAgentStatuses                      POST   "/search-agent-statuses"                                                     100  "AgentStatuses"                                        STD;
    CreateAgentStatus                        PUT    "/agent-status/{InstanceId}"                                                 -    -                                                      STD;
    UpdateAgentStatus                        POST   "/agent-status/{InstanceId}/{AgentStatusId}"                                 -    -                                                      STD;
    ListApprovedOrigins                      GET    "/instance/{InstanceId}/approved-origins"                                    25   "Origins"                                              STD;
    AssociateApprovedOrigin                  PUT    "/instance/{InstanceId}/approved-origin"                                     -    -                                                      STD;
    DisassociateApprovedOrigin               DELETE "/instance/{InstanceId}/approved-origin"                                     -    -                                                      STD;
    ListInstanceStorageConfigs               GET    "/instance/{InstanceId}/storage-configs"                                     10   "StorageConfigs"                                       STD;
    DescribeInstanceStorageConfig            GET    "/instance/{InstanceId}/storage-config/{AssociationId}"                      -    "StorageConfig"                                        STD;
    AssociateInstanceStorageConfig           PUT    "/instance/{InstanceId}/storage-config"                                      -    "AssociationId"                                        STD;
    UpdateInstanceStorageConfig              POST   "/instance/{InstanceId}/storage-config/{AssociationId}"                      -    -                                                      STD;
    DisassociateInstanceStorageConfig        DELETE "/instance/{InstanceId}/storage-config/{AssociationId}"                      -    -                                                      STD;
    ListIntegrationAssociations              GET    "/instance/{InstanceId}/integration-associations"                            100  "IntegrationAssociationSummaryList"                    STD;
    CreateIntegrationAssociation             PUT    "/instance/{InstanceId}/integration-associations"                            -    -                                                      STD;
    DeleteIntegrationAssociation             DELETE "/instance/{InstanceId}/integration-associations/{IntegrationAssociationId}" -    -                                                      STD;
}

impl Op {
    /// This operation's row.
    pub fn def(self) -> &'static Operation {
        &OPERATIONS[self as usize]
    }
    pub fn name(self) -> &'static str {
        self.def().name
    }
    pub fn iam_action(self) -> String {
        self.def().iam_action()
    }
    /// The operation with this exact name.
    pub fn from_name(name: &str) -> Option<Op> {
        OPERATIONS.iter().find(|o| o.name == name).map(|o| o.op)
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_enum() {
        for (i, row) in OPERATIONS.iter().enumerate() {
            assert_eq!(row.op as usize, i, "{}", row.name);
            assert_eq!(Op::from_name(row.name), Some(row.op));
        }
    }

    #[test]
    fn paged_reads_have_a_result_member() {
        for row in OPERATIONS {
            if row.max_results.is_some() {
                assert!(row.is_read() && row.result.is_some(), "{}", row.name);
            }
            assert!(row.uri.starts_with('/'), "{}", row.name);
        }
        assert_eq!(Op::SearchUsers.def().max_results, Some(500));
        assert_eq!(Op::ListInstanceAttributes.def().max_results, Some(7));
        assert_eq!(Op::CreateInstance.def().rate, SLOW);
        assert_eq!(Op::DescribeUser.iam_action(), "connect:DescribeUser");
    }
}
