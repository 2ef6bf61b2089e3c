//! Every shared test vector through the bindings build.rs generated, under each policy: valid
//! ones decode to the expected values and survive a re-encode; invalid ones fail naming the field.

use eventbind::json::{self, DecodeError};
use eventbind_tests::vectors::{self, Vector};
use eventbind_tests::{deny, ignore, preserve, tolerant};
use serde_json::Value;

/// Decodes a vector as its own type and re-encodes it; `undefined` events have no metadata to
/// dispatch on, so they are decoded by type directly.
macro_rules! decoder {
    ($name:ident, $module:ident) => {
        fn $name(v: &Vector) -> Result<(Value, Value), DecodeError> {
            let bytes = serde_json::to_vec(&v.input).unwrap();
            if v.event_type == "audit.login_attempt_proto" {
                let event: $module::audit::LoginAttemptProto = json::from_slice(&bytes)?;
                let again: $module::audit::LoginAttemptProto =
                    json::from_value(&json::to_value(&event).unwrap()).unwrap();
                assert_eq!(event, again, "{}: re-encoded event decodes differently", v.file.display());
                return Ok((json::to_value(&event).unwrap(), json::to_value(&again).unwrap()));
            }
            if v.event_type == "audit.login_attempt" {
                let event: $module::audit::LoginAttempt = json::from_slice(&bytes)?;
                let again: $module::audit::LoginAttempt = json::from_value(&json::to_value(&event).unwrap()).unwrap();
                assert_eq!(event, again, "{}: re-encoded event decodes differently", v.file.display());
                return Ok((json::to_value(&event).unwrap(), json::to_value(&again).unwrap()));
            }
            let event = $module::AnyEvent::from_json_slice(&bytes)?;
            assert!(!matches!(event, $module::AnyEvent::Unknown(_)), "{}: decoded as unknown", v.file.display());
            assert_eq!(event.event_type(), Some(v.event_type.as_str()));
            let encoded = json::to_value(&event).unwrap();
            let again = $module::AnyEvent::from_json_value(&encoded).unwrap();
            assert_eq!(event, again, "{}: re-encoded event decodes differently", v.file.display());
            Ok((encoded, json::to_value(&again).unwrap()))
        }
    };
}

decoder!(decode_ignore, ignore);
decoder!(decode_preserve, preserve);
decoder!(decode_deny, deny);
decoder!(decode_tolerant, tolerant);

fn valid() -> Vec<Vector> {
    let all: Vec<Vector> = vectors::load_all().into_iter().filter(|v| v.valid).collect();
    assert!(all.len() >= 20, "expected the fixture vectors, found {}", all.len());
    all
}

fn invalid() -> Vec<Vector> {
    let all: Vec<Vector> = vectors::load_all().into_iter().filter(|v| !v.valid).collect();
    assert!(all.len() >= 30, "expected the fixture vectors, found {}", all.len());
    all
}

fn check_expectations(v: &Vector, encoded: &Value) {
    for (pointer, expected) in &v.expect {
        let actual = encoded.pointer(pointer);
        assert_eq!(actual, Some(expected), "{}: at {pointer}", v.file.display());
    }
}

#[test]
fn valid_vectors_decode_to_expected_values_and_drop_unknown_fields_under_ignore() {
    for v in valid() {
        let (encoded, again) = decode_ignore(&v).unwrap_or_else(|e| panic!("{}: {e}", v.file.display()));
        check_expectations(&v, &encoded);
        assert_eq!(encoded, again);
        for pointer in &v.unknown {
            // Metadata keeps every field, whatever the policy.
            if pointer.starts_with("/metadata/") {
                assert_eq!(encoded.pointer(pointer), v.input.pointer(pointer), "{}: {pointer}", v.file.display());
            } else {
                assert_eq!(encoded.pointer(pointer), None, "{}: unknown {pointer} survived", v.file.display());
            }
        }
    }
}

#[test]
fn valid_vectors_keep_unknown_fields_under_preserve() {
    for v in valid() {
        let (encoded, _) = decode_preserve(&v).unwrap_or_else(|e| panic!("{}: {e}", v.file.display()));
        check_expectations(&v, &encoded);
        for pointer in &v.unknown {
            assert!(encoded.pointer(pointer).is_some(), "{}: unknown {pointer} lost", v.file.display());
            assert_eq!(encoded.pointer(pointer), v.input.pointer(pointer), "{}: {pointer}", v.file.display());
        }
    }
}

#[test]
fn deny_rejects_exactly_the_vectors_with_unknown_payload_fields() {
    for v in valid() {
        let has_unknown_payload_field = v.unknown.iter().any(|p| !p.starts_with("/metadata/"));
        match decode_deny(&v) {
            Ok(_) => assert!(!has_unknown_payload_field, "{}: deny accepted unknown fields", v.file.display()),
            Err(e) => {
                assert!(has_unknown_payload_field, "{}: deny rejected a clean vector: {e}", v.file.display());
                assert!(e.message().contains("unknown field"), "{}: {e}", v.file.display());
            }
        }
    }
}

#[test]
fn invalid_vectors_fail_naming_the_field() {
    for v in invalid() {
        let err = match decode_ignore(&v) {
            Ok(_) => panic!("{}: invalid vector decoded", v.file.display()),
            Err(e) => e,
        };
        let expected = v.error_path.as_deref().unwrap_or_else(|| panic!("{}: no error_path", v.file.display()));
        assert_eq!(err.path(), expected, "{}: {err}", v.file.display());
        assert!(decode_preserve(&v).is_err(), "{}", v.file.display());
    }
}

#[test]
fn tolerant_enums_accept_values_closed_enums_reject() {
    let unknown_enum_value: Vec<Vector> = invalid()
        .into_iter()
        .filter(|v| {
            // `data_op` is the envelope's, not a schema enum: it stays strict.
            let e = decode_ignore(v).unwrap_err();
            e.message().contains("unknown variant") && e.path() != "data_op"
        })
        .collect();
    assert!(unknown_enum_value.len() >= 5, "expected closed-enum vectors, found {}", unknown_enum_value.len());
    for v in unknown_enum_value {
        decode_tolerant(&v).unwrap_or_else(|e| panic!("{}: tolerant build rejected: {e}", v.file.display()));
    }
}

/// Protobuf event types read the proto3 JSON mapping as the Rust bindings (pbjson) do: expected
/// values after a re-encode, unknown fields dropped under every policy (`deny` included), invalid
/// vectors rejected at their path.
#[test]
fn protobuf_vectors_follow_the_proto3_json_mapping() {
    let all = vectors::load_protobuf();
    assert!(all.len() >= 30, "expected the Protobuf vectors, found {}", all.len());
    for v in all {
        for (policy, decode) in [
            ("ignore", decode_ignore as fn(&Vector) -> Result<(Value, Value), DecodeError>),
            ("preserve", decode_preserve),
            ("deny", decode_deny),
            ("tolerant", decode_tolerant),
        ] {
            let at = format!("{} [{policy}]", v.file.display());
            match (decode(&v), v.valid) {
                (Ok((encoded, again)), true) => {
                    assert_eq!(encoded, again, "{at}: a second re-encode differs");
                    check_expectations(&v, &encoded);
                    for pointer in &v.unknown {
                        assert_eq!(encoded.pointer(pointer), None, "{at}: unknown {pointer} survived");
                    }
                }
                (Err(e), false) => {
                    let expected = v.error_path.as_deref().unwrap_or_else(|| panic!("{at}: no error_path"));
                    assert_eq!(e.path(), expected, "{at}: {e}");
                }
                (Ok((encoded, _)), false) => panic!("{at}: accepted an invalid vector: {encoded}"),
                (Err(e), true) => panic!("{at}: rejected a valid vector: {e}"),
            }
        }
    }
}
