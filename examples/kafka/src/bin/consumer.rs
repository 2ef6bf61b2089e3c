//! `shop-consumer`: reads the example topics with the bindings of catalog 1.0.0 and prints one
//! JSON line per record: the event as it decoded, or the error for that record (a poison
//! message is reported and skipped; the consumer goes on). Writer schemas of framed payloads
//! come from the schema registry by the id in the frame, cached.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use eventbind::codec::WriterSchemas;
use eventbind::resolver::SchemaResolver;
use eventbind_example_kafka::v1::AnyEvent;
use eventbind_example_kafka::{record_headers, TOPICS};
use eventbind_registry::Client;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::Message;
use serde_json::json;

#[derive(Parser)]
#[command(about = "Reads example shop events from Kafka")]
struct Args {
    /// Kafka bootstrap servers.
    #[arg(long)]
    bootstrap: String,
    /// The schema registry's URL.
    #[arg(long)]
    registry: String,
    /// The consumer group.
    #[arg(long, default_value = "shop-consumer")]
    group: String,
    /// Stop after this many records.
    #[arg(long)]
    expect: Option<usize>,
    /// Stop after this many seconds without a record.
    #[arg(long, default_value_t = 30)]
    idle_secs: u64,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shop-consumer: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let resolver = Arc::new(SchemaResolver::new(Client::new(&args.registry)?));
    let schemas = WriterSchemas::with_resolver(resolver.clone());
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &args.bootstrap)
        .set("group.id", &args.group)
        .set("auto.offset.reset", "earliest")
        // Offsets are stored once a record is handled (decoded or reported), then committed.
        .set("enable.auto.offset.store", "false")
        .create()?;
    consumer.subscribe(&TOPICS)?;
    let (mut decoded, mut rejected) = (0usize, 0usize);
    let mut last = Instant::now();
    while args.expect.is_none_or(|n| decoded + rejected < n) && last.elapsed() < Duration::from_secs(args.idle_secs) {
        let record = match consumer.poll(Duration::from_millis(500)) {
            None => continue,
            Some(Err(e)) => {
                eprintln!("shop-consumer: kafka: {e}");
                continue;
            }
            Some(Ok(record)) => record,
        };
        last = Instant::now();
        let at = json!({"topic": record.topic(), "partition": record.partition(), "offset": record.offset()});
        let headers = record_headers(&record);
        let line = match AnyEvent::from_message(&headers, record.payload().unwrap_or_default(), &schemas) {
            Ok(event) => {
                decoded += 1;
                json!({"at": at, "event_type": event.event_type(), "event": serde_json::to_value(&event)?})
            }
            Err(e) => {
                rejected += 1;
                json!({"at": at, "error": e.to_string()})
            }
        };
        println!("{line}");
        consumer.store_offset_from_message(&record)?;
    }
    consumer.commit_consumer_state(rdkafka::consumer::CommitMode::Sync).ok();
    eprintln!(
        "shop-consumer: {} records: {decoded} decoded, {rejected} rejected; {} writer schemas cached",
        decoded + rejected,
        resolver.len()
    );
    Ok(())
}
