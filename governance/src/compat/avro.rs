//! Avro diff: apache-avro parses both schemas and decides whether each can read data written
//! with the other (Avro's schema resolution); a walk over both schemas names the changes behind
//! that verdict (fields with and without defaults, promotions, enum symbols, aliases, unions).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use apache_avro::schema_compatibility::SchemaCompatibility;
use apache_avro::Schema;
use serde_json::{json, Value};

use crate::compat::{normalize, Change, ChangeKind};
use eventbind_build::diagnostic::{Diagnostic, Error, Location};
use eventbind_build::source::{self, pointer_push};

/// Deeper nesting is refused rather than risking the stack.
const MAX_DEPTH: usize = 128;

/// One version of an Avro schema: its text and how its file is shown.
#[derive(Debug, Clone)]
pub struct AvroSource {
    pub shown: PathBuf,
    pub text: String,
}

impl AvroSource {
    pub fn read(path: &Path) -> Result<AvroSource, Error> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
        Ok(AvroSource { shown: path.to_owned(), text: source::decode_text(bytes, path)? })
    }
}

fn parse(src: &AvroSource) -> Result<(Schema, Value), Error> {
    let value: Value = serde_json::from_str(&src.text).map_err(|e| {
        Diagnostic::new(
            Location { file: src.shown.clone(), pointer: None, line_col: Some((e.line(), e.column())) },
            format!("invalid JSON: {e}"),
        )
        .locate_in(&src.text)
    })?;
    // apache-avro reports problems as values, but a library panic must never reach a user.
    let parsed = std::panic::catch_unwind(|| Schema::parse(&value))
        .map_err(|_| Diagnostic::new(Location::file(&src.shown), "the Avro parser failed on this schema"))?;
    let schema = parsed.map_err(|e| {
        Diagnostic::new(Location::file(&src.shown), format!("invalid Avro schema: {e}"))
            .help("see the Avro specification's schema declaration rules")
    })?;
    Ok((schema, value))
}

/// Diffs two Avro schemas.
pub fn diff(old: &AvroSource, new: &AvroSource) -> Result<Vec<Change>, Error> {
    let (old_schema, old_value) = parse(old)?;
    let (new_schema, new_value) = parse(new)?;
    let mut walker = Walker {
        old: Side::new(old, &old_value),
        new: Side::new(new, &new_value),
        changes: Vec::new(),
        visited: HashSet::new(),
    };
    walker.compare(&old_value, "", "", &new_value, "", "", "", 0);
    let mut changes = walker.changes;
    // The library's verdict decides; a change it finds that the walk did not name is reported
    // as such, with the library's reason.
    // Identical schemas read each other; apache-avro 0.21's check wrongly rejects a `decimal`
    // field compared with itself, so it is not asked then.
    let same = old_schema.canonical_form() == new_schema.canonical_form();
    let backward = std::panic::catch_unwind(|| SchemaCompatibility::can_read(&old_schema, &new_schema)).map(|r| {
        if same {
            Ok(())
        } else {
            r
        }
    });
    let forward = std::panic::catch_unwind(|| SchemaCompatibility::can_read(&new_schema, &old_schema)).map(|r| {
        if same {
            Ok(())
        } else {
            r
        }
    });
    let root_location = |src: &AvroSource| Location::at(&src.shown, "");
    if let Ok(Err(e)) = backward {
        if changes.iter().all(|c| c.kind.strict().backward()) {
            changes.push(Change {
                kind: ChangeKind::AvroBackwardIncompatible,
                path: String::new(),
                old: None,
                new: Some(json!(e.to_string())),
                location: root_location(new),
                source_line: None,
            });
        }
    }
    if let Ok(Err(e)) = forward {
        if changes.iter().all(|c| c.kind.strict().forward()) {
            changes.push(Change {
                kind: ChangeKind::AvroForwardIncompatible,
                path: String::new(),
                old: None,
                new: Some(json!(e.to_string())),
                location: root_location(new),
                source_line: None,
            });
        }
    }
    normalize(&mut changes);
    Ok(changes)
}

const PRIMITIVES: &[&str] = &["null", "boolean", "int", "long", "float", "double", "bytes", "string"];

/// Avro's promotions: the writer's type (first) is read as the reader's (second).
fn promotes(writer: &str, reader: &str) -> bool {
    matches!(
        (writer, reader),
        ("int", "long" | "float" | "double")
            | ("long", "float" | "double")
            | ("float", "double")
            | ("string", "bytes")
            | ("bytes", "string")
    )
}

struct Side<'a> {
    src: &'a AvroSource,
    /// Named types by full name, with the pointer where each is defined.
    named: BTreeMap<String, (Value, String)>,
}

impl<'a> Side<'a> {
    fn new(src: &'a AvroSource, root: &Value) -> Side<'a> {
        let mut named = BTreeMap::new();
        collect(root, "", "", &mut named);
        Side { src, named }
    }

    fn place(&self, pointer: &str) -> (Location, Option<String>) {
        let d = Diagnostic::new(Location::at(&self.src.shown, pointer), "").locate_in(&self.src.text);
        (d.location, d.source_line)
    }

    /// Follows a reference to a named type.
    fn resolve<'v>(&'v self, v: &'v Value, pointer: &str, namespace: &str) -> (&'v Value, String) {
        if let Value::String(name) = v {
            if !PRIMITIVES.contains(&name.as_str()) {
                let full = if name.contains('.') || namespace.is_empty() {
                    name.clone()
                } else {
                    format!("{namespace}.{name}")
                };
                if let Some((value, at)) = self.named.get(&full).or_else(|| self.named.get(name)) {
                    return (value, at.clone());
                }
            }
        }
        (v, pointer.to_owned())
    }
}

fn full_name(v: &Value, namespace: &str) -> Option<String> {
    let name = v.get("name")?.as_str()?;
    if name.contains('.') {
        return Some(name.to_owned());
    }
    let ns = v.get("namespace").and_then(Value::as_str).unwrap_or(namespace);
    Some(if ns.is_empty() { name.to_owned() } else { format!("{ns}.{name}") })
}

fn namespace_of(v: &Value, namespace: &str) -> String {
    full_name(v, namespace)
        .and_then(|f| f.rsplit_once('.').map(|(ns, _)| ns.to_owned()))
        .unwrap_or(namespace.to_owned())
}

fn collect(v: &Value, pointer: &str, namespace: &str, out: &mut BTreeMap<String, (Value, String)>) {
    match v {
        Value::Array(branches) => {
            for (i, b) in branches.iter().enumerate() {
                collect(b, &format!("{pointer}/{i}"), namespace, out);
            }
        }
        Value::Object(map) => {
            if let Some(full) = full_name(v, namespace) {
                if matches!(map.get("type").and_then(Value::as_str), Some("record" | "error" | "enum" | "fixed")) {
                    out.entry(full).or_insert((v.clone(), pointer.to_owned()));
                }
            }
            let ns = namespace_of(v, namespace);
            if let Some(Value::Array(fields)) = map.get("fields") {
                for (i, f) in fields.iter().enumerate() {
                    if let Some(t) = f.get("type") {
                        collect(t, &format!("{pointer}/fields/{i}/type"), &ns, out);
                    }
                }
            }
            for key in ["items", "values"] {
                if let Some(t) = map.get(key) {
                    collect(t, &pointer_push(pointer, key), &ns, out);
                }
            }
            if let Some(t @ (Value::Object(_) | Value::Array(_))) = map.get("type") {
                collect(t, &pointer_push(pointer, "type"), namespace, out);
            }
        }
        _ => {}
    }
}

/// The type's name for matching union branches and reporting: a primitive, a full name, or
/// `array`/`map`.
fn type_name(v: &Value, namespace: &str) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) => match m.get("type") {
            Some(Value::String(t)) if matches!(t.as_str(), "record" | "error" | "enum" | "fixed") => {
                full_name(v, namespace).unwrap_or_else(|| t.clone())
            }
            Some(Value::String(t)) => t.clone(),
            Some(inner) => type_name(inner, namespace),
            None => "?".into(),
        },
        Value::Array(_) => "union".into(),
        _ => "?".into(),
    }
}

fn logical(v: &Value) -> Option<&Value> {
    v.get("logicalType")
}

struct Walker<'a> {
    old: Side<'a>,
    new: Side<'a>,
    changes: Vec<Change>,
    visited: HashSet<(String, String)>,
}

fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_owned()
    } else {
        format!("{path}.{segment}")
    }
}

impl Walker<'_> {
    fn push(
        &mut self,
        kind: ChangeKind,
        path: &str,
        on_new: bool,
        pointer: &str,
        old: Option<Value>,
        new: Option<Value>,
    ) {
        let (location, source_line) = if on_new { self.new.place(pointer) } else { self.old.place(pointer) };
        self.changes.push(Change { kind, path: path.to_owned(), old, new, location, source_line });
    }

    #[allow(clippy::too_many_arguments)]
    fn compare(
        &mut self,
        o: &Value,
        optr: &str,
        ons: &str,
        n: &Value,
        nptr: &str,
        nns: &str,
        path: &str,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let (o, optr) = {
            let (v, p) = self.old.resolve(o, optr, ons);
            (v.clone(), p)
        };
        let (n, nptr) = {
            let (v, p) = self.new.resolve(n, nptr, nns);
            (v.clone(), p)
        };
        let (ons, nns) = (namespace_of(&o, ons), namespace_of(&n, nns));
        let (on, nn) = (type_name(&o, &ons), type_name(&n, &nns));
        if !self.visited.insert((format!("{on}@{optr}"), format!("{nn}@{nptr}"))) {
            return;
        }
        match (&o, &n) {
            (Value::Array(ob), Value::Array(nb)) => {
                for (j, b) in nb.iter().enumerate() {
                    let name = type_name(b, &nns);
                    match ob.iter().position(|a| type_name(a, &ons) == name) {
                        Some(i) => self.compare(
                            &ob[i],
                            &format!("{optr}/{i}"),
                            &ons,
                            b,
                            &format!("{nptr}/{j}"),
                            &nns,
                            path,
                            depth + 1,
                        ),
                        None => self.push(
                            ChangeKind::AvroUnionBranchAdded,
                            path,
                            true,
                            &format!("{nptr}/{j}"),
                            None,
                            Some(json!(name)),
                        ),
                    }
                }
                for (i, a) in ob.iter().enumerate() {
                    let name = type_name(a, &ons);
                    if !nb.iter().any(|b| type_name(b, &nns) == name) {
                        self.push(
                            ChangeKind::AvroUnionBranchRemoved,
                            path,
                            false,
                            &format!("{optr}/{i}"),
                            Some(json!(name)),
                            None,
                        );
                    }
                }
            }
            (_, Value::Array(nb)) => {
                self.push(ChangeKind::AvroUnionBranchAdded, path, true, &nptr, Some(json!(on)), Some(json!(nn)));
                if let Some(j) = nb.iter().position(|b| type_name(b, &nns) == on) {
                    self.compare(&o, &optr, &ons, &nb[j], &format!("{nptr}/{j}"), &nns, path, depth + 1);
                }
            }
            (Value::Array(ob), _) => {
                self.push(ChangeKind::AvroUnionBranchRemoved, path, true, &nptr, Some(json!(on)), Some(json!(nn)));
                if let Some(i) = ob.iter().position(|a| type_name(a, &ons) == nn) {
                    self.compare(&ob[i], &format!("{optr}/{i}"), &ons, &n, &nptr, &nns, path, depth + 1);
                }
            }
            _ => self.compare_types(&o, &optr, &ons, &n, &nptr, &nns, path, depth),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn compare_types(
        &mut self,
        o: &Value,
        optr: &str,
        ons: &str,
        n: &Value,
        nptr: &str,
        nns: &str,
        path: &str,
        depth: usize,
    ) {
        use ChangeKind as K;
        let kind_of = |v: &Value| match v {
            Value::String(s) => s.clone(),
            Value::Object(m) => m.get("type").and_then(Value::as_str).unwrap_or("?").to_owned(),
            _ => "?".into(),
        };
        let (ok, nk) = (kind_of(o), kind_of(n));
        if logical(o) != logical(n) {
            self.push(K::AvroLogicalTypeChanged, path, true, nptr, logical(o).cloned(), logical(n).cloned());
        }
        if ok != nk {
            let kind = if promotes(&ok, &nk) { K::AvroTypePromoted } else { K::AvroTypeChanged };
            self.push(kind, path, true, nptr, Some(json!(ok)), Some(json!(nk)));
            return;
        }
        if matches!(ok.as_str(), "record" | "error" | "enum" | "fixed") {
            let (of, nf) = (full_name(o, ons).unwrap_or_default(), full_name(n, nns).unwrap_or_default());
            let aliased = n.get("aliases").and_then(Value::as_array).is_some_and(|a| {
                a.iter().filter_map(Value::as_str).any(|alias| alias == of || of.ends_with(&format!(".{alias}")))
            });
            if of != nf && !aliased {
                self.push(
                    K::AvroNameChanged,
                    path,
                    true,
                    &pointer_push(nptr, "name"),
                    Some(json!(of)),
                    Some(json!(nf)),
                );
            }
            self.aliases(o, optr, n, nptr, path);
            if o.get("doc") != n.get("doc") {
                self.push(K::AvroDocChanged, path, true, nptr, o.get("doc").cloned(), n.get("doc").cloned());
            }
        }
        match ok.as_str() {
            "record" | "error" => self.fields(o, optr, ons, n, nptr, nns, path, depth),
            "enum" => {
                let symbols = |v: &Value| -> Vec<String> {
                    v.get("symbols")
                        .and_then(Value::as_array)
                        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                        .unwrap_or_default()
                };
                let (os, ns) = (symbols(o), symbols(n));
                for s in ns.iter().filter(|s| !os.contains(s)) {
                    self.push(K::AvroEnumSymbolAdded, path, true, &pointer_push(nptr, "symbols"), None, Some(json!(s)));
                }
                for s in os.iter().filter(|s| !ns.contains(s)) {
                    self.push(
                        K::AvroEnumSymbolRemoved,
                        path,
                        false,
                        &pointer_push(optr, "symbols"),
                        Some(json!(s)),
                        None,
                    );
                }
                if o.get("default") != n.get("default") {
                    self.push(
                        K::AvroEnumDefaultChanged,
                        path,
                        true,
                        nptr,
                        o.get("default").cloned(),
                        n.get("default").cloned(),
                    );
                }
            }
            "fixed" if o.get("size") != n.get("size") => {
                self.push(
                    K::AvroFixedSizeChanged,
                    path,
                    true,
                    &pointer_push(nptr, "size"),
                    o.get("size").cloned(),
                    n.get("size").cloned(),
                );
            }
            "array" => {
                if let (Some(a), Some(b)) = (o.get("items"), n.get("items")) {
                    self.compare(
                        a,
                        &pointer_push(optr, "items"),
                        ons,
                        b,
                        &pointer_push(nptr, "items"),
                        nns,
                        &format!("{path}[]"),
                        depth + 1,
                    );
                }
            }
            "map" => {
                if let (Some(a), Some(b)) = (o.get("values"), n.get("values")) {
                    self.compare(
                        a,
                        &pointer_push(optr, "values"),
                        ons,
                        b,
                        &pointer_push(nptr, "values"),
                        nns,
                        &format!("{path}{{}}"),
                        depth + 1,
                    );
                }
            }
            _ => {}
        }
    }

    fn aliases(&mut self, o: &Value, optr: &str, n: &Value, nptr: &str, path: &str) {
        let list = |v: &Value| -> Vec<String> {
            v.get("aliases")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let (oa, na) = (list(o), list(n));
        for a in na.iter().filter(|a| !oa.contains(a)) {
            self.push(ChangeKind::AvroAliasAdded, path, true, &pointer_push(nptr, "aliases"), None, Some(json!(a)));
        }
        for a in oa.iter().filter(|a| !na.contains(a)) {
            self.push(ChangeKind::AvroAliasRemoved, path, false, &pointer_push(optr, "aliases"), Some(json!(a)), None);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn fields(&mut self, o: &Value, optr: &str, ons: &str, n: &Value, nptr: &str, nns: &str, path: &str, depth: usize) {
        use ChangeKind as K;
        let fields = |v: &Value| v.get("fields").and_then(Value::as_array).cloned().unwrap_or_default();
        let (of, nf) = (fields(o), fields(n));
        let name = |f: &Value| f.get("name").and_then(Value::as_str).unwrap_or("").to_owned();
        let aliases = |f: &Value| -> Vec<String> {
            f.get("aliases")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let mut matched_old = vec![false; of.len()];
        for (j, field) in nf.iter().enumerate() {
            let fname = name(field);
            let fptr = format!("{nptr}/fields/{j}");
            let fpath = join(path, &fname);
            let found = of.iter().position(|f| name(f) == fname).or_else(|| {
                let names = aliases(field);
                of.iter().position(|f| names.contains(&name(f)))
            });
            let Some(i) = found else {
                let kind = if field.get("default").is_some() {
                    K::AvroFieldAddedWithDefault
                } else {
                    K::AvroFieldAddedWithoutDefault
                };
                self.push(kind, &fpath, true, &fptr, None, Some(json!(fname)));
                continue;
            };
            matched_old[i] = true;
            let old_field = &of[i];
            let optr_f = format!("{optr}/fields/{i}");
            match (old_field.get("default"), field.get("default")) {
                (None, Some(d)) => {
                    self.push(K::AvroDefaultAdded, &fpath, true, &pointer_push(&fptr, "default"), None, Some(d.clone()))
                }
                (Some(d), None) => self.push(
                    K::AvroDefaultRemoved,
                    &fpath,
                    false,
                    &pointer_push(&optr_f, "default"),
                    Some(d.clone()),
                    None,
                ),
                (Some(a), Some(b)) if a != b => self.push(
                    K::AvroDefaultChanged,
                    &fpath,
                    true,
                    &pointer_push(&fptr, "default"),
                    Some(a.clone()),
                    Some(b.clone()),
                ),
                _ => {}
            }
            if old_field.get("doc") != field.get("doc") {
                self.push(
                    K::AvroDocChanged,
                    &fpath,
                    true,
                    &fptr,
                    old_field.get("doc").cloned(),
                    field.get("doc").cloned(),
                );
            }
            self.aliases(old_field, &optr_f, field, &fptr, &fpath);
            if let (Some(a), Some(b)) = (old_field.get("type"), field.get("type")) {
                self.compare(
                    a,
                    &pointer_push(&optr_f, "type"),
                    ons,
                    b,
                    &pointer_push(&fptr, "type"),
                    nns,
                    &fpath,
                    depth + 1,
                );
            }
        }
        for (i, field) in of.iter().enumerate().filter(|(i, _)| !matched_old[*i]) {
            let kind = if field.get("default").is_some() {
                K::AvroFieldRemovedWithDefault
            } else {
                K::AvroFieldRemovedWithoutDefault
            };
            self.push(
                kind,
                &join(path, &name(field)),
                false,
                &format!("{optr}/fields/{i}"),
                Some(json!(name(field))),
                None,
            );
        }
    }
}
