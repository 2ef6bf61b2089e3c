//! The governance subcommands: `lint`, `diff` and `check`. Each is a thin layer over the
//! engine: parse options, run, print the report in the chosen format, and exit 0 (clean),
//! 1 (findings) or 2 (usage or input error).

use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;
use eventbind_build::Error;
use eventbind_governance::check::{self, CheckOptions, Snapshot};
use eventbind_governance::compat::avro::AvroSource;
use eventbind_governance::compat::protobuf::ProtoSource;
use eventbind_governance::compat::registry::{self, RegistryCheck};
use eventbind_governance::compat::{self, Change, Policy, Verdict};
use eventbind_governance::findings::{RuleDoc, Severity};
use eventbind_governance::lint::{self, LintConfig};
use eventbind_governance::registry_config::RegistryConfig;
use eventbind_governance::report::{findings_json, Format, Report};
use serde_json::json;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// rustc-style: file:line:col, the source line and a caret.
    Text,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// JUnit XML, one test case per event type.
    Junit,
    /// SARIF 2.1.0 for code-scanning services.
    Sarif,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Format {
        match f {
            OutputFormat::Text => Format::Text,
            OutputFormat::Json => Format::Json,
            OutputFormat::Github => Format::Github,
            OutputFormat::Junit => Format::Junit,
            OutputFormat::Sarif => Format::Sarif,
        }
    }
}

/// Parses `--policy`.
pub fn parse_policy(s: &str) -> Result<Policy, String> {
    Policy::parse(s).ok_or_else(|| {
        format!(
            "unknown policy `{s}`; expected compatible, forward, none (event guidelines) or BACKWARD, FORWARD, FULL, \
             BACKWARD_TRANSITIVE, FORWARD_TRANSITIVE, FULL_TRANSITIVE, NONE (schema registries)"
        )
    })
}

fn finish(report: &Report, format: OutputFormat) -> ExitCode {
    print!("{}", report.render(format.into()));
    if report.fails() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn input_error(e: &Error) -> ExitCode {
    eprintln!("{e}");
    ExitCode::from(2)
}

pub fn lint(catalog: &Path, config: Option<&Path>, list_rules: bool, format: OutputFormat) -> ExitCode {
    if list_rules {
        for r in lint::RULES {
            println!("{}  {:<34} {:<14} {:<8} {}", r.id, r.name, r.category, r.severity, r.doc);
        }
        return ExitCode::SUCCESS;
    }
    let config = match config {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("error: cannot read {}: {e}", path.display()))
            .and_then(|text| LintConfig::parse(&text, path).map_err(|d| d.to_string())),
        None => LintConfig::load(catalog).map_err(|e| e.to_string()),
    };
    let config = match config {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match lint::lint_with(catalog, &config) {
        Ok(report) => finish(&report, format),
        Err(e) => input_error(&e),
    }
}

/// The schema language of a bare file, by extension.
enum Language {
    JsonSchema,
    Avro,
    Protobuf,
}

fn language(path: &Path) -> Option<Language> {
    match path.extension()?.to_str()? {
        "json" | "yaml" | "yml" => Some(Language::JsonSchema),
        "avsc" => Some(Language::Avro),
        "proto" => Some(Language::Protobuf),
        _ => None,
    }
}

pub fn diff(old: &Path, new: &Path, message: Option<&str>, policy: Policy, format: OutputFormat) -> ExitCode {
    let registry_level = match policy {
        Policy::Registry(level) => Some(level),
        Policy::Guidelines(_) => None,
    };
    // The changes, and under a registry level the registry's own comparison.
    let compared: Result<(Vec<Change>, Option<RegistryCheck>), Error> = match (language(old), language(new)) {
        (Some(Language::JsonSchema), Some(Language::JsonSchema)) => compat::diff_json_schema_files(old, new)
            .and_then(|c| Ok((c, registry_level.map(|_| registry::json_schema_files(old, new)).transpose()?))),
        (Some(Language::Avro), Some(Language::Avro)) => AvroSource::read(old).and_then(|a| {
            let b = AvroSource::read(new)?;
            Ok((compat::avro::diff(&a, &b)?, registry_level.map(|_| registry::avro::check(&a, &b)).transpose()?))
        }),
        (Some(Language::Protobuf), Some(Language::Protobuf)) => {
            let Some(message) = message else {
                eprintln!("error: diffing .proto files needs --message with the payload message's full name");
                return ExitCode::from(2);
            };
            ProtoSource::read(old).and_then(|a| {
                let b = ProtoSource::read(new)?;
                let changes = compat::protobuf::diff(&a, &b, message, None)?;
                Ok((changes, registry_level.map(|_| registry::protobuf::check(&a, &b)).transpose()?))
            })
        }
        _ => {
            eprintln!(
                "error: OLD and NEW must be schema files of the same language: .json/.yaml/.yml (JSON Schema), \
                 .avsc (Avro) or .proto (Protobuf)"
            );
            return ExitCode::from(2);
        }
    };
    let (changes, registry) = match compared {
        Ok(c) => c,
        Err(e) => return input_error(&e),
    };
    let verdict = Verdict::of(&changes, policy, registry.as_ref());
    let mut report = Report::new("diff");
    report.rules = eventbind_governance::compat::ChangeKind::ALL
        .iter()
        .map(|k| RuleDoc {
            code: k.name().into(),
            name: k.name().into(),
            description: k.doc().into(),
            severity: Severity::Note,
        })
        .collect();
    report.subjects.insert(crate_path(new));
    // Under a registry level the changes explain; the registry's incompatible differences fail.
    report.findings = changes
        .iter()
        .map(|c| {
            let allowed = registry.is_some() || policy.allows(c.kind);
            c.finding(if allowed { Severity::Note } else { Severity::Error })
        })
        .collect();
    if let (Some(level), Some(check)) = (registry_level, &registry) {
        report.findings.extend(check.findings(level, policy.name()));
    }
    report.summary.push(format!(
        "{} change(s) from {} to {}; under `{}`{}: backward {}, forward {}, full {}, bump {}, {}",
        changes.len(),
        crate_path(old),
        crate_path(new),
        policy.name(),
        if registry.is_some() { " (the Schema Registry's rules)" } else { "" },
        verdict.backward,
        verdict.forward,
        verdict.full,
        verdict.bump,
        if verdict.compatible { "compatible" } else { "NOT compatible" }
    ));
    report.json = json!({
        "changes": changes.iter().map(Change::to_json).collect::<Vec<_>>(),
        "backward": verdict.backward,
        "forward": verdict.forward,
        "full": verdict.full,
        "bump": verdict.bump.as_str(),
        "policy": policy.name(),
        "compatible": verdict.compatible,
        "registry": registry.as_ref().map(RegistryCheck::to_json),
        "findings": findings_json(&report.findings),
    });
    finish(&report, format)
}

fn crate_path(p: &Path) -> String {
    p.display().to_string()
}

/// Which registry `publish` and `check` talk to: a URL, or an environment of eventbind.yaml.
pub enum RegistryTarget {
    Url(String),
    Env(String),
}

impl RegistryTarget {
    /// From `--registry` and `--env` (clap lets at most one through).
    pub fn of(url: Option<String>, env: Option<String>) -> Option<RegistryTarget> {
        env.map(RegistryTarget::Env).or(url.map(RegistryTarget::Url))
    }

    fn client(&self, config: &RegistryConfig) -> Result<eventbind_registry::Client, Error> {
        match self {
            RegistryTarget::Url(url) => eventbind_registry::Client::new(url).map_err(|e| {
                Error::from(eventbind_build::Diagnostic::new(
                    eventbind_build::Location::file("--registry"),
                    e.to_string(),
                ))
            }),
            RegistryTarget::Env(name) => {
                let var = |name: &str| std::env::var(name).ok();
                Ok(config.environment(name)?.client(&var)?)
            }
        }
    }
}

pub fn check(
    catalog: &Path,
    against: &str,
    policy: Option<Policy>,
    transitive: bool,
    registry: Option<&RegistryTarget>,
    format: OutputFormat,
) -> ExitCode {
    let options = CheckOptions { policy, transitive };
    let run = || -> Result<Report, Error> {
        // The registry first: a wrong URL or a missing credential fails before any work.
        let registry = match registry {
            Some(target) => {
                let config = RegistryConfig::load(catalog)?;
                let client = target.client(&config)?;
                Some((config, client))
            }
            None => None,
        };
        let current = Snapshot::folder(catalog)?;
        let (base, history) = check::load_base(catalog, against, transitive || policy.is_some_and(Policy::transitive))?;
        let mut report = check::check(&current, &base, &history, options)?;
        if let Some((config, client)) = &registry {
            check::ask_registry(&mut report, &current, &base, options, config, client)?;
        }
        Ok(report)
    };
    match run() {
        Ok(report) => finish(&report, format),
        Err(e) => input_error(&e),
    }
}

pub fn publish(catalog: &Path, registry: Option<&RegistryTarget>, dry_run: bool, format: OutputFormat) -> ExitCode {
    let run = || -> Result<Report, Error> {
        let config = RegistryConfig::load(catalog)?;
        let Some(target) = registry else {
            return Err(Error::from(eventbind_build::Diagnostic::new(
                eventbind_build::Location::file(catalog),
                "publish needs --registry URL or --env NAME",
            )));
        };
        let client = target.client(&config)?;
        let snapshot = Snapshot::folder(catalog)?;
        eventbind_governance::publish::publish(&snapshot, &config, &client, dry_run)
    };
    match run() {
        Ok(report) => finish(&report, format),
        Err(e) => input_error(&e),
    }
}
