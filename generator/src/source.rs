//! Reading catalog files: text (UTF-8, BOM stripped), parsing by extension into JSON values, and
//! finding the line and column of a JSON pointer for error messages.

use std::path::Path;

use std::cell::RefCell;

use saphyr_parser::{Event, Parser};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Location};

mod yaml;

/// Larger files are refused rather than read into memory.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The formats a catalog file can be written in, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Json,
    Yaml,
}

impl FileFormat {
    pub(crate) fn of(path: &Path) -> Option<FileFormat> {
        match path.extension()?.to_str()? {
            "json" => Some(FileFormat::Json),
            "yaml" | "yml" => Some(FileFormat::Yaml),
            _ => None,
        }
    }
}

/// Reads a file as UTF-8 text without its byte-order mark.
pub fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let meta =
        std::fs::metadata(path).map_err(|e| Diagnostic::new(Location::file(shown), format!("cannot read: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            Location::file(shown),
            format!("file is {} bytes; catalog files may be at most {MAX_FILE_BYTES}", meta.len()),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::new(Location::file(shown), format!("cannot read: {e}")))?;
    decode_text(bytes, shown)
}

/// File bytes as UTF-8 text without the byte-order mark; for files read from disk or from git.
pub fn decode_text(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            Location::file(shown),
            format!("file is {} bytes; catalog files may be at most {MAX_FILE_BYTES}", bytes.len()),
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        // The valid text before the bad byte gives its line and column.
        let before = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        let location = Location { file: shown.to_owned(), pointer: None, line_col: Some((line, column)) };
        Diagnostic::new(location, format!("not valid UTF-8 (at byte {at})")).help("catalog files must be UTF-8 encoded")
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// A key given twice in one mapping. Parsing keeps the last value, as JSON parsers do; whether
/// that is an error depends on the key ([`crate::duplicate_keys`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The pointer of the mapping that holds it.
    pub mapping: String,
    pub key: String,
    /// Both values are equal: nothing changes whichever is kept.
    pub same_value: bool,
}

impl Duplicate {
    /// The pointer of the value given twice.
    pub fn pointer(&self) -> String {
        pointer_push(&self.mapping, &self.key)
    }
}

/// Parses JSON or YAML text into a value; syntax errors carry line and column. Keys given twice
/// in one mapping are returned beside the value, which holds the last of them.
pub fn parse(text: &str, format: FileFormat, shown: &Path) -> Result<(Value, Vec<Duplicate>), Diagnostic> {
    let at = |line: usize, col: usize| Location { file: shown.to_owned(), pointer: None, line_col: Some((line, col)) };
    let recorder = Recorder::default();
    let parsed = match format {
        FileFormat::Json => parse_json(text, &recorder)
            .map_err(|e| Diagnostic::new(at(e.line(), e.column()), format!("invalid JSON: {e}"))),
        FileFormat::Yaml => {
            yaml::parse(text, &recorder).map_err(|e| Diagnostic::new(at(e.line_col.0, e.line_col.1), e.message))
        }
    };
    let value = parsed.map_err(|d| d.locate_in(text))?;
    Ok((value, recorder.duplicates.into_inner()))
}

/// Parses an embedded JSON text, e.g. a Nakadi-style schema string inside a catalog file; keys
/// given twice are returned beside the value, as [`parse`] does.
pub(crate) fn parse_embedded(text: &str, location: Location) -> Result<(Value, Vec<Duplicate>), Diagnostic> {
    let recorder = Recorder::default();
    let value = parse_json(text, &recorder)
        .map_err(|e| Diagnostic::new(location, format!("the schema string is not valid JSON: {e} (of the string)")))?;
    Ok((value, recorder.duplicates.into_inner()))
}

fn parse_json(text: &str, recorder: &Recorder) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Keys(recorder).deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// The place of the `n`th (from 0) occurrence of the value at `pointer`, for a key given twice.
pub(crate) fn locate_occurrence(text: &str, pointer: &str, n: usize) -> Option<(usize, usize)> {
    locate_nth(text, pointer, n)
}

/// The keys and indexes above the value being parsed, and the keys found twice so far.
#[derive(Default)]
struct Recorder {
    path: RefCell<Vec<String>>,
    duplicates: RefCell<Vec<Duplicate>>,
}

impl Recorder {
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for token in self.path.borrow().iter() {
            push_token(&mut pointer, token);
        }
        pointer
    }
}

/// Deserializes any value as `serde_json::Value` does, recording keys a mapping gives twice.
struct Keys<'r>(&'r Recorder);

impl<'de> DeserializeSeed<'de> for Keys<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Keys<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            self.0.path.borrow_mut().push(items.len().to_string());
            let next = seq.next_element_seed(Keys(self.0));
            self.0.path.borrow_mut().pop();
            match next? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.0.path.borrow_mut().push(key.clone());
            let value = map.next_value_seed(Keys(self.0));
            self.0.path.borrow_mut().pop();
            let value = value?;
            if let Some(earlier) = object.get(&key) {
                let same_value = *earlier == value;
                let mapping = self.0.pointer();
                self.0.duplicates.borrow_mut().push(Duplicate { mapping, key: key.clone(), same_value });
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// `Value::pointer` without an allocation per token (only tokens with `~` escapes are copied):
/// lowering looks schemas up by pointer all the time, and deep payloads have long pointers.
pub(crate) trait At {
    fn at(&self, pointer: &str) -> Option<&Value>;
}

impl At for Value {
    fn at(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut target = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            let unescaped;
            let token = if token.contains('~') {
                unescaped = token.replace("~1", "/").replace("~0", "~");
                unescaped.as_str()
            } else {
                token
            };
            target = match target {
                Value::Object(map) => map.get(token)?,
                Value::Array(items) => {
                    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
                        return None;
                    }
                    items.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(target)
    }
}

/// Splits a JSON pointer into unescaped tokens (`~1` is `/`, `~0` is `~`).
pub(crate) fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect()
}

/// Appends a token to a JSON pointer, escaping it.
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let mut out = pointer.to_owned();
    push_token(&mut out, token);
    out
}

/// Appends `/token` to `pointer` in place, escaped as JSON pointers are (`~0`, `~1`).
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    if token.contains(['~', '/']) {
        pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
    } else {
        pointer.push_str(token);
    }
}

enum Frame {
    Map { key: Option<String> },
    Seq { next: usize },
}

/// The 1-based line and column of the value at `pointer` in JSON or YAML text.
///
/// Walks parser events without building a tree, so aliases are never expanded.
pub(crate) fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    locate_nth(text, pointer, 0)
}

/// The place of the `n`th (from 0) value at `pointer`: a key given twice has two.
fn locate_nth(text: &str, pointer: &str, mut n: usize) -> Option<(usize, usize)> {
    let target = pointer_tokens(pointer);
    let mut frames: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    for item in Parser::new_from_str(text) {
        let (event, span) = item.ok()?;
        let key_position = matches!(frames.last(), Some(Frame::Map { key: None }));
        match &event {
            Event::Scalar(value, ..) if key_position => {
                if let Some(Frame::Map { key }) = frames.last_mut() {
                    *key = Some(value.to_string());
                }
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                frames.pop();
                path.pop();
                continue;
            }
            Event::Scalar(..) | Event::Alias(_) | Event::MappingStart(..) | Event::SequenceStart(..) => {}
            _ => continue,
        }
        let segment = match frames.last_mut() {
            Some(Frame::Map { key }) => key.take(),
            Some(Frame::Seq { next }) => {
                *next += 1;
                Some((*next - 1).to_string())
            }
            None => None,
        };
        let depth = path.len() + usize::from(segment.is_some());
        let matches = depth == target.len()
            && path.iter().zip(&target).all(|(a, b)| a == b)
            && segment.as_ref().is_none_or(|s| *s == target[depth - 1]);
        if matches {
            if n == 0 {
                return Some((span.start.line(), span.start.col() + 1));
            }
            n -= 1;
        }
        match event {
            Event::MappingStart(..) => {
                frames.push(Frame::Map { key: None });
                path.extend(segment);
            }
            Event::SequenceStart(..) => {
                frames.push(Frame::Seq { next: 0 });
                path.extend(segment);
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_reads_pointers_as_serde_json_does() {
        let v = serde_json::json!({"a/b": {"m~n": [1, {"x": 2}]}, "": 3, "0": 4});
        for p in ["", "/a~1b", "/a~1b/m~0n/1/x", "/a~1b/m~0n/01", "/a~1b/m~0n/+1", "/", "/0", "x", "/a~1b/m~0n/9"] {
            assert_eq!(v.at(p), v.pointer(p), "{p}");
        }
    }

    #[test]
    fn locates_pointers_in_yaml_and_json() {
        let yaml = "name: a\nschema:\n  type: json_schema\n  items:\n    - x\n    - {k: v}\n";
        assert_eq!(locate(yaml, "/schema/type"), Some((3, 9)));
        assert_eq!(locate(yaml, "/schema/items/1/k"), Some((6, 11)));
        assert_eq!(locate(yaml, "/missing"), None);
        let json = "{\n  \"a\": {\"b/c\": [1, 2]}\n}";
        assert_eq!(locate(json, "/a/b~1c/1"), Some((2, 20)));
        assert_eq!(locate(json, ""), Some((1, 1)));
    }

    #[test]
    fn numbers_beyond_64_bits_are_valid_yaml_and_json() {
        let shown = Path::new("schema.yaml");
        let yaml = "maximum: 18446744073709552000
minimum: -18446744073709552000
exact: 18446744073709551615
";
        let (value, _) = parse(yaml, FileFormat::Yaml, shown).unwrap();
        assert_eq!(value["maximum"].as_f64(), Some(18_446_744_073_709_552_000.0));
        assert_eq!(value["minimum"].as_f64(), Some(-18_446_744_073_709_552_000.0));
        assert_eq!(value["exact"].as_u64(), Some(u64::MAX));
        let json = r#"{"maximum": 18446744073709552000}"#;
        assert_eq!(
            parse(json, FileFormat::Json, shown).unwrap().0,
            serde_json::json!({"maximum": 18446744073709552000.0})
        );
    }
}
