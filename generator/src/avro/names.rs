//! Avro named types across the catalog: every `.avsc` file's records, enums and fixed types by
//! full name, and a schema made self-contained by inlining the named types it uses from other
//! files (at their first use, as the specification's parsing order requires), so that the
//! embedded schema parses on its own at run time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Location};
use crate::source::pointer_push;

/// Deeper nesting is refused rather than risking the stack.
const MAX_DEPTH: usize = 200;

const COMPLEX: &[&str] = &["record", "error", "enum", "fixed", "array", "map"];

const PRIMITIVES: &[&str] = &["null", "boolean", "int", "long", "float", "double", "bytes", "string"];

/// A named type's definition and where it is.
#[derive(Debug, Clone)]
pub(crate) struct Definition {
    pub value: Value,
    pub file: PathBuf,
    pub text: String,
    pub pointer: String,
    /// The namespace its name is relative to.
    pub namespace: Option<String>,
}

/// The full name of a name in a namespace (a dotted name is already full).
pub(crate) fn full_name(name: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) if !name.contains('.') && !ns.is_empty() => format!("{ns}.{name}"),
        _ => name.trim_start_matches('.').to_owned(),
    }
}

fn namespace_of(full: &str) -> Option<String> {
    full.rsplit_once('.').map(|(ns, _)| ns.to_owned())
}

/// Collects the named types defined in `value` (a schema), with their JSON pointers.
pub(crate) fn collect(
    value: &Value,
    pointer: &str,
    namespace: Option<&str>,
    file: &(PathBuf, String),
    out: &mut BTreeMap<String, Definition>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Array(branches) => {
            for (i, b) in branches.iter().enumerate() {
                collect(b, &pointer_push(pointer, &i.to_string()), namespace, file, out, depth + 1);
            }
        }
        Value::Object(o) => {
            let mut ns = namespace.map(str::to_owned);
            if let (Some(Value::String(name)), Some(Value::String(kind))) = (o.get("name"), o.get("type")) {
                if matches!(kind.as_str(), "record" | "error" | "enum" | "fixed") {
                    let explicit = o.get("namespace").and_then(Value::as_str);
                    let full = full_name(name, explicit.or(namespace));
                    ns = namespace_of(&full);
                    out.entry(full).or_insert_with(|| Definition {
                        value: value.clone(),
                        file: file.0.clone(),
                        text: file.1.clone(),
                        pointer: pointer.to_owned(),
                        namespace: explicit.map(str::to_owned).or_else(|| namespace.map(str::to_owned)),
                    });
                }
            }
            for key in ["type", "items", "values"] {
                if let Some(child) = o.get(key) {
                    collect(child, &pointer_push(pointer, key), ns.as_deref(), file, out, depth + 1);
                }
            }
            if let Some(Value::Array(fields)) = o.get("fields") {
                for (i, f) in fields.iter().enumerate() {
                    let at = pointer_push(&pointer_push(pointer, "fields"), &i.to_string());
                    if let Some(t) = f.get("type") {
                        collect(t, &pointer_push(&at, "type"), ns.as_deref(), file, out, depth + 1);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Builds a self-contained copy of a schema.
pub(crate) struct Inliner<'d> {
    pub catalog: &'d BTreeMap<String, Definition>,
    /// Full names already defined in the output, in order.
    pub defined: BTreeSet<String>,
    pub file: PathBuf,
    pub text: String,
    /// Files whose definitions were inlined.
    pub used_files: BTreeSet<PathBuf>,
}

impl Inliner<'_> {
    fn unknown(&self, name: &str, pointer: &str) -> Diagnostic {
        Diagnostic::new(Location::at(&self.file, pointer), format!("unknown Avro named type `{name}`"))
            .help("define it in this schema or in a `.avsc` file of the catalog, or use a primitive type")
            .locate_in(&self.text)
    }

    /// Rewrites `value` (found at `pointer` in namespace `namespace`).
    pub fn inline(
        &mut self,
        value: &Value,
        pointer: &str,
        namespace: Option<&str>,
        depth: usize,
    ) -> Result<Value, Diagnostic> {
        if depth > MAX_DEPTH {
            return Err(Diagnostic::new(Location::at(&self.file, pointer), "the Avro schema nests too deeply"));
        }
        match value {
            Value::String(name) if !PRIMITIVES.contains(&name.as_str()) => {
                let full = full_name(name, namespace);
                let bare = name.trim_start_matches('.').to_owned();
                let resolved =
                    [full.clone(), bare].into_iter().find(|n| self.defined.contains(n) || self.catalog.contains_key(n));
                let Some(resolved) = resolved else { return Err(self.unknown(name, pointer)) };
                if self.defined.contains(&resolved) {
                    return Ok(Value::String(resolved));
                }
                let def = &self.catalog[&resolved];
                self.used_files.insert(def.file.clone());
                let (file, text) = (
                    std::mem::replace(&mut self.file, def.file.clone()),
                    std::mem::replace(&mut self.text, def.text.clone()),
                );
                let mut copy = def.value.clone();
                // Full name in place of the relative one, since the namespace around it changes.
                if let Some(o) = copy.as_object_mut() {
                    o.insert("name".into(), Value::String(resolved.clone()));
                    o.remove("namespace");
                }
                let out = self.inline(&copy, &def.pointer.clone(), def.namespace.clone().as_deref(), depth + 1);
                self.file = file;
                self.text = text;
                out
            }
            Value::Array(branches) => Ok(Value::Array(
                branches
                    .iter()
                    .enumerate()
                    .map(|(i, b)| self.inline(b, &pointer_push(pointer, &i.to_string()), namespace, depth + 1))
                    .collect::<Result<_, _>>()?,
            )),
            Value::Object(o) => {
                let mut out = o.clone();
                let mut ns = namespace.map(str::to_owned);
                if let (Some(Value::String(name)), Some(Value::String(kind))) = (o.get("name"), o.get("type")) {
                    if matches!(kind.as_str(), "record" | "error" | "enum" | "fixed") {
                        let explicit = o.get("namespace").and_then(Value::as_str);
                        let full = full_name(name, explicit.or(namespace));
                        ns = namespace_of(&full);
                        self.defined.insert(full);
                    }
                }
                for key in ["type", "items", "values"] {
                    match o.get(key) {
                        // The kind of a complex type, not a reference.
                        Some(Value::String(kind)) if key == "type" && COMPLEX.contains(&kind.as_str()) => {}
                        Some(child) => {
                            let inlined = self.inline(child, &pointer_push(pointer, key), ns.as_deref(), depth + 1)?;
                            out.insert(key.into(), inlined);
                        }
                        None => {}
                    }
                }
                if let Some(Value::Array(fields)) = o.get("fields") {
                    let mut new_fields = Vec::with_capacity(fields.len());
                    for (i, f) in fields.iter().enumerate() {
                        let mut f = f.clone();
                        let at = pointer_push(&pointer_push(pointer, "fields"), &i.to_string());
                        if let Some(t) = f.get("type").cloned() {
                            let t = self.inline(&t, &pointer_push(&at, "type"), ns.as_deref(), depth + 1)?;
                            if let Some(obj) = f.as_object_mut() {
                                obj.insert("type".into(), t);
                            }
                        }
                        new_fields.push(f);
                    }
                    out.insert("fields".into(), Value::Array(new_fields));
                }
                Ok(Value::Object(out))
            }
            other => Ok(other.clone()),
        }
    }
}
