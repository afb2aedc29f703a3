//! `one_of!`: the enum a `oneOf` or `anyOf` schema becomes, and its serde.
//!
//! Untagged (no discriminator): the value is decoded as each variant in
//! turn, in the order generated code lists them (see `codegen`'s lowering:
//! scalars by JSON type, integers before numbers, objects with more required
//! properties first, catch-alls last); the first that fits wins. Tagged
//! (`discriminator`): the property's value picks the variant, which must
//! then fit. Either way, a value no variant claims (a new kind the server
//! added) is kept whole in the last variant, as open enums keep unknown
//! strings: a response is never lost to it.

/// Declares a `oneOf` enum and its serde impls. Variants each hold one type;
/// the last, `other`, holds any other JSON value.
///
/// ```ignore
/// one_of! {
///     /// docs
///     pub enum Milestone { Integer(i64), String(String) }
///     other Other
/// }
/// one_of! {
///     pub enum Account { User(Box<User>) = "user", Org(Box<Org>) = "org" | "organization" }
///     tag "type", other Other
/// }
/// ```
#[allow(unused_macros)] // Unused when no spec has a oneOf.
macro_rules! one_of {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident($ty:ty) ),+ $(,)? }
        other $other:ident
    ) => {
        $crate::runtime::one_of!(@enum $(#[$meta])* $name { $( $(#[$vmeta])* $variant($ty) ),+ } $other);

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                $(
                    if let ::std::result::Result::Ok(inner) = <$ty as ::serde::Deserialize>::deserialize(&value) {
                        return ::std::result::Result::Ok(Self::$variant(inner));
                    }
                )+
                ::std::result::Result::Ok(Self::$other(value))
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident($ty:ty) = $($tag:literal)|+ ),+ $(,)? }
        tag $property:literal, other $other:ident
    ) => {
        $crate::runtime::one_of!(@enum $(#[$meta])* $name { $( $(#[$vmeta])* $variant($ty) ),+ } $other);

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match value.get($property).and_then(::serde_json::Value::as_str) {
                    $(
                        $(::std::option::Option::Some($tag))|+ => <$ty as ::serde::Deserialize>::deserialize(&value)
                            .map(Self::$variant)
                            .map_err(|e| <D::Error as ::serde::de::Error>::custom(::std::format_args!("as {}: {e}", ::std::stringify!($variant)))),
                    )+
                    _ => ::std::result::Result::Ok(Self::$other(value)),
                }
            }
        }
    };
    (@enum $(#[$meta:meta])* $name:ident { $( $(#[$vmeta:meta])* $variant:ident($ty:ty) ),+ } $other:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub enum $name {
            $( $(#[$vmeta])* $variant($ty), )+
            /// A value none of the variants above describes (one the API
            /// added after this code was generated), kept as it came.
            $other(::serde_json::Value),
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(inner) => ::serde::Serialize::serialize(inner, serializer), )+
                    Self::$other(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl $crate::runtime::fields::Serde for $name {}

        #[cfg(feature = "test-util")]
        $crate::runtime::blank::blank!($name, Self::$other(::serde_json::Value::Null));
    };
}

#[allow(unused_imports)] // Unused when no API feature is on.
pub(crate) use one_of;

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Cat {
        pub meows: bool,
    }

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Dog {
        pub kind: String,
        pub barks: u8,
    }

    crate::runtime::one_of! {
        /// An id or a name.
        pub enum IdOrName { Integer(i64), String(String) }
        other Other
    }

    crate::runtime::one_of! {
        pub enum Pet { Cat(Box<Cat>) = "cat", Dog(Box<Dog>) = "dog" | "puppy" }
        tag "kind", other Other
    }

    #[test]
    fn untagged_values_take_the_first_variant_that_fits_and_keep_the_rest() {
        let decode = |v| serde_json::from_value::<IdOrName>(v).unwrap();
        assert_eq!(decode(json!(7)), IdOrName::Integer(7));
        assert_eq!(decode(json!("seven")), IdOrName::String("seven".into()));
        assert_eq!(decode(json!([7])), IdOrName::Other(json!([7])));
        for value in [json!(7), json!("seven"), json!({"a": [1]})] {
            assert_eq!(serde_json::to_value(decode(value.clone())).unwrap(), value);
        }
    }

    #[test]
    fn tagged_values_follow_the_tag_and_fail_loudly_when_the_variant_does_not_fit() {
        let decode = |v| serde_json::from_value::<Pet>(v);
        let puppy = json!({"kind": "puppy", "barks": 3});
        assert_eq!(decode(puppy.clone()).unwrap(), Pet::Dog(Box::new(Dog { kind: "puppy".into(), barks: 3 })));
        assert_eq!(serde_json::to_value(decode(puppy.clone()).unwrap()).unwrap(), puppy);
        let bird = json!({"kind": "bird", "sings": true});
        assert_eq!(decode(bird.clone()).unwrap(), Pet::Other(bird));
        let error = decode(json!({"kind": "cat"})).unwrap_err().to_string();
        assert!(error.contains("as Cat") && error.contains("meows"), "{error}");
    }
}
