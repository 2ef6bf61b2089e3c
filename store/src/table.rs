//! The table of an event type, built from the IR: the columns of its Parquet files and how each
//! one reads and writes the event's JSON form. One model feeds the Arrow schema, the Spark schemas,
//! the writer and the reader, so they cannot disagree.
//!
//! The envelope is columns (`metadata` a struct; `data_op`, `data_type`, `data` for data change
//! events), the payload nested structs, lists and maps. Every column is nullable: Spark reads every
//! Parquet column as nullable anyway, and whether a field is required is the catalog's business,
//! checked when the event is validated. What Spark cannot read is mapped to what it can
//! (see [`Leaf`]); recursive types and `Any` values are JSON text. Two facts the IR does not keep
//! are read from the source schema: an Avro decimal's precision and scale, and whether a Protobuf
//! 64-bit integer is unsigned.

use std::collections::HashMap;

use apache_avro::schema::{Name, Schema as AvroSchema};
use eventbind_build::catalog::{Category, SchemaFormat};
use eventbind_build::ir::{EventIr, Model, Primitive, ProtoScalar, TypeId, TypeKind, TypeRef};
use prost_reflect::{DescriptorPool, Kind as ProtoKind};

/// Column of a string holding the fields no schema declares, as a JSON object from each one's
/// JSON pointer in the event to its value.
pub const UNKNOWN_COLUMN: &str = "_unknown";
/// Column of the replay order's tie-breakers: `nanos` (of `occurred_at`, below the microsecond)
/// and `seq` (the place in the order of writing).
pub const ORDER_COLUMN: &str = "_order";
/// Partition columns, from the folder names.
pub const PARTITION_COLUMNS: [&str; 2] = ["event_type", "date"];
/// Names a payload column cannot take at the top level (compared case-insensitively, as Spark
/// does); such a column gets a trailing underscore.
const RESERVED: [&str; 5] = ["event_type", "date", UNKNOWN_COLUMN, ORDER_COLUMN, "metadata"];

/// One event type's table.
#[derive(Debug, Clone)]
pub struct Table {
    pub event_type: String,
    pub category: Category,
    pub format: SchemaFormat,
    pub schema_version: String,
    /// The event document's own columns, in order (the reserved `_unknown` and `_order` follow
    /// them in the files).
    pub columns: Vec<Column>,
}

/// A column: a field of the event document (or of a nested object), a list item or a map value.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column's name: the wire name, unless it had to change (reserved or a duplicate when
    /// case is ignored).
    pub name: String,
    /// The key in the JSON object.
    pub wire: String,
    /// Another key that reads the same field (a Protobuf field's `.proto` name).
    pub alias: Option<String>,
    pub doc: Option<String>,
    /// The field must be present: read back as `null` when its column is null.
    pub required: bool,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Leaf(Leaf),
    Struct(Vec<Column>),
    /// Items are the inner column (named `element`).
    List(Box<Column>),
    /// String keys; values are the inner column (named `value`).
    Map(Box<Column>),
    /// A struct with one column per variant, of which at most one is set.
    Union(Union),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub variants: Vec<Column>,
    pub choice: Choice,
}

/// How a union's variant is told.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    /// By the value of this property; `tags[i]` selects variant `i`.
    Discriminator { property: String, tags: Vec<Option<String>> },
    /// The first variant the value fits (JSON Schema `anyOf`/`oneOf` without discriminator,
    /// Avro unions).
    FirstFit,
    /// A Protobuf `oneof`: the set field appears in the enclosing object under its own name
    /// (each variant's `wire`/`alias`); the union column has no key of its own.
    Oneof,
}

/// A leaf column: its Arrow type and its JSON form.
#[derive(Debug, Clone, PartialEq)]
pub enum Leaf {
    String,
    /// `uuid`: its text (Spark has no uuid type).
    Uuid,
    /// Enums as their value's name. Protobuf enums also read a value's number.
    Enum {
        values: Vec<String>,
        numbers: Vec<i32>,
    },
    Boolean,
    /// `proto`: the proto3 JSON form (a string holding the number is read too).
    Int32 {
        proto: bool,
    },
    /// `quoted`: written as a string (proto3 JSON's 64-bit integers); read from either.
    Int64 {
        proto: bool,
        quoted: bool,
    },
    /// Unsigned 64-bit integers: `decimal(20,0)` (Spark has no unsigned 64-bit type). `quoted`:
    /// written as a string (proto3 JSON's `uint64`/`fixed64`), else as a JSON number.
    UInt64 {
        quoted: bool,
    },
    /// `proto`: `"NaN"`, `"Infinity"`, `"-Infinity"` and numeric strings are read, and
    /// non-finite values written as those strings.
    Float32 {
        proto: bool,
    },
    Float64 {
        proto: bool,
    },
    Bytes(BytesForm),
    /// Days since 1970-01-01.
    Date,
    /// UTC microseconds (Spark's `timestamp`); digits below the microsecond are not kept.
    Timestamp,
    /// Microseconds of a wall-clock time without zone (Spark's `timestamp_ntz`).
    LocalTimestamp,
    /// Microseconds since midnight as `bigint` (Spark cannot read Parquet `TIME`).
    TimeOfDay,
    /// `decimal(precision, scale)`, precision at most 38.
    Decimal {
        precision: u8,
        scale: i8,
    },
    /// A decimal of more than 38 digits, as its text.
    DecimalText,
    /// Any JSON value, as its text (`Any`, recursive types, `google.protobuf.Struct` values).
    Json,
}

/// How bytes are written in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BytesForm {
    /// Standard base64 (URL-safe and unpadded read too): Protobuf.
    Base64,
    /// An array of byte values (a string of code points 0–255 read too): eventbind's Avro JSON form.
    AvroArray,
}

/// The default scale of JSON Schema decimals, whose schema gives neither precision nor scale.
pub const JSON_DECIMAL: (u8, i8) = (38, 18);

impl Column {
    pub fn leaf(name: &str, leaf: Leaf, doc: &str) -> Column {
        Column {
            name: name.into(),
            wire: name.into(),
            alias: None,
            doc: Some(doc.into()),
            required: false,
            kind: Kind::Leaf(leaf),
        }
    }

    fn required(mut self) -> Column {
        self.required = true;
        self
    }

    fn item(kind: Kind) -> Column {
        Column { name: "element".into(), wire: String::new(), alias: None, doc: None, required: false, kind }
    }

    fn value(kind: Kind) -> Column {
        Column { name: "value".into(), wire: String::new(), alias: None, doc: None, required: false, kind }
    }
}

/// The `metadata` struct: the fields of the event model's metadata. Fields it does not list go to
/// `_unknown` like any other unknown field.
pub fn metadata_column() -> Column {
    let s = |name: &str, doc: &str| Column::leaf(name, Leaf::String, doc);
    Column {
        name: "metadata".into(),
        wire: "metadata".into(),
        alias: None,
        doc: Some("The envelope's metadata.".into()),
        required: true,
        kind: Kind::Struct(vec![
            Column::leaf("eid", Leaf::Uuid, "Unique per event; the store de-duplicates on it.").required(),
            Column::leaf("occurred_at", Leaf::Timestamp, "When the producer says it happened (UTC).").required(),
            s("event_type", "The event type's name."),
            Column::leaf("received_at", Leaf::Timestamp, "Set by an intermediary on receipt (UTC)."),
            s("version", "Schema version used to validate."),
            Column {
                name: "parent_eids".into(),
                wire: "parent_eids".into(),
                alias: None,
                doc: Some("Events that caused this one.".into()),
                required: false,
                kind: Kind::List(Box::new(Column::item(Kind::Leaf(Leaf::Uuid)))),
            },
            s("flow_id", "The X-Flow-Id of the request that caused it."),
            s("partition", "Partition assigned by the broker."),
            s("tenant_id", "Tenant the event belongs to."),
            s("trace_id", "Trace id that follows the flow across services."),
        ]),
    }
}

/// Builds tables from a lowered model.
#[derive(Debug)]
pub struct Tables<'m> {
    model: &'m Model,
    proto: Option<DescriptorPool>,
}

/// Where the walk is in the source schema, for what the IR does not keep.
#[derive(Clone, Copy)]
enum Source<'s> {
    None,
    Avro(&'s AvroSchema, &'s HashMap<Name, AvroSchema>),
}

impl<'m> Tables<'m> {
    pub fn new(model: &'m Model) -> Result<Tables<'m>, String> {
        let proto = match &model.protobuf {
            Some(b) => Some(
                DescriptorPool::decode(b.descriptor_set.as_slice())
                    .map_err(|e| format!("the compiled Protobuf descriptors do not decode: {e}"))?,
            ),
            None => None,
        };
        Ok(Tables { model, proto })
    }

    /// The table of one event type of the model.
    pub fn table(&self, event: &EventIr) -> Result<Table, String> {
        let format = event.def.schema.format;
        let avro = match format {
            SchemaFormat::Avro => Some(
                parse_avro(&event.schema_text)
                    .map_err(|e| format!("the Avro schema of `{}` does not parse: {e}", event.def.name))?,
            ),
            _ => None,
        };
        let source = match &avro {
            Some((schema, names)) => Source::Avro(schema, names),
            None => Source::None,
        };
        let mut walk = Walk { tables: self, format, path: Vec::new() };
        let columns = match event.def.category {
            Category::General => {
                let mut columns = vec![metadata_column()];
                // A payload that is not an object schema has no columns: its fields go to `_unknown`.
                if let Kind::Struct(fields) = walk.kind(&event.payload, source, None) {
                    columns.extend(fields);
                }
                rename_reserved(&mut columns[1..]);
                columns
            }
            Category::Data => vec![
                metadata_column(),
                Column::leaf(
                    "data_op",
                    Leaf::Enum { values: ["C", "U", "D", "S"].map(String::from).to_vec(), numbers: Vec::new() },
                    "C (create), U (update), D (delete) or S (snapshot).",
                )
                .required(),
                Column::leaf("data_type", Leaf::String, "The entity that changed.").required(),
                Column {
                    name: "data".into(),
                    wire: "data".into(),
                    alias: None,
                    doc: Some("The entity.".into()),
                    required: true,
                    kind: walk.kind(&event.payload, source, None),
                },
            ],
            Category::Undefined => match walk.kind(&event.payload, source, None) {
                Kind::Struct(mut fields) => {
                    rename_reserved(&mut fields);
                    fields
                }
                other => vec![Column {
                    name: "value".into(),
                    wire: String::new(),
                    alias: None,
                    doc: Some("The document, which is not an object.".into()),
                    required: true,
                    kind: other,
                }],
            },
        };
        Ok(Table {
            event_type: event.def.name.clone(),
            category: event.def.category,
            format,
            schema_version: event.def.schema.version.to_string(),
            columns,
        })
    }
}

struct Walk<'t, 'm> {
    tables: &'t Tables<'m>,
    format: SchemaFormat,
    /// Named types being expanded: one met again is recursive, and becomes JSON text.
    path: Vec<TypeId>,
}

impl Walk<'_, '_> {
    fn kind(&mut self, ty: &TypeRef, source: Source<'_>, proto: Option<(ProtoScalar, bool)>) -> Kind {
        match ty {
            TypeRef::Nullable(inner) => self.kind(inner, source.non_null(), proto),
            TypeRef::Primitive(p) => Kind::Leaf(self.primitive(*p, source, proto)),
            TypeRef::List(item) => Kind::List(Box::new(Column::item(self.kind(item, source.items(), proto)))),
            TypeRef::Map(value) => Kind::Map(Box::new(Column::value(self.kind(value, source.values(), proto)))),
            TypeRef::Named(id) => self.named(*id, source),
        }
    }

    fn primitive(&self, p: Primitive, source: Source<'_>, proto: Option<(ProtoScalar, bool)>) -> Leaf {
        let is_proto = self.format == SchemaFormat::Protobuf;
        match p {
            Primitive::String => Leaf::String,
            Primitive::Uuid => Leaf::Uuid,
            Primitive::Boolean => Leaf::Boolean,
            Primitive::Int32 => Leaf::Int32 { proto: is_proto },
            Primitive::Int64 => match proto {
                Some((_, true)) => Leaf::UInt64 { quoted: true },
                Some((ProtoScalar::Int64, _)) => Leaf::Int64 { proto: true, quoted: true },
                _ => Leaf::Int64 { proto: is_proto, quoted: false },
            },
            // uint32 fits an int64 column; uint64 needs the unsigned one.
            Primitive::UInt32 => Leaf::Int64 { proto: is_proto, quoted: false },
            Primitive::UInt64 => Leaf::UInt64 { quoted: is_proto },
            Primitive::Float32 => Leaf::Float32 { proto: is_proto },
            Primitive::Float64 => Leaf::Float64 { proto: is_proto },
            Primitive::Bytes => {
                Leaf::Bytes(if self.format == SchemaFormat::Avro { BytesForm::AvroArray } else { BytesForm::Base64 })
            }
            Primitive::Date => Leaf::Date,
            Primitive::DateTime => Leaf::Timestamp,
            Primitive::LocalDateTime => Leaf::LocalTimestamp,
            Primitive::Time => Leaf::TimeOfDay,
            Primitive::Decimal => match source.decimal() {
                Some((precision, scale)) if precision <= 38 => {
                    Leaf::Decimal { precision: precision as u8, scale: i8::try_from(scale).unwrap_or(i8::MAX) }
                }
                Some(_) => Leaf::DecimalText,
                None => Leaf::Decimal { precision: JSON_DECIMAL.0, scale: JSON_DECIMAL.1 },
            },
            Primitive::Any => Leaf::Json,
        }
    }

    fn named(&mut self, id: TypeId, source: Source<'_>) -> Kind {
        if self.path.contains(&id) {
            return Kind::Leaf(Leaf::Json);
        }
        let def = self.tables.model.get(id);
        let source = source.deref();
        self.path.push(id);
        let kind = match &def.kind {
            TypeKind::Newtype(inner) => self.kind(inner, source, None),
            TypeKind::Enum(e) => Kind::Leaf(Leaf::Enum {
                values: e.values.iter().map(|v| v.wire.clone()).collect(),
                numbers: self.proto_bindings().and_then(|b| b.enum_numbers.get(&id)).cloned().unwrap_or_default(),
            }),
            TypeKind::Struct(s) => {
                let proto_fields = self.proto_bindings().and_then(|b| b.fields.get(&id)).cloned();
                let message = self.tables.proto.as_ref().and_then(|p| p.get_message_by_name(&def.origin.pointer));
                let mut columns = Vec::with_capacity(s.fields.len());
                for (i, field) in s.fields.iter().enumerate() {
                    let pf = proto_fields.as_ref().and_then(|f| f.get(i));
                    let unsigned = match (&message, pf) {
                        (Some(m), Some(pf)) => m.get_field_by_name(&pf.proto_name).is_some_and(|f| is_unsigned64(&f)),
                        _ => false,
                    };
                    let field_source = source.field(&field.wire_name);
                    let kind = self.kind(&field.ty, field_source, pf.map(|p| (p.scalar, unsigned)));
                    columns.push(Column {
                        name: field.wire_name.clone(),
                        wire: field.wire_name.clone(),
                        alias: pf.map(|p| p.proto_name.clone()).filter(|n| *n != field.wire_name),
                        doc: field.doc.clone(),
                        required: field.required,
                        kind,
                    });
                }
                dedupe_ignoring_case(&mut columns);
                Kind::Struct(columns)
            }
            TypeKind::Union(u) => {
                let oneof = self.format == SchemaFormat::Protobuf;
                let proto_fields = self.proto_bindings().and_then(|b| b.fields.get(&id)).cloned();
                let message = if oneof {
                    def.origin
                        .pointer
                        .rsplit_once('.')
                        .and_then(|(m, _)| self.tables.proto.as_ref().and_then(|p| p.get_message_by_name(m)))
                } else {
                    None
                };
                let mut variants = Vec::with_capacity(u.variants.len());
                for (i, v) in u.variants.iter().enumerate() {
                    let pf = proto_fields.as_ref().and_then(|f| f.get(i));
                    let unsigned = match (&message, pf) {
                        (Some(m), Some(pf)) => m.get_field_by_name(&pf.proto_name).is_some_and(|f| is_unsigned64(&f)),
                        _ => false,
                    };
                    let name = v.tag.clone().unwrap_or_else(|| heck::ToSnakeCase::to_snake_case(v.name.as_str()));
                    let kind = self.kind(&v.ty, source.branch(i), pf.map(|p| (p.scalar, unsigned)));
                    variants.push(Column {
                        name: name.clone(),
                        wire: name,
                        alias: pf.map(|p| p.proto_name.clone()),
                        doc: None,
                        required: false,
                        kind,
                    });
                }
                dedupe_ignoring_case(&mut variants);
                let choice = if oneof {
                    Choice::Oneof
                } else if let Some(property) = &u.discriminator {
                    Choice::Discriminator {
                        property: property.clone(),
                        tags: u.variants.iter().map(|v| v.tag.clone()).collect(),
                    }
                } else {
                    Choice::FirstFit
                };
                Kind::Union(Union { variants, choice })
            }
        };
        self.path.pop();
        kind
    }

    fn proto_bindings(&self) -> Option<&eventbind_build::ir::ProtoBindings> {
        match self.format {
            SchemaFormat::Protobuf => self.tables.model.protobuf.as_ref(),
            _ => None,
        }
    }
}

fn is_unsigned64(field: &prost_reflect::FieldDescriptor) -> bool {
    let kind = if field.is_map() {
        match field.kind() {
            ProtoKind::Message(entry) => entry.map_entry_value_field().kind(),
            other => other,
        }
    } else {
        field.kind()
    };
    match kind {
        ProtoKind::Uint64 | ProtoKind::Fixed64 => true,
        ProtoKind::Message(m) => m.full_name() == "google.protobuf.UInt64Value",
        _ => false,
    }
}

/// A column whose name clashes with a reserved name gets trailing underscores until it does not.
fn rename_reserved(columns: &mut [Column]) {
    let mut taken: Vec<String> = RESERVED.iter().map(|r| r.to_ascii_lowercase()).collect();
    for c in columns.iter_mut() {
        while taken.contains(&c.name.to_lowercase()) {
            c.name.push('_');
        }
        taken.push(c.name.to_lowercase());
    }
}

/// Spark compares column names without case: a later name equal to an earlier one but for case
/// gets trailing underscores.
fn dedupe_ignoring_case(columns: &mut [Column]) {
    let mut taken: Vec<String> = Vec::new();
    for c in columns.iter_mut() {
        while taken.contains(&c.name.to_lowercase()) {
            c.name.push('_');
        }
        taken.push(c.name.to_lowercase());
    }
}

/// Parses a self-contained Avro schema and collects its named types.
fn parse_avro(text: &str) -> Result<(AvroSchema, HashMap<Name, AvroSchema>), String> {
    let schema = AvroSchema::parse_str(text).map_err(|e| e.to_string())?;
    let resolved = apache_avro::schema::ResolvedSchema::try_from(&schema).map_err(|e| e.to_string())?;
    let names = resolved.get_names().iter().map(|(n, s)| (n.clone(), (*s).clone())).collect();
    Ok((schema, names))
}

impl<'s> Source<'s> {
    fn deref(self) -> Source<'s> {
        match self {
            Source::Avro(AvroSchema::Ref { name }, names) => match names.get(name) {
                Some(s) => Source::Avro(s, names),
                None => Source::None,
            },
            other => other,
        }
    }

    /// Without the `null` branch of a `["null", T]` union (a union of more branches stays).
    fn non_null(self) -> Source<'s> {
        let this = self.deref();
        if let Source::Avro(AvroSchema::Union(u), names) = this {
            let mut branches = u.variants().iter().filter(|s| !matches!(s, AvroSchema::Null));
            if let (Some(only), None) = (branches.next(), branches.next()) {
                return Source::Avro(only, names).deref();
            }
        }
        this
    }

    fn items(self) -> Source<'s> {
        match self.non_null().deref() {
            Source::Avro(AvroSchema::Array(a), names) => Source::Avro(&a.items, names),
            _ => Source::None,
        }
    }

    fn values(self) -> Source<'s> {
        match self.non_null().deref() {
            Source::Avro(AvroSchema::Map(m), names) => Source::Avro(&m.types, names),
            _ => Source::None,
        }
    }

    fn field(self, name: &str) -> Source<'s> {
        match self.non_null().deref() {
            Source::Avro(AvroSchema::Record(r), names) => match r.lookup.get(name).and_then(|i| r.fields.get(*i)) {
                Some(f) => Source::Avro(&f.schema, names),
                None => Source::None,
            },
            _ => Source::None,
        }
    }

    /// The `i`-th branch of a union that is not `null` (the IR's variants, in order).
    fn branch(self, i: usize) -> Source<'s> {
        match self.deref() {
            Source::Avro(AvroSchema::Union(u), names) => {
                match u.variants().iter().filter(|s| !matches!(s, AvroSchema::Null)).nth(i) {
                    Some(s) => Source::Avro(s, names),
                    None => Source::None,
                }
            }
            _ => Source::None,
        }
    }

    fn decimal(self) -> Option<(usize, usize)> {
        match self.non_null().deref() {
            Source::Avro(AvroSchema::Decimal(d), _) => Some((d.precision, d.scale)),
            _ => None,
        }
    }
}

/// Every table of a model, by event type name.
pub fn tables(model: &Model) -> Result<Vec<Table>, String> {
    let builder = Tables::new(model)?;
    model.events.iter().map(|e| builder.table(e)).collect()
}

/// The tables of a catalog's event types (all of them when `only` is empty), lowered through the
/// same IR as code generation.
pub fn catalog_tables(catalog: &eventbind_build::catalog::Catalog, only: &[String]) -> Result<Vec<Table>, String> {
    let mut filter = eventbind_build::filter::Filter::default();
    for name in only {
        if !catalog.event_types.iter().any(|e| &e.name == name) {
            return Err(format!("`{name}` is not an event type of the catalog"));
        }
        filter.push(eventbind_build::filter::Pattern::new(&globset_escape(name))?);
    }
    let model = eventbind_build::lowering::lower_catalog(catalog, &filter).map_err(|e| e.to_string())?;
    tables(&model)
}

/// A name as a glob that matches only itself.
fn globset_escape(name: &str) -> String {
    name.chars()
        .map(
            |c| {
                if matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\' | '!') {
                    format!("[{c}]")
                } else {
                    c.to_string()
                }
            },
        )
        .collect()
}
