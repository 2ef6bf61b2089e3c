//! The `eventbind` command: generate, the drift check, exit codes, help.

use std::path::Path;
use std::process::Command;

fn eventbind() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eventbind"))
}

fn example_catalog() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/catalog"))
}

#[test]
fn generate_then_check_detects_drift() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen");
    let run = |extra: &[&str]| {
        eventbind()
            .arg("generate")
            .arg("--catalog")
            .arg(example_catalog())
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let out_of_date = run(&["--check"]);
    assert_eq!(out_of_date.status.code(), Some(1), "nothing generated yet is drift");
    assert!(!out.join("eventbind.rs").exists(), "--check writes nothing");

    let generated = run(&[]);
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    let code = std::fs::read_to_string(out.join("eventbind.rs")).unwrap();
    let build_rs = eventbind_build::Config::new().catalog(example_catalog()).generate().unwrap().code;
    assert_eq!(code, build_rs, "the command writes what build.rs writes");

    let clean = run(&["--check"]);
    assert_eq!(clean.status.code(), Some(0));

    std::fs::write(out.join("eventbind.rs"), code.replace("Do not edit", "Edited")).unwrap();
    let drift = run(&["--check"]);
    assert_eq!(drift.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&drift.stderr);
    assert!(stderr.contains("out of date") && stderr.contains("eventbind.rs"), "{stderr}");

    let preserve = run(&["--check", "--unknown-fields", "preserve"]);
    assert_eq!(preserve.status.code(), Some(1), "another policy is other code");
}

#[test]
fn bad_input_exits_2_with_the_diagnostic_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("events");
    std::fs::create_dir_all(&catalog).unwrap();
    std::fs::write(
        catalog.join("a.yaml"),
        "name: 9lives\nowning_application: x\ncategory: general\nschema: {type: json_schema, schema: {}}\n",
    )
    .unwrap();
    let out = dir.path().join("gen");
    let result = eventbind().arg("generate").arg("--catalog").arg(&catalog).arg("--out").arg(&out).output().unwrap();
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("invalid event type name `9lives`") && stderr.contains("a.yaml:1:7"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    assert!(!out.exists());

    let usage = eventbind().arg("generate").arg("--out").arg(&out).output().unwrap();
    assert_eq!(usage.status.code(), Some(2), "missing --catalog is a usage error");
}

#[test]
fn help_describes_every_subcommand_and_option() {
    let top = eventbind().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&top.stdout);
    // Every command gets a one-line summary in the top-level help, and its own help with exit codes.
    let commands: Vec<(&str, &str)> = text
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.trim().split_once(char::is_whitespace))
        .map(|(name, summary)| (name, summary.trim()))
        .filter(|(name, _)| *name != "help")
        .collect();
    let names: Vec<&str> = commands.iter().map(|(n, _)| *n).collect();
    for expected in ["generate", "lint", "diff", "check", "docs", "validate", "replay"] {
        assert!(names.contains(&expected), "`{expected}` missing from --help:\n{text}");
    }
    for (name, summary) in &commands {
        assert!(!summary.is_empty() && summary.len() <= 110, "`{name}`'s summary is not one short line: {summary}");
        let own = eventbind().args([*name, "--help"]).output().unwrap();
        let own = String::from_utf8_lossy(&own.stdout);
        assert!(own.contains("Exit codes"), "`{name} --help` names no exit codes:\n{own}");
    }
    let sub = eventbind().args(["generate", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&sub.stdout);
    for option in [
        "--catalog",
        "--lang",
        "--out",
        "--unknown-fields",
        "--tolerant-enums",
        "--event-type",
        "--check",
        "Exit codes",
    ] {
        assert!(text.contains(option), "`{option}` missing from generate --help:\n{text}");
    }
}

#[test]
fn template_languages_get_a_package_each_and_the_drift_check() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen");
    let run = |extra: &[&str]| {
        eventbind()
            .arg("generate")
            .arg("--catalog")
            .arg(example_catalog())
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let langs = ["--lang", "typescript,python,go,rust"];
    let generated = run(&langs);
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    for file in [
        "typescript/package.json",
        "typescript/src/index.ts",
        "python/pyproject.toml",
        // The default package name, `event_bindings`, is a built-in module of no language.
        "python/event_bindings/__init__.py",
        "go/go.mod",
        "go/events.go",
        "go/runtime/runtime.go",
        "go/order/types.go",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    assert!(out.join("eventbind.rs").is_file());
    assert_eq!(run(&[&langs[..], &["--check"]].concat()).status.code(), Some(0), "freshly generated is current");

    let module = out.join("python/event_bindings/order/__init__.py");
    std::fs::write(&module, std::fs::read_to_string(&module).unwrap() + "# edited\n").unwrap();
    let drift = run(&[&langs[..], &["--check"]].concat());
    assert_eq!(drift.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&drift.stderr).contains("order/__init__.py"));

    let templates = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/templates"));
    let markdown = run(&["--lang", "markdown", "--templates", templates.to_str().unwrap()]);
    assert!(markdown.status.success(), "{}", String::from_utf8_lossy(&markdown.stderr));
    assert!(std::fs::read_to_string(out.join("markdown/order.md")).unwrap().contains("## OrderCancelled"));

    let unknown = run(&["--lang", "cobol"]);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("no templates for language `cobol`") && stderr.contains("python"), "{stderr}");
}

/// The catalog's eventbind.yaml maps URL references to its folders for the command as for
/// build.rs: no option needed, and the same code.
#[test]
fn generate_reads_url_mappings_from_the_catalogs_eventbind_yaml() {
    let catalog = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/repos/url_map"));
    let dir = tempfile::tempdir().unwrap();
    let output =
        eventbind().arg("generate").arg("--catalog").arg(catalog).arg("--out").arg(dir.path()).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let code = std::fs::read_to_string(dir.path().join("eventbind.rs")).unwrap();
    assert_eq!(code, eventbind_build::Config::new().catalog(catalog).generate().unwrap().code);
    assert!(code.contains("pub struct Country") || code.contains("pub enum Country"), "{code}");
}

/// A schema file used by a definition that repeats an annotation is a warning on stderr.
#[test]
fn generate_prints_warnings_and_succeeds() {
    let catalog = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/repos/unused_files"));
    let dir = tempfile::tempdir().unwrap();
    let output =
        eventbind().arg("generate").arg("--catalog").arg(catalog).arg("--out").arg(dir.path()).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("warning: duplicate key `description`"), "{stderr}");
}
