//! An OpenAPI 3.0 and 3.1 to Rust client generator.
//!
//! The pipeline, one module per stage (see `ARCHITECTURE.md`):
//!
//! ```text
//! specs/*.yaml|json --load--> load::Document --lower--> ir::Lowered --passes--> ir::Api --emit--> tokens + listings --render--> files
//! ```
//!
//! A vendor's conventions (`conventions::Conventions`; Twilio's in
//! `twilio`) enter `lower` and the passes as a value, chosen per spec by
//! [`conventions_for`].
//!
//! [`generate`] runs it over a folder of specs and returns every file of the
//! output in memory; writing them (or checking them) is the caller's job.

pub mod changes;
pub(crate) mod conventions;
pub(crate) mod diagnostics;
pub mod emit;
pub mod ir;
pub(crate) mod load;
pub(crate) mod lower;
pub(crate) mod names;
pub(crate) mod paging;
pub(crate) mod passes;
pub mod render;
pub mod settings;
pub(crate) mod twilio;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use diagnostics::{Diagnostic, Severity};

/// The complete output of one run.
#[derive(Debug)]
pub struct Output {
    /// File contents by path relative to the generated crate's `src/`
    /// (`apis/proxy_v1/mod.rs`), sorted.
    pub files: BTreeMap<String, String>,
    /// One cargo feature per spec, named like its module, sorted. The
    /// generated crate must declare each of them.
    pub features: Vec<String>,
    /// Problems that did not stop generation.
    pub warnings: Vec<Diagnostic>,
    /// The APIs, as the IR describes them (for the change report).
    pub apis: Vec<ir::Api>,
}

/// What one spec generated.
#[derive(Debug)]
pub struct SpecOutput {
    /// The lowered API (module name, title, operations, types).
    pub api: ir::Api,
    /// The spec's own files (`apis/<module>/…`), by path.
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

/// How to generate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Refuse a spec where anything would be degraded (a
    /// [`Severity::Degraded`] diagnostic becomes an error), listing every
    /// diagnostic. A spec's settings can ask for this too (`strict: true`).
    pub strict: bool,
}

/// The directory the generated modules live in, relative to the generated crate's `src/`.
pub const OUTPUT_DIR: &str = "apis";

/// Whether a file of this name (or path) is a spec: `*.yaml`, `*.yml` or
/// `*.json`, but not a settings file.
pub fn is_spec_file(name: &str) -> bool {
    [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e)) && !name.ends_with(settings::SUFFIX)
}

/// Every spec file in `specs_dir` (see [`is_spec_file`]), sorted by name.
pub fn list_specs(specs_dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(specs_dir)
        .map_err(|source| Error::ListSpecs { dir: specs_dir.to_owned(), source })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_spec_file(&p.to_string_lossy()))
        .collect();
    // File names, not directory order, decide the order of everything after.
    specs.sort();
    Ok(specs)
}

/// Generates code for every spec in `specs_dir` (see [`list_specs`]).
///
/// `display_prefix` is how the folder is named in headers and diagnostics
/// (`specs`), so that output never contains an absolute path. Specs are
/// generated in parallel; the output does not depend on how.
pub fn generate(specs_dir: &Path, display_prefix: &str) -> Result<Output, Error> {
    generate_with(specs_dir, display_prefix, Options::default())
}

/// [`generate`], with [`Options`].
pub fn generate_with(specs_dir: &Path, display_prefix: &str, options: Options) -> Result<Output, Error> {
    let specs = list_specs(specs_dir)?;

    let mut diagnostics = Vec::new();
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    let mut unique = Vec::new();
    for path in &specs {
        let display = display_name(path, display_prefix);
        let module = module_name(&file_stem(path));
        if let Some(other) = modules.insert(module.clone(), display.clone()) {
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: display,
                location: "file name".into(),
                message: format!("becomes module `{module}`, as {other} does; rename one of them"),
            });
        } else {
            unique.push(path.as_path());
        }
    }

    let results: Vec<_> = unique.par_iter().map(|path| generate_spec_with(path, display_prefix, options)).collect();
    let mut outputs = Vec::new();
    for result in results {
        match result {
            Ok(output) => outputs.push(output),
            Err(problems) => diagnostics.extend(problems),
        }
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        diagnostics.extend(outputs.into_iter().flat_map(|o| o.warnings));
        diagnostics.sort();
        return Err(Error::Specs(diagnostics));
    }
    assemble(outputs)
}

/// Puts the outputs of [`generate_spec`] together: their files, the root
/// module that lists them, and their features.
pub fn assemble(outputs: Vec<SpecOutput>) -> Result<Output, Error> {
    let apis: Vec<&ir::Api> = outputs.iter().map(|o| &o.api).collect();
    let root = emit::root(&apis);
    let mut files = BTreeMap::from([(root.path.clone(), render::render(root).map_err(Error::Internal)?)]);
    let features = apis.iter().map(|api| emit::feature(api)).collect();
    let mut warnings = Vec::new();
    let mut apis = Vec::new();
    for output in outputs {
        files.extend(output.files);
        warnings.extend(output.warnings);
        apis.push(output.api);
    }
    Ok(Output { files, features, warnings, apis })
}

/// One spec given as text, with what the generator needs to know about it.
pub struct Source<'a> {
    pub text: &'a str,
    pub is_json: bool,
    /// Its name in headers and diagnostics (`specs/twilio_proxy_v1.yaml`).
    pub display: &'a str,
    /// Its file stem, which names its module and chooses its conventions.
    pub stem: &'a str,
    /// Its settings file's text and name, if it has one.
    pub settings: Option<(&'a str, &'a str)>,
    pub options: Options,
}

/// Generates the files of one spec file (and its settings file, if there
/// is one). Errors (and any warnings found with them) come back as
/// diagnostics.
pub fn generate_spec(path: &Path, display_prefix: &str) -> Result<SpecOutput, Vec<Diagnostic>> {
    generate_spec_with(path, display_prefix, Options::default())
}

/// [`generate_spec`], with [`Options`].
pub fn generate_spec_with(path: &Path, display_prefix: &str, options: Options) -> Result<SpecOutput, Vec<Diagnostic>> {
    let display = display_name(path, display_prefix);
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![settings::error(&display, "file", format!("cannot be read: {e}"))])?;
    let settings_path = settings::path_for(path);
    let settings_display = display_name(&settings_path, display_prefix);
    let settings_text = settings::read(&settings_path, &settings_display).map_err(|d| vec![d])?;
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let stem = file_stem(path);
    let settings = settings_text.as_deref().map(|text| (text, settings_display.as_str()));
    generate_source(&Source { text: &text, is_json, display: &display, stem: &stem, settings, options })
}

/// Generates the files of one spec given as text (JSON or YAML, as `is_json`
/// says) into module `module`, without settings; `display` names the spec
/// in headers and diagnostics.
pub fn generate_text(text: &str, is_json: bool, display: &str, module: &str) -> Result<SpecOutput, Vec<Diagnostic>> {
    generate_source(&Source { text, is_json, display, stem: module, settings: None, options: Options::default() })
}

/// Generates the files of one spec given as a [`Source`].
///
/// What cannot be read as written is degraded (see [`Severity::Degraded`])
/// unless the options or the spec's settings ask for strictness: then any
/// degradation refuses the spec, with every diagnostic listed.
pub fn generate_source(source: &Source) -> Result<SpecOutput, Vec<Diagnostic>> {
    let (settings, settings_display) = match source.settings {
        Some((text, display)) => (settings::parse(text, display).map_err(|d| vec![d])?, display),
        None => (settings::Settings::default(), ""),
    };
    let strict = source.options.strict || settings.strict;
    let (document, load_warnings) = load::load_str(source.text, source.is_json, source.display).map_err(|d| vec![d])?;
    let module = module_name(source.stem);
    let result = lower_and_emit(&document, source.display, source.stem, &module, (&settings, settings_display)).map(|mut output| {
        output.warnings.splice(0..0, load_warnings.iter().cloned());
        output
    });
    let degraded = |d: &Diagnostic| d.severity == Severity::Degraded;
    match result {
        Ok(output) if strict && output.warnings.iter().any(degraded) => Err(strictly(output.warnings)),
        Err(mut problems) if strict => {
            problems.splice(0..0, load_warnings);
            Err(strictly(problems))
        }
        other => other,
    }
}

/// Diagnostics with every degradation made an error (`--strict`).
fn strictly(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .map(|d| if d.severity == Severity::Degraded { Diagnostic { severity: Severity::Error, ..d } } else { d })
        .collect()
}

/// The conventions a spec is read with: Twilio's for Twilio's specs (see
/// `twilio::claims`), the generic ones for any other.
pub fn conventions_for(stem: &str, servers: &[&str]) -> &'static dyn conventions::Conventions {
    if twilio::claims(stem, servers) { &twilio::Twilio } else { &conventions::Generic }
}

/// The module a spec file becomes, from its file stem.
pub fn module_name(stem: &str) -> String {
    names::module_ident(&names::snake(&conventions_for(stem, &[]).spec_module(stem)))
}

/// Lowers, refines, emits and renders one document, unless lowering finds
/// errors. `stem` is its file stem (which, with its servers, chooses its
/// conventions); `settings` are the spec's, with their file's name.
fn lower_and_emit(
    document: &load::Document,
    display: &str,
    stem: &str,
    module: &str,
    (settings, settings_display): (&settings::Settings, &str),
) -> Result<SpecOutput, Vec<Diagnostic>> {
    let servers: Vec<&str> = document.servers.iter().map(|s| s.url.as_str()).collect();
    let conventions = conventions_for(stem, &servers);
    let mut sink = diagnostics::Sink::new(display);
    let lowered = lower::lower(document, display, module, conventions, &mut sink);
    let warnings = sink.into_vec();
    if warnings.iter().any(|d| d.severity == Severity::Error) {
        return Err(warnings);
    }
    let api = passes::run(lowered, conventions, settings).map_err(|errors| {
        errors.into_iter().map(|(key, message)| settings::error(settings_display, &key, message)).collect::<Vec<_>>()
    })?;
    let mut files = BTreeMap::new();
    for file in emit::api(&api) {
        let path = file.path.clone();
        let text = render::render(file).map_err(|message| {
            vec![Diagnostic { severity: Severity::Error, file: display.to_owned(), location: "#".into(), message }]
        })?;
        files.insert(path, text);
    }
    Ok(SpecOutput { api, files, warnings })
}

fn display_name(path: &Path, display_prefix: &str) -> String {
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    format!("{display_prefix}/{file_name}")
}

fn file_stem(path: &Path) -> String {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned()
}
