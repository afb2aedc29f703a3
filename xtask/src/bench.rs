//! `cargo xtask bench [--baseline <git-ref>] [--runs N] [--no-client]`: what
//! the generated code costs, measured side by side against a baseline commit
//! in one run, and printed as ratios.
//!
//! Both the baseline (a git worktree of the ref under `target/bench/`) and
//! the working tree generate Twilio's official specs (the corpus, see
//! `corpus.rs`) with their own generator, through a small driver program
//! built against each tree's `codegen` crate. Each output goes into a scratch
//! workspace with that tree's runtime, and is compiled the same way:
//!
//! - generated lines;
//! - generation of every spec, in memory, release build, median of runs;
//! - `cargo check --all-features` of the generated crate from scratch
//!   (dependencies built, `CARGO_INCREMENTAL=0`), as a user's first build
//!   sees it: time and the compiler's peak memory;
//! - the same for `proxy_v1` and `conversations_v1` alone;
//! - generation of GitHub's spec alone, and for both corpora the floor: only
//!   reading the JSON into `openapiv3::OpenAPI`, as the generator's first
//!   stage must;
//! - a user's first build: a small app sending a Proxy message with
//!   `twilio-api` (`proxy_v1` only) built from scratch (`cargo build`, debug),
//!   for each tree, beside the same app written by hand on reqwest, serde and
//!   chrono with the same TLS; time, crates compiled, and the crates only the
//!   generated app needs.
//!
//! Rounds alternate baseline and working tree, so that a noisy machine slows
//! both alike. Then the generated client's own cost per request against
//! hand-written reqwest calls (`generated/benches/client.rs`), one at a time
//! and many in flight, also as ratios. Nothing here asserts a speed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::codegen;
use crate::corpus;
use crate::layout;

mod first_build;

/// `cargo check` of only these, as a user of two APIs builds the crate.
const FEW_FEATURES: &str = "proxy_v1,conversations_v1";

pub struct Options {
    /// The git ref to compare with; by default the last tag, else
    /// `origin/main`, else `HEAD`.
    pub baseline: Option<String>,
    /// Rounds of compile measurements.
    pub runs: usize,
    /// Skip the client benchmark.
    pub client: bool,
}

/// One tree's figures.
#[derive(Default)]
struct Figures {
    lines: usize,
    generate: Vec<Duration>,
    check_all: Vec<Duration>,
    check_all_kb: Vec<u64>,
    check_few: Vec<Duration>,
    /// Only reading the specs (`openapiv3::OpenAPI` from the JSON).
    parse: Vec<Duration>,
    github: Vec<Duration>,
    github_parse: Vec<Duration>,
    /// The small app's first build: time and crates compiled.
    first_build: Vec<Duration>,
    first_build_crates: usize,
}

pub fn run(root: &Path, options: &Options) -> Result<()> {
    if cfg!(debug_assertions) {
        // Timing a debug build of the generator would say little; run the
        // same command from a release build instead.
        let mut args: Vec<String> = ["run", "--release", "--quiet", "--package", "xtask", "--", "bench"].map(String::from).into();
        args.extend(std::env::args().skip(2));
        let status = Command::new(cargo()).args(&args).current_dir(root).status()?;
        if !status.success() {
            bail!("the release build of `xtask bench` failed");
        }
        return Ok(());
    }

    let specs = corpus::fetch(root, corpus::DEFAULT_VERSION)?;
    let github = corpus::fetch_github(root)?;
    let reference = match &options.baseline {
        Some(reference) => reference.clone(),
        None => default_baseline(root)?,
    };
    let commit = git(root, &["rev-parse", "--short", &format!("{reference}^{{commit}}")])?;
    let bench = root.join("target/bench");
    let baseline_tree = worktree(root, &bench.join("baseline-tree"), &commit)?;
    eprintln!("bench: baseline {reference} ({commit}) against the working tree");

    let trees = [("baseline", baseline_tree.as_path()), ("working tree", root)];
    let mut figures = [Figures::default(), Figures::default()];
    let mut workspaces = Vec::new();
    for (i, (label, tree)) in trees.iter().enumerate() {
        let workspace = bench.join(format!("workspace-{i}"));
        let driver = build_driver(root, tree, &bench.join(format!("driver-{i}")), i)?;
        eprintln!("bench: generating with the {label}'s generator");
        generate(&driver, &specs, &workspace, tree, &mut figures[i])?;
        eprintln!("bench: generating GitHub's spec with the {label}'s generator");
        let timings = run_driver(&driver, &github, &bench.join(format!("github-{i}")))?;
        figures[i].github = timings.generate;
        figures[i].github_parse = timings.parse;
        workspaces.push(workspace);
    }
    for round in 0..options.runs {
        for (i, (label, _)) in trees.iter().enumerate() {
            eprintln!("bench: round {}/{}: compiling the {label}'s output from scratch", round + 1, options.runs);
            let manifest = workspaces[i].join("Cargo.toml");
            let (took, kb) = check_from_scratch(root, &manifest, &["--all-features"])?;
            figures[i].check_all.push(took);
            figures[i].check_all_kb.extend(kb);
            let (took, _) = check_from_scratch(root, &manifest, &["--no-default-features", "--features", FEW_FEATURES])?;
            figures[i].check_few.push(took);
        }
    }

    let by_hand = first_build::by_hand(&bench.join("first-build/by-hand"))?;
    let apps: Vec<PathBuf> = trees
        .iter()
        .enumerate()
        .map(|(i, (_, tree))| first_build::generated_app(&bench.join(format!("first-build/generated-{i}")), tree))
        .collect::<Result<_>>()?;
    let mut by_hand_builds = Vec::new();
    let mut by_hand_crates = 0;
    for round in 0..FIRST_BUILD_ROUNDS {
        eprintln!("bench: round {}/{FIRST_BUILD_ROUNDS}: a small app's first build", round + 1);
        for (i, app) in apps.iter().enumerate() {
            let (took, crates) = first_build::build(root, app)?;
            figures[i].first_build.push(took);
            figures[i].first_build_crates = crates;
        }
        let (took, crates) = first_build::build(root, &by_hand)?;
        by_hand_builds.push(took);
        by_hand_crates = crates;
    }

    print_table(&reference, &commit, &figures, options.runs);
    println!("\nA small app's first build (`cargo build`, debug, from scratch; medians of {FIRST_BUILD_ROUNDS} rounds):\n");
    println!("| app | time | crates compiled | time / by hand |");
    println!("|---|---:|---:|---:|");
    let hand = median(&by_hand_builds);
    for (i, (label, _)) in trees.iter().enumerate() {
        let took = median(&figures[i].first_build);
        println!("| twilio-api `proxy_v1`, {label} | {took:.1} s | {} | {:.2} |", figures[i].first_build_crates, took / hand);
    }
    println!("| by hand: reqwest + serde + chrono | {hand:.1} s | {by_hand_crates} | 1.00 |");
    let ours = first_build::only_in(&apps[1], &by_hand)?;
    println!("\nCrates only the working tree's app builds ({}): {}", ours.len(), ours.join(", "));

    if options.client {
        // The client's own cost, in this workspace (the committed proxy_v1).
        let status = Command::new(cargo()).args(["bench", "--quiet", "-p", "twilio-api", "--bench", "client"]).current_dir(root).status()?;
        if !status.success() {
            bail!("the client benchmark failed");
        }
    }
    Ok(())
}

/// The last tag, else `origin/main`, else `HEAD` (the working tree against
/// its last commit).
fn default_baseline(root: &Path) -> Result<String> {
    if let Ok(tag) = git(root, &["describe", "--tags", "--abbrev=0"]) {
        return Ok(tag);
    }
    if git(root, &["rev-parse", "--verify", "--quiet", "origin/main"]).is_ok() {
        return Ok("origin/main".to_owned());
    }
    Ok("HEAD".to_owned())
}

fn git(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git").arg("-C").arg(root).args(args).output().context("running git")?;
    if !output.status.success() {
        bail!("git {} failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// A detached worktree of `commit` at `dir`, made or moved there.
fn worktree(root: &Path, dir: &Path, commit: &str) -> Result<PathBuf> {
    if dir.join(".git").exists() {
        git(dir, &["checkout", "--quiet", "--force", "--detach", commit])?;
    } else {
        let _ = fs::remove_dir_all(dir);
        git(root, &["worktree", "prune"])?;
        git(root, &["worktree", "add", "--quiet", "--force", "--detach", &dir.to_string_lossy(), commit])?;
    }
    Ok(dir.to_owned())
}

/// Builds (release) a program that runs `tree`'s generator over a folder of
/// specs several times, writes the last output, and prints its timings. It
/// allocates with mimalloc, as xtask does (for both trees, whether or not the
/// baseline's xtask did).
/// It uses only `codegen::generate` and `Output::{files, features}`, which
/// every commit since the bench was written has.
fn build_driver(root: &Path, tree: &Path, dir: &Path, index: usize) -> Result<PathBuf> {
    let name = format!("bench-driver-{index}");
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\ncodegen = {{ path = {:?} }}\nopenapiv3 = \"2\"\nserde_json = \"1\"\nmimalloc = {{ version = \"0.1\", default-features = false }}\n\n[workspace]\n",
        tree.join("codegen").to_string_lossy()
    );
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(&dir.join("src/main.rs"), DRIVER)?;
    let target = root.join("target/bench/drivers");
    let status = Command::new(cargo())
        .args(["build", "--release", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()?;
    if !status.success() {
        bail!("building the generator of {} failed", tree.display());
    }
    Ok(target.join("release").join(name))
}

/// The driver: `driver <specs> <out-dir> <runs>`; prints the seconds of each
/// run and of reading the specs alone, the output's line count and its
/// features, one per line.
const DRIVER: &str = r#"use std::time::Instant;

// As `cargo xtask codegen` runs the generator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (specs, out, runs) = (std::path::Path::new(&args[1]), std::path::Path::new(&args[2]), args[3].parse::<usize>().unwrap());
    let mut output = None;
    for _ in 0..runs {
        let began = Instant::now();
        let generated = codegen::generate(specs, "specs").unwrap_or_else(|e| panic!("{e}"));
        println!("run {}", began.elapsed().as_secs_f64());
        output = Some(generated);
        // The floor: only reading each spec into `openapiv3::OpenAPI`.
        let began = Instant::now();
        for entry in std::fs::read_dir(specs).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let api: openapiv3::OpenAPI = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                std::hint::black_box(api);
            }
        }
        println!("parse {}", began.elapsed().as_secs_f64());
    }
    let output = output.unwrap();
    let _ = std::fs::remove_dir_all(out.join("apis"));
    let mut lines = 0;
    for (path, text) in &output.files {
        let path = out.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        lines += text.lines().count();
    }
    println!("lines {lines}");
    println!("features {}", output.features.join(","));
}
"#;

const GENERATE_RUNS: usize = 5;
const FIRST_BUILD_ROUNDS: usize = 2;

/// Generates the corpus with `driver` into a scratch workspace made from
/// `tree`'s runtime and manifest; records the line count and timings.
fn generate(driver: &Path, specs: &Path, workspace: &Path, tree: &Path, figures: &mut Figures) -> Result<()> {
    // Only the official specs (`*.json`), in a folder named like the real one.
    let spec_dir = workspace.join(layout::SPECS);
    let _ = fs::remove_dir_all(&spec_dir);
    fs::create_dir_all(&spec_dir)?;
    for entry in fs::read_dir(specs)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            fs::copy(&path, spec_dir.join(path.file_name().unwrap_or_default()))?;
        }
    }
    let src = workspace.join(layout::CRATE_SRC);
    let _ = fs::remove_dir_all(src.join("runtime"));
    copy_dir(&tree.join("generated/src/runtime"), &src.join("runtime"))?;
    // The hand-written files beside `lib.rs` (`webhook.rs`, ...), whichever
    // the tree has; a file an older tree had must not linger.
    for entry in fs::read_dir(&src).into_iter().flatten() {
        let path = entry?.path();
        if path.is_file() {
            fs::remove_file(&path)?;
        }
    }
    copy_dir(&tree.join("generated/src"), &src)?;
    for file in ["Cargo.toml", "Cargo.lock", "README.md", "generated/build.rs"] {
        let from = tree.join(file);
        if from.exists() {
            write_if_changed(&workspace.join(file), &fs::read_to_string(&from)?)?;
        } else {
            let _ = fs::remove_file(workspace.join(file));
        }
    }
    let workspace_manifest = fs::read_to_string(tree.join("Cargo.toml"))?;
    let members = workspace_manifest.lines().find(|l| l.starts_with("members")).context("workspace members")?;
    write_if_changed(&workspace.join("Cargo.toml"), &workspace_manifest.replace(members, r#"members = ["generated"]"#))?;

    let run = run_driver(driver, &spec_dir, &src)?;
    figures.generate = run.generate;
    figures.parse = run.parse;
    figures.lines = run.lines;
    let features = run.features;
    // The tree's crate manifest without its test, example and bench targets
    // (they need files not copied), with the corpus's features.
    let mut manifest: toml_edit::DocumentMut = fs::read_to_string(tree.join(layout::MANIFEST))?.parse()?;
    for target in ["test", "example", "bench"] {
        manifest.remove(target);
    }
    let manifest = codegen::with_features(&manifest.to_string(), &features)?;
    write_if_changed(&workspace.join(layout::MANIFEST), &manifest)?;
    Ok(())
}

/// What one driver run printed.
struct DriverRun {
    generate: Vec<Duration>,
    parse: Vec<Duration>,
    lines: usize,
    features: Vec<String>,
}

/// Runs `driver` on the specs in `spec_dir`, writing the output into `out`.
fn run_driver(driver: &Path, spec_dir: &Path, out: &Path) -> Result<DriverRun> {
    fs::create_dir_all(out)?;
    let output = Command::new(driver).arg(spec_dir).arg(out).arg(GENERATE_RUNS.to_string()).output()?;
    if !output.status.success() {
        bail!("generation failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    let mut run = DriverRun { generate: Vec::new(), parse: Vec::new(), lines: 0, features: Vec::new() };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        match line.split_once(' ') {
            Some(("run", secs)) => run.generate.push(Duration::from_secs_f64(secs.parse()?)),
            Some(("parse", secs)) => run.parse.push(Duration::from_secs_f64(secs.parse()?)),
            Some(("lines", n)) => run.lines = n.parse()?,
            Some(("features", list)) => run.features = list.split(',').map(str::to_owned).collect(),
            _ => {}
        }
    }
    Ok(run)
}

/// `cargo check <args>` of the generated crate after `cargo clean` of it
/// alone: its time, and the compiler's peak memory in kB where the platform
/// tells (Linux).
fn check_from_scratch(root: &Path, manifest: &Path, args: &[&str]) -> Result<(Duration, Option<u64>)> {
    let cargo = |args: &[&str]| {
        let mut command = corpus::cargo(root, manifest, args);
        command.env("CARGO_INCREMENTAL", "0");
        command
    };
    // Dependencies first (the crate without any API is next to nothing), so
    // that only the generated crate is timed.
    if !cargo(&["check", "--quiet", "--lib", "--no-default-features"]).status()?.success() {
        bail!("cargo check of the dependencies failed");
    }
    if !cargo(&["clean", "--quiet", "-p", "twilio-api"]).status()?.success() {
        bail!("cargo clean failed");
    }
    let mut check = vec!["check", "--quiet", "--lib"];
    check.extend(args);
    let began = Instant::now();
    let peak = peak_memory(cargo(&check))?;
    Ok((began.elapsed(), peak))
}

/// Runs `command` under GNU time when it is installed, for the peak resident
/// memory of the biggest process (rustc); otherwise just runs it.
fn peak_memory(command: Command) -> Result<Option<u64>> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        let mut command = command;
        if !command.status()?.success() {
            bail!("cargo check failed");
        }
        return Ok(None);
    }
    let mut timed = Command::new(time);
    timed.arg("-f").arg("peak-kb %M").arg(command.get_program()).args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => timed.env(key, value),
            None => timed.env_remove(key),
        };
    }
    let output = timed.output()?;
    if !output.status.success() {
        bail!("cargo check failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Ok(stderr.lines().find_map(|l| l.strip_prefix("peak-kb ")).and_then(|kb| kb.trim().parse().ok()))
}

fn print_table(reference: &str, commit: &str, figures: &[Figures; 2], runs: usize) {
    let [base, new] = figures;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("\nbenchmark: working tree against {reference} ({commit}); {threads} threads, medians\n");
    println!("| measurement | baseline | working tree | ratio |");
    println!("|---|---:|---:|---:|");
    let row = |what: String, b: f64, n: f64, unit: &str, digits: usize| {
        println!("| {what} | {b:.digits$}{unit} | {n:.digits$}{unit} | {:.2} |", n / b);
    };
    row("generated lines".into(), base.lines as f64, new.lines as f64, "", 0);
    row(format!("generate Twilio's 62 specs, release ({GENERATE_RUNS} runs)"), median(&base.generate), median(&new.generate), " s", 2);
    row(format!("cargo check --all-features from scratch ({runs} runs)"), median(&base.check_all), median(&new.check_all), " s", 1);
    if !base.check_all_kb.is_empty() && !new.check_all_kb.is_empty() {
        let gb = |kb: &[u64]| {
            let mut kb = kb.to_vec();
            kb.sort_unstable();
            kb[kb.len() / 2] as f64 / 1024.0 / 1024.0
        };
        row("peak compiler memory, --all-features".into(), gb(&base.check_all_kb), gb(&new.check_all_kb), " GB", 2);
    }
    row(format!("cargo check {FEW_FEATURES} from scratch ({runs} runs)"), median(&base.check_few), median(&new.check_few), " s", 2);
    row("  reading Twilio's specs alone (the floor)".into(), median(&base.parse), median(&new.parse), " s", 2);
    row(format!("generate GitHub's spec, release ({GENERATE_RUNS} runs)"), median(&base.github), median(&new.github), " s", 2);
    row("  reading GitHub's spec alone (the floor)".into(), median(&base.github_parse), median(&new.github_parse), " s", 2);
}

fn median(runs: &[Duration]) -> f64 {
    let mut secs: Vec<f64> = runs.iter().map(Duration::as_secs_f64).collect();
    secs.sort_by(f64::total_cmp);
    secs.get(secs.len() / 2).copied().unwrap_or(f64::NAN)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let path = entry?.path();
        if path.is_file() {
            fs::copy(&path, to.join(path.file_name().unwrap_or_default()))?;
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    fs::create_dir_all(path.parent().context("a file in a folder")?)?;
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}
