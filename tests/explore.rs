//! The README's "Exploring an instance" questions (examples/explore/*.sql)
//! run against the demo and give exactly the rows in their
//! `*.expected.json` (the demo's contact centres are deterministic).
//! `CONNECTQL_BLESS=1 cargo test --test explore` rewrites the expected files
//! after a deliberate change of the demo data.

mod common;
use common::{clean_command, run, BIN};

#[test]
fn exploring_questions_give_the_expected_rows() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/explore");
    let bless = std::env::var_os("CONNECTQL_BLESS").is_some();
    let mut ran = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("sql"))
        .collect();
    entries.sort();
    for path in entries {
        let mut c = clean_command(BIN);
        c.args(["--demo", "--output", "json", "-f", path.to_str().unwrap()]);
        let (ok, stdout, stderr) = run(c);
        assert!(ok, "{}: {stderr}", path.display());
        assert!(
            stderr.trim().is_empty(),
            "{}: nothing is missing: {stderr}",
            path.display()
        );
        let got: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {stdout}", path.display()));
        let expected_path = path.with_extension("expected.json");
        if bless {
            std::fs::write(
                &expected_path,
                serde_json::to_string_pretty(&got).unwrap() + "\n",
            )
            .unwrap();
        }
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&expected_path)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display())),
        )
        .unwrap();
        assert!(
            got.as_array().is_some_and(|rows| !rows.is_empty()),
            "{}: a question worth asking has an answer",
            path.display()
        );
        assert_eq!(got, expected, "{}", path.display());
        ran += 1;
    }
    assert!(ran >= 10, "examples/explore holds the README's questions");
}
