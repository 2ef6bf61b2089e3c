//! Protobuf descriptors → IR. Every message, enum and `oneof` the payload reaches becomes a named
//! type, described as its proto3 JSON mapping (lowerCamel `json_name`s as wire names, enums by
//! name and extensible, since unknown numbers are kept). Named types live in modules
//! `proto::<package…>::<parent message…>` and carry prost's names, so the Rust backend can point
//! at the types prost-build generates from the same descriptors.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::{ToSnakeCase, ToUpperCamelCase};
use prost_reflect::{EnumDescriptor, FieldDescriptor, Kind, MessageDescriptor};

use crate::ir::{
    EnumDef, EnumValue, Field, Origin, Primitive, ProtoField, ProtoScalar, StructDef, TypeId, TypeKind, TypeRef,
    UnionDef, Variant,
};
use crate::model_builder::ModelBuilder;
use crate::naming::{self, Namer};

/// The root module of generated Protobuf types.
pub(crate) const ROOT_MODULE: &str = "proto";

pub(crate) struct ProtoLowering<'b> {
    pub builder: &'b mut ModelBuilder,
    done: HashMap<String, TypeId>,
    /// Every type lowered here: the Rust backend takes them from prost-build.
    pub types: BTreeSet<TypeId>,
    /// The JSON mapping of each message's fields and each `oneof`'s cases.
    pub fields: BTreeMap<TypeId, Vec<ProtoField>>,
    pub enum_numbers: BTreeMap<TypeId, Vec<i32>>,
    /// Flat places (see [`crate::ir::ProtoBindings::flat`]), and the names taken in each package.
    pub flat: BTreeMap<TypeId, (Vec<String>, String)>,
    flat_names: HashMap<Vec<String>, Namer>,
}

/// prost-build's identifier rule: keywords become raw identifiers (`r#type`), a few that cannot
/// be raw get an underscore, and a leading digit gets one in front.
fn prost_ident(name: String) -> String {
    const RAW: &[&str] = &[
        "as", "break", "const", "continue", "else", "enum", "false", "fn", "for", "if", "impl", "in", "let", "loop",
        "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type", "unsafe",
        "use", "where", "while", "dyn", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
        "typeof", "unsized", "virtual", "yield", "async", "await", "try", "gen",
    ];
    match name.as_str() {
        n if RAW.contains(&n) => format!("r#{n}"),
        "_" | "super" | "self" | "Self" | "extern" | "crate" => format!("{name}_"),
        n if n.starts_with(|c: char| c.is_numeric()) => format!("_{n}"),
        _ => name,
    }
}

fn prost_type_name(name: &str) -> String {
    prost_ident(name.to_upper_camel_case())
}

/// prost's module for a package and the messages a type is nested in.
fn module_of(package: &str, parents: &[String]) -> Vec<String> {
    let mut module = vec![ROOT_MODULE.to_owned()];
    module.extend(package.split('.').filter(|s| !s.is_empty()).map(|s| prost_ident(s.to_snake_case())));
    module.extend(parents.iter().map(|p| prost_ident(p.to_snake_case())));
    module
}

/// The names of the messages a type is nested in, outermost first.
fn parents(full_name: &str, package: &str) -> Vec<String> {
    let inner = full_name.strip_prefix(package).unwrap_or(full_name).trim_start_matches('.');
    let mut segments: Vec<String> = inner.split('.').map(str::to_owned).collect();
    segments.pop();
    segments
}

fn origin(file: &str, full_name: &str) -> Origin {
    Origin { file: file.into(), pointer: full_name.to_owned() }
}

impl<'b> ProtoLowering<'b> {
    pub fn new(builder: &'b mut ModelBuilder) -> Self {
        ProtoLowering {
            builder,
            done: HashMap::new(),
            types: BTreeSet::new(),
            fields: BTreeMap::new(),
            enum_numbers: BTreeMap::new(),
            flat: BTreeMap::new(),
            flat_names: HashMap::new(),
        }
    }

    /// Records a lowered type and its flat place: `parents` joined before its own name.
    fn record(&mut self, id: TypeId, package: &str, parents: &[String], name: &str) {
        self.types.insert(id);
        let module = module_of(package, &[]);
        let candidate: String = parents.iter().chain([&name.to_owned()]).map(|p| p.to_upper_camel_case()).collect();
        let flat = self.flat_names.entry(module.clone()).or_default().claim(&prost_type_name(&candidate), "");
        self.flat.insert(id, (module, flat));
    }

    /// The IR type of a message used as a payload or field.
    pub fn message(&mut self, message: &MessageDescriptor) -> TypeRef {
        if let Some(well_known) = well_known(message.full_name()) {
            return well_known;
        }
        if let Some(id) = self.done.get(message.full_name()) {
            return TypeRef::Named(*id);
        }
        let package = message.package_name();
        let parents = parents(message.full_name(), package);
        let module = module_of(package, &parents);
        let file = message.parent_file().name().to_owned();
        let id = self.builder.add_named(
            &module,
            prost_type_name(message.name()),
            origin(&file, message.full_name()),
            None,
            TypeKind::Struct(StructDef::default()),
        );
        self.record(id, package, &parents, message.name());
        self.done.insert(message.full_name().to_owned(), id);
        let mut names = Namer::new();
        let mut fields = Vec::new();
        let mut json = Vec::new();
        for field in message.fields() {
            if field.containing_oneof().is_some_and(|o| !o.is_synthetic()) {
                continue;
            }
            let ty = self.field_type(&field);
            let nullable = field.supports_presence() && !field.is_list() && !field.is_map();
            json.push(proto_field(&field, !nullable));
            fields.push(Field {
                wire_name: field.json_name().to_owned(),
                name: names.claim(&naming::field_name(field.name()), "_"),
                doc: None,
                ty: if nullable { ty.nullable() } else { ty },
                required: false,
                default: None,
                read_only: false,
                format: None,
                null_is_absent: true,
            });
        }
        for oneof in message.oneofs().filter(|o| !o.is_synthetic()) {
            let mut oneof_module = module.clone();
            oneof_module.push(prost_ident(message.name().to_snake_case()));
            let union = self.builder.add_named(
                &oneof_module,
                prost_type_name(oneof.name()),
                origin(&file, &format!("{}.{}", message.full_name(), oneof.name())),
                Some(format!("`oneof {}`: at most one of its fields is set.", oneof.name())),
                TypeKind::Union(UnionDef { discriminator: None, variants: Vec::new() }),
            );
            let mut oneof_parents = parents.clone();
            oneof_parents.push(message.name().to_owned());
            self.record(union, package, &oneof_parents, oneof.name());
            self.fields.insert(union, oneof.fields().map(|f| proto_field(&f, false)).collect());
            json.push(ProtoField { proto_name: oneof.name().to_owned(), scalar: ProtoScalar::Plain, implicit: false });
            let mut variant_names = Namer::new();
            let variants = oneof
                .fields()
                .map(|f| Variant {
                    name: variant_names.claim(&f.name().to_upper_camel_case(), ""),
                    tag: Some(f.json_name().to_owned()),
                    ty: self.field_type(&f),
                })
                .collect();
            self.builder.set(union, TypeKind::Union(UnionDef { discriminator: None, variants }));
            fields.push(Field {
                wire_name: oneof.name().to_owned(),
                name: names.claim(&naming::field_name(oneof.name()), "_"),
                doc: Some("In the JSON form the chosen field appears under its own name.".into()),
                ty: TypeRef::Named(union).nullable(),
                required: false,
                default: None,
                read_only: false,
                format: None,
                null_is_absent: true,
            });
        }
        self.builder.set(id, TypeKind::Struct(StructDef { fields, closed: false, rest: None }));
        self.fields.insert(id, json);
        TypeRef::Named(id)
    }

    fn enumeration(&mut self, e: &EnumDescriptor) -> TypeRef {
        if e.full_name() == "google.protobuf.NullValue" {
            return TypeRef::Primitive(Primitive::Any);
        }
        if let Some(id) = self.done.get(e.full_name()) {
            return TypeRef::Named(*id);
        }
        let package = e.package_name();
        let parents = parents(e.full_name(), package);
        let module = module_of(package, &parents);
        // prost strips the enum's name from its values (`REASON_DAMAGED` in `Reason` → `Damaged`).
        let prefix = e.name().to_snake_case().to_uppercase() + "_";
        let mut names = Namer::new();
        names.reserve("Unknown");
        let values = e
            .values()
            .map(|v| {
                let short = v.name().strip_prefix(&prefix).filter(|s| !s.is_empty()).unwrap_or(v.name());
                EnumValue { wire: v.name().to_owned(), name: names.claim(&short.to_upper_camel_case(), ""), doc: None }
            })
            .collect();
        let id = self.builder.add_named(
            &module,
            prost_type_name(e.name()),
            origin(e.parent_file().name(), e.full_name()),
            None,
            TypeKind::Enum(EnumDef { values, extensible: true }),
        );
        self.record(id, package, &parents, e.name());
        self.enum_numbers.insert(id, e.values().map(|v| v.number()).collect());
        self.done.insert(e.full_name().to_owned(), id);
        TypeRef::Named(id)
    }

    fn field_type(&mut self, field: &FieldDescriptor) -> TypeRef {
        if field.is_map() {
            if let Kind::Message(entry) = field.kind() {
                let value = entry.map_entry_value_field();
                return TypeRef::Map(Box::new(self.kind(&value.kind())));
            }
        }
        let item = self.kind(&field.kind());
        if field.is_list() {
            TypeRef::List(Box::new(item))
        } else {
            item
        }
    }

    fn kind(&mut self, kind: &Kind) -> TypeRef {
        use Primitive as P;
        TypeRef::Primitive(match kind {
            Kind::Double => P::Float64,
            Kind::Float => P::Float32,
            Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => P::Int32,
            // uint32 does not fit i32; 64-bit unsigned values above i64::MAX are rare in events.
            Kind::Int64
            | Kind::Sint64
            | Kind::Sfixed64
            | Kind::Uint32
            | Kind::Fixed32
            | Kind::Uint64
            | Kind::Fixed64 => P::Int64,
            Kind::Bool => P::Boolean,
            Kind::String => P::String,
            Kind::Bytes => P::Bytes,
            Kind::Message(m) => return self.message(m),
            Kind::Enum(e) => return self.enumeration(e),
        })
    }
}

/// How a field reads and writes its proto3 JSON form (`implicit`: it has no presence).
fn proto_field(field: &FieldDescriptor, implicit: bool) -> ProtoField {
    let leaf = if field.is_map() {
        match field.kind() {
            Kind::Message(entry) => entry.map_entry_value_field().kind(),
            other => other,
        }
    } else {
        field.kind()
    };
    let scalar = match leaf {
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => ProtoScalar::Int32,
        Kind::Uint32 | Kind::Fixed32 => ProtoScalar::UInt32,
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 | Kind::Uint64 | Kind::Fixed64 => ProtoScalar::Int64,
        Kind::Float | Kind::Double => ProtoScalar::Float,
        Kind::Bytes => ProtoScalar::Bytes,
        Kind::Message(m) => match m.full_name() {
            "google.protobuf.Timestamp" => ProtoScalar::Timestamp,
            "google.protobuf.Duration" => ProtoScalar::Duration,
            "google.protobuf.Int32Value" => ProtoScalar::Int32,
            "google.protobuf.UInt32Value" => ProtoScalar::UInt32,
            "google.protobuf.Int64Value" | "google.protobuf.UInt64Value" => ProtoScalar::Int64,
            "google.protobuf.FloatValue" | "google.protobuf.DoubleValue" => ProtoScalar::Float,
            "google.protobuf.BytesValue" => ProtoScalar::Bytes,
            _ => ProtoScalar::Plain,
        },
        _ => ProtoScalar::Plain,
    };
    ProtoField { proto_name: field.name().to_owned(), scalar, implicit }
}

/// The well-known types by their proto3 JSON mapping.
fn well_known(full_name: &str) -> Option<TypeRef> {
    use Primitive as P;
    let p = |p: P| TypeRef::Primitive(p);
    Some(match full_name {
        "google.protobuf.Timestamp" => p(P::DateTime),
        // `"1.5s"`, and a field mask is a comma-separated string.
        "google.protobuf.Duration" | "google.protobuf.FieldMask" => p(P::String),
        "google.protobuf.DoubleValue" => p(P::Float64).nullable(),
        "google.protobuf.FloatValue" => p(P::Float32).nullable(),
        "google.protobuf.Int32Value" => p(P::Int32).nullable(),
        "google.protobuf.Int64Value" | "google.protobuf.UInt32Value" | "google.protobuf.UInt64Value" => {
            p(P::Int64).nullable()
        }
        "google.protobuf.BoolValue" => p(P::Boolean).nullable(),
        "google.protobuf.StringValue" => p(P::String).nullable(),
        "google.protobuf.BytesValue" => p(P::Bytes).nullable(),
        "google.protobuf.Struct" => TypeRef::Map(Box::new(p(P::Any))),
        "google.protobuf.ListValue" => TypeRef::List(Box::new(p(P::Any))),
        "google.protobuf.Value" | "google.protobuf.Any" | "google.protobuf.Empty" => p(P::Any),
        _ => return None,
    })
}
