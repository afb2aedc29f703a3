//! Checks the generated code runs on arguments before building a request, so
//! that a malformed SID fails locally, naming the parameter, instead of as a
//! 404 from Twilio.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::{LazyLock, Mutex, PoisonError};

use regex::Regex;

use super::Error;

/// The value's length in characters is within `min..=max`.
pub fn length(name: &'static str, value: &str, min: Option<u64>, max: Option<u64>) -> Result<(), Error> {
    let len = value.chars().count() as u64;
    let fail = |bound: String| Err(Error::InvalidArgument { name, reason: format!("{bound}, got {len}: {value:?}") });
    match (min, max) {
        (Some(min), Some(max)) if min == max && len != min => fail(format!("must be exactly {min} characters long")),
        (Some(min), _) if len < min => fail(format!("must be at least {min} characters long")),
        (_, Some(max)) if len > max => fail(format!("must be at most {max} characters long")),
        _ => Ok(()),
    }
}

/// Compiled patterns, shared by every operation that uses the same one.
static PATTERNS: LazyLock<Mutex<HashMap<&'static str, Option<Regex>>>> = LazyLock::new(Default::default);

/// The value matches the spec's regular expression.
pub fn pattern(name: &'static str, value: &str, pattern: &'static str) -> Result<(), Error> {
    let mut cache = PATTERNS.lock().unwrap_or_else(PoisonError::into_inner);
    // The generator only emits patterns the regex crate accepts; should one
    // not compile anyway, the server remains the judge.
    let regex = cache.entry(pattern).or_insert_with(|| Regex::new(pattern).ok());
    match regex {
        Some(regex) if !regex.is_match(value) => {
            Err(Error::InvalidArgument { name, reason: format!("{value:?} does not match the pattern {pattern}") })
        }
        _ => Ok(()),
    }
}

/// The value is within `min..=max`.
pub fn range<T: PartialOrd + Display + Copy>(name: &'static str, value: T, min: Option<T>, max: Option<T>) -> Result<(), Error> {
    if let Some(min) = min.filter(|min| value < *min) {
        return Err(Error::InvalidArgument { name, reason: format!("must be at least {min}, got {value}") });
    }
    if let Some(max) = max.filter(|max| value > *max) {
        return Err(Error::InvalidArgument { name, reason: format!("must be at most {max}, got {value}") });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_name_the_parameter() {
        let sid = "KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        assert!(length("ServiceSid", sid, Some(34), Some(34)).is_ok());
        assert!(pattern("ServiceSid", sid, "^KS[0-9a-fA-F]{32}$").is_ok());
        let err = pattern("ServiceSid", "KS123", "^KS[0-9a-fA-F]{32}$").unwrap_err();
        assert!(err.to_string().contains("ServiceSid"), "{err}");
        let err = length("ServiceSid", "KS123", Some(34), Some(34)).unwrap_err();
        assert_eq!(err.to_string(), "invalid argument `ServiceSid`: must be exactly 34 characters long, got 5: \"KS123\"");
        assert!(range("PageSize", 1000i64, Some(1), Some(1000)).is_ok());
        let err = range("PageSize", 0i64, Some(1), Some(1000)).unwrap_err();
        assert_eq!(err.to_string(), "invalid argument `PageSize`: must be at least 1, got 0");
    }
}
