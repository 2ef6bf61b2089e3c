//! Rules over JSON Schema payloads: the OpenAPI subset, content models, the payload root,
//! partition and ordering keys, sensitive field names and closed enums. The walk follows `$ref`s
//! into other schema files, each of which is linted once.

use std::collections::HashSet;

use serde_json::Value;

use super::{ignore_list, Linter};
use eventbind_build::catalog::{Category, CompatibilityMode, EventType, SchemaFormat};
use eventbind_build::diagnostic::{Diagnostic, Location};
use eventbind_build::json_schema::{open_event_schema, DocId, Documents};
use eventbind_build::source::pointer_push;

/// Keywords the OpenAPI Schema Object (and so the event guidelines) does not have.
const NOT_IN_OPENAPI: &[&str] =
    &["additionalItems", "contains", "patternProperties", "dependencies", "propertyNames", "const", "not", "oneOf"];

/// Words in field names that suggest sensitive personal data, compared without case, `_` or `-`.
const SENSITIVE: &[&str] = &[
    "email",
    "phone",
    "mobile",
    "fax",
    "iban",
    "ssn",
    "socialsecurity",
    "passport",
    "birth",
    "password",
    "creditcard",
    "cardnumber",
    "taxid",
    "nationalid",
    "ipaddress",
    "firstname",
    "lastname",
    "fullname",
    "streetaddress",
];

/// Metadata fields a partition or ordering key may name.
const METADATA_FIELDS: &[&str] =
    &["eid", "occurred_at", "event_type", "received_at", "version", "parent_eids", "flow_id", "partition"];

fn sensitive(name: &str) -> Option<&'static str> {
    let folded: String = name.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    SENSITIVE.iter().copied().find(|w| folded.contains(w))
}

struct Walk<'e> {
    event: &'e EventType,
    /// Documents walked for this event type (inline ones are per event).
    seen: HashSet<(DocId, String)>,
}

impl Linter<'_> {
    pub(super) fn schema(&mut self, event: &EventType, docs: &mut Documents<'_>, shared: &mut HashSet<DocId>) {
        if event.schema.format != SchemaFormat::JsonSchema {
            return;
        }
        let doc = match open_event_schema(docs, event) {
            Ok((doc, ..)) => doc,
            Err(d) => {
                self.emit("EB000", d, Some(&event.name), &[]);
                return;
            }
        };
        let silenced = self
            .catalog
            .files
            .get(&event.path)
            .map(|f| ignore_list(f.value.get("x-eventbind-ignore")))
            .unwrap_or_default();
        self.root_rules(event, docs, doc, &silenced);
        let mut walk = Walk { event, seen: HashSet::new() };
        let mut pending = vec![(doc, String::new())];
        while let Some((doc, ptr)) = pending.pop() {
            // Schema files shared by event types are linted once, in the first that reaches them.
            if !docs.get(doc).embedded && docs.get(doc).base.is_empty() && ptr.is_empty() && !shared.insert(doc) {
                continue;
            }
            if !walk.seen.insert((doc, ptr.clone())) {
                continue;
            }
            let root = docs.root(doc);
            let value = root.pointer(&ptr).cloned().unwrap_or(Value::Null);
            let mut refs = Vec::new();
            self.node(docs, doc, &ptr, &value, &walk, silenced.clone(), &mut refs);
            for (at, reference) in refs {
                match docs.resolve(doc, &at, &reference) {
                    Ok((target, _)) if target != doc => pending.push((target, String::new())),
                    Ok(_) => {}
                    Err(d) => self.emit("EB000", d, Some(&event.name), &[]),
                }
            }
        }
        let _ = &mut walk;
    }

    fn diagnostic(docs: &Documents<'_>, doc: DocId, pointer: &str, message: String) -> Diagnostic {
        docs.get(doc).diagnostic(pointer, message)
    }

    #[allow(clippy::too_many_arguments)]
    fn node(
        &mut self,
        docs: &Documents<'_>,
        doc: DocId,
        ptr: &str,
        value: &Value,
        walk: &Walk<'_>,
        mut silenced: Vec<String>,
        refs: &mut Vec<(String, String)>,
    ) {
        let Value::Object(obj) = value else { return };
        silenced.extend(ignore_list(obj.get("x-eventbind-ignore")));
        let subject = Some(walk.event.name.as_str());
        let event = walk.event;
        for keyword in NOT_IN_OPENAPI.iter().filter(|k| obj.contains_key(**k)) {
            let d = Self::diagnostic(
                docs,
                doc,
                &pointer_push(ptr, keyword),
                format!("`{keyword}` is not in the OpenAPI Schema Object"),
            )
            .help("event type schemas keep to the OpenAPI subset of JSON Schema; see the guidelines");
            self.emit("EB020", d, subject, &silenced);
        }
        if obj.get("items").is_some_and(Value::is_array) {
            let d = Self::diagnostic(docs, doc, &pointer_push(ptr, "items"), "`items` is a list (a tuple)".into())
                .help("give `items` one schema; model fixed positions as an object");
            self.emit("EB021", d, subject, &silenced);
        }
        if let Some(ap) = obj.get("additionalProperties") {
            let is_map = ap.is_object() && obj.get("properties").is_none();
            if !is_map {
                let d = Self::diagnostic(docs, doc, &pointer_push(ptr, "additionalProperties"), "`additionalProperties` is declared".into())
                    .help("the guidelines say avoid it: consumers ignore unknown fields whatever it says, and it blocks evolution");
                self.emit("EB022", d, subject, &silenced);
            }
        }
        if let Some(Value::Object(props)) = obj.get("properties") {
            for (name, schema) in props {
                if schema.get("x-pii").is_some() {
                    continue;
                }
                if let Some(word) = sensitive(name) {
                    let at = pointer_push(&pointer_push(ptr, "properties"), name);
                    let d = Self::diagnostic(
                        docs,
                        doc,
                        &at,
                        format!("field `{name}` suggests sensitive personal data ({word})"),
                    )
                    .help(
                        "events must not carry personal data unless necessary; if it is, mark the field `x-pii: true`",
                    );
                    self.emit("EB050", d, subject, &silenced);
                }
            }
        }
        if obj.get("enum").is_some_and(|e| e.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
            && matches!(event.compatibility_mode, CompatibilityMode::Compatible | CompatibilityMode::Forward)
        {
            let mode = if event.compatibility_mode == CompatibilityMode::Compatible { "compatible" } else { "forward" };
            let d = Self::diagnostic(
                docs,
                doc,
                &pointer_push(ptr, "enum"),
                format!("a closed `enum` in `{mode}` mode cannot gain values without a MAJOR version"),
            )
            .help("use `x-extensible-enum` if new values may come, so consumers are built to expect them");
            self.emit("EB060", d, subject, &silenced);
        }
        for (key, child) in obj {
            let at = pointer_push(ptr, key);
            match key.as_str() {
                "$ref" => {
                    if let Some(r) = child.as_str() {
                        refs.push((at, r.to_owned()));
                    }
                }
                "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas" | "dependencies" => {
                    if let Value::Object(map) = child {
                        for (name, sub) in map {
                            self.node(docs, doc, &pointer_push(&at, name), sub, walk, silenced.clone(), refs);
                        }
                    }
                }
                "items" | "prefixItems" | "allOf" | "anyOf" | "oneOf" => match child {
                    Value::Array(list) => {
                        for (i, sub) in list.iter().enumerate() {
                            self.node(docs, doc, &format!("{at}/{i}"), sub, walk, silenced.clone(), refs);
                        }
                    }
                    other => self.node(docs, doc, &at, other, walk, silenced.clone(), refs),
                },
                "additionalItems"
                | "additionalProperties"
                | "not"
                | "contains"
                | "propertyNames"
                | "if"
                | "then"
                | "else"
                | "unevaluatedProperties"
                | "unevaluatedItems" => {
                    self.node(docs, doc, &at, child, walk, silenced.clone(), refs);
                }
                _ => {}
            }
        }
    }

    /// Follows `$ref`s at a place until a schema without one.
    fn resolved(docs: &mut Documents<'_>, doc: DocId, ptr: &str) -> Option<(DocId, String, Value)> {
        let (mut doc, mut ptr) = (doc, ptr.to_owned());
        for _ in 0..32 {
            let value = docs.root(doc).pointer(&ptr).cloned()?;
            match value.get("$ref").and_then(Value::as_str) {
                Some(r) => (doc, ptr) = docs.resolve(doc, &pointer_push(&ptr, "$ref"), r).ok()?,
                None => return Some((doc, ptr, value)),
            }
        }
        None
    }

    /// Whether `path` (dot-separated) names a property, looking through `allOf`/`anyOf`/`oneOf`.
    fn has_path(docs: &mut Documents<'_>, doc: DocId, ptr: &str, path: &[&str], depth: usize) -> bool {
        let Some((first, rest)) = path.split_first() else { return true };
        if depth > 64 {
            return false;
        }
        let Some((doc, ptr, value)) = Self::resolved(docs, doc, ptr) else { return false };
        if value.get("properties").and_then(|p| p.get(*first)).is_some() {
            let child = pointer_push(&pointer_push(&ptr, "properties"), first);
            if Self::has_path(docs, doc, &child, rest, depth + 1) {
                return true;
            }
        }
        for combinator in ["allOf", "anyOf", "oneOf"] {
            let count = value.get(combinator).and_then(Value::as_array).map_or(0, Vec::len);
            for i in 0..count {
                let member = format!("{}/{i}", pointer_push(&ptr, combinator));
                if Self::has_path(docs, doc, &member, path, depth + 1) {
                    return true;
                }
            }
        }
        false
    }

    fn root_rules(&mut self, event: &EventType, docs: &mut Documents<'_>, doc: DocId, silenced: &[String]) {
        let subject = Some(event.name.as_str());
        let text = self.catalog.files.get(&event.path).map(|f| f.text.clone());
        let definition = |pointer: &str, message: String| {
            let d = Diagnostic::new(Location::at(&event.file, pointer), message);
            match &text {
                Some(text) => d.locate_in(text),
                None => d,
            }
        };
        let Some((root_doc, root_ptr, root)) = Self::resolved(docs, doc, "") else { return };
        if event.category != Category::Undefined {
            let object = match root.get("type") {
                Some(Value::String(t)) => t == "object",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "object"),
                _ => {
                    root.get("properties").is_some()
                        || root.get("allOf").is_some()
                        || root.get("additionalProperties").is_some()
                }
            };
            if !object {
                let d =
                    Self::diagnostic(docs, root_doc, &root_ptr, "the payload schema's root is not an object".into())
                        .help(
                        "general and data change payloads are objects; use `category: undefined` for other documents",
                    );
                self.emit("EB023", d, subject, silenced);
            }
        }
        if event.category == Category::General && root.get("properties").and_then(|p| p.get("metadata")).is_some() {
            let at = pointer_push(&pointer_push(&root_ptr, "properties"), "metadata");
            let d = Self::diagnostic(
                docs,
                root_doc,
                &at,
                "the payload defines `metadata`, which the general envelope reserves".into(),
            )
            .help("rename the property; event metadata lives in the envelope");
            self.emit("EB024", d, subject, silenced);
        }
        for (id, key, fields) in [
            ("EB030", "partition_key_fields", &event.partition_key_fields),
            ("EB031", "ordering_key_fields", &event.ordering_key_fields),
        ] {
            for (i, field) in fields.iter().enumerate() {
                let parts: Vec<&str> = field.split('.').collect();
                let found = match (event.category, parts.as_slice()) {
                    (Category::General | Category::Data, ["metadata", f]) => METADATA_FIELDS.contains(f),
                    (Category::Data, ["data_op" | "data_type"]) => true,
                    (Category::Data, ["data", rest @ ..]) => Self::has_path(docs, doc, "", rest, 0),
                    (Category::Data, _) => false,
                    (_, path) => Self::has_path(docs, doc, "", path, 0),
                };
                if !found {
                    let help = if event.category == Category::Data {
                        "paths start at the envelope: `data.<field>` for the entity, or `metadata.<field>`"
                    } else {
                        "paths name payload fields, dot-separated for nested ones (`customer.id`)"
                    };
                    let d = definition(
                        &format!("/{key}/{i}"),
                        format!("`{field}` in `{key}` is not a field of the schema"),
                    )
                    .help(help);
                    self.emit(id, d, subject, silenced);
                }
            }
        }
    }
}
