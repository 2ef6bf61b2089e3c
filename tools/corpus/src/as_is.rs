//! The "catalog as-is" measure: a whole corpus folder as one catalog, unedited. The corpus folder
//! is a catalog root as it is (drafts, tests, READMEs and broken files included), and a folder of
//! definitions beside it holds one `undefined` event type per schema of the corpus (the schemas
//! `measure` takes, each by a `$ref` to its file and place). One `generate` of the whole catalog
//! either accepts it or reports every error, each naming a file and a place.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cases::{Case, SchemaAt};

/// What generating one corpus as one catalog gave.
#[derive(Debug)]
pub struct AsIs {
    pub event_types: usize,
    pub accepted: bool,
    /// Each error's file and first line.
    pub errors: Vec<(String, String)>,
    /// Each warning's file and first line (of an accepted catalog).
    pub warnings: Vec<(String, String)>,
    pub seconds: f64,
}

impl AsIs {
    /// Errors in files that are themselves invalid: they do not parse, repeat a key that changes
    /// what is generated, or refer to a place that does not exist.
    pub fn invalid_file_errors(&self) -> usize {
        self.errors.iter().filter(|(_, m)| invalid_file(m)).count()
    }
}

fn invalid_file(message: &str) -> bool {
    ["invalid JSON", "invalid YAML", "not valid UTF-8", "duplicate key", "is not valid JSON", "which does not exist"]
        .iter()
        .any(|m| message.contains(m))
}

/// Writes the definitions of `cases` (one corpus) into `defs` and generates the catalog of the
/// definitions and the corpus folder `root`.
pub fn run(root: &Path, cases: &[&Case], defs: &Path) -> std::io::Result<AsIs> {
    let _ = std::fs::remove_dir_all(defs);
    std::fs::create_dir_all(defs)?;
    let mut event_types = 0;
    let mut maps: Vec<(String, PathBuf)> = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let SchemaAt::File { relative, pointer } = &case.schema else { continue };
        let file = case.root.join(relative).canonicalize()?;
        let reference = format!("{}#{pointer}", file_uri(&file));
        let definition = format!(
            "name: corpus.c{i:05}\nowning_application: corpus\ncategory: undefined\nschema:\n  type: json_schema\n  schema: {}\n",
            serde_json::json!({ "$ref": reference })
        );
        std::fs::write(defs.join(format!("c{i:05}.yaml")), definition)?;
        event_types += 1;
        for map in &case.url_maps {
            if !maps.contains(map) {
                maps.push(map.clone());
            }
        }
    }
    let mut config = eventbind_build::Config::new();
    config.catalog(defs).catalog(root).cargo_output(false);
    for (prefix, dir) in &maps {
        config.map_url(prefix, dir);
    }
    let started = Instant::now();
    let generated = config.generate();
    let seconds = started.elapsed().as_secs_f64();
    Ok(match generated {
        Ok(g) => AsIs { event_types, accepted: true, errors: Vec::new(), warnings: lines(&g.warnings), seconds },
        Err(e) => AsIs { event_types, accepted: false, errors: lines(e.diagnostics()), warnings: Vec::new(), seconds },
    })
}

fn lines(diagnostics: &[eventbind_build::Diagnostic]) -> Vec<(String, String)> {
    diagnostics
        .iter()
        .map(|d| (d.location.to_string(), d.message.lines().next().unwrap_or_default().to_owned()))
        .collect()
}

fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
