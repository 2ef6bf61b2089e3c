//! Compiling an event type's payload schema into a `jsonschema` validator, offline: `$ref`s to
//! other catalog files (relative paths, declared `$id`s, mapped URL prefixes) are answered from
//! the catalog's files; anything else is refused, never fetched.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::catalog::{Catalog, EventType};
use crate::diagnostic::Diagnostic;
use crate::ir::Primitive;
use crate::json_schema::{open_event_schema, Documents, Draft};

/// Answers `$ref`s from the catalog's files.
struct CatalogRetriever {
    /// Canonical path → the file's schema, normalized.
    files: HashMap<PathBuf, Arc<Value>>,
    /// Root `$id` (without a trailing `#`) → canonical path.
    ids: HashMap<String, PathBuf>,
    url_maps: Vec<(String, PathBuf)>,
    roots: Vec<PathBuf>,
}

impl jsonschema::Retrieve for CatalogRetriever {
    fn retrieve(&self, uri: &jsonschema::Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let uri = uri.as_str().trim_end_matches('#');
        let path = if let Some(path) = uri.strip_prefix("file://") {
            PathBuf::from(percent_decode(path))
        } else if let Some(path) = self.ids.get(uri) {
            path.clone()
        } else if let Some(path) = self.url_maps.iter().find_map(|(prefix, dir)| {
            uri.strip_prefix(prefix.as_str()).map(|rest| lexical(&dir.join(percent_decode(rest))))
        }) {
            path
        } else {
            return Err(format!("`{uri}` is not a catalog file; eventbind fetches nothing from the network").into());
        };
        let path = lexical(&path);
        if let Some(value) = self.files.get(&path) {
            return Ok((**value).clone());
        }
        // A schema file outside the catalog's definitions folder walk (e.g. a reference root).
        let canonical = path.canonicalize().map_err(|e| format!("cannot open `{}`: {e}", path.display()))?;
        if !self.roots.iter().any(|r| canonical.starts_with(r)) {
            return Err(format!("`{}` is outside the catalog root", path.display()).into());
        }
        if let Some(value) = self.files.get(&canonical) {
            return Ok((**value).clone());
        }
        let text = std::fs::read_to_string(&canonical).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let mut value: Value = if canonical.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text)?
        } else {
            serde_yaml_ng::from_str(&text)?
        };
        normalize_openapi(&mut value);
        Ok(value)
    }
}

/// The per-catalog state shared by every event type's validator.
pub(crate) struct SchemaCompiler {
    retriever: Arc<CatalogRetriever>,
}

impl SchemaCompiler {
    pub fn new(catalog: &Catalog) -> SchemaCompiler {
        let mut files = HashMap::new();
        let mut ids = HashMap::new();
        for (path, file) in &catalog.files {
            let mut value = file.value.clone();
            normalize_openapi(&mut value);
            if let Some(id) = value.get("$id").or_else(|| value.get("id")).and_then(Value::as_str) {
                if id.contains(':') {
                    ids.insert(id.trim_end_matches('#').to_owned(), path.clone());
                }
            }
            files.insert(path.clone(), Arc::new(value));
        }
        let roots = catalog.canonical_roots.iter().chain(&catalog.reference_roots).cloned().collect();
        SchemaCompiler {
            retriever: Arc::new(CatalogRetriever { files, ids, url_maps: catalog.url_maps.clone(), roots }),
        }
    }

    /// The validator of an event type's payload, or why none can be built.
    pub fn compile(&self, catalog: &Catalog, event: &EventType) -> Result<jsonschema::Validator, Diagnostic> {
        let mut docs = Documents::new(catalog);
        let (doc, _, _) = open_event_schema(&mut docs, event)?;
        let document = docs.get(doc);
        let mut schema = (*document.root).clone();
        normalize_openapi(&mut schema);
        let draft = match Draft::detect(&schema) {
            Draft::Draft4 => jsonschema::Draft::Draft4,
            Draft::Draft6 => jsonschema::Draft::Draft6,
            Draft::Draft7 => jsonschema::Draft::Draft7,
            Draft::Draft2019 => jsonschema::Draft::Draft201909,
            Draft::Draft2020 => jsonschema::Draft::Draft202012,
        };
        let retriever = SharedRetriever(self.retriever.clone());
        jsonschema::options()
            .with_draft(draft)
            .with_base_uri(file_uri(&document.path))
            .with_retriever(retriever)
            .should_validate_formats(true)
            // The formats generated decoders insist on, in every draft (draft 04 knows no `uuid`).
            .with_format("uuid", |s: &str| uuid::Uuid::parse_str(s).is_ok())
            .with_format("date", |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok())
            .build(&schema)
            .map_err(|e| {
                Diagnostic::new(
                    document.location(""),
                    format!("the schema of `{}` cannot be compiled: {e}", event.name),
                )
            })
    }
}

struct SharedRetriever(Arc<CatalogRetriever>);

impl jsonschema::Retrieve for SharedRetriever {
    fn retrieve(&self, uri: &jsonschema::Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        self.0.retrieve(uri)
    }
}

/// Rewrites the OpenAPI Schema Object's own keywords into JSON Schema, so that a validator means
/// what the event guidelines mean: `nullable: true` admits `null`, and the integer formats
/// `int32`/`int64` bound the value as generated decoders do.
pub(crate) fn normalize_openapi(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("nullable") == Some(&Value::Bool(true)) {
                match map.get_mut("type") {
                    Some(Value::String(t)) => {
                        let t = t.clone();
                        map.insert("type".into(), json!([t, "null"]));
                    }
                    Some(Value::Array(types)) if !types.contains(&json!("null")) => types.push(json!("null")),
                    _ => {}
                }
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    if !values.contains(&Value::Null) {
                        values.push(Value::Null);
                    }
                }
            }
            let integer = match map.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
                _ => false,
            };
            // The integer type the decoders use (the lowering's own choice from format and bounds).
            let format = map.get("format").and_then(Value::as_str);
            let bounds = match crate::json_schema::integer_type(format, map) {
                _ if !integer => None,
                Primitive::Int32 if format == Some("int32") => Some((json!(i32::MIN), json!(i32::MAX))),
                Primitive::Int64 if format == Some("int64") => Some((json!(i64::MIN), json!(i64::MAX))),
                Primitive::UInt32 => Some((json!(0), json!(u32::MAX))),
                Primitive::UInt64 => Some((json!(0), json!(u64::MAX))),
                _ => None,
            };
            if let Some((min, max)) = bounds {
                map.entry("minimum").or_insert(min);
                map.entry("maximum").or_insert(max);
            }
            for (key, child) in map.iter_mut() {
                // These hold data, not schemas.
                if !matches!(key.as_str(), "enum" | "const" | "default" | "examples" | "example" | "x-extensible-enum")
                {
                    normalize_openapi(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize_openapi),
        _ => {}
    }
}

/// A `file://` URI for a path, percent-encoding what URIs do not allow.
fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if !out.starts_with("file:///") {
        out.insert(7, '/');
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `..` and `.` removed without touching the disk.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_and_integer_formats_become_json_schema() {
        let mut schema = json!({"properties": {
            "note": {"type": "string", "nullable": true},
            "kind": {"enum": ["a"], "nullable": true},
            "n": {"type": "integer", "format": "int32"},
            "nullable": {"type": "string"}
        }});
        normalize_openapi(&mut schema);
        assert_eq!(schema["properties"]["note"]["type"], json!(["string", "null"]));
        assert_eq!(schema["properties"]["kind"]["enum"], json!(["a", null]));
        assert_eq!(schema["properties"]["n"]["maximum"], json!(i32::MAX));
        assert_eq!(schema["properties"]["nullable"], json!({"type": "string"}), "a property named nullable");
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/a b/c%.json");
        let uri = file_uri(path);
        assert_eq!(uri, "file:///tmp/a%20b/c%25.json");
        assert_eq!(percent_decode(uri.strip_prefix("file://").unwrap()), "/tmp/a b/c%.json");
    }
}
