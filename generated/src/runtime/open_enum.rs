//! Open enums: the generated code lists each enum's variants with their
//! wire values (`InProgress = "in-progress",`), one per line, and these
//! macros write the rest once: the enum with its docs and catch-all
//! variant, `as_str`/`value`, `From`, and the impls every open enum shares.
//! A new value in the API is one new line in the generated code.

/// An open enum of text values:
///
/// ```ignore
/// rt::open_enum! {
///     /// A call's status.
///     #[non_exhaustive]
///     pub enum Status { InProgress = "in-progress", Completed = "completed" }
///     other Unrecognized
/// }
/// ```
///
/// declares the enum (each variant documented with its wire value, and
/// `Unrecognized(String)` keeping values the spec does not list), `as_str`,
/// `From<&str>` and `From<String>`, `Display`, `Serialize`, `Deserialize`,
/// `Field` and `ParamValue`; and `PartialEq`, `Eq`, `Hash`, `PartialOrd` and
/// `Ord` by the value on the wire (a known value held in `$other` equals its
/// variant; the order is that of the text). One comparison of two strings
/// type-checks faster than the derives' match over every variant. (Unused
/// when no API feature is on.)
#[allow(unused_macros)]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $variant:ident = $value:literal ),* $(,)? }
        other $other:ident
    ) => {
        $(#[$meta])*
        #[doc = ""]
        #[doc = ::std::concat!(
            " Values added to the API after this code was generated decode as [`",
            ::std::stringify!($name), "::", ::std::stringify!($other), "`], keeping their text."
        )]
        #[derive(Debug, Clone)]
        pub enum $name {
            $(
                #[doc = ::std::concat!(" `", $value, "`")]
                $variant,
            )*
            /// A value this crate does not know yet, kept verbatim.
            $other(::std::string::String),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::$other(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::$other(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::$other(_) => Self::$other(value),
                    // Unreachable in an enum that lists no value.
                    #[allow(unreachable_patterns)]
                    known => known,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        $crate::runtime::fields::serde_field!($name);

        $crate::runtime::by_key!($name, as_str);

        // A value the spec does not list: the empty one.
        #[cfg(feature = "test-util")]
        $crate::runtime::blank::blank!($name, Self::from(""));

        impl $crate::runtime::ParamValue for $name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                self.as_str().into()
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use open_enum;

/// `PartialEq`, `Eq`, `Hash`, `PartialOrd` and `Ord` for `$name` by what
/// its method `$key` returns (the wire text, or the integer value).
#[allow(unused_macros)]
macro_rules! by_key {
    ($name:ident, $key:ident) => {
        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.$key() == other.$key()
            }
        }

        impl ::std::cmp::Eq for $name {}

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.$key().hash(state)
            }
        }

        impl ::std::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(self.cmp(other))
            }
        }

        impl ::std::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.$key().cmp(&other.$key())
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use by_key;

/// The same for integer values (`N1 = 1, Minus1 = -1`), with `value` and
/// `From<i64>` and `$other(i64)`: the value is written as a JSON number,
/// read from a number or a string holding one (as integer fields are, see
/// `lenient`), compared and hashed by value, and shown as its decimal text.
#[allow(unused_macros)]
macro_rules! open_int_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $variant:ident = $value:literal ),* $(,)? }
        other $other:ident
    ) => {
        $(#[$meta])*
        #[doc = ""]
        #[doc = ::std::concat!(
            " Values added to the API after this code was generated decode as [`",
            ::std::stringify!($name), "::", ::std::stringify!($other), "`], keeping their value."
        )]
        #[derive(Debug, Clone, Copy)]
        pub enum $name {
            $(
                #[doc = ::std::concat!(" `", $value, "`")]
                $variant,
            )*
            /// A value this crate does not know yet, kept verbatim.
            $other(i64),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn value(self) -> i64 {
                match self {
                    $( Self::$variant => $value, )*
                    Self::$other(value) => value,
                }
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::$other(other),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as $crate::runtime::fields::Field>::decode(deserializer).map(Self::from)
            }
        }

        $crate::runtime::fields::serde_field!($name);

        $crate::runtime::by_key!($name, value);

        #[cfg(feature = "test-util")]
        $crate::runtime::blank::blank!($name, Self::from(0_i64));

        impl $crate::runtime::ParamValue for $name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                self.value().to_string().into()
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use open_int_enum;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    open_enum! {
        /// Declared the way generated open enums are.
        #[non_exhaustive]
        pub enum Colour {
            Red = "red",
            Blue = "blue",
        }
        other Unrecognized
    }

    #[test]
    fn values_compare_as_their_wire_text() {
        assert_eq!(Colour::Unrecognized("red".into()), Colour::Red);
        assert_ne!(Colour::Red, Colour::Blue);
        let set: BTreeSet<Colour> = ["red", "green", "blue"].into_iter().map(Colour::from).collect();
        let order: Vec<_> = set.iter().map(Colour::as_str).collect();
        assert_eq!(order, ["blue", "green", "red"]);
        let hashed: std::collections::HashSet<Colour> = [Colour::Red, Colour::Unrecognized("red".into())].into();
        assert_eq!(hashed.len(), 1);
        assert_eq!(Colour::from(String::from("green")).to_string(), "green");
        assert_eq!(serde_json::to_string(&Colour::Blue).unwrap(), r#""blue""#);
        assert_eq!(serde_json::from_str::<Colour>(r#""blue""#).unwrap(), Colour::Blue);
        assert_eq!(Colour::Red.as_str(), "red");
        assert_eq!(Colour::from("purple"), Colour::Unrecognized("purple".into()));
        assert!(matches!(Colour::from("blue"), Colour::Blue));
    }

    #[test]
    fn an_enum_without_values_keeps_every_value() {
        open_enum! {
            pub enum Nothing {}
            other Unrecognized
        }
        assert!(matches!(Nothing::from("x"), Nothing::Unrecognized(ref v) if v == "x"));
        assert_eq!(Nothing::from("x").as_str(), "x");
    }

    open_int_enum! {
        #[non_exhaustive]
        pub enum Level {
            N1 = 1,
            Minus1 = -1,
        }
        other Unrecognized
    }

    #[test]
    fn integer_values_decode_leniently_and_keep_unknown_ones() {
        assert_eq!(serde_json::from_str::<Level>("-1").unwrap(), Level::Minus1);
        assert_eq!(serde_json::from_str::<Level>(r#""1""#).unwrap(), Level::N1);
        assert_eq!(serde_json::from_str::<Level>("7").unwrap(), Level::Unrecognized(7));
        assert_eq!(Level::Unrecognized(1), Level::N1);
        assert_eq!(serde_json::to_string(&Level::Minus1).unwrap(), "-1");
        assert_eq!(crate::runtime::ParamValue::to_param(&Level::Unrecognized(7)), "7");
        assert!(serde_json::from_str::<Level>(r#""one""#).is_err());
        assert_eq!(Level::Minus1.value(), -1);
        assert!(matches!(Level::from(-1), Level::Minus1));
    }
}
