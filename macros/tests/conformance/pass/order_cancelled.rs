// Rows of the conformance matrix that must compile: Rust types that hold every value the
// `order.order_cancelled` schema allows, in several spellings.
use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Item {
    sku: String,
    quantity: i32,
}

// Row: the types eventbind generates (uuid, chrono, enums as user types).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Reason {
    CustomerRequest,
    PaymentFailed,
    OutOfStock,
    FraudSuspected,
}

#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "events/order/order.order_cancelled.yaml")]
struct Generated {
    order_number: String,
    customer_id: uuid::Uuid,
    cancelled_at: chrono::DateTime<chrono::Utc>,
    reason: Reason,
    #[serde(default)]
    cancelled_by: String,
    #[serde(default)]
    restock: bool,
    note: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    items: Vec<Item>,
}

// Row: strings hold uuids, date-times and string enums; defaulted fields as skipped `Option`s;
// optional fields may be left out; renames reach the wire names.
#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "events/order/order.order_cancelled.yaml", name = "order.order_cancelled", version = "1.3.0")]
struct Strings<'a> {
    #[serde(rename = "order_number")]
    number: Box<str>,
    customer_id: Box<str>,
    #[serde(borrow)]
    cancelled_at: Cow<'a, str>,
    reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cancelled_by: Option<String>,
    items: Vec<Item>,
}

// Row: a container default makes every absent field take the type's default; a flattened map
// takes the fields this type does not declare.
#[derive(Default, Serialize, Deserialize, eventbind::Event)]
#[serde(default)]
#[event(catalog = "events/order/order.order_cancelled.yaml", category = "general", owning_application = "order-service")]
struct Flattened {
    order_number: String,
    restock: bool,
    tags: Vec<String>,
    #[serde(flatten)]
    rest: BTreeMap<String, serde_json::Value>,
}

// Row: `with` takes the wire form out of the Rust type's hands; only optionality is checked.
mod as_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "events/order/order.order_cancelled.yaml")]
struct With {
    #[serde(with = "as_text")]
    order_number: u128,
    customer_id: serde_json::Value,
    cancelled_at: serde_json::Value,
    reason: serde_json::Value,
    items: serde_json::Value,
}

fn main() {}
