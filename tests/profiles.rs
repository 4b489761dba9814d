//! Many accounts in one statement: the `profile` param chooses AWS profiles of
//! the AWS config files (each with its own credentials, read by aws-config),
//! every row carries its `profile` and `account_id`, and one profile failing
//! leaves the others' rows, said on stderr. Against the local endpoint's two
//! demo accounts (`--demo-accounts`), chosen by access key.

mod common;

use common::{run, Emulator};
use connectql_emulator::{DEMO_DEV_ACCOUNT, DEMO_PROD_ACCOUNT};
use serde_json::{json, Value};

#[path = "common/aws_files.rs"]
mod aws_files;

use aws_files::AwsFiles;

fn endpoint() -> Emulator {
    Emulator::start(&["--demo-data", "--demo-accounts"])
}

/// Runs statements with the throw-away config; (ok, each statement's rows, stderr).
fn query(emu: &Emulator, files: &AwsFiles, statements: &[&str]) -> (bool, Vec<Value>, String) {
    let mut c = emu.connectql();
    files
        .apply(&mut c)
        .args(["--output", "json", "--region", "us-east-1"]);
    for s in statements {
        c.args(["-e", s]);
    }
    let (ok, stdout, stderr) = run(c);
    let values: Vec<Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {stdout}\nstderr: {stderr}"));
    (ok, values, stderr)
}

fn one(emu: &Emulator, files: &AwsFiles, sql: &str) -> Value {
    let (ok, mut values, stderr) = query(emu, files, &[sql]);
    assert!(ok, "{sql}: {stderr}");
    assert_eq!(values.len(), 1, "{sql}: {values:?}");
    values.remove(0)
}

const BOTH: &str = "SELECT profile, account_id, instance_alias FROM aws.connect.instances \
                    WHERE profile IN ('demo-dev','demo-prod') AND region = 'us-east-1' \
                    ORDER BY instance_alias";

#[test]
fn one_statement_reads_both_accounts_each_with_its_credentials() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("both", "eu-west-2");
    let rows = one(&emu, &files, BOTH);
    assert_eq!(
        rows,
        json!([
            {"profile": "demo-dev", "account_id": DEMO_DEV_ACCOUNT, "instance_alias": "acme-sales"},
            {"profile": "demo-prod", "account_id": DEMO_PROD_ACCOUNT, "instance_alias": "acme-sales-prod"},
            {"profile": "demo-dev", "account_id": DEMO_DEV_ACCOUNT, "instance_alias": "acme-support"},
            {"profile": "demo-prod", "account_id": DEMO_PROD_ACCOUNT, "instance_alias": "acme-support-prod"},
        ])
    );
    // One listing per account: each profile's own place.
    assert_eq!(emu.calls("ListInstances"), 2);
    // OR unites as IN does.
    let or = BOTH.replace(
        "profile IN ('demo-dev','demo-prod')",
        "(profile = 'demo-dev' OR profile = 'demo-prod')",
    );
    assert_eq!(one(&emu, &files, &or), rows);
}

#[test]
fn and_intersects_and_a_contradiction_reads_nothing() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("and", "eu-west-2");
    let prod = one(
        &emu,
        &files,
        &BOTH.replace("AND region", "AND profile = 'demo-prod' AND region"),
    );
    let aliases: Vec<&str> = prod
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["instance_alias"].as_str().unwrap())
        .collect();
    assert_eq!(aliases, ["acme-sales-prod", "acme-support-prod"]);
    emu.reset();
    let none = one(
        &emu,
        &files,
        "SELECT instance_alias FROM aws.connect.instances \
         WHERE profile = 'demo-dev' AND profile = 'demo-prod' AND region = 'us-east-1'",
    );
    assert_eq!(none, json!([]));
    assert_eq!(
        emu.calls("ListInstances"),
        0,
        "a contradiction makes no call"
    );
}

#[test]
fn unknown_profiles_and_unusable_predicates_are_refused_before_any_call() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("refused", "eu-west-2");
    let (ok, _, stderr) = query(
        &emu,
        &files,
        &["SELECT instance_alias FROM aws.connect.instances WHERE profile = 'demo-qa' AND region = 'us-east-1'"],
    );
    assert!(!ok);
    assert!(
        stderr.contains("demo-qa") && stderr.contains("broken, demo-dev, demo-prod"),
        "{stderr}"
    );
    let (ok, _, stderr) = query(
        &emu,
        &files,
        &["SELECT instance_alias FROM aws.connect.instances WHERE profile LIKE 'demo-%' AND region = 'us-east-1'"],
    );
    assert!(!ok);
    assert!(stderr.contains("`profile` is a param"), "{stderr}");
    assert_eq!(emu.calls("ListInstances"), 0);
}

#[test]
fn a_join_on_arns_reads_the_partners_account() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("join", "eu-west-2");
    let rows = one(
        &emu,
        &files,
        "SELECT q.profile, q.account_id, q.name FROM aws.connect.instances i \
         JOIN aws.connect.queues q ON q.instance_arn = i.arn \
         WHERE i.profile = 'demo-prod' AND i.region = 'us-east-1' \
         AND i.instance_alias = 'acme-support-prod' AND q.type = 'STANDARD' ORDER BY q.name",
    );
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        assert_eq!(r["profile"], "demo-prod", "{r}");
        assert_eq!(r["account_id"], DEMO_PROD_ACCOUNT, "{r}");
    }
    // Prod has no Escalations queue in acme-support-prod.
    assert!(rows.iter().all(|r| r["name"] != "Escalations"), "{rows:?}");
}

#[test]
fn without_a_region_each_profile_reads_its_own_default_region() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("regions", "eu-west-2");
    // The session's region from the AWS configuration (not --region, which
    // every profile reads: tests/defaults.rs).
    let mut c = emu.connectql();
    c.env("AWS_CONFIG_FILE", files.dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", files.dir.join("credentials"))
        .env("AWS_REGION", "us-east-1")
        .args([
            "--output",
            "json",
            "-e",
            "SELECT profile, region, instance_alias FROM aws.connect.instances \
             WHERE profile IN ('demo-dev', 'demo-prod') ORDER BY profile, instance_alias",
        ]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    let rows: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        rows,
        json!([
            {"profile": "demo-dev", "region": "us-east-1", "instance_alias": "acme-sales"},
            {"profile": "demo-dev", "region": "us-east-1", "instance_alias": "acme-support"},
            {"profile": "demo-prod", "region": "eu-west-2", "instance_alias": "acme-uk-prod"},
        ])
    );
}

#[test]
fn a_profile_that_fails_is_named_and_the_others_rows_are_printed() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("partial", "eu-west-2");
    let (ok, values, stderr) = query(
        &emu,
        &files,
        &["SELECT profile, instance_alias FROM aws.connect.instances \
           WHERE profile IN ('demo-dev', 'broken') AND region = 'us-east-1' ORDER BY instance_alias"],
    );
    assert!(!ok, "a partial answer fails the batch");
    assert_eq!(
        values,
        [json!([
            {"profile": "demo-dev", "instance_alias": "acme-sales"},
            {"profile": "demo-dev", "instance_alias": "acme-support"},
        ])]
    );
    assert!(stderr.contains("partial"), "{stderr}");
    assert!(
        stderr.contains("profile broken failed in us-east-1, its rows are missing")
            && stderr.contains("the profile gave no usable credentials"),
        "{stderr}"
    );
    assert!(
        stderr.contains("aws sso login --profile broken"),
        "{stderr}"
    );
}

#[test]
fn show_profiles_lists_the_config_files_profiles() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("show", "eu-west-2");
    let (ok, values, stderr) = query(
        &emu,
        &files,
        &[
            "SHOW PROFILES",
            // Reading through a profile tells its account.
            "SELECT instance_alias FROM aws.connect.instances WHERE profile = 'demo-prod' AND region = 'us-east-1'",
            "SHOW PROFILES",
        ],
    );
    assert!(ok, "{stderr}");
    let row = |name: &str, account: Value, region: &str| json!({"name": name, "account_id": account, "region": region, "session": false});
    assert_eq!(
        values[0],
        json!([
            row("broken", Value::Null, "us-east-1"),
            row("demo-dev", Value::Null, "us-east-1"),
            row("demo-prod", Value::Null, "eu-west-2"),
        ])
    );
    assert_eq!(
        values[2][2],
        row("demo-prod", json!(DEMO_PROD_ACCOUNT), "eu-west-2")
    );
}

#[test]
fn the_demo_has_two_profiles_of_its_own() {
    // No AWS files of the machine's: --demo writes its own, for the session.
    let mut c = common::clean_command(common::BIN);
    c.args([
        "--demo",
        "--output",
        "json",
        "-e",
        "SHOW PROFILES",
        "-e",
        "SELECT profile, account_id, instance_alias FROM aws.connect.instances \
         WHERE profile IN ('demo-dev', 'demo-prod') AND region = 'us-east-1' ORDER BY instance_alias",
    ]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    let values: Vec<Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .expect("JSON");
    let names: Vec<&str> = values[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["demo-dev", "demo-prod"]);
    let accounts: Vec<(&str, &str)> = values[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["instance_alias"].as_str().unwrap(),
                r["account_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        accounts,
        [
            ("acme-sales", DEMO_DEV_ACCOUNT),
            ("acme-sales-prod", DEMO_PROD_ACCOUNT),
            ("acme-support", DEMO_DEV_ACCOUNT),
            ("acme-support-prod", DEMO_PROD_ACCOUNT),
        ]
    );
}

#[test]
fn explain_shows_each_place_and_its_calls_are_the_calls_made() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("explain", "eu-west-2");
    let sql = "SELECT q.profile, q.name FROM aws.connect.queues q \
               WHERE q.profile IN ('demo-dev', 'demo-prod') AND q.region = 'us-east-1'";
    let plan = one(&emu, &files, &format!("EXPLAIN {sql}"));
    let calls: Vec<(String, String)> = plan
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["operation"] != "(engine)")
        .map(|c| {
            (
                c["operation"].as_str().unwrap().to_string(),
                c["region"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for place in [
        "us-east-1 (profile demo-dev)",
        "us-east-1 (profile demo-prod)",
    ] {
        assert!(
            calls
                .iter()
                .any(|(op, r)| op == "ListInstances" && r == place),
            "{calls:?}"
        );
    }
    assert_eq!(emu.calls("ListInstances"), 0, "EXPLAIN calls nothing");
    one(&emu, &files, sql);
    // Each account made the operations EXPLAIN lists for its place (ListQueues
    // once per instance), and no other account was called.
    let stats = emu.stats();
    let by_account = stats["calls_by_account"].as_object().unwrap();
    let mut accounts: Vec<&String> = by_account.keys().collect();
    accounts.sort();
    assert_eq!(accounts, [DEMO_DEV_ACCOUNT, DEMO_PROD_ACCOUNT], "{stats}");
    for (account, profile) in [
        (DEMO_DEV_ACCOUNT, "demo-dev"),
        (DEMO_PROD_ACCOUNT, "demo-prod"),
    ] {
        let place = format!("us-east-1 (profile {profile})");
        let mut listed: Vec<&str> = calls
            .iter()
            .filter(|(_, r)| *r == place)
            .map(|(op, _)| op.as_str())
            .collect();
        listed.sort();
        let mut made: Vec<&str> = by_account[account]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        made.sort();
        assert_eq!(listed, made, "{profile}: {stats}");
        assert_eq!(by_account[account]["ListInstances"], 1, "{stats}");
    }
}

/// The AWS CLI run with one of the throw-away profiles (its own keys, no
/// environment keys), returning its JSON.
fn aws_as(emu: &Emulator, files: &AwsFiles, profile: &str, args: &[&str]) -> Value {
    let out = common::clean_command("aws")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_CONFIG_FILE", files.dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", files.dir.join("credentials"))
        .args([
            "--profile",
            profile,
            "--endpoint-url",
            &emu.url,
            "--region",
            "us-east-1",
        ])
        .args(["--output", "json"])
        .args(args)
        .output()
        .expect("the AWS CLI (pip install awscli) must be on PATH");
    assert!(
        out.status.success(),
        "aws --profile {profile} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("aws json")
}

/// Sorted strings of a JSON array's objects at `field`.
fn sorted(list: &Value, field: &str) -> Vec<String> {
    let mut v: Vec<String> = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .filter_map(|x| x[field].as_str().map(String::from))
        .collect();
    v.sort();
    v
}

#[test]
#[ignore = "AWS CLI cross-check: needs the aws CLI on PATH (run by .ci/run)"]
fn the_aws_cli_with_each_profile_lists_what_connectql_reads_for_it() {
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("cli", "eu-west-2");
    for (profile, account) in [
        ("demo-dev", DEMO_DEV_ACCOUNT),
        ("demo-prod", DEMO_PROD_ACCOUNT),
    ] {
        let cli_instances = aws_as(&emu, &files, profile, &["connect", "list-instances"]);
        let ours = one(
            &emu,
            &files,
            &format!(
                "SELECT arn, instance_alias, account_id FROM aws.connect.instances \
                 WHERE profile = '{profile}' AND region = 'us-east-1'"
            ),
        );
        assert_eq!(
            sorted(&ours, "arn"),
            sorted(&cli_instances["InstanceSummaryList"], "Arn"),
            "{profile}: instances"
        );
        assert!(
            ours.as_array()
                .unwrap()
                .iter()
                .all(|r| r["account_id"] == account),
            "{profile}: {ours}"
        );
        for instance in cli_instances["InstanceSummaryList"].as_array().unwrap() {
            let id = instance["Id"].as_str().unwrap();
            let alias = instance["InstanceAlias"].as_str().unwrap();
            for (table, command, list, cli_field, field) in [
                (
                    "queues",
                    "list-queues",
                    "QueueSummaryList",
                    "Arn",
                    "queue_arn",
                ),
                ("users", "list-users", "UserSummaryList", "Arn", "user_arn"),
            ] {
                let mut args = vec!["connect", command, "--instance-id", id];
                if table == "queues" {
                    args.extend(["--queue-types", "STANDARD"]);
                }
                let cli = aws_as(&emu, &files, profile, &args);
                let type_filter = if table == "queues" {
                    " AND type = 'STANDARD'"
                } else {
                    ""
                };
                let ours = one(
                    &emu,
                    &files,
                    &format!(
                        "SELECT {field} FROM aws.connect.{table} WHERE profile = '{profile}' \
                         AND region = 'us-east-1' AND data__InstanceId = '{alias}'{type_filter}"
                    ),
                );
                assert_eq!(
                    sorted(&ours, field),
                    sorted(&cli[list], cli_field),
                    "{profile} {alias}: {table}"
                );
                assert!(
                    !sorted(&ours, field).is_empty(),
                    "{profile} {alias}: no {table}"
                );
            }
        }
    }
}

#[test]
fn the_sessions_profile_that_fails_is_named_with_its_fix() {
    // `--profile broken` and no statement profile: the error names the
    // session's profile and how to fix it, not the default chain's list.
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("session-broken", "eu-west-2");
    let mut c = emu.connectql();
    c.env("AWS_CONFIG_FILE", files.dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", files.dir.join("credentials"))
        .args([
            "--profile",
            "broken",
            "--region",
            "us-east-1",
            "-e",
            "SELECT instance_alias FROM aws.connect.instances",
        ]);
    let (ok, _, stderr) = run(c);
    assert!(!ok, "{stderr}");
    assert!(
        stderr.contains("the profile gave no usable credentials")
            && stderr.contains("aws sso login --profile broken")
            && !stderr.contains("tried the environment"),
        "{stderr}"
    );
}

#[test]
fn show_profiles_marks_each_default_profile() {
    // `--profile a,b` (as `.profile a,b`): a statement without a profile
    // predicate reads each, so each is marked.
    let emu = endpoint();
    let files = AwsFiles::with_prod_region("show-defaults", "eu-west-2");
    let mut c = emu.connectql();
    c.env("AWS_CONFIG_FILE", files.dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", files.dir.join("credentials"))
        .args([
            "--profile",
            "demo-dev,demo-prod",
            "--output",
            "json",
            "-e",
            "SHOW PROFILES",
        ]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    let rows: Value = serde_json::from_str(&stdout).expect("JSON");
    let marked: Vec<(&str, bool)> = rows
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["name"].as_str().unwrap(), r["session"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        marked,
        [("broken", false), ("demo-dev", true), ("demo-prod", true)]
    );
}
