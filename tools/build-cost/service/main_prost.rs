use prost::Message;

#[allow(dead_code)]
mod events {
    include!(concat!(env!("OUT_DIR"), "/shop.payment.v1.rs"));
}

fn main() {
    let refund = events::RefundIssued { refund_id: "r-1".into(), payment_id: "p-1".into(), ..Default::default() };
    let bytes = refund.encode_to_vec();
    let back = events::RefundIssued::decode(bytes.as_slice()).unwrap();
    let metadata = eventbind::EventMetadata::new("payment.refund_issued");
    println!("{} {:?}", back.refund_id, metadata.event_type);
}
