//! The generator never panics, whatever the spec: a property-based fuzz run
//! over the whole pipeline (load, lower, emit, render).
//!
//! Inputs are real specs changed structurally. The seeds are `specs/`, the
//! inputs in `tests/fuzz_regressions/`, and every `*.json` in the folders
//! that `CODEGEN_FUZZ_SEEDS` names, separated as in `PATH` (`cargo xtask
//! corpus` points it at Twilio's official specs and Figma's 3.1 one). Each case takes one seed and applies a few [`Mutation`]s:
//! keys deleted, renamed or duplicated, values of another JSON type, schemas
//! emptied or given odd keywords (invalid regexes among them), `$ref`s pointed
//! elsewhere (cycles included), subtrees copied or moved, path placeholders
//! renamed, names that are keywords, empty, unicode or very long. The result
//! is serialized as JSON (sometimes YAML) and generated. The property:
//!
//! - the pipeline returns, never panics;
//! - a refusal is a list of diagnostics about the spec, never an internal
//!   error (emitted tokens that do not parse are a bug, not a bad spec);
//! - every generated file starts with the `@generated` header and re-parses
//!   as a Rust file.
//!
//! Environment: `CODEGEN_FUZZ_CASES` (default 128, about 2 s in a debug
//! build), `CODEGEN_FUZZ_SEED` to replay a run (default: fixed for the
//! default size, random otherwise; the run prints the one it used).
//!
//! The pipeline runs in a worker process (this test binary again, see
//! [`Worker`]), so that a stack overflow, which aborts instead of panicking,
//! or a hang is a failing input like a panic, not the end of the run.
//!
//! A failing input is shrunk (by proptest, then by deleting parts of the
//! document while it still fails the same way), written to
//! `target/tmp/fuzz-failures/`, and printed. Keep it in
//! `tests/fuzz_regressions/` ([`regressions`] runs every file there), named
//! `*.pending.json` while the bug is not fixed: the fuzz run then counts
//! inputs that fail the same way as that known bug instead of failing.

use std::backtrace::Backtrace;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Once;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// Seeds

/// A spec to start from.
struct Seed {
    name: String,
    doc: Value,
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn regressions_dir() -> PathBuf {
    manifest_dir().join("tests/fuzz_regressions")
}

/// Files in `dir` whose names end with one of `extensions`, sorted.
fn files_in(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && extensions.iter().any(|ext| p.to_string_lossy().ends_with(ext)))
        .collect();
    files.sort();
    files
}

fn is_pending(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.to_string_lossy().contains(".pending."))
}

fn parse_seed(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let parsed = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_str(&text).map_err(|e| e.to_string())
    };
    parsed.unwrap_or_else(|e| panic!("{} is not a JSON tree: {e}", path.display()))
}

fn seeds() -> Vec<Seed> {
    let mut files = files_in(&manifest_dir().join("../specs"), &[".yaml", ".yml", ".json"]);
    // Known, unfixed crashes (`*.pending.*`) would only be found again.
    files.extend(files_in(&regressions_dir(), &[".yaml", ".json"]).into_iter().filter(|p| !is_pending(p)));
    // Folders, separated as in `PATH`.
    if let Some(dirs) = std::env::var_os("CODEGEN_FUZZ_SEEDS") {
        for dir in std::env::split_paths(&dirs) {
            let corpus = files_in(&dir, &[".json"]);
            assert!(!corpus.is_empty(), "CODEGEN_FUZZ_SEEDS: {} holds no *.json spec", dir.display());
            files.extend(corpus);
        }
    }
    files
        .iter()
        .map(|path| Seed { name: path.file_name().unwrap().to_string_lossy().into_owned(), doc: parse_seed(path) })
        .collect()
}

// ---------------------------------------------------------------------------
// Finding nodes in a JSON tree

#[derive(Clone, Copy, Debug)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

#[derive(Clone, Debug, PartialEq)]
enum OwnedStep {
    Key(String),
    Index(usize),
}

/// Calls `visit` on every node, parents before children, until it returns true.
fn walk<'a>(value: &'a Value, path: &mut Vec<Step<'a>>, visit: &mut dyn FnMut(&[Step<'a>], &'a Value) -> bool) -> bool {
    if visit(path, value) {
        return true;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Step::Key(key));
                let stop = walk(child, path, visit);
                path.pop();
                if stop {
                    return true;
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(Step::Index(index));
                let stop = walk(child, path, visit);
                path.pop();
                if stop {
                    return true;
                }
            }
        }
        _ => {}
    }
    false
}

/// The path of the `n % count`-th node that `wanted` accepts, in document order.
fn pick(doc: &Value, n: u32, wanted: &dyn Fn(&[Step], &Value) -> bool) -> Option<Vec<OwnedStep>> {
    let mut count = 0usize;
    walk(doc, &mut Vec::new(), &mut |path, value| {
        count += usize::from(wanted(path, value));
        false
    });
    if count == 0 {
        return None;
    }
    let mut left = n as usize % count;
    let mut found = None;
    walk(doc, &mut Vec::new(), &mut |path, value| {
        if !wanted(path, value) {
            return false;
        }
        if left == 0 {
            found = Some(owned(path));
            return true;
        }
        left -= 1;
        false
    });
    found
}

fn get_mut<'a>(doc: &'a mut Value, path: &[OwnedStep]) -> Option<&'a mut Value> {
    path.iter().try_fold(doc, |node, step| match step {
        OwnedStep::Key(k) => node.get_mut(k.as_str()),
        OwnedStep::Index(i) => node.get_mut(*i),
    })
}

fn get<'a>(doc: &'a Value, path: &[OwnedStep]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |node, step| match step {
        OwnedStep::Key(k) => node.get(k.as_str()),
        OwnedStep::Index(i) => node.get(*i),
    })
}

/// Removes the node at `path` from its parent.
fn remove(doc: &mut Value, path: &[OwnedStep]) {
    let Some((last, parent)) = path.split_last() else { return };
    match (get_mut(doc, parent), last) {
        (Some(Value::Object(map)), OwnedStep::Key(k)) => {
            map.remove(k);
        }
        (Some(Value::Array(items)), OwnedStep::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

/// Number of nodes in `value`, counting stops a little past `limit`.
fn size(value: &Value, limit: usize) -> usize {
    let mut count = 0;
    walk(value, &mut Vec::new(), &mut |_, _| {
        count += 1;
        count > limit
    });
    count
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn is_schema(path: &[Step]) -> bool {
    matches!(
        path,
        [.., Step::Key("schema" | "items" | "additionalProperties" | "not")]
            | [.., Step::Key("properties"), Step::Key(_)]
            | [.., Step::Key("allOf" | "oneOf" | "anyOf"), Step::Index(_)]
            | [Step::Key("components"), Step::Key("schemas"), Step::Key(_)]
    )
}

fn is_operation(path: &[Step]) -> bool {
    matches!(path, [Step::Key("paths"), Step::Key(_), Step::Key(method)] if METHODS.contains(method))
}

/// Objects whose keys are names chosen by the spec's author.
fn is_name_map(path: &[Step]) -> bool {
    matches!(
        path,
        [Step::Key("paths")]
            | [Step::Key("paths"), Step::Key(_)]
            | [Step::Key("components"), Step::Key(_)]
            | [.., Step::Key("properties" | "responses" | "content" | "variables")]
    )
}

/// Every component's `$ref`, e.g. `#/components/schemas/Thing`.
fn component_refs(doc: &Value, kind: &str) -> Vec<String> {
    doc.pointer(&format!("/components/{kind}"))
        .and_then(Value::as_object)
        .map(|m| m.keys().map(|k| format!("#/components/{kind}/{}", k.replace('~', "~0").replace('/', "~1"))).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Odd names and values

/// Names that have broken (or could break) a generator: keywords, collisions
/// with generated names, characters identifiers cannot hold.
const NAMES: &[&str] = &[
    "", " ", "type", "Type", "TYPE", "self", "Self", "super", "crate", "_", "__", "r#", "r#type", "r#self", "mod",
    "fn", "async", "await", "dyn", "try", "gen", "union", "macro_rules", "static", "Option", "String", "Vec",
    "Box", "Result", "Ok", "None", "Some", "serde", "rt", "crate::x", "1", "123abc", "1st", "9_lives", "ünïcødé",
    "日本語", "🦀", "a-b", "a.b", "a b", "a/b", "a~b", "<", ">", "DateCreated<", "DateCreated>", "'", "\"", "\\",
    "*/", "/*", "#", "{", "}", "{}", "::", "\n", "\r\n", "\t", "\u{0}", "\u{200b}", "```", "#[doc]", "x\ny",
    "Thing", "thing", "THING", "thing_", "Thing2", "thing2", "ThingRequest", "Shared", "shared", "mod.rs", "apis",
    "ListThing", "list_thing", "CreateThing", "Unrecognized", "Value", "Client", "request", "body", "Body", "path",
    "query", "header", "page", "Page", "PageSize", "PageToken", "Token", "next_page_url", "meta",
];

fn name(index: u32) -> String {
    let index = index as usize % (NAMES.len() + 3);
    match index.checked_sub(NAMES.len()) {
        None => NAMES[index].to_owned(),
        Some(0) => "VeryLong".repeat(200),
        Some(1) => "a_".repeat(300),
        _ => "ẞ".repeat(100),
    }
}

/// A name from [`NAMES`] or an arbitrary string.
#[derive(Clone, Debug)]
enum Name {
    Listed(u32),
    Arbitrary(String),
}

impl Name {
    fn text(&self) -> String {
        match self {
            Name::Listed(i) => name(*i),
            Name::Arbitrary(s) => s.clone(),
        }
    }
}

fn name_strategy() -> impl Strategy<Value = Name> {
    prop_oneof![
        4 => any::<u32>().prop_map(Name::Listed),
        1 => proptest::collection::vec(any::<char>(), 0..12).prop_map(|c| Name::Arbitrary(c.into_iter().collect())),
    ]
}

/// A new key for an entry of a name map, suited to what the map holds.
fn new_key(map_path: &[OwnedStep], old: &str, how: u32, name: &Name) -> String {
    let pick = |list: &[&str]| list[how as usize % list.len()].to_owned();
    let last = match map_path.last() {
        Some(OwnedStep::Key(k)) => k.as_str(),
        _ => "",
    };
    match (map_path.len(), last) {
        (1, "paths") => path_variant(old, how, &name.text()),
        (2, _) if matches!(map_path.first(), Some(OwnedStep::Key(k)) if k == "paths") => {
            pick(&["get", "put", "post", "delete", "patch", "head", "options", "trace", "x-other", "GET", "parameters", "servers", ""])
        }
        (_, "responses") => pick(&["200", "201", "204", "2XX", "2xx", "default", "299", "300", "404", "abc", "", "20", "2000"]),
        (_, "content") => pick(&[
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "text/plain",
            "*/*",
            "application/json; charset=utf-8",
            "application/vnd.api+json",
            "application/scim+json",
            "",
        ]),
        // Names that collide once turned into Rust (`Foo`, `foo`, `foo_`, `Foo2`).
        _ if how % 3 == 0 => match how / 3 % 5 {
            0 => old.to_uppercase(),
            1 => old.to_lowercase(),
            2 => format!("{old}_"),
            3 => format!("{old}2"),
            _ => old.replace(['_', '.'], "-"),
        },
        _ => name.text(),
    }
}

/// A path template changed around its placeholders.
fn path_variant(path: &str, how: u32, name: &str) -> String {
    let placeholders: Vec<(usize, usize)> = path
        .match_indices('{')
        .filter_map(|(start, _)| path[start..].find('}').map(|len| (start, start + len + 1)))
        .collect();
    let nth = placeholders.get(how as usize / 8 % placeholders.len().max(1)).copied();
    match (how % 8, nth) {
        (0, Some((s, e))) => format!("{}{{{name}}}{}", &path[..s], &path[e..]),
        (1, Some((s, e))) => format!("{}{}{}", &path[..s], &path[s + 1..e - 1], &path[e..]),
        (2, Some((s, e))) => format!("{path}/{}", &path[s..e]),
        (3, _) => format!("{path}/{{{name}}}"),
        (4, _) => format!("{path}/{{"),
        (5, _) => format!("{path}/{{}}"),
        (6, _) => path.trim_start_matches('/').to_owned(),
        _ => [path, "//", "?x=1", "/%20", "/ü", ""][how as usize / 8 % 6].to_owned(),
    }
}

/// A value of any JSON type, mostly of a type the spec does not expect.
fn odd_value(index: u32, name: &Name) -> Value {
    match index % 16 {
        0 => Value::Null,
        1 => json!(0),
        2 => json!(-1),
        3 => json!(1.5),
        4 => json!(1e300),
        5 => json!(u64::MAX),
        6 => json!(i64::MIN),
        7 => json!(true),
        8 => json!(false),
        9 => json!(name.text()),
        10 => json!([]),
        11 => json!([Value::Null, 1, "x"]),
        12 => json!({}),
        13 => json!({"type": "weird"}),
        14 => json!({"$ref": "#/components/schemas/Missing"}),
        _ => json!({ name.text(): {} }),
    }
}

const PATTERNS: &[&str] = &[
    "(", ")", "[a-", "\\", "a{99999999}", "a{2,1}", "(?=x)", "(?!x)", "(?<=x)", "\\1", "(?<n>a)\\k<n>", "*", "+?",
    "\\p{Weird}", "[[:alpha:]]", "^[A-Z]{2}[0-9a-f]{32}$", "", "^$", "(?i)ünï", "\\", "\"", "#", "\n", "a{1000}{1000}",
];
const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object", "null", "weird", "", "String"];
const FORMATS: &[&str] = &[
    "date-time", "date", "date-time-rfc-2822", "binary", "byte", "uuid", "int32", "int64", "float", "double", "uri",
    "email", "password", "phone-number", "weird", "",
];

/// A keyword added to (or replacing one of) a schema.
fn keyword(doc: &Value, at: &[OwnedStep], which: u32, value: u32, name: &Name) -> (&'static str, Value) {
    let refs = component_refs(doc, "schemas");
    let a_ref = || match refs.len() {
        0 => json!({"$ref": "#/components/schemas/Missing"}),
        n => json!({"$ref": refs[value as usize % n]}),
    };
    // The component this schema sits in, to make reference cycles.
    let own = match at {
        [OwnedStep::Key(c), OwnedStep::Key(s), OwnedStep::Key(name), ..] if c == "components" && s == "schemas" => {
            json!({"$ref": format!("#/components/schemas/{name}")})
        }
        _ => a_ref(),
    };
    let properties: Vec<String> = get(doc, at)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let v = value as usize;
    match which % 20 {
        0 => ("allOf", [json!([a_ref(), {}]), json!([]), json!([own]), json!([{"type": "string"}]), json!({})][v % 5].clone()),
        1 => ("oneOf", [json!([a_ref(), {"type": "string"}]), json!([]), json!([own])][v % 3].clone()),
        2 => ("anyOf", [json!([a_ref()]), json!([{}])][v % 2].clone()),
        3 => ("not", [json!({}), own][v % 2].clone()),
        4 => (
            "enum",
            [
                json!([]),
                json!([true, false]),
                json!([Value::Null]),
                json!(["", " ", "a-b", "1", "Self", "self", "type", "A", "a", "a"]),
                json!([1, "1", 1.5, null, {}, []]),
                json!([name.text(), name.text().to_uppercase()]),
                json!("notalist"),
            ][v % 7]
                .clone(),
        ),
        5 => (
            "required",
            match v % 4 {
                0 => json!(properties),
                1 => json!(["missing", "", name.text()]),
                2 => json!([1, null]),
                _ => json!(true),
            },
        ),
        6 => ("pattern", json!(PATTERNS[v % PATTERNS.len()])),
        7 => ("format", json!(FORMATS[v % FORMATS.len()])),
        8 => ("nullable", [json!(true), json!(false), json!("yes")][v % 3].clone()),
        9 => ("type", [json!(TYPES[v % TYPES.len()]), json!(["string", "null"])][v / TYPES.len() % 2].clone()),
        10 => ("items", [json!({}), a_ref(), own, json!([]), json!({"type": "array"})][v % 5].clone()),
        11 => ("additionalProperties", [json!(true), json!(false), json!({}), a_ref(), own][v % 5].clone()),
        12 => (
            "properties",
            [json!({}), json!({ name.text(): {"type": "string"} }), json!({"a": own, "A": {}}), json!({"": {}})][v % 4]
                .clone(),
        ),
        13 => {
            let limits = ["minimum", "maximum", "exclusiveMinimum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems"];
            let numbers = [json!(-1), json!(0), json!(1.5), json!(1e308), json!(u64::MAX), json!(i64::MIN), json!("5")];
            (limits[v % limits.len()], numbers[v / limits.len() % numbers.len()].clone())
        }
        14 => ("default", odd_value(value, name)),
        15 => ("readOnly", json!(true)),
        16 => ("x-twilio", json!({"pii": {"handling": "sensitive", "deleteSla": 30}})),
        17 => ("discriminator", json!({"propertyName": name.text()})),
        18 => ("$ref", own),
        _ => ("title", json!(name.text())),
    }
}

// ---------------------------------------------------------------------------
// Mutations

/// One structural change to a spec. The numbers select a node (modulo the
/// number of candidates) or an option, so that proptest can shrink them.
#[derive(Clone, Debug)]
enum Mutation {
    /// Delete one key of an object.
    Delete { at: u32, key: u32 },
    /// Replace any value with one of (mostly) another JSON type.
    Replace { at: u32, with: u32, name: Name },
    /// Replace a schema with `{}`, `{"type": "weird"}`, a `$ref`, ...
    ReplaceSchema { at: u32, with: u32 },
    /// Point a `$ref` at another component, a missing one, or something odd.
    Retarget { at: u32, target: u32, how: u32 },
    /// Add (or overwrite) a keyword of a schema.
    AddKeyword { at: u32, which: u32, value: u32, name: Name },
    /// Rename an entry of a name map (paths, methods, properties,
    /// components, responses, media types).
    RenameKey { at: u32, key: u32, how: u32, name: Name },
    /// Copy an entry of a name map under a new, possibly colliding, key.
    DuplicateEntry { at: u32, key: u32, how: u32, name: Name },
    /// Replace a string (operationId, tag, parameter name, title, ...).
    SetString { at: u32, name: Name },
    /// Copy a subtree over another node, or move it there.
    Copy { from: u32, to: u32, moved: bool },
    /// Wrap a schema in `depth` arrays, `allOf`s or objects.
    Nest { at: u32, depth: u8, how: u32 },
    /// Change where a parameter goes, or an operation's servers.
    Operation { at: u32, how: u32, name: Name },
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    let n = any::<u32>;
    prop_oneof![
        2 => (n(), n()).prop_map(|(at, key)| Mutation::Delete { at, key }),
        1 => (n(), n(), name_strategy()).prop_map(|(at, with, name)| Mutation::Replace { at, with, name }),
        2 => (n(), n()).prop_map(|(at, with)| Mutation::ReplaceSchema { at, with }),
        2 => (n(), n(), n()).prop_map(|(at, target, how)| Mutation::Retarget { at, target, how }),
        4 => (n(), n(), n(), name_strategy()).prop_map(|(at, which, value, name)| Mutation::AddKeyword { at, which, value, name }),
        3 => (n(), n(), n(), name_strategy()).prop_map(|(at, key, how, name)| Mutation::RenameKey { at, key, how, name }),
        2 => (n(), n(), n(), name_strategy()).prop_map(|(at, key, how, name)| Mutation::DuplicateEntry { at, key, how, name }),
        2 => (n(), name_strategy()).prop_map(|(at, name)| Mutation::SetString { at, name }),
        1 => (n(), n(), any::<bool>()).prop_map(|(from, to, moved)| Mutation::Copy { from, to, moved }),
        1 => (n(), 1..40u8, n()).prop_map(|(at, depth, how)| Mutation::Nest { at, depth, how }),
        2 => (n(), n(), name_strategy()).prop_map(|(at, how, name)| Mutation::Operation { at, how, name }),
    ]
}

/// The largest subtree a `Copy` duplicates, so that a few copies cannot blow
/// a big spec up.
const COPY_LIMIT: usize = 2_000;

impl Mutation {
    fn apply(&self, doc: &mut Value) {
        match self {
            Mutation::Delete { at, key } => {
                let Some(path) = pick(doc, *at, &|_, v| v.as_object().is_some_and(|m| !m.is_empty())) else { return };
                if let Some(Value::Object(map)) = get_mut(doc, &path) {
                    let key = map.keys().nth(*key as usize % map.len()).cloned().expect("non-empty");
                    map.remove(&key);
                }
            }
            Mutation::Replace { at, with, name } => {
                let Some(path) = pick(doc, *at, &|p, _| !p.is_empty()) else { return };
                *get_mut(doc, &path).expect("picked") = odd_value(*with, name);
            }
            Mutation::ReplaceSchema { at, with } => {
                let Some(path) = pick(doc, *at, &|p, _| is_schema(p)) else { return };
                let refs = component_refs(doc, "schemas");
                let replacement = match with % 8 {
                    0 => json!({}),
                    1 => json!({"type": "weird"}),
                    2 => json!({"type": "array"}),
                    3 => json!({"type": "object", "properties": {}}),
                    4 => json!({"type": "string", "enum": []}),
                    5 => json!({"$ref": "#/components/schemas/Missing"}),
                    _ if refs.is_empty() => json!(true),
                    _ => json!({"$ref": refs[*with as usize / 8 % refs.len()]}),
                };
                *get_mut(doc, &path).expect("picked") = replacement;
            }
            Mutation::Retarget { at, target, how } => {
                let Some(path) = pick(doc, *at, &|p, v| matches!(p.last(), Some(Step::Key("$ref"))) && v.is_string())
                else {
                    return;
                };
                let kind = ["schemas", "parameters", "responses", "requestBodies"][*how as usize % 4];
                let refs = component_refs(doc, kind);
                let new = match (how / 4 % 4, refs.len()) {
                    (0, n) if n > 0 => refs[*target as usize % n].clone(),
                    (1, _) => format!("#/components/{kind}/Missing{target}"),
                    (2, _) => [
                        "",
                        "#",
                        "#/",
                        "#/components",
                        "#/components/schemas",
                        "#/components/schemas/",
                        "other.json#/components/schemas/X",
                        "https://example.com/spec.json",
                        "#/paths/~1x/get",
                        "#/components/schemas/a~1b",
                        "#/components/schemas/a~2b",
                        "#/components/schemas/%7B%7D",
                    ][*target as usize % 12]
                        .to_owned(),
                    // Any component of another kind where this kind is expected.
                    _ => {
                        let all: Vec<String> = ["schemas", "parameters", "responses", "requestBodies", "securitySchemes"]
                            .iter()
                            .flat_map(|k| component_refs(doc, k))
                            .collect();
                        if all.is_empty() { return } else { all[*target as usize % all.len()].clone() }
                    }
                };
                *get_mut(doc, &path).expect("picked") = json!(new);
            }
            Mutation::AddKeyword { at, which, value, name } => {
                let Some(path) = pick(doc, *at, &|p, v| is_schema(p) && v.is_object()) else { return };
                let (key, value) = keyword(doc, &path, *which, *value, name);
                if let Some(Value::Object(schema)) = get_mut(doc, &path) {
                    schema.insert(key.to_owned(), value);
                }
            }
            Mutation::RenameKey { at, key, how, name } | Mutation::DuplicateEntry { at, key, how, name } => {
                let Some(path) = pick(doc, *at, &|p, v| is_name_map(p) && v.as_object().is_some_and(|m| !m.is_empty()))
                else {
                    return;
                };
                let Some(Value::Object(map)) = get_mut(doc, &path) else { return };
                let old = map.keys().nth(*key as usize % map.len()).cloned().expect("non-empty");
                let new = new_key(&path, &old, *how, name);
                let entry = if matches!(self, Mutation::RenameKey { .. }) { map.remove(&old) } else { map.get(&old).cloned() };
                map.insert(new, entry.expect("present"));
            }
            Mutation::SetString { at, name } => {
                let Some(path) = pick(doc, *at, &|p, v| v.is_string() && !p.is_empty()) else { return };
                *get_mut(doc, &path).expect("picked") = json!(name.text());
            }
            Mutation::Copy { from, to, moved } => {
                let Some(source) = pick(doc, *from, &|p, v| !p.is_empty() && size(v, COPY_LIMIT) <= COPY_LIMIT) else {
                    return;
                };
                let Some(target) = pick(doc, *to, &|p, _| !p.is_empty()) else { return };
                let value = get(doc, &source).expect("picked").clone();
                *get_mut(doc, &target).expect("picked") = value;
                if *moved && !target.starts_with(&source) && !source.starts_with(&target) {
                    remove(doc, &source);
                }
            }
            Mutation::Nest { at, depth, how } => {
                let Some(path) = pick(doc, *at, &|p, _| is_schema(p)) else { return };
                let node = get_mut(doc, &path).expect("picked");
                for _ in 0..*depth {
                    let inner = node.take();
                    *node = match how % 3 {
                        0 => json!({"type": "array", "items": inner}),
                        1 => json!({"allOf": [inner]}),
                        _ => json!({"type": "object", "properties": {"inner": inner}}),
                    };
                }
            }
            Mutation::Operation { at, how, name } => {
                let wanted = |p: &[Step], v: &Value| {
                    v.is_object() && (is_operation(p) || matches!(p, [.., Step::Key("parameters"), Step::Index(_)]))
                };
                let Some(path) = pick(doc, *at, &wanted) else { return };
                let Some(Value::Object(node)) = get_mut(doc, &path) else { return };
                let v = *how as usize / 6;
                let (key, value) = match how % 6 {
                    0 => ("in", json!(["path", "query", "header", "cookie", "body", "formData", ""][v % 7])),
                    1 => ("required", json!(v % 2 == 0)),
                    2 => ("style", json!(["form", "simple", "deepObject", "spaceDelimited", "matrix", "weird"][v % 6])),
                    3 => ("servers", [json!([]), json!([{"url": name.text()}]), json!([{"url": "https://{region}.example.com", "variables": {"region": {"default": "", "enum": []}}}]), json!([{"url": "/relative"}])][v % 4].clone()),
                    4 => ("operationId", json!(name.text())),
                    _ => ("tags", [json!([]), json!([name.text()]), json!(["A", "A"]), json!([name.text(), "Other"])][v % 4].clone()),
                };
                node.insert(key.to_owned(), value);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// One case: a seed, its mutations, and how it is handed to the generator

#[derive(Clone, Debug)]
struct Case {
    seed: u32,
    mutations: Vec<Mutation>,
    yaml: bool,
    /// A file stem other than the seed's (module names come from it).
    stem: Option<Name>,
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        any::<u32>(),
        proptest::collection::vec(mutation_strategy(), 1..8),
        proptest::bool::weighted(0.15),
        proptest::option::weighted(0.1, name_strategy()),
    )
        .prop_map(|(seed, mutations, yaml, stem)| Case { seed, mutations, yaml, stem })
}

/// An input to the generator, as a file would give it.
#[derive(Clone, Debug)]
struct Input {
    doc: Value,
    yaml: bool,
    stem: String,
}

impl Input {
    fn of(case: &Case, seeds: &[Seed]) -> Input {
        let seed = &seeds[case.seed as usize % seeds.len()];
        let mut doc = seed.doc.clone();
        for mutation in &case.mutations {
            mutation.apply(&mut doc);
        }
        let stem = match &case.stem {
            Some(name) => name.text(),
            None => seed.name.rsplit_once('.').map_or(seed.name.as_str(), |(stem, _)| stem).to_owned(),
        };
        Input { doc, yaml: case.yaml, stem }
    }

    fn text(&self) -> String {
        if self.yaml {
            serde_yaml::to_string(&self.doc).expect("a JSON tree is YAML")
        } else {
            serde_json::to_string_pretty(&self.doc).expect("a JSON tree is JSON")
        }
    }

    fn extension(&self) -> &'static str {
        if self.yaml { "yaml" } else { "json" }
    }

    fn display(&self) -> String {
        format!("specs/{}.{}", self.stem, self.extension())
    }
}

// ---------------------------------------------------------------------------
// Running the pipeline and judging the outcome

/// A panic caught while generating.
#[derive(Clone, Debug)]
struct Caught {
    message: String,
    location: String,
    backtrace: String,
}

thread_local! {
    /// Whether this thread is inside [`catch`]: its panics are recorded, not printed.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: RefCell<Option<Caught>> = const { RefCell::new(None) };
}

/// Runs `f`, turning a panic into a [`Caught`] without printing it.
fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Caught> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CATCHING.get() {
                return default(info);
            }
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(not a string)".to_owned());
            let location = info.location().map_or_else(|| "(unknown)".to_owned(), |l| l.to_string());
            let backtrace = Backtrace::force_capture().to_string();
            CAUGHT.set(Some(Caught { message, location, backtrace }));
        }));
    });
    CATCHING.set(true);
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.set(false);
    result.map_err(|_| {
        CAUGHT.take().unwrap_or_else(|| Caught {
            message: "(no message)".into(),
            location: "(unknown)".into(),
            backtrace: String::new(),
        })
    })
}

/// What the generator did with an input that did not break the property.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Outcome {
    Accepted,
    /// Not an OpenAPI 3.0 document (refused by `load`).
    RefusedByLoad,
    /// Refused with diagnostics by lowering.
    Refused,
}

const OUTCOMES: [(Outcome, &str); 3] =
    [(Outcome::Accepted, "accepted"), (Outcome::RefusedByLoad, "refused_by_load"), (Outcome::Refused, "refused")];

/// How the generator broke the property.
#[derive(Clone, Debug)]
enum Failure {
    Panic(Caught),
    /// A refusal that is the generator's fault (emitted tokens do not parse).
    Internal(String),
    /// A generated file without its header, or that does not parse.
    BadFile { path: String, problem: String },
    /// The worker died: a stack overflow aborts instead of panicking.
    Crash { status: String, stderr: String },
    Hang(Duration),
}

impl Failure {
    /// What makes two failures the same bug: where a panic happened, the
    /// kind of problem otherwise (with the names it quotes left out).
    fn signature(&self) -> String {
        let unquoted = |text: &str| text.split('`').step_by(2).collect::<Vec<_>>().join("`_`");
        match self {
            Failure::Panic(caught) => format!("panic at {}", caught.location),
            Failure::Internal(message) => {
                let problem = message.rsplit(" do not parse: ").next().unwrap_or_default();
                format!("internal error: emitted tokens do not parse: {}", unquoted(problem))
            }
            Failure::BadFile { problem, .. } => format!("bad file: {}", unquoted(problem)),
            Failure::Crash { stderr, .. } if stderr.contains("overflowed its stack") => "crash: stack overflow".into(),
            Failure::Crash { status, .. } => format!("crash: {status}"),
            Failure::Hang(_) => "hang".into(),
        }
    }

    fn describe(&self) -> String {
        match self {
            Failure::Panic(c) => {
                // The first frames in the generator itself say where to look.
                let ours: Vec<&str> =
                    c.backtrace.lines().filter(|l| l.contains("codegen/src/")).map(str::trim).take(6).collect();
                format!("panicked at {}: {}\n  generator frames:\n    {}", c.location, c.message, ours.join("\n    "))
            }
            Failure::Internal(message) => format!("internal error: {message}"),
            Failure::BadFile { path, problem } => format!("generated {path}: {problem}"),
            Failure::Crash { status, stderr } => format!("the generator crashed ({status}):\n{stderr}"),
            Failure::Hang(limit) => format!("the generator took more than {} s", limit.as_secs()),
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Failure::Panic(c) => json!({"panic": {"message": c.message, "location": c.location, "backtrace": c.backtrace}}),
            Failure::Internal(message) => json!({"internal": message}),
            Failure::BadFile { path, problem } => json!({"bad_file": {"path": path, "problem": problem}}),
            Failure::Crash { .. } | Failure::Hang(_) => unreachable!("only a worker's parent sees these"),
        }
    }

    fn from_json(value: &Value) -> Failure {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        if let Some(p) = value.get("panic") {
            Failure::Panic(Caught { message: text(&p["message"]), location: text(&p["location"]), backtrace: text(&p["backtrace"]) })
        } else if let Some(b) = value.get("bad_file") {
            Failure::BadFile { path: text(&b["path"]), problem: text(&b["problem"]) }
        } else {
            Failure::Internal(text(&value["internal"]))
        }
    }
}

const HEADER_START: &str = "// @generated by `cargo xtask codegen` from ";

/// Runs the pipeline on one input, in this process, and judges the result.
fn run(text: &str, is_json: bool, display: &str, stem: &str) -> Result<Outcome, Failure> {
    let generated = catch(|| {
        let module = codegen::module_name(stem);
        codegen::generate_text(text, is_json, display, &module)
    })
    .map_err(Failure::Panic)?;
    let output = match generated {
        Ok(output) => output,
        Err(diagnostics) => {
            if let Some(d) = diagnostics.iter().find(|d| d.message.contains("internal error")) {
                return Err(Failure::Internal(d.to_string()));
            }
            let by_load = diagnostics.len() == 1
                && (diagnostics[0].message.starts_with("not a valid OpenAPI")
                    || diagnostics[0].message.starts_with("OpenAPI version"));
            return Ok(if by_load { Outcome::RefusedByLoad } else { Outcome::Refused });
        }
    };
    for (path, text) in &output.files {
        let bad = |problem: String| Failure::BadFile { path: path.clone(), problem };
        let first_line = text.lines().next().unwrap_or_default();
        if !first_line.starts_with(HEADER_START) || !text.starts_with(&codegen::render::header(display)) {
            return Err(bad(format!("header: first line is {first_line:?}")));
        }
        if let Err(e) = syn::parse_file(text) {
            return Err(bad(format!("does not parse: {e}")));
        }
    }
    Ok(Outcome::Accepted)
}

// ---------------------------------------------------------------------------
// Workers: the pipeline in a child process

/// How a worker's replies start, to tell them from the test harness's output.
const REPLY: &str = "@@fuzz ";
/// Longer than any spec takes (the biggest take well under a second in a
/// release build, a few seconds in a debug one).
const CASE_TIMEOUT: Duration = Duration::from_secs(120);

/// Not a test: the process that the fuzz tests send their inputs to (see
/// [`Worker`]). It reads one JSON request a line and answers each with a
/// line `@@fuzz {json}`.
#[test]
#[ignore = "runs only as a fuzz worker, started by the other tests here"]
fn worker() {
    if std::env::var_os("CODEGEN_FUZZ_WORKER").is_none() {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let request: Value = serde_json::from_str(&line.expect("a request")).expect("a JSON request");
        let field = |name: &str| request[name].as_str().expect("a string field");
        let reply = match run(field("text"), request["is_json"] == true, field("display"), field("stem")) {
            Ok(outcome) => json!({"outcome": OUTCOMES.iter().find(|(o, _)| *o == outcome).expect("listed").1}),
            Err(failure) => json!({"failure": failure.to_json()}),
        };
        writeln!(stdout, "{REPLY}{reply}").and_then(|()| stdout.flush()).expect("replying");
    }
}

/// This test binary running [`worker`]: a stack overflow aborts the process
/// instead of panicking, and a hang never returns, so the pipeline runs in
/// a child that can die without ending the fuzz run. A dead worker is
/// replaced on the next input.
struct Worker {
    running: Option<Running>,
    stderr: PathBuf,
}

struct Running {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<String>,
}

impl Worker {
    fn new() -> Worker {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        Worker { running: None, stderr: scratch().join(format!("fuzz-worker-{}-{n}.stderr", std::process::id())) }
    }

    fn start(stderr: &Path) -> Running {
        let mut child = Command::new(std::env::current_exe().expect("this test binary"))
            .args(["worker", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
            .env("CODEGEN_FUZZ_WORKER", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(File::create(stderr).expect("the worker's stderr file"))
            .spawn()
            .expect("starting a fuzz worker");
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let (sender, replies) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // The harness's `test worker ... ` may precede the first reply.
                if let Some((_, reply)) = line.split_once(REPLY) {
                    if sender.send(reply.to_owned()).is_err() {
                        break;
                    }
                }
            }
        });
        Running { child, stdin, replies }
    }

    fn run(&mut self, text: &str, is_json: bool, display: &str, stem: &str) -> Result<Outcome, Failure> {
        let running = self.running.get_or_insert_with(|| Worker::start(&self.stderr));
        let request = json!({"text": text, "is_json": is_json, "display": display, "stem": stem});
        let sent = writeln!(running.stdin, "{request}").and_then(|()| running.stdin.flush());
        let reply = match sent {
            Ok(()) => running.replies.recv_timeout(CASE_TIMEOUT),
            Err(_) => Err(RecvTimeoutError::Disconnected),
        };
        match reply {
            Ok(line) => {
                let reply: Value = serde_json::from_str(&line).expect("a JSON reply");
                match reply["outcome"].as_str() {
                    Some(name) => Ok(OUTCOMES.iter().find(|(_, n)| *n == name).expect("a known outcome").0),
                    None => Err(Failure::from_json(&reply["failure"])),
                }
            }
            Err(why) => {
                let mut dead = self.running.take().expect("running");
                let hung = why == RecvTimeoutError::Timeout;
                if hung {
                    // Our own child, by its handle.
                    let _ = dead.child.kill();
                }
                let status = dead.child.wait().map_or_else(|e| e.to_string(), |s| s.to_string());
                let stderr = std::fs::read_to_string(&self.stderr).unwrap_or_default();
                let tail: Vec<&str> = stderr.lines().rev().take(5).collect::<Vec<_>>().into_iter().rev().collect();
                Err(if hung { Failure::Hang(CASE_TIMEOUT) } else { Failure::Crash { status, stderr: tail.join("\n") } })
            }
        }
    }

    fn run_input(&mut self, input: &Input) -> Result<Outcome, Failure> {
        self.run(&input.text(), !input.yaml, &input.display(), &input.stem)
    }

    fn run_file(&mut self, path: &Path) -> Result<Outcome, Failure> {
        let (text, is_json, display, stem) = read_input(path);
        self.run(&text, is_json, &display, &stem)
    }
}

/// The key of a saved input that holds the file stem it failed with (module
/// names come from it, and some stems are not file names: `"\n"`).
const STEM_KEY: &str = "x-fuzz-file-stem";

/// A saved input: its text, whether it is JSON, its display name and stem
/// (from [`STEM_KEY`], else from the file name).
fn read_input(path: &Path) -> (String, bool, String, String) {
    let name = path.file_name().expect("a file").to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
    let is_json = extension == "json";
    let tree: Option<Value> = if is_json { serde_json::from_str(&text).ok() } else { serde_yaml::from_str(&text).ok() };
    let stem = match tree.as_ref().and_then(|t| t.get(STEM_KEY)).and_then(Value::as_str) {
        Some(stem) => stem.to_owned(),
        None => stem.to_owned(),
    };
    let display = format!("specs/{stem}.{extension}");
    (text, is_json, display, stem)
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(Running { mut child, stdin, .. }) = self.running.take() {
            // End of input ends the worker.
            drop(stdin);
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(&self.stderr);
    }
}

// ---------------------------------------------------------------------------
// Shrinking a failing document

/// Deletes parts of `input.doc` (halves of objects and arrays first, then
/// single entries) while it still fails with `signature`, until nothing more
/// can go or `deadline` passes.
fn minimize(worker: &mut Worker, mut input: Input, signature: &str, deadline: Instant) -> Input {
    let mut fails_the_same = |candidate: &Input| matches!(worker.run_input(candidate), Err(f) if f.signature() == signature);
    loop {
        let mut progress = false;
        // Containers, parents first; paths are collected again after each pass.
        let mut containers = Vec::new();
        walk(&input.doc, &mut Vec::new(), &mut |path, value| {
            if value.is_object() || value.is_array() {
                containers.push(owned(path));
            }
            false
        });
        for container in containers {
            let mut chunk = children(&input.doc, &container).div_ceil(2).max(1);
            loop {
                let mut start = 0;
                while start < children(&input.doc, &container) {
                    if Instant::now() > deadline {
                        return input;
                    }
                    let mut candidate = input.clone();
                    drop_children(&mut candidate.doc, &container, start, chunk);
                    if fails_the_same(&candidate) {
                        input = candidate;
                        progress = true;
                    } else {
                        start += chunk;
                    }
                }
                if chunk == 1 {
                    break;
                }
                chunk = chunk.div_ceil(2);
            }
        }
        if !progress {
            return input;
        }
    }
}

fn children(doc: &Value, path: &[OwnedStep]) -> usize {
    match get(doc, path) {
        Some(Value::Object(m)) => m.len(),
        Some(Value::Array(a)) => a.len(),
        _ => 0,
    }
}

fn drop_children(doc: &mut Value, path: &[OwnedStep], start: usize, count: usize) {
    match get_mut(doc, path) {
        Some(Value::Object(map)) => {
            let keys: Vec<String> = map.keys().skip(start).take(count).cloned().collect();
            for key in keys {
                map.remove(&key);
            }
        }
        Some(Value::Array(items)) => {
            let end = (start + count).min(items.len());
            items.drain(start.min(end)..end);
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// The tests

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(value.trim().parse().unwrap_or_else(|_| panic!("{name}={value} is not a number")))
}

fn scratch() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

fn pending_files() -> Vec<PathBuf> {
    files_in(&regressions_dir(), &[".json", ".yaml"]).into_iter().filter(|p| is_pending(p)).collect()
}

#[test]
fn generator_never_panics_on_mutated_specs() {
    let started = Instant::now();
    let seeds = seeds();
    let cases = env_number("CODEGEN_FUZZ_CASES");
    let seed = env_number("CODEGEN_FUZZ_SEED").unwrap_or_else(|| match cases {
        // The default run is the same every time; a sized run explores.
        None => 0,
        Some(_) => SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64),
    });
    let cases = cases.unwrap_or(128);
    println!("fuzz: {cases} cases from {} seed spec(s), CODEGEN_FUZZ_SEED={seed}", seeds.len());

    // Known bugs (pending regressions) are counted, not failed on again.
    let worker = RefCell::new(Worker::new());
    let mut known: BTreeMap<String, (String, Cell<u64>)> = BTreeMap::new();
    for path in pending_files() {
        if let Err(failure) = worker.borrow_mut().run_file(&path) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            known.entry(failure.signature()).or_insert((name, Cell::new(0)));
        }
    }

    let config = Config {
        cases: u32::try_from(cases).expect("CODEGEN_FUZZ_CASES fits in a u32"),
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: 1_000,
        max_shrink_time: 60_000,
        ..Config::default()
    };
    let tried = Cell::new(0u64);
    let outcomes = OUTCOMES.map(|_| Cell::new(0u64));
    let mut runner = TestRunner::new(config);
    let result = runner.run(&case_strategy(), |case| {
        let input = Input::of(&case, &seeds);
        tried.set(tried.get() + 1);
        match worker.borrow_mut().run_input(&input) {
            Ok(outcome) => {
                let counter = &outcomes[OUTCOMES.iter().position(|(o, _)| *o == outcome).expect("listed")];
                counter.set(counter.get() + 1);
                Ok(())
            }
            Err(failure) => match known.get(&failure.signature()) {
                Some((_, count)) => {
                    count.set(count.get() + 1);
                    Ok(())
                }
                None => Err(TestCaseError::fail(failure.signature())),
            },
        }
    });
    let [accepted, by_load, refused] = &outcomes;
    println!(
        "fuzz: {} inputs tried in {:.1} s: {} accepted, {} refused by lowering, {} refused as not OpenAPI 3.0",
        tried.get(),
        started.elapsed().as_secs_f64(),
        accepted.get(),
        refused.get(),
        by_load.get()
    );
    for (signature, (file, count)) in &known {
        println!("fuzz: {} hit a known bug ({signature}; {file})", count.get());
    }
    match result {
        Ok(()) => {}
        Err(TestError::Abort(why)) => panic!("fuzz run aborted: {why}"),
        Err(TestError::Fail(signature, case)) => {
            let signature = signature.message().to_owned();
            let mut worker = worker.borrow_mut();
            let input = Input::of(&case, &seeds);
            let mut input = minimize(&mut worker, input, &signature, Instant::now() + Duration::from_secs(120));
            // Saved with its file stem, unless that changes how it fails.
            let mut with_stem = input.clone();
            if let Value::Object(root) = &mut with_stem.doc {
                root.insert(STEM_KEY.to_owned(), json!(input.stem));
            }
            if matches!(worker.run_input(&with_stem), Err(f) if f.signature() == signature) {
                input = with_stem;
            }
            let failure = worker.run_input(&input).expect_err("the minimized input still fails");
            let dir = scratch().join("fuzz-failures");
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join(format!("{}.{}", slug(&signature), input.extension()));
            let text = input.text();
            std::fs::write(&file, &text).unwrap();
            let shown = if text.len() < 6_000 { text.as_str() } else { "(too long to show)" };
            panic!(
                "{}\n\nfrom {} after {case:?}\nminimized to {} (as file stem {:?}); keep it in \
                 codegen/tests/fuzz_regressions/ (`.pending.json` until fixed):\n{shown}",
                failure.describe(),
                seeds[case.seed as usize % seeds.len()].name,
                file.display(),
                input.stem,
            );
        }
    }
}

fn owned(path: &[Step]) -> Vec<OwnedStep> {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => OwnedStep::Key((*k).to_owned()),
            Step::Index(i) => OwnedStep::Index(*i),
        })
        .collect()
}

fn slug(signature: &str) -> String {
    let slug: String = signature.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    slug.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-")
}

/// Every input that ever broke the property stays a test.
///
/// Each file in `tests/fuzz_regressions/` is a spec (JSON or YAML) that once
/// made the generator panic, crash, hang or write a broken file. It is given
/// to the generator with the file stem in its `x-fuzz-file-stem` (module
/// names come from the stem), else with its own.
/// A file named `*.pending.json` (or `.yaml`) is a known bug, not fixed yet:
/// it is skipped here, except that it must still fail (when it no longer
/// does, the fix has landed: drop `.pending` from its name). Files run in a
/// worker process, so that one that crashes cannot take the others with it.
#[test]
fn regressions() {
    let files = files_in(&regressions_dir(), &[".json", ".yaml"]);
    let mut worker = Worker::new();
    let mut problems = Vec::new();
    let mut pending = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match (worker.run_file(path), is_pending(path)) {
            (Ok(_), false) => {}
            (Err(failure), false) => problems.push(format!("{name}: {}", failure.describe())),
            (Ok(_), true) => problems.push(format!("{name} passes now: drop `.pending` from its name")),
            (Err(failure), true) => pending.push(format!("{name} ({})", failure.signature())),
        }
    }
    println!("fuzz regressions: {} file(s), {} pending:", files.len(), pending.len());
    for line in &pending {
        println!("  {line}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn mutations_change_the_document() {
    // A mutation that silently does nothing would make the fuzz run test
    // the seeds over and over; each kind must change the proxy spec.
    let seeds = seeds();
    let proxy = seeds.iter().find(|s| s.name == "twilio_proxy_v1.yaml").expect("specs/twilio_proxy_v1.yaml");
    let name = Name::Listed(2);
    let kinds = [
        Mutation::Delete { at: 3, key: 1 },
        Mutation::Replace { at: 5, with: 9, name: name.clone() },
        Mutation::ReplaceSchema { at: 2, with: 0 },
        Mutation::Retarget { at: 0, target: 1, how: 1 },
        Mutation::AddKeyword { at: 1, which: 6, value: 0, name: name.clone() },
        Mutation::RenameKey { at: 0, key: 0, how: 1, name: name.clone() },
        Mutation::DuplicateEntry { at: 2, key: 0, how: 0, name: name.clone() },
        Mutation::SetString { at: 4, name: name.clone() },
        Mutation::Copy { from: 7, to: 30, moved: true },
        Mutation::Nest { at: 1, depth: 2, how: 0 },
        Mutation::Operation { at: 0, how: 4, name },
    ];
    for mutation in kinds {
        let mut doc = proxy.doc.clone();
        mutation.apply(&mut doc);
        assert!(doc != proxy.doc, "{mutation:?} changed nothing");
    }
    // The seed itself generates, so mutants start from working input.
    let input = Input { doc: proxy.doc.clone(), yaml: false, stem: "twilio_proxy_v1".into() };
    assert_eq!(run(&input.text(), true, &input.display(), &input.stem).ok(), Some(Outcome::Accepted));
}

/// Runs one input in this process (a saved failure, to debug it) and
/// reports what the property says:
///
/// ```text
/// CODEGEN_FUZZ_REPLAY=<spec file> cargo test -p codegen --test fuzz -- replay --exact --ignored --nocapture
/// ```
///
/// (A relative path is taken from `codegen/`, where cargo runs the tests.)
/// [`replay_runs_one_saved_input`] checks that it works.
#[test]
#[ignore = "a debugging aid: run by hand with CODEGEN_FUZZ_REPLAY=<spec file> (see its doc comment)"]
fn replay() {
    let path = std::env::var_os("CODEGEN_FUZZ_REPLAY")
        .expect("CODEGEN_FUZZ_REPLAY=<spec file> names the input to replay (see this test's doc comment)");
    let (text, is_json, display, stem) = read_input(Path::new(&path));
    match run(&text, is_json, &display, &stem) {
        Err(failure) => panic!("{}", failure.describe()),
        Ok(outcome) => println!("replay: {outcome:?}"),
    }
    let module = codegen::module_name(&stem);
    if let Err(diagnostics) = codegen::generate_text(&text, is_json, &display, &module) {
        for diagnostic in diagnostics {
            println!("{diagnostic}");
        }
    }
}

/// [`replay`], run as its doc comment says, on a small saved input: it runs
/// (one test passed, not zero) and prints the outcome.
#[test]
fn replay_runs_one_saved_input() {
    let input = regressions_dir().join("tag-named-mod-emitted-a-module-that-did-not-parse.json");
    assert!(input.is_file(), "{}", input.display());
    let output = Command::new(std::env::current_exe().expect("this test binary"))
        .args(["replay", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("CODEGEN_FUZZ_REPLAY", &input)
        .output()
        .expect("running replay");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("1 passed"), "replay ran: {stdout}");
    assert!(stdout.contains("replay: Accepted\n"), "the outcome is printed: {stdout}");
}
