//! What Connect puts in every new instance, created with the same code as the
//! Create* operations and with deterministic ids (derived from the instance id
//! and the item's name), `LastModifiedTime` = the instance's `CreatedTime`:
//!
//! * security profiles `Admin`, `Agent`, `CallCenterManager`, `QualityAnalyst`;
//! * hours of operation `Basic Hours` (every day 00:00–00:00, America/New_York);
//! * queue `BasicQueue` on Basic Hours;
//! * routing profile `Basic Routing Profile` (BasicQueue for VOICE, CHAT and TASK,
//!   priority 1, delay 0; concurrency VOICE 1, CHAT 2, TASK 1; default outbound
//!   queue BasicQueue; `IsDefault` true);
//! * prompts `Beep.wav`, `CustomerHold.wav`, `CustomerQueue.wav`,
//!   `Music_Jazz_MyTimeToFly_Inst.wav`;
//! * agent statuses `Available` (ROUTABLE) and `Offline` (OFFLINE);
//! * the default flows, each a flow-language document: `Default agent hold`
//!   (AGENT_HOLD), `Default agent whisper` (AGENT_WHISPER), `Default customer
//!   hold` (CUSTOMER_HOLD), `Default customer queue` (CUSTOMER_QUEUE), `Default
//!   customer whisper` (CUSTOMER_WHISPER), `Default outbound` (OUTBOUND_WHISPER),
//!   `Default queue transfer` (QUEUE_TRANSFER), `Default agent transfer`
//!   (AGENT_TRANSFER), `Sample inbound flow (first contact experience)`
//!   (CONTACT_FLOW, sends callers to BasicQueue).

use std::collections::HashMap;

use serde_json::{json, Value};

use super::changes::{self, Body};
use super::content::{det_uuid, Content, Kind};
use super::scope::Cx;
use super::state::instance_arn;

/// Permissions of the default security profiles.
pub const AGENT_PERMISSIONS: &[&str] = &["BasicAgentAccess", "OutboundCallAccess"];
pub const CALL_CENTER_MANAGER_PERMISSIONS: &[&str] = &[
    "BasicAgentAccess",
    "OutboundCallAccess",
    "AccessMetrics",
    "RealtimeMetrics.Access",
    "HistoricalMetrics.Access",
    "AgentStates.View",
    "Users.View",
    "Users.Edit",
    "AgentHierarchy.View",
    "RoutingPolicies.View",
    "RoutingPolicies.Edit",
    "Queues.View",
    "Queues.Edit",
    "HoursOfOperation.View",
    "ContactSearch.View",
    "ListenIn",
    "ManagerListenIn",
    "ManagerBargeIn",
];
pub const QUALITY_ANALYST_PERMISSIONS: &[&str] = &[
    "BasicAgentAccess",
    "AccessMetrics",
    "RealtimeMetrics.Access",
    "HistoricalMetrics.Access",
    "ContactSearch.View",
    "ListenIn",
    "ManagerListenIn",
];
pub const ADMIN_PERMISSIONS: &[&str] = &[
    "BasicAgentAccess",
    "OutboundCallAccess",
    "AccessMetrics",
    "RealtimeMetrics.Access",
    "HistoricalMetrics.Access",
    "AgentStates.View",
    "AgentStates.Create",
    "AgentStates.Edit",
    "Users.View",
    "Users.Create",
    "Users.Edit",
    "Users.EditPermission",
    "Users.Delete",
    "SecurityProfiles.View",
    "SecurityProfiles.Create",
    "SecurityProfiles.Edit",
    "SecurityProfiles.Delete",
    "AgentHierarchy.View",
    "AgentHierarchy.Create",
    "AgentHierarchy.Edit",
    "RoutingPolicies.View",
    "RoutingPolicies.Create",
    "RoutingPolicies.Edit",
    "Queues.View",
    "Queues.Create",
    "Queues.Edit",
    "Queues.EnableAndDisable",
    "HoursOfOperation.View",
    "HoursOfOperation.Create",
    "HoursOfOperation.Edit",
    "HoursOfOperation.Delete",
    "ContactFlows.View",
    "ContactFlows.Create",
    "ContactFlows.Edit",
    "ContactFlows.Publish",
    "ContactFlowModules.View",
    "ContactFlowModules.Create",
    "ContactFlowModules.Edit",
    "Prompts.View",
    "Prompts.Create",
    "Prompts.Edit",
    "Prompts.Delete",
    "PhoneNumbers.View",
    "PhoneNumbers.Claim",
    "PhoneNumbers.Edit",
    "PhoneNumbers.Release",
    "TransferDestinations.View",
    "TransferDestinations.Create",
    "TransferDestinations.Edit",
    "TransferDestinations.Delete",
    "ContactSearch.View",
    "ContactAttributes.View",
    "ListenIn",
    "ManagerListenIn",
    "ManagerBargeIn",
    "MetricsReports.View",
    "MetricsReports.Create",
    "MetricsReports.Edit",
    "MetricsReports.Publish",
    "MetricsReports.Schedule",
    "MetricsReports.Share",
];

/// The default prompts.
pub const PROMPTS: [&str; 4] = [
    "Beep.wav",
    "CustomerHold.wav",
    "CustomerQueue.wav",
    "Music_Jazz_MyTimeToFly_Inst.wav",
];

/// The default flows: (name, type).
pub const FLOWS: [(&str, &str); 9] = [
    ("Default agent hold", "AGENT_HOLD"),
    ("Default agent whisper", "AGENT_WHISPER"),
    ("Default customer hold", "CUSTOMER_HOLD"),
    ("Default customer queue", "CUSTOMER_QUEUE"),
    ("Default customer whisper", "CUSTOMER_WHISPER"),
    ("Default outbound", "OUTBOUND_WHISPER"),
    ("Default queue transfer", "QUEUE_TRANSFER"),
    ("Default agent transfer", "AGENT_TRANSFER"),
    (
        "Sample inbound flow (first contact experience)",
        "CONTACT_FLOW",
    ),
];

pub const BASIC_HOURS: &str = "Basic Hours";
pub const BASIC_QUEUE: &str = "BasicQueue";
pub const BASIC_ROUTING_PROFILE: &str = "Basic Routing Profile";

/// The deterministic id of a default or demo item.
pub fn item_id(instance: &str, kind: Kind, name: &str) -> String {
    det_uuid(&[instance, kind.def().noun, name])
}

/// One flow action: (Type, Parameters); actions run in order, the last ends the flow.
pub type Action = (&'static str, Value);

/// A flow-language document (`{"Version":"2019-10-30","StartAction":…,"Actions":[…]}`)
/// running `actions` in order, action identifiers derived from `seed`.
pub fn flow_content(seed: &str, actions: &[Action]) -> String {
    let ids: Vec<String> = (0..actions.len())
        .map(|i| det_uuid(&[seed, "action", &i.to_string()]))
        .collect();
    let list: Vec<Value> = actions
        .iter()
        .enumerate()
        .map(|(i, (t, params))| {
            let transitions = match ids.get(i + 1) {
                Some(next)
                    if !matches!(
                        *t,
                        "DisconnectParticipant" | "EndFlowExecution" | "EndFlowModuleExecution"
                    ) =>
                {
                    json!({"NextAction": next, "Errors": [{"NextAction": next, "ErrorType": "NoMatchingError"}]})
                }
                _ => json!({}),
            };
            json!({"Identifier": ids[i], "Type": t, "Parameters": params, "Transitions": transitions})
        })
        .collect();
    json!({
        "Version": "2019-10-30",
        "StartAction": ids.first().cloned().unwrap_or_default(),
        "Metadata": {"entryPointPosition": {"x": 40, "y": 40}},
        "Actions": list,
    })
    .to_string()
}

fn body(v: Value) -> Body {
    match v {
        Value::Object(m) => m,
        _ => Body::new(),
    }
}

/// Run one create of the defaults; they are valid by construction.
fn must(what: &str, r: Result<Value, super::wire::ApiError>) {
    if let Err(e) = r {
        tracing::error!(target: "connectql::emulator", what, error = %e.message, "default item refused");
    }
}

/// Fill `content` with what every new instance holds.
pub fn populate(content: &mut Content, region: &str, account: &str, instance: &str, created: f64) {
    let mut phone_index = HashMap::new();
    let mut cx = Cx {
        region,
        account,
        instance: instance.to_string(),
        instance_arn: instance_arn(region, account, instance),
        identity: String::new(),
        now: created,
        content,
        phone_index: &mut phone_index,
    };
    let id = |kind: Kind, name: &str| Some(item_id(instance, kind, name));

    for (name, perms) in [
        ("Admin", ADMIN_PERMISSIONS),
        ("Agent", AGENT_PERMISSIONS),
        ("CallCenterManager", CALL_CENTER_MANAGER_PERMISSIONS),
        ("QualityAnalyst", QUALITY_ANALYST_PERMISSIONS),
    ] {
        let b = body(json!({"SecurityProfileName": name, "Permissions": perms}));
        must(
            name,
            changes::create_security_profile(&mut cx, &b, id(Kind::SecurityProfile, name)),
        );
    }

    let all_day: Vec<Value> = changes::DAYS
        .iter()
        .map(|d| {
            json!({"Day": d, "StartTime": {"Hours": 0, "Minutes": 0}, "EndTime": {"Hours": 0, "Minutes": 0}})
        })
        .collect();
    let b = body(json!({"Name": BASIC_HOURS, "Description": "Basic Hours",
        "TimeZone": "America/New_York", "Config": all_day}));
    must(
        BASIC_HOURS,
        changes::create_hours_of_operation(&mut cx, &b, id(Kind::HoursOfOperation, BASIC_HOURS)),
    );
    let hours = item_id(instance, Kind::HoursOfOperation, BASIC_HOURS);

    let b = body(json!({"Name": BASIC_QUEUE, "Description": "BasicQueue",
        "HoursOfOperationId": hours}));
    must(
        BASIC_QUEUE,
        changes::create_queue(&mut cx, &b, id(Kind::Queue, BASIC_QUEUE)),
    );
    let queue = item_id(instance, Kind::Queue, BASIC_QUEUE);

    let configs: Vec<Value> = ["VOICE", "CHAT", "TASK"]
        .iter()
        .map(|ch| json!({"QueueReference": {"QueueId": queue, "Channel": ch}, "Priority": 1, "Delay": 0}))
        .collect();
    let b = body(json!({
        "Name": BASIC_ROUTING_PROFILE,
        "Description": "Basic Routing Profile",
        "DefaultOutboundQueueId": queue,
        "QueueConfigs": configs,
        "MediaConcurrencies": [
            {"Channel": "VOICE", "Concurrency": 1},
            {"Channel": "CHAT", "Concurrency": 2},
            {"Channel": "TASK", "Concurrency": 1},
        ],
    }));
    let rp_id = item_id(instance, Kind::RoutingProfile, BASIC_ROUTING_PROFILE);
    must(
        BASIC_ROUTING_PROFILE,
        changes::create_routing_profile(&mut cx, &b, Some(rp_id.clone())),
    );
    if let Some(rp) = cx.content.items_mut(Kind::RoutingProfile).get_mut(&rp_id) {
        rp.doc.insert("IsDefault".into(), json!(true));
    }

    for p in PROMPTS {
        let b =
            body(json!({"Name": p, "S3Uri": format!("s3://amazon-connect-default-prompts/{p}")}));
        must(p, changes::create_prompt(&mut cx, &b, id(Kind::Prompt, p)));
    }

    for (name, t, order, desc) in [
        (
            "Available",
            "ROUTABLE",
            1,
            "Agent is available to take contacts",
        ),
        ("Offline", "OFFLINE", 2, "Agent is offline"),
    ] {
        let b = body(
            json!({"Name": name, "Description": desc, "State": "ENABLED",
            "DisplayOrder": order, "~Type": t}),
        );
        must(
            name,
            changes::create_agent_status(&mut cx, &b, id(Kind::AgentStatus, name)),
        );
    }

    let prompt_arn = |p: &str| cx_prompt_arn(region, account, instance, p);
    let queue_arn = super::content::item_arn(Kind::Queue, region, account, instance, &queue);
    for (name, flow_type) in FLOWS {
        let actions: Vec<Action> = match flow_type {
            "AGENT_HOLD" | "CUSTOMER_HOLD" => vec![
                (
                    "MessageParticipantIteratively",
                    json!({"Messages": [{"PromptId": prompt_arn("Music_Jazz_MyTimeToFly_Inst.wav")}]}),
                ),
                ("EndFlowExecution", json!({})),
            ],
            "CUSTOMER_QUEUE" => vec![
                (
                    "MessageParticipantIteratively",
                    json!({"Messages": [
                        {"PromptId": prompt_arn("CustomerQueue.wav")},
                        {"PromptId": prompt_arn("Music_Jazz_MyTimeToFly_Inst.wav")}]}),
                ),
                ("EndFlowExecution", json!({})),
            ],
            "AGENT_WHISPER" => vec![
                ("MessageParticipant", json!({"Text": "$.Queue.Name"})),
                ("EndFlowExecution", json!({})),
            ],
            "QUEUE_TRANSFER" | "AGENT_TRANSFER" => vec![
                (
                    "MessageParticipant",
                    json!({"PromptId": prompt_arn("Beep.wav")}),
                ),
                ("TransferContactToQueue", json!({})),
                ("DisconnectParticipant", json!({})),
            ],
            "CONTACT_FLOW" => vec![
                (
                    "MessageParticipant",
                    json!({"Text": "Thank you for calling. Please hold while we connect you."}),
                ),
                ("UpdateContactTargetQueue", json!({"QueueId": queue_arn})),
                ("TransferContactToQueue", json!({})),
                ("DisconnectParticipant", json!({})),
            ],
            _ => vec![("EndFlowExecution", json!({}))],
        };
        let flow_id = item_id(instance, Kind::ContactFlow, name);
        let b = body(json!({
            "Name": name,
            "Type": flow_type,
            "Description": format!("{name} (default)"),
            "Content": flow_content(&flow_id, &actions),
        }));
        must(
            name,
            changes::create_contact_flow(&mut cx, &b, Some(flow_id)),
        );
    }
}

/// The ARN of a default prompt.
fn cx_prompt_arn(region: &str, account: &str, instance: &str, name: &str) -> String {
    super::content::item_arn(
        Kind::Prompt,
        region,
        account,
        instance,
        &item_id(instance, Kind::Prompt, name),
    )
}
