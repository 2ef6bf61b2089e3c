//! A writer schema registered with references (named types in schemas of their own subjects)
//! made self-contained: each referenced type is written out at its first use, as the Avro
//! specification wants names defined before they are used, and later uses keep the name.

use std::collections::{HashMap, HashSet};

use serde_json::Value as Json;

const PRIMITIVES: [&str; 8] = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"];

/// The full name of a named type `name` met inside `namespace`.
fn qualify(name: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) if !name.contains('.') && !ns.is_empty() => format!("{ns}.{name}"),
        _ => name.to_owned(),
    }
}

/// The full name a named schema (record, enum, fixed) defines, inside `namespace`.
fn defined_name(schema: &serde_json::Map<String, Json>, namespace: Option<&str>) -> Option<String> {
    let name = schema.get("name")?.as_str()?;
    let own = schema.get("namespace").and_then(Json::as_str);
    Some(qualify(name, own.or(namespace)))
}

/// The namespace a full name sits in.
fn namespace_of(full: &str) -> Option<&str> {
    full.rfind('.').map(|i| &full[..i])
}

/// The full name a standalone named schema defines.
pub(crate) fn name_of(schema: &Json) -> Option<String> {
    defined_name(schema.as_object()?, None)
}

/// `main` with the named types of `references` (full name → self-contained schema) written out
/// where they are first used.
pub(crate) fn inline(main: &Json, references: &HashMap<String, Json>) -> Json {
    let mut out = main.clone();
    let mut defined = HashSet::new();
    walk(&mut out, None, references, &mut defined);
    out
}

fn walk(node: &mut Json, namespace: Option<&str>, references: &HashMap<String, Json>, defined: &mut HashSet<String>) {
    match node {
        Json::String(name) if !PRIMITIVES.contains(&name.as_str()) => {
            let full = qualify(name, namespace);
            if defined.contains(&full) {
                return;
            }
            if let Some(definition) = references.get(&full) {
                let mut definition = definition.clone();
                if let Some(obj) = definition.as_object_mut() {
                    // The full name, so that the enclosing namespace does not change it.
                    obj.insert("name".into(), Json::String(full.clone()));
                    if namespace_of(&full).is_none() {
                        obj.insert("namespace".into(), Json::String(String::new()));
                    } else {
                        obj.remove("namespace");
                    }
                }
                *node = definition;
                walk(node, namespace, references, defined);
            }
        }
        Json::Array(branches) => {
            for branch in branches {
                walk(branch, namespace, references, defined);
            }
        }
        Json::Object(schema) => {
            let kind = schema.get("type").and_then(Json::as_str).unwrap_or_default().to_owned();
            match kind.as_str() {
                "record" | "error" | "enum" | "fixed" => {
                    let Some(full) = defined_name(schema, namespace) else { return };
                    if !defined.insert(full.clone()) {
                        // Defined already (a reference's own reference met again): use the name.
                        *node = Json::String(full);
                        return;
                    }
                    if let Some(Json::Array(fields)) = schema.get_mut("fields") {
                        let inner = namespace_of(&full).map(str::to_owned);
                        for field in fields {
                            if let Some(t) = field.get_mut("type") {
                                walk(t, inner.as_deref(), references, defined);
                            }
                        }
                    }
                }
                "array" => {
                    if let Some(items) = schema.get_mut("items") {
                        walk(items, namespace, references, defined);
                    }
                }
                "map" => {
                    if let Some(values) = schema.get_mut("values") {
                        walk(values, namespace, references, defined);
                    }
                }
                _ => {
                    if let Some(t) = schema.get_mut("type") {
                        walk(t, namespace, references, defined);
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_written_out_at_their_first_use_only() {
        let money = json!({"type": "record", "name": "Money", "namespace": "shop",
                           "fields": [{"name": "cents", "type": "long"}]});
        let main = json!({"type": "record", "name": "Refund", "namespace": "shop", "fields": [
            {"name": "amount", "type": "Money"},
            {"name": "fee", "type": ["null", "shop.Money"]},
            {"name": "parts", "type": {"type": "array", "items": "Money"}}
        ]});
        let refs = HashMap::from([(name_of(&money).unwrap(), money)]);
        let out = inline(&main, &refs);
        assert_eq!(out["fields"][0]["type"]["name"], "shop.Money");
        assert_eq!(out["fields"][0]["type"]["fields"][0]["name"], "cents");
        assert_eq!(out["fields"][1]["type"], json!(["null", "shop.Money"]));
        assert_eq!(out["fields"][2]["type"]["items"], "Money");
        let parsed = apache_avro::Schema::parse(&out).unwrap();
        assert!(matches!(parsed, apache_avro::Schema::Record(_)));
    }
}
