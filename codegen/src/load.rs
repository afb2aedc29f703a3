//! Stage 1: read a spec file (YAML or JSON) into `openapiv3::OpenAPI`; a 3.1
//! document is rewritten into 3.0 terms first (see `openapi31`).

use crate::diagnostics::{Diagnostic, Severity, pointer};

/// Parses one spec given as text (JSON or YAML, as `is_json` says).
/// `display` is the name used in diagnostics (`specs/twilio_proxy_v1.yaml`).
/// Returns the document and warnings (what a 3.1 document has that is
/// skipped).
pub fn load_str(text: &str, is_json: bool, display: &str) -> Result<(openapiv3::OpenAPI, Vec<Diagnostic>), Diagnostic> {
    let fail = |location: String, message: String| Diagnostic {
        severity: Severity::Error,
        file: display.to_owned(),
        location,
        message,
    };
    // A tree first: text that is not JSON or YAML at all is refused here,
    // where the parser says at which line (the typed read below would
    // report a later, misleading place); then how deep schemas nest.
    let tree: serde_json::Value = if is_json {
        serde_json::from_str(text)
            .map_err(|e| fail(format!("line {} column {}", e.line(), e.column()), format!("not valid JSON: {e}")))?
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let at = e.location().map(|l| format!("line {} column {}", l.line(), l.column())).unwrap_or_else(|| "#".to_owned());
            fail(at, format!("not valid YAML: {e}"))
        })?
    };
    let tree = Some(tree);
    if let Some(at) = tree.as_ref().and_then(|tree| too_deep(tree, &mut Vec::new(), 0)) {
        return Err(fail(at, format!("schemas nested more than {MAX_SCHEMA_DEPTH} levels deep are not supported")));
    }
    if let Some(version) = tree.as_ref().and_then(|t| t.get("swagger")) {
        return Err(fail(
            pointer(["swagger"]),
            format!("Swagger {version} is not supported; convert the document to OpenAPI 3 first (swagger2openapi does)"),
        ));
    }
    // 3.1: rewritten as a tree, then read from it (errors then have a
    // pointer but no line).
    if let Some(mut tree) = tree.filter(|t| t["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")))
    {
        let warnings = crate::openapi31::normalize(&mut tree, display);
        let api = serde_path_to_error::deserialize(tree)
            .map_err(|e| fail(path_pointer(e.path()), format!("not a valid OpenAPI 3.1 document (read as 3.0): {}", e.inner())))?;
        return Ok((api, warnings));
    }
    let api: openapiv3::OpenAPI = if is_json {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let inner = e.inner();
            let at = format!("line {} column {} ({})", inner.line(), inner.column(), path_pointer(e.path()));
            fail(at, format!("not a valid OpenAPI 3.0 document: {inner}"))
        })?
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let inner = e.inner();
            let at = match inner.location() {
                Some(l) => format!("line {} column {} ({})", l.line(), l.column(), path_pointer(e.path())),
                None => path_pointer(e.path()),
            };
            fail(at, format!("not a valid OpenAPI 3.0 document: {inner}"))
        })?
    };
    if !api.openapi.starts_with("3.0") {
        return Err(fail(
            pointer(["openapi"]),
            format!("OpenAPI version {} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x", api.openapi),
        ));
    }
    Ok((api, Vec::new()))
}

/// How deep schemas may nest (`properties`, `items`, `allOf`, ...). openapiv3
/// reads a schema by trying its shapes in turn, so an error deep inside is
/// read again for each shape tried at every level above it: the time to
/// refuse a document doubles with each level (20 took minutes). Twilio's
/// specs nest 7 deep at most.
pub const MAX_SCHEMA_DEPTH: usize = 16;

/// The pointer of the first schema in `value` nested deeper than
/// [`MAX_SCHEMA_DEPTH`]; `depth` schemas enclose `value`, and `path` leads to it.
fn too_deep(value: &serde_json::Value, path: &mut Vec<String>, depth: usize) -> Option<String> {
    use serde_json::Value;
    if depth > MAX_SCHEMA_DEPTH {
        return Some(pointer(path.iter()));
    }
    // Each child: the path segments to it, and the depth it is at.
    let mut children: Vec<(Vec<String>, &Value, usize)> = Vec::new();
    match value {
        Value::Array(items) => children.extend(items.iter().enumerate().map(|(i, v)| (vec![i.to_string()], v, depth))),
        Value::Object(map) => {
            for (key, child) in map {
                let at = |inner: String| vec![key.clone(), inner];
                match (key.as_str(), child) {
                    ("properties", Value::Object(inner)) => {
                        children.extend(inner.iter().map(|(name, v)| (at(name.clone()), v, depth + 1)));
                    }
                    ("allOf" | "oneOf" | "anyOf", Value::Array(inner)) => {
                        children.extend(inner.iter().enumerate().map(|(i, v)| (at(i.to_string()), v, depth + 1)));
                    }
                    ("items" | "additionalProperties" | "not", _) => children.push((vec![key.clone()], child, depth + 1)),
                    _ => children.push((vec![key.clone()], child, depth)),
                }
            }
        }
        _ => {}
    }
    children.into_iter().find_map(|(segments, child, depth)| {
        let len = path.len();
        path.extend(segments);
        let found = too_deep(child, path, depth);
        path.truncate(len);
        found
    })
}

/// Turns serde_path_to_error's path (`paths./v1.post`) into a JSON pointer.
fn path_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments = path.iter().filter_map(|s| match s {
        Segment::Seq { index } => Some(index.to_string()),
        Segment::Map { key } => Some(key.clone()),
        Segment::Enum { variant } => Some(variant.clone()),
        Segment::Unknown => None,
    });
    pointer(segments)
}
