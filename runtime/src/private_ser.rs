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

/// Writes the keys an object declares beyond its named fields.
pub fn rest<M: SerializeMap, T: Serialize>(
    map: &mut M,
    rest: &std::collections::BTreeMap<String, T>,
) -> Result<(), M::Error> {
    rest.iter().try_for_each(|(key, value)| map.serialize_entry(key, value))
}

/// Writes back the fields kept under the preserve policy.
pub fn unknown<M: SerializeMap>(map: &mut M, fields: &UnknownFields) -> Result<(), M::Error> {
    fields.iter().try_for_each(|(key, value)| map.serialize_entry(key, value))
}
