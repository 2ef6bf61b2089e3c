//! TypeScript: ESM modules, interfaces with camelCase properties, runtime decoders from
//! `_runtime.ts` that check everything they read. int64 is `bigint` (the JSON is parsed
//! losslessly), date-time is `Date`, date and uuid are checked strings, maps are `Map`s.
//! Protobuf messages follow the proto3 JSON mapping: Timestamps and Durations keep nanoseconds
//! (`$rt.Timestamp`, `$rt.Duration`), int64 is written as a string, bytes as base64.

use heck::{ToLowerCamelCase, ToUpperCamelCase};

use super::{
    comment_lines, escape, json_string_literal, FieldCode, FieldFacts, FieldMode, LangSpec, NamedKind, OneofCase, Shape,
};
use eventbind_build::ir::{Primitive, ProtoScalar};

#[derive(Debug, Clone, Copy)]
pub struct TypeScript;

/// Reserved words, strict-mode and contextual ones included, so a name works in any position.
const KEYWORDS: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "as",
    "implements",
    "interface",
    "let",
    "package",
    "private",
    "protected",
    "public",
    "static",
    "yield",
    "any",
    "boolean",
    "constructor",
    "declare",
    "get",
    "module",
    "require",
    "number",
    "set",
    "string",
    "symbol",
    "type",
    "from",
    "of",
    "async",
    "await",
    "namespace",
    "never",
    "unknown",
    "object",
    "bigint",
    "undefined",
    "keyof",
    "readonly",
    "infer",
    "is",
    "asserts",
    "abstract",
    "accessor",
    "satisfies",
    "out",
    "override",
    "arguments",
    "eval",
];

/// Global types the generated code uses: a generated type of that name would shadow them.
const GLOBAL_TYPES: &[&str] = &[
    "Array",
    "Record",
    "Map",
    "Date",
    "Error",
    "Object",
    "String",
    "Number",
    "Boolean",
    "BigInt",
    "Symbol",
    "JSON",
    "Math",
    "Promise",
    "Partial",
    "Readonly",
    "ReadonlyArray",
    "Required",
    "Uint8Array",
    "Function",
];

/// Module file names the package itself uses.
const RESERVED_MODULES: &[&str] = &["index", "runtime"];

impl LangSpec for TypeScript {
    fn package_name_problem(&self, package: &str) -> Option<String> {
        super::builtin_modules::NODE.contains(&package).then(|| {
            format!(
                "`{package}` is a built-in module of Node.js, which `import … from \"{package}\"` would reach instead"
            )
        })
    }

    fn name(&self) -> &str {
        "typescript"
    }

    fn type_name(&self, ir: &str) -> String {
        escape(escape(ir.to_upper_camel_case(), KEYWORDS), GLOBAL_TYPES)
    }

    fn field_name(&self, ir: &str) -> String {
        escape(ir.to_lower_camel_case(), KEYWORDS)
    }

    fn value_name(&self, ir: &str) -> String {
        escape(ir.to_upper_camel_case(), KEYWORDS)
    }

    fn module_segment(&self, ir: &str) -> String {
        escape(escape(ir.to_owned(), KEYWORDS), RESERVED_MODULES)
    }

    fn decoder_name(&self, ir_type: &str) -> String {
        format!("decode{}", ir_type.to_upper_camel_case())
    }

    fn encoder_name(&self, ir_type: &str) -> String {
        format!("encode{}", ir_type.to_upper_camel_case())
    }

    fn module_file(&self, segments: &[String]) -> String {
        if segments.is_empty() {
            "_root.ts".to_owned()
        } else {
            format!("{}.ts", segments.join("/"))
        }
    }

    fn module_alias(&self, segments: &[String]) -> String {
        // `$` cannot occur in generated names, so aliases never meet a type or function.
        format!("${}", segments.join("$"))
    }

    fn import_path(&self, _package: &str, from: &[String], to: &[String]) -> String {
        let ups = from.len().saturating_sub(1);
        let prefix = if ups == 0 { "./".to_owned() } else { "../".repeat(ups) };
        let target = self.module_file(to);
        format!("{prefix}{}", target.trim_end_matches(".ts").to_owned() + ".js")
    }

    fn runtime_import(&self, _package: &str, from: &[String]) -> String {
        let ups = from.len().saturating_sub(1);
        let prefix = if ups == 0 { "./".to_owned() } else { "../".repeat(ups) };
        format!("{prefix}_runtime.js")
    }

    fn module_export(&self, segments: &[String]) -> String {
        segments.join("$")
    }

    fn string_literal(&self, text: &str) -> String {
        json_string_literal(text)
    }

    fn rest_keys(&self, patterns: &[String]) -> String {
        let list: Vec<String> = patterns.iter().map(|p| format!("new RegExp({})", self.string_literal(p))).collect();
        format!("[{}]", list.join(", "))
    }

    fn doc_lines(&self, text: &str) -> Vec<String> {
        // Inside `/** … */`: `*/` would end the comment, and `@` at a line start is a tag.
        comment_lines(text, |line| line.replace("*/", "*\\/").replace('@', "\\@"))
    }

    fn type_expr(&self, shape: &Shape) -> String {
        match shape {
            Shape::Primitive(p) => match p {
                // Avro times of day and local timestamps travel as text in the JSON form.
                Primitive::String | Primitive::Uuid | Primitive::Date | Primitive::Time | Primitive::LocalDateTime => {
                    "string"
                }
                Primitive::Int32 | Primitive::Float32 | Primitive::Float64 | Primitive::Decimal => "number",
                Primitive::Int64 | Primitive::UInt64 => "bigint",
                Primitive::UInt32 => "number",
                Primitive::Boolean => "boolean",
                Primitive::Bytes => "Uint8Array",
                Primitive::DateTime => "$rt.OffsetDateTime",
                Primitive::Any => "$rt.JsonValue",
            }
            .to_owned(),
            Shape::Named { name, module, .. } => qualify(module, name),
            Shape::List(item) => format!("Array<{}>", self.type_expr(item)),
            Shape::Map(values) => format!("Map<string, {}>", self.type_expr(values)),
            Shape::Nullable(inner) => format!("{} | null", self.type_expr(inner)),
            Shape::Metadata => "$rt.EventMetadata".to_owned(),
            Shape::DataOp => "$rt.DataOp".to_owned(),
            Shape::Proto(p) => match p {
                ProtoScalar::Int32 | ProtoScalar::UInt32 | ProtoScalar::Float => "number".to_owned(),
                ProtoScalar::Int64 => "bigint".to_owned(),
                ProtoScalar::Bytes => "Uint8Array".to_owned(),
                ProtoScalar::Timestamp => "$rt.Timestamp".to_owned(),
                ProtoScalar::Duration => "$rt.Duration".to_owned(),
                ProtoScalar::Plain => self.type_expr(&Shape::Primitive(p.primitive())),
            },
        }
    }

    fn decoder_expr(&self, shape: &Shape) -> String {
        self.codec(shape, "decode")
    }

    fn encoder_expr(&self, shape: &Shape) -> String {
        self.codec(shape, "encode")
    }

    fn field(&self, f: &FieldFacts<'_>) -> FieldCode {
        let ty = self.type_expr(f.shape);
        let (dec, enc) = (self.decoder_expr(f.shape), self.encoder_expr(f.shape));
        let wire = self.string_literal(f.wire);
        let name = f.name;
        // A Protobuf field's `.proto` name, as the last argument of the reading method.
        let alt = f.alt_wire.map(|a| format!(", {}", self.string_literal(a))).unwrap_or_default();
        let (ty, question, decode, encode) = match (f.mode, f.oneof) {
            (_, Some(cases)) => (ty.clone(), "?", self.oneof_decode(&ty, cases), self.oneof_encode(name, cases)),
            (FieldMode::Required, None) => {
                (ty, "", format!("o.required({wire}, {dec})"), format!("out.put({wire}, {enc}(value.{name}));"))
            }
            (FieldMode::RequiredNullable, None) => (
                format!("{ty} | null"),
                "",
                format!("o.requiredNullable({wire}, {dec})"),
                format!("out.put({wire}, value.{name} === null ? null : {enc}(value.{name}));"),
            ),
            (FieldMode::Optional, None) => (
                ty,
                "?",
                format!("o.optional({wire}, {dec}{alt})"),
                format!("if (value.{name} !== undefined) out.put({wire}, {enc}(value.{name}));"),
            ),
            (FieldMode::OptionalNullable, None) => (
                format!("{ty} | null"),
                "?",
                format!("o.optionalNullable({wire}, {dec})"),
                format!("if (value.{name} !== undefined) out.put({wire}, value.{name} === null ? null : {enc}(value.{name}));"),
            ),
            (FieldMode::Rest, None) => {
                let Shape::Map(values) = f.shape else { unreachable!("the rest of an object is a map") };
                (
                    ty,
                    "",
                    format!("o.rest({})", self.decoder_expr(values)),
                    format!("out.putEach(value.{name}, {});", self.encoder_expr(values)),
                )
            }
            (FieldMode::Defaulted, None) => {
                let default = self.string_literal(f.default_json.unwrap_or("null"));
                (
                    ty,
                    "",
                    format!("o.defaulted({wire}, {dec}, {default})"),
                    format!("out.put({wire}, {enc}(value.{name}));"),
                )
            }
            (FieldMode::Implicit, None) => {
                let zero = f.default_json.unwrap_or("null");
                let written = self.differs_from_zero(f.shape, &format!("value.{name}"), zero);
                (
                    ty,
                    "",
                    format!("o.implicit({wire}, {dec}, {}{alt})", self.string_literal(zero)),
                    format!("if ({written}) out.put({wire}, {enc}(value.{name}));"),
                )
            }
        };
        let mut code = FieldCode { ty, decode, encode, ..FieldCode::default() };
        code.extra.insert("question".to_owned(), question.to_owned());
        code
    }
}

fn qualify(module: &Option<String>, name: &str) -> String {
    match module {
        Some(alias) => format!("{alias}.{name}"),
        None => name.to_owned(),
    }
}

impl TypeScript {
    /// `$rt.decode.int64`, `$rt.decode.list($order.decodeMoney)`, … (`which` is `decode` or `encode`).
    fn codec(&self, shape: &Shape, which: &str) -> String {
        match shape {
            Shape::Primitive(p) => format!(
                "$rt.{which}.{}",
                match p {
                    Primitive::String | Primitive::Time | Primitive::LocalDateTime => "string",
                    Primitive::Int32 => "int32",
                    Primitive::Int64 => "int64",
                    Primitive::UInt32 => "uint32",
                    Primitive::UInt64 => "uint64",
                    Primitive::Float32 | Primitive::Float64 | Primitive::Decimal => "number",
                    Primitive::Boolean => "boolean",
                    Primitive::Bytes => "bytes",
                    Primitive::Uuid => "uuid",
                    Primitive::Date => "date",
                    Primitive::DateTime => "dateTime",
                    Primitive::Any => "any",
                }
            ),
            Shape::Named { ir_name, module, .. } => {
                let f = if which == "decode" { self.decoder_name(ir_name) } else { self.encoder_name(ir_name) };
                qualify(module, &f)
            }
            Shape::List(item) => format!("$rt.{which}.list({})", self.codec(item, which)),
            Shape::Map(values) => format!("$rt.{which}.map({})", self.codec(values, which)),
            Shape::Nullable(inner) => format!("$rt.{which}.nullable({})", self.codec(inner, which)),
            Shape::Metadata => format!("$rt.{which}.metadata"),
            Shape::DataOp => format!("$rt.{which}.dataOp"),
            Shape::Proto(p) => match p {
                ProtoScalar::Int32 => format!("$rt.{which}.protoInt32"),
                ProtoScalar::UInt32 => format!("$rt.{which}.protoUint32"),
                ProtoScalar::Int64 => format!("$rt.{which}.protoInt64"),
                ProtoScalar::Float => format!("$rt.{which}.protoFloat"),
                ProtoScalar::Bytes => format!("$rt.{which}.protoBytes"),
                ProtoScalar::Timestamp => format!("$rt.{which}.timestamp"),
                ProtoScalar::Duration => format!("$rt.{which}.duration"),
                ProtoScalar::Plain => self.codec(&Shape::Primitive(p.primitive()), which),
            },
        }
    }

    /// A condition that holds when an implicit-presence field (`expr`, of `shape`) does not hold
    /// its zero value (JSON text `zero`), i.e. when it is written.
    fn differs_from_zero(&self, shape: &Shape, expr: &str, zero: &str) -> String {
        match shape {
            Shape::List(_) => format!("{expr}.length > 0"),
            Shape::Map(_) => format!("{expr}.size > 0"),
            Shape::Primitive(Primitive::Boolean) => expr.to_owned(),
            Shape::Primitive(Primitive::Bytes) | Shape::Proto(ProtoScalar::Bytes) => format!("{expr}.length > 0"),
            Shape::Primitive(Primitive::Int64 | Primitive::UInt64) | Shape::Proto(ProtoScalar::Int64) => {
                format!("{expr} !== 0n")
            }
            Shape::Primitive(
                Primitive::Int32 | Primitive::UInt32 | Primitive::Float32 | Primitive::Float64 | Primitive::Decimal,
            )
            | Shape::Proto(ProtoScalar::Int32 | ProtoScalar::UInt32 | ProtoScalar::Float) => format!("{expr} !== 0"),
            Shape::Primitive(Primitive::String | Primitive::Time | Primitive::LocalDateTime)
            | Shape::Named { kind: NamedKind::Enum, .. }
                if serde_json::from_str::<String>(zero).is_ok() =>
            {
                // Enums are their wire names, so the zero is a string either way.
                let text: String = serde_json::from_str(zero).expect("checked above");
                format!("{expr} !== {}", self.string_literal(&text))
            }
            // Whatever else: compare the encoded value with the zero's.
            _ => format!("$rt.differsFromJson({}({expr}), {})", self.encoder_expr(shape), self.string_literal(zero)),
        }
    }

    /// Reads a Protobuf `oneof`: each case is a field of the message (`[wire, alt, decoder]`).
    fn oneof_decode(&self, ty: &str, cases: &[OneofCase]) -> String {
        let cases: Vec<String> = cases
            .iter()
            .map(|c| {
                let alt =
                    c.alt_wire.as_deref().map(|a| self.string_literal(a)).unwrap_or_else(|| "undefined".to_owned());
                format!(
                    "[{}, {alt}, (v, p, c) => ({{ kind: {}, value: {}(v, p, c) }})]",
                    self.string_literal(&c.wire),
                    self.string_literal(&c.variant),
                    self.codec(&c.shape, "decode"),
                )
            })
            .collect();
        format!("o.oneof<{ty}>([{}])", cases.join(", "))
    }

    /// Writes the chosen case of a Protobuf `oneof` under its own name, one statement per case.
    fn oneof_encode(&self, name: &str, cases: &[OneofCase]) -> String {
        cases
            .iter()
            .map(|c| {
                format!(
                    "if (value.{name}?.kind === {}) out.put({}, {}(value.{name}.value));",
                    self.string_literal(&c.variant),
                    self.string_literal(&c.wire),
                    self.codec(&c.shape, "encode"),
                )
            })
            .collect::<Vec<_>>()
            .join("\n  ")
    }
}
