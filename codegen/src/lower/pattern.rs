//! What a `pattern` already says about the length of the values it accepts,
//! so that a length check it implies is not generated next to it (every
//! Twilio SID has `^AC[0-9a-fA-F]{32}$` and a length of exactly 34).

use regex_syntax::hir::{Hir, HirKind, Look};

/// The fewest and most characters of a value (`None`: no most).
pub(super) type Lengths = (u64, Option<u64>);

/// The fewest and most characters of the values `pattern` accepts: `max` is
/// `None` when unbounded, or when the pattern is not anchored at both ends
/// (a value may then hold more than the match). `None` when the pattern
/// does not parse.
pub(super) fn value_lengths(pattern: &str) -> Option<Lengths> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let props = hir.properties();
    let whole = props.look_set_prefix().contains(Look::Start) && props.look_set_suffix().contains(Look::End);
    let (min, max) = match_chars(&hir);
    Some((min, max.filter(|_| whole)))
}

/// The fewest and most characters (not bytes: the length checks count
/// characters) one match can have.
fn match_chars(hir: &Hir) -> (u64, Option<u64>) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (0, Some(0)),
        HirKind::Literal(literal) => {
            let n = String::from_utf8_lossy(&literal.0).chars().count() as u64;
            (n, Some(n))
        }
        HirKind::Class(_) => (1, Some(1)),
        HirKind::Capture(capture) => match_chars(&capture.sub),
        HirKind::Repetition(repetition) => {
            let (min, max) = match_chars(&repetition.sub);
            let times_max = repetition.max.map(u64::from);
            (min.saturating_mul(u64::from(repetition.min)), max.zip(times_max).and_then(|(m, t)| m.checked_mul(t)))
        }
        HirKind::Concat(subs) => subs.iter().map(match_chars).fold((0, Some(0)), |(min, max), (sub_min, sub_max)| {
            (min.saturating_add(sub_min), max.zip(sub_max).and_then(|(a, b)| a.checked_add(b)))
        }),
        HirKind::Alternation(subs) => {
            let lengths: Vec<_> = subs.iter().map(match_chars).collect();
            let min = lengths.iter().map(|(min, _)| *min).min().unwrap_or(0);
            let max = lengths.iter().try_fold(0, |most, (_, max)| max.map(|m| most.max(m)));
            (min, max)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_follow_from_anchored_patterns_only() {
        assert_eq!(value_lengths("^AC[0-9a-fA-F]{32}$"), Some((34, Some(34))));
        assert_eq!(value_lengths("^(AC|SK)[0-9a-f]{2,4}$"), Some((4, Some(6))));
        assert_eq!(value_lengths("^é+$"), Some((1, None)));
        assert_eq!(value_lengths("^ab?c{0,3}$"), Some((1, Some(5))));
        // Unanchored: a value may hold more than the match.
        assert_eq!(value_lengths("AC[0-9]{2}"), Some((4, None)));
        assert_eq!(value_lengths("^AC[0-9]{2}"), Some((4, None)));
        // Characters, not bytes.
        assert_eq!(value_lengths("^ééé$"), Some((3, Some(3))));
        assert_eq!(value_lengths("("), None);
    }
}
