//! What a Rust type looks like on the wire, as far as its spelling tells: `Option<T>`, strings,
//! integers of a width and sign, lists, maps, the chrono/uuid/serde_json types eventbind maps
//! formats to. A type the macro does not know (the user's own) is `Other`: it is checked by its
//! own definition, not here.

use syn::{GenericArgument, PathArguments, Type};

pub enum Shape<'a> {
    Option(&'a Type),
    Str,
    Char,
    SInt(u16),
    UInt(u16),
    Float(u16),
    Bool,
    Uuid,
    DateTime,
    NaiveDateTime,
    Date,
    /// `serde_json::Value`: holds any JSON.
    Value,
    List(&'a Type),
    Map(&'a Type, &'a Type),
    Unit,
    Other,
}

fn type_args(args: &PathArguments) -> Vec<&Type> {
    match args {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub fn shape(ty: &Type) -> Shape<'_> {
    match ty {
        Type::Reference(r) => shape(&r.elem),
        Type::Paren(p) => shape(&p.elem),
        Type::Group(g) => shape(&g.elem),
        Type::Slice(s) => Shape::List(&s.elem),
        Type::Array(a) => Shape::List(&a.elem),
        Type::Tuple(t) if t.elems.is_empty() => Shape::Unit,
        Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else { return Shape::Other };
            let args = type_args(&last.arguments);
            match (last.ident.to_string().as_str(), args.as_slice()) {
                ("Option", [t]) => Shape::Option(t),
                ("Box" | "Arc" | "Rc" | "Cow", [t]) => shape(t),
                ("String" | "str", []) => Shape::Str,
                ("char", []) => Shape::Char,
                ("i8", []) => Shape::SInt(8),
                ("i16", []) => Shape::SInt(16),
                ("i32", []) => Shape::SInt(32),
                ("i64" | "isize", []) => Shape::SInt(64),
                ("i128", []) => Shape::SInt(128),
                ("u8", []) => Shape::UInt(8),
                ("u16", []) => Shape::UInt(16),
                ("u32", []) => Shape::UInt(32),
                ("u64" | "usize", []) => Shape::UInt(64),
                ("u128", []) => Shape::UInt(128),
                ("f32", []) => Shape::Float(32),
                ("f64", []) => Shape::Float(64),
                ("bool", []) => Shape::Bool,
                ("Uuid", []) => Shape::Uuid,
                ("DateTime", _) | ("OffsetDateTime", []) => Shape::DateTime,
                ("NaiveDateTime" | "PrimitiveDateTime", []) => Shape::NaiveDateTime,
                ("NaiveDate", []) => Shape::Date,
                ("Value", []) => Shape::Value,
                ("Vec" | "VecDeque" | "LinkedList" | "HashSet" | "BTreeSet" | "IndexSet", [t, ..]) => Shape::List(t),
                ("HashMap" | "BTreeMap" | "IndexMap" | "Map", [k, v, ..]) => Shape::Map(k, v),
                _ => Shape::Other,
            }
        }
        _ => Shape::Other,
    }
}

/// A type as written, without the token spacing of `quote`'s rendering.
pub fn display(ty: &Type) -> String {
    let text = quote::quote!(#ty).to_string();
    text.replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" ,", ",")
        .replace("& ", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(ty: &str) -> String {
        let ty: Type = syn::parse_str(ty).unwrap();
        match shape(&ty) {
            Shape::Option(_) => "Option",
            Shape::Str => "Str",
            Shape::DateTime => "DateTime",
            Shape::Map(..) => "Map",
            Shape::List(_) => "List",
            Shape::Other => "Other",
            _ => "something else",
        }
        .to_owned()
    }

    #[test]
    fn shapes_of_common_spellings() {
        assert_eq!(of("Option<String>"), "Option");
        assert_eq!(of("std::boxed::Box<str>"), "Str");
        assert_eq!(of("&'a str"), "Str");
        assert_eq!(of("Cow<'a, str>"), "Str");
        assert_eq!(of("chrono::DateTime<chrono::Utc>"), "DateTime");
        assert_eq!(of("::std::collections::BTreeMap<String, i32>"), "Map");
        assert_eq!(of("[u8; 4]"), "List");
        assert_eq!(of("CancelledItem"), "Other");
        assert_eq!(of("(i32, i32)"), "Other");
        let ty: Type = syn::parse_str("::std::vec::Vec<Option<i64>>").unwrap();
        assert_eq!(display(&ty), "::std::vec::Vec<Option<i64>>");
    }
}
