//! `validate` throughput against a plain parse of the same NDJSON: the cost of the envelope and
//! schema checks over reading the JSON at all.
//! `cargo bench -p eventbind-build --bench validate`

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eventbind_build::catalog::Catalog;
use eventbind_build::validate::{validate_stream, InputFormat, Summary, Validator};

/// 2,000 events: every valid vector of the example catalog, repeated.
fn input() -> Vec<u8> {
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/vectors");
    let mut events = Vec::new();
    let mut dirs: Vec<_> =
        std::fs::read_dir(&vectors).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    for dir in dirs.iter().filter(|d| !d.ends_with("audit.login_attempt")) {
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files.iter().filter(|f| f.file_name().unwrap().to_str().unwrap().starts_with("valid")) {
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
            events.push(serde_json::to_vec(&v["input"]).unwrap());
        }
    }
    let mut out = Vec::new();
    for i in 0..2000 {
        out.extend_from_slice(&events[i % events.len()]);
        out.push(b'\n');
    }
    out
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/catalog")]).unwrap();
    let validator = Validator::new(&catalog);
    let data = input();
    let mut group = c.benchmark_group("validate_ndjson_2k");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.bench_function("plain_parse", |b| {
        b.iter(|| {
            data.split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
                .map(|l| serde_json::from_slice::<serde_json::Value>(l).unwrap())
                .filter(serde_json::Value::is_object)
                .count()
        })
    });
    group.bench_function("validate", |b| {
        b.iter(|| {
            let mut summary = Summary::default();
            validate_stream(
                &data[..],
                InputFormat::Ndjson,
                "bench",
                &validator,
                None,
                &mut summary,
                &mut std::io::sink(),
            )
            .unwrap();
            assert!(summary.ok());
            summary.valid
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
