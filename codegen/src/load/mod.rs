//! Stage 1: read a spec file (YAML or JSON) into `openapiv3::OpenAPI`; a 3.1
//! document is rewritten into 3.0 terms first (see `openapi31`), and what
//! breaks the letter of OpenAPI is read leniently (see `lenient`).

mod lenient;
mod openapi31;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Severity, pointer};

pub use lenient::MAX_SCHEMA_DEPTH;

/// A document as read: the only form of the spec that `lower` sees. The
/// `openapiv3` crate's model is named only in `load` and `lower`.
pub type Document = openapiv3::OpenAPI;

/// Parses one spec given as text (JSON or YAML, as `is_json` says).
/// `display` is the name used in diagnostics (`specs/twilio_proxy_v1.yaml`).
/// Returns the document and what was read other than as written (what a
/// 3.1 document has that is skipped, repairs: warnings and
/// [`Severity::Degraded`] diagnostics). Refuses only text that is not an
/// OpenAPI 3.0 or 3.1 document.
pub fn load_str(text: &str, is_json: bool, display: &str) -> Result<(Document, Vec<Diagnostic>), Diagnostic> {
    let fail = |location: String, message: String| Diagnostic {
        severity: Severity::Error,
        file: display.to_owned(),
        location,
        message,
    };
    // A tree first: text that is not JSON or YAML at all is refused here,
    // where the parser says at which line (the typed read below would
    // report a later, misleading place).
    let mut tree: Value = if is_json {
        serde_json::from_str(text)
            .map_err(|e| fail(format!("line {} column {}", e.line(), e.column()), format!("not valid JSON: {e}")))?
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let at = e.location().map(|l| format!("line {} column {}", l.line(), l.column())).unwrap_or_else(|| "#".to_owned());
            fail(at, format!("not valid YAML: {e}"))
        })?
    };
    let version = match tree.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0") || v.starts_with("3.1") => v.clone(),
        Some(other) => {
            return Err(fail(
                pointer(["openapi"]),
                format!("OpenAPI version {} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x", plain(other)),
            ));
        }
        None if tree.get("swagger").is_some() => {
            return Err(fail(
                pointer(["swagger"]),
                format!("Swagger {} is not supported; convert the document to OpenAPI 3 first (swagger2openapi does)", tree["swagger"]),
            ));
        }
        None => return Err(fail("#".to_owned(), "not an OpenAPI document: it has no `openapi` version".to_owned())),
    };
    let mut repairs = lenient::Repairs::new(display);
    lenient::resolve_refs(&mut tree, &mut repairs);
    let is_31 = version.starts_with("3.1");
    if is_31 {
        repairs.diagnostics.extend(openapi31::normalize(&mut tree, display));
    }
    lenient::repair(&mut tree, is_31, &mut repairs);
    // A 3.0 document that needed nothing is read from its text (the
    // quickest way); one the reader refuses is read again leniently.
    if !is_31 && repairs.diagnostics.is_empty() {
        let typed: Option<openapiv3::OpenAPI> =
            if is_json { serde_json::from_str(text).ok() } else { serde_yaml::from_str(text).ok() };
        if let Some(api) = typed {
            return Ok((api, Vec::new()));
        }
    }
    let what = if is_31 { "OpenAPI 3.1 (read as 3.0)" } else { "OpenAPI 3.0" };
    let api = lenient::read(tree, &mut repairs).map_err(|(at, message)| fail(at, format!("not a valid {what} document: {message}")))?;
    Ok((api, repairs.diagnostics))
}

fn plain(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_owned)
}
