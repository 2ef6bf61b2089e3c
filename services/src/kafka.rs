//! A single-node Kafka broker in KRaft mode (broker and controller in one process).

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::process::{self, Supervised};
use crate::{Error, Install};

/// How long the broker may take to start (12–13 s on a quiet 2-core machine).
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// Start attempts: a port found free can be taken by someone else before the broker binds it.
const ATTEMPTS: usize = 3;

/// A running broker on 127.0.0.1.
#[derive(Debug)]
pub struct Kafka {
    process: Supervised,
    port: u16,
}

impl Kafka {
    /// Formats a log folder in `dir` and starts a broker on it, ready when this returns.
    /// `failed` is the run's failure marker, written when the start fails (the log is kept).
    pub fn start(install: &Install, dir: &Path, failed: &Path) -> Result<Kafka, Error> {
        let mut last = None;
        for _ in 0..ATTEMPTS {
            match Kafka::try_start(install, dir, failed) {
                Ok(kafka) => return Ok(kafka),
                Err((e, port_taken)) => {
                    if !port_taken {
                        let _ = std::fs::write(failed, b"Kafka did not start\n");
                        return Err(e);
                    }
                    last = Some(e);
                }
            }
        }
        let _ = std::fs::write(failed, b"Kafka did not start\n");
        Err(last.unwrap_or_else(|| Error::new("Kafka did not start")))
    }

    /// One start; the error says whether a port was taken (worth another try).
    fn try_start(install: &Install, dir: &Path, failed: &Path) -> Result<Kafka, (Error, bool)> {
        let fatal = |e: Error| (e, false);
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir.join("data"))
            .map_err(|e| fatal(Error::io(format!("cannot create {}", dir.display()), e)))?;
        let (port, controller) = (process::free_port().map_err(fatal)?, process::free_port().map_err(fatal)?);
        let config = dir.join("server.properties");
        write(&config, &server_properties(port, controller, &dir.join("data"))).map_err(fatal)?;
        let log4j = dir.join("log4j2.properties");
        write(&log4j, LOG4J).map_err(fatal)?;
        let classpath = format!("{}/*", install.kafka_libs().display());
        format_storage(&classpath, &config, dir).map_err(fatal)?;

        let mut java = Command::new("java");
        java.arg("-Xms256m")
            .arg("-Xmx512m")
            .arg(format!("-Dlog4j2.configurationFile={}", log4j.display()))
            .arg("-cp")
            .arg(&classpath)
            .arg("kafka.Kafka")
            .arg(&config);
        let log = dir.join("kafka.log");
        let mut process = Supervised::spawn("Kafka", &java, &log, dir, failed).map_err(fatal)?;
        let address = format!("127.0.0.1:{port}");
        let ready = process.wait_until("no `Kafka Server started` in its log", START_TIMEOUT, || {
            Ok(process::log_contains(&log, "Kafka Server started")?
                && TcpStream::connect_timeout(&address.parse().expect("an address"), Duration::from_secs(1)).is_ok())
        });
        match ready {
            Ok(_) => Ok(Kafka { process, port }),
            Err(e) => {
                let taken = process::log_contains(&log, "Address already in use").unwrap_or(false);
                Err((e, taken))
            }
        }
    }

    /// The bootstrap address, `127.0.0.1:<port>`.
    pub fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The broker's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The broker's log.
    pub fn log(&self) -> &Path {
        self.process.log()
    }
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Formats the log folder with a new cluster id (what `kafka-storage.sh format` does).
fn format_storage(classpath: &str, config: &Path, dir: &Path) -> Result<(), Error> {
    let out = Command::new("java")
        .arg("-cp")
        .arg(classpath)
        .arg("kafka.tools.StorageTool")
        .arg("format")
        .arg("-t")
        .arg(cluster_id())
        .arg("-c")
        .arg(config)
        .arg("--ignore-formatted")
        .current_dir(dir)
        .output()
        .map_err(|e| Error::io("cannot run java (kafka.tools.StorageTool)", e))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::new(format!(
            "formatting Kafka's log folder failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

/// A cluster id as Kafka writes them: a random UUID in URL-safe base64 without padding, not
/// starting with `-` (which Kafka's own generator avoids, as command lines would take it for an
/// option).
fn cluster_id() -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    loop {
        let bytes = uuid::Uuid::new_v4().into_bytes();
        let mut bits: u32 = 0;
        let mut held = 0;
        let mut out = String::with_capacity(22);
        for b in bytes {
            bits = (bits << 8) | u32::from(b);
            held += 8;
            while held >= 6 {
                held -= 6;
                out.push(ALPHABET[((bits >> held) & 63) as usize] as char);
            }
        }
        if held > 0 {
            out.push(ALPHABET[((bits << (6 - held)) & 63) as usize] as char);
        }
        if !out.starts_with('-') {
            return out;
        }
    }
}

/// The broker's configuration: one node that is broker and controller, every internal topic
/// with one replica and one partition (the default 50 partitions of the offsets topic take
/// seconds to create on the first consumer group).
fn server_properties(port: u16, controller: u16, data: &Path) -> String {
    let data: PathBuf = data.to_owned();
    format!(
        "process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:{controller}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller}
advertised.listeners=PLAINTEXT://127.0.0.1:{port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs={data}
num.partitions=1
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
share.coordinator.state.topic.num.partitions=1
min.insync.replicas=1
",
        data = data.display()
    )
}

/// Log4j 2 configuration: INFO and above to standard output (the supervisor's log file).
const LOG4J: &str = "status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = out
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.controller.name = state.change.logger
logger.controller.level = WARN
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_ids_are_22_url_safe_base64_characters() {
        for _ in 0..100 {
            let id = cluster_id();
            assert_eq!(id.len(), 22, "{id}");
            assert!(id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{id}");
            assert!(!id.starts_with('-'), "{id}");
        }
    }
}
