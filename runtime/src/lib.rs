//! Runtime of eventbind: what generated bindings and hand-written events link against.
//!
//! - [`EventMetadata`], [`DataOp`]: the envelope fields of the event model.
//! - [`GeneralEvent`], [`DataChangeEvent`]: generic envelopes around a hand-written payload,
//!   decoded in one pass over the input.
//! - [`Event`] and [`EventTypeInfo`]: what every event type says about itself.
//! - [`json`]: decode and encode helpers whose errors name the JSON path of the problem.
//! - [`replay`]: stored events of chosen types and a time window, in order of occurrence,
//!   sorted externally when they do not fit in memory.
//! - [`include_bindings!`]: includes what `eventbind_build::Config::compile` wrote.
//! - `#[derive(Event)]` (feature `derive`, on by default): hand-written events; `catalog_entry`
//!   and `testing` (feature `schema`): their catalog files; `#[event(catalog = "...")]` and
//!   `include_catalog!` (feature `catalog`): compile-time conformance and bindings without a
//!   build script. See the README's "Hand-written events".
//! - [`headers`], [`registry`], [`codec`]: metadata in message headers, the schema registry's
//!   framing, and decoding by content type; the binary codecs [`avro`] and [`protobuf`] are
//!   behind the features of the same names.
//! - [`resolver`]: writer schemas by registry id for consumers (cached, bounded) and schema ids
//!   for producers, from a [`resolver::SchemaSource`]; with feature `registry` the source is
//!   [`eventbind_registry::Client`], re-exported as [`registry_client`].

#[cfg(feature = "avro")]
pub mod avro;
#[cfg(feature = "schema")]
mod catalog_entry;
pub mod codec;
mod data_op;
mod envelope;
mod event;
pub mod headers;
pub mod json;
mod metadata;
#[cfg(feature = "avro")]
mod metadata_de;
#[doc(hidden)]
pub mod private_de;
#[doc(hidden)]
pub mod private_ser;
#[cfg(feature = "protobuf")]
pub mod protobuf;
pub mod registry;
pub mod replay;
pub mod resolver;
mod split_metadata;
#[cfg(feature = "schema")]
pub mod testing;

pub use data_op::DataOp;
pub use envelope::{DataChangeEvent, GeneralEvent};
pub use event::{Category, CompatibilityMode, Event, EventTypeInfo, SchemaFormat};
pub use metadata::EventMetadata;

#[cfg(feature = "schema")]
pub use catalog_entry::{catalog_entry, payload_schema};
/// `include_catalog!("events")` expands to the bindings `build.rs` would generate from the
/// catalog folder (relative to `CARGO_MANIFEST_DIR`). Options: `unknown_fields = "preserve"`,
/// `tolerant_enums = true`, `event_type = "order.*"` (repeatable).
#[cfg(feature = "catalog")]
pub use eventbind_macros::include_catalog;
/// Implements [`Event`] for a hand-written payload type from `#[event(...)]`; see the README's
/// "Hand-written events" for every option and the checks made at compile time.
#[cfg(feature = "derive")]
pub use eventbind_macros::Event;
/// schemars, for `#[derive(JsonSchema)]` with `#[schemars(crate = "eventbind::schemars")]`.
#[cfg(feature = "schema")]
pub use schemars;

/// The schema registry's REST client (feature `registry`).
#[cfg(feature = "registry")]
pub use eventbind_registry as registry_client;

/// Fields a decoder does not know, kept under the `preserve` policy and in [`EventMetadata`].
pub type UnknownFields = serde_json::Map<String, serde_json::Value>;

/// Re-exports used by generated code, so that consumers need no direct dependency on them.
#[doc(hidden)]
pub mod __private {
    pub use chrono;
    pub use serde;
    pub use serde_json;
    pub use uuid;

    pub use crate::private_de as de;
    pub use crate::private_ser as ser;

    /// A general event's JSON form around a payload type of its own (Protobuf messages): the
    /// payload's fields beside `metadata`.
    pub fn serialize_general<S: serde::Serializer, P: serde::Serialize>(
        metadata: &crate::EventMetadata,
        payload: &P,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct General<'a, P> {
            metadata: &'a crate::EventMetadata,
            #[serde(flatten)]
            payload: &'a P,
        }
        serde::Serialize::serialize(&General { metadata, payload }, serializer)
    }

    /// Decodes a general event's JSON form into metadata and a payload type of its own, in one
    /// pass.
    pub fn deserialize_general<'de, D: serde::Deserializer<'de>, P: serde::Deserialize<'de>>(
        deserializer: D,
    ) -> Result<(crate::EventMetadata, P), D::Error> {
        let event = <crate::GeneralEvent<P> as serde::Deserialize>::deserialize(deserializer)?;
        Ok((event.metadata, event.payload))
    }

    /// Decodes a schema `default` written as JSON; used when a defaulted field is absent.
    pub fn default_from_json<T: serde::de::DeserializeOwned, E: serde::de::Error>(
        field: &'static str,
        json: &'static str,
    ) -> Result<T, E> {
        serde_json::from_str(json)
            .map_err(|e| E::custom(format_args!("default of `{field}` does not fit its type: {e}")))
    }
}

/// Includes the bindings that `eventbind_build::Config::compile` wrote to `$OUT_DIR`.
///
/// `include_bindings!()` includes `eventbind.rs`; `include_bindings!("name.rs")` another file
/// name chosen with `Config::file_name`.
#[macro_export]
macro_rules! include_bindings {
    () => {
        ::core::include!(::core::concat!(::core::env!("OUT_DIR"), "/eventbind.rs"));
    };
    ($file:literal) => {
        ::core::include!(::core::concat!(::core::env!("OUT_DIR"), "/", $file));
    };
}
