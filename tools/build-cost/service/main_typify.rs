#[allow(dead_code, clippy::all)]
mod events {
    include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
}

fn main() {
    let json = r#"{"device_id":"0f8a3b52-62a4-4f1f-9a3e-6f7b8c2d1e0f","sequence":7,"reported_at":"2026-12-06T10:00:00Z","status":"ok","readings":[{"channel":"t","value":21.5}]}"#;
    let event: events::TelemetryReported = serde_json::from_str(json).unwrap();
    println!("{}", serde_json::to_string(&event).unwrap());
}
