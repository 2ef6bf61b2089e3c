//! `eventbind validate`: events from files or stdin against the catalog; a line per problem,
//! then the summary; exit 1 when any event is invalid.

use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use eventbind_build::catalog::Catalog;
use eventbind_validate::{validate_stream, InputFormat, Summary, Validator};

/// Buffer size for reading inputs; records are read one at a time whatever the file's size.
const READ_BUFFER: usize = 1 << 20;

pub fn validate(
    catalog: &[PathBuf],
    files: &[PathBuf],
    event_type: Option<&str>,
    format: Option<InputFormat>,
) -> ExitCode {
    let catalog = match Catalog::load(catalog) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let validator = Validator::new(&catalog);
    if let Some(name) = event_type {
        if !validator.knows(name) {
            eprintln!("error: --type `{name}` is not an event type of the catalog");
            return ExitCode::from(2);
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut summary = Summary::default();
    let stdin_only = [PathBuf::from("-")];
    let inputs = if files.is_empty() { &stdin_only[..] } else { files };
    for path in inputs {
        let result = if path == Path::new("-") {
            let reader = BufReader::with_capacity(READ_BUFFER, io::stdin().lock());
            validate_stream(
                reader,
                format.unwrap_or(InputFormat::Auto),
                "<stdin>",
                &validator,
                event_type,
                &mut summary,
                &mut out,
            )
        } else {
            match std::fs::File::open(path) {
                Ok(file) => validate_stream(
                    BufReader::with_capacity(READ_BUFFER, file),
                    format.unwrap_or_else(|| InputFormat::of(path)),
                    &path.display().to_string(),
                    &validator,
                    event_type,
                    &mut summary,
                    &mut out,
                ),
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", path.display());
                    return ExitCode::from(2);
                }
            }
        };
        if let Err(e) = result {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    let _ = write!(out, "{summary}");
    let _ = out.flush();
    if summary.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
