//! The docs' field table shows what the generated types hold: the keys an object declares beyond
//! its properties (`additionalProperties`, `patternProperties`) and unsigned integers.

use std::path::Path;

use eventbind_docs as docs;

#[test]
fn declared_keys_beyond_the_properties_and_unsigned_integers_have_rows() {
    let site = docs::build(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/catalog"))).unwrap();
    let page = site.pages.iter().find(|p| p.name == "fulfilment.picking_plan_created").expect("the page");
    let row = |path: &str| {
        page.fields.iter().find(|r| r.path == path).unwrap_or_else(|| {
            panic!("no row {path}; rows: {:?}", page.fields.iter().map(|r| &r.path).collect::<Vec<_>>())
        })
    };
    assert_eq!(row("scanner_sequence").ty, "integer (uint64)");
    assert_eq!(row("wave").ty, "integer (uint32)");
    let other_slots = row("slots.*");
    assert!(other_slots.constraints.iter().any(|c| c.contains("additionalProperties")), "{other_slots:?}");
    // The map's value type is expanded like a field's.
    row("slots.*.order_number");
    let labels = row("labels.^x-");
    assert_eq!(labels.ty, "string");
    assert!(labels.constraints.iter().any(|c| c.contains("patternProperties")), "{labels:?}");
    // The Markdown page lists them too.
    let markdown = site.files.iter().find(|(p, _)| p.ends_with(&page.markdown_page)).map(|(_, c)| c).unwrap();
    assert!(markdown.contains("slots.*"), "{markdown}");
}
