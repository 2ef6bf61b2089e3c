//! Adding or removing an event type never renames or moves another's types, nor changes what a
//! shared definition decodes: every type keeps its path (module and name) whichever event types
//! are generated beside it, and a shared definition's nullability is the same at every use.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use eventbind_build::catalog::Catalog;
use eventbind_build::filter::{Filter, Pattern};
use eventbind_build::ir::{Model, TypeKind, TypeRef};
use eventbind_build::lowering::lower_catalog;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// Every named type by where it comes from (file, pointer, kind), with its path.
fn paths(model: &Model) -> BTreeMap<(String, String, &'static str), BTreeSet<String>> {
    let mut out: BTreeMap<_, BTreeSet<String>> = BTreeMap::new();
    let event_roots: BTreeSet<String> =
        model.events.iter().map(|e| format!("{}::{}", e.module.join("::"), e.type_name)).collect();
    for def in &model.types {
        let path = def.module.iter().cloned().chain([def.name.clone()]).collect::<Vec<_>>().join("::");
        if event_roots.contains(&path) {
            // An event type's own struct is named by the event type; it comes and goes with it.
            continue;
        }
        let kind = match def.kind {
            TypeKind::Struct(_) => "struct",
            TypeKind::Enum(_) => "enum",
            TypeKind::Union(_) => "union",
            TypeKind::Newtype(_) => "newtype",
        };
        let key = (def.origin.file.display().to_string(), def.origin.pointer.clone(), kind);
        out.entry(key).or_default().insert(path);
    }
    out
}

fn lower(catalog: &Catalog, only: Option<&[&str]>) -> Model {
    let mut filter = Filter::default();
    for name in only.unwrap_or_default() {
        filter.push(Pattern::new(name).unwrap());
    }
    lower_catalog(catalog, &filter).unwrap_or_else(|e| panic!("{e}"))
}

/// Lowers the catalog whole, without each event type in turn, and each event type alone; every
/// type of a smaller catalog has the path it has in the whole one.
fn assert_stable(root: &Path) -> usize {
    let catalog = Catalog::load(&[root]).unwrap_or_else(|e| panic!("{e}"));
    let whole = paths(&lower(&catalog, None));
    let names: Vec<&str> = catalog.event_types.iter().map(|e| e.name.as_str()).collect();
    let mut compared = 0;
    let mut subsets: Vec<Vec<&str>> = names.iter().map(|n| vec![*n]).collect();
    subsets.extend(names.iter().map(|left_out| names.iter().copied().filter(|n| n != left_out).collect()));
    let mut problems = Vec::new();
    for subset in subsets {
        for (key, subset_paths) in paths(&lower(&catalog, Some(&subset))) {
            compared += 1;
            match whole.get(&key) {
                Some(all) if subset_paths.is_subset(all) => {}
                other => problems
                    .push(format!("{key:?}: {subset_paths:?} with only {subset:?}, {other:?} in the whole catalog")),
            }
        }
    }
    assert!(problems.is_empty(), "{}:\n{}", root.display(), problems.join("\n"));
    compared
}

#[test]
fn every_type_keeps_its_path_whichever_event_types_are_generated() {
    let mut compared = 0;
    for catalog in [
        "catalog",
        "repos/relative_ids",
        "repos/url_map",
        "repos/shared_nullable",
        "repos/file_cycle",
        "repos/avro_shared",
    ] {
        compared += assert_stable(&fixtures().join(catalog));
    }
    assert!(compared > 500, "only {compared} type paths compared");
}

/// The case: a new event type whose name sorts first reaches the shared definitions
/// before the others do. Nothing else changes.
#[test]
fn adding_an_event_type_that_reaches_shared_types_first_changes_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("shared_nullable");
    copy(&fixtures().join("repos/shared_nullable"), &root);
    std::fs::remove_file(root.join("events/accounts.audited.yaml")).unwrap();
    let before = paths(&lower(&Catalog::load(&[&root]).unwrap(), None));
    std::fs::copy(
        fixtures().join("repos/shared_nullable/events/accounts.audited.yaml"),
        root.join("events/accounts.audited.yaml"),
    )
    .unwrap();
    let after = paths(&lower(&Catalog::load(&[&root]).unwrap(), None));
    for (key, paths) in &before {
        assert_eq!(Some(paths), after.get(key), "{key:?} moved when accounts.audited was added");
    }
    assert!(before.len() >= 2, "{before:?}");
}

/// Avro named types are placed and named by their own full name (`shop.common.Money` is
/// `avro::shop::common::Money`), not after the first event type that reaches them: adding an event
/// type that sorts first and uses them (`accounts.charged`) moves and renames none.
#[test]
fn adding_an_avro_event_type_that_uses_shared_named_types_changes_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("avro_shared");
    copy(&fixtures().join("repos/avro_shared"), &root);
    std::fs::remove_file(root.join("events/accounts.charged.yaml")).unwrap();
    let before = paths(&lower(&Catalog::load(&[&root]).unwrap(), None));
    let shared: BTreeSet<&str> = before.values().flatten().map(String::as_str).collect();
    for expected in [
        "avro::shop::common::Money",
        "avro::shop::common::Currency",
        "avro::shop::common::Card",
        "avro::shop::common::MoneySource",
        "avro::shop::payments::Way",
    ] {
        assert!(shared.contains(expected), "{expected} not among {shared:?}");
    }
    std::fs::copy(
        fixtures().join("repos/avro_shared/events/accounts.charged.yaml"),
        root.join("events/accounts.charged.yaml"),
    )
    .unwrap();
    let after = paths(&lower(&Catalog::load(&[&root]).unwrap(), None));
    for (key, paths) in &before {
        assert_eq!(Some(paths), after.get(key), "{key:?} moved when accounts.charged was added");
    }
}

/// A shared definition with `type: [string, "null"]` and `null` in its `enum` is nullable at
/// every use, whichever event type reaches it first (directly, through `allOf`, as an array's
/// items, or as an undefined event type's whole document).
#[test]
fn a_shared_nullable_definition_is_nullable_at_every_use() {
    let catalog = Catalog::load(&[fixtures().join("repos/shared_nullable")]).unwrap();
    let names: Vec<String> = catalog.event_types.iter().map(|e| e.name.clone()).collect();
    let mut orders: Vec<Vec<&str>> = vec![names.iter().map(String::as_str).collect()];
    orders.extend(names.iter().map(|n| vec![n.as_str()]));
    let mut checked = 0;
    for only in orders {
        let model = lower(&catalog, Some(&only));
        for event in &model.events {
            let TypeRef::Named(root) = &event.payload else { continue };
            let TypeKind::Struct(s) = &model.get(*root).kind else { continue };
            for field in s.fields.iter().filter(|f| matches!(f.wire_name.as_str(), "status" | "previous")) {
                assert!(
                    matches!(field.ty, TypeRef::Nullable(_)),
                    "{}.{}: {:?} with only {only:?}",
                    event.def.name,
                    field.wire_name,
                    field.ty
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 8, "only {checked} uses checked");
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
