//! JSON Schema → IR. Each schema position becomes a [`TypeRef`]; objects, enums and unions become
//! named types, cached by document and pointer so that a definition reached twice is one type and
//! a recursive one refers to itself.

use crate::source::At;
use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::documents::{DocId, Documents};
use super::names::{self as type_names, is_null_schema, kind_name, ref_name};
use super::places::Places;
use crate::diagnostic::Diagnostic;
use crate::ir::{
    EnumDef, EnumValue, Field, Origin, Primitive, Rest, StructDef, TypeId, TypeKind, TypeRef, UnionDef, Variant,
};
use crate::model_builder::ModelBuilder;
use crate::naming::{self, Namer};
use crate::source::{pointer_push, pointer_tokens};

/// Deeper nesting (counting `$ref` hops) is refused instead of risking the stack.
const MAX_DEPTH: usize = 96;

/// More properties in one object are refused: the generated type would be tens of megabytes of
/// Rust that takes minutes and gigabytes to generate and more to compile.
const MAX_PROPERTIES: usize = 10_000;

/// Field names that envelopes or generated code use in every language.
pub(crate) const RESERVED_FIELDS: &[&str] = &["unknown_fields"];

type Key = (DocId, String);

enum StructName<'a> {
    /// Claim this name (or the next free one) in the module.
    Claim(&'a str),
    /// Claim this name, and do not cache the struct under its schema's pointer, which already
    /// names another type (the union of a `type: [string, object]` schema).
    Variant(&'a str),
    /// Use this name, claimed beforehand; the fields must not take the names listed (those
    /// the envelope puts beside them).
    Claimed(&'a str, &'a [&'a str]),
}

pub(crate) struct Lowering<'c, 'b> {
    pub docs: Documents<'c>,
    pub builder: &'b mut ModelBuilder,
    /// The named type made at each schema position. Only the type, never its nullability: that
    /// belongs to each use (a `$ref` with `nullable: true`, a `type: [T, "null"]`), so a
    /// definition reached first through a nullable use is not nullable at its other uses.
    named: HashMap<Key, TypeId>,
    /// `$ref` targets being lowered, with the container depth and the struct depth at entry.
    in_progress: HashMap<Key, (usize, usize)>,
    depth: usize,
    /// How many arrays, maps and unions enclose the current position.
    containers: usize,
    /// How many structs being made enclose the current position.
    structs: usize,
    /// The module of the event type being lowered (its own structs go there).
    module: Vec<String>,
    /// Where every other named type goes, and what it is called: by its own document.
    pub places: Places,
    /// Errors in fields and variants, each lowered as a JSON value so the rest of the schema is
    /// still checked: every error of a catalog is reported in one run.
    problems: Vec<Diagnostic>,
}

type Result<T> = std::result::Result<T, Diagnostic>;

fn description(obj: &Map<String, Value>) -> Option<String> {
    let title = obj.get("title").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let description = obj.get("description").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    match (title, description) {
        (Some(t), Some(d)) if !d.starts_with(t) => Some(format!("{t}\n\n{d}")),
        (_, Some(d)) => Some(d.to_owned()),
        (Some(t), None) => Some(t.to_owned()),
        (None, None) => None,
    }
}

/// Keywords that make a schema describe a value's shape rather than only constrain it.
const SHAPE_KEYWORDS: &[&str] = &[
    "type",
    "properties",
    "$ref",
    "items",
    "enum",
    "const",
    "allOf",
    "oneOf",
    "anyOf",
    "additionalProperties",
    "x-extensible-enum",
    "format",
];

fn has_shape(v: &Value) -> bool {
    v.as_object().is_some_and(|o| SHAPE_KEYWORDS.iter().any(|k| o.contains_key(*k)))
}

/// The primitive for a `type` and `format`; `None` for object, array and null. Integers take
/// their width from the format and the bounds ([`integer`]).
fn primitive(ty: &str, format: Option<&str>, obj: &Map<String, Value>) -> Option<Primitive> {
    Some(match (ty, format) {
        ("string", Some("uuid")) => Primitive::Uuid,
        ("string", Some("date-time")) => Primitive::DateTime,
        ("string", Some("date")) => Primitive::Date,
        ("string", _) => Primitive::String,
        ("integer", _) => integer(format, obj),
        ("number", Some("int32" | "int64" | "uint32" | "uint64")) => integer(format, obj),
        ("number", Some("decimal")) => Primitive::Decimal,
        ("number", Some("float")) => Primitive::Float32,
        ("number", _) => Primitive::Float64,
        ("boolean", _) => Primitive::Boolean,
        _ => return None,
    })
}

/// The bounds an integer schema sets (inclusive), from `minimum`/`maximum` and their exclusive
/// forms: numbers from draft 06 on, booleans that make `minimum`/`maximum` exclusive in draft 04.
fn integer_bounds(obj: &Map<String, Value>) -> (Option<f64>, Option<f64>) {
    let number = |k: &str| obj.get(k).and_then(Value::as_f64);
    let exclusive = |k: &str| obj.get(k).and_then(Value::as_bool) == Some(true);
    let min = match (number("minimum"), number("exclusiveMinimum")) {
        (Some(m), None) if exclusive("exclusiveMinimum") => Some(m + 1.0),
        (m, None) => m,
        (None, Some(e)) => Some(e + 1.0),
        (Some(m), Some(e)) => Some(m.max(e + 1.0)),
    };
    let max = match (number("maximum"), number("exclusiveMaximum")) {
        (Some(m), None) if exclusive("exclusiveMaximum") => Some(m - 1.0),
        (m, None) => m,
        (None, Some(e)) => Some(e - 1.0),
        (Some(m), Some(e)) => Some(m.min(e - 1.0)),
    };
    (min, max)
}

/// An integer's type, as typify chooses it: an integer `format` names the type when the bounds
/// fit in it; otherwise a lower bound of 0 or more makes it unsigned (`uint64`, so values up
/// to 2^64 − 1 decode), and anything else is `int64`.
pub fn integer(format: Option<&str>, obj: &Map<String, Value>) -> Primitive {
    let (min, max) = integer_bounds(obj);
    let fits = |lo: f64, hi: f64| min.is_none_or(|m| m >= lo) && max.is_none_or(|m| m <= hi);
    let named = match format {
        Some("int32") => Some((Primitive::Int32, f64::from(i32::MIN), f64::from(i32::MAX))),
        Some("uint32" | "uint" | "uint16" | "uint8") => Some((Primitive::UInt32, 0.0, f64::from(u32::MAX))),
        Some("int64") => Some((Primitive::Int64, i64::MIN as f64, i64::MAX as f64)),
        Some("uint64") => Some((Primitive::UInt64, 0.0, u64::MAX as f64)),
        _ => None,
    };
    match named {
        Some((p, lo, hi)) if fits(lo, hi) => p,
        _ if min.is_some_and(|m| m >= 0.0) => Primitive::UInt64,
        _ => Primitive::Int64,
    }
}

/// A format the type mapping does not turn into a type of its own, for documentation.
fn kept_format(ty: Option<&str>, format: Option<&str>) -> Option<String> {
    let format = format?;
    let mapped = matches!((ty, format), (Some("string"), "uuid" | "date-time" | "date"))
        || matches!(format, "int32" | "int64" | "uint32" | "uint64" | "decimal" | "float" | "double");
    (!mapped).then(|| format.to_owned())
}

impl<'c, 'b> Lowering<'c, 'b> {
    pub fn new(docs: Documents<'c>, builder: &'b mut ModelBuilder) -> Self {
        let places = Places::new(docs.catalog());
        Lowering {
            docs,
            builder,
            named: HashMap::new(),
            in_progress: HashMap::new(),
            depth: 0,
            containers: 0,
            structs: 0,
            module: Vec::new(),
            places,
            problems: Vec::new(),
        }
    }

    /// The errors recorded in fields and variants since the last call.
    pub fn take_problems(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.problems)
    }

    /// A field's or variant's type, or a JSON value standing in for it after recording its error.
    fn recover(&mut self, lowered: Result<TypeRef>) -> TypeRef {
        lowered.unwrap_or_else(|d| {
            self.problems.push(d);
            TypeRef::Primitive(Primitive::Any)
        })
    }

    pub fn set_module(&mut self, module: &[String]) {
        self.module = module.to_vec();
    }

    pub fn module(&self) -> &[String] {
        &self.module
    }

    /// An event's own struct: named by the name already claimed for it, and never shared. Its
    /// fields do not take the `envelope` names, not even after case conversion (`metadata_`).
    pub fn lower_root_struct(&mut self, doc: DocId, pointer: &str, claimed: &str, envelope: &[&str]) -> Result<TypeId> {
        self.lower_struct_as(doc, pointer, StructName::Claimed(claimed, envelope))
    }

    /// Plans the names of a document's types now (they are otherwise planned on first use).
    pub fn plan_names(&mut self, doc: DocId) {
        self.places.module(&self.docs, self.builder, doc);
    }

    /// The module and name of a named type made at `key` of `doc` ([`Places::place`]).
    fn place(&mut self, doc: DocId, key: &str, fallback: &str) -> (Vec<String>, String) {
        self.places.place(&self.docs, self.builder, doc, key, fallback)
    }

    fn origin(&self, doc: DocId, pointer: &str) -> Origin {
        let d = self.docs.get(doc);
        let location = d.location(pointer);
        Origin { file: location.file, pointer: location.pointer.unwrap_or_default() }
    }

    /// Lowers the schema at `pointer` of `doc`; `name` is used if it becomes a new named type.
    pub fn lower(&mut self, doc: DocId, pointer: &str, name: &str) -> Result<TypeRef> {
        if self.depth >= MAX_DEPTH {
            return Err(self
                .docs
                .get(doc)
                .diagnostic(pointer, format!("schema nesting is deeper than {MAX_DEPTH} levels"))
                .help("flatten the schema or name nested types in `definitions`"));
        }
        self.depth += 1;
        let result = self.lower_here(doc, pointer, name);
        self.depth -= 1;
        result
    }

    fn lower_in_container(&mut self, doc: DocId, pointer: &str, name: &str) -> Result<TypeRef> {
        self.containers += 1;
        let result = self.lower(doc, pointer, name);
        self.containers -= 1;
        result
    }

    fn lower_here(&mut self, doc: DocId, pointer: &str, name: &str) -> Result<TypeRef> {
        let root = self.docs.root(doc);
        let Some(schema) = root.at(pointer) else {
            return Err(self.docs.get(doc).diagnostic(pointer, "no schema here"));
        };
        let obj = match schema {
            Value::Bool(_) => return Ok(TypeRef::Primitive(Primitive::Any)),
            Value::Object(obj) => obj,
            other => {
                return Err(self
                    .docs
                    .get(doc)
                    .diagnostic(pointer, format!("expected a schema (an object or a boolean), found `{other}`")))
            }
        };
        let nullable = obj.get("nullable").and_then(Value::as_bool) == Some(true);
        let ty = self.lower_object_schema(doc, pointer, obj, name)?;
        Ok(if nullable { ty.nullable() } else { ty })
    }

    fn lower_object_schema(
        &mut self,
        doc: DocId,
        pointer: &str,
        obj: &Map<String, Value>,
        name: &str,
    ) -> Result<TypeRef> {
        if let Some(reference) = obj.get("$ref") {
            let Some(reference) = reference.as_str() else {
                return Err(self.docs.get(doc).diagnostic(&pointer_push(pointer, "$ref"), "`$ref` must be a string"));
            };
            return self.lower_ref(doc, pointer, reference);
        }
        if let Some(values) = obj.get("x-extensible-enum") {
            return self.lower_enum(doc, pointer, &pointer_push(pointer, "x-extensible-enum"), values, true, name);
        }
        if let Some(values) = obj.get("enum") {
            return self.lower_enum(doc, pointer, &pointer_push(pointer, "enum"), values, false, name);
        }
        if let Some(value) = obj.get("const") {
            // A string constant is an enum of one value (as typify has it), so a decoder rejects
            // any other; other constants keep their base type.
            if value.is_string() {
                let values = Value::Array(vec![value.clone()]);
                return self.lower_enum(doc, pointer, &pointer_push(pointer, "const"), &values, false, name);
            }
            return Ok(TypeRef::Primitive(match value {
                Value::String(_) => Primitive::String,
                Value::Bool(_) => Primitive::Boolean,
                Value::Number(n) if n.is_i64() => Primitive::Int64,
                Value::Number(n) if n.is_u64() => Primitive::UInt64,
                Value::Number(_) => Primitive::Float64,
                _ => Primitive::Any,
            }));
        }
        if obj.contains_key("allOf") {
            return self.lower_all_of(doc, pointer, obj, name);
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some(Value::Array(variants)) = obj.get(combinator) {
                if variants.iter().any(has_shape) {
                    return self.lower_union(doc, pointer, combinator, obj, variants, name);
                }
            }
        }
        let format = obj.get("format").and_then(Value::as_str);
        match obj.get("type") {
            Some(Value::String(ty)) => self.lower_typed(doc, pointer, obj, ty, format, name),
            Some(Value::Array(types)) => {
                let named: Vec<&str> = types.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect();
                let nullable = named.len() < types.len();
                let ty = match named.as_slice() {
                    [] => TypeRef::Primitive(Primitive::Any),
                    [one] => self.lower_typed(doc, pointer, obj, one, format, name)?,
                    several => self.lower_type_union(doc, pointer, obj, several, name)?,
                };
                Ok(if nullable { ty.nullable() } else { ty })
            }
            Some(_) => Err(self
                .docs
                .get(doc)
                .diagnostic(&pointer_push(pointer, "type"), "`type` must be a string or a list of strings")),
            None if obj.contains_key("properties") || obj.contains_key("additionalProperties") => {
                self.lower_typed(doc, pointer, obj, "object", format, name)
            }
            None if obj.contains_key("items") => self.lower_typed(doc, pointer, obj, "array", format, name),
            None => Ok(TypeRef::Primitive(Primitive::Any)),
        }
    }

    fn lower_typed(
        &mut self,
        doc: DocId,
        pointer: &str,
        obj: &Map<String, Value>,
        ty: &str,
        format: Option<&str>,
        name: &str,
    ) -> Result<TypeRef> {
        if let Some(p) = primitive(ty, format, obj) {
            return Ok(TypeRef::Primitive(p));
        }
        match ty {
            "object" => {
                if obj.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty()) {
                    return self.lower_struct_as(doc, pointer, StructName::Claim(name)).map(TypeRef::Named);
                }
                match obj.get("additionalProperties") {
                    Some(schema @ Value::Object(_)) if has_shape(schema) => {
                        let values = self.lower_in_container(
                            doc,
                            &pointer_push(pointer, "additionalProperties"),
                            &format!("{name}Value"),
                        )?;
                        Ok(TypeRef::Map(Box::new(values)))
                    }
                    _ => Ok(TypeRef::Map(Box::new(TypeRef::Primitive(Primitive::Any)))),
                }
            }
            "array" => match obj.get("items") {
                Some(Value::Object(_) | Value::Bool(_)) if !obj.contains_key("prefixItems") => {
                    let item = self.lower_in_container(doc, &pointer_push(pointer, "items"), &format!("{name}Item"))?;
                    Ok(TypeRef::List(Box::new(item)))
                }
                // Tuples (`items` as a list, `prefixItems`) keep their elements as JSON values.
                _ => Ok(TypeRef::List(Box::new(TypeRef::Primitive(Primitive::Any)))),
            },
            "null" => Ok(TypeRef::Primitive(Primitive::Any).nullable()),
            other => Err(self
                .docs
                .get(doc)
                .diagnostic(&pointer_push(pointer, "type"), format!("unknown type `{other}`"))
                .help("expected one of string, integer, number, boolean, object, array, null")),
        }
    }

    fn lower_ref(&mut self, doc: DocId, pointer: &str, reference: &str) -> Result<TypeRef> {
        let key = self.docs.resolve(doc, &pointer_push(pointer, "$ref"), reference)?;
        if self.named.contains_key(&key) {
            // A named type (perhaps being made: a recursive reference); lowering the target again
            // finds it, with the nullability the target itself declares.
            return self.lower(key.0, &key.1.clone(), "");
        }
        if let Some(&(entered_at, structs_at)) = self.in_progress.get(&key) {
            if self.containers > entered_at {
                // Recursion through an array, map or union with no object to name: keep it as JSON.
                return Ok(TypeRef::Primitive(Primitive::Any));
            }
            if self.structs > structs_at {
                // A struct was entered on the way back here (`definitions/a: {$ref: '#'}`, the
                // root an object holding `a`): lowering again reaches that struct, now named.
                let name = ref_name(reference);
                return self.lower(key.0, &key.1.clone(), &name);
            }
            return Err(self
                .docs
                .get(doc)
                .diagnostic(
                    &pointer_push(pointer, "$ref"),
                    format!("cyclic `$ref`: `{reference}` leads back to itself with no object in between"),
                )
                .help("a schema cannot be defined only as itself; give the cycle an object with properties"));
        }
        self.in_progress.insert(key.clone(), (self.containers, self.structs));
        let name = match self.docs.root(key.0).at(&key.1).and_then(|s| s.get("title")).and_then(Value::as_str) {
            Some(title) if key.1.is_empty() => naming::type_name(title),
            _ => ref_name(reference),
        };
        let result = self.lower(key.0, &key.1.clone(), &name);
        self.in_progress.remove(&key);
        result
    }

    /// The schemas whose properties make up an object: its `allOf` parts (recursively, through
    /// references) and then itself.
    fn object_parts(&mut self, doc: DocId, pointer: &str, seen: &mut HashSet<Key>, parts: &mut Vec<Key>) -> Result<()> {
        if !seen.insert((doc, pointer.to_owned())) || seen.len() > 256 {
            return Ok(());
        }
        let root = self.docs.root(doc);
        let schema = root.at(pointer).unwrap_or(&Value::Null);
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let (tdoc, tptr) = self.docs.resolve(doc, &pointer_push(pointer, "$ref"), reference)?;
            return self.object_parts(tdoc, &tptr, seen, parts);
        }
        if let Some(Value::Array(all)) = schema.get("allOf") {
            for i in 0..all.len() {
                self.object_parts(doc, &format!("{pointer}/allOf/{i}"), seen, parts)?;
            }
        }
        parts.push((doc, pointer.to_owned()));
        Ok(())
    }

    fn lower_all_of(&mut self, doc: DocId, pointer: &str, obj: &Map<String, Value>, name: &str) -> Result<TypeRef> {
        let mut parts = Vec::new();
        self.object_parts(doc, pointer, &mut HashSet::new(), &mut parts)?;
        let is_object =
            |v: &Value| v.get("properties").is_some() || v.get("type").and_then(Value::as_str) == Some("object");
        if parts.iter().any(|(d, p)| self.docs.root(*d).at(p).is_some_and(is_object)) {
            let nullable = self.parts_allow_null(&parts);
            let ty = self.lower_struct_as(doc, pointer, StructName::Claim(name)).map(TypeRef::Named)?;
            return Ok(if nullable { ty.nullable() } else { ty });
        }
        // Not an object: the first part that describes a shape gives the type.
        let Some(Value::Array(all)) = obj.get("allOf") else { unreachable!("checked by the caller") };
        for (i, part) in all.iter().enumerate() {
            if has_shape(part) {
                return self.lower(doc, &format!("{pointer}/allOf/{i}"), name);
            }
        }
        match obj.get("type").and_then(Value::as_str) {
            Some(ty) => self.lower_typed(doc, pointer, obj, ty, obj.get("format").and_then(Value::as_str), name),
            None => Ok(TypeRef::Primitive(Primitive::Any)),
        }
    }

    /// Whether an object merged from `allOf` parts may be null: a value must meet every part, so
    /// it may when some part allows null explicitly (`type` with `null`, `nullable: true`, a null
    /// member of `oneOf`/`anyOf`) and no part has a `type` without it
    /// (`allOf: [{oneOf: [{type: object}, {type: "null"}]}, {properties: …}]`).
    fn parts_allow_null(&self, parts: &[Key]) -> bool {
        let mut allowed = false;
        for (d, p) in parts {
            let root = self.docs.root(*d);
            let Some(part) = root.at(p) else { continue };
            let nullable = part.get("nullable") == Some(&Value::Bool(true));
            let typed_null = match part.get("type") {
                Some(Value::String(t)) => Some(t == "null"),
                Some(Value::Array(ts)) => Some(ts.iter().any(|t| t == "null")),
                _ => None,
            };
            if typed_null == Some(false) && !nullable {
                return false;
            }
            let null_member = ["oneOf", "anyOf"]
                .iter()
                .any(|k| part.get(*k).and_then(Value::as_array).is_some_and(|vs| vs.iter().any(is_null_schema)));
            allowed |= nullable || typed_null == Some(true) || null_member;
        }
        allowed
    }

    /// Lowers an object schema (with its `allOf` parts) into a struct. An event's own struct
    /// (a claimed name) is not cached: it is its own type even when the schema is used elsewhere.
    fn lower_struct_as(&mut self, doc: DocId, pointer: &str, name: StructName<'_>) -> Result<TypeId> {
        self.structs += 1;
        let made = self.make_struct(doc, pointer, name);
        self.structs -= 1;
        made
    }

    fn make_struct(&mut self, doc: DocId, pointer: &str, name: StructName<'_>) -> Result<TypeId> {
        let key = (doc, pointer.to_owned());
        let fresh = !matches!(name, StructName::Claim(_));
        if !fresh {
            if let Some(&id) = self.named.get(&key) {
                return Ok(id);
            }
        }
        let root = self.docs.root(doc);
        let own = root.at(pointer).and_then(Value::as_object);
        let origin = self.origin(doc, pointer);
        let id = match name {
            StructName::Claim(candidate) | StructName::Variant(candidate) => {
                let key = match name {
                    StructName::Variant(_) => type_names::object_variant_key(pointer),
                    _ => pointer.to_owned(),
                };
                let (module, name) = self.place(doc, &key, candidate);
                self.builder.add_named(
                    &module,
                    name,
                    origin,
                    own.and_then(description),
                    TypeKind::Struct(StructDef::default()),
                )
            }
            StructName::Claimed(claimed, _) => self.builder.add_named(
                &self.module,
                claimed.to_owned(),
                origin,
                own.and_then(description),
                TypeKind::Struct(StructDef::default()),
            ),
        };
        let type_name = self.builder.model.get(id).name.clone();
        if !fresh {
            self.named.insert(key, id);
        }
        let mut parts = Vec::new();
        self.object_parts(doc, pointer, &mut HashSet::new(), &mut parts)?;
        let mut required = HashSet::new();
        let mut closed = false;
        for (d, p) in &parts {
            let part = self.docs.root(*d);
            let part = part.at(p).unwrap_or(&Value::Null);
            if let Some(Value::Array(names)) = part.get("required") {
                required.extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
            }
            closed |= part.get("additionalProperties") == Some(&Value::Bool(false));
        }
        let properties = |(d, p): &(DocId, String)| {
            let root = self.docs.root(*d);
            root.at(p).and_then(|s| s.get("properties")).and_then(Value::as_object).map_or(0, |o| o.len())
        };
        let count: usize = parts.iter().map(properties).sum();
        if count > MAX_PROPERTIES {
            let (d, p) = parts.iter().max_by_key(|part| properties(part)).cloned().unwrap_or((doc, pointer.to_owned()));
            return Err(self
                .docs
                .get(d)
                .diagnostic(
                    &pointer_push(&p, "properties"),
                    format!("the object has {count} properties; eventbind generates at most {MAX_PROPERTIES} fields per type"),
                )
                .help("group the properties into nested objects, or describe open-ended keys with `additionalProperties`"));
        }
        let mut fields: Vec<Field> = Vec::new();
        let mut wires = HashSet::new();
        let mut namer = Namer::new();
        let envelope = if let StructName::Claimed(_, envelope) = name { envelope } else { &[] };
        for reserved in RESERVED_FIELDS.iter().chain(envelope) {
            namer.reserve(reserved);
        }
        for (d, p) in parts.iter().cloned() {
            let part_root = self.docs.root(d);
            let Some(Value::Object(properties)) = part_root.at(&p).and_then(|s| s.get("properties")) else {
                continue;
            };
            for (wire, schema) in properties {
                // A set, not a search of `fields`: objects may have 100,000 properties.
                if !wires.insert(wire.clone()) {
                    continue;
                }
                let at = pointer_push(&pointer_push(&p, "properties"), wire);
                let lowered = self.lower(d, &at, &format!("{type_name}{}", naming::type_name(wire)));
                let ty = self.recover(lowered);
                let prop = schema.as_object();
                let get = |k: &str| prop.and_then(|o| o.get(k));
                fields.push(Field {
                    wire_name: wire.clone(),
                    name: namer.claim(&naming::field_name(wire), "_"),
                    doc: prop.and_then(description),
                    default: get("default").filter(|v| default_fits(&ty, v, &self.builder.model)).cloned(),
                    required: required.contains(wire),
                    read_only: get("readOnly").and_then(Value::as_bool) == Some(true),
                    format: kept_format(get("type").and_then(Value::as_str), get("format").and_then(Value::as_str)),
                    null_is_absent: false,
                    ty,
                });
            }
        }
        let rest = self.rest(&parts, &type_name, &mut namer)?;
        self.builder.set(id, TypeKind::Struct(StructDef { fields, closed, rest }));
        Ok(id)
    }

    /// The keys an object declares beyond its properties: a schema-valued `additionalProperties`
    /// (the object's own, else the first of its `allOf` parts with one) takes every other key;
    /// `patternProperties` (of all parts) take the keys that match them. One map holds them,
    /// typed by their schema when they all lower to one type, else kept as JSON values. A pattern
    /// the runtime's regex dialect cannot read makes the map take every key, as JSON values.
    fn rest(&mut self, parts: &[Key], type_name: &str, namer: &mut Namer) -> Result<Option<Rest>> {
        let mut additional = None;
        let mut patterns: Vec<(DocId, String, String)> = Vec::new();
        for (d, p) in parts.iter().rev() {
            let root = self.docs.root(*d);
            let Some(part) = root.at(p) else { continue };
            if additional.is_none() && part.get("additionalProperties").is_some_and(has_shape) {
                additional = Some((*d, pointer_push(p, "additionalProperties")));
            }
            if let Some(Value::Object(pp)) = part.get("patternProperties") {
                for pattern in pp.keys() {
                    if !patterns.iter().any(|(_, _, known)| known == pattern) {
                        patterns.push((
                            *d,
                            pointer_push(&pointer_push(p, "patternProperties"), pattern),
                            pattern.clone(),
                        ));
                    }
                }
            }
        }
        // Patterns in the order the schema gives them, the object's own after its parts'.
        patterns.reverse();
        if additional.is_none() && patterns.is_empty() {
            return Ok(None);
        }
        let value_name = format!("{type_name}Value");
        let mut types = Vec::new();
        if let Some((d, at)) = &additional {
            types.push(self.lower_in_container(*d, at, &value_name)?);
        }
        for (d, at, _) in &patterns {
            types.push(self.lower_in_container(*d, at, &value_name)?);
        }
        let readable = patterns.iter().all(|(_, _, pattern)| regex_lite::Regex::new(pattern).is_ok());
        let value = match types.split_first() {
            Some((first, others)) if readable && others.iter().all(|t| t == first) => first.clone(),
            _ => TypeRef::Primitive(Primitive::Any),
        };
        let patterns = if additional.is_some() || !readable {
            Vec::new()
        } else {
            patterns.into_iter().map(|(_, _, p)| p).collect()
        };
        Ok(Some(Rest { name: namer.claim("extra", "_"), value, patterns }))
    }

    fn lower_enum(
        &mut self,
        doc: DocId,
        pointer: &str,
        values_at: &str,
        values: &Value,
        extensible: bool,
        name: &str,
    ) -> Result<TypeRef> {
        let Value::Array(values) = values else {
            return Err(self.docs.get(doc).diagnostic(values_at, "an enum must be a list of values"));
        };
        let nullable = values.iter().any(Value::is_null);
        let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        if non_null.is_empty() {
            return Ok(TypeRef::Primitive(Primitive::Any).nullable());
        }
        if !non_null.iter().all(|v| v.is_string()) {
            // Numeric or mixed enums keep their base type; the listed values are documentation.
            let all_int = non_null.iter().all(|v| v.is_i64() || v.is_u64());
            let all_num = non_null.iter().all(|v| v.is_number());
            let all_bool = non_null.iter().all(|v| v.is_boolean());
            let p = if non_null.iter().all(|v| v.is_u64()) && non_null.iter().any(|v| !v.is_i64()) {
                Primitive::UInt64
            } else if all_int {
                Primitive::Int64
            } else if all_num {
                Primitive::Float64
            } else if all_bool {
                Primitive::Boolean
            } else {
                Primitive::Any
            };
            let ty = TypeRef::Primitive(p);
            return Ok(if nullable { ty.nullable() } else { ty });
        }
        let key = (doc, pointer.to_owned());
        if let Some(&id) = self.named.get(&key) {
            let ty = TypeRef::Named(id);
            return Ok(if nullable { ty.nullable() } else { ty });
        }
        let root = self.docs.root(doc);
        let own = root.at(pointer).and_then(Value::as_object);
        let mut namer = Namer::new();
        namer.reserve("Unknown");
        let mut seen = HashSet::new();
        let values: Vec<EnumValue> = non_null
            .iter()
            .filter_map(|v| v.as_str())
            .filter(|v| seen.insert(*v))
            .map(|wire| EnumValue { wire: wire.to_owned(), name: namer.claim(&naming::type_name(wire), ""), doc: None })
            .collect();
        let (module, name) = self.place(doc, pointer, name);
        let id = self.builder.add_named(
            &module,
            name,
            self.origin(doc, pointer),
            own.and_then(description),
            TypeKind::Enum(EnumDef { values, extensible }),
        );
        self.named.insert(key, id);
        let ty = TypeRef::Named(id);
        Ok(if nullable { ty.nullable() } else { ty })
    }

    fn lower_union(
        &mut self,
        doc: DocId,
        pointer: &str,
        combinator: &str,
        obj: &Map<String, Value>,
        variants: &[Value],
        name: &str,
    ) -> Result<TypeRef> {
        let nullable = variants.iter().any(is_null_schema);
        let live: Vec<usize> = (0..variants.len()).filter(|&i| !is_null_schema(&variants[i])).collect();
        let at = |i: usize| format!("{pointer}/{combinator}/{i}");
        // Only null variants (or none, which no schema should have): a JSON value, null where
        // the variants say so, as `type: "null"` alone is; a union of nothing would not compile.
        if live.is_empty() {
            let any = TypeRef::Primitive(Primitive::Any);
            return Ok(if nullable { any.nullable() } else { any });
        }
        if let [only] = live.as_slice() {
            let ty = self.lower(doc, &at(*only), name)?;
            return Ok(if nullable { ty.nullable() } else { ty });
        }
        // Variants that are all string constants: one enum, each constant documented.
        let constant = |v: &Value| -> Option<String> {
            v.get("const").and_then(Value::as_str).map(str::to_owned).or_else(|| match v.get("enum") {
                Some(Value::Array(e)) if e.len() == 1 => e[0].as_str().map(str::to_owned),
                _ => None,
            })
        };
        if !live.is_empty() && live.iter().all(|&i| constant(&variants[i]).is_some()) {
            let key = (doc, pointer.to_owned());
            if let Some(&id) = self.named.get(&key) {
                return Ok(if nullable { TypeRef::Named(id).nullable() } else { TypeRef::Named(id) });
            }
            let mut namer = Namer::new();
            namer.reserve("Unknown");
            let mut seen = HashSet::new();
            let values = live
                .iter()
                .filter_map(|&i| constant(&variants[i]).map(|c| (c, variants[i].as_object().and_then(description))))
                .filter(|(c, _)| seen.insert(c.clone()))
                .map(|(wire, doc)| EnumValue { name: namer.claim(&naming::type_name(&wire), ""), wire, doc })
                .collect();
            let (module, name) = self.place(doc, pointer, name);
            let id = self.builder.add_named(
                &module,
                name,
                self.origin(doc, pointer),
                description(obj),
                TypeKind::Enum(EnumDef { values, extensible: false }),
            );
            self.named.insert(key, id);
            return Ok(if nullable { TypeRef::Named(id).nullable() } else { TypeRef::Named(id) });
        }
        let key = (doc, pointer.to_owned());
        if let Some(&id) = self.named.get(&key) {
            return Ok(if nullable { TypeRef::Named(id).nullable() } else { TypeRef::Named(id) });
        }
        let discriminator =
            obj.get("discriminator").and_then(|d| d.get("propertyName")).and_then(Value::as_str).map(str::to_owned);
        let mapping: Vec<(String, String)> = obj
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned()))).collect())
            .unwrap_or_default();
        let (module, name) = self.place(doc, pointer, name);
        let origin = self.origin(doc, pointer);
        let id =
            self.builder.add_named(&module, name, origin, description(obj), TypeKind::Struct(StructDef::default()));
        let union_name = self.builder.model.get(id).name.clone();
        self.named.insert(key, id);
        let names: HashMap<usize, String> =
            type_names::variant_names(variants, discriminator.as_deref()).into_iter().collect();
        let mut out = Vec::new();
        for i in live {
            let variant = &variants[i];
            let reference = variant.get("$ref").and_then(Value::as_str);
            let variant_name = names.get(&i).cloned().unwrap_or_else(|| kind_name(variant).to_owned());
            let tag = discriminator.as_ref().map(|prop| {
                reference
                    .and_then(|r| mapping.iter().find(|(_, target)| target == r).map(|(k, _)| k.clone()))
                    .or_else(|| {
                        variant
                            .get("properties")
                            .and_then(|p| p.get(prop))
                            .and_then(|p| p.get("enum").and_then(|e| e.get(0)).or_else(|| p.get("const")))
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                    })
                    .unwrap_or_else(|| reference.map_or_else(|| variant_name.clone(), ref_name_raw))
            });
            let lowered = self.lower_in_container(doc, &at(i), &format!("{union_name}{variant_name}"));
            let ty = self.recover(lowered);
            out.push(Variant { name: variant_name, tag, ty });
        }
        self.builder.set(id, TypeKind::Union(UnionDef { discriminator, variants: out }));
        Ok(if nullable { TypeRef::Named(id).nullable() } else { TypeRef::Named(id) })
    }

    /// `type: [string, integer, …]`: an untagged union of the listed types.
    fn lower_type_union(
        &mut self,
        doc: DocId,
        pointer: &str,
        obj: &Map<String, Value>,
        types: &[&str],
        name: &str,
    ) -> Result<TypeRef> {
        let key = (doc, pointer.to_owned());
        if let Some(&id) = self.named.get(&key) {
            return Ok(TypeRef::Named(id));
        }
        let (module, name) = self.place(doc, pointer, name);
        let origin = self.origin(doc, pointer);
        let id =
            self.builder.add_named(&module, name, origin, description(obj), TypeKind::Struct(StructDef::default()));
        let union_name = self.builder.model.get(id).name.clone();
        self.named.insert(key, id);
        let mut namer = Namer::new();
        let format = obj.get("format").and_then(Value::as_str);
        let mut variants = Vec::new();
        for ty in types {
            let variant_name = namer.claim(&naming::type_name(ty), "");
            self.containers += 1;
            let variant_type = format!("{union_name}{variant_name}");
            let has_properties = obj.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
            let lowered = if *ty == "object" && has_properties {
                self.lower_struct_as(doc, pointer, StructName::Variant(&variant_type)).map(TypeRef::Named)
            } else {
                self.lower_typed(doc, pointer, obj, ty, format, &variant_type)
            };
            self.containers -= 1;
            variants.push(Variant { name: variant_name, tag: None, ty: lowered? });
        }
        self.builder.set(id, TypeKind::Union(UnionDef { discriminator: None, variants }));
        Ok(TypeRef::Named(id))
    }
}

/// The discriminator value OpenAPI implies for a `$ref` variant: the definition's own name.
fn ref_name_raw(reference: &str) -> String {
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    pointer_tokens(fragment)
        .pop()
        .unwrap_or_else(|| file.rsplit('/').next().unwrap_or(file).split('.').next().unwrap_or(file).to_owned())
}

/// Whether a schema `default` can be decoded as the field's type; others are dropped.
fn default_fits(ty: &TypeRef, value: &Value, model: &crate::ir::Model) -> bool {
    match (ty, value) {
        (TypeRef::Nullable(_), Value::Null) => true,
        (TypeRef::Nullable(inner), v) => default_fits(inner, v, model),
        (TypeRef::Primitive(p), v) => match p {
            Primitive::String => v.is_string(),
            Primitive::Int32 => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            Primitive::Int64 => v.is_i64(),
            Primitive::UInt32 => v.as_u64().is_some_and(|n| u32::try_from(n).is_ok()),
            Primitive::UInt64 => v.is_u64(),
            Primitive::Float32 | Primitive::Float64 | Primitive::Decimal => v.is_number(),
            Primitive::Boolean => v.is_boolean(),
            Primitive::Any => true,
            // Formatted strings and bytes are checked by their own parsers; not worth a default.
            Primitive::Bytes
            | Primitive::Uuid
            | Primitive::Date
            | Primitive::DateTime
            | Primitive::Time
            | Primitive::LocalDateTime => false,
        },
        (TypeRef::List(item), Value::Array(items)) => items.iter().all(|v| default_fits(item, v, model)),
        (TypeRef::Map(values), Value::Object(map)) => map.values().all(|v| default_fits(values, v, model)),
        (TypeRef::Named(id), Value::String(s)) => match &model.get(*id).kind {
            TypeKind::Enum(e) => e.extensible || e.values.iter().any(|v| v.wire == *s),
            _ => false,
        },
        _ => false,
    }
}
