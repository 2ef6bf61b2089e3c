//! Generates the example catalog's bindings under every policy, as a consuming service would.

use eventbind_build::{Config, DateTimes, OptionalNulls, UnknownFields};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = "../fixtures/catalog";
    Config::new().catalog(catalog).compile()?;
    Config::new().catalog(catalog).unknown_fields(UnknownFields::Preserve).file_name("preserve.rs").compile()?;
    Config::new().catalog(catalog).unknown_fields(UnknownFields::Deny).file_name("deny.rs").compile()?;
    Config::new()
        .catalog(catalog)
        .tolerant_enums(true)
        .type_attribute("order::OrderCancelledReason", "#[derive(Hash, Eq)]")
        .field_attribute("order::OrderCancelled.note", "#[doc = \"Free text from the agent.\"]")
        .file_name("tolerant.rs")
        .compile()?;
    Config::new().catalog(catalog).event_type("order.*").file_name("orders_only.rs").compile()?;
    Config::new()
        .catalog(catalog)
        .event_type("fulfilment.*")
        .date_times(DateTimes::Utc)
        .optional_nulls(OptionalNulls::AsAbsent)
        .file_name("utc_as_absent.rs")
        .compile()?;
    Config::new().catalog("../fixtures/hostile_names").file_name("hostile.rs").compile()?;
    Config::new().catalog("../fixtures/protobuf_shapes/catalog").file_name("protobuf_shapes.rs").compile()?;
    // Catalogs shaped like schema repositories (`fixtures/repos`): relative `$id`s, URL
    // references mapped in the catalog's eventbind.yaml, unused broken files, URLs nothing maps,
    // Avro named types shared by several event types.
    let repos = [
        "relative_ids",
        "url_map",
        "unused_files",
        "shared_nullable",
        "file_cycle",
        "union_members",
        "unresolved_url",
        "avro_shared",
    ];
    for case in repos {
        Config::new().catalog(format!("../fixtures/repos/{case}")).file_name(format!("repos_{case}.rs")).compile()?;
    }
    hostile_cases()?;
    Ok(())
}

/// Every hostile-input fixture case expected to generate is compiled too, one module each
/// (`src/lib.rs`: `hostile_cases`). Cases expanded from a recipe (huge inputs) are only parsed, by
/// `generator/tests/hostile_fixtures.rs`.
fn hostile_cases() -> Result<(), Box<dyn std::error::Error>> {
    let folder = std::path::Path::new("../fixtures/hostile");
    println!("cargo:rerun-if-changed={}", folder.display());
    let mut cases: Vec<_> = std::fs::read_dir(folder)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    cases.sort();
    let mut modules = String::new();
    for case in cases.iter().filter(|c| c.is_dir() && !c.join("recipe.yaml").exists()) {
        let expected = std::fs::read_to_string(case.join("expected.txt"))?;
        println!("cargo:rerun-if-changed={}", case.join("expected.txt").display());
        if expected.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')) != Some("ok") {
            continue;
        }
        let name = case.file_name().and_then(|n| n.to_str()).ok_or("case folder names are identifiers")?;
        let file = format!("hostile_{name}.rs");
        Config::new().catalog(case).file_name(&file).compile()?;
        modules.push_str(&format!("pub mod {name} {{\n    eventbind::include_bindings!(\"{file}\");\n}}\n"));
    }
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("hostile_cases.rs");
    if std::fs::read_to_string(&out).ok().as_deref() != Some(modules.as_str()) {
        std::fs::write(out, modules)?;
    }
    Ok(())
}
