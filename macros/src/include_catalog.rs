//! `include_catalog!("events", ...)`: the bindings `build.rs` would generate, made by the same
//! engine call at compile time, for crates without a build script.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, LitStr, MetaNameValue, Token};

use crate::errors::Errors;
use crate::expand::track_files;
use crate::manifest_dir::{manifest_dir, render, shown};

const OPTIONS: &str = "`unknown_fields = \"ignore\" | \"preserve\" | \"deny\"`, `tolerant_enums = true`, \
                       `event_type = \"order.*\"`, `date_times = \"fixed-offset\" | \"utc\"`, \
                       `optional_nulls = \"keep\" | \"as-absent\"`";

pub struct Input {
    catalog: LitStr,
    options: Punctuated<MetaNameValue, Token![,]>,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let catalog: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the catalog folder, relative to CARGO_MANIFEST_DIR: `include_catalog!(\"events\")`",
            )
        })?;
        let options = if input.is_empty() {
            Punctuated::new()
        } else {
            input.parse::<Token![,]>()?;
            Punctuated::parse_terminated(input)?
        };
        Ok(Input { catalog, options })
    }
}

pub fn expand(input: &Input) -> TokenStream {
    let errors = Errors::default();
    let mut config = eventbind_build::Config::new();
    config.cargo_output(false);
    for option in &input.options {
        let key = option.path.get_ident().map(ToString::to_string).unwrap_or_default();
        let value = match &option.value {
            Expr::Lit(ExprLit { lit, .. }) => Some(lit),
            _ => None,
        };
        match (key.as_str(), value) {
            ("unknown_fields", Some(Lit::Str(s))) => match s.value().parse() {
                Ok(policy) => {
                    config.unknown_fields(policy);
                }
                Err(message) => errors.at(s, message),
            },
            ("tolerant_enums", Some(Lit::Bool(b))) => {
                config.tolerant_enums(b.value);
            }
            ("event_type", Some(Lit::Str(s))) => {
                config.event_type(s.value());
            }
            ("date_times", Some(Lit::Str(s))) => match s.value().parse() {
                Ok(date_times) => {
                    config.date_times(date_times);
                }
                Err(message) => errors.at(s, message),
            },
            ("optional_nulls", Some(Lit::Str(s))) => match s.value().parse() {
                Ok(rule) => {
                    config.optional_nulls(rule);
                }
                Err(message) => errors.at(s, message),
            },
            _ => errors.at(option, format!("unknown option; expected {OPTIONS}")),
        }
    }
    let manifest = match manifest_dir() {
        Ok(dir) => dir,
        Err(message) => {
            errors.at(&input.catalog, message);
            return errors.into_compile_errors().unwrap_or_default();
        }
    };
    let folder = manifest.join(input.catalog.value());
    if !folder.is_dir() {
        errors.at(
            &input.catalog,
            format!("no catalog folder `{}` (paths are relative to CARGO_MANIFEST_DIR)", shown(&manifest, &folder)),
        );
    }
    if let Some(e) = errors.into_compile_errors() {
        return e;
    }
    match config.catalog(&folder).generate() {
        Ok(generated) => match generated.code.parse::<TokenStream>() {
            Ok(mut code) => {
                let files: Vec<_> = generated.inputs.into_iter().filter(|p| p.is_file()).collect();
                code.extend(track_files(&files));
                code
            }
            Err(e) => {
                syn::Error::new(input.catalog.span(), format!("internal error: generated code does not lex: {e}"))
                    .to_compile_error()
            }
        },
        Err(e) => syn::Error::new(
            input.catalog.span(),
            format!("the catalog `{}` has errors:\n{}", shown(&manifest, &folder), render(&manifest, &e)),
        )
        .to_compile_error(),
    }
}

#[cfg(test)]
mod tests {
    /// The bindings come with an `include_bytes!` of every catalog file read, so the crate
    /// rebuilds when one changes.
    #[test]
    fn expansion_tracks_every_catalog_file() {
        let input: super::Input = syn::parse_quote!("tests/events", event_type = "device.*");
        let out = super::expand(&input).to_string();
        assert!(out.contains("pub enum AnyEvent"), "{out}");
        assert!(!out.contains("compile_error"), "{out}");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/events/inventory/inventory.stock_changed.yaml");
        assert!(out.contains(&format!("include_bytes ! ({:?})", path.to_string_lossy())), "{out}");
    }
}
