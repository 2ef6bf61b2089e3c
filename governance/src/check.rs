//! `eventbind check`: compares a catalog with an earlier one (a folder or a git revision) event
//! type by event type: the changes, the verdict under the event type's compatibility mode or a
//! chosen policy, and the declared version bump against the required one. A breaking event type
//! is reported with its owning application and documented consumers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::compat::avro::AvroSource;
use crate::compat::protobuf::ProtoSource;
use crate::compat::{self, Bump, Change, ChangeKind, Policy, Verdict};
use crate::findings::{Finding, RuleDoc, Severity};
use crate::git::Repo;
use crate::report::{findings_json, Report};
use eventbind_build::catalog::{Catalog, CompatibilityMode, EventType, SchemaFormat, SchemaSource};
use eventbind_build::diagnostic::{Diagnostic, Error, Location};
use eventbind_build::json_schema::Documents;

/// Options of a check.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    /// Judge every event type by this policy instead of its own `compatibility_mode`.
    pub policy: Option<Policy>,
    /// Compare with every earlier version in git history, not only with the base.
    pub transitive: bool,
}

/// A catalog as it was somewhere: its definitions and the raw bytes of its files (schema files
/// in formats the loader does not parse, such as `.avsc` and `.proto`).
#[derive(Debug)]
pub struct Snapshot {
    pub catalog: Catalog,
    /// Where it came from, for reports (`origin/main`, a folder, a commit).
    pub label: String,
    /// Files by path relative to the catalog root, for snapshots read from git.
    raw: Option<BTreeMap<PathBuf, Vec<u8>>>,
}

impl Snapshot {
    pub fn folder(dir: &Path) -> Result<Snapshot, Error> {
        Ok(Snapshot { catalog: Catalog::load(&[dir])?, label: eventbind_build::display_path(dir), raw: None })
    }

    /// The catalog folder `dir` as it was at `rev`.
    pub fn git(repo: &Repo, dir: &Path, rev: &str) -> Result<Snapshot, Error> {
        let files = repo.files_at(rev)?;
        let raw: BTreeMap<PathBuf, Vec<u8>> = files.iter().cloned().collect();
        let root = PathBuf::from(format!("{rev}:{}", eventbind_build::display_path(dir)));
        let catalog = Catalog::load_in_memory(&root, files)?;
        Ok(Snapshot { catalog, label: rev.to_owned(), raw: Some(raw) })
    }

    /// The bytes of a file of the catalog, by its canonical (or in-memory) path.
    fn read(&self, path: &Path) -> Option<Vec<u8>> {
        match &self.raw {
            None => std::fs::read(path).ok(),
            Some(raw) => {
                let root = self.catalog.canonical_roots.first()?;
                let rel = lexical(path).strip_prefix(root).ok()?.to_path_buf();
                raw.get(&rel).cloned()
            }
        }
    }

    /// Every `.proto` file, by import path relative to the catalog root.
    fn protos(&self) -> BTreeMap<String, String> {
        self.with_extension("proto")
    }

    /// Every file ending in `.ext`, by path relative to the catalog root.
    fn with_extension(&self, ext: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        match &self.raw {
            Some(raw) => {
                for (rel, bytes) in raw.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == ext)) {
                    out.insert(eventbind_build::display_path(rel), String::from_utf8_lossy(bytes).into_owned());
                }
            }
            None => {
                for root in &self.catalog.canonical_roots {
                    for entry in walkdir::WalkDir::new(root).sort_by_file_name().into_iter().flatten() {
                        let p = entry.path();
                        if p.extension().is_some_and(|e| e == ext) {
                            if let (Ok(rel), Ok(text)) = (p.strip_prefix(root), std::fs::read_to_string(p)) {
                                out.insert(eventbind_build::display_path(rel), text);
                            }
                        }
                    }
                }
            }
        }
        out
    }
}

/// `..` and `.` removed without touching the disk.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Codes `check` reports besides the change kinds.
pub const CHECK_CODES: &[(&str, &str, Severity)] = &[
    ("EVENT_TYPE_ADDED", "A new event type.", Severity::Note),
    ("EVENT_TYPE_REMOVED", "An event type was removed: its consumers lose their stream.", Severity::Error),
    ("EVENT_TYPE_BREAKS", "The event type's changes break its policy; names the owner and consumers.", Severity::Error),
    ("VERSION_UNDER_BUMPED", "`schema.version` grew less than the changes require.", Severity::Error),
    ("VERSION_DECREASED", "`schema.version` went down.", Severity::Error),
    ("MAJOR_VERSION_NOT_ALLOWED", "A MAJOR bump in `compatible` or `forward` mode.", Severity::Error),
    ("NOT_COMPARABLE", "The schemas could not be compared (missing schema files or message).", Severity::Warning),
    (
        "REGISTRY_INCOMPATIBLE",
        "`check --registry`: the registry refuses the new schema under its subject's level.",
        Severity::Error,
    ),
    (
        "REGISTRY_DISAGREES",
        "`check --registry`: the registry's answer differs from eventbind's offline verdict.",
        Severity::Warning,
    ),
];

/// Every code `check` can report, for SARIF's rule table.
pub fn rules() -> Vec<RuleDoc> {
    let mut rules = RuleDoc::table(CHECK_CODES);
    rules.extend(ChangeKind::ALL.iter().map(|k| RuleDoc {
        code: k.name().into(),
        name: k.name().into(),
        description: k.doc().into(),
        severity: Severity::Note,
    }));
    rules
}

/// Compares `current` with `base` (and, transitively, with `history`: older snapshots, newest
/// first) and reports per event type.
pub fn check(
    current: &Snapshot,
    base: &Snapshot,
    history: &[Snapshot],
    options: CheckOptions,
) -> Result<Report, Error> {
    let mut report = Report::new("check");
    report.rules = rules();
    let new_by_name: BTreeMap<&str, &EventType> =
        current.catalog.event_types.iter().map(|e| (e.name.as_str(), e)).collect();
    let old_by_name: BTreeMap<&str, &EventType> =
        base.catalog.event_types.iter().map(|e| (e.name.as_str(), e)).collect();
    let names: BTreeSet<&str> = new_by_name.keys().chain(old_by_name.keys()).copied().collect();
    let mut new_docs = Documents::new(&current.catalog);
    let mut old_docs = Documents::new(&base.catalog);
    let mut results = Vec::new();
    let mut findings = Vec::new();
    for name in names {
        report.subjects.insert(name.to_owned());
        match (old_by_name.get(name), new_by_name.get(name)) {
            (None, Some(new)) => {
                findings.push(
                    Finding::new(
                        "EVENT_TYPE_ADDED",
                        Severity::Note,
                        definition_diagnostic(&current.catalog, new, "/name", format!("event type `{name}` is new")),
                    )
                    .subject(name),
                );
                results.push(json!({"name": name, "status": "added", "owning_application": new.owning_application,
                    "version": new.schema.version.to_string()}));
            }
            (Some(old), None) => {
                let mut d = definition_diagnostic(
                    &base.catalog,
                    old,
                    "/name",
                    format!("event type `{name}` was removed (it was in {})", base.label),
                );
                d.help = Some(audience(old));
                findings.push(Finding::new("EVENT_TYPE_REMOVED", Severity::Error, d).subject(name));
                results.push(json!({"name": name, "status": "removed", "owning_application": old.owning_application,
                    "consumers": consumers(old)}));
            }
            (Some(old), Some(new)) => {
                let mut outcome = compare_event(base, &mut old_docs, old, current, &mut new_docs, new, options)?;
                // Transitively: every distinct earlier version must also be compatible.
                let mut earlier = Vec::new();
                if options.transitive || options.policy.is_some_and(Policy::transitive) {
                    let mut seen = BTreeSet::new();
                    for snapshot in history {
                        let Some(previous) = snapshot.catalog.event_types.iter().find(|e| e.name == name) else {
                            continue;
                        };
                        if previous == *old || !seen.insert(previous.schema.version.to_string()) {
                            continue;
                        }
                        let mut docs = Documents::new(&snapshot.catalog);
                        let mut older =
                            compare_event(snapshot, &mut docs, previous, current, &mut new_docs, new, options)?;
                        earlier.push(json!({"against": snapshot.label, "version": previous.schema.version.to_string(),
                            "compatible": older.verdict.compatible}));
                        for f in &mut older.findings {
                            if f.severity == Severity::Error
                                && !f.code.starts_with("VERSION")
                                && f.code != "MAJOR_VERSION_NOT_ALLOWED"
                            {
                                f.diagnostic.message = format!(
                                    "{} (against version {} in {})",
                                    f.diagnostic.message, previous.schema.version, snapshot.label
                                );
                                outcome.findings.push(f.clone());
                            }
                        }
                        outcome.verdict.compatible &= older.verdict.compatible;
                    }
                }
                let breaks = outcome.findings.iter().any(|f| f.severity == Severity::Error);
                if breaks {
                    let mut d = definition_diagnostic(
                        &current.catalog,
                        new,
                        "/name",
                        format!("event type `{name}` breaks its `{}` policy", outcome.policy.name()),
                    );
                    d.help = Some(audience(new));
                    outcome.findings.push(Finding::new("EVENT_TYPE_BREAKS", Severity::Error, d));
                }
                let status = if outcome.changes.is_empty() && old.schema.version == new.schema.version {
                    "unchanged"
                } else {
                    "changed"
                };
                results.push(json!({
                    "name": name,
                    "status": status,
                    "owning_application": new.owning_application,
                    "consumers": consumers(new),
                    "policy": outcome.policy.name(),
                    "changes": outcome.changes.iter().map(Change::to_json).collect::<Vec<_>>(),
                    "registry": outcome.registry.as_ref().map(compat::registry::RegistryCheck::to_json),
                    "backward": outcome.verdict.backward,
                    "forward": outcome.verdict.forward,
                    "full": outcome.verdict.full,
                    "compatible": outcome.verdict.compatible,
                    "required_bump": outcome.verdict.bump.as_str(),
                    "declared_bump": outcome.declared.map(Bump::as_str),
                    "old_version": old.schema.version.to_string(),
                    "new_version": new.schema.version.to_string(),
                    "earlier_versions": earlier,
                    "breaks": breaks,
                }));
                findings.extend(outcome.findings.into_iter().map(|f| f.subject(name)));
            }
            (None, None) => {}
        }
    }
    crate::findings::sort(&mut findings);
    let failing = results.iter().filter(|r| r["breaks"] == json!(true) || r["status"] == json!("removed")).count();
    report.summary.push(format!(
        "checked {} event type(s) against {}: {} changed, {} added, {} removed, {} breaking",
        results.len(),
        base.label,
        results.iter().filter(|r| r["status"] == json!("changed")).count(),
        results.iter().filter(|r| r["status"] == json!("added")).count(),
        results.iter().filter(|r| r["status"] == json!("removed")).count(),
        failing,
    ));
    report.json = json!({
        "against": base.label,
        "policy": options.policy.map(Policy::name),
        "event_types": results,
        "findings": findings_json(&findings),
        "ok": !findings.iter().any(Finding::fails),
    });
    report.findings = findings;
    Ok(report)
}

/// Who to tell: the owning application and the documented consumers.
fn audience(e: &EventType) -> String {
    let consumers = consumers(e);
    let listed =
        if consumers.is_empty() { "none documented (docs.consumers)".to_owned() } else { consumers.join(", ") };
    format!("owned by `{}`; consumers: {listed}", e.owning_application)
}

/// `docs.consumers`: names, or mappings with a `name` or `application`.
pub fn consumers(e: &EventType) -> Vec<String> {
    let Some(list) = e.docs.as_ref().and_then(|d| d.get("consumers")).and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|c| match c {
            Value::String(s) => Some(s.clone()),
            Value::Object(m) => {
                m.get("name").or_else(|| m.get("application")).and_then(Value::as_str).map(str::to_owned)
            }
            _ => None,
        })
        .collect()
}

fn definition_diagnostic(catalog: &Catalog, e: &EventType, pointer: &str, message: String) -> Diagnostic {
    let d = Diagnostic::new(Location::at(&e.file, pointer), message);
    match catalog.files.get(&e.path) {
        Some(file) => d.locate_in(&file.text),
        None => d,
    }
}

struct Outcome {
    changes: Vec<Change>,
    /// The registry's comparison, under a registry level.
    registry: Option<compat::registry::RegistryCheck>,
    verdict: Verdict,
    policy: Policy,
    declared: Option<Bump>,
    findings: Vec<Finding>,
}

#[allow(clippy::too_many_arguments)]
fn compare_event<'c>(
    base: &Snapshot,
    old_docs: &mut Documents<'c>,
    old: &EventType,
    current: &Snapshot,
    new_docs: &mut Documents<'c>,
    new: &EventType,
    options: CheckOptions,
) -> Result<Outcome, Error> {
    let mut findings = Vec::new();
    let definition = definition_changes(&current.catalog, old, new);
    let mut changes = definition.clone();
    // The base's mode governs: a change cannot loosen its own gate.
    let policy = options.policy.unwrap_or(Policy::Guidelines(old.compatibility_mode));
    let level = match policy {
        Policy::Registry(level) => Some(level),
        Policy::Guidelines(_) => None,
    };
    // Under a registry level the registry's own comparison of the schemas decides.
    let mut registry = None;
    match (old.schema.format, new.schema.format) {
        (SchemaFormat::JsonSchema, SchemaFormat::JsonSchema) => {
            changes.extend(compat::diff_catalog_schemas(old_docs, old, new_docs, new)?);
            if level.is_some() {
                registry = Some(compat::registry::json_schema_events(old_docs, old, new_docs, new)?);
            }
        }
        (SchemaFormat::Avro, SchemaFormat::Avro) => match (avro_source(base, old), avro_source(current, new)) {
            (Some(a), Some(b)) => {
                changes.extend(compat::avro::diff(&a, &b)?);
                if level.is_some() {
                    registry = Some(compat::registry::avro::check(&a, &b)?);
                }
            }
            _ => findings.push(not_comparable(current, new, "the Avro schema text is not in the catalog")),
        },
        (SchemaFormat::Protobuf, SchemaFormat::Protobuf) => {
            match (proto_source(base, old), proto_source(current, new), &old.schema.message, &new.schema.message) {
                (Some(a), Some(b), Some(om), Some(nm)) => {
                    changes.extend(compat::protobuf::diff(&a, &b, om, Some(nm))?);
                    if level.is_some() {
                        registry = Some(compat::registry::protobuf::check(&a, &b)?);
                    }
                }
                (.., None, _) | (.., None) => {
                    findings.push(not_comparable(current, new, "`schema.message` names no payload message"))
                }
                _ => findings.push(not_comparable(current, new, "the .proto files are not in the catalog")),
            }
        }
        _ => {}
    }
    compat::normalize(&mut changes);
    let mut verdict = Verdict::of(&changes, policy, registry.as_ref());
    for change in &changes {
        // Under a registry level the schema changes explain the registry's verdict; changes to
        // the definition itself are judged by their own effect.
        let judged = registry.is_none() || definition.iter().any(|d| d.kind == change.kind && d.path == change.path);
        let severity = if !judged || policy.allows(change.kind) { Severity::Note } else { Severity::Error };
        let mut f = change.finding(severity);
        if severity == Severity::Error {
            f.diagnostic.message = format!("{} (not allowed under `{}`)", f.diagnostic.message, policy.name());
            verdict.compatible = false;
        }
        findings.push(f);
    }
    if let (Some(level), Some(check)) = (level, &registry) {
        findings.extend(check.findings(level, policy.name()));
    }
    let declared = Bump::between(&old.schema.version, &new.schema.version);
    let version_at = |message: String, help: String| {
        definition_diagnostic(&current.catalog, new, "/schema/version", message).help(help)
    };
    match declared {
        None => findings.push(Finding::new(
            "VERSION_DECREASED",
            Severity::Error,
            version_at(
                format!("`schema.version` went from {} down to {}", old.schema.version, new.schema.version),
                "versions only grow".into(),
            ),
        )),
        Some(declared) if declared < verdict.bump => findings.push(Finding::new(
            "VERSION_UNDER_BUMPED",
            Severity::Error,
            version_at(
                format!(
                    "the changes require a {} bump under `{}`, but the version went from {} to {} ({})",
                    verdict.bump,
                    policy.mode_name(),
                    old.schema.version,
                    new.schema.version,
                    declared
                ),
                format!("set `schema.version` to at least {}", bumped(&old.schema.version, verdict.bump)),
            ),
        )),
        Some(Bump::Major)
            if matches!(policy, Policy::Guidelines(CompatibilityMode::Compatible | CompatibilityMode::Forward)) =>
        {
            findings.push(Finding::new(
                "MAJOR_VERSION_NOT_ALLOWED",
                Severity::Error,
                version_at(
                    format!(
                        "a MAJOR version bump ({} → {}) is not allowed in `{}` mode",
                        old.schema.version,
                        new.schema.version,
                        policy.name()
                    ),
                    "publish breaking changes as a new event type, or agree on `compatibility_mode: none` with its consumers".into(),
                ),
            ))
        }
        _ => {}
    }
    Ok(Outcome { changes, registry, verdict, policy, declared, findings })
}

impl Policy {
    fn mode_name(self) -> &'static str {
        match self.mode() {
            CompatibilityMode::Compatible => "compatible",
            CompatibilityMode::Forward => "forward",
            CompatibilityMode::None => "none",
        }
    }
}

fn bumped(v: &semver::Version, bump: Bump) -> semver::Version {
    match bump {
        Bump::Major => semver::Version::new(v.major + 1, 0, 0),
        Bump::Minor => semver::Version::new(v.major, v.minor + 1, 0),
        Bump::Patch => semver::Version::new(v.major, v.minor, v.patch + 1),
        Bump::None => v.clone(),
    }
}

fn not_comparable(current: &Snapshot, e: &EventType, why: &str) -> Finding {
    Finding::new(
        "NOT_COMPARABLE",
        Severity::Warning,
        definition_diagnostic(
            &current.catalog,
            e,
            "/schema",
            format!("the schemas of `{}` cannot be compared: {why}", e.name),
        ),
    )
}

/// Changes to the definition itself: envelope, entity, schema language, partitioning, mode.
fn definition_changes(catalog: &Catalog, old: &EventType, new: &EventType) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |kind: ChangeKind, pointer: &str, a: Value, b: Value| {
        let d = definition_diagnostic(catalog, new, pointer, String::new());
        out.push(Change {
            kind,
            path: pointer.to_owned(),
            old: Some(a),
            new: Some(b),
            location: d.location,
            source_line: d.source_line,
        });
    };
    if old.category != new.category {
        push(
            ChangeKind::CategoryChanged,
            "/category",
            json!(format!("{:?}", old.category).to_lowercase()),
            json!(format!("{:?}", new.category).to_lowercase()),
        );
    }
    if old.data_type != new.data_type {
        push(ChangeKind::DataTypeChanged, "/data_type", json!(old.data_type), json!(new.data_type));
    }
    if old.schema.format != new.schema.format {
        push(
            ChangeKind::SchemaFormatChanged,
            "/schema/type",
            json!(format!("{:?}", old.schema.format)),
            json!(format!("{:?}", new.schema.format)),
        );
    }
    if old.partition_key_fields != new.partition_key_fields {
        push(
            ChangeKind::PartitionKeyChanged,
            "/partition_key_fields",
            json!(old.partition_key_fields),
            json!(new.partition_key_fields),
        );
    }
    if old.compatibility_mode != new.compatibility_mode {
        let mode = |m: CompatibilityMode| format!("{m:?}").to_lowercase();
        push(
            ChangeKind::CompatibilityModeChanged,
            "/compatibility_mode",
            json!(mode(old.compatibility_mode)),
            json!(mode(new.compatibility_mode)),
        );
    }
    out
}

/// The Avro schema of `e` as the catalog has it (named types from other files not inlined), and
/// its path relative to the catalog root when it is a file.
pub(crate) fn avro_text(snapshot: &Snapshot, e: &EventType) -> Option<(String, Option<String>)> {
    Some(match &e.schema.source {
        SchemaSource::InlineText(text) => (text.clone(), None),
        SchemaSource::InlineValue(value) => (value.to_string(), None),
        SchemaSource::File(path) => {
            let text = String::from_utf8(snapshot.read(path)?).ok()?;
            let root = snapshot.catalog.canonical_roots.first()?;
            let rel = lexical(path).strip_prefix(root).ok().map(eventbind_build::display_path);
            (text, rel)
        }
    })
}

/// Every `.avsc` file of the catalog, by path relative to its root.
pub(crate) fn avro_files(snapshot: &Snapshot) -> BTreeMap<String, String> {
    snapshot.with_extension("avsc")
}

fn avro_source(snapshot: &Snapshot, e: &EventType) -> Option<AvroSource> {
    let (shown, text) = match &e.schema.source {
        SchemaSource::InlineText(text) => (e.file.clone(), text.clone()),
        SchemaSource::InlineValue(value) => (e.file.clone(), value.to_string()),
        SchemaSource::File(path) => {
            let bytes = snapshot.read(path)?;
            (snapshot.catalog.shown(&lexical(path)), String::from_utf8(bytes).ok()?)
        }
    };
    // Named types from the catalog's other `.avsc` files are inlined, as for generation.
    let others = snapshot.with_extension("avsc");
    let text = eventbind_build::avro::standalone(&text, &shown, &others).unwrap_or(text);
    Some(AvroSource { shown, text })
}

pub(crate) fn proto_source(snapshot: &Snapshot, e: &EventType) -> Option<ProtoSource> {
    let root = snapshot.catalog.canonical_roots.first()?.clone();
    let shown_root = snapshot.catalog.roots.first()?.clone();
    let mut files = snapshot.protos();
    let entry = match &e.schema.source {
        SchemaSource::File(path) => {
            let rel = lexical(path).strip_prefix(&root).ok()?.to_path_buf();
            eventbind_build::display_path(&rel)
        }
        SchemaSource::InlineText(text) => {
            let name = format!("{}.proto", e.name);
            files.insert(name.clone(), text.clone());
            name
        }
        SchemaSource::InlineValue(_) => return None,
    };
    files.contains_key(&entry).then_some(ProtoSource { files, entry, root: shown_root })
}

/// Loads what `--against` names: a folder, or a git revision of the catalog's repository (and,
/// for transitive checks, every earlier version of the catalog in its history).
pub fn load_base(catalog: &Path, against: &str, transitive: bool) -> Result<(Snapshot, Vec<Snapshot>), Error> {
    let as_dir = Path::new(against);
    if as_dir.is_dir() {
        return Ok((Snapshot::folder(as_dir)?, Vec::new()));
    }
    let repo = Repo::of(catalog)?;
    let base = Snapshot::git(&repo, catalog, against)?;
    let mut history = Vec::new();
    if transitive {
        for commit in repo.history(against)?.into_iter().skip(1) {
            // A commit where the catalog did not load is skipped: it was broken then too.
            if let Ok(snapshot) = Snapshot::git(&repo, catalog, &commit) {
                history.push(snapshot);
            }
        }
    }
    Ok((base, history))
}

/// The schema of an event type as a registry receives it: its type and text.
pub fn registry_schema(snapshot: &Snapshot, e: &EventType) -> Option<eventbind_registry::Schema> {
    use eventbind_registry::{Schema, SchemaType};
    Some(match e.schema.format {
        SchemaFormat::JsonSchema => {
            let text = match &e.schema.source {
                SchemaSource::InlineText(text) => text.clone(),
                SchemaSource::InlineValue(value) => value.to_string(),
                SchemaSource::File(path) => {
                    let bytes = snapshot.read(path)?;
                    let text = String::from_utf8(bytes).ok()?;
                    // YAML schema files go to the registry as JSON.
                    match serde_json::from_str::<Value>(&text) {
                        Ok(_) => text,
                        Err(_) => serde_json::to_string(&serde_yaml_ng::from_str::<Value>(&text).ok()?).ok()?,
                    }
                }
            };
            Schema::new(SchemaType::Json, text)
        }
        SchemaFormat::Avro => Schema::new(SchemaType::Avro, avro_source(snapshot, e)?.text),
        SchemaFormat::Protobuf => {
            let src = proto_source(snapshot, e)?;
            Schema::new(SchemaType::Protobuf, src.files.get(&src.entry)?.clone())
        }
    })
}

fn level_of(level: eventbind_registry::Compatibility) -> Option<compat::RegistryPolicy> {
    use compat::RegistryPolicy as P;
    use eventbind_registry::Compatibility as C;
    Some(match level {
        C::Backward => P::Backward,
        C::BackwardTransitive => P::BackwardTransitive,
        C::Forward => P::Forward,
        C::ForwardTransitive => P::ForwardTransitive,
        C::Full => P::Full,
        C::FullTransitive => P::FullTransitive,
        C::None => P::None,
    })
}

/// `check --registry`: after the offline check, asks the registry's `/compatibility` endpoint
/// about every changed or added event type (its subject named as `config` says, under its subject's level, against its latest
/// version) and reports its answer beside eventbind's verdict under the same level; a
/// disagreement is a warning naming the changes, the registry's refusal an error with its message.
pub fn ask_registry(
    report: &mut Report,
    current: &Snapshot,
    base: &Snapshot,
    options: CheckOptions,
    config: &crate::registry_config::RegistryConfig,
    client: &eventbind_registry::Client,
) -> Result<(), Error> {
    let registry_error = |e: eventbind_registry::Error, d: Diagnostic| -> Error {
        Diagnostic { message: format!("{}: {e}", d.message), ..d }.into()
    };
    let names: Vec<(String, String)> = report.json["event_types"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|t| t["status"] == "changed" || t["status"] == "added")
                .filter_map(|t| Some((t["name"].as_str()?.to_owned(), t["status"].as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    let mut new_docs = Documents::new(&current.catalog);
    let mut old_docs = Documents::new(&base.catalog);
    let mut answers = BTreeMap::new();
    for (name, status) in names {
        let Some(new) = current.catalog.event_types.iter().find(|e| e.name == name) else { continue };
        // As `publish` sends it: with references to the files it depends on, or bundled.
        let Some(spread) = crate::references::spread(current, new)? else { continue };
        let subject = crate::subjects::subject(config, new, &spread.schema)?;
        let at =
            definition_diagnostic(&current.catalog, new, "/name", format!("asking the registry about `{subject}`"));
        let resolved = crate::references::resolve(client, &spread, false).map_err(|e| registry_error(e, at.clone()))?;
        let Some(schema) = resolved.schema else {
            // A file it depends on is not registered yet: there is nothing to check against.
            answers
                .insert(name.clone(), json!({"subject": subject, "registered": false, "references": resolved.steps}));
            continue;
        };
        let registered = match client.latest(&subject) {
            Ok(r) => Some(r),
            Err(e) if e.status() == Some(404) => None,
            Err(e) => return Err(registry_error(e, at)),
        };
        if registered.is_none() {
            answers.insert(name.clone(), json!({"subject": subject, "registered": false}));
            continue;
        }
        let level = match client.subject_compatibility(&subject) {
            Ok(Some(level)) => level,
            Ok(None) => client.global_compatibility().map_err(|e| registry_error(e, at.clone()))?,
            Err(e) => return Err(registry_error(e, at)),
        };
        let answer = client
            .check_compatibility(&subject, &schema, eventbind_registry::Version::Latest)
            .map_err(|e| registry_error(e, at.clone()))?;
        // eventbind's verdict under the subject's level, against the base.
        let offline = match (level_of(level), base.catalog.event_types.iter().find(|e| e.name == name)) {
            (Some(level), Some(old)) if status == "changed" => {
                let options = CheckOptions { policy: Some(Policy::Registry(level)), ..options };
                let outcome = compare_event(base, &mut old_docs, old, current, &mut new_docs, new, options)?;
                let rules: Vec<String> = outcome
                    .registry
                    .as_ref()
                    .map(|r| r.violations(level).iter().map(|(_, d)| format!("{} at {}", d.rule, d.path)).collect())
                    .unwrap_or_default();
                Some((outcome.registry.as_ref().is_none_or(|r| r.allows(level)), rules))
            }
            _ => None,
        };
        let mut d = at.clone();
        if !answer.is_compatible {
            d.message = format!(
                "the registry refuses the new schema of `{name}` for subject `{subject}` under {}: {}",
                level.as_str(),
                answer.messages.join("; ")
            );
            report.findings.push(Finding::new("REGISTRY_INCOMPATIBLE", Severity::Error, d.clone()).subject(&name));
        }
        if let Some((ours, rules)) = &offline {
            if *ours != answer.is_compatible {
                d.message = format!(
                    "the registry says {} under {} but eventbind's offline verdict says {}{}",
                    if answer.is_compatible { "compatible" } else { "incompatible" },
                    level.as_str(),
                    if *ours { "compatible" } else { "incompatible" },
                    if rules.is_empty() { String::new() } else { format!(" ({})", rules.join(", ")) }
                );
                d.help = Some("the registry's answer is authoritative for the registry you run".into());
                report.findings.push(Finding::new("REGISTRY_DISAGREES", Severity::Warning, d).subject(&name));
            }
        }
        answers.insert(
            name.clone(),
            json!({"subject": subject, "registered": true, "level": level.as_str(), "compatible": answer.is_compatible,
                "messages": answer.messages, "offline_compatible": offline.as_ref().map(|(ours, _)| *ours)}),
        );
    }
    if let Some(types) = report.json["event_types"].as_array_mut() {
        for t in types {
            if let Some(answer) = t["name"].as_str().and_then(|n| answers.get(n)) {
                t["registry_answer"] = answer.clone();
            }
        }
    }
    crate::findings::sort(&mut report.findings);
    report.json["findings"] = findings_json(&report.findings);
    report.json["ok"] = json!(!report.findings.iter().any(Finding::fails));
    report.summary.push(format!("asked the registry at {} about {} event type(s)", client.url(), answers.len()));
    Ok(())
}
