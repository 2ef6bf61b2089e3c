//! The runtime against a real schema registry (Karapace, from eventbind-services): consumers
//! resolve writer schemas by the id in the frame (cached, bounded, Avro references made
//! self-contained, older and newer writers resolved), producers find their schema's id with
//! auto-registration off unless asked, and the registry's failures are clear errors.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use eventbind::codec::{CodecError, WriterSchemas};
use eventbind::headers::ContentType;
use eventbind::resolver::{
    ProducerSchema, SchemaKind, SchemaResolver, SchemaSource, SourceError, SourceReference, SourceSchema,
};
use eventbind::{avro, json, protobuf, Event};
use eventbind_registry::{Client, Schema};
use eventbind_tests::ignore::payment;
use eventbind_tests::ignore::AnyEvent;
use serde_json::json;

/// The registry client, counting the requests the resolver makes through it.
#[derive(Debug)]
struct Counting {
    client: Client,
    requests: AtomicUsize,
}

impl Counting {
    fn count(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
    fn tick(&self) -> &Client {
        self.requests.fetch_add(1, Ordering::SeqCst);
        &self.client
    }
}

impl SchemaSource for Counting {
    fn schema_by_id(&self, id: u32) -> Result<SourceSchema, SourceError> {
        SchemaSource::schema_by_id(self.tick(), id)
    }
    fn schema_by_version(&self, subject: &str, version: i32) -> Result<SourceSchema, SourceError> {
        self.tick().schema_by_version(subject, version)
    }
    fn latest(&self, subject: &str) -> Result<(u32, SourceSchema), SourceError> {
        SchemaSource::latest(self.tick(), subject)
    }
    fn lookup(&self, subject: &str, schema: &SourceSchema) -> Result<Option<u32>, SourceError> {
        SchemaSource::lookup(self.tick(), subject, schema)
    }
    fn register(&self, subject: &str, schema: &SourceSchema) -> Result<u32, SourceError> {
        SchemaSource::register(self.tick(), subject, schema)
    }
    fn describe(&self) -> String {
        self.client.describe()
    }
}

fn setup() -> Option<(eventbind_services::Guard, Client)> {
    let services = eventbind_services::shared()?;
    let client = Client::new(&services.registry.url()).unwrap();
    Some((services, client))
}

fn counting(client: &Client) -> (Arc<Counting>, Arc<SchemaResolver>) {
    let counting = Arc::new(Counting { client: client.clone(), requests: AtomicUsize::new(0) });
    (counting.clone(), Arc::new(SchemaResolver::new(counting)))
}

fn fixture(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
}

fn avro_event() -> payment::RefundIssuedAvro {
    json::from_value(&json!({
        "metadata": {"eid": "5a9cf2a3-286e-5823-ac20-ac75928db4ce", "occurred_at": "2024-05-22T09:10:11Z",
                     "event_type": "payment.refund_issued_avro", "version": "2.0.0"},
        "refund_id": "7d153a66-8223-525b-8e7e-0da85ad8fe3b",
        "payment_id": "33c0c383-db6d-56f1-b520-b1a419bbd1cf",
        "order_number": "ORD-1001",
        "issued_at": "2024-05-20T14:01:55.123Z",
        "amount": {"amount": 15.9, "currency": "EUR"},
        "reason": "damaged",
        "labels": {"a": "1"}
    }))
    .unwrap()
}

fn decode(schemas: &WriterSchemas, message: &eventbind::codec::Message) -> Result<AnyEvent, CodecError> {
    AnyEvent::from_message(&message.headers, &message.payload, schemas)
}

#[test]
fn producers_find_their_id_and_register_only_when_asked() {
    let Some((_services, client)) = setup() else { return };
    let (count, resolver) = counting(&client);
    let subject = "resolver-producer-value";
    let producer = ProducerSchema::of::<payment::RefundIssuedAvro>(subject);
    let err = resolver.schema_id(&producer).unwrap_err().to_string();
    assert!(err.contains("subject `resolver-producer-value` does not hold this AVRO schema"), "{err}");
    assert!(err.contains("auto-registration is off"), "{err}");
    let registered = resolver.schema_id(&producer.clone().auto_register(true)).unwrap();
    assert_eq!(resolver.schema_id(&producer).unwrap(), registered, "found by lookup once registered");
    let before = count.count();
    assert_eq!(resolver.schema_id(&producer).unwrap(), registered);
    assert_eq!(count.count(), before, "then cached");
    let latest = resolver.schema_id(&producer.clone().use_latest_version(true)).unwrap();
    assert_eq!(latest, registered);

    let framed = avro::to_message(&avro_event(), ContentType::AvroRegistry, Some(registered)).unwrap();
    let schemas = WriterSchemas::with_resolver(resolver.clone());
    assert_eq!(decode(&schemas, &framed).unwrap(), AnyEvent::PaymentRefundIssuedAvro(avro_event()));
}

#[test]
fn consumers_resolve_writer_schemas_once_and_keep_a_bounded_number() {
    let Some((_services, client)) = setup() else { return };
    let mut ids = Vec::new();
    for n in 0..3 {
        let schema =
            format!(r#"{{"type": "record", "name": "Bounded{n}", "fields": [{{"name": "a", "type": "int"}}]}}"#);
        ids.push(client.register(&format!("resolver-bounded-{n}-value"), &Schema::avro(schema)).unwrap());
    }
    let counting = Arc::new(Counting { client: client.clone(), requests: AtomicUsize::new(0) });
    let resolver = SchemaResolver::new(counting.clone()).with_capacity(2);
    for _ in 0..5 {
        resolver.resolve(ids[0]).unwrap();
    }
    assert_eq!(counting.count(), 1, "one request, then the cache");
    resolver.resolve(ids[1]).unwrap();
    resolver.resolve(ids[0]).unwrap();
    resolver.resolve(ids[2]).unwrap();
    assert_eq!(resolver.len(), 2, "bounded");
    assert!(resolver.cached(ids[0]).is_some(), "recently used: kept");
    assert!(resolver.cached(ids[1]).is_none(), "least recently used: dropped");
    assert_eq!(counting.count(), 3);
    let writer = resolver.resolve(ids[2]).unwrap();
    assert_eq!((writer.id(), writer.kind()), (ids[2], SchemaKind::Avro));
    assert!(writer.avro().is_some());
}

#[test]
fn avro_writers_with_references_and_other_versions_are_read() {
    let Some((_services, client)) = setup() else { return };
    // The catalog's refund schema as its own file has it: `shop.payment.Money` from money.avsc,
    // registered as a reference.
    client
        .register("resolver-shop.payment.Money", &Schema::avro(fixture("fixtures/catalog/schemas/avro/money.avsc")))
        .unwrap();
    let with_reference = Schema::avro(fixture("fixtures/catalog/schemas/avro/refund_issued.avsc")).with_reference(
        "shop.payment.Money",
        "resolver-shop.payment.Money",
        1,
    );
    let id = client.register("resolver-refs-value", &with_reference).unwrap();
    let (_, resolver) = counting(&client);
    let schemas = WriterSchemas::with_resolver(resolver.clone());
    let framed = avro::to_message(&avro_event(), ContentType::AvroRegistry, Some(id)).unwrap();
    assert_eq!(decode(&schemas, &framed).unwrap(), AnyEvent::PaymentRefundIssuedAvro(avro_event()));
    let writer = resolver.cached(id).unwrap();
    assert_eq!(writer.source().references[0].subject, "resolver-shop.payment.Money");
    assert_eq!(
        writer.avro(),
        Some(<payment::RefundIssuedAvro as avro::AvroEvent>::avro_schema()),
        "made self-contained, it is the bindings' own schema"
    );

    // A newer writer (v3: fields reordered, added, an enum symbol the reader lacks).
    let v3 = fixture("fixtures/versions/refund_issued.v3.avsc");
    let v3_id = client.register("resolver-v3-value", &Schema::avro(v3.clone())).unwrap();
    let v3_schema = apache_avro::Schema::parse_str(&v3).unwrap();
    let record = apache_avro::types::Value::Record(vec![
        ("order_number".into(), apache_avro::types::Value::String("ORD-3".into())),
        ("refund_id".into(), apache_avro::types::Value::Uuid("7d153a66-8223-525b-8e7e-0da85ad8fe3b".parse().unwrap())),
        ("payment_id".into(), apache_avro::types::Value::Uuid("33c0c383-db6d-56f1-b520-b1a419bbd1cf".parse().unwrap())),
        ("issued_at".into(), apache_avro::types::Value::TimestampMillis(1_716_213_715_000)),
        (
            "amount".into(),
            apache_avro::types::Value::Record(vec![
                ("amount".into(), apache_avro::types::Value::Decimal(apache_avro::Decimal::from(525i64.to_be_bytes()))),
                ("currency".into(), apache_avro::types::Value::String("EUR".into())),
                ("exchange_rate".into(), apache_avro::types::Value::Double(1.1)),
            ]),
        ),
        ("reason".into(), apache_avro::types::Value::Enum(3, "goodwill".into())),
        ("partial".into(), apache_avro::types::Value::Boolean(false)),
        ("initiated_by".into(), apache_avro::types::Value::String("bot".into())),
        ("refund_fee_waived".into(), apache_avro::types::Value::Boolean(true)),
        ("refunded_items".into(), apache_avro::types::Value::Union(0, Box::new(apache_avro::types::Value::Null))),
        ("labels".into(), apache_avro::types::Value::Map(Default::default())),
        ("channel".into(), apache_avro::types::Value::Enum(3, "kiosk".into())),
    ]);
    let datum = apache_avro::to_avro_datum(&v3_schema, record).unwrap();
    let mut message = avro::to_message(&avro_event(), ContentType::AvroRegistry, Some(v3_id)).unwrap();
    message.payload = eventbind::registry::frame(v3_id, &datum);
    let AnyEvent::PaymentRefundIssuedAvro(event) = decode(&schemas, &message).unwrap() else { panic!("another type") };
    assert_eq!((event.order_number.as_str(), event.amount.amount), ("ORD-3", 5.25));
    assert_eq!(event.channel.as_str(), "other", "an unknown symbol becomes the enum's default");
}

#[test]
fn protobuf_payloads_are_checked_against_the_registry() {
    let Some((_services, client)) = setup() else { return };
    let money = Schema::protobuf(fixture("fixtures/catalog/proto/shop/payment/v1/money.proto"));
    client.register("resolver-proto/shop/payment/v1/money.proto", &money).unwrap();
    let proto = ProducerSchema::new(
        "resolver-refund-proto-value",
        SourceSchema {
            kind: SchemaKind::Protobuf,
            text: payment::RefundIssuedProto::TYPE.schema.to_owned(),
            references: vec![SourceReference {
                name: "proto/shop/payment/v1/money.proto".into(),
                subject: "resolver-proto/shop/payment/v1/money.proto".into(),
                version: 1,
            }],
        },
    );
    let (_, resolver) = counting(&client);
    let id = resolver.schema_id(&proto.auto_register(true)).unwrap();
    let event: payment::RefundIssuedProto = json::from_value(&json!({
        "metadata": {"eid": "5a9cf2a3-286e-5823-ac20-ac75928db4ce", "occurred_at": "2024-05-22T09:10:11Z",
                     "event_type": "payment.refund_issued_proto"},
        "refundId": "7d153a66-8223-525b-8e7e-0da85ad8fe3b", "orderNumber": "ORD-9"
    }))
    .unwrap();
    let framed = protobuf::to_message(&event, ContentType::ProtobufRegistry, Some((id, &[0]))).unwrap();
    let schemas = WriterSchemas::with_resolver(resolver.clone());
    assert_eq!(decode(&schemas, &framed).unwrap(), AnyEvent::PaymentRefundIssuedProto(event.clone()));
    assert_eq!(resolver.cached(id).unwrap().kind(), SchemaKind::Protobuf);

    // An Avro payload framed with the Protobuf schema's id.
    let wrong = avro::to_message(&avro_event(), ContentType::AvroRegistry, Some(id)).unwrap();
    let err = decode(&schemas, &wrong).unwrap_err().to_string();
    assert!(err.contains(&format!("schema id {id}: the writer schema is a PROTOBUF schema, not AVRO")), "{err}");
}

#[test]
fn unknown_ids_and_a_missing_registry_are_clear_errors() {
    let Some((_services, client)) = setup() else { return };
    let (count, resolver) = counting(&client);
    let schemas = WriterSchemas::with_resolver(resolver.clone());
    let unknown = avro::to_message(&avro_event(), ContentType::AvroRegistry, Some(4_000_000)).unwrap();
    for _ in 0..3 {
        assert!(matches!(decode(&schemas, &unknown), Err(CodecError::UnknownSchema(4_000_000))));
    }
    assert_eq!(count.count(), 1, "an unknown id is remembered for a while");
    let err = decode(&schemas, &unknown).unwrap_err().to_string();
    assert!(err.contains("schema id 4000000 is unknown"), "{err}");

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let down = Client::new(&format!("http://127.0.0.1:{port}")).unwrap();
    let schemas = WriterSchemas::with_resolver(Arc::new(SchemaResolver::new(down)));
    let err = decode(&schemas, &unknown).unwrap_err();
    assert!(matches!(err, CodecError::Registry { id: Some(4_000_000), .. }), "{err}");
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!(
            "schema registry http://127.0.0.1:{port}, schema id 4000000: GET /schemas/ids/4000000: no answer"
        )),
        "{shown}"
    );
}

#[test]
fn async_consumers_resolve_ahead_and_decode_without_blocking() {
    let Some((_services, client)) = setup() else { return };
    let id = client.register("resolver-async-value", &Schema::avro(payment::RefundIssuedAvro::TYPE.schema)).unwrap();
    let (count, resolver) = counting(&client);
    let schemas = WriterSchemas::with_cached_resolver(resolver.clone());
    let framed = avro::to_message(&avro_event(), ContentType::AvroRegistry, Some(id)).unwrap();
    assert!(matches!(decode(&schemas, &framed), Err(CodecError::Unresolved(i)) if i == id));
    assert_eq!(count.count(), 0, "the cached-only decoder asks nobody");
    assert_eq!(resolver.uncached_id(&framed.payload), Some(id));
    // What an async consumer runs on a blocking thread (spawn_blocking), here a plain thread.
    let ahead = resolver.clone();
    std::thread::spawn(move || ahead.resolve(id)).join().unwrap().unwrap();
    assert_eq!(resolver.uncached_id(&framed.payload), None);
    assert_eq!(decode(&schemas, &framed).unwrap(), AnyEvent::PaymentRefundIssuedAvro(avro_event()));
}
