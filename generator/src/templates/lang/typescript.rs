//! TypeScript: ESM modules, interfaces with camelCase properties, runtime decoders from
//! `_runtime.ts` that check everything they read. int64 is `bigint` (the JSON is parsed
//! losslessly), date-time is `Date`, date and uuid are checked strings, maps are `Map`s.

use heck::{ToLowerCamelCase, ToUpperCamelCase};

use super::{comment_lines, escape, json_string_literal, FieldCode, FieldFacts, FieldMode, LangSpec, Shape};
use crate::ir::Primitive;

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
                Primitive::Int64 => "bigint",
                Primitive::Boolean => "boolean",
                Primitive::Bytes => "Uint8Array",
                Primitive::DateTime => "Date",
                Primitive::Any => "$rt.JsonValue",
            }
            .to_owned(),
            Shape::Named { name, module, .. } => qualify(module, name),
            Shape::List(item) => format!("Array<{}>", self.type_expr(item)),
            Shape::Map(values) => format!("Map<string, {}>", self.type_expr(values)),
            Shape::Nullable(inner) => format!("{} | null", self.type_expr(inner)),
            Shape::Metadata => "$rt.EventMetadata".to_owned(),
            Shape::DataOp => "$rt.DataOp".to_owned(),
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
        let ty = self.type_expr(f.shape);
        let (dec, enc) = (self.decoder_expr(f.shape), self.encoder_expr(f.shape));
        let wire = self.string_literal(f.wire);
        let name = f.name;
        let (ty, question, decode, encode) = match f.mode {
            FieldMode::Required => {
                (ty, "", format!("o.required({wire}, {dec})"), format!("out.put({wire}, {enc}(value.{name}));"))
            }
            FieldMode::RequiredNullable => (
                format!("{ty} | null"),
                "",
                format!("o.requiredNullable({wire}, {dec})"),
                format!("out.put({wire}, value.{name} === null ? null : {enc}(value.{name}));"),
            ),
            FieldMode::Optional => (
                ty,
                "?",
                format!("o.optional({wire}, {dec})"),
                format!("if (value.{name} !== undefined) out.put({wire}, {enc}(value.{name}));"),
            ),
            FieldMode::Defaulted | FieldMode::Implicit => {
                let default = self.string_literal(f.default_json.unwrap_or("null"));
                (
                    ty,
                    "",
                    format!("o.defaulted({wire}, {dec}, {default})"),
                    format!("out.put({wire}, {enc}(value.{name}));"),
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
            Shape::Proto(p) => self.codec(&Shape::Primitive(p.primitive()), which),
        }
    }
}
