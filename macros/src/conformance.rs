//! Compile-time conformance of a derived type to its catalog file: the definition is loaded and
//! lowered with the engine, then the type is compared with the IR. Each disagreement is a compile
//! error on the offending field or attribute.

use std::path::{Component, Path, PathBuf};

use eventbind_build::catalog::{self, Catalog};
use eventbind_build::filter::{Filter, Pattern};
use eventbind_build::ir::{self, Model, Primitive, TypeKind, TypeRef};
use proc_macro2::Span;
use syn::LitStr;

use crate::ast::{Container, Data, Field, Style};
use crate::check;
use crate::errors::Errors;
use crate::event_def::{Category, Compatibility, Declared, EventDef};
use crate::manifest_dir::{manifest_dir, render, shown};
use crate::type_shape::{display, shape, Shape};

/// Reads the catalog definition `file`, checks the type and the declared values against it, and
/// returns the definition the `Event` impl states.
pub fn conform(cont: &Container<'_>, declared: &Declared, file: &LitStr, errors: &Errors) -> Option<EventDef> {
    let manifest = manifest_dir().map_err(|m| errors.at(file, m)).ok()?;
    let rel = file.value();
    let root_rel = match &cont.event.catalog_root {
        Some(root) => PathBuf::from(root.value()),
        None => match default_root(Path::new(&rel)) {
            Some(root) => root,
            None => {
                errors.at(
                    file,
                    format!(
                        "cannot tell the catalog folder of `{rel}`: add `catalog_root = \"...\"` (the folder \
                         whose files `$ref`s may reach, relative to CARGO_MANIFEST_DIR)"
                    ),
                );
                return None;
            }
        },
    };
    let path = manifest.join(&rel);
    let root = manifest.join(&root_rel);
    let at_root = cont.event.catalog_root.as_ref().map_or(file.span(), LitStr::span);
    let Ok(canonical) = path.canonicalize() else {
        errors.at(file, format!("cannot read `{rel}` (paths are relative to CARGO_MANIFEST_DIR)"));
        return None;
    };
    let catalog = match Catalog::load(&[&root]) {
        Ok(catalog) => catalog,
        Err(e) => {
            errors.span(
                at_root,
                format!("the catalog `{}` has errors:\n{}", shown(&manifest, &root), render(&manifest, &e)),
            );
            return None;
        }
    };
    let tracked: Vec<PathBuf> = catalog.files.keys().cloned().collect();
    let Some(event) = catalog.event_types.iter().find(|e| e.path == canonical) else {
        errors.at(
            file,
            if canonical.starts_with(catalog.canonical_roots.first().map_or(Path::new(""), PathBuf::as_path)) {
                format!("`{rel}` is not an event type definition (a file with `name` and a `schema` mapping)")
            } else {
                format!("`{rel}` is outside the catalog folder `{}`", shown(&manifest, &root))
            },
        );
        return None;
    };
    let mut filter = Filter::default();
    filter.push(Pattern::new(&event.name).map_err(|m| errors.at(file, m)).ok()?);
    let model = match eventbind_build::lowering::lower_catalog(&catalog, &filter) {
        Ok(model) => model,
        Err(e) => {
            errors.at(file, format!("the schema of `{}` has errors:\n{}", event.name, render(&manifest, &e)));
            return None;
        }
    };
    let ir = model.events.iter().find(|e| e.def.name == event.name)?;
    let def = definition(event, &ir.schema_text, tracked);
    compare_declared(declared, &def, errors);
    if declared.category.is_none() {
        check::check_shape(cont, def.category, errors);
    }
    if declared.category.is_none() || declared.partition_key.is_none() {
        let keys: Vec<_> = def
            .partition_key
            .iter()
            .map(|k| crate::event_def::Spanned { value: k.clone(), span: file.span() })
            .collect();
        check::check_partition_keys(cont, def.category, &keys, errors);
    }
    let payload = Payload { model: &model, event: &def.name };
    payload.compare(cont, &ir.payload, errors);
    Some(def)
}

/// Without `catalog_root`, the catalog is the first folder of the path (`events` in
/// `events/order/x.yaml`); a path that starts by leaving the crate needs `catalog_root`.
fn default_root(rel: &Path) -> Option<PathBuf> {
    let mut components = rel.components();
    match (components.next(), components.next()) {
        (Some(Component::Normal(first)), Some(_)) => Some(PathBuf::from(first)),
        _ => None,
    }
}

fn definition(event: &catalog::EventType, schema: &str, tracked: Vec<PathBuf>) -> EventDef {
    EventDef {
        name: event.name.clone(),
        category: match event.category {
            catalog::Category::General => Category::General,
            catalog::Category::Data => Category::Data,
            catalog::Category::Undefined => Category::Undefined,
        },
        version: event.schema.version.to_string(),
        owning_application: event.owning_application.clone(),
        compatibility: match event.compatibility_mode {
            catalog::CompatibilityMode::Compatible => Compatibility::Compatible,
            catalog::CompatibilityMode::Forward => Compatibility::Forward,
            catalog::CompatibilityMode::None => Compatibility::None,
        },
        partition_key: event.partition_key_fields.clone(),
        data_type: event.data_type.clone(),
        schema: schema.to_owned(),
        tracked,
    }
}

/// Values given in `#[event(...)]` must be the catalog's.
fn compare_declared(declared: &Declared, def: &EventDef, errors: &Errors) {
    let differs = |span: Span, what: &str, ours: &str, theirs: &str| {
        errors.span(span, format!("{what} `{ours}` differs from the catalog's `{theirs}`"));
    };
    if let Some(n) = declared.name.as_ref().filter(|n| n.value != def.name) {
        differs(n.span, "event type name", &n.value, &def.name);
    }
    if let Some(v) = declared.version.as_ref().filter(|v| v.value != def.version) {
        differs(v.span, "schema version", &v.value, &def.version);
    }
    if let Some(c) = declared.category.as_ref().filter(|c| c.value != def.category) {
        differs(c.span, "category", c.value.as_str(), def.category.as_str());
    }
    if let Some(o) = declared.owning_application.as_ref().filter(|o| o.value != def.owning_application) {
        differs(o.span, "owning application", &o.value, &def.owning_application);
    }
    if let Some(c) = declared.compatibility.as_ref().filter(|c| c.value != def.compatibility) {
        differs(c.span, "compatibility mode", c.value.as_str(), def.compatibility.as_str());
    }
    if let Some(d) = &declared.data_type {
        let theirs = def.data_type.as_deref().unwrap_or(&def.name);
        if d.value != theirs {
            differs(d.span, "data type", &d.value, theirs);
        }
    }
    if let Some(keys) = &declared.partition_key {
        let ours: Vec<&str> = keys.value.iter().map(|k| k.value.as_str()).collect();
        if ours != def.partition_key.iter().map(String::as_str).collect::<Vec<_>>() {
            differs(keys.span, "partition key", &format!("{ours:?}"), &format!("{:?}", def.partition_key));
        }
    }
}

/// Compares a Rust payload type with the schema's.
struct Payload<'m> {
    model: &'m Model,
    event: &'m str,
}

impl Payload<'_> {
    fn compare(&self, cont: &Container<'_>, payload: &TypeRef, errors: &Errors) {
        // An undefined event whose document is not an object is wrapped in a named newtype.
        let mut payload = payload;
        while let TypeRef::Named(id) = payload {
            match &self.model.get(*id).kind {
                TypeKind::Newtype(inner) => payload = inner,
                _ => break,
            }
        }
        let named = match payload {
            TypeRef::Named(id) => Some(self.model.get(*id)),
            _ => None,
        };
        match (&cont.data, named.map(|d| &d.kind)) {
            (Data::Struct(Style::Named, fields), Some(TypeKind::Struct(s))) if !cont.serde.transparent => {
                let has_default = cont.serde.default;
                self.compare_struct(cont, fields, s, has_default, errors);
            }
            (Data::Struct(Style::Tuple, fields), _) if fields.len() == 1 => {
                self.check_type(fields[0].ty, payload, None, false, errors);
            }
            (Data::Struct(Style::Named, fields), _) if cont.serde.transparent && fields.len() == 1 => {
                self.check_type(fields[0].ty, payload, None, false, errors);
            }
            (Data::Enum(variants), Some(TypeKind::Enum(e)))
                if variants.iter().all(|v| v.style == Style::Unit) && cont.serde.tag.is_none() =>
            {
                self.compare_enum(cont, e, errors);
            }
            _ => errors.at(
                cont.ident,
                format!(
                    "the payload schema of `{}` is {}, which `{}` cannot hold",
                    self.event,
                    self.describe(payload),
                    cont.ident
                ),
            ),
        }
    }

    fn compare_struct(
        &self,
        cont: &Container<'_>,
        fields: &[Field<'_>],
        schema: &ir::StructDef,
        container_default: bool,
        errors: &Errors,
    ) {
        let flatten = fields.iter().any(|f| f.serde.flatten);
        let names = || schema.fields.iter().map(|f| format!("`{}`", f.wire_name)).collect::<Vec<_>>().join(", ");
        for field in fields.iter().filter(|f| f.on_wire() && !f.serde.flatten) {
            match schema.fields.iter().find(|f| f.wire_name == field.wire) {
                Some(ir_field) => self.compare_field(field, ir_field, container_default, errors),
                None => errors.at(
                    field.name_tokens(),
                    format!("`{}` is not in the schema of `{}`; the schema has {}", field.wire, self.event, names()),
                ),
            }
        }
        if flatten {
            // Fields of a flattened type are not visible to the macro.
            return;
        }
        for missing in
            schema.fields.iter().filter(|f| f.required && !fields.iter().any(|r| r.on_wire() && r.wire == f.wire_name))
        {
            errors.at(
                cont.ident,
                format!(
                    "`{}` lacks `{}`, which the schema of `{}` requires ({})",
                    cont.ident,
                    missing.wire_name,
                    self.event,
                    self.describe(&missing.ty)
                ),
            );
        }
    }

    fn compare_field(&self, field: &Field<'_>, ir_field: &ir::Field, container_default: bool, errors: &Errors) {
        let wire = &field.wire;
        let nullable = matches!(ir_field.ty, TypeRef::Nullable(_));
        let option = match shape(field.ty) {
            Shape::Option(inner) => Some(inner),
            _ => None,
        };
        let defaulted = field.serde.default || container_default;
        let inner = option.unwrap_or(field.ty);
        let mut ok = true;
        match (ir_field.required, nullable, option.is_some()) {
            (true, false, true) => {
                errors.at(
                    field.ty,
                    format!(
                        "`{wire}` is required and never null in the schema of `{}`: use `{}`, not `Option<...>`",
                        self.event,
                        display(inner)
                    ),
                );
                ok = false;
            }
            (_, true, false) if !field.serde.with => {
                errors.at(
                    field.ty,
                    format!(
                        "`{wire}` may be null in the schema of `{}`: use `Option<{}>`",
                        self.event,
                        display(field.ty)
                    ),
                );
                ok = false;
            }
            (false, false, false) if !defaulted => {
                errors.at(
                    field.ty,
                    format!(
                        "`{wire}` is optional in the schema of `{}` (it may be absent): use `Option<{}>` or add \
                         `#[serde(default)]`",
                        self.event,
                        display(field.ty)
                    ),
                );
                ok = false;
            }
            // `{}` (any value) allows null, so writing `None` as null is fine there.
            (false, false, true)
                if !field.serde.skip_serializing_if
                    && !field.serde.skip_serializing
                    && ir_field.ty != TypeRef::Primitive(Primitive::Any) =>
            {
                errors.at(
                    field.ty,
                    format!(
                        "`{wire}` may be absent but not null in the schema of `{}`, and `None` would be written as \
                         `null`: add `#[serde(skip_serializing_if = \"Option::is_none\")]`",
                        self.event
                    ),
                );
            }
            _ => {}
        }
        if ok && !field.serde.with {
            self.check_type(inner, ir_field.ty.non_null(), ir_field.format.as_deref(), false, errors);
        }
    }

    fn compare_enum(&self, cont: &Container<'_>, schema: &ir::EnumDef, errors: &Errors) {
        let Data::Enum(variants) = &cont.data else { return };
        let listed = || schema.values.iter().map(|v| format!("`{}`", v.wire)).collect::<Vec<_>>().join(", ");
        for v in variants.iter().filter(|v| !v.serde.skip && !v.serde.other) {
            if !schema.values.iter().any(|s| s.wire == v.wire) {
                errors.at(
                    v.ident,
                    format!("`{}` is not a value of the schema of `{}`; it lists {}", v.wire, self.event, listed()),
                );
            }
        }
        let catch_all = variants.iter().any(|v| v.serde.other);
        if catch_all {
            return;
        }
        for value in schema.values.iter().filter(|s| !variants.iter().any(|v| !v.serde.skip && v.wire == s.wire)) {
            errors.at(cont.ident, format!("`{}` has no variant for the schema's value `{}`", cont.ident, value.wire));
        }
        if schema.extensible {
            errors.at(
                cont.ident,
                format!(
                    "the schema of `{}` is an `x-extensible-enum`, so new values must be expected: add a unit \
                     variant with `#[serde(other)]`",
                    self.event
                ),
            );
        }
    }

    /// Whether the Rust type can hold every value the schema type allows.
    fn check_type(&self, rust: &syn::Type, schema: &TypeRef, format: Option<&str>, nested: bool, errors: &Errors) {
        if let Err(help) = self.holds(rust, schema, format, nested) {
            let mut message =
                format!("`{}` cannot hold {} of the schema of `{}`", display(rust), self.describe(schema), self.event);
            if !help.is_empty() {
                message.push_str(&format!(": {help}"));
            }
            errors.at(rust, message);
        }
    }

    /// `Err(help)` when `rust` cannot hold `schema`.
    fn holds(&self, rust: &syn::Type, schema: &TypeRef, format: Option<&str>, nested: bool) -> Result<(), String> {
        let suggest = || format!("use `{}`", self.suggest(schema));
        let rust_shape = shape(rust);
        match (&rust_shape, schema) {
            (Shape::Other | Shape::Value, _) => Ok(()),
            (Shape::Option(inner), TypeRef::Nullable(s)) => self.holds(inner, s, None, true),
            (Shape::Option(_), _) => Err("the schema does not allow null here; drop the `Option`".to_owned()),
            (_, TypeRef::Nullable(_)) => Err(format!("null is allowed here: {}", suggest())),
            (_, TypeRef::Named(id)) => match &self.model.get(*id).kind {
                TypeKind::Newtype(inner) => self.holds(rust, inner, format, nested),
                TypeKind::Struct(_) => match rust_shape {
                    Shape::Map(_, v) if matches!(shape(v), Shape::Value) => Ok(()),
                    _ => Err(suggest()),
                },
                TypeKind::Enum(_) => match rust_shape {
                    Shape::Str => Ok(()),
                    _ => Err(suggest()),
                },
                TypeKind::Union(_) => Err(suggest()),
            },
            (Shape::List(item), TypeRef::List(s)) => self.holds(item, s, None, true),
            (Shape::Map(key, value), TypeRef::Map(s)) => match shape(key) {
                Shape::Str | Shape::Other => self.holds(value, s, None, true),
                _ => Err("map keys are strings: use `String` keys".to_owned()),
            },
            (_, TypeRef::List(_) | TypeRef::Map(_)) => Err(suggest()),
            (_, TypeRef::Primitive(p)) => {
                let fits = match (rust_shape, p) {
                    (_, Primitive::Any) => false,
                    (
                        Shape::Str,
                        Primitive::String
                        | Primitive::Uuid
                        | Primitive::Date
                        | Primitive::DateTime
                        | Primitive::Time
                        | Primitive::LocalDateTime,
                    ) => true,
                    (Shape::Str, Primitive::Bytes) => true,
                    (Shape::SInt(bits), Primitive::Int32) => bits >= 32,
                    (Shape::SInt(bits), Primitive::Int64 | Primitive::UInt32) => bits >= 64,
                    (Shape::UInt(bits), Primitive::UInt32) => bits >= 32,
                    (Shape::UInt(bits), Primitive::UInt64) => bits >= 64,
                    (Shape::UInt(bits), Primitive::Int32 | Primitive::Int64) => {
                        let schema_bits = if *p == Primitive::Int32 { 32 } else { 64 };
                        match format.and_then(unsigned_bits) {
                            Some(needed) => bits >= needed,
                            // Item types carry no format here; only the width is known.
                            None if nested => bits >= schema_bits,
                            None => {
                                return Err(format!(
                                    "the schema allows negative values: use `i{}`, or declare `format: uint{bits}`",
                                    schema_bits
                                ))
                            }
                        }
                    }
                    (Shape::Float(_), Primitive::Float32) => true,
                    (Shape::Float(64), Primitive::Float64 | Primitive::Decimal) => true,
                    (Shape::Bool, Primitive::Boolean) => true,
                    (Shape::Uuid, Primitive::Uuid) => true,
                    (Shape::DateTime, Primitive::DateTime) => true,
                    (Shape::Date, Primitive::Date) => true,
                    (Shape::List(item), Primitive::Bytes) => matches!(shape(item), Shape::UInt(8)),
                    _ => false,
                };
                if fits {
                    Ok(())
                } else {
                    Err(suggest())
                }
            }
        }
    }

    fn describe(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Primitive(p) => match p {
                Primitive::String => "a string",
                Primitive::Int32 => "an int32 integer",
                Primitive::Int64 => "an int64 integer",
                Primitive::UInt32 => "a uint32 integer",
                Primitive::UInt64 => "an unsigned integer (uint64)",
                Primitive::Float32 => "a float number",
                Primitive::Float64 => "a number",
                Primitive::Decimal => "a decimal number",
                Primitive::Boolean => "a boolean",
                Primitive::Bytes => "bytes",
                Primitive::Uuid => "a uuid",
                Primitive::Date => "a date",
                Primitive::DateTime => "a date-time",
                Primitive::Time => "a time of day",
                Primitive::LocalDateTime => "a local date-time",
                Primitive::Any => "any JSON value",
            }
            .to_owned(),
            TypeRef::Named(id) => {
                let def = self.model.get(*id);
                match &def.kind {
                    TypeKind::Struct(_) => format!("an object (`{}`)", def.name),
                    TypeKind::Enum(_) => format!("a string enum (`{}`)", def.name),
                    TypeKind::Union(_) => format!("a union (`{}`)", def.name),
                    TypeKind::Newtype(inner) => self.describe(inner),
                }
            }
            TypeRef::List(item) => format!("an array whose items are {}", self.describe(item)),
            TypeRef::Map(value) => format!("a map whose values are {}", self.describe(value)),
            TypeRef::Nullable(inner) => format!("{} or null", self.describe(inner)),
        }
    }

    /// The Rust type eventbind generates for a schema type.
    fn suggest(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Primitive(p) => match p {
                Primitive::String => "String",
                Primitive::Int32 => "i32",
                Primitive::Int64 => "i64",
                Primitive::UInt32 => "u32",
                Primitive::UInt64 => "u64",
                Primitive::Float32 => "f32",
                Primitive::Float64 | Primitive::Decimal => "f64",
                Primitive::Boolean => "bool",
                Primitive::Bytes => "Vec<u8>",
                Primitive::Uuid => "uuid::Uuid",
                Primitive::Date => "chrono::NaiveDate",
                Primitive::DateTime => "chrono::DateTime<chrono::Utc>",
                Primitive::Time => "chrono::NaiveTime",
                Primitive::LocalDateTime => "chrono::NaiveDateTime",
                Primitive::Any => "serde_json::Value",
            }
            .to_owned(),
            TypeRef::Named(id) => {
                let def = self.model.get(*id);
                match &def.kind {
                    TypeKind::Newtype(inner) => self.suggest(inner),
                    _ => def.name.clone(),
                }
            }
            TypeRef::List(item) => format!("Vec<{}>", self.suggest(item)),
            TypeRef::Map(value) => format!("BTreeMap<String, {}>", self.suggest(value)),
            TypeRef::Nullable(inner) => format!("Option<{}>", self.suggest(inner)),
        }
    }
}

fn unsigned_bits(format: &str) -> Option<u16> {
    match format {
        "uint8" => Some(8),
        "uint16" => Some(16),
        "uint32" => Some(32),
        "uint64" | "uint" => Some(64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    /// The expansion names every file of the catalog in an `include_bytes!`, which is what makes
    /// cargo rebuild the crate when one of them changes.
    #[test]
    fn expansion_tracks_every_catalog_file() {
        let input: syn::DeriveInput = syn::parse_quote! {
            #[event(catalog = "tests/events/device/device.mode_changed.yaml", catalog_root = "tests/events")]
            enum Mode { #[serde(rename = "on")] On, #[serde(other)] Other }
        };
        let out = crate::derive(&input).to_string();
        assert!(out.contains("impl :: eventbind :: Event for Mode"), "{out}");
        assert!(!out.contains("compile_error"), "{out}");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/events").canonicalize().unwrap();
        for file in ["device/device.mode_changed.yaml", "order/order.order_cancelled.yaml"] {
            let path = root.join(file);
            let tracked = format!("include_bytes ! ({:?})", path.to_string_lossy());
            assert!(out.contains(&tracked), "{tracked} missing from {out}");
        }
    }
}
