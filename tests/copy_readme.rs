//! README's copy examples ("what is in prod that staging lacks", "copy the
//! Billing queue with its hours and quick connects to the replica region",
//! "copy everything"), run as written — the block itself, taken from
//! README — in one `--demo` session.

mod common;

use common::run;
use serde_json::Value;

/// The SQL block of README's "Copying configuration".
fn readme_block() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let section = readme
        .split("### Copying configuration")
        .nth(1)
        .expect("the section");
    let block = section.split("```sql\n").nth(1).expect("its SQL block");
    block.split("```").next().expect("its end").to_string()
}

#[test]
fn readme_copy_examples_run_as_written() {
    let block = readme_block();
    for wanted in [
        "what is in prod that staging lacks",
        "copy the Billing queue with its hours and quick connects to the replica region",
        "copy everything",
    ] {
        assert!(block.contains(wanted), "README shows {wanted}");
    }
    let dir = std::env::temp_dir().join(format!("connectql-copy-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("copy.sql");
    // What is left afterwards, to check the copy's own account of it.
    let left = "SELECT resource_type, name, kind, property FROM aws.connect.instance_differences \
                WHERE data__SourceInstanceId = 'acme-support' \
                AND data__TargetInstanceId = 'acme-support-replica';";
    std::fs::write(&script, format!("{block}\n{left}\n")).unwrap();
    let mut c = common::clean_command(common::BIN);
    c.args(["--demo", "--yes", "--timeout", "600", "-o", "json", "-f"])
        .arg(&script);
    let (ok, stdout, stderr) = run(c);
    assert!(ok, "{stderr}\n{stdout}");
    let answers: Vec<Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .filter_map(Result::ok)
        .filter(Value::is_array)
        .collect();
    assert_eq!(answers.len(), 5, "{stdout}");

    // What is in prod that staging lacks: as README shows it.
    let shown: Vec<String> = block
        .lines()
        .skip_while(|l| !l.contains("what is in prod"))
        .skip(1)
        .skip_while(|l| l.starts_with(|c: char| c.is_ascii_uppercase() || c == ' '))
        .take_while(|l| l.starts_with("-- ") && !l.is_empty())
        .map(|l| l[3..].split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let rows: Vec<String> = answers[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            ["resource_type", "name", "property"]
                .iter()
                .map(|k| r[*k].as_str().unwrap_or("").to_string())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(rows, shown, "README's rows");

    // The Billing queue, with what it names: the calls README counts.
    let billing = answers[2].as_array().unwrap();
    assert!(
        block.contains(&format!("{} calls, each listed", billing.len())),
        "{billing:?}"
    );
    let items: Vec<&str> = billing.iter().filter_map(|r| r["item"].as_str()).collect();
    for item in [
        "Billing",
        "US Business Hours",
        "Technical Support",
        "Escalations",
    ] {
        assert!(items.contains(&item), "{item}: {items:?}");
    }
    for answer in &answers[1..4] {
        for r in answer.as_array().unwrap() {
            if r.get("status").is_some() {
                assert_eq!(r["status"], "applied", "{r}");
            }
        }
    }

    // Everything copied: no difference is left.
    assert_eq!(
        answers[4],
        Value::Array(Vec::new()),
        "differences left after copying everything; the copy said: {stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
