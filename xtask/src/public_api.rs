//! `cargo xtask public-api [--check]`: the hand-written public API of
//! `twilio-api` (the runtime, webhooks, Access Tokens, test utilities), one
//! item per line, pinned in [`SNAPSHOT`].
//!
//! Everything public is semver surface; `cargo xtask changes` covers what
//! is generated from the specs, this covers the rest. A change to it is a
//! diff of the snapshot in review, and the test below fails until the
//! snapshot is rewritten (`cargo xtask public-api`).
//!
//! The list comes from rustdoc's JSON output through the `public-api`
//! crate. Stable rustdoc writes that format only when told that unstable
//! options are allowed (`RUSTC_BOOTSTRAP=1`, for this one command, in a
//! target directory of its own); the format's version must be the one
//! `public-api`'s `rustdoc-types` reads, or this fails saying so.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The pinned list, relative to the workspace root.
pub const SNAPSHOT: &str = "generated/public-api.txt";

/// Every hand-written feature and no API: generated modules are the change
/// report's, and with no API feature on they are empty.
const FEATURES: &str = "rustls,webhook,access-token,test-util";

pub fn run(root: &Path, check: bool) -> Result<()> {
    let current = list(root)?;
    let pinned = fs::read_to_string(root.join(SNAPSHOT)).unwrap_or_default();
    if current == pinned {
        println!("public API unchanged ({} items)", current.lines().count());
        return Ok(());
    }
    if check {
        bail!("the public API differs from {SNAPSHOT}:\n{}\nrun `cargo xtask public-api` and review the diff", difference(&pinned, &current));
    }
    fs::write(root.join(SNAPSHOT), &current)?;
    println!("{SNAPSHOT} rewritten:\n{}", difference(&pinned, &current));
    Ok(())
}

/// The public items of `twilio-api`, one per line, sorted.
pub fn list(root: &Path) -> Result<String> {
    let target = root.join("target/public-api");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["rustdoc", "--quiet", "--package", "twilio-api", "--lib", "--no-default-features", "--features", FEATURES])
        .arg("--target-dir")
        .arg(&target)
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTDOCFLAGS")
        .current_dir(root)
        .status()
        .context("running cargo rustdoc")?;
    if !status.success() {
        bail!("cargo rustdoc for twilio-api's JSON failed");
    }
    let json = target.join("doc/twilio_api.json");
    let api = public_api::Builder::from_rustdoc_json(&json)
        .omit_blanket_impls(true)
        .omit_auto_trait_impls(true)
        .build()
        .with_context(|| format!("reading {} (is this toolchain's rustdoc JSON format the one public-api reads?)", json.display()))?;
    let mut lines: Vec<String> = api.items().map(|item| item.to_string()).collect();
    lines.sort();
    lines.dedup();
    Ok(lines.iter().map(|l| format!("{l}\n")).collect())
}

/// Lines only in `old` (`-`) and only in `new` (`+`).
fn difference(old: &str, new: &str) -> String {
    let old_lines: std::collections::BTreeSet<&str> = old.lines().collect();
    let new_lines: std::collections::BTreeSet<&str> = new.lines().collect();
    let gone = old_lines.difference(&new_lines).map(|l| format!("- {l}"));
    let added = new_lines.difference(&old_lines).map(|l| format!("+ {l}"));
    gone.chain(added).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    /// Plain `cargo test` fails when the public API changed without its
    /// snapshot.
    #[test]
    fn the_public_api_is_as_pinned() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        super::run(root, true).unwrap();
    }
}
