//! Binary encodings of event types: the Avro impl of Avro event types, the envelope structs and
//! Protobuf impl of Protobuf event types (whose payloads prost generates), and the dispatch of
//! `AnyEvent::from_message` by content type and event type.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::ident;
use crate::catalog::{Category, SchemaFormat};
use crate::ir::EventIr;

/// `AvroEvent` for an Avro event type: its embedded (self-contained) schema, parsed once.
pub fn avro_impl(event: &EventIr) -> TokenStream {
    let name = ident(&event.type_name);
    quote! {
        impl ::eventbind::avro::AvroEvent for #name {
            fn avro_schema() -> &'static ::eventbind::avro::Schema {
                static SCHEMA: ::std::sync::OnceLock<::eventbind::avro::Schema> = ::std::sync::OnceLock::new();
                SCHEMA.get_or_init(|| ::eventbind::avro::parse_embedded(<Self as ::eventbind::Event>::TYPE.schema))
            }
        }
    }
}

/// The struct of a general or undefined Protobuf event type around its prost payload, with its
/// JSON form: the payload's proto3 JSON fields beside `metadata` (general) or alone (undefined).
pub fn proto_envelope(event: &EventIr, payload: &TokenStream, attrs: &[TokenStream]) -> TokenStream {
    let name = ident(&event.type_name);
    let serde = quote!(__eventbind::serde);
    if event.def.category == Category::General {
        quote! {
            #(#attrs)*
            pub struct #name {
                /// Envelope metadata: eid, occurred_at, event_type, flow_id, …
                pub metadata: ::eventbind::EventMetadata,
                /// The payload, a prost message; in the JSON form its fields sit beside `metadata`.
                pub payload: #payload,
            }

            impl #serde::Serialize for #name {
                fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    __eventbind::serialize_general(&self.metadata, &self.payload, serializer)
                }
            }

            impl<'de> #serde::Deserialize<'de> for #name {
                fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let (metadata, payload) = __eventbind::deserialize_general(deserializer)?;
                    ::std::result::Result::Ok(#name { metadata, payload })
                }
            }
        }
    } else {
        quote! {
            #(#attrs)*
            pub struct #name {
                /// The payload, a prost message; the JSON form is the payload's alone.
                pub payload: #payload,
            }

            impl #serde::Serialize for #name {
                fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    #serde::Serialize::serialize(&self.payload, serializer)
                }
            }

            impl<'de> #serde::Deserialize<'de> for #name {
                fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    #serde::Deserialize::deserialize(deserializer).map(|payload| #name { payload })
                }
            }
        }
    }
}

/// `ProtobufEvent` for a Protobuf event type.
pub fn proto_impl(event: &EventIr, payload: &TokenStream, preserve: bool) -> TokenStream {
    let name = ident(&event.type_name);
    let message = event.def.schema.message.as_deref().unwrap_or_default().trim_start_matches('.');
    let (field, build) = match event.def.category {
        Category::General => (
            quote!(payload),
            quote!(::eventbind::protobuf::Envelope::General(metadata) => ::std::option::Option::Some(#name { metadata, payload }),),
        ),
        Category::Undefined => (
            quote!(payload),
            quote!(::eventbind::protobuf::Envelope::Undefined => ::std::option::Option::Some(#name { payload }),),
        ),
        Category::Data => {
            let unknown = preserve.then(|| quote!(unknown_fields: ::eventbind::UnknownFields::new(),));
            (
                quote!(data),
                quote! {
                    ::eventbind::protobuf::Envelope::Data { metadata, data_op, data_type } => {
                        ::std::option::Option::Some(#name { metadata, data_op, data_type, data: payload, #unknown })
                    }
                },
            )
        }
    };
    quote! {
        impl ::eventbind::protobuf::ProtobufEvent for #name {
            type Payload = #payload;
            const MESSAGE: &'static str = #message;

            fn payload(&self) -> &Self::Payload {
                &self.#field
            }

            fn from_parts(envelope: ::eventbind::protobuf::Envelope, payload: Self::Payload) -> ::std::option::Option<Self> {
                match envelope {
                    #build
                    _ => ::std::option::Option::None,
                }
            }
        }
    }
}

/// `AnyEvent::from_message`: JSON by the document's own event type, binary payloads by the
/// `eventbind-event-type` header and the codec of the event type's schema format.
pub fn any_event_from_message(events: &[&EventIr]) -> TokenStream {
    let arms = events.iter().map(|e| {
        let (variant, event_name) = (ident(&e.variant_name), e.def.name.as_str());
        match e.def.schema.format {
            SchemaFormat::Avro => {
                quote!(#event_name => ::eventbind::avro::from_message(headers, payload, schemas).map(AnyEvent::#variant),)
            }
            SchemaFormat::Protobuf => {
                quote!(#event_name => ::eventbind::protobuf::from_message(headers, payload, schemas).map(AnyEvent::#variant),)
            }
            SchemaFormat::JsonSchema => {
                quote!(#event_name => ::std::result::Result::Err(::eventbind::codec::unsupported(#event_name, content_type)),)
            }
        }
    });
    quote! {
        /// Decodes a message by its headers: `content-type` says how the payload is encoded (JSON,
        /// Avro, Protobuf, or their schema-registry framings) and, for binary payloads,
        /// `eventbind-event-type` which type it is; the metadata comes from the headers.
        /// `schemas` holds writer schemas other than the ones this build was made from.
        pub fn from_message<N: ::std::convert::AsRef<str>, V: ::std::convert::AsRef<[u8]>>(
            headers: &[(N, V)],
            payload: &[u8],
            schemas: &::eventbind::codec::WriterSchemas,
        ) -> ::std::result::Result<Self, ::eventbind::codec::CodecError> {
            let content_type = ::eventbind::headers::content_type(headers)?;
            if content_type == ::eventbind::headers::ContentType::Json {
                return Self::from_json_slice(payload).map_err(::eventbind::codec::CodecError::from);
            }
            let _ = schemas;
            match ::eventbind::headers::event_type(headers)?.unwrap_or_default() {
                #(#arms)*
                other => ::std::result::Result::Err(::eventbind::codec::unsupported(other, content_type)),
            }
        }
    }
}
