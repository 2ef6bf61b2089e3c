// Partition keys must name fields the payload reads, as serde names them on the wire.
#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[serde(rename_all = "camelCase")]
#[event(
    name = "order.order_cancelled",
    category = "general",
    owning_application = "shop",
    partition_key = ["order_number", "customer", "", "note"]
)]
struct OrderCancelled {
    order_number: String,
    customer_id: String,
    #[serde(skip)]
    note: String,
}

#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(name = "crm.contact", category = "data", owning_application = "crm", partition_key = ["contact_id", "data.email"])]
struct Contact {
    contact_id: String,
}

fn main() {}
