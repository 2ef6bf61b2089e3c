//! Template sets: the built-in ones compiled into the crate from the repository's `templates/`,
//! and a user's `--templates DIR`, whose `DIR/<lang>/` folders replace files of a built-in
//! language or add a language. Each set has a `language.yaml` naming the files it renders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::lang::manifest::{ManifestLang, Mapping};
use super::lang::{self, LangSpec};
use eventbind_build::diagnostic::{Diagnostic, Error, Location, Result};

/// The built-in templates: (language, file name, text). Compiled in, so the output never depends
/// on the working directory; `templates_dir_matches_the_compiled_list` keeps the list complete.
pub const BUILTIN_FILES: &[(&str, &str, &str)] = &[
    ("go", "language.yaml", include_str!("../langs/go/language.yaml")),
    ("go", "go.mod.hbs", include_str!("../langs/go/go.mod.hbs")),
    ("go", "events.go.hbs", include_str!("../langs/go/events.go.hbs")),
    ("go", "runtime.go.hbs", include_str!("../langs/go/runtime.go.hbs")),
    ("go", "module.go.hbs", include_str!("../langs/go/module.go.hbs")),
    ("go", "header.hbs", include_str!("../langs/go/header.hbs")),
    ("java", "language.yaml", include_str!("../langs/java/language.yaml")),
    ("java", "pom.xml.hbs", include_str!("../langs/java/pom.xml.hbs")),
    ("java", "header.hbs", include_str!("../langs/java/header.hbs")),
    ("java", "Events.java.hbs", include_str!("../langs/java/Events.java.hbs")),
    ("java", "Codec.java.hbs", include_str!("../langs/java/Codec.java.hbs")),
    ("java", "package-info.java.hbs", include_str!("../langs/java/package-info.java.hbs")),
    ("java", "type.java.hbs", include_str!("../langs/java/type.java.hbs")),
    ("java", "Rt.java.hbs", include_str!("../langs/java/Rt.java.hbs")),
    ("java", "Ctx.java.hbs", include_str!("../langs/java/Ctx.java.hbs")),
    ("java", "DataOp.java.hbs", include_str!("../langs/java/DataOp.java.hbs")),
    ("java", "DecodeError.java.hbs", include_str!("../langs/java/DecodeError.java.hbs")),
    ("java", "Event.java.hbs", include_str!("../langs/java/Event.java.hbs")),
    ("java", "EventMetadata.java.hbs", include_str!("../langs/java/EventMetadata.java.hbs")),
    ("java", "EventTypeInfo.java.hbs", include_str!("../langs/java/EventTypeInfo.java.hbs")),
    ("java", "UnknownEvent.java.hbs", include_str!("../langs/java/UnknownEvent.java.hbs")),
    ("java", "UnknownFields.java.hbs", include_str!("../langs/java/UnknownFields.java.hbs")),
    ("python", "language.yaml", include_str!("../langs/python/language.yaml")),
    ("python", "pyproject.toml.hbs", include_str!("../langs/python/pyproject.toml.hbs")),
    ("python", "__init__.py.hbs", include_str!("../langs/python/__init__.py.hbs")),
    ("python", "_runtime.py.hbs", include_str!("../langs/python/_runtime.py.hbs")),
    ("python", "module.py.hbs", include_str!("../langs/python/module.py.hbs")),
    ("python", "header.hbs", include_str!("../langs/python/header.hbs")),
    ("python", "py.typed.hbs", include_str!("../langs/python/py.typed.hbs")),
    ("typescript", "language.yaml", include_str!("../langs/typescript/language.yaml")),
    ("typescript", "package.json.hbs", include_str!("../langs/typescript/package.json.hbs")),
    ("typescript", "tsconfig.json.hbs", include_str!("../langs/typescript/tsconfig.json.hbs")),
    ("typescript", "index.ts.hbs", include_str!("../langs/typescript/index.ts.hbs")),
    ("typescript", "_runtime.ts.hbs", include_str!("../langs/typescript/_runtime.ts.hbs")),
    ("typescript", "module.ts.hbs", include_str!("../langs/typescript/module.ts.hbs")),
    ("typescript", "header.hbs", include_str!("../langs/typescript/header.hbs")),
];

/// One output file of a language: its path (a template itself) and its template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRule {
    pub path: String,
    pub template: String,
    /// `module`: rendered once per module, with `module` in its context; `type`: once per type,
    /// with `module` (without its types) and `type`.
    #[serde(default)]
    pub each: Option<Each>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Each {
    Module,
    Type,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// What this language is, for `--help`-like listings.
    #[serde(default)]
    pub description: String,
    pub files: Vec<FileRule>,
    /// For languages without a built-in mapping: how names and types are spelled.
    #[serde(default)]
    pub mapping: Option<Mapping>,
}

/// A language's templates, ready to render.
#[derive(Debug)]
pub struct TemplateSet {
    pub language: String,
    pub manifest: Manifest,
    /// File name → (text, where it came from: a path, or `<built-in>/lang/file`).
    pub files: BTreeMap<String, (String, PathBuf)>,
}

impl TemplateSet {
    pub fn spec(&self) -> Result<Box<dyn LangSpec>> {
        if let Some(mapping) = &self.manifest.mapping {
            return Ok(Box::new(ManifestLang { name: self.language.clone(), mapping: mapping.clone() }));
        }
        lang::builtin(&self.language).ok_or_else(|| {
            Error::from(
                Diagnostic::new(
                    Location::at(self.origin("language.yaml"), "/mapping"),
                    format!("language `{}` has no built-in mapping and its language.yaml has none", self.language),
                )
                .help("add a `mapping:` section (see fixtures/templates/markdown/language.yaml)"),
            )
        })
    }

    pub fn origin(&self, file: &str) -> PathBuf {
        self.files.get(file).map(|(_, p)| p.clone()).unwrap_or_else(|| PathBuf::from(file))
    }
}

fn builtin_set(language: &str) -> BTreeMap<String, (String, PathBuf)> {
    BUILTIN_FILES
        .iter()
        .filter(|(l, _, _)| *l == language)
        .map(|(l, f, text)| ((*f).to_owned(), ((*text).to_owned(), PathBuf::from(format!("<built-in>/{l}/{f}")))))
        .collect()
}

/// Every file under `dir`, by `/`-separated relative name.
fn read_folder(dir: &Path) -> Result<BTreeMap<String, (String, PathBuf)>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_owned();
            Error::from(Diagnostic::new(Location::file(path), format!("cannot read: {e}")))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).expect("walkdir stays under its root");
        let name = eventbind_build::display_path(rel);
        let text = std::fs::read_to_string(entry.path()).map_err(|e| Error::io(entry.path(), &e))?;
        out.insert(name, (text, entry.path().to_owned()));
    }
    Ok(out)
}

/// Languages available: the built-in ones and the folders of `user_dir`.
pub fn languages(user_dir: Option<&Path>) -> Result<Vec<String>> {
    let mut names: Vec<String> = lang::BUILTIN.iter().map(|s| (*s).to_owned()).collect();
    if let Some(dir) = user_dir {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(dir, &e))?;
            if entry.path().is_dir() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    names.dedup();
    Ok(names)
}

/// Loads `language`'s templates: the built-in set with the user's files laid over it.
pub fn load(language: &str, user_dir: Option<&Path>) -> Result<TemplateSet> {
    let mut files = builtin_set(language);
    let user = user_dir.map(|d| d.join(language)).filter(|d| d.is_dir());
    if let Some(dir) = &user {
        files.extend(read_folder(dir)?);
    }
    if files.is_empty() {
        let known = languages(user_dir)?.join(", ");
        let location = Location::file(user_dir.map_or_else(|| PathBuf::from("--lang"), Path::to_path_buf));
        return Err(Diagnostic::new(location, format!("no templates for language `{language}`"))
            .help(format!("available: rust, {known}; add a language as a folder `<templates dir>/{language}/`"))
            .into());
    }
    let Some((manifest_text, manifest_path)) = files.get("language.yaml").cloned() else {
        let dir = user.unwrap_or_default();
        return Err(Diagnostic::new(Location::file(dir.join("language.yaml")), "missing language.yaml")
            .help("a template folder needs a language.yaml listing its files (see fixtures/templates/markdown)")
            .into());
    };
    let manifest: Manifest = serde_yaml_ng::from_str(&manifest_text).map_err(|e| {
        let mut location = Location::file(&manifest_path);
        location.line_col = e.location().map(|l| (l.line(), l.column()));
        Error::from(Diagnostic::new(location, format!("invalid language.yaml: {e}")).locate_in(&manifest_text))
    })?;
    for (i, rule) in manifest.files.iter().enumerate() {
        if !files.contains_key(&rule.template) {
            return Err(Diagnostic::new(
                Location::at(&manifest_path, format!("/files/{i}/template")),
                format!("template `{}` is not in the folder", rule.template),
            )
            .locate_in(&manifest_text)
            .into());
        }
    }
    Ok(TemplateSet { language: language.to_owned(), manifest, files })
}
