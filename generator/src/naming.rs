//! The one collision rule for every name the IR decides, and the case conversions into it.
//!
//! Two names collide when they are equal after dropping case and everything but letters and
//! digits (`fooBar`, `foo_bar` and `FooBar` collide), since some target language will case them
//! alike. The later one gets the smallest free numeric suffix (`foo_bar_2`).

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Hands out unique names within one scope (a module's types, a struct's fields, an enum's values).
#[derive(Debug, Default, Clone)]
pub struct Namer {
    taken: HashSet<String>,
}

fn collision_key(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

impl Namer {
    pub fn new() -> Self {
        Namer::default()
    }

    /// Claims `candidate`, or `candidate` + `sep` + the smallest free number from 2.
    pub fn claim(&mut self, candidate: &str, sep: &str) -> String {
        if self.taken.insert(collision_key(candidate)) {
            return candidate.to_owned();
        }
        (2..)
            .map(|n| format!("{candidate}{sep}{n}"))
            .find(|name| self.taken.insert(collision_key(name)))
            .expect("an unbounded range always has a free name")
    }

    /// Marks a name as taken without claiming it (names an envelope reserves).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(collision_key(name));
    }
}

/// Keeps ASCII letters and digits; other characters become word breaks, so that every target
/// language can use the result as an identifier after its own casing.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            // Non-ASCII letters keep their identity as a code point word: `ü` → `u00fc`.
            out.push_str(&format!(" u{:04x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

/// An UpperCamelCase type or variant name; never empty, never starting with a digit.
pub fn type_name(raw: &str) -> String {
    let name = ascii_words(raw).to_upper_camel_case();
    match name.chars().next() {
        None => "Unnamed".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("V{name}"),
        Some(_) => name,
    }
}

/// A snake_case field or module name; never empty, never starting with a digit.
pub fn field_name(raw: &str) -> String {
    let name = ascii_words(raw).to_snake_case();
    match name.chars().next() {
        None => "field".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("n{name}"),
        Some(_) => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collisions_after_case_conversion_get_suffixes() {
        let mut namer = Namer::new();
        let names: Vec<String> =
            ["fooBar", "foo_bar", "FooBar", "foo_bar_2"].iter().map(|raw| namer.claim(&field_name(raw), "_")).collect();
        assert_eq!(names, ["foo_bar", "foo_bar_2", "foo_bar_3", "foo_bar_2_2"]);
    }

    #[test]
    fn names_are_identifiers() {
        assert_eq!(type_name("button-quacked"), "ButtonQuacked");
        assert_eq!(type_name("2fa"), "V2fa");
        assert_eq!(type_name(""), "Unnamed");
        assert_eq!(type_name("§§"), "Unnamed");
        assert_eq!(field_name("postalCode"), "postal_code");
        assert_eq!(field_name("1st"), "n1st");
        assert_eq!(field_name("Zoë"), "zo_u00eb");
        assert_eq!(field_name("@type"), "type");
    }
}
