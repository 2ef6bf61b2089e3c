//! `eventbind publish`: registers every event type's schema in a schema registry under its
//! subject ([`crate::subjects`]: the naming strategy `eventbind.yaml` chooses, `topic` by
//! default), and sets each subject's compatibility level from the event type's
//! `compatibility_mode` ([`RegistryConfig::level`]; by default `compatible` → `FULL_TRANSITIVE`,
//! `forward` → `FORWARD_TRANSITIVE`, `none` → `NONE`). Idempotent: each schema is looked up
//! first, so publishing an unchanged catalog registers nothing and says so; `dry_run` reports
//! the plan without writing. A registry that refuses a schema is a finding with the registry's
//! message, for that event type.

use serde_json::json;

use crate::check::Snapshot;
use crate::findings::{Finding, RuleDoc, Severity};
use crate::references;
use crate::registry_config::{RegistryConfig, SubjectChoice};
use crate::report::{findings_json, Report};
use crate::subjects;
use eventbind_build::catalog::EventType;
use eventbind_build::diagnostic::{Diagnostic, Error, Location};
use eventbind_registry::{Client, Compatibility};

const CODES: &[(&str, &str, Severity)] = &[
    (
        "SCHEMA_REGISTERED",
        "A new subject or a new version was registered (or would be, with --dry-run).",
        Severity::Note,
    ),
    ("SCHEMA_UNCHANGED", "The schema is already registered under its subject.", Severity::Note),
    ("LEVEL_SET", "The subject's compatibility level was set from compatibility_mode.", Severity::Note),
    ("REGISTRY_REFUSED", "The registry refused the schema; its message says why.", Severity::Error),
    ("SUBJECT_UNNAMED", "The subject strategy needs a record name that the schema does not have.", Severity::Error),
];

fn at(e: &EventType, message: String) -> Diagnostic {
    Diagnostic::new(Location::at(&e.file, "/schema"), message)
}

/// Publishes `catalog` to the registry `client` talks to, subjects and levels as `config` says;
/// with `dry_run` only plans.
pub fn publish(catalog: &Snapshot, config: &RegistryConfig, client: &Client, dry_run: bool) -> Result<Report, Error> {
    let mut report = Report::new("publish");
    report.rules = RuleDoc::table(CODES);
    let mut plan = Vec::new();
    // Which event type named each subject first.
    let mut owners = std::collections::BTreeMap::new();
    let (mut registered, mut unchanged, mut refused) = (0, 0, 0);
    for e in &catalog.catalog.event_types {
        report.subjects.insert(e.name.clone());
        let Some(spread) = references::spread(catalog, e)? else {
            report.findings.push(
                Finding::new(
                    "REGISTRY_REFUSED",
                    Severity::Error,
                    at(e, format!("the schema of `{}` is not in the catalog", e.name)),
                )
                .subject(&e.name),
            );
            refused += 1;
            plan.push(json!({"event_type": e.name, "subject": null, "action": "refused"}));
            continue;
        };
        let naming = match config.choice(&e.name) {
            SubjectChoice::Strategy(s) => s.as_str(),
            SubjectChoice::Subject(_) => "subject",
        };
        let subject = match subjects::subject(config, e, &spread.schema) {
            Ok(subject) => subject,
            Err(d) => {
                report.findings.push(Finding::new("SUBJECT_UNNAMED", Severity::Error, d).subject(&e.name));
                refused += 1;
                plan.push(json!({"event_type": e.name, "subject": null, "naming": naming, "action": "refused"}));
                continue;
            }
        };
        if let Some(first) = owners.insert(subject.clone(), e.name.clone()) {
            let message = format!("`{}` and `{first}` are both published under `{subject}`", e.name);
            let d = at(e, message)
                .help("give one of them its own `subject` under `registry: event_types:` in eventbind.yaml");
            report.findings.push(Finding::new("SUBJECT_SHARED", Severity::Warning, d).subject(&e.name));
        }
        let registry = |err: eventbind_registry::Error| -> Error { at(e, format!("`{subject}`: {err}")).into() };
        // The files the schema depends on first, each under its own subject.
        let resolved = match references::resolve(client, &spread, !dry_run) {
            Ok(resolved) => resolved,
            Err(err) if err.status().is_some() => {
                refused += 1;
                let message = format!("the registry refused a schema that `{}` depends on: {err}", e.name);
                report
                    .findings
                    .push(Finding::new("REGISTRY_REFUSED", Severity::Error, at(e, message)).subject(&e.name));
                plan.push(json!({"event_type": e.name, "subject": subject, "naming": naming, "action": "refused",
                    "message": err.to_string()}));
                continue;
            }
            Err(err) => return Err(registry(err)),
        };
        // Without the versions of unregistered dependencies (a dry run) there is nothing to look up.
        let found = match &resolved.schema {
            Some(schema) => client.lookup(&subject, schema).map_err(registry)?,
            None => None,
        };
        let exists = match client.latest(&subject) {
            Ok(_) => true,
            Err(err) if err.status() == Some(404) => false,
            Err(err) => return Err(registry(err)),
        };
        let level = config.level(e.compatibility_mode);
        let current_level = if exists { client.subject_compatibility(&subject).map_err(registry)? } else { None };
        let mut step = json!({"event_type": e.name, "subject": subject, "naming": naming, "level": level.as_str()});
        if !resolved.steps.is_empty() {
            step["references"] = json!(resolved.steps);
        }
        if spread.bundled {
            step["bundled"] = json!(
                "the documents this JSON Schema refers to are inlined: registries refuse JSON Schema references (Karapace's error 44302)"
            );
        }
        // The level first, so that the registry checks the new version as the catalog declares.
        if current_level != Some(level) {
            if !dry_run {
                client.set_subject_compatibility(&subject, level).map_err(registry)?;
            }
            step["level_change"] = json!({"from": current_level.map(Compatibility::as_str), "to": level.as_str()});
            report.findings.push(
                Finding::new(
                    "LEVEL_SET",
                    Severity::Note,
                    at(e, format!("`{subject}`: compatibility {}", level.as_str())),
                )
                .subject(&e.name),
            );
        }
        match found {
            Some(r) => {
                unchanged += 1;
                step["action"] = json!("unchanged");
                step["version"] = json!(r.version);
                step["id"] = json!(r.id);
                report.findings.push(
                    Finding::new(
                        "SCHEMA_UNCHANGED",
                        Severity::Note,
                        at(e, format!("`{subject}` already has this schema (version {}, id {})", r.version, r.id)),
                    )
                    .subject(&e.name),
                );
            }
            None if dry_run => {
                registered += 1;
                step["action"] = json!(if exists { "new version" } else { "new subject" });
                report.findings.push(
                    Finding::new(
                        "SCHEMA_REGISTERED",
                        Severity::Note,
                        at(
                            e,
                            format!(
                                "would register `{}` under `{subject}` ({})",
                                e.name,
                                step["action"].as_str().unwrap_or("")
                            ),
                        ),
                    )
                    .subject(&e.name),
                );
            }
            None => match client.register(&subject, resolved.schema.as_ref().unwrap_or(&spread.schema)) {
                Ok(id) => {
                    registered += 1;
                    step["action"] = json!(if exists { "new version" } else { "new subject" });
                    step["id"] = json!(id);
                    report.findings.push(
                        Finding::new(
                            "SCHEMA_REGISTERED",
                            Severity::Note,
                            at(e, format!("registered under `{subject}` (id {id})")),
                        )
                        .subject(&e.name),
                    );
                }
                Err(err) if err.status().is_some() => {
                    refused += 1;
                    step["action"] = json!("refused");
                    step["message"] = json!(err.to_string());
                    report.findings.push(
                        Finding::new(
                            "REGISTRY_REFUSED",
                            Severity::Error,
                            at(e, format!("the registry refused `{}`: {err}", e.name)),
                        )
                        .subject(&e.name),
                    );
                }
                Err(err) => return Err(registry(err)),
            },
        }
        plan.push(step);
    }
    crate::findings::sort(&mut report.findings);
    report.summary.push(format!(
        "{}{} event type(s) for {}: {registered} to register, {unchanged} unchanged, {refused} refused{}",
        if dry_run { "plan: " } else { "" },
        catalog.catalog.event_types.len(),
        client.url(),
        if registered == 0 && refused == 0 { " (nothing to do)" } else { "" }
    ));
    report.json = json!({
        "registry": client.url(),
        "dry_run": dry_run,
        "plan": plan,
        "registered": registered,
        "unchanged": unchanged,
        "refused": refused,
        "findings": findings_json(&report.findings),
        "ok": refused == 0,
    });
    Ok(report)
}
