//! Code generation: the `impl ::eventbind::Event` carrying the event type's definition, and the
//! file tracking that makes the crate rebuild when a catalog file it was checked against changes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Container;
use crate::event_def::{Category, Compatibility, EventDef};

pub fn event_impl(cont: &Container<'_>, def: &EventDef) -> TokenStream {
    let ident = cont.ident;
    let (impl_generics, ty_generics, where_clause) = cont.generics.split_for_impl();
    let name = &def.name;
    let version = &def.version;
    let owner = &def.owning_application;
    let category = match def.category {
        Category::General => quote!(General),
        Category::Data => quote!(Data),
        Category::Undefined => quote!(Undefined),
    };
    let mode = match def.compatibility {
        Compatibility::Compatible => quote!(Compatible),
        Compatibility::Forward => quote!(Forward),
        Compatibility::None => quote!(None),
    };
    let keys = &def.partition_key;
    let data_type = match (def.category, &def.data_type) {
        (Category::Data, Some(dt)) => quote!(::core::option::Option::Some(#dt)),
        (Category::Data, None) => quote!(::core::option::Option::Some(#name)),
        _ => quote!(::core::option::Option::None),
    };
    let schema = &def.schema;
    let tracked = tracking(def);
    quote! {
        #[automatically_derived]
        impl #impl_generics ::eventbind::Event for #ident #ty_generics #where_clause {
            const TYPE: ::eventbind::EventTypeInfo = ::eventbind::EventTypeInfo {
                name: #name,
                category: ::eventbind::Category::#category,
                schema_version: #version,
                owning_application: #owner,
                compatibility_mode: ::eventbind::CompatibilityMode::#mode,
                partition_key_fields: &[#(#keys),*],
                data_type: #data_type,
                schema_format: ::eventbind::SchemaFormat::JsonSchema,
                schema: #schema,
            };
        }
        #tracked
    }
}

/// `include_bytes!` of every file read at compile time: the stable way to make cargo rebuild the
/// crate when one changes (`proc_macro::tracked_path` is unstable).
pub fn tracking(def: &EventDef) -> TokenStream {
    track_files(&def.tracked)
}

pub fn track_files(paths: &[std::path::PathBuf]) -> TokenStream {
    if paths.is_empty() {
        return TokenStream::new();
    }
    let paths = paths.iter().map(|p| p.to_string_lossy().into_owned());
    quote! {
        const _: () = {
            #(const _: &[u8] = ::core::include_bytes!(#paths);)*
        };
    }
}
