// Conformance matrix, must fail: enums whose variants are not the schema's values, and payload
// types of the wrong kind.
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, eventbind::Event)]
#[serde(rename_all = "lowercase")]
#[event(catalog = "events/device/device.mode_changed.yaml")]
enum Mode {
    On,
    Off,
    Sleep,
}

#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "events/device/device.mode_changed.yaml")]
struct ModeStruct {
    mode: String,
}

#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "events/order/order.order_cancelled.yaml")]
struct OrderNumber(i64);

fn main() {}
