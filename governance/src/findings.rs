//! What the governance commands (lint, diff, check) report: findings with a stable code, a
//! severity and a place in a catalog file, rendered by [`crate::report`] for people and CI.

use std::fmt;

use serde_json::{json, Value};

use eventbind_build::diagnostic::{Diagnostic, Location};

/// How much a finding matters. Errors and warnings fail a CI run (exit code 1); notes inform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "note" | "info" => Some(Severity::Note),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding: a lint rule hit, a schema change, or a verdict of the compatibility check.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable code: a lint rule ID (`EB050`) or a change or check kind (`PROPERTY_REMOVED`).
    pub code: String,
    /// A readable name for the code, where it has one (the lint rule's name).
    pub name: Option<String>,
    pub severity: Severity,
    /// Where, what and how to fix it.
    pub diagnostic: Diagnostic,
    /// The event type it concerns, for grouping (JUnit test cases) and filtering.
    pub subject: Option<String>,
    /// Structured details for machine-readable output (old and new values, verdicts).
    pub data: Value,
}

impl Finding {
    pub fn new(code: impl Into<String>, severity: Severity, diagnostic: Diagnostic) -> Finding {
        Finding { code: code.into(), name: None, severity, diagnostic, subject: None, data: Value::Null }
    }

    pub fn name(mut self, name: impl Into<String>) -> Finding {
        self.name = Some(name.into());
        self
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Finding {
        self.subject = Some(subject.into());
        self
    }

    pub fn data(mut self, data: Value) -> Finding {
        self.data = data;
        self
    }

    pub fn location(&self) -> &Location {
        &self.diagnostic.location
    }

    /// Whether it fails a CI run.
    pub fn fails(&self) -> bool {
        self.severity != Severity::Note
    }

    /// The finding as JSON, for `--format json`.
    pub fn to_json(&self) -> Value {
        let loc = self.location();
        let mut out = json!({
            "code": self.code,
            "severity": self.severity.as_str(),
            "message": self.diagnostic.message,
            "file": eventbind_build::display_path(&loc.file),
        });
        let map = out.as_object_mut().expect("an object");
        if let Some(name) = &self.name {
            map.insert("name".into(), json!(name));
        }
        if let Some((line, column)) = loc.line_col {
            map.insert("line".into(), json!(line));
            map.insert("column".into(), json!(column));
        }
        if let Some(pointer) = &loc.pointer {
            map.insert("pointer".into(), json!(pointer));
        }
        if let Some(help) = &self.diagnostic.help {
            map.insert("help".into(), json!(help));
        }
        if let Some(subject) = &self.subject {
            map.insert("event_type".into(), json!(subject));
        }
        if let Value::Object(data) = &self.data {
            for (k, v) in data {
                map.insert(k.clone(), v.clone());
            }
        }
        out
    }
}

/// Sorts findings by file, place and code, so output is stable across runs.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.location().file, a.location().line_col, &a.location().pointer, &a.code, &a.diagnostic.message).cmp(&(
            &b.location().file,
            b.location().line_col,
            &b.location().pointer,
            &b.code,
            &b.diagnostic.message,
        ))
    });
}

/// A rule or kind a finding can carry, described for SARIF's rule table and the docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDoc {
    pub code: String,
    pub name: String,
    pub description: String,
    pub severity: Severity,
}

impl RuleDoc {
    /// The rule table of a command's codes: (code, description, severity), the code as name.
    pub fn table(codes: &[(&str, &str, Severity)]) -> Vec<RuleDoc> {
        codes
            .iter()
            .map(|(code, doc, severity)| RuleDoc {
                code: (*code).into(),
                name: (*code).into(),
                description: (*doc).into(),
                severity: *severity,
            })
            .collect()
    }
}
