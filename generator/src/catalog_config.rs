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

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::catalog::{References, Unresolved};
use crate::diagnostic::{Diagnostic, Location};
use crate::source::{self, FileFormat};

/// The configuration file names looked for at the catalog root.
pub const CONFIG_FILES: &[&str] = &["eventbind.yaml", "eventbind.yml"];

/// The configuration file at `root`, if there is one: its path and text.
pub(crate) fn find(root: &Path) -> Option<PathBuf> {
    CONFIG_FILES.iter().map(|name| root.join(name)).find(|p| p.is_file())
}

/// The `references` section of a configuration file's text, its folders joined onto `dir` (the
/// file's folder). `shown` names the file in diagnostics.
pub(crate) fn references(text: &str, shown: &Path, dir: &Path) -> Result<References, Diagnostic> {
    let (file, _) = source::parse(text, FileFormat::Yaml, shown)?;
    let invalid = |pointer: String, message: String| {
        Diagnostic::new(Location::at(shown, pointer), format!("invalid configuration: {message}"))
            .help(
                "`references:` holds `urls` (URL prefix → folder), `roots` (folders) and `unresolved` \
                 (`any-value` or `error`)",
            )
            .locate_in(text)
    };
    let section = match file.get("references") {
        None | Some(Value::Null) => return Ok(References::default()),
        Some(Value::Object(section)) => section,
        Some(_) => return Err(invalid("/references".into(), "`references` must be a mapping".into())),
    };
    let (mut urls, mut roots, mut unresolved) = (Vec::new(), Vec::new(), Unresolved::default());
    for (key, value) in section {
        let at = source::pointer_push("/references", key);
        let strings = |value: &Value, what: &str| -> Result<String, Diagnostic> {
            value
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| invalid(at.clone(), format!("{what} must be a folder name")))
        };
        match (key.as_str(), value) {
            ("urls", Value::Object(map)) => {
                for (prefix, folder) in map {
                    urls.push((prefix.clone(), strings(folder, &format!("`{prefix}`"))?));
                }
            }
            ("roots", Value::Array(items)) => {
                for item in items {
                    roots.push(strings(item, "each root")?);
                }
            }
            ("unresolved", Value::String(_)) => {
                unresolved = serde_json::from_value(value.clone())
                    .map_err(|_| invalid(at.clone(), format!("`unresolved` is `any-value` or `error`, not {value}")))?;
            }
            ("unresolved", _) => return Err(invalid(at, "`unresolved` is `any-value` or `error`".into())),
            ("urls", _) => return Err(invalid(at, "`urls` must be a mapping of URL prefixes to folders".into())),
            ("roots", _) => return Err(invalid(at, "`roots` must be a list of folders".into())),
            _ => return Err(invalid(at, format!("unknown field `{key}`, expected `urls`, `roots` or `unresolved`"))),
        }
    }
    // Longest-prefix matching does not depend on the order; sorted, the output does not either.
    urls.sort();
    let mut references = References::default();
    for (prefix, folder) in urls {
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
    references.roots.extend(roots.iter().map(|r| dir.join(r)));
    references.unresolved = unresolved;
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
        assert!(e.message.contains("`unresolved` is `any-value` or `error`, not \"fetch\""), "{e}");
        assert_eq!(e.location.line_col.map(|l| l.0), Some(2), "{e}");
        let e = references("references:\n  url: {}\n", Path::new("e.yaml"), Path::new("/")).unwrap_err();
        assert!(e.message.contains("unknown field `url`"), "{e}");
        let e = references("references:\n  urls: {schemas/: x}\n", Path::new("e.yaml"), Path::new("/")).unwrap_err();
        assert_eq!(e.location.line_col, Some((2, 20)), "{e}");
    }
}
