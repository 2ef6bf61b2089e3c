//! `eventbind validate`: files and stdin, NDJSON and JSON, a line per problem, the summary, exit
//! codes, and bad input of every kind reported with its line while the rest is still checked.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn eventbind() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eventbind"))
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// A vector's event as one line of JSON.
fn vector(path: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixtures().join("vectors").join(path)).unwrap()).unwrap();
    serde_json::to_string(&v["input"]).unwrap()
}

fn run(args: &[&str], stdin: &[u8]) -> (Option<i32>, String, String) {
    let mut child = eventbind()
        .arg("validate")
        .arg("--catalog")
        .arg(fixtures().join("catalog"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn valid_events_exit_0_with_a_summary() {
    let input =
        [vector("order.order_cancelled/valid_all_fields.json"), vector("crm.contact/valid_snapshot.json")].join("\n");
    let (code, out, err) = run(&[], input.as_bytes());
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.starts_with("2 event(s) in 1 input(s): 2 valid, 0 invalid\n"), "{out}");
}

#[test]
fn bad_input_of_every_kind_is_reported_by_line_and_the_rest_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dump.ndjson");
    let mut bytes = Vec::new();
    for line in [
        vector("order.order_cancelled/valid_all_fields.json"), // 1
        vector("order.order_cancelled/invalid_reason_not_in_enum.json"), // 2
        "{\"metadata\": {\"event_type\": \"order.order_cancelled\", \"eid\"".into(), // 3 truncated
        vector("order.order_cancelled/valid_all_fields.json").replace("order.order_cancelled", "order.unheard_of"), // 4
        vector("order.order_cancelled/invalid_metadata_missing_occurred_at.json"), // 5
        vector("order.order_cancelled/valid_all_fields.json").replace("2024-05-03T09:12:44Z", "last tuesday"), // 6
    ] {
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(b"{\"metadata\": \"\xff\xfe\"}\n"); // 7 invalid UTF-8
    bytes.extend_from_slice(vector("crm.contact/valid_snapshot.json").as_bytes()); // 8, no final newline
    std::fs::write(&file, bytes).unwrap();
    let (code, out, err) = run(&[file.to_str().unwrap()], b"");
    assert_eq!(code, Some(1), "{out}{err}");
    let shown = file.display().to_string();
    let expect = [
        (2, "order.order_cancelled: /reason: "),
        (3, "?: /: truncated JSON"),
        (4, "order.unheard_of: /metadata/event_type: unknown event type `order.unheard_of`"),
        (5, "order.order_cancelled: /metadata: `occurred_at` is missing"),
        (6, "order.order_cancelled: /metadata/occurred_at: must be an RFC 3339 date-time"),
        (7, "?: /: invalid UTF-8 at byte 14"),
    ];
    let lines: Vec<&str> = out.lines().take_while(|l| !l.contains(" event(s) in ")).collect();
    assert_eq!(lines.len(), expect.len(), "{out}");
    for (line, (n, text)) in lines.iter().zip(expect) {
        assert!(line.starts_with(&format!("{shown}:{n}: {text}")), "expected line {n}: {text}\n{out}");
    }
    assert!(out.contains("8 event(s) in 1 input(s): 2 valid, 6 invalid\n"), "{out}");
}

#[test]
fn json_arrays_from_files_and_undefined_events_with_type() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.json");
    let array = format!(
        "[\n  {},\n  {}\n]\n",
        vector("device.button-quacked/valid_long_press.json"),
        vector("device.button-quacked/invalid_type_not_in_enum.json")
    );
    std::fs::write(&file, array).unwrap();
    let (code, out, _) = run(&[file.to_str().unwrap()], b"");
    assert_eq!(code, Some(1));
    assert!(out.starts_with(&format!("{}:3: device.button-quacked: /type: ", file.display())), "{out}");

    // Undefined-category events carry no metadata: --type names them.
    let login = vector("audit.login_attempt/valid_failed_password.json");
    let (code, out, _) = run(&[], login.as_bytes());
    assert_eq!(code, Some(1), "without --type the type is unknown: {out}");
    assert!(out.contains("pass --type"), "{out}");
    let (code, out, _) = run(&["--type", "audit.login_attempt", "-"], login.as_bytes());
    assert_eq!(code, Some(0), "{out}");

    let (code, _, err) = run(&["--type", "no.such_type"], b"");
    assert_eq!(code, Some(2));
    assert!(err.contains("not an event type of the catalog"), "{err}");
}

#[test]
fn avro_and_protobuf_payloads_are_validated_with_pointers() {
    let meta = |name: &str| {
        format!(
            "\"metadata\": {{\"event_type\": \"{name}\", \"eid\": \"4b6f3c1e-8a51-4f0e-9a53-6a0f0a1b2c3d\", \"occurred_at\": \"2024-05-01T10:00:00Z\"}}"
        )
    };
    let stock = |data: &str| {
        format!(
            "{{{}, \"data_op\": \"S\", \"data_type\": \"inventory.stock_item\", \"data\": {data}}}",
            meta("inventory.stock_level_avro")
        )
    };
    let refund = |fields: &str| format!("{{{}, {fields}}}", meta("payment.refund_issued_proto"));
    let input = [
        // 1: valid Avro data change event, unknown field ignored.
        stock(r#"{"sku": "MUG-1", "warehouse_id": "5a1c1f0e-2f0b-4d8e-9a0e-1c2d3e4f5a6b", "quantity_on_hand": 3, "counted_at": "2024-05-01T09:00:00Z", "shelf": "A1"}"#),
        // 2: missing field without default, and a symbol the enum does not have.
        stock(r#"{"warehouse_id": "5a1c1f0e-2f0b-4d8e-9a0e-1c2d3e4f5a6b", "quantity_on_hand": 3, "counted_at": "2024-05-01T09:00:00Z", "status": "gone"}"#),
        // 3: valid Protobuf event in the proto3 JSON mapping.
        refund(r#""refundId": "r-1", "sequence": "42", "reason": "goodwill", "issuedAt": "2024-05-01T09:00:00Z", "future": 1"#),
        // 4: a 64-bit integer string that is not a number.
        refund(r#""refundId": "r-1", "sequence": "forty-two""#),
    ]
    .join("\n");
    let (code, out, err) = run(&[], input.as_bytes());
    assert_eq!(code, Some(1), "{out}{err}");
    let lines: Vec<&str> = out.lines().take_while(|l| !l.contains(" event(s) in ")).collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("<stdin>:2: inventory.stock_level_avro: /data: `sku` is missing"), "{out}");
    assert!(
        lines[1].starts_with("<stdin>:2: inventory.stock_level_avro: /data/status: `gone` is not a symbol"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("<stdin>:4: payment.refund_issued_proto: /sequence: expected a 64-bit integer"),
        "{out}"
    );
    assert!(out.contains("4 event(s) in 1 input(s): 2 valid, 2 invalid\n"), "{out}");
    assert!(out.contains("  inventory.stock_level_avro: 1 valid, 1 invalid\n"), "{out}");
}
