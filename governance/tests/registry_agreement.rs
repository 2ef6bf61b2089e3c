//! Differential test against a live registry: every fixtures/compat case and generated
//! mutations of corpus schemas are sent to Karapace's `/compatibility` endpoint under BACKWARD
//! and under FORWARD, and its answer is compared with eventbind's offline verdict (Confluent's
//! documented rules). Karapace is not Confluent: its JSON Schema checks are its own and its
//! Protobuf checks are buf's, so agreement is not the goal. Every disagreement must be listed in
//! fixtures/compat/karapace-differences.tsv with the Confluent rule Karapace departs from; a new
//! one fails the test (either eventbind is wrong, to be fixed, or the list gains a line naming
//! the rule), and so does a listed one that no longer occurs.
//!
//! `cargo test -p eventbind-governance --test registry_agreement -- --nocapture` prints the
//! agreement table per format.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use eventbind_governance::compat::avro::AvroSource;
use eventbind_governance::compat::protobuf::ProtoSource;
use eventbind_governance::compat::registry::{self, RegistryCheck};
use eventbind_registry::{Client, Compatibility, Schema, SchemaType, Version};
use serde_json::{json, Value};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One pair of schema versions.
struct Case {
    name: String,
    format: SchemaType,
    /// The files as the registry receives them: OLD, NEW, and the files they import.
    old: String,
    new: String,
    imports: BTreeMap<String, String>,
    /// eventbind's offline verdicts.
    offline: RegistryCheck,
}

fn offline(format: SchemaType, dir: &Path, old: &Path, new: &Path) -> RegistryCheck {
    let result = match format {
        SchemaType::Json => registry::json_schema_files(old, new),
        SchemaType::Avro => registry::avro::check(&AvroSource::read(old).unwrap(), &AvroSource::read(new).unwrap()),
        SchemaType::Protobuf => {
            registry::protobuf::check(&ProtoSource::read(old).unwrap(), &ProtoSource::read(new).unwrap())
        }
    };
    result.unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn fixture_cases() -> Vec<Case> {
    let root = repo().join("fixtures/compat");
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    let mut cases = Vec::new();
    for dir in dirs {
        let (format, ext) = if dir.join("old.json").exists() {
            (SchemaType::Json, "json")
        } else if dir.join("old.avsc").exists() {
            (SchemaType::Avro, "avsc")
        } else {
            (SchemaType::Protobuf, "proto")
        };
        let (old, new) = (dir.join(format!("old.{ext}")), dir.join(format!("new.{ext}")));
        let mut imports = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".proto") && name != "old.proto" && name != "new.proto" {
                imports.insert(name, std::fs::read_to_string(entry.path()).unwrap());
            }
        }
        cases.push(Case {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            format,
            old: std::fs::read_to_string(&old).unwrap(),
            new: std::fs::read_to_string(&new).unwrap(),
            imports,
            offline: offline(format, &dir, &old, &new),
        });
    }
    cases
}

/// JSON Schema mutations of object schemas from the corpora: fields added, removed, retyped,
/// requiredness, enums, bounds, combinators, content models, tuples and `not`.
fn mutations(base: &Value) -> Vec<(&'static str, Value)> {
    let props = base["properties"].as_object().cloned().unwrap_or_default();
    let first = props.keys().next().cloned();
    let string_prop = props.iter().find(|(_, s)| s["type"] == "string").map(|(k, _)| k.clone());
    let mut out: Vec<(&'static str, Value)> = Vec::new();
    let mut with = |name: &'static str, f: &dyn Fn(&mut Value)| {
        let mut v = base.clone();
        f(&mut v);
        if &v != base {
            out.push((name, v));
        }
    };
    with("property_added", &|v| v["properties"]["zz_added"] = json!({"type": "string"}));
    with("property_added_closed", &|v| {
        v["additionalProperties"] = json!(false);
        v["properties"]["zz_added"] = json!({"type": "string"});
    });
    with("content_model_closed", &|v| v["additionalProperties"] = json!(false));
    with("content_model_partial", &|v| v["additionalProperties"] = json!({"type": "string"}));
    if let Some(first) = &first {
        with("property_removed", &|v| {
            v["properties"].as_object_mut().unwrap().remove(first);
        });
        with("property_retyped", &|v| v["properties"][first] = json!({"type": "integer"}));
        with("property_required", &|v| v["required"] = json!([first]));
        with("property_nullable", &|v| {
            let s = v["properties"][first].clone();
            v["properties"][first] = json!({"anyOf": [s, {"type": "null"}]});
        });
        with("property_not", &|v| v["properties"][first]["not"] = json!({"type": "null"}));
        with("property_tuple", &|v| {
            v["properties"][first] = json!({"type": "array", "items": [{"type": "string"}], "additionalItems": false})
        });
    }
    if let Some(s) = &string_prop {
        with("enum_added", &|v| v["properties"][s]["enum"] = json!(["a", "b"]));
        with("max_length_added", &|v| v["properties"][s]["maxLength"] = json!(8));
        with("pattern_added", &|v| v["properties"][s]["pattern"] = json!("^[a-z]+$"));
        with("wrapped_in_oneof", &|v| {
            let s0 = v["properties"][s].clone();
            v["properties"][s] = json!({"oneOf": [s0, {"type": "integer"}]});
        });
    }
    out
}

/// Small self-contained object schemas from the corpora, as bases for mutations.
fn corpus_bases(limit: usize) -> Vec<(String, Value)> {
    let dir = repo().join("../shared/corpora/schemastore");
    let mut files: Vec<PathBuf> =
        walk(&dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        if text.len() > 6000 || text.contains("\"$ref\"") {
            continue;
        }
        let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
        let Some(props) = value.get("properties").and_then(Value::as_object) else { continue };
        if value.get("type") != Some(&json!("object")) || props.len() < 2 {
            continue;
        }
        // Drafts the registry reads the same way; `$schema` removed so both read draft 07.
        let mut value = value;
        value.as_object_mut().unwrap().remove("$schema");
        value.as_object_mut().unwrap().remove("$id");
        out.push((file.file_stem().unwrap().to_string_lossy().into_owned(), value));
        if out.len() == limit {
            break;
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn mutation_cases() -> Vec<Case> {
    let tmp = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    for (name, base) in corpus_bases(12) {
        for (mutation, changed) in mutations(&base) {
            let (old, new) =
                (tmp.path().join(format!("{name}.old.json")), tmp.path().join(format!("{name}.{mutation}.json")));
            std::fs::write(&old, serde_json::to_string_pretty(&base).unwrap()).unwrap();
            std::fs::write(&new, serde_json::to_string_pretty(&changed).unwrap()).unwrap();
            let Ok(check) = registry::json_schema_files(&old, &new) else { continue };
            cases.push(Case {
                name: format!("corpus:{name}:{mutation}"),
                format: SchemaType::Json,
                old: std::fs::read_to_string(&old).unwrap(),
                new: std::fs::read_to_string(&new).unwrap(),
                imports: BTreeMap::new(),
                offline: check,
            });
        }
    }
    cases
}

/// Karapace's answers under BACKWARD and FORWARD, or why it refused.
fn karapace(client: &Client, case: &Case, n: usize) -> Result<(bool, bool), String> {
    let subject = format!("agreement-{n}-value");
    let schema = |text: &str, refs: &[(String, String)]| {
        let mut s = Schema::new(case.format, text);
        for (name, subject) in refs {
            s = s.with_reference(name.clone(), subject.clone(), 1);
        }
        s
    };
    // The imported files first, as references.
    let imported = |text: &str| -> Result<Vec<(String, String)>, String> {
        let mut refs = Vec::new();
        for (file, body) in &case.imports {
            if text.contains(&format!("import \"{file}\"")) {
                let dep = format!("agreement-{n}-{file}");
                client.register(&dep, &Schema::new(case.format, body.clone())).map_err(|e| e.to_string())?;
                refs.push((file.clone(), dep));
            }
        }
        Ok(refs)
    };
    let (old_refs, new_refs) = (imported(&case.old)?, imported(&case.new)?);
    client.set_subject_compatibility(&subject, Compatibility::None).map_err(|e| e.to_string())?;
    client.register(&subject, &schema(&case.old, &old_refs)).map_err(|e| format!("OLD refused: {e}"))?;
    let answer = |level: Compatibility| -> Result<bool, String> {
        client.set_subject_compatibility(&subject, level).map_err(|e| e.to_string())?;
        client
            .check_compatibility(&subject, &schema(&case.new, &new_refs), Version::Latest)
            .map(|c| c.is_compatible)
            .map_err(|e| format!("NEW refused: {e}"))
    };
    Ok((answer(Compatibility::Backward)?, answer(Compatibility::Forward)?))
}

/// The listed differences: case and direction → Karapace's answer and the explanation.
fn listed() -> BTreeMap<(String, String), (String, String)> {
    let text = std::fs::read_to_string(repo().join("fixtures/compat/karapace-differences.tsv")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.splitn(4, '\t').collect();
            assert_eq!(cols.len(), 4, "karapace-differences.tsv: case, direction, Karapace's answer, why: {l}");
            ((cols[0].to_owned(), cols[1].to_owned()), (cols[2].to_owned(), cols[3].to_owned()))
        })
        .collect()
}

#[test]
fn eventbind_and_karapace_agree_or_the_difference_is_named() {
    let Some(services) = eventbind_services::shared() else { return };
    let client = Client::new(&services.registry.url()).unwrap();
    let mut cases = fixture_cases();
    cases.extend(mutation_cases());
    assert!(cases.len() > 200, "fixtures and corpus mutations: {}", cases.len());
    let listed = listed();
    let mut seen = BTreeSet::new();
    let mut unexplained = Vec::new();
    // format → (pairs compared, agreeing)
    let mut table: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (n, case) in cases.iter().enumerate() {
        let format = match case.format {
            SchemaType::Json => "JSON Schema",
            SchemaType::Avro => "Avro",
            SchemaType::Protobuf => "Protobuf",
        };
        // A dropped connection is retried; the registry's refusals are answers.
        let mut answers = karapace(&client, case, n);
        for attempt in 1..4 {
            match &answers {
                Err(e) if e.contains("no answer") => answers = karapace(&client, case, n + 10_000 * attempt),
                _ => break,
            }
        }
        let ours = [case.offline.backward_compatible(), case.offline.forward_compatible()];
        for (i, direction) in ["backward", "forward"].into_iter().enumerate() {
            let theirs = match &answers {
                Ok((b, f)) => (if i == 0 { *b } else { *f }).to_string(),
                Err(_) => "refused".to_owned(),
            };
            let entry = table.entry(format).or_default();
            entry.0 += 1;
            if theirs == ours[i].to_string() {
                entry.1 += 1;
                continue;
            }
            let key = (case.name.clone(), direction.to_owned());
            seen.insert(key.clone());
            match listed.get(&key) {
                Some((answer, _)) if *answer == theirs => {}
                _ => unexplained.push(format!(
                    "{}\t{direction}\t{theirs}\t(eventbind: {}; {})",
                    case.name,
                    ours[i],
                    answers.as_ref().err().cloned().unwrap_or_default()
                )),
            }
        }
    }
    println!("| format | pairs × directions | agree with Karapace | agreement |");
    println!("|---|---|---|---|");
    for (format, (total, agree)) in &table {
        println!("| {format} | {total} | {agree} | {:.0}% |", 100.0 * *agree as f64 / *total as f64);
    }
    let stale: Vec<String> = listed.keys().filter(|k| !seen.contains(*k)).map(|(c, d)| format!("{c}\t{d}")).collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "disagreements not in fixtures/compat/karapace-differences.tsv:\n{}\nlisted but no longer differing:\n{}",
        unexplained.join("\n"),
        stale.join("\n")
    );
}
