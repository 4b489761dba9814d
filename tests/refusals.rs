//! Changes are checked completely before the first call: every kind of
//! refusal leaves the endpoint's call counters at zero.

mod common;
use common::{run, Emulator};

fn total_calls(emu: &Emulator) -> u64 {
    emu.stats()["calls"]
        .as_object()
        .map(|m| m.values().filter_map(|v| v.as_u64()).sum())
        .unwrap_or(0)
}

#[test]
fn refused_changes_make_no_call() {
    let emu = Emulator::start(&["--demo-data"]);
    let insert = "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) \
                  SELECT 'CONNECT_MANAGED', 'refused', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'us-east-1'";
    let cases: Vec<(String, Vec<&str>, &str)> = vec![
        (
            format!("{insert} RETURNING id, no_such_column"),
            vec![],
            "no_such_column",
        ),
        (
            format!("{insert} RETURNING json_extract(attributes"),
            vec![],
            "syntax error",
        ),
        (
            "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) \
             SELECT 'CONNECT_MANAGED', 'd-bad', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'us-east-1'"
                .into(),
            vec![],
            "InstanceAlias",
        ),
        (
            "INSERT INTO aws.connect.instances (InstanceAlias, region) VALUES ('x', 'us-east-1')".into(),
            vec![],
            "IdentityManagementType",
        ),
        (
            "UPDATE aws.connect.instance SET data__PatchDocument = '[{\"op\":\"replace\",\"path\":\"/Arn\",\"value\":\"x\"}]' \
             WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'"
                .into(),
            vec![],
            "read-only",
        ),
        (
            "UPDATE aws.connect.instance SET data__PatchDocument = '[{\"op\":' \
             WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'"
                .into(),
            vec![],
            "not valid JSON",
        ),
        (
            "UPDATE aws.connect.instance SET data__PatchDocument = '[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]' \
             WHERE region = 'us-east-1' AND instance_status = 'ACTIVE'"
                .into(),
            vec![],
            "missing required param `data__Identifier`",
        ),
        (
            "DELETE FROM aws.connect.instances WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'".into(),
            vec![],
            "needs --yes",
        ),
        (
            "DELETE FROM aws.connect.instances WHERE region = 'us-east-1' AND data__Identifier = 'acme-support'".into(),
            vec!["--read-only", "--yes"],
            "read-only",
        ),
        (
            "UPDATE aws.connect.users SET data__PatchDocument = '[]' WHERE region = 'us-east-1'".into(),
            vec![],
            "the patch has no operations",
        ),
    ];
    for (sql, flags, expect) in cases {
        emu.reset();
        let mut c = emu.connectql();
        c.args(["--region", "us-east-1", "-o", "json"])
            .args(&flags)
            .args(["-e", &sql]);
        let (ok, _, stderr) = run(c);
        assert!(!ok, "{sql}: should be refused");
        assert!(stderr.contains(expect), "{sql}: {stderr}");
        assert_eq!(total_calls(&emu), 0, "{sql}: {}", emu.stats());
    }
}
