//! The write side of the API mapping (`connect_api::write::send`) against
//! the local Connect endpoint with its demo data: inputs as wire JSON under
//! botocore's member names (URI labels, query members and body alike),
//! answers as wire JSON, and the changes seen through the read path.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use connectql::catalog::Op;
use connectql::connect_api::read::{self, Target};
use connectql::connect_api::{write, ApiErrorKind, RegionClient};
use connectql::executor::{CallCounters, ClientPool, ConnectionOptions};
use connectql_emulator::demo::demo_facts;
use connectql_emulator::{self as emulator, EmulatorArgs, RunningEmulator};
use serde_json::{json, Value};

const REGION: &str = "us-east-1";
const FLOW_CONTENT: &str = r#"{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"EndFlowExecution","Parameters":{},"Transitions":{}}]}"#;

struct Setup {
    _emulator: RunningEmulator,
    rc: RegionClient,
    counters: Arc<CallCounters>,
    instance: String,
}

impl Setup {
    async fn new() -> Setup {
        let emulator = emulator::start(EmulatorArgs {
            demo_data: true,
            create_delay_ms: 0,
            ..Default::default()
        })
        .await
        .expect("emulator starts");
        let counters = Arc::new(CallCounters::default());
        let pool = ClientPool::new(
            ConnectionOptions {
                region: Some(REGION.to_string()),
                endpoint_url: Some(emulator.url()),
                static_credentials: Some(("test".to_string(), "test".to_string())),
                ..Default::default()
            },
            counters.clone(),
        );
        let rc = pool.client(REGION).await;
        let instance = demo_facts()
            .into_iter()
            .find(|f| f.region == REGION)
            .expect("a demo instance in us-east-1")
            .instance_id
            .to_string();
        Setup {
            _emulator: emulator,
            rc,
            counters,
            instance,
        }
    }

    fn target<'a>(&'a self, item: Option<&'a str>) -> Target<'a> {
        Target {
            instance: Some(&self.instance),
            item,
            variant: None,
        }
    }

    async fn list(&self, op: Op, item: Option<&str>) -> Vec<Value> {
        read::all_items(&self.rc, op, self.target(item), None)
            .await
            .unwrap_or_else(|e| panic!("{op}: {e}"))
    }

    async fn describe(&self, op: Op, item: &str) -> Value {
        read::describe(&self.rc, op, self.target(Some(item)))
            .await
            .unwrap_or_else(|e| panic!("{op}: {e}"))
    }

    async fn send(&self, op: Op, input: Value) -> Value {
        write::send(&self.rc, op, &input)
            .await
            .unwrap_or_else(|e| panic!("{op}: {e}"))
    }

    fn calls(&self) -> u64 {
        self.counters.api_calls.load(Ordering::SeqCst)
    }
}

fn id_named(items: &[Value], name: &str) -> String {
    items
        .iter()
        .find(|i| i["Name"] == name)
        .and_then(|i| i["Id"].as_str())
        .unwrap_or_else(|| panic!("no item named {name}"))
        .to_string()
}

#[tokio::test]
async fn create_queue_then_update_it_and_read_the_change() {
    let s = Setup::new().await;
    let hours = s.list(Op::ListHoursOfOperations, None).await;
    let hours_id = hours[0]["Id"].as_str().unwrap().to_string();

    let created = s
        .send(
            Op::CreateQueue,
            json!({
                "InstanceId": s.instance,
                "Name": "Write API queue",
                "Description": "made by write::send",
                "HoursOfOperationId": hours_id,
                "MaxContacts": 5,
                "Tags": {"team": "write-api"}
            }),
        )
        .await;
    let queue_id = created["QueueId"].as_str().expect("QueueId").to_string();
    assert!(created["QueueArn"].as_str().unwrap().ends_with(&queue_id));

    let updated = s
        .send(
            Op::UpdateQueueMaxContacts,
            json!({"InstanceId": s.instance, "QueueId": queue_id, "MaxContacts": 42}),
        )
        .await;
    assert_eq!(updated, json!({}));

    let queue = s.describe(Op::DescribeQueue, &queue_id).await;
    assert_eq!(queue["MaxContacts"], 42);
    assert_eq!(queue["Name"], "Write API queue");
    assert_eq!(queue["Description"], "made by write::send");
    assert_eq!(queue["HoursOfOperationId"], hours_id.as_str());
    assert_eq!(queue["Tags"], json!({"team": "write-api"}));

    // Connect's own refusals come back as ApiErrors of their kind.
    let err = write::send(
        &s.rc,
        Op::UpdateQueueMaxContacts,
        &json!({"InstanceId": s.instance, "QueueId": "00000000-0000-0000-0000-000000000000", "MaxContacts": 1}),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn tags_go_in_the_body_and_tag_keys_in_the_query() {
    let s = Setup::new().await;
    let queues = s.list(Op::ListQueues, None).await;
    let arn = queues
        .iter()
        .find(|q| q["QueueType"] == "STANDARD")
        .and_then(|q| q["Arn"].as_str())
        .expect("a standard queue")
        .to_string();
    let tags = || async {
        read::single(&s.rc, Op::ListTagsForResource, s.target(Some(&arn)))
            .await
            .unwrap()
    };
    let before = tags().await;

    let answer = s
        .send(
            Op::TagResource,
            json!({"resourceArn": arn, "tags": {"write-a": "1", "write-b": "2"}}),
        )
        .await;
    assert_eq!(answer, json!({}));
    let after_tag = tags().await;
    assert_eq!(after_tag["write-a"], "1");
    assert_eq!(after_tag["write-b"], "2");

    s.send(
        Op::UntagResource,
        json!({"resourceArn": arn, "tagKeys": ["write-a"]}),
    )
    .await;
    let after_untag = tags().await;
    assert!(after_untag.get("write-a").is_none(), "{after_untag}");
    assert_eq!(after_untag["write-b"], "2");
    let mut expected = before.as_object().unwrap().clone();
    expected.insert("write-b".into(), json!("2"));
    assert_eq!(after_untag, Value::Object(expected));
}

#[tokio::test]
async fn update_user_routing_profile() {
    let s = Setup::new().await;
    let users = s.list(Op::ListUsers, None).await;
    let user_id = users[0]["Id"].as_str().unwrap().to_string();
    let user = s.describe(Op::DescribeUser, &user_id).await;
    let profiles = s.list(Op::ListRoutingProfiles, None).await;
    let other = profiles
        .iter()
        .filter_map(|p| p["Id"].as_str())
        .find(|id| user["RoutingProfileId"] != *id)
        .expect("another routing profile")
        .to_string();

    let answer = s
        .send(
            Op::UpdateUserRoutingProfile,
            json!({"InstanceId": s.instance, "UserId": user_id, "RoutingProfileId": other}),
        )
        .await;
    assert_eq!(answer, json!({}));
    let user = s.describe(Op::DescribeUser, &user_id).await;
    assert_eq!(user["RoutingProfileId"], other.as_str());
}

#[tokio::test]
async fn associate_routing_profile_queues_with_nested_configs() {
    let s = Setup::new().await;
    let facts = demo_facts()
        .into_iter()
        .find(|f| f.instance_id == s.instance)
        .unwrap();
    let profiles = s.list(Op::ListRoutingProfiles, None).await;
    let profile_id = id_named(&profiles, facts.routing_profile_without_queues);
    assert!(s
        .list(Op::ListRoutingProfileQueues, Some(&profile_id))
        .await
        .is_empty());
    let queues = s.list(Op::ListQueues, None).await;
    let queue = queues
        .iter()
        .find(|q| q["QueueType"] == "STANDARD")
        .unwrap();
    let queue_id = queue["Id"].as_str().unwrap();

    s.send(
        Op::AssociateRoutingProfileQueues,
        json!({
            "InstanceId": s.instance,
            "RoutingProfileId": profile_id,
            "QueueConfigs": [
                {"QueueReference": {"QueueId": queue_id, "Channel": "VOICE"}, "Priority": 3, "Delay": 15},
                {"QueueReference": {"QueueId": queue_id, "Channel": "CHAT"}, "Priority": 1, "Delay": 0}
            ]
        }),
    )
    .await;

    let mut configs = s
        .list(Op::ListRoutingProfileQueues, Some(&profile_id))
        .await;
    configs.sort_by_key(|c| c["Channel"].as_str().unwrap_or("").to_string());
    let seen: Vec<(String, i64, i64, String)> = configs
        .iter()
        .map(|c| {
            (
                c["QueueId"].as_str().unwrap().to_string(),
                c["Priority"].as_i64().unwrap(),
                c["Delay"].as_i64().unwrap(),
                c["Channel"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (queue_id.to_string(), 1, 0, "CHAT".to_string()),
            (queue_id.to_string(), 3, 15, "VOICE".to_string()),
        ]
    );
}

#[tokio::test]
async fn a_client_token_sent_twice_is_applied_once() {
    let s = Setup::new().await;
    let before = s.list(Op::ListContactFlowModules, None).await.len();
    let input = json!({
        "InstanceId": s.instance,
        "Name": "Write API module",
        "Content": FLOW_CONTENT,
        "ClientToken": "write-api-token-1"
    });
    let first = s.send(Op::CreateContactFlowModule, input.clone()).await;
    let second = s.send(Op::CreateContactFlowModule, input).await;
    assert!(first["Id"].is_string(), "{first}");
    assert_eq!(first, second);
    let modules = s.list(Op::ListContactFlowModules, None).await;
    assert_eq!(modules.len(), before + 1);

    // Without a token, one is made (and the call goes through).
    let third = s
        .send(
            Op::CreateContactFlowModule,
            json!({"InstanceId": s.instance, "Name": "Write API module 2", "Content": FLOW_CONTENT}),
        )
        .await;
    assert_ne!(third["Id"], first["Id"]);
    assert_eq!(
        s.list(Op::ListContactFlowModules, None).await.len(),
        before + 2
    );
}

#[tokio::test]
async fn bad_inputs_are_refused_before_any_call() {
    let s = Setup::new().await;
    let queues = s.list(Op::ListQueues, None).await;
    let queue_id = queues[0]["Id"].as_str().unwrap().to_string();
    let calls = s.calls();

    let err = write::send(
        &s.rc,
        Op::UpdateQueueStatus,
        &json!({"InstanceId": s.instance, "QueueId": queue_id, "Status": "PAUSED"}),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::InvalidRequest);
    assert_eq!(err.operation, Op::UpdateQueueStatus);
    assert_eq!(
        err.message,
        "input member `Status`: unknown QueueStatus value \"PAUSED\" (expected one of DISABLED, ENABLED)"
    );

    let err = write::send(
        &s.rc,
        Op::UpdateQueueMaxContacts,
        &json!({"InstanceId": s.instance, "MaxContacts": 3}),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::InvalidRequest);
    assert_eq!(
        err.message,
        "input member `QueueId`: missing required member"
    );

    let err = write::send(
        &s.rc,
        Op::CreateRoutingProfile,
        &json!({
            "InstanceId": s.instance,
            "Name": "x",
            "Description": "x",
            "DefaultOutboundQueueId": queue_id,
            "MediaConcurrencies": [{"Channel": "VOICE", "Concurrency": "one"}]
        }),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.message,
        "input member `MediaConcurrencies[0].Concurrency`: expected an integer (32-bit), got \"one\""
    );

    assert_eq!(s.calls(), calls, "no call for a refused input");
}

#[tokio::test]
async fn create_and_delete_an_instance_with_a_token_in_the_query() {
    let s = Setup::new().await;
    let created = s
        .send(
            Op::CreateInstance,
            json!({
                "IdentityManagementType": "CONNECT_MANAGED",
                "InstanceAlias": "write-api-instance",
                "InboundCallsEnabled": true,
                "OutboundCallsEnabled": false
            }),
        )
        .await;
    let id = created["Id"].as_str().expect("Id").to_string();
    assert!(created["Arn"].as_str().unwrap().ends_with(&id), "{created}");
    let instance = read::describe(
        &s.rc,
        Op::DescribeInstance,
        Target {
            item: Some(&id),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(instance["InstanceAlias"], "write-api-instance");
    assert_eq!(instance["OutboundCallsEnabled"], false);

    // DeleteInstance's ClientToken is a query member; one is made for it.
    let deleted = s.send(Op::DeleteInstance, json!({"InstanceId": id})).await;
    assert_eq!(deleted, json!({}));
    let listed = read::all_items(&s.rc, Op::ListInstances, Target::default(), None)
        .await
        .unwrap();
    assert!(
        listed.iter().all(|i| i["Id"] != id.as_str()),
        "{id} is still listed"
    );
}

#[tokio::test]
async fn operations_added_to_the_table_later_are_sent_too() {
    // UpdateContactFlowName, CreateQuickConnect (nested QuickConnectConfig)
    // and DeleteQuickConnect came with rows added after the first mapping:
    // a row and a generator run, nothing else.
    let s = Setup::new().await;
    let flows = s.list(Op::ListContactFlows, None).await;
    let flow_id = flows[0]["Id"].as_str().unwrap().to_string();
    s.send(
        Op::UpdateContactFlowName,
        json!({"InstanceId": s.instance, "ContactFlowId": flow_id, "Name": "Renamed by write::send"}),
    )
    .await;
    let flow = s.describe(Op::DescribeContactFlow, &flow_id).await;
    assert_eq!(flow["Name"], "Renamed by write::send");

    let created = s
        .send(
            Op::CreateQuickConnect,
            json!({
                "InstanceId": s.instance,
                "Name": "Write API number",
                "QuickConnectConfig": {
                    "QuickConnectType": "PHONE_NUMBER",
                    "PhoneConfig": {"PhoneNumber": "+12065550100"}
                }
            }),
        )
        .await;
    let quick_id = created["QuickConnectId"]
        .as_str()
        .expect("QuickConnectId")
        .to_string();
    let quick = s.describe(Op::DescribeQuickConnect, &quick_id).await;
    assert_eq!(
        quick["QuickConnectConfig"]["PhoneConfig"]["PhoneNumber"],
        "+12065550100"
    );
    s.send(
        Op::DeleteQuickConnect,
        json!({"InstanceId": s.instance, "QuickConnectId": quick_id}),
    )
    .await;
    let listed = s.list(Op::ListQuickConnects, None).await;
    assert!(listed.iter().all(|q| q["Id"] != quick_id.as_str()));
}
