//! Paths in macro arguments are relative to the crate's `CARGO_MANIFEST_DIR` (a proc macro's
//! working directory is not the crate's), and files are shown to the user relative to it again,
//! so messages do not depend on where the checkout lives.

use std::path::{Path, PathBuf};

use eventbind_build::Diagnostic;

pub fn manifest_dir() -> Result<PathBuf, String> {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| "CARGO_MANIFEST_DIR is not set: build the crate with cargo".to_owned())
}

/// `path` relative to the manifest folder where it is inside it, with `/` separators.
pub fn shown(manifest: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(manifest).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The diagnostics of an engine error, rendered like rustc's, with files relative to the manifest.
pub fn render(manifest: &Path, error: &eventbind_build::Error) -> String {
    let rendered: Vec<String> = error
        .diagnostics()
        .iter()
        .map(|d| {
            let mut d: Diagnostic = d.clone();
            d.location.file = PathBuf::from(shown(manifest, &d.location.file));
            d.to_string()
        })
        .collect();
    let mut text = rendered.join("\n\n");
    if rendered.len() > 1 {
        text.push_str(&format!("\n\n{} errors in the catalog", rendered.len()));
    }
    text
}
