//! Text output: each finding like a rustc diagnostic (`warning[EB050]: …`, `--> file:line:col`,
//! the source line and a caret), then a summary.

use annotate_snippets::Level;

use super::Report;
use crate::findings::Severity;

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        let level = match finding.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let code = match &finding.name {
            Some(name) => format!("{}/{name}", finding.code),
            None => finding.code.clone(),
        };
        out.push_str(&finding.diagnostic.render_as(level, Some(&code)));
        out.push_str("\n\n");
    }
    for line in &report.summary {
        out.push_str(line);
        out.push('\n');
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    out.push_str(&format!(
        "{}: {} error(s), {} warning(s), {} note(s)\n",
        report.command,
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note)
    ));
    out
}
