//! Rendering a template set: a handlebars registry in strict mode (a misspelt variable is an
//! error, not an empty string) and without HTML escaping (the language mapping escapes every
//! text for its own comments and literals). Every template is also a partial under its name.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use handlebars::{Context, Handlebars};

use super::load::{Each, TemplateSet};
use super::view::{ModuleContext, ModuleWithTypes, PackageView, TypeContext};
use eventbind_build::diagnostic::{Diagnostic, Error, Location, Result};

/// One rendered file, its path relative to the language's output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub path: String,
    pub content: String,
}

fn registry(set: &TemplateSet) -> Result<Handlebars<'static>> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    let mut problems = Vec::new();
    for (name, (text, origin)) in &set.files {
        if !name.ends_with(".hbs") {
            continue;
        }
        if let Err(e) = hb.register_template_string(name, text) {
            let mut location = Location::file(origin);
            location.line_col = e.pos();
            let mut d = Diagnostic::new(location, format!("template syntax: {}", e.reason()));
            if let Some((line, _)) = e.pos() {
                d.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
            }
            problems.push(d);
        }
    }
    if problems.is_empty() {
        Ok(hb)
    } else {
        Err(Error::new(problems))
    }
}

fn render_error(set: &TemplateSet, template: &str, e: &handlebars::RenderError) -> Error {
    let name = e.template_name.clone().unwrap_or_else(|| template.to_owned());
    let mut location = Location::file(set.origin(&name));
    location.line_col = e.line_no.zip(e.column_no);
    Diagnostic::new(location, format!("template rendering failed: {}", e.reason()))
        .help("templates see the view model of eventbind-templates' `view`; strict mode rejects unknown names")
        .into()
}

/// A rendered path must stay inside the output folder.
fn check_path(set: &TemplateSet, template: &str, path: &str) -> Result<()> {
    let p = Path::new(path);
    let inside = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if inside {
        Ok(())
    } else {
        Err(Diagnostic::new(
            Location::file(set.origin("language.yaml")),
            format!("template `{template}` would write `{path}`, outside the language's output folder"),
        )
        .help("paths are relative, without `..`")
        .into())
    }
}

/// Renders every file of `set` for `view`, sorted by path.
pub fn render(set: &TemplateSet, view: &PackageView) -> Result<Vec<RenderedFile>> {
    let mut hb = registry(set)?;
    for (i, rule) in set.manifest.files.iter().enumerate() {
        hb.register_template_string(&format!("path:{i}"), &rule.path).map_err(|e| {
            Error::from(Diagnostic::new(
                Location::at(set.origin("language.yaml"), format!("/files/{i}/path")),
                format!("template syntax in a path: {}", e.reason()),
            ))
        })?;
    }
    // One context per rendering scope, built once: handlebars would otherwise serialize the
    // whole view again for every template it renders.
    let package = Context::wraps(view).expect("the view model always serializes");
    let mut files = Vec::new();
    let mut seen = BTreeSet::new();
    let mut emit = |template: &str, path: String, content: String| -> Result<()> {
        check_path(set, template, &path)?;
        if !seen.insert(path.clone()) {
            return Err(Diagnostic::new(
                Location::file(set.origin("language.yaml")),
                format!("two files would be written to `{path}`"),
            )
            .into());
        }
        files.push(RenderedFile { path, content });
        Ok(())
    };
    for (i, rule) in set.manifest.files.iter().enumerate() {
        let path_template = format!("path:{i}");
        let mut render = |ctx: &Context| -> Result<()> {
            let path =
                hb.render_with_context(&path_template, ctx).map_err(|e| render_error(set, &rule.template, &e))?;
            let content =
                hb.render_with_context(&rule.template, ctx).map_err(|e| render_error(set, &rule.template, &e))?;
            emit(&rule.template, path, content)
        };
        match rule.each {
            None => render(&package)?,
            // Each module's and type's context is built, rendered and dropped in turn, so memory
            // holds one of them at a time, not the whole package as JSON once more.
            Some(Each::Module) => {
                for module in &view.modules {
                    let ctx = Context::wraps(ModuleContext {
                        package: &view.info,
                        module: ModuleWithTypes { module, types: &module.types },
                    })
                    .expect("the view model always serializes");
                    render(&ctx)?;
                }
            }
            Some(Each::Type) => {
                for module in &view.modules {
                    for ty in &module.types {
                        let ctx = Context::wraps(TypeContext { package: &view.info, module, r#type: ty })
                            .expect("the view model always serializes");
                        render(&ctx)?;
                    }
                }
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
