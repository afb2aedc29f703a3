//! Serde for generated structs, without serde's derive.
//!
//! `#[derive(Deserialize)]` writes about 360 lines per struct (a field
//! identifier type, a sequence visitor, a map visitor, a wrapper type per
//! `with` attribute); on Twilio's specs that was half of what rustc checks.
//! Generated structs are instead declared through `model!`, each field with
//! its name on the wire, one per line; it expands to the struct and
//! `json_object!`, about three lines per field (an [`Object::visit`] that
//! the one [`ObjectVisitor`] calls, and `serialize`). What each field's type
//! needs is decided by traits here, once:
//!
//! - [`Field`]: how a type decodes and encodes as a struct field. Integers
//!   decode leniently (`"4"` is 4, see the runtime's `lenient` module); `Option` fields
//!   are left out when `None` and are `None` when missing or `null`; other
//!   types use their serde impls.
//! - [`Codec`]: a field's wire form when its type alone doesn't say it:
//!   [`Plain`] (the type's [`Field`] impl) or `rfc2822` (dates written as in
//!   RFC 2822, see [`super::rfc2822`]).
//!
//! Unknown keys are skipped, or kept in the struct's rest map when its
//! schema gives `additionalProperties` beside `properties` (see [`Rest`]);
//! when a key appears twice, the last value wins. Structs are written as
//! maps, the rest map's entries after the listed fields.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// How a type decodes and encodes as a field of a generated struct.
pub trait Field: Sized {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;

    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;

    /// Whether the field is left out when encoding (`None`).
    fn absent(&self) -> bool {
        false
    }

    /// The value of a field whose key is missing, if the type has a
    /// natural "nothing" (`None`); otherwise the field is required.
    fn missing() -> Option<Self> {
        None
    }
}

/// A field's wire form, chosen per field by `json_object!`.
pub trait Codec<T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
    fn encode<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>;
    fn absent(value: &T) -> bool;
    fn missing() -> Option<T>;
}

/// The wire form the field's type gives (its [`Field`] impl).
pub struct Plain;

impl<T: Field> Codec<T> for Plain {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::decode(deserializer)
    }

    fn encode<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.encode(serializer)
    }

    fn absent(value: &T) -> bool {
        value.absent()
    }

    fn missing() -> Option<T> {
        T::missing()
    }
}

/// Decodes one field's value through its codec.
pub struct Seed<C, T>(PhantomData<fn() -> (C, T)>);

impl<C, T> Seed<C, T> {
    pub const NEW: Self = Seed(PhantomData);
}

impl<'de, C: Codec<T>, T> DeserializeSeed<'de> for Seed<C, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        C::decode(deserializer)
    }
}

/// Encodes one field through its codec, or leaves it out when absent; once
/// a field has failed (`failed`), the rest are not tried. The generated
/// `serialize` checks `failed` once at the end instead of a `?` per field.
pub fn put<C: Codec<T>, T, M: SerializeMap>(out: &mut M, failed: &mut Option<M::Error>, key: &'static str, value: &T) {
    if failed.is_some() || C::absent(value) {
        return;
    }
    *failed = out.serialize_entry(key, &Encode::<C, T>(value, PhantomData)).err();
}

/// The other properties of an object whose schema gives
/// `additionalProperties` beside `properties`: a map from each key the
/// struct does not list to its value.
pub trait Rest: Default {
    /// Decodes the value of an unlisted key into the map.
    fn read<'de, A: de::MapAccess<'de>>(&mut self, key: Key<'de>, map: &mut A) -> Result<(), A::Error>;

    /// How many entries [`Rest::put`] writes.
    fn count(&self, listed: &[&str]) -> usize;

    /// Encodes the entries after the listed fields. A key the struct lists
    /// (`listed`) is left out: its field says what the value is.
    fn put<M: SerializeMap>(&self, out: &mut M, failed: &mut Option<M::Error>, listed: &[&str]);
}

impl<T: Field> Rest for BTreeMap<String, T> {
    fn read<'de, A: de::MapAccess<'de>>(&mut self, key: Key<'de>, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value::<De<T>>()?.0;
        self.insert(key.0.into_owned(), value);
        Ok(())
    }

    fn count(&self, listed: &[&str]) -> usize {
        self.keys().filter(|k| !listed.contains(&k.as_str())).count()
    }

    fn put<M: SerializeMap>(&self, out: &mut M, failed: &mut Option<M::Error>, listed: &[&str]) {
        for (key, value) in self.iter().filter(|(k, _)| !listed.contains(&k.as_str())) {
            if failed.is_some() {
                return;
            }
            *failed = out.serialize_entry(key, &Ser(value)).err();
        }
    }
}

/// What a generated struct does with a key it does not list: skip its
/// value, or (with a rest map, see [`Rest`]) keep it.
#[allow(unused_macros)]
macro_rules! unlisted {
    ($map:ident, $key:ident) => {
        $crate::runtime::fields::skip(&mut $map)
    };
    ($map:ident, $key:ident, $rest:ident) => {
        $crate::runtime::fields::Rest::read(&mut $rest, $key, &mut $map)
    };
}

#[allow(unused_imports)]
pub(crate) use unlisted;

/// Decodes the value of a known key into its field's slot.
pub fn read<'de, C: Codec<T>, T, A: de::MapAccess<'de>>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error> {
    *slot = Some(map.next_value_seed(Seed::<C, T>::NEW)?);
    Ok(())
}

/// A generated struct, decoded from a JSON object key by key.
pub trait Object: Sized {
    fn visit<'de, A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The one `Visitor` of every [`Object`]; `name` is for error messages.
pub struct ObjectVisitor<T> {
    name: &'static str,
    object: PhantomData<fn() -> T>,
}

impl<T> ObjectVisitor<T> {
    pub fn new(name: &'static str) -> Self {
        ObjectVisitor { name, object: PhantomData }
    }
}

impl<'de, T: Object> de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an object ({})", self.name)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit(map)
    }
}

/// A decoded field's value, or what a missing one is (see
/// [`Codec::missing`]); `None` when a required field is missing.
pub fn take<C: Codec<T>, T>(value: Option<T>) -> Option<T> {
    value.or_else(C::missing)
}

/// The error for a required field whose key is missing.
pub fn missing<E: de::Error>(name: &'static str) -> E {
    E::missing_field(name)
}

/// Skips the value of a key the struct does not know.
pub fn skip<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// One if the field is encoded, for the length hint of `serialize_map`.
pub fn present<C: Codec<T>, T>(value: &T) -> usize {
    usize::from(!C::absent(value))
}

struct Encode<'a, C, T>(&'a T, PhantomData<C>);

impl<C: Codec<T>, T> Serialize for Encode<'_, C, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        C::encode(self.0, serializer)
    }
}

/// An object key, borrowed from the input where the input allows.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> de::Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// A `T` decoded as a field, to reuse serde's impls for containers.
struct De<T>(T);

impl<'de, T: Field> Deserialize<'de> for De<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode(deserializer).map(De)
    }
}

/// A `T` encoded as a field.
struct Ser<'a, T>(&'a T);

impl<T: Field> Serialize for Ser<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.encode(serializer)
    }
}

impl<T: Field> Field for Option<T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<De<T>>::deserialize(deserializer)?.map(|v| v.0))
    }

    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Ser(value)),
            None => serializer.serialize_none(),
        }
    }

    fn absent(&self) -> bool {
        self.is_none()
    }

    fn missing() -> Option<Self> {
        Some(None)
    }
}

impl<T: Field> Field for Vec<T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<De<T>>::deserialize(deserializer)?.into_iter().map(|v| v.0).collect())
    }

    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Ser))
    }
}

impl<T: Field> Field for BTreeMap<String, T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(BTreeMap::<String, De<T>>::deserialize(deserializer)?.into_iter().map(|(k, v)| (k, v.0)).collect())
    }

    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, Ser(v))))
    }
}


/// A type whose own serde impls are its wire form as a field: every
/// generated struct and enum, and the plain types below. [`Field`] comes
/// from one blanket impl, so a generated type only says `impl Serde for X
/// {}` instead of carrying two more functions.
pub trait Serde: Serialize + for<'de> Deserialize<'de> {}

impl<T: Serde> Field for T {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer)
    }

    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }
}

/// [`Serde`] for each type.
macro_rules! serde_field {
    ($($ty:ty),* $(,)?) => {
        $(impl $crate::runtime::fields::Serde for $ty {})*
    };
}

#[allow(unused_imports)] // Unused when no API feature is on.
pub(crate) use serde_field;

/// `String` is a field like any serde type, but not [`Serde`]: as an
/// operation's output it is text, not JSON (see `Decode`).
impl Field for String {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)
    }

    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

serde_field!(
    bool,
    f64,
    super::Number,
    super::Base64,
    serde_json::Value,
    chrono::NaiveDate,
    chrono::DateTime<chrono::FixedOffset>,
    uuid::Uuid,
    std::net::IpAddr,
    std::net::Ipv4Addr,
    std::net::Ipv6Addr,
);

/// A boxed field (a struct that contains itself) is its struct on the wire.
impl<T: Serde> Serde for Box<T> {}

/// The codec type a [`json_object!`] entry names (none: [`Plain`]).
#[allow(unused_macros)]
macro_rules! codec {
    () => {
        $crate::runtime::fields::Plain
    };
    (rfc2822) => {
        $crate::runtime::rfc2822::Rfc2822
    };
}

#[allow(unused_imports)]
pub(crate) use codec;

/// `Serialize`, `Deserialize` and [`Field`] for a generated struct, from
/// its fields, their types and their names on the wire (what [`model!`]
/// passes on):
///
/// ```text
/// json_object!(Call {
///     sid: Option<String> = "sid",
///     date_created: Option<chrono::DateTime<chrono::FixedOffset>> = "date_created" rfc2822,
/// });
/// ```
///
/// Every field of the struct must be listed. An entry may end with the
/// name of a [`Codec`] (see `codec!`). The types are spelled out in the
/// expansion rather than inferred: type inference across a long function
/// of pending trait obligations is where the compiler spent a third of
/// its time on these impls.
#[allow(unused_macros)]
macro_rules! json_object {
    // Paths are spelled out in full and local names start with `__`: the
    // generated module around the call may define types of any name.
    ($name:ident {}) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <::serde::de::IgnoredAny as ::serde::Deserialize>::deserialize(deserializer).map(|_| $name {})
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                ::serde::ser::SerializeMap::end(serializer.serialize_map(Some(0))?)
            }
        }

        #[cfg(feature = "test-util")]
        $crate::runtime::blank::blank!($name, $name {});

        $crate::runtime::fields::serde_field!($name);
    };
    ($name:ident { $($field:ident: $ty:ty = $wire:literal $($codec:ident)?),* $(,)? $(.. $rest:ident: $rest_ty:ty)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                deserializer.deserialize_map($crate::runtime::fields::ObjectVisitor::<Self>::new(stringify!($name)))
            }
        }

        impl $crate::runtime::fields::Object for $name {
            fn visit<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::std::result::Result<Self, A::Error> {
                use $crate::runtime::fields as __f;
                $(let mut $field: ::std::option::Option<$ty> = None;)*
                $(let mut $rest = <$rest_ty as ::std::default::Default>::default();)?
                while let Some(key) = map.next_key::<__f::Key<'de>>()? {
                    let read = match key.as_str() {
                        $($wire => __f::read::<__f::codec!($($codec)?), $ty, A>(&mut map, &mut $field),)*
                        _ => __f::unlisted!(map, key $(, $rest)?),
                    };
                    read?;
                }
                $(let Some($field) = __f::take::<__f::codec!($($codec)?), $ty>($field) else {
                    return Err(__f::missing::<A::Error>($wire));
                };)*
                Ok($name { $($field,)* $($rest,)? })
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use $crate::runtime::fields as __f;
                #[allow(unused)]
                const __LISTED: &[&str] = &[$($wire),*];
                let len = 0 $(+ __f::present::<__f::codec!($($codec)?), $ty>(&self.$field))*
                    $(+ __f::Rest::count(&self.$rest, __LISTED))?;
                let mut out = serializer.serialize_map(Some(len))?;
                let mut failed = None;
                $(__f::put::<__f::codec!($($codec)?), $ty, S::SerializeMap>(&mut out, &mut failed, $wire, &self.$field);)*
                $(__f::Rest::put(&self.$rest, &mut out, &mut failed, __LISTED);)?
                match failed {
                    Some(error) => Err(error),
                    None => ::serde::ser::SerializeMap::end(out),
                }
            }
        }

        #[cfg(feature = "test-util")]
        $crate::runtime::blank::blank!($name, $name {
            $($field: $crate::runtime::blank::Blank::blank(),)*
            $($rest: ::std::default::Default::default(),)?
        });

        $crate::runtime::fields::serde_field!($name);
    };
}

#[allow(unused_imports)]
pub(crate) use json_object;

/// A generated struct, declared once: each field with its docs, type and
/// name on the wire (and codec, where the type doesn't say it). Expands to
/// the struct, its `Debug` and [`json_object!`] for it.
///
/// `Debug` shows a field marked `redacted` (personal data, for an optional
/// field) as `Some("<redacted>")` or `None`, one marked `redacted_required`
/// always as `"<redacted>"`.
///
/// ```text
/// rt::model! {
///     /// A call.
///     #[derive(Clone, PartialEq)]
///     pub struct Call {
///         /// The call's SID.
///         pub sid: Option<String> = "sid",
///         pub to: Option<String> = redacted "to",
///         pub date_created: Option<chrono::DateTime<chrono::FixedOffset>> = "date_created" rfc2822,
///         ..
///         /// Any other properties, by name.
///         pub additional_properties: std::collections::BTreeMap<String, String>,
///     }
/// }
/// ```
///
/// The field after `..`, if any, is the rest map (see [`Rest`]).
#[allow(unused_macros)]
macro_rules! model {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_attr:meta])*
                pub $field:ident: $ty:ty = $($shown:ident)? $wire:literal $($codec:ident)?
            ),* $(,)?
            $(
                ..
                $(#[$rest_attr:meta])*
                pub $rest:ident: $rest_ty:ty $(,)?
            )?
        }
    ) => {
        $(#[$attr])*
        pub struct $name {
            $(
                $(#[$field_attr])*
                pub $field: $ty,
            )*
            $(
                $(#[$rest_attr])*
                pub $rest: $rest_ty,
            )?
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $(.field($crate::runtime::fields::label(stringify!($field)), $crate::runtime::fields::shown!(self.$field $(, $shown)?)))*
                    $(.field($crate::runtime::fields::label(stringify!($rest)), &self.$rest))?
                    .finish()
            }
        }

        $crate::runtime::fields::json_object!($name { $($field: $ty = $wire $($codec)?),* $(.. $rest: $rest_ty)? });
    };
}

/// What `Debug` shows of a field of a [`model!`]: the value, or for personal
/// data only whether there is one.
#[allow(unused_macros)]
macro_rules! shown {
    ($value:expr) => {
        &$value
    };
    ($value:expr, redacted) => {
        &$value.as_ref().map(|_| $crate::runtime::REDACTED)
    };
    ($value:expr, redacted_required) => {
        &$crate::runtime::REDACTED
    };
}

#[allow(unused_imports)]
pub(crate) use shown;

/// A field's name as `Debug` shows it: without the `r#` of a raw identifier.
#[doc(hidden)]
pub fn label(name: &'static str) -> &'static str {
    name.strip_prefix("r#").unwrap_or(name)
}

#[allow(unused_imports)]
pub(crate) use model;

#[cfg(test)]
mod tests {
    use chrono::{DateTime, FixedOffset};

    #[derive(Debug, PartialEq)]
    pub struct Inner {
        count: i32,
    }

    json_object!(Inner { count: i32 = "count" });

    model! {
        /// Declared the way generated models are.
        #[derive(PartialEq)]
        pub struct Sample {
            pub r#type: String = "type",
            /// Docs on a field.
            pub maybe: Option<i64> = "maybe",
            pub list: Option<Vec<i64>> = "list",
            pub inner: Option<Box<Inner>> = "inner",
            pub created: Option<DateTime<FixedOffset>> = "created" rfc2822,
        }
    }

    model! {
        #[derive(PartialEq)]
        pub struct Labelled {
            pub name: String = "name",
            pub size: Option<i64> = "size",
            ..
            /// Other properties.
            pub labels: std::collections::BTreeMap<String, i32>,
        }
    }

    #[derive(Debug, PartialEq)]
    pub struct Empty {}

    json_object!(Empty {});

    #[test]
    fn fields_decode_by_wire_name_and_integers_leniently() {
        let json = r#"{"type": "a", "maybe": "5", "list": ["1", 2.0], "inner": {"count": "4"}, "extra": [1, {"x": null}],
                       "created": "Thu, 30 Jul 2015 20:00:00 +0000"}"#;
        let s: Sample = serde_json::from_str(json).unwrap();
        assert_eq!((s.r#type.as_str(), s.maybe, s.list.as_deref()), ("a", Some(5), Some(&[1, 2][..])));
        assert_eq!(s.inner, Some(Box::new(Inner { count: 4 })));
        assert_eq!(s.created.unwrap().to_rfc3339(), "2015-07-30T20:00:00+00:00");
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"type":"a","maybe":5,"list":[1,2],"inner":{"count":4},"created":"Thu, 30 Jul 2015 20:00:00 +0000"}"#
        );
    }

    #[test]
    fn missing_and_null_optional_fields_are_none_and_left_out() {
        let s: Sample = serde_json::from_str(r#"{"type": "a", "maybe": null}"#).unwrap();
        assert_eq!((s.maybe, &s.list, &s.inner, s.created), (None, &None, &None, None));
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"type":"a"}"#);
        assert_eq!(serde_json::from_str::<Empty>(r#"{"a": 1}"#).unwrap(), Empty {});
        assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
    }

    #[test]
    fn unlisted_keys_go_to_the_rest_map_and_back_after_the_fields() {
        let s: Labelled = serde_json::from_str(r#"{"b": 2, "name": "n", "a": "1"}"#).unwrap();
        assert_eq!((s.name.as_str(), s.size), ("n", None));
        assert_eq!(s.labels.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(), [("a", 1), ("b", 2)]);
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"name":"n","a":1,"b":2}"#);
        // A listed key in the rest map is not written twice.
        let mut s = s;
        s.labels.insert("name".into(), 3);
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"name":"n","a":1,"b":2}"#);
        // A rest value of the wrong type is an error at its key.
        let de = &mut serde_json::Deserializer::from_str(r#"{"name": "n", "c": true}"#);
        let err = serde_path_to_error::deserialize::<_, Labelled>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "c");
    }

    #[test]
    fn bad_input_says_what_and_where() {
        let missing = serde_json::from_str::<Sample>("{}").unwrap_err();
        assert!(missing.to_string().contains("missing field `type`"), "{missing}");
        let null = serde_json::from_str::<Sample>(r#"{"type": null}"#).unwrap_err();
        assert!(null.to_string().contains("invalid type: null"), "{null}");
        let not_object = serde_json::from_str::<Sample>("[1]").unwrap_err();
        assert!(not_object.to_string().contains("an object (Sample)"), "{not_object}");
        let deep = &mut serde_json::Deserializer::from_str(r#"{"type": "a", "inner": {"count": 4.5}}"#);
        let err = serde_path_to_error::deserialize::<_, Sample>(deep).unwrap_err();
        assert_eq!(err.path().to_string(), "inner.count");
        let dated = serde_json::from_str::<Sample>(r#"{"type": "a", "created": "2015-07-30"}"#).unwrap_err();
        assert!(dated.to_string().contains("is not an RFC 2822 date-time"), "{dated}");
    }
}
