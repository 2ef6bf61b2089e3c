//! The external merge sort behind replay: events are gathered into runs of bounded size, each
//! run is sorted and spilled to an unnamed temporary file, and the runs are merged k ways (in
//! rounds of at most [`FAN_IN`] runs, so that open files and buffers stay bounded too).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

/// Runs merged at once; more runs are merged in rounds.
pub(crate) const FAN_IN: usize = 64;
/// Read buffer per run while merging.
const MERGE_BUFFER: usize = 64 * 1024;
/// What a held event costs besides its bytes (the struct and the vectors' headers).
const OVERHEAD: usize = 96;

/// The order of replay: occurrence, then the input's position in the list, then the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key {
    pub secs: i64,
    pub nanos: u32,
    pub source: u32,
    pub line: u64,
}

/// An event selected for replay, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub key: Key,
    pub event_type: String,
    pub json: Vec<u8>,
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

impl Entry {
    fn size(&self) -> usize {
        self.json.len() + self.event_type.len() + OVERHEAD
    }

    fn write(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(&self.key.secs.to_le_bytes())?;
        out.write_all(&self.key.nanos.to_le_bytes())?;
        out.write_all(&self.key.source.to_le_bytes())?;
        out.write_all(&self.key.line.to_le_bytes())?;
        out.write_all(&(self.event_type.len() as u64).to_le_bytes())?;
        out.write_all(self.event_type.as_bytes())?;
        out.write_all(&(self.json.len() as u64).to_le_bytes())?;
        out.write_all(&self.json)
    }

    /// The next entry of a run, `None` at its end.
    fn read(input: &mut impl Read) -> io::Result<Option<Entry>> {
        let mut secs = [0u8; 8];
        match input.read_exact(&mut secs) {
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            other => other?,
        }
        let mut nanos = [0u8; 4];
        input.read_exact(&mut nanos)?;
        let mut source = [0u8; 4];
        input.read_exact(&mut source)?;
        let mut line = [0u8; 8];
        input.read_exact(&mut line)?;
        let event_type =
            String::from_utf8(read_bytes(input)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let json = read_bytes(input)?;
        Ok(Some(Entry {
            key: Key {
                secs: i64::from_le_bytes(secs),
                nanos: u32::from_le_bytes(nanos),
                source: u32::from_le_bytes(source),
                line: u64::from_le_bytes(line),
            },
            event_type,
            json,
        }))
    }
}

fn read_bytes(input: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 8];
    input.read_exact(&mut len)?;
    let len = usize::try_from(u64::from_le_bytes(len)).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let mut bytes = Vec::new();
    input.take(len as u64).read_to_end(&mut bytes)?;
    if bytes.len() != len {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "a sorted run ends early"));
    }
    Ok(bytes)
}

/// A new file in `dir` whose name is removed at once, so it is gone when closed and no crash leaves
/// it behind. The name holds the process id and a counter; `create_new` refuses one that exists,
/// and the next is tried. (Standard library only: the tempfile crate would bring rustix into
/// every consumer's build for this.)
fn unnamed_file(dir: &Path) -> io::Result<File> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let mut attempts = 0;
    loop {
        let n = NEXT.fetch_add(1, AtomicOrdering::Relaxed);
        let path = dir.join(format!(".eventbind-replay-{}-{n}.run", std::process::id()));
        match OpenOptions::new().read(true).write(true).create_new(true).open(&path) {
            Ok(file) => {
                std::fs::remove_file(&path)?;
                return Ok(file);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 1000 => attempts += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Gathers entries into sorted runs, spilling each full run to a temporary file.
#[derive(Debug)]
pub(crate) struct Sorter {
    budget: usize,
    temp_dir: Option<PathBuf>,
    held: Vec<Entry>,
    held_bytes: usize,
    runs: Vec<File>,
    /// Runs written, merge rounds included.
    pub spilled: usize,
}

impl Sorter {
    pub fn new(budget: usize, temp_dir: Option<PathBuf>) -> Self {
        Sorter { budget, temp_dir, held: Vec::new(), held_bytes: 0, runs: Vec::new(), spilled: 0 }
    }

    pub fn push(&mut self, entry: Entry) -> io::Result<()> {
        self.held_bytes += entry.size();
        self.held.push(entry);
        if self.held_bytes >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    fn temp_file(&self) -> io::Result<File> {
        unnamed_file(&self.temp_dir.clone().unwrap_or_else(std::env::temp_dir))
    }

    fn spill(&mut self) -> io::Result<()> {
        if self.held.is_empty() {
            return Ok(());
        }
        self.held.sort_unstable();
        let mut file = BufWriter::new(self.temp_file()?);
        for entry in self.held.drain(..) {
            entry.write(&mut file)?;
        }
        let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        self.runs.push(file);
        self.spilled += 1;
        self.held_bytes = 0;
        // A smaller buffer would be reused for the next run; give its memory back instead.
        self.held.shrink_to_fit();
        Ok(())
    }

    /// Every entry in order: from memory when nothing was spilled, else merged from the runs.
    pub fn finish(mut self) -> io::Result<(Merged, usize)> {
        if self.runs.is_empty() {
            self.held.sort_unstable();
            return Ok((Merged::Memory(self.held.into_iter()), 0));
        }
        self.spill()?;
        while self.runs.len() > FAN_IN {
            let batch: Vec<File> = self.runs.drain(..FAN_IN).collect();
            let mut out = BufWriter::new(self.temp_file()?);
            for entry in Merge::new(batch)? {
                entry?.write(&mut out)?;
            }
            let mut file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.rewind()?;
            self.runs.push(file);
            self.spilled += 1;
        }
        let spilled = self.spilled;
        Ok((Merged::Runs(Merge::new(self.runs)?), spilled))
    }
}

/// The sorted entries.
#[derive(Debug)]
pub(crate) enum Merged {
    Memory(std::vec::IntoIter<Entry>),
    Runs(Merge),
}

impl Iterator for Merged {
    type Item = io::Result<Entry>;

    fn next(&mut self) -> Option<io::Result<Entry>> {
        match self {
            Merged::Memory(entries) => entries.next().map(Ok),
            Merged::Runs(merge) => merge.next(),
        }
    }
}

/// A k-way merge of sorted runs: a heap holds the head of each run.
#[derive(Debug)]
pub(crate) struct Merge {
    runs: Vec<BufReader<File>>,
    heap: BinaryHeap<Reverse<(Entry, usize)>>,
    failed: bool,
}

impl Merge {
    fn new(files: Vec<File>) -> io::Result<Merge> {
        let mut runs: Vec<BufReader<File>> =
            files.into_iter().map(|f| BufReader::with_capacity(MERGE_BUFFER, f)).collect();
        let mut heap = BinaryHeap::with_capacity(runs.len());
        for (i, run) in runs.iter_mut().enumerate() {
            if let Some(entry) = Entry::read(run)? {
                heap.push(Reverse((entry, i)));
            }
        }
        Ok(Merge { runs, heap, failed: false })
    }
}

impl Iterator for Merge {
    type Item = io::Result<Entry>;

    fn next(&mut self) -> Option<io::Result<Entry>> {
        if self.failed {
            return None;
        }
        let Reverse((entry, run)) = self.heap.pop()?;
        match Entry::read(&mut self.runs[run]) {
            Ok(Some(next)) => self.heap.push(Reverse((next, run))),
            Ok(None) => {}
            Err(e) => {
                self.failed = true;
                return Some(Err(e));
            }
        }
        Some(Ok(entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(secs: i64, source: u32, line: u64) -> Entry {
        Entry {
            key: Key { secs, nanos: 0, source, line },
            event_type: "t".into(),
            json: format!("{{\"at\":{secs},\"line\":{line}}}").into_bytes(),
        }
    }

    #[test]
    fn spilled_runs_merge_in_key_order_over_several_rounds() {
        // A budget of one entry: every entry is its own run, more than one merge round.
        let mut sorter = Sorter::new(1, None);
        let n = FAN_IN as u64 * 2 + 5;
        for line in 0..n {
            sorter.push(entry(((line * 7919) % 97) as i64, (line % 3) as u32, line)).unwrap();
        }
        let (merged, spilled) = sorter.finish().unwrap();
        let keys: Vec<Key> = merged.map(|e| e.unwrap().key).collect();
        assert_eq!(keys.len() as u64, n);
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "sorted and distinct");
        assert!(spilled > n as usize, "runs plus merge rounds: {spilled}");
    }

    #[test]
    fn spilled_runs_leave_no_file_in_their_folder() {
        let dir = std::env::temp_dir().join(format!("eventbind-spill-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut sorter = Sorter::new(1, Some(dir.clone()));
        for line in 0..5 {
            sorter.push(entry(line as i64, 0, line)).unwrap();
        }
        let (merged, spilled) = sorter.finish().unwrap();
        assert_eq!(merged.count(), 5);
        assert_eq!(spilled, 5);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "spilled runs have no names");
        std::fs::remove_dir(&dir).unwrap();
    }

    #[test]
    fn a_small_input_never_touches_the_disk() {
        let mut sorter = Sorter::new(1 << 20, None);
        for line in (0..10).rev() {
            sorter.push(entry(line as i64, 0, line)).unwrap();
        }
        let (merged, spilled) = sorter.finish().unwrap();
        assert_eq!(spilled, 0);
        assert_eq!(merged.map(|e| e.unwrap().key.line).collect::<Vec<_>>(), (0..10).collect::<Vec<_>>());
    }
}
