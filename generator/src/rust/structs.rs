//! Structs and their serde impls. Decoding is hand-rolled rather than derived so that the
//! unknown-field policy needs no `#[serde(flatten)]`: the document is read once, unknown keys are
//! skipped (ignore), collected (preserve) or rejected (deny) as they pass.

use proc_macro2::{Ident, TokenStream};

use super::text::{self, Code};

use super::UnknownFields;

/// How a field is filled when decoding.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Must be present and not null.
    Required,
    /// Must be present; may be null.
    RequiredNullable,
    /// May be absent or null; both read as `None` (the schema does not allow null).
    Optional,
    /// May be absent, null or a value, and written back as received: the schema allows null,
    /// so absent (`None`) and null (`Some(None)`, or `Some(Value::Null)` for a JSON value) stay
    /// apart.
    OptionalNullable,
    /// May be absent or null; then the default is used.
    Defaulted(Default),
}

/// A schema default: a Rust literal where the type allows, else JSON decoded when needed.
#[derive(Debug, Clone)]
pub enum Default {
    /// A literal of a `Copy` type (`60i64`, `true`).
    Literal(TokenStream),
    /// An expression that allocates (`String::from("EUR")`), evaluated only when needed.
    Expr(TokenStream),
    /// JSON text, decoded into the field's type when the field is absent.
    Json(String),
}

#[derive(Debug, Clone)]
pub struct RustField {
    pub ident: Ident,
    pub wire: String,
    /// The type as declared in the struct.
    pub ty: TokenStream,
    pub mode: Mode,
    /// Doc comments and attributes, a line each.
    pub attrs: Vec<String>,
}

/// The map of the keys an object declares beyond its fields (`additionalProperties`,
/// `patternProperties`).
#[derive(Debug, Clone)]
pub struct RustRest {
    pub ident: Ident,
    /// The type of the map's values.
    pub value: TokenStream,
    /// Keys the map takes; empty: every key that is not a field's.
    pub patterns: Vec<String>,
}

/// A struct with the given fields (plus the declared rest of its keys, and `unknown_fields`
/// under preserve), its `Serialize` and its one-pass `Deserialize`, as code (see
/// [`super::text`]): a loop that matches each key to its field as it passes.
pub fn emit(
    name: &Ident,
    attrs: &[String],
    fields: &[RustField],
    rest: Option<&RustRest>,
    policy: UnknownFields,
    expecting: &str,
) -> String {
    let name = text::id(name);
    let mut code = Code::new();
    for a in attrs {
        code.line(a);
    }
    let preserve = policy == UnknownFields::Preserve;
    if fields.is_empty() && rest.is_none() && !preserve {
        code.line(format!("pub struct {name} {{}}"));
    } else {
        code.open(format!("pub struct {name} {{"));
        for f in fields {
            for a in &f.attrs {
                code.line(a);
            }
            code.line(format!("pub {}: {},", text::id(&f.ident), text::tokens(&f.ty)));
        }
        if let Some(r) = rest {
            code.line(if r.patterns.is_empty() {
                "/// The object's other keys, which the schema types with `additionalProperties`."
            } else {
                "/// The object's keys that match its `patternProperties`, typed by them."
            });
            code.line(format!(
                "pub {}: ::std::collections::BTreeMap<::std::string::String, {}>,",
                text::id(&r.ident),
                text::tokens(&r.value)
            ));
        }
        if preserve {
            code.line("/// Fields the schema does not declare, kept as received and written back on encoding.")
                .line("pub unknown_fields: ::eventbind::UnknownFields,");
        }
        code.close("}");
    }
    let mut out = code.finish();
    out.push_str(&impls(&name, fields, rest, policy, expecting));
    out
}

fn impls(name: &str, fields: &[RustField], rest: Option<&RustRest>, policy: UnknownFields, expecting: &str) -> String {
    let mut code = Code::new();
    // An empty struct with no unknown fields to keep writes nothing into the map.
    let empty = fields.is_empty() && rest.is_none();
    // A map of every other key leaves no key unknown: the policy's arm would be unreachable.
    let catch_all = rest.is_some_and(|r| r.patterns.is_empty());
    let binding = if empty && policy != UnknownFields::Preserve { "map" } else { "mut map" };
    code.serialize_fn(name).line(format!("let {binding} = serializer.serialize_map(::std::option::Option::None)?;"));
    for f in fields {
        let helper = if matches!(f.mode, Mode::Optional | Mode::OptionalNullable) { "optional" } else { "entry" };
        code.line(format!(
            "__eventbind::ser::{helper}(&mut map, {}, &self.{})?;",
            text::lit(&f.wire),
            text::id(&f.ident)
        ));
    }
    if let Some(r) = rest {
        code.line(format!("__eventbind::ser::rest(&mut map, &self.{})?;", text::id(&r.ident)));
    }
    if policy == UnknownFields::Preserve {
        code.line("__eventbind::ser::unknown(&mut map, &self.unknown_fields)?;");
    }
    code.line("__eventbind::serde::ser::SerializeMap::end(map)").end_fn();

    code.deserialize_fn(name).line("__eventbind::de::decode_map(deserializer)").end_fn();

    code.open(format!("impl __eventbind::de::DecodeMap for {name} {{"))
        .line(format!("const EXPECTING: &'static str = {};", text::lit(expecting)));
    if fields.is_empty() && rest.is_none_or(|r| r.patterns.is_empty()) {
        // Without fields, the match on the key has the fallback arm only.
        code.line("#[allow(clippy::match_single_binding)]");
    }
    code.open("fn decode_map<'de, A: __eventbind::serde::de::MapAccess<'de>>(")
        .line("mut map: A,")
        .close(") -> ::std::result::Result<Self, A::Error> {");
    code.indent();
    // Names used bare inside the decoding loop are imported in its own block, where they
    // shadow anything a schema names `Some` or `Result` in the module.
    let mut option = vec!["Some"];
    if !fields.is_empty() {
        option.push("None");
    }
    let deny = policy == UnknownFields::Deny && !catch_all;
    let mut result = vec!["Ok"];
    if deny {
        result.push("Err");
    }
    let mut helpers = Vec::new();
    if !fields.is_empty() {
        helpers.push("put");
    }
    if fields.iter().any(|f| matches!(f.mode, Mode::Required | Mode::RequiredNullable)) {
        helpers.push("required");
    }
    if fields.iter().any(|f| matches!(f.mode, Mode::Defaulted(Default::Json(_)))) {
        helpers.push("defaulted");
    }
    code.line(use_list("::std::option::Option::", &option));
    code.line(use_list("::std::result::Result::", &result));
    if !helpers.is_empty() {
        code.line(use_list("__eventbind::de::", &helpers));
    }
    if deny {
        code.list("const FIELDS: &[&str] = &[", fields.iter().map(|f| text::lit(&f.wire)), "];");
    }
    for i in 0..fields.len() {
        code.line(format!("let mut f{i} = None;"));
    }
    if let Some(r) = rest.filter(|r| !r.patterns.is_empty()) {
        code.list(
            "static PATTERNS: __eventbind::de::Patterns = __eventbind::de::Patterns::new(&[",
            r.patterns.iter().map(|p| text::lit(p)),
            "]);",
        );
    }
    if let Some(r) = rest {
        code.line(format!("let mut {} = ::std::collections::BTreeMap::new();", text::id(&r.ident)));
    }
    if policy == UnknownFields::Preserve {
        let binding = if catch_all { "unknown_fields" } else { "mut unknown_fields" };
        code.line(format!("let {binding} = ::eventbind::UnknownFields::new();"));
    }
    code.open("while let Some(key) = map.next_key_seed(__eventbind::de::KeySeed)? {").open("match key.as_str() {");
    for (i, f) in fields.iter().enumerate() {
        let wire = text::lit(&f.wire);
        code.line(format!("{wire} => put(&mut map, &mut f{i}, {wire})?,"));
    }
    if let Some(r) = rest {
        let guard = if r.patterns.is_empty() { "" } else { " if PATTERNS.matches(key.as_str())" };
        code.line(format!("_{guard} => __eventbind::de::rest(&mut map, &mut {}, key)?,", text::id(&r.ident)));
    }
    if !catch_all {
        code.line(match policy {
            UnknownFields::Ignore => "_ => __eventbind::de::skip(&mut map)?,",
            UnknownFields::Preserve => "_ => __eventbind::de::keep(&mut map, &mut unknown_fields, key)?,",
            UnknownFields::Deny => "_ => return Err(__eventbind::de::deny(&key, FIELDS)),",
        });
    }
    code.close("}").close("}");
    let mut builds: Vec<String> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let wire = text::lit(&f.wire);
            let value = match &f.mode {
                Mode::Required | Mode::RequiredNullable => format!("required(f{i}, {wire})?"),
                Mode::Optional => format!("f{i}.flatten()"),
                Mode::OptionalNullable => format!("f{i}"),
                Mode::Defaulted(Default::Literal(lit)) => format!("f{i}.flatten().unwrap_or({})", text::tokens(lit)),
                Mode::Defaulted(Default::Expr(expr)) => {
                    format!("f{i}.flatten().unwrap_or_else(|| {})", text::tokens(expr))
                }
                Mode::Defaulted(Default::Json(json)) => format!("defaulted(f{i}, {wire}, {})?", text::lit(json)),
            };
            format!("{}: {value}", text::id(&f.ident))
        })
        .collect();
    if let Some(r) = rest {
        builds.push(text::id(&r.ident));
    }
    if policy == UnknownFields::Preserve {
        builds.push("unknown_fields".to_owned());
    }
    if builds.is_empty() {
        code.line(format!("Ok({name} {{}})"));
    } else {
        code.list(&format!("Ok({name} {{"), builds, "})");
    }
    code.end_fn();
    code.finish()
}

/// `use prefix::name;` or `use prefix::{a, b};`.
fn use_list(prefix: &str, names: &[&str]) -> String {
    match names {
        [one] => format!("use {prefix}{one};"),
        many => format!("use {prefix}{{{}}};", many.join(", ")),
    }
}
