// Conformance matrix, must fail: values in `#[event(...)]` that differ from the catalog file's.
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(
    catalog = "events/inventory/inventory.stock_changed.yaml",
    name = "inventory.stock_updated",
    version = "2.0.0",
    category = "data",
    owning_application = "warehouse",
    compatibility = "forward",
    data_type = "inventory.stock",
    partition_key = ["data.warehouse_id"]
)]
struct StockChanged {
    sku: String,
    warehouse_id: String,
    on_hand: i64,
    unit_cost: f64,
    counted_at: String,
    active: bool,
}

fn main() {}
