// typify's documented build.rs use: the schema into a TypeSpace, printed with prettyplease.
fn main() {
    println!("cargo:rerun-if-changed=telemetry.schema.json");
    let text = std::fs::read_to_string("telemetry.schema.json").unwrap();
    let schema: schemars::schema::RootSchema = serde_json::from_str(&text).unwrap();
    let mut types = typify::TypeSpace::new(typify::TypeSpaceSettings::default().with_struct_builder(false));
    types.add_root_schema(schema).unwrap();
    let code = prettyplease::unparse(&syn::parse2::<syn::File>(types.to_stream()).unwrap());
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("codegen.rs");
    std::fs::write(out, code).unwrap();
}
