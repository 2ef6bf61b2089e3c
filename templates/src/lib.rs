//! The template backend: IR → a view model per language ([`view`], with the language's decisions
//! from [`lang`]) → handlebars templates ([`load`], [`render`]) → a package per language.
//!
//! ```no_run
//! let files = eventbind_templates::TemplateConfig::new()
//!     .catalog("events")
//!     .language("typescript")
//!     .generate()?;
//! # Ok::<(), eventbind_build::Error>(())
//! ```

// Diagnostics are large, and only made on the cold path of bad input.
#![allow(clippy::result_large_err)]

mod acyclic;
pub mod lang;
pub mod load;
pub mod render;
pub mod view;

use std::path::{Path, PathBuf};

use eventbind_build::diagnostic::{Diagnostic, Error, Location, Result};
use eventbind_build::filter::{Filter, Pattern};
use eventbind_build::rust::UnknownFields;
use eventbind_build::{lowering, output};
pub use render::RenderedFile;

/// The package name used when none is given: a built-in module of no target language
/// ([`lang::builtin_modules`]), where `events` is Node.js's.
pub const DEFAULT_PACKAGE: &str = "event_bindings";

/// Generates a package in a template language (TypeScript, Python, Go, Java, or one from `templates(dir)`).
#[derive(Debug, Clone)]
pub struct TemplateConfig {
    catalogs: Vec<PathBuf>,
    language: String,
    templates: Option<PathBuf>,
    package: String,
    unknown_fields: UnknownFields,
    tolerant_enums: bool,
    event_types: Vec<String>,
}

impl Default for TemplateConfig {
    fn default() -> Self {
        TemplateConfig {
            catalogs: Vec::new(),
            language: "typescript".to_owned(),
            templates: None,
            package: DEFAULT_PACKAGE.to_owned(),
            unknown_fields: UnknownFields::Ignore,
            tolerant_enums: false,
            event_types: Vec::new(),
        }
    }
}

impl TemplateConfig {
    pub fn new() -> Self {
        TemplateConfig::default()
    }

    /// Adds a catalog folder (repeatable).
    pub fn catalog(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.catalogs.push(dir.as_ref().to_owned());
        self
    }

    /// The target language: `typescript`, `python`, `go`, `java`, or a folder of [`Self::templates`].
    pub fn language(&mut self, name: impl Into<String>) -> &mut Self {
        self.language = name.into();
        self
    }

    /// A folder of `<language>/` template folders that replace files of built-in languages or
    /// add languages.
    pub fn templates(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.templates = Some(dir.as_ref().to_owned());
        self
    }

    /// The package name (npm package, Python import name, Go module path, Java root package); default [`DEFAULT_PACKAGE`]. A name that is a built-in module of the language (`events` in Node.js, `json` in Python) is refused.
    pub fn package_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.package = name.into();
        self
    }

    /// The decoders' default unknown-field policy (callers can pick another per call).
    pub fn unknown_fields(&mut self, policy: UnknownFields) -> &mut Self {
        self.unknown_fields = policy;
        self
    }

    /// Closed enums also keep values they do not list.
    pub fn tolerant_enums(&mut self, tolerant: bool) -> &mut Self {
        self.tolerant_enums = tolerant;
        self
    }

    /// Only event types whose name matches (repeatable; a name or a glob like `order.*`).
    pub fn event_type(&mut self, pattern: impl Into<String>) -> &mut Self {
        self.event_types.push(pattern.into());
        self
    }

    fn check_package_name(&self) -> Result<()> {
        let ok = self.package.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && self.package.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok {
            Ok(())
        } else {
            Err(Diagnostic::new(
                Location::file("build option `package_name`"),
                format!("`{}` is not a package name every language accepts", self.package),
            )
            .help("use lowercase ASCII letters, digits and `_`, starting with a letter")
            .into())
        }
    }

    /// Renders the package's files (paths relative to the language's output folder), writing
    /// nothing.
    pub fn generate(&self) -> Result<Vec<RenderedFile>> {
        if self.catalogs.is_empty() {
            return Err(Diagnostic::new(Location::file("build options"), "no catalog given")
                .help("call `.catalog(\"events\")`")
                .into());
        }
        self.check_package_name()?;
        let set = load::load(&self.language, self.templates.as_deref())?;
        let mut spec = set.spec()?;
        if let Some(problem) = spec.package_name_problem(&self.package) {
            return Err(Diagnostic::new(
                Location::file("build option `package_name`"),
                format!("{problem}, so it cannot name the {} package", spec.name()),
            )
            .help("choose another `--package-name`")
            .into());
        }
        spec.set_package(&self.package);
        let mut filter = Filter::default();
        for p in &self.event_types {
            filter.push(Pattern::new(p).map_err(|m| Error::from(Diagnostic::new(Location::file("event_type"), m)))?);
        }
        let (_, model) = lowering::load_and_lower(&self.catalogs, &Default::default(), &filter)?;
        let mut sources: Vec<String> =
            model.events.iter().flat_map(|e| &e.sources).map(|p| eventbind_build::display_path(p)).collect();
        sources.sort();
        sources.dedup();
        let options = view::ViewOptions {
            package: self.package.clone(),
            unknown_fields: self.unknown_fields,
            tolerant_enums: self.tolerant_enums,
        };
        let package = view::build(&model, spec.as_ref(), &options, sources);
        render::render(&set, &package)
    }

    /// Generates and writes the package under `out_dir`, rewriting only files that changed;
    /// returns the paths of every file of the package.
    pub fn write(&self, out_dir: &Path) -> Result<Vec<PathBuf>> {
        let files = self.generate()?;
        let mut written = Vec::new();
        for file in files {
            let path = out_dir.join(&file.path);
            output::write_if_changed(&path, file.content.as_bytes()).map_err(|e| Error::io(&path, &e))?;
            written.push(path);
        }
        Ok(written)
    }
}
