//! Throughput of the consumer path: Kafka-like records (registry-framed payload bytes and the
//! metadata in headers, as a producer writes them) decoded with `AnyEvent::from_message`, writer
//! schemas resolved from a live schema registry by the id in the frame (the resolver's cache warm),
//! against the same records decoded by hand in the same run:
//!
//! - Protobuf (`payment.refund_issued_proto`): by hand, the frame (magic byte, big-endian id,
//!   message-index list) is stripped by hand, the payload decoded by the generated prost message
//!   directly (`prost::Message::decode`), and the metadata headers parsed by hand (uuid, chrono).
//! - Avro (`payment.refund_issued_avro`): by hand, the frame is stripped by hand and the datum
//!   decoded by the generated type's own-schema decoder (`avro::from_datum` with no writer: an
//!   Avro general event has no payload-only decoder, so it reads the metadata headers itself).
//!   The ratio is the cost of the content-type dispatch, the any-event dispatch by event type
//!   and the resolver's cache lookup.
//!
//! The registry (Karapace) and its broker are started by eventbind-services; without them the
//! bench prints a skip line. Run: `cargo bench -p eventbind-tests --bench consumer`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use criterion::{Criterion, Throughput};
use eventbind::codec::{Message, WriterSchemas};
use eventbind::headers::ContentType;
use eventbind::resolver::{ProducerSchema, SchemaKind, SchemaResolver, SourceReference, SourceSchema};
use eventbind::{avro, json, protobuf, Event};
use eventbind_registry::{Client, Schema};
use eventbind_tests::ignore::payment;
use eventbind_tests::ignore::AnyEvent;
use serde_json::json as value;
use uuid::Uuid;

fn fixture(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
}

/// The metadata a hand-written consumer reads from the headers.
#[allow(dead_code)] // Read to be decoded; the bench keeps it alive with black_box.
struct HandMetadata {
    eid: Uuid,
    occurred_at: DateTime<FixedOffset>,
    event_type: String,
}

/// The headers parsed by hand: one pass, the three a consumer needs.
fn headers_by_hand(headers: &[(String, Vec<u8>)]) -> Option<HandMetadata> {
    let (mut eid, mut occurred_at, mut event_type) = (None, None, None);
    for (name, value) in headers {
        let text = std::str::from_utf8(value).ok()?;
        match name.as_str() {
            "eventbind-eid" => eid = Uuid::parse_str(text).ok(),
            "eventbind-occurred-at" => occurred_at = DateTime::parse_from_rfc3339(text).ok(),
            "eventbind-event-type" => event_type = Some(text.to_owned()),
            _ => {}
        }
    }
    Some(HandMetadata { eid: eid?, occurred_at: occurred_at?, event_type: event_type? })
}

/// The Confluent frame stripped by hand: magic byte 0, the id (4 bytes, big-endian), and for
/// Protobuf the message-index list (`[0]` is the single byte 0).
fn unframe_by_hand(payload: &[u8], protobuf: bool) -> Option<(u32, &[u8])> {
    if payload.len() < 5 || payload[0] != 0 {
        return None;
    }
    let id = u32::from_be_bytes([payload[1], payload[2], payload[3], payload[4]]);
    let rest = &payload[5..];
    if protobuf {
        return (rest.first() == Some(&0)).then(|| (id, &rest[1..]));
    }
    Some((id, rest))
}

fn avro_event() -> payment::RefundIssuedAvro {
    json::from_value(&value!({
        "metadata": {"eid": "5a9cf2a3-286e-5823-ac20-ac75928db4ce", "occurred_at": "2024-05-22T09:10:11Z",
                     "event_type": "payment.refund_issued_avro", "version": "2.0.0"},
        "refund_id": "7d153a66-8223-525b-8e7e-0da85ad8fe3b",
        "payment_id": "33c0c383-db6d-56f1-b520-b1a419bbd1cf",
        "order_number": "ORD-1001",
        "issued_at": "2024-05-20T14:01:55.123Z",
        "amount": {"amount": 15.9, "currency": "EUR"},
        "reason": "damaged",
        "refunded_items": [{"sku": "SKU-1", "quantity": 2}, {"sku": "SKU-2", "quantity": 1}],
        "labels": {"channel": "web", "agent": "a-17"}
    }))
    .unwrap()
}

fn protobuf_event() -> payment::RefundIssuedProto {
    json::from_value(&value!({
        "metadata": {"eid": "5a9cf2a3-286e-5823-ac20-ac75928db4ce", "occurred_at": "2024-05-22T09:10:11Z",
                     "event_type": "payment.refund_issued_proto"},
        "refundId": "7d153a66-8223-525b-8e7e-0da85ad8fe3b", "paymentId": "33c0c383-db6d-56f1-b520-b1a419bbd1cf",
        "orderNumber": "ORD-1001", "reason": "damaged", "issuedAt": "2024-05-20T14:01:55.123Z",
        "amount": {"amount": 15.9, "currency": "EUR"}, "initiatedBy": "customer-care",
        "refundedItems": [{"sku": "SKU-1", "quantity": 2}, {"sku": "SKU-2", "quantity": 1}],
        "labels": {"channel": "web", "agent": "a-17"}
    }))
    .unwrap()
}

/// Registers both schemas, frames a record of each with its id, and warms the resolver.
fn records(client: &Client, resolver: &Arc<SchemaResolver>) -> (Message, Message) {
    let avro_id = resolver
        .schema_id(&ProducerSchema::of::<payment::RefundIssuedAvro>("bench-refund-avro-value").auto_register(true))
        .unwrap();
    let money = Schema::protobuf(fixture("fixtures/catalog/proto/shop/payment/v1/money.proto"));
    client.register("bench-proto/shop/payment/v1/money.proto", &money).unwrap();
    let proto = ProducerSchema::new(
        "bench-refund-proto-value",
        SourceSchema {
            kind: SchemaKind::Protobuf,
            text: payment::RefundIssuedProto::TYPE.schema.to_owned(),
            references: vec![SourceReference {
                name: "proto/shop/payment/v1/money.proto".into(),
                subject: "bench-proto/shop/payment/v1/money.proto".into(),
                version: 1,
            }],
        },
    );
    let proto_id = resolver.schema_id(&proto.auto_register(true)).unwrap();
    let avro = avro::to_message(&avro_event(), ContentType::AvroRegistry, Some(avro_id)).unwrap();
    let proto = protobuf::to_message(&protobuf_event(), ContentType::ProtobufRegistry, Some((proto_id, &[0]))).unwrap();
    resolver.resolve_all([avro_id, proto_id]).unwrap();
    (avro, proto)
}

fn main() {
    let Some(services) = eventbind_services::shared() else {
        eprintln!("consumer bench skipped: the schema registry is not installed");
        return;
    };
    let client = Client::new(&services.registry.url()).unwrap();
    let resolver = Arc::new(SchemaResolver::new(client.clone()));
    let (avro_record, proto_record) = records(&client, &resolver);
    let schemas = WriterSchemas::with_resolver(resolver.clone());

    // Both paths give the same event before anything is measured.
    let any = |m: &Message| AnyEvent::from_message(&m.headers, &m.payload, &schemas).unwrap();
    assert_eq!(any(&avro_record), AnyEvent::PaymentRefundIssuedAvro(avro_event()));
    assert_eq!(any(&proto_record), AnyEvent::PaymentRefundIssuedProto(protobuf_event()));
    let (_, datum) = unframe_by_hand(&proto_record.payload, true).unwrap();
    let by_hand: <payment::RefundIssuedProto as protobuf::ProtobufEvent>::Payload =
        prost::Message::decode(datum).unwrap();
    assert_eq!(&by_hand, protobuf::ProtobufEvent::payload(&protobuf_event()));
    assert!(headers_by_hand(&proto_record.headers).is_some());

    let mut c = Criterion::default().configure_from_args().measurement_time(Duration::from_secs(5));
    let mut group = c.benchmark_group("consumer_protobuf");
    group.throughput(Throughput::Elements(1));
    group.bench_function("from_message", |b| {
        b.iter(|| AnyEvent::from_message(black_box(&proto_record.headers), black_box(&proto_record.payload), &schemas))
    });
    group.bench_function("by_hand", |b| {
        b.iter(|| {
            let metadata = headers_by_hand(black_box(&proto_record.headers)).unwrap();
            let (_, datum) = unframe_by_hand(black_box(&proto_record.payload), true).unwrap();
            let payload: <payment::RefundIssuedProto as protobuf::ProtobufEvent>::Payload =
                prost::Message::decode(datum).unwrap();
            (metadata, payload)
        })
    });
    group.finish();
    let mut group = c.benchmark_group("consumer_avro");
    group.throughput(Throughput::Elements(1));
    group.bench_function("from_message", |b| {
        b.iter(|| AnyEvent::from_message(black_box(&avro_record.headers), black_box(&avro_record.payload), &schemas))
    });
    group.bench_function("by_hand", |b| {
        b.iter(|| {
            let (_, datum) = unframe_by_hand(black_box(&avro_record.payload), false).unwrap();
            avro::from_datum::<payment::RefundIssuedAvro, _, _>(black_box(&avro_record.headers), None, datum).unwrap()
        })
    });
    group.finish();
    c.final_summary();
}
