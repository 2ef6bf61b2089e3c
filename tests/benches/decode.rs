//! Decode throughput of one general event of about 1 KiB (`fixtures/bench/telemetry_1k.json`,
//! `device.telemetry_reported`: nested arrays, unknown fields at the top level, in metadata, in a
//! nested object and in array items), all variants on the same compact bytes:
//!
//! - `handwritten_flat`: the baseline, a plain `#[derive(Deserialize)]` struct with the same
//!   fields and field types as the generated one (unknown fields ignored, as derive does).
//! - `generated_ignore`, `generated_preserve`: the generated type under each policy.
//! - `generic_general_event`: `eventbind::GeneralEvent<P>` around a derived payload struct.
//! - `derived_general_event`: `eventbind::GeneralEvent<P>` around a `#[derive(eventbind::Event)]`
//!   payload with the same fields (the hand-written event path).
//! - `serde_flatten`: `{ metadata, #[serde(flatten)] payload }` with derive.
//! - `serde_json_value`: `serde_json::Value`.
//!
//! The `json_helper` group compares `eventbind::json::from_slice` with `serde_json::from_slice`
//! on the generated type: the helper only does extra work when decoding fails.
//!
//! Run: `cargo bench -p eventbind-tests --bench decode`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eventbind::GeneralEvent;
use eventbind_tests::{ignore, preserve};

type GeneratedIgnore = ignore::device::TelemetryReported;
type GeneratedPreserve = preserve::device::TelemetryReported;

/// Hand-written equivalents of the generated types: same field names, types and optionality.
#[allow(dead_code)] // Fields are there to be decoded; the benchmark reads only a few.
mod baseline {
    use std::collections::BTreeMap;

    use chrono::{DateTime, Utc};
    use serde::Deserialize;
    use uuid::Uuid;

    /// The fields of `eventbind::EventMetadata`, without keeping unknown ones.
    #[derive(Debug, Deserialize)]
    pub struct Metadata {
        pub eid: Uuid,
        pub occurred_at: DateTime<Utc>,
        pub event_type: Option<String>,
        pub received_at: Option<DateTime<Utc>>,
        pub version: Option<String>,
        #[serde(default)]
        pub parent_eids: Vec<Uuid>,
        pub flow_id: Option<String>,
        pub partition: Option<String>,
        pub tenant_id: Option<String>,
        pub trace_id: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Status {
        Ok,
        Degraded,
        Fault,
    }

    #[derive(Debug, Deserialize)]
    pub struct GeoPoint {
        pub lat: f64,
        pub lon: f64,
    }

    #[derive(Debug, Deserialize)]
    pub struct Reading {
        pub sensor: String,
        pub unit: String,
        pub samples: Vec<Sample>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Sample {
        pub at: DateTime<Utc>,
        pub value: SampleValue,
    }

    /// `anyOf: [number, string]`.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    pub enum SampleValue {
        Number(f64),
        String(String),
    }

    fn default_sample_interval_s() -> i32 {
        60
    }

    /// The baseline: metadata and payload fields in one derived struct.
    #[derive(Debug, Deserialize)]
    pub struct Flat {
        pub metadata: Metadata,
        pub device_id: String,
        pub sequence: i64,
        pub reported_at: DateTime<Utc>,
        pub status: Status,
        #[serde(default = "default_sample_interval_s")]
        pub sample_interval_s: i32,
        pub labels: Option<BTreeMap<String, String>>,
        pub location: Option<GeoPoint>,
        pub readings: Vec<Reading>,
        pub heatmap: Option<Vec<Vec<f64>>>,
    }

    /// The payload fields only, for the generic envelope and for flatten.
    #[derive(Debug, Deserialize)]
    pub struct Payload {
        pub device_id: String,
        pub sequence: i64,
        pub reported_at: DateTime<Utc>,
        pub status: Status,
        #[serde(default = "default_sample_interval_s")]
        pub sample_interval_s: i32,
        pub labels: Option<BTreeMap<String, String>>,
        pub location: Option<GeoPoint>,
        pub readings: Vec<Reading>,
        pub heatmap: Option<Vec<Vec<f64>>>,
    }

    /// The payload as a hand-written event: `derive(eventbind::Event)` beside serde's derive.
    #[derive(Debug, Deserialize, eventbind::Event)]
    #[event(
        name = "device.telemetry_reported",
        category = "general",
        owning_application = "device-gateway",
        partition_key = ["device_id"]
    )]
    pub struct Derived {
        pub device_id: String,
        pub sequence: i64,
        pub reported_at: DateTime<Utc>,
        pub status: Status,
        #[serde(default = "default_sample_interval_s")]
        pub sample_interval_s: i32,
        pub labels: Option<BTreeMap<String, String>>,
        pub location: Option<GeoPoint>,
        pub readings: Vec<Reading>,
        pub heatmap: Option<Vec<Vec<f64>>>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Flattened {
        pub metadata: Metadata,
        #[serde(flatten)]
        pub payload: Payload,
    }
}

/// JSON text without the whitespace between tokens (strings untouched), keeping key order.
fn compact(pretty: &[u8]) -> Vec<u8> {
    let (mut out, mut in_string, mut escaped) = (Vec::with_capacity(pretty.len()), false, false);
    for &b in pretty {
        if in_string {
            out.push(b);
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if !b.is_ascii_whitespace() {
            in_string = b == b'"';
            out.push(b);
        }
    }
    out
}

fn document() -> Vec<u8> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/bench/telemetry_1k.json");
    let pretty = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let json = compact(&pretty);
    let parsed: serde_json::Value = serde_json::from_slice(&json).expect("compacting keeps the document valid");
    assert_eq!(parsed, serde_json::from_slice::<serde_json::Value>(&pretty).unwrap());
    assert!((900..=1200).contains(&json.len()), "the document is {} bytes compact", json.len());
    json
}

/// Every variant decodes the document, and they agree with each other: a broken bench fails here.
fn check_variants(json: &[u8]) {
    let base: baseline::Flat = serde_json::from_slice(json).expect("handwritten_flat");
    let ignore: GeneratedIgnore = serde_json::from_slice(json).expect("generated_ignore");
    let preserve: GeneratedPreserve = serde_json::from_slice(json).expect("generated_preserve");
    let generic: GeneralEvent<baseline::Payload> = serde_json::from_slice(json).expect("generic_general_event");
    let derived: GeneralEvent<baseline::Derived> = serde_json::from_slice(json).expect("derived_general_event");
    let flattened: baseline::Flattened = serde_json::from_slice(json).expect("serde_flatten");
    let value: serde_json::Value = serde_json::from_slice(json).expect("serde_json_value");
    let helper: GeneratedIgnore = eventbind::json::from_slice(json).expect("eventbind::json::from_slice");
    assert_eq!(helper, ignore);

    assert_eq!(base.metadata.eid, ignore.metadata.eid);
    assert_eq!(base.metadata.received_at, ignore.metadata.received_at.map(|t| t.to_utc()));
    assert_eq!(base.metadata.flow_id, ignore.metadata.flow_id);
    assert_eq!(base.device_id, ignore.device_id);
    assert_eq!(base.sequence, 9_007_199_254_740_993);
    assert_eq!(base.sequence, ignore.sequence);
    assert_eq!(base.reported_at, ignore.reported_at);
    assert_eq!(base.status, baseline::Status::Degraded);
    assert_eq!(ignore.status.as_str(), "degraded");
    assert_eq!(base.sample_interval_s, ignore.sample_interval_s);
    assert_eq!(base.labels, ignore.labels);
    assert_eq!(base.location.as_ref().map(|l| (l.lat, l.lon)), ignore.location.as_ref().map(|l| (l.lat, l.lon)));
    assert_eq!(base.heatmap, ignore.heatmap);
    assert_eq!(base.readings.len(), ignore.readings.len());
    for (b, g) in base.readings.iter().zip(&ignore.readings) {
        assert_eq!((&b.sensor, &b.unit, b.samples.len()), (&g.sensor, &g.unit, g.samples.len()));
        for (bs, gs) in b.samples.iter().zip(&g.samples) {
            assert_eq!(bs.at, gs.at);
            match (&bs.value, &gs.value) {
                (
                    baseline::SampleValue::Number(x),
                    ignore::files::schemas::telemetry_reported::SampleValue::Number(y),
                ) => assert_eq!(x, y),
                (
                    baseline::SampleValue::String(x),
                    ignore::files::schemas::telemetry_reported::SampleValue::String(y),
                ) => assert_eq!(x, y),
                other => panic!("sample values differ: {other:?}"),
            }
        }
    }
    // Metadata keeps what it does not know under every policy; payload types only under preserve.
    assert!(ignore.metadata.extra.contains_key("published_by"));
    assert!(preserve.unknown_fields.contains_key("firmware_build"));
    assert!(preserve.location.as_ref().unwrap().unknown_fields.contains_key("accuracy_m"));
    assert!(preserve.readings[0].unknown_fields.contains_key("calibration_id"));
    assert!(preserve.readings[0].samples[1].unknown_fields.contains_key("raw"));
    assert_eq!(preserve.sequence, ignore.sequence);

    assert_eq!(generic.metadata, ignore.metadata);
    assert_eq!(generic.payload.device_id, base.device_id);
    assert_eq!(generic.payload.readings.len(), base.readings.len());
    assert_eq!(derived.metadata, ignore.metadata);
    assert_eq!(derived.payload.sequence, base.sequence);
    assert_eq!(derived.payload.heatmap, base.heatmap);
    assert_eq!(derived.payload.readings[2].samples.len(), base.readings[2].samples.len());
    assert_eq!(flattened.metadata.eid, base.metadata.eid);
    assert_eq!(flattened.payload.sequence, base.sequence);
    assert_eq!(flattened.payload.readings[2].samples.len(), base.readings[2].samples.len());
    assert_eq!(value["sequence"].as_i64(), Some(base.sequence));
}

fn decode(c: &mut Criterion) {
    let json = document();
    check_variants(&json);
    let json = json.as_slice();

    let mut group = c.benchmark_group("decode_telemetry_1k");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("handwritten_flat", |b| {
        b.iter(|| serde_json::from_slice::<baseline::Flat>(black_box(json)).unwrap())
    });
    group.bench_function("generated_ignore", |b| {
        b.iter(|| serde_json::from_slice::<GeneratedIgnore>(black_box(json)).unwrap())
    });
    group.bench_function("generated_preserve", |b| {
        b.iter(|| serde_json::from_slice::<GeneratedPreserve>(black_box(json)).unwrap())
    });
    group.bench_function("generic_general_event", |b| {
        b.iter(|| serde_json::from_slice::<GeneralEvent<baseline::Payload>>(black_box(json)).unwrap())
    });
    group.bench_function("derived_general_event", |b| {
        b.iter(|| serde_json::from_slice::<GeneralEvent<baseline::Derived>>(black_box(json)).unwrap())
    });
    group.bench_function("serde_flatten", |b| {
        b.iter(|| serde_json::from_slice::<baseline::Flattened>(black_box(json)).unwrap())
    });
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(json)).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("json_helper");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("serde_json_from_slice", |b| {
        b.iter(|| serde_json::from_slice::<GeneratedIgnore>(black_box(json)).unwrap())
    });
    group.bench_function("eventbind_json_from_slice", |b| {
        b.iter(|| eventbind::json::from_slice::<GeneratedIgnore>(black_box(json)).unwrap())
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = decode
}
criterion_main!(benches);
