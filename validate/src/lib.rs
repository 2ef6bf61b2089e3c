//! Validating events against the catalog: the envelope by its category's rules, the payload
//! against the event type's schema, in its JSON form: JSON Schema with the `jsonschema` crate,
//! Avro by walking the parsed apache-avro schema ([`avro`]), Protobuf in the proto3 JSON mapping
//! against the protox-compiled descriptor ([`protobuf`]). One payload validator per event type,
//! built on first use.

// Diagnostics are large, and only made on the cold path of bad input.
#![allow(clippy::result_large_err)]

pub mod avro;
mod envelope;
pub mod input;
pub mod protobuf;
mod schema;
pub mod stream;

use std::cell::OnceCell;
use std::collections::BTreeMap;

use serde_json::Value;

use eventbind_build::catalog::{Catalog, Category, EventType, SchemaFormat};

pub use input::{InputFormat, Record, Records};
pub use stream::{validate_stream, Summary};

/// One reason an event is invalid: where in the event (a JSON pointer) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pointer: String,
    pub reason: String,
}

impl Problem {
    pub fn new(pointer: impl Into<String>, reason: impl Into<String>) -> Self {
        Problem { pointer: pointer.into(), reason: reason.into() }
    }
}

/// What validation found out about one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Valid,
    Invalid(Vec<Problem>),
}

/// An event's type (when it could be told) and the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub event_type: Option<String>,
    pub outcome: Outcome,
}

/// An event type's payload validator, by schema format.
#[derive(Debug)]
pub enum Payload {
    JsonSchema(Box<jsonschema::Validator>),
    Avro(Box<avro::AvroPayload>),
    Protobuf(protobuf::ProtoPayload),
}

/// An event type's compiled payload validator, built on first use (or why it cannot be).
type LazyValidator = OnceCell<Result<Payload, String>>;

/// Validates events against a catalog.
pub struct Validator<'c> {
    catalog: &'c Catalog,
    compiler: schema::SchemaCompiler,
    /// The catalog's `.avsc` files, read when the first Avro event type is met.
    avro_files: OnceCell<eventbind_build::avro::AvroFiles>,
    types: BTreeMap<&'c str, (&'c EventType, LazyValidator)>,
}

impl std::fmt::Debug for Validator<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator").field("event_types", &self.types.keys().collect::<Vec<_>>()).finish()
    }
}

impl<'c> Validator<'c> {
    pub fn new(catalog: &'c Catalog) -> Self {
        let types = catalog.event_types.iter().map(|e| (e.name.as_str(), (e, OnceCell::new()))).collect();
        Validator { catalog, compiler: schema::SchemaCompiler::new(catalog), avro_files: OnceCell::new(), types }
    }

    /// Whether the catalog defines this event type.
    pub fn knows(&self, event_type: &str) -> bool {
        self.types.contains_key(event_type)
    }

    /// Whether the event type's documents are arrays (an undefined-category event type whose
    /// schema's root is an array, a tuple event): an input's top-level array is then one event.
    pub fn documents_are_arrays(&self, event_type: &str) -> bool {
        let Some((event, _)) = self.types.get(event_type) else { return false };
        if event.category != Category::Undefined {
            return false;
        }
        match event.schema.format {
            SchemaFormat::JsonSchema => eventbind_build::json_schema::root_is_array(self.catalog, event),
            SchemaFormat::Avro => {
                let files = self.avro_files.get_or_init(|| eventbind_build::avro::AvroFiles::load(self.catalog));
                eventbind_build::avro::parse_event(self.catalog, files, event)
                    .is_ok_and(|parsed| matches!(parsed.schema, apache_avro::Schema::Array(_)))
            }
            SchemaFormat::Protobuf => false,
        }
    }

    /// Validates one event. Its type is `forced` when given (an event naming another type in
    /// `metadata.event_type` is then invalid), else its `metadata.event_type`.
    pub fn check(&self, event: Value, forced: Option<&str>) -> Checked {
        let declared = event.pointer("/metadata/event_type").and_then(Value::as_str);
        let name = match (forced, declared) {
            (Some(forced), Some(declared)) if forced != declared => {
                return Checked {
                    event_type: Some(forced.to_owned()),
                    outcome: Outcome::Invalid(vec![Problem::new(
                        "/metadata/event_type",
                        format!("the event says it is `{declared}`, but --type is `{forced}`"),
                    )]),
                }
            }
            (Some(name), _) | (None, Some(name)) => name,
            (None, None) => {
                let reason = if event.get("metadata").is_some() {
                    "`metadata.event_type` is missing; pass --type to name the event type"
                } else {
                    "the event has no `metadata.event_type`; pass --type to name the event type"
                };
                return Checked { event_type: None, outcome: Outcome::Invalid(vec![Problem::new("", reason)]) };
            }
        };
        let Some((event_type, compiled)) = self.types.get(name) else {
            return Checked {
                event_type: Some(name.to_owned()),
                outcome: Outcome::Invalid(vec![Problem::new(
                    if forced.is_some() { "" } else { "/metadata/event_type" },
                    format!("unknown event type `{name}`: the catalog does not define it"),
                )]),
            };
        };
        let mut problems = Vec::new();
        let payload_at = envelope::check(event_type.category, &event, &mut problems);
        let event_type_name = Some(event_type.name.clone());
        if let Some(at) = payload_at {
            match compiled.get_or_init(|| self.payload_validator(event_type)) {
                Ok(Payload::JsonSchema(validator)) => {
                    let payload = payload_of(event, at, event_type.category);
                    for error in validator.iter_errors(&payload) {
                        problems
                            .push(Problem::new(format!("{at}{}", error.instance_path().as_str()), error.to_string()));
                    }
                }
                Ok(Payload::Avro(schema)) => {
                    let payload = payload_of(event, at, event_type.category);
                    schema.check(&payload, at, &mut problems);
                }
                Ok(Payload::Protobuf(message)) => {
                    let payload = payload_of(event, at, event_type.category);
                    message.check(&payload, at, &mut problems);
                }
                Err(why) => problems.push(Problem::new("", format!("the event type's schema cannot be used: {why}"))),
            }
        }
        let outcome = if problems.is_empty() { Outcome::Valid } else { Outcome::Invalid(problems) };
        Checked { event_type: event_type_name, outcome }
    }
}

impl Validator<'_> {
    /// Builds the payload validator of an event type, by its schema format.
    fn payload_validator(&self, event_type: &EventType) -> Result<Payload, String> {
        let shown = |d: eventbind_build::diagnostic::Diagnostic| format!("{} ({})", d.message, d.location);
        match event_type.schema.format {
            SchemaFormat::JsonSchema => {
                self.compiler.compile(self.catalog, event_type).map(|v| Payload::JsonSchema(Box::new(v))).map_err(shown)
            }
            SchemaFormat::Avro => {
                let files = self.avro_files.get_or_init(|| eventbind_build::avro::AvroFiles::load(self.catalog));
                let parsed = eventbind_build::avro::parse_event(self.catalog, files, event_type).map_err(shown)?;
                Ok(Payload::Avro(Box::new(avro::AvroPayload::new(parsed.schema, parsed.names))))
            }
            SchemaFormat::Protobuf => {
                let compiled = eventbind_build::protobuf::compile(self.catalog, &[event_type])
                    .map_err(|problems| problems.into_iter().map(shown).collect::<Vec<_>>().join("; "))?;
                let name = event_type
                    .schema
                    .message
                    .as_deref()
                    .ok_or("a Protobuf event type must name its payload message (`schema.message`)")?;
                let message = compiled
                    .pool
                    .get_message_by_name(name.trim_start_matches('.'))
                    .ok_or_else(|| format!("no message `{name}` in the event type's .proto file or its imports"))?;
                Ok(Payload::Protobuf(protobuf::ProtoPayload::new(message)))
            }
        }
    }

    /// The payload validator of an event type, built on first use: for docs (examples) and tests.
    pub fn payload(&self, name: &str) -> Option<Result<&Payload, &String>> {
        let (event_type, compiled) = self.types.get(name)?;
        Some(compiled.get_or_init(|| self.payload_validator(event_type)).as_ref())
    }
}

/// The payload the schema judges, taken out of the event without copying: a general event's top
/// level without `metadata`, a data change event's `data` (at `/data`), an undefined event's
/// whole document.
fn payload_of(event: Value, at: &str, category: Category) -> Value {
    match event {
        Value::Object(mut map) if at == "/data" => map.remove("data").unwrap_or(Value::Null),
        Value::Object(mut map) if category == Category::General => {
            map.shift_remove("metadata");
            Value::Object(map)
        }
        other => other,
    }
}
