//! Numbers as Twilio sends them.
//!
//! Twilio writes many `type: number` fields as JSON strings (`"price":
//! "-0.00750"`, `"latitude": "19.720000"`), and money must not lose digits to
//! a binary float. [`Number`] keeps the text it arrived as, and whether it was
//! quoted, and converts on request: to `f64`, or with [`Number::parse`] to any
//! decimal type the application already uses (`rust_decimal::Decimal`,
//! `bigdecimal::BigDecimal`, ...). It serializes back exactly as it came.
//!
//! A newtype rather than a decimal crate's type: no digit is ever lost or
//! added (a decimal type has a range and a scale limit and would still have
//! to remember the quotes), and the crate does not pick the application's
//! decimal library for it.

use std::fmt;
use std::str::FromStr;

/// A number kept as its decimal text.
///
/// Decodes from a JSON number or from a string holding one; serializes back
/// in the same form (`"-0.00750"` stays a string with those digits). Equality
/// compares that form, not the value: use [`to_f64`](Number::to_f64) or
/// [`parse`](Number::parse) to compare values.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number {
    text: Box<str>,
    /// The value arrived as a JSON string.
    quoted: bool,
}

impl Number {
    /// The number as written (`-0.00750`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the value was (and will be serialized as) a JSON string.
    pub fn is_quoted(&self) -> bool {
        self.quoted
    }

    /// The nearest `f64`; digits beyond its precision are rounded.
    pub fn to_f64(&self) -> f64 {
        // The text was checked to be a decimal number when it was made.
        self.text.parse().unwrap_or(f64::NAN)
    }

    /// The value as any type that parses decimal text, such as
    /// `rust_decimal::Decimal`.
    pub fn parse<T: FromStr>(&self) -> Result<T, T::Err> {
        self.text.parse()
    }

    /// The same digits, serialized as a JSON string.
    pub fn quoted(self) -> Number {
        Number { quoted: true, ..self }
    }
}

/// Whether `text` is a decimal number: an optional sign, digits with an
/// optional fraction (at least one digit in all), an optional exponent.
/// `inf`, `NaN`, hex and empty text are not.
fn is_decimal(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut mantissa = digits(&mut i);
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

/// Text that is not a decimal number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidNumber(String);

impl fmt::Display for InvalidNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a decimal number", self.0)
    }
}

impl std::error::Error for InvalidNumber {}

/// Decimal text, to be sent as a JSON string.
impl FromStr for Number {
    type Err = InvalidNumber;

    fn from_str(text: &str) -> Result<Number, InvalidNumber> {
        match is_decimal(text) {
            true => Ok(Number { text: text.into(), quoted: true }),
            false => Err(InvalidNumber(text.to_owned())),
        }
    }
}

macro_rules! number_from_integer {
    ($($ty:ty),*) => {
        $(impl From<$ty> for Number {
            fn from(value: $ty) -> Number {
                Number { text: value.to_string().into(), quoted: false }
            }
        })*
    };
}

number_from_integer!(i8, i16, i32, i64, u8, u16, u32, u64);

/// The shortest text that reads back as the same `f64`. Infinite and NaN
/// values have no JSON form; they are written `inf`/`NaN` on the wire and
/// as `null` in JSON.
impl From<f64> for Number {
    fn from(value: f64) -> Number {
        Number { text: value.to_string().into(), quoted: false }
    }
}

impl From<f32> for Number {
    fn from(value: f32) -> Number {
        Number { text: value.to_string().into(), quoted: false }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.quoted {
            true => write!(f, "Number({:?})", self.text),
            false => write!(f, "Number({})", self.text),
        }
    }
}

impl serde::Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.quoted {
            return serializer.serialize_str(&self.text);
        }
        // Unquoted text came from a JSON number or a Rust number, so one of
        // these reads it back without change.
        if let Ok(n) = self.text.parse::<i64>() {
            serializer.serialize_i64(n)
        } else if let Ok(n) = self.text.parse::<u64>() {
            serializer.serialize_u64(n)
        } else {
            serializer.serialize_f64(self.to_f64())
        }
    }
}

impl<'de> serde::Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Number, D::Error> {
        deserializer.deserialize_any(NumberVisitor)
    }
}

struct NumberVisitor;

impl serde::de::Visitor<'_> for NumberVisitor {
    type Value = Number;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or a string holding a decimal number")
    }

    fn visit_i64<E>(self, v: i64) -> Result<Number, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Number, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Number, E> {
        Ok(v.into())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Number, E> {
        v.parse().map_err(|_| E::invalid_value(serde::de::Unexpected::Str(v), &self))
    }
}

impl super::ParamValue for Number {
    fn to_param(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_numbers_round_trip_exactly() {
        for json in [r#""-0.00750""#, r#""19.720000""#, r#""2192.84855""#, "19.72", "-4", "18446744073709551615", r#""1e-7""#] {
            let n: Number = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_string(&n).unwrap(), json);
        }
        let price: Number = serde_json::from_str(r#""-0.00750""#).unwrap();
        assert_eq!((price.as_str(), price.is_quoted(), price.to_f64()), ("-0.00750", true, -0.0075));
    }

    #[test]
    fn only_decimal_text_is_a_number() {
        for good in ["0", "-1", "+2.5", ".5", "5.", "1e10", "1.5E-3"] {
            assert!(good.parse::<Number>().is_ok(), "{good}");
        }
        for bad in ["", "-", ".", "e5", "1e", "1e+", "inf", "NaN", "0x10", "1,5", " 1", "1 ", "1.2.3"] {
            assert!(bad.parse::<Number>().is_err(), "{bad:?}");
        }
        let err = serde_json::from_str::<Number>(r#""abc""#).unwrap_err();
        assert!(err.to_string().contains("a string holding a decimal number"), "{err}");
        assert!(serde_json::from_str::<Number>("true").is_err());
        assert!(serde_json::from_str::<Number>("null").is_err());
    }
}
