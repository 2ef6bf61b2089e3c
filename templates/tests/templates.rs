//! The template backend: built-in templates are complete and deterministic, user templates add a
//! language or replace files, bad templates are errors naming the file and place, and each
//! language escapes names and text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use eventbind_templates::lang::{go::Go, java::Java, python::Python, typescript::TypeScript, LangSpec};
use eventbind_templates::load::BUILTIN_FILES;
use eventbind_templates::TemplateConfig;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The package of a language, named `events` where that is no built-in module (the default
/// elsewhere: TypeScript's `events` is Node.js's own).
fn render(language: &str, templates: Option<&Path>) -> Result<BTreeMap<String, String>, eventbind_build::Error> {
    let mut config = TemplateConfig::new();
    config.catalog(root().join("fixtures/catalog")).language(language);
    if language != "typescript" {
        config.package_name("events");
    }
    if let Some(dir) = templates {
        config.templates(dir);
    }
    Ok(config.generate()?.into_iter().map(|f| (f.path, f.content)).collect())
}

#[test]
fn templates_dir_matches_the_compiled_list() {
    let mut on_disk = Vec::new();
    for lang in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("langs")).unwrap() {
        let lang = lang.unwrap().path();
        for file in std::fs::read_dir(&lang).unwrap() {
            let name = file.unwrap().file_name().to_string_lossy().into_owned();
            on_disk.push((lang.file_name().unwrap().to_string_lossy().into_owned(), name));
        }
    }
    on_disk.sort();
    let mut compiled: Vec<(String, String)> =
        BUILTIN_FILES.iter().map(|(l, f, _)| ((*l).to_owned(), (*f).to_owned())).collect();
    compiled.sort();
    assert_eq!(on_disk, compiled, "langs/ and load::BUILTIN_FILES disagree");
    for (lang, file, text) in BUILTIN_FILES {
        let disk =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("langs").join(lang).join(file)).unwrap();
        assert_eq!(&disk, text, "{lang}/{file}");
    }
}

#[test]
fn each_language_writes_a_package_with_its_manifest() {
    let ts = render("typescript", None).unwrap();
    for file in ["package.json", "tsconfig.json", "src/index.ts", "src/_runtime.ts", "src/order.ts", "src/crm.ts"] {
        assert!(ts.contains_key(file), "typescript: no {file} in {:?}", ts.keys());
    }
    let package: serde_json::Value = serde_json::from_str(&ts["package.json"]).unwrap();
    assert_eq!(package["type"], "module");
    assert!(ts["src/order.ts"].contains("export interface OrderCancelled {"));
    assert!(ts["src/crm.ts"].contains("loyaltyPoints: bigint;"), "int64 is a bigint");
    let py = render("python", None).unwrap();
    for file in
        ["pyproject.toml", "events/__init__.py", "events/_runtime.py", "events/py.typed", "events/order/__init__.py"]
    {
        assert!(py.contains_key(file), "python: no {file} in {:?}", py.keys());
    }
    assert!(py["pyproject.toml"].contains("requires-python = \">=3.10\""));
    assert!(py["events/order/__init__.py"].contains("class OrderCancelled:"));
    // Optional fields may be absent; defaulted ones take the schema's default.
    assert!(py["events/order/__init__.py"].contains("tags: list[str] | None = None"), "optional defaults to None");
    assert!(ts["src/order.ts"].contains("tags?: Array<string>;"), "optional is an optional property");
    // An optional field the schema lets be null keeps null apart from absent.
    assert!(py["events/order/__init__.py"].contains("note: str | None | _rt.Absent = _rt.ABSENT"), "nullable optional");
    assert!(ts["src/order.ts"].contains("note?: string | null;"), "nullable optional");
    assert!(ts["src/order.ts"].contains("restock: boolean;"), "defaulted is always there");
    let go = render("go", None).unwrap();
    for file in ["go.mod", "events.go", "runtime/runtime.go", "order/types.go", "crm/types.go", "payment/types.go"] {
        assert!(go.contains_key(file), "go: no {file} in {:?}", go.keys());
    }
    assert!(go["go.mod"].starts_with("module events\n"), "the module path is the package name");
    assert!(!go["go.mod"].contains("require"), "standard library only");
    assert!(go["events.go"].contains("\npackage events\n"));
    assert!(go["order/types.go"].contains("\npackage order\n"), "a package per namespace");
    assert!(go["order/types.go"].contains("type OrderCancelled struct {"));
    assert!(go["crm/types.go"].contains("\tLoyaltyPoints int64\n"), "int64 is an int64");
    assert!(
        go["payment/types.go"].contains("files__schemas__money \"events/files/schemas/money\""),
        "an import of the module of a schema file"
    );
    assert!(go["order/types.go"].contains("\tTags *[]string\n"), "optional is a pointer");
    assert!(go["order/types.go"].contains("\tNote rt.Nullable[string]\n"), "nullable optional keeps null apart");
    assert!(go["order/types.go"].contains("\tRestock bool\n"), "defaulted is always there");
    assert!(go["order/types.go"].contains("rt.Defaulted(o, \"restock\", rt.DecodeBool, \"true\")"));
    assert!(go.values().all(|code| code.starts_with("// Code generated ") || !code.contains("package ")));
    // Protobuf types nested in messages move up to their package, so packages never import each
    // other in a cycle (a nested message's package and its parent's would).
    let proto = &go["proto/shop/payment/v1/types.go"];
    assert!(proto.contains("type RefundIssuedRefundedItem struct {"), "nested message, prefixed");
    assert!(
        !go.keys().any(|path| path.starts_with("proto/shop/payment/v1/") && path != "proto/shop/payment/v1/types.go"),
        "{:?}",
        go.keys()
    );
    assert!(go["payment/types.go"].contains("type RefundIssuedProto struct {"), "the Protobuf event's envelope");
    assert!(proto.contains("\npackage v1\n"));
    assert!(!proto.contains("\"events/proto/"), "the package imports no other proto package");
}

#[test]
fn java_writes_a_maven_project_with_a_package_per_namespace() {
    let java = render("java", None).unwrap();
    for file in [
        "pom.xml",
        "src/main/java/events/Events.java",
        "src/main/java/events/runtime/Rt.java",
        "src/main/java/events/runtime/EventMetadata.java",
        "src/main/java/events/order/package-info.java",
        "src/main/java/events/order/Codec.java",
        "src/main/java/events/order/OrderCancelled.java",
        "src/main/java/events/crm/Contact.java",
    ] {
        assert!(java.contains_key(file), "java: no {file} in {:?}", java.keys());
    }
    let pom = &java["pom.xml"];
    assert!(pom.contains("<maven.compiler.release>17</maven.compiler.release>"), "{pom}");
    assert!(pom.contains("<artifactId>jackson-databind</artifactId>"), "{pom}");
    assert!(pom.contains("<arg>-Xlint:all</arg>") && pom.contains("<arg>-Werror</arg>"), "{pom}");
    let cancelled = &java["src/main/java/events/order/OrderCancelled.java"];
    assert!(cancelled.starts_with("// @generated") && cancelled.contains("\npackage events.order;\n"));
    assert!(cancelled.contains("public record OrderCancelled("), "one record per type");
    // Required is a plain value, optional an Optional, defaulted always there.
    assert!(cancelled.contains("        String orderNumber,\n"), "{cancelled}");
    assert!(cancelled.contains("        Optional<List<String>> tags,\n"), "optional is an Optional");
    assert!(cancelled.contains("        Rt.Nullable<String> note,\n"), "nullable optional keeps null apart");
    assert!(cancelled.contains("        boolean restock,\n"), "defaulted is always there");
    assert!(cancelled.contains("implements Event"), "event types implement Event");
    assert!(java["src/main/java/events/crm/ContactData.java"].contains("long loyaltyPoints,"), "int64 is a long");
    // Data change envelopes keep metadata, data_op, data_type and data.
    let contact = &java["src/main/java/events/crm/Contact.java"];
    for component in ["EventMetadata metadata,", "DataOp dataOp,", "String dataType,", "ContactData data,"] {
        assert!(contact.contains(component), "{component} in {contact}");
    }
    // Other namespaces' types and codecs are fully qualified.
    let payment = &java["src/main/java/events/payment/Codec.java"];
    assert!(
        payment.contains("fieldsIn.required(\"amount\", events.files.schemas.money.Codec::decodeMoney)"),
        "{payment}"
    );

    // The package name is the root package.
    let mut config = TemplateConfig::new();
    config.catalog(root().join("fixtures/catalog")).language("java").package_name("shop_events");
    let renamed: BTreeMap<String, String> =
        config.generate().unwrap().into_iter().map(|f| (f.path, f.content)).collect();
    let order = &renamed["src/main/java/shop_events/order/OrderCancelled.java"];
    assert!(order.contains("package shop_events.order;") && order.contains("import shop_events.runtime.Rt;"));
    assert!(
        renamed.keys().all(|k| k == "pom.xml" || k.starts_with("src/main/java/shop_events/")),
        "{:?}",
        renamed.keys()
    );
}

#[test]
fn output_is_deterministic() {
    for lang in ["typescript", "python", "go", "java"] {
        assert_eq!(render(lang, None).unwrap(), render(lang, None).unwrap(), "{lang}");
    }
}

fn copy_reversed(from: &Path, to: &Path) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(from).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    entries.reverse();
    std::fs::create_dir_all(to).unwrap();
    for path in entries {
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_reversed(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn a_copy_of_the_catalog_made_in_reverse_order_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("catalog");
    copy_reversed(&root().join("fixtures/catalog"), &copy);
    for lang in ["typescript", "python", "go", "java"] {
        let mut config = TemplateConfig::new();
        config.catalog(&copy).language(lang);
        if lang != "typescript" {
            config.package_name("events");
        }
        let copied: BTreeMap<String, String> =
            config.generate().unwrap().into_iter().map(|f| (f.path, f.content)).collect();
        assert_eq!(render(lang, None).unwrap(), copied, "{lang}");
    }
}

#[test]
fn user_templates_add_a_language_and_replace_built_in_files() {
    let dir = root().join("fixtures/templates");
    let md = render("markdown", Some(&dir)).unwrap();
    assert_eq!(
        md.keys().cloned().collect::<Vec<_>>(),
        [
            "README.md",
            "audit.md",
            // Avro named types live in a module per namespace.
            "avro.md",
            "avro/shop.md",
            "avro/shop/inventory.md",
            "avro/shop/payment.md",
            "crm.md",
            "device.md",
            // The types of schema files live in a module per file.
            "files.md",
            "files/schemas.md",
            "files/schemas/common.md",
            "files/schemas/crm_contact.md",
            "files/schemas/money.md",
            "files/schemas/order_placed.md",
            "files/schemas/parcel_dispatched.md",
            "files/schemas/picking_plan_created.md",
            "files/schemas/stock_level.md",
            "files/schemas/telemetry_reported.md",
            "fulfilment.md",
            "inventory.md",
            "order.md",
            "payment.md",
            // The Protobuf event types' types live in their packages' modules.
            "proto.md",
            "proto/audit.md",
            "proto/audit/v1.md",
            "proto/shop.md",
            "proto/shop/payment.md",
            "proto/shop/payment/v1.md",
            "proto/shop/payment/v1/refund_issued.md",
            "shipping.md"
        ]
    );
    assert!(md["README.md"].contains("| order.order_cancelled | general | \"1.3.0\" | \"order-service\" | forward |"));
    let order = &md["order.md"];
    assert!(order.contains("## OrderCancelled"), "{order}");
    assert!(order.contains("| customer_id | customer_id | uuid | required |"), "{order}");
    assert!(order.contains("| tags | tags | list of string or null | optional |"), "{order}");
    assert!(
        md["payment.md"].contains("[files.schemas.money.Money](files.schemas.money.md#Money)"),
        "cross-module reference"
    );

    let built_in = render("typescript", None).unwrap();
    let replaced = render("typescript", Some(&dir)).unwrap();
    assert_eq!(built_in.keys().collect::<Vec<_>>(), replaced.keys().collect::<Vec<_>>());
    let license = "// Copyright Example Shop. Licensed under the Apache License, Version 2.0.\n";
    for (path, content) in &replaced {
        if path.ends_with(".ts") {
            assert!(content.contains(license), "{path}: the replaced header is not used");
            assert_eq!(content.replacen(license, "", 1), built_in[path], "{path}: more than the header changed");
        }
    }
}

fn user_language(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let lang = dir.path().join("mini");
    std::fs::create_dir_all(&lang).unwrap();
    let manifest = std::fs::read_to_string(root().join("fixtures/templates/markdown/language.yaml")).unwrap();
    std::fs::write(lang.join("language.yaml"), manifest).unwrap();
    std::fs::write(lang.join("index.md.hbs"), "ok\n").unwrap();
    std::fs::write(lang.join("module.md.hbs"), "ok\n").unwrap();
    for (name, text) in files {
        std::fs::write(lang.join(name), text).unwrap();
    }
    let path = dir.path().to_owned();
    (dir, path)
}

#[test]
fn bad_templates_are_errors_naming_the_file_and_place() {
    let (_keep, dir) = user_language(&[("module.md.hbs", "line one\n{{#each module.types}}\n{{name}\n")]);
    let err = render("mini", Some(&dir)).unwrap_err().to_string();
    assert!(err.contains("module.md.hbs") && err.contains("template syntax"), "{err}");

    let (_keep, dir) = user_language(&[("module.md.hbs", "first\n{{module.no_such_field}}\n")]);
    let err = render("mini", Some(&dir)).unwrap_err().to_string();
    assert!(err.contains("module.md.hbs:2:") && err.contains("strict mode"), "{err}");

    let (_keep, dir) = user_language(&[(
        "language.yaml",
        "files:\n  - path: ../escape.md\n    template: index.md.hbs\nmapping: {}\n",
    )]);
    let err = render("mini", Some(&dir)).unwrap_err().to_string();
    assert!(err.contains("language.yaml") && err.contains("invalid language.yaml"), "{err}");

    let manifest = std::fs::read_to_string(root().join("fixtures/templates/markdown/language.yaml"))
        .unwrap()
        .replace("path: README.md", "path: ../../outside.md");
    let (_keep, dir) = user_language(&[("language.yaml", &manifest)]);
    let err = render("mini", Some(&dir)).unwrap_err().to_string();
    assert!(err.contains("outside the language's output folder"), "{err}");

    let err = render("cobol", None).unwrap_err().to_string();
    assert!(err.contains("no templates for language `cobol`") && err.contains("typescript"), "{err}");
}

#[test]
fn names_are_cased_and_keywords_escaped_per_language() {
    let ts = TypeScript;
    assert_eq!(ts.field_name("postal_code"), "postalCode");
    assert_eq!(ts.field_name("default"), "default_");
    assert_eq!(ts.type_name("Date"), "Date_");
    assert_eq!(ts.module_segment("index"), "index_");
    let py = Python;
    assert_eq!(py.field_name("class"), "class_");
    assert_eq!(py.field_name("list"), "list_");
    assert_eq!(py.type_name("None"), "None_");
    assert_eq!(py.value_name("FooBar"), "FOO_BAR");
    let go = Go;
    assert_eq!(go.field_name("postal_code"), "PostalCode");
    assert_eq!(go.field_name("unknown"), "Unknown_", "the field that keeps unknown fields");
    assert_eq!(go.field_name("encode_value"), "EncodeValue_", "a method of every type");
    assert_eq!(go.type_name("order_cancelled"), "OrderCancelled");
    assert_eq!(go.value_name("out_of_stock"), "OutOfStock");
    assert_eq!(go.module_segment("SalesOrder"), "sales_order");
    assert_eq!(go.module_segment("type"), "type_", "a keyword");
    assert_eq!(go.module_segment("string"), "string_", "a predeclared identifier");
    assert_eq!(go.module_segment("runtime"), "runtime_", "the runtime's package");
    assert_eq!(go.module_segment("main"), "main_");
    let segments = |s: &[&str]| s.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(go.module_alias(&segments(&["a", "b"])), "a__b");
    assert_ne!(go.module_alias(&segments(&["a", "b"])), go.module_alias(&segments(&["a_b"])));
    assert_eq!(go.module_file(&segments(&["a", "x_test"])), "a/x_test/types.go", "never a _test.go file");
    assert_eq!(go.import_path("events", &[], &segments(&["a", "b"])), "events/a/b");
    let java = Java::default();
    assert_eq!(java.field_name("postal_code"), "postalCode");
    for (ir, escaped) in [
        ("class", "class_"),
        ("default", "default_"),
        ("true", "true_"),
        ("null", "null_"),
        ("var", "var_"),
        ("record", "record_"),
        ("yield", "yield_"),
        ("sealed", "sealed_"),
        ("permits", "permits_"),
        ("hash_code", "hashCode_"),
        ("to_string", "toString_"),
        ("unknown_fields", "unknownFields_"),
        ("from_json", "fromJson_"),
    ] {
        assert_eq!(java.field_name(ir), escaped, "java field {ir}");
    }
    for (ir, escaped) in [("String", "String_"), ("Object", "Object_"), ("Record", "Record_"), ("List", "List_")] {
        assert_eq!(java.type_name(ir), escaped, "java type {ir}");
    }
    assert_eq!(java.type_name("order_cancelled"), "OrderCancelled");
    assert_eq!(java.value_name("foo-bar"), "FOO_BAR");
    assert_eq!(java.module_segment("Order"), "order");
    assert_eq!(java.module_segment("class"), "class_");
    assert_eq!(java.module_segment("runtime"), "runtime_", "the runtime's own package");
    assert_eq!(java.module_alias(&["order".to_owned()]), "events.order");
    assert_eq!(Java::new("shop").module_alias(&[]), "shop");
}

#[test]
fn text_cannot_leave_comments_or_literals() {
    let nasty = "a */ b \"\"\" c \\ d\u{2028}e\u{2029}f\r\ng {{x}}";
    let ts = TypeScript.doc_lines(nasty);
    assert!(ts.iter().all(|l| !l.contains("*/") && !l.contains('\u{2028}') && !l.contains('\u{2029}')), "{ts:?}");
    assert_eq!(ts.len(), 2, "a CRLF is one line break: {ts:?}");
    let py = Python.doc_lines(nasty);
    assert!(py.iter().all(|l| !l.contains("\"\"\"") && !l.replace("\\\\", "").contains("\\ ")), "{py:?}");
    let go = Go.doc_lines(&format!("{nasty}\n  - indented\n\nHeading Like This\n\nbom\u{feff}"));
    assert!(go.iter().all(|l| !l.contains(['\u{2028}', '\u{2029}', '\n', '\r', '\u{feff}'])), "{go:?}");
    assert!(go.iter().all(|l| l.trim_start() == l), "gofmt would make an indented line a code block: {go:?}");
    assert!(go.contains(&"- indented".to_owned()), "{go:?}");
    assert!(go.contains(&"# Heading Like This".to_owned()), "gofmt's form of an old-style heading: {go:?}");
    let java = Java::default().doc_lines(&format!("{nasty} <b>&amp; @see \\u002a/ end"));
    for line in &java {
        assert!(!line.contains("*/") && !line.contains('\\') && !line.contains('@') && !line.contains('<'), "{java:?}");
    }
    assert!(java.join(" ").contains("&#92;u002a/"), "a unicode escape is shown, not read: {java:?}");
    let long = "x".repeat(70_000);
    let literal = Java::default().string_literal(&long);
    assert!(literal.starts_with("String.join(\"\", \"") && literal.len() < 70_200, "a long text is split");
    for lang in [&TypeScript as &dyn LangSpec, &Python, &Go, &Java::default()] {
        let literal = lang.string_literal(nasty);
        let back: String = serde_json::from_str(&literal).unwrap();
        assert_eq!(back, nasty, "{}: the literal holds exactly the text", lang.name());
        assert!(!literal.contains('\u{2028}') && !literal.contains('\n'), "{}: {literal}", lang.name());
    }
    // A byte order mark is an error anywhere in Go source.
    let literal = Go.string_literal("a\u{feff}b");
    assert!(!literal.contains('\u{feff}'), "{literal}");
    assert_eq!(serde_json::from_str::<String>(&literal).unwrap(), "a\u{feff}b");
}

/// A package name that is a keyword of the target language would make its package or import
/// clauses invalid: it is refused with an error naming the option, and nothing is written.
/// `events` is Node.js's own module: `import … from "events"` never reached a TypeScript package
/// of that name. The default collides with no built-in module, and one that does is refused
/// for the language it belongs to.
#[test]
fn built_in_module_package_names_are_refused_and_the_default_is_none() {
    assert_eq!(eventbind_templates::DEFAULT_PACKAGE, "event_bindings");
    assert!(eventbind_templates::lang::builtin_modules::owner(eventbind_templates::DEFAULT_PACKAGE).is_none());
    let ts = render("typescript", None).unwrap();
    assert!(ts["package.json"].contains("\"name\": \"event_bindings\""), "{}", ts["package.json"]);
    for (language, name) in
        [("typescript", "events"), ("typescript", "util"), ("python", "json"), ("go", "fmt"), ("java", "java")]
    {
        let mut config = TemplateConfig::new();
        config.catalog(root().join("fixtures/catalog")).language(language).package_name(name);
        let err = config.generate().unwrap_err().to_string();
        assert!(err.contains("package_name") && err.contains(&format!("`{name}`")), "{language}: {err}");
    }
    // A name that is another language's built-in is fine where it is not one.
    for language in ["python", "go", "java"] {
        let mut config = TemplateConfig::new();
        config.catalog(root().join("fixtures/catalog")).language(language).package_name("events");
        config.generate().unwrap_or_else(|e| panic!("{language}: {e}"));
    }
}

#[test]
fn keyword_package_names_are_refused() {
    for (language, keyword) in [("python", "class"), ("python", "import"), ("go", "func"), ("java", "import")] {
        let out = tempfile::tempdir().unwrap();
        let mut config = TemplateConfig::new();
        config.catalog(root().join("fixtures/catalog")).language(language).package_name(keyword);
        let err = config.write(out.path()).unwrap_err().to_string();
        assert!(err.contains("package_name") && err.contains(keyword), "{language}: {err}");
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "{language}: wrote files");
    }
    // Soft keywords and other languages' keywords are fine.
    for (language, name) in [("python", "match"), ("typescript", "class"), ("go", "class")] {
        let mut config = TemplateConfig::new();
        config.catalog(root().join("fixtures/catalog")).language(language).package_name(name);
        assert!(config.generate().is_ok(), "{language}: `{name}` refused");
    }
}
