//! The JSON Schema front end: drafts 04 to 2020-12 and the OpenAPI Schema Object, lowered to IR.

mod documents;
mod lower;

pub(crate) use lower::integer as integer_type;

pub(crate) use documents::{DocId, Documents, Draft};
pub(crate) use lower::Lowering;

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
pub(crate) fn open_event_schema(
    docs: &mut Documents<'_>,
    event: &EventType,
) -> Result<(DocId, String, Vec<std::path::PathBuf>), Diagnostic> {
    let catalog_file = docs.catalog_file(&event.path);
    Ok(match &event.schema.source {
        SchemaSource::InlineText(text) => {
            let location = Location::at(&event.file, "/schema/schema");
            let value = source::parse_embedded(text, location.clone()).map_err(|d| d.locate_in(&catalog_file.text))?;
            (
                docs.add_inline(&event.path, catalog_file, "/schema/schema", value, true),
                text.clone(),
                vec![event.file.clone()],
            )
        }
        SchemaSource::InlineValue(value) => {
            let text = serde_json::to_string(value).unwrap_or_default();
            (
                docs.add_inline(&event.path, catalog_file, "/schema/schema", value.clone(), false),
                text,
                vec![event.file.clone()],
            )
        }
        SchemaSource::File(path) => {
            let doc = docs.open_file(path, None).map_err(|d| {
                Diagnostic::new(Location::at(&event.file, "/schema/file"), d.message)
                    .help("`file` is resolved against the folder of the definition file")
                    .locate_in(&docs.catalog_file(&event.path).text)
            })?;
            let shown = docs.get(doc).file.shown.clone();
            (doc, docs.get(doc).file.text.clone(), vec![event.file.clone(), shown])
        }
    })
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
        let schema = root.pointer(&root_ptr).cloned().unwrap_or(Value::Null);
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
    let root = lowering.docs.root(root_doc);
    let schema = root.pointer(&root_ptr).cloned().unwrap_or(Value::Null);
    let payload = match event.category {
        Category::General => {
            if !schema.is_object() && schema != Value::Bool(true) || !object_like(&schema) {
                return Err(lowering.docs.get(root_doc).diagnostic(&root_ptr, "the payload of a general event must be an object schema").help(
                    "general events put the payload's fields beside `metadata` at the top level; use `category: undefined` for other documents",
                ));
            }
            let defines_metadata = |s: &Value| s.get("properties").and_then(|p| p.get("metadata")).is_some();
            if defines_metadata(&schema) {
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
                && object_like(&schema)
                && (schema.get("properties").is_some() || schema.get("allOf").is_some())
            {
                TypeRef::Named(lowering.lower_root_struct(root_doc, &root_ptr, &names.data, &[])?)
            } else {
                lowering.lower(root_doc, &root_ptr, &names.data)?
            }
        }
        Category::Undefined => {
            if schema.is_object()
                && object_like(&schema)
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
