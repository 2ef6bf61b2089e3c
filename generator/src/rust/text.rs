//! Pre-formatted Rust for the serde and `Event` impls of generated types.
//!
//! Declarations (structs and enums with their docs and user attributes) go through tokens and
//! prettyplease. The impls around them follow a handful of fixed shapes and make up about three
//! quarters of the output; building them as tokens, parsing them back with syn and printing them
//! with prettyplease cost most of the generation time (and most of its allocations), so they are
//! written here directly, already in rustfmt's layout: one statement, arm or element per line,
//! four spaces per level. Names and literals are still spelled by `proc_macro2`, so escaping
//! rules are the compiler's.

use std::fmt::Write as _;

use proc_macro2::{Delimiter, Ident, Spacing, TokenStream, TokenTree};

/// Lines of code at an indentation level.
#[derive(Debug, Default)]
pub struct Code {
    out: String,
    indent: usize,
}

impl Code {
    pub fn new() -> Self {
        Code::default()
    }

    /// One line at the current level.
    pub fn line(&mut self, text: impl AsRef<str>) -> &mut Self {
        let text = text.as_ref();
        if !text.is_empty() {
            for _ in 0..self.indent {
                self.out.push_str("    ");
            }
        }
        self.out.push_str(text);
        self.out.push('\n');
        self
    }

    /// A line that opens a block: what follows is one level deeper.
    pub fn open(&mut self, text: impl AsRef<str>) -> &mut Self {
        self.line(text);
        self.indent += 1;
        self
    }

    /// One level deeper, without a line (the body after a signature that spans lines).
    pub fn indent(&mut self) -> &mut Self {
        self.indent += 1;
        self
    }

    /// A line that closes a block, one level shallower.
    pub fn close(&mut self, text: impl AsRef<str>) -> &mut Self {
        self.indent = self.indent.saturating_sub(1);
        self.line(text)
    }

    /// The standard `impl` signature lines of serde's traits for `name`.
    pub fn serialize_fn(&mut self, name: &str) -> &mut Self {
        self.open(format!("impl __eventbind::serde::Serialize for {name} {{"))
            .open("fn serialize<S: __eventbind::serde::Serializer>(")
            .line("&self,")
            .line("serializer: S,")
            .close(") -> ::std::result::Result<S::Ok, S::Error> {")
            .indent()
    }

    pub fn deserialize_fn(&mut self, name: &str) -> &mut Self {
        self.open(format!("impl<'de> __eventbind::serde::Deserialize<'de> for {name} {{"))
            .open("fn deserialize<D: __eventbind::serde::Deserializer<'de>>(")
            .line("deserializer: D,")
            .close(") -> ::std::result::Result<Self, D::Error> {")
            .indent()
    }

    /// Closes a method and its impl.
    pub fn end_fn(&mut self) -> &mut Self {
        self.close("}").close("}")
    }

    /// `items` one per line between `open` and `close` (e.g. `&[` … `];`).
    pub fn list<I: IntoIterator<Item = S>, S: AsRef<str>>(&mut self, open: &str, items: I, close: &str) -> &mut Self {
        self.open(open);
        for item in items {
            self.line(format!("{},", item.as_ref()));
        }
        self.close(close)
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// A string literal holding exactly `text`, escaped as the compiler's own literals are.
pub fn lit(text: &str) -> String {
    // proc_macro2's escaping (`Literal::string`), without building a token for it.
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            // `\0` followed by an octal digit would read as an octal escape to a reader.
            '\0' if chars.as_str().starts_with(|n: char| ('0'..='7').contains(&n)) => out.push_str("\\x00"),
            _ => out.extend(c.escape_debug()),
        }
    }
    out.push('"');
    out
}

/// An identifier as written (`r#type` for raw ones).
pub fn id(ident: &Ident) -> String {
    ident.to_string()
}

/// An attribute as a line: `#[doc = "…"]` as a `///` comment (as prettyplease prints it), any
/// other attribute as its tokens.
pub fn attr(attribute: &TokenStream) -> String {
    let mut trees = attribute.clone().into_iter();
    if let (Some(TokenTree::Punct(hash)), Some(TokenTree::Group(group)), None) =
        (trees.next(), trees.next(), trees.next())
    {
        let inner: Vec<TokenTree> = group.stream().into_iter().collect();
        if let ('#', Delimiter::Bracket, [TokenTree::Ident(name), TokenTree::Punct(eq), TokenTree::Literal(literal)]) =
            (hash.as_char(), group.delimiter(), inner.as_slice())
        {
            if name == "doc" && eq.as_char() == '=' {
                if let syn::Lit::Str(text) = syn::Lit::new(literal.clone()) {
                    let text = text.value();
                    if !text.contains('\n') && !text.starts_with('/') {
                        return format!("///{}", text.trim_end_matches(' '));
                    }
                }
            }
        }
    }
    tokens(attribute)
}

/// A short token stream (a type or a small expression) as code: no spaces around `::`, `<`,
/// `>` or inside brackets, a space after a comma and between two words.
pub fn tokens(stream: &TokenStream) -> String {
    let mut out = String::new();
    write_tokens(stream.clone(), &mut out);
    out
}

fn write_tokens(stream: TokenStream, out: &mut String) {
    // Whether the last token written was a word (identifier or literal), or a punctuation that
    // a following word must be separated from.
    let mut word_before = false;
    for tree in stream {
        match tree {
            TokenTree::Ident(ident) => {
                if word_before {
                    out.push(' ');
                }
                let _ = write!(out, "{ident}");
                word_before = true;
            }
            TokenTree::Literal(literal) => {
                if word_before {
                    out.push(' ');
                }
                let _ = write!(out, "{literal}");
                word_before = true;
            }
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                if c == '=' && punct.spacing() == Spacing::Alone {
                    out.push_str(" = ");
                    word_before = false;
                    continue;
                }
                out.push(c);
                if c == ',' {
                    out.push(' ');
                }
                // A lifetime's quote joins the name after it; other punctuation does too.
                word_before = false;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_tokens(group.stream(), out);
                let trimmed = out.trim_end_matches(' ').len();
                out.truncate(trimmed);
                out.push_str(close);
                word_before = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn tokens_read_like_code() {
        assert_eq!(tokens(&quote!(::std::string::String::from("EUR"))), "::std::string::String::from(\"EUR\")");
        assert_eq!(
            tokens(&quote!(::std::option::Option<__eventbind::chrono::DateTime<__eventbind::chrono::Utc>>)),
            "::std::option::Option<__eventbind::chrono::DateTime<__eventbind::chrono::Utc>>"
        );
        assert_eq!(tokens(&quote!(-5i64)), "-5i64");
        assert_eq!(tokens(&quote!(&'static str)), "&'static str");
        assert_eq!(tokens(&quote!(super::super::r#type::Foo)), "super::super::r#type::Foo");
        assert_eq!(
            tokens(&quote!(::std::collections::BTreeMap<::std::string::String, i64>)),
            "::std::collections::BTreeMap<::std::string::String, i64>"
        );
    }

    #[test]
    fn attributes_read_like_code() {
        assert_eq!(attr(&quote!(#[doc = " A \"quoted\" text  "])), "/// A \"quoted\" text");
        assert_eq!(attr(&quote!(#[doc = ""])), "///");
        assert_eq!(attr(&quote!(#[derive(Debug, Clone, PartialEq)])), "#[derive(Debug, Clone, PartialEq)]");
        assert_eq!(attr(&quote!(#[serde(rename = "x")])), "#[serde(rename = \"x\")]");
    }

    #[test]
    fn literals_are_escaped() {
        assert_eq!(lit("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        for text in ["it's", "\0", "\x001", "\t\r\u{7f}\u{1b}", "é\u{301}x", "\u{301}", "\u{2028}", "🦆", "~ {}"] {
            assert_eq!(lit(text), proc_macro2::Literal::string(text).to_string(), "{text:?}");
        }
    }

    #[test]
    fn blocks_indent() {
        let mut code = Code::new();
        code.open("fn f() {").line("x();").line("").close("}");
        assert_eq!(code.finish(), "fn f() {\n    x();\n\n}\n");
    }
}
