//! The catalog file of a hand-written event: its `#[event(...)]` definition plus the payload's
//! JSON Schema made by schemars (which honours serde's attributes), in the catalog format, so it
//! can be reviewed, checked in and published like any other definition.

use serde::Serialize;
use serde_json::Value;

use crate::{Category, CompatibilityMode, Event};

/// A definition in the catalog format; field order is the order written.
#[derive(Serialize)]
struct Entry<'a> {
    name: &'a str,
    owning_application: &'a str,
    category: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_type: Option<&'a str>,
    compatibility_mode: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    partition_strategy: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    partition_key_fields: &'a [&'a str],
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    schema: SchemaBlock,
}

#[derive(Serialize)]
struct SchemaBlock {
    version: &'static str,
    #[serde(rename = "type")]
    format: &'static str,
    schema: Value,
}

const HEADER: &str =
    "# Catalog entry of a `#[derive(eventbind::Event)]` type, written by `eventbind::catalog_entry`.\n\
                      # Change the Rust type, then regenerate: EVENTBIND_BLESS=1 cargo test\n";

/// The payload's JSON Schema (draft-07), as schemars makes it from the type and its serde
/// attributes; the doc comment of the type becomes its `description`.
pub fn payload_schema<T: schemars::JsonSchema>() -> Value {
    let schema = schemars::generate::SchemaSettings::draft07().into_generator().into_root_schema_for::<T>();
    match schema.to_value() {
        // Reviewers read what the schema is before its details.
        Value::Object(mut root) => {
            let mut ordered = serde_json::Map::new();
            for key in ["$schema", "title", "description"] {
                if let Some(value) = root.remove(key) {
                    ordered.insert(key.to_owned(), value);
                }
            }
            ordered.extend(root);
            Value::Object(ordered)
        }
        other => other,
    }
}

/// The event type definition of `T` as a catalog file (YAML): what `#[event(...)]` declares, with
/// `T`'s doc comment as description and its schemars schema inline. Deterministic, so a checked-in
/// copy can be compared with it (see [`crate::testing::assert_catalog_entry`]).
pub fn catalog_entry<T: Event + schemars::JsonSchema>() -> String {
    let info = T::TYPE;
    let schema = payload_schema::<T>();
    let description = schema.get("description").and_then(Value::as_str).map(str::to_owned);
    let entry = Entry {
        name: info.name,
        owning_application: info.owning_application,
        category: match info.category {
            Category::General => "general",
            Category::Data => "data",
            Category::Undefined => "undefined",
        },
        data_type: match info.category {
            Category::Data => Some(info.data_type.unwrap_or(info.name)),
            _ => None,
        },
        compatibility_mode: match info.compatibility_mode {
            CompatibilityMode::Compatible => "compatible",
            CompatibilityMode::Forward => "forward",
            CompatibilityMode::None => "none",
        },
        partition_strategy: (!info.partition_key_fields.is_empty()).then_some("hash"),
        partition_key_fields: info.partition_key_fields,
        description: description.as_deref(),
        schema: SchemaBlock { version: info.schema_version, format: "json_schema", schema },
    };
    // Serializing strings, maps and lists to YAML cannot fail.
    let yaml = serde_yaml_ng::to_string(&entry).unwrap_or_else(|e| format!("# cannot render: {e}\n"));
    format!("{HEADER}{yaml}")
}
