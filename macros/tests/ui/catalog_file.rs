// Problems with the catalog file itself are errors on the `catalog` (or `catalog_root`) value.
#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(catalog = "events/order/order.no_such_event.yaml")]
struct Missing {
    a: String,
}

#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(catalog = "broken/order/order.broken.yaml")]
struct Broken {
    a: String,
}

#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(catalog = "../order.order_cancelled.yaml")]
struct Outside {
    a: String,
}

#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(catalog = "events/order/order.order_cancelled.yaml", catalog_root = "events/device")]
struct WrongRoot {
    a: String,
}

fn main() {}
