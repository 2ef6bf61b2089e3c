// Conformance matrix, must fail: required fields missing from the struct, and struct fields the
// schema does not have (as serde names them on the wire).
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "events/order/order.order_cancelled.yaml")]
struct OrderCancelled {
    order_number: String,
    cancelled_at: String,
    reason: String,
    coupon: Option<String>,
    #[serde(rename = "customerId")]
    customer_id: String,
}

fn main() {}
