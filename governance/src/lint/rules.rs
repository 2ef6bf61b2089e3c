//! The lint rules: stable IDs, names, categories, default severities and what each checks.
//! IDs never change meaning; configuration and inline ignores refer to them (or to names and
//! categories).

use crate::findings::{RuleDoc, Severity};

/// One lint rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub category: &'static str,
    pub severity: Severity,
    pub doc: &'static str,
}

macro_rules! rules {
    ($($id:literal $name:ident $category:ident $severity:ident $doc:literal;)*) => {
        /// Every rule, in ID order.
        pub const RULES: &[Rule] = &[$(Rule {
            id: $id,
            name: stringify!($name),
            category: stringify!($category),
            severity: Severity::$severity,
            doc: $doc,
        },)*];
    };
}

rules! {
    "EB000" CATALOG_INVALID DEFINITION Error "The catalog does not load: a file does not parse, a `$ref` or schema file is missing, a name is defined twice.";
    "EB001" EVENT_TYPE_NAME_PATTERN NAMING Error "Event type names match `[a-zA-Z][-0-9a-zA-Z_]*(\\.[a-zA-Z][-0-9a-zA-Z_]*)*`.";
    "EB002" EVENT_TYPE_NAME_URL_SAFE NAMING Error "Event type names use only URL-safe characters (letters, digits, `-`, `_`, `.`).";
    "EB003" EVENT_TYPE_NAME_LOWERCASE NAMING Warning "Event type names are lowercase words separated by `-`, `_` or `.`.";
    "EB010" REQUIRED_FIELD_MISSING DEFINITION Error "Definitions have `name`, `owning_application`, `category`, `schema.type` and a schema (`schema.schema` or `schema.file`).";
    "EB011" CATEGORY_INVALID DEFINITION Error "`category` is `general`, `business`, `data` or `undefined`.";
    "EB012" DATA_TYPE_INVALID DEFINITION Error "`data_type` is set only on data change events and is a dotted name.";
    "EB013" COMPATIBILITY_MODE_INVALID DEFINITION Error "`compatibility_mode` is `compatible`, `forward` or `none`.";
    "EB014" SCHEMA_VERSION_INVALID DEFINITION Error "`schema.version` is a semantic version (MAJOR.MINOR.PATCH).";
    "EB015" PARTITION_STRATEGY_INVALID DEFINITION Error "`partition_strategy` is `random`, `hash` or `user_defined`.";
    "EB016" SCHEMA_TYPE_INVALID DEFINITION Error "`schema.type` is `json_schema`, `avro_schema` or `protobuf`.";
    "EB020" SCHEMA_KEYWORD_NOT_IN_OPENAPI SCHEMA Warning "Schemas keep to the OpenAPI Schema Object: no `additionalItems`, `contains`, `patternProperties`, `dependencies`, `propertyNames`, `const`, `not` or `oneOf`.";
    "EB021" SCHEMA_ITEMS_NOT_A_SCHEMA SCHEMA Warning "`items` is one schema (OpenAPI has no tuples).";
    "EB022" ADDITIONAL_PROPERTIES_DECLARED SCHEMA Warning "Objects with properties do not declare `additionalProperties` (the guidelines say avoid it; consumers ignore unknown fields anyway). Maps (`additionalProperties` with a schema and no properties) are fine.";
    "EB023" PAYLOAD_ROOT_NOT_OBJECT SCHEMA Error "The payload of a general or data change event is an object.";
    "EB024" METADATA_REDEFINED SCHEMA Error "A general event's payload does not define `metadata`, which the envelope reserves.";
    "EB025" REF_URL_UNRESOLVED SCHEMA Warning "A `$ref` leads to a URL that no catalog file declares and `references: urls:` does not map; eventbind fetches nothing, so the value there is any JSON value.";
    "EB030" PARTITION_KEY_FIELD_UNKNOWN PARTITIONING Error "Every `partition_key_fields` path names a field the schema declares.";
    "EB031" ORDERING_KEY_FIELD_UNKNOWN PARTITIONING Error "Every `ordering_key_fields` path names a field the schema declares.";
    "EB032" DATA_CHANGE_NOT_HASH_PARTITIONED PARTITIONING Warning "Data change events use `partition_strategy: hash` with `partition_key_fields`, keyed by the entity.";
    "EB033" PARTITION_KEY_NOT_ENTITY PARTITIONING Warning "Events are not partitioned by `eid` or a timestamp.";
    "EB040" DOCS_DESCRIPTION_MISSING DOCUMENTATION Warning "The definition has a `description`.";
    "EB041" DOCS_PRODUCERS_MISSING DOCUMENTATION Warning "`docs.producers` lists who publishes the event type.";
    "EB042" DOCS_CONSUMERS_MISSING DOCUMENTATION Warning "`docs.consumers` lists who reads the event type.";
    "EB043" DOCS_TOPIC_MISSING DOCUMENTATION Warning "`docs.topic` names the topic.";
    "EB044" DOCS_ENCODING_MISSING DOCUMENTATION Warning "`docs.encoding` names the encoding (json, avro, protobuf; compression, encryption).";
    "EB050" SENSITIVE_FIELD_NAME PRIVACY Warning "Field names that suggest sensitive personal data (e-mail, phone, IBAN, birth date, …) are flagged unless marked `x-pii`.";
    "EB060" CLOSED_ENUM_IN_EVOLVING_MODE EVOLUTION Warning "In `compatible` and `forward` mode a closed `enum` cannot gain values without a MAJOR change; use `x-extensible-enum`.";
}

/// The rule with this ID or name.
pub fn find(key: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == key || r.name == key)
}

/// The rules' descriptions, for SARIF.
pub fn docs() -> Vec<RuleDoc> {
    RULES
        .iter()
        .map(|r| RuleDoc { code: r.id.into(), name: r.name.into(), description: r.doc.into(), severity: r.severity })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique() {
        for (i, a) in RULES.iter().enumerate() {
            for b in &RULES[i + 1..] {
                assert_ne!(a.id, b.id);
                assert_ne!(a.name, b.name);
            }
        }
        assert_eq!(find("EB050").map(|r| r.name), Some("SENSITIVE_FIELD_NAME"));
        assert_eq!(find("SENSITIVE_FIELD_NAME").map(|r| r.id), Some("EB050"));
    }
}
