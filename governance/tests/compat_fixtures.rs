//! Every folder under fixtures/compat is a schema change: its kind must be reported, and the
//! whole diff (kinds, paths, verdicts, bump, the Schema Registry's verdicts) must match its
//! expect.json. A folder with a registry.json is a case of one of the registry's compatibility
//! rules, written from the rule: the rule must be among the registry's differences and the
//! verdicts must be the ones it states.

use std::path::{Path, PathBuf};

use eventbind_governance::compat::avro::AvroSource;
use eventbind_governance::compat::protobuf::ProtoSource;
use eventbind_governance::compat::registry::{self, RegistryCheck};
use eventbind_governance::compat::{self, Change, Policy, Verdict};
use serde_json::{json, Value};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/compat")
}

fn find(dir: &Path, stem: &str) -> PathBuf {
    ["json", "avsc", "proto"]
        .iter()
        .map(|e| dir.join(format!("{stem}.{e}")))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("{}: no {stem}.json, {stem}.avsc or {stem}.proto", dir.display()))
}

fn diff(dir: &Path) -> Vec<Change> {
    let (old, new) = (find(dir, "old"), find(dir, "new"));
    let result = match old.extension().and_then(|e| e.to_str()) {
        Some("json") => compat::diff_json_schema_files(&old, &new),
        Some("avsc") => compat::avro::diff(&AvroSource::read(&old).unwrap(), &AvroSource::read(&new).unwrap()),
        _ => compat::protobuf::diff(
            &ProtoSource::read(&old).unwrap(),
            &ProtoSource::read(&new).unwrap(),
            "shop.v1.Order",
            None,
        ),
    };
    result.unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// The Schema Registry's comparison of the two versions.
fn registry_check(dir: &Path) -> RegistryCheck {
    let (old, new) = (find(dir, "old"), find(dir, "new"));
    let result = match old.extension().and_then(|e| e.to_str()) {
        Some("json") => registry::json_schema_files(&old, &new),
        Some("avsc") => registry::avro::check(&AvroSource::read(&old).unwrap(), &AvroSource::read(&new).unwrap()),
        _ => registry::protobuf::check(&ProtoSource::read(&old).unwrap(), &ProtoSource::read(&new).unwrap()),
    };
    result.unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// A rule case's expectations against the registry's comparison; a list of what disagrees.
fn rule_case(dir: &Path, check: &RegistryCheck) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("registry.json")) else { return Vec::new() };
    let expected: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}/registry.json: {e}", dir.display()));
    let mut wrong = Vec::new();
    // `rule: null` is a case where no rule finds a difference.
    let found: Vec<&str> = check.backward.iter().chain(&check.forward).map(|d| d.rule).collect();
    match expected["rule"].as_str() {
        Some(rule) if !found.contains(&rule) => {
            wrong.push(format!("{}: rule {rule} not among the registry's differences {found:?}", dir.display()))
        }
        None if check.backward.iter().chain(&check.forward).any(|d| !d.compatible) => {
            wrong.push(format!("{}: expected no incompatible difference, found {found:?}", dir.display()))
        }
        _ => {}
    }
    for (direction, actual) in [("backward", check.backward_compatible()), ("forward", check.forward_compatible())] {
        if expected[direction] != json!(actual) {
            let shown: Vec<String> = check
                .backward
                .iter()
                .chain(&check.forward)
                .filter(|d| !d.compatible)
                .map(|d| format!("{} {}", d.rule, d.path))
                .collect();
            wrong.push(format!(
                "{}: {direction} expected {}, the registry's rules give {actual} ({shown:?})",
                dir.display(),
                expected[direction]
            ));
        }
    }
    wrong
}

#[test]
fn every_change_kind_fixture() {
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(fixtures()).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    assert!(dirs.len() >= 80, "expected the fixture folders, found {}", dirs.len());
    let bless = std::env::var_os("EVENTBIND_BLESS").is_some();
    let mut failures = Vec::new();
    for dir in &dirs {
        let changes = diff(dir);
        let kind = std::fs::read_to_string(dir.join("kind.txt")).unwrap().trim().to_owned();
        let kinds: Vec<&str> = changes.iter().map(|c| c.kind.name()).collect();
        if kind == "NONE" {
            if !changes.is_empty() {
                failures.push(format!("{}: expected no change, got {kinds:?}", dir.display()));
            }
        } else if !kinds.contains(&kind.as_str()) {
            failures.push(format!("{}: expected {kind}, got {kinds:?}", dir.display()));
        }
        let verdict = Verdict::of(&changes, Policy::parse("forward").unwrap(), None);
        let check = registry_check(dir);
        failures.extend(rule_case(dir, &check));
        let actual = json!({
            "changes": changes.iter().map(|c| json!([c.kind.name(), c.path])).collect::<Vec<_>>(),
            "backward": verdict.backward,
            "forward": verdict.forward,
            "full": verdict.full,
            "bump": verdict.bump.as_str(),
            "registry_backward": check.backward_compatible(),
            "registry_forward": check.forward_compatible(),
        });
        let path = dir.join("expect.json");
        if bless {
            std::fs::write(&path, serde_json::to_string_pretty(&actual).unwrap() + "\n").unwrap();
            continue;
        }
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if expected != actual {
            failures.push(format!("{}:\n expected {expected}\n actual   {actual}", dir.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
