//! Where things are in a store:
//!
//! ```text
//! STORE/event_type=<name>/date=<YYYY-MM-DD>/part-<run>-<n>.parquet   events (immutable)
//! STORE/_quarantine/run-<run>.ndjson                                 events not stored, and why
//! STORE/_eventbind/runs.log                                          one line per write run
//! STORE/_eventbind/lock                                              held while a run writes
//! ```
//!
//! Engines skip names starting with `_` or `.` (Spark, Hive, Athena, Presto), so only the event
//! files are data. Files are written under a hidden temporary name and linked to their final name
//! when complete, which never replaces an existing file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

/// The folder of one partition.
pub fn partition_dir(store: &Path, event_type: &str, date: NaiveDate) -> PathBuf {
    store.join(format!("event_type={event_type}")).join(format!("date={}", date.format("%Y-%m-%d")))
}

/// The final name of a run's `n`-th file in a partition.
pub fn file_name(run: u64, n: u32) -> String {
    format!("part-{run:06}-{n:04}.parquet")
}

pub fn quarantine_file(store: &Path, run: u64) -> PathBuf {
    store.join("_quarantine").join(format!("run-{run:06}.ndjson"))
}

fn meta_dir(store: &Path) -> PathBuf {
    store.join("_eventbind")
}

/// Whether a file name is one of the store's event files (not hidden, not temporary).
pub fn is_event_file(name: &str) -> bool {
    !name.starts_with(['.', '_']) && name.ends_with(".parquet")
}

/// The event types of a store, from its folder names.
pub fn event_types(store: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(store)? {
        let name = entry?.file_name();
        if let Some(t) = name.to_str().and_then(|n| n.strip_prefix("event_type=")) {
            out.push(t.to_owned());
        }
    }
    out.sort();
    Ok(out)
}

/// The dates of an event type's partitions, ascending.
pub fn dates(store: &Path, event_type: &str) -> io::Result<Vec<NaiveDate>> {
    let dir = store.join(format!("event_type={event_type}"));
    let mut out = Vec::new();
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let name = entry?.file_name();
        if let Some(d) = name.to_str().and_then(|n| n.strip_prefix("date=")) {
            if let Ok(d) = NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                out.push(d);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The event files of a partition, by name.
pub fn files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_str().is_some_and(is_event_file) {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

/// A file being written: created under a hidden name, published under its final one.
#[derive(Debug)]
pub struct PendingFile {
    pub temp: PathBuf,
    pub path: PathBuf,
}

impl PendingFile {
    pub fn create(dir: &Path, name: &str) -> io::Result<(PendingFile, File)> {
        fs::create_dir_all(dir)?;
        let temp = dir.join(format!(".{name}.tmp"));
        let file = OpenOptions::new().write(true).create_new(true).open(&temp)?;
        Ok((PendingFile { temp, path: dir.join(name) }, file))
    }

    /// Gives the file its final name; an existing file of that name is an error, never replaced.
    pub fn publish(self) -> io::Result<PathBuf> {
        fs::hard_link(&self.temp, &self.path)?;
        fs::remove_file(&self.temp)?;
        Ok(self.path)
    }
}

/// The store's write lock and run number, held for one run.
#[derive(Debug)]
pub struct RunLock {
    lock: PathBuf,
    log: PathBuf,
    pub run: u64,
}

impl RunLock {
    /// Takes the lock (one writer at a time) and the next run number.
    pub fn take(store: &Path) -> io::Result<RunLock> {
        let dir = meta_dir(store);
        fs::create_dir_all(&dir)?;
        let lock = dir.join("lock");
        match OpenOptions::new().write(true).create_new(true).open(&lock) {
            Ok(mut f) => writeln!(f, "pid {}", std::process::id())?,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(io::Error::new(
                    e.kind(),
                    format!(
                        "{} exists: another `eventbind store write` is writing to this store (if none is, a run \
                         was killed: remove the file)",
                        lock.display()
                    ),
                ))
            }
            Err(e) => return Err(e),
        }
        let log = dir.join("runs.log");
        let last = match fs::read_to_string(&log) {
            Ok(text) => text.lines().filter_map(|l| l.split('\t').next()?.parse::<u64>().ok()).max().unwrap_or(0),
            Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
            Err(e) => {
                let _ = fs::remove_file(&lock);
                return Err(e);
            }
        };
        let run = RunLock { lock, log, run: last + 1 };
        // Logged now, so that a run that dies still takes its number.
        run.append("started")?;
        Ok(run)
    }

    fn append(&self, what: &str) -> io::Result<()> {
        let mut log = OpenOptions::new().create(true).append(true).open(&self.log)?;
        writeln!(log, "{}\t{}\t{}", self.run, chrono::Utc::now().to_rfc3339(), what.replace(['\n', '\t'], " "))
    }

    /// Records the run in the log and releases the lock.
    pub fn finish(self, summary: &str) -> io::Result<()> {
        self.append(summary)
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.lock);
    }
}
