//! Reading catalog files: text (UTF-8, BOM stripped), parsing by extension into JSON values, and
//! finding the line and column of a JSON pointer for error messages.

use std::path::Path;

use saphyr_parser::{Event, Parser};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Location};

/// Larger files are refused rather than read into memory.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The formats a catalog file can be written in, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileFormat {
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
pub(crate) fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
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
pub(crate) fn decode_text(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            Location::file(shown),
            format!("file is {} bytes; catalog files may be at most {MAX_FILE_BYTES}", bytes.len()),
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Diagnostic::new(Location::file(shown), format!("not valid UTF-8 (at byte {at})"))
            .help("catalog files must be UTF-8 encoded")
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Parses JSON or YAML text into a value; syntax errors carry line and column.
pub(crate) fn parse(text: &str, format: FileFormat, shown: &Path) -> Result<Value, Diagnostic> {
    let at = |line: usize, col: usize| Location { file: shown.to_owned(), pointer: None, line_col: Some((line, col)) };
    match format {
        FileFormat::Json => serde_json::from_str(text)
            .map_err(|e| Diagnostic::new(at(e.line(), e.column()), format!("invalid JSON: {e}")).locate_in(text)),
        FileFormat::Yaml => serde_yaml_ng::from_str(text).map_err(|e| {
            let loc = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
            Diagnostic::new(at(loc.0, loc.1), format!("invalid YAML: {e}")).locate_in(text)
        }),
    }
}

/// Parses an embedded JSON text, e.g. a Nakadi-style schema string inside a catalog file.
pub(crate) fn parse_embedded(text: &str, location: Location) -> Result<Value, Diagnostic> {
    serde_json::from_str(text)
        .map_err(|e| Diagnostic::new(location, format!("the schema string is not valid JSON: {e} (of the string)")))
}

/// Splits a JSON pointer into unescaped tokens (`~1` is `/`, `~0` is `~`).
pub(crate) fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect()
}

/// Appends a token to a JSON pointer, escaping it.
pub(crate) fn pointer_push(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

enum Frame {
    Map { key: Option<String> },
    Seq { next: usize },
}

/// The 1-based line and column of the value at `pointer` in JSON or YAML text.
///
/// Walks parser events without building a tree, so aliases are never expanded.
pub(crate) fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
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
            return Some((span.start.line(), span.start.col() + 1));
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
    fn locates_pointers_in_yaml_and_json() {
        let yaml = "name: a\nschema:\n  type: json_schema\n  items:\n    - x\n    - {k: v}\n";
        assert_eq!(locate(yaml, "/schema/type"), Some((3, 9)));
        assert_eq!(locate(yaml, "/schema/items/1/k"), Some((6, 11)));
        assert_eq!(locate(yaml, "/missing"), None);
        let json = "{\n  \"a\": {\"b/c\": [1, 2]}\n}";
        assert_eq!(locate(json, "/a/b~1c/1"), Some((2, 20)));
        assert_eq!(locate(json, ""), Some((1, 1)));
    }
}
