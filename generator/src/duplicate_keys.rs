//! Keys given twice in one mapping of a file that is used. Parsers keep the last value; whether
//! that may pass depends on what the key is:
//!
//! | the key | kind |
//! |---|---|
//! | given twice with equal values | warning |
//! | an annotation of a schema (`$comment`, `description`, `title`, `examples`, `example`, `deprecated`, `readOnly`, `writeOnly`) or a vendor extension (`x-…`, except `x-extensible-enum`) | warning |
//! | anything inside `examples`, `example` or a vendor extension | warning |
//! | a definition's `description` or `docs`, or anything inside `docs` | warning |
//! | a property, pattern or definition name (`properties`, `$defs`, …) | error |
//! | any other keyword (`type`, `$ref`, `enum`, `default`, `required`, `format`, …) or a key inside `enum`, `const` or `default` | error |
//! | any other field of a definition (`name`, `category`, `schema`, …) | error |
//!
//! A warning changes no type and no decoder: documentation keeps the last value. Errors change
//! what is generated, so the catalog must say which value it means. Files no event type reaches
//! are not judged at all.

use crate::catalog::LoadedFile;
use crate::diagnostic::{Diagnostic, Location};
use crate::source::{self, pointer_tokens, Duplicate};

/// How a repeated key is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Severity {
    Warning,
    Error,
}

/// Keywords that document a schema without changing what it accepts or generates.
const ANNOTATIONS: &[&str] =
    &["$comment", "description", "title", "examples", "example", "deprecated", "readOnly", "writeOnly"];

/// Keywords whose value maps names to schemas.
const NAME_MAPS: &[&str] =
    &["properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"];

/// What a mapping in a file is, found by walking down the pointer from the file's root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// An event type definition's top level.
    Definition,
    /// The `schema` block of a definition.
    SchemaBlock,
    Schema,
    /// A mapping from names to schemas (`properties`).
    NameMap,
    /// Data that documents (`examples`, `docs`, vendor extensions).
    Annotation,
    /// Data that decides what is generated (`enum`, `const`, `default`, other fields).
    Data,
}

fn step(context: Context, token: &str) -> Context {
    match context {
        Context::Definition => match token {
            "schema" => Context::SchemaBlock,
            "docs" | "description" => Context::Annotation,
            _ => Context::Data,
        },
        Context::SchemaBlock => match token {
            "schema" => Context::Schema,
            _ => Context::Data,
        },
        Context::Schema => {
            if NAME_MAPS.contains(&token) {
                Context::NameMap
            } else if ANNOTATIONS.contains(&token) || (token.starts_with("x-") && token != "x-extensible-enum") {
                Context::Annotation
            } else if matches!(token, "enum" | "const" | "default" | "x-extensible-enum") {
                Context::Data
            } else {
                // Subschemas (`items`, `not`, `allOf/0`, …) and lists of them.
                Context::Schema
            }
        }
        Context::NameMap => Context::Schema,
        Context::Annotation => Context::Annotation,
        Context::Data => Context::Data,
    }
}

/// How a repeated key is judged, `definition` telling whether its file is an event type
/// definition (whose inline schema is at `/schema/schema`) or a schema file.
pub(crate) fn severity(duplicate: &Duplicate, definition: bool) -> Severity {
    if duplicate.same_value {
        return Severity::Warning;
    }
    let start = if definition { Context::Definition } else { Context::Schema };
    let tokens = pointer_tokens(&duplicate.mapping);
    // Array indexes inside a schema position (`allOf/0`) keep it a schema position.
    let mapping = tokens.iter().fold(start, |context, token| {
        if context == Context::Schema && token.parse::<usize>().is_ok() {
            context
        } else {
            step(context, token)
        }
    });
    match step(mapping, &duplicate.key) {
        Context::Annotation => Severity::Warning,
        _ if mapping == Context::NameMap => Severity::Error,
        _ => Severity::Error,
    }
}

/// The diagnostics of a file's repeated keys, split into errors and warnings. `base` is the
/// pointer of an embedded document's root in the file (its duplicates are placed at the string).
pub(crate) fn judge(
    file: &LoadedFile,
    duplicates: &[Duplicate],
    definition: bool,
    embedded_at: Option<&str>,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for duplicate in duplicates {
        let severity = severity(duplicate, definition && embedded_at.is_none());
        let pointer = duplicate.pointer();
        let d = match embedded_at {
            Some(at) => Diagnostic::new(
                Location::at(&file.shown, at),
                format!("the schema string has a duplicate key `{}` (at {pointer})", duplicate.key),
            )
            .locate_in(&file.text),
            None => {
                let mut location = Location::at(&file.shown, pointer.clone());
                location.line_col = source::locate_occurrence(&file.text, &pointer, 1);
                Diagnostic::new(
                    location,
                    format!("duplicate key `{}`: it is given twice in the same mapping", duplicate.key),
                )
                .locate_in(&file.text)
            }
        };
        match severity {
            Severity::Error => errors.push(d.help(
                "the later value silently replaces the earlier one, and this key changes what is generated: remove or rename one",
            )),
            Severity::Warning => warnings.push(d.help(if duplicate.same_value {
                "both values are equal; remove one"
            } else {
                "the later value is kept; the key changes no type or decoder, so this is a warning"
            })),
        }
    }
    (errors, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(mapping: &str, key: &str, definition: bool) -> Severity {
        severity(&Duplicate { mapping: mapping.into(), key: key.into(), same_value: false }, definition)
    }

    #[test]
    fn annotations_warn_and_keywords_fail() {
        use Severity::{Error, Warning};
        assert_eq!(judged("", "$comment", false), Warning);
        assert_eq!(judged("/properties/a", "description", false), Warning);
        assert_eq!(judged("/properties/a/allOf/0", "title", false), Warning);
        assert_eq!(judged("/properties/a", "x-owner", false), Warning);
        assert_eq!(judged("/properties/a/examples/0", "k", false), Warning);
        assert_eq!(judged("/properties/a", "type", false), Error);
        assert_eq!(judged("/properties", "a", false), Error, "a property given twice");
        assert_eq!(judged("/properties/description", "type", false), Error, "a property named description");
        assert_eq!(judged("/properties", "description", false), Error, "a property named description, twice");
        assert_eq!(judged("/definitions", "X", false), Error);
        assert_eq!(judged("/properties/a/default", "k", false), Error);
        assert_eq!(judged("/properties/a", "x-extensible-enum", false), Error);
        assert_eq!(judged("", "name", true), Error);
        assert_eq!(judged("", "description", true), Warning);
        assert_eq!(judged("/docs", "topic", true), Warning);
        assert_eq!(judged("/schema", "version", true), Error);
        assert_eq!(judged("/schema/schema", "$comment", true), Warning);
        assert_eq!(judged("/schema/schema/properties", "x", true), Error);
        let same = Duplicate { mapping: "/properties".into(), key: "a".into(), same_value: true };
        assert_eq!(severity(&same, false), Warning);
    }
}
