//! The example services end to end, against the harness's Kafka broker and Karapace: the
//! catalog's two versions are published to the registry (as CI would), poison records are
//! written among the good ones, `shop-producer` (catalog 2.0.0) writes JSON, framed Avro and
//! framed Protobuf events, and `shop-consumer` (catalog 1.0.0) decodes every good record with
//! writer schemas from the registry and reports every poison record, going on after each.

use std::collections::BTreeMap;
use std::process::Command;
use std::time::Duration;

use eventbind::headers::{self, ContentType};
use eventbind::resolver::topic_subject;
use eventbind::{Event, EventMetadata};
use eventbind_example_kafka::{kafka_headers, v1, v2, ORDERS, PARCELS, PAYMENTS};
use eventbind_registry::{Client, Compatibility, Schema, SchemaType, Version};
use rdkafka::config::ClientConfig;
use rdkafka::producer::{BaseRecord, DefaultProducerContext, Producer, ThreadedProducer};
use serde_json::Value;

/// Registers both catalog versions of each event type under its topic's subject, oldest first,
/// as CI would. Each subject is FORWARD: consumers of the older version read what the newer one
/// writes, which the registry checks when 2.0.0 comes.
fn publish(registry: &Client) -> BTreeMap<&'static str, Vec<u32>> {
    let mut ids = BTreeMap::new();
    let versions: [(&str, SchemaType, [&str; 2]); 3] = [
        (ORDERS, SchemaType::Json, [v1::shop::OrderPlaced::TYPE.schema, v2::shop::OrderPlaced::TYPE.schema]),
        (PAYMENTS, SchemaType::Avro, [v1::shop::PaymentCaptured::TYPE.schema, v2::shop::PaymentCaptured::TYPE.schema]),
        (PARCELS, SchemaType::Protobuf, [v1::shop::ParcelShipped::TYPE.schema, v2::shop::ParcelShipped::TYPE.schema]),
    ];
    for (topic, schema_type, texts) in versions {
        let subject = topic_subject(topic);
        let v1 = registry.register(&subject, &Schema::new(schema_type, texts[0])).unwrap();
        registry.set_subject_compatibility(&subject, Compatibility::Forward).unwrap();
        let v2 = Schema::new(schema_type, texts[1]);
        let check = registry.check_compatibility(&subject, &v2, Version::Latest).unwrap();
        assert!(check.is_compatible, "{subject}: {:?}", check.messages);
        let registered = vec![v1, registry.register(&subject, &v2).unwrap()];
        assert_eq!(registry.versions(&subject).unwrap(), [1, 2], "{subject}");
        ids.insert(topic, registered);
    }
    ids
}

/// Headers of a record of `event_type` in `content_type`, as a producer would write them.
fn headers_of(event_type: &str, content_type: ContentType) -> Vec<(String, Vec<u8>)> {
    let mut h = vec![(headers::CONTENT_TYPE.to_owned(), content_type.as_str().as_bytes().to_vec())];
    h.extend(EventMetadata::new(event_type).to_headers());
    h
}

/// Poison records, one of each kind, written before the good ones; what the consumer must say.
fn write_poison(bootstrap: &str, ids: &BTreeMap<&str, Vec<u32>>) -> Vec<(&'static str, String)> {
    let producer: ThreadedProducer<DefaultProducerContext> =
        ClientConfig::new().set("bootstrap.servers", bootstrap).create().unwrap();
    let payments = ids[PAYMENTS][1];
    let parcels = ids[PARCELS][1];
    let avro = headers_of("shop.payment_captured", ContentType::AvroRegistry);
    let proto = headers_of("shop.parcel_shipped", ContentType::ProtobufRegistry);
    // (topic, headers, payload, what the consumer's error for it says)
    let poison: Vec<(&str, eventbind::headers::Headers, Vec<u8>, String)> = vec![
        (PAYMENTS, avro.clone(), vec![7, 0, 0, 0, 1, 2], "not a schema registry frame: the first byte is 0x07".into()),
        (PAYMENTS, avro.clone(), vec![0, 0, 0], "schema registry frame too short: 3 bytes".into()),
        (
            PAYMENTS,
            avro.clone(),
            eventbind::registry::frame(4_000_001, &[2, 0x41]),
            "schema id 4000001 is unknown: not among the decoder's writer schemas nor in the schema registry".into(),
        ),
        (PAYMENTS, avro, eventbind::registry::frame(payments, &[0x80]), "payload: ".into()),
        (
            PARCELS,
            proto,
            eventbind::registry::frame_protobuf(parcels, &[0], &[0xff, 0xff]),
            "payload: not a `shop.shipping.v1.ParcelShipped` message".into(),
        ),
        (ORDERS, headers_of("shop.order_placed", ContentType::Json), b"{\"metadata\": 1".to_vec(), "".into()),
        (PAYMENTS, Vec::new(), b"no headers at all".to_vec(), "header `content-type`: missing".into()),
    ];
    let mut expected = Vec::new();
    for (topic, headers, payload, error) in poison {
        let record = BaseRecord::to(topic).key("poison").payload(&payload).headers(kafka_headers(&headers));
        producer.send(record).map_err(|(e, _)| e).unwrap();
        expected.push((topic, error));
    }
    producer.flush(Duration::from_secs(30)).unwrap();
    expected
}

fn run(program: &str, args: &[&str]) -> (String, String) {
    let out = Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    let (stdout, stderr) =
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert!(out.status.success(), "{program} {args:?} failed ({}):\n{stdout}\n{stderr}", out.status);
    (stdout, stderr)
}

#[test]
fn an_older_consumer_reads_what_a_newer_producer_writes_and_skips_poison() {
    let Some(services) = eventbind_services::shared() else { return };
    let (bootstrap, url) = (services.kafka.bootstrap(), services.registry.url());
    let registry = Client::new(&url).unwrap();
    let ids = publish(&registry);
    let poison = write_poison(&bootstrap, &ids);

    let (out, _) =
        run(env!("CARGO_BIN_EXE_shop-producer"), &["--bootstrap", &bootstrap, "--registry", &url, "--count", "3"]);
    assert!(out.contains(&format!("{PAYMENTS} (schema id {})", ids[PAYMENTS][1])), "the 2.0.0 schema's id: {out}");
    assert!(out.contains(&format!("{PARCELS} (schema id {})", ids[PARCELS][1])), "{out}");

    let expect = (poison.len() + 9).to_string();
    let (out, err) = run(
        env!("CARGO_BIN_EXE_shop-consumer"),
        &["--bootstrap", &bootstrap, "--registry", &url, "--group", "e2e", "--expect", &expect],
    );
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), poison.len() + 9, "{out}\n{err}");
    assert!(err.contains("9 decoded, 7 rejected"), "{err}");

    // Each topic's records in order: the poison first, then the good ones; nothing stopped.
    for topic in [ORDERS, PAYMENTS, PARCELS] {
        let of_topic: Vec<&Value> = lines.iter().filter(|l| l["at"]["topic"] == topic).collect();
        let errors: Vec<&str> = of_topic.iter().filter_map(|l| l["error"].as_str()).collect();
        let wanted: Vec<&String> = poison.iter().filter(|(t, _)| *t == topic).map(|(_, e)| e).collect();
        assert_eq!(errors.len(), wanted.len(), "{topic}: {out}");
        for (got, want) in errors.iter().zip(&wanted) {
            assert!(got.contains(want.as_str()), "{topic}: `{got}` should say `{want}`");
        }
        let events: Vec<&Value> = of_topic.iter().filter_map(|l| l.get("event")).collect();
        assert_eq!(events.len(), 3, "{topic}: {out}");
        assert!(of_topic[..wanted.len()].iter().all(|l| l.get("error").is_some()), "poison first: {out}");
    }

    // The 1.0.0 view of 2.0.0 events: the fields it knows, with the written values.
    let event = |event_type: &str, n: usize| -> &Value {
        let found: Vec<&Value> = lines.iter().filter(|l| l["event_type"] == event_type).map(|l| &l["event"]).collect();
        found[n]
    };
    let order = event("shop.order_placed", 1);
    assert_eq!((order["order_id"].as_str(), order["total_cents"].as_i64()), (Some("ORD-2"), Some(2000)));
    assert!(order.get("coupon").is_none() && order.get("gift").is_none(), "2.0.0 fields are not in 1.0.0: {order}");
    assert_eq!(order["metadata"]["version"], "2.0.0", "written by the 2.0.0 producer");
    let payment = event("shop.payment_captured", 2);
    assert_eq!(payment["payment_id"], "PAY-3");
    assert_eq!((payment["amount_cents"].as_i64(), payment["currency"].as_str()), (Some(3000), Some("EUR")));
    assert!(payment.get("method").is_none(), "{payment}");
    assert_eq!(payment["metadata"]["flow_id"], "example-flow", "metadata from the headers");
    let parcel = event("shop.parcel_shipped", 0);
    assert_eq!((parcel["parcelId"].as_str(), parcel["carrier"].as_str()), (Some("PCL-1"), Some("duck-post")));
    assert!(parcel.get("trackingUrl").is_none(), "{parcel}");
    assert!(err.contains("2 writer schemas cached"), "the Avro and Protobuf writers, fetched once: {err}");
}
