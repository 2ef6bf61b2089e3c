//! Derived events through both envelopes: what `Event` says, one-pass decoding, encoding back,
//! serde attributes honoured, and types checked against catalog files at compile time.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use eventbind::{json, Category, CompatibilityMode, DataChangeEvent, DataOp, Event, GeneralEvent};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Seconds since the epoch on the wire, a `DateTime` in Rust: a `with` module.
mod epoch_seconds {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(at.timestamp())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let secs = i64::deserialize(d)?;
        DateTime::from_timestamp(secs, 0).ok_or_else(|| serde::de::Error::custom("timestamp out of range"))
    }
}

/// An order left the warehouse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema, eventbind::Event)]
#[serde(rename_all = "camelCase")]
#[event(
    name = "shop.order_shipped",
    category = "general",
    version = "1.2.0",
    owning_application = "shop-backend",
    compatibility = "compatible",
    partition_key = ["orderNumber"]
)]
pub struct OrderShipped {
    /// Human-readable order number.
    pub order_number: String,
    #[serde(rename = "carrier_code")]
    pub carrier: String,
    #[serde(default)]
    pub parcels: Vec<Parcel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_url: Option<String>,
    #[serde(with = "epoch_seconds")]
    #[schemars(with = "i64")]
    pub shipped_at: DateTime<Utc>,
}

/// One parcel of a shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Parcel {
    pub parcel_id: String,
    pub weight_grams: i32,
}

/// The same type, checked at compile time against the catalog file exported from `OrderShipped`
/// (`catalog_entry.rs` keeps that file current): an exported entry conforms to its own type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, eventbind::Event)]
#[serde(rename_all = "camelCase")]
#[event(catalog = "tests/events/exported/shop.order_shipped.yaml", catalog_root = "tests/events")]
pub struct OrderShippedChecked {
    pub order_number: String,
    #[serde(rename = "carrier_code")]
    pub carrier: String,
    #[serde(default)]
    pub parcels: Vec<Parcel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_url: Option<String>,
    #[serde(with = "epoch_seconds")]
    pub shipped_at: DateTime<Utc>,
}

fn shipped() -> OrderShipped {
    OrderShipped {
        order_number: "ORD-1".into(),
        carrier: "dhl".into(),
        parcels: vec![Parcel { parcel_id: "P1".into(), weight_grams: 1200 }],
        tracking_url: None,
        shipped_at: DateTime::from_timestamp(1_714_727_564, 0).unwrap(),
    }
}

#[test]
fn derived_event_states_its_definition() {
    let t = OrderShipped::TYPE;
    assert_eq!(t.name, "shop.order_shipped");
    assert_eq!(t.category, Category::General);
    assert_eq!(t.schema_version, "1.2.0");
    assert_eq!(t.owning_application, "shop-backend");
    assert_eq!(t.compatibility_mode, CompatibilityMode::Compatible);
    assert_eq!(t.partition_key_fields, ["orderNumber"]);
    assert_eq!(t.data_type, None);
    // Without `catalog =` there is no catalog text to embed; `catalog_entry` makes the schema.
    assert_eq!(t.schema, "");
    assert_eq!(OrderShipped::new_metadata().event_type.as_deref(), Some("shop.order_shipped"));
}

#[test]
fn general_event_round_trip_honours_serde_attributes() {
    let event = GeneralEvent::new(shipped());
    let encoded = json::to_value(&event).unwrap();
    assert_eq!(encoded["orderNumber"], "ORD-1");
    assert_eq!(encoded["carrier_code"], "dhl");
    assert_eq!(encoded["shippedAt"], 1_714_727_564);
    assert_eq!(encoded["parcels"][0]["weight_grams"], 1200);
    assert!(encoded.get("trackingUrl").is_none(), "skip_serializing_if: {encoded}");
    assert_eq!(encoded["metadata"]["event_type"], "shop.order_shipped");

    let decoded: GeneralEvent<OrderShipped> = json::from_value(&encoded).unwrap();
    assert_eq!(decoded, event);
    assert_eq!(decoded.partition_key(), Some(vec!["ORD-1".to_owned()]));

    // Metadata anywhere in the document, unknown fields ignored, defaults applied.
    let text = r#"{"orderNumber": "ORD-2", "carrier_code": "ups", "shippedAt": 0, "extra": [1],
        "metadata": {"eid": "5f1c3c3e-8a4b-4d36-9d4e-0c2b1d3e4f50", "occurred_at": "2024-05-03T09:12:44Z", "span_ctx": {}}}"#;
    let decoded: GeneralEvent<OrderShipped> = json::from_str(text).unwrap();
    assert_eq!(decoded.payload.parcels, vec![]);
    assert!(decoded.metadata.extra.contains_key("span_ctx"));

    let bad = text.replace(r#""shippedAt": 0"#, r#""shippedAt": "yesterday""#);
    assert_eq!(json::from_str::<GeneralEvent<OrderShipped>>(&bad).unwrap_err().path(), "shippedAt");
}

#[test]
fn conforming_type_decodes_what_the_exported_type_encodes() {
    assert_eq!(OrderShippedChecked::TYPE.name, OrderShipped::TYPE.name);
    assert_eq!(OrderShippedChecked::TYPE.schema_version, "1.2.0");
    assert_eq!(OrderShippedChecked::TYPE.partition_key_fields, ["orderNumber"]);
    // With a catalog file, the embedded schema is the catalog's.
    let schema: serde_json::Value = serde_json::from_str(OrderShippedChecked::TYPE.schema).unwrap();
    assert_eq!(schema["properties"]["carrier_code"]["type"], "string");
    let encoded = json::to_value(&GeneralEvent::new(shipped())).unwrap();
    let decoded: GeneralEvent<OrderShippedChecked> = json::from_value(&encoded).unwrap();
    assert_eq!(decoded.payload.order_number, "ORD-1");
    assert_eq!(json::to_value(&decoded).unwrap(), encoded);
}

/// A stock item changed (data change event).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, eventbind::Event)]
#[event(
    name = "inventory.stock_changed",
    category = "data",
    data_type = "inventory.stock_item",
    owning_application = "inventory-service",
    partition_key = ["data.sku"]
)]
pub struct StockItem {
    pub sku: String,
    pub on_hand: i64,
}

#[test]
fn data_change_event_round_trip() {
    assert_eq!(StockItem::TYPE.category, Category::Data);
    assert_eq!(StockItem::TYPE.data_type, Some("inventory.stock_item"));
    let event = DataChangeEvent::new(DataOp::Update, StockItem { sku: "SKU-1".into(), on_hand: 7 });
    assert_eq!(event.data_type, "inventory.stock_item");
    let encoded = json::to_value(&event).unwrap();
    assert_eq!(encoded["data_op"], "U");
    assert_eq!(encoded["data"]["on_hand"], 7);
    let decoded: DataChangeEvent<StockItem> = json::from_value(&encoded).unwrap();
    assert_eq!(decoded, event);
    assert_eq!(decoded.partition_key(), Some(vec!["SKU-1".to_owned()]));
}

/// Every field kind the conformance check knows, against `inventory.stock_changed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "tests/events/inventory/inventory.stock_changed.yaml", catalog_root = "tests/events")]
pub struct StockChanged {
    pub sku: String,
    pub warehouse_id: Uuid,
    pub on_hand: i64,
    #[serde(default)]
    pub reserved: i32,
    pub unit_cost: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_kg: Option<f32>,
    pub counted_at: DateTime<Utc>,
    pub restock_on: Option<NaiveDate>,
    pub active: bool,
    #[serde(default)]
    pub bins: BTreeMap<String, i32>,
    #[serde(default)]
    pub barcodes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default)]
    pub attributes: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub aisle: Option<String>,
    pub shelf: Option<i32>,
}

#[test]
fn catalog_conformant_data_event_takes_the_catalogs_definition() {
    let t = StockChanged::TYPE;
    assert_eq!(
        (t.name, t.category, t.schema_version, t.owning_application),
        ("inventory.stock_changed", Category::Data, "2.1.0", "inventory-service")
    );
    assert_eq!(t.compatibility_mode, CompatibilityMode::Compatible);
    assert_eq!(t.partition_key_fields, ["data.sku"]);
    assert_eq!(t.data_type, Some("inventory.stock_item"));
    assert!(t.schema.contains("warehouse_id"), "{}", t.schema);

    let doc = r#"{"metadata": {"eid": "5f1c3c3e-8a4b-4d36-9d4e-0c2b1d3e4f50", "occurred_at": "2024-05-03T09:12:44Z"},
        "data_op": "C", "data_type": "inventory.stock_item",
        "data": {"sku": "S", "warehouse_id": "dee5b596-0cce-5dd8-9a4e-5fdefd389bfa", "on_hand": 9007199254740993,
                 "unit_cost": 1.5, "counted_at": "2024-05-03T09:12:44Z", "restock_on": null, "active": true,
                 "bins": {"A1": 3}, "location": {"aisle": "7"}}}"#;
    let event: DataChangeEvent<StockChanged> = json::from_str(doc).unwrap();
    assert_eq!(event.data.on_hand, 9_007_199_254_740_993);
    assert_eq!(event.data.reserved, 0);
    assert_eq!(event.data.bins["A1"], 3);
    let again: DataChangeEvent<StockChanged> = json::from_value(&json::to_value(&event).unwrap()).unwrap();
    assert_eq!(again, event);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    CustomerRequest,
    PaymentFailed,
    OutOfStock,
    FraudSuspected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CancelledItem {
    pub sku: String,
    pub quantity: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<f64>,
}

fn customer() -> String {
    "customer".to_owned()
}

fn yes() -> bool {
    true
}

/// The example catalog's `order.order_cancelled`, written by hand and checked against it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, eventbind::Event)]
#[event(
    catalog = "tests/events/order/order.order_cancelled.yaml",
    catalog_root = "tests/events",
    name = "order.order_cancelled",
    version = "1.3.0"
)]
pub struct OrderCancelled {
    pub order_number: String,
    pub customer_id: Uuid,
    pub cancelled_at: DateTime<Utc>,
    pub reason: CancelReason,
    #[serde(default = "customer")]
    pub cancelled_by: String,
    #[serde(default = "yes")]
    pub restock: bool,
    pub note: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub items: Vec<CancelledItem>,
}

#[test]
fn catalog_conformant_type_decodes_the_shared_vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/vectors/order.order_cancelled");
    let mut seen = (0, 0);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let vector: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let input = serde_json::to_vec(&vector["input"]).unwrap();
        let decoded = json::from_slice::<GeneralEvent<OrderCancelled>>(&input);
        if vector["valid"] == true {
            let event = decoded.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let encoded = json::to_value(&event).unwrap();
            for (pointer, expected) in vector["expect"].as_object().into_iter().flatten() {
                assert_eq!(encoded.pointer(pointer), Some(expected), "{}: {pointer}", path.display());
            }
            seen.0 += 1;
        } else {
            let err = decoded.err().unwrap_or_else(|| panic!("{}: decoded an invalid vector", path.display()));
            if let Some(at) = vector["error_path"].as_str() {
                assert_eq!(err.path(), at, "{}", path.display());
            }
            seen.1 += 1;
        }
    }
    assert!(seen.0 >= 2 && seen.1 >= 5, "vectors seen (valid, invalid): {seen:?}");
}

/// A general event whose payload is an internally tagged enum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, eventbind::Event)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[event(name = "payment.payment_changed", category = "general", owning_application = "payments", partition_key = ["payment_id"])]
pub enum PaymentChanged {
    Authorized { payment_id: String, amount_minor: i64 },
    Captured { payment_id: String },
}

#[test]
fn enum_payload_round_trip() {
    let event = GeneralEvent::new(PaymentChanged::Authorized { payment_id: "PAY-1".into(), amount_minor: 1299 });
    let encoded = json::to_value(&event).unwrap();
    assert_eq!(encoded["kind"], "authorized");
    assert_eq!(encoded["amount_minor"], 1299);
    let decoded: GeneralEvent<PaymentChanged> = json::from_value(&encoded).unwrap();
    assert_eq!(decoded, event);
    assert_eq!(decoded.partition_key(), Some(vec!["PAY-1".to_owned()]));
}

/// An undefined-category event whose document is a string, checked against its catalog enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, eventbind::Event)]
#[serde(rename_all = "lowercase")]
#[event(catalog = "tests/events/device/device.mode_changed.yaml", catalog_root = "tests/events")]
pub enum Mode {
    On,
    Off,
    Standby,
}

#[test]
fn undefined_enum_event_has_no_envelope() {
    assert_eq!(Mode::TYPE.category, Category::Undefined);
    assert_eq!(json::to_string(&Mode::Standby).unwrap(), r#""standby""#);
    assert_eq!(json::from_str::<Mode>(r#""off""#).unwrap(), Mode::Off);
    assert!(Mode::Off.metadata().is_none());
}

/// A generic payload: the impl carries the type's generics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, eventbind::Event)]
#[event(name = "test.sample", category = "undefined", owning_application = "tests")]
pub struct Sample<T> {
    pub value: T,
}

#[test]
fn generic_payloads_are_events() {
    assert_eq!(<Sample<i32> as Event>::TYPE.name, "test.sample");
    assert_eq!(<Sample<String> as Event>::TYPE.category, Category::Undefined);
}

/// The schema-export snapshot: `OrderShipped`'s catalog file, checked in. A change to the type
/// that changes its schema fails here with a diff until the file is regenerated and reviewed.
#[test]
fn order_shipped_catalog_entry_is_current() {
    eventbind::testing::assert_catalog_entry::<OrderShipped>("tests/events/exported/shop.order_shipped.yaml");
}

/// A checked-in file that no longer matches the type fails with a diff naming what changed (or is
/// rewritten when `EVENTBIND_BLESS` is set).
#[test]
fn drifted_catalog_entry_fails_with_a_diff() {
    let path = std::env::temp_dir().join(format!("eventbind-drift-{}.yaml", std::process::id()));
    let current = eventbind::catalog_entry::<OrderShipped>();
    std::fs::write(&path, current.replace("version: 1.2.0", "version: 1.1.0")).unwrap();
    let outcome = std::panic::catch_unwind(|| eventbind::testing::assert_catalog_entry::<OrderShipped>(&path));
    let blessing = std::env::var_os("EVENTBIND_BLESS").is_some_and(|v| !v.is_empty() && v != "0");
    if blessing {
        assert!(outcome.is_ok());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), current);
    } else {
        let panic = outcome.unwrap_err();
        let message = panic.downcast_ref::<String>().unwrap();
        assert!(message.contains("-  version: 1.1.0\n+  version: 1.2.0"), "{message}");
        assert!(message.contains("EVENTBIND_BLESS=1"), "{message}");
    }
    std::fs::remove_file(&path).unwrap();
}
