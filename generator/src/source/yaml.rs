//! YAML text → JSON value, built from saphyr-parser's events in one pass. Plain scalars are
//! resolved by YAML 1.2's core schema as serde_yaml resolves them (`~`/`null`, `true`/`false`,
//! decimal, `0x`/`0o`/`0b` integers, floats, `.inf`, `.nan`; a leading zero keeps digits a
//! string); quoted and block scalars are strings; aliases repeat their anchor's value.
//!
//! The limits that keep a hostile file from hanging the build are checked as the events arrive:
//! nesting deeper than [`MAX_DEPTH`] and aliases that expand to far more nodes than the file
//! holds (alias bombs) are refused where they happen.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use serde_json::{Map, Number, Value};

use super::{Duplicate, Recorder};

/// Deeper YAML nesting is refused, as serde_json refuses deeper JSON.
pub(super) const MAX_DEPTH: usize = 128;

/// Aliases may expand a YAML file to at most this many nodes, plus 100 per node written.
const MAX_ALIAS_NODES: u64 = 10_000;

/// A problem and its place: line (from 1) and column (from 1).
pub(super) struct Error {
    pub line_col: (usize, usize),
    pub message: String,
}

/// An open collection: its value so far, its anchor, the nodes it expands to, and for a mapping
/// the key read and waiting for its value.
struct Open {
    value: Value,
    anchor: usize,
    size: u64,
    key: Option<String>,
}

/// Parses the one document of `text` (none is `null`). Keys given twice in a mapping are recorded
/// in `recorder`; the value holds the last of them.
pub(super) fn parse(text: &str, recorder: &Recorder) -> Result<Value, Error> {
    let mut open: Vec<Open> = Vec::new();
    let mut anchors: HashMap<usize, (Value, u64)> = HashMap::new();
    let (mut written, mut expanded) = (0u64, 0u64);
    let mut document: Option<Value> = None;
    let mut documents = 0;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| Error {
            line_col: (e.marker().line(), e.marker().col() + 1),
            message: format!("invalid YAML: {}", e.info()),
        })?;
        let at = |message: String| Error { line_col: (span.start.line(), span.start.col() + 1), message };
        let (node, anchor, size) = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(at("invalid YAML: a catalog file holds one document, this is a second".into()));
                }
                continue;
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if open.len() == MAX_DEPTH {
                    return Err(at(format!("invalid YAML: nesting deeper than {MAX_DEPTH} levels")));
                }
                let value = match event {
                    Event::MappingStart(..) => Value::Object(Map::new()),
                    _ => Value::Array(Vec::new()),
                };
                if let Some(parent) = open.last() {
                    recorder.path.borrow_mut().push(position(parent));
                }
                open.push(Open { value, anchor, size: 1, key: None });
                written += 1;
                expanded += 1;
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(done) = open.pop() else { continue };
                if !open.is_empty() {
                    recorder.path.borrow_mut().pop();
                }
                (done.value, done.anchor, done.size)
            }
            Event::Scalar(text, style, anchor, tag) => {
                written += 1;
                expanded += 1;
                let is_key = open.last().is_some_and(|o| o.value.is_object() && o.key.is_none());
                if is_key {
                    // Keys are read as text whatever they look like (`200:`, `true:`), as a
                    // string-keyed map reads them.
                    let parent = open.last_mut().expect("checked above");
                    parent.key = Some(text.into_owned());
                    parent.size = parent.size.saturating_add(1);
                    continue;
                }
                let value = scalar(&text, style, tag.as_deref()).map_err(at)?;
                (value, anchor, 1)
            }
            Event::Alias(anchor) => {
                written += 1;
                let Some((value, size)) = anchors.get(&anchor) else {
                    return Err(at("invalid YAML: an alias of an anchor not defined before it".into()));
                };
                expanded = expanded.saturating_add(*size);
                if expanded > MAX_ALIAS_NODES.saturating_add(written.saturating_mul(100)) {
                    return Err(Error {
                        line_col: (span.start.line(), span.start.col() + 1),
                        message: format!("invalid YAML: aliases expand this file to at least {expanded} nodes from {written} written"),
                    });
                }
                let is_key = open.last().is_some_and(|o| o.value.is_object() && o.key.is_none());
                if is_key {
                    let Value::String(key) = value else {
                        return Err(at("invalid YAML: a mapping key must be a scalar".into()));
                    };
                    let key = key.clone();
                    let parent = open.last_mut().expect("checked above");
                    parent.key = Some(key);
                    parent.size = parent.size.saturating_add(*size);
                    continue;
                }
                (value.clone(), 0, *size)
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
        };
        if anchor != 0 {
            anchors.insert(anchor, (node.clone(), size));
        }
        let Some(parent) = open.last_mut() else {
            document = Some(node);
            continue;
        };
        parent.size = parent.size.saturating_add(size);
        match &mut parent.value {
            Value::Array(items) => items.push(node),
            Value::Object(object) => {
                let Some(key) = parent.key.take() else {
                    return Err(at("invalid YAML: a mapping key must be a scalar".into()));
                };
                if let Some(earlier) = object.get(&key) {
                    let same_value = *earlier == node;
                    let mapping = recorder.pointer();
                    recorder.duplicates.borrow_mut().push(Duplicate { mapping, key: key.clone(), same_value });
                }
                object.insert(key, node);
            }
            _ => unreachable!("only collections are open"),
        }
    }
    Ok(document.unwrap_or(Value::Null))
}

/// The token of the next value of an open collection in a JSON pointer.
fn position(open: &Open) -> String {
    match (&open.value, &open.key) {
        (Value::Array(items), _) => items.len().to_string(),
        (_, Some(key)) => key.clone(),
        _ => String::new(),
    }
}

/// The value of a scalar: its core-schema tag (`!!str`, `!!int`, …) if it has one, else a plain
/// scalar resolved as data and any other a string. Other tags are annotations and are ignored.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    if let Some(tag) = tag.filter(|t| t.is_yaml_core_schema()) {
        let wrong = |kind: &str| format!("invalid YAML: `{text}` is not {kind}");
        return match tag.suffix.as_str() {
            "str" => Ok(Value::String(text.to_owned())),
            "null" => null(text).ok_or_else(|| wrong("null")),
            "bool" => boolean(text).ok_or_else(|| wrong("a boolean")),
            "int" => integer(text).ok_or_else(|| wrong("an integer")),
            "float" => float(text).map(number).ok_or_else(|| wrong("a float")),
            _ => Ok(plain_or_string(text, style)),
        };
    }
    Ok(plain_or_string(text, style))
}

fn plain_or_string(text: &str, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::String(text.to_owned());
    }
    if text.is_empty() {
        return Value::Null;
    }
    null(text)
        .or_else(|| boolean(text))
        .or_else(|| integer(text))
        .or_else(|| (!digits_but_not_number(text)).then(|| float(text).map(number)).flatten())
        .unwrap_or_else(|| Value::String(text.to_owned()))
}

fn null(text: &str) -> Option<Value> {
    matches!(text, "null" | "Null" | "NULL" | "~").then_some(Value::Null)
}

fn boolean(text: &str) -> Option<Value> {
    match text {
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// Decimal, `0x`, `0o` and `0b` integers with an optional sign. Integers beyond 64 bits
/// (`maximum: 18446744073709552000`) are valid and become the nearest double, as serde_json
/// reads the same number in a JSON file.
fn integer(text: &str) -> Option<Value> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = match unsigned.get(..2) {
        Some("0x") => (16, &unsigned[2..]),
        Some("0o") => (8, &unsigned[2..]),
        Some("0b") => (2, &unsigned[2..]),
        _ if digits_but_not_number(text) => return None,
        _ => (10, unsigned),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    Some(if negative {
        match i64::try_from(magnitude).ok().and_then(i64::checked_neg).or((magnitude == 1 << 63).then_some(i64::MIN)) {
            Some(v) => Value::Number(v.into()),
            None => number(-(magnitude as f64)),
        }
    } else {
        match u64::try_from(magnitude) {
            Ok(v) => Value::Number(v.into()),
            Err(_) => number(magnitude as f64),
        }
    })
}

fn float(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    // Rust also reads `inf`, `nan` and `infinity`, which YAML keeps as strings.
    if !unsigned.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A JSON number; infinities and NaN, which JSON cannot hold, are `null` as serde_json makes them.
fn number(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// Leading zeros followed by digits are a string in YAML 1.2 (`0123`).
fn digits_but_not_number(text: &str) -> bool {
    let text = text.strip_prefix(['-', '+']).unwrap_or(text);
    text.len() > 1 && text.starts_with('0') && text[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        parse(text, &Recorder::default()).unwrap_or_else(|e| panic!("{}:{}: {}", e.line_col.0, e.line_col.1, e.message))
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        let v = value(
            "a: ~\nb: null\nc: true\nd: False\ne: 42\nf: -7\ng: 0x1F\nh: 0o17\ni: 0b101\nj: 1.5\nk: 1e3\nl: .inf\n\
             m: 0123\nn: '42'\no: yes\np: 18446744073709552000\nq: -9223372036854775808\nr: nan\ns:\nt: !!str 12\nu: \"x\"\n",
        );
        let expected = serde_json::json!({
            "a": null, "b": null, "c": true, "d": false, "e": 42, "f": -7, "g": 31, "h": 15, "i": 5,
            "j": 1.5, "k": 1000.0, "l": null, "m": "0123", "n": "42", "o": "yes",
            "p": 18446744073709552000.0, "q": i64::MIN, "r": "nan", "s": null, "t": "12", "u": "x"
        });
        assert_eq!(v, expected);
        assert_eq!(value("x: 18446744073709551615\n")["x"].as_u64(), Some(u64::MAX));
    }

    #[test]
    fn keys_are_text_and_aliases_repeat_anchors() {
        let v = value("200: ok\ntrue: t\nbase: &b {type: string}\nuse: *b\nlist: [&n 1, *n]\n");
        assert_eq!(
            v,
            serde_json::json!({"200": "ok", "true": "t", "base": {"type": "string"}, "use": {"type": "string"}, "list": [1, 1]})
        );
    }

    #[test]
    fn repeated_keys_are_recorded_with_their_mapping() {
        let recorder = Recorder::default();
        let v = parse("a:\n  - {k: 1, k: 2}\nb: 1\nb: 1\n", &recorder).map_err(|e| e.message).unwrap();
        assert_eq!(v, serde_json::json!({"a": [{"k": 2}], "b": 1}));
        let d = recorder.duplicates.into_inner();
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].mapping.as_str(), d[0].key.as_str(), d[0].same_value), ("/a/0", "k", false));
        assert_eq!((d[1].mapping.as_str(), d[1].key.as_str(), d[1].same_value), ("", "b", true));
    }

    #[test]
    fn errors_have_places() {
        let e = parse("a: [1, 2\nb: 3\n", &Recorder::default()).expect_err("unclosed flow sequence");
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
        assert_eq!(e.line_col.0, 2, "{}", e.message);
        let e = parse("a: 1\n---\nb: 2\n", &Recorder::default()).expect_err("two documents");
        assert_eq!(e.line_col.0, 2, "{}", e.message);
        assert_eq!(value(""), Value::Null);
        let e = parse("a: !!int x\n", &Recorder::default()).expect_err("bad int");
        assert!(e.message.contains("not an integer"), "{}", e.message);
    }
}
