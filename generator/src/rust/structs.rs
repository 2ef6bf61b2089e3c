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
    pub attrs: Vec<TokenStream>,
}

/// A struct with the given fields (plus `unknown_fields` under preserve), its `Serialize` and its
/// one-pass `Deserialize`: a loop that matches each key to its field as it passes.
pub fn emit(
    name: &Ident,
    attrs: &[TokenStream],
    fields: &[RustField],
    policy: UnknownFields,
    expecting: &str,
) -> TokenStream {
    let serde = quote!(__eventbind::serde);
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
            Mode::Optional => quote!(__eventbind::ser::optional(&mut map, #wire, &self.#ident)?;),
            _ => quote!(__eventbind::ser::entry(&mut map, #wire, &self.#ident)?;),
        }
    });
    let ser_extra = preserve.then(|| quote!(__eventbind::ser::unknown(&mut map, &self.unknown_fields)?;));

    let slots: Vec<Ident> = (0..fields.len()).map(|i| format_ident!("f{i}")).collect();
    let arms = fields.iter().zip(&slots).map(|(f, slot)| {
        let wire = &f.wire;
        quote!(#wire => put(&mut map, &mut #slot, #wire)?,)
    });
    let (other_arm, extra_init, extra_build, fields_const) = match policy {
        UnknownFields::Ignore => (quote!(_ => __eventbind::de::skip(&mut map)?,), None, None, None),
        UnknownFields::Preserve => (
            quote!(_ => __eventbind::de::keep(&mut map, &mut unknown_fields, key)?,),
            Some(quote!(let mut unknown_fields = ::eventbind::UnknownFields::new();)),
            Some(quote!(unknown_fields,)),
            None,
        ),
        UnknownFields::Deny => {
            let wires = fields.iter().map(|f| f.wire.as_str());
            (
                quote!(_ => return Err(__eventbind::de::deny(&key, FIELDS)),),
                None,
                None,
                Some(quote!(const FIELDS: &[&str] = &[#(#wires),*];)),
            )
        }
    };
    let mut helpers = Vec::new();
    if !fields.is_empty() {
        helpers.push(quote!(put));
    }
    if fields.iter().any(|f| matches!(f.mode, Mode::Required | Mode::RequiredNullable)) {
        helpers.push(quote!(required));
    }
    if fields.iter().any(|f| matches!(f.mode, Mode::Defaulted(Default::Json(_)))) {
        helpers.push(quote!(defaulted));
    }
    let builds = fields.iter().zip(&slots).map(|(f, slot)| {
        let (ident, wire) = (&f.ident, &f.wire);
        let value = match &f.mode {
            Mode::Required | Mode::RequiredNullable => quote!(required(#slot, #wire)?),
            Mode::Optional => quote!(#slot.flatten()),
            Mode::Defaulted(Default::Literal(lit)) => quote!(#slot.flatten().unwrap_or(#lit)),
            Mode::Defaulted(Default::Expr(expr)) => quote!(#slot.flatten().unwrap_or_else(|| #expr)),
            Mode::Defaulted(Default::Json(json)) => quote!(defaulted(#slot, #wire, #json)?),
        };
        quote!(#ident: #value,)
    });
    // Names used bare inside the decoding loop are imported in its own block, where they
    // shadow anything a schema names `Some` or `Result` in the module.
    let mut option = vec![quote!(Some)];
    if !fields.is_empty() {
        option.push(quote!(None));
    }
    let mut result = vec![quote!(Ok)];
    if policy == UnknownFields::Deny {
        result.push(quote!(Err));
    }
    let helper_use = (!helpers.is_empty()).then(|| quote!(use __eventbind::de::{#(#helpers),*};));
    let uses = quote! {
        use ::std::option::Option::{#(#option),*};
        use ::std::result::Result::{#(#result),*};
        #helper_use
    };

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
                __eventbind::de::decode_map(deserializer)
            }
        }

        impl __eventbind::de::DecodeMap for #name {
            const EXPECTING: &'static str = #expecting;

            fn decode_map<'de, A: #serde::de::MapAccess<'de>>(mut map: A) -> ::std::result::Result<Self, A::Error> {
                #uses
                #fields_const
                #(let mut #slots = None;)*
                #extra_init
                while let Some(key) = map.next_key_seed(__eventbind::de::KeySeed)? {
                    match key.as_str() {
                        #(#arms)*
                        #other_arm
                    }
                }
                Ok(#name {
                    #(#builds)*
                    #extra_build
                })
            }
        }
    }
}
