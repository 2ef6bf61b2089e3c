//! The registry's data: schemas with their type and references, registered versions,
//! compatibility levels and the answer of a compatibility check.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A schema's language, the registry's `schemaType` (absent means Avro).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SchemaType {
    #[default]
    Avro,
    Json,
    Protobuf,
}

impl SchemaType {
    /// The registry's name: `AVRO`, `JSON`, `PROTOBUF`.
    pub fn as_str(self) -> &'static str {
        match self {
            SchemaType::Avro => "AVRO",
            SchemaType::Json => "JSON",
            SchemaType::Protobuf => "PROTOBUF",
        }
    }
}

impl fmt::Display for SchemaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A schema that another one refers to: `name` is how the referring schema names it (an Avro
/// full name, a Protobuf import path, a JSON Schema `$ref` URL), `subject` and `version` where it
/// is registered.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reference {
    pub name: String,
    pub subject: String,
    pub version: i32,
}

/// A schema as sent to the registry: its text, language and references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    #[serde(rename = "schemaType", default, skip_serializing_if = "is_avro")]
    pub schema_type: SchemaType,
    pub schema: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

fn is_avro(t: &SchemaType) -> bool {
    *t == SchemaType::Avro
}

impl Schema {
    /// A schema of `schema_type` with no references.
    pub fn new(schema_type: SchemaType, schema: impl Into<String>) -> Schema {
        Schema { schema_type, schema: schema.into(), references: Vec::new() }
    }

    /// An Avro schema.
    pub fn avro(schema: impl Into<String>) -> Schema {
        Schema::new(SchemaType::Avro, schema)
    }

    /// A JSON Schema.
    pub fn json(schema: impl Into<String>) -> Schema {
        Schema::new(SchemaType::Json, schema)
    }

    /// A Protobuf file.
    pub fn protobuf(schema: impl Into<String>) -> Schema {
        Schema::new(SchemaType::Protobuf, schema)
    }

    /// The schema with `reference` added.
    pub fn with_reference(mut self, name: impl Into<String>, subject: impl Into<String>, version: i32) -> Schema {
        self.references.push(Reference { name: name.into(), subject: subject.into(), version });
        self
    }
}

/// A version of a subject, as the registry holds it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RegisteredSchema {
    pub subject: String,
    /// The schema's global id (what framed payloads carry).
    pub id: u32,
    /// The version within the subject, from 1.
    pub version: i32,
    #[serde(flatten)]
    pub schema: Schema,
}

/// A subject's version to read or check against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Latest,
    Number(i32),
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Latest => f.write_str("latest"),
            Version::Number(n) => write!(f, "{n}"),
        }
    }
}

impl From<i32> for Version {
    fn from(n: i32) -> Version {
        Version::Number(n)
    }
}

/// A compatibility level (`/config`): which earlier versions a new one is checked against, and in
/// which direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Compatibility {
    None,
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
}

impl Compatibility {
    pub const ALL: [Compatibility; 7] = [
        Compatibility::None,
        Compatibility::Backward,
        Compatibility::BackwardTransitive,
        Compatibility::Forward,
        Compatibility::ForwardTransitive,
        Compatibility::Full,
        Compatibility::FullTransitive,
    ];

    /// The registry's name, e.g. `BACKWARD_TRANSITIVE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Compatibility::None => "NONE",
            Compatibility::Backward => "BACKWARD",
            Compatibility::BackwardTransitive => "BACKWARD_TRANSITIVE",
            Compatibility::Forward => "FORWARD",
            Compatibility::ForwardTransitive => "FORWARD_TRANSITIVE",
            Compatibility::Full => "FULL",
            Compatibility::FullTransitive => "FULL_TRANSITIVE",
        }
    }
}

impl fmt::Display for Compatibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is no compatibility level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCompatibility(pub String);

impl fmt::Display for UnknownCompatibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Compatibility::ALL.iter().map(|c| c.as_str()).collect();
        write!(f, "`{}` is not a compatibility level (one of {})", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownCompatibility {}

impl FromStr for Compatibility {
    type Err = UnknownCompatibility;
    fn from_str(s: &str) -> Result<Compatibility, UnknownCompatibility> {
        Compatibility::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownCompatibility(s.to_owned()))
    }
}

impl Serialize for Compatibility {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Compatibility {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Compatibility, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// The registry's answer to a compatibility check.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CompatibilityCheck {
    pub is_compatible: bool,
    /// Why not, when asked with `verbose` (the registry's own wording).
    #[serde(default)]
    pub messages: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_serialize_as_the_registry_expects() {
        let avro = Schema::avro(r#""string""#);
        assert_eq!(serde_json::to_string(&avro).unwrap(), r#"{"schema":"\"string\""}"#);
        let proto = Schema::protobuf("syntax = \"proto3\";").with_reference("a.proto", "a", 2);
        assert_eq!(
            serde_json::to_value(&proto).unwrap(),
            serde_json::json!({"schemaType": "PROTOBUF", "schema": "syntax = \"proto3\";",
                               "references": [{"name": "a.proto", "subject": "a", "version": 2}]})
        );
        let back: RegisteredSchema =
            serde_json::from_str(r#"{"subject": "s", "id": 3, "version": 1, "schema": "{}", "schemaType": "JSON"}"#)
                .unwrap();
        assert_eq!(back.schema, Schema::json("{}"));
    }

    #[test]
    fn compatibility_levels_parse_by_name_in_any_case() {
        for level in Compatibility::ALL {
            assert_eq!(level.as_str().parse::<Compatibility>().unwrap(), level);
            assert_eq!(level.as_str().to_lowercase().parse::<Compatibility>().unwrap(), level);
        }
        let err = "SIDEWAYS".parse::<Compatibility>().unwrap_err().to_string();
        assert!(err.contains("`SIDEWAYS` is not a compatibility level") && err.contains("FULL_TRANSITIVE"), "{err}");
    }
}
