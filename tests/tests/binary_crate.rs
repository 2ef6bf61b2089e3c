//! Bindings included in a private module of a binary crate compile without warnings under
//! `#![deny(warnings)]` (`src/bin/service.rs`, built with this test), and decode there.

use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn a_service_binary_using_few_generated_items_builds_and_decodes() {
    let vector = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/vectors/order.order_cancelled/valid_all_fields.json"
    ))
    .unwrap();
    let vector: serde_json::Value = serde_json::from_slice(&vector).unwrap();
    let input = serde_json::to_vec(&vector["input"]).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_service"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "order.order_cancelled");
}
