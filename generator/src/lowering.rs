//! Catalog → IR: names every event type first (so nested types cannot take those names), then
//! lowers each payload schema with the front end for its format (JSON Schema, Avro, Protobuf). Problems in different event
//! types are all reported.

#[cfg(feature = "avro")]
use crate::avro;
use crate::catalog::{Catalog, Category, EventType, References, SchemaFormat, SchemaSource};
use crate::diagnostic::{Diagnostic, Error, Location, Result};
use crate::filter::Filter;
use crate::ir::{EventIr, Model, ProtoBindings};
use crate::json_schema::{self, Documents, LoweredPayload, Lowering, RootNames};
use crate::model_builder::ModelBuilder;
use crate::naming::{self, Namer};
#[cfg(feature = "protobuf")]
use crate::protobuf;

/// The root module of Avro named types ([`crate::avro`]'s `ROOT_MODULE`, which exists only with
/// the `avro` feature).
const AVRO_MODULE: &str = "avro";

/// The name of the catalog-wide any-event type, reserved in the root module.
pub const ANY_EVENT: &str = "AnyEvent";

struct Named<'c> {
    event: &'c EventType,
    module: Vec<String>,
    names: RootNames,
    variant: String,
}

/// Loads a catalog and lowers the event types `filter` selects, reporting the problems of both
/// stages together: a broken definition or file does not hide the errors in other schemas.
/// The model's warnings include the catalog's.
pub fn load_and_lower<P: AsRef<std::path::Path>>(
    roots: &[P],
    references: &References,
    filter: &Filter,
) -> Result<(Catalog, Model)> {
    let (catalog, mut problems) = Catalog::load_lenient_with(roots, references)?;
    match lower_catalog(&catalog, filter) {
        Ok(mut model) if problems.is_empty() => {
            let mut warnings = catalog.warnings.clone();
            warnings.append(&mut model.warnings);
            model.warnings = warnings;
            Ok((catalog, model))
        }
        Ok(_) => Err(Error::new(problems)),
        Err(e) => {
            problems.extend(e.diagnostics().iter().cloned());
            Err(Error::new(problems))
        }
    }
}

/// Lowers the event types of `catalog` that `filter` selects.
pub fn lower_catalog(catalog: &Catalog, filter: &Filter) -> Result<Model> {
    let mut builder = ModelBuilder::default();
    builder.claim_name(&[], ANY_EVENT);
    let mut variants = Namer::new();
    variants.reserve("Unknown");
    let named: Vec<Named<'_>> = catalog
        .event_types
        .iter()
        .filter(|e| filter.matches(&e.name))
        .map(|event| {
            let segments: Vec<&str> = event.name.split('.').collect();
            let (last, namespace) = segments.split_last().expect("names have at least one segment");
            let module: Vec<String> = namespace.iter().map(|s| naming::field_name(s)).collect();
            let base = naming::type_name(last);
            let event_name = builder.claim_name(&module, &base);
            let data = if event.category == Category::Data {
                builder.claim_name(&module, &format!("{event_name}Data"))
            } else {
                String::new()
            };
            Named {
                event,
                module,
                names: RootNames { event: event_name, data },
                variant: variants.claim(&naming::type_name(&event.name), ""),
            }
        })
        .collect();

    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let mut lowered = Vec::new();
    {
        let mut lowering = Lowering::new(Documents::new(catalog), &mut builder);
        let json_events: Vec<&Named<'_>> =
            named.iter().filter(|n| n.event.schema.format == SchemaFormat::JsonSchema).collect();
        // Every event type's inline schema plans its names before any is lowered, in the order of
        // the event types' names: the names do not depend on which reaches which first.
        for n in &json_events {
            let root = if n.event.category == Category::Data { &n.names.data } else { &n.names.event };
            lowering.places.event(&n.event.path, &n.module, root);
        }
        for n in &json_events {
            if matches!(n.event.schema.source, SchemaSource::InlineText(_) | SchemaSource::InlineValue(_)) {
                if let Ok(doc) = lowering.docs.open_inline(&n.event.path) {
                    lowering.plan_names(doc);
                }
            }
        }
        for n in json_events {
            lowering.set_module(&n.module);
            match json_schema::lower_event(&mut lowering, n.event, &n.names) {
                Ok(payload) => lowered.push((n, payload)),
                Err(d) => problems.push(d),
            }
            problems.extend(lowering.take_problems());
        }
        let (errors, found) = lowering.docs.take_findings();
        problems.extend(errors);
        warnings.extend(found);
    }
    let avro_events: Vec<&Named<'_>> = named.iter().filter(|n| n.event.schema.format == SchemaFormat::Avro).collect();
    if !avro_events.is_empty() {
        // Avro named types live under `avro` (by namespace); an event namespace of that name
        // would share it.
        for n in named.iter().filter(|n| n.module.first().is_some_and(|m| m == AVRO_MODULE)) {
            problems.push(
                Diagnostic::new(
                    Location::at(&n.event.file, "/name"),
                    format!("the namespace `{AVRO_MODULE}` is reserved for Avro named types"),
                )
                .help("rename the event type's first segment"),
            );
        }
        lower_avro(catalog, &mut builder, &avro_events, &mut lowered, &mut problems);
    }
    let proto_events: Vec<&Named<'_>> =
        named.iter().filter(|n| n.event.schema.format == SchemaFormat::Protobuf).collect();
    let mut proto_bindings = None;
    if !proto_events.is_empty() {
        proto_bindings = lower_protobuf(catalog, &mut builder, &named, &proto_events, &mut lowered, &mut problems);
    }
    // Types of schema files live under `files`; an event namespace of that name would share it.
    if builder.model.types.iter().any(|t| t.module.first().is_some_and(|m| m == json_schema::FILES_MODULE)) {
        for n in named.iter().filter(|n| n.module.first().is_some_and(|m| m == json_schema::FILES_MODULE)) {
            problems.push(
                Diagnostic::new(
                    Location::at(&n.event.file, "/name"),
                    format!("the namespace `{}` is reserved for the types of schema files", json_schema::FILES_MODULE),
                )
                .help("rename the event type's first segment"),
            );
        }
    }
    lowered.sort_by(|a, b| a.0.event.name.cmp(&b.0.event.name));
    if !problems.is_empty() {
        // Front ends name places in definition files by pointer; give them line and column.
        let problems = problems
            .into_iter()
            .map(|d| match catalog.files.values().find(|f| f.shown == d.location.file) {
                Some(f) if d.location.line_col.is_none() && d.location.pointer.is_some() => d.locate_in(&f.text),
                _ => d,
            })
            .collect();
        return Err(Error::new(problems));
    }
    let events = lowered
        .into_iter()
        .map(|(n, p)| EventIr {
            def: n.event.clone(),
            module: n.module.clone(),
            type_name: n.names.event.clone(),
            variant_name: n.variant.clone(),
            payload: p.payload,
            schema_text: p.schema_text,
            sources: p.sources,
        })
        .collect();
    let mut model = builder.model;
    model.events = events;
    model.protobuf = proto_bindings;
    model.warnings = warnings;
    for def in &mut model.types {
        def.origin.file = catalog.output_path(&def.origin.file);
    }
    // The model feeds generated code: its paths start at the catalog folder's own name.
    for event in &mut model.events {
        event.sources = event.sources.iter().map(|s| catalog.output_path(s)).collect();
        event.def.file = catalog.output_path(&event.def.file);
    }
    Ok(model)
}

#[cfg(feature = "avro")]
fn lower_avro<'c>(
    catalog: &'c Catalog,
    builder: &mut ModelBuilder,
    avro_events: &[&'c Named<'c>],
    lowered: &mut Vec<(&'c Named<'c>, LoweredPayload)>,
    problems: &mut Vec<Diagnostic>,
) {
    let files = avro::AvroFiles::load(catalog);
    problems.extend(files.problems.iter().cloned());
    let mut done = avro::Lowered::default();
    for &n in avro_events {
        match avro::lower_event(catalog, &files, builder, &mut done, &n.module, n.event, &n.names) {
            Ok(payload) => lowered.push((n, payload)),
            Err(d) => problems.push(d),
        }
    }
}

#[cfg(not(feature = "avro"))]
fn lower_avro<'c>(
    _catalog: &'c Catalog,
    _builder: &mut ModelBuilder,
    avro_events: &[&'c Named<'c>],
    _lowered: &mut Vec<(&'c Named<'c>, LoweredPayload)>,
    problems: &mut Vec<Diagnostic>,
) {
    problems.extend(avro_events.iter().map(|n| feature_off(n.event, "Avro", "avro")));
}

#[cfg(feature = "protobuf")]
fn lower_protobuf<'c>(
    catalog: &'c Catalog,
    builder: &mut ModelBuilder,
    named: &[Named<'c>],
    proto_events: &[&'c Named<'c>],
    lowered: &mut Vec<(&'c Named<'c>, LoweredPayload)>,
    problems: &mut Vec<Diagnostic>,
) -> Option<ProtoBindings> {
    if let Some(n) = named.iter().find(|n| n.module.first().is_some_and(|m| m == protobuf::ROOT_MODULE)) {
        problems.push(
            Diagnostic::new(
                Location::at(&n.event.file, "/name"),
                format!("the namespace `{}` is reserved for generated Protobuf types", protobuf::ROOT_MODULE),
            )
            .help("rename the event type's first segment"),
        );
    }
    let events: Vec<&EventType> = proto_events.iter().map(|n| n.event).collect();
    match protobuf::compile(catalog, &events) {
        Ok(compiled) => {
            let mut lowering = protobuf::ProtoLowering::new(builder);
            for &n in proto_events {
                match protobuf::lower_event(&compiled, &mut lowering, n.event) {
                    Ok(payload) => lowered.push((n, payload)),
                    Err(d) => problems.push(d),
                }
            }
            return Some(ProtoBindings {
                descriptor_set: compiled.descriptor_set,
                types: lowering.types,
                fields: lowering.fields,
                enum_numbers: lowering.enum_numbers,
                flat: lowering.flat,
            });
        }
        Err(found) => problems.extend(found),
    }
    None
}

#[cfg(not(feature = "protobuf"))]
fn lower_protobuf<'c>(
    _catalog: &'c Catalog,
    _builder: &mut ModelBuilder,
    _named: &[Named<'c>],
    proto_events: &[&'c Named<'c>],
    _lowered: &mut Vec<(&'c Named<'c>, LoweredPayload)>,
    problems: &mut Vec<Diagnostic>,
) -> Option<ProtoBindings> {
    problems.extend(proto_events.iter().map(|n| feature_off(n.event, "Protobuf", "protobuf")));
    None
}

/// An event type whose schema format's front end this build of the engine left out.
#[cfg(not(all(feature = "avro", feature = "protobuf")))]
fn feature_off(event: &EventType, format: &str, feature: &str) -> Diagnostic {
    Diagnostic::new(
        Location::at(&event.file, "/schema/type"),
        format!(
            "event type `{}` has {} {format} schema, and this build of eventbind-build has no {format} front end",
            event.name,
            if format.starts_with('A') { "an" } else { "a" }
        ),
    )
    .help(format!(
        "turn on the `{feature}` feature: `eventbind-build = {{ version = \"0.1\", features = [\"{feature}\"] }}` in [build-dependencies] (and the runtime's `{feature}` feature in [dependencies])"
    ))
}
