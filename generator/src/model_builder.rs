//! Builds the IR: hands out named types, one namer per module, so every front end names types by
//! the same rule.

use std::collections::HashMap;

use crate::ir::{Model, Origin, StructDef, TypeDef, TypeId, TypeKind};
use crate::naming::Namer;

#[derive(Debug, Default)]
pub(crate) struct ModelBuilder {
    pub model: Model,
    namers: HashMap<Vec<String>, Namer>,
}

impl ModelBuilder {
    /// Claims a type name in `module` (the collision rule applies).
    pub fn claim_name(&mut self, module: &[String], candidate: &str) -> String {
        self.namers.entry(module.to_vec()).or_default().claim(candidate, "")
    }

    /// Adds a named type under a name already claimed.
    pub fn add_named(
        &mut self,
        module: &[String],
        name: String,
        origin: Origin,
        doc: Option<String>,
        kind: TypeKind,
    ) -> TypeId {
        let id = TypeId(self.model.types.len());
        self.model.types.push(TypeDef { name, module: module.to_vec(), doc, origin, kind });
        id
    }

    /// Claims a name and adds a type; the kind may be filled in later with [`Self::set`] (for
    /// recursive types, whose fields refer back to the type itself). Only the Avro and Protobuf
    /// front ends use it.
    #[cfg_attr(not(any(feature = "avro", feature = "protobuf")), allow(dead_code))]
    pub fn add(&mut self, module: &[String], candidate: &str, origin: Origin, doc: Option<String>) -> TypeId {
        let name = self.claim_name(module, candidate);
        self.add_named(module, name, origin, doc, TypeKind::Struct(StructDef::default()))
    }

    pub fn set(&mut self, id: TypeId, kind: TypeKind) {
        self.model.types[id.0].kind = kind;
    }
}
