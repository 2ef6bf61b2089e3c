//! The format-neutral model every front end produces and every backend renders.
//!
//! Names here are decided once for all languages: type and variant names in UpperCamelCase,
//! field names in snake_case, unique under the collision rule of [`crate::naming`]. Backends apply
//! only their own case and keyword rules. Every named type records where it came from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use crate::catalog::EventType;

/// Index of a named type in [`Model::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// The whole catalog, lowered.
#[derive(Debug, Default)]
pub struct Model {
    /// Event types, sorted by name.
    pub events: Vec<EventIr>,
    pub types: Vec<TypeDef>,
    /// Payload types of Protobuf event types come from prost-build, not from the Rust backend.
    pub protobuf: Option<ProtoBindings>,
    /// What lowering found wrong that changes nothing generated (a repeated `description` in a
    /// schema file), for the user to see.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
}

/// The side table of Protobuf payloads: the compiled files, and which named types stand for
/// prost-generated types (messages, enums and `oneof`s, in modules `proto::<package>…`).
#[derive(Debug, Default, Clone)]
pub struct ProtoBindings {
    /// The encoded `FileDescriptorSet` of every file the Protobuf event types reach.
    pub descriptor_set: Vec<u8>,
    pub types: BTreeSet<TypeId>,
    /// How the fields of each message (in [`StructDef`] order) and the variants of each `oneof`
    /// (in [`UnionDef`] order) read and write the proto3 JSON form.
    pub fields: BTreeMap<TypeId, Vec<ProtoField>>,
    /// Each enum's value numbers, in [`EnumDef`] order (decoders accept numbers for names).
    pub enum_numbers: BTreeMap<TypeId, Vec<i32>>,
    /// Each type's place for languages whose modules cannot import each other in a cycle (a
    /// nested message's module and its parent's would): the package's module, and a name
    /// prefixed with the messages it is nested in, as protoc-gen-go names them.
    pub flat: BTreeMap<TypeId, (Vec<String>, String)>,
}

/// One field of a message (or case of a `oneof`) in the proto3 JSON mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtoField {
    /// The name in the `.proto` file, which decoders accept besides the lowerCamel JSON name.
    pub proto_name: String,
    /// The scalar at the field's leaf (the item of a list, the value of a map).
    pub scalar: ProtoScalar,
    /// proto3 implicit presence (plain scalars, enums, lists and maps): absent reads as the zero
    /// value, and the zero value is not written.
    pub implicit: bool,
}

/// Leaves whose proto3 JSON form differs from the IR primitive's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProtoScalar {
    /// int32, sint32, sfixed32: a number, or a string holding one.
    Int32,
    /// uint32, fixed32: as `Int32`, unsigned.
    UInt32,
    /// int64, sint64, sfixed64 and their unsigned twins: a string (a number is accepted).
    Int64,
    /// float and double: a number, or a string holding one.
    Float,
    /// bytes: standard base64 (URL-safe and unpadded accepted).
    Bytes,
    /// google.protobuf.Timestamp: RFC 3339, written in UTC.
    Timestamp,
    /// google.protobuf.Duration: seconds with an `s` suffix, written with 0, 3, 6 or 9 decimals.
    Duration,
    /// Everything whose JSON form is the IR primitive's or a named type's.
    Plain,
}

impl ProtoScalar {
    /// The IR primitive the value is held as.
    pub fn primitive(self) -> Primitive {
        match self {
            ProtoScalar::Int32 => Primitive::Int32,
            ProtoScalar::UInt32 | ProtoScalar::Int64 => Primitive::Int64,
            ProtoScalar::Float => Primitive::Float64,
            ProtoScalar::Bytes => Primitive::Bytes,
            ProtoScalar::Timestamp => Primitive::DateTime,
            ProtoScalar::Duration | ProtoScalar::Plain => Primitive::String,
        }
    }
}

impl Model {
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// One event type, lowered.
#[derive(Debug)]
pub struct EventIr {
    pub def: EventType,
    /// Namespace segments (snake_case) from the dot-separated name, last segment excluded.
    pub module: Vec<String>,
    /// The event's type name, unique in its module.
    pub type_name: String,
    /// The name of its variant in the catalog-wide any-event type, unique.
    pub variant_name: String,
    /// The payload: for general events a struct whose fields join `metadata` at the top level;
    /// for data events the type of `data`; for undefined events the document itself.
    pub payload: TypeRef,
    /// The payload schema as written, embedded in generated code.
    pub schema_text: String,
    /// Files the payload schema was read from.
    pub sources: Vec<PathBuf>,
}

/// Where a named type came from: a file and a place in it (JSON pointer, Avro record path,
/// Protobuf message name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: PathBuf,
    pub pointer: String,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    /// The module it is emitted in (that of the first event type that reaches it).
    pub module: Vec<String>,
    pub doc: Option<String>,
    pub origin: Origin,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(StructDef),
    Enum(EnumDef),
    Union(UnionDef),
    /// A named wrapper, for an undefined-category event whose document is not an object.
    Newtype(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct StructDef {
    pub fields: Vec<Field>,
    /// The schema closed the content model (`additionalProperties: false`). Informational:
    /// consumers still never fail on unknown fields under the ignore and preserve policies.
    pub closed: bool,
    /// Keys other than the fields' that the schema declares (a schema-valued
    /// `additionalProperties`, or `patternProperties`): kept in a map beside the fields, typed,
    /// under every unknown-field policy, since they are not unknown.
    pub rest: Option<Rest>,
}

/// The declared keys of an object beyond its named fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Rest {
    /// snake_case, unique among the struct's field names.
    pub name: String,
    /// The type of every value in the map.
    pub value: TypeRef,
    /// Keys the map takes: those matching one of these patterns (ECMA-262 regular expressions,
    /// as written in `patternProperties`), or, when empty, every key that is not a field's.
    /// Other keys are unknown fields, under the build's policy.
    pub patterns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The name on the wire, exactly.
    pub wire_name: String,
    /// snake_case, unique in the struct.
    pub name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    /// Used when the field is absent.
    pub default: Option<Value>,
    pub read_only: bool,
    /// A format the type mapping keeps as a plain string (`email`, `uri`, …), for docs.
    pub format: Option<String>,
    /// The schema format does not tell null from absent (Avro's JSON form, proto3 JSON): an
    /// optional nullable field then need not keep them apart.
    pub null_is_absent: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub values: Vec<EnumValue>,
    /// `x-extensible-enum`: consumers must expect values that are not listed.
    pub extensible: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub wire: String,
    /// UpperCamelCase, unique in the enum.
    pub name: String,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    /// The property whose value names the variant (OpenAPI `discriminator.propertyName`);
    /// `None` for an untagged union, where the first variant that fits is taken.
    pub discriminator: Option<String>,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// UpperCamelCase, unique in the union.
    pub name: String,
    /// The discriminator value that selects it.
    pub tag: Option<String>,
    pub ty: TypeRef,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Primitive(Primitive),
    Named(TypeId),
    List(Box<TypeRef>),
    /// A map from string keys.
    Map(Box<TypeRef>),
    /// The value may be `null`.
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    pub fn nullable(self) -> TypeRef {
        match self {
            TypeRef::Nullable(_) => self,
            other => TypeRef::Nullable(Box::new(other)),
        }
    }

    /// The type without its nullability.
    pub fn non_null(&self) -> &TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner,
            other => other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primitive {
    String,
    Int32,
    Int64,
    /// An integer the schema bounds to 0..=2^32-1 (`format: uint32`).
    UInt32,
    /// An integer the schema bounds below by 0 (`minimum: 0`, `format: uint64`).
    UInt64,
    Float32,
    Float64,
    Boolean,
    Bytes,
    Uuid,
    Date,
    DateTime,
    /// A time of day without a zone (Avro `time-millis`/`time-micros`).
    Time,
    /// A date and time without a zone (Avro `local-timestamp-*`).
    LocalDateTime,
    /// An exact decimal; JSON Schema's `format: decimal` on numbers.
    Decimal,
    /// Any JSON value.
    Any,
}
