//! `validate`: every test vector against the example catalog, envelope rules, offline `$ref`s,
//! and the stream report.

use std::path::{Path, PathBuf};

use eventbind_build::catalog::Catalog;
use eventbind_build::validate::{validate_stream, InputFormat, Outcome, Summary, Validator};
use serde_json::{json, Value};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// `items[1].price` → `/items/1/price` (serde_path_to_error notation → JSON pointer).
fn pointer_of(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    let mut out = String::new();
    for segment in path.split('.') {
        let (name, indexes) = segment.split_once('[').map_or((segment, ""), |(n, rest)| (n, rest));
        out.push('/');
        out.push_str(name);
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            out.push('/');
            out.push_str(index);
        }
    }
    out
}

/// Whether a pointer of the document lies inside an object whose schema says
/// `additionalProperties: false` (the schema then rejects the unknown field, as a producer's
/// check should, while decoders ignore it).
fn in_closed_object(event_type: &str, pointer: &str) -> bool {
    matches!((event_type, pointer), ("audit.login_attempt", p) if p.matches('/').count() == 1)
        || pointer.contains("/dimensions/")
}

#[test]
fn every_vector_validates_as_the_vector_says() {
    let catalog = Catalog::load(&[fixtures().join("catalog")]).unwrap();
    let validator = Validator::new(&catalog);
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(fixtures().join("vectors")).unwrap().flatten().collect();
    dirs.sort_by_key(|d| d.path());
    for dir in dirs.iter().filter(|d| d.path().is_dir()) {
        let mut files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let vector: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
            let event_type = vector["event_type"].as_str().unwrap();
            let forced = (event_type == "audit.login_attempt").then_some(event_type);
            let checked_event = validator.check(vector["input"].clone(), forced);
            checked += 1;
            let closed_unknown = vector["unknown"]
                .as_array()
                .is_some_and(|u| u.iter().any(|p| in_closed_object(event_type, p.as_str().unwrap())));
            match (&checked_event.outcome, vector["valid"].as_bool().unwrap()) {
                (Outcome::Valid, true) if !closed_unknown => {}
                (Outcome::Invalid(problems), true) if closed_unknown => {
                    if !problems.iter().all(|p| p.reason.contains("Additional properties")) {
                        failures.push(format!("{}: {problems:?}", file.display()));
                    }
                }
                (Outcome::Invalid(problems), false) => {
                    let expected = pointer_of(vector["error_path"].as_str().unwrap());
                    if !problems.iter().any(|p| p.pointer == expected) {
                        failures
                            .push(format!("{}: expected a problem at {expected}, got {problems:?}", file.display()));
                    }
                }
                (outcome, valid) => failures.push(format!("{}: valid={valid}, got {outcome:?}", file.display())),
            }
        }
    }
    assert!(checked >= 100, "only {checked} vectors");
    assert!(failures.is_empty(), "{} of {checked} vectors disagree:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn envelope_rules_per_category() {
    let catalog = Catalog::load(&[fixtures().join("catalog")]).unwrap();
    let validator = Validator::new(&catalog);
    let problems = |event: Value| match validator.check(event, None).outcome {
        Outcome::Invalid(p) => p.into_iter().map(|p| (p.pointer, p.reason)).collect::<Vec<_>>(),
        other => panic!("expected invalid, got {other:?}"),
    };
    let found = problems(json!({"metadata": {"event_type": "crm.contact", "eid": "nope", "occurred_at": "yesterday"},
        "data_op": "X", "data_type": 5}));
    let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(pointers, ["/metadata/eid", "/metadata/occurred_at", "/data_op", "/data_type", ""], "{found:?}");
    assert!(found[4].1.contains("`data` is missing"));

    let unknown = problems(json!({"metadata": {"event_type": "order.nope"}}));
    assert_eq!(
        unknown,
        vec![("/metadata/event_type".into(), "unknown event type `order.nope`: the catalog does not define it".into())]
    );

    let untyped = problems(json!({"a": 1}));
    assert!(untyped[0].1.contains("--type"), "{untyped:?}");

    let mismatch = validator.check(json!({"metadata": {"event_type": "crm.contact"}}), Some("order.order_cancelled"));
    assert!(matches!(&mismatch.outcome, Outcome::Invalid(p) if p[0].pointer == "/metadata/event_type"));
}

#[test]
fn references_to_other_catalog_files_resolve_offline() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::write(
        root.join("shared/money.json"),
        r#"{"$id": "https://schemas.example.com/money.json", "type": "object", "required": ["amount"],
            "properties": {"amount": {"type": "number"}, "note": {"type": "string", "nullable": true}}}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("a.yaml"),
        "name: shop.paid\nowning_application: shop\ncategory: general\nschema:\n  type: json_schema\n  schema:\n    type: object\n    properties:\n      total: {$ref: 'shared/money.json'}\n      fee: {$ref: 'https://schemas.example.com/money.json'}\n      other: {$ref: 'https://elsewhere.example.com/x.json'}\n",
    )
    .unwrap();
    let catalog = Catalog::load(&[&root]).unwrap();
    let validator = Validator::new(&catalog);
    let event = |payload: Value| {
        let mut e = json!({"metadata": {"event_type": "shop.paid", "eid": "4b6f3c1e-8a51-4f0e-9a53-6a0f0a1b2c3d",
            "occurred_at": "2024-05-01T10:00:00Z"}});
        e.as_object_mut().unwrap().extend(payload.as_object().unwrap().clone());
        e
    };
    // The schema refers to a URL nothing maps: it is refused, not fetched, and said so.
    match validator.check(event(json!({"total": {"amount": 1}})), None).outcome {
        Outcome::Invalid(p) => assert!(p[0].reason.contains("fetches nothing"), "{p:?}"),
        other => panic!("{other:?}"),
    }
    std::fs::write(
        root.join("a.yaml"),
        "name: shop.paid\nowning_application: shop\ncategory: general\nschema:\n  type: json_schema\n  schema:\n    type: object\n    properties:\n      total: {$ref: 'shared/money.json'}\n      fee: {$ref: 'https://schemas.example.com/money.json'}\n",
    )
    .unwrap();
    let catalog = Catalog::load(&[&root]).unwrap();
    let validator = Validator::new(&catalog);
    assert_eq!(validator.check(event(json!({"total": {"amount": 1, "note": null}})), None).outcome, Outcome::Valid);
    match validator.check(event(json!({"total": {"amount": "1"}, "fee": {}})), None).outcome {
        Outcome::Invalid(p) => {
            let mut pointers: Vec<&str> = p.iter().map(|p| p.pointer.as_str()).collect();
            pointers.sort();
            assert_eq!(pointers, ["/fee", "/total/amount"], "{p:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_stream_reports_line_pointer_and_reason_then_a_summary() {
    let catalog = Catalog::load(&[fixtures().join("catalog")]).unwrap();
    let validator = Validator::new(&catalog);
    let vector = |path: &str| -> String {
        let v: Value = serde_json::from_slice(&std::fs::read(fixtures().join("vectors").join(path)).unwrap()).unwrap();
        serde_json::to_string(&v["input"]).unwrap()
    };
    let input = [
        vector("order.order_cancelled/valid_all_fields.json"),
        vector("order.order_cancelled/invalid_quantity_is_string.json"),
        "{\"metadata\": {\"event_type\": \"order.order_cancelled\"".to_owned(),
        String::new(),
        vector("crm.contact/valid_snapshot.json"),
        "{\"metadata\": {\"event_type\": \"nobody.knows\"}}".to_owned(),
    ]
    .join("\n");
    let mut out = Vec::new();
    let mut summary = Summary::default();
    validate_stream(input.as_bytes(), InputFormat::Ndjson, "in.ndjson", &validator, None, &mut summary, &mut out)
        .unwrap();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("in.ndjson:2: order.order_cancelled: /items/1/quantity: \"2\" is not of type"),
        "{out}"
    );
    assert!(lines[1].starts_with("in.ndjson:3: ?: /: truncated JSON"), "{out}");
    assert!(lines[2].starts_with("in.ndjson:6: nobody.knows: /metadata/event_type: unknown event type"), "{out}");
    assert_eq!((summary.valid, summary.invalid, summary.not_validated), (2, 3, 0));
    let text = summary.to_string();
    assert!(text.starts_with("5 event(s) in 1 input(s): 2 valid, 3 invalid, 0 not validated"), "{text}");
    assert!(text.contains("  order.order_cancelled: 1 valid, 1 invalid"), "{text}");
}
