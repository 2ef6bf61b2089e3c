mod events {
    eventbind::include_bindings!();
}

fn main() {
    let json = r#"{"metadata":{"eid":"5b8c3a52-62a4-4f1f-9a3e-6f7b8c2d1e0f","event_type":"device.telemetry_reported","occurred_at":"2026-12-06T10:00:00Z"},
        "device_id":"0f8a3b52-62a4-4f1f-9a3e-6f7b8c2d1e0f","sequence":7,"reported_at":"2026-12-06T10:00:00Z","status":"ok","readings":[{"channel":"t","value":21.5}]}"#;
    let event: events::device::TelemetryReported = eventbind::json::from_slice(json.as_bytes()).unwrap();
    println!("{}", serde_json::to_string(&event).unwrap());
}
