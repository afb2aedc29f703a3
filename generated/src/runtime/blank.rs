//! Placeholder values, so that an app's tests can build the response models
//! the crate returns (feature `test-util`): every generated struct, enum
//! and union gets `Default`, each field its type's [`Blank`].
//!
//! Models are `#[non_exhaustive]` (a field the API adds must not break
//! callers), so a test cannot write a struct literal; it starts from
//! `Default` and sets what it needs:
//!
//! ```ignore
//! let mut message = Message::default();
//! message.sid = Some("SM123".to_owned());
//! ```
//!
//! `Default` itself cannot cover every field type (`std::net::IpAddr` has
//! none), hence this trait.

use std::collections::BTreeMap;

/// A type's placeholder: empty, zero, `None`, or an enum's unrecognized
/// empty value.
pub trait Blank {
    fn blank() -> Self;
}

macro_rules! blank_by_default {
    ($($ty:ty),* $(,)?) => {
        $(impl Blank for $ty {
            fn blank() -> Self {
                <$ty as Default>::default()
            }
        })*
    };
}

blank_by_default!(
    String,
    bool,
    i32,
    i64,
    u32,
    u64,
    f64,
    super::Base64,
    super::Binary,
    serde_json::Value,
    chrono::NaiveDate,
    chrono::DateTime<chrono::FixedOffset>,
    uuid::Uuid,
);

impl Blank for super::Number {
    fn blank() -> Self {
        super::Number::from(0_i64)
    }
}

impl Blank for std::net::IpAddr {
    fn blank() -> Self {
        std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
    }
}

impl Blank for std::net::Ipv4Addr {
    fn blank() -> Self {
        std::net::Ipv4Addr::UNSPECIFIED
    }
}

impl Blank for std::net::Ipv6Addr {
    fn blank() -> Self {
        std::net::Ipv6Addr::UNSPECIFIED
    }
}

impl<T> Blank for Option<T> {
    fn blank() -> Self {
        None
    }
}

impl<T> Blank for Vec<T> {
    fn blank() -> Self {
        Vec::new()
    }
}

impl<T> Blank for BTreeMap<String, T> {
    fn blank() -> Self {
        BTreeMap::new()
    }
}

impl<T: Blank> Blank for Box<T> {
    fn blank() -> Self {
        Box::new(T::blank())
    }
}

/// `Default` and [`Blank`] for a generated type, from an expression.
#[allow(unused_macros)]
macro_rules! blank {
    ($name:ident, $value:expr) => {
        impl ::std::default::Default for $name {
            fn default() -> Self {
                $value
            }
        }

        impl $crate::runtime::blank::Blank for $name {
            fn blank() -> Self {
                $value
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use blank;
