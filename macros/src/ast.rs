//! The derive input as a typed model: the event attributes, and every field and variant with the
//! name serde puts on the wire.

use syn::ext::IdentExt;

use crate::attr::{EventAttrs, SerdeContainer, SerdeField, SerdeVariant};
use crate::errors::Errors;

pub struct Container<'a> {
    pub ident: &'a syn::Ident,
    pub generics: &'a syn::Generics,
    pub event: EventAttrs,
    pub serde: SerdeContainer,
    pub data: Data<'a>,
}

pub enum Data<'a> {
    Struct(Style, Vec<Field<'a>>),
    Enum(Vec<Variant<'a>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `struct S { a: A }`
    Named,
    /// `struct S(A, B)` or `struct S(A)`
    Tuple,
    /// `struct S;`
    Unit,
}

pub struct Field<'a> {
    pub original: &'a syn::Field,
    #[cfg_attr(not(feature = "catalog"), allow(dead_code))] // read by conformance
    pub ty: &'a syn::Type,
    /// The name serde reads (for tuple fields, the index).
    pub wire: String,
    pub serde: SerdeField,
}

#[cfg_attr(not(feature = "catalog"), allow(dead_code))] // `ident` and `wire` are read by conformance
pub struct Variant<'a> {
    pub ident: &'a syn::Ident,
    pub style: Style,
    pub fields: Vec<Field<'a>>,
    pub wire: String,
    pub serde: SerdeVariant,
}

impl Field<'_> {
    /// What errors about the field point at: its name, or its type for a tuple field.
    pub fn name_tokens(&self) -> proc_macro2::TokenStream {
        match &self.original.ident {
            Some(ident) => quote::quote!(#ident),
            None => {
                let ty = &self.original.ty;
                quote::quote!(#ty)
            }
        }
    }

    /// Whether serde reads this field from the input at all.
    pub fn on_wire(&self) -> bool {
        !self.serde.skip_deserializing
    }
}

fn style(fields: &syn::Fields) -> Style {
    match fields {
        syn::Fields::Named(_) => Style::Named,
        syn::Fields::Unnamed(_) => Style::Tuple,
        syn::Fields::Unit => Style::Unit,
    }
}

fn fields<'a>(fields: &'a syn::Fields, rename_all: Option<crate::rename_rule::RenameRule>) -> Vec<Field<'a>> {
    fields
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let serde = SerdeField::from_attrs(&field.attrs);
            let wire = match (&serde.rename, &field.ident) {
                (Some(name), _) => name.clone(),
                (None, Some(ident)) => {
                    let name = ident.unraw().to_string();
                    rename_all.map_or(name.clone(), |rule| rule.apply_to_field(&name))
                }
                (None, None) => i.to_string(),
            };
            Field { original: field, ty: &field.ty, wire, serde }
        })
        .collect()
}

impl<'a> Container<'a> {
    pub fn from_ast(input: &'a syn::DeriveInput, errors: &Errors) -> Option<Container<'a>> {
        let event = EventAttrs::from_attrs(&input.attrs, errors);
        let serde = SerdeContainer::from_attrs(&input.attrs);
        let data = match &input.data {
            syn::Data::Struct(s) => Data::Struct(style(&s.fields), fields(&s.fields, serde.rename_all)),
            syn::Data::Enum(e) => Data::Enum(
                e.variants
                    .iter()
                    .map(|v| {
                        let vs = SerdeVariant::from_attrs(&v.attrs);
                        let name = v.ident.unraw().to_string();
                        let wire = match &vs.rename {
                            Some(r) => r.clone(),
                            None => serde.rename_all.map_or(name.clone(), |rule| rule.apply_to_variant(&name)),
                        };
                        let variant_fields = fields(&v.fields, vs.rename_all);
                        Variant { ident: &v.ident, style: style(&v.fields), fields: variant_fields, wire, serde: vs }
                    })
                    .collect(),
            ),
            syn::Data::Union(u) => {
                errors.at(u.union_token, "`#[derive(eventbind::Event)]` works on structs and enums, not unions");
                return None;
            }
        };
        Some(Container { ident: &input.ident, generics: &input.generics, event, serde, data })
    }

    /// Whether some field's entries are merged into this one's (`#[serde(flatten)]`), so that
    /// names not declared here may still be on the wire.
    pub fn has_flatten(&self) -> bool {
        match &self.data {
            Data::Struct(_, fields) => fields.iter().any(|f| f.serde.flatten),
            Data::Enum(_) => false,
        }
    }
}
