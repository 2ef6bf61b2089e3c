//! Protobuf payloads, checked in the proto3 JSON mapping against the message descriptor protox
//! compiled: fields by `json_name` or proto name, 64-bit integers as numbers or decimal strings,
//! enums by a declared value's name or number (as the generated decoders read them), bytes as
//! base64, `null` for a field's default, at most one field of a `oneof`, and the well-known types
//! in their own JSON forms (Timestamp, Duration, Struct, Value, ListValue, wrappers, FieldMask,
//! Empty, Any). Fields the message does not declare are ignored, as consumers ignore them.
//!
//! A walk over the document reports every problem at its JSON pointer; prost-reflect's own
//! deserializer then has the last word, so nothing it rejects passes as valid (its error located
//! with serde_path_to_error).

use prost_reflect::{DynamicMessage, EnumDescriptor, FieldDescriptor, Kind, MessageDescriptor};
use serde_json::{Map, Value};

use super::avro::found;
use super::Problem;
use eventbind_build::source::push_token;

const MAX_DEPTH: usize = 256;

/// A Protobuf event type's payload message, ready to check JSON forms against.
#[derive(Debug)]
pub struct ProtoPayload {
    message: MessageDescriptor,
}

impl ProtoPayload {
    pub fn new(message: MessageDescriptor) -> ProtoPayload {
        ProtoPayload { message }
    }

    pub fn message(&self) -> &MessageDescriptor {
        &self.message
    }

    /// Checks the payload `value`, found at `at` in the event.
    pub fn check(&self, value: &Value, at: &str, problems: &mut Vec<Problem>) {
        let before = problems.len();
        let mut pointer = at.to_owned();
        message(value, &self.message, &mut pointer, 0, problems);
        if problems.len() > before {
            return;
        }
        let options = prost_reflect::DeserializeOptions::new().deny_unknown_fields(false);
        let mut track = serde_path_to_error::Track::new();
        let deserializer = serde_path_to_error::Deserializer::new(value, &mut track);
        if let Err(e) = DynamicMessage::deserialize_with_options(self.message.clone(), deserializer, &options) {
            let mut pointer = at.to_owned();
            for segment in track.path().iter() {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => {
                        pointer.push('/');
                        pointer.push_str(&index.to_string());
                    }
                    serde_path_to_error::Segment::Map { key } => push_token(&mut pointer, key),
                    serde_path_to_error::Segment::Enum { variant } => push_token(&mut pointer, variant),
                    serde_path_to_error::Segment::Unknown => {}
                }
            }
            problems.push(Problem::new(pointer, e.to_string()));
        }
    }
}

fn problem(problems: &mut Vec<Problem>, pointer: &str, reason: String) {
    problems.push(Problem::new(pointer.to_owned(), reason));
}

/// A message (or a well-known type) in its JSON form.
fn message(v: &Value, desc: &MessageDescriptor, pointer: &mut String, depth: usize, problems: &mut Vec<Problem>) {
    if depth > MAX_DEPTH {
        return problem(problems, pointer, "the value is nested too deeply".into());
    }
    let name = desc.full_name();
    if let Some(wrapped) = name.strip_prefix("google.protobuf.").and_then(wrapper_kind) {
        return scalar(v, &wrapped, pointer, problems);
    }
    let ok = match name {
        "google.protobuf.Timestamp" => v.as_str().is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok()),
        "google.protobuf.Duration" => v.as_str().is_some_and(is_duration),
        "google.protobuf.FieldMask" => v.is_string(),
        "google.protobuf.Value" => true,
        "google.protobuf.ListValue" => v.is_array(),
        "google.protobuf.Struct" | "google.protobuf.Empty" => v.is_object(),
        "google.protobuf.Any" => v.get("@type").is_some_and(Value::is_string),
        _ => {
            match v.as_object() {
                Some(object) => fields(object, desc, pointer, depth, problems),
                None => {
                    problem(problems, pointer, format!("expected a `{name}` message (an object), found {}", found(v)))
                }
            }
            return;
        }
    };
    if !ok {
        let form = match name {
            "google.protobuf.Timestamp" => "an RFC 3339 date-time string",
            "google.protobuf.Duration" => "a duration string in seconds, e.g. \"1.5s\"",
            "google.protobuf.FieldMask" => "a string of comma-separated paths",
            "google.protobuf.ListValue" => "an array",
            "google.protobuf.Any" => "an object with an \"@type\" string",
            _ => "an object",
        };
        problem(problems, pointer, format!("expected {form} ({name}), found {}", found(v)));
    }
}

/// The scalar kind a wrapper type (`google.protobuf.Int64Value` …) stands for.
fn wrapper_kind(short: &str) -> Option<Kind> {
    Some(match short {
        "DoubleValue" => Kind::Double,
        "FloatValue" => Kind::Float,
        "Int64Value" => Kind::Int64,
        "UInt64Value" => Kind::Uint64,
        "Int32Value" => Kind::Int32,
        "UInt32Value" => Kind::Uint32,
        "BoolValue" => Kind::Bool,
        "StringValue" => Kind::String,
        "BytesValue" => Kind::Bytes,
        _ => return None,
    })
}

fn fields(
    object: &Map<String, Value>,
    desc: &MessageDescriptor,
    pointer: &mut String,
    depth: usize,
    problems: &mut Vec<Problem>,
) {
    // The field already set of each oneof, by oneof name.
    let mut oneofs: Vec<(String, &str)> = Vec::new();
    for (key, v) in object {
        let Some(field) = desc.get_field_by_json_name(key).or_else(|| desc.get_field_by_name(key)) else {
            continue;
        };
        let len = pointer.len();
        push_token(pointer, key);
        if !v.is_null() {
            if let Some(oneof) = field.containing_oneof().filter(|o| !o.is_synthetic()) {
                match oneofs.iter().find(|(name, _)| name == oneof.name()) {
                    Some((_, first)) => problem(
                        problems,
                        pointer,
                        format!(
                            "`{key}` and `{first}` are both set: at most one field of `oneof {}` may be",
                            oneof.name()
                        ),
                    ),
                    None => oneofs.push((oneof.name().to_owned(), key)),
                }
            }
            field_value(v, &field, pointer, depth, problems);
        }
        pointer.truncate(len);
    }
}

fn field_value(v: &Value, field: &FieldDescriptor, pointer: &mut String, depth: usize, problems: &mut Vec<Problem>) {
    if field.is_map() {
        let Kind::Message(entry) = field.kind() else { return };
        let (key_field, value_field) = (entry.map_entry_key_field(), entry.map_entry_value_field());
        let Some(entries) = v.as_object() else {
            return problem(problems, pointer, format!("expected a map (an object), found {}", found(v)));
        };
        for (key, value) in entries {
            let len = pointer.len();
            push_token(pointer, key);
            if !map_key_ok(key, &key_field.kind()) {
                problem(
                    problems,
                    pointer,
                    format!("`{key}` is not a valid key of type {}", kind_name(&key_field.kind())),
                );
            }
            single(value, &value_field, pointer, depth + 1, problems);
            pointer.truncate(len);
        }
    } else if field.is_list() {
        let Some(items) = v.as_array() else {
            return problem(problems, pointer, format!("expected a repeated field (an array), found {}", found(v)));
        };
        for (i, item) in items.iter().enumerate() {
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&i.to_string());
            if item.is_null() && !is_value_message(&field.kind()) {
                problem(problems, pointer, "null is not allowed as an item of a repeated field".into());
            } else {
                single(item, field, pointer, depth + 1, problems);
            }
            pointer.truncate(len);
        }
    } else {
        single(v, field, pointer, depth, problems);
    }
}

fn is_value_message(kind: &Kind) -> bool {
    matches!(kind, Kind::Message(m) if m.full_name() == "google.protobuf.Value")
}

/// One value of a field's kind (a map value, a list item, or a singular field).
fn single(v: &Value, field: &FieldDescriptor, pointer: &mut String, depth: usize, problems: &mut Vec<Problem>) {
    if v.is_null() {
        // `null` is the default value (and a `google.protobuf.Value`'s null).
        return;
    }
    match field.kind() {
        Kind::Message(m) => message(v, &m, pointer, depth + 1, problems),
        kind => scalar(v, &kind, pointer, problems),
    }
}

fn scalar(v: &Value, kind: &Kind, pointer: &str, problems: &mut Vec<Problem>) {
    let reason = match kind {
        Kind::Enum(e) => return enumeration(v, e, pointer, problems),
        Kind::Message(_) => return,
        Kind::Bool => (!v.is_boolean()).then(|| format!("expected a boolean, found {}", found(v))),
        Kind::String => (!v.is_string()).then(|| format!("expected a string, found {}", found(v))),
        Kind::Bytes => match v.as_str() {
            Some(s) if is_base64(s) => None,
            Some(_) => Some(format!("expected base64-encoded bytes, found {}", found(v))),
            None => Some(format!("expected bytes as a base64 string, found {}", found(v))),
        },
        Kind::Double | Kind::Float => {
            let f = match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") => Some(0.0),
                Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite() && s.trim() == s),
                _ => None,
            };
            match f {
                None => {
                    Some(format!("expected a number (or \"NaN\", \"Infinity\", \"-Infinity\"), found {}", found(v)))
                }
                Some(f) if matches!(kind, Kind::Float) && f.abs() > f64::from(f32::MAX) => {
                    Some(format!("{v} is out of the range of a float"))
                }
                Some(_) => None,
            }
        }
        integer => {
            let (min, max, what): (i128, i128, &str) = match integer {
                Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => (i32::MIN.into(), i32::MAX.into(), "a 32-bit integer"),
                Kind::Uint32 | Kind::Fixed32 => (0, u32::MAX.into(), "an unsigned 32-bit integer"),
                Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => {
                    (i64::MIN.into(), i64::MAX.into(), "a 64-bit integer (a number or a decimal string)")
                }
                _ => (0, u64::MAX.into(), "an unsigned 64-bit integer (a number or a decimal string)"),
            };
            match integer_of(v) {
                Some(n) if (min..=max).contains(&n) => None,
                Some(_) => Some(format!("{} is out of the range of {what}", found(v))),
                None => Some(format!("expected {what}, found {}", found(v))),
            }
        }
    };
    if let Some(reason) = reason {
        problem(problems, pointer, reason);
    }
}

/// An integer given as a JSON number (integral) or a string of one.
fn integer_of(v: &Value) -> Option<i128> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1.8e19).map(|f| f as i128)),
        Value::String(s) => s.parse::<i128>().ok(),
        _ => None,
    }
}

fn enumeration(v: &Value, e: &EnumDescriptor, pointer: &str, problems: &mut Vec<Problem>) {
    let ok = match v {
        Value::String(s) => e.get_value_by_name(s).is_some(),
        // A declared value's number. Binary decoding keeps unknown numbers (proto3 enums are
        // open), but the generated JSON decoders (pbjson) reject them, as they reject unknown
        // names.
        Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()).is_some_and(|n| e.get_value(n).is_some()),
        Value::Null => e.full_name() == "google.protobuf.NullValue",
        _ => false,
    };
    if !ok {
        let names: Vec<String> = e.values().map(|x| x.name().to_owned()).collect();
        problem(
            problems,
            pointer,
            format!(
                "{} is not a value of the enum `{}`; expected one of: {}",
                found(v),
                e.full_name(),
                names.join(", ")
            ),
        );
    }
}

fn map_key_ok(key: &str, kind: &Kind) -> bool {
    match kind {
        Kind::String => true,
        Kind::Bool => matches!(key, "true" | "false"),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => key.parse::<i32>().is_ok(),
        Kind::Uint32 | Kind::Fixed32 => key.parse::<u32>().is_ok(),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => key.parse::<i64>().is_ok(),
        Kind::Uint64 | Kind::Fixed64 => key.parse::<u64>().is_ok(),
        _ => false,
    }
}

fn kind_name(kind: &Kind) -> String {
    match kind {
        Kind::Message(m) => m.full_name().to_owned(),
        Kind::Enum(e) => e.full_name().to_owned(),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// `"1.5s"`, `"-3s"`, `"0.000000001s"`: seconds with up to nine fractional digits.
fn is_duration(s: &str) -> bool {
    let Some(number) = s.strip_suffix('s') else { return false };
    let digits = number.strip_prefix('-').unwrap_or(number);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty()
        && whole.len() <= 12
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.len() <= 9
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && (!digits.contains('.') || !fraction.is_empty())
}

/// Standard or URL-safe base64, padding optional.
fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    s.len() - body.len() <= 2
        && body.len() % 4 != 1
        && body.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_'))
        && (s.len() == body.len() || s.len() % 4 == 0)
}
