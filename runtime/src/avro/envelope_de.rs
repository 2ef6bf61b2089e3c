//! The envelope around a directly decoded Avro payload: a generated event type reads one map with
//! the payload's record fields and `metadata` (general events), or `data`, `metadata`, `data_op`
//! and `data_type` (data change events), or the payload alone (undefined events). The metadata
//! comes from the headers ([`EventMetadata::from_headers`]) and reaches the type through its own
//! serde impls; nothing is put into a JSON tree.
//!
//! The payload is read before the headers, so a bad datum is reported before a bad header, as on
//! the apache-avro path.

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};

use super::compiled::{Compiled, Node};
use super::datum_de::{self, DeError, Reader, RecordAccess, ValueDe};
use crate::codec::CodecError;
use crate::headers;
use crate::json::DecodeError;
use crate::metadata_de::MetadataDe;
use crate::{Category, Event, EventMetadata};

/// The whole event: the envelope of `category` around the datum.
struct EventDe<'a, 'de, 'h, N, H> {
    de: ValueDe<'a, 'de>,
    headers: &'h [(N, H)],
    category: Category,
}

fn metadata<N: AsRef<str>, V: AsRef<[u8]>>(headers: &[(N, V)]) -> Result<EventMetadata, DeError> {
    EventMetadata::from_headers(headers).map_err(DeError::Header)
}

impl<'de, N: AsRef<str>, H: AsRef<[u8]>> de::Deserializer<'de> for EventDe<'_, 'de, '_, N, H> {
    type Error = DeError;

    fn deserialize_any<Vis: Visitor<'de>>(mut self, visitor: Vis) -> Result<Vis::Value, DeError> {
        match self.category {
            Category::Undefined => self.de.deserialize_any(visitor),
            Category::General => {
                let node = self.de.resolve()?;
                if !matches!(self.de.schema.nodes[node], Node::Record(_)) {
                    return Err(DeError::Binary("a general event's payload must be a record".into()));
                }
                let schema = self.de.schema;
                let mut access = GeneralAccess {
                    record: RecordAccess::new(ValueDe::new(self.de.reader, schema, node))?,
                    headers: self.headers,
                    metadata: Metadata::Due,
                };
                let value = visitor.visit_map(&mut access)?;
                access.record.finish()?;
                Ok(value)
            }
            Category::Data => visitor.visit_map(DataAccess {
                de: Some(self.de),
                headers: self.headers,
                next: 0,
                pending: false,
                data_type: None,
            }),
        }
    }

    fn deserialize_option<Vis: Visitor<'de>>(self, visitor: Vis) -> Result<Vis::Value, DeError> {
        match self.category {
            Category::Undefined => self.de.deserialize_option(visitor),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<Vis: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: Vis,
    ) -> Result<Vis::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

enum Metadata {
    /// Not given yet.
    Due,
    /// Its key was given.
    Next,
    Given,
}

/// A general event: the record's fields, then `metadata`.
struct GeneralAccess<'a, 'de, 'h, N, V> {
    record: RecordAccess<'a, 'de>,
    headers: &'h [(N, V)],
    metadata: Metadata,
}

impl<'de, N: AsRef<str>, V: AsRef<[u8]>> MapAccess<'de> for GeneralAccess<'_, 'de, '_, N, V> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        self.record.skip_pending()?;
        // The envelope's `metadata` replaces a payload field of that name, as in the JSON form.
        if self.record.next_name() == Some("metadata") {
            self.record.skip_next()?;
        }
        if !self.record.done() {
            return self.record.next_key_seed(seed);
        }
        match self.metadata {
            Metadata::Due => {
                self.metadata = Metadata::Next;
                seed.deserialize(de::value::BorrowedStrDeserializer::new("metadata")).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, DeError> {
        match self.metadata {
            Metadata::Next => {
                self.metadata = Metadata::Given;
                seed.deserialize(MetadataDe::new(metadata(self.headers)?))
            }
            _ => self.record.next_value_seed(seed),
        }
    }
}

/// A data change event: `data` (the datum), `metadata`, `data_op`, `data_type`.
struct DataAccess<'a, 'de, 'h, N, V> {
    de: Option<ValueDe<'a, 'de>>,
    headers: &'h [(N, V)],
    /// The index in [`DATA_KEYS`] of the next key.
    next: usize,
    /// A key was given and its value not read yet.
    pending: bool,
    data_type: Option<String>,
}

const DATA_KEYS: [&str; 4] = ["data", "metadata", "data_op", "data_type"];

impl<'de, N: AsRef<str>, V: AsRef<[u8]>> MapAccess<'de> for DataAccess<'_, 'de, '_, N, V> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        if std::mem::take(&mut self.pending) && self.next == 1 {
            if let Some(de) = self.de.take() {
                // `data` was not read: skip it.
                <de::IgnoredAny as serde::Deserialize>::deserialize(de)?;
            }
        }
        let Some(key) = DATA_KEYS.get(self.next) else { return Ok(None) };
        self.next += 1;
        self.pending = true;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, DeError> {
        if !std::mem::take(&mut self.pending) {
            return Err(DeError::Data("a value asked for before its key".into()));
        }
        match self.next {
            1 => match self.de.take() {
                Some(de) => seed.deserialize(de),
                None => Err(DeError::Data("`data` was read twice".into())),
            },
            2 => seed.deserialize(MetadataDe::new(metadata(self.headers)?)),
            3 => {
                let (op, data_type) = headers::data_envelope(self.headers).map_err(DeError::Header)?;
                self.data_type = Some(data_type);
                seed.deserialize(op.as_str().into_deserializer())
            }
            _ => {
                let data_type = match self.data_type.take() {
                    Some(t) => t,
                    None => headers::data_envelope(self.headers).map_err(DeError::Header)?.1,
                };
                seed.deserialize(data_type.into_deserializer())
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(DATA_KEYS.len() - self.next)
    }
}

fn decode_once<T: Event + DeserializeOwned, N: AsRef<str>, V: AsRef<[u8]>>(
    headers: &[(N, V)],
    schema: &'static Compiled,
    bytes: &[u8],
    track_path: bool,
) -> Result<T, (DeError, Option<String>)> {
    let mut reader = Reader::new(bytes);
    let de = EventDe { de: ValueDe::new(&mut reader, schema, schema.root), headers, category: T::TYPE.category };
    let value = if track_path {
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            (e.into_inner(), Some(path))
        })?
    } else {
        T::deserialize(de).map_err(|e| (e, None))?
    };
    datum_de::trailing(&reader).map_err(|e| (e, None))?;
    Ok(value)
}

/// Decodes the datum `bytes` of the type's own schema, with the envelope from `headers`.
pub(crate) fn decode<T: Event + DeserializeOwned, N: AsRef<str>, V: AsRef<[u8]>>(
    headers: &[(N, V)],
    schema: &'static Compiled,
    bytes: &[u8],
) -> Result<T, CodecError> {
    let err = match decode_once(headers, schema, bytes, false) {
        Ok(value) => return Ok(value),
        Err((err, _)) => err,
    };
    Err(match err {
        DeError::Binary(m) => CodecError::Payload(m),
        DeError::Header(e) => CodecError::Header(e),
        // The value does not fit the type: decode again, tracking the path, to say where.
        DeError::Data(message) => match decode_once::<T, N, V>(headers, schema, bytes, true) {
            Err((DeError::Data(m), Some(path))) => CodecError::Json(DecodeError::new(path, m)),
            Err((DeError::Binary(m), _)) => CodecError::Payload(m),
            Err((DeError::Header(e), _)) => CodecError::Header(e),
            _ => CodecError::Json(DecodeError::new(".".into(), message)),
        },
    })
}
