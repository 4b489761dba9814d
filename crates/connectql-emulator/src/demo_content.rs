//! The contact centres inside the `--demo-data` instances: a fixed
//! specification per instance ([`SPECS`]), built on top of the new-instance
//! defaults with the same code as the Create* operations and deterministic ids
//! (see [`super::defaults::item_id`]), so that tests and documentation can name
//! exact rows. [`super::demo::demo_facts`] says what each instance holds.
//!
//! | instance (region) | users | queues | routing profiles | hours | flows | numbers |
//! |---|---|---|---|---|---|---|
//! | acme-support (us-east-1) | 36 | 7 | 5 | 5 | 14 | 4 |
//! | acme-sales (us-east-1) | 24 | 5 | 5 | 4 | 11 | 2 |
//! | acme-uk (eu-west-2) | 28 | 6 | 5 | 4 | 12 | 3 |
//! | acme-anz (ap-southeast-2) | 22 | 5 | 5 | 4 | 11 | 3 |
//!
//! (counts include the defaults: BasicQueue, Basic Routing Profile, Basic Hours,
//! the nine default flows). The notable cases each instance has, by name, are in
//! [`DemoFacts`]: a routing profile with users but no queues, one with no users,
//! hours no queue uses, a queue no flow transfers to, a flow no number reaches,
//! a custom security profile with a distinctive permission held by a few users.
//! `platform.admin` exists in acme-support, acme-uk and acme-anz.

use serde_json::{json, Value};

use super::changes::{self as ch, Body, DAYS};
use super::content::{item_arn, Kind};
use super::defaults::{flow_content, item_id, Action, BASIC_ROUTING_PROFILE};
use super::scope::Cx;

/// Opening hours: days and hours (start, end; 0–0 = all day).
#[derive(Debug, Clone, Copy)]
pub enum Sched {
    AllWeek(i64, i64),
    Weekdays(i64, i64),
    Weekend(i64, i64),
}

/// A storage configuration of the demo.
#[derive(Debug, Clone, Copy)]
pub enum Storage {
    S3(&'static str, &'static str),
    Kinesis(&'static str),
    Firehose(&'static str),
}

/// What a quick connect reaches.
#[derive(Debug, Clone, Copy)]
pub enum QcTarget {
    Queue(&'static str),
    Phone(&'static str),
}

/// A user beyond the generated agents.
#[derive(Debug, Clone, Copy)]
pub struct NamedUser {
    pub username: &'static str,
    pub first: &'static str,
    pub last: &'static str,
    pub routing_profile: &'static str,
    pub security_profiles: &'static [&'static str],
}

/// (name, description, [(queue, channels, priority)], default outbound queue).
pub type RoutingProfileSpec = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static [&'static str], i64)],
    &'static str,
);

/// (integration type, integration ARN, source application name, tags).
pub type IntegrationSpec = (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, &'static str)],
);

/// One demo contact centre.
#[derive(Debug)]
pub struct Spec {
    pub alias: &'static str,
    pub domain: &'static str,
    /// (name, time zone, schedule).
    pub hours: &'static [(&'static str, &'static str, Sched)],
    /// Overrides: (hours, override name, date YYYY-MM-DD, OPEN/CLOSED).
    pub hours_overrides: &'static [(&'static str, &'static str, &'static str, &'static str)],
    /// Child hours and their parent: (child, parent).
    pub hours_parents: &'static [(&'static str, &'static str)],
    /// (name, description, hours, max contacts).
    pub queues: &'static [(&'static str, &'static str, &'static str, Option<i64>)],
    pub prompts: &'static [&'static str],
    /// (name, target).
    pub quick_connects: &'static [(&'static str, QcTarget)],
    /// (queue, quick connects attached to it).
    pub queue_quick_connects: &'static [(&'static str, &'static [&'static str])],
    /// (name, description, [(queue, channels, priority)], default outbound queue).
    pub routing_profiles: &'static [RoutingProfileSpec],
    /// (name, description, permissions).
    pub security_profiles: &'static [(&'static str, &'static str, &'static [&'static str])],
    /// (group, parent); parents come first.
    pub hierarchy: &'static [(&'static str, Option<&'static str>)],
    /// Generated agents (first.last usernames).
    pub agents: usize,
    /// Routing profiles the agents are spread over, in turn.
    pub agent_routing_profiles: &'static [&'static str],
    /// Hierarchy groups the agents are spread over, in turn.
    pub agent_groups: &'static [&'static str],
    /// The first this many agents also hold the custom security profile.
    pub custom_profile_holders: usize,
    /// Every this-many-th agent is a CallCenterManager instead of an Agent.
    pub manager_every: usize,
    pub named_users: &'static [NamedUser],
    /// (name, description, prompt, queue; no queue = message and hang up).
    pub flows: &'static [(
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    )],
    /// (flow module name, description).
    pub flow_modules: &'static [(&'static str, &'static str)],
    /// (E.164 number, description, flow it is associated with).
    pub phone_numbers: &'static [(&'static str, &'static str, Option<&'static str>)],
    pub approved_origins: &'static [&'static str],
    /// (resource type, storage).
    pub storage: &'static [(&'static str, Storage)],
    /// (integration type, integration ARN, source application name, tags).
    pub integrations: &'static [IntegrationSpec],
    /// (agent status name, description), CUSTOM.
    pub agent_statuses: &'static [(&'static str, &'static str)],
    /// Notable cases, by name (checked against the rest by the tests).
    pub routing_profile_without_queues: &'static str,
    pub routing_profile_without_users: &'static str,
    pub hours_without_queue: &'static str,
    pub queue_without_flow: &'static str,
    pub flow_without_number: &'static str,
    pub custom_security_profile: &'static str,
    pub distinctive_permission: &'static str,
}

/// After-contact work limits (seconds) the generated agents cycle through.
const ACW: [i64; 4] = [0, 30, 60, 120];

const FIRST: [&str; 40] = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Oliver",
    "Sophia",
    "Elijah",
    "Isabella",
    "James",
    "Mia",
    "William",
    "Amelia",
    "Benjamin",
    "Harper",
    "Lucas",
    "Evelyn",
    "Henry",
    "Abigail",
    "Alexander",
    "Emily",
    "Mason",
    "Ella",
    "Michael",
    "Scarlett",
    "Ethan",
    "Grace",
    "Daniel",
    "Chloe",
    "Jacob",
    "Priya",
    "Mateo",
    "Aisha",
    "Kenji",
    "Zara",
    "Tomas",
    "Leila",
    "Ravi",
    "Ingrid",
    "Kwame",
];
const LAST: [&str; 40] = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
];

/// The first and last name of generated agent `i` of instance number `n`.
pub fn agent_name(n: usize, i: usize) -> (&'static str, &'static str) {
    (
        FIRST[(i * 7 + n * 5) % FIRST.len()],
        LAST[(i * 13 + n * 3 + i / FIRST.len()) % LAST.len()],
    )
}

/// The username of generated agent `i` of instance number `n`.
pub fn agent_username(n: usize, i: usize) -> String {
    let (f, l) = agent_name(n, i);
    format!("{}.{}", f.to_lowercase(), l.to_lowercase())
}

const ADMIN: NamedUser = NamedUser {
    username: "platform.admin",
    first: "Platform",
    last: "Admin",
    routing_profile: BASIC_ROUTING_PROFILE,
    security_profiles: &["Admin"],
};

/// The four demo contact centres, in the order of `demo::DEMO`.
pub static SPECS: [Spec; 4] = [
    Spec {
        alias: "acme-support",
        domain: "support.acme.example",
        hours: &[
            (
                "US Business Hours",
                "America/New_York",
                Sched::Weekdays(8, 20),
            ),
            (
                "US West Coast Hours",
                "America/Los_Angeles",
                Sched::Weekdays(8, 17),
            ),
            ("Weekend Support", "America/Chicago", Sched::Weekend(10, 16)),
            ("Holiday Hours", "America/New_York", Sched::AllWeek(10, 14)),
        ],
        queues: &[
            (
                "General Support",
                "First-line support for all customers",
                "US Business Hours",
                Some(50),
            ),
            (
                "Billing",
                "Invoices, refunds and payment questions",
                "US Business Hours",
                Some(20),
            ),
            (
                "Technical Support",
                "Product troubleshooting",
                "US West Coast Hours",
                Some(30),
            ),
            (
                "VIP Support",
                "Customers on premium plans",
                "US Business Hours",
                Some(10),
            ),
            ("Weekend Support", "Weekend cover", "Weekend Support", None),
            (
                "Escalations",
                "Cases escalated by team leads",
                "US Business Hours",
                Some(5),
            ),
        ],
        prompts: &[
            "Welcome_Support.wav",
            "AfterHours_Support.wav",
            "Billing_Intro.wav",
        ],
        quick_connects: &[
            ("Transfer to Billing", QcTarget::Queue("Billing")),
            (
                "Transfer to Technical Support",
                QcTarget::Queue("Technical Support"),
            ),
            ("Transfer to Escalations", QcTarget::Queue("Escalations")),
            ("Acme Field Services", QcTarget::Phone("+12125550142")),
        ],
        queue_quick_connects: &[
            (
                "General Support",
                &[
                    "Transfer to Billing",
                    "Transfer to Technical Support",
                    "Transfer to Escalations",
                ],
            ),
            ("Billing", &["Transfer to Technical Support"]),
            (
                "Technical Support",
                &["Acme Field Services", "Transfer to Escalations"],
            ),
        ],
        routing_profiles: &[
            (
                "Tier 1 Agents",
                "General and billing support",
                &[
                    ("General Support", &["VOICE", "CHAT"], 1),
                    ("Billing", &["VOICE", "CHAT"], 2),
                ],
                "General Support",
            ),
            (
                "Tier 2 Agents",
                "Technical and VIP support",
                &[
                    ("Technical Support", &["VOICE", "CHAT", "TASK"], 1),
                    ("VIP Support", &["VOICE"], 1),
                    ("Escalations", &["VOICE", "TASK"], 2),
                ],
                "Technical Support",
            ),
            (
                "Back Office",
                "Back-office staff who take no contacts",
                &[],
                "General Support",
            ),
            (
                "Weekend Overflow",
                "Weekend cover, not staffed yet",
                &[("Weekend Support", &["VOICE", "CHAT"], 1)],
                "Weekend Support",
            ),
        ],
        security_profiles: &[
            (
                "Reporting Analyst",
                "Builds and shares reports",
                &[
                    "BasicAgentAccess",
                    "AccessMetrics",
                    "HistoricalMetrics.Access",
                    "ReportsAdmin.Access",
                    "MetricsReports.View",
                    "MetricsReports.Create",
                ],
            ),
            (
                "Team Lead",
                "Supervises a team",
                &[
                    "BasicAgentAccess",
                    "OutboundCallAccess",
                    "RealtimeMetrics.Access",
                    "ListenIn",
                    "ManagerListenIn",
                    "Users.View",
                ],
            ),
        ],
        hierarchy: &[
            ("North America", None),
            ("New York", Some("North America")),
            ("Austin", Some("North America")),
            ("NY Tier 1", Some("New York")),
            ("NY Tier 2", Some("New York")),
            ("Austin Tier 1", Some("Austin")),
        ],
        agents: 34,
        agent_routing_profiles: &[
            "Tier 1 Agents",
            "Tier 1 Agents",
            "Tier 2 Agents",
            "Back Office",
        ],
        agent_groups: &["NY Tier 1", "NY Tier 2", "Austin Tier 1"],
        custom_profile_holders: 3,
        manager_every: 9,
        named_users: &[
            ADMIN,
            NamedUser {
                username: "dana.reports",
                first: "Dana",
                last: "Okafor",
                routing_profile: "Back Office",
                security_profiles: &["Reporting Analyst"],
            },
        ],
        flows: &[
            (
                "Support Main Inbound",
                "Main support number",
                "Welcome_Support.wav",
                Some("General Support"),
            ),
            (
                "Billing Inbound",
                "Billing hotline",
                "Billing_Intro.wav",
                Some("Billing"),
            ),
            (
                "Tech Support Inbound",
                "Technical support line",
                "Welcome_Support.wav",
                Some("Technical Support"),
            ),
            (
                "VIP Inbound",
                "Premium customers",
                "Welcome_Support.wav",
                Some("VIP Support"),
            ),
            (
                "Support After Hours",
                "Closed message, not yet on a number",
                "AfterHours_Support.wav",
                None,
            ),
        ],
        flow_modules: &[
            ("Authenticate Caller", "Checks the caller's account number"),
            ("Set Language", "Sets the contact language"),
        ],
        phone_numbers: &[
            (
                "+18005550100",
                "Support toll-free",
                Some("Support Main Inbound"),
            ),
            (
                "+12125550101",
                "Billing direct line",
                Some("Billing Inbound"),
            ),
            (
                "+12125550102",
                "Tech support direct line",
                Some("Tech Support Inbound"),
            ),
            ("+12125550103", "VIP line", Some("VIP Inbound")),
        ],
        approved_origins: &["https://support.acme.example", "https://help.acme.example"],
        storage: &[
            (
                "CALL_RECORDINGS",
                Storage::S3(
                    "acme-support-connect-recordings",
                    "connect/acme-support/CallRecordings",
                ),
            ),
            (
                "CHAT_TRANSCRIPTS",
                Storage::S3(
                    "acme-support-connect-transcripts",
                    "connect/acme-support/ChatTranscripts",
                ),
            ),
            (
                "CONTACT_TRACE_RECORDS",
                Storage::Kinesis("arn:aws:kinesis:us-east-1:123456789012:stream/acme-support-ctr"),
            ),
        ],
        integrations: &[
            (
                "CASES_DOMAIN",
                "arn:aws:cases:us-east-1:123456789012:domain/3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                None,
                &[("team", "support"), ("purpose", "cases")],
            ),
            (
                "EVENT",
                "arn:aws:app-integrations:us-east-1:123456789012:event-integration/acme-crm-events",
                Some("Acme CRM"),
                &[("team", "support")],
            ),
        ],
        agent_statuses: &[
            ("Lunch", "On lunch break"),
            ("Training", "In a training session"),
        ],
        routing_profile_without_queues: "Back Office",
        routing_profile_without_users: "Weekend Overflow",
        hours_overrides: &[
            ("US Business Hours", "Thanksgiving", "2026-11-26", "CLOSED"),
            ("US Business Hours", "Christmas Day", "2026-12-25", "CLOSED"),
            (
                "Weekend Support",
                "Black Friday weekend",
                "2026-11-28",
                "OPEN",
            ),
        ],
        hours_parents: &[("Holiday Hours", "US Business Hours")],
        hours_without_queue: "Holiday Hours",
        queue_without_flow: "Escalations",
        flow_without_number: "Support After Hours",
        custom_security_profile: "Reporting Analyst",
        distinctive_permission: "ReportsAdmin.Access",
    },
    Spec {
        alias: "acme-sales",
        domain: "sales.acme.example",
        hours: &[
            (
                "Sales Hours East",
                "America/New_York",
                Sched::Weekdays(9, 18),
            ),
            (
                "Sales Hours West",
                "America/Los_Angeles",
                Sched::Weekdays(9, 18),
            ),
            ("Campaign Hours", "America/Denver", Sched::AllWeek(8, 21)),
        ],
        queues: &[
            (
                "Inbound Sales",
                "New customer enquiries",
                "Sales Hours East",
                Some(40),
            ),
            (
                "Renewals",
                "Existing customer renewals",
                "Sales Hours East",
                Some(20),
            ),
            (
                "Enterprise Sales",
                "Large accounts",
                "Sales Hours West",
                Some(10),
            ),
            (
                "Outbound Campaigns",
                "Queue for outbound campaign callbacks",
                "Sales Hours West",
                None,
            ),
        ],
        prompts: &["Welcome_Sales.wav"],
        quick_connects: &[
            ("Transfer to Renewals", QcTarget::Queue("Renewals")),
            (
                "Transfer to Enterprise",
                QcTarget::Queue("Enterprise Sales"),
            ),
        ],
        queue_quick_connects: &[(
            "Inbound Sales",
            &["Transfer to Renewals", "Transfer to Enterprise"],
        )],
        routing_profiles: &[
            (
                "Sales Reps",
                "Inbound and renewals",
                &[
                    ("Inbound Sales", &["VOICE", "CHAT"], 1),
                    ("Renewals", &["VOICE"], 2),
                ],
                "Inbound Sales",
            ),
            (
                "Account Executives",
                "Enterprise accounts",
                &[("Enterprise Sales", &["VOICE", "TASK"], 1)],
                "Enterprise Sales",
            ),
            (
                "Campaign Dialers",
                "Outbound campaign agents, none yet",
                &[("Outbound Campaigns", &["VOICE"], 1)],
                "Outbound Campaigns",
            ),
            (
                "Sales Operations",
                "Sales operations staff, no contacts",
                &[],
                "Inbound Sales",
            ),
        ],
        security_profiles: &[(
            "Sales Manager",
            "Manages the sales floor",
            &[
                "BasicAgentAccess",
                "OutboundCallAccess",
                "RealtimeMetrics.Access",
                "HistoricalMetrics.Access",
                "Campaigns.Access",
                "Users.View",
            ],
        )],
        hierarchy: &[
            ("Sales", None),
            ("Inside Sales", Some("Sales")),
            ("Field Sales", Some("Sales")),
        ],
        agents: 23,
        agent_routing_profiles: &[
            "Sales Reps",
            "Sales Reps",
            "Account Executives",
            BASIC_ROUTING_PROFILE,
        ],
        agent_groups: &["Inside Sales", "Field Sales"],
        custom_profile_holders: 2,
        manager_every: 8,
        named_users: &[NamedUser {
            username: "sales.ops",
            first: "Sam",
            last: "Ortiz",
            routing_profile: "Sales Operations",
            security_profiles: &["Admin", "Sales Manager"],
        }],
        flows: &[
            (
                "Sales Main Inbound",
                "Main sales number",
                "Welcome_Sales.wav",
                Some("Inbound Sales"),
            ),
            (
                "Enterprise Inbound",
                "Enterprise hotline, not on a number yet",
                "Welcome_Sales.wav",
                Some("Enterprise Sales"),
            ),
        ],
        flow_modules: &[],
        phone_numbers: &[
            (
                "+18885550200",
                "Sales toll-free",
                Some("Sales Main Inbound"),
            ),
            (
                "+16465550201",
                "Sales direct line",
                Some("Sales Main Inbound"),
            ),
        ],
        approved_origins: &[],
        storage: &[(
            "CHAT_TRANSCRIPTS",
            Storage::S3(
                "acme-sales-connect-transcripts",
                "connect/acme-sales/ChatTranscripts",
            ),
        )],
        integrations: &[],
        agent_statuses: &[("Prospecting", "Research time")],
        routing_profile_without_queues: "Sales Operations",
        routing_profile_without_users: "Campaign Dialers",
        hours_overrides: &[],
        hours_parents: &[],
        hours_without_queue: "Campaign Hours",
        queue_without_flow: "Renewals",
        flow_without_number: "Enterprise Inbound",
        custom_security_profile: "Sales Manager",
        distinctive_permission: "Campaigns.Access",
    },
    Spec {
        alias: "acme-uk",
        domain: "acme.example.co.uk",
        hours: &[
            ("UK Office Hours", "Europe/London", Sched::Weekdays(8, 18)),
            ("UK Extended Hours", "Europe/London", Sched::AllWeek(7, 22)),
            ("Dublin Hours", "Europe/Dublin", Sched::Weekdays(9, 17)),
        ],
        queues: &[
            (
                "UK Customer Service",
                "General enquiries",
                "UK Office Hours",
                Some(40),
            ),
            (
                "UK Billing",
                "Billing and direct debits",
                "UK Office Hours",
                Some(15),
            ),
            (
                "UK Technical",
                "Technical support",
                "UK Office Hours",
                Some(20),
            ),
            (
                "Ireland Support",
                "Customers in Ireland",
                "UK Office Hours",
                None,
            ),
            (
                "UK Complaints",
                "Formal complaints",
                "UK Office Hours",
                Some(5),
            ),
        ],
        prompts: &["Welcome_UK.wav", "Welcome_IE.wav"],
        quick_connects: &[
            ("Transfer to UK Billing", QcTarget::Queue("UK Billing")),
            ("Transfer to Complaints", QcTarget::Queue("UK Complaints")),
            ("Acme Engineers", QcTarget::Phone("+442079460999")),
        ],
        queue_quick_connects: &[
            (
                "UK Customer Service",
                &["Transfer to UK Billing", "Transfer to Complaints"],
            ),
            ("UK Technical", &["Acme Engineers"]),
        ],
        routing_profiles: &[
            (
                "UK Agents",
                "Customer service and billing",
                &[
                    ("UK Customer Service", &["VOICE", "CHAT"], 1),
                    ("UK Billing", &["VOICE", "CHAT"], 2),
                    ("UK Technical", &["TASK"], 3),
                ],
                "UK Customer Service",
            ),
            (
                "Ireland Agents",
                "Irish customers",
                &[("Ireland Support", &["VOICE", "CHAT"], 1)],
                "Ireland Support",
            ),
            (
                "UK Supervisors",
                "Supervisors do not take contacts",
                &[],
                "UK Customer Service",
            ),
            (
                "UK Night Shift",
                "Overnight technical cover, not staffed yet",
                &[("UK Technical", &["VOICE", "CHAT"], 1)],
                "UK Technical",
            ),
        ],
        security_profiles: &[(
            "Reporting Analyst",
            "Builds and shares reports",
            &[
                "BasicAgentAccess",
                "AccessMetrics",
                "HistoricalMetrics.Access",
                "ReportsAdmin.Access",
            ],
        )],
        hierarchy: &[
            ("Europe", None),
            ("London", Some("Europe")),
            ("Dublin", Some("Europe")),
        ],
        agents: 27,
        agent_routing_profiles: &["UK Agents", "UK Agents", "Ireland Agents", "UK Supervisors"],
        agent_groups: &["London", "London", "Dublin"],
        custom_profile_holders: 2,
        manager_every: 7,
        named_users: &[ADMIN],
        flows: &[
            (
                "UK Main Inbound",
                "Main UK number",
                "Welcome_UK.wav",
                Some("UK Customer Service"),
            ),
            (
                "UK Billing Inbound",
                "Billing line",
                "Welcome_UK.wav",
                Some("UK Billing"),
            ),
            (
                "Ireland Inbound",
                "Irish number",
                "Welcome_IE.wav",
                Some("Ireland Support"),
            ),
        ],
        flow_modules: &[("Authenticate Caller", "Checks the caller's account number")],
        phone_numbers: &[
            ("+442079460100", "London main line", Some("UK Main Inbound")),
            ("+448085550110", "UK freephone", Some("UK Billing Inbound")),
            ("+35315550120", "Dublin line", None),
        ],
        approved_origins: &["https://acme.example.co.uk"],
        storage: &[
            (
                "CALL_RECORDINGS",
                Storage::S3(
                    "acme-uk-connect-recordings",
                    "connect/acme-uk/CallRecordings",
                ),
            ),
            (
                "AGENT_EVENTS",
                Storage::Kinesis(
                    "arn:aws:kinesis:eu-west-2:123456789012:stream/acme-uk-agent-events",
                ),
            ),
        ],
        integrations: &[(
            "WISDOM_ASSISTANT",
            "arn:aws:wisdom:eu-west-2:123456789012:assistant/8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d",
            None,
            &[("team", "support"), ("env", "staging")],
        )],
        agent_statuses: &[("Tea Break", "Short break")],
        routing_profile_without_queues: "UK Supervisors",
        routing_profile_without_users: "UK Night Shift",
        hours_overrides: &[("UK Office Hours", "Boxing Day", "2026-12-26", "CLOSED")],
        hours_parents: &[],
        hours_without_queue: "Dublin Hours",
        queue_without_flow: "UK Complaints",
        flow_without_number: "Ireland Inbound",
        custom_security_profile: "Reporting Analyst",
        distinctive_permission: "ReportsAdmin.Access",
    },
    Spec {
        alias: "acme-anz",
        domain: "acme.example.com.au",
        hours: &[
            ("Sydney Hours", "Australia/Sydney", Sched::Weekdays(8, 18)),
            ("Auckland Hours", "Pacific/Auckland", Sched::Weekdays(8, 17)),
            ("Perth Hours", "Australia/Perth", Sched::Weekdays(9, 17)),
        ],
        queues: &[
            (
                "AU Support",
                "Australian customers",
                "Sydney Hours",
                Some(30),
            ),
            (
                "NZ Support",
                "New Zealand customers",
                "Auckland Hours",
                Some(15),
            ),
            (
                "ANZ Billing",
                "Billing for both countries",
                "Sydney Hours",
                Some(10),
            ),
            (
                "ANZ Escalations",
                "Escalated cases",
                "Sydney Hours",
                Some(5),
            ),
        ],
        prompts: &["Welcome_ANZ.wav"],
        quick_connects: &[
            ("Transfer to NZ Support", QcTarget::Queue("NZ Support")),
            ("Transfer to ANZ Billing", QcTarget::Queue("ANZ Billing")),
        ],
        queue_quick_connects: &[(
            "AU Support",
            &["Transfer to NZ Support", "Transfer to ANZ Billing"],
        )],
        routing_profiles: &[
            (
                "AU Agents",
                "Australian support and billing",
                &[
                    ("AU Support", &["VOICE", "CHAT"], 1),
                    ("ANZ Billing", &["VOICE"], 2),
                ],
                "AU Support",
            ),
            (
                "NZ Agents",
                "New Zealand support",
                &[("NZ Support", &["VOICE", "CHAT"], 1)],
                "NZ Support",
            ),
            ("ANZ Leads", "Team leads, no contacts", &[], "AU Support"),
            (
                "ANZ Overflow",
                "Overflow for escalations, not staffed yet",
                &[("ANZ Escalations", &["VOICE"], 1)],
                "ANZ Escalations",
            ),
        ],
        security_profiles: &[(
            "Platform Engineer",
            "Maintains flows and integrations",
            &[
                "BasicAgentAccess",
                "ContactFlows.View",
                "ContactFlows.Edit",
                "ContactFlowModules.View",
                "Integrations.Access",
            ],
        )],
        hierarchy: &[
            ("ANZ", None),
            ("Sydney", Some("ANZ")),
            ("Auckland", Some("ANZ")),
        ],
        agents: 21,
        agent_routing_profiles: &["AU Agents", "AU Agents", "NZ Agents", "ANZ Leads"],
        agent_groups: &["Sydney", "Auckland"],
        custom_profile_holders: 2,
        manager_every: 7,
        named_users: &[ADMIN],
        flows: &[
            (
                "AU Main Inbound",
                "Australian number",
                "Welcome_ANZ.wav",
                Some("AU Support"),
            ),
            (
                "NZ Main Inbound",
                "New Zealand number",
                "Welcome_ANZ.wav",
                Some("NZ Support"),
            ),
        ],
        flow_modules: &[],
        phone_numbers: &[
            ("+61255550130", "Sydney line", Some("AU Main Inbound")),
            ("+611800555013", "AU freecall", Some("AU Main Inbound")),
            ("+6495550140", "Auckland line", Some("NZ Main Inbound")),
        ],
        approved_origins: &["https://acme.example.com.au", "https://acme.example.co.nz"],
        storage: &[
            (
                "CHAT_TRANSCRIPTS",
                Storage::S3(
                    "acme-anz-connect-transcripts",
                    "connect/acme-anz/ChatTranscripts",
                ),
            ),
            (
                "CONTACT_TRACE_RECORDS",
                Storage::Firehose(
                    "arn:aws:firehose:ap-southeast-2:123456789012:deliverystream/acme-anz-ctr",
                ),
            ),
        ],
        integrations: &[],
        agent_statuses: &[],
        routing_profile_without_queues: "ANZ Leads",
        routing_profile_without_users: "ANZ Overflow",
        hours_overrides: &[],
        hours_parents: &[("Perth Hours", "Sydney Hours")],
        hours_without_queue: "Perth Hours",
        queue_without_flow: "ANZ Escalations",
        flow_without_number: "Sample inbound flow (first contact experience)",
        custom_security_profile: "Platform Engineer",
        distinctive_permission: "Integrations.Access",
    },
];

/// What one demo instance holds, for tests and documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoFacts {
    pub region: &'static str,
    pub alias: &'static str,
    pub instance_id: &'static str,
    pub users: usize,
    pub queues: usize,
    pub routing_profiles: usize,
    pub hours_of_operations: usize,
    pub flows: usize,
    pub flow_modules: usize,
    pub phone_numbers: usize,
    pub security_profiles: usize,
    pub quick_connects: usize,
    pub hierarchy_groups: usize,
    pub prompts: usize,
    pub agent_statuses: usize,
    pub approved_origins: usize,
    pub integration_associations: usize,
    /// Storage resource types configured.
    pub storage_resource_types: Vec<&'static str>,
    pub routing_profile_without_queues: &'static str,
    pub routing_profile_without_users: &'static str,
    pub hours_without_queue: &'static str,
    pub queue_without_flow: &'static str,
    pub flow_without_number: &'static str,
    pub custom_security_profile: &'static str,
    pub distinctive_permission: &'static str,
    /// Usernames holding the custom security profile.
    pub custom_profile_users: Vec<String>,
    /// Every username, in creation order.
    pub usernames: Vec<String>,
}

/// The facts of spec number `n` of instance `instance_id`.
pub fn facts(n: usize, region: &'static str, instance_id: &'static str) -> DemoFacts {
    let s = &SPECS[n];
    let mut usernames: Vec<String> = s
        .named_users
        .iter()
        .map(|u| u.username.to_string())
        .collect();
    let mut custom = Vec::new();
    for i in 0..s.agents {
        let u = unique_agent_username(n, i, &usernames);
        if i < s.custom_profile_holders {
            custom.push(u.clone());
        }
        usernames.push(u);
    }
    for u in s.named_users {
        if u.security_profiles.contains(&s.custom_security_profile) {
            custom.push(u.username.to_string());
        }
    }
    DemoFacts {
        region,
        alias: s.alias,
        instance_id,
        users: usernames.len(),
        queues: s.queues.len() + 1,
        routing_profiles: s.routing_profiles.len() + 1,
        hours_of_operations: s.hours.len() + 1,
        flows: s.flows.len() + super::defaults::FLOWS.len(),
        flow_modules: s.flow_modules.len(),
        phone_numbers: s.phone_numbers.len(),
        security_profiles: s.security_profiles.len() + 4,
        quick_connects: s.quick_connects.len(),
        hierarchy_groups: s.hierarchy.len(),
        prompts: s.prompts.len() + super::defaults::PROMPTS.len(),
        agent_statuses: s.agent_statuses.len() + 2,
        approved_origins: s.approved_origins.len(),
        integration_associations: s.integrations.len(),
        storage_resource_types: s.storage.iter().map(|(t, _)| *t).collect(),
        routing_profile_without_queues: s.routing_profile_without_queues,
        routing_profile_without_users: s.routing_profile_without_users,
        hours_without_queue: s.hours_without_queue,
        queue_without_flow: s.queue_without_flow,
        flow_without_number: s.flow_without_number,
        custom_security_profile: s.custom_security_profile,
        distinctive_permission: s.distinctive_permission,
        custom_profile_users: custom,
        usernames,
    }
}

/// Agent `i`'s username, suffixed with a digit when an earlier user has it.
fn unique_agent_username(n: usize, i: usize, taken: &[String]) -> String {
    let base = agent_username(n, i);
    let mut u = base.clone();
    let mut k = 2;
    while taken.contains(&u) {
        u = format!("{base}{k}");
        k += 1;
    }
    u
}

fn body(v: Value) -> Body {
    match v {
        Value::Object(m) => m,
        _ => Body::new(),
    }
}

fn schedule(s: Sched) -> Vec<Value> {
    let (days, start, end): (&[&str], i64, i64) = match s {
        Sched::AllWeek(a, b) => (&DAYS, a, b),
        Sched::Weekdays(a, b) => (&DAYS[1..6], a, b),
        Sched::Weekend(a, b) => (&["SATURDAY", "SUNDAY"], a, b),
    };
    days.iter()
        .map(|d| {
            json!({"Day": d, "StartTime": {"Hours": start, "Minutes": 0},
                   "EndTime": {"Hours": end, "Minutes": 0}})
        })
        .collect()
}

/// The account the specs' ARNs of other services name.
const SPEC_ACCOUNT: &str = "123456789012";

/// A spec's ARN of another service, in the account being built.
fn in_account(arn: &str, account: &str) -> String {
    arn.replacen(&format!(":{SPEC_ACCOUNT}:"), &format!(":{account}:"), 1)
}

/// Log a demo item the create code refused (a bug in the spec).
fn must(what: &str, r: Result<Value, super::wire::ApiError>) {
    if let Err(e) = r {
        tracing::error!(target: "connectql::emulator", what, error = %e.message, "demo item refused");
    }
}

/// Build spec number `n` into the instance `cx` is open on. `cx.now` should be
/// the instance's creation time; items are stamped a day later.
pub fn build(cx: &mut Cx<'_>, n: usize) {
    let s = &SPECS[n];
    let inst = cx.instance.clone();
    let id = |kind: Kind, name: &str| item_id(&inst, kind, name);
    let arn = |cx: &Cx<'_>, kind: Kind, name: &str| {
        item_arn(kind, cx.region, cx.account, &inst, &id(kind, name))
    };
    cx.now += 86_400.0;

    for (name, tz, sched) in s.hours {
        let b = body(
            json!({"Name": name, "TimeZone": tz, "Config": schedule(*sched),
            "Description": format!("{name} ({tz})")}),
        );
        must(
            name,
            ch::create_hours_of_operation(cx, &b, Some(id(Kind::HoursOfOperation, name))),
        );
    }
    for (child, parent) in s.hours_parents {
        let parent_id = id(Kind::HoursOfOperation, parent);
        let summary = cx
            .content
            .get(Kind::HoursOfOperation, &parent_id)
            .map(|p| json!([{"Name": parent, "Id": p.id, "Arn": p.arn}]));
        if let (Some(summary), Some(h)) = (
            summary,
            cx.content
                .items_mut(Kind::HoursOfOperation)
                .get_mut(&id(Kind::HoursOfOperation, child)),
        ) {
            h.doc.insert("ParentHoursOfOperations".into(), summary);
        }
    }
    for (hours, name, date, kind) in s.hours_overrides {
        let hid = id(Kind::HoursOfOperation, hours);
        let Some(h) = cx.content.items_mut(Kind::HoursOfOperation).get_mut(&hid) else {
            continue;
        };
        let (config, slices) = match *kind {
            "OPEN" => (true, json!({"Hours": 10, "Minutes": 0})),
            _ => (false, json!({"Hours": 0, "Minutes": 0})),
        };
        let mut o = json!({
            "HoursOfOperationOverrideId": super::content::det_uuid(&[&hid, "override", name]),
            "HoursOfOperationId": h.id,
            "HoursOfOperationArn": h.arn,
            "Name": name,
            "Description": format!("{name} ({kind})"),
            "Config": [],
            "EffectiveFrom": date,
            "EffectiveTill": date,
            "OverrideType": kind,
        });
        if config {
            o["Config"] = json!([{"Day": "SATURDAY", "StartTime": slices,
                                   "EndTime": {"Hours": 18, "Minutes": 0}}]);
        }
        let mut list = h.extra_list("Overrides");
        list.push(o);
        h.extra.insert("Overrides".into(), Value::Array(list));
    }
    for p in s.prompts {
        let b = body(
            json!({"Name": p, "Description": format!("{} prompt", s.alias),
            "S3Uri": format!("s3://{}-connect-prompts/prompts/{p}", s.alias)}),
        );
        must(p, ch::create_prompt(cx, &b, Some(id(Kind::Prompt, p))));
    }
    for (name, desc, hours, max) in s.queues {
        let mut b = json!({"Name": name, "Description": desc,
            "HoursOfOperationId": id(Kind::HoursOfOperation, hours),
            "Tags": {"team": s.alias.trim_start_matches("acme-"), "queue-type": "inbound"}});
        if let Some(m) = max {
            b["MaxContacts"] = json!(m);
        }
        must(
            name,
            ch::create_queue(cx, &body(b), Some(id(Kind::Queue, name))),
        );
    }

    // Flows (custom inbound flows route to demo queues by ARN).
    for (name, desc, prompt, queue) in s.flows {
        let flow_id = id(Kind::ContactFlow, name);
        let mut actions: Vec<Action> = vec![(
            "MessageParticipant",
            json!({"PromptId": arn(cx, Kind::Prompt, prompt)}),
        )];
        match queue {
            Some(q) => {
                actions.push((
                    "UpdateContactTargetQueue",
                    json!({"QueueId": arn(cx, Kind::Queue, q)}),
                ));
                actions.push(("TransferContactToQueue", json!({})));
                actions.push(("DisconnectParticipant", json!({})));
            }
            None => actions.push(("DisconnectParticipant", json!({}))),
        }
        let b = body(
            json!({"Name": name, "Type": "CONTACT_FLOW", "Description": desc,
            "Content": flow_content(&flow_id, &actions), "Tags": {"owner": "contact-centre-team"}}),
        );
        must(name, ch::create_contact_flow(cx, &b, Some(flow_id)));
    }

    for (name, desc) in s.flow_modules {
        let module_id = id(Kind::ContactFlowModule, name);
        let actions: Vec<Action> = vec![
            (
                "UpdateContactAttributes",
                json!({"Attributes": {"module": name}}),
            ),
            ("EndFlowModuleExecution", json!({})),
        ];
        let b = body(json!({"Name": name, "Description": desc,
            "Content": flow_content(&module_id, &actions)}));
        must(
            name,
            ch::create_contact_flow_module(cx, &b, Some(module_id)),
        );
    }
    for (name, desc, perms) in s.security_profiles {
        let b =
            body(json!({"SecurityProfileName": name, "Description": desc, "Permissions": perms}));
        must(
            name,
            ch::create_security_profile(cx, &b, Some(id(Kind::SecurityProfile, name))),
        );
    }
    for (name, parent) in s.hierarchy {
        let mut b = json!({"Name": name});
        if let Some(p) = parent {
            b["ParentGroupId"] = json!(id(Kind::HierarchyGroup, p));
        }
        must(
            name,
            ch::create_user_hierarchy_group(cx, &body(b), Some(id(Kind::HierarchyGroup, name))),
        );
    }

    for (name, queues, default_queue) in s
        .routing_profiles
        .iter()
        .map(|(n, d, q, dq)| ((n, d), q, dq))
    {
        let configs: Vec<Value> = queues
            .iter()
            .flat_map(|(q, channels, priority)| {
                channels.iter().map(move |c| {
                    json!({"QueueReference": {"QueueId": id(Kind::Queue, q), "Channel": c},
                           "Priority": priority, "Delay": 0})
                })
            })
            .collect::<Vec<_>>();
        let mut b = json!({
            "Name": name.0, "Description": name.1,
            "DefaultOutboundQueueId": id(Kind::Queue, default_queue),
            "MediaConcurrencies": [
                {"Channel": "VOICE", "Concurrency": 1},
                {"Channel": "CHAT", "Concurrency": 3},
                {"Channel": "TASK", "Concurrency": 2},
            ],
        });
        // At most 10 queue configs per request: the rest are associated afterwards.
        let (first, rest) = configs.split_at(configs.len().min(10));
        if !first.is_empty() {
            b["QueueConfigs"] = json!(first);
        }
        let rp_id = id(Kind::RoutingProfile, name.0);
        must(
            name.0,
            ch::create_routing_profile(cx, &body(b), Some(rp_id.clone())),
        );
        for chunk in rest.chunks(10) {
            must(
                name.0,
                ch::associate_routing_profile_queues(
                    cx,
                    &rp_id,
                    &body(json!({"QueueConfigs": chunk})),
                ),
            );
        }
    }

    // Users: named users first, then the generated agents.
    let password = if cx.identity == "CONNECT_MANAGED" {
        Some("Demo-Passw0rd")
    } else {
        None
    };
    let sp = |name: &str| id(Kind::SecurityProfile, name);
    let mut taken: Vec<String> = Vec::new();
    for u in s.named_users {
        let mut b = json!({
            "Username": u.username,
            "IdentityInfo": {"FirstName": u.first, "LastName": u.last,
                             "Email": format!("{}@{}", u.username, s.domain)},
            "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": false, "AfterContactWorkTimeLimit": 0},
            "SecurityProfileIds": u.security_profiles.iter().map(|p| sp(p)).collect::<Vec<_>>(),
            "RoutingProfileId": id(Kind::RoutingProfile, u.routing_profile),
            "Tags": {"role": "staff"},
        });
        if let Some(p) = password {
            b["Password"] = json!(p);
        }
        must(
            u.username,
            ch::create_user(cx, &body(b), Some(id(Kind::User, u.username))),
        );
        taken.push(u.username.to_string());
    }
    for i in 0..s.agents {
        let username = unique_agent_username(n, i, &taken);
        let (first, last) = agent_name(n, i);
        let manager = s.manager_every > 0 && i % s.manager_every == s.manager_every - 1;
        let mut profiles = vec![sp(if manager {
            "CallCenterManager"
        } else {
            "Agent"
        })];
        if i < s.custom_profile_holders {
            profiles.push(sp(s.custom_security_profile));
        }
        let rp = s.agent_routing_profiles[i % s.agent_routing_profiles.len()];
        let group = s.agent_groups[i % s.agent_groups.len()];
        let mut b = json!({
            "Username": username,
            "IdentityInfo": {"FirstName": first, "LastName": last,
                             "Email": format!("{username}@{}", s.domain)},
            "PhoneConfig": {"PhoneType": if i % 5 == 4 { "DESK_PHONE" } else { "SOFT_PHONE" },
                            "AutoAccept": i % 3 == 0,
                            "AfterContactWorkTimeLimit": ACW[i % 4]},
            "SecurityProfileIds": profiles,
            "RoutingProfileId": id(Kind::RoutingProfile, rp),
            "HierarchyGroupId": id(Kind::HierarchyGroup, group),
            "Tags": {"role": if manager { "manager" } else { "agent" }},
        });
        if i % 5 == 4 {
            b["PhoneConfig"]["DeskPhoneNumber"] = json!(format!("+1555010{:04}", n * 100 + i));
        }
        if let Some(p) = password {
            b["Password"] = json!(p);
        }
        let uid = id(Kind::User, &username);
        must(&username, ch::create_user(cx, &body(b), Some(uid.clone())));
        if i % 4 == 0 {
            if let Some(u) = cx.content.items_mut(Kind::User).get_mut(&uid) {
                u.extra.insert(
                    "Proficiencies".into(),
                    json!([{"AttributeName": "Language", "AttributeValue": "English", "Level": 4.0},
                           {"AttributeName": "Technology", "AttributeValue": "Networking", "Level": (1 + i % 5) as f64}]),
                );
            }
        }
        taken.push(username);
    }

    for (name, target) in s.quick_connects {
        let cfg = match target {
            QcTarget::Queue(q) => json!({"QuickConnectType": "QUEUE", "QueueConfig": {
                "QueueId": id(Kind::Queue, q),
                "ContactFlowId": id(Kind::ContactFlow, "Default queue transfer")}}),
            QcTarget::Phone(p) => {
                json!({"QuickConnectType": "PHONE_NUMBER", "PhoneConfig": {"PhoneNumber": p}})
            }
        };
        let b = body(json!({"Name": name, "Description": name, "QuickConnectConfig": cfg}));
        must(
            name,
            ch::create_quick_connect(cx, &b, Some(id(Kind::QuickConnect, name))),
        );
    }
    for (queue, qcs) in s.queue_quick_connects {
        let ids: Vec<String> = qcs.iter().map(|q| id(Kind::QuickConnect, q)).collect();
        let qid = id(Kind::Queue, queue);
        must(
            queue,
            ch::associate_queue_quick_connects(cx, &qid, &body(json!({"QuickConnectIds": ids}))),
        );
    }

    for (number, desc, flow) in s.phone_numbers {
        let pid = id(Kind::PhoneNumber, number);
        let b = body(
            json!({"PhoneNumber": number, "PhoneNumberDescription": desc,
            "Tags": {"line": desc.to_lowercase().replace(' ', "-")}}),
        );
        must(number, ch::claim_phone_number(cx, &b, Some(pid.clone())));
        if let Some(f) = flow {
            let b = body(json!({"ContactFlowId": id(Kind::ContactFlow, f)}));
            must(
                number,
                ch::associate_phone_number_contact_flow(cx, &pid, &b),
            );
        }
    }

    for (name, desc) in s.agent_statuses {
        let b = body(json!({"Name": name, "Description": desc, "State": "ENABLED"}));
        must(
            name,
            ch::create_agent_status(cx, &b, Some(id(Kind::AgentStatus, name))),
        );
    }
    for o in s.approved_origins {
        must(
            o,
            ch::associate_approved_origin(cx, &body(json!({"Origin": o}))),
        );
    }
    for (rt, storage) in s.storage {
        let cfg = match storage {
            Storage::S3(bucket, prefix) => json!({"StorageType": "S3", "S3Config": {
                "BucketName": bucket, "BucketPrefix": prefix,
                "EncryptionConfig": {"EncryptionType": "KMS",
                    "KeyId": format!("arn:aws:kms:{}:{}:alias/connect", cx.region, cx.account)}}}),
            Storage::Kinesis(arn) => json!({"StorageType": "KINESIS_STREAM",
                "KinesisStreamConfig": {"StreamArn": in_account(arn, cx.account)}}),
            Storage::Firehose(arn) => json!({"StorageType": "KINESIS_FIREHOSE",
                "KinesisFirehoseConfig": {"FirehoseArn": in_account(arn, cx.account)}}),
        };
        let assoc = super::content::det_uuid(&[&inst, "storage", rt]).replace('-', "");
        let b = body(json!({"ResourceType": rt, "StorageConfig": cfg}));
        must(
            rt,
            ch::associate_instance_storage_config(cx, &b, Some(assoc)),
        );
    }
    for (t, integration, app, tags) in s.integrations {
        let mut b = json!({"IntegrationType": t, "IntegrationArn": in_account(integration, cx.account),
            "Tags": tags.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>()});
        if let Some(a) = app {
            b["SourceApplicationName"] = json!(a);
            b["SourceApplicationUrl"] = json!(format!("https://crm.{}", s.domain));
            b["SourceType"] = json!("SALESFORCE");
        }
        must(
            t,
            ch::create_integration_association(
                cx,
                &body(b),
                Some(id(Kind::IntegrationAssociation, integration)),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::demo::{demo_facts, load_demo};
    use super::super::scope::open;
    use super::super::state::Store;
    use super::*;
    use std::time::Instant;

    #[test]
    fn demo_holds_what_its_facts_say() {
        let mut store = Store::new("123456789012");
        load_demo(&mut store, Instant::now());
        let mut admins = 0;
        for f in demo_facts() {
            let cx = open(&mut store, f.region, f.instance_id, 0.0).unwrap();
            let c = &*cx.content;
            let count = |k: Kind| c.items(k).len();
            assert_eq!(count(Kind::User), f.users, "{}", f.alias);
            assert!((20..=40).contains(&f.users), "{}", f.alias);
            assert_eq!(count(Kind::Queue), f.queues, "{}", f.alias);
            assert!((5..=8).contains(&f.queues), "{}", f.alias);
            assert_eq!(
                count(Kind::RoutingProfile),
                f.routing_profiles,
                "{}",
                f.alias
            );
            assert_eq!(
                count(Kind::HoursOfOperation),
                f.hours_of_operations,
                "{}",
                f.alias
            );
            assert_eq!(count(Kind::ContactFlow), f.flows, "{}", f.alias);
            assert_eq!(count(Kind::PhoneNumber), f.phone_numbers, "{}", f.alias);
            assert_eq!(
                count(Kind::ContactFlowModule),
                f.flow_modules,
                "{}",
                f.alias
            );
            assert_eq!(
                count(Kind::SecurityProfile),
                f.security_profiles,
                "{}",
                f.alias
            );
            assert_eq!(count(Kind::QuickConnect), f.quick_connects, "{}", f.alias);
            assert_eq!(
                count(Kind::HierarchyGroup),
                f.hierarchy_groups,
                "{}",
                f.alias
            );
            assert_eq!(count(Kind::Prompt), f.prompts, "{}", f.alias);
            assert_eq!(count(Kind::AgentStatus), f.agent_statuses, "{}", f.alias);
            assert_eq!(
                count(Kind::IntegrationAssociation),
                f.integration_associations
            );
            assert_eq!(c.approved_origins.len(), f.approved_origins);
            let names: Vec<String> = c
                .items(Kind::User)
                .iter()
                .map(|u| u.name(Kind::User).to_string())
                .collect();
            assert_eq!(names, f.usernames, "{}", f.alias);
            if names.iter().any(|n| n == "platform.admin") {
                admins += 1;
            }

            let by_name = |k: Kind, n: &str| c.items(k).by_name(n).unwrap_or_else(|| panic!("{n}"));
            let rp = by_name(Kind::RoutingProfile, f.routing_profile_without_queues);
            assert!(rp.values_at("AssociatedQueueIds").is_empty(), "{}", f.alias);
            let users_of = |id: &str| {
                c.items(Kind::User)
                    .iter()
                    .filter(|u| u.doc_str("RoutingProfileId") == Some(id))
                    .count()
            };
            assert!(users_of(&rp.id) > 0, "{}: {}", f.alias, rp.id);
            let rp = by_name(Kind::RoutingProfile, f.routing_profile_without_users);
            assert_eq!(users_of(&rp.id), 0, "{}", f.alias);
            assert!(!rp.values_at("AssociatedQueueIds").is_empty());
            let h = by_name(Kind::HoursOfOperation, f.hours_without_queue);
            assert!(c
                .items(Kind::Queue)
                .iter()
                .all(|q| q.doc_str("HoursOfOperationId") != Some(h.id.as_str())));
            let q = by_name(Kind::Queue, f.queue_without_flow);
            assert!(c
                .items(Kind::ContactFlow)
                .iter()
                .all(|fl| !fl.doc_str("Content").unwrap_or_default().contains(&q.arn)));
            let some_flow_targets_a_demo_queue = c.items(Kind::ContactFlow).iter().any(|fl| {
                c.items(Kind::Queue).iter().any(|q| {
                    q.name(Kind::Queue) != "BasicQueue"
                        && fl.doc_str("Content").unwrap_or_default().contains(&q.arn)
                })
            });
            assert!(some_flow_targets_a_demo_queue, "{}", f.alias);
            let fl = by_name(Kind::ContactFlow, f.flow_without_number);
            assert!(c.flow_associations.iter().all(|(_, flow)| *flow != fl.arn));
            assert!(!c.flow_associations.is_empty());
            let sp = by_name(Kind::SecurityProfile, f.custom_security_profile);
            assert!(sp
                .values_at("~Permissions")
                .iter()
                .any(|p| p == f.distinctive_permission));
            let mut holders: Vec<String> = c
                .items(Kind::User)
                .iter()
                .filter(|u| u.values_at("SecurityProfileIds").contains(&sp.id))
                .map(|u| u.name(Kind::User).to_string())
                .collect();
            holders.sort();
            let mut want = f.custom_profile_users.clone();
            want.sort();
            assert_eq!(holders, want, "{}", f.alias);
            assert!((2..=5).contains(&holders.len()));
            let storage: Vec<&str> = c.storage.iter().map(|s| s.resource_type.as_str()).collect();
            assert_eq!(storage, f.storage_resource_types);
        }
        assert_eq!(admins, 3);
        let recordings = demo_facts()
            .iter()
            .filter(|f| f.storage_resource_types.contains(&"CALL_RECORDINGS"))
            .count();
        assert!(recordings > 0 && recordings < 4);
    }
}
