//! `cargo xtask corpus`: the generator against real specs: Twilio's
//! official ones and GitHub's REST description.
//!
//! 1. Fetch: `npm pack @twilio/cli-core@<version>`,
//!    `npm pack @octokit/openapi@23.0.2`, `npm pack @figma/rest-api-spec@0.43.0`
//!    and `npm pack swagger-editor@5.3.6` (Petstore 3.0.4, as `petstore`)
//!    into `target/corpus/` (cached; the specs are never committed). GitHub's
//!    becomes the module `github`, Figma's (OpenAPI 3.1, YAML, staged as
//!    JSON so that the decoder test reads its examples) `figma`.
//! 2. Generate: each spec on its own (timed), into a scratch copy of this
//!    workspace at `target/corpus/workspace/` whose `specs/` holds the corpus.
//! 3. Check: clippy `-D warnings` on the scratch crate with every feature,
//!    then with no API and with one API alone (features are independent).
//! 4. Test: the wire tests in `xtask/corpus/` (`real_specs.rs` for
//!    Twilio's, `github.rs` for GitHub's), which need code generated from
//!    the real specs, run against that crate.
//!    `requests.rs` sends every operation to Prism mocking its own spec
//!    (values from `crate::requests`, calls from `emit::request_table`).
//! 5. Fuzz: `codegen/tests/fuzz.rs` (release build) with the corpus as its
//!    seeds, for a bounded number of mutated specs.
//!
//! It prints one row per spec and fails if any spec failed any step.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::codegen::{self, Mode};
use crate::layout;

/// The corpus the issue names: 62 specs, 1,541 operations.
pub const DEFAULT_VERSION: &str = "8.3.2";
/// A newer release (71 specs), whose every operation is sent to Prism too.
const NEWER_VERSION: &str = "9.0.0";
/// The change reports shown on real history: a major release (62 to 71
/// specs) and two nearby ones.
const CHANGE_REPORTS: [(&str, &str, &str); 2] =
    [("8.3.2", "9.0.0", "change report 8.3.2 to 9.0.0"), ("8.0.2", "8.3.1", "change report 8.0.2 to 8.3.1")];
const PACKAGE: &str = "@twilio/cli-core";
const SPECS_IN_PACKAGE: &str = "package/src/services/twilio-api";
/// GitHub's official REST description (OpenAPI 3.0.3, 1,223 operations).
const GITHUB_PACKAGE: &str = "@octokit/openapi";
const GITHUB_VERSION: &str = "23.0.2";
const GITHUB_IN_PACKAGE: &str = "package/generated/api.github.com.json";
/// Its name in the scratch workspace's `specs/`, which names its module.
const GITHUB_SPEC: &str = "github.json";
/// Figma's REST description (OpenAPI 3.1.0).
const FIGMA_PACKAGE: &str = "@figma/rest-api-spec";
const FIGMA_VERSION: &str = "0.43.0";
const FIGMA_IN_PACKAGE: &str = "package/openapi/openapi.yaml";
const FIGMA_SPEC: &str = "figma.json";
const GITHUB_MODULE: &str = "github";
/// Swagger Petstore, OpenAPI 3.0.4 (19 operations), the canonical example:
/// no package ships it as a file, but swagger-editor embeds it as text in
/// a module of its own (`selectOpenAPI304PetstoreYAML`), read from there.
const PETSTORE_PACKAGE: &str = "swagger-editor";
const PETSTORE_VERSION: &str = "5.3.6";
const PETSTORE_INTEGRITY: &str = "sha512-tmH440+jaRZO7KFBXRGRhr3eTklzodiwmDhUjiUvAuaGmTGmSDr23Sm69ITjHu1iHK9ETdEnMsw2vu4mRs06/w==";
const PETSTORE_IN_PACKAGE: &str = "package/dist/esm/plugins/editor-content-fixtures/index.js";
const PETSTORE_SPEC: &str = "petstore.json";
/// Wire tests that run against the corpus crate (see module docs).
const CORPUS_TESTS: &str = "xtask/corpus";
/// Specs of ours generated with the official ones, for shapes those do not
/// use yet: an operation answering with and without a body
/// (`extra_shapes`), and the feature zoo: one operation per request,
/// parameter, security, server and paging shape (`feature_zoo`, with its
/// settings), one schema per kind of type (`types_zoo`, OpenAPI 3.1).
const EXTRA_SPECS: &str = "xtask/corpus/specs";
/// The feature zoo's modules (operations, types), which `zoo.rs` tests.
const ZOO_MODULES: [&str; 2] = ["feature_zoo", "types_zoo"];
/// The lenient zoo's module, which `lenient.rs` tests.
const LENIENT_MODULE: &str = "lenient_zoo";
/// The API built alone to show that one feature needs no other.
const ALONE: &str = "proxy_v1";
/// The APIs the corpus tests use; only these are compiled for them.
const TEST_FEATURES: &str = "api_v2010,conversations_v1,extra_shapes,flex_v1,lookups_v2,messaging_v1,numbers_v1,studio_v2";
/// Mutated specs the fuzz step tries: about 80 s on 2 cores.
const FUZZ_CASES: &str = "2500";

pub struct Options {
    pub version: String,
    /// Stop after generating (no cargo runs).
    pub generate_only: bool,
}

/// One row of the report.
#[derive(Default)]
struct Row {
    operations: usize,
    types: usize,
    lines: usize,
    time: Duration,
    warnings: usize,
    /// Why the spec did not generate.
    failed: Option<String>,
    /// Compiler errors and warnings in the spec's module.
    diagnostics: Vec<String>,
}

pub fn run(root: &Path, options: &Options) -> Result<()> {
    let workspace = prepare(root, &options.version)?;

    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut outputs = Vec::new();
    let started = Instant::now();
    for path in ::codegen::list_specs(&workspace.join(layout::SPECS))? {
        let module = ::codegen::module_name(&path.file_stem().unwrap_or_default().to_string_lossy());
        let began = Instant::now();
        let result = ::codegen::generate_spec(&path, layout::SPECS);
        let time = began.elapsed();
        let row = rows.entry(module).or_default();
        row.time = time;
        match result {
            Ok(output) => {
                row.operations = output.api.resources.iter().map(|r| r.operations.len()).sum();
                row.types = output.api.resources.iter().map(|r| r.types.len()).sum();
                row.lines = output.files.values().map(|text| text.lines().count()).sum();
                row.warnings = output.warnings.len();
                for warning in &output.warnings {
                    eprintln!("{warning}");
                }
                outputs.push(output);
            }
            Err(problems) => {
                let lines: Vec<String> = problems.iter().map(|d| format!("    {d}")).collect();
                row.failed = Some(lines.join("\n"));
            }
        }
    }
    let generation = started.elapsed();
    let generated_all = rows.values().all(|r| r.failed.is_none());
    let mut steps = Vec::new();
    if generated_all {
        // Every operation's decoder, for the decoder tests.
        let apis: Vec<&::codegen::ir::Api> = outputs.iter().map(|o| &o.api).collect();
        // And every operation as a request built from values, with the values.
        write_tables(&workspace, &apis)?;
        let output = ::codegen::assemble(outputs).map_err(|e| anyhow::anyhow!("{e}"))?;
        let files = codegen::layout(&workspace, output)?;
        let diff = codegen::write(&workspace, &files, Mode::Write)?;
        let changed = diff.stale.len() + diff.missing.len() + diff.orphaned.len();
        eprintln!("{} files generated into {}, {changed} changed", files.len(), workspace.display());
        // Generating again, all specs at once and in parallel, must give the
        // same bytes as one spec at a time did.
        let began = Instant::now();
        let again = codegen::generate(&workspace)?;
        steps.push(("regenerated in parallel, identical bytes", again == files, began.elapsed()));
    }

    if generated_all && !options.generate_only {
        let manifest = workspace.join("Cargo.toml");
        let all = clippy(root, &manifest, &["--all-features"])?;
        steps.push(("clippy, all features", all.ok, all.took));
        for (module, message) in all.messages {
            rows.entry(module).or_default().diagnostics.push(message);
        }
        for features in [vec!["--no-default-features"], vec!["--no-default-features", "--features", ALONE]] {
            let alone = clippy(root, &manifest, &features)?;
            let name = if features.len() == 1 { "clippy, no API" } else { "clippy, proxy_v1 alone" };
            // Nothing spec-specific to put in the table: say it here.
            for (_, message) in &alone.messages {
                eprintln!("{name}: {message}");
            }
            steps.push((name, alone.ok, alone.took));
        }
        let began = Instant::now();
        let ok = cargo(root, &manifest, &["test", "--no-default-features", "--features", TEST_FEATURES, "--test", "real_specs"]).status()?.success();
        steps.push(("wire tests on real specs", ok, began.elapsed()));
        let began = Instant::now();
        let ok = cargo(root, &manifest, &["test", "--no-default-features", "--features", GITHUB_MODULE, "--test", GITHUB_MODULE]).status()?.success();
        steps.push(("wire tests on GitHub's spec", ok, began.elapsed()));
        let began = Instant::now();
        let ok = cargo(root, &manifest, &["test", "--no-default-features", "--features", &ZOO_MODULES.join(","), "--test", "zoo"]).status()?.success();
        steps.push(("wire tests on the feature zoo", ok, began.elapsed()));
        let began = Instant::now();
        let ok = cargo(root, &manifest, &["test", "--no-default-features", "--features", LENIENT_MODULE, "--test", "lenient"]).status()?.success();
        steps.push(("wire tests on the lenient zoo", ok, began.elapsed()));
        let began = Instant::now();
        let ok = cargo(root, &manifest, &["test", "--all-features", "--test", "decoders", "--", "--nocapture"]).status()?.success();
        steps.push(("every decoder: spec examples, mutated and random bodies", ok, began.elapsed()));
        let began = Instant::now();
        let ok = cargo(root, &manifest, &["test", "--all-features", "--test", "requests", "--", "--nocapture"])
            .env("PRISM", prism(root)?)
            .status()?
            .success();
        steps.push(("every operation sent to Prism mocking its spec: accepted, answers decoded", ok, began.elapsed()));
        let began = Instant::now();
        let ok = requests_on_release(root, NEWER_VERSION)?;
        steps.push(("every operation of Twilio's newer specs (9.0.0) sent to Prism", ok, began.elapsed()));
        let began = Instant::now();
        let ok = fetch_generate_check(root)?;
        steps.push(("specs fetch twilio, codegen, cargo check in a copy; fetching again changes nothing", ok, began.elapsed()));
    }
    if !options.generate_only {
        let began = Instant::now();
        let fuzz = ["test", "-p", "codegen", "--release", "--test", "fuzz", "--", "--nocapture"];
        // Twilio's specs and Figma's (3.1): GitHub's, at 13 MB, would make
        // each case slow.
        let seeds = std::env::join_paths([fetch(root, &options.version)?, fetch_figma(root)?])?;
        let ok = cargo(root, &root.join("Cargo.toml"), &fuzz)
            .env("CODEGEN_FUZZ_SEEDS", seeds)
            .env("CODEGEN_FUZZ_CASES", FUZZ_CASES)
            .status()?
            .success();
        steps.push(("fuzz: mutated corpus specs, no panic, crash or broken file", ok, began.elapsed()));
    }

    for (from, to, step) in CHANGE_REPORTS {
        let began = Instant::now();
        let text = changes_between(root, from, to)?;
        let took = began.elapsed();
        println!("\n# Twilio's specs, @twilio/cli-core {from} to {to}\n\n{text}");
        steps.push((step, true, took));
    }

    print!("{}", report(&options.version, &rows, generation, &steps));
    let failed_specs = rows.values().filter(|r| r.failed.is_some() || !r.diagnostics.is_empty()).count();
    let failed_steps = steps.iter().filter(|(_, ok, _)| !ok).count();
    if failed_specs > 0 || failed_steps > 0 || !generated_all {
        bail!("corpus: {failed_specs} spec(s) and {failed_steps} step(s) failed");
    }
    Ok(())
}

/// The test tables (`decoders/table.rs`, `requests/table.rs`) and the
/// request values for `apis`, into the scratch workspace's tests.
fn write_tables(workspace: &Path, apis: &[&::codegen::ir::Api]) -> Result<()> {
    let tables = [::codegen::emit::decoder_table(apis, "twilio_api"), ::codegen::emit::request_table(apis, "twilio_api")];
    for table in tables {
        let path = workspace.join("generated/tests").join(&table.path);
        let text = ::codegen::render::render(table).map_err(|e| anyhow::anyhow!("{e}"))?;
        sync(&path, text.as_bytes())?;
    }
    let values = crate::requests::values(workspace, apis)?;
    sync(&workspace.join("generated/tests/requests/values.json"), serde_json::to_string_pretty(&values)?.as_bytes())
}

/// Every operation of Twilio's specs in `@twilio/cli-core@version` (a
/// newer release than the corpus's) sent to Prism, in a scratch workspace
/// of its own (`target/corpus/workspace-<version>`); whether all passed.
fn requests_on_release(root: &Path, version: &str) -> Result<bool> {
    let workspace = root.join(format!("target/corpus/workspace-{version}"));
    prepare_workspace(root, &workspace, &fetch(root, version)?, &[])?;
    let mut outputs = Vec::new();
    for path in ::codegen::list_specs(&workspace.join(layout::SPECS))? {
        match ::codegen::generate_spec(&path, layout::SPECS) {
            Ok(output) => outputs.push(output),
            Err(problems) => bail!("{} does not generate: {}", path.display(), problems.first().map(ToString::to_string).unwrap_or_default()),
        }
    }
    let apis: Vec<&::codegen::ir::Api> = outputs.iter().map(|o| &o.api).collect();
    write_tables(&workspace, &apis)?;
    let output = ::codegen::assemble(outputs).map_err(|e| anyhow::anyhow!("{e}"))?;
    let files = codegen::layout(&workspace, output)?;
    codegen::write(&workspace, &files, Mode::Write)?;
    let manifest = workspace.join("Cargo.toml");
    Ok(cargo(root, &manifest, &["test", "--all-features", "--test", "requests", "--", "--nocapture"])
        .env("PRISM", prism(root)?)
        // Errata for the corpus's other specs excuse nothing here.
        .env("REQUESTS_PARTIAL", "1")
        .status()?
        .success())
}

/// The Prism executable the contract test uses, installed from
/// `contract/package-lock.json` when missing.
fn prism(root: &Path) -> Result<PathBuf> {
    let contract = root.join("contract");
    let prism = contract.join("node_modules/.bin/prism");
    if !prism.exists() {
        let status = Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&contract).status()?;
        if !status.success() {
            bail!("`npm ci` in {} failed", contract.display());
        }
    }
    Ok(prism)
}

/// What a user does with a fresh clone to get the whole API, in a copy of
/// this repository's crate and specs under `target/corpus/fetched/`:
/// `cargo xtask specs fetch twilio` (the pinned version), `cargo xtask
/// codegen`, `cargo check`; then a second fetch must change nothing.
fn fetch_generate_check(root: &Path) -> Result<bool> {
    let copy = root.join("target/corpus/fetched");
    let _ = fs::remove_dir_all(copy.join(layout::SPECS));
    let _ = fs::remove_dir_all(copy.join(layout::OUTPUT));
    sync(&copy.join("Cargo.toml"), generated_only_workspace(root)?.as_bytes())?;
    for file in ["Cargo.lock", "README.md"] {
        sync(&copy.join(file), &fs::read(root.join(file))?)?;
    }
    copy_tree(&root.join("generated"), &copy.join("generated"), &root.join(layout::OUTPUT))?;
    copy_tree(&root.join(layout::SPECS), &copy.join(layout::SPECS), Path::new(""))?;

    let options = crate::specs::Options { version: crate::specs::PINNED_VERSION.to_owned(), only: Vec::new() };
    let first = crate::specs::fetch(&copy, &options)?;
    eprintln!("specs fetch: {} written, {} of ours replaced", first.written.len(), first.replaced.len());
    codegen::run(&copy, Mode::Write)?;
    let checked = cargo(root, &copy.join("Cargo.toml"), &["check", "--all-features"]).status()?.success();
    let again = crate::specs::fetch(&copy, &options)?;
    let unchanged = again.written.is_empty() && again.replaced.is_empty() && again.unchanged.len() == first.written.len();
    if !unchanged {
        eprintln!("a second specs fetch changed specs/: {again:?}");
    }
    Ok(checked && unchanged && !first.written.is_empty())
}

/// Copies the files under `from` to `to`, but those under `skip`.
fn copy_tree(from: &Path, to: &Path, skip: &Path) -> Result<()> {
    for entry in fs::read_dir(from).with_context(|| format!("listing {}", from.display()))? {
        let path = entry?.path();
        if path.starts_with(skip) && !skip.as_os_str().is_empty() {
            continue;
        }
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target, skip)?;
        } else {
            sync(&target, &fs::read(&path)?)?;
        }
    }
    Ok(())
}

/// The change report (Markdown) from Twilio's specs in `@twilio/cli-core`
/// `from` to those in `to`, both fetched.
fn changes_between(root: &Path, from: &str, to: &str) -> Result<String> {
    let old = crate::changes::apis_in(&fetch(root, from)?)?;
    let new = crate::changes::apis_in(&fetch(root, to)?)?;
    let changes = ::codegen::changes::compare(&old, &new);
    Ok(::codegen::changes::markdown(&changes, &crate::changes::crate_version(root)?))
}

/// The folder of Twilio's specs from the package, fetched once per version.
pub fn fetch(root: &Path, version: &str) -> Result<PathBuf> {
    let dir = root.join("target/corpus").join(format!("cli-core-{version}"));
    npm_pack(&dir, PACKAGE, version, SPECS_IN_PACKAGE)
}

/// A folder holding GitHub's spec as [`GITHUB_SPEC`], fetched once.
pub fn fetch_github(root: &Path) -> Result<PathBuf> {
    let dir = root.join("target/corpus").join(format!("octokit-openapi-{GITHUB_VERSION}"));
    let spec = npm_pack(&dir, GITHUB_PACKAGE, GITHUB_VERSION, GITHUB_IN_PACKAGE)?;
    let staged = dir.join("spec");
    sync(&staged.join(GITHUB_SPEC), &fs::read(&spec)?)?;
    Ok(staged)
}

/// A folder holding Figma's spec, converted to JSON, as [`FIGMA_SPEC`].
fn fetch_figma(root: &Path) -> Result<PathBuf> {
    let dir = root.join("target/corpus").join(format!("figma-rest-api-spec-{FIGMA_VERSION}"));
    let spec = npm_pack(&dir, FIGMA_PACKAGE, FIGMA_VERSION, FIGMA_IN_PACKAGE)?;
    let tree: serde_json::Value = serde_yaml::from_str(&fs::read_to_string(&spec)?).with_context(|| format!("reading {}", spec.display()))?;
    let staged = dir.join("spec");
    sync(&staged.join(FIGMA_SPEC), serde_json::to_string_pretty(&tree)?.as_bytes())?;
    Ok(staged)
}

/// Swagger Petstore 3.0.4, staged as JSON (see [`PETSTORE_PACKAGE`]).
fn fetch_petstore(root: &Path) -> Result<PathBuf> {
    let dir = root.join("target/corpus").join(format!("{PETSTORE_PACKAGE}-{PETSTORE_VERSION}"));
    let staged = dir.join("spec");
    if staged.join(PETSTORE_SPEC).exists() {
        return Ok(staged);
    }
    let tarball = crate::npm::pack(&dir, PETSTORE_PACKAGE, PETSTORE_VERSION)?;
    crate::npm::check_integrity(&tarball, &format!("{PETSTORE_PACKAGE}@{PETSTORE_VERSION}"), PETSTORE_INTEGRITY)?;
    let module = fs::read_to_string(crate::npm::extract(&tarball, &dir, PETSTORE_IN_PACKAGE)?)?;
    let yaml = embedded_yaml(&module, "openapi: 3.0.4").context("swagger-editor's fixtures hold no OpenAPI 3.0.4 document")?;
    let tree: serde_json::Value = serde_yaml::from_str(&yaml).context("reading the Petstore document")?;
    sync(&staged.join(PETSTORE_SPEC), serde_json::to_string_pretty(&tree)?.as_bytes())?;
    Ok(staged)
}

/// The JavaScript string literal (double-quoted, JSON's escapes) in
/// `module` whose text starts with `start`, unescaped.
fn embedded_yaml(module: &str, start: &str) -> Option<String> {
    let at = module.find(&format!("\"{start}"))?;
    let mut end = at + 1;
    let bytes = module.as_bytes();
    while end < bytes.len() && bytes[end] != b'"' {
        end += if bytes[end] == b'\\' { 2 } else { 1 };
    }
    serde_json::from_str(&module[at..=end]).ok()
}

/// `path` inside the npm package `package@version`, unpacked into `dir`
/// unless it already is there.
fn npm_pack(dir: &Path, package: &str, version: &str, path: &str) -> Result<PathBuf> {
    let wanted = dir.join(path);
    if wanted.exists() {
        return Ok(wanted);
    }
    let tarball = crate::npm::pack(dir, package, version)?;
    crate::npm::extract(&tarball, dir, path)
}

/// Fetches the corpus and prepares the scratch workspace for it (not yet
/// generated); returns the workspace's root.
pub fn prepare(root: &Path, version: &str) -> Result<PathBuf> {
    let specs = fetch(root, version)?;
    let github = fetch_github(root)?;
    let figma = fetch_figma(root)?;
    let petstore = fetch_petstore(root)?;
    let workspace = root.join("target/corpus/workspace");
    prepare_workspace(root, &workspace, &specs, &[&github, &figma, &petstore])?;
    Ok(workspace)
}

/// This workspace's manifest with the generated crate as its only member.
fn generated_only_workspace(root: &Path) -> Result<String> {
    let manifest = fs::read_to_string(root.join("Cargo.toml"))?;
    let members = manifest.lines().find(|l| l.starts_with("members")).context("workspace members")?;
    Ok(manifest.replace(members, r#"members = ["generated"]"#))
}

/// A copy of this workspace with only the generated crate, the corpus as its
/// specs, and the corpus tests. Files are written only when they change, so
/// cargo rebuilds only what did.
fn prepare_workspace(root: &Path, workspace: &Path, specs: &Path, others: &[&Path]) -> Result<()> {
    copy_generated_crate(root, workspace, &corpus_manifest(&fs::read_to_string(root.join(layout::MANIFEST))?)?)?;
    mirror(&[(&root.join(CORPUS_TESTS), &|_| true)], &workspace.join("generated/tests"))?;
    // The request tests start Prism as the contract test does.
    mirror(&[(&root.join("generated/tests/common"), &|name| name == "prism.rs")], &workspace.join("generated/tests/common"))?;
    let official = |name: &str| name.ends_with(".json");
    let extra = root.join(EXTRA_SPECS);
    let mut sources: Vec<Source> = vec![(specs, &official), (&extra, &|_| true)];
    sources.extend(others.iter().map(|dir| (*dir, &(|_: &str| true) as &dyn Fn(&str) -> bool)));
    mirror(&sources, &workspace.join(layout::SPECS))
}

/// A copy of this workspace with only the generated crate: its runtime and
/// no API (the caller generates some), no tests, examples or benches.
pub fn prepare_generated_only(root: &Path, workspace: &Path) -> Result<()> {
    let mut doc: toml_edit::DocumentMut =
        fs::read_to_string(root.join(layout::MANIFEST))?.parse().with_context(|| format!("parsing {}", layout::MANIFEST))?;
    for table in ["test", "example", "bench", "dev-dependencies"] {
        doc.remove(table);
    }
    copy_generated_crate(root, workspace, &doc.to_string())
}

/// Writes into `workspace` a workspace with the generated crate alone, its
/// manifest `crate_manifest` (but the generated features) and its
/// hand-written sources (`lib.rs` and the other files beside it, the
/// runtime). Files are written only when they change, so cargo rebuilds
/// only what did.
fn copy_generated_crate(root: &Path, workspace: &Path, crate_manifest: &str) -> Result<()> {
    sync(&workspace.join("Cargo.toml"), generated_only_workspace(root)?.as_bytes())?;
    // The generated tail (features) is the generator's to write; rewriting
    // it here would change the manifest on every run and make cargo rebuild.
    let target = workspace.join(layout::MANIFEST);
    let head = |text: &str| codegen::with_features(text, &[]).ok();
    if fs::read_to_string(&target).ok().and_then(|old| head(&old)) != head(crate_manifest) {
        sync(&target, crate_manifest.as_bytes())?;
    }
    for file in ["Cargo.lock", "README.md", "generated/build.rs"] {
        sync(&workspace.join(file), &fs::read(root.join(file))?)?;
    }
    for entry in fs::read_dir(root.join("generated/src"))? {
        let path = entry?.path();
        if path.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            sync(&workspace.join(relative), &fs::read(&path)?)?;
        }
    }
    mirror(&[(&root.join("generated/src/runtime"), &|_| true)], &workspace.join("generated/src/runtime"))
}

/// The generated crate's manifest with its `[[test]]`, `[[example]]` and
/// `[[bench]]` targets (which call the committed specs' APIs and are not copied)
/// replaced by the corpus tests and the features they need.
fn corpus_manifest(manifest: &str) -> Result<String> {
    let mut doc: toml_edit::DocumentMut = manifest.parse().with_context(|| format!("parsing {}", layout::MANIFEST))?;
    let mut test = toml_edit::Table::new();
    test["name"] = toml_edit::value("real_specs");
    test["required-features"] = toml_edit::value(TEST_FEATURES.split(',').collect::<toml_edit::Array>());
    let mut tests = toml_edit::ArrayOfTables::new();
    tests.push(test);
    let mut github = toml_edit::Table::new();
    github["name"] = toml_edit::value(GITHUB_MODULE);
    github["required-features"] = toml_edit::value([GITHUB_MODULE].into_iter().collect::<toml_edit::Array>());
    tests.push(github);
    let mut zoo = toml_edit::Table::new();
    zoo["name"] = toml_edit::value("zoo");
    zoo["required-features"] = toml_edit::value(ZOO_MODULES.into_iter().collect::<toml_edit::Array>());
    tests.push(zoo);
    let mut lenient = toml_edit::Table::new();
    lenient["name"] = toml_edit::value("lenient");
    lenient["required-features"] = toml_edit::value([LENIENT_MODULE].into_iter().collect::<toml_edit::Array>());
    tests.push(lenient);
    let mut decoders = toml_edit::Table::new();
    decoders["name"] = toml_edit::value("decoders");
    decoders["required-features"] = toml_edit::value(["full"].into_iter().collect::<toml_edit::Array>());
    tests.push(decoders);
    let mut requests = toml_edit::Table::new();
    requests["name"] = toml_edit::value("requests");
    requests["required-features"] = toml_edit::value(["full"].into_iter().collect::<toml_edit::Array>());
    tests.push(requests);
    doc["test"] = toml_edit::Item::ArrayOfTables(tests);
    // The decoder test reads the examples of our YAML specs too.
    let mut yaml = toml_edit::InlineTable::new();
    yaml.insert("package", "serde_norway".into());
    yaml.insert("version", "0.9".into());
    doc["dev-dependencies"]["serde_yaml"] = toml_edit::value(yaml);
    doc.remove("example");
    doc.remove("bench");
    Ok(doc.to_string())
}

/// A folder to copy from, and which of its files to copy.
type Source<'a> = (&'a Path, &'a dyn Fn(&str) -> bool);

/// Makes `to` hold exactly the files of the sources that they accept.
fn mirror(sources: &[Source], to: &Path) -> Result<()> {
    let mut wanted = Vec::new();
    for (from, keep) in sources {
        for entry in fs::read_dir(from).with_context(|| format!("listing {}", from.display()))? {
            let path = entry?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            if path.is_file() && keep(&name) {
                sync(&to.join(&name), &fs::read(&path)?)?;
                wanted.push(name);
            }
        }
    }
    for entry in fs::read_dir(to)? {
        let path = entry?.path();
        if path.is_file() && !wanted.iter().any(|w| path.ends_with(w)) {
            fs::remove_file(&path)?;
        }
    }
    Ok(())
}

fn sync(path: &Path, contents: &[u8]) -> Result<()> {
    if fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    fs::create_dir_all(path.parent().expect("a file in a folder"))?;
    fs::write(path, contents).with_context(|| format!("writing {}", path.display()))
}

/// `cargo <args>` on the scratch workspace, sharing this workspace's target
/// folder so dependencies build once.
pub fn cargo(root: &Path, manifest: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    let (subcommand, rest) = args.split_first().expect("a cargo subcommand");
    command.arg(subcommand).arg("--manifest-path").arg(manifest).args(rest);
    command.env("CARGO_TARGET_DIR", root.join("target"));
    // Scratch builds: incremental caches would only fill the disk (the
    // directory's full run wrote 50 GB of them).
    command.env("CARGO_INCREMENTAL", "0");
    command
}

struct Clippy {
    ok: bool,
    took: Duration,
    /// Compiler messages, each with the spec module it points into.
    messages: Vec<(String, String)>,
}

/// Runs clippy with `-D warnings`; returns whether it passed, how long it
/// took, and each compiler message with the spec module it points into
/// (`(crate)` for the rest).
fn clippy(root: &Path, manifest: &Path, features: &[&str]) -> Result<Clippy> {
    let began = Instant::now();
    let mut args = vec!["clippy", "--all-targets"];
    args.extend(features);
    args.extend(["--", "-D", "warnings"]);
    let (ok, messages) = compiler_messages(root, manifest, &args, "warning")?;
    Ok(Clippy { ok, took: began.elapsed(), messages })
}

/// Runs `cargo <args>` (a `check` or `clippy`) with JSON messages; returns
/// whether it passed and each compiler message at `least` (`error`, or
/// `warning` for both) with the spec module it points into (`(crate)` for
/// the rest).
pub fn compiler_messages(root: &Path, manifest: &Path, args: &[&str], least: &str) -> Result<(bool, Vec<(String, String)>)> {
    let mut args = args.to_vec();
    args.insert(1, "--message-format=json");
    let output = cargo(root, manifest, &args).stderr(Stdio::inherit()).output()?;
    let levels: &[&str] = if least == "error" { &["error"] } else { &["error", "warning"] };
    let mut messages = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let diagnostic = &message["message"];
        if !diagnostic["level"].as_str().is_some_and(|l| levels.contains(&l)) || diagnostic["spans"].as_array().is_none_or(Vec::is_empty) {
            continue;
        }
        let primary = diagnostic["spans"].as_array().and_then(|spans| spans.iter().find(|s| s["is_primary"] == true));
        let module = primary.and_then(spec_module).unwrap_or("(crate)");
        let rendered = diagnostic["rendered"].as_str().unwrap_or_default().to_owned();
        messages.push((module.to_owned(), rendered));
    }
    Ok((output.status.success(), messages))
}

/// The spec module a compiler span points into: its own file's, else (an
/// error inside a runtime macro) that of the macro call it was expanded
/// from.
fn spec_module(span: &serde_json::Value) -> Option<&str> {
    let file = span["file_name"].as_str().unwrap_or_default();
    match file.strip_prefix(&format!("{}/", layout::OUTPUT)).and_then(|rest| rest.split_once('/')) {
        Some((module, _)) => Some(module),
        None => span.get("expansion").and_then(|e| spec_module(&e["span"])),
    }
}

fn report(version: &str, rows: &BTreeMap<String, Row>, generation: Duration, steps: &[(&str, bool, Duration)]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n{PACKAGE}@{version}: {} specs\n", rows.len());
    let _ = writeln!(out, "| spec | operations | types | lines | generate ms | warnings | check |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---|");
    for (module, row) in rows {
        let check = match (&row.failed, row.diagnostics.len()) {
            (Some(_), _) => "generation failed".to_owned(),
            (None, 0) if !steps.iter().any(|(step, ..)| step.starts_with("clippy")) => "not built".to_owned(),
            (None, 0) => "ok".to_owned(),
            (None, n) => format!("{n} compiler message(s)"),
        };
        let _ = writeln!(
            out,
            "| {module} | {} | {} | {} | {:.1} | {} | {check} |",
            row.operations,
            row.types,
            row.lines,
            row.time.as_secs_f64() * 1000.0,
            row.warnings
        );
    }
    let total = |f: fn(&Row) -> usize| rows.values().map(f).sum::<usize>();
    let generated = rows.values().filter(|r| r.failed.is_none()).count();
    let clean = rows.values().filter(|r| r.failed.is_none() && r.diagnostics.is_empty()).count();
    let _ = writeln!(
        out,
        "| **total** | {} | {} | {} | {:.1} | {} | {clean}/{} |",
        total(|r| r.operations),
        total(|r| r.types),
        total(|r| r.lines),
        rows.values().map(|r| r.time.as_secs_f64()).sum::<f64>() * 1000.0,
        total(|r| r.warnings),
        rows.len()
    );
    let _ = writeln!(out, "\ngenerated {generated}/{} specs in {:.2} s (one at a time)", rows.len(), generation.as_secs_f64());
    for (step, ok, took) in steps {
        let _ = writeln!(out, "{step}: {} in {:.1} s", if *ok { "passed" } else { "FAILED" }, took.as_secs_f64());
    }
    for (module, row) in rows {
        if let Some(why) = &row.failed {
            let _ = writeln!(out, "\n{module} did not generate:\n{why}");
        }
        for message in row.diagnostics.iter().take(5) {
            let _ = writeln!(out, "\n{module}:\n{message}");
        }
    }
    out
}
