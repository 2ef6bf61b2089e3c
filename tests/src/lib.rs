//! A consumer of generated bindings: the example catalog built through build.rs under each
//! unknown-field policy. `deny(warnings)` holds generated code to the no-warnings promise.
#![deny(warnings)]

/// Default build: unknown fields ignored, closed enums strict.
pub mod ignore {
    eventbind::include_bindings!();
}

/// Unknown fields kept and written back.
pub mod preserve {
    eventbind::include_bindings!("preserve.rs");
}

/// Unknown fields rejected.
pub mod deny {
    eventbind::include_bindings!("deny.rs");
}

/// Closed enums with a catch-all, plus type and field attributes.
pub mod tolerant {
    eventbind::include_bindings!("tolerant.rs");
}

/// Only the `order.*` event types.
pub mod orders_only {
    eventbind::include_bindings!("orders_only.rs");
}

/// `DateTime<Utc>` and `Option<T>` for optional nullable fields, as typify has them (the
/// `fulfilment.*` event types only).
pub mod utc_as_absent {
    eventbind::include_bindings!("utc_as_absent.rs");
}

/// The hostile-names catalog: keywords, collisions, unicode and injection attempts in every text.
pub mod hostile {
    eventbind::include_bindings!("hostile.rs");
}

/// Every proto3 field shape (`fixtures/protobuf_shapes`), for the template languages' conformance.
pub mod protobuf_shapes {
    eventbind::include_bindings!("protobuf_shapes.rs");
}

/// Catalogs shaped like schema repositories (`fixtures/repos`).
pub mod repos {
    pub mod relative_ids {
        eventbind::include_bindings!("repos_relative_ids.rs");
    }
    pub mod url_map {
        eventbind::include_bindings!("repos_url_map.rs");
    }
    pub mod unused_files {
        eventbind::include_bindings!("repos_unused_files.rs");
    }
    pub mod shared_nullable {
        eventbind::include_bindings!("repos_shared_nullable.rs");
    }
    pub mod file_cycle {
        eventbind::include_bindings!("repos_file_cycle.rs");
    }
    pub mod union_members {
        eventbind::include_bindings!("repos_union_members.rs");
    }
    pub mod unresolved_url {
        eventbind::include_bindings!("repos_unresolved_url.rs");
    }
    pub mod avro_shared {
        eventbind::include_bindings!("repos_avro_shared.rs");
    }
}

/// The hostile-input cases that generate (`fixtures/hostile/*/expected.txt` says `ok`), one
/// module per case: names, keywords, collisions and comment terminators must compile.
pub mod hostile_cases {
    include!(concat!(env!("OUT_DIR"), "/hostile_cases.rs"));
}

pub mod vectors;
