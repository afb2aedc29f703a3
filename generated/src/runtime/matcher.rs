//! The `pattern` of a string parameter or field, compiled once per thread
//! (see `validate::pattern`).
//!
//! Most patterns in real specs are IDs of one fixed shape: anchored, a
//! literal prefix, then a class repeated a known number of times
//! (`^AC[0-9a-fA-F]{32}$`, `^aia_msg_.+$`). Those are matched here by walking
//! the text once; regex-lite would take about twenty times as long for each
//! (its engine is built for small size, not speed), and the `regex` crate
//! would add four crates to every user's build. Everything else goes to
//! regex-lite.

use regex_lite::Regex;

/// A compiled pattern.
pub(crate) enum Pattern {
    /// Anchored at both ends: every piece takes exactly its count of
    /// characters, except the last, which takes the rest.
    Shape(Vec<Piece>),
    Regex(Regex),
}

/// A run of characters from one class.
pub(crate) struct Piece {
    class: Class,
    min: usize,
    /// `None`: unbounded.
    max: Option<usize>,
}

enum Class {
    One(char),
    /// Inclusive ranges.
    Ranges(Vec<(char, char)>),
    /// `.`: anything but a line feed.
    AnyButNewline,
}

impl Class {
    fn contains(&self, c: char) -> bool {
        match self {
            Class::One(one) => c == *one,
            Class::Ranges(ranges) => ranges.iter().any(|&(low, high)| low <= c && c <= high),
            Class::AnyButNewline => c != '\n',
        }
    }
}

impl Pattern {
    /// `None` when neither this module nor regex-lite reads the pattern
    /// (the generator leaves such patterns out).
    pub(crate) fn new(pattern: &str) -> Option<Pattern> {
        match shape(pattern) {
            Some(pieces) => Some(Pattern::Shape(pieces)),
            None => Regex::new(pattern).ok().map(Pattern::Regex),
        }
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Regex(regex) => regex.is_match(text),
            Pattern::Shape(pieces) => {
                let mut chars = text.chars();
                for (i, piece) in pieces.iter().enumerate() {
                    let last = i + 1 == pieces.len();
                    let mut taken = 0;
                    // A piece before the last takes exactly `min` (== `max`).
                    while last || taken < piece.min {
                        let Some(c) = chars.next() else { break };
                        if !piece.class.contains(c) {
                            return false;
                        }
                        taken += 1;
                    }
                    if taken < piece.min || piece.max.is_some_and(|max| taken > max) {
                        return false;
                    }
                }
                chars.next().is_none()
            }
        }
    }
}

/// The pieces of an anchored fixed-shape pattern, or `None` for anything
/// else (alternation, groups, escapes other than of punctuation, negated
/// classes, a variable count before the last piece, no anchors).
fn shape(pattern: &str) -> Option<Vec<Piece>> {
    let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
    if body.ends_with('\\') {
        return None;
    }
    let mut chars = body.chars().peekable();
    let mut pieces: Vec<Piece> = Vec::new();
    while let Some(c) = chars.next() {
        if pieces.last().is_some_and(|p| p.max != Some(p.min)) {
            // Only the last piece may vary.
            return None;
        }
        let class = match c {
            '.' => Class::AnyButNewline,
            // `\<` and `\>` are word boundaries.
            '\\' => Class::One(chars.next().filter(|c| c.is_ascii_punctuation() && !matches!(c, '<' | '>'))?),
            '[' => {
                let mut ranges = Vec::new();
                loop {
                    let low = chars.next()?;
                    match low {
                        ']' if !ranges.is_empty() => break,
                        // Escapes, nested classes, negation and set operations
                        // (`&&`, `--`, `~~`) are not this shape.
                        '\\' | '[' | '^' | ']' | '&' | '~' => return None,
                        '-' if chars.peek() == Some(&'-') => return None,
                        _ => {}
                    }
                    let high = if chars.peek() == Some(&'-') && chars.clone().nth(1).is_some_and(|c| c != ']') {
                        chars.next();
                        chars.next().filter(|&high| high >= low && !matches!(high, '\\' | '['))?
                    } else {
                        low
                    };
                    ranges.push((low, high));
                }
                Class::Ranges(ranges)
            }
            '(' | ')' | '|' | '{' | '}' | '?' | '*' | '+' | '^' | '$' | ']' => return None,
            literal => Class::One(literal),
        };
        let (min, max) = match chars.peek().copied() {
            Some(quantifier @ ('+' | '*' | '?')) => {
                chars.next();
                match quantifier {
                    '+' => (1, None),
                    '*' => (0, None),
                    _ => (0, Some(1)),
                }
            }
            Some('{') => {
                chars.next();
                let mut inside = String::new();
                loop {
                    match chars.next()? {
                        '}' => break,
                        c => inside.push(c),
                    }
                }
                let (min, max) = match inside.split_once(',') {
                    None => (inside.parse().ok()?, Some(inside.parse().ok()?)),
                    Some((min, "")) => (min.parse().ok()?, None),
                    Some((min, max)) => (min.parse().ok()?, Some(max.parse().ok()?)),
                };
                if max.is_some_and(|max| max < min) {
                    return None;
                }
                (min, max)
            }
            _ => {
                pieces.push(Piece { class, min: 1, max: Some(1) });
                continue;
            }
        };
        // A quantifier on a quantifier (`a+?`, `a{2}+`) is not this shape.
        if matches!(chars.peek(), Some('+' | '*' | '?' | '{')) {
            return None;
        }
        pieces.push(Piece { class, min, max });
    }
    if pieces.is_empty() { None } else { Some(pieces) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each pattern read as a shape must agree with regex-lite on every text.
    #[test]
    fn shapes_agree_with_regex_lite() {
        let patterns = [
            "^AC[0-9a-fA-F]{32}$",
            "^[a-zA-Z]{2}[0-9a-fA-F]{32}$",
            "^aia_msg_.+$",
            "^[A-Z0-9]{6}$",
            "^[A-Z0-9]+$",
            "^[0-9abcdefghjkmnpqrstvwxyz]{26}$",
            "^x[a-c]{2,4}$",
            "^x[a-c]{2,}$",
            "^a\\.b?$",
            "^[-a]*$",
            "^[a-]{1}$",
            "^é[ü-ÿ]{1,2}$",
        ];
        let texts = [
            "", "AC", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaag",
            "acAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "aia_msg_", "aia_msg_x", "aia_msg_x\n", "aia_msg_\ny", "ABC123", "ABC12", "ABC1234",
            "0123456789abcdefghjkmnpqrs", "0123456789abcdefghjkmnpqri", "xab", "xabc", "xabcc", "xabcca", "xa", "a.b", "a.", "ab", "a.bb",
            "--a-", "-", "a", "é", "éü", "éüÿ", "éüÿÿ", "ACAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
        ];
        for pattern in patterns {
            let Some(Pattern::Shape(_)) = Pattern::new(pattern) else { panic!("{pattern} is a fixed shape") };
            let ours = Pattern::new(pattern).unwrap();
            let theirs = Regex::new(pattern).unwrap();
            for text in texts {
                assert_eq!(ours.is_match(text), theirs.is_match(text), "{pattern} on {text:?}");
            }
            // And on random texts near the shapes above.
            let alphabet: Vec<char> = "ACacxbg09_.-aim\né üÿ".chars().collect();
            let mut random = fastrand::Rng::with_seed(7);
            for _ in 0..5000 {
                let length = random.usize(0..40);
                let text: String = (0..length).map(|_| alphabet[random.usize(..alphabet.len())]).collect();
                assert_eq!(ours.is_match(&text), theirs.is_match(&text), "{pattern} on {text:?}");
            }
        }
    }

    #[test]
    fn other_patterns_go_to_regex_lite() {
        assert!(shape("^a{3,$").is_none());
        for pattern in ["AC[0-9a-f]{32}", "^(SM|MM)[0-9a-fA-F]{32}$", "^[a-z]+x$", "^\\d{3}$", "^[^a]$", "^a+?$", "^[\\w]$"] {
            assert!(matches!(Pattern::new(pattern), Some(Pattern::Regex(_))), "{pattern}");
        }
        assert!(Pattern::new("^(unclosed$").is_none());
    }
}
