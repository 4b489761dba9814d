//! Wire-level tests of the local Connect endpoint through the real aws-sdk-connect client
//! (and the AWS CLI when it is installed).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use aws_sdk_connect::config::http::HttpResponse;
use aws_sdk_connect::config::retry::RetryConfig;
use aws_sdk_connect::config::timeout::TimeoutConfig;
use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::operation::RequestId;
use aws_sdk_connect::types::{
    DirectoryType as IdentityManagementType, InstanceAttributeType, InstanceStatus,
};
use aws_sdk_connect::Client;
use connectql_emulator::{self as emulator, EmulatorArgs, RunningEmulator};
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";
const DEMO_SUPPORT: &str = "7c3a1f0e-2b4d-4e8a-9f61-0d5b8c2e4a11";

async fn start(args: EmulatorArgs) -> RunningEmulator {
    emulator::start(args).await.expect("emulator starts")
}

async fn start_default() -> RunningEmulator {
    start(EmulatorArgs {
        create_delay_ms: 0,
        ..Default::default()
    })
    .await
}

fn client_with(url: &str, region: &str, timeout: Duration) -> Client {
    let conf = aws_sdk_connect::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .endpoint_url(url)
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_timeout(timeout)
                .build(),
        )
        .build();
    Client::from_conf(conf)
}

fn client(url: &str, region: &str) -> Client {
    client_with(url, region, Duration::from_secs(10))
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn control(emu: &RunningEmulator, method: &str, path: &str, body: Option<Value>) -> Value {
    let url = format!("{}{}", emu.url(), path);
    let req = match method {
        "GET" => http().get(url),
        "POST" => http().post(url),
        "DELETE" => http().delete(url),
        _ => unreachable!(),
    };
    let req = match (body, method) {
        (Some(b), _) => req.json(&b),
        // Control routes take POST/DELETE only with a JSON content type.
        (None, "POST" | "DELETE") => req.header("content-type", "application/json"),
        (None, _) => req,
    };
    let resp = req.send().await.unwrap();
    assert!(
        resp.status().is_success(),
        "{method} {path}: {}",
        resp.status()
    );
    resp.json().await.unwrap()
}

fn status<E>(err: &aws_sdk_connect::error::SdkError<E, HttpResponse>) -> Option<u16> {
    err.raw_response().map(|r| r.status().as_u16())
}

async fn create(c: &Client, alias: &str) -> (String, String) {
    let out = c
        .create_instance()
        .identity_management_type(IdentityManagementType::ConnectManaged)
        .instance_alias(alias)
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(false)
        .send()
        .await
        .expect("create_instance");
    (
        out.id().unwrap().to_string(),
        out.arn().unwrap().to_string(),
    )
}

#[tokio::test]
async fn create_describe_and_status_transition() {
    let emu = start(EmulatorArgs {
        create_delay_ms: 1500,
        ..Default::default()
    })
    .await;
    let c = client(&emu.url(), "us-east-1");
    let out = c
        .create_instance()
        .identity_management_type(IdentityManagementType::ConnectManaged)
        .instance_alias("lifecycle")
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .tags("env", "test")
        .send()
        .await
        .unwrap();
    let id = out.id().unwrap().to_string();
    assert_eq!(
        out.arn().unwrap(),
        format!("arn:aws:connect:us-east-1:{ACCOUNT}:instance/{id}")
    );
    assert!(uuid::Uuid::parse_str(&id).is_ok());

    let inst = c.describe_instance().instance_id(&id).send().await.unwrap();
    let inst = inst.instance().unwrap();
    assert_eq!(
        inst.instance_status(),
        Some(&InstanceStatus::CreationInProgress)
    );
    let created = inst.created_time().expect("CreatedTime parses").secs();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert!((created - now).abs() < 60, "created {created} now {now}");
    assert_eq!(inst.instance_alias(), Some("lifecycle"));
    assert_eq!(
        inst.identity_management_type(),
        Some(&IdentityManagementType::ConnectManaged)
    );
    assert_eq!(inst.inbound_calls_enabled(), Some(true));
    assert_eq!(inst.outbound_calls_enabled(), Some(true));
    assert_eq!(
        inst.instance_access_url(),
        Some("https://lifecycle.my.connect.aws")
    );
    let role = inst.service_role().unwrap();
    assert!(role.starts_with(&format!(
        "arn:aws:iam::{ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_"
    )));
    assert_eq!(
        inst.tags().unwrap().get("env").map(String::as_str),
        Some("test")
    );
    assert!(inst.status_reason().is_none());

    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let d = c.describe_instance().instance_id(&id).send().await.unwrap();
        if d.instance().unwrap().instance_status() == Some(&InstanceStatus::Active) {
            break;
        }
        assert!(Instant::now() < deadline, "instance never became ACTIVE");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn list_instances_paginates_in_creation_order() {
    let emu = start_default().await;
    let c = client(&emu.url(), "us-east-1");
    let aliases = ["p1", "p2", "p3", "p4", "p5"];
    for a in aliases {
        create(&c, a).await;
    }
    let pages: Vec<_> = c
        .list_instances()
        .max_results(2)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages
            .iter()
            .map(|p| p.instance_summary_list().len())
            .collect::<Vec<_>>(),
        vec![2, 2, 1]
    );
    assert!(pages[2].next_token().is_none());
    let got: Vec<String> = pages
        .iter()
        .flat_map(|p| p.instance_summary_list())
        .map(|s| s.instance_alias().unwrap().to_string())
        .collect();
    assert_eq!(got, aliases);
    let s = &pages[0].instance_summary_list()[0];
    assert!(s.created_time().is_some());
    assert_eq!(s.instance_status(), Some(&InstanceStatus::Active));

    // Manual paging with the token.
    let first = c.list_instances().max_results(4).send().await.unwrap();
    let token = first.next_token().unwrap();
    let second = c
        .list_instances()
        .max_results(4)
        .next_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(second.instance_summary_list().len(), 1);
    assert!(second.next_token().is_none());

    let bad = c
        .list_instances()
        .next_token("garbage")
        .send()
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Some("InvalidRequestException"));
    emu.shutdown().await;
}

#[tokio::test]
async fn attributes_pagination_and_update() {
    let emu = start_default().await;
    let c = client(&emu.url(), "us-east-1");
    let (id, arn) = create(&c, "attrs").await;

    let p1 = c
        .list_instance_attributes()
        .instance_id(&id)
        .max_results(7)
        .send()
        .await
        .unwrap();
    assert_eq!(p1.attributes().len(), 7);
    let p2 = c
        .list_instance_attributes()
        .instance_id(&id)
        .max_results(7)
        .next_token(p1.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(p2.attributes().len(), 7);
    assert!(p2.next_token().is_none());
    let all: HashMap<String, String> = p1
        .attributes()
        .iter()
        .chain(p2.attributes())
        .map(|a| {
            (
                a.attribute_type().unwrap().as_str().to_string(),
                a.value().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(all.len(), 14);
    assert_eq!(all["INBOUND_CALLS"], "true");
    assert_eq!(all["OUTBOUND_CALLS"], "false");
    assert_eq!(all["EARLY_MEDIA"], "false");
    assert_eq!(all["CONTACT_LENS"], "true");
    assert_eq!(all["AUTO_RESOLVE_BEST_VOICES"], "true");
    assert_eq!(all["CONTACTFLOW_LOGS"], "false");
    for t in InstanceAttributeType::values() {
        assert!(all.contains_key(*t), "missing {t}");
    }

    // The paginator (by ARN) sees the same 14.
    let items: Vec<_> = c
        .list_instance_attributes()
        .instance_id(&arn)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(items.len(), 14);

    c.update_instance_attribute()
        .instance_id(&id)
        .attribute_type(InstanceAttributeType::ContactflowLogs)
        .value("true")
        .send()
        .await
        .unwrap();
    let a = c
        .describe_instance_attribute()
        .instance_id(&id)
        .attribute_type(InstanceAttributeType::ContactflowLogs)
        .send()
        .await
        .unwrap();
    assert_eq!(a.attribute().unwrap().value(), Some("true"));

    // INBOUND_CALLS / OUTBOUND_CALLS and the Describe flags agree.
    c.update_instance_attribute()
        .instance_id(&arn)
        .attribute_type(InstanceAttributeType::InboundCalls)
        .value("false")
        .send()
        .await
        .unwrap();
    c.update_instance_attribute()
        .instance_id(&id)
        .attribute_type(InstanceAttributeType::OutboundCalls)
        .value("true")
        .send()
        .await
        .unwrap();
    let d = c.describe_instance().instance_id(&id).send().await.unwrap();
    assert_eq!(d.instance().unwrap().inbound_calls_enabled(), Some(false));
    assert_eq!(d.instance().unwrap().outbound_calls_enabled(), Some(true));

    let e = c
        .list_instance_attributes()
        .instance_id(&id)
        .max_results(8)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("InvalidParameterException"));
    assert_eq!(status(&e), Some(400));
    let e = c
        .update_instance_attribute()
        .instance_id(&id)
        .attribute_type(InstanceAttributeType::ContactLens)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&e), Some(400));
    let e = c
        .describe_instance_attribute()
        .instance_id(&id)
        .attribute_type(InstanceAttributeType::from("NOT_A_TYPE"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("InvalidParameterException"));
    emu.shutdown().await;
}

#[tokio::test]
async fn tags_one_store() {
    let emu = start_default().await;
    let c = client(&emu.url(), "us-east-1");
    let (id, arn) = create(&c, "tagged").await;
    c.tag_resource()
        .resource_arn(&arn)
        .tags("k1", "v1")
        .tags("k2", "v2")
        .tags("k3", "v3")
        .send()
        .await
        .unwrap();
    c.tag_resource()
        .resource_arn(&arn)
        .tags("k3", "v3b")
        .tags("k4", "v4")
        .send()
        .await
        .unwrap();
    let listed = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    let described = c.describe_instance().instance_id(&id).send().await.unwrap();
    let listed = listed.tags().unwrap().clone();
    assert_eq!(listed.len(), 4);
    assert_eq!(listed["k3"], "v3b");
    assert_eq!(described.instance().unwrap().tags().unwrap(), &listed);

    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("k1")
        .tag_keys("k3")
        .tag_keys("absent")
        .send()
        .await
        .unwrap();
    let listed = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    let mut keys: Vec<_> = listed.tags().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["k2", "k4"]);
    let described = c.describe_instance().instance_id(&id).send().await.unwrap();
    assert_eq!(described.instance().unwrap().tags(), listed.tags());

    let e = c
        .tag_resource()
        .resource_arn(&arn)
        .tags("aws:reserved", "x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("InvalidParameterException"));
    let e = c
        .list_tags_for_resource()
        .resource_arn(format!(
            "arn:aws:connect:us-east-1:{ACCOUNT}:instance/{}",
            uuid::Uuid::new_v4()
        ))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("ResourceNotFoundException"));
    emu.shutdown().await;
}

#[tokio::test]
async fn delete_and_region_isolation() {
    let emu = start_default().await;
    let us = client(&emu.url(), "us-east-1");
    let eu = client(&emu.url(), "eu-west-2");
    let (id, arn) = create(&us, "only-in-us").await;
    create(&eu, "only-in-eu").await;

    let eu_list = eu.list_instances().send().await.unwrap();
    let eu_aliases: Vec<_> = eu_list
        .instance_summary_list()
        .iter()
        .map(|s| s.instance_alias().unwrap())
        .collect();
    assert_eq!(eu_aliases, ["only-in-eu"]);
    for r in [&id, &arn] {
        let e = eu
            .describe_instance()
            .instance_id(r)
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some("ResourceNotFoundException"));
        assert_eq!(status(&e), Some(404));
    }
    let e = eu
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("ResourceNotFoundException"));

    // ARN accepted wherever an InstanceId is.
    let d = us
        .describe_instance()
        .instance_id(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(d.instance().unwrap().id(), Some(id.as_str()));

    us.delete_instance().instance_id(&arn).send().await.unwrap();
    let e = us
        .describe_instance()
        .instance_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("ResourceNotFoundException"));
    let e = us
        .delete_instance()
        .instance_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("ResourceNotFoundException"));
    assert_eq!(status(&e), Some(404));
    assert!(us
        .list_instances()
        .send()
        .await
        .unwrap()
        .instance_summary_list()
        .is_empty());
    emu.shutdown().await;
}

#[tokio::test]
async fn validation_errors_and_quota() {
    let emu = start(EmulatorArgs {
        create_delay_ms: 0,
        instance_quota: 2,
        ..Default::default()
    })
    .await;
    let c = client(&emu.url(), "us-east-1");

    // ListInstances models InvalidRequestException, not InvalidParameterException.
    let e = c.list_instances().max_results(11).send().await.unwrap_err();
    assert_eq!(status(&e), Some(400));
    assert_eq!(e.code(), Some("InvalidRequestException"));
    let e = c.list_instances().max_results(0).send().await.unwrap_err();
    assert_eq!(e.code(), Some("InvalidRequestException"));

    let e = c
        .describe_instance()
        .instance_id("00000000-0000-4000-8000-000000000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("ResourceNotFoundException"));
    assert!(e
        .as_service_error()
        .unwrap()
        .is_resource_not_found_exception());

    // Missing required members.
    let e = c
        .create_instance()
        .instance_alias("noidm")
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("InvalidRequestException"));
    assert!(e.message().unwrap().contains("IdentityManagementType"));
    let e = c
        .create_instance()
        .identity_management_type(IdentityManagementType::Saml)
        .instance_alias("noinbound")
        .outbound_calls_enabled(true)
        .send()
        .await
        .unwrap_err();
    assert!(e.message().unwrap().contains("InboundCallsEnabled"));

    // Bad alias, directory rules.
    for alias in ["d-abc", "-x", "has_underscore", &"a".repeat(46)] {
        let e = c
            .create_instance()
            .identity_management_type(IdentityManagementType::ConnectManaged)
            .instance_alias(alias)
            .inbound_calls_enabled(true)
            .outbound_calls_enabled(true)
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some("InvalidRequestException"), "{alias}");
    }
    let e = c
        .create_instance()
        .identity_management_type(IdentityManagementType::ExistingDirectory)
        .instance_alias("dir")
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .unwrap_err();
    assert!(e.message().unwrap().contains("DirectoryId"));
    let e = c
        .create_instance()
        .identity_management_type(IdentityManagementType::ConnectManaged)
        .instance_alias("dir2")
        .directory_id("d-0123456789")
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("InvalidRequestException"));

    // Duplicate alias, then quota.
    let (_, _) = create(&c, "q1").await;
    let e = c
        .create_instance()
        .identity_management_type(IdentityManagementType::ConnectManaged)
        .instance_alias("q1")
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("InvalidRequestException"));
    assert!(e.message().unwrap().contains("alias is already used"));
    let dir = c
        .create_instance()
        .identity_management_type(IdentityManagementType::ExistingDirectory)
        .instance_alias("q2")
        .directory_id("d-0123456789")
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await;
    assert!(dir.is_ok(), "{dir:?}");
    let e = c
        .create_instance()
        .identity_management_type(IdentityManagementType::ConnectManaged)
        .instance_alias("q3")
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&e), Some(402));
    assert_eq!(e.code(), Some("ServiceQuotaExceededException"));
    assert!(e
        .as_service_error()
        .unwrap()
        .is_service_quota_exceeded_exception());
    // The quota is per region.
    create(&client(&emu.url(), "eu-west-2"), "q3").await;
    emu.shutdown().await;
}

#[tokio::test]
async fn client_token_idempotency() {
    let emu = start_default().await;
    let c = client(&emu.url(), "us-east-1");
    let send = || {
        c.create_instance()
            .client_token("token-1")
            .identity_management_type(IdentityManagementType::ConnectManaged)
            .instance_alias("idem")
            .inbound_calls_enabled(true)
            .outbound_calls_enabled(true)
            .send()
    };
    let a = send().await.unwrap();
    let b = send().await.unwrap();
    assert_eq!(a.id(), b.id());
    assert_eq!(a.arn(), b.arn());
    let n = c
        .list_instances()
        .send()
        .await
        .unwrap()
        .instance_summary_list()
        .len();
    assert_eq!(n, 1);
    // Same token in another region is a different request.
    let eu = client(&emu.url(), "eu-west-2");
    let e = eu
        .create_instance()
        .client_token("token-1")
        .identity_management_type(IdentityManagementType::ConnectManaged)
        .instance_alias("idem")
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .unwrap();
    assert_ne!(e.id(), a.id());
    emu.shutdown().await;
}

#[tokio::test]
async fn throttling_bursts() {
    let emu = start(EmulatorArgs {
        demo_data: true,
        throttle: true,
        ..Default::default()
    })
    .await;
    let c = client(&emu.url(), "us-east-1");
    let mut throttled = 0;
    for _ in 0..8 {
        match c.describe_instance().instance_id(DEMO_SUPPORT).send().await {
            Ok(_) => {}
            Err(e) => {
                assert_eq!(e.code(), Some("ThrottlingException"));
                assert_eq!(status(&e), Some(429));
                throttled += 1;
            }
        }
    }
    assert!(throttled >= 1, "no call was throttled");
    // Buckets are per operation and per region.
    c.list_instances().send().await.unwrap();
    let e = client(&emu.url(), "eu-west-2")
        .describe_instance()
        .instance_id(DEMO_SUPPORT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("ResourceNotFoundException"));
    let stats = control(&emu, "GET", "/_emulator/stats", None).await;
    assert_eq!(stats["throttled"], json!(throttled));
    assert_eq!(stats["calls"]["DescribeInstance"], json!(9));
    // Turning throttling off at run time.
    control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"throttle": false})),
    )
    .await;
    for _ in 0..8 {
        c.describe_instance()
            .instance_id(DEMO_SUPPORT)
            .send()
            .await
            .unwrap();
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn injected_errors_deny_and_expired() {
    let emu = start(EmulatorArgs {
        demo_data: true,
        error_rate: 1.0,
        ..Default::default()
    })
    .await;
    let c = client(&emu.url(), "us-east-1");
    let e = c.list_instances().send().await.unwrap_err();
    assert_eq!(status(&e), Some(500));
    assert_eq!(e.code(), Some("InternalServiceException"));
    let stats = control(&emu, "GET", "/_emulator/stats", None).await;
    assert_eq!(stats["errors_injected"], json!(1));

    let f = control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"error_rate": 0.0, "deny": ["ListInstances"]})),
    )
    .await;
    assert_eq!(f["deny"], json!(["ListInstances"]));
    let e = c.list_instances().send().await.unwrap_err();
    assert_eq!(status(&e), Some(403));
    assert_eq!(e.code(), Some("AccessDeniedException"));
    assert!(e.message().unwrap().contains("connect:ListInstances"));
    c.describe_instance()
        .instance_id(DEMO_SUPPORT)
        .send()
        .await
        .unwrap();

    control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"expired_token": true})),
    )
    .await;
    let e = c
        .describe_instance()
        .instance_id(DEMO_SUPPORT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&e), Some(403));
    assert_eq!(e.code(), Some("ExpiredTokenException"));
    assert_eq!(
        e.message(),
        Some("The security token included in the request is expired")
    );

    // DELETE restores the command-line settings (error_rate 1.0).
    let f = control(&emu, "DELETE", "/_emulator/faults", None).await;
    assert_eq!(f["error_rate"], json!(1.0));
    assert_eq!(f["deny"], json!([]));
    assert_eq!(f["expired_token"], json!(false));
    let e = c
        .describe_instance()
        .instance_id(DEMO_SUPPORT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("InternalServiceException"));

    // Bad fault bodies are refused.
    let r = http()
        .post(format!("{}/_emulator/faults", emu.url()))
        .json(&json!({"deny": ["NoSuchOperation"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    emu.shutdown().await;
}

#[tokio::test]
async fn malformed_responses_are_errors_not_panics() {
    let emu = start(EmulatorArgs {
        demo_data: true,
        ..Default::default()
    })
    .await;
    let c = client(&emu.url(), "us-east-1");
    for kind in ["truncated", "wrong_types", "html"] {
        control(
            &emu,
            "POST",
            "/_emulator/faults",
            Some(json!({"malformed": {"kind": kind, "operations": ["DescribeInstance"], "count": 1}})),
        )
        .await;
        // Other operations are unaffected.
        c.list_instances().send().await.unwrap();
        let r = c.describe_instance().instance_id(DEMO_SUPPORT).send().await;
        assert!(r.is_err(), "{kind}: expected an error, got {r:?}");
        if kind == "html" {
            assert_eq!(status(&r.unwrap_err()), Some(502));
        }
        // count 1: the next call is fine again.
        let ok = c
            .describe_instance()
            .instance_id(DEMO_SUPPORT)
            .send()
            .await
            .unwrap();
        assert_eq!(
            ok.instance().unwrap().instance_alias(),
            Some("acme-support")
        );
    }

    // empty: 200 with no body. The SDK treats it as `{}`; it must not panic.
    control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"malformed": {"kind": "empty", "count": 2}})),
    )
    .await;
    let d = c.describe_instance().instance_id(DEMO_SUPPORT).send().await;
    if let Ok(d) = d {
        assert!(d.instance().is_none());
    }
    let l = c.list_instances().send().await;
    if let Ok(l) = l {
        assert!(l.instance_summary_list().is_empty());
    }
    let f = control(&emu, "GET", "/_emulator/faults", None).await;
    assert_eq!(f["malformed"], Value::Null);

    // wrong_types on list operations, until cleared.
    control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"malformed": {"kind": "wrong_types"}})),
    )
    .await;
    assert!(c.list_instances().send().await.is_err());
    assert!(c
        .list_instance_attributes()
        .instance_id(DEMO_SUPPORT)
        .send()
        .await
        .is_err());
    assert!(c.list_instances().send().await.is_err());
    control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"malformed": null})),
    )
    .await;
    c.list_instances().send().await.unwrap();
    let stats = control(&emu, "GET", "/_emulator/stats", None).await;
    assert_eq!(stats["malformed"], json!(8));
    emu.shutdown().await;
}

#[tokio::test]
async fn latency_and_stall() {
    let emu = start(EmulatorArgs {
        demo_data: true,
        ..Default::default()
    })
    .await;
    let c = client(&emu.url(), "us-east-1");
    c.list_instances().send().await.unwrap();
    control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"latency_ms": 250})),
    )
    .await;
    let t = Instant::now();
    c.list_instances().send().await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(250));

    control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"latency_ms": 0, "stall_ms": 5000})),
    )
    .await;
    let impatient = client_with(&emu.url(), "us-east-1", Duration::from_millis(300));
    let t = Instant::now();
    let e = impatient.list_instances().send().await.unwrap_err();
    assert!(
        matches!(e, aws_sdk_connect::error::SdkError::TimeoutError(_)),
        "{e:?}"
    );
    assert!(t.elapsed() < Duration::from_secs(3));
    control(&emu, "DELETE", "/_emulator/faults", None).await;
    c.list_instances().send().await.unwrap();
    let t = Instant::now();
    emu.shutdown().await;
    assert!(t.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn stats_reset_and_seed() {
    let emu = start(EmulatorArgs {
        demo_data: true,
        ..Default::default()
    })
    .await;
    let us = client(&emu.url(), "us-east-1");
    let eu = client(&emu.url(), "eu-west-2");
    for _ in 0..3 {
        us.describe_instance()
            .instance_id(DEMO_SUPPORT)
            .send()
            .await
            .unwrap();
    }
    eu.list_instances().send().await.unwrap();
    let stats = control(&emu, "GET", "/_emulator/stats", None).await;
    assert_eq!(stats["calls"]["DescribeInstance"], json!(3));
    assert_eq!(stats["calls"]["ListInstances"], json!(1));
    assert_eq!(
        stats["calls_by_region"]["us-east-1"]["DescribeInstance"],
        json!(3)
    );
    assert_eq!(
        stats["calls_by_region"]["eu-west-2"]["ListInstances"],
        json!(1)
    );
    assert_eq!(stats["throttled"], json!(0));
    assert_eq!(stats["errors_injected"], json!(0));

    control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"latency_ms": 10})),
    )
    .await;
    let r = control(&emu, "POST", "/_emulator/reset", None).await;
    assert_eq!(r["reset"], json!(true));
    let stats = control(&emu, "GET", "/_emulator/stats", None).await;
    assert_eq!(stats["calls"], json!({}));
    let f = control(&emu, "GET", "/_emulator/faults", None).await;
    assert_eq!(f["latency_ms"], json!(0));
    assert!(us
        .list_instances()
        .send()
        .await
        .unwrap()
        .instance_summary_list()
        .is_empty());

    let r = control(
        &emu,
        "POST",
        "/_emulator/seed",
        Some(json!({"region": "us-east-1", "count": 45, "alias_prefix": "load"})),
    )
    .await;
    assert_eq!(r["created"], json!(45));
    let items: Vec<_> = us
        .list_instances()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(items.len(), 45);
    assert_eq!(items[0].instance_alias(), Some("load-0001"));
    assert!(items
        .iter()
        .all(|i| i.instance_status() == Some(&InstanceStatus::Active)));

    control(
        &emu,
        "POST",
        "/_emulator/reset",
        Some(json!({"reseed": true})),
    )
    .await;
    let l = us.list_instances().send().await.unwrap();
    assert_eq!(l.instance_summary_list().len(), 2);
    emu.shutdown().await;
}

#[tokio::test]
async fn raw_wire_details() {
    let emu = start(EmulatorArgs {
        demo_data: true,
        ..Default::default()
    })
    .await;
    let auth = "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/connect/aws4_request, \
                SignedHeaders=host;x-amz-date, Signature=0000";
    // No Authorization → 403 MissingAuthenticationTokenException.
    let r = http()
        .get(format!("{}/instance", emu.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(
        r.headers()["x-amzn-errortype"],
        "MissingAuthenticationTokenException"
    );
    assert!(r.headers().contains_key("x-amzn-requestid"));
    // Unknown route.
    let r = http()
        .get(format!("{}/contact-flows/x", emu.url()))
        .header("authorization", auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(r.headers()["x-amzn-errortype"], "UnknownOperationException");
    // Bad JSON → SerializationException.
    let r = http()
        .put(format!("{}/instance", emu.url()))
        .header("authorization", auth)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(r.headers()["content-type"], "application/json");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["__type"], "SerializationException");
    assert!(body["Message"].is_string());
    // CreatedTime is a JSON number.
    let r = http()
        .get(format!("{}/instance/{DEMO_SUPPORT}", emu.url()))
        .header("authorization", auth)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let body: Value = r.json().await.unwrap();
    assert!(body["Instance"]["CreatedTime"].is_f64());
    assert!(body.get("ReplicationConfiguration").is_none());
    // The tags ARN works percent-encoded and raw.
    let arn = format!("arn:aws:connect:us-east-1:{ACCOUNT}:instance/{DEMO_SUPPORT}");
    let encoded = arn.replace(':', "%3A").replace('/', "%2F");
    for p in [encoded, arn] {
        let r = http()
            .get(format!("{}/tags/{p}", emu.url()))
            .header("authorization", auth)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{p}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["tags"]["team"], "support");
    }
    let url = emu.url();
    emu.shutdown().await;
    // Stopped: connections are refused.
    let e = client(&url, "us-east-1")
        .list_instances()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(e, aws_sdk_connect::error::SdkError::DispatchFailure(_)),
        "{e:?}"
    );
}

/// Runs the AWS CLI against the emulator (needs `aws` on PATH).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
async fn aws_cli_round_trip() {
    let present = tokio::process::Command::new("aws")
        .arg("--version")
        .output()
        .await
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(present, "the AWS CLI (`aws`) is not on PATH");
    let emu = start(EmulatorArgs {
        demo_data: true,
        ..Default::default()
    })
    .await;
    let url = emu.url();
    let aws = |args: &[&str]| {
        let shown = format!("{args:?}");
        let mut cmd = tokio::process::Command::new("aws");
        cmd.args([
            "--endpoint-url",
            &url,
            "--region",
            "us-east-1",
            "--output",
            "json",
            "connect",
        ])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/connectql-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/connectql-test-credentials",
        )
        .env("AWS_PAGER", "")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_DEFAULT_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_CONNECT");
        async move {
            let out = cmd.output().await.expect("run aws");
            assert!(
                out.status.success(),
                "aws {} failed: {}",
                shown,
                String::from_utf8_lossy(&out.stderr)
            );
            if out.stdout.iter().all(u8::is_ascii_whitespace) {
                Value::Null
            } else {
                serde_json::from_slice::<Value>(&out.stdout).expect("aws prints JSON")
            }
        }
    };
    let arn = format!("arn:aws:connect:us-east-1:{ACCOUNT}:instance/{DEMO_SUPPORT}");

    let list = aws(&["list-instances"]).await;
    let aliases: Vec<&str> = list["InstanceSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["InstanceAlias"].as_str().unwrap())
        .collect();
    assert_eq!(aliases, ["acme-support", "acme-sales"]);

    let d = aws(&["describe-instance", "--instance-id", DEMO_SUPPORT]).await;
    assert_eq!(d["Instance"]["Arn"], json!(arn));
    assert_eq!(d["Instance"]["InstanceStatus"], "ACTIVE");
    assert_eq!(d["Instance"]["Tags"]["env"], "prod");

    let attrs = aws(&["list-instance-attributes", "--instance-id", &arn]).await;
    assert_eq!(attrs["Attributes"].as_array().unwrap().len(), 14);

    let t = aws(&[
        "tag-resource",
        "--resource-arn",
        &arn,
        "--tags",
        r#"{"owner":"cli"}"#,
    ])
    .await;
    assert_eq!(t, Value::Null);
    let tags = aws(&["list-tags-for-resource", "--resource-arn", &arn]).await;
    assert_eq!(tags["tags"]["owner"], "cli");
    assert_eq!(tags["tags"]["team"], "support");
    emu.shutdown().await;
}

/// Odd methods, paths and bodies never crash the server: every answer is a well-formed
/// restJson1 response (2xx or 4xx) with a request id.
#[tokio::test]
async fn garbage_inputs_never_break_the_server() {
    let emu = start(EmulatorArgs {
        demo_data: true,
        ..Default::default()
    })
    .await;
    let auth = "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/connect/aws4_request, \
                SignedHeaders=host, Signature=0";
    let arn = format!("arn%3Aaws%3Aconnect%3Aus-east-1%3A{ACCOUNT}%3Ainstance%2F{DEMO_SUPPORT}");
    let paths = [
        "/instance".to_string(),
        "/instance?maxResults=abc".to_string(),
        "/instance?maxResults=-1&nextToken=%FF".to_string(),
        "/instance?nextToken=cq1iffffffffffffffff".to_string(),
        format!("/instance/{DEMO_SUPPORT}"),
        format!("/instance/{DEMO_SUPPORT}/attributes?maxResults=99999999999999999999"),
        format!("/instance/{DEMO_SUPPORT}/attribute/CONTACT_LENS"),
        format!("/instance/{DEMO_SUPPORT}/attribute/%00%FF"),
        "/instance/%FF%FE".to_string(),
        "/instance/arn:aws:connect:us-east-1:1:instance".to_string(),
        "/instance/arn:aws:connect:us-east-1:1:instance/".to_string(),
        format!("/tags/{arn}"),
        format!("/tags/{arn}?tagKeys="),
        "/tags/not-an-arn".to_string(),
        "/tags/arn:".to_string(),
        "/tags/%".to_string(),
        "/_emulator/nothing".to_string(),
        "//instance".to_string(),
    ];
    let bodies: [&[u8]; 12] = [
        b"",
        b"null",
        b"[]",
        b"\"x\"",
        b"{\"Value\": 5}",
        b"{\"Value\": \"\"}",
        b"{\"tags\": []}",
        b"{\"tags\": {\"a\": 1}}",
        b"{\"tags\": {}}",
        b"{\"IdentityManagementType\": 7, \"InboundCallsEnabled\": true}",
        b"\xff\xfe{",
        b"{\"IdentityManagementType\":\"SAML\",\"InboundCallsEnabled\":true,\"OutboundCallsEnabled\":false,\"InstanceAlias\":\"\xc3\xa9t\xc3\xa9\",\"Tags\":{\"\":\"\"}}",
    ];
    let h = http();
    for path in &paths {
        for method in ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD"] {
            for body in bodies {
                let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
                let r = h
                    .request(m, format!("{}{}", emu.url(), path))
                    .header("authorization", auth)
                    .body(body.to_vec())
                    .send()
                    .await
                    .unwrap();
                let s = r.status().as_u16();
                assert!(
                    (200..500).contains(&s),
                    "{method} {path} {:?}: {s}",
                    String::from_utf8_lossy(body)
                );
                assert!(
                    r.headers().contains_key("x-amzn-requestid"),
                    "{method} {path}"
                );
                if s >= 400 && method != "HEAD" {
                    assert!(
                        r.headers().contains_key("x-amzn-errortype"),
                        "{method} {path}"
                    );
                    let v: Value = r.json().await.unwrap();
                    assert!(v["__type"].is_string() && v["Message"].is_string());
                }
            }
        }
    }
    // Still serving (the garbage DELETE /instance/<id> did delete acme-support).
    let c = client(&emu.url(), "us-east-1");
    let out = c.list_instances().send().await.unwrap();
    assert!(out.request_id().is_some());
    let aliases: Vec<_> = out
        .instance_summary_list()
        .iter()
        .map(|s| s.instance_alias().unwrap())
        .collect();
    assert_eq!(aliases, ["acme-sales"]);
    emu.shutdown().await;
}

/// The requests a web page can send to a loopback port, each with a reason
/// the endpoint must refuse it (issue 17): `fetch(url, {method: 'POST', mode:
/// 'no-cors', body})` sends `Content-Type: text/plain` and an `Origin`; a page
/// cannot add `Authorization`, so it tries presigned-style query credentials;
/// DNS rebinding keeps the page's own host name in `Host`.
async fn send_page_requests(emu: &RunningEmulator) {
    let port = emu.addr().port();
    let presigned = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2F20261126%2Fus-east-1%2Fconnect%2Faws4_request&X-Amz-Date=20261126T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
    let auth = "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/connect/aws4_request, \
                SignedHeaders=host;x-amz-date, Signature=0000";
    let attr = format!(
        "{}/instance/{DEMO_SUPPORT}/attribute/CONTACT_LENS?{presigned}",
        emu.url()
    );
    let body = r#"{"Value":"false"}"#;
    let h = http();
    let requests = [
        (
            "no-cors text/plain POST with Origin and query credentials",
            h.post(&attr)
                .header("origin", "https://evil.example")
                .header("content-type", "text/plain;charset=UTF-8")
                .body(body),
        ),
        (
            "no-cors text/plain POST without Origin, query credentials",
            h.post(&attr)
                .header("content-type", "text/plain;charset=UTF-8")
                .body(body),
        ),
        (
            "form POST with query credentials",
            h.post(&attr)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
        ),
        (
            "multipart POST with query credentials",
            h.post(&attr)
                .header("content-type", "multipart/form-data; boundary=x")
                .body(body),
        ),
        (
            "JSON POST with only query credentials",
            h.post(&attr)
                .header("content-type", "application/json")
                .body(body),
        ),
        (
            "a body without a content type, signed",
            h.post(&attr).header("authorization", auth).body(body),
        ),
        (
            "rebinding Host on an API route, signed",
            h.post(&attr)
                .header("host", format!("evil.example:{port}"))
                .header("authorization", auth)
                .header("content-type", "application/json")
                .body(body),
        ),
        (
            "rebinding Host reading a control route",
            h.get(format!("{}/_emulator/stats", emu.url()))
                .header("host", format!("evil.example:{port}")),
        ),
        (
            "rebinding Host on a control write",
            h.post(format!("{}/_emulator/reset", emu.url()))
                .header("host", format!("evil.example:{port}"))
                .header("content-type", "application/json")
                .body("{}"),
        ),
        (
            "Origin on a GET control route",
            h.get(format!("{}/_emulator/faults", emu.url()))
                .header("origin", "https://evil.example"),
        ),
        (
            "no-cors POST to a control route without a body",
            h.post(format!("{}/_emulator/reset", emu.url())),
        ),
    ];
    for (what, req) in requests {
        let r = req.send().await.unwrap();
        assert_eq!(r.status().as_u16(), 403, "{what}");
        let v: Value = r.json().await.unwrap();
        assert!(
            v["Message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Refused") || m == "Missing Authentication Token"),
            "{what}: {v}"
        );
    }
}

#[tokio::test]
async fn refuses_browsers_and_foreign_hosts() {
    let emu = start(EmulatorArgs {
        demo_data: true,
        ..Default::default()
    })
    .await;
    control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"latency_ms": 1})),
    )
    .await;
    send_page_requests(&emu).await;
    // Nothing changed: CONTACT_LENS is still on, nothing was reset.
    let c = client(&emu.url(), "us-east-1");
    let a = c
        .describe_instance_attribute()
        .instance_id(DEMO_SUPPORT)
        .attribute_type(InstanceAttributeType::ContactLens)
        .send()
        .await
        .unwrap();
    assert_eq!(a.attribute().unwrap().value(), Some("true"));
    assert_eq!(
        c.list_instances()
            .send()
            .await
            .unwrap()
            .instance_summary_list()
            .len(),
        2
    );
    assert_eq!(
        control(&emu, "GET", "/_emulator/faults", None).await["latency_ms"],
        1
    );
    // The SDK works whether it addresses the endpoint as 127.0.0.1 or localhost,
    // reads and writes (a JSON body).
    let local = format!("http://localhost:{}", emu.addr().port());
    for url in [emu.url(), local.clone()] {
        let c = client(&url, "us-east-1");
        c.update_instance_attribute()
            .instance_id(DEMO_SUPPORT)
            .attribute_type(InstanceAttributeType::EarlyMedia)
            .value("false")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{url}: {e:?}"));
        assert_eq!(
            c.list_instances()
                .send()
                .await
                .unwrap()
                .instance_summary_list()
                .len(),
            2
        );
    }
    let r = http()
        .get(format!("{local}/_emulator/stats"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    emu.shutdown().await;
}

async fn page_of_users(c: &Client, token: Option<&str>) -> (Vec<String>, Option<String>) {
    let out = c
        .search_users()
        .instance_id(DEMO_SUPPORT)
        .max_results(3)
        .set_next_token(token.map(str::to_string))
        .send()
        .await
        .unwrap();
    let ids = out
        .users()
        .iter()
        .map(|u| u.id().unwrap().to_string())
        .collect();
    (ids, out.next_token().map(str::to_string))
}

#[tokio::test]
async fn repeat_page_token_fault_loops_on_page_two() {
    let emu = start(EmulatorArgs {
        demo_data: true,
        ..Default::default()
    })
    .await;
    let c = client(&emu.url(), "us-east-1");
    let (p1, t1) = page_of_users(&c, None).await;
    let t1 = t1.expect("the demo has more than 3 users");
    let (p2, t2) = page_of_users(&c, Some(&t1)).await;
    assert_ne!(
        t2.as_deref(),
        Some(t1.as_str()),
        "no fault: the token moves on"
    );
    let set = control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"repeat_page_token": {"operations": ["SearchUsers"]}})),
    )
    .await;
    assert_eq!(
        set["repeat_page_token"],
        json!({"operations": ["SearchUsers"]})
    );
    // Page 1 still answers its own token; page 2 answers page 1's token, again and again.
    let (q1, u1) = page_of_users(&c, None).await;
    assert_eq!((q1, u1.as_deref()), (p1, Some(t1.as_str())));
    for _ in 0..3 {
        let (q2, u2) = page_of_users(&c, Some(&t1)).await;
        assert_eq!((&q2, u2.as_deref()), (&p2, Some(t1.as_str())));
    }
    // Other operations page normally (ListUsers over the query string).
    let l1 = c
        .list_users()
        .instance_id(DEMO_SUPPORT)
        .max_results(2)
        .send()
        .await
        .unwrap();
    let lt1 = l1.next_token().unwrap().to_string();
    let l2 = c
        .list_users()
        .instance_id(DEMO_SUPPORT)
        .max_results(2)
        .next_token(&lt1)
        .send()
        .await
        .unwrap();
    assert_ne!(l2.next_token(), Some(lt1.as_str()));
    // Empty operations = every paginated operation, ListUsers included.
    control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"repeat_page_token": {"operations": []}})),
    )
    .await;
    let l2 = c
        .list_users()
        .instance_id(DEMO_SUPPORT)
        .max_results(2)
        .next_token(&lt1)
        .send()
        .await
        .unwrap();
    assert_eq!(l2.next_token(), Some(lt1.as_str()));
    // A reset clears it.
    control(
        &emu,
        "POST",
        "/_emulator/reset",
        Some(json!({"reseed": true})),
    )
    .await;
    assert_eq!(
        control(&emu, "GET", "/_emulator/faults", None).await["repeat_page_token"],
        Value::Null
    );
    let (_, t2) = page_of_users(&c, Some(&t1)).await;
    assert_ne!(t2.as_deref(), Some(t1.as_str()));
    emu.shutdown().await;
}

#[tokio::test]
async fn not_found_fault_answers_404_n_times() {
    let emu = start(EmulatorArgs {
        demo_data: true,
        ..Default::default()
    })
    .await;
    let c = client(&emu.url(), "us-east-1");
    let (ids, _) = page_of_users(&c, None).await;
    let describe = || {
        c.describe_user()
            .instance_id(DEMO_SUPPORT)
            .user_id(&ids[0])
            .send()
    };
    describe().await.unwrap();
    let set = control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"not_found": {"operations": ["DescribeUser"], "count": 2}})),
    )
    .await;
    assert_eq!(
        set["not_found"],
        json!({"operations": ["DescribeUser"], "count": 2})
    );
    for _ in 0..2 {
        let e = describe().await.unwrap_err();
        assert_eq!(status(&e), Some(404));
        assert_eq!(
            e.into_service_error().code(),
            Some("ResourceNotFoundException")
        );
    }
    describe().await.unwrap();
    let v = control(&emu, "GET", "/_emulator/faults", None).await;
    assert_eq!(v["not_found"], Value::Null, "the count ran out");
    assert_eq!(
        control(&emu, "GET", "/_emulator/stats", None).await["not_found_injected"],
        2
    );
    // Without a count: until cleared; other operations are not affected.
    control(
        &emu,
        "POST",
        "/_emulator/faults",
        Some(json!({"not_found": {"operations": ["DescribeUser"]}})),
    )
    .await;
    for _ in 0..3 {
        assert_eq!(status(&describe().await.unwrap_err()), Some(404));
    }
    page_of_users(&c, None).await;
    control(
        &emu,
        "POST",
        "/_emulator/reset",
        Some(json!({"reseed": true})),
    )
    .await;
    assert_eq!(
        control(&emu, "GET", "/_emulator/faults", None).await["not_found"],
        Value::Null
    );
    describe().await.unwrap();
    emu.shutdown().await;
}
