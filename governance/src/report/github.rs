//! GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), which the
//! runner turns into annotations on the pull request's diff.

use super::Report;
use crate::findings::Severity;

/// Escapes a property value: `%`, CR, LF, `:` and `,` are encoded as the runner expects.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes the message: `%`, CR and LF.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let loc = finding.location();
        let mut props = vec![format!("file={}", property(&eventbind_build::display_path(&loc.file)))];
        if let Some((line, col)) = loc.line_col {
            props.push(format!("line={line}"));
            props.push(format!("col={col}"));
        }
        let title = match &finding.name {
            Some(name) => format!("{} {name}", finding.code),
            None => finding.code.clone(),
        };
        props.push(format!("title={}", property(&title)));
        let mut message = finding.diagnostic.message.clone();
        if let Some(pointer) = loc.pointer.as_deref().filter(|p| !p.is_empty()) {
            message.push_str(&format!(" (at {pointer})"));
        }
        if let Some(help) = &finding.diagnostic.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        out.push_str(&format!("::{command} {}::{}\n", props.join(","), data(&message)));
    }
    out
}
