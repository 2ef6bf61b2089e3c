//! Output formats of the governance commands: rustc-style text, JSON, GitHub workflow
//! annotations, JUnit XML and SARIF. Every format renders the same findings; each command adds
//! its own JSON document (the `diff` verdicts, the `check` per-event-type results).

mod github;
mod junit;
mod sarif;
mod text;

use std::collections::BTreeSet;

use serde_json::Value;

use crate::findings::{Finding, RuleDoc};

/// An output format, chosen with `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Github,
    Junit,
    Sarif,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "github" => Some(Format::Github),
            "junit" => Some(Format::Junit),
            "sarif" => Some(Format::Sarif),
            _ => None,
        }
    }
}

/// What one run of a command found.
#[derive(Debug, Clone)]
pub struct Report {
    /// `lint`, `diff` or `check`: names the JUnit suite and the SARIF run.
    pub command: String,
    /// Sorted findings.
    pub findings: Vec<Finding>,
    /// Every rule or kind the command can report, for SARIF's rule table.
    pub rules: Vec<RuleDoc>,
    /// What was examined (event types, files): JUnit lists each as a test case, passing or not.
    pub subjects: BTreeSet<String>,
    /// Lines printed after the findings in text output.
    pub summary: Vec<String>,
    /// The command's JSON document, for `--format json`.
    pub json: Value,
}

impl Report {
    pub fn new(command: &str) -> Report {
        Report {
            command: command.to_owned(),
            findings: Vec::new(),
            rules: Vec::new(),
            subjects: BTreeSet::new(),
            summary: Vec::new(),
            json: Value::Null,
        }
    }

    /// Whether a CI run fails on this report: an error or a warning was found.
    pub fn fails(&self) -> bool {
        self.findings.iter().any(Finding::fails)
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => text::render(self),
            Format::Json => {
                let mut out = serde_json::to_string_pretty(&self.json).unwrap_or_default();
                out.push('\n');
                out
            }
            Format::Github => github::render(self),
            Format::Junit => junit::render(self),
            Format::Sarif => sarif::render(self),
        }
    }
}

/// The findings as a JSON list, for the commands' documents.
pub fn findings_json(findings: &[Finding]) -> Value {
    Value::Array(findings.iter().map(Finding::to_json).collect())
}
