//! `include_catalog!` generates what build.rs generates: the same event types, and every valid
//! vector decodes and re-encodes to the same JSON through both. `deny(warnings)` holds the macro's
//! output to the no-warnings promise too.
#![deny(warnings)]

use eventbind::json;
use eventbind_tests::vectors::{self, Vector};
use serde_json::Value;

mod via_macro {
    eventbind::include_catalog!("../fixtures/catalog");
}

mod via_macro_preserve {
    eventbind::include_catalog!("../fixtures/catalog", unknown_fields = "preserve", tolerant_enums = false);
}

mod via_macro_orders {
    eventbind::include_catalog!("../fixtures/catalog", event_type = "order.*");
}

/// URL references mapped by the catalog's own eventbind.yaml: the macro reads it as build.rs does.
mod via_macro_url_map {
    eventbind::include_catalog!("../fixtures/repos/url_map");
}

#[test]
fn url_mappings_of_eventbind_yaml_reach_the_macro() {
    let json = br#"{"metadata": {"eid": "5b2ee6fa-1a74-4fbc-a8ff-3a21c3b2ae49", "occurred_at": "2026-01-02T03:04:05Z",
        "event_type": "billing.invoiced"}, "invoice_id": "i1", "amount": {"amount": 3.5, "currency": "EUR"},
        "billing_address": {"country": "FR"}}"#;
    let by_macro = via_macro_url_map::AnyEvent::from_json_slice(json).unwrap();
    let by_build_rs = eventbind_tests::repos::url_map::AnyEvent::from_json_slice(json).unwrap();
    assert_eq!(serde_json::to_value(by_macro).unwrap(), serde_json::to_value(by_build_rs).unwrap());
    let wrong = String::from_utf8_lossy(json).replace("\"FR\"", "\"XX\"");
    assert!(via_macro_url_map::AnyEvent::from_json_slice(wrong.as_bytes()).is_err());
}

fn valid() -> Vec<Vector> {
    let all: Vec<Vector> = vectors::load_all().into_iter().filter(|v| v.valid).collect();
    assert!(all.len() >= 20, "expected the fixture vectors, found {}", all.len());
    all
}

/// Decodes with one binding set and re-encodes; `undefined` events are decoded by type.
macro_rules! encode_with {
    ($module:path, $v:expr) => {{
        use $module as m;
        let bytes = serde_json::to_vec(&$v.input).unwrap();
        if $v.event_type == "audit.login_attempt" {
            json::to_value(&json::from_slice::<m::audit::LoginAttempt>(&bytes).unwrap()).unwrap()
        } else {
            json::to_value(&m::AnyEvent::from_json_slice(&bytes).unwrap()).unwrap()
        }
    }};
}

#[test]
fn same_event_types_as_build_rs() {
    assert_eq!(via_macro::AnyEvent::EVENT_TYPES, eventbind_tests::ignore::AnyEvent::EVENT_TYPES);
    assert_eq!(via_macro_orders::AnyEvent::EVENT_TYPES, eventbind_tests::orders_only::AnyEvent::EVENT_TYPES);
    assert!(via_macro_orders::AnyEvent::EVENT_TYPES.iter().all(|t| t.starts_with("order.")));
}

#[test]
fn vectors_decode_and_encode_alike() {
    let mut kept_unknown = 0;
    for v in valid() {
        let ignored: Value = encode_with!(eventbind_tests::ignore, v);
        assert_eq!(ignored, encode_with!(via_macro, v), "{}", v.file.display());
        let preserved: Value = encode_with!(eventbind_tests::preserve, v);
        assert_eq!(preserved, encode_with!(via_macro_preserve, v), "{} (preserve)", v.file.display());
        kept_unknown += usize::from(preserved != ignored);
    }
    // The options reach the engine: under preserve, unknown fields survive the round trip.
    assert!(kept_unknown >= 5, "only {kept_unknown} vectors kept unknown fields under preserve");
}
