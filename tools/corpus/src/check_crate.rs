//! Compiles everything generated in one crate, finds which cases fail to compile from rustc's
//! JSON diagnostics (dropping them and rebuilding until the rest compiles), then decodes every
//! sample with its case's generated type.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// One decoded sample: case, sample index, whether it decoded, the error if not.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub case: usize,
    pub sample: usize,
    pub ok: bool,
    /// The decoded sample encoded again (JSON samples; Avro container files are binary).
    pub output: Option<Value>,
    /// The decoder aborted on this sample (a stack overflow, say): a bug to count, not a rejection.
    pub crashed: bool,
}

fn module(case: usize) -> String {
    format!("c{case:05}")
}

fn write_crate(
    dir: &Path,
    runtime: &Path,
    cases: &BTreeSet<usize>,
    gen_dir: &Path,
    avro: &BTreeSet<usize>,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    let manifest = format!(
        "[package]\nname = \"corpus-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\neventbind = {{ path = {:?}, features = [\"avro\", \"protobuf\"] }}\nserde_json = \"1\"\n\n[workspace]\n",
        runtime.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    let mut lib = String::from("//! Every generated case, and a decoder by case number.\n\n");
    for case in cases {
        let m = module(*case);
        writeln!(lib, "pub mod {m} {{\n    include!({:?});\n}}", gen_dir.join(format!("{m}.rs")).display().to_string())
            .ok();
    }
    lib.push_str("\n/// Decodes a sample and, for JSON, encodes it again.\npub fn decode(case: usize, json: &[u8]) -> Option<Result<Option<String>, String>> {\n    match case {\n");
    for case in cases {
        let m = module(*case);
        if avro.contains(case) {
            // Avro samples are object container files: every record must decode.
            writeln!(lib, "        {case} => Some(eventbind::avro::read_container::<{m}::corpus::Case>(json).map_err(|e| e.to_string()).and_then(|all| all.into_iter().try_for_each(|r| r.map(|_| ()).map_err(|e| e.to_string()))).map(|()| None)),").ok();
        } else {
            writeln!(lib, "        {case} => Some(eventbind::json::from_slice::<{m}::corpus::Case>(json).map_err(|e| e.to_string()).and_then(|v| serde_json::to_string(&v).map(Some).map_err(|e| format!(\"encoding again: {{e}}\")))),").ok();
        }
    }
    lib.push_str("        _ => None,\n    }\n}\n");
    std::fs::write(dir.join("src/lib.rs"), lib)?;
    let main = "fn main() {\n    let manifest = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();\n    for line in manifest.lines() {\n        let mut cols = line.split('\\t');\n        let (case, sample, path) = (cols.next().unwrap(), cols.next().unwrap(), cols.next().unwrap());\n        let bytes = std::fs::read(path).unwrap();\n        let outcome = match corpus_check::decode(case.parse().unwrap(), &bytes) {\n            Some(Ok(None)) => \"ok\".to_owned(),\n            Some(Ok(Some(encoded))) => format!(\"ok\\t{encoded}\"),\n            Some(Err(e)) => format!(\"err\\t{}\", e.replace(['\\t', '\\n'], \" \")),\n            None => \"missing\".to_owned(),\n        };\n        println!(\"{case}\\t{sample}\\t{outcome}\");\n    }\n}\n";
    std::fs::write(dir.join("src/main.rs"), main)
}

/// Builds the crate; returns the cases rustc reported errors in (empty when the build succeeded),
/// or `None` when it failed without naming any case.
fn build(dir: &Path, target: &Path) -> std::io::Result<Option<BTreeSet<usize>>> {
    let output = Command::new("cargo")
        .args(["build", "--quiet", "--message-format=json"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()?;
    if output.status.success() {
        return Ok(Some(BTreeSet::new()));
    }
    let mut failing = BTreeSet::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            continue;
        }
        for span in message["message"]["spans"].as_array().into_iter().flatten() {
            if let Some(n) = case_of(span["file_name"].as_str().unwrap_or_default()) {
                failing.insert(n);
            }
        }
    }
    Ok((!failing.is_empty()).then_some(failing))
}

/// Compiles the generated cases; returns those that compiled.
pub fn compile(
    dir: &Path,
    runtime: &Path,
    gen_dir: &Path,
    generated: &BTreeSet<usize>,
    avro: &BTreeSet<usize>,
) -> std::io::Result<BTreeSet<usize>> {
    let target = dir.join("target");
    let mut live = generated.clone();
    for _ in 0..8 {
        write_crate(dir, runtime, &live, gen_dir, avro)?;
        match build(dir, &target)? {
            Some(failing) if failing.is_empty() => return Ok(live),
            Some(failing) => live.retain(|c| !failing.contains(c)),
            None => return Ok(BTreeSet::new()),
        }
    }
    Ok(BTreeSet::new())
}

/// What `cargo clippy -- -D warnings` said about the compiled cases.
#[derive(Debug, Default)]
pub struct Clippy {
    /// The lints (by name) reported in each case's generated code.
    pub lints: BTreeMap<usize, BTreeSet<String>>,
    /// Lints outside the generated code (the crate's own decoder table): the harness, not a case.
    pub harness: BTreeSet<String>,
    /// Clippy failed without reporting a lint (it could not run, say).
    pub failed: bool,
}

/// Runs `cargo clippy -- -D warnings` on the crate `compile` left, and sorts the lints by case.
pub fn clippy(dir: &Path) -> std::io::Result<Clippy> {
    let output = Command::new("cargo")
        .args(["clippy", "--quiet", "--message-format=json", "--", "-D", "warnings"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()?;
    let mut result = Clippy::default();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let message = &message["message"];
        // The summary ("could not compile … due to N previous errors") names no lint.
        let Some(lint) = message["code"]["code"].as_str() else { continue };
        let mut cases = BTreeSet::new();
        for span in message["spans"].as_array().into_iter().flatten() {
            if let Some(n) = case_of(span["file_name"].as_str().unwrap_or_default()) {
                cases.insert(n);
            }
        }
        if cases.is_empty() {
            result.harness.insert(lint.to_owned());
        }
        for n in cases {
            result.lints.entry(n).or_default().insert(lint.to_owned());
        }
    }
    result.failed = !output.status.success() && result.lints.is_empty() && result.harness.is_empty();
    if result.failed {
        eprintln!(
            "clippy failed: {}",
            String::from_utf8_lossy(&output.stderr).lines().take(20).collect::<Vec<_>>().join("\n")
        );
    }
    Ok(result)
}

/// The case a generated file belongs to (`…/c00042.rs` is case 42).
fn case_of(file: &str) -> Option<usize> {
    file.rsplit('/').next()?.strip_prefix('c')?.strip_suffix(".rs")?.parse().ok()
}

/// Decodes every sample listed in `manifest` (case, sample, file per line). A sample that
/// crashes the decoder is recorded as such and decoding resumes after it.
pub fn decode(dir: &Path, manifest: &Path) -> std::io::Result<Vec<Decoded>> {
    let exe: PathBuf = dir.join("target/debug/corpus-check");
    let lines: Vec<String> = std::fs::read_to_string(manifest)?.lines().map(str::to_owned).collect();
    let parse = |line: &str| -> Option<(usize, usize)> {
        let mut cols = line.split('\t');
        Some((cols.next()?.parse().ok()?, cols.next()?.parse().ok()?))
    };
    let mut results = Vec::new();
    let mut start = 0;
    let rest = dir.join("rest.tsv");
    while start < lines.len() {
        std::fs::write(&rest, lines[start..].join("\n"))?;
        let output = Command::new(&exe).arg(&rest).output()?;
        let mut done = 0;
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            let (Some(case), Some(sample), Some(outcome)) =
                (cols.first().and_then(|c| c.parse().ok()), cols.get(1).and_then(|c| c.parse().ok()), cols.get(2))
            else {
                continue;
            };
            let output = cols.get(3).filter(|_| *outcome == "ok").and_then(|json| serde_json::from_str(json).ok());
            results.push(Decoded { case, sample, ok: *outcome == "ok", output, crashed: false });
            done += 1;
        }
        start += done;
        if output.status.success() {
            break;
        }
        if let Some((case, sample)) = lines.get(start).and_then(|l| parse(l)) {
            results.push(Decoded { case, sample, ok: false, output: None, crashed: true });
        }
        start += 1;
    }
    Ok(results)
}
