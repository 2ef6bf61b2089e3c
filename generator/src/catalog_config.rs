//! The catalog's own configuration file, `eventbind.yaml` (or `.yml`) at a catalog root. Its
//! `lint` section is read by `eventbind lint` ([`crate::lint::LintConfig`]); its `references`
//! section is read whenever the catalog is loaded, so the CLI, `build.rs` and the macros resolve
//! references the same way:
//!
//! ```yaml
//! references:
//!   urls:                                   # URL prefix → folder holding the same files
//!     https://example.com/schemas/: schemas
//!     "file://": .                          # `file://other.schema.json` → ./other.schema.json
//!   roots: [../shared-schemas]              # folders references may point into
//!   unresolved: error                       # default `any-value`
//! ```
//!
//! Folders are relative to the configuration file. Nothing is ever fetched: a mapped URL is read
//! from its folder. A URL that nothing maps or declares is, by default, any JSON value there
//! (kept as it came) with a warning; `unresolved: error` makes it an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::catalog::{References, Unresolved};
use crate::diagnostic::{Diagnostic, Location};
use crate::source::{self, FileFormat};

/// The configuration file names looked for at the catalog root.
pub const CONFIG_FILES: &[&str] = &["eventbind.yaml", "eventbind.yml"];

#[derive(Debug, Default, Deserialize)]
struct File {
    #[serde(default)]
    references: ReferencesSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferencesSection {
    #[serde(default)]
    urls: BTreeMap<String, String>,
    #[serde(default)]
    roots: Vec<String>,
    #[serde(default)]
    unresolved: Unresolved,
}

/// The configuration file at `root`, if there is one: its path and text.
pub(crate) fn find(root: &Path) -> Option<PathBuf> {
    CONFIG_FILES.iter().map(|name| root.join(name)).find(|p| p.is_file())
}

/// The `references` section of a configuration file's text, its folders joined onto `dir` (the
/// file's folder). `shown` names the file in diagnostics.
pub(crate) fn references(text: &str, shown: &Path, dir: &Path) -> Result<References, Diagnostic> {
    // Parsed as a value first so that syntax errors carry line and column.
    source::parse(text, FileFormat::Yaml, shown)?;
    let file: File = serde_yaml_ng::from_str(text).map_err(|e| {
        let line_col = e.location().map(|l| (l.line(), l.column()));
        Diagnostic::new(
            Location { file: shown.to_owned(), pointer: None, line_col },
            format!("invalid configuration: {e}"),
        )
        .help(
            "`references:` holds `urls` (URL prefix → folder), `roots` (folders) and `unresolved` \
             (`any-value` or `error`)",
        )
        .locate_in(text)
    })?;
    let section = file.references;
    let mut references = References::default();
    for (prefix, folder) in section.urls {
        if !super::json_schema::uri::has_scheme(&prefix) {
            return Err(Diagnostic::new(
                Location::at(shown, source::pointer_push("/references/urls", &prefix)),
                format!("`{prefix}` is not a URL prefix"),
            )
            .help("a prefix starts with a scheme, e.g. `https://example.com/schemas/` or `file://`")
            .locate_in(text));
        }
        references.url_maps.push((prefix, dir.join(folder)));
    }
    references.roots.extend(section.roots.iter().map(|r| dir.join(r)));
    references.unresolved = section.unresolved;
    Ok(references)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_roots_are_relative_to_the_file() {
        let text = "lint:\n  except: [EB040]\nreferences:\n  urls:\n    https://x.test/s/: schemas\n    'file://': .\n  roots: [../shared]\n";
        let r = references(text, Path::new("c/eventbind.yaml"), Path::new("/c")).unwrap();
        assert_eq!(
            r.url_maps,
            [
                ("file://".to_owned(), PathBuf::from("/c/.")),
                ("https://x.test/s/".to_owned(), PathBuf::from("/c/schemas"))
            ]
        );
        assert_eq!(r.roots, [PathBuf::from("/c/../shared")]);
        assert_eq!(r.unresolved, Unresolved::AnyValue);
        let r = references("references:\n  unresolved: error\n", Path::new("e.yaml"), Path::new("/")).unwrap();
        assert_eq!(r.unresolved, Unresolved::Error);
        let e = references("references:\n  unresolved: fetch\n", Path::new("e.yaml"), Path::new("/")).unwrap_err();
        assert!(e.message.contains("unknown variant `fetch`"), "{e}");
        assert_eq!(e.location.line_col.map(|l| l.0), Some(2), "{e}");
        let e = references("references:\n  url: {}\n", Path::new("e.yaml"), Path::new("/")).unwrap_err();
        assert!(e.message.contains("unknown field `url`"), "{e}");
        let e = references("references:\n  urls: {schemas/: x}\n", Path::new("e.yaml"), Path::new("/")).unwrap_err();
        assert_eq!(e.location.line_col, Some((2, 20)), "{e}");
    }
}
