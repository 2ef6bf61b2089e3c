//! Errors of registry requests: what the registry refused (its `error_code` and message), or why
//! no answer came, always naming the registry and the request.

use std::fmt;

/// The registry's error codes (Confluent's, which Karapace follows).
pub mod code {
    pub const SUBJECT_NOT_FOUND: i64 = 40401;
    pub const VERSION_NOT_FOUND: i64 = 40402;
    pub const SCHEMA_NOT_FOUND: i64 = 40403;
    pub const SUBJECT_SOFT_DELETED: i64 = 40404;
    pub const SUBJECT_NOT_SOFT_DELETED: i64 = 40405;
    pub const VERSION_SOFT_DELETED: i64 = 40406;
    pub const VERSION_NOT_SOFT_DELETED: i64 = 40407;
    pub const SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED: i64 = 40408;
    pub const INCOMPATIBLE_SCHEMA: i64 = 409;
    pub const INVALID_SCHEMA: i64 = 42201;
    pub const INVALID_VERSION: i64 = 42202;
    pub const INVALID_COMPATIBILITY_LEVEL: i64 = 42203;
    pub const INVALID_MODE: i64 = 42204;
    pub const OPERATION_NOT_PERMITTED: i64 = 42205;
    pub const REFERENCE_EXISTS: i64 = 42206;
    pub const BACKEND_STORE_ERROR: i64 = 50001;
    pub const OPERATION_TIMED_OUT: i64 = 50002;
    pub const FORWARDING_ERROR: i64 = 50003;
    /// Karapace's: references in a schema type it takes none for (JSON Schema, in 6.2).
    pub const REFERENCES_NOT_SUPPORTED: i64 = 44302;

    /// What a code means, in a few words.
    pub fn meaning(code: i64) -> Option<&'static str> {
        Some(match code {
            SUBJECT_NOT_FOUND => "subject not found",
            VERSION_NOT_FOUND => "version not found",
            SCHEMA_NOT_FOUND => "schema not found",
            SUBJECT_SOFT_DELETED => "subject soft-deleted",
            SUBJECT_NOT_SOFT_DELETED => "subject not soft-deleted first",
            VERSION_SOFT_DELETED => "version soft-deleted",
            VERSION_NOT_SOFT_DELETED => "version not soft-deleted first",
            SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED => "no subject-level compatibility level",
            INCOMPATIBLE_SCHEMA => "incompatible schema",
            INVALID_SCHEMA => "invalid schema",
            INVALID_VERSION => "invalid version",
            INVALID_COMPATIBILITY_LEVEL => "invalid compatibility level",
            INVALID_MODE => "invalid mode",
            OPERATION_NOT_PERMITTED => "operation not permitted",
            REFERENCE_EXISTS => "schema referenced by another",
            BACKEND_STORE_ERROR => "registry store error",
            OPERATION_TIMED_OUT => "registry timed out",
            FORWARDING_ERROR => "registry could not forward to its primary",
            REFERENCES_NOT_SUPPORTED => "references not supported for this schema type",
            40101 => "unauthorized",
            40301 => "forbidden",
            _ => return None,
        })
    }
}

/// A request that failed.
#[derive(Debug, Clone)]
pub struct Error {
    registry: String,
    request: String,
    kind: ErrorKind,
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The registry answered with an error: HTTP status, its `error_code` when the body had one,
    /// and its message (or the body).
    Registry { status: u16, code: Option<i64>, message: String },
    /// No answer: connection refused, DNS, TLS, timeout.
    Transport(String),
    /// An answer that is not what the API returns.
    Response(String),
    /// The client is set up wrong (a URL, a CA file, TLS not built in).
    Config(String),
}

impl Error {
    pub(crate) fn new(registry: &str, request: impl Into<String>, kind: ErrorKind) -> Error {
        Error { registry: registry.to_owned(), request: request.into(), kind }
    }

    pub(crate) fn config(registry: &str, message: impl Into<String>) -> Error {
        Error::new(registry, "", ErrorKind::Config(message.into()))
    }

    /// The kind of failure.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The registry's `error_code`, e.g. `40401` ([`code`]).
    pub fn error_code(&self) -> Option<i64> {
        match &self.kind {
            ErrorKind::Registry { code, .. } => *code,
            _ => None,
        }
    }

    /// The HTTP status of an error answer.
    pub fn status(&self) -> Option<u16> {
        match &self.kind {
            ErrorKind::Registry { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The registry's message (or the body of a non-API error answer).
    pub fn message(&self) -> Option<&str> {
        match &self.kind {
            ErrorKind::Registry { message, .. } => Some(message),
            _ => None,
        }
    }

    /// Whether the registry said a subject, version or schema does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self.error_code(), Some(code::SUBJECT_NOT_FOUND | code::VERSION_NOT_FOUND | code::SCHEMA_NOT_FOUND))
            || (self.status() == Some(404) && self.error_code().is_none())
    }

    /// The registry's base URL (credentials removed).
    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// The request, e.g. `POST /subjects/orders-value/versions`.
    pub fn request(&self) -> &str {
        &self.request
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "schema registry {}", self.registry)?;
        if !self.request.is_empty() {
            write!(f, ", {}", self.request)?;
        }
        match &self.kind {
            ErrorKind::Registry { status, code, message } => {
                write!(f, ": HTTP {status}")?;
                if let Some(code) = code {
                    write!(f, ", error {code}")?;
                    if let Some(meaning) = self::code::meaning(*code) {
                        write!(f, " ({meaning})")?;
                    }
                }
                write!(f, ": {message}")
            }
            ErrorKind::Transport(m) => write!(f, ": no answer: {m}"),
            ErrorKind::Response(m) => write!(f, ": unexpected answer: {m}"),
            ErrorKind::Config(m) => write!(f, ": {m}"),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_errors_name_the_registry_request_code_and_message() {
        let e = Error::new(
            "http://r:8081",
            "GET /subjects/orders-value/versions",
            ErrorKind::Registry { status: 404, code: Some(40401), message: "Subject 'orders-value' not found.".into() },
        );
        assert_eq!(
            e.to_string(),
            "schema registry http://r:8081, GET /subjects/orders-value/versions: HTTP 404, error 40401 \
             (subject not found): Subject 'orders-value' not found."
        );
        assert!(e.is_not_found());
        assert_eq!(e.error_code(), Some(code::SUBJECT_NOT_FOUND));
        let e = Error::new("http://r", "GET /subjects", ErrorKind::Transport("connection refused".into()));
        assert_eq!(e.to_string(), "schema registry http://r, GET /subjects: no answer: connection refused");
        assert!(!e.is_not_found());
    }
}
