//! eventbind's engine and build-script API.
//!
//! Pipeline: [`catalog`] (load and validate definitions) → front end per schema format
//! (`json_schema`, `avro`, `protobuf`) → [`ir`] → backends ([`rust`]). [`Config`] drives it from a build script;
//! the `eventbind` command uses the same engine.

// Diagnostics are large, and only made on the cold path of bad input; boxing them everywhere
// would cost more reading than it saves.
#![allow(clippy::result_large_err)]

mod avro;
pub mod catalog;
pub mod check;
pub mod compat;
mod config;
pub mod diagnostic;
pub mod docs;
pub mod filter;
pub mod findings;
mod fingerprint;
pub mod git;
pub mod ir;
mod json_schema;
pub mod lint;
pub mod lowering;
mod model_builder;
pub mod naming;
pub mod output;
mod protobuf;
pub mod report;
pub mod rust;
mod schema_files;
mod source;
pub mod templates;
pub mod validate;

pub use config::{Config, Generated};
pub use diagnostic::{Diagnostic, Error, Location};
pub use rust::{DateTimes, OptionalNulls, UnknownFields};
pub use templates::{RenderedFile, TemplateConfig};

/// A path with `/` separators, so generated headers read the same on every platform.
pub(crate) fn display_path(path: &std::path::Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
