//! The interactive shell, driven through a pseudo-terminal like a user at a
//! keyboard: `connectql --demo` (an in-process local Connect endpoint with
//! sample instances; no AWS account or network), no colour, no AWS_*
//! variables. Every test waits for a prompt before typing, as a person
//! would: keys typed ahead while the editor is not reading are not the
//! same keys (a Ctrl-C typed ahead is a character, not a signal).

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::process::unix::{PtyStream, UnixProcess};
use expectrl::{Eof, Regex, Session, WaitStatus};

const PROMPT: &str = "connectql> ";
const CTRL_C: &str = "\x03";
const CTRL_D: &str = "\x04";
const CTRL_U: &str = "\x15";
const UP: &str = "\x1b[A";
const PASTE_OFF: &str = "\x1b[?2004l";

type Pty = Session<UnixProcess, PtyStream>;

struct Shell {
    pty: Pty,
    /// The demo endpoint, from the banner.
    endpoint: String,
}

fn spawn(history: &Path, data_home: &Path) -> Shell {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_connectql"));
    cmd.arg("--demo").arg("--history-file").arg(history);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("XDG_DATA_HOME", data_home)
        // No init file of the user's.
        .env("XDG_CONFIG_HOME", data_home)
        .env_remove("CONNECTQL_REGION");
    let mut pty = Session::spawn(cmd).expect("spawn connectql in a pty");
    pty.get_process_mut()
        .set_window_size(200, 50)
        .expect("window size");
    pty.set_expect_timeout(Some(Duration::from_secs(20)));
    let banner = pty
        .expect(Regex(r"http://127\.0\.0\.1:\d+"))
        .expect("the demo banner names its endpoint");
    let endpoint = String::from_utf8_lossy(banner.get(0).unwrap()).to_string();
    pty.expect(PROMPT).expect("first prompt");
    Shell { pty, endpoint }
}

impl Shell {
    fn send(&mut self, keys: &str) {
        self.pty.send(keys).expect("write to the pty");
    }

    fn expect(&mut self, what: &str) -> String {
        match self.pty.expect(what) {
            Ok(c) => String::from_utf8_lossy(c.before()).to_string(),
            Err(e) => panic!("waiting for {what:?}: {e}"),
        }
    }

    fn expect_re(&mut self, re: &str) -> String {
        match self.pty.expect(Regex(re)) {
            Ok(c) => String::from_utf8_lossy(c.get(0).unwrap()).to_string(),
            Err(e) => panic!("waiting for /{re}/: {e}"),
        }
    }

    /// Types a line, presses Enter and waits for the next main prompt;
    /// returns what was printed in between.
    fn run(&mut self, line: &str) -> String {
        self.send(line);
        self.send("\r");
        // The editor switches bracketed paste off when it hands the line over.
        self.expect(PASTE_OFF);
        self.expect(PROMPT)
    }

    /// Ctrl-C at a prompt, then the next (fresh) prompt: the interrupted
    /// editor hands over (bracketed paste off) before the new one prompts.
    fn interrupt(&mut self) {
        self.send(CTRL_C);
        self.expect(PASTE_OFF);
        self.expect(PROMPT);
    }

    fn set_latency(&self, ms: u64) {
        reqwest::blocking::Client::new()
            .post(format!("{}/_emulator/faults", self.endpoint))
            .json(&serde_json::json!({ "latency_ms": ms }))
            .send()
            .and_then(|r| r.error_for_status())
            .expect("set the emulator's latency");
    }

    /// Ctrl-D at an empty prompt; the shell must exit with status 0.
    fn exit(mut self) {
        self.send(CTRL_D);
        self.pty.expect(Eof).ok();
        let status = self.pty.get_process().wait().expect("wait for connectql");
        assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
    }
}

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("state").join("history");
    (dir, history)
}

#[test]
fn tab_completes_fields_and_resources() {
    let (dir, history) = temp();
    let mut sh = spawn(&history, dir.path());

    sh.send("SELECT instance_al");
    sh.send("\t");
    sh.expect("SELECT instance_alias");
    sh.interrupt();

    // Two resources share the prefix: the common part is completed and
    // both are listed.
    sh.send("SELECT * FROM aws.connect.ins\t");
    sh.expect_re(r"aws\.connect\.instance\s+aws\.connect\.instances");
    sh.send(CTRL_U);
    sh.interrupt();

    // Region names inside a string, meta-command arguments.
    sh.send("SELECT id FROM aws.connect.instances WHERE region = 'eu-w\t");
    sh.expect("'eu-west-2'");
    sh.interrupt();
    sh.send(".output j\t");
    sh.expect(".output json");
    sh.interrupt();
    sh.exit();
}

#[test]
fn queries_print_results_and_errors_do_not_end_the_shell() {
    let (dir, history) = temp();
    let mut sh = spawn(&history, dir.path());

    let out = sh.run("SELECT instance_alias FROM aws.connect.instances WHERE region = 'us-east-1' ORDER BY instance_alias;");
    assert!(
        out.contains("acme-sales") && out.contains("acme-support"),
        "{out}"
    );
    assert!(out.contains("(2 rows)"), "{out}");

    // A statement over several lines, with the continuation prompt.
    sh.send("SELECT instance_alias\r");
    sh.expect("      ...> ");
    let out = sh.run("FROM aws.connect.instances WHERE region = 'eu-west-2';");
    assert!(out.contains("acme-uk"), "{out}");

    // Ids seen by the listing above are offered for data__Identifier.
    sh.send("SELECT instance_status FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'acme-sa\t");
    sh.expect("'acme-sales'");
    let out = sh.run(";");
    assert!(out.contains("ACTIVE"), "{out}");

    // A syntax error shows the statement with a caret; the shell goes on.
    let out = sh.run("SELECT * FORM aws.connect.instances;");
    assert!(out.contains("error: syntax error"), "{out}");
    assert!(
        out.contains("  SELECT * FORM aws.connect.instances"),
        "{out}"
    );
    assert!(out.contains('^'), "{out}");

    let out = sh.run(".outptu json");
    assert!(out.contains("did you mean `.output`?"), "{out}");
    let out = sh.run(".output csv");
    assert!(out.contains("mode: csv"), "{out}");
    let out = sh.run(".timing on");
    assert!(out.contains("timing: on"), "{out}");
    let out = sh.run(
        "SELECT region, instance_alias FROM aws.connect.instances WHERE region = 'ap-southeast-2';",
    );
    assert!(out.contains("region,instance_alias"), "{out}");
    assert!(out.contains("ap-southeast-2,acme-anz"), "{out}");
    assert!(out.contains("API call"), "{out}");
    sh.exit();
}

#[test]
fn ctrl_c_cancels_a_slow_statement() {
    let (dir, history) = temp();
    let mut sh = spawn(&history, dir.path());
    sh.set_latency(3000);

    sh.send("SELECT * FROM aws.connect.instances WHERE region IN ('us-east-1','eu-west-2','ap-southeast-2');\r");
    // The spinner appears once the statement has run for a moment.
    sh.expect("running:");
    let pressed = Instant::now();
    sh.send(CTRL_C);
    sh.expect("cancelled");
    let took = pressed.elapsed();
    assert!(
        took < Duration::from_millis(1500),
        "cancelling took {took:?}"
    );
    sh.expect(PROMPT);

    // The shell is still usable.
    sh.set_latency(0);
    let out = sh.run("SELECT count(*) AS n FROM aws.connect.instances WHERE region = 'us-east-1';");
    assert!(out.contains("(1 row)"), "{out}");

    // Ctrl-C at the prompt clears the line, and an unfinished statement.
    sh.send("SELECT half of a");
    sh.interrupt();
    sh.send("SELECT id\r");
    sh.expect("...> ");
    // A meta-command on a continuation line runs; the statement stays open.
    sh.send(".readonly\r");
    sh.expect("readonly: off");
    sh.expect("...> ");
    sh.interrupt();
    let out = sh.run(".region");
    assert!(out.contains("region:"), "{out}");
    sh.exit();
}

#[test]
fn history_is_saved_private_and_recalled() {
    let (dir, history) = temp();
    let statement = "SELECT instance_alias FROM aws.connect.instances WHERE region = 'eu-west-2';";
    let mut sh = spawn(&history, dir.path());
    let out = sh.run(statement);
    assert!(out.contains("acme-uk"), "{out}");
    sh.run(statement);
    sh.send(".quit\r");
    sh.pty.expect(Eof).ok();
    let status = sh.pty.get_process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");

    let text = std::fs::read_to_string(&history).expect("history file");
    assert_eq!(
        text.matches(statement).count(),
        1,
        "consecutive duplicates are dropped: {text}"
    );
    assert!(
        !text.contains(".quit"),
        "the way out is not recalled: {text}"
    );
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&history).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "history file mode");
    }

    // A new shell brings the statement back with one Up arrow.
    let mut sh = spawn(&history, dir.path());
    sh.send(UP);
    sh.expect(statement);
    let out = sh.run("");
    assert!(out.contains("acme-uk"), "{out}");
    sh.exit();
}

/// Creates contact flows named `names` in acme-support through the SDK, as
/// any client of the endpoint could (a flow's name has no pattern in
/// Connect's model).
fn create_flows(endpoint: &str, names: &[&str]) {
    use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region};
    use aws_sdk_connect::types::ContactFlowType;
    let conf = aws_sdk_connect::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .endpoint_url(endpoint)
        .build();
    let c = aws_sdk_connect::Client::from_conf(conf);
    let content = r#"{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}"#;
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let instances = c.list_instances().send().await.unwrap();
        let instance = instances
            .instance_summary_list()
            .iter()
            .find(|i| i.instance_alias() == Some("acme-support"))
            .and_then(|i| i.id())
            .unwrap()
            .to_string();
        for name in names {
            c.create_contact_flow()
                .instance_id(&instance)
                .name(*name)
                .r#type(ContactFlowType::ContactFlow)
                .content(content)
                .send()
                .await
                .expect("the endpoint accepts the flow");
        }
    });
}

/// Names the session has seen are listed escaped; what Tab inserts stops
/// before the first unsafe character (src/repl/helper.rs explains why).
#[test]
fn completion_lists_seen_names_escaped() {
    let (dir, history) = temp();
    let mut sh = spawn(&history, dir.path());
    create_flows(
        &sh.endpoint.clone(),
        &[
            "zztitle\u{1b}]0;pwned\u{7}",
            "zzseparated\u{2028}line\u{200b}",
        ],
    );
    let out = sh.run("SELECT name FROM aws.connect.contact_flows WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support' AND name LIKE 'zz%';");
    assert!(out.contains("(2 rows)"), "{out}");
    let raw = ["\u{1b}]0;", "\u{2028}", "\u{200b}"];
    let typed = "SELECT content FROM aws.connect.contact_flows WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support' AND name = 'zz";

    // Two candidates: the second Tab lists them, escaped.
    sh.send(typed);
    sh.send("\t\t");
    let listing =
        sh.expect_re(r"zzseparated\\u\{2028\}line\\u\{200b\}\s+zztitle\\u\{1b\}\]0;pwned\\u\{7\}");
    // The line is drawn again under the listing.
    let redrawn = sh.expect("name = 'zz");
    for bad in raw {
        assert!(!listing.contains(bad), "{bad:?} in {listing:?}");
        assert!(!redrawn.contains(bad), "{bad:?} in {redrawn:?}");
    }
    sh.send(CTRL_U);
    sh.interrupt();

    // One candidate: its beginning is inserted, nothing raw, no quote;
    // the history file shows what the line held.
    sh.send(typed);
    sh.send("t\t");
    let line = sh.expect("'zztitle");
    let out = sh.run("';");
    assert!(out.contains("(0 rows)"), "{out}");
    for bad in raw {
        assert!(!line.contains(bad) && !out.contains(bad), "{bad:?}");
    }
    let saved = std::fs::read_to_string(&history).expect("history file");
    assert!(saved.contains("AND name = 'zztitle';"), "{saved:?}");
    sh.exit();
}

/// Ctrl-C during a change's writes stops sending, lets the calls in flight
/// finish and reports every item: applied or not sent. The shell goes on,
/// and running the statement again makes only the calls still needed.
#[test]
fn ctrl_c_stops_a_change_and_reports_every_item() {
    let (dir, history) = temp();
    let mut sh = spawn(&history, dir.path());
    // Writes at Connect's rate: 2 per second after a burst of 5.
    reqwest::blocking::Client::new()
        .post(format!("{}/_emulator/faults", sh.endpoint))
        .json(&serde_json::json!({ "throttle": true }))
        .send()
        .and_then(|r| r.error_for_status())
        .expect("throttle the endpoint");
    let change = "UPDATE aws.connect.users SET hierarchy_group_arn = NULL \
                  WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support' \
                  AND hierarchy_group_arn IS NOT NULL;";
    sh.send(&format!("{change}\r"));
    sh.expect("Go ahead?");
    sh.send("y\r");
    sh.expect("running:");
    std::thread::sleep(Duration::from_millis(1500));
    sh.send(CTRL_C);
    sh.expect("stopping: no new calls");
    let out = sh.expect(PROMPT);
    assert!(out.contains("applied"), "{out}");
    assert!(out.contains("not sent"), "{out}");
    assert!(out.contains("Running the statement again"), "{out}");
    // The rest, on a second run (no longer throttled, so it is quick).
    reqwest::blocking::Client::new()
        .post(format!("{}/_emulator/faults", sh.endpoint))
        .json(&serde_json::json!({ "throttle": false }))
        .send()
        .and_then(|r| r.error_for_status())
        .expect("stop throttling");
    sh.send(&format!("{change}\r"));
    let out = sh.expect_re(r"Go ahead\?|nothing to change");
    if out.contains("Go ahead") {
        sh.send("y\r");
    }
    sh.expect(PROMPT);
    let out = sh.run(
        "SELECT count(*) AS n FROM aws.connect.users WHERE region = 'us-east-1' \
         AND data__InstanceId = 'acme-support' AND hierarchy_group_arn IS NOT NULL;",
    );
    assert!(out.contains(" 0"), "{out}");
    sh.exit();
}

/// Ctrl-C during a copy stops it between waves too: the calls made are
/// reported, the rest said not sent, and the copy run again finishes.
#[test]
fn ctrl_c_stops_a_copy_and_running_it_again_finishes() {
    let (dir, history) = temp();
    let mut sh = spawn(&history, dir.path());
    let out = sh.run(
        "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) \
         SELECT 'SAML', 'acme-copy', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'us-east-1';",
    );
    assert!(out.contains("applied"), "{out}");
    sh.run("INSERT INTO aws.connect.copy_mappings VALUES ('s3_uri', 's3://acme/audio.wav');");
    let copy = "UPDATE aws.connect.instance_differences SET target_value = source_value \
                WHERE data__SourceInstanceId = 'acme-support' AND data__TargetInstanceId = 'acme-copy' \
                AND resource_type IN ('hours_of_operation', 'queue');";
    sh.send(&format!("{copy}\r"));
    sh.expect("Go ahead?");
    // Every call takes 1.5 s from here: the first wave is in flight.
    sh.set_latency(1500);
    sh.send("y\r");
    std::thread::sleep(Duration::from_millis(1000));
    sh.send(CTRL_C);
    sh.expect("stopping: no new calls");
    let out = sh.expect(PROMPT);
    assert!(out.contains("applied"), "{out}");
    assert!(out.contains("not sent"), "{out}");
    assert!(out.contains("Running the copy again"), "{out}");
    sh.set_latency(0);
    sh.send(&format!("{copy}\r"));
    let out = sh.expect_re(r"Go ahead\?|nothing to copy");
    if out.contains("Go ahead") {
        sh.send("y\r");
    }
    sh.expect(PROMPT);
    let out = sh.run(copy);
    assert!(out.contains("nothing to copy"), "{out}");
    sh.exit();
}
