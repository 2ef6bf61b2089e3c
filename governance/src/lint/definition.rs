//! Rules over a definition as written: naming, required fields, valid values, partitioning
//! and the documentation standard.

use serde_json::Value;

use super::{ignore_list, Linter};
use eventbind_build::catalog::{is_valid_name, LoadedFile};
use eventbind_build::diagnostic::{Diagnostic, Location};

fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// Partition keys that scatter an entity's events: the event id and timestamps.
fn weak_key(field: &str) -> bool {
    let last = field.rsplit('.').next().unwrap_or(field);
    matches!(last, "eid" | "occurred_at" | "received_at" | "timestamp" | "created_at" | "updated_at")
        || last.ends_with("_timestamp")
}

impl Linter<'_> {
    pub(super) fn definition(&mut self, file: &LoadedFile, name: Option<&str>) {
        let doc = &file.value;
        let silenced = ignore_list(doc.get("x-eventbind-ignore"));
        let at = |pointer: &str, message: String| {
            Diagnostic::new(Location::at(&file.shown, pointer), message).locate_in(&file.text)
        };
        let emit = |this: &mut Self, id: &str, d: Diagnostic| this.emit(id, d, name, &silenced);

        for key in ["name", "owning_application", "category"] {
            if text(doc, key).is_none() {
                emit(
                    self,
                    "EB010",
                    at("", format!("`{key}` is missing")).help(format!("add `{key}:` to the definition")),
                );
            }
        }
        let schema = doc.get("schema").cloned().unwrap_or(Value::Null);
        if text(&schema, "type").is_none() {
            emit(
                self,
                "EB010",
                at("/schema", "`schema.type` is missing".into())
                    .help("add `type: json_schema` (or `avro_schema`, `protobuf`)"),
            );
        }
        if schema.get("schema").is_none() && schema.get("file").is_none() {
            emit(self, "EB010", at("/schema", "the schema block has neither `schema` nor `file`".into()));
        }

        if let Some(n) = doc.get("name").and_then(Value::as_str) {
            if !n.is_empty() && !is_valid_name(n) {
                emit(
                    self,
                    "EB001",
                    at("/name", format!("`{n}` does not match the event type name pattern"))
                        .help("dot-separated segments of letters, digits, `-` and `_`, each starting with a letter"),
                );
            }
            let unsafe_chars: String =
                n.chars().filter(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))).collect();
            if !unsafe_chars.is_empty() {
                emit(
                    self,
                    "EB002",
                    at("/name", format!("`{n}` has characters that are not URL-safe: `{unsafe_chars}`"))
                        .help("event type names appear in URLs; use letters, digits, `-`, `_` and `.`"),
                );
            }
            if n.chars().any(|c| c.is_uppercase()) {
                emit(
                    self,
                    "EB003",
                    at("/name", format!("`{n}` is not lowercase")).help(format!("name it `{}`", n.to_lowercase())),
                );
            }
        }
        let category = text(doc, "category");
        if let Some(c) = category {
            if !matches!(c, "general" | "business" | "data" | "undefined") {
                emit(
                    self,
                    "EB011",
                    at("/category", format!("unknown category `{c}`"))
                        .help("expected `general`, `business`, `data` or `undefined`"),
                );
            }
        }
        if let Some(dt) = doc.get("data_type") {
            match dt.as_str() {
                Some(_) if category != Some("data") => emit(
                    self,
                    "EB012",
                    at("/data_type", "`data_type` is set but the category is not `data`".into())
                        .help("remove it or use `category: data`"),
                ),
                Some(s) if !is_valid_name(s) => emit(
                    self,
                    "EB012",
                    at("/data_type", format!("`{s}` is not a valid entity name"))
                        .help("a dotted name like `sales_order.order`"),
                ),
                Some(_) => {}
                None => emit(self, "EB012", at("/data_type", "`data_type` must be a string".into())),
            }
        }
        if let Some(mode) = doc.get("compatibility_mode") {
            if !matches!(mode.as_str(), Some("compatible" | "forward" | "none")) {
                emit(
                    self,
                    "EB013",
                    at("/compatibility_mode", format!("unknown compatibility mode {mode}"))
                        .help("expected `compatible`, `forward` or `none`"),
                );
            }
        }
        if let Some(v) = schema.get("version") {
            let ok = v.as_str().is_some_and(|s| semver::Version::parse(s).is_ok());
            if !ok {
                emit(
                    self,
                    "EB014",
                    at("/schema/version", format!("{v} is not a semantic version"))
                        .help("write MAJOR.MINOR.PATCH, e.g. `1.3.0`"),
                );
            }
        }
        let strategy = doc.get("partition_strategy").and_then(Value::as_str);
        if let Some(s) = doc.get("partition_strategy") {
            if !matches!(s.as_str(), Some("random" | "hash" | "user_defined")) {
                emit(
                    self,
                    "EB015",
                    at("/partition_strategy", format!("unknown partition strategy {s}"))
                        .help("expected `random`, `hash` or `user_defined`"),
                );
            }
        }
        if let Some(t) = schema.get("type") {
            if !matches!(t.as_str(), Some("json_schema" | "avro_schema" | "avro" | "protobuf" | "proto")) {
                emit(
                    self,
                    "EB016",
                    at("/schema/type", format!("unknown schema type {t}"))
                        .help("expected `json_schema`, `avro_schema` or `protobuf`"),
                );
            }
        }
        let keys: Vec<&str> = doc
            .get("partition_key_fields")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if category == Some("data") && (strategy != Some("hash") || keys.is_empty()) {
            let pointer = if doc.get("partition_strategy").is_some() { "/partition_strategy" } else { "/name" };
            emit(
                self,
                "EB032",
                at(pointer, "a data change event is not hash-partitioned by its entity".into()).help(
                    "set `partition_strategy: hash` and `partition_key_fields` to the entity's key, e.g. `[data.id]`",
                ),
            );
        }
        for (i, key) in keys.iter().enumerate() {
            if weak_key(key) {
                emit(
                    self,
                    "EB033",
                    at(
                        &format!("/partition_key_fields/{i}"),
                        format!("partitioning by `{key}` scatters an entity's events"),
                    )
                    .help("partition by the entity's key so its events keep their order"),
                );
            }
        }
        if text(doc, "description").is_none() {
            emit(
                self,
                "EB040",
                at("", "the event type has no `description`".into()).help("say what happened and when it is published"),
            );
        }
        let docs = doc.get("docs").cloned().unwrap_or(Value::Null);
        let docs_at = if doc.get("docs").is_some() { "/docs" } else { "" };
        let listed = |key: &str| match docs.get(key) {
            Some(Value::Array(a)) => !a.is_empty(),
            Some(Value::String(s)) => !s.trim().is_empty(),
            Some(Value::Object(m)) => !m.is_empty(),
            _ => false,
        };
        for (id, key, what) in [
            ("EB041", "producers", "who publishes it"),
            ("EB042", "consumers", "who reads it (the incident contact list)"),
            ("EB043", "topic", "the topic it is published on"),
            ("EB044", "encoding", "the encoding (json, avro, protobuf; compression, encryption)"),
        ] {
            if !listed(key) {
                emit(self, id, at(docs_at, format!("`docs.{key}` is missing")).help(format!("document {what}")));
            }
        }
    }
}
