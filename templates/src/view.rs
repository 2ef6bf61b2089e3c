//! The view model: the IR restated for one language, with every decision made (names cased and
//! escaped, types, decoders and encoders spelled, text escaped), so that templates only lay it
//! out. Envelopes are made explicit here: a general event's struct gains `metadata`, a data
//! change event gets its own envelope struct.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::lang::{FieldFacts, FieldMode, LangSpec, NamedKind, OneofCase, Shape};
use eventbind_build::catalog::{Category, CompatibilityMode, SchemaFormat};
use eventbind_build::ir::{EventIr, Field, Model, ProtoField, ProtoScalar, TypeDef, TypeId, TypeKind, TypeRef};
use eventbind_build::rust::UnknownFields;

/// Options every template language shares.
#[derive(Debug, Clone)]
pub struct ViewOptions {
    /// The package's name (npm package, Python distribution and import name, …).
    pub package: String,
    /// The decoders' default unknown-field policy (callers may choose another per call).
    pub unknown_fields: UnknownFields,
    /// Closed enums also keep values they do not list.
    pub tolerant_enums: bool,
}

#[derive(Debug, Serialize)]
pub struct PackageView {
    #[serde(flatten)]
    pub info: PackageInfo,
    /// Catalog files the package was made from, `/`-separated. Only package templates see them:
    /// every module and type context would otherwise copy the whole list.
    pub sources: Vec<String>,
    /// Every module, parents before children; the root module (empty path) first if present.
    pub modules: Vec<ModuleView>,
    /// The modules holding event types, as the package root imports them.
    pub event_modules: Vec<ImportView>,
    /// Event types with an envelope, which the any-event decoder dispatches on.
    pub dispatch: Vec<EventSummary>,
    /// Every event type, sorted by name.
    pub events: Vec<EventSummary>,
}

/// What every template sees of the package (`package.*` in module templates).
#[derive(Debug, Serialize)]
pub struct PackageInfo {
    pub language: String,
    pub package: String,
    pub generator_version: String,
    /// `{version}`: a small object to hand to header partials (a partial copies its context).
    pub generator: GeneratorView,
    /// The default unknown-field policy: `ignore`, `preserve` or `deny`.
    pub unknown_fields: String,
}

/// The context of a template rendered once per module: `package` and `module`.
#[derive(Debug, Serialize)]
pub struct ModuleContext<'a> {
    pub package: &'a PackageInfo,
    pub module: ModuleWithTypes<'a>,
}

/// The context of a template rendered once per type: `package`, `module` (without its types) and
/// `type`.
#[derive(Debug, Serialize)]
pub struct TypeContext<'a> {
    pub package: &'a PackageInfo,
    pub module: &'a ModuleView,
    pub r#type: &'a TypeView,
}

#[derive(Debug, Serialize)]
pub struct ModuleWithTypes<'a> {
    #[serde(flatten)]
    pub module: &'a ModuleView,
    pub types: &'a [TypeView],
}

/// An event type as the package root lists it: an [`EventView`] without the schema text and
/// docs, which only the event's own type carries (the view stays small to render).
#[derive(Debug, Clone, Serialize)]
pub struct EventSummary {
    pub name: String,
    pub name_doc: String,
    pub type_name: String,
    pub qualified: String,
    pub decoder: String,
    pub encoder: String,
    pub variant: String,
    pub module_alias: String,
    pub category: String,
    pub version: String,
    pub owning_application: String,
    pub compatibility_mode: String,
}

impl From<EventView> for EventSummary {
    fn from(e: EventView) -> Self {
        EventSummary {
            name: e.name,
            name_doc: e.name_doc,
            type_name: e.type_name,
            qualified: e.qualified,
            decoder: e.decoder,
            encoder: e.encoder,
            variant: e.variant,
            module_alias: e.module_alias,
            category: e.category,
            version: e.version,
            owning_application: e.owning_application,
            compatibility_mode: e.compatibility_mode,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct GeneratorView {
    pub version: String,
}

#[derive(Debug, Serialize)]
pub struct ModuleView {
    /// Cased path segments.
    pub segments: Vec<String>,
    /// The catalog namespace (`order`, `a.b`), as a doc-safe line; empty for the root.
    pub namespace: String,
    pub file: String,
    pub alias: String,
    /// The name the package root exports it under (empty for the root module).
    pub export: String,
    /// How this module imports the package's runtime.
    pub runtime_import: String,
    /// Only the first segment: Python exports nested modules through their parents.
    pub top_level: bool,
    /// How the package's root imports this module.
    pub import_from_root: String,
    pub imports: Vec<ImportView>,
    /// Only in module templates (`module.types`): files rendered once see modules without their
    /// types, which keeps their context small.
    #[serde(skip)]
    pub types: Vec<TypeView>,
    pub has_types: bool,
    /// Holds an event type's own type.
    pub has_events: bool,
}

#[derive(Debug, Serialize)]
pub struct ImportView {
    pub alias: String,
    pub path: String,
}

#[derive(Debug, Serialize)]
pub struct TypeView {
    pub name: String,
    pub decoder: String,
    pub encoder: String,
    pub doc: Vec<String>,
    /// `struct`, `enum`, `union` or `newtype`.
    pub kind: NamedKind,
    pub is_struct: bool,
    pub is_enum: bool,
    pub is_union: bool,
    pub is_newtype: bool,
    /// Where it came from, doc-safe: `schemas/money.json at /definitions/Money`.
    pub origin: String,
    /// Structs: what a decode error says was expected, as a literal.
    pub expecting: String,
    pub fields: Vec<FieldView>,
    /// The wire names of the fields as literals, in order.
    pub wire_names: Vec<String>,
    /// Structs with a map of the keys declared beyond the fields (its field is the last of
    /// `fields`, mode `rest`): what the decoder is told of them ([`LangSpec::rest_keys`]).
    #[serde(serialize_with = "none_as_false")]
    pub rest_keys: Option<String>,
    pub values: Vec<ValueView>,
    /// Enums: unknown values are kept (extensible, or tolerant build) rather than rejected.
    pub catch_all: bool,
    /// Tagged unions: the discriminator property, as a literal.
    #[serde(serialize_with = "none_as_false")]
    pub discriminator: Option<String>,
    pub variants: Vec<VariantView>,
    /// Newtypes: the wrapped type.
    #[serde(serialize_with = "none_as_false")]
    pub inner: Option<UseView>,
    /// A Protobuf message, enum or `oneof` (or an event envelope around a message), read and
    /// written in the proto3 JSON mapping: unknown fields are always skipped (as the Rust
    /// bindings do under every policy), fields may come under their `.proto` names, enums as
    /// numbers.
    pub proto: bool,
    /// The event this type is the envelope of.
    #[serde(serialize_with = "none_as_false")]
    pub event: Option<EventView>,
}

#[derive(Debug, Serialize)]
pub struct FieldView {
    pub name: String,
    /// The wire name as a literal.
    pub wire: String,
    /// The wire name, doc-safe.
    pub wire_doc: String,
    pub doc: Vec<String>,
    pub mode: FieldMode,
    pub required: bool,
    pub nullable: bool,
    pub optional: bool,
    pub defaulted: bool,
    #[serde(serialize_with = "none_as_false")]
    pub default_json: Option<String>,
    /// Protobuf fields: the `.proto` name as a literal, when it differs from the JSON name.
    #[serde(serialize_with = "none_as_false")]
    pub alt_wire: Option<String>,
    /// Protobuf `oneof`s: the cases, each a field of the message.
    pub oneof: Vec<OneofCaseView>,
    /// The type without nullability.
    pub value: UseView,
    #[serde(flatten)]
    pub code: super::lang::FieldCode,
}

#[derive(Debug, Serialize)]
pub struct OneofCaseView {
    pub variant: String,
    pub wire: String,
    #[serde(serialize_with = "none_as_false")]
    pub alt_wire: Option<String>,
    pub value: UseView,
}

#[derive(Debug, Serialize)]
pub struct ValueView {
    pub name: String,
    pub wire: String,
    pub wire_doc: String,
    pub doc: Vec<String>,
    /// Protobuf enums: the value's number, which decoders accept for its name.
    #[serde(serialize_with = "none_as_false")]
    pub number: Option<i32>,
}

#[derive(Debug, Serialize)]
pub struct VariantView {
    pub name: String,
    /// The discriminator value that selects it, as a literal (empty for untagged unions).
    pub tag: String,
    pub value: UseView,
}

/// A use of a type: its spelling, its decoder and its encoder.
#[derive(Debug, Serialize)]
pub struct UseView {
    pub ty: String,
    pub decoder: String,
    pub encoder: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// The event type's name as a literal, and doc-safe.
    pub name: String,
    pub name_doc: String,
    /// Its type, qualified from the package root, and that type's decoder and encoder.
    pub type_name: String,
    pub qualified: String,
    pub decoder: String,
    pub encoder: String,
    /// The name of its case in the any-event type.
    pub variant: String,
    pub module_alias: String,
    /// `general`, `data` or `undefined`.
    pub category: String,
    pub version: String,
    pub owning_application: String,
    pub compatibility_mode: String,
    pub schema_format: String,
    pub partition_key_fields: Vec<String>,
    #[serde(serialize_with = "none_as_false")]
    pub data_type: Option<String>,
    pub schema: String,
    pub doc: Vec<String>,
}

/// Handlebars' strict mode treats `null` as missing, so absent values are `false`: `{{#if}}`
/// and `{{#with}}` skip them, and a template that prints one unguarded fails loudly.
fn none_as_false<T: Serialize, S: serde::Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => v.serialize(serializer),
        None => serializer.serialize_bool(false),
    }
}

struct Builder<'a> {
    model: &'a Model,
    lang: &'a dyn LangSpec,
    options: &'a ViewOptions,
    /// Modules referenced from the module being built.
    imports: BTreeSet<Vec<String>>,
    proto: Option<&'a eventbind_build::ir::ProtoBindings>,
    /// Types moved out of modules that import each other in a cycle ([`super::acyclic`]).
    merged: &'a BTreeMap<TypeId, (Vec<String>, String)>,
}

fn cased_module(lang: &dyn LangSpec, module: &[String]) -> Vec<String> {
    module.iter().map(|m| lang.module_segment(m)).collect()
}

impl<'a> Builder<'a> {
    fn named_kind(def: &TypeDef) -> NamedKind {
        match def.kind {
            TypeKind::Struct(_) => NamedKind::Struct,
            TypeKind::Enum(_) => NamedKind::Enum,
            TypeKind::Union(_) => NamedKind::Union,
            TypeKind::Newtype(_) => NamedKind::Newtype,
        }
    }

    fn shape(&mut self, from: &[String], ty: &TypeRef) -> Shape {
        match ty {
            TypeRef::Primitive(p) => Shape::Primitive(*p),
            TypeRef::Named(id) => self.named(from, *id),
            TypeRef::List(item) => Shape::List(Box::new(self.shape(from, item))),
            TypeRef::Map(values) => Shape::Map(Box::new(self.shape(from, values))),
            TypeRef::Nullable(inner) => Shape::Nullable(Box::new(self.shape(from, inner))),
        }
    }

    /// A type's module and name: its own, or its flat place when the language flattens
    /// Protobuf nesting.
    fn place(&self, id: TypeId) -> (&'a [String], &'a str) {
        let model: &'a Model = self.model;
        let def = model.get(id);
        if let Some((module, name)) = self.merged.get(&id) {
            return (module, name);
        }
        match self.proto.and_then(|p| p.flat.get(&id)) {
            Some((module, name)) if self.lang.flattens_protobuf_nesting() => (module, name),
            _ => (&def.module, &def.name),
        }
    }

    fn is_proto(&self, id: TypeId) -> bool {
        self.proto.is_some_and(|p| p.types.contains(&id))
    }

    fn named(&mut self, from: &[String], id: TypeId) -> Shape {
        let def = self.model.get(id);
        let (place, name) = self.place(id);
        let module = if place == from {
            None
        } else {
            self.imports.insert(place.to_vec());
            Some(self.lang.module_alias(&cased_module(self.lang, place)))
        };
        Shape::Named {
            name: self.lang.type_name(name),
            ir_name: name.to_owned(),
            module,
            kind: Self::named_kind(def),
            // The Rust bindings (pbjson) reject enum values they do not know.
            open: !self.is_proto(id)
                && matches!(&def.kind, TypeKind::Enum(e) if e.extensible || self.options.tolerant_enums),
        }
    }

    /// A Protobuf field's shape: the leaf replaced by its proto3 JSON form.
    fn proto_shape(&mut self, from: &[String], ty: &TypeRef, scalar: ProtoScalar) -> Shape {
        fn leaf(shape: Shape, scalar: ProtoScalar) -> Shape {
            match shape {
                Shape::Primitive(_) => Shape::Proto(scalar),
                Shape::List(item) => Shape::List(Box::new(leaf(*item, scalar))),
                Shape::Map(values) => Shape::Map(Box::new(leaf(*values, scalar))),
                Shape::Nullable(inner) => Shape::Nullable(Box::new(leaf(*inner, scalar))),
                other => other,
            }
        }
        let shape = self.shape(from, ty);
        if scalar == ProtoScalar::Plain {
            shape
        } else {
            leaf(shape, scalar)
        }
    }

    fn use_view(&self, shape: &Shape) -> UseView {
        UseView {
            ty: self.lang.type_expr(shape),
            decoder: self.lang.decoder_expr(shape),
            encoder: self.lang.encoder_expr(shape),
        }
    }

    fn docs(&self, text: Option<&str>) -> Vec<String> {
        text.map(|t| self.lang.doc_lines(t)).unwrap_or_default()
    }

    fn doc_line(&self, text: &str) -> String {
        self.lang.doc_lines(text).join(" ")
    }

    fn field(&mut self, from: &[String], field: &Field, proto: Option<&ProtoField>) -> FieldView {
        let nullable = matches!(field.ty, TypeRef::Nullable(_));
        // As in Rust: a JSON value holds null itself, and an optional field the schema lets be
        // null keeps null apart from absent. Protobuf fields read null as absent (proto3 JSON).
        let any = field.ty.non_null() == &TypeRef::Primitive(eventbind_build::ir::Primitive::Any);
        let mode = match (field.required, nullable, &field.default) {
            _ if proto.is_some_and(|p| p.implicit) => FieldMode::Implicit,
            (true, false, _) => FieldMode::Required,
            (true, true, _) => FieldMode::RequiredNullable,
            (false, false, Some(_)) if !any => FieldMode::Defaulted,
            (false, _, _) if !field.null_is_absent && (any || nullable) => FieldMode::OptionalNullable,
            (false, _, _) => FieldMode::Optional,
        };
        let shape = match proto {
            Some(p) => self.proto_shape(from, field.ty.non_null(), p.scalar),
            None => self.shape(from, field.ty.non_null()),
        };
        let mut notes: Vec<String> = Vec::new();
        if field.wire_name != field.name {
            notes.push(format!("Wire name: `{}`.", field.wire_name));
        }
        if let Some(format) = &field.format {
            notes.push(format!("Format: `{format}`."));
        }
        if let Some(default) = &field.default {
            notes.push(format!("Default: `{default}`."));
        }
        if field.read_only {
            notes.push("Read-only: set by the producer's system, not by clients.".to_owned());
        }
        let mut text = field.doc.clone().unwrap_or_default();
        for note in notes {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&note);
        }
        let mut default_json = field.default.as_ref().filter(|_| mode == FieldMode::Defaulted).map(|d| d.to_string());
        let mut extra = ProtoExtra::default();
        if let Some(p) = proto {
            if mode == FieldMode::Implicit {
                default_json = Some(self.zero_json(field.ty.non_null(), p.scalar));
            }
            extra.alt_wire = (p.proto_name != field.wire_name).then(|| p.proto_name.clone());
            if let TypeRef::Named(id) = field.ty.non_null() {
                extra.oneof = self.oneof_cases(from, *id);
            }
        }
        self.field_view(&field.name, &field.wire_name, &text, shape, mode, default_json, nullable, extra)
    }

    /// The JSON text of a Protobuf field's zero value.
    fn zero_json(&self, ty: &TypeRef, scalar: ProtoScalar) -> String {
        match ty {
            TypeRef::List(_) => "[]".to_owned(),
            TypeRef::Map(_) => "{}".to_owned(),
            TypeRef::Named(id) => match &self.model.get(*id).kind {
                // proto3 enums start with the value numbered 0.
                TypeKind::Enum(e) => {
                    let numbers = self.proto.and_then(|p| p.enum_numbers.get(id));
                    let at = numbers.and_then(|n| n.iter().position(|&n| n == 0)).unwrap_or(0);
                    serde_json::to_string(&e.values.get(at).map(|v| v.wire.as_str()).unwrap_or_default())
                        .expect("a string always serializes")
                }
                _ => "null".to_owned(),
            },
            TypeRef::Primitive(eventbind_build::ir::Primitive::Boolean) => "false".to_owned(),
            TypeRef::Primitive(eventbind_build::ir::Primitive::String | eventbind_build::ir::Primitive::Bytes) => {
                "\"\"".to_owned()
            }
            TypeRef::Primitive(_) if scalar == ProtoScalar::Int64 => "\"0\"".to_owned(),
            TypeRef::Primitive(_) => "0".to_owned(),
            TypeRef::Nullable(inner) => self.zero_json(inner, scalar),
        }
    }

    /// The cases of a Protobuf `oneof` (empty for any other type).
    fn oneof_cases(&mut self, from: &[String], id: TypeId) -> Option<Vec<OneofCase>> {
        let proto = self.proto?.fields.get(&id)?;
        let model: &Model = self.model;
        let TypeKind::Union(union) = &model.get(id).kind else { return None };
        Some(
            union
                .variants
                .iter()
                .zip(proto)
                .map(|(v, p)| {
                    let wire = v.tag.clone().unwrap_or_default();
                    OneofCase {
                        variant: self.lang.type_name(&v.name),
                        alt_wire: (p.proto_name != wire).then(|| p.proto_name.clone()),
                        wire,
                        shape: self.proto_shape(from, &v.ty, p.scalar),
                    }
                })
                .collect(),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn field_view(
        &self,
        ir_name: &str,
        wire: &str,
        doc: &str,
        shape: Shape,
        mode: FieldMode,
        default_json: Option<String>,
        nullable: bool,
        proto: ProtoExtra,
    ) -> FieldView {
        let name = self.lang.field_name(ir_name);
        let code = self.lang.field(&FieldFacts {
            name: &name,
            wire,
            shape: &shape,
            mode,
            default_json: default_json.as_deref(),
            alt_wire: proto.alt_wire.as_deref(),
            oneof: proto.oneof.as_deref(),
        });
        FieldView {
            wire: self.lang.string_literal(wire),
            wire_doc: self.doc_line(wire),
            doc: self.lang.doc_lines(doc),
            mode,
            required: matches!(mode, FieldMode::Required | FieldMode::RequiredNullable),
            nullable,
            optional: matches!(mode, FieldMode::Optional | FieldMode::OptionalNullable),
            defaulted: mode == FieldMode::Defaulted,
            default_json: default_json.map(|d| self.lang.string_literal(&d)),
            alt_wire: proto.alt_wire.as_deref().map(|a| self.lang.string_literal(a)),
            oneof: proto
                .oneof
                .iter()
                .flatten()
                .map(|c| OneofCaseView {
                    variant: c.variant.clone(),
                    wire: self.lang.string_literal(&c.wire),
                    alt_wire: c.alt_wire.as_deref().map(|a| self.lang.string_literal(a)),
                    value: self.use_view(&c.shape),
                })
                .collect(),
            value: self.use_view(&shape),
            code,
            name,
        }
    }

    fn metadata_field(&self) -> FieldView {
        self.field_view(
            "metadata",
            "metadata",
            "Envelope metadata: eid, occurred_at, event_type, flow_id, …",
            Shape::Metadata,
            FieldMode::Required,
            None,
            false,
            ProtoExtra::default(),
        )
    }

    fn event_view(&self, event: &EventIr) -> EventView {
        let def = &event.def;
        let lit = |s: &str| self.lang.string_literal(s);
        let module = cased_module(self.lang, &event.module);
        let alias = self.lang.module_alias(&module);
        let type_name = self.lang.type_name(&event.type_name);
        let named = Shape::Named {
            name: type_name.clone(),
            ir_name: event.type_name.clone(),
            module: Some(alias.clone()),
            kind: NamedKind::Struct,
            open: false,
        };
        let mut doc = format!("`{}` {}, owned by `{}`.", def.name, def.schema.version, def.owning_application);
        if let Some(d) = &def.description {
            doc = format!("{}\n\n{doc}", d.trim());
        }
        EventView {
            name: lit(&def.name),
            name_doc: self.doc_line(&def.name),
            qualified: self.lang.type_expr(&named),
            decoder: self.lang.decoder_expr(&named),
            encoder: self.lang.encoder_expr(&named),
            type_name,
            variant: self.lang.type_name(&event.variant_name),
            module_alias: alias,
            category: match def.category {
                Category::General => "general",
                Category::Data => "data",
                Category::Undefined => "undefined",
            }
            .to_owned(),
            version: lit(&def.schema.version.to_string()),
            owning_application: lit(&def.owning_application),
            compatibility_mode: match def.compatibility_mode {
                CompatibilityMode::Compatible => "compatible",
                CompatibilityMode::Forward => "forward",
                CompatibilityMode::None => "none",
            }
            .to_owned(),
            schema_format: match def.schema.format {
                SchemaFormat::JsonSchema => "json_schema",
                SchemaFormat::Avro => "avro_schema",
                SchemaFormat::Protobuf => "protobuf",
            }
            .to_owned(),
            partition_key_fields: def.partition_key_fields.iter().map(|k| lit(k)).collect(),
            data_type: (def.category == Category::Data).then(|| lit(def.data_type.as_deref().unwrap_or(&def.name))),
            schema: lit(&event.schema_text),
            doc: self.lang.doc_lines(&doc),
        }
    }

    fn type_view(&mut self, id: TypeId, event: Option<&EventIr>) -> TypeView {
        let model: &Model = self.model;
        let def = model.get(id);
        let (module, name) = self.place(id);
        let module = module.to_vec();
        let kind = Self::named_kind(def);
        let mut view = self.empty_type(name, kind);
        view.proto = self.is_proto(id);
        let proto_fields = self.proto.and_then(|p| p.fields.get(&id));
        let origin = format!(
            "{} at {}",
            eventbind_build::display_path(&def.origin.file),
            if def.origin.pointer.is_empty() { "/" } else { &def.origin.pointer }
        );
        view.origin = self.doc_line(&origin);
        let event_view = event.map(|e| self.event_view(e));
        let doc = match (&event_view, &def.doc) {
            (Some(e), Some(d)) => {
                let mut lines = e.doc.clone();
                lines.push(String::new());
                lines.extend(self.docs(Some(d)));
                lines
            }
            (Some(e), None) => e.doc.clone(),
            (None, d) => self.docs(d.as_deref()),
        };
        view.doc = doc;
        match &def.kind {
            TypeKind::Struct(s) => {
                if event.is_some_and(|e| e.def.category == Category::General) {
                    view.fields.push(self.metadata_field());
                }
                for (i, f) in s.fields.iter().enumerate() {
                    let field = self.field(&module, f, proto_fields.and_then(|p| p.get(i)));
                    view.fields.push(field);
                }
                if let Some(rest) = &s.rest {
                    let shape = Shape::Map(Box::new(self.shape(&module, &rest.value)));
                    let doc = if rest.patterns.is_empty() {
                        "The object's other keys, which the schema types with `additionalProperties`."
                    } else {
                        "The object's keys that match its `patternProperties`, typed by them."
                    };
                    let field = self.field_view(
                        &rest.name,
                        "",
                        doc,
                        shape,
                        FieldMode::Rest,
                        None,
                        false,
                        ProtoExtra::default(),
                    );
                    view.rest_keys = Some(self.lang.rest_keys(&rest.patterns));
                    view.fields.push(field);
                }
            }
            TypeKind::Enum(e) => {
                let numbers = self.proto.and_then(|p| p.enum_numbers.get(&id));
                view.catch_all = !view.proto && (e.extensible || self.options.tolerant_enums);
                view.values = e
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| ValueView {
                        name: self.lang.value_name(&v.name),
                        wire: self.lang.string_literal(&v.wire),
                        wire_doc: self.doc_line(&v.wire),
                        doc: self.docs(v.doc.as_deref()),
                        number: numbers.and_then(|n| n.get(i).copied()),
                    })
                    .collect();
            }
            TypeKind::Union(u) => {
                view.discriminator = u.discriminator.as_deref().map(|d| self.lang.string_literal(d));
                view.variants = u
                    .variants
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        // A `oneof`'s cases hold proto3 JSON leaves, as the message's fields do.
                        let shape = match proto_fields.and_then(|p| p.get(i)) {
                            Some(p) => self.proto_shape(&module, &v.ty, p.scalar),
                            None => self.shape(&module, &v.ty),
                        };
                        VariantView {
                            name: self.lang.type_name(&v.name),
                            tag: self.lang.string_literal(v.tag.as_deref().unwrap_or_default()),
                            value: self.use_view(&shape),
                        }
                    })
                    .collect();
            }
            TypeKind::Newtype(inner) => {
                let shape = self.shape(&module, inner);
                view.inner = Some(self.use_view(&shape));
            }
        }
        view.wire_names = view.fields.iter().filter(|f| f.mode != FieldMode::Rest).map(|f| f.wire.clone()).collect();
        view.event = event_view;
        view
    }

    fn empty_type(&self, ir_name: &str, kind: NamedKind) -> TypeView {
        TypeView {
            name: self.lang.type_name(ir_name),
            decoder: self.lang.decoder_name(ir_name),
            encoder: self.lang.encoder_name(ir_name),
            doc: Vec::new(),
            kind,
            is_struct: kind == NamedKind::Struct,
            is_enum: kind == NamedKind::Enum,
            is_union: kind == NamedKind::Union,
            is_newtype: kind == NamedKind::Newtype,
            origin: String::new(),
            expecting: self.lang.string_literal(&format!("{ir_name} (an object)")),
            fields: Vec::new(),
            wire_names: Vec::new(),
            rest_keys: None,
            values: Vec::new(),
            catch_all: false,
            discriminator: None,
            variants: Vec::new(),
            inner: None,
            proto: false,
            event: None,
        }
    }

    /// The envelope struct of a data change event.
    fn data_event(&mut self, event: &EventIr) -> TypeView {
        let mut view = self.empty_type(&event.type_name, NamedKind::Struct);
        let payload = self.shape(&event.module, &event.payload);
        let event_view = self.event_view(event);
        view.doc = event_view.doc.clone();
        view.origin = self.doc_line(&eventbind_build::display_path(&event.def.file));
        view.expecting = self.lang.string_literal(&format!("a `{}` event", event.def.name));
        let required = |b: &Self, name: &str, shape: Shape, doc: &str| {
            b.field_view(name, name, doc, shape, FieldMode::Required, None, false, ProtoExtra::default())
        };
        view.fields = vec![
            self.metadata_field(),
            required(
                self,
                "data_op",
                Shape::DataOp,
                "What happened to the entity: created, updated, deleted or snapshot.",
            ),
            required(
                self,
                "data_type",
                Shape::Primitive(eventbind_build::ir::Primitive::String),
                "The business entity that changed.",
            ),
            required(self, "data", payload, "The entity."),
        ];
        view.wire_names = view.fields.iter().map(|f| f.wire.clone()).collect();
        view.event = Some(event_view);
        view
    }

    /// The type of a general or undefined Protobuf event: the message's fields beside
    /// `metadata`, or the message itself, as the Rust bindings read them.
    fn proto_event(&mut self, event: &EventIr) -> TypeView {
        let event_view = self.event_view(event);
        let message = match event.payload {
            TypeRef::Named(id) if event.def.category == Category::General => Some(id),
            _ => None,
        };
        let general = message.is_some();
        let mut view = self.empty_type(&event.type_name, if general { NamedKind::Struct } else { NamedKind::Newtype });
        view.doc = event_view.doc.clone();
        view.origin = self.doc_line(&eventbind_build::display_path(&event.def.file));
        view.proto = true;
        if let Some(id) = message {
            view.expecting = self.lang.string_literal(&format!("a `{}` event", event.def.name));
            let model: &Model = self.model;
            let proto_fields = self.proto.and_then(|p| p.fields.get(&id));
            view.fields.push(self.metadata_field());
            if let TypeKind::Struct(s) = &model.get(id).kind {
                for (i, f) in s.fields.iter().enumerate() {
                    let field = self.field(&event.module, f, proto_fields.and_then(|p| p.get(i)));
                    view.fields.push(field);
                }
            }
            view.wire_names = view.fields.iter().map(|f| f.wire.clone()).collect();
        } else {
            let shape = self.shape(&event.module, &event.payload);
            view.inner = Some(self.use_view(&shape));
        }
        view.event = Some(event_view);
        view
    }
}

/// What a Protobuf field adds to a field view.
#[derive(Default)]
struct ProtoExtra {
    alt_wire: Option<String>,
    oneof: Option<Vec<OneofCase>>,
}

/// The types that are an event's own struct (general and undefined events), with the event; as
/// the Rust backend decides it.
fn event_roots(model: &Model) -> BTreeMap<TypeId, &EventIr> {
    model
        .events
        .iter()
        .filter(|e| e.def.category != Category::Data)
        .filter_map(|e| match e.payload {
            TypeRef::Named(id) if model.get(id).name == e.type_name && model.get(id).module == e.module => {
                Some((id, e))
            }
            _ => None,
        })
        .collect()
}

/// Modules a module's types refer to.
type Imports = BTreeSet<Vec<String>>;

/// Imports by module, or by import path where the language says so.
fn import_order(lang: &dyn LangSpec, mut imports: Vec<ImportView>) -> Vec<ImportView> {
    if lang.sorts_imports_by_path() {
        imports.sort_by(|a, b| a.path.cmp(&b.path));
    }
    imports
}

/// Restates `model` for `lang`.
pub fn build(model: &Model, lang: &dyn LangSpec, options: &ViewOptions, sources: Vec<String>) -> PackageView {
    let roots = event_roots(model);
    let merged = if lang.flattens_protobuf_nesting() {
        let proto = model.protobuf.as_ref();
        super::acyclic::merge_cycles(model, &|id| match proto.and_then(|p| p.flat.get(&id)) {
            Some(place) => place.clone(),
            None => (model.get(id).module.clone(), model.get(id).name.clone()),
        })
    } else {
        BTreeMap::new()
    };
    let mut b =
        Builder { model, lang, options, imports: BTreeSet::new(), proto: model.protobuf.as_ref(), merged: &merged };
    // Module → its types, in model order (data envelopes first, as in the Rust backend).
    let mut modules: BTreeMap<Vec<String>, (Vec<TypeView>, Imports)> = BTreeMap::new();
    for event in model.events.iter().filter(|e| e.def.category == Category::Data) {
        b.imports.clear();
        let view = b.data_event(event);
        let entry = modules.entry(event.module.clone()).or_default();
        entry.0.push(view);
        entry.1.extend(std::mem::take(&mut b.imports));
    }
    let is_proto_event =
        |e: &EventIr| e.def.schema.format == SchemaFormat::Protobuf && e.def.category != Category::Data;
    for event in model.events.iter().filter(|e| is_proto_event(e)) {
        b.imports.clear();
        let view = b.proto_event(event);
        let entry = modules.entry(event.module.clone()).or_default();
        entry.0.push(view);
        entry.1.extend(std::mem::take(&mut b.imports));
    }
    for i in 0..model.types.len() {
        b.imports.clear();
        let view = b.type_view(TypeId(i), roots.get(&TypeId(i)).copied());
        let entry = modules.entry(b.place(TypeId(i)).0.to_vec()).or_default();
        entry.0.push(view);
        entry.1.extend(std::mem::take(&mut b.imports));
    }
    // Parents of nested modules exist too, so that every language can reach them.
    let paths: Vec<Vec<String>> = modules.keys().cloned().collect();
    for path in paths {
        for n in 1..path.len() {
            modules.entry(path[..n].to_vec()).or_default();
        }
    }
    let module_views = modules
        .into_iter()
        .map(|(path, (types, imports))| {
            let segments = cased_module(lang, &path);
            ModuleView {
                namespace: b.doc_line(&path.join(".")),
                file: lang.module_file(&segments),
                alias: lang.module_alias(&segments),
                export: lang.module_export(&segments),
                runtime_import: lang.runtime_import(&options.package, &segments),
                top_level: segments.len() == 1,
                import_from_root: lang.import_path(&options.package, &[], &segments),
                imports: import_order(
                    lang,
                    imports
                        .iter()
                        .map(|to| {
                            let to = cased_module(lang, to);
                            ImportView {
                                alias: lang.module_alias(&to),
                                path: lang.import_path(&options.package, &segments, &to),
                            }
                        })
                        .collect(),
                ),
                has_types: !types.is_empty(),
                has_events: model.events.iter().any(|e| e.module == path),
                types,
                segments,
            }
        })
        .collect();
    let event_modules: BTreeSet<Vec<String>> = model.events.iter().map(|e| e.module.clone()).collect();
    let event_modules = import_order(
        lang,
        event_modules
            .iter()
            .map(|m| {
                let to = cased_module(lang, m);
                ImportView { alias: lang.module_alias(&to), path: lang.import_path(&options.package, &[], &to) }
            })
            .collect(),
    );
    let events: Vec<EventSummary> = model.events.iter().map(|e| b.event_view(e).into()).collect();
    PackageView {
        info: PackageInfo {
            language: lang.name().to_owned(),
            package: options.package.clone(),
            generator_version: env!("CARGO_PKG_VERSION").to_owned(),
            generator: GeneratorView { version: env!("CARGO_PKG_VERSION").to_owned() },
            unknown_fields: match options.unknown_fields {
                UnknownFields::Ignore => "ignore",
                UnknownFields::Preserve => "preserve",
                UnknownFields::Deny => "deny",
            }
            .to_owned(),
        },
        sources,
        modules: module_views,
        event_modules,
        dispatch: events.iter().filter(|e| e.category != "undefined").cloned().collect(),
        events,
    }
}
