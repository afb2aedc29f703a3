//! Integers that may arrive as strings.
//!
//! Twilio sends some `type: integer` fields as JSON strings (`"duration":
//! "4"`), as its own SDKs tolerate. As fields of generated structs
//! (directly, in an `Option`, a `Vec` or a map), integers accept a JSON
//! number, a string holding an integer, or an integral float (`4.0`): their
//! [`Field`] impls are here. They encode as JSON numbers, as the spec
//! declares them: the value is exact either way.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, Error, Unexpected, Visitor};
use serde::Serializer;

use super::fields::Field;

struct IntVisitor<T>(PhantomData<T>);

impl<T> Visitor<'_> for IntVisitor<T>
where
    T: TryFrom<i64> + TryFrom<u64> + std::str::FromStr,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an integer ({}), or a string holding one", std::any::type_name::<T>())
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<T, E> {
        // `4.0` is the integer 4; `4.5` and values out of range are errors.
        let integral = v.fract() == 0.0 && v >= i64::MIN as f64 && v < i64::MAX as f64;
        match integral {
            true => self.visit_i64(v as i64),
            false => Err(E::invalid_value(Unexpected::Float(v), &self)),
        }
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
    }
}

macro_rules! lenient_int {
    ($($ty:ty),*) => {
        $(impl Field for $ty {
            fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(IntVisitor::<$ty>(PhantomData))
            }

            fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(self, serializer)
            }
        })*
    };
}

lenient_int!(i32, i64, u32, u64);

#[cfg(test)]
mod tests {
    use super::super::fields::model;

    model! {
        pub struct Sample {
            pub count: i32 = "count",
            pub maybe: Option<i64> = "maybe",
            pub list: Option<Vec<i64>> = "list",
        }
    }

    #[test]
    fn integers_decode_from_numbers_and_strings() {
        let s: Sample = serde_json::from_str(r#"{"count": "4", "maybe": 5.0, "list": ["1", 2]}"#).unwrap();
        assert_eq!((s.count, s.maybe, s.list), (4, Some(5), Some(vec![1, 2])));
        let s: Sample = serde_json::from_str(r#"{"count": 4, "maybe": null}"#).unwrap();
        assert_eq!((s.count, s.maybe, s.list), (4, None, None));
        for bad in [r#"{"count": "4.5"}"#, r#"{"count": 4.5}"#, r#"{"count": "x"}"#, r#"{"count": 3000000000}"#, r#"{"count": null}"#] {
            assert!(serde_json::from_str::<Sample>(bad).is_err(), "{bad}");
        }
    }
}
