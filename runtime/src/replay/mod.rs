//! Replaying stored events into a new read model: events of chosen types whose `occurred_at`
//! lies in `[from, to)`, read from NDJSON files (and Avro container files with the `avro`
//! feature), in order of occurrence; ties go to the earlier input in the list, then the earlier
//! line. Inputs larger than memory are sorted externally: runs of at most
//! [`Replay::run_bytes`] are sorted and spilled to temporary files, then merged.
//!
//! Nothing is dropped silently. Lines that cannot be placed in time (not JSON, invalid UTF-8,
//! no `metadata.event_type`, a missing or unparseable `occurred_at`) go to the problem callback
//! while reading; events of types the decoder does not know, or that fail to decode, come out of
//! the iterator as [`Problem`]s in their place.
//!
//! ```no_run
//! # mod events { pub type AnyEvent = eventbind::replay::RawJson; }
//! use eventbind::replay::Replay;
//! let events = Replay::new()
//!     .file("store/2024-05.ndjson")
//!     .event_type("order.order_placed")
//!     .from("2024-05-01T00:00:00Z".parse().unwrap())
//!     .sort(|problem| eprintln!("{problem}"))?
//!     .decode::<events::AnyEvent>();
//! for event in events {
//!     match event {
//!         Ok(replayed) => { /* apply replayed.event to the read model */ }
//!         Err(problem) => eprintln!("{problem}"),
//!     }
//! }
//! # Ok::<(), std::io::Error>(())
//! ```

mod scan;
mod sort;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};

use crate::json::DecodeError;
use sort::{Entry, Key, Merged, Sorter};

/// A type that replayed events decode into. The generated `AnyEvent` implements it.
pub trait ReplayEvent: Sized {
    /// Whether events of this type can be decoded (others are reported as unknown).
    fn knows(event_type: &str) -> bool;
    /// Decodes an event of the named type from its JSON text.
    fn decode(event_type: &str, json: &[u8]) -> Result<Self, DecodeError>;
}

/// Any event as its JSON text, unchecked: for tools that pass events through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawJson(pub Vec<u8>);

impl ReplayEvent for RawJson {
    fn knows(_: &str) -> bool {
        true
    }
    fn decode(_: &str, json: &[u8]) -> Result<Self, DecodeError> {
        Ok(RawJson(json.to_vec()))
    }
}

/// An event that could not be replayed: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: Arc<Path>,
    /// The input's position in the list.
    pub source: usize,
    /// 1-based line (the record's position in an Avro file; 0 for the file as a whole).
    pub line: usize,
    pub event_type: Option<String>,
    pub reason: String,
}

impl Problem {
    fn new(file: &Path, source: usize, line: usize, event_type: Option<String>, reason: String) -> Self {
        Problem { file: Arc::from(file), source, line, event_type, reason }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file.display(), self.line)?;
        if let Some(t) = &self.event_type {
            write!(f, "{t}: ")?;
        }
        f.write_str(&self.reason)
    }
}

/// An event read for replay, before decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEvent {
    pub source: usize,
    pub line: usize,
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    /// The event's JSON text as stored (one line, without its line break).
    pub json: Vec<u8>,
}

/// A decoded event and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Replayed<E> {
    pub event: E,
    pub source: usize,
    pub line: usize,
    pub occurred_at: DateTime<Utc>,
}

/// What to replay. Build it, then [`sort`](Replay::sort).
#[derive(Debug, Clone)]
pub struct Replay {
    files: Vec<PathBuf>,
    event_types: BTreeSet<String>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    run_bytes: usize,
    temp_dir: Option<PathBuf>,
}

impl Default for Replay {
    fn default() -> Self {
        Replay::new()
    }
}

/// The default memory budget of one sorted run.
pub const DEFAULT_RUN_BYTES: usize = 256 * 1024 * 1024;

impl Replay {
    pub fn new() -> Self {
        Replay {
            files: Vec::new(),
            event_types: BTreeSet::new(),
            from: None,
            to: None,
            run_bytes: DEFAULT_RUN_BYTES,
            temp_dir: None,
        }
    }

    /// An input: NDJSON, or an Avro container file (`.avro`, feature `avro`). Order matters for
    /// ties in `occurred_at`.
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        self.files.push(path.into());
        self
    }

    /// Only events of this type (repeatable; none given: every type).
    pub fn event_type(mut self, name: impl Into<String>) -> Self {
        self.event_types.insert(name.into());
        self
    }

    /// Only events that occurred at or after `from`.
    pub fn from(mut self, from: DateTime<Utc>) -> Self {
        self.from = Some(from);
        self
    }

    /// Only events that occurred before `to`.
    pub fn to(mut self, to: DateTime<Utc>) -> Self {
        self.to = Some(to);
        self
    }

    /// Bytes of events held in memory before a sorted run is spilled to disk.
    pub fn run_bytes(mut self, bytes: usize) -> Self {
        self.run_bytes = bytes.max(1);
        self
    }

    /// Where spilled runs go (default: the system's temporary folder). They are unnamed files,
    /// gone when the replay ends.
    pub fn temp_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.temp_dir = Some(dir.into());
        self
    }

    fn selects(&self, event_type: &str, at: DateTime<Utc>) -> bool {
        (self.event_types.is_empty() || self.event_types.contains(event_type))
            && self.from.is_none_or(|from| at >= from)
            && self.to.is_none_or(|to| at < to)
    }

    /// Reads every input and sorts the selected events. Lines that cannot be placed in time go
    /// to `on_problem` as they are met. An input that cannot be read at all is an error.
    pub fn sort(self, mut on_problem: impl FnMut(Problem)) -> std::io::Result<Sorted> {
        let mut sorter = Sorter::new(self.run_bytes, self.temp_dir.clone());
        let mut selected = 0usize;
        for (source, path) in self.files.iter().enumerate() {
            let source_id = u32::try_from(source).map_err(|_| std::io::Error::other("too many inputs"))?;
            let mut each = |placed: scan::Placed| {
                if !self.selects(&placed.event_type, placed.occurred_at) {
                    return Ok(());
                }
                selected += 1;
                sorter.push(Entry {
                    key: Key {
                        secs: placed.occurred_at.timestamp(),
                        nanos: placed.occurred_at.timestamp_subsec_nanos(),
                        source: source_id,
                        line: placed.line as u64,
                    },
                    event_type: placed.event_type,
                    json: placed.json,
                })
            };
            let result = if path.extension().is_some_and(|e| e == "avro") {
                avro(path, source, &mut each, &mut on_problem)
            } else {
                scan::ndjson(path, source, &mut each, &mut on_problem)
            };
            result.map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        }
        let (merged, runs) = sorter.finish()?;
        Ok(Sorted { merged, files: self.files.iter().map(|p| Arc::from(p.as_path())).collect(), selected, runs })
    }
}

#[cfg(feature = "avro")]
fn avro(
    path: &Path,
    source: usize,
    each: &mut dyn FnMut(scan::Placed) -> std::io::Result<()>,
    on_problem: &mut dyn FnMut(Problem),
) -> std::io::Result<()> {
    scan::avro(path, source, each, on_problem)
}

#[cfg(not(feature = "avro"))]
fn avro(
    path: &Path,
    source: usize,
    _: &mut dyn FnMut(scan::Placed) -> std::io::Result<()>,
    on_problem: &mut dyn FnMut(Problem),
) -> std::io::Result<()> {
    on_problem(Problem::new(
        path,
        source,
        0,
        None,
        "Avro container files need eventbind's `avro` feature; the file was not read".into(),
    ));
    Ok(())
}

/// The selected events, sorted, ready to be decoded in order of occurrence.
#[derive(Debug)]
pub struct Sorted {
    merged: Merged,
    files: Vec<Arc<Path>>,
    selected: usize,
    runs: usize,
}

impl Sorted {
    /// How many events were selected.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// How many sorted runs were spilled to disk (0 when everything fit in one run).
    pub fn spilled_runs(&self) -> usize {
        self.runs
    }

    /// The events in order, undecoded.
    pub fn raw(self) -> impl Iterator<Item = std::io::Result<RawEvent>> {
        self.merged.map(|entry| {
            entry.map(|e| RawEvent {
                source: e.key.source as usize,
                line: e.key.line as usize,
                occurred_at: Utc.timestamp_opt(e.key.secs, e.key.nanos).single().unwrap_or_default(),
                event_type: e.event_type,
                json: e.json,
            })
        })
    }

    /// The events in order, each decoded by `decode`; an event it refuses is a [`Problem`].
    pub fn decode_with<T>(
        self,
        mut decode: impl FnMut(&RawEvent) -> Result<T, String>,
    ) -> impl Iterator<Item = Result<T, Problem>> {
        let files = self.files.clone();
        self.raw().map(move |raw| {
            let raw = raw.map_err(|e| Problem {
                file: Arc::from(Path::new("<sorted runs>")),
                source: 0,
                line: 0,
                event_type: None,
                reason: format!("cannot read back a sorted run: {e}"),
            })?;
            decode(&raw).map_err(|reason| Problem {
                file: files[raw.source].clone(),
                source: raw.source,
                line: raw.line,
                event_type: Some(raw.event_type.clone()),
                reason,
            })
        })
    }

    /// The events in order, decoded into `E` (the generated `AnyEvent`); events of types `E`
    /// does not know, and events that fail to decode, are [`Problem`]s.
    pub fn decode<E: ReplayEvent>(self) -> impl Iterator<Item = Result<Replayed<E>, Problem>> {
        self.decode_with(|raw| {
            if !E::knows(&raw.event_type) {
                return Err(format!("unknown event type `{}`", raw.event_type));
            }
            E::decode(&raw.event_type, &raw.json)
                .map(|event| Replayed { event, source: raw.source, line: raw.line, occurred_at: raw.occurred_at })
                .map_err(|e| format!("cannot decode: {e}"))
        })
    }
}
