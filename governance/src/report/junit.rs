//! JUnit XML: one test suite per command, one test case per subject examined (an event type or
//! a file). A subject with errors or warnings fails, with every finding in its failure text.

use std::collections::BTreeMap;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::Report;
use crate::findings::Finding;

pub(super) fn render(report: &Report) -> String {
    let mut by_subject: BTreeMap<String, Vec<&Finding>> =
        report.subjects.iter().map(|s| (s.clone(), Vec::new())).collect();
    for finding in report.findings.iter().filter(|f| f.fails()) {
        let subject = finding
            .subject
            .clone()
            .unwrap_or_else(|| eventbind_build::display_path(&finding.location().file).to_string());
        by_subject.entry(subject).or_default().push(finding);
    }
    if by_subject.is_empty() {
        by_subject.insert(report.command.clone(), Vec::new());
    }
    let failures = by_subject.values().filter(|f| !f.is_empty()).count();
    let suite = format!("eventbind {}", report.command);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let tests = by_subject.len().to_string();
    let failures = failures.to_string();
    // Writing to a Vec cannot fail.
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let mut suites = BytesStart::new("testsuites");
    suites.push_attribute(("name", suite.as_str()));
    suites.push_attribute(("tests", tests.as_str()));
    suites.push_attribute(("failures", failures.as_str()));
    let _ = w.write_event(Event::Start(suites));
    let mut testsuite = BytesStart::new("testsuite");
    testsuite.push_attribute(("name", suite.as_str()));
    testsuite.push_attribute(("tests", tests.as_str()));
    testsuite.push_attribute(("failures", failures.as_str()));
    testsuite.push_attribute(("errors", "0"));
    let _ = w.write_event(Event::Start(testsuite));
    for (subject, findings) in &by_subject {
        let mut case = BytesStart::new("testcase");
        case.push_attribute(("name", subject.as_str()));
        case.push_attribute(("classname", suite.as_str()));
        if findings.is_empty() {
            let _ = w.write_event(Event::Empty(case));
            continue;
        }
        let _ = w.write_event(Event::Start(case));
        let summary = findings
            .iter()
            .map(|f| format!("{} {}: {}", f.severity, f.code, f.diagnostic.message))
            .collect::<Vec<_>>()
            .join("; ");
        let mut failure = BytesStart::new("failure");
        failure.push_attribute(("message", summary.as_str()));
        failure.push_attribute(("type", findings[0].code.as_str()));
        let _ = w.write_event(Event::Start(failure));
        let body = findings
            .iter()
            .map(|f| format!("{} [{}] {}\n  --> {}", f.severity, f.code, f.diagnostic.message, f.location()))
            .collect::<Vec<_>>()
            .join("\n");
        let _ = w.write_event(Event::Text(BytesText::new(&body)));
        let _ = w.write_event(Event::End(BytesEnd::new("failure")));
        let _ = w.write_event(Event::End(BytesEnd::new("testcase")));
    }
    let _ = w.write_event(Event::End(BytesEnd::new("testsuite")));
    let _ = w.write_event(Event::End(BytesEnd::new("testsuites")));
    let mut out = String::from_utf8(w.into_inner()).unwrap_or_default();
    out.push('\n');
    out
}
