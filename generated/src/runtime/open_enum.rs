//! The impls every generated open enum shares. They carry no values, only
//! the enum's name and its catch-all variant, so they live here once instead
//! of being generated (and reviewed) for every enum; what a reviewer must
//! see, the variants, their wire values and `as_str`/`From<&str>`, stays in
//! the generated code.

/// `From<String>`, `Display`, `Serialize`, `Deserialize`, `Field` and `ParamValue`
/// for an open enum with `as_str` and `From<&str>`, whose variant `$other`
/// keeps values the spec does not list; and `PartialEq`, `Eq`, `Hash`,
/// `PartialOrd` and `Ord` by the value on the wire (a known value held in
/// `$other` equals its variant; the order is that of the text). One
/// comparison of two strings type-checks faster than the derives' match
/// over every variant. (Unused when no API feature is on.)
#[allow(unused_macros)]
macro_rules! open_enum {
    ($name:ident, $other:ident) => {
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::$other(_) => Self::$other(value),
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

/// The same for an open integer enum with `value` and `From<i64>`: the
/// value is written as a JSON number, read from a number or a string
/// holding one (as integer fields are, see `lenient`), compared and hashed
/// by value, and shown as its decimal text.
#[allow(unused_macros)]
macro_rules! open_int_enum {
    ($name:ident) => {
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

    /// Declared the way generated open enums are.
    #[derive(Debug, Clone)]
    pub enum Colour {
        Red,
        Blue,
        Unrecognized(String),
    }

    impl Colour {
        pub fn as_str(&self) -> &str {
            match self {
                Self::Red => "red",
                Self::Blue => "blue",
                Self::Unrecognized(value) => value,
            }
        }
    }

    impl From<&str> for Colour {
        fn from(value: &str) -> Self {
            match value {
                "red" => Self::Red,
                "blue" => Self::Blue,
                other => Self::Unrecognized(other.to_owned()),
            }
        }
    }

    open_enum!(Colour, Unrecognized);

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
    }

    #[derive(Debug, Clone, Copy)]
    pub enum Level {
        N1,
        Minus1,
        Unrecognized(i64),
    }

    impl Level {
        pub fn value(self) -> i64 {
            match self {
                Self::N1 => 1,
                Self::Minus1 => -1,
                Self::Unrecognized(value) => value,
            }
        }
    }

    impl From<i64> for Level {
        fn from(value: i64) -> Self {
            match value {
                1 => Self::N1,
                -1 => Self::Minus1,
                other => Self::Unrecognized(other),
            }
        }
    }

    open_int_enum!(Level);

    #[test]
    fn integer_values_decode_leniently_and_keep_unknown_ones() {
        assert_eq!(serde_json::from_str::<Level>("-1").unwrap(), Level::Minus1);
        assert_eq!(serde_json::from_str::<Level>(r#""1""#).unwrap(), Level::N1);
        assert_eq!(serde_json::from_str::<Level>("7").unwrap(), Level::Unrecognized(7));
        assert_eq!(Level::Unrecognized(1), Level::N1);
        assert_eq!(serde_json::to_string(&Level::Minus1).unwrap(), "-1");
        assert_eq!(crate::runtime::ParamValue::to_param(&Level::Unrecognized(7)), "7");
        assert!(serde_json::from_str::<Level>(r#""one""#).is_err());
    }
}
