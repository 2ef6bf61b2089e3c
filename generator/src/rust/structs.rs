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
    let serde = quote!(__eventbind::serde);
    let de = quote!(__eventbind::de);
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
            _ => quote!(#serde::ser::SerializeMap::serialize_entry(&mut map, #wire, &self.#ident)?;),
        }
    });
    let ser_extra = preserve.then(|| {
        quote! {
            for (key, value) in &self.unknown_fields {
                #serde::ser::SerializeMap::serialize_entry(&mut map, key, value)?;
            }
        }
    });

    let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let slots: Vec<Ident> = (0..fields.len()).map(|i| format_ident!("f{i}")).collect();
    let indexes = 0..fields.len();
    let policy_tokens = match policy {
        UnknownFields::Ignore => quote!(Ignore),
        UnknownFields::Preserve => quote!(Preserve),
        UnknownFields::Deny => quote!(Deny),
    };
    let unknown_arg = if preserve {
        quote!(::std::option::Option::Some(&mut unknown_fields))
    } else {
        quote!(::std::option::Option::None)
    };
    let builds = fields.iter().zip(&slots).enumerate().map(|(i, (f, slot))| {
        let ident = &f.ident;
        let value = match &f.mode {
            Mode::Required | Mode::RequiredNullable => quote!(#de::required(#slot, FIELDS[#i])?),
            Mode::Optional => quote!(#slot.flatten()),
            Mode::Defaulted(json) => quote!(#de::defaulted(#slot, FIELDS[#i], #json)?),
        };
        quote!(#ident: #value,)
    });
    let extra_init = preserve.then(|| quote!(let mut unknown_fields = ::eventbind::UnknownFields::new();));
    let extra_build = preserve.then(|| quote!(unknown_fields,));

    quote! {
        #(#attrs)*
        pub struct #name {
            #(#decls)*
            #extra_decl
        }

        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                #(#ser_entries)*
                #ser_extra
                #serde::ser::SerializeMap::end(map)
            }
        }

        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;
                impl<'de> #serde::de::Visitor<'de> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: #serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#name, A::Error> {
                        const FIELDS: &[&str] = &[#(#wires),*];
                        #(let mut #slots = ::std::option::Option::None;)*
                        #extra_init
                        let keys = #de::Keys { fields: FIELDS, policy: #de::Policy::#policy_tokens };
                        while let ::std::option::Option::Some(key) = map.next_key_seed(keys)? {
                            match key {
                                #(#de::Key::Known(#indexes) => #de::put(&mut map, &mut #slots, FIELDS[#indexes])?,)*
                                other => #de::other(&mut map, other, #unknown_arg)?,
                            }
                        }
                        ::std::result::Result::Ok(#name {
                            #(#builds)*
                            #extra_build
                        })
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    }
}
