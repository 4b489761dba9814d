//! The contents of an instance on the local Connect endpoint, through the real
//! aws-sdk-connect client (and raw requests where the exact wire matters): new
//! instance defaults, CRUD with Connect's validation, pagination, search, tags,
//! demo data, scale seeding, apply-then-fail and idempotency, and the control
//! routes' browser guards.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use aws_sdk_connect::config::http::HttpResponse;
use aws_sdk_connect::config::retry::RetryConfig;
use aws_sdk_connect::config::timeout::TimeoutConfig;
use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_connect::types::{
    Channel, ContactFlowType, ControlPlaneTagFilter, DirectoryType, HierarchyGroupCondition,
    HierarchyGroupMatchType, HoursOfOperationConfig, HoursOfOperationDays,
    HoursOfOperationTimeSlice, MediaConcurrency, PhoneType, QueueSearchCriteria, QueueStatus,
    RoutingProfileQueueConfig, RoutingProfileQueueReference, RoutingProfileSearchCriteria,
    StringComparisonType, StringCondition, TagCondition, UserIdentityInfo, UserPhoneConfig,
    UserSearchCriteria, UserSearchFilter,
};
use aws_sdk_connect::Client;
use connectql_emulator::demo::demo_facts;
use connectql_emulator::{self as emulator, EmulatorArgs, RunningEmulator};
use serde_json::{json, Value};

const SUPPORT: &str = "7c3a1f0e-2b4d-4e8a-9f61-0d5b8c2e4a11";

async fn start(demo: bool) -> RunningEmulator {
    emulator::start(EmulatorArgs {
        demo_data: demo,
        create_delay_ms: 0,
        ..Default::default()
    })
    .await
    .expect("emulator starts")
}

fn client(url: &str, region: &str) -> Client {
    let conf = aws_sdk_connect::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .endpoint_url(url)
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(30))
                .build(),
        )
        .build();
    Client::from_conf(conf)
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn control(emu: &RunningEmulator, path: &str, body: Value) -> Value {
    let resp = http()
        .post(format!("{}{path}", emu.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
    resp.json().await.unwrap()
}

/// A raw API request with a SigV4-shaped Authorization header (not verified).
async fn raw(emu: &RunningEmulator, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}{path}", emu.url());
    let req = http().request(method.parse().unwrap(), url).header(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/connect/aws4_request, \
             SignedHeaders=host, Signature=0",
    );
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn status<E>(err: &SdkError<E, HttpResponse>) -> Option<u16> {
    err.raw_response().map(|r| r.status().as_u16())
}

/// (status, error code) of a failed call.
fn failure<T, E: ProvideErrorMetadata>(r: Result<T, SdkError<E, HttpResponse>>) -> (u16, String) {
    match r {
        Ok(_) => panic!("the call should have failed"),
        Err(e) => (status(&e).unwrap_or(0), e.code().unwrap_or("").to_string()),
    }
}

async fn new_instance(c: &Client, alias: &str) -> String {
    c.create_instance()
        .identity_management_type(DirectoryType::ConnectManaged)
        .instance_alias(alias)
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .unwrap()
        .id()
        .unwrap()
        .to_string()
}

async fn id_of_security_profile(c: &Client, inst: &str, name: &str) -> String {
    c.list_security_profiles()
        .instance_id(inst)
        .send()
        .await
        .unwrap()
        .security_profile_summary_list()
        .iter()
        .find(|s| s.name() == Some(name))
        .and_then(|s| s.id())
        .unwrap_or_else(|| panic!("no security profile {name}"))
        .to_string()
}

async fn id_of_routing_profile(c: &Client, inst: &str, name: &str) -> String {
    c.list_routing_profiles()
        .instance_id(inst)
        .send()
        .await
        .unwrap()
        .routing_profile_summary_list()
        .iter()
        .find(|s| s.name() == Some(name))
        .and_then(|s| s.id())
        .unwrap_or_else(|| panic!("no routing profile {name}"))
        .to_string()
}

fn slice(h: i32, m: i32) -> HoursOfOperationTimeSlice {
    HoursOfOperationTimeSlice::builder()
        .hours(h)
        .minutes(m)
        .build()
        .unwrap()
}

fn weekday(day: HoursOfOperationDays) -> HoursOfOperationConfig {
    HoursOfOperationConfig::builder()
        .day(day)
        .start_time(slice(9, 0))
        .end_time(slice(17, 30))
        .build()
        .unwrap()
}

fn queue_config(queue: &str, channel: Channel, priority: i32) -> RoutingProfileQueueConfig {
    RoutingProfileQueueConfig::builder()
        .queue_reference(
            RoutingProfileQueueReference::builder()
                .queue_id(queue)
                .channel(channel)
                .build()
                .unwrap(),
        )
        .priority(priority)
        .delay(0)
        .build()
        .unwrap()
}

fn voice(n: i32) -> MediaConcurrency {
    MediaConcurrency::builder()
        .channel(Channel::Voice)
        .concurrency(n)
        .build()
        .unwrap()
}

fn string_condition(field: &str, value: &str, cmp: StringComparisonType) -> StringCondition {
    StringCondition::builder()
        .field_name(field)
        .value(value)
        .comparison_type(cmp)
        .build()
}

#[tokio::test]
async fn a_new_instance_looks_like_a_real_one() {
    let emu = start(false).await;
    let c = client(&emu.url(), "us-east-1");
    let inst = new_instance(&c, "fresh").await;

    let sps: Vec<String> = c
        .list_security_profiles()
        .instance_id(&inst)
        .send()
        .await
        .unwrap()
        .security_profile_summary_list()
        .iter()
        .map(|s| s.name().unwrap().to_string())
        .collect();
    assert_eq!(
        sps,
        ["Admin", "Agent", "CallCenterManager", "QualityAnalyst"]
    );
    let agent = id_of_security_profile(&c, &inst, "Agent").await;
    let perms = c
        .list_security_profile_permissions()
        .instance_id(&inst)
        .security_profile_id(&agent)
        .send()
        .await
        .unwrap();
    assert!(perms.permissions().iter().any(|p| p == "BasicAgentAccess"));

    let hours = c
        .list_hours_of_operations()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    let basic = &hours.hours_of_operation_summary_list()[0];
    assert_eq!(basic.name(), Some("Basic Hours"));
    let h = c
        .describe_hours_of_operation()
        .instance_id(&inst)
        .hours_of_operation_id(basic.id().unwrap())
        .send()
        .await
        .unwrap();
    let h = h.hours_of_operation().unwrap();
    assert_eq!(h.time_zone(), Some("America/New_York"));
    assert_eq!(h.config().len(), 7);
    assert!(h
        .config()
        .iter()
        .all(|d| d.start_time().unwrap().hours() == 0 && d.end_time().unwrap().hours() == 0));

    let queues = c.list_queues().instance_id(&inst).send().await.unwrap();
    let bq = &queues.queue_summary_list()[0];
    assert_eq!(bq.name(), Some("BasicQueue"));
    assert_eq!(bq.queue_type().map(|t| t.as_str()), Some("STANDARD"));
    let q = c
        .describe_queue()
        .instance_id(&inst)
        .queue_id(bq.id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        q.queue().unwrap().hours_of_operation_id(),
        Some(basic.id().unwrap())
    );
    assert_eq!(q.queue().unwrap().status(), Some(&QueueStatus::Enabled));

    let rp = id_of_routing_profile(&c, &inst, "Basic Routing Profile").await;
    let rpq = c
        .list_routing_profile_queues()
        .instance_id(&inst)
        .routing_profile_id(&rp)
        .send()
        .await
        .unwrap();
    let channels: HashSet<&str> = rpq
        .routing_profile_queue_config_summary_list()
        .iter()
        .map(|s| s.channel().as_str())
        .collect();
    assert_eq!(channels, HashSet::from(["VOICE", "CHAT", "TASK"]));
    assert!(rpq
        .routing_profile_queue_config_summary_list()
        .iter()
        .all(|s| s.queue_name() == "BasicQueue"));
    let d = c
        .describe_routing_profile()
        .instance_id(&inst)
        .routing_profile_id(&rp)
        .send()
        .await
        .unwrap();
    let d = d.routing_profile().unwrap();
    assert_eq!(d.default_outbound_queue_id(), bq.id());
    assert!(d.is_default());

    let flows = c
        .list_contact_flows()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    let got: Vec<(String, String)> = flows
        .contact_flow_summary_list()
        .iter()
        .map(|f| {
            (
                f.name().unwrap().to_string(),
                f.contact_flow_type().unwrap().as_str().to_string(),
            )
        })
        .collect();
    for (name, t) in [
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
    ] {
        assert!(
            got.contains(&(name.to_string(), t.to_string())),
            "{name}: {got:?}"
        );
    }
    let sample = flows
        .contact_flow_summary_list()
        .iter()
        .find(|f| f.contact_flow_type() == Some(&ContactFlowType::ContactFlow))
        .unwrap();
    let flow = c
        .describe_contact_flow()
        .instance_id(&inst)
        .contact_flow_id(sample.id().unwrap())
        .send()
        .await
        .unwrap();
    let content: Value =
        serde_json::from_str(flow.contact_flow().unwrap().content().unwrap()).unwrap();
    assert_eq!(content["Version"], "2019-10-30");
    assert!(content["StartAction"].is_string());
    let queue_arn = q.queue().unwrap().queue_arn().unwrap();
    assert!(content["Actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["Parameters"]["QueueId"] == queue_arn));

    let statuses = c
        .list_agent_statuses()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    let st: Vec<(&str, &str)> = statuses
        .agent_status_summary_list()
        .iter()
        .map(|s| (s.name().unwrap(), s.r#type().unwrap().as_str()))
        .collect();
    assert_eq!(st, [("Available", "ROUTABLE"), ("Offline", "OFFLINE")]);
    let prompts: Vec<String> = c
        .list_prompts()
        .instance_id(&inst)
        .send()
        .await
        .unwrap()
        .prompt_summary_list()
        .iter()
        .map(|p| p.name().unwrap().to_string())
        .collect();
    for p in [
        "Beep.wav",
        "CustomerHold.wav",
        "CustomerQueue.wav",
        "Music_Jazz_MyTimeToFly_Inst.wav",
    ] {
        assert!(prompts.iter().any(|x| x == p), "{p}");
    }
    // Every list answers its list member, even empty.
    let users = c.list_users().instance_id(&inst).send().await.unwrap();
    assert!(users.user_summary_list().is_empty());
    let (_, body) = raw(&emu, "GET", &format!("/users-summary/{inst}"), None).await;
    assert_eq!(body, json!({"UserSummaryList": []}));

    // Deleting the instance deletes its contents.
    c.delete_instance().instance_id(&inst).send().await.unwrap();
    let (st, code) = failure(c.list_queues().instance_id(&inst).send().await);
    assert_eq!((st, code.as_str()), (404, "ResourceNotFoundException"));
    emu.shutdown().await;
}

#[tokio::test]
async fn users_queues_routing_profiles_and_hours_round_trip() {
    let emu = start(false).await;
    let c = client(&emu.url(), "us-east-1");
    let inst = new_instance(&c, "crud").await;
    let inst_arn = format!("arn:aws:connect:us-east-1:123456789012:instance/{inst}");

    let hours = c
        .create_hours_of_operation()
        .instance_id(&inst_arn)
        .name("Office Hours")
        .description("Nine to half five")
        .time_zone("Europe/London")
        .config(weekday(HoursOfOperationDays::Monday))
        .config(weekday(HoursOfOperationDays::Friday))
        .tags("team", "ops")
        .send()
        .await
        .unwrap();
    let hours_id = hours.hours_of_operation_id().unwrap().to_string();
    assert!(hours
        .hours_of_operation_arn()
        .unwrap()
        .ends_with(&format!("/operating-hours/{hours_id}")));

    let q = c
        .create_queue()
        .instance_id(&inst)
        .name("Support")
        .description("Support queue")
        .hours_of_operation_id(&hours_id)
        .max_contacts(25)
        .tags("team", "support")
        .send()
        .await
        .unwrap();
    let queue_id = q.queue_id().unwrap().to_string();
    assert_eq!(
        q.queue_arn().unwrap(),
        format!("{inst_arn}/queue/{queue_id}")
    );
    let (st, code) = failure(
        c.create_queue()
            .instance_id(&inst)
            .name("Support")
            .hours_of_operation_id(&hours_id)
            .send()
            .await,
    );
    assert_eq!((st, code.as_str()), (409, "DuplicateResourceException"));
    let (st, code) = failure(
        c.create_queue()
            .instance_id(&inst)
            .name("Other")
            .hours_of_operation_id("no-such-hours")
            .send()
            .await,
    );
    assert_eq!((st, code.as_str()), (404, "ResourceNotFoundException"));
    let (st, _) = failure(
        c.create_queue()
            .instance_id(&inst)
            .name("x".repeat(128))
            .hours_of_operation_id(&hours_id)
            .send()
            .await,
    );
    assert_eq!(st, 400);
    let (st, _) = failure(
        c.create_queue()
            .instance_id(&inst)
            .name("Tagged")
            .hours_of_operation_id(&hours_id)
            .tags("aws:reserved", "x")
            .send()
            .await,
    );
    assert_eq!(st, 400);
    let (st, _) = failure(
        c.create_queue()
            .instance_id(&inst)
            .name("Tagged")
            .hours_of_operation_id(&hours_id)
            .tags("ok", "line\nbreak")
            .send()
            .await,
    );
    assert_eq!(st, 400, "control characters in tag values are refused");

    c.update_queue_name()
        .instance_id(&inst)
        .queue_id(&queue_id)
        .name("Customer Support")
        .send()
        .await
        .unwrap();
    c.update_queue_status()
        .instance_id(&inst)
        .queue_id(&queue_id)
        .status(QueueStatus::Disabled)
        .send()
        .await
        .unwrap();
    c.update_queue_max_contacts()
        .instance_id(&inst)
        .queue_id(&queue_id)
        .max_contacts(40)
        .send()
        .await
        .unwrap();
    let d = c
        .describe_queue()
        .instance_id(&inst)
        .queue_id(&queue_id)
        .send()
        .await
        .unwrap();
    let d = d.queue().unwrap();
    assert_eq!(d.name(), Some("Customer Support"));
    assert_eq!(d.status(), Some(&QueueStatus::Disabled));
    assert_eq!(d.max_contacts(), Some(40));
    assert_eq!(d.tags().unwrap()["team"], "support");
    assert!(d.last_modified_time().is_some());
    assert_eq!(d.last_modified_region(), Some("us-east-1"));

    let rp = c
        .create_routing_profile()
        .instance_id(&inst)
        .name("Support Agents")
        .description("Takes support calls")
        .default_outbound_queue_id(&queue_id)
        .media_concurrencies(voice(1))
        .queue_configs(queue_config(&queue_id, Channel::Voice, 1))
        .send()
        .await
        .unwrap();
    let rp_id = rp.routing_profile_id().unwrap().to_string();
    c.associate_routing_profile_queues()
        .instance_id(&inst)
        .routing_profile_id(&rp_id)
        .queue_configs(queue_config(&queue_id, Channel::Chat, 2))
        .send()
        .await
        .unwrap();
    let rq = c
        .list_routing_profile_queues()
        .instance_id(&inst)
        .routing_profile_id(&rp_id)
        .send()
        .await
        .unwrap();
    assert_eq!(rq.routing_profile_queue_config_summary_list().len(), 2);
    assert_eq!(
        rq.routing_profile_queue_config_summary_list()[0].queue_name(),
        "Customer Support"
    );
    c.disassociate_routing_profile_queues()
        .instance_id(&inst)
        .routing_profile_id(&rp_id)
        .queue_references(
            RoutingProfileQueueReference::builder()
                .queue_id(&queue_id)
                .channel(Channel::Chat)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    let agent = id_of_security_profile(&c, &inst, "Agent").await;
    let u = c
        .create_user()
        .instance_id(&inst)
        .username("jane.doe")
        .password("Sup3rSecret")
        .identity_info(
            UserIdentityInfo::builder()
                .first_name("Jane")
                .last_name("Doe")
                .email("jane.doe@example.com")
                .build(),
        )
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::SoftPhone)
                .after_contact_work_time_limit(45)
                .build(),
        )
        .security_profile_ids(&agent)
        .routing_profile_id(&rp_id)
        .tags("level", "senior")
        .send()
        .await
        .unwrap();
    let user_id = u.user_id().unwrap().to_string();
    assert_eq!(u.user_arn().unwrap(), format!("{inst_arn}/agent/{user_id}"));
    let dup = c
        .create_user()
        .instance_id(&inst)
        .username("jane.doe")
        .password("Sup3rSecret")
        .security_profile_ids(&agent)
        .routing_profile_id(&rp_id)
        .send()
        .await;
    assert_eq!(failure(dup).0, 409);
    let weak = c
        .create_user()
        .instance_id(&inst)
        .username("weak")
        .password("password")
        .security_profile_ids(&agent)
        .routing_profile_id(&rp_id)
        .send()
        .await;
    assert_eq!(failure(weak).0, 400);
    let no_sp = c
        .create_user()
        .instance_id(&inst)
        .username("nosp")
        .password("Sup3rSecret")
        .security_profile_ids("nope")
        .routing_profile_id(&rp_id)
        .send()
        .await;
    assert_eq!(failure(no_sp).0, 404);

    let du = c
        .describe_user()
        .instance_id(&inst)
        .user_id(&user_id)
        .send()
        .await
        .unwrap();
    let du = du.user().unwrap();
    assert_eq!(du.username(), Some("jane.doe"));
    assert_eq!(
        du.identity_info().unwrap().email(),
        Some("jane.doe@example.com")
    );
    assert_eq!(
        du.phone_config().unwrap().after_contact_work_time_limit(),
        45
    );
    assert_eq!(du.routing_profile_id(), Some(rp_id.as_str()));
    // SearchUsers answers UserSearchSummary: names only, ACW in milliseconds.
    let s = c
        .search_users()
        .instance_id(&inst)
        .search_criteria(
            UserSearchCriteria::builder()
                .string_condition(string_condition(
                    "Username",
                    "JANE",
                    StringComparisonType::StartsWith,
                ))
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(s.approximate_total_count(), Some(1));
    let su = &s.users()[0];
    assert_eq!(su.identity_info().unwrap().first_name(), Some("Jane"));
    assert_eq!(
        su.phone_config().unwrap().after_contact_work_time_limit(),
        45_000
    );
    let (_, raw_search) = raw(
        &emu,
        "POST",
        "/search-users",
        Some(json!({"InstanceId": inst})),
    )
    .await;
    assert!(raw_search["Users"][0]["IdentityInfo"]
        .get("Email")
        .is_none());
    assert!(raw_search["Users"][0].get("LastModifiedTime").is_none());

    let d = c
        .describe_routing_profile()
        .instance_id(&inst)
        .routing_profile_id(&rp_id)
        .send()
        .await
        .unwrap();
    let d = d.routing_profile().unwrap();
    assert_eq!(d.number_of_associated_users(), Some(1));
    assert_eq!(d.number_of_associated_queues(), Some(1));

    // In use: the routing profile has a user, the queue a routing profile.
    let (st, code) = failure(
        c.delete_routing_profile()
            .instance_id(&inst)
            .routing_profile_id(&rp_id)
            .send()
            .await,
    );
    assert_eq!((st, code.as_str()), (409, "ResourceInUseException"));
    c.delete_user()
        .instance_id(&inst)
        .user_id(&user_id)
        .send()
        .await
        .unwrap();
    let (st, _) = failure(
        c.describe_user()
            .instance_id(&inst)
            .user_id(&user_id)
            .send()
            .await,
    );
    assert_eq!(st, 404);
    c.delete_routing_profile()
        .instance_id(&inst)
        .routing_profile_id(&rp_id)
        .send()
        .await
        .unwrap();
    c.delete_queue()
        .instance_id(&inst)
        .queue_id(&queue_id)
        .send()
        .await
        .unwrap();
    c.update_hours_of_operation()
        .instance_id(&inst)
        .hours_of_operation_id(&hours_id)
        .time_zone("Europe/Dublin")
        .send()
        .await
        .unwrap();
    c.delete_hours_of_operation()
        .instance_id(&inst)
        .hours_of_operation_id(&hours_id)
        .send()
        .await
        .unwrap();
    let left = c
        .list_hours_of_operations()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    assert_eq!(left.hours_of_operation_summary_list().len(), 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn search_conditions_filters_and_refusals() {
    let emu = start(true).await;
    let c = client(&emu.url(), "us-east-1");
    let facts = &demo_facts()[0];
    let count = |crit: UserSearchCriteria| {
        let c = c.clone();
        async move {
            c.search_users()
                .instance_id(SUPPORT)
                .search_criteria(crit)
                .send()
                .await
                .map(|o| o.users().len())
        }
    };
    let sc = |f: &str, v: &str, t: StringComparisonType| {
        UserSearchCriteria::builder()
            .string_condition(string_condition(f, v, t))
            .build()
    };
    assert_eq!(
        count(sc(
            "Username",
            "platform.admin",
            StringComparisonType::Exact
        ))
        .await
        .unwrap(),
        1
    );
    assert_eq!(
        count(sc(
            "Username",
            "PLATFORM.ADMIN",
            StringComparisonType::Exact
        ))
        .await
        .unwrap(),
        0,
        "EXACT is case-sensitive"
    );
    assert_eq!(
        count(sc("Username", "PLATFORM", StringComparisonType::StartsWith))
            .await
            .unwrap(),
        1
    );
    let contains = count(sc("LastName", "SMI", StringComparisonType::Contains))
        .await
        .unwrap();
    let expected = facts
        .usernames
        .iter()
        .filter(|u| u.split('.').nth(1).is_some_and(|l| l.contains("smi")))
        .count();
    assert_eq!(contains, expected);
    assert!(contains > 0);
    let or = UserSearchCriteria::builder()
        .or_conditions(sc(
            "Username",
            "platform.admin",
            StringComparisonType::Exact,
        ))
        .or_conditions(sc("Username", "dana.reports", StringComparisonType::Exact))
        .build();
    assert_eq!(count(or).await.unwrap(), 2);
    let and = UserSearchCriteria::builder()
        .and_conditions(sc(
            "Username",
            "platform.admin",
            StringComparisonType::Exact,
        ))
        .and_conditions(sc("Username", "dana.reports", StringComparisonType::Exact))
        .build();
    assert_eq!(count(and).await.unwrap(), 0);
    let custom = id_of_security_profile(&c, SUPPORT, facts.custom_security_profile).await;
    assert_eq!(
        count(sc(
            "SecurityProfileId",
            &custom,
            StringComparisonType::Exact
        ))
        .await
        .unwrap(),
        facts.custom_profile_users.len()
    );
    // Unsupported → 400 InvalidRequestException, never a wrong answer.
    let e = count(sc("Email", "x", StringComparisonType::Exact))
        .await
        .unwrap_err();
    assert_eq!(
        (status(&e), e.code()),
        (Some(400), Some("InvalidRequestException"))
    );
    let list = UserSearchCriteria::builder()
        .list_condition(aws_sdk_connect::types::ListCondition::builder().build())
        .build();
    let e = count(list).await.unwrap_err();
    assert_eq!(e.code(), Some("InvalidRequestException"));
    assert!(e.message().unwrap().contains("ListCondition"));

    // Tags and hierarchy filters.
    let tagged = c
        .search_users()
        .instance_id(SUPPORT)
        .search_filter(
            UserSearchFilter::builder()
                .tag_filter(
                    ControlPlaneTagFilter::builder()
                        .tag_condition(
                            TagCondition::builder()
                                .tag_key("role")
                                .tag_value("manager")
                                .build(),
                        )
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert!(!tagged.users().is_empty());
    assert!(tagged
        .users()
        .iter()
        .all(|u| u.tags().unwrap()["role"] == "manager"));
    let groups = c
        .list_user_hierarchy_groups()
        .instance_id(SUPPORT)
        .send()
        .await
        .unwrap();
    let na = groups
        .user_hierarchy_group_summary_list()
        .iter()
        .find(|g| g.name() == Some("North America"))
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let under = |t: HierarchyGroupMatchType| {
        UserSearchCriteria::builder()
            .hierarchy_group_condition(
                HierarchyGroupCondition::builder()
                    .value(&na)
                    .hierarchy_group_match_type(t)
                    .build(),
            )
            .build()
    };
    assert_eq!(
        count(under(HierarchyGroupMatchType::Exact)).await.unwrap(),
        0
    );
    assert_eq!(
        count(under(HierarchyGroupMatchType::WithChildGroups))
            .await
            .unwrap(),
        34
    );

    // Hours: overrides and child hours of the demo.
    let hours = c
        .list_hours_of_operations()
        .instance_id(SUPPORT)
        .send()
        .await
        .unwrap();
    let business = hours
        .hours_of_operation_summary_list()
        .iter()
        .find(|h| h.name() == Some("US Business Hours"))
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let overrides = c
        .list_hours_of_operation_overrides()
        .instance_id(SUPPORT)
        .hours_of_operation_id(&business)
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = overrides
        .hours_of_operation_override_list()
        .iter()
        .filter_map(|o| o.name())
        .collect();
    assert_eq!(names, ["Thanksgiving", "Christmas Day"]);
    let children = c
        .list_child_hours_of_operations()
        .instance_id(SUPPORT)
        .hours_of_operation_id(&business)
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = children
        .child_hours_of_operations_summary_list()
        .iter()
        .map(|h| h.name())
        .collect();
    assert_eq!(names, ["Holiday Hours"]);

    // Queues: CONTAINS on name needs 2..25 characters; QueueTypeCondition.
    let q = |crit: QueueSearchCriteria| {
        let c = c.clone();
        async move {
            c.search_queues()
                .instance_id(SUPPORT)
                .search_criteria(crit)
                .send()
                .await
        }
    };
    let e = q(QueueSearchCriteria::builder()
        .string_condition(string_condition(
            "name",
            "S",
            StringComparisonType::Contains,
        ))
        .build())
    .await
    .unwrap_err();
    assert_eq!(
        (status(&e), e.code()),
        (Some(400), Some("InvalidParameterException"))
    );
    let found = q(QueueSearchCriteria::builder()
        .string_condition(string_condition(
            "name",
            "support",
            StringComparisonType::Contains,
        ))
        .queue_type_condition(aws_sdk_connect::types::SearchableQueueType::Standard)
        .build())
    .await
    .unwrap();
    let names: Vec<&str> = found.queues().iter().filter_map(|x| x.name()).collect();
    assert_eq!(
        names,
        [
            "General Support",
            "Technical Support",
            "VIP Support",
            "Weekend Support"
        ]
    );
    assert_eq!(found.approximate_total_count(), Some(4));

    // Routing profiles by associated queue.
    let queues = c.list_queues().instance_id(SUPPORT).send().await.unwrap();
    let esc = queues
        .queue_summary_list()
        .iter()
        .find(|x| x.name() == Some("Escalations"))
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let rps = c
        .search_routing_profiles()
        .instance_id(SUPPORT)
        .search_criteria(
            RoutingProfileSearchCriteria::builder()
                .string_condition(string_condition(
                    "associatedQueueIds",
                    &esc,
                    StringComparisonType::Exact,
                ))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = rps
        .routing_profiles()
        .iter()
        .filter_map(|r| r.name())
        .collect();
    assert_eq!(names, ["Tier 2 Agents"]);

    // Flows: type, and fields the model does not list (name/description/resourceID).
    let (st, body) = raw(
        &emu,
        "POST",
        "/search-contact-flows",
        Some(json!({"InstanceId": SUPPORT, "SearchCriteria": {
            "TypeCondition": "QUEUE_TRANSFER"}})),
    )
    .await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(body["ApproximateTotalCount"], 1);
    assert_eq!(body["ContactFlows"][0]["Name"], "Default queue transfer");
    let (st, body) = raw(
        &emu,
        "POST",
        "/search-contact-flows",
        Some(json!({"InstanceId": SUPPORT, "SearchCriteria": {"NumberCondition": {}}})),
    )
    .await;
    assert_eq!(
        (st, body["__type"].as_str()),
        (400, Some("InvalidRequestException"))
    );
    // SecurityProfileSearchSummary.
    let (_, body) = raw(
        &emu,
        "POST",
        "/search-security-profiles",
        Some(
            json!({"InstanceId": SUPPORT, "SearchCriteria": {"StringCondition": {
            "FieldName": "name", "Value": "Admin", "ComparisonType": "EXACT"}}}),
        ),
    )
    .await;
    let sp = &body["SecurityProfiles"][0];
    assert_eq!(sp["SecurityProfileName"], "Admin");
    assert!(sp.get("LastModifiedTime").is_none() && sp.get("Tags").is_some());
    emu.shutdown().await;
}

#[tokio::test]
async fn pagination_at_max_page_sizes_and_range_checks() {
    let emu = start(false).await;
    let c = client(&emu.url(), "us-east-1");
    let inst = new_instance(&c, "pages").await;
    let r = control(
        &emu,
        "/_emulator/seed",
        json!({"region": "us-east-1", "instance": "pages", "resource": "users", "count": 2500}),
    )
    .await;
    assert_eq!(r["created"], 2500);
    let pages: Vec<_> = c
        .list_users()
        .instance_id(&inst)
        .max_results(1000)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(
        pages
            .iter()
            .map(|p| p.user_summary_list().len())
            .collect::<Vec<_>>(),
        [1000, 1000, 500]
    );
    let ids: HashSet<&str> = pages
        .iter()
        .flat_map(|p| p.user_summary_list())
        .filter_map(|u| u.id())
        .collect();
    assert_eq!(ids.len(), 2500);
    // Default page: 100.
    let first = c.list_users().instance_id(&inst).send().await.unwrap();
    assert_eq!(first.user_summary_list().len(), 100);
    for bad in [0, 1001] {
        let (st, code) = failure(
            c.list_users()
                .instance_id(&inst)
                .max_results(bad)
                .send()
                .await,
        );
        assert_eq!(
            (st, code.as_str()),
            (400, "InvalidParameterException"),
            "{bad}"
        );
    }
    let (st, code) = failure(
        c.search_users()
            .instance_id(&inst)
            .max_results(501)
            .send()
            .await,
    );
    assert_eq!((st, code.as_str()), (400, "InvalidParameterException"));
    // A token of another operation is refused.
    let token = first.next_token().unwrap();
    let (st, _) = failure(
        c.list_queues()
            .instance_id(&inst)
            .next_token(token)
            .send()
            .await,
    );
    assert_eq!(st, 400);
    // Sub-listings page at their own maximum.
    let (st, _) = raw(
        &emu,
        "GET",
        &format!("/instance/{inst}/approved-origins?maxResults=26"),
        None,
    )
    .await;
    assert_eq!(st, 400);
    for i in 0..30 {
        c.associate_approved_origin()
            .instance_id(&inst)
            .origin(format!("https://app{i}.example.com"))
            .send()
            .await
            .unwrap();
    }
    let pages: Vec<_> = c
        .list_approved_origins()
        .instance_id(&inst)
        .max_results(25)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.origins().len()).collect::<Vec<_>>(),
        [25, 5]
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_users_search_in_ten_pages_fast() {
    let emu = start(false).await;
    let c = client(&emu.url(), "us-east-1");
    let inst = new_instance(&c, "scale").await;
    let t0 = Instant::now();
    let r = control(
        &emu,
        "/_emulator/seed",
        json!({"region": "us-east-1", "instance": inst, "resource": "users", "count": 5000}),
    )
    .await;
    assert_eq!(
        (r["created"].as_u64(), r["total"].as_u64()),
        (Some(5000), Some(5000))
    );
    let seeded = t0.elapsed();
    let t1 = Instant::now();
    let pages: Vec<_> = c
        .search_users()
        .instance_id(&inst)
        .max_results(500)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    let searched = t1.elapsed();
    assert_eq!(pages.len(), 10);
    assert!(pages.iter().all(|p| p.users().len() == 500));
    assert!(pages
        .iter()
        .all(|p| p.approximate_total_count() == Some(5000)));
    let names: HashSet<&str> = pages
        .iter()
        .flat_map(|p| p.users())
        .filter_map(|u| u.username())
        .collect();
    assert_eq!(names.len(), 5000);
    assert!(seeded < Duration::from_secs(20), "seeding took {seeded:?}");
    assert!(
        searched < Duration::from_secs(20),
        "search took {searched:?}"
    );
    // Queues too.
    let r = control(
        &emu,
        "/_emulator/seed",
        json!({"region": "us-east-1", "instance": inst, "resource": "queues", "count": 50}),
    )
    .await;
    assert_eq!(r["total"], 51);
    emu.shutdown().await;
}

#[tokio::test]
async fn demo_contact_centres_through_the_api() {
    let emu = start(true).await;
    let mut admins = 0;
    for f in demo_facts() {
        let c = client(&emu.url(), f.region);
        let users = c
            .list_users()
            .instance_id(f.instance_id)
            .max_results(1000)
            .send()
            .await
            .unwrap();
        let names: Vec<&str> = users
            .user_summary_list()
            .iter()
            .filter_map(|u| u.username())
            .collect();
        assert_eq!(names, f.usernames, "{}", f.alias);
        if names.contains(&"platform.admin") {
            admins += 1;
        }
        let queues = c
            .list_queues()
            .instance_id(f.instance_id)
            .send()
            .await
            .unwrap();
        assert_eq!(queues.queue_summary_list().len(), f.queues, "{}", f.alias);
        let numbers = c
            .list_phone_numbers_v2()
            .instance_id(f.instance_id)
            .send()
            .await
            .unwrap();
        assert_eq!(
            numbers.list_phone_numbers_summary_list().len(),
            f.phone_numbers
        );
        let assoc = c
            .list_flow_associations()
            .instance_id(f.instance_id)
            .resource_type(
                aws_sdk_connect::types::ListFlowAssociationResourceType::VoicePhoneNumber,
            )
            .send()
            .await
            .unwrap();
        let flows = c
            .list_contact_flows()
            .instance_id(f.instance_id)
            .send()
            .await
            .unwrap();
        let lonely = flows
            .contact_flow_summary_list()
            .iter()
            .find(|x| x.name() == Some(f.flow_without_number))
            .unwrap();
        assert!(assoc
            .flow_association_summary_list()
            .iter()
            .all(|a| a.flow_id() != lonely.arn()));
        assert!(!assoc.flow_association_summary_list().is_empty());
        for a in assoc.flow_association_summary_list() {
            let pn = c
                .describe_phone_number()
                .phone_number_id(a.resource_id().unwrap())
                .send()
                .await
                .unwrap();
            assert_eq!(
                pn.claimed_phone_number_summary().unwrap().instance_id(),
                Some(f.instance_id)
            );
        }
        for rt in ["CALL_RECORDINGS", "CHAT_TRANSCRIPTS"] {
            let s = c
                .list_instance_storage_configs()
                .instance_id(f.instance_id)
                .resource_type(aws_sdk_connect::types::InstanceStorageResourceType::from(
                    rt,
                ))
                .send()
                .await
                .unwrap();
            assert_eq!(
                !s.storage_configs().is_empty(),
                f.storage_resource_types.contains(&rt),
                "{} {rt}",
                f.alias
            );
        }
        let ia = c
            .list_integration_associations()
            .instance_id(f.instance_id)
            .send()
            .await
            .unwrap();
        assert_eq!(
            ia.integration_association_summary_list().len(),
            f.integration_associations
        );
        for a in ia.integration_association_summary_list() {
            let tags = c
                .list_tags_for_resource()
                .resource_arn(a.integration_association_arn().unwrap())
                .send()
                .await
                .unwrap();
            assert!(!tags.tags().unwrap().is_empty());
        }
    }
    assert_eq!(admins, 3);
    emu.shutdown().await;
}

#[tokio::test]
async fn tags_agree_across_describe_search_and_tag_operations() {
    let emu = start(true).await;
    let c = client(&emu.url(), "us-east-1");
    let users = c
        .search_users()
        .instance_id(SUPPORT)
        .search_criteria(
            UserSearchCriteria::builder()
                .string_condition(string_condition(
                    "Username",
                    "dana.reports",
                    StringComparisonType::Exact,
                ))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let arn = users.users()[0].arn().unwrap().to_string();
    let id = users.users()[0].id().unwrap().to_string();
    c.tag_resource()
        .resource_arn(&arn)
        .tags("project", "apollo")
        .send()
        .await
        .unwrap();
    let d = c
        .describe_user()
        .instance_id(SUPPORT)
        .user_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(d.user().unwrap().tags().unwrap()["project"], "apollo");
    let listed = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.tags().unwrap()["project"], "apollo");
    let found = c
        .search_users()
        .instance_id(SUPPORT)
        .search_filter(
            UserSearchFilter::builder()
                .tag_filter(
                    ControlPlaneTagFilter::builder()
                        .tag_condition(
                            TagCondition::builder()
                                .tag_key("project")
                                .tag_value("apollo")
                                .build(),
                        )
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(found.users().len(), 1);
    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("project")
        .send()
        .await
        .unwrap();
    let listed = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert!(!listed.tags().unwrap().contains_key("project"));
    // An ARN of nothing.
    let missing = format!("arn:aws:connect:us-east-1:123456789012:instance/{SUPPORT}/queue/nope");
    let (st, _) = failure(
        c.list_tags_for_resource()
            .resource_arn(missing)
            .send()
            .await,
    );
    assert_eq!(st, 404);
    let (st, _) = failure(
        c.tag_resource()
            .resource_arn(&arn)
            .tags("bad\u{7}key", "v")
            .send()
            .await,
    );
    assert_eq!(st, 400);
    emu.shutdown().await;
}

#[tokio::test]
async fn apply_then_fail_and_client_tokens() {
    let emu = start(false).await;
    let c = client(&emu.url(), "us-east-1");
    let inst = new_instance(&c, "retries").await;
    let hours = c
        .list_hours_of_operations()
        .instance_id(&inst)
        .send()
        .await
        .unwrap()
        .hours_of_operation_summary_list()[0]
        .id()
        .unwrap()
        .to_string();

    // The change is applied, then the answer is a 500: a retry finds it done.
    control(
        &emu,
        "/_emulator/faults",
        json!({"apply_then_fail": {"mode": "error", "count": 1, "operations": ["CreateQueue"]}}),
    )
    .await;
    let (st, code) = failure(
        c.create_queue()
            .instance_id(&inst)
            .name("Applied")
            .hours_of_operation_id(&hours)
            .send()
            .await,
    );
    assert_eq!((st, code.as_str()), (500, "InternalServiceException"));
    let (st, _) = failure(
        c.create_queue()
            .instance_id(&inst)
            .name("Applied")
            .hours_of_operation_id(&hours)
            .send()
            .await,
    );
    assert_eq!(st, 409, "the first call took effect");
    // Reads are never failed by it; the count ran out.
    c.list_queues().instance_id(&inst).send().await.unwrap();

    // Dropped connection after the change.
    control(
        &emu,
        "/_emulator/faults",
        json!({"apply_then_fail": {"mode": "drop", "count": 1}}),
    )
    .await;
    let e = c
        .create_agent_status()
        .instance_id(&inst)
        .name("Lunch")
        .state(aws_sdk_connect::types::AgentStatusState::Enabled)
        .send()
        .await
        .unwrap_err();
    assert!(e.raw_response().is_none(), "no HTTP response: {e:?}");
    let statuses = c
        .list_agent_statuses()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    assert!(statuses
        .agent_status_summary_list()
        .iter()
        .any(|s| s.name() == Some("Lunch")));
    let stats: Value = http()
        .get(format!("{}/_emulator/stats", emu.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["applied_then_failed"], 2);
    let bad = http()
        .post(format!("{}/_emulator/faults", emu.url()))
        .json(&json!({"apply_then_fail": {"operations": ["ListUsers"]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);

    // ClientToken: same token → same answer, one item; other request → 409.
    let content = r#"{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"EndFlowExecution","Parameters":{},"Transitions":{}}]}"#;
    let mk = |name: &str| {
        c.create_contact_flow_module()
            .instance_id(&inst)
            .name(name)
            .content(content)
            .client_token("token-1")
    };
    let a = mk("Auth").send().await.unwrap();
    let b = mk("Auth").send().await.unwrap();
    assert_eq!(a.id(), b.id());
    let modules = c
        .list_contact_flow_modules()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    assert_eq!(modules.contact_flow_modules_summary_list().len(), 1);
    let (st, code) = failure(mk("Other").send().await);
    assert_eq!((st, code.as_str()), (409, "IdempotencyException"));

    // UpdateInstanceAttribute: a retry after success answers 200 without re-applying.
    use aws_sdk_connect::types::InstanceAttributeType as A;
    let set = |v: &str, token: &str| {
        c.update_instance_attribute()
            .instance_id(&inst)
            .attribute_type(A::ContactflowLogs)
            .value(v)
            .client_token(token)
    };
    set("true", "t1").send().await.unwrap();
    set("false", "t2").send().await.unwrap();
    set("true", "t1").send().await.unwrap();
    let v = c
        .describe_instance_attribute()
        .instance_id(&inst)
        .attribute_type(A::ContactflowLogs)
        .send()
        .await
        .unwrap();
    assert_eq!(v.attribute().unwrap().value(), Some("false"));

    // DeleteInstance: a retry with the same token after success answers 200.
    c.delete_instance()
        .instance_id(&inst)
        .client_token("del-1")
        .send()
        .await
        .unwrap();
    c.delete_instance()
        .instance_id(&inst)
        .client_token("del-1")
        .send()
        .await
        .unwrap();
    let (st, _) = failure(
        c.delete_instance()
            .instance_id(&inst)
            .client_token("del-2")
            .send()
            .await,
    );
    assert_eq!(st, 404);
    emu.shutdown().await;
}

#[tokio::test]
async fn not_drivable_by_a_web_page() {
    let emu = start(true).await;
    // Every operation of the table refuses a request without SigV4.
    for row in connectql::catalog::OPERATIONS {
        let path = row
            .uri
            .split('/')
            .map(|s| if s.starts_with('{') { "x" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let resp = http()
            .request(row.method.parse().unwrap(), format!("{}{path}", emu.url()))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 403, "{}", row.name);
    }
    // Control routes: no Origin, JSON only for writes.
    let r = http()
        .get(format!("{}/_emulator/stats", emu.url()))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut req = http()
            .post(format!("{}/_emulator/reset", emu.url()))
            .body("{}");
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        assert_eq!(req.send().await.unwrap().status().as_u16(), 403, "{ct:?}");
    }
    let r = http()
        .delete(format!("{}/_emulator/faults", emu.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // Nothing was reset.
    let c = client(&emu.url(), "us-east-1");
    let n = c.list_instances().send().await.unwrap();
    assert_eq!(n.instance_summary_list().len(), 2);
    emu.shutdown().await;
}

#[tokio::test]
async fn other_kinds_create_and_read_back() {
    let emu = start(false).await;
    let c = client(&emu.url(), "eu-west-2");
    let inst = new_instance(&c, "kinds").await;
    let flows = c
        .list_contact_flows()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    let transfer = flows
        .contact_flow_summary_list()
        .iter()
        .find(|f| f.contact_flow_type() == Some(&ContactFlowType::QueueTransfer))
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let queue = c.list_queues().instance_id(&inst).send().await.unwrap();
    let queue = queue.queue_summary_list()[0].id().unwrap().to_string();

    let content = r#"{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}"#;
    let flow = c
        .create_contact_flow()
        .instance_id(&inst)
        .name("Inbound")
        .r#type(ContactFlowType::ContactFlow)
        .content(content)
        .send()
        .await
        .unwrap();
    let flow_id = flow.contact_flow_id().unwrap().to_string();
    let (st, _) = failure(
        c.create_contact_flow()
            .instance_id(&inst)
            .name("Broken")
            .r#type(ContactFlowType::ContactFlow)
            .content("not json")
            .send()
            .await,
    );
    assert_eq!(st, 400);
    let saved = c
        .create_contact_flow()
        .instance_id(&inst)
        .name("Draft")
        .r#type(ContactFlowType::ContactFlow)
        .content(content)
        .status(aws_sdk_connect::types::ContactFlowStatus::Saved)
        .send()
        .await
        .unwrap();
    let (st, code) = failure(
        c.describe_contact_flow()
            .instance_id(&inst)
            .contact_flow_id(saved.contact_flow_id().unwrap())
            .send()
            .await,
    );
    assert_eq!(
        (st, code.as_str()),
        (404, "ContactFlowNotPublishedException")
    );

    let pn = c
        .claim_phone_number()
        .instance_id(&inst)
        .phone_number("+442079460555")
        .phone_number_description("London")
        .tags("line", "main")
        .send()
        .await
        .unwrap();
    let pn_id = pn.phone_number_id().unwrap().to_string();
    assert_eq!(
        pn.phone_number_arn().unwrap(),
        format!("arn:aws:connect:eu-west-2:123456789012:phone-number/{pn_id}")
    );
    c.associate_phone_number_contact_flow()
        .instance_id(&inst)
        .phone_number_id(&pn_id)
        .contact_flow_id(&flow_id)
        .send()
        .await
        .unwrap();
    let d = c
        .describe_phone_number()
        .phone_number_id(&pn_id)
        .send()
        .await
        .unwrap();
    let d = d.claimed_phone_number_summary().unwrap();
    assert_eq!(
        d.phone_number_country_code().map(|x| x.as_str()),
        Some("GB")
    );
    assert_eq!(d.tags().unwrap()["line"], "main");
    let fa = c
        .list_flow_associations()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    assert_eq!(fa.flow_association_summary_list().len(), 1);
    assert_eq!(
        fa.flow_association_summary_list()[0].resource_id(),
        pn.phone_number_arn()
    );

    let sp = c
        .create_security_profile()
        .instance_id(&inst)
        .security_profile_name("Auditors")
        .permissions("ReportsAdmin.Access")
        .permissions("AccessMetrics")
        .send()
        .await
        .unwrap();
    let perms = c
        .list_security_profile_permissions()
        .instance_id(&inst)
        .security_profile_id(sp.security_profile_id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        perms.permissions(),
        ["ReportsAdmin.Access", "AccessMetrics"]
    );
    let (st, _) = failure(
        c.create_security_profile()
            .instance_id(&inst)
            .security_profile_name("Bad/Name")
            .send()
            .await,
    );
    assert_eq!(st, 400);

    let qc = c
        .create_quick_connect()
        .instance_id(&inst)
        .name("To Basic")
        .quick_connect_config(
            aws_sdk_connect::types::QuickConnectConfig::builder()
                .quick_connect_type(aws_sdk_connect::types::QuickConnectType::Queue)
                .queue_config(
                    aws_sdk_connect::types::QueueQuickConnectConfig::builder()
                        .queue_id(&queue)
                        .contact_flow_id(&transfer)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    c.associate_queue_quick_connects()
        .instance_id(&inst)
        .queue_id(&queue)
        .quick_connect_ids(qc.quick_connect_id().unwrap())
        .send()
        .await
        .unwrap();
    let qq = c
        .list_queue_quick_connects()
        .instance_id(&inst)
        .queue_id(&queue)
        .send()
        .await
        .unwrap();
    assert_eq!(qq.quick_connect_summary_list()[0].name(), Some("To Basic"));
    let dq = c
        .describe_quick_connect()
        .instance_id(&inst)
        .quick_connect_id(qc.quick_connect_id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        dq.quick_connect().unwrap().quick_connect_arn(),
        qc.quick_connect_arn()
    );

    let top = c
        .create_user_hierarchy_group()
        .instance_id(&inst)
        .name("EMEA")
        .send()
        .await
        .unwrap();
    let child = c
        .create_user_hierarchy_group()
        .instance_id(&inst)
        .name("London")
        .parent_group_id(top.hierarchy_group_id().unwrap())
        .send()
        .await
        .unwrap();
    let g = c
        .describe_user_hierarchy_group()
        .instance_id(&inst)
        .hierarchy_group_id(child.hierarchy_group_id().unwrap())
        .send()
        .await
        .unwrap();
    let path = g.hierarchy_group().unwrap().hierarchy_path().unwrap();
    assert_eq!(path.level_one().unwrap().name(), Some("EMEA"));
    assert_eq!(path.level_two().unwrap().name(), Some("London"));

    let pr = c
        .create_prompt()
        .instance_id(&inst)
        .name("Welcome.wav")
        .s3_uri("s3://bucket/prompts/welcome.wav")
        .send()
        .await
        .unwrap();
    let dp = c
        .describe_prompt()
        .instance_id(&inst)
        .prompt_id(pr.prompt_id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(dp.prompt().unwrap().prompt_arn(), pr.prompt_arn());
    let (st, _) = failure(
        c.create_prompt()
            .instance_id(&inst)
            .name("Bad.wav")
            .s3_uri("ftp://nope")
            .send()
            .await,
    );
    assert_eq!(st, 400);

    let st_out = c
        .associate_instance_storage_config()
        .instance_id(&inst)
        .resource_type(aws_sdk_connect::types::InstanceStorageResourceType::CallRecordings)
        .storage_config(
            aws_sdk_connect::types::InstanceStorageConfig::builder()
                .storage_type(aws_sdk_connect::types::StorageType::S3)
                .s3_config(
                    aws_sdk_connect::types::S3Config::builder()
                        .bucket_name("recordings")
                        .bucket_prefix("connect")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let ds = c
        .describe_instance_storage_config()
        .instance_id(&inst)
        .association_id(st_out.association_id().unwrap())
        .resource_type(aws_sdk_connect::types::InstanceStorageResourceType::CallRecordings)
        .send()
        .await
        .unwrap();
    assert_eq!(
        ds.storage_config()
            .unwrap()
            .s3_config()
            .unwrap()
            .bucket_name(),
        "recordings"
    );
    let ia = c
        .create_integration_association()
        .instance_id(&inst)
        .integration_type(aws_sdk_connect::types::IntegrationType::CasesDomain)
        .integration_arn("arn:aws:cases:eu-west-2:123456789012:domain/d1")
        .tags("purpose", "cases")
        .send()
        .await
        .unwrap();
    let tags = c
        .list_tags_for_resource()
        .resource_arn(ia.integration_association_arn().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().unwrap()["purpose"], "cases");
    let (st, code) = failure(
        c.create_integration_association()
            .instance_id(&inst)
            .integration_type(aws_sdk_connect::types::IntegrationType::CasesDomain)
            .integration_arn("arn:aws:cases:eu-west-2:123456789012:domain/d1")
            .send()
            .await,
    );
    assert_eq!((st, code.as_str()), (409, "DuplicateResourceException"));
    emu.shutdown().await;
}

#[tokio::test]
async fn hostile_bodies_on_every_operation_are_4xx_never_5xx() {
    let emu = start(true).await;
    let deep = (0..300).fold(json!({}), |acc, _| json!({"AndConditions": [acc]}));
    let bodies = vec![
        String::new(),
        "{".to_string(),
        "[1]".to_string(),
        "null".to_string(),
        json!({"InstanceId": SUPPORT, "MaxResults": "many"}).to_string(),
        json!({"InstanceId": SUPPORT, "SearchCriteria": {"OrConditions": "x"}}).to_string(),
        json!({"InstanceId": SUPPORT, "SearchCriteria": deep}).to_string(),
        json!({"InstanceId": SUPPORT, "SearchFilter": {"TagFilter": {"OrConditions": [[{"TagKey": 1}]]}}}).to_string(),
        json!({"InstanceId": SUPPORT, "Name": "\u{0}\u{7}", "Tags": {"k": 5}}).to_string(),
        json!({"Name": "x".repeat(10_000), "Config": [{"Day": "FUNDAY"}], "QueueConfigs": [1, 2]}).to_string(),
        json!({"PhoneNumber": "+1", "TargetArn": "arn:aws:connect:us-east-1:1:instance/x/y"}).to_string(),
    ];
    for row in connectql::catalog::OPERATIONS {
        for label in ["x", SUPPORT, "%FF%FE", "arn%3Aaws%3Aconnect%3Aus-east-1%3A123456789012%3Ainstance%2F7c3a1f0e-2b4d-4e8a-9f61-0d5b8c2e4a11"] {
            let path = row
                .uri
                .split('/')
                .map(|s| if s.starts_with('{') { label } else { s })
                .collect::<Vec<_>>()
                .join("/");
            for body in &bodies {
                let resp = http()
                    .request(row.method.parse().unwrap(), format!("{}{path}?maxResults=-5&nextToken=zz", emu.url()))
                    .header(
                        "authorization",
                        "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/connect/aws4_request, \
                         SignedHeaders=host, Signature=0",
                    )
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                let st = resp.status().as_u16();
                assert!(st < 500, "{} {path} {body:.80}: {st}", row.name);
                assert!(resp.headers().contains_key("x-amzn-requestid"));
            }
        }
    }
    // Still serving (DeleteInstance on the demo instance did run, validly).
    let c = client(&emu.url(), "us-east-1");
    c.list_instances().send().await.unwrap();
    emu.shutdown().await;
}

/// `--listen` on an address other than loopback warns that anyone who can
/// reach it can drive it; on loopback it does not.
#[test]
fn listening_beyond_loopback_warns() {
    use std::io::{BufRead, BufReader};
    for (addr, warns) in [("0.0.0.0:0", true), ("127.0.0.1:0", false)] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_connectql"))
            .args(["emulator", "--listen", addr])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The URL on stdout means it is listening and has said what it says.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.contains("http://"), "{line}");
        std::thread::sleep(std::time::Duration::from_millis(200));
        child.kill().unwrap();
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.contains("not a loopback address"),
            warns,
            "{addr}: {err}"
        );
    }
}

/// Names and descriptions follow botocore's patterns where Connect's model has
/// them, matched as Connect's validator does (the whole value; `.` matches no
/// line terminator), and control characters those patterns exclude are refused.
#[tokio::test]
async fn names_and_descriptions_follow_connects_patterns() {
    let emu = start(false).await;
    let c = client(&emu.url(), "us-east-1");
    let inst = new_instance(&c, "patterns").await;
    let content = r#"{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"EndFlowExecution","Parameters":{},"Transitions":{}}]}"#;
    let module = |name: &str, description: Option<&str>| {
        c.create_contact_flow_module()
            .instance_id(&inst)
            .name(name)
            .set_description(description.map(str::to_string))
            .content(content)
            .send()
    };
    // ContactFlowModuleName / ContactFlowModuleDescription: `.*\S.*`.
    for (name, description) in [
        ("   ", None),
        ("two\nlines", None),
        ("carriage\rreturn", None),
        ("next\u{85}line", None),
        ("line\u{2028}separator", None),
        ("ok", Some(" ")),
        ("ok", Some("a\nb")),
        ("ok", Some("")),
    ] {
        let (st, code) = failure(module(name, description).await);
        assert_eq!(
            (st, code.as_str()),
            (400, "InvalidParameterException"),
            "{name:?} {description:?}"
        );
    }
    module("tab\tinside", Some(" a description "))
        .await
        .unwrap();
    // CreateSecurityProfileName: `^[ a-zA-Z0-9_@-]+$` refuses every control character.
    for name in ["Agent\tTwo", "Agent\u{7f}", "Agent\n", "Agent\u{0}"] {
        let (st, code) = failure(
            c.create_security_profile()
                .instance_id(&inst)
                .security_profile_name(name)
                .send()
                .await,
        );
        assert_eq!(
            (st, code.as_str()),
            (400, "InvalidParameterException"),
            "{name:?}"
        );
    }
    c.create_security_profile()
        .instance_id(&inst)
        .security_profile_name("Team lead_2@x-y")
        .send()
        .await
        .unwrap();
    // Nothing refused was created.
    let modules = c
        .list_contact_flow_modules()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = modules
        .contact_flow_modules_summary_list()
        .iter()
        .filter_map(|m| m.name())
        .collect();
    assert_eq!(names, ["tab\tinside"]);
    emu.shutdown().await;
}
