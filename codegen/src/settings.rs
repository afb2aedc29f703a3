//! Per-spec settings: what a spec cannot say in OpenAPI's terms and its
//! maintainer states instead, in `<stem>.settings.yaml` next to the spec
//! (`specs/shop.yaml` → `specs/shop.settings.yaml`). Optional; today it
//! says how lists page where the spec leaves it ambiguous:
//!
//! ```yaml
//! paging:
//!   ListOrders:                 # the request struct (operation) name
//!     items: orders             # the array field; default: the body or its one array
//!     next:
//!       page: {param: page}     # or cursor / url / after_last / link_header
//!     page_size: per_page       # optional query parameter
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Severity};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// How each named list operation pages, by request struct name.
    #[serde(default)]
    pub paging: BTreeMap<String, Paging>,
    /// Refuse the spec where anything would be degraded (see
    /// `Severity::Degraded`), as `cargo xtask codegen --strict` does for
    /// every spec.
    #[serde(default)]
    pub strict: bool,
}

/// How one list operation pages. Field paths are the JSON names, dotted
/// (`meta.next_cursor`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// The field holding the items; by default the body when it is an
    /// array, else its one array field.
    pub items: Option<String>,
    /// Written as a one-key map (`{cursor: {field: .., param: ..}}`) or, for
    /// `link_header`, a word.
    #[serde(with = "serde_yaml::with::singleton_map")]
    pub next: Next,
    /// The query parameter that sets the page size.
    pub page_size: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Next {
    /// A field holding the next page's URL.
    Url { field: String },
    /// A field holding a cursor, sent back in the query parameter `param`.
    Cursor { field: String, param: String },
    /// While the flag `has_more` is true, the last item's `id` (default
    /// `id`) goes in the query parameter `param` (`starting_after`).
    AfterLast { has_more: String, id: Option<String>, param: String },
    /// Page numbers in the query parameter `param`, until an empty page.
    Page { param: String },
    /// The `Link` header's `rel="next"`.
    LinkHeader,
}

/// Where the settings of the spec at `spec` would be.
pub fn path_for(spec: &Path) -> PathBuf {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    spec.with_file_name(format!("{stem}{SUFFIX}"))
}

/// The end of a settings file's name; such files are not specs.
pub const SUFFIX: &str = ".settings.yaml";

/// The text of the settings file at `path` (none if there is no such
/// file), for [`parse`]; `display` names it in diagnostics.
pub fn read(path: &Path, display: &str) -> Result<Option<String>, Diagnostic> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(error(display, "file", format!("cannot be read: {e}"))),
    }
}

/// Reads settings given as text; `display` names their file in errors.
pub fn parse(text: &str, display: &str) -> Result<Settings, Diagnostic> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let at = e.path().to_string();
        let message = e.into_inner().to_string();
        // The YAML error may start with (part of) the same path.
        let message = match message.split_once(": ") {
            Some((path, rest)) if at.starts_with(path) => rest.to_owned(),
            _ => message,
        };
        error(display, if at == "." { "file" } else { &at }, message)
    })
}

pub(crate) fn error(file: &str, location: &str, message: String) -> Diagnostic {
    Diagnostic { severity: Severity::Error, file: file.to_owned(), location: location.to_owned(), message }
}
