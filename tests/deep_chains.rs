//! No statement can exhaust the stack or hang the parser: long prefix,
//! postfix, nested and mixed chains, from a few tokens to ~100,000, get a
//! clean error or the right answer, in-process (`sql::parse_one`, then every
//! later walk of the tree on a thread with the stack every thread of the binary has) and
//! through the real binary, which always exits normally (0 or 1), never by a
//! signal. Bounded case counts keep this well under a minute; raise
//! PROPTEST_CASES to search longer.

mod common;

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use connectql::sql::change::plan_change;
use connectql::sql::planner::plan_query;
use connectql::sql::resolve::PlanContext;
use connectql::sql::{parse_one, MAX_DEPTH, MAX_TOKENS};
use proptest::prelude::*;
use serde_json::Value;

/// The stack every thread of the binary has (its main loop, the async
/// runtime's workers and blocking threads).
const THREAD_STACK: usize = connectql::sql::DEEP_STACK_BYTES;

#[derive(Clone, Copy, Debug)]
enum Shape {
    /// Written before the expression: `NOT x`.
    Prefix(&'static str),
    /// Written after it: `x NOTNULL`.
    Postfix(&'static str),
    /// Around it: `abs(x)`.
    Wrap(&'static str, &'static str),
}
use Shape::*;

/// One kind of chain: its name, shape, and the value of `SELECT <chain of
/// n over 1>` when SQLite answers (None: not checked); and up to which
/// length a short chain (at most [`SHORT`]) must parse and must be
/// answered: every kind unless SQLite or sqlparser lacks the syntax.
#[derive(Clone, Copy, Debug)]
struct Kind {
    name: &'static str,
    shape: Shape,
    value: fn(usize) -> Option<i64>,
    parses: usize,
    answers: usize,
}

/// Chains up to this long are short: they must succeed (each kind chains
/// at least this deep, `the_deepest_accepted_chain_of_every_kind_is_safe`).
const SHORT: usize = 30;
/// Any short chain.
const ALL: usize = SHORT;

const KINDS: &[Kind] = &[
    Kind {
        name: "NOTNULL",
        shape: Postfix(" NOTNULL"),
        value: |_| Some(1),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        // sqlparser reads `ISNULL` only as a function name.
        name: "ISNULL",
        shape: Postfix(" ISNULL"),
        value: |n| Some((n == 0) as i64),
        parses: 0,
        answers: 0,
    },
    Kind {
        name: "IS NULL",
        shape: Postfix(" IS NULL"),
        value: |n| Some((n == 0) as i64),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        name: "IS NOT NULL",
        shape: Postfix(" IS NOT NULL"),
        value: |_| Some(1),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        // sqlparser takes one COLLATE per expression.
        name: "COLLATE",
        shape: Postfix(" COLLATE nocase"),
        value: |_| Some(1),
        parses: 1,
        answers: 1,
    },
    Kind {
        // PostgreSQL's cast: sqlparser reads it, SQLite has no such syntax.
        name: "::",
        shape: Postfix("::INTEGER"),
        value: |_| Some(1),
        parses: ALL,
        answers: 0,
    },
    Kind {
        name: "->",
        shape: Postfix(" -> '$'"),
        value: |_| Some(1),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        name: "->>",
        shape: Postfix(" ->> '$'"),
        value: |_| Some(1),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        name: "+ 0",
        shape: Postfix(" + 0"),
        value: |_| Some(1),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        name: "NOT",
        shape: Prefix("NOT "),
        value: |n| Some((n % 2 == 0) as i64),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        name: "unary -",
        shape: Prefix("- "),
        value: |n| Some(if n % 2 == 0 { 1 } else { -1 }),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        name: "unary +",
        shape: Prefix("+ "),
        value: |_| Some(1),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        name: "~",
        shape: Prefix("~ "),
        value: |n| Some(if n % 2 == 0 { 1 } else { -2 }),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        name: "CASE",
        shape: Wrap("CASE WHEN 1 THEN ", " END"),
        value: |_| Some(1),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        name: "()",
        shape: Wrap("(", ")"),
        value: |_| Some(1),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        name: "abs()",
        shape: Wrap("abs(", ")"),
        value: |_| Some(1),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        name: "coalesce()",
        shape: Wrap("coalesce(NULL, ", ")"),
        value: |_| Some(1),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        name: "CAST",
        shape: Wrap("CAST(", " AS INTEGER)"),
        value: |_| Some(1),
        parses: ALL,
        answers: ALL,
    },
    Kind {
        // The engine's SQLite allows expressions 200 deep; a nested
        // subquery costs several levels, so it answers ~19 of them.
        name: "subquery",
        shape: Wrap("(SELECT ", ")"),
        value: |_| Some(1),
        parses: ALL,
        answers: 15,
    },
    Kind {
        // The engine's SQLite allows expressions 200 deep; a nested
        // subquery costs several levels, so it answers ~19 of them.
        name: "EXISTS",
        shape: Wrap("EXISTS (SELECT ", ")"),
        value: |_| Some(1),
        parses: ALL,
        answers: 15,
    },
];

/// `SELECT <expression> AS v`, the expression built from `1` by applying
/// each (kind, count) segment in turn.
fn statement(segments: &[(Kind, usize)]) -> String {
    let (mut before, mut after) = (String::new(), String::new());
    for &(kind, n) in segments {
        match kind.shape {
            Prefix(p) => before = p.repeat(n) + &before,
            Postfix(p) => after.push_str(&p.repeat(n)),
            Wrap(open, close) => {
                before = open.repeat(n) + &before;
                after.push_str(&close.repeat(n));
            }
        }
    }
    // Valid SQL whatever the mix: postfix operators bind tighter than
    // prefix ones, and every wrap is closed.
    format!("SELECT {before}1{after} AS v")
}

/// The same statement with its closing half cut off: broken input that
/// makes a backtracking parser retry at every level.
fn unclosed(segments: &[(Kind, usize)]) -> String {
    let mut before = String::new();
    for &(kind, n) in segments {
        match kind.shape {
            Prefix(p) | Wrap(p, _) => before = p.repeat(n) + &before,
            Postfix(_) => {}
        }
    }
    format!("SELECT {before}1")
}

/// What a clean refusal says.
fn is_clean_error(message: &str) -> bool {
    message.len() > 8 && message.len() < 2_000_000 && !message.contains("panicked")
}

fn ctx() -> PlanContext {
    PlanContext {
        default_regions: vec!["us-east-1".into()],
        ..Default::default()
    }
}

/// Runs `work` on a thread with the stack every thread of the binary has.
fn on_binary_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(THREAD_STACK)
        .spawn(work)
        .unwrap()
        .join()
        .unwrap()
}

/// In-process: a clean error, or a tree that every later stage walks
/// safely on the binary's thread stack; returns whether it was accepted.
fn in_process(sql: String) -> Result<bool, String> {
    on_binary_stack(move || {
        let started = Instant::now();
        let parsed = parse_one(&sql);
        let took = started.elapsed();
        // A hang detector, not a speed target (those live in benches/): a
        // debug build parsing ~100,000 tokens while every other test binary
        // runs on two cores took 12 s; a quadratic parse would take hours.
        if took > Duration::from_secs(60) {
            return Err(format!("parsing took {took:?}"));
        }
        let statement = match parsed {
            Err(e) => {
                let m = e.to_string();
                return if is_clean_error(&m) {
                    Ok(false)
                } else {
                    Err(format!("unclear error: {m}"))
                };
            }
            Ok(s) => s,
        };
        // Every later walk: Display, Clone, Debug, PartialEq, planning
        // (which consumes and drops the tree), and drop.
        let text = statement.to_string();
        let copy = statement.clone();
        let _ = format!("{copy:?}");
        if copy != statement {
            return Err("a clone differs".into());
        }
        drop(copy);
        if let Ok(plan) = plan_query(&sql, statement, &ctx()) {
            if !plan.sources.is_empty() {
                return Err(format!("a SELECT without FROM plans calls: {}", plan.sql));
            }
        }
        // What the engine is given parses again.
        if let Err(e) = parse_one(&text) {
            let m = e.to_string();
            if !is_clean_error(&m) {
                return Err(format!("unclear error on the displayed form: {m}"));
            }
        }
        Ok(true)
    })
}

/// The real binary: `connectql --region us-east-1 -o json -e <sql>` (the
/// statement on stdin when it is too long for an argument). It exits 0 with
/// the right value or, unless `must_answer`, 1 with an error; never by a
/// signal.
fn through_binary(sql: &str, expected: Option<i64>, must_answer: bool) -> Result<(), String> {
    let mut c = common::clean_command(common::BIN);
    c.args(["--region", "us-east-1", "-o", "json"]);
    let on_stdin = sql.len() > 100_000;
    if on_stdin {
        c.stdin(Stdio::piped());
    } else {
        c.args(["-e", sql]);
    }
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().map_err(|e| e.to_string())?;
    let writer = on_stdin.then(|| {
        let mut stdin = child.stdin.take().unwrap();
        let script = format!("{sql};\n");
        std::thread::spawn(move || {
            let _ = stdin.write_all(script.as_bytes());
        })
    });
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if let Some(w) = writer {
        w.join().unwrap();
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let short = |s: &str| s.chars().take(300).collect::<String>();
    match out.status.code() {
        Some(0) => {
            let rows: Value = serde_json::from_str(&stdout)
                .map_err(|e| format!("stdout is not JSON ({e}): {}", short(&stdout)))?;
            let v = &rows[0]["v"];
            if let Some(want) = expected {
                let same = v.as_i64() == Some(want)
                    || v.as_str().and_then(|s| s.parse().ok()) == Some(want);
                if !same {
                    return Err(format!("answered {v}, expected {want}"));
                }
            }
            Ok(())
        }
        Some(1) if must_answer => Err(format!("a short chain failed: {}", short(&stderr))),
        Some(1) if stderr.contains("error:") && !stderr.contains("panicked") => Ok(()),
        other => Err(format!(
            "exit {other:?} (a signal when None); stderr: {}",
            short(&stderr)
        )),
    }
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(KINDS)
}

/// Small, near the depth limit, and far past it (up to ~100,000 tokens).
fn count() -> impl Strategy<Value = usize> {
    prop_oneof![0..50usize, 200..300usize, 1_000..50_000usize]
}

fn segments() -> impl Strategy<Value = Vec<(Kind, usize)>> {
    prop::collection::vec((kind(), count()), 1..5)
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(40),
        max_shrink_iters: 20,
        ..ProptestConfig::default()
    })]

    #[test]
    fn chains_in_process(segments in segments()) {
        let r = in_process(statement(&segments));
        prop_assert!(r.is_ok(), "{:?}", r);
        if let [(kind, n)] = segments[..] {
            if n <= kind.parses.min(SHORT) {
                prop_assert_eq!(r, Ok(true), "{} x{} must parse", kind.name, n);
            }
        }
    }

    #[test]
    fn broken_chains_in_process(segments in prop::collection::vec((kind(), 0..300usize), 1..4)) {
        let r = in_process(unclosed(&segments));
        prop_assert!(r.is_ok(), "{:?}", r);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(12),
        max_shrink_iters: 5,
        ..ProptestConfig::default()
    })]

    #[test]
    fn pure_chains_through_the_binary(kind in kind(), n in count()) {
        let sql = statement(&[(kind, n)]);
        let r = through_binary(&sql, (kind.value)(n), n <= kind.answers.min(SHORT));
        prop_assert!(r.is_ok(), "{} x{n}: {:?}", kind.name, r);
    }

    #[test]
    fn mixed_chains_through_the_binary(segments in segments()) {
        let r = through_binary(&statement(&segments), None, false);
        prop_assert!(r.is_ok(), "{:?}", r);
    }
}

/// The longest chain of `kind` that `parse_one` accepts.
fn longest_accepted(kind: Kind) -> usize {
    let (mut ok, mut refused) = (0, 4 * MAX_DEPTH);
    while ok + 1 < refused {
        let mid = (ok + refused) / 2;
        if parse_one(&statement(&[(kind, mid)])).is_ok() {
            ok = mid;
        } else {
            refused = mid;
        }
    }
    ok
}

/// Deterministic edge: for every kind, the deepest statement accepted goes
/// through every later stage on the binary's thread stack and through the binary, one
/// more level is refused as too deep (not as a syntax error or "too
/// complex"), and the deepest broken one is refused quickly.
#[test]
fn the_deepest_accepted_chain_of_every_kind_is_safe() {
    for &kind in KINDS {
        let n = longest_accepted(kind);
        let sql = statement(&[(kind, n)]);
        assert_eq!(in_process(sql.clone()), Ok(true), "{} x{n}", kind.name);
        if let Err(e) = through_binary(&sql, None, false) {
            panic!("{} x{n} through the binary: {e}", kind.name);
        }
        if n <= 1 {
            // The kind does not chain in this dialect (`x COLLATE a COLLATE b`).
            let e = parse_one(&statement(&[(kind, 2)])).unwrap_err().to_string();
            assert!(e.contains("syntax error"), "{}: {e}", kind.name);
            continue;
        }
        assert!(n >= 30, "{} chains only {n} deep", kind.name);
        let deeper = parse_one(&statement(&[(kind, n + 1)]))
            .unwrap_err()
            .to_string();
        assert!(
            deeper.contains(&format!("nests deeper than {MAX_DEPTH} levels")),
            "{} x{}: {deeper}",
            kind.name,
            n + 1
        );
        if let Postfix(_) = kind.shape {
            // Nothing to leave unclosed.
            continue;
        }
        let started = Instant::now();
        let broken = parse_one(&unclosed(&[(kind, 4 * n)]));
        assert!(broken.is_err(), "{}", kind.name);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{} broken x{}: {:?}",
            kind.name,
            4 * n,
            started.elapsed()
        );
    }
}

/// Short chains of every kind succeed: they parse in-process, and the
/// binary answers each with its value (one process, one `-e` per chain).
#[test]
fn short_chains_of_every_kind_succeed() {
    let lengths = [0, 1, 2, 3, 7, 15, SHORT];
    let mut c = common::clean_command(common::BIN);
    c.args(["--region", "us-east-1", "-o", "json"]);
    let mut expected = Vec::new();
    for &kind in KINDS {
        for n in lengths {
            let sql = statement(&[(kind, n)]);
            if n <= kind.parses {
                assert_eq!(
                    in_process(sql.clone()),
                    Ok(true),
                    "{} x{n} must parse",
                    kind.name
                );
            }
            if n <= kind.answers {
                c.args(["-e", &sql]);
                expected.push((kind.name, n, (kind.value)(n).expect("a value")));
            }
        }
    }
    let (ok, stdout, stderr) = common::run(c);
    assert!(ok, "{stderr}");
    let answers: Vec<Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(answers.len(), expected.len());
    for ((name, n, want), answer) in expected.into_iter().zip(answers) {
        let v = &answer[0]["v"];
        let got = v
            .as_i64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()));
        assert_eq!(got, Some(want), "{name} x{n}: {answer}");
    }
}

/// The original report: `SELECT 1 NOTNULL NOTNULL ...` ~49,000 times
/// aborted the process with a stack overflow.
#[test]
fn the_reported_notnull_chain_is_refused_and_the_process_goes_on() {
    let sql = format!("SELECT 1{}", " NOTNULL".repeat(49_000));
    let e = parse_one(&sql).unwrap_err().to_string();
    assert!(e.contains("nests deeper than"), "{e}");
    let mut c = common::clean_command(common::BIN);
    c.args(["--region", "us-east-1", "-o", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let script = format!("{sql};\nSELECT 'still alive' AS status;\n");
    let w = std::thread::spawn(move || stdin.write_all(script.as_bytes()));
    let out = child.wait_with_output().unwrap();
    w.join().unwrap().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("nests deeper than"), "{stderr}");
    assert!(stdout.contains("still alive"), "{stdout}");
}

/// A short broken statement that made sqlparser backtrack for hours
/// (every `CAST(` is retried as a function call: 2^n attempts).
#[test]
fn backtracking_is_bounded() {
    for sql in [
        format!("SELECT {}1", "CAST(".repeat(40)),
        format!("SELECT {}1", "SUBSTRING(".repeat(40)),
        format!("SELECT {}1", "INTERVAL(".repeat(40)),
        format!("SELECT {}1", "CASE WHEN 1 THEN ".repeat(200)),
    ] {
        let started = Instant::now();
        let e = parse_one(&sql).unwrap_err().to_string();
        assert!(is_clean_error(&e), "{e}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{}: {:?}",
            &sql[..30],
            started.elapsed()
        );
    }
}

/// Deep WHERE clauses of changes and the set operations are planned safely
/// too.
#[test]
fn changes_and_unions_at_the_limit() {
    let deepest = |make: &dyn Fn(usize) -> String| {
        let (mut ok, mut refused) = (0, 4 * MAX_DEPTH);
        while ok + 1 < refused {
            let mid = (ok + refused) / 2;
            if parse_one(&make(mid)).is_ok() {
                ok = mid;
            } else {
                refused = mid;
            }
        }
        assert!(ok > 30, "{}", make(2));
        make(ok)
    };
    let update = deepest(&|n| {
        format!(
            "UPDATE aws.connect.instance SET data__PatchDocument = '[]' WHERE region = 'us-east-1' \
             AND data__Identifier = 'acme-support' AND {}1{}",
            "NOT ".repeat(n / 2),
            " NOTNULL".repeat(n - n / 2)
        )
    });
    on_binary_stack(move || {
        let s = parse_one(&update).unwrap();
        let _ = plan_change(&update, s, &ctx());
    });
    let union = deepest(&|n| format!("SELECT 1 AS v{}", " UNION ALL SELECT 1".repeat(n)));
    assert_eq!(in_process(union.clone()), Ok(true));
    through_binary(&union, Some(1), true).unwrap();
    assert!(parse_one(&format!("SELECT 1{}", " UNION SELECT 1".repeat(MAX_TOKENS))).is_err());
}
