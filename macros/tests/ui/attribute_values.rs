// Every bad value in one attribute is reported in one compile, each on its own token.
#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(
    name = "order..order_cancelled",
    category = "bussiness",
    version = "1.2",
    owning_application = " ",
    compatibility = "backward"
)]
struct OrderCancelled {
    order_number: String,
}

fn main() {}
