//! Python 3.10+: a package of modules with frozen-free, keyword-only dataclasses, `str` enums and
//! decoder functions from `_runtime.py` that check everything they read. Integers are exact
//! (`int`), date-time is an aware `datetime.datetime`, date is `datetime.date`, uuid is
//! `uuid.UUID`; Protobuf Timestamps and Durations are the runtime's `Timestamp` and `Duration`
//! (seconds and nanoseconds: `datetime` has only microseconds). The package type-checks under
//! `mypy --strict`.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use super::{
    comment_lines, escape, json_string_literal, FieldCode, FieldFacts, FieldMode, LangSpec, NamedKind, OneofCase, Shape,
};
use eventbind_build::ir::{Primitive, ProtoScalar};

#[derive(Debug, Clone, Copy)]
pub struct Python;

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match", "case", "type", "_",
];

/// Builtins the generated annotations use: a field of that name would shadow them for the
/// annotations after it; and the methods generated classes have.
const RESERVED_FIELDS: &[&str] = &[
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "bytes",
    "object",
    "from_json",
    "to_json",
    "from_value",
    "to_value",
];

impl LangSpec for Python {
    fn package_name_problem(&self, package: &str) -> Option<String> {
        // Soft keywords still work in `import` statements.
        let soft = ["match", "case", "type", "_"];
        if KEYWORDS.contains(&package) && !soft.contains(&package) {
            return Some(format!("`{package}` is a Python keyword"));
        }
        super::builtin_modules::PYTHON
            .contains(&package)
            .then(|| format!("`{package}` is a module of Python's standard library, which `import` would find instead"))
    }

    fn name(&self) -> &str {
        "python"
    }

    fn type_name(&self, ir: &str) -> String {
        escape(ir.to_upper_camel_case(), KEYWORDS)
    }

    fn field_name(&self, ir: &str) -> String {
        escape(escape(ir.to_snake_case(), KEYWORDS), RESERVED_FIELDS)
    }

    fn value_name(&self, ir: &str) -> String {
        // SCREAMING_SNAKE never meets a keyword; a leading digit cannot occur in IR names.
        ir.to_shouty_snake_case()
    }

    fn module_segment(&self, ir: &str) -> String {
        escape(ir.to_snake_case(), KEYWORDS)
    }

    fn decoder_name(&self, ir_type: &str) -> String {
        format!("decode_{}", ir_type.to_snake_case())
    }

    fn encoder_name(&self, ir_type: &str) -> String {
        format!("encode_{}", ir_type.to_snake_case())
    }

    fn module_file(&self, segments: &[String]) -> String {
        if segments.is_empty() {
            "_root.py".to_owned()
        } else {
            format!("{}/__init__.py", segments.join("/"))
        }
    }

    fn module_alias(&self, segments: &[String]) -> String {
        // A leading underscore cannot occur in generated names, and `__` not inside them.
        format!("_m_{}", segments.join("__"))
    }

    fn import_path(&self, package: &str, _from: &[String], to: &[String]) -> String {
        if to.is_empty() {
            format!("{package}._root")
        } else {
            format!("{package}.{}", to.join("."))
        }
    }

    fn runtime_import(&self, package: &str, _from: &[String]) -> String {
        format!("{package}._runtime")
    }

    fn module_export(&self, segments: &[String]) -> String {
        segments.first().cloned().unwrap_or_default()
    }

    fn string_literal(&self, text: &str) -> String {
        json_string_literal(text)
    }

    fn rest_keys(&self, patterns: &[String]) -> String {
        let list: Vec<String> = patterns.iter().map(|p| format!("_rt.pattern({}), ", self.string_literal(p))).collect();
        format!("({})", list.concat())
    }

    fn doc_lines(&self, text: &str) -> Vec<String> {
        // Docstrings are `"""…"""`: a backslash would start an escape and a quote could end it.
        comment_lines(text, |line| line.replace('\\', "\\\\").replace('"', "\\\""))
    }

    fn type_expr(&self, shape: &Shape) -> String {
        match shape {
            Shape::Primitive(p) => match p {
                // Avro times of day and local timestamps travel as text in the JSON form.
                Primitive::String | Primitive::Time | Primitive::LocalDateTime => "str",
                Primitive::Int32 | Primitive::Int64 | Primitive::UInt32 | Primitive::UInt64 => "int",
                Primitive::Float32 | Primitive::Float64 | Primitive::Decimal => "float",
                Primitive::Boolean => "bool",
                Primitive::Bytes => "bytes",
                Primitive::Uuid => "_uuid.UUID",
                Primitive::Date => "_dt.date",
                Primitive::DateTime => "_dt.datetime",
                Primitive::Any => "_t.Any",
            }
            .to_owned(),
            Shape::Named { name, module, kind, open, .. } => {
                let named = qualify(module, name);
                if *kind == NamedKind::Enum && *open {
                    format!("{named} | str")
                } else {
                    named
                }
            }
            Shape::List(item) => format!("list[{}]", self.type_expr(item)),
            Shape::Map(values) => format!("dict[str, {}]", self.type_expr(values)),
            Shape::Nullable(inner) => format!("{} | None", self.type_expr(inner)),
            Shape::Metadata => "_rt.EventMetadata".to_owned(),
            Shape::DataOp => "_rt.DataOp".to_owned(),
            Shape::Proto(p) => match p {
                ProtoScalar::Int32 | ProtoScalar::UInt32 | ProtoScalar::Int64 => "int",
                ProtoScalar::Float => "float",
                ProtoScalar::Bytes => "bytes",
                ProtoScalar::Timestamp => "_rt.Timestamp",
                ProtoScalar::Duration => "_rt.Duration",
                ProtoScalar::Plain => "str",
            }
            .to_owned(),
        }
    }

    fn decoder_expr(&self, shape: &Shape) -> String {
        self.codec(shape, "decode")
    }

    fn encoder_expr(&self, shape: &Shape) -> String {
        self.codec(shape, "encode")
    }

    fn field(&self, f: &FieldFacts<'_>) -> FieldCode {
        if let Some(cases) = f.oneof {
            return self.oneof(f, cases);
        }
        let ty = self.type_expr(f.shape);
        let (dec, enc) = (self.decoder_expr(f.shape), self.encoder_expr(f.shape));
        let wire = self.string_literal(f.wire);
        let name = f.name;
        // The `.proto` name, which Protobuf decoders accept too.
        let alt = f.alt_wire.map(|a| format!(", {}", self.string_literal(a))).unwrap_or_default();
        let (ty, init, decode, encode) = match f.mode {
            FieldMode::Required => (
                ty,
                String::new(),
                format!("o.required({wire}, {dec}{alt})"),
                format!("out[{wire}] = {enc}(value.{name})"),
            ),
            FieldMode::RequiredNullable => (
                format!("{ty} | None"),
                String::new(),
                format!("o.required_nullable({wire}, {dec}{alt})"),
                format!("out[{wire}] = None if value.{name} is None else {enc}(value.{name})"),
            ),
            FieldMode::Optional => (
                format!("{ty} | None"),
                " = None".to_owned(),
                format!("o.optional({wire}, {dec}{alt})"),
                format!("if value.{name} is not None:\n        out[{wire}] = {enc}(value.{name})"),
            ),
            FieldMode::OptionalNullable => (
                format!("{ty} | None | _rt.Absent"),
                " = _rt.ABSENT".to_owned(),
                format!("o.optional_nullable({wire}, {dec})"),
                format!(
                    "if not isinstance(value.{name}, _rt.Absent):\n        out[{wire}] = None if value.{name} is None else {enc}(value.{name})"
                ),
            ),
            FieldMode::Rest => {
                let Shape::Map(values) = f.shape else { unreachable!("the rest of an object is a map") };
                (
                    ty,
                    " = _dc.field(default_factory=dict)".to_owned(),
                    format!("o.rest({})", self.decoder_expr(values)),
                    format!("_rt.put_each(out, value.{name}, {})", self.encoder_expr(values)),
                )
            }
            FieldMode::Defaulted => {
                let default = self.string_literal(f.default_json.unwrap_or("null"));
                (
                    ty.clone(),
                    format!(" = _dc.field(default_factory=lambda: _rt.default({dec}, {default}))"),
                    format!("o.defaulted({wire}, {dec}, {default}{alt})"),
                    format!("out[{wire}] = {enc}(value.{name})"),
                )
            }
            FieldMode::Implicit => {
                let zero_json = f.default_json.unwrap_or("null");
                let zero = self.string_literal(zero_json);
                (
                    ty.clone(),
                    format!(" = _dc.field(default_factory=lambda: _rt.default({dec}, {zero}))"),
                    format!("o.implicit({wire}, {dec}, {zero}{alt})"),
                    // Compared in JSON form: the zero value is not written.
                    format!("_rt.put_implicit(out, {wire}, {enc}(value.{name}), {})", python_literal(zero_json)),
                )
            }
        };
        FieldCode { ty, decode, encode, init, ..FieldCode::default() }
    }
}

/// The Python literal of a Protobuf zero value's JSON text (`""`, `0`, `"0"`, `false`, `[]`, `{}`,
/// an enum's name).
fn python_literal(json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Null) => "None".to_owned(),
        Ok(serde_json::Value::Bool(b)) => if b { "True" } else { "False" }.to_owned(),
        Ok(serde_json::Value::String(s)) => json_string_literal(&s),
        _ => json.to_owned(),
    }
}

fn qualify(module: &Option<String>, name: &str) -> String {
    match module {
        Some(alias) => format!("{alias}.{name}"),
        None => name.to_owned(),
    }
}

impl Python {
    /// A Protobuf `oneof`: the union's value, read from and written to the case's own field.
    fn oneof(&self, f: &FieldFacts<'_>, cases: &[OneofCase]) -> FieldCode {
        let union = self.type_expr(f.shape);
        let name = f.name;
        let decoders: Vec<String> = cases
            .iter()
            .map(|c| {
                let alt = c.alt_wire.as_deref().map_or_else(|| "None".to_owned(), |a| self.string_literal(a));
                format!(
                    "({}, {}, {alt}, {})",
                    self.string_literal(&c.variant),
                    self.string_literal(&c.wire),
                    self.decoder_expr(&c.shape)
                )
            })
            .collect();
        let encoders: Vec<String> = cases
            .iter()
            .map(|c| {
                format!(
                    "({}, {}, {})",
                    self.string_literal(&c.variant),
                    self.string_literal(&c.wire),
                    self.encoder_expr(&c.shape)
                )
            })
            .collect();
        FieldCode {
            ty: format!("{union} | None"),
            init: " = None".to_owned(),
            decode: format!("o.oneof({union}, ({}, ))", decoders.join(", ")),
            encode: format!("_rt.put_oneof(out, value.{name}, ({}, ))", encoders.join(", ")),
            ..FieldCode::default()
        }
    }

    /// `_rt.decode_int`, `_rt.list_of(_m_order.decode_money)`, … (`which` is `decode` or `encode`).
    fn codec(&self, shape: &Shape, which: &str) -> String {
        match shape {
            Shape::Primitive(p) => format!(
                "_rt.{which}_{}",
                match p {
                    Primitive::String | Primitive::Time | Primitive::LocalDateTime => "str",
                    Primitive::Int32 => "int32",
                    Primitive::Int64 => "int64",
                    Primitive::UInt32 => "uint32",
                    Primitive::UInt64 => "uint64",
                    Primitive::Float32 | Primitive::Float64 | Primitive::Decimal => "float",
                    Primitive::Boolean => "bool",
                    Primitive::Bytes => "bytes",
                    Primitive::Uuid => "uuid",
                    Primitive::Date => "date",
                    Primitive::DateTime => "datetime",
                    Primitive::Any => "any",
                }
            ),
            Shape::Named { ir_name, module, .. } => {
                let f = if which == "decode" { self.decoder_name(ir_name) } else { self.encoder_name(ir_name) };
                qualify(module, &f)
            }
            Shape::List(item) => format!("_rt.{which}_list({})", self.codec(item, which)),
            Shape::Map(values) => format!("_rt.{which}_map({})", self.codec(values, which)),
            Shape::Nullable(inner) => format!("_rt.{which}_nullable({})", self.codec(inner, which)),
            Shape::Metadata => format!("_rt.{which}_metadata"),
            Shape::DataOp => format!("_rt.{which}_data_op"),
            Shape::Proto(p) => format!(
                "_rt.{which}_{}",
                match p {
                    ProtoScalar::Int32 => "proto_int32",
                    ProtoScalar::UInt32 => "proto_uint32",
                    ProtoScalar::Int64 => "proto_int64",
                    ProtoScalar::Float => "proto_float",
                    ProtoScalar::Bytes => "proto_bytes",
                    ProtoScalar::Timestamp => "timestamp",
                    ProtoScalar::Duration => "duration",
                    ProtoScalar::Plain => "str",
                }
            ),
        }
    }
}
