//! Schemas spread over files, as the registry takes them: each file an event type's schema
//! depends on is registered under a subject of its own, dependencies first, and the event
//! type's schema names them as schema references instead of inlining them.
//!
//! | format | a dependency | reference `name` | its subject |
//! |---|---|---|---|
//! | Avro | another `.avsc` of the catalog defining a named type the schema uses | the file's top-level full name | the same full name |
//! | Protobuf | an imported `.proto` of the catalog (well-known `google/protobuf/*` types are built into registries) | the import path | the import path |
//! | JSON Schema | none: Karapace refuses references for JSON Schema (error 44302, `references` with `schemaType: JSON`), so a schema that refers to other documents is sent bundled: each document it reaches inlined under `$defs` (`definitions` before draft 2019-09) as `eventbind.r<N>`, its `$ref`s rewritten to them | | |

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::check::{avro_files, avro_text, proto_source, registry_schema, Snapshot};
use eventbind_build::catalog::{EventType, SchemaFormat};
use eventbind_build::diagnostic::Error;
use eventbind_build::json_schema::bundle::{bundle, resource_uri};
use eventbind_build::json_schema::{open_event_schema, Documents, Draft};
use eventbind_registry::{Client, Reference, Schema};

/// A schema and the subjects of the schemas it refers to, by reference name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub subject: String,
    /// The text and type; its references are filled in by [`resolve`].
    pub schema: Schema,
    pub refers_to: Vec<(String, String)>,
}

/// An event type's schema and every schema it depends on, dependencies first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spread {
    pub schema: Schema,
    pub refers_to: Vec<(String, String)>,
    pub dependencies: Vec<Node>,
    /// A JSON Schema sent with the documents it refers to inlined.
    pub bundled: bool,
}

/// The schema of `e` and its dependencies; `None` when the schema is not in the catalog.
pub fn spread(snapshot: &Snapshot, e: &EventType) -> Result<Option<Spread>, Error> {
    Ok(match e.schema.format {
        SchemaFormat::JsonSchema => registry_schema(snapshot, e)
            .map(|schema| json_bundled(snapshot, e, schema))
            .transpose()?
            .map(|(schema, bundled)| Spread { schema, refers_to: Vec::new(), dependencies: Vec::new(), bundled }),
        SchemaFormat::Avro => avro(snapshot, e),
        SchemaFormat::Protobuf => protobuf(snapshot, e)?,
    })
}

/// Whether a JSON Schema refers to another document (a `$ref` that is not a fragment).
pub fn refers_elsewhere(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.iter().any(|(k, v)| match (k.as_str(), v) {
            ("$ref", Value::String(r)) => !r.starts_with('#'),
            _ => refers_elsewhere(v),
        }),
        Value::Array(a) => a.iter().any(refers_elsewhere),
        _ => false,
    }
}

/// `schema` as it is when it refers to no other document, else bundled into one document by the
/// resolver `generate` uses.
fn json_bundled(snapshot: &Snapshot, e: &EventType, schema: Schema) -> Result<(Schema, bool), Error> {
    let Ok(value) = serde_json::from_str::<Value>(&schema.schema) else { return Ok((schema, false)) };
    if !refers_elsewhere(&value) {
        return Ok((schema, false));
    }
    let mut docs = Documents::new(&snapshot.catalog);
    let (doc, _, _) = open_event_schema(&mut docs, e)?;
    let bundled = bundle(&mut docs, doc, "")?;
    let defs = match bundled.draft {
        Draft::Draft4 | Draft::Draft6 | Draft::Draft7 => "definitions",
        Draft::Draft2019 | Draft::Draft2020 => "$defs",
    };
    let local = |n: usize| if n == 0 { "#".to_owned() } else { format!("#/{defs}/eventbind.r{n}") };
    let targets: BTreeMap<String, String> = (0..bundled.resources.len()).map(|n| (resource_uri(n), local(n))).collect();
    fn rewrite(v: &mut Value, targets: &BTreeMap<String, String>) {
        match v {
            Value::Object(o) => {
                for (k, v) in o.iter_mut() {
                    match v {
                        Value::String(r) if k == "$ref" => {
                            if let Some(target) = targets.get(r.as_str()) {
                                *r = target.clone();
                            }
                        }
                        _ => rewrite(v, targets),
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|v| rewrite(v, targets)),
            _ => {}
        }
    }
    let mut resources = bundled.resources.into_iter();
    let mut root = resources.next().unwrap_or(Value::Bool(true));
    let mut inlined = serde_json::Map::new();
    for (n, mut resource) in resources.enumerate() {
        if let Value::Object(o) = &mut resource {
            o.remove("$schema");
        }
        rewrite(&mut resource, &targets);
        inlined.insert(format!("eventbind.r{}", n + 1), resource);
    }
    rewrite(&mut root, &targets);
    if let Value::Object(o) = &mut root {
        let slot = o.entry(defs).or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Value::Object(defs) = slot {
            defs.extend(inlined);
        }
    }
    Ok((Schema::json(root.to_string()), true))
}

const AVRO_PRIMITIVES: &[&str] = &["null", "boolean", "int", "long", "float", "double", "bytes", "string"];

/// The full names an Avro schema defines and those it uses, with namespaces resolved.
fn avro_names(v: &Value, namespace: &str, defined: &mut BTreeSet<String>, used: &mut BTreeSet<String>) {
    let full = |name: &str, ns: &str| {
        if name.contains('.') || ns.is_empty() {
            name.to_owned()
        } else {
            format!("{ns}.{name}")
        }
    };
    match v {
        Value::String(name) if !AVRO_PRIMITIVES.contains(&name.as_str()) => {
            used.insert(full(name, namespace));
        }
        Value::Array(union) => union.iter().for_each(|b| avro_names(b, namespace, defined, used)),
        Value::Object(o) => {
            let mut namespace = namespace.to_owned();
            if let (Some(Value::String(t)), Some(Value::String(name))) = (o.get("type"), o.get("name")) {
                if matches!(t.as_str(), "record" | "error" | "enum" | "fixed") {
                    let ns = o.get("namespace").and_then(Value::as_str).unwrap_or(&namespace);
                    let name = full(name, ns);
                    namespace = name.rsplit_once('.').map(|(ns, _)| ns.to_owned()).unwrap_or_default();
                    defined.insert(name);
                }
            }
            match o.get("type") {
                Some(Value::String(t)) if matches!(t.as_str(), "record" | "error") => {
                    for field in o.get("fields").and_then(Value::as_array).into_iter().flatten() {
                        if let Some(t) = field.get("type") {
                            avro_names(t, &namespace, defined, used);
                        }
                    }
                }
                Some(Value::String(t)) if t == "array" => {
                    o.get("items").into_iter().for_each(|i| avro_names(i, &namespace, defined, used))
                }
                Some(Value::String(t)) if t == "map" => {
                    o.get("values").into_iter().for_each(|i| avro_names(i, &namespace, defined, used))
                }
                Some(Value::String(_)) | None => {}
                Some(nested) => avro_names(nested, &namespace, defined, used),
            }
        }
        _ => {}
    }
}

/// The full name of an Avro file's top-level named type.
fn avro_top_name(v: &Value) -> Option<String> {
    let name = v.get("name")?.as_str()?;
    Some(match v.get("namespace").and_then(Value::as_str) {
        Some(ns) if !ns.is_empty() && !name.contains('.') => format!("{ns}.{name}"),
        _ => name.to_owned(),
    })
}

fn avro(snapshot: &Snapshot, e: &EventType) -> Option<Spread> {
    let (text, rel) = avro_text(snapshot, e)?;
    let mut files: BTreeMap<String, (String, Value)> = BTreeMap::new();
    for (path, text) in avro_files(snapshot) {
        if Some(&path) != rel.as_ref() {
            if let Ok(value) = serde_json::from_str(&text) {
                files.insert(path, (text, value));
            }
        }
    }
    // Which file defines each name (the first by path, as the generator reads them).
    let mut definer: BTreeMap<String, String> = BTreeMap::new();
    for (path, (_, value)) in &files {
        let (mut defined, mut used) = (BTreeSet::new(), BTreeSet::new());
        avro_names(value, "", &mut defined, &mut used);
        for name in defined {
            definer.entry(name).or_insert_with(|| path.clone());
        }
    }
    // The files a schema needs: names it uses and does not define, by the file defining them.
    let needs = |value: &Value| -> Vec<String> {
        let (mut defined, mut used) = (BTreeSet::new(), BTreeSet::new());
        avro_names(value, "", &mut defined, &mut used);
        let files: BTreeSet<String> = used.difference(&defined).filter_map(|n| definer.get(n).cloned()).collect();
        files.into_iter().collect()
    };
    let subject_of = |path: &str| files.get(path).and_then(|(_, v)| avro_top_name(v));
    let root: Value = serde_json::from_str(&text).ok()?;
    let mut dependencies = Vec::new();
    let mut done = BTreeSet::new();
    // Depth first, each file after the files it needs.
    fn visit(
        path: &str,
        files: &BTreeMap<String, (String, Value)>,
        needs: &dyn Fn(&Value) -> Vec<String>,
        subject_of: &dyn Fn(&str) -> Option<String>,
        done: &mut BTreeSet<String>,
        out: &mut Vec<Node>,
    ) {
        if !done.insert(path.to_owned()) {
            return;
        }
        let Some((text, value)) = files.get(path) else { return };
        let mut refers_to = Vec::new();
        for dep in needs(value) {
            visit(&dep, files, needs, subject_of, done, out);
            if let Some(subject) = subject_of(&dep) {
                refers_to.push((subject.clone(), subject));
            }
        }
        if let Some(subject) = subject_of(path) {
            out.push(Node { subject, schema: Schema::avro(text.clone()), refers_to });
        }
    }
    let mut refers_to = Vec::new();
    for dep in needs(&root) {
        visit(&dep, &files, &needs, &subject_of, &mut done, &mut dependencies);
        if let Some(subject) = subject_of(&dep) {
            refers_to.push((subject.clone(), subject));
        }
    }
    Some(Spread { schema: Schema::avro(text), refers_to, dependencies, bundled: false })
}

fn protobuf(snapshot: &Snapshot, e: &EventType) -> Result<Option<Spread>, Error> {
    let Some(src) = proto_source(snapshot, e) else { return Ok(None) };
    let pool = crate::compat::protobuf::compile(&src)?;
    // The imports of the catalog's own files; registries know the well-known types.
    let imports = |name: &str| -> Vec<String> {
        pool.get_file_by_name(name)
            .map(|f| f.dependencies().map(|d| d.name().to_owned()).filter(|d| src.files.contains_key(d)).collect())
            .unwrap_or_default()
    };
    let mut dependencies = Vec::new();
    let mut done = BTreeSet::new();
    let mut stack: Vec<(String, bool)> = imports(&src.entry).into_iter().rev().map(|d| (d, false)).collect();
    // Depth first, each file after its imports.
    while let Some((name, expanded)) = stack.pop() {
        if expanded {
            let refers_to = imports(&name).into_iter().map(|d| (d.clone(), d)).collect();
            let schema = Schema::protobuf(src.files[&name].clone());
            dependencies.push(Node { subject: name, schema, refers_to });
        } else if done.insert(name.clone()) {
            stack.push((name.clone(), true));
            stack.extend(imports(&name).into_iter().rev().filter(|d| !done.contains(d)).map(|d| (d, false)));
        }
    }
    let refers_to = imports(&src.entry).into_iter().map(|d| (d.clone(), d)).collect();
    Ok(Some(Spread {
        schema: Schema::protobuf(src.files[&src.entry].clone()),
        refers_to,
        dependencies,
        bundled: false,
    }))
}

/// The outcome of [`resolve`]: the event type's schema with its references (`None` when a
/// dependency is not registered and `register` was off), and a plan step per dependency.
#[derive(Debug)]
pub struct Resolved {
    pub schema: Option<Schema>,
    pub steps: Vec<Value>,
    /// Dependencies registered now.
    pub registered: usize,
}

fn with_references(
    schema: &Schema,
    refers_to: &[(String, String)],
    versions: &BTreeMap<String, i32>,
) -> Option<Schema> {
    let mut schema = schema.clone();
    for (name, subject) in refers_to {
        let version = *versions.get(subject)?;
        schema.references.push(Reference { name: name.clone(), subject: subject.clone(), version });
    }
    Some(schema)
}

/// Looks up every dependency of `spread` (dependencies first), registering those the registry
/// does not hold when `register` is set, and returns the event type's schema with references to
/// the versions that hold them.
pub fn resolve(client: &Client, spread: &Spread, register: bool) -> Result<Resolved, eventbind_registry::Error> {
    let mut versions = BTreeMap::new();
    let mut steps = Vec::new();
    let mut registered = 0;
    for node in &spread.dependencies {
        let Some(schema) = with_references(&node.schema, &node.refers_to, &versions) else {
            steps.push(json!({"subject": node.subject, "action": "new subject or version"}));
            continue;
        };
        let found = client.lookup(&node.subject, &schema)?;
        let (action, version) = match found {
            Some(r) => ("unchanged", Some(r.version)),
            None if !register => ("new subject or version", None),
            None => {
                client.register(&node.subject, &schema)?;
                registered += 1;
                let version = client.lookup(&node.subject, &schema)?.map(|r| r.version);
                ("registered", version)
            }
        };
        if let Some(version) = version {
            versions.insert(node.subject.clone(), version);
        }
        steps.push(json!({"subject": node.subject, "action": action, "version": version}));
    }
    let schema = with_references(&spread.schema, &spread.refers_to, &versions);
    Ok(Resolved { schema, steps, registered })
}
