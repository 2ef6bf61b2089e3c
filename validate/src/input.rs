//! Splitting an input stream into event documents, in constant memory: NDJSON / JSON Lines
//! (one document per line), or JSON (one document, a top-level array of documents, or
//! documents one after another). Each record knows the line it starts on; a record that is not
//! JSON (truncated, invalid UTF-8, a syntax error) is a record with a reason, and reading goes on.

use std::io::BufRead;
use std::path::Path;

use serde_json::Value;

/// Larger records are reported and skipped rather than held in memory.
pub const MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// How an input is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// By extension (`.json` → JSON; `.ndjson`, `.jsonl`, `.jsonlines` → NDJSON); otherwise
    /// JSON when the first byte is `[`, else NDJSON.
    Auto,
    Ndjson,
    Json,
}

impl InputFormat {
    /// The format of a file by its extension (`Auto` when the extension does not say).
    pub fn of(path: &Path) -> InputFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => InputFormat::Json,
            Some("ndjson" | "jsonl" | "jsonlines") => InputFormat::Ndjson,
            _ => InputFormat::Auto,
        }
    }
}

/// One document of the input: the line it starts on, and the parsed value or why there is none.
#[derive(Debug)]
pub struct Record {
    pub line: usize,
    pub value: Result<Value, String>,
}

/// The records of one input, read lazily.
#[derive(Debug)]
pub struct Records<R> {
    reader: R,
    format: InputFormat,
    /// 1-based line of the next unread byte.
    line: usize,
    buf: Vec<u8>,
    started: bool,
    /// JSON framing: inside a top-level array.
    in_array: bool,
    /// A top-level array is one document, not a list of them (the event type's documents are
    /// arrays: a tuple event).
    whole_arrays: bool,
    done: bool,
}

impl<R: BufRead> Records<R> {
    pub fn new(reader: R, format: InputFormat) -> Self {
        Records {
            reader,
            format,
            line: 1,
            buf: Vec::new(),
            started: false,
            in_array: false,
            whole_arrays: false,
            done: false,
        }
    }

    /// Reads a top-level array as one document: for events whose documents are arrays.
    pub fn whole_arrays(mut self, whole: bool) -> Self {
        self.whole_arrays = whole;
        self
    }

    /// Skips a UTF-8 byte-order mark and decides `Auto`.
    fn start(&mut self) -> std::io::Result<()> {
        self.started = true;
        let head = self.reader.fill_buf()?;
        if head.starts_with(b"\xEF\xBB\xBF") {
            self.reader.consume(3);
        }
        if self.format == InputFormat::Auto {
            self.format = match self.peek_non_space()? {
                Some(b'[') => InputFormat::Json,
                _ => InputFormat::Ndjson,
            };
        }
        Ok(())
    }

    /// The next byte that is not whitespace, consumed up to it (lines counted).
    fn peek_non_space(&mut self) -> std::io::Result<Option<u8>> {
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                return Ok(None);
            }
            match chunk.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(i) => {
                    let b = chunk[i];
                    self.line += chunk[..i].iter().filter(|b| **b == b'\n').count();
                    self.reader.consume(i);
                    return Ok(Some(b));
                }
                None => {
                    let n = chunk.len();
                    self.line += chunk.iter().filter(|b| **b == b'\n').count();
                    self.reader.consume(n);
                }
            }
        }
    }

    fn next_line(&mut self) -> Option<Record> {
        loop {
            self.buf.clear();
            let line = self.line;
            let mut limited = std::io::Read::take(&mut self.reader, MAX_RECORD_BYTES as u64 + 1);
            match limited.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Record { line, value: Err(format!("cannot read: {e}")) });
                }
            }
            if self.buf.last() != Some(&b'\n') && self.buf.len() > MAX_RECORD_BYTES {
                // Skip the rest of the overlong line.
                let mut rest = Vec::new();
                loop {
                    rest.clear();
                    let mut limited = std::io::Read::take(&mut self.reader, 1 << 20);
                    match limited.read_until(b'\n', &mut rest) {
                        Ok(0) | Err(_) => break,
                        Ok(_) if rest.last() == Some(&b'\n') => break,
                        Ok(_) => {}
                    }
                }
                self.line += 1;
                return Some(Record { line, value: Err(format!("the line is longer than {MAX_RECORD_BYTES} bytes")) });
            }
            self.line += 1;
            let text = trim(&self.buf);
            if text.is_empty() {
                continue;
            }
            return Some(Record { line, value: parse(text, line) });
        }
    }

    /// The next JSON document: a top-level value, or an element of a top-level array.
    fn next_document(&mut self) -> Option<Record> {
        loop {
            let first = match self.peek_non_space() {
                Ok(Some(b)) => b,
                Ok(None) => {
                    return self.in_array.then(|| {
                        self.in_array = false;
                        Record { line: self.line, value: Err("truncated: the array is not closed with `]`".into()) }
                    })
                }
                Err(e) => {
                    self.done = true;
                    return Some(Record { line: self.line, value: Err(format!("cannot read: {e}")) });
                }
            };
            match first {
                b'[' if !self.in_array && !self.whole_arrays => {
                    self.in_array = true;
                    self.reader.consume(1);
                    continue;
                }
                b',' if self.in_array => {
                    self.reader.consume(1);
                    continue;
                }
                b']' if self.in_array => {
                    self.in_array = false;
                    self.reader.consume(1);
                    continue;
                }
                _ => {}
            }
            let line = self.line;
            return Some(match self.scan_value() {
                Ok(true) => Record { line, value: parse(&self.buf, line) },
                Ok(false) => {
                    Record { line, value: Err(format!("the document is longer than {MAX_RECORD_BYTES} bytes")) }
                }
                Err(e) => {
                    self.done = true;
                    Record { line, value: Err(format!("cannot read: {e}")) }
                }
            });
        }
    }

    /// Reads one JSON value's bytes into `buf` by tracking brackets and strings (not parsing).
    /// Returns false when it was too long to keep (its bytes are skipped).
    fn scan_value(&mut self) -> std::io::Result<bool> {
        self.buf.clear();
        let (mut depth, mut in_string, mut escaped, mut kept) = (0usize, false, false, true);
        let mut started = false;
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                return Ok(kept);
            }
            let mut end = None;
            for (i, &b) in chunk.iter().enumerate() {
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    continue;
                }
                match b {
                    b'"' => {
                        if started && depth == 0 {
                            end = Some(i);
                            break;
                        }
                        in_string = true;
                    }
                    b'{' | b'[' => {
                        if started && depth == 0 {
                            end = Some(i);
                            break;
                        }
                        depth += 1;
                    }
                    b'}' | b']' => {
                        if depth == 0 {
                            end = Some(i);
                            break;
                        }
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    b',' if depth == 0 => {
                        end = Some(i);
                        break;
                    }
                    b if b.is_ascii_whitespace() && depth == 0 && started => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
                started = true;
            }
            let take = end.unwrap_or(chunk.len());
            self.line += chunk[..take].iter().filter(|b| **b == b'\n').count();
            if kept && self.buf.len() + take <= MAX_RECORD_BYTES {
                self.buf.extend_from_slice(&chunk[..take]);
            } else {
                kept = false;
                self.buf.clear();
            }
            self.reader.consume(take);
            if end.is_some() {
                return Ok(kept);
            }
        }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if self.done {
            return None;
        }
        if !self.started {
            if let Err(e) = self.start() {
                self.done = true;
                return Some(Record { line: 1, value: Err(format!("cannot read: {e}")) });
            }
        }
        let record = match self.format {
            InputFormat::Ndjson => self.next_line(),
            _ => self.next_document(),
        };
        if record.is_none() {
            self.done = true;
        }
        record
    }
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Parses a record; errors name what is wrong, with the line where it is.
fn parse(bytes: &[u8], line: usize) -> Result<Value, String> {
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        let extra = bytes[..at].iter().filter(|b| **b == b'\n').count();
        return Err(format!("invalid UTF-8 at byte {at} of the record (line {})", line + extra));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        let what = if e.is_eof() { "truncated JSON" } else { "invalid JSON" };
        let at = line + e.line().saturating_sub(1);
        format!("{what} at line {at}, column {}: {e}", e.column())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(input: &[u8], format: InputFormat) -> Vec<(usize, Result<Value, String>)> {
        Records::new(input, format).map(|r| (r.line, r.value)).collect()
    }

    #[test]
    fn ndjson_lines_keep_going_after_bad_ones() {
        let input = b"{\"a\":1}\n\n{\"a\":\n\xff\xfe\n  {\"a\":2}  \r\n";
        let out = records(input, InputFormat::Ndjson);
        assert_eq!(out.len(), 4);
        assert_eq!(out[0], (1, Ok(serde_json::json!({"a": 1}))));
        assert_eq!(out[1].0, 3);
        assert!(out[1].1.as_ref().unwrap_err().starts_with("truncated JSON"), "{:?}", out[1]);
        assert_eq!(out[2].0, 4);
        assert!(out[2].1.as_ref().unwrap_err().contains("invalid UTF-8"), "{:?}", out[2]);
        assert_eq!(out[3], (5, Ok(serde_json::json!({"a": 2}))));
    }

    #[test]
    fn json_arrays_and_documents_carry_their_start_lines() {
        let input = b"[\n  {\"a\": \"x]\\\"\"},\n  {\n    \"a\": [1, {\"b\": 2}]\n  }\n]\n{\"c\": 3} {\"d\": 4}";
        let out = records(input, InputFormat::Auto);
        let lines: Vec<usize> = out.iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![2, 3, 7, 7]);
        assert_eq!(out[0].1, Ok(serde_json::json!({"a": "x]\""})));
        assert_eq!(out[1].1, Ok(serde_json::json!({"a": [1, {"b": 2}]})));
        assert_eq!(out[3].1, Ok(serde_json::json!({"d": 4})));
    }

    #[test]
    fn a_truncated_json_document_is_reported() {
        let out = records(b"[{\"a\": 1},\n {\"a\": ", InputFormat::Json);
        assert_eq!(out[0], (1, Ok(serde_json::json!({"a": 1}))));
        assert_eq!(out[1].0, 2);
        assert!(out[1].1.as_ref().unwrap_err().starts_with("truncated"), "{:?}", out[1]);
        assert_eq!(out.len(), 3, "and the array is not closed: {out:?}");
    }

    #[test]
    fn a_top_level_array_is_one_document_when_documents_are_arrays() {
        let read = |whole| {
            Records::new(&b"[1, 2]\n[3]\n"[..], InputFormat::Json)
                .whole_arrays(whole)
                .map(|r| r.value.unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(read(true), [serde_json::json!([1, 2]), serde_json::json!([3])]);
        assert_eq!(read(false), [serde_json::json!(1), serde_json::json!(2), serde_json::json!(3)]);
    }

    #[test]
    fn a_single_pretty_document() {
        let out = records(b"\xEF\xBB\xBF{\n  \"a\": 1\n}\n", InputFormat::Json);
        assert_eq!(out, vec![(1, Ok(serde_json::json!({"a": 1})))]);
    }
}
