//! Bad Avro and Protobuf schemas: an error naming the file, the place in it and the reason; never
//! a panic.

use std::path::Path;

use eventbind_build::Config;

fn error_of(files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    for (path, content) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    match Config::new().catalog(&root).generate() {
        Ok(_) => panic!("expected an error"),
        Err(e) => format!("{e}").replace(&root.display().to_string(), "events"),
    }
}

fn assert_has(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "missing `{part}` in:\n{text}");
    }
}

fn avro_event(file: &str) -> String {
    format!(
        "name: shop.paid\nowning_application: shop\ncategory: general\nschema:\n  type: avro_schema\n  file: {file}\n"
    )
}

fn proto_event(file: &str, message: &str) -> String {
    format!(
        "name: shop.paid\nowning_application: shop\ncategory: general\nschema:\n  type: protobuf\n  file: {file}\n  message: {message}\n"
    )
}

#[test]
fn malformed_avsc_names_line_and_column() {
    let e = error_of(&[
        ("shop/paid.yaml", &avro_event("paid.avsc")),
        ("shop/paid.avsc", "{\"type\": \"record\",\n  \"name\": }\n"),
    ]);
    assert_has(&e, &["malformed Avro schema: invalid JSON", "events/shop/paid.avsc:2:11"]);
}

#[test]
fn invalid_avro_schema_is_reported_by_the_library() {
    let e = error_of(&[
        ("shop/paid.yaml", &avro_event("paid.avsc")),
        (
            "shop/paid.avsc",
            r#"{"type": "record", "name": "Paid", "fields": [{"name": "x", "type": "int", "default": "seven"}]}"#,
        ),
    ]);
    assert_has(&e, &["malformed Avro schema", "events/shop/paid.avsc"]);
}

#[test]
fn unknown_avro_named_type_points_at_the_reference() {
    let e = error_of(&[
        ("shop/paid.yaml", &avro_event("paid.avsc")),
        ("shop/paid.avsc", "{\"type\": \"record\", \"name\": \"Paid\", \"fields\": [\n  {\"name\": \"amount\", \"type\": \"shop.Money\"}\n]}\n"),
    ]);
    assert_has(&e, &["unknown Avro named type `shop.Money`", "events/shop/paid.avsc:2:30", "/fields/0/type"]);
}

#[test]
fn avro_named_types_resolve_from_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    std::fs::create_dir_all(root.join("shop")).unwrap();
    std::fs::write(root.join("shop/paid.yaml"), avro_event("paid.avsc")).unwrap();
    std::fs::write(
        root.join("shop/paid.avsc"),
        r#"{"type": "record", "name": "Paid", "namespace": "shop", "fields": [{"name": "amount", "type": "Money"}]}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("money.avsc"),
        r#"{"type": "record", "name": "Money", "namespace": "shop", "fields": [{"name": "cents", "type": "long"}]}"#,
    )
    .unwrap();
    let code = Config::new().catalog(&root).generate().unwrap_or_else(|e| panic!("{e}")).code;
    assert!(code.contains("pub struct Money"), "{code}");
    // Placed by its own namespace, not in the module of the event type that uses it.
    assert!(code.contains("pub amount: super::avro::shop::Money"), "{code}");
    assert!(code.contains("events/money.avsc"), "the other file is a source: {code}");
}

#[test]
fn general_avro_payload_must_be_a_record() {
    let e = error_of(&[("shop/paid.yaml", &avro_event("paid.avsc")), ("shop/paid.avsc", r#""string""#)]);
    assert_has(&e, &["the payload of a general event must be an Avro record", "events/shop/paid.avsc"]);
}

#[test]
fn proto_syntax_error_names_line_and_column() {
    let e = error_of(&[
        ("shop/paid.yaml", &proto_event("paid.proto", "shop.Paid")),
        ("shop/paid.proto", "syntax = \"proto3\";\npackage shop;\nmessage Paid {\n  string id = ;\n}\n"),
    ]);
    assert_has(&e, &["invalid Protobuf schema", "events/shop/paid.proto:4:15"]);
}

#[test]
fn missing_import_points_at_the_import() {
    let e = error_of(&[
        ("shop/paid.yaml", &proto_event("paid.proto", "shop.Paid")),
        ("shop/paid.proto", "syntax = \"proto3\";\npackage shop;\nimport \"shop/money.proto\";\nmessage Paid {}\n"),
    ]);
    assert_has(
        &e,
        &[
            "invalid Protobuf schema",
            "shop/money.proto",
            "events/shop/paid.proto:3:",
            "imports resolve from the catalog root",
        ],
    );
}

#[test]
fn imports_resolve_from_the_catalog_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    std::fs::create_dir_all(root.join("shop")).unwrap();
    std::fs::write(root.join("shop/paid.yaml"), proto_event("paid.proto", "shop.Paid")).unwrap();
    std::fs::write(
        root.join("shop/paid.proto"),
        "syntax = \"proto3\";\npackage shop;\nimport \"shop/money.proto\";\nimport \"google/protobuf/timestamp.proto\";\nmessage Paid { Money amount = 1; google.protobuf.Timestamp at = 2; }\n",
    )
    .unwrap();
    std::fs::write(
        root.join("shop/money.proto"),
        "syntax = \"proto3\";\npackage shop;\nmessage Money { int64 cents = 1; }\n",
    )
    .unwrap();
    let code = Config::new().catalog(&root).generate().unwrap_or_else(|e| panic!("{e}")).code;
    assert!(code.contains("pub struct Money"), "{code}");
    assert!(code.contains("pub struct Paid {"), "the envelope struct: {code}");
    assert!(code.contains("impl ::eventbind::protobuf::ProtobufEvent for Paid"), "{code}");
}

#[test]
fn nonexistent_message_lists_the_declared_ones() {
    let e = error_of(&[
        ("shop/paid.yaml", &proto_event("paid.proto", "shop.Payed")),
        ("shop/paid.proto", "syntax = \"proto3\";\npackage shop;\nmessage Paid {}\nmessage Refunded {}\n"),
    ]);
    assert_has(&e, &["no message `shop.Payed`", "events/shop/paid.yaml:7:12", "`shop.Paid`, `shop.Refunded`"]);
}

#[test]
fn proto_event_without_message_is_an_error() {
    let e = error_of(&[
        ("shop/paid.yaml", "name: shop.paid\nowning_application: shop\ncategory: general\nschema:\n  type: protobuf\n  file: paid.proto\n"),
        ("shop/paid.proto", "syntax = \"proto3\";\npackage shop;\nmessage Paid {}\n"),
    ]);
    assert_has(&e, &["must name its payload message", "events/shop/paid.yaml"]);
}

#[test]
fn proto_file_outside_the_catalog_is_an_error() {
    let e = error_of(&[("shop/paid.yaml", &proto_event("../../elsewhere.proto", "shop.Paid"))]);
    assert_has(&e, &["events/shop/paid.yaml:6:9", "not a `.proto` file inside the catalog"]);
    assert!(!Path::new("elsewhere.proto").exists());
}

/// protobuf-core's `source_context.proto` in the corpus run: a `google.protobuf` message outside
/// the mapped well-known types passed as a payload, and its generated path did not exist.
#[test]
fn any_google_protobuf_payload_is_refused() {
    let e = error_of(&[
        ("shop/paid.yaml", &proto_event("paid.proto", "google.protobuf.SourceContext")),
        ("shop/paid.proto", "syntax = \"proto3\";\npackage shop;\nimport \"google/protobuf/source_context.proto\";\nmessage Paid { google.protobuf.SourceContext at = 1; }\n"),
    ]);
    assert_has(&e, &["the payload `google.protobuf.SourceContext` is a well-known type", "events/shop/paid.yaml"]);
}
