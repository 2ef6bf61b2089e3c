//! Running generated packages in their own languages: toolchain detection, installing what a
//! driver needs (once, cached), generating the package next to the driver, type-checking it
//! (`tsc --strict`, `mypy --strict`, `gofmt` and `go vet`, `javac -Xlint:all -Werror`
//! through Maven) and running the
//! driver over a list of cases.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use eventbind_templates::TemplateConfig;
use serde_json::Value;

/// One document for a driver to decode and re-encode.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub event_type: String,
    pub policy: String,
    pub input: String,
    pub valid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Decoded; the canonical JSON of the re-encoded event.
    Ok(String),
    /// Rejected, with the message and the path of the offending value.
    Rejected(String, String),
}

/// JSON with sorted keys, no spaces, and numbers in one form: integers (and floats that are
/// whole numbers below 2^53) as integers, other floats in their shortest round-trip form. Rust
/// writes `12.0` for a whole `f64` where TypeScript writes `12`: the same value.
pub fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, &Value> = map.iter().collect();
            let items: Vec<String> = sorted
                .into_iter()
                .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), canonical(v)))
                .collect();
            format!("{{{}}}", items.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        other => serde_json::to_string(other).unwrap(),
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The packages of a catalog, with default options.
pub fn config(catalog: &Path) -> TemplateConfig {
    let mut config = TemplateConfig::new();
    config.catalog(catalog);
    config
}

/// A missing toolchain: a failure under CI, a skip (naming what to install) elsewhere.
fn missing(language: &str, what: &str) -> Option<Driver> {
    assert!(!required(), "CI=true and the {language} toolchain is missing: {what}");
    eprintln!("SKIPPED {language} conformance: {what}");
    None
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{cmd:?} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn works(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).output().is_ok_and(|o| o.status.success())
}

/// Writes the generated package into `dir`, replacing what an earlier run left there. The
/// Python, Go and Java drivers import the package as `events`; the TypeScript driver imports it
/// by path, under the default name (`events` is Node.js's own module, so it is refused there).
fn generate(config: &TemplateConfig, language: &str, dir: &Path) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).unwrap();
    }
    let mut config = config.clone();
    if language != "typescript" {
        config.package_name("events");
    }
    let files =
        config.language(language).generate().unwrap_or_else(|e| panic!("generating {language} with {config:?}: {e}"));
    for file in files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, file.content).unwrap();
    }
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap_or_else(|e| panic!("{} → {}: {e}", from.display(), to.display()));
}

/// A generated package, type-checked, with its driver ready to run.
#[derive(Debug)]
pub struct Driver {
    pub language: &'static str,
    /// The folder holding the driver and the package (`events/`).
    pub work: PathBuf,
    command: Vec<String>,
}

impl Driver {
    fn work_dir(name: &str, language: &str) -> PathBuf {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name).join(language);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// The TypeScript package `config` generates, compiled with the driver by `tsc --strict`.
    pub fn typescript(name: &str, config: &TemplateConfig) -> Option<Driver> {
        if !works("node", "--version") || !works("npm", "--version") {
            return missing("TypeScript", "install Node.js 20+ with npm");
        }
        let driver = repo().join("tests/conformance/typescript");
        let modules = driver.join("node_modules");
        // `npm ci` again whenever the lock file changed since the last install.
        let lock = std::fs::read(driver.join("package-lock.json")).unwrap();
        let stamp = modules.join(".eventbind-installed-lock");
        if std::fs::read(&stamp).ok().as_ref() != Some(&lock) {
            if let Err(e) = run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&driver)) {
                return missing("TypeScript", &format!("`npm ci` in tests/conformance/typescript failed: {e}"));
            }
            std::fs::write(&stamp, &lock).unwrap();
        }
        let work = Self::work_dir(name, "typescript");
        generate(config, "typescript", &work.join("events"));
        for file in ["driver.ts", "tsconfig.json", "package.json"] {
            copy(&driver.join(file), &work.join(file));
        }
        let link = work.join("node_modules");
        if std::fs::symlink_metadata(&link).is_err() {
            symlink_dir(&modules, &link);
        }
        let tsc = modules.join("typescript/bin/tsc");
        run(Command::new("node").arg(&tsc).arg("-p").arg(work.join("tsconfig.json")))
            .unwrap_or_else(|e| panic!("the generated TypeScript does not type-check under --strict:\n{e}"));
        Some(Driver {
            language: "typescript",
            command: vec!["node".into(), work.join("dist/driver.js").display().to_string()],
            work,
        })
    }

    /// The Python package `config` generates, checked with the driver by `mypy --strict`.
    pub fn python(name: &str, config: &TemplateConfig) -> Option<Driver> {
        if !works("python3", "--version") {
            return missing("Python", "install Python 3.10+ with venv and pip");
        }
        let new_enough = Command::new("python3")
            .args(["-c", "import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)"])
            .status()
            .is_ok_and(|s| s.success());
        if !new_enough {
            return missing("Python", "Python 3.10 or newer is needed");
        }
        let driver = repo().join("tests/conformance/python");
        let venv = driver.join(".venv");
        let python = venv.join("bin/python");
        if !venv.join("bin/mypy").is_file() {
            let install = run(Command::new("python3").args(["-m", "venv"]).arg(&venv)).and_then(|_| {
                run(Command::new(&python)
                    .args(["-m", "pip", "install", "-q", "-r"])
                    .arg(driver.join("requirements.txt")))
            });
            if let Err(e) = install {
                return missing("Python", &format!("creating tests/conformance/python/.venv failed: {e}"));
            }
        }
        let work = Self::work_dir(name, "python");
        generate(config, "python", &work.join("pkg"));
        let package = work.join("events");
        if package.exists() {
            std::fs::remove_dir_all(&package).unwrap();
        }
        std::fs::rename(work.join("pkg/events"), &package).unwrap();
        copy(&driver.join("driver.py"), &work.join("driver.py"));
        run(Command::new(venv.join("bin/mypy"))
            .args(["--strict", "--no-error-summary", "--cache-dir"])
            .arg(work.join(".mypy_cache"))
            .args(["events", "driver.py"])
            .current_dir(&work))
        .unwrap_or_else(|e| panic!("the generated Python does not type-check under mypy --strict:\n{e}"));
        Some(Driver {
            language: "python",
            command: vec![python.display().to_string(), work.join("driver.py").display().to_string()],
            work,
        })
    }

    /// The Go module `config` generates, checked to be `gofmt`-clean and `go vet`-clean, with the
    /// driver built against it (`replace events => ./events`).
    pub fn go(name: &str, config: &TemplateConfig) -> Option<Driver> {
        if !works("go", "version") || !works("gofmt", "-l") {
            return missing("Go", "install Go 1.22+ (https://go.dev/dl/) with `go` and `gofmt` on the PATH");
        }
        let driver = repo().join("tests/conformance/go");
        let work = Self::work_dir(name, "go");
        let module = work.join("events");
        generate(config, "go", &module);
        for file in ["go.mod", "driver.go"] {
            copy(&driver.join(file), &work.join(file));
        }
        let unformatted = run(Command::new("gofmt").arg("-l").arg(&module))
            .unwrap_or_else(|e| panic!("gofmt failed on the generated Go:\n{e}"));
        assert!(unformatted.trim().is_empty(), "the generated Go is not gofmt-clean:\n{unformatted}");
        run(go_command(&module).args(["vet", "./..."]))
            .unwrap_or_else(|e| panic!("the generated Go does not pass go vet:\n{e}"));
        run(go_command(&work).args(["vet", "."]))
            .unwrap_or_else(|e| panic!("the Go driver does not pass go vet:\n{e}"));
        run(go_command(&work).args(["build", "-o", "driver", "."]))
            .unwrap_or_else(|e| panic!("the Go driver does not build:\n{e}"));
        Some(Driver { language: "go", command: vec![work.join("driver").display().to_string()], work })
    }

    /// The Java (Maven) project `config` generates, compiled by `mvn compile` under the pom's
    /// `-Xlint:all -Werror`, with the driver compiled the same way against it. Maven fetches
    /// Jackson from its default repository into the local one (`~/.m2`) on the first run.
    pub fn java(name: &str, config: &TemplateConfig) -> Option<Driver> {
        if !works("java", "-version") || !works("javac", "-version") {
            return missing("Java", "install a JDK 17+ (java and javac)");
        }
        if !works("mvn", "-v") {
            return missing("Java", "install Apache Maven 3.6+ (mvn)");
        }
        let driver = repo().join("tests/conformance/java");
        let work = Self::work_dir(name, "java");
        let project = work.join("events");
        generate(config, "java", &project);
        let pom = std::fs::read_to_string(project.join("pom.xml")).unwrap();
        assert!(
            pom.contains("<arg>-Xlint:all</arg>") && pom.contains("<arg>-Werror</arg>"),
            "the generated pom.xml does not compile with -Xlint:all -Werror"
        );
        let classpath_file = work.join("classpath.txt");
        // One Maven at a time: tests run in parallel, and Maven 3's local repository has no
        // locking while a first run downloads into it.
        static MAVEN: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let lock = MAVEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        run(Command::new("mvn")
            .args(["-q", "-B", "compile", "dependency:build-classpath"])
            .arg(format!("-Dmdep.outputFile={}", classpath_file.display()))
            .current_dir(&project))
        .unwrap_or_else(|e| {
            panic!("the generated Java does not compile under javac -Xlint:all -Werror (or Maven could not fetch its dependencies):\n{e}")
        });
        drop(lock);
        let dependencies = std::fs::read_to_string(&classpath_file).unwrap();
        let classes = project.join("target/classes");
        let separator = if cfg!(windows) { ";" } else { ":" };
        let compile_path = format!("{}{separator}{}", classes.display(), dependencies.trim());
        let driver_classes = work.join("driver-classes");
        if driver_classes.exists() {
            std::fs::remove_dir_all(&driver_classes).unwrap();
        }
        copy(&driver.join("Driver.java"), &work.join("Driver.java"));
        run(Command::new("javac")
            .args(["-Xlint:all", "-Werror", "--release", "17", "-encoding", "UTF-8", "-cp"])
            .arg(&compile_path)
            .arg("-d")
            .arg(&driver_classes)
            .arg(work.join("Driver.java")))
        .unwrap_or_else(|e| panic!("the Java driver does not compile against the generated package:\n{e}"));
        let run_path = format!("{}{separator}{compile_path}", driver_classes.display());
        Some(Driver { language: "java", command: vec!["java".into(), "-cp".into(), run_path, "Driver".into()], work })
    }

    /// Java: the classes of the generated package and their public members, one name a line
    /// (from `javap`, in one JVM).
    pub fn java_definitions(&self) -> String {
        let classes = self.work.join("events/target/classes");
        let mut names = Vec::new();
        for entry in walkdir(&classes) {
            if entry.extension().is_some_and(|e| e == "class") {
                let rel = entry.strip_prefix(&classes).unwrap().with_extension("");
                let name: Vec<String> =
                    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                names.push(name.join("."));
            }
        }
        names.sort();
        let out = run(Command::new("javap").arg("-public").arg("-cp").arg(&classes).args(&names))
            .unwrap_or_else(|e| panic!("javap failed:\n{e}"));
        let mut defined: Vec<String> = names.iter().map(|n| n.rsplit(['.', '$']).next().unwrap().to_owned()).collect();
        for line in out.lines() {
            // `  public static final T NAME;`, `  public R name(A, B);`, `public final class a.b.C …`
            let head = line.split('(').next().unwrap_or_default().trim_end_matches(';');
            if let Some(word) = head.split_whitespace().last() {
                defined.push(word.rsplit(['.', '$']).next().unwrap().to_owned());
            }
        }
        defined.join("\n")
    }

    /// Runs the driver over `cases`: id → outcome.
    pub fn run_cases(&self, cases: &[Case]) -> BTreeMap<String, Outcome> {
        let list: Vec<Value> = cases
            .iter()
            .map(|c| serde_json::json!({"id": c.id, "event_type": c.event_type, "policy": c.policy, "input": c.input}))
            .collect();
        let file = self.work.join("cases.json");
        std::fs::write(&file, serde_json::to_vec(&list).unwrap()).unwrap();
        let stdout = run(Command::new(&self.command[0]).args(&self.command[1..]).arg(&file).current_dir(&self.work))
            .unwrap_or_else(|e| panic!("the {} driver failed:\n{e}", self.language));
        stdout
            .lines()
            .map(|line| {
                let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("driver line {line:?}: {e}"));
                let id = v["id"].as_str().unwrap().to_owned();
                let outcome = if v["ok"] == Value::Bool(true) {
                    Outcome::Ok(v["output"].as_str().unwrap().to_owned())
                } else {
                    Outcome::Rejected(
                        v["error"].as_str().unwrap_or_default().to_owned(),
                        v["path"].as_str().unwrap_or_default().to_owned(),
                    )
                };
                (id, outcome)
            })
            .collect()
    }

    /// Runs a snippet of the driver's language in its work folder; its standard output.
    pub fn eval(&self, code: &str) -> String {
        if self.language == "go" {
            // A `package main` of its own, built inside the driver's module.
            let dir = self.work.join("eval");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("main.go"), code).unwrap();
            return run(go_command(&self.work).args(["run", "./eval"]))
                .unwrap_or_else(|e| panic!("go snippet failed:\n{e}"));
        }
        let mut cmd = match self.language {
            "typescript" => {
                let mut c = Command::new("node");
                c.args(["--input-type=module", "-e", code]);
                c
            }
            _ => {
                let mut c = Command::new(&self.command[0]);
                c.args(["-c", code]);
                c
            }
        };
        run(cmd.current_dir(&self.work)).unwrap_or_else(|e| panic!("{} snippet failed:\n{e}", self.language))
    }
}

/// `go` in `dir`: modules resolved as go.mod says (fetching what it lists, if anything), with
/// the installed toolchain rather than a downloaded one.
fn go_command(dir: &Path) -> Command {
    let mut cmd = Command::new("go");
    cmd.current_dir(dir).env("GOFLAGS", "-mod=mod").env("GOTOOLCHAIN", "local");
    if std::env::var_os("HOME").is_none() {
        // The go command keeps its build cache and module cache under $HOME by default.
        let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("go-home");
        cmd.env("GOCACHE", cache.join("cache")).env("GOPATH", cache.join("path"));
    }
    cmd
}

/// Every file under `dir`, sorted.
fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[cfg(unix)]
fn symlink_dir(from: &Path, to: &Path) {
    std::os::unix::fs::symlink(from, to).unwrap();
}

#[cfg(not(unix))]
fn symlink_dir(from: &Path, to: &Path) {
    std::os::windows::fs::symlink_dir(from, to).unwrap();
}

/// Option<Driver> runs cases when the toolchain is there.
pub trait RunCases {
    fn run(&self, cases: &[Case]) -> Option<BTreeMap<String, Outcome>>;
}

impl RunCases for Option<Driver> {
    fn run(&self, cases: &[Case]) -> Option<BTreeMap<String, Outcome>> {
        self.as_ref().map(|d| d.run_cases(cases))
    }
}
