//! URI references as JSON Schema uses them (RFC 3986): resolving a reference against a base URI,
//! comparing URIs, and the `file:` URIs that stand for catalog files.
//!
//! Written here rather than taken from a URI crate because schemas in the wild hold references no
//! strict parser accepts (spaces, `{braces}`, non-ASCII, `..` above the root); these are
//! percent-encoded or clamped as browsers do, never refused.

use std::path::{Path, PathBuf};

/// The five components of a URI reference (RFC 3986, appendix B).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

fn parse(reference: &str) -> Parts<'_> {
    let (rest, fragment) = match reference.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (reference, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    let (scheme, rest) = match rest.find(':') {
        Some(i) if is_scheme(&rest[..i]) => (Some(&rest[..i]), &rest[i + 1..]),
        _ => (None, rest),
    };
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            (Some(&after[..end]), &after[end..])
        }
        None => (None, rest),
    };
    Parts { scheme, authority, path, query, fragment }
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        // One letter is a Windows drive (`C:\…`), not a scheme.
        && s.len() > 1
}

/// Whether `reference` starts with a scheme (`https:`, `urn:`, `file:`): an absolute URI.
pub(crate) fn has_scheme(reference: &str) -> bool {
    parse(reference).scheme.is_some()
}

/// RFC 3986 section 5.2.4, except that `..` above the root stays at the root.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let absolute = path.starts_with('/');
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > usize::from(absolute) {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if absolute && !joined.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

fn merge(base: &Parts<'_>, path: &str) -> String {
    if base.authority.is_some() && base.path.is_empty() {
        return format!("/{path}");
    }
    match base.path.rfind('/') {
        Some(i) => format!("{}{path}", &base.path[..=i]),
        None => path.to_owned(),
    }
}

fn compose(
    scheme: Option<&str>,
    authority: Option<&str>,
    path: &str,
    query: Option<&str>,
    fragment: Option<&str>,
) -> String {
    let mut out = String::new();
    if let Some(s) = scheme {
        out.push_str(s);
        out.push(':');
    }
    if let Some(a) = authority {
        out.push_str("//");
        out.push_str(a);
    }
    out.push_str(path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Resolves `reference` against the absolute URI `base` (RFC 3986 section 5.2.2); the result is
/// normalized ([`normalize`]).
pub(crate) fn resolve(reference: &str, base: &str) -> String {
    let reference = normalize(reference);
    let base = normalize(base);
    let r = parse(&reference);
    let b = parse(&base);
    let resolved = if r.scheme.is_some() {
        compose(r.scheme, r.authority, &remove_dot_segments(r.path), r.query, r.fragment)
    } else if r.authority.is_some() {
        compose(b.scheme, r.authority, &remove_dot_segments(r.path), r.query, r.fragment)
    } else if r.path.is_empty() {
        compose(b.scheme, b.authority, b.path, r.query.or(b.query), r.fragment)
    } else if r.path.starts_with('/') {
        compose(b.scheme, b.authority, &remove_dot_segments(r.path), r.query, r.fragment)
    } else {
        compose(b.scheme, b.authority, &remove_dot_segments(&merge(&b, r.path)), r.query, r.fragment)
    };
    normalize(&resolved)
}

/// The URI without its fragment, and the fragment (percent-decoded; empty when there is none).
pub(crate) fn split_fragment(uri: &str) -> (&str, String) {
    match uri.split_once('#') {
        Some((resource, fragment)) => (resource, percent_decode(fragment)),
        None => (uri, String::new()),
    }
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~".contains(&b)
}

/// Characters a URI may hold as they are (unreserved, reserved and `%`).
fn is_uri_char(b: u8) -> bool {
    is_unreserved(b) || b":/?#[]@!$&'()*+,;=%".contains(&b)
}

/// One spelling per URI, so that equal URIs compare equal: the scheme in lower case, percent
/// escapes of unreserved characters decoded, other escapes in upper case, characters a URI cannot
/// hold (spaces, non-ASCII) escaped, and no empty fragment.
pub(crate) fn normalize(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = String::with_capacity(uri.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            if let Some(v) = uri.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                if is_unreserved(v) {
                    out.push(v as char);
                } else {
                    out.push_str(&format!("%{v:02X}"));
                }
                i += 3;
                continue;
            }
            out.push_str("%25");
        } else if is_uri_char(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
        i += 1;
    }
    if let Some(i) = out.find(':').filter(|&i| is_scheme(&out[..i])) {
        out[..i].make_ascii_lowercase();
    }
    if out.ends_with('#') {
        out.pop();
    }
    out
}

/// Decodes `%XX` escapes; invalid UTF-8 is replaced.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `file:` URI of a path (absolute, `/`-separated), escaped as URIs need.
pub(crate) fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') { text } else { format!("/{text}") };
    let mut out = String::from("file://");
    for b in text.bytes() {
        if is_unreserved(b) || b"/:!$&'()*+,;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    normalize(&out)
}

/// The local path a `file:` URI names: only `file:///path` (no host) does; `file://name` names a
/// host, which is never reached.
pub(crate) fn file_path(uri: &str) -> Option<PathBuf> {
    let parts = parse(uri);
    if parts.scheme? != "file" || parts.authority.is_some_and(|a| !a.is_empty() && a != "localhost") {
        return None;
    }
    let path = percent_decode(parts.path);
    // `file:///C:/x` on Windows.
    let path = match path.strip_prefix('/') {
        Some(rest) if rest.as_bytes().get(1) == Some(&b':') => rest.to_owned(),
        _ => path,
    };
    Some(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_as_rfc_3986_says() {
        let base = "http://a/b/c/d;p?q";
        for (reference, expected) in [
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("g;x=1/../y", "http://a/b/c/y"),
        ] {
            assert_eq!(resolve(reference, base), expected, "{reference}");
        }
    }

    #[test]
    fn relative_ids_resolve_against_the_file() {
        let file = file_uri(Path::new("/cat/orders/created.json"));
        assert_eq!(file, "file:///cat/orders/created.json");
        assert_eq!(resolve("orders$created", &file), "file:///cat/orders/orders$created");
        assert_eq!(resolve("common/user.schema.json", &file), "file:///cat/orders/common/user.schema.json");
        assert_eq!(resolve("%2e%2e/x.json", &file), "file:///cat/x.json");
        assert_eq!(resolve("a b.json#/x y", &file), "file:///cat/orders/a%20b.json#/x%20y");
        assert_eq!(split_fragment("file:///a#/x%20y"), ("file:///a", "/x y".to_owned()));
        assert_eq!(file_path("file:///cat/a%20b.json"), Some(PathBuf::from("/cat/a b.json")));
        assert_eq!(file_path("file://other.schema.json"), None, "a host");
        assert_eq!(resolve("urn:x:y", &file), "urn:x:y");
        assert_eq!(normalize("HTTPS://x/y#"), "https://x/y");
    }
}
