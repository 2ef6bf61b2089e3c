//! Schema evolution: differs per schema language turn two versions of a schema into named
//! [`Change`]s; [`policy`] turns changes into verdicts (backward, forward, full) and the semver
//! bump they require.

pub mod avro;
mod json_schema;
pub mod kinds;
pub mod policy;
pub mod protobuf;
pub mod registry;

use serde_json::{json, Value};

use crate::findings::{Finding, Severity};
use eventbind_build::diagnostic::{Diagnostic, Location};

pub use json_schema::diff_catalog_schemas;
pub use json_schema::diff_json_schema_files;
pub use kinds::{ChangeKind, Class, Effect};
pub use policy::{Bump, Policy, RegistryPolicy, Verdict};

/// One change between two versions of a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Where in the schema: a JSON pointer from the payload root (through `$ref`s) for JSON
    /// Schema, a dotted field path for Avro and Protobuf.
    pub path: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
    /// The place in a file: the new version's, or the old one's for what was removed.
    pub location: Location,
    pub source_line: Option<String>,
}

impl Change {
    pub fn message(&self) -> String {
        let show = |v: &Option<Value>| match v {
            Some(Value::String(s)) => format!("`{s}`"),
            Some(v) => format!("`{v}`"),
            None => "none".to_owned(),
        };
        let at = if self.path.is_empty() { "the root".to_owned() } else { format!("`{}`", self.path) };
        match (&self.old, &self.new) {
            (None, None) => format!("{} at {at}", self.kind.name()),
            (old, new) => format!("{} at {at}: {} → {}", self.kind.name(), show(old), show(new)),
        }
    }

    /// The change as a finding of the given severity.
    pub fn finding(&self, severity: Severity) -> Finding {
        let mut diagnostic = Diagnostic::new(self.location.clone(), self.message()).help(self.kind.doc());
        diagnostic.source_line = self.source_line.clone();
        Finding::new(self.kind.name(), severity, diagnostic).data(self.to_json())
    }

    /// The change as the `diff --format json` entry.
    pub fn to_json(&self) -> Value {
        json!({
            "kind": self.kind.name(),
            "path": self.path,
            "old": self.old,
            "new": self.new,
            "backward": self.kind.tolerant().backward(),
            "forward": self.kind.tolerant().forward(),
            "strict_backward": self.kind.strict().backward(),
            "strict_forward": self.kind.strict().forward(),
            "bump": {
                "compatible": policy::required_bump(self.kind, eventbind_build::catalog::CompatibilityMode::Compatible).as_str(),
                "forward": policy::required_bump(self.kind, eventbind_build::catalog::CompatibilityMode::Forward).as_str(),
                "none": policy::required_bump(self.kind, eventbind_build::catalog::CompatibilityMode::None).as_str(),
            },
        })
    }
}

/// Sorts changes by path and kind and drops exact repeats, so output is stable.
pub fn normalize(changes: &mut Vec<Change>) {
    changes.sort_by(|a, b| {
        (&a.path, a.kind, a.old.as_ref().map(Value::to_string), a.new.as_ref().map(Value::to_string)).cmp(&(
            &b.path,
            b.kind,
            b.old.as_ref().map(Value::to_string),
            b.new.as_ref().map(Value::to_string),
        ))
    });
    changes.dedup_by(|a, b| a.kind == b.kind && a.path == b.path && a.old == b.old && a.new == b.new);
}
