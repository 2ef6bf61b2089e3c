//! A blocking client of the Confluent Schema Registry REST API, the API that Confluent's
//! registry, Karapace and other compatible registries serve.
//!
//! ```no_run
//! use eventbind_registry::{Client, Compatibility, Schema, Version};
//!
//! # fn main() -> Result<(), eventbind_registry::Error> {
//! let registry = Client::builder("https://registry.example:8081")
//!     .basic_auth("api-key", "secret") // or .bearer_token(..); or credentials in the URL
//!     .ca_file("/etc/ssl/registry-ca.pem") // else Mozilla's roots
//!     .build()?;
//! let money = Schema::avro(r#"{"type": "record", "name": "Money", "namespace": "shop",
//!                              "fields": [{"name": "cents", "type": "long"}]}"#);
//! registry.register("shop.Money", &money)?;
//! let refund = Schema::avro(r#"{"type": "record", "name": "Refund", "namespace": "shop",
//!                               "fields": [{"name": "amount", "type": "shop.Money"}]}"#)
//!     .with_reference("shop.Money", "shop.Money", 1);
//! if registry.lookup("refunds-value", &refund)?.is_none() {
//!     let check = registry.check_compatibility("refunds-value", &refund, Version::Latest)?;
//!     assert!(check.is_compatible, "{:?}", check.messages);
//!     let id = registry.register("refunds-value", &refund)?; // the id framed payloads carry
//!     # let _ = id;
//! }
//! registry.set_subject_compatibility("refunds-value", Compatibility::FullTransitive)?;
//! let writer = registry.schema_by_id(1)?; // what a consumer resolves
//! # let _ = writer;
//! # Ok(())
//! # }
//! ```
//!
//! | method | request |
//! |---|---|
//! | [`Client::register`] | `POST /subjects/S/versions` |
//! | [`Client::lookup`] | `POST /subjects/S` (`None` when absent) |
//! | [`Client::schema_by_id`] | `GET /schemas/ids/N` |
//! | [`Client::subjects`], [`Client::versions`], [`Client::version`], [`Client::latest`] | `GET /subjects`, `…/S/versions`, `…/S/versions/V` |
//! | [`Client::delete_subject`] | `DELETE /subjects/S` (and `?permanent=true`) |
//! | [`Client::global_compatibility`], [`Client::set_global_compatibility`] | `GET`/`PUT /config` |
//! | [`Client::subject_compatibility`], [`Client::set_subject_compatibility`] | `GET`/`PUT /config/S` |
//! | [`Client::check_compatibility`] | `POST /compatibility/subjects/S/versions/V?verbose=true` |
//!
//! Every failure is an [`Error`] naming the registry (never its credentials) and the request;
//! one the registry gave carries its HTTP status, its `error_code` ([`error::code`]) and its
//! message, e.g. `schema registry http://localhost:8081, POST /subjects/refunds-value/versions:
//! HTTP 409, error 409 (incompatible schema): …`.
//!
//! HTTP is [`ureq`]: blocking, small, no async runtime, rustls for TLS (feature `tls`, on by
//! default; without it only `http://` URLs work). Async code calls it from a blocking task.

mod client;
pub mod error;
mod schema;

pub use client::{Auth, Client, ClientBuilder, DEFAULT_TIMEOUT};
pub use error::{Error, ErrorKind};
pub use schema::{
    Compatibility, CompatibilityCheck, Reference, RegisteredSchema, Schema, SchemaType, UnknownCompatibility, Version,
};
