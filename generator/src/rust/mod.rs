//! The Rust backend: IR → one formatted Rust file of modules, types, serde impls and event impls.

mod codecs;
mod enums;
mod events;
#[cfg(feature = "protobuf")]
mod prost;
mod structs;
mod text;
mod types;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::catalog::{Category, SchemaFormat};
use crate::filter::Pattern;
use crate::ir::{EventIr, Field, Model, Primitive, TypeDef, TypeId, TypeKind, TypeRef};
use structs::{Default, Mode, RustField, RustRest};
use types::{ident, type_ident, Recursion, Spelling};

/// What generated decoders do with fields the schema does not declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum UnknownFields {
    /// Skip them; never an error (the default, as the event guidelines require of consumers).
    #[default]
    Ignore,
    /// Keep them in `unknown_fields` and write them back when encoding.
    Preserve,
    /// Reject them (for producers' tests).
    Deny,
}

impl std::str::FromStr for UnknownFields {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "ignore" => Ok(UnknownFields::Ignore),
            "preserve" => Ok(UnknownFields::Preserve),
            "deny" => Ok(UnknownFields::Deny),
            other => Err(format!("unknown policy `{other}`: expected ignore, preserve or deny")),
        }
    }
}

/// The Rust type of `format: date-time` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum DateTimes {
    /// `chrono::DateTime<FixedOffset>`: the instant and the offset it was written with, so a
    /// re-encoded event says `-04:00` where the received one did (the default).
    #[default]
    FixedOffset,
    /// `chrono::DateTime<Utc>`, as typify has it: re-encoded in UTC (`Z`), the offset lost.
    Utc,
}

impl std::str::FromStr for DateTimes {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "fixed-offset" => Ok(DateTimes::FixedOffset),
            "utc" => Ok(DateTimes::Utc),
            other => Err(format!("unknown date-time type `{other}`: expected fixed-offset or utc")),
        }
    }
}

/// What an optional field whose schema allows `null` is in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum OptionalNulls {
    /// `Option<Option<T>>`: absent is `None`, null is `Some(None)`, and each is written back as
    /// received (the default).
    #[default]
    Keep,
    /// `Option<T>`: null reads as absent and is not written back.
    AsAbsent,
}

impl std::str::FromStr for OptionalNulls {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "keep" => Ok(OptionalNulls::Keep),
            "as-absent" => Ok(OptionalNulls::AsAbsent),
            other => Err(format!("unknown optional-null rule `{other}`: expected keep or as-absent")),
        }
    }
}

/// Options of the Rust backend.
#[derive(Debug, Clone, Default)]
pub struct RustOptions {
    pub unknown_fields: UnknownFields,
    /// The type of date-times.
    pub date_times: DateTimes,
    /// Whether an optional field the schema lets be null keeps null apart from absent.
    pub optional_nulls: OptionalNulls,
    /// Closed enums also get a catch-all variant for values they do not list.
    pub tolerant_enums: bool,
    /// Attributes for types whose path (`order::OrderCancelled`) matches.
    pub type_attributes: Vec<(Pattern, TokenStream)>,
    /// Attributes for fields whose path (`order::OrderCancelled.order_number`) matches.
    pub field_attributes: Vec<(Pattern, TokenStream)>,
}

/// Doc attributes from free text, one per line; control characters become spaces so that no
/// text can end the comment or the literal. Code in the text must not become doctests, which a
/// consumer's `cargo test` would compile: fenced blocks are marked `text`, and indentation that
/// would make an indented code block is dropped. A line that continues a list item is indented
/// under the item's text, as `clippy::doc_lazy_continuation` asks.
fn docs(text: Option<&str>) -> Vec<TokenStream> {
    doc_text(text).into_iter().map(|line| quote!(#[doc = #line])).collect()
}

/// [`docs`] as `///` lines, for the code written as text: no tokens to build and parse back.
fn doc_lines(text: Option<&str>) -> Vec<String> {
    doc_text(text).into_iter().map(|line| format!("///{}", line.trim_end_matches(' '))).collect()
}

/// The lines of a doc comment: control characters blanked, code fences closed, list items'
/// continuations indented; each line starts with a space, as rustdoc reads `/// text`.
fn doc_text(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else { return Vec::new() };
    let mut fence: Option<String> = None;
    // Inside a list item: the width of its marker (`- `, `1. `).
    let mut item: Option<usize> = None;
    let mut lines: Vec<String> = text
        .lines()
        .map(|line| {
            let clean: String = line
                .chars()
                .map(|c| if c.is_control() || c == '\u{2028}' || c == '\u{2029}' { ' ' } else { c })
                .collect();
            let trimmed = clean.trim();
            let marker: String = match trimmed.chars().next() {
                Some(c @ ('`' | '~')) => trimmed.chars().take_while(|&m| m == c).collect(),
                _ => String::new(),
            };
            match &fence {
                Some(open) if trimmed.starts_with(open.as_str()) && trimmed == marker => {
                    fence = None;
                    format!(" {marker}")
                }
                Some(_) => format!(" {}", clean.trim_end()),
                None if marker.len() >= 3 => {
                    fence = Some(marker.clone());
                    format!(" {marker}text")
                }
                None if trimmed.is_empty() => {
                    item = None;
                    " ".to_owned()
                }
                None => match (list_marker(trimmed), item) {
                    (Some(width), _) => {
                        item = Some(width);
                        format!(" {trimmed}")
                    }
                    (None, Some(width)) => format!(" {}{trimmed}", " ".repeat(width)),
                    (None, None) => format!(" {trimmed}"),
                },
            }
        })
        .collect();
    if let Some(open) = fence {
        lines.push(format!(" {open}"));
    }
    lines
}

/// The width of the list marker a markdown line starts with (`- `, `* `, `+ `, `12. `, `3) `).
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// A default as a Rust literal where the type is a primitive, else as JSON to decode.
fn default_value(ty: &TypeRef, value: &serde_json::Value) -> Default {
    use proc_macro2::Literal;
    use serde_json::Value;
    if let (TypeRef::Primitive(Primitive::String), Value::String(s)) = (ty, value) {
        return Default::Expr(quote!(::std::string::String::from(#s)));
    }
    let literal = match (ty, value) {
        (TypeRef::Primitive(Primitive::Boolean), Value::Bool(b)) => Some(quote!(#b)),
        // Literal tokens cannot be negative: a minus sign goes in front of the magnitude.
        (TypeRef::Primitive(Primitive::Int32), v) => v.as_i64().and_then(|n| i32::try_from(n).ok()).and_then(|n| {
            let lit = Literal::i32_suffixed(n.checked_abs()?);
            Some(if n < 0 { quote!(-#lit) } else { quote!(#lit) })
        }),
        (TypeRef::Primitive(Primitive::Int64), v) => v.as_i64().and_then(|n| {
            let lit = Literal::i64_suffixed(n.checked_abs()?);
            Some(if n < 0 { quote!(-#lit) } else { quote!(#lit) })
        }),
        (TypeRef::Primitive(Primitive::UInt32), v) => {
            v.as_u64().and_then(|n| u32::try_from(n).ok()).map(Literal::u32_suffixed).map(|lit| quote!(#lit))
        }
        (TypeRef::Primitive(Primitive::UInt64), v) => v.as_u64().map(Literal::u64_suffixed).map(|lit| quote!(#lit)),
        (TypeRef::Primitive(Primitive::Float64 | Primitive::Decimal), v) => {
            v.as_f64().filter(|f| f.is_finite()).map(|f| {
                let lit = Literal::f64_suffixed(f.abs());
                if f.is_sign_negative() {
                    quote!(-#lit)
                } else {
                    quote!(#lit)
                }
            })
        }
        _ => None,
    };
    literal.map_or_else(|| Default::Json(value.to_string()), Default::Literal)
}

struct Emitter<'m> {
    model: &'m Model,
    options: &'m RustOptions,
    recursion: Recursion,
    /// Types that are an event's own struct, with the event.
    event_roots: BTreeMap<TypeId, &'m EventIr>,
}

impl Emitter<'_> {
    fn path_string(def: &TypeDef) -> String {
        def.module.iter().map(String::as_str).chain([def.name.as_str()]).collect::<Vec<_>>().join("::")
    }

    /// The Rust type of `ty` seen from module `from`.
    fn rust_type(&self, from: &[String], ty: &TypeRef, boxed: bool) -> TokenStream {
        types::rust_type(Spelling { model: self.model, date_times: self.options.date_times }, from, ty, boxed)
    }

    fn type_attrs(&self, path: &str) -> Vec<TokenStream> {
        self.options.type_attributes.iter().filter(|(p, _)| p.matches(path)).map(|(_, a)| a.clone()).collect()
    }

    fn field(&self, holder: TypeId, def: &TypeDef, field: &Field) -> RustField {
        let boxed = self.recursion.needs_box(holder, &field.ty);
        let value_ty = self.rust_type(&def.module, field.ty.non_null(), boxed);
        let nullable = matches!(field.ty, TypeRef::Nullable(_));
        // A JSON value holds null itself: absent is `None`, null is `Some(Value::Null)`.
        let any = field.ty.non_null() == &TypeRef::Primitive(Primitive::Any);
        let option = |t: &TokenStream| quote!(::std::option::Option<#t>);
        let (mode, ty) = match (field.required, nullable, &field.default) {
            (true, false, _) => (Mode::Required, value_ty.clone()),
            (true, true, _) => (Mode::RequiredNullable, option(&value_ty)),
            (false, false, Some(default)) if !any => {
                (Mode::Defaulted(default_value(&field.ty, default)), value_ty.clone())
            }
            (false, _, _) if any && !field.null_is_absent => (Mode::OptionalNullable, option(&value_ty)),
            (false, true, _) if self.options.optional_nulls == OptionalNulls::Keep && !field.null_is_absent => {
                (Mode::OptionalNullable, option(&option(&value_ty)))
            }
            (false, _, _) => (Mode::Optional, option(&value_ty)),
        };
        let mut notes: Vec<String> = Vec::new();
        if let Some(format) = &field.format {
            notes.push(format!("Format: `{format}`."));
        }
        if let Some(default) = &field.default {
            notes.push(format!("Default: `{default}`."));
        }
        if field.read_only {
            notes.push("Read-only: set by the producer's system, not by clients.".to_owned());
        }
        let mut text = field.doc.clone().unwrap_or_default();
        for note in notes {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&note);
        }
        let mut attrs = doc_lines(Some(&text).filter(|t| !t.is_empty()).map(String::as_str));
        let path = format!("{}.{}", Self::path_string(def), field.name);
        attrs
            .extend(self.options.field_attributes.iter().filter(|(p, _)| p.matches(&path)).map(|(_, a)| text::attr(a)));
        RustField { ident: ident(&field.name), wire: field.wire_name.clone(), ty, mode, attrs }
    }

    /// The JSON kind every value of `ty` has, where there is exactly one.
    fn kind(&self, ty: &TypeRef) -> Option<enums::Kind> {
        use enums::Kind;
        match ty {
            TypeRef::Primitive(p) => match p {
                Primitive::String
                | Primitive::Uuid
                | Primitive::Date
                | Primitive::DateTime
                | Primitive::Time
                | Primitive::LocalDateTime => Some(Kind::String),
                Primitive::Int32
                | Primitive::Int64
                | Primitive::UInt32
                | Primitive::UInt64
                | Primitive::Float32
                | Primitive::Float64
                | Primitive::Decimal => Some(Kind::Number),
                Primitive::Boolean => Some(Kind::Bool),
                Primitive::Bytes | Primitive::Any => None,
            },
            TypeRef::List(_) => Some(Kind::Seq),
            TypeRef::Map(_) => Some(Kind::Map),
            TypeRef::Named(id) => match &self.model.get(*id).kind {
                TypeKind::Struct(_) => Some(Kind::Map),
                TypeKind::Enum(_) => Some(Kind::String),
                TypeKind::Union(_) | TypeKind::Newtype(_) => None,
            },
            TypeRef::Nullable(_) => None,
        }
    }

    fn metadata_field() -> RustField {
        RustField {
            ident: ident("metadata"),
            wire: "metadata".into(),
            ty: quote!(::eventbind::EventMetadata),
            mode: Mode::Required,
            attrs: doc_lines(Some("Envelope metadata: eid, occurred_at, event_type, flow_id, …")),
        }
    }

    fn event_doc(event: &EventIr) -> String {
        let def = &event.def;
        let mut text = format!("`{}` {}, owned by `{}`.", def.name, def.schema.version, def.owning_application);
        if let Some(d) = &def.description {
            text = format!("{}\n\n{text}", d.trim());
        }
        text
    }

    fn emit_type(&self, id: TypeId) -> Item {
        let def = self.model.get(id);
        let name = type_ident(&def.name);
        let event = self.event_roots.get(&id).copied();
        let doc_text = match event {
            Some(e) => Some(match &def.doc {
                Some(d) => format!("{}\n\n{d}", Self::event_doc(e)),
                None => Self::event_doc(e),
            }),
            None => def.doc.clone(),
        };
        let source = format!(
            " Generated from {} at `{}`.",
            def.origin.file.display(),
            if def.origin.pointer.is_empty() { "/" } else { &def.origin.pointer }
        );
        // As lines for the types written as text, as tokens for the others. The pointer holds
        // property names, which may hold control characters.
        let attr_lines = || {
            let mut lines = doc_lines(doc_text.as_deref());
            lines.push("///".to_owned());
            lines.extend(doc_lines(Some(&source)));
            lines.push("#[derive(Debug, Clone, PartialEq)]".to_owned());
            lines.extend(self.type_attrs(&Self::path_string(def)).iter().map(text::attr));
            lines
        };
        let attr_tokens = || {
            let mut attrs = docs(doc_text.as_deref());
            attrs.push(quote!(#[doc = ""]));
            attrs.extend(docs(Some(&source)));
            attrs.push(quote!(#[derive(Debug, Clone, PartialEq)]));
            attrs.extend(self.type_attrs(&Self::path_string(def)));
            attrs
        };
        let (tokens, mut code) = match &def.kind {
            TypeKind::Struct(s) => {
                let mut fields = Vec::new();
                if event.is_some_and(|e| e.def.category == Category::General) {
                    fields.push(Self::metadata_field());
                }
                fields.extend(s.fields.iter().map(|f| self.field(id, def, f)));
                let rest = s.rest.as_ref().map(|r| RustRest {
                    ident: ident(&r.name),
                    value: self.rust_type(&def.module, &r.value, false),
                    patterns: r.patterns.clone(),
                });
                let code = structs::emit(
                    &name,
                    &attr_lines(),
                    &fields,
                    rest.as_ref(),
                    self.options.unknown_fields,
                    &format!("{} (an object)", def.name),
                );
                (TokenStream::new(), code)
            }
            TypeKind::Enum(e) => {
                let variants: Vec<_> =
                    e.values.iter().map(|v| (ident(&v.name), v.wire.clone(), doc_lines(v.doc.as_deref()))).collect();
                (
                    TokenStream::new(),
                    enums::emit_enum(&name, &attr_lines(), &variants, e.extensible || self.options.tolerant_enums),
                )
            }
            TypeKind::Union(u) => {
                let variants: Vec<_> = u
                    .variants
                    .iter()
                    .map(|v| {
                        (
                            ident(&v.name),
                            v.tag.clone(),
                            self.rust_type(&def.module, &v.ty, self.recursion.needs_box(id, &v.ty)),
                        )
                    })
                    .collect();
                let mut attrs = attr_tokens();
                attrs.insert(0, quote!(#[allow(clippy::large_enum_variant)]));
                let kinds: Option<Vec<enums::Kind>> = u.variants.iter().map(|v| self.kind(&v.ty)).collect();
                let distinct = kinds.as_ref().is_some_and(|k| (1..k.len()).all(|i| !k[..i].contains(&k[i])));
                let tokens = enums::emit_union(
                    &name,
                    &attrs,
                    u.discriminator.as_deref(),
                    &variants,
                    kinds.as_deref().filter(|_| distinct),
                );
                (tokens, String::new())
            }
            TypeKind::Newtype(inner) => {
                let inner = self.rust_type(&def.module, inner, self.recursion.needs_box(id, inner));
                let attrs = attr_tokens();
                let serde = quote!(__eventbind::serde);
                let tokens = quote! {
                    #(#attrs)*
                    pub struct #name(pub #inner);

                    impl #serde::Serialize for #name {
                        fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                            #serde::Serialize::serialize(&self.0, serializer)
                        }
                    }

                    impl<'de> #serde::Deserialize<'de> for #name {
                        fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                            <#inner as #serde::Deserialize>::deserialize(deserializer).map(#name)
                        }
                    }
                };
                (tokens, String::new())
            }
        };
        if let Some(e) = event {
            code.push_str(&events::event_impl(e));
        }
        Item { tokens, code }
    }

    /// A general or undefined Protobuf event: its envelope struct around the prost payload.
    fn emit_proto_event(&self, event: &EventIr) -> Item {
        let payload = self.rust_type(&event.module, &event.payload, false);
        let mut attrs = docs(Some(&Self::event_doc(event)));
        attrs.push(quote!(#[derive(Debug, Clone, PartialEq)]));
        let path =
            event.module.iter().map(String::as_str).chain([event.type_name.as_str()]).collect::<Vec<_>>().join("::");
        attrs.extend(self.type_attrs(&path));
        Item { tokens: codecs::proto_envelope(event, &payload, &attrs), code: events::event_impl(event) }
    }

    /// The binary codec impl of an Avro or Protobuf event type.
    fn emit_codec(&self, event: &EventIr) -> Option<TokenStream> {
        match event.def.schema.format {
            SchemaFormat::JsonSchema => None,
            SchemaFormat::Avro => Some(codecs::avro_impl(event)),
            SchemaFormat::Protobuf => {
                let payload = self.rust_type(&event.module, &event.payload, false);
                Some(codecs::proto_impl(event, &payload, self.options.unknown_fields == UnknownFields::Preserve))
            }
        }
    }

    fn emit_data_event(&self, event: &EventIr) -> Item {
        let name = type_ident(&event.type_name);
        let payload = self.rust_type(&event.module, &event.payload, false);
        let mut attrs = doc_lines(Some(&Self::event_doc(event)));
        attrs.push("#[derive(Debug, Clone, PartialEq)]".to_owned());
        let path =
            event.module.iter().map(String::as_str).chain([event.type_name.as_str()]).collect::<Vec<_>>().join("::");
        attrs.extend(self.type_attrs(&path).iter().map(text::attr));
        let field = |name: &str, ty: TokenStream, doc: &str| RustField {
            ident: ident(name),
            wire: name.to_owned(),
            ty,
            mode: Mode::Required,
            attrs: doc_lines(Some(doc)),
        };
        let fields = [
            Self::metadata_field(),
            field(
                "data_op",
                quote!(::eventbind::DataOp),
                "What happened to the entity: created, updated, deleted or snapshot.",
            ),
            field("data_type", quote!(::std::string::String), "The business entity that changed."),
            field("data", payload.clone(), "The entity."),
        ];
        let mut code = structs::emit(
            &name,
            &attrs,
            &fields,
            None,
            self.options.unknown_fields,
            &format!("a `{}` event", event.def.name),
        );
        code.push_str(&events::event_impl(event));
        code.push_str(&events::data_constructor(
            event,
            &payload,
            self.options.unknown_fields == UnknownFields::Preserve,
        ));
        Item { tokens: TokenStream::new(), code }
    }
}

/// What the backend makes of one type: tokens for prettyplease, then code already laid out (see
/// [`text`]). Structs, string enums and `Event` impls, nearly all of the output, are code;
/// unions, newtypes, Protobuf envelopes and `AnyEvent` are tokens.
struct Item {
    tokens: TokenStream,
    code: String,
}

impl From<TokenStream> for Item {
    fn from(tokens: TokenStream) -> Self {
        Item { tokens, code: String::new() }
    }
}

/// Formats one item. Items are parsed and printed one at a time, so each item's tokens and
/// syntax tree are freed before the next is built: far less memory than one file-sized tree.
fn format_item(item: impl Into<Item>) -> Result<String, String> {
    let Item { tokens, code } = item.into();
    if tokens.is_empty() {
        return Ok(code);
    }
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("internal error: generated Rust does not parse: {e}"))?;
    let mut out = prettyplease::unparse(&file);
    out.push_str(&code);
    Ok(out)
}

/// Renders a module's items and its child modules into `out`, every line indented by the
/// module's depth. Nesting indents by text: formatted items hold no multi-line literals (strings
/// are escaped), so indenting every line is safe. Each line is written once, at its final depth.
fn render_module(
    items: &BTreeMap<Vec<String>, Vec<String>>,
    prefix: &[String],
    out: &mut String,
) -> Result<(), String> {
    let indent = "    ".repeat(prefix.len());
    let push = |out: &mut String, text: &str| {
        for line in text.lines() {
            if !line.is_empty() {
                out.push_str(&indent);
            }
            out.push_str(line);
            out.push('\n');
        }
    };
    // Blocks (the alias, each item, each child module) are separated by a blank line.
    let mut first = true;
    let mut separate = |out: &mut String| {
        if !std::mem::replace(&mut first, false) {
            out.push('\n');
        }
    };
    if let Some(own) = items.get(prefix) {
        // Generated code reaches serde and the runtime's helpers through one alias per module, so
        // the code stays short and needs no dependency of the consumer's own.
        separate(out);
        push(out, "use ::eventbind::__private as __eventbind;");
        // The root module's items (the any-event type) allow dead code themselves.
        for item in own {
            separate(out);
            push(out, item);
        }
    }
    let mut children: Vec<&String> = items
        .range(prefix.to_vec()..)
        .map(|(k, _)| k)
        .take_while(|k| k.starts_with(prefix))
        .filter(|k| k.len() > prefix.len())
        .map(|k| &k[prefix.len()])
        .collect();
    children.dedup();
    for child in children {
        let mut path = prefix.to_vec();
        path.push(child.clone());
        let doc = match path.split_first() {
            Some((first, rest)) if first == crate::json_schema::FILES_MODULE && !rest.is_empty() => {
                format!("Types of the schema files at `{}`.", rest.join("/"))
            }
            Some((first, [])) if first == crate::json_schema::FILES_MODULE => {
                "Types defined in the catalog's schema files, a module per folder and file.".to_owned()
            }
            _ => format!("Event types in the `{}` namespace.", path.join(".")),
        };
        // A binary crate that includes the bindings in a private module uses only some of them;
        // the others must not fail its `-D warnings` build.
        separate(out);
        push(out, &format!("/// {doc}\n#[allow(dead_code)]\npub mod {} {{", ident(child)));
        render_module(items, &path, out)?;
        push(out, "}");
    }
    Ok(())
}

/// Renders the model as one Rust file (without header); `None` if the tokens do not parse, which
/// would be a bug in this backend.
pub fn generate(model: &Model, options: &RustOptions) -> Result<String, String> {
    let event_roots = model
        .events
        .iter()
        .filter(|e| e.def.category != Category::Data)
        .filter_map(|e| match e.payload {
            TypeRef::Named(id) if model.get(id).name == e.type_name && model.get(id).module == e.module => {
                Some((id, e))
            }
            _ => None,
        })
        .collect();
    let emitter = Emitter { model, options, recursion: Recursion::new(model), event_roots };
    // Each item is formatted as soon as it is built, so only text accumulates.
    let mut items: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for event in model.events.iter().filter(|e| e.def.category == Category::Data) {
        items.entry(event.module.clone()).or_default().push(format_item(emitter.emit_data_event(event))?);
    }
    for event in model.events.iter() {
        if event.def.schema.format == SchemaFormat::Protobuf && event.def.category != Category::Data {
            items.entry(event.module.clone()).or_default().push(format_item(emitter.emit_proto_event(event))?);
        }
        if let Some(codec) = emitter.emit_codec(event) {
            items.entry(event.module.clone()).or_default().push(format_item(codec)?);
        }
    }
    let prost_types = model.protobuf.as_ref().map(|p| &p.types);
    for (i, def) in model.types.iter().enumerate() {
        // Protobuf payload types come from prost-build, below.
        if prost_types.is_some_and(|t| t.contains(&TypeId(i))) {
            continue;
        }
        items.entry(def.module.clone()).or_default().push(format_item(emitter.emit_type(TypeId(i)))?);
    }
    let derive = quote!(#[derive(Debug, Clone, PartialEq)]);
    items.entry(Vec::new()).or_default().push(format_item(events::any_event(model, &derive))?);
    #[cfg_attr(not(feature = "protobuf"), allow(unused_mut))]
    let mut text = String::with_capacity(items.values().flatten().map(|i| i.len() + i.len() / 4).sum());
    render_module(&items, &[], &mut text)?;
    // Without the protobuf front end the model has no Protobuf bindings.
    #[cfg(feature = "protobuf")]
    if let Some(proto) = &model.protobuf {
        text.push('\n');
        text.push_str(&prost::proto_module(&proto.descriptor_set)?);
    }
    Ok(text)
}
