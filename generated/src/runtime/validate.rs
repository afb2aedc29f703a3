//! Checks the generated code runs on arguments before building a request, so
//! that a malformed SID fails locally, naming the parameter (or the path to
//! the field inside a JSON body), instead of as an error from the server.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Display};

use super::Error;
use super::matcher::Pattern;

/// Where a checked value sits: a parameter name, or a path into a JSON body
/// (`phone_numbers[0].phone_number`). Built on the stack as the checks
/// descend, and only turned into text when a check fails.
#[derive(Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy)]
enum Step<'a> {
    /// The top of a JSON body: shown as nothing.
    Root,
    Field(&'static str),
    Index(usize),
    Key(&'a str),
}

impl<'a> Path<'a> {
    /// The top of a JSON body; its fields are named without a prefix.
    pub const ROOT: Path<'static> = Path { parent: None, step: Step::Root };

    /// A parameter or form field, by its wire name.
    pub const fn param(name: &'static str) -> Path<'static> {
        Path { parent: None, step: Step::Field(name) }
    }

    /// A field of the struct at this path, by its wire name.
    pub fn field(&'a self, name: &'static str) -> Path<'a> {
        Path { parent: Some(self), step: Step::Field(name) }
    }

    /// An item of the array at this path.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path { parent: Some(self), step: Step::Index(index) }
    }

    /// A value of the map at this path.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path { parent: Some(self), step: Step::Key(key) }
    }
}

impl From<&'static str> for Path<'static> {
    fn from(name: &'static str) -> Self {
        Path::param(name)
    }
}

impl Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            steps.push(path.step);
            at = path.parent;
        }
        let mut first = true;
        for step in steps.into_iter().rev() {
            match step {
                Step::Root => continue,
                Step::Field(name) if first => f.write_str(name)?,
                Step::Field(name) => write!(f, ".{name}")?,
                Step::Index(i) => write!(f, "[{i}]")?,
                Step::Key(key) => write!(f, "[{key:?}]")?,
            }
            first = false;
        }
        if first {
            f.write_str("body")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Path({self})")
    }
}

fn invalid(at: Path<'_>, reason: String) -> Error {
    Error::InvalidArgument { name: at.to_string(), reason }
}

/// A value whose fields carry the spec's constraints (a JSON body, or a
/// struct inside one). Generated for every struct a request can contain that
/// has something to check.
pub trait Validate {
    fn validate(&self, at: Path<'_>) -> Result<(), Error>;
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: Path<'_>) -> Result<(), Error> {
        match self {
            Some(value) => value.validate(at),
            None => Ok(()),
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, at: Path<'_>) -> Result<(), Error> {
        (**self).validate(at)
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, at: Path<'_>) -> Result<(), Error> {
        self.iter().enumerate().try_for_each(|(i, item)| item.validate(at.index(i)))
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, at: Path<'_>) -> Result<(), Error> {
        self.iter().try_for_each(|(key, value)| value.validate(at.key(key)))
    }
}

/// A field's value as the checks take it: the value itself, or an
/// `Option` of it (nothing to check when `None`).
pub trait Checked<T: ?Sized> {
    fn value(&self) -> Option<&T>;
}

/// `Checked<T>` for `T` itself and for `Option<T>`.
macro_rules! checked {
    ($($ty:ty),*) => {
        $(impl Checked<$ty> for $ty {
            fn value(&self) -> Option<&$ty> {
                Some(self)
            }
        }

        impl Checked<$ty> for Option<$ty> {
            fn value(&self) -> Option<&$ty> {
                self.as_ref()
            }
        })*
    };
}

checked!(i32, i64, u32, u64, super::Number);

impl Checked<str> for str {
    fn value(&self) -> Option<&str> {
        Some(self)
    }
}

impl Checked<str> for String {
    fn value(&self) -> Option<&str> {
        Some(self)
    }
}

impl Checked<str> for Option<String> {
    fn value(&self) -> Option<&str> {
        self.as_deref()
    }
}

/// The value's length in characters is within `min..=max`.
pub fn length<'p>(at: impl Into<Path<'p>>, value: &(impl Checked<str> + ?Sized), min: Option<u64>, max: Option<u64>) -> Result<(), Error> {
    let Some(value) = value.value().filter(|v| !fits(v.chars().count() as u64, min, max)) else {
        return Ok(());
    };
    let len = value.chars().count() as u64;
    let bound = match (min, max) {
        (Some(min), Some(max)) if min == max => format!("must be exactly {min} characters long"),
        (Some(min), _) if len < min => format!("must be at least {min} characters long"),
        _ => format!("must be at most {} characters long", max.unwrap_or_default()),
    };
    Err(invalid(at.into(), format!("{bound}, got {len}: {value:?}")))
}

fn fits(n: u64, min: Option<u64>, max: Option<u64>) -> bool {
    min.is_none_or(|min| n >= min) && max.is_none_or(|max| n <= max)
}

/// The array has `min..=max` items. A required array sent as a form field
/// or in a query needs at least one: an empty one would not be sent at all.
pub fn items<'p>(at: impl Into<Path<'p>>, count: usize, min: Option<u64>, max: Option<u64>) -> Result<(), Error> {
    let count = count as u64;
    match (min, max) {
        (Some(min), _) if count < min => Err(invalid(at.into(), format!("needs at least {min} item(s), got {count}"))),
        (_, Some(max)) if count > max => Err(invalid(at.into(), format!("takes at most {max} item(s), got {count}"))),
        _ => Ok(()),
    }
}

thread_local! {
    /// Compiled patterns, by the address of their `'static` text. One cache
    /// per thread: no lock on the way of a request, and each pattern is only
    /// ever used by the thread that owns it.
    static PATTERNS: RefCell<HashMap<(usize, usize), Option<Pattern>>> = RefCell::new(HashMap::new());
}

/// The value matches the spec's regular expression.
pub fn pattern<'p>(at: impl Into<Path<'p>>, value: &(impl Checked<str> + ?Sized), pattern: &'static str) -> Result<(), Error> {
    let key = (pattern.as_ptr() as usize, pattern.len());
    if let Some(value) = value.value() {
        let matches = PATTERNS.with(|cache| {
            let mut cache = cache.borrow_mut();
            // The generator only emits patterns regex-lite accepts; should
            // one not compile anyway, the server remains the judge.
            let compiled = cache.entry(key).or_insert_with(|| Pattern::new(pattern));
            compiled.as_ref().is_none_or(|compiled| compiled.is_match(value))
        });
        if !matches {
            return Err(invalid(at.into(), format!("{value:?} does not match the pattern {pattern}")));
        }
    }
    Ok(())
}

/// The value is within `min..=max`.
pub fn range<'p, T: PartialOrd + Display + Copy>(at: impl Into<Path<'p>>, value: &impl Checked<T>, min: Option<T>, max: Option<T>) -> Result<(), Error> {
    if let Some(&value) = value.value() {
        if let Some(min) = min.filter(|min| value < *min) {
            return Err(invalid(at.into(), format!("must be at least {min}, got {value}")));
        }
        if let Some(max) = max.filter(|max| value > *max) {
            return Err(invalid(at.into(), format!("must be at most {max}, got {value}")));
        }
    }
    Ok(())
}

/// A [`Number`](super::Number) is within `min..=max`, compared as `f64`.
pub fn number_range<'p>(at: impl Into<Path<'p>>, value: &impl Checked<super::Number>, min: Option<f64>, max: Option<f64>) -> Result<(), Error> {
    if let Some(value) = value.value() {
        let n = value.to_f64();
        let bound = match (min, max) {
            (Some(min), _) if n < min => format!("must be at least {min}"),
            (_, Some(max)) if n > max => format!("must be at most {max}"),
            _ if n.is_nan() => "must be a number".to_owned(),
            _ => return Ok(()),
        };
        return Err(invalid(at.into(), format!("{bound}, got {value}")));
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
        assert!(range("PageSize", &1000i64, Some(1), Some(1000)).is_ok());
        let err = range("PageSize", &0i64, Some(1), Some(1000)).unwrap_err();
        assert_eq!(err.to_string(), "invalid argument `PageSize`: must be at least 1, got 0");
        // Optional values: nothing to check when `None`.
        assert!(pattern("ServiceSid", &None::<String>, "^KS[0-9a-fA-F]{32}$").is_ok());
        assert!(range("PageSize", &Some(0i64), Some(1), None).is_err());
        let err = items("MessageSamples", 0, Some(1), None).unwrap_err();
        assert_eq!(err.to_string(), "invalid argument `MessageSamples`: needs at least 1 item(s), got 0");
    }

    #[test]
    fn paths_into_bodies_read_like_the_json() {
        let root = Path::ROOT;
        let numbers = root.field("phone_numbers");
        let first = numbers.index(0);
        assert_eq!(first.field("phone_number").to_string(), "phone_numbers[0].phone_number");
        let map = root.field("labels");
        assert_eq!(map.key("a b").to_string(), "labels[\"a b\"]");
        assert_eq!(Path::ROOT.to_string(), "body");
        let err = pattern(first.field("phone_number"), "x", "^\\+[0-9]+$").unwrap_err();
        assert!(err.to_string().starts_with("invalid argument `phone_numbers[0].phone_number`"), "{err}");
    }

    #[test]
    fn numbers_are_compared_by_value() {
        let n: super::super::Number = "-0.00750".parse().unwrap();
        assert!(number_range("Price", &n, Some(-1.0), Some(0.0)).is_ok());
        assert!(number_range("Price", &n, Some(0.0), None).is_err());
    }
}
