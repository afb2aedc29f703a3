//! The builder methods of generated request structs, from one listing per
//! operation instead of a six-line method per optional parameter. Each
//! parameter's documentation stays on its field, which the setter links to.

/// Setters for the optional fields of a request struct:
///
/// ```text
/// rt::setters!(CreateCall {
///     timeout: some i64,                  // fn timeout(self, value: i64), sets Some(value)
///     url: into String,                   // fn url(self, value: impl Into<String>)
///     media_url: each_into String,        // fn media_url(self, value: impl IntoIterator<Item = impl Into<String>>)
///     events: each Event,                 // fn events(self, value: impl IntoIterator<Item = Event>)
/// });
/// ```
///
/// `some` and `into` set an `Option` field; `each` and `each_into` set a
/// `Vec` field (replacing what it held).
#[allow(unused_macros)]
macro_rules! setters {
    ($name:ident { $($field:ident: $kind:ident $ty:ty),* $(,)? }) => {
        impl $name {
            $($crate::runtime::setters::setter!($kind $field $ty);)*
        }
    };
}

#[allow(unused_imports)]
pub(crate) use setters;

/// One setter of [`setters!`].
#[allow(unused_macros)]
macro_rules! setter {
    (some $field:ident $ty:ty) => {
        #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ").")]
        #[allow(clippy::wrong_self_convention)]
        pub fn $field(mut self, value: $ty) -> Self {
            self.$field = ::std::option::Option::Some(value);
            self
        }
    };
    (into $field:ident $ty:ty) => {
        #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ").")]
        #[allow(clippy::wrong_self_convention)]
        pub fn $field(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
            self.$field = ::std::option::Option::Some(value.into());
            self
        }
    };
    (each $field:ident $ty:ty) => {
        #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ").")]
        #[allow(clippy::wrong_self_convention)]
        pub fn $field(mut self, value: impl ::std::iter::IntoIterator<Item = $ty>) -> Self {
            self.$field = value.into_iter().collect();
            self
        }
    };
    (each_into $field:ident $ty:ty) => {
        #[doc = concat!("Sets [`", stringify!($field), "`](Self::", stringify!($field), ").")]
        #[allow(clippy::wrong_self_convention)]
        pub fn $field(mut self, value: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<$ty>>) -> Self {
            self.$field = value.into_iter().map(::std::convert::Into::into).collect();
            self
        }
    };
}

#[allow(unused_imports)]
pub(crate) use setter;

#[cfg(test)]
mod tests {
    #[derive(Debug, Default, PartialEq)]
    struct Send {
        count: Option<i64>,
        r#type: Option<String>,
        tags: Vec<i64>,
        media_url: Vec<String>,
    }

    setters!(Send {
        count: some i64,
        r#type: into String,
        tags: each i64,
        media_url: each_into String,
    });

    #[test]
    fn each_kind_sets_its_field() {
        let sent = Send::default().count(2).r#type("sms").tags([1, 2]).media_url(["a", "b"]);
        let expected = Send { count: Some(2), r#type: Some("sms".into()), tags: vec![1, 2], media_url: vec!["a".into(), "b".into()] };
        assert_eq!(sent, expected);
    }
}
