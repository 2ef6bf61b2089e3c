//! The shared test vectors of `fixtures/vectors`: one JSON file per vector.

use std::path::{Path, PathBuf};

use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Vector {
    pub file: PathBuf,
    pub event_type: String,
    pub valid: bool,
    pub input: Value,
    /// JSON pointer → expected value after decoding and re-encoding.
    pub expect: Vec<(String, Value)>,
    /// Pointers of fields the schema does not declare.
    pub unknown: Vec<String>,
    /// For invalid vectors: the path the decode error must name.
    pub error_path: Option<String>,
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// Every vector of `fixtures/vectors`, sorted by file name.
pub fn load_all() -> Vec<Vector> {
    load(&fixtures().join("vectors"))
}

/// The vectors of Protobuf event types (`fixtures/vectors_protobuf`), whose JSON form is the
/// proto3 mapping: unknown fields are dropped under every policy.
pub fn load_protobuf() -> Vec<Vector> {
    load(&fixtures().join("vectors_protobuf"))
}

fn load(dir: &Path) -> Vec<Vector> {
    let mut files: Vec<PathBuf> = walk(dir);
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let str_of = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_owned);
            Vector {
                event_type: str_of("event_type").unwrap_or_else(|| panic!("{}: no event_type", file.display())),
                valid: doc["valid"].as_bool().unwrap_or_else(|| panic!("{}: no valid flag", file.display())),
                input: doc["input"].clone(),
                expect: doc
                    .get("expect")
                    .and_then(Value::as_object)
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default(),
                unknown: doc
                    .get("unknown")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                    .unwrap_or_default(),
                error_path: str_of("error_path"),
                file,
            }
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out
}
