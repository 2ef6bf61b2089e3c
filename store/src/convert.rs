//! One value between its JSON form and its column's type, both ways. Reading is strict: a value
//! that its column cannot hold exactly gives `None` (the caller keeps it in `_unknown`); writing
//! gives the JSON form that the event type's decoders read (proto3 JSON for Protobuf, eventbind's
//! Avro JSON form for Avro).

use std::borrow::Cow;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, Engine, GeneralPurpose, GeneralPurposeConfig};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Timelike, Utc};
use serde_json::{Number, Value};

use crate::table::{BytesForm, Choice, Kind, Leaf};

/// A value in its column's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed<'a> {
    Str(Cow<'a, str>),
    Bool(bool),
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
    Bytes(Vec<u8>),
    /// Days since 1970-01-01.
    Date(i32),
    /// Microseconds since 1970-01-01T00:00:00 (UTC or wall clock), or since midnight.
    Micros(i64),
    /// The unscaled value.
    Decimal(i128),
}

const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");

fn lenient_base64(alphabet: &alphabet::Alphabet) -> GeneralPurpose {
    GeneralPurpose::new(alphabet, GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent))
}

/// The value of a leaf column, or `None` when the column cannot hold it exactly.
pub fn to_typed<'a>(leaf: &'a Leaf, v: &'a Value) -> Option<Typed<'a>> {
    Some(match leaf {
        Leaf::String | Leaf::Uuid => Typed::Str(Cow::Borrowed(v.as_str()?)),
        Leaf::Enum { values, numbers } => match v {
            Value::String(s) => Typed::Str(Cow::Borrowed(s)),
            Value::Number(n) if !numbers.is_empty() => {
                let n = i32::try_from(n.as_i64()?).ok()?;
                let i = numbers.iter().position(|x| *x == n)?;
                Typed::Str(Cow::Borrowed(values.get(i)?))
            }
            _ => return None,
        },
        Leaf::Json => Typed::Str(Cow::Owned(v.to_string())),
        Leaf::DecimalText => match v {
            Value::Number(n) => Typed::Str(Cow::Owned(n.to_string())),
            _ => return None,
        },
        Leaf::Boolean => Typed::Bool(v.as_bool()?),
        Leaf::Int32 { proto } => Typed::I32(i32::try_from(integer(v, *proto)?).ok()?),
        Leaf::Int64 { proto, .. } => Typed::I64(i64::try_from(integer(v, *proto)?).ok()?),
        Leaf::UInt64 { .. } => Typed::Decimal(u64::try_from(integer(v, true)?).ok()?.into()),
        Leaf::Float32 { proto } => {
            let f = float(v, *proto)?;
            if f.is_finite() && f.abs() > f64::from(f32::MAX) {
                return None;
            }
            Typed::F32(f as f32)
        }
        Leaf::Float64 { proto } => Typed::F64(float(v, *proto)?),
        Leaf::Bytes(BytesForm::Base64) => {
            let s = v.as_str()?;
            let bytes = lenient_base64(&alphabet::STANDARD)
                .decode(s)
                .or_else(|_| lenient_base64(&alphabet::URL_SAFE).decode(s))
                .ok()?;
            Typed::Bytes(bytes)
        }
        Leaf::Bytes(BytesForm::AvroArray) => match v {
            Value::Array(items) => Typed::Bytes(
                items.iter().map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok())).collect::<Option<Vec<u8>>>()?,
            ),
            Value::String(s) => {
                Typed::Bytes(s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect::<Option<Vec<u8>>>()?)
            }
            _ => return None,
        },
        Leaf::Date => {
            let d = NaiveDate::parse_from_str(v.as_str()?, "%Y-%m-%d").ok()?;
            Typed::Date(i32::try_from(d.signed_duration_since(EPOCH).num_days()).ok()?)
        }
        Leaf::Timestamp => Typed::Micros(DateTime::parse_from_rfc3339(v.as_str()?).ok()?.timestamp_micros()),
        Leaf::LocalTimestamp => Typed::Micros(v.as_str()?.parse::<NaiveDateTime>().ok()?.and_utc().timestamp_micros()),
        Leaf::TimeOfDay => {
            let t = v.as_str()?.parse::<NaiveTime>().ok()?;
            Typed::Micros(i64::from(t.num_seconds_from_midnight()) * 1_000_000 + i64::from(t.nanosecond() / 1_000))
        }
        Leaf::Decimal { precision, scale } => match v {
            Value::Number(n) => Typed::Decimal(unscaled(&n.to_string(), *precision, *scale)?),
            _ => return None,
        },
    })
}

/// An integer given as a JSON number without a fraction or, in proto3 JSON, a string holding one.
fn integer(v: &Value, text: bool) -> Option<i128> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1.8e19).map(|f| f as i128)),
        Value::String(s) if text => s.parse::<i128>().ok(),
        _ => None,
    }
}

fn float(v: &Value, text: bool) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if text => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            other => other.parse::<f64>().ok().filter(|f| f.is_finite()),
        },
        _ => None,
    }
}

/// The unscaled value of a decimal's text at `scale`, when it has at most `precision` digits and
/// no digit below the scale (rounding would change the event).
pub fn unscaled(text: &str, precision: u8, scale: i8) -> Option<i128> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let digits: String = whole.chars().chain(fraction.chars()).collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // value = digits × 10^(exponent − fraction.len()); unscaled = value × 10^scale.
    let shift = exponent - fraction.len() as i32 + i32::from(scale);
    let digits = digits.trim_start_matches('0');
    let mut value: i128 = 0;
    let kept = if shift >= 0 {
        digits.to_owned()
    } else {
        let cut = (-shift) as usize;
        if cut >= digits.len() {
            if digits.bytes().any(|b| b != b'0') {
                return None;
            }
            String::new()
        } else {
            let (keep, drop) = digits.split_at(digits.len() - cut);
            if drop.bytes().any(|b| b != b'0') {
                return None;
            }
            keep.to_owned()
        }
    };
    for b in kept.bytes() {
        value = value.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
    }
    if shift > 0 {
        value = value.checked_mul(10i128.checked_pow(shift as u32)?)?;
    }
    if value != 0 && value.unsigned_abs() >= 10u128.pow(u32::from(precision)) {
        return None;
    }
    Some(if negative { -value } else { value })
}

/// Whether a value fits a column (for the first-fit rule of untagged unions): its leaves convert,
/// its objects have the required fields.
pub fn fits(kind: &Kind, v: &Value) -> bool {
    if v.is_null() {
        return true;
    }
    match kind {
        Kind::Leaf(leaf) => to_typed(leaf, v).is_some(),
        Kind::Struct(columns) => v.as_object().is_some_and(|o| {
            columns.iter().all(|c| match o.get(&c.wire).or_else(|| c.alias.as_ref().and_then(|a| o.get(a))) {
                Some(x) => fits(&c.kind, x),
                None => !c.required || matches!(&c.kind, Kind::Union(u) if u.choice == Choice::Oneof),
            })
        }),
        Kind::List(item) => v.as_array().is_some_and(|items| items.iter().all(|x| fits(&item.kind, x))),
        Kind::Map(value) => v.as_object().is_some_and(|o| o.values().all(|x| fits(&value.kind, x))),
        Kind::Union(u) => match &u.choice {
            Choice::Discriminator { property, tags } => {
                let tag = v.get(property).and_then(Value::as_str);
                tags.iter().zip(&u.variants).any(|(t, c)| t.as_deref() == tag && tag.is_some() && fits(&c.kind, v))
            }
            _ => u.variants.iter().any(|c| fits(&c.kind, v)),
        },
    }
}

/// The JSON form of a leaf's value.
pub fn to_json(leaf: &Leaf, t: Typed<'_>) -> Value {
    match (leaf, t) {
        (Leaf::Json, Typed::Str(s)) => serde_json::from_str(&s).unwrap_or(Value::String(s.into_owned())),
        (Leaf::DecimalText, Typed::Str(s)) => {
            serde_json::from_str::<Number>(&s).map(Value::Number).unwrap_or(Value::String(s.into_owned()))
        }
        (_, Typed::Str(s)) => Value::String(s.into_owned()),
        (_, Typed::Bool(b)) => Value::Bool(b),
        (_, Typed::I32(i)) => Value::from(i),
        (Leaf::Int64 { quoted: true, .. }, Typed::I64(i)) => Value::String(i.to_string()),
        (_, Typed::I64(i)) => Value::from(i),
        (Leaf::Float32 { proto }, Typed::F32(f)) => float_json(f64::from(f), *proto),
        (Leaf::Float64 { proto }, Typed::F64(f)) => float_json(f, *proto),
        (_, Typed::F32(f)) => float_json(f64::from(f), false),
        (_, Typed::F64(f)) => float_json(f, false),
        (Leaf::Bytes(BytesForm::AvroArray), Typed::Bytes(b)) => Value::from(b),
        (_, Typed::Bytes(b)) => Value::String(base64::engine::general_purpose::STANDARD.encode(b)),
        (_, Typed::Date(days)) => match EPOCH.checked_add_signed(chrono::Duration::days(i64::from(days))) {
            Some(d) => Value::String(d.format("%Y-%m-%d").to_string()),
            None => Value::Null,
        },
        (Leaf::LocalTimestamp, Typed::Micros(us)) => match DateTime::from_timestamp_micros(us) {
            Some(t) => Value::String(t.naive_utc().format("%Y-%m-%dT%H:%M:%S%.f").to_string()),
            None => Value::Null,
        },
        (Leaf::TimeOfDay, Typed::Micros(us)) => Value::String(time_text(us)),
        (_, Typed::Micros(us)) => match DateTime::from_timestamp_micros(us) {
            Some(t) => Value::String(timestamp_text(t)),
            None => Value::Null,
        },
        (Leaf::UInt64 { quoted: true }, Typed::Decimal(v)) => Value::String(v.to_string()),
        (Leaf::UInt64 { quoted: false }, Typed::Decimal(v)) => match u64::try_from(v) {
            Ok(n) => Value::Number(n.into()),
            Err(_) => Value::String(v.to_string()),
        },
        (Leaf::Decimal { scale, .. }, Typed::Decimal(v)) => {
            let text = decimal_text(v, *scale);
            serde_json::from_str::<Number>(&text).map(Value::Number).unwrap_or(Value::String(text))
        }
        (_, Typed::Decimal(v)) => Value::String(v.to_string()),
    }
}

/// RFC 3339 in UTC with as many fractional digits as needed.
pub fn timestamp_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn time_text(micros: i64) -> String {
    let secs = u32::try_from(micros.div_euclid(1_000_000)).unwrap_or(0);
    let nanos = u32::try_from(micros.rem_euclid(1_000_000) * 1_000).unwrap_or(0);
    NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
        .map(|t| t.format("%H:%M:%S%.f").to_string())
        .unwrap_or_default()
}

fn float_json(f: f64, proto: bool) -> Value {
    match Number::from_f64(f) {
        Some(n) => Value::Number(n),
        None if proto => Value::String(
            if f.is_nan() {
                "NaN"
            } else if f > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            }
            .into(),
        ),
        None => Value::Null,
    }
}

/// An unscaled value's decimal text.
pub fn decimal_text(v: i128, scale: i8) -> String {
    if scale <= 0 {
        let mut s = v.to_string();
        if v != 0 {
            s.extend(std::iter::repeat_n('0', usize::from(scale.unsigned_abs())));
        }
        return s;
    }
    let scale = scale as usize;
    let digits = v.unsigned_abs().to_string();
    let digits = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = digits.split_at(digits.len() - scale);
    format!("{}{whole}.{fraction}", if v < 0 { "-" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decimals_are_exact_or_refused() {
        assert_eq!(unscaled("19.99", 12, 2), Some(1999));
        assert_eq!(unscaled("-0.5", 12, 2), Some(-50));
        assert_eq!(unscaled("1.5e3", 12, 2), Some(150_000));
        assert_eq!(unscaled("1e-2", 12, 2), Some(1));
        assert_eq!(unscaled("19.999", 12, 2), None, "a digit below the scale");
        assert_eq!(unscaled("1e9", 12, 2), Some(100_000_000_000));
        assert_eq!(unscaled("1e10", 12, 2), None, "13 digits in decimal(12,2)");
        assert_eq!(unscaled("0", 12, 2), Some(0));
        assert_eq!(decimal_text(1999, 2), "19.99");
        assert_eq!(decimal_text(-5, 2), "-0.05");
        assert_eq!(decimal_text(7, 0), "7");
    }

    #[test]
    fn proto3_json_scalars_read_and_write_their_forms() {
        let int64 = Leaf::Int64 { proto: true, quoted: true };
        assert_eq!(to_typed(&int64, &json!("9007199254740993")), Some(Typed::I64(9_007_199_254_740_993)));
        assert_eq!(to_json(&int64, Typed::I64(5)), json!("5"));
        assert_eq!(
            to_typed(&Leaf::UInt64 { quoted: true }, &json!("18446744073709551615")),
            Some(Typed::Decimal(u64::MAX.into()))
        );
        assert_eq!(to_typed(&Leaf::Int64 { proto: false, quoted: false }, &json!("5")), None);
        let f = Leaf::Float64 { proto: true };
        assert!(matches!(to_typed(&f, &json!("NaN")), Some(Typed::F64(x)) if x.is_nan()));
        assert_eq!(to_json(&f, Typed::F64(f64::NEG_INFINITY)), json!("-Infinity"));
        let b = Leaf::Bytes(BytesForm::Base64);
        assert_eq!(to_typed(&b, &json!("_-8")), Some(Typed::Bytes(vec![0xff, 0xef])), "URL-safe, unpadded");
        assert_eq!(to_json(&b, Typed::Bytes(vec![0xff, 0xef])), json!("/+8="));
        let e = Leaf::Enum { values: vec!["a".into(), "b".into()], numbers: vec![0, 4] };
        assert_eq!(to_typed(&e, &json!(4)), Some(Typed::Str(Cow::Borrowed("b"))));
        assert_eq!(to_typed(&e, &json!(3)), None);
    }

    #[test]
    fn times_are_micros() {
        assert_eq!(
            to_typed(&Leaf::Timestamp, &json!("2024-05-01T10:00:00.1234567+02:00")),
            Some(Typed::Micros(1_714_550_400_123_456))
        );
        assert_eq!(
            to_json(&Leaf::Timestamp, Typed::Micros(1_714_550_400_123_456)),
            json!("2024-05-01T08:00:00.123456Z")
        );
        assert_eq!(to_typed(&Leaf::TimeOfDay, &json!("10:15:30.5")), Some(Typed::Micros(36_930_500_000)));
        assert_eq!(to_json(&Leaf::TimeOfDay, Typed::Micros(36_930_500_000)), json!("10:15:30.500"));
        assert_eq!(to_typed(&Leaf::Date, &json!("1969-12-31")), Some(Typed::Date(-1)));
        let avro = Leaf::Bytes(BytesForm::AvroArray);
        assert_eq!(to_typed(&avro, &json!("\u{ff}a")), Some(Typed::Bytes(vec![255, 97])));
        assert_eq!(to_json(&avro, Typed::Bytes(vec![1, 2])), json!([1, 2]));
    }
}
