//! An example event made from the event type's JSON Schema (Avro: [`super::example_avro`],
//! Protobuf: [`super::example_proto`]); the envelope around any payload is made here: `$ref`s followed, `allOf` merged, the
//! first branch of a union, and for each value what the schema offers first (`const`, `enum`,
//! `default`, `examples`), else a value of its type and format that meets its bounds and
//! pattern. Fixed values (eid, times), so the docs are the same on every run.

use serde_json::{json, Map, Value};

use eventbind_build::catalog::{Category, EventType};
use eventbind_build::json_schema::{DocId, Documents};

/// Deeper than this, only required properties are filled in (recursive types end).
const FULL_DEPTH: usize = 4;
/// Deeper than this, generation stops.
const MAX_DEPTH: usize = 24;

pub(crate) const EXAMPLE_EID: &str = "5f3c1a2e-9b7d-4e21-8c3a-1d2e3f4a5b6c";
pub(crate) const EXAMPLE_TIME: &str = "2024-05-01T12:00:00Z";
pub(crate) const EXAMPLE_UUID: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

/// The whole example event, in the envelope of its category.
pub(crate) fn event(event: &EventType, payload: Value) -> Value {
    let metadata = json!({"eid": EXAMPLE_EID, "occurred_at": EXAMPLE_TIME, "event_type": event.name});
    match event.category {
        Category::General => {
            let mut out = Map::new();
            out.insert("metadata".into(), metadata);
            if let Value::Object(fields) = payload {
                out.extend(fields);
            }
            Value::Object(out)
        }
        Category::Data => json!({
            "metadata": metadata,
            "data_op": "C",
            "data_type": event.data_type.clone().unwrap_or_else(|| event.name.clone()),
            "data": payload,
        }),
        Category::Undefined => payload,
    }
}

/// An example value of the schema at `pointer` of `doc`.
pub(crate) fn value(docs: &mut Documents<'_>, doc: DocId, pointer: &str, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let root = docs.root(doc);
    let Some(schema) = root.pointer(pointer) else { return Value::Null };
    let Some(obj) = schema.as_object() else { return Value::Null };
    if let Some(Value::String(reference)) = obj.get("$ref") {
        let at = eventbind_build::source::pointer_push(pointer, "$ref");
        return match docs.resolve(doc, &at, reference) {
            Ok((target, target_pointer)) => value(docs, target, &target_pointer, depth + 1),
            Err(_) => Value::Null,
        };
    }
    for key in ["const", "default"] {
        if let Some(v) = obj.get(key) {
            return v.clone();
        }
    }
    for key in ["enum", "x-extensible-enum", "examples"] {
        if let Some(v) = obj.get(key).and_then(Value::as_array).and_then(|a| a.iter().find(|v| !v.is_null())) {
            return v.clone();
        }
    }
    if let Some(v) = obj.get("example") {
        return v.clone();
    }
    if let Some(Value::Array(members)) = obj.get("allOf") {
        let mut merged = match object(docs, doc, pointer, obj, depth) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        for i in 0..members.len() {
            if let Value::Object(part) = value(docs, doc, &format!("{pointer}/allOf/{i}"), depth + 1) {
                merged.extend(part);
            }
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if obj.get(key).and_then(Value::as_array).is_some_and(|a| !a.is_empty()) {
            return value(docs, doc, &format!("{pointer}/{key}/0"), depth + 1);
        }
    }
    let ty = match obj.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => {
            ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null").to_owned()
        }
        _ if obj.contains_key("properties") => "object".into(),
        _ if obj.contains_key("items") => "array".into(),
        _ => "object".into(),
    };
    match ty.as_str() {
        "object" => object(docs, doc, pointer, obj, depth),
        "array" => {
            let item = match obj.get("items") {
                Some(Value::Array(tuple)) => {
                    return Value::Array(
                        (0..tuple.len())
                            .map(|i| value(docs, doc, &format!("{pointer}/items/{i}"), depth + 1))
                            .collect(),
                    )
                }
                Some(_) => value(docs, doc, &format!("{pointer}/items"), depth + 1),
                None => json!("example"),
            };
            let count = obj.get("minItems").and_then(Value::as_u64).unwrap_or(1).max(1) as usize;
            Value::Array(vec![item; count])
        }
        "string" => Value::String(string(obj)),
        "integer" => number(obj, true),
        "number" => number(obj, false),
        "boolean" => Value::Bool(true),
        _ => Value::Null,
    }
}

fn object(docs: &mut Documents<'_>, doc: DocId, pointer: &str, obj: &Map<String, Value>, depth: usize) -> Value {
    let required: Vec<&str> = obj
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = Map::new();
    if let Some(Value::Object(properties)) = obj.get("properties") {
        for name in properties.keys() {
            if depth < FULL_DEPTH || required.contains(&name.as_str()) {
                let at = eventbind_build::source::pointer_push(
                    &eventbind_build::source::pointer_push(pointer, "properties"),
                    name,
                );
                out.insert(name.clone(), value(docs, doc, &at, depth + 1));
            }
        }
    } else if matches!(obj.get("additionalProperties"), Some(Value::Object(_))) {
        out.insert("key".into(), value(docs, doc, &format!("{pointer}/additionalProperties"), depth + 1));
    }
    Value::Object(out)
}

fn string(obj: &Map<String, Value>) -> String {
    let min = obj.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = obj.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
    let by_format = match obj.get("format").and_then(Value::as_str) {
        Some("uuid") => Some(EXAMPLE_UUID.to_owned()),
        Some("date-time") => Some(EXAMPLE_TIME.to_owned()),
        Some("date") => Some("2024-05-01".to_owned()),
        Some("time") => Some("12:00:00Z".to_owned()),
        Some("email") => Some("someone@example.com".to_owned()),
        Some("uri" | "url") => Some("https://example.com/".to_owned()),
        Some("hostname") => Some("example.com".to_owned()),
        Some("ipv4") => Some("192.0.2.1".to_owned()),
        _ => None,
    };
    if let Some(s) = by_format {
        return s;
    }
    if let Some(pattern) = obj.get("pattern").and_then(Value::as_str) {
        if let Some(s) = matching(pattern) {
            return s;
        }
    }
    let mut s = "example".to_owned();
    while s.chars().count() < min {
        s.push('x');
    }
    s.chars().take(max.max(min)).collect()
}

/// A string the regular expression matches: the first alternative, the first character of each
/// class, each repetition at its minimum.
fn matching(pattern: &str) -> Option<String> {
    fn walk(hir: &regex_syntax::hir::Hir, out: &mut String) {
        use regex_syntax::hir::{Class, HirKind};
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(lit) => out.push_str(&String::from_utf8_lossy(&lit.0)),
            HirKind::Class(Class::Unicode(c)) => out.extend(c.ranges().first().map(|r| r.start())),
            HirKind::Class(Class::Bytes(c)) => out.extend(c.ranges().first().map(|r| r.start() as char)),
            HirKind::Repetition(r) => {
                for _ in 0..r.min.min(64) {
                    walk(&r.sub, out);
                }
            }
            HirKind::Capture(c) => walk(&c.sub, out),
            HirKind::Concat(parts) => parts.iter().for_each(|p| walk(p, out)),
            HirKind::Alternation(alternatives) => walk(&alternatives[0], out),
        }
    }
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut out = String::new();
    walk(&hir, &mut out);
    Some(out)
}

fn number(obj: &Map<String, Value>, integer: bool) -> Value {
    let get = |k: &str| obj.get(k).and_then(Value::as_f64);
    // Draft 04's boolean exclusiveMinimum, or the later numeric form.
    let low = match (get("minimum"), obj.get("exclusiveMinimum")) {
        (_, Some(Value::Number(n))) => n.as_f64().map(|n| n + 1.0),
        (Some(m), Some(Value::Bool(true))) => Some(m + 1.0),
        (m, _) => m,
    };
    let high = match (get("maximum"), obj.get("exclusiveMaximum")) {
        (_, Some(Value::Number(n))) => n.as_f64().map(|n| n - 1.0),
        (Some(m), Some(Value::Bool(true))) => Some(m - 1.0),
        (m, _) => m,
    };
    let mut n = low.unwrap_or(1.0).max(1.0_f64.min(high.unwrap_or(f64::MAX)));
    if let Some(step) = get("multipleOf").filter(|s| *s > 0.0) {
        n = (n / step).ceil() * step;
    }
    if integer || n.fract() == 0.0 {
        json!(n.ceil() as i64)
    } else {
        json!(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_give_matching_strings() {
        for pattern in ["^[A-Z]{3}$", "^ORD-[0-9]{4,}$", "^(de|at)-[a-z]+$", "\\d{2}:\\d{2}"] {
            let s = matching(pattern).unwrap();
            assert!(regex::Regex::new(pattern).unwrap().is_match(&s), "{pattern} → {s}");
        }
    }
}
