//! The hostile-input fixtures (`fixtures/hostile/<case>/`): one loop over every case folder.
//!
//! A case is a small catalog plus `expected.txt`, whose first line is `ok` or `error` and whose
//! other lines are substrings the generated code (`ok`) or the diagnostic (`error`) must contain.
//! Huge inputs are not committed: a case's `recipe.yaml` says how to expand them (see
//! `fixtures/hostile/README.md`). Every case must also finish without a panic, within a time
//! limit, on a thread with the default 2 MiB stack; an error must leave no output file behind,
//! and output must be byte-identical from run to run and parse as Rust. The `ok` cases without a
//! recipe are compiled under `deny(warnings)` by the `eventbind-tests` crate (its build.rs).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use eventbind_build::Config;
use serde_json::Value;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/hostile")
}

/// Files of a case folder that describe the case rather than belong to its catalog.
const CASE_FILES: &[&str] = &["expected.txt", "recipe.yaml", "README.md"];

/// Each case gets this much time (debug builds are slow; a hang is what this catches).
const TIME_LIMIT: Duration = Duration::from_secs(if cfg!(debug_assertions) { 60 } else { 20 });

/// A thread's stack as `std::thread::spawn` gives it: deep input must not need more.
const STACK: usize = 2 * 1024 * 1024;

#[derive(Debug)]
enum Expected {
    Ok(Vec<String>),
    Error(Vec<String>),
}

fn expected(case: &Path) -> Expected {
    let path = case.join("expected.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines().map(str::trim_end).filter(|l| !l.is_empty() && !l.starts_with('#'));
    let outcome = lines.next().unwrap_or_default();
    let parts = lines.map(str::to_owned).collect();
    match outcome {
        "ok" => Expected::Ok(parts),
        "error" => Expected::Error(parts),
        other => panic!("{}: the first line must be `ok` or `error`, found `{other}`", path.display()),
    }
}

fn copy_catalog(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if CASE_FILES.iter().any(|f| name == *f) {
            continue;
        }
        let target = to.join(name);
        if path.is_dir() {
            copy_catalog(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// One part of a recipe file: `text`, `[text, times]` or `[text, times, separator]`; in the
/// text, `{i}` is the repetition's index and `{next}` the index plus one.
fn expand_part(part: &Value, out: &mut String) {
    let (text, times, sep) = match part {
        Value::String(text) => (text.as_str(), 1, ""),
        Value::Array(a) => (
            a[0].as_str().expect("recipe text"),
            a[1].as_u64().expect("recipe count"),
            a.get(2).and_then(Value::as_str).unwrap_or(""),
        ),
        other => panic!("bad recipe part {other}"),
    };
    for i in 0..times {
        if i > 0 {
            out.push_str(sep);
        }
        if text.contains('{') {
            out.push_str(&text.replace("{i}", &i.to_string()).replace("{next}", &(i + 1).to_string()));
        } else {
            out.push_str(text);
        }
    }
}

/// Writes the files and links a case's `recipe.yaml` asks for into its catalog.
fn expand_recipe(case: &Path, catalog: &Path) {
    let Ok(text) = std::fs::read_to_string(case.join("recipe.yaml")) else {
        return;
    };
    let recipe: Value = serde_yaml_ng::from_str(&text).unwrap();
    for (name, parts) in recipe.get("files").and_then(Value::as_object).into_iter().flatten() {
        let mut content = String::new();
        for part in parts.as_array().expect("a list of parts") {
            expand_part(part, &mut content);
        }
        std::fs::write(catalog.join(name), content).unwrap();
    }
    for (name, target) in recipe.get("symlinks").and_then(Value::as_object).into_iter().flatten() {
        #[cfg(unix)]
        std::os::unix::fs::symlink(target.as_str().unwrap(), catalog.join(name)).unwrap();
        #[cfg(not(unix))]
        let _ = (name, target);
    }
}

/// What one run of a case gave: the generated code, or the rendered error.
type Outcome = Result<String, String>;

/// Loads and generates the case's catalog twice: through `generate`, and through `compile` into
/// an empty folder. Checks what holds for every case, and returns the outcome.
fn run(case: &Path) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().unwrap();
    // Every catalog has a valid schema just outside its root, for references that escape it.
    std::fs::write(dir.path().join("outside.json"), "{\"type\": \"object\"}").unwrap();
    let root = dir.path().join("events");
    copy_catalog(case, &root);
    expand_recipe(case, &root);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let shown = |text: String| text.replace(&format!("{}/", dir.path().display()), "");

    // Two runs, which must agree byte for byte: `generate`, then `compile` as a build script does.
    let first = Config::new().catalog(&root).generate().map(|g| g.code).map_err(|e| shown(e.to_string()));
    let compiled = Config::new().catalog(&root).out_dir(&out).cargo_output(false).compile();
    let written: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
    match (&first, compiled) {
        (Ok(code), Ok(())) => {
            let file = std::fs::read_to_string(out.join("eventbind.rs")).map_err(|e| e.to_string())?;
            if file != *code {
                return Err(
                    "two runs gave different output (`compile` wrote other code than `generate` returned)".into()
                );
            }
            syn::parse_file(code).map_err(|e| format!("the generated code does not parse: {e}"))?;
        }
        (Err(error), Err(again)) => {
            if shown(again.to_string()) != *error {
                return Err(format!("`compile` failed differently from `generate`:\n{again}"));
            }
            if !written.is_empty() {
                return Err(format!("an error left files behind: {written:?}"));
            }
        }
        (_, compiled) => return Err(format!("`generate` gave {first:?} but `compile` gave {compiled:?}")),
    }
    Ok(first)
}

/// Runs a case on its own thread (default stack size, panics caught, time limited).
fn run_guarded(case: PathBuf) -> Result<Outcome, String> {
    let (send, receive) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let result = std::panic::catch_unwind(|| run(&case));
            let _ = send.send(result.unwrap_or_else(|panic| {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                Err(format!("panicked: {message}"))
            }));
        })
        .unwrap();
    // A stack overflow aborts the whole test process, which fails it too.
    receive.recv_timeout(TIME_LIMIT).unwrap_or_else(|_| Err(format!("no result within {TIME_LIMIT:?}")))
}

fn check(case: &Path, show: bool) -> Result<(), String> {
    let expected = expected(case);
    let outcome = run_guarded(case.to_owned())?;
    if show {
        // For writing a new case's `expected.txt`: EVENTBIND_CASE=<case> shows what it gives.
        match &outcome {
            Ok(code) => eprintln!("ok\n{code}"),
            Err(error) => eprintln!("error\n{error}"),
        }
    }
    let (text, parts) = match (&expected, &outcome) {
        (Expected::Ok(parts), Ok(code)) => (code, parts),
        (Expected::Error(parts), Err(error)) => (error, parts),
        (Expected::Ok(_), Err(error)) => return Err(format!("expected output, got an error:\n{error}")),
        (Expected::Error(_), Ok(_)) => return Err("expected an error, but it generated".into()),
    };
    let missing: Vec<&String> = parts.iter().filter(|p| !text.contains(p.as_str())).collect();
    if !missing.is_empty() {
        let what = if outcome.is_ok() { "generated code" } else { "error" };
        let shown = text.char_indices().nth(4000).map_or(text.as_str(), |(i, _)| &text[..i]);
        return Err(format!("the {what} lacks {missing:?}:\n{shown}"));
    }
    Ok(())
}

#[test]
fn every_hostile_case_gives_its_expected_outcome() {
    let only = std::env::var("EVENTBIND_CASE").ok();
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(cases_dir()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 20, "expected the hostile cases in {}", cases_dir().display());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if only.as_ref().is_some_and(|o| *o != name) {
            continue;
        }
        let recipe = std::fs::read_to_string(case.join("recipe.yaml")).unwrap_or_default();
        if cfg!(not(unix)) && recipe.contains("symlinks:") {
            eprintln!("{name}: skipped (symlinks are made on Unix only)");
            continue;
        }
        let started = Instant::now();
        let result = check(case, only.is_some());
        eprintln!("{name}: {} in {:.1?}", if result.is_ok() { "as expected" } else { "FAILED" }, started.elapsed());
        if let Err(e) = result {
            failures.push(format!("case `{name}`: {e}"));
        }
    }
    assert!(failures.is_empty(), "{} hostile case(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}
