//! Records the compiler's version for the User-Agent header
//! (`twilio-api/0.1.0 (linux x86_64) rust/1.85.0`). It asks the compiler
//! cargo builds with (`$RUSTC --version`), and runs again only when this file
//! or the compiler changes, not when the generated code does.

use std::process::Command;

fn main() {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        // `rustc 1.85.0 (4d91de4e4 2025-02-17)`
        .and_then(|text| text.split_whitespace().nth(1).map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=TWILIO_API_RUSTC_VERSION={version}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");
}
