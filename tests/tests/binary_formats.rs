//! The Avro and Protobuf twins of `payment.refund_issued`: the same JSON vectors decode into all
//! three generated types with equal values where the mappings overlap; binary round trips through
//! headers and the schema registry's framing; Avro schema resolution across versions in both
//! directions; Protobuf readers skip fields they do not know; object container files.

use std::path::Path;

use apache_avro::types::Value;
use apache_avro::Schema;
use eventbind::codec::{CodecError, WriterSchemas};
use eventbind::headers::{self, ContentType};
use eventbind::{avro, json, protobuf, EventMetadata};
use eventbind_tests::ignore::payment::{self as payment};
use eventbind_tests::ignore::proto::shop::payment::v1 as pb;
use eventbind_tests::ignore::AnyEvent;
use eventbind_tests::vectors;
use serde_json::json;

fn refund_vectors() -> Vec<vectors::Vector> {
    let all: Vec<_> =
        vectors::load_all().into_iter().filter(|v| v.valid && v.event_type == "payment.refund_issued").collect();
    assert!(all.len() >= 3, "expected the refund vectors");
    all
}

fn proto_reason(r: i32) -> &'static str {
    pb::RefundReason::try_from(r).map(|r| r.as_str_name()).unwrap_or("?")
}

#[test]
fn the_same_json_decodes_to_equal_values_in_all_three_formats() {
    for v in refund_vectors() {
        let bytes = serde_json::to_vec(&v.input).unwrap();
        let js: payment::RefundIssued = json::from_slice(&bytes).unwrap();
        let av: payment::RefundIssuedAvro = json::from_slice(&bytes).unwrap();
        let pr: payment::RefundIssuedProto = json::from_slice(&bytes).unwrap();
        let at = v.file.display();
        assert_eq!(js.metadata, av.metadata, "{at}");
        assert_eq!(js.metadata, pr.metadata, "{at}");
        assert_eq!(js.refund_id, av.refund_id, "{at}");
        assert_eq!(js.refund_id.to_string(), pr.payload.refund_id, "{at}");
        assert_eq!(js.payment_id.to_string(), pr.payload.payment_id, "{at}");
        assert_eq!(js.order_number, av.order_number, "{at}");
        assert_eq!(js.order_number, pr.payload.order_number, "{at}");
        assert_eq!(js.issued_at, av.issued_at, "{at}");
        let ts = pr.payload.issued_at.unwrap();
        assert_eq!(js.issued_at.timestamp(), ts.seconds, "{at}");
        assert_eq!((js.amount.amount, &js.amount.currency), (av.amount.amount, &av.amount.currency), "{at}");
        let money = pr.payload.amount.clone().unwrap();
        assert_eq!((js.amount.amount, &js.amount.currency), (money.amount, &money.currency), "{at}");
        assert_eq!(js.reason.as_str(), av.reason.as_str(), "{at}");
        assert_eq!(js.reason.as_str(), proto_reason(pr.payload.reason), "{at}");
        // Defaults are the schemas' own in JSON Schema and Avro; proto3 has only zero values.
        assert_eq!(js.partial, av.partial, "{at}");
        assert_eq!(js.initiated_by, av.initiated_by, "{at}");
        if v.input.get("partial").is_some() {
            assert_eq!(js.partial, pr.payload.partial, "{at}");
        }
        let js_items: Vec<(String, i32)> =
            js.refunded_items.iter().flatten().map(|i| (i.sku.clone(), i.quantity)).collect();
        let av_items: Vec<(String, i32)> =
            av.refunded_items.iter().flatten().map(|i| (i.sku.clone(), i.quantity)).collect();
        let pr_items: Vec<(String, i32)> =
            pr.payload.refunded_items.iter().map(|i| (i.sku.clone(), i.quantity)).collect();
        assert_eq!(js_items, av_items, "{at}");
        assert_eq!(js_items, pr_items, "{at}");
    }
}

fn avro_event() -> payment::RefundIssuedAvro {
    let input = json!({
        "metadata": {
            "eid": "5a9cf2a3-286e-5823-ac20-ac75928db4ce",
            "occurred_at": "2024-05-22T09:10:11Z",
            "event_type": "payment.refund_issued_avro",
            "flow_id": "flow-1",
            "parent_eids": ["33c0c383-db6d-56f1-b520-b1a419bbd1cf"],
            "tenant_id": "shop-eu",
            "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
            "version": "2.0.0",
            "published_by": "bridge"
        },
        "refund_id": "7d153a66-8223-525b-8e7e-0da85ad8fe3b",
        "payment_id": "33c0c383-db6d-56f1-b520-b1a419bbd1cf",
        "order_number": "ORD-1001",
        "issued_at": "2024-05-20T14:01:55.123Z",
        "amount": {"amount": -15.9, "currency": "EUR"},
        "reason": "damaged",
        "refunded_items": [
            {"sku": "SKU-TEA-500G", "quantity": 2, "amount": {"amount": 1234567.89, "currency": "EUR"}},
            {"sku": "SKU-DUCK-YELLOW", "quantity": 1}
        ],
        "labels": {"b": "2", "a": "1"},
        "destination": {"card_token": "tok_1", "fingerprint": [1, 2, 3, 4]},
        "channel": "app",
        "cutoff_time": "17:30:00.250",
        "booked_on": "2024-05-21",
        "local_booking_time": "2024-05-21T08:00:00.000001",
        "grace_period": {"months": 1, "days": 2, "milliseconds": 3000},
        "fee": 0.125
    });
    json::from_value(&input).unwrap()
}

#[test]
fn avro_binary_round_trips_every_logical_type_through_headers_and_framing() {
    let event = avro_event();
    assert!(matches!(event.destination, Some(payment::RefundIssuedDestination::CardRefund(_))));
    let datum = avro::to_datum(&event).unwrap();
    assert!(datum.len() < json::to_vec(&event).unwrap().len() / 2, "the binary form is compact");
    let message = avro::to_message(&event, ContentType::Avro, None).unwrap();
    assert_eq!(headers::content_type(&message.headers).unwrap(), ContentType::Avro);
    assert_eq!(headers::event_type(&message.headers).unwrap(), Some("payment.refund_issued_avro"));
    let schemas = WriterSchemas::new();
    match AnyEvent::from_message(&message.headers, &message.payload, &schemas).unwrap() {
        AnyEvent::PaymentRefundIssuedAvro(back) => assert_eq!(back, event),
        other => panic!("decoded as {:?}", other.event_type()),
    }
    let framed = avro::to_message(&event, ContentType::AvroRegistry, Some(42)).unwrap();
    assert_eq!(&framed.payload[..5], &[0, 0, 0, 0, 42]);
    assert!(matches!(
        AnyEvent::from_message(&framed.headers, &framed.payload, &schemas),
        Err(CodecError::UnknownSchema(42))
    ));
    let mut known = WriterSchemas::new();
    known.add_avro(42, <payment::RefundIssuedAvro as avro::AvroEvent>::avro_schema().clone());
    let back: payment::RefundIssuedAvro = avro::from_message(&framed.headers, &framed.payload, &known).unwrap();
    assert_eq!(back, event);
    // The JSON form goes through the same entry point.
    let as_json = avro::to_message(&event, ContentType::Json, None).unwrap();
    assert_eq!(
        AnyEvent::from_message(&as_json.headers, &as_json.payload, &schemas).unwrap(),
        AnyEvent::PaymentRefundIssuedAvro(event)
    );
}

#[test]
fn bad_binary_payloads_and_frames_are_clear_errors() {
    let event = avro_event();
    let message = avro::to_message(&event, ContentType::Avro, None).unwrap();
    let schemas = WriterSchemas::new();
    let cut = &message.payload[..message.payload.len() / 2];
    assert!(matches!(AnyEvent::from_message(&message.headers, cut, &schemas), Err(CodecError::Payload(_))));
    let mut long = message.payload.clone();
    long.push(7);
    let err = AnyEvent::from_message(&message.headers, &long, &schemas).unwrap_err();
    assert!(err.to_string().contains("bytes left"), "{err}");
    let mut framed_headers = message.headers.clone();
    framed_headers[0].1 = ContentType::AvroRegistry.as_str().into();
    let err = AnyEvent::from_message(&framed_headers, &[0, 0, 1], &schemas).unwrap_err();
    assert!(err.to_string().contains("too short"), "{err}");
    let err = AnyEvent::from_message(&framed_headers, &[9, 0, 0, 0, 1, 0], &schemas).unwrap_err();
    assert!(err.to_string().contains("magic byte"), "{err}");
    let no_type: Vec<(String, Vec<u8>)> = vec![("content-type".into(), b"application/avro".to_vec())];
    assert!(matches!(
        AnyEvent::from_message(&no_type, &message.payload, &schemas),
        Err(CodecError::Unsupported { .. })
    ));
    // Binary bytes for an event type that has no binary binding.
    let mut js_headers = message.headers.clone();
    js_headers.retain(|(n, _)| n != headers::EVENT_TYPE);
    js_headers.push((headers::EVENT_TYPE.into(), b"payment.refund_issued".to_vec()));
    let err = AnyEvent::from_message(&js_headers, &message.payload, &schemas).unwrap_err();
    assert!(err.to_string().contains("no application/avro binding"), "{err}");
    let missing_eid: Vec<(String, Vec<u8>)> =
        message.headers.iter().filter(|(n, _)| n != headers::EID).cloned().collect();
    let err = AnyEvent::from_message(&missing_eid, &message.payload, &schemas).unwrap_err();
    assert!(err.to_string().contains("eventbind-eid"), "{err}");
}

fn versions(name: &str) -> Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/versions").join(name);
    Schema::parse_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn money(amount_cents: i64, extra: Option<f64>) -> Value {
    let mut fields = vec![
        ("amount".to_owned(), Value::Decimal(apache_avro::Decimal::from(amount_cents.to_be_bytes()))),
        ("currency".to_owned(), Value::String("EUR".into())),
    ];
    if let Some(rate) = extra {
        fields.push(("exchange_rate".into(), Value::Double(rate)));
    }
    Value::Record(fields)
}

fn headers_for(version: &str) -> Vec<(String, Vec<u8>)> {
    let mut metadata = EventMetadata::new("payment.refund_issued_avro");
    metadata.version = Some(version.into());
    let mut h = vec![("content-type".to_owned(), b"application/avro".to_vec())];
    h.extend(metadata.to_headers());
    h
}

#[test]
fn a_v2_reader_reads_v1_data_with_defaults_and_aliases() {
    let v1 = versions("refund_issued.v1.avsc");
    let record = Value::Record(vec![
        ("refund_id".into(), Value::Uuid("7d153a66-8223-525b-8e7e-0da85ad8fe3b".parse().unwrap())),
        ("payment_id".into(), Value::Uuid("33c0c383-db6d-56f1-b520-b1a419bbd1cf".parse().unwrap())),
        ("order_number".into(), Value::String("ORD-1".into())),
        ("issued_at".into(), Value::TimestampMillis(1_716_213_715_000)),
        ("amount".into(), money(1590, None)),
        ("reason".into(), Value::Enum(1, "damaged".into())),
        ("partial".into(), Value::Boolean(true)),
        (
            "refunded_items".into(),
            Value::Union(
                1,
                Box::new(Value::Array(vec![Value::Record(vec![
                    ("sku".into(), Value::String("SKU-1".into())),
                    ("quantity".into(), Value::Int(3)),
                ])])),
            ),
        ),
        ("source".into(), Value::Enum(2, "store".into())),
    ]);
    let datum = apache_avro::to_avro_datum(&v1, record).unwrap();
    let mut schemas = WriterSchemas::new();
    schemas.add_avro_version("payment.refund_issued_avro", "1.0.0", v1);
    let event: payment::RefundIssuedAvro = avro::from_message(&headers_for("1.0.0"), &datum, &schemas).unwrap();
    assert_eq!(event.order_number, "ORD-1");
    assert_eq!(event.amount.amount, 15.9);
    assert!(event.partial);
    assert_eq!(event.initiated_by, "customer-care", "missing in v1: the v2 default");
    assert!(event.labels.is_empty());
    assert_eq!(event.channel.as_str(), "store", "v1's `source`, read through v2's alias");
    let items = event.refunded_items.unwrap();
    assert_eq!((items[0].sku.as_str(), items[0].quantity, items[0].amount.is_none()), ("SKU-1", 3, true));
    assert_eq!(event.issued_at.timestamp_millis(), 1_716_213_715_000);
    // Without the v1 schema the bytes do not read as v2.
    assert!(avro::from_message::<payment::RefundIssuedAvro, _, _>(
        &headers_for("1.0.0"),
        &datum,
        &WriterSchemas::new()
    )
    .is_err());
}

#[test]
fn a_v2_reader_reads_v3_data_skipping_what_it_does_not_know() {
    let v3 = versions("refund_issued.v3.avsc");
    let record = Value::Record(vec![
        ("order_number".into(), Value::String("ORD-3".into())),
        ("refund_id".into(), Value::Uuid("7d153a66-8223-525b-8e7e-0da85ad8fe3b".parse().unwrap())),
        ("payment_id".into(), Value::Uuid("33c0c383-db6d-56f1-b520-b1a419bbd1cf".parse().unwrap())),
        ("issued_at".into(), Value::TimestampMillis(1_716_213_715_000)),
        ("amount".into(), money(-525, Some(1.1))),
        ("reason".into(), Value::Enum(3, "goodwill".into())),
        ("partial".into(), Value::Boolean(false)),
        ("initiated_by".into(), Value::String("bot".into())),
        ("refund_fee_waived".into(), Value::Boolean(true)),
        ("refunded_items".into(), Value::Union(0, Box::new(Value::Null))),
        ("labels".into(), Value::Map([("k".to_owned(), Value::String("v".into()))].into_iter().collect())),
        ("channel".into(), Value::Enum(3, "kiosk".into())),
    ]);
    let datum = apache_avro::to_avro_datum(&v3, record).unwrap();
    let mut schemas = WriterSchemas::new();
    schemas.add_avro(7, v3);
    let framed = eventbind::registry::frame(7, &datum);
    let mut h = headers_for("3.0.0");
    h[0].1 = ContentType::AvroRegistry.as_str().into();
    let event: payment::RefundIssuedAvro = avro::from_message(&h, &framed, &schemas).unwrap();
    assert_eq!(event.order_number, "ORD-3", "fields in another order");
    assert_eq!(event.amount.amount, -5.25, "Money.exchange_rate skipped");
    assert_eq!(event.initiated_by, "bot");
    assert_eq!(event.labels["k"], "v");
    assert_eq!(event.channel.as_str(), "other", "an unknown symbol becomes the enum's default");
    assert_eq!(event.metadata.version.as_deref(), Some("3.0.0"));
}

#[test]
fn object_container_files_keep_metadata_and_resolve_versions() {
    let mut second = avro_event();
    second.metadata = EventMetadata::new("payment.refund_issued_avro");
    second.order_number = "ORD-2".into();
    let events = vec![avro_event(), second];
    for compression in [avro::Compression::None, avro::Compression::Deflate] {
        let file = avro::write_container(&events, compression).unwrap();
        assert_eq!(&file[..4], b"Obj\x01");
        let back: Vec<payment::RefundIssuedAvro> =
            avro::read_container(&file).unwrap().into_iter().collect::<Result<_, _>>().unwrap();
        assert_eq!(back, events);
    }
    assert!(avro::read_container::<payment::RefundIssuedAvro>(b"not a container").is_err());
}

fn proto_event() -> payment::RefundIssuedProto {
    let input = json!({
        "metadata": {"eid": "5a9cf2a3-286e-5823-ac20-ac75928db4ce", "occurred_at": "2024-05-22T09:10:11Z",
                     "event_type": "payment.refund_issued_proto", "tenant_id": "shop-eu"},
        "refundId": "7d153a66-8223-525b-8e7e-0da85ad8fe3b",
        "payment_id": "33c0c383-db6d-56f1-b520-b1a419bbd1cf",
        "orderNumber": "ORD-9",
        "issuedAt": "2024-05-20T14:01:55.500Z",
        "amount": {"amount": 15.9, "currency": "EUR"},
        "reason": "damaged",
        "refundedItems": [{"sku": "SKU-1", "quantity": 2}],
        "labels": {"a": "1"},
        "note": "",
        "cardToken": "tok_1",
        "extra": {"k": [1, "two", null]},
        "processingTime": "1.500s",
        "ticket": "SUP-1",
        "sequence": "9007199254740993",
        "receipt": "AAEC",
        "unknownField": {"ignored": true}
    });
    json::from_value(&input).unwrap()
}

#[test]
fn proto3_json_mapping_accepts_both_names_and_ignores_unknown_fields() {
    let event = proto_event();
    let p = &event.payload;
    assert_eq!(p.order_number, "ORD-9");
    assert_eq!(p.payment_id, "33c0c383-db6d-56f1-b520-b1a419bbd1cf", "the proto name is accepted too");
    assert_eq!(p.sequence, 9_007_199_254_740_993, "int64 as a string, exactly");
    assert_eq!(p.receipt, vec![0, 1, 2], "bytes as base64");
    assert_eq!(p.note.as_deref(), Some(""), "`optional` keeps presence");
    assert_eq!(p.destination, Some(pb::refund_issued::Destination::CardToken("tok_1".into())));
    assert_eq!(p.processing_time.as_ref().map(|d| (d.seconds, d.nanos)), Some((1, 500_000_000)));
    assert_eq!(p.ticket.as_ref().map(|t| t.value.as_str()), Some("SUP-1"));
    let out = json::to_value(&event).unwrap();
    assert_eq!(out["orderNumber"], "ORD-9", "lowerCamel names are emitted");
    assert_eq!(out["sequence"], "9007199254740993");
    assert_eq!(out["reason"], "damaged", "enums by name");
    assert_eq!(out["metadata"]["tenant_id"], "shop-eu");
    assert!(out.get("unknownField").is_none());
    assert_eq!(json::from_value::<payment::RefundIssuedProto>(&out).unwrap(), event);
}

#[test]
fn protobuf_binary_round_trips_and_skips_unknown_fields() {
    let event = proto_event();
    let schemas = WriterSchemas::new();
    for content_type in [ContentType::Protobuf, ContentType::ProtobufRegistry] {
        let message = protobuf::to_message(&event, content_type, Some((5, &[1]))).unwrap();
        match AnyEvent::from_message(&message.headers, &message.payload, &schemas).unwrap() {
            AnyEvent::PaymentRefundIssuedProto(back) => assert_eq!(back, event),
            other => panic!("decoded as {:?}", other.event_type()),
        }
    }
    // A newer writer's field 99 (varint 7) and an older writer without most fields.
    let mut newer = protobuf::to_datum(&event);
    newer.extend_from_slice(&[0x98, 0x06, 7]);
    let headers = protobuf::to_message(&event, ContentType::Protobuf, None).unwrap().headers;
    let back: payment::RefundIssuedProto = protobuf::from_message(&headers, &newer, &schemas).unwrap();
    assert_eq!(back, event);
    let older = pb::RefundIssued { order_number: "ORD-OLD".into(), ..Default::default() };
    let bytes = eventbind::protobuf::prost::Message::encode_to_vec(&older);
    let back: payment::RefundIssuedProto = protobuf::from_message(&headers, &bytes, &schemas).unwrap();
    assert_eq!(back.payload.order_number, "ORD-OLD");
    assert_eq!(back.payload.reason, 0);
    assert!(protobuf::from_message::<payment::RefundIssuedProto, _, _>(&headers, &[0xff, 0xff], &schemas).is_err());
    let mut registered = WriterSchemas::new();
    registered.add_protobuf(5, "proto/shop/payment/v1/refund_issued.proto");
    let framed = protobuf::to_message(&event, ContentType::ProtobufRegistry, Some((6, &[0]))).unwrap();
    assert!(matches!(
        protobuf::from_message::<payment::RefundIssuedProto, _, _>(&framed.headers, &framed.payload, &registered),
        Err(CodecError::UnknownSchema(6))
    ));
}

#[test]
fn metadata_travels_in_headers_with_documented_names() {
    let event = avro_event();
    let h = event.metadata.to_headers();
    let names: Vec<&str> = h.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "eventbind-event-type",
            "eventbind-eid",
            "eventbind-occurred-at",
            "eventbind-flow-id",
            "eventbind-parent-eids",
            "eventbind-tenant-id",
            "eventbind-trace-id",
            "eventbind-schema-version",
            "eventbind-meta-published_by",
        ]
    );
    assert_eq!(EventMetadata::from_headers(&h).unwrap(), event.metadata);
    let upper: Vec<(String, Vec<u8>)> = h
        .iter()
        .map(|(n, v)| (if n.starts_with(headers::META_PREFIX) { n.clone() } else { n.to_uppercase() }, v.clone()))
        .collect();
    assert_eq!(EventMetadata::from_headers(&upper).unwrap(), event.metadata, "names match without case");
    let mut bad = h.clone();
    bad[2].1 = b"yesterday".to_vec();
    assert!(EventMetadata::from_headers(&bad).unwrap_err().to_string().contains("eventbind-occurred-at"));
    for ct in ContentType::ALL {
        assert_eq!(ct.as_str().parse::<ContentType>().unwrap(), ct);
    }
    assert_eq!("avro/binary; charset=x".parse::<ContentType>().unwrap(), ContentType::Avro);
    assert!("text/plain".parse::<ContentType>().is_err());
}

#[test]
fn data_change_events_carry_their_envelope_in_headers() {
    let event: eventbind_tests::ignore::inventory::StockLevelAvro = json::from_value(&json!({
        "metadata": {"eid": "5a9cf2a3-286e-5823-ac20-ac75928db4ce", "occurred_at": "2024-05-22T09:10:11Z",
                     "event_type": "inventory.stock_level_avro"},
        "data_op": "U",
        "data_type": "inventory.stock_item",
        "data": {"sku": "SKU-1", "warehouse_id": "33c0c383-db6d-56f1-b520-b1a419bbd1cf", "quantity_on_hand": 12,
                 "counted_at": "2024-05-22T09:00:00.000001Z"}
    }))
    .unwrap();
    assert_eq!(event.data.status.as_str(), "in_stock", "the Avro field default");
    let message = avro::to_message(&event, ContentType::Avro, None).unwrap();
    assert_eq!(headers::get(&message.headers, headers::DATA_OP), Some(&b"U"[..]));
    assert_eq!(headers::get(&message.headers, headers::DATA_TYPE), Some(&b"inventory.stock_item"[..]));
    match AnyEvent::from_message(&message.headers, &message.payload, &WriterSchemas::new()).unwrap() {
        AnyEvent::InventoryStockLevelAvro(back) => assert_eq!(back, event),
        other => panic!("decoded as {:?}", other.event_type()),
    }
    let without_op: Vec<(String, Vec<u8>)> =
        message.headers.iter().filter(|(n, _)| n != headers::DATA_OP).cloned().collect();
    let err = AnyEvent::from_message(&without_op, &message.payload, &WriterSchemas::new()).unwrap_err();
    assert!(err.to_string().contains("eventbind-data-op"), "{err}");
    let file = avro::write_container([&event], avro::Compression::None).unwrap();
    let back = avro::read_container::<eventbind_tests::ignore::inventory::StockLevelAvro>(&file).unwrap();
    assert_eq!(back.into_iter().next().unwrap().unwrap(), event);
}

#[test]
fn undefined_protobuf_events_are_the_payload_alone() {
    use eventbind_tests::ignore::audit::LoginAttemptProto;
    let event: LoginAttemptProto = json::from_value(&json!({
        "attemptId": "a-1", "user_name": "zoe", "succeeded": true, "attemptedAt": "2024-05-22T09:10:11Z"
    }))
    .unwrap();
    assert_eq!(event.payload.user_name, "zoe");
    assert!(json::to_value(&event).unwrap().get("metadata").is_none());
    let message = protobuf::to_message(&event, ContentType::Protobuf, None).unwrap();
    assert_eq!(message.headers.len(), 1, "only the content type: {:?}", message.headers);
    let back: LoginAttemptProto =
        protobuf::from_message(&message.headers, &message.payload, &WriterSchemas::new()).unwrap();
    assert_eq!(back, event);
    assert_eq!(<LoginAttemptProto as eventbind::Event>::TYPE.schema_format, eventbind::SchemaFormat::Protobuf);
}

fn stock_level_event() -> eventbind_tests::ignore::inventory::StockLevelAvro {
    json::from_value(&json!({
        "metadata": {"eid": "5a9cf2a3-286e-5823-ac20-ac75928db4ce", "occurred_at": "2024-05-22T09:10:11.5Z",
                     "event_type": "inventory.stock_level_avro", "parent_eids": ["33c0c383-db6d-56f1-b520-b1a419bbd1cf"],
                     "received_at": "2024-05-22T09:10:12Z", "published_by": {"name": "bridge", "n": 2}},
        "data_op": "S",
        "data_type": "inventory.stock_item",
        "data": {"sku": "SKU-1", "warehouse_id": "33c0c383-db6d-56f1-b520-b1a419bbd1cf", "quantity_on_hand": -3,
                 "counted_at": "1969-12-31T23:59:59.999999Z", "status": "out_of_stock"}
    }))
    .unwrap()
}

/// The direct decoder and the apache-avro `Value` path decode the same message to the same event.
fn both_paths<T: avro::AvroEvent + PartialEq + std::fmt::Debug>(event: &T) {
    let message = avro::to_message(event, ContentType::Avro, None).unwrap();
    let direct: T = avro::from_datum(&message.headers, None, &message.payload).unwrap();
    let via_value: T = avro::from_datum_resolved(&message.headers, None, &message.payload).unwrap();
    assert_eq!(&direct, event);
    assert_eq!(direct, via_value);
    // The type's own schema given as the writer's takes the direct path too.
    let own = Some(T::avro_schema());
    assert_eq!(&avro::from_datum::<T, _, _>(&message.headers, own, &message.payload).unwrap(), event);
    // Every prefix is a payload error on the direct path, never a panic.
    for cut in 0..message.payload.len() {
        match avro::from_datum::<T, _, _>(&message.headers, None, &message.payload[..cut]) {
            Err(CodecError::Payload(_)) => {}
            other => panic!("a prefix of {cut} bytes: {other:?}"),
        }
    }
    // Corrupted bytes: whatever the direct path accepts, the apache-avro path reads the same way.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..2_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut bad = message.payload.clone();
        let at = (seed % bad.len() as u64) as usize;
        bad[at] = (seed >> 32) as u8;
        if let Ok(direct) = avro::from_datum::<T, _, _>(&message.headers, None, &bad) {
            let via_value: T = avro::from_datum_resolved(&message.headers, None, &bad).unwrap();
            assert_eq!(direct, via_value, "byte {at} set to {}", bad[at]);
        }
    }
}

#[test]
fn the_direct_avro_decoder_and_the_apache_avro_path_agree() {
    // Every logical type, a union of records, a fixed, a map, an array, nested optional records.
    both_paths(&avro_event());
    let mut sparse = avro_event();
    sparse.refunded_items = None;
    sparse.destination = Some(payment::RefundIssuedDestination::BankTransfer(
        eventbind_tests::ignore::avro::shop::payment::BankTransfer { iban: "DE02 1203 0000 0000 2020 51".into() },
    ));
    sparse.labels.clear();
    (sparse.cutoff_time, sparse.booked_on, sparse.local_booking_time) = (None, None, None);
    (sparse.grace_period, sparse.fee) = (None, None);
    both_paths(&sparse);
    // The data change event: `data`, `data_op`, `data_type` and metadata from headers.
    both_paths(&stock_level_event());
}

#[test]
fn the_direct_avro_decoder_reports_headers_and_bytes_like_the_apache_avro_path() {
    let event = avro_event();
    let message = avro::to_message(&event, ContentType::Avro, None).unwrap();
    let decode = |headers: &[(String, Vec<u8>)], payload: &[u8]| {
        avro::from_datum::<payment::RefundIssuedAvro, _, _>(headers, None, payload).unwrap_err()
    };
    let missing_eid: Vec<(String, Vec<u8>)> =
        message.headers.iter().filter(|(n, _)| n != headers::EID).cloned().collect();
    assert!(matches!(decode(&missing_eid, &message.payload), CodecError::Header(h) if h.header() == headers::EID));
    // A bad payload is reported before a bad header.
    assert!(matches!(decode(&missing_eid, &message.payload[..10]), CodecError::Payload(_)));
    let mut long = message.payload.clone();
    long.extend_from_slice(&[1, 2]);
    assert_eq!(decode(&message.headers, &long).to_string(), "payload: 2 bytes left after the datum");
    // The first field is a uuid string: a length far beyond the input is refused, not allocated.
    let mut huge = vec![0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
    huge.extend_from_slice(&message.payload[1..]);
    assert!(decode(&message.headers, &huge).to_string().contains("truncated"), "{}", decode(&message.headers, &huge));
    let stock = stock_level_event();
    let message = avro::to_message(&stock, ContentType::Avro, None).unwrap();
    let without_type: Vec<(String, Vec<u8>)> =
        message.headers.iter().filter(|(n, _)| n != headers::DATA_TYPE).cloned().collect();
    let err = avro::from_datum::<eventbind_tests::ignore::inventory::StockLevelAvro, _, _>(
        &without_type,
        None,
        &message.payload,
    )
    .unwrap_err();
    assert!(matches!(&err, CodecError::Header(h) if h.header() == headers::DATA_TYPE), "{err}");
}
