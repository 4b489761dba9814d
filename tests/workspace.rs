//! The shape of the workspace: the shell's library and the local endpoint
//! do not depend on each other, so that changing one never rebuilds the
//! other; only the `connectql` binary links both.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

/// Each workspace package and the workspace packages it depends on
/// directly (any kind: normal, build or dev), from `cargo metadata`.
fn workspace_dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let out = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata is JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    let names: BTreeSet<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
    packages
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .filter_map(|d| d["name"].as_str())
                .filter(|d| names.contains(d))
                .map(str::to_string)
                .collect();
            (p["name"].as_str().expect("name").to_string(), deps)
        })
        .collect()
}

/// Every workspace package `package` depends on, directly or not.
fn closure(graph: &BTreeMap<String, BTreeSet<String>>, package: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![package.to_string()];
    while let Some(p) = todo.pop() {
        for d in &graph[&p] {
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    seen
}

#[test]
fn the_shell_and_the_endpoint_do_not_depend_on_each_other() {
    let graph = workspace_dependencies();
    assert_eq!(
        graph.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "connect-operations",
            "connectql",
            "connectql-emulator",
            "connectql-shell"
        ]
    );
    assert_eq!(
        closure(&graph, "connectql-shell"),
        BTreeSet::from(["connect-operations".to_string()])
    );
    assert_eq!(
        closure(&graph, "connectql-emulator"),
        BTreeSet::from(["connect-operations".to_string()])
    );
    // The binary (and the tests) link both.
    let binary = closure(&graph, "connectql");
    assert!(binary.contains("connectql-shell") && binary.contains("connectql-emulator"));
}
