//! Errors about the catalog: each names the file and the place in it, says what is wrong and what
//! would be accepted, and renders like rustc's.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Where in a catalog file something is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file, as the user named it (relative to the working directory or catalog root).
    pub file: PathBuf,
    /// JSON pointer of the value in the file, where known (`/schema/properties/items`).
    pub pointer: Option<String>,
    /// 1-based line and column, where known.
    pub line_col: Option<(usize, usize)>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location { file: file.into(), pointer: None, line_col: None }
    }

    pub fn at(file: impl Into<PathBuf>, pointer: impl Into<String>) -> Self {
        Location { file: file.into(), pointer: Some(pointer.into()), line_col: None }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        if let Some(pointer) = &self.pointer {
            write!(f, " (at {})", if pointer.is_empty() { "the document root" } else { pointer })?;
        }
        Ok(())
    }
}

/// One problem in the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub location: Location,
    pub message: String,
    /// What would be accepted, or how to fix it.
    pub help: Option<String>,
    /// The source line the location points into, for rendering.
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Diagnostic { location, message: message.into(), help: None, source_line: None }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Fills in line, column and the source line from the file's text.
    pub fn locate_in(mut self, text: &str) -> Self {
        if self.location.line_col.is_none() {
            if let Some(pointer) = &self.location.pointer {
                self.location.line_col = crate::source::locate(text, pointer);
            }
        }
        if let Some((line, _)) = self.location.line_col {
            self.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        }
        self
    }

    fn render(&self) -> String {
        self.render_as(Level::ERROR, None)
    }

    /// Renders as a warning: something to fix that changes nothing generated.
    pub fn render_warning(&self) -> String {
        self.render_as(Level::WARNING, None)
    }

    /// Renders at a level other than error, with an optional code (`warning[EB050]: …`), for
    /// lint and compatibility findings.
    pub fn render_as(&self, level: Level<'_>, code: Option<&str>) -> String {
        let title = self.message.to_string();
        let path = self.location.file.display().to_string();
        let mut groups = Vec::new();
        let mut header = level.primary_title(&title);
        if let Some(code) = code {
            header = header.id(code);
        }
        let label =
            self.location.pointer.as_deref().map(|p| if p.is_empty() { "here".to_owned() } else { format!("at {p}") });
        let group = match (&self.source_line, self.location.line_col) {
            (Some(source), Some((line, col))) => {
                let start = source.char_indices().nth(col.saturating_sub(1)).map_or(source.len(), |(i, _)| i);
                let end = start + token_len(&source[start..]);
                let mut annotation = AnnotationKind::Primary.span(start..end.max(start));
                if let Some(label) = &label {
                    annotation = annotation.label(label);
                }
                header.element(Snippet::source(source.as_str()).line_start(line).path(&path).annotation(annotation))
            }
            (_, Some((line, col))) => header
                .element(Snippet::<annotate_snippets::Annotation<'_>>::source("").path(format!("{path}:{line}:{col}"))),
            _ => header.element(Snippet::<annotate_snippets::Annotation<'_>>::source("").path(&path)),
        };
        groups.push(group);
        if self.location.line_col.is_none() {
            if let Some(pointer) = &self.location.pointer {
                groups.push(Group::with_title(Level::NOTE.secondary_title(format!(
                    "at {}",
                    if pointer.is_empty() { "the document root" } else { pointer }
                ))));
            }
        }
        if let Some(help) = &self.help {
            groups.push(Group::with_title(Level::HELP.secondary_title(help)));
        }
        Renderer::plain().render(&groups).to_string()
    }
}

/// The length of the value token at the start of `rest`: a quoted string to its closing quote,
/// otherwise up to the next `,`, `}` or `]` or the end of the line.
fn token_len(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    match chars.next() {
        Some((_, q @ ('"' | '\''))) => {
            let mut escaped = false;
            for (i, c) in chars {
                if c == q && !escaped {
                    return i + c.len_utf8();
                }
                escaped = c == '\\' && !escaped;
            }
            rest.len()
        }
        Some(_) => rest.find([',', '}', ']']).unwrap_or(rest.len()).max(1).min(rest.trim_end().len().max(1)),
        None => 0,
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// Every problem found in one run, reported together so a user fixes them all at once.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(|a, b| a.location.cmp(&b.location).then_with(|| a.message.cmp(&b.message)));
        diagnostics.dedup();
        Error { diagnostics }
    }

    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        Error::new(vec![Diagnostic::new(Location::file(path), format!("cannot access: {err}"))])
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::new(vec![d])
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.diagnostics.len() > 1 {
            write!(f, "\n\n{} errors in the catalog", self.diagnostics.len())?;
        }
        Ok(())
    }
}

// Debug renders the diagnostics too: a build script returning `Result<(), Box<dyn Error>>`
// prints Debug, and the user should see the message, not a struct dump.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
