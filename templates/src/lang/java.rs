//! Java 17: a Maven project with a package per namespace, a record per struct (a Java `enum` per
//! closed enum, a record with constants per open one), and decoders in a `Codec` class per
//! package that read a Jackson `JsonNode` tree and check everything they read. int64 is `long`
//! (exact), date-time is `java.time.OffsetDateTime` (nanosecond precision, the offset kept and
//! written as Rust's chrono writes it), date is `LocalDate`, uuid is `UUID`; optional fields are `Optional<T>`, required
//! nullable ones may be `null`. The project compiles under `javac -Xlint:all -Werror`.
//!
//! Protobuf messages read and write the proto3 JSON mapping as the Rust bindings (pbjson) do:
//! fields without presence are plain components holding the zero value when absent (and are not
//! written when they hold it), `oneof`s are an `Optional` of their union read from the cases'
//! own keys, int64 is a `long` written as a string, Timestamp an `Instant` (nanoseconds kept),
//! Duration its normalized text, bytes a `byte[]` in base64, and enums carry their numbers.

use heck::{ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use super::{comment_lines, escape, json_string_literal, FieldCode, FieldFacts, FieldMode, LangSpec, OneofCase, Shape};
use eventbind_build::ir::{Primitive, ProtoScalar};

/// The Java mapping; it knows the package's name because other packages' types and codecs are
/// spelled fully qualified (Java has no import aliases, and simple names of two namespaces may
/// be the same).
#[derive(Debug, Clone)]
pub struct Java {
    package: String,
}

impl Default for Java {
    fn default() -> Self {
        Java { package: "events".to_owned() }
    }
}

impl Java {
    pub fn new(package: impl Into<String>) -> Self {
        Java { package: package.into() }
    }
}

/// Keywords, the literals `true`, `false`, `null`, and the restricted and contextual identifiers
/// (`var`, `record`, `yield`, `sealed`, `permits`, …) and `_`, so a name works in any position.
const KEYWORDS: &[&str] = &[
    "abstract",
    "assert",
    "boolean",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "class",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "final",
    "finally",
    "float",
    "for",
    "goto",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "native",
    "new",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "short",
    "static",
    "strictfp",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "transient",
    "try",
    "void",
    "volatile",
    "while",
    "true",
    "false",
    "null",
    "var",
    "record",
    "yield",
    "sealed",
    "permits",
    "non-sealed",
    "exports",
    "module",
    "open",
    "opens",
    "provides",
    "requires",
    "to",
    "transitive",
    "uses",
    "with",
    "when",
    "_",
];

/// Type names the generated code uses unqualified: `java.lang` (imported on demand, so a type of
/// the same package would shadow it), the single-type imports of every generated file, and the
/// package's own classes (runtime, `Codec`, `Events`). A generated type of such a name gets `_`.
const RESERVED_TYPES: &[&str] = &[
    // java.lang
    "Boolean",
    "Byte",
    "Character",
    "CharSequence",
    "Class",
    "Cloneable",
    "Comparable",
    "Deprecated",
    "Double",
    "Enum",
    "Error",
    "Exception",
    "Float",
    "FunctionalInterface",
    "IllegalArgumentException",
    "IllegalStateException",
    "Integer",
    "Iterable",
    "Long",
    "Math",
    "Number",
    "Object",
    "Override",
    "Record",
    "Runnable",
    "RuntimeException",
    "SafeVarargs",
    "Short",
    "String",
    "StringBuilder",
    "SuppressWarnings",
    "System",
    "Thread",
    "Throwable",
    "Void",
    // imports
    "ArrayList",
    "ArrayNode",
    "BigInteger",
    "Instant",
    "JsonNode",
    "LinkedHashMap",
    "List",
    "LocalDate",
    "Map",
    "ObjectNode",
    "Optional",
    "UUID",
    "Uuid",
    // the package's own classes
    "Codec",
    "Ctx",
    "DataOp",
    "DecodeError",
    "Event",
    "EventMetadata",
    "EventTypeInfo",
    "Events",
    "Rt",
    "UnknownEvent",
    "UnknownFields",
];

/// Members every generated record has: a component of such a name would clash with them (a
/// record component named like an `Object` method is not allowed at all).
const RESERVED_FIELDS: &[&str] = &[
    "clone",
    "equals",
    "finalize",
    "getClass",
    "hashCode",
    "notify",
    "notifyAll",
    "toString",
    "wait",
    "fromJson",
    "toJson",
    "toJsonNode",
    "unknownFields",
];

/// Package segments the package itself uses.
const RESERVED_MODULES: &[&str] = &["runtime"];

impl LangSpec for Java {
    fn package_name_problem(&self, package: &str) -> Option<String> {
        if KEYWORDS.contains(&package) {
            return Some(format!("`{package}` is a Java keyword or reserved identifier"));
        }
        super::builtin_modules::JAVA
            .contains(&package)
            .then(|| format!("`{package}` is a root package of the Java platform, where no class may be defined"))
    }

    fn name(&self) -> &str {
        "java"
    }

    fn set_package(&mut self, package: &str) {
        package.clone_into(&mut self.package);
    }

    fn type_name(&self, ir: &str) -> String {
        escape(escape(ir.to_upper_camel_case(), KEYWORDS), RESERVED_TYPES)
    }

    fn field_name(&self, ir: &str) -> String {
        escape(escape(ir.to_lower_camel_case(), KEYWORDS), RESERVED_FIELDS)
    }

    fn value_name(&self, ir: &str) -> String {
        // SCREAMING_SNAKE never meets a keyword; a leading digit cannot occur in IR names.
        ir.to_shouty_snake_case()
    }

    fn module_segment(&self, ir: &str) -> String {
        // Package names are lowercase by convention; `_` keeps words apart.
        escape(escape(ir.to_snake_case(), KEYWORDS), RESERVED_MODULES)
    }

    fn decoder_name(&self, ir_type: &str) -> String {
        format!("decode{}", ir_type.to_upper_camel_case())
    }

    fn encoder_name(&self, ir_type: &str) -> String {
        format!("encode{}", ir_type.to_upper_camel_case())
    }

    /// The module's folder under the package's, with a trailing `/` (empty for the root).
    fn module_file(&self, segments: &[String]) -> String {
        segments.iter().map(|s| format!("{s}/")).collect()
    }

    /// The module's fully qualified Java package.
    fn module_alias(&self, segments: &[String]) -> String {
        std::iter::once(self.package.as_str()).chain(segments.iter().map(String::as_str)).collect::<Vec<_>>().join(".")
    }

    fn import_path(&self, _package: &str, _from: &[String], to: &[String]) -> String {
        self.module_alias(to)
    }

    fn runtime_import(&self, package: &str, _from: &[String]) -> String {
        format!("{package}.runtime")
    }

    fn module_export(&self, segments: &[String]) -> String {
        segments.join(".")
    }

    fn string_literal(&self, text: &str) -> String {
        // JSON's escapes are Java's, and the JSON text never holds a backslash that javac's
        // unicode-escape pass would read (a `\u` of the text is written `\\u`). A constant's
        // UTF-8 form must stay under 64 KiB: long texts are joined from pieces at run time.
        const PIECE: usize = 8192;
        if text.len() <= PIECE {
            return json_string_literal(text);
        }
        let mut pieces = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let mut end = PIECE.min(rest.len());
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            pieces.push(json_string_literal(&rest[..end]));
            rest = &rest[end..];
        }
        format!("String.join(\"\", {})", pieces.join(", "))
    }

    fn doc_lines(&self, text: &str) -> Vec<String> {
        // Javadoc is HTML, `@` starts a tag, `*/` ends the comment, and javac reads `\u` escapes
        // even in comments (`\u002a/` ends it, `\u000a` ends a line): entities for all of them.
        comment_lines(text, |line| {
            line.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('@', "&#64;")
                .replace('\\', "&#92;")
                .replace("*/", "*&#47;")
        })
    }

    fn rest_keys(&self, patterns: &[String]) -> String {
        let list: Vec<String> = patterns.iter().map(|p| format!("Rt.pattern({})", self.string_literal(p))).collect();
        format!("List.of({})", list.join(", "))
    }

    fn type_expr(&self, shape: &Shape) -> String {
        match shape {
            Shape::Primitive(p) => match p {
                // Avro times of day and local timestamps travel as text in the JSON form.
                Primitive::String | Primitive::Time | Primitive::LocalDateTime => "String",
                Primitive::Int32 => "Integer",
                Primitive::Int64 | Primitive::UInt32 => "Long",
                // Spelled in full: no import, so no name of the catalog's can shadow them.
                Primitive::UInt64 => "java.math.BigInteger",
                Primitive::Float32 | Primitive::Float64 | Primitive::Decimal => "Double",
                Primitive::Boolean => "Boolean",
                Primitive::Bytes => "byte[]",
                Primitive::Uuid => "UUID",
                Primitive::Date => "LocalDate",
                Primitive::DateTime => "java.time.OffsetDateTime",
                Primitive::Any => "JsonNode",
            }
            .to_owned(),
            Shape::Named { name, module, .. } => qualify(module, name),
            Shape::List(item) => format!("List<{}>", self.type_expr(item)),
            Shape::Map(values) => format!("Map<String, {}>", self.type_expr(values)),
            Shape::Nullable(inner) => self.type_expr(inner),
            Shape::Metadata => "EventMetadata".to_owned(),
            Shape::DataOp => "DataOp".to_owned(),
            // int64 is exact in a `long`, Timestamp keeps nanoseconds in an `Instant`, Duration is
            // its normalized text.
            Shape::Proto(ProtoScalar::Timestamp) => "Instant".to_owned(),
            Shape::Proto(p) => self.type_expr(&Shape::Primitive(p.primitive())),
        }
    }

    fn decoder_expr(&self, shape: &Shape) -> String {
        self.codec(shape, "decode")
    }

    fn encoder_expr(&self, shape: &Shape) -> String {
        self.codec(shape, "encode")
    }

    fn field(&self, f: &FieldFacts<'_>) -> FieldCode {
        let boxed = self.type_expr(f.shape);
        let (dec, enc) = (self.decoder_expr(f.shape), self.encoder_expr(f.shape));
        let wire = self.string_literal(f.wire);
        let name = f.name;
        let value = format!("eventValue.{name}()");
        let (ty, decode, encode) = match f.mode {
            FieldMode::Required => (
                unboxed(&boxed),
                format!("fieldsIn.required({wire}, {dec})"),
                format!("Rt.put(jsonOut, {wire}, {value}, {enc});"),
            ),
            FieldMode::RequiredNullable => (
                boxed,
                format!("fieldsIn.requiredNullable({wire}, {dec})"),
                format!("Rt.putNullable(jsonOut, {wire}, {value}, {enc});"),
            ),
            FieldMode::Optional => match f.oneof {
                Some(cases) => {
                    let cases = self.oneof_cases(&boxed, cases);
                    (
                        format!("Optional<{boxed}>"),
                        format!("fieldsIn.oneof({cases})"),
                        format!("Rt.putOneof(jsonOut, {value}, {boxed}::kind, {cases});"),
                    )
                }
                None => (
                    format!("Optional<{boxed}>"),
                    match f.alt_wire {
                        Some(alt) => format!("fieldsIn.optional({wire}, {}, {dec})", self.string_literal(alt)),
                        None => format!("fieldsIn.optional({wire}, {dec})"),
                    },
                    format!("Rt.putOptional(jsonOut, {wire}, {value}, {enc});"),
                ),
            },
            FieldMode::OptionalNullable => (
                format!("Rt.Nullable<{boxed}>"),
                format!("fieldsIn.optionalNullable({wire}, {dec})"),
                format!("Rt.putOptionalNullable(jsonOut, {wire}, {value}, {enc});"),
            ),
            FieldMode::Rest => {
                let Shape::Map(values) = f.shape else { unreachable!("the rest of an object is a map") };
                (
                    boxed,
                    format!("fieldsIn.rest({})", self.decoder_expr(values)),
                    format!("Rt.putEach(jsonOut, {value}, {});", self.encoder_expr(values)),
                )
            }
            FieldMode::Defaulted => {
                let default = self.string_literal(f.default_json.unwrap_or("null"));
                (
                    unboxed(&boxed),
                    format!("fieldsIn.defaulted({wire}, {dec}, {default})"),
                    format!("Rt.put(jsonOut, {wire}, {value}, {enc});"),
                )
            }
            FieldMode::Implicit => {
                let zero = self.string_literal(f.default_json.unwrap_or("null"));
                let alt = f.alt_wire.map_or_else(|| "null".to_owned(), |a| self.string_literal(a));
                (
                    unboxed(&boxed),
                    format!("fieldsIn.implicit({wire}, {alt}, {dec}, {zero})"),
                    format!("Rt.putImplicit(jsonOut, {wire}, {value}, {enc}, {zero});"),
                )
            }
        };
        FieldCode { ty, decode, encode, ..FieldCode::default() }
    }
}

/// The primitive type for a boxed one (required values are never null).
fn unboxed(ty: &str) -> String {
    match ty {
        "Integer" => "int",
        "Long" => "long",
        "Double" => "double",
        "Boolean" => "boolean",
        other => other,
    }
    .to_owned()
}

fn qualify(module: &Option<String>, name: &str) -> String {
    match module {
        Some(package) => format!("{package}.{name}"),
        None => name.to_owned(),
    }
}

impl Java {
    /// `Rt::decodeInt64`, `Rt.decodeList(events.order.Codec::decodeMoney)`, … (`which` is
    /// `decode` or `encode`): expressions of type `Rt.Decoder<T>` / `Rt.Encoder<T>`.
    fn codec(&self, shape: &Shape, which: &str) -> String {
        match shape {
            Shape::Primitive(p) => format!(
                "Rt::{which}{}",
                match p {
                    Primitive::String | Primitive::Time | Primitive::LocalDateTime => "String",
                    Primitive::Int32 => "Int32",
                    Primitive::Int64 => "Int64",
                    Primitive::UInt32 => "UInt32",
                    Primitive::UInt64 => "UInt64",
                    Primitive::Float32 | Primitive::Float64 | Primitive::Decimal => "Double",
                    Primitive::Boolean => "Boolean",
                    Primitive::Bytes => "Bytes",
                    Primitive::Uuid => "Uuid",
                    Primitive::Date => "Date",
                    Primitive::DateTime => "DateTime",
                    Primitive::Any => "Any",
                }
            ),
            Shape::Named { ir_name, module, .. } => {
                let f = if which == "decode" { self.decoder_name(ir_name) } else { self.encoder_name(ir_name) };
                match module {
                    Some(package) => format!("{package}.Codec::{f}"),
                    None => format!("Codec::{f}"),
                }
            }
            Shape::List(item) => format!("Rt.{which}List({})", self.codec(item, which)),
            Shape::Map(values) => format!("Rt.{which}Map({})", self.codec(values, which)),
            Shape::Nullable(inner) => format!("Rt.{which}Nullable({})", self.codec(inner, which)),
            Shape::Metadata => format!("Rt::{which}Metadata"),
            Shape::DataOp => format!("Rt::{which}DataOp"),
            Shape::Proto(p) => format!(
                "Rt::{which}{}",
                match p {
                    ProtoScalar::Int32 => "ProtoInt32",
                    ProtoScalar::UInt32 => "ProtoUInt32",
                    ProtoScalar::Int64 => "ProtoInt64",
                    ProtoScalar::Float => "ProtoFloat",
                    ProtoScalar::Bytes => "ProtoBytes",
                    ProtoScalar::Timestamp => "Timestamp",
                    ProtoScalar::Duration => "Duration",
                    ProtoScalar::Plain => return self.codec(&Shape::Primitive(p.primitive()), which),
                }
            ),
        }
    }

    /// The cases of a `oneof` of union type `union`, as the runtime's `List<Rt.OneofCase<U>>`:
    /// each case's JSON and `.proto` names, how its value is read and written, and the union
    /// variant that holds it.
    fn oneof_cases(&self, union: &str, cases: &[OneofCase]) -> String {
        let cases: Vec<String> = cases
            .iter()
            .map(|c| {
                let variant = &c.variant;
                format!(
                    "Rt.<{union}, {ty}>oneofCase({kind}, {wire}, {alt}, {dec}, {union}::of{variant}, {union}::as{variant}, {enc})",
                    ty = self.type_expr(&c.shape),
                    kind = self.string_literal(variant),
                    wire = self.string_literal(&c.wire),
                    alt = c.alt_wire.as_deref().map_or_else(|| "null".to_owned(), |a| self.string_literal(a)),
                    dec = self.decoder_expr(&c.shape),
                    enc = self.encoder_expr(&c.shape),
                )
            })
            .collect();
        format!("List.of({})", cases.join(", "))
    }
}
