//! The envelope of an event, checked by its category's rules (reference/event-model.md):
//! `metadata` with a uuid `eid` and a date-time `occurred_at`; for data change events also
//! `data_op`, `data_type` and `data`. Returns where the payload is, for the schema to judge.

use serde_json::Value;

use super::Problem;
use eventbind_build::catalog::Category;

/// Checks the envelope; returns the pointer of the payload (`""` for the document itself or a
/// general event's top level, `/data` for a data change event), or `None` when there is none.
pub(crate) fn check(category: Category, doc: &Value, problems: &mut Vec<Problem>) -> Option<&'static str> {
    if category == Category::Undefined {
        return Some("");
    }
    let Some(obj) = doc.as_object() else {
        problems.push(Problem::new("", format!("an event must be a JSON object, found {}", kind(doc))));
        return None;
    };
    match obj.get("metadata") {
        Some(metadata) => check_metadata(metadata, problems),
        None => problems.push(Problem::new("", "`metadata` is missing")),
    }
    if category == Category::General {
        return Some("");
    }
    match obj.get("data_op") {
        Some(Value::String(op)) if matches!(op.as_str(), "C" | "U" | "D" | "S") => {}
        Some(other) => problems.push(Problem::new(
            "/data_op",
            format!("`data_op` must be one of \"C\", \"U\", \"D\", \"S\", found {other}"),
        )),
        None => problems.push(Problem::new("", "`data_op` is missing")),
    }
    match obj.get("data_type") {
        Some(Value::String(_)) => {}
        Some(other) => {
            problems.push(Problem::new("/data_type", format!("`data_type` must be a string, found {other}")))
        }
        None => problems.push(Problem::new("", "`data_type` is missing")),
    }
    if obj.contains_key("data") {
        Some("/data")
    } else {
        problems.push(Problem::new("", "`data` is missing"));
        None
    }
}

fn check_metadata(metadata: &Value, problems: &mut Vec<Problem>) {
    let Some(m) = metadata.as_object() else {
        problems.push(Problem::new("/metadata", format!("`metadata` must be an object, found {}", kind(metadata))));
        return;
    };
    match m.get("eid") {
        Some(Value::String(eid)) if uuid::Uuid::parse_str(eid).is_ok() => {}
        Some(other) => problems.push(Problem::new("/metadata/eid", format!("`eid` must be a uuid, found {other}"))),
        None => problems.push(Problem::new("/metadata", "`eid` is missing")),
    }
    match m.get("occurred_at") {
        Some(at) => date_time(at, "/metadata/occurred_at", problems),
        None => problems.push(Problem::new("/metadata", "`occurred_at` is missing")),
    }
    if let Some(at) = m.get("received_at").filter(|v| !v.is_null()) {
        date_time(at, "/metadata/received_at", problems);
    }
    for key in ["event_type", "version", "flow_id", "partition"] {
        if let Some(v) = m.get(key).filter(|v| !v.is_null() && !v.is_string()) {
            problems.push(Problem::new(format!("/metadata/{key}"), format!("`{key}` must be a string, found {v}")));
        }
    }
    match m.get("parent_eids") {
        None | Some(Value::Null) => {}
        Some(Value::Array(eids)) => {
            for (i, eid) in eids.iter().enumerate() {
                if eid.as_str().is_none_or(|s| uuid::Uuid::parse_str(s).is_err()) {
                    problems.push(Problem::new(
                        format!("/metadata/parent_eids/{i}"),
                        format!("a parent eid must be a uuid, found {eid}"),
                    ));
                }
            }
        }
        Some(other) => problems.push(Problem::new(
            "/metadata/parent_eids",
            format!("`parent_eids` must be a list of uuids, found {other}"),
        )),
    }
}

fn date_time(value: &Value, pointer: &str, problems: &mut Vec<Problem>) {
    if value.as_str().is_none_or(|s| chrono::DateTime::parse_from_rfc3339(s).is_err()) {
        problems.push(Problem::new(pointer, format!("must be an RFC 3339 date-time, found {value}")));
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
