//! Reading a store back for replay: the events of chosen types whose `occurred_at` lies in
//! `[from, to)`, in replay order (`occurred_at` to the nanosecond, then the order of writing).
//!
//! Every row group was written sorted in that order, and a partition holds one UTC day, so a
//! replay goes day by day and merges that day's row groups (of every chosen type) k ways, one
//! batch of each in memory at a time. Partitions outside the window are not opened, and row
//! groups whose `occurred_at` statistics lie outside it are not read.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::file::statistics::Statistics;
use serde_json::Value;

use crate::decode::BatchRows;
use crate::encode::OrderKey;
use crate::layout;
use crate::table::Table;

/// Rows decoded at a time from each row group being merged.
const BATCH_ROWS: usize = 1024;

/// What to replay.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Event types (none: every type in the store).
    pub event_types: Vec<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// An event read from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub event_type: String,
    pub key: OrderKey,
    pub event: Value,
    pub file: Arc<Path>,
}

/// Something that could not be read: the file and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadProblem {
    pub file: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.reason)
    }
}

fn bound(t: DateTime<Utc>) -> (i64, i32) {
    (t.timestamp_micros(), (t.timestamp_subsec_nanos() % 1_000) as i32)
}

/// One sorted row group being merged.
struct Run<'t> {
    event_type: String,
    file: Arc<Path>,
    reader: ParquetRecordBatchReader,
    rows: Option<BatchRows<'t>>,
    row: usize,
}

impl<'t> Run<'t> {
    /// Moves to the next row, reading the next batch when needed; false at the end.
    fn advance(&mut self, table: &'t Table) -> Result<bool, ReadProblem> {
        loop {
            if let Some(rows) = &self.rows {
                if self.row < rows.len() {
                    return Ok(true);
                }
            }
            match self.reader.next() {
                None => return Ok(false),
                Some(Err(e)) => return Err(ReadProblem { file: self.file.to_path_buf(), reason: e.to_string() }),
                Some(Ok(batch)) => {
                    self.rows = Some(BatchRows::new(table, &batch));
                    self.row = 0;
                }
            }
        }
    }

    fn key(&self) -> OrderKey {
        self.rows.as_ref().map_or(OrderKey { micros: i64::MAX, nanos: 0, seq: 0 }, |r| r.key(self.row))
    }
}

/// The events of a query, in replay order.
pub struct Replay<'t> {
    store: PathBuf,
    tables: &'t HashMap<String, Table>,
    event_types: Vec<String>,
    dates: Vec<NaiveDate>,
    next_date: usize,
    from: Option<(i64, i32)>,
    to: Option<(i64, i32)>,
    runs: Vec<Run<'t>>,
    heap: BinaryHeap<Reverse<(OrderKey, usize)>>,
    pending: Vec<ReadProblem>,
    /// Row groups skipped by their statistics, and read.
    pub row_groups: (usize, usize),
}

impl std::fmt::Debug for Replay<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replay").field("store", &self.store).field("dates", &self.dates).finish()
    }
}

/// Starts a replay of `store`. `tables` must hold every event type the query reads; a chosen
/// type the store has no folder for gives no events.
pub fn replay<'t>(store: &Path, tables: &'t HashMap<String, Table>, query: &Query) -> Result<Replay<'t>, ReadProblem> {
    let problem = |reason: String| ReadProblem { file: store.to_owned(), reason };
    let event_types = if query.event_types.is_empty() {
        layout::event_types(store).map_err(|e| problem(e.to_string()))?
    } else {
        query.event_types.clone()
    };
    if let Some(missing) = event_types.iter().find(|t| !tables.contains_key(*t)) {
        return Err(problem(format!("the store holds `{missing}`, which the catalog does not define")));
    }
    let (from_date, to_date) = (query.from.map(|t| t.date_naive()), query.to.map(|t| t.date_naive()));
    let mut dates = BTreeSet::new();
    for t in &event_types {
        for d in layout::dates(store, t).map_err(|e| problem(e.to_string()))? {
            if from_date.is_none_or(|f| d >= f) && to_date.is_none_or(|t| d <= t) {
                dates.insert(d);
            }
        }
    }
    Ok(Replay {
        store: store.to_owned(),
        tables,
        event_types,
        dates: dates.into_iter().collect(),
        next_date: 0,
        from: query.from.map(bound),
        to: query.to.map(bound),
        runs: Vec::new(),
        heap: BinaryHeap::new(),
        pending: Vec::new(),
        row_groups: (0, 0),
    })
}

impl<'t> Replay<'t> {
    /// Opens every row group of the next day that may hold events of the window.
    fn open_next_date(&mut self) -> bool {
        let Some(&date) = self.dates.get(self.next_date) else { return false };
        self.next_date += 1;
        self.runs.clear();
        self.heap.clear();
        for t in self.event_types.clone() {
            let dir = layout::partition_dir(&self.store, &t, date);
            let files = match layout::files(&dir) {
                Ok(f) => f,
                Err(e) => {
                    self.pending.push(ReadProblem { file: dir, reason: e.to_string() });
                    continue;
                }
            };
            for path in files {
                if let Err(reason) = self.open_file(&t, &path) {
                    self.pending.push(ReadProblem { file: path, reason });
                }
            }
        }
        let table_of = |r: &Run<'_>| &self.tables[&r.event_type];
        let mut heap = BinaryHeap::new();
        for i in 0..self.runs.len() {
            let table = table_of(&self.runs[i]);
            match self.runs[i].advance(table) {
                Ok(true) => heap.push(Reverse((self.runs[i].key(), i))),
                Ok(false) => {}
                Err(p) => self.pending.push(p),
            }
        }
        self.heap = heap;
        true
    }

    fn open_file(&mut self, event_type: &str, path: &Path) -> Result<(), String> {
        let file = Arc::<Path>::from(path);
        let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        let metadata = builder.metadata().clone();
        let schema = builder.parquet_schema();
        let at = (0..schema.num_columns()).find(|&i| schema.column(i).path().string() == "metadata.occurred_at");
        for (i, group) in metadata.row_groups().iter().enumerate() {
            let range = at.and_then(|c| match group.column(c).statistics() {
                Some(Statistics::Int64(s)) => Some((*s.min_opt()?, *s.max_opt()?)),
                _ => None,
            });
            if let Some((min, max)) = range {
                let before = self.from.is_some_and(|(f, _)| max < f);
                let after = self.to.is_some_and(|(t, n)| min > t || (min == t && n == 0));
                if before || after {
                    self.row_groups.0 += 1;
                    continue;
                }
            }
            self.row_groups.1 += 1;
            let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).map_err(|e| e.to_string())?)
                .and_then(|b| b.with_row_groups(vec![i]).with_batch_size(BATCH_ROWS).build())
                .map_err(|e| e.to_string())?;
            self.runs.push(Run { event_type: event_type.to_owned(), file: file.clone(), reader, rows: None, row: 0 });
        }
        Ok(())
    }

    fn in_window(&self, key: &OrderKey) -> (bool, bool) {
        let k = (key.micros, key.nanos);
        let before = self.from.is_some_and(|f| k < f);
        let after = self.to.is_some_and(|t| k >= t);
        (before, after)
    }
}

impl Iterator for Replay<'_> {
    type Item = Result<StoredEvent, ReadProblem>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(p) = self.pending.pop() {
                return Some(Err(p));
            }
            let Some(Reverse((key, i))) = self.heap.pop() else {
                if !self.open_next_date() {
                    return None;
                }
                continue;
            };
            let (before, after) = self.in_window(&key);
            let run = &mut self.runs[i];
            let table = &self.tables[&run.event_type];
            // A run is sorted: past the window's end, the rest of it is too.
            if after {
                continue;
            }
            let item = if before {
                None
            } else {
                let rows = run.rows.as_ref().expect("a run on the heap has rows");
                Some(match rows.event(run.row) {
                    Ok(event) => {
                        Ok(StoredEvent { event_type: run.event_type.clone(), key, event, file: run.file.clone() })
                    }
                    Err(reason) => Err(ReadProblem { file: run.file.to_path_buf(), reason }),
                })
            };
            run.row += 1;
            match run.advance(table) {
                Ok(true) => {
                    let next = run.key();
                    self.heap.push(Reverse((next, i)));
                }
                Ok(false) => {}
                Err(p) => self.pending.push(p),
            }
            if let Some(item) = item {
                return Some(item);
            }
        }
    }
}
