//! Bytes that travel as base64 text (`format: byte`).

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

use super::param::ParamValue;

/// Bytes written as base64 (the standard alphabet, padded, as RFC 4648
/// section 4 gives it and OpenAPI's `byte` format names).
///
/// Decoding also takes the URL-safe alphabet and missing padding, which
/// some servers send; encoding always writes the standard form. Derefs to
/// the bytes.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// The bytes decoded from base64 text.
    pub fn decode(text: &str) -> Result<Base64, base64::DecodeError> {
        let trimmed = text.trim_end_matches('=');
        let padded = |engine: &base64::engine::GeneralPurpose| {
            let mut text = trimmed.to_owned();
            text.extend(std::iter::repeat_n('=', (4 - trimmed.len() % 4) % 4));
            engine.decode(text)
        };
        padded(&STANDARD).or_else(|_| padded(&URL_SAFE)).map(Base64)
    }

    /// The base64 text of the bytes.
    pub fn encode(&self) -> String {
        STANDARD.encode(&self.0)
    }

    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

impl Deref for Base64 {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl From<&[u8]> for Base64 {
    fn from(bytes: &[u8]) -> Self {
        Base64(bytes.to_vec())
    }
}

impl From<&str> for Base64 {
    /// The text's UTF-8 bytes (not base64 text: see [`Base64::decode`]).
    fn from(text: &str) -> Self {
        Base64(text.as_bytes().to_vec())
    }
}

/// Shows the base64 text, as on the wire.
impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({:?})", self.encode())
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;

        impl Visitor<'_> for Text {
            type Value = Base64;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("base64 text")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Base64, E> {
                Base64::decode(v).map_err(|e| E::custom(format_args!("{v:?} is not base64 ({e})")))
            }
        }

        deserializer.deserialize_str(Text)
    }
}

impl ParamValue for Base64 {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.encode())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_text_both_alphabets_with_or_without_padding() {
        let bytes = Base64(vec![0xfb, 0xff, 0x01]);
        assert_eq!(serde_json::to_string(&bytes).unwrap(), r#""+/8B""#);
        for text in [r#""+/8B""#, r#""-_8B""#] {
            assert_eq!(serde_json::from_str::<Base64>(text).unwrap(), bytes);
        }
        let two = Base64(b"hi".to_vec());
        assert_eq!(two.encode(), "aGk=");
        assert_eq!(Base64::decode("aGk").unwrap(), two);
        assert_eq!(Base64::decode("aGk=").unwrap(), two);
        let err = serde_json::from_str::<Base64>(r#""not base64!""#).unwrap_err();
        assert!(err.to_string().contains("is not base64"), "{err}");
        assert_eq!(&*two, b"hi");
    }
}
