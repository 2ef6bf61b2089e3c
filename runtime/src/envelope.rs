use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::split_metadata::SplitMetadata;
use crate::{DataOp, Event, EventMetadata};

/// A general event around a hand-written payload: the payload's fields at the top level of the
/// document beside `metadata`.
///
/// Decoding reads the document once: `metadata` is lifted out while the payload's own
/// `Deserialize` reads the rest, so unknown fields follow the payload type's own policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeneralEvent<P> {
    pub metadata: EventMetadata,
    // Serializing through flatten streams the payload's entries; only decoding would buffer.
    #[serde(flatten)]
    pub payload: P,
}

impl<P: Event> GeneralEvent<P> {
    /// A new event with fresh metadata (new eid, `occurred_at` now, `event_type` filled in).
    pub fn new(payload: P) -> Self {
        GeneralEvent { metadata: P::new_metadata(), payload }
    }
}

impl<'de, P: Deserialize<'de>> Deserialize<'de> for GeneralEvent<P> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut metadata = None;
        let payload = P::deserialize(SplitMetadata { inner: deserializer, metadata: &mut metadata })?;
        let metadata = metadata.ok_or_else(|| de::Error::missing_field("metadata"))?;
        Ok(GeneralEvent { metadata, payload })
    }
}

impl<P: Event> Event for GeneralEvent<P> {
    const TYPE: crate::EventTypeInfo = P::TYPE;

    fn metadata(&self) -> Option<&EventMetadata> {
        Some(&self.metadata)
    }

    fn metadata_mut(&mut self) -> Option<&mut EventMetadata> {
        Some(&mut self.metadata)
    }
}

/// A data change event around a hand-written payload: `metadata`, `data_op`, `data_type`, and
/// the entity under `data`. Unknown top-level fields are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataChangeEvent<P> {
    pub metadata: EventMetadata,
    pub data_op: DataOp,
    pub data_type: String,
    pub data: P,
}

impl<P: Event> DataChangeEvent<P> {
    /// A new event with fresh metadata; `data_type` comes from the event type (or its name).
    pub fn new(data_op: DataOp, data: P) -> Self {
        DataChangeEvent {
            metadata: P::new_metadata(),
            data_op,
            data_type: P::TYPE.data_type.unwrap_or(P::TYPE.name).to_owned(),
            data,
        }
    }
}

impl<P: Event> Event for DataChangeEvent<P> {
    const TYPE: crate::EventTypeInfo = P::TYPE;

    fn metadata(&self) -> Option<&EventMetadata> {
        Some(&self.metadata)
    }

    fn metadata_mut(&mut self) -> Option<&mut EventMetadata> {
        Some(&mut self.metadata)
    }
}
