//! A user's first build: a small app that sends a Proxy message, built from
//! scratch with `twilio-api` (only `proxy_v1`), beside the same app written
//! by hand on reqwest, serde and chrono with the same TLS (rustls).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::{cargo, write_if_changed};

const GENERATED: &str = r#"use twilio_api::Client;
use twilio_api::proxy_v1::CreateMessageInteraction;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let sent = CreateMessageInteraction::new("KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .body("Your driver is two minutes away")
        .send(&client)
        .await?;
    println!("{:?} at {:?}", sent.sid, sent.date_created);
    Ok(())
}
"#;

/// The same call by hand: the fields an app reads, typed.
const BY_HAND: &str = r#"use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct MessageInteraction {
    sid: Option<String>,
    date_created: Option<chrono::DateTime<chrono::Utc>>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let account = std::env::var("TWILIO_ACCOUNT_SID")?;
    let token = std::env::var("TWILIO_AUTH_TOKEN")?;
    let url = "https://proxy.twilio.com/v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sessions/KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Participants/KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/MessageInteractions";
    let response = reqwest::Client::new()
        .post(url)
        .basic_auth(&account, Some(&token))
        .form(&[("Body", "Your driver is two minutes away")])
        .send()
        .await?
        .error_for_status()?;
    let sent: MessageInteraction = serde_json::from_slice(&response.bytes().await?)?;
    println!("{:?} at {:?}", sent.sid, sent.date_created);
    Ok(())
}
"#;

const BY_HAND_DEPENDENCIES: &str = r#"reqwest = { version = "0.13", default-features = false, features = ["rustls", "http2", "form"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
chrono = { version = "0.4", default-features = false, features = ["std", "serde"] }
"#;

const TOKIO: &str = r#"tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
"#;

fn write_app(dir: &Path, name: &str, dependencies: &str, source: &str) -> Result<PathBuf> {
    let manifest = format!("[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependencies}{TOKIO}\n[workspace]\n");
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(&dir.join("src/main.rs"), source)?;
    Ok(dir.to_owned())
}

/// The app written by hand, in `dir`.
pub fn by_hand(dir: &Path) -> Result<PathBuf> {
    write_app(dir, "first-build-by-hand", BY_HAND_DEPENDENCIES, BY_HAND)
}

/// The app on `tree`'s `twilio-api`, in `dir`.
pub fn generated_app(dir: &Path, tree: &Path) -> Result<PathBuf> {
    let crate_manifest = fs::read_to_string(tree.join("generated/Cargo.toml"))?;
    // Trees from before the TLS features had rustls always on.
    let tls = if crate_manifest.lines().any(|l| l.starts_with("rustls = [")) { ", \"rustls\"" } else { "" };
    let dependency = format!(
        "twilio-api = {{ path = {:?}, default-features = false, features = [\"proxy_v1\"{tls}] }}\n",
        tree.join("generated").to_string_lossy()
    );
    write_app(dir, "first-build-generated", &dependency, GENERATED)
}

/// `cargo build` of `app` from scratch (debug, its own target folder, the
/// dependency versions of this workspace's lock file): the time, and how
/// many crates were compiled.
pub fn build(root: &Path, app: &Path) -> Result<(Duration, usize)> {
    let target = app.join("target");
    let _ = fs::remove_dir_all(&target);
    fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).context("copying Cargo.lock")?;
    let began = Instant::now();
    let output = Command::new(cargo())
        .args(["build", "--manifest-path"])
        .arg(app.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        // As a user's first build: cargo's own defaults.
        .env_remove("CARGO_INCREMENTAL")
        .env_remove("RUSTFLAGS")
        .output()?;
    let took = began.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("building {} failed:\n{stderr}", app.display());
    }
    let crates = stderr.lines().filter(|l| l.trim_start().starts_with("Compiling ")).count();
    Ok((took, crates))
}

/// The crates `app` builds that `other` does not, by name.
pub fn only_in(app: &Path, other: &Path) -> Result<Vec<String>> {
    let names = |app: &Path| -> Result<BTreeSet<String>> {
        let output = Command::new(cargo())
            .args(["tree", "--prefix", "none", "--edges", "normal,build", "--manifest-path"])
            .arg(app.join("Cargo.toml"))
            .output()?;
        if !output.status.success() {
            bail!("cargo tree of {} failed: {}", app.display(), String::from_utf8_lossy(&output.stderr));
        }
        Ok(String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .filter(|name| !name.starts_with("first-build"))
            .map(str::to_owned)
            .collect())
    };
    let theirs = names(other)?;
    Ok(names(app)?.into_iter().filter(|name| !theirs.contains(name)).collect())
}
