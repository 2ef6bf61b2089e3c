//! Version history of each event type from git, when the catalog is in a repository: every
//! commit that changed the catalog is read from git objects (as `check` does), and each time an
//! event type's version or schema changed, the version is listed with the changes the diff
//! engine names between it and the version before.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Serialize;

use eventbind_build::catalog::EventType;
use eventbind_build::json_schema::Documents;
use eventbind_governance::check::Snapshot;
use eventbind_governance::compat;
use eventbind_governance::git::Repo;

/// One version of an event type.
#[derive(Debug, Clone, Serialize)]
pub struct VersionEntry {
    pub version: String,
    pub commit: String,
    /// The commit date (ISO 8601, as git records it).
    pub date: String,
    pub subject: String,
    /// The changes from the previous version, as `KIND at path`.
    pub changes: Vec<String>,
}

/// Commits that touched the catalog folder at HEAD, oldest first: hash, date, subject.
fn commits(repo: &Repo) -> Vec<(String, String, String)> {
    let path = if repo.prefix.is_empty() { ".".to_owned() } else { repo.prefix.clone() };
    let out = Command::new("git")
        .arg("-C")
        .arg(&repo.toplevel)
        .args(["log", "--reverse", "--format=%H%x09%cI%x09%s", "HEAD", "--", &path])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    let Some(out) = out.ok().filter(|o| o.status.success()) else { return Vec::new() };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            Some((parts.next()?.to_owned(), parts.next()?.to_owned(), parts.next().unwrap_or_default().to_owned()))
        })
        .collect()
}

/// Each event type's versions, newest first; empty when the catalog is not in a git repository.
pub(crate) fn history(catalog_dir: &Path) -> BTreeMap<String, Vec<VersionEntry>> {
    let mut out: BTreeMap<String, Vec<VersionEntry>> = BTreeMap::new();
    let Ok(repo) = Repo::of(catalog_dir) else { return out };
    let mut snapshots: Vec<Snapshot> = Vec::new();
    // Each event type's last version: the snapshot it was seen in, and its definition.
    let mut previous: BTreeMap<String, (usize, EventType)> = BTreeMap::new();
    for (commit, date, subject) in commits(&repo) {
        // A commit where the catalog did not load is skipped: it was broken then.
        let Ok(snapshot) = Snapshot::git(&repo, catalog_dir, &commit) else { continue };
        snapshots.push(snapshot);
        let current = snapshots.len() - 1;
        let snapshot = &snapshots[current];
        for event in &snapshot.catalog.event_types {
            let changed = match previous.get(&event.name) {
                None => Some(Vec::new()),
                Some((old_index, old)) => {
                    let mut old_docs = Documents::new(&snapshots[*old_index].catalog);
                    let mut new_docs = Documents::new(&snapshot.catalog);
                    let changes = compat::diff_catalog_schemas(&mut old_docs, old, &mut new_docs, event)
                        .map(|mut c| {
                            compat::normalize(&mut c);
                            c.iter().map(|c| c.message()).collect::<Vec<_>>()
                        })
                        .unwrap_or_else(|e| vec![format!("not comparable: {}", e.diagnostics()[0].message)]);
                    (old.schema.version != event.schema.version || !changes.is_empty()).then_some(changes)
                }
            };
            if let Some(changes) = changed {
                out.entry(event.name.clone()).or_default().push(VersionEntry {
                    version: event.schema.version.to_string(),
                    commit: commit[..commit.len().min(12)].to_owned(),
                    date: date.clone(),
                    subject: subject.clone(),
                    changes,
                });
                previous.insert(event.name.clone(), (current, event.clone()));
            }
        }
    }
    for versions in out.values_mut() {
        versions.reverse();
    }
    out
}
