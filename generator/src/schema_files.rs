//! Schema files in formats the catalog loader does not parse (`.avsc`, `.proto`), found under the
//! catalog roots for the front ends that resolve names and imports across files.

use std::path::PathBuf;

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Location};

/// One schema file: where it is, how users know it, and its path inside its root (`/`-separated).
#[derive(Debug, Clone)]
pub struct SchemaFile {
    pub path: PathBuf,
    pub shown: PathBuf,
    pub relative: String,
    pub text: String,
}

/// Every file with extension `ext` under the catalog roots, sorted by root then path. Hidden files
/// and folders are skipped, and links that leave the catalog are not followed, as for the loader.
pub(crate) fn find(catalog: &Catalog, ext: &str) -> (Vec<SchemaFile>, Vec<Diagnostic>) {
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    for (root, canonical) in catalog.roots.iter().zip(&catalog.canonical_roots) {
        let walker = walkdir::WalkDir::new(canonical)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != ext) {
                continue;
            }
            let Ok(real) = path.canonicalize() else { continue };
            if !real.starts_with(canonical) || !real.is_file() {
                continue;
            }
            let rel = path.strip_prefix(canonical).unwrap_or(path);
            let shown = root.join(rel);
            match crate::source::read_text(&real, &shown) {
                Ok(text) => files.push(SchemaFile { path: real, shown, relative: crate::display_path(rel), text }),
                Err(d) => problems.push(d),
            }
        }
    }
    (files, problems)
}

/// Line and column (1-based, in characters) of a byte offset in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary_compat(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// A diagnostic at a byte offset of a schema file, with its source line.
pub(crate) fn at_offset(file: &SchemaFile, offset: usize, message: impl Into<String>) -> Diagnostic {
    let (line, col) = line_col(&file.text, offset);
    let mut d =
        Diagnostic::new(Location { file: file.shown.clone(), pointer: None, line_col: Some((line, col)) }, message);
    d.source_line = file.text.lines().nth(line - 1).map(str::to_owned);
    d
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}
