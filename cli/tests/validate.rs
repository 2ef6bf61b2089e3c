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
