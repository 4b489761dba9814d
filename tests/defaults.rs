//! The session's defaults can be several places (issue 19, item 3): a set of
//! default regions (`.region a,b`, `--region a,b`, `CONNECTQL_REGION`,
//! `all`: the regions with instances) and of default profiles (`.profile
//! a,b`, `--profile a,b`), read by a statement that names none, exactly as
//! if it had `region IN (...)` / `profile IN (...)`. Regions the user
//! chose apply to every profile; the AWS configuration's default region
//! gives way to a profile's own. `--profile` uses that profile's
//! credentials, never keys in the environment. Against the local endpoint
//! (`--demo-data`, `--demo-accounts`), with a throw-away AWS config.

mod common;

use std::process::Command;

use common::{run, Emulator};
use connectql_emulator::{DEMO_DEV_ACCOUNT, DEMO_DEV_KEY, DEMO_PROD_ACCOUNT, DEMO_SECRET_KEY};
use serde_json::{json, Value};

#[path = "common/aws_files.rs"]
mod aws_files;

use aws_files::AwsFiles;

/// connectql against `emu` with these files, JSON out, one attempt per call.
trait Shell {
    fn connectql(&self, emu: &Emulator) -> Command;
}

impl Shell for AwsFiles {
    fn connectql(&self, emu: &Emulator) -> Command {
        let mut c = emu.connectql();
        self.apply(&mut c)
            .args(["--output", "json", "--max-attempts", "1"]);
        c
    }
}

/// Runs the command with `-e` for each line; (ok, the JSON values on stdout,
/// the text lines on stdout, stderr).
fn lines(mut c: Command, statements: &[&str]) -> (bool, Vec<Value>, Vec<String>, String) {
    for s in statements {
        c.args(["-e", s]);
    }
    let (ok, stdout, stderr) = run(c);
    // Meta-commands print lines of text; statements print JSON arrays.
    let mut values = Vec::new();
    let mut text = Vec::new();
    let mut rest = stdout.as_str();
    while !rest.trim_start().is_empty() {
        let trimmed = rest.trim_start();
        if trimmed.starts_with('[') || trimmed.starts_with('{') {
            let mut stream = serde_json::Deserializer::from_str(trimmed).into_iter::<Value>();
            let v = stream
                .next()
                .expect("a value")
                .unwrap_or_else(|e| panic!("bad JSON ({e}): {stdout}\nstderr: {stderr}"));
            values.push(v);
            rest = &trimmed[stream.byte_offset()..];
        } else {
            let (line, after) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
            text.push(line.to_string());
            rest = after;
        }
    }
    (ok, values, text, stderr)
}

/// `(region, alias)` of each row.
fn places(rows: &Value) -> Vec<(String, String)> {
    rows.as_array()
        .unwrap_or_else(|| panic!("not rows: {rows}"))
        .iter()
        .map(|r| {
            (
                r["region"].as_str().unwrap_or_default().to_string(),
                r["instance_alias"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

const INSTANCES: &str =
    "SELECT region, instance_alias FROM aws.connect.instances ORDER BY region, instance_alias";

#[test]
fn a_list_of_regions_from_the_flag_the_environment_or_dot_region_is_read_whole() {
    let emu = Emulator::start(&["--demo-data"]);
    let files = AwsFiles::with_prod_region("regions", "eu-west-2");
    let uk_and_us = pairs(&[
        ("eu-west-2", "acme-uk"),
        ("us-east-1", "acme-sales"),
        ("us-east-1", "acme-support"),
    ]);
    // --region with a list: each region once, concurrently.
    let mut c = files.connectql(&emu);
    c.args(["--region", "us-east-1,eu-west-2"]);
    let (ok, values, text, stderr) = lines(c, &[".region", INSTANCES]);
    assert!(ok, "{stderr}");
    assert_eq!(
        text,
        ["region: us-east-1, eu-west-2 (set with --region; every profile reads them)"]
    );
    assert_eq!(places(&values[0]), uk_and_us);
    assert_eq!(emu.calls("ListInstances"), 2);

    // CONNECTQL_REGION, blanks around the commas.
    let mut c = files.connectql(&emu);
    c.env("CONNECTQL_REGION", "us-east-1 , ap-southeast-2");
    let (ok, values, text, stderr) = lines(c, &[".region", INSTANCES]);
    assert!(ok, "{stderr}");
    assert!(text[0].contains("set with CONNECTQL_REGION"), "{text:?}");
    assert_eq!(
        places(&values[0]),
        pairs(&[
            ("ap-southeast-2", "acme-anz"),
            ("us-east-1", "acme-sales"),
            ("us-east-1", "acme-support"),
        ])
    );

    // .region with a list; a statement naming its region is untouched.
    let before = emu.stats();
    let (ok, values, _, stderr) = lines(
        files.connectql(&emu),
        &[
            ".region eu-west-2, us-east-1",
            INSTANCES,
            "SELECT region, instance_alias FROM aws.connect.instances WHERE region = 'ap-southeast-2'",
        ],
    );
    assert!(ok, "{stderr}");
    assert_eq!(places(&values[0]), uk_and_us);
    assert_eq!(places(&values[1]), pairs(&[("ap-southeast-2", "acme-anz")]));
    let stats = emu.stats();
    for region in ["ap-southeast-2", "eu-west-2", "us-east-1"] {
        let calls = |s: &Value| {
            s["calls_by_region"][region]["ListInstances"]
                .as_u64()
                .unwrap_or(0)
        };
        assert_eq!(calls(&stats) - calls(&before), 1, "{region}: {stats}");
    }

    // `.region default` goes back to the start-up default.
    let mut c = files.connectql(&emu);
    c.args(["--region", "eu-west-2"]);
    let (ok, _, text, stderr) = lines(
        c,
        &[
            ".region us-east-1,ap-southeast-2",
            ".region default",
            ".region",
        ],
    );
    assert!(ok, "{stderr}");
    assert_eq!(
        text,
        ["region: eu-west-2 (set with --region; every profile reads it)"]
    );
}

#[test]
fn bad_region_and_profile_names_are_refused_and_the_shell_goes_on() {
    let emu = Emulator::start(&["--demo-data", "--demo-accounts"]);
    let files = AwsFiles::with_prod_region("bad", "eu-west-2");
    // On the command line: nothing runs, exit 2, with the nearest name.
    let mut c = files.connectql(&emu);
    c.args(["--region", "us-east-1,eu-west2", "-e", INSTANCES]);
    let (ok, stdout, stderr) = run(c);
    assert!(!ok && stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("--region")
            && stderr.contains("'eu-west2' is not a region name (did you mean 'eu-west-2'?)"),
        "{stderr}"
    );
    // A well-formed name Connect is not known in is kept (new regions keep
    // working), with a note naming the nearest.
    let mut c = files.connectql(&emu);
    c.args(["--region", "us-east-1,eu-wset-2", "-e", ".region"]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    assert!(
        stdout.starts_with("region: us-east-1, eu-wset-2 (set with --region"),
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "note: Amazon Connect is not known to be offered in eu-wset-2; did you mean `eu-west-2`?"
        ),
        "{stderr}"
    );
    let mut c = files.connectql(&emu);
    c.args(["--profile", "demo-dev,demo-prdo", "-e", INSTANCES]);
    let (ok, stdout, stderr) = run(c);
    assert!(!ok && stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("demo-prdo")
            && stderr.contains("did you mean `demo-prod`?")
            && stderr.contains("broken, demo-dev, demo-prod"),
        "{stderr}"
    );
    assert_eq!(emu.calls("ListInstances"), 0);

    // In a script: each refusal is said, the setting stays, the next runs.
    let mut c = files.connectql(&emu);
    c.args(["--region", "us-east-1"]);
    let (ok, values, text, stderr) = lines(
        c,
        &[
            ".region us-east-1,nowhere",
            ".profile demo-qa",
            ".region",
            ".profile",
            INSTANCES,
        ],
    );
    assert!(!ok, "a refused line fails the batch");
    assert!(
        stderr.contains("'nowhere' is not a region name") && stderr.contains("demo-qa"),
        "{stderr}"
    );
    assert_eq!(
        text,
        [
            "region: us-east-1 (set with --region; every profile reads it)",
            "profile: the session's credentials (keys, not a profile's)",
        ]
    );
    assert_eq!(values.len(), 1, "the statement after the refusals ran");
}

#[test]
fn a_set_of_profiles_is_read_as_profile_in() {
    let emu = Emulator::start(&["--demo-data", "--demo-accounts"]);
    let files = AwsFiles::with_prod_region("profiles", "eu-west-2");
    let select = "SELECT profile, account_id, instance_alias FROM aws.connect.instances \
                  ORDER BY instance_alias";
    let explicit = "SELECT profile, account_id, instance_alias FROM aws.connect.instances \
                    WHERE profile IN ('demo-dev', 'demo-prod') ORDER BY instance_alias";
    let expected = json!([
        {"profile": "demo-dev", "account_id": DEMO_DEV_ACCOUNT, "instance_alias": "acme-sales"},
        {"profile": "demo-prod", "account_id": DEMO_PROD_ACCOUNT, "instance_alias": "acme-sales-prod"},
        {"profile": "demo-dev", "account_id": DEMO_DEV_ACCOUNT, "instance_alias": "acme-support"},
        {"profile": "demo-prod", "account_id": DEMO_PROD_ACCOUNT, "instance_alias": "acme-support-prod"},
    ]);
    // --profile with a list.
    let mut c = files.connectql(&emu);
    c.args(["--region", "us-east-1", "--profile", "demo-dev,demo-prod"]);
    let (ok, values, text, stderr) = lines(c, &[".profile", select, explicit]);
    assert!(ok, "{stderr}");
    assert_eq!(
        text,
        ["profile: demo-dev, demo-prod (set with --profile; a statement without a profile predicate reads each)"]
    );
    assert_eq!(values[0], expected);
    assert_eq!(values[1], expected);
    // One listing per account, the default's and the predicate's alike
    // (the second statement is answered from the cache).
    let stats = emu.stats();
    for account in [DEMO_DEV_ACCOUNT, DEMO_PROD_ACCOUNT] {
        assert_eq!(
            stats["calls_by_account"][account]["ListInstances"], 1,
            "{stats}"
        );
    }
    assert!(
        stats["calls_by_account"]["123456789012"].is_null(),
        "{stats}"
    );

    // .profile with a list; a statement's own predicate wins; reset.
    let mut c = files.connectql(&emu);
    c.args(["--region", "us-east-1"]);
    let (ok, values, text, stderr) = lines(
        c,
        &[
            ".profile demo-prod, demo-dev",
            select,
            "SELECT profile, instance_alias FROM aws.connect.instances \
             WHERE profile = 'demo-prod' ORDER BY instance_alias",
            ".profile reset",
            ".profile",
            "SELECT DISTINCT account_id FROM aws.connect.instances",
        ],
    );
    assert!(ok, "{stderr}");
    assert_eq!(values[0], expected);
    assert_eq!(
        values[1],
        json!([
            {"profile": "demo-prod", "instance_alias": "acme-sales-prod"},
            {"profile": "demo-prod", "instance_alias": "acme-support-prod"},
        ])
    );
    assert_eq!(
        text,
        ["profile: the session's credentials (keys, not a profile's)"]
    );
    // The session's credentials: the environment's keys' account.
    assert_eq!(values[2], json!([{"account_id": "123456789012"}]));
}

#[test]
fn regions_the_user_chose_apply_to_every_profile_the_configured_one_gives_way() {
    let emu = Emulator::start(&["--demo-data", "--demo-accounts"]);
    let files = AwsFiles::with_prod_region("rule", "eu-west-2");
    let select = "SELECT profile, region, instance_alias FROM aws.connect.instances \
                  ORDER BY profile, region, instance_alias";
    let rows = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{} {} {}",
                    r["profile"].as_str().unwrap(),
                    r["region"].as_str().unwrap(),
                    r["instance_alias"].as_str().unwrap()
                )
            })
            .collect()
    };
    let configured = [
        "demo-dev us-east-1 acme-sales",
        "demo-dev us-east-1 acme-support",
        "demo-prod eu-west-2 acme-uk-prod",
    ];
    let chosen = [
        "demo-dev us-east-1 acme-sales",
        "demo-dev us-east-1 acme-support",
        "demo-prod us-east-1 acme-sales-prod",
        "demo-prod us-east-1 acme-support-prod",
    ];
    // The session's region from the AWS configuration: each profile reads
    // its own (demo-prod: eu-west-2); `.region` makes it every profile's,
    // and `.region default` gives the configuration back.
    let mut c = files.connectql(&emu);
    c.env("AWS_REGION", "us-east-1");
    let (ok, values, text, stderr) = lines(
        c,
        &[
            ".profile demo-dev,demo-prod",
            ".region",
            select,
            ".region us-east-1",
            select,
            ".region default",
            select,
        ],
    );
    assert!(ok, "{stderr}");
    assert_eq!(
        text,
        ["region: us-east-1 (the configured default, from AWS_REGION; each profile reads its own region when it has one)"]
    );
    assert_eq!(rows(&values[0]), configured);
    assert_eq!(rows(&values[1]), chosen);
    assert_eq!(rows(&values[2]), configured);
    // --region is chosen too.
    let mut c = files.connectql(&emu);
    c.args(["--region", "us-east-1", "--profile", "demo-dev,demo-prod"]);
    let (ok, values, _, stderr) = lines(c, &[select]);
    assert!(ok, "{stderr}");
    assert_eq!(rows(&values[0]), chosen);
    // And a list of them: every profile reads each.
    let mut c = files.connectql(&emu);
    c.args([
        "--region",
        "us-east-1,eu-west-2",
        "--profile",
        "demo-dev,demo-prod",
    ]);
    let (ok, values, _, stderr) = lines(c, &[select]);
    assert!(ok, "{stderr}");
    assert_eq!(
        rows(&values[0]),
        [
            "demo-dev eu-west-2 acme-uk",
            "demo-dev us-east-1 acme-sales",
            "demo-dev us-east-1 acme-support",
            "demo-prod eu-west-2 acme-uk-prod",
            "demo-prod us-east-1 acme-sales-prod",
            "demo-prod us-east-1 acme-support-prod",
        ]
    );
}

#[test]
fn region_all_is_every_region_with_instances_found_once() {
    // Instances in two regions only; the endpoint answers every region.
    let emu = Emulator::start(&[]);
    for (region, prefix) in [("eu-west-2", "london"), ("ap-northeast-1", "tokyo")] {
        let answer = emu.post(
            "/_emulator/seed",
            json!({"region": region, "count": 1, "alias_prefix": prefix}),
        );
        assert_eq!(answer["created"], 1, "{answer}");
    }
    let files = AwsFiles::with_prod_region("all", "eu-west-2");
    let (ok, values, text, stderr) = lines(
        files.connectql(&emu),
        &[".region all", ".region", INSTANCES],
    );
    assert!(ok, "{stderr}");
    assert_eq!(
        text,
        [
            "region: ap-northeast-1, eu-west-2 (.region all: 2 regions with instances, found with 12 ListInstances calls over 12 listings)",
            "region: ap-northeast-1, eu-west-2 (all, set with .region all: the regions with instances; every profile reads them)",
        ]
    );
    assert_eq!(
        places(&values[0]),
        pairs(&[
            ("ap-northeast-1", "tokyo-0001"),
            ("eu-west-2", "london-0001")
        ])
    );
    // One listing per Connect region, and the statement reused them.
    let stats = emu.stats();
    assert_eq!(stats["calls"]["ListInstances"], 12, "{stats}");
    assert_eq!(stats["calls_by_region"].as_object().unwrap().len(), 12);

    // --region all waits for the first statement that needs it: one that
    // names its region does not; the listing it made is reused.
    let mut c = files.connectql(&emu);
    c.args(["--region", "all"]);
    let (ok, values, text, stderr) = lines(
        c,
        &[
            ".region",
            "SELECT region, instance_alias FROM aws.connect.instances WHERE region = 'eu-west-2'",
            INSTANCES,
        ],
    );
    assert!(ok, "{stderr}");
    assert!(
        text[0].starts_with("region: all (set with --region;"),
        "{text:?}"
    );
    assert_eq!(places(&values[0]), pairs(&[("eu-west-2", "london-0001")]));
    assert_eq!(
        places(&values[1]),
        pairs(&[
            ("ap-northeast-1", "tokyo-0001"),
            ("eu-west-2", "london-0001")
        ])
    );
    assert!(
        stderr.contains(
            "region: ap-northeast-1, eu-west-2 (--region all: 2 regions with instances, found with 11 ListInstances calls and 1 from the cache over 12 listings)"
        ),
        "{stderr}"
    );
    assert_eq!(emu.calls("ListInstances"), 24);

    // A region whose listing fails is said, and kept in the set.
    emu.post(
        "/_emulator/faults",
        json!({"deny": ["ListInstances"], "regions": ["ca-central-1"]}),
    );
    let (ok, _, text, stderr) = lines(files.connectql(&emu), &[".region all"]);
    assert!(ok, "{stderr}");
    assert!(
        text[0].starts_with(
            "region: ap-northeast-1, eu-west-2, ca-central-1 (.region all: 2 regions with instances"
        ),
        "{text:?}"
    );
    assert!(
        text.iter().any(|l| l.starts_with(
            "warning: listing the instances of ca-central-1 failed, so it stays in the set"
        ) && l.contains("AccessDenied")),
        "{text:?}"
    );
}

#[test]
fn region_all_lists_with_each_default_profile() {
    let emu = Emulator::start(&["--demo-data", "--demo-accounts"]);
    let files = AwsFiles::with_prod_region("all-profiles", "eu-west-2");
    let (ok, _, text, stderr) = lines(
        files.connectql(&emu),
        &[".profile demo-dev,demo-prod", ".region all"],
    );
    assert!(ok, "{stderr}");
    // Dev has acme-anz in ap-southeast-2, prod none: the union.
    assert!(
        text[0].starts_with(
            "region: us-east-1, ap-southeast-2, eu-west-2 (.region all: 3 regions with instances, \
             found with 24 ListInstances calls over 24 listings)"
        ),
        "{text:?}"
    );
    let stats = emu.stats();
    for account in [DEMO_DEV_ACCOUNT, DEMO_PROD_ACCOUNT] {
        assert_eq!(
            stats["calls_by_account"][account]["ListInstances"], 12,
            "{stats}"
        );
    }
}

#[test]
fn a_profile_on_the_command_line_beats_keys_in_the_environment() {
    let emu = Emulator::start(&["--demo-data", "--demo-accounts"]);
    let files = AwsFiles::with_prod_region("precedence", "eu-west-2");
    let mut c = files.connectql(&emu);
    // Keys of the dev account in the environment, as the AWS CLI would
    // ignore them for --profile.
    c.env("AWS_ACCESS_KEY_ID", DEMO_DEV_KEY)
        .env("AWS_SECRET_ACCESS_KEY", DEMO_SECRET_KEY)
        .args(["--region", "us-east-1", "--profile", "demo-prod"]);
    let (ok, values, text, stderr) = lines(
        c,
        &[
            ".profile",
            "SELECT profile, account_id, instance_alias FROM aws.connect.instances ORDER BY instance_alias",
        ],
    );
    assert!(ok, "{stderr}");
    assert_eq!(
        text,
        ["profile: the session's credentials (profile demo-prod)"]
    );
    assert_eq!(
        values[0],
        json!([
            {"profile": "demo-prod", "account_id": DEMO_PROD_ACCOUNT, "instance_alias": "acme-sales-prod"},
            {"profile": "demo-prod", "account_id": DEMO_PROD_ACCOUNT, "instance_alias": "acme-support-prod"},
        ])
    );
    let stats = emu.stats();
    let accounts: Vec<&String> = stats["calls_by_account"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(accounts, [DEMO_PROD_ACCOUNT], "{stats}");
}

#[test]
#[ignore = "AWS CLI cross-check: needs the aws CLI on PATH (run by .ci/run)"]
fn the_aws_cli_also_lets_profile_beat_keys_in_the_environment() {
    let emu = Emulator::start(&["--demo-data", "--demo-accounts"]);
    let files = AwsFiles::with_prod_region("cli-precedence", "eu-west-2");
    let out = common::clean_command("aws")
        .env("AWS_ACCESS_KEY_ID", DEMO_DEV_KEY)
        .env("AWS_SECRET_ACCESS_KEY", DEMO_SECRET_KEY)
        .env("AWS_CONFIG_FILE", files.dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", files.dir.join("credentials"))
        .args(["--profile", "demo-prod", "--endpoint-url", &emu.url])
        .args(["--region", "us-east-1", "--output", "json"])
        .args(["connect", "list-instances"])
        .output()
        .expect("the AWS CLI (pip install awscli) must be on PATH");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Value = serde_json::from_slice(&out.stdout).expect("aws json");
    let mut theirs: Vec<String> = cli["InstanceSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["Arn"].as_str().unwrap().to_string())
        .collect();
    theirs.sort();
    let mut c = files.connectql(&emu);
    c.env("AWS_ACCESS_KEY_ID", DEMO_DEV_KEY)
        .env("AWS_SECRET_ACCESS_KEY", DEMO_SECRET_KEY)
        .args(["--region", "us-east-1", "--profile", "demo-prod"]);
    let (ok, values, _, stderr) = lines(c, &["SELECT arn FROM aws.connect.instances ORDER BY arn"]);
    assert!(ok, "{stderr}");
    let ours: Vec<String> = values[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["arn"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ours, theirs);
    assert!(
        ours.iter().all(|a| a.contains(DEMO_PROD_ACCOUNT)),
        "{ours:?}"
    );
}

#[test]
fn an_insert_finds_a_pending_region_all_first() {
    // Instances in eu-west-2 only: `--region all` is that one region, where
    // an INSERT whose rows name none goes.
    let emu = Emulator::start(&[]);
    let answer = emu.post(
        "/_emulator/seed",
        json!({"region": "eu-west-2", "count": 1, "alias_prefix": "london"}),
    );
    assert_eq!(answer["created"], 1, "{answer}");
    let files = AwsFiles::with_prod_region("all-insert", "eu-west-2");
    let insert = "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes) \
                  VALUES ('CONNECT_MANAGED', 'london-new', '{\"InboundCalls\":true,\"OutboundCalls\":true}')";
    let mut c = files.connectql(&emu);
    c.args(["--region", "all"]);
    let (ok, _, _, stderr) = lines(c, &[insert]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("region: eu-west-2 (--region all: 1 region with instances"),
        "{stderr}"
    );
    let stats = emu.stats();
    assert_eq!(
        stats["calls_by_region"]["eu-west-2"]["CreateInstance"], 1,
        "{stats}"
    );

    // With instances in two regions the INSERT must still name its region.
    emu.post(
        "/_emulator/seed",
        json!({"region": "ap-northeast-1", "count": 1, "alias_prefix": "tokyo"}),
    );
    let mut c = files.connectql(&emu);
    c.args(["--region", "all"]);
    let (ok, _, _, stderr) = lines(c, &[&insert.replace("london-new", "nowhere")]);
    assert!(!ok);
    assert!(stderr.contains("add region to the column list"), "{stderr}");
    assert_eq!(emu.stats()["calls"]["CreateInstance"], 1, "created again");
}
