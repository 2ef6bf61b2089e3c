//! Messages in any encoding: a payload plus headers (see [`crate::headers`]). The JSON form carries
//! the whole event; binary forms (Avro, Protobuf, and their schema-registry framings) carry the
//! payload and leave the metadata to the headers. Generated `AnyEvent::from_message` dispatches on
//! the `content-type` and event type headers and ends up in the codecs here.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::headers::{ContentType, HeaderError, Headers};
use crate::json::DecodeError;
use crate::registry::FrameError;
use crate::resolver::{SchemaKind, SchemaResolver, WriterSchema};

/// Why a message could not be decoded or encoded.
#[derive(Debug)]
pub enum CodecError {
    /// A header is missing or malformed.
    Header(HeaderError),
    /// The schema registry framing is wrong.
    Frame(FrameError),
    /// The JSON form (or the payload converted to it) does not fit the event type.
    Json(DecodeError),
    /// The binary payload does not match the writer's schema, or the schemas do not resolve.
    Payload(String),
    /// The event type has no binding for this encoding (e.g. Avro bytes for a JSON Schema type).
    Unsupported { event_type: String, content_type: ContentType },
    /// A registry-framed payload names a schema id that neither [`WriterSchemas`] nor the
    /// schema registry knows.
    UnknownSchema(u32),
    /// The schema of this id is not cached and the decoder may not block to fetch it
    /// ([`WriterSchemas::with_cached_resolver`]): resolve it first, then decode again.
    Unresolved(u32),
    /// The schema registry could not be asked, or gave a schema that does not fit.
    Registry { registry: String, id: Option<u32>, message: String },
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::Header(e) => e.fmt(f),
            CodecError::Frame(e) => e.fmt(f),
            CodecError::Json(e) => e.fmt(f),
            CodecError::Payload(m) => write!(f, "payload: {m}"),
            CodecError::Unsupported { event_type, content_type } => {
                write!(f, "event type `{event_type}` has no {content_type} binding in this build")
            }
            CodecError::UnknownSchema(id) => {
                write!(
                    f,
                    "schema id {id} is unknown: not among the decoder's writer schemas nor in the schema registry"
                )
            }
            CodecError::Unresolved(id) => {
                write!(f, "schema id {id} is not resolved yet, and this decoder does not block to fetch it")
            }
            CodecError::Registry { registry, id: Some(id), message } => {
                write!(f, "schema registry {registry}, schema id {id}: {message}")
            }
            CodecError::Registry { registry, id: None, message } => write!(f, "schema registry {registry}: {message}"),
        }
    }
}

impl std::error::Error for CodecError {}

impl From<HeaderError> for CodecError {
    fn from(e: HeaderError) -> Self {
        CodecError::Header(e)
    }
}

impl From<FrameError> for CodecError {
    fn from(e: FrameError) -> Self {
        CodecError::Frame(e)
    }
}

impl From<DecodeError> for CodecError {
    fn from(e: DecodeError) -> Self {
        CodecError::Json(e)
    }
}

/// An encoded event: headers and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub headers: Headers,
    pub payload: Vec<u8>,
}

/// Writer schemas a consumer knows besides the ones its bindings were built from: by schema
/// registry id (for framed payloads) and by event type and schema version (for plain Avro
/// payloads whose `eventbind-schema-version` header names an older or newer version).
#[derive(Debug, Default, Clone)]
pub struct WriterSchemas {
    #[cfg(feature = "avro")]
    pub(crate) avro_by_id: BTreeMap<u32, apache_avro::Schema>,
    #[cfg(feature = "avro")]
    pub(crate) avro_by_version: BTreeMap<(String, String), apache_avro::Schema>,
    /// Ids of registered Protobuf schemas. The payload's message is known from the event type;
    /// the id is checked only to be registered when any are.
    pub(crate) protobuf_ids: BTreeMap<u32, String>,
    /// Writer schemas from the schema registry for ids not given here.
    resolver: Option<Resolver>,
}

#[derive(Debug, Clone)]
struct Resolver {
    resolver: Arc<SchemaResolver>,
    /// Whether a schema not cached may be fetched while decoding.
    blocking: bool,
}

impl WriterSchemas {
    pub fn new() -> Self {
        WriterSchemas::default()
    }

    /// Resolves ids not given here through `resolver`, fetching a schema from the registry while
    /// decoding when it is not cached (a blocking request, once per schema).
    pub fn with_resolver(resolver: Arc<SchemaResolver>) -> Self {
        WriterSchemas { resolver: Some(Resolver { resolver, blocking: true }), ..WriterSchemas::default() }
    }

    /// Resolves ids not given here from `resolver`'s cache only: decoding never does I/O, and a
    /// schema not cached yet is [`CodecError::Unresolved`] (for async consumers, which resolve
    /// it off their executor and decode again; see [`SchemaResolver::uncached_id`]).
    pub fn with_cached_resolver(resolver: Arc<SchemaResolver>) -> Self {
        WriterSchemas { resolver: Some(Resolver { resolver, blocking: false }), ..WriterSchemas::default() }
    }

    /// The resolver, if any.
    pub fn resolver(&self) -> Option<&Arc<SchemaResolver>> {
        self.resolver.as_ref().map(|r| &r.resolver)
    }

    /// The registry's writer schema of id `id`, which must be of `kind`; an error without a
    /// resolver.
    pub(crate) fn registry_schema(&self, id: u32, kind: SchemaKind) -> Result<Arc<WriterSchema>, CodecError> {
        let Some(Resolver { resolver, blocking }) = &self.resolver else {
            return Err(CodecError::UnknownSchema(id));
        };
        let writer =
            if *blocking { resolver.resolve(id)? } else { resolver.cached(id).ok_or(CodecError::Unresolved(id))? };
        if writer.kind() != kind {
            return Err(CodecError::Registry {
                registry: resolver.registry(),
                id: Some(id),
                message: format!("the writer schema is a {} schema, not {kind}", writer.kind()),
            });
        }
        Ok(writer)
    }

    /// Registers the Avro schema with registry id `id`.
    #[cfg(feature = "avro")]
    pub fn add_avro(&mut self, id: u32, schema: apache_avro::Schema) -> &mut Self {
        self.avro_by_id.insert(id, schema);
        self
    }

    /// Registers the Avro schema of `event_type` at `version` (the `eventbind-schema-version`
    /// header).
    #[cfg(feature = "avro")]
    pub fn add_avro_version(&mut self, event_type: &str, version: &str, schema: apache_avro::Schema) -> &mut Self {
        self.avro_by_version.insert((event_type.to_owned(), version.to_owned()), schema);
        self
    }

    /// Registers the Protobuf schema with registry id `id` (its file's name, for messages).
    pub fn add_protobuf(&mut self, id: u32, file: &str) -> &mut Self {
        self.protobuf_ids.insert(id, file.to_owned());
        self
    }

    /// Checks a framed Protobuf payload's schema id.
    ///
    /// An id given with [`WriterSchemas::add_protobuf`] is fine; else with a resolver the id must
    /// be a Protobuf schema in the registry; else any id is fine unless some were given.
    pub fn check_protobuf_id(&self, id: u32) -> Result<(), CodecError> {
        if self.protobuf_ids.contains_key(&id) {
            return Ok(());
        }
        if self.resolver.is_some() {
            return self.registry_schema(id, SchemaKind::Protobuf).map(drop);
        }
        if self.protobuf_ids.is_empty() {
            Ok(())
        } else {
            Err(CodecError::UnknownSchema(id))
        }
    }
}

/// The error for an encoding an event type has no binding for.
pub fn unsupported(event_type: &str, content_type: ContentType) -> CodecError {
    CodecError::Unsupported { event_type: event_type.to_owned(), content_type }
}

/// The `data_op` and `data_type` headers of a data change event (none for other categories),
/// read off its JSON form: a binary payload carries only `data`.
#[cfg(any(feature = "avro", feature = "protobuf"))]
pub(crate) fn data_headers<T: crate::Event + serde::Serialize>(event: &T) -> Result<Headers, CodecError> {
    if T::TYPE.category != crate::Category::Data {
        return Ok(Vec::new());
    }
    let payload = |e: serde_json::Error| CodecError::Payload(e.to_string());
    let doc = serde_json::to_value(event).map_err(payload)?;
    let op = <crate::DataOp as serde::Deserialize>::deserialize(&doc["data_op"]).map_err(payload)?;
    Ok(crate::headers::data_envelope_headers(op, doc["data_type"].as_str().unwrap_or_default()))
}

/// The headers of a message of `event` in `content_type`: the content type, the metadata, and
/// in binary forms the data change envelope's (the JSON form carries the whole event).
#[cfg(any(feature = "avro", feature = "protobuf"))]
pub(crate) fn message_headers<T: crate::Event + serde::Serialize>(
    event: &T,
    content_type: ContentType,
) -> Result<Headers, CodecError> {
    let mut headers: Headers =
        vec![(crate::headers::CONTENT_TYPE.to_owned(), content_type.as_str().as_bytes().to_vec())];
    if let Some(m) = event.metadata() {
        headers.extend(m.to_headers());
    }
    if content_type != ContentType::Json {
        headers.extend(data_headers(event)?);
    }
    Ok(headers)
}
