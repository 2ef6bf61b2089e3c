//! The blocking client: one `ureq` agent (connection pool, timeouts, TLS) per registry URL, the
//! credentials sent with every request, answers read as the API's JSON.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use crate::error::{code, Error, ErrorKind};
use crate::schema::{Compatibility, CompatibilityCheck, RegisteredSchema, Schema, Version};

/// What the registry's API answers in and takes (Confluent's media types, then plain JSON).
const ACCEPT: &str =
    "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";
const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";

/// How long a request may take in all (connect, TLS, answer) unless set otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Credentials sent with every request.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// HTTP basic authentication (Confluent's `basic.auth.user.info`: an API key and secret).
    Basic { username: String, password: String },
    /// A bearer token (OAuth), sent as `Authorization: Bearer <token>`.
    Bearer(String),
}

impl Auth {
    fn header(&self) -> String {
        match self {
            Auth::Basic { username, password } => {
                let pair = format!("{username}:{password}");
                format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
            }
            Auth::Bearer(token) => format!("Bearer {token}"),
        }
    }
}

/// Never prints a secret.
impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Basic { username, .. } => write!(f, "Basic {{ username: {username:?}, password: \"***\" }}"),
            Auth::Bearer(_) => f.write_str("Bearer(\"***\")"),
        }
    }
}

/// Sets up a [`Client`]: credentials, trusted certificates, a client certificate, the timeout.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    url: String,
    auth: Option<Auth>,
    ca_file: Option<PathBuf>,
    ca_pem: Option<Vec<u8>>,
    identity: Option<(PathBuf, PathBuf)>,
    timeout: Duration,
}

impl ClientBuilder {
    /// HTTP basic authentication.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.auth = Some(Auth::Basic { username: username.into(), password: password.into() });
        self
    }

    /// A bearer token.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Some(Auth::Bearer(token.into()));
        self
    }

    /// Credentials, or none.
    pub fn auth(mut self, auth: Option<Auth>) -> Self {
        self.auth = auth;
        self
    }

    /// Trusts the certificates of a PEM file instead of the built-in Mozilla roots (as a
    /// registry client's truststore, or curl's `--cacert`).
    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }

    /// Trusts the PEM certificates given instead of the built-in roots.
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pem = Some(pem.into());
        self
    }

    /// Presents a client certificate (mutual TLS): a PEM chain and its PEM private key.
    pub fn client_certificate(mut self, chain: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        self.identity = Some((chain.into(), key.into()));
        self
    }

    /// How long a request may take in all.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The client; fails on a URL that is no `http(s)://` URL, an unreadable or empty CA file,
    /// or `https` without the `tls` feature.
    pub fn build(self) -> Result<Client, Error> {
        let (base, url_auth) = split_url(&self.url)?;
        let auth = self.auth.or(url_auth);
        let https = base.starts_with("https://");
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(self.timeout))
            .user_agent(concat!("eventbind-registry/", env!("CARGO_PKG_VERSION")));
        #[cfg(feature = "tls")]
        let config = config.tls_config(tls::config(&base, self.ca_file, self.ca_pem, self.identity)?);
        #[cfg(not(feature = "tls"))]
        {
            let asks_tls = https || self.ca_file.is_some() || self.ca_pem.is_some() || self.identity.is_some();
            if asks_tls {
                return Err(Error::config(&base, "TLS needs eventbind-registry's `tls` feature"));
            }
        }
        let _ = https;
        Ok(Client { agent: config.build().into(), base, authorization: auth.as_ref().map(Auth::header) })
    }
}

/// `scheme://[user:password@]host[:port][/path]` without a trailing slash, and the credentials
/// of the URL itself (Confluent's `basic.auth.credentials.source=URL`), which are never shown.
fn split_url(url: &str) -> Result<(String, Option<Auth>), Error> {
    let url = url.trim().trim_end_matches('/');
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(Error::config(url, "not a URL: expected http://host:port or https://host:port"));
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(Error::config(url, format!("scheme `{scheme}` is not http or https")));
    }
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let (auth, host) = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
            (Some(Auth::Basic { username: percent_decode(user), password: percent_decode(password) }), host)
        }
        None => (None, authority),
    };
    if host.is_empty() {
        return Err(Error::config(&format!("{scheme}://"), "the URL has no host"));
    }
    Ok((format!("{scheme}://{host}{path}"), auth))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A path segment with everything but the URL's unreserved characters percent-encoded (subjects
/// may hold `/`, `:`, spaces, …).
fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A blocking client of one schema registry (Confluent's REST API). Cheap to clone: clones share
/// the connection pool. Safe to share between threads.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    base: String,
    authorization: Option<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("url", &self.base).field("auth", &self.authorization.is_some()).finish()
    }
}

#[derive(Deserialize)]
struct ApiError {
    error_code: Option<i64>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct Id {
    id: u32,
}

#[derive(Deserialize)]
struct ConfigAnswer {
    #[serde(alias = "compatibilityLevel")]
    compatibility: Compatibility,
}

impl Client {
    /// A client of the registry at `url` (e.g. `http://localhost:8081`), with no credentials and
    /// the built-in roots.
    pub fn new(url: &str) -> Result<Client, Error> {
        Client::builder(url).build()
    }

    /// A builder for a client of the registry at `url`.
    pub fn builder(url: &str) -> ClientBuilder {
        ClientBuilder {
            url: url.to_owned(),
            auth: None,
            ca_file: None,
            ca_pem: None,
            identity: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The registry's base URL (without credentials).
    pub fn url(&self) -> &str {
        &self.base
    }

    /// Sends a request and reads the answer as `T`.
    fn call<T: DeserializeOwned>(&self, method: &str, path: &str, body: Option<String>) -> Result<T, Error> {
        let request_name = format!("{method} {}", path.split('?').next().unwrap_or(path));
        let fail = |kind| Error::new(&self.base, request_name.clone(), kind);
        let mut request =
            ureq::http::Request::builder().method(method).uri(format!("{}{path}", self.base)).header("Accept", ACCEPT);
        if let Some(authorization) = &self.authorization {
            request = request.header("Authorization", authorization);
        }
        let sent = match body {
            Some(body) => request
                .header("Content-Type", CONTENT_TYPE)
                .body(body)
                .map(|r| self.agent.run(r))
                .map_err(|e| fail(ErrorKind::Config(e.to_string())))?,
            None => request.body(()).map(|r| self.agent.run(r)).map_err(|e| fail(ErrorKind::Config(e.to_string())))?,
        };
        let mut response = sent.map_err(|e| fail(ErrorKind::Transport(e.to_string())))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| fail(ErrorKind::Transport(format!("reading the answer: {e}"))))?;
        if (200..300).contains(&status) {
            return serde_json::from_str(&text)
                .map_err(|e| fail(ErrorKind::Response(format!("{e} in {}", excerpt(&text)))));
        }
        let (code, message) = match serde_json::from_str::<ApiError>(&text) {
            Ok(ApiError { error_code, message }) => (error_code, message.unwrap_or_else(|| excerpt(&text))),
            Err(_) if text.trim().is_empty() => {
                (None, response.status().canonical_reason().unwrap_or("no message").to_owned())
            }
            Err(_) => (None, excerpt(&text)),
        };
        Err(fail(ErrorKind::Registry { status, code, message }))
    }

    /// Registers `schema` under `subject` (a new version, or the existing one when the subject
    /// already has this schema) and returns its global id. The registry refuses a schema that
    /// is invalid (error 42201) or incompatible under the subject's level (409).
    pub fn register(&self, subject: &str, schema: &Schema) -> Result<u32, Error> {
        let body = serde_json::to_string(schema).expect("a schema serializes");
        let id: Id = self.call("POST", &format!("/subjects/{}/versions", segment(subject)), Some(body))?;
        Ok(id.id)
    }

    /// The version of `subject` that holds `schema`, if any (`None` when the subject does not
    /// exist or has no such version): what publishing looks up to register nothing twice.
    pub fn lookup(&self, subject: &str, schema: &Schema) -> Result<Option<RegisteredSchema>, Error> {
        let body = serde_json::to_string(schema).expect("a schema serializes");
        match self.call("POST", &format!("/subjects/{}", segment(subject)), Some(body)) {
            Ok(found) => Ok(Some(found)),
            Err(e) if matches!(e.error_code(), Some(code::SUBJECT_NOT_FOUND | code::SCHEMA_NOT_FOUND)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The schema with global id `id` (what a framed payload names).
    pub fn schema_by_id(&self, id: u32) -> Result<Schema, Error> {
        self.call("GET", &format!("/schemas/ids/{id}"), None)
    }

    /// Every subject.
    pub fn subjects(&self) -> Result<Vec<String>, Error> {
        self.call("GET", "/subjects", None)
    }

    /// The versions of `subject`, oldest first.
    pub fn versions(&self, subject: &str) -> Result<Vec<i32>, Error> {
        self.call("GET", &format!("/subjects/{}/versions", segment(subject)), None)
    }

    /// One version of `subject`.
    pub fn version(&self, subject: &str, version: Version) -> Result<RegisteredSchema, Error> {
        self.call("GET", &format!("/subjects/{}/versions/{version}", segment(subject)), None)
    }

    /// The latest version of `subject`.
    pub fn latest(&self, subject: &str) -> Result<RegisteredSchema, Error> {
        self.version(subject, Version::Latest)
    }

    /// Deletes `subject` (soft: its ids stay readable), then with `permanent` for good; returns the
    /// versions deleted.
    pub fn delete_subject(&self, subject: &str, permanent: bool) -> Result<Vec<i32>, Error> {
        let path = format!("/subjects/{}", segment(subject));
        let soft: Result<Vec<i32>, Error> = self.call("DELETE", &path, None);
        let versions = match soft {
            Ok(versions) => versions,
            // Already soft-deleted: only the permanent delete is left to do.
            Err(e) if permanent && e.error_code() == Some(code::SUBJECT_SOFT_DELETED) => Vec::new(),
            Err(e) => return Err(e),
        };
        if !permanent {
            return Ok(versions);
        }
        let hard: Vec<i32> = self.call("DELETE", &format!("{path}?permanent=true"), None)?;
        Ok(if versions.is_empty() { hard } else { versions })
    }

    /// The registry's global compatibility level (`GET /config`).
    pub fn global_compatibility(&self) -> Result<Compatibility, Error> {
        self.call::<ConfigAnswer>("GET", "/config", None).map(|c| c.compatibility)
    }

    /// Sets the global compatibility level (`PUT /config`).
    pub fn set_global_compatibility(&self, level: Compatibility) -> Result<Compatibility, Error> {
        let body = json!({ "compatibility": level }).to_string();
        self.call::<ConfigAnswer>("PUT", "/config", Some(body)).map(|c| c.compatibility)
    }

    /// The level set on `subject` itself, `None` when it has none (the global level applies).
    pub fn subject_compatibility(&self, subject: &str) -> Result<Option<Compatibility>, Error> {
        match self.call::<ConfigAnswer>("GET", &format!("/config/{}", segment(subject)), None) {
            Ok(c) => Ok(Some(c.compatibility)),
            Err(e)
                if matches!(
                    e.error_code(),
                    Some(code::SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED | code::SUBJECT_NOT_FOUND)
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Sets `subject`'s compatibility level (`PUT /config/S`).
    pub fn set_subject_compatibility(&self, subject: &str, level: Compatibility) -> Result<Compatibility, Error> {
        let body = json!({ "compatibility": level }).to_string();
        self.call::<ConfigAnswer>("PUT", &format!("/config/{}", segment(subject)), Some(body)).map(|c| c.compatibility)
    }

    /// Asks whether `schema` is compatible with `version` of `subject` under the subject's level
    /// (`POST /compatibility/subjects/S/versions/V?verbose=true`); the answer says why not.
    pub fn check_compatibility(
        &self,
        subject: &str,
        schema: &Schema,
        version: Version,
    ) -> Result<CompatibilityCheck, Error> {
        let body = serde_json::to_string(schema).expect("a schema serializes");
        let path = format!("/compatibility/subjects/{}/versions/{version}?verbose=true", segment(subject));
        self.call("POST", &path, Some(body))
    }
}

/// The start of a body, for error messages.
fn excerpt(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(300) {
        Some((end, _)) => format!("`{}…`", &text[..end]),
        None if text.is_empty() => "an empty body".to_owned(),
        None => format!("`{text}`"),
    }
}

#[cfg(feature = "tls")]
mod tls {
    use std::path::PathBuf;

    use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};

    use crate::error::Error;

    fn read(base: &str, what: &str, path: &PathBuf) -> Result<Vec<u8>, Error> {
        std::fs::read(path).map_err(|e| Error::config(base, format!("cannot read the {what} {}: {e}", path.display())))
    }

    fn certificates(base: &str, what: &str, pem: &[u8]) -> Result<Vec<Certificate<'static>>, Error> {
        let mut out = Vec::new();
        for item in ureq::tls::parse_pem(pem) {
            match item {
                Ok(PemItem::Certificate(c)) => out.push(c),
                Ok(_) => {}
                Err(e) => return Err(Error::config(base, format!("the {what} is not PEM: {e}"))),
            }
        }
        if out.is_empty() {
            return Err(Error::config(base, format!("the {what} holds no PEM certificate")));
        }
        Ok(out)
    }

    /// The TLS set-up: Mozilla's roots (webpki-roots) unless a CA file or PEM is given.
    pub fn config(
        base: &str,
        ca_file: Option<PathBuf>,
        ca_pem: Option<Vec<u8>>,
        identity: Option<(PathBuf, PathBuf)>,
    ) -> Result<TlsConfig, Error> {
        let mut builder = TlsConfig::builder();
        let mut roots = Vec::new();
        if let Some(path) = &ca_file {
            let what = format!("CA file {}", path.display());
            roots.extend(certificates(base, &what, &read(base, "CA file", path)?)?);
        }
        if let Some(pem) = &ca_pem {
            roots.extend(certificates(base, "CA certificate", pem)?);
        }
        if !roots.is_empty() {
            builder = builder.root_certs(RootCerts::from(roots));
        }
        if let Some((chain, key)) = &identity {
            let what = format!("client certificate {}", chain.display());
            let chain = certificates(base, &what, &read(base, "client certificate", chain)?)?;
            let key = PrivateKey::from_pem(&read(base, "client key", key)?)
                .map_err(|e| Error::config(base, format!("the client key {} is not a PEM key: {e}", key.display())))?;
            builder = builder.client_cert(Some(ClientCert::new_with_certs(&chain, key)));
        }
        Ok(builder.build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_credentials_and_trailing_slash() {
        let (base, auth) = split_url("https://key:s%40cret@registry.example:8081/sr/").unwrap();
        assert_eq!(base, "https://registry.example:8081/sr");
        assert_eq!(auth, Some(Auth::Basic { username: "key".into(), password: "s@cret".into() }));
        assert_eq!(split_url("HTTP://h:1").unwrap(), ("http://h:1".into(), None));
        assert!(split_url("registry:8081").unwrap_err().to_string().contains("not a URL"));
        assert!(split_url("ftp://h").unwrap_err().to_string().contains("not http or https"));
        assert!(split_url("http:///subjects").unwrap_err().to_string().contains("no host"));
    }

    #[test]
    fn credentials_become_the_authorization_header_and_never_show() {
        let basic = Auth::Basic { username: "Aladdin".into(), password: "open sesame".into() };
        assert_eq!(basic.header(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(Auth::Bearer("t0k".into()).header(), "Bearer t0k");
        assert!(!format!("{basic:?}").contains("sesame"));
        let client = Client::builder("http://u:p@h:1").build().unwrap();
        assert!(!format!("{client:?}").contains(":p"), "{client:?}");
        assert_eq!(client.url(), "http://h:1");
    }

    #[test]
    fn subjects_are_percent_encoded_as_one_segment() {
        assert_eq!(segment("orders-value"), "orders-value");
        assert_eq!(segment("a/b c:d"), "a%2Fb%20c%3Ad");
        assert_eq!(segment("é"), "%C3%A9");
    }
}
