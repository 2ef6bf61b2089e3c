//! `validate`: every test vector against the example catalog, envelope rules, offline `$ref`s,
//! and the stream report.

use std::path::{Path, PathBuf};

use eventbind_build::catalog::Catalog;
use eventbind_validate::{validate_stream, InputFormat, Outcome, Summary, Validator};
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
    // The schema refers to a URL nothing maps: nothing is fetched, and the value there is any
    // JSON value, as the generated type holds it.
    for other in [json!({"x": [1, null]}), json!("text"), json!(null)] {
        let outcome = validator.check(event(json!({"total": {"amount": 1}, "other": other})), None).outcome;
        assert_eq!(outcome, Outcome::Valid, "{other}");
    }
    match validator.check(event(json!({"total": {"amount": "1"}, "other": 1})), None).outcome {
        Outcome::Invalid(p) => assert_eq!(p[0].pointer, "/total/amount", "{p:?}"),
        other => panic!("{other:?}"),
    }
    // `references: {unresolved: error}`: the event type has no validator, and says why.
    std::fs::write(root.join("eventbind.yaml"), "references:\n  unresolved: error\n").unwrap();
    let strict = Catalog::load(&[&root]).unwrap();
    match Validator::new(&strict).check(event(json!({"total": {"amount": 1}})), None).outcome {
        Outcome::Invalid(p) => assert!(p[0].reason.contains("fetches nothing"), "{p:?}"),
        other => panic!("{other:?}"),
    }
    std::fs::remove_file(root.join("eventbind.yaml")).unwrap();
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
    assert_eq!((summary.valid, summary.invalid), (2, 3));
    let text = summary.to_string();
    assert!(text.starts_with("5 event(s) in 1 input(s): 2 valid, 3 invalid\n"), "{text}");
    assert!(text.contains("  order.order_cancelled: 1 valid, 1 invalid"), "{text}");
}

const EID: &str = "4b6f3c1e-8a51-4f0e-9a53-6a0f0a1b2c3d";

/// A change to an event: `(pointer, Some(value))` sets, `(pointer, None)` removes.
type Change<'a> = (&'a str, Option<Value>);

/// An invalid case: the change, the pointer of the expected problem, a part of its reason.
type Case<'a> = (Change<'a>, &'a str, &'a str);

/// The event with `change` applied to a copy.
fn changed(event: &Value, change: Change<'_>) -> Value {
    let mut event = event.clone();
    let (pointer, value) = change;
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/").replace("~0", "~");
    let key = key.as_str();
    let target = event.pointer_mut(parent).unwrap();
    match (target, value) {
        (Value::Object(map), Some(v)) => {
            map.insert(key.to_owned(), v);
        }
        (Value::Object(map), None) => {
            map.remove(key);
        }
        (Value::Array(items), Some(v)) => items[key.parse::<usize>().unwrap()] = v,
        (other, _) => panic!("cannot change {pointer} in {other}"),
    }
    event
}

/// Checks `valid` is valid, then that each change makes it invalid with a problem at the expected
/// pointer.
fn assert_cases(validator: &Validator<'_>, forced: Option<&str>, valid: &Value, cases: &[Case<'_>]) {
    assert_eq!(validator.check(valid.clone(), forced).outcome, Outcome::Valid, "{valid}");
    let mut failures = Vec::new();
    for (change, expected, reason_part) in cases {
        let event = changed(valid, change.clone());
        match validator.check(event, forced).outcome {
            Outcome::Invalid(problems)
                if problems.iter().any(|p| p.pointer == *expected && p.reason.contains(reason_part)) => {}
            other => {
                failures.push(format!("{change:?}: expected a problem at {expected} ({reason_part}), got {other:?}"))
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn avro_payloads_are_checked_in_their_json_form() {
    let catalog = Catalog::load(&[fixtures().join("catalog")]).unwrap();
    let validator = Validator::new(&catalog);
    let full = json!({
        "metadata": {"event_type": "payment.refund_issued_avro", "eid": EID, "occurred_at": "2024-05-01T10:00:00Z",
            "published_by": "relay"},
        "refund_id": "0b0e7d3c-3d1e-4c47-9f5b-8f0f2f3b6a71",
        "payment_id": "5a1c1f0e-2f0b-4d8e-9a0e-1c2d3e4f5a6b",
        "order_number": "ORD-1001",
        "issued_at": "2024-05-01T09:59:58.123Z",
        "amount": {"amount": 19.99, "currency": "EUR"},
        "reason": "damaged",
        "partial": true,
        "initiated_by": "agent-7",
        "refunded_items": [{"sku": "MUG-1", "quantity": 2, "amount": {"amount": 9.5, "currency": "EUR"}},
                           {"sku": "MUG-2", "quantity": 1, "amount": null, "gift_wrap": true}],
        "labels": {"ticket": "T-1", "a/b~c": "escaped"},
        "destination": {"card_token": "tok_1", "fingerprint": [1, 2, 3, 4]},
        "channel": "app",
        "cutoff_time": "17:30:00",
        "booked_on": "2024-05-02",
        "local_booking_time": "2024-05-02T08:00:00.250",
        "grace_period": {"months": 0, "days": 14, "milliseconds": 0},
        "fee": 1.25,
        "unknown_field": {"anything": [1, 2]}
    });
    assert_cases(
        &validator,
        None,
        &full,
        &[
            (("/order_number", Some(json!(1001))), "/order_number", "expected string"),
            (("/order_number", None), "", "`order_number` is missing"),
            (
                ("/reason", Some(json!("lost"))),
                "/reason",
                "`lost` is not a symbol of the enum `shop.payment.RefundReason`",
            ),
            (("/partial", Some(json!("yes"))), "/partial", "expected boolean"),
            (("/issued_at", Some(json!(1714557598123_i64))), "/issued_at", "timestamp-millis"),
            (("/refund_id", Some(json!("not-a-uuid"))), "/refund_id", "uuid"),
            (("/amount", None), "", "`amount` is missing"),
            (("/amount", Some(json!({"currency": "EUR"}))), "/amount", "`amount` is missing"),
            (("/amount/amount", Some(json!("19.99"))), "/amount/amount", "decimal(12, 2)"),
            (("/amount/amount", Some(json!(1e12))), "/amount/amount", "does not fit a decimal"),
            (("/refunded_items/0/quantity", Some(json!("2"))), "/refunded_items/0/quantity", "expected int"),
            (
                ("/refunded_items/0/quantity", Some(json!(3_000_000_000_i64))),
                "/refunded_items/0/quantity",
                "out of the range",
            ),
            (("/refunded_items/1/sku", None), "/refunded_items/1", "`sku` is missing"),
            (
                ("/refunded_items/0/amount", Some(json!({"amount": 1}))),
                "/refunded_items/0/amount",
                "`currency` is missing",
            ),
            (
                ("/refunded_items", Some(json!({"sku": "x"}))),
                "/refunded_items",
                "fits no branch of the union [null, array<",
            ),
            (("/labels/ticket", Some(json!(7))), "/labels/ticket", "expected string"),
            (("/labels/a~1b~0c", Some(json!(null))), "/labels/a~1b~0c", "expected string"),
            (
                ("/destination", Some(json!("DE89"))),
                "/destination",
                "fits no branch of the union [null, record shop.payment.BankTransfer, record shop.payment.CardRefund]",
            ),
            (("/destination", Some(json!({"other": 1}))), "/destination", "fits no branch of the union"),
            (
                ("/destination/fingerprint", Some(json!([1, 2, 3]))),
                "/destination/fingerprint",
                "expected 4 bytes, found 3",
            ),
            (("/destination/fingerprint", Some(json!([1, 2, 3, 256]))), "/destination/fingerprint", "not a byte value"),
            (("/channel", Some(json!("phone"))), "/channel", "not a symbol of the enum `shop.payment.Channel`"),
            (("/cutoff_time", Some(json!(63000000))), "/cutoff_time", "fits no branch"),
            (("/booked_on", Some(json!("02.05.2024"))), "/booked_on", "date"),
            (("/local_booking_time", Some(json!("2024-05-02T08:00:00Z"))), "/local_booking_time", "local date-time"),
            (("/grace_period/days", Some(json!(-1))), "/grace_period/days", "unsigned 32-bit"),
            (("/fee", Some(json!(12345678.0))), "/fee", "does not fit a decimal of precision 10 and scale 3"),
        ],
    );
    // Absent fields take their defaults (or null in a nullable union); unknown fields are ignored.
    let minimal = json!({
        "metadata": {"event_type": "payment.refund_issued_avro", "eid": EID, "occurred_at": "2024-05-01T10:00:00Z"},
        "refund_id": "0b0e7d3c-3d1e-4c47-9f5b-8f0f2f3b6a71", "payment_id": "5a1c1f0e-2f0b-4d8e-9a0e-1c2d3e4f5a6b",
        "order_number": "ORD-1001", "issued_at": "2024-05-01T09:59:58Z",
        "amount": {"amount": 5, "currency": "EUR"}, "reason": "goodwill", "destination": {"iban": "DE89"},
        "extra": 1
    });
    assert_eq!(validator.check(minimal, None).outcome, Outcome::Valid);

    // A data change event: the payload is under /data.
    let stock = json!({
        "metadata": {"event_type": "inventory.stock_level_avro", "eid": EID, "occurred_at": "2024-05-01T10:00:00Z"},
        "data_op": "U", "data_type": "inventory.stock_item",
        "data": {"sku": "MUG-1", "warehouse_id": "5a1c1f0e-2f0b-4d8e-9a0e-1c2d3e4f5a6b", "quantity_on_hand": 12,
                 "counted_at": "2024-05-01T09:00:00.000001Z", "status": "low"}
    });
    assert_cases(
        &validator,
        None,
        &stock,
        &[
            (("/data/quantity_on_hand", Some(json!("12"))), "/data/quantity_on_hand", "expected long, found \"12\""),
            (("/data/quantity_on_hand", Some(json!(1.5))), "/data/quantity_on_hand", "expected long"),
            (("/data/quantity_on_hand", Some(json!(u64::MAX))), "/data/quantity_on_hand", "out of the range"),
            (("/data/sku", None), "/data", "`sku` is missing"),
            (("/data/status", Some(json!("gone"))), "/data/status", "`gone` is not a symbol"),
            (("/data/counted_at", Some(json!("yesterday"))), "/data/counted_at", "timestamp-micros"),
            (("/data", Some(json!([1]))), "/data", "expected record shop.inventory.StockItem, found an array"),
        ],
    );
    assert_eq!(validator.check(changed(&stock, ("/data/status", None)), None).outcome, Outcome::Valid);
}

#[test]
fn protobuf_payloads_are_checked_in_the_proto3_json_mapping() {
    let catalog = Catalog::load(&[fixtures().join("catalog")]).unwrap();
    let validator = Validator::new(&catalog);
    let full = json!({
        "metadata": {"event_type": "payment.refund_issued_proto", "eid": EID, "occurred_at": "2024-05-01T10:00:00Z"},
        "refundId": "r-1",
        "payment_id": "p-1",
        "orderNumber": "ORD-1001",
        "issuedAt": "2024-05-01T09:59:58.123Z",
        "amount": {"amount": 19.99, "currency": "EUR"},
        "reason": "damaged",
        "partial": true,
        "initiatedBy": "agent-7",
        "refundedItems": [{"sku": "MUG-1", "quantity": 2, "amount": {"amount": "9.5", "currency": "EUR"}},
                          {"sku": "MUG-2", "quantity": "1", "giftWrap": true}],
        "labels": {"ticket": "T-1"},
        "note": null,
        "iban": "DE89",
        "extra": {"any": ["json", 1, null, {"x": true}]},
        "processingTime": "1.250s",
        "ticket": "T-1",
        "sequence": "9007199254740993",
        "receipt": "aGVsbG8=",
        "unknownField": {"ignored": true}
    });
    assert_cases(
        &validator,
        None,
        &full,
        &[
            (("/sequence", Some(json!("12x"))), "/sequence", "64-bit integer"),
            (("/sequence", Some(json!("9223372036854775808"))), "/sequence", "out of the range"),
            (("/sequence", Some(json!(true))), "/sequence", "64-bit integer"),
            (("/reason", Some(json!("lost"))), "/reason", "not a value of the enum `shop.payment.v1.RefundReason`"),
            (("/partial", Some(json!("true"))), "/partial", "expected a boolean"),
            (("/orderNumber", Some(json!(1001))), "/orderNumber", "expected a string"),
            (("/cardToken", Some(json!("tok"))), "/cardToken", "at most one field of `oneof destination`"),
            (("/issuedAt", Some(json!("yesterday"))), "/issuedAt", "RFC 3339"),
            (("/processingTime", Some(json!("5 minutes"))), "/processingTime", "duration"),
            (("/amount", Some(json!("19.99 EUR"))), "/amount", "expected a `shop.payment.v1.Money` message"),
            (("/amount/amount", Some(json!("lots"))), "/amount/amount", "expected a number"),
            (("/refundedItems/1/quantity", Some(json!("one"))), "/refundedItems/1/quantity", "32-bit integer"),
            (
                ("/refundedItems/0/quantity", Some(json!(2_147_483_648_i64))),
                "/refundedItems/0/quantity",
                "out of the range",
            ),
            (("/refundedItems/1", Some(json!(null))), "/refundedItems/1", "null is not allowed"),
            (("/refundedItems", Some(json!({"sku": "x"}))), "/refundedItems", "expected a repeated field"),
            (("/labels/ticket", Some(json!(1))), "/labels/ticket", "expected a string"),
            (("/ticket", Some(json!(5))), "/ticket", "expected a string"),
            (("/receipt", Some(json!("not base64!"))), "/receipt", "base64"),
            (("/extra", Some(json!([1]))), "/extra", "google.protobuf.Struct"),
        ],
    );
    // A declared value's number names it; null is a field's default.
    let numbers = changed(&changed(&full, ("/reason", Some(json!(2)))), ("/amount", Some(Value::Null)));
    assert_eq!(validator.check(numbers, None).outcome, Outcome::Valid);
    // Numbers the enum does not declare are rejected, as the generated JSON decoders reject them.
    match validator.check(changed(&full, ("/reason", Some(json!(9)))), None).outcome {
        Outcome::Invalid(p) => assert_eq!(p[0].pointer, "/reason", "{p:?}"),
        other => panic!("{other:?}"),
    }

    // An undefined-category event: the document is the payload, its type comes from --type.
    let login =
        json!({"attemptId": "a-1", "user_name": "ada", "succeeded": false, "attemptedAt": "2024-05-01T10:00:00+02:00"});
    assert_cases(
        &validator,
        Some("audit.login_attempt_proto"),
        &login,
        &[
            (("/succeeded", Some(json!("no"))), "/succeeded", "expected a boolean"),
            (("/attemptedAt", Some(json!(1714557600))), "/attemptedAt", "RFC 3339"),
        ],
    );
    match validator.check(json!([1]), Some("audit.login_attempt_proto")).outcome {
        Outcome::Invalid(p) => assert_eq!(p[0].pointer, "", "{p:?}"),
        other => panic!("{other:?}"),
    }
}

/// Docs examples of schemas with recursion, nested unions, every logical type, maps with integer
/// keys, well-known types and `oneof`s are valid against those schemas.
#[test]
fn docs_examples_of_avro_and_protobuf_schemas_validate() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    std::fs::create_dir_all(&root).unwrap();
    let avro = json!({
        "type": "record", "name": "Node", "namespace": "t",
        "fields": [
            {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
            {"name": "next", "type": ["null", "Node"], "default": null},
            {"name": "children", "type": {"type": "array", "items": "Node"}, "default": []},
            {"name": "weights", "type": {"type": "map", "values": {"type": "array", "items": "double"}}},
            {"name": "choice", "type": ["string", "long", {"type": "record", "name": "Pair", "fields": [
                {"name": "a", "type": "int"}, {"name": "b", "type": "boolean"}]}]},
            {"name": "price", "type": {"type": "fixed", "name": "Price", "size": 6, "logicalType": "decimal",
                "precision": 4, "scale": 4}},
            {"name": "digest", "type": {"type": "fixed", "name": "Digest", "size": 3}},
            {"name": "raw", "type": "bytes"},
            {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}, "default": "B"},
            {"name": "at", "type": {"type": "long", "logicalType": "timestamp-nanos"}},
            {"name": "local", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
            {"name": "day", "type": {"type": "int", "logicalType": "date"}},
            {"name": "time", "type": {"type": "long", "logicalType": "time-micros"}},
            {"name": "wait", "type": {"type": "fixed", "name": "Wait", "size": 12, "logicalType": "duration"}},
            {"name": "count", "type": "float", "default": 0.5}
        ]
    });
    std::fs::write(
        root.join("node.yaml"),
        format!(
            "name: t.node\nowning_application: t\ncategory: data\nschema:\n  type: avro_schema\n  schema: '{}'\n",
            avro.to_string().replace('\'', "''")
        ),
    )
    .unwrap();
    let proto = r#"syntax = "proto3";
package t.v1;
import "google/protobuf/any.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/wrappers.proto";
enum Colour { COLOUR_UNSPECIFIED = 0; COLOUR_RED = 1; }
message Tree {
  message Leaf { sint64 weight = 1; fixed32 tag = 2; }
  repeated Tree children = 1;
  map<int32, Leaf> leaves = 2;
  map<bool, Colour> flags = 3;
  oneof shape { Leaf leaf = 4; string label = 5; }
  google.protobuf.Any detail = 6;
  google.protobuf.Empty nothing = 7;
  google.protobuf.FieldMask mask = 8;
  google.protobuf.Value value = 9;
  google.protobuf.ListValue list = 10;
  google.protobuf.UInt64Value big = 11;
  google.protobuf.BytesValue blob = 12;
  repeated Colour colours = 13;
  float ratio = 14;
  uint64 total = 15;
}
"#;
    std::fs::write(
        root.join("tree.yaml"),
        format!(
            "name: t.tree\nowning_application: t\ncategory: undefined\nschema:\n  type: protobuf\n  message: t.v1.Tree\n  schema: |\n{}",
            proto.lines().map(|l| format!("    {l}\n")).collect::<String>()
        ),
    )
    .unwrap();
    let site = eventbind_docs::build(&root).unwrap();
    assert_eq!(site.pages.len(), 2);
    for page in &site.pages {
        assert!(page.example_valid, "{}: {:?}\n{}", page.name, page.example_problems, page.example);
        assert!(!page.fields.is_empty(), "{}: a field table", page.name);
    }
}

/// `--type` of an event type whose documents are arrays (a tuple event): a top-level array is one
/// event, not a list of events (`fixtures/repos/tuple_event`).
#[test]
fn a_tuple_event_is_one_document() {
    let dir = fixtures().join("repos/tuple_event");
    let catalog = Catalog::load(&[dir.join("catalog")]).unwrap();
    let validator = Validator::new(&catalog);
    assert!(validator.documents_are_arrays("telemetry.sample"));
    let run = |file: &str| {
        let mut summary = Summary::default();
        let mut out = Vec::new();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let format = InputFormat::of(Path::new(file));
        validate_stream(&bytes[..], format, file, &validator, Some("telemetry.sample"), &mut summary, &mut out)
            .unwrap();
        (summary, String::from_utf8(out).unwrap())
    };
    let (summary, out) = run("one.json");
    assert_eq!((summary.valid, summary.invalid), (1, 0), "{out}");
    let (summary, out) = run("two.ndjson");
    assert_eq!((summary.valid, summary.invalid), (1, 1), "{out}");
    assert!(out.contains("two.ndjson:2: telemetry.sample: /: "), "{out}");
    // Without `--type`, a top-level array is still a list of events.
    let mut summary = Summary::default();
    validate_stream(&b"[{}, {}]"[..], InputFormat::Json, "-", &validator, None, &mut summary, &mut Vec::new()).unwrap();
    assert_eq!(summary.events(), 2);
}
