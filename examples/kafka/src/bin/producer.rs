//! `shop-producer`: writes `--count` events of each example event type (catalog 2.0.0) to Kafka.
//! JSON as the whole document; Avro and Protobuf in the schema registry's framing, with the id
//! of their schema looked up in the registry (registered first only with `--auto-register`:
//! in production CI publishes the catalog, and producers never register). Metadata travels in
//! the headers.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use eventbind::headers::{self, ContentType};
use eventbind::resolver::{topic_subject, ProducerSchema, SchemaResolver};
use eventbind::{avro, json, protobuf, Event, EventMetadata};
use eventbind_example_kafka::v2::shop;
use eventbind_example_kafka::{kafka_headers, ORDERS, PARCELS, PAYMENTS};
use eventbind_registry::Client;
use rdkafka::config::ClientConfig;
use rdkafka::producer::{BaseRecord, DefaultProducerContext, Producer, ThreadedProducer};
use serde_json::json;

#[derive(Parser)]
#[command(about = "Writes example shop events to Kafka")]
struct Args {
    /// Kafka bootstrap servers.
    #[arg(long)]
    bootstrap: String,
    /// The schema registry's URL.
    #[arg(long)]
    registry: String,
    /// Events of each type.
    #[arg(long, default_value_t = 3)]
    count: usize,
    /// Register the schemas when the registry does not have them.
    #[arg(long)]
    auto_register: bool,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shop-producer: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Fresh metadata of an event of `T`, with the schema version of the producer's bindings.
fn metadata<T: Event>() -> serde_json::Value {
    let mut metadata = EventMetadata::new(T::TYPE.name);
    metadata.version = Some(T::TYPE.schema_version.to_owned());
    metadata.flow_id = Some("example-flow".into());
    serde_json::to_value(metadata).expect("metadata serializes")
}

fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let resolver = SchemaResolver::new(Client::new(&args.registry)?);
    let payment_id = resolver.schema_id(
        &ProducerSchema::of::<shop::PaymentCaptured>(topic_subject(PAYMENTS)).auto_register(args.auto_register),
    )?;
    let parcel_id = resolver.schema_id(
        &ProducerSchema::of::<shop::ParcelShipped>(topic_subject(PARCELS)).auto_register(args.auto_register),
    )?;
    let producer: ThreadedProducer<DefaultProducerContext> = ClientConfig::new()
        .set("bootstrap.servers", &args.bootstrap)
        .set("message.timeout.ms", "30000")
        .set("enable.idempotence", "true")
        .create()?;
    let send = |topic: &str, key: Option<Vec<String>>, message: eventbind::codec::Message| {
        let key = key.map(|k| k.join(",")).unwrap_or_default();
        let record = BaseRecord::to(topic).key(&key).payload(&message.payload).headers(kafka_headers(&message.headers));
        producer.send(record).map_err(|(e, _)| e)
    };

    for n in 1..=args.count {
        let order: shop::OrderPlaced = json::from_value(&json!({
            "metadata": metadata::<shop::OrderPlaced>(),
            "order_id": format!("ORD-{n}"),
            "customer_id": format!("C-{n}"),
            "total_cents": 1000 * n,
            "coupon": "WELCOME",
            "gift": n % 2 == 0
        }))?;
        // JSON Schema types: the document carries everything; the headers say what it is.
        let mut order_headers =
            vec![(headers::CONTENT_TYPE.to_owned(), ContentType::Json.as_str().as_bytes().to_vec())];
        order_headers.extend(order.metadata.to_headers());
        let order_message = eventbind::codec::Message { headers: order_headers, payload: json::to_vec(&order)? };
        send(ORDERS, order.partition_key(), order_message)?;

        let payment: shop::PaymentCaptured = json::from_value(&json!({
            "metadata": metadata::<shop::PaymentCaptured>(),
            "payment_id": format!("PAY-{n}"),
            "order_id": format!("ORD-{n}"),
            "amount_cents": 1000 * n,
            "currency": "EUR",
            "method": "wallet",
            "captured_at": "2026-12-04T10:00:00Z"
        }))?;
        let message = avro::to_message(&payment, ContentType::AvroRegistry, Some(payment_id))?;
        send(PAYMENTS, payment.partition_key(), message)?;

        let parcel: shop::ParcelShipped = json::from_value(&json!({
            "metadata": metadata::<shop::ParcelShipped>(),
            "parcelId": format!("PCL-{n}"),
            "orderId": format!("ORD-{n}"),
            "carrier": "duck-post",
            "trackingUrl": format!("https://track.example/PCL-{n}"),
            "weightGrams": 250 * n
        }))?;
        let message = protobuf::to_message(&parcel, ContentType::ProtobufRegistry, Some((parcel_id, &[0])))?;
        send(PARCELS, parcel.partition_key(), message)?;
    }
    producer.flush(Duration::from_secs(30))?;
    println!(
        "produced {} events to each of {ORDERS}, {PAYMENTS} (schema id {payment_id}), {PARCELS} (schema id {parcel_id})",
        args.count
    );
    Ok(())
}
