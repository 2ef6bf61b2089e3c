//! Cross-language conformance: every shared test vector, under every unknown-field policy, is
//! decoded and re-encoded by the Rust bindings (this crate's build.rs output) and by the generated
//! TypeScript, Python, Go and Java packages, each through its driver in `tests/conformance/<lang>/`.
//! Every language must accept exactly what Rust accepts and write the same canonical JSON.
//!
//! Toolchains: Node.js + npm (the driver's `npm ci`), Python 3.10+ (a venv with mypy), Go 1.22+
//! (standard library only; `gofmt` and `go vet` check the generated module), a JDK 17+ with
//! Maven (which fetches Jackson). With
//! `CI=true` a missing toolchain fails the test; locally it is reported and skipped, and the Rust
//! side is still checked.

mod conformance_support;

use conformance_support::{canonical, config, Case, Driver, Outcome, RunCases};
use eventbind::json::{self, DecodeError};
use eventbind_tests::vectors::{self, Vector};
use eventbind_tests::{deny, ignore, preserve, tolerant};
use serde_json::Value;

macro_rules! decoder {
    ($name:ident, $module:ident) => {
        fn $name(v: &Vector) -> Result<Value, DecodeError> {
            let bytes = serde_json::to_vec(&v.input).unwrap();
            if v.event_type == "audit.login_attempt" {
                let event: $module::audit::LoginAttempt = json::from_slice(&bytes)?;
                return Ok(json::to_value(&event).unwrap());
            }
            if v.event_type == "audit.login_attempt_proto" {
                let event: $module::audit::LoginAttemptProto = json::from_slice(&bytes)?;
                return Ok(json::to_value(&event).unwrap());
            }
            let event = $module::AnyEvent::from_json_slice(&bytes)?;
            assert!(!matches!(event, $module::AnyEvent::Unknown(_)), "{}: decoded as unknown", v.file.display());
            Ok(json::to_value(&event).unwrap())
        }
    };
}

decoder!(decode_ignore, ignore);
decoder!(decode_preserve, preserve);
decoder!(decode_deny, deny);
decoder!(decode_tolerant, tolerant);

const POLICIES: [&str; 3] = ["ignore", "preserve", "deny"];

/// A tolerant-enums build, decoding under `ignore`.
const TOLERANT: &str = "tolerant";

/// Every vector under every policy (or, with `TOLERANT`, in a tolerant-enums build), with Rust's
/// outcome.
fn cases(policies: &[&str]) -> Vec<(Case, Outcome)> {
    let mut all = vectors::load_all();
    assert!(all.len() >= 100, "expected the fixture vectors, found {}", all.len());
    all.extend(vectors::load_protobuf());
    let mut out = Vec::new();
    for v in &all {
        let name = v.file.strip_prefix(vectors::fixtures()).unwrap_or(&v.file).display().to_string();
        for &policy in policies {
            let result = match policy {
                "ignore" => decode_ignore(v),
                "preserve" => decode_preserve(v),
                TOLERANT => decode_tolerant(v),
                _ => decode_deny(v),
            };
            let outcome = match result {
                Ok(value) => Outcome::Ok(canonical(&value)),
                Err(e) => Outcome::Rejected(e.to_string(), e.path().to_owned()),
            };
            let case = Case {
                id: format!("{name} [{policy}]"),
                event_type: v.event_type.clone(),
                policy: if policy == TOLERANT { "ignore" } else { policy }.to_owned(),
                // Re-serialized by serde_json, so every language reads the same text.
                input: serde_json::to_string(&v.input).unwrap(),
                valid: v.valid,
            };
            out.push((case, outcome));
        }
    }
    out
}

#[test]
fn rust_side_accepts_valid_vectors_and_rejects_invalid_ones() {
    for (case, outcome) in cases(&POLICIES) {
        match (&outcome, case.valid, case.policy.as_str()) {
            (Outcome::Rejected(e, _), true, "ignore" | "preserve") => {
                panic!("{}: Rust rejected a valid vector: {e}", case.id)
            }
            (Outcome::Ok(_), false, _) => panic!("{}: Rust accepted an invalid vector", case.id),
            _ => {}
        }
    }
}

fn check(language: &str, driver: Option<Driver>, cases: Vec<(Case, Outcome)>, min_decoded: usize, min_rejected: usize) {
    let Some(results) = driver.run(&cases.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>()) else { return };
    let mut problems = Vec::new();
    let (mut compared, mut rejected) = (0, 0);
    for (case, rust) in &cases {
        let Some(theirs) = results.get(&case.id) else {
            problems.push(format!("{}: no result from the {} driver", case.id, language));
            continue;
        };
        match (rust, theirs) {
            (Outcome::Ok(expected), Outcome::Ok(actual)) => {
                let actual: Value = serde_json::from_str(actual)
                    .unwrap_or_else(|e| panic!("{}: {} wrote invalid JSON: {e}", case.id, language));
                let actual = canonical(&actual);
                if &actual != expected {
                    problems.push(format!("{}: output differs\n  rust: {expected}\n  {}: {actual}", case.id, language));
                }
                compared += 1;
            }
            (Outcome::Rejected(_, expected), Outcome::Rejected(e, actual)) => {
                // An invalid vector's error names the same place in every language.
                if !case.valid && expected != actual {
                    problems.push(format!("{}: {language} rejected at `{actual}`, Rust at `{expected}`: {e}", case.id));
                }
                rejected += 1;
            }
            (Outcome::Ok(_), Outcome::Rejected(e, _)) => {
                problems.push(format!("{}: {} rejected what Rust accepts: {e}", case.id, language))
            }
            (Outcome::Rejected(e, _), Outcome::Ok(out)) => {
                problems.push(format!("{}: {} accepted what Rust rejects ({e}): {out}", case.id, language))
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} cases differ between Rust and {}:\n{}",
        problems.len(),
        cases.len(),
        language,
        problems.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(
        compared >= min_decoded && rejected >= min_rejected,
        "too few cases compared: {compared} decoded, {rejected} rejected"
    );
    eprintln!("{}: {compared} decoded alike, {rejected} rejected alike", language);
}

fn catalog() -> std::path::PathBuf {
    vectors::fixtures().join("catalog")
}

#[test]
fn typescript_decodes_every_vector_like_rust() {
    check("typescript", Driver::typescript("conformance", &config(&catalog())), cases(&POLICIES), 60, 200);
}

#[test]
fn python_decodes_every_vector_like_rust() {
    check("python", Driver::python("conformance", &config(&catalog())), cases(&POLICIES), 60, 200);
}

#[test]
fn go_decodes_every_vector_like_rust() {
    check("go", Driver::go("conformance", &config(&catalog())), cases(&POLICIES), 60, 200);
}

#[test]
fn java_decodes_every_vector_like_rust() {
    check("java", Driver::java("conformance", &config(&catalog())), cases(&POLICIES), 60, 200);
}

/// Closed enums keep unknown values in a tolerant build, in every language alike.
#[test]
fn tolerant_enums_decode_like_rust() {
    let mut tolerant = config(&catalog());
    tolerant.tolerant_enums(true);
    let cases = cases(&[TOLERANT]);
    check("typescript", Driver::typescript("tolerant", &tolerant), cases.clone(), 30, 50);
    check("python", Driver::python("tolerant", &tolerant), cases.clone(), 30, 50);
    check("go", Driver::go("tolerant", &tolerant), cases.clone(), 30, 50);
    check("java", Driver::java("tolerant", &tolerant), cases, 30, 50);
}

/// The generated Go types work with encoding/json: `json.Unmarshal` checks like the decoders,
/// errors naming the path, and `json.Marshal` writes what Rust writes, int64 beyond 2^53 exact.
#[test]
fn go_types_round_trip_through_encoding_json() {
    let Some(driver) = Driver::go("encoding_json", &config(&catalog())) else { return };
    let vector = vectors::load_all()
        .into_iter()
        .find(|v| v.file.ends_with("device.telemetry_reported/valid_mixed_readings_int64.json"))
        .expect("the int64 telemetry vector");
    let rust = canonical(&decode_ignore(&vector).unwrap());
    let input = serde_json::to_string(&serde_json::to_string(&vector.input).unwrap()).unwrap();
    let snippet = format!(
        r#"package main

import (
	"encoding/json"
	"fmt"

	"events/device"
)

func main() {{
	var event device.TelemetryReported
	if err := json.Unmarshal([]byte({input}), &event); err != nil {{
		panic(err)
	}}
	out, err := json.Marshal(event)
	if err != nil {{
		panic(err)
	}}
	fmt.Println(string(out))
	var bad device.TelemetryReported
	fmt.Println(json.Unmarshal([]byte(`{{"metadata": {{"eid": 7}}}}`), &bad))
}}
"#
    );
    let output = driver.eval(&snippet);
    let mut lines = output.lines();
    let go: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(canonical(&go), rust, "json.Marshal after json.Unmarshal differs from Rust");
    assert!(rust.contains("9007199254740993"), "the vector has an int64 above 2^53: {rust}");
    let error = lines.next().unwrap();
    assert!(error.contains("at `metadata.eid`"), "{error}");
}

/// `fixtures/protobuf_shapes`: every proto3 field shape (every scalar kind, in lists, maps,
/// `optional`s, wrappers and `oneof` cases; Timestamp, Duration, Struct, Value, FieldMask; names
/// that are keywords), read by every language as by the Rust bindings.
fn protobuf_shapes() -> (eventbind_templates::TemplateConfig, Vec<(Case, Outcome)>) {
    use eventbind_tests::protobuf_shapes::AnyEvent;
    let dir = vectors::fixtures().join("protobuf_shapes");
    let mut files: Vec<_> = std::fs::read_dir(dir.join("documents")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let (valid, input) = (doc["valid"] == true, serde_json::to_string(&doc["input"]).unwrap());
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let outcome = match AnyEvent::from_json_slice(input.as_bytes()) {
            Ok(event) => {
                assert!(!matches!(event, AnyEvent::Unknown(_)), "{name}: decoded as unknown");
                assert!(valid, "{name}: Rust accepted an invalid document");
                Outcome::Ok(canonical(&json::to_value(&event).unwrap()))
            }
            Err(e) => {
                assert!(!valid, "{name}: Rust rejected a valid document: {e}");
                assert_eq!(Some(e.path()), doc["error_path"].as_str(), "{name}: {e}");
                Outcome::Rejected(e.to_string(), e.path().to_owned())
            }
        };
        let case = Case { id: name, event_type: "shapes.everything".into(), policy: "deny".into(), input, valid };
        out.push((case, outcome));
    }
    assert!(out.len() >= 20, "expected the shape documents, found {}", out.len());
    (config(&dir.join("catalog")), out)
}

#[test]
fn protobuf_shapes_decode_like_rust_in_every_language() {
    let (config, cases) = protobuf_shapes();
    check("typescript", Driver::typescript("shapes", &config), cases.clone(), 8, 12);
    check("python", Driver::python("shapes", &config), cases.clone(), 8, 12);
    check("go", Driver::go("shapes", &config), cases.clone(), 8, 12);
    check("java", Driver::java("shapes", &config), cases, 8, 12);
}
