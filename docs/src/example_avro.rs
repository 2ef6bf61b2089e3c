//! An example payload made from an Avro schema, in the JSON form eventbind's runtime reads and
//! writes (see `validate::avro`): a field's default when it has one that is not `null` and fits
//! that form, else a value of its type: the first non-null branch of a union, the first symbol of
//! an enum, one item per array and map, fixed values for logical types. Deterministic.

use apache_avro::schema::Schema;
use serde_json::{json, Map, Value};

use super::example::{EXAMPLE_TIME, EXAMPLE_UUID};
use eventbind_validate::avro::AvroPayload;

/// Deeper than this, optional parts (nullable unions, arrays, maps, fields with defaults) are
/// left empty, so recursive types end.
const FULL_DEPTH: usize = 4;
/// Deeper than this, generation stops.
const MAX_DEPTH: usize = 24;

/// The example payload of an Avro event type.
pub(crate) fn payload(avro: &AvroPayload) -> Value {
    value(avro, avro.schema(), 0)
}

fn value(avro: &AvroPayload, schema: &Schema, depth: usize) -> Value {
    let Some(schema) = avro.deref(schema) else { return Value::Null };
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let shallow = depth < FULL_DEPTH;
    match schema {
        Schema::Null | Schema::BigDecimal | Schema::Ref { .. } => Value::Null,
        Schema::Boolean => Value::Bool(true),
        Schema::Int | Schema::Long => json!(1),
        Schema::Float | Schema::Double => json!(1.5),
        Schema::Bytes => Value::Array(b"example".iter().map(|b| json!(b)).collect()),
        Schema::Fixed(f) => Value::Array((0..f.size).map(|i| json!(i % 256)).collect()),
        Schema::String => json!("example"),
        Schema::Enum(e) => e.symbols.first().map_or(Value::Null, |s| json!(s)),
        Schema::Array(a) if shallow => json!([value(avro, &a.items, depth + 1)]),
        Schema::Array(_) => json!([]),
        Schema::Map(m) if shallow => json!({"key": value(avro, &m.types, depth + 1)}),
        Schema::Map(_) => json!({}),
        Schema::Union(u) => {
            let nullable = u.variants().iter().any(|s| matches!(s, Schema::Null));
            match u.variants().iter().find(|s| !matches!(s, Schema::Null)) {
                Some(branch) if shallow || !nullable => value(avro, branch, depth + 1),
                _ => Value::Null,
            }
        }
        Schema::Record(r) => {
            let mut out = Map::new();
            for field in &r.fields {
                let default = field.default.as_ref().filter(|d| !d.is_null() && avro.fits(d, &field.schema));
                let optional = field.default.is_some() || avro.fits(&Value::Null, &field.schema);
                let v = match default {
                    Some(d) => d.clone(),
                    None if optional && !shallow => continue,
                    None => value(avro, &field.schema, depth + 1),
                };
                out.insert(field.name.clone(), v);
            }
            Value::Object(out)
        }
        Schema::Decimal(d) if d.precision > d.scale => json!(1),
        Schema::Decimal(_) => json!(0),
        Schema::Uuid => json!(EXAMPLE_UUID),
        Schema::Date => json!("2024-05-01"),
        Schema::TimeMillis | Schema::TimeMicros => json!("12:00:00"),
        Schema::TimestampMillis | Schema::TimestampMicros | Schema::TimestampNanos => json!(EXAMPLE_TIME),
        Schema::LocalTimestampMillis | Schema::LocalTimestampMicros | Schema::LocalTimestampNanos => {
            json!("2024-05-01T12:00:00")
        }
        Schema::Duration => json!({"months": 0, "days": 1, "milliseconds": 0}),
    }
}
