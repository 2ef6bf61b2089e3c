//! The model of a JSON Schema that Confluent's Schema Registry compares: the schema classes its
//! JSON Schema library builds (everit's `SchemaLoader`), because the registry's rules are written
//! against them. The mapping from keywords to classes decides many verdicts, so it follows the
//! loader's documented behaviour closely:
//!
//! - a schema object yields one schema per group of keywords found, in this order: `enum`, each
//!   of `allOf`/`anyOf`/`oneOf`, `not`, `const` (not in draft 04), `type` (an array of types is
//!   an `anyOf` of one schema per type), then, from the keywords no earlier group used, one
//!   schema per kind they belong to (array, object, number, string, and `if`/`then`/`else` from
//!   draft 07). Several schemas are joined in a synthetic `allOf`; none is the empty schema.
//!   So `{"type": "string", "enum": [...]}` is an `allOf` of an enum and a string schema, and
//!   `{"type": "integer", "format": "int64"}` an `allOf` of a number and a string schema.
//! - `$ref` replaces the whole object up to draft 07 (its siblings are not schemas); from draft
//!   2019-09 its siblings are joined with it in an `allOf`, as the registry's translation of
//!   those drafts does. Those drafts also rename keywords (`prefixItems`, `items` as the rest,
//!   `dependentRequired`, `dependentSchemas`) and ignore `format`.
//! - without `$schema` a schema is read as draft 07 (the registry's default); `default` is kept.
//!
//! Schemas reached through `$ref` are loaded when compared, so recursive schemas are finite.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use eventbind_build::diagnostic::Diagnostic;
use eventbind_build::json_schema::{DocId, Documents};
use eventbind_build::source::pointer_push;

/// Deeper nesting is refused rather than risking the stack.
const MAX_DEPTH: usize = 128;

/// A place in the documents: a document and a JSON pointer in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Node {
    pub doc: DocId,
    pub ptr: String,
}

impl Node {
    pub fn root(doc: DocId) -> Node {
        Node { doc, ptr: String::new() }
    }

    fn child(&self, token: &str) -> Node {
        Node { doc: self.doc, ptr: pointer_push(&self.ptr, token) }
    }
}

/// Index of a schema in a [`Model`].
pub(crate) type SchemaId = usize;

/// The keyword dialect, as the registry tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Dialect {
    Draft4,
    Draft6,
    Draft7,
    /// Draft 2019-09 and 2020-12.
    Modern,
}

impl Dialect {
    /// By the root's `$schema`; draft 07 without one.
    pub fn of(root: &Value) -> Dialect {
        match root.get("$schema").and_then(Value::as_str) {
            Some(uri) if uri.contains("draft-04") => Dialect::Draft4,
            Some(uri) if uri.contains("draft-06") => Dialect::Draft6,
            Some(uri) if uri.contains("2019-09") || uri.contains("2020-12") => Dialect::Modern,
            _ => Dialect::Draft7,
        }
    }

    fn array_keywords(self) -> &'static [&'static str] {
        match self {
            Dialect::Draft4 => &["items", "additionalItems", "minItems", "maxItems", "uniqueItems"],
            Dialect::Draft6 | Dialect::Draft7 => {
                &["items", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains"]
            }
            Dialect::Modern => &[
                "items",
                "prefixItems",
                "additionalItems",
                "minItems",
                "maxItems",
                "uniqueItems",
                "contains",
                "minContains",
                "maxContains",
                "unevaluatedItems",
            ],
        }
    }

    fn object_keywords(self) -> &'static [&'static str] {
        match self {
            Dialect::Draft4 => &[
                "properties",
                "required",
                "minProperties",
                "maxProperties",
                "dependencies",
                "patternProperties",
                "additionalProperties",
            ],
            Dialect::Draft6 | Dialect::Draft7 => &[
                "properties",
                "required",
                "minProperties",
                "maxProperties",
                "dependencies",
                "patternProperties",
                "additionalProperties",
                "propertyNames",
            ],
            Dialect::Modern => &[
                "properties",
                "required",
                "minProperties",
                "maxProperties",
                "dependencies",
                "dependentRequired",
                "dependentSchemas",
                "patternProperties",
                "additionalProperties",
                "propertyNames",
                "unevaluatedProperties",
            ],
        }
    }

    fn string_keywords(self) -> &'static [&'static str] {
        if self == Dialect::Modern {
            &["minLength", "maxLength", "pattern"]
        } else {
            &["minLength", "maxLength", "pattern", "format"]
        }
    }

    fn id_keyword(self) -> &'static str {
        if self == Dialect::Draft4 {
            "id"
        } else {
            "$id"
        }
    }
}

const NUMBER_KEYWORDS: &[&str] = &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
const CONDITIONAL_KEYWORDS: &[&str] = &["if", "then", "else"];

/// How a combined schema's subschemas must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Criterion {
    All,
    Any,
    One,
}

impl Criterion {
    pub fn keyword(self) -> &'static str {
        match self {
            Criterion::All => "allOf",
            Criterion::Any => "anyOf",
            Criterion::One => "oneOf",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct StringSchema {
    pub min_length: Option<f64>,
    pub max_length: Option<f64>,
    pub pattern: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct NumberSchema {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    /// The numeric `exclusiveMinimum` of draft 06 and later (draft 04's boolean form sets none).
    pub exclusive_minimum: Option<f64>,
    pub exclusive_maximum: Option<f64>,
    /// As written, for exact divisibility.
    pub multiple_of: Option<serde_json::Number>,
    pub requires_integer: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ObjectSchema {
    pub properties: Vec<(String, SchemaId)>,
    pub required: BTreeSet<String>,
    pub permits_additional: bool,
    pub additional: Option<SchemaId>,
    /// Regex source and schema, in document order.
    pub patterns: Vec<(String, SchemaId)>,
    pub min_properties: Option<f64>,
    pub max_properties: Option<f64>,
    pub property_dependencies: BTreeMap<String, BTreeSet<String>>,
    pub schema_dependencies: BTreeMap<String, SchemaId>,
}

impl ObjectSchema {
    pub fn property(&self, name: &str) -> Option<SchemaId> {
        self.properties.iter().find(|(n, _)| n == name).map(|(_, s)| *s)
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct ArraySchema {
    /// `items` as one schema for every item.
    pub all_items: Option<SchemaId>,
    /// `items` as a tuple (`prefixItems` from 2020-12).
    pub tuple: Option<Vec<SchemaId>>,
    pub permits_additional: bool,
    pub additional: Option<SchemaId>,
    pub min_items: Option<f64>,
    pub max_items: Option<f64>,
    pub unique: bool,
    /// `unevaluatedItems` (read as a schema from draft 2019-09 only).
    pub unevaluated: Option<SchemaId>,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// `{}`: anything.
    Empty,
    /// `true`: anything (a kind of empty schema to the registry).
    True,
    /// `false`: nothing.
    False,
    Null,
    Boolean,
    String(StringSchema),
    Number(NumberSchema),
    Enum(Vec<Value>),
    Const(Value),
    Combined(Criterion, Vec<SchemaId>),
    Not(SchemaId),
    Object(ObjectSchema),
    Array(ArraySchema),
    /// A `$ref`, by the place it leads to.
    Ref(Node),
    /// `if`/`then`/`else`, which the registry does not compare.
    Conditional,
}

impl Kind {
    /// The class name, for "the type changed" decisions: classes compare equal when they are
    /// the same, both combined, or both empty (`{}` and `true`).
    pub fn class(&self) -> &'static str {
        match self {
            Kind::Empty | Kind::True => "empty",
            Kind::False => "false",
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::String(_) => "string",
            Kind::Number(_) => "number",
            Kind::Enum(_) => "enum",
            Kind::Const(_) => "const",
            Kind::Combined(..) => "combined",
            Kind::Not(_) => "not",
            Kind::Object(_) => "object",
            Kind::Array(_) => "array",
            Kind::Ref(_) => "ref",
            Kind::Conditional => "conditional",
        }
    }

    pub fn is_empty_schema(&self) -> bool {
        matches!(self, Kind::Empty | Kind::True)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Schema {
    /// Where the keywords it came from are.
    pub node: Node,
    pub kind: Kind,
    pub id: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub default: Option<Value>,
    /// Keywords no group used (where `minContains` and `maxContains` live up to draft 07).
    pub unprocessed: Map<String, Value>,
}

impl Schema {
    fn new(node: Node, kind: Kind) -> Schema {
        Schema { node, kind, id: None, title: None, description: None, default: None, unprocessed: Map::new() }
    }
}

/// The schemas of one side of a comparison.
pub(crate) struct Model<'a, 'c> {
    docs: &'a mut Documents<'c>,
    pub dialect: Dialect,
    arena: Vec<Schema>,
    memo: HashMap<Node, SchemaId>,
    pub problems: Vec<Diagnostic>,
}

impl<'a, 'c> Model<'a, 'c> {
    /// A model whose dialect is the one of `root`'s document.
    pub fn new(docs: &'a mut Documents<'c>, root: DocId) -> Self {
        let dialect = Dialect::of(&docs.root(root));
        Model { docs, dialect, arena: Vec::new(), memo: HashMap::new(), problems: Vec::new() }
    }

    pub fn docs(&self) -> &Documents<'c> {
        self.docs
    }

    pub fn get(&self, id: SchemaId) -> &Schema {
        &self.arena[id]
    }

    /// The schema at `node`, loaded once.
    pub fn load(&mut self, node: &Node) -> SchemaId {
        self.load_at(node, 0)
    }

    /// Follows `$ref`s from `id` to the schema they lead to.
    pub fn resolve(&mut self, mut id: SchemaId) -> SchemaId {
        for _ in 0..32 {
            let Kind::Ref(target) = &self.arena[id].kind else { return id };
            let target = target.clone();
            id = self.load(&target);
        }
        id
    }

    fn push(&mut self, schema: Schema) -> SchemaId {
        self.arena.push(schema);
        self.arena.len() - 1
    }

    fn load_at(&mut self, node: &Node, depth: usize) -> SchemaId {
        if let Some(id) = self.memo.get(node) {
            return *id;
        }
        let id = if depth > MAX_DEPTH {
            let d = self.docs.get(node.doc).diagnostic(
                &node.ptr,
                format!("the schema nests deeper than {MAX_DEPTH} levels; eventbind stops here"),
            );
            self.problems.push(d);
            self.push(Schema::new(node.clone(), Kind::Empty))
        } else {
            let value = self.docs.root(node.doc).pointer(&node.ptr).cloned().unwrap_or(Value::Null);
            match value {
                Value::Bool(true) => self.push(Schema::new(node.clone(), Kind::True)),
                Value::Bool(false) => self.push(Schema::new(node.clone(), Kind::False)),
                Value::Object(obj) => self.load_object(node, &obj, depth),
                _ => {
                    let d = self.docs.get(node.doc).diagnostic(&node.ptr, "a schema must be an object or a boolean");
                    self.problems.push(d);
                    self.push(Schema::new(node.clone(), Kind::Empty))
                }
            }
        };
        self.memo.insert(node.clone(), id);
        id
    }

    fn reference(&mut self, node: &Node, reference: &str) -> Option<Node> {
        match self.docs.resolve(node.doc, &pointer_push(&node.ptr, "$ref"), reference) {
            Ok((doc, ptr)) => Some(Node { doc, ptr }),
            Err(d) => {
                self.problems.push(d);
                None
            }
        }
    }

    fn load_object(&mut self, node: &Node, obj: &Map<String, Value>, depth: usize) -> SchemaId {
        let dialect = self.dialect;
        let mut used: BTreeSet<String> = BTreeSet::new();
        let mut found: Vec<SchemaId> = Vec::new();
        let reference = obj.get("$ref").and_then(Value::as_str).map(str::to_owned);
        if let Some(reference) = &reference {
            used.insert("$ref".into());
            if let Some(target) = self.reference(node, reference) {
                found.push(self.push(Schema::new(node.clone(), Kind::Ref(target))));
            }
        }
        // Up to draft 07 a `$ref` is the whole schema; its siblings are only annotations.
        if reference.is_none() || dialect == Dialect::Modern {
            self.extract(node, obj, depth, &mut used, &mut found);
        }
        let id = match found.len() {
            0 => self.push(Schema::new(node.clone(), Kind::Empty)),
            1 => found[0],
            _ => self.push(Schema::new(node.clone(), Kind::Combined(Criterion::All, found))),
        };
        // The common properties go to the schema the object became.
        let schema = &mut self.arena[id];
        let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
        schema.id = text(dialect.id_keyword());
        schema.title = text("title");
        schema.description = text("description");
        schema.default = obj.get("default").cloned();
        for k in [dialect.id_keyword(), "title", "description", "default", "examples"] {
            used.insert(k.into());
        }
        if dialect >= Dialect::Draft7 {
            used.insert("readOnly".into());
            used.insert("writeOnly".into());
        }
        schema.unprocessed.extend(obj.iter().filter(|(k, _)| !used.contains(*k)).map(|(k, v)| (k.clone(), v.clone())));
        id
    }

    /// The keyword groups of a schema object, in the loader's order.
    fn extract(
        &mut self,
        node: &Node,
        obj: &Map<String, Value>,
        depth: usize,
        used: &mut BTreeSet<String>,
        found: &mut Vec<SchemaId>,
    ) {
        let dialect = self.dialect;
        if let Some(values) = obj.get("enum") {
            used.insert("enum".into());
            let values = values.as_array().cloned().unwrap_or_default();
            found.push(self.push(Schema::new(node.clone(), Kind::Enum(values))));
        }
        for criterion in [Criterion::All, Criterion::Any, Criterion::One] {
            let key = criterion.keyword();
            if let Some(members) = obj.get(key) {
                used.insert(key.into());
                let count = members.as_array().map_or(0, Vec::len);
                let subs =
                    (0..count).map(|i| self.load_at(&node.child(key).child(&i.to_string()), depth + 1)).collect();
                found.push(self.push(Schema::new(node.child(key), Kind::Combined(criterion, subs))));
            }
        }
        if obj.contains_key("not") {
            used.insert("not".into());
            let inner = self.load_at(&node.child("not"), depth + 1);
            found.push(self.push(Schema::new(node.child("not"), Kind::Not(inner))));
        }
        if dialect != Dialect::Draft4 {
            if let Some(value) = obj.get("const") {
                used.insert("const".into());
                found.push(self.push(Schema::new(node.clone(), Kind::Const(value.clone()))));
            }
        }
        match obj.get("type") {
            Some(Value::String(t)) => {
                used.insert("type".into());
                if let Some(id) = self.for_type(t, node, obj, depth, used) {
                    found.push(id);
                }
            }
            Some(Value::Array(types)) => {
                used.insert("type".into());
                let subs: Vec<SchemaId> = types
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(|t| self.for_type(t, node, obj, depth, used))
                    .collect();
                found.push(self.push(Schema::new(node.clone(), Kind::Combined(Criterion::Any, subs))));
            }
            _ => {}
        }
        // Keywords no earlier group used imply the kinds they belong to.
        let unused =
            |keys: &[&str], used: &BTreeSet<String>| keys.iter().any(|k| obj.contains_key(*k) && !used.contains(*k));
        if unused(dialect.array_keywords(), used) {
            found.push(self.array(node, obj, depth, used));
        }
        if unused(dialect.object_keywords(), used) {
            found.push(self.object(node, obj, depth, used));
        }
        if unused(NUMBER_KEYWORDS, used) {
            found.push(self.number(node, obj, false, used));
        }
        if unused(dialect.string_keywords(), used) {
            found.push(self.string(node, obj, used));
        }
        if dialect >= Dialect::Draft7 && unused(CONDITIONAL_KEYWORDS, used) {
            for k in CONDITIONAL_KEYWORDS {
                used.insert((*k).into());
            }
            found.push(self.push(Schema::new(node.clone(), Kind::Conditional)));
        }
    }

    fn for_type(
        &mut self,
        t: &str,
        node: &Node,
        obj: &Map<String, Value>,
        depth: usize,
        used: &mut BTreeSet<String>,
    ) -> Option<SchemaId> {
        Some(match t {
            "string" => self.string(node, obj, used),
            "integer" => self.number(node, obj, true, used),
            "number" => self.number(node, obj, false, used),
            "boolean" => self.push(Schema::new(node.clone(), Kind::Boolean)),
            "null" => self.push(Schema::new(node.clone(), Kind::Null)),
            "array" => self.array(node, obj, depth, used),
            "object" => self.object(node, obj, depth, used),
            other => {
                let d = self
                    .docs
                    .get(node.doc)
                    .diagnostic(&pointer_push(&node.ptr, "type"), format!("unknown type `{other}`"));
                self.problems.push(d);
                return None;
            }
        })
    }

    fn string(&mut self, node: &Node, obj: &Map<String, Value>, used: &mut BTreeSet<String>) -> SchemaId {
        for k in self.dialect.string_keywords() {
            used.insert((*k).into());
        }
        let s = StringSchema {
            min_length: obj.get("minLength").and_then(Value::as_f64),
            max_length: obj.get("maxLength").and_then(Value::as_f64),
            pattern: obj.get("pattern").and_then(Value::as_str).map(str::to_owned),
        };
        self.push(Schema::new(node.clone(), Kind::String(s)))
    }

    fn number(
        &mut self,
        node: &Node,
        obj: &Map<String, Value>,
        integer: bool,
        used: &mut BTreeSet<String>,
    ) -> SchemaId {
        for k in NUMBER_KEYWORDS {
            used.insert((*k).into());
        }
        // Draft 04's boolean `exclusiveMinimum` only qualifies `minimum`; it is no limit of its own.
        let limit = |k: &str| obj.get(k).filter(|v| v.is_number()).and_then(Value::as_f64);
        let n = NumberSchema {
            minimum: obj.get("minimum").and_then(Value::as_f64),
            maximum: obj.get("maximum").and_then(Value::as_f64),
            exclusive_minimum: if self.dialect == Dialect::Draft4 { None } else { limit("exclusiveMinimum") },
            exclusive_maximum: if self.dialect == Dialect::Draft4 { None } else { limit("exclusiveMaximum") },
            multiple_of: obj.get("multipleOf").and_then(|v| v.as_number().cloned()),
            requires_integer: integer,
        };
        self.push(Schema::new(node.clone(), Kind::Number(n)))
    }

    fn object(&mut self, node: &Node, obj: &Map<String, Value>, depth: usize, used: &mut BTreeSet<String>) -> SchemaId {
        for k in self.dialect.object_keywords() {
            used.insert((*k).into());
        }
        let mut o = ObjectSchema { permits_additional: true, ..ObjectSchema::default() };
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for name in props.keys() {
                let id = self.load_at(&node.child("properties").child(name), depth + 1);
                o.properties.push((name.clone(), id));
            }
        }
        match obj.get("additionalProperties") {
            Some(Value::Bool(b)) => o.permits_additional = *b,
            Some(Value::Object(_)) => o.additional = Some(self.load_at(&node.child("additionalProperties"), depth + 1)),
            _ => {}
        }
        if let Some(names) = obj.get("required").and_then(Value::as_array) {
            o.required = names.iter().filter_map(Value::as_str).map(str::to_owned).collect();
        }
        if let Some(patterns) = obj.get("patternProperties").and_then(Value::as_object) {
            for pattern in patterns.keys() {
                let id = self.load_at(&node.child("patternProperties").child(pattern), depth + 1);
                o.patterns.push((pattern.clone(), id));
            }
        }
        o.min_properties = obj.get("minProperties").and_then(Value::as_f64);
        o.max_properties = obj.get("maxProperties").and_then(Value::as_f64);
        let dependencies = |key: &str, this: &mut Self, o: &mut ObjectSchema| {
            let Some(deps) = obj.get(key).and_then(Value::as_object) else { return };
            for (name, dep) in deps {
                match dep {
                    Value::Array(names) => {
                        let names = names.iter().filter_map(Value::as_str).map(str::to_owned);
                        o.property_dependencies.entry(name.clone()).or_default().extend(names);
                    }
                    _ => {
                        let id = this.load_at(&node.child(key).child(name), depth + 1);
                        o.schema_dependencies.insert(name.clone(), id);
                    }
                }
            }
        };
        dependencies("dependencies", self, &mut o);
        if self.dialect == Dialect::Modern {
            dependencies("dependentRequired", self, &mut o);
            dependencies("dependentSchemas", self, &mut o);
        }
        self.push(Schema::new(node.clone(), Kind::Object(o)))
    }

    fn array(&mut self, node: &Node, obj: &Map<String, Value>, depth: usize, used: &mut BTreeSet<String>) -> SchemaId {
        for k in self.dialect.array_keywords() {
            used.insert((*k).into());
        }
        let mut a = ArraySchema { permits_additional: true, ..ArraySchema::default() };
        let tuple = |this: &mut Self, key: &str, items: &[Value]| -> Vec<SchemaId> {
            (0..items.len()).map(|i| this.load_at(&node.child(key).child(&i.to_string()), depth + 1)).collect()
        };
        // The schema for items past the tuple: `additionalItems`, or `items` beside `prefixItems`.
        let rest = |this: &mut Self, key: &str, a: &mut ArraySchema| match obj.get(key) {
            Some(Value::Bool(b)) => a.permits_additional = *b,
            Some(Value::Object(_)) => a.additional = Some(this.load_at(&node.child(key), depth + 1)),
            _ => {}
        };
        match (obj.get("prefixItems"), self.dialect) {
            (Some(Value::Array(items)), Dialect::Modern) => {
                a.tuple = Some(tuple(self, "prefixItems", items));
                rest(self, "items", &mut a);
            }
            _ => {
                rest(self, "additionalItems", &mut a);
                match obj.get("items") {
                    Some(Value::Array(items)) => a.tuple = Some(tuple(self, "items", items)),
                    Some(Value::Object(_) | Value::Bool(_)) => {
                        a.all_items = Some(self.load_at(&node.child("items"), depth + 1))
                    }
                    _ => {}
                }
            }
        }
        a.min_items = obj.get("minItems").and_then(Value::as_f64);
        a.max_items = obj.get("maxItems").and_then(Value::as_f64);
        a.unique = obj.get("uniqueItems") == Some(&Value::Bool(true));
        let mut schema = Schema::new(node.clone(), Kind::Array(a));
        if self.dialect == Dialect::Modern {
            // The translation of those drafts keeps `contains`'s bounds with the array, with
            // `minContains` 1 when not written, and reads `unevaluatedItems` as a schema.
            if obj.contains_key("contains") {
                let min = obj.get("minContains").cloned().unwrap_or(Value::from(1));
                schema.unprocessed.insert("minContains".into(), min);
                if let Some(max) = obj.get("maxContains") {
                    schema.unprocessed.insert("maxContains".into(), max.clone());
                }
            }
            if obj.contains_key("unevaluatedItems") {
                let id = self.load_at(&node.child("unevaluatedItems"), depth + 1);
                if let Kind::Array(a) = &mut schema.kind {
                    a.unevaluated = Some(id);
                }
            }
        }
        self.push(schema)
    }
}
