//! Reading real documents leniently: what breaks the letter of OpenAPI in
//! ways other tools shrug off is repaired on the JSON tree before
//! `openapiv3` reads it, each repair a [`Severity::Degraded`] diagnostic
//! with its pointer (`--strict` turns them into errors).
//!
//! - [`resolve_refs`]: a `$ref` to any local JSON pointer (into another
//!   schema's properties, into `paths`, into a section OpenAPI does not
//!   define, into `$defs`) is rewritten to a component of the kind its
//!   place needs (`#/components/schemas/...`, `parameters`, ...), holding a
//!   copy of the target; the rest of the pipeline only ever sees
//!   component references.
//! - [`repair`]: a missing `info.version`, `0`/`1` or `"true"` where a
//!   boolean belongs, a map where a description belongs, integer bounds
//!   beyond 64 bits, 3.1 type lists in a 3.0 document, schemas nested too
//!   deep for the reader.
//! - [`read`]: what `openapiv3` still cannot read is found by reading:
//!   the smallest enclosing schema becomes `{}` (any JSON value), else the
//!   parameter, response, operation or component is left out, and the
//!   document is read again.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, Severity, pointer};

/// Component sections a reference may point into directly.
const SECTIONS: &[&str] =
    &["schemas", "parameters", "responses", "requestBodies", "headers", "examples", "securitySchemes", "links", "callbacks"];

/// How deep schemas may nest (`properties`, `items`, `allOf`, ...). openapiv3
/// reads a schema by trying its shapes in turn, so an error deep inside is
/// read again for each shape tried at every level above it: the time to
/// read such a document doubles with each level (20 took minutes). Deeper
/// schemas are any JSON value. Twilio's specs nest 7 deep at most.
pub const MAX_SCHEMA_DEPTH: usize = 16;

/// Collects repairs as diagnostics of one file.
pub(crate) struct Repairs<'a> {
    display: &'a str,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> Repairs<'a> {
    pub(crate) fn new(display: &'a str) -> Self {
        Repairs { display, diagnostics: Vec::new() }
    }

    fn degraded(&mut self, location: String, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Degraded,
            file: self.display.to_owned(),
            location,
            message: message.into(),
        });
    }
}

/// Decodes one JSON pointer into its segments (`~1` is `/`, `~0` is `~`,
/// and `%7B`-style escapes that some documents use are decoded too).
fn segments(reference: &str) -> Option<Vec<String>> {
    let rest = reference.strip_prefix('#')?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let rest = rest.strip_prefix('/')?;
    Some(rest.split('/').map(|s| percent_decode(s).replace("~1", "/").replace("~0", "~")).collect())
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8().map_or_else(|_| text.to_owned(), |decoded| decoded.into_owned())
}

/// Where a walk of the tree is, kept on the stack: the step that led here
/// and where it was taken from. Made into segments only when something is
/// found there, so that walking a large document allocates nothing.
#[derive(Clone, Copy)]
struct At<'p> {
    up: Option<(&'p At<'p>, Step<'p>)>,
}

#[derive(Clone, Copy)]
enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

impl<'p> At<'p> {
    const ROOT: At<'static> = At { up: None };

    fn key(&'p self, key: &'p str) -> At<'p> {
        At { up: Some((self, Step::Key(key))) }
    }

    fn index(&'p self, index: usize) -> At<'p> {
        At { up: Some((self, Step::Index(index))) }
    }

    fn segments(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut at = self;
        while let Some((up, step)) = &at.up {
            out.push(match step {
                Step::Key(key) => (*key).to_owned(),
                Step::Index(index) => index.to_string(),
            });
            at = up;
        }
        out.reverse();
        out
    }

    /// The JSON pointer of `tail` below here.
    fn pointer(&self, tail: &[&str]) -> String {
        pointer(self.segments().iter().map(String::as_str).chain(tail.iter().copied()))
    }
}

fn get<'v>(tree: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(tree, |value, segment| match value {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn get_mut<'v>(tree: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter().try_fold(tree, |value, segment| match value {
        Value::Object(map) => map.get_mut(segment),
        Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// Which kind of OpenAPI object sits at `path`, as far as the keys leading
/// to it tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Schema,
    Parameter,
    RequestBody,
    Response,
    Header,
    Example,
    Link,
    Callback,
    Operation,
    PathItem,
    /// Anything else: a field of one of the above, or the document's own.
    Other,
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The kinds of the objects along `path`, from the root: one per segment.
fn kinds(path: &[String]) -> Vec<Kind> {
    let mut out = Vec::with_capacity(path.len());
    // The kind of the value the previous segment led to.
    let mut parent = Kind::Other;
    for (i, segment) in path.iter().enumerate() {
        let s = segment.as_str();
        let above = if i > 0 { path[i - 1].as_str() } else { "" };
        let kind = match (i, parent) {
            (1, _) if path[0] == "paths" => Kind::PathItem,
            (2, _) if path[0] == "components" => {
                SECTION_KINDS.iter().find(|(_, section)| *section == above).map_or(Kind::Other, |(kind, _)| *kind)
            }
            (_, Kind::PathItem) if METHODS.contains(&s) => Kind::Operation,
            (_, Kind::Callback) => Kind::PathItem,
            (_, Kind::Schema) => match s {
                "items" | "not" | "additionalProperties" => Kind::Schema,
                _ => Kind::Other,
            },
            _ => match above {
                // Maps and lists of schemas, by the keyword that holds them.
                "properties" | "$defs" | "definitions" | "patternProperties" | "allOf" | "oneOf" | "anyOf" | "prefixItems"
                    if out.get(i.wrapping_sub(2)).copied() == Some(Kind::Schema) =>
                {
                    Kind::Schema
                }
                "parameters" if matches!(out.get(i.wrapping_sub(2)), Some(Kind::Operation | Kind::PathItem)) => Kind::Parameter,
                "responses" if out.get(i.wrapping_sub(2)) == Some(&Kind::Operation) => Kind::Response,
                "headers" if matches!(out.get(i.wrapping_sub(2)), Some(Kind::Response | Kind::Other)) => Kind::Header,
                "examples" if out.get(i.wrapping_sub(2)) != Some(&Kind::Schema) => Kind::Example,
                "links" if out.get(i.wrapping_sub(2)) == Some(&Kind::Response) => Kind::Link,
                "callbacks" if out.get(i.wrapping_sub(2)) == Some(&Kind::Operation) => Kind::Callback,
                _ => match s {
                    "schema" => Kind::Schema,
                    "requestBody" if parent == Kind::Operation => Kind::RequestBody,
                    _ => Kind::Other,
                },
            },
        };
        out.push(kind);
        parent = kind;
    }
    out
}

/// Each kind of object that has a component section, and that section.
const SECTION_KINDS: &[(Kind, &str)] = &[
    (Kind::Schema, "schemas"),
    (Kind::Parameter, "parameters"),
    (Kind::RequestBody, "requestBodies"),
    (Kind::Response, "responses"),
    (Kind::Header, "headers"),
    (Kind::Example, "examples"),
    (Kind::Link, "links"),
    (Kind::Callback, "callbacks"),
];

/// The component section an object of `kind` goes to.
fn section(kind: Kind) -> Option<&'static str> {
    SECTION_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, section)| *section)
}

/// Every local `$ref` in `tree` that is not a direct component reference
/// (see [`is_direct`]): the path of the object holding it, its text, and
/// its pointer's segments.
fn references(tree: &Value) -> Vec<(Vec<String>, String, Vec<String>)> {
    type Found = Vec<(Vec<String>, String, Vec<String>)>;
    fn walk(value: &Value, at: &At, out: &mut Found) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref")
                    && let Some(target) = segments(reference).filter(|target| !is_direct(target))
                {
                    out.push((at.segments(), reference.clone(), target));
                }
                for (key, child) in map {
                    // Example values are data; a `$ref` in them is text.
                    if !is_data(key) {
                        walk(child, &at.key(key), out);
                    }
                }
            }
            Value::Array(items) => items.iter().enumerate().for_each(|(i, child)| walk(child, &at.index(i), out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(tree, &At::ROOT, &mut out);
    out
}

/// Whether a key holds data (example values, extensions), not OpenAPI.
fn is_data(key: &str) -> bool {
    matches!(key, "example" | "default" | "enum" | "const" | "value") || key.starts_with("x-")
}

/// Whether a reference is one the rest of the pipeline reads as it is: a
/// component of a section OpenAPI defines, or a path item.
fn is_direct(segments: &[String]) -> bool {
    match segments {
        [components, section, _] => components == "components" && SECTIONS.contains(&section.as_str()),
        [paths, _] => paths == "paths",
        _ => false,
    }
}

/// Words of a pointer that say nothing about what it points at.
const STRUCTURAL: &[&str] = &[
    "components", "schemas", "properties", "items", "paths", "content", "schema", "parameters", "responses",
    "requestBody", "requestBodies", "allOf", "oneOf", "anyOf", "$defs", "definitions", "additionalProperties",
    "headers", "examples",
];

/// A component name for what `segments` points at in `tree`: its last few
/// telling words (`Database/properties/id` → `Database_id`; a path's
/// literal words and a parameter's name for pointers into `paths`).
fn name_for(tree: &Value, segments: &[String]) -> String {
    let clean = |s: &str| s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect::<String>();
    // A section of its own (`#/components/enums/Datatype`): the name.
    if let [components, _, name] = segments
        && components == "components"
    {
        return clean(name);
    }
    let mut words: Vec<String> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let s = segment.as_str();
        if i > 0 && segments[i - 1] == "parameters" {
            // A parameter by its index: by its name.
            let name = get(tree, &segments[..=i]).and_then(|p| p.get("name")).and_then(Value::as_str);
            words.push(clean(name.unwrap_or(s)));
        } else if i == 1 && segments[0] == "paths" {
            let literal: Vec<&str> = s.split('/').filter(|w| !w.is_empty() && !w.contains('{')).collect();
            words.push(clean(&literal.join("_")));
        } else if !STRUCTURAL.contains(&s) && !METHODS.contains(&s) {
            words.push(clean(s));
        }
    }
    words.retain(|w| !w.trim_matches('_').is_empty());
    let tail = &words[words.len().saturating_sub(2)..];
    if tail.is_empty() { "Referenced".to_owned() } else { tail.join("_") }
}

/// Rewrites every local `$ref` that is not a direct component reference
/// (see the module docs) into one, copying its target into the components;
/// references that resolve nowhere are left for lowering to report.
pub(crate) fn resolve_refs(tree: &mut Value, repairs: &mut Repairs) {
    // Each pointer resolved so far and the reference that replaced it.
    let mut done: BTreeMap<String, String> = BTreeMap::new();
    // Targets are copied in rounds: a copied target may hold more such
    // references. Ten rounds reach past anything real.
    for _ in 0..10 {
        let mut changed = false;
        for (holder, reference, target) in references(tree) {
            let replacement = match done.get(&reference) {
                Some(replacement) => replacement.clone(),
                None => {
                    let Some(copy) = get(tree, &target).cloned() else { continue };
                    let kind = *kinds(&holder).last().unwrap_or(&Kind::Other);
                    // A reference whose place says nothing (an extension's
                    // field, say) takes the kind its target has.
                    let kind = if section(kind).is_some() { kind } else { *kinds(&target).last().unwrap_or(&Kind::Other) };
                    let Some(section) = section(kind) else { continue };
                    let base = name_for(tree, &target);
                    let Some(components) = tree.as_object_mut().map(|root| root.entry("components").or_insert_with(|| json!({})))
                    else {
                        return;
                    };
                    let Some(entries) = components.as_object_mut().map(|c| c.entry(section).or_insert_with(|| json!({}))) else {
                        continue;
                    };
                    let Some(entries) = entries.as_object_mut() else { continue };
                    let name = (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}{n}") }).find(|n| !entries.contains_key(n));
                    let name = name.expect("a free name");
                    entries.insert(name.clone(), copy);
                    let replacement = format!("#/components/{section}/{}", name.replace('~', "~0").replace('/', "~1"));
                    repairs.degraded(
                        pointer(holder.iter().chain(std::iter::once(&"$ref".to_owned()))),
                        format!("`$ref` `{reference}` is not a component OpenAPI defines; read as a copy of its target, `{replacement}`"),
                    );
                    done.insert(reference.clone(), replacement.clone());
                    replacement
                }
            };
            if let Some(Value::Object(map)) = get_mut(tree, &holder) {
                map.insert("$ref".into(), Value::String(replacement));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Keys whose value is a boolean in OpenAPI 3.0.
const BOOLEANS: &[&str] = &[
    "required", "nullable", "deprecated", "readOnly", "writeOnly", "explode", "allowReserved", "allowEmptyValue",
    "uniqueItems", "exclusiveMinimum", "exclusiveMaximum",
];
/// Keys whose value is text meant for people.
const PROSE: &[&str] = &["description", "summary", "title"];
/// Keys whose value is a count (`usize`).
const COUNTS: &[&str] = &["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];
/// Keys that hold a map of names (whose keys are not keywords).
const NAME_MAPS: &[&str] = &[
    "properties", "schemas", "patternProperties", "$defs", "definitions", "responses", "examples", "headers",
    "securitySchemes", "links", "callbacks", "requestBodies", "paths", "content", "encoding", "variables", "mapping",
    "scopes",
];

/// Repairs what breaks the letter of OpenAPI 3.0 but means something
/// plain (see the module docs). `is_31` says the document was 3.1 (whose
/// own rewrite ran already).
pub(crate) fn repair(tree: &mut Value, is_31: bool, repairs: &mut Repairs) {
    let Some(root) = tree.as_object_mut() else { return };
    match root.get_mut("info") {
        Some(Value::Object(info)) => {
            for key in ["title", "version"] {
                match info.get(key) {
                    Some(Value::String(_)) => {}
                    Some(other) => {
                        let text = plain_text(other);
                        info.insert(key.into(), Value::String(text));
                        repairs.degraded(pointer(["info", key]), format!("`{key}` is not text; read as text"));
                    }
                    None => {
                        info.insert(key.into(), json!(""));
                        repairs.degraded(pointer(["info"]), format!("no `{key}`; read as empty"));
                    }
                }
            }
        }
        _ => {
            root.insert("info".into(), json!({"title": "", "version": ""}));
            repairs.degraded(pointer(["info"]), "no `info`; read as an empty title and version");
        }
    }
    if !matches!(root.get("paths"), Some(Value::Object(_))) {
        root.insert("paths".into(), json!({}));
        repairs.degraded(pointer(["paths"]), "no `paths` map; read as none");
    }
    keywords(tree, &At::ROOT, false, is_31, repairs);
    let mut deep_schemas = Vec::new();
    too_deep(tree, &At::ROOT, 0, &mut deep_schemas);
    for deep in deep_schemas {
        if let Some(slot) = get_mut(tree, &deep) {
            *slot = json!({});
        }
        repairs.degraded(
            pointer(&deep),
            format!("schemas nested more than {MAX_SCHEMA_DEPTH} levels deep are not read; this one is any JSON value"),
        );
    }
}

fn plain_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The keyword repairs, through the whole tree; `names` says that `value`'s
/// keys are names, not keywords.
fn keywords(value: &mut Value, at: &At, names: bool, is_31: bool, repairs: &mut Repairs) {
    match value {
        Value::Object(map) => {
            if !names {
                keyword_values(map, at, is_31, repairs);
            }
            for (key, child) in map.iter_mut() {
                if !names && is_data(key) {
                    continue;
                }
                let child_names = !names && NAME_MAPS.contains(&key.as_str());
                keywords(child, &at.key(key), child_names, is_31, repairs);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                keywords(child, &at.index(i), false, is_31, repairs);
            }
        }
        _ => {}
    }
}

/// One object's keyword values (see [`repair`]).
fn keyword_values(map: &mut Map<String, Value>, here: &At, is_31: bool, repairs: &mut Repairs) {
    let at = |key: &str| here.pointer(&[key]);
    for key in BOOLEANS {
        let fixed = match map.get(*key) {
            Some(Value::Number(n)) if n.as_f64() == Some(0.0) => Some(false),
            Some(Value::Number(n)) if n.as_f64() == Some(1.0) => Some(true),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        };
        // 3.1's numeric exclusive bounds were rewritten already; a number
        // left here in a 3.0 document is that same spelling.
        if let Some(fixed) = fixed {
            map.insert((*key).into(), Value::Bool(fixed));
            repairs.degraded(at(key), format!("`{key}` is not a boolean; read as {fixed}"));
        } else if key.starts_with("exclusiveM") && !is_31 && map.get(*key).is_some_and(Value::is_number) {
            let bound = map.remove(*key).expect("checked");
            let inclusive = if *key == "exclusiveMinimum" { "minimum" } else { "maximum" };
            map.insert(inclusive.into(), bound);
            map.insert((*key).into(), Value::Bool(true));
            repairs.degraded(at(key), format!("`{key}` is a number (OpenAPI 3.1's spelling); read as 3.0's"));
        }
    }
    // `required` is a list in a schema and a boolean elsewhere; anything
    // else is dropped.
    if map.get("required").is_some_and(|r| !r.is_boolean() && !r.is_array()) {
        map.remove("required");
        repairs.degraded(at("required"), "`required` is neither a boolean nor a list; ignored");
    }
    for key in PROSE {
        match map.get(*key) {
            None | Some(Value::String(_)) => {}
            // A schema named `title` or `description` inside `properties`
            // is a name, handled by the caller; here it is the keyword.
            Some(other) => {
                let text = plain_text(other);
                map.insert((*key).into(), Value::String(text));
                repairs.degraded(at(key), format!("`{key}` is not text; read as text"));
            }
        }
    }
    // JSON Schema's boolean schemas (`items: true`): any value. (`false`,
    // no value, cannot be said in 3.0; it is read as any value too.)
    for key in ["items", "not"] {
        if let Some(Value::Bool(b)) = map.get(key) {
            let b = *b;
            map.insert(key.into(), json!({}));
            repairs.degraded(at(key), format!("a boolean schema (`{b}`); read as any JSON value"));
        }
    }
    for key in ["properties", "patternProperties", "$defs"] {
        if let Some(Value::Object(inner)) = map.get_mut(key) {
            let booleans: Vec<String> = inner.iter().filter(|(_, v)| v.is_boolean()).map(|(k, _)| k.clone()).collect();
            for name in booleans {
                inner.insert(name.clone(), json!({}));
                repairs.degraded(here.pointer(&[key, &name]), "a boolean schema; read as any JSON value");
            }
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            for (i, member) in members.iter_mut().enumerate().filter(|(_, m)| m.is_boolean()) {
                *member = json!({});
                repairs.degraded(here.pointer(&[key, &i.to_string()]), "a boolean schema; read as any JSON value");
            }
        }
    }
    // 3.1 spellings in a 3.0 document.
    if !is_31 && map.get("type").is_some_and(Value::is_array) {
        super::openapi31::type_list(map);
        repairs.degraded(at("type"), "a list of types (OpenAPI 3.1's spelling); read as 3.0's");
    }
    let integer = map.get("type").and_then(Value::as_str) == Some("integer");
    for key in ["minimum", "maximum", "multipleOf"] {
        let Some(Value::Number(n)) = map.get(key).cloned() else { continue };
        if !integer || n.is_i64() {
            continue;
        }
        match n.as_f64().filter(|f| f.fract() == 0.0 && *f >= i64::MIN as f64 && *f < i64::MAX as f64) {
            Some(f) => {
                map.insert(key.into(), json!(f as i64));
            }
            None => {
                map.remove(key);
                repairs.degraded(at(key), format!("`{key}` of an integer is not a 64-bit integer ({n}); not checked"));
            }
        }
    }
    for key in COUNTS {
        match map.get(*key) {
            None => {}
            Some(Value::Number(n)) if n.is_u64() => {}
            Some(Value::Number(n)) if n.as_f64().is_some_and(|f| f.fract() == 0.0 && f >= 0.0 && f < u32::MAX as f64) => {
                let count = n.as_f64().expect("checked") as u64;
                map.insert((*key).into(), json!(count));
            }
            Some(other) => {
                let text = other.to_string();
                map.remove(*key);
                repairs.degraded(at(key), format!("`{key}` is not a count ({text}); not checked"));
            }
        }
    }
}

/// Collects into `out` the paths of the outermost schemas in `value`
/// nested deeper than [`MAX_SCHEMA_DEPTH`]; `depth` schemas enclose
/// `value`, and `at` is where it is.
fn too_deep(value: &Value, at: &At, depth: usize, out: &mut Vec<Vec<String>>) {
    if depth > MAX_SCHEMA_DEPTH {
        out.push(at.segments());
        return;
    }
    match value {
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| too_deep(v, &at.index(i), depth, out)),
        Value::Object(map) => {
            for (key, child) in map {
                let here = at.key(key);
                match (key.as_str(), child) {
                    ("properties", Value::Object(inner)) => {
                        inner.iter().for_each(|(name, v)| too_deep(v, &here.key(name), depth + 1, out));
                    }
                    ("allOf" | "oneOf" | "anyOf", Value::Array(inner)) => {
                        inner.iter().enumerate().for_each(|(i, v)| too_deep(v, &here.index(i), depth + 1, out));
                    }
                    ("items" | "additionalProperties" | "not", _) => too_deep(child, &here, depth + 1, out),
                    ("example" | "examples" | "default" | "enum", _) => {}
                    _ => too_deep(child, &here, depth, out),
                }
            }
        }
        _ => {}
    }
}

/// Reads the tree as a 3.0 document. Where the reader refuses a value, the
/// smallest thing around it that can go is taken out (see the module docs)
/// and the tree read again; `Err` only when nothing but the document
/// itself could go (then it is not OpenAPI), with the reader's message.
pub(crate) fn read(mut tree: Value, repairs: &mut Repairs) -> Result<openapiv3::OpenAPI, (String, String)> {
    // Each round takes out one thing; a document needing more is not one.
    let mut last: Option<Vec<String>> = None;
    for _ in 0..2000 {
        let error = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&tree) {
            Ok(api) => return Ok(api),
            Err(error) => error,
        };
        let mut at = path_segments(error.path());
        let mut message = error.inner().to_string();
        // openapiv3 buffers `paths`, which loses the place of an error
        // inside: each path item read alone finds it.
        if at == ["paths"]
            && let Some((inner, inner_message)) = first_bad_path(&tree)
        {
            at = inner;
            message = inner_message;
        }
        // The same place again: what was taken out was not the cause's
        // container; take out the one around it.
        if last.as_ref().is_some_and(|l| at.starts_with(l)) {
            at = last.clone().unwrap_or_default();
            at.pop();
        }
        let Some((cut, kind)) = removable(&at) else { return Err((pointer(&at), message)) };
        match kind {
            Kind::Schema => {
                if let Some(slot) = get_mut(&mut tree, &cut) {
                    *slot = json!({});
                }
                repairs.degraded(pointer(&cut), format!("schema not readable ({message}); any JSON value"));
            }
            _ => {
                let (parent, last_segment) = cut.split_at(cut.len() - 1);
                match get_mut(&mut tree, parent) {
                    Some(Value::Object(map)) => drop(map.remove(&last_segment[0])),
                    Some(Value::Array(items)) => {
                        if let Ok(i) = last_segment[0].parse::<usize>()
                            && i < items.len()
                        {
                            items.remove(i);
                        }
                    }
                    _ => return Err((pointer(&at), message)),
                }
                let what = match kind {
                    Kind::Operation => "operation",
                    Kind::Parameter => "parameter",
                    Kind::PathItem => "path",
                    Kind::Response => "response",
                    _ => "entry",
                };
                repairs.degraded(pointer(&cut), format!("{what} not readable ({message}); left out"));
            }
        }
        last = Some(cut);
    }
    Err((pointer(["paths"]), "too many unreadable parts".to_owned()))
}

/// The place and message of the first path item that does not read alone.
fn first_bad_path(tree: &Value) -> Option<(Vec<String>, String)> {
    let paths = tree.get("paths")?.as_object()?;
    paths.iter().find_map(|(key, item)| {
        // Read as what it is: the untagged `ReferenceOr` would report the
        // item itself.
        let error = if item.get("$ref").is_some() {
            serde_path_to_error::deserialize::<_, openapiv3::ReferenceOr<openapiv3::PathItem>>(item).err()?
        } else {
            serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item).err()?
        };
        let mut at = vec!["paths".to_owned(), key.clone()];
        at.extend(path_segments(error.path()));
        Some((at, error.inner().to_string()))
    })
}

/// The innermost thing on `path` that can be replaced (a schema) or left
/// out (a parameter, response, operation, path, component, or a keyword of
/// the document's objects) without losing the document.
fn removable(path: &[String]) -> Option<(Vec<String>, Kind)> {
    let kinds = kinds(path);
    for end in (1..=path.len()).rev() {
        let kind = kinds[end - 1];
        let ok = match kind {
            Kind::Schema | Kind::Parameter | Kind::Response | Kind::Operation | Kind::PathItem => true,
            Kind::RequestBody | Kind::Header | Kind::Example | Kind::Link | Kind::Callback => true,
            // Any keyword but the two that make a document OpenAPI.
            Kind::Other => !(end == 1 && (path[0] == "openapi" || path[0] == "info")),
        };
        if ok {
            return Some((path[..end].to_vec(), kind));
        }
    }
    None
}

/// Turns serde_path_to_error's path into pointer segments.
pub(crate) fn path_segments(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect()
}
