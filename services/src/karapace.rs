//! Karapace, a schema registry with Confluent's REST API, keeping its schemas in the broker.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

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
        let result = Karapace::try_start(install, dir, failed, kafka);
        if result.is_err() {
            let _ = std::fs::write(failed, b"Karapace did not start\n");
        }
        result
    }

    fn try_start(install: &Install, dir: &Path, failed: &Path, kafka: &Kafka) -> Result<Karapace, Error> {
        let _ = std::fs::remove_dir_all(dir);
        let scratch = dir.join("data");
        std::fs::create_dir_all(scratch.join("runtime"))
            .map_err(|e| Error::io(format!("cannot create {}", scratch.display()), e))?;
        let port = process::free_port()?;
        let mut python = Command::new(install.karapace_python());
        // `python -m karapace`: the `karapace` console script does not work as an entry point.
        python.arg("-m").arg("karapace").current_dir(&scratch);
        for (key, value) in [
            ("KARAPACE_BOOTSTRAP_URI", kafka.bootstrap()),
            ("KARAPACE_HOST", "127.0.0.1".into()),
            ("KARAPACE_PORT", port.to_string()),
            ("KARAPACE_ADVERTISED_HOSTNAME", "127.0.0.1".into()),
            ("KARAPACE_REGISTRY_HOST", "127.0.0.1".into()),
            ("KARAPACE_REGISTRY_PORT", port.to_string()),
            ("KARAPACE_COMPATIBILITY", "BACKWARD".into()),
            ("KARAPACE_REPLICATION_FACTOR", "1".into()),
            ("KARAPACE_TOPIC_NAME", "_schemas".into()),
            ("KARAPACE_PROTOBUF_RUNTIME_DIRECTORY", scratch.join("runtime").display().to_string()),
            ("KARAPACE_LOG_LEVEL", "INFO".into()),
        ] {
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
            let response = agent
                .put(format!("{url}/config"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .send(r#"{"compatibility": "BACKWARD"}"#);
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
