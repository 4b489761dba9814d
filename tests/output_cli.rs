//! Output off a terminal and the shell integration: piped output is whole
//! and exact (json, csv and text keep control characters as their formats
//! require; table and errors show them escaped), and the
//! completion scripts and manual page come from the command line's own
//! definitions.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_connectql");

fn connectql(args: &[&str]) -> Output {
    connectql_with_config("/nonexistent/connectql-test-config", args)
}

/// `connectql` with `config` as the config directory (where the init file
/// lives: `<config>/connectql/init.sql`).
fn connectql_with_config(config: &str, args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.env("XDG_CONFIG_HOME", config).env("HOME", config);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            c.env_remove(&k);
        }
    }
    c.env_remove("CONNECTQL_REGION")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run connectql")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// ESC [2J (clear screen), CR, BEL and a right-to-left override.
const HOSTILE: &str = "SELECT char(27) || '[2J' || 'x' AS a, 'r' || char(13) || char(7) || 'b' || char(8238) || 'c' AS b";

fn raw_controls(s: &str) -> bool {
    s.contains('\u{1b}') || s.contains('\u{7}') || s.contains('\u{202e}') || s.contains('\r')
}

#[test]
fn piped_tables_are_whole() {
    let o = connectql(&[
        "--demo",
        "-o",
        "table",
        "-e",
        "SELECT * FROM aws.connect.instances WHERE region IN ('us-east-1','eu-west-2','ap-southeast-2')",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains('…'), "{out}");
    assert!(!out.contains("not shown"), "{out}");
    assert!(
        out.contains("AWSServiceRoleForAmazonConnect_Bn5Yc8QfJ3tR7wLk2MxD"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 2 + 4 + 1, "{out}");
    assert!(out.trim_end().ends_with("(4 rows)"), "{out}");

    let o = connectql(&[
        "--demo",
        "-o",
        "table",
        "-e",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r WHERE n < 2000) SELECT n FROM r",
    ]);
    assert_eq!(stdout(&o).lines().count(), 2003);
}

#[test]
fn explicit_settings_apply_in_batch_mode_too() {
    let o = connectql(&[
        "--demo",
        "-o",
        "table",
        "-e",
        ".maxrows 4",
        "-e",
        ".expanded on",
        "-e",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r WHERE n < 10) SELECT n FROM r",
    ]);
    let out = stdout(&o);
    assert!(out.contains("-[ RECORD 2 ]"), "{out}");
    assert!(out.contains("… 6 more records"), "{out}");
    assert!(out.contains("-[ RECORD 10 ]"), "{out}");
}

#[test]
fn json_and_csv_are_exact_table_and_text_escape() {
    let o = connectql(&["--demo", "-o", "json", "-e", HOSTILE]);
    let out = stdout(&o);
    // The exact bytes serde_json writes: C0 as JSON requires (`\u001b`),
    // everything else raw (escaped only on a terminal: tests/output_pty.rs).
    assert!(out.contains("\"\\u001b[2Jx\""), "{out:?}");
    assert!(out.contains("b\u{202e}c"), "{out:?}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["a"], "\u{1b}[2Jx");
    assert_eq!(v[0]["b"], "r\r\u{7}b\u{202e}c");

    let o = connectql(&["--demo", "-o", "csv", "-e", HOSTILE]);
    let out = stdout(&o);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let row = r.records().next().unwrap().unwrap();
    assert_eq!(&row[0], "\u{1b}[2Jx");
    assert_eq!(&row[1], "r\r\u{7}b\u{202e}c");

    let o = connectql(&["--demo", "-o", "table", "-e", HOSTILE]);
    let out = stdout(&o);
    assert!(!raw_controls(&out), "table: {out:?}");
    assert!(out.contains("\\u{1b}[2Jx"), "table: {out}");
    assert!(out.contains("\\u{202e}c"), "table: {out}");
    // Text is exact when piped (it escapes on a terminal: tests/output_pty.rs).
    let o = connectql(&["--demo", "-o", "text", "-e", HOSTILE]);
    let out = stdout(&o);
    assert!(out.contains("\u{1b}[2Jx"), "text: {out:?}");
}

#[test]
fn errors_show_control_characters_escaped() {
    let o = connectql(&[
        "--demo",
        "-e",
        "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = 'a\u{1b}[2J\u{7}\u{202e}b'",
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.starts_with("error: "), "{err}");
    assert!(!raw_controls(&err), "{err:?}");
    let o = connectql(&["--demo", "-e", ".mode \u{1b}[2J"]);
    let err = stderr(&o);
    assert!(err.contains("invalid `.mode`: unknown value"), "{err}");
    assert!(!raw_controls(&err), "{err:?}");
}

#[test]
fn bash_completes_flags_and_their_values() {
    // Fails (`run bash`) where bash is missing: .ci/run installs it.
    let complete = |words: &str, cword: usize| -> String {
        let script = format!(
            "source <('{BIN}' completions bash) || exit 3
             COMP_WORDS=({words}); COMP_CWORD={cword}
             COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}
             _connectql connectql \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\" 2>/dev/null
             echo \"${{COMPREPLY[@]}}\""
        );
        let o = Command::new("bash")
            .args(["--norc", "--noprofile", "-c", &script])
            .output()
            .expect("run bash");
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).trim().to_string()
    };
    assert_eq!(complete("connectql --out", 1), "--output");
    assert_eq!(complete("connectql --output ''", 2), "table json csv text");
    assert_eq!(complete("connectql --no-p", 1), "--no-pager");
    assert_eq!(complete("connectql compl", 1), "completions");
}

#[test]
fn every_shell_gets_a_script_and_there_is_a_manual_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = connectql(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("no-pager"), "{shell}: {out}");
        assert!(out.contains("json"), "{shell}: {out}");
    }
    assert!(!connectql(&["completions", "tcsh"]).status.success());

    let o = connectql(&["man"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains(".TH connectql 1"), "{page}");
    for text in [
        "\\-\\-output",
        "\\-\\-no\\-pager",
        "completions",
        "emulator",
    ] {
        assert!(page.contains(text), "{text} missing:\n{page}");
    }
    assert!(page.contains("table") && page.contains("csv"), "{page}");
}

/// The binary plugs the endpoint's own flags into the shell's command line
/// (the library does not link the endpoint): help, completions, the manual
/// page and parsing all see them.
#[test]
fn the_emulator_subcommand_has_the_endpoints_own_flags() {
    let o = connectql(&["emulator", "--help"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let help = stdout(&o);
    assert!(
        help.starts_with(
            "Run the local Connect endpoint (REST-JSON, state per account and region, fault injection)\n"
        ),
        "{help}"
    );
    for flag in [
        "--listen <ADDR>",
        "--demo-data",
        "--error-rate <F>",
        "--seed-instances <N>",
    ] {
        assert!(help.contains(flag), "{flag} missing:\n{help}");
    }

    let o = connectql(&["--help"]);
    let help = stdout(&o);
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        commands,
        ["emulator", "completions", "man", "help"],
        "{help}"
    );

    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(&connectql(&["completions", shell]));
        assert!(script.contains("seed-instances"), "{shell}: {script}");
    }
    let page = stdout(&connectql(&["man"]));
    assert!(
        page.contains("connectql\\-emulator(1)\nRun the local Connect endpoint"),
        "{page}"
    );

    // The endpoint's own value parser, through the shell's command line.
    let o = connectql(&["emulator", "--error-rate", "2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("must be between 0 and 1"),
        "{}",
        stderr(&o)
    );
}

/// `.read FILE` runs statements and meta-commands exactly as `-f FILE` does.
#[test]
fn read_gives_the_same_output_as_f() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("script.sql");
    std::fs::write(
        &script,
        "-- meta-commands and statements mixed\n\
         .mode csv\n\
         SELECT instance_alias, instance_status FROM aws.connect.instances WHERE region = 'us-east-1';\n\
         .mode json\n\
         SELECT 1 + 1 AS two;\n\
         .nullvalue -\n\
         .mode table\n\
         SELECT NULL AS missing, 'x' AS something;\n",
    )
    .unwrap();
    let path = script.to_str().unwrap();
    let by_f = connectql(&["--demo", "-f", path]);
    let by_read = connectql(&["--demo", "-e", &format!(".read {path}")]);
    assert!(by_f.status.success(), "{}", stderr(&by_f));
    assert!(by_read.status.success(), "{}", stderr(&by_read));
    let out = stdout(&by_f);
    assert!(
        out.contains("instance_alias,instance_status\nacme-support,ACTIVE\n"),
        "{out}"
    );
    assert!(out.contains("\"two\": 2"), "{out}");
    assert!(out.contains(" -       | x"), "{out}");
    assert_eq!(out, stdout(&by_read));
}

/// The init file runs first (its `.mode json` takes effect); `--no-init`
/// skips it and `--init FILE` replaces it.
#[test]
fn the_init_file_sets_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().to_str().unwrap();
    std::fs::create_dir_all(dir.path().join("connectql")).unwrap();
    std::fs::write(dir.path().join("connectql/init.sql"), ".mode csv\n").unwrap();
    let sql = "SELECT 'a' AS x";
    let with = connectql_with_config(config, &["--demo", "-e", sql]);
    assert!(with.status.success(), "{}", stderr(&with));
    assert_eq!(stdout(&with), "x\na\n");
    // A format given on the command line wins over the init file's.
    let flag = connectql_with_config(config, &["--demo", "-o", "json", "-e", sql]);
    assert!(stdout(&flag).starts_with('['), "{}", stdout(&flag));
    let without = connectql_with_config(config, &["--demo", "--no-init", "-o", "table", "-e", sql]);
    assert!(
        stdout(&without).contains(" x\n---\n a\n"),
        "{}",
        stdout(&without)
    );
    let other = dir.path().join("other.sql");
    std::fs::write(&other, ".mode json\n").unwrap();
    let replaced = connectql_with_config(
        config,
        &["--demo", "--init", other.to_str().unwrap(), "-e", sql],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&replaced)).unwrap();
    assert_eq!(v, serde_json::json!([{"x": "a"}]));
}

/// `.once FILE` sends the next statement's result to FILE, then output goes
/// back to stdout; `.output FILE` keeps writing there until `.output`.
#[test]
fn once_and_output_write_files() {
    let dir = tempfile::tempdir().unwrap();
    let once = dir.path().join("out.csv");
    let kept = dir.path().join("kept.json");
    let o = connectql(&[
        "--demo",
        "-o",
        "csv",
        "-e",
        &format!(".once {}", once.display()),
        "-e",
        "SELECT instance_alias FROM aws.connect.instances WHERE region = 'eu-west-2'",
        "-e",
        "SELECT 'after once' AS x",
        "-e",
        &format!(".output {}", kept.display()),
        "-e",
        ".mode json",
        "-e",
        "SELECT 1 AS a",
        "-e",
        "SELECT 2 AS a",
        "-e",
        ".output",
        "-e",
        "SELECT 'back' AS x",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&once).unwrap(),
        "instance_alias\nacme-uk\n"
    );
    let out = stdout(&o);
    assert!(out.contains("after once") && out.contains("back"), "{out}");
    assert!(!out.contains("acme-uk") && !out.contains("\"a\""), "{out}");
    let kept = std::fs::read_to_string(&kept).unwrap();
    assert!(
        kept.contains("\"a\": 1") && kept.contains("\"a\": 2"),
        "{kept}"
    );
}
