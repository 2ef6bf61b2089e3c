//! What a catalog copied from a schema repository meets (`fixtures/repos`): files no event type
//! reaches never fail it, a repeated key fails only when it changes what is generated, and every
//! error of the catalog is reported in one run.

use std::path::{Path, PathBuf};

use eventbind_build::Config;

fn repo(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/repos").join(case)
}

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, content) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

#[test]
fn files_no_event_type_reaches_never_fail_the_catalog() {
    // drafts/broken.json does not parse, tests/README.yaml is not YAML, tests/repeated_comment.json
    // repeats `$comment` and `type`: none is used, so none is an error or a warning.
    let generated =
        Config::new().catalog(repo("unused_files")).cargo_output(false).generate().unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.code.contains("pub struct ItemAdded"), "{}", generated.code);
    let warnings: Vec<String> = generated.warnings.iter().map(|w| format!("{}: {}", w.location, w.message)).collect();
    // item.json is used: its repeated `$comment` and `description` are warnings (they change no
    // type), and its `type` given twice with the same value too.
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    for expected in
        ["schemas/item.json:10:15", "duplicate key `$comment`", "duplicate key `description`", "duplicate key `type`"]
    {
        assert!(warnings.iter().any(|w| w.contains(expected)), "no `{expected}` in {warnings:#?}");
    }
    assert!(!warnings.iter().any(|w| w.contains("tests/") || w.contains("drafts/")), "{warnings:#?}");
}

#[test]
fn an_unused_file_fails_once_a_definition_uses_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    write(&root, &[
        ("schemas/drafts/broken.json", "{\"type\": \"object\",\n \"properties\": {\"a\": }}"),
        ("schemas/tests/repeated.json", "{\"type\": \"string\",\n \"type\": \"integer\"}"),
        ("a.yaml", "name: a.b\nowning_application: x\ncategory: general\nschema: {type: json_schema, schema: {type: object}}\n"),
    ]);
    Config::new().catalog(&root).generate().unwrap_or_else(|e| panic!("{e}"));
    write(&root, &[(
        "a.yaml",
        "name: a.b\nowning_application: x\ncategory: general\nschema:\n  type: json_schema\n  schema:\n    type: object\n    properties:\n      broken: {$ref: 'schemas/drafts/broken.json'}\n      repeated: {$ref: 'schemas/tests/repeated.json'}\n",
    )]);
    let e =
        Config::new().catalog(&root).generate().unwrap_err().to_string().replace(&root.display().to_string(), "events");
    for expected in [
        "invalid JSON",
        "events/schemas/drafts/broken.json:2:",
        "referenced from events/a.yaml",
        "duplicate key `type`",
        "events/schemas/tests/repeated.json:2:10",
        "2 errors in the catalog",
    ] {
        assert!(e.contains(expected), "no `{expected}` in:\n{e}");
    }
}

#[test]
fn a_broken_file_that_looks_like_a_definition_is_an_error() {
    // It names `owning_application`, which only definitions have: losing an event type silently
    // would be worse than an error.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    write(&root, &[("a.yaml", "name: a.b\nowning_application: [x\n")]);
    let e = Config::new().catalog(&root).generate().unwrap_err().to_string();
    assert!(e.contains("invalid YAML"), "{e}");
}

#[test]
fn every_error_of_the_catalog_in_one_run() {
    let e = Config::new().catalog(repo("many_errors")).generate().unwrap_err();
    let shown: Vec<String> = e.diagnostics().iter().map(|d| format!("{}: {}", d.location, d.message)).collect();
    for expected in [
        // A definition's own error does not stop the others being lowered.
        "events/a.bad_definition.yaml:3:11",
        "unknown category `bussiness`",
        // A file that does not parse, used by another event type.
        "schemas/broken.json:3:",
        "invalid JSON",
        // Three errors in one schema, each at its place.
        "events/c.two_bad_refs.yaml:9:",
        "`/definitions/Missing`, which does not exist",
        "events/c.two_bad_refs.yaml:10:",
        "missing.json",
        "events/c.two_bad_refs.yaml:11:",
        "unknown type `strng`",
    ] {
        assert!(shown.iter().any(|d| d.contains(expected)), "no `{expected}` in {shown:#?}");
    }
    assert_eq!(shown.len(), 5, "{shown:#?}");
}
