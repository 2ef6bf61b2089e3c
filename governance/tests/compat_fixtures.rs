//! Every folder under fixtures/compat is a schema change: its kind must be reported, and the
//! whole diff (kinds, paths, verdicts, bump) must match its expect.json.

use std::path::{Path, PathBuf};

use eventbind_governance::compat::avro::AvroSource;
use eventbind_governance::compat::protobuf::ProtoSource;
use eventbind_governance::compat::{self, Change, Policy, Verdict};
use serde_json::{json, Value};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/compat")
}

fn diff(dir: &Path) -> Vec<Change> {
    let find = |stem: &str| {
        ["json", "avsc", "proto"]
            .iter()
            .map(|e| dir.join(format!("{stem}.{e}")))
            .find(|p| p.exists())
            .expect("old/new file")
    };
    let (old, new) = (find("old"), find("new"));
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
        let verdict = Verdict::of(&changes, Policy::parse("forward").unwrap());
        let strict = Verdict::of(&changes, Policy::parse("FULL").unwrap());
        let actual = json!({
            "changes": changes.iter().map(|c| json!([c.kind.name(), c.path])).collect::<Vec<_>>(),
            "backward": verdict.backward,
            "forward": verdict.forward,
            "full": verdict.full,
            "bump": verdict.bump.as_str(),
            "registry_backward": strict.backward,
            "registry_forward": strict.forward,
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
