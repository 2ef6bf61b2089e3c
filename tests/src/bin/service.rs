//! A consuming service's binary: the bindings included in a private module, as a service's
//! build.rs and `main.rs` include them, and only a few of them used. Under `#![deny(warnings)]`
//! an unused generated item would fail the build, so building this binary is the test
//! (`tests/binary_crate.rs` runs it). It reads one event on stdin and prints its type.
#![deny(warnings)]

mod events {
    eventbind::include_bindings!();
}

/// A second catalog, none of it used.
mod unused {
    eventbind::include_bindings!("repos_relative_ids.rs");
}

fn main() {
    let mut input = Vec::new();
    if let Err(e) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut input) {
        eprintln!("cannot read stdin: {e}");
        std::process::exit(2);
    }
    match events::AnyEvent::from_json_slice(&input) {
        Ok(event) => println!("{}", event.event_type().unwrap_or("unknown")),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
