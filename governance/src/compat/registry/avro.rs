//! Avro compatibility as Confluent's Schema Registry decides it: Avro's schema resolution as the
//! Java library applies it (`SchemaCompatibility.checkReaderWriterCompatibility`), with the
//! reader's schema against the writer's. The rules:
//! - types must match, or the writer's promote to the reader's (`int` → `long`, `float`,
//!   `double`; `long` → `float`, `double`; `float` → `double`; `string` ⇄ `bytes`);
//!   logical types are not compared, only the types under them;
//! - named types must have the same name without namespace, or the reader an alias naming the
//!   writer's full name; fixed types the same size;
//! - a reader enum must have every writer symbol, unless it has a default symbol;
//! - every reader field must be in the writer's record (by name or one of the reader field's
//!   aliases) or have a default;
//! - every branch of a writer union must be readable; a writer type read by a reader union must
//!   match one of its branches.
//!
//! The differences keep the Java library's incompatibility names (`READER_FIELD_MISSING_DEFAULT_VALUE`).

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{Difference, RegistryCheck};
use crate::compat::avro::AvroSource;
use eventbind_build::diagnostic::{Diagnostic, Error, Location};
use eventbind_build::source::pointer_push;

#[derive(Debug, Clone)]
enum Type {
    Primitive(&'static str),
    Array(usize),
    Map(usize),
    Union(Vec<usize>),
    Record {
        name: Name,
        fields: Vec<Field>,
    },
    Enum {
        name: Name,
        symbols: Vec<String>,
        default: Option<String>,
    },
    Fixed {
        name: Name,
        size: u64,
    },
    /// A reference to a named type, by full name.
    Named(String),
}

#[derive(Debug, Clone)]
struct Name {
    full: String,
    simple: String,
    /// Full names.
    aliases: Vec<String>,
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    aliases: Vec<String>,
    has_default: bool,
    ty: usize,
    pointer: String,
}

#[derive(Debug, Clone)]
struct Node {
    ty: Type,
    pointer: String,
}

/// One schema, parsed into nodes with named types indexed by full name.
struct Parsed<'s> {
    src: &'s AvroSource,
    nodes: Vec<Node>,
    named: HashMap<String, usize>,
    root: usize,
}

const PRIMITIVES: &[&str] = &["null", "boolean", "int", "long", "float", "double", "bytes", "string"];

impl<'s> Parsed<'s> {
    fn new(src: &'s AvroSource) -> Result<Parsed<'s>, Error> {
        let value: Value = serde_json::from_str(&src.text).map_err(|e| {
            Diagnostic::new(
                Location { file: src.shown.clone(), pointer: None, line_col: Some((e.line(), e.column())) },
                format!("invalid JSON: {e}"),
            )
        })?;
        let mut parsed = Parsed { src, nodes: Vec::new(), named: HashMap::new(), root: 0 };
        parsed.root = parsed.parse(&value, "", "", 0)?;
        Ok(parsed)
    }

    fn error(&self, pointer: &str, message: &str) -> Error {
        Diagnostic::new(Location::at(&self.src.shown, pointer), message).locate_in(&self.src.text).into()
    }

    fn push(&mut self, ty: Type, pointer: &str) -> usize {
        self.nodes.push(Node { ty, pointer: pointer.to_owned() });
        self.nodes.len() - 1
    }

    fn full_name(name: &str, namespace: &str) -> String {
        if name.contains('.') || namespace.is_empty() {
            name.to_owned()
        } else {
            format!("{namespace}.{name}")
        }
    }

    fn parse(&mut self, value: &Value, pointer: &str, namespace: &str, depth: usize) -> Result<usize, Error> {
        if depth > 128 {
            return Err(self.error(pointer, "the Avro schema nests deeper than 128 levels"));
        }
        match value {
            Value::String(s) => Ok(match PRIMITIVES.iter().find(|p| **p == s) {
                Some(p) => self.push(Type::Primitive(p), pointer),
                None => {
                    let full = Self::full_name(s, namespace);
                    let full = if self.named.contains_key(&full) { full } else { s.clone() };
                    self.push(Type::Named(full), pointer)
                }
            }),
            Value::Array(branches) => {
                let mut ids = Vec::new();
                for (i, b) in branches.iter().enumerate() {
                    ids.push(self.parse(b, &pointer_push(pointer, &i.to_string()), namespace, depth + 1)?);
                }
                Ok(self.push(Type::Union(ids), pointer))
            }
            Value::Object(obj) => {
                let ty = obj.get("type").ok_or_else(|| self.error(pointer, "an Avro schema object needs `type`"))?;
                let Value::String(t) = ty else {
                    return self.parse(ty, &pointer_push(pointer, "type"), namespace, depth + 1);
                };
                let name = |this: &Self| -> Result<Name, Error> {
                    let simple = obj
                        .get("name")
                        .and_then(Value::as_str)
                        .ok_or_else(|| this.error(pointer, "a named Avro type needs `name`"))?;
                    let space = obj.get("namespace").and_then(Value::as_str).unwrap_or(namespace);
                    let full = Self::full_name(simple, space);
                    let own_space = full.rsplit_once('.').map(|(ns, _)| ns.to_owned()).unwrap_or_default();
                    let aliases = obj
                        .get("aliases")
                        .and_then(Value::as_array)
                        .map(|a| a.iter().filter_map(Value::as_str).map(|s| Self::full_name(s, &own_space)).collect())
                        .unwrap_or_default();
                    let simple = full.rsplit('.').next().unwrap_or(&full).to_owned();
                    Ok(Name { full, simple, aliases })
                };
                match t.as_str() {
                    "record" | "error" => {
                        let name = name(self)?;
                        let own_space = name.full.rsplit_once('.').map(|(ns, _)| ns.to_owned()).unwrap_or_default();
                        let id = self.push(Type::Record { name: name.clone(), fields: Vec::new() }, pointer);
                        self.named.insert(name.full.clone(), id);
                        let mut fields = Vec::new();
                        let list = obj.get("fields").and_then(Value::as_array).cloned().unwrap_or_default();
                        for (i, f) in list.iter().enumerate() {
                            let at = pointer_push(&pointer_push(pointer, "fields"), &i.to_string());
                            let field_name = f
                                .get("name")
                                .and_then(Value::as_str)
                                .ok_or_else(|| self.error(&at, "a record field needs `name`"))?
                                .to_owned();
                            let ty = f.get("type").ok_or_else(|| self.error(&at, "a record field needs `type`"))?;
                            let ty = self.parse(ty, &pointer_push(&at, "type"), &own_space, depth + 1)?;
                            let aliases = f
                                .get("aliases")
                                .and_then(Value::as_array)
                                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                                .unwrap_or_default();
                            fields.push(Field {
                                name: field_name,
                                aliases,
                                has_default: f.get("default").is_some(),
                                ty,
                                pointer: at,
                            });
                        }
                        self.nodes[id].ty = Type::Record { name, fields };
                        Ok(id)
                    }
                    "enum" => {
                        let name = name(self)?;
                        let symbols = obj
                            .get("symbols")
                            .and_then(Value::as_array)
                            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                            .unwrap_or_default();
                        let default = obj.get("default").and_then(Value::as_str).map(str::to_owned);
                        let full = name.full.clone();
                        let id = self.push(Type::Enum { name, symbols, default }, pointer);
                        self.named.insert(full, id);
                        Ok(id)
                    }
                    "fixed" => {
                        let name = name(self)?;
                        let size = obj.get("size").and_then(Value::as_u64).unwrap_or(0);
                        let full = name.full.clone();
                        let id = self.push(Type::Fixed { name, size }, pointer);
                        self.named.insert(full, id);
                        Ok(id)
                    }
                    "array" => {
                        let items =
                            obj.get("items").ok_or_else(|| self.error(pointer, "an Avro array needs `items`"))?;
                        let items = self.parse(items, &pointer_push(pointer, "items"), namespace, depth + 1)?;
                        Ok(self.push(Type::Array(items), pointer))
                    }
                    "map" => {
                        let values =
                            obj.get("values").ok_or_else(|| self.error(pointer, "an Avro map needs `values`"))?;
                        let values = self.parse(values, &pointer_push(pointer, "values"), namespace, depth + 1)?;
                        Ok(self.push(Type::Map(values), pointer))
                    }
                    // A primitive, possibly under a logical type, which the check does not see.
                    other => self.parse(&Value::String(other.to_owned()), pointer, namespace, depth + 1),
                }
            }
            _ => Err(self.error(pointer, "not an Avro schema")),
        }
    }

    /// Follows named references.
    fn resolve(&self, mut id: usize) -> usize {
        for _ in 0..64 {
            match &self.nodes[id].ty {
                Type::Named(full) => match self.named.get(full) {
                    Some(target) => id = *target,
                    None => return id,
                },
                _ => return id,
            }
        }
        id
    }

    fn kind(&self, id: usize) -> &'static str {
        match &self.nodes[id].ty {
            Type::Primitive(p) => p,
            Type::Array(_) => "array",
            Type::Map(_) => "map",
            Type::Union(_) => "union",
            Type::Record { .. } => "record",
            Type::Enum { .. } => "enum",
            Type::Fixed { .. } => "fixed",
            Type::Named(_) => "named",
        }
    }
}

struct Checker<'p, 's> {
    reader: &'p Parsed<'s>,
    writer: &'p Parsed<'s>,
    memo: HashMap<(usize, usize), bool>,
    in_progress: HashSet<(usize, usize)>,
    /// Rule, path, and the reader's and the writer's node.
    found: Vec<(&'static str, String, usize, usize)>,
}

impl Checker<'_, '_> {
    /// Whether the reader type reads the writer type; records why not.
    fn check(&mut self, r: usize, w: usize, path: &str) -> bool {
        let (r, w) = (self.reader.resolve(r), self.writer.resolve(w));
        if let Some(ok) = self.memo.get(&(r, w)) {
            return *ok;
        }
        // A recursive type met again is assumed readable, as the Java library does.
        if !self.in_progress.insert((r, w)) {
            return true;
        }
        let ok = self.calculate(r, w, path);
        self.in_progress.remove(&(r, w));
        self.memo.insert((r, w), ok);
        ok
    }

    fn fail(&mut self, rule: &'static str, path: &str, r: usize, w: usize) -> bool {
        self.found.push((rule, path.to_owned(), r, w));
        false
    }

    fn calculate(&mut self, r: usize, w: usize, path: &str) -> bool {
        let (rk, wk) = (self.reader.kind(r), self.writer.kind(w));
        let (rt, wt) = (self.reader.nodes[r].ty.clone(), self.writer.nodes[w].ty.clone());
        if rk == wk {
            return match (rt, wt) {
                (Type::Array(a), Type::Array(b)) => self.check(a, b, &format!("{path}/items")),
                (Type::Map(a), Type::Map(b)) => self.check(a, b, &format!("{path}/values")),
                (Type::Fixed { name: a, size: x }, Type::Fixed { name: b, size: y }) => {
                    let names = self.names(&a, &b, path, (r, w));
                    let size = x == y || self.fail("FIXED_SIZE_MISMATCH", &format!("{path}/size"), r, w);
                    names && size
                }
                (Type::Enum { name: a, symbols: rs, default }, Type::Enum { name: b, symbols: ws, .. }) => {
                    let names = self.names(&a, &b, path, (r, w));
                    let missing = ws.iter().any(|s| !rs.contains(s));
                    let readable_default = default.as_ref().is_some_and(|d| rs.contains(d));
                    let symbols = !missing
                        || readable_default
                        || self.fail("MISSING_ENUM_SYMBOLS", &format!("{path}/symbols"), r, w);
                    names && symbols
                }
                (Type::Record { name: a, fields: rf }, Type::Record { name: b, fields: wf }) => {
                    let mut ok = self.names(&a, &b, path, (r, w));
                    for field in &rf {
                        let at = format!("{path}/fields/{}", field.name);
                        let writer_field = wf
                            .iter()
                            .find(|f| f.name == field.name)
                            .or_else(|| field.aliases.iter().find_map(|alias| wf.iter().find(|f| &f.name == alias)));
                        match writer_field {
                            Some(wfield) => ok &= self.check(field.ty, wfield.ty, &format!("{at}/type")),
                            None if field.has_default => {}
                            None => {
                                let field_node = self.field_node(field);
                                ok &= self.fail("READER_FIELD_MISSING_DEFAULT_VALUE", &at, field_node, w);
                            }
                        }
                    }
                    ok
                }
                (Type::Union(_), Type::Union(wb)) => {
                    let mut ok = true;
                    for (i, branch) in wb.iter().enumerate() {
                        if !self.check(r, *branch, &format!("{path}/{i}")) {
                            ok = self.fail("MISSING_UNION_BRANCH", &format!("{path}/{i}"), r, *branch) && ok;
                        }
                    }
                    ok
                }
                _ => true,
            };
        }
        if let Type::Union(wb) = &wt {
            let mut ok = true;
            for (i, branch) in wb.iter().enumerate() {
                ok &= self.check(r, *branch, &format!("{path}/{i}"));
            }
            return ok;
        }
        let promotes = matches!(
            (rk, wk),
            ("long", "int")
                | ("float", "int" | "long")
                | ("double", "int" | "long" | "float")
                | ("bytes", "string")
                | ("string", "bytes")
        );
        if promotes {
            return true;
        }
        if let Type::Union(rb) = &rt {
            // Trial checks of the branches leave no findings behind.
            for branch in rb {
                let saved = self.found.len();
                let readable = self.check(*branch, w, path);
                self.found.truncate(saved);
                if readable {
                    return true;
                }
            }
            return self.fail("MISSING_UNION_BRANCH", path, r, w);
        }
        self.fail("TYPE_MISMATCH", path, r, w)
    }

    fn names(&mut self, reader: &Name, writer: &Name, path: &str, (r, w): (usize, usize)) -> bool {
        reader.simple == writer.simple
            || reader.aliases.contains(&writer.full)
            || self.fail("NAME_MISMATCH", &format!("{path}/name"), r, w)
    }

    /// The node a reader field's findings are shown at.
    fn field_node(&self, field: &Field) -> usize {
        self.reader.nodes.iter().position(|n| n.pointer == field.pointer).unwrap_or(field.ty)
    }
}

fn run(reader: &Parsed<'_>, writer: &Parsed<'_>, reader_is_new: bool) -> Vec<Difference> {
    let mut checker = Checker { reader, writer, memo: HashMap::new(), in_progress: HashSet::new(), found: Vec::new() };
    checker.check(reader.root, writer.root, "");
    let mut out: Vec<Difference> = checker
        .found
        .into_iter()
        .map(|(rule, path, r, w)| {
            // Shown in NEW: the reader's place for BACKWARD, the writer's for FORWARD.
            let (side, node) = if reader_is_new { (reader, r) } else { (writer, w) };
            let pointer = side.nodes.get(node).map(|n| n.pointer.clone()).unwrap_or_default();
            let d = Diagnostic::new(Location::at(&side.src.shown, pointer), "").locate_in(&side.src.text);
            Difference {
                rule,
                path: if path.is_empty() { "/".into() } else { path },
                compatible: false,
                location: d.location,
                source_line: d.source_line,
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.path, a.rule).cmp(&(&b.path, b.rule)));
    out.dedup_by(|a, b| a.path == b.path && a.rule == b.rule);
    out
}

/// The registry's verdicts between two versions of an Avro schema.
pub fn check(old: &AvroSource, new: &AvroSource) -> Result<RegistryCheck, Error> {
    let (old, new) = (Parsed::new(old)?, Parsed::new(new)?);
    Ok(RegistryCheck { backward: run(&new, &old, true), forward: run(&old, &new, false) })
}
