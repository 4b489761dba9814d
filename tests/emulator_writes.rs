//! The write operations of an instance's contents on the local Connect
//! endpoint, through the real aws-sdk-connect client: each update, delete and
//! disassociate is read back with Describe*/List*/Search*, and its main
//! errors are checked (status code and exception name as botocore models
//! them), including `ClientToken` replays.

use std::time::Duration;

use aws_sdk_connect::config::http::HttpResponse;
use aws_sdk_connect::config::retry::RetryConfig;
use aws_sdk_connect::config::timeout::TimeoutConfig;
use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_connect::types::{
    AgentStatusState, Application, ContactFlowModuleState, ContactFlowSearchCriteria,
    ContactFlowState, ContactFlowType, DirectoryType, InstanceStorageConfig,
    InstanceStorageResourceType, IntegrationType, PhoneNumberQuickConnectConfig,
    QueueQuickConnectConfig, QuickConnectConfig, QuickConnectSearchCriteria, QuickConnectType,
    S3Config, SourceType, StorageType, StringComparisonType, StringCondition,
};
use aws_sdk_connect::Client;
use connectql_emulator::{self as emulator, EmulatorArgs, RunningEmulator};

const REGION: &str = "us-east-1";
const FLOW_CONTENT: &str = r#"{"Version":"2019-10-30","StartAction":"end","Actions":[{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}"#;
const OTHER_FLOW_CONTENT: &str = r#"{"Version":"2019-10-30","StartAction":"bye","Actions":[{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}"#;

async fn start() -> RunningEmulator {
    emulator::start(EmulatorArgs {
        demo_data: false,
        create_delay_ms: 0,
        ..Default::default()
    })
    .await
    .expect("emulator starts")
}

fn client(url: &str) -> Client {
    let conf = aws_sdk_connect::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
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

/// (HTTP status, exception name) of a call that must fail.
fn failure<T, E: ProvideErrorMetadata>(r: Result<T, SdkError<E, HttpResponse>>) -> (u16, String) {
    match r {
        Ok(_) => panic!("the call should have failed"),
        Err(e) => (
            e.raw_response().map_or(0, |r| r.status().as_u16()),
            e.code().unwrap_or("").to_string(),
        ),
    }
}

fn is(status: u16, code: &str) -> (u16, String) {
    (status, code.to_string())
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

async fn new_flow(c: &Client, inst: &str, name: &str) -> String {
    c.create_contact_flow()
        .instance_id(inst)
        .name(name)
        .r#type(ContactFlowType::ContactFlow)
        .content(FLOW_CONTENT)
        .send()
        .await
        .unwrap()
        .contact_flow_id()
        .unwrap()
        .to_string()
}

async fn basic_queue(c: &Client, inst: &str) -> String {
    c.list_queues()
        .instance_id(inst)
        .send()
        .await
        .unwrap()
        .queue_summary_list()
        .iter()
        .find(|q| q.name() == Some("BasicQueue"))
        .and_then(|q| q.id())
        .expect("BasicQueue")
        .to_string()
}

async fn basic_hours(c: &Client, inst: &str) -> String {
    c.list_hours_of_operations()
        .instance_id(inst)
        .send()
        .await
        .unwrap()
        .hours_of_operation_summary_list()
        .iter()
        .find(|h| h.name() == Some("Basic Hours"))
        .and_then(|h| h.id())
        .expect("Basic Hours")
        .to_string()
}

async fn id_by_name(c: &Client, inst: &str, kind: &str, name: &str) -> String {
    let found = match kind {
        "security profile" => c
            .list_security_profiles()
            .instance_id(inst)
            .send()
            .await
            .unwrap()
            .security_profile_summary_list()
            .iter()
            .find(|s| s.name() == Some(name))
            .and_then(|s| s.id().map(str::to_string)),
        "routing profile" => c
            .list_routing_profiles()
            .instance_id(inst)
            .send()
            .await
            .unwrap()
            .routing_profile_summary_list()
            .iter()
            .find(|s| s.name() == Some(name))
            .and_then(|s| s.id().map(str::to_string)),
        "agent status" => c
            .list_agent_statuses()
            .instance_id(inst)
            .send()
            .await
            .unwrap()
            .agent_status_summary_list()
            .iter()
            .find(|s| s.name() == Some(name))
            .and_then(|s| s.id().map(str::to_string)),
        _ => unreachable!("{kind}"),
    };
    found.unwrap_or_else(|| panic!("no {kind} {name}"))
}

async fn new_user(c: &Client, inst: &str, username: &str, profile: &str) -> String {
    let rp = id_by_name(c, inst, "routing profile", "Basic Routing Profile").await;
    c.create_user()
        .instance_id(inst)
        .username(username)
        .password("Passw0rd!x")
        .phone_config(
            aws_sdk_connect::types::UserPhoneConfig::builder()
                .phone_type(aws_sdk_connect::types::PhoneType::SoftPhone)
                .build(),
        )
        .security_profile_ids(profile)
        .routing_profile_id(rp)
        .send()
        .await
        .unwrap()
        .user_id()
        .unwrap()
        .to_string()
}

fn queue_quick_connect(queue: &str, flow: &str) -> QuickConnectConfig {
    QuickConnectConfig::builder()
        .quick_connect_type(QuickConnectType::Queue)
        .queue_config(
            QueueQuickConnectConfig::builder()
                .queue_id(queue)
                .contact_flow_id(flow)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn phone_quick_connect(number: &str) -> QuickConnectConfig {
    QuickConnectConfig::builder()
        .quick_connect_type(QuickConnectType::PhoneNumber)
        .phone_config(
            PhoneNumberQuickConnectConfig::builder()
                .phone_number(number)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn s3(bucket: &str) -> InstanceStorageConfig {
    InstanceStorageConfig::builder()
        .storage_type(StorageType::S3)
        .s3_config(
            S3Config::builder()
                .bucket_name(bucket)
                .bucket_prefix("recordings")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

// ---------------------------------------------------------------- contact flows

#[tokio::test]
async fn contact_flow_content_name_metadata_and_delete() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "flows").await;
    let flow = new_flow(&c, &inst, "Main menu").await;
    new_flow(&c, &inst, "Other menu").await;

    c.update_contact_flow_content()
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .content(OTHER_FLOW_CONTENT)
        .send()
        .await
        .unwrap();
    c.update_contact_flow_name()
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .name("Main menu v2")
        .description("after hours")
        .send()
        .await
        .unwrap();
    c.update_contact_flow_metadata()
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .contact_flow_state(ContactFlowState::Archived)
        .send()
        .await
        .unwrap();
    let described = c
        .describe_contact_flow()
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .send()
        .await
        .unwrap();
    let f = described.contact_flow().unwrap();
    assert_eq!(f.content(), Some(OTHER_FLOW_CONTENT));
    assert_eq!(f.name(), Some("Main menu v2"));
    assert_eq!(f.description(), Some("after hours"));
    assert_eq!(f.state(), Some(&ContactFlowState::Archived));
    assert_eq!(f.last_modified_region(), Some(REGION));
    let listed = c
        .list_contact_flows()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    let summary = listed
        .contact_flow_summary_list()
        .iter()
        .find(|s| s.id() == Some(flow.as_str()))
        .unwrap();
    assert_eq!(summary.name(), Some("Main menu v2"));
    assert_eq!(
        summary.contact_flow_state(),
        Some(&ContactFlowState::Archived)
    );
    let archived = c
        .search_contact_flows()
        .instance_id(&inst)
        .search_criteria(
            ContactFlowSearchCriteria::builder()
                .state_condition(ContactFlowState::Archived)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let names: Vec<_> = archived
        .contact_flows()
        .iter()
        .filter_map(|f| f.name())
        .collect();
    assert_eq!(names, ["Main menu v2"]);

    // Errors: a taken name, content that is not a flow, an unknown flow, a bad state.
    let taken = c
        .update_contact_flow_metadata()
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .name("Other menu")
        .send()
        .await;
    assert_eq!(failure(taken), is(409, "DuplicateResourceException"));
    let bad = c
        .update_contact_flow_content()
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .content("not json")
        .send()
        .await;
    assert_eq!(failure(bad), is(400, "InvalidContactFlowException"));
    let unknown = c
        .update_contact_flow_name()
        .instance_id(&inst)
        .contact_flow_id("00000000-0000-4000-8000-000000000000")
        .name("x")
        .send()
        .await;
    assert_eq!(failure(unknown), is(404, "ResourceNotFoundException"));
    let state = c
        .update_contact_flow_metadata()
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .contact_flow_state(ContactFlowState::from("PAUSED"))
        .send()
        .await;
    assert_eq!(failure(state), is(400, "InvalidParameterException"));

    c.delete_contact_flow()
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .send()
        .await
        .unwrap();
    let gone = c
        .describe_contact_flow()
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .send()
        .await;
    assert_eq!(failure(gone), is(404, "ResourceNotFoundException"));
    let again = c
        .delete_contact_flow()
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .send()
        .await;
    assert_eq!(failure(again), is(404, "ResourceNotFoundException"));
    // The name is free again.
    new_flow(&c, &inst, "Main menu v2").await;
}

#[tokio::test]
async fn a_flow_in_use_is_not_deleted() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "flowuse").await;
    let flow = new_flow(&c, &inst, "Inbound").await;
    let number = c
        .claim_phone_number()
        .instance_id(&inst)
        .phone_number("+18005550100")
        .send()
        .await
        .unwrap()
        .phone_number_id()
        .unwrap()
        .to_string();
    c.associate_phone_number_contact_flow()
        .phone_number_id(&number)
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .send()
        .await
        .unwrap();
    let in_use = c
        .delete_contact_flow()
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .send()
        .await;
    assert_eq!(failure(in_use), is(400, "InvalidRequestException"));

    // A quick connect's transfer flow is in use too.
    let queue = basic_queue(&c, &inst).await;
    let transfer = new_flow(&c, &inst, "Transfer").await;
    let qc = c
        .create_quick_connect()
        .instance_id(&inst)
        .name("To basic")
        .quick_connect_config(queue_quick_connect(&queue, &transfer))
        .send()
        .await
        .unwrap()
        .quick_connect_id()
        .unwrap()
        .to_string();
    let in_use = c
        .delete_contact_flow()
        .instance_id(&inst)
        .contact_flow_id(&transfer)
        .send()
        .await;
    assert_eq!(failure(in_use), is(400, "InvalidRequestException"));

    c.disassociate_phone_number_contact_flow()
        .phone_number_id(&number)
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    c.delete_contact_flow()
        .instance_id(&inst)
        .contact_flow_id(&flow)
        .send()
        .await
        .unwrap();
    c.delete_quick_connect()
        .instance_id(&inst)
        .quick_connect_id(&qc)
        .send()
        .await
        .unwrap();
    c.delete_contact_flow()
        .instance_id(&inst)
        .contact_flow_id(&transfer)
        .send()
        .await
        .unwrap();
    let names: Vec<String> = c
        .list_contact_flows()
        .instance_id(&inst)
        .send()
        .await
        .unwrap()
        .contact_flow_summary_list()
        .iter()
        .filter_map(|s| s.name().map(str::to_string))
        .collect();
    assert!(!names.iter().any(|n| n == "Inbound" || n == "Transfer"));
}

// ---------------------------------------------------------------- flow modules

#[tokio::test]
async fn contact_flow_module_content_metadata_and_delete() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "modules").await;
    let create = |name: &'static str| {
        c.create_contact_flow_module()
            .instance_id(&inst)
            .name(name)
            .content(FLOW_CONTENT)
            .send()
    };
    let module = create("Greeting").await.unwrap().id().unwrap().to_string();
    create("Survey").await.unwrap();

    c.update_contact_flow_module_content()
        .instance_id(&inst)
        .contact_flow_module_id(&module)
        .content(OTHER_FLOW_CONTENT)
        .send()
        .await
        .unwrap();
    c.update_contact_flow_module_metadata()
        .instance_id(&inst)
        .contact_flow_module_id(&module)
        .name("Greeting v2")
        .description("Says hello")
        .state(ContactFlowModuleState::Archived)
        .send()
        .await
        .unwrap();
    let described = c
        .describe_contact_flow_module()
        .instance_id(&inst)
        .contact_flow_module_id(&module)
        .send()
        .await
        .unwrap();
    let m = described.contact_flow_module().unwrap();
    assert_eq!(m.content(), Some(OTHER_FLOW_CONTENT));
    assert_eq!(m.name(), Some("Greeting v2"));
    assert_eq!(m.description(), Some("Says hello"));
    assert_eq!(m.state(), Some(&ContactFlowModuleState::Archived));
    let archived = c
        .list_contact_flow_modules()
        .instance_id(&inst)
        .contact_flow_module_state(ContactFlowModuleState::Archived)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = archived
        .contact_flow_modules_summary_list()
        .iter()
        .filter_map(|s| s.name())
        .collect();
    assert_eq!(names, ["Greeting v2"]);

    let taken = c
        .update_contact_flow_module_metadata()
        .instance_id(&inst)
        .contact_flow_module_id(&module)
        .name("survey")
        .send()
        .await;
    assert_eq!(failure(taken), is(409, "DuplicateResourceException"));
    let blank = c
        .update_contact_flow_module_metadata()
        .instance_id(&inst)
        .contact_flow_module_id(&module)
        .name("   ")
        .send()
        .await;
    assert_eq!(failure(blank), is(400, "InvalidParameterException"));
    let bad = c
        .update_contact_flow_module_content()
        .instance_id(&inst)
        .contact_flow_module_id(&module)
        .content("{}")
        .send()
        .await;
    assert_eq!(failure(bad), is(400, "InvalidContactFlowModuleException"));

    c.delete_contact_flow_module()
        .instance_id(&inst)
        .contact_flow_module_id(&module)
        .send()
        .await
        .unwrap();
    let gone = c
        .describe_contact_flow_module()
        .instance_id(&inst)
        .contact_flow_module_id(&module)
        .send()
        .await;
    assert_eq!(failure(gone), is(404, "ResourceNotFoundException"));
    let again = c
        .delete_contact_flow_module()
        .instance_id(&inst)
        .contact_flow_module_id(&module)
        .send()
        .await;
    assert_eq!(failure(again), is(404, "ResourceNotFoundException"));
}

// ---------------------------------------------------------------- security profiles

#[tokio::test]
async fn security_profile_update_and_delete() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "profiles").await;
    let profile = c
        .create_security_profile()
        .instance_id(&inst)
        .security_profile_name("Supervisors")
        .permissions("BasicAgentAccess")
        .send()
        .await
        .unwrap()
        .security_profile_id()
        .unwrap()
        .to_string();

    c.update_security_profile()
        .instance_id(&inst)
        .security_profile_id(&profile)
        .description("Floor supervisors")
        .permissions("BasicAgentAccess")
        .permissions("ListenIn")
        .allowed_access_control_tags("team", "blue")
        .tag_restricted_resources("User")
        .applications(
            Application::builder()
                .namespace("example.com")
                .application_permissions("ViewReports")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let described = c
        .describe_security_profile()
        .instance_id(&inst)
        .security_profile_id(&profile)
        .send()
        .await
        .unwrap();
    let p = described.security_profile().unwrap();
    assert_eq!(p.security_profile_name(), Some("Supervisors"));
    assert_eq!(p.description(), Some("Floor supervisors"));
    assert_eq!(
        p.allowed_access_control_tags()
            .and_then(|t| t.get("team"))
            .map(String::as_str),
        Some("blue")
    );
    assert_eq!(p.tag_restricted_resources(), ["User"]);
    assert_eq!(p.last_modified_region(), Some(REGION));
    let permissions = c
        .list_security_profile_permissions()
        .instance_id(&inst)
        .security_profile_id(&profile)
        .send()
        .await
        .unwrap();
    assert_eq!(permissions.permissions(), ["BasicAgentAccess", "ListenIn"]);
    let apps = c
        .list_security_profile_applications()
        .instance_id(&inst)
        .security_profile_id(&profile)
        .send()
        .await
        .unwrap();
    assert_eq!(apps.applications().len(), 1);
    assert_eq!(apps.applications()[0].namespace(), Some("example.com"));

    // Members left out keep their values.
    c.update_security_profile()
        .instance_id(&inst)
        .security_profile_id(&profile)
        .description("Night shift")
        .send()
        .await
        .unwrap();
    let permissions = c
        .list_security_profile_permissions()
        .instance_id(&inst)
        .security_profile_id(&profile)
        .send()
        .await
        .unwrap();
    assert_eq!(permissions.permissions().len(), 2);

    let mut too_many = c
        .update_security_profile()
        .instance_id(&inst)
        .security_profile_id(&profile);
    for k in ["a", "b", "c", "d", "e"] {
        too_many = too_many.allowed_access_control_tags(k, "v");
    }
    assert_eq!(
        failure(too_many.send().await),
        is(400, "InvalidParameterException")
    );
    let no_group = c
        .update_security_profile()
        .instance_id(&inst)
        .security_profile_id(&profile)
        .allowed_access_control_hierarchy_group_id("00000000-0000-4000-8000-000000000000")
        .send()
        .await;
    assert_eq!(failure(no_group), is(404, "ResourceNotFoundException"));

    // In use by a user: 409 until the user leaves it.
    let user = new_user(&c, &inst, "sam", &profile).await;
    let in_use = c
        .delete_security_profile()
        .instance_id(&inst)
        .security_profile_id(&profile)
        .send()
        .await;
    assert_eq!(failure(in_use), is(409, "ResourceInUseException"));
    let agent = id_by_name(&c, &inst, "security profile", "Agent").await;
    c.update_user_security_profiles()
        .instance_id(&inst)
        .user_id(&user)
        .security_profile_ids(&agent)
        .send()
        .await
        .unwrap();
    c.delete_security_profile()
        .instance_id(&inst)
        .security_profile_id(&profile)
        .send()
        .await
        .unwrap();
    let gone = c
        .describe_security_profile()
        .instance_id(&inst)
        .security_profile_id(&profile)
        .send()
        .await;
    assert_eq!(failure(gone), is(404, "ResourceNotFoundException"));
    let listed = c
        .list_security_profiles()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    assert!(!listed
        .security_profile_summary_list()
        .iter()
        .any(|s| s.name() == Some("Supervisors")));
}

// ---------------------------------------------------------------- quick connects

#[tokio::test]
async fn quick_connect_name_config_queue_links_and_delete() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "quick").await;
    let queue = basic_queue(&c, &inst).await;
    let flow = new_flow(&c, &inst, "Transfer").await;
    let create = |name: &'static str| {
        c.create_quick_connect()
            .instance_id(&inst)
            .name(name)
            .quick_connect_config(queue_quick_connect(&queue, &flow))
            .send()
    };
    let qc = create("Sales")
        .await
        .unwrap()
        .quick_connect_id()
        .unwrap()
        .to_string();
    let other = create("Support")
        .await
        .unwrap()
        .quick_connect_id()
        .unwrap()
        .to_string();

    c.update_quick_connect_name()
        .instance_id(&inst)
        .quick_connect_id(&qc)
        .name("Front desk")
        .description("Reception")
        .send()
        .await
        .unwrap();
    c.update_quick_connect_config()
        .instance_id(&inst)
        .quick_connect_id(&qc)
        .quick_connect_config(phone_quick_connect("+442071234567"))
        .send()
        .await
        .unwrap();
    let described = c
        .describe_quick_connect()
        .instance_id(&inst)
        .quick_connect_id(&qc)
        .send()
        .await
        .unwrap();
    let q = described.quick_connect().unwrap();
    assert_eq!(q.name(), Some("Front desk"));
    assert_eq!(q.description(), Some("Reception"));
    let cfg = q.quick_connect_config().unwrap();
    assert_eq!(cfg.quick_connect_type(), &QuickConnectType::PhoneNumber);
    assert_eq!(
        cfg.phone_config().map(|p| p.phone_number()),
        Some("+442071234567")
    );
    assert!(cfg.queue_config().is_none());
    let listed = c
        .list_quick_connects()
        .instance_id(&inst)
        .quick_connect_types(QuickConnectType::PhoneNumber)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = listed
        .quick_connect_summary_list()
        .iter()
        .filter_map(|s| s.name())
        .collect();
    assert_eq!(names, ["Front desk"]);
    let found = c
        .search_quick_connects()
        .instance_id(&inst)
        .search_criteria(
            QuickConnectSearchCriteria::builder()
                .string_condition(
                    StringCondition::builder()
                        .field_name("name")
                        .value("Front")
                        .comparison_type(StringComparisonType::StartsWith)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let ids: Vec<_> = found
        .quick_connects()
        .iter()
        .filter_map(|q| q.quick_connect_id())
        .collect();
    assert_eq!(ids, [qc.as_str()]);

    // Errors: an unknown queue, a number that is not E.164, a taken name
    // (400: the model has no DuplicateResourceException for this operation).
    let no_queue = c
        .update_quick_connect_config()
        .instance_id(&inst)
        .quick_connect_id(&qc)
        .quick_connect_config(queue_quick_connect(
            "00000000-0000-4000-8000-000000000000",
            &flow,
        ))
        .send()
        .await;
    assert_eq!(failure(no_queue), is(404, "ResourceNotFoundException"));
    let bad_number = c
        .update_quick_connect_config()
        .instance_id(&inst)
        .quick_connect_id(&qc)
        .quick_connect_config(phone_quick_connect("0207 123"))
        .send()
        .await;
    assert_eq!(failure(bad_number), is(400, "InvalidParameterException"));
    let taken = c
        .update_quick_connect_name()
        .instance_id(&inst)
        .quick_connect_id(&qc)
        .name("SUPPORT")
        .send()
        .await;
    assert_eq!(failure(taken), is(400, "InvalidRequestException"));

    // Queue links: associate both, disassociate one, delete the other.
    c.associate_queue_quick_connects()
        .instance_id(&inst)
        .queue_id(&queue)
        .quick_connect_ids(&qc)
        .quick_connect_ids(&other)
        .send()
        .await
        .unwrap();
    c.disassociate_queue_quick_connects()
        .instance_id(&inst)
        .queue_id(&queue)
        .quick_connect_ids(&qc)
        .send()
        .await
        .unwrap();
    let linked = |c: Client| {
        let (inst, queue) = (inst.clone(), queue.clone());
        async move {
            c.list_queue_quick_connects()
                .instance_id(inst)
                .queue_id(queue)
                .send()
                .await
                .unwrap()
                .quick_connect_summary_list()
                .iter()
                .filter_map(|s| s.id().map(str::to_string))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(linked(c.clone()).await, [other.as_str()]);
    let unknown = c
        .disassociate_queue_quick_connects()
        .instance_id(&inst)
        .queue_id(&queue)
        .quick_connect_ids("00000000-0000-4000-8000-000000000000")
        .send()
        .await;
    assert_eq!(failure(unknown), is(404, "ResourceNotFoundException"));

    // A queue a quick connect transfers to is in use.
    let in_use = c
        .delete_queue()
        .instance_id(&inst)
        .queue_id(&queue)
        .send()
        .await;
    assert_eq!(failure(in_use), is(409, "ResourceInUseException"));

    c.delete_quick_connect()
        .instance_id(&inst)
        .quick_connect_id(&other)
        .send()
        .await
        .unwrap();
    assert!(linked(c.clone()).await.is_empty());
    let gone = c
        .describe_quick_connect()
        .instance_id(&inst)
        .quick_connect_id(&other)
        .send()
        .await;
    assert_eq!(failure(gone), is(404, "ResourceNotFoundException"));
}

// ---------------------------------------------------------------- hierarchy groups

#[tokio::test]
async fn hierarchy_group_rename_and_delete() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "hierarchy").await;
    let group = |name: &'static str, parent: Option<String>| {
        c.create_user_hierarchy_group()
            .instance_id(&inst)
            .name(name)
            .set_parent_group_id(parent)
            .send()
    };
    let region = group("EMEA", None)
        .await
        .unwrap()
        .hierarchy_group_id()
        .unwrap()
        .to_string();
    let site = group("Dublin", Some(region.clone()))
        .await
        .unwrap()
        .hierarchy_group_id()
        .unwrap()
        .to_string();

    c.update_user_hierarchy_group_name()
        .instance_id(&inst)
        .hierarchy_group_id(&region)
        .name("Europe")
        .send()
        .await
        .unwrap();
    let child = c
        .describe_user_hierarchy_group()
        .instance_id(&inst)
        .hierarchy_group_id(&site)
        .send()
        .await
        .unwrap();
    let path = child.hierarchy_group().unwrap().hierarchy_path().unwrap();
    assert_eq!(path.level_one().and_then(|l| l.name()), Some("Europe"));
    assert_eq!(path.level_two().and_then(|l| l.name()), Some("Dublin"));
    let parent = c
        .describe_user_hierarchy_group()
        .instance_id(&inst)
        .hierarchy_group_id(&region)
        .send()
        .await
        .unwrap();
    assert_eq!(parent.hierarchy_group().unwrap().name(), Some("Europe"));
    let listed = c
        .list_user_hierarchy_groups()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    let mut names: Vec<_> = listed
        .user_hierarchy_group_summary_list()
        .iter()
        .filter_map(|s| s.name())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Dublin", "Europe"]);

    let taken = c
        .update_user_hierarchy_group_name()
        .instance_id(&inst)
        .hierarchy_group_id(&region)
        .name("dublin")
        .send()
        .await;
    assert_eq!(failure(taken), is(409, "DuplicateResourceException"));

    // In use: a parent with a child, a group with a user.
    let has_child = c
        .delete_user_hierarchy_group()
        .instance_id(&inst)
        .hierarchy_group_id(&region)
        .send()
        .await;
    assert_eq!(failure(has_child), is(409, "ResourceInUseException"));
    let agent = id_by_name(&c, &inst, "security profile", "Agent").await;
    let user = new_user(&c, &inst, "ana", &agent).await;
    c.update_user_hierarchy()
        .instance_id(&inst)
        .user_id(&user)
        .hierarchy_group_id(&site)
        .send()
        .await
        .unwrap();
    let has_user = c
        .delete_user_hierarchy_group()
        .instance_id(&inst)
        .hierarchy_group_id(&site)
        .send()
        .await;
    assert_eq!(failure(has_user), is(409, "ResourceInUseException"));

    c.update_user_hierarchy()
        .instance_id(&inst)
        .user_id(&user)
        .send()
        .await
        .unwrap();
    for id in [&site, &region] {
        c.delete_user_hierarchy_group()
            .instance_id(&inst)
            .hierarchy_group_id(id)
            .send()
            .await
            .unwrap();
    }
    let gone = c
        .describe_user_hierarchy_group()
        .instance_id(&inst)
        .hierarchy_group_id(&region)
        .send()
        .await;
    assert_eq!(failure(gone), is(404, "ResourceNotFoundException"));
}

// ---------------------------------------------------------------- prompts

#[tokio::test]
async fn prompt_update_and_delete() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "prompts").await;
    let created = c
        .create_prompt()
        .instance_id(&inst)
        .name("Welcome")
        .s3_uri("s3://bucket/prompts/welcome.wav")
        .send()
        .await
        .unwrap();
    let prompt = created.prompt_id().unwrap().to_string();

    let updated = c
        .update_prompt()
        .instance_id(&inst)
        .prompt_id(&prompt)
        .name("Welcome EN")
        .description("English greeting")
        .s3_uri("s3://bucket/prompts/welcome-en.wav")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.prompt_id(), Some(prompt.as_str()));
    assert_eq!(updated.prompt_arn(), created.prompt_arn());
    let described = c
        .describe_prompt()
        .instance_id(&inst)
        .prompt_id(&prompt)
        .send()
        .await
        .unwrap();
    let p = described.prompt().unwrap();
    assert_eq!(p.name(), Some("Welcome EN"));
    assert_eq!(p.description(), Some("English greeting"));
    assert_eq!(p.last_modified_region(), Some(REGION));

    let bad_uri = c
        .update_prompt()
        .instance_id(&inst)
        .prompt_id(&prompt)
        .s3_uri("ftp://bucket/x.wav")
        .send()
        .await;
    assert_eq!(failure(bad_uri), is(400, "InvalidParameterException"));
    let empty_description = c
        .update_prompt()
        .instance_id(&inst)
        .prompt_id(&prompt)
        .description("")
        .send()
        .await;
    assert_eq!(
        failure(empty_description),
        is(400, "InvalidParameterException")
    );

    c.delete_prompt()
        .instance_id(&inst)
        .prompt_id(&prompt)
        .send()
        .await
        .unwrap();
    let gone = c
        .describe_prompt()
        .instance_id(&inst)
        .prompt_id(&prompt)
        .send()
        .await;
    assert_eq!(failure(gone), is(404, "ResourceNotFoundException"));
    let listed = c.list_prompts().instance_id(&inst).send().await.unwrap();
    assert!(!listed
        .prompt_summary_list()
        .iter()
        .any(|p| p.id() == Some(prompt.as_str())));
    let again = c
        .update_prompt()
        .instance_id(&inst)
        .prompt_id(&prompt)
        .name("x")
        .send()
        .await;
    assert_eq!(failure(again), is(404, "ResourceNotFoundException"));
}

// ---------------------------------------------------------------- agent statuses

#[tokio::test]
async fn agent_status_update() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "statuses").await;
    let status = c
        .create_agent_status()
        .instance_id(&inst)
        .name("Lunch")
        .state(AgentStatusState::Enabled)
        .display_order(3)
        .send()
        .await
        .unwrap()
        .agent_status_id()
        .unwrap()
        .to_string();

    c.update_agent_status()
        .instance_id(&inst)
        .agent_status_id(&status)
        .name("Break")
        .description("Short break")
        .state(AgentStatusState::Disabled)
        .display_order(7)
        .send()
        .await
        .unwrap();
    let described = c
        .describe_agent_status()
        .instance_id(&inst)
        .agent_status_id(&status)
        .send()
        .await
        .unwrap();
    let s = described.agent_status().unwrap();
    assert_eq!(s.name(), Some("Break"));
    assert_eq!(s.description(), Some("Short break"));
    assert_eq!(s.state(), Some(&AgentStatusState::Disabled));
    assert_eq!(s.display_order(), Some(7));
    assert_eq!(s.last_modified_region(), Some(REGION));

    c.update_agent_status()
        .instance_id(&inst)
        .agent_status_id(&status)
        .reset_order_number(true)
        .send()
        .await
        .unwrap();
    let described = c
        .describe_agent_status()
        .instance_id(&inst)
        .agent_status_id(&status)
        .send()
        .await
        .unwrap();
    assert_eq!(described.agent_status().unwrap().display_order(), None);

    let taken = c
        .update_agent_status()
        .instance_id(&inst)
        .agent_status_id(&status)
        .name("Available")
        .send()
        .await;
    assert_eq!(failure(taken), is(409, "DuplicateResourceException"));
    let order = c
        .update_agent_status()
        .instance_id(&inst)
        .agent_status_id(&status)
        .display_order(51)
        .send()
        .await;
    assert_eq!(failure(order), is(400, "InvalidParameterException"));
    let available = id_by_name(&c, &inst, "agent status", "Available").await;
    let disable = c
        .update_agent_status()
        .instance_id(&inst)
        .agent_status_id(&available)
        .state(AgentStatusState::Disabled)
        .send()
        .await;
    assert_eq!(failure(disable), is(400, "InvalidRequestException"));
    let unknown = c
        .update_agent_status()
        .instance_id(&inst)
        .agent_status_id("00000000-0000-4000-8000-000000000000")
        .name("x")
        .send()
        .await;
    assert_eq!(failure(unknown), is(404, "ResourceNotFoundException"));
}

// ---------------------------------------------------------------- approved origins, storage

#[tokio::test]
async fn approved_origin_disassociation() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "origins").await;
    for origin in ["https://a.example.com", "https://b.example.com"] {
        c.associate_approved_origin()
            .instance_id(&inst)
            .origin(origin)
            .send()
            .await
            .unwrap();
    }
    c.disassociate_approved_origin()
        .instance_id(&inst)
        .origin("https://a.example.com")
        .client_token("remove-a")
        .send()
        .await
        .unwrap();
    // A retry with the same token answers the same, without a 404.
    c.disassociate_approved_origin()
        .instance_id(&inst)
        .origin("https://a.example.com")
        .client_token("remove-a")
        .send()
        .await
        .unwrap();
    let listed = c
        .list_approved_origins()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.origins(), ["https://b.example.com"]);

    let not_approved = c
        .disassociate_approved_origin()
        .instance_id(&inst)
        .origin("https://a.example.com")
        .send()
        .await;
    assert_eq!(failure(not_approved), is(404, "ResourceNotFoundException"));
    let other_request = c
        .disassociate_approved_origin()
        .instance_id(&inst)
        .origin("https://b.example.com")
        .client_token("remove-a")
        .send()
        .await;
    // The model has no IdempotencyException for this operation.
    assert_eq!(failure(other_request), is(400, "InvalidRequestException"));
}

#[tokio::test]
async fn storage_config_update_and_disassociation() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "storage").await;
    let association = c
        .associate_instance_storage_config()
        .instance_id(&inst)
        .resource_type(InstanceStorageResourceType::CallRecordings)
        .storage_config(s3("first-bucket"))
        .send()
        .await
        .unwrap()
        .association_id()
        .unwrap()
        .to_string();

    c.update_instance_storage_config()
        .instance_id(&inst)
        .association_id(&association)
        .resource_type(InstanceStorageResourceType::CallRecordings)
        .storage_config(s3("second-bucket"))
        .client_token("move-bucket")
        .send()
        .await
        .unwrap();
    let described = c
        .describe_instance_storage_config()
        .instance_id(&inst)
        .association_id(&association)
        .resource_type(InstanceStorageResourceType::CallRecordings)
        .send()
        .await
        .unwrap();
    let cfg = described.storage_config().unwrap();
    assert_eq!(cfg.association_id(), Some(association.as_str()));
    assert_eq!(
        cfg.s3_config().map(|s| s.bucket_name()),
        Some("second-bucket")
    );

    let same_token_other_config = c
        .update_instance_storage_config()
        .instance_id(&inst)
        .association_id(&association)
        .resource_type(InstanceStorageResourceType::CallRecordings)
        .storage_config(s3("third-bucket"))
        .client_token("move-bucket")
        .send()
        .await;
    // The model has no IdempotencyException for this operation.
    assert_eq!(
        failure(same_token_other_config),
        is(400, "InvalidRequestException")
    );
    let other_type = c
        .update_instance_storage_config()
        .instance_id(&inst)
        .association_id(&association)
        .resource_type(InstanceStorageResourceType::ChatTranscripts)
        .storage_config(s3("third-bucket"))
        .send()
        .await;
    assert_eq!(failure(other_type), is(404, "ResourceNotFoundException"));

    c.disassociate_instance_storage_config()
        .instance_id(&inst)
        .association_id(&association)
        .resource_type(InstanceStorageResourceType::CallRecordings)
        .send()
        .await
        .unwrap();
    let listed = c
        .list_instance_storage_configs()
        .instance_id(&inst)
        .resource_type(InstanceStorageResourceType::CallRecordings)
        .send()
        .await
        .unwrap();
    assert!(listed.storage_configs().is_empty());
    let again = c
        .disassociate_instance_storage_config()
        .instance_id(&inst)
        .association_id(&association)
        .resource_type(InstanceStorageResourceType::CallRecordings)
        .send()
        .await;
    assert_eq!(failure(again), is(404, "ResourceNotFoundException"));
}

#[tokio::test]
async fn integration_association_deletion() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "integrations").await;
    let created = c
        .create_integration_association()
        .instance_id(&inst)
        .integration_type(IntegrationType::Event)
        .integration_arn("arn:aws:app-integrations:us-east-1:123456789012:event-integration/cases")
        .source_application_name("Cases")
        .source_application_url("https://cases.example.com")
        .source_type(SourceType::Cases)
        .send()
        .await
        .unwrap();
    let id = created.integration_association_id().unwrap();
    c.delete_integration_association()
        .instance_id(&inst)
        .integration_association_id(id)
        .send()
        .await
        .unwrap();
    let listed = c
        .list_integration_associations()
        .instance_id(&inst)
        .send()
        .await
        .unwrap();
    assert!(listed.integration_association_summary_list().is_empty());
    let again = c
        .delete_integration_association()
        .instance_id(&inst)
        .integration_association_id(id)
        .send()
        .await;
    assert_eq!(failure(again), is(404, "ResourceNotFoundException"));
}

#[path = "emulator_writes/hours.rs"]
mod hours;
#[path = "emulator_writes/phone_numbers.rs"]
mod phone_numbers;
