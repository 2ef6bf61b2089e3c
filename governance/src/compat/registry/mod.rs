//! Compatibility as a Confluent Schema Registry decides it, offline. Under the registry levels
//! (`BACKWARD`, `FORWARD`, `FULL` and their `_TRANSITIVE` forms) eventbind's verdict is the one
//! the registry would give: each format is compared the way the registry compares it, by its
//! documented rules, and the differences keep the registry's names.
//!
//! The registry checks that a reader schema can read data written with a writer schema: BACKWARD
//! reads OLD data with NEW (the writer is OLD), FORWARD reads NEW data with OLD, FULL both, and
//! the transitive forms do so against every earlier version.
//!
//! - JSON Schema: [`json_schema`], the registry's difference types over the schema model its
//!   JSON Schema library builds ([`json_model`]).
//! - Protobuf: [`protobuf`], the registry's Protobuf difference types (not buf's rules).
//! - Avro: [`avro`], Avro's schema resolution as the Java library the registry uses applies it.

/// A format's difference types, each with whether the registry counts it compatible: the enum
/// `Rule`, with its name as the registry spells it.
macro_rules! rules {
    ($format:literal; $($variant:ident = $compatible:literal,)*) => {
        #[doc = concat!("The registry's ", $format, " difference types.")]
        #[allow(clippy::enum_variant_names, non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub(crate) enum Rule { $($variant,)* }

        impl Rule {
            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => stringify!($variant),)* }
            }

            /// Whether the registry lists the difference among the compatible ones.
            pub fn compatible(self) -> bool {
                match self { $(Rule::$variant => $compatible,)* }
            }
        }
    };
}

pub mod avro;
mod json_model;
pub(crate) mod json_schema;
pub mod protobuf;

use std::path::Path;

use serde_json::{json, Value};

use crate::compat::RegistryPolicy;
use crate::findings::{Finding, Severity};
use eventbind_build::diagnostic::{Diagnostic, Error, Location};
use eventbind_build::json_schema::Documents;

/// One difference the registry finds between a writer schema and a reader schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// The registry's name for it (`PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL`, `FIELD_KIND_CHANGED`).
    pub rule: &'static str,
    /// Where, in the registry's notation (`#/properties/total`, `#/Order/3`).
    pub path: String,
    /// Whether the registry lists it as compatible.
    pub compatible: bool,
    /// The place in a file: the new version's where it exists there, else the old one's.
    pub location: Location,
    pub source_line: Option<String>,
}

/// A direction of the registry's check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// NEW reads data written with OLD.
    Backward,
    /// OLD reads data written with NEW.
    Forward,
}

impl Direction {
    pub fn name(self) -> &'static str {
        match self {
            Direction::Backward => "backward",
            Direction::Forward => "forward",
        }
    }
}

/// The registry's verdicts between two versions of a schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegistryCheck {
    /// What the registry finds with OLD as the writer and NEW as the reader.
    pub backward: Vec<Difference>,
    /// With NEW as the writer and OLD as the reader.
    pub forward: Vec<Difference>,
}

impl RegistryCheck {
    /// NEW reads data written with OLD.
    pub fn backward_compatible(&self) -> bool {
        self.backward.iter().all(|d| d.compatible)
    }

    /// OLD reads data written with NEW.
    pub fn forward_compatible(&self) -> bool {
        self.forward.iter().all(|d| d.compatible)
    }

    /// Whether the registry accepts NEW after OLD at this level.
    pub fn allows(&self, level: RegistryPolicy) -> bool {
        self.directions(level).iter().all(|d| match d {
            Direction::Backward => self.backward_compatible(),
            Direction::Forward => self.forward_compatible(),
        })
    }

    /// The directions a level checks.
    pub fn directions(&self, level: RegistryPolicy) -> &'static [Direction] {
        match level {
            RegistryPolicy::Backward | RegistryPolicy::BackwardTransitive => &[Direction::Backward],
            RegistryPolicy::Forward | RegistryPolicy::ForwardTransitive => &[Direction::Forward],
            RegistryPolicy::Full | RegistryPolicy::FullTransitive => &[Direction::Backward, Direction::Forward],
            RegistryPolicy::None => &[],
        }
    }

    /// The differences that break the level, with their direction.
    pub fn violations(&self, level: RegistryPolicy) -> Vec<(Direction, &Difference)> {
        let mut out = Vec::new();
        for direction in self.directions(level) {
            let diffs = match direction {
                Direction::Backward => &self.backward,
                Direction::Forward => &self.forward,
            };
            out.extend(diffs.iter().filter(|d| !d.compatible).map(|d| (*direction, d)));
        }
        out
    }

    /// The violations as error findings.
    pub fn findings(&self, level: RegistryPolicy, level_name: &str) -> Vec<Finding> {
        self.violations(level)
            .into_iter()
            .map(|(direction, d)| {
                let reader = match direction {
                    Direction::Backward => "NEW cannot read data written with OLD",
                    Direction::Forward => "OLD cannot read data written with NEW",
                };
                let mut diagnostic = Diagnostic::new(
                    d.location.clone(),
                    format!("{} at `{}` ({reader}; not allowed under `{level_name}`)", d.rule, d.path),
                )
                .help("the Schema Registry counts this difference as incompatible; see the README's compatibility section");
                diagnostic.source_line = d.source_line.clone();
                Finding::new(d.rule, Severity::Error, diagnostic)
                    .data(json!({"rule": d.rule, "path": d.path, "direction": direction.name()}))
            })
            .collect()
    }

    /// The verdicts and differences for machine-readable output.
    pub fn to_json(&self) -> Value {
        let list = |diffs: &[Difference]| -> Vec<Value> {
            diffs.iter().map(|d| json!({"rule": d.rule, "path": d.path, "compatible": d.compatible})).collect()
        };
        json!({
            "backward": self.backward_compatible(),
            "forward": self.forward_compatible(),
            "backward_differences": list(&self.backward),
            "forward_differences": list(&self.forward),
        })
    }
}

/// The registry's verdicts between two bare JSON Schema files (`eventbind diff OLD NEW`).
pub fn json_schema_files(old: &Path, new: &Path) -> Result<RegistryCheck, Error> {
    let old_catalog = crate::compat::json_schema::bare_catalog(old)?;
    let new_catalog = crate::compat::json_schema::bare_catalog(new)?;
    let mut old_docs = Documents::new(&old_catalog);
    let mut new_docs = Documents::new(&new_catalog);
    let open = |docs: &mut Documents<'_>, catalog: &eventbind_build::catalog::Catalog| {
        let path = catalog.files.keys().next().cloned().unwrap_or_default();
        docs.open_file(&path, None)
    };
    let old_root = open(&mut old_docs, &old_catalog)?;
    let new_root = open(&mut new_docs, &new_catalog)?;
    json_schema::check(&mut old_docs, old_root, &mut new_docs, new_root)
}

/// The registry's verdicts between the payload schemas of one event type in two catalogs.
pub(crate) fn json_schema_events<'c>(
    old_docs: &mut Documents<'c>,
    old: &eventbind_build::catalog::EventType,
    new_docs: &mut Documents<'c>,
    new: &eventbind_build::catalog::EventType,
) -> Result<RegistryCheck, Error> {
    let (old_root, ..) = eventbind_build::json_schema::open_event_schema(old_docs, old)?;
    let (new_root, ..) = eventbind_build::json_schema::open_event_schema(new_docs, new)?;
    json_schema::check(old_docs, old_root, new_docs, new_root)
}
