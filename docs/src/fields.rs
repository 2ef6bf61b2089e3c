//! The field table of an event type's page, from the IR: one row per field, nested types
//! expanded under their field (`items[].sku`), enums with their values and extensible enums
//! marked. Constraints (bounds, lengths, patterns, defaults) come from the schema object the
//! field was lowered from, found through the struct's origin.

use serde::Serialize;
use serde_json::Value;

use eventbind_build::catalog::Catalog;
use eventbind_build::ir::{Model, Origin, Primitive, TypeId, TypeKind, TypeRef};

/// One row of the field table.
#[derive(Debug, Clone, Serialize)]
pub struct FieldRow {
    /// The field's path from the payload root, wire names (`items[].sku`).
    pub path: String,
    /// Nesting depth, for indentation.
    pub depth: usize,
    pub name: String,
    pub ty: String,
    pub required: bool,
    pub constraints: Vec<String>,
    pub description: String,
    /// An `x-extensible-enum`: consumers must expect values not listed.
    pub extensible: bool,
}

/// Rows for a payload type.
pub(crate) fn rows(catalog: &Catalog, model: &Model, payload: &TypeRef) -> Vec<FieldRow> {
    let mut out = Vec::new();
    let mut stack = Vec::new();
    if let (TypeRef::Named(id), _) = innermost(payload) {
        expand(catalog, model, *id, "", 0, &mut stack, &mut out);
    }
    out
}

/// The type inside lists, maps and nullability, and the suffix its path gets (`[]`, `{}`).
fn innermost(ty: &TypeRef) -> (&TypeRef, String) {
    match ty {
        TypeRef::Nullable(inner) => innermost(inner),
        TypeRef::List(inner) => {
            let (t, s) = innermost(inner);
            (t, format!("[]{s}"))
        }
        TypeRef::Map(inner) => {
            let (t, s) = innermost(inner);
            (t, format!("{{}}{s}"))
        }
        other => (other, String::new()),
    }
}

fn expand(
    catalog: &Catalog,
    model: &Model,
    id: TypeId,
    prefix: &str,
    depth: usize,
    stack: &mut Vec<TypeId>,
    out: &mut Vec<FieldRow>,
) {
    if stack.contains(&id) || depth > 12 {
        return;
    }
    stack.push(id);
    let def = model.get(id);
    match &def.kind {
        TypeKind::Struct(s) => {
            let schema = schema_at(catalog, &def.origin);
            for field in &s.fields {
                let path =
                    if prefix.is_empty() { field.wire_name.clone() } else { format!("{prefix}.{}", field.wire_name) };
                let property = schema.as_ref().and_then(|s| property(s, &field.wire_name));
                let mut constraints = property.map(constraints).unwrap_or_default();
                if let Some(format) = &field.format {
                    if !constraints.iter().any(|c| c.starts_with("format")) {
                        constraints.insert(0, format!("format: {format}"));
                    }
                }
                if let Some(default) = &field.default {
                    if !constraints.iter().any(|c| c.starts_with("default")) {
                        constraints.push(format!("default: {default}"));
                    }
                }
                let (inner, suffix) = innermost(&field.ty);
                let mut extensible = false;
                if let TypeRef::Named(inner_id) = inner {
                    if let TypeKind::Enum(e) = &model.get(*inner_id).kind {
                        extensible = e.extensible;
                        let values: Vec<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();
                        constraints.push(format!(
                            "{}: {}",
                            if e.extensible { "known values" } else { "one of" },
                            values.join(", ")
                        ));
                    }
                }
                let recursive = matches!(inner, TypeRef::Named(i) if stack.contains(i));
                if recursive {
                    constraints.push("recursive: the same type as above".into());
                }
                out.push(FieldRow {
                    path: path.clone(),
                    depth,
                    name: field.wire_name.clone(),
                    ty: type_name(model, &field.ty),
                    required: field.required,
                    constraints,
                    description: field.doc.clone().unwrap_or_default(),
                    extensible,
                });
                if let TypeRef::Named(inner_id) = inner {
                    expand(catalog, model, *inner_id, &format!("{path}{suffix}"), depth + 1, stack, out);
                }
            }
            if let Some(rest) = &s.rest {
                // The keys beyond the named fields: `*` for any other key, else the patterns.
                let name = if rest.patterns.is_empty() { "*".to_owned() } else { rest.patterns.join(" | ") };
                let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
                let (inner, suffix) = innermost(&rest.value);
                let constraints = vec![if rest.patterns.is_empty() {
                    "any other key (additionalProperties)".to_owned()
                } else {
                    "keys matching a pattern (patternProperties)".to_owned()
                }];
                out.push(FieldRow {
                    path: path.clone(),
                    depth,
                    name,
                    ty: type_name(model, &rest.value),
                    required: false,
                    constraints,
                    description: String::new(),
                    extensible: false,
                });
                if let TypeRef::Named(inner_id) = inner {
                    expand(catalog, model, *inner_id, &format!("{path}{suffix}"), depth + 1, stack, out);
                }
            }
        }
        TypeKind::Union(u) => {
            for variant in &u.variants {
                let (inner, suffix) = innermost(&variant.ty);
                let path = format!("{prefix}<{}>", variant.tag.as_deref().unwrap_or(&variant.name));
                out.push(FieldRow {
                    path: path.clone(),
                    depth,
                    name: variant.name.clone(),
                    ty: type_name(model, &variant.ty),
                    required: false,
                    constraints: match (&u.discriminator, &variant.tag) {
                        (Some(d), Some(tag)) => vec![format!("when {d} = {tag}")],
                        _ => vec!["one of the alternatives".into()],
                    },
                    description: String::new(),
                    extensible: false,
                });
                if let TypeRef::Named(inner_id) = inner {
                    expand(catalog, model, *inner_id, &format!("{path}{suffix}"), depth + 1, stack, out);
                }
            }
        }
        TypeKind::Enum(_) | TypeKind::Newtype(_) => {}
    }
    stack.pop();
}

/// A type as the docs show it: `string (uuid)`, `CancelledItem[]`, `map<string, integer>`.
pub(crate) fn type_name(model: &Model, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(p) => match p {
            Primitive::String => "string",
            Primitive::Int32 => "integer (int32)",
            Primitive::Int64 => "integer (int64)",
            Primitive::UInt32 => "integer (uint32)",
            Primitive::UInt64 => "integer (uint64)",
            Primitive::Float32 => "number (float)",
            Primitive::Float64 => "number",
            Primitive::Boolean => "boolean",
            Primitive::Bytes => "bytes",
            Primitive::Uuid => "string (uuid)",
            Primitive::Date => "string (date)",
            Primitive::DateTime => "string (date-time)",
            Primitive::Time => "string (time)",
            Primitive::LocalDateTime => "string (local date-time)",
            Primitive::Decimal => "number (decimal)",
            Primitive::Any => "any",
        }
        .to_owned(),
        TypeRef::Named(id) => {
            let def = model.get(*id);
            match &def.kind {
                TypeKind::Enum(e) if e.extensible => format!("{} (extensible enum)", def.name),
                TypeKind::Enum(_) => format!("{} (enum)", def.name),
                TypeKind::Union(_) => format!("{} (one of)", def.name),
                _ => def.name.clone(),
            }
        }
        TypeRef::List(inner) => format!("{}[]", type_name(model, inner)),
        TypeRef::Map(inner) => format!("map<string, {}>", type_name(model, inner)),
        TypeRef::Nullable(inner) => format!("{} | null", type_name(model, inner)),
    }
}

/// The schema object a type was lowered from. Origins inside a schema string read
/// `/schema/schema (inside the schema string at /x)`.
fn schema_at(catalog: &Catalog, origin: &Origin) -> Option<Value> {
    // Origins name files as generated code shows them (from the catalog folder's name on).
    let file =
        catalog.files.values().find(|f| f.shown == origin.file || catalog.output_path(&f.shown) == origin.file)?;
    match origin.pointer.split_once(" (inside the schema string at ") {
        Some((base, inner)) => {
            let text = file.value.pointer(base)?.as_str()?;
            let value: Value = serde_json::from_str(text).ok()?;
            value.pointer(inner.trim_end_matches(')')).cloned()
        }
        None if origin.pointer.contains(" (inside") => None,
        None => match file.value.pointer(&origin.pointer)? {
            // A whole schema string: the type is its root.
            Value::String(text) => serde_json::from_str(text).ok(),
            other => Some(other.clone()),
        },
    }
}

/// A property's schema in an object schema, also inside `allOf` members.
fn property<'a>(schema: &'a Value, name: &str) -> Option<&'a Value> {
    schema.get("properties").and_then(|p| p.get(name)).or_else(|| {
        schema.get("allOf")?.as_array()?.iter().find_map(|member| member.get("properties").and_then(|p| p.get(name)))
    })
}

fn constraints(schema: &Value) -> Vec<String> {
    const KEYWORDS: &[&str] = &[
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "const",
        "default",
        "readOnly",
    ];
    let Some(obj) = schema.as_object() else { return Vec::new() };
    KEYWORDS
        .iter()
        .filter_map(|k| {
            obj.get(*k).map(|v| match v {
                Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
        })
        .collect()
}
