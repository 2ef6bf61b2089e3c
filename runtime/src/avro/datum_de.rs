//! A serde `Deserializer` that reads an Avro binary datum directly, guided by the compiled schema
//! ([`Compiled`]): no apache-avro `Value`, no JSON tree. It presents each datum exactly as the JSON
//! form the generated types read ([`super::to_json`] of the same datum): records and maps as maps
//! (record fields in schema order), arrays as sequences, bytes and fixed as sequences of numbers,
//! enums as their symbol, unions as their branch (`null` as unit / `None`), non-finite floats and
//! decimals as null, decimals as `f64`, and the other logical types as the same strings.
//!
//! Input is untrusted: every length is checked against the bytes left before anything is
//! allocated, block counts against the fewest bytes their items can take, nesting is bounded, and
//! every failure is an error, never a panic.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::compiled::{Compiled, Node, NodeId};
use crate::headers::HeaderError;

/// Records, arrays and maps may nest this deep.
pub(crate) const MAX_DEPTH: usize = 128;
/// Items of zero-byte schemas (null, empty records) one datum may hold: they cost no input, so
/// the input's length does not bound them.
pub(crate) const MAX_EMPTY_ITEMS: usize = 1 << 20;

/// Why a datum did not decode.
#[derive(Debug)]
pub(crate) enum DeError {
    /// The bytes do not follow the schema (truncated, bad index, bad UTF-8, …).
    Binary(String),
    /// The value read does not fit the Rust type (reported by the type's `Deserialize`).
    Data(String),
    /// A header of the envelope is missing or malformed.
    Header(HeaderError),
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeError::Binary(m) | DeError::Data(m) => f.write_str(m),
            DeError::Header(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        DeError::Data(msg.to_string())
    }
}

fn binary<T>(message: impl Into<String>) -> Result<T, DeError> {
    Err(DeError::Binary(message.into()))
}

/// The input and the limits of one datum.
pub(crate) struct Reader<'de> {
    input: &'de [u8],
    depth: usize,
    empty_items: usize,
}

impl<'de> Reader<'de> {
    pub(crate) fn new(input: &'de [u8]) -> Reader<'de> {
        Reader { input, depth: 0, empty_items: 0 }
    }

    /// Bytes not read yet.
    pub(crate) fn left(&self) -> usize {
        self.input.len()
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'de [u8], DeError> {
        if n > self.input.len() {
            return binary(format!("truncated: {what} needs {n} bytes, {} left", self.input.len()));
        }
        let (head, tail) = self.input.split_at(n);
        self.input = tail;
        Ok(head)
    }

    fn byte(&mut self, what: &str) -> Result<u8, DeError> {
        match self.input.split_first() {
            Some((b, tail)) => {
                self.input = tail;
                Ok(*b)
            }
            None => binary(format!("truncated: {what} needs 1 byte, 0 left")),
        }
    }

    /// A zigzag varint, as apache-avro reads it (at most 10 bytes).
    fn long(&mut self, what: &str) -> Result<i64, DeError> {
        let mut z = 0u64;
        let mut shift = 0u32;
        loop {
            if shift > 63 {
                return binary(format!("{what}: a variable-length integer longer than 10 bytes"));
            }
            let b = self.byte(what)?;
            z |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        Ok(if z & 1 == 0 { (z >> 1) as i64 } else { !(z >> 1) as i64 })
    }

    fn int(&mut self, what: &str) -> Result<i32, DeError> {
        let v = self.long(what)?;
        i32::try_from(v).or_else(|_| binary(format!("{what}: {v} does not fit an int")))
    }

    /// A length prefix, checked against the bytes left.
    fn len(&mut self, what: &str) -> Result<usize, DeError> {
        let n = self.long(what)?;
        let n = usize::try_from(n).or_else(|_| binary(format!("{what}: negative length {n}")))?;
        if n > self.input.len() {
            return binary(format!("truncated: {what} of {n} bytes, {} left", self.input.len()));
        }
        Ok(n)
    }

    fn bytes(&mut self, what: &str) -> Result<&'de [u8], DeError> {
        let n = self.len(what)?;
        self.take(n, what)
    }

    fn str(&mut self, what: &str) -> Result<&'de str, DeError> {
        let bytes = self.bytes(what)?;
        std::str::from_utf8(bytes).or_else(|e| binary(format!("{what}: invalid UTF-8 ({e})")))
    }

    /// The item count of the next block of an array or map (0 at the end), checked against what
    /// the input left can hold.
    fn block(&mut self, item_size: usize, what: &str) -> Result<usize, DeError> {
        let raw = self.long(what)?;
        let count = if raw < 0 {
            // A negative count is followed by the block's size in bytes.
            let size = self.long(what)?;
            if size < 0 {
                return binary(format!("{what}: negative block size {size}"));
            }
            raw.checked_neg().ok_or_else(|| DeError::Binary(format!("{what}: block count {raw} overflows")))?
        } else {
            raw
        };
        let count = usize::try_from(count).or_else(|_| binary(format!("{what}: block count {count} too large")))?;
        if item_size == 0 {
            self.empty_items = self.empty_items.saturating_add(count);
            if self.empty_items > MAX_EMPTY_ITEMS {
                return binary(format!("{what}: more than {MAX_EMPTY_ITEMS} items of an empty type"));
            }
        } else if count > self.input.len() / item_size {
            return binary(format!(
                "truncated: {what} announces {count} items, the {} bytes left hold at most {}",
                self.input.len(),
                self.input.len() / item_size
            ));
        }
        Ok(count)
    }

    fn enter(&mut self) -> Result<(), DeError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return binary(format!("the datum nests deeper than {MAX_DEPTH} levels"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }
}

/// The deserializer of one datum of `node`.
pub(crate) struct ValueDe<'a, 'de> {
    pub(crate) reader: &'a mut Reader<'de>,
    pub(crate) schema: &'static Compiled,
    pub(crate) node: NodeId,
}

impl<'a, 'de> ValueDe<'a, 'de> {
    pub(crate) fn new(reader: &'a mut Reader<'de>, schema: &'static Compiled, node: NodeId) -> Self {
        ValueDe { reader, schema, node }
    }

    fn at(&mut self, node: NodeId) -> ValueDe<'_, 'de> {
        ValueDe { reader: self.reader, schema: self.schema, node }
    }

    /// The node whose datum follows: the branch a union's index names, else the node itself.
    pub(crate) fn resolve(&mut self) -> Result<NodeId, DeError> {
        let schema = self.schema;
        match &schema.nodes[self.node] {
            Node::Union(branches) => {
                let i = self.reader.long("a union index")?;
                let branch = usize::try_from(i).ok().and_then(|i| branches.get(i).copied()).ok_or_else(|| {
                    DeError::Binary(format!("union index {i} out of range (the union has {} branches)", branches.len()))
                })?;
                Ok(branch)
            }
            _ => Ok(self.node),
        }
    }

    /// A number the JSON form holds as a float: `None` when it is not finite (JSON null).
    fn float(&mut self, node: NodeId) -> Result<Option<f64>, DeError> {
        let schema = self.schema;
        let f = match &schema.nodes[node] {
            Node::Float => {
                let b = self.reader.take(4, "a float")?;
                f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            }
            Node::Double => {
                let b = self.reader.take(8, "a double")?;
                f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
            }
            Node::Decimal { scale, fixed } => {
                let bytes = match fixed {
                    Some(n) => self.reader.take(*n, "a decimal")?,
                    None => self.reader.bytes("a decimal")?,
                };
                super::decimal_f64(bytes, *scale).map_err(DeError::Binary)?
            }
            _ => return Ok(None),
        };
        Ok(f.is_finite().then_some(f))
    }

    fn value<V: Visitor<'de>>(mut self, node: NodeId, visitor: V) -> Result<V::Value, DeError> {
        let schema: &'static Compiled = self.schema;
        let nodes = &schema.nodes;
        let node = self.at(node).resolve()?;
        match &nodes[node] {
            Node::Null => visitor.visit_unit(),
            Node::Boolean => match self.reader.byte("a boolean")? {
                0 => visitor.visit_bool(false),
                1 => visitor.visit_bool(true),
                b => binary(format!("invalid boolean byte {b}")),
            },
            Node::Int => visitor.visit_i32(self.reader.int("an int")?),
            Node::Long => visitor.visit_i64(self.reader.long("a long")?),
            Node::Float | Node::Double | Node::Decimal { .. } => match self.float(node)? {
                Some(f) => visitor.visit_f64(f),
                None => visitor.visit_unit(),
            },
            Node::String => visitor.visit_borrowed_str(self.reader.str("a string")?),
            Node::Bytes => {
                let bytes = self.reader.bytes("bytes")?;
                visitor.visit_seq(ByteSeq(bytes))
            }
            Node::Fixed(n) => {
                let bytes = self.reader.take(*n, "a fixed")?;
                visitor.visit_seq(ByteSeq(bytes))
            }
            Node::Enum(symbols) => {
                let i = self.reader.int("an enum index")?;
                let symbol = usize::try_from(i).ok().and_then(|i| symbols.get(i)).ok_or_else(|| {
                    DeError::Binary(format!("enum index {i} out of range (the enum has {} symbols)", symbols.len()))
                })?;
                visitor.visit_borrowed_str(symbol)
            }
            // Avro forbids a union directly in a union.
            Node::Union(_) => binary("a union directly inside a union"),
            Node::Record(fields) => {
                self.reader.enter()?;
                let mut access = RecordAccess { de: self.at(node), fields, next: 0, pending: None };
                let value = visitor.visit_map(&mut access)?;
                access.finish()?;
                self.reader.leave();
                Ok(value)
            }
            Node::Array(items) => {
                self.reader.enter()?;
                let mut access = BlockAccess::new(self.at(*items), "an array block")?;
                let value = visitor.visit_seq(&mut access)?;
                access.finish()?;
                self.reader.leave();
                Ok(value)
            }
            Node::Map(values) => {
                self.reader.enter()?;
                let mut access = BlockAccess::new(self.at(*values), "a map block")?;
                let value = visitor.visit_map(&mut access)?;
                access.finish()?;
                self.reader.leave();
                Ok(value)
            }
            _ => self.logical(node, visitor),
        }
    }

    /// The logical types (and what is left), kept out of [`Self::value`] so its stack frame
    /// stays small: nesting recurses through it.
    #[inline(never)]
    fn logical<V: Visitor<'de>>(self, node: NodeId, visitor: V) -> Result<V::Value, DeError> {
        let schema: &'static Compiled = self.schema;
        let nodes = &schema.nodes;
        match &nodes[node] {
            Node::Uuid => {
                let bytes = self.reader.bytes("a uuid")?;
                let uuid = if bytes.len() == 16 {
                    uuid::Uuid::from_slice(bytes).map_err(|e| DeError::Binary(format!("a uuid: {e}")))?
                } else {
                    let text =
                        std::str::from_utf8(bytes).or_else(|e| binary(format!("a uuid: invalid UTF-8 ({e})")))?;
                    uuid::Uuid::parse_str(text).map_err(|e| DeError::Binary(format!("a uuid: {e}")))?
                };
                visitor.visit_str(uuid.hyphenated().encode_lower(&mut uuid::Uuid::encode_buffer()))
            }
            Node::Date => {
                let days = self.reader.int("a date")?;
                visitor.visit_string(super::date_text(days).map_err(DeError::Binary)?)
            }
            Node::TimeMillis => {
                let ms = self.reader.int("a time-millis")?;
                visitor.visit_string(super::time_text(i64::from(ms) * 1_000).map_err(DeError::Binary)?)
            }
            Node::TimeMicros => {
                let us = self.reader.long("a time-micros")?;
                visitor.visit_string(super::time_text(us).map_err(DeError::Binary)?)
            }
            Node::TimestampMillis | Node::TimestampMicros | Node::TimestampNanos => {
                let raw = self.reader.long("a timestamp")?;
                let t = match &nodes[node] {
                    Node::TimestampMillis => chrono::DateTime::from_timestamp_millis(raw),
                    Node::TimestampMicros => chrono::DateTime::from_timestamp_micros(raw),
                    _ => Some(chrono::DateTime::from_timestamp_nanos(raw)),
                };
                visitor.visit_string(super::timestamp_text(t, raw).map_err(DeError::Binary)?)
            }
            Node::LocalTimestampMillis | Node::LocalTimestampMicros | Node::LocalTimestampNanos => {
                let raw = self.reader.long("a local timestamp")?;
                let t = match &nodes[node] {
                    Node::LocalTimestampMillis => chrono::DateTime::from_timestamp_millis(raw),
                    Node::LocalTimestampMicros => chrono::DateTime::from_timestamp_micros(raw),
                    _ => Some(chrono::DateTime::from_timestamp_nanos(raw)),
                };
                visitor.visit_string(super::local_text(t.map(|t| t.naive_utc()), raw).map_err(DeError::Binary)?)
            }
            Node::Duration => {
                let b = self.reader.take(12, "a duration")?;
                let part = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
                visitor.visit_map(DurationAccess { parts: [part(0), part(4), part(8)], next: 0 })
            }
            Node::BigDecimal => {
                let start = self.reader.input;
                let len = self.reader.len("a big-decimal")?;
                let used = start.len() - self.reader.left();
                let mut datum = &start[..used + len];
                self.reader.take(len, "a big-decimal")?;
                match apache_avro::from_avro_datum(&apache_avro::Schema::BigDecimal, &mut datum, None) {
                    Ok(apache_avro::types::Value::BigDecimal(d)) => visitor.visit_string(d.to_string()),
                    Ok(other) => binary(format!("a big-decimal read as {other:?}")),
                    Err(e) => binary(format!("a big-decimal: {e}")),
                }
            }
            _ => binary("an unfinished schema node"),
        }
    }
}

impl<'de> de::Deserializer<'de> for ValueDe<'_, 'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let node = self.node;
        self.value(node, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, DeError> {
        let node = self.resolve()?;
        let schema = self.schema;
        match &schema.nodes[node] {
            Node::Null => visitor.visit_none(),
            Node::Float | Node::Double | Node::Decimal { .. } => match self.float(node)? {
                Some(f) => visitor.visit_some(f.into_deserializer()),
                None => visitor.visit_none(),
            },
            _ => visitor.visit_some(self.at(node)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        // As serde_json does for the JSON form: a string is a unit variant.
        let node = self.resolve()?;
        let schema = self.schema;
        match &schema.nodes[node] {
            Node::String | Node::Enum(_) => {
                let symbol = self.at(node).value(node, StrVisitor)?;
                visitor.visit_enum(symbol.into_deserializer())
            }
            _ => de::Deserializer::deserialize_enum(self.at(node), name, variants, visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// Reads a string or enum symbol as a borrowed `&str`.
struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = &'de str;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<&'de str, E> {
        Ok(v)
    }
}

/// Bytes and fixed, as the JSON form's array of numbers.
struct ByteSeq<'de>(&'de [u8]);

impl<'de> SeqAccess<'de> for ByteSeq<'de> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                seed.deserialize(b.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// A record's fields, in schema order.
pub(crate) struct RecordAccess<'a, 'de> {
    de: ValueDe<'a, 'de>,
    fields: &'static [(&'static str, NodeId)],
    next: usize,
    /// The field whose key was given and whose value was not read yet.
    pending: Option<NodeId>,
}

impl<'a, 'de> RecordAccess<'a, 'de> {
    /// The fields of the record `node` (which must be a record).
    pub(crate) fn new(de: ValueDe<'a, 'de>) -> Result<Self, DeError> {
        let schema: &'static Compiled = de.schema;
        match &schema.nodes[de.node] {
            Node::Record(fields) => Ok(RecordAccess { fields, de, next: 0, pending: None }),
            _ => binary("expected a record"),
        }
    }

    /// The name of the next field.
    pub(crate) fn next_name(&self) -> Option<&'static str> {
        self.fields.get(self.next).map(|(name, _)| *name)
    }

    /// Reads past the next field without giving it.
    pub(crate) fn skip_next(&mut self) -> Result<(), DeError> {
        if let Some(&(_, node)) = self.fields.get(self.next) {
            self.next += 1;
            IgnoredAny::deserialize(self.de.at(node))?;
        }
        Ok(())
    }

    pub(crate) fn skip_pending(&mut self) -> Result<(), DeError> {
        if let Some(node) = self.pending.take() {
            IgnoredAny::deserialize(self.de.at(node))?;
        }
        Ok(())
    }

    /// Reads the fields the visitor left, so the next datum starts where it should.
    pub(crate) fn finish(&mut self) -> Result<(), DeError> {
        self.skip_pending()?;
        while self.next < self.fields.len() {
            let node = self.fields[self.next].1;
            self.next += 1;
            IgnoredAny::deserialize(self.de.at(node))?;
        }
        Ok(())
    }

    pub(crate) fn done(&self) -> bool {
        self.next >= self.fields.len() && self.pending.is_none()
    }
}

impl<'de> MapAccess<'de> for RecordAccess<'_, 'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        self.skip_pending()?;
        let Some(&(name, node)) = self.fields.get(self.next) else { return Ok(None) };
        self.next += 1;
        self.pending = Some(node);
        seed.deserialize(de::value::BorrowedStrDeserializer::new(name)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let node =
            self.pending.take().ok_or_else(|| DeError::Data("a record value asked for before its key".into()))?;
        seed.deserialize(self.de.at(node))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len() - self.next)
    }
}

/// The items of an array, or the entries of a map, block by block.
struct BlockAccess<'a, 'de> {
    de: ValueDe<'a, 'de>,
    what: &'static str,
    /// Items left in the current block.
    left: usize,
    ended: bool,
    /// A map key was given and its value not read yet.
    pending: bool,
}

impl<'a, 'de> BlockAccess<'a, 'de> {
    fn new(de: ValueDe<'a, 'de>, what: &'static str) -> Result<Self, DeError> {
        let mut access = BlockAccess { de, what, left: 0, ended: false, pending: false };
        access.next_block()?;
        Ok(access)
    }

    /// The fewest bytes one item takes: a map entry has at least its key's length byte.
    fn item_size(&self) -> usize {
        let value = self.de.schema.min_size[self.de.node];
        if self.what == "a map block" {
            value.saturating_add(1)
        } else {
            value
        }
    }

    fn next_block(&mut self) -> Result<(), DeError> {
        let size = self.item_size();
        self.left = self.de.reader.block(size, self.what)?;
        self.ended = self.left == 0;
        Ok(())
    }

    /// Whether another item follows (reading the next block's count when one ends).
    fn more(&mut self) -> Result<bool, DeError> {
        if self.left == 0 && !self.ended {
            self.next_block()?;
        }
        Ok(!self.ended)
    }

    fn finish(&mut self) -> Result<(), DeError> {
        if self.pending {
            self.pending = false;
            IgnoredAny::deserialize(self.de.at(self.de.node))?;
        }
        while self.more()? {
            self.left -= 1;
            if self.what == "a map block" {
                self.de.reader.str("a map key")?;
            }
            IgnoredAny::deserialize(self.de.at(self.de.node))?;
        }
        Ok(())
    }
}

impl<'de> SeqAccess<'de> for BlockAccess<'_, 'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DeError> {
        if !self.more()? {
            return Ok(None);
        }
        self.left -= 1;
        let node = self.de.node;
        seed.deserialize(self.de.at(node)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> MapAccess<'de> for BlockAccess<'_, 'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        if self.pending {
            self.pending = false;
            IgnoredAny::deserialize(self.de.at(self.de.node))?;
        }
        if !self.more()? {
            return Ok(None);
        }
        self.left -= 1;
        let key = self.de.reader.str("a map key")?;
        self.pending = true;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        if !self.pending {
            return Err(DeError::Data("a map value asked for before its key".into()));
        }
        self.pending = false;
        let node = self.de.node;
        seed.deserialize(self.de.at(node))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// A `duration` as the JSON form's `{months, days, milliseconds}`.
struct DurationAccess {
    parts: [u32; 3],
    next: usize,
}

impl<'de> MapAccess<'de> for DurationAccess {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        const KEYS: [&str; 3] = ["months", "days", "milliseconds"];
        match KEYS.get(self.next) {
            Some(key) => seed.deserialize(de::value::BorrowedStrDeserializer::new(key)).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let part = *self.parts.get(self.next).ok_or_else(|| DeError::Data("no duration part left".into()))?;
        self.next += 1;
        seed.deserialize(part.into_deserializer())
    }

    fn size_hint(&self) -> Option<usize> {
        Some(3 - self.next.min(3))
    }
}

#[cfg(test)]
/// Decodes one datum of `schema`'s root into `T` and checks that no bytes follow.
pub(crate) fn from_slice<'de, T: Deserialize<'de>>(schema: &'static Compiled, bytes: &'de [u8]) -> Result<T, DeError> {
    let mut reader = Reader::new(bytes);
    let value = T::deserialize(ValueDe::new(&mut reader, schema, schema.root))?;
    trailing(&reader)?;
    Ok(value)
}

/// The error for bytes after the datum.
pub(crate) fn trailing(reader: &Reader<'_>) -> Result<(), DeError> {
    match reader.left() {
        0 => Ok(()),
        n => binary(format!("{n} bytes left after the datum")),
    }
}
