//! `cargo xtask specs fetch twilio [--version V] [--only a,b,...]`: Twilio's
//! official specs into `specs/`, so that a user generates the whole API
//! with two commands.
//!
//! The specs come from the npm package `@twilio/cli-core` (pinned to
//! [`PINNED_VERSION`] by default), whose tarball is checked against its
//! published `sha512` integrity before anything is unpacked: the pinned
//! version's is written here, another version's is asked of the registry
//! (`npm view`). A spec replaces any spec of ours that becomes the same
//! module (`twilio_proxy_v1.yaml` by `twilio_proxy_v1.json`); files are
//! written only when their bytes differ, so fetching the same version again
//! changes nothing. This repository commits only the specs it writes; the
//! official ones are for users' checkouts (and the corpus).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::layout::SPECS;

const PACKAGE: &str = "@twilio/cli-core";
/// The version fetched unless `--version` says otherwise, and its
/// integrity as the npm registry publishes it.
pub const PINNED_VERSION: &str = "9.0.0";
const PINNED_INTEGRITY: &str = "sha512-FPHm5gXAUwM2oATmQi3AGYPFz4Urg5G5/vDkpUu5WqNuwueQaS93HwXjdX1OM+miuq0LMimdfbXDTLEp4Nsjfg==";
const SPECS_IN_PACKAGE: &str = "package/src/services/twilio-api";

pub struct Options {
    pub version: String,
    /// Modules (`proxy_v1`) or file stems (`twilio_proxy_v1`) to fetch;
    /// empty for all.
    pub only: Vec<String>,
}

/// What a fetch did to `specs/`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Fetched {
    pub written: Vec<String>,
    pub unchanged: Vec<String>,
    /// Our specs that an official one replaced.
    pub replaced: Vec<String>,
}

pub fn run(root: &Path, options: &Options) -> Result<()> {
    let fetched = fetch(root, options)?;
    for name in &fetched.replaced {
        println!("replaced: {SPECS}/{name}");
    }
    for name in &fetched.written {
        println!("written: {SPECS}/{name}");
    }
    println!(
        "{PACKAGE}@{}: {} spec(s) written, {} unchanged, {} of ours replaced; run `cargo xtask codegen` next",
        options.version,
        fetched.written.len(),
        fetched.unchanged.len(),
        fetched.replaced.len()
    );
    Ok(())
}

/// Fetches the specs into `root/specs` (the package is cached under
/// `root/target/specs-fetch/`).
pub fn fetch(root: &Path, options: &Options) -> Result<Fetched> {
    let dir = unpack(root, &options.version)?;
    let mut official: Vec<PathBuf> = fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    official.sort();
    let stem = |p: &Path| p.file_stem().unwrap_or_default().to_string_lossy().into_owned();
    if !options.only.is_empty() {
        let wanted = |p: &Path| options.only.iter().any(|o| *o == stem(p) || *o == codegen::module_name(&stem(p)));
        for name in &options.only {
            if !official.iter().any(|p| *name == stem(p) || *name == codegen::module_name(&stem(p))) {
                bail!("--only: {PACKAGE}@{} has no spec `{name}`", options.version);
            }
        }
        official.retain(|p| wanted(p));
    }
    let specs_dir = root.join(SPECS);
    fs::create_dir_all(&specs_dir)?;
    let ours = codegen::list_specs(&specs_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut fetched = Fetched::default();
    for path in official {
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let module = codegen::module_name(&stem(&path));
        for other in ours.iter().filter(|o| o.file_name() != path.file_name() && codegen::module_name(&stem(o)) == module) {
            fs::remove_file(other)?;
            fetched.replaced.push(other.file_name().unwrap_or_default().to_string_lossy().into_owned());
        }
        let bytes = fs::read(&path)?;
        let target = specs_dir.join(&name);
        if fs::read(&target).is_ok_and(|old| old == bytes) {
            fetched.unchanged.push(name);
        } else {
            fs::write(&target, bytes)?;
            fetched.written.push(name);
        }
    }
    Ok(fetched)
}

/// The package's specs folder, downloaded and checked once per version.
fn unpack(root: &Path, version: &str) -> Result<PathBuf> {
    let dir = root.join("target/specs-fetch").join(format!("cli-core-{version}"));
    let specs = dir.join(SPECS_IN_PACKAGE);
    if specs.is_dir() {
        return Ok(specs);
    }
    let tarball = crate::npm::pack(&dir, PACKAGE, version)?;
    let spec = format!("{PACKAGE}@{version}");
    let expected = match version {
        PINNED_VERSION => PINNED_INTEGRITY.to_owned(),
        _ => published_integrity(&spec)?,
    };
    crate::npm::check_integrity(&tarball, &spec, &expected)?;
    crate::npm::extract(&tarball, &dir, SPECS_IN_PACKAGE)
}

/// The integrity the registry publishes for `spec` (`npm view`).
fn published_integrity(spec: &str) -> Result<String> {
    let output = Command::new("npm").args(["view", spec, "dist.integrity"]).output().context("running `npm view`")?;
    let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if !output.status.success() || !text.starts_with("sha512-") {
        bail!("`npm view {spec} dist.integrity` gave no sha512 integrity");
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_is_npm_s_sha512_in_base64() {
        // `printf abc | openssl dgst -sha512 -binary | base64`
        assert_eq!(
            crate::npm::integrity(b"abc"),
            "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
        );
    }

    #[test]
    fn official_specs_replace_ours_and_a_second_fetch_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // A package already unpacked (as `unpack` leaves it), with two specs.
        let package = root.join("target/specs-fetch/cli-core-1.0.0").join(SPECS_IN_PACKAGE);
        fs::create_dir_all(&package).unwrap();
        fs::write(package.join("twilio_proxy_v1.json"), "{}").unwrap();
        fs::write(package.join("twilio_chat_v2.json"), "{}").unwrap();
        fs::write(package.join("index.js"), "").unwrap();
        fs::create_dir_all(root.join(SPECS)).unwrap();
        fs::write(root.join("specs/twilio_proxy_v1.yaml"), "ours").unwrap();
        fs::write(root.join("specs/shop.yaml"), "ours").unwrap();

        let options = Options { version: "1.0.0".into(), only: vec!["proxy_v1".into()] };
        let first = fetch(root, &options).unwrap();
        assert_eq!(first, Fetched { written: vec!["twilio_proxy_v1.json".into()], unchanged: vec![], replaced: vec!["twilio_proxy_v1.yaml".into()] });
        let mut listed: Vec<String> = fs::read_dir(root.join(SPECS)).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        listed.sort();
        assert_eq!(listed, ["shop.yaml", "twilio_proxy_v1.json"]);
        let again = fetch(root, &options).unwrap();
        assert_eq!(again, Fetched { written: vec![], unchanged: vec!["twilio_proxy_v1.json".into()], replaced: vec![] });

        let all = fetch(root, &Options { version: "1.0.0".into(), only: vec![] }).unwrap();
        assert_eq!(all.written, ["twilio_chat_v2.json"]);
        let error = fetch(root, &Options { version: "1.0.0".into(), only: vec!["nope_v9".into()] }).unwrap_err();
        assert!(error.to_string().contains("has no spec `nope_v9`"), "{error}");
    }
}
