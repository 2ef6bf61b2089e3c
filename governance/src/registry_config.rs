//! The `registry:` section of `eventbind.yaml`: how subjects are named, which registry level
//! each `compatibility_mode` maps to, and the environments `publish` and `check` reach by
//! `--env NAME`.
//!
//! ```yaml
//! registry:
//!   subject_strategy: topic            # topic (default) | record | topic_record
//!   event_types:                       # per event type: another strategy, or the subject itself
//!     payment.refund_issued_avro: {subject_strategy: record}
//!     legacy.order_created: {subject: legacy-orders-value}
//!   levels:                            # compatibility_mode → subject level (defaults shown)
//!     compatible: FULL_TRANSITIVE
//!     forward: FORWARD_TRANSITIVE
//!     none: NONE
//!   environments:
//!     dev:
//!       url: http://localhost:8081
//!     prod:
//!       url: https://registry.example:8081
//!       auth:
//!         basic: {username_env: SR_API_KEY, password_env: SR_API_SECRET}
//!         # or: bearer: {token_env: SR_TOKEN}
//!       tls:
//!         ca_file: certs/registry-ca.pem   # relative to eventbind.yaml
//!         client_certificate: certs/ci.pem # mutual TLS, with client_key
//!         client_key: certs/ci.key
//! ```
//!
//! Secrets never live in the file: credentials are read from the environment variables the
//! section names, and a literal `password`, `token` or URL with credentials is refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use eventbind_build::catalog::CompatibilityMode;
use eventbind_build::diagnostic::{Diagnostic, Error, Location};
use eventbind_build::source::{self, FileFormat};
use eventbind_registry::{Client, Compatibility};

pub use eventbind_build::catalog_config::CONFIG_FILES;

/// How an event type's subject is named (the registry serializers' subject name strategies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SubjectStrategy {
    /// `<docs.topic>-value` (Confluent's `TopicNameStrategy`, the default).
    #[default]
    Topic,
    /// The record's fully-qualified name (`RecordNameStrategy`).
    Record,
    /// `<docs.topic>-<record name>` (`TopicRecordNameStrategy`).
    TopicRecord,
}

impl SubjectStrategy {
    const NAMES: &'static str = "`topic`, `record` or `topic_record`";

    fn parse(name: &str) -> Option<SubjectStrategy> {
        Some(match name {
            "topic" => SubjectStrategy::Topic,
            "record" => SubjectStrategy::Record,
            "topic_record" => SubjectStrategy::TopicRecord,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SubjectStrategy::Topic => "topic",
            SubjectStrategy::Record => "record",
            SubjectStrategy::TopicRecord => "topic_record",
        }
    }
}

/// What names one event type's subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectChoice {
    Strategy(SubjectStrategy),
    /// A subject given as is.
    Subject(String),
}

/// Where a value of the section is: the configuration file and a JSON pointer into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: PathBuf,
    pub pointer: String,
    line_col: Option<(usize, usize)>,
}

impl Place {
    /// A diagnostic at this place.
    pub fn diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(
            Location { file: self.file.clone(), pointer: Some(self.pointer.clone()), line_col: self.line_col },
            message,
        )
    }
}

/// Credentials, by the names of the environment variables that hold them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthFrom {
    Basic { username_env: (String, Place), password_env: (String, Place) },
    Bearer { token_env: (String, Place) },
}

/// TLS settings of an environment, paths resolved against the configuration file's folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca_file: Option<PathBuf>,
    pub client_certificate: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
}

/// One registry the catalog is published to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    pub name: String,
    pub url: String,
    pub auth: Option<AuthFrom>,
    pub tls: TlsFiles,
    pub place: Place,
}

impl Environment {
    /// A client of this environment's registry, credentials read through `var` (the process
    /// environment in the CLI). A variable that is unset or empty is an error at the key that
    /// names it.
    pub fn client(&self, var: &dyn Fn(&str) -> Option<String>) -> Result<Client, Diagnostic> {
        let read = |(name, place): &(String, Place)| -> Result<String, Diagnostic> {
            var(name).filter(|v| !v.is_empty()).ok_or_else(|| {
                place
                    .diagnostic(format!("environment `{}`: the environment variable `{name}` is not set", self.name))
                    .help(format!("export {name}=… before running eventbind, or name another variable here"))
            })
        };
        let mut builder = Client::builder(&self.url);
        builder = match &self.auth {
            None => builder,
            Some(AuthFrom::Basic { username_env, password_env }) => {
                builder.basic_auth(read(username_env)?, read(password_env)?)
            }
            Some(AuthFrom::Bearer { token_env }) => builder.bearer_token(read(token_env)?),
        };
        if let Some(ca) = &self.tls.ca_file {
            builder = builder.ca_file(ca);
        }
        if let (Some(chain), Some(key)) = (&self.tls.client_certificate, &self.tls.client_key) {
            builder = builder.client_certificate(chain, key);
        }
        builder.build().map_err(|e| self.place.diagnostic(format!("environment `{}`: {e}", self.name)))
    }
}

/// The `registry:` section in force (the defaults without one).
#[derive(Debug, Clone, Default)]
pub struct RegistryConfig {
    /// The configuration file, when there is one.
    pub file: Option<PathBuf>,
    pub strategy: SubjectStrategy,
    /// Per event type name: what names its subject, and where that is written.
    pub event_types: BTreeMap<String, (SubjectChoice, Place)>,
    /// Levels that differ from [`default_level`].
    levels: BTreeMap<&'static str, Compatibility>,
    pub environments: BTreeMap<String, Environment>,
}

/// The level a `compatibility_mode` maps to without a `levels:` entry (transitive, because an
/// event stream keeps every version it was written with).
pub fn default_level(mode: CompatibilityMode) -> Compatibility {
    match mode {
        CompatibilityMode::Compatible => Compatibility::FullTransitive,
        CompatibilityMode::Forward => Compatibility::ForwardTransitive,
        CompatibilityMode::None => Compatibility::None,
    }
}

fn mode_name(mode: CompatibilityMode) -> &'static str {
    match mode {
        CompatibilityMode::Compatible => "compatible",
        CompatibilityMode::Forward => "forward",
        CompatibilityMode::None => "none",
    }
}

const MODES: [&str; 3] = ["compatible", "forward", "none"];

impl RegistryConfig {
    /// Reads the `registry:` section of `eventbind.yaml` (or `.yml`) in the catalog folder `root`.
    pub fn load(root: &Path) -> Result<RegistryConfig, Error> {
        for name in CONFIG_FILES {
            let path = root.join(name);
            if path.is_file() {
                let shown = PathBuf::from(eventbind_build::display_path(&path));
                let text = source::read_text(&path, &shown)?;
                let dir = path.parent().unwrap_or(Path::new("."));
                return RegistryConfig::parse(&text, &shown, dir).map_err(Error::from);
            }
        }
        Ok(RegistryConfig::default())
    }

    /// The section of the configuration `text` (shown as `shown`); relative TLS paths are joined
    /// onto `dir`.
    pub fn parse(text: &str, shown: &Path, dir: &Path) -> Result<RegistryConfig, Diagnostic> {
        let (value, _) = source::parse(text, FileFormat::Yaml, shown)?;
        let r = Reader { text, shown };
        let mut config = RegistryConfig { file: Some(shown.to_owned()), ..RegistryConfig::default() };
        let Some(section) = value.get("registry") else { return Ok(config) };
        let section =
            r.mapping(section, "/registry", &["subject_strategy", "event_types", "levels", "environments"])?;
        if let Some(v) = section.get("subject_strategy") {
            config.strategy = r.strategy(v, "/registry/subject_strategy")?;
        }
        if let Some(v) = section.get("event_types") {
            for (name, entry) in r.mapping(v, "/registry/event_types", &[])? {
                let at = source::pointer_push("/registry/event_types", name);
                let entry = r.mapping(entry, &at, &["subject_strategy", "subject"])?;
                let choice = match (entry.get("subject_strategy"), entry.get("subject")) {
                    (Some(_), Some(_)) => {
                        return Err(r.error(&at, "give `subject_strategy` or `subject`, not both"));
                    }
                    (Some(v), None) => {
                        SubjectChoice::Strategy(r.strategy(v, &source::pointer_push(&at, "subject_strategy"))?)
                    }
                    (None, Some(v)) => {
                        let at = source::pointer_push(&at, "subject");
                        let subject = r.string(v, &at)?;
                        if subject.trim().is_empty() {
                            return Err(r.error(&at, "the subject is empty"));
                        }
                        SubjectChoice::Subject(subject.to_owned())
                    }
                    (None, None) => return Err(r.error(&at, "expected `subject_strategy` or `subject`")),
                };
                config.event_types.insert(name.clone(), (choice, r.place(&at)));
            }
        }
        if let Some(v) = section.get("levels") {
            for (mode, level) in r.mapping(v, "/registry/levels", &MODES)? {
                let at = source::pointer_push("/registry/levels", mode);
                let level = r.string(level, &at)?.parse::<Compatibility>().map_err(|e| r.error(&at, e.to_string()))?;
                let mode = MODES.into_iter().find(|m| m == mode).unwrap_or("none");
                config.levels.insert(mode, level);
            }
        }
        if let Some(v) = section.get("environments") {
            for (name, env) in r.mapping(v, "/registry/environments", &[])? {
                let at = source::pointer_push("/registry/environments", name);
                config.environments.insert(name.clone(), r.environment(name, env, &at, dir)?);
            }
        }
        Ok(config)
    }

    /// The subject level for `mode`.
    pub fn level(&self, mode: CompatibilityMode) -> Compatibility {
        self.levels.get(mode_name(mode)).copied().unwrap_or_else(|| default_level(mode))
    }

    /// What names the subject of the event type `name`.
    pub fn choice(&self, name: &str) -> SubjectChoice {
        match self.event_types.get(name) {
            Some((choice, _)) => choice.clone(),
            None => SubjectChoice::Strategy(self.strategy),
        }
    }

    /// The environment `name`, or an error listing the ones there are.
    pub fn environment(&self, name: &str) -> Result<&Environment, Diagnostic> {
        self.environments.get(name).ok_or_else(|| {
            let file = self.file.clone().unwrap_or_else(|| PathBuf::from(CONFIG_FILES[0]));
            let known: Vec<String> = self.environments.keys().map(|k| format!("`{k}`")).collect();
            Diagnostic::new(Location::at(file, "/registry/environments"), format!("no environment `{name}`")).help(
                if known.is_empty() {
                    "declare it under `registry: environments:` in eventbind.yaml".to_owned()
                } else {
                    format!("the environments are {}", known.join(", "))
                },
            )
        })
    }
}

/// Reads values of the section, every error at its place in the file.
struct Reader<'a> {
    text: &'a str,
    shown: &'a Path,
}

impl Reader<'_> {
    fn place(&self, pointer: &str) -> Place {
        let line_col = self.error(pointer, "").location.line_col;
        Place { file: self.shown.to_owned(), pointer: pointer.to_owned(), line_col }
    }

    fn error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Location::at(self.shown, pointer), message).locate_in(self.text)
    }

    /// An error about a value that holds a secret: its line is not shown, so that the secret
    /// does not reach CI logs.
    fn secret_error(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { source_line: None, ..self.error(pointer, message) }
    }

    /// A mapping whose keys are among `allowed` (any keys when `allowed` is empty).
    fn mapping<'v>(&self, v: &'v Value, pointer: &str, allowed: &[&str]) -> Result<&'v Map<String, Value>, Diagnostic> {
        let map = v.as_object().ok_or_else(|| self.error(pointer, "expected a mapping"))?;
        if !allowed.is_empty() {
            if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
                let list: Vec<String> = allowed.iter().map(|k| format!("`{k}`")).collect();
                return Err(self
                    .error(&source::pointer_push(pointer, key), format!("unknown key `{key}`"))
                    .help(format!("allowed here: {}", list.join(", "))));
            }
        }
        Ok(map)
    }

    fn string<'v>(&self, v: &'v Value, pointer: &str) -> Result<&'v str, Diagnostic> {
        v.as_str().ok_or_else(|| self.error(pointer, "expected a string"))
    }

    fn strategy(&self, v: &Value, pointer: &str) -> Result<SubjectStrategy, Diagnostic> {
        let name = self.string(v, pointer)?;
        SubjectStrategy::parse(name).ok_or_else(|| {
            self.error(pointer, format!("unknown subject strategy `{name}`"))
                .help(format!("one of {}", SubjectStrategy::NAMES))
        })
    }

    /// The name of an environment variable, at `<pointer>/<key>`.
    fn variable(&self, map: &Map<String, Value>, pointer: &str, key: &str) -> Result<(String, Place), Diagnostic> {
        let at = source::pointer_push(pointer, key);
        let v = map.get(key).ok_or_else(|| self.error(pointer, format!("`{key}` is missing")))?;
        let name = self.string(v, &at)?;
        let valid = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(self
                .error(&at, format!("`{name}` is not the name of an environment variable"))
                .help("`_env` keys name the variable that holds the secret (e.g. SR_API_SECRET), not the secret"));
        }
        Ok((name.to_owned(), self.place(&at)))
    }

    /// A mapping holding only `_env` keys; a literal secret is refused with the key to use.
    fn secrets<'v>(&self, v: &'v Value, pointer: &str, keys: &[&str]) -> Result<&'v Map<String, Value>, Diagnostic> {
        let map = v.as_object().ok_or_else(|| self.error(pointer, "expected a mapping"))?;
        for key in map.keys() {
            let env_key = format!("{key}_env");
            if keys.contains(&env_key.as_str()) {
                return Err(self
                    .secret_error(&source::pointer_push(pointer, key), format!("a literal `{key}` in the configuration file"))
                    .help(format!(
                        "secrets are never read from the file: write `{env_key}: VARIABLE` and set VARIABLE in the environment"
                    )));
            }
        }
        self.mapping(v, pointer, keys)
    }

    fn environment(&self, name: &str, v: &Value, pointer: &str, dir: &Path) -> Result<Environment, Diagnostic> {
        let map = self.mapping(v, pointer, &["url", "auth", "tls"])?;
        let url_at = source::pointer_push(pointer, "url");
        let url = self.string(map.get("url").ok_or_else(|| self.error(pointer, "`url` is missing"))?, &url_at)?;
        if url.split_once("://").is_some_and(|(_, rest)| rest.split('/').next().unwrap_or("").contains('@')) {
            return Err(self
                .secret_error(&url_at, "the URL holds credentials")
                .help("secrets are never read from the file: use `auth: basic: {username_env: …, password_env: …}`"));
        }
        // The URL's form is checked now, so that a bad one is reported at its place.
        Client::new(url).map_err(|e| self.error(&url_at, e.to_string()))?;
        let auth = match map.get("auth") {
            None => None,
            Some(v) => {
                let at = source::pointer_push(pointer, "auth");
                let auth = self.mapping(v, &at, &["basic", "bearer"])?;
                match (auth.get("basic"), auth.get("bearer")) {
                    (Some(basic), None) => {
                        let at = source::pointer_push(&at, "basic");
                        let m = self.secrets(basic, &at, &["username_env", "password_env"])?;
                        Some(AuthFrom::Basic {
                            username_env: self.variable(m, &at, "username_env")?,
                            password_env: self.variable(m, &at, "password_env")?,
                        })
                    }
                    (None, Some(bearer)) => {
                        let at = source::pointer_push(&at, "bearer");
                        let m = self.secrets(bearer, &at, &["token_env"])?;
                        Some(AuthFrom::Bearer { token_env: self.variable(m, &at, "token_env")? })
                    }
                    _ => return Err(self.error(&at, "expected one of `basic` or `bearer`")),
                }
            }
        };
        let mut tls = TlsFiles::default();
        if let Some(v) = map.get("tls") {
            let at = source::pointer_push(pointer, "tls");
            let m = self.mapping(v, &at, &["ca_file", "client_certificate", "client_key"])?;
            let path = |key: &str| -> Result<Option<PathBuf>, Diagnostic> {
                m.get(key).map(|v| self.string(v, &source::pointer_push(&at, key)).map(|p| dir.join(p))).transpose()
            };
            tls = TlsFiles {
                ca_file: path("ca_file")?,
                client_certificate: path("client_certificate")?,
                client_key: path("client_key")?,
            };
            if tls.client_certificate.is_some() != tls.client_key.is_some() {
                return Err(self.error(&at, "`client_certificate` and `client_key` go together"));
            }
        }
        Ok(Environment { name: name.to_owned(), url: url.to_owned(), auth, tls, place: self.place(pointer) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<RegistryConfig, Diagnostic> {
        RegistryConfig::parse(text, Path::new("eventbind.yaml"), Path::new("/catalog"))
    }

    fn error(text: &str) -> Diagnostic {
        parse(text).unwrap_err()
    }

    #[test]
    fn without_a_section_the_defaults() {
        let c = parse("lint:\n  except: [EB001]\n").unwrap();
        assert_eq!(c.strategy, SubjectStrategy::Topic);
        assert_eq!(c.choice("any"), SubjectChoice::Strategy(SubjectStrategy::Topic));
        assert_eq!(c.level(CompatibilityMode::Compatible), Compatibility::FullTransitive);
        assert_eq!(c.level(CompatibilityMode::Forward), Compatibility::ForwardTransitive);
        assert_eq!(c.level(CompatibilityMode::None), Compatibility::None);
        assert!(c.environments.is_empty());
    }

    #[test]
    fn strategies_overrides_and_levels() {
        let c = parse(
            "registry:\n  subject_strategy: record\n  event_types:\n    a.b: {subject_strategy: topic_record}\n    \
             c.d: {subject: legacy-value}\n  levels:\n    forward: FORWARD\n    compatible: backward_transitive\n",
        )
        .unwrap();
        assert_eq!(c.choice("x.y"), SubjectChoice::Strategy(SubjectStrategy::Record));
        assert_eq!(c.choice("a.b"), SubjectChoice::Strategy(SubjectStrategy::TopicRecord));
        assert_eq!(c.choice("c.d"), SubjectChoice::Subject("legacy-value".into()));
        assert_eq!(c.level(CompatibilityMode::Forward), Compatibility::Forward);
        assert_eq!(c.level(CompatibilityMode::Compatible), Compatibility::BackwardTransitive);
        assert_eq!(c.level(CompatibilityMode::None), Compatibility::None, "an unnamed mode keeps its default");
    }

    #[test]
    fn errors_name_the_place_and_what_is_allowed() {
        let e = error("registry:\n  subject_strategy: by_record\n");
        assert_eq!(e.location.line_col, Some((2, 21)), "{e}");
        assert!(e.message.contains("unknown subject strategy `by_record`"), "{e}");
        assert!(e.help.as_deref().unwrap().contains("`topic_record`"), "{e:?}");

        let e = error("registry:\n  levels:\n    forward: SIDEWAYS\n");
        assert_eq!(e.location.line_col, Some((3, 14)), "{e}");
        assert!(e.message.contains("`SIDEWAYS` is not a compatibility level"), "{e}");

        let e = error("registry:\n  levels:\n    backward: FULL\n");
        assert_eq!(e.location.pointer.as_deref(), Some("/registry/levels/backward"));
        assert!(e.help.as_deref().unwrap().contains("`compatible`, `forward`, `none`"), "{e:?}");

        let e = error("registry:\n  subjects: {}\n");
        assert_eq!(e.location.line_col.map(|l| l.0), Some(2), "{e}");
        assert!(e.help.as_deref().unwrap().contains("`environments`"), "{e:?}");

        let e = error("registry:\n  event_types:\n    a.b: {subject: x, subject_strategy: record}\n");
        assert_eq!(e.location.pointer.as_deref(), Some("/registry/event_types/a.b"));
        assert_eq!(e.location.line_col.map(|l| l.0), Some(3), "{e}");

        let e = error("registry:\n  environments:\n    dev: {}\n");
        assert!(e.message.contains("`url` is missing"), "{e}");
        let e = error("registry:\n  environments:\n    dev: {url: 'registry:8081'}\n");
        assert!(e.message.contains("not a URL"), "{e}");
        assert_eq!(e.location.pointer.as_deref(), Some("/registry/environments/dev/url"));
    }

    #[test]
    fn literal_secrets_are_refused() {
        let e = error(
            "registry:\n  environments:\n    prod:\n      url: https://r:8081\n      auth:\n        basic:\n          \
             username_env: SR_USER\n          password: hunter2\n",
        );
        assert_eq!(e.location.line_col, Some((8, 21)), "{e}");
        assert!(e.message.contains("a literal `password` in the configuration file"), "{e}");
        assert!(e.help.as_deref().unwrap().contains("`password_env: VARIABLE`"), "{e:?}");
        let shown = Error::from(e).to_string();
        assert!(
            shown.contains("eventbind.yaml:8:21") && !shown.contains("hunter2"),
            "the secret is not shown: {shown}"
        );

        let e =
            error("registry:\n  environments:\n    prod:\n      url: https://r\n      auth: {bearer: {token: abc}}\n");
        assert!(e.message.contains("a literal `token`"), "{e}");

        let e = error("registry:\n  environments:\n    prod: {url: 'https://key:secret@r:8081'}\n");
        assert!(e.message.contains("the URL holds credentials"), "{e}");
        assert!(!Error::from(e).to_string().contains("secret@"));

        let e = error(
            "registry:\n  environments:\n    p:\n      url: http://r\n      auth: {bearer: {token_env: 'abc def'}}\n",
        );
        assert!(e.message.contains("not the name of an environment variable"), "{e}");
    }

    #[test]
    fn environments_read_their_credentials_from_the_variables_they_name() {
        let c = parse(
            "registry:\n  environments:\n    qa:\n      url: https://qa:8081\n      auth:\n        basic: \
             {username_env: QA_USER, password_env: QA_PASSWORD}\n      tls: {ca_file: certs/ca.pem}\n    \
             dev: {url: 'http://localhost:8081', auth: {bearer: {token_env: DEV_TOKEN}}}\n",
        )
        .unwrap();
        let qa = c.environment("qa").unwrap();
        assert_eq!(qa.tls.ca_file.as_deref(), Some(Path::new("/catalog/certs/ca.pem")));
        let none = |_: &str| None;
        let e = qa.client(&none).unwrap_err();
        assert!(e.message.contains("`QA_USER` is not set"), "{e}");
        assert_eq!(e.location.pointer.as_deref(), Some("/registry/environments/qa/auth/basic/username_env"));
        assert_eq!(e.location.line_col.map(|l| l.0), Some(6), "{e}");
        // With the variables set, the CA file is read (and here missing).
        let set = |name: &str| Some(format!("value of {name}"));
        let e = qa.client(&set).unwrap_err();
        assert!(e.message.contains("cannot read the CA file /catalog/certs/ca.pem"), "{e}");
        let dev = c.environment("dev").unwrap();
        assert!(dev.client(&none).unwrap_err().message.contains("`DEV_TOKEN` is not set"));
        let client = dev.client(&set).unwrap();
        assert_eq!(client.url(), "http://localhost:8081");
        let e = c.environment("prod").unwrap_err();
        assert!(e.help.as_deref().unwrap().contains("`dev`, `qa`"), "{e:?}");
    }
}
