//! Golden files of the generated Rust for every fixture catalog and policy. Each golden file must
//! equal what build.rs generated for this crate, which `src/lib.rs` compiles under
//! `#![deny(warnings)]`: so every golden file is also compiled. Regenerate them with
//! `EVENTBIND_BLESS=1 cargo test -p eventbind-tests --test golden`.

use std::path::{Path, PathBuf};

use eventbind_build::{Config, UnknownFields};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_owned()
}

/// (golden name, build.rs output file, config): the same configurations as build.rs.
fn cases() -> Vec<(&'static str, &'static str, Config)> {
    let catalog = root().join("../fixtures/catalog");
    let base = || {
        let mut c = Config::new();
        c.catalog(&catalog);
        c
    };
    let mut preserve = base();
    preserve.unknown_fields(UnknownFields::Preserve);
    let mut deny = base();
    deny.unknown_fields(UnknownFields::Deny);
    let mut tolerant = base();
    tolerant
        .tolerant_enums(true)
        .type_attribute("order::OrderCancelledReason", "#[derive(Hash, Eq)]")
        .field_attribute("order::OrderCancelled.note", "#[doc = \"Free text from the agent.\"]");
    let mut orders = base();
    orders.event_type("order.*");
    vec![
        ("catalog.ignore.rs", "eventbind.rs", base()),
        ("catalog.preserve.rs", "preserve.rs", preserve),
        ("catalog.deny.rs", "deny.rs", deny),
        ("catalog.tolerant.rs", "tolerant.rs", tolerant),
        ("catalog.orders_only.rs", "orders_only.rs", orders),
    ]
}

#[test]
fn generated_rust_matches_golden_files_and_the_compiled_build_output() {
    let bless = std::env::var_os("EVENTBIND_BLESS").is_some();
    for (golden, built, config) in cases() {
        let code = config.generate().unwrap_or_else(|e| panic!("{golden}: {e}")).code;
        let golden_path = root().join("golden").join(golden);
        if bless {
            std::fs::write(&golden_path, &code).unwrap();
        }
        let expected = std::fs::read_to_string(&golden_path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with EVENTBIND_BLESS=1 to create it)", golden_path.display()));
        assert!(
            code == expected,
            "{golden} differs from the golden file; rerun with EVENTBIND_BLESS=1 and review the diff"
        );
        let compiled = std::fs::read_to_string(Path::new(env!("OUT_DIR")).join(built)).unwrap();
        assert!(compiled == expected, "{built} (compiled by build.rs) differs from {golden}");
    }
}

fn copy_reversed(from: &Path, to: &Path) {
    let mut entries: Vec<_> = std::fs::read_dir(from).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    entries.reverse();
    std::fs::create_dir_all(to).unwrap();
    for path in entries {
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_reversed(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn output_is_byte_identical_across_runs_and_catalog_copies() {
    let catalog = root().join("../fixtures/catalog");
    let first = Config::new().catalog(&catalog).generate().unwrap().code;
    let second = Config::new().catalog(&catalog).generate().unwrap().code;
    assert!(first == second, "two runs differ");
    // A copy elsewhere, its files created in the opposite order, gives the same bytes.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("catalog");
    copy_reversed(&catalog, &copy);
    let third = Config::new().catalog(&copy).generate().unwrap().code;
    assert!(first == third, "a copy of the catalog generates different code");
}
