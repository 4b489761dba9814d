//! `instance_alias`: every table of an instance's contents says which
//! instance a row is from by its alias, beside its ARN (issue 19), against
//! the local endpoint's demo data.
//!
//! * Every contents table of the catalog has the column, filled from the
//!   instance's listing, in DESCRIBE, JSON and CSV.
//! * `instance_alias = …`, `IN (…)` and OR-ed equalities read only those
//!   instances; every other shape reads them all and the engine filters —
//!   either way the rows are SQL's: the same as with the column wrapped so
//!   nothing can be pushed, and as with a join to the instances table.
//! * Calls: no ListInstances for a statement that pins its instance by ARN
//!   and does not read the alias; one (cached per session) when it does;
//!   one List per instance the alias filter leaves; none for a
//!   contradiction. EXPLAIN lists exactly the calls that run.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{query_json, run, Emulator};
use connectql::catalog::{Reference, Scope, TABLES};
use serde_json::Value;

/// The demo's regions with instances, as a predicate.
const REGIONS: &str = "('us-east-1', 'eu-west-2', 'ap-southeast-2')";

fn rows(emu: &Emulator, sql: &str) -> Vec<Value> {
    let (ok, mut out, stderr) = query_json(emu, Some("us-east-1"), &[sql]);
    assert!(ok, "{sql}: {stderr}");
    assert!(!stderr.contains("error"), "{sql}: {stderr}");
    match out.pop() {
        Some(Value::Array(rows)) => rows,
        other => panic!("{sql}: {other:?}"),
    }
}

/// Rows as a sorted multiset of their JSON texts.
fn multiset(rows: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = rows.iter().map(Value::to_string).collect();
    out.sort();
    out
}

/// The plural tables of resources inside an instance, with the column
/// that holds the instance's ARN (`instance_arn`, or `instance_id` where
/// CloudFormation calls it that) and the one naming the item.
fn contents_tables() -> Vec<(&'static str, &'static str, &'static str)> {
    let out: Vec<_> = TABLES
        .iter()
        .filter(|t| t.plural && !t.derived && t.resource.scope == Scope::Instance)
        .map(|t| {
            let r = t.resource;
            let arn = r
                .fields
                .iter()
                .find(|f| f.reference == Reference::Instance)
                .unwrap_or_else(|| panic!("{} names no instance", t.name));
            (t.name, arn.name, r.id_field)
        })
        .collect();
    assert!(out.len() >= 15, "{out:?}");
    out
}

/// Instance ARN → alias, from the instances table.
fn aliases(emu: &Emulator) -> BTreeMap<String, String> {
    rows(
        emu,
        &format!("SELECT arn, instance_alias FROM aws.connect.instances WHERE region IN {REGIONS}"),
    )
    .iter()
    .map(|r| {
        (
            r["arn"].as_str().unwrap().to_string(),
            r["instance_alias"].as_str().unwrap().to_string(),
        )
    })
    .collect()
}

#[test]
fn every_contents_table_shows_its_instances_alias() {
    let emu = Emulator::start(&["--demo-data"]);
    let by_arn = aliases(&emu);
    assert!(by_arn.len() >= 4, "{by_arn:?}");
    for (table, arn_column, _) in contents_tables() {
        let got = rows(
            &emu,
            &format!(
                "SELECT {arn_column} AS a, instance_alias FROM aws.connect.{table} WHERE region IN {REGIONS}"
            ),
        );
        assert!(!got.is_empty(), "{table}: no rows in the demo");
        let mut seen = BTreeSet::new();
        for r in &got {
            let arn = r["a"].as_str().unwrap();
            assert_eq!(
                r["instance_alias"].as_str(),
                by_arn.get(arn).map(String::as_str),
                "{table}: {r}"
            );
            seen.insert(arn.to_string());
        }
        assert!(seen.len() >= 2, "{table}: rows of one instance only");

        // DESCRIBE shows it right after the instance's ARN.
        let described = rows(&emu, &format!("DESCRIBE aws.connect.{table}"));
        let names: Vec<&str> = described
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        let at = names.iter().position(|n| *n == arn_column).unwrap();
        assert_eq!(
            names.get(at + 1),
            Some(&"instance_alias"),
            "{table}: {names:?}"
        );
        let extended = rows(&emu, &format!("DESCRIBE EXTENDED aws.connect.{table}"));
        let row = extended
            .iter()
            .find(|r| r["name"] == "instance_alias")
            .unwrap();
        assert_eq!(row["property"], "(extra)", "{table}: {row}");
        assert!(
            row["source"].as_str().unwrap().contains("ListInstances"),
            "{table}: {row}"
        );
    }
}

#[test]
fn json_and_csv_carry_the_alias() {
    let emu = Emulator::start(&["--demo-data"]);
    let all = rows(
        &emu,
        "SELECT * FROM aws.connect.queues WHERE region = 'us-east-1'",
    );
    let keys: Vec<&String> = all[0].as_object().unwrap().keys().collect();
    let at = keys.iter().position(|k| *k == "instance_arn").unwrap();
    assert_eq!(keys[at + 1], "instance_alias", "{keys:?}");
    let seen: BTreeSet<&str> = all
        .iter()
        .map(|r| r["instance_alias"].as_str().unwrap())
        .collect();
    assert_eq!(seen, BTreeSet::from(["acme-sales", "acme-support"]));

    let mut c = emu.connectql();
    c.args([
        "--region",
        "us-east-1",
        "--output",
        "csv",
        "-e",
        "SELECT name, instance_alias FROM aws.connect.queues WHERE instance_alias = 'acme-sales' ORDER BY name",
    ]);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "name,instance_alias");
    assert!(lines.len() > 2, "{stdout}");
    assert!(
        lines[1..].iter().all(|l| l.ends_with(",acme-sales")),
        "{stdout}"
    );
}

/// Filters on `instance_alias` (written `{A}`), generated from the demo's
/// aliases and ones no instance has: pushable shapes, shapes that must not
/// be pushed, contradictions.
fn filters(aliases: &[String], id: &str) -> Vec<String> {
    let a = &aliases[0];
    let b = &aliases[1];
    let mut out = Vec::new();
    for x in aliases.iter().map(String::as_str).chain(["nope", "acme"]) {
        out.push(format!("{{A}} = '{x}'"));
        out.push(format!("'{x}' = {{A}}"));
        out.push(format!("NOT {{A}} = '{x}'"));
    }
    out.extend([
        format!("{{A}} IN ('{a}', '{b}')"),
        format!("{{A}} IN ('{a}', 'nope')"),
        format!("({{A}} = '{a}' OR {{A}} = '{b}')"),
        format!("({{A}} = '{a}' OR {{A}} IN ('{b}', 'nope'))"),
        format!("{{A}} = '{a}' AND {{A}} = '{b}'"),
        format!("{{A}} IN ('{a}', '{b}') AND {{A}} = '{b}'"),
        format!("{{A}} = '{a}' AND {{A}} IN ('{b}', 'nope')"),
        format!("({{A}} = '{a}' OR q.{id} = 'nope')"),
        format!("{{A}} NOT IN ('{a}')"),
        format!("{{A}} <> '{b}'"),
        "{A} LIKE 'acme-s%'".to_string(),
        "{A} LIKE '%uk'".to_string(),
        "upper({A}) = 'ACME-UK'".to_string(),
        "{A} IS NULL".to_string(),
        format!("{{A}} = '{a} '"),
    ]);
    out
}

#[test]
fn pushed_wrapped_and_joined_filters_give_the_same_rows() {
    let emu = Emulator::start(&["--demo-data"]);
    let known: Vec<String> = {
        let mut v: Vec<String> = aliases(&emu).into_values().collect();
        v.sort();
        v
    };
    let mut nonempty = 0;
    let mut checked = 0;
    for (table, arn_column, id) in contents_tables() {
        // One session per table: every statement of the table at once.
        let base =
            format!("SELECT q.{id} AS item, q.instance_alias AS alias FROM aws.connect.{table} q");
        let mut statements = Vec::new();
        for filter in filters(&known, id) {
            // Pushed, not pushable (the column wrapped), and through a join.
            let [pushed, wrapped, joined] = [
                "q.instance_alias",
                "(q.instance_alias || '')",
                "i.instance_alias",
            ]
            .map(|column| filter.replace("{A}", column));
            statements.extend([
                format!("{base} WHERE q.region IN {REGIONS} AND {pushed}"),
                format!("{base} WHERE q.region IN {REGIONS} AND {wrapped}"),
                format!(
                    "{base} JOIN aws.connect.instances i ON i.arn = q.{arn_column} \
                     WHERE q.region IN {REGIONS} AND {joined}"
                ),
            ]);
        }
        let texts: Vec<&str> = statements.iter().map(String::as_str).collect();
        let (ok, answers, stderr) = query_json(&emu, Some("us-east-1"), &texts);
        assert!(ok, "{table}: {stderr}");
        assert_eq!(answers.len(), statements.len(), "{table}: {stderr}");
        for (k, three) in answers.chunks(3).enumerate() {
            let [ours, plain, through] = [0, 1, 2]
                .map(|i| multiset(three[i].as_array().unwrap_or_else(|| panic!("{three:?}"))));
            let sql = &statements[3 * k];
            assert_eq!(ours, plain, "{sql}\nvs {}", statements[3 * k + 1]);
            assert_eq!(ours, through, "{sql}\nvs {}", statements[3 * k + 2]);
            nonempty += usize::from(!ours.is_empty());
            checked += 1;
        }
    }
    // An oracle of empty answers cannot pass.
    assert!(nonempty * 2 > checked, "{nonempty} of {checked} had rows");
}

/// The operations the endpoint counted since the last reset.
fn counted(emu: &Emulator) -> BTreeMap<String, u64> {
    emu.stats()["calls"]
        .as_object()
        .map(|c| {
            c.iter()
                .filter_map(|(op, n)| Some((op.clone(), n.as_u64().filter(|n| *n > 0)?)))
                .collect()
        })
        .unwrap_or_default()
}

fn reset(emu: &Emulator) {
    emu.post("/_emulator/reset", serde_json::json!({"reseed": true}));
}

/// Runs `sql` after a reset and returns its rows and the calls counted;
/// first checks that EXPLAIN lists exactly those operations.
fn counted_run(emu: &Emulator, sql: &str) -> (Vec<Value>, BTreeMap<String, u64>) {
    reset(emu);
    let explained = rows(emu, &format!("EXPLAIN {sql}"));
    assert!(counted(emu).is_empty(), "EXPLAIN made a call");
    let mut listed = BTreeSet::new();
    let mut must_run = BTreeSet::new();
    for row in &explained {
        let op = row["operation"].as_str().unwrap().to_string();
        if op.starts_with('(') {
            continue;
        }
        // Per-item and per-instance steps run zero times when nothing is
        // left (the counts below say how many times they ran).
        let runs = row["runs"].as_str().unwrap_or("");
        if !runs.contains("per item") && !runs.contains("per instance") {
            must_run.insert(op.clone());
        }
        listed.insert(op);
    }
    let got = rows(emu, sql);
    let calls = counted(emu);
    let ran: BTreeSet<String> = calls.keys().cloned().collect();
    assert!(
        ran.is_subset(&listed),
        "{sql}: ran {ran:?}, EXPLAIN listed {listed:?}"
    );
    assert!(
        must_run.is_subset(&ran),
        "{sql}: ran {ran:?}, EXPLAIN listed {must_run:?}"
    );
    (got, calls)
}

#[test]
fn the_alias_costs_a_listing_only_when_read() {
    let emu = Emulator::start(&["--demo-data"]);
    let by_arn = aliases(&emu);
    let (arn, alias) = by_arn
        .iter()
        .find(|(_, a)| *a == "acme-uk")
        .map(|(r, a)| (r.clone(), a.clone()))
        .unwrap();
    let n = |calls: &BTreeMap<String, u64>, op: &str| calls.get(op).copied().unwrap_or(0);

    // Pinned by ARN, the alias unread: no listing.
    let (got, calls) = counted_run(
        &emu,
        &format!("SELECT name FROM aws.connect.queues WHERE instance_arn = '{arn}'"),
    );
    assert!(!got.is_empty());
    assert_eq!(
        (n(&calls, "ListInstances"), n(&calls, "ListQueues")),
        (0, 1)
    );

    // Read: the place's listing is added, once.
    for sql in [
        format!("SELECT name, instance_alias FROM aws.connect.queues WHERE instance_arn = '{arn}'"),
        format!("SELECT * FROM aws.connect.queues WHERE instance_arn = '{arn}'"),
        format!("SELECT name FROM aws.connect.queues WHERE instance_arn = '{arn}' AND instance_alias = '{alias}'"),
    ] {
        let (got, calls) = counted_run(&emu, &sql);
        assert!(!got.is_empty(), "{sql}");
        assert_eq!((n(&calls, "ListInstances"), n(&calls, "ListQueues")), (1, 1), "{sql}");
        if let Some(a) = got[0].get("instance_alias") {
            assert_eq!(a, &Value::String(alias.clone()), "{sql}");
        }
    }

    // An item named by ARN names its instance: the same.
    let queue_arn = rows(
        &emu,
        &format!("SELECT queue_arn FROM aws.connect.queues WHERE instance_arn = '{arn}' LIMIT 1"),
    )[0]["queue_arn"]
        .as_str()
        .unwrap()
        .to_string();
    let (got, calls) = counted_run(
        &emu,
        &format!("SELECT name, instance_alias FROM aws.connect.queue WHERE data__Identifier = '{queue_arn}'"),
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["instance_alias"], Value::String(alias.clone()));
    assert_eq!(n(&calls, "ListInstances"), 1);

    // The alias filter reads only that instance's queues.
    let (got, calls) = counted_run(
        &emu,
        "SELECT name FROM aws.connect.queues WHERE region = 'us-east-1' AND instance_alias = 'acme-sales'",
    );
    assert!(!got.is_empty());
    assert_eq!(
        (n(&calls, "ListInstances"), n(&calls, "ListQueues")),
        (1, 1)
    );
    let (_, calls) = counted_run(
        &emu,
        "SELECT name FROM aws.connect.queues WHERE region = 'us-east-1' AND upper(instance_alias) = 'ACME-SALES'",
    );
    assert_eq!(
        n(&calls, "ListQueues"),
        2,
        "a wrapped column reads every instance"
    );

    // An alias no instance has: no rows, no error, no List.
    let (got, calls) = counted_run(
        &emu,
        "SELECT name FROM aws.connect.queues WHERE region = 'us-east-1' AND instance_alias = 'acme-uk'",
    );
    assert!(got.is_empty());
    assert_eq!(
        (n(&calls, "ListInstances"), n(&calls, "ListQueues")),
        (1, 0)
    );

    // A contradiction: no call at all.
    let (got, calls) = counted_run(
        &emu,
        "SELECT name FROM aws.connect.queues WHERE region = 'us-east-1' \
         AND instance_alias = 'acme-sales' AND instance_alias = 'acme-support'",
    );
    assert!(got.is_empty() && calls.is_empty(), "{calls:?}");
}

#[test]
fn the_listing_is_cached_per_session() {
    let emu = Emulator::start(&["--demo-data"]);
    let arn = aliases(&emu)
        .into_iter()
        .find(|(_, a)| a == "acme-support")
        .unwrap()
        .0;
    reset(&emu);
    let sql =
        format!("SELECT name, instance_alias FROM aws.connect.queues WHERE instance_arn = '{arn}'");
    let users = format!(
        "SELECT username, instance_alias FROM aws.connect.users WHERE instance_arn = '{arn}'"
    );
    let (ok, out, stderr) = query_json(&emu, None, &[&sql, &users]);
    assert!(ok, "{stderr}");
    for answer in &out {
        let rows = answer.as_array().unwrap();
        assert!(!rows.is_empty());
        assert!(
            rows.iter().all(|r| r["instance_alias"] == "acme-support"),
            "{answer}"
        );
    }
    assert_eq!(emu.calls("ListInstances"), 1);
}

/// At 80 columns, `SELECT *` of any contents table keeps the column naming
/// the item whole; the alias is shown when there is room, else named among
/// the columns not shown (never silently dropped).
#[test]
fn the_alias_never_pushes_out_the_items_name() {
    let emu = Emulator::start(&["--demo-data"]);
    for t in TABLES
        .iter()
        .filter(|t| t.plural && !t.derived && t.resource.scope == Scope::Instance)
    {
        let name = t.resource.name_field;
        let mut c = emu.connectql();
        c.args(["--region", "us-east-1", "-o", "table", "-e", ".maxwidth 80"])
            .args(["-e", &format!("SELECT * FROM aws.connect.{}", t.name)])
            .args(["-e", ".mode csv", "-e", ".maxwidth 0"])
            .args(["-e", &format!("SELECT {name} FROM aws.connect.{}", t.name)]);
        let (ok, stdout, stderr) = run(c);
        assert!(ok, "{}: {stderr}", t.name);
        let (table, names) = stdout
            .split_once(&format!("\n{name}\n"))
            .unwrap_or_else(|| panic!("{}: {stdout}", t.name));
        let headers: Vec<&str> = table
            .lines()
            .next()
            .unwrap()
            .split('|')
            .map(str::trim)
            .collect();
        assert!(headers.contains(&name), "{}: {headers:?}", t.name);
        assert!(
            headers.contains(&"instance_alias") || table.contains("instance_alias,"),
            "{}: {table}",
            t.name
        );
        for line in table.lines() {
            assert!(connectql::output::fitting::width(line) <= 80, "{line}");
        }
        // (Longer names wrap, by design.)
        for n in names.lines().filter(|n| !n.is_empty()) {
            let n = n.trim_matches('"');
            if connectql::output::fitting::width(n) > connectql::output::fitting::NAME_WHOLE {
                continue;
            }
            assert!(
                table.contains(&format!(" {n} ")),
                "{}: {n} cut\n{table}",
                t.name
            );
        }
    }
}
