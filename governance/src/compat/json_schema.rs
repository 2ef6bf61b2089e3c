//! JSON Schema diff: walks two versions of a schema side by side, following `$ref`s inside the
//! catalog, and names every change (see [`ChangeKind`]). A definition reached twice is compared
//! once, so recursive schemas terminate and shared types are reported at their first use.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::compat::{normalize, Change, ChangeKind};
use eventbind_build::catalog::{Catalog, EventType};
use eventbind_build::diagnostic::{Diagnostic, Error, Location};
use eventbind_build::json_schema::{open_event_schema, DocId, Documents, Draft};
use eventbind_build::source::pointer_push;

/// Deeper nesting (counting `$ref` hops) is refused rather than risking the stack.
const MAX_DEPTH: usize = 128;

/// Keywords compared by a dedicated rule; any other keyword that differs is `KEYWORD_CHANGED`
/// (or an annotation, for `x-` extensions).
const HANDLED: &[&str] = &[
    "type",
    "nullable",
    "title",
    "description",
    "examples",
    "example",
    "$comment",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$schema",
    "$id",
    "id",
    "$ref",
    "$anchor",
    "$dynamicAnchor",
    "definitions",
    "$defs",
    "default",
    "format",
    "maxLength",
    "minLength",
    "pattern",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "multipleOf",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "minProperties",
    "maxProperties",
    "propertyNames",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "items",
    "prefixItems",
    "additionalItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "enum",
    "x-extensible-enum",
    "const",
    "allOf",
    "anyOf",
    "oneOf",
    "discriminator",
    "not",
    "if",
    "then",
    "else",
];

/// Diffs two bare schema files (`eventbind diff OLD NEW`); `$ref`s stay inside each file.
pub fn diff_json_schema_files(old: &Path, new: &Path) -> Result<Vec<Change>, Error> {
    let old_catalog = bare_catalog(old)?;
    let new_catalog = bare_catalog(new)?;
    let mut old_docs = Documents::new(&old_catalog);
    let mut new_docs = Documents::new(&new_catalog);
    let open = |docs: &mut Documents<'_>, catalog: &Catalog| {
        let path = catalog.files.keys().next().cloned().unwrap_or_default();
        docs.open_file(&path, None)
    };
    let old_doc = open(&mut old_docs, &old_catalog)?;
    let new_doc = open(&mut new_docs, &new_catalog)?;
    let mut differ = Differ::new(&mut old_docs, &mut new_docs);
    differ.compare(Node::root(old_doc), Node::root(new_doc), "", 0);
    differ.finish()
}

/// A catalog of one file, held in memory, shown by the path the user gave.
pub(crate) fn bare_catalog(path: &Path) -> Result<Catalog, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    let name = path.file_name().map(std::path::PathBuf::from).unwrap_or_default();
    let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let catalog = Catalog::load_in_memory(&folder, vec![(name, bytes)])?;
    if catalog.files.is_empty() {
        return Err(Diagnostic::new(Location::file(path), "not a .json, .yaml or .yml file")
            .help("JSON Schema files are read by their extension; use --message for .proto and .avsc for Avro")
            .into());
    }
    Ok(catalog)
}

/// Diffs the payload schemas of one event type in two catalogs.
pub fn diff_catalog_schemas<'c>(
    old_docs: &mut Documents<'c>,
    old: &EventType,
    new_docs: &mut Documents<'c>,
    new: &EventType,
) -> Result<Vec<Change>, Error> {
    let (old_doc, ..) = open_event_schema(old_docs, old)?;
    let (new_doc, ..) = open_event_schema(new_docs, new)?;
    let mut differ = Differ::new(old_docs, new_docs);
    differ.compare(Node::root(old_doc), Node::root(new_doc), "", 0);
    differ.finish()
}

/// A schema's place: a document and a JSON pointer in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Node {
    doc: DocId,
    ptr: String,
}

impl Node {
    fn root(doc: DocId) -> Node {
        Node { doc, ptr: String::new() }
    }

    fn child(&self, token: &str) -> Node {
        Node { doc: self.doc, ptr: pointer_push(&self.ptr, token) }
    }
}

/// A schema after following `$ref`s: its value (with the referring schemas' sibling keywords
/// laid over it) and where it lives.
struct Resolved {
    node: Node,
    value: Value,
    /// The last `$ref` followed, if any.
    via_ref: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

struct Differ<'a, 'c> {
    old: &'a mut Documents<'c>,
    new: &'a mut Documents<'c>,
    changes: Vec<Change>,
    visited: HashSet<(Node, Node)>,
    problems: Vec<Diagnostic>,
    /// Documents whose root definitions were compared.
    definitions_done: HashSet<(DocId, DocId)>,
}

/// The content model of an object schema.
enum Model {
    Open,
    Closed,
    /// `additionalProperties` is a schema, or `patternProperties` decide.
    Partial,
}

fn model(obj: &Map<String, Value>) -> Model {
    let patterns = obj.get("patternProperties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
    match obj.get("additionalProperties") {
        Some(Value::Bool(false)) if !patterns => Model::Closed,
        Some(Value::Object(s)) if !s.is_empty() => Model::Partial,
        _ if patterns => Model::Partial,
        _ => Model::Open,
    }
}

/// What a schema's `type` (with `nullable`) allows.
struct Types {
    /// Non-null types, or `None` for any.
    set: Option<BTreeSet<String>>,
    null: bool,
}

fn types(obj: &Map<String, Value>) -> Types {
    let nullable = obj.get("nullable") == Some(&Value::Bool(true));
    match obj.get("type") {
        Some(Value::String(t)) => Types {
            null: t == "null" || nullable,
            set: Some([t.clone()].into_iter().filter(|t| t != "null").collect()),
        },
        Some(Value::Array(ts)) => {
            let names: BTreeSet<String> = ts.iter().filter_map(Value::as_str).map(str::to_owned).collect();
            Types {
                null: names.contains("null") || nullable,
                set: Some(names.into_iter().filter(|t| t != "null").collect()),
            }
        }
        _ => Types { set: None, null: true },
    }
}

fn covers(set: &BTreeSet<String>, t: &str) -> bool {
    set.contains(t) || (t == "integer" && set.contains("number"))
}

fn contains_ref(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.contains_key("$ref") || m.values().any(contains_ref),
        Value::Array(a) => a.iter().any(contains_ref),
        _ => false,
    }
}

fn as_f64(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_f64)
}

/// Lower or upper bounds as (inclusive, exclusive), with draft 04's boolean `exclusiveMinimum`
/// read as the numeric form of later drafts.
fn bounds(obj: &Map<String, Value>, plain: &str, exclusive: &str) -> (Option<f64>, Option<f64>) {
    match obj.get(exclusive) {
        Some(Value::Bool(true)) => (None, as_f64(obj.get(plain))),
        Some(Value::Number(n)) => (as_f64(obj.get(plain)), n.as_f64()),
        _ => (as_f64(obj.get(plain)), None),
    }
}

fn num(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn values(v: Option<&Value>) -> Option<Vec<Value>> {
    v.and_then(Value::as_array).cloned()
}

fn strings(v: Option<&Value>) -> BTreeSet<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn type_value(t: &Types) -> Value {
    let mut names: Vec<String> = t.set.clone().map(|s| s.into_iter().collect()).unwrap_or_else(|| vec!["any".into()]);
    if t.null && t.set.is_some() {
        names.push("null".into());
    }
    json!(names)
}

impl<'a, 'c> Differ<'a, 'c> {
    fn new(old: &'a mut Documents<'c>, new: &'a mut Documents<'c>) -> Self {
        Differ {
            old,
            new,
            changes: Vec::new(),
            visited: HashSet::new(),
            problems: Vec::new(),
            definitions_done: HashSet::new(),
        }
    }

    fn finish(mut self) -> Result<Vec<Change>, Error> {
        if !self.problems.is_empty() {
            return Err(Error::new(std::mem::take(&mut self.problems)));
        }
        let mut changes = std::mem::take(&mut self.changes);
        normalize(&mut changes);
        Ok(changes)
    }

    fn docs(&mut self, side: Side) -> &mut Documents<'c> {
        match side {
            Side::Old => self.old,
            Side::New => self.new,
        }
    }

    /// Follows `$ref`s from `node` to the schema they lead to.
    fn resolve(&mut self, side: Side, node: &Node) -> Option<Resolved> {
        let mut current = node.clone();
        let mut overlay = Map::new();
        let mut via_ref = None;
        for _ in 0..32 {
            let docs = self.docs(side);
            let value = docs.root(current.doc).pointer(&current.ptr).cloned().unwrap_or(Value::Null);
            let reference = value.get("$ref").and_then(Value::as_str).map(str::to_owned);
            let Some(reference) = reference else {
                let value = match value {
                    Value::Object(mut map) if !overlay.is_empty() => {
                        for (k, v) in std::mem::take(&mut overlay) {
                            map.insert(k, v);
                        }
                        Value::Object(map)
                    }
                    other => other,
                };
                return Some(Resolved { node: current, value, via_ref });
            };
            if let Value::Object(map) = &value {
                for (k, v) in map {
                    if k != "$ref" && !overlay.contains_key(k) {
                        overlay.insert(k.clone(), v.clone());
                    }
                }
            }
            match docs.resolve(current.doc, &pointer_push(&current.ptr, "$ref"), &reference) {
                Ok((doc, ptr)) => {
                    current = Node { doc, ptr };
                    via_ref = Some(reference);
                }
                Err(d) => {
                    self.problems.push(d);
                    return None;
                }
            }
        }
        let d = self.docs(side).get(node.doc).diagnostic(&node.ptr, "`$ref` chain longer than 32 references");
        self.problems.push(d);
        None
    }

    /// Where a change is shown: `suffix` under the node if it exists there, else the node.
    fn place(&mut self, side: Side, node: &Node, suffix: &[&str]) -> (Location, Option<String>) {
        let docs = self.docs(side);
        let root = docs.root(node.doc);
        let mut ptr = node.ptr.clone();
        for token in suffix {
            let next = pointer_push(&ptr, token);
            if root.pointer(&next).is_none() {
                break;
            }
            ptr = next;
        }
        let d = docs.get(node.doc).diagnostic(&ptr, "");
        (d.location, d.source_line)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: ChangeKind,
        path: &str,
        side: Side,
        node: &Node,
        suffix: &[&str],
        old: Option<Value>,
        new: Option<Value>,
    ) {
        let (location, source_line) = self.place(side, node, suffix);
        self.changes.push(Change { kind, path: path.to_owned(), old, new, location, source_line });
    }

    /// Runs a comparison into a scratch list and returns what it found, leaving the report as
    /// it was (for "is this property covered by the other side's open content model?").
    fn probe(&mut self, old: Node, new: Node, depth: usize) -> Vec<Change> {
        let saved_changes = std::mem::take(&mut self.changes);
        let saved_visited = std::mem::take(&mut self.visited);
        self.compare(old, new, "", depth);
        let found = std::mem::replace(&mut self.changes, saved_changes);
        self.visited = saved_visited;
        found
    }

    fn compare(&mut self, old: Node, new: Node, path: &str, depth: usize) {
        if depth > MAX_DEPTH {
            let d = self.new.get(new.doc).diagnostic(
                &new.ptr,
                format!("the schema nests deeper than {MAX_DEPTH} levels (counting `$ref`s); eventbind stops here"),
            );
            self.problems.push(d);
            return;
        }
        if !self.visited.insert((old.clone(), new.clone())) {
            return;
        }
        let (Some(o), Some(n)) = (self.resolve(Side::Old, &old), self.resolve(Side::New, &new)) else {
            return;
        };
        if let (Some(a), Some(b)) = (&o.via_ref, &n.via_ref) {
            let target = |r: &str| r.rsplit(['/', '#']).next().unwrap_or(r).to_owned();
            if target(a) != target(b) {
                self.push(
                    ChangeKind::RefTargetChanged,
                    path,
                    Side::New,
                    &new,
                    &["$ref"],
                    Some(json!(a)),
                    Some(json!(b)),
                );
            }
        }
        // Equal values are equal schemas, unless `$ref`s inside them lead to different places.
        if o.value == n.value && !contains_ref(&o.value) {
            return;
        }
        let (on, nn) = (o.node.clone(), n.node.clone());
        match (&o.value, &n.value) {
            (Value::Bool(false), Value::Bool(false)) => {}
            (Value::Bool(false), _) => {
                self.push(ChangeKind::FalseSchemaRemoved, path, Side::New, &nn, &[], None, None);
            }
            (_, Value::Bool(false)) => {
                self.push(ChangeKind::FalseSchemaAdded, path, Side::New, &nn, &[], None, None);
            }
            _ => {
                let empty = Map::new();
                let os = o.value.as_object().unwrap_or(&empty).clone();
                let ns = n.value.as_object().unwrap_or(&empty).clone();
                self.compare_objects(&on, &os, &nn, &ns, path, depth);
            }
        }
    }

    fn draft(&self, side: Side, node: &Node) -> Draft {
        match side {
            Side::Old => self.old.get(node.doc).draft,
            Side::New => self.new.get(node.doc).draft,
        }
    }

    fn compare_objects(
        &mut self,
        on: &Node,
        os: &Map<String, Value>,
        nn: &Node,
        ns: &Map<String, Value>,
        path: &str,
        depth: usize,
    ) {
        self.annotations(on, os, nn, ns, path);
        self.definitions(on, nn, path);
        self.types(nn, os, ns, path);
        self.scalars(on, os, nn, ns, path);
        self.enums(on, os, nn, ns, path);
        self.objects(on, os, nn, ns, path, depth);
        self.arrays(on, os, nn, ns, path, depth);
        self.combinators(on, os, nn, ns, path, depth);
        self.others(on, os, nn, ns, path, depth);
    }

    /// A keyword present on one side, the other, or both with different values.
    #[allow(clippy::too_many_arguments)]
    fn added_removed_changed(
        &mut self,
        on: &Node,
        os: &Map<String, Value>,
        nn: &Node,
        ns: &Map<String, Value>,
        key: &str,
        path: &str,
        kinds: (ChangeKind, ChangeKind, ChangeKind),
    ) {
        let (added, removed, changed) = kinds;
        // Constraint changes are reported at the keyword, annotations at the schema.
        let keyword_path = format!("{path}/{}", escape(key));
        let path = if added.class() == crate::compat::Class::Annotation || path.ends_with(&format!("/{}", escape(key)))
        {
            path
        } else {
            keyword_path.as_str()
        };
        match (os.get(key), ns.get(key)) {
            (None, Some(v)) => self.push(added, path, Side::New, nn, &[key], None, Some(v.clone())),
            (Some(v), None) => self.push(removed, path, Side::Old, on, &[key], Some(v.clone()), None),
            (Some(a), Some(b)) if a != b => {
                self.push(changed, path, Side::New, nn, &[key], Some(a.clone()), Some(b.clone()))
            }
            _ => {}
        }
    }

    fn annotations(&mut self, on: &Node, os: &Map<String, Value>, nn: &Node, ns: &Map<String, Value>, path: &str) {
        use ChangeKind as K;
        let id_key = |d: Draft| if d == Draft::Draft4 { "id" } else { "$id" };
        let (oid, nid) = (id_key(self.draft(Side::Old, on)), id_key(self.draft(Side::New, nn)));
        let (a, b) = (os.get(oid).filter(|v| v.is_string()), ns.get(nid).filter(|v| v.is_string()));
        if a != b && (a.is_some() || b.is_some()) {
            self.push(K::IdChanged, path, Side::New, nn, &[nid], a.cloned(), b.cloned());
        }
        for (key, kind) in [
            ("title", K::TitleChanged),
            ("description", K::DescriptionChanged),
            ("examples", K::ExamplesChanged),
            ("example", K::ExamplesChanged),
            ("$comment", K::ExamplesChanged),
            ("deprecated", K::DeprecatedChanged),
            ("readOnly", K::ReadOnlyChanged),
            ("writeOnly", K::ReadOnlyChanged),
            ("$schema", K::DialectChanged),
        ] {
            self.added_removed_changed(on, os, nn, ns, key, path, (kind, kind, kind));
        }
        let extensions: BTreeSet<&String> =
            os.keys().chain(ns.keys()).filter(|k| k.starts_with("x-") && *k != "x-extensible-enum").collect();
        for key in extensions {
            let k = K::ExtensionChanged;
            self.added_removed_changed(on, os, nn, ns, key, path, (k, k, k));
        }
    }

    /// Definitions added or removed at a document's root (their contents are compared where
    /// references reach them).
    fn definitions(&mut self, on: &Node, nn: &Node, path: &str) {
        if !on.ptr.is_empty() || !nn.ptr.is_empty() || !self.definitions_done.insert((on.doc, nn.doc)) {
            return;
        }
        let names = |docs: &Documents<'_>, doc: DocId| -> BTreeSet<(String, String)> {
            let root = docs.root(doc);
            ["definitions", "$defs"]
                .iter()
                .flat_map(|k| {
                    root.get(*k)
                        .and_then(Value::as_object)
                        .map(|m| m.keys().map(|n| ((*k).to_owned(), n.clone())).collect::<Vec<_>>())
                        .unwrap_or_default()
                })
                .collect()
        };
        let (old, new) = (names(self.old, on.doc), names(self.new, nn.doc));
        let bare = |set: &BTreeSet<(String, String)>| set.iter().map(|(_, n)| n.clone()).collect::<BTreeSet<_>>();
        let (old_names, new_names) = (bare(&old), bare(&new));
        for (keyword, name) in &new {
            if !old_names.contains(name) {
                let p = format!("{path}/{keyword}/{name}");
                self.push(ChangeKind::DefinitionAdded, &p, Side::New, nn, &[keyword, name], None, Some(json!(name)));
            }
        }
        for (keyword, name) in &old {
            if !new_names.contains(name) {
                let p = format!("{path}/{keyword}/{name}");
                self.push(ChangeKind::DefinitionRemoved, &p, Side::Old, on, &[keyword, name], Some(json!(name)), None);
            }
        }
    }

    fn types(&mut self, nn: &Node, os: &Map<String, Value>, ns: &Map<String, Value>, path: &str) {
        use ChangeKind as K;
        let (ot, nt) = (types(os), types(ns));
        let kind = match (&ot.set, &nt.set) {
            (None, None) => None,
            (None, Some(_)) => Some(K::TypeNarrowed),
            (Some(_), None) => Some(K::TypeExtended),
            (Some(a), Some(b)) => {
                let new_covers_old = a.iter().all(|t| covers(b, t));
                let old_covers_new = b.iter().all(|t| covers(a, t));
                match (new_covers_old, old_covers_new) {
                    (true, true) => None,
                    (true, false) => Some(K::TypeExtended),
                    (false, true) => Some(K::TypeNarrowed),
                    (false, false) => Some(K::TypeChanged),
                }
            }
        };
        if let Some(kind) = kind {
            self.push(kind, path, Side::New, nn, &["type"], Some(type_value(&ot)), Some(type_value(&nt)));
        }
        if ot.set.is_some() && nt.set.is_some() && ot.null != nt.null {
            let kind = if nt.null { K::NullableAdded } else { K::NullableRemoved };
            self.push(kind, path, Side::New, nn, &["nullable"], Some(json!(ot.null)), Some(json!(nt.null)));
        }
    }

    /// Formats, defaults and the numeric and length bounds of strings, numbers, arrays and objects.
    fn scalars(&mut self, on: &Node, os: &Map<String, Value>, nn: &Node, ns: &Map<String, Value>, path: &str) {
        use ChangeKind as K;
        self.added_removed_changed(
            on,
            os,
            nn,
            ns,
            "format",
            path,
            (K::FormatAdded, K::FormatRemoved, K::FormatChanged),
        );
        self.added_removed_changed(
            on,
            os,
            nn,
            ns,
            "default",
            path,
            (K::DefaultAdded, K::DefaultRemoved, K::DefaultChanged),
        );
        self.added_removed_changed(
            on,
            os,
            nn,
            ns,
            "pattern",
            path,
            (K::PatternAdded, K::PatternRemoved, K::PatternChanged),
        );
        // (keyword, added, removed, increased, decreased) for bounds where larger is looser
        // (maxima) or tighter (minima); the kind names say which.
        let limits: &[(&str, [ChangeKind; 4])] = &[
            ("maxLength", [K::MaxLengthAdded, K::MaxLengthRemoved, K::MaxLengthIncreased, K::MaxLengthDecreased]),
            ("minLength", [K::MinLengthAdded, K::MinLengthRemoved, K::MinLengthIncreased, K::MinLengthDecreased]),
            ("maxItems", [K::MaxItemsAdded, K::MaxItemsRemoved, K::MaxItemsIncreased, K::MaxItemsDecreased]),
            ("minItems", [K::MinItemsAdded, K::MinItemsRemoved, K::MinItemsIncreased, K::MinItemsDecreased]),
            (
                "maxProperties",
                [K::MaxPropertiesAdded, K::MaxPropertiesRemoved, K::MaxPropertiesIncreased, K::MaxPropertiesDecreased],
            ),
            (
                "minProperties",
                [K::MinPropertiesAdded, K::MinPropertiesRemoved, K::MinPropertiesIncreased, K::MinPropertiesDecreased],
            ),
        ];
        for (key, kinds) in limits {
            self.limit(on, as_f64(os.get(*key)), nn, as_f64(ns.get(*key)), key, path, *kinds);
        }
        let (omin, oxmin) = bounds(os, "minimum", "exclusiveMinimum");
        let (nmin, nxmin) = bounds(ns, "minimum", "exclusiveMinimum");
        let (omax, oxmax) = bounds(os, "maximum", "exclusiveMaximum");
        let (nmax, nxmax) = bounds(ns, "maximum", "exclusiveMaximum");
        self.limit(
            on,
            omin,
            nn,
            nmin,
            "minimum",
            path,
            [K::MinimumAdded, K::MinimumRemoved, K::MinimumIncreased, K::MinimumDecreased],
        );
        self.limit(
            on,
            omax,
            nn,
            nmax,
            "maximum",
            path,
            [K::MaximumAdded, K::MaximumRemoved, K::MaximumIncreased, K::MaximumDecreased],
        );
        let xmin = [
            K::ExclusiveMinimumAdded,
            K::ExclusiveMinimumRemoved,
            K::ExclusiveMinimumIncreased,
            K::ExclusiveMinimumDecreased,
        ];
        self.limit(on, oxmin, nn, nxmin, "exclusiveMinimum", path, xmin);
        let xmax = [
            K::ExclusiveMaximumAdded,
            K::ExclusiveMaximumRemoved,
            K::ExclusiveMaximumIncreased,
            K::ExclusiveMaximumDecreased,
        ];
        self.limit(on, oxmax, nn, nxmax, "exclusiveMaximum", path, xmax);
        let (base, multiple_path) = (path, format!("{path}/multipleOf"));
        let path = multiple_path.as_str();
        match (as_f64(os.get("multipleOf")), as_f64(ns.get("multipleOf"))) {
            (None, Some(b)) => self.push(K::MultipleOfAdded, path, Side::New, nn, &["multipleOf"], None, Some(num(b))),
            (Some(a), None) => {
                self.push(K::MultipleOfRemoved, path, Side::Old, on, &["multipleOf"], Some(num(a)), None)
            }
            (Some(a), Some(b)) if a != b && a != 0.0 && b != 0.0 => {
                let divides = |x: f64, y: f64| ((x / y) - (x / y).round()).abs() < 1e-9;
                let kind = if divides(b, a) {
                    K::MultipleOfExpanded
                } else if divides(a, b) {
                    K::MultipleOfReduced
                } else {
                    K::MultipleOfChanged
                };
                self.push(kind, path, Side::New, nn, &["multipleOf"], Some(num(a)), Some(num(b)));
            }
            _ => {}
        }
        let path = &format!("{base}/uniqueItems");
        match (os.get("uniqueItems") == Some(&Value::Bool(true)), ns.get("uniqueItems") == Some(&Value::Bool(true))) {
            (false, true) => {
                self.push(K::UniqueItemsAdded, path, Side::New, nn, &["uniqueItems"], None, Some(json!(true)))
            }
            (true, false) => {
                self.push(K::UniqueItemsRemoved, path, Side::Old, on, &["uniqueItems"], Some(json!(true)), None)
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn limit(
        &mut self,
        on: &Node,
        old: Option<f64>,
        nn: &Node,
        new: Option<f64>,
        key: &str,
        path: &str,
        [added, removed, increased, decreased]: [ChangeKind; 4],
    ) {
        let path = &format!("{path}/{key}");
        match (old, new) {
            (None, Some(b)) => self.push(added, path, Side::New, nn, &[key], None, Some(num(b))),
            (Some(a), None) => self.push(removed, path, Side::Old, on, &[key], Some(num(a)), None),
            (Some(a), Some(b)) if a < b => {
                self.push(increased, path, Side::New, nn, &[key], Some(num(a)), Some(num(b)))
            }
            (Some(a), Some(b)) if a > b => {
                self.push(decreased, path, Side::New, nn, &[key], Some(num(a)), Some(num(b)))
            }
            _ => {}
        }
    }

    fn enums(&mut self, on: &Node, os: &Map<String, Value>, nn: &Node, ns: &Map<String, Value>, path: &str) {
        use ChangeKind as K;
        let (oe, ne) = (values(os.get("enum")), values(ns.get("enum")));
        let (ox, nx) = (values(os.get("x-extensible-enum")), values(ns.get("x-extensible-enum")));
        let each = |this: &mut Self, a: &[Value], b: &[Value], key: &str, added: ChangeKind, removed: ChangeKind| {
            let path = &format!("{path}/{key}");
            for v in b.iter().filter(|v| !a.contains(v)) {
                this.push(added, path, Side::New, nn, &[key], None, Some(v.clone()));
            }
            for v in a.iter().filter(|v| !b.contains(v)) {
                this.push(removed, path, Side::Old, on, &[key], Some(v.clone()), None);
            }
        };
        let enum_path = format!("{path}/enum");
        match (&oe, &ne) {
            (Some(a), Some(b)) => each(self, a, b, "enum", K::EnumValueAdded, K::EnumValueRemoved),
            (Some(a), None) if nx.is_some() => self.push(
                K::EnumMadeExtensible,
                &enum_path,
                Side::New,
                nn,
                &["x-extensible-enum"],
                Some(json!(a)),
                nx.clone().map(Value::Array),
            ),
            (Some(a), None) => self.push(K::EnumRemoved, &enum_path, Side::Old, on, &["enum"], Some(json!(a)), None),
            (None, Some(b)) if ox.is_some() => self.push(
                K::ExtensibleEnumClosed,
                &enum_path,
                Side::New,
                nn,
                &["enum"],
                ox.clone().map(Value::Array),
                Some(json!(b)),
            ),
            (None, Some(b)) => self.push(K::EnumAdded, &enum_path, Side::New, nn, &["enum"], None, Some(json!(b))),
            (None, None) => match (&ox, &nx) {
                (Some(a), Some(b)) => {
                    each(self, a, b, "x-extensible-enum", K::ExtensibleEnumValueAdded, K::ExtensibleEnumValueRemoved)
                }
                (Some(a), None) => {
                    self.push(K::ExtensionChanged, path, Side::Old, on, &["x-extensible-enum"], Some(json!(a)), None)
                }
                (None, Some(b)) => {
                    self.push(K::ExtensionChanged, path, Side::New, nn, &["x-extensible-enum"], None, Some(json!(b)))
                }
                (None, None) => {}
            },
        }
        self.added_removed_changed(on, os, nn, ns, "const", path, (K::ConstAdded, K::ConstRemoved, K::ConstChanged));
    }

    /// The schema that an object's open content model applies to a property name, if partial.
    fn covering(&self, side: Side, node: &Node, obj: &Map<String, Value>, name: &str) -> Option<Node> {
        if let Some(patterns) = obj.get("patternProperties").and_then(Value::as_object) {
            for pattern in patterns.keys() {
                if regex::Regex::new(pattern).is_ok_and(|re| re.is_match(name)) {
                    return Some(node.child("patternProperties").child(pattern));
                }
            }
        }
        let _ = side;
        match obj.get("additionalProperties") {
            Some(Value::Object(_)) => Some(node.child("additionalProperties")),
            _ => None,
        }
    }

    fn objects(
        &mut self,
        on: &Node,
        os: &Map<String, Value>,
        nn: &Node,
        ns: &Map<String, Value>,
        path: &str,
        depth: usize,
    ) {
        use ChangeKind as K;
        let empty = Map::new();
        let op = os.get("properties").and_then(Value::as_object).unwrap_or(&empty).clone();
        let np = ns.get("properties").and_then(Value::as_object).unwrap_or(&empty).clone();
        for (name, schema) in &np {
            let p = format!("{path}/properties/{}", escape(name));
            let here = nn.child("properties").child(name);
            if let Some(_old) = op.get(name) {
                self.compare(on.child("properties").child(name), here, &p, depth + 1);
                continue;
            }
            let kind = match model(os) {
                Model::Open if schema == &json!({}) || schema == &Value::Bool(true) => {
                    K::PropertyWithEmptySchemaAddedToOpenContentModel
                }
                Model::Open => K::PropertyAddedToOpenContentModel,
                Model::Closed => K::PropertyAddedToClosedContentModel,
                Model::Partial => match self.covering(Side::Old, on, os, name) {
                    Some(cover) => {
                        let found = self.probe(cover, here.clone(), depth + 1);
                        if found.iter().all(|c| c.kind.strict().backward()) {
                            K::PropertyAddedIsCoveredByPartiallyOpenContentModel
                        } else {
                            K::PropertyAddedNotCoveredByPartiallyOpenContentModel
                        }
                    }
                    None if os.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        K::PropertyAddedToClosedContentModel
                    }
                    None => K::PropertyAddedToOpenContentModel,
                },
            };
            self.push(kind, &p, Side::New, &here, &[], None, Some(json!(name)));
        }
        for name in op.keys().filter(|n| !np.contains_key(*n)) {
            let p = format!("{path}/properties/{}", escape(name));
            let there = on.child("properties").child(name);
            let kind = match model(ns) {
                Model::Open => K::PropertyRemovedFromOpenContentModel,
                Model::Closed => K::PropertyRemovedFromClosedContentModel,
                Model::Partial => match self.covering(Side::New, nn, ns, name) {
                    Some(cover) => {
                        let found = self.probe(there.clone(), cover, depth + 1);
                        if found.iter().all(|c| c.kind.strict().backward()) {
                            K::PropertyRemovedIsCoveredByPartiallyOpenContentModel
                        } else {
                            K::PropertyRemovedNotCoveredByPartiallyOpenContentModel
                        }
                    }
                    None if ns.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        K::PropertyRemovedFromClosedContentModel
                    }
                    None => K::PropertyRemovedFromOpenContentModel,
                },
            };
            self.push(kind, &p, Side::Old, &there, &[], Some(json!(name)), None);
        }
        let (or, nr) = (strings(os.get("required")), strings(ns.get("required")));
        let p = format!("{path}/required");
        for name in nr.difference(&or) {
            let defaulted = np.get(name).and_then(|s| s.get("default")).is_some();
            let kind = if defaulted { K::RequiredAttributeWithDefaultAdded } else { K::RequiredAttributeAdded };
            self.push(kind, &p, Side::New, nn, &["required"], None, Some(json!(name)));
        }
        for name in or.difference(&nr) {
            self.push(K::RequiredAttributeRemoved, &p, Side::New, nn, &["required"], Some(json!(name)), None);
        }
        self.open_schema(
            on,
            os,
            nn,
            ns,
            "additionalProperties",
            path,
            depth,
            [
                K::AdditionalPropertiesAdded,
                K::AdditionalPropertiesRemoved,
                K::AdditionalPropertiesExtended,
                K::AdditionalPropertiesNarrowed,
            ],
        );
        let op = os.get("patternProperties").and_then(Value::as_object).unwrap_or(&empty).clone();
        let np = ns.get("patternProperties").and_then(Value::as_object).unwrap_or(&empty).clone();
        for pattern in np.keys() {
            let p = format!("{path}/patternProperties/{}", escape(pattern));
            let here = nn.child("patternProperties").child(pattern);
            if op.contains_key(pattern) {
                self.compare(on.child("patternProperties").child(pattern), here, &p, depth + 1);
            } else {
                self.push(K::SchemaAdded, &p, Side::New, &here, &[], None, Some(json!(pattern)));
            }
        }
        for pattern in op.keys().filter(|k| !np.contains_key(*k)) {
            let p = format!("{path}/patternProperties/{}", escape(pattern));
            let there = on.child("patternProperties").child(pattern);
            self.push(K::SchemaRemoved, &p, Side::Old, &there, &[], Some(json!(pattern)), None);
        }
        self.subschema(on, os, nn, ns, "propertyNames", path, depth);
        self.dependencies(on, os, nn, ns, path, depth);
    }

    /// `additionalProperties` / `additionalItems`: absent or `true`, `false`, or a schema.
    #[allow(clippy::too_many_arguments)]
    fn open_schema(
        &mut self,
        on: &Node,
        os: &Map<String, Value>,
        nn: &Node,
        ns: &Map<String, Value>,
        key: &str,
        path: &str,
        depth: usize,
        [added, removed, extended, narrowed]: [ChangeKind; 4],
    ) {
        #[derive(PartialEq)]
        enum Open {
            Allow,
            Deny,
            Schema,
        }
        let classify = |v: Option<&Value>| match v {
            None | Some(Value::Bool(true)) => Open::Allow,
            Some(Value::Object(m)) if m.is_empty() => Open::Allow,
            Some(Value::Bool(false)) => Open::Deny,
            Some(_) => Open::Schema,
        };
        let (a, b) = (classify(os.get(key)), classify(ns.get(key)));
        let p = format!("{path}/{key}");
        let (ov, nv) = (os.get(key).cloned(), ns.get(key).cloned());
        match (a, b) {
            (Open::Allow, Open::Deny) | (Open::Schema, Open::Deny) => {
                self.push(removed, &p, Side::New, nn, &[key], ov, nv)
            }
            (Open::Deny, Open::Allow) | (Open::Deny, Open::Schema) => {
                self.push(added, &p, Side::New, nn, &[key], ov, nv)
            }
            (Open::Allow, Open::Schema) => self.push(narrowed, &p, Side::New, nn, &[key], ov, nv),
            (Open::Schema, Open::Allow) => self.push(extended, &p, Side::Old, on, &[key], ov, nv),
            (Open::Schema, Open::Schema) => self.compare(on.child(key), nn.child(key), &p, depth + 1),
            _ => {}
        }
    }

    /// A keyword whose value is one schema: added, removed, or compared.
    #[allow(clippy::too_many_arguments)]
    fn subschema(
        &mut self,
        on: &Node,
        os: &Map<String, Value>,
        nn: &Node,
        ns: &Map<String, Value>,
        key: &str,
        path: &str,
        depth: usize,
    ) {
        let p = format!("{path}/{key}");
        match (os.get(key), ns.get(key)) {
            (None, Some(_)) => self.push(ChangeKind::SchemaAdded, &p, Side::New, nn, &[key], None, None),
            (Some(_), None) => self.push(ChangeKind::SchemaRemoved, &p, Side::Old, on, &[key], None, None),
            (Some(_), Some(_)) => self.compare(on.child(key), nn.child(key), &p, depth + 1),
            (None, None) => {}
        }
    }

    fn dependencies(
        &mut self,
        on: &Node,
        os: &Map<String, Value>,
        nn: &Node,
        ns: &Map<String, Value>,
        path: &str,
        depth: usize,
    ) {
        use ChangeKind as K;
        for key in ["dependencies", "dependentRequired", "dependentSchemas"] {
            let empty = Map::new();
            let od = os.get(key).and_then(Value::as_object).unwrap_or(&empty).clone();
            let nd = ns.get(key).and_then(Value::as_object).unwrap_or(&empty).clone();
            let names: BTreeSet<&String> = od.keys().chain(nd.keys()).collect();
            for name in names {
                let p = format!("{path}/{key}/{}", escape(name));
                let (o, n) = (od.get(name), nd.get(name));
                let (onode, nnode) = (on.child(key).child(name), nn.child(key).child(name));
                match (o, n) {
                    (Some(Value::Array(a)), Some(Value::Array(b))) => {
                        let (a, b) = (strings(Some(&json!(a))), strings(Some(&json!(b))));
                        let kind = if a == b {
                            continue;
                        } else if a.is_subset(&b) {
                            K::DependencyArrayExtended
                        } else if b.is_subset(&a) {
                            K::DependencyArrayNarrowed
                        } else {
                            K::DependencyArrayChanged
                        };
                        self.push(kind, &p, Side::New, &nnode, &[], Some(json!(a)), Some(json!(b)));
                    }
                    (None, Some(Value::Array(b))) => {
                        self.push(K::DependencyArrayAdded, &p, Side::New, &nnode, &[], None, Some(json!(b)))
                    }
                    (Some(Value::Array(a)), None) => {
                        self.push(K::DependencyArrayRemoved, &p, Side::Old, &onode, &[], Some(json!(a)), None)
                    }
                    (None, Some(_)) => self.push(K::DependencySchemaAdded, &p, Side::New, &nnode, &[], None, None),
                    (Some(_), None) => self.push(K::DependencySchemaRemoved, &p, Side::Old, &onode, &[], None, None),
                    (Some(Value::Array(_)), Some(_)) | (Some(_), Some(Value::Array(_))) => {
                        self.push(K::KeywordChanged, &p, Side::New, &nnode, &[], o.cloned(), n.cloned())
                    }
                    (Some(_), Some(_)) => self.compare(onode, nnode, &p, depth + 1),
                    (None, None) => {}
                }
            }
        }
    }

    fn arrays(
        &mut self,
        on: &Node,
        os: &Map<String, Value>,
        nn: &Node,
        ns: &Map<String, Value>,
        path: &str,
        depth: usize,
    ) {
        use ChangeKind as K;
        // The tuple and the schema for the rest: `items: [..]` + `additionalItems` up to 2019-09,
        // `prefixItems` + `items` in 2020-12.
        let shape = |obj: &Map<String, Value>| -> (Option<(&'static str, Vec<Value>)>, &'static str) {
            if let Some(Value::Array(t)) = obj.get("prefixItems") {
                (Some(("prefixItems", t.clone())), "items")
            } else if let Some(Value::Array(t)) = obj.get("items") {
                (Some(("items", t.clone())), "additionalItems")
            } else {
                (None, "items")
            }
        };
        let ((otuple, orest), (ntuple, nrest)) = (shape(os), shape(ns));
        match (&otuple, &ntuple) {
            (None, None) => self.subschema(on, os, nn, ns, "items", path, depth),
            (None, Some(_)) => {
                self.push(K::ItemsChangedToTuple, &format!("{path}/items"), Side::New, nn, &["items"], None, None)
            }
            (Some(_), None) => {
                self.push(K::TupleChangedToItems, &format!("{path}/items"), Side::New, nn, &["items"], None, None)
            }
            (Some((okey, ot)), Some((nkey, nt))) => {
                let closed = |obj: &Map<String, Value>, rest: &str| obj.get(rest) == Some(&Value::Bool(false));
                for i in 0..ot.len().max(nt.len()) {
                    let p = format!("{path}/{nkey}/{i}");
                    let (onode, nnode) = (on.child(okey).child(&i.to_string()), nn.child(nkey).child(&i.to_string()));
                    match (i < ot.len(), i < nt.len()) {
                        (true, true) => self.compare(onode, nnode, &p, depth + 1),
                        (false, true) => {
                            let kind = if closed(os, orest) {
                                K::ItemAddedToClosedContentModel
                            } else {
                                K::ItemAddedToOpenContentModel
                            };
                            self.push(kind, &p, Side::New, &nnode, &[], None, None);
                        }
                        (true, false) => {
                            let kind = if closed(ns, nrest) {
                                K::ItemRemovedFromClosedContentModel
                            } else {
                                K::ItemRemovedFromOpenContentModel
                            };
                            self.push(kind, &p, Side::Old, &onode, &[], None, None);
                        }
                        (false, false) => {}
                    }
                }
                if orest == nrest {
                    self.open_schema(
                        on,
                        os,
                        nn,
                        ns,
                        nrest,
                        path,
                        depth,
                        [
                            K::AdditionalItemsAdded,
                            K::AdditionalItemsRemoved,
                            K::AdditionalItemsExtended,
                            K::AdditionalItemsNarrowed,
                        ],
                    );
                }
            }
        }
        if otuple.is_none() && ntuple.is_none() {
            self.open_schema(
                on,
                os,
                nn,
                ns,
                "additionalItems",
                path,
                depth,
                [
                    K::AdditionalItemsAdded,
                    K::AdditionalItemsRemoved,
                    K::AdditionalItemsExtended,
                    K::AdditionalItemsNarrowed,
                ],
            );
        }
        self.subschema(on, os, nn, ns, "contains", path, depth);
    }

    fn combinators(
        &mut self,
        on: &Node,
        os: &Map<String, Value>,
        nn: &Node,
        ns: &Map<String, Value>,
        path: &str,
        depth: usize,
    ) {
        use ChangeKind as K;
        const KEYS: [&str; 3] = ["allOf", "anyOf", "oneOf"];
        let present = |obj: &Map<String, Value>| -> Vec<&'static str> {
            KEYS.iter().copied().filter(|k| obj.get(*k).is_some_and(Value::is_array)).collect()
        };
        let (ok, nk) = (present(os), present(ns));
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for k in &ok {
            if nk.contains(k) {
                pairs.push((k, k));
            }
        }
        let (o_rest, n_rest): (Vec<&str>, Vec<&str>) = (
            ok.iter().copied().filter(|k| !nk.contains(k)).collect(),
            nk.iter().copied().filter(|k| !ok.contains(k)).collect(),
        );
        for (a, b) in o_rest.iter().zip(&n_rest) {
            let kind = if *a == "oneOf" && *b == "anyOf" { K::CombinedTypeExtended } else { K::CombinedTypeChanged };
            self.push(kind, path, Side::New, nn, &[b], Some(json!(a)), Some(json!(b)));
            pairs.push((a, b));
        }
        for a in o_rest.iter().skip(n_rest.len()) {
            self.push(K::CompositionRemoved, &format!("{path}/{a}"), Side::Old, on, &[a], Some(json!(a)), None);
        }
        for b in n_rest.iter().skip(o_rest.len()) {
            self.push(K::CompositionAdded, &format!("{path}/{b}"), Side::New, nn, &[b], None, Some(json!(b)));
        }
        for (a, b) in pairs {
            let om = os.get(a).and_then(Value::as_array).cloned().unwrap_or_default();
            let nm = ns.get(b).and_then(Value::as_array).cloned().unwrap_or_default();
            let (added, removed) = if b == "allOf" {
                (K::ProductTypeExtended, K::ProductTypeNarrowed)
            } else {
                (K::SumTypeExtended, K::SumTypeNarrowed)
            };
            for (i, j) in match_members(&om, &nm) {
                let p = format!("{path}/{b}/{}", j.unwrap_or(i.unwrap_or(0)));
                match (i, j) {
                    (Some(i), Some(j)) => self.compare(
                        on.child(a).child(&i.to_string()),
                        nn.child(b).child(&j.to_string()),
                        &p,
                        depth + 1,
                    ),
                    (None, Some(j)) => {
                        let here = nn.child(b).child(&j.to_string());
                        self.push(added, &p, Side::New, &here, &[], None, None);
                    }
                    (Some(i), None) => {
                        let there = on.child(a).child(&i.to_string());
                        self.push(removed, &p, Side::Old, &there, &[], None, None);
                    }
                    (None, None) => {}
                }
            }
        }
        self.discriminator(on, os, nn, ns, path);
    }

    fn discriminator(&mut self, on: &Node, os: &Map<String, Value>, nn: &Node, ns: &Map<String, Value>, path: &str) {
        use ChangeKind as K;
        let p = format!("{path}/discriminator");
        let (od, nd) = (os.get("discriminator"), ns.get("discriminator"));
        match (od, nd) {
            (None, Some(d)) => {
                self.push(K::DiscriminatorAdded, &p, Side::New, nn, &["discriminator"], None, Some(d.clone()))
            }
            (Some(d), None) => {
                self.push(K::DiscriminatorRemoved, &p, Side::Old, on, &["discriminator"], Some(d.clone()), None)
            }
            (Some(a), Some(b)) => {
                let (pa, pb) = (a.get("propertyName"), b.get("propertyName"));
                if pa != pb {
                    let suffix = ["discriminator", "propertyName"];
                    self.push(K::DiscriminatorPropertyChanged, &p, Side::New, nn, &suffix, pa.cloned(), pb.cloned());
                }
                let empty = Map::new();
                let ma = a.get("mapping").and_then(Value::as_object).unwrap_or(&empty).clone();
                let mb = b.get("mapping").and_then(Value::as_object).unwrap_or(&empty).clone();
                for (tag, target) in &mb {
                    let suffix = ["discriminator", "mapping", tag.as_str()];
                    match ma.get(tag) {
                        None => {
                            self.push(K::DiscriminatorMappingAdded, &p, Side::New, nn, &suffix, None, Some(json!(tag)))
                        }
                        Some(old) if old != target => {
                            let (o, n) = (Some(json!({tag.clone(): old})), Some(json!({tag.clone(): target})));
                            self.push(K::DiscriminatorMappingChanged, &p, Side::New, nn, &suffix, o, n)
                        }
                        _ => {}
                    }
                }
                for tag in ma.keys().filter(|t| !mb.contains_key(*t)) {
                    let suffix = ["discriminator", "mapping", tag.as_str()];
                    self.push(K::DiscriminatorMappingRemoved, &p, Side::Old, on, &suffix, Some(json!(tag)), None);
                }
            }
            (None, None) => {}
        }
    }

    /// `not`, `if`/`then`/`else`, and keywords without a dedicated rule.
    fn others(
        &mut self,
        on: &Node,
        os: &Map<String, Value>,
        nn: &Node,
        ns: &Map<String, Value>,
        path: &str,
        depth: usize,
    ) {
        use ChangeKind as K;
        match (os.get("not"), ns.get("not")) {
            (None, Some(_)) => self.push(K::SchemaAdded, &format!("{path}/not"), Side::New, nn, &["not"], None, None),
            (Some(_), None) => self.push(K::SchemaRemoved, &format!("{path}/not"), Side::Old, on, &["not"], None, None),
            (Some(_), Some(_)) => {
                if !self.probe(on.child("not"), nn.child("not"), depth + 1).is_empty() {
                    self.push(K::NotSchemaChanged, &format!("{path}/not"), Side::New, nn, &["not"], None, None);
                }
            }
            (None, None) => {}
        }
        for key in ["if", "then", "else"] {
            if os.get(key) != ns.get(key) {
                let (o, n) = (os.get(key).cloned(), ns.get(key).cloned());
                self.push(K::ConditionalChanged, &format!("{path}/{key}"), Side::New, nn, &[key], o, n);
            }
        }
        let keys: BTreeSet<&String> = os.keys().chain(ns.keys()).collect();
        for key in keys {
            if HANDLED.contains(&key.as_str()) || key.starts_with("x-") || os.get(key) == ns.get(key) {
                continue;
            }
            let k = K::KeywordChanged;
            self.added_removed_changed(on, os, nn, ns, key, &format!("{path}/{}", escape(key)), (k, k, k));
        }
    }
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Pairs the members of two combinator lists: equal members first, then the rest in order.
/// Unpaired members come back with `None` on the other side.
fn match_members(old: &[Value], new: &[Value]) -> Vec<(Option<usize>, Option<usize>)> {
    if old.len() == new.len() {
        return (0..old.len()).map(|i| (Some(i), Some(i))).collect();
    }
    let mut new_taken = vec![false; new.len()];
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut old_left = Vec::new();
    for (i, o) in old.iter().enumerate() {
        match new.iter().enumerate().position(|(j, n)| !new_taken[j] && n == o) {
            Some(j) => {
                new_taken[j] = true;
                pairs.push((Some(i), Some(j)));
            }
            None => old_left.push(i),
        }
    }
    let mut new_left = (0..new.len()).filter(|j| !new_taken[*j]);
    for i in old_left {
        pairs.push((Some(i), new_left.next()));
    }
    for j in new_left {
        pairs.push((None, Some(j)));
    }
    pairs
}
