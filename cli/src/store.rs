//! `eventbind schema`, `eventbind store write` and `eventbind replay --store`: arguments in,
//! the eventbind-store crate does the work.

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use eventbind_build::catalog::Catalog;
use eventbind_store::input::{self, Framing};
use eventbind_store::progress::Progress;
use eventbind_store::table::{catalog_tables, Table};
use eventbind_store::write::{Options, StoreWriter};
use eventbind_store::{arrow_schema, read, spark};
use eventbind_validate::{InputFormat, Outcome};
use serde_json::Value;

use crate::replay::{self, ReplayArgs};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// The Arrow schema of the Parquet files, in Arrow's JSON form.
    Arrow,
    /// Spark's StructType JSON (what `StructType.fromJson` reads), partition columns included.
    SparkJson,
    /// Spark's DDL string (what `spark.read.schema(...)` takes), partition columns included.
    SparkDdl,
}

// The arguments of `schema` (its help is on the command in main.rs).
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Catalog folder (repeatable).
    #[arg(long, required = true, value_name = "DIR")]
    catalog: Vec<PathBuf>,
    #[arg(long, value_enum)]
    format: TableFormat,
    /// Only this event type (repeatable; none: every type).
    #[arg(long = "type", value_name = "NAME")]
    event_types: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Write events to a Parquet store, partitioned as STORE/event_type=<name>/date=<YYYY-MM-DD>/.
    ///
    /// Reads NDJSON, JSON and Avro container files (.avro), or stdin (`-` or no FILE). Each event
    /// is validated as `validate` does; invalid ones are printed as FILE:LINE: EVENT_TYPE:
    /// POINTER: REASON and go to STORE/_quarantine/run-<run>.ndjson. Events whose eid is already
    /// in their partition are skipped. Existing files are never rewritten.
    ///
    /// Exit codes: 0 every event stored or already there; 1 an event was quarantined; 2 usage or
    /// input error.
    Write(WriteArgs),
}

#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Catalog folder (repeatable).
    #[arg(long, required = true, value_name = "DIR")]
    catalog: Vec<PathBuf>,
    /// The store's folder (created when missing).
    #[arg(long, value_name = "STORE")]
    out: PathBuf,
    /// Rows per Parquet row group, at most.
    #[arg(long, value_name = "ROWS", default_value_t = Options::default().row_group_rows)]
    row_group_rows: usize,
    /// Bytes of rows held in memory across partitions before the largest is written out.
    #[arg(long, value_name = "BYTES", default_value_t = Options::default().buffer_bytes)]
    buffer_bytes: usize,
    /// Framing of JSON inputs; by default by extension, as `validate` decides.
    #[arg(long, value_enum)]
    input_format: Option<crate::InputFormatArg>,
    /// Never draw a progress bar (it is drawn only when stderr is a terminal).
    #[arg(long)]
    no_progress: bool,
    /// Files to read; `-` or none: stdin.
    files: Vec<PathBuf>,
}

fn load(catalog: &[PathBuf]) -> Result<Catalog, ExitCode> {
    Catalog::load(catalog).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(2)
    })
}

fn tables(catalog: &Catalog, only: &[String]) -> Result<Vec<Table>, ExitCode> {
    catalog_tables(catalog, only).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

pub fn schema(args: SchemaArgs) -> ExitCode {
    let catalog = match load(&args.catalog) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let tables = match tables(&catalog, &args.event_types) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let render = |t: &Table| match args.format {
        TableFormat::Arrow => arrow_schema::to_json(&arrow_schema::schema(t)),
        TableFormat::SparkJson => spark::struct_type_json(t),
        TableFormat::SparkDdl => Value::String(spark::ddl(t)),
    };
    let text = match (args.event_types.len(), tables.as_slice()) {
        (1, [one]) => match render(one) {
            Value::String(ddl) => ddl,
            other => serde_json::to_string_pretty(&other).expect("JSON values print"),
        },
        _ => {
            let all: serde_json::Map<String, Value> =
                tables.iter().map(|t| (t.event_type.clone(), render(t))).collect();
            serde_json::to_string_pretty(&Value::Object(all)).expect("JSON values print")
        }
    };
    println!("{text}");
    ExitCode::SUCCESS
}

pub fn store(command: StoreCommand) -> ExitCode {
    match command {
        StoreCommand::Write(args) => write(args),
    }
}

fn write(args: WriteArgs) -> ExitCode {
    let catalog = match load(&args.catalog) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let tables = match tables(&catalog, &[]) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let options =
        Options { row_group_rows: args.row_group_rows.max(1), buffer_bytes: args.buffer_bytes, ..Options::default() };
    let mut writer = match StoreWriter::open(&args.out, &catalog, tables, options) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let stdin_only = [PathBuf::from("-")];
    let inputs = if args.files.is_empty() { &stdin_only[..] } else { &args.files[..] };
    let total = inputs.iter().try_fold(0u64, |sum, p| std::fs::metadata(p).ok().map(|m| sum + m.len()));
    let progress = Progress::new(!args.no_progress, total.filter(|_| !inputs.iter().any(|p| p == Path::new("-"))));
    let forced = args.input_format.map(crate::InputFormatArg::format);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for path in inputs {
        let result = if path == Path::new("-") {
            let framing = Framing::Json(forced.unwrap_or(InputFormat::Auto));
            let records = input::records(io::stdin().lock(), framing, &catalog, progress.read.clone());
            writer.write_input(records, "<stdin>", &mut out, |n| progress.update(n))
        } else {
            match std::fs::File::open(path) {
                Ok(file) => {
                    let records = input::records(file, Framing::of(path, forced), &catalog, progress.read.clone());
                    writer.write_input(records, &path.display().to_string(), &mut out, |n| progress.update(n))
                }
                Err(e) => Err(io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))),
            }
        };
        if let Err(e) = result {
            progress.finish();
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let summary = match writer.finish() {
        Ok(s) => s,
        Err(e) => {
            progress.finish();
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    progress.finish();
    let _ = write!(out, "{summary}");
    let _ = out.flush();
    if summary.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `replay --store`: the events of the store in replay order, validated as file replays are.
pub fn replay(args: ReplayArgs, store: &Path) -> ExitCode {
    let catalog = match load(&args.catalog) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let validator = match replay::validator_for(&catalog, &args.event_types) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let tables: HashMap<String, Table> = match tables(&catalog, &[]) {
        Ok(t) => t.into_iter().map(|t| (t.event_type.clone(), t)).collect(),
        Err(code) => return code,
    };
    let query = read::Query { event_types: args.event_types.clone(), from: args.from, to: args.to };
    let events = match read::replay(store, &tables, &query) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = match replay::output(args.out.as_deref()) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let (mut written, mut problems) = (0usize, 0usize);
    for event in events {
        let stored = match event {
            Ok(e) => e,
            Err(p) => {
                problems += 1;
                eprintln!("{p}");
                continue;
            }
        };
        let text = stored.event.to_string();
        if let Outcome::Invalid(found) = validator.check(stored.event, None).outcome {
            problems += 1;
            for p in found {
                let pointer = if p.pointer.is_empty() { "/" } else { &p.pointer };
                eprintln!("{}: {}: {pointer}: {}", stored.file.display(), stored.event_type, p.reason);
            }
            continue;
        }
        written += 1;
        if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.write_all(b"\n")) {
            eprintln!("error: cannot write the output: {e}");
            return ExitCode::from(2);
        }
    }
    if let Err(e) = out.flush() {
        eprintln!("error: cannot write the output: {e}");
        return ExitCode::from(2);
    }
    eprintln!("replayed {written} event(s) from the store; {problems} problem(s)");
    if problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
