//! Schema documents and `$ref` resolution. A reference may point inside its document, to another
//! file under a catalog root (relative path, optional `#` fragment), or to an `$id` that some
//! catalog document declares. Nothing is fetched: any other URL is an error.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::catalog::{Catalog, LoadedFile};
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

    /// The keyword that names a schema's identifier in this draft.
    fn id_keyword(self) -> &'static str {
        if self == Draft::Draft4 {
            "id"
        } else {
            "$id"
        }
    }
}

#[derive(Debug)]
pub struct Document {
    /// Canonical path of the file it lives in; relative references resolve against it.
    pub path: PathBuf,
    pub file: Arc<LoadedFile>,
    /// Pointer of the document's root inside the file (non-empty for inline schemas).
    pub base: String,
    /// The schema is a JSON string inside the file: places in it are shown as the string's place.
    pub embedded: bool,
    pub root: Arc<Value>,
    pub draft: Draft,
    /// Plain-name fragments (`$anchor`, draft-04 `id: "#name"`) → pointer.
    anchors: HashMap<String, String>,
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
}

/// Every schema document in use, plus the `$id` index over the catalog.
#[derive(Debug)]
pub struct Documents<'c> {
    catalog: &'c Catalog,
    docs: Vec<Document>,
    by_path: HashMap<PathBuf, DocId>,
    /// Absolute `$id` (without trailing `#`) → document and pointer.
    ids: HashMap<String, (DocId, String)>,
    /// Root `$id`s of every catalog file, so a URL reference can find a file not yet opened.
    file_ids: HashMap<String, PathBuf>,
    /// Whether the schema roots' files were read for their `$id`s (done once, on the first URL
    /// no catalog file declares).
    scanned_reference_roots: bool,
}

fn scheme(reference: &str) -> bool {
    let mut chars = reference.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && reference
            .split_once(':')
            .is_some_and(|(s, _)| s.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) && s.len() > 1)
}

fn root_id(value: &Value) -> Option<&str> {
    value
        .get("$id")
        .or_else(|| value.get("id"))
        .and_then(Value::as_str)
        .map(|id| id.trim_end_matches('#'))
        .filter(|id| scheme(id))
}

/// `..` and `.` removed lexically, so that a path can be checked against the roots before it is
/// opened.
fn normalize(path: &Path) -> PathBuf {
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

/// Joins a relative reference onto a base URI (`https://x/a/b.json` + `c.json` → `https://x/a/c.json`).
fn join_uri(base: &str, relative: &str) -> String {
    match base.rfind('/') {
        Some(i) => format!("{}{relative}", &base[..=i]),
        None => relative.to_owned(),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl<'c> Documents<'c> {
    pub fn new(catalog: &'c Catalog) -> Self {
        let file_ids = catalog
            .files
            .iter()
            .filter_map(|(path, file)| root_id(&file.value).map(|id| (id.to_owned(), path.clone())))
            .collect();
        Documents {
            catalog,
            docs: Vec::new(),
            by_path: HashMap::new(),
            ids: HashMap::new(),
            file_ids,
            scanned_reference_roots: false,
        }
    }

    pub fn get(&self, id: DocId) -> &Document {
        &self.docs[id.0]
    }

    /// The parsed definition file at a canonical path (loaded with the catalog).
    pub fn catalog_file(&self, path: &Path) -> Arc<LoadedFile> {
        self.catalog.files[path].clone()
    }

    /// Registers an inline schema of a definition file as a document of its own.
    pub fn add_inline(&mut self, path: &Path, file: Arc<LoadedFile>, base: &str, root: Value, embedded: bool) -> DocId {
        self.push(Document {
            path: path.to_owned(),
            file,
            base: base.to_owned(),
            embedded,
            draft: Draft::detect(&root),
            root: Arc::new(root),
            anchors: HashMap::new(),
        })
    }

    /// Opens a schema file under a catalog root (read once, then shared).
    pub fn open_file(&mut self, path: &Path, from: Option<(DocId, &str)>) -> Result<DocId, Diagnostic> {
        let here = |this: &Self, message: String| match from {
            Some((doc, pointer)) => this.get(doc).diagnostic(pointer, message),
            None => Diagnostic::new(Location::file(path), message),
        };
        let normalized = normalize(path);
        let shown = self.catalog.shown(&normalized);
        // Files of the catalog are known by their canonical paths (virtual ones for a catalog
        // held in memory); only other files are looked up on disk.
        let canonical = if self.catalog.files.contains_key(&normalized) {
            normalized.clone()
        } else {
            match normalized.canonicalize() {
                Ok(c) => c,
                Err(e) => return Err(here(self, format!("cannot open `{}`: {e}", shown.display()))),
            }
        };
        if self.catalog.root_of(&canonical).is_none() {
            return Err(here(self, format!("`{}` is outside the catalog root", shown.display()))
                .help("schema files must live under the catalog folder; copy the schema into the catalog"));
        }
        if let Some(&id) = self.by_path.get(&canonical) {
            return Ok(id);
        }
        let file = match self.catalog.files.get(&canonical) {
            Some(file) => file.clone(),
            None => {
                let Some(format) = FileFormat::of(&canonical) else {
                    return Err(here(self, format!("`{}` is not a .json, .yaml or .yml file", normalized.display())));
                };
                let shown = normalized.clone();
                let text = source::read_text(&canonical, &shown)?;
                let value = source::parse(&text, format, &shown)?;
                Arc::new(LoadedFile { shown, text, value })
            }
        };
        let root = Arc::new(file.value.clone());
        Ok(self.push(Document {
            path: canonical,
            file,
            base: String::new(),
            embedded: false,
            draft: Draft::detect(&root),
            root,
            anchors: HashMap::new(),
        }))
    }

    fn push(&mut self, doc: Document) -> DocId {
        let id = DocId(self.docs.len());
        // Only whole files are found by path: an inline schema is a part of its definition file.
        if doc.base.is_empty() {
            self.by_path.entry(doc.path.clone()).or_insert(id);
        }
        self.docs.push(doc);
        self.index_ids(id);
        id
    }

    /// Records every `$id` / `id` and `$anchor` inside a document.
    fn index_ids(&mut self, id: DocId) {
        let draft = self.docs[id.0].draft;
        let mut found_ids = Vec::new();
        let mut anchors = HashMap::new();
        let root = self.docs[id.0].root.clone();
        let mut stack: Vec<(String, &Value)> = vec![(String::new(), &root)];
        while let Some((pointer, value)) = stack.pop() {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(ident)) = map.get(draft.id_keyword()) {
                        if let Some(name) = ident.strip_prefix('#') {
                            anchors.insert(name.to_owned(), pointer.clone());
                        } else if scheme(ident) {
                            found_ids.push((ident.trim_end_matches('#').to_owned(), pointer.clone()));
                        }
                    }
                    if let Some(Value::String(anchor)) = map.get("$anchor") {
                        anchors.insert(anchor.clone(), pointer.clone());
                    }
                    for (key, child) in map {
                        // `enum`, `const`, `default` and `examples` hold data, not schemas.
                        if !matches!(key.as_str(), "enum" | "const" | "default" | "examples" | "x-extensible-enum") {
                            stack.push((source::pointer_push(&pointer, key), child));
                        }
                    }
                }
                Value::Array(items) => {
                    for (i, child) in items.iter().enumerate() {
                        stack.push((format!("{pointer}/{i}"), child));
                    }
                }
                _ => {}
            }
        }
        for (ident, pointer) in found_ids {
            self.ids.entry(ident).or_insert((id, pointer));
        }
        self.docs[id.0].anchors = anchors;
    }

    /// Resolves `reference` found at `pointer` of `doc` to a document and a pointer in it.
    pub fn resolve(&mut self, doc: DocId, pointer: &str, reference: &str) -> Result<(DocId, String), Diagnostic> {
        let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let (target_doc, base) = if target.is_empty() {
            (doc, String::new())
        } else if scheme(target) {
            self.by_uri(doc, pointer, target)?
        } else {
            let relative = percent_decode(target);
            let base_dir = self.get(doc).path.parent().map(Path::to_path_buf).unwrap_or_default();
            let candidate = base_dir.join(&relative);
            if self.catalog.files.contains_key(&normalize(&candidate)) || normalize(&candidate).exists() {
                (self.open_file(&candidate, Some((doc, pointer)))?, String::new())
            } else if let Some(base_id) = root_id(&self.get(doc).root).map(str::to_owned) {
                self.by_uri(doc, pointer, &join_uri(&base_id, target))?
            } else {
                (self.open_file(&candidate, Some((doc, pointer)))?, String::new())
            }
        };
        let fragment = percent_decode(fragment);
        let target_pointer = if fragment.is_empty() || fragment.starts_with('/') {
            format!("{base}{fragment}")
        } else {
            match self.get(target_doc).anchors.get(&fragment) {
                Some(p) => p.clone(),
                None => {
                    return Err(self.get(doc).diagnostic(
                        pointer,
                        format!("`$ref: {reference}` names an anchor `{fragment}` that no schema declares"),
                    ))
                }
            }
        };
        if self.get(target_doc).root.pointer(&target_pointer).is_none() {
            let shown = self.get(target_doc).file.shown.display().to_string();
            return Err(self.get(doc).diagnostic(
                pointer,
                format!("`$ref: {reference}` points to `{target_pointer}`, which does not exist in {shown}"),
            ));
        }
        Ok((target_doc, target_pointer))
    }

    fn by_uri(&mut self, doc: DocId, pointer: &str, uri: &str) -> Result<(DocId, String), Diagnostic> {
        let uri = uri.trim_end_matches('#');
        if let Some((id, at)) = self.ids.get(uri) {
            return Ok((*id, at.clone()));
        }
        if let Some(path) = self.file_ids.get(uri).cloned() {
            return Ok((self.open_file(&path, Some((doc, pointer)))?, String::new()));
        }
        let mapped = self.catalog.url_maps.iter().find_map(|(prefix, dir)| {
            uri.strip_prefix(prefix.as_str()).map(|rest| (normalize(&dir.join(percent_decode(rest))), dir))
        });
        if let Some((path, dir)) = mapped {
            if !path.starts_with(dir) {
                return Err(self
                    .get(doc)
                    .diagnostic(pointer, format!("`$ref` to `{uri}` leaves the folder its URL prefix is mapped to")));
            }
            return Ok((self.open_file(&path, Some((doc, pointer)))?, String::new()));
        }
        if !self.scanned_reference_roots {
            self.scanned_reference_roots = true;
            self.scan_reference_roots();
            if let Some(path) = self.file_ids.get(uri).cloned() {
                return Ok((self.open_file(&path, Some((doc, pointer)))?, String::new()));
            }
        }
        Err(self
            .get(doc)
            .diagnostic(pointer, format!("`$ref` to `{uri}`: eventbind fetches nothing from the network"))
            .help("put the referenced schema in the catalog and refer to it by a relative path, or give it that `$id`"))
    }

    /// Indexes the root `$id` of every JSON or YAML file under the schema roots. Files that do
    /// not parse are skipped here; they are reported if a reference opens them.
    fn scan_reference_roots(&mut self) {
        for root in &self.catalog.reference_roots {
            for entry in walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter().flatten() {
                let path = entry.path();
                let Some(format) = FileFormat::of(path) else { continue };
                let Ok(text) = source::read_text(path, path) else { continue };
                let Ok(value) = source::parse(&text, format, path) else { continue };
                if let Some(id) = root_id(&value) {
                    self.file_ids.entry(id.to_owned()).or_insert_with(|| path.to_owned());
                }
            }
        }
    }

    /// The root value of `doc`, shared so that lowering can hold it while resolving more.
    pub fn root(&self, doc: DocId) -> Arc<Value> {
        self.get(doc).root.clone()
    }
}
