//! Encoding helpers that generated structs call: one line per field. Not a public API.

use serde::ser::SerializeMap;
use serde::Serialize;

use crate::UnknownFields;

/// Writes a field that is always present.
pub fn entry<M: SerializeMap, T: Serialize + ?Sized>(
    map: &mut M,
    key: &'static str,
    value: &T,
) -> Result<(), M::Error> {
    map.serialize_entry(key, value)
}

/// Writes an optional field only when it has a value.
pub fn optional<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(key, value),
        None => Ok(()),
    }
}

/// Writes back the fields kept under the preserve policy.
pub fn unknown<M: SerializeMap>(map: &mut M, fields: &UnknownFields) -> Result<(), M::Error> {
    fields.iter().try_for_each(|(key, value)| map.serialize_entry(key, value))
}
