//! Arbitrary bytes as the JSON Schema of a general event, a data event and an undefined one.
#![no_main]

mod pipeline;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for category in ["general", "data", "undefined"] {
        let definition =
            format!("name: fuzz.case\nowning_application: fuzz\ncategory: {category}\nschema:\n  type: json_schema\n  file: schema.json\n");
        pipeline::run(vec![("def.yaml".into(), definition.into_bytes()), ("schema.json".into(), data.to_vec())]);
    }
});
