mod events {
    eventbind::include_bindings!();
}

fn main() {
    let json = r#"{"metadata":{"eid":"5b8c3a52-62a4-4f1f-9a3e-6f7b8c2d1e0f","event_type":"payment.refund_issued","occurred_at":"2026-12-06T10:00:00Z"},
        "refundId":"r-1","paymentId":"p-1","issuedAt":"2026-12-06T10:00:00Z","reason":"REFUND_REASON_RETURNED"}"#;
    let event: events::payment::RefundIssued = eventbind::json::from_slice(json.as_bytes()).unwrap();
    println!("{}", serde_json::to_string(&event).unwrap());
}
