//! The generic envelopes and metadata: one-pass decoding, unknown metadata kept, producers'
//! constructors, and decode errors that name the JSON path.

use eventbind::{
    json, Category, CompatibilityMode, DataChangeEvent, DataOp, Event, EventMetadata, EventTypeInfo, GeneralEvent,
    SchemaFormat,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct OrderCancelled {
    order_number: String,
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Item {
    sku: String,
    price: Price,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Price {
    amount: f64,
    currency: String,
}

impl Event for OrderCancelled {
    const TYPE: EventTypeInfo = EventTypeInfo {
        name: "order.order_cancelled",
        category: Category::General,
        schema_version: "1.0.0",
        owning_application: "order-service",
        compatibility_mode: CompatibilityMode::Forward,
        partition_key_fields: &["order_number"],
        data_type: None,
        schema_format: SchemaFormat::JsonSchema,
        schema: "{}",
    };
}

const GENERAL: &str = r#"{
  "order_number": "ORD-1",
  "unknown_top": {"deep": [1, 2]},
  "metadata": {
    "eid": "5f1c3c3e-8a4b-4d36-9d4e-0c2b1d3e4f50",
    "occurred_at": "2024-05-03T09:12:44Z",
    "event_type": "order.order_cancelled",
    "parent_eids": ["04a07293-2186-5480-8cc5-f0263f46a61a"],
    "tenant_id": "shop-de",
    "published_by": "gateway-7",
    "span_ctx": {"ot-tracer-spanid": "b268f901d5f2b865"}
  },
  "items": [{"sku": "A", "price": {"amount": 1.5, "currency": "EUR", "extra": true}}]
}"#;

#[test]
fn general_event_decodes_metadata_anywhere_in_the_document() {
    let event: GeneralEvent<OrderCancelled> = json::from_str(GENERAL).unwrap();
    assert_eq!(event.payload.order_number, "ORD-1");
    assert_eq!(event.payload.items[0].price.currency, "EUR");
    assert_eq!(event.metadata.tenant_id.as_deref(), Some("shop-de"));
    assert_eq!(event.metadata.parent_eids.len(), 1);
    // Fields intermediaries add to metadata are kept and written back.
    assert_eq!(event.metadata.extra["published_by"], "gateway-7");
    let encoded = json::to_value(&event).unwrap();
    assert_eq!(encoded["metadata"]["span_ctx"]["ot-tracer-spanid"], "b268f901d5f2b865");
    assert_eq!(encoded["order_number"], "ORD-1");
    assert!(encoded.get("unknown_top").is_none());
    let again: GeneralEvent<OrderCancelled> = json::from_value(&encoded).unwrap();
    assert_eq!(again, event);
    assert_eq!(event.partition_key(), Some(vec!["ORD-1".to_owned()]));
}

#[test]
fn general_event_errors_name_the_path() {
    let bad = GENERAL.replace(r#""currency": "EUR""#, r#""currency": 7"#);
    let err = json::from_str::<GeneralEvent<OrderCancelled>>(&bad).unwrap_err();
    assert_eq!(err.path(), "items[0].price.currency");
    assert!(err.message().contains("invalid type: integer `7`, expected a string"), "{err}");

    let bad = GENERAL.replace("5f1c3c3e-8a4b-4d36-9d4e-0c2b1d3e4f50", "not-a-uuid");
    assert_eq!(json::from_str::<GeneralEvent<OrderCancelled>>(&bad).unwrap_err().path(), "metadata.eid");

    let missing = r#"{"order_number": "ORD-1"}"#;
    let err = json::from_str::<GeneralEvent<OrderCancelled>>(missing).unwrap_err();
    assert!(err.message().contains("missing field `metadata`"), "{err}");

    let twice = r#"{"metadata": {"eid": "5f1c3c3e-8a4b-4d36-9d4e-0c2b1d3e4f50", "occurred_at": "2024-05-03T09:12:44Z"}, "order_number": "A", "metadata": {}}"#;
    assert!(json::from_str::<GeneralEvent<OrderCancelled>>(twice)
        .unwrap_err()
        .message()
        .contains("duplicate field `metadata`"));

    // Not JSON: where the text stops being JSON, with its line and column.
    let err = json::from_str::<GeneralEvent<OrderCancelled>>("{\"metadata\": {\"eid\": ]}").unwrap_err();
    assert_eq!(err.path(), "metadata.eid", "{err}");
    assert!(err.message().contains("line 1 column 22"), "{err}");
    // A type error keeps the line and column of the text too.
    let bad = GENERAL.replace(r#""currency": "EUR""#, r#""currency": 7"#);
    assert!(json::from_str::<GeneralEvent<OrderCancelled>>(&bad).unwrap_err().message().contains(" at line "));
}

#[test]
fn metadata_requires_eid_and_occurred_at() {
    let err = json::from_str::<EventMetadata>(r#"{"occurred_at": "2024-05-03T09:12:44Z"}"#).unwrap_err();
    assert!(err.message().contains("missing field `eid`"), "{err}");
    let err = json::from_str::<EventMetadata>(
        r#"{"eid": "5f1c3c3e-8a4b-4d36-9d4e-0c2b1d3e4f50", "occurred_at": "yesterday"}"#,
    )
    .unwrap_err();
    assert_eq!(err.path(), "occurred_at");
}

#[test]
fn producers_create_events_in_one_expression() {
    let event = GeneralEvent::new(OrderCancelled { order_number: "ORD-2".into(), items: vec![] });
    assert_eq!(event.metadata.event_type.as_deref(), Some("order.order_cancelled"));
    assert!((chrono::Utc::now() - event.metadata.occurred_at.to_utc()).num_seconds() < 5);
    let other = GeneralEvent::new(OrderCancelled { order_number: "ORD-3".into(), items: vec![] });
    assert_ne!(event.metadata.eid, other.metadata.eid);

    let change = DataChangeEvent::new(DataOp::Update, OrderCancelled { order_number: "ORD-4".into(), items: vec![] });
    assert_eq!(change.data_type, "order.order_cancelled");
    let encoded = json::to_value(&change).unwrap();
    assert_eq!(encoded["data_op"], "U");
    assert_eq!(encoded["data"]["order_number"], "ORD-4");
    let decoded: DataChangeEvent<OrderCancelled> = json::from_value(&encoded).unwrap();
    assert_eq!(decoded, change);

    let meta = EventMetadata::new("x.y")
        .with_flow_id("flow-1")
        .with_tenant_id("t")
        .with_trace_id("tr")
        .caused_by(event.metadata.eid);
    assert_eq!(meta.parent_eids, vec![event.metadata.eid]);
    assert_eq!(json::to_value(&meta).unwrap()["flow_id"], "flow-1");
}

#[test]
fn data_change_event_rejects_unknown_data_op() {
    let doc = r#"{"metadata": {"eid": "5f1c3c3e-8a4b-4d36-9d4e-0c2b1d3e4f50", "occurred_at": "2024-05-03T09:12:44Z"}, "data_op": "X", "data_type": "t", "data": {"order_number": "A"}}"#;
    let err = json::from_str::<DataChangeEvent<OrderCancelled>>(doc).unwrap_err();
    assert_eq!(err.path(), "data_op");
}

#[test]
fn event_type_probe_reads_only_the_type() {
    assert_eq!(json::event_type_of(GENERAL.as_bytes()).unwrap().as_deref(), Some("order.order_cancelled"));
    assert_eq!(json::event_type_of(br#"{"a": 1}"#).unwrap(), None);
    assert!(json::event_type_of(b"{").is_err());
}

/// `metadata.occurred_at` and `received_at` come back as the producer wrote them (the offset
/// kept, as payload date-times are), through JSON and through message headers.
#[test]
fn metadata_date_times_keep_their_offset() {
    let input = r#"{"metadata":{"eid":"1a0d6453-5b06-5a2c-bd0d-3e25a1a88eee","occurred_at":"2024-05-13T22:09:38-04:00","received_at":"2024-05-14T04:09:39.250+02:00"},"order_number":"A"}"#;
    let event: GeneralEvent<OrderCancelled> = json::from_slice(input.as_bytes()).unwrap();
    assert_eq!(event.metadata.occurred_at.offset().local_minus_utc(), -4 * 3600);
    assert_eq!(event.metadata.occurred_at.to_utc().to_rfc3339(), "2024-05-14T02:09:38+00:00");
    let out = json::to_value(&event).unwrap();
    assert_eq!(out["metadata"]["occurred_at"], "2024-05-13T22:09:38-04:00");
    assert_eq!(out["metadata"]["received_at"], "2024-05-14T04:09:39.250+02:00");
    let back = EventMetadata::from_headers(&event.metadata.to_headers()).unwrap();
    assert_eq!(back.occurred_at.to_rfc3339(), "2024-05-13T22:09:38-04:00");
    // A zero offset is written `Z`, as it is read most often.
    let utc = input.replace("-04:00", "Z");
    let event: GeneralEvent<OrderCancelled> = json::from_slice(utc.as_bytes()).unwrap();
    assert_eq!(json::to_value(&event).unwrap()["metadata"]["occurred_at"], "2024-05-13T22:09:38Z");
}

#[test]
fn long_numbers_come_back_as_they_decoded() {
    // A 131-digit integer and a long decimal: what one decode → encode writes, the next decode
    // reads as the same double (the fuzzer's case, through an unknown event's JSON value).
    let long = "922311111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111100000000000000000000001435105439";
    let text = format!("[{long}, 0.30000000000000004441, 9.223111111111109e+134]");
    let first: serde_json::Value = json::from_str(&text).unwrap();
    let encoded = json::to_vec(&first).unwrap();
    let again: serde_json::Value = json::from_slice(&encoded).unwrap();
    assert_eq!(again, first, "{}", String::from_utf8_lossy(&encoded));
    assert_eq!(json::to_vec(&again).unwrap(), encoded);
}
