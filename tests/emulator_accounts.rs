//! Several AWS accounts on one local Connect endpoint, chosen by the access key
//! of the SigV4 signature: separate state and ARNs, throttling per account,
//! another account's ARN refused, the two `--demo-accounts` accounts, through
//! the real aws-sdk-connect client and (ignored, run by `.ci/run`) the AWS CLI
//! with two profiles.

use std::path::Path;
use std::time::Duration;

use aws_sdk_connect::config::http::HttpResponse;
use aws_sdk_connect::config::retry::RetryConfig;
use aws_sdk_connect::config::timeout::TimeoutConfig;
use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_connect::types::DirectoryType;
use aws_sdk_connect::Client;
use connectql_emulator::{
    self as emulator, EmulatorArgs, RunningEmulator, DEMO_ACCOUNTS, DEMO_DEV_ACCOUNT, DEMO_DEV_KEY,
    DEMO_PROD_ACCOUNT, DEMO_PROD_KEY,
};
use serde_json::{json, Value};

const KEY_A: &str = "AKIAACCOUNTA00000001";
const KEY_B: &str = "AKIAACCOUNTB00000002";
const ACCOUNT_A: &str = "333333333333";
const ACCOUNT_B: &str = "444444444444";
/// The `--account-id` default: the account of every unmapped key.
const DEFAULT_ACCOUNT: &str = "123456789012";

async fn start(args: EmulatorArgs) -> RunningEmulator {
    emulator::start(EmulatorArgs {
        create_delay_ms: 0,
        ..args
    })
    .await
    .expect("emulator starts")
}

fn two_accounts() -> EmulatorArgs {
    EmulatorArgs {
        accounts: vec![
            (KEY_A.to_string(), ACCOUNT_A.to_string()),
            (KEY_B.to_string(), ACCOUNT_B.to_string()),
        ],
        ..Default::default()
    }
}

fn client(url: &str, key: &str) -> Client {
    client_in(url, key, "us-east-1")
}

fn client_in(url: &str, key: &str, region: &str) -> Client {
    let conf = aws_sdk_connect::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new(key, "secret", None, None, "static"))
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

/// (status, error code, message) of a failed call.
fn failure<T, E: ProvideErrorMetadata>(
    r: Result<T, SdkError<E, HttpResponse>>,
) -> (u16, String, String) {
    match r {
        Ok(_) => panic!("the call should have failed"),
        Err(e) => (
            e.raw_response().map_or(0, |r| r.status().as_u16()),
            e.code().unwrap_or("").to_string(),
            e.message().unwrap_or("").to_string(),
        ),
    }
}

async fn create(c: &Client, alias: &str) -> (String, String) {
    let out = c
        .create_instance()
        .identity_management_type(DirectoryType::ConnectManaged)
        .instance_alias(alias)
        .inbound_calls_enabled(true)
        .outbound_calls_enabled(true)
        .send()
        .await
        .unwrap();
    (
        out.id().unwrap().to_string(),
        out.arn().unwrap().to_string(),
    )
}

async fn aliases(c: &Client) -> Vec<String> {
    let mut out: Vec<String> = c
        .list_instances()
        .send()
        .await
        .unwrap()
        .instance_summary_list()
        .iter()
        .filter_map(|i| i.instance_alias().map(str::to_string))
        .collect();
    out.sort();
    out
}

async fn stats(emu: &RunningEmulator) -> Value {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("{}/_emulator/stats", emu.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_access_keys_are_two_accounts_with_their_own_state_and_arns() {
    let emu = start(two_accounts()).await;
    let (a, b) = (client(&emu.url(), KEY_A), client(&emu.url(), KEY_B));
    let default = client(&emu.url(), "test");

    let (a_id, a_arn) = create(&a, "alpha-centre").await;
    let (b_id, b_arn) = create(&b, "beta-centre").await;
    assert_eq!(
        a_arn,
        format!("arn:aws:connect:us-east-1:{ACCOUNT_A}:instance/{a_id}")
    );
    assert_eq!(
        b_arn,
        format!("arn:aws:connect:us-east-1:{ACCOUNT_B}:instance/{b_id}")
    );
    assert_eq!(aliases(&a).await, ["alpha-centre"]);
    assert_eq!(aliases(&b).await, ["beta-centre"]);
    // An unmapped key: the --account-id account, which holds neither.
    assert!(aliases(&default).await.is_empty());
    let (_, d_arn) = create(&default, "default-centre").await;
    assert!(
        d_arn.contains(&format!(":{DEFAULT_ACCOUNT}:instance/")),
        "{d_arn}"
    );

    // Everything inside an instance carries its account: the service role, the
    // defaults of a new instance, items created later.
    let described = a
        .describe_instance()
        .instance_id(&a_id)
        .send()
        .await
        .unwrap();
    let role = described.instance().unwrap().service_role().unwrap();
    assert!(
        role.starts_with(&format!("arn:aws:iam::{ACCOUNT_A}:role/")),
        "{role}"
    );
    let queues = a.list_queues().instance_id(&a_id).send().await.unwrap();
    let basic = &queues.queue_summary_list()[0];
    assert!(
        basic
            .arn()
            .unwrap()
            .contains(&format!(":{ACCOUNT_A}:instance/{a_id}/queue/")),
        "{:?}",
        basic.arn()
    );
    let hours = a
        .list_hours_of_operations()
        .instance_id(&a_id)
        .send()
        .await
        .unwrap();
    let hours_id = hours.hours_of_operation_summary_list()[0].id().unwrap();
    let q = a
        .create_queue()
        .instance_id(&a_id)
        .name("Account A queue")
        .hours_of_operation_id(hours_id)
        .send()
        .await
        .unwrap();
    assert!(q.queue_arn().unwrap().contains(&format!(":{ACCOUNT_A}:")));

    // The same id from the other account: not there (404), like a real instance
    // of another account; its ARN: refused by authorization (403).
    let (status, code, _) = failure(b.describe_instance().instance_id(&a_id).send().await);
    assert_eq!((status, code.as_str()), (404, "ResourceNotFoundException"));
    let (status, code, msg) = failure(b.describe_instance().instance_id(&a_arn).send().await);
    assert_eq!(
        (status, code.as_str()),
        (403, "AccessDeniedException"),
        "{msg}"
    );
    assert!(msg.contains(&format!("arn:aws:iam::{ACCOUNT_B}:")), "{msg}");
    assert!(msg.contains(&a_arn), "{msg}");
    // An instance ARN in a path label, in a Search body, and a tag operation's ARN.
    let (status, code, _) = failure(b.list_queues().instance_id(&a_arn).send().await);
    assert_eq!((status, code.as_str()), (403, "AccessDeniedException"));
    let (status, code, _) = failure(b.search_queues().instance_id(&a_arn).send().await);
    assert_eq!((status, code.as_str()), (403, "AccessDeniedException"));
    let (status, code, _) = failure(
        b.tag_resource()
            .resource_arn(q.queue_arn().unwrap())
            .tags("k", "v")
            .send()
            .await,
    );
    assert_eq!((status, code.as_str()), (403, "AccessDeniedException"));
    let (status, code, _) = failure(b.delete_instance().instance_id(&a_arn).send().await);
    assert_eq!((status, code.as_str()), (403, "AccessDeniedException"));
    // An account the endpoint does not hold is refused the same way.
    let ghost = a_arn.replace(ACCOUNT_A, "999999999999");
    let (status, code, _) = failure(a.describe_instance().instance_id(&ghost).send().await);
    assert_eq!((status, code.as_str()), (403, "AccessDeniedException"));
    // Its own ARN works, and A's instance is untouched by B's attempts.
    a.describe_instance()
        .instance_id(&a_arn)
        .send()
        .await
        .unwrap();
    a.tag_resource()
        .resource_arn(&a_arn)
        .tags("owner", "a")
        .send()
        .await
        .unwrap();
    assert_eq!(aliases(&a).await, ["alpha-centre"]);

    // The seed control route works in any account the endpoint holds.
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let seed = |body: Value| {
        http.post(format!("{}/_emulator/seed", emu.url()))
            .json(&body)
            .send()
    };
    let r = seed(json!({"account": ACCOUNT_B, "count": 2, "alias_prefix": "bulk"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(aliases(&b).await, ["beta-centre", "bulk-0001", "bulk-0002"]);
    assert_eq!(aliases(&a).await, ["alpha-centre"]);
    let r = seed(json!({"account": "555555555555", "count": 1}))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let msg = r.text().await.unwrap();
    assert!(msg.contains(ACCOUNT_A) && msg.contains(ACCOUNT_B), "{msg}");

    // Call counts per account.
    let s = stats(&emu).await;
    assert_eq!(s["calls_by_account"][ACCOUNT_A]["CreateInstance"], json!(1));
    assert_eq!(s["calls_by_account"][ACCOUNT_B]["CreateInstance"], json!(1));
    assert_eq!(
        s["calls_by_account"][DEFAULT_ACCOUNT]["CreateInstance"],
        json!(1)
    );
    assert_eq!(s["calls"]["CreateInstance"], json!(3));
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_one_account_leaves_the_other_alone() {
    let emu = start(EmulatorArgs {
        throttle: true,
        ..two_accounts()
    })
    .await;
    let (a, b) = (client(&emu.url(), KEY_A), client(&emu.url(), KEY_B));
    // ListInstances: burst 5, then 2/s. Spend A's burst and more, at once.
    let mut a_throttled = 0;
    for _ in 0..8 {
        match a.list_instances().send().await {
            Ok(_) => {}
            Err(e) => {
                assert_eq!(e.code(), Some("ThrottlingException"));
                a_throttled += 1;
            }
        }
    }
    assert!(a_throttled >= 2, "A was throttled {a_throttled} times");
    // B's bucket is its own: its whole burst passes while A's is empty.
    let started = std::time::Instant::now();
    for i in 0..5 {
        b.list_instances()
            .send()
            .await
            .unwrap_or_else(|e| panic!("B's call {i} throttled: {:?}", e.code()));
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    // A is still throttled (its bucket refills at 2/s; not within B's five calls
    // unless they were slow).
    if started.elapsed() < Duration::from_millis(400) {
        let (status, code, _) = failure(a.list_instances().send().await);
        assert_eq!((status, code.as_str()), (429, "ThrottlingException"));
    }
    emu.shutdown().await;
}

/// POSTs a control route; (status, JSON answer).
async fn control(emu: &RunningEmulator, route: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}/_emulator/{route}", emu.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Of `n` ListInstances sent one after another, how many were throttled.
async fn throttled_of(c: &Client, n: usize) -> usize {
    let mut throttled = 0;
    for _ in 0..n {
        if let Err(e) = c.list_instances().send().await {
            assert_eq!(e.code(), Some("ThrottlingException"));
            throttled += 1;
        }
    }
    throttled
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttle_accounts_throttle_only_those_and_stats_say_when_each_finished() {
    let emu = start(EmulatorArgs {
        throttle_accounts: vec![ACCOUNT_A.to_string()],
        ..two_accounts()
    })
    .await;
    let (a, b) = (client(&emu.url(), KEY_A), client(&emu.url(), KEY_B));
    let started = stats(&emu).await["uptime_ms"].as_f64().unwrap();
    // B is not throttled: twenty calls in a row, past any burst.
    assert_eq!(throttled_of(&b, 20).await, 0);
    let b_done = stats(&emu).await["uptime_ms"].as_f64().unwrap();
    // A is: burst 5, then 429.
    let a_throttled = throttled_of(&a, 8).await;
    assert!(a_throttled >= 2, "A was throttled {a_throttled} times");
    let s = stats(&emu).await;
    assert_eq!(s["throttled"], json!(a_throttled));
    let last = |account: &str| s["last_answer_ms_by_account"][account].as_f64().unwrap();
    assert!(
        started <= last(ACCOUNT_B) && last(ACCOUNT_B) <= b_done,
        "B's last answer {} is between {started} and {b_done}",
        last(ACCOUNT_B)
    );
    assert!(b_done <= last(ACCOUNT_A) && last(ACCOUNT_A) <= s["uptime_ms"].as_f64().unwrap());
    assert!(s["last_answer_ms_by_account"][DEFAULT_ACCOUNT].is_null());

    // At run time: B throttled instead, A free again.
    let (status, faults) = control(&emu, "faults", json!({"throttle_accounts": [ACCOUNT_B]})).await;
    assert_eq!(status, 200, "{faults}");
    assert_eq!(faults["throttle_accounts"], json!([ACCOUNT_B]));
    assert_eq!(faults["throttle"], json!(false));
    assert_eq!(throttled_of(&a, 20).await, 0);
    assert!(throttled_of(&b, 8).await >= 2);
    let (status, err) = control(&emu, "faults", json!({"throttle_accounts": ["12"]})).await;
    assert_eq!(status, 400, "{err}");
    // Back to the command line: A throttled.
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .delete(format!("{}/_emulator/faults", emu.url()))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    assert!(throttled_of(&a, 8).await >= 2);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_seeded_into_one_account_instance() {
    let emu = start(two_accounts()).await;
    let (status, r) = control(
        &emu,
        "seed",
        json!({"account": ACCOUNT_A, "region": "eu-west-2", "count": 1, "alias_prefix": "team"}),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    let id = r["ids"][0].as_str().unwrap().to_string();
    let (status, r) = control(
        &emu,
        "seed",
        json!({"account": ACCOUNT_A, "region": "eu-west-2", "instance": "team-0001",
               "resource": "users", "count": 120}),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["created"], json!(120));
    let total = r["total"].as_u64().unwrap();
    assert!(total >= 120, "{r}");
    // The users are in A's instance, read with A's key.
    let a = client_in(&emu.url(), KEY_A, "eu-west-2");
    let page = a
        .search_users()
        .instance_id(&id)
        .max_results(500)
        .send()
        .await
        .unwrap();
    assert_eq!(page.users().len() as u64, total);
    assert_eq!(page.approximate_total_count(), Some(total as i64));
    // B holds no such instance; the default account neither.
    for account in [ACCOUNT_B, DEFAULT_ACCOUNT] {
        let (status, r) = control(
            &emu,
            "seed",
            json!({"account": account, "region": "eu-west-2", "instance": "team-0001",
                   "resource": "users", "count": 1}),
        )
        .await;
        assert_eq!(status, 400, "{account}: {r}");
    }
    let b = client_in(&emu.url(), KEY_B, "eu-west-2");
    let (status, code, _) = failure(b.search_users().instance_id(&id).send().await);
    assert_eq!((status, code.as_str()), (404, "ResourceNotFoundException"));
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_accounts_hold_believably_different_contact_centres() {
    let emu = start(EmulatorArgs {
        demo_accounts: true,
        ..Default::default()
    })
    .await;
    let dev = client(&emu.url(), DEMO_DEV_KEY);
    let prod = client(&emu.url(), DEMO_PROD_KEY);
    assert_eq!(aliases(&dev).await, ["acme-sales", "acme-support"]);
    assert_eq!(
        aliases(&prod).await,
        ["acme-sales-prod", "acme-support-prod"]
    );
    // Sydney: dev only.
    let in_sydney = |key| client_in(&emu.url(), key, "ap-southeast-2");
    assert_eq!(aliases(&in_sydney(DEMO_DEV_KEY)).await, ["acme-anz"]);
    assert!(aliases(&in_sydney(DEMO_PROD_KEY)).await.is_empty());
    // Without --demo-data the default account is empty.
    assert!(aliases(&client(&emu.url(), "test")).await.is_empty());

    let support = |c: &Client, alias: &'static str| {
        let c = c.clone();
        async move {
            let list = c.list_instances().send().await.unwrap();
            let inst = list
                .instance_summary_list()
                .iter()
                .find(|i| i.instance_alias() == Some(alias))
                .unwrap()
                .clone();
            let id = inst.id().unwrap().to_string();
            let queues: Vec<String> = c
                .list_queues()
                .instance_id(&id)
                .send()
                .await
                .unwrap()
                .queue_summary_list()
                .iter()
                .filter_map(|q| q.name().map(str::to_string))
                .collect();
            let users = c
                .search_users()
                .instance_id(&id)
                .search_criteria(
                    aws_sdk_connect::types::UserSearchCriteria::builder()
                        .string_condition(
                            aws_sdk_connect::types::StringCondition::builder()
                                .field_name("Username")
                                .value("dana.reports")
                                .comparison_type(
                                    aws_sdk_connect::types::StringComparisonType::Exact,
                                )
                                .build(),
                        )
                        .build(),
                )
                .send()
                .await
                .unwrap();
            let rp_id = users.users()[0].routing_profile_id().unwrap().to_string();
            let rp = c
                .describe_routing_profile()
                .instance_id(&id)
                .routing_profile_id(&rp_id)
                .send()
                .await
                .unwrap();
            let rp_name = rp.routing_profile().unwrap().name().unwrap().to_string();
            (inst.arn().unwrap().to_string(), queues, rp_name)
        }
    };
    let (dev_arn, dev_queues, dev_rp) = support(&dev, "acme-support").await;
    let (prod_arn, prod_queues, prod_rp) = support(&prod, "acme-support-prod").await;
    assert!(dev_arn.contains(&format!(":{DEMO_DEV_ACCOUNT}:instance/")));
    assert!(prod_arn.contains(&format!(":{DEMO_PROD_ACCOUNT}:instance/")));
    assert!(dev_queues.iter().any(|q| q == "Escalations"));
    assert!(!prod_queues.iter().any(|q| q == "Escalations"));
    assert_eq!(dev_queues.len(), prod_queues.len() + 1);
    assert_eq!(
        (dev_rp.as_str(), prod_rp.as_str()),
        ("Back Office", "Tier 1 Agents")
    );
    // And each refuses the other's ARN.
    let (status, code, _) = failure(prod.describe_instance().instance_id(&dev_arn).send().await);
    assert_eq!((status, code.as_str()), (403, "AccessDeniedException"));
    emu.shutdown().await;
}

#[tokio::test]
async fn conflicting_account_mappings_are_refused_at_start() {
    let twice = EmulatorArgs {
        accounts: vec![
            (KEY_A.to_string(), ACCOUNT_A.to_string()),
            (KEY_A.to_string(), ACCOUNT_B.to_string()),
        ],
        ..Default::default()
    };
    let e = emulator::start(twice).await.unwrap_err();
    assert!(e.to_string().contains("mapped to two accounts"), "{e}");
    let demo_key_elsewhere = EmulatorArgs {
        accounts: vec![(DEMO_DEV_KEY.to_string(), ACCOUNT_A.to_string())],
        demo_accounts: true,
        ..Default::default()
    };
    let e = emulator::start(demo_key_elsewhere).await.unwrap_err();
    assert!(e.to_string().contains(DEMO_DEV_KEY), "{e}");
    let default_is_demo = EmulatorArgs {
        account_id: DEMO_PROD_ACCOUNT.to_string(),
        demo_accounts: true,
        ..Default::default()
    };
    let e = emulator::start(default_is_demo).await.unwrap_err();
    assert!(e.to_string().contains("demo-prod"), "{e}");
    let bad_account = EmulatorArgs {
        accounts: vec![(KEY_A.to_string(), "12345".to_string())],
        ..Default::default()
    };
    let e = emulator::start(bad_account).await.unwrap_err();
    assert!(e.to_string().contains("12 digits"), "{e}");
}

/// A throw-away AWS config with the two demo profiles, as the shell's `--demo`
/// writes it.
fn write_demo_profiles(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let config = dir.join("config");
    let credentials = dir.join("credentials");
    let mut c = String::new();
    let mut k = String::new();
    for d in DEMO_ACCOUNTS {
        c.push_str(&format!(
            "[profile {}]\nregion = us-east-1\noutput = json\n\n",
            d.profile
        ));
        k.push_str(&format!(
            "[{}]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n",
            d.profile, d.access_key, d.secret_key
        ));
    }
    std::fs::write(&config, c).unwrap();
    std::fs::write(&credentials, k).unwrap();
    (config, credentials)
}

async fn aws(
    url: &str,
    files: &(std::path::PathBuf, std::path::PathBuf),
    profile: &str,
    args: &[&str],
) -> (bool, Value, String) {
    let out = tokio::process::Command::new("aws")
        .args(["--endpoint-url", url, "--profile", profile, "connect"])
        .args(args)
        .env("AWS_CONFIG_FILE", &files.0)
        .env("AWS_SHARED_CREDENTIALS_FILE", &files.1)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_PAGER", "")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_DEFAULT_PROFILE")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_CONNECT")
        .output()
        .await
        .expect("the AWS CLI (`aws`) is on PATH");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.success(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
async fn cli_profiles_read_their_own_demo_account() {
    let emu = start(EmulatorArgs {
        demo_accounts: true,
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let files = write_demo_profiles(dir.path());
    let url = emu.url();
    let mut seen = Vec::new();
    for (profile, support, account) in [
        ("demo-dev", "acme-support", DEMO_DEV_ACCOUNT),
        ("demo-prod", "acme-support-prod", DEMO_PROD_ACCOUNT),
    ] {
        let (ok, listed, err) = aws(&url, &files, profile, &["list-instances"]).await;
        assert!(ok, "{profile}: {err}");
        let mut aliases: Vec<String> = listed["InstanceSummaryList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["InstanceAlias"].as_str().unwrap().to_string())
            .collect();
        aliases.sort();
        let inst = listed["InstanceSummaryList"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["InstanceAlias"] == support)
            .unwrap()
            .clone();
        let arn = inst["Arn"].as_str().unwrap().to_string();
        assert!(arn.contains(&format!(":{account}:instance/")), "{arn}");
        let id = inst["Id"].as_str().unwrap();
        let (ok, queues, err) =
            aws(&url, &files, profile, &["list-queues", "--instance-id", id]).await;
        assert!(ok, "{profile}: {err}");
        let mut names: Vec<String> = queues["QueueSummaryList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["Name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        seen.push((aliases, names, arn));
    }
    let (dev, prod) = (&seen[0], &seen[1]);
    assert_eq!(dev.0, ["acme-sales", "acme-support"]);
    assert_eq!(prod.0, ["acme-sales-prod", "acme-support-prod"]);
    let only_dev: Vec<&String> = dev.1.iter().filter(|q| !prod.1.contains(q)).collect();
    assert_eq!(only_dev, ["Escalations"]);
    // The prod profile may not use the dev instance's ARN.
    let (ok, _, err) = aws(
        &url,
        &files,
        "demo-prod",
        &["describe-instance", "--instance-id", &dev.2],
    )
    .await;
    assert!(!ok);
    assert!(err.contains("AccessDeniedException"), "{err}");
    emu.shutdown().await;
}
