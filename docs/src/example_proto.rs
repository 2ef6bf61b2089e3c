//! An example payload made from a Protobuf message descriptor, in the proto3 JSON mapping:
//! fields under their `json_name`, in declaration order; the first field of each `oneof`; one
//! item per repeated field and map; 64-bit integers as strings; enums by the name of their first
//! non-zero value; the well-known types in their own JSON forms. Deterministic.

use prost_reflect::{FieldDescriptor, Kind, MessageDescriptor};
use serde_json::{json, Map, Value};

use super::example::EXAMPLE_TIME;

/// Deeper than this, message fields are left out (they are optional), so recursive types end.
const FULL_DEPTH: usize = 4;

/// The example payload of a Protobuf event type.
pub(crate) fn payload(message: &MessageDescriptor) -> Value {
    self::message(message, 0).unwrap_or_else(|| json!({}))
}

/// A message's example; `None` for one that has no useful example (`google.protobuf.Any`).
fn message(desc: &MessageDescriptor, depth: usize) -> Option<Value> {
    let name = desc.full_name();
    if let Some(wrapped) = name.strip_prefix("google.protobuf.").and_then(|n| n.strip_suffix("Value")) {
        let kind = match wrapped {
            "Double" | "Float" => Some(Kind::Double),
            "Int64" => Some(Kind::Int64),
            "UInt64" => Some(Kind::Uint64),
            "Int32" => Some(Kind::Int32),
            "UInt32" => Some(Kind::Uint32),
            "Bool" => Some(Kind::Bool),
            "String" => Some(Kind::String),
            "Bytes" => Some(Kind::Bytes),
            _ => None,
        };
        if let Some(kind) = kind {
            return Some(scalar(&kind));
        }
    }
    Some(match name {
        "google.protobuf.Timestamp" => json!(EXAMPLE_TIME),
        "google.protobuf.Duration" => json!("1.5s"),
        "google.protobuf.FieldMask" => json!("example"),
        "google.protobuf.Value" => json!("example"),
        "google.protobuf.ListValue" => json!(["example"]),
        "google.protobuf.Struct" => json!({"key": "example"}),
        "google.protobuf.Empty" => json!({}),
        "google.protobuf.Any" => return None,
        _ => {
            let mut out = Map::new();
            let mut oneofs_done = Vec::new();
            for field in desc.fields() {
                if let Some(oneof) = field.containing_oneof().filter(|o| !o.is_synthetic()) {
                    if oneofs_done.contains(&oneof.name().to_owned()) {
                        continue;
                    }
                    oneofs_done.push(oneof.name().to_owned());
                }
                if let Some(v) = field_value(&field, depth) {
                    out.insert(field.json_name().to_owned(), v);
                }
            }
            Value::Object(out)
        }
    })
}

fn field_value(field: &FieldDescriptor, depth: usize) -> Option<Value> {
    let single = |kind: &Kind| match kind {
        Kind::Message(m) if depth < FULL_DEPTH => message(m, depth + 1),
        Kind::Message(_) => None,
        other => Some(scalar(other)),
    };
    if field.is_map() {
        let Kind::Message(entry) = field.kind() else { return None };
        let key = match entry.map_entry_key_field().kind() {
            Kind::String => "key".to_owned(),
            Kind::Bool => "true".to_owned(),
            _ => "1".to_owned(),
        };
        let value = single(&entry.map_entry_value_field().kind())?;
        Some(json!({ key: value }))
    } else if field.is_list() {
        Some(json!([single(&field.kind())?]))
    } else {
        single(&field.kind())
    }
}

fn scalar(kind: &Kind) -> Value {
    match kind {
        Kind::Double | Kind::Float => json!(1.5),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 | Kind::Uint32 | Kind::Fixed32 => json!(1),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 | Kind::Uint64 | Kind::Fixed64 => json!("1"),
        Kind::Bool => json!(true),
        Kind::String => json!("example"),
        Kind::Bytes => json!("ZXhhbXBsZQ=="),
        Kind::Enum(e) => {
            let chosen = e.values().find(|v| v.number() != 0).or_else(|| e.values().next());
            chosen.map_or(json!(0), |v| json!(v.name()))
        }
        Kind::Message(_) => json!({}),
    }
}
