//! Avro binary codec for generated event types (feature `avro`).
//!
//! Generated Avro types keep the same serde impls as every other generated type: their JSON form
//! is the event document. Encoding converts the JSON form of the payload into an Avro value guided
//! by the event type's schema and writes the datum with apache-avro.
//!
//! Decoding a datum written with the type's own schema (the common case) reads the binary encoding
//! directly into the generated type: a schema-guided serde `Deserializer` (`datum_de`) presents
//! the datum exactly as its JSON form, and the envelope (`envelope_de`) adds the metadata from the
//! headers, with no apache-avro `Value` and no JSON tree in between. A datum written with another
//! schema goes through apache-avro, which resolves it against the type's own schema (promotions,
//! defaults for missing fields, unknown fields skipped, enum defaults, union branches, aliases);
//! the result is converted to the JSON form and decoded with serde.
//!
//! Object container files (the batch and event-store form) hold records of
//! `eventbind.StoredEvent {headers: map<bytes>, payload: <the payload schema>}`, so each stored
//! event keeps its metadata. Files whose records are bare payloads (written by other tools) are
//! read too, with empty headers.

use std::collections::{BTreeMap, HashMap};
use std::sync::RwLock;

use apache_avro::schema::{Name, ResolvedSchema, UnionSchema};
pub use apache_avro::types::Value;
pub use apache_avro::Schema;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value as Json};

mod compiled;
mod datum_de;
#[cfg(test)]
mod datum_de_tests;
mod envelope_de;

use crate::codec::{CodecError, Message, WriterSchemas};
use crate::headers::{self, ContentType, Headers};
use crate::{Category, Event, EventMetadata};

/// Implemented by generated event types whose payload schema is Avro.
pub trait AvroEvent: Event + Serialize + DeserializeOwned {
    /// The payload schema, self-contained (named types from other files of the catalog inlined),
    /// parsed once.
    fn avro_schema() -> &'static Schema;
}

/// Parses an embedded schema; generated code calls it on schemas the generator has parsed.
pub fn parse_embedded(text: &str) -> Schema {
    Schema::parse_str(text).unwrap_or_else(|e| panic!("eventbind: an embedded Avro schema does not parse: {e}"))
}

fn payload_error(e: impl std::fmt::Display) -> CodecError {
    CodecError::Payload(e.to_string())
}

/// Named types of a schema, for following references.
struct Names<'s>(HashMap<Name, &'s Schema>);

impl<'s> Names<'s> {
    fn of(schema: &'s Schema) -> Result<Names<'s>, CodecError> {
        let resolved = ResolvedSchema::try_from(schema).map_err(payload_error)?;
        Ok(Names(resolved.get_names().iter().map(|(n, s)| (n.clone(), *s)).collect()))
    }

    /// The names of a type's own schema, built once per schema and kept for the process.
    fn of_static(schema: &'static Schema) -> Result<&'static Names<'static>, CodecError> {
        static CACHE: RwLock<BTreeMap<usize, &'static Names<'static>>> = RwLock::new(BTreeMap::new());
        let key = schema as *const Schema as usize;
        if let Some(names) = CACHE.read().ok().and_then(|c| c.get(&key).copied()) {
            return Ok(names);
        }
        // One small leak per event type: the schema itself lives for the process too.
        let names: &'static Names<'static> = Box::leak(Box::new(Names::of(schema)?));
        if let Ok(mut cache) = CACHE.write() {
            cache.insert(key, names);
        }
        Ok(names)
    }

    fn deref<'a>(&'a self, schema: &'a Schema) -> Result<&'a Schema, String> {
        match schema {
            Schema::Ref { name } => self.0.get(name).copied().ok_or_else(|| format!("unknown named type `{name}`")),
            other => Ok(other),
        }
    }
}

fn pow10(scale: usize) -> f64 {
    10f64.powi(i32::try_from(scale).unwrap_or(i32::MAX))
}

/// Two's complement big-endian bytes of `v`, at least `min_len` long (sign-extended).
fn signed_bytes(v: i128, len: Option<usize>) -> Result<Vec<u8>, String> {
    let full = v.to_be_bytes();
    let sign = if v < 0 { 0xff } else { 0 };
    // Drop leading sign bytes while the next byte still carries the sign bit.
    let mut start = 0;
    while start < 15 && full[start] == sign && (full[start + 1] & 0x80) == (sign & 0x80) {
        start += 1;
    }
    let minimal = &full[start..];
    match len {
        None => Ok(minimal.to_vec()),
        Some(n) if n >= minimal.len() => {
            let mut out = vec![sign; n - minimal.len()];
            out.extend_from_slice(minimal);
            Ok(out)
        }
        Some(n) => Err(format!("the decimal needs {} bytes, the fixed type has {n}", minimal.len())),
    }
}

/// The most decimal digits `len` two's complement bytes hold.
fn max_precision(len: usize) -> usize {
    ((2f64.powi(8 * len as i32 - 1) - 1.0).log10().floor()) as usize
}

fn unscaled(bytes: &[u8]) -> Result<i128, String> {
    if bytes.len() > 16 {
        return Err(format!("a decimal of {} bytes exceeds 128 bits", bytes.len()));
    }
    let sign = if bytes.first().is_some_and(|b| b & 0x80 != 0) { 0xff } else { 0 };
    let mut full = [sign; 16];
    full[16 - bytes.len()..].copy_from_slice(bytes);
    Ok(i128::from_be_bytes(full))
}

fn number(f: f64) -> Json {
    Number::from_f64(f).map_or(Json::Null, Json::Number)
}

fn epoch_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date")
}

/// An Avro value (already resolved to `schema`) as the JSON form generated types read.
fn to_json(value: &Value, schema: &Schema, names: &Names<'_>) -> Result<Json, String> {
    let schema = names.deref(schema)?;
    Ok(match (value, schema) {
        (Value::Null, _) => Json::Null,
        (Value::Boolean(b), _) => Json::Bool(*b),
        (Value::Int(i), _) => Json::from(*i),
        (Value::Long(i), _) => Json::from(*i),
        (Value::Float(f), _) => number(f64::from(*f)),
        (Value::Double(f), _) => number(*f),
        (Value::Bytes(b) | Value::Fixed(_, b), _) => Json::from(b.clone()),
        (Value::String(s), _) => Json::String(s.clone()),
        (Value::Enum(_, symbol), _) => Json::String(symbol.clone()),
        (Value::Union(i, inner), Schema::Union(u)) => {
            let branch = u.variants().get(*i as usize).ok_or_else(|| format!("union branch {i} out of range"))?;
            to_json(inner, branch, names)?
        }
        (Value::Union(_, inner), other) => to_json(inner, other, names)?,
        (Value::Array(items), Schema::Array(a)) => {
            Json::Array(items.iter().map(|v| to_json(v, &a.items, names)).collect::<Result<_, _>>()?)
        }
        (Value::Map(entries), Schema::Map(m)) => {
            // Sorted, so output does not depend on hash order.
            let mut keys: Vec<&String> = entries.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), to_json(&entries[k], &m.types, names)?);
            }
            Json::Object(out)
        }
        (Value::Record(fields), Schema::Record(r)) => {
            let mut out = Map::new();
            for ((name, v), field) in fields.iter().zip(&r.fields) {
                out.insert(name.clone(), to_json(v, &field.schema, names)?);
            }
            Json::Object(out)
        }
        (Value::Decimal(d), Schema::Decimal(s)) => {
            let bytes: Vec<u8> = d.try_into().map_err(|e: apache_avro::Error| e.to_string())?;
            number(decimal_f64(&bytes, s.scale)?)
        }
        (Value::Uuid(u), _) => Json::String(u.to_string()),
        (Value::Date(days), _) => Json::String(date_text(*days)?),
        (Value::TimeMillis(ms), _) => Json::String(time_text(i64::from(*ms) * 1_000)?),
        (Value::TimeMicros(us), _) => Json::String(time_text(*us)?),
        (Value::TimestampMillis(ms), _) => Json::String(timestamp_text(DateTime::from_timestamp_millis(*ms), *ms)?),
        (Value::TimestampMicros(us), _) => Json::String(timestamp_text(DateTime::from_timestamp_micros(*us), *us)?),
        (Value::TimestampNanos(ns), _) => Json::String(timestamp_text(Some(DateTime::from_timestamp_nanos(*ns)), *ns)?),
        (Value::LocalTimestampMillis(ms), _) => {
            Json::String(local_text(DateTime::from_timestamp_millis(*ms).map(|t| t.naive_utc()), *ms)?)
        }
        (Value::LocalTimestampMicros(us), _) => {
            Json::String(local_text(DateTime::from_timestamp_micros(*us).map(|t| t.naive_utc()), *us)?)
        }
        (Value::LocalTimestampNanos(ns), _) => {
            Json::String(local_text(Some(DateTime::from_timestamp_nanos(*ns).naive_utc()), *ns)?)
        }
        (Value::Duration(d), _) => {
            let (m, dd, ms): (u32, u32, u32) = (d.months().into(), d.days().into(), d.millis().into());
            serde_json::json!({"months": m, "days": dd, "milliseconds": ms})
        }
        (Value::BigDecimal(d), _) => Json::String(d.to_string()),
        (v, s) => return Err(format!("value {v:?} does not fit the schema {s:?}")),
    })
}

// The JSON forms of the logical types, shared by `to_json` and the direct datum decoder
// (`datum_de`) so both paths give the same values.

/// A decimal's unscaled two's complement bytes as the JSON form's number.
fn decimal_f64(bytes: &[u8], scale: usize) -> Result<f64, String> {
    if bytes.is_empty() {
        // apache-avro cannot sign-extend an empty decimal either.
        return Err("a decimal of 0 bytes".into());
    }
    Ok(unscaled(bytes)? as f64 / pow10(scale))
}

fn date_text(days: i32) -> Result<String, String> {
    let date = epoch_date()
        .checked_add_signed(chrono::Duration::days(i64::from(days)))
        .ok_or_else(|| format!("date {days} days from 1970-01-01 is out of range"))?;
    Ok(date.format("%Y-%m-%d").to_string())
}

fn time_text(micros: i64) -> Result<String, String> {
    let secs = u32::try_from(micros.div_euclid(1_000_000)).map_err(|_| format!("time {micros}µs is out of range"))?;
    let nanos = u32::try_from(micros.rem_euclid(1_000_000) * 1_000).unwrap_or(0);
    let t = NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
        .ok_or_else(|| format!("time {micros}µs after midnight is out of range"))?;
    Ok(t.format("%H:%M:%S%.f").to_string())
}

fn timestamp_text(t: Option<DateTime<Utc>>, raw: i64) -> Result<String, String> {
    let t = t.ok_or_else(|| format!("timestamp {raw} is out of range"))?;
    Ok(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

fn local_text(t: Option<NaiveDateTime>, raw: i64) -> Result<String, String> {
    let t = t.ok_or_else(|| format!("local timestamp {raw} is out of range"))?;
    Ok(t.format("%Y-%m-%dT%H:%M:%S%.f").to_string())
}

fn expect_str<'j>(json: &'j Json, what: &str) -> Result<&'j str, String> {
    json.as_str().ok_or_else(|| format!("expected {what} as a string, found {json}"))
}

fn parse_instant(json: &Json) -> Result<DateTime<Utc>, String> {
    let s = expect_str(json, "a date-time")?;
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).map_err(|e| format!("`{s}`: {e}"))
}

fn parse_local(json: &Json) -> Result<NaiveDateTime, String> {
    let s = expect_str(json, "a local date-time")?;
    s.parse::<NaiveDateTime>().map_err(|e| format!("`{s}`: {e}"))
}

fn micros_of_day(json: &Json) -> Result<i64, String> {
    let s = expect_str(json, "a time of day")?;
    let t = s.parse::<NaiveTime>().map_err(|e| format!("`{s}`: {e}"))?;
    Ok((t - NaiveTime::MIN).num_microseconds().unwrap_or_default())
}

fn int(json: &Json) -> Result<i64, String> {
    json.as_i64().ok_or_else(|| format!("expected an integer, found {json}"))
}

fn bytes(json: &Json) -> Result<Vec<u8>, String> {
    match json {
        Json::Array(items) => items
            .iter()
            .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()).ok_or_else(|| format!("{b} is not a byte")))
            .collect(),
        // A string stands for its bytes (Avro's own JSON form of defaults uses code points 0–255).
        Json::String(s) => Ok(s.chars().map(|c| c as u32 as u8).collect()),
        other => Err(format!("expected bytes, found {other}")),
    }
}

fn union_value(u: &UnionSchema, json: &Json, names: &Names<'_>) -> Result<Value, String> {
    if json.is_null() {
        if let Some(i) = u.variants().iter().position(|s| matches!(s, Schema::Null)) {
            return Ok(Value::Union(i as u32, Box::new(Value::Null)));
        }
    }
    let mut last = String::from("no branch");
    for (i, branch) in u.variants().iter().enumerate() {
        if matches!(branch, Schema::Null) {
            continue;
        }
        match to_avro(json, branch, names) {
            Ok(v) => return Ok(Value::Union(i as u32, Box::new(v))),
            Err(e) => last = e,
        }
    }
    Err(format!("the value fits no branch of the union ({last})"))
}

/// The JSON form of a payload as an Avro value of `schema`.
fn to_avro(json: &Json, schema: &Schema, names: &Names<'_>) -> Result<Value, String> {
    let schema = names.deref(schema)?;
    Ok(match schema {
        Schema::Null if json.is_null() => Value::Null,
        Schema::Null => return Err(format!("expected null, found {json}")),
        Schema::Boolean => Value::Boolean(json.as_bool().ok_or_else(|| format!("expected a boolean, found {json}"))?),
        Schema::Int => Value::Int(i32::try_from(int(json)?).map_err(|e| e.to_string())?),
        Schema::Long => Value::Long(int(json)?),
        Schema::Float => Value::Float(json.as_f64().ok_or_else(|| format!("expected a number, found {json}"))? as f32),
        Schema::Double => Value::Double(json.as_f64().ok_or_else(|| format!("expected a number, found {json}"))?),
        Schema::Bytes => Value::Bytes(bytes(json)?),
        Schema::String => Value::String(expect_str(json, "text")?.to_owned()),
        Schema::Fixed(f) => {
            let b = bytes(json)?;
            if b.len() != f.size {
                return Err(format!("`{}` holds {} bytes, found {}", f.name, f.size, b.len()));
            }
            Value::Fixed(f.size, b)
        }
        Schema::Enum(e) => {
            let s = expect_str(json, "an enum symbol")?;
            let i = e
                .symbols
                .iter()
                .position(|x| x == s)
                .ok_or_else(|| format!("`{s}` is not a symbol of `{}`", e.name))?;
            Value::Enum(i as u32, s.to_owned())
        }
        Schema::Array(a) => Value::Array(
            json.as_array()
                .ok_or_else(|| format!("expected an array, found {json}"))?
                .iter()
                .map(|v| to_avro(v, &a.items, names))
                .collect::<Result<_, _>>()?,
        ),
        Schema::Map(m) => Value::Map(
            json.as_object()
                .ok_or_else(|| format!("expected a map, found {json}"))?
                .iter()
                .map(|(k, v)| Ok((k.clone(), to_avro(v, &m.types, names)?)))
                .collect::<Result<_, String>>()?,
        ),
        Schema::Union(u) => union_value(u, json, names)?,
        Schema::Record(r) => {
            let object = json.as_object().ok_or_else(|| format!("expected a `{}` record, found {json}", r.name))?;
            let mut fields = Vec::with_capacity(r.fields.len());
            for field in &r.fields {
                let value = match object.get(&field.name) {
                    Some(v) => v,
                    // Absent optional fields take the schema's default, or null in a nullable union.
                    None => field.default.as_ref().unwrap_or(&Json::Null),
                };
                let v = to_avro(value, &field.schema, names).map_err(|e| format!("{}.{}: {e}", r.name, field.name))?;
                fields.push((field.name.clone(), v));
            }
            Value::Record(fields)
        }
        Schema::Decimal(d) => {
            let f = json.as_f64().ok_or_else(|| format!("expected a decimal number, found {json}"))?;
            let scaled = (f * pow10(d.scale)).round();
            if !scaled.is_finite() || scaled.abs() >= 1.7e38 {
                return Err(format!("{f} does not fit a decimal of scale {}", d.scale));
            }
            // apache-avro wants bytes wide enough for the declared precision.
            let len = match names.deref(&d.inner)? {
                Schema::Fixed(f) => Some(f.size),
                _ => Some((1..=16).find(|n| max_precision(*n) >= d.precision).unwrap_or(16)),
            };
            Value::Decimal(apache_avro::Decimal::from(signed_bytes(scaled as i128, len)?))
        }
        Schema::BigDecimal => {
            return Err("big-decimal values are not supported by eventbind's Avro codec".into());
        }
        Schema::Uuid => {
            let s = expect_str(json, "a UUID")?;
            Value::Uuid(uuid::Uuid::parse_str(s).map_err(|e| format!("`{s}`: {e}"))?)
        }
        Schema::Date => {
            let s = expect_str(json, "a date")?;
            let d = s.parse::<NaiveDate>().map_err(|e| format!("`{s}`: {e}"))?;
            Value::Date(i32::try_from((d - epoch_date()).num_days()).map_err(|e| e.to_string())?)
        }
        Schema::TimeMillis => Value::TimeMillis(i32::try_from(micros_of_day(json)? / 1_000).unwrap_or_default()),
        Schema::TimeMicros => Value::TimeMicros(micros_of_day(json)?),
        Schema::TimestampMillis => Value::TimestampMillis(parse_instant(json)?.timestamp_millis()),
        Schema::TimestampMicros => Value::TimestampMicros(parse_instant(json)?.timestamp_micros()),
        Schema::TimestampNanos => Value::TimestampNanos(
            parse_instant(json)?.timestamp_nanos_opt().ok_or("the timestamp is out of the nanosecond range")?,
        ),
        Schema::LocalTimestampMillis => Value::LocalTimestampMillis(parse_local(json)?.and_utc().timestamp_millis()),
        Schema::LocalTimestampMicros => Value::LocalTimestampMicros(parse_local(json)?.and_utc().timestamp_micros()),
        Schema::LocalTimestampNanos => Value::LocalTimestampNanos(
            parse_local(json)?.and_utc().timestamp_nanos_opt().ok_or("the timestamp is out of the nanosecond range")?,
        ),
        Schema::Duration => {
            let part = |k: &str| -> Result<u32, String> {
                let v = json.get(k).and_then(Json::as_u64).ok_or_else(|| format!("duration: `{k}` missing"))?;
                u32::try_from(v).map_err(|e| e.to_string())
            };
            Value::Duration(apache_avro::Duration::new(
                apache_avro::Months::new(part("months")?),
                apache_avro::Days::new(part("days")?),
                apache_avro::Millis::new(part("milliseconds")?),
            ))
        }
        Schema::Ref { .. } => unreachable!("references were followed above"),
    })
}

/// The JSON form of an event without its envelope: the payload alone.
fn payload_json<T: Event + Serialize>(event: &T) -> Result<Json, CodecError> {
    let mut doc = serde_json::to_value(event).map_err(payload_error)?;
    Ok(match T::TYPE.category {
        Category::General => {
            if let Some(object) = doc.as_object_mut() {
                object.remove("metadata");
            }
            doc
        }
        Category::Data => doc.get_mut("data").map(Json::take).unwrap_or(Json::Null),
        Category::Undefined => doc,
    })
}

/// The payload of `event` as an Avro value of its own schema.
pub fn to_value<T: AvroEvent>(event: &T) -> Result<Value, CodecError> {
    let schema = T::avro_schema();
    to_avro(&payload_json(event)?, schema, Names::of_static(schema)?).map_err(CodecError::Payload)
}

/// The payload of `event` as an Avro binary datum (no framing, no metadata).
pub fn to_datum<T: AvroEvent>(event: &T) -> Result<Vec<u8>, CodecError> {
    apache_avro::to_avro_datum(T::avro_schema(), to_value(event)?).map_err(payload_error)
}

/// Puts the envelope (from headers) around the JSON form of a payload and decodes the event.
fn assemble<T: Event + DeserializeOwned, N: AsRef<str>, V: AsRef<[u8]>>(
    payload: Json,
    headers: &[(N, V)],
) -> Result<T, CodecError> {
    let doc = match T::TYPE.category {
        Category::Undefined => payload,
        Category::General => {
            let metadata = serde_json::to_value(EventMetadata::from_headers(headers)?).map_err(payload_error)?;
            let mut object = match payload {
                Json::Object(o) => o,
                other => {
                    return Err(CodecError::Payload(format!(
                        "a general event's payload must be a record, found {other}"
                    )))
                }
            };
            object.insert("metadata".into(), metadata);
            Json::Object(object)
        }
        Category::Data => {
            let metadata = EventMetadata::from_headers(headers)?;
            let (op, data_type) = headers::data_envelope(headers)?;
            serde_json::json!({"metadata": metadata, "data_op": op, "data_type": data_type, "data": payload})
        }
    };
    Ok(crate::json::from_value(&doc)?)
}

fn short_name(full: &str) -> &str {
    full.rsplit('.').next().unwrap_or(full)
}

/// Reader fields with aliases, by the short name of their record.
fn reader_aliases(json: &Json, out: &mut HashMap<String, Vec<(String, Vec<String>)>>) {
    match json {
        Json::Array(items) => items.iter().for_each(|i| reader_aliases(i, out)),
        Json::Object(o) => {
            if let (Some(Json::String(name)), Some(Json::Array(fields))) = (o.get("name"), o.get("fields")) {
                for f in fields {
                    if let (Some(Json::String(field)), Some(Json::Array(aliases))) = (f.get("name"), f.get("aliases")) {
                        let aliases = aliases.iter().filter_map(Json::as_str).map(str::to_owned).collect();
                        out.entry(short_name(name).to_owned()).or_default().push((field.clone(), aliases));
                    }
                    if let Some(t) = f.get("type") {
                        reader_aliases(t, out);
                    }
                }
            }
            for key in ["type", "items", "values"] {
                if let Some(child) = o.get(key) {
                    reader_aliases(child, out);
                }
            }
        }
        _ => {}
    }
}

/// Renames writer fields that a reader field names as an alias, so resolution matches them
/// (apache-avro 0.21 does not apply field aliases itself).
fn rename_aliased(json: &mut Json, renames: &HashMap<String, Vec<(String, Vec<String>)>>) {
    match json {
        Json::Array(items) => items.iter_mut().for_each(|i| rename_aliased(i, renames)),
        Json::Object(o) => {
            let name = o.get("name").and_then(Json::as_str).map(|n| short_name(n).to_owned());
            if let (Some(name), Some(Json::Array(fields))) = (name, o.get_mut("fields")) {
                if let Some(wanted) = renames.get(&name) {
                    for (field, aliases) in wanted {
                        if fields.iter().any(|f| f.get("name").and_then(Json::as_str) == Some(field)) {
                            continue;
                        }
                        if let Some(f) = fields.iter_mut().find(|f| {
                            f.get("name").and_then(Json::as_str).is_some_and(|n| aliases.iter().any(|a| a == n))
                        }) {
                            f["name"] = Json::String(field.clone());
                        }
                    }
                }
                for f in fields.iter_mut() {
                    if let Some(t) = f.get_mut("type") {
                        rename_aliased(t, renames);
                    }
                }
            }
            for key in ["type", "items", "values"] {
                if let Some(child) = o.get_mut(key) {
                    rename_aliased(child, renames);
                }
            }
        }
        _ => {}
    }
}

/// The writer's schema with the fields the reader reads by alias renamed; the writer itself when
/// the reader declares no aliases.
fn aliased_writer(writer: &Schema, reader: &Schema) -> Result<Option<Schema>, CodecError> {
    let reader_json = serde_json::to_value(reader).map_err(payload_error)?;
    let mut renames = HashMap::new();
    reader_aliases(&reader_json, &mut renames);
    if renames.is_empty() {
        return Ok(None);
    }
    let mut writer_json = serde_json::to_value(writer).map_err(payload_error)?;
    rename_aliased(&mut writer_json, &renames);
    Schema::parse(&writer_json).map(Some).map_err(payload_error)
}

/// Decodes the Avro datum `bytes`, written with `writer` (the type's own schema when `None`),
/// as the payload of a `T` whose envelope comes from `headers`.
///
/// Data written with the type's own schema is read directly into `T` (no apache-avro `Value`,
/// no JSON tree); data written with another schema goes through apache-avro's schema resolution
/// ([`from_datum_resolved`]).
pub fn from_datum<T: AvroEvent, N: AsRef<str>, V: AsRef<[u8]>>(
    headers: &[(N, V)],
    writer: Option<&Schema>,
    bytes: &[u8],
) -> Result<T, CodecError> {
    let reader = T::avro_schema();
    match writer {
        Some(w) if !std::ptr::eq(w, reader) && w != reader => from_datum_resolved(headers, writer, bytes),
        _ => {
            let compiled = compiled::Compiled::of_static(reader).map_err(CodecError::Payload)?;
            envelope_de::decode(headers, compiled, bytes)
        }
    }
}

/// Decodes like [`from_datum`], always through apache-avro: the datum is read into a `Value`
/// (resolved against the type's own schema when `writer` differs: promotions, defaults, skipped
/// fields, enum defaults, aliases), converted to the JSON form and decoded with serde. The path
/// for schema evolution; [`from_datum`] takes it by itself when needed.
pub fn from_datum_resolved<T: AvroEvent, N: AsRef<str>, V: AsRef<[u8]>>(
    headers: &[(N, V)],
    writer: Option<&Schema>,
    bytes: &[u8],
) -> Result<T, CodecError> {
    let reader = T::avro_schema();
    let renamed = match writer {
        Some(w) if w != reader => aliased_writer(w, reader)?,
        _ => None,
    };
    // Data written with the type's own schema needs no resolution pass.
    let (writer, resolve) = match renamed.as_ref().or(writer) {
        Some(w) if w != reader => (w, Some(reader)),
        _ => (reader, None),
    };
    let mut input = bytes;
    let value = apache_avro::from_avro_datum(writer, &mut input, resolve).map_err(payload_error)?;
    if !input.is_empty() {
        return Err(CodecError::Payload(format!("{} bytes left after the datum", input.len())));
    }
    let names = Names::of_static(reader)?;
    assemble(to_json(&value, reader, names).map_err(CodecError::Payload)?, headers)
}

/// The event as a message: headers (content type, metadata, data change envelope) and payload in
/// the given encoding (`Json`, `Avro`, or `AvroRegistry` with `schema_id`).
pub fn to_message<T: AvroEvent>(
    event: &T,
    content_type: ContentType,
    schema_id: Option<u32>,
) -> Result<Message, CodecError> {
    let payload = match content_type {
        ContentType::Json => serde_json::to_vec(event).map_err(payload_error)?,
        ContentType::Avro => to_datum(event)?,
        ContentType::AvroRegistry => crate::registry::frame(schema_id.unwrap_or_default(), &to_datum(event)?),
        other => return Err(crate::codec::unsupported(T::TYPE.name, other)),
    };
    Ok(Message { headers: crate::codec::message_headers(event, content_type)?, payload })
}

/// Decodes a message of an Avro event type by its `content-type` header. Plain Avro payloads are
/// read with the writer schema `schemas` holds for the event type and the version in
/// `eventbind-schema-version`, else with the type's own; framed ones with the schema of their id,
/// given in `schemas` or else resolved from the schema registry by its resolver.
pub fn from_message<T: AvroEvent, N: AsRef<str>, V: AsRef<[u8]>>(
    headers: &[(N, V)],
    payload: &[u8],
    schemas: &WriterSchemas,
) -> Result<T, CodecError> {
    match headers::content_type(headers)? {
        ContentType::Json => Ok(crate::json::from_slice(payload)?),
        ContentType::Avro => {
            let version = headers::get(headers, headers::SCHEMA_VERSION).and_then(|v| std::str::from_utf8(v).ok());
            let writer = version.and_then(|v| schemas.avro_by_version.get(&(T::TYPE.name.to_owned(), v.to_owned())));
            from_datum(headers, writer, payload)
        }
        ContentType::AvroRegistry => {
            let (id, datum) = crate::registry::unframe(payload)?;
            if let Some(writer) = schemas.avro_by_id.get(&id) {
                return from_datum(headers, Some(writer), datum);
            }
            let writer = schemas.registry_schema(id, crate::resolver::SchemaKind::Avro)?;
            let reader = T::avro_schema();
            // The common case, the producer's schema is the consumer's: no resolution pass.
            let writer_schema = if writer.is_reader(reader) { None } else { writer.avro() };
            from_datum(headers, writer_schema, datum)
        }
        other => Err(crate::codec::unsupported(T::TYPE.name, other)),
    }
}

/// The record schema of a stored event around `payload`.
fn stored_event_schema(payload: &Schema) -> Result<Schema, CodecError> {
    let payload_json = serde_json::to_value(payload).map_err(payload_error)?;
    let envelope = serde_json::json!({
        "type": "record",
        "name": "StoredEvent",
        "namespace": "eventbind",
        "doc": "An event as stored: its message headers (metadata) and its payload.",
        "fields": [
            {"name": "headers", "type": {"type": "map", "values": "bytes"}},
            {"name": "payload", "type": payload_json}
        ]
    });
    Schema::parse(&envelope).map_err(payload_error)
}

/// Which compression an object container file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    #[default]
    None,
    Deflate,
}

/// Writes events to an Avro object container file (records of `eventbind.StoredEvent`).
pub fn write_container<'e, T: AvroEvent + 'e>(
    events: impl IntoIterator<Item = &'e T>,
    compression: Compression,
) -> Result<Vec<u8>, CodecError> {
    let schema = stored_event_schema(T::avro_schema())?;
    let codec = match compression {
        Compression::None => apache_avro::Codec::Null,
        Compression::Deflate => apache_avro::Codec::Deflate(apache_avro::DeflateSettings::default()),
    };
    let mut writer = apache_avro::Writer::with_codec(&schema, Vec::new(), codec);
    for event in events {
        let mut headers = event.metadata().map(EventMetadata::to_headers).unwrap_or_default();
        headers.extend(crate::codec::data_headers(event)?);
        let record = Value::Record(vec![
            ("headers".into(), Value::Map(headers.into_iter().map(|(k, v)| (k, Value::Bytes(v))).collect())),
            ("payload".into(), to_value(event)?),
        ]);
        writer.append(record).map_err(payload_error)?;
    }
    writer.into_inner().map_err(payload_error)
}

/// Reads every event of an Avro object container file, resolving the file's schema against the
/// type's own (so a store written with an older or newer schema version reads). Records that are
/// bare payloads (files not written by eventbind) get empty headers.
pub fn read_container<T: AvroEvent>(bytes: &[u8]) -> Result<Vec<Result<T, CodecError>>, CodecError> {
    let reader = apache_avro::Reader::new(bytes).map_err(payload_error)?;
    let writer = reader.writer_schema().clone();
    let stored = matches!(&writer, Schema::Record(r) if r.name.fullname(None) == "eventbind.StoredEvent");
    let own = T::avro_schema();
    let reader_schema = if stored { stored_event_schema(own)? } else { own.clone() };
    let names = Names::of(own)?;
    let resolved = apache_avro::Reader::with_schema(&reader_schema, bytes).map_err(payload_error)?;
    let mut out = Vec::new();
    for value in resolved {
        out.push(value.map_err(payload_error).and_then(|value| {
            let (headers, payload) = match value {
                Value::Record(mut fields) if stored && fields.len() == 2 => {
                    let payload = fields.pop().map(|(_, v)| v).unwrap_or(Value::Null);
                    let headers: Headers = match fields.pop() {
                        Some((_, Value::Map(m))) => {
                            let mut h: Headers = m
                                .into_iter()
                                .filter_map(|(k, v)| match v {
                                    Value::Bytes(b) => Some((k, b)),
                                    _ => None,
                                })
                                .collect();
                            h.sort();
                            h
                        }
                        _ => Headers::new(),
                    };
                    (headers, payload)
                }
                other => (Headers::new(), other),
            };
            assemble(to_json(&payload, own, &names).map_err(CodecError::Payload)?, &headers)
        }));
    }
    Ok(out)
}

/// The records of an object container file without a generated type: each stored event's
/// headers and its payload in the JSON form, read with the file's own (writer) schema. For tools
/// that handle events of any type (`eventbind store write`); typed code uses [`read_container`].
/// Records that are bare payloads have empty headers.
pub struct ContainerRecords<R: std::io::Read> {
    reader: apache_avro::Reader<'static, R>,
    payload: Schema,
    /// The payload's named types, resolved once per file.
    names: HashMap<Name, Schema>,
    stored: bool,
}

impl<R: std::io::Read> std::fmt::Debug for ContainerRecords<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContainerRecords").field("payload", &self.payload).field("stored", &self.stored).finish()
    }
}

impl<R: std::io::Read> ContainerRecords<R> {
    /// Reads the file's header; records are read one at a time as the iterator advances.
    pub fn new(input: R) -> Result<Self, CodecError> {
        let reader = apache_avro::Reader::new(input).map_err(payload_error)?;
        let writer = reader.writer_schema().clone();
        let stored = matches!(&writer, Schema::Record(r) if r.name.fullname(None) == "eventbind.StoredEvent");
        let payload = match &writer {
            Schema::Record(r) if stored => r.fields.iter().find(|f| f.name == "payload").map(|f| f.schema.clone()),
            other => Some(other.clone()),
        }
        .ok_or_else(|| CodecError::Payload("an eventbind.StoredEvent record without `payload`".into()))?;
        let names = Names::of(&payload)?.0.into_iter().map(|(n, s)| (n, s.clone())).collect();
        Ok(ContainerRecords { reader, payload, names, stored })
    }

    /// The schema of the records' payloads.
    pub fn payload_schema(&self) -> &Schema {
        &self.payload
    }
}

impl<R: std::io::Read> Iterator for ContainerRecords<R> {
    type Item = Result<(Headers, Json), CodecError>;

    fn next(&mut self) -> Option<Self::Item> {
        let value = match self.reader.next()? {
            Ok(v) => v,
            Err(e) => return Some(Err(payload_error(e))),
        };
        let (headers, payload) = match value {
            Value::Record(mut fields) if self.stored => {
                let payload = fields.iter().position(|(n, _)| n == "payload").map(|i| fields.remove(i).1);
                let headers: Headers = match fields.into_iter().find(|(n, _)| n == "headers") {
                    Some((_, Value::Map(m))) => {
                        let mut h: Headers = m
                            .into_iter()
                            .filter_map(|(k, v)| match v {
                                Value::Bytes(b) => Some((k, b)),
                                _ => None,
                            })
                            .collect();
                        h.sort();
                        h
                    }
                    _ => Headers::new(),
                };
                (headers, payload.unwrap_or(Value::Null))
            }
            other => (Headers::new(), other),
        };
        let names = Names(self.names.iter().map(|(n, s)| (n.clone(), s)).collect());
        Some(to_json(&payload, &self.payload, &names).map(|json| (headers, json)).map_err(CodecError::Payload))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_bytes_are_minimal_twos_complement() {
        assert_eq!(signed_bytes(0, None).unwrap(), vec![0]);
        assert_eq!(signed_bytes(127, None).unwrap(), vec![0x7f]);
        assert_eq!(signed_bytes(128, None).unwrap(), vec![0x00, 0x80]);
        assert_eq!(signed_bytes(-1, None).unwrap(), vec![0xff]);
        assert_eq!(signed_bytes(-129, None).unwrap(), vec![0xff, 0x7f]);
        assert_eq!(signed_bytes(-2, Some(4)).unwrap(), vec![0xff, 0xff, 0xff, 0xfe]);
        assert!(signed_bytes(70_000, Some(2)).is_err());
        for v in [0i128, 1, -1, 1590, -1590, i64::MAX as i128, i64::MIN as i128] {
            assert_eq!(unscaled(&signed_bytes(v, None).unwrap()).unwrap(), v);
        }
    }
}
