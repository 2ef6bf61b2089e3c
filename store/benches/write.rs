//! Throughput of `store write` against a plain NDJSON parse of the same input: events generated
//! by store/bench/generate_events.py (set EVENTBIND_BENCH_EVENTS to its output; by default the
//! bench generates 20,000 events itself with the same script). Three figures per event:
//! `ndjson_parse` (serde_json into values, what any reader pays), `validate` (the parse and
//! `eventbind validate`'s checks) and `store_write` (parse, validate, columns, Parquet with
//! snappy, files published).

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use eventbind_build::catalog::Catalog;
use eventbind_store::table::catalog_tables;
use eventbind_store::write::{Options, StoreWriter};
use eventbind_validate::{InputFormat, Records, Validator};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_owned()
}

fn input() -> Vec<u8> {
    let path = match std::env::var("EVENTBIND_BENCH_EVENTS") {
        Ok(p) => PathBuf::from(p),
        Err(_) => {
            let path = std::env::temp_dir().join("eventbind-store-bench-20000.ndjson");
            if !path.exists() {
                let status = Command::new("python3")
                    .arg(root().join("store/bench/generate_events.py"))
                    .arg("20000")
                    .arg(&path)
                    .status()
                    .expect("python3 runs");
                assert!(status.success());
            }
            path
        }
    };
    std::fs::read(path).expect("the bench input")
}

fn bench(c: &mut Criterion) {
    let bytes = input();
    let events = bytes.lines().count() as u64;
    let catalog = Catalog::load(&[root().join("fixtures/catalog")]).expect("the example catalog");
    let mut group = c.benchmark_group("store");
    group.sample_size(10).throughput(Throughput::Elements(events));
    group.bench_function("ndjson_parse", |b| {
        b.iter(|| Records::new(bytes.as_slice(), InputFormat::Ndjson).filter(|r| r.value.is_ok()).count())
    });
    group.bench_function("validate", |b| {
        let validator = Validator::new(&catalog);
        b.iter(|| {
            Records::new(bytes.as_slice(), InputFormat::Ndjson)
                .filter_map(|r| r.value.ok())
                .filter(|v| validator.check(v.clone(), None).outcome == eventbind_validate::Outcome::Valid)
                .count()
        })
    });
    group.bench_function("store_write", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("a temp dir"),
            |dir| {
                let tables = catalog_tables(&catalog, &[]).expect("tables");
                let mut writer = StoreWriter::open(dir.path(), &catalog, tables, Options::default()).expect("a run");
                let records = Records::new(bytes.as_slice(), InputFormat::Ndjson);
                writer.write_input(records, "bench", &mut std::io::sink(), |_| {}).expect("written");
                let summary = writer.finish().expect("finished");
                assert_eq!(summary.written as u64, events);
                dir
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
