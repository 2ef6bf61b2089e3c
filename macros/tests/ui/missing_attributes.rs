// Without a catalog file, `name`, `category` and `owning_application` are required.
#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
struct NoAttribute {
    a: String,
}

#[derive(serde::Serialize, serde::Deserialize, eventbind::Event)]
#[event(version = "1.0.0")]
struct Incomplete {
    a: String,
}

fn main() {}
