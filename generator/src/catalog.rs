//! The catalog: a folder of event type definitions (found by content) and the schema files they
//! reference. Loading validates every definition and reports all problems at once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Error, Location, Result};
use crate::source::{self, FileFormat};

/// An event type's envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    General,
    Data,
    Undefined,
}

/// How an event type's schema may evolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CompatibilityMode {
    Compatible,
    Forward,
    None,
}

/// The language of a payload schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SchemaFormat {
    JsonSchema,
    Avro,
    Protobuf,
}

/// Where the payload schema text is.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaSource {
    /// A JSON string inside the definition (Nakadi style), at `schema/schema`.
    InlineText(String),
    /// A mapping inside the definition, at `schema/schema`.
    InlineValue(Value),
    /// A file, resolved against the definition's folder.
    File(PathBuf),
}

/// The `schema` block of a definition.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaDef {
    pub version: semver::Version,
    pub format: SchemaFormat,
    pub source: SchemaSource,
    /// Protobuf: the fully qualified payload message.
    pub message: Option<String>,
}

/// An event type definition, with every Nakadi and documentation field kept.
#[derive(Debug, Clone, PartialEq)]
pub struct EventType {
    pub name: String,
    pub owning_application: String,
    pub category: Category,
    /// The entity of a data change event; defaults to the name.
    pub data_type: Option<String>,
    pub compatibility_mode: CompatibilityMode,
    pub partition_strategy: Option<String>,
    pub partition_key_fields: Vec<String>,
    pub ordering_key_fields: Vec<String>,
    pub ordering_instance_ids: Vec<String>,
    pub cleanup_policy: Option<String>,
    pub audience: Option<String>,
    pub enrichment_strategies: Vec<String>,
    pub description: Option<String>,
    /// Documentation block: producers, consumers, topic, encoding, compression, slo, ….
    pub docs: Option<Value>,
    pub schema: SchemaDef,
    /// Fields of the definition this model has no place for, kept as written.
    pub extra: BTreeMap<String, Value>,
    /// The definition file, as shown to users.
    pub file: PathBuf,
    /// The definition file on disk.
    pub path: PathBuf,
}

/// A file read while loading, kept so that schema front ends do not read it again.
#[derive(Debug)]
pub struct LoadedFile {
    /// As shown to users: the catalog root as given, joined with the path inside it.
    pub shown: PathBuf,
    pub text: String,
    pub value: Value,
    /// Keys given twice in one mapping (the value holds the last); judged when the file is used.
    pub(crate) duplicates: Vec<source::Duplicate>,
}

impl LoadedFile {
    pub(crate) fn new(shown: PathBuf, text: String, value: Value) -> Self {
        LoadedFile { shown, text, value, duplicates: Vec::new() }
    }

    /// Reads and parses a file's text.
    fn parse(shown: PathBuf, text: String, format: FileFormat) -> std::result::Result<LoadedFile, Diagnostic> {
        let (value, duplicates) = source::parse(&text, format, &shown)?;
        Ok(LoadedFile { shown, text, value, duplicates })
    }
}

/// A loaded catalog.
#[derive(Debug)]
pub struct Catalog {
    /// The root folders, as given.
    pub roots: Vec<PathBuf>,
    /// Their canonical forms: references may not leave them.
    pub canonical_roots: Vec<PathBuf>,
    /// Event types sorted by name.
    pub event_types: Vec<EventType>,
    /// Every catalog file parsed, by canonical path.
    pub files: BTreeMap<PathBuf, Arc<LoadedFile>>,
    /// Files that could not be read or parsed and do not look like definitions, by canonical
    /// path: an error only if a reference leads to them (schema folders hold drafts, broken
    /// test schemas and files of other tools).
    pub unread: BTreeMap<PathBuf, Diagnostic>,
    /// What is wrong but changes nothing generated (a repeated `description`), for the user.
    pub warnings: Vec<Diagnostic>,
    /// Every folder walked, for build scripts' `rerun-if-changed`.
    pub dirs: Vec<PathBuf>,
    /// Folders that references may point into but that are not scanned for definitions.
    pub reference_roots: Vec<PathBuf>,
    /// URL prefixes that resolve to local folders (`https://example.com/schemas/` → a mirror).
    pub url_maps: Vec<(String, PathBuf)>,
    /// What a `$ref` to a URL that nothing in reach declares becomes.
    pub unresolved: Unresolved,
}

/// Where references may lead besides the catalog roots.
#[derive(Debug, Clone, Default)]
pub struct References {
    /// Folders references may point into, not scanned for definitions.
    pub roots: Vec<PathBuf>,
    /// URL prefix → local folder holding the same files. Nothing is fetched.
    pub url_maps: Vec<(String, PathBuf)>,
    /// What a `$ref` to a URL nothing in reach declares becomes (`references.unresolved`).
    pub unresolved: Unresolved,
}

/// What a `$ref` to a URL becomes when no catalog file declares it and no URL prefix maps it
/// (eventbind fetches nothing): `references: {unresolved: …}` in eventbind.yaml, or
/// [`crate::Config::unresolved_urls`]. When several roots say, `error` wins.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unresolved {
    /// The referenced value is any JSON value, kept and written back as it came, with a warning
    /// naming the file, the place and the URL.
    #[default]
    AnyValue,
    /// An error naming the file, the place and the URL.
    Error,
}

const CATEGORIES: &str = "`general`, `business` (alias of general), `data` or `undefined`";

impl Catalog {
    /// Loads every catalog root; all problems found are reported together.
    pub fn load<P: AsRef<Path>>(roots: &[P]) -> Result<Catalog> {
        Catalog::load_with(roots, &References::default())
    }

    /// Loads every catalog root, allowing references into `references` too.
    pub fn load_with<P: AsRef<Path>>(roots: &[P], references: &References) -> Result<Catalog> {
        let (catalog, problems) = Catalog::load_lenient_with(roots, references)?;
        if !problems.is_empty() {
            return Err(Error::new(problems));
        }
        Ok(catalog)
    }

    /// Loads what can be loaded and returns the problems beside it, for lint, which reports
    /// them with its own findings. Only an unreadable root is an error.
    pub fn load_lenient<P: AsRef<Path>>(roots: &[P]) -> Result<(Catalog, Vec<Diagnostic>)> {
        Catalog::load_lenient_with(roots, &References::default())
    }

    /// [`Catalog::load_lenient`] with references allowed into `references` too.
    pub fn load_lenient_with<P: AsRef<Path>>(
        roots: &[P],
        references: &References,
    ) -> Result<(Catalog, Vec<Diagnostic>)> {
        let mut catalog = Catalog::empty();
        let mut problems = Vec::new();
        for dir in &references.roots {
            catalog.reference_roots.push(dir.canonicalize().map_err(|e| Error::io(dir, &e))?);
        }
        for (prefix, dir) in &references.url_maps {
            let canonical = dir.canonicalize().map_err(|e| Error::io(dir, &e))?;
            catalog.map_url(prefix, canonical);
        }
        catalog.unresolved = references.unresolved;
        for root in roots {
            let root = root.as_ref();
            let canonical = root.canonicalize().map_err(|e| Error::io(root, &e))?;
            if !canonical.is_dir() {
                return Err(Diagnostic::new(Location::file(root), "the catalog must be a folder").into());
            }
            catalog.roots.push(root.to_owned());
            catalog.canonical_roots.push(canonical.clone());
            catalog.walk(root, &canonical, &mut problems);
            catalog.read_config(root, &canonical, &mut problems);
        }
        catalog.read_definitions(&mut problems);
        Ok((catalog, problems))
    }

    /// Loads a catalog from files held in memory (e.g. read from git objects), as if they were
    /// a folder shown as `root`. Paths are relative to the root, with `/` separators.
    pub fn load_in_memory(root: &Path, files: Vec<(PathBuf, Vec<u8>)>) -> Result<Catalog> {
        let (catalog, problems) = Catalog::load_in_memory_lenient(root, files);
        if !problems.is_empty() {
            return Err(Error::new(problems));
        }
        Ok(catalog)
    }

    /// [`Catalog::load_in_memory`] that returns the problems beside what it could load.
    pub fn load_in_memory_lenient(root: &Path, files: Vec<(PathBuf, Vec<u8>)>) -> (Catalog, Vec<Diagnostic>) {
        let mut catalog = Catalog::empty();
        let mut problems = Vec::new();
        // A path that no disk lookup can meet: references resolve inside `files` only.
        // A plain relative path under the virtual root, whatever `root` looks like.
        let key: Vec<String> = crate::display_path(root)
            .split(['/', ':'])
            .filter(|s| !s.is_empty() && *s != ".")
            .map(|s| if s == ".." { "_up_".to_owned() } else { s.to_owned() })
            .collect();
        let canonical = Path::new(IN_MEMORY_ROOT).join(key.join("/"));
        catalog.roots.push(root.to_owned());
        catalog.canonical_roots.push(canonical.clone());
        for (relative, bytes) in files {
            let Some(format) = FileFormat::of(&relative) else {
                continue;
            };
            if relative.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')) {
                continue;
            }
            let shown = root.join(&relative);
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let read = source::decode_text(bytes, &shown).and_then(|text| LoadedFile::parse(shown, text, format));
            catalog.keep(canonical.join(&relative), read, &lossy, &mut problems);
        }
        catalog.read_config_in_memory(root, &canonical, &mut problems);
        catalog.read_definitions(&mut problems);
        (catalog, problems)
    }

    /// Reads the `references` section of the root's `eventbind.yaml`, if it has one.
    fn read_config(&mut self, root: &Path, canonical_root: &Path, problems: &mut Vec<Diagnostic>) {
        let Some(path) = crate::catalog_config::find(canonical_root) else { return };
        let shown = shown_path(root, canonical_root, &path);
        let text = match self.files.get(&path) {
            Some(file) => file.text.clone(),
            None => match source::read_text(&path, &shown) {
                Ok(text) => text,
                Err(d) => return problems.push(d),
            },
        };
        let references = match crate::catalog_config::references(&text, &shown, canonical_root) {
            Ok(references) => references,
            Err(d) => return problems.push(d),
        };
        let missing = |what: &str, dir: &Path, e: std::io::Error| {
            Diagnostic::new(Location::at(&shown, what), format!("cannot use the folder `{}`: {e}", dir.display()))
                .locate_in(&text)
        };
        for dir in &references.roots {
            match dir.canonicalize() {
                Ok(canonical) if !self.reference_roots.contains(&canonical) => self.reference_roots.push(canonical),
                Ok(_) => {}
                Err(e) => problems.push(missing("/references/roots", dir, e)),
            }
        }
        for (prefix, dir) in &references.url_maps {
            match dir.canonicalize() {
                Ok(canonical) => self.map_url(prefix, canonical),
                Err(e) => problems.push(missing(&source::pointer_push("/references/urls", prefix), dir, e)),
            }
        }
        self.unresolved = self.unresolved.max(references.unresolved);
    }

    /// [`Catalog::read_config`] for a catalog held in memory: only folders inside it can be read.
    fn read_config_in_memory(&mut self, root: &Path, canonical_root: &Path, problems: &mut Vec<Diagnostic>) {
        let Some((path, file)) = crate::catalog_config::CONFIG_FILES.iter().find_map(|name| {
            self.files.get(&canonical_root.join(name)).map(|f| (canonical_root.join(name), f.clone()))
        }) else {
            return;
        };
        let shown = shown_path(root, canonical_root, &path);
        match crate::catalog_config::references(&file.text, &shown, canonical_root) {
            Ok(references) => {
                for (prefix, dir) in references.url_maps {
                    let dir = crate::json_schema::normalize_path(&dir);
                    if dir.starts_with(canonical_root) {
                        self.url_maps.push((prefix, dir));
                    }
                }
                self.unresolved = self.unresolved.max(references.unresolved);
            }
            Err(d) => problems.push(d),
        }
    }

    /// Maps a URL prefix to a folder, which references may then point into.
    fn map_url(&mut self, prefix: &str, canonical: PathBuf) {
        if !self.reference_roots.contains(&canonical) && self.root_of(&canonical).is_none() {
            self.reference_roots.push(canonical.clone());
        }
        self.url_maps.push((prefix.to_owned(), canonical));
    }

    /// A path under a root as users know it: the root as given, joined with the rest.
    pub fn shown(&self, path: &Path) -> PathBuf {
        for (root, canonical) in self.roots.iter().zip(&self.canonical_roots) {
            if let Ok(rest) = path.strip_prefix(canonical) {
                return root.join(rest);
            }
        }
        path.to_owned()
    }

    /// Whether the catalog was loaded from memory rather than from a folder.
    pub fn is_in_memory(&self) -> bool {
        self.canonical_roots.iter().any(|r| r.starts_with(IN_MEMORY_ROOT))
    }

    fn empty() -> Catalog {
        Catalog {
            roots: Vec::new(),
            canonical_roots: Vec::new(),
            event_types: Vec::new(),
            files: BTreeMap::new(),
            unread: BTreeMap::new(),
            warnings: Vec::new(),
            dirs: Vec::new(),
            reference_roots: Vec::new(),
            url_maps: Vec::new(),
            unresolved: Unresolved::default(),
        }
    }

    /// Reads every definition among the loaded files, sorted by name.
    fn read_definitions(&mut self, problems: &mut Vec<Diagnostic>) {
        let mut by_name: BTreeMap<String, PathBuf> = BTreeMap::new();
        let files: Vec<Arc<LoadedFile>> = self.files.values().cloned().collect();
        for (path, file) in self.files.keys().cloned().zip(files) {
            if !is_definition(&file.value) {
                continue;
            }
            let (errors, warnings) = crate::duplicate_keys::judge(&file, &file.duplicates, true, None);
            problems.extend(errors);
            self.warnings.extend(warnings);
            match read_definition(&file, &path) {
                Ok(event_type) => {
                    if let Some(first) = by_name.get(&event_type.name) {
                        problems.push(
                            Diagnostic::new(
                                Location::at(&file.shown, "/name"),
                                format!(
                                    "event type `{}` is defined twice: here and in {}",
                                    event_type.name,
                                    first.display()
                                ),
                            )
                            .help("each event type is defined in exactly one file")
                            .locate_in(&file.text),
                        );
                        continue;
                    }
                    by_name.insert(event_type.name.clone(), file.shown.clone());
                    self.event_types.push(event_type);
                }
                Err(mut found) => problems.append(&mut found),
            }
        }
        self.event_types.sort_by(|a, b| a.name.cmp(&b.name));
    }

    fn walk(&mut self, root: &Path, canonical_root: &Path, problems: &mut Vec<Diagnostic>) {
        let walker = walkdir::WalkDir::new(canonical_root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let at = e.path().map_or_else(|| root.to_owned(), |p| shown_path(root, canonical_root, p));
                    problems.push(Diagnostic::new(Location::file(at), format!("cannot read: {e}")));
                    continue;
                }
            };
            let path = entry.path();
            if entry.file_type().is_dir() {
                self.dirs.push(shown_path(root, canonical_root, path));
                continue;
            }
            let Some(format) = FileFormat::of(path) else {
                continue;
            };
            // A link is followed only when it stays inside the catalog. The walk starts at the
            // canonical root and does not follow links into folders, so a path that is not a link
            // is canonical already (and a regular file): no `realpath` per file.
            let (real, is_file) = if entry.path_is_symlink() {
                let Ok(real) = path.canonicalize() else {
                    continue;
                };
                let is_file = real.is_file();
                (real, is_file)
            } else {
                (path.to_owned(), entry.file_type().is_file())
            };
            if !real.starts_with(canonical_root) || !is_file || self.files.contains_key(&real) {
                continue;
            }
            let shown = shown_path(root, canonical_root, path);
            let read = source::read_text(&real, &shown).and_then(|text| LoadedFile::parse(shown, text, format));
            let text = match &read {
                Ok(_) => String::new(),
                Err(_) => std::fs::read(&real).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default(),
            };
            self.keep(real, read, &text, problems);
        }
    }

    /// Keeps a file read while walking. One that cannot be read or parsed is an error only if it
    /// looks like a definition (its text names `owning_application`, a field only definitions
    /// have); otherwise it is kept aside, and an error only when a reference leads to it.
    fn keep(
        &mut self,
        path: PathBuf,
        read: std::result::Result<LoadedFile, Diagnostic>,
        text: &str,
        problems: &mut Vec<Diagnostic>,
    ) {
        match read {
            Ok(file) => {
                self.files.insert(path, Arc::new(file));
            }
            Err(d) if text.contains("owning_application") => problems.push(d),
            Err(d) => {
                self.unread.insert(path, d);
            }
        }
    }

    /// Every file and folder read, for `cargo:rerun-if-changed`.
    pub fn inputs(&self) -> impl Iterator<Item = &Path> {
        self.roots
            .iter()
            .map(PathBuf::as_path)
            .chain(self.dirs.iter().map(PathBuf::as_path))
            .chain(self.files.values().map(|f| f.shown.as_path()))
            .chain(self.unread.values().map(|d| d.location.file.as_path()))
    }

    /// A catalog path as generated code shows it: from the catalog folder's own name on
    /// (`events/order/x.yaml`), so output does not depend on where the catalog lives.
    pub fn output_path(&self, shown: &Path) -> PathBuf {
        for root in &self.roots {
            if let Ok(rest) = shown.strip_prefix(root) {
                let name = root.canonicalize().ok().and_then(|c| c.file_name().map(PathBuf::from)).unwrap_or_default();
                return name.join(rest);
            }
        }
        shown.to_owned()
    }

    /// The root that holds `path` (canonical), if any.
    pub fn root_of(&self, path: &Path) -> Option<&Path> {
        self.canonical_roots.iter().chain(&self.reference_roots).find(|r| path.starts_with(r)).map(PathBuf::as_path)
    }
}

fn shown_path(root: &Path, canonical_root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(canonical_root).map_or_else(
        |_| path.to_owned(),
        |rel| {
            if rel.as_os_str().is_empty() {
                root.to_owned()
            } else {
                root.join(rel)
            }
        },
    )
}

/// Files of an in-memory catalog live under this path, which exists on no disk.
const IN_MEMORY_ROOT: &str = "/.eventbind-in-memory";

/// Whether a parsed catalog file is an event type definition (it has `name` and a `schema`
/// mapping).
pub fn is_definition(value: &Value) -> bool {
    value.get("name").is_some() && value.get("schema").is_some_and(Value::is_object)
}

/// Reads fields of one definition, collecting a diagnostic per problem.
struct Reader<'a> {
    file: &'a LoadedFile,
    problems: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    fn problem(&mut self, pointer: &str, message: String, help: &str) {
        let mut d = Diagnostic::new(Location::at(&self.file.shown, pointer), message);
        if !help.is_empty() {
            d = d.help(help);
        }
        self.problems.push(d.locate_in(&self.file.text));
    }

    fn string(&mut self, obj: &'a Value, pointer: &str, key: &str, required: bool) -> Option<&'a str> {
        let at = source::pointer_push(pointer, key);
        match obj.get(key) {
            None | Some(Value::Null) if required => {
                let container = if pointer.is_empty() { "the definition" } else { pointer };
                self.problems.push(
                    Diagnostic::new(
                        Location::at(&self.file.shown, pointer),
                        format!("`{key}` is missing in {container}"),
                    )
                    .help(format!("add `{key}:` with a string value"))
                    .locate_in(&self.file.text),
                );
                None
            }
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.problem(&at, format!("`{key}` must be a string, found {}", kind(other)), "");
                None
            }
        }
    }

    fn strings(&mut self, obj: &'a Value, key: &str) -> Vec<String> {
        match obj.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                items.iter().filter_map(Value::as_str).map(str::to_owned).collect()
            }
            Some(other) => {
                self.problem(
                    &format!("/{key}"),
                    format!("`{key}` must be a list of strings, found {}", kind(other)),
                    "",
                );
                Vec::new()
            }
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// `[a-zA-Z][-0-9a-zA-Z_]*(\.[a-zA-Z][-0-9a-zA-Z_]*)*`, the event model's name pattern.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|segment| {
            let mut chars = segment.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

const KNOWN_FIELDS: &[&str] = &[
    "name",
    "owning_application",
    "category",
    "data_type",
    "compatibility_mode",
    "partition_strategy",
    "partition_key_fields",
    "ordering_key_fields",
    "ordering_instance_ids",
    "cleanup_policy",
    "audience",
    "enrichment_strategies",
    "description",
    "docs",
    "schema",
];

fn read_definition(file: &LoadedFile, path: &Path) -> std::result::Result<EventType, Vec<Diagnostic>> {
    let mut r = Reader { file, problems: Vec::new() };
    let doc = &file.value;
    let name = r.string(doc, "", "name", true).unwrap_or_default().to_owned();
    // An empty name is invalid too (a missing or non-string one was reported above).
    if doc.get("name").is_some_and(Value::is_string) && !is_valid_name(&name) {
        r.problem(
            "/name",
            if name.is_empty() {
                "the event type name is empty".to_owned()
            } else {
                format!("invalid event type name `{name}`")
            },
            "names are dot-separated segments of letters, digits, `-` and `_`, each starting with a letter, e.g. `order.order_cancelled`",
        );
    }
    let owning_application = r.string(doc, "", "owning_application", true).unwrap_or_default().to_owned();
    let category = match r.string(doc, "", "category", true) {
        Some("general" | "business") => Category::General,
        Some("data") => Category::Data,
        Some("undefined") => Category::Undefined,
        Some(other) => {
            r.problem("/category", format!("unknown category `{other}`"), &format!("expected {CATEGORIES}"));
            Category::General
        }
        None => Category::General,
    };
    let compatibility_mode = match r.string(doc, "", "compatibility_mode", false) {
        None | Some("forward") => CompatibilityMode::Forward,
        Some("compatible") => CompatibilityMode::Compatible,
        Some("none") => CompatibilityMode::None,
        Some(other) => {
            r.problem(
                "/compatibility_mode",
                format!("unknown compatibility mode `{other}`"),
                "expected `compatible`, `forward` (the default) or `none`",
            );
            CompatibilityMode::Forward
        }
    };
    let data_type = r.string(doc, "", "data_type", false).map(str::to_owned);
    if let Some(dt) = &data_type {
        if category != Category::Data {
            r.problem(
                "/data_type",
                format!("`data_type` is set but the category is not `data` (`{dt}`)"),
                "remove `data_type` or use `category: data`",
            );
        }
    }
    let partition_strategy = r.string(doc, "", "partition_strategy", false).map(str::to_owned);
    if let Some(s) = &partition_strategy {
        if !matches!(s.as_str(), "random" | "hash" | "user_defined") {
            r.problem(
                "/partition_strategy",
                format!("unknown partition strategy `{s}`"),
                "expected `random`, `hash` or `user_defined`",
            );
        }
    }
    let schema = read_schema(&mut r, doc, path);
    let event_type = EventType {
        name,
        owning_application,
        category,
        data_type,
        compatibility_mode,
        partition_strategy,
        partition_key_fields: r.strings(doc, "partition_key_fields"),
        ordering_key_fields: r.strings(doc, "ordering_key_fields"),
        ordering_instance_ids: r.strings(doc, "ordering_instance_ids"),
        cleanup_policy: r.string(doc, "", "cleanup_policy", false).map(str::to_owned),
        audience: r.string(doc, "", "audience", false).map(str::to_owned),
        enrichment_strategies: r.strings(doc, "enrichment_strategies"),
        description: r.string(doc, "", "description", false).map(str::to_owned),
        docs: doc.get("docs").cloned(),
        schema: schema.unwrap_or(SchemaDef {
            version: semver::Version::new(1, 0, 0),
            format: SchemaFormat::JsonSchema,
            source: SchemaSource::InlineValue(Value::Null),
            message: None,
        }),
        extra: doc
            .as_object()
            .map(|o| {
                o.iter()
                    .filter(|(k, _)| !KNOWN_FIELDS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        file: file.shown.clone(),
        path: path.to_owned(),
    };
    if r.problems.is_empty() {
        Ok(event_type)
    } else {
        Err(r.problems)
    }
}

fn read_schema<'a>(r: &mut Reader<'a>, doc: &'a Value, path: &Path) -> Option<SchemaDef> {
    let block = doc.get("schema")?;
    let version = match r.string(block, "/schema", "version", false) {
        None => Some(semver::Version::new(1, 0, 0)),
        Some(v) => match semver::Version::parse(v) {
            Ok(version) => Some(version),
            Err(e) => {
                r.problem(
                    "/schema/version",
                    format!("`{v}` is not a semantic version: {e}"),
                    "write MAJOR.MINOR.PATCH, e.g. `1.3.0`",
                );
                None
            }
        },
    };
    let format = match r.string(block, "/schema", "type", true) {
        Some("json_schema") => Some(SchemaFormat::JsonSchema),
        Some("avro_schema" | "avro") => Some(SchemaFormat::Avro),
        Some("protobuf" | "proto") => Some(SchemaFormat::Protobuf),
        Some(other) => {
            r.problem(
                "/schema/type",
                format!("unknown schema type `{other}`"),
                "expected `json_schema`, `avro_schema` or `protobuf`",
            );
            None
        }
        None => None,
    };
    let source = match (block.get("schema"), block.get("file")) {
        (Some(_), Some(_)) => {
            r.problem(
                "/schema/file",
                "both `schema` and `file` are given".into(),
                "give the schema inline under `schema` or name a file with `file`, not both",
            );
            None
        }
        (Some(Value::String(text)), None) => Some(SchemaSource::InlineText(text.clone())),
        (Some(value @ (Value::Object(_) | Value::Bool(_))), None) => Some(SchemaSource::InlineValue(value.clone())),
        (Some(other), None) => {
            r.problem("/schema/schema", format!("the schema must be a string or a mapping, found {}", kind(other)), "");
            None
        }
        (None, Some(Value::String(file))) => {
            Some(SchemaSource::File(path.parent().unwrap_or(Path::new("")).join(file)))
        }
        (None, Some(other)) => {
            r.problem("/schema/file", format!("`file` must be a path, found {}", kind(other)), "");
            None
        }
        (None, None) => {
            r.problem(
                "/schema",
                "the schema block has neither `schema` nor `file`".into(),
                "add the schema inline under `schema:` or a relative path under `file:`",
            );
            None
        }
    };
    let message = r.string(block, "/schema", "message", false).map(str::to_owned);
    Some(SchemaDef { version: version?, format: format?, source: source?, message })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_pattern() {
        for ok in ["order.order_cancelled", "device.button-quacked", "a", "A1.b_2"] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in ["", "1order", "order..x", "order.", ".x", "ord er", "order/x", "ünï"] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }
}
