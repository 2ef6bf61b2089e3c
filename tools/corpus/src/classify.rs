//! Which invalid samples a generated type could reject. A JSON Schema validator (jsonschema, the
//! same crate `eventbind validate` uses) lists why the sample is invalid; the sample counts as
//! type-checkable when every reason is one a type expresses: a wrong JSON type, a missing required
//! property, a string outside an enum, or a malformed `date-time`, `date` or `uuid`. Bounds,
//! patterns, `not`, combinators and closed objects are left to validation (decoders ignore
//! unknown fields by design), so samples broken only that way are not expected to be rejected.

use std::path::PathBuf;

use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::cases::{Case, SchemaAt};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every reason the sample is invalid is one a type expresses.
    TypeCheckable,
    /// At least one reason is a constraint types do not carry.
    ConstraintOnly,
    /// The validator could not be built, or found nothing wrong (formats it does not check).
    Unknown,
}

/// Serves `file://` URIs and the corpus's URL maps from local files; nothing from the network.
struct LocalFiles {
    url_maps: Vec<(String, PathBuf)>,
}

impl jsonschema::Retrieve for LocalFiles {
    fn retrieve(&self, uri: &jsonschema::Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let uri = uri.as_str().trim_end_matches('#');
        let path = match uri.strip_prefix("file://") {
            Some(path) => PathBuf::from(path),
            None => self
                .url_maps
                .iter()
                .find_map(|(prefix, dir)| uri.strip_prefix(prefix.as_str()).map(|rest| dir.join(rest)))
                .ok_or_else(|| format!("`{uri}` is not served locally"))?,
        };
        crate::cases::read_value(&path).ok_or_else(|| format!("cannot read `{}`", path.display()).into())
    }
}

/// The validator of a case's schema; `None` for Avro and Protobuf cases, or when it cannot be
/// built.
pub fn validator(case: &Case) -> Option<jsonschema::Validator> {
    let schema = match &case.schema {
        SchemaAt::File { relative, pointer } => {
            let file = case.root.join(relative).canonicalize().ok()?;
            // A reference to the place keeps `#/definitions/…` references resolving in the file.
            serde_json::json!({ "$ref": format!("file://{}#{pointer}", file.display()) })
        }
        SchemaAt::Inline(value) => value.clone(),
        SchemaAt::Avro(_) | SchemaAt::Proto { .. } => return None,
    };
    let mut options = jsonschema::options();
    if case.corpus.contains("draft4") {
        options = options.with_draft(jsonschema::Draft::Draft4);
    }
    options
        .should_validate_formats(true)
        .with_retriever(LocalFiles { url_maps: case.url_maps.clone() })
        .build(&schema)
        .ok()
}

/// Keywords whose subschemas the generated types do not check.
const UNMODELLED: &[&str] = &[
    "additionalProperties",
    "patternProperties",
    "additionalItems",
    "unevaluatedProperties",
    "unevaluatedItems",
    "prefixItems",
    "propertyNames",
    "dependencies",
    "dependentSchemas",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "anyOf",
    "oneOf",
];

/// Why `sample` is invalid under `validator`.
pub fn classify(validator: &jsonschema::Validator, sample: &Value) -> Verdict {
    let mut any = false;
    for error in validator.iter_errors(sample) {
        any = true;
        // Through a keyword the generated types do not model (unknown fields are ignored by
        // design; tuples, combinators and conditionals are not types of their own).
        let path = error.evaluation_path().as_str();
        let modelled = !UNMODELLED.iter().any(|k| path.split('/').any(|segment| segment == *k))
            && !path.split('/').collect::<Vec<_>>().windows(2).any(|w| w[0] == "items" && w[1].parse::<u32>().is_ok());
        let typed = modelled
            && match error.kind() {
                ValidationErrorKind::Type { .. } | ValidationErrorKind::Required { .. } => true,
                // A closed enum of strings; an enum of other values maps to no enum type.
                ValidationErrorKind::Enum { options } => {
                    error.instance().is_string() && options.as_array().is_some_and(|o| o.iter().all(Value::is_string))
                }
                ValidationErrorKind::Constant { expected_value } => {
                    error.instance().is_string() && expected_value.is_string()
                }
                ValidationErrorKind::Format { format } => matches!(format.as_str(), "date-time" | "date" | "uuid"),
                _ => false,
            };
        if !typed {
            return Verdict::ConstraintOnly;
        }
    }
    if any {
        Verdict::TypeCheckable
    } else {
        Verdict::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn verdict(schema: Value, sample: Value) -> Verdict {
        let case = Case {
            corpus: "test",
            label: "inline".into(),
            schema: SchemaAt::Inline(schema),
            root: PathBuf::from("."),
            url_maps: Vec::new(),
            samples: Vec::new(),
        };
        classify(&validator(&case).expect("the schema compiles"), &sample)
    }

    #[test]
    fn faults_a_type_expresses_are_type_checkable() {
        let schema = json!({
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "n": {"type": "integer", "minimum": 0},
                "color": {"enum": ["red", "green"]},
                "mixed": {"enum": [1, "one"]},
                "extra": {"additionalProperties": {"type": "integer"}}
            }
        });
        let id = "0b6f3a2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
        assert_eq!(verdict(schema.clone(), json!({"id": 5})), Verdict::TypeCheckable, "wrong type");
        assert_eq!(verdict(schema.clone(), json!({})), Verdict::TypeCheckable, "missing required");
        assert_eq!(verdict(schema.clone(), json!({"id": "x"})), Verdict::TypeCheckable, "bad uuid");
        assert_eq!(verdict(schema.clone(), json!({"id": id, "color": "blue"})), Verdict::TypeCheckable);
        assert_eq!(verdict(schema.clone(), json!({"id": id, "n": -1})), Verdict::ConstraintOnly, "a bound");
        assert_eq!(verdict(schema.clone(), json!({"id": id, "mixed": "two"})), Verdict::ConstraintOnly);
        assert_eq!(verdict(schema.clone(), json!({"id": id, "extra": {"a": "b"}})), Verdict::ConstraintOnly);
        assert_eq!(verdict(schema, json!({"id": id})), Verdict::Unknown, "nothing wrong");
    }
}
