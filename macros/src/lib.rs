//! Procedural macros of eventbind, used through the `eventbind` crate's re-exports.
//!
//! Laid out like serde_derive: [`ast`] and [`attr`] read the input into a typed model, [`check`]
//! validates it, `conformance` compares it with a catalog file (feature `catalog`), [`expand`]
//! generates the `Event` impl. Errors are collected with spans and reported all at once.

use proc_macro::TokenStream;
use syn::parse_macro_input;

mod ast;
mod attr;
mod check;
#[cfg(feature = "catalog")]
mod conformance;
mod errors;
mod event_def;
mod expand;
#[cfg(feature = "catalog")]
mod include_catalog;
#[cfg(feature = "catalog")]
mod manifest_dir;
mod rename_rule;
#[cfg(feature = "catalog")]
mod type_shape;

use errors::Errors;
use event_def::{Compatibility, Declared, EventDef};

/// `#[derive(eventbind::Event)]`: see the `eventbind` crate's documentation.
#[proc_macro_derive(Event, attributes(event))]
pub fn derive_event(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as syn::DeriveInput);
    derive(&input).into()
}

fn derive(input: &syn::DeriveInput) -> proc_macro2::TokenStream {
    let errors = Errors::default();
    let Some(cont) = ast::Container::from_ast(input, &errors) else {
        return errors.into_compile_errors().unwrap_or_default();
    };
    let declared = check::check(&cont, &errors);
    let def = match &cont.event.catalog {
        Some(file) => from_catalog(&cont, &declared, file, &errors),
        None => from_declared(declared),
    };
    match (errors.into_compile_errors(), def) {
        (Some(errors), _) => errors,
        (None, Some(def)) => expand::event_impl(&cont, &def),
        (None, None) => syn::Error::new_spanned(input, "internal error: no definition and no error").to_compile_error(),
    }
}

#[cfg(feature = "catalog")]
fn from_catalog(
    cont: &ast::Container<'_>,
    declared: &Declared,
    file: &syn::LitStr,
    errors: &Errors,
) -> Option<EventDef> {
    conformance::conform(cont, declared, file, errors)
}

#[cfg(not(feature = "catalog"))]
fn from_catalog(_: &ast::Container<'_>, _: &Declared, file: &syn::LitStr, errors: &Errors) -> Option<EventDef> {
    errors.at(
        file,
        "`catalog = \"...\"` needs the `catalog` feature: `eventbind = { version = \"...\", features = [\"catalog\"] }`",
    );
    None
}

/// Without a catalog file, the definition is what was declared, with the catalog's defaults.
fn from_declared(declared: Declared) -> Option<EventDef> {
    Some(EventDef {
        name: declared.name?.value,
        category: declared.category?.value,
        version: declared.version.map_or_else(|| "1.0.0".to_owned(), |v| v.value),
        owning_application: declared.owning_application?.value,
        compatibility: declared.compatibility.map_or(Compatibility::Forward, |c| c.value),
        partition_key: declared
            .partition_key
            .map(|k| k.value.into_iter().map(|k| k.value).collect())
            .unwrap_or_default(),
        data_type: declared.data_type.map(|d| d.value),
        // No catalog text to embed; `eventbind::catalog_entry::<T>()` makes the schema with schemars.
        schema: String::new(),
        tracked: Vec::new(),
    })
}

/// `include_catalog!("events")`: see the `eventbind` crate's documentation.
#[cfg(feature = "catalog")]
#[proc_macro]
pub fn include_catalog(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as include_catalog::Input);
    include_catalog::expand(&input).into()
}
