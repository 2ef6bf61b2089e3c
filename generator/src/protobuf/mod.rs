//! The Protobuf front end: `.proto` files compiled with protox, the payload message (named by
//! `schema.message`) and everything it reaches lowered to IR. The Rust backend generates the
//! payload types themselves with prost-build and pbjson-build from the same descriptor set.

mod compile;
mod lower;

pub use compile::{compile, Compiled};
pub(crate) use lower::{ProtoLowering, ROOT_MODULE};

use crate::catalog::{Category, EventType};
use crate::diagnostic::{Diagnostic, Location};
use crate::ir::TypeRef;
use crate::json_schema::LoweredPayload;

/// Lowers one Protobuf event type's payload message.
pub(crate) fn lower_event(
    compiled: &Compiled,
    lowering: &mut ProtoLowering<'_>,
    event: &EventType,
) -> Result<LoweredPayload, Diagnostic> {
    let entry = &compiled.entries[&event.name];
    let file = &compiled.files[entry];
    let Some(name) = event.schema.message.as_deref() else {
        return Err(Diagnostic::new(
            Location::at(&event.file, "/schema"),
            "a Protobuf event type must name its payload message",
        )
        .help("add `message: <package>.<Message>` to the schema block"));
    };
    let message = compiled.pool.get_message_by_name(name.trim_start_matches('.')).ok_or_else(|| {
        let declared: Vec<String> = compiled
            .pool
            .get_file_by_name(entry)
            .map(|f| f.messages().map(|m| format!("`{}`", m.full_name())).collect())
            .unwrap_or_default();
        Diagnostic::new(
            Location::at(&event.file, "/schema/message"),
            format!("no message `{name}` in {} or its imports", file.shown.display()),
        )
        .help(if declared.is_empty() {
            "name the message with its package, e.g. `shop.orders.v1.OrderPlaced`".to_owned()
        } else {
            format!("messages declared there: {}", declared.join(", "))
        })
    })?;
    if event.category == Category::General && message.get_field_by_json_name("metadata").is_some() {
        return Err(Diagnostic::new(
            Location::at(&event.file, "/schema/message"),
            format!("`{}` has a field `metadata`, which the general envelope reserves", message.full_name()),
        )
        .help("rename the field; event metadata lives in the envelope's `metadata`"));
    }
    // Every type of `google.protobuf` is the runtime's (pbjson-types), none is generated: not
    // only those with a JSON mapping of their own (`SourceContext`, `Api`, descriptor.proto's).
    let payload = lowering.message(&message);
    if !matches!(payload, TypeRef::Named(_)) || message.package_name() == "google.protobuf" {
        return Err(Diagnostic::new(
            Location::at(&event.file, "/schema/message"),
            format!("the payload `{}` is a well-known type, not a message of the catalog", message.full_name()),
        )
        .help("wrap it in a message of your own"));
    }
    Ok(LoweredPayload {
        payload,
        schema_text: file.text.clone(),
        sources: vec![event.file.clone(), file.shown.clone()],
    })
}
