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
