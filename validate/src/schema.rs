//! Compiling an event type's payload schema into a `jsonschema` validator, offline. References
//! are resolved by the engine's resolver, the one `generate` uses ([`crate::json_schema::bundle`]):
//! the validator is given the bundle, so it never resolves a reference of its own.

use std::collections::HashMap;

use serde_json::{json, Value};

use eventbind_build::catalog::{Catalog, EventType};
use eventbind_build::diagnostic::Diagnostic;
use eventbind_build::ir::Primitive;
use eventbind_build::json_schema::bundle::{bundle, resource_uri};
use eventbind_build::json_schema::{open_event_schema, Documents, Draft};

/// Answers the bundle's resource URIs; any other URI is refused, never fetched.
struct BundleRetriever(HashMap<String, Value>);

impl jsonschema::Retrieve for BundleRetriever {
    fn retrieve(&self, uri: &jsonschema::Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let uri = uri.as_str().trim_end_matches('#');
        self.0.get(uri).cloned().ok_or_else(|| {
            format!("`{uri}` is not a schema of the catalog; eventbind fetches nothing from the network").into()
        })
    }
}

/// The per-catalog state shared by every event type's validator.
pub(crate) struct SchemaCompiler;

impl SchemaCompiler {
    pub fn new(_catalog: &Catalog) -> SchemaCompiler {
        SchemaCompiler
    }

    /// The validator of an event type's payload, or why none can be built.
    pub fn compile(&self, catalog: &Catalog, event: &EventType) -> Result<jsonschema::Validator, Diagnostic> {
        let mut docs = Documents::new(catalog);
        let (doc, _, _) = open_event_schema(&mut docs, event)?;
        let bundled = bundle(&mut docs, doc, "")?;
        if let Some(error) = docs.take_findings().0.into_iter().next() {
            return Err(error);
        }
        let location = docs.get(doc).location("");
        let draft = match bundled.draft {
            Draft::Draft4 => jsonschema::Draft::Draft4,
            Draft::Draft6 => jsonschema::Draft::Draft6,
            Draft::Draft7 => jsonschema::Draft::Draft7,
            Draft::Draft2019 => jsonschema::Draft::Draft201909,
            Draft::Draft2020 => jsonschema::Draft::Draft202012,
        };
        let mut resources: Vec<Value> = bundled.resources;
        resources.iter_mut().for_each(normalize_openapi);
        let root = resources.first().cloned().unwrap_or(Value::Bool(true));
        let retriever =
            BundleRetriever(resources.into_iter().enumerate().skip(1).map(|(n, v)| (resource_uri(n), v)).collect());
        jsonschema::options()
            .with_draft(draft)
            .with_base_uri(resource_uri(0))
            .with_retriever(retriever)
            .should_validate_formats(true)
            // The formats generated decoders insist on, in every draft (draft 04 knows no `uuid`).
            .with_format("uuid", |s: &str| uuid::Uuid::parse_str(s).is_ok())
            .with_format("date", |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok())
            .build(&root)
            .map_err(|e| Diagnostic::new(location, format!("the schema of `{}` cannot be compiled: {e}", event.name)))
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
            let bounds = match eventbind_build::json_schema::integer_type(format, map) {
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
}
