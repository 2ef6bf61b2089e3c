//! What a target language decides: how names are cased and escaped, how types, decoders and
//! encoders are spelled, and how free text is made safe in comments and string literals. The view
//! model asks a [`LangSpec`] for every such decision, so templates only lay the answers out.
//!
//! Adding a language is one file here (a `LangSpec`), a folder under `templates/` and a driver
//! under `tests/conformance/`; or, without Rust, a folder with a `language.yaml` mapping
//! (see [`manifest`]).

pub mod builtin_modules;
pub mod go;
pub mod java;
pub mod manifest;
pub mod python;
pub mod typescript;

use std::collections::BTreeMap;

use serde::Serialize;

use eventbind_build::ir::{Primitive, ProtoScalar};

/// A use of a type, with names already decided for the language.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Primitive(Primitive),
    /// A named type of the model.
    Named {
        /// The type's name in the language.
        name: String,
        /// The IR name, for languages that derive function names from it.
        ir_name: String,
        /// The alias under which the type's module is imported, when it is another module.
        module: Option<String>,
        kind: NamedKind,
        /// An enum that keeps values it does not list (extensible, or a tolerant build).
        open: bool,
    },
    List(Box<Shape>),
    Map(Box<Shape>),
    Nullable(Box<Shape>),
    /// The envelope's `metadata` object (the runtime's `EventMetadata`).
    Metadata,
    /// The data change envelope's `data_op` (`C`, `U`, `D`, `S`).
    DataOp,
    /// A leaf of a Protobuf message whose proto3 JSON form is not the primitive's (never
    /// [`ProtoScalar::Plain`]): int64 as a string, numbers that may come as strings, base64
    /// bytes, Timestamp and Duration text.
    Proto(ProtoScalar),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NamedKind {
    Struct,
    Enum,
    Union,
    Newtype,
}

/// How a struct field is filled when decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldMode {
    /// Must be present and not null.
    Required,
    /// Must be present; may be null.
    RequiredNullable,
    /// May be absent or null; then it is absent (the schema does not allow null).
    Optional,
    /// May be absent, null or a value, each written back as received: the schema allows null,
    /// so null and absent stay apart.
    OptionalNullable,
    /// The map of the keys an object declares beyond its fields (`additionalProperties` with a
    /// schema, `patternProperties`); `shape` is the map. Always present, possibly empty.
    Rest,
    /// May be absent or null; then the schema's default (JSON text) is used.
    Defaulted,
    /// A Protobuf field without presence (proto3 scalars, enums, lists, maps): absent reads as
    /// the zero value (JSON text in `default_json`), null is rejected, and a value equal to
    /// the zero value is not written.
    Implicit,
}

/// The facts about one struct field a language spells out.
#[derive(Debug, Clone)]
pub struct FieldFacts<'a> {
    /// The field's name in the language.
    pub name: &'a str,
    pub wire: &'a str,
    /// The value's type without nullability.
    pub shape: &'a Shape,
    pub mode: FieldMode,
    /// The schema default as JSON text, for [`FieldMode::Defaulted`]; the zero value's JSON
    /// text for [`FieldMode::Implicit`].
    pub default_json: Option<&'a str>,
    /// Protobuf fields: the `.proto` name, which decoders accept besides `wire` (the JSON name)
    /// when it differs; both at once are an error.
    pub alt_wire: Option<&'a str>,
    /// A Protobuf `oneof` (`shape` is its union type): on the wire there is no field `wire`;
    /// each case is a field of the message under its own names, and at most one may be set.
    pub oneof: Option<&'a [OneofCase]>,
}

/// One case of a Protobuf `oneof`, as a field of the message holding it.
#[derive(Debug, Clone)]
pub struct OneofCase {
    /// The union variant's name in the language.
    pub variant: String,
    /// The JSON name, and the `.proto` name when it differs.
    pub wire: String,
    pub alt_wire: Option<String>,
    pub shape: Shape,
}

/// What a language makes of one struct field: its declared type, the expression that decodes
/// it from the object being read, the statement that encodes it, its initializer, and anything
/// else the language's templates want (`extra`, e.g. a Go struct tag).
#[derive(Debug, Clone, Default, Serialize)]
pub struct FieldCode {
    pub ty: String,
    pub decode: String,
    pub encode: String,
    pub init: String,
    pub extra: BTreeMap<String, String>,
}

/// A target language's rules. Names given to it are the IR's, unique under the one collision
/// rule of [`eventbind_build::naming`]; the language applies its case and escapes its keywords by appending
/// `_`, which keeps names unique because the collision rule ignores underscores.
pub trait LangSpec {
    /// The folder name under `templates/`.
    fn name(&self) -> &str;
    /// Why `package` (lowercase ASCII letters, digits and `_`) cannot name this language's
    /// package, if it cannot: a keyword would make the package or import clause invalid.
    fn package_name_problem(&self, _package: &str) -> Option<String> {
        None
    }
    /// Told the package's name before anything else is asked (for languages that spell names
    /// fully qualified).
    fn set_package(&mut self, _package: &str) {}
    fn type_name(&self, ir: &str) -> String;
    fn field_name(&self, ir: &str) -> String;
    fn value_name(&self, ir: &str) -> String;
    fn module_segment(&self, ir: &str) -> String;
    /// The decoder and encoder function names of a named type (IR name).
    fn decoder_name(&self, ir_type: &str) -> String;
    fn encoder_name(&self, ir_type: &str) -> String;
    /// The file of a module (cased segments; empty for the root module), relative to the package.
    fn module_file(&self, segments: &[String]) -> String;
    /// The alias a module is imported under in other modules.
    fn module_alias(&self, segments: &[String]) -> String;
    /// How module `from` imports module `to`.
    fn import_path(&self, package: &str, from: &[String], to: &[String]) -> String;
    /// A string literal holding exactly `text`.
    fn string_literal(&self, text: &str) -> String;
    /// `text` as lines that are safe inside the language's doc comments.
    fn doc_lines(&self, text: &str) -> Vec<String>;
    fn type_expr(&self, shape: &Shape) -> String;
    fn decoder_expr(&self, shape: &Shape) -> String;
    fn encoder_expr(&self, shape: &Shape) -> String;
    fn field(&self, facts: &FieldFacts<'_>) -> FieldCode;
    /// How a module reaches the package's runtime (relative import path or module name).
    fn runtime_import(&self, _package: &str, _from: &[String]) -> String {
        String::new()
    }
    /// Whether the language's modules cannot import each other in a cycle: Protobuf types nested
    /// in messages then move up to their package's module, with the messages they are nested in
    /// as a name prefix (nested modules import their parents' and the other way round), and
    /// modules of schema files that refer to each other both ways are merged
    /// ([`super::acyclic`]).
    fn flattens_protobuf_nesting(&self) -> bool {
        false
    }
    /// What a struct decoder is told of the keys its rest map takes (the argument its field
    /// reader gets): `patterns` are the key patterns (ECMA-262), empty for every key that is
    /// not a field's.
    fn rest_keys(&self, patterns: &[String]) -> String {
        let list: Vec<String> = patterns.iter().map(|p| self.string_literal(p)).collect();
        format!("[{}]", list.join(", "))
    }
    /// Whether imports are listed sorted by import path (as gofmt orders them) rather than by
    /// module.
    fn sorts_imports_by_path(&self) -> bool {
        false
    }
    /// The name under which the package root exports a module (empty for the root module).
    fn module_export(&self, segments: &[String]) -> String {
        segments.join("_")
    }
}

/// The built-in languages, by folder name.
pub fn builtin(name: &str) -> Option<Box<dyn LangSpec>> {
    match name {
        "typescript" => Some(Box::new(typescript::TypeScript)),
        "python" => Some(Box::new(python::Python)),
        "go" => Some(Box::new(go::Go)),
        "java" => Some(Box::new(java::Java::default())),
        _ => None,
    }
}

/// Names of the built-in template languages.
pub const BUILTIN: &[&str] = &["go", "java", "python", "typescript"];

/// Appends `_` to a name that is reserved.
pub(crate) fn escape(name: String, reserved: &[&str]) -> String {
    if reserved.contains(&name.as_str()) {
        name + "_"
    } else {
        name
    }
}

/// Free text as comment lines: no control characters or line/paragraph separators (which some
/// languages treat as line ends), trailing spaces trimmed; `escape` then removes what would end
/// the comment in a given language.
pub(crate) fn comment_lines(text: &str, escape: impl Fn(&str) -> String) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    text.split(['\n', '\r'])
        .map(|line| {
            let clean: String = line
                .chars()
                .map(|c| if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}') { ' ' } else { c })
                .collect();
            escape(clean.trim_end())
        })
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .skip_while(String::is_empty)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

/// A double-quoted literal in the JSON dialect that TypeScript, Python, Go and Java all read the
/// same way; line and paragraph separators are escaped too, so no text ends a line.
pub(crate) fn json_string_literal(text: &str) -> String {
    let json = serde_json::to_string(text).expect("a string always serializes");
    json.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029").replace('\u{85}', "\\u0085")
}
