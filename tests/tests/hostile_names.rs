//! The hostile-names catalog (`fixtures/hostile_names`): keywords of every target language,
//! names that collide after case conversion, start with digits or hold unicode, and texts that
//! try to end comments and strings or to inject template syntax. In every language the generated
//! code compiles (Rust: `src/lib.rs` under `deny(warnings)`; TypeScript: `tsc --strict`; Python:
//! `mypy --strict`; Go: `go vet`, `gofmt`-clean;
//! Java: `javac -Xlint:all -Werror`), defines nothing the catalog's text tried to
//! define, and round-trips an event.

mod conformance_support;

use std::path::PathBuf;

use conformance_support::{canonical, config, Case, Driver, Outcome};
use eventbind_templates::TemplateConfig;
use eventbind_tests::hostile;
use serde_json::{json, Value};

fn catalog() -> PathBuf {
    eventbind_tests::vectors::fixtures().join("hostile_names")
}

/// An event of every general and data type of the catalog, with every field set.
fn events() -> Vec<(&'static str, Value)> {
    let metadata = json!({"eid": "3f0b7a6c-52a4-4a44-9c43-5f6b8a1c2d3e", "occurred_at": "2024-05-03T08:59:07Z"});
    let with_type = |t: &str| {
        let mut m = metadata.clone();
        m["event_type"] = json!(t);
        m
    };
    vec![
        (
            "class.import",
            json!({
                "metadata": with_type("class.import"),
                "type": "*/", "class": 9007199254740993_i64, "def": true, "None": "\\", "self": "s",
                "constructor": "c", "__proto__": "p", "fooBar": "a", "foo_bar": "b", "FooBar": "c", "1st": 1,
                "Zoë": "東京 🦆", "str": "s", "list": ["x"], "from_json": "f", "async": "a", "delete": "d",
                "function": "f", "interface": "i", "$unknown": "u", "_unknown": "v",
                "date": {"when": "2024-05-03T08:59:07Z"}, "map": {"Array": "a"}, "second_factor": {"code": "1"},
                "kind": "ünïcode", "open": "not listed", "maybe": null
            }),
        ),
        (
            "def.none",
            json!({"metadata": with_type("def.none"), "data_op": "C", "data_type": "def.\"none\"",
                   "data": {"id": "3f0b7a6c-52a4-4a44-9c43-5f6b8a1c2d3e", "while": "w"}}),
        ),
        ("index.runtime", json!({"metadata": with_type("index.runtime"), "index": "i"})),
        ("Import", json!({"metadata": with_type("Import"), "for": "f"})),
        ("while.raw", json!("a bare string")),
    ]
}

fn rust_outcomes() -> Vec<(Case, String)> {
    events()
        .into_iter()
        .map(|(event_type, doc)| {
            let bytes = serde_json::to_vec(&doc).unwrap();
            let encoded = if event_type == "while.raw" {
                let raw: hostile::while_::Raw = eventbind::json::from_slice(&bytes).unwrap();
                eventbind::json::to_value(&raw).unwrap()
            } else {
                let event = hostile::AnyEvent::from_json_slice(&bytes).unwrap();
                assert!(!matches!(event, hostile::AnyEvent::Unknown(_)), "{event_type} decoded as unknown");
                eventbind::json::to_value(&event).unwrap()
            };
            // Every field the document holds is declared, so nothing is lost.
            assert_eq!(canonical(&encoded), canonical(&doc), "{event_type}: Rust round trip");
            let case = Case {
                id: event_type.to_owned(),
                event_type: event_type.to_owned(),
                policy: "deny".to_owned(),
                input: doc.to_string(),
                valid: true,
            };
            (case, canonical(&encoded))
        })
        .collect()
}

#[test]
fn rust_bindings_compile_and_escape_every_name() {
    // Compiling this test is half of it: the names below exist only if escaping worked.
    let item = hostile::class::Import {
        metadata: eventbind::EventMetadata::new("class.import"),
        type_: "t".into(),
        class: 1,
        def: None,
        none: None,
        self_: None,
        constructor: None,
        proto: None,
        foo_bar: None,
        foo_bar_2: None,
        foo_bar_3: None,
        n1st: None,
        zo_u00eb: None,
        str: None,
        list: None,
        from_json: None,
        async_: None,
        delete: None,
        function: None,
        interface: None,
        unknown: None,
        unknown_2: None,
        date: None,
        map: None,
        second_factor: None,
        kind: None,
        open: None,
        maybe: None,
    };
    assert_eq!(item.type_, "t");
    let data = hostile::def::NoneData { id: Default::default(), while_: None };
    assert!(data.while_.is_none());
    rust_outcomes();
}

fn generated(language: &str) -> String {
    let files = TemplateConfig::new().catalog(catalog()).language(language).generate().unwrap();
    files.into_iter().map(|f| f.content).collect::<Vec<_>>().join("\n")
}

#[test]
fn template_syntax_in_the_catalog_is_text_not_template() {
    for language in ["typescript", "python", "go", "java"] {
        let code = generated(language);
        assert!(code.contains("{{injected}}"), "{language}: catalog text was rendered as a template");
        assert!(code.contains("{{> header.hbs}}"), "{language}: a partial call in catalog text was expanded");
        assert!(!code.contains('\u{2028}') && !code.contains('\u{2029}'), "{language}: a line separator survived");
    }
}

fn check(driver: Option<Driver>, list_definitions: &str) {
    check_names(driver, |d| d.eval(list_definitions));
}

/// `names` lists every name the generated package defines, one a line.
fn check_names(driver: Option<Driver>, names: impl FnOnce(&Driver) -> String) {
    let Some(driver) = driver else { return };
    // Nothing in any generated module is named `injected`.
    let names = names(&driver);
    assert!(names.lines().count() > 20, "{}: expected the generated names, got {names}", driver.language);
    assert!(
        !names.lines().any(|n| n.eq_ignore_ascii_case("injected") || n.eq_ignore_ascii_case("os")),
        "{}: the catalog's text defined code:\n{names}",
        driver.language
    );
    // And an event with every hostile field round-trips exactly as in Rust, under deny.
    let expected = rust_outcomes();
    let results = driver.run_cases(&expected.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>());
    for (case, rust) in &expected {
        let theirs = results.get(&case.id).unwrap_or_else(|| panic!("{}: no result for {}", driver.language, case.id));
        match theirs {
            Outcome::Ok(out) => {
                let out: Value = serde_json::from_str(out).unwrap();
                assert_eq!(&canonical(&out), rust, "{}: {} differs from Rust", driver.language, case.id);
            }
            Outcome::Rejected(e, _) => panic!("{}: {} rejected: {e}", driver.language, case.id),
        }
    }
}

#[test]
fn typescript_compiles_and_contains_no_injected_code() {
    let list = r#"
        import * as root from "./dist/events/src/index.js";
        const seen = new Set();
        const walk = (m) => { for (const [k, v] of Object.entries(m)) { console.log(k); if (v && typeof v === "object" && !seen.has(v) && Object.getPrototypeOf(v) === null) { seen.add(v); walk(v); } } };
        walk(root);
    "#;
    check(Driver::typescript("hostile", &config(&catalog())), list);
}

#[test]
fn python_type_checks_and_contains_no_injected_code() {
    let list = r#"
import importlib, pkgutil
import events
for info in pkgutil.walk_packages(events.__path__, "events."):
    module = importlib.import_module(info.name)
    for name in dir(module):
        print(name)
for name in dir(events):
    print(name)
"#;
    check(Driver::python("hostile", &config(&catalog())), list);
}

#[test]
fn go_vets_and_contains_no_injected_code() {
    // Every identifier of the generated module (declared or used); comments and strings are not
    // identifiers.
    let list = r#"
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	seen := map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir("events", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				seen[id.Name] = true
			}
			return true
		})
		return nil
	})
	if err != nil {
		panic(err)
	}
	names := make([]string, 0, len(seen))
	for name := range seen {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Println(name)
	}
}
"#;
    check(Driver::go("hostile", &config(&catalog())), list);
}

#[test]
fn java_compiles_warning_free_and_contains_no_injected_code() {
    let driver = Driver::java("hostile", &config(&catalog()));
    check_names(driver, |d| {
        let names = d.java_definitions();
        // The escaped names exist: keywords, restricted identifiers and java.lang names get `_`.
        for expected in ["class_", "while_"] {
            assert!(
                std::fs::read_dir(d.work.join("events/target/classes/events")).unwrap().any(|e| e
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    == expected),
                "java: no package `{expected}`"
            );
        }
        for expected in ["class_", "interface_", "open_", "fromJson_", "Map_"] {
            assert!(names.lines().any(|n| n == expected), "java: `{expected}` is not defined:\n{names}");
        }
        names
    });
}

/// Javadoc cannot be ended or redirected by catalog text: no `*/` inside a doc comment, and no
/// backslash at all in comments (javac reads `\u002a/` as `*/` even there).
#[test]
fn java_comments_hold_no_comment_terminators_or_unicode_escapes() {
    let files = TemplateConfig::new().catalog(catalog()).language("java").generate().unwrap();
    for file in files.iter().filter(|f| f.path.ends_with(".java")) {
        for (i, line) in file.content.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("* ") || trimmed.starts_with("/**") || trimmed.starts_with("//") {
                let body = trimmed.trim_start_matches("/**").trim_end_matches("*/");
                assert!(!body.contains("*/"), "{}:{}: a comment ends early: {line}", file.path, i + 1);
                assert!(!body.contains('\\'), "{}:{}: a backslash in a comment: {line}", file.path, i + 1);
            }
        }
    }
    let all: String = files.iter().map(|f| f.content.as_str()).collect();
    assert!(all.contains("*&#47;"), "the description's `*/` is kept as an entity");
}

/// Names only Java minds, in a catalog of their own (the shared one is compiled by every
/// language): restricted identifiers (`var`, `record`, `yield`, `sealed`, `permits`), literals,
/// `Object` methods and the generated records' own members as fields, `java.lang` and runtime
/// class names as types, and a field named like the root package beside a type of another
/// namespace (spelled fully qualified). It compiles under `-Xlint:all -Werror` and round-trips.
#[test]
fn java_specific_names_compile_and_round_trip() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("java-names-catalog");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    let shared = json!({
        "definitions": {
            "String": {"type": "object", "properties": {"value": {"type": "string"}}},
            "Object": {"type": "object", "properties": {"hash_code": {"type": "integer"}}},
        }
    });
    std::fs::write(dir.join("shared.json"), shared.to_string()).unwrap();
    let schema = json!({
        "type": "object",
        "required": ["var", "string", "null"],
        "properties": {
            "var": {"type": "string"}, "yield": {"type": "string"}, "sealed": {"type": "boolean"},
            "permits": {"type": "integer", "format": "int64"}, "record": {"$ref": "#/definitions/Record"},
            "hashCode": {"type": "string"}, "to_string": {"type": "string"}, "getClass": {"type": "string"},
            "unknown_fields": {"type": "string"}, "to_json": {"type": "string"}, "wait": {"type": "string"},
            "true": {"type": "string"}, "null": {"type": ["string", "null"]}, "events": {"type": "string"},
            "string": {"$ref": "shared.json#/definitions/String"},
            "object": {"$ref": "shared.json#/definitions/Object"},
            "codec": {"$ref": "#/definitions/Codec"},
            "list": {"type": "array", "items": {"$ref": "#/definitions/List"}},
            "enum": {"type": "string", "enum": ["true", "null", "var", "values", "wire"]},
            "open": {"type": "string", "x-extensible-enum": ["value", "VALUE", "known"]}
        },
        "definitions": {
            "Record": {"type": "object", "properties": {"permits": {"type": "string"}}},
            "Codec": {"type": "object", "properties": {"rt": {"type": "string"}}},
            "List": {"type": "object", "properties": {"events": {"type": "string"}}}
        }
    });
    let other = json!({
        "type": "object",
        "properties": {
            "events": {"type": "string"},
            "string": {"$ref": "shared.json#/definitions/String"},
            "object": {"$ref": "shared.json#/definitions/Object"}
        }
    });
    for (name, schema) in [("record.var", schema), ("events.sealed", other)] {
        let def = json!({"name": name, "owning_application": "x", "category": "general",
                         "description": "Java's own names.", "schema": {"type": "json_schema", "schema": schema}});
        std::fs::write(dir.join(format!("{name}.json")), def.to_string()).unwrap();
    }
    let Some(driver) = Driver::java("java-names", &config(&dir)) else { return };
    let metadata = |t: &str| json!({"eid": "3f0b7a6c-52a4-4a44-9c43-5f6b8a1c2d3e", "occurred_at": "2024-05-03T08:59:07Z", "event_type": t});
    let docs = [
        json!({
            "metadata": metadata("record.var"), "var": "v", "yield": "y", "sealed": true, "permits": 9007199254740993_i64,
            "record": {"permits": "p"}, "hashCode": "h", "to_string": "t", "getClass": "g", "unknown_fields": "u",
            "to_json": "j", "wait": "w", "true": "t", "null": null, "events": "e", "string": {"value": "s"},
            "object": {"hash_code": 1}, "codec": {"rt": "r"}, "list": [{"events": "e"}], "enum": "values", "open": "other"
        }),
        json!({"metadata": metadata("events.sealed"), "events": "e", "string": {"value": "s"}, "object": {"hash_code": 2}}),
    ];
    let cases: Vec<Case> = docs
        .iter()
        .map(|doc| {
            let event_type = doc["metadata"]["event_type"].as_str().unwrap().to_owned();
            Case { id: event_type.clone(), event_type, policy: "deny".to_owned(), input: doc.to_string(), valid: true }
        })
        .collect();
    let results = driver.run_cases(&cases);
    for (case, doc) in cases.iter().zip(&docs) {
        match &results[&case.id] {
            Outcome::Ok(out) => {
                let out: Value = serde_json::from_str(out).unwrap();
                assert_eq!(canonical(&out), canonical(doc), "java: {} does not round-trip", case.id);
            }
            Outcome::Rejected(e, _) => panic!("java: {} rejected: {e}", case.id),
        }
    }
    let names = driver.java_definitions();
    for expected in [
        "var_",
        "yield_",
        "sealed_",
        "permits_",
        "hashCode_",
        "toString_",
        "getClass_",
        "toJson_",
        "true_",
        "null_",
        "String_",
        "Object_",
        "Record_",
        "Codec_",
        "List_",
    ] {
        assert!(names.lines().any(|n| n == expected), "java: `{expected}` is not defined:\n{names}");
    }
}
