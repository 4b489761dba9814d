//! A corpus of malformed and hostile statements: each gets a clear error or
//! a correct answer, nothing panics, the process keeps running, and no
//! identifier that fails the Connect patterns reaches the wire.

mod common;

use std::io::Write;
use std::process::Stdio;

use serde_json::{json, Value as Json};

use connectql::executor::ConnectionOptions;
use connectql::session::{Session, SessionOptions};
use connectql_emulator::{self as emulator, EmulatorArgs};

/// What a statement of the corpus must give.
#[derive(Debug, Clone)]
enum Expect {
    /// An answer of this many rows.
    Rows(usize),
    /// One row of one value.
    Value(serde_json::Value),
    /// An error whose message contains this.
    Fails(&'static str),
}
use Expect::*;

const NOT_AN_INSTANCE: &str = "is not an instance ARN, id or alias";
const NOT_A_REGION: &str = "is not a region name";
const TOO_DEEP: &str = "nests deeper than 256 levels";

/// At least 240 (README says so) statements, hand-written and generated,
/// each with what it must give. A `region` predicate is evaluated by SQLite
/// over the rows read (README, "What a statement reads"): a value that is no
/// region reads nothing and answers no rows; no call carries it.
fn corpus() -> Vec<(String, Expect)> {
    let mut c: Vec<(String, Expect)> = [
        ("", Fails("empty statement")),
        (";", Fails("empty statement")),
        (";;;", Fails("empty statement")),
        ("   ", Fails("empty statement")),
        ("-- only a comment", Fails("empty statement")),
        ("/* unterminated comment", Fails("Unexpected EOF while in a multi-line comment")),
        ("SELECT 'unterminated", Fails("Unterminated string literal")),
        ("SELECT \"unterminated", Fails("Expected close delimiter")),
        ("SELECT * FROM", Fails("Expected: identifier, found: EOF")),
        ("SELECT * FROM aws.connect.instance WHERE", Fails("Expected: an expression, found: EOF")),
        ("SELECT FROM WHERE", Fails("Expected an expression, found: FROM")),
        ("SELEC * FROM aws.connect.instances", Fails("Expected: an SQL statement, found: SELEC")),
        ("DROP TABLE aws.connect.instances", Fails("`DROP` statements")),
        ("CREATE TABLE x (a int)", Fails("`CREATE` statements")),
        ("ATTACH DATABASE '/etc/passwd' AS p", Fails("`ATTACH` statements")),
        ("PRAGMA writable_schema = 1", Fails("`PRAGMA` statements")),
        ("SELECT * FROM aws.connect.instances WHERE region = 'us-east-1'; DROP TABLE x", Fails("2 statements in one")),
        ("SELECT load_extension('/tmp/evil.so')", Fails("not authorized: the function load_extension")),
        ("SELECT readfile('/etc/passwd')", Fails("no such function: readfile")),
        ("SELECT * FROM sqlite_master", Fails("not authorized: reading sqlite_master")),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'x'' OR 1=1 --' AND region = 'us-east-1'", Fails(NOT_AN_INSTANCE)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = '../../instance' AND region = 'us-east-1'", Fails(NOT_AN_INSTANCE)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = '%2e%2e%2f' AND region = 'us-east-1'", Fails(NOT_AN_INSTANCE)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'a/b' AND region = 'us-east-1'", Fails(NOT_AN_INSTANCE)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'arn:aws:connect:us-east-1:123456789012:instance/../../x' AND region = 'us-east-1'", Fails(NOT_AN_INSTANCE)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'instance?x=1' AND region = 'us-east-1'", Fails(NOT_AN_INSTANCE)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'a#frag' AND region = 'us-east-1'", Fails(NOT_AN_INSTANCE)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = ' ' AND region = 'us-east-1'", Fails(NOT_AN_INSTANCE)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = '\u{0}' AND region = 'us-east-1'", Fails(NOT_AN_INSTANCE)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = '\u{1b}[2J' AND region = 'us-east-1'", Fails(NOT_AN_INSTANCE)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'ñandú' AND region = 'us-east-1'", Fails(NOT_AN_INSTANCE)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = '😀' AND region = 'us-east-1'", Fails(NOT_AN_INSTANCE)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'acme-support' AND region = '../../etc'", Fails(NOT_A_REGION)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'acme-support' AND region = 'us-east-1.evil.com'", Fails(NOT_A_REGION)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'acme-support' AND region = 'US-EAST-1'", Fails(NOT_A_REGION)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'acme-support' AND region = ''", Fails(NOT_A_REGION)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'acme-support' AND region = 1", Rows(0)),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 99999999999999999999999999999 AND region = 'us-east-1'", Fails("compare it with a quoted string")),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = NULL AND region = 'us-east-1'", Fails("compare it with a quoted string")),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier IN () AND region = 'us-east-1'", Fails("every value in the IN list must be a quoted string")),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'a' OR 1=1", Fails("`data__Identifier` is a param, not a column")),
        ("SELECT * FROM aws.connect.instance WHERE NOT data__Identifier = 'a'", Fails("`data__Identifier` is a param, not a column")),
        ("SELECT * FROM aws.connect.instance WHERE data__Identifier LIKE '%'", Fails("`data__Identifier` is a param, not a column")),
        ("SELECT data__Identifier FROM aws.connect.instance WHERE data__Identifier = 'acme-support' AND region = 'us-east-1'", Fails("it is a param, not a column")),
        ("SELECT 99999999999999999999999999999999999999999", Value(json!(1e41))),
        ("SELECT 1e999999", Value(Json::Null)),
        ("SELECT -9223372036854775809", Value(json!(-9.223372036854776e18))),
        ("SELECT * FROM aws.connect.instances WHERE region = 'us-east-1' LIMIT 99999999999999999999999", Fails("datatype mismatch")),
        ("SELECT * FROM aws.connect.instances WHERE region = 'us-east-1' LIMIT -1", Rows(2)),
        ("SELECT * FROM aws.connect.instances WHERE region = 'us-east-1' ORDER BY 99", Fails("ORDER BY term out of range")),
        ("SELECT nosuchfn(id) FROM aws.connect.instances WHERE region = 'us-east-1'", Fails("no such function: nosuchfn")),
        ("SELECT json_extract(attributes, '$[') FROM aws.connect.instances WHERE region = 'us-east-1'", Rows(2)),
        ("SELECT * FROM aws.connect.nothing", Fails("unknown resource `aws.connect.nothing`")),
        ("SELECT * FROM aws.ec2.instances", Fails("unknown resource `aws.ec2.instances`")),
        ("SELECT * FROM \"aws.connect.instances\"", Rows(2)),
        ("SELECT * FROM aws.connect.instances AS \"a\"\"b\" WHERE region = 'us-east-1'", Rows(2)),
        ("SELECT \"\" FROM aws.connect.instances WHERE region = 'us-east-1'", Fails("unknown field `\"\"`")),
        ("SELECT `id` FROM aws.connect.instances WHERE region = 'us-east-1'", Rows(2)),
        ("SELECT [id] FROM aws.connect.instances WHERE region = 'us-east-1'", Rows(2)),
        ("SELECT * FROM aws.connect.instances WHERE region = 'us-east-1' AND region = 'eu-west-2'", Rows(0)),
        ("SELECT * FROM aws.connect.instances WHERE region IN ('us-east-1', 'nowhere-1')", Fails(NOT_A_REGION)),
        ("UPDATE aws.connect.instance SET data__PatchDocument = '' WHERE data__Identifier = 'acme-support'", Fails("not valid JSON")),
        ("UPDATE aws.connect.instance SET data__PatchDocument = '[' WHERE data__Identifier = 'acme-support'", Fails("not valid JSON")),
        ("UPDATE aws.connect.instance SET data__PatchDocument = 42 WHERE data__Identifier = 'acme-support'", Fails("give the patch as a quoted string")),
        ("UPDATE aws.connect.instance SET instance_alias = 'x' WHERE data__Identifier = 'acme-support'", Fails("instance_alias cannot be changed: it is set only when the item is created")),
        ("UPDATE aws.connect.instances SET data__PatchDocument = '[]' WHERE data__Identifier = 'acme-support'", Fails("UPDATE works with aws.connect.instance")),
        ("UPDATE aws.connect.instance SET data__PatchDocument = '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":{\"deep\":[[[[[]]]]]}}]' WHERE data__Identifier = 'acme-support'", Fails("ContactLens must be true or false")),
        ("INSERT INTO aws.connect.instances VALUES (1)", Fails("name the create properties")),
        ("INSERT INTO aws.connect.instances (IdentityManagementType) VALUES ()", Fails("Expected: an expression, found: )")),
        ("INSERT INTO aws.connect.instance (IdentityManagementType, Attributes, region) VALUES ('SAML', '{}', 'us-east-1')", Fails("INSERT works with aws.connect.instances")),
        ("INSERT INTO aws.connect.instances (Foo) VALUES ('x')", Fails("unknown field `Foo`")),
        ("INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) VALUES ('CONNECT_MANAGED', 'x', 'not json', 'us-east-1')", Fails("invalid `attributes`: expects a JSON object")),
        ("INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, Tags, region) VALUES ('CONNECT_MANAGED', 'x', '{\"InboundCalls\":true,\"OutboundCalls\":true}', '[{\"Key\":\"aws:x\",\"Value\":\"y\"}]', 'us-east-1')", Fails("may not start with aws:")),
        ("DELETE FROM aws.connect.instances", Fails("DELETE of aws.connect.instances without WHERE")),
        ("DELETE FROM aws.connect.instances WHERE 1=1", Fails("missing required param `data__Identifier` for delete_resource")),
        ("DELETE FROM aws.connect.instances WHERE data__Identifier = '*'", Fails(NOT_AN_INSTANCE)),
        ("SHOW", Fails("SHOW takes SERVICES")),
        ("SHOW TABLES", Fails("SHOW takes SERVICES")),
        ("SHOW METHODS IN aws.connect.nothing", Fails("unknown resource `aws.connect.nothing`")),
        ("DESCRIBE", Fails("DESCRIBE [EXTENDED] aws.connect.instance")),
        ("DESCRIBE aws.connect.nothing", Fails("unknown resource `aws.connect.nothing`")),
        ("DESCRIBE EXTENDED", Fails("unknown resource `EXTENDED`")),
        ("EXPLAIN", Fails("Expected: identifier, found: EOF")),
        ("EXPLAIN EXPLAIN SELECT 1", Fails("Explain must be root of the plan")),
        ("EXPLAIN DROP TABLE x", Fails("EXPLAIN of `DROP` statements")),
        ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r) SELECT n FROM r LIMIT 5", Rows(5)),
        ("SELECT zeroblob(1000000000)", Fails("string or blob too big")),
        ("SELECT randomblob(-1)", Rows(1)),
        ("SELECT printf('%.*c', 2147483647, 'x')", Value(Json::Null)),
        ("SELECT replace(hex(zeroblob(10000000)), '0', 'x')", Fails("string or blob too big")),
        ("\u{feff}SELECT 1", Fails("Expected: an SQL statement")),
        ("SELECT '\u{202e}gnp.exe'", Value(json!("\u{202e}gnp.exe"))),
        ("SELECT 1 -- trailing comment", Value(json!(1))),
        ("SELECT 1 /* */ + /* */ 1", Value(json!(2))),
        ("\\q extra args", Fails("meta-command `\\q` outside the shell")),
        ("SELECT * FROM aws.connect.instances i JOIN aws.connect.instances j ON i.id = j.id WHERE i.region = 'us-east-1' AND j.region = 'us-east-1' AND k.region = 'x'", Fails("unknown field `k.region`")),
    ]
    .into_iter()
    .map(|(s, e)| (s.to_string(), e))
    .collect();

    // Nesting, repetition and size.
    c.push((
        format!("SELECT {}1{}", "(".repeat(10_000), ")".repeat(10_000)),
        Fails(TOO_DEEP),
    ));
    c.push((
        format!("SELECT {}", "-".repeat(100_000)),
        Fails("Expected: an expression, found: EOF"),
    ));
    c.push((
        format!("SELECT {}", vec!["1"; 50_000].join(" + ")),
        Fails("a statement of 100000 tokens; the limit is 50000"),
    ));
    let long = "x".repeat(1_000_000);
    c.push((format!("SELECT '{long}'"), Value(json!(long))));
    c.push((
        format!(
            "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = '{}'",
            "a".repeat(1_000_000)
        ),
        Fails(NOT_AN_INSTANCE),
    ));
    c.push((
        format!(
            "SELECT * FROM aws.connect.instances WHERE region IN ({})",
            vec!["'us-east-1'"; 5_000].join(",")
        ),
        Rows(2),
    ));
    c.push((
        format!(
            "SELECT * FROM aws.connect.instances WHERE region = 'us-east-1' AND {}",
            vec!["id = 'x'"; 5_000].join(" OR ")
        ),
        Fails(TOO_DEEP),
    ));
    c.push(("SELECT 1;".repeat(1000), Fails("1000 statements in one")));

    // Hostile identifier values through every way of naming an instance:
    // each is refused by the pattern check, before any call.
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
        for (template, refusal) in [
            ("SELECT id FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = '{}'", NOT_AN_INSTANCE),
            ("SELECT id FROM aws.connect.instance WHERE region = 'us-east-1' AND Identifier IN ('acme-support', '{}')", NOT_AN_INSTANCE),
            ("SELECT id FROM aws.connect.instances WHERE region = 'us-east-1' AND data__Identifier = '{}'", NOT_AN_INSTANCE),
            ("UPDATE aws.connect.instance SET data__PatchDocument = '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]' WHERE region = 'us-east-1' AND data__Identifier = '{}'", NOT_AN_INSTANCE),
            ("DELETE FROM aws.connect.instances WHERE region = 'us-east-1' AND data__Identifier = '{}'", NOT_AN_INSTANCE),
            ("SELECT id FROM aws.connect.instances WHERE region = '{}'", NOT_A_REGION),
        ] {
            c.push((template.replacen("{}", &quoted, 1), Fails(refusal)));
        }
    }
    // Control characters and odd unicode in every position: outside a
    // string they are not SQL (SQLite's lexer and the catalog say so),
    // inside one they are data, answered exactly (NUL ends SQLite's text).
    for (ch, after_table) in [
        ('\u{0}', "syntax error"),
        ('\u{7}', "syntax error"),
        ('\u{8}', "syntax error"),
        ('\u{1b}', "syntax error"),
        ('\u{7f}', "unknown resource"),
        ('\u{200b}', "unknown resource"),
        ('\u{fffd}', "unknown resource"),
        ('\u{10ffff}', "syntax error"),
    ] {
        c.push((format!("SELECT{ch} 1"), Fails("syntax error")));
        c.push((
            format!("SELECT '{ch}'"),
            if ch == '\u{0}' {
                Fails("unrecognized token")
            } else {
                Value(json!(ch.to_string()))
            },
        ));
        c.push((
            format!("SELECT * FROM aws.connect.instances{ch} WHERE region = 'us-east-1'"),
            Fails(after_table),
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
    for (stmt, expect) in &corpus {
        let before = reqwest::get(format!("{}/_emulator/stats", emu.url()))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let result = session.execute(stmt).await;
        let rows = |o: &connectql::session::Outcome| {
            o.result
                .as_ref()
                .map(|r| r.rows.clone())
                .unwrap_or_default()
        };
        match (expect, &result) {
            (Rows(n), Ok(o)) => {
                assert!(!o.partial, "{:?}: partial", short(stmt));
                assert_eq!(rows(o).len(), *n, "{:?}", short(stmt));
            }
            (Value(v), Ok(o)) => {
                assert_eq!(rows(o), vec![vec![v.clone()]], "{:?}", short(stmt));
            }
            (Fails(words), Err(e)) => {
                let msg = e.to_string();
                assert!(msg.contains(words), "{:?}: {}", short(stmt), short(&msg));
                assert!(msg.len() < 20_000, "huge error for {:?}", short(stmt));
            }
            (expect, result) => panic!(
                "{:?}: expected {expect:?}, got {}",
                short(stmt),
                match result {
                    Ok(o) => format!("{} rows", rows(o).len()),
                    Err(e) => format!("the error {}", short(&e.to_string())),
                }
            ),
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
    for (s, _) in corpus()
        .iter()
        .filter(|(s, _)| !s.contains('\u{0}') && s.len() < 200_000)
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
