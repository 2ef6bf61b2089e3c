//! Karapace, a schema registry with Confluent's REST API, keeping its schemas in the broker.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use base64::Engine;

use crate::process::{self, Supervised};
use crate::{Error, Install, Kafka};

/// How long the registry may take to accept writes (about 9 s on a quiet 2-core machine).
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// A running registry on 127.0.0.1.
#[derive(Debug)]
pub struct Karapace {
    process: Supervised,
    port: u16,
}

impl Karapace {
    /// Starts a registry on `kafka` with its scratch folder in `dir`, ready (accepting writes)
    /// when this returns. `failed` is the run's failure marker, written when the start fails.
    pub fn start(install: &Install, dir: &Path, failed: &Path, kafka: &Kafka) -> Result<Karapace, Error> {
        Karapace::start_with(install, dir, failed, kafka, None)
    }

    /// Starts a registry that takes only HTTP basic authentication as `user` with `password`
    /// (Karapace's `registry_authfile`, the user allowed everything), keeping its schemas in a
    /// topic of its own so that it can share the broker with another registry.
    pub fn start_with_basic_auth(
        install: &Install,
        dir: &Path,
        failed: &Path,
        kafka: &Kafka,
        user: &str,
        password: &str,
    ) -> Result<Karapace, Error> {
        Karapace::start_with(install, dir, failed, kafka, Some((user, password)))
    }

    fn start_with(
        install: &Install,
        dir: &Path,
        failed: &Path,
        kafka: &Kafka,
        auth: Option<(&str, &str)>,
    ) -> Result<Karapace, Error> {
        let result = Karapace::try_start(install, dir, failed, kafka, auth);
        if result.is_err() {
            let _ = std::fs::write(failed, b"Karapace did not start\n");
        }
        result
    }

    fn try_start(
        install: &Install,
        dir: &Path,
        failed: &Path,
        kafka: &Kafka,
        auth: Option<(&str, &str)>,
    ) -> Result<Karapace, Error> {
        let _ = std::fs::remove_dir_all(dir);
        let scratch = dir.join("data");
        std::fs::create_dir_all(scratch.join("runtime"))
            .map_err(|e| Error::io(format!("cannot create {}", scratch.display()), e))?;
        let port = process::free_port()?;
        let mut python = Command::new(install.karapace_python());
        // `python -m karapace`: the `karapace` console script does not work as an entry point.
        python.arg("-m").arg("karapace").current_dir(&scratch);
        let topic = if auth.is_some() { "_schemas_basic_auth" } else { "_schemas" };
        let mut settings = vec![
            ("KARAPACE_BOOTSTRAP_URI", kafka.bootstrap()),
            ("KARAPACE_HOST", "127.0.0.1".into()),
            ("KARAPACE_PORT", port.to_string()),
            ("KARAPACE_ADVERTISED_HOSTNAME", "127.0.0.1".into()),
            ("KARAPACE_REGISTRY_HOST", "127.0.0.1".into()),
            ("KARAPACE_REGISTRY_PORT", port.to_string()),
            ("KARAPACE_COMPATIBILITY", "BACKWARD".into()),
            ("KARAPACE_REPLICATION_FACTOR", "1".into()),
            ("KARAPACE_TOPIC_NAME", topic.into()),
            ("KARAPACE_GROUP_ID", format!("schema-registry{topic}")),
            ("KARAPACE_PROTOBUF_RUNTIME_DIRECTORY", scratch.join("runtime").display().to_string()),
            ("KARAPACE_LOG_LEVEL", "INFO".into()),
        ];
        if let Some((user, password)) = auth {
            let authfile = scratch.join("authfile.json");
            write_authfile(install, &authfile, user, password)?;
            settings.push(("KARAPACE_REGISTRY_AUTHFILE", authfile.display().to_string()));
        }
        for (key, value) in settings {
            python.env(key, value);
        }
        let log = dir.join("karapace.log");
        let mut process = Supervised::spawn("Karapace", &python, &log, dir, failed)?;
        let url = format!("http://127.0.0.1:{port}");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(5)))
            .http_status_as_error(false)
            .build()
            .into();
        // It answers reads before it is the primary and refuses writes until then: ready is a
        // write that succeeds (setting the global level to the default it already has).
        process.wait_until("no write accepted (PUT /config)", START_TIMEOUT, || {
            let mut request =
                agent.put(format!("{url}/config")).header("Content-Type", "application/vnd.schemaregistry.v1+json");
            if let Some((user, password)) = auth {
                let pair = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                request = request.header("Authorization", format!("Basic {pair}"));
            }
            let response = request.send(r#"{"compatibility": "BACKWARD"}"#);
            Ok(matches!(response, Ok(r) if r.status() == 200))
        })?;
        Ok(Karapace { process, port })
    }

    /// The registry's base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The registry's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The registry's log.
    pub fn log(&self) -> &Path {
        self.process.log()
    }
}

/// Karapace's user file: one user, hashed by Karapace's own `karapace_mkpasswd`
/// (`karapace.core.auth`), allowed to read and write everything.
fn write_authfile(install: &Install, path: &Path, user: &str, password: &str) -> Result<(), Error> {
    let out = Command::new(install.karapace_python())
        .args(["-m", "karapace.core.auth", "-u", user, "-a", "sha512", password, "eventbind-test-salt"])
        .output()
        .map_err(|e| Error::io("cannot run karapace_mkpasswd", e))?;
    if !out.status.success() {
        return Err(Error::new(format!("karapace_mkpasswd failed: {}", String::from_utf8_lossy(&out.stderr))));
    }
    let entry = String::from_utf8_lossy(&out.stdout);
    let users = format!(
        r#"{{"users": [{entry}], "permissions": [{{"username": {user:?}, "operation": "Write", "resource": ".*"}}]}}"#
    );
    std::fs::write(path, users).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}
