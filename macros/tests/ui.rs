//! trybuild cases: every compile error of `derive(Event)` and `include_catalog!` with its expected
//! stderr (`ui/`), and the conformance matrix of struct/schema pairs that must compile
//! (`conformance/pass/`) or fail (`conformance/fail/`). Regenerate stderr files with
//! `TRYBUILD=overwrite cargo test -p eventbind-macros --test ui` and review the diff.

use std::path::{Path, PathBuf};

/// trybuild builds each case in its own crate, `<target>/tests/trybuild/eventbind-macros`, and
/// catalog paths are relative to that crate's manifest: the test catalogs are copied there.
fn stage_catalogs() {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("CARGO_TARGET_TMPDIR is <target>/tmp");
    let project = target.join("tests").join("trybuild").join(env!("CARGO_PKG_NAME"));
    for folder in ["events", "broken"] {
        let to = project.join(folder);
        if to.exists() {
            std::fs::remove_dir_all(&to).unwrap();
        }
        copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(folder), &to);
    }
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(from).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

#[test]
fn ui() {
    stage_catalogs();
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/conformance/pass/*.rs");
    cases.compile_fail("tests/conformance/fail/*.rs");
}
