//! Every folder under fixtures/lint is a catalog: the rule it is about must fire (or, for
//! `NONE`, nothing may), and all findings must match its expect.txt.

use std::path::{Path, PathBuf};

#[test]
fn every_lint_rule_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/lint");
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    assert!(dirs.len() >= 29, "expected the fixture folders, found {}", dirs.len());
    let bless = std::env::var_os("EVENTBIND_BLESS").is_some();
    let mut failures = Vec::new();
    let mut covered = std::collections::BTreeSet::new();
    for dir in &dirs {
        let report = eventbind_governance::lint::lint(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let lines: Vec<String> = report
            .findings
            .iter()
            .map(|f| {
                let loc = f.location();
                let file = loc.file.strip_prefix(dir).unwrap_or(&loc.file).display().to_string();
                format!("{} {file}:{}", f.code, loc.line_col.map_or(0, |(l, _)| l))
            })
            .collect();
        let rule = std::fs::read_to_string(dir.join("rule.txt")).unwrap().trim().to_owned();
        if rule == "NONE" {
            if !lines.is_empty() {
                failures.push(format!("{}: expected no findings, got {lines:?}", dir.display()));
            }
        } else if !lines.iter().any(|l| l.starts_with(&format!("{rule} "))) {
            failures.push(format!("{}: expected {rule}, got {lines:?}", dir.display()));
        } else {
            covered.insert(rule);
        }
        let actual = lines.join("\n") + "\n";
        let path = dir.join("expect.txt");
        if bless {
            std::fs::write(&path, &actual).unwrap();
        } else if std::fs::read_to_string(&path).unwrap_or_default() != actual {
            failures.push(format!("{}: findings differ from expect.txt:\n{actual}", dir.display()));
        }
    }
    for rule in eventbind_governance::lint::RULES {
        if !covered.contains(rule.id) {
            failures.push(format!("no fixture shows rule {} ({})", rule.id, rule.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
