//! A corpus of malformed and hostile statements: each gets a clear error or
//! a correct answer, nothing panics, the process keeps running, and no
//! identifier that fails the Connect patterns reaches the wire.

mod common;

use std::io::Write;
use std::process::Stdio;

use connectql::emulator::{self, EmulatorArgs};
use connectql::executor::ConnectionOptions;
use connectql::session::{Session, SessionOptions};

/// At least 240 (README says so) statements, hand-written and generated.
fn corpus() -> Vec<String> {
    let mut c: Vec<String> = [
        "",
        ";",
        ";;;",
        "   ",
        "-- only a comment",
        "/* unterminated comment",
        "SELECT 'unterminated",
        "SELECT \"unterminated",
        "SELECT * FROM",
        "SELECT * FROM aws.connect.instance WHERE",
        "SELECT FROM WHERE",
        "SELEC * FROM aws.connect.instances",
        "DROP TABLE aws.connect.instances",
        "CREATE TABLE x (a int)",
        "ATTACH DATABASE '/etc/passwd' AS p",
        "PRAGMA writable_schema = 1",
        "SELECT * FROM aws.connect.instances WHERE region = 'us-east-1'; DROP TABLE x",
        "SELECT load_extension('/tmp/evil.so')",
        "SELECT readfile('/etc/passwd')",
        "SELECT * FROM sqlite_master",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'x'' OR 1=1 --' AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = '../../instance' AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = '%2e%2e%2f' AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'a/b' AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'arn:aws:connect:us-east-1:123456789012:instance/../../x' AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'instance?x=1' AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'a#frag' AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = ' ' AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = '\u{0}' AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = '\u{1b}[2J' AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'ñandú' AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = '😀' AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'acme-support' AND region = '../../etc'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'acme-support' AND region = 'us-east-1.evil.com'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'acme-support' AND region = 'US-EAST-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'acme-support' AND region = ''",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'acme-support' AND region = 1",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 99999999999999999999999999999 AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = NULL AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier IN () AND region = 'us-east-1'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier = 'a' OR 1=1",
        "SELECT * FROM aws.connect.instance WHERE NOT data__Identifier = 'a'",
        "SELECT * FROM aws.connect.instance WHERE data__Identifier LIKE '%'",
        "SELECT data__Identifier FROM aws.connect.instance WHERE data__Identifier = 'acme-support' AND region = 'us-east-1'",
        "SELECT 99999999999999999999999999999999999999999",
        "SELECT 1e999999",
        "SELECT -9223372036854775809",
        "SELECT * FROM aws.connect.instances WHERE region = 'us-east-1' LIMIT 99999999999999999999999",
        "SELECT * FROM aws.connect.instances WHERE region = 'us-east-1' LIMIT -1",
        "SELECT * FROM aws.connect.instances WHERE region = 'us-east-1' ORDER BY 99",
        "SELECT nosuchfn(id) FROM aws.connect.instances WHERE region = 'us-east-1'",
        "SELECT json_extract(attributes, '$[') FROM aws.connect.instances WHERE region = 'us-east-1'",
        "SELECT * FROM aws.connect.nothing",
        "SELECT * FROM aws.ec2.instances",
        "SELECT * FROM \"aws.connect.instances\"",
        "SELECT * FROM aws.connect.instances AS \"a\"\"b\" WHERE region = 'us-east-1'",
        "SELECT \"\" FROM aws.connect.instances WHERE region = 'us-east-1'",
        "SELECT `id` FROM aws.connect.instances WHERE region = 'us-east-1'",
        "SELECT [id] FROM aws.connect.instances WHERE region = 'us-east-1'",
        "SELECT * FROM aws.connect.instances WHERE region = 'us-east-1' AND region = 'eu-west-2'",
        "SELECT * FROM aws.connect.instances WHERE region IN ('us-east-1', 'nowhere-1')",
        "UPDATE aws.connect.instance SET data__PatchDocument = '' WHERE data__Identifier = 'acme-support'",
        "UPDATE aws.connect.instance SET data__PatchDocument = '[' WHERE data__Identifier = 'acme-support'",
        "UPDATE aws.connect.instance SET data__PatchDocument = 42 WHERE data__Identifier = 'acme-support'",
        "UPDATE aws.connect.instance SET instance_alias = 'x' WHERE data__Identifier = 'acme-support'",
        "UPDATE aws.connect.instances SET data__PatchDocument = '[]' WHERE data__Identifier = 'acme-support'",
        "UPDATE aws.connect.instance SET data__PatchDocument = '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":{\"deep\":[[[[[]]]]]}}]' WHERE data__Identifier = 'acme-support'",
        "INSERT INTO aws.connect.instances VALUES (1)",
        "INSERT INTO aws.connect.instances (IdentityManagementType) VALUES ()",
        "INSERT INTO aws.connect.instance (IdentityManagementType, Attributes, region) VALUES ('SAML', '{}', 'us-east-1')",
        "INSERT INTO aws.connect.instances (Foo) VALUES ('x')",
        "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) VALUES ('CONNECT_MANAGED', 'x', 'not json', 'us-east-1')",
        "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, Tags, region) VALUES ('CONNECT_MANAGED', 'x', '{\"InboundCalls\":true,\"OutboundCalls\":true}', '[{\"Key\":\"aws:x\",\"Value\":\"y\"}]', 'us-east-1')",
        "DELETE FROM aws.connect.instances",
        "DELETE FROM aws.connect.instances WHERE 1=1",
        "DELETE FROM aws.connect.instances WHERE data__Identifier = '*'",
        "SHOW",
        "SHOW TABLES",
        "SHOW METHODS IN aws.connect.nothing",
        "DESCRIBE",
        "DESCRIBE aws.connect.nothing",
        "DESCRIBE EXTENDED",
        "EXPLAIN",
        "EXPLAIN EXPLAIN SELECT 1",
        "EXPLAIN DROP TABLE x",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r) SELECT n FROM r LIMIT 5",
        "SELECT zeroblob(1000000000)",
        "SELECT randomblob(-1)",
        "SELECT printf('%.*c', 2147483647, 'x')",
        "SELECT replace(hex(zeroblob(10000000)), '0', 'x')",
        "\u{feff}SELECT 1",
        "SELECT '\u{202e}gnp.exe'",
        "SELECT 1 -- trailing comment",
        "SELECT 1 /* */ + /* */ 1",
        "\\q extra args",
        "SELECT * FROM aws.connect.instances i JOIN aws.connect.instances j ON i.id = j.id WHERE i.region = 'us-east-1' AND j.region = 'us-east-1' AND k.region = 'x'",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();

    // Nesting, repetition and size.
    c.push(format!(
        "SELECT {}1{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    ));
    c.push(format!("SELECT {}", "-".repeat(100_000)));
    c.push(format!("SELECT {}", vec!["1"; 50_000].join(" + ")));
    c.push(format!("SELECT '{}'", "x".repeat(1_000_000)));
    c.push(format!(
        "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = '{}'",
        "a".repeat(1_000_000)
    ));
    c.push(format!(
        "SELECT * FROM aws.connect.instances WHERE region IN ({})",
        vec!["'us-east-1'"; 5_000].join(",")
    ));
    c.push(format!(
        "SELECT * FROM aws.connect.instances WHERE region = 'us-east-1' AND {}",
        vec!["id = 'x'"; 5_000].join(" OR ")
    ));
    c.push("SELECT 1;".repeat(1000));

    // Hostile identifier values through every way of naming an instance.
    let values = [
        "x' OR '1'='1",
        "'; DROP TABLE instances; --",
        "../../../../etc/passwd",
        "..%2F..%2Finstance",
        "%00",
        "\\u0000",
        "arn:aws:connect:us-east-1:123:instance/x",
        "arn:aws:connect:us-east-1:123456789012:agent/x",
        "d-1234567890",
        "-leading-hyphen",
        "trailing-hyphen-",
        "has space",
        "tab\there",
        "new\nline",
        "semi;colon",
        "quote\"d",
        "{{template}}",
        "${jndi:ldap://x}",
        "<script>alert(1)</script>",
        "ÅÄÖ",
    ];
    for v in values {
        let quoted = v.replace('\'', "''");
        for template in [
            "SELECT id FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = '{}'",
            "SELECT id FROM aws.connect.instance WHERE region = 'us-east-1' AND Identifier IN ('acme-support', '{}')",
            "SELECT id FROM aws.connect.instances WHERE region = 'us-east-1' AND data__Identifier = '{}'",
            "UPDATE aws.connect.instance SET data__PatchDocument = '[{{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}}]' WHERE region = 'us-east-1' AND data__Identifier = '{}'",
            "DELETE FROM aws.connect.instances WHERE region = 'us-east-1' AND data__Identifier = '{}'",
            "SELECT id FROM aws.connect.instances WHERE region = '{}'",
        ] {
            c.push(template.replace("{}", &quoted));
        }
    }
    // Control characters and odd unicode in every position.
    for ch in [
        '\u{0}',
        '\u{7}',
        '\u{8}',
        '\u{1b}',
        '\u{7f}',
        '\u{200b}',
        '\u{fffd}',
        '\u{10ffff}',
    ] {
        c.push(format!("SELECT{ch} 1"));
        c.push(format!("SELECT '{ch}'"));
        c.push(format!(
            "SELECT * FROM aws.connect.instances{ch} WHERE region = 'us-east-1'"
        ));
    }
    c
}

/// In-process: every statement of the corpus through one session against
/// the local endpoint. Nothing panics, every error has words, and the
/// session still answers afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corpus_gets_clear_errors_or_answers() {
    let emu = emulator::start(EmulatorArgs {
        demo_data: true,
        ..EmulatorArgs::default()
    })
    .await
    .unwrap();
    let mut session = Session::new(SessionOptions {
        connection: ConnectionOptions {
            region: Some("us-east-1".into()),
            endpoint_url: Some(emu.url()),
            static_credentials: Some(("test".into(), "test".into())),
            max_attempts: Some(1),
            ..ConnectionOptions::default()
        },
        read_only: false,
        assume_yes: false,
        ..SessionOptions::default()
    })
    .unwrap();
    let corpus = corpus();
    assert!(
        corpus.len() >= 240,
        "corpus has {} statements",
        corpus.len()
    );
    for stmt in &corpus {
        let before = reqwest::get(format!("{}/_emulator/stats", emu.url()))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        match session.execute(stmt).await {
            Ok(_) => {}
            Err(e) => {
                let msg = e.to_string();
                assert!(msg.len() > 8, "vague error for {:?}: {msg:?}", short(stmt));
                assert!(msg.len() < 20_000, "huge error for {:?}", short(stmt));
            }
        }
        // No DELETE ever went out (batch without --yes), and no hostile
        // identifier became a DescribeInstance call.
        let after: serde_json::Value = reqwest::get(format!("{}/_emulator/stats", emu.url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            after["calls"].get("DeleteInstance").is_none(),
            "{:?} deleted",
            short(stmt)
        );
        let before: serde_json::Value = serde_json::from_str(&before).unwrap();
        if stmt.contains("data__Identifier = '") && !stmt.contains("acme-support") {
            assert_eq!(
                before["calls"].get("DescribeInstance"),
                after["calls"].get("DescribeInstance"),
                "{:?} reached DescribeInstance",
                short(stmt)
            );
        }
    }
    let ok = session
        .execute("SELECT instance_alias FROM aws.connect.instance WHERE data__Identifier = 'acme-support'")
        .await
        .unwrap();
    assert_eq!(ok.result.unwrap().rows.len(), 1);
    emu.shutdown().await;
}

fn short(s: &str) -> String {
    s.chars().take(120).collect()
}

/// The real binary reads the corpus on stdin: it reports an error per bad
/// statement, keeps going to the end, and exits 1 (not a crash).
#[test]
fn the_process_keeps_running_through_the_corpus() {
    let emu = common::Emulator::start(&["--demo-data"]);
    let mut c = emu.connectql();
    c.args(["--region", "us-east-1", "--max-attempts", "1", "-o", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut script = String::new();
    for s in corpus()
        .iter()
        .filter(|s| !s.contains('\u{0}') && s.len() < 200_000)
    {
        script.push_str(s);
        script.push_str(";\n");
    }
    script.push_str("SELECT 'still alive' AS status;\n");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(script.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", short(&stderr));
    assert!(
        stdout.contains("still alive"),
        "the last statement did not run"
    );
    assert!(!stderr.contains("panicked"), "{}", short(&stderr));
    assert!(stderr.matches("error:").count() > 100);
}

/// What must be refused is refused, with an error saying so, not merely
/// answered with some text: statements other than the ones connectql runs,
/// extension loading, and SQLite's file functions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dangerous_statements_are_refused() {
    // None of these may make a call: no endpoint is needed.
    let mut session = Session::new(SessionOptions::default()).unwrap();
    let cases = [
        ("ATTACH DATABASE '/etc/passwd' AS p", "`ATTACH` statements"),
        ("attach '/tmp/x.db' as x", "`ATTACH` statements"),
        ("PRAGMA writable_schema = 1", "`PRAGMA` statements"),
        ("PRAGMA journal_mode", "`PRAGMA` statements"),
        ("CREATE TABLE t(x)", "`CREATE` statements"),
        ("DROP TABLE aws", "not supported"),
        ("SELECT load_extension('/tmp/evil.so')", "not authorized"),
        (
            "SELECT x FROM (SELECT load_extension('x') AS x)",
            "not authorized",
        ),
        (
            "SELECT readfile('/etc/passwd')",
            "no such function: readfile",
        ),
        (
            "SELECT writefile('/tmp/connectql-x', 'y')",
            "no such function: writefile",
        ),
        ("SELECT edit('x')", "no such function: edit"),
        ("VACUUM INTO '/tmp/connectql-x.db'", "syntax error"),
        ("DETACH DATABASE main", "syntax error"),
    ];
    for (sql, expected) in cases {
        match session.execute(sql).await {
            Ok(o) => panic!("{sql} was answered: {:?}", o.result.map(|r| r.rows)),
            Err(e) => assert!(e.to_string().contains(expected), "{sql}: {e}"),
        }
    }
    assert!(!std::path::Path::new("/tmp/connectql-x").exists());
    assert!(!std::path::Path::new("/tmp/connectql-x.db").exists());
}
