//! The build-script API, in the style of prost-build: a builder of `&mut self` options ending in
//! [`Config::compile`].

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

use crate::catalog::{References, Unresolved};
use crate::diagnostic::{Diagnostic, Error, Location, Result};
use crate::filter::{Filter, Pattern};
use crate::rust::{DateTimes, OptionalNulls, RustOptions, UnknownFields};
use crate::{fingerprint, lowering, output};

/// Generates Rust bindings for event catalogs.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     eventbind_build::Config::new().catalog("events").compile()?;
///     Ok(())
/// }
/// ```
/// and in the crate: `eventbind::include_bindings!();`
#[derive(Debug, Clone)]
pub struct Config {
    catalogs: Vec<PathBuf>,
    references: References,
    out_dir: Option<PathBuf>,
    file_name: String,
    unknown_fields: UnknownFields,
    tolerant_enums: bool,
    date_times: DateTimes,
    optional_nulls: OptionalNulls,
    event_types: Vec<String>,
    type_attributes: Vec<(String, String)>,
    field_attributes: Vec<(String, String)>,
    cargo_output: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            catalogs: Vec::new(),
            references: References::default(),
            out_dir: None,
            file_name: "eventbind.rs".to_owned(),
            unknown_fields: UnknownFields::Ignore,
            tolerant_enums: false,
            date_times: DateTimes::FixedOffset,
            optional_nulls: OptionalNulls::Keep,
            event_types: Vec::new(),
            type_attributes: Vec::new(),
            field_attributes: Vec::new(),
            cargo_output: true,
        }
    }
}

/// The generated Rust source, and every file and folder it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub code: String,
    pub inputs: Vec<PathBuf>,
    /// What is wrong in the catalog but changes nothing generated (a key given twice in a
    /// mapping, both times with the same value); a build script prints them as cargo warnings.
    pub warnings: Vec<Diagnostic>,
}

impl Config {
    pub fn new() -> Self {
        Config::default()
    }

    /// Adds a catalog folder (repeatable). Relative paths are relative to the working directory,
    /// which for a build script is the crate's folder.
    pub fn catalog(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.catalogs.push(dir.as_ref().to_owned());
        self
    }

    /// Adds a folder of shared schemas that `$ref`s may point into (repeatable). Unlike a
    /// catalog folder it is not scanned for event type definitions.
    pub fn schema_root(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.references.roots.push(dir.as_ref().to_owned());
        self
    }

    /// Resolves `$ref`s to URLs starting with `prefix` to files under `dir`, a local mirror
    /// (`https://json.schemastore.org/` → `schemas/`). Nothing is ever fetched.
    pub fn map_url(&mut self, prefix: impl Into<String>, dir: impl AsRef<Path>) -> &mut Self {
        self.references.url_maps.push((prefix.into(), dir.as_ref().to_owned()));
        self
    }

    /// What a `$ref` to a URL that no catalog file declares and no URL prefix maps becomes
    /// (default: [`Unresolved::AnyValue`], any JSON value with a warning; `eventbind.yaml` can
    /// say the same as `references: {unresolved: error}`, and `error` wins).
    pub fn unresolved_urls(&mut self, unresolved: Unresolved) -> &mut Self {
        self.references.unresolved = unresolved;
        self
    }

    /// Where to write; defaults to `$OUT_DIR`.
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// The output file's name; defaults to `eventbind.rs`.
    pub fn file_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.file_name = name.into();
        self
    }

    /// What decoders do with fields the schema does not declare (default: ignore).
    pub fn unknown_fields(&mut self, policy: UnknownFields) -> &mut Self {
        self.unknown_fields = policy;
        self
    }

    /// Gives closed enums a catch-all variant too (extensible enums always have one).
    pub fn tolerant_enums(&mut self, tolerant: bool) -> &mut Self {
        self.tolerant_enums = tolerant;
        self
    }

    /// The type of `date-time` values (default: `DateTime<FixedOffset>`, which keeps the offset
    /// an event was written with; `DateTimes::Utc` gives `DateTime<Utc>`, as typify does).
    pub fn date_times(&mut self, date_times: DateTimes) -> &mut Self {
        self.date_times = date_times;
        self
    }

    /// What an optional field whose schema allows `null` is (default: `Option<Option<T>>`, which
    /// keeps null apart from absent; `OptionalNulls::AsAbsent` gives `Option<T>`, null read as
    /// absent).
    pub fn optional_nulls(&mut self, rule: OptionalNulls) -> &mut Self {
        self.optional_nulls = rule;
        self
    }

    /// Generates only event types whose name matches (repeatable; a name or a glob like `order.*`).
    pub fn event_type(&mut self, pattern: impl Into<String>) -> &mut Self {
        self.event_types.push(pattern.into());
        self
    }

    /// Adds an attribute (e.g. `#[derive(Hash)]`) to generated types whose path matches
    /// (`order::OrderCancelled`, `order::*`, `*`).
    pub fn type_attribute(&mut self, path: impl Into<String>, attribute: impl Into<String>) -> &mut Self {
        self.type_attributes.push((path.into(), attribute.into()));
        self
    }

    /// Adds an attribute to generated fields whose path matches (`order::OrderCancelled.reason`).
    pub fn field_attribute(&mut self, path: impl Into<String>, attribute: impl Into<String>) -> &mut Self {
        self.field_attributes.push((path.into(), attribute.into()));
        self
    }

    /// Whether to print `cargo:` instructions (on by default; off for use outside build scripts).
    pub fn cargo_output(&mut self, on: bool) -> &mut Self {
        self.cargo_output = on;
        self
    }

    fn options(&self) -> Result<(RustOptions, Filter)> {
        let bad = |what: &str, message: String| {
            Error::from(Diagnostic::new(Location::file(format!("build option `{what}`")), message))
        };
        let pattern = |what: &str, p: &str| Pattern::new(p).map_err(|m| bad(what, m));
        let attribute = |what: &str, a: &str| -> Result<TokenStream> {
            let tokens: TokenStream = a.parse().map_err(|e| bad(what, format!("`{a}` is not Rust tokens: {e}")))?;
            syn::parse::Parser::parse2(syn::Attribute::parse_outer, tokens.clone())
                .map_err(|e| bad(what, format!("`{a}` is not an attribute like `#[derive(Hash)]`: {e}")))?;
            Ok(tokens)
        };
        let mut filter = Filter::default();
        for p in &self.event_types {
            filter.push(pattern("event_type", p)?);
        }
        let mut options = RustOptions {
            unknown_fields: self.unknown_fields,
            tolerant_enums: self.tolerant_enums,
            date_times: self.date_times,
            optional_nulls: self.optional_nulls,
            ..RustOptions::default()
        };
        for (p, a) in &self.type_attributes {
            options.type_attributes.push((pattern("type_attribute", p)?, attribute("type_attribute", a)?));
        }
        for (p, a) in &self.field_attributes {
            options.field_attributes.push((pattern("field_attribute", p)?, attribute("field_attribute", a)?));
        }
        Ok((options, filter))
    }

    /// Generates the Rust source without writing anything.
    pub fn generate(&self) -> Result<Generated> {
        if self.catalogs.is_empty() {
            return Err(Diagnostic::new(Location::file("build options"), "no catalog given")
                .help("call `.catalog(\"events\")`")
                .into());
        }
        let (options, filter) = self.options()?;
        let (catalog, model) = lowering::load_and_lower(&self.catalogs, &self.references, &filter)?;
        let body = crate::rust::generate(&model, &options)
            .map_err(|m| Error::from(Diagnostic::new(Location::file(&self.catalogs[0]), m)))?;
        let mut sources: Vec<String> =
            model.events.iter().flat_map(|e| &e.sources).map(|p| crate::display_path(p)).collect();
        sources.sort();
        sources.dedup();
        let mut code = format!(
            "// @generated by eventbind-build {}. Do not edit: change the catalog and rebuild.\n//\n// Sources:\n",
            env!("CARGO_PKG_VERSION")
        );
        for s in &sources {
            code.push_str(&format!("//   {s}\n"));
        }
        code.push('\n');
        code.push_str(&body);
        Ok(Generated { code, inputs: catalog.inputs().map(Path::to_path_buf).collect(), warnings: model.warnings })
    }

    fn fingerprint_key(&self) -> String {
        // The running executable stands for the generator's own code: a build script is relinked
        // whenever eventbind-build changes, and its output must then be regenerated.
        let exe = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| format!("{:?}/{}", m.modified().ok(), m.len()))
            .unwrap_or_default();
        format!(
            "{}|{exe}|{:?}",
            env!("CARGO_PKG_VERSION"),
            (
                &self.catalogs,
                &self.references,
                &self.file_name,
                self.unknown_fields,
                self.tolerant_enums,
                self.date_times,
                self.optional_nulls,
                &self.event_types,
                &self.type_attributes,
                &self.field_attributes
            )
        )
    }

    /// Generates and writes `<out_dir>/<file_name>`, rewriting it only when it changed. In a
    /// build script, prints `cargo:rerun-if-changed` for every catalog file and folder; when
    /// nothing changed since the last run, only the catalog is hashed.
    pub fn compile(&self) -> Result<()> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                Error::from(
                    Diagnostic::new(Location::file("build options"), "OUT_DIR is not set")
                        .help("call `.out_dir(...)` outside build scripts"),
                )
            })?,
        };
        let target = out_dir.join(&self.file_name);
        let stamp_path = out_dir.join(format!("{}.fingerprint", self.file_name));
        let (stamp, inputs) =
            fingerprint::of_catalogs(&self.catalogs, &self.fingerprint_key()).map_err(|(p, e)| Error::io(&p, &e))?;
        let unchanged = std::fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp) && target.is_file();
        let (inputs, warnings) = if unchanged {
            (inputs, Vec::new())
        } else {
            let generated = self.generate()?;
            output::write_if_changed(&target, generated.code.as_bytes()).map_err(|e| Error::io(&target, &e))?;
            output::write_if_changed(&stamp_path, stamp.as_bytes()).map_err(|e| Error::io(&stamp_path, &e))?;
            (generated.inputs, generated.warnings)
        };
        if self.cargo_output {
            for warning in &warnings {
                println!("cargo:warning={}: {}", warning.location, warning.message);
            }
            for input in inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        Ok(())
    }
}
