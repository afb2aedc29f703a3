//! Packages from npm, where the official specs are published.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// Downloads `package@version` into `dir` with `npm pack` (which checks the
/// download against the registry's integrity); returns the tarball's path.
pub fn pack(dir: &Path, package: &str, version: &str) -> Result<PathBuf> {
    fs::create_dir_all(dir)?;
    let spec = format!("{package}@{version}");
    eprintln!("fetching {spec} with npm pack");
    let output = Command::new("npm")
        .args(["pack", &spec, "--silent", "--pack-destination"])
        .arg(dir)
        .stderr(Stdio::inherit())
        .output()
        .context("running `npm pack` (is npm installed?)")?;
    if !output.status.success() {
        bail!("`npm pack {spec}` failed");
    }
    Ok(dir.join(String::from_utf8_lossy(&output.stdout).lines().last().unwrap_or_default().trim()))
}

/// Unpacks `tarball` into `dir` and returns `dir/wanted`, which it must hold.
pub fn extract(tarball: &Path, dir: &Path, wanted: &str) -> Result<PathBuf> {
    let status = Command::new("tar").arg("xzf").arg(tarball).arg("-C").arg(dir).status()?;
    let path = dir.join(wanted);
    if !status.success() || !path.exists() {
        bail!("{} has no {wanted}", tarball.display());
    }
    Ok(path)
}

/// Fails, removing the tarball, unless its integrity is `expected` (npm's
/// `sha512-<base64>` form); `spec` names the package in the message.
pub fn check_integrity(tarball: &Path, spec: &str, expected: &str) -> Result<()> {
    let actual = integrity(&fs::read(tarball)?);
    if actual != expected {
        fs::remove_file(tarball)?;
        bail!("{spec}: the tarball's integrity is {actual}, but {expected} was expected; nothing was unpacked");
    }
    Ok(())
}

/// `sha512-<base64>`, as npm writes integrity.
pub fn integrity(bytes: &[u8]) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    format!("sha512-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha512::digest(bytes)))
}
