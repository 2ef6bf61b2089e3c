//! The subject an event type's schema is registered under: the registry serializers' subject
//! name strategies, as `eventbind.yaml`'s `registry:` section chooses them.
//!
//! | strategy | subject |
//! |---|---|
//! | `topic` | `<docs.topic>-value` (`<name>-value` without a documented topic) |
//! | `record` | the record's fully-qualified name |
//! | `topic_record` | `<docs.topic>-<record name>` |
//!
//! The record name is what Confluent's `RecordNameStrategy` takes from the schema (and Karapace's
//! serializer likewise): an Avro named type's full name (`namespace.name`), the Protobuf payload
//! message's full name (`schema.message`), a JSON Schema's `title`.

use serde_json::Value;

use crate::registry_config::{RegistryConfig, SubjectChoice, SubjectStrategy};
use eventbind_build::catalog::EventType;
use eventbind_build::diagnostic::{Diagnostic, Location};
use eventbind_registry::{Schema, SchemaType};

/// The event type's topic: `docs.topic`, else its name.
pub fn topic(e: &EventType) -> &str {
    e.docs.as_ref().and_then(|d| d.get("topic")).and_then(Value::as_str).unwrap_or(&e.name)
}

/// The subject of `e`, whose schema as the registry receives it is `schema`.
pub fn subject(config: &RegistryConfig, e: &EventType, schema: &Schema) -> Result<String, Diagnostic> {
    let strategy = match config.choice(&e.name) {
        SubjectChoice::Subject(subject) => return Ok(subject),
        SubjectChoice::Strategy(strategy) => strategy,
    };
    let record = || {
        record_name(e, schema).map_err(|why| {
            Diagnostic::new(
                Location::at(&e.file, "/schema"),
                format!("subject strategy `{}` needs the record's name, but {why}", strategy.as_str()),
            )
            .help("name the record in the schema, or give the event type a `subject` (or the `topic` strategy) under `registry: event_types:` in eventbind.yaml")
        })
    };
    Ok(match strategy {
        SubjectStrategy::Topic => format!("{}-value", topic(e)),
        SubjectStrategy::Record => record()?,
        SubjectStrategy::TopicRecord => format!("{}-{}", topic(e), record()?),
    })
}

/// The record's fully-qualified name, or why it has none.
pub fn record_name(e: &EventType, schema: &Schema) -> Result<String, String> {
    match schema.schema_type {
        SchemaType::Avro => {
            let value: Value =
                serde_json::from_str(&schema.schema).map_err(|e| format!("the Avro schema is not JSON: {e}"))?;
            let name = value
                .get("name")
                .and_then(Value::as_str)
                .ok_or("the Avro schema is no named type (record, enum or fixed)")?;
            Ok(match value.get("namespace").and_then(Value::as_str) {
                // A dotted name is already full; an empty namespace is the null namespace.
                Some(ns) if !ns.is_empty() && !name.contains('.') => format!("{ns}.{name}"),
                _ => name.to_owned(),
            })
        }
        SchemaType::Protobuf => {
            e.schema.message.clone().ok_or_else(|| "`schema.message` names no payload message".to_owned())
        }
        SchemaType::Json => {
            let value: Value =
                serde_json::from_str(&schema.schema).map_err(|e| format!("the JSON Schema is not JSON: {e}"))?;
            match value.get("title").and_then(Value::as_str) {
                Some(title) if !title.trim().is_empty() => Ok(title.to_owned()),
                _ => Err("the JSON Schema has no `title`".to_owned()),
            }
        }
    }
}
