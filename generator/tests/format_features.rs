//! Without the `avro` / `protobuf` features, a catalog that needs those front ends is an error
//! naming the event type, the file and the feature to turn on. `cargo test --workspace` unifies
//! the features on, so `.ci/run` runs this file on its own: `cargo test -p eventbind-build --test
//! format_features`.
#![cfg(not(any(feature = "avro", feature = "protobuf")))]

use std::path::Path;

use eventbind_build::Config;

#[test]
fn a_format_whose_front_end_is_off_names_the_event_type_file_and_feature() {
    let catalog = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/catalog"));
    let err = Config::new().catalog(catalog).generate().expect_err("the catalog has Avro and Protobuf event types");
    let text = err.to_string();
    for (format, feature) in [("Avro", "avro"), ("Protobuf", "protobuf")] {
        let line = text
            .lines()
            .find(|l| {
                l.contains(&format!(" {format} schema, and this build of eventbind-build has no {format} front end"))
            })
            .unwrap_or_else(|| panic!("no error for the {format} event types:\n{text}"));
        assert!(line.contains("event type `"), "{line}");
        assert!(text.contains(&format!("turn on the `{feature}` feature")), "{text}");
    }
    assert!(text.contains(".yaml"), "the error names the definition file:\n{text}");
    // The JSON Schema event types alone still generate.
    let json_only = Config::new().catalog(catalog).event_type("order.*").generate();
    assert!(json_only.is_ok(), "{}", json_only.err().map(|e| e.to_string()).unwrap_or_default());
}
