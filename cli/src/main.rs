//! The `eventbind` command: the engine's front door for CI and people.

mod governance;
mod replay;
mod store;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use eventbind_build::{Config, UnknownFields};
use eventbind_governance::compat::Policy as CompatPolicy;
use eventbind_templates::TemplateConfig;
use governance::OutputFormat;

/// Typed event bindings from an event catalog, and the checks CI runs on it.
#[derive(Debug, Parser)]
#[command(name = "eventbind", version, about = "Typed event bindings from an event catalog, and the checks CI runs on it", long_about = None)]
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
    /// Generate bindings for a catalog: Rust (the code build.rs writes) or a template language.
    ///
    /// Exit codes: 0 done (or, with --check, up to date); 1 with --check, files would change;
    /// 2 bad input or usage.
    Generate {
        /// Catalog folder (repeatable).
        #[arg(long, required = true, value_name = "DIR")]
        catalog: Vec<PathBuf>,
        /// Target languages, comma-separated: rust, typescript, python, go, java, or a folder of --templates.
        #[arg(long, value_delimiter = ',', default_value = "rust", value_name = "LANG")]
        lang: Vec<String>,
        /// Output folder. Rust bindings go to OUT/eventbind.rs; every other language gets a
        /// package in OUT/<lang>/ (package.json + tsconfig.json, pyproject.toml, pom.xml, …).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Folder of `<lang>/` template folders: replaces files of a built-in language, or adds a
        /// language (a folder with a language.yaml).
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Package name of template languages (npm package, Python import name, Go module path, Java
        /// root package). A built-in module of the language (`events` in Node.js) is refused.
        #[arg(long, value_name = "NAME", default_value = eventbind_templates::DEFAULT_PACKAGE)]
        package_name: String,
        /// What decoders do with fields the schema does not declare.
        #[arg(long, value_enum, default_value = "ignore")]
        unknown_fields: Policy,
        /// Give closed enums a catch-all variant for values they do not list.
        #[arg(long)]
        tolerant_enums: bool,
        /// Rust: the type of `date-time` values. `fixed-offset` (`DateTime<FixedOffset>`) keeps
        /// the offset an event was written with; `utc` (`DateTime<Utc>`) writes it back in UTC.
        #[arg(long, value_name = "TYPE", default_value = "fixed-offset")]
        date_times: eventbind_build::DateTimes,
        /// Rust: an optional field whose schema allows null. `keep` (`Option<Option<T>>`) writes
        /// back null and absent as received; `as-absent` (`Option<T>`) reads null as absent.
        #[arg(long, value_name = "RULE", default_value = "keep")]
        optional_nulls: eventbind_build::OptionalNulls,
        /// Only event types whose name matches (repeatable; a name or a glob like `order.*`).
        #[arg(long, value_name = "PATTERN")]
        event_type: Vec<String>,
        /// Write nothing; exit 1 listing every file that would change (the drift check).
        #[arg(long)]
        check: bool,
    },
    /// Lint a catalog against the event guidelines (rules configured in CATALOG/eventbind.yaml).
    ///
    /// Lint a catalog: naming, required fields, the OpenAPI subset, partitioning, documentation,
    /// sensitive data, enums. Rules are configured in CATALOG/eventbind.yaml.
    ///
    /// Exit codes: 0 clean; 1 findings (errors or warnings); 2 usage or input error.
    Lint {
        /// The catalog folder.
        catalog: PathBuf,
        /// A configuration file to use instead of CATALOG/eventbind.yaml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Print every rule (ID, name, category, severity, what it checks) and exit.
        #[arg(long)]
        list_rules: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Compare two versions of one schema file: every change, the verdicts and the version bump.
    ///
    /// Compare two schema files of one language: JSON Schema (.json/.yaml), Avro (.avsc) or
    /// Protobuf (.proto, with --message). Prints every change, the verdicts and the bump.
    ///
    /// Exit codes: 0 compatible under the policy; 1 not compatible; 2 usage or input error.
    Diff {
        /// The earlier schema.
        old: PathBuf,
        /// The later schema.
        new: PathBuf,
        /// Protobuf: the payload message's full name (`shop.orders.v1.OrderPlaced`).
        #[arg(long)]
        message: Option<String>,
        /// compatible | forward | none (event guidelines), or BACKWARD | FORWARD | FULL and their
        /// _TRANSITIVE forms | NONE (schema registries: Confluent's Schema Registry's rules).
        #[arg(long, value_parser = governance::parse_policy, default_value = "forward")]
        policy: CompatPolicy,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Register every event type's schema in a schema registry, with its subject's compatibility level.
    ///
    /// Register every event type's schema under its subject (by the naming strategy of
    /// eventbind.yaml's `registry:` section; default `<docs.topic>-value`), looked up first so
    /// that an unchanged catalog registers nothing, and set each subject's level from the event
    /// type's compatibility_mode (by default compatible: FULL_TRANSITIVE, forward:
    /// FORWARD_TRANSITIVE, none: NONE). --dry-run prints the plan without writing.
    ///
    /// Exit codes: 0 published (or nothing to do); 1 findings (the registry refused a schema);
    /// 2 usage or input error (including a registry that cannot be reached).
    Publish {
        /// The catalog folder.
        catalog: PathBuf,
        /// The registry's URL; credentials may be in it.
        #[arg(long, value_name = "URL", required_unless_present = "env", conflicts_with = "env")]
        registry: Option<String>,
        /// The registry of an environment of eventbind.yaml (`registry: environments:`), with
        /// its credentials read from the environment variables it names.
        #[arg(long, value_name = "NAME")]
        env: Option<String>,
        /// Print the plan (new subjects, new versions, level changes) without writing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Check a catalog against an earlier one (a folder or a git revision): compatibility and version bumps.
    ///
    /// Check a catalog against an earlier one: every added, changed or removed event type, its
    /// verdict under its compatibility_mode (or --policy) and its version bump.
    ///
    /// Exit codes: 0 clean; 1 findings (breaking changes, wrong version bumps); 2 usage or input
    /// error (including a REF that is neither a folder nor a git revision).
    Check {
        /// The catalog folder.
        catalog: PathBuf,
        /// A folder, or a git revision (`main`, `origin/main`, a commit) read from git objects.
        #[arg(long, value_name = "REF")]
        against: String,
        /// Judge every event type by this policy instead of its own compatibility_mode.
        #[arg(long, value_parser = governance::parse_policy)]
        policy: Option<CompatPolicy>,
        /// Also compare with every earlier version of each event type in git history.
        #[arg(long)]
        transitive: bool,
        /// Also ask this schema registry's `/compatibility` endpoint about every changed event
        /// type (its subject as for publish, the subject's level, its latest version) and report
        /// its answer beside eventbind's; credentials may be in the URL.
        #[arg(long, value_name = "URL", conflicts_with = "env")]
        registry: Option<String>,
        /// Ask the registry of this environment of eventbind.yaml instead of --registry.
        #[arg(long, value_name = "NAME")]
        env: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Write a documentation site for the catalog (HTML and Markdown).
    ///
    /// Write a documentation site for the catalog: HTML (index grouped by namespace and owner,
    /// with search and filters; a page per event type with its fields, an example, the schema
    /// and, in a git repository, its version history) and the same as Markdown under
    /// OUT/markdown. Works from file:// and any static host.
    ///
    /// Exit codes: 0 written; 2 bad input or usage.
    Docs {
        /// The catalog folder.
        catalog: PathBuf,
        /// Output folder.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Validate events against the catalog: envelopes and payloads.
    ///
    /// Validate events against the catalog: the envelope by the event type's category and the
    /// payload against its schema. Reads JSON (one document or an array), NDJSON or JSON Lines
    /// files, or stdin (`-` or no FILE), one event at a time in constant memory. Prints
    /// `FILE:LINE: EVENT_TYPE: POINTER: REASON` per problem, then a summary.
    ///
    /// Exit codes: 0 every event valid; 1 an event is invalid; 2 usage or input error.
    Validate {
        /// Catalog folder (repeatable).
        #[arg(long, required = true, value_name = "DIR")]
        catalog: Vec<PathBuf>,
        /// The event type of every event, for events without `metadata.event_type` (undefined
        /// category); an event naming another type is invalid.
        #[arg(long = "type", value_name = "NAME")]
        event_type: Option<String>,
        /// Input framing; by default by extension (.json: JSON; .ndjson, .jsonl: NDJSON), else
        /// JSON when the input starts with `[` and NDJSON otherwise.
        #[arg(long, value_enum)]
        input_format: Option<InputFormatArg>,
        /// Files to read; `-` or none: stdin.
        files: Vec<PathBuf>,
    },
    /// Replay stored events of chosen types in a time window, in order of occurrence.
    ///
    /// Replay stored events: those of the chosen types whose metadata.occurred_at lies in
    /// [--from, --to), validated against the catalog, written as NDJSON in order of occurrence
    /// (ties: the earlier FILE, then the earlier line). Inputs larger than memory are sorted
    /// externally in runs of --run-bytes. Events left out (unknown types, invalid events,
    /// truncated lines, invalid UTF-8, missing or unparseable occurred_at) are reported on
    /// stderr as FILE:LINE: reason. With --store, the events come from a Parquet store (`store
    /// write`) instead, in the same order: occurred_at to the nanosecond, then the order of writing.
    ///
    /// Exit codes: 0 every event replayed; 1 an event was left out; 2 usage or input error.
    Replay {
        /// Catalog folder (repeatable).
        #[arg(long, required = true, value_name = "DIR")]
        catalog: Vec<PathBuf>,
        /// Only events of this type (repeatable; none: every type).
        #[arg(long = "type", value_name = "NAME")]
        event_types: Vec<String>,
        /// Only events that occurred at or after this RFC 3339 time.
        #[arg(long, value_name = "TIME")]
        from: Option<DateTime<Utc>>,
        /// Only events that occurred before this RFC 3339 time.
        #[arg(long, value_name = "TIME")]
        to: Option<DateTime<Utc>>,
        /// Bytes of events held in memory before a sorted run is spilled to a temporary file.
        #[arg(long, value_name = "BYTES", default_value_t = eventbind::replay::DEFAULT_RUN_BYTES)]
        run_bytes: usize,
        /// Folder for the spilled runs (default: the system's temporary folder).
        #[arg(long, value_name = "DIR")]
        temp_dir: Option<PathBuf>,
        /// Write here instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Read the events from this Parquet store (`eventbind store write`) instead of FILEs.
        #[arg(long, value_name = "STORE", conflicts_with = "files")]
        store: Option<PathBuf>,
        /// NDJSON files (or Avro container files, .avro, when built with the runtime's avro feature).
        #[arg(required_unless_present = "store")]
        files: Vec<PathBuf>,
    },
    /// Print the table schemas of event types: Arrow, Spark StructType JSON or Spark DDL.
    ///
    /// The columns of the event types' Parquet files in a store (`store write`): the envelope,
    /// the payload as nested structs, lists and maps, `_unknown` (fields no schema declares, as
    /// JSON) and `_order`; the Spark schemas add the partition columns `event_type` and `date`.
    /// One --type prints its schema alone; otherwise a JSON object by event type name.
    ///
    /// Exit codes: 0 printed; 2 bad input or usage.
    Schema(store::SchemaArgs),
    /// Write events to a typed Parquet store, partitioned by event type and date.
    ///
    /// Exit codes: those of the subcommand (`store write`: 0 every event stored or already
    /// there; 1 an event was quarantined; 2 usage or input error).
    Store {
        #[command(subcommand)]
        command: store::StoreCommand,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputFormatArg {
    /// One document per line (NDJSON, JSON Lines).
    Ndjson,
    /// One JSON document, a top-level array of documents, or documents one after another.
    Json,
}

impl InputFormatArg {
    fn format(self) -> eventbind_validate::InputFormat {
        match self {
            InputFormatArg::Ndjson => eventbind_validate::InputFormat::Ndjson,
            InputFormatArg::Json => eventbind_validate::InputFormat::Json,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Lint { catalog, config, list_rules, format } => {
            governance::lint(&catalog, config.as_deref(), list_rules, format)
        }
        Command::Diff { old, new, message, policy, format } => {
            governance::diff(&old, &new, message.as_deref(), policy, format)
        }
        Command::Publish { catalog, registry, env, dry_run, format } => {
            let target = governance::RegistryTarget::of(registry, env);
            governance::publish(&catalog, target.as_ref(), dry_run, format)
        }
        Command::Check { catalog, against, policy, transitive, registry, env, format } => {
            let target = governance::RegistryTarget::of(registry, env);
            governance::check(&catalog, &against, policy, transitive, target.as_ref(), format)
        }
        Command::Replay { catalog, event_types, from, to, run_bytes, temp_dir, out, store, files } => {
            let args = replay::ReplayArgs { catalog, event_types, from, to, run_bytes, temp_dir, out, files };
            match store {
                Some(dir) => store::replay(args, &dir),
                None => replay::replay(args),
            }
        }
        Command::Schema(args) => store::schema(args),
        Command::Store { command } => store::store(command),
        Command::Docs { catalog, out } => match eventbind_docs::build(&catalog) {
            Ok(site) => match site.write(&out) {
                Ok(()) => {
                    let invalid: Vec<&str> =
                        site.pages.iter().filter(|p| !p.example_valid).map(|p| p.name.as_str()).collect();
                    if !invalid.is_empty() {
                        eprintln!("note: no valid example for: {}", invalid.join(", "));
                    }
                    println!("wrote {} file(s) to {}", site.files.len(), out.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", out.display());
                    ExitCode::from(2)
                }
            },
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(2)
            }
        },
        Command::Validate { catalog, event_type, input_format, files } => validate::validate(
            &catalog,
            &files,
            event_type.as_deref(),
            input_format.map(|f| match f {
                InputFormatArg::Ndjson => eventbind_validate::InputFormat::Ndjson,
                InputFormatArg::Json => eventbind_validate::InputFormat::Json,
            }),
        ),
        Command::Generate {
            catalog,
            lang,
            out,
            templates,
            package_name,
            unknown_fields,
            tolerant_enums,
            date_times,
            optional_nulls,
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
            config
                .unknown_fields(policy)
                .tolerant_enums(tolerant_enums)
                .date_times(date_times)
                .optional_nulls(optional_nulls)
                .cargo_output(false);
            let mut files = Vec::new();
            let mut langs = lang;
            langs.dedup();
            for lang in langs {
                let generated = if lang == "rust" {
                    config.generate().map(|g| {
                        for warning in &g.warnings {
                            eprintln!("{}", warning.render_warning());
                        }
                        vec![(out.join("eventbind.rs"), g.code)]
                    })
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
