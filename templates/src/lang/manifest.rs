//! A language added without Rust: the `mapping` section of its folder's `language.yaml` says how
//! names are cased, which words are reserved, how types are spelled and how comments are escaped.
//! Such a language gets type spellings only (no decoders); it suits documentation or plain data
//! classes. See `fixtures/templates/markdown/` for a tested example.

use heck::{ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use serde::Deserialize;

use super::{comment_lines, escape, json_string_literal, FieldCode, FieldFacts, FieldMode, LangSpec, Shape};
use eventbind_build::ir::Primitive;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub enum Case {
    UpperCamel,
    LowerCamel,
    Snake,
    ScreamingSnake,
    /// The IR's own spelling (UpperCamelCase types and values, snake_case fields and modules).
    AsIs,
}

impl Case {
    fn apply(self, s: &str) -> String {
        match self {
            Case::UpperCamel => s.to_upper_camel_case(),
            Case::LowerCamel => s.to_lower_camel_case(),
            Case::Snake => s.to_snake_case(),
            Case::ScreamingSnake => s.to_shouty_snake_case(),
            Case::AsIs => s.to_owned(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cases {
    #[serde(rename = "type")]
    pub type_: Case,
    pub field: Case,
    pub value: Case,
    pub module: Case,
}

/// Type spellings; `{}` stands for the inner type or the name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Types {
    pub string: String,
    pub int32: String,
    pub int64: String,
    /// Unsigned integers; by default spelled as `int64` (`uint32`) and `int64` (`uint64`).
    #[serde(default)]
    pub uint32: Option<String>,
    #[serde(default)]
    pub uint64: Option<String>,
    pub float32: String,
    pub float64: String,
    pub decimal: String,
    pub boolean: String,
    pub bytes: String,
    pub uuid: String,
    pub date: String,
    pub date_time: String,
    pub any: String,
    pub list: String,
    pub map: String,
    pub nullable: String,
    /// A named type of this module; `{module}` is available for others.
    pub named: String,
    pub named_other_module: String,
    pub metadata: String,
    pub data_op: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub case: Cases,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Module file: `{path}` is the cased segments joined by `/`; `root` is the root module's.
    pub module_file: String,
    pub root_module_file: String,
    /// Replacements applied to doc text, in order, to keep it inside a comment.
    #[serde(default)]
    pub doc_escapes: Vec<(String, String)>,
    pub types: Types,
}

#[derive(Debug, Clone)]
pub struct ManifestLang {
    pub name: String,
    pub mapping: Mapping,
}

impl ManifestLang {
    fn escape(&self, name: String) -> String {
        let reserved: Vec<&str> = self.mapping.keywords.iter().map(String::as_str).collect();
        escape(name, &reserved)
    }
}

impl LangSpec for ManifestLang {
    fn name(&self) -> &str {
        &self.name
    }

    fn type_name(&self, ir: &str) -> String {
        self.escape(self.mapping.case.type_.apply(ir))
    }

    fn field_name(&self, ir: &str) -> String {
        self.escape(self.mapping.case.field.apply(ir))
    }

    fn value_name(&self, ir: &str) -> String {
        self.escape(self.mapping.case.value.apply(ir))
    }

    fn module_segment(&self, ir: &str) -> String {
        self.escape(self.mapping.case.module.apply(ir))
    }

    fn decoder_name(&self, ir_type: &str) -> String {
        self.type_name(ir_type)
    }

    fn encoder_name(&self, ir_type: &str) -> String {
        self.type_name(ir_type)
    }

    fn module_file(&self, segments: &[String]) -> String {
        if segments.is_empty() {
            self.mapping.root_module_file.clone()
        } else {
            self.mapping.module_file.replace("{path}", &segments.join("/"))
        }
    }

    fn module_alias(&self, segments: &[String]) -> String {
        segments.join(".")
    }

    fn import_path(&self, _package: &str, _from: &[String], to: &[String]) -> String {
        self.module_file(to)
    }

    fn string_literal(&self, text: &str) -> String {
        json_string_literal(text)
    }

    fn doc_lines(&self, text: &str) -> Vec<String> {
        comment_lines(text, |line| {
            self.mapping.doc_escapes.iter().fold(line.to_owned(), |acc, (from, to)| acc.replace(from, to))
        })
    }

    fn type_expr(&self, shape: &Shape) -> String {
        let t = &self.mapping.types;
        match shape {
            Shape::Primitive(p) => match p {
                // Avro times of day and local timestamps travel as text in the JSON form.
                Primitive::String | Primitive::Time | Primitive::LocalDateTime => t.string.clone(),
                Primitive::Int32 => t.int32.clone(),
                Primitive::Int64 => t.int64.clone(),
                Primitive::UInt32 => t.uint32.clone().unwrap_or_else(|| t.int64.clone()),
                Primitive::UInt64 => t.uint64.clone().unwrap_or_else(|| t.int64.clone()),
                Primitive::Float32 => t.float32.clone(),
                Primitive::Float64 => t.float64.clone(),
                Primitive::Decimal => t.decimal.clone(),
                Primitive::Boolean => t.boolean.clone(),
                Primitive::Bytes => t.bytes.clone(),
                Primitive::Uuid => t.uuid.clone(),
                Primitive::Date => t.date.clone(),
                Primitive::DateTime => t.date_time.clone(),
                Primitive::Any => t.any.clone(),
            },
            Shape::Named { name, module: None, .. } => t.named.replace("{}", name),
            Shape::Named { name, module: Some(m), .. } => {
                t.named_other_module.replace("{module}", m).replace("{}", name)
            }
            Shape::List(item) => t.list.replace("{}", &self.type_expr(item)),
            Shape::Map(values) => t.map.replace("{}", &self.type_expr(values)),
            Shape::Nullable(inner) => t.nullable.replace("{}", &self.type_expr(inner)),
            Shape::Metadata => t.metadata.clone(),
            Shape::DataOp => t.data_op.clone(),
            // A mapping names the types values are held as; proto3 JSON forms are the code's.
            Shape::Proto(p) => self.type_expr(&Shape::Primitive(p.primitive())),
        }
    }

    fn decoder_expr(&self, shape: &Shape) -> String {
        self.type_expr(shape)
    }

    fn encoder_expr(&self, shape: &Shape) -> String {
        self.type_expr(shape)
    }

    fn field(&self, f: &FieldFacts<'_>) -> FieldCode {
        let ty = self.type_expr(f.shape);
        let ty = match f.mode {
            FieldMode::Required | FieldMode::Defaulted | FieldMode::Implicit | FieldMode::Rest => ty,
            FieldMode::RequiredNullable | FieldMode::Optional | FieldMode::OptionalNullable => {
                self.mapping.types.nullable.replace("{}", &ty)
            }
        };
        FieldCode { ty, ..FieldCode::default() }
    }
}
