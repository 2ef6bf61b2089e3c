//! `validate` throughput against a plain parse of the same NDJSON: the cost of the envelope and
//! schema checks over reading the JSON at all. Two streams: the JSON Schema event types' valid
//! vectors, and events of the Avro and Protobuf event types (in their JSON form).
//! `cargo bench -p eventbind-build --bench validate`

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eventbind_build::catalog::Catalog;
use eventbind_validate::{validate_stream, InputFormat, Outcome, Summary, Validator};

/// 2,000 events: every valid vector of the example catalog that the schema accepts too, repeated.
/// (A vector with an unknown field inside an `additionalProperties: false` object is valid for
/// decoders, which ignore it, but not for the schema.)
fn input(validator: &Validator<'_>) -> Vec<u8> {
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
            if validator.check(v["input"].clone(), None).outcome == Outcome::Valid {
                events.push(serde_json::to_vec(&v["input"]).unwrap());
            }
        }
    }
    let mut out = Vec::new();
    for i in 0..2000 {
        out.extend_from_slice(&events[i % events.len()]);
        out.push(b'\n');
    }
    out
}

/// 2,000 events of the Avro and Protobuf event types, in their JSON form.
fn binary_format_input() -> Vec<u8> {
    let meta = |name: &str| {
        serde_json::json!({"event_type": name, "eid": "4b6f3c1e-8a51-4f0e-9a53-6a0f0a1b2c3d",
            "occurred_at": "2024-05-01T10:00:00Z", "flow_id": "JNgMdq1vRi2qp8R6eFQyZg"})
    };
    let events = [
        serde_json::json!({
            "metadata": meta("payment.refund_issued_avro"),
            "refund_id": "0b0e7d3c-3d1e-4c47-9f5b-8f0f2f3b6a71", "payment_id": "5a1c1f0e-2f0b-4d8e-9a0e-1c2d3e4f5a6b",
            "order_number": "ORD-1001", "issued_at": "2024-05-01T09:59:58.123Z",
            "amount": {"amount": 19.99, "currency": "EUR"}, "reason": "damaged", "partial": true,
            "refunded_items": [{"sku": "MUG-1", "quantity": 2, "amount": {"amount": 9.5, "currency": "EUR"}}],
            "labels": {"ticket": "T-1"}, "destination": {"card_token": "tok_1", "fingerprint": [1, 2, 3, 4]},
            "channel": "app", "booked_on": "2024-05-02", "fee": 1.25
        }),
        serde_json::json!({
            "metadata": meta("inventory.stock_level_avro"), "data_op": "U", "data_type": "inventory.stock_item",
            "data": {"sku": "MUG-1", "warehouse_id": "5a1c1f0e-2f0b-4d8e-9a0e-1c2d3e4f5a6b", "quantity_on_hand": 12,
                     "counted_at": "2024-05-01T09:00:00.000001Z", "status": "low"}
        }),
        serde_json::json!({
            "metadata": meta("payment.refund_issued_proto"),
            "refundId": "r-1", "paymentId": "p-1", "orderNumber": "ORD-1001", "issuedAt": "2024-05-01T09:59:58Z",
            "amount": {"amount": 19.99, "currency": "EUR"}, "reason": "damaged", "partial": true,
            "refundedItems": [{"sku": "MUG-1", "quantity": 2, "amount": {"amount": 9.5, "currency": "EUR"}}],
            "labels": {"ticket": "T-1"}, "iban": "DE89", "extra": {"k": [1, "a"]}, "processingTime": "1.5s",
            "ticket": "T-1", "sequence": "42", "receipt": "aGVsbG8="
        }),
    ];
    let mut out = Vec::new();
    for i in 0..2000 {
        out.extend_from_slice(&serde_json::to_vec(&events[i % events.len()]).unwrap());
        out.push(b'\n');
    }
    out
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/catalog")]).unwrap();
    let validator = Validator::new(&catalog);
    for (group_name, data) in
        [("validate_ndjson_2k", input(&validator)), ("validate_ndjson_2k_avro_protobuf", binary_format_input())]
    {
        measure(c, &validator, group_name, &data);
    }
}

fn measure(c: &mut Criterion, validator: &Validator<'_>, group_name: &str, data: &[u8]) {
    let mut group = c.benchmark_group(group_name);
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
            validate_stream(data, InputFormat::Ndjson, "bench", validator, None, &mut summary, &mut std::io::sink())
                .unwrap();
            assert!(summary.ok());
            summary.valid
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
