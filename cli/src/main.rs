//! The `eventbind` command: the engine's front door for CI and people.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use eventbind_build::{Config, UnknownFields};

/// Typed event bindings from an event catalog, and the checks CI runs on it.
#[derive(Debug, Parser)]
#[command(name = "eventbind", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Lang {
    Rust,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Policy {
    /// Skip unknown fields; never an error (the default).
    Ignore,
    /// Keep unknown fields and write them back when encoding.
    Preserve,
    /// Reject unknown fields (for producers' tests).
    Deny,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate bindings for a catalog (the same code build.rs writes).
    ///
    /// Exit codes: 0 done (or, with --check, up to date); 1 with --check, files would change;
    /// 2 bad input or usage.
    Generate {
        /// Catalog folder (repeatable).
        #[arg(long, required = true, value_name = "DIR")]
        catalog: Vec<PathBuf>,
        /// Target languages, comma-separated.
        #[arg(long, value_enum, value_delimiter = ',', default_value = "rust")]
        lang: Vec<Lang>,
        /// Output folder; Rust bindings go to OUT/eventbind.rs.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// What decoders do with fields the schema does not declare.
        #[arg(long, value_enum, default_value = "ignore")]
        unknown_fields: Policy,
        /// Give closed enums a catch-all variant for values they do not list.
        #[arg(long)]
        tolerant_enums: bool,
        /// Only event types whose name matches (repeatable; a name or a glob like `order.*`).
        #[arg(long, value_name = "PATTERN")]
        event_type: Vec<String>,
        /// Write nothing; exit 1 listing every file that would change (the drift check).
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate { catalog, lang, out, unknown_fields, tolerant_enums, event_type, check } => {
            let mut config = Config::new();
            for dir in &catalog {
                config.catalog(dir);
            }
            for pattern in event_type {
                config.event_type(pattern);
            }
            config
                .unknown_fields(match unknown_fields {
                    Policy::Ignore => UnknownFields::Ignore,
                    Policy::Preserve => UnknownFields::Preserve,
                    Policy::Deny => UnknownFields::Deny,
                })
                .tolerant_enums(tolerant_enums)
                .cargo_output(false);
            let mut files = Vec::new();
            for lang in lang {
                match lang {
                    Lang::Rust => match config.generate() {
                        Ok(generated) => files.push((out.join("eventbind.rs"), generated.code)),
                        Err(e) => {
                            eprintln!("{e}");
                            return ExitCode::from(2);
                        }
                    },
                }
            }
            let mut drift = Vec::new();
            for (path, content) in &files {
                if check {
                    if !eventbind_build::output::is_current(path, content.as_bytes()) {
                        drift.push(path);
                    }
                } else if let Err(e) = eventbind_build::output::write_if_changed(path, content.as_bytes()) {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    return ExitCode::from(2);
                }
            }
            if !drift.is_empty() {
                eprintln!("generated files are out of date with the catalog:");
                for path in drift {
                    eprintln!("  {}", path.display());
                }
                eprintln!("run `eventbind generate` without --check and commit the result");
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
    }
}
