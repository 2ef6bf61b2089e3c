//! Generated code that `clippy -D warnings` flagged in the real-world corpora
//! (`tools/corpus measure --clippy`), checked on the text: each case is one the corpus run found.

use eventbind_build::Config;

fn generate(files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    for (path, content) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    Config::new().catalog(&root).generate().unwrap_or_else(|e| panic!("{e}")).code
}

fn undefined_avro(file: &str) -> String {
    format!("name: corpus.case\nowning_application: corpus\ncategory: undefined\nschema:\n  type: avro_schema\n  file: {file}\n")
}

/// Avro's `share/test/data/schemas/withUnion`: a union field of a record named in lower case
/// became `pub enum unionfieldsData1` (`non_camel_case_types`).
#[test]
fn avro_union_in_a_lower_case_record_gets_an_upper_camel_name() {
    let code = generate(&[
        ("case.yaml", &undefined_avro("schema.avsc")),
        (
            "schema.avsc",
            r#"{"type": "record", "name": "unionfields", "fields": [{"name": "data1", "type": ["string", "int"]}]}"#,
        ),
    ]);
    assert!(code.contains("pub enum UnionfieldsData1"), "{code}");
    assert!(!code.contains("enum unionfields"), "{code}");
}

/// Avro's `schema_tests/pass/record_no_fields`: an empty record's `serialize` bound its map
/// `mut` without writing to it (`unused_mut`).
#[test]
fn empty_record_serializes_without_a_mutable_map() {
    let code = generate(&[
        ("case.yaml", &undefined_avro("schema.avsc")),
        ("schema.avsc", r#"{"type": "record", "name": "R", "fields": []}"#),
    ]);
    assert!(code.contains("let map = serializer.serialize_map("), "{code}");
    assert!(!code.contains("let mut map = serializer.serialize_map("), "{code}");
    // Its decoder matches every key to the fallback arm (`clippy::match_single_binding`).
    let compact: String = code.split_whitespace().collect();
    assert!(compact.contains("#[allow(clippy::match_single_binding)]fndecode_map<"), "{code}");
}

/// Every corpus case: a catalog of undefined-category events only gives `AnyEvent` no variants,
/// and its dispatching `match`es a single wildcard arm (`clippy::match_single_binding`).
#[test]
fn any_event_without_variants_allows_its_single_arm_matches() {
    let code = generate(&[
        ("case.yaml", &undefined_avro("schema.avsc")),
        ("schema.avsc", r#"{"type": "record", "name": "R", "fields": [{"name": "a", "type": "long"}]}"#),
    ]);
    let impls = code.matches("#[allow(clippy::match_single_binding)]\nimpl").count();
    assert_eq!(impls, 2, "`impl AnyEvent` and its `Serialize` impl: {code}");
}

/// SchemaStore's `evidence-bundle.json`: a list item in a description continued on an unindented
/// line (`doc_lazy_continuation`). Continuation lines are indented under the item's text.
#[test]
fn list_items_continued_on_the_next_line_are_indented() {
    let schema = r#"{"type": "object", "properties": {"kind": {"type": "string",
        "description": "Either:\n- a file,\ncopied as is\n12. or a link\nto it\n\nThen a paragraph."}}}"#;
    let code = generate(&[
        ("case.yaml", "name: corpus.case\nowning_application: corpus\ncategory: undefined\nschema:\n  type: json_schema\n  file: schema.json\n"),
        ("schema.json", schema),
    ]);
    assert!(code.contains("/// - a file,"), "{code}");
    assert!(code.contains("///   copied as is"), "{code}");
    assert!(code.contains("/// 12. or a link"), "{code}");
    assert!(code.contains("///     to it"), "{code}");
    assert!(code.contains("/// Then a paragraph."), "{code}");
}
