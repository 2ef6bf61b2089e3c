//! String enums (closed, or with a catch-all that keeps values this build does not know) and
//! unions (tagged by a discriminator property, or untagged: the first variant that fits).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// A string enum. With `catch_all`, unknown values decode into `Unknown(String)` and encode back
/// unchanged; without it they are an error listing the accepted values.
pub fn emit_enum(
    name: &Ident,
    attrs: &[TokenStream],
    variants: &[(Ident, String, Vec<TokenStream>)],
    catch_all: bool,
) -> TokenStream {
    let serde = quote!(__eventbind::serde);
    let decls = variants.iter().map(|(ident, wire, docs)| {
        let doc = format!(" `{wire}`");
        if docs.is_empty() {
            quote!(#[doc = #doc] #ident,)
        } else {
            quote!(#(#docs)* #ident,)
        }
    });
    let idents: Vec<&Ident> = variants.iter().map(|v| &v.0).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.1.as_str()).collect();
    let unknown_decl = catch_all.then(|| {
        quote! {
            /// A value this build does not know, kept as received.
            Unknown(::std::string::String),
        }
    });
    let unknown_str = catch_all.then(|| quote!(#name::Unknown(value) => value,));
    let unknown_de = if catch_all {
        quote!(other => #name::Unknown(::std::borrow::ToOwned::to_owned(other)),)
    } else {
        quote!(other => return ::std::result::Result::Err(#serde::de::Error::unknown_variant(other, #name::VALUES)),)
    };
    let expecting = format!("one of {}", wires.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", "));
    quote! {
        #(#attrs)*
        pub enum #name {
            #(#decls)*
            #unknown_decl
        }

        impl #name {
            /// The values the schema lists, as on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#name::#idents => #wires,)*
                    #unknown_str
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #serde::Serializer::serialize_str(serializer, self.as_str())
            }
        }

        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct __Visitor;
                impl #serde::de::Visitor<'_> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_str<E: #serde::de::Error>(self, value: &str) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(match value {
                            #(#wires => #name::#idents,)*
                            #unknown_de
                        })
                    }
                }
                #serde::Deserializer::deserialize_str(deserializer, __Visitor)
            }
        }
    }
}

/// A union. Decoding reads the value once into JSON, then decodes the chosen variant from it.
/// A tagged union keeps a document with a tag it does not know as `Unknown`.
pub fn emit_union(
    name: &Ident,
    attrs: &[TokenStream],
    discriminator: Option<&str>,
    variants: &[(Ident, Option<String>, TokenStream)],
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
    let decode = match discriminator {
        Some(prop) => {
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
        None => {
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
                let value = <#json::Value as #serde::Deserialize>::deserialize(deserializer)?;
                #decode
            }
        }
    }
}
