//! `store write`: events validated as `validate` validates them, de-duplicated by `eid`, written
//! to Parquet partitioned by event type and the UTC date of `metadata.occurred_at`.
//!
//! - Immutable: each run writes new files (`part-<run>-<n>.parquet`) and never rewrites one; an
//!   event whose `eid` is already in its partition (from an earlier run or earlier in this one)
//!   adds nothing.
//! - Nothing is dropped silently: an invalid event is reported as `validate` reports it and goes,
//!   with its problems, to the run's quarantine file; so does an event the store cannot hold (an
//!   undefined-category event has no `eid` nor `occurred_at`).
//! - Memory is bounded by the row groups, not the input: rows are gathered per partition and
//!   written as a row group (sorted in replay order) when a partition has `row_group_rows` of
//!   them or all partitions together hold `buffer_bytes`; at most `open_files` files are open.
//!   The `eid`s of the partitions written are held (16 bytes each) for de-duplication.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_schema::Schema;
use chrono::{DateTime, NaiveDate, Utc};
use eventbind_build::catalog::{Catalog, Category};
use eventbind_validate::{Outcome, Problem, Record, Validator};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowWriter, ProjectionMask};
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde_json::{json, Value};

use crate::encode::{OrderKey, Rows};
use crate::layout::{self, PendingFile, RunLock};
use crate::table::Table;

/// Limits of one run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rows per row group, at most.
    pub row_group_rows: usize,
    /// Bytes of rows held across partitions before the largest is written out.
    pub buffer_bytes: usize,
    /// Files open at once; the least recently used is closed (and published) beyond that.
    pub open_files: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { row_group_rows: 128 * 1024, buffer_bytes: 256 << 20, open_files: 64 }
    }
}

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub inputs: usize,
    pub events: usize,
    pub written: usize,
    pub duplicates: usize,
    pub invalid: usize,
    /// Valid events the store cannot hold (undefined category).
    pub unstorable: usize,
    /// Values kept in `_unknown` because their column could not hold them exactly.
    pub misfits: usize,
    pub files: Vec<PathBuf>,
    pub quarantine: Option<PathBuf>,
    /// Per event type: written, duplicates, quarantined.
    pub by_type: BTreeMap<String, [usize; 3]>,
}

impl Summary {
    pub fn ok(&self) -> bool {
        self.invalid == 0 && self.unstorable == 0
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} event(s) in {} input(s): {} written, {} duplicate(s) skipped, {} quarantined ({} invalid, {} not storable)",
            self.events,
            self.inputs,
            self.written,
            self.duplicates,
            self.invalid + self.unstorable,
            self.invalid,
            self.unstorable
        )?;
        for (name, [written, duplicates, quarantined]) in &self.by_type {
            writeln!(f, "  {name}: {written} written, {duplicates} duplicate(s), {quarantined} quarantined")?;
        }
        if self.misfits > 0 {
            writeln!(f, "{} value(s) did not fit their column and are kept in `_unknown`", self.misfits)?;
        }
        writeln!(f, "{} file(s) written", self.files.len())?;
        if let Some(q) = &self.quarantine {
            writeln!(f, "quarantine: {}", q.display())?;
        }
        Ok(())
    }
}

#[derive(Debug)]
struct TableEntry {
    table: Table,
    schema: Arc<Schema>,
}

#[derive(Debug)]
struct Partition {
    entry: Arc<TableEntry>,
    dir: PathBuf,
    rows: Rows,
    eids: HashSet<u128>,
    file: Option<(PendingFile, ArrowWriter<File>)>,
    next_file: u32,
    last_used: u64,
}

type PartitionKey = (String, NaiveDate);

/// One run writing to a store.
pub struct StoreWriter<'c> {
    store: PathBuf,
    validator: Validator<'c>,
    tables: HashMap<String, Arc<TableEntry>>,
    lock: Option<RunLock>,
    options: Options,
    partitions: HashMap<PartitionKey, Partition>,
    open: usize,
    clock: u64,
    buffered: usize,
    written_in_run: i64,
    quarantine: Option<BufWriter<File>>,
    pub summary: Summary,
}

impl std::fmt::Debug for StoreWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreWriter").field("store", &self.store).field("summary", &self.summary).finish()
    }
}

fn other(context: impl std::fmt::Display, e: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("{context}: {e}"))
}

impl<'c> StoreWriter<'c> {
    /// Opens a run on `store` (created when missing) for the event types of `tables`.
    pub fn open(store: &Path, catalog: &'c Catalog, tables: Vec<Table>, options: Options) -> io::Result<Self> {
        std::fs::create_dir_all(store).map_err(|e| other(store.display(), e))?;
        let lock = RunLock::take(store)?;
        let tables = tables
            .into_iter()
            .map(|t| {
                let schema = Arc::new(crate::arrow_schema::schema(&t));
                (t.event_type.clone(), Arc::new(TableEntry { table: t, schema }))
            })
            .collect();
        Ok(StoreWriter {
            store: store.to_owned(),
            validator: Validator::new(catalog),
            tables,
            lock: Some(lock),
            options,
            partitions: HashMap::new(),
            open: 0,
            clock: 0,
            buffered: 0,
            written_in_run: 0,
            quarantine: None,
            summary: Summary::default(),
        })
    }

    pub fn run(&self) -> u64 {
        self.lock.as_ref().map_or(0, |l| l.run)
    }

    /// Writes the records of one input; problems are printed to `out` as `validate` prints them.
    pub fn write_input(
        &mut self,
        records: impl Iterator<Item = Record>,
        source: &str,
        out: &mut dyn Write,
        mut progress: impl FnMut(usize),
    ) -> io::Result<()> {
        self.summary.inputs += 1;
        for record in records {
            self.summary.events += 1;
            match record.value {
                Ok(event) => self.event(event, source, record.line, out)?,
                Err(reason) => self.quarantine(source, record.line, None, &[Problem::new("", reason)], None, out)?,
            }
            if self.summary.events % 4096 == 0 {
                progress(self.summary.events);
            }
        }
        progress(self.summary.events);
        Ok(())
    }

    fn event(&mut self, event: Value, source: &str, line: usize, out: &mut dyn Write) -> io::Result<()> {
        let checked = self.validator.check(event.clone(), None);
        let name = checked.event_type.clone();
        if let Outcome::Invalid(problems) = checked.outcome {
            self.summary.invalid += 1;
            return self.quarantine(source, line, name.as_deref(), &problems, Some(&event), out);
        }
        let name = name.unwrap_or_default();
        let entry = match self.tables.get(&name) {
            Some(e) if e.table.category != Category::Undefined => e.clone(),
            found => {
                self.summary.unstorable += 1;
                let reason = if found.is_some() {
                    "an undefined-category event has no metadata (no eid, no occurred_at): the store partitions by \
                     the date of occurred_at and de-duplicates by eid"
                } else {
                    "the event type was left out of this store's tables"
                };
                return self.quarantine(source, line, Some(&name), &[Problem::new("", reason)], Some(&event), out);
            }
        };
        // Validation checked both.
        let eid = event
            .pointer("/metadata/eid")
            .and_then(Value::as_str)
            .and_then(|s| uuid::Uuid::parse_str(s).ok())
            .map(|u| u.as_u128())
            .unwrap_or_default();
        let at: DateTime<Utc> = event
            .pointer("/metadata/occurred_at")
            .and_then(Value::as_str)
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let key = (name.clone(), at.date_naive());
        if !self.partitions.contains_key(&key) {
            let dir = layout::partition_dir(&self.store, &name, key.1);
            let eids = existing_eids(&dir)?;
            let rows = Rows::new(&entry.table, entry.schema.clone());
            self.partitions.insert(
                key.clone(),
                Partition { entry: entry.clone(), dir, rows, eids, file: None, next_file: 0, last_used: 0 },
            );
        }
        let run = self.run() as i64;
        let partition = self.partitions.get_mut(&key).expect("inserted above");
        let counts = self.summary.by_type.entry(name).or_default();
        if !partition.eids.insert(eid) {
            self.summary.duplicates += 1;
            counts[1] += 1;
            return Ok(());
        }
        counts[0] += 1;
        let order = OrderKey {
            micros: at.timestamp_micros(),
            nanos: (at.timestamp_subsec_nanos() % 1_000) as i32,
            seq: (run << 40) | self.written_in_run,
        };
        self.written_in_run += 1;
        let Value::Object(object) = &event else { unreachable!("validated general and data events are objects") };
        let before = partition.rows.bytes;
        self.summary.misfits += partition.rows.push(object, order);
        self.buffered += partition.rows.bytes - before;
        self.summary.written += 1;
        if partition.rows.len() >= self.options.row_group_rows {
            self.flush(&key)?;
        }
        while self.buffered > self.options.buffer_bytes {
            let Some(largest) =
                self.partitions.iter().filter(|(_, p)| !p.rows.is_empty()).max_by_key(|(_, p)| p.rows.bytes)
            else {
                break;
            };
            let largest = largest.0.clone();
            self.flush(&largest)?;
        }
        Ok(())
    }

    fn quarantine(
        &mut self,
        source: &str,
        line: usize,
        event_type: Option<&str>,
        problems: &[Problem],
        event: Option<&Value>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let name = event_type.unwrap_or("?");
        for p in problems {
            let pointer = if p.pointer.is_empty() { "/" } else { p.pointer.as_str() };
            writeln!(out, "{source}:{line}: {name}: {pointer}: {}", p.reason)?;
        }
        if let Some(t) = event_type.filter(|t| self.tables.contains_key(*t)) {
            self.summary.by_type.entry(t.to_owned()).or_default()[2] += 1;
        }
        if self.quarantine.is_none() {
            let path = layout::quarantine_file(&self.store, self.run());
            std::fs::create_dir_all(path.parent().expect("in a folder"))?;
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .map_err(|e| other(path.display(), e))?;
            self.quarantine = Some(BufWriter::new(file));
            self.summary.quarantine = Some(path);
        }
        let record = json!({
            "source": source,
            "line": line,
            "event_type": event_type,
            "problems": problems.iter().map(|p| json!({"pointer": p.pointer, "reason": p.reason})).collect::<Vec<_>>(),
            "event": event,
        });
        let q = self.quarantine.as_mut().expect("opened above");
        serde_json::to_writer(&mut *q, &record)?;
        q.write_all(b"\n")
    }

    /// Writes a partition's rows as one row group of its open file (opening one when needed).
    fn flush(&mut self, key: &PartitionKey) -> io::Result<()> {
        self.clock += 1;
        let needs_file = self.partitions.get(key).is_some_and(|p| p.file.is_none());
        if needs_file && self.open >= self.options.open_files {
            let lru = self
                .partitions
                .iter()
                .filter(|(_, p)| p.file.is_some())
                .min_by_key(|(_, p)| p.last_used)
                .map(|(k, _)| k.clone());
            if let Some(lru) = lru {
                self.close(&lru)?;
            }
        }
        let run = self.run();
        let row_group_rows = self.options.row_group_rows;
        let partition = self.partitions.get_mut(key).expect("a partition with rows");
        partition.last_used = self.clock;
        if partition.rows.is_empty() {
            return Ok(());
        }
        self.buffered -= partition.rows.bytes;
        let batch = partition.rows.finish().map_err(|e| other(partition.dir.display(), e))?;
        if partition.file.is_none() {
            let name = layout::file_name(run, partition.next_file);
            partition.next_file += 1;
            let (pending, file) =
                PendingFile::create(&partition.dir, &name).map_err(|e| other(partition.dir.display(), e))?;
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_max_row_group_row_count(Some(row_group_rows))
                .set_created_by(format!("eventbind {}", env!("CARGO_PKG_VERSION")))
                .set_key_value_metadata(Some(vec![KeyValue::new("eventbind.run".to_owned(), run.to_string())]))
                .build();
            let writer = ArrowWriter::try_new(file, partition.entry.schema.clone(), Some(props))
                .map_err(|e| other(pending.path.display(), e))?;
            partition.file = Some((pending, writer));
            self.open += 1;
        }
        let (pending, writer) = partition.file.as_mut().expect("opened above");
        writer.write(&batch).and_then(|()| writer.flush()).map_err(|e| other(pending.path.display(), e))?;
        Ok(())
    }

    /// Closes a partition's open file and publishes it.
    fn close(&mut self, key: &PartitionKey) -> io::Result<()> {
        let Some(partition) = self.partitions.get_mut(key) else { return Ok(()) };
        if let Some((pending, writer)) = partition.file.take() {
            self.open -= 1;
            writer.close().map_err(|e| other(pending.path.display(), e))?;
            let path = pending.publish().map_err(|e| other(partition.dir.display(), e))?;
            self.summary.files.push(path);
        }
        Ok(())
    }

    /// Writes what is left, publishes every file and ends the run.
    pub fn finish(mut self) -> io::Result<Summary> {
        let mut keys: Vec<PartitionKey> = self.partitions.keys().cloned().collect();
        keys.sort();
        for key in &keys {
            self.flush(key)?;
            self.close(key)?;
        }
        if let Some(mut q) = self.quarantine.take() {
            q.flush()?;
        }
        self.summary.files.sort();
        let summary = self.summary.clone();
        if let Some(lock) = self.lock.take() {
            lock.finish(&format!(
                "{} written, {} duplicates, {} quarantined, {} files",
                summary.written,
                summary.duplicates,
                summary.invalid + summary.unstorable,
                summary.files.len()
            ))?;
        }
        Ok(summary)
    }
}

/// The `eid`s already in a partition's files (only that column is read).
fn existing_eids(dir: &Path) -> io::Result<HashSet<u128>> {
    let mut eids = HashSet::new();
    for path in layout::files(dir)? {
        let file = File::open(&path).map_err(|e| other(path.display(), e))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| other(path.display(), e))?;
        let schema = builder.parquet_schema();
        let Some(leaf) = (0..schema.num_columns()).find(|&i| schema.column(i).path().string() == "metadata.eid") else {
            return Err(other(path.display(), "the file has no metadata.eid column"));
        };
        let mask = ProjectionMask::leaves(schema, [leaf]);
        let reader =
            builder.with_projection(mask).with_batch_size(8192).build().map_err(|e| other(path.display(), e))?;
        for batch in reader {
            let batch = batch.map_err(|e| other(path.display(), e))?;
            let eid = batch
                .column_by_name("metadata")
                .and_then(|m| m.as_struct_opt())
                .and_then(|m| m.column_by_name("eid"))
                .and_then(|e| e.as_string_opt::<i32>())
                .ok_or_else(|| other(path.display(), "metadata.eid is not a string column"))?;
            for value in eid.iter().flatten() {
                if let Ok(u) = uuid::Uuid::parse_str(value) {
                    eids.insert(u.as_u128());
                }
            }
        }
    }
    Ok(eids)
}
