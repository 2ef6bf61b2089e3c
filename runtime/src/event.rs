use crate::EventMetadata;

/// The envelope an event type uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Payload fields at the top level beside `metadata` (Nakadi's `business`).
    General,
    /// `metadata`, `data_op`, `data_type` and the payload under `data`.
    Data,
    /// The payload alone, no envelope.
    Undefined,
}

/// How a schema may evolve (the event guidelines' modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompatibilityMode {
    /// Only additions of optional properties; every published event validates against the newest schema.
    Compatible,
    /// The previous schema can read events written with the new one.
    Forward,
    /// Anything goes.
    None,
}

/// The language the payload schema is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaFormat {
    JsonSchema,
    Avro,
    Protobuf,
}

/// What an event type says about itself: its catalog entry, as constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventTypeInfo {
    pub name: &'static str,
    pub category: Category,
    pub schema_version: &'static str,
    pub owning_application: &'static str,
    pub compatibility_mode: CompatibilityMode,
    /// Paths into the event document (e.g. `data.contact_id`) whose values choose the partition.
    pub partition_key_fields: &'static [&'static str],
    /// The business entity of a data change event.
    pub data_type: Option<&'static str>,
    pub schema_format: SchemaFormat,
    /// The payload schema as written in the catalog.
    pub schema: &'static str,
}

/// Implemented by every generated event type and every `#[derive(eventbind::Event)]` payload.
pub trait Event {
    /// The event type's catalog entry.
    const TYPE: EventTypeInfo;

    /// The envelope metadata, for types that carry it.
    fn metadata(&self) -> Option<&EventMetadata> {
        None
    }

    /// The envelope metadata, mutable, for types that carry it.
    fn metadata_mut(&mut self) -> Option<&mut EventMetadata> {
        None
    }

    /// Fresh metadata for a new event of this type: new eid, `occurred_at` now, `event_type` set.
    fn new_metadata() -> EventMetadata {
        EventMetadata::new(Self::TYPE.name)
    }

    /// The values of the partition key fields, in order, rendered as strings (JSON text for
    /// non-strings); `None` when the type declares no key or a key field is absent.
    fn partition_key(&self) -> Option<Vec<String>>
    where
        Self: serde::Serialize,
    {
        let fields = Self::TYPE.partition_key_fields;
        if fields.is_empty() {
            return None;
        }
        let doc = serde_json::to_value(self).ok()?;
        fields
            .iter()
            .map(|path| {
                let value = path.split('.').try_fold(&doc, |v, key| v.get(key))?;
                Some(match value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
            })
            .collect()
    }
}
