//! Typed replay: stored events of chosen types and a time window decoded into the generated
//! `AnyEvent` in order of occurrence, with ties broken by input then line; spilled runs give
//! the same result as memory; every event left out for a problem is reported with its line.

use std::path::{Path, PathBuf};

use eventbind::replay::{Problem, Replay};
use eventbind_tests::ignore::AnyEvent;
use serde_json::Value;

fn vector(path: &str) -> Value {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/vectors").join(path);
    let v: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    v["input"].clone()
}

/// A vector's event, occurring at `at`.
fn event(path: &str, at: &str) -> String {
    let mut e = vector(path);
    e["metadata"]["occurred_at"] = Value::from(at);
    serde_json::to_string(&e).unwrap()
}

fn write(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

const CANCELLED: &str = "order.order_cancelled/valid_all_fields.json";
const CONTACT: &str = "crm.contact/valid_snapshot.json";
const QUACK: &str = "device.button-quacked/valid_long_press.json";

fn store(dir: &Path) -> (PathBuf, PathBuf) {
    let a = write(
        dir,
        "a.ndjson",
        &[
            event(CANCELLED, "2024-05-01T10:00:03Z"),          // a:1
            event(QUACK, "2024-05-01T10:00:01Z"),              // a:2 (type not selected below)
            event(CONTACT, "2024-05-01T10:00:02Z"),            // a:3 tie with b:2
            "{\"metadata\": {\"event_type\": \"crm.co".into(), // a:4 truncated
            event(CONTACT, "2024-04-30T23:59:59Z"),            // a:5 before the window
            event(CANCELLED, "2024-05-02T00:00:00Z"),          // a:6 at `to`: outside
        ],
    );
    let mut unknown = vector(CANCELLED);
    unknown["metadata"]["event_type"] = Value::from("order.order_lost");
    unknown["metadata"]["occurred_at"] = Value::from("2024-05-01T11:00:00Z");
    let mut broken = vector(CANCELLED);
    broken["metadata"]["occurred_at"] = Value::from("2024-05-01T10:30:00+02:00"); // 08:30Z
    broken["items"][0]["quantity"] = Value::from("two");
    let mut no_time = vector(CONTACT);
    no_time["metadata"].as_object_mut().unwrap().remove("occurred_at");
    let b = write(
        dir,
        "b.ndjson",
        &[
            serde_json::to_string(&no_time).unwrap(), // b:1 missing occurred_at
            event(CONTACT, "2024-05-01T10:00:02Z"),   // b:2 tie with a:3: a first
            String::new(),                            // b:3 blank
            serde_json::to_string(&unknown).unwrap(), // b:4 unknown type
            serde_json::to_string(&broken).unwrap(),  // b:5 fails to decode
            event(CANCELLED, "yesterday"),            // b:6 unparseable
            "{\"metadata\": {\"occurred_at\": \"2024-05-01T10:00:00Z\"}}".into(), // b:7 no event_type
        ],
    );
    let mut bytes = std::fs::read(&b).unwrap();
    bytes.extend_from_slice(b"{\"metadata\": {\"event_type\": \"\xff\"}}\n"); // b:8 invalid UTF-8
    bytes.extend_from_slice(event(CANCELLED, "2024-05-01T00:00:00Z").as_bytes()); // b:9, at `from`, no newline
    std::fs::write(&b, bytes).unwrap();
    (a, b)
}

fn replay(a: &Path, b: &Path, run_bytes: usize) -> (Vec<String>, Vec<(String, usize)>, usize) {
    let mut problems = Vec::new();
    let sorted = Replay::new()
        .file(a)
        .file(b)
        .event_type("order.order_cancelled")
        .event_type("crm.contact")
        .event_type("order.order_lost")
        .from("2024-05-01T00:00:00Z".parse().unwrap())
        .to("2024-05-02T00:00:00Z".parse().unwrap())
        .run_bytes(run_bytes)
        .sort(|p: Problem| problems.push(p))
        .unwrap();
    let spilled = sorted.spilled_runs();
    let mut order = Vec::new();
    let mut found: Vec<Problem> = problems;
    for item in sorted.decode::<AnyEvent>() {
        match item {
            Ok(replayed) => {
                let name = match &replayed.event {
                    AnyEvent::OrderOrderCancelled(e) => format!("cancelled {}", e.order_number),
                    AnyEvent::CrmContact(e) => format!("contact {}", e.data.contact_id),
                    other => panic!("not selected: {other:?}"),
                };
                order.push(format!("{}:{} {name}", ["a", "b"][replayed.source], replayed.line));
            }
            Err(p) => found.push(p),
        }
    }
    let problems = found
        .into_iter()
        .map(|p| (format!("{}:{}", p.file.file_name().unwrap().to_str().unwrap(), p.reason), p.line))
        .collect();
    (order, problems, spilled)
}

#[test]
fn selected_events_come_in_order_of_occurrence_and_problems_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = store(dir.path());
    let (order, problems, spilled) = replay(&a, &b, 1 << 20);
    assert_eq!(spilled, 0);
    let contact = vector(CONTACT)["data"]["contact_id"].as_str().unwrap().to_owned();
    let number = vector(CANCELLED)["order_number"].as_str().unwrap().to_owned();
    assert_eq!(
        order,
        [
            format!("b:9 cancelled {number}"),
            format!("a:3 contact {contact}"),
            format!("b:2 contact {contact}"),
            format!("a:1 cancelled {number}"),
        ]
    );
    let lines: Vec<(usize, &str)> = problems.iter().map(|(reason, line)| (*line, reason.as_str())).collect();
    let expect = [
        (4, "a.ndjson:truncated JSON"),
        (1, "b.ndjson:`metadata.occurred_at` is missing"),
        (6, "b.ndjson:`metadata.occurred_at` `yesterday` is not an RFC 3339 date-time"),
        (7, "b.ndjson:`metadata.event_type` is missing"),
        (8, "b.ndjson:invalid UTF-8"),
        (5, "b.ndjson:cannot decode: at `items[0].quantity`"),
        (4, "b.ndjson:unknown event type `order.order_lost`"),
    ];
    assert_eq!(lines.len(), expect.len(), "{problems:?}");
    for ((line, reason), (want_line, want)) in lines.iter().zip(expect) {
        assert_eq!(*line, want_line, "{reason}");
        assert!(reason.starts_with(want), "{reason} should start with {want}");
    }
}

#[test]
fn spilled_runs_replay_exactly_as_memory_does() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = store(dir.path());
    let in_memory = replay(&a, &b, 1 << 20);
    let spilled = replay(&a, &b, 1);
    assert!(spilled.2 >= 5, "one run per event: {}", spilled.2);
    assert_eq!((in_memory.0, in_memory.1), (spilled.0, spilled.1));
}

#[test]
fn avro_container_files_replay_with_the_avro_feature() {
    use apache_avro::types::{Record, Value as Avro};
    let schema = apache_avro::Schema::parse_str(
        r#"{"type": "record", "name": "ButtonQuacked", "fields": [
            {"name": "metadata", "type": {"type": "record", "name": "Metadata", "fields": [
                {"name": "eid", "type": "string"}, {"name": "occurred_at", "type": "string"},
                {"name": "event_type", "type": "string"}]}},
            {"name": "device_id", "type": "string"}, {"name": "pressed_at", "type": "string"},
            {"name": "type", "type": "string"}, {"name": "duration_ms", "type": "int"}]}"#,
    )
    .unwrap();
    let mut writer = apache_avro::Writer::new(&schema, Vec::new());
    for (i, at) in ["2024-07-01T12:00:02Z", "2024-07-01T12:00:01Z", "not a time"].iter().enumerate() {
        let mut record = Record::new(&schema).unwrap();
        record.put(
            "metadata",
            Avro::Record(vec![
                ("eid".into(), Avro::String(format!("6250fb95-b304-5a0a-a4b4-cb6b979d2cb{i}"))),
                ("occurred_at".into(), Avro::String((*at).into())),
                ("event_type".into(), Avro::String("device.button-quacked".into())),
            ]),
        );
        record.put("device_id", format!("DUCK-{i}"));
        record.put("pressed_at", "2024-07-01T12:00:00Z");
        record.put("type", "short");
        record.put("duration_ms", 120);
        writer.append(record).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("quacks.avro");
    std::fs::write(&file, writer.into_inner().unwrap()).unwrap();
    let mut problems = Vec::new();
    let events: Vec<_> = Replay::new()
        .file(&file)
        .sort(|p| problems.push(p))
        .unwrap()
        .decode::<AnyEvent>()
        .map(|r| match r.unwrap().event {
            AnyEvent::DeviceButtonQuacked(e) => e.device_id,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(events, ["DUCK-1", "DUCK-0"]);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 3, "the record's position");
}
