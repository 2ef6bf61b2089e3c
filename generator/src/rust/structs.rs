//! Structs and their serde impls. Decoding is hand-rolled rather than derived so that the
//! unknown-field policy needs no `#[serde(flatten)]`: the document is read once, unknown keys are
//! skipped (ignore), collected (preserve) or rejected (deny) as they pass.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::UnknownFields;

/// How a field is filled when decoding.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Must be present and not null.
    Required,
    /// Must be present; may be null.
    RequiredNullable,
    /// May be absent or null.
    Optional,
    /// May be absent or null; then this JSON default is used.
    Defaulted(String),
}

#[derive(Debug, Clone)]
pub struct RustField {
    pub ident: Ident,
    pub wire: String,
    /// The type as declared in the struct.
    pub ty: TokenStream,
    /// The type without the `Option` the mode adds (`T` for `Option<T>` fields).
    pub value_ty: TokenStream,
    pub mode: Mode,
    pub attrs: Vec<TokenStream>,
}

/// A struct with the given fields (plus `unknown_fields` under preserve), its `Serialize` and its
/// one-pass `Deserialize`.
pub fn emit(
    name: &Ident,
    attrs: &[TokenStream],
    fields: &[RustField],
    policy: UnknownFields,
    expecting: &str,
) -> TokenStream {
    let serde = quote!(::eventbind::__private::serde);
    let decls = fields.iter().map(|f| {
        let (ident, ty, attrs) = (&f.ident, &f.ty, &f.attrs);
        quote!(#(#attrs)* pub #ident: #ty,)
    });
    let preserve = policy == UnknownFields::Preserve;
    let extra_decl = preserve.then(|| {
        quote! {
            /// Fields the schema does not declare, kept as received and written back on encoding.
            pub unknown_fields: ::eventbind::UnknownFields,
        }
    });

    let ser_entries = fields.iter().map(|f| {
        let (ident, wire) = (&f.ident, &f.wire);
        match f.mode {
            Mode::Optional => quote! {
                if let ::std::option::Option::Some(value) = &self.#ident {
                    #serde::ser::SerializeMap::serialize_entry(&mut map, #wire, value)?;
                }
            },
            _ => {
                quote!(#serde::ser::SerializeMap::serialize_entry(&mut map, #wire, &self.#ident)?;)
            }
        }
    });
    let ser_extra = preserve.then(|| {
        quote! {
            for (key, value) in &self.unknown_fields {
                #serde::ser::SerializeMap::serialize_entry(&mut map, key, value)?;
            }
        }
    });

    let variants: Vec<Ident> = (0..fields.len()).map(|i| format_ident!("F{i}")).collect();
    let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let (unknown_variant, unknown_arm, unknown_handling) = match policy {
        UnknownFields::Ignore => (
            quote!(__Unknown,),
            quote!(_ => __Field::__Unknown,),
            quote!(__Field::__Unknown => {
                #serde::de::MapAccess::next_value::<#serde::de::IgnoredAny>(&mut map)?;
            }),
        ),
        UnknownFields::Preserve => (
            quote!(__Unknown(::std::string::String),),
            quote!(other => __Field::__Unknown(::std::borrow::ToOwned::to_owned(other)),),
            quote!(__Field::__Unknown(key) => {
                let value = #serde::de::MapAccess::next_value(&mut map)?;
                unknown_fields.insert(key, value);
            }),
        ),
        UnknownFields::Deny => (
            quote!(),
            quote!(other => return ::std::result::Result::Err(#serde::de::Error::unknown_field(other, FIELDS)),),
            quote!(),
        ),
    };
    let slots = fields.iter().zip(&variants).map(|(f, v)| {
        let value_ty = &f.value_ty;
        let slot = format_ident!("slot_{}", v.to_string().to_lowercase());
        match f.mode {
            Mode::Required => quote!(let mut #slot: ::std::option::Option<#value_ty> = ::std::option::Option::None;),
            _ => quote!(let mut #slot: ::std::option::Option<::std::option::Option<#value_ty>> = ::std::option::Option::None;),
        }
    });
    let arms = fields.iter().zip(&variants).map(|(f, v)| {
        let slot = format_ident!("slot_{}", v.to_string().to_lowercase());
        let wire = &f.wire;
        quote! {
            __Field::#v => {
                if #slot.is_some() {
                    return ::std::result::Result::Err(#serde::de::Error::duplicate_field(#wire));
                }
                #slot = ::std::option::Option::Some(#serde::de::MapAccess::next_value(&mut map)?);
            }
        }
    });
    let builds = fields.iter().zip(&variants).map(|(f, v)| {
        let slot = format_ident!("slot_{}", v.to_string().to_lowercase());
        let (ident, wire, value_ty) = (&f.ident, &f.wire, &f.value_ty);
        let value = match &f.mode {
            Mode::Required | Mode::RequiredNullable => {
                quote!(#slot.ok_or_else(|| <A::Error as #serde::de::Error>::missing_field(#wire))?)
            }
            Mode::Optional => quote!(#slot.flatten()),
            Mode::Defaulted(json) => quote! {
                match #slot.flatten() {
                    ::std::option::Option::Some(value) => value,
                    ::std::option::Option::None => ::eventbind::__private::default_from_json::<#value_ty, A::Error>(#wire, #json)?,
                }
            },
        };
        quote!(#ident: #value,)
    });
    let extra_init = preserve.then(|| quote!(let mut unknown_fields = ::eventbind::UnknownFields::new();));
    let extra_build = preserve.then(|| quote!(unknown_fields,));
    let fields_const = (policy == UnknownFields::Deny).then(|| quote!(const FIELDS: &[&str] = &[#(#wires),*];));

    quote! {
        #(#attrs)*
        pub struct #name {
            #(#decls)*
            #extra_decl
        }

        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let mut map = #serde::Serializer::serialize_map(serializer, ::std::option::Option::None)?;
                #(#ser_entries)*
                #ser_extra
                #serde::ser::SerializeMap::end(map)
            }
        }

        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #fields_const
                #[allow(non_camel_case_types)]
                enum __Field {
                    #(#variants,)*
                    #unknown_variant
                }
                struct __FieldVisitor;
                impl #serde::de::Visitor<'_> for __FieldVisitor {
                    type Value = __Field;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a field name")
                    }
                    fn visit_str<E: #serde::de::Error>(self, value: &str) -> ::std::result::Result<__Field, E> {
                        ::std::result::Result::Ok(match value {
                            #(#wires => __Field::#variants,)*
                            #unknown_arm
                        })
                    }
                }
                impl<'de> #serde::Deserialize<'de> for __Field {
                    fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        #serde::Deserializer::deserialize_identifier(deserializer, __FieldVisitor)
                    }
                }
                struct __Visitor;
                impl<'de> #serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: #serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#name, A::Error> {
                        #(#slots)*
                        #extra_init
                        while let ::std::option::Option::Some(key) = #serde::de::MapAccess::next_key::<__Field>(&mut map)? {
                            match key {
                                #(#arms)*
                                #unknown_handling
                            }
                        }
                        ::std::result::Result::Ok(#name {
                            #(#builds)*
                            #extra_build
                        })
                    }
                }
                #serde::Deserializer::deserialize_map(deserializer, __Visitor)
            }
        }
    }
}
