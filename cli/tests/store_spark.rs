//! The PySpark replay job of examples/spark on Spark in local mode, against `eventbind replay`:
//! the same generated input goes through `eventbind replay FILES` and through `eventbind store
//! write` + the Spark job, and both must select the same events in the same order. In the same
//! Spark session (cli/tests/spark/check.py): the schemas of `eventbind schema` read the same as
//! JSON and as DDL, match the types in the Parquet files, and typed values read back.
//!
//! Needs pyspark in examples/spark/.venv and a JDK 17+ (`.ci/run` installs both). With CI=true a
//! missing one fails the test; locally the test says what to install and returns.

mod store_support;

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};
use store_support::{catalog, eventbind, generate, root, write_ndjson};

const INSTALL: &str = "python3 -m venv examples/spark/.venv && examples/spark/.venv/bin/pip install -r examples/spark/requirements.txt (and a JDK 17+)";

fn spark_python() -> Option<std::path::PathBuf> {
    let python = root().join("examples/spark/.venv/bin/python");
    let has_pyspark = python.exists()
        && Command::new(&python).args(["-c", "import pyspark"]).output().is_ok_and(|o| o.status.success());
    let has_java = Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success());
    if has_pyspark && has_java {
        return Some(python);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("pyspark or java is missing; install with: {INSTALL}");
    }
    eprintln!("skipped: the Spark test needs pyspark and java; install with: {INSTALL}");
    None
}

fn stdout_of(args: &[&str]) -> Vec<u8> {
    let out = eventbind(args);
    assert!(out.status.success(), "eventbind {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn the_spark_job_replays_what_eventbind_replay_replays() {
    let Some(python) = spark_python() else { return };
    let dir = tempfile::tempdir().expect("a temp dir");
    let types = [
        ("payment.refund_issued", "payment.refund_issued"),
        ("payment.refund_issued", "payment.refund_issued_avro"),
        ("payment.refund_issued", "payment.refund_issued_proto"),
        ("order.order_cancelled", "order.order_cancelled"),
        ("crm.contact", "crm.contact"),
        ("device.telemetry_reported", "device.telemetry_reported"),
    ];
    let events = generate(&types, 400, 7);
    let (a, b) = events.split_at(events.len() / 2);
    let (first, second) = (dir.path().join("a.ndjson"), dir.path().join("b.ndjson"));
    write_ndjson(&first, a);
    write_ndjson(&second, b);
    let store = dir.path().join("store");
    let cat = catalog();
    let cat = cat.to_str().expect("UTF-8");
    let (first, second, store_s) =
        (first.to_str().expect("UTF-8"), second.to_str().expect("UTF-8"), store.to_str().expect("UTF-8"));
    stdout_of(&["store", "write", "--catalog", cat, "--out", store_s, first, second]);

    let selected = ["payment.refund_issued_avro", "crm.contact", "payment.refund_issued_proto"];
    let (from, to) = ("2024-05-01T13:00:00.000000500Z", "2024-05-03T09:30:00Z");
    let mut replay_args = vec!["replay", "--catalog", cat, "--from", from, "--to", to];
    for t in selected {
        replay_args.extend(["--type", t]);
    }
    replay_args.extend([first, second]);
    let expected: Vec<(String, String)> = String::from_utf8_lossy(&stdout_of(&replay_args))
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("JSON");
            (
                v["metadata"]["event_type"].as_str().unwrap().to_owned(),
                v["metadata"]["eid"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(expected.len() > 200, "the window selects a good part of the input: {}", expected.len());

    let all_types: Vec<&str> = types.iter().map(|(_, t)| *t).collect();
    let mut schema_args = vec!["schema", "--catalog", cat, "--format", "spark-json"];
    let mut ddl_args = vec!["schema", "--catalog", cat, "--format", "spark-ddl"];
    for t in &all_types {
        schema_args.extend(["--type", t]);
        ddl_args.extend(["--type", t]);
    }
    let schemas_json = dir.path().join("schemas.json");
    std::fs::write(&schemas_json, stdout_of(&schema_args)).expect("write");
    let schemas_ddl = dir.path().join("schemas.ddl.json");
    std::fs::write(&schemas_ddl, stdout_of(&ddl_args)).expect("write");

    // Figures the Spark side must find in the typed columns.
    let mut avro_cents = 0i64;
    let mut proto_sequence = 0usize;
    for e in &events {
        match e["metadata"]["event_type"].as_str() {
            Some("payment.refund_issued_avro") => {
                avro_cents += (e["amount"]["amount"].as_f64().unwrap() * 100.0).round() as i64;
            }
            Some("payment.refund_issued_proto") => proto_sequence += 1,
            _ => {}
        }
    }
    let out = dir.path().join("replayed");
    let result = dir.path().join("result.json");
    let args = json!({
        "store": store_s, "job": root().join("examples/spark/replay.py"),
        "schemas_json": schemas_json, "schemas_ddl": schemas_ddl,
        "event_types": selected, "from": from, "to": to, "out": out, "result": result,
        "checks": [
            {"name": "avro_amount", "type": "payment.refund_issued_avro", "expr": "cast(sum(amount.amount) * 100 as bigint)"},
            {"name": "avro_amount_type", "type": "payment.refund_issued_avro", "expr": "typeof(first(amount.amount))"},
            {"name": "proto_rows", "type": "payment.refund_issued_proto", "expr": "count(*)"},
            {"name": "occurred_at_type", "type": "crm.contact", "expr": "typeof(first(metadata.occurred_at))"},
        ],
    });
    let args_file = dir.path().join("args.json");
    std::fs::write(&args_file, args.to_string()).expect("write");
    let check = Command::new(&python)
        .arg(root().join("cli/tests/spark/check.py"))
        .arg(&args_file)
        .env("PYSPARK_PYTHON", &python)
        .output()
        .expect("python runs");
    assert!(check.status.success(), "check.py failed:\n{}", String::from_utf8_lossy(&check.stderr));
    let result: Value = serde_json::from_str(&std::fs::read_to_string(&result).expect("result")).expect("JSON");

    assert_eq!(result["schema_mismatches"], json!([]), "StructType.fromJson and fromDDL read the same schema");
    assert_eq!(result["file_mismatches"], json!([]), "the Parquet files hold the schema's types");
    for (_, t) in types {
        let count = events.iter().filter(|e| e["metadata"]["event_type"] == t).count();
        assert_eq!(result["counts"][t], json!(count), "rows of {t}");
    }
    assert_eq!(result["checksums"]["avro_amount"], json!(avro_cents.to_string()));
    assert_eq!(result["checksums"]["avro_amount_type"], json!("decimal(12,2)"));
    assert_eq!(result["checksums"]["proto_rows"], json!(proto_sequence.to_string()));
    assert_eq!(result["checksums"]["occurred_at_type"], json!("timestamp"));

    let replayed: Vec<(String, String)> = result["replayed"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["event_type"].as_str().unwrap().to_owned(), r["eid"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(result["replay_count"], json!(expected.len()));
    assert_eq!(replayed.len(), expected.len(), "the same number of events");
    if let Some(i) = replayed.iter().zip(&expected).position(|(a, b)| a != b) {
        panic!("the Spark replay differs from eventbind replay at event {i}: {:?} vs {:?}", replayed[i], expected[i]);
    }
    // The typed event comes out as JSON: the data change event's entity is there.
    let contact = result["replayed"].as_array().unwrap().iter().find(|r| r["event_type"] == "crm.contact").unwrap();
    assert!(contact["event"]["data"]["contact_id"].is_string(), "{contact}");
    assert!(Path::new(&out).join("_SUCCESS").exists());
}
