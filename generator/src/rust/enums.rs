//! String enums (closed, or with a catch-all that keeps values this build does not know) and
//! unions (tagged by a discriminator property, or untagged: the first variant that fits).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::text::{self, Code};

/// A string enum and its impls, as code (see [`super::text`]). With `catch_all`, unknown values
/// decode into `Unknown(String)` and encode back unchanged; without it they are an error listing
/// the accepted values.
pub fn emit_enum(name: &Ident, attrs: &[String], variants: &[(Ident, String, Vec<String>)], catch_all: bool) -> String {
    let name = text::id(name);
    let mut code = Code::new();
    for a in attrs {
        code.line(a);
    }
    code.open(format!("pub enum {name} {{"));
    for (ident, wire, docs) in variants {
        if docs.is_empty() {
            // The value may hold control characters, which must not reach a doc comment.
            for a in super::doc_lines(Some(&format!("`{wire}`"))) {
                code.line(a);
            }
        } else {
            for a in docs {
                code.line(a);
            }
        }
        code.line(format!("{},", text::id(ident)));
    }
    if catch_all {
        code.line("/// A value this build does not know, kept as received.").line("Unknown(::std::string::String),");
    }
    code.close("}");
    let mut out = code.finish();
    out.push_str(&enum_impls(&name, variants, catch_all));
    out
}

fn enum_impls(name: &str, variants: &[(Ident, String, Vec<String>)], catch_all: bool) -> String {
    let idents: Vec<String> = variants.iter().map(|v| text::id(&v.0)).collect();
    let wires: Vec<String> = variants.iter().map(|v| text::lit(&v.1)).collect();
    let mut code = Code::new();
    code.open(format!("impl {name} {{"))
        .line("/// The values the schema lists, as on the wire.")
        .list("pub const VALUES: &'static [&'static str] = &[", &wires, "];")
        .line("/// The value as on the wire.")
        .open("pub fn as_str(&self) -> &str {")
        .open("match self {");
    for (ident, wire) in idents.iter().zip(&wires) {
        code.line(format!("{name}::{ident} => {wire},"));
    }
    if catch_all {
        code.line(format!("{name}::Unknown(value) => value,"));
    }
    code.close("}").close("}").close("}");

    code.open(format!("impl ::std::fmt::Display for {name} {{"))
        .open("fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {")
        .line("f.write_str(self.as_str())")
        .end_fn();

    code.serialize_fn(name).line("__eventbind::serde::Serializer::serialize_str(serializer, self.as_str())").end_fn();

    // Indexes decode to variants; the last listed value takes the remaining index, so the match
    // is total without an unreachable arm.
    code.deserialize_fn(name);
    let (init, last) = idents.split_at(idents.len().saturating_sub(1));
    if let ([], [only]) = (init, last) {
        if catch_all {
            code.line("use ::std::result::Result::{Err, Ok};")
                .line(format!("let value = __eventbind::de::variant(deserializer, {name}::VALUES)?;"))
                .open("Ok(match value {")
                .line(format!("Ok(_) => {name}::{only},"))
                .line(format!("Err(other) => {name}::Unknown(other),"))
                .close("})");
        } else {
            code.line(format!("__eventbind::de::closed_variant(deserializer, {name}::VALUES).map(|_| {name}::{only})"));
        }
    } else if catch_all {
        code.line("use ::std::result::Result::{Err, Ok};")
            .line(format!("let value = __eventbind::de::variant(deserializer, {name}::VALUES)?;"))
            .open("Ok(match value {");
        for (i, ident) in init.iter().enumerate() {
            code.line(format!("Ok({i}usize) => {name}::{ident},"));
        }
        for ident in last {
            code.line(format!("Ok(_) => {name}::{ident},"));
        }
        code.line(format!("Err(other) => {name}::Unknown(other),")).close("})");
    } else {
        code.line(format!("let index = __eventbind::de::closed_variant(deserializer, {name}::VALUES)?;"))
            .open("::std::result::Result::Ok(match index {");
        for (i, ident) in init.iter().enumerate() {
            code.line(format!("{i}usize => {name}::{ident},"));
        }
        for ident in last {
            code.line(format!("_ => {name}::{ident},"));
        }
        code.close("})");
    }
    code.end_fn();
    code.finish()
}

/// The JSON kind a variant's values always have, when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Number,
    String,
    Seq,
    Map,
}

/// An untagged union whose variants differ by JSON kind decodes without buffering: the input's
/// kind picks the variant.
fn by_kind(name: &Ident, variants: &[(Ident, Option<String>, TokenStream)], kinds: &[Kind]) -> TokenStream {
    let serde = quote!(__eventbind::serde);
    let methods = variants.iter().zip(kinds).map(|((ident, _, ty), kind)| {
        let scalar = quote! {
            <#ty as #serde::Deserialize>::deserialize(#serde::de::IntoDeserializer::<E>::into_deserializer(value)).map(#name::#ident)
        };
        let visit = |method: TokenStream, arg: TokenStream| {
            quote!(fn #method<E: #serde::de::Error>(self, value: #arg) -> ::std::result::Result<#name, E> { #scalar })
        };
        match kind {
            Kind::Bool => visit(quote!(visit_bool), quote!(bool)),
            Kind::Number => {
                let (i, u, f) = (visit(quote!(visit_i64), quote!(i64)), visit(quote!(visit_u64), quote!(u64)), visit(quote!(visit_f64), quote!(f64)));
                quote!(#i #u #f)
            }
            Kind::String => visit(quote!(visit_str), quote!(&str)),
            Kind::Seq => quote! {
                fn visit_seq<A: #serde::de::SeqAccess<'de>>(self, seq: A) -> ::std::result::Result<#name, A::Error> {
                    <#ty as #serde::Deserialize>::deserialize(#serde::de::value::SeqAccessDeserializer::new(seq)).map(#name::#ident)
                }
            },
            Kind::Map => quote! {
                fn visit_map<A: #serde::de::MapAccess<'de>>(self, map: A) -> ::std::result::Result<#name, A::Error> {
                    <#ty as #serde::Deserialize>::deserialize(#serde::de::value::MapAccessDeserializer::new(map)).map(#name::#ident)
                }
            },
        }
    });
    let names: Vec<&str> = kinds
        .iter()
        .map(|k| match k {
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Seq => "an array",
            Kind::Map => "an object",
        })
        .collect();
    let expecting = format!("one of: {}", names.join(", "));
    quote! {
        struct Visitor;
        impl<'de> #serde::de::Visitor<'de> for Visitor {
            type Value = #name;
            fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#expecting)
            }
            #(#methods)*
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A union. A tagged union reads the value once into JSON, then decodes the variant its tag
/// names, and keeps a document with a tag it does not know as `Unknown`. An untagged union
/// dispatches on the JSON kind where the variants' kinds differ, else tries them in order.
pub fn emit_union(
    name: &Ident,
    attrs: &[TokenStream],
    discriminator: Option<&str>,
    variants: &[(Ident, Option<String>, TokenStream)],
    kinds: Option<&[Kind]>,
) -> TokenStream {
    let serde = quote!(__eventbind::serde);
    let json = quote!(__eventbind::serde_json);
    let decls = variants.iter().map(|(ident, _, ty)| quote!(#ident(#ty),));
    let idents: Vec<&Ident> = variants.iter().map(|v| &v.0).collect();
    let unknown_decl = discriminator.map(|prop| {
        let doc = format!(" A document whose `{prop}` this build does not know, kept as received.");
        quote!(#[doc = #doc] Unknown(#json::Value),)
    });
    let unknown_ser =
        discriminator.map(|_| quote!(#name::Unknown(value) => #serde::Serialize::serialize(value, serializer),));
    let buffered = discriminator.is_some() || kinds.is_none();
    let decode = match (discriminator, kinds) {
        (None, Some(kinds)) => by_kind(name, variants, kinds),
        (Some(prop), _) => {
            let arms = variants.iter().map(|(ident, tag, ty)| {
                let tag = tag.as_deref().unwrap_or_default();
                quote!(::std::option::Option::Some(#tag) => <#ty as #serde::Deserialize>::deserialize(value).map(#name::#ident).map_err(#serde::de::Error::custom),)
            });
            quote! {
                let tag = value.get(#prop).and_then(#json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    ::std::option::Option::Some(_) => ::std::result::Result::Ok(#name::Unknown(value)),
                    ::std::option::Option::None => ::std::result::Result::Err(#serde::de::Error::missing_field(#prop)),
                }
            }
        }
        (None, None) => {
            let tries = variants.iter().map(|(ident, _, ty)| {
                quote! {
                    if let ::std::result::Result::Ok(v) = <#ty as #serde::Deserialize>::deserialize(&value) {
                        return ::std::result::Result::Ok(#name::#ident(v));
                    }
                }
            });
            let message = format!("the value matches none of the variants of {name}");
            quote! {
                #(#tries)*
                ::std::result::Result::Err(#serde::de::Error::custom(#message))
            }
        }
    };
    let buffer =
        buffered.then(|| quote!(let value = <#json::Value as #serde::Deserialize>::deserialize(deserializer)?;));
    quote! {
        #(#attrs)*
        pub enum #name {
            #(#decls)*
            #unknown_decl
        }

        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#name::#idents(value) => #serde::Serialize::serialize(value, serializer),)*
                    #unknown_ser
                }
            }
        }

        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #buffer
                #decode
            }
        }
    }
}
