//! The event type a derive describes: what `#[event(...)]` declared (each value checked), and the
//! complete definition the `Event` impl is generated from.

use std::path::PathBuf;

use proc_macro2::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    General,
    Data,
    Undefined,
}

impl Category {
    pub fn parse(s: &str) -> Option<Category> {
        match s {
            "general" | "business" => Some(Category::General),
            "data" => Some(Category::Data),
            "undefined" => Some(Category::Undefined),
            _ => None,
        }
    }

    #[cfg_attr(not(feature = "catalog"), allow(dead_code))] // used in conformance messages
    pub fn as_str(self) -> &'static str {
        match self {
            Category::General => "general",
            Category::Data => "data",
            Category::Undefined => "undefined",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compatibility {
    Compatible,
    Forward,
    None,
}

impl Compatibility {
    pub fn parse(s: &str) -> Option<Compatibility> {
        match s {
            "compatible" => Some(Compatibility::Compatible),
            "forward" => Some(Compatibility::Forward),
            "none" => Some(Compatibility::None),
            _ => None,
        }
    }

    #[cfg_attr(not(feature = "catalog"), allow(dead_code))] // used in conformance messages
    pub fn as_str(self) -> &'static str {
        match self {
            Compatibility::Compatible => "compatible",
            Compatibility::Forward => "forward",
            Compatibility::None => "none",
        }
    }
}

/// A declared value and the span of the literal it was written as.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// The values of `#[event(...)]` that were given and are valid on their own.
#[derive(Debug, Default)]
pub struct Declared {
    pub name: Option<Spanned<String>>,
    pub category: Option<Spanned<Category>>,
    pub data_type: Option<Spanned<String>>,
    pub version: Option<Spanned<String>>,
    pub owning_application: Option<Spanned<String>>,
    pub compatibility: Option<Spanned<Compatibility>>,
    pub partition_key: Option<Spanned<Vec<Spanned<String>>>>,
}

/// Everything the `Event` impl states.
#[derive(Debug, Clone)]
pub struct EventDef {
    pub name: String,
    pub category: Category,
    pub version: String,
    pub owning_application: String,
    pub compatibility: Compatibility,
    pub partition_key: Vec<String>,
    /// Only for data change events; defaults to the name.
    pub data_type: Option<String>,
    /// The payload schema text: the catalog's when the type conforms to a catalog file.
    pub schema: String,
    /// Files read at compile time; the crate must rebuild when they change.
    pub tracked: Vec<PathBuf>,
}

/// `[a-zA-Z][-0-9a-zA-Z_]*(\.[a-zA-Z][-0-9a-zA-Z_]*)*`, the event model's name pattern (the same
/// rule as `eventbind_build::catalog::is_valid_name`, which the plain derive cannot depend on).
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|segment| {
            let mut chars = segment.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn name_pattern_matches_the_catalogs() {
        for ok in ["order.order_cancelled", "device.button-quacked", "a", "A1.b_2"] {
            assert!(super::is_valid_name(ok), "{ok}");
        }
        for bad in ["", "1order", "order..x", "order.", ".x", "ord er", "order/x", "ünï"] {
            assert!(!super::is_valid_name(bad), "{bad}");
        }
    }
}
