//! Problems found in a spec, each tied to the file and the JSON pointer of the
//! construct that caused it.
//!
//! Stages collect every problem they can find before giving up, so that a
//! maintainer sees the whole list at once instead of fixing one error per run.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation continues; the output is still correct but less precise
    /// than the spec (for example a schema represented as `serde_json::Value`).
    Warning,
    /// Generation continues, but the construct named could not be read as
    /// written: it is any JSON value (`serde_json::Value`), left out, or
    /// read the way other tools read it. `--strict` refuses these.
    Degraded,
    /// The spec cannot be generated; nothing is written.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The spec's path as given to the generator.
    pub file: String,
    /// Where in the document: a JSON pointer (`#/paths/~1v1~1Services/post`),
    /// or `line L column C` for syntax errors.
    pub location: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Degraded => "degraded",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}: {}: {}", self.file, self.location, self.message)
    }
}

/// Builds a JSON pointer from its segments, escaping `~` and `/` (RFC 6901).
pub fn pointer<I, S>(segments: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::from("#");
    for segment in segments {
        out.push('/');
        out.push_str(&segment.as_ref().replace('~', "~0").replace('/', "~1"));
    }
    out
}

/// Extends an existing pointer by more segments.
pub fn child<I, S>(base: &str, segments: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let tail = pointer(segments);
    format!("{base}{}", &tail[1..])
}

/// The diagnostics of one spec, in the order they were found.
#[derive(Debug, Default)]
pub struct Sink {
    file: String,
    items: Vec<Diagnostic>,
}

impl Sink {
    pub fn new(file: impl Into<String>) -> Self {
        Sink { file: file.into(), items: Vec::new() }
    }

    /// Something the document describes is typed loosely or left out;
    /// see [`Severity::Degraded`].
    pub fn degraded(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Degraded, location.into(), message.into());
    }

    pub fn warning(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Warning, location.into(), message.into());
    }

    fn push(&mut self, severity: Severity, location: String, message: String) {
        self.items.push(Diagnostic { severity, file: self.file.clone(), location, message });
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slash_and_tilde() {
        assert_eq!(pointer(["paths", "/v1/Services", "post"]), "#/paths/~1v1~1Services/post");
        assert_eq!(pointer(["a~b"]), "#/a~0b");
        assert_eq!(child("#/paths", ["/x"]), "#/paths/~1x");
    }
}
