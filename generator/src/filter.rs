//! Selecting event types by name or glob, and types or fields by path, for the build options.
//!
//! The globs are globset's syntax (`*`, `?`, `[a-z]`, `[!x]`, `{a,b}`, `\` escapes), matched
//! here: names and type paths hold no path separators, so `*` and `**` both match any run of
//! characters. globset itself compiled a regex engine into every consumer's build script for
//! these few names (see the README's dependency table).

/// A name or a glob (`order.*`, `*.order_*`); `*` crosses dots.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    /// The pattern with its `{a,b}` groups expanded: it matches if one of these does.
    alternatives: Vec<Vec<Token>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Literal(char),
    /// `?`
    AnyChar,
    /// `*` or `**`
    AnyRun,
    /// `[...]`: inclusive ranges, or all but them.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// Expanding `{a,b}` groups multiplies alternatives; a filter needs nowhere near this many.
const MAX_ALTERNATIVES: usize = 1024;

impl Pattern {
    pub fn new(pattern: &str) -> Result<Pattern, String> {
        let invalid = |why: &str| format!("invalid pattern `{pattern}`: {why}");
        let mut chars = pattern.chars().peekable();
        let alternatives = parse_sequence(&mut chars, 0).map_err(|e| invalid(&e))?;
        Ok(Pattern { source: pattern.to_owned(), alternatives })
    }

    /// The pattern that matches `name` and nothing else.
    pub fn literal(name: &str) -> Pattern {
        Pattern { source: escape(name), alternatives: vec![name.chars().map(Token::Literal).collect()] }
    }

    pub fn matches(&self, name: &str) -> bool {
        let name: Vec<char> = name.chars().collect();
        self.alternatives.iter().any(|tokens| matches(tokens, &name))
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }
}

/// `name` with every glob metacharacter escaped, as globset's `escape` does it.
pub fn escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '?' | '*' | '[' | ']' | '{' | '}' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Parses up to the end, or (inside a group, `depth > 0`) up to an unconsumed `,` or `}`; returns
/// every expansion.
fn parse_sequence(chars: &mut Chars<'_>, depth: usize) -> Result<Vec<Vec<Token>>, String> {
    let mut alternatives: Vec<Vec<Token>> = vec![Vec::new()];
    let push = |alternatives: &mut Vec<Vec<Token>>, token: Token| {
        alternatives.iter_mut().for_each(|a| a.push(token.clone()));
    };
    while let Some(&c) = chars.peek() {
        if depth > 0 && (c == ',' || c == '}') {
            return Ok(alternatives);
        }
        chars.next();
        match c {
            '*' => {
                while chars.next_if_eq(&'*').is_some() {}
                push(&mut alternatives, Token::AnyRun);
            }
            '?' => push(&mut alternatives, Token::AnyChar),
            '[' => push(&mut alternatives, parse_class(chars)?),
            '\\' => match chars.next() {
                Some(escaped) => push(&mut alternatives, Token::Literal(escaped)),
                None => return Err("dangling `\\`".to_owned()),
            },
            '{' => {
                let mut branches = Vec::new();
                loop {
                    branches.extend(parse_sequence(chars, depth + 1)?);
                    match chars.next() {
                        Some(',') => continue,
                        Some('}') => break,
                        _ => return Err("unclosed alternate group; missing `}` (maybe escape `{` with `[{]`?)".into()),
                    }
                }
                if alternatives.len().saturating_mul(branches.len()) > MAX_ALTERNATIVES {
                    return Err(format!("its `{{...}}` groups expand to more than {MAX_ALTERNATIVES} alternatives"));
                }
                alternatives = alternatives
                    .iter()
                    .flat_map(|head| branches.iter().map(move |tail| head.iter().chain(tail).cloned().collect()))
                    .collect();
            }
            '}' => return Err("unopened alternate group; missing `{` (maybe escape `}` with `[}]`?)".into()),
            c => push(&mut alternatives, Token::Literal(c)),
        }
    }
    Ok(alternatives)
}

/// After `[`: the class up to its `]`. A `]` or `-` first in the class is literal, as is a `-`
/// last.
fn parse_class(chars: &mut Chars<'_>) -> Result<Token, String> {
    let negated = chars.next_if(|&c| c == '!' || c == '^').is_some();
    let mut ranges: Vec<(char, char)> = Vec::new();
    let mut first = true;
    let mut in_range = false;
    loop {
        let Some(c) = chars.next() else { return Err("unclosed character class; missing `]`".to_owned()) };
        match c {
            ']' if !first => break,
            '-' if !first && !in_range => in_range = true,
            c => {
                if in_range {
                    let last = ranges.last_mut().expect("a range follows a character");
                    if c < last.0 {
                        return Err(format!("invalid range; `{}` > `{c}`", last.0));
                    }
                    last.1 = c;
                    in_range = false;
                } else {
                    ranges.push((c, c));
                }
            }
        }
        first = false;
    }
    if in_range {
        ranges.push(('-', '-'));
    }
    Ok(Token::Class { negated, ranges })
}

fn matches_one(token: &Token, c: char) -> bool {
    match token {
        Token::Literal(l) => *l == c,
        Token::AnyChar => true,
        Token::Class { negated, ranges } => ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated,
        Token::AnyRun => unreachable!("runs are matched by the caller"),
    }
}

/// Wildcard matching with backtracking to the last `*` only: every other token takes exactly one
/// character, so a later `*` can always absorb what an earlier one would have, and the time is
/// at most tokens × characters.
fn matches(tokens: &[Token], name: &[char]) -> bool {
    let (mut t, mut n) = (0, 0);
    // The last `*` seen and the character position it is matched up to.
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match tokens.get(t) {
            Some(Token::AnyRun) => {
                star = Some((t, n));
                t += 1;
            }
            Some(token) if matches_one(token, name[n]) => {
                t += 1;
                n += 1;
            }
            _ => match star {
                Some((star_t, star_n)) => {
                    star = Some((star_t, star_n + 1));
                    t = star_t + 1;
                    n = star_n + 1;
                }
                None => return false,
            },
        }
    }
    tokens[t..].iter().all(|token| *token == Token::AnyRun)
}

/// Which event types to generate: all, or those matching any of the patterns.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    patterns: Vec<Pattern>,
}

impl Filter {
    pub fn push(&mut self, pattern: Pattern) {
        self.patterns.push(pattern);
    }

    pub fn matches(&self, name: &str) -> bool {
        self.patterns.is_empty() || self.patterns.iter().any(|p| p.matches(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_match(pattern: &str, name: &str) -> bool {
        Pattern::new(pattern).unwrap().matches(name)
    }

    #[test]
    fn stars_and_question_marks_match_as_globset_does() {
        assert!(is_match("order.*", "order.order_placed"));
        assert!(is_match("order.*", "order."));
        assert!(!is_match("order.*", "orders.x"));
        assert!(is_match("*.order_*", "shop.order_placed"));
        assert!(is_match("*", ""));
        assert!(is_match("**", "a.b.c"));
        assert!(is_match("a**b", "a.x.b"));
        assert!(is_match("*a*a*b", "aaaaaaaaab"));
        assert!(!is_match("*a*a*b", "aaaaaaaaa"));
        assert!(is_match("order::*", "order::OrderCancelled"));
        assert!(is_match("order.order_?laced", "order.order_placed"));
        assert!(!is_match("order.order_?laced", "order.order_laced"));
        assert!(is_match("crm.contact", "crm.contact"));
        assert!(!is_match("crm.contact", "crm.contacts"));
        assert!(is_match("dévice.*", "dévice.ünïcode"));
    }

    #[test]
    fn classes_alternatives_and_escapes() {
        assert!(is_match("v[0-9]", "v7"));
        assert!(!is_match("v[0-9]", "vx"));
        assert!(is_match("v[!0-9]", "vx"));
        assert!(is_match("v[^0-9]", "vx"));
        assert!(is_match("[]]", "]"));
        assert!(is_match("[-a]", "-"));
        assert!(is_match("[a-]", "-"));
        assert!(is_match("[*]", "*"));
        assert!(!is_match("[*]", "x"));
        assert!(is_match("{order,crm}.*", "crm.contact"));
        assert!(is_match("{order,crm}.*", "order.x"));
        assert!(!is_match("{order,crm}.*", "device.x"));
        assert!(is_match("a{b,{c,d}e}", "ade"));
        assert!(is_match("a{,b}", "a"));
        assert!(is_match("a,b", "a,b"));
        assert!(is_match(r"order\*", "order*"));
        assert!(!is_match(r"order\*", "order.x"));
        assert!(is_match(r"a\b", "ab"));
    }

    #[test]
    fn invalid_patterns_say_why() {
        let err = |p: &str| Pattern::new(p).unwrap_err();
        assert_eq!(err("order.["), "invalid pattern `order.[`: unclosed character class; missing `]`");
        assert!(err("a{b").contains("unclosed alternate group"), "{}", err("a{b"));
        assert!(err("a}b").contains("unopened alternate group"), "{}", err("a}b"));
        assert!(err("a\\").contains("dangling `\\`"), "{}", err("a\\"));
        assert!(err("[z-a]").contains("invalid range; `z` > `a`"), "{}", err("[z-a]"));
        assert!(err(&"{a,b}".repeat(11)).contains("more than 1024 alternatives"));
    }

    #[test]
    fn literal_patterns_match_only_their_name() {
        let name = "odd.name[1]{x}*?\\";
        let p = Pattern::literal(name);
        assert!(p.matches(name));
        assert!(!p.matches("odd.name1"));
        let escaped = Pattern::new(&escape(name)).unwrap();
        assert!(escaped.matches(name));
        assert!(!escaped.matches("odd.name[1]{x}*?"));
        assert_eq!(p.as_str(), escape(name));
    }
}
