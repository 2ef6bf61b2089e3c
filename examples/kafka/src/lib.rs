//! An example shop's producer and consumer services over Kafka with a schema registry.
//!
//! Three event types, one per schema language, each on a topic of its own (`docs.topic`):
//!
//! | event type | topic | on the wire |
//! |---|---|---|
//! | `shop.order_placed` | `shop.order_placed` | JSON (`application/json`), the whole event |
//! | `shop.payment_captured` | `shop.payment_captured` | Avro in the registry's framing, metadata in headers |
//! | `shop.parcel_shipped` | `shop.parcel_shipped` | Protobuf in the registry's framing, metadata in headers |
//!
//! The catalog has two versions ([`v1`], [`v2`]): `shop-producer` is built from 2.0.0,
//! `shop-consumer` from 1.0.0, and reads what 2.0.0 writes: Avro through schema resolution
//! against the writer schema it fetches from the registry by the id in the frame, Protobuf and
//! JSON by skipping what it does not know.

use rdkafka::message::{BorrowedMessage, Header, Headers, Message, OwnedHeaders};

/// Bindings of catalog version 1.0.0 (what the consumer was built from).
pub mod v1 {
    eventbind::include_bindings!("v1.rs");
}

/// Bindings of catalog version 2.0.0 (what the producer was built from).
pub mod v2 {
    eventbind::include_bindings!("v2.rs");
}

/// The topics of the three event types.
pub const ORDERS: &str = "shop.order_placed";
pub const PAYMENTS: &str = "shop.payment_captured";
pub const PARCELS: &str = "shop.parcel_shipped";
pub const TOPICS: [&str; 3] = [ORDERS, PAYMENTS, PARCELS];

/// eventbind's message headers as Kafka headers.
pub fn kafka_headers(headers: &[(String, Vec<u8>)]) -> OwnedHeaders {
    headers.iter().fold(OwnedHeaders::new_with_capacity(headers.len()), |out, (key, value)| {
        out.insert(Header { key: key.as_str(), value: Some(value.as_slice()) })
    })
}

/// A Kafka record's headers as eventbind reads them (a header without a value reads as empty).
pub fn record_headers<'m>(message: &'m BorrowedMessage<'_>) -> Vec<(&'m str, &'m [u8])> {
    message
        .headers()
        .map(|headers| headers.iter().map(|h| (h.key, h.value.unwrap_or_default())).collect())
        .unwrap_or_default()
}
