//! A service process that cannot outlive the test process that started it.
//!
//! Each service runs under a small `sh` supervisor in a process group of its own. The supervisor
//! holds the read end of a pipe whose write end only the test process has: when the test process
//! ends (normally, by a panic, or killed) or the [`Supervised`] is dropped, the pipe closes, and
//! the supervisor stops the service (TERM, then KILL of the whole group) and removes the
//! service's data folder, keeping its log when the run was marked failed. A `static` shared
//! instance, which Rust never drops, is thus stopped too.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Error;

/// The supervisor: `$1` is the service's folder, `$2` the run's failure marker, then the command.
/// It starts the command, and when its standard input closes it stops the command (TERM, KILL
/// after 10 s), removes the folder (only its `data/` when the marker exists, so the log stays),
/// and kills what is left of the group, itself included.
const SUPERVISOR: &str = r#"
dir="$1"; failed="$2"; shift 2
exec 3<&0
"$@" </dev/null 3<&- &
child=$!
{
    while read -r _; do :; done
    kill -TERM "$child" 2>/dev/null
    i=0
    while kill -0 "$child" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "$child" 2>/dev/null
    if [ -e "$failed" ]; then
        rm -rf "$dir/data"
    else
        rm -rf "$dir"
        rmdir "$(dirname "$dir")" 2>/dev/null
    fi
    kill -KILL 0
} <&3 3<&- &
exec 3<&-
wait "$child"
"#;

/// How long [`Supervised`]'s drop waits for the supervisor before killing the group itself.
const STOP_WAIT: Duration = Duration::from_secs(15);

/// A running service.
#[derive(Debug)]
pub struct Supervised {
    name: &'static str,
    child: Child,
    stdin: Option<ChildStdin>,
    log: PathBuf,
}

impl Supervised {
    /// Starts `command` with its output in `log`; `dir` (the service's folder) is removed when it
    /// stops, all but the log when `failed` exists then.
    pub fn spawn(
        name: &'static str,
        command: &Command,
        log: &Path,
        dir: &Path,
        failed: &Path,
    ) -> Result<Supervised, Error> {
        let out = File::create(log).map_err(|e| Error::io(format!("cannot create {}", log.display()), e))?;
        let err = out.try_clone().map_err(|e| Error::io(format!("cannot open {}", log.display()), e))?;
        let mut sh = Command::new("sh");
        sh.arg("-c").arg(SUPERVISOR).arg("eventbind-service").arg(dir).arg(failed);
        sh.arg(command.get_program()).args(command.get_args());
        for (key, value) in command.get_envs() {
            match value {
                Some(v) => sh.env(key, v),
                None => sh.env_remove(key),
            };
        }
        if let Some(dir) = command.get_current_dir() {
            sh.current_dir(dir);
        }
        sh.stdin(Stdio::piped()).stdout(out).stderr(err).process_group(0);
        let mut child = sh.spawn().map_err(|e| Error::io(format!("cannot start {name} (sh)"), e))?;
        let stdin = child.stdin.take();
        Ok(Supervised { name, child, stdin, log: log.to_owned() })
    }

    /// The service's log file.
    pub fn log(&self) -> &Path {
        &self.log
    }

    /// The process group id (the supervisor's pid).
    fn group(&self) -> u32 {
        self.child.id()
    }

    /// An error if the service has exited.
    pub fn check_running(&mut self) -> Result<(), Error> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(Error::new(format!("{} exited ({status})", self.name)).with_log(&self.log)),
            Err(e) => Err(Error::io(format!("cannot wait for {}", self.name), e)),
        }
    }

    /// Waits until `ready` says yes, failing when the service exits or `timeout` passes.
    pub fn wait_until(
        &mut self,
        what: &str,
        timeout: Duration,
        mut ready: impl FnMut() -> Result<bool, Error>,
    ) -> Result<Duration, Error> {
        let start = Instant::now();
        loop {
            self.check_running()?;
            if ready()? {
                return Ok(start.elapsed());
            }
            if start.elapsed() > timeout {
                return Err(Error::new(format!("{} not ready after {} s: {what}", self.name, timeout.as_secs()))
                    .with_log(&self.log));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the service: closes the supervisor's input and waits until its process group is
    /// gone (the service stopped, its folder removed), killing the group if that takes too long.
    pub fn stop(&mut self) {
        drop(self.stdin.take());
        let start = Instant::now();
        while start.elapsed() < STOP_WAIT {
            // Reaped, or the supervisor would stay in the group as a zombie.
            let _ = self.child.try_wait();
            if !self.group_alive() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.signal_group("-KILL");
        let _ = self.child.wait();
    }

    /// Whether any process of the group is left.
    fn group_alive(&self) -> bool {
        self.signal_group("-0")
    }

    /// Sends `signal` to the group, by the `kill` command (the crate has no unsafe code for
    /// kill(2)); whether any process received it.
    fn signal_group(&self, signal: &str) -> bool {
        Command::new("kill")
            .arg(signal)
            .arg("--")
            .arg(format!("-{}", self.group()))
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Supervised {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether `log` holds `needle`.
pub fn log_contains(log: &Path, needle: &str) -> Result<bool, Error> {
    let mut text = String::new();
    File::open(log)
        .and_then(|mut f| f.read_to_string(&mut text))
        .map_err(|e| Error::io(format!("cannot read {}", log.display()), e))?;
    Ok(text.contains(needle))
}

/// The last `lines` lines of `log` (empty when it cannot be read).
pub fn tail(log: &Path, lines: usize) -> String {
    let Ok(mut f) = File::open(log) else { return String::new() };
    // The last 64 KiB hold the last lines of any log these services write.
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = f.seek(SeekFrom::Start(len.saturating_sub(64 * 1024)));
    let mut bytes = Vec::new();
    let _ = f.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// A port that was free on 127.0.0.1 a moment ago.
pub fn free_port() -> Result<u16, Error> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| Error::io("cannot bind 127.0.0.1:0", e))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| Error::io("cannot read a bound port", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pids of the processes in process group `group`, from /proc.
    fn members(group: u32) -> Vec<u32> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            // Fields after the command's closing parenthesis: state, ppid, pgrp, …
            let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
            if fields[2].parse::<u32>() == Ok(group) {
                out.push(pid);
            }
        }
        out
    }

    fn sleeper(run: &Path) -> (Supervised, PathBuf) {
        let dir = run.join("sleeper");
        std::fs::create_dir_all(dir.join("data")).unwrap();
        let mut sleep = Command::new("sleep");
        sleep.arg("600");
        let log = dir.join("sleeper.log");
        (Supervised::spawn("sleeper", &sleep, &log, &dir, &run.join("FAILED")).unwrap(), dir)
    }

    #[test]
    fn a_dropped_service_leaves_no_process_and_no_folder() {
        let run = tempfile::tempdir().unwrap();
        let (mut service, dir) = sleeper(run.path());
        let group = service.group();
        service.wait_until("the group", Duration::from_secs(10), || Ok(members(group).len() >= 2)).unwrap();
        drop(service);
        assert_eq!(members(group), Vec::<u32>::new(), "the supervisor and `sleep` are gone");
        assert!(!dir.exists(), "the service's folder is removed");
    }

    #[test]
    fn a_failed_run_keeps_the_log_and_drops_the_data() {
        let run = tempfile::tempdir().unwrap();
        let (mut service, dir) = sleeper(run.path());
        std::fs::write(run.path().join("FAILED"), "x").unwrap();
        service.check_running().unwrap();
        drop(service);
        assert!(dir.join("sleeper.log").exists(), "the log is kept");
        assert!(!dir.join("data").exists(), "the data is removed");
    }

    #[test]
    fn a_service_that_exits_is_reported_with_its_log() {
        let run = tempfile::tempdir().unwrap();
        let dir = run.path().join("echo");
        std::fs::create_dir_all(&dir).unwrap();
        let mut sh = Command::new("sh");
        sh.arg("-c").arg("echo 'bind: Address already in use'; exit 3");
        let mut service =
            Supervised::spawn("echo", &sh, &dir.join("echo.log"), &dir, &run.path().join("FAILED")).unwrap();
        let err = service.wait_until("never", Duration::from_secs(10), || Ok(false)).unwrap_err().to_string();
        assert!(err.contains("echo exited") && err.contains("Address already in use"), "{err}");
    }
}
