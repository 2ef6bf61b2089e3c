//! The client against a real registry (Karapace, started by eventbind-services): registering,
//! looking up, reading by id and version, references in all three schema languages, levels,
//! compatibility checks, and the registry's errors. Each test has subjects of its own (the
//! registry is shared by the tests of this binary).

use eventbind_registry::error::code;
use eventbind_registry::{Client, Compatibility, ErrorKind, Schema, SchemaType, Version};

fn client() -> Option<(eventbind_services::Guard, Client)> {
    let services = eventbind_services::shared()?;
    let client = Client::new(&services.registry.url()).expect("a client");
    Some((services, client))
}

const MONEY: &str = r#"{"type": "record", "name": "Money", "namespace": "shop",
    "fields": [{"name": "cents", "type": "long"}, {"name": "currency", "type": "string"}]}"#;

fn refund(extra: &str) -> String {
    format!(
        r#"{{"type": "record", "name": "Refund", "namespace": "shop",
            "fields": [{{"name": "order", "type": "string"}}, {{"name": "amount", "type": "shop.Money"}}{extra}]}}"#
    )
}

#[test]
fn avro_schemas_register_look_up_and_read_back_by_id_and_version() {
    let Some((_services, registry)) = client() else { return };
    let subject = "avro-basics-value";
    let v1 = Schema::avro(r#"{"type": "record", "name": "Basic", "fields": [{"name": "a", "type": "string"}]}"#);
    assert_eq!(registry.lookup(subject, &v1).unwrap(), None, "no subject yet");
    let id = registry.register(subject, &v1).unwrap();
    assert_eq!(registry.register(subject, &v1).unwrap(), id, "registering again changes nothing");
    let found = registry.lookup(subject, &v1).unwrap().expect("found by lookup");
    assert_eq!((found.subject.as_str(), found.id, found.version), (subject, id, 1));
    let by_id = registry.schema_by_id(id).unwrap();
    assert_eq!(by_id.schema_type, SchemaType::Avro);
    let text: serde_json::Value = serde_json::from_str(&by_id.schema).unwrap();
    assert_eq!(text["name"], "Basic");

    let v2 = Schema::avro(
        r#"{"type": "record", "name": "Basic", "fields": [{"name": "a", "type": "string"},
            {"name": "b", "type": "int", "default": 0}]}"#,
    );
    assert_eq!(registry.lookup(subject, &v2).unwrap(), None, "a schema the subject does not have");
    let id2 = registry.register(subject, &v2).unwrap();
    assert_ne!(id2, id);
    assert_eq!(registry.versions(subject).unwrap(), [1, 2]);
    let latest = registry.latest(subject).unwrap();
    assert_eq!((latest.id, latest.version), (id2, 2));
    assert_eq!(registry.version(subject, Version::Number(1)).unwrap().id, id);
    assert!(registry.subjects().unwrap().iter().any(|s| s == subject));
}

#[test]
fn references_are_kept_in_every_schema_language() {
    let Some((_services, registry)) = client() else { return };
    // Avro: a named type from another subject.
    registry.register("refs-shop.Money", &Schema::avro(MONEY)).unwrap();
    let avro = Schema::avro(refund("")).with_reference("shop.Money", "refs-shop.Money", 1);
    let id = registry.register("refs-refund-avro-value", &avro).unwrap();
    let back = registry.schema_by_id(id).unwrap();
    assert_eq!(back.references, avro.references);
    assert!(registry.lookup("refs-refund-avro-value", &avro).unwrap().is_some());

    // Protobuf: an import.
    let money = Schema::protobuf(
        "syntax = \"proto3\";\npackage shop.v1;\nmessage Money {\n  int64 cents = 1;\n  string currency = 2;\n}\n",
    );
    registry.register("refs-shop/v1/money.proto", &money).unwrap();
    let proto = Schema::protobuf(
        "syntax = \"proto3\";\npackage shop.v1;\nimport \"shop/v1/money.proto\";\n\
         message Refund {\n  string order = 1;\n  Money amount = 2;\n}\n",
    )
    .with_reference("shop/v1/money.proto", "refs-shop/v1/money.proto", 1);
    let id = registry.register("refs-refund-proto-value", &proto).unwrap();
    let back = registry.schema_by_id(id).unwrap();
    assert_eq!(back.schema_type, SchemaType::Protobuf);
    assert_eq!(back.references, proto.references);
    assert!(back.schema.contains("import \"shop/v1/money.proto\""), "{}", back.schema);

    // JSON Schema: a `$ref` to another document. Confluent's registry takes references in JSON
    // Schema too; Karapace 6.2 refuses them with an error code of its own, which comes through.
    let money = Schema::json(
        r#"{"$id": "https://shop.example/money.json", "type": "object",
            "properties": {"cents": {"type": "integer"}}, "required": ["cents"]}"#,
    );
    registry.register("refs-money.json", &money).unwrap();
    let json = Schema::json(
        r#"{"type": "object", "properties": {"order": {"type": "string"},
            "amount": {"$ref": "https://shop.example/money.json"}}}"#,
    )
    .with_reference("https://shop.example/money.json", "refs-money.json", 1);
    let err = registry.register("refs-refund-json-value", &json).unwrap_err();
    assert_eq!((err.status(), err.error_code()), (Some(422), Some(code::REFERENCES_NOT_SUPPORTED)), "{err}");
    assert!(err.to_string().contains("Schema references are not supported for 'JSON' schema type"), "{err}");

    // A reference to nothing registered is refused.
    let dangling = Schema::avro(refund("")).with_reference("shop.Money", "refs-nothing-here", 1);
    let err = registry.register("refs-dangling-value", &dangling).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Registry { .. }), "{err}");
}

#[test]
fn compatibility_levels_are_read_and_set_globally_and_per_subject() {
    let Some((_services, registry)) = client() else { return };
    assert_eq!(registry.global_compatibility().unwrap(), Compatibility::Backward);
    let subject = "levels-value";
    registry.register(subject, &Schema::avro(r#""string""#)).unwrap();
    assert_eq!(registry.subject_compatibility(subject).unwrap(), None, "none of its own");
    for level in [Compatibility::FullTransitive, Compatibility::None, Compatibility::Forward] {
        assert_eq!(registry.set_subject_compatibility(subject, level).unwrap(), level);
        assert_eq!(registry.subject_compatibility(subject).unwrap(), Some(level));
    }
    assert_eq!(registry.global_compatibility().unwrap(), Compatibility::Backward, "the global level is untouched");
}

#[test]
fn compatibility_checks_answer_with_the_registrys_reasons() {
    let Some((_services, registry)) = client() else { return };
    let subject = "checks-value";
    let v1 = Schema::avro(r#"{"type": "record", "name": "C", "fields": [{"name": "a", "type": "string"}]}"#);
    registry.register(subject, &v1).unwrap();
    registry.set_subject_compatibility(subject, Compatibility::Backward).unwrap();
    let with_default = Schema::avro(
        r#"{"type": "record", "name": "C", "fields": [{"name": "a", "type": "string"},
            {"name": "b", "type": "long", "default": 1}]}"#,
    );
    let check = registry.check_compatibility(subject, &with_default, Version::Latest).unwrap();
    assert!(check.is_compatible, "{:?}", check.messages);
    let without_default = Schema::avro(
        r#"{"type": "record", "name": "C", "fields": [{"name": "a", "type": "string"},
            {"name": "b", "type": "long"}]}"#,
    );
    let check = registry.check_compatibility(subject, &without_default, Version::Number(1)).unwrap();
    assert!(!check.is_compatible);
    assert!(!check.messages.is_empty(), "verbose answers say why");
    let err = registry.register(subject, &without_default).unwrap_err();
    assert_eq!(err.error_code(), Some(code::INCOMPATIBLE_SCHEMA), "{err}");
    assert_eq!(err.status(), Some(409));
    assert!(err.to_string().contains("(incompatible schema)"), "{err}");
}

#[test]
fn registry_errors_carry_its_code_and_message() {
    let Some((services, registry)) = client() else { return };
    let err = registry.versions("errors-no-such-subject").unwrap_err();
    assert_eq!(err.error_code(), Some(code::SUBJECT_NOT_FOUND), "{err}");
    assert!(err.is_not_found());
    let shown = err.to_string();
    assert!(shown.starts_with(&format!("schema registry {}", services.registry.url())), "{shown}");
    assert!(shown.contains("GET /subjects/errors-no-such-subject/versions: HTTP 404, error 40401"), "{shown}");
    assert!(shown.contains("errors-no-such-subject"), "the registry's message names the subject: {shown}");

    let err = registry.schema_by_id(987_654).unwrap_err();
    assert_eq!(err.error_code(), Some(code::SCHEMA_NOT_FOUND), "{err}");

    let err = registry.register("errors-invalid-value", &Schema::avro(r#"{"type": "recrod"}"#)).unwrap_err();
    assert_eq!(err.error_code(), Some(code::INVALID_SCHEMA), "{err}");
    assert!(err.message().is_some_and(|m| !m.is_empty()), "{err}");

    registry.register("errors-version-value", &Schema::avro(r#""int""#)).unwrap();
    let err = registry.version("errors-version-value", Version::Number(7)).unwrap_err();
    assert_eq!(err.error_code(), Some(code::VERSION_NOT_FOUND), "{err}");

    // Deleted subjects are gone; their versions were listed.
    assert_eq!(registry.delete_subject("errors-version-value", true).unwrap(), [1]);
    assert!(registry.versions("errors-version-value").unwrap_err().is_not_found());
}

#[test]
fn no_registry_is_a_transport_error_naming_the_url() {
    // A port nobody listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let registry = Client::new(&format!("http://127.0.0.1:{port}/")).unwrap();
    let err = registry.subjects().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err}");
    assert!(err.to_string().starts_with(&format!("schema registry http://127.0.0.1:{port}, GET /subjects: no answer")));
}
