//! The API of generated bindings: `AnyEvent` over a mixed stream, the `Event` constants, the
//! producers' constructors, the event-type filter and the attribute options.

use eventbind::{json, Category, CompatibilityMode, DataOp, Event, SchemaFormat};
use eventbind_tests::ignore::{self, AnyEvent};
use eventbind_tests::vectors;

#[test]
fn any_event_dispatches_a_mixed_stream_unknown_types_included() {
    let mut stream: Vec<Vec<u8>> = vectors::load_all()
        .into_iter()
        .filter(|v| v.valid && v.event_type != "audit.login_attempt")
        .map(|v| serde_json::to_vec(&v.input).unwrap())
        .collect();
    // The Avro and Protobuf twins of JSON Schema event types read the same documents.
    let twins = [
        ("payment.refund_issued", "payment.refund_issued_avro"),
        ("payment.refund_issued", "payment.refund_issued_proto"),
        ("inventory.stock_level", "inventory.stock_level_avro"),
    ];
    for v in vectors::load_all().into_iter().filter(|v| v.valid) {
        for twin in twins.iter().filter(|(of, _)| *of == v.event_type).map(|(_, twin)| *twin) {
            let mut doc = v.input.clone();
            doc["metadata"]["event_type"] = twin.into();
            stream.push(serde_json::to_vec(&doc).unwrap());
        }
    }
    let known = stream.len();
    assert!(known >= 15);
    stream.push(br#"{"metadata": {"eid": "5f1c3c3e-8a4b-4d36-9d4e-0c2b1d3e4f50", "occurred_at": "2024-05-03T09:12:44Z", "event_type": "billing.invoice_sent"}, "invoice": 7}"#.to_vec());
    stream.push(br#"{"no_metadata": true}"#.to_vec());
    let mut seen = std::collections::BTreeSet::new();
    let mut unknown = Vec::new();
    for bytes in &stream {
        match AnyEvent::from_json_slice(bytes).unwrap() {
            AnyEvent::Unknown(value) => unknown.push(value),
            event => {
                let name = event.event_type().unwrap();
                assert!(AnyEvent::EVENT_TYPES.contains(&name));
                assert_eq!(event.metadata().unwrap().event_type.as_deref(), Some(name));
                seen.insert(name.to_owned());
                // A known event re-encodes to a document the same dispatch decodes again.
                let again = AnyEvent::from_json_slice(&json::to_vec(&event).unwrap()).unwrap();
                assert_eq!(again, event);
            }
        }
    }
    assert_eq!(seen.len(), AnyEvent::EVENT_TYPES.len(), "every known type appeared: {seen:?}");
    assert_eq!(unknown.len(), 2);
    assert_eq!(AnyEvent::Unknown(unknown[0].clone()).event_type(), Some("billing.invoice_sent"));
    // Unknown events keep everything, for pass-through and replay.
    assert_eq!(unknown[0]["invoice"], 7);
    // The serde impl dispatches the same way.
    let via_serde: AnyEvent = serde_json::from_slice(&stream[0]).unwrap();
    assert_eq!(via_serde, AnyEvent::from_json_slice(&stream[0]).unwrap());
}

#[test]
fn event_trait_carries_the_catalog_entry() {
    let info = ignore::crm::Contact::TYPE;
    assert_eq!(info.name, "crm.contact");
    assert_eq!(info.category, Category::Data);
    assert_eq!(info.data_type, Some("crm.contact"));
    assert_eq!(info.schema_format, SchemaFormat::JsonSchema);
    assert!(info.schema.contains("\"properties\""), "schema text embedded");
    assert!(!info.owning_application.is_empty());
    let info = ignore::order::OrderCancelled::TYPE;
    assert_eq!(info.category, Category::General);
    assert_eq!(info.compatibility_mode, CompatibilityMode::Forward);
    assert_eq!(info.partition_key_fields, &["order_number"]);
    semver_like(info.schema_version);
    assert_eq!(ignore::audit::LoginAttempt::TYPE.category, Category::Undefined);
    assert_eq!(ignore::inventory::StockLevel::TYPE.data_type, Some("inventory.stock_item"));
    assert_eq!(ignore::device::ButtonQuacked::TYPE.name, "device.button-quacked");
}

fn semver_like(v: &str) {
    let parts: Vec<&str> = v.split('.').collect();
    assert_eq!(parts.len(), 3, "{v}");
    assert!(parts.iter().all(|p| p.parse::<u64>().is_ok()), "{v}");
}

fn first_valid(event_type: &str) -> Vec<u8> {
    let v = vectors::load_all().into_iter().find(|v| v.valid && v.event_type == event_type).unwrap();
    serde_json::to_vec(&v.input).unwrap()
}

#[test]
fn producers_build_new_events_with_fresh_metadata() {
    let received: ignore::order::OrderCancelled = json::from_slice(&first_valid("order.order_cancelled")).unwrap();
    let fresh =
        ignore::order::OrderCancelled { metadata: ignore::order::OrderCancelled::new_metadata(), ..received.clone() };
    assert_ne!(fresh.metadata.eid, received.metadata.eid);
    assert_eq!(fresh.metadata.event_type.as_deref(), Some("order.order_cancelled"));
    assert_eq!(fresh.metadata().unwrap().eid, fresh.metadata.eid);
    assert_eq!(fresh.partition_key(), Some(vec![received.order_number.clone()]));

    let contact: ignore::crm::Contact = json::from_slice(&first_valid("crm.contact")).unwrap();
    let created = ignore::crm::Contact::new(DataOp::Create, contact.data.clone());
    assert_eq!(created.data_type, "crm.contact");
    assert_eq!(created.metadata.event_type.as_deref(), Some("crm.contact"));
    let encoded = json::to_value(&created).unwrap();
    assert_eq!(encoded["data_op"], "C");
    let decoded: ignore::crm::Contact = json::from_value(&encoded).unwrap();
    assert_eq!(decoded, created);
}

#[test]
fn filtered_build_has_only_the_selected_event_types() {
    assert_eq!(eventbind_tests::orders_only::AnyEvent::EVENT_TYPES, &["order.order_cancelled", "order.order_placed"]);
}

#[test]
fn type_and_field_attributes_are_applied() {
    use std::collections::HashSet;
    // `#[derive(Hash, Eq)]` was added to this enum only: it can go in a HashSet.
    let set: HashSet<eventbind_tests::tolerant::order::OrderCancelledReason> =
        [eventbind_tests::tolerant::order::OrderCancelledReason::Unknown("x".into())].into_iter().collect();
    assert_eq!(set.len(), 1);
    let golden = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/golden/catalog.tolerant.rs")).unwrap();
    assert!(golden.contains("///Free text from the agent.\n        pub note:"));
}
