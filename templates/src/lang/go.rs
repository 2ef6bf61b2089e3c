//! Go: a module with a package per namespace, structs with exported UpperCamelCase fields and
//! checking decoders from the `runtime` package (imported as `rt`). Every named type has the
//! methods `DecodeValue` and `EncodeValue`; decoders are the runtime's generic functions, so
//! generated code declares no package-level functions whose names could meet a type's.
//! int64 is `int64` (numbers are read as `json.Number`, never through float64), date-time is
//! `time.Time`, date is `rt.Date`, uuid is `rt.UUID`; optional and nullable fields are pointers
//! (absent and null are told apart by the field's mode, as in Rust).
//!
//! Protobuf messages read and write the proto3 JSON mapping as the Rust bindings (pbjson) do:
//! their decoders drop unknown fields under every policy (no `Unknown` map), fields without
//! presence are plain values (`rt.Implicit`, not written when zero), `.proto` names are read
//! too, a `oneof` is a union read from and written to its cases' fields (`rt.Oneof`), enums are
//! read by name or number, and the leaves whose JSON differs have codecs of their own
//! (`rt.DecodeProtoInt64` …). A Timestamp is a `time.Time` (nanoseconds kept); a Duration is
//! its normalized text (`1.500s`), which `rt.ParseDuration` reads as seconds and nanoseconds.

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::{
    comment_lines, escape, json_string_literal, FieldCode, FieldFacts, FieldMode, LangSpec, NamedKind, OneofCase, Shape,
};
use eventbind_build::ir::{Primitive, ProtoScalar};

#[derive(Debug, Clone, Copy)]
pub struct Go;

/// Keywords and predeclared identifiers: a package alias of that name would shadow them.
pub const KEYWORDS: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
    // Predeclared identifiers.
    "any",
    "bool",
    "byte",
    "comparable",
    "complex64",
    "complex128",
    "error",
    "float32",
    "float64",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "rune",
    "string",
    "uint",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uintptr",
    "true",
    "false",
    "iota",
    "nil",
    "append",
    "cap",
    "clear",
    "close",
    "complex",
    "copy",
    "delete",
    "imag",
    "len",
    "make",
    "max",
    "min",
    "new",
    "panic",
    "print",
    "println",
    "real",
    "recover",
];

/// Package names the module uses itself (`rt` is the runtime's import alias, `root` holds the
/// types without a namespace), names the go tool treats specially (`main`, `internal`, `vendor`,
/// `testdata`), and the local variables of generated methods, which an import alias would meet.
const RESERVED_PACKAGES: &[&str] = &[
    "rt", "runtime", "root", "main", "internal", "vendor", "testdata", "x", "v", "o", "out", "path", "ctx", "err",
    "tag", "value", "data", "policy", "event", "ok",
];

/// Methods of generated structs (and the field that keeps unknown fields): a field of that
/// name would collide with them.
const RESERVED_FIELDS: &[&str] = &["Unknown", "DecodeValue", "EncodeValue", "MarshalJSON", "UnmarshalJSON", "TypeInfo"];

impl LangSpec for Go {
    fn package_name_problem(&self, package: &str) -> Option<String> {
        // The package root's clause is `package <name>`, and the module path may not be one of
        // the standard library's.
        if KEYWORDS.contains(&package) {
            return Some(format!("`{package}` is a Go keyword"));
        }
        super::builtin_modules::GO
            .contains(&package)
            .then(|| format!("`{package}` is a package of Go's standard library, which `import` would find instead"))
    }

    fn name(&self) -> &str {
        "go"
    }

    fn type_name(&self, ir: &str) -> String {
        // Exported names start with an uppercase letter, so they never meet a keyword or a
        // predeclared identifier; `Type_Value` constants cannot meet a type (no inner `_`).
        ir.to_upper_camel_case()
    }

    fn field_name(&self, ir: &str) -> String {
        escape(ir.to_upper_camel_case(), RESERVED_FIELDS)
    }

    fn value_name(&self, ir: &str) -> String {
        ir.to_upper_camel_case()
    }

    fn module_segment(&self, ir: &str) -> String {
        escape(escape(ir.to_snake_case(), KEYWORDS), RESERVED_PACKAGES)
    }

    fn decoder_name(&self, _ir_type: &str) -> String {
        "DecodeValue".to_owned()
    }

    fn encoder_name(&self, _ir_type: &str) -> String {
        "EncodeValue".to_owned()
    }

    fn module_file(&self, segments: &[String]) -> String {
        // One fixed file name: a package's own name could end in `_test` or `_linux`, which the
        // go tool would read as a build constraint.
        if segments.is_empty() {
            "root/types.go".to_owned()
        } else {
            format!("{}/types.go", segments.join("/"))
        }
    }

    fn module_alias(&self, segments: &[String]) -> String {
        // Segments are snake_case without `__`, so joining with `__` keeps aliases apart.
        if segments.is_empty() {
            "root".to_owned()
        } else {
            segments.join("__")
        }
    }

    fn import_path(&self, package: &str, _from: &[String], to: &[String]) -> String {
        if to.is_empty() {
            format!("{package}/root")
        } else {
            format!("{package}/{}", to.join("/"))
        }
    }

    fn runtime_import(&self, package: &str, _from: &[String]) -> String {
        format!("{package}/runtime")
    }

    /// The package clause's name: the last segment (`root` for the root module).
    fn module_export(&self, segments: &[String]) -> String {
        segments.last().cloned().unwrap_or_else(|| "root".to_owned())
    }

    fn flattens_protobuf_nesting(&self) -> bool {
        // Go packages cannot import each other in a cycle.
        true
    }

    fn sorts_imports_by_path(&self) -> bool {
        true
    }

    fn string_literal(&self, text: &str) -> String {
        // JSON escapes are Go escapes too; a byte order mark is an error anywhere in Go source.
        json_string_literal(text).replace('\u{feff}', "\\ufeff")
    }

    fn doc_lines(&self, text: &str) -> Vec<String> {
        // `//` comments end at the line end, which `comment_lines` makes the only one. gofmt
        // reformats doc comments: indented lines would become code blocks or lists, so they are
        // unindented; a line it would take for an old-style heading gets the `# ` it would add.
        let lines = comment_lines(text, |line| line.trim_start().replace('\u{feff}', " ").trim_end().to_owned());
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let blank_before = i == 0 || lines[i - 1].is_empty();
                let blank_after = i + 1 == lines.len() || lines[i + 1].is_empty();
                if blank_before && blank_after && could_be_heading(line) {
                    format!("# {line}")
                } else {
                    line.clone()
                }
            })
            .collect()
    }

    fn rest_keys(&self, patterns: &[String]) -> String {
        let list: Vec<String> = patterns.iter().map(|p| format!("rt.Pattern({})", self.string_literal(p))).collect();
        format!("rt.Keys{{{}}}", list.join(", "))
    }

    fn type_expr(&self, shape: &Shape) -> String {
        match shape {
            Shape::Primitive(p) => match p {
                // Avro times of day and local timestamps travel as text in the JSON form.
                Primitive::String | Primitive::Time | Primitive::LocalDateTime => "string",
                Primitive::Int32 => "int32",
                Primitive::Int64 => "int64",
                Primitive::UInt32 => "uint32",
                Primitive::UInt64 => "uint64",
                Primitive::Float32 => "float32",
                Primitive::Float64 | Primitive::Decimal => "float64",
                Primitive::Boolean => "bool",
                Primitive::Bytes => "[]byte",
                Primitive::Uuid => "rt.UUID",
                Primitive::Date => "rt.Date",
                Primitive::DateTime => "rt.DateTime",
                Primitive::Any => "any",
            }
            .to_owned(),
            Shape::Named { name, module, .. } => qualify(module, name),
            Shape::List(item) => format!("[]{}", self.type_expr(item)),
            Shape::Map(values) => format!("map[string]{}", self.type_expr(values)),
            Shape::Nullable(inner) => format!("*{}", self.type_expr(inner)),
            Shape::Metadata => "rt.EventMetadata".to_owned(),
            Shape::DataOp => "rt.DataOp".to_owned(),
            Shape::Proto(p) => self.type_expr(&Shape::Primitive(p.primitive())),
        }
    }

    fn decoder_expr(&self, shape: &Shape) -> String {
        match shape {
            Shape::Named { .. } => format!("rt.Named[{}]", self.type_expr(shape)),
            _ => self.codec(shape, "Decode"),
        }
    }

    fn encoder_expr(&self, shape: &Shape) -> String {
        match shape {
            Shape::Named { .. } => format!("{}.EncodeValue", self.type_expr(shape)),
            _ => self.codec(shape, "Encode"),
        }
    }

    fn field(&self, f: &FieldFacts<'_>) -> FieldCode {
        let ty = self.type_expr(f.shape);
        let (dec, enc) = (self.decoder_expr(f.shape), self.encoder_expr(f.shape));
        let wire = self.string_literal(f.wire);
        let name = f.name;
        // A Protobuf field's `.proto` name, accepted besides the JSON name.
        let alts: String = f.alt_wire.map(|alt| format!(", {}", self.string_literal(alt))).unwrap_or_default();
        let (ty, decode, encode) = match f.mode {
            FieldMode::Required => {
                (ty, format!("rt.Required(o, {wire}, {dec})"), format!("out.Put({wire}, {enc}(x.{name}))"))
            }
            FieldMode::RequiredNullable => (
                format!("*{ty}"),
                format!("rt.RequiredNullable(o, {wire}, {dec})"),
                format!("out.Put({wire}, rt.EncodeNullable(x.{name}, {enc}))"),
            ),
            FieldMode::Optional => match f.oneof {
                Some(cases) => {
                    let (decoders, encoders) = self.oneof_cases(cases);
                    (
                        format!("*{ty}"),
                        format!("rt.Oneof[{ty}](o{decoders})"),
                        format!("rt.PutOneof(out, x.{name}{encoders})"),
                    )
                }
                None => (
                    format!("*{ty}"),
                    format!("rt.Optional(o, {wire}, {dec}{alts})"),
                    format!("rt.PutOptional(out, {wire}, x.{name}, {enc})"),
                ),
            },
            FieldMode::OptionalNullable => (
                format!("rt.Nullable[{ty}]"),
                format!("rt.OptionalNullable(o, {wire}, {dec})"),
                format!("rt.PutNullable(out, {wire}, x.{name}, {enc})"),
            ),
            FieldMode::Rest => {
                let Shape::Map(values) = f.shape else { unreachable!("the rest of an object is a map") };
                (
                    ty,
                    format!("rt.Rest(o, {})", self.decoder_expr(values)),
                    format!("rt.PutEach(out, x.{name}, {})", self.encoder_expr(values)),
                )
            }
            FieldMode::Defaulted => {
                let default = self.string_literal(f.default_json.unwrap_or("null"));
                (ty, format!("rt.Defaulted(o, {wire}, {dec}, {default})"), format!("out.Put({wire}, {enc}(x.{name}))"))
            }
            FieldMode::Implicit => {
                let zero = self.zero(f.shape, f.default_json);
                let put = match f.shape {
                    Shape::List(_) | Shape::Primitive(Primitive::Bytes) | Shape::Proto(ProtoScalar::Bytes) => {
                        format!("rt.PutUnlessEmpty(out, {wire}, x.{name}, {enc})")
                    }
                    Shape::Map(_) => format!("rt.PutUnlessEmptyMap(out, {wire}, x.{name}, {enc})"),
                    _ => format!("rt.PutUnlessZero(out, {wire}, x.{name}, {zero}, {enc})"),
                };
                (ty, format!("rt.Implicit(o, {wire}, {dec}, {zero}{alts})"), put)
            }
        };
        FieldCode { ty, decode, encode, ..FieldCode::default() }
    }
}

fn qualify(module: &Option<String>, name: &str) -> String {
    match module {
        Some(alias) => format!("{alias}.{name}"),
        None => name.to_owned(),
    }
}

/// Whether go/doc/comment could read `line` as an old-style heading (it starts with an
/// uppercase letter, ends with a letter or digit, and has none of the characters that rule one
/// out). Over-approximates: a `# ` too many only marks a line gofmt leaves alone.
fn could_be_heading(line: &str) -> bool {
    let (Some(first), Some(last)) = (line.chars().next(), line.chars().last()) else { return false };
    first.is_uppercase()
        && first.is_alphabetic()
        && last.is_alphanumeric()
        && !line.contains(|c: char| ";:!?+*/=[]{}_^°&§~%#@<\">\\".contains(c))
}

impl Go {
    /// `rt.DecodeInt64`, `rt.DecodeList(rt.Named[order.Money])`, … (`which` is `Decode` or `Encode`).
    fn codec(&self, shape: &Shape, which: &str) -> String {
        let inner = |s: &Shape| if which == "Decode" { self.decoder_expr(s) } else { self.encoder_expr(s) };
        match shape {
            Shape::Primitive(p) => format!(
                "rt.{which}{}",
                match p {
                    Primitive::String | Primitive::Time | Primitive::LocalDateTime => "String",
                    Primitive::Int32 => "Int32",
                    Primitive::Int64 => "Int64",
                    Primitive::UInt32 => "Uint32",
                    Primitive::UInt64 => "Uint64",
                    Primitive::Float32 => "Float32",
                    Primitive::Float64 | Primitive::Decimal => "Float64",
                    Primitive::Boolean => "Bool",
                    Primitive::Bytes => "Bytes",
                    Primitive::Uuid => "UUID",
                    Primitive::Date => "Date",
                    Primitive::DateTime => "DateTime",
                    Primitive::Any => "Any",
                }
            ),
            Shape::Named { .. } => inner(shape),
            Shape::List(item) => format!("rt.{which}List({})", inner(item)),
            Shape::Map(values) => format!("rt.{which}Map({})", inner(values)),
            Shape::Nullable(value) => format!("rt.{which}NullableOf({})", inner(value)),
            Shape::Metadata => format!("rt.{which}Metadata"),
            Shape::DataOp => format!("rt.{which}DataOp"),
            Shape::Proto(p) => format!(
                "rt.{which}Proto{}",
                match p {
                    ProtoScalar::Int32 => "Int32",
                    ProtoScalar::UInt32 => "UInt32",
                    ProtoScalar::Int64 => "Int64",
                    ProtoScalar::Float => "Float",
                    ProtoScalar::Bytes => "Bytes",
                    ProtoScalar::Timestamp => "Timestamp",
                    ProtoScalar::Duration => "Duration",
                    ProtoScalar::Plain => return self.codec(&Shape::Primitive(p.primitive()), which),
                }
            ),
        }
    }

    /// The zero value of a Protobuf field without presence, as a Go expression of its type: a
    /// proto3 enum's is its value numbered 0 (`default_json` names it), not Go's empty string.
    fn zero(&self, shape: &Shape, default_json: Option<&str>) -> String {
        match shape {
            Shape::Named { kind: NamedKind::Enum, .. } => {
                let value: String = default_json.and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
                format!("{}({})", self.type_expr(shape), self.string_literal(&value))
            }
            Shape::Primitive(Primitive::Boolean) => "false".to_owned(),
            Shape::Primitive(Primitive::String | Primitive::Time | Primitive::LocalDateTime)
            | Shape::Proto(ProtoScalar::Duration | ProtoScalar::Plain) => "\"\"".to_owned(),
            Shape::Primitive(
                Primitive::Int32
                | Primitive::Int64
                | Primitive::UInt32
                | Primitive::UInt64
                | Primitive::Float32
                | Primitive::Float64,
            )
            | Shape::Proto(ProtoScalar::Int32 | ProtoScalar::UInt32 | ProtoScalar::Int64 | ProtoScalar::Float) => {
                "0".to_owned()
            }
            Shape::List(_) | Shape::Map(_) | Shape::Primitive(Primitive::Bytes) | Shape::Proto(ProtoScalar::Bytes) => {
                "nil".to_owned()
            }
            _ => format!("*new({})", self.type_expr(shape)),
        }
    }

    /// The arguments of `rt.Oneof` and `rt.PutOneof` that list a oneof's cases (each led by `, `).
    fn oneof_cases(&self, cases: &[OneofCase]) -> (String, String) {
        let (mut decoders, mut encoders) = (String::new(), String::new());
        for case in cases {
            let wire = self.string_literal(&case.wire);
            let kind = self.string_literal(&case.variant);
            let alts: String =
                case.alt_wire.as_deref().map(|alt| format!(", {}", self.string_literal(alt))).unwrap_or_default();
            decoders.push_str(&format!(", rt.DecodeCase({wire}, {kind}, {}{alts})", self.decoder_expr(&case.shape)));
            encoders.push_str(&format!(", rt.EncodeCase({wire}, {kind}, {})", self.encoder_expr(&case.shape)));
        }
        (decoders, encoders)
    }
}
