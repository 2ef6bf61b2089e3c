//! SARIF 2.1.0, the static-analysis exchange format code-scanning services read: one run, the
//! command's rules in the driver, one result per finding with its physical location.

use serde_json::{json, Value};

use super::Report;
use crate::findings::Severity;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

pub(super) fn render(report: &Report) -> String {
    let rules: Vec<Value> = report
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.description},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let loc = f.location();
            let mut region = serde_json::Map::new();
            if let Some((line, col)) = loc.line_col {
                region.insert("startLine".into(), json!(line));
                region.insert("startColumn".into(), json!(col));
            }
            let mut physical = json!({"artifactLocation": {"uri": eventbind_build::display_path(&loc.file)}});
            if !region.is_empty() {
                physical["region"] = Value::Object(region);
            }
            let mut text = f.diagnostic.message.clone();
            if let Some(help) = &f.diagnostic.help {
                text.push_str(&format!(" (help: {help})"));
            }
            let mut result = json!({
                "ruleId": f.code,
                "level": level(f.severity),
                "message": {"text": text},
                "locations": [{"physicalLocation": physical}],
            });
            if let Some(pointer) = &loc.pointer {
                result["properties"] = json!({"pointer": pointer});
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "eventbind",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "automationDetails": {"id": format!("eventbind/{}", report.command)},
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
