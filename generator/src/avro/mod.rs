//! The Avro front end: payload schemas parsed with apache-avro, named types resolved across the
//! catalog's `.avsc` files, lowered to IR. The schema embedded in generated code is made
//! self-contained, so the runtime codec parses it on its own.

mod lower;
mod names;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use apache_avro::schema::{Name, ResolvedSchema, Schema};
use serde_json::Value;

use lower::AvroLowering;
pub(crate) use lower::Lowered;
use names::{Definition, Inliner};

use crate::catalog::{Catalog, Category, EventType, SchemaSource};
use crate::diagnostic::{Diagnostic, Location};
use crate::ir::{TypeKind, TypeRef};
use crate::json_schema::{LoweredPayload, RootNames};
use crate::model_builder::ModelBuilder;
use crate::schema_files;

/// The catalog's `.avsc` files and the named types they define.
#[derive(Debug)]
pub struct AvroFiles {
    definitions: BTreeMap<String, Definition>,
    /// Parsed files by canonical path: shown path, text, value.
    files: BTreeMap<PathBuf, (PathBuf, String, Value)>,
    pub problems: Vec<Diagnostic>,
}

fn json_error(shown: &std::path::Path, text: &str, e: &serde_json::Error) -> Diagnostic {
    Diagnostic::new(
        Location { file: shown.to_owned(), pointer: None, line_col: Some((e.line(), e.column())) },
        format!("malformed Avro schema: invalid JSON: {e}"),
    )
    .locate_in(text)
}

impl AvroFiles {
    pub fn load(catalog: &Catalog) -> AvroFiles {
        let (found, mut problems) = schema_files::find(catalog, "avsc");
        let mut files = BTreeMap::new();
        let mut definitions = BTreeMap::new();
        for file in found {
            match serde_json::from_str::<Value>(&file.text) {
                Ok(value) => {
                    names::collect(&value, "", None, &(file.shown.clone(), file.text.clone()), &mut definitions, 0);
                    files.insert(file.path, (file.shown, file.text, value));
                }
                Err(e) => problems.push(json_error(&file.shown, &file.text, &e)),
            }
        }
        AvroFiles { definitions, files, problems }
    }

    /// The payload schema of an event type: shown file, text, JSON value, pointer of the schema.
    fn open(&self, catalog: &Catalog, event: &EventType) -> Result<(PathBuf, String, Value, String), Diagnostic> {
        match &event.schema.source {
            SchemaSource::InlineText(text) => {
                let file = catalog.files.values().find(|f| f.shown == event.file);
                let value = serde_json::from_str(text).map_err(|e| {
                    let d = Diagnostic::new(
                        Location::at(&event.file, "/schema/schema"),
                        format!("malformed Avro schema: invalid JSON: {e}"),
                    );
                    match file {
                        Some(f) => d.locate_in(&f.text),
                        None => d,
                    }
                })?;
                Ok((event.file.clone(), text.clone(), value, String::new()))
            }
            SchemaSource::InlineValue(value) => {
                let text =
                    catalog.files.values().find(|f| f.shown == event.file).map(|f| f.text.clone()).unwrap_or_default();
                Ok((event.file.clone(), text, value.clone(), "/schema/schema".into()))
            }
            SchemaSource::File(path) => {
                let real = path.canonicalize().map_err(|e| {
                    Diagnostic::new(
                        Location::at(&event.file, "/schema/file"),
                        format!("cannot read `{}`: {e}", path.display()),
                    )
                    .help("`file` is resolved against the folder of the definition file")
                })?;
                if let Some((shown, text, value)) = self.files.get(&real) {
                    return Ok((shown.clone(), text.clone(), value.clone(), String::new()));
                }
                if let Some(f) = catalog.files.get(&real) {
                    return Ok((f.shown.clone(), f.text.clone(), f.value.clone(), String::new()));
                }
                Err(Diagnostic::new(
                    Location::at(&event.file, "/schema/file"),
                    format!("`{}` is not an Avro schema file of the catalog", path.display()),
                )
                .help("Avro schema files end in `.avsc` (or `.json`) and live under the catalog root"))
            }
        }
    }
}

/// A schema text made self-contained with the named types of `others` (file texts by path), for
/// tools that read one schema at a time; `None` when it does not parse or names an unknown type.
pub fn standalone(text: &str, shown: &std::path::Path, others: &BTreeMap<String, String>) -> Option<String> {
    let value: Value = serde_json::from_str(text).ok()?;
    let mut definitions = BTreeMap::new();
    for (path, other) in others {
        if let Ok(v) = serde_json::from_str::<Value>(other) {
            names::collect(&v, "", None, &(PathBuf::from(path), other.clone()), &mut definitions, 0);
        }
    }
    let mut inliner = Inliner {
        catalog: &definitions,
        defined: BTreeSet::new(),
        file: shown.to_owned(),
        text: text.to_owned(),
        used_files: BTreeSet::new(),
    };
    let out = inliner.inline(&value, "", None, 0).ok()?;
    serde_json::to_string(&out).ok()
}

/// An Avro event type's payload schema, self-contained and parsed, with every named type it
/// defines (for following references).
#[derive(Debug)]
pub struct ParsedEvent {
    pub shown: PathBuf,
    pub text: String,
    pub pointer: String,
    /// The schema with named types from other files inlined.
    pub standalone: Value,
    pub used_files: BTreeSet<PathBuf>,
    pub schema: Schema,
    pub names: HashMap<Name, Schema>,
}

/// Opens, inlines and parses the payload schema of an Avro event type.
pub fn parse_event(catalog: &Catalog, avro: &AvroFiles, event: &EventType) -> Result<ParsedEvent, Diagnostic> {
    let (shown, text, value, pointer) = avro.open(catalog, event)?;
    let mut inliner = Inliner {
        catalog: &avro.definitions,
        defined: BTreeSet::new(),
        file: shown.clone(),
        text: text.clone(),
        used_files: BTreeSet::new(),
    };
    let standalone = inliner.inline(&value, &pointer, None, 0)?;
    let invalid = |message: String| {
        Diagnostic::new(Location::at(&shown, pointer.clone()), message)
            .help("see the Avro specification's schema declaration rules")
            .locate_in(&text)
    };
    // apache-avro reports problems as values, but a library panic must never reach a user.
    let schema = std::panic::catch_unwind(|| Schema::parse(&standalone))
        .map_err(|_| invalid("the Avro parser failed on this schema".into()))?
        .map_err(|e| invalid(format!("malformed Avro schema: {e}")))?;
    let names = std::panic::catch_unwind(|| {
        ResolvedSchema::try_from(&schema)
            .map(|r| r.get_names().iter().map(|(n, s)| (n.clone(), (*s).clone())).collect::<HashMap<_, _>>())
    })
    .map_err(|_| invalid("the Avro parser failed on this schema".into()))?
    .map_err(|e| invalid(format!("malformed Avro schema: {e}")))?;
    Ok(ParsedEvent { shown, text, pointer, standalone, used_files: inliner.used_files, schema, names })
}

/// Lowers one Avro event type's payload schema.
pub(crate) fn lower_event(
    catalog: &Catalog,
    avro: &AvroFiles,
    builder: &mut ModelBuilder,
    lowered: &mut Lowered,
    module: &[String],
    event: &EventType,
    names: &RootNames,
) -> Result<LoweredPayload, Diagnostic> {
    let ParsedEvent { shown, text, pointer, standalone, used_files, schema, names: resolved } =
        parse_event(catalog, avro, event)?;
    let invalid = |message: String| {
        Diagnostic::new(Location::at(&shown, pointer.clone()), message)
            .help("see the Avro specification's schema declaration rules")
            .locate_in(&text)
    };
    let mut lowering = AvroLowering {
        builder,
        lowered,
        module: module.to_vec(),
        names: resolved,
        file: &shown,
        definitions: &avro.definitions,
        home: None,
    };
    let record = match &schema {
        Schema::Record(r) => Some(r),
        _ => None,
    };
    let payload = match (event.category, record) {
        (Category::General, None) => return Err(invalid(
            "the payload of a general event must be an Avro record".into(),
        )
        .help(
            "general events put the payload's fields beside `metadata`; use `category: undefined` for other payloads",
        )),
        (Category::General, Some(r)) if r.fields.iter().any(|f| f.name == "metadata") => {
            return Err(invalid("the payload defines `metadata`, which the general envelope reserves".into())
                .help("rename the field; event metadata lives in the envelope's `metadata`"))
        }
        (Category::General, Some(r)) => {
            TypeRef::Named(lowering.record_as(r, Some(names.event.clone()), &["metadata"])?)
        }
        (Category::Undefined, Some(r)) => TypeRef::Named(lowering.record_as(r, Some(names.event.clone()), &[])?),
        (Category::Data, Some(r)) => TypeRef::Named(lowering.record_as(r, Some(names.data.clone()), &[])?),
        (Category::Data, None) => lowering.lower(&schema, &names.data)?,
        (Category::Undefined, None) => {
            let inner = lowering.lower(&schema, &format!("{}Document", names.event))?;
            let origin = crate::ir::Origin { file: shown.clone(), pointer: String::new() };
            TypeRef::Named(lowering.builder.add_named(
                module,
                names.event.clone(),
                origin,
                None,
                TypeKind::Newtype(inner),
            ))
        }
    };
    let mut sources = vec![event.file.clone(), shown.clone()];
    sources.extend(used_files);
    sources.dedup();
    let schema_text = serde_json::to_string(&standalone).unwrap_or_default();
    Ok(LoweredPayload { payload, schema_text, sources })
}
