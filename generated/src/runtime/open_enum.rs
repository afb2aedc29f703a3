//! The impls every generated open enum shares. They carry no values, only
//! the enum's name and its catch-all variant, so they live here once instead
//! of being generated (and reviewed) for every enum; what a reviewer must
//! see, the variants, their wire values and `as_str`/`From<&str>`, stays in
//! the generated code.

/// `From<String>`, `Display`, `Serialize`, `Deserialize`, `Field` and `ParamValue`
/// for an open enum with `as_str` and `From<&str>`, whose variant `$other`
/// keeps values the spec does not list. (Unused when no API feature is on.)
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

        impl $crate::runtime::ParamValue for $name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                self.as_str().into()
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use open_enum;
