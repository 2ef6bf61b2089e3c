// Conformance matrix, must fail: optionality that differs from the schema's.
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Item {
    sku: String,
}

#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "events/order/order.order_cancelled.yaml")]
struct OrderCancelled {
    // required and never null
    order_number: Option<String>,
    customer_id: uuid::Uuid,
    cancelled_at: String,
    reason: String,
    // may be absent, not null: `None` must not be written
    cancelled_by: Option<String>,
    // may be null
    note: String,
    // may be absent
    tags: Vec<String>,
    items: Vec<Item>,
}

fn main() {}
