//! `eventbind schema`, `eventbind store write` and `eventbind replay --store` on the example
//! catalog (all three schema formats, all categories) and events generated from its vectors.

mod store_support;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use store_support::{catalog, eids, eventbind, generate, valid_vectors, write_ndjson};

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 paths")
}

fn parquet_files(store: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![store.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "parquet") {
                out.insert(path.clone(), std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

const ALL_TYPES: [&str; 15] = [
    "audit.login_attempt",
    "audit.login_attempt_proto",
    "crm.contact",
    "device.button-quacked",
    "device.telemetry_reported",
    "fulfilment.picking_plan_created",
    "inventory.stock_level",
    "inventory.stock_level_avro",
    "order.order_cancelled",
    "order.order_placed",
    "payment.payment_authorized",
    "payment.refund_issued",
    "payment.refund_issued_avro",
    "payment.refund_issued_proto",
    "shipping.parcel_dispatched",
];

#[test]
fn schemas_cover_every_event_type_in_every_format() {
    let cat = catalog();
    for format in ["arrow", "spark-json", "spark-ddl"] {
        let out = eventbind(&["schema", "--catalog", s(&cat), "--format", format]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let all: Value = serde_json::from_slice(&out.stdout).expect("a JSON object by event type");
        let names: Vec<&str> = all.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(names, ALL_TYPES, "{format}");
    }
    let one = |format: &str, t: &str| {
        let out = eventbind(&["schema", "--catalog", s(&cat), "--format", format, "--type", t]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let avro = one("spark-ddl", "payment.refund_issued_avro");
    for piece in [
        "`amount`: DECIMAL(12,2)",
        "`fee` DECIMAL(10,3)",
        "`cutoff_time` BIGINT",
        "`booked_on` DATE",
        "`local_booking_time` TIMESTAMP_NTZ",
        "`issued_at` TIMESTAMP",
        "`destination` STRUCT<`bank_transfer`: STRUCT<`iban`: STRING>, `card_refund`: STRUCT<`card_token`: STRING, `fingerprint`: BINARY>>",
        "`labels` MAP<STRING, STRING>",
        "`_unknown` STRING",
        "`event_type` STRING",
        "`date` DATE",
    ] {
        assert!(avro.contains(piece), "{piece} in {avro}");
    }
    let proto: Value = serde_json::from_str(&one("arrow", "payment.refund_issued_proto")).expect("JSON");
    let field = |name: &str| {
        proto["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    assert_eq!(field("sequence")["type"], serde_json::json!({"name": "int", "bitWidth": 64, "isSigned": true}));
    assert_eq!(field("receipt")["type"]["name"], "binary");
    assert_eq!(field("extra")["type"]["name"], "map", "google.protobuf.Struct");
    assert_eq!(field("destination")["children"].as_array().unwrap().len(), 2, "the oneof's two fields");
    let data: Value = serde_json::from_str(&one("spark-json", "crm.contact")).expect("JSON");
    let names: Vec<&str> = data["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["metadata", "data_op", "data_type", "data", "_unknown", "_order", "event_type", "date"]);
    // The recursive OrgUnit.parent is JSON text.
    assert!(one("spark-ddl", "crm.contact").contains("`parent`: STRING"), "recursion cut to JSON text");
}

#[test]
fn every_valid_vector_comes_back_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut events = Vec::new();
    for t in ALL_TYPES.iter().filter(|t| !t.starts_with("audit.") && !t.ends_with("_avro") && !t.ends_with("_proto")) {
        events.extend(valid_vectors(t, t));
    }
    events.extend(valid_vectors("payment.refund_issued", "payment.refund_issued_avro"));
    events.extend(valid_vectors("payment.refund_issued", "payment.refund_issued_proto"));
    let input = dir.path().join("vectors.ndjson");
    write_ndjson(&input, &events);
    let store = dir.path().join("store");
    let cat = catalog();
    let w = eventbind(&["store", "write", "--catalog", s(&cat), "--out", s(&store), s(&input)]);
    assert!(w.status.success(), "{}{}", String::from_utf8_lossy(&w.stdout), String::from_utf8_lossy(&w.stderr));
    let r = eventbind(&["replay", "--catalog", s(&cat), "--store", s(&store)]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let back: BTreeMap<String, Value> = String::from_utf8_lossy(&r.stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (format!("{}/{}", v["metadata"]["event_type"].as_str().unwrap(), v["metadata"]["eid"].as_str().unwrap()), v)
        })
        .collect();
    assert_eq!(back.len(), events.len(), "every event is replayed");
    for e in &events {
        let t = e["metadata"]["event_type"].as_str().unwrap();
        let key = format!("{t}/{}", e["metadata"]["eid"].as_str().unwrap());
        let got = &back[&key];
        if t.ends_with("_proto") {
            // proto3 JSON names come back as the lowerCamel json_name; the values are the same.
            assert_eq!(camel(e), camel(got), "{key}");
        } else {
            // Unknown fields, explicit nulls, defaults left out: all as they were. Date-times are
            // stored as UTC instants (the store's documented mapping), so offsets compare as UTC.
            assert_eq!(utc_times(e), utc_times(got), "{key}");
        }
    }
}

/// `v` with every RFC 3339 date-time string written as the same instant in UTC.
fn utc_times(v: &Value) -> Value {
    match v {
        Value::String(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(t) => Value::String(t.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
            Err(_) => v.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(utc_times).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, x)| (k.clone(), utc_times(x))).collect()),
        other => other.clone(),
    }
}

fn camel(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| {
                    let mut key = String::new();
                    let mut up = false;
                    for c in k.chars() {
                        if c == '_' && k != "metadata" {
                            up = true;
                        } else if up {
                            key.extend(c.to_uppercase());
                            up = false;
                        } else {
                            key.push(c);
                        }
                    }
                    (if k == "metadata" || k.contains('-') { k.clone() } else { key }, camel(x))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(camel).collect()),
        other => other.clone(),
    }
}

#[test]
fn writing_the_same_input_twice_adds_nothing_and_rewrites_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let events = generate(&[("order.order_placed", "order.order_placed"), ("crm.contact", "crm.contact")], 60, 3);
    let input = dir.path().join("in.ndjson");
    write_ndjson(&input, &events);
    let store = dir.path().join("store");
    let cat = catalog();
    let args = ["store", "write", "--catalog", s(&cat), "--out", s(&store), s(&input)];
    let first = eventbind(&args);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stdout).contains("120 written, 0 duplicate(s) skipped"));
    let before = parquet_files(&store);
    assert!(before.keys().all(|p| {
        let rel = p.strip_prefix(&store).unwrap().to_string_lossy().into_owned();
        rel.starts_with("event_type=") && rel.contains("/date=2024-05-0")
    }));
    let second = eventbind(&args);
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    assert!(
        String::from_utf8_lossy(&second.stdout).contains("0 written, 120 duplicate(s) skipped"),
        "{}",
        String::from_utf8_lossy(&second.stdout)
    );
    assert_eq!(parquet_files(&store), before, "no file added, none changed");
    // A later input with some new events adds only those, in new files.
    let more = generate(&[("order.order_placed", "order.order_placed")], 10, 4);
    let mixed = dir.path().join("mixed.ndjson");
    write_ndjson(&mixed, &[&events[..30], &more[..]].concat());
    let third = eventbind(&["store", "write", "--catalog", s(&cat), "--out", s(&store), s(&mixed)]);
    assert!(String::from_utf8_lossy(&third.stdout).contains("10 written, 30 duplicate(s) skipped"));
    let after = parquet_files(&store);
    for (path, bytes) in &before {
        assert_eq!(after.get(path), Some(bytes), "{} is untouched", path.display());
    }
    assert!(after.len() > before.len());
    let log = std::fs::read_to_string(store.join("_eventbind/runs.log")).unwrap();
    assert_eq!(log.lines().filter(|l| l.contains("started")).count(), 3);
}

#[test]
fn invalid_events_are_reported_as_validate_reports_them_and_quarantined() {
    let dir = tempfile::tempdir().unwrap();
    let root = store_support::root().join("fixtures/vectors/order.order_cancelled");
    let mut lines = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for p in names {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        lines.push(v["input"].clone());
    }
    let input = dir.path().join("mixed.ndjson");
    write_ndjson(&input, &lines);
    std::fs::OpenOptions::new().append(true).open(&input).unwrap().write_all(b"{\"truncated\": \n").unwrap();
    let cat = catalog();
    let store = dir.path().join("store");
    let w = eventbind(&["store", "write", "--catalog", s(&cat), "--out", s(&store), s(&input)]);
    assert_eq!(w.status.code(), Some(1), "an event was quarantined");
    let v = eventbind(&["validate", "--catalog", s(&cat), s(&input)]);
    let problem_lines = |out: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(out).lines().filter(|l| l.starts_with(s(&input))).map(str::to_owned).collect()
    };
    let reported = problem_lines(&w.stdout);
    assert!(!reported.is_empty());
    assert_eq!(reported, problem_lines(&v.stdout), "the same lines as `eventbind validate`");
    let quarantine: Vec<Value> = std::fs::read_to_string(store.join("_quarantine/run-000001.ndjson"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let invalid = lines.len() - valid_vectors("order.order_cancelled", "order.order_cancelled").len() + 1;
    assert_eq!(quarantine.len(), invalid, "each invalid event and the truncated line");
    assert!(quarantine.iter().all(|q| q["problems"].as_array().is_some_and(|p| !p.is_empty())));
    assert!(quarantine.iter().filter(|q| q["event"].is_object()).count() == invalid - 1, "events kept whole");
    let last = quarantine.last().unwrap();
    assert_eq!(last["line"], lines.len() + 1);
    assert!(last["problems"][0]["reason"].as_str().unwrap().starts_with("truncated JSON"), "{last}");
    assert!(!parquet_files(&store).is_empty(), "the valid events are stored");
}

#[test]
fn replay_from_the_store_selects_and_orders_as_replay_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let types = [
        ("payment.refund_issued", "payment.refund_issued"),
        ("payment.refund_issued", "payment.refund_issued_avro"),
        ("inventory.stock_level", "inventory.stock_level"),
        ("device.button-quacked", "device.button-quacked"),
    ];
    let events = generate(&types, 150, 11);
    let (a, b) = events.split_at(250);
    let (fa, fb) = (dir.path().join("a.ndjson"), dir.path().join("b.ndjson"));
    write_ndjson(&fa, a);
    write_ndjson(&fb, b);
    let cat = catalog();
    let store = dir.path().join("store");
    // Small row groups and buffers: many sorted runs to merge, and the memory bound exercised.
    let w = eventbind(&[
        "store",
        "write",
        "--catalog",
        s(&cat),
        "--out",
        s(&store),
        "--row-group-rows",
        "40",
        "--buffer-bytes",
        "20000",
        s(&fa),
        s(&fb),
    ]);
    assert!(w.status.success(), "{}", String::from_utf8_lossy(&w.stderr));
    for window in [
        vec![],
        vec!["--from", "2024-05-02T00:00:00Z", "--to", "2024-05-03T12:00:00.5+02:00"],
        vec![
            "--type",
            "payment.refund_issued_avro",
            "--type",
            "device.button-quacked",
            "--from",
            "2024-05-01T06:00:00Z",
        ],
    ] {
        let mut files = vec!["replay", "--catalog", s(&cat)];
        files.extend(window.iter().copied());
        let mut from_store = files.clone();
        files.extend([s(&fa), s(&fb)]);
        from_store.extend(["--store", s(&store)]);
        let expected = eventbind(&files);
        let got = eventbind(&from_store);
        assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
        let (expected, got) = (eids(&expected.stdout), eids(&got.stdout));
        assert!(!expected.is_empty(), "{window:?}");
        assert_eq!(got, expected, "{window:?}");
    }
    let rows = row_groups(&store);
    assert!(rows.iter().all(|n| *n <= 40), "row groups hold at most --row-group-rows: {rows:?}");
    assert_eq!(rows.iter().sum::<usize>(), events.len());
}

fn row_groups(store: &Path) -> Vec<usize> {
    let mut out = Vec::new();
    for path in parquet_files(store).keys() {
        let reader = parquet::file::reader::SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
        let meta = parquet::file::reader::FileReader::metadata(&reader);
        out.extend(meta.row_groups().iter().map(|g| g.num_rows() as usize));
    }
    out
}

#[test]
fn stdin_is_an_input_and_a_lock_keeps_writers_apart() {
    let dir = tempfile::tempdir().unwrap();
    let events = generate(&[("device.telemetry_reported", "device.telemetry_reported")], 20, 5);
    let cat = catalog();
    let store = dir.path().join("store");
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventbind"))
        .args(["store", "write", "--catalog", s(&cat), "--out", s(&store)])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for e in &events {
        writeln!(stdin, "{e}").unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("20 written"), "{}", String::from_utf8_lossy(&out.stdout));
    std::fs::write(store.join("_eventbind/lock"), "pid 1").unwrap();
    let locked = eventbind(&["store", "write", "--catalog", s(&cat), "--out", s(&store), "-"]);
    assert_eq!(locked.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&locked.stderr).contains("another `eventbind store write`"));
}

#[test]
fn avro_container_files_are_an_input() {
    use apache_avro::types::Value as Avro;
    let payload = r#"{"type": "record", "name": "StockItem", "namespace": "shop.inventory", "fields": [
        {"name": "sku", "type": "string"},
        {"name": "warehouse_id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "quantity_on_hand", "type": "long"},
        {"name": "counted_at", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "status", "type": {"type": "enum", "name": "StockStatus",
            "symbols": ["in_stock", "low", "out_of_stock", "unknown"], "default": "unknown"}, "default": "in_stock"}]}"#;
    let stored = format!(
        r#"{{"type": "record", "name": "StoredEvent", "namespace": "eventbind", "fields": [
            {{"name": "headers", "type": {{"type": "map", "values": "bytes"}}}},
            {{"name": "payload", "type": {payload}}}]}}"#
    );
    let schema = apache_avro::Schema::parse_str(&stored).unwrap();
    let mut writer = apache_avro::Writer::new(&schema, Vec::new());
    for i in 0..5u64 {
        let at = chrono::DateTime::parse_from_rfc3339("2024-06-01T12:00:00Z").unwrap().to_utc()
            + chrono::Duration::minutes(i as i64 * 600);
        let mut metadata = eventbind::EventMetadata::at("inventory.stock_level_avro", at);
        metadata.eid = store_support::eid(900 + i).parse().unwrap();
        let mut headers = metadata.to_headers();
        headers.extend(eventbind::headers::data_envelope_headers(eventbind::DataOp::Update, "inventory.stock_item"));
        let record = Avro::Record(vec![
            ("headers".into(), Avro::Map(headers.into_iter().map(|(k, v)| (k, Avro::Bytes(v))).collect())),
            (
                "payload".into(),
                Avro::Record(vec![
                    ("sku".into(), Avro::String(format!("SKU-{i}"))),
                    ("warehouse_id".into(), Avro::Uuid("6f1c0f0e-3c55-4d8e-9a43-0d6f3f9b1a10".parse().unwrap())),
                    ("quantity_on_hand".into(), Avro::Long(i as i64 * 10)),
                    ("counted_at".into(), Avro::TimestampMicros(at.timestamp_micros())),
                    ("status".into(), Avro::Enum(1, "low".into())),
                ]),
            ),
        ]);
        writer.append(record).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stock.avro");
    std::fs::write(&input, writer.into_inner().unwrap()).unwrap();
    let (cat, store) = (catalog(), dir.path().join("store"));
    let w = eventbind(&["store", "write", "--catalog", s(&cat), "--out", s(&store), s(&input)]);
    assert!(w.status.success(), "{}", String::from_utf8_lossy(&w.stdout));
    assert!(String::from_utf8_lossy(&w.stdout).contains("5 written"));
    let dates: Vec<String> = std::fs::read_dir(store.join("event_type=inventory.stock_level_avro"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(dates, ["date=2024-06-01", "date=2024-06-02", "date=2024-06-03"], "UTC dates of occurred_at");
    let r = eventbind(&["replay", "--catalog", s(&cat), "--store", s(&store)]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let events: Vec<Value> =
        String::from_utf8_lossy(&r.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 5);
    assert_eq!(events[4]["data_op"], "U");
    assert_eq!(events[4]["data_type"], "inventory.stock_item");
    assert_eq!(events[4]["data"]["quantity_on_hand"], 40);
    assert_eq!(events[4]["data"]["status"], "low");
    assert_eq!(events[4]["data"]["counted_at"], "2024-06-03T04:00:00Z");
    assert_eq!(events[4]["metadata"]["eid"], store_support::eid(904));
}
