//! `eventbind replay`: the selected events of stored NDJSON files, validated against the catalog
//! and written in order of occurrence as NDJSON, in bounded memory (the runtime's external
//! merge sort). Every event left out is reported on stderr with its file and line.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use eventbind::replay::Replay;
use eventbind_build::catalog::Catalog;
use eventbind_validate::{Outcome, Validator};

/// What `replay` was asked for.
#[derive(Debug)]
pub struct ReplayArgs {
    pub catalog: Vec<PathBuf>,
    pub event_types: Vec<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub run_bytes: usize,
    pub temp_dir: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub files: Vec<PathBuf>,
}

pub fn replay(args: ReplayArgs) -> ExitCode {
    let catalog = match Catalog::load(&args.catalog) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let validator = match validator_for(&catalog, &args.event_types) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let mut replay = Replay::new().run_bytes(args.run_bytes);
    for file in &args.files {
        replay = replay.file(file);
    }
    for name in &args.event_types {
        replay = replay.event_type(name);
    }
    if let Some(from) = args.from {
        replay = replay.from(from);
    }
    if let Some(to) = args.to {
        replay = replay.to(to);
    }
    if let Some(dir) = &args.temp_dir {
        replay = replay.temp_dir(dir);
    }
    let stderr = io::stderr();
    let mut problems = 0usize;
    let sorted = replay.sort(|p| {
        problems += 1;
        let _ = writeln!(stderr.lock(), "{p}");
    });
    let sorted = match sorted {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (selected, runs) = (sorted.selected(), sorted.spilled_runs());
    let mut out = match output(args.out.as_deref()) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut written = 0usize;
    let events = sorted.decode_with(|raw| {
        let value = serde_json::from_slice(&raw.json).map_err(|e| format!("invalid JSON: {e}"))?;
        match validator.check(value, None).outcome {
            Outcome::Valid => Ok(raw.json.clone()),
            Outcome::Invalid(found) => Err(found
                .iter()
                .map(|p| format!("{}: {}", if p.pointer.is_empty() { "/" } else { &p.pointer }, p.reason))
                .collect::<Vec<_>>()
                .join("; ")),
        }
    });
    for event in events {
        match event {
            Ok(json) => {
                written += 1;
                if let Err(e) = out.write_all(&json).and_then(|()| out.write_all(b"\n")) {
                    eprintln!("error: cannot write the output: {e}");
                    return ExitCode::from(2);
                }
            }
            Err(p) => {
                problems += 1;
                eprintln!("{p}");
            }
        }
    }
    if let Err(e) = out.flush() {
        eprintln!("error: cannot write the output: {e}");
        return ExitCode::from(2);
    }
    eprintln!(
        "replayed {written} event(s) of {selected} selected; {problems} problem(s); {runs} sorted run(s) spilled to disk"
    );
    if problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A validator for `catalog`, once every `--type` is one of its event types.
pub fn validator_for<'c>(catalog: &'c Catalog, event_types: &[String]) -> Result<Validator<'c>, ExitCode> {
    let validator = Validator::new(catalog);
    if let Some(unknown) = event_types.iter().find(|t| !validator.knows(t)) {
        eprintln!("error: --type `{unknown}` is not an event type of the catalog");
        return Err(ExitCode::from(2));
    }
    Ok(validator)
}

/// Where replayed events go: `--out FILE`, else stdout.
pub fn output(out: Option<&Path>) -> Result<Box<dyn Write>, ExitCode> {
    match out {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Ok(Box::new(BufWriter::new(f))),
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                Err(ExitCode::from(2))
            }
        },
        None => Ok(Box::new(BufWriter::new(io::stdout().lock()))),
    }
}
