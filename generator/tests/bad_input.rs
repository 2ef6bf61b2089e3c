//! Bad catalogs give one clear error per problem, naming the file and the place in it; never a
//! panic, a hang or a stack overflow. Hostile inputs (references leaving the catalog, cycles,
//! deep nesting, huge objects, alias bombs, encodings, duplicate keys, hostile names) are cases of
//! `fixtures/hostile`, run by `hostile_fixtures.rs`.

use std::path::Path;

use eventbind_build::Config;

fn write(root: &Path, files: &[(&str, &[u8])]) {
    for (path, content) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

/// Generates from a catalog of `files`; returns the rendered error (the test fails if it succeeds).
fn error_of(files: &[(&str, &[u8])]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    write(&root, files);
    match Config::new().catalog(&root).generate() {
        Ok(_) => panic!("expected an error"),
        Err(e) => format!("{e}").replace(&root.display().to_string(), "events"),
    }
}

fn generates(files: &[(&str, &[u8])]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    write(&root, files);
    Config::new().catalog(&root).generate().unwrap_or_else(|e| panic!("{e}")).code
}

fn assert_has(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "missing `{part}` in:\n{text}");
    }
}

const OK_HEAD: &str = "owning_application: shop\ncategory: general\n";

#[test]
fn definition_fields_are_validated_with_line_and_column() {
    let e = error_of(&[(
        "order/a.yaml",
        b"name: order.Order cancelled\nowning_application: shop\ncategory: bussiness\ncompatibility_mode: backward\nschema:\n  version: 1.x\n  type: json_schema\n  schema: {type: object}\n",
    )]);
    assert_has(
        &e,
        &[
            "invalid event type name `order.Order cancelled`",
            "events/order/a.yaml:1:7",
            "unknown category `bussiness`",
            "events/order/a.yaml:3:11",
            "expected `general`, `business` (alias of general), `data` or `undefined`",
            "unknown compatibility mode `backward`",
            "`1.x` is not a semantic version",
            "events/order/a.yaml:6:12",
            "4 errors in the catalog",
        ],
    );
}

#[test]
fn missing_fields_name_what_to_add() {
    let e = error_of(&[("a.yaml", b"name: a.b\ncategory: data\nschema:\n  version: 1.0.0\n  schema: {}\n")]);
    assert_has(
        &e,
        &["`owning_application` is missing in the definition", "events/a.yaml:1:1", "`type` is missing in /schema"],
    );
}

#[test]
fn data_type_outside_data_events_and_bad_partition_strategy() {
    let e = error_of(&[(
        "a.yaml",
        b"name: a.b\nowning_application: x\ncategory: general\ndata_type: a.thing\npartition_strategy: round_robin\nschema: {type: json_schema, schema: {type: object}}\n",
    )]);
    assert_has(&e, &["`data_type` is set but the category is not `data`", "unknown partition strategy `round_robin`"]);
}

#[test]
fn duplicate_event_types_name_both_files() {
    let def = b"name: crm.contact\nowning_application: crm\ncategory: data\nschema: {type: json_schema, schema: {type: object}}\n";
    let e = error_of(&[("a/one.yaml", def), ("b/two.yaml", def)]);
    assert_has(&e, &["event type `crm.contact` is defined twice", "events/a/one.yaml", "events/b/two.yaml:1:7"]);
}

#[test]
fn yaml_and_json_syntax_errors_point_at_the_place() {
    let e = error_of(&[("a.yaml", b"name: a.b\nowning_application: [unclosed\n")]);
    assert_has(&e, &["invalid YAML", "events/a.yaml:"]);
    // A schema file that does not parse is an error where a definition uses it (an unused one is
    // skipped: `unused_files.rs`).
    let e = error_of(&[
        ("s.json", b"{\n  \"type\": \"object\",\n  \"properties\": {,}\n}\n"),
        ("a.yaml", format!("name: a.b\n{OK_HEAD}schema: {{type: json_schema, file: s.json}}\n").as_bytes()),
    ]);
    assert_has(&e, &["invalid JSON", "events/s.json:3:"]);
    let e = error_of(&[(
        "a.yaml",
        format!("name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  schema: '{{\"type\": \"object\",}}'\n").as_bytes(),
    )]);
    assert_has(&e, &["the schema string is not valid JSON: trailing comma at line 1 column 19", "events/a.yaml:6:11"]);
}

#[test]
fn payload_shape_rules_of_the_envelopes() {
    let e = error_of(&[(
        "a.yaml",
        format!(
            "name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  schema: {{type: array, items: {{type: string}}}}\n"
        )
        .as_bytes(),
    )]);
    assert_has(&e, &["the payload of a general event must be an object schema"]);
    let e = error_of(&[(
        "a.yaml",
        format!("name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  schema: {{type: object, properties: {{metadata: {{type: string}}}}}}\n").as_bytes(),
    )]);
    assert_has(&e, &["the payload defines `metadata`, which the general envelope reserves"]);
}

#[test]
fn a_type_list_with_object_and_properties_makes_a_struct_variant_not_a_self_reference() {
    // Found by the corpus run (SchemaStore's jovo-language-model): the object variant of
    // `type: [string, object]` must be its own struct, or decoding recurses without end.
    let code = generates(&[(
        "a.yaml",
        format!("name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  schema:\n    type: object\n    properties:\n      kind: {{type: [string, object], properties: {{alexa: {{type: string}}}}}}\n").as_bytes(),
    )]);
    assert_has(
        &code,
        &["pub enum BKind", "String(::std::string::String)", "Object(BKindObject)", "pub struct BKindObject"],
    );
    assert!(!code.contains("Box<BKind>"), "{code}");
}
