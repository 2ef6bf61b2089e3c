//! The decode target fuzzes the bindings generated for the example catalog.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    eventbind_build::Config::new().catalog("../fixtures/catalog").compile()?;
    Ok(())
}
