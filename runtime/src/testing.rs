//! Test helpers for hand-written events: keep a checked-in catalog file in sync with the Rust
//! type it describes.

use std::path::{Path, PathBuf};

use crate::Event;

/// Fails, with a diff, when the catalog file at `path` is not what
/// [`catalog_entry::<T>()`](crate::catalog_entry) makes from the type now; with
/// `EVENTBIND_BLESS=1` in the environment it rewrites the file instead. A relative `path` is
/// relative to the crate's `CARGO_MANIFEST_DIR`.
///
/// ```no_run
/// # #[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema, eventbind::Event)]
/// # #[event(name = "order.order_shipped", category = "general", owning_application = "shop")]
/// # struct OrderShipped { order_number: String }
/// #[test]
/// fn order_shipped_catalog_entry_is_current() {
///     eventbind::testing::assert_catalog_entry::<OrderShipped>("events/order/order.order_shipped.yaml");
/// }
/// ```
#[track_caller]
pub fn assert_catalog_entry<T: Event + schemars::JsonSchema>(path: impl AsRef<Path>) {
    let path = resolve(path.as_ref());
    let expected = crate::catalog_entry::<T>();
    let current = std::fs::read_to_string(&path).ok();
    if current.as_deref() == Some(expected.as_str()) {
        return;
    }
    if std::env::var_os("EVENTBIND_BLESS").is_some_and(|v| !v.is_empty() && v != "0") {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
        }
        std::fs::write(&path, &expected).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    match current {
        None => panic!(
            "{} does not exist; create it with EVENTBIND_BLESS=1 cargo test, then review and commit it",
            path.display()
        ),
        Some(current) => {
            let diff = similar::TextDiff::from_lines(&current, &expected);
            panic!(
                "{} has drifted from `{}` (- file, + type):\n{}\nregenerate with EVENTBIND_BLESS=1 cargo test",
                path.display(),
                T::TYPE.name,
                diff.unified_diff().context_radius(2).header("checked in", "from the type")
            )
        }
    }
}

fn resolve(path: &Path) -> PathBuf {
    match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) if path.is_relative() => PathBuf::from(dir).join(path),
        _ => path.to_owned(),
    }
}
