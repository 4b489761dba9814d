//! The contents of an instance, cross-checked with the AWS CLI: fixtures
//! are created with `aws connect create-*`, and connectql reads them back —
//! by ARN, by id, by name and through the instance alias — equal, field for
//! field, to what `aws connect describe-*` returns (read through the
//! catalog's field sources: ids become ARNs, tag maps Key/Value arrays).

use serde_json::{json, Value};

use connectql::catalog::{self, Call, RowContext};
use connectql::executor::field_value;

mod common;
use common::{query_json, Emulator};

const REGION: &str = "us-east-1";

/// The demo instance the fixtures go in.
fn instance(emu: &Emulator) -> (String, String) {
    let list = emu.aws(REGION, &["connect", "list-instances"]);
    let i = list["InstanceSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["InstanceAlias"] == "acme-support")
        .expect("the demo's acme-support")
        .clone();
    (
        i["Id"].as_str().unwrap().to_string(),
        i["Arn"].as_str().unwrap().to_string(),
    )
}

/// What connectql returns for `table` must equal the describe output read
/// through the catalog, for every field that Describe supplies.
fn assert_same(table: &str, row: &Value, described: &Value, instance_arn: &str) {
    let t = catalog::table(table).unwrap();
    let ctx = RowContext {
        region: REGION,
        instance_arn: Some(instance_arn),
    };
    let mut compared = 0;
    for (i, f) in t.fields().iter().enumerate() {
        let expected = field_value(t.resource, i, &ctx, &[(Call::Describe, described)]);
        if expected.is_null() {
            continue;
        }
        compared += 1;
        assert_eq!(
            row[f.name], expected,
            "{table}.{}: connectql {} vs describe {}",
            f.name, row[f.name], expected
        );
    }
    assert!(compared >= 5, "{table}: only {compared} fields compared");
}

fn one(emu: &Emulator, sql: &str) -> Value {
    let (ok, values, stderr) = query_json(emu, Some(REGION), &[sql]);
    assert!(ok, "{sql}: {stderr}");
    let rows = values[0].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{sql}: {rows:?}");
    rows[0].clone()
}

#[test]
fn created_with_the_aws_cli_read_back_field_for_field() {
    let emu = Emulator::start(&["--demo-data"]);
    let (iid, iarn) = instance(&emu);
    let cli = |args: &[&str]| {
        let mut full = vec!["connect"];
        full.extend_from_slice(args);
        emu.aws(REGION, &full)
    };

    let hours = cli(&[
        "create-hours-of-operation",
        "--instance-id",
        &iid,
        "--name",
        "Fixture Hours",
        "--description",
        "weekdays nine to five",
        "--time-zone",
        "Europe/London",
        "--config",
        &json!([
            {"Day": "MONDAY", "StartTime": {"Hours": 9, "Minutes": 0}, "EndTime": {"Hours": 17, "Minutes": 0}},
            {"Day": "FRIDAY", "StartTime": {"Hours": 9, "Minutes": 30}, "EndTime": {"Hours": 16, "Minutes": 0}}
        ])
        .to_string(),
        "--tags",
        "team=fixtures",
    ]);
    let hours_id = hours["HoursOfOperationId"].as_str().unwrap().to_string();
    let queue = cli(&[
        "create-queue",
        "--instance-id",
        &iid,
        "--name",
        "Fixture Queue",
        "--description",
        "for the cross-check",
        "--hours-of-operation-id",
        &hours_id,
        "--max-contacts",
        "7",
        "--tags",
        "team=fixtures",
    ]);
    let queue_id = queue["QueueId"].as_str().unwrap().to_string();
    let profile = cli(&[
        "create-routing-profile",
        "--instance-id",
        &iid,
        "--name",
        "Fixture Profile",
        "--description",
        "voice and chat",
        "--default-outbound-queue-id",
        &queue_id,
        "--media-concurrencies",
        &json!([{"Channel": "VOICE", "Concurrency": 1}, {"Channel": "CHAT", "Concurrency": 2}]).to_string(),
        "--queue-configs",
        &json!([{"QueueReference": {"QueueId": queue_id, "Channel": "VOICE"}, "Priority": 1, "Delay": 0}]).to_string(),
    ]);
    let profile_id = profile["RoutingProfileId"].as_str().unwrap().to_string();
    let security = cli(&["list-security-profiles", "--instance-id", &iid]);
    let agent_profile = security["SecurityProfileSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Name"] == "Agent")
        .expect("a new instance has the Agent security profile")["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let user = cli(&[
        "create-user",
        "--instance-id",
        &iid,
        "--username",
        "fixture.user",
        "--password",
        "Fixture-Passw0rd!",
        "--identity-info",
        &json!({"FirstName": "Fix", "LastName": "Ture", "Email": "fixture.user@example.com"})
            .to_string(),
        "--phone-config",
        &json!({"PhoneType": "SOFT_PHONE", "AutoAccept": false, "AfterContactWorkTimeLimit": 30})
            .to_string(),
        "--security-profile-ids",
        &agent_profile,
        "--routing-profile-id",
        &profile_id,
        "--tags",
        "team=fixtures",
    ]);
    let user_id = user["UserId"].as_str().unwrap().to_string();
    let user_arn = user["UserArn"].as_str().unwrap().to_string();

    // Users: by ARN, by id and by name in the instance named by alias.
    let described = cli(&[
        "describe-user",
        "--instance-id",
        &iid,
        "--user-id",
        &user_id,
    ])["User"]
        .clone();
    for ident in [
        format!("data__Identifier = '{user_arn}'"),
        format!("data__InstanceId = 'acme-support' AND data__Identifier = '{user_id}'"),
        "data__InstanceId = 'acme-support' AND data__Identifier = 'fixture.user'".to_string(),
    ] {
        let row = one(
            &emu,
            &format!("SELECT * FROM aws.connect.user WHERE {ident}"),
        );
        assert_same("aws.connect.user", &row, &described, &iarn);
        assert_eq!(row["identity_info"]["Email"], "fixture.user@example.com");
        assert_eq!(row["phone_config"]["AfterContactWorkTimeLimit"], 30);
    }
    // The plural table, through the alias, with the same values.
    let row = one(
        &emu,
        "SELECT * FROM aws.connect.users WHERE data__InstanceId = 'acme-support' AND username = 'fixture.user'",
    );
    assert_same("aws.connect.users", &row, &described, &iarn);

    // Queues, routing profiles, hours of operation.
    let checks = [
        (
            "queue",
            "describe-queue",
            "--queue-id",
            queue_id.as_str(),
            "Queue",
            "Fixture Queue",
        ),
        (
            "routing_profile",
            "describe-routing-profile",
            "--routing-profile-id",
            profile_id.as_str(),
            "RoutingProfile",
            "Fixture Profile",
        ),
        (
            "hours_of_operation",
            "describe-hours-of-operation",
            "--hours-of-operation-id",
            hours_id.as_str(),
            "HoursOfOperation",
            "Fixture Hours",
        ),
    ];
    for (table, describe, flag, id, member, name) in checks {
        let described = cli(&[describe, "--instance-id", &iid, flag, id])[member].clone();
        let t = catalog::table(&format!("aws.connect.{table}")).unwrap();
        let arn = described[match table {
            "queue" => "QueueArn",
            "routing_profile" => "RoutingProfileArn",
            _ => "HoursOfOperationArn",
        }]
        .as_str()
        .unwrap()
        .to_string();
        for ident in [
            format!("data__Identifier = '{arn}'"),
            format!("data__InstanceId = '{iarn}' AND data__Identifier = '{id}'"),
            format!("data__InstanceId = 'acme-support' AND data__Identifier = '{name}'"),
        ] {
            let row = one(&emu, &format!("SELECT * FROM {} WHERE {ident}", t.id));
            assert_same(&t.id, &row, &described, &iarn);
        }
    }
    let row = one(
        &emu,
        "SELECT queue_configs, default_outbound_queue_arn FROM aws.connect.routing_profile \
         WHERE data__InstanceId = 'acme-support' AND data__Identifier = 'Fixture Profile'",
    );
    assert_eq!(
        row["queue_configs"][0]["QueueReference"]["Channel"],
        "VOICE"
    );
    assert_eq!(row["queue_configs"][0]["Priority"], 1);
    assert!(row["default_outbound_queue_arn"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/queue/{queue_id}")));
}
