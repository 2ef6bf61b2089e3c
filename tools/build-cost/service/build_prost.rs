// prost-build with protox as the parser (no protoc), as their READMEs show.
fn main() {
    println!("cargo:rerun-if-changed=proto");
    let files = protox::compile(["refund.proto"], ["proto"]).unwrap();
    prost_build::Config::new().compile_fds(files).unwrap();
}
