//! eventbind's event store: every event as it happened, in Parquet files partitioned the way
//! Spark, Athena and Presto discover partitions (`STORE/event_type=<name>/date=<YYYY-MM-DD>/`),
//! typed by the catalog.
//!
//! Pipeline: IR → [`table`] (the columns of each event type and how each reads the JSON form) →
//! [`arrow_schema`] and [`spark`] (the schemas engines read) → [`encode`] (events into Arrow
//! columns) → [`write`] (validated, de-duplicated, partitioned, immutable files) → [`read`]
//! (the files back into events, in replay order).

pub mod arrow_schema;
pub mod convert;
pub mod decode;
pub mod encode;
pub mod input;
pub mod layout;
pub mod progress;
pub mod read;
pub mod spark;
pub mod table;
pub mod write;
