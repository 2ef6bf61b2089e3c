//! The `eventbind` command: the engine's front door for CI and people.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use eventbind_build::{Config, TemplateConfig, UnknownFields};

/// Typed event bindings from an event catalog, and the checks CI runs on it.
#[derive(Debug, Parser)]
#[command(name = "eventbind", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
        /// Target languages, comma-separated: rust, typescript, python, or a folder of --templates.
        #[arg(long, value_delimiter = ',', default_value = "rust", value_name = "LANG")]
        lang: Vec<String>,
        /// Output folder. Rust bindings go to OUT/eventbind.rs; every other language gets a
        /// package in OUT/<lang>/ (package.json + tsconfig.json, pyproject.toml, …).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Folder of `<lang>/` template folders: replaces files of a built-in language, or adds a
        /// language (a folder with a language.yaml).
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Package name of template languages (npm package, Python import name).
        #[arg(long, value_name = "NAME", default_value = "events")]
        package_name: String,
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
        Command::Generate {
            catalog,
            lang,
            out,
            templates,
            package_name,
            unknown_fields,
            tolerant_enums,
            event_type,
            check,
        } => {
            let policy = match unknown_fields {
                Policy::Ignore => UnknownFields::Ignore,
                Policy::Preserve => UnknownFields::Preserve,
                Policy::Deny => UnknownFields::Deny,
            };
            let mut config = Config::new();
            for dir in &catalog {
                config.catalog(dir);
            }
            for pattern in &event_type {
                config.event_type(pattern);
            }
            config.unknown_fields(policy).tolerant_enums(tolerant_enums).cargo_output(false);
            let mut files = Vec::new();
            let mut langs = lang;
            langs.dedup();
            for lang in langs {
                let generated = if lang == "rust" {
                    config.generate().map(|g| vec![(out.join("eventbind.rs"), g.code)])
                } else {
                    let mut templated = TemplateConfig::new();
                    for dir in &catalog {
                        templated.catalog(dir);
                    }
                    for pattern in &event_type {
                        templated.event_type(pattern);
                    }
                    if let Some(dir) = &templates {
                        templated.templates(dir);
                    }
                    templated
                        .language(&lang)
                        .package_name(&package_name)
                        .unknown_fields(policy)
                        .tolerant_enums(tolerant_enums);
                    templated.generate().map(|rendered| {
                        rendered.into_iter().map(|f| (out.join(&lang).join(&f.path), f.content)).collect()
                    })
                };
                match generated {
                    Ok(more) => files.extend(more),
                    Err(e) => {
                        eprintln!("{e}");
                        return ExitCode::from(2);
                    }
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
