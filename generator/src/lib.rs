//! eventbind's engine and build-script API: what turning a catalog into Rust needs, and nothing
//! else (the template languages, governance, docs and validation are crates of their own over this
//! engine; the `eventbind` command puts them together).
//!
//! Pipeline: [`catalog`] (load and validate definitions) → front end per schema format
//! ([`json_schema`]; `avro` and `protobuf` behind the features of the same names) → [`ir`] →
//! [`rust`] backend. [`Config`] drives it from a build script.

// Diagnostics are large, and only made on the cold path of bad input; boxing them everywhere
// would cost more reading than it saves.
#![allow(clippy::result_large_err)]

#[cfg(feature = "avro")]
pub mod avro;
pub mod catalog;
pub mod catalog_config;
mod config;
pub mod diagnostic;
mod duplicate_keys;
pub mod filter;
mod fingerprint;
pub mod ir;
pub mod json_schema;
pub mod lowering;
mod model_builder;
pub mod naming;
pub mod output;
#[cfg(feature = "protobuf")]
pub mod protobuf;
pub mod rust;
#[cfg(any(feature = "avro", feature = "protobuf"))]
pub mod schema_files;
pub mod source;

pub use catalog::Unresolved;
pub use config::{Config, Generated};
pub use diagnostic::{Diagnostic, Error, Location};
pub use rust::{DateTimes, OptionalNulls, UnknownFields};

/// A path with `/` separators, so generated headers read the same on every platform.
pub fn display_path(path: &std::path::Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
