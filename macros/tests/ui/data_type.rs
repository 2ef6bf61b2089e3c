// `data_type` belongs to data change events only, and must be a dotted entity name.
#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(name = "order.order_cancelled", category = "general", owning_application = "shop", data_type = "sales_order.order")]
struct OrderCancelled {
    order_number: String,
}

#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(name = "crm.contact", category = "data", owning_application = "crm", data_type = "contact entity")]
struct Contact {
    contact_id: String,
}

fn main() {}
