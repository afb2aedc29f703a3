//! Records the compiler version for the User-Agent header
//! (`twilio-api/0.1.0 (linux x86_64) rust/1.85.0`).

fn main() {
    let version = rustc_version::version().map(|v| v.to_string()).unwrap_or_else(|_| "unknown".to_owned());
    println!("cargo:rustc-env=TWILIO_API_RUSTC_VERSION={version}");
    println!("cargo:rerun-if-changed=build.rs");
}
