//! `cargo xtask` acts on the checkout it is run in, even when the binary was
//! built in another checkout that shares the target directory.
//!
//! With a shared target directory (a global `CARGO_TARGET_DIR`, git
//! worktrees), `cargo xtask` in a second checkout may run the binary built in
//! the first; cargo still sets `CARGO_MANIFEST_DIR` to the second checkout's
//! xtask package. This test is that situation: the xtask built from this
//! repository runs with the manifest directory of another checkout.

use std::fs;
use std::path::Path;
use std::process::Command;

fn this_checkout() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// A second checkout: the xtask manifest, the generated crate's manifest
/// and one of this repository's specs (not the other), nothing generated.
fn other_checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for folder in ["xtask", "generated/src", "specs"] {
        fs::create_dir_all(root.join(folder)).unwrap();
    }
    let here = this_checkout();
    for file in ["xtask/Cargo.toml", "generated/Cargo.toml", "specs/twilio_proxy_v1.yaml"] {
        fs::copy(here.join(file), root.join(file)).unwrap();
    }
    dir
}

fn xtask(checkout: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("CARGO_MANIFEST_DIR", checkout.join("xtask"))
        .output()
        .unwrap()
}

#[test]
fn codegen_writes_into_the_checkout_it_is_run_in() {
    let other = other_checkout();
    let root = other.path();
    let ours = fs::read_to_string(this_checkout().join("generated/src/apis/mod.rs")).unwrap();

    // Nothing is generated there yet: `--check` fails, naming its files.
    let check = xtask(root, &["codegen", "--check"]);
    assert!(!check.status.success());
    let said = String::from_utf8_lossy(&check.stderr);
    assert!(said.contains("missing: generated/src/apis/proxy_v1/mod.rs"), "{said}");

    let write = xtask(root, &["codegen"]);
    let said = String::from_utf8_lossy(&write.stdout);
    assert!(write.status.success(), "{said}\n{}", String::from_utf8_lossy(&write.stderr));
    assert!(said.contains("  created: generated/src/apis/proxy_v1/mod.rs"), "{said}");
    // The other checkout has only Proxy; ours keeps both of its APIs.
    let theirs = fs::read_to_string(root.join("generated/src/apis/mod.rs")).unwrap();
    assert!(theirs.contains("pub mod proxy_v1;") && !theirs.contains("conversations_v1"), "{theirs}");
    assert_eq!(fs::read_to_string(this_checkout().join("generated/src/apis/mod.rs")).unwrap(), ours);
    assert!(xtask(root, &["codegen", "--check"]).status.success());
}
