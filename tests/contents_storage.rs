//! An instance's storage configurations, changed against the local
//! endpoint: INSERT associates one (AssociateInstanceStorageConfig, the
//! fields nested in its StorageConfig), UPDATE replaces its StorageConfig
//! when a field differs (UpdateInstanceStorageConfig, named by association
//! id and resource type), DELETE disassociates it. Each converges: the same
//! statement again makes no write call. What Connect fixes at creation
//! (the resource type, the instance) is refused before any call.

mod common;
#[path = "common/statements.rs"]
mod statements;

use common::{run, Emulator};
use serde_json::{json, Value};
use statements::{change, converged, one, writes, REGION};

const ACME: &str = "region = 'us-east-1' AND data__InstanceId = 'acme-support'";
const TABLE: &str = "aws.connect.instance_storage_configs";

/// Runs a change expected to be refused: its error, after checking that
/// no write call was made.
fn refused(emu: &Emulator, sql: &str) -> String {
    let before = writes(emu);
    let mut c = emu.connectql();
    c.args(["--region", REGION, "--yes", "-e", sql]);
    let (ok, out, err) = run(c);
    assert!(!ok, "{sql}: {out}");
    assert_eq!(writes(emu), before, "{sql}: a refused change sent a call");
    err
}

/// The acme-support config of a resource type (its whole row).
fn config(emu: &Emulator, resource_type: &str) -> Value {
    one(
        emu,
        &format!("SELECT * FROM {TABLE} WHERE {ACME} AND resource_type = '{resource_type}'"),
    )
}

/// The calls of a change's report: their operations.
fn ops(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["operation"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_storage_config_is_inserted_updated_by_difference_and_deleted() {
    let emu = Emulator::start(&["--demo-data"]);
    let insert = format!(
        "INSERT INTO {TABLE} (resource_type, storage_type, s3_config, region, data__InstanceId) \
         VALUES ('SCREEN_RECORDINGS', 'S3', json_object('BucketName', 'acme-screens', 'BucketPrefix', 'screens'), 'us-east-1', 'acme-support')"
    );
    let rows = change(&emu, &insert);
    assert_eq!(ops(&rows), ["AssociateInstanceStorageConfig"]);
    let row = config(&emu, "SCREEN_RECORDINGS");
    assert_eq!(row["storage_type"], "S3");
    assert_eq!(
        row["s3_config"],
        json!({"BucketName": "acme-screens", "BucketPrefix": "screens"})
    );
    assert!(row["kinesis_stream_config"].is_null(), "{row}");
    let id = row["association_id"].as_str().unwrap().to_string();
    assert!(!id.is_empty());
    // The config exists now: the INSERT again creates nothing.
    converged(&emu, &insert);

    // One field differs: one call, the whole StorageConfig, and the
    // association keeps its id.
    let update = format!(
        "UPDATE {TABLE} SET s3_config = json_object('BucketName', 'acme-screens-2', 'BucketPrefix', 'screens') \
         WHERE {ACME} AND association_id = '{id}'"
    );
    let rows = change(&emu, &update);
    assert_eq!(ops(&rows), ["UpdateInstanceStorageConfig"]);
    let row = config(&emu, "SCREEN_RECORDINGS");
    assert_eq!(row["association_id"], id.as_str());
    assert_eq!(row["s3_config"]["BucketName"], "acme-screens-2");
    converged(&emu, &update);

    // The storage type changes with its configuration.
    let stream = "arn:aws:kinesis:us-east-1:123456789012:stream/acme-screens";
    let switch = format!(
        "UPDATE {TABLE} SET storage_type = 'KINESIS_STREAM', kinesis_stream_config = json_object('StreamArn', '{stream}'), s3_config = NULL \
         WHERE {ACME} AND resource_type = 'SCREEN_RECORDINGS'"
    );
    let rows = change(&emu, &switch);
    assert_eq!(ops(&rows), ["UpdateInstanceStorageConfig"]);
    let row = config(&emu, "SCREEN_RECORDINGS");
    assert_eq!(row["storage_type"], "KINESIS_STREAM");
    assert_eq!(row["kinesis_stream_config"], json!({"StreamArn": stream}));
    assert!(row["s3_config"].is_null(), "{row}");
    converged(&emu, &switch);

    // The other configs were left as they were.
    let recordings = config(&emu, "CALL_RECORDINGS");
    assert_eq!(
        recordings["s3_config"]["BucketName"],
        "acme-support-connect-recordings"
    );

    let delete = format!("DELETE FROM {TABLE} WHERE {ACME} AND association_id = '{id}'");
    let rows = change(&emu, &delete);
    assert_eq!(ops(&rows), ["DisassociateInstanceStorageConfig"]);
    let (ok, values, stderr) = common::query_json(
        &emu,
        Some(REGION),
        &[&format!(
            "SELECT association_id FROM {TABLE} WHERE {ACME} AND resource_type = 'SCREEN_RECORDINGS'"
        )],
    );
    assert!(ok, "{stderr}");
    assert_eq!(values[0], json!([]));
    // Gone: nothing left to delete.
    let before = writes(&emu);
    let mut c = emu.connectql();
    c.args(["--region", REGION, "--yes", "-e", &delete]);
    let (ok, _, stderr) = run(c);
    assert!(ok, "{stderr}");
    assert_eq!(writes(&emu), before);
    // The instance's other configs are still there.
    config(&emu, "CALL_RECORDINGS");
}

#[test]
fn what_connect_fixes_at_creation_and_what_it_would_refuse_is_refused_before_any_call() {
    let emu = Emulator::start(&["--demo-data"]);
    let id = config(&emu, "CALL_RECORDINGS")["association_id"]
        .as_str()
        .unwrap()
        .to_string();
    for field in ["resource_type", "association_id"] {
        let err = refused(
            &emu,
            &format!(
                "UPDATE {TABLE} SET {field} = 'CHAT_TRANSCRIPTS' WHERE {ACME} AND association_id = '{id}'"
            ),
        );
        assert!(err.contains(&format!("{field} cannot be changed")), "{err}");
    }
    // A storage type without its configuration.
    let err = refused(
        &emu,
        &format!(
            "INSERT INTO {TABLE} (resource_type, storage_type, region, data__InstanceId) \
             VALUES ('SCREEN_RECORDINGS', 'KINESIS_FIREHOSE', 'us-east-1', 'acme-support')"
        ),
    );
    assert!(
        err.contains("KINESIS_FIREHOSE needs kinesis_firehose_config")
            && err.contains("nothing was created"),
        "{err}"
    );
    // Required fields, and the values Connect's model allows.
    let err = refused(
        &emu,
        &format!(
            "INSERT INTO {TABLE} (resource_type, s3_config, region, data__InstanceId) \
             VALUES ('SCREEN_RECORDINGS', json_object('BucketName', 'b', 'BucketPrefix', 'p'), 'us-east-1', 'acme-support')"
        ),
    );
    assert!(
        err.contains("storage_type") && err.contains("is required to create"),
        "{err}"
    );
    let err = refused(
        &emu,
        &format!(
            "INSERT INTO {TABLE} (resource_type, storage_type, s3_config, region, data__InstanceId) \
             VALUES ('SCREEN_THINGS', 'S3', json_object('BucketName', 'b', 'BucketPrefix', 'p'), 'us-east-1', 'acme-support')"
        ),
    );
    assert!(
        err.contains("ResourceType") && err.contains("SCREEN_THINGS"),
        "{err}"
    );
    let err = refused(
        &emu,
        &format!("UPDATE {TABLE} SET storage_type = 'S4' WHERE {ACME} AND association_id = '{id}'"),
    );
    assert!(
        err.contains("StorageConfig.StorageType") && err.contains("S4"),
        "{err}"
    );
    // A type that has a config already: not created again.
    let before = writes(&emu);
    let mut c = emu.connectql();
    c.args(["--region", REGION, "--yes", "-e", &format!(
        "INSERT INTO {TABLE} (resource_type, storage_type, s3_config, region, data__InstanceId) \
         VALUES ('CALL_RECORDINGS', 'S3', json_object('BucketName', 'b', 'BucketPrefix', 'p'), 'us-east-1', 'acme-support')"
    )]);
    let (ok, out, err) = run(c);
    assert!(ok, "{err}");
    assert!(
        format!("{out}{err}").contains("already exist"),
        "{out}{err}"
    );
    assert_eq!(writes(&emu), before);
    assert_eq!(
        config(&emu, "CALL_RECORDINGS")["association_id"],
        id.as_str()
    );
}
