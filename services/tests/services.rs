//! The harness against the real services: both start, the registry stores and returns a schema
//! over HTTP, the broker carries a record with headers; a dropped broker leaves no process and
//! keeps its log when the run failed.

use std::time::Duration;

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Header, Headers, Message, OwnedHeaders};
use rdkafka::producer::{BaseRecord, DefaultProducerContext, Producer, ThreadedProducer};
use rdkafka::{Offset, TopicPartitionList};
use serde_json::json;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(30))).build().into()
}

#[test]
fn the_registry_stores_a_schema_and_returns_it_by_id() {
    let Some(services) = eventbind_services::shared() else { return };
    let base = services.registry.url();
    let schema = json!({"type": "record", "name": "Probe", "namespace": "eventbind.services",
                        "fields": [{"name": "n", "type": "long"}]});
    let body = json!({"schema": schema.to_string()}).to_string();
    let mut response = agent()
        .post(format!("{base}/subjects/services-probe-value/versions"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .send(&body)
        .expect("registering a schema");
    let registered: serde_json::Value =
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).expect("a JSON answer");
    let id = registered["id"].as_u64().expect("an id");
    let mut response = agent().get(format!("{base}/schemas/ids/{id}")).call().expect("the schema by id");
    let back: serde_json::Value = serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    let text = back["schema"].as_str().expect("the schema text");
    assert_eq!(serde_json::from_str::<serde_json::Value>(text).unwrap(), schema);
    let mut response =
        agent().get(format!("{base}/subjects/services-probe-value/versions")).call().expect("the versions");
    assert_eq!(response.body_mut().read_to_string().unwrap(), "[1]");
}

#[test]
fn the_broker_carries_a_record_with_headers() {
    let Some(services) = eventbind_services::shared() else { return };
    let topic = "services-probe";
    let producer: ThreadedProducer<DefaultProducerContext> = ClientConfig::new()
        .set("bootstrap.servers", services.kafka.bootstrap())
        .set("message.timeout.ms", "30000")
        .create()
        .expect("a producer");
    let headers = OwnedHeaders::new()
        .insert(Header { key: "content-type", value: Some("application/json") })
        .insert(Header { key: "eventbind-eid", value: Some(&b"\x00binary\xff"[..]) });
    producer
        .send(BaseRecord::to(topic).key("k1").payload(r#"{"n": 1}"#).headers(headers))
        .map_err(|(e, _)| e)
        .expect("a record queued");
    producer.flush(Duration::from_secs(30)).expect("the record delivered");

    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", services.kafka.bootstrap())
        .set("group.id", "services-probe")
        .set("enable.auto.commit", "false")
        .create()
        .expect("a consumer");
    let mut partitions = TopicPartitionList::new();
    partitions.add_partition_offset(topic, 0, Offset::Beginning).unwrap();
    consumer.assign(&partitions).unwrap();
    let message = match consumer.poll(Duration::from_secs(30)) {
        Some(Ok(m)) => m.detach(),
        Some(Err(e)) => panic!("consuming: {e}"),
        None => panic!("no record within 30 s"),
    };
    assert_eq!(message.key(), Some(&b"k1"[..]));
    assert_eq!(message.payload(), Some(&br#"{"n": 1}"#[..]));
    let headers = message.headers().expect("headers");
    let got: Vec<(&str, Option<&[u8]>)> = headers.iter().map(|h| (h.key, h.value)).collect();
    assert_eq!(
        got,
        [("content-type", Some(&b"application/json"[..])), ("eventbind-eid", Some(&b"\x00binary\xff"[..]))]
    );
}
