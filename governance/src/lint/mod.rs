//! `eventbind lint`: rules over a catalog's definitions and payload schemas, with stable IDs
//! ([`rules`]), configuration and inline ignores ([`config`]). Definition rules read the files as
//! written, so a definition that does not load is still linted; schema rules walk each JSON
//! Schema payload through its `$ref`s.

pub mod config;
mod definition;
pub mod rules;
mod schema;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

pub use config::LintConfig;
pub use rules::{Rule, RULES};

use crate::findings::{self, Finding};
use crate::report::{findings_json, Report};
use eventbind_build::catalog::Catalog;
use eventbind_build::diagnostic::{Diagnostic, Error};

/// Where the loader's own problems are owned by a lint rule (so they are reported once).
const COVERED_POINTERS: &[&str] = &[
    "/name",
    "/category",
    "/compatibility_mode",
    "/schema/version",
    "/data_type",
    "/partition_strategy",
    "/schema/type",
];

pub(crate) struct Linter<'c> {
    catalog: &'c Catalog,
    config: &'c LintConfig,
    root: PathBuf,
    findings: Vec<Finding>,
}

impl Linter<'_> {
    /// Records a finding unless configuration or an inline ignore silences it.
    /// `silenced` lists the rules an `x-eventbind-ignore` around the place names.
    fn emit(&mut self, id: &str, diagnostic: Diagnostic, subject: Option<&str>, silenced: &[String]) {
        let Some(rule) = rules::find(id) else { return };
        if !self.config.enabled(rule.id) || silenced.iter().any(|s| s == rule.id || s == rule.name) {
            return;
        }
        let relative =
            diagnostic.location.file.strip_prefix(&self.root).unwrap_or(&diagnostic.location.file).to_owned();
        if self.config.ignores(rule.id, &relative) {
            return;
        }
        if let (Some((line, _)), Some(file)) =
            (diagnostic.location.line_col, self.catalog.files.values().find(|f| f.shown == diagnostic.location.file))
        {
            if config::inline_ignored(&file.text, line, rule.id, rule.name) {
                return;
            }
        }
        let mut finding = Finding::new(rule.id, rule.severity, diagnostic).name(rule.name);
        if let Some(subject) = subject {
            finding = finding.subject(subject);
        }
        self.findings.push(finding);
    }
}

/// `x-eventbind-ignore` values: a rule, or a list of rules.
pub(crate) fn ignore_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

/// Lints the catalog at `root` with the configuration found there (`eventbind.yaml`).
pub fn lint(root: &Path) -> Result<Report, Error> {
    let config = LintConfig::load(root)?;
    lint_with(root, &config)
}

/// Lints the catalog at `root` with the given configuration.
pub fn lint_with(root: &Path, config: &LintConfig) -> Result<Report, Error> {
    let (catalog, problems) = Catalog::load_lenient(&[root])?;
    let mut linter = Linter { catalog: &catalog, config, root: root.to_owned(), findings: Vec::new() };
    let definitions: Vec<_> = catalog
        .files
        .iter()
        .filter(|(_, f)| eventbind_build::catalog::is_definition(&f.value))
        .map(|(p, f)| (p.clone(), f.clone()))
        .collect();
    for problem in problems {
        let covered = problem.location.pointer.as_deref().is_some_and(|p| {
            COVERED_POINTERS.contains(&p)
                || ((p.is_empty() || p == "/schema") && problem.message.contains("is missing"))
        }) && definitions.iter().any(|(_, f)| f.shown == problem.location.file);
        if !covered {
            linter.emit("EB000", problem, None, &[]);
        }
    }
    let mut subjects = std::collections::BTreeSet::new();
    for (_, file) in &definitions {
        let name = file.value.get("name").and_then(Value::as_str).map(str::to_owned);
        subjects.insert(name.clone().unwrap_or_else(|| eventbind_build::display_path(&file.shown)));
        linter.definition(file, name.as_deref());
    }
    let mut docs = eventbind_build::json_schema::Documents::new(&catalog);
    let mut shared = std::collections::HashSet::new();
    for event in &catalog.event_types {
        linter.schema(event, &mut docs, &mut shared);
    }
    for warning in docs.unresolved_references() {
        linter.emit("EB025", warning.clone(), None, &[]);
    }
    let mut found = linter.findings;
    findings::sort(&mut found);
    found.dedup_by(|a, b| a.code == b.code && a.diagnostic == b.diagnostic);
    let mut report = Report::new("lint");
    report.rules = rules::docs();
    report.subjects = subjects;
    report.summary.push(format!(
        "linted {} event type(s) in {}",
        catalog.event_types.len(),
        eventbind_build::display_path(root)
    ));
    report.json = json!({
        "catalog": eventbind_build::display_path(root),
        "findings": findings_json(&found),
        "ok": !found.iter().any(Finding::fails),
    });
    report.findings = found;
    Ok(report)
}
