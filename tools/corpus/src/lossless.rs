//! The lossless round-trip measure: a sample decoded with its generated type and encoded again,
//! compared with the sample as received. The cases are generated under the `preserve` policy, so
//! keys the schema does not declare come back too; every difference is then a declared value the
//! bindings lost or changed, or one the round-trip rule allows (README, "What a decode → encode
//! keeps").

use serde_json::Value;

/// The differences between a sample and its re-encoding.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diff {
    /// A value of the input that the output lacks.
    pub lost: usize,
    /// A value the output holds differently (another number, string or kind).
    pub changed: usize,
    /// A `null` of the input that the output leaves out.
    pub null_to_absent: usize,
    /// A date-time written in another text for the same instant and offset (`+00:00` as `Z`,
    /// `.5` as `.500`): the rule's normal form.
    pub normalized: usize,
    /// A value the output has and the input did not: a schema default filled in.
    pub added: usize,
    /// Protobuf payloads: what the proto3 JSON mapping writes in its own form, by its rules: an
    /// enum number as its name, an int64 as a string, a zero value of a field without presence
    /// left out.
    pub proto_normal: usize,
    /// The first few places of losses and changes, for the report (`/a/b: lost`).
    pub places: Vec<String>,
}

impl Diff {
    /// Whether every declared value came back as the rule says (defaults and normal forms allowed).
    pub fn lossless(&self) -> bool {
        self.lost == 0 && self.changed == 0 && self.null_to_absent == 0
    }

    fn note(&mut self, pointer: &str, what: &str) {
        if self.places.len() < 3 {
            self.places.push(format!("{}: {what}", if pointer.is_empty() { "/" } else { pointer }));
        }
    }
}

/// Compares a sample (`input`) with its decode → encode (`output`); `proto3`: the payload is a
/// Protobuf message in the proto3 JSON mapping.
pub fn compare(input: &Value, output: &Value, proto3: bool) -> Diff {
    let mut diff = Diff::default();
    Walk { proto3 }.walk(input, output, &mut String::new(), &mut diff);
    diff
}

struct Walk {
    proto3: bool,
}

/// A value the proto3 JSON mapping leaves out of a field without presence.
fn is_zero(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty() || s == "0",
        Value::Bool(b) => !b,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Null => true,
    }
}

/// A number written back as the proto3 JSON mapping writes it: an int64 as its decimal text, an
/// enum number as the value's name (`SPAN_KIND_SERVER`).
fn proto3_form(input: &serde_json::Number, output: &str) -> bool {
    output == input.to_string()
        || (!output.is_empty() && output.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
}

impl Walk {
    fn walk(&self, input: &Value, output: &Value, pointer: &mut String, diff: &mut Diff) {
        match (input, output) {
            (Value::Object(a), Value::Object(b)) => {
                for (key, value) in a {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    match b.get(key) {
                        Some(other) => self.walk(value, other, pointer, diff),
                        None if self.proto3 && is_zero(value) => diff.proto_normal += 1,
                        None if value.is_null() => {
                            diff.null_to_absent += 1;
                            diff.note(pointer, "null written as absent");
                        }
                        None => {
                            diff.lost += 1;
                            diff.note(pointer, "lost");
                        }
                    }
                    pointer.truncate(len);
                }
                diff.added += b.keys().filter(|k| !a.contains_key(*k)).count();
            }
            (Value::Array(a), Value::Array(b)) => {
                for (i, value) in a.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    match b.get(i) {
                        Some(other) => self.walk(value, other, pointer, diff),
                        None => {
                            diff.lost += 1;
                            diff.note(pointer, "lost");
                        }
                    }
                    pointer.truncate(len);
                }
                diff.added += b.len().saturating_sub(a.len());
            }
            (Value::Number(a), Value::Number(b)) if same_number(a, b) => {}
            (Value::String(a), Value::String(b)) if a == b => {}
            (Value::String(a), Value::String(b)) if same_date_time(a, b) => diff.normalized += 1,
            (Value::Number(a), Value::String(b)) if self.proto3 && proto3_form(a, b) => diff.proto_normal += 1,
            (a, b) if a == b => {}
            (a, b) => {
                diff.changed += 1;
                diff.note(pointer, &format!("{} became {}", short(a), short(b)));
            }
        }
    }
}

/// Numbers are equal when they are the same number: integers exactly, others as doubles (`1`
/// and `1.0` are one number).
fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

/// Two RFC 3339 texts of one instant at one offset.
fn same_date_time(a: &str, b: &str) -> bool {
    match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
        (Ok(x), Ok(y)) => x == y && x.offset() == y.offset(),
        _ => false,
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn equal_documents_have_no_differences() {
        let doc = json!({"a": [1, {"b": null}], "c": "x", "n": 18446744073709551000u64});
        assert_eq!(compare(&doc, &doc, false), Diff::default());
    }

    #[test]
    fn losses_changes_and_dropped_nulls_are_counted_apart() {
        let input = json!({"kept": 1, "gone": {"x": 1}, "nulled": null, "other": "a", "list": [1, 2]});
        let output = json!({"kept": 1.0, "other": "b", "list": [1], "default": true});
        let diff = compare(&input, &output, false);
        assert_eq!((diff.lost, diff.changed, diff.null_to_absent, diff.added), (2, 1, 1, 1), "{diff:?}");
        assert!(!diff.lossless());
        assert!(diff.places.iter().any(|p| p.starts_with("/gone: lost")), "{:?}", diff.places);
    }

    #[test]
    fn a_date_time_in_normal_form_is_not_a_change_but_another_offset_is() {
        let diff =
            compare(&json!({"t": "2024-05-13T22:09:38.5+00:00"}), &json!({"t": "2024-05-13T22:09:38.500Z"}), false);
        assert_eq!((diff.normalized, diff.changed), (1, 0));
        let diff = compare(&json!({"t": "2024-05-13T22:09:38-04:00"}), &json!({"t": "2024-05-14T02:09:38Z"}), false);
        assert_eq!(diff.changed, 1, "the offset was lost");
    }

    #[test]
    fn the_proto3_json_forms_are_its_rules_not_changes() {
        let input = json!({"kind": 2, "count": "7", "big": 9007199254740993u64, "scale": 0, "name": "a", "gone": 3});
        let output = json!({"kind": "SPAN_KIND_SERVER", "count": "7", "big": "9007199254740993", "name": "a"});
        let diff = compare(&input, &output, true);
        assert_eq!((diff.proto_normal, diff.lost, diff.changed), (3, 1, 0), "{diff:?}");
        assert_eq!(compare(&input, &output, false).changed, 2, "JSON Schema payloads have no such rule");
    }
}
