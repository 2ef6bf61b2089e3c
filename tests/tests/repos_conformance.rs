//! Catalogs shaped like schema repositories (`fixtures/repos`) decode alike in Rust and in every
//! template language: a shared nullable definition takes `null` at every use whichever event type
//! reached it first, schema files that refer to each other both ways compile and load (Go merges
//! their packages; Python's modules and TypeScript's ES modules import each other, defaults from
//! the other file of the cycle included, checked by mypy/tsc and run), union members named from
//! what they hold decode to the same values, and values at `$ref`s to URLs nothing maps (any JSON
//! value) come back as they came.

mod conformance_support;

use conformance_support::{canonical, config, Case, Driver, Outcome, RunCases};
use eventbind::json::{self, DecodeError};
use eventbind_tests::repos;
use serde_json::{json, Value};

const EID: &str = "5b2ee6fa-1a74-4fbc-a8ff-3a21c3b2ae49";

fn event(event_type: &str, payload: Value) -> Value {
    let mut event = payload;
    event["metadata"] = json!({"eid": EID, "occurred_at": "2026-01-02T03:04:05Z", "event_type": event_type});
    event
}

/// The documents of a catalog: (id, event type, document, valid).
fn documents(catalog: &str) -> Vec<(&'static str, &'static str, Value, bool)> {
    match catalog {
        "shared_nullable" => vec![
            ("opened null", "accounts.opened", json!({"status": null, "tier": "gold"}), true),
            ("reviewed null", "accounts.reviewed", json!({"status": null}), true),
            ("reviewed active", "accounts.reviewed", json!({"status": "active"}), true),
            ("closed nulls", "accounts.closed", json!({"status": null, "previous": null}), true),
            ("closed bad", "accounts.closed", json!({"status": "gone", "previous": null}), false),
            ("opened tier null", "accounts.opened", json!({"status": "closed", "tier": null}), true),
        ],
        "file_cycle" => vec![
            (
                "joined",
                "people.joined",
                json!({"user": {"name": "Ada", "org": {"name": "Acme", "owner": {"name": "Bo"}}}}),
                true,
            ),
            ("org", "people.org_created", json!({"org": {"name": "Acme", "members": [{"name": "Ada"}]}}), true),
            ("org bad", "people.org_created", json!({"org": {"members": [{"name": "Ada"}]}}), false),
        ],
        "union_members" => vec![
            ("card", "payments.method_added", json!({"method": {"kind": "card", "number": "4111"}}), true),
            (
                "sepa",
                "payments.method_added",
                json!({"method": {"kind": "sepa", "iban": "DE00"}, "contact": {"phone": "1"}}),
                true,
            ),
            (
                "postal",
                "payments.method_added",
                json!({"method": {"kind": "card", "number": "1"}, "contact": {"street": "Main"}}),
                true,
            ),
            (
                "text",
                "payments.method_added",
                json!({"method": {"kind": "card", "number": "1"}, "contact": "call me"}),
                true,
            ),
        ],
        "unresolved_url" => vec![
            (
                "reading",
                "sensors.reading_taken",
                json!({
                    "location": {"lat": 52.5, "lon": 13.25, "alt": null, "fix": {"kind": "gps", "sats": [3, 7]}},
                    "device": {"serial": "A1", "firmware": {"version": [1, 2], "build": "x", "signed": true}},
                    "tags": ["t", 3, {"k": false}, null, [1.5]],
                    "extra": {"note": "n"}
                }),
                true,
            ),
            (
                "scalars",
                "sensors.reading_taken",
                json!({"location": "u33dc0", "device": {"serial": "A2", "firmware": 7}}),
                true,
            ),
            (
                "null there",
                "sensors.reading_taken",
                json!({"location": null, "device": {"serial": "A3", "firmware": null}}),
                true,
            ),
            ("missing", "sensors.reading_taken", json!({"device": {"serial": "A4"}}), false),
            ("known part checked", "sensors.reading_taken", json!({"location": 1, "device": {"serial": 5}}), false),
        ],
        other => panic!("no documents for {other}"),
    }
}

fn rust(catalog: &str, bytes: &[u8]) -> Result<Value, DecodeError> {
    Ok(match catalog {
        "shared_nullable" => json::to_value(&repos::shared_nullable::AnyEvent::from_json_slice(bytes)?).unwrap(),
        "file_cycle" => json::to_value(&repos::file_cycle::AnyEvent::from_json_slice(bytes)?).unwrap(),
        "union_members" => json::to_value(&repos::union_members::AnyEvent::from_json_slice(bytes)?).unwrap(),
        _ => json::to_value(&repos::unresolved_url::AnyEvent::from_json_slice(bytes)?).unwrap(),
    })
}

fn cases(catalog: &str) -> Vec<(Case, Outcome)> {
    documents(catalog)
        .into_iter()
        .map(|(id, event_type, payload, valid)| {
            let input = serde_json::to_string(&event(event_type, payload)).unwrap();
            let outcome = match rust(catalog, input.as_bytes()) {
                Ok(value) => Outcome::Ok(canonical(&value)),
                Err(e) => Outcome::Rejected(e.to_string(), e.path().to_owned()),
            };
            let case = Case {
                id: id.to_owned(),
                event_type: event_type.to_owned(),
                policy: "ignore".to_owned(),
                input,
                valid,
            };
            (case, outcome)
        })
        .collect()
}

#[test]
fn rust_decodes_as_the_schemas_say() {
    for catalog in ["shared_nullable", "file_cycle", "union_members", "unresolved_url"] {
        for (case, outcome) in cases(catalog) {
            assert_eq!(matches!(outcome, Outcome::Ok(_)), case.valid, "{catalog} {}: {outcome:?}", case.id);
        }
    }
    // Null at every use of the shared definition, whichever event type comes first.
    let (_, outcome) = &cases("shared_nullable")[1];
    assert!(matches!(outcome, Outcome::Ok(out) if out.contains("\"status\":null")), "{outcome:?}");
}

#[test]
fn values_at_unresolved_urls_come_back_as_they_came() {
    for (id, event_type, payload, valid) in documents("unresolved_url") {
        if !valid {
            continue;
        }
        let input = event(event_type, payload);
        let bytes = serde_json::to_vec(&input).unwrap();
        let decoded = repos::unresolved_url::AnyEvent::from_json_slice(&bytes).unwrap();
        assert_eq!(json::to_value(&decoded).unwrap(), input, "{id}");
    }
    let undefined = json!({"readings": [{"at": 1, "v": -0.5}], "source": null});
    let decoded =
        json::from_slice::<repos::unresolved_url::sensors::RawForwarded>(&serde_json::to_vec(&undefined).unwrap());
    assert_eq!(json::to_value(&decoded.unwrap()).unwrap(), undefined);
}

fn check(catalog: &str, driver: Option<Driver>) {
    let cases = cases(catalog);
    let Some(results) = driver.run(&cases.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>()) else { return };
    let language = results.len();
    for (case, rust) in &cases {
        let theirs = results.get(&case.id).unwrap_or_else(|| panic!("{catalog} {}: no result", case.id));
        match (rust, theirs) {
            (Outcome::Ok(expected), Outcome::Ok(actual)) => {
                let actual = canonical(&serde_json::from_str(actual).unwrap());
                assert_eq!(&actual, expected, "{catalog} {}", case.id);
            }
            (Outcome::Rejected(..), Outcome::Rejected(..)) => {}
            (rust, theirs) => panic!("{catalog} {}: Rust {rust:?}, the other language {theirs:?}", case.id),
        }
    }
    assert_eq!(language, cases.len());
}

macro_rules! languages {
    ($($test:ident => $driver:ident),*) => {$(
        #[test]
        fn $test() {
            for catalog in ["shared_nullable", "file_cycle", "union_members", "unresolved_url"] {
                let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/repos").join(catalog);
                check(catalog, Driver::$driver(&format!("repos_{catalog}"), &config(&root)));
            }
        }
    )*};
}

languages!(
    typescript_decodes_like_rust => typescript,
    python_decodes_like_rust => python,
    go_decodes_like_rust => go,
    java_decodes_like_rust => java
);
