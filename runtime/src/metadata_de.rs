//! An [`EventMetadata`] presented to serde as the map its `Serialize` writes, without building a
//! JSON tree: binary decoders hand the metadata read from headers to a generated event type's own
//! `Deserialize` (which reads `metadata` with `EventMetadata`'s serde impls). Strings are moved,
//! not copied; UUIDs are formatted on the stack.

use std::marker::PhantomData;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use uuid::Uuid;

use crate::EventMetadata;

/// One metadata value.
enum MetaValue {
    Text(String),
    Uuid(Uuid),
    Time(DateTime<FixedOffset>),
    Uuids(Vec<Uuid>),
    Json(serde_json::Value),
}

struct ValueDe<E>(MetaValue, PhantomData<E>);

impl<'de, E: de::Error> de::Deserializer<'de> for ValueDe<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            MetaValue::Text(s) => visitor.visit_string(s),
            MetaValue::Uuid(u) => visitor.visit_str(u.hyphenated().encode_lower(&mut Uuid::encode_buffer())),
            MetaValue::Time(t) => visitor.visit_string(t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            MetaValue::Uuids(list) => visitor.visit_seq(de::value::SeqDeserializer::new(
                list.into_iter().map(|u| ValueDe::<E>(MetaValue::Uuid(u), PhantomData)),
            )),
            MetaValue::Json(v) => de::Deserializer::deserialize_any(v, visitor).map_err(E::custom),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            MetaValue::Json(serde_json::Value::Null) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de, E: de::Error> IntoDeserializer<'de, E> for ValueDe<E> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// The metadata as a deserializer of a map (or of `Some(map)`).
pub(crate) struct MetadataDe<E>(EventMetadata, PhantomData<E>);

impl<E> MetadataDe<E> {
    pub(crate) fn new(metadata: EventMetadata) -> Self {
        MetadataDe(metadata, PhantomData)
    }
}

impl<'de, E: de::Error> de::Deserializer<'de> for MetadataDe<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        let m = self.0;
        let text = |name: &'static str, v: Option<String>| v.map(|v| (name, MetaValue::Text(v)));
        // In the order `Serialize` writes them; absent ones are left out.
        let fields = [
            Some(("eid", MetaValue::Uuid(m.eid))),
            Some(("occurred_at", MetaValue::Time(m.occurred_at))),
            text("event_type", m.event_type),
            m.received_at.map(|v| ("received_at", MetaValue::Time(v))),
            text("version", m.version),
            (!m.parent_eids.is_empty()).then_some(("parent_eids", MetaValue::Uuids(m.parent_eids))),
            text("flow_id", m.flow_id),
            text("partition", m.partition),
            text("tenant_id", m.tenant_id),
            text("trace_id", m.trace_id),
        ];
        visitor.visit_map(MetadataAccess::<E> {
            fields: fields.into_iter().flatten(),
            extra: m.extra.into_iter(),
            value: None,
            error: PhantomData,
        })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct MetadataAccess<E> {
    fields: std::iter::Flatten<std::array::IntoIter<Option<(&'static str, MetaValue)>, 10>>,
    extra: serde_json::map::IntoIter,
    value: Option<MetaValue>,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> MapAccess<'de> for MetadataAccess<E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        if let Some((name, value)) = self.fields.next() {
            self.value = Some(value);
            return seed.deserialize(de::value::BorrowedStrDeserializer::new(name)).map(Some);
        }
        match self.extra.next() {
            Some((name, value)) => {
                self.value = Some(MetaValue::Json(value));
                seed.deserialize(de::value::StringDeserializer::new(name)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, E> {
        let value = self.value.take().ok_or_else(|| E::custom("a metadata value asked for before its key"))?;
        seed.deserialize(ValueDe(value, PhantomData))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.size_hint().0 + self.extra.len())
    }
}
