//! Compiles the catalog's `.proto` files in-process with protox (no protoc): imports resolve to
//! files under the catalog roots (by their path inside the root) and to the well-known types.
//! Errors carry protox's source spans, turned into line and column.

use std::collections::BTreeMap;
use std::path::Path;

use prost_reflect::DescriptorPool;
use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};

use crate::catalog::{Catalog, EventType, SchemaSource};
use crate::diagnostic::{Diagnostic, Location};
use crate::schema_files::{self, SchemaFile};

struct CatalogFiles(BTreeMap<String, String>);

impl FileResolver for CatalogFiles {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        match self.0.get(name) {
            Some(text) => File::from_source(name, text),
            None => Err(protox::Error::file_not_found(name)),
        }
    }
}

/// The compiled Protobuf schemas of a catalog.
#[derive(Debug)]
pub struct Compiled {
    pub pool: DescriptorPool,
    /// The encoded `FileDescriptorSet` of every file compiled and its imports.
    pub descriptor_set: Vec<u8>,
    /// The import path of each Protobuf event type's schema file, by event type name.
    pub entries: BTreeMap<String, String>,
    /// Files by import path, for locating messages and errors.
    pub files: BTreeMap<String, SchemaFile>,
}

fn entry_of(
    event: &EventType,
    by_path: &BTreeMap<&Path, &SchemaFile>,
) -> Result<(String, Option<SchemaFile>), Diagnostic> {
    match &event.schema.source {
        SchemaSource::File(path) => {
            let found = path.canonicalize().ok().and_then(|real| by_path.get(real.as_path()).copied());
            match found {
                Some(file) => Ok((file.relative.clone(), None)),
                None => Err(Diagnostic::new(
                    Location::at(&event.file, "/schema/file"),
                    format!("the Protobuf schema file `{}` is not a `.proto` file inside the catalog", path.display()),
                )
                .help("`file` is resolved against the folder of the definition file; imports resolve from the catalog root")),
            }
        }
        SchemaSource::InlineText(text) => {
            let name = format!("{}.proto", event.name);
            let file = SchemaFile {
                path: event.path.clone(),
                shown: event.file.clone(),
                relative: name.clone(),
                text: text.clone(),
            };
            Ok((name, Some(file)))
        }
        SchemaSource::InlineValue(_) => Err(Diagnostic::new(
            Location::at(&event.file, "/schema/schema"),
            "a Protobuf schema is text, not a mapping",
        )
        .help("give the `.proto` source as a string, or name a `.proto` file with `file`")),
    }
}

/// A protox error as a diagnostic at its file, line and column. For a schema given inline as a
/// string, that is the string in the definition, and the place inside the string is told.
fn diagnostic(
    catalog: &Catalog,
    e: &protox::Error,
    files: &BTreeMap<String, SchemaFile>,
    fallback: &SchemaFile,
) -> Diagnostic {
    let file = e.file().and_then(|f| files.get(f)).unwrap_or(fallback);
    let offset = miette::Diagnostic::labels(e).and_then(|mut labels| labels.next()).map(|l| l.offset());
    let message = format!("invalid Protobuf schema: {e}");
    let definition = catalog.files.get(&file.path).filter(|_| file.path.extension().is_none_or(|x| x != "proto"));
    let d = match (offset, definition) {
        (Some(offset), Some(definition)) => {
            let inner = schema_files::at_offset(file, offset, "").location.line_col.unwrap_or((1, 1));
            Diagnostic::new(
                Location::at(&file.shown, "/schema/schema"),
                format!("{message} (line {}, column {} of the schema text)", inner.0, inner.1),
            )
            .locate_in(&definition.text)
        }
        (Some(offset), None) => schema_files::at_offset(file, offset, message),
        (None, _) => Diagnostic::new(Location::file(&file.shown), message),
    };
    if e.is_file_not_found() {
        d.help("imports resolve from the catalog root (e.g. `shop/money.proto`) or are well-known types (`google/protobuf/timestamp.proto`)")
    } else {
        d
    }
}

/// Compiles the schema files of the Protobuf event types among `events`.
pub fn compile(catalog: &Catalog, events: &[&EventType]) -> Result<Compiled, Vec<Diagnostic>> {
    let (found, mut problems) = schema_files::find(catalog, "proto");
    let by_path: BTreeMap<&Path, &SchemaFile> = found.iter().map(|f| (f.path.as_path(), f)).collect();
    let mut files: BTreeMap<String, SchemaFile> = BTreeMap::new();
    let mut entries = BTreeMap::new();
    for event in events {
        match entry_of(event, &by_path) {
            Ok((name, inline)) => {
                if let Some(file) = inline {
                    files.insert(name.clone(), file);
                }
                entries.insert(event.name.clone(), name);
            }
            Err(d) => problems.push(d),
        }
    }
    for file in &found {
        files.entry(file.relative.clone()).or_insert_with(|| file.clone());
    }
    let sources: BTreeMap<String, String> = files.iter().map(|(k, f)| (k.clone(), f.text.clone())).collect();
    let mut chain = ChainFileResolver::new();
    chain.add(CatalogFiles(sources));
    chain.add(GoogleFileResolver::new());
    let mut compiler = protox::Compiler::with_file_resolver(chain);
    compiler.include_imports(true).include_source_info(true);
    let mut opened: Vec<&String> = entries.values().collect();
    opened.sort();
    opened.dedup();
    for entry in opened {
        // A library panic must never reach a user.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| compiler.open_file(entry).map(|_| ())));
        let fallback = &files[entry];
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => problems.push(diagnostic(catalog, &e, &files, fallback)),
            Err(_) => problems
                .push(Diagnostic::new(Location::file(&fallback.shown), "the Protobuf compiler failed on this file")),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Compiled {
        pool: compiler.descriptor_pool(),
        descriptor_set: compiler.encode_file_descriptor_set(),
        entries,
        files,
    })
}
