//! `cargo xtask changes`: what the specs in the working tree change in the
//! API against a git revision, as the IR sees it (see `codegen::changes`).
//!
//! The base's specs (and settings files) are read with `git show`, never
//! checked out, and generated with the working tree's generator, so the
//! comparison is between two descriptions of the API, not two generators.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use codegen::changes::{self, Impact};
use codegen::ir::Api;

use crate::layout::{MANIFEST, SPECS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
}

pub struct Options {
    /// The git revision to compare with (`HEAD` by default).
    pub base: String,
    pub format: Format,
    /// Fail when anything breaks callers.
    pub deny_breaking: bool,
    /// Add the report to `generated/CHANGELOG.md` under the next version.
    pub changelog: bool,
}

/// Where the changelog of the generated crate is kept.
const CHANGELOG: &str = "generated/CHANGELOG.md";

pub fn run(root: &Path, options: &Options) -> Result<()> {
    let old = apis_at(root, &options.base)?;
    let new = apis_in(&root.join(SPECS))?;
    let changes = changes::compare(&old, &new);
    let version = crate_version(root)?;
    match options.format {
        Format::Markdown => print!("{}", changes::markdown(&changes, &version)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&changes::json(&changes, &version))?),
    }
    if options.changelog && !changes.is_empty() {
        let next = changes::next_version(&version, changes::bump(&changes));
        append_changelog(root, &next, &options.base, &changes::markdown(&changes, &version))?;
        eprintln!("added the changes to {CHANGELOG} under {next}");
    }
    let breaking = changes.iter().filter(|c| c.impact == Impact::Breaking).count();
    if options.deny_breaking && breaking > 0 {
        bail!("{breaking} change(s) break callers (--deny-breaking)");
    }
    Ok(())
}

/// What the specs change in the API against the committed ones (`HEAD`),
/// one line per spec; nothing when there is no git history to compare with.
pub fn summarize_against_head(root: &Path, apis: &[codegen::ir::Api]) {
    // Only the root of a repository (or worktree): a copy inside another
    // repository's folder would be compared with that one's specs.
    if !root.join(".git").exists() {
        return;
    }
    // Specs as committed describe the same API: nothing to generate twice.
    if specs_unchanged(root).unwrap_or(false) {
        println!("API changes against HEAD: none");
        return;
    }
    let Ok(old) = apis_at(root, "HEAD") else { return };
    let changes = codegen::changes::compare(&old, apis);
    if changes.is_empty() {
        println!("API changes against HEAD: none");
        return;
    }
    let breaking = changes.iter().filter(|c| c.impact == codegen::changes::Impact::Breaking).count();
    println!("API changes against HEAD ({breaking} breaking; `cargo xtask changes` lists them):");
    print!("{}", codegen::changes::summary(&changes));
}

/// The APIs the specs in `dir` describe.
pub fn apis_in(dir: &Path) -> Result<Vec<Api>> {
    let output = codegen::generate(dir, SPECS).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(output.apis)
}

/// The APIs the specs of revision `base` describe, read with `git show`.
/// A spec the generator cannot read is left out, with a note.
pub fn apis_at(root: &Path, base: &str) -> Result<Vec<Api>> {
    let listing = git(root, &["ls-tree", "-r", "--name-only", base, "--", SPECS])?;
    let paths: Vec<&str> = listing.lines().filter(|p| codegen::is_spec_file(p)).collect();
    let mut apis = Vec::new();
    for path in paths {
        let text = git(root, &["show", &format!("{base}:{path}")])?;
        let stem = Path::new(path).file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let settings_path = format!("{SPECS}/{stem}{}", codegen::settings::SUFFIX);
        let settings = git(root, &["show", &format!("{base}:{settings_path}")]).ok();
        let source = codegen::Source {
            text: &text,
            is_json: path.ends_with(".json"),
            display: path,
            stem: &stem,
            settings: settings.as_deref().map(|text| (text, settings_path.as_str())),
            options: codegen::Options::default(),
        };
        match codegen::generate_source(&source) {
            Ok(output) => apis.push(output.api),
            Err(problems) => eprintln!("note: {path} at {base} does not generate ({} problem(s)); left out of the comparison", problems.len()),
        }
    }
    Ok(apis)
}

/// Whether `specs/` (settings files included) is exactly as committed.
pub fn specs_unchanged(root: &Path) -> Result<bool> {
    Ok(git(root, &["status", "--porcelain", "--", SPECS])?.trim().is_empty())
}

fn git(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git").arg("-C").arg(root).args(args).output().context("running git")?;
    if !output.status.success() {
        bail!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// The generated crate's version, from its manifest.
pub fn crate_version(root: &Path) -> Result<String> {
    let manifest: toml_edit::DocumentMut = fs::read_to_string(root.join(MANIFEST))?.parse()?;
    manifest["package"]["version"].as_str().map(str::to_owned).context("the generated crate's version")
}

/// Puts `report` in the changelog as the section of version `next`, above
/// the sections of earlier versions (below the title and its text).
fn append_changelog(root: &Path, next: &str, base: &str, report: &str) -> Result<()> {
    let path = root.join(CHANGELOG);
    let old = fs::read_to_string(&path).unwrap_or_else(|_| "# Changelog\n".to_owned());
    fs::write(&path, with_section(&old, next, base, report))?;
    Ok(())
}

fn with_section(changelog: &str, next: &str, base: &str, report: &str) -> String {
    // The report's own headings one level down, under the version's.
    let body: String = report.lines().skip(1).map(|l| if l.starts_with('#') { format!("#{l}\n") } else { format!("{l}\n") }).collect();
    let section = format!("## {next}\n\nSpecs compared with `{base}`.\n{body}\n");
    match changelog.find("\n## ") {
        Some(at) => format!("{}\n{section}{}", &changelog[..at + 1], &changelog[at + 1..]),
        None => format!("{}\n\n{section}", changelog.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.0.3
info: {title: Shop, version: '1'}
servers: [{url: 'https://shop.example.com'}]
paths:
  /items:
    get:
      operationId: ListItems
      parameters: [{name: q, in: query, schema: {type: string}}]
      responses: {'204': {description: ok}}
";

    fn git_in(root: &Path, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .unwrap();
        assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
    }

    #[test]
    fn changelog_sections_go_above_earlier_versions() {
        let report = "## API changes: 0 breaking, 1 additive\n\nNeeds a minor version.\n\n### `shop`\n\n- new\n";
        let first = with_section("# Changelog\n\nIntro.\n", "0.1.1", "HEAD", report);
        assert_eq!(first, "# Changelog\n\nIntro.\n\n## 0.1.1\n\nSpecs compared with `HEAD`.\n\nNeeds a minor version.\n\n#### `shop`\n\n- new\n\n");
        let second = with_section(&first, "0.1.2", "v0.1.1", report);
        let (newer, older) = (second.find("## 0.1.2").unwrap(), second.find("## 0.1.1").unwrap());
        assert!(second.find("Intro.").unwrap() < newer && newer < older, "{second}");
    }

    #[test]
    fn the_working_tree_is_compared_with_a_git_revision() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join(SPECS)).unwrap();
        fs::write(root.join("specs/shop.yaml"), SPEC).unwrap();
        git_in(root, &["init", "-q"]);
        git_in(root, &["add", "."]);
        git_in(root, &["commit", "-q", "-m", "first"]);
        // The working tree: the parameter removed, an operation added, and
        // a spec that is new.
        let changed = SPEC.replace("      parameters: [{name: q, in: query, schema: {type: string}}]\n", "").replace(
            "paths:\n",
            "paths:\n  /orders:\n    post:\n      operationId: CreateOrder\n      responses: {'204': {description: ok}}\n",
        );
        fs::write(root.join("specs/shop.yaml"), changed).unwrap();
        fs::write(root.join("specs/news.yaml"), SPEC.replace("/items", "/news").replace("ListItems", "ListNews")).unwrap();

        let old = apis_at(root, "HEAD").unwrap();
        let new = apis_in(&root.join(SPECS)).unwrap();
        let report = changes::compare(&old, &new);
        let found: Vec<(&str, Impact, &str)> = report.iter().map(|c| (c.kind, c.impact, c.subject.as_str())).collect();
        assert_eq!(
            found,
            [
                ("spec_added", Impact::Additive, ""),
                ("parameter_removed", Impact::Breaking, "ListItems"),
                ("operation_added", Impact::Additive, "CreateOrder"),
            ]
        );
        // The revision as committed compares equal to itself.
        assert!(changes::compare(&old, &apis_at(root, "HEAD").unwrap()).is_empty());
        let error = apis_at(root, "no-such-ref").unwrap_err().to_string();
        assert!(error.contains("no-such-ref"), "{error}");
    }
}
