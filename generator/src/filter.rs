//! Selecting event types by name or glob, and types or fields by path, for the build options.

use globset::{Glob, GlobMatcher};

/// A name or a glob (`order.*`, `*.order_*`); `*` crosses dots.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    matcher: GlobMatcher,
}

impl Pattern {
    pub fn new(pattern: &str) -> Result<Pattern, String> {
        let glob = Glob::new(pattern).map_err(|e| format!("invalid pattern `{pattern}`: {e}"))?;
        Ok(Pattern { source: pattern.to_owned(), matcher: glob.compile_matcher() })
    }

    pub fn matches(&self, name: &str) -> bool {
        self.matcher.is_match(name)
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }
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
