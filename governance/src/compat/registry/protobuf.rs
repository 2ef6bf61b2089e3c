//! Protobuf compatibility as Confluent's Schema Registry decides it (its Protobuf compatibility
//! checker, not buf's rules): a directed comparison of an original file (the writer's) with an
//! update (the reader's), naming each difference by the registry's Protobuf difference types.
//!
//! The rules, from the registry's documentation and its Protobuf diff:
//! - the file: a different `package` is incompatible; messages and enums are matched by name in
//!   each scope. A message may be added or moved, not removed; enums and enum constants may be
//!   added, removed or renamed.
//! - fields, matched by number: adding, removing and renaming are compatible, except proto2
//!   `required` fields, which may be neither added nor removed. A field's kind (scalar, message,
//!   map) must stay; scalars must stay in their wire group (`int32`/`int64`/`uint32`/`uint64`/
//!   `bool` and enums; `sint32`/`sint64`; `string`/`bytes`; `fixed32`/`sfixed32`;
//!   `fixed64`/`sfixed64`; `float`; `double`), so an enum and an integer read as each other.
//!   A written label (`optional`, `required`, `repeated`) may change on `string`/`bytes` fields,
//!   not on numeric ones; a field without a label (proto3 implicit presence, oneof members, maps)
//!   has no label to compare. A message field must keep its type's name (without package); a
//!   type from another file whose file changed is compared in turn.
//! - oneofs: adding and removing a oneof, and adding a field to one, are compatible; moving one
//!   existing field into a new oneof is compatible, moving several into one, or one into a oneof
//!   that already had fields, is not; a field that leaves a oneof but stays in the message is
//!   not removed; removing a field from a oneof is incompatible.
//! - imports themselves are not compared; the types they bring are, where fields use them.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use prost_reflect::{Cardinality, DescriptorPool, EnumDescriptor, FieldDescriptor, Kind, MessageDescriptor, Syntax};

use super::{Difference, RegistryCheck};
use crate::compat::protobuf::{compile, ProtoSource};
use eventbind_build::diagnostic::{Error, Location};

rules! {
    "Protobuf";
    PACKAGE_CHANGED = false,
    MESSAGE_ADDED = true,
    MESSAGE_REMOVED = false,
    MESSAGE_MOVED = true,
    ENUM_ADDED = true,
    ENUM_REMOVED = true,
    ENUM_CONST_ADDED = true,
    ENUM_CONST_CHANGED = true,
    ENUM_CONST_REMOVED = true,
    FIELD_ADDED = true,
    FIELD_REMOVED = true,
    FIELD_NAME_CHANGED = true,
    FIELD_KIND_CHANGED = false,
    FIELD_SCALAR_KIND_CHANGED = false,
    FIELD_NAMED_TYPE_CHANGED = false,
    FIELD_NUMERIC_LABEL_CHANGED = false,
    FIELD_STRING_OR_BYTES_LABEL_CHANGED = true,
    REQUIRED_FIELD_ADDED = false,
    REQUIRED_FIELD_REMOVED = false,
    ONEOF_ADDED = true,
    ONEOF_REMOVED = true,
    ONEOF_FIELD_ADDED = true,
    ONEOF_FIELD_REMOVED = false,
    MULTIPLE_FIELDS_MOVED_TO_ONEOF = false,
    FIELD_MOVED_TO_EXISTING_ONEOF = false,
}

/// A label as written in the `.proto` text; fields without one (proto3 implicit presence, oneof
/// members, maps) have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Optional,
    Required,
    Repeated,
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    number: i32,
    label: Option<Label>,
    /// A scalar's name, `map<K, V>`, or a named type's full name with a leading dot.
    ty: String,
    /// For maps: the key and value types.
    map: Option<(String, String)>,
    file: String,
}

#[derive(Debug, Clone)]
struct Oneof {
    name: String,
    fields: Vec<Field>,
}

#[derive(Debug, Clone)]
struct Message {
    name: String,
    full_name: String,
    file: String,
    /// Fields outside oneofs.
    fields: Vec<Field>,
    oneofs: Vec<Oneof>,
    nested: Vec<Type>,
}

#[derive(Debug, Clone)]
struct Enum {
    name: String,
    file: String,
    values: Vec<(String, i32)>,
}

#[derive(Debug, Clone)]
enum Type {
    Message(Message),
    Enum(Enum),
}

/// Which schema file a named type comes from: the registered file itself, or a dependency
/// (registered as a reference) by its import path and text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Main,
    Dependency(String, Option<String>),
}

struct TypeInfo {
    package: String,
    origin: Origin,
    ty: Type,
}

/// One side: the file's package and types, and every named type it can reach.
struct Schema<'s> {
    src: &'s ProtoSource,
    package: String,
    types: Vec<Type>,
    by_name: HashMap<String, TypeInfo>,
}

fn scalar(kind: &Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Double => "double",
        Kind::Float => "float",
        Kind::Int32 => "int32",
        Kind::Int64 => "int64",
        Kind::Uint32 => "uint32",
        Kind::Uint64 => "uint64",
        Kind::Sint32 => "sint32",
        Kind::Sint64 => "sint64",
        Kind::Fixed32 => "fixed32",
        Kind::Fixed64 => "fixed64",
        Kind::Sfixed32 => "sfixed32",
        Kind::Sfixed64 => "sfixed64",
        Kind::Bool => "bool",
        Kind::String => "string",
        Kind::Bytes => "bytes",
        Kind::Message(_) | Kind::Enum(_) => return None,
    })
}

fn type_name(kind: &Kind) -> String {
    match kind {
        Kind::Message(m) => format!(".{}", m.full_name()),
        Kind::Enum(e) => format!(".{}", e.full_name()),
        other => scalar(other).unwrap_or_default().to_owned(),
    }
}

fn field(f: &FieldDescriptor) -> Field {
    let file = f.parent_file().name().to_owned();
    let in_oneof = f.containing_oneof().is_some_and(|o| !o.is_synthetic());
    if f.is_map() {
        if let Kind::Message(entry) = f.kind() {
            let (k, v) =
                (type_name(&entry.map_entry_key_field().kind()), type_name(&entry.map_entry_value_field().kind()));
            return Field {
                name: f.name().to_owned(),
                number: f.number() as i32,
                label: None,
                ty: format!("map<{k}, {v}>"),
                map: Some((k, v)),
                file,
            };
        }
    }
    let proto3 = f.parent_file().syntax() == Syntax::Proto3;
    let label = if in_oneof {
        None
    } else {
        match f.cardinality() {
            Cardinality::Required => Some(Label::Required),
            Cardinality::Repeated => Some(Label::Repeated),
            Cardinality::Optional if proto3 && !f.field_descriptor_proto().proto3_optional() => None,
            Cardinality::Optional => Some(Label::Optional),
        }
    };
    Field { name: f.name().to_owned(), number: f.number() as i32, label, ty: type_name(&f.kind()), map: None, file }
}

fn message(m: &MessageDescriptor) -> Message {
    let fields =
        m.fields().filter(|f| f.containing_oneof().is_none_or(|o| o.is_synthetic())).map(|f| field(&f)).collect();
    let oneofs = m
        .oneofs()
        .filter(|o| !o.is_synthetic())
        .map(|o| Oneof { name: o.name().to_owned(), fields: o.fields().map(|f| field(&f)).collect() })
        .collect();
    // Map entries are not declared in the text the registry reads.
    let mut nested: Vec<Type> =
        m.child_messages().filter(|c| !c.is_map_entry()).map(|c| Type::Message(message(&c))).collect();
    nested.extend(m.child_enums().map(|e| Type::Enum(enumeration(&e))));
    Message {
        name: m.name().to_owned(),
        full_name: m.full_name().to_owned(),
        file: m.parent_file().name().to_owned(),
        fields,
        oneofs,
        nested,
    }
}

fn enumeration(e: &EnumDescriptor) -> Enum {
    Enum {
        name: e.name().to_owned(),
        file: e.parent_file().name().to_owned(),
        values: e.values().map(|v| (v.name().to_owned(), v.number())).collect(),
    }
}

impl<'s> Schema<'s> {
    fn new(src: &'s ProtoSource, pool: &DescriptorPool) -> Schema<'s> {
        let mut by_name = HashMap::new();
        let mut main = (String::new(), Vec::new());
        for file in pool.files() {
            let origin = if file.name() == src.entry {
                Origin::Main
            } else {
                Origin::Dependency(file.name().to_owned(), src.files.get(file.name()).cloned())
            };
            let mut types: Vec<Type> = file.messages().map(|m| Type::Message(message(&m))).collect();
            types.extend(file.enums().map(|e| Type::Enum(enumeration(&e))));
            let package = file.package_name().to_owned();
            let mut stack: Vec<(String, Type)> =
                types.iter().map(|t| (qualify(&package, type_simple_name(t)), t.clone())).collect();
            while let Some((name, ty)) = stack.pop() {
                if let Type::Message(m) = &ty {
                    for n in &m.nested {
                        stack.push((format!("{name}.{}", type_simple_name(n)), n.clone()));
                    }
                }
                by_name.insert(name, TypeInfo { package: package.clone(), origin: origin.clone(), ty });
            }
            if file.name() == src.entry {
                // Declaration order (messages and enums interleaved) only matters for message
                // indexes, which count messages alone.
                main = (package, types);
            }
        }
        Schema { src, package: main.0, types: main.1, by_name }
    }
}

fn qualify(package: &str, name: &str) -> String {
    if package.is_empty() {
        name.to_owned()
    } else {
        format!("{package}.{name}")
    }
}

fn type_simple_name(t: &Type) -> &str {
    match t {
        Type::Message(m) => &m.name,
        Type::Enum(e) => &e.name,
    }
}

/// The registry's verdicts between two versions of a Protobuf schema file.
pub fn check(old: &ProtoSource, new: &ProtoSource) -> Result<RegistryCheck, Error> {
    let (old_pool, new_pool) = (compile(old)?, compile(new)?);
    let (old_schema, new_schema) = (Schema::new(old, &old_pool), Schema::new(new, &new_pool));
    let run = |original: &Schema<'_>, update: &Schema<'_>, new_is_update: bool| {
        let mut ctx = Context { original, update, path: Vec::new(), diffs: Vec::new(), in_progress: HashSet::new() };
        ctx.file();
        let mut out: Vec<Difference> = ctx
            .diffs
            .into_iter()
            .map(|d| {
                // Shown in NEW where the declaration is there, else in OLD.
                let (new_src, old_src) =
                    if new_is_update { (update.src, original.src) } else { (original.src, update.src) };
                let (in_new, in_old) =
                    if new_is_update { (&d.new_place, &d.old_place) } else { (&d.old_place, &d.new_place) };
                let (location, source_line) = match (in_new, in_old) {
                    (Some(p), _) => locate(new_src, p),
                    (None, Some(p)) => locate(old_src, p),
                    (None, None) => locate(new_src, &Place::File(new_src.entry.clone())),
                };
                Difference { rule: d.rule.name(), path: d.path, compatible: d.rule.compatible(), location, source_line }
            })
            .collect();
        out.sort_by(|a, b| (&a.path, a.rule).cmp(&(&b.path, b.rule)));
        out.dedup_by(|a, b| a.path == b.path && a.rule == b.rule);
        out
    };
    Ok(RegistryCheck { backward: run(&old_schema, &new_schema, true), forward: run(&new_schema, &old_schema, false) })
}

/// Where a difference is shown.
#[derive(Debug, Clone)]
enum Place {
    File(String),
    /// A declaration: file, name, and the number for fields and enum values.
    Declared(String, String, Option<i32>),
}

struct Diff {
    rule: Rule,
    path: String,
    /// The place in the update and in the original (named so: `new_place` is the update's).
    new_place: Option<Place>,
    old_place: Option<Place>,
}

struct Context<'x, 's> {
    original: &'x Schema<'s>,
    update: &'x Schema<'s>,
    path: Vec<String>,
    diffs: Vec<Diff>,
    /// Messages of the original being compared, so that recursive types end.
    in_progress: HashSet<String>,
}

fn field_place(f: &Field) -> Place {
    Place::Declared(f.file.clone(), f.name.clone(), Some(f.number))
}

fn type_place(t: &Type) -> Place {
    match t {
        Type::Message(m) => Place::Declared(m.file.clone(), m.name.clone(), None),
        Type::Enum(e) => Place::Declared(e.file.clone(), e.name.clone(), None),
    }
}

impl Context<'_, '_> {
    fn add(&mut self, rule: Rule, update: Option<Place>, original: Option<Place>) {
        self.diffs.push(Diff {
            rule,
            path: format!("#/{}", self.path.join("/")),
            new_place: update,
            old_place: original,
        });
    }

    fn compatible_since(&self, start: usize) -> bool {
        self.diffs[start..].iter().all(|d| d.rule.compatible())
    }

    fn file(&mut self) {
        if self.original.package != self.update.package {
            self.add(Rule::PACKAGE_CHANGED, Some(Place::File(self.update.src.entry.clone())), None);
        }
        let (o, u) = (self.original.types.clone(), self.update.types.clone());
        self.types(&o, &u);
    }

    fn types(&mut self, original: &[Type], update: &[Type]) {
        let ((om, oe), (um, ue)) = (split_types(original), split_types(update));
        let names: BTreeSet<&str> = om.keys().chain(um.keys()).copied().collect();
        for name in names {
            self.path.push(name.to_owned());
            match (om.get(name), um.get(name)) {
                (Some((_, m)), None) => {
                    let place = type_place(&Type::Message((*m).clone()));
                    self.add(Rule::MESSAGE_REMOVED, None, Some(place));
                }
                (None, Some((_, m))) => {
                    let place = type_place(&Type::Message((*m).clone()));
                    self.add(Rule::MESSAGE_ADDED, Some(place), None);
                }
                (Some((i, a)), Some((j, b))) => {
                    self.message(a, b);
                    if i != j {
                        let place = type_place(&Type::Message((*b).clone()));
                        self.add(Rule::MESSAGE_MOVED, Some(place), None);
                    }
                }
                (None, None) => {}
            }
            self.path.pop();
        }
        let names: BTreeSet<&str> = oe.keys().chain(ue.keys()).copied().collect();
        for name in names {
            self.path.push(name.to_owned());
            match (oe.get(name), ue.get(name)) {
                (Some(e), None) => self.add(Rule::ENUM_REMOVED, None, Some(type_place(&Type::Enum((*e).clone())))),
                (None, Some(e)) => self.add(Rule::ENUM_ADDED, Some(type_place(&Type::Enum((*e).clone()))), None),
                (Some(a), Some(b)) => self.enumeration(a, b),
                (None, None) => {}
            }
            self.path.pop();
        }
    }

    fn enumeration(&mut self, a: &Enum, b: &Enum) {
        let by_number = |e: &Enum| -> BTreeMap<i32, String> { e.values.iter().map(|(n, v)| (*v, n.clone())).collect() };
        let (x, y) = (by_number(a), by_number(b));
        let numbers: BTreeSet<i32> = x.keys().chain(y.keys()).copied().collect();
        for number in numbers {
            self.path.push(number.to_string());
            let (placed_a, placed_b) = (
                x.get(&number).map(|n| Place::Declared(a.file.clone(), n.clone(), Some(number))),
                y.get(&number).map(|n| Place::Declared(b.file.clone(), n.clone(), Some(number))),
            );
            match (x.get(&number), y.get(&number)) {
                (Some(_), None) => self.add(Rule::ENUM_CONST_REMOVED, None, placed_a),
                (None, Some(_)) => self.add(Rule::ENUM_CONST_ADDED, placed_b, None),
                (Some(p), Some(q)) if p != q => self.add(Rule::ENUM_CONST_CHANGED, placed_b, placed_a),
                _ => {}
            }
            self.path.pop();
        }
    }

    fn message(&mut self, a: &Message, b: &Message) {
        if self.in_progress.insert(a.full_name.clone()) {
            self.message_fields(a, b);
            self.in_progress.remove(&a.full_name);
        }
        self.types(&a.nested, &b.nested);
    }

    fn message_fields(&mut self, a: &Message, b: &Message) {
        let mut original_top: BTreeMap<i32, &Field> = a.fields.iter().map(|f| (f.number, f)).collect();
        let update_top: BTreeMap<i32, &Field> = b.fields.iter().map(|f| (f.number, f)).collect();
        let mut original_all = original_top.clone();
        let mut update_all = update_top.clone();
        let mut original_oneof_of: BTreeMap<i32, &str> = BTreeMap::new();
        let mut update_oneof_of: BTreeMap<i32, &str> = BTreeMap::new();
        let mut original_in_oneofs: BTreeMap<i32, &Field> = BTreeMap::new();
        for oneof in &a.oneofs {
            for f in &oneof.fields {
                original_in_oneofs.insert(f.number, f);
                original_all.insert(f.number, f);
                original_oneof_of.insert(f.number, &oneof.name);
            }
        }
        for oneof in &b.oneofs {
            self.path.push(oneof.name.clone());
            let (mut moved, mut existing) = (Vec::new(), 0);
            for f in &oneof.fields {
                update_all.insert(f.number, f);
                update_oneof_of.insert(f.number, &oneof.name);
                // A field that moved into the oneof is not a removed field.
                if original_top.remove(&f.number).is_some() {
                    moved.push(f);
                } else if original_in_oneofs.contains_key(&f.number) {
                    existing += 1;
                }
            }
            let place = moved.first().map(|f| field_place(f));
            let moved = moved.len();
            if moved > 1 {
                self.add(Rule::MULTIPLE_FIELDS_MOVED_TO_ONEOF, place, None);
            } else if moved == 1 && existing > 0 {
                self.add(Rule::FIELD_MOVED_TO_EXISTING_ONEOF, place, None);
            }
            self.path.pop();
        }
        let oneof_names: BTreeSet<&str> = a.oneofs.iter().chain(&b.oneofs).map(|o| o.name.as_str()).collect();
        for name in oneof_names {
            self.path.push(name.to_owned());
            let (x, y) = (a.oneofs.iter().find(|o| o.name == name), b.oneofs.iter().find(|o| o.name == name));
            match (x, y) {
                (Some(x), None) => self.add(Rule::ONEOF_REMOVED, None, x.fields.first().map(field_place)),
                (None, Some(y)) => self.add(Rule::ONEOF_ADDED, y.fields.first().map(field_place), None),
                (Some(x), Some(y)) => {
                    let (xs, ys): (BTreeMap<i32, &Field>, BTreeMap<i32, &Field>) = (
                        x.fields.iter().map(|f| (f.number, f)).collect(),
                        y.fields.iter().map(|f| (f.number, f)).collect(),
                    );
                    let numbers: BTreeSet<i32> = xs.keys().chain(ys.keys()).copied().collect();
                    for number in numbers {
                        self.path.push(number.to_string());
                        match (xs.get(&number), ys.get(&number)) {
                            // Only a field gone from the whole message is removed from the oneof.
                            (Some(f), None) if !update_all.contains_key(&number) => {
                                self.add(Rule::ONEOF_FIELD_REMOVED, None, Some(field_place(f)))
                            }
                            (None, Some(f)) => self.add(Rule::ONEOF_FIELD_ADDED, Some(field_place(f)), None),
                            (Some(f), Some(g)) => self.field(f, g),
                            _ => {}
                        }
                        self.path.pop();
                    }
                }
                (None, None) => {}
            }
            self.path.pop();
        }
        let numbers: BTreeSet<i32> = original_top.keys().chain(update_top.keys()).copied().collect();
        for number in numbers {
            self.path.push(number.to_string());
            match (original_top.get(&number), update_top.get(&number)) {
                (Some(f), None) => {
                    let rule = if f.label == Some(Label::Required) {
                        Rule::REQUIRED_FIELD_REMOVED
                    } else {
                        Rule::FIELD_REMOVED
                    };
                    self.add(rule, None, Some(field_place(f)));
                }
                (None, Some(f)) => {
                    let rule =
                        if f.label == Some(Label::Required) { Rule::REQUIRED_FIELD_ADDED } else { Rule::FIELD_ADDED };
                    self.add(rule, Some(field_place(f)), None);
                }
                (Some(f), Some(g)) => self.field(f, g),
                (None, None) => {}
            }
            self.path.pop();
        }
        // Fields whose oneof changed (into, out of, between) are compared by number too.
        for (number, f) in &original_all {
            let Some(g) = update_all.get(number) else { continue };
            let (x, y) = (original_oneof_of.get(number), update_oneof_of.get(number));
            if (x.is_none() && y.is_none()) || (x.is_some() && x == y) {
                continue;
            }
            self.path.push(number.to_string());
            self.field(f, g);
            self.path.pop();
        }
    }

    fn field(&mut self, a: &Field, b: &Field) {
        let (pa, pb) = (Some(field_place(a)), Some(field_place(b)));
        if a.name != b.name {
            self.add(Rule::FIELD_NAME_CHANGED, pb.clone(), pa.clone());
        }
        self.labels_and_types(a.label, &a.ty, a.map.as_ref(), b.label, &b.ty, b.map.as_ref(), (pb, pa));
    }

    #[allow(clippy::too_many_arguments)]
    fn labels_and_types(
        &mut self,
        la: Option<Label>,
        ta: &str,
        ma: Option<&(String, String)>,
        lb: Option<Label>,
        tb: &str,
        mb: Option<&(String, String)>,
        places: (Option<Place>, Option<Place>),
    ) {
        let (ka, kb) = (self.kind(ta, ma, true), self.kind(tb, mb, false));
        if ka != kb {
            self.add(Rule::FIELD_KIND_CHANGED, places.0, places.1);
            return;
        }
        match ka {
            FieldKind::Scalar => {
                let (sa, sb) = (self.scalar_kind(ta), self.scalar_kind(tb));
                if sa != sb {
                    self.add(Rule::FIELD_SCALAR_KIND_CHANGED, places.0, places.1);
                } else if let (Some(x), Some(y)) = (la, lb) {
                    if x != y {
                        let rule = if sa == ScalarKind::StringOrBytes {
                            Rule::FIELD_STRING_OR_BYTES_LABEL_CHANGED
                        } else {
                            Rule::FIELD_NUMERIC_LABEL_CHANGED
                        };
                        self.add(rule, places.0, places.1);
                    }
                }
            }
            FieldKind::Message => self.message_types(ta, tb, places),
            FieldKind::Map => {
                if let (Some((ka, va)), Some((kb, vb))) = (ma, mb) {
                    self.labels_and_types(None, ka, None, None, kb, None, places.clone());
                    self.labels_and_types(None, va, None, None, vb, None, places);
                }
            }
        }
    }

    fn info(&self, ty: &str, original: bool) -> Option<&TypeInfo> {
        let schema = if original { self.original } else { self.update };
        schema.by_name.get(ty.trim_start_matches('.'))
    }

    fn kind(&self, ty: &str, map: Option<&(String, String)>, original: bool) -> FieldKind {
        let named_enum = || matches!(self.info(ty, original), Some(TypeInfo { ty: Type::Enum(_), .. }));
        if map.is_some() {
            FieldKind::Map
        } else if !ty.starts_with('.') || named_enum() {
            // Enums count as scalars.
            FieldKind::Scalar
        } else {
            FieldKind::Message
        }
    }

    fn scalar_kind(&self, ty: &str) -> ScalarKind {
        if ty.starts_with('.') {
            // An enum (the only named scalar) is read as a general number.
            return ScalarKind::GeneralNumber;
        }
        match ty {
            "int32" | "int64" | "uint32" | "uint64" | "bool" => ScalarKind::GeneralNumber,
            "sint32" | "sint64" => ScalarKind::SignedNumber,
            "string" | "bytes" => ScalarKind::StringOrBytes,
            "fixed32" | "sfixed32" => ScalarKind::Fixed32,
            "fixed64" | "sfixed64" => ScalarKind::Fixed64,
            "float" => ScalarKind::Float,
            _ => ScalarKind::Double,
        }
    }

    fn message_types(&mut self, ta: &str, tb: &str, places: (Option<Place>, Option<Place>)) {
        let (Some(a), Some(b)) = (self.info(ta, true), self.info(tb, false)) else {
            if ta != tb {
                self.add(Rule::FIELD_NAMED_TYPE_CHANGED, places.0, places.1);
            }
            return;
        };
        let local = |full: &str, package: &str| -> String {
            let full = full.trim_start_matches('.');
            full.strip_prefix(&format!("{package}.")).unwrap_or(full).to_owned()
        };
        let (la, lb) = (local(ta, &a.package), local(tb, &b.package));
        if la != lb {
            self.add(Rule::FIELD_NAMED_TYPE_CHANGED, places.0, places.1);
            return;
        }
        // Types of the file itself are compared where they are declared; a type from a
        // dependency is compared here unless both sides use the same version of the dependency.
        let same_version = match (&a.origin, &b.origin) {
            (Origin::Main, Origin::Main) => true,
            (Origin::Dependency(x, tx), Origin::Dependency(y, ty)) => x == y && tx == ty,
            _ => false,
        };
        if same_version {
            return;
        }
        let (Type::Message(ma), Type::Message(mb)) = (a.ty.clone(), b.ty.clone()) else { return };
        let saved = std::mem::replace(&mut self.path, la.split('.').map(str::to_owned).collect());
        let start = self.diffs.len();
        self.message(&ma, &mb);
        let ok = self.compatible_since(start);
        self.path = saved;
        if !ok {
            self.add(Rule::FIELD_NAMED_TYPE_CHANGED, places.0, places.1);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldKind {
    Scalar,
    Message,
    Map,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScalarKind {
    GeneralNumber,
    SignedNumber,
    StringOrBytes,
    Fixed32,
    Fixed64,
    Float,
    Double,
}

/// Messages by name with their index among the messages, and enums by name.
#[allow(clippy::type_complexity)]
fn split_types(types: &[Type]) -> (BTreeMap<&str, (usize, &Message)>, BTreeMap<&str, &Enum>) {
    let (mut messages, mut enums) = (BTreeMap::new(), BTreeMap::new());
    let mut index = 0;
    for t in types {
        match t {
            Type::Message(m) => {
                messages.insert(m.name.as_str(), (index, m));
                index += 1;
            }
            Type::Enum(e) => {
                enums.insert(e.name.as_str(), e);
            }
        }
    }
    (messages, enums)
}

/// The line of a declaration in its file's text.
fn locate(src: &ProtoSource, place: &Place) -> (Location, Option<String>) {
    let (file, name, number) = match place {
        Place::File(file) => (file, None, None),
        Place::Declared(file, name, number) => (file, Some(name), *number),
    };
    let shown = src.root.join(file);
    let (Some(text), Some(name)) = (src.files.get(file), name) else {
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
