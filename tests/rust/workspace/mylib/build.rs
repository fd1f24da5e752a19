// Build-script output reaches rustc two ways a cache must see: a `--cfg` argument and an
// environment variable that `env!` reads (it shows up as `# env-dep:` in rustc's dep-info).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-check-cfg=cfg(mylib_built)");
    println!("cargo:rustc-cfg=mylib_built");
    println!("cargo:rustc-env=MYLIB_GREETING=hello");
}
