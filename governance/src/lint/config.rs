//! Lint configuration: `eventbind.yaml` at the catalog root, in the manner of buf's
//! `use`/`except`/`ignore`/`ignore_only`, and the inline ignores.
//!
//! ```yaml
//! lint:
//!   use: [NAMING, SCHEMA, EB050]   # rule IDs, names or categories; default: every rule
//!   except: [EB022]                # taken out of `use`
//!   ignore: [legacy/**]            # files (globs relative to the catalog root) not linted
//!   ignore_only:                   # files one rule skips
//!     EB050: [crm/**]
//! ```
//!
//! Inline: a YAML comment `# eventbind:ignore EB050 EB060` on the line a finding points at, or
//! on the line above, silences those rules there; `x-eventbind-ignore: [EB050]` in a schema
//! object (also inside JSON files and schema strings) silences them for that object and
//! everything in it, and at the top level of a definition for the whole definition.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use super::rules::{Rule, RULES};
use eventbind_build::diagnostic::{Diagnostic, Error, Location};
use eventbind_build::source::{self, FileFormat};

pub use eventbind_build::catalog_config::CONFIG_FILES;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    lint: LintSection,
    /// Read when the catalog is loaded ([`eventbind_build::catalog_config`]).
    #[serde(default)]
    #[allow(dead_code)]
    references: serde::de::IgnoredAny,
    /// Read by `publish` and `check --registry` ([`crate::registry_config`]).
    #[serde(default)]
    #[allow(dead_code)]
    registry: serde::de::IgnoredAny,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LintSection {
    #[serde(default, rename = "use")]
    use_: Vec<String>,
    #[serde(default)]
    except: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    ignore_only: BTreeMap<String, Vec<String>>,
}

/// The lint configuration in force.
#[derive(Debug)]
pub struct LintConfig {
    enabled: Vec<&'static str>,
    ignore: GlobSet,
    ignore_only: BTreeMap<&'static str, GlobSet>,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            enabled: RULES.iter().map(|r| r.id).collect(),
            ignore: GlobSet::empty(),
            ignore_only: BTreeMap::new(),
        }
    }
}

fn matching(key: &str) -> Vec<&'static Rule> {
    RULES.iter().filter(|r| r.id == key || r.name == key || r.category == key || key == "ALL").collect()
}

fn globs(patterns: &[String], at: &dyn Fn(&str) -> Diagnostic) -> Result<GlobSet, Diagnostic> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        builder.add(Glob::new(p).map_err(|e| at(&format!("invalid glob `{p}`: {e}")))?);
    }
    builder.build().map_err(|e| at(&format!("invalid globs: {e}")))
}

impl LintConfig {
    /// Reads `eventbind.yaml` (or `.yml`) at the catalog root, if there is one.
    pub fn load(root: &Path) -> Result<LintConfig, Error> {
        for name in CONFIG_FILES {
            let path = root.join(name);
            if path.is_file() {
                let text = source::read_text(&path, &path)?;
                return LintConfig::parse(&text, &path).map_err(Error::from);
            }
        }
        Ok(LintConfig::default())
    }

    pub fn parse(text: &str, shown: &Path) -> Result<LintConfig, Diagnostic> {
        // Parsed as a value first so that syntax errors carry line and column.
        source::parse(text, FileFormat::Yaml, shown)?;
        let file: File = serde_yaml_ng::from_str(text).map_err(|e| {
            let line_col = e.location().map(|l| (l.line(), l.column()));
            Diagnostic::new(
                Location { file: shown.to_owned(), pointer: None, line_col },
                format!("invalid lint configuration: {e}"),
            )
            .help("keys under `lint:` are `use`, `except`, `ignore` and `ignore_only`")
            .locate_in(text)
        })?;
        let at = |pointer: &str| {
            let pointer = pointer.to_owned();
            move |message: &str| {
                Diagnostic::new(Location::at(shown, pointer.clone()), message.to_owned()).locate_in(text)
            }
        };
        let lint = file.lint;
        let known = |key: &str, pointer: &str| -> Result<Vec<&'static Rule>, Diagnostic> {
            let found = matching(key);
            if found.is_empty() {
                return Err(at(pointer)(&format!("unknown rule, name or category `{key}`"))
                    .help("see `eventbind lint --list-rules` for the IDs, names and categories"));
            }
            Ok(found)
        };
        let mut enabled: Vec<&'static str> = Vec::new();
        if lint.use_.is_empty() {
            enabled = RULES.iter().map(|r| r.id).collect();
        }
        for (i, key) in lint.use_.iter().enumerate() {
            for r in known(key, &format!("/lint/use/{i}"))? {
                if !enabled.contains(&r.id) {
                    enabled.push(r.id);
                }
            }
        }
        for (i, key) in lint.except.iter().enumerate() {
            let out: Vec<&str> = known(key, &format!("/lint/except/{i}"))?.iter().map(|r| r.id).collect();
            enabled.retain(|id| !out.contains(id));
        }
        let ignore = globs(&lint.ignore, &at("/lint/ignore"))?;
        let mut ignore_only = BTreeMap::new();
        for (key, patterns) in &lint.ignore_only {
            let pointer = format!("/lint/ignore_only/{key}");
            let set = globs(patterns, &at(&pointer))?;
            for r in known(key, &pointer)? {
                ignore_only.insert(r.id, set.clone());
            }
        }
        Ok(LintConfig { enabled, ignore, ignore_only })
    }

    pub fn enabled(&self, id: &str) -> bool {
        self.enabled.contains(&id)
    }

    /// Whether `rule` skips `relative` (a path under the catalog root).
    pub fn ignores(&self, id: &str, relative: &Path) -> bool {
        self.ignore.is_match(relative) || self.ignore_only.get(id).is_some_and(|g| g.is_match(relative))
    }
}

/// Rules silenced by `# eventbind:ignore ID…` on `line` (1-based) or the line above.
pub fn inline_ignored(text: &str, line: usize, id: &str, name: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    [line, line.saturating_sub(1)].iter().filter(|l| **l >= 1).filter_map(|l| lines.get(l - 1)).any(|l| {
        l.find("eventbind:ignore").is_some_and(|at| {
            let rest = &l[at + "eventbind:ignore".len()..];
            let ids: Vec<&str> =
                rest.split(|c: char| c.is_whitespace() || c == ',').filter(|s| !s.is_empty()).collect();
            ids.is_empty() || ids.iter().any(|s| *s == id || *s == name)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_except_and_globs() {
        let c = LintConfig::parse(
            "lint:\n  use: [NAMING, EB050]\n  except: [EB003]\n  ignore_only:\n    EB050: [crm/**]\n",
            Path::new("e.yaml"),
        )
        .unwrap();
        assert!(c.enabled("EB001") && c.enabled("EB050") && !c.enabled("EB003") && !c.enabled("EB040"));
        assert!(c.ignores("EB050", Path::new("crm/x.yaml")) && !c.ignores("EB001", Path::new("crm/x.yaml")));
        let e = LintConfig::parse("lint:\n  except: [EB999]\n", Path::new("e.yaml")).unwrap_err();
        assert_eq!(e.location.line_col, Some((2, 12)), "{e}");
        assert!(LintConfig::parse("lint:\n  usee: []\n", Path::new("e.yaml")).is_err());
        // The other sections are read elsewhere.
        LintConfig::parse("registry:\n  subject_strategy: record\nreferences: {roots: []}\n", Path::new("e.yaml"))
            .unwrap();
    }

    #[test]
    fn inline_comments() {
        let text = "a: 1 # eventbind:ignore EB050\n# eventbind:ignore EB003, EB040\nname: X\nb: 2\n";
        assert!(inline_ignored(text, 1, "EB050", "SENSITIVE_FIELD_NAME"));
        assert!(inline_ignored(text, 3, "EB003", ""));
        assert!(!inline_ignored(text, 3, "EB050", "SENSITIVE_FIELD_NAME"));
        assert!(!inline_ignored(text, 4, "EB003", ""));
    }
}
