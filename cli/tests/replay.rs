//! `eventbind replay`: selected events in order of occurrence as NDJSON, problems reported by
//! line, and an input four times larger than the process's whole address space limit.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

fn eventbind() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eventbind"))
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn vector(path: &str) -> serde_json::Value {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixtures().join("vectors").join(path)).unwrap()).unwrap();
    v["input"].clone()
}

fn at(mut event: serde_json::Value, occurred_at: &str) -> String {
    event["metadata"]["occurred_at"] = occurred_at.into();
    serde_json::to_string(&event).unwrap()
}

#[test]
fn writes_the_selection_in_order_and_reports_what_it_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let cancelled = vector("order.order_cancelled/valid_all_fields.json");
    let placed = vector("order.order_placed/valid_web_order.json");
    let mut invalid = cancelled.clone();
    invalid["reason"] = "bored".into();
    let lines = [
        at(cancelled.clone(), "2024-05-01T10:00:02Z"),                   // 1
        at(placed.clone(), "2024-05-01T10:00:01Z"),                      // 2
        at(invalid, "2024-05-01T10:00:03Z"),                             // 3 invalid (reason)
        at(cancelled.clone(), "2024-06-01T00:00:00Z"),                   // 4 at `to`: not selected
        at(cancelled.clone(), "2024-05-01T10:00:02Z"),                   // 5 tie with 1
        "{\"metadata\": {\"event_type\": \"order.order_placed\"".into(), // 6 truncated
    ];
    let input = dir.path().join("store.ndjson");
    std::fs::write(&input, lines.join("\n")).unwrap();
    let out = eventbind()
        .args(["replay", "--catalog"])
        .arg(fixtures().join("catalog"))
        .args(["--type", "order.order_cancelled", "--type", "order.order_placed"])
        .args(["--from", "2024-05-01T00:00:00Z", "--to", "2024-06-01T00:00:00Z", "--run-bytes", "1"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let expected: Vec<&str> = [1usize, 0, 4].iter().map(|i| lines[*i].as_str()).collect();
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected, "occurrence order, ties by line; lines as stored");
    let shown = input.display().to_string();
    let problems: Vec<&str> = stderr.lines().collect();
    assert!(problems[0].starts_with(&format!("{shown}:6: truncated JSON")), "{stderr}");
    assert!(problems[1].starts_with(&format!("{shown}:3: order.order_cancelled: /reason: ")), "{stderr}");
    assert!(
        problems[2].starts_with("replayed 3 event(s) of 4 selected; 2 problem(s); 4 sorted run(s) spilled"),
        "{stderr}"
    );
}

/// The occurred_at of an output line, found without parsing the line.
fn occurred_at(line: &str) -> &str {
    let start = line.find("\"occurred_at\":\"").unwrap() + "\"occurred_at\":\"".len();
    &line[start..start + 20]
}

#[test]
fn an_input_four_times_the_address_space_limit_replays_in_order() {
    // The debug binary runs in 48 MiB of address space (measured: it needs more than 40 since it
    // links the schema registry client with its TLS stack, and the store's Arrow and Parquet code).
    const LIMIT_KIB: u64 = 48 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("store.ndjson");
    let mut event = vector("order.order_cancelled/valid_all_fields.json");
    let mut writer = BufWriter::new(std::fs::File::create(&input).unwrap());
    let mut count = 0u64;
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    while writer.get_ref().metadata().unwrap().len() < 4 * LIMIT_KIB * 1024 {
        for _ in 0..1000 {
            // xorshift: times in no order, many of them equal.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let s = state % (28 * 86_400);
            event["metadata"]["occurred_at"] =
                format!("2024-05-{:02}T{:02}:{:02}:{:02}Z", s / 86_400 + 1, s / 3600 % 24, s / 60 % 60, s % 60).into();
            event["order_number"] = format!("ORD-{count}").into();
            serde_json::to_writer(&mut writer, &event).unwrap();
            writer.write_all(b"\n").unwrap();
            count += 1;
        }
        writer.flush().unwrap();
    }
    drop(writer);
    let output = dir.path().join("out.ndjson");
    let status = Command::new("bash")
        .arg("-c")
        .arg(format!("ulimit -v {LIMIT_KIB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_eventbind"))
        .args(["replay", "--catalog"])
        .arg(fixtures().join("catalog"))
        .args(["--run-bytes", "1000000", "--temp-dir"])
        .arg(dir.path())
        .arg("--out")
        .arg(&output)
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(status.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("replayed {count} event(s) of {count} selected; 0 problem(s)")), "{stderr}");
    let reader = BufReader::new(std::fs::File::open(&output).unwrap());
    let (mut n, mut previous) = (0u64, (String::new(), 0u64));
    for line in reader.lines() {
        let line = line.unwrap();
        let number: u64 =
            line.split("\"order_number\":\"ORD-").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        let key = (occurred_at(&line).to_owned(), number);
        assert!(key > previous || n == 0, "{key:?} after {previous:?}: ties keep the input's order");
        previous = key;
        n += 1;
    }
    assert_eq!(n, count);
}
