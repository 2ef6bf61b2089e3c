// Conformance matrix, must fail: Rust types that cannot hold what the schema's type and format
// allow. Each is reported on the field's type.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "events/inventory/inventory.stock_changed.yaml")]
struct StockChanged {
    sku: i64,
    warehouse_id: chrono::NaiveDate,
    on_hand: i32,
    #[serde(default)]
    reserved: u32,
    unit_cost: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weight_kg: Option<i32>,
    counted_at: chrono::NaiveDateTime,
    restock_on: Option<uuid::Uuid>,
    active: String,
    #[serde(default)]
    bins: Vec<i32>,
    #[serde(default)]
    barcodes: HashMap<String, String>,
    #[serde(default)]
    attributes: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<String>,
}

fn main() {}
