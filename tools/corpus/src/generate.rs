//! Generation of one case, in a child process: a panic or a hang then costs one case, and is
//! counted, instead of ending the run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

use crate::cases::{Case, SchemaAt};

/// What generating one case gave.
#[derive(Debug, Clone)]
pub enum Outcome {
    Generated,
    /// The engine refused the schema with a diagnostic (first line kept).
    ClearError(String),
    Panic(String),
    Timeout,
}

/// Writes the one-definition catalog of a case: an undefined-category event type whose payload
/// is the case's schema, reached through a `corpus:///` URL mapped to the corpus folder.
fn write_catalog(case: &Case, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let head = "name: corpus.case\nowning_application: corpus\ncategory: undefined\nschema:\n";
    match &case.schema {
        SchemaAt::Avro(file) => {
            // Named types may come from the other `.avsc` files of its folder.
            for sibling in std::fs::read_dir(file.parent().unwrap_or(Path::new(".")))?.flatten() {
                let path = sibling.path();
                if path != *file && path.extension().is_some_and(|e| e == "avsc") {
                    std::fs::create_dir_all(dir.join("siblings"))?;
                    std::fs::copy(&path, dir.join("siblings").join(sibling.file_name()))?;
                }
            }
            std::fs::copy(file, dir.join("schema.avsc"))?;
            return std::fs::write(dir.join("case.yaml"), format!("{head}  type: avro_schema\n  file: schema.avsc\n"));
        }
        SchemaAt::Proto { relative, message } => {
            copy_protos(&case.root, &case.root, dir)?;
            // Where two files share an import path, the case's own file is the one it means.
            std::fs::copy(case.root.join(&case.label), dir.join(relative))?;
            let definition = format!("{head}  type: protobuf\n  file: {relative}\n  message: {message}\n");
            return std::fs::write(dir.join("case.yaml"), definition);
        }
        _ => {}
    }
    let schema = match &case.schema {
        SchemaAt::File { relative, pointer } => {
            let reference = format!("corpus:///{relative}#{pointer}");
            format!("  schema: {}\n", serde_json::json!({ "$ref": reference }))
        }
        SchemaAt::Inline(value) => {
            std::fs::write(dir.join("schema.json"), serde_json::to_vec_pretty(value)?)?;
            "  file: schema.json\n".to_owned()
        }
        SchemaAt::Avro(_) | SchemaAt::Proto { .. } => unreachable!("written above"),
    };
    let definition = format!(
        "name: corpus.case\nowning_application: corpus\ncategory: undefined\nschema:\n  type: json_schema\n{schema}"
    );
    std::fs::write(dir.join("case.yaml"), definition)
}

/// Copies every `.proto` under `dir` into the case catalog, at the same path from the root.
fn copy_protos(root: &Path, dir: &Path, to: &Path) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            copy_protos(root, &path, to)?;
        } else if path.extension().is_some_and(|e| e == "proto") {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let target = to.join(crate::cases::import_path(&relative));
            std::fs::create_dir_all(target.parent().unwrap_or(to))?;
            // Two files with one import path: the first (in walk order) is kept.
            if !target.exists() {
                std::fs::copy(&path, target)?;
            }
        }
    }
    Ok(())
}

/// Generates a case's Rust into `out`, running `exe gen-one` with a time limit.
pub fn run(exe: &Path, case: &Case, work: &Path, out: &Path, limit: Duration) -> std::io::Result<Outcome> {
    let catalog = work.join("catalog");
    let _ = std::fs::remove_dir_all(&catalog);
    write_catalog(case, &catalog)?;
    let mut command = Command::new(exe);
    command.arg("gen-one").arg("--catalog").arg(&catalog).arg("--root").arg(&case.root).arg("--out").arg(out);
    command.arg("--map").arg(format!("corpus:///={}", case.root.display()));
    for (prefix, dir) in &case.url_maps {
        command.arg("--map").arg(format!("{prefix}={}", dir.display()));
    }
    let stderr_path = work.join("stderr.txt");
    let mut child = command.stdout(Stdio::null()).stderr(std::fs::File::create(&stderr_path)?).spawn()?;
    let status = match child.wait_timeout(limit)? {
        Some(status) => status,
        None => {
            child.kill()?;
            child.wait()?;
            return Ok(Outcome::Timeout);
        }
    };
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    // The diagnostic's first line; a panic the engine caught may have printed before it.
    let first = stderr
        .lines()
        .find(|l| l.starts_with("error"))
        .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or_default()
        .to_owned();
    Ok(match status.code() {
        Some(0) => Outcome::Generated,
        Some(3) => Outcome::ClearError(first),
        _ => Outcome::Panic(stderr.lines().find(|l| l.contains("panicked")).unwrap_or(&first).to_owned()),
    })
}

/// The child's side: generate and write, exit 3 with the diagnostic on bad input.
pub fn gen_one(catalog: &Path, root: &Path, maps: &[(String, PathBuf)], out: &Path) -> i32 {
    let mut config = eventbind_build::Config::new();
    // Unknown fields are kept, so that the lossless measure sees every value come back.
    config
        .catalog(catalog)
        .schema_root(root)
        .cargo_output(false)
        .unknown_fields(eventbind_build::UnknownFields::Preserve);
    for (prefix, dir) in maps {
        config.map_url(prefix, dir);
    }
    match config.generate() {
        Ok(generated) => match std::fs::write(out, generated.code) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("cannot write {}: {e}", out.display());
                2
            }
        },
        Err(e) => {
            eprintln!("{e}");
            3
        }
    }
}
