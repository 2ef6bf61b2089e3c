//! `eventbind-corpus`: how much of the real world eventbind handles. For every schema of a
//! corpus it generates Rust (in a child process, so panics and hangs are counted), compiles all
//! that generated in one crate, decodes the paired valid samples and checks that paired invalid
//! ones are rejected, encodes the decoded samples again and compares them with the input (the
//! lossless round trip), then prints two tables.

mod as_is;
mod cases;
mod check_crate;
mod classify;
mod generate;
mod lossless;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, Subcommand};

use cases::Case;
use generate::Outcome;

#[derive(Debug, Parser)]
#[command(name = "eventbind-corpus", about = "Measure eventbind against real-world schema corpora")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Measure the corpora (the folder layout of ../shared/corpora) and print a table.
    Measure {
        /// The folder holding the corpora.
        #[arg(long, default_value = "../shared/corpora")]
        corpora: PathBuf,
        /// Only these corpora (schemastore, suite-draft4, suite-2020-12, cloudevents, cdevents, zalando, nakadi,
        /// avro-apache, confluent-avro, confluent-protobuf, protobuf-core, googleapis, opentelemetry).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Also measure every JSON/YAML schema file in this folder.
        #[arg(long)]
        folder: Option<PathBuf>,
        /// Working folder for generated code, the check crate and the report.
        #[arg(long, default_value = "target/corpus")]
        out: PathBuf,
        /// Seconds one schema may take to generate.
        #[arg(long, default_value_t = 20)]
        timeout: u64,
        /// At most this many schemas per corpus (for a quick look).
        #[arg(long)]
        limit: Option<usize>,
        /// Compile only every Nth generated case of a corpus with more than `--compile-all-up-to`
        /// (compiling all of SchemaStore's generated code takes hours on a small machine).
        #[arg(long, default_value_t = 1)]
        compile_every: usize,
        /// Compile the cases that have samples even when `--compile-every` skips them.
        #[arg(long)]
        compile_sampled: bool,
        /// Compile every generated case of a corpus with at most this many.
        #[arg(long, default_value_t = 200)]
        compile_all_up_to: usize,
        /// Do not compile cases whose generated code is larger than this many bytes.
        #[arg(long, default_value_t = 2_000_000)]
        max_case_bytes: u64,
        /// Also run `cargo clippy -- -D warnings` on the compiled cases and count the clean ones.
        #[arg(long)]
        clippy: bool,
    },
    /// Each corpus folder as one catalog, unedited (one event type per schema): accepted, or
    /// every error with its file. Prints a table.
    AsIs {
        #[arg(long, default_value = "../shared/corpora")]
        corpora: PathBuf,
        /// Only these corpora (the JSON Schema ones of `measure`: schemastore, cloudevents,
        /// cdevents, zalando).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Working folder for the definitions and the error list.
        #[arg(long, default_value = "target/corpus-as-is")]
        out: PathBuf,
    },
    /// Generate one case's catalog (used by `measure`, in a child process).
    GenOne {
        #[arg(long)]
        catalog: PathBuf,
        #[arg(long)]
        root: PathBuf,
        #[arg(long, value_name = "URL=DIR")]
        map: Vec<String>,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Default)]
struct Row {
    schemas: usize,
    generated: usize,
    attempted: usize,
    compiled: usize,
    clear_errors: usize,
    panics: usize,
    timeouts: usize,
    valid: usize,
    valid_decoded: usize,
    invalid: usize,
    invalid_rejected: usize,
    /// Invalid samples whose every fault a type expresses ([`classify`]), and of those rejected.
    invalid_typed: usize,
    invalid_typed_rejected: usize,
    decoder_crashes: usize,
    clippy_clean: usize,
    /// JSON samples decoded and encoded again, and of those the ones that came back as the
    /// round-trip rule says; the differences summed over all of them.
    round_trips: usize,
    lossless: usize,
    diff: lossless::Diff,
}

fn collect(corpora: &Path, only: &[String], folder: Option<&Path>, limit: Option<usize>) -> Vec<Case> {
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let suite = corpora.join("json-schema-test-suite");
    type Source<'a> = (&'static str, Box<dyn Fn() -> Vec<Case> + 'a>);
    let sources: Vec<Source<'_>> = vec![
        ("schemastore", Box::new(|| cases::schemastore(&corpora.join("schemastore")))),
        ("suite-draft4", Box::new(|| cases::test_suite(&suite, "draft4"))),
        ("suite-2020-12", Box::new(|| cases::test_suite(&suite, "draft2020-12"))),
        ("cloudevents", Box::new(|| cases::cloudevents(&corpora.join("cloudevents-spec")))),
        ("cdevents", Box::new(|| cases::cdevents(&corpora.join("cdevents-spec")))),
        ("zalando", Box::new(|| cases::zalando(&corpora.join("zalando-api-guidelines")))),
        ("nakadi", Box::new(|| cases::nakadi(&corpora.join("nakadi")))),
        ("avro-apache", Box::new(|| cases::avro_apache(&corpora.join("avro-apache")))),
        ("confluent-avro", Box::new(|| cases::confluent_avro(&corpora.join("confluent-schema-registry-apache2")))),
        (
            "confluent-protobuf",
            Box::new(|| {
                cases::protobuf(
                    "confluent-schema-registry protobuf",
                    &corpora.join("confluent-schema-registry-apache2"),
                )
                .0
            }),
        ),
        ("protobuf-core", Box::new(|| cases::protobuf("protobuf-core", &corpora.join("protobuf-core")).0)),
        ("googleapis", Box::new(|| cases::protobuf("googleapis-subset", &corpora.join("googleapis-subset")).0)),
        ("opentelemetry", Box::new(|| cases::opentelemetry(&corpora.join("opentelemetry-proto")).0)),
    ];
    let mut all = Vec::new();
    for (name, make) in sources {
        if wanted(name) {
            let mut found = make();
            found.truncate(limit.unwrap_or(usize::MAX));
            all.extend(found);
        }
    }
    if let Some(dir) = folder {
        all.extend(cases::folder(dir));
    }
    all
}

struct Options {
    timeout: u64,
    limit: Option<usize>,
    compile_every: usize,
    compile_all_up_to: usize,
    compile_sampled: bool,
    max_case_bytes: u64,
    clippy: bool,
}

fn measure(
    corpora: &Path,
    only: &[String],
    folder: Option<&Path>,
    out: &Path,
    options: &Options,
) -> std::io::Result<()> {
    let (timeout, limit) = (options.timeout, options.limit);
    let cases = collect(corpora, only, folder, limit);
    let exe = std::env::current_exe()?;
    std::fs::create_dir_all(out)?;
    let out = &out.canonicalize()?;
    let gen_dir = out.join("gen");
    let samples_dir = out.join("samples");
    let _ = std::fs::remove_dir_all(&gen_dir);
    let _ = std::fs::remove_dir_all(&samples_dir);
    std::fs::create_dir_all(&gen_dir)?;
    std::fs::create_dir_all(&samples_dir)?;
    let work = out.join("work");
    let mut outcomes = Vec::new();
    let mut report = String::from("case\tcorpus\tschema\toutcome\tdetail\n");
    for (i, case) in cases.iter().enumerate() {
        let outcome =
            generate::run(&exe, case, &work, &gen_dir.join(format!("c{i:05}.rs")), Duration::from_secs(timeout))?;
        let (kind, detail) = match &outcome {
            Outcome::Generated => ("generated", String::new()),
            Outcome::ClearError(m) => ("error", m.clone()),
            Outcome::Panic(m) => ("PANIC", m.clone()),
            Outcome::Timeout => ("TIMEOUT", String::new()),
        };
        report.push_str(&format!("{i}\t{}\t{}\t{kind}\t{detail}\n", case.corpus, case.label));
        if (i + 1) % 100 == 0 {
            eprintln!("generated {}/{}", i + 1, cases.len());
        }
        outcomes.push(outcome);
    }
    std::fs::write(out.join("report.tsv"), &report)?;
    // Which generated cases to compile: all of a corpus with few generated cases, every Nth of a
    // larger one (and those with samples if asked), each within the size budget.
    let mut per_corpus: BTreeMap<&str, usize> = BTreeMap::new();
    for (case, outcome) in cases.iter().zip(&outcomes) {
        if matches!(outcome, Outcome::Generated) {
            *per_corpus.entry(case.corpus).or_default() += 1;
        }
    }
    let mut seen_per_corpus: BTreeMap<&str, usize> = BTreeMap::new();
    let mut generated = BTreeSet::new();
    for (i, outcome) in outcomes.iter().enumerate() {
        if !matches!(outcome, Outcome::Generated) {
            continue;
        }
        let n = seen_per_corpus.entry(cases[i].corpus).or_default();
        let pick = per_corpus[cases[i].corpus] <= options.compile_all_up_to
            || *n % options.compile_every.max(1) == 0
            || (options.compile_sampled && !cases[i].samples.is_empty());
        *n += 1;
        let size = std::fs::metadata(gen_dir.join(format!("c{i:05}.rs"))).map(|m| m.len()).unwrap_or(u64::MAX);
        if pick && size <= options.max_case_bytes {
            generated.insert(i);
        }
    }
    eprintln!("compiling {} generated cases", generated.len());
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runtime").canonicalize()?;
    let avro: BTreeSet<usize> = cases
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.schema, cases::SchemaAt::Avro(_)))
        .map(|(i, _)| i)
        .collect();
    let compiled = check_crate::compile(&out.join("check"), &runtime, &gen_dir.canonicalize()?, &generated, &avro)?;
    let mut manifest = String::new();
    for i in &compiled {
        for (j, sample) in cases[*i].samples.iter().enumerate() {
            let path = samples_dir.join(format!("{i}_{j}.sample"));
            match &sample.container {
                Some(file) => std::fs::copy(file, &path).map(|_| ())?,
                None => std::fs::write(&path, serde_json::to_vec(&sample.json)?)?,
            }
            manifest.push_str(&format!("{i}\t{j}\t{}\n", path.canonicalize()?.display()));
        }
    }
    let manifest_path = out.join("samples.tsv");
    std::fs::write(&manifest_path, manifest)?;
    let decoded = check_crate::decode(&out.join("check"), &manifest_path.canonicalize()?)?;
    let clippy = if options.clippy && !compiled.is_empty() {
        eprintln!("running clippy on {} compiled cases", compiled.len());
        Some(check_crate::clippy(&out.join("check"))?)
    } else {
        None
    };

    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    for (i, (case, outcome)) in cases.iter().zip(&outcomes).enumerate() {
        let row = rows.entry(case.corpus).or_default();
        row.schemas += 1;
        match outcome {
            Outcome::Generated => row.generated += 1,
            Outcome::ClearError(_) => row.clear_errors += 1,
            Outcome::Panic(_) => row.panics += 1,
            Outcome::Timeout => row.timeouts += 1,
        }
        if generated.contains(&i) {
            row.attempted += 1;
        }
        if compiled.contains(&i) {
            row.compiled += 1;
            if clippy.as_ref().is_some_and(|c| !c.failed && !c.lints.contains_key(&i)) {
                row.clippy_clean += 1;
            }
        }
        // Samples count where their schema's code was compiled, so decoding could be tried.
        for sample in case.samples.iter().filter(|_| compiled.contains(&i)) {
            if sample.valid {
                row.valid += 1;
            } else {
                row.invalid += 1;
            }
        }
    }
    let mut validators: BTreeMap<usize, Option<jsonschema::Validator>> = BTreeMap::new();
    for d in &decoded {
        let case = &cases[d.case];
        let sample = &case.samples[d.sample];
        let row = rows.entry(case.corpus).or_default();
        if d.crashed {
            row.decoder_crashes += 1;
        }
        let verdict = if sample.valid {
            None
        } else {
            let validator = validators.entry(d.case).or_insert_with(|| classify::validator(case));
            Some(validator.as_ref().map_or(classify::Verdict::Unknown, |v| classify::classify(v, &sample.json)))
        };
        // Valid JSON samples only: an invalid one that decoded says nothing about what is kept.
        if let (Some(output), None, true) = (&d.output, &sample.container, sample.valid) {
            let proto3 = matches!(case.schema, cases::SchemaAt::Proto { .. });
            let diff = lossless::compare(&sample.json, output, proto3);
            row.round_trips += 1;
            row.lossless += usize::from(diff.lossless());
            row.diff.lost += diff.lost;
            row.diff.changed += diff.changed;
            row.diff.null_to_absent += diff.null_to_absent;
            row.diff.normalized += diff.normalized;
            row.diff.added += diff.added;
            row.diff.proto_normal += diff.proto_normal;
            if !diff.lossless() {
                report.push_str(&format!(
                    "{}\t{}\t{}\tsample {}\tround trip: {}\n",
                    d.case,
                    case.corpus,
                    case.label,
                    sample.label,
                    diff.places.join("; ")
                ));
            }
        }
        match (sample.valid, d.ok) {
            (true, true) => row.valid_decoded += 1,
            (false, false) => row.invalid_rejected += 1,
            _ => {}
        }
        if verdict == Some(classify::Verdict::TypeCheckable) {
            row.invalid_typed += 1;
            row.invalid_typed_rejected += usize::from(!d.ok);
        }
        if !d.ok || !sample.valid {
            report.push_str(&format!(
                "{}\t{}\t{}\tsample {}\t{}{}{}\n",
                d.case,
                case.corpus,
                case.label,
                sample.label,
                if d.ok { "accepted" } else { "rejected" },
                match verdict {
                    Some(classify::Verdict::TypeCheckable) => " (type-checkable)",
                    Some(classify::Verdict::ConstraintOnly) => " (constraint only)",
                    Some(classify::Verdict::Unknown) => " (unclassified)",
                    None => "",
                },
                if d.crashed { " (DECODER CRASHED)" } else { "" }
            ));
        }
    }
    if let Some(clippy) = &clippy {
        let mut by_lint: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, lints) in &clippy.lints {
            report.push_str(&format!(
                "{i}\t{}\t{}\tclippy\t{}\n",
                cases[*i].corpus,
                cases[*i].label,
                lints.iter().cloned().collect::<Vec<_>>().join(" ")
            ));
            for lint in lints {
                *by_lint.entry(lint).or_default() += 1;
            }
        }
        for (lint, n) in &by_lint {
            eprintln!("clippy: {lint} in {n} case(s)");
        }
        if !clippy.harness.is_empty() {
            eprintln!("clippy: outside the generated code: {:?}", clippy.harness);
        }
    }
    std::fs::write(out.join("report.tsv"), report)?;
    let clippy_head = if clippy.is_some() { " clippy-clean (of compiled) |" } else { "" };
    let clippy_rule = if clippy.is_some() { "---|" } else { "" };
    println!("| corpus | schemas | generated | clear errors | panics | timeouts | compiled (of those tried) | valid samples decoded | type-checkable invalid samples rejected | all invalid samples rejected | decoder crashes |{clippy_head}");
    println!("|---|---|---|---|---|---|---|---|---|---|---|{clippy_rule}");
    let pct = |a: usize, b: usize| {
        if b == 0 {
            "–".to_owned()
        } else {
            format!("{a}/{b} ({:.0}%)", 100.0 * a as f64 / b as f64)
        }
    };
    for (name, r) in &rows {
        let clippy_cell =
            if clippy.is_some() { format!(" {} |", pct(r.clippy_clean, r.compiled)) } else { String::new() };
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |{clippy_cell}",
            r.schemas,
            pct(r.generated, r.schemas),
            r.clear_errors,
            r.panics,
            r.timeouts,
            pct(r.compiled, r.attempted),
            pct(r.valid_decoded, r.valid),
            pct(r.invalid_typed_rejected, r.invalid_typed),
            pct(r.invalid_rejected, r.invalid),
            r.decoder_crashes
        );
    }
    println!();
    println!("| corpus | samples decoded and encoded again | came back as the rule says | declared values lost | changed | null → absent | date-times in normal form (same instant and offset) | defaults filled in | proto3 JSON forms (enum names, int64 text, zero values left out) |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (name, r) in rows.iter().filter(|(_, r)| r.round_trips > 0) {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.round_trips,
            pct(r.lossless, r.round_trips),
            r.diff.lost,
            r.diff.changed,
            r.diff.null_to_absent,
            r.diff.normalized,
            r.diff.added,
            r.diff.proto_normal
        );
    }
    eprintln!("details: {}", out.join("report.tsv").display());
    Ok(())
}

/// The corpora whose schemas are files of their folder, by `measure`'s names, with that folder.
fn as_is(corpora: &Path, only: &[String], out: &Path) -> std::io::Result<()> {
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let folders = [
        ("schemastore", "schemastore"),
        ("cloudevents", "cloudevents-spec"),
        ("cdevents", "cdevents-spec"),
        ("zalando", "zalando-api-guidelines"),
    ];
    std::fs::create_dir_all(out)?;
    let mut details = String::from("corpus\tfile\terror\n");
    let mut warned = String::from("corpus\tfile\twarning\n");
    println!("| corpus | event types | accepted on the first run | errors | of those, in files that are themselves invalid | warnings | seconds |");
    println!("|---|---|---|---|---|---|---|");
    for (name, folder) in folders.into_iter().filter(|(n, _)| wanted(n)) {
        let cases = collect(corpora, &[name.to_owned()], None, None);
        let Some(first) = cases.first() else { continue };
        let corpus = first.corpus;
        let root = corpora.join(folder).canonicalize()?;
        let refs: Vec<&Case> = cases.iter().collect();
        let result = as_is::run(&root, &refs, &out.join("defs").join(name))?;
        for (file, message) in &result.errors {
            details.push_str(&format!("{corpus}\t{file}\t{message}\n"));
        }
        for (file, message) in &result.warnings {
            warned.push_str(&format!("{corpus}\t{file}\t{message}\n"));
        }
        println!(
            "| {corpus} | {} | {} | {} | {} | {} | {:.1} |",
            result.event_types,
            if result.accepted { "yes" } else { "no" },
            result.errors.len(),
            result.invalid_file_errors(),
            result.warnings.len(),
            result.seconds
        );
    }
    std::fs::write(out.join("errors.tsv"), details)?;
    std::fs::write(out.join("warnings.tsv"), warned)?;
    eprintln!("errors: {}, warnings: {}", out.join("errors.tsv").display(), out.join("warnings.tsv").display());
    Ok(())
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Measure {
            corpora,
            only,
            folder,
            out,
            timeout,
            limit,
            compile_every,
            compile_all_up_to,
            compile_sampled,
            max_case_bytes,
            clippy,
        } => {
            let options =
                Options { timeout, limit, compile_every, compile_all_up_to, compile_sampled, max_case_bytes, clippy };
            match measure(&corpora, &only, folder.as_deref(), &out, &options) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::ExitCode::from(2)
                }
            }
        }
        Command::AsIs { corpora, only, out } => match as_is(&corpora, &only, &out) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::ExitCode::from(2)
            }
        },
        Command::GenOne { catalog, root, map, out } => {
            let maps: Vec<(String, PathBuf)> = map
                .iter()
                .filter_map(|m| m.rsplit_once('=').map(|(url, dir)| (url.to_owned(), PathBuf::from(dir))))
                .collect();
            std::process::ExitCode::from(generate::gen_one(&catalog, &root, &maps, &out) as u8)
        }
    }
}
