//! The AWS CLI (an independent client with its own botocore model) changes
//! and deletes the contents of an instance on the local Connect endpoint and
//! reads every change back with its own describe-*/list-* commands.
//!
//! Needs `aws` on PATH: ignored by a plain `cargo test`, run by
//! `cargo test -- --ignored` (as `.ci/run` does), and failing there without it.

use std::path::PathBuf;

use connectql_emulator::{self as emulator, EmulatorArgs, RunningEmulator};
use serde_json::{json, Value};

const FLOW_CONTENT: &str = r#"{"Version":"2019-10-30","StartAction":"end","Actions":[{"Identifier":"end","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}"#;
const OTHER_FLOW_CONTENT: &str = r#"{"Version":"2019-10-30","StartAction":"bye","Actions":[{"Identifier":"bye","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}"#;

fn aws_binary() -> PathBuf {
    // These tests are run on purpose (`-- --ignored`): without the CLI they fail.
    let found = std::process::Command::new("aws")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(found, "the AWS CLI (`aws`) is not on PATH");
    PathBuf::from("aws")
}

struct Cli {
    bin: PathBuf,
    url: String,
}

impl Cli {
    fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(&self.bin);
        cmd.args([
            "--endpoint-url",
            &self.url,
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
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_DEFAULT_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_CONNECT");
        cmd
    }

    /// Run and expect success; the printed JSON (Null for no output).
    async fn ok(&self, args: &[&str]) -> Value {
        let out = self.command(args).output().await.expect("run aws");
        assert!(
            out.status.success(),
            "aws {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if out.stdout.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(&out.stdout).expect("aws prints JSON")
        }
    }

    /// Run and expect failure with the exception `code`.
    async fn fails_with(&self, args: &[&str], code: &str) {
        let out = self.command(args).output().await.expect("run aws");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "aws {args:?} should fail");
        assert!(stderr.contains(&format!("({code})")), "{args:?}: {stderr}");
    }
}

/// A fresh endpoint with one new instance: (endpoint, CLI, instance id).
async fn setup(alias: &str) -> (RunningEmulator, Cli, String) {
    let bin = aws_binary();
    let emu = emulator::start(EmulatorArgs {
        demo_data: false,
        create_delay_ms: 0,
        ..Default::default()
    })
    .await
    .expect("emulator starts");
    let cli = Cli {
        bin,
        url: emu.url(),
    };
    let created = cli
        .ok(&[
            "create-instance",
            "--identity-management-type",
            "CONNECT_MANAGED",
            "--instance-alias",
            alias,
            "--inbound-calls-enabled",
            "--outbound-calls-enabled",
        ])
        .await;
    let inst = s(&created["Id"]);
    (emu, cli, inst)
}

fn s(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

/// The `Id` of the summary named `name` in a list answer's `member`.
fn id_named(list: &Value, member: &str, name: &str) -> String {
    list[member]
        .as_array()
        .unwrap_or_else(|| panic!("no {member} in {list}"))
        .iter()
        .find(|x| x["Name"] == name)
        .map(|x| s(&x["Id"]))
        .unwrap_or_else(|| panic!("no {name} in {member}"))
}

fn names(list: &Value, member: &str) -> Vec<String> {
    list[member]
        .as_array()
        .unwrap_or_else(|| panic!("no {member} in {list}"))
        .iter()
        .map(|x| s(&x["Name"]))
        .collect()
}

async fn new_flow(aws: &Cli, inst: &str, name: &str) -> String {
    let created = aws
        .ok(&[
            "create-contact-flow",
            "--instance-id",
            inst,
            "--name",
            name,
            "--type",
            "CONTACT_FLOW",
            "--content",
            FLOW_CONTENT,
        ])
        .await;
    s(&created["ContactFlowId"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
async fn cli_changes_and_deletes_contact_flows_and_modules() {
    let (_emu, aws, inst) = setup("cli-flows").await;
    let flow = new_flow(&aws, &inst, "Main menu").await;
    let at = ["--instance-id", &inst, "--contact-flow-id", &flow];
    aws.ok(&[
        &["update-contact-flow-content"],
        &at[..],
        &["--content", OTHER_FLOW_CONTENT],
    ]
    .concat())
        .await;
    aws.ok(&[
        &["update-contact-flow-name"],
        &at[..],
        &["--name", "Night menu", "--description", "After hours"],
    ]
    .concat())
        .await;
    aws.ok(&[
        &["update-contact-flow-metadata"],
        &at[..],
        &["--contact-flow-state", "ARCHIVED"],
    ]
    .concat())
        .await;
    let described = aws
        .ok(&[&["describe-contact-flow"], &at[..]].concat())
        .await;
    let f = &described["ContactFlow"];
    assert_eq!(f["Content"], OTHER_FLOW_CONTENT);
    assert_eq!(f["Name"], "Night menu");
    assert_eq!(f["Description"], "After hours");
    assert_eq!(f["State"], "ARCHIVED");
    assert_eq!(f["LastModifiedRegion"], "us-east-1");
    let listed = aws
        .ok(&["list-contact-flows", "--instance-id", &inst])
        .await;
    let summary = listed["ContactFlowSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["Id"] == flow.as_str())
        .cloned()
        .unwrap();
    assert_eq!(summary["Name"], "Night menu");
    assert_eq!(summary["ContactFlowState"], "ARCHIVED");
    aws.fails_with(
        &[
            &["update-contact-flow-content"],
            &at[..],
            &["--content", "not a flow"],
        ]
        .concat(),
        "InvalidContactFlowException",
    )
    .await;
    aws.ok(&[&["delete-contact-flow"], &at[..]].concat()).await;
    aws.fails_with(
        &[&["describe-contact-flow"], &at[..]].concat(),
        "ResourceNotFoundException",
    )
    .await;

    let module = aws
        .ok(&[
            "create-contact-flow-module",
            "--instance-id",
            &inst,
            "--name",
            "Greeting",
            "--content",
            FLOW_CONTENT,
        ])
        .await;
    let module = s(&module["Id"]);
    let at = ["--instance-id", &inst, "--contact-flow-module-id", &module];
    aws.ok(&[
        &["update-contact-flow-module-content"],
        &at[..],
        &["--content", OTHER_FLOW_CONTENT],
    ]
    .concat())
        .await;
    aws.ok(&[
        &["update-contact-flow-module-metadata"],
        &at[..],
        &[
            "--name",
            "Hello",
            "--description",
            "Says hello",
            "--state",
            "ARCHIVED",
        ],
    ]
    .concat())
        .await;
    let described = aws
        .ok(&[&["describe-contact-flow-module"], &at[..]].concat())
        .await;
    let m = &described["ContactFlowModule"];
    assert_eq!(m["Content"], OTHER_FLOW_CONTENT);
    assert_eq!(m["Name"], "Hello");
    assert_eq!(m["Description"], "Says hello");
    assert_eq!(m["State"], "ARCHIVED");
    let listed = aws
        .ok(&[
            "list-contact-flow-modules",
            "--instance-id",
            &inst,
            "--contact-flow-module-state",
            "ARCHIVED",
        ])
        .await;
    assert_eq!(names(&listed, "ContactFlowModulesSummaryList"), ["Hello"]);
    aws.ok(&[&["delete-contact-flow-module"], &at[..]].concat())
        .await;
    aws.fails_with(
        &[&["describe-contact-flow-module"], &at[..]].concat(),
        "ResourceNotFoundException",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
async fn cli_updates_and_deletes_security_profiles_and_hierarchy_groups() {
    let (_emu, aws, inst) = setup("cli-people").await;
    let created = aws
        .ok(&[
            "create-security-profile",
            "--instance-id",
            &inst,
            "--security-profile-name",
            "Supervisors",
            "--permissions",
            "BasicAgentAccess",
        ])
        .await;
    let profile = s(&created["SecurityProfileId"]);
    let at = ["--instance-id", &inst, "--security-profile-id", &profile];
    aws.ok(&[
        &["update-security-profile"],
        &at[..],
        &[
            "--description",
            "Floor supervisors",
            "--permissions",
            "BasicAgentAccess",
            "ListenIn",
            "--allowed-access-control-tags",
            "team=blue",
        ],
    ]
    .concat())
        .await;
    let described = aws
        .ok(&[&["describe-security-profile"], &at[..]].concat())
        .await;
    let p = &described["SecurityProfile"];
    assert_eq!(p["Description"], "Floor supervisors");
    assert_eq!(p["AllowedAccessControlTags"]["team"], "blue");
    let permissions = aws
        .ok(&[&["list-security-profile-permissions"], &at[..]].concat())
        .await;
    assert_eq!(
        permissions["Permissions"],
        json!(["BasicAgentAccess", "ListenIn"])
    );

    let group = |name: &'static str| {
        let aws = &aws;
        let inst = inst.clone();
        async move {
            let g = aws
                .ok(&[
                    "create-user-hierarchy-group",
                    "--instance-id",
                    &inst,
                    "--name",
                    name,
                ])
                .await;
            s(&g["HierarchyGroupId"])
        }
    };
    let emea = group("EMEA").await;
    group("APAC").await;
    let at_group = ["--instance-id", &inst, "--hierarchy-group-id", &emea];
    aws.ok(&[
        &["update-user-hierarchy-group-name"],
        &at_group[..],
        &["--name", "Europe"],
    ]
    .concat())
        .await;
    let described = aws
        .ok(&[&["describe-user-hierarchy-group"], &at_group[..]].concat())
        .await;
    assert_eq!(described["HierarchyGroup"]["Name"], "Europe");
    assert_eq!(
        described["HierarchyGroup"]["HierarchyPath"]["LevelOne"]["Name"],
        "Europe"
    );
    aws.fails_with(
        &[
            &["update-user-hierarchy-group-name"],
            &at_group[..],
            &["--name", "APAC"],
        ]
        .concat(),
        "DuplicateResourceException",
    )
    .await;

    // A user holds the profile and sits in the group: both are in use.
    let rps = aws
        .ok(&["list-routing-profiles", "--instance-id", &inst])
        .await;
    let rp = id_named(&rps, "RoutingProfileSummaryList", "Basic Routing Profile");
    let user = aws
        .ok(&[
            "create-user",
            "--instance-id",
            &inst,
            "--username",
            "sam",
            "--password",
            "Passw0rd!x",
            "--phone-config",
            "PhoneType=SOFT_PHONE",
            "--security-profile-ids",
            &profile,
            "--routing-profile-id",
            &rp,
            "--hierarchy-group-id",
            &emea,
        ])
        .await;
    let user = s(&user["UserId"]);
    aws.fails_with(
        &[&["delete-security-profile"], &at[..]].concat(),
        "ResourceInUseException",
    )
    .await;
    aws.fails_with(
        &[&["delete-user-hierarchy-group"], &at_group[..]].concat(),
        "ResourceInUseException",
    )
    .await;
    aws.ok(&["delete-user", "--instance-id", &inst, "--user-id", &user])
        .await;
    aws.ok(&[&["delete-security-profile"], &at[..]].concat())
        .await;
    aws.ok(&[&["delete-user-hierarchy-group"], &at_group[..]].concat())
        .await;
    let profiles = aws
        .ok(&["list-security-profiles", "--instance-id", &inst])
        .await;
    assert!(!names(&profiles, "SecurityProfileSummaryList").contains(&"Supervisors".to_string()));
    let groups = aws
        .ok(&["list-user-hierarchy-groups", "--instance-id", &inst])
        .await;
    assert_eq!(names(&groups, "UserHierarchyGroupSummaryList"), ["APAC"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
async fn cli_changes_quick_connects_prompts_and_agent_statuses() {
    let (_emu, aws, inst) = setup("cli-lists").await;
    let queues = aws.ok(&["list-queues", "--instance-id", &inst]).await;
    let queue = id_named(&queues, "QueueSummaryList", "BasicQueue");
    let created = aws
        .ok(&[
            "create-quick-connect",
            "--instance-id",
            &inst,
            "--name",
            "Front desk",
            "--quick-connect-config",
            r#"{"QuickConnectType":"PHONE_NUMBER","PhoneConfig":{"PhoneNumber":"+442071234567"}}"#,
        ])
        .await;
    let qc = s(&created["QuickConnectId"]);
    let at = ["--instance-id", &inst, "--quick-connect-id", &qc];
    aws.ok(&[
        &["update-quick-connect-name"],
        &at[..],
        &["--name", "Reception", "--description", "Ground floor"],
    ]
    .concat())
        .await;
    aws.ok(&[
        &["update-quick-connect-config"],
        &at[..],
        &[
            "--quick-connect-config",
            r#"{"QuickConnectType":"PHONE_NUMBER","PhoneConfig":{"PhoneNumber":"+13125550100"}}"#,
        ],
    ]
    .concat())
        .await;
    let described = aws
        .ok(&[&["describe-quick-connect"], &at[..]].concat())
        .await;
    let q = &described["QuickConnect"];
    assert_eq!(q["Name"], "Reception");
    assert_eq!(q["Description"], "Ground floor");
    assert_eq!(
        q["QuickConnectConfig"]["PhoneConfig"]["PhoneNumber"],
        "+13125550100"
    );
    let at_queue = ["--instance-id", &inst, "--queue-id", &queue];
    aws.ok(&[
        &["associate-queue-quick-connects"],
        &at_queue[..],
        &["--quick-connect-ids", &qc],
    ]
    .concat())
        .await;
    let linked = aws
        .ok(&[&["list-queue-quick-connects"], &at_queue[..]].concat())
        .await;
    assert_eq!(names(&linked, "QuickConnectSummaryList"), ["Reception"]);
    aws.ok(&[
        &["disassociate-queue-quick-connects"],
        &at_queue[..],
        &["--quick-connect-ids", &qc],
    ]
    .concat())
        .await;
    let linked = aws
        .ok(&[&["list-queue-quick-connects"], &at_queue[..]].concat())
        .await;
    assert!(names(&linked, "QuickConnectSummaryList").is_empty());
    aws.ok(&[&["delete-quick-connect"], &at[..]].concat()).await;
    aws.fails_with(
        &[&["describe-quick-connect"], &at[..]].concat(),
        "ResourceNotFoundException",
    )
    .await;

    let prompt = aws
        .ok(&[
            "create-prompt",
            "--instance-id",
            &inst,
            "--name",
            "Welcome",
            "--s3-uri",
            "s3://bucket/prompts/welcome.wav",
        ])
        .await;
    let prompt_id = s(&prompt["PromptId"]);
    let at = ["--instance-id", &inst, "--prompt-id", &prompt_id];
    let updated = aws
        .ok(&[
            &["update-prompt"],
            &at[..],
            &["--name", "Welcome EN", "--description", "English"],
        ]
        .concat())
        .await;
    assert_eq!(updated["PromptId"], prompt_id.as_str());
    assert_eq!(updated["PromptARN"], prompt["PromptARN"]);
    let described = aws.ok(&[&["describe-prompt"], &at[..]].concat()).await;
    assert_eq!(described["Prompt"]["Name"], "Welcome EN");
    assert_eq!(described["Prompt"]["Description"], "English");
    aws.ok(&[&["delete-prompt"], &at[..]].concat()).await;
    let prompts = aws.ok(&["list-prompts", "--instance-id", &inst]).await;
    assert!(!names(&prompts, "PromptSummaryList").contains(&"Welcome EN".to_string()));

    let status = aws
        .ok(&[
            "create-agent-status",
            "--instance-id",
            &inst,
            "--name",
            "Lunch",
            "--state",
            "ENABLED",
        ])
        .await;
    let status_id = s(&status["AgentStatusId"]);
    let at = ["--instance-id", &inst, "--agent-status-id", &status_id];
    aws.ok(&[
        &["update-agent-status"],
        &at[..],
        &[
            "--name",
            "Break",
            "--state",
            "DISABLED",
            "--display-order",
            "4",
        ],
    ]
    .concat())
        .await;
    let described = aws
        .ok(&[&["describe-agent-status"], &at[..]].concat())
        .await;
    let st = &described["AgentStatus"];
    assert_eq!(st["Name"], "Break");
    assert_eq!(st["State"], "DISABLED");
    assert_eq!(st["DisplayOrder"], 4);
    aws.fails_with(
        &[&["update-agent-status"], &at[..], &["--name", "Offline"]].concat(),
        "DuplicateResourceException",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
async fn cli_disassociates_origins_storage_configs_and_integrations() {
    let (_emu, aws, inst) = setup("cli-instance").await;
    // `--cli-input-json`: the CLI would fetch an `https://` parameter value.
    let input = |origin: &str| json!({"InstanceId": inst, "Origin": origin}).to_string();
    for origin in ["https://a.example.com", "https://b.example.com"] {
        aws.ok(&[
            "associate-approved-origin",
            "--cli-input-json",
            &input(origin),
        ])
        .await;
    }
    aws.ok(&[
        "disassociate-approved-origin",
        "--cli-input-json",
        &input("https://a.example.com"),
    ])
    .await;
    let origins = aws
        .ok(&["list-approved-origins", "--instance-id", &inst])
        .await;
    assert_eq!(origins["Origins"], json!(["https://b.example.com"]));
    aws.fails_with(
        &[
            "disassociate-approved-origin",
            "--cli-input-json",
            &input("https://a.example.com"),
        ],
        "ResourceNotFoundException",
    )
    .await;

    let associated = aws
        .ok(&[
            "associate-instance-storage-config",
            "--instance-id",
            &inst,
            "--resource-type",
            "CHAT_TRANSCRIPTS",
            "--storage-config",
            r#"{"StorageType":"S3","S3Config":{"BucketName":"first","BucketPrefix":"chats"}}"#,
        ])
        .await;
    let association = s(&associated["AssociationId"]);
    let at = [
        "--instance-id",
        &inst,
        "--association-id",
        &association,
        "--resource-type",
        "CHAT_TRANSCRIPTS",
    ];
    aws.ok(&[&["update-instance-storage-config"], &at[..], &["--storage-config", r#"{"StorageType":"KINESIS_FIREHOSE","KinesisFirehoseConfig":{"FirehoseArn":"arn:aws:firehose:us-east-1:123456789012:deliverystream/chats"}}"#]].concat())
        .await;
    let described = aws
        .ok(&[&["describe-instance-storage-config"], &at[..]].concat())
        .await;
    let cfg = &described["StorageConfig"];
    assert_eq!(cfg["AssociationId"], association.as_str());
    assert_eq!(cfg["StorageType"], "KINESIS_FIREHOSE");
    assert_eq!(
        cfg["KinesisFirehoseConfig"]["FirehoseArn"],
        "arn:aws:firehose:us-east-1:123456789012:deliverystream/chats"
    );
    assert!(cfg.get("S3Config").is_none());
    aws.ok(&[&["disassociate-instance-storage-config"], &at[..]].concat())
        .await;
    let listed = aws
        .ok(&[
            "list-instance-storage-configs",
            "--instance-id",
            &inst,
            "--resource-type",
            "CHAT_TRANSCRIPTS",
        ])
        .await;
    assert_eq!(listed["StorageConfigs"], json!([]));
    aws.fails_with(
        &[&["describe-instance-storage-config"], &at[..]].concat(),
        "ResourceNotFoundException",
    )
    .await;

    let integration = aws
        .ok(&[
            "create-integration-association",
            "--instance-id",
            &inst,
            "--integration-type",
            "EVENT",
            "--integration-arn",
            "arn:aws:app-integrations:us-east-1:123456789012:event-integration/cases",
            "--source-application-name",
            "Cases",
            "--source-type",
            "CASES",
            "--cli-input-json",
            &json!({"SourceApplicationUrl": "https://cases.example.com"}).to_string(),
        ])
        .await;
    let integration = s(&integration["IntegrationAssociationId"]);
    let listed = aws
        .ok(&["list-integration-associations", "--instance-id", &inst])
        .await;
    assert_eq!(
        listed["IntegrationAssociationSummaryList"][0]["IntegrationAssociationId"],
        integration.as_str()
    );
    aws.ok(&[
        "delete-integration-association",
        "--instance-id",
        &inst,
        "--integration-association-id",
        &integration,
    ])
    .await;
    let listed = aws
        .ok(&["list-integration-associations", "--instance-id", &inst])
        .await;
    assert_eq!(listed["IntegrationAssociationSummaryList"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
async fn cli_changes_moves_and_releases_phone_numbers() {
    let (_emu, aws, inst) = setup("cli-numbers").await;
    let other = aws
        .ok(&[
            "create-instance",
            "--identity-management-type",
            "CONNECT_MANAGED",
            "--instance-alias",
            "cli-numbers-2",
            "--inbound-calls-enabled",
            "--outbound-calls-enabled",
        ])
        .await;
    let other = s(&other["Id"]);
    let claimed = aws
        .ok(&[
            "claim-phone-number",
            "--instance-id",
            &inst,
            "--phone-number",
            "+18005550111",
        ])
        .await;
    let number = s(&claimed["PhoneNumberId"]);
    aws.ok(&[
        "update-phone-number-metadata",
        "--phone-number-id",
        &number,
        "--phone-number-description",
        "Main line",
    ])
    .await;
    let described = aws
        .ok(&["describe-phone-number", "--phone-number-id", &number])
        .await;
    assert_eq!(
        described["ClaimedPhoneNumberSummary"]["PhoneNumberDescription"],
        "Main line"
    );

    let flow = new_flow(&aws, &inst, "Inbound").await;
    aws.ok(&[
        "associate-phone-number-contact-flow",
        "--phone-number-id",
        &number,
        "--instance-id",
        &inst,
        "--contact-flow-id",
        &flow,
    ])
    .await;
    aws.fails_with(
        &[
            "delete-contact-flow",
            "--instance-id",
            &inst,
            "--contact-flow-id",
            &flow,
        ],
        "InvalidRequestException",
    )
    .await;
    aws.ok(&[
        "disassociate-phone-number-contact-flow",
        "--phone-number-id",
        &number,
        "--instance-id",
        &inst,
    ])
    .await;
    let assoc = aws
        .ok(&[
            "list-flow-associations",
            "--instance-id",
            &inst,
            "--resource-type",
            "VOICE_PHONE_NUMBER",
        ])
        .await;
    assert_eq!(assoc["FlowAssociationSummaryList"], json!([]));

    let moved = aws
        .ok(&[
            "update-phone-number",
            "--phone-number-id",
            &number,
            "--instance-id",
            &other,
        ])
        .await;
    assert_eq!(moved["PhoneNumberId"], number.as_str());
    let described = aws
        .ok(&["describe-phone-number", "--phone-number-id", &number])
        .await;
    assert_eq!(
        described["ClaimedPhoneNumberSummary"]["InstanceId"],
        other.as_str()
    );
    let listed = aws
        .ok(&["list-phone-numbers-v2", "--instance-id", &other])
        .await;
    assert_eq!(
        listed["ListPhoneNumbersSummaryList"][0]["PhoneNumber"],
        "+18005550111"
    );

    aws.ok(&["release-phone-number", "--phone-number-id", &number])
        .await;
    aws.fails_with(
        &["describe-phone-number", "--phone-number-id", &number],
        "ResourceNotFoundException",
    )
    .await;
    let listed = aws
        .ok(&["list-phone-numbers-v2", "--instance-id", &other])
        .await;
    assert_eq!(listed["ListPhoneNumbersSummaryList"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
async fn cli_changes_user_config_and_routing_profile_timer() {
    let (_emu, aws, inst) = setup("cli-users").await;
    let rps = aws
        .ok(&["list-routing-profiles", "--instance-id", &inst])
        .await;
    let rp = id_named(&rps, "RoutingProfileSummaryList", "Basic Routing Profile");
    let sps = aws
        .ok(&["list-security-profiles", "--instance-id", &inst])
        .await;
    let agent = id_named(&sps, "SecurityProfileSummaryList", "Agent");
    let user = aws
        .ok(&[
            "create-user",
            "--instance-id",
            &inst,
            "--username",
            "lee",
            "--password",
            "Passw0rd!x",
            "--phone-config",
            "PhoneType=SOFT_PHONE",
            "--security-profile-ids",
            &agent,
            "--routing-profile-id",
            &rp,
        ])
        .await;
    let user = s(&user["UserId"]);
    aws.ok(&[
        "update-user-config",
        "--instance-id",
        &inst,
        "--user-id",
        &user,
        "--auto-accept-configs",
        "Channel=CHAT,AutoAccept=true",
    ])
    .await;
    let described = aws
        .ok(&["describe-user", "--instance-id", &inst, "--user-id", &user])
        .await;
    assert_eq!(
        described["User"]["AutoAcceptConfigs"],
        json!([{"Channel": "CHAT", "AutoAccept": true}])
    );

    aws.ok(&[
        "update-routing-profile-agent-availability-timer",
        "--instance-id",
        &inst,
        "--routing-profile-id",
        &rp,
        "--agent-availability-timer",
        "TIME_SINCE_LAST_INBOUND",
    ])
    .await;
    let described = aws
        .ok(&[
            "describe-routing-profile",
            "--instance-id",
            &inst,
            "--routing-profile-id",
            &rp,
        ])
        .await;
    assert_eq!(
        described["RoutingProfile"]["AgentAvailabilityTimer"],
        "TIME_SINCE_LAST_INBOUND"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "AWS CLI cross-check: `cargo test -- --ignored` with `aws` on PATH (.ci/run does)"]
async fn cli_changes_hours_overrides_and_parents() {
    let (_emu, aws, inst) = setup("cli-hours").await;
    let hours = |name: &'static str| {
        let aws = &aws;
        let inst = inst.clone();
        async move {
            let h = aws
                .ok(&[
                    "create-hours-of-operation",
                    "--instance-id",
                    &inst,
                    "--name",
                    name,
                    "--time-zone",
                    "Europe/Dublin",
                    "--config",
                    "[]",
                ])
                .await;
            s(&h["HoursOfOperationId"])
        }
    };
    let child = hours("Dublin").await;
    let parent = hours("Ireland").await;
    let at = ["--instance-id", &inst, "--hours-of-operation-id", &child];
    let created = aws
        .ok(&[
            &["create-hours-of-operation-override"],
            &at[..],
            &[
                "--name",
                "Christmas",
                "--config",
                "[]",
                "--effective-from",
                "2026-12-25",
                "--effective-till",
                "2026-12-26",
                "--override-type",
                "CLOSED",
            ],
        ]
        .concat())
        .await;
    let override_id = s(&created["HoursOfOperationOverrideId"]);
    aws.ok(&[
        &["update-hours-of-operation-override"],
        &at[..],
        &[
            "--hours-of-operation-override-id",
            &override_id,
            "--name",
            "Christmas Day",
            "--effective-till",
            "2026-12-25",
        ],
    ]
    .concat())
        .await;
    let listed = aws
        .ok(&[&["list-hours-of-operation-overrides"], &at[..]].concat())
        .await;
    let o = &listed["HoursOfOperationOverrideList"][0];
    assert_eq!(o["Name"], "Christmas Day");
    assert_eq!(o["EffectiveFrom"], "2026-12-25");
    assert_eq!(o["EffectiveTill"], "2026-12-25");
    assert_eq!(o["OverrideType"], "CLOSED");
    aws.fails_with(
        &[
            &["update-hours-of-operation-override"],
            &at[..],
            &[
                "--hours-of-operation-override-id",
                &override_id,
                "--effective-till",
                "2026-12-01",
            ],
        ]
        .concat(),
        "InvalidRequestException",
    )
    .await;
    aws.ok(&[
        &["delete-hours-of-operation-override"],
        &at[..],
        &["--hours-of-operation-override-id", &override_id],
    ]
    .concat())
        .await;
    let listed = aws
        .ok(&[&["list-hours-of-operation-overrides"], &at[..]].concat())
        .await;
    assert_eq!(listed["HoursOfOperationOverrideList"], json!([]));

    aws.ok(&[
        &["associate-hours-of-operations"],
        &at[..],
        &[
            "--parent-hours-of-operation-configs",
            &format!("HoursOfOperationId={parent}"),
        ],
    ]
    .concat())
        .await;
    let described = aws
        .ok(&[&["describe-hours-of-operation"], &at[..]].concat())
        .await;
    assert_eq!(
        described["HoursOfOperation"]["ParentHoursOfOperations"][0]["Name"],
        "Ireland"
    );
    let children = aws
        .ok(&[
            "list-child-hours-of-operations",
            "--instance-id",
            &inst,
            "--hours-of-operation-id",
            &parent,
        ])
        .await;
    assert_eq!(
        children["ChildHoursOfOperationsSummaryList"][0]["Id"],
        child.as_str()
    );
    aws.ok(&[
        &["disassociate-hours-of-operations"],
        &at[..],
        &["--parent-hours-of-operation-ids", &parent],
    ]
    .concat())
        .await;
    let children = aws
        .ok(&[
            "list-child-hours-of-operations",
            "--instance-id",
            &inst,
            "--hours-of-operation-id",
            &parent,
        ])
        .await;
    assert_eq!(children["ChildHoursOfOperationsSummaryList"], json!([]));
}
