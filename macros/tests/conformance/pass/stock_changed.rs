// Rows of the conformance matrix that must compile: wider integers, other containers, maps of
// JSON values for objects, against the data change event `inventory.stock_changed`.
use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "events/inventory/inventory.stock_changed.yaml", partition_key = ["data.sku"], data_type = "inventory.stock_item")]
struct Wider {
    sku: String,
    warehouse_id: uuid::Uuid,
    on_hand: i128,
    #[serde(default)]
    reserved: i64,
    unit_cost: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weight_kg: Option<f64>,
    counted_at: chrono::DateTime<chrono::FixedOffset>,
    restock_on: Option<chrono::NaiveDate>,
    active: bool,
    #[serde(default)]
    bins: HashMap<String, i64>,
    #[serde(default)]
    barcodes: VecDeque<String>,
    #[serde(default)]
    attributes: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<HashMap<String, serde_json::Value>>,
}

// Row: only the required fields.
#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "events/inventory/inventory.stock_changed.yaml")]
struct Minimal {
    sku: String,
    warehouse_id: String,
    on_hand: i64,
    unit_cost: f64,
    counted_at: String,
    active: bool,
}

fn main() {}
