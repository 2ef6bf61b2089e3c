// Unknown keys, repeated keys and non-string values are each reported.
#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(
    name = "order.order_cancelled",
    category = "general",
    owning_application = "shop",
    owner = "shop",
    name = "order.other",
    catalog_root = "events"
)]
struct OrderCancelled {
    order_number: String,
}

#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(name = order.order_placed, category = "general", owning_application = "shop")]
struct OrderPlaced {
    order_number: String,
}

fn main() {}
