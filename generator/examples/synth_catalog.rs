//! Writes a synthetic event catalog, for benchmarks and for trying the generator at scale:
//!
//! ```text
//! cargo run -p eventbind-build --example synth_catalog -- OUT_DIR [N] [--deep]
//! ```
//!
//! N event types (default 1000) in 32 namespaces (`ns07.thing_123`): 60% general, 30% data (with
//! `data_type`), 10% undefined. Every payload has 5 to 15 properties: an id, a timestamp, a closed
//! enum, a nested object and an array of objects, then a mix of strings, uuids, date-times, int32,
//! int64, numbers, booleans, an `x-extensible-enum` and `$ref`s to `schemas/shared.json`. Half the
//! schemas are inline YAML mappings, a quarter Nakadi-style JSON strings, a quarter `file:`
//! references to JSON schema files. The output depends only on N: a fixed-seed generator picks
//! everything, so two runs give byte-identical catalogs.
//!
//! `--deep` ([`Shape::Deep`]) nests payloads three levels deep instead: at each level an object
//! holds scalars, a closed and an extensible enum, a nested object and an array of objects, so
//! every event type has seven structs of its own.
//!
//! `benches/generate.rs` includes this file as a module and calls [`write_catalog`].

use std::fs;
use std::io;
use std::path::Path;

use serde_json::{json, Map, Value};

/// Namespaces the event types are spread over.
const NAMESPACES: usize = 32;

/// splitmix64: tiny, fast, and good enough to pick names; the seed fixes the catalog.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Copy)]
enum Scalar {
    Text,
    Email,
    Uuid,
    DateTime,
    Int32,
    Int64,
    Number,
    Boolean,
}

/// Property names by the kind of value they hold.
const SCALARS: &[(&str, Scalar)] = &[
    ("name", Scalar::Text),
    ("label", Scalar::Text),
    ("note", Scalar::Text),
    ("code", Scalar::Text),
    ("reference", Scalar::Text),
    ("region", Scalar::Text),
    ("sku", Scalar::Text),
    ("contact_email", Scalar::Email),
    ("owner_id", Scalar::Uuid),
    ("parent_id", Scalar::Uuid),
    ("correlation_id", Scalar::Uuid),
    ("account_id", Scalar::Uuid),
    ("updated_at", Scalar::DateTime),
    ("expires_at", Scalar::DateTime),
    ("observed_at", Scalar::DateTime),
    ("count", Scalar::Int32),
    ("quantity", Scalar::Int32),
    ("priority", Scalar::Int32),
    ("attempts", Scalar::Int32),
    ("sequence", Scalar::Int64),
    ("offset", Scalar::Int64),
    ("size_bytes", Scalar::Int64),
    ("total_minor", Scalar::Int64),
    ("score", Scalar::Number),
    ("ratio", Scalar::Number),
    ("weight_kg", Scalar::Number),
    ("temperature", Scalar::Number),
    ("active", Scalar::Boolean),
    ("verified", Scalar::Boolean),
    ("archived", Scalar::Boolean),
    ("urgent", Scalar::Boolean),
];

const WORDS: &[&str] =
    &["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett", "kilo", "lima"];

const ENUMS: &[&[&str]] = &[
    &["pending", "active", "suspended", "closed"],
    &["low", "medium", "high"],
    &["created", "approved", "rejected", "cancelled", "expired"],
    &["draft", "published"],
    &["open", "in_progress", "done"],
];

const EXTENSIBLE_ENUMS: &[(&str, &[&str])] = &[
    ("channel", &["web", "app", "store", "phone"]),
    ("source_system", &["erp", "crm", "legacy"]),
    ("kind", &["standard", "express", "bulk"]),
];

const SHARED_REFS: &[(&str, &str)] = &[("amount", "Money"), ("address", "Address"), ("position", "GeoPoint")];

const NESTED_OBJECTS: &[(&str, &str)] =
    &[("details", "Details"), ("context", "Context"), ("origin", "Origin"), ("target", "Target")];

const ARRAYS: &[(&str, &str)] = &[("items", "Item"), ("entries", "Entry"), ("lines", "Line"), ("parts", "Part")];

fn scalar_schema(rng: &mut Rng, kind: Scalar) -> Value {
    let mut schema = match kind {
        Scalar::Text => json!({"type": "string"}),
        Scalar::Email => json!({"type": "string", "format": "email"}),
        Scalar::Uuid => json!({"type": "string", "format": "uuid"}),
        Scalar::DateTime => json!({"type": "string", "format": "date-time"}),
        Scalar::Int32 => json!({"type": "integer", "format": "int32"}),
        Scalar::Int64 => json!({"type": "integer", "format": "int64"}),
        Scalar::Number => json!({"type": "number"}),
        Scalar::Boolean => json!({"type": "boolean"}),
    };
    if rng.chance(40) {
        schema["description"] = json!(format!("The {} of the {}.", rng.pick(WORDS), rng.pick(WORDS)));
    }
    if rng.chance(15) {
        let default = match kind {
            Scalar::Text => Some(json!(*rng.pick(WORDS))),
            Scalar::Int32 | Scalar::Int64 => Some(json!(rng.below(100))),
            Scalar::Boolean => Some(json!(rng.chance(50))),
            _ => None,
        };
        if let Some(default) = default {
            schema["default"] = default;
        }
    }
    if matches!(kind, Scalar::Text) && rng.chance(10) {
        schema["nullable"] = json!(true);
    }
    schema
}

/// An object of 2 to 4 scalar properties, some of them required.
fn small_object(rng: &mut Rng, title: Option<String>, description: &str) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for _ in 0..rng.between(2, 4) {
        let (name, kind) = *rng.pick(SCALARS);
        if properties.contains_key(name) {
            continue;
        }
        if required.is_empty() || rng.chance(30) {
            required.push(json!(name));
        }
        properties.insert(name.to_owned(), scalar_schema(rng, kind));
    }
    let mut schema = Map::new();
    if let Some(title) = title {
        schema.insert("title".into(), json!(title));
    }
    schema.insert("description".into(), json!(description));
    schema.insert("type".into(), json!("object"));
    schema.insert("required".into(), Value::Array(required));
    schema.insert("properties".into(), Value::Object(properties));
    Value::Object(schema)
}

/// An object of `level` levels (1: scalars only): 2 to 4 scalars, a closed enum, an extensible
/// enum at every other level, and below level 1 a nested object and an array of objects.
fn deep_object(rng: &mut Rng, level: usize, title: String) -> Value {
    let mut schema = small_object(rng, Some(title.clone()), "One level of a deep payload.");
    let properties = schema["properties"].as_object_mut().expect("small_object has properties");
    properties.insert("state".into(), json!({"type": "string", "enum": *rng.pick(ENUMS)}));
    if level % 2 == 1 {
        let (name, values) = *rng.pick(EXTENSIBLE_ENUMS);
        properties.insert(name.into(), json!({"type": "string", "x-extensible-enum": values}));
    }
    if level > 1 {
        let (object_name, object_title) = *rng.pick(NESTED_OBJECTS);
        let (array_name, item_title) = *rng.pick(ARRAYS);
        let nested = deep_object(rng, level - 1, format!("{title}{object_title}"));
        let item = deep_object(rng, level - 1, format!("{title}{item_title}"));
        let properties = schema["properties"].as_object_mut().expect("small_object has properties");
        properties.insert(object_name.into(), nested);
        properties.insert(array_name.into(), json!({"type": "array", "items": item}));
    }
    schema
}

/// The shape of the payloads: the mix of the benches, or nested three levels deep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Mixed,
    Deep,
}

/// The payload schema of event type `i`. `shared` is the reference to `schemas/shared.json` from
/// the file the schema is written in; `definitions` puts array items under `#/definitions`.
fn payload_schema(rng: &mut Rng, i: usize, shared: &str, definitions: bool, shape: Shape) -> Value {
    let title = format!("Thing{i}");
    if shape == Shape::Deep {
        let mut schema = deep_object(rng, 3, title);
        let properties = schema["properties"].as_object_mut().expect("deep_object has properties");
        properties.insert("occurred_at".into(), json!({"type": "string", "format": "date-time"}));
        properties.insert(format!("thing_{i}_id"), json!({"type": "string", "format": "uuid"}));
        schema["required"].as_array_mut().expect("required").push(json!(format!("thing_{i}_id")));
        return schema;
    }
    let id = format!("thing_{i}_id");
    let total = rng.between(5, 15);
    let mut properties = Map::new();
    let mut required = vec![json!(id), json!("occurred_at")];
    properties.insert(id.clone(), json!({"type": "string", "format": "uuid", "description": "Id of the thing."}));
    properties.insert("occurred_at".into(), json!({"type": "string", "format": "date-time"}));
    let values = *rng.pick(ENUMS);
    let mut status = json!({"type": "string", "description": "Where the thing is in its life cycle.", "enum": values});
    if rng.chance(30) {
        status["default"] = json!(values[0]);
    } else {
        required.push(json!("status"));
    }
    properties.insert("status".into(), status);

    let (object_name, object_title) = *rng.pick(NESTED_OBJECTS);
    // Some nested types are titled (titles repeat across a namespace, so names collide), others
    // are named after their field.
    let nested_title = rng.chance(50).then(|| object_title.to_owned());
    properties.insert(object_name.into(), small_object(rng, nested_title, "Where and how it happened."));

    let (array_name, item_title) = *rng.pick(ARRAYS);
    let item = small_object(rng, Some(format!("{title}{item_title}")), "One entry.");
    let mut defs = Map::new();
    let items = if definitions {
        defs.insert(item_title.to_owned(), item);
        json!({"$ref": format!("#/definitions/{item_title}")})
    } else {
        item
    };
    properties.insert(array_name.into(), json!({"type": "array", "description": "The entries.", "items": items}));
    if rng.chance(50) {
        required.push(json!(array_name));
    }

    if properties.len() < total {
        let (name, values) = *rng.pick(EXTENSIBLE_ENUMS);
        properties.insert(name.into(), json!({"type": "string", "x-extensible-enum": values}));
    }
    if properties.len() < total && rng.chance(50) {
        let (name, def) = *rng.pick(SHARED_REFS);
        properties.insert(name.into(), json!({"$ref": format!("{shared}#/definitions/{def}")}));
        if rng.chance(50) {
            required.push(json!(name));
        }
    }
    if properties.len() < total && rng.chance(20) {
        properties.insert("tags".into(), json!({"type": "array", "items": {"type": "string"}}));
    }
    while properties.len() < total {
        let (name, kind) = *rng.pick(SCALARS);
        if properties.contains_key(name) {
            continue;
        }
        if rng.chance(30) {
            required.push(json!(name));
        }
        properties.insert(name.into(), scalar_schema(rng, kind));
    }

    let mut schema = Map::new();
    schema.insert("title".into(), json!(title));
    schema.insert("description".into(), json!(format!("Synthetic payload number {i}.")));
    schema.insert("type".into(), json!("object"));
    schema.insert("required".into(), Value::Array(required));
    schema.insert("properties".into(), Value::Object(properties));
    if !defs.is_empty() {
        schema.insert("definitions".into(), Value::Object(defs));
    }
    Value::Object(schema)
}

fn shared_definitions() -> Value {
    json!({
        "description": "Types shared by many event types. No root type.",
        "definitions": {
            "Money": {
                "title": "Money",
                "type": "object",
                "required": ["amount", "currency"],
                "properties": {
                    "amount": {"type": "number", "format": "decimal"},
                    "currency": {"type": "string", "minLength": 3, "maxLength": 3}
                }
            },
            "Address": {
                "title": "Address",
                "type": "object",
                "required": ["street", "city", "postalCode", "country"],
                "properties": {
                    "street": {"type": "string"},
                    "city": {"type": "string"},
                    "postalCode": {"type": "string"},
                    "country": {"type": "string", "description": "ISO 3166-1 alpha-2."}
                }
            },
            "GeoPoint": {
                "title": "GeoPoint",
                "type": "object",
                "required": ["lat", "lon"],
                "properties": {
                    "lat": {"type": "number"},
                    "lon": {"type": "number"},
                    "accuracy_m": {"type": "number"}
                }
            }
        }
    })
}

fn yaml(value: &Value) -> io::Result<String> {
    serde_yaml_ng::to_string(value).map_err(io::Error::other)
}

/// Writes a catalog of `n` event types into `dir` (created if missing).
pub fn write_catalog(dir: &Path, n: usize) -> io::Result<()> {
    write_catalog_shaped(dir, n, Shape::Mixed)
}

/// [`write_catalog`] with payloads of the given shape.
pub fn write_catalog_shaped(dir: &Path, n: usize, shape: Shape) -> io::Result<()> {
    let mut rng = Rng(0x5eed_ca7a_1065_2024);
    fs::create_dir_all(dir.join("schemas"))?;
    fs::write(dir.join("schemas/shared.json"), serde_json::to_string_pretty(&shared_definitions())?)?;
    for i in 0..n {
        let ns = format!("ns{:02}", i % NAMESPACES);
        let name = format!("{ns}.thing_{i}");
        let (category, key) = match i % 10 {
            0..=5 => ("general", format!("thing_{i}_id")),
            6..=8 => ("data", format!("data.thing_{i}_id")),
            _ => ("undefined", format!("thing_{i}_id")),
        };
        let mut definition = Map::new();
        definition.insert("name".into(), json!(name));
        definition.insert("owning_application".into(), json!(format!("{ns}-service")));
        definition.insert("category".into(), json!(category));
        if category == "data" {
            definition.insert("data_type".into(), json!(format!("{ns}.entity_{i}")));
        }
        definition.insert("compatibility_mode".into(), json!(*rng.pick(&["forward", "compatible", "none"])));
        definition.insert("partition_strategy".into(), json!("hash"));
        definition.insert("partition_key_fields".into(), json!([key]));
        definition.insert("description".into(), json!(format!("Synthetic event type {i} of {ns}.")));
        definition.insert(
            "docs".into(),
            json!({
                "producers": [format!("{ns}-service")],
                "consumers": [format!("{}-consumer", rng.pick(WORDS)), format!("{}-consumer", rng.pick(WORDS))],
                "topic": name,
                "encoding": "json",
                "compression": "none",
                "slo": {"latency_p99_ms": 100 * rng.between(1, 50)}
            }),
        );
        let version = format!("{}.{}.{}", rng.between(1, 3), rng.below(10), rng.below(10));
        let schema_block = match i % 4 {
            // Half: an inline YAML mapping.
            0 | 1 => {
                let schema = payload_schema(&mut rng, i, "../schemas/shared.json", false, shape);
                json!({"version": version, "type": "json_schema", "schema": schema})
            }
            // A quarter: an inline JSON string, as Nakadi stores it.
            2 => {
                let schema = payload_schema(&mut rng, i, "../schemas/shared.json", false, shape);
                json!({"version": version, "type": "json_schema", "schema": serde_json::to_string(&schema)?})
            }
            // A quarter: a separate JSON schema file.
            _ => {
                let schema = payload_schema(&mut rng, i, "../shared.json", true, shape);
                let file = format!("schemas/{ns}/thing_{i}.json");
                fs::create_dir_all(dir.join("schemas").join(&ns))?;
                fs::write(dir.join(&file), serde_json::to_string_pretty(&schema)?)?;
                json!({"version": version, "type": "json_schema", "file": format!("../{file}")})
            }
        };
        definition.insert("schema".into(), schema_block);
        fs::create_dir_all(dir.join(&ns))?;
        let text = format!("# Synthetic event type, written by synth_catalog.\n{}", yaml(&Value::Object(definition))?);
        fs::write(dir.join(&ns).join(format!("{name}.yaml")), text)?;
    }
    Ok(())
}

// Unused where benches/generate.rs includes this file as a module.
#[allow(dead_code)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let shape = if args.iter().any(|a| a == "--deep") { Shape::Deep } else { Shape::Mixed };
    let mut positional = args.iter().filter(|a| *a != "--deep");
    let Some(out) = positional.next() else {
        return Err("usage: synth_catalog OUT_DIR [N] [--deep]".into());
    };
    let n = match positional.next() {
        Some(n) => n.parse().map_err(|_| "N must be a number of event types")?,
        None => 1000,
    };
    write_catalog_shaped(Path::new(out), n, shape)?;
    println!("wrote {n} event types to {out}");
    Ok(())
}
