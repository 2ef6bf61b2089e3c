//! References as schema repositories write them (`fixtures/repos`): relative `$id`s are base
//! URIs in every draft, URL references map to catalog folders in `eventbind.yaml`, and one
//! resolver serves `generate`, `validate`, `lint`, `docs` and `check` alike.

use std::path::{Path, PathBuf};

use eventbind_build::catalog::Catalog;
use eventbind_build::Config;
use eventbind_validate::{Outcome, Validator};
use serde_json::{json, Value};

fn repo(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/repos").join(case)
}

fn generate(case: &str) -> String {
    Config::new().catalog(repo(case)).cargo_output(false).generate().unwrap_or_else(|e| panic!("{e}")).code
}

fn event(metadata_type: &str, payload: Value) -> Value {
    let mut event = payload;
    event["metadata"] = json!({
        "eid": "5b2ee6fa-1a74-4fbc-a8ff-3a21c3b2ae49",
        "occurred_at": "2026-01-02T03:04:05Z",
        "event_type": metadata_type,
    });
    event
}

fn problems(validator: &Validator<'_>, event_type: &str, payload: Value) -> Vec<String> {
    match validator.check(event(event_type, payload), None).outcome {
        Outcome::Valid => Vec::new(),
        Outcome::Invalid(problems) => problems.into_iter().map(|p| format!("{}: {}", p.pointer, p.reason)).collect(),
    }
}

#[test]
fn relative_ids_are_base_uris_for_generate() {
    let code = generate("relative_ids");
    for (field, ty) in [
        // `orders$created#/definitions/Reason`, found by the relative `$id` of created.json.
        ("reason", "Reason"),
        // `address.schema.json` against the base `common/user.schema.json` gives
        // `common/common/address.schema.json`, the `$id` address.schema.json declares.
        ("address", "::Address>"),
        // `../money.json` against the nested `$id` `https://example.com/schemas/orders/item.json`.
        ("price", "Money>"),
        ("currency", "Currency"),
        // `lines.json#line`: an `$anchor` of 2020-12.
        ("line", "Line>"),
        ("quantity", "i32"),
        // Draft 04: `id: "#other"` names a plain-name fragment.
        ("other", "Other>"),
    ] {
        assert!(has_field(&code, field, ty), "no field `{field}` of type `{ty}` in:\n{code}");
    }
}

/// Whether the generated code has a field `name` whose type ends with `ty`.
fn has_field(code: &str, name: &str, ty: &str) -> bool {
    code.lines()
        .any(|l| l.trim().strip_prefix(&format!("pub {name}: ")).is_some_and(|t| t.trim_end_matches(',').ends_with(ty)))
}

#[test]
fn validate_resolves_as_generate_does() {
    let catalog = Catalog::load(&[repo("relative_ids")]).unwrap();
    let validator = Validator::new(&catalog);
    let money = json!({"amount": 12.5, "currency": "EUR"});
    let user = json!({"name": "Ada", "address": {"city": "Lyon"}});
    assert_eq!(
        problems(&validator, "orders.created", json!({"order_id": "o1", "reason": "new", "customer": user})),
        Vec::<String>::new()
    );
    assert_eq!(
        problems(&validator, "orders.updated", json!({"reason": "reorder", "total": money, "line": {"quantity": 2}})),
        Vec::<String>::new()
    );
    assert_eq!(
        problems(
            &validator,
            "users.registered",
            json!({"user": user, "first_item": {"sku": "a", "price": money}, "legacy": {"part": {"code": "x"}, "other": {"note": "n"}}})
        ),
        Vec::<String>::new()
    );
    // Each reference is followed: a wrong value behind it is found.
    let wrong = problems(&validator, "orders.created", json!({"order_id": "o1", "reason": "old"}));
    assert!(wrong.iter().any(|p| p.starts_with("/reason")), "{wrong:?}");
    let wrong =
        problems(&validator, "orders.updated", json!({"reason": "new", "total": {"amount": 1, "currency": "GBP"}}));
    assert!(wrong.iter().any(|p| p.starts_with("/total/currency")), "{wrong:?}");
    let wrong = problems(&validator, "users.registered", json!({"user": {"name": "Ada", "address": {}}}));
    assert!(wrong.iter().any(|p| p.starts_with("/user/address")), "{wrong:?}");
    let wrong = problems(&validator, "users.registered", json!({"user": user, "legacy": {"other": {"note": 3}}}));
    assert!(wrong.iter().any(|p| p.starts_with("/legacy/other/note")), "{wrong:?}");
}

#[test]
fn lint_docs_and_check_resolve_as_generate_does() {
    let report = eventbind_governance::lint::lint(&repo("relative_ids")).unwrap();
    let unresolved: Vec<_> = report.findings.iter().filter(|f| f.code == "EB000").collect();
    assert!(unresolved.is_empty(), "{unresolved:#?}");
    let site = eventbind_docs::build(&repo("relative_ids")).unwrap();
    for page in &site.pages {
        assert!(page.example_valid, "the example of {} is invalid", page.name);
    }
    let snapshot = || eventbind_governance::check::Snapshot::folder(&repo("relative_ids")).unwrap();
    let report = eventbind_governance::check::check(&snapshot(), &snapshot(), &[], Default::default()).unwrap();
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

/// A catalog read from git objects (`check --against REF`) resolves the same way.
#[test]
fn a_catalog_held_in_memory_resolves_as_on_disk() {
    let root = repo("relative_ids");
    let files: Vec<(PathBuf, Vec<u8>)> = walk(&root)
        .into_iter()
        .map(|p| (p.strip_prefix(&root).unwrap().to_path_buf(), std::fs::read(&p).unwrap()))
        .collect();
    let catalog = Catalog::load_in_memory(Path::new("main:relative_ids"), files).unwrap();
    let model =
        eventbind_build::lowering::lower_catalog(&catalog, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(model.events.len(), 3);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn url_references_map_to_catalog_folders_in_eventbind_yaml() {
    // No `map_url` here: the catalog's own eventbind.yaml says where the URLs are.
    let code = generate("url_map");
    assert!(has_field(&code, "amount", "Money"), "{code}");
    assert!(has_field(&code, "billing_address", "::Address>"), "{code}");
    assert!(has_field(&code, "country", "Country"), "{code}");
    let catalog = Catalog::load(&[repo("url_map")]).unwrap();
    let validator = Validator::new(&catalog);
    let ok =
        json!({"invoice_id": "i1", "amount": {"amount": 3, "currency": "EUR"}, "billing_address": {"country": "FR"}});
    assert_eq!(problems(&validator, "billing.invoiced", ok), Vec::<String>::new());
    let wrong =
        json!({"invoice_id": "i1", "amount": {"amount": 3, "currency": "EUR"}, "billing_address": {"country": "XX"}});
    let wrong = problems(&validator, "billing.invoiced", wrong);
    assert!(wrong.iter().any(|p| p.starts_with("/billing_address/country")), "{wrong:?}");
}

#[test]
fn a_bad_references_section_names_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("events");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("eventbind.yaml"), "references:\n  urls:\n    https://x.test/: missing_folder\n").unwrap();
    let e = Config::new().catalog(&root).generate().unwrap_err().to_string();
    assert!(e.contains("eventbind.yaml:3:") && e.contains("cannot use the folder"), "{e}");
    std::fs::write(root.join("eventbind.yaml"), "references:\n  url: {}\n").unwrap();
    let e = Config::new().catalog(&root).generate().unwrap_err().to_string();
    assert!(e.contains("unknown field `url`"), "{e}");
}
