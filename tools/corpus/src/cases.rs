//! The corpora's layouts: which schemas there are, where their references lead, and which sample
//! documents pair with them (valid or invalid).

use std::path::{Path, PathBuf};

use serde_json::Value;

/// A sample document paired with a schema.
#[derive(Debug, Clone)]
pub struct Sample {
    pub label: String,
    pub json: Value,
    pub valid: bool,
    /// An Avro object container file to read instead of `json`.
    pub container: Option<PathBuf>,
}

/// Where a case's schema is: a place in a corpus file, or a value of its own.
#[derive(Debug, Clone)]
pub enum SchemaAt {
    /// A file under `Case::root`, and a JSON pointer in it (empty for the whole file).
    File { relative: String, pointer: String },
    /// A schema given inline (e.g. a test-suite group), written to a file of its own.
    Inline(Value),
    /// An Avro schema file (its text is copied into the case's catalog as is).
    Avro(PathBuf),
    /// A `.proto` file by its import path, and the message that is the payload. Every `.proto`
    /// of the corpus is copied into the case's catalog at its import path, so imports resolve.
    Proto { relative: String, message: String },
}

#[derive(Debug, Clone)]
pub struct Case {
    pub corpus: &'static str,
    pub label: String,
    pub schema: SchemaAt,
    /// The folder references may point into.
    pub root: PathBuf,
    /// URL prefixes served by local folders, as the corpus's conventions say.
    pub url_maps: Vec<(String, PathBuf)>,
    pub samples: Vec<Sample>,
}

pub fn read_value(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    match path.extension()?.to_str()? {
        "json" => serde_json::from_str(&text).ok(),
        "yaml" | "yml" => serde_yaml_ng::from_str(&text).ok(),
        _ => None,
    }
}

fn sorted_files(dir: &Path, ext: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().and_then(|e| e.to_str()).is_some_and(|e| ext.contains(&e)))
        .collect();
    files.sort();
    files
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Pairs from a `PAIRS.tsv` (schema, document, expected, …), JSON and YAML documents only.
fn pairs(base: &Path) -> Vec<(String, String, bool)> {
    let Ok(text) = std::fs::read_to_string(base.join("PAIRS.tsv")) else { return Vec::new() };
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (cols.len() >= 3).then(|| (cols[0].to_owned(), cols[1].to_owned(), cols[2] == "valid"))
        })
        .collect()
}

fn with_pairs(cases: &mut [Case], base: &Path, schema_prefix: &str) {
    for (schema, document, valid) in pairs(base) {
        let Some(case) = cases.iter_mut().find(
            |c| matches!(&c.schema, SchemaAt::File { relative, .. } if format!("{schema_prefix}{relative}") == schema),
        ) else {
            continue;
        };
        if let Some(json) = read_value(&base.join(&document)) {
            case.samples.push(Sample { label: document, json, valid, container: None });
        }
    }
}

/// SchemaStore: `src/schemas/json/*.json`, samples from `PAIRS.tsv`, `https://json.schemastore.org/` local.
pub fn schemastore(base: &Path) -> Vec<Case> {
    let root = base.join("src/schemas/json");
    let mut cases: Vec<Case> = sorted_files(&root, &["json"])
        .into_iter()
        .map(|file| Case {
            corpus: "schemastore",
            label: relative(&root, &file),
            schema: SchemaAt::File { relative: relative(&root, &file), pointer: String::new() },
            root: root.clone(),
            url_maps: vec![("https://json.schemastore.org/".into(), root.clone())],
            samples: Vec::new(),
        })
        .collect();
    with_pairs(&mut cases, base, "src/schemas/json/");
    cases
}

/// JSON-Schema-Test-Suite: every group of a draft folder is a case; `remotes/` serves localhost:1234.
pub fn test_suite(base: &Path, draft: &str) -> Vec<Case> {
    let remotes = base.join("remotes");
    let mut cases = Vec::new();
    for file in sorted_files(&base.join("tests").join(draft), &["json"]) {
        let Some(Value::Array(groups)) = read_value(&file) else { continue };
        for (i, group) in groups.iter().enumerate() {
            let samples = group["tests"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(j, t)| Sample {
                    label: format!("test {j}"),
                    json: t["data"].clone(),
                    valid: t["valid"] == true,
                    container: None,
                })
                .collect();
            cases.push(Case {
                corpus: if draft == "draft4" {
                    "json-schema-test-suite draft4"
                } else {
                    "json-schema-test-suite 2020-12"
                },
                label: format!("{}#{i}", relative(base, &file)),
                schema: SchemaAt::Inline(group["schema"].clone()),
                root: remotes.clone(),
                url_maps: vec![("http://localhost:1234/".into(), remotes.clone())],
                samples,
            });
        }
    }
    cases
}

/// CloudEvents: the JSON format's schema with the spec's JSON examples.
pub fn cloudevents(base: &Path) -> Vec<Case> {
    let root = base.to_owned();
    let samples = sorted_files(&base.join("samples-from-json-format-md"), &["json"])
        .into_iter()
        .filter_map(|f| {
            read_value(&f).map(|json| Sample { label: relative(base, &f), json, valid: true, container: None })
        })
        // Arrays are the batch format, which this schema does not describe.
        .filter(|s| !s.json.is_array())
        .collect();
    vec![Case {
        corpus: "cloudevents",
        label: "cloudevents/formats/cloudevents.json".into(),
        schema: SchemaAt::File { relative: "cloudevents/formats/cloudevents.json".into(), pointer: String::new() },
        root,
        url_maps: Vec::new(),
        samples,
    }]
}

/// CDEvents: `schemas/*.json` with conformance documents from `PAIRS.tsv`; ids under
/// `https://cdevents.dev/` resolve by `$id` inside the corpus.
pub fn cdevents(base: &Path) -> Vec<Case> {
    let root = base.to_owned();
    let mut cases: Vec<Case> = sorted_files(&base.join("schemas"), &["json"])
        .into_iter()
        .map(|file| Case {
            corpus: "cdevents",
            label: relative(base, &file),
            schema: SchemaAt::File { relative: relative(base, &file), pointer: String::new() },
            root: root.clone(),
            url_maps: Vec::new(),
            samples: Vec::new(),
        })
        .collect();
    with_pairs(&mut cases, base, "");
    cases
}

/// Zalando guidelines: every top-level definition of the model and event-chapter files.
pub fn zalando(base: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for dir in ["models", "events-chapter"] {
        for file in sorted_files(&base.join(dir), &["yaml", "yml"]) {
            let Some(Value::Object(defs)) = read_value(&file) else { continue };
            for name in defs.keys() {
                cases.push(Case {
                    corpus: "zalando-api-guidelines",
                    label: format!("{}#/{name}", relative(base, &file)),
                    schema: SchemaAt::File { relative: relative(base, &file), pointer: format!("/{name}") },
                    root: base.to_owned(),
                    url_maps: Vec::new(),
                    samples: Vec::new(),
                });
            }
        }
    }
    cases
}

/// Nakadi: event type definitions (JSON with the schema as a string under `schema.schema`) and
/// the schemas its tests load, found anywhere in the corpus.
pub fn nakadi(base: &Path) -> Vec<Case> {
    let mut files = Vec::new();
    let mut stack = vec![base.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let Some(value) = read_value(&file) else { continue };
        let mut push = |label: String, schema: Value| {
            cases.push(Case {
                corpus: "nakadi",
                label,
                schema: SchemaAt::Inline(schema),
                root: base.to_owned(),
                url_maps: Vec::new(),
                samples: Vec::new(),
            })
        };
        let definitions: Vec<&Value> = match &value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for (i, def) in definitions.iter().enumerate() {
            if let Some(text) = def.pointer("/schema/schema").and_then(Value::as_str) {
                if let Ok(schema) = serde_json::from_str::<Value>(text) {
                    push(format!("{}#{i}", relative(base, &file)), schema);
                }
            } else if def.get("properties").is_some() && def.get("type").is_some() {
                push(relative(base, &file), (*def).clone());
            }
        }
    }
    cases
}

/// Any folder: every JSON or YAML file in it is a schema, without samples.
pub fn folder(base: &Path) -> Vec<Case> {
    sorted_files(base, &["json", "yaml", "yml"])
        .into_iter()
        .map(|file| Case {
            corpus: "folder",
            label: relative(base, &file),
            schema: SchemaAt::File { relative: relative(base, &file), pointer: String::new() },
            root: base.to_owned(),
            url_maps: Vec::new(),
            samples: Vec::new(),
        })
        .collect()
}

fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if keep(&path) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn avro_case(corpus: &'static str, base: &Path, file: PathBuf) -> Case {
    Case {
        corpus,
        label: relative(base, &file),
        schema: SchemaAt::Avro(file),
        root: base.to_owned(),
        url_maps: Vec::new(),
        samples: Vec::new(),
    }
}

fn container(base: &Path, file: PathBuf) -> Sample {
    Sample { label: relative(base, &file), json: Value::Null, valid: true, container: Some(file) }
}

/// Apache Avro: every `.avsc`, `share/test/data/schemas/*/schema.json`, and the C library's
/// schema tests (`pass/` and `fail/`, files without extension). Data files pair with their
/// schemas: `schemas/<case>/data.avro`, `share/test/schemas/weather.avsc` with
/// `share/test/data/weather*.avro`.
pub fn avro_apache(base: &Path) -> Vec<Case> {
    let derived = base.join("derived-from-avro-data-files");
    let files = walk(base, &|p| {
        !p.starts_with(&derived)
            && (p.extension().is_some_and(|e| e == "avsc")
                || (p.file_name().is_some_and(|n| n == "schema.json")
                    && p.to_string_lossy().contains("share/test/data/schemas/"))
                || (p.to_string_lossy().contains("schema_tests/") && p.extension().is_none()))
    });
    let mut cases: Vec<Case> = files.into_iter().map(|f| avro_case("avro-apache", base, f)).collect();
    for case in &mut cases {
        let SchemaAt::Avro(file) = &case.schema else { continue };
        let dir = file.parent().unwrap_or(base).to_owned();
        if file.file_name().is_some_and(|n| n == "schema.json") {
            let data = dir.join("data.avro");
            if data.is_file() {
                case.samples.push(container(base, data));
            }
        } else if file.file_name().is_some_and(|n| n == "weather.avsc") {
            for data in sorted_files(&base.join("share/test/data"), &["avro"]) {
                if data.file_name().is_some_and(|n| n.to_string_lossy().starts_with("weather")) {
                    case.samples.push(container(base, data));
                }
            }
        }
    }
    cases
}

/// Confluent Schema Registry (Apache-2.0 modules): every `.avsc`.
pub fn confluent_avro(base: &Path) -> Vec<Case> {
    walk(base, &|p| p.extension().is_some_and(|e| e == "avsc"))
        .into_iter()
        .map(|f| avro_case("confluent-schema-registry avro", base, f))
        .collect()
}

/// The path other files import a `.proto` file by: below a Maven `src/*/proto/` folder or a
/// top-level `src/` (protobuf's own layout), else its path in the corpus.
pub fn import_path(relative: &str) -> String {
    if let Some(i) = relative.rfind("/proto/").filter(|_| relative.contains("src/")) {
        return relative[i + "/proto/".len()..].to_owned();
    }
    relative.strip_prefix("src/").unwrap_or(relative).to_owned()
}

/// The package and first top-level message of a `.proto` file.
fn first_message(text: &str) -> Option<String> {
    // A trailing comment is not part of the package name.
    let package = text.lines().find_map(|l| {
        let l = l.split("//").next().unwrap_or_default();
        l.trim().strip_prefix("package ").map(|p| p.trim().trim_end_matches(';').trim().to_owned())
    });
    let message = text.lines().find_map(|l| {
        let rest = l.strip_prefix("message ")?;
        Some(rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next()?.to_owned())
    })?;
    Some(match package {
        Some(p) if !p.is_empty() => format!("{p}.{message}"),
        _ => message,
    })
}

/// Every `.proto` of a corpus that declares a top-level message (the first is the payload);
/// imports resolve from the corpus root. Returns the cases and how many files had no message.
pub fn protobuf(corpus: &'static str, base: &Path) -> (Vec<Case>, usize) {
    let mut without = 0;
    let mut cases = Vec::new();
    for file in walk(base, &|p| p.extension().is_some_and(|e| e == "proto")) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let Some(message) = first_message(&text) else {
            without += 1;
            continue;
        };
        cases.push(Case {
            corpus,
            label: relative(base, &file),
            schema: SchemaAt::Proto { relative: import_path(&relative(base, &file)), message },
            root: base.to_owned(),
            url_maps: Vec::new(),
            samples: Vec::new(),
        });
    }
    (cases, without)
}

/// OpenTelemetry: the `.proto` files; the OTLP/JSON examples pair with the export requests.
pub fn opentelemetry(base: &Path) -> (Vec<Case>, usize) {
    let (mut cases, without) = protobuf("opentelemetry-proto", base);
    for (example, request) in [
        ("trace", "ExportTraceServiceRequest"),
        ("metrics", "ExportMetricsServiceRequest"),
        ("logs", "ExportLogsServiceRequest"),
        ("events", "ExportLogsServiceRequest"),
    ] {
        let path = base.join("examples").join(format!("{example}.json"));
        let Some(json) = read_value(&path) else { continue };
        if let Some(case) = cases
            .iter_mut()
            .find(|c| matches!(&c.schema, SchemaAt::Proto { message, .. } if message.ends_with(request)))
        {
            case.samples.push(Sample { label: relative(base, &path), json, valid: true, container: None });
        }
    }
    (cases, without)
}
