//! Reading attributes into a typed model: `#[event(...)]` as written (checked in `check`), and the
//! `#[serde(...)]` options that decide what is on the wire. Malformed serde attributes are left
//! for serde_derive to report.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{LitStr, Token};

use crate::errors::Errors;
use crate::rename_rule::RenameRule;

/// The keys `#[event(...)]` accepts, for the error on an unknown one.
const EVENT_KEYS: &str = "`name`, `category`, `data_type`, `version`, `owning_application`, `compatibility`, \
                          `partition_key`, `catalog`, `catalog_root`";

/// `#[event(...)]` on the payload type, as written.
#[derive(Default)]
pub struct EventAttrs {
    pub name: Option<LitStr>,
    pub category: Option<LitStr>,
    pub data_type: Option<LitStr>,
    pub version: Option<LitStr>,
    pub owning_application: Option<LitStr>,
    pub compatibility: Option<LitStr>,
    /// The list's brackets (for errors about the whole list) and its entries.
    pub partition_key: Option<(Span, Vec<LitStr>)>,
    pub catalog: Option<LitStr>,
    pub catalog_root: Option<LitStr>,
    /// Whether any `#[event]` attribute was present.
    pub present: bool,
}

impl EventAttrs {
    pub fn from_attrs(attrs: &[syn::Attribute], errors: &Errors) -> EventAttrs {
        let mut out = EventAttrs::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("event")) {
            out.present = true;
            let result = attr.parse_nested_meta(|meta| {
                let Some(key) = meta.path.get_ident().map(ToString::to_string) else {
                    return Err(meta.error(format!("unknown `event` attribute; expected one of {EVENT_KEYS}")));
                };
                let slot = match key.as_str() {
                    "name" => &mut out.name,
                    "category" => &mut out.category,
                    "data_type" => &mut out.data_type,
                    "version" => &mut out.version,
                    "owning_application" => &mut out.owning_application,
                    "compatibility" => &mut out.compatibility,
                    "catalog" => &mut out.catalog,
                    "catalog_root" => &mut out.catalog_root,
                    "partition_key" => {
                        let value = meta.value()?;
                        let content;
                        let brackets = syn::bracketed!(content in value);
                        let keys = content.parse_terminated(<LitStr as syn::parse::Parse>::parse, Token![,])?;
                        if out.partition_key.is_some() {
                            errors.at(&meta.path, "duplicate `partition_key` in `#[event(...)]`");
                        }
                        out.partition_key = Some((brackets.span.join(), keys.into_iter().collect()));
                        return Ok(());
                    }
                    _ => {
                        // Consume the value so that the error names the key, not what follows it.
                        if meta.input.peek(Token![=]) {
                            meta.value()?.parse::<syn::Expr>()?;
                        }
                        errors
                            .at(&meta.path, format!("unknown `event` attribute `{key}`; expected one of {EVENT_KEYS}"));
                        return Ok(());
                    }
                };
                let value = string_value(&meta, &key)?;
                if slot.is_some() {
                    errors.at(&meta.path, format!("duplicate `{key}` in `#[event(...)]`"));
                }
                *slot = Some(value);
                Ok(())
            });
            if let Err(e) = result {
                errors.push(e);
            }
        }
        out
    }
}

fn string_value(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<LitStr> {
    let value = meta.value()?;
    let expr: syn::Expr = value.parse()?;
    match expr {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Ok(s),
        other => Err(syn::Error::new_spanned(other, format!("`{key}` takes a string literal, e.g. `{key} = \"...\"`"))),
    }
}

/// `#[serde(...)]` on the container.
#[derive(Debug, Default)]
pub struct SerdeContainer {
    pub rename_all: Option<RenameRule>,
    pub default: bool,
    pub tag: Option<String>,
    pub untagged: bool,
    pub transparent: bool,
}

/// `#[serde(...)]` on a field.
#[derive(Debug, Default)]
pub struct SerdeField {
    pub rename: Option<String>,
    pub default: bool,
    pub skip_serializing: bool,
    pub skip_deserializing: bool,
    pub skip_serializing_if: bool,
    /// `with`, `deserialize_with` or `serialize_with`: the Rust type no longer decides the wire form.
    pub with: bool,
    pub flatten: bool,
}

/// `#[serde(...)]` on an enum variant.
#[derive(Debug, Default)]
pub struct SerdeVariant {
    pub rename: Option<String>,
    pub rename_all: Option<RenameRule>,
    pub other: bool,
    pub skip: bool,
}

/// Calls `f` for each `key` (and its value, if any) in the `#[serde(...)]` attributes; keys `f`
/// does not take are skipped with their values.
fn serde_meta(attrs: &[syn::Attribute], mut f: impl FnMut(&str, &ParseNestedMeta<'_>) -> syn::Result<bool>) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // An unreadable serde attribute is serde_derive's to report.
        let _ = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            if f(&key, &meta)? {
                return Ok(());
            }
            if meta.input.peek(Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _skipped;
                syn::parenthesized!(_skipped in meta.input);
            }
            Ok(())
        });
    }
}

fn lit_string(meta: &ParseNestedMeta<'_>) -> syn::Result<String> {
    Ok(meta.value()?.parse::<LitStr>()?.value())
}

/// `rename = "x"` or `rename(deserialize = "x", serialize = "y")`: the name read on decoding.
fn renamed(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<String>> {
    if meta.input.peek(Token![=]) {
        return lit_string(meta).map(Some);
    }
    let mut deserialize = None;
    let mut serialize = None;
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("deserialize") {
            deserialize = Some(lit_string(&inner)?);
        } else if inner.path.is_ident("serialize") {
            serialize = Some(lit_string(&inner)?);
        }
        Ok(())
    })?;
    Ok(deserialize.or(serialize))
}

/// The flag `key` or `key = "..."`: either way it is set.
fn flag(meta: &ParseNestedMeta<'_>) -> syn::Result<bool> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    }
    Ok(true)
}

impl SerdeContainer {
    pub fn from_attrs(attrs: &[syn::Attribute]) -> SerdeContainer {
        let mut out = SerdeContainer::default();
        serde_meta(attrs, |key, meta| {
            match key {
                "rename_all" => out.rename_all = renamed(meta)?.as_deref().and_then(RenameRule::from_name),
                "default" => out.default = flag(meta)?,
                "tag" => out.tag = Some(lit_string(meta)?),
                "untagged" => out.untagged = true,
                "transparent" => out.transparent = true,
                _ => return Ok(false),
            }
            Ok(true)
        });
        out
    }
}

impl SerdeField {
    pub fn from_attrs(attrs: &[syn::Attribute]) -> SerdeField {
        let mut out = SerdeField::default();
        serde_meta(attrs, |key, meta| {
            match key {
                "rename" => out.rename = renamed(meta)?,
                "default" => out.default = flag(meta)?,
                "skip" => {
                    out.skip_serializing = true;
                    out.skip_deserializing = true;
                }
                "skip_serializing" => out.skip_serializing = true,
                "skip_deserializing" => out.skip_deserializing = true,
                "skip_serializing_if" => out.skip_serializing_if = flag(meta)?,
                "with" | "deserialize_with" | "serialize_with" => out.with = flag(meta)?,
                "flatten" => out.flatten = true,
                _ => return Ok(false),
            }
            Ok(true)
        });
        out
    }
}

impl SerdeVariant {
    pub fn from_attrs(attrs: &[syn::Attribute]) -> SerdeVariant {
        let mut out = SerdeVariant::default();
        serde_meta(attrs, |key, meta| {
            match key {
                "rename" => out.rename = renamed(meta)?,
                "rename_all" => out.rename_all = renamed(meta)?.as_deref().and_then(RenameRule::from_name),
                "other" => out.other = true,
                "skip" | "skip_deserializing" => out.skip = true,
                _ => return Ok(false),
            }
            Ok(true)
        });
        out
    }
}
