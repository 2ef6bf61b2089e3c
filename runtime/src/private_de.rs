//! Decoding helpers that generated structs call, so each generated `Deserialize` is a short
//! loop over keys rather than a page of visitor boilerplate. Not a public API.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::OnceLock;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::UnknownFields;

/// A map key, borrowed from the input where the format allows, so matching declared names
/// allocates nothing.
#[derive(Debug)]
pub struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

/// Decodes one map key as a [`Key`].
#[derive(Debug, Clone, Copy)]
pub struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(value)))
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value.to_owned())))
    }
    fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value)))
    }
}

/// A generated struct's decoding loop; [`decode_map`] supplies the visitor around it.
pub trait DecodeMap: Sized {
    /// What the decoder expected, for error messages.
    const EXPECTING: &'static str;
    fn decode_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

struct MapVisitor<T>(PhantomData<T>);

impl<'de, T: DecodeMap> Visitor<'de> for MapVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::decode_map(map)
    }
}

/// Decodes a generated struct from a map.
pub fn decode_map<'de, D: Deserializer<'de>, T: DecodeMap>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(MapVisitor(PhantomData))
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

/// Skips the value of an undeclared field (the ignore policy).
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Keeps the value of an undeclared field (the preserve policy).
pub fn keep<'de, A: MapAccess<'de>>(map: &mut A, unknown: &mut UnknownFields, key: Key<'de>) -> Result<(), A::Error> {
    let value = map.next_value()?;
    unknown.insert(key.into_owned(), value);
    Ok(())
}

/// Keeps the value of a key the schema declares beyond the named fields (`additionalProperties`
/// or `patternProperties`), typed; under every policy.
pub fn rest<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    rest: &mut BTreeMap<String, T>,
    key: Key<'de>,
) -> Result<(), A::Error> {
    let value = map.next_value()?;
    rest.insert(key.into_owned(), value);
    Ok(())
}

/// The key patterns of a `patternProperties`, compiled on first use. A key belongs to the
/// declared rest of the object when one matches it anywhere (JSON Schema patterns are not
/// anchored).
#[derive(Debug)]
pub struct Patterns {
    sources: &'static [&'static str],
    compiled: OnceLock<Vec<regex_lite::Regex>>,
}

impl Patterns {
    pub const fn new(sources: &'static [&'static str]) -> Self {
        Patterns { sources, compiled: OnceLock::new() }
    }

    pub fn matches(&self, key: &str) -> bool {
        // The generator only emits patterns this dialect reads, so none is dropped here.
        let compiled =
            self.compiled.get_or_init(|| self.sources.iter().filter_map(|s| regex_lite::Regex::new(s).ok()).collect());
        compiled.iter().any(|r| r.is_match(key))
    }
}

/// Rejects an undeclared field (the deny policy).
pub fn deny<E: de::Error>(key: &Key<'_>, fields: &'static [&'static str]) -> E {
    E::unknown_field(key.as_str(), fields)
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

/// Decodes a closed string enum's wire value to its index in `values`; others are an error.
pub fn closed_variant<'de, D: Deserializer<'de>>(
    deserializer: D,
    values: &'static [&'static str],
) -> Result<usize, D::Error> {
    variant(deserializer, values)?.map_err(|other| de::Error::unknown_variant(&other, values))
}
