//! Stage 1: read a spec file (YAML or JSON) into `openapiv3::OpenAPI`.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Severity, pointer};

/// Parses one spec. `display` is the name used in diagnostics
/// (`specs/twilio_proxy_v1.yaml`).
pub fn load(path: &Path, display: &str) -> Result<openapiv3::OpenAPI, Diagnostic> {
    let fail = |location: String, message: String| Diagnostic {
        severity: Severity::Error,
        file: display.to_owned(),
        location,
        message,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| fail("file".into(), format!("cannot read: {e}")))?;
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let api: openapiv3::OpenAPI = if is_json {
        let mut de = serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let inner = e.inner();
            let at = format!("line {} column {} ({})", inner.line(), inner.column(), path_pointer(e.path()));
            fail(at, format!("not a valid OpenAPI 3.0 document: {inner}"))
        })?
    } else {
        let de = serde_yaml::Deserializer::from_str(&text);
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
            format!("OpenAPI version {} is not supported; this generator reads OpenAPI 3.0.x", api.openapi),
        ));
    }
    Ok(api)
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
