// A general event's payload sits beside `metadata` at the top level of the document.
#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(name = "payment.payment_changed", category = "general", owning_application = "payments")]
enum PaymentChanged {
    Authorized { payment_id: String },
    Captured { payment_id: String },
}

#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(name = "order.order_number", category = "general", owning_application = "shop")]
struct OrderNumber(String);

#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(name = "order.order_cancelled", category = "general", owning_application = "shop")]
struct OrderCancelled {
    order_number: String,
    metadata: String,
}

#[derive(eventbind::Event)]
#[event(name = "order.union", category = "data", owning_application = "shop")]
union Bits {
    a: u32,
    b: f32,
}

fn main() {}
