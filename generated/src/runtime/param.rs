//! How values are written into paths, query strings, headers and forms.

use std::borrow::Cow;

/// A value that goes on the wire as text; text that is already there is
/// borrowed, not copied.
pub trait ParamValue {
    fn to_param(&self) -> Cow<'_, str>;
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

/// Numbers in their usual decimal form; booleans as `true` / `false`, the
/// spelling Twilio expects.
macro_rules! param_via_display {
    ($($ty:ty),*) => {
        $(impl ParamValue for $ty {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        })*
    };
}

param_via_display!(bool, i32, i64, u32, u64, f64);

// Lower-case hyphenated (`67e55044-10b1-426f-9247-bb680e5fe0c8`); addresses
// as `std` writes them (`192.0.2.1`, `2001:db8::1`).
param_via_display!(uuid::Uuid, std::net::IpAddr, std::net::Ipv4Addr, std::net::Ipv6Addr);

/// A free-form value (a schema without a type, a `oneOf` not modelled yet):
/// strings as they are, numbers and booleans as their text, `null` as
/// nothing, arrays and objects as JSON text.
impl ParamValue for serde_json::Value {
    fn to_param(&self) -> Cow<'_, str> {
        match self {
            serde_json::Value::String(text) => Cow::Borrowed(text),
            serde_json::Value::Null => Cow::Borrowed(""),
            other => Cow::Owned(other.to_string()),
        }
    }
}

/// RFC 3339 with its offset (`Z` for UTC) and only as many fraction digits
/// as needed (`2015-12-16T22:18:37Z`, `2015-12-16T17:18:37-05:00`).
impl ParamValue for chrono::DateTime<chrono::FixedOffset> {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

/// `YYYY-MM-DD`.
impl ParamValue for chrono::NaiveDate {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.format("%Y-%m-%d").to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn scalars_use_twilio_spelling() {
        assert_eq!(true.to_param(), "true");
        assert_eq!(false.to_param(), "false");
        assert_eq!(1000i64.to_param(), "1000");
        let t = chrono::Utc.with_ymd_and_hms(2015, 12, 16, 22, 18, 37).unwrap().fixed_offset();
        assert_eq!(t.to_param(), "2015-12-16T22:18:37Z");
        let east = chrono::FixedOffset::east_opt(5 * 3600).unwrap().with_ymd_and_hms(2015, 12, 16, 22, 18, 37).unwrap();
        assert_eq!(east.to_param(), "2015-12-16T22:18:37+05:00");
        let d = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(d.to_param(), "2024-02-29");
    }
}
