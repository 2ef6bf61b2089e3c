//! `eventbind docs`: a static site about the catalog, as HTML (works from `file://` and any
//! static host: relative links, the search index embedded in the page) and as Markdown. The
//! [`model`] is built from the catalog, the IR, the schemas ([`fields`], [`example`], [`example_avro`], [`example_proto`]) and git
//! history ([`history`]); [`render`] puts it through handlebars templates.

// Diagnostics are large, and only made on the cold path of bad input.
#![allow(clippy::result_large_err)]

mod example;
mod example_avro;
mod example_proto;
mod fields;
mod history;
mod model;
mod render;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use eventbind_build::catalog::Catalog;
use eventbind_build::diagnostic::Result;

pub use fields::FieldRow;
pub use history::VersionEntry;
pub use model::EventPage;

/// A rendered site: relative path → content.
#[derive(Debug)]
pub struct Site {
    pub pages: Vec<EventPage>,
    pub files: BTreeMap<PathBuf, String>,
}

/// Builds the site for a catalog folder (its git history too, when it is in a repository).
pub fn build(catalog_dir: &Path) -> Result<Site> {
    let catalog = Catalog::load(&[catalog_dir])?;
    let history = history::history(catalog_dir);
    let pages = model::pages(&catalog, &history);
    let title = catalog_dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "catalog".into());
    let files = render::render(&title, &pages);
    Ok(Site { pages, files })
}

impl Site {
    /// Writes every file under `out` (only files whose content changed are rewritten).
    pub fn write(&self, out: &Path) -> std::io::Result<()> {
        for (path, content) in &self.files {
            eventbind_build::output::write_if_changed(&out.join(path), content.as_bytes())?;
        }
        Ok(())
    }
}
