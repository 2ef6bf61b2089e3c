//! Avro payloads, checked in the JSON form eventbind's runtime reads and writes
//! (`runtime/src/avro.rs`, `to_avro`/`to_json`): a union is its value without a branch wrapper
//! (`null` for the null branch, else the first branch the value fits), bytes and fixed are arrays
//! of byte values or strings of code points 0–255, decimals are JSON numbers, `uuid`, `date`,
//! `time-*`, `timestamp-*` and `local-timestamp-*` are strings (RFC 3339 for timestamps), and
//! `duration` is `{"months", "days", "milliseconds"}`. A record field that is absent takes its
//! default, else `null`, which its schema must then admit. Fields the schema does not declare are
//! ignored, as consumers ignore them.

use std::collections::HashMap;

use apache_avro::schema::{Name, Schema, UnionSchema};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::Value;

use super::Problem;
use eventbind_build::source::push_token;

/// Deeper than this the walk stops (serde_json's own recursion limit is lower; this guards
/// recursive schemas against documents built another way).
const MAX_DEPTH: usize = 256;

/// An Avro event type's payload schema, ready to check JSON forms against.
#[derive(Debug)]
pub struct AvroPayload {
    schema: Schema,
    names: HashMap<Name, Schema>,
}

impl AvroPayload {
    pub fn new(schema: Schema, names: HashMap<Name, Schema>) -> AvroPayload {
        AvroPayload { schema, names }
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// A named type's definition; other schemas as they are.
    pub fn deref<'a>(&'a self, schema: &'a Schema) -> Option<&'a Schema> {
        match schema {
            Schema::Ref { name } => self.names.get(name),
            other => Some(other),
        }
    }

    /// Checks the payload `value`, found at `at` in the event, against the whole schema.
    pub fn check(&self, value: &Value, at: &str, problems: &mut Vec<Problem>) {
        let mut pointer = at.to_owned();
        self.walk(value, &self.schema, &mut pointer, 0, problems);
    }

    /// Whether `value` is a valid JSON form of `schema`.
    pub fn fits(&self, value: &Value, schema: &Schema) -> bool {
        let mut problems = Vec::new();
        self.walk(value, schema, &mut String::new(), 0, &mut problems);
        problems.is_empty()
    }

    fn walk(&self, v: &Value, schema: &Schema, pointer: &mut String, depth: usize, problems: &mut Vec<Problem>) {
        let Some(schema) = self.deref(schema) else {
            problems.push(Problem::new(pointer.clone(), format!("the schema names an unknown type: {schema:?}")));
            return;
        };
        if depth > MAX_DEPTH {
            problems.push(Problem::new(pointer.clone(), "the value is nested too deeply"));
            return;
        }
        macro_rules! fail {
            ($reason:expr) => {
                problems.push(Problem::new(pointer.clone(), $reason))
            };
        }
        match schema {
            Schema::Null if v.is_null() => {}
            Schema::Boolean if v.is_boolean() => {}
            Schema::String if v.is_string() => {}
            Schema::Float | Schema::Double if v.is_number() => {}
            Schema::Int => match v.as_i64() {
                Some(i) if i32::try_from(i).is_ok() => {}
                Some(i) => fail!(format!("{i} is out of the range of an Avro int (32-bit)")),
                None => fail!(expected(schema, v)),
            },
            Schema::Long if v.is_i64() => {}
            Schema::Long if v.is_u64() => fail!(format!("{v} is out of the range of an Avro long (64-bit)")),
            Schema::Bytes => {
                if let Err(reason) = bytes(v, None) {
                    fail!(reason);
                }
            }
            Schema::Fixed(f) => {
                if let Err(reason) = bytes(v, Some(f.size)) {
                    fail!(format!("{reason} (fixed `{}`)", f.name.fullname(None)));
                }
            }
            Schema::Enum(e) => match v.as_str() {
                Some(s) if e.symbols.iter().any(|x| x == s) => {}
                Some(s) => fail!(format!(
                    "`{s}` is not a symbol of the enum `{}`; expected one of: {}",
                    e.name.fullname(None),
                    e.symbols.join(", ")
                )),
                None => fail!(expected(schema, v)),
            },
            Schema::Array(a) => match v.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let len = pointer.len();
                        pointer.push('/');
                        pointer.push_str(&i.to_string());
                        self.walk(item, &a.items, pointer, depth + 1, problems);
                        pointer.truncate(len);
                    }
                }
                None => fail!(expected(schema, v)),
            },
            Schema::Map(m) => match v.as_object() {
                Some(entries) => {
                    for (key, value) in entries {
                        let len = pointer.len();
                        push_token(pointer, key);
                        self.walk(value, &m.types, pointer, depth + 1, problems);
                        pointer.truncate(len);
                    }
                }
                None => fail!(expected(schema, v)),
            },
            Schema::Record(r) => match v.as_object() {
                Some(object) => {
                    for field in &r.fields {
                        match object.get(&field.name) {
                            Some(value) => {
                                let len = pointer.len();
                                push_token(pointer, &field.name);
                                self.walk(value, &field.schema, pointer, depth + 1, problems);
                                pointer.truncate(len);
                            }
                            None if field.default.is_some() => {}
                            None if self.fits(&Value::Null, &field.schema) => {}
                            None => problems.push(Problem::new(
                                pointer.clone(),
                                format!(
                                    "`{}` is missing: the field of `{}` has no default and does not admit null",
                                    field.name,
                                    r.name.fullname(None)
                                ),
                            )),
                        }
                    }
                }
                None => fail!(expected(schema, v)),
            },
            Schema::Union(u) => self.union(v, u, pointer, depth, problems),
            Schema::Decimal(d) => match v.as_f64() {
                Some(f) => {
                    let scaled = (f * 10f64.powi(d.scale as i32)).round().abs();
                    if scaled >= 10f64.powi(d.precision as i32) {
                        fail!(format!(
                            "{v} does not fit a decimal of precision {} and scale {} (at most {} digits before the point)",
                            d.precision,
                            d.scale,
                            d.precision.saturating_sub(d.scale)
                        ));
                    }
                }
                None => fail!(expected(schema, v)),
            },
            Schema::BigDecimal => fail!("big-decimal values are not supported by eventbind's Avro codec"),
            Schema::Uuid | Schema::Date | Schema::TimeMillis | Schema::TimeMicros => {
                let ok = v.as_str().is_some_and(|s| match schema {
                    Schema::Uuid => uuid::Uuid::parse_str(s).is_ok(),
                    Schema::Date => s.parse::<NaiveDate>().is_ok(),
                    _ => s.parse::<NaiveTime>().is_ok(),
                });
                if !ok {
                    fail!(expected(schema, v));
                }
            }
            Schema::TimestampMillis | Schema::TimestampMicros | Schema::TimestampNanos => {
                let nanos = matches!(schema, Schema::TimestampNanos);
                let ok = v.as_str().is_some_and(|s| {
                    chrono::DateTime::parse_from_rfc3339(s).is_ok_and(|t| !nanos || t.timestamp_nanos_opt().is_some())
                });
                if !ok {
                    fail!(expected(schema, v));
                }
            }
            Schema::LocalTimestampMillis | Schema::LocalTimestampMicros | Schema::LocalTimestampNanos => {
                if v.as_str().is_none_or(|s| s.parse::<NaiveDateTime>().is_err()) {
                    fail!(expected(schema, v));
                }
            }
            Schema::Duration => match v.as_object() {
                Some(object) => {
                    for part in ["months", "days", "milliseconds"] {
                        match object.get(part) {
                            Some(n) if n.as_u64().is_some_and(|n| u32::try_from(n).is_ok()) => {}
                            Some(n) => {
                                let len = pointer.len();
                                push_token(pointer, part);
                                problems.push(Problem::new(
                                    pointer.clone(),
                                    format!("expected an unsigned 32-bit integer, found {}", found(n)),
                                ));
                                pointer.truncate(len);
                            }
                            None => problems
                                .push(Problem::new(pointer.clone(), format!("`{part}` is missing from the duration"))),
                        }
                    }
                }
                None => fail!(expected(schema, v)),
            },
            _ => fail!(expected(schema, v)),
        }
    }

    /// A union's JSON form is the bare value: `null` takes the null branch, anything else the
    /// first branch it fits. When it fits none, the one branch of its JSON kind (if there is
    /// exactly one) says what is wrong inside it; else the union as a whole is reported.
    fn union(&self, v: &Value, u: &UnionSchema, pointer: &mut String, depth: usize, problems: &mut Vec<Problem>) {
        let branches: Vec<&Schema> = u.variants().iter().filter_map(|s| self.deref(s)).collect();
        if v.is_null() && branches.iter().any(|s| matches!(s, Schema::Null)) {
            return;
        }
        if branches.iter().any(|s| !matches!(s, Schema::Null) && self.fits(v, s)) {
            return;
        }
        // The branch of the value's JSON kind; among records, the one that declares the most
        // of the object's fields.
        let score = |s: &Schema| match (s, v) {
            (Schema::Record(r), Value::Object(o)) => r.fields.iter().filter(|f| o.contains_key(&f.name)).count(),
            _ => 0,
        };
        let mut same_kind: Vec<(usize, &Schema)> =
            branches.iter().filter(|s| kind_matches(s, v)).map(|s| (score(s), *s)).collect();
        same_kind.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        match same_kind.as_slice() {
            [(_, only)] => return self.walk(v, only, pointer, depth + 1, problems),
            [(best, first), (next, _), ..] if best > next => return self.walk(v, first, pointer, depth + 1, problems),
            _ => {}
        }
        let names: Vec<String> = branches.iter().map(|s| type_name(s)).collect();
        problems.push(Problem::new(
            pointer.clone(),
            format!("{} fits no branch of the union [{}]", capitalized(&found(v)), names.join(", ")),
        ));
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Bytes as the runtime reads them: an array of byte values or a string of code points 0–255;
/// `size` for fixed.
fn bytes(v: &Value, size: Option<usize>) -> Result<(), String> {
    let len = match v {
        Value::Array(items) => {
            if let Some((i, b)) = items.iter().enumerate().find(|(_, b)| b.as_u64().is_none_or(|b| b > 255)) {
                return Err(format!("item {i} ({}) is not a byte value 0–255", found(b)));
            }
            items.len()
        }
        Value::String(s) => {
            if let Some(c) = s.chars().find(|c| u32::from(*c) > 255) {
                return Err(format!("`{c}` is not a byte: bytes as a string take code points 0–255"));
            }
            s.chars().count()
        }
        other => return Err(format!("expected bytes (an array of byte values or a string), found {}", found(other))),
    };
    match size {
        Some(size) if size != len => Err(format!("expected {size} bytes, found {len}")),
        _ => Ok(()),
    }
}

/// Whether the JSON kind of `v` is the one the schema's JSON form has.
fn kind_matches(schema: &Schema, v: &Value) -> bool {
    match schema {
        Schema::Null => v.is_null(),
        Schema::Boolean => v.is_boolean(),
        Schema::Int | Schema::Long | Schema::Float | Schema::Double | Schema::Decimal(_) => v.is_number(),
        Schema::Bytes | Schema::Fixed(_) => v.is_array() || v.is_string(),
        Schema::Array(_) => v.is_array(),
        Schema::Map(_) | Schema::Record(_) | Schema::Duration => v.is_object(),
        Schema::Union(_) | Schema::Ref { .. } | Schema::BigDecimal => false,
        Schema::String
        | Schema::Enum(_)
        | Schema::Uuid
        | Schema::Date
        | Schema::TimeMillis
        | Schema::TimeMicros
        | Schema::TimestampMillis
        | Schema::TimestampMicros
        | Schema::TimestampNanos
        | Schema::LocalTimestampMillis
        | Schema::LocalTimestampMicros
        | Schema::LocalTimestampNanos => v.is_string(),
    }
}

/// A schema as problems name it: `long`, `string (uuid)`, `shop.payment.Money`, `array<int>`.
pub(crate) fn type_name(schema: &Schema) -> String {
    match schema {
        Schema::Null => "null".into(),
        Schema::Boolean => "boolean".into(),
        Schema::Int => "int".into(),
        Schema::Long => "long".into(),
        Schema::Float => "float".into(),
        Schema::Double => "double".into(),
        Schema::Bytes => "bytes".into(),
        Schema::String => "string".into(),
        Schema::Array(a) => format!("array<{}>", type_name(&a.items)),
        Schema::Map(m) => format!("map<{}>", type_name(&m.types)),
        Schema::Union(u) => format!("[{}]", u.variants().iter().map(type_name).collect::<Vec<_>>().join(", ")),
        Schema::Record(r) => format!("record {}", r.name.fullname(None)),
        Schema::Enum(e) => format!("enum {}", e.name.fullname(None)),
        Schema::Fixed(f) => format!("fixed {} ({} bytes)", f.name.fullname(None), f.size),
        Schema::Decimal(d) => format!("decimal({}, {})", d.precision, d.scale),
        Schema::BigDecimal => "big-decimal".into(),
        Schema::Uuid => "string (uuid)".into(),
        Schema::Date => "string (date, YYYY-MM-DD)".into(),
        Schema::TimeMillis => "string (time-millis, HH:MM:SS[.fff])".into(),
        Schema::TimeMicros => "string (time-micros, HH:MM:SS[.ffffff])".into(),
        Schema::TimestampMillis => "string (timestamp-millis, RFC 3339)".into(),
        Schema::TimestampMicros => "string (timestamp-micros, RFC 3339)".into(),
        Schema::TimestampNanos => "string (timestamp-nanos, RFC 3339)".into(),
        Schema::LocalTimestampMillis | Schema::LocalTimestampMicros | Schema::LocalTimestampNanos => {
            "string (local date-time, YYYY-MM-DDTHH:MM:SS[.f])".into()
        }
        Schema::Duration => "duration {months, days, milliseconds}".into(),
        Schema::Ref { name } => name.fullname(None),
    }
}

fn expected(schema: &Schema, v: &Value) -> String {
    format!("expected {}, found {}", type_name(schema), found(v))
}

/// A value as problems show it: scalars as they are (long strings cut), containers by kind.
pub(crate) fn found(v: &Value) -> String {
    match v {
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
        Value::String(s) if s.chars().count() > 60 => {
            format!("\"{}…\"", s.chars().take(60).collect::<String>())
        }
        other => other.to_string(),
    }
}
