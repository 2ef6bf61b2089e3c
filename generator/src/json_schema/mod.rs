//! The JSON Schema front end: drafts 04 to 2020-12 and the OpenAPI Schema Object, lowered to IR.

pub mod bundle;
mod documents;
mod lower;
mod names;
mod places;

pub use lower::integer as integer_type;
pub use names::FILES_MODULE;
pub mod uri;

pub use documents::{normalize as normalize_path, DocId, Documents, Draft};
pub(crate) use lower::Lowering;

use crate::source::At;
use serde_json::Value;

use crate::catalog::{Category, EventType, SchemaSource};
use crate::diagnostic::{Diagnostic, Location};
use crate::ir::{Origin, TypeKind, TypeRef};
use crate::source;

/// What lowering one event type's schema gives.
pub(crate) struct LoweredPayload {
    pub payload: TypeRef,
    pub schema_text: String,
    pub sources: Vec<std::path::PathBuf>,
}

/// Names the event's own types were given before lowering (so nested types cannot take them).
pub(crate) struct RootNames {
    pub event: String,
    pub data: String,
}

fn object_like(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "object",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "object"),
        _ => {
            schema.get("items").is_none()
                && schema.get("enum").is_none()
                && schema.get("oneOf").is_none()
                && schema.get("anyOf").is_none()
        }
    }
}

/// Opens an event type's payload schema as a document: the inline text or mapping, or the file.
/// Returns the document, the schema text as written, and the files it was read from.
pub fn open_event_schema(
    docs: &mut Documents<'_>,
    event: &EventType,
) -> Result<(DocId, String, Vec<std::path::PathBuf>), Diagnostic> {
    Ok(match &event.schema.source {
        SchemaSource::InlineText(text) => (docs.open_inline(&event.path)?, text.clone(), vec![event.file.clone()]),
        SchemaSource::InlineValue(value) => {
            let text = serde_json::to_string(value).unwrap_or_default();
            (docs.open_inline(&event.path)?, text, vec![event.file.clone()])
        }
        SchemaSource::File(path) => {
            let canonical = docs.local_file(path).map_err(|message| {
                Diagnostic::new(Location::at(&event.file, "/schema/file"), message)
                    .help("`file` is resolved against the folder of the definition file")
                    .locate_in(&docs.catalog_file(&event.path).text)
            })?;
            // A file that cannot be read or parsed says where itself.
            let doc = docs.open_file(&canonical, None)?;
            let shown = docs.get(doc).file.shown.clone();
            (doc, docs.get(doc).file.text.clone(), vec![event.file.clone(), shown])
        }
    })
}

/// Whether an event type's payload schema describes an array at its root (after the `$ref`s the
/// root is made of), by the engine's resolver.
pub fn root_is_array(catalog: &crate::catalog::Catalog, event: &EventType) -> bool {
    let mut docs = Documents::new(catalog);
    let Ok((mut doc, _, _)) = open_event_schema(&mut docs, event) else { return false };
    let mut pointer = String::new();
    for _ in 0..32 {
        let root = docs.root(doc);
        let Some(schema) = root.at(&pointer) else { return false };
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => match docs.resolve(doc, &source::pointer_push(&pointer, "$ref"), r) {
                Ok(next) => (doc, pointer) = next,
                Err(_) => return false,
            },
            None => {
                return match schema.get("type") {
                    Some(Value::String(t)) => t == "array",
                    Some(Value::Array(ts)) => ts.iter().all(|t| t == "array" || t == "null") && !ts.is_empty(),
                    _ => schema.get("items").is_some() || schema.get("prefixItems").is_some(),
                };
            }
        }
    }
    false
}

pub(crate) fn lower_event(
    lowering: &mut Lowering<'_, '_>,
    event: &EventType,
    names: &RootNames,
) -> Result<LoweredPayload, Diagnostic> {
    let (doc, schema_text, sources) = open_event_schema(&mut lowering.docs, event)?;
    // Follow a root that is only a reference, so the event's own struct gets the event's name.
    let (mut root_doc, mut root_ptr) = (doc, String::new());
    let mut followed = vec![(root_doc, root_ptr.clone())];
    for _ in 0..32 {
        let root = lowering.docs.root(root_doc);
        let schema = root.at(&root_ptr).unwrap_or(&Value::Null);
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) if schema.get("properties").is_none() => {
                let at = source::pointer_push(&root_ptr, "$ref");
                let next = lowering.docs.resolve(root_doc, &at, r)?;
                if followed.contains(&next) {
                    return Err(lowering
                        .docs
                        .get(root_doc)
                        .diagnostic(&at, format!("cyclic `$ref`: `{r}` leads back to itself with no object in between"))
                        .help("a schema cannot be defined only as itself; give the cycle an object with properties"));
                }
                followed.push(next.clone());
                (root_doc, root_ptr) = next;
            }
            _ => break,
        }
    }
    // The document is shared (`Arc`): the schema is read in place, not copied.
    let root = lowering.docs.root(root_doc);
    let schema = root.at(&root_ptr).unwrap_or(&Value::Null);
    let payload = match event.category {
        Category::General => {
            if !schema.is_object() && *schema != Value::Bool(true) || !object_like(schema) {
                return Err(lowering.docs.get(root_doc).diagnostic(&root_ptr, "the payload of a general event must be an object schema").help(
                    "general events put the payload's fields beside `metadata` at the top level; use `category: undefined` for other documents",
                ));
            }
            let defines_metadata = |s: &Value| s.get("properties").and_then(|p| p.get("metadata")).is_some();
            if defines_metadata(schema) {
                return Err(lowering
                    .docs
                    .get(root_doc)
                    .diagnostic(
                        &source::pointer_push(&root_ptr, "properties"),
                        "the payload defines `metadata`, which the general envelope reserves",
                    )
                    .help("rename the property; event metadata lives in the envelope's `metadata`"));
            }
            TypeRef::Named(lowering.lower_root_struct(root_doc, &root_ptr, &names.event, &["metadata"])?)
        }
        Category::Data => {
            if schema.is_object()
                && object_like(schema)
                && (schema.get("properties").is_some() || schema.get("allOf").is_some())
            {
                TypeRef::Named(lowering.lower_root_struct(root_doc, &root_ptr, &names.data, &[])?)
            } else {
                lowering.lower(root_doc, &root_ptr, &names.data)?
            }
        }
        Category::Undefined => {
            if schema.is_object()
                && object_like(schema)
                && (schema.get("properties").is_some() || schema.get("allOf").is_some())
            {
                TypeRef::Named(lowering.lower_root_struct(root_doc, &root_ptr, &names.event, &[])?)
            } else {
                let inner = lowering.lower(root_doc, &root_ptr, &format!("{}Document", names.event))?;
                let origin = Origin { file: lowering.docs.get(root_doc).file.shown.clone(), pointer: root_ptr.clone() };
                let module = lowering.module().to_vec();
                TypeRef::Named(lowering.builder.add_named(
                    &module,
                    names.event.clone(),
                    origin,
                    None,
                    TypeKind::Newtype(inner),
                ))
            }
        }
    };
    Ok(LoweredPayload { payload, schema_text, sources })
}
