//! Real services for eventbind's integration tests: a single-node Kafka 4.4 broker (KRaft) and
//! Karapace, a Confluent-compatible schema registry, started on free 127.0.0.1 ports and stopped
//! when the test process ends.
//!
//! `services/install` (run by `.ci/run`, and once by a developer) puts them into
//! `$EVENTBIND_SERVICES_HOME` (default `~/.cache/eventbind/services`). A test asks for the test
//! binary's shared instance, started on first use:
//!
//! ```no_run
//! # fn main() {
//! let Some(services) = eventbind_services::shared() else { return }; // not installed: skipped
//! let bootstrap = services.kafka.bootstrap(); // "127.0.0.1:<port>"
//! let registry = services.registry.url(); // "http://127.0.0.1:<port>"
//! # let _ = (bootstrap, registry);
//! # }
//! ```
//!
//! - Not installed: with `CI=true` [`shared`] panics (the test fails); otherwise it prints a
//!   skip line naming `services/install` and returns `None`.
//! - Ready means ready: Kafka has logged `Kafka Server started` and takes connections; Karapace
//!   has accepted a write (it refuses writes until it has become the primary).
//! - On failure the logs are kept: a service that does not start fails with the tail of its log;
//!   a test that panics while holding the [`Guard`] marks the run failed, and the guard prints
//!   the logs' paths and tails. Otherwise the run's folder is removed when the services stop.
//! - No orphans: each service runs under a supervisor that stops its whole process group when
//!   the test process ends, however it ends (see [`Services`] for explicit instances).

mod kafka;
mod karapace;
mod process;
pub mod tls;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

pub use kafka::Kafka;
pub use karapace::Karapace;

/// The command that installs the services, as the skip line names it.
pub const INSTALL_COMMAND: &str = "services/install";

/// A service that could not be started or used.
#[derive(Debug, Clone)]
pub struct Error {
    message: String,
}

impl Error {
    fn new(message: impl Into<String>) -> Error {
        Error { message: message.into() }
    }

    fn io(what: impl fmt::Display, e: std::io::Error) -> Error {
        Error::new(format!("{what}: {e}"))
    }

    /// The error with the path and last lines of `log` appended.
    fn with_log(mut self, log: &Path) -> Error {
        self.message.push_str(&format!("\n--- {} (last 40 lines) ---\n{}", log.display(), process::tail(log, 40)));
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Where `services/install` put the services.
#[derive(Debug, Clone)]
pub struct Install {
    home: PathBuf,
}

impl Install {
    /// The services home: `$EVENTBIND_SERVICES_HOME`, else `~/.cache/eventbind/services`.
    pub fn home() -> PathBuf {
        match std::env::var_os("EVENTBIND_SERVICES_HOME") {
            Some(home) if !home.is_empty() => PathBuf::from(home),
            _ => {
                let user = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
                user.join(".cache/eventbind/services")
            }
        }
    }

    /// The installation, or why it is not usable (what is missing, and the command to run).
    pub fn locate() -> Result<Install, Error> {
        let home = Install::home();
        let install = Install { home };
        let missing = |what: &str| {
            Error::new(format!(
                "{what} is not installed in {}: run `{INSTALL_COMMAND}` (needs java, mvn, go and Python 3.12)",
                install.home.display()
            ))
        };
        if !install.kafka_libs().join("kafka_2.13-4.4.0.jar").is_file() {
            return Err(missing("Kafka 4.4.0"));
        }
        if !install.karapace_python().is_file() {
            return Err(missing("Karapace 6.2.0"));
        }
        match std::process::Command::new("java").arg("-version").output() {
            Ok(out) if out.status.success() => Ok(install),
            _ => Err(Error::new("`java` does not run: Kafka needs a JDK 17+ on PATH")),
        }
    }

    fn kafka_libs(&self) -> PathBuf {
        self.home.join("kafka-4.4.0/libs")
    }

    fn karapace_python(&self) -> PathBuf {
        self.home.join("karapace-6.2.0/venv/bin/python")
    }
}

/// A Kafka broker and a Karapace registry on it, with the folder of their logs and data.
///
/// Dropping it stops both (the registry first) and removes the folder, keeping the logs when
/// [`Services::mark_failed`] was called. The [`shared`] instance of a test binary is never
/// dropped: its services stop when the test process ends.
#[derive(Debug)]
pub struct Services {
    // Fields drop in order: the registry stops before the broker it keeps its schemas in.
    /// The schema registry.
    pub registry: Karapace,
    /// The broker.
    pub kafka: Kafka,
    dir: PathBuf,
}

impl Services {
    /// Starts a broker and a registry on it, each ready when this returns (about 20 s).
    pub fn start() -> Result<Services, Error> {
        let install = Install::locate()?;
        let dir = run_dir()?;
        let kafka = Kafka::start(&install, &dir.join("kafka"), &dir.join(FAILED))?;
        let registry = Karapace::start(&install, &dir.join("karapace"), &dir.join(FAILED), &kafka)?;
        Ok(Services { registry, kafka, dir })
    }

    /// A second registry on this broker that takes only HTTP basic authentication as `user`
    /// with `password`; it stops when dropped.
    pub fn registry_with_basic_auth(&self, user: &str, password: &str) -> Result<Karapace, Error> {
        let install = Install::locate()?;
        Karapace::start_with_basic_auth(
            &install,
            &self.dir.join("karapace-basic-auth"),
            &self.dir.join(FAILED),
            &self.kafka,
            user,
            password,
        )
    }

    /// The folder of this run: `kafka/` and `karapace/`, each with its log.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keeps the logs when the services stop, and returns where they are with their last lines.
    pub fn mark_failed(&self) -> String {
        let _ = std::fs::write(self.dir.join(FAILED), b"a test failed: the logs are kept\n");
        self.report()
    }

    /// The logs' paths and their last lines.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for log in [self.kafka.log(), self.registry.log()] {
            out.push_str(&format!("--- {} (last 30 lines) ---\n{}\n", log.display(), process::tail(log, 30)));
        }
        out
    }
}

/// The marker file whose presence keeps the logs of a run.
const FAILED: &str = "FAILED";

/// A new folder for one run's logs and data, under the system's temporary folder.
fn run_dir() -> Result<PathBuf, Error> {
    static RUNS: AtomicU32 = AtomicU32::new(0);
    let n = RUNS.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("eventbind-services-{}-{n}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| Error::io(format!("cannot clear {}", dir.display()), e))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    Ok(dir)
}

/// Whether a missing service fails the test (`CI=true`) rather than skipping it.
pub fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The shared services of this test binary, or `None` when they are not installed and the
/// test is to be skipped (a skip line is printed). With `CI=true` a missing install panics, and
/// so does, always, an install whose services fail to start (with their logs' tails).
pub fn shared() -> Option<Guard> {
    static SHARED: OnceLock<Result<Services, (bool, String)>> = OnceLock::new();
    let services = SHARED.get_or_init(|| match Install::locate() {
        Err(e) => Err((false, e.to_string())),
        Ok(_) => Services::start().map_err(|e| (true, e.to_string())),
    });
    match services {
        Ok(services) => Some(Guard { services }),
        Err((true, why)) => panic!("the services did not start: {why}"),
        Err((false, why)) if required() => panic!("CI=true and the services are missing: {why}"),
        Err((false, why)) => {
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// A test's hold on the shared services: when the test panics while holding it, the run is
/// marked failed (its logs are kept) and the logs' paths and tails are printed.
#[derive(Debug)]
pub struct Guard {
    services: &'static Services,
}

impl std::ops::Deref for Guard {
    type Target = Services;
    fn deref(&self) -> &Services {
        self.services
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("the services' logs are kept:\n{}", self.services.mark_failed());
        }
    }
}
