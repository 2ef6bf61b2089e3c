// Rows of the conformance matrix that must compile: enums against a string enum schema.
use serde::{Deserialize, Serialize};

// Every value, renamed to the wire form.
#[derive(Serialize, Deserialize, eventbind::Event)]
#[serde(rename_all = "lowercase")]
#[event(catalog = "events/device/device.mode_changed.yaml")]
enum Mode {
    On,
    Off,
    Standby,
}

// Some values and a catch-all for the others.
#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "events/device/device.mode_changed.yaml")]
enum Power {
    #[serde(rename = "on")]
    Powered,
    #[serde(other)]
    Other,
}

// A newtype over a string holds any value.
#[derive(Serialize, Deserialize, eventbind::Event)]
#[event(catalog = "events/device/device.mode_changed.yaml")]
struct RawMode(String);

fn main() {}
