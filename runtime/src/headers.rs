//! Event metadata in message headers, for binary payloads (Avro, Protobuf) whose bytes carry only
//! the payload. Every metadata field has a documented header; so does the envelope of a data change
//! event (`data_op`, `data_type`) and the payload's encoding (`content-type`), so a consumer can
//! always find out how a message is encoded.
//!
//! | header | value |
//! |---|---|
//! | `content-type` | a [`ContentType`], e.g. `application/avro` |
//! | `eventbind-event-type` | `metadata.event_type` |
//! | `eventbind-eid` | `metadata.eid` (UUID text) |
//! | `eventbind-occurred-at` | `metadata.occurred_at` (RFC 3339) |
//! | `eventbind-received-at` | `metadata.received_at` (RFC 3339) |
//! | `eventbind-flow-id` | `metadata.flow_id` |
//! | `eventbind-parent-eids` | `metadata.parent_eids`, comma-separated |
//! | `eventbind-tenant-id` | `metadata.tenant_id` |
//! | `eventbind-trace-id` | `metadata.trace_id` |
//! | `eventbind-schema-version` | `metadata.version` |
//! | `eventbind-partition` | `metadata.partition` |
//! | `eventbind-data-op` | a data change event's `data_op` (`C`, `U`, `D`, `S`) |
//! | `eventbind-data-type` | a data change event's `data_type` |
//! | `eventbind-meta-<name>` | any other metadata field, as JSON |
//!
//! Values are UTF-8 text. Header names are matched without regard to case.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use uuid::Uuid;

use crate::{DataOp, EventMetadata, UnknownFields};

/// Message headers: names and raw values, in order.
pub type Headers = Vec<(String, Vec<u8>)>;

pub const CONTENT_TYPE: &str = "content-type";
pub const EVENT_TYPE: &str = "eventbind-event-type";
pub const EID: &str = "eventbind-eid";
pub const OCCURRED_AT: &str = "eventbind-occurred-at";
pub const RECEIVED_AT: &str = "eventbind-received-at";
pub const FLOW_ID: &str = "eventbind-flow-id";
pub const PARENT_EIDS: &str = "eventbind-parent-eids";
pub const TENANT_ID: &str = "eventbind-tenant-id";
pub const TRACE_ID: &str = "eventbind-trace-id";
pub const SCHEMA_VERSION: &str = "eventbind-schema-version";
pub const PARTITION: &str = "eventbind-partition";
pub const DATA_OP: &str = "eventbind-data-op";
pub const DATA_TYPE: &str = "eventbind-data-type";
/// Prefix of the headers that carry metadata fields no schema declares.
pub const META_PREFIX: &str = "eventbind-meta-";

/// How a message's payload is encoded (the `content-type` header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentType {
    /// `application/json`: the whole event document, metadata included.
    Json,
    /// `application/avro`: the payload as an Avro binary datum.
    Avro,
    /// `application/protobuf`: the payload as a Protobuf message.
    Protobuf,
    /// `application/vnd.confluent.avro`: an Avro datum in the schema registry's framing (magic
    /// byte 0, 4-byte big-endian schema id).
    AvroRegistry,
    /// `application/vnd.confluent.protobuf`: a Protobuf message in the schema registry's framing
    /// (magic byte, schema id, message-index list).
    ProtobufRegistry,
}

impl ContentType {
    pub const ALL: [ContentType; 5] = [
        ContentType::Json,
        ContentType::Avro,
        ContentType::Protobuf,
        ContentType::AvroRegistry,
        ContentType::ProtobufRegistry,
    ];

    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentType::Json => "application/json",
            ContentType::Avro => "application/avro",
            ContentType::Protobuf => "application/protobuf",
            ContentType::AvroRegistry => "application/vnd.confluent.avro",
            ContentType::ProtobufRegistry => "application/vnd.confluent.protobuf",
        }
    }
}

impl fmt::Display for ContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ContentType {
    type Err = HeaderError;
    /// Parameters (`; charset=utf-8`) are ignored; common aliases are accepted
    /// (`avro/binary`, `application/x-protobuf`).
    fn from_str(s: &str) -> Result<Self, HeaderError> {
        let essence = s.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        Ok(match essence.as_str() {
            "application/json" | "text/json" => ContentType::Json,
            "application/avro" | "avro/binary" | "application/x-avro" => ContentType::Avro,
            "application/protobuf" | "application/x-protobuf" | "application/vnd.google.protobuf" => {
                ContentType::Protobuf
            }
            "application/vnd.confluent.avro" => ContentType::AvroRegistry,
            "application/vnd.confluent.protobuf" => ContentType::ProtobufRegistry,
            _ => return Err(HeaderError::new(CONTENT_TYPE, format!("unknown content type `{s}`"))),
        })
    }
}

/// A header that is missing or does not hold what its name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError {
    header: String,
    message: String,
}

impl HeaderError {
    fn new(header: &str, message: impl Into<String>) -> HeaderError {
        HeaderError { header: header.to_owned(), message: message.into() }
    }

    /// The header's name.
    pub fn header(&self) -> &str {
        &self.header
    }
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "header `{}`: {}", self.header, self.message)
    }
}

impl std::error::Error for HeaderError {}

/// The headers [`EventMetadata::from_headers`] reads, in the order of its fields.
const METADATA_HEADERS: [&str; 10] =
    [EID, OCCURRED_AT, EVENT_TYPE, RECEIVED_AT, SCHEMA_VERSION, PARENT_EIDS, FLOW_ID, PARTITION, TENANT_ID, TRACE_ID];

/// The index in [`METADATA_HEADERS`] of the header `name` (any case).
#[inline]
fn metadata_header(name: &str) -> Option<usize> {
    // The names as `to_headers` writes them match exactly; others are compared without case.
    let exact = match name {
        EID => 0,
        OCCURRED_AT => 1,
        EVENT_TYPE => 2,
        RECEIVED_AT => 3,
        SCHEMA_VERSION => 4,
        PARENT_EIDS => 5,
        FLOW_ID => 6,
        PARTITION => 7,
        TENANT_ID => 8,
        TRACE_ID => 9,
        _ => return METADATA_HEADERS.iter().position(|h| h.eq_ignore_ascii_case(name)),
    };
    Some(exact)
}

/// `name` without `prefix`, compared without regard to case.
fn strip_prefix_ignore_case<'n>(name: &'n str, prefix: &str) -> Option<&'n str> {
    // Names are lowercase on the wire as written here: try the exact prefix first.
    if let Some(rest) = name.strip_prefix(prefix) {
        return Some(rest);
    }
    let head = name.as_bytes().get(..prefix.len())?;
    // The prefixes are ASCII, so a match ends on a character boundary.
    head.eq_ignore_ascii_case(prefix.as_bytes()).then(|| &name[prefix.len()..])
}

/// The value of the first header called `name` (case-insensitive).
pub fn get<'h, N: AsRef<str>, V: AsRef<[u8]>>(headers: &'h [(N, V)], name: &str) -> Option<&'h [u8]> {
    headers.iter().find(|(n, _)| n.as_ref().eq_ignore_ascii_case(name)).map(|(_, v)| v.as_ref())
}

#[inline]
fn text<'h>(name: &str, value: &'h [u8]) -> Result<&'h str, HeaderError> {
    std::str::from_utf8(value).map_err(|_| HeaderError::new(name, "the value is not UTF-8"))
}

fn get_text<'h, N: AsRef<str>, V: AsRef<[u8]>>(
    headers: &'h [(N, V)],
    name: &str,
) -> Result<Option<&'h str>, HeaderError> {
    get(headers, name).map(|v| text(name, v)).transpose()
}

#[inline]
fn time(name: &str, value: &str) -> Result<DateTime<FixedOffset>, HeaderError> {
    DateTime::parse_from_rfc3339(value)
        .map_err(|e| HeaderError::new(name, format!("`{value}` is not an RFC 3339 date-time: {e}")))
}

#[inline]
fn uuid(name: &str, value: &str) -> Result<Uuid, HeaderError> {
    // A UUID as written parses as it is; surrounding whitespace is allowed too.
    Uuid::parse_str(value)
        .or_else(|_| Uuid::parse_str(value.trim()))
        .map_err(|e| HeaderError::new(name, format!("`{value}` is not a UUID: {e}")))
}

/// The payload's encoding, from the `content-type` header.
pub fn content_type<N: AsRef<str>, V: AsRef<[u8]>>(headers: &[(N, V)]) -> Result<ContentType, HeaderError> {
    get_text(headers, CONTENT_TYPE)?
        .ok_or_else(|| HeaderError::new(CONTENT_TYPE, "missing: the payload's encoding is unknown"))?
        .parse()
}

/// The event type's name, from `eventbind-event-type`.
pub fn event_type<N: AsRef<str>, V: AsRef<[u8]>>(headers: &[(N, V)]) -> Result<Option<&str>, HeaderError> {
    get_text(headers, EVENT_TYPE)
}

/// A data change event's `data_op` and `data_type`, from their headers.
pub fn data_envelope<N: AsRef<str>, V: AsRef<[u8]>>(headers: &[(N, V)]) -> Result<(DataOp, String), HeaderError> {
    let op = match get_text(headers, DATA_OP)? {
        Some("C") => DataOp::Create,
        Some("U") => DataOp::Update,
        Some("D") => DataOp::Delete,
        Some("S") => DataOp::Snapshot,
        Some(other) => return Err(HeaderError::new(DATA_OP, format!("`{other}` is not one of C, U, D, S"))),
        None => return Err(HeaderError::new(DATA_OP, "missing in a data change event")),
    };
    let data_type = get_text(headers, DATA_TYPE)?
        .ok_or_else(|| HeaderError::new(DATA_TYPE, "missing in a data change event"))?
        .to_owned();
    Ok((op, data_type))
}

/// The headers of a data change event's envelope.
pub fn data_envelope_headers(op: DataOp, data_type: &str) -> Headers {
    vec![(DATA_OP.to_owned(), op.as_str().as_bytes().to_vec()), (DATA_TYPE.to_owned(), data_type.as_bytes().to_vec())]
}

impl EventMetadata {
    /// The metadata as message headers (see the [module](crate::headers) for the names).
    pub fn to_headers(&self) -> Headers {
        let mut out: Headers = Vec::new();
        let mut put = |name: &str, value: String| out.push((name.to_owned(), value.into_bytes()));
        if let Some(v) = &self.event_type {
            put(EVENT_TYPE, v.clone());
        }
        put(EID, self.eid.to_string());
        put(OCCURRED_AT, self.occurred_at.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        if let Some(v) = &self.received_at {
            put(RECEIVED_AT, v.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        }
        if let Some(v) = &self.flow_id {
            put(FLOW_ID, v.clone());
        }
        if !self.parent_eids.is_empty() {
            put(PARENT_EIDS, self.parent_eids.iter().map(Uuid::to_string).collect::<Vec<_>>().join(","));
        }
        if let Some(v) = &self.tenant_id {
            put(TENANT_ID, v.clone());
        }
        if let Some(v) = &self.trace_id {
            put(TRACE_ID, v.clone());
        }
        if let Some(v) = &self.version {
            put(SCHEMA_VERSION, v.clone());
        }
        if let Some(v) = &self.partition {
            put(PARTITION, v.clone());
        }
        for (k, v) in &self.extra {
            put(&format!("{META_PREFIX}{k}"), v.to_string());
        }
        out
    }

    /// Reads the metadata from message headers; `eventbind-eid` and `eventbind-occurred-at` are
    /// required, every other header optional. Headers not named in the [module](crate::headers)
    /// are ignored. Where a name occurs more than once, the first one counts.
    pub fn from_headers<N: AsRef<str>, V: AsRef<[u8]>>(headers: &[(N, V)]) -> Result<EventMetadata, HeaderError> {
        // One pass: each metadata header is parsed where it is met (the first of a name only),
        // straight into its field.
        let mut m = EventMetadata {
            eid: Uuid::nil(),
            occurred_at: DateTime::<Utc>::MIN_UTC.fixed_offset(),
            event_type: None,
            received_at: None,
            version: None,
            parent_eids: Vec::new(),
            flow_id: None,
            partition: None,
            tenant_id: None,
            trace_id: None,
            extra: UnknownFields::new(),
        };
        let mut seen = 0u16;
        let mut meta: Option<Vec<(&str, &str, &[u8])>> = None;
        for (name, value) in headers {
            let (name, value) = (name.as_ref(), value.as_ref());
            let Some(i) = metadata_header(name) else {
                if let Some(field) = strip_prefix_ignore_case(name, META_PREFIX).filter(|f| !f.is_empty()) {
                    meta.get_or_insert_with(Vec::new).push((name, field, value));
                }
                continue;
            };
            if seen & (1 << i) != 0 {
                continue;
            }
            seen |= 1 << i;
            let header = METADATA_HEADERS[i];
            let v = text(header, value)?;
            match i {
                0 => m.eid = uuid(header, v)?,
                1 => m.occurred_at = time(header, v)?,
                2 => m.event_type = Some(v.to_owned()),
                3 => m.received_at = Some(time(header, v)?),
                4 => m.version = Some(v.to_owned()),
                5 if !v.trim().is_empty() => {
                    m.parent_eids = v.split(',').map(|e| uuid(header, e)).collect::<Result<_, _>>()?
                }
                5 => {}
                6 => m.flow_id = Some(v.to_owned()),
                7 => m.partition = Some(v.to_owned()),
                8 => m.tenant_id = Some(v.to_owned()),
                _ => m.trace_id = Some(v.to_owned()),
            }
        }
        if seen & 1 == 0 {
            return Err(HeaderError::new(EID, "missing"));
        }
        if seen & 2 == 0 {
            return Err(HeaderError::new(OCCURRED_AT, "missing"));
        }
        for (name, field, value) in meta.into_iter().flatten() {
            let value = serde_json::from_slice(value)
                .map_err(|e| HeaderError::new(name, format!("the value is not JSON: {e}")))?;
            m.extra.insert(field.to_owned(), value);
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metadata_header_is_found_in_any_case() {
        for (i, h) in METADATA_HEADERS.iter().enumerate() {
            assert_eq!(metadata_header(h), Some(i), "{h}");
            assert_eq!(metadata_header(&h.to_ascii_uppercase()), Some(i), "{h}");
        }
        assert_eq!(metadata_header("eventbind-meta-x"), None);
        assert_eq!(metadata_header("eid"), None);
    }

    #[test]
    fn metadata_headers_are_read_in_one_pass_first_one_counting() {
        let headers: Vec<(&str, &[u8])> = vec![
            ("X-Other", b"1"),
            ("EventBind-EID", b" 5a9cf2a3-286e-5823-ac20-ac75928db4ce "),
            ("eventbind-eid", b"not a uuid"),
            ("eventbind-occurred-at", b"2024-05-22T09:10:11.5+02:00"),
            ("eventbind-flow-id", b"flow-1"),
            ("eventbind-parent-eids", b"33c0c383-db6d-56f1-b520-b1a419bbd1cf,5a9cf2a3-286e-5823-ac20-ac75928db4ce"),
            ("Eventbind-Meta-published_by", br#"{"n": 1}"#),
            ("eventbind-meta-", b"ignored"),
            ("eventbind-m\u{e9}ta", b"ignored, and no panic on the character boundary"),
        ];
        let m = EventMetadata::from_headers(&headers).unwrap();
        assert_eq!(m.eid.to_string(), "5a9cf2a3-286e-5823-ac20-ac75928db4ce");
        assert_eq!(m.occurred_at.to_rfc3339(), "2024-05-22T09:10:11.500+02:00");
        assert_eq!(m.flow_id.as_deref(), Some("flow-1"));
        assert_eq!(m.parent_eids.len(), 2);
        assert_eq!(m.extra.get("published_by"), Some(&serde_json::json!({"n": 1})));
        assert_eq!(m.extra.len(), 1);
        assert_eq!(m.event_type, None);
        let round: Headers = m.to_headers();
        assert_eq!(EventMetadata::from_headers(&round).unwrap(), m);
        let bad: Vec<(&str, &[u8])> =
            vec![("eventbind-occurred-at", b"2024-05-22T09:10:11Z"), ("eventbind-meta-x", b"{")];
        assert_eq!(EventMetadata::from_headers(&bad).unwrap_err().header(), EID);
        let bad: Vec<(&str, &[u8])> = vec![
            ("eventbind-eid", b"5a9cf2a3-286e-5823-ac20-ac75928db4ce"),
            ("eventbind-occurred-at", b"2024-05-22T09:10:11Z"),
            ("eventbind-META-x", b"{"),
        ];
        assert_eq!(EventMetadata::from_headers(&bad).unwrap_err().header(), "eventbind-META-x");
    }
}
