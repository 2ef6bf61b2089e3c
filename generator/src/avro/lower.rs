//! Avro schemas (parsed by apache-avro) → IR: records become structs, enums closed enums,
//! `["null", T]` unions (either order) nullable types and other unions untagged unions; fixed and
//! bytes become bytes; the logical types become their primitives (decimal, uuid, date, time,
//! timestamps, local timestamps) and `duration` a struct of its three parts. Docs become doc
//! comments, field defaults IR defaults. Aliases are honoured by binary decoding (apache-avro's
//! schema resolution), not by the JSON form.
//!
//! An event type's own record is the event's struct, in the event type's module. Every other named
//! type is placed and named by its own full name (`shop.common.Money` is
//! `avro::shop::common::Money`), with the `.avsc` file that defines it as its origin, so that which
//! event type reaches it first changes nothing; the unions of a record's fields go beside it.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use apache_avro::schema::{Name, RecordSchema, Schema, UnionSchema};

use crate::diagnostic::{Diagnostic, Location};
use crate::ir::{
    EnumDef, EnumValue, Field, Origin, Primitive, StructDef, TypeId, TypeKind, TypeRef, UnionDef, Variant,
};
use crate::model_builder::ModelBuilder;
use crate::naming::{self, Namer};

use super::names::Definition;

/// The root module of the Avro named types that are not an event type's own record.
pub const ROOT_MODULE: &str = "avro";

/// The module of a named type: `avro` and its namespace's segments.
fn module_of(name: &Name) -> Vec<String> {
    let mut module = vec![ROOT_MODULE.to_owned()];
    if let Some(namespace) = name.namespace.as_deref() {
        module.extend(namespace.split('.').filter(|s| !s.is_empty()).map(naming::field_name));
    }
    module
}

/// Named types lowered so far, by full name and definition (one catalog may define a name twice,
/// differently, in two inline schemas).
#[derive(Default)]
pub(crate) struct Lowered {
    done: HashMap<(String, String), TypeId>,
}

pub(crate) struct AvroLowering<'a> {
    pub builder: &'a mut ModelBuilder,
    pub lowered: &'a mut Lowered,
    pub module: Vec<String>,
    pub names: HashMap<Name, Schema>,
    pub file: &'a Path,
    /// The named types of the catalog's `.avsc` files, by full name: where each is defined.
    pub definitions: &'a BTreeMap<String, Definition>,
    /// The file defining the record being lowered (its unions' origin), when not `file`.
    pub home: Option<std::path::PathBuf>,
}

fn key(schema: &Schema) -> String {
    serde_json::to_string(schema).unwrap_or_default()
}

impl AvroLowering<'_> {
    /// Where a named type is defined: its `.avsc` file, or the schema being lowered (inline).
    fn origin(&self, name: &Name) -> Origin {
        let fullname = name.fullname(None);
        let file = self.definitions.get(&fullname).map_or(self.file, |d| d.file.as_path());
        Origin { file: file.to_owned(), pointer: fullname }
    }

    fn lookup(&self, name: &Name) -> Result<Schema, Diagnostic> {
        self.names.get(name).cloned().ok_or_else(|| {
            Diagnostic::new(Location::file(self.file), format!("unknown Avro named type `{}`", name.fullname(None)))
        })
    }

    /// A record as a struct named `name` (a name already claimed, for the event's own types).
    /// Lowers a record; its fields do not take the `envelope` names (those the envelope puts
    /// beside them), not even after case conversion (`Metadata`, `metadata_`).
    pub fn record_as(
        &mut self,
        record: &RecordSchema,
        claimed: Option<String>,
        envelope: &[&str],
    ) -> Result<TypeId, Diagnostic> {
        // An event's own record is never shared, so a use elsewhere cannot move it.
        let owner = claimed.as_deref().map_or(String::new(), |name| format!("{}::{name}", self.module.join("::")));
        let schema_key = (format!("{}#{owner}", record.name.fullname(None)), key(&Schema::Record(record.clone())));
        if let Some(id) = self.lowered.done.get(&schema_key) {
            return Ok(*id);
        }
        let origin = self.origin(&record.name);
        let doc = record.doc.clone();
        let module = match claimed {
            Some(_) => self.module.clone(),
            None => module_of(&record.name),
        };
        let id = match claimed {
            Some(name) => self.builder.add_named(&module, name, origin, doc, TypeKind::Struct(StructDef::default())),
            None => self.builder.add(&module, &naming::type_name(&record.name.name), origin, doc),
        };
        self.lowered.done.insert(schema_key, id);
        let home = self.builder.model.get(id).origin.file.clone();
        let outer = (std::mem::replace(&mut self.module, module), self.home.replace(home));
        let fields = self.record_fields(record, envelope);
        (self.module, self.home) = outer;
        self.builder.set(id, TypeKind::Struct(StructDef { fields: fields?, closed: false, rest: None }));
        Ok(id)
    }

    fn record_fields(&mut self, record: &RecordSchema, envelope: &[&str]) -> Result<Vec<Field>, Diagnostic> {
        let mut names = Namer::new();
        for reserved in envelope {
            names.reserve(reserved);
        }
        let mut fields = Vec::with_capacity(record.fields.len());
        for field in &record.fields {
            let ty = self.lower(
                &field.schema,
                &format!("{}{}", naming::type_name(&record.name.name), naming::type_name(&field.name)),
            )?;
            let default = field.default.clone();
            let nullable = matches!(ty, TypeRef::Nullable(_));
            let mut doc = field.doc.clone();
            if let Some(aliases) = field.aliases.as_ref().filter(|a| !a.is_empty()) {
                let note = format!("Also read from (Avro aliases): {}.", aliases.join(", "));
                doc = Some(doc.map_or(note.clone(), |d| format!("{d}\n\n{note}")));
            }
            fields.push(Field {
                wire_name: field.name.clone(),
                name: names.claim(&naming::field_name(&field.name), "_"),
                doc,
                ty,
                // In the JSON form a field with a default (or a nullable one) may be left out.
                required: default.is_none() && !nullable,
                default: default.filter(|d| !d.is_null()),
                read_only: false,
                format: None,
                null_is_absent: true,
            });
        }
        Ok(fields)
    }

    /// A named type in `module` (the current one when `None`), made once per place and schema.
    fn named(
        &mut self,
        module: Option<Vec<String>>,
        schema: &Schema,
        candidate: &str,
        origin: Origin,
        doc: Option<String>,
        kind: TypeKind,
    ) -> TypeId {
        let module = module.unwrap_or_else(|| self.module.clone());
        let k = (format!("{}#{}", origin.pointer, module.join("::")), key(schema));
        if let Some(id) = self.lowered.done.get(&k) {
            return *id;
        }
        let name = self.builder.claim_name(&module, candidate);
        let id = self.builder.add_named(&module, name, origin, doc, kind);
        self.lowered.done.insert(k, id);
        id
    }

    fn union(&mut self, u: &UnionSchema, hint: &str) -> Result<TypeRef, Diagnostic> {
        let branches: Vec<&Schema> = u.variants().iter().filter(|s| !matches!(s, Schema::Null)).collect();
        let nullable = branches.len() < u.variants().len();
        let ty = match branches.as_slice() {
            [] => return Ok(TypeRef::Primitive(Primitive::Any)),
            [only] => self.lower(only, hint)?,
            many => {
                let mut names = Namer::new();
                let mut variants = Vec::with_capacity(many.len());
                for b in many {
                    let label = match b {
                        Schema::Record(r) => r.name.name.clone(),
                        Schema::Enum(e) => e.name.name.clone(),
                        Schema::Fixed(f) => f.name.name.clone(),
                        Schema::Ref { name } => name.name.clone(),
                        other => format!("{:?}", apache_avro::schema::SchemaKind::from(*other)),
                    };
                    let vname = names.claim(&naming::type_name(&label), "");
                    variants.push(Variant { name: vname, tag: None, ty: self.lower(b, &format!("{hint}{label}"))? });
                }
                let file = self.home.clone().unwrap_or_else(|| self.file.to_owned());
                let origin = Origin { file, pointer: format!("{hint} (union)") };
                let schema = Schema::Union(u.clone());
                TypeRef::Named(self.named(
                    None,
                    &schema,
                    hint,
                    origin,
                    Some("An Avro union: the first branch that fits is taken.".into()),
                    TypeKind::Union(UnionDef { discriminator: None, variants }),
                ))
            }
        };
        Ok(if nullable { ty.nullable() } else { ty })
    }

    /// The IR type of a schema; `hint` names a type made for it (unions, the duration struct).
    pub fn lower(&mut self, schema: &Schema, hint: &str) -> Result<TypeRef, Diagnostic> {
        use Primitive as P;
        let p = |p: P| Ok(TypeRef::Primitive(p));
        match schema {
            Schema::Null => p(P::Any),
            Schema::Boolean => p(P::Boolean),
            Schema::Int => p(P::Int32),
            Schema::Long => p(P::Int64),
            Schema::Float => p(P::Float32),
            Schema::Double => p(P::Float64),
            Schema::Bytes | Schema::Fixed(_) => p(P::Bytes),
            Schema::String => p(P::String),
            Schema::Decimal(_) => p(P::Decimal),
            // Arbitrary precision: kept as its decimal text.
            Schema::BigDecimal => p(P::String),
            Schema::Uuid => p(P::Uuid),
            Schema::Date => p(P::Date),
            Schema::TimeMillis | Schema::TimeMicros => p(P::Time),
            Schema::TimestampMillis | Schema::TimestampMicros | Schema::TimestampNanos => p(P::DateTime),
            Schema::LocalTimestampMillis | Schema::LocalTimestampMicros | Schema::LocalTimestampNanos => {
                p(P::LocalDateTime)
            }
            Schema::Duration => {
                let field = |n: &str, doc: &str| Field {
                    wire_name: n.to_owned(),
                    name: n.to_owned(),
                    doc: Some(doc.to_owned()),
                    ty: TypeRef::Primitive(P::Int64),
                    required: true,
                    default: None,
                    read_only: false,
                    format: None,
                    null_is_absent: true,
                };
                let kind = TypeKind::Struct(StructDef {
                    fields: vec![
                        field("months", "Whole months."),
                        field("days", "Whole days."),
                        field("milliseconds", "Milliseconds."),
                    ],
                    closed: false,
                    rest: None,
                });
                let origin = Origin { file: self.file.to_owned(), pointer: "duration".into() };
                Ok(TypeRef::Named(self.named(
                    Some(vec![ROOT_MODULE.to_owned()]),
                    schema,
                    "AvroDuration",
                    origin,
                    Some("An Avro `duration`: months, days and milliseconds, each unsigned 32-bit.".into()),
                    kind,
                )))
            }
            Schema::Array(a) => Ok(TypeRef::List(Box::new(self.lower(&a.items, &format!("{hint}Item"))?))),
            Schema::Map(m) => Ok(TypeRef::Map(Box::new(self.lower(&m.types, &format!("{hint}Value"))?))),
            Schema::Union(u) => self.union(u, hint),
            Schema::Record(r) => Ok(TypeRef::Named(self.record_as(r, None, &[])?)),
            Schema::Enum(e) => {
                let mut names = Namer::new();
                // The catch-all variant of tolerant builds.
                names.reserve("Unknown");
                let values = e
                    .symbols
                    .iter()
                    .map(|s| EnumValue { wire: s.clone(), name: names.claim(&naming::type_name(s), ""), doc: None })
                    .collect();
                let mut doc = e.doc.clone();
                if let Some(default) = &e.default {
                    let note = format!("Binary decoding reads symbols this build does not know as `{default}`.");
                    doc = Some(doc.map_or(note.clone(), |d| format!("{d}\n\n{note}")));
                }
                let origin = self.origin(&e.name);
                Ok(TypeRef::Named(self.named(
                    Some(module_of(&e.name)),
                    schema,
                    &naming::type_name(&e.name.name),
                    origin,
                    doc,
                    TypeKind::Enum(EnumDef { values, extensible: false }),
                )))
            }
            Schema::Ref { name } => {
                let target = self.lookup(name)?;
                self.lower(&target, hint)
            }
        }
    }
}
