//! Reading replay inputs: NDJSON lines (and, with the `avro` feature, the records of Avro
//! container files as JSON). Each event's type and `occurred_at` are read without decoding the
//! rest; an event that cannot be placed in time is a problem with its line, and reading goes on.

use std::io::{BufRead, BufReader};
use std::path::Path;

use chrono::{DateTime, Utc};

use super::Problem;

/// Longer lines are reported and skipped rather than held in memory.
pub(crate) const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// One event read from an input, placed in time.
#[derive(Debug)]
pub(crate) struct Placed {
    pub line: usize,
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    pub json: Vec<u8>,
}

#[derive(serde::Deserialize)]
struct Probe {
    metadata: Option<serde_json::Value>,
}

/// Reads the type and the time of one event's JSON text.
pub(crate) fn place(json: &[u8]) -> Result<(String, DateTime<Utc>), String> {
    if let Err(e) = std::str::from_utf8(json) {
        return Err(format!("invalid UTF-8 at byte {}", e.valid_up_to()));
    }
    let probe: Probe = serde_json::from_slice(json).map_err(|e| {
        if e.is_eof() {
            format!("truncated JSON: {e}")
        } else {
            format!("invalid JSON: {e}")
        }
    })?;
    let metadata = match probe.metadata {
        Some(serde_json::Value::Object(m)) => m,
        Some(other) => return Err(format!("`metadata` must be an object, found {other}")),
        None => return Err("the event has no `metadata`".into()),
    };
    let event_type = match metadata.get("event_type").cloned() {
        Some(serde_json::Value::String(t)) => t,
        Some(other) => return Err(format!("`metadata.event_type` must be a string, found {other}")),
        None => return Err("`metadata.event_type` is missing".into()),
    };
    let occurred_at = match metadata.get("occurred_at") {
        Some(serde_json::Value::String(at)) => DateTime::parse_from_rfc3339(at)
            .map_err(|e| format!("`metadata.occurred_at` `{at}` is not an RFC 3339 date-time: {e}"))?
            .with_timezone(&Utc),
        Some(other) => return Err(format!("`metadata.occurred_at` must be a date-time string, found {other}")),
        None => return Err("`metadata.occurred_at` is missing".into()),
    };
    Ok((event_type, occurred_at))
}

/// Calls `each` with every event of an NDJSON input, and `problem` with every line that cannot
/// be replayed. Blank lines are skipped.
pub(crate) fn ndjson(
    path: &Path,
    source: usize,
    mut each: impl FnMut(Placed) -> std::io::Result<()>,
    problem: &mut dyn FnMut(Problem),
) -> std::io::Result<()> {
    let file = std::fs::File::open(path)?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        line += 1;
        buf.clear();
        let read = std::io::Read::take(&mut reader, MAX_LINE_BYTES as u64 + 1).read_until(b'\n', &mut buf)?;
        if read == 0 {
            return Ok(());
        }
        if buf.last() != Some(&b'\n') && buf.len() > MAX_LINE_BYTES {
            skip_line(&mut reader)?;
            problem(Problem::new(path, source, line, None, format!("the line is longer than {MAX_LINE_BYTES} bytes")));
            continue;
        }
        let json = trim(&buf);
        if json.is_empty() {
            continue;
        }
        match place(json) {
            Ok((event_type, occurred_at)) => each(Placed { line, event_type, occurred_at, json: json.to_vec() })?,
            Err(reason) => problem(Problem::new(path, source, line, None, reason)),
        }
    }
}

fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        if let Some(i) = chunk.iter().position(|b| *b == b'\n') {
            reader.consume(i + 1);
            return Ok(());
        }
        let n = chunk.len();
        reader.consume(n);
    }
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Calls `each` with every record of an Avro object container file, as JSON; the record's
/// position (1-based) stands for the line.
#[cfg(feature = "avro")]
pub(crate) fn avro(
    path: &Path,
    source: usize,
    mut each: impl FnMut(Placed) -> std::io::Result<()>,
    problem: &mut dyn FnMut(Problem),
) -> std::io::Result<()> {
    let file = BufReader::new(std::fs::File::open(path)?);
    let reader = match apache_avro::Reader::new(file) {
        Ok(r) => r,
        Err(e) => {
            problem(Problem::new(path, source, 0, None, format!("not an Avro container file: {e}")));
            return Ok(());
        }
    };
    for (i, record) in reader.enumerate() {
        let line = i + 1;
        let json = record
            .map_err(|e| format!("cannot read the record: {e}"))
            .and_then(|v| serde_json::Value::try_from(v).map_err(|e| format!("cannot convert the record to JSON: {e}")))
            .and_then(|v| serde_json::to_vec(&v).map_err(|e| e.to_string()));
        match json.and_then(|json| place(&json).map(|(t, at)| (t, at, json))) {
            Ok((event_type, occurred_at, json)) => each(Placed { line, event_type, occurred_at, json })?,
            Err(reason) => {
                // A record that cannot be read leaves the reader behind it unusable.
                let fatal = reason_is_fatal(&reason);
                problem(Problem::new(path, source, line, None, reason));
                if fatal {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}

#[cfg(feature = "avro")]
fn reason_is_fatal(reason: &str) -> bool {
    reason.starts_with("cannot read the record")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placing_names_what_is_missing_or_wrong() {
        let ok = place(br#"{"metadata": {"event_type": "a.b", "occurred_at": "2024-05-01T10:00:00+02:00"}}"#).unwrap();
        assert_eq!(ok.0, "a.b");
        assert_eq!(ok.1.to_rfc3339(), "2024-05-01T08:00:00+00:00");
        let reason = |json: &[u8]| place(json).unwrap_err();
        assert!(reason(br#"{"metadata": {"event_type": "a.b"}}"#).contains("`metadata.occurred_at` is missing"));
        assert!(reason(br#"{"metadata": {"event_type": "a.b", "occurred_at": "May 1st"}}"#).contains("not an RFC 3339"));
        assert!(reason(br#"{"metadata": {"occurred_at": "2024-05-01T10:00:00Z"}}"#).contains("event_type` is missing"));
        assert!(reason(br#"{"metadata": {"event_type": "a.b", "occ"#).starts_with("truncated JSON"));
        assert!(reason(b"{\"metadata\": \"\xff\"}").starts_with("invalid UTF-8 at byte 14"));
        assert!(reason(br#"{"a": 1}"#).contains("no `metadata`"));
    }
}
