//! A payload schema with every `$ref` already resolved by [`Documents`], for validators that
//! would otherwise resolve references their own way: each schema a reference leads to becomes a
//! resource of its own (`urn:eventbind:r<N>`), every `$ref` names one, and the `$id`s and anchors
//! that located them are taken out. A validator given the bundle follows exactly the references
//! `generate` follows, and needs no access to files or the network.

use crate::source::At;
use std::collections::HashMap;

use serde_json::{Map, Value};

use super::documents::{holds_data, DocId, Documents, Draft};
use crate::diagnostic::Diagnostic;
use crate::source::pointer_push;

/// The URI of resource `n` of a bundle; resource 0 is the root.
pub fn resource_uri(n: usize) -> String {
    format!("urn:eventbind:r{n}")
}

/// One schema and the schemas it refers to, each by [`resource_uri`].
#[derive(Debug)]
pub struct Bundle {
    /// Every resource, the root first, each with `$schema` set to its document's draft.
    pub resources: Vec<Value>,
    /// The root's draft.
    pub draft: Draft,
}

/// Keywords whose value maps names to schemas.
const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties", "dependentSchemas", "dependencies"];

/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keywords whose value is one schema (`items` may also be a list).
const SCHEMA_VALUES: &[&str] = &[
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentSchema",
];

fn draft_uri(draft: Draft) -> &'static str {
    match draft {
        Draft::Draft4 => "http://json-schema.org/draft-04/schema#",
        Draft::Draft6 => "http://json-schema.org/draft-06/schema#",
        Draft::Draft7 => "http://json-schema.org/draft-07/schema#",
        Draft::Draft2019 => "https://json-schema.org/draft/2019-09/schema",
        Draft::Draft2020 => "https://json-schema.org/draft/2020-12/schema",
    }
}

struct Bundler<'d, 'c> {
    docs: &'d mut Documents<'c>,
    /// (document, pointer) of each resource's schema → its number.
    numbers: HashMap<(DocId, String), usize>,
    resources: Vec<Option<Value>>,
    pending: Vec<(DocId, String, usize)>,
}

/// Bundles the schema at `pointer` of `doc`. The first reference that cannot be resolved is the
/// error, as it is for `generate` when it lowers that schema.
pub fn bundle(docs: &mut Documents<'_>, doc: DocId, pointer: &str) -> Result<Bundle, Diagnostic> {
    let draft = docs.get(doc).draft;
    let mut bundler = Bundler { docs, numbers: HashMap::new(), resources: Vec::new(), pending: Vec::new() };
    bundler.number(doc, pointer);
    while let Some((doc, pointer, n)) = bundler.pending.pop() {
        let root = bundler.docs.root(doc);
        let schema = root.at(&pointer).cloned().unwrap_or(Value::Bool(true));
        let mut resource = bundler.schema(doc, &pointer, &schema)?;
        if let Value::Object(map) = &mut resource {
            map.insert("$schema".to_owned(), Value::String(draft_uri(bundler.docs.get(doc).draft).to_owned()));
        }
        bundler.resources[n] = Some(resource);
    }
    Ok(Bundle { resources: bundler.resources.into_iter().map(|r| r.unwrap_or(Value::Bool(true))).collect(), draft })
}

impl Bundler<'_, '_> {
    fn number(&mut self, doc: DocId, pointer: &str) -> usize {
        if let Some(&n) = self.numbers.get(&(doc, pointer.to_owned())) {
            return n;
        }
        let n = self.resources.len();
        self.resources.push(None);
        self.numbers.insert((doc, pointer.to_owned()), n);
        self.pending.push((doc, pointer.to_owned(), n));
        n
    }

    fn schema(&mut self, doc: DocId, at: &str, value: &Value) -> Result<Value, Diagnostic> {
        let Value::Object(map) = value else { return Ok(value.clone()) };
        let draft = self.docs.get(doc).draft;
        let mut out = Map::new();
        for (key, child) in map {
            let here = pointer_push(at, key);
            let kept = match (key.as_str(), child) {
                ("$ref", Value::String(reference)) => {
                    let (target, pointer) = self.docs.resolve(doc, &here, reference)?;
                    Value::String(resource_uri(self.number(target, &pointer)))
                }
                // They located schemas for the references, which now name resources instead.
                ("$id" | "$anchor" | "definitions" | "$defs" | "$schema", _) => continue,
                ("id", Value::String(_)) if draft == Draft::Draft4 => continue,
                (k, _) if holds_data(k) => child.clone(),
                (k, Value::Object(entries)) if SCHEMA_MAPS.contains(&k) => {
                    let mut mapped = Map::new();
                    for (name, schema) in entries {
                        let value = if schema.is_object() {
                            self.schema(doc, &pointer_push(&here, name), schema)?
                        } else {
                            schema.clone()
                        };
                        mapped.insert(name.clone(), value);
                    }
                    Value::Object(mapped)
                }
                (k, Value::Array(items)) if SCHEMA_LISTS.contains(&k) || k == "items" => {
                    let mut listed = Vec::with_capacity(items.len());
                    for (i, schema) in items.iter().enumerate() {
                        listed.push(self.schema(doc, &format!("{here}/{i}"), schema)?);
                    }
                    Value::Array(listed)
                }
                (k, Value::Object(_)) if SCHEMA_VALUES.contains(&k) => self.schema(doc, &here, child)?,
                _ => child.clone(),
            };
            out.insert(key.clone(), kept);
        }
        Ok(Value::Object(out))
    }
}
