//! Generates the example catalog's bindings under every policy, as a consuming service would.

use eventbind_build::{Config, UnknownFields};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = "../fixtures/catalog";
    Config::new().catalog(catalog).compile()?;
    Config::new().catalog(catalog).unknown_fields(UnknownFields::Preserve).file_name("preserve.rs").compile()?;
    Config::new().catalog(catalog).unknown_fields(UnknownFields::Deny).file_name("deny.rs").compile()?;
    Config::new()
        .catalog(catalog)
        .tolerant_enums(true)
        .type_attribute("order::OrderCancelledReason", "#[derive(Hash, Eq)]")
        .field_attribute("order::OrderCancelled.note", "#[doc = \"Free text from the agent.\"]")
        .file_name("tolerant.rs")
        .compile()?;
    Config::new().catalog(catalog).event_type("order.*").file_name("orders_only.rs").compile()?;
    Config::new().catalog("../fixtures/hostile_names").file_name("hostile.rs").compile()?;
    Ok(())
}
