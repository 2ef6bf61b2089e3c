//! Events for the store tests, made from the valid test vectors of fixtures/vectors: each copy gets
//! its own eid and an occurred_at spread over a few days, with ties, offsets other than Z and
//! digits below the microsecond, so that order and partitioning have something to decide.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_owned()
}

pub fn catalog() -> PathBuf {
    root().join("fixtures/catalog")
}

pub fn eventbind(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventbind")).args(args).output().expect("eventbind runs")
}

/// The `input` of every valid vector of an event type (the vectors of `vectors_of`, renamed
/// to `event_type`: the Avro and Protobuf refund twins read the JSON Schema type's vectors).
/// Vectors with unknown fields in a closed object are left out: consumers read them, but
/// `validate` (and so the store) applies `additionalProperties: false`.
pub fn valid_vectors(vectors_of: &str, event_type: &str) -> Vec<Value> {
    let dir = root().join("fixtures/vectors").join(vectors_of);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("vectors")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("valid_") && !n.contains("_closed_"))
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let vector: Value = serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("JSON");
            let mut input = vector["input"].clone();
            input["metadata"]["event_type"] = Value::String(event_type.to_owned());
            input
        })
        .collect()
}

/// A small deterministic generator (xorshift), so that runs are reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub fn eid(n: u64) -> String {
    let hex = format!("{:032x}", (n as u128) << 64 | 0x4000_8000_0000_0000u128 | n as u128);
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// `count` events of each type, `(vectors of, event type)`, in a random interleaving; times in
/// 2024-05-01..2024-05-04 UTC on a grid of 7 seconds (many ties), some with nanoseconds or a
/// +02:00 offset.
pub fn generate(types: &[(&str, &str)], count: usize, seed: u64) -> Vec<Value> {
    let mut rng = Rng::new(seed);
    let base = chrono::DateTime::parse_from_rfc3339("2024-05-01T00:00:00Z").expect("a time").to_utc();
    let pools: Vec<Vec<Value>> = types.iter().map(|(v, t)| valid_vectors(v, t)).collect();
    let mut out = Vec::new();
    let mut n = 0u64;
    for round in 0..count {
        for pool in &pools {
            let mut event = pool[round % pool.len()].clone();
            n += 1;
            event["metadata"]["eid"] = Value::String(eid(seed * 1_000_000 + n));
            let secs = rng.below(3 * 86_400 / 7) * 7;
            let mut at = base + chrono::Duration::seconds(secs as i64);
            let text = match rng.below(4) {
                0 => {
                    at += chrono::Duration::nanoseconds(rng.below(1_000_000_000) as i64);
                    at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
                }
                1 => at.with_timezone(&chrono::FixedOffset::east_opt(7200).expect("an offset")).to_rfc3339(),
                _ => at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            };
            event["metadata"]["occurred_at"] = Value::String(text);
            out.push(event);
        }
    }
    // Shuffle, so that input order is not time order.
    for i in (1..out.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        out.swap(i, j);
    }
    out
}

pub fn write_ndjson(path: &Path, events: &[Value]) {
    let mut text = String::new();
    for e in events {
        text.push_str(&e.to_string());
        text.push('\n');
    }
    std::fs::write(path, text).expect("write events");
}

/// The eids of NDJSON output, in order.
pub fn eids(ndjson: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(ndjson)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("JSON output");
            v["metadata"]["eid"].as_str().expect("an eid").to_owned()
        })
        .collect()
}
