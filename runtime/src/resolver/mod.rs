//! Writer schemas from a schema registry, for consumers, and schema ids, for producers.
//!
//! A [`SchemaResolver`] asks a [`SchemaSource`] (the registry: with feature `registry`, an
//! [`eventbind_registry::Client`]) for the schema of each id a framed payload names, parses it
//! once (an Avro schema with its references made self-contained) and keeps it in a bounded
//! cache that drops the least recently used schema when full. Put it in the [`WriterSchemas`]
//! that `AnyEvent::from_message` takes:
//!
//! - [`WriterSchemas::with_resolver`]: a schema not cached yet is fetched then and there
//!   (blocking: for blocking consumers, or async ones on a blocking thread);
//! - [`WriterSchemas::with_cached_resolver`]: decoding never does I/O; a schema not cached yet is
//!   [`CodecError::Unresolved`]. An async consumer asks [`SchemaResolver::uncached_id`] first and
//!   resolves that id off its executor (`spawn_blocking(move || resolver.resolve(id))`), or
//!   [`SchemaResolver::resolve_all`] ahead of time.
//!
//! Ids the registry does not know are remembered for a while ([`SchemaResolver::with_miss_ttl`]),
//! so a run of poison messages does not become a run of registry requests.
//!
//! Producers find the id to frame with by [`SchemaResolver::schema_id`] and a [`ProducerSchema`]:
//! the event type's own schema looked up under its subject (auto-registration off unless asked,
//! as registry serializers recommend in production), or the subject's latest version.
//!
//! [`WriterSchemas`]: crate::codec::WriterSchemas
//! [`WriterSchemas::with_resolver`]: crate::codec::WriterSchemas::with_resolver
//! [`WriterSchemas::with_cached_resolver`]: crate::codec::WriterSchemas::with_cached_resolver
//! [`CodecError::Unresolved`]: crate::codec::CodecError::Unresolved

#[cfg(feature = "avro")]
mod avro_refs;
mod cache;
#[cfg(feature = "registry")]
mod client;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::codec::CodecError;
use crate::{Event, SchemaFormat};
use cache::Lru;

/// A schema's language in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaKind {
    Avro,
    Json,
    Protobuf,
}

impl SchemaKind {
    /// The registry's name (`AVRO`, `JSON`, `PROTOBUF`).
    pub fn as_str(self) -> &'static str {
        match self {
            SchemaKind::Avro => "AVRO",
            SchemaKind::Json => "JSON",
            SchemaKind::Protobuf => "PROTOBUF",
        }
    }

    /// The kind of an event type's schema format.
    pub fn of(format: SchemaFormat) -> SchemaKind {
        match format {
            SchemaFormat::Avro => SchemaKind::Avro,
            SchemaFormat::JsonSchema => SchemaKind::Json,
            SchemaFormat::Protobuf => SchemaKind::Protobuf,
        }
    }
}

impl fmt::Display for SchemaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A schema another one refers to, by where it is registered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceReference {
    pub name: String,
    pub subject: String,
    pub version: i32,
}

/// A schema as the registry holds it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceSchema {
    pub kind: SchemaKind,
    pub text: String,
    pub references: Vec<SourceReference>,
}

/// Why a [`SchemaSource`] gave no schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// The registry said there is no such schema, subject or version.
    pub not_found: bool,
    /// The registry's message, or why it could not be asked.
    pub message: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SourceError {}

/// Where schemas come from: a schema registry. Blocking; implemented for
/// [`eventbind_registry::Client`] with feature `registry`.
pub trait SchemaSource: Send + Sync {
    /// The schema with global id `id`.
    fn schema_by_id(&self, id: u32) -> Result<SourceSchema, SourceError>;
    /// Version `version` of `subject` (what references name).
    fn schema_by_version(&self, subject: &str, version: i32) -> Result<SourceSchema, SourceError>;
    /// The latest version of `subject`: its id and schema.
    fn latest(&self, subject: &str) -> Result<(u32, SourceSchema), SourceError>;
    /// The id of `schema` under `subject`, `None` when the subject does not hold it.
    fn lookup(&self, subject: &str, schema: &SourceSchema) -> Result<Option<u32>, SourceError>;
    /// Registers `schema` under `subject`; its id.
    fn register(&self, subject: &str, schema: &SourceSchema) -> Result<u32, SourceError>;
    /// The source in error messages (the registry's URL).
    fn describe(&self) -> String;
}

/// A source shared with others (e.g. a registry client also used for publishing).
impl<S: SchemaSource + ?Sized> SchemaSource for Arc<S> {
    fn schema_by_id(&self, id: u32) -> Result<SourceSchema, SourceError> {
        (**self).schema_by_id(id)
    }
    fn schema_by_version(&self, subject: &str, version: i32) -> Result<SourceSchema, SourceError> {
        (**self).schema_by_version(subject, version)
    }
    fn latest(&self, subject: &str) -> Result<(u32, SourceSchema), SourceError> {
        (**self).latest(subject)
    }
    fn lookup(&self, subject: &str, schema: &SourceSchema) -> Result<Option<u32>, SourceError> {
        (**self).lookup(subject, schema)
    }
    fn register(&self, subject: &str, schema: &SourceSchema) -> Result<u32, SourceError> {
        (**self).register(subject, schema)
    }
    fn describe(&self) -> String {
        (**self).describe()
    }
}

/// A writer schema from the registry, parsed.
pub struct WriterSchema {
    id: u32,
    source: SourceSchema,
    #[cfg(feature = "avro")]
    avro: Option<apache_avro::Schema>,
    /// Whether the Avro schema equals a reader's, by the reader's address: compared once per
    /// event type, not once per message.
    #[cfg(feature = "avro")]
    same_as_reader: Mutex<Vec<(usize, bool)>>,
}

impl fmt::Debug for WriterSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriterSchema").field("id", &self.id).field("kind", &self.source.kind).finish_non_exhaustive()
    }
}

impl WriterSchema {
    /// The registry id.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The schema's language.
    pub fn kind(&self) -> SchemaKind {
        self.source.kind
    }

    /// The schema as registered (text and references).
    pub fn source(&self) -> &SourceSchema {
        &self.source
    }

    /// The parsed Avro schema, self-contained (for Avro schemas).
    #[cfg(feature = "avro")]
    pub fn avro(&self) -> Option<&apache_avro::Schema> {
        self.avro.as_ref()
    }

    /// Whether this Avro schema is `reader` (so data decodes without schema resolution).
    #[cfg(feature = "avro")]
    pub(crate) fn is_reader(&self, reader: &'static apache_avro::Schema) -> bool {
        let key = reader as *const apache_avro::Schema as usize;
        let mut known = lock(&self.same_as_reader);
        if let Some((_, same)) = known.iter().find(|(k, _)| *k == key) {
            return *same;
        }
        let same = self.avro.as_ref() == Some(reader);
        known.push((key, same));
        same
    }
}

/// What a producer frames its payloads with: the event type's schema (or another) under a
/// subject, looked up, registered when asked, or the subject's latest version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProducerSchema {
    subject: String,
    schema: SourceSchema,
    auto_register: bool,
    use_latest: bool,
}

impl ProducerSchema {
    /// The schema of `T` as its bindings embed it (Avro: self-contained; Protobuf: the `.proto`
    /// file; JSON Schema: the document), under `subject`.
    pub fn of<T: Event>(subject: impl Into<String>) -> ProducerSchema {
        let schema = SourceSchema {
            kind: SchemaKind::of(T::TYPE.schema_format),
            text: T::TYPE.schema.to_owned(),
            references: Vec::new(),
        };
        ProducerSchema::new(subject, schema)
    }

    /// `schema` under `subject` (e.g. as published, with its references).
    pub fn new(subject: impl Into<String>, schema: SourceSchema) -> ProducerSchema {
        ProducerSchema { subject: subject.into(), schema, auto_register: false, use_latest: false }
    }

    /// Registers the schema when the subject does not hold it (off by default).
    pub fn auto_register(mut self, yes: bool) -> Self {
        self.auto_register = yes;
        self
    }

    /// Frames with the subject's latest version instead of looking the schema up (Confluent's
    /// `use.latest.version`): for schemas published with references the bindings do not know.
    pub fn use_latest_version(mut self, yes: bool) -> Self {
        self.use_latest = yes;
        self
    }

    /// The subject.
    pub fn subject(&self) -> &str {
        &self.subject
    }
}

/// The subject of a topic's values under the registry's default strategy (`<topic>-value`).
pub fn topic_subject(topic: &str) -> String {
    format!("{topic}-value")
}

/// How many writer schemas a resolver keeps unless told otherwise.
pub const DEFAULT_CAPACITY: usize = 1000;
/// How long an id the registry does not know is taken as unknown without asking again.
pub const DEFAULT_MISS_TTL: Duration = Duration::from_secs(30);
/// How deep references may nest (a reference's references, …).
#[cfg(feature = "avro")]
const MAX_REFERENCE_DEPTH: usize = 32;

/// Writer schemas by registry id, cached and bounded; schema ids for producers. Share it
/// between threads and decoders in an `Arc`.
pub struct SchemaResolver {
    source: Box<dyn SchemaSource>,
    cache: Mutex<Lru<u32, Arc<WriterSchema>>>,
    misses: Mutex<Lru<u32, Instant>>,
    miss_ttl: Duration,
    producer_ids: Mutex<HashMap<ProducerSchema, u32>>,
}

impl fmt::Debug for SchemaResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cache = lock(&self.cache);
        f.debug_struct("SchemaResolver")
            .field("source", &self.source.describe())
            .field("cached", &cache.len())
            .field("capacity", &cache.capacity())
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves a cache that is still consistent.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SchemaResolver {
    /// A resolver over `source` keeping up to [`DEFAULT_CAPACITY`] schemas.
    pub fn new(source: impl SchemaSource + 'static) -> SchemaResolver {
        SchemaResolver {
            source: Box::new(source),
            cache: Mutex::new(Lru::new(DEFAULT_CAPACITY)),
            misses: Mutex::new(Lru::new(DEFAULT_CAPACITY)),
            miss_ttl: DEFAULT_MISS_TTL,
            producer_ids: Mutex::new(HashMap::new()),
        }
    }

    /// Keeps up to `capacity` writer schemas (at least one).
    pub fn with_capacity(self, capacity: usize) -> SchemaResolver {
        SchemaResolver { cache: Mutex::new(Lru::new(capacity)), misses: Mutex::new(Lru::new(capacity)), ..self }
    }

    /// How long an id the registry does not know is answered as unknown without asking again.
    pub fn with_miss_ttl(self, ttl: Duration) -> SchemaResolver {
        SchemaResolver { miss_ttl: ttl, ..self }
    }

    /// The writer schema with id `id`, from the cache or else the registry (blocking).
    pub fn resolve(&self, id: u32) -> Result<Arc<WriterSchema>, CodecError> {
        if let Some(hit) = self.cached(id) {
            return Ok(hit);
        }
        if let Some(at) = lock(&self.misses).get(&id) {
            if at.elapsed() < self.miss_ttl {
                return Err(CodecError::UnknownSchema(id));
            }
        }
        let source = match self.source.schema_by_id(id) {
            Ok(s) => s,
            Err(e) if e.not_found => {
                lock(&self.misses).insert(id, Instant::now());
                return Err(CodecError::UnknownSchema(id));
            }
            Err(e) => return Err(self.error(Some(id), e.message)),
        };
        let writer = Arc::new(self.parse(id, source)?);
        lock(&self.misses).remove(&id);
        lock(&self.cache).insert(id, writer.clone());
        Ok(writer)
    }

    /// Resolves every id of `ids` (ahead of decoding); the first failure.
    pub fn resolve_all(&self, ids: impl IntoIterator<Item = u32>) -> Result<(), CodecError> {
        ids.into_iter().try_for_each(|id| self.resolve(id).map(drop))
    }

    /// The writer schema with id `id` if it is cached (never blocks on I/O).
    pub fn cached(&self, id: u32) -> Option<Arc<WriterSchema>> {
        lock(&self.cache).get(&id)
    }

    /// The schema id of a registry-framed `payload` when its schema is not cached yet: what an
    /// async consumer resolves off its executor before decoding with a cached-only resolver.
    pub fn uncached_id(&self, payload: &[u8]) -> Option<u32> {
        let (id, _) = crate::registry::unframe(payload).ok()?;
        (!lock(&self.cache).contains(&id)).then_some(id)
    }

    /// The registry, as errors name it.
    pub fn registry(&self) -> String {
        self.source.describe()
    }

    /// How many writer schemas are cached.
    pub fn len(&self) -> usize {
        lock(&self.cache).len()
    }

    /// Whether no writer schema is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The id a producer frames `schema`'s payloads with (looked up once, then cached): the
    /// subject's version of it, registered first only with [`ProducerSchema::auto_register`], or
    /// the subject's latest version with [`ProducerSchema::use_latest_version`].
    pub fn schema_id(&self, schema: &ProducerSchema) -> Result<u32, CodecError> {
        if let Some(id) = lock(&self.producer_ids).get(schema) {
            return Ok(*id);
        }
        let subject = &schema.subject;
        let id = if schema.use_latest {
            let (id, latest) = self.source.latest(subject).map_err(|e| self.error(None, e.message))?;
            if latest.kind != schema.schema.kind {
                return Err(self.error(
                    Some(id),
                    format!(
                        "the latest version of subject `{subject}` is a {} schema, not {}",
                        latest.kind, schema.schema.kind
                    ),
                ));
            }
            id
        } else {
            match self.source.lookup(subject, &schema.schema).map_err(|e| self.error(None, e.message))? {
                Some(id) => id,
                None if schema.auto_register => {
                    self.source.register(subject, &schema.schema).map_err(|e| self.error(None, e.message))?
                }
                None => {
                    return Err(self.error(
                        None,
                        format!(
                            "subject `{subject}` does not hold this {} schema, and auto-registration is off: \
                             publish the catalog first (or use ProducerSchema::auto_register)",
                            schema.schema.kind
                        ),
                    ))
                }
            }
        };
        lock(&self.producer_ids).insert(schema.clone(), id);
        Ok(id)
    }

    fn error(&self, id: Option<u32>, message: String) -> CodecError {
        CodecError::Registry { registry: self.source.describe(), id, message }
    }

    /// Parses a fetched schema (an Avro one with its references made self-contained).
    fn parse(&self, id: u32, source: SourceSchema) -> Result<WriterSchema, CodecError> {
        #[cfg(feature = "avro")]
        let avro = match source.kind {
            SchemaKind::Avro => Some(self.parse_avro(&source).map_err(|m| self.error(Some(id), m))?),
            _ => None,
        };
        Ok(WriterSchema {
            id,
            source,
            #[cfg(feature = "avro")]
            avro,
            #[cfg(feature = "avro")]
            same_as_reader: Mutex::new(Vec::new()),
        })
    }

    #[cfg(feature = "avro")]
    fn parse_avro(&self, source: &SourceSchema) -> Result<apache_avro::Schema, String> {
        let json: serde_json::Value =
            serde_json::from_str(&source.text).map_err(|e| format!("the Avro schema is not JSON: {e}"))?;
        let references = self.avro_references(&source.references, 0)?;
        let standalone = avro_refs::inline(&json, &references);
        apache_avro::Schema::parse(&standalone).map_err(|e| format!("the Avro schema does not parse: {e}"))
    }

    /// The referenced named types, self-contained, by full name (theirs included).
    #[cfg(feature = "avro")]
    fn avro_references(
        &self,
        references: &[SourceReference],
        depth: usize,
    ) -> Result<HashMap<String, serde_json::Value>, String> {
        let mut out = HashMap::new();
        if references.is_empty() {
            return Ok(out);
        }
        if depth >= MAX_REFERENCE_DEPTH {
            return Err(format!("references nest deeper than {MAX_REFERENCE_DEPTH}"));
        }
        for r in references {
            let at = format!("reference `{}` (subject `{}` version {})", r.name, r.subject, r.version);
            let schema = self.source.schema_by_version(&r.subject, r.version).map_err(|e| format!("{at}: {e}"))?;
            if schema.kind != SchemaKind::Avro {
                return Err(format!("{at} is a {} schema", schema.kind));
            }
            let json: serde_json::Value =
                serde_json::from_str(&schema.text).map_err(|e| format!("{at} is not JSON: {e}"))?;
            let nested = self.avro_references(&schema.references, depth + 1)?;
            let standalone = avro_refs::inline(&json, &nested);
            let name = avro_refs::name_of(&standalone).ok_or_else(|| format!("{at} is not a named type"))?;
            out.extend(nested);
            out.insert(name, standalone);
        }
        Ok(out)
    }
}
