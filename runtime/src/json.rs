//! JSON encoding of events. Decoding takes the fast path first; only when it fails is the input
//! decoded again with path tracking, so that the error names where the problem is
//! (`items[1].price.currency`) without slowing down the events that are fine.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A decode failure: where in the document, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    path: String,
    message: String,
}

impl DecodeError {
    /// For decoders that track the path themselves (the direct Avro reader).
    #[cfg(feature = "avro")]
    pub(crate) fn new(path: String, message: String) -> DecodeError {
        DecodeError { path, message }
    }

    /// The path of the offending value, `.` for the document root (e.g. `items[1].price.currency`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong, with line and column where the input was text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for DecodeError {}

fn located(err: serde_path_to_error::Error<serde_json::Error>) -> DecodeError {
    DecodeError { path: err.path().to_string(), message: err.into_inner().to_string() }
}

/// Decodes an event (or any value) from JSON bytes.
pub fn from_slice<T: DeserializeOwned>(json: &[u8]) -> Result<T, DecodeError> {
    serde_json::from_slice(json).map_err(|fast| explain::<T>(json, fast))
}

/// Why `json` does not decode as `T`, found by decoding it again from a parsed value with path
/// tracking. Not from the bytes: then every type's decoder would be compiled for four
/// deserializers (bytes and values, each with and without path tracking), and the any-event type
/// compiles every event type's decoder for all of them. The line and column are the fast path's.
fn explain<T: DeserializeOwned>(json: &[u8], fast: serde_json::Error) -> DecodeError {
    match serde_json::from_slice::<serde_json::Value>(json) {
        Ok(value) => {
            let path = match serde_path_to_error::deserialize::<_, T>(&value) {
                // The same problem found again: its path. A parsed value can hide one (a key given
                // twice keeps its last value) or show another; then only the line and column say where.
                Err(e) if fast.to_string().starts_with(&e.inner().to_string()) => e.path().to_string(),
                _ => ".".into(),
            };
            DecodeError { path, message: fast.to_string() }
        }
        Err(_) => {
            // Not JSON: the path where the text stops being JSON (read as a value, not as `T`).
            let mut de = serde_json::Deserializer::from_slice(json);
            let path = match serde_path_to_error::deserialize::<_, serde_json::Value>(&mut de) {
                Err(e) => e.path().to_string(),
                Ok(_) => ".".into(),
            };
            DecodeError { path, message: fast.to_string() }
        }
    }
}

/// Decodes an event (or any value) from a JSON string.
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T, DecodeError> {
    from_slice(json.as_bytes())
}

/// Decodes an event (or any value) from an already parsed JSON value.
pub fn from_value<T: DeserializeOwned>(json: &serde_json::Value) -> Result<T, DecodeError> {
    T::deserialize(json).or_else(|_| serde_path_to_error::deserialize(json).map_err(located))
}

/// Encodes an event as compact JSON.
pub fn to_vec<T: Serialize>(event: &T) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(event)
}

/// Encodes an event as a compact JSON string.
pub fn to_string<T: Serialize>(event: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string(event)
}

/// Encodes an event as a JSON value.
pub fn to_value<T: Serialize>(event: &T) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::to_value(event)
}

#[derive(serde::Deserialize)]
struct Probe {
    metadata: Option<ProbeMetadata>,
}

#[derive(serde::Deserialize)]
struct ProbeMetadata {
    event_type: Option<String>,
}

/// Reads only `metadata.event_type` of a JSON event, skipping everything else.
pub fn event_type_of(json: &[u8]) -> Result<Option<String>, DecodeError> {
    let probe: Probe = from_slice(json)?;
    Ok(probe.metadata.and_then(|m| m.event_type))
}
