//! typify over a folder of payload schemas: one module per schema, in one file.
fn main() {
    let mut args = std::env::args().skip(1);
    let (dir, out) = (args.next().expect("SCHEMAS"), args.next().expect("OUT"));
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let mut code = String::new();
    let start = std::time::Instant::now();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let schema: schemars::schema::RootSchema = serde_json::from_str(&text).unwrap();
        let mut types = typify::TypeSpace::new(typify::TypeSpaceSettings::default().with_struct_builder(false));
        types.add_root_schema(schema).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = syn::parse2::<syn::File>(types.to_stream()).unwrap();
        let name = path.file_stem().unwrap().to_str().unwrap();
        code.push_str(&format!("pub mod {name} {{\n{}}}\n", prettyplease::unparse(&file)));
    }
    std::fs::write(&out, code).unwrap();
    eprintln!("typify: {} schemas in {:.1} s", paths.len(), start.elapsed().as_secs_f64());
}
