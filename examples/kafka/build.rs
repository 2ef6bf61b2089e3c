//! Bindings of both versions of the example catalog: producers are built from the newer one,
//! the consumer from the older one (a service that has not been rebuilt since).

use eventbind_build::Config;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    Config::new().catalog("catalog/v1").file_name("v1.rs").compile()?;
    Config::new().catalog("catalog/v2").file_name("v2.rs").compile()?;
    Ok(())
}
