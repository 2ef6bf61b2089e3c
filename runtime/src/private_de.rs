//! Decoding helpers that generated structs call, so each generated `Deserialize` is a short
//! loop over keys rather than a page of visitor boilerplate. Not a public API.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::UnknownFields;

/// What to do with a key the struct does not declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Ignore,
    Preserve,
    Deny,
}

/// A decoded key: the index of a declared field, or an undeclared name (kept only under preserve).
#[derive(Debug)]
pub enum Key {
    Known(usize),
    Unknown(String),
    Skip,
}

/// Decodes one map key against the declared field names, without allocating for declared ones.
#[derive(Debug, Clone, Copy)]
pub struct Keys {
    pub fields: &'static [&'static str],
    pub policy: Policy,
}

impl<'de> DeserializeSeed<'de> for Keys {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Keys {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Key, E> {
        match self.fields.iter().position(|f| *f == value) {
            Some(i) => Ok(Key::Known(i)),
            None => match self.policy {
                Policy::Ignore => Ok(Key::Skip),
                Policy::Preserve => Ok(Key::Unknown(value.to_owned())),
                Policy::Deny => Err(E::unknown_field(value, self.fields)),
            },
        }
    }
}

/// Decodes the value of a declared field into its slot; a second occurrence is an error.
pub fn put<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of an undeclared field, or keeps it when `unknown` is given.
pub fn other<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: Key,
    unknown: Option<&mut UnknownFields>,
) -> Result<(), A::Error> {
    match (key, unknown) {
        (Key::Unknown(name), Some(unknown)) => {
            unknown.insert(name, map.next_value()?);
        }
        _ => {
            map.next_value::<IgnoredAny>()?;
        }
    }
    Ok(())
}

/// The value of a required field.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// The value of a defaulted field: as received, or the schema's default when absent or null.
pub fn defaulted<T: DeserializeOwned, E: de::Error>(
    slot: Option<Option<T>>,
    name: &'static str,
    json: &'static str,
) -> Result<T, E> {
    match slot.flatten() {
        Some(value) => Ok(value),
        None => crate::__private::default_from_json(name, json),
    }
}

/// Decodes a string enum's wire value to its index in `values`; `Err(value)` for one not listed.
pub fn variant<'de, D: Deserializer<'de>>(
    deserializer: D,
    values: &'static [&'static str],
) -> Result<Result<usize, String>, D::Error> {
    struct Values(&'static [&'static str]);
    impl Visitor<'_> for Values {
        type Value = Result<usize, String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("one of ")?;
            for (i, v) in self.0.iter().enumerate() {
                write!(f, "{}`{v}`", if i > 0 { ", " } else { "" })?;
            }
            Ok(())
        }
        fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(self.0.iter().position(|v| *v == value).ok_or_else(|| value.to_owned()))
        }
    }
    deserializer.deserialize_str(Values(values))
}

/// The error for an enum value not listed in a closed enum.
pub fn unknown_variant<E: de::Error>(value: &str, values: &'static [&'static str]) -> E {
    E::unknown_variant(value, values)
}
