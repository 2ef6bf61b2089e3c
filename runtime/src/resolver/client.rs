//! The registry client as a [`SchemaSource`].

use eventbind_registry::{Client, Error, Schema, SchemaType, Version};

use super::{SchemaKind, SchemaSource, SourceError, SourceReference, SourceSchema};

fn kind(t: SchemaType) -> SchemaKind {
    match t {
        SchemaType::Avro => SchemaKind::Avro,
        SchemaType::Json => SchemaKind::Json,
        SchemaType::Protobuf => SchemaKind::Protobuf,
    }
}

fn source(schema: Schema) -> SourceSchema {
    SourceSchema {
        kind: kind(schema.schema_type),
        text: schema.schema,
        references: schema
            .references
            .into_iter()
            .map(|r| SourceReference { name: r.name, subject: r.subject, version: r.version })
            .collect(),
    }
}

fn registry(schema: &SourceSchema) -> Schema {
    let schema_type = match schema.kind {
        SchemaKind::Avro => SchemaType::Avro,
        SchemaKind::Json => SchemaType::Json,
        SchemaKind::Protobuf => SchemaType::Protobuf,
    };
    let mut out = Schema::new(schema_type, schema.text.clone());
    for r in &schema.references {
        out = out.with_reference(r.name.clone(), r.subject.clone(), r.version);
    }
    out
}

/// The request, the registry's code and its message; the URL is the resolver's to say.
fn error(e: Error) -> SourceError {
    let not_found = e.is_not_found();
    let shown = e.to_string();
    let prefix = format!("schema registry {}, ", e.registry());
    let message = shown.strip_prefix(&prefix).map(str::to_owned).unwrap_or(shown);
    SourceError { not_found, message }
}

impl SchemaSource for Client {
    fn schema_by_id(&self, id: u32) -> Result<SourceSchema, SourceError> {
        Client::schema_by_id(self, id).map(source).map_err(error)
    }

    fn schema_by_version(&self, subject: &str, version: i32) -> Result<SourceSchema, SourceError> {
        self.version(subject, Version::Number(version)).map(|v| source(v.schema)).map_err(error)
    }

    fn latest(&self, subject: &str) -> Result<(u32, SourceSchema), SourceError> {
        Client::latest(self, subject).map(|v| (v.id, source(v.schema))).map_err(error)
    }

    fn lookup(&self, subject: &str, schema: &SourceSchema) -> Result<Option<u32>, SourceError> {
        Client::lookup(self, subject, &registry(schema)).map(|found| found.map(|v| v.id)).map_err(error)
    }

    fn register(&self, subject: &str, schema: &SourceSchema) -> Result<u32, SourceError> {
        Client::register(self, subject, &registry(schema)).map_err(error)
    }

    fn describe(&self) -> String {
        self.url().to_owned()
    }
}
