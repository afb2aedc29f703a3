//! An OpenAPI 3.0 to Rust client generator.
//!
//! The pipeline, one module per stage (see `ARCHITECTURE.md`):
//!
//! ```text
//! specs/*.yaml|json --load--> openapiv3::OpenAPI --lower--> ir::Api --emit--> TokenStream --render--> files
//! ```
//!
//! [`generate`] runs it over a folder of specs and returns every file of the
//! output in memory; writing them (or checking them) is the caller's job.

pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod render;
pub mod twilio;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use diagnostics::{Diagnostic, Severity};

/// The complete output of one run.
#[derive(Debug)]
pub struct Output {
    /// File contents by path relative to the generated crate's `src/`
    /// (`apis/proxy_v1/mod.rs`), sorted.
    pub files: BTreeMap<String, String>,
    /// Problems that did not stop generation.
    pub warnings: Vec<Diagnostic>,
}

/// Why a run produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot list specs in {}: {source}", dir.display())]
    ListSpecs { dir: PathBuf, source: std::io::Error },
    #[error("{} problem(s) in the specs:\n{}", .0.iter().filter(|d| d.severity == Severity::Error).count(), list(.0))]
    Specs(Vec<Diagnostic>),
    #[error("{0}")]
    Internal(String),
}

fn list(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n")
}

/// The directory the generated modules live in, relative to the generated crate's `src/`.
pub const OUTPUT_DIR: &str = "apis";

/// Generates code for every `*.yaml`, `*.yml` and `*.json` file in `specs_dir`.
///
/// `display_prefix` is how the folder is named in headers and diagnostics
/// (`specs`), so that output never contains an absolute path.
pub fn generate(specs_dir: &Path, display_prefix: &str) -> Result<Output, Error> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(specs_dir)
        .map_err(|source| Error::ListSpecs { dir: specs_dir.to_owned(), source })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension().and_then(|e| e.to_str()).is_some_and(|e| ["yaml", "yml", "json"].contains(&e))
        })
        .collect();
    // File names, not directory order, decide the order of everything after.
    specs.sort();

    let mut diagnostics = Vec::new();
    let mut apis: Vec<ir::Api> = Vec::new();
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for path in &specs {
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let display = format!("{display_prefix}/{file_name}");
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let module = lower::module_name(stem);
        if let Some(other) = modules.insert(module.clone(), display.clone()) {
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: display.clone(),
                location: "file name".into(),
                message: format!("becomes module `{module}`, as {other} does; rename one of them"),
            });
            continue;
        }
        let document = match load::load(path, &display) {
            Ok(d) => d,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let mut sink = diagnostics::Sink::new(&display);
        let api = lower::lower(&document, &display, &module, &mut sink);
        diagnostics.extend(sink.into_vec());
        apis.push(api);
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::Specs(diagnostics));
    }

    let mut files = BTreeMap::new();
    let tokens = std::iter::once(emit::root(&apis)).chain(apis.iter().flat_map(emit::api));
    for file in tokens {
        let text = render::render(&file).map_err(Error::Internal)?;
        files.insert(file.path, text);
    }
    Ok(Output { files, warnings: diagnostics })
}
