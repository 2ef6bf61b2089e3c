//! Arbitrary bytes through the generated decoders of the example catalog: errors are fine,
//! panics are not, and what decodes must encode and decode again to the same value.
#![no_main]

#[allow(dead_code, clippy::all)]
mod bindings {
    eventbind::include_bindings!();
}

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(event) = bindings::AnyEvent::from_json_slice(data) {
        let encoded = eventbind::json::to_vec(&event).expect("a decoded event encodes");
        let again = bindings::AnyEvent::from_json_slice(&encoded).expect("an encoded event decodes");
        // NaN never equals itself; compare the encodings then.
        assert_eq!(eventbind::json::to_vec(&again).unwrap(), encoded);
    }
    let _ = eventbind::json::from_slice::<bindings::audit::LoginAttempt>(data);
});
