//! Messages in any encoding: a payload plus headers (see [`crate::headers`]). The JSON form carries
//! the whole event; binary forms (Avro, Protobuf, and their schema-registry framings) carry the
//! payload and leave the metadata to the headers. Generated `AnyEvent::from_message` dispatches on
//! the `content-type` and event type headers and ends up in the codecs here.

use std::collections::BTreeMap;
use std::fmt;

use crate::headers::{ContentType, HeaderError, Headers};
use crate::json::DecodeError;
use crate::registry::FrameError;

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
    /// A registry-framed payload names a schema id nobody registered with [`WriterSchemas`].
    UnknownSchema(u32),
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
            CodecError::UnknownSchema(id) => write!(f, "schema id {id} is not registered with the decoder"),
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
}

impl WriterSchemas {
    pub fn new() -> Self {
        WriterSchemas::default()
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
    pub fn check_protobuf_id(&self, id: u32) -> Result<(), CodecError> {
        if self.protobuf_ids.is_empty() || self.protobuf_ids.contains_key(&id) {
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
