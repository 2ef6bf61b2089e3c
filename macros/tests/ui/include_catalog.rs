// `include_catalog!` errors point at the macro call and name the catalog file.
mod broken {
    eventbind::include_catalog!("broken");
}

mod missing {
    eventbind::include_catalog!("no_such_folder");
}

mod options {
    eventbind::include_catalog!("events", unknown_fields = "keep", colour = "blue");
}

fn main() {}
