use std::fmt;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::UnknownFields;

/// The `metadata` object of an event envelope.
///
/// Intermediaries add fields no schema declares (`published_by`, `span_ctx`, …): they are kept in
/// [`extra`](Self::extra) and written back, so pass-through services lose nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct EventMetadata {
    /// Unique per event; consumers de-duplicate on it.
    pub eid: Uuid,
    /// When the producer says it happened, at the offset the producer wrote (a decode → encode
    /// writes it back as it came, as payload date-times are).
    pub occurred_at: DateTime<FixedOffset>,
    /// The event type's name; brokers fill it in.
    pub event_type: Option<String>,
    /// Set by an intermediary on receipt, at the offset it wrote.
    pub received_at: Option<DateTime<FixedOffset>>,
    /// Schema version used to validate, set by an intermediary.
    pub version: Option<String>,
    /// Events that caused this one.
    pub parent_eids: Vec<Uuid>,
    /// The X-Flow-Id of the request that caused it.
    pub flow_id: Option<String>,
    /// Partition assigned by the broker.
    pub partition: Option<String>,
    /// Tenant the event belongs to, on multi-tenant platforms.
    pub tenant_id: Option<String>,
    /// Trace id that follows the flow across services.
    pub trace_id: Option<String>,
    /// Every field not listed above, as received.
    pub extra: UnknownFields,
}

impl EventMetadata {
    /// Fresh metadata for a new event: a new v4 eid, `occurred_at` now, `event_type` filled in.
    pub fn new(event_type: impl Into<String>) -> Self {
        Self::at(event_type, Utc::now())
    }

    /// Metadata with a new eid for an event that occurred at `occurred_at` (a `DateTime<Utc>`
    /// or a `DateTime<FixedOffset>`).
    pub fn at(event_type: impl Into<String>, occurred_at: impl Into<DateTime<FixedOffset>>) -> Self {
        EventMetadata {
            eid: Uuid::new_v4(),
            occurred_at: occurred_at.into(),
            event_type: Some(event_type.into()),
            received_at: None,
            version: None,
            parent_eids: Vec::new(),
            flow_id: None,
            partition: None,
            tenant_id: None,
            trace_id: None,
            extra: UnknownFields::new(),
        }
    }

    /// Sets the flow id.
    pub fn with_flow_id(mut self, flow_id: impl Into<String>) -> Self {
        self.flow_id = Some(flow_id.into());
        self
    }

    /// Records the event that caused this one.
    pub fn caused_by(mut self, parent_eid: Uuid) -> Self {
        self.parent_eids.push(parent_eid);
        self
    }

    /// Sets the tenant id.
    pub fn with_tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant_id.into());
        self
    }

    /// Sets the trace id.
    pub fn with_trace_id(mut self, trace_id: impl Into<String>) -> Self {
        self.trace_id = Some(trace_id.into());
        self
    }
}

impl Serialize for EventMetadata {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("eid", &self.eid)?;
        // RFC 3339 normal form, as payload date-times: `Z` for a zero offset, the offset kept.
        map.serialize_entry("occurred_at", &self.occurred_at.to_rfc3339_opts(SecondsFormat::AutoSi, true))?;
        if let Some(v) = &self.event_type {
            map.serialize_entry("event_type", v)?;
        }
        if let Some(v) = &self.received_at {
            map.serialize_entry("received_at", &v.to_rfc3339_opts(SecondsFormat::AutoSi, true))?;
        }
        if let Some(v) = &self.version {
            map.serialize_entry("version", v)?;
        }
        if !self.parent_eids.is_empty() {
            map.serialize_entry("parent_eids", &self.parent_eids)?;
        }
        if let Some(v) = &self.flow_id {
            map.serialize_entry("flow_id", v)?;
        }
        if let Some(v) = &self.partition {
            map.serialize_entry("partition", v)?;
        }
        if let Some(v) = &self.tenant_id {
            map.serialize_entry("tenant_id", v)?;
        }
        if let Some(v) = &self.trace_id {
            map.serialize_entry("trace_id", v)?;
        }
        for (k, v) in &self.extra {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

enum Field {
    Eid,
    OccurredAt,
    EventType,
    ReceivedAt,
    Version,
    ParentEids,
    FlowId,
    Partition,
    TenantId,
    TraceId,
    Other(String),
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a metadata field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                Ok(match v {
                    "eid" => Field::Eid,
                    "occurred_at" => Field::OccurredAt,
                    "event_type" => Field::EventType,
                    "received_at" => Field::ReceivedAt,
                    "version" => Field::Version,
                    "parent_eids" => Field::ParentEids,
                    "flow_id" => Field::FlowId,
                    "partition" => Field::Partition,
                    "tenant_id" => Field::TenantId,
                    "trace_id" => Field::TraceId,
                    other => Field::Other(other.to_owned()),
                })
            }
        }
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

fn put<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

impl<'de> Deserialize<'de> for EventMetadata {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MetadataVisitor;
        impl<'de> Visitor<'de> for MetadataVisitor {
            type Value = EventMetadata;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("event metadata (an object with eid and occurred_at)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EventMetadata, A::Error> {
                let (mut eid, mut occurred_at, mut event_type, mut received_at) = (None, None, None, None);
                let (mut version, mut parent_eids, mut flow_id, mut partition) = (None, None, None, None);
                let (mut tenant_id, mut trace_id) = (None, None);
                let mut extra = UnknownFields::new();
                while let Some(key) = map.next_key::<Field>()? {
                    match key {
                        Field::Eid => put(&mut map, &mut eid, "eid")?,
                        Field::OccurredAt => put(&mut map, &mut occurred_at, "occurred_at")?,
                        Field::EventType => put(&mut map, &mut event_type, "event_type")?,
                        Field::ReceivedAt => put(&mut map, &mut received_at, "received_at")?,
                        Field::Version => put(&mut map, &mut version, "version")?,
                        Field::ParentEids => put(&mut map, &mut parent_eids, "parent_eids")?,
                        Field::FlowId => put(&mut map, &mut flow_id, "flow_id")?,
                        Field::Partition => put(&mut map, &mut partition, "partition")?,
                        Field::TenantId => put(&mut map, &mut tenant_id, "tenant_id")?,
                        Field::TraceId => put(&mut map, &mut trace_id, "trace_id")?,
                        Field::Other(name) => {
                            let value = map.next_value()?;
                            extra.insert(name, value);
                        }
                    }
                }
                Ok(EventMetadata {
                    eid: eid.ok_or_else(|| de::Error::missing_field("eid"))?,
                    occurred_at: occurred_at.ok_or_else(|| de::Error::missing_field("occurred_at"))?,
                    event_type: event_type.flatten(),
                    received_at: received_at.flatten(),
                    version: version.flatten(),
                    parent_eids: parent_eids.flatten().unwrap_or_default(),
                    flow_id: flow_id.flatten(),
                    partition: partition.flatten(),
                    tenant_id: tenant_id.flatten(),
                    trace_id: trace_id.flatten(),
                    extra,
                })
            }
        }
        deserializer.deserialize_map(MetadataVisitor)
    }
}
