//! Mappings the example catalog does not reach: Protobuf unsigned 64-bit integers as
//! decimal(20,0), values a column cannot hold exactly kept in `_unknown` (and given back by the
//! reader), reserved names renamed, and sub-microsecond times ordered.

use std::collections::HashMap;
use std::path::PathBuf;

use eventbind_build::catalog::Catalog;
use eventbind_store::read::{self, Query};
use eventbind_store::table::{catalog_tables, Kind, Leaf};
use eventbind_store::write::{Options, StoreWriter};
use eventbind_store::{arrow_schema, spark};
use eventbind_validate::{InputFormat, Records};
use serde_json::{json, Value};

fn catalog() -> Catalog {
    let proto = r#"
name: test.counter
owning_application: test
category: general
schema:
  type: protobuf
  message: test.v1.Counter
  schema: |
    syntax = "proto3";
    package test.v1;
    message Counter {
      uint64 total = 1;
      fixed64 mask = 2;
      int64 delta = 3;
      repeated uint64 history = 4;
      oneof source { string host = 5; uint64 pid = 6; }
    }
"#;
    let json_schema = r#"
name: test.measured
owning_application: test
category: general
schema:
  type: json_schema
  schema:
    type: object
    properties:
      big: {type: integer}
      price: {type: number, format: decimal}
      date: {type: string}
      _unknown: {type: string}
"#;
    Catalog::load_in_memory(
        &PathBuf::from("/mem"),
        vec![
            (PathBuf::from("/mem/counter.yaml"), proto.as_bytes().to_vec()),
            (PathBuf::from("/mem/measured.yaml"), json_schema.as_bytes().to_vec()),
        ],
    )
    .expect("the catalog loads")
}

#[test]
fn unsigned_64_bit_integers_are_decimal_20_and_reserved_names_are_renamed() {
    let catalog = catalog();
    let tables = catalog_tables(&catalog, &[]).expect("tables");
    let counter = tables.iter().find(|t| t.event_type == "test.counter").unwrap();
    let leaf = |name: &str| counter.columns.iter().find(|c| c.name == name).map(|c| c.kind.clone());
    assert_eq!(leaf("total"), Some(Kind::Leaf(Leaf::UInt64 { quoted: true })));
    assert_eq!(leaf("mask"), Some(Kind::Leaf(Leaf::UInt64 { quoted: true })));
    assert_eq!(leaf("delta"), Some(Kind::Leaf(Leaf::Int64 { proto: true, quoted: true })));
    assert!(spark::ddl(counter).contains("`history` ARRAY<DECIMAL(20,0)>"), "{}", spark::ddl(counter));
    assert!(spark::ddl(counter).contains("`source` STRUCT<`host`: STRING, `pid`: DECIMAL(20,0)>"));
    let measured = tables.iter().find(|t| t.event_type == "test.measured").unwrap();
    let names: Vec<&str> = measured.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["metadata", "big", "price", "date_", "_unknown_"], "partition and store names are taken");
    let arrow = arrow_schema::to_json(&arrow_schema::schema(measured));
    assert_eq!(arrow["fields"][2]["type"], json!({"name": "decimal", "precision": 38, "scale": 18, "bitWidth": 128}));
}

#[test]
fn values_a_column_cannot_hold_are_kept_and_come_back() {
    let catalog = catalog();
    let tables = catalog_tables(&catalog, &[]).expect("tables");
    let dir = tempfile::tempdir().unwrap();
    // Parsed from text, as the writer reads them: 2^70 becomes a JSON number beyond int64.
    let events: Vec<Value> = [
        r#"{"metadata": {"eid": "00000000-0000-4000-8000-000000000001", "occurred_at": "2024-05-01T10:00:00.000000300Z",
            "event_type": "test.measured", "published_by": "bridge"},
            "big": 1180591620717411303424, "price": 19.99, "date": "today", "_unknown": "x", "extra": {"a": [1]}}"#,
        r#"{"metadata": {"eid": "00000000-0000-4000-8000-000000000002", "occurred_at": "2024-05-01T10:00:00.000000200Z",
            "event_type": "test.counter"},
            "total": "18446744073709551615", "mask": 7, "delta": "-5", "history": ["1", 2], "pid": "99"}"#,
        r#"{"metadata": {"eid": "00000000-0000-4000-8000-000000000003", "occurred_at": "2024-05-01T10:00:00.000000200Z",
            "event_type": "test.measured"}, "price": 1e-21}"#,
    ]
    .iter()
    .map(|t| serde_json::from_str(t).unwrap())
    .collect();
    let text: String = events.iter().map(|e| format!("{e}\n")).collect();
    let mut writer = StoreWriter::open(dir.path(), &catalog, tables.clone(), Options::default()).unwrap();
    let mut out = Vec::new();
    writer.write_input(Records::new(text.as_bytes(), InputFormat::Ndjson), "mem", &mut out, |_| {}).unwrap();
    let summary = writer.finish().unwrap();
    assert_eq!(summary.written, 3, "{}", String::from_utf8_lossy(&out));
    assert_eq!(summary.misfits, 2, "2^70 beyond int64; 1e-21 below decimal(38,18)'s scale");

    let tables: HashMap<String, _> = tables.into_iter().map(|t| (t.event_type.clone(), t)).collect();
    let back: Vec<Value> =
        read::replay(dir.path(), &tables, &Query::default()).unwrap().map(|e| e.unwrap().event).collect();
    // Order: occurred_at to the nanosecond, then the order of writing.
    assert_eq!(back[0]["metadata"]["eid"], events[1]["metadata"]["eid"]);
    assert_eq!(back[1]["metadata"]["eid"], events[2]["metadata"]["eid"]);
    assert_eq!(back[2], events[0], "the misfit, the unknown fields and the renamed columns, as they were");
    assert_eq!(back[1]["price"], events[2]["price"]);
    assert_eq!(back[0]["total"], json!("18446744073709551615"));
    assert_eq!(back[0]["mask"], json!("7"), "proto3 JSON writes 64-bit integers as strings");
    assert_eq!(back[0]["delta"], json!("-5"));
    assert_eq!(back[0]["history"], json!(["1", "2"]));
    assert_eq!(back[0]["pid"], json!("99"), "the oneof's field, at the top of the message");
    assert_eq!(back[0]["metadata"]["occurred_at"], json!("2024-05-01T10:00:00.000000200Z"));

    let window = Query {
        event_types: vec!["test.measured".into()],
        from: Some("2024-05-01T10:00:00.000000250Z".parse().unwrap()),
        to: None,
    };
    let only: Vec<Value> = read::replay(dir.path(), &tables, &window).unwrap().map(|e| e.unwrap().event).collect();
    assert_eq!(only, vec![events[0].clone()], "the window's bound to the nanosecond");
}
