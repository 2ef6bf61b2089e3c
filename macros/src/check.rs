//! Checks `#[event(...)]` against the event model and the type it is on: name pattern, semver,
//! category, `data_type` only for data events, partition keys naming real fields, and a payload
//! shape the category's envelope can carry. Every mistake is recorded; none stops the others.

use syn::LitStr;

use crate::ast::{Container, Data, Style};
use crate::errors::Errors;
use crate::event_def::{is_valid_name, Category, Compatibility, Declared, Spanned};

fn spanned<T>(lit: &LitStr, value: T) -> Spanned<T> {
    Spanned { value, span: lit.span() }
}

/// Checks each declared value on its own and against the type; returns the valid ones.
pub fn check(cont: &Container<'_>, errors: &Errors) -> Declared {
    let attrs = &cont.event;
    if !attrs.present {
        errors.at(
            cont.ident,
            "`#[derive(eventbind::Event)]` needs `#[event(name = \"...\", category = \"general\", \
             owning_application = \"...\")]`",
        );
        return Declared::default();
    }
    let mut declared = Declared::default();

    if let Some(lit) = &attrs.name {
        let name = lit.value();
        if is_valid_name(&name) {
            declared.name = Some(spanned(lit, name));
        } else {
            errors.at(
                lit,
                format!(
                    "invalid event type name `{name}`: names are dot-separated segments of letters, digits, `-` \
                     and `_`, each starting with a letter, e.g. `order.order_cancelled`"
                ),
            );
        }
    }
    if let Some(lit) = &attrs.category {
        match Category::parse(&lit.value()) {
            Some(c) => declared.category = Some(spanned(lit, c)),
            None => errors.at(
                lit,
                format!(
                    "unknown category `{}`: expected `general`, `business` (alias of general), `data` or `undefined`",
                    lit.value()
                ),
            ),
        }
    }
    if let Some(lit) = &attrs.version {
        match semver::Version::parse(&lit.value()) {
            Ok(v) => declared.version = Some(spanned(lit, v.to_string())),
            Err(e) => errors.at(
                lit,
                format!("`{}` is not a semantic version ({e}): write MAJOR.MINOR.PATCH, e.g. `1.3.0`", lit.value()),
            ),
        }
    }
    if let Some(lit) = &attrs.owning_application {
        if lit.value().trim().is_empty() {
            errors.at(lit, "`owning_application` must name the producing application");
        } else {
            declared.owning_application = Some(spanned(lit, lit.value()));
        }
    }
    if let Some(lit) = &attrs.compatibility {
        match Compatibility::parse(&lit.value()) {
            Some(c) => declared.compatibility = Some(spanned(lit, c)),
            None => errors.at(
                lit,
                format!("unknown compatibility `{}`: expected `compatible`, `forward` or `none`", lit.value()),
            ),
        }
    }
    if let Some(lit) = &attrs.data_type {
        let value = lit.value();
        match declared.category.as_ref().map(|c| c.value) {
            Some(Category::General | Category::Undefined) => {
                errors.at(lit, "`data_type` is only for data change events: remove it or use `category = \"data\"`")
            }
            _ if !is_valid_name(&value) => errors.at(
                lit,
                format!("invalid data type `{value}`: write the entity as a dotted name, e.g. `sales_order.order`"),
            ),
            _ => declared.data_type = Some(spanned(lit, value)),
        }
    }
    if let Some((span, keys)) = &attrs.partition_key {
        let keys = keys.iter().map(|k| spanned(k, k.value())).collect();
        declared.partition_key = Some(Spanned { value: keys, span: *span });
    }

    if attrs.catalog_root.is_some() && attrs.catalog.is_none() {
        errors.at(attrs.catalog_root.as_ref(), "`catalog_root` is only used with `catalog = \"...\"`");
    }
    if attrs.catalog.is_none() {
        let missing: Vec<&str> = [
            ("name", attrs.name.is_none()),
            ("category", attrs.category.is_none()),
            ("owning_application", attrs.owning_application.is_none()),
        ]
        .into_iter()
        .filter_map(|(key, missing)| missing.then_some(key))
        .collect();
        if !missing.is_empty() {
            let list = missing.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            errors.at(
                cont.ident,
                format!("`#[event(...)]` is missing {list}; they are required unless `catalog = \"...\"` gives them"),
            );
        }
    }
    if let Some(category) = &declared.category {
        check_shape(cont, category.value, errors);
        if let Some(keys) = &declared.partition_key {
            check_partition_keys(cont, category.value, &keys.value, errors);
        }
    }
    declared
}

/// The payload must be something the category's envelope can carry.
pub fn check_shape(cont: &Container<'_>, category: Category, errors: &Errors) {
    if category != Category::General {
        return;
    }
    match &cont.data {
        Data::Struct(Style::Named, fields) => {
            for field in fields.iter().filter(|f| f.on_wire() && f.wire == "metadata") {
                errors.at(
                    field.name_tokens(),
                    "a general event's payload sits beside the envelope's `metadata`; rename this field",
                );
            }
        }
        Data::Struct(_, _) if cont.serde.transparent => {}
        Data::Struct(_, _) => errors.at(
            cont.ident,
            "the payload of a general event sits at the top level beside `metadata`, so it must be a struct \
             with named fields",
        ),
        Data::Enum(_) if cont.serde.tag.is_some() || cont.serde.untagged => {}
        Data::Enum(_) => errors.at(
            cont.ident,
            "the payload of a general event sits at the top level beside `metadata`, which an externally tagged \
             enum cannot: use `#[serde(tag = \"...\")]` or `#[serde(untagged)]`, or `category = \"data\"`",
        ),
    }
}

/// Partition keys are paths into the event document; their first step after the envelope must
/// be a field the payload reads. Deeper steps are checked only against a catalog schema.
pub fn check_partition_keys(cont: &Container<'_>, category: Category, keys: &[Spanned<String>], errors: &Errors) {
    for key in keys {
        let path = key.value.as_str();
        let in_payload = match category {
            Category::Data => match path.strip_prefix("data.") {
                Some(rest) => rest,
                None => {
                    errors.span(
                        key.span,
                        format!(
                            "partition keys of a data change event are paths into the event, under `data`: \
                             write `data.{path}`"
                        ),
                    );
                    continue;
                }
            },
            Category::General | Category::Undefined => path,
        };
        if in_payload.is_empty() || in_payload.split('.').any(str::is_empty) {
            errors.span(key.span, format!("`{path}` is not a field path: write dot-separated field names"));
            continue;
        }
        let first = in_payload.split('.').next().unwrap_or_default();
        if cont.has_flatten() || cont.serde.transparent {
            continue;
        }
        let known = match &cont.data {
            Data::Struct(_, fields) => fields.iter().any(|f| f.on_wire() && f.wire == first),
            Data::Enum(variants) => {
                cont.serde.tag.as_deref() == Some(first)
                    || variants.iter().filter(|v| !v.serde.skip).all(|v| match v.style {
                        Style::Named => v.fields.iter().any(|f| f.on_wire() && f.wire == first),
                        // A newtype variant's fields are not visible here.
                        Style::Tuple => true,
                        Style::Unit => false,
                    })
            }
        };
        if !known {
            let fields = wire_fields(cont);
            errors.span(
                key.span,
                if fields.is_empty() {
                    format!("partition key `{path}` names no field: `{}` has no named fields", cont.ident)
                } else {
                    format!("partition key `{path}` names no field of `{}`; its fields are {fields}", cont.ident)
                },
            );
        }
    }
}

fn wire_fields(cont: &Container<'_>) -> String {
    match &cont.data {
        Data::Struct(Style::Named, fields) => {
            fields.iter().filter(|f| f.on_wire()).map(|f| format!("`{}`", f.wire)).collect::<Vec<_>>().join(", ")
        }
        _ => String::new(),
    }
}
