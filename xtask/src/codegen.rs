//! `cargo xtask codegen [--check]`.
//!
//! Generation happens entirely in memory first; only when every spec has
//! generated does anything touch the disk. A spec that fails therefore leaves
//! `generated/` exactly as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Where generated modules go, relative to the workspace root.
pub const OUTPUT: &str = "generated/src/apis";
/// Where specs are read from, relative to the workspace root.
pub const SPECS: &str = "specs";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// How the files on disk differ from what the specs produce.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// Generated, but different on disk.
    pub stale: Vec<String>,
    /// Generated, but absent on disk.
    pub missing: Vec<String>,
    /// On disk, but no longer generated.
    pub orphaned: Vec<String>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.orphaned.is_empty()
    }

    fn describe(&self, out_dir: &str) -> String {
        let mut lines = Vec::new();
        for (label, files) in [("stale", &self.stale), ("missing", &self.missing), ("orphaned", &self.orphaned)] {
            lines.extend(files.iter().map(|f| format!("  {label}: {out_dir}/{f}")));
        }
        lines.join("\n")
    }
}

pub fn run(root: &Path, mode: Mode) -> Result<()> {
    let out_dir = root.join(OUTPUT);
    let files = generate(&root.join(SPECS))?;
    let diff = diff(&out_dir, &files)?;
    match mode {
        Mode::Check if diff.is_empty() => {
            println!("generated code is up to date ({} files)", files.len());
            Ok(())
        }
        Mode::Check => bail!(
            "generated code is out of date:\n{}\nrun `cargo xtask codegen` and commit the result",
            diff.describe(OUTPUT)
        ),
        Mode::Write => {
            apply(&out_dir, &files, &diff)?;
            if diff.is_empty() {
                println!("generated code is up to date ({} files)", files.len());
            } else {
                println!("updated {OUTPUT}:\n{}", diff.describe(OUTPUT));
            }
            Ok(())
        }
    }
}

/// Runs the generator, printing its warnings; fails on any error.
pub fn generate(specs: &Path) -> Result<BTreeMap<String, String>> {
    let output = codegen::generate(specs, SPECS).map_err(|e| anyhow::anyhow!("{e}"))?;
    for warning in &output.warnings {
        eprintln!("{warning}");
    }
    // The generator's paths start at the crate's `src/`; ours at `apis/`.
    let prefix = format!("{}/", codegen::OUTPUT_DIR);
    Ok(output
        .files
        .into_iter()
        .map(|(path, text)| (path.strip_prefix(&prefix).map(str::to_owned).unwrap_or(path), text))
        .collect())
}

pub fn diff(out_dir: &Path, files: &BTreeMap<String, String>) -> Result<Diff> {
    let mut diff = Diff::default();
    for (path, text) in files {
        match fs::read(out_dir.join(path)) {
            Ok(existing) if existing == text.as_bytes() => {}
            Ok(_) => diff.stale.push(path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => diff.missing.push(path.clone()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", out_dir.join(path).display())),
        }
    }
    for path in existing_files(out_dir)? {
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

/// Writes stale and missing files (each through a temporary file and a
/// rename, so no file is ever half-written) and deletes orphans.
pub fn apply(out_dir: &Path, files: &BTreeMap<String, String>, diff: &Diff) -> Result<()> {
    for path in diff.stale.iter().chain(&diff.missing) {
        let target = out_dir.join(path);
        let parent = target.parent().expect("generated files live in a folder");
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        let temp = target.with_extension("rs.tmp");
        fs::write(&temp, &files[path]).with_context(|| format!("writing {}", temp.display()))?;
        fs::rename(&temp, &target).with_context(|| format!("replacing {}", target.display()))?;
    }
    for path in &diff.orphaned {
        let target = out_dir.join(path);
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
        crate::workspace_root()
    }

    /// Plain `cargo test` fails when someone edits a spec or the generator
    /// without regenerating.
    #[test]
    fn generated_code_is_up_to_date() {
        let root = root();
        let files = generate(&root.join(SPECS)).unwrap();
        let diff = diff(&root.join(OUTPUT), &files).unwrap();
        assert!(diff.is_empty(), "run `cargo xtask codegen`:\n{}", diff.describe(OUTPUT));
    }

    #[test]
    fn output_is_deterministic_and_independent_of_location() {
        let root = root();
        let first = generate(&root.join(SPECS)).unwrap();
        let second = generate(&root.join(SPECS)).unwrap();
        assert_eq!(first, second);

        // The same specs elsewhere on disk give the same bytes: no absolute
        // path or directory order leaks into the output.
        let elsewhere = scratch_workspace();
        assert_eq!(first, generate(&elsewhere.path().join(SPECS)).unwrap());
        assert!(first.values().all(|text| text.starts_with("// @generated by `cargo xtask codegen` from specs/")));
    }

    /// A scratch workspace holding a copy of the real specs.
    fn scratch_workspace() -> tempfile::TempDir {
        let workspace = tempfile::tempdir().unwrap();
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

        let files = generate(&root.join(SPECS)).unwrap();
        assert_eq!(
            diff(&out, &files).unwrap(),
            Diff {
                stale: vec![edited.to_owned()],
                missing: vec!["mod.rs".to_owned()],
                orphaned: vec!["proxy_v1/leftover.rs".to_owned()],
            }
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
        // The good specs alone would generate; the broken one stops everything.

        let error = run(workspace.path(), Mode::Write).unwrap_err().to_string();
        assert!(error.contains("specs/broken.yaml"), "{error}");
        assert!(error.contains("#/paths/~1things~1{Id}/get"), "{error}");
        assert!(error.contains("`{Id}` has no matching path parameter"), "{error}");
        assert_eq!(existing_files(&out).unwrap(), ["mod.rs"]);
        assert_eq!(fs::read_to_string(out.join("mod.rs")).unwrap(), "// previous output\n");
    }
}
