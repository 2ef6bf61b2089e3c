//! The direct datum decoder against the apache-avro path: random datums of a schema with every
//! Avro type (encoded by apache-avro) read into the JSON form both ways must be equal; bad and
//! hostile datums must be errors, never panics.

use std::collections::HashMap;

use apache_avro::schema::{Name, ResolvedSchema};
use apache_avro::types::Value;
use apache_avro::Schema;
use serde_json::Value as Json;

use super::compiled::Compiled;
use super::datum_de::{self, DeError, MAX_DEPTH};
use super::{to_json, Names};

/// Every Avro type and logical type, nested, with a recursive record.
const ALL: &str = r#"{
  "type": "record", "name": "All", "namespace": "t",
  "fields": [
    {"name": "n", "type": "null"},
    {"name": "b", "type": "boolean"},
    {"name": "i", "type": "int"},
    {"name": "l", "type": "long"},
    {"name": "f", "type": "float"},
    {"name": "d", "type": "double"},
    {"name": "bytes", "type": "bytes"},
    {"name": "s", "type": "string"},
    {"name": "e", "type": {"type": "enum", "name": "Colour", "symbols": ["red", "green", "blue"]}},
    {"name": "fx", "type": {"type": "fixed", "name": "Four", "size": 4}},
    {"name": "arr", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
      {"name": "sku", "type": "string"},
      {"name": "colour", "type": ["null", "Colour"]},
      {"name": "four", "type": "Four"}
    ]}}},
    {"name": "m", "type": {"type": "map", "values": ["null", "long", "string"]}},
    {"name": "u", "type": ["null", "string", "Item", {"type": "array", "items": "double"}]},
    {"name": "nested", "type": {"type": "map", "values": {"type": "array", "items": {"type": "map", "values": "int"}}}},
    {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 30, "scale": 3}},
    {"name": "decf", "type": {"type": "fixed", "name": "Dec8", "size": 8, "logicalType": "decimal", "precision": 18, "scale": 2}},
    {"name": "uuid", "type": {"type": "string", "logicalType": "uuid"}},
    {"name": "date", "type": {"type": "int", "logicalType": "date"}},
    {"name": "tms", "type": {"type": "int", "logicalType": "time-millis"}},
    {"name": "tus", "type": {"type": "long", "logicalType": "time-micros"}},
    {"name": "tsms", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "tsus", "type": {"type": "long", "logicalType": "timestamp-micros"}},
    {"name": "tsns", "type": {"type": "long", "logicalType": "timestamp-nanos"}},
    {"name": "ltms", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
    {"name": "ltus", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
    {"name": "ltns", "type": {"type": "long", "logicalType": "local-timestamp-nanos"}},
    {"name": "dur", "type": {"type": "fixed", "name": "Dur", "size": 12, "logicalType": "duration"}},
    {"name": "opt_dec", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 1}]},
    {"name": "opt_f", "type": ["null", "float"]},
    {"name": "list", "type": ["null", {"type": "record", "name": "Node", "fields": [
      {"name": "v", "type": "int"},
      {"name": "next", "type": ["null", "Node"]}
    ]}]}
  ]
}"#;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.below((hi - lo) as u64 + 1) as i64)
    }

    fn string(&mut self) -> String {
        const PARTS: [&str; 8] = ["a", "Zz", "é", "日本", "🦆", " ", "\"", "0"];
        (0..self.below(6)).map(|_| PARTS[self.below(8) as usize]).collect()
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    fn float(&mut self) -> f64 {
        match self.below(8) {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => -0.0,
            3 => 1e300,
            _ => (self.next() as i64 as f64) / 1e6,
        }
    }
}

fn value(schema: &Schema, names: &HashMap<Name, &Schema>, rng: &mut Rng, depth: usize) -> Value {
    match schema {
        Schema::Null => Value::Null,
        Schema::Boolean => Value::Boolean(rng.below(2) == 1),
        Schema::Int => Value::Int(rng.next() as i32 >> rng.below(32)),
        Schema::Long => Value::Long(rng.next() as i64 >> rng.below(64)),
        Schema::Float => Value::Float(rng.float() as f32),
        Schema::Double => Value::Double(rng.float()),
        Schema::Bytes => Value::Bytes({
            let n = rng.below(5) as usize;
            rng.bytes(n)
        }),
        Schema::String => Value::String(rng.string()),
        Schema::Array(a) => {
            let n = if depth > 3 { 0 } else { rng.below(4) };
            Value::Array((0..n).map(|_| value(&a.items, names, rng, depth + 1)).collect())
        }
        Schema::Map(m) => {
            let n = if depth > 3 { 0 } else { rng.below(4) };
            Value::Map(
                (0..n).map(|i| (format!("{}{i}", rng.string()), value(&m.types, names, rng, depth + 1))).collect(),
            )
        }
        Schema::Union(u) => {
            // Deep down, take the null branch (recursive types end).
            let i = if depth > 5 { 0 } else { rng.below(u.variants().len() as u64) as usize };
            Value::Union(i as u32, Box::new(value(&u.variants()[i], names, rng, depth + 1)))
        }
        Schema::Record(r) => {
            Value::Record(r.fields.iter().map(|f| (f.name.clone(), value(&f.schema, names, rng, depth + 1))).collect())
        }
        Schema::Enum(e) => {
            let i = rng.below(e.symbols.len() as u64) as usize;
            Value::Enum(i as u32, e.symbols[i].clone())
        }
        Schema::Fixed(f) => Value::Fixed(f.size, rng.bytes(f.size)),
        Schema::Decimal(d) => {
            let n = match &*d.inner {
                Schema::Fixed(f) => f.size,
                _ => 1 + rng.below(12) as usize,
            };
            Value::Decimal(apache_avro::Decimal::from(rng.bytes(n)))
        }
        Schema::Uuid => Value::Uuid(uuid::Uuid::from_u128(u128::from(rng.next()) << 64 | u128::from(rng.next()))),
        Schema::Date => Value::Date(rng.range(-700_000, 2_900_000) as i32),
        Schema::TimeMillis => Value::TimeMillis(rng.range(0, 86_399_999) as i32),
        Schema::TimeMicros => Value::TimeMicros(rng.range(0, 86_399_999_999)),
        Schema::TimestampMillis => Value::TimestampMillis(rng.range(-60_000_000_000_000, 250_000_000_000_000)),
        Schema::TimestampMicros => Value::TimestampMicros(rng.range(-60_000_000_000_000_000, 250_000_000_000_000_000)),
        Schema::TimestampNanos => Value::TimestampNanos(rng.next() as i64),
        Schema::LocalTimestampMillis => {
            Value::LocalTimestampMillis(rng.range(-60_000_000_000_000, 250_000_000_000_000))
        }
        Schema::LocalTimestampMicros => {
            Value::LocalTimestampMicros(rng.range(-60_000_000_000_000_000, 250_000_000_000_000_000))
        }
        Schema::LocalTimestampNanos => Value::LocalTimestampNanos(rng.next() as i64),
        Schema::Duration => Value::Duration(apache_avro::Duration::new(
            apache_avro::Months::new(rng.next() as u32),
            apache_avro::Days::new(rng.next() as u32),
            apache_avro::Millis::new(rng.next() as u32),
        )),
        Schema::Ref { name } => value(names[name], names, rng, depth),
        other => panic!("no generator for {other:?}"),
    }
}

fn schema(text: &str) -> &'static Schema {
    Box::leak(Box::new(Schema::parse_str(text).unwrap()))
}

/// The JSON form through apache-avro's `Value` (the reference).
fn via_value(schema: &Schema, bytes: &[u8]) -> Result<Json, String> {
    let mut input = bytes;
    let value = apache_avro::from_avro_datum(schema, &mut input, None).map_err(|e| e.to_string())?;
    if !input.is_empty() {
        return Err(format!("{} bytes left after the datum", input.len()));
    }
    let names = Names::of(schema).map_err(|e| e.to_string())?;
    to_json(&value, schema, &names)
}

fn direct(schema: &'static Schema, bytes: &[u8]) -> Result<Json, DeError> {
    datum_de::from_slice(Compiled::of_static(schema).unwrap(), bytes)
}

#[test]
fn random_datums_decode_to_the_same_json_form_both_ways() {
    let all = schema(ALL);
    let resolved = ResolvedSchema::try_from(all).unwrap();
    let names: HashMap<Name, &Schema> = resolved.get_names().iter().map(|(n, s)| (n.clone(), *s)).collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut compared = 0;
    for round in 0..2_000 {
        let v = value(all, &names, &mut rng, 0);
        let bytes = apache_avro::to_avro_datum(all, v.clone()).unwrap_or_else(|e| panic!("round {round}: {e}: {v:?}"));
        let reference = via_value(all, &bytes);
        let got = direct(all, &bytes);
        match (&reference, &got) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "round {round}");
                compared += 1;
            }
            // Out-of-range logical values fail on both paths.
            (Err(_), Err(DeError::Binary(_))) => {}
            _ => panic!("round {round}: the paths disagree: {reference:?} vs {got:?}"),
        }
    }
    assert!(compared > 1_900, "only {compared} datums decoded");
}

#[test]
fn every_prefix_and_mutation_of_a_datum_is_handled_without_panic() {
    let all = schema(ALL);
    let resolved = ResolvedSchema::try_from(all).unwrap();
    let names: HashMap<Name, &Schema> = resolved.get_names().iter().map(|(n, s)| (n.clone(), *s)).collect();
    let mut rng = Rng(7);
    for _ in 0..50 {
        let bytes = apache_avro::to_avro_datum(all, value(all, &names, &mut rng, 0)).unwrap();
        if via_value(all, &bytes).is_err() {
            continue;
        }
        for cut in 0..bytes.len() {
            assert!(matches!(direct(all, &bytes[..cut]), Err(DeError::Binary(_))), "a prefix of {cut} bytes decoded");
        }
        for _ in 0..40 {
            let mut bad = bytes.clone();
            let at = rng.below(bad.len() as u64) as usize;
            bad[at] = rng.next() as u8;
            // Whatever the direct path accepts, apache-avro reads the same way.
            if let Ok(got) = direct(all, &bad) {
                assert_eq!(via_value(all, &bad), Ok(got));
            }
        }
    }
}

#[test]
fn blocks_with_negative_counts_and_byte_sizes_read_like_apache_avro() {
    let s = schema(r#"{"type": "map", "values": {"type": "array", "items": "int"}}"#);
    // map: block of -1 entry (size 9): "k" -> array [block -2 (size 2): 1, 2; block 1: 3; end]; end
    let bytes = [1, 18, 2, b'k', 3, 4, 2, 4, 2, 6, 0, 0];
    let expected = via_value(s, &bytes).unwrap();
    assert_eq!(expected, serde_json::json!({"k": [1, 2, 3]}));
    assert_eq!(direct(s, &bytes).unwrap(), expected);
}

fn zigzag(n: i64) -> Vec<u8> {
    let mut z = ((n << 1) ^ (n >> 63)) as u64;
    let mut out = Vec::new();
    while z > 0x7f {
        out.push((z as u8 & 0x7f) | 0x80);
        z >>= 7;
    }
    out.push(z as u8);
    out
}

fn binary_error(result: Result<Json, DeError>) -> String {
    match result {
        Err(DeError::Binary(m)) => m,
        other => panic!("expected a binary error, got {other:?}"),
    }
}

#[test]
fn bad_datums_are_clear_errors() {
    let s = schema(
        r#"{"type": "record", "name": "R", "fields": [
        {"name": "u", "type": ["null", "string"]},
        {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["a", "b"]}}]}"#,
    );
    assert_eq!(direct(s, &[2, 2, b'x', 2]).unwrap(), serde_json::json!({"u": "x", "e": "b"}));
    assert!(binary_error(direct(s, &[4, 2])).contains("union index 2 out of range"));
    assert!(binary_error(direct(s, &[0, 4])).contains("enum index 2 out of range"));
    assert!(binary_error(direct(s, &[0, 1])).contains("enum index -1 out of range"));
    assert!(binary_error(direct(s, &[2, 2, 0xff, 0])).contains("invalid UTF-8"));
    assert!(binary_error(direct(s, &[2, 2])).contains("truncated"));
    assert!(binary_error(direct(s, &[0, 0, 9, 9])).contains("2 bytes left after the datum"));
    assert!(binary_error(direct(s, &[0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1]))
        .contains("longer than 10 bytes"));
    let b = schema(r#""boolean""#);
    assert!(binary_error(direct(b, &[2])).contains("invalid boolean byte 2"));
}

#[test]
fn hostile_lengths_and_counts_allocate_nothing_big() {
    // A string claiming 2^62 bytes, an array claiming 2^62 items, a map claiming as many entries:
    // each is rejected against the bytes left before anything is allocated.
    let huge = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
    let s = schema(r#""string""#);
    assert!(binary_error(direct(s, &huge)).contains("truncated"));
    let a = schema(r#"{"type": "array", "items": "long"}"#);
    assert!(binary_error(direct(a, &huge)).contains("announces"));
    let m = schema(r#"{"type": "map", "values": "null"}"#);
    assert!(binary_error(direct(m, &huge)).contains("announces"));
    assert!(binary_error(direct(a, &[1])).contains("truncated"));
    // Items that take no bytes cannot be bounded by the input: their number is capped.
    let nulls = schema(r#"{"type": "array", "items": "null"}"#);
    let mut many = zigzag(10_000_000);
    many.push(0);
    assert!(binary_error(direct(nulls, &many)).contains("items of an empty type"));
    let few = [6, 0];
    assert_eq!(direct(nulls, &few).unwrap(), serde_json::json!([null, null, null]));
}

#[test]
fn nesting_is_bounded() {
    let list = schema(r#"{"type": "record", "name": "L", "fields": [{"name": "next", "type": ["null", "L"]}]}"#);
    let nested = |levels: usize| {
        let mut bytes = vec![2u8; levels - 1];
        bytes.push(0);
        bytes
    };
    assert!(direct(list, &nested(MAX_DEPTH)).is_ok());
    assert!(binary_error(direct(list, &nested(MAX_DEPTH + 1))).contains("nests deeper"));
    // Far deeper input fails just as fast, without exhausting the stack.
    assert!(binary_error(direct(list, &nested(1_000_000))).contains("nests deeper"));
}

#[test]
fn empty_decimals_fail_on_both_paths() {
    let d = schema(r#"{"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}"#);
    assert!(via_value(d, &[0]).is_err());
    assert!(binary_error(direct(d, &[0])).contains("decimal"));
    assert_eq!(direct(d, &[2, 0x9c]).unwrap(), via_value(d, &[2, 0x9c]).unwrap());
}
