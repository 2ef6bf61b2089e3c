//! Schema documents and `$ref` resolution: the one resolver of the engine. `generate`, `validate`
//! (through [`super::bundle`]), `lint`, `docs`, `diff`/`check` and the macros all resolve
//! references here, so a catalog means the same to each of them.
//!
//! JSON Schema's rules (every draft): a document's base URI is the URI of its file; an `$id`
//! (draft 04: `id`) changes the base of the schema it is in, and is itself resolved against the
//! base around it, so relative ids (`common/user.schema.json`, `orders$created`) are resolved
//! against the file's location. A `$ref` is resolved against the base of the schema holding it.
//! The URI it gives is looked up among:
//! 1. the `$id`s the document holding the reference declares, then those every catalog file
//!    declares (in the order of their paths, the first wins);
//! 2. the URL prefixes mapped to folders (`references.urls` in `eventbind.yaml`, or
//!    [`crate::Config::map_url`]);
//! 3. the catalog's files by their `file:` URIs;
//! 4. the `$id`s of the files under schema roots ([`crate::Config::schema_root`]).
//!
//! If none has it, a relative reference is tried once more against the file's own location (a
//! schema repository whose `$id`s name the site it is published at, with files side by side).
//! Nothing is ever fetched. A URL (not a file) that nothing answers leads, by default, to a
//! document of its own whose schema is `true`: the value there is any JSON value, kept as it came,
//! and a warning names the reference and how to map it. `references: {unresolved: error}` makes
//! it an error, as a missing file always is.

use crate::source::At;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use super::uri;
use crate::catalog::{is_definition, Catalog, LoadedFile, Unresolved};
use crate::diagnostic::{Diagnostic, Location};
use crate::source::{self, FileFormat};

/// Index of a document in [`Documents`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(pub usize);

/// The JSON Schema dialect, by `$schema`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draft {
    /// Draft 04, and the OpenAPI Schema Object (the default without `$schema`).
    Draft4,
    Draft6,
    Draft7,
    Draft2019,
    Draft2020,
}

impl Draft {
    pub fn detect(root: &Value) -> Draft {
        let Some(uri) = root.get("$schema").and_then(Value::as_str) else {
            return Draft::Draft4;
        };
        if uri.contains("draft-06") {
            Draft::Draft6
        } else if uri.contains("draft-07") {
            Draft::Draft7
        } else if uri.contains("2019-09") {
            Draft::Draft2019
        } else if uri.contains("2020-12") {
            Draft::Draft2020
        } else {
            Draft::Draft4
        }
    }

    /// The identifier a schema object declares. Draft 04 spells it `id`; a schema without
    /// `$schema` is read as draft 04 but often written for a later draft, so `$id` counts there
    /// too. Up to draft 07 an `$id` beside `$ref` is ignored, as `$ref`'s siblings are.
    pub(crate) fn id_of(self, schema: &serde_json::Map<String, Value>) -> Option<&str> {
        if self <= Draft::Draft7 && schema.contains_key("$ref") {
            return None;
        }
        let id = match self {
            Draft::Draft4 => schema.get("$id").or_else(|| schema.get("id")),
            _ => schema.get("$id"),
        };
        id.and_then(Value::as_str)
    }
}

impl PartialOrd for Draft {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Draft {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (*self as u8).cmp(&(*other as u8))
    }
}

/// Keywords whose values are data, never schemas: no `$id` or `$ref` inside them counts.
pub(crate) fn holds_data(keyword: &str) -> bool {
    matches!(keyword, "enum" | "const" | "default" | "examples" | "example" | "x-extensible-enum")
}

#[derive(Debug)]
pub struct Document {
    /// Canonical path of the file it lives in.
    pub path: PathBuf,
    pub file: Arc<LoadedFile>,
    /// Pointer of the document's root inside the file (non-empty for inline schemas).
    pub base: String,
    /// The schema is a JSON string inside the file: places in it are shown as the string's place.
    pub embedded: bool,
    pub root: Arc<Value>,
    pub draft: Draft,
    /// The URI it was read from (its file's), the base of references before any `$id`.
    pub uri: String,
}

impl Document {
    /// Where a pointer of this document is, for diagnostics.
    pub fn location(&self, pointer: &str) -> Location {
        let in_file = if self.embedded { self.base.clone() } else { format!("{}{pointer}", self.base) };
        let mut location = Location::at(&self.file.shown, in_file);
        if self.embedded && !pointer.is_empty() {
            location.pointer = Some(format!("{} (inside the schema string at {pointer})", self.base));
        }
        location
    }

    pub fn diagnostic(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::new(self.location(pointer), message);
        if self.embedded {
            let mut d = d;
            d.location.line_col = source::locate(&self.file.text, &self.base);
            d.locate_in(&self.file.text)
        } else {
            d.locate_in(&self.file.text)
        }
    }

    /// The base URI of the schema at `pointer`: the document's URI, changed by every `$id` on
    /// the way down.
    pub fn base_uri_at(&self, pointer: &str) -> String {
        let mut base = self.uri.clone();
        let mut node = &*self.root;
        let apply = |node: &Value, base: &mut String| {
            if let Some(id) = node.as_object().and_then(|o| self.draft.id_of(o)) {
                let resolved = uri::resolve(id, base);
                *base = uri::split_fragment(&resolved).0.to_owned();
            }
        };
        apply(node, &mut base);
        for token in source::pointer_tokens(pointer) {
            let next = match node {
                Value::Object(map) => {
                    if holds_data(&token) {
                        break;
                    }
                    map.get(&token)
                }
                Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            let Some(next) = next else { break };
            node = next;
            apply(node, &mut base);
        }
        base
    }
}

/// A place a URI leads to: a file, the pointer of the document's root in it (non-empty for a
/// definition's inline schema), and the pointer in that document.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    path: PathBuf,
    base: String,
    pointer: String,
}

/// Every schema document in use, plus the `$id` index over the catalog.
#[derive(Debug)]
pub struct Documents<'c> {
    catalog: &'c Catalog,
    docs: Vec<Document>,
    by_place: HashMap<(PathBuf, String), DocId>,
    /// Resource URI (normalized, without fragment) → where it is.
    resources: HashMap<String, Place>,
    /// The same for each document ((path, base) → URI → place): a reference inside a document
    /// finds the resources that document declares first, even when an earlier file declares the
    /// same `$id` (a schema copied to a new version without changing it).
    own_resources: HashMap<(PathBuf, String, String), Place>,
    /// (resource URI, plain-name fragment) → where it is: `$anchor`, `$dynamicAnchor`, and
    /// `$id`/`id` of the form `#name`.
    anchors: HashMap<(String, String), Place>,
    /// Whether the catalog files' `$id`s are in the index yet (done once, on the first lookup).
    indexed_catalog: bool,
    /// Whether the schema roots' files were read for their `$id`s (done once, on the first URL
    /// nothing else answers).
    indexed_reference_roots: bool,
    /// Repeated keys of the documents opened ([`crate::duplicate_keys`]): errors, and warnings
    /// (with the references to URLs nothing answers).
    findings: (Vec<Diagnostic>, Vec<Diagnostic>),
    /// The warnings of references to URLs that nothing answers (also among the findings), for
    /// `lint`, which reports them as a rule of its own.
    unresolved_warnings: Vec<Diagnostic>,
    /// The `$ref`s already warned about as unresolved URLs (several stages resolve each).
    warned_unresolved: HashSet<(DocId, String)>,
}

/// `..` and `.` removed lexically, so that a path can be checked against the roots before it is
/// opened.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The inline schema of a definition file, if it has one (a mapping, or a JSON string).
fn inline_schema(file: &LoadedFile) -> Option<&Value> {
    if !is_definition(&file.value) {
        return None;
    }
    file.value.at("/schema/schema").filter(|v| v.is_object() || v.is_string() || v.is_boolean())
}

impl<'c> Documents<'c> {
    pub fn new(catalog: &'c Catalog) -> Self {
        Documents {
            catalog,
            docs: Vec::new(),
            by_place: HashMap::new(),
            resources: HashMap::new(),
            own_resources: HashMap::new(),
            anchors: HashMap::new(),
            indexed_catalog: false,
            indexed_reference_roots: false,
            findings: (Vec::new(), Vec::new()),
            unresolved_warnings: Vec::new(),
            warned_unresolved: HashSet::new(),
        }
    }

    /// The errors and warnings about repeated keys in the documents opened so far (each
    /// document's once), taken out.
    /// The references met so far that lead to URLs nothing answers, each typed as any JSON value.
    pub fn unresolved_references(&self) -> &[Diagnostic] {
        &self.unresolved_warnings
    }

    pub fn take_findings(&mut self) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        std::mem::take(&mut self.findings)
    }

    pub fn get(&self, id: DocId) -> &Document {
        &self.docs[id.0]
    }

    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    /// The parsed definition file at a canonical path (loaded with the catalog).
    pub fn catalog_file(&self, path: &Path) -> Arc<LoadedFile> {
        self.catalog.files[path].clone()
    }

    /// The inline schema of a definition file as a document of its own; a JSON string is parsed
    /// (its errors are placed at the string).
    pub fn open_inline(&mut self, path: &Path) -> Result<DocId, Diagnostic> {
        self.open_place(&Place { path: path.to_owned(), base: "/schema/schema".to_owned(), pointer: String::new() })
    }

    /// Opens a schema file under a catalog root (read once, then shared).
    pub fn open_file(&mut self, path: &Path, from: Option<(DocId, &str)>) -> Result<DocId, Diagnostic> {
        let here = |this: &Self, message: String| match from {
            Some((doc, pointer)) => this.get(doc).diagnostic(pointer, message),
            None => Diagnostic::new(Location::file(path), message),
        };
        let canonical = self.local_file(path).map_err(|m| here(self, m))?;
        self.open_place(&Place { path: canonical, base: String::new(), pointer: String::new() }).map_err(|d| {
            if from.is_some() {
                here(self, d.message)
            } else {
                d
            }
        })
    }

    /// The canonical path of a file references may open, or why it may not be opened.
    pub fn local_file(&self, path: &Path) -> Result<PathBuf, String> {
        let normalized = normalize(path);
        let shown = self.catalog.shown(&normalized);
        // Files of the catalog are known by their canonical paths (virtual ones for a catalog
        // held in memory); only other files are looked up on disk.
        let canonical = if self.catalog.files.contains_key(&normalized) || self.catalog.unread.contains_key(&normalized)
        {
            normalized.clone()
        } else {
            normalized.canonicalize().map_err(|e| format!("cannot open `{}`: {e}", shown.display()))?
        };
        if self.catalog.root_of(&canonical).is_none() {
            return Err(format!("`{}` is outside the catalog root", shown.display()));
        }
        Ok(canonical)
    }

    fn open_place(&mut self, place: &Place) -> Result<DocId, Diagnostic> {
        let key = (place.path.clone(), place.base.clone());
        if let Some(&id) = self.by_place.get(&key) {
            return Ok(id);
        }
        if let Some(d) = self.catalog.unread.get(&place.path) {
            return Err(d.clone());
        }
        let file = match self.catalog.files.get(&place.path) {
            Some(file) => file.clone(),
            None => {
                let shown = self.catalog.shown(&place.path);
                let Some(format) = FileFormat::of(&place.path) else {
                    return Err(Diagnostic::new(
                        Location::file(&shown),
                        format!("`{}` is not a .json, .yaml or .yml file", shown.display()),
                    ));
                };
                let text = source::read_text(&place.path, &shown)?;
                let (value, duplicates) = source::parse(&text, format, &shown)?;
                let mut file = LoadedFile::new(shown, text, value);
                file.duplicates = duplicates;
                Arc::new(file)
            }
        };
        let (root, embedded) = if place.base.is_empty() {
            // A definition file's repeated keys were judged when the catalog was loaded.
            if !is_definition(&file.value) {
                let (errors, warnings) = crate::duplicate_keys::judge(&file, &file.duplicates, false, None);
                self.findings.0.extend(errors);
                self.findings.1.extend(warnings);
            }
            (file.value.clone(), false)
        } else {
            match file.value.at(&place.base) {
                Some(Value::String(text)) => {
                    let location = Location::at(&file.shown, place.base.clone());
                    let (value, duplicates) =
                        source::parse_embedded(text, location).map_err(|d| d.locate_in(&file.text))?;
                    let (errors, warnings) = crate::duplicate_keys::judge(&file, &duplicates, false, Some(&place.base));
                    self.findings.0.extend(errors);
                    self.findings.1.extend(warnings);
                    (value, true)
                }
                Some(value) => (value.clone(), false),
                None => {
                    return Err(Diagnostic::new(Location::at(&file.shown, place.base.clone()), "no schema here")
                        .locate_in(&file.text))
                }
            }
        };
        let root = Arc::new(root);
        let doc = Document {
            uri: uri::file_uri(&place.path),
            path: place.path.clone(),
            file,
            base: place.base.clone(),
            embedded,
            draft: Draft::detect(&root),
            root,
        };
        let id = DocId(self.docs.len());
        self.by_place.insert(key, id);
        let (uri, root, draft) = (doc.uri.clone(), doc.root.clone(), doc.draft);
        self.docs.push(doc);
        // A file outside the catalog walk (under a schema root) declares its `$id`s when opened.
        if !self.catalog.files.contains_key(&place.path) {
            self.index_value(&place.path, &place.base, &root, &uri, draft);
        }
        Ok(id)
    }

    /// Indexes the `$id`s and anchors of every catalog file, in the order of their paths.
    fn index_catalog(&mut self) {
        if self.indexed_catalog {
            return;
        }
        self.indexed_catalog = true;
        let catalog = self.catalog;
        for (path, file) in &catalog.files {
            let uri = uri::file_uri(path);
            match inline_schema(file) {
                Some(Value::String(text)) => {
                    if let Ok((value, _)) = source::parse_embedded(text, Location::file(&file.shown)) {
                        self.index_value(path, "/schema/schema", &value, &uri, Draft::detect(&value));
                    }
                }
                Some(value) => self.index_value(path, "/schema/schema", value, &uri, Draft::detect(value)),
                None if is_definition(&file.value) => {}
                None => self.index_value(path, "", &file.value, &uri, Draft::detect(&file.value)),
            }
        }
    }

    /// Indexes the `$id`s of the files under the schema roots. Files that do not parse are
    /// skipped here; they are reported if a reference opens them.
    fn index_reference_roots(&mut self) {
        if self.indexed_reference_roots {
            return;
        }
        self.indexed_reference_roots = true;
        for root in &self.catalog.reference_roots {
            for entry in walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter().flatten() {
                let path = entry.path();
                if self.catalog.files.contains_key(path) {
                    continue;
                }
                let Some(format) = FileFormat::of(path) else { continue };
                let Ok(text) = source::read_text(path, path) else { continue };
                let Ok((value, _)) = source::parse(&text, format, path) else { continue };
                self.index_value(path, "", &value, &uri::file_uri(path), Draft::detect(&value));
            }
        }
    }

    /// Records every resource (`$id`) and anchor a document declares, with the base URI each is
    /// resolved against. The first declaration of a URI wins.
    fn index_value(&mut self, path: &Path, doc_base: &str, root: &Value, retrieval: &str, draft: Draft) {
        let place =
            |pointer: &str| Place { path: path.to_owned(), base: doc_base.to_owned(), pointer: pointer.to_owned() };
        let mut stack: Vec<(String, &Value, String)> = vec![(String::new(), root, retrieval.to_owned())];
        while let Some((pointer, value, mut base)) = stack.pop() {
            match value {
                Value::Object(map) => {
                    if let Some(id) = draft.id_of(map) {
                        let resolved = uri::resolve(id, &base);
                        let (resource, fragment) = uri::split_fragment(&resolved);
                        if id.starts_with('#') {
                            self.anchors.entry((base.clone(), fragment)).or_insert_with(|| place(&pointer));
                        } else {
                            base = resource.to_owned();
                            self.resources.entry(base.clone()).or_insert_with(|| place(&pointer));
                            self.own_resources
                                .entry((path.to_owned(), doc_base.to_owned(), base.clone()))
                                .or_insert_with(|| place(&pointer));
                            if !fragment.is_empty() {
                                self.anchors.entry((base.clone(), fragment)).or_insert_with(|| place(&pointer));
                            }
                        }
                    }
                    for keyword in ["$anchor", "$dynamicAnchor"] {
                        if let Some(Value::String(name)) = map.get(keyword) {
                            self.anchors.entry((base.clone(), name.clone())).or_insert_with(|| place(&pointer));
                        }
                    }
                    for (key, child) in map {
                        if !holds_data(key) && (child.is_object() || child.is_array()) {
                            stack.push((source::pointer_push(&pointer, key), child, base.clone()));
                        }
                    }
                }
                Value::Array(items) => {
                    for (i, child) in items.iter().enumerate() {
                        if child.is_object() || child.is_array() {
                            stack.push((format!("{pointer}/{i}"), child, base.clone()));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Resolves `reference` found at `pointer` (the `$ref` itself) of `doc` to a document and a
    /// pointer in it.
    pub fn resolve(&mut self, doc: DocId, pointer: &str, reference: &str) -> Result<(DocId, String), Diagnostic> {
        let holder = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
        let base = self.get(doc).base_uri_at(holder);
        let target = uri::resolve(reference, &base);
        let found = match self.find(doc, pointer, reference, &target)? {
            Some(found) => Some(found),
            // The same reference against the file's own location, when `$id`s moved the base
            // somewhere no file answers.
            None if !uri::has_scheme(reference) && base != self.get(doc).uri => {
                let beside = uri::resolve(reference, &self.get(doc).uri.clone());
                self.find(doc, pointer, reference, &beside)?
            }
            None => None,
        };
        let Some((target_doc, target_pointer)) = found else {
            return match self.unresolved_url(doc, pointer, reference, &target) {
                Some(any) => Ok((any, String::new())),
                None => Err(self.unreachable(doc, pointer, reference, &target)),
            };
        };
        if self.get(target_doc).root.at(&target_pointer).is_none() {
            let shown = self.get(target_doc).file.shown.display().to_string();
            return Err(self.get(doc).diagnostic(
                pointer,
                format!("`$ref: {reference}` points to `{target_pointer}`, which does not exist in {shown}"),
            ));
        }
        Ok((target_doc, target_pointer))
    }

    /// The document and pointer an absolute URI names, `None` when nothing in reach has it.
    fn find(
        &mut self,
        doc: DocId,
        pointer: &str,
        reference: &str,
        target: &str,
    ) -> Result<Option<(DocId, String)>, Diagnostic> {
        let (resource, fragment) = uri::split_fragment(target);
        let resource = resource.to_owned();
        self.index_catalog();
        let place = if resource == self.get(doc).uri {
            // The document itself (an inline schema's URI is its definition file's).
            let d = self.get(doc);
            Some(Place { path: d.path.clone(), base: d.base.clone(), pointer: String::new() })
        } else if let Some(place) = {
            let d = self.get(doc);
            self.own_resources.get(&(d.path.clone(), d.base.clone(), resource.clone())).cloned()
        } {
            Some(place)
        } else if let Some(place) = self.resources.get(&resource).cloned() {
            Some(place)
        } else if let Some(path) = self.mapped(doc, pointer, &resource)? {
            Some(Place { path, base: String::new(), pointer: String::new() })
        } else {
            match uri::file_path(&resource) {
                Some(path) if self.exists(&path) => {
                    let path = self.local_file(&path).map_err(|m| {
                        let m = if uri::has_scheme(reference) { format!("`$ref` to `{reference}`: {m}") } else { m };
                        self.get(doc).diagnostic(pointer, m)
                    })?;
                    Some(Place { path, base: String::new(), pointer: String::new() })
                }
                _ => {
                    self.index_reference_roots();
                    self.resources.get(&resource).cloned()
                }
            }
        };
        let Some(mut place) = place else { return Ok(None) };
        if !fragment.is_empty() && !fragment.starts_with('/') {
            // A plain-name fragment: an anchor of that resource.
            self.open_place(&place).map_err(|d| self.reached_from(doc, pointer, d))?;
            let Some(anchor) = self.anchors.get(&(resource.clone(), fragment.clone())).cloned() else {
                return Err(self.get(doc).diagnostic(
                    pointer,
                    format!("`$ref` names an anchor `{fragment}` that no schema of `{resource}` declares"),
                ));
            };
            return Ok(Some((self.open_place(&anchor)?, anchor.pointer)));
        }
        place.pointer.push_str(&fragment);
        if place.base.is_empty() {
            place = self.in_inline_schema(place);
        }
        let found = self.open_place(&place).map_err(|d| self.reached_from(doc, pointer, d))?;
        Ok(Some((found, place.pointer)))
    }

    /// A place in a definition file's inline schema, as a place in that schema's document.
    fn in_inline_schema(&self, place: Place) -> Place {
        let inline = self.catalog.files.get(&place.path).is_some_and(|f| inline_schema(f).is_some());
        match place.pointer.strip_prefix("/schema/schema") {
            Some(rest) if inline && (rest.is_empty() || rest.starts_with('/')) => {
                Place { path: place.path.clone(), base: "/schema/schema".to_owned(), pointer: rest.to_owned() }
            }
            _ => place,
        }
    }

    fn exists(&self, path: &Path) -> bool {
        let normalized = normalize(path);
        self.catalog.files.contains_key(&normalized)
            || self.catalog.unread.contains_key(&normalized)
            || (!self.catalog.is_in_memory() && normalized.exists())
    }

    /// The file a mapped URL prefix gives for `resource`, if a prefix matches.
    fn mapped(&self, doc: DocId, pointer: &str, resource: &str) -> Result<Option<PathBuf>, Diagnostic> {
        // The longest prefix that matches: a more specific mapping wins.
        let mapped = self
            .catalog
            .url_maps
            .iter()
            .filter_map(|(prefix, dir)| {
                let prefix = uri::normalize(prefix);
                let rest = resource.strip_prefix(prefix.as_str())?;
                Some((prefix.len(), normalize(&dir.join(uri::percent_decode(rest))), dir))
            })
            .max_by_key(|(len, ..)| *len)
            .map(|(_, path, dir)| (path, dir));
        let Some((path, dir)) = mapped else { return Ok(None) };
        if !path.starts_with(dir) {
            return Err(self
                .get(doc)
                .diagnostic(pointer, format!("`$ref` to `{resource}` leaves the folder its URL prefix is mapped to")));
        }
        self.local_file(&path).map(Some).map_err(|m| self.get(doc).diagnostic(pointer, m))
    }

    /// The document standing for a URL that nothing in reach declares, when such references are
    /// any JSON value (the default): its schema is `true`, its place the URL. The `$ref` gets a
    /// warning (once). `None` for a file, or when unresolved URLs are errors.
    fn unresolved_url(&mut self, doc: DocId, pointer: &str, reference: &str, target: &str) -> Option<DocId> {
        let (resource, _) = uri::split_fragment(target);
        if self.catalog.unresolved != Unresolved::AnyValue || uri::file_path(resource).is_some() {
            return None;
        }
        if self.warned_unresolved.insert((doc, pointer.to_owned())) {
            let warning = self
                .get(doc)
                .diagnostic(
                    pointer,
                    format!(
                        "`$ref: {reference}` leads to `{resource}`, which no catalog file declares (eventbind \
                         fetches nothing): the value there is typed as any JSON value"
                    ),
                )
                .help(
                    "map the URL to a folder of the catalog under `references: urls:` in eventbind.yaml, or give a \
                     catalog schema that `$id`; `references: {unresolved: error}` makes this an error",
                );
            self.unresolved_warnings.push(warning.clone());
            self.findings.1.push(warning);
        }
        let path = PathBuf::from(format!("<unresolved>/{resource}"));
        let key = (path.clone(), String::new());
        if let Some(&id) = self.by_place.get(&key) {
            return Some(id);
        }
        let root = Arc::new(Value::Bool(true));
        let file = Arc::new(LoadedFile::new(PathBuf::from(resource), "true".to_owned(), Value::Bool(true)));
        let draft = self.get(doc).draft;
        let id = DocId(self.docs.len());
        self.docs.push(Document {
            path,
            file,
            base: String::new(),
            embedded: false,
            root,
            draft,
            uri: resource.to_owned(),
        });
        self.by_place.insert(key, id);
        Some(id)
    }

    /// A file a reference leads to cannot be read: its own error, which says where it went wrong,
    /// and where the reference is.
    fn reached_from(&self, doc: DocId, pointer: &str, mut d: Diagnostic) -> Diagnostic {
        let from = self.get(doc).location(pointer);
        let note = format!("referenced from {from}");
        d.help = Some(match d.help.take() {
            Some(help) => format!("{help}; {note}"),
            None => note,
        });
        d
    }

    fn unreachable(&self, doc: DocId, pointer: &str, reference: &str, target: &str) -> Diagnostic {
        let (resource, _) = uri::split_fragment(target);
        let d = self.get(doc);
        match uri::file_path(resource) {
            Some(path) => {
                let shown = self.catalog.shown(&normalize(&path));
                let message = if self.catalog.root_of(&normalize(&path)).is_none() && !self.exists(&path) {
                    format!("`$ref: {reference}` leads to `{}`, which is outside the catalog root", shown.display())
                } else {
                    format!("`$ref: {reference}`: cannot open `{}`: no such file", shown.display())
                };
                d.diagnostic(pointer, message)
                    .help("relative references are resolved against the base URI: the file's location, or its `$id`")
            }
            None => d
                .diagnostic(pointer, format!("`$ref` to `{resource}`: eventbind fetches nothing from the network"))
                .help(
                    "map the URL to a folder of the catalog under `references: urls:` in eventbind.yaml, give a \
                     catalog schema that `$id`, or refer to the file by a relative path",
                ),
        }
    }

    /// The root value of `doc`, shared so that lowering can hold it while resolving more.
    pub fn root(&self, doc: DocId) -> Arc<Value> {
        self.get(doc).root.clone()
    }
}
