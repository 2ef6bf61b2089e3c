//! How long generation takes, in memory and as a build script re-run.
//!
//! - `generate_*`: `Config::generate()` (load, lower, render, format) on a synthetic catalog of
//!   1000 event types (`generator/examples/synth_catalog.rs`) and on `fixtures/catalog` (10).
//! - `compile_unchanged_*`: `Config::compile()` when the output is up to date, i.e. what every
//!   build script run costs after the first: the catalog is hashed, nothing is generated.
//! - `typescript_1000`, `python_1000`, `go_1000`, `java_1000`: `TemplateConfig::generate()`
//!   (load, lower, view model, handlebars) of the same 1000-event-type catalog as a package of
//!   that language.
//! - `generate_deep_1000`: the same for 1000 event types whose payloads nest three levels deep
//!   (`synth_catalog --deep`: about 7,000 structs).
//! - `parse_only_1000`: reading every file of the synthetic catalog into `serde_json::Value`
//!   with serde_yaml_ng / serde_json and nothing else, the floor generation is measured against.
//!
//! Run: `cargo bench -p eventbind-build --bench generate`. Work is single-threaded.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use eventbind_build::Config;
use eventbind_templates::TemplateConfig;

#[path = "../../generator/examples/synth_catalog.rs"]
mod synth;

const SYNTH_EVENTS: usize = 1000;

fn example_catalog() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/catalog")
}

/// Every `.json`, `.yaml` and `.yml` file under `dir`, read and parsed; returns how many.
fn parse_all(dir: &Path) -> usize {
    let mut parsed = 0;
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk the catalog");
        let path = entry.path();
        let value: serde_json::Value = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => serde_json::from_slice(&std::fs::read(path).expect("read")).expect("valid JSON"),
            Some("yaml" | "yml") => {
                serde_yaml_ng::from_str(&std::fs::read_to_string(path).expect("read")).expect("valid YAML")
            }
            _ => continue,
        };
        black_box(value);
        parsed += 1;
    }
    parsed
}

fn generate(catalog: &Path) -> usize {
    Config::new().catalog(catalog).generate().expect("the catalog generates").code.len()
}

fn generate_templated(catalog: &Path, language: &str) -> usize {
    let files = TemplateConfig::new().catalog(catalog).language(language).generate().expect("the catalog generates");
    files.iter().map(|f| f.content.len()).sum()
}

fn compile(catalog: &Path, out: &Path) {
    Config::new().catalog(catalog).out_dir(out).cargo_output(false).compile().expect("the catalog compiles");
}

fn benches(c: &mut Criterion) {
    let synth_dir = tempfile::tempdir().expect("tempdir");
    let synth = synth_dir.path().join("catalog");
    synth::write_catalog(&synth, SYNTH_EVENTS).expect("write the synthetic catalog");
    let deep = synth_dir.path().join("deep");
    synth::write_catalog_shaped(&deep, SYNTH_EVENTS, synth::Shape::Deep).expect("write the deep catalog");
    let example = example_catalog();

    // Fails loudly before timing anything: both catalogs generate, and the second compile of an
    // unchanged catalog takes the fingerprint path (it leaves the output file untouched).
    let synth_out = tempfile::tempdir().expect("tempdir");
    let example_out = tempfile::tempdir().expect("tempdir");
    let mtime = |dir: &Path| std::fs::metadata(dir.join("eventbind.rs")).and_then(|m| m.modified()).expect("output");
    compile(&synth, synth_out.path());
    compile(&example, example_out.path());
    let (synth_written, example_written) = (mtime(synth_out.path()), mtime(example_out.path()));
    compile(&synth, synth_out.path());
    compile(&example, example_out.path());
    assert_eq!(mtime(synth_out.path()), synth_written, "an unchanged catalog must not be regenerated");
    assert_eq!(mtime(example_out.path()), example_written, "an unchanged catalog must not be regenerated");
    assert!(std::fs::read_to_string(synth_out.path().join("eventbind.rs")).unwrap().contains("pub mod ns31"));
    let files = parse_all(&synth);
    assert!(files > SYNTH_EVENTS, "{files} files parsed");

    // One group; settings change between benchmarks. Flat sampling for the slow ones: linear
    // sampling would run sample i with i iterations, far beyond the time budget.
    let mut group = c.benchmark_group("generate");
    group.warm_up_time(Duration::from_secs(1)).throughput(Throughput::Elements(SYNTH_EVENTS as u64));

    // About 1 s per iteration: 10 samples of one iteration each.
    group.sampling_mode(SamplingMode::Flat).sample_size(10).measurement_time(Duration::from_secs(35));
    group.bench_function("generate_1000", |b| b.iter(|| generate(black_box(&synth))));
    group.bench_function("generate_deep_1000", |b| b.iter(|| generate(black_box(&deep))));

    group.sample_size(10).measurement_time(Duration::from_secs(10));
    group.bench_function("typescript_1000", |b| b.iter(|| generate_templated(black_box(&synth), "typescript")));
    group.bench_function("python_1000", |b| b.iter(|| generate_templated(black_box(&synth), "python")));
    group.bench_function("go_1000", |b| b.iter(|| generate_templated(black_box(&synth), "go")));
    group.bench_function("java_1000", |b| b.iter(|| generate_templated(black_box(&synth), "java")));

    group.sample_size(20).measurement_time(Duration::from_secs(4));
    group.bench_function("parse_only_1000", |b| b.iter(|| parse_all(black_box(&synth))));
    group.sampling_mode(SamplingMode::Auto).sample_size(50).measurement_time(Duration::from_secs(3));
    group.bench_function("compile_unchanged_1000", |b| b.iter(|| compile(black_box(&synth), synth_out.path())));

    group.throughput(Throughput::Elements(10));
    group.sampling_mode(SamplingMode::Flat).sample_size(20).measurement_time(Duration::from_secs(3));
    group.bench_function("generate_example", |b| b.iter(|| generate(black_box(&example))));
    group.sampling_mode(SamplingMode::Auto).sample_size(50).measurement_time(Duration::from_secs(3));
    group.bench_function("compile_unchanged_example", |b| b.iter(|| compile(black_box(&example), example_out.path())));
    group.finish();
}

criterion_group!(generate_benches, benches);
criterion_main!(generate_benches);
