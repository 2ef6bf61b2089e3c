//! What makes a type an event: the `Event` impl carrying the catalog entry, the data change
//! envelope struct, and the catalog-wide `AnyEvent` that dispatches on `metadata.event_type`.

use proc_macro2::TokenStream;
use quote::quote;

use super::text::{self, Code};
use super::types::{ident, type_ident, type_path};
use crate::catalog::{Category, CompatibilityMode, SchemaFormat};
use crate::ir::{EventIr, Model, TypeRef};

/// `Event` for an event type's struct, as code (see [`super::text`]).
pub fn event_impl(event: &EventIr) -> String {
    let def = &event.def;
    let name = text::id(&type_ident(&event.type_name));
    let category = match def.category {
        Category::General => "General",
        Category::Data => "Data",
        Category::Undefined => "Undefined",
    };
    let mode = match def.compatibility_mode {
        CompatibilityMode::Compatible => "Compatible",
        CompatibilityMode::Forward => "Forward",
        CompatibilityMode::None => "None",
    };
    let format = match def.schema.format {
        SchemaFormat::JsonSchema => "JsonSchema",
        SchemaFormat::Avro => "Avro",
        SchemaFormat::Protobuf => "Protobuf",
    };
    let keys: Vec<String> = def.partition_key_fields.iter().map(|k| text::lit(k)).collect();
    let data_type = match (def.category, &def.data_type) {
        (Category::Data, Some(dt)) => format!("::std::option::Option::Some({})", text::lit(dt)),
        (Category::Data, None) => format!("::std::option::Option::Some({})", text::lit(&def.name)),
        _ => "::std::option::Option::None".to_owned(),
    };
    let mut code = Code::new();
    code.open(format!("impl ::eventbind::Event for {name} {{"))
        .open("const TYPE: ::eventbind::EventTypeInfo = ::eventbind::EventTypeInfo {")
        .line(format!("name: {},", text::lit(&def.name)))
        .line(format!("category: ::eventbind::Category::{category},"))
        .line(format!("schema_version: {},", text::lit(&def.schema.version.to_string())))
        .line(format!("owning_application: {},", text::lit(&def.owning_application)))
        .line(format!("compatibility_mode: ::eventbind::CompatibilityMode::{mode},"))
        .line(format!("partition_key_fields: &[{}],", keys.join(", ")))
        .line(format!("data_type: {data_type},"))
        .line(format!("schema_format: ::eventbind::SchemaFormat::{format},"))
        .line(format!("schema: {},", text::lit(&event.schema_text)))
        .close("};");
    if def.category != Category::Undefined {
        code.open("fn metadata(&self) -> ::std::option::Option<&::eventbind::EventMetadata> {")
            .line("::std::option::Option::Some(&self.metadata)")
            .close("}")
            .open("fn metadata_mut(&mut self) -> ::std::option::Option<&mut ::eventbind::EventMetadata> {")
            .line("::std::option::Option::Some(&mut self.metadata)")
            .close("}");
    }
    code.close("}");
    code.finish()
}

/// `new` for a data change event: fresh metadata and the catalog's `data_type`.
pub fn data_constructor(event: &EventIr, payload: &TokenStream, preserve: bool) -> String {
    let name = text::id(&type_ident(&event.type_name));
    let data_type = event.def.data_type.clone().unwrap_or_else(|| event.def.name.clone());
    let mut code = Code::new();
    code.open(format!("impl {name} {{"))
        .line("/// A new event with fresh metadata (new eid, `occurred_at` now, `event_type` set) and")
        .line("/// the catalog's `data_type`.")
        .open(format!("pub fn new(data_op: ::eventbind::DataOp, data: {}) -> Self {{", text::tokens(payload)))
        .open(format!("{name} {{"))
        .line("metadata: <Self as ::eventbind::Event>::new_metadata(),")
        .line("data_op,")
        .line(format!("data_type: ::std::string::String::from({}),", text::lit(&data_type)))
        .line("data,");
    if preserve {
        code.line("unknown_fields: ::eventbind::UnknownFields::new(),");
    }
    code.close("}").close("}").close("}");
    code.finish()
}

/// The catalog-wide `AnyEvent`. Undefined-category events carry no metadata to dispatch on, so
/// they are not part of it.
pub fn any_event(model: &Model, derive: &TokenStream) -> TokenStream {
    let serde = quote!(__eventbind::serde);
    let json = quote!(__eventbind::serde_json);
    let events: Vec<&EventIr> = model.events.iter().filter(|e| e.def.category != Category::Undefined).collect();
    let variants: Vec<_> = events.iter().map(|e| ident(&e.variant_name)).collect();
    let names: Vec<&str> = events.iter().map(|e| e.def.name.as_str()).collect();
    let paths: Vec<TokenStream> = events
        .iter()
        .map(|e| {
            // A Protobuf event's struct wraps its payload; other general events are their payload.
            let prost = model
                .protobuf
                .as_ref()
                .is_some_and(|p| matches!(&e.payload, TypeRef::Named(id) if p.types.contains(id)));
            let id = match &e.payload {
                TypeRef::Named(id) if e.def.category == Category::General && !prost => Some(*id),
                _ => None,
            };
            match id {
                Some(id) => type_path(model, &[], id),
                None => {
                    let module = e.module.iter().map(|m| ident(m));
                    let name = type_ident(&e.type_name);
                    quote!(#(#module::)* #name)
                }
            }
        })
        .collect();
    let docs = events.iter().map(|e| format!(" `{}`", e.def.name));
    let binary = events.iter().any(|e| e.def.schema.format != crate::catalog::SchemaFormat::JsonSchema);
    let from_message = binary.then(|| super::codecs::any_event_from_message(&events));
    quote! {
        /// Any event of the catalog, decoded by its `metadata.event_type`; events of types this
        /// build does not know are kept as JSON.
        #[allow(clippy::large_enum_variant, dead_code)]
        #derive
        pub enum AnyEvent {
            #(#[doc = #docs] #variants(#paths),)*
            /// An event of a type this build does not know, as received.
            Unknown(#json::Value),
        }

        // A catalog whose event types are all undefined-category has no variants to dispatch to.
        // A binary crate that uses some of these items only must not get dead-code warnings.
        #[allow(dead_code)]
        #[allow(clippy::match_single_binding)]
        impl AnyEvent {
            /// The event types this build knows.
            pub const EVENT_TYPES: &'static [&'static str] = &[#(#names),*];

            /// Decodes an event of any type from JSON: reads `metadata.event_type` first, then
            /// decodes the document as that type.
            pub fn from_json_slice(json: &[u8]) -> ::std::result::Result<Self, ::eventbind::json::DecodeError> {
                let event_type = ::eventbind::json::event_type_of(json)?;
                Self::from_json_slice_as(event_type.as_deref().unwrap_or_default(), json)
            }

            /// Decodes JSON as the given event type (`Unknown` if this build does not know it).
            pub fn from_json_slice_as(event_type: &str, json: &[u8]) -> ::std::result::Result<Self, ::eventbind::json::DecodeError> {
                match event_type {
                    #(#names => ::eventbind::json::from_slice(json).map(AnyEvent::#variants),)*
                    _ => ::eventbind::json::from_slice(json).map(AnyEvent::Unknown),
                }
            }

            /// Decodes an already parsed JSON document.
            pub fn from_json_value(value: &#json::Value) -> ::std::result::Result<Self, ::eventbind::json::DecodeError> {
                let event_type = value.pointer("/metadata/event_type").and_then(#json::Value::as_str).unwrap_or_default();
                match event_type {
                    #(#names => ::eventbind::json::from_value(value).map(AnyEvent::#variants),)*
                    _ => ::std::result::Result::Ok(AnyEvent::Unknown(value.clone())),
                }
            }

            #from_message

            /// The event type's name.
            pub fn event_type(&self) -> ::std::option::Option<&str> {
                match self {
                    #(AnyEvent::#variants(_) => ::std::option::Option::Some(#names),)*
                    AnyEvent::Unknown(value) => value.pointer("/metadata/event_type").and_then(#json::Value::as_str),
                }
            }

            /// The envelope metadata (`None` for an unknown event).
            pub fn metadata(&self) -> ::std::option::Option<&::eventbind::EventMetadata> {
                match self {
                    #(AnyEvent::#variants(event) => ::std::option::Option::Some(&event.metadata),)*
                    AnyEvent::Unknown(_) => ::std::option::Option::None,
                }
            }
        }

        impl ::eventbind::replay::ReplayEvent for AnyEvent {
            fn knows(event_type: &str) -> bool {
                Self::EVENT_TYPES.contains(&event_type)
            }
            fn decode(event_type: &str, json: &[u8]) -> ::std::result::Result<Self, ::eventbind::json::DecodeError> {
                Self::from_json_slice_as(event_type, json)
            }
        }

        #[allow(clippy::match_single_binding)]
        impl #serde::Serialize for AnyEvent {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(AnyEvent::#variants(event) => #serde::Serialize::serialize(event, serializer),)*
                    AnyEvent::Unknown(value) => #serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> #serde::Deserialize<'de> for AnyEvent {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <#json::Value as #serde::Deserialize>::deserialize(deserializer)?;
                AnyEvent::from_json_value(&value).map_err(#serde::de::Error::custom)
            }
        }
    }
}
