//! Protobuf diff: protox compiles both versions (pure Rust, no protoc) into descriptors, which
//! are compared field by field by number, as the wire sees them, and by name, as the proto3 JSON
//! mapping does (buf's `WIRE` and `WIRE_JSON` rules).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use prost_reflect::{DescriptorPool, EnumDescriptor, FieldDescriptor, Kind, MessageDescriptor};
use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};
use serde_json::{json, Value};

use crate::compat::{normalize, Change, ChangeKind};
use eventbind_build::diagnostic::{Diagnostic, Error, Location};

/// One version of a Protobuf schema: the `.proto` files it may import (by import path), the
/// file holding the payload message, and how files are shown.
#[derive(Debug, Clone)]
pub struct ProtoSource {
    /// Import path → text.
    pub files: BTreeMap<String, String>,
    /// The import path of the file to compile.
    pub entry: String,
    /// What the import paths are relative to, as shown to users.
    pub root: PathBuf,
}

impl ProtoSource {
    /// A `.proto` file on disk; files it imports are looked up beside it.
    pub fn read(path: &Path) -> Result<ProtoSource, Error> {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut files = BTreeMap::new();
        let entry = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let text = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
        files.insert(entry.clone(), eventbind_build::source::decode_text(text, path)?);
        if let Ok(dir) = std::fs::read_dir(if root.as_os_str().is_empty() { Path::new(".") } else { &root }) {
            for entry in dir.flatten() {
                let p = entry.path();
                if p.extension().is_some_and(|e| e == "proto") {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if let Ok(text) = std::fs::read_to_string(&p) {
                        files.entry(name).or_insert(text);
                    }
                }
            }
        }
        Ok(ProtoSource { files, entry, root })
    }

    fn shown(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }
}

struct MemoryResolver(BTreeMap<String, String>);

impl FileResolver for MemoryResolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        match self.0.get(name) {
            Some(text) => File::from_source(name, text),
            None => Err(protox::Error::file_not_found(name)),
        }
    }
}

pub(crate) fn compile(src: &ProtoSource) -> Result<DescriptorPool, Error> {
    let mut chain = ChainFileResolver::new();
    chain.add(MemoryResolver(src.files.clone()));
    chain.add(GoogleFileResolver::new());
    let mut compiler = protox::Compiler::with_file_resolver(chain);
    compiler.include_imports(true);
    match compiler.open_file(&src.entry) {
        Ok(_) => Ok(compiler.descriptor_pool()),
        Err(e) => {
            let file = e.file().map(|f| src.shown(f)).unwrap_or_else(|| src.shown(&src.entry));
            Err(Diagnostic::new(Location::file(file), format!("invalid Protobuf schema: {e}")).into())
        }
    }
}

/// Diffs the payload message `message` (fully qualified) of two Protobuf schemas; `new_message`
/// names it in the new version when it moved.
pub fn diff(
    old: &ProtoSource,
    new: &ProtoSource,
    message: &str,
    new_message: Option<&str>,
) -> Result<Vec<Change>, Error> {
    let (old_pool, new_pool) = (compile(old)?, compile(new)?);
    let new_message = new_message.unwrap_or(message);
    let find = |pool: &DescriptorPool, src: &ProtoSource, name: &str| {
        pool.get_message_by_name(name.trim_start_matches('.')).ok_or_else(|| {
            Error::from(
                Diagnostic::new(Location::file(src.shown(&src.entry)), format!("no message `{name}` in this schema"))
                    .help("name the payload message with its package, e.g. `shop.orders.v1.OrderPlaced`"),
            )
        })
    };
    let om = find(&old_pool, old, message)?;
    // A message whose file changed package is found by its name within the package.
    let moved = || {
        let package = |pool: &DescriptorPool, src: &ProtoSource| {
            pool.get_file_by_name(&src.entry).map(|f| f.package_name().to_owned()).unwrap_or_default()
        };
        let (from, to) = (package(&old_pool, old), package(&new_pool, new));
        let local = om.full_name().strip_prefix(&format!("{from}.")).unwrap_or(om.full_name());
        let name = if to.is_empty() { local.to_owned() } else { format!("{to}.{local}") };
        new_pool.get_message_by_name(&name)
    };
    let nm = match find(&new_pool, new, new_message) {
        Ok(nm) => nm,
        Err(e) => moved().ok_or(e)?,
    };
    let mut walker = Walker { old, new, changes: Vec::new(), visited: HashSet::new() };
    if om.full_name() != nm.full_name() {
        let at = walker.place(true, nm.parent_file().name(), nm.name(), None);
        walker.changes.push(Change {
            kind: ChangeKind::ProtoMessageNameChanged,
            path: String::new(),
            old: Some(json!(om.full_name())),
            new: Some(json!(nm.full_name())),
            location: at.0,
            source_line: at.1,
        });
    }
    walker.message(&om, &nm, nm.name());
    let mut changes = walker.changes;
    normalize(&mut changes);
    Ok(changes)
}

/// Scalar types whose binary encodings read as each other (buf's wire-compatible groups).
fn wire_group(kind: &Kind) -> Option<u8> {
    Some(match kind {
        Kind::Int32 | Kind::Int64 | Kind::Uint32 | Kind::Uint64 | Kind::Bool => 0,
        Kind::Sint32 | Kind::Sint64 => 1,
        Kind::Fixed32 | Kind::Sfixed32 => 2,
        Kind::Fixed64 | Kind::Sfixed64 => 3,
        Kind::String | Kind::Bytes => 4,
        _ => return None,
    })
}

fn kind_name(kind: &Kind) -> String {
    match kind {
        Kind::Message(m) => m.full_name().to_owned(),
        Kind::Enum(e) => e.full_name().to_owned(),
        other => format!("{other:?}").to_lowercase(),
    }
}

fn cardinality(f: &FieldDescriptor) -> &'static str {
    if f.is_map() {
        "map"
    } else if f.is_list() {
        "repeated"
    } else {
        "singular"
    }
}

struct Walker<'a> {
    old: &'a ProtoSource,
    new: &'a ProtoSource,
    changes: Vec<Change>,
    visited: HashSet<(String, String)>,
}

impl Walker<'_> {
    /// The line of a declaration (`name = number` or `message Name`) in a file, found in its text.
    fn place(&self, on_new: bool, file: &str, name: &str, number: Option<i64>) -> (Location, Option<String>) {
        let src = if on_new { self.new } else { self.old };
        let shown = src.shown(file);
        let Some(text) = src.files.get(file) else {
            return (Location::file(shown), None);
        };
        let pattern = match number {
            Some(n) => format!(r"\b{}\s*=\s*{n}\b", regex::escape(name)),
            None => format!(r"\b(message|enum)\s+{}\b", regex::escape(name)),
        };
        let found = regex::Regex::new(&pattern).ok().and_then(|re| re.find(text)).map(|m| m.start());
        match found {
            Some(at) => {
                let line = text[..at].matches('\n').count() + 1;
                let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
                let source = text.lines().nth(line - 1).map(str::to_owned);
                (Location { file: shown, pointer: None, line_col: Some((line, col)) }, source)
            }
            None => (Location::file(shown), None),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push_field(
        &mut self,
        kind: ChangeKind,
        path: &str,
        on_new: bool,
        f: &FieldDescriptor,
        old: Option<Value>,
        new: Option<Value>,
    ) {
        let file = f.parent_file().name().to_owned();
        let (location, source_line) = self.place(on_new, &file, f.name(), Some(i64::from(f.number())));
        self.changes.push(Change { kind, path: path.to_owned(), old, new, location, source_line });
    }

    fn message(&mut self, om: &MessageDescriptor, nm: &MessageDescriptor, path: &str) {
        if !self.visited.insert((om.full_name().to_owned(), nm.full_name().to_owned())) {
            return;
        }
        use ChangeKind as K;
        for nf in nm.fields() {
            let p = format!("{path}.{}", nf.name());
            match om.get_field(nf.number()) {
                Some(of) => self.field(&of, &nf, &p),
                None if om.reserved_ranges().any(|r| r.contains(&nf.number())) => self.push_field(
                    K::ProtoFieldNumberReused,
                    &p,
                    true,
                    &nf,
                    Some(json!("reserved")),
                    Some(json!(nf.number())),
                ),
                None => self.push_field(K::ProtoFieldAdded, &p, true, &nf, None, Some(json!(nf.number()))),
            }
        }
        for of in om.fields().filter(|f| nm.get_field(f.number()).is_none()) {
            let p = format!("{path}.{}", of.name());
            let reserved = nm.reserved_ranges().any(|r| r.contains(&of.number()));
            let kind = if reserved { K::ProtoFieldRemovedReserved } else { K::ProtoFieldRemovedNotReserved };
            self.push_field(kind, &p, false, &of, Some(json!(of.number())), None);
        }
    }

    fn field(&mut self, of: &FieldDescriptor, nf: &FieldDescriptor, path: &str) {
        use ChangeKind as K;
        if of.name() != nf.name() {
            let (ok, nk) = (kind_name(&of.kind()), kind_name(&nf.kind()));
            // A new name and a new type on an old number: a different field reusing it.
            if ok != nk && wire_group(&of.kind()).is_none_or(|g| Some(g) != wire_group(&nf.kind())) {
                self.push_field(
                    K::ProtoFieldNumberReused,
                    path,
                    true,
                    nf,
                    Some(json!(of.name())),
                    Some(json!(nf.name())),
                );
                return;
            }
            self.push_field(K::ProtoFieldNameChanged, path, true, nf, Some(json!(of.name())), Some(json!(nf.name())));
        } else if of.json_name() != nf.json_name() {
            self.push_field(
                K::ProtoFieldJsonNameChanged,
                path,
                true,
                nf,
                Some(json!(of.json_name())),
                Some(json!(nf.json_name())),
            );
        }
        if cardinality(of) != cardinality(nf) {
            self.push_field(
                K::ProtoFieldLabelChanged,
                path,
                true,
                nf,
                Some(json!(cardinality(of))),
                Some(json!(cardinality(nf))),
            );
            return;
        }
        let presence = |f: &FieldDescriptor| match (f.cardinality(), f.supports_presence()) {
            (prost_reflect::Cardinality::Required, _) => "required",
            (_, true) => "explicit",
            (_, false) => "implicit",
        };
        if !of.is_list() && presence(of) != presence(nf) {
            self.push_field(
                K::ProtoFieldPresenceChanged,
                path,
                true,
                nf,
                Some(json!(presence(of))),
                Some(json!(presence(nf))),
            );
        }
        let oneof =
            |f: &FieldDescriptor| f.containing_oneof().filter(|o| !o.is_synthetic()).map(|o| o.name().to_owned());
        if oneof(of) != oneof(nf) {
            self.push_field(
                K::ProtoFieldOneofChanged,
                path,
                true,
                nf,
                oneof(of).map(Value::from),
                oneof(nf).map(Value::from),
            );
        }
        match (of.kind(), nf.kind()) {
            (Kind::Message(a), Kind::Message(b)) => {
                if a.full_name() != b.full_name() {
                    self.push_field(
                        K::ProtoFieldTypeNameChanged,
                        path,
                        true,
                        nf,
                        Some(json!(a.full_name())),
                        Some(json!(b.full_name())),
                    );
                }
                self.message(&a, &b, path);
            }
            (Kind::Enum(a), Kind::Enum(b)) => {
                if a.full_name() != b.full_name() {
                    self.push_field(
                        K::ProtoFieldTypeNameChanged,
                        path,
                        true,
                        nf,
                        Some(json!(a.full_name())),
                        Some(json!(b.full_name())),
                    );
                }
                self.enumeration(&a, &b, path);
            }
            (a, b) if kind_name(&a) != kind_name(&b) => {
                let kind = match (wire_group(&a), wire_group(&b)) {
                    (Some(x), Some(y)) if x == y => K::ProtoFieldTypeChangedWireCompatible,
                    _ => K::ProtoFieldTypeChanged,
                };
                self.push_field(kind, path, true, nf, Some(json!(kind_name(&a))), Some(json!(kind_name(&b))));
            }
            _ => {}
        }
    }

    fn enumeration(&mut self, oe: &EnumDescriptor, ne: &EnumDescriptor, path: &str) {
        use ChangeKind as K;
        if !self.visited.insert((oe.full_name().to_owned(), ne.full_name().to_owned())) {
            return;
        }
        let place = |this: &Self, on_new: bool, e: &EnumDescriptor, name: &str, number: i32| {
            this.place(on_new, e.parent_file().name(), name, Some(i64::from(number)))
        };
        for nv in ne.values() {
            let p = format!("{path}.{}", nv.name());
            let (kind, old) = match oe.get_value(nv.number()) {
                Some(ov) if ov.name() == nv.name() => continue,
                Some(ov) => (K::ProtoEnumValueNameChanged, Some(json!(ov.name()))),
                None => (K::ProtoEnumValueAdded, None),
            };
            let (location, source_line) = place(self, true, ne, nv.name(), nv.number());
            self.changes.push(Change { kind, path: p, old, new: Some(json!(nv.name())), location, source_line });
        }
        for ov in oe.values().filter(|v| ne.get_value(v.number()).is_none()) {
            let reserved = ne.reserved_ranges().any(|r| r.contains(&ov.number()));
            let kind = if reserved { K::ProtoEnumValueRemovedReserved } else { K::ProtoEnumValueRemovedNotReserved };
            let (location, source_line) = place(self, false, oe, ov.name(), ov.number());
            let p = format!("{path}.{}", ov.name());
            self.changes.push(Change { kind, path: p, old: Some(json!(ov.name())), new: None, location, source_line });
        }
    }
}
