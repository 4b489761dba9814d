//! Results, descriptions, change plans and the banner read in a narrow
//! terminal, against the demo: at 80 columns the column naming the item
//! (`username`, `instance_alias`, `name`) is shown before ids and ARNs,
//! DESCRIBE EXTENDED never cuts a field's name, a change's table keeps
//! item, property and status, and the banner fits.
//!
//! Tables are fitted with `.maxwidth N` (the width a terminal would give);
//! the banner is read from the shell in a pseudo-terminal.

use std::process::{Command, Output};
use std::time::Duration;

use connectql::catalog::TABLES;
use connectql::output::fitting::width;

const BIN: &str = env!("CARGO_BIN_EXE_connectql");

/// `connectql --demo` with the statements (as a table unless `extra`
/// says `-o`), fitted to `cols` (0: whole).
fn at(cols: usize, statements: &[&str], extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let maxwidth = format!(".maxwidth {cols}");
    let mut c = Command::new(BIN);
    c.env("XDG_CONFIG_HOME", dir.path())
        .env("HOME", dir.path())
        .env("NO_COLOR", "1")
        .env_remove("CONNECTQL_REGION");
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            c.env_remove(&k);
        }
    }
    c.arg("--demo").args(extra);
    if !extra.contains(&"-o") {
        c.args(["-o", "table"]);
    }
    c.args(["-e", &maxwidth]);
    for s in statements {
        c.args(["-e", s]);
    }
    let o: Output = c.output().expect("run connectql");
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        o.status.success(),
        "{statements:?}: {}\n{out}",
        String::from_utf8_lossy(&o.stderr)
    );
    for l in out.lines().filter(|_| cols > 0) {
        assert!(width(l) <= cols, "wider than {cols}: {l:?}\n{out}");
    }
    out
}

/// The headers of the first table in `out`.
fn headers(out: &str) -> Vec<String> {
    out.lines()
        .next()
        .unwrap_or("")
        .split('|')
        .map(|h| h.trim().to_string())
        .collect()
}

#[test]
fn the_column_naming_the_item_is_shown_before_ids_and_arns() {
    for (table, name, hidden) in [
        ("aws.connect.users", "username", "user_arn"),
        ("aws.connect.instances", "instance_alias", "arn"),
        ("aws.connect.queues", "name", "queue_arn"),
    ] {
        let out = at(80, &[&format!("SELECT * FROM {table}")], &[]);
        let h = headers(&out);
        assert!(h.contains(&name.to_string()), "{table}: {h:?}\n{out}");
        assert!(!h.contains(&hidden.to_string()), "{table}: {h:?}\n{out}");
        // Said, not silently dropped: a `…` column and a note naming them.
        assert!(h.contains(&"…".to_string()), "{table}: {h:?}");
        assert!(out.contains("not shown: "), "{out}");
        assert!(out.contains(hidden), "{out}");
    }
    // The names are whole: every username of the demo reads in full.
    let whole = at(
        0,
        &["SELECT username FROM aws.connect.users"],
        &["-o", "csv"],
    );
    let out = at(80, &["SELECT * FROM aws.connect.users"], &[]);
    for name in whole.lines().skip(1) {
        assert!(out.contains(&format!(" {name} ")), "{name}:\n{out}");
    }
}

#[test]
fn the_shown_columns_keep_the_statement_order() {
    let out = at(
        80,
        &["SELECT tags, id, username, identity_info, user_arn, region FROM aws.connect.users"],
        &[],
    );
    let h: Vec<String> = headers(&out).into_iter().filter(|h| h != "…").collect();
    let order = [
        "tags",
        "id",
        "username",
        "identity_info",
        "user_arn",
        "region",
    ];
    let at_in_order: Vec<usize> = h
        .iter()
        .map(|x| {
            order
                .iter()
                .position(|o| o == x)
                .expect("a statement column")
        })
        .collect();
    assert!(at_in_order.windows(2).all(|p| p[0] < p[1]), "{h:?}\n{out}");
    assert!(h.contains(&"username".to_string()), "{h:?}");
    // Named by the statement: kept (cut) where `SELECT *` would drop ids.
    assert!(h.contains(&"id".to_string()), "{h:?}\n{out}");
}

#[test]
fn describe_extended_never_cuts_a_fields_name() {
    for cols in [40, 80, 100] {
        let statements: Vec<String> = TABLES
            .iter()
            .filter(|t| t.plural)
            .map(|t| format!("DESCRIBE EXTENDED {}", t.id))
            .collect();
        let refs: Vec<&str> = statements.iter().map(String::as_str).collect();
        let out = at(cols, &refs, &[]);
        let names: Vec<&str> = out
            .lines()
            .map(|l| l.split('|').next().unwrap_or("").trim())
            .collect();
        // A name wider than the window wraps onto the next line, whole.
        let whole = |name: &str| {
            names.contains(&name)
                || names.windows(2).any(|p| {
                    p[0].len() + p[1].len() == name.len() && format!("{}{}", p[0], p[1]) == name
                })
        };
        for t in TABLES.iter().filter(|t| t.plural) {
            for f in t.fields() {
                assert!(
                    whole(f.name),
                    "{cols} columns: {}.{} is not shown whole:\n{out}",
                    t.id,
                    f.name
                );
                // Wrapped only where it cannot fit on one line.
                if cols >= 80 {
                    assert!(names.contains(&f.name), "{cols}: {} wrapped", f.name);
                }
            }
        }
        assert!(
            !names.iter().any(|n| n.ends_with('…')),
            "{cols} columns: a name is cut:\n{out}"
        );
    }
}

#[test]
fn a_change_plan_keeps_item_property_and_status() {
    let out = at(
        80,
        &[
            "UPDATE aws.connect.users SET routing_profile_arn = 'Back Office', \
           security_profile_arns = json_array('Agent', 'Admin') \
           WHERE region = 'us-east-1' AND data__InstanceId = 'acme-support' \
             AND username LIKE '%o%'",
        ],
        &["--dry-run"],
    );
    let h = headers(&out);
    for c in ["item", "property", "before", "after", "status"] {
        assert!(h.contains(&c.to_string()), "{c}: {h:?}\n{out}");
    }
    assert!(out.contains(" security_profile_arns "), "{out}");
    assert!(out.contains(" planned"), "{out}");
    assert!(out.contains("not shown: operation, region"), "{out}");
}

#[cfg(unix)]
#[test]
fn the_banner_fits_80_columns() {
    use expectrl::Session;
    let csi = regex::Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]").unwrap();
    for cols in [80u16, 200] {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(BIN);
        cmd.arg("--demo")
            .arg("--history-file")
            .arg(dir.path().join("history"));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("AWS_") {
                cmd.env_remove(&k);
            }
        }
        cmd.env("TERM", "xterm")
            .env("NO_COLOR", "1")
            .env("XDG_DATA_HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path())
            .env_remove("CONNECTQL_REGION");
        let mut pty = Session::spawn(cmd).expect("spawn connectql in a pty");
        pty.get_process_mut()
            .set_window_size(cols, 40)
            .expect("window size");
        pty.set_expect_timeout(Some(Duration::from_secs(20)));
        let greeting = pty.expect("connectql> ").expect("first prompt");
        let greeting = String::from_utf8_lossy(greeting.before()).to_string();
        let plain = csi.replace_all(&greeting, "");
        let lines: Vec<&str> = plain
            .split('\n')
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| !l.is_empty())
            .collect();
        assert!(lines.len() >= 2, "{plain}");
        assert!(plain.contains("http://127.0.0.1:"), "{plain}");
        for l in &lines {
            assert!(
                width(l) <= 80,
                "{cols}: a banner line of {}: {l:?}",
                width(l)
            );
        }
        pty.send("\x04").unwrap();
        pty.expect(expectrl::Eof).ok();
    }
}
