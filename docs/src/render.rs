//! Rendering the view model through handlebars: HTML pages (escaped), Markdown pages (not
//! escaped; table cells made safe by the `cell` helper), the stylesheet and the search script.

use std::collections::BTreeMap;
use std::path::PathBuf;

use handlebars::{handlebars_helper, Handlebars};
use serde_json::json;

use super::model::{self, EventPage};

const INDEX_HTML: &str = include_str!("templates/index.html.hbs");
const EVENT_HTML: &str = include_str!("templates/event.html.hbs");
const INDEX_MD: &str = include_str!("templates/index.md.hbs");
const EVENT_MD: &str = include_str!("templates/event.md.hbs");
const STYLE: &str = include_str!("templates/style.css");
const SEARCH: &str = include_str!("templates/search.js");

// A Markdown table cell: pipes escaped, line breaks joined.
handlebars_helper!(cell: |s: str| s.replace('|', "\\|").replace("\r\n", " ").replace('\n', " "));

fn registry(escape: bool) -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    if !escape {
        hb.register_escape_fn(handlebars::no_escape);
    }
    hb.register_helper("cell", Box::new(cell));
    hb
}

/// The search index embedded in the index page: for each event type its facets and the terms a
/// search matches (name, description, owner, every field's path), lowercased.
fn index_json(pages: &[EventPage]) -> String {
    let entries: Vec<_> = pages
        .iter()
        .map(|p| {
            let mut terms = vec![p.name.to_lowercase(), p.description.to_lowercase(), p.owner.to_lowercase()];
            terms.extend(p.fields.iter().map(|f| f.path.to_lowercase()));
            json!({"name": p.name, "page": p.page, "owner": p.owner, "category": p.category, "format": p.format,
                "mode": p.compatibility, "terms": terms})
        })
        .collect();
    // `</` inside a script element would end it.
    serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into()).replace("</", "<\\/")
}

pub(crate) fn render(title: &str, pages: &[EventPage]) -> BTreeMap<PathBuf, String> {
    let html = registry(true);
    let markdown = registry(false);
    let data = json!({
        "title": title,
        "count": pages.len(),
        "groups": model::groups(pages),
        "owners": model::facet(pages, |p| p.owner.clone()),
        "categories": model::facet(pages, |p| p.category.to_owned()),
        "formats": model::facet(pages, |p| p.format.to_owned()),
        "modes": model::facet(pages, |p| p.compatibility.to_owned()),
        "index_json": index_json(pages),
    });
    let mut files = BTreeMap::new();
    // The templates are ours and fixed; a failure is a bug, shown in the page rather than a panic.
    let render = |hb: &Handlebars<'_>, template: &str, data: &serde_json::Value| {
        hb.render_template(template, data).unwrap_or_else(|e| format!("template error: {e}"))
    };
    files.insert(PathBuf::from("index.html"), render(&html, INDEX_HTML, &data));
    files.insert(PathBuf::from("markdown/index.md"), render(&markdown, INDEX_MD, &data));
    for page in pages {
        let value = serde_json::to_value(page).unwrap_or_default();
        files.insert(PathBuf::from(&page.page), render(&html, EVENT_HTML, &value));
        files.insert(PathBuf::from("markdown").join(&page.markdown_page), render(&markdown, EVENT_MD, &value));
    }
    files.insert(PathBuf::from("assets/style.css"), STYLE.to_owned());
    files.insert(PathBuf::from("assets/search.js"), SEARCH.to_owned());
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_compile_and_cells_are_safe() {
        for t in [INDEX_HTML, EVENT_HTML, INDEX_MD, EVENT_MD] {
            handlebars::Template::compile(t).unwrap();
        }
        let hb = registry(false);
        assert_eq!(hb.render_template("{{cell x}}", &json!({"x": "a|b\nc"})).unwrap(), "a\\|b c");
        assert!(!index_json(&[]).contains("</"));
    }
}
