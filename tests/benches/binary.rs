//! Binary decode throughput of the generated Avro and Protobuf twins of `payment.refund_issued`
//! against the libraries used directly, on the same bytes in the same run:
//!
//! - `avro/generated`: `eventbind::avro::from_datum::<RefundIssuedAvro>` (metadata from headers,
//!   writer = reader schema), the generated type's full decode: the datum read directly into the
//!   generated type.
//! - `avro/generated_via_value`: `eventbind::avro::from_datum_resolved`, the schema-evolution path
//!   (apache-avro `Value`, the JSON form, serde), on the same bytes.
//! - `avro/apache_avro_value`: `apache_avro::from_avro_datum` into the generic `Value`, no reader
//!   schema (the library's own generic path; no metadata).
//! - `protobuf_payload/generated_prost`: the generated prost payload type alone,
//!   `prost::Message::decode`.
//! - `protobuf_payload/handwritten_prost`: a hand-written `#[derive(prost::Message)]` struct with
//!   the same fields, decoded the same way.
//! - `metadata_from_headers/generated` and `/handwritten`: the metadata headers alone, read by
//!   `EventMetadata::from_headers` and by the hand-written reader of the baseline below.
//! - `protobuf/generated`: `eventbind::protobuf::from_datum::<RefundIssuedProto>` (metadata from
//!   headers, the prost payload decoded).
//! - `protobuf/handwritten_prost_and_headers`: the hand-written struct decoded and the same
//!   headers read by hand into a hand-written metadata struct (UUIDs and RFC 3339 parsed, strings
//!   copied), so both sides do the same work.
//!
//! Run: `cargo bench -p eventbind-tests --bench binary -- --warm-up-time 1 --measurement-time 5`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eventbind::headers::ContentType;
use eventbind::{avro, json, protobuf};
use eventbind_tests::ignore::payment::{RefundIssuedAvro, RefundIssuedProto};
use eventbind_tests::ignore::proto::shop::payment::v1 as pb;

/// The Protobuf message written by hand, as a prost user would.
#[allow(dead_code)] // Fields are there to be decoded.
mod handwritten {
    use std::collections::HashMap;

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Money {
        #[prost(double, tag = "1")]
        pub amount: f64,
        #[prost(string, tag = "2")]
        pub currency: String,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct RefundedItem {
        #[prost(string, tag = "1")]
        pub sku: String,
        #[prost(int32, tag = "2")]
        pub quantity: i32,
        #[prost(message, optional, tag = "3")]
        pub amount: Option<Money>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Timestamp {
        #[prost(int64, tag = "1")]
        pub seconds: i64,
        #[prost(int32, tag = "2")]
        pub nanos: i32,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct RefundIssued {
        #[prost(string, tag = "1")]
        pub refund_id: String,
        #[prost(string, tag = "2")]
        pub payment_id: String,
        #[prost(string, tag = "3")]
        pub order_number: String,
        #[prost(message, optional, tag = "4")]
        pub issued_at: Option<Timestamp>,
        #[prost(message, optional, tag = "5")]
        pub amount: Option<Money>,
        #[prost(int32, tag = "6")]
        pub reason: i32,
        #[prost(bool, tag = "7")]
        pub partial: bool,
        #[prost(string, tag = "8")]
        pub initiated_by: String,
        #[prost(message, repeated, tag = "9")]
        pub refunded_items: Vec<RefundedItem>,
        #[prost(map = "string, string", tag = "10")]
        pub labels: HashMap<String, String>,
        #[prost(string, optional, tag = "11")]
        pub note: Option<String>,
        #[prost(string, optional, tag = "12")]
        pub iban: Option<String>,
        #[prost(int64, tag = "17")]
        pub sequence: i64,
        #[prost(bytes = "vec", tag = "18")]
        pub receipt: Vec<u8>,
    }
}

/// The metadata headers read by hand, as a consumer without generated code would.
#[allow(dead_code)] // Fields are there to be decoded.
#[derive(Debug, Default)]
struct HandMetadata {
    eid: Option<uuid::Uuid>,
    occurred_at: Option<chrono::DateTime<chrono::Utc>>,
    event_type: Option<String>,
    received_at: Option<chrono::DateTime<chrono::Utc>>,
    version: Option<String>,
    parent_eids: Vec<uuid::Uuid>,
    flow_id: Option<String>,
    partition: Option<String>,
    tenant_id: Option<String>,
    trace_id: Option<String>,
}

fn hand_metadata(headers: &[(String, Vec<u8>)]) -> HandMetadata {
    let mut m = HandMetadata::default();
    for (name, value) in headers {
        let text = std::str::from_utf8(value).unwrap();
        let time = || chrono::DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&chrono::Utc);
        match name.as_str() {
            "eventbind-eid" => m.eid = Some(uuid::Uuid::parse_str(text).unwrap()),
            "eventbind-occurred-at" => m.occurred_at = Some(time()),
            "eventbind-received-at" => m.received_at = Some(time()),
            "eventbind-event-type" => m.event_type = Some(text.to_owned()),
            "eventbind-schema-version" => m.version = Some(text.to_owned()),
            "eventbind-parent-eids" => {
                m.parent_eids = text.split(',').map(|e| uuid::Uuid::parse_str(e).unwrap()).collect()
            }
            "eventbind-flow-id" => m.flow_id = Some(text.to_owned()),
            "eventbind-partition" => m.partition = Some(text.to_owned()),
            "eventbind-tenant-id" => m.tenant_id = Some(text.to_owned()),
            "eventbind-trace-id" => m.trace_id = Some(text.to_owned()),
            _ => {}
        }
    }
    assert!(m.eid.is_some() && m.occurred_at.is_some());
    m
}

fn document(event_type: &str) -> serde_json::Value {
    let items: Vec<serde_json::Value> = (0..6)
        .map(|i| serde_json::json!({"sku": format!("SKU-{i:04}"), "quantity": i + 1, "amount": {"amount": 1.5 * f64::from(i), "currency": "EUR"}}))
        .collect();
    serde_json::json!({
        "metadata": {"eid": "5a9cf2a3-286e-5823-ac20-ac75928db4ce", "occurred_at": "2024-05-22T09:10:11Z",
                     "event_type": event_type, "flow_id": "flow-1", "tenant_id": "shop-eu"},
        "refund_id": "7d153a66-8223-525b-8e7e-0da85ad8fe3b",
        "payment_id": "33c0c383-db6d-56f1-b520-b1a419bbd1cf",
        "order_number": "ORD-1001",
        "issued_at": "2024-05-20T14:01:55Z",
        "amount": {"amount": 15.9, "currency": "EUR"},
        "reason": "damaged",
        "partial": true,
        "initiated_by": "returns-center",
        "refunded_items": items,
        "labels": {"source": "bench", "region": "eu"}
    })
}

fn avro_decode(c: &mut Criterion) {
    let event: RefundIssuedAvro = json::from_value(&document("payment.refund_issued_avro")).unwrap();
    let message = avro::to_message(&event, ContentType::Avro, None).unwrap();
    let schema = <RefundIssuedAvro as avro::AvroEvent>::avro_schema();
    let mut group = c.benchmark_group("avro");
    group.throughput(Throughput::Bytes(message.payload.len() as u64));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("generated", |b| {
        b.iter(|| {
            let e: RefundIssuedAvro = avro::from_datum(&message.headers, None, black_box(&message.payload)).unwrap();
            black_box(e)
        })
    });
    group.bench_function("generated_via_value", |b| {
        b.iter(|| {
            let e: RefundIssuedAvro =
                avro::from_datum_resolved(&message.headers, None, black_box(&message.payload)).unwrap();
            black_box(e)
        })
    });
    group.bench_function("apache_avro_value", |b| {
        b.iter(|| {
            let mut bytes = black_box(&message.payload[..]);
            black_box(apache_avro::from_avro_datum(schema, &mut bytes, None).unwrap())
        })
    });
    group.finish();
}

fn protobuf_decode(c: &mut Criterion) {
    let event: RefundIssuedProto = json::from_value(&document("payment.refund_issued_proto")).unwrap();
    let message = protobuf::to_message(&event, ContentType::Protobuf, None).unwrap();
    let mut group = c.benchmark_group("protobuf_payload");
    group.throughput(Throughput::Bytes(message.payload.len() as u64));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("generated_prost", |b| {
        b.iter(|| {
            let m = <pb::RefundIssued as prost::Message>::decode(black_box(&message.payload[..])).unwrap();
            black_box(m)
        })
    });
    group.bench_function("handwritten_prost", |b| {
        b.iter(|| {
            let m = <handwritten::RefundIssued as prost::Message>::decode(black_box(&message.payload[..])).unwrap();
            black_box(m)
        })
    });
    group.finish();

    // The metadata alone: the runtime's reader against the hand-written one, on the same headers.
    let mut group = c.benchmark_group("metadata_from_headers");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("generated", |b| {
        b.iter(|| black_box(eventbind::EventMetadata::from_headers(black_box(&message.headers)).unwrap()))
    });
    group.bench_function("handwritten", |b| b.iter(|| black_box(hand_metadata(black_box(&message.headers)))));
    group.finish();

    let mut group = c.benchmark_group("protobuf");
    group.throughput(Throughput::Bytes(message.payload.len() as u64));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("generated", |b| {
        b.iter(|| {
            let e: RefundIssuedProto = protobuf::from_datum(&message.headers, black_box(&message.payload)).unwrap();
            black_box(e)
        })
    });
    group.bench_function("handwritten_prost_and_headers", |b| {
        b.iter(|| {
            let metadata = hand_metadata(black_box(&message.headers));
            let m = <handwritten::RefundIssued as prost::Message>::decode(black_box(&message.payload[..])).unwrap();
            black_box((metadata, m))
        })
    });
    group.finish();
}

criterion_group!(benches, avro_decode, protobuf_decode);
criterion_main!(benches);
