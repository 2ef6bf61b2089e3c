//! Arbitrary bytes as a definition file and a schema file it may reference.
#![no_main]

mod pipeline;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first NUL splits the input into the definition and the schema file.
    let (definition, schema) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    pipeline::run(vec![("a/def.yaml".into(), definition.to_vec()), ("a/schema.json".into(), schema.to_vec())]);
});
