//! The docs site's view model, built from the catalog and the IR: what every page shows, ready
//! for the templates. Sorted by name everywhere, so output is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::fields::{self, FieldRow};
use super::history::VersionEntry;
use eventbind_build::catalog::{Catalog, Category, CompatibilityMode, EventType, SchemaFormat};
use eventbind_build::filter::{Filter, Pattern};
use eventbind_build::ir::Model;
use eventbind_build::json_schema::{open_event_schema, Documents};
use eventbind_validate::{Outcome, Payload, Validator};

/// One event type's page.
#[derive(Debug, Clone, Serialize)]
pub struct EventPage {
    pub name: String,
    /// The page's file name, relative to the site root (`events/order.order_placed.html`).
    pub page: String,
    pub markdown_page: String,
    pub namespace: String,
    pub owner: String,
    pub category: &'static str,
    pub compatibility: &'static str,
    pub version: String,
    pub format: &'static str,
    pub description: String,
    pub producers: Vec<String>,
    pub consumers: Vec<String>,
    pub topic: String,
    pub encoding: String,
    pub compression: String,
    /// `docs.slo` and other objectives, flattened to `key: value`.
    pub objectives: Vec<String>,
    pub partition_key_fields: Vec<String>,
    /// The envelope as an outline of its top-level fields.
    pub envelope: String,
    pub fields: Vec<FieldRow>,
    /// Why there is no field table, when there is none.
    pub fields_note: String,
    /// The example event, pretty-printed JSON.
    pub example: String,
    pub example_valid: bool,
    pub example_problems: Vec<String>,
    pub schema_file: String,
    pub schema_source: String,
    pub history: Vec<VersionEntry>,
    pub source_file: String,
}

pub(crate) fn category(c: Category) -> &'static str {
    match c {
        Category::General => "general",
        Category::Data => "data",
        Category::Undefined => "undefined",
    }
}

pub(crate) fn mode(m: CompatibilityMode) -> &'static str {
    match m {
        CompatibilityMode::Compatible => "compatible",
        CompatibilityMode::Forward => "forward",
        CompatibilityMode::None => "none",
    }
}

pub(crate) fn format(f: SchemaFormat) -> &'static str {
    match f {
        SchemaFormat::JsonSchema => "json_schema",
        SchemaFormat::Avro => "avro_schema",
        SchemaFormat::Protobuf => "protobuf",
    }
}

fn names(docs: Option<&Value>, key: &str) -> Vec<String> {
    docs.and_then(|d| d.get(key))
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|c| match c {
                    Value::String(s) => Some(s.clone()),
                    Value::Object(m) => {
                        m.get("name").or_else(|| m.get("application")).and_then(Value::as_str).map(str::to_owned)
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn text(docs: Option<&Value>, key: &str) -> String {
    match docs.and_then(|d| d.get(key)) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// `slo: {latency_p99_ms: 500}` → `slo.latency_p99_ms: 500`; every key but the ones shown
/// elsewhere.
fn objectives(docs: Option<&Value>) -> Vec<String> {
    fn flatten(prefix: &str, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| flatten(&format!("{prefix}.{k}"), v, out)),
            Value::String(s) => out.push(format!("{prefix}: {s}")),
            other => out.push(format!("{prefix}: {other}")),
        }
    }
    let mut out = Vec::new();
    if let Some(Value::Object(m)) = docs {
        for (k, v) in m {
            if !matches!(k.as_str(), "producers" | "consumers" | "topic" | "encoding" | "compression") {
                flatten(k, v, &mut out);
            }
        }
    }
    out
}

fn envelope(e: &EventType) -> String {
    let metadata = "  \"metadata\": {\"eid\": uuid, \"occurred_at\": date-time, \"event_type\", \"received_at\", \"version\", \"parent_eids\", \"flow_id\", \"partition\", …}";
    match e.category {
        Category::General => format!("{{\n{metadata},\n  …the payload's fields (below), at the top level\n}}"),
        Category::Data => format!(
            "{{\n{metadata},\n  \"data_op\": \"C\" | \"U\" | \"D\" | \"S\",\n  \"data_type\": \"{}\",\n  \"data\": {{ …the payload (below) }}\n}}",
            e.data_type.as_deref().unwrap_or(&e.name)
        ),
        Category::Undefined => "the payload (below) is the whole document: no envelope, no metadata".into(),
    }
}

/// Lowers the catalog; when one event type fails, each is lowered alone so the others still get
/// their field tables.
fn lower(catalog: &Catalog) -> BTreeMap<String, (std::rc::Rc<Model>, usize)> {
    let mut out = BTreeMap::new();
    if let Ok(model) = eventbind_build::lowering::lower_catalog(catalog, &Filter::default()) {
        let model = std::rc::Rc::new(model);
        for (i, e) in model.events.iter().enumerate() {
            out.insert(e.def.name.clone(), (model.clone(), i));
        }
        return out;
    }
    for e in &catalog.event_types {
        let mut filter = Filter::default();
        filter.push(Pattern::literal(&e.name));
        if let Ok(model) = eventbind_build::lowering::lower_catalog(catalog, &filter) {
            if let Some(i) = model.events.iter().position(|x| x.def.name == e.name) {
                out.insert(e.name.clone(), (std::rc::Rc::new(model), i));
            }
        }
    }
    out
}

/// Every event type's page model.
pub(crate) fn pages(catalog: &Catalog, history: &BTreeMap<String, Vec<VersionEntry>>) -> Vec<EventPage> {
    let lowered = lower(catalog);
    let validator = Validator::new(catalog);
    let mut pages = Vec::new();
    for e in &catalog.event_types {
        let docs_block = e.docs.as_ref();
        let mut docs = Documents::new(catalog);
        let opened = open_event_schema(&mut docs, e);
        let (schema_file, schema_source) = match &opened {
            Ok((doc, text, _)) => {
                (eventbind_build::display_path(&catalog.output_path(&docs.get(*doc).file.shown)), text.clone())
            }
            Err(d) => (String::new(), format!("the schema cannot be read: {}", d.message)),
        };
        let (fields, fields_note) = match lowered.get(&e.name) {
            Some((model, i)) => (fields::rows(catalog, model, &model.events[*i].payload), String::new()),
            None => (Vec::new(), "the schema could not be lowered; `eventbind lint` says why".to_owned()),
        };
        let payload = match (&opened, e.schema.format) {
            (Ok((doc, ..)), SchemaFormat::JsonSchema) => Ok(super::example::value(&mut docs, *doc, "", 0)),
            (Err(d), SchemaFormat::JsonSchema) => Err(d.message.clone()),
            (_, SchemaFormat::Avro | SchemaFormat::Protobuf) => match validator.payload(&e.name) {
                Some(Ok(Payload::Avro(avro))) => Ok(super::example_avro::payload(avro)),
                Some(Ok(Payload::Protobuf(message))) => Ok(super::example_proto::payload(message.message())),
                Some(Ok(Payload::JsonSchema(_))) | None => Err("the event type has no payload validator".to_owned()),
                Some(Err(why)) => Err(why.clone()),
            },
        };
        let (example, example_valid, example_problems) = match payload {
            Ok(payload) => {
                let event = super::example::event(e, payload);
                let problems = match validator.check(event.clone(), Some(&e.name)).outcome {
                    Outcome::Valid => Vec::new(),
                    Outcome::Invalid(p) => p.into_iter().map(|p| format!("{}: {}", p.pointer, p.reason)).collect(),
                };
                (serde_json::to_string_pretty(&event).unwrap_or_default(), problems.is_empty(), problems)
            }
            Err(why) => (String::new(), false, vec![format!("no example: the schema cannot be read: {why}")]),
        };
        pages.push(EventPage {
            name: e.name.clone(),
            page: format!("events/{}.html", e.name),
            markdown_page: format!("{}.md", e.name),
            namespace: e.name.rsplit_once('.').map_or("(none)", |(ns, _)| ns).to_owned(),
            owner: e.owning_application.clone(),
            category: category(e.category),
            compatibility: mode(e.compatibility_mode),
            version: e.schema.version.to_string(),
            format: format(e.schema.format),
            description: e.description.clone().unwrap_or_default(),
            producers: names(docs_block, "producers"),
            consumers: names(docs_block, "consumers"),
            topic: text(docs_block, "topic"),
            encoding: text(docs_block, "encoding"),
            compression: text(docs_block, "compression"),
            objectives: objectives(docs_block),
            partition_key_fields: e.partition_key_fields.clone(),
            envelope: envelope(e),
            fields,
            fields_note,
            example,
            example_valid,
            example_problems,
            schema_file,
            schema_source,
            history: history.get(&e.name).cloned().unwrap_or_default(),
            source_file: eventbind_build::display_path(&catalog.output_path(&e.file)),
        });
    }
    pages
}

/// Namespace → owner → event types, for the index.
#[derive(Debug, Serialize)]
pub struct Group {
    pub namespace: String,
    pub owners: Vec<OwnerGroup>,
}

#[derive(Debug, Serialize)]
pub struct OwnerGroup {
    pub owner: String,
    pub events: Vec<EventPage>,
}

pub(crate) fn groups(pages: &[EventPage]) -> Vec<Group> {
    let mut by: BTreeMap<&str, BTreeMap<&str, Vec<EventPage>>> = BTreeMap::new();
    for p in pages {
        by.entry(&p.namespace).or_default().entry(&p.owner).or_default().push(p.clone());
    }
    by.into_iter()
        .map(|(ns, owners)| Group {
            namespace: ns.to_owned(),
            owners: owners.into_iter().map(|(o, events)| OwnerGroup { owner: o.to_owned(), events }).collect(),
        })
        .collect()
}

/// The distinct values of a facet, sorted.
pub(crate) fn facet(pages: &[EventPage], f: impl Fn(&EventPage) -> String) -> Vec<String> {
    pages.iter().map(f).collect::<BTreeSet<_>>().into_iter().collect()
}
