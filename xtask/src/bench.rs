//! `cargo xtask bench`: the speed figures README.md quotes, measured on this
//! machine and printed next to the reference figures the project aims at.
//!
//! - Generation: the whole corpus (see `corpus.rs`) in memory, with a
//!   release build of the generator, best and median of several runs.
//! - Compile time: `cargo check` of the generated crate with only
//!   `proxy_v1` and `conversations_v1` (the official specs), dependencies
//!   already built, as a maintainer or user rebuilding the crate sees it.
//!
//! - Per-request cost of the generated client against the same requests
//!   written by hand with reqwest (`generated/benches/client.rs`), both
//!   against one local server, side by side in one run.
//!
//! These are measurements, not assertions: the machines are noisy, so nothing
//! here fails on a slow run.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};

use crate::codegen::{self, Mode};
use crate::corpus;

/// Reference figures from the issue that asked for this benchmark, measured
/// on the same kind of machine: progenitor's library generating the corpus,
/// and `cargo check` of progenitor's output for the two specs.
const PROGENITOR_GENERATE: f64 = 3.1;
const PROGENITOR_CHECK: f64 = 10.0;
const GENERATE_RUNS: usize = 5;
const CHECK_RUNS: usize = 3;
const CHECK_FEATURES: &str = "proxy_v1,conversations_v1";

pub fn run(root: &Path) -> Result<()> {
    if cfg!(debug_assertions) {
        // Timing a debug build of the generator would say little; run the
        // same command from a release build instead.
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["run", "--release", "--quiet", "--package", "xtask", "--", "bench"])
            .current_dir(root)
            .status()?;
        if !status.success() {
            bail!("the release build of `xtask bench` failed");
        }
        return Ok(());
    }

    let workspace = corpus::prepare(root, corpus::DEFAULT_VERSION)?;
    codegen::write(&workspace, &codegen::generate(&workspace)?, Mode::Write)?;
    let specs = workspace.join(codegen::SPECS);

    let output = ::codegen::generate(&specs, codegen::SPECS).map_err(|e| anyhow::anyhow!("{e}"))?;
    let spec_count = ::codegen::list_specs(&specs)?.len();
    let lines: usize = output.files.values().map(|text| text.lines().count()).sum();
    let mut runs = Vec::new();
    for _ in 0..GENERATE_RUNS {
        let began = Instant::now();
        let output = ::codegen::generate(&specs, codegen::SPECS).map_err(|e| anyhow::anyhow!("{e}"))?;
        runs.push(began.elapsed());
        std::hint::black_box(output);
    }
    let (best, median) = summary(&mut runs);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());

    let manifest = workspace.join("Cargo.toml");
    let check = |what: &str| -> Result<Duration> {
        let began = Instant::now();
        let status = corpus::cargo(root, &manifest, &["check", "--quiet", "--no-default-features", "--features", CHECK_FEATURES])
            .status()
            .with_context(|| format!("cargo check ({what})"))?;
        if !status.success() {
            bail!("cargo check of {CHECK_FEATURES} failed");
        }
        Ok(began.elapsed())
    };
    check("building dependencies")?;
    let lib = workspace.join("generated/src/lib.rs");
    let mut checks = Vec::new();
    for _ in 0..CHECK_RUNS {
        fs::File::options().write(true).open(&lib)?.set_modified(SystemTime::now())?;
        checks.push(check("timed")?);
    }
    let (check_best, check_median) = summary(&mut checks);

    println!("\nbenchmark ({threads} threads, release build of the generator)\n");
    println!("| measurement | best | median | reference | median / reference |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| generate {spec_count} specs ({lines} lines), {GENERATE_RUNS} runs | {:.2} s | {:.2} s | progenitor {PROGENITOR_GENERATE:.1} s | {:.2} |",
        best.as_secs_f64(),
        median.as_secs_f64(),
        median.as_secs_f64() / PROGENITOR_GENERATE
    );
    println!(
        "| cargo check, {CHECK_FEATURES}, {CHECK_RUNS} runs | {:.2} s | {:.2} s | progenitor {PROGENITOR_CHECK:.1} s | {:.2} |",
        check_best.as_secs_f64(),
        check_median.as_secs_f64(),
        check_median.as_secs_f64() / PROGENITOR_CHECK
    );

    // The client's own cost, in this workspace (the committed proxy_v1).
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo).args(["bench", "--quiet", "-p", "twilio-api", "--bench", "client"]).current_dir(root).status()?;
    if !status.success() {
        bail!("the client benchmark failed");
    }
    Ok(())
}

/// Best and median of `runs`.
fn summary(runs: &mut [Duration]) -> (Duration, Duration) {
    runs.sort();
    (runs[0], runs[runs.len() / 2])
}
