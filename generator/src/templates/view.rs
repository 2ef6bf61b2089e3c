//! The view model: the IR restated for one language, with every decision made (names cased and
//! escaped, types, decoders and encoders spelled, text escaped), so that templates only lay it
//! out. Envelopes are made explicit here: a general event's struct gains `metadata`, a data
//! change event gets its own envelope struct.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::lang::{FieldFacts, FieldMode, LangSpec, NamedKind, Shape};
use crate::catalog::{Category, CompatibilityMode, SchemaFormat};
use crate::ir::{EventIr, Field, Model, TypeDef, TypeId, TypeKind, TypeRef};
use crate::rust::UnknownFields;

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
    /// The type without nullability.
    pub value: UseView,
    #[serde(flatten)]
    pub code: super::lang::FieldCode,
}

#[derive(Debug, Serialize)]
pub struct ValueView {
    pub name: String,
    pub wire: String,
    pub wire_doc: String,
    pub doc: Vec<String>,
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
}

fn cased_module(lang: &dyn LangSpec, module: &[String]) -> Vec<String> {
    module.iter().map(|m| lang.module_segment(m)).collect()
}

impl Builder<'_> {
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

    fn named(&mut self, from: &[String], id: TypeId) -> Shape {
        let def = self.model.get(id);
        let module = if def.module.as_slice() == from {
            None
        } else {
            self.imports.insert(def.module.clone());
            Some(self.lang.module_alias(&cased_module(self.lang, &def.module)))
        };
        Shape::Named {
            name: self.lang.type_name(&def.name),
            ir_name: def.name.clone(),
            module,
            kind: Self::named_kind(def),
            open: matches!(&def.kind, TypeKind::Enum(e) if e.extensible || self.options.tolerant_enums),
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

    fn field(&mut self, from: &[String], field: &Field) -> FieldView {
        let nullable = matches!(field.ty, TypeRef::Nullable(_));
        let mode = match (field.required, nullable, &field.default) {
            (true, false, _) => FieldMode::Required,
            (true, true, _) => FieldMode::RequiredNullable,
            (false, false, Some(_)) => FieldMode::Defaulted,
            (false, _, _) => FieldMode::Optional,
        };
        let shape = self.shape(from, field.ty.non_null());
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
        let default_json = field.default.as_ref().filter(|_| mode == FieldMode::Defaulted).map(|d| d.to_string());
        self.field_view(&field.name, &field.wire_name, &text, shape, mode, default_json, nullable)
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
    ) -> FieldView {
        let name = self.lang.field_name(ir_name);
        let code = self.lang.field(&FieldFacts {
            name: &name,
            wire,
            shape: &shape,
            mode,
            default_json: default_json.as_deref(),
        });
        FieldView {
            wire: self.lang.string_literal(wire),
            wire_doc: self.doc_line(wire),
            doc: self.lang.doc_lines(doc),
            mode,
            required: matches!(mode, FieldMode::Required | FieldMode::RequiredNullable),
            nullable,
            optional: mode == FieldMode::Optional,
            defaulted: mode == FieldMode::Defaulted,
            default_json: default_json.map(|d| self.lang.string_literal(&d)),
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
        let def = self.model.get(id);
        let module = def.module.clone();
        let kind = Self::named_kind(def);
        let mut view = self.empty_type(&def.name, kind);
        let origin = format!(
            "{} at {}",
            crate::display_path(&def.origin.file),
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
                for f in &s.fields {
                    let field = self.field(&module, f);
                    view.fields.push(field);
                }
            }
            TypeKind::Enum(e) => {
                view.catch_all = e.extensible || self.options.tolerant_enums;
                view.values = e
                    .values
                    .iter()
                    .map(|v| ValueView {
                        name: self.lang.value_name(&v.name),
                        wire: self.lang.string_literal(&v.wire),
                        wire_doc: self.doc_line(&v.wire),
                        doc: self.docs(v.doc.as_deref()),
                    })
                    .collect();
            }
            TypeKind::Union(u) => {
                view.discriminator = u.discriminator.as_deref().map(|d| self.lang.string_literal(d));
                view.variants = u
                    .variants
                    .iter()
                    .map(|v| {
                        let shape = self.shape(&module, &v.ty);
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
        view.wire_names = view.fields.iter().map(|f| f.wire.clone()).collect();
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
            values: Vec::new(),
            catch_all: false,
            discriminator: None,
            variants: Vec::new(),
            inner: None,
            event: None,
        }
    }

    /// The envelope struct of a data change event.
    fn data_event(&mut self, event: &EventIr) -> TypeView {
        let mut view = self.empty_type(&event.type_name, NamedKind::Struct);
        let payload = self.shape(&event.module, &event.payload);
        let event_view = self.event_view(event);
        view.doc = event_view.doc.clone();
        view.origin = self.doc_line(&crate::display_path(&event.def.file));
        view.expecting = self.lang.string_literal(&format!("a `{}` event", event.def.name));
        let required = |b: &Self, name: &str, shape: Shape, doc: &str| {
            b.field_view(name, name, doc, shape, FieldMode::Required, None, false)
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
                Shape::Primitive(crate::ir::Primitive::String),
                "The business entity that changed.",
            ),
            required(self, "data", payload, "The entity."),
        ];
        view.wire_names = view.fields.iter().map(|f| f.wire.clone()).collect();
        view.event = Some(event_view);
        view
    }
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
    let mut b = Builder { model, lang, options, imports: BTreeSet::new() };
    // Module → its types, in model order (data envelopes first, as in the Rust backend).
    let mut modules: BTreeMap<Vec<String>, (Vec<TypeView>, Imports)> = BTreeMap::new();
    for event in model.events.iter().filter(|e| e.def.category == Category::Data) {
        b.imports.clear();
        let view = b.data_event(event);
        let entry = modules.entry(event.module.clone()).or_default();
        entry.0.push(view);
        entry.1.extend(std::mem::take(&mut b.imports));
    }
    let skipped = match &model.protobuf {
        Some(proto) if !lang.renders_protobuf_types() => proto.types.clone(),
        _ => BTreeSet::new(),
    };
    for (i, def) in model.types.iter().enumerate() {
        if skipped.contains(&TypeId(i)) {
            continue;
        }
        b.imports.clear();
        let view = b.type_view(TypeId(i), roots.get(&TypeId(i)).copied());
        let entry = modules.entry(def.module.clone()).or_default();
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
