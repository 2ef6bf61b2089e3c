//! The round-trip rule in the Rust bindings (`fulfilment.picking_plan_created`): declared keys
//! beyond the properties kept and typed, unsigned integers, date-times at their own offset, and
//! null apart from absent, under every unknown-field policy.

use eventbind::json;
use eventbind_tests::vectors::{self, Vector};
use eventbind_tests::{deny, ignore, preserve, utc_as_absent};
use serde_json::Value;

fn vector(name: &str) -> Vector {
    vectors::load_all()
        .into_iter()
        .find(|v| v.file.ends_with(format!("fulfilment.picking_plan_created/{name}.json")))
        .unwrap_or_else(|| panic!("no vector {name}"))
}

fn bytes(v: &Vector) -> Vec<u8> {
    serde_json::to_vec(&v.input).unwrap()
}

#[test]
fn declared_values_come_back_exactly_under_every_policy() {
    let v = vector("valid_declared_keys_offsets_nulls_kept");
    let input = &v.input;
    let outputs = [
        json::to_value(&json::from_slice::<ignore::fulfilment::PickingPlanCreated>(&bytes(&v)).unwrap()).unwrap(),
        json::to_value(&json::from_slice::<preserve::fulfilment::PickingPlanCreated>(&bytes(&v)).unwrap()).unwrap(),
        json::to_value(&json::from_slice::<deny::fulfilment::PickingPlanCreated>(&bytes(&v)).unwrap()).unwrap(),
    ];
    for output in outputs {
        // The vector has no unknown field: the whole document comes back, key for key.
        assert_eq!(&output, input);
    }
}

#[test]
fn typed_fields_hold_what_the_schema_says() {
    let v = vector("valid_declared_keys_offsets_nulls_kept");
    let event: ignore::fulfilment::PickingPlanCreated = json::from_slice(&bytes(&v)).unwrap();
    // `minimum: 0` without a format is unsigned, beyond 2^63; `format: uint32` is a u32.
    let sequence: u64 = event.scanner_sequence;
    assert_eq!(sequence, 18_446_744_073_709_551_000);
    let wave: u32 = event.wave;
    assert_eq!(wave, u32::MAX);
    // The offset the producer wrote is kept.
    assert_eq!(event.planned_at.offset().local_minus_utc(), -4 * 3600);
    assert_eq!(event.planned_at.to_rfc3339(), "2024-05-13T22:09:38-04:00");
    // Keys beyond `main`, declared by `additionalProperties`, are typed by its schema.
    assert_eq!(event.slots.main.order_number, "ORD-1001");
    let others: Vec<&str> = event.slots.extra.keys().map(String::as_str).collect();
    assert_eq!(others, ["B2", "C7"]);
    assert_eq!(event.slots.extra["C7"].item_count, Some(1));
    // `patternProperties`: the `x-` label is kept, typed.
    let labels = event.labels.as_ref().unwrap();
    assert_eq!(labels.zone.as_deref(), Some("cold"));
    assert_eq!(labels.extra.get("x-shift").map(String::as_str), Some("night"));
    // Null apart from absent: a nullable optional field, and one of any JSON value.
    assert_eq!(event.supervisor_note, Some(None));
    assert_eq!(event.routing_hint, Some(Value::Null));
    assert_eq!(event.expires_at, None);
    // An object whose `allOf` admits null (`oneOf: [object, null]` in one part) keeps its null.
    assert_eq!(event.handover, Some(None));
}

#[test]
fn absent_stays_absent_and_a_key_matching_no_pattern_is_unknown() {
    let v = vector("valid_unknown_label_offset_fraction");
    let event: ignore::fulfilment::PickingPlanCreated = json::from_slice(&bytes(&v)).unwrap();
    assert!(event.weight_limit_grams.is_none());
    assert_eq!(event.handover.as_ref().and_then(|h| h.as_ref()).and_then(|h| h.dock.as_deref()), Some("D4"));
    let labels = event.labels.as_ref().unwrap();
    assert_eq!(labels.extra.keys().collect::<Vec<_>>(), ["x-team"]);
    let out = json::to_value(&event).unwrap();
    assert!(out.get("weight_limit_grams").is_none(), "absent is not written: {out}");
    assert_eq!(out["planned_at"], "2024-05-14T07:39:38.250+05:30");
    assert!(out["labels"].get("shift").is_none(), "`shift` matches no pattern: unknown, dropped under ignore");
    // preserve keeps it, deny rejects it; neither touches the declared `x-team`.
    let kept: preserve::fulfilment::PickingPlanCreated = json::from_slice(&bytes(&v)).unwrap();
    let kept = kept.labels.unwrap();
    assert_eq!(kept.unknown_fields["shift"], "early");
    assert_eq!(kept.extra["x-team"], "blue");
    let err = json::from_slice::<deny::fulfilment::PickingPlanCreated>(&bytes(&v)).unwrap_err();
    assert!(err.path().starts_with("labels"), "{err}");
    assert!(err.message().contains("unknown field `shift`"), "{err}");
}

#[test]
fn values_the_types_cannot_hold_are_rejected_at_their_path() {
    for (name, path) in [
        ("invalid_scanner_sequence_negative", "scanner_sequence"),
        ("invalid_scanner_sequence_beyond_u64", "scanner_sequence"),
        ("invalid_wave_beyond_u32", "wave"),
        ("invalid_additional_slot_not_object", "slots.C7"),
        ("invalid_pattern_label_not_string", "labels.x-shift"),
    ] {
        let v = vector(name);
        for result in [
            json::from_slice::<ignore::fulfilment::PickingPlanCreated>(&bytes(&v)).map(|_| ()),
            json::from_slice::<deny::fulfilment::PickingPlanCreated>(&bytes(&v)).map(|_| ()),
        ] {
            assert_eq!(result.unwrap_err().path(), path, "{name}");
        }
    }
}

#[test]
fn producers_write_null_and_absent_as_they_choose() {
    let v = vector("valid_declared_keys_offsets_nulls_kept");
    let mut event: ignore::fulfilment::PickingPlanCreated = json::from_slice(&bytes(&v)).unwrap();
    event.supervisor_note = None;
    event.routing_hint = None;
    event.slots.extra.clear();
    let out = json::to_value(&event).unwrap();
    assert!(out.get("supervisor_note").is_none() && out.get("routing_hint").is_none(), "{out}");
    assert_eq!(out["slots"], serde_json::json!({"main": {"order_number": "ORD-1001", "item_count": 3}}));
    event.supervisor_note = Some(Some("restocked".into()));
    assert_eq!(json::to_value(&event).unwrap()["supervisor_note"], "restocked");
}

/// The build options for code that wants typify's types: the offset and null are then lost, as
/// documented.
#[test]
fn the_utc_and_as_absent_options_give_the_plain_types() {
    let v = vector("valid_declared_keys_offsets_nulls_kept");
    let event: utc_as_absent::fulfilment::PickingPlanCreated = json::from_slice(&bytes(&v)).unwrap();
    let at: chrono::DateTime<chrono::Utc> = event.planned_at;
    assert_eq!(at.to_rfc3339(), "2024-05-14T02:09:38+00:00");
    let note: Option<String> = event.supervisor_note.clone();
    assert_eq!(note, None);
    let out = json::to_value(&event).unwrap();
    assert_eq!(out["planned_at"], "2024-05-14T02:09:38Z");
    assert!(out.get("supervisor_note").is_none(), "null read as absent: {out}");
    // A JSON value holds null itself, in every build.
    assert_eq!(out["routing_hint"], Value::Null);
    assert_eq!(out["slots"], v.input["slots"], "declared keys are kept whatever the options");
}
