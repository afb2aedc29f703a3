//! `cargo xtask codegen [--check]`.
//!
//! Generation happens entirely in memory first; only when every spec has
//! generated does anything touch the disk. A spec that fails therefore leaves
//! `generated/` exactly as it was.
//!
//! Besides the modules in `generated/src/apis/`, the generator owns the
//! features of `generated/Cargo.toml` other than `default`: one cargo feature
//! per spec, and `full` for all of them (written with toml_edit, below
//! [`FEATURES_MARKER`]).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::layout::{CRATE_SRC, FEATURES_MARKER, MANIFEST, OUTPUT, SPECS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// How the files on disk differ from what the specs produce; paths are
/// relative to the workspace root.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// Generated, but different on disk.
    pub stale: Vec<String>,
    /// Generated, but absent on disk.
    pub missing: Vec<String>,
    /// On disk below [`OUTPUT`], but no longer generated.
    pub orphaned: Vec<String>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.orphaned.is_empty()
    }

    /// What `--check` found: files that differ from what the specs give.
    fn describe(&self) -> String {
        self.lines([("stale", &self.stale), ("missing", &self.missing), ("orphaned", &self.orphaned)])
    }

    /// What writing did to the files.
    fn describe_written(&self) -> String {
        self.lines([("created", &self.missing), ("updated", &self.stale), ("deleted", &self.orphaned)])
    }

    fn lines(&self, labelled: [(&str, &Vec<String>); 3]) -> String {
        let mut lines = Vec::new();
        for (label, files) in labelled {
            lines.extend(files.iter().map(|f| format!("  {label}: {f}")));
        }
        lines.join("\n")
    }
}

pub fn run(root: &Path, mode: Mode) -> Result<()> {
    run_with(root, mode, codegen::Options::default())
}

/// [`run`] with the generator's options (`--strict`).
pub fn run_with(root: &Path, mode: Mode, options: codegen::Options) -> Result<()> {
    let output = codegen::generate_with(&root.join(SPECS), SPECS, options).map_err(|e| anyhow::anyhow!("{e}"))?;
    for warning in &output.warnings {
        eprintln!("{warning}");
    }
    let degradations = degraded_by_spec(&output);
    if mode == Mode::Write {
        crate::changes::summarize_against_head(root, &output.apis);
    }
    let files = layout(root, output)?;
    let diff = write(root, &files, mode)?;
    if diff.is_empty() {
        println!("generated code is up to date ({} files)", files.len());
    } else {
        println!("generated code written ({} files):\n{}", files.len(), diff.describe_written());
    }
    print!("{degradations}");
    Ok(())
}

/// One line per spec: how many constructs were degraded (typed as any
/// JSON value, left out, or read leniently) and how many other warnings
/// it has.
fn degraded_by_spec(output: &codegen::Output) -> String {
    let mut out = String::new();
    for api in &output.apis {
        let mine = output.warnings.iter().filter(|d| d.file == api.source);
        let (degraded, other): (Vec<_>, Vec<_>) = mine.partition(|d| d.severity == codegen::Severity::Degraded);
        out.push_str(&format!("{}: {} degraded, {} other warnings\n", api.source, degraded.len(), other.len()));
    }
    out
}

/// Brings the files on disk in line with `files` and returns what differed;
/// in check mode, fails instead when anything differs.
pub fn write(root: &Path, files: &BTreeMap<String, String>, mode: Mode) -> Result<Diff> {
    let diff = diff(root, files)?;
    match mode {
        Mode::Check if !diff.is_empty() => bail!(
            "generated code is out of date:\n{}\nrun `cargo xtask codegen` and commit the result",
            diff.describe()
        ),
        Mode::Check => {}
        Mode::Write => apply(root, files, &diff)?,
    }
    Ok(diff)
}

/// Runs the generator on `root/specs`, printing its warnings; fails on any
/// error. Returns every generated file by its path relative to `root`.
pub fn generate(root: &Path) -> Result<BTreeMap<String, String>> {
    let output = codegen::generate(&root.join(SPECS), SPECS).map_err(|e| anyhow::anyhow!("{e}"))?;
    for warning in &output.warnings {
        eprintln!("{warning}");
    }
    layout(root, output)
}

/// Every file of `output` by its path relative to `root`, with the manifest
/// of the generated crate updated for its features.
pub fn layout(root: &Path, output: codegen::Output) -> Result<BTreeMap<String, String>> {
    let manifest = fs::read_to_string(root.join(MANIFEST)).with_context(|| format!("reading {MANIFEST}"))?;
    let mut files = BTreeMap::from([(MANIFEST.to_owned(), with_features(&manifest, &output.features)?)]);
    for (path, text) in output.files {
        files.insert(format!("{CRATE_SRC}/{path}"), text);
    }
    Ok(files)
}

/// `manifest` with its generated features: `full`, and one per spec in
/// `specs` (module names). The keys of `[features]` from `full` on are the
/// generator's, with [`FEATURES_MARKER`] written above them; the ones
/// before it (`default`, the runtime's optional parts) are kept.
pub fn with_features(manifest: &str, specs: &[String]) -> Result<String> {
    let mut doc: toml_edit::DocumentMut = manifest.parse().with_context(|| format!("parsing {MANIFEST}"))?;
    let Some(table) = doc.get_mut("features").and_then(toml_edit::Item::as_table_mut) else {
        bail!("{MANIFEST} has no [features] table")
    };
    let generated: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).skip_while(|k| k != "full").collect();
    for key in generated {
        table.remove(&key);
    }
    table.insert("full", toml_edit::value(specs.iter().map(String::as_str).collect::<toml_edit::Array>()));
    if let Some(mut key) = table.key_mut("full") {
        key.leaf_decor_mut().set_prefix(format!("{FEATURES_MARKER}\n"));
    }
    for spec in specs {
        table.insert(spec, toml_edit::value(toml_edit::Array::new()));
    }
    Ok(doc.to_string())
}

/// Whether a file on disk holds `text`, up to line endings: a checkout that
/// turned LF into CRLF (git's `core.autocrlf` on Windows) is not stale.
fn same_text(existing: &[u8], text: &str) -> bool {
    existing == text.as_bytes() || std::str::from_utf8(existing).is_ok_and(|e| e.contains('\r') && e.replace("\r\n", "\n") == text)
}

pub fn diff(root: &Path, files: &BTreeMap<String, String>) -> Result<Diff> {
    let mut diff = Diff::default();
    for (path, text) in files {
        match fs::read(root.join(path)) {
            Ok(existing) if same_text(&existing, text) => {}
            Ok(_) => diff.stale.push(path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => diff.missing.push(path.clone()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", root.join(path).display())),
        }
    }
    for path in existing_files(&root.join(OUTPUT))? {
        let path = format!("{OUTPUT}/{path}");
        if !files.contains_key(&path) {
            diff.orphaned.push(path);
        }
    }
    Ok(diff)
}

/// Every file below `dir`, as `/`-separated relative paths, sorted.
fn existing_files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut pending: Vec<PathBuf> = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("listing {}", current.display())),
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("walked from dir");
                let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Writes stale and missing files and deletes orphans, all or nothing as far
/// as the file system allows: every new text goes to a temporary file first,
/// and only when all are written are they renamed over their targets (a
/// rename in one folder replaces a file whole). A failure while writing
/// removes the temporary files and leaves the output as it was.
pub fn apply(root: &Path, files: &BTreeMap<String, String>, diff: &Diff) -> Result<()> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let written = diff.stale.iter().chain(&diff.missing).try_for_each(|path| {
        let target = root.join(path);
        let parent = target.parent().expect("generated files live in a folder");
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        let temp = parent.join(format!(".{}.tmp", target.file_name().expect("a file").to_string_lossy()));
        fs::write(&temp, &files[path]).with_context(|| format!("writing {}", temp.display()))?;
        staged.push((temp, target));
        Ok::<_, anyhow::Error>(())
    });
    if let Err(error) = written {
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        return Err(error.context("nothing was changed"));
    }
    for (temp, target) in &staged {
        fs::rename(temp, target).with_context(|| format!("replacing {}", target.display()))?;
    }
    let out_dir = root.join(OUTPUT);
    for path in &diff.orphaned {
        let target = root.join(path);
        fs::remove_file(&target).with_context(|| format!("deleting {}", target.display()))?;
        // Drop folders the deletion left empty; `remove_dir` refuses non-empty ones.
        let mut dir = target.parent();
        while let Some(d) = dir.filter(|d| *d != out_dir) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
    }

    /// Plain `cargo test` fails when someone edits a spec or the generator
    /// without regenerating.
    #[test]
    fn generated_code_is_up_to_date() {
        let root = root();
        let files = generate(&root).unwrap();
        let diff = diff(&root, &files).unwrap();
        assert!(diff.is_empty(), "run `cargo xtask codegen`:\n{}", diff.describe());
    }

    #[test]
    fn output_is_deterministic_and_independent_of_location() {
        let root = root();
        let first = generate(&root).unwrap();
        let second = generate(&root).unwrap();
        assert_eq!(first, second);

        // The same specs elsewhere on disk give the same bytes: no absolute
        // path or directory order leaks into the output.
        let elsewhere = scratch_workspace();
        assert_eq!(first, generate(elsewhere.path()).unwrap());
        assert!(
            first
                .iter()
                .filter(|(path, _)| path.ends_with(".rs"))
                .all(|(_, text)| text.starts_with("// @generated by `cargo xtask codegen` from specs/"))
        );
    }

    /// A scratch workspace holding a copy of the real specs and manifest.
    fn scratch_workspace() -> tempfile::TempDir {
        let workspace = tempfile::tempdir().unwrap();
        fs::create_dir_all(workspace.path().join("generated")).unwrap();
        fs::copy(root().join(MANIFEST), workspace.path().join(MANIFEST)).unwrap();
        let specs = workspace.path().join(SPECS);
        fs::create_dir_all(&specs).unwrap();
        for entry in fs::read_dir(root().join(SPECS)).unwrap() {
            let path = entry.unwrap().path();
            fs::copy(&path, specs.join(path.file_name().unwrap())).unwrap();
        }
        workspace
    }

    #[test]
    fn check_fails_on_hand_edits_and_orphans_and_write_repairs_them() {
        let workspace = scratch_workspace();
        let root = workspace.path();
        let out = root.join(OUTPUT);

        run(root, Mode::Write).unwrap();
        run(root, Mode::Check).unwrap();

        let edited = "proxy_v1/message_interaction.rs";
        let mut text = fs::read_to_string(out.join(edited)).unwrap();
        text.push_str("// a hand edit\n");
        fs::write(out.join(edited), text).unwrap();
        fs::write(out.join("proxy_v1/leftover.rs"), "// @generated by hand\n").unwrap();
        fs::remove_file(out.join("mod.rs")).unwrap();

        let files = generate(root).unwrap();
        let found = diff(root, &files).unwrap();
        assert_eq!(
            found,
            Diff {
                stale: vec![format!("{OUTPUT}/{edited}")],
                missing: vec![format!("{OUTPUT}/mod.rs")],
                orphaned: vec![format!("{OUTPUT}/proxy_v1/leftover.rs")],
            }
        );
        // After writing, the same differences are said as what was done.
        assert_eq!(
            found.describe_written(),
            "  created: generated/src/apis/mod.rs\n  \
             updated: generated/src/apis/proxy_v1/message_interaction.rs\n  \
             deleted: generated/src/apis/proxy_v1/leftover.rs"
        );
        let message = run(root, Mode::Check).unwrap_err().to_string();
        for expected in [
            "stale: generated/src/apis/proxy_v1/message_interaction.rs",
            "missing: generated/src/apis/mod.rs",
            "orphaned: generated/src/apis/proxy_v1/leftover.rs",
            "run `cargo xtask codegen` and commit the result",
        ] {
            assert!(message.contains(expected), "missing {expected:?} in {message}");
        }
        // --check wrote nothing.
        assert!(out.join("proxy_v1/leftover.rs").exists());

        run(root, Mode::Write).unwrap();
        run(root, Mode::Check).unwrap();
        assert!(!out.join("proxy_v1/leftover.rs").exists());

        // A checkout with CRLF line endings is not stale.
        let crlf = fs::read_to_string(out.join(edited)).unwrap().replace('\n', "\r\n");
        fs::write(out.join(edited), crlf).unwrap();
        run(root, Mode::Check).unwrap();
    }

    #[test]
    fn a_write_that_fails_midway_changes_nothing() {
        let workspace = scratch_workspace();
        let root = workspace.path();
        run(root, Mode::Write).unwrap();
        let out = root.join(OUTPUT);
        let before: Vec<(String, String)> = existing_files(&out)
            .unwrap()
            .into_iter()
            .map(|f| (f.clone(), fs::read_to_string(out.join(&f)).unwrap()))
            .collect();

        // Every file changes, and the last one (in path order) cannot be
        // written: its folder is in the way as a plain file.
        let mut files = generate(root).unwrap();
        for text in files.values_mut() {
            text.push_str("// changed\n");
        }
        files.insert(format!("{OUTPUT}/zz_blocked/file.rs"), "// new\n".to_owned());
        let changes = diff(root, &files).unwrap();
        fs::write(out.join("zz_blocked"), "a file where a folder should be").unwrap();

        let error = apply(root, &files, &changes).unwrap_err();
        assert!(format!("{error:#}").contains("nothing was changed"), "{error:#}");
        fs::remove_file(out.join("zz_blocked")).unwrap();
        let after: Vec<(String, String)> = existing_files(&out)
            .unwrap()
            .into_iter()
            .map(|f| (f.clone(), fs::read_to_string(out.join(&f)).unwrap()))
            .collect();
        assert_eq!(after, before, "no file changed, and no temporary file was left");
    }

    #[test]
    fn a_failing_spec_leaves_the_output_untouched() {
        let workspace = scratch_workspace();
        let specs = workspace.path().join(SPECS);
        fs::write(
            specs.join("broken.yaml"),
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /things/{Id}:\n    get:\n      operationId: GetThing\n      responses: {'200': {description: ok}}\n",
        )
        .unwrap();
        let out = workspace.path().join(OUTPUT);
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("mod.rs"), "// previous output\n").unwrap();
        // The good specs alone would generate; the broken one (refused
        // under `--strict`: a placeholder no parameter declares) stops
        // everything.
        let error = run_with(workspace.path(), Mode::Write, codegen::Options { strict: true }).unwrap_err().to_string();
        assert!(error.contains("specs/broken.yaml"), "{error}");
        assert!(error.contains("#/paths/~1things~1{Id}/get"), "{error}");
        assert!(error.contains("`{Id}` has no matching path parameter"), "{error}");
        assert_eq!(existing_files(&out).unwrap(), ["mod.rs"]);
        assert_eq!(fs::read_to_string(out.join("mod.rs")).unwrap(), "// previous output\n");
    }
}
