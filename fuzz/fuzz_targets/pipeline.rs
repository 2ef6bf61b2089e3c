//! The engine from catalog files in memory to Rust, as the build API runs it.

use std::path::{Path, PathBuf};

use eventbind_build::catalog::Catalog;
use eventbind_build::filter::Filter;
use eventbind_build::rust::RustOptions;

/// Loads, lowers and renders; any outcome but a panic or a hang is fine.
pub fn run(files: Vec<(PathBuf, Vec<u8>)>) {
    let Ok(catalog) = Catalog::load_in_memory(Path::new("events"), files) else { return };
    let Ok(model) = eventbind_build::lowering::lower_catalog(&catalog, &Filter::default()) else { return };
    let _ = eventbind_build::rust::generate(&model, &RustOptions::default());
}
