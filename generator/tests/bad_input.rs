//! Bad catalogs give one clear error per problem, naming the file and the place in it; never a
//! panic, a hang or a stack overflow.

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
    let e = error_of(&[("s.json", b"{\n  \"type\": \"object\",\n  \"properties\": {,}\n}\n")]);
    assert_has(&e, &["invalid JSON", "events/s.json:3:"]);
    let e = error_of(&[(
        "a.yaml",
        format!("name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  schema: '{{\"type\": \"object\",}}'\n").as_bytes(),
    )]);
    assert_has(&e, &["the schema string is not valid JSON: trailing comma at line 1 column 19", "events/a.yaml:6:11"]);
}

#[test]
fn references_leaving_the_catalog_are_refused() {
    let e = error_of(&[(
        "a.yaml",
        format!("name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  schema: {{type: object, properties: {{x: {{$ref: 'https://example.com/s.json'}}}}}}\n").as_bytes(),
    )]);
    assert_has(&e, &["`$ref` to `https://example.com/s.json`: eventbind fetches nothing", "events/a.yaml:6:49"]);

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    write(dir.path(), &[("outside.json", b"{\"type\": \"string\"}")]);
    write(
        &root,
        &[(
            "a.yaml",
            format!("name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  schema: {{type: object, properties: {{x: {{$ref: '../outside.json'}}}}}}\n").as_bytes(),
        )],
    );
    let e = Config::new().catalog(&root).generate().unwrap_err().to_string();
    assert_has(&e, &["is outside the catalog root"]);

    // A symlink inside the catalog that leads out of it is refused the same way.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("outside.json"), root.join("inside.json")).unwrap();
        std::fs::write(
            root.join("a.yaml"),
            format!("name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  schema: {{type: object, properties: {{x: {{$ref: 'inside.json'}}}}}}\n"),
        )
        .unwrap();
        let e = Config::new().catalog(&root).generate().unwrap_err().to_string();
        assert_has(&e, &["is outside the catalog root"]);
    }
}

#[test]
fn unresolvable_references_name_the_target() {
    let e = error_of(&[(
        "a.yaml",
        format!("name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  schema: {{type: object, properties: {{x: {{$ref: '#/definitions/Nope'}}}}}}\n").as_bytes(),
    )]);
    assert_has(&e, &["points to `/definitions/Nope`, which does not exist"]);
    let e = error_of(&[(
        "a.yaml",
        format!("name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  file: missing.json\n").as_bytes(),
    )]);
    assert_has(&e, &["cannot open", "missing.json", "events/a.yaml:6:"]);
}

#[test]
fn cyclic_references_are_an_error_and_recursive_types_are_boxed() {
    let e = error_of(&[(
        "a.yaml",
        format!("name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  schema:\n    type: object\n    properties: {{x: {{$ref: '#/definitions/A'}}}}\n    definitions:\n      A: {{$ref: '#/definitions/B'}}\n      B: {{$ref: '#/definitions/A'}}\n").as_bytes(),
    )]);
    assert_has(&e, &["cyclic `$ref`"]);
    let code = generates(&[(
        "a.yaml",
        format!("name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  schema:\n    type: object\n    properties: {{root: {{$ref: '#/definitions/Node'}}}}\n    definitions:\n      Node: {{type: object, properties: {{parent: {{$ref: '#/definitions/Node'}}, children: {{type: array, items: {{$ref: '#/definitions/Node'}}}}}}}}\n").as_bytes(),
    )]);
    assert_has(
        &code,
        &[
            "pub parent: ::std::option::Option<::std::boxed::Box<Node>>",
            "pub children: ::std::option::Option<::std::vec::Vec<Node>>",
        ],
    );
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
fn encoding_problems_are_errors() {
    let e = error_of(&[("a.yaml", b"name: a.b\nowning_application: \xff\xfe\n")]);
    assert_has(&e, &["not valid UTF-8 (at byte 30)", "events/a.yaml"]);
    // A byte-order mark is accepted.
    generates(&[(
        "a.yaml",
        format!("\u{feff}name: a.b\n{OK_HEAD}schema: {{type: json_schema, schema: {{type: object}}}}\n").as_bytes(),
    )]);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 10_000;
    let schema = format!(
        "{}{{\"type\": \"string\"}}{}",
        "{\"type\": \"object\", \"properties\": {\"x\": ".repeat(depth),
        "}}".repeat(depth)
    );
    let e = error_of(&[
        ("s.json", schema.as_bytes()),
        ("a.yaml", format!("name: a.b\n{OK_HEAD}schema: {{type: json_schema, file: s.json}}\n").as_bytes()),
    ]);
    assert_has(&e, &["events/s.json", "recursion limit"]);
    // Nesting that parses but is deeper than the lowering allows, reached through references.
    let defs: String = (0..200)
        .map(|i| format!("      D{i}: {{type: object, properties: {{x: {{$ref: '#/definitions/D{}'}}}}}}\n", i + 1))
        .collect();
    let e = error_of(&[(
        "a.yaml",
        format!("name: a.b\n{OK_HEAD}schema:\n  type: json_schema\n  schema:\n    type: object\n    properties: {{x: {{$ref: '#/definitions/D0'}}}}\n    definitions:\n{defs}      D200: {{type: string}}\n").as_bytes(),
    )]);
    assert_has(&e, &["schema nesting is deeper than"]);
}

#[test]
fn yaml_alias_bombs_are_refused() {
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
    let e = error_of(&[("bomb.yaml", bomb.as_bytes())]);
    assert_has(&e, &["events/bomb.yaml", "invalid YAML"]);
}

#[test]
fn hostile_names_generate_valid_identifiers() {
    let code = generates(&[(
        "a.yaml",
        format!(
            "name: type.self\n{OK_HEAD}schema:\n  type: json_schema\n  schema:\n    type: object\n    description: 'Ends a comment */ and \"quotes\" \\\\ and {{{{template}}}}'\n    properties:\n      fooBar: {{type: string}}\n      foo_bar: {{type: string}}\n      FooBar: {{type: string}}\n      type: {{type: string}}\n      1st: {{type: string}}\n      '': {{type: string}}\n      'Zoë': {{type: string}}\n      kind: {{enum: ['a-b', 'a_b', '', '1']}}\n"
        )
        .as_bytes(),
    )]);
    assert_has(
        &code,
        &[
            "pub mod type_",
            "pub struct Self_",
            "pub foo_bar:",
            "pub foo_bar_2:",
            "pub foo_bar_3:",
            "pub type_:",
            "pub n1st:",
            "pub field:",
            "pub zo_u00eb:",
            "AB,",
            "AB2,",
            "Unnamed,",
            "V1,",
            "/// Ends a comment */ and \"quotes\" \\\\ and {{template}}",
        ],
    );
    syn::parse_file(&code).expect("generated code parses");
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
