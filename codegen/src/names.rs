//! Turning names from the spec into Rust identifiers that are valid, idiomatic
//! and unique within their scope.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words of a wire name, with punctuation that carries meaning spelled out so
/// that `DateCreated<` and `DateCreated>` do not both become `date_created`
/// (nor `+1` and `-1` both `1`), and other letters in ASCII (`größe` is
/// `grosse`, `名前` is `ming qian`, `🎉` is `tada`).
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut chars = raw.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        match c {
            '<' => out.push_str(" before "),
            '>' => out.push_str(" after "),
            '+' => out.push_str(" plus "),
            // A sign, not a separator (`in-progress`).
            '-' if first && chars.peek().is_some_and(char::is_ascii_digit) => out.push_str("minus "),
            c if c.is_ascii_alphanumeric() => out.push(c),
            c if c.is_ascii() => out.push(' '),
            c => {
                let ascii = deunicode::deunicode_char(c).unwrap_or(" ");
                out.extend(ascii.chars().map(|a| if a.is_ascii_alphanumeric() { a } else { ' ' }));
            }
        }
        first = false;
    }
    out
}

/// Keywords that can be used as raw identifiers (`r#type`).
const RAW_OK: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

fn fix_leading_digit(s: String, prefix: &str) -> String {
    match s.chars().next() {
        None => prefix.to_owned(),
        Some(c) if c.is_ascii_digit() => format!("{prefix}{s}"),
        Some(_) => s,
    }
}

/// Whether `s` is a Rust keyword (raw-able or not).
pub(crate) fn is_keyword(s: &str) -> bool {
    RAW_OK.contains(&s) || NOT_RAW.contains(&s)
}

fn guard_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if RAW_OK.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// A field, module or function name: `snake_case`.
pub fn snake(raw: &str) -> String {
    guard_keyword(fix_leading_digit(words(raw).to_snake_case(), "n"))
}

/// A type or variant name: `UpperCamelCase`.
pub fn camel(raw: &str) -> String {
    guard_keyword(fix_leading_digit(words(raw).to_upper_camel_case(), "N"))
}

/// Names generated code uses unqualified (types, variants, and the traits
/// it implements or takes: `impl From<&str> for ...`, `impl Into<String>`);
/// no model may take them.
pub const RESERVED_TYPE_NAMES: &[&str] =
    &["Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err", "From", "Into", "IntoIterator"];

/// Hands out names that are unique within one scope, in the order asked:
/// the first `Type` stays `Type`, the next becomes `Type2`.
#[derive(Debug, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    /// A scope in which `reserved` are already taken (names the generated
    /// code uses unqualified, such as `Option`).
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namer { taken: reserved.iter().map(|s| (*s).to_owned()).collect() }
    }

    pub fn unique(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let bare = wanted.trim_start_matches("r#").trim_end_matches('_');
        (2..)
            .map(|n| format!("{bare}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

/// A module name can't be a raw identifier (`r#mod` would look for `mod.rs`),
/// so keywords get a trailing underscore instead.
pub fn module_ident(name: &str) -> String {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    if bare.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("n{bare}");
    }
    if name.starts_with("r#") || is_keyword(bare) { format!("{bare}_") } else { bare.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_become_idents() {
        assert_eq!(snake("PageSize"), "page_size");
        assert_eq!(snake("DateCreated<"), "date_created_before");
        assert_eq!(snake("DateCreated>"), "date_created_after");
        assert_eq!(snake("Configuration.Url"), "configuration_url");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("X-Twilio-Webhook-Enabled"), "x_twilio_webhook_enabled");
        assert_eq!(camel("in-progress"), "InProgress");
        assert_eq!(camel("1080p"), "N1080p");
        assert_eq!(camel(""), "N");
        assert_eq!((camel("+1"), camel("-1"), camel("a-1")), ("Plus1".to_owned(), "Minus1".to_owned(), "A1".to_owned()));
        assert_eq!((snake("größe"), camel("ünïcode")), ("grosse".to_owned(), "Unicode".to_owned()));
        assert_eq!((snake("名前"), camel("🎉")), ("ming_qian".to_owned(), "Tada".to_owned()));
    }

    #[test]
    fn namer_suffixes_collisions() {
        let mut n = Namer::with_reserved(&["Option"]);
        assert_eq!(n.unique("Option".into()), "Option2");
        assert_eq!(n.unique("Foo".into()), "Foo");
        assert_eq!(n.unique("Foo".into()), "Foo2");
        assert_eq!(n.unique("r#type".into()), "r#type");
        assert_eq!(n.unique("r#type".into()), "type2");
    }
}
