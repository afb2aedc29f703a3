//! Responses: a 2xx body decoded into the operation's output, anything else
//! into an [`ApiError`].

use std::collections::BTreeMap;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap};

use super::fields::{Field, Serde};
use super::{ApiError, Error};

/// A decoded response with its status and headers, from
/// [`Client::execute_with_response`](super::Client::execute_with_response).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: T,
}

/// The error for a response that is not a 2xx.
pub(super) fn api_error(status: u16, headers: HeaderMap, body: &Bytes) -> Error {
    Error::Api(Box::new(ApiError::from_body(status, body).with_headers(headers)))
}

/// Decodes a response: 2xx into `T` through [`Decode`], anything else into
/// an [`ApiError`].
pub(super) fn decode<T: Decode>(status: u16, headers: HeaderMap, body: &Bytes) -> Result<Response<T>, Error> {
    decode_succeeding(status, headers, body, Successes::Ok)
}

/// Which statuses are a success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Successes {
    /// `2xx`.
    Ok,
    /// `2xx` and `3xx`, for an operation that only redirects.
    OkOrRedirect,
}

impl Successes {
    pub(super) fn contain(self, status: u16) -> bool {
        match self {
            Successes::Ok => (200..300).contains(&status),
            Successes::OkOrRedirect => (200..400).contains(&status),
        }
    }
}

/// [`decode`], with the operation's successes.
pub(super) fn decode_succeeding<T: Decode>(status: u16, headers: HeaderMap, body: &Bytes, successes: Successes) -> Result<Response<T>, Error> {
    if !successes.contain(status) {
        return Err(api_error(status, headers, body));
    }
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let body = T::decode(&Raw { status, content_type, body })?;
    Ok(Response { status, headers, body })
}

/// A 2xx response as it came, for [`Decode`].
#[derive(Debug, Clone, Copy)]
pub struct Raw<'a> {
    pub status: u16,
    /// The `Content-Type` header, if there is one (and it is text).
    pub content_type: Option<&'a str>,
    /// Shared, not copied: [`Binary`] keeps it as it is.
    pub body: &'a Bytes,
}

impl Raw<'_> {
    /// Whether the body is JSON by its content type (`application/json`,
    /// `application/vnd.github+json`, `...; charset=utf-8`), or has no
    /// content type to say otherwise.
    pub fn is_json(&self) -> bool {
        self.content_type.is_none_or(is_json)
    }

    /// Whether there is no body (or only whitespace).
    pub fn is_blank(&self) -> bool {
        self.body.iter().all(u8::is_ascii_whitespace)
    }

    /// The error for a 2xx status the operation does not describe.
    pub fn unexpected(&self) -> Error {
        Error::Decode {
            status: self.status,
            path: ".".to_owned(),
            body: String::from_utf8_lossy(self.body).into_owned(),
            source: serde::de::Error::custom(format!("the API does not describe a {} response here", self.status)),
        }
    }
}

/// Whether a media type is JSON: `application/json`, any `+json` suffix,
/// with or without parameters.
pub fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// How an operation's output is read from a 2xx response.
///
/// - Generated types, [`serde_json::Value`] and collections of them: JSON
///   (an empty body counts as `null`).
/// - `()`: the body is ignored.
/// - `Option<T>`: `None` for an empty body (operations where some 2xx
///   statuses come without one), else `T`.
/// - `String`: the body as text, or a JSON string when the response says
///   it is JSON.
/// - [`Binary`]: the bytes as they came, with their content type.
/// - Generated response enums (operations whose 2xx statuses differ in
///   their bodies): by status.
pub trait Decode: Sized {
    fn decode(response: &Raw<'_>) -> Result<Self, Error>;
}

impl<T: Serde> Decode for T {
    fn decode(response: &Raw<'_>) -> Result<Self, Error> {
        json(response.status, response.body)
    }
}

impl<T: Field> Decode for Vec<T> {
    fn decode(response: &Raw<'_>) -> Result<Self, Error> {
        json(response.status, response.body)
    }
}

impl<T: Field> Decode for BTreeMap<String, T> {
    fn decode(response: &Raw<'_>) -> Result<Self, Error> {
        json(response.status, response.body)
    }
}

/// A bare integer body (`type: integer` as the whole response). Integers
/// are not [`Serde`] (as fields they also read from strings), so each has
/// its own impl; a body like `"4"` reads as 4 here too.
macro_rules! decode_integers {
    ($($ty:ty),*) => {
        $(impl Decode for $ty {
            fn decode(response: &Raw<'_>) -> Result<Self, Error> {
                json(response.status, response.body)
            }
        })*
    };
}

decode_integers!(i32, i64, u32, u64);

impl Decode for () {
    fn decode(_: &Raw<'_>) -> Result<Self, Error> {
        Ok(())
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(response: &Raw<'_>) -> Result<Self, Error> {
        if response.is_blank() || (response.is_json() && response.body.trim_ascii() == b"null") {
            return Ok(None);
        }
        T::decode(response).map(Some)
    }
}

impl Decode for String {
    fn decode(response: &Raw<'_>) -> Result<Self, Error> {
        if response.is_json() && !response.is_blank() {
            return json(response.status, response.body);
        }
        String::from_utf8(response.body.to_vec()).map_err(|e| Error::Decode {
            status: response.status,
            path: ".".to_owned(),
            body: String::from_utf8_lossy(response.body).into_owned(),
            source: serde::de::Error::custom(format!("the body is not UTF-8 text: {e}")),
        })
    }
}

/// A body of bytes (a download, an image, an archive), or bytes to upload,
/// with its media type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Binary {
    /// `Content-Type`: what the response said; for an upload, what to send
    /// (the operation's media type when `None`).
    pub content_type: Option<String>,
    /// The file name a multipart upload gives the bytes; unset for
    /// downloads and whole-body uploads.
    pub file_name: Option<String>,
    pub bytes: bytes::Bytes,
}

impl Binary {
    /// Bytes to upload, sent with the operation's media type.
    pub fn new(bytes: impl Into<bytes::Bytes>) -> Binary {
        Binary { content_type: None, file_name: None, bytes: bytes.into() }
    }

    /// Bytes to upload with a media type of their own (`image/png`).
    pub fn with_content_type(bytes: impl Into<bytes::Bytes>, content_type: impl Into<String>) -> Binary {
        Binary { content_type: Some(content_type.into()), file_name: None, bytes: bytes.into() }
    }

    /// The same bytes with a file name, for a file in a multipart upload.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Binary {
        self.file_name = Some(file_name.into());
        self
    }
}

impl<T: Into<bytes::Bytes>> From<T> for Binary {
    fn from(bytes: T) -> Binary {
        Binary::new(bytes)
    }
}

impl Decode for Binary {
    fn decode(response: &Raw<'_>) -> Result<Self, Error> {
        Ok(Binary { content_type: response.content_type.map(str::to_owned), file_name: None, bytes: response.body.clone() })
    }
}

/// Decodes the body of a 2xx response as [`Client`](super::Client) does
/// for a JSON response (see [`Decode`]). A body that does not fit `T` is
/// [`Error::Decode`] with the path to the first value that did not
/// (`available_phone_numbers[0].latitude`). Never panics, whatever the bytes.
pub fn decode_body<T: Decode>(status: u16, body: &[u8]) -> Result<T, Error> {
    T::decode(&Raw { status, content_type: Some("application/json"), body: &Bytes::copy_from_slice(body) })
}

/// JSON into `T` as a field decodes it (integers leniently and so on); an
/// empty body is `null`.
fn json<T: Field>(status: u16, body: &[u8]) -> Result<T, Error> {
    let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { body };
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    match T::decode(&mut deserializer).and_then(|value| deserializer.end().map(|()| value)) {
        Ok(value) => Ok(value),
        // Decoding again to learn where it failed costs nothing on the way
        // of a good response, which is decoded only once.
        Err(first) => {
            let mut deserializer = serde_json::Deserializer::from_slice(json);
            let mut track = serde_path_to_error::Track::new();
            let (path, source) = match T::decode(serde_path_to_error::Deserializer::new(&mut deserializer, &mut track)) {
                Err(e) => (track.path().to_string(), e),
                Ok(_) => (".".to_owned(), first),
            };
            Err(Error::Decode { status, path, body: String::from_utf8_lossy(body).into_owned(), source })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `T` decoded from a 200 response with this content type and body.
    fn decoded<T: Decode>(content_type: Option<&str>, body: &'static [u8]) -> Result<T, Error> {
        T::decode(&Raw { status: 200, content_type, body: &Bytes::from_static(body) })
    }

    #[test]
    fn media_types_are_json_by_essence_and_suffix() {
        for json in ["application/json", "application/vnd.github+json", "Application/JSON; charset=utf-8", "application/problem+json"] {
            assert!(is_json(json), "{json}");
        }
        for other in ["text/html", "text/plain; charset=utf-8", "application/octet-stream", "application/jsonp"] {
            assert!(!is_json(other), "{other}");
        }
    }

    #[test]
    fn strings_are_text_unless_the_response_says_json() {
        let html = decoded::<String>(Some("text/html; charset=utf-8"), b"<p>hi</p>").unwrap();
        assert_eq!(html, "<p>hi</p>");
        let quoted = decoded::<String>(Some("application/json"), br#""hi""#).unwrap();
        assert_eq!(quoted, "hi");
        let bad = decoded::<String>(Some("text/plain"), &[0xff, 0xfe]).unwrap_err();
        assert!(bad.to_string().contains("not UTF-8"), "{bad}");
    }

    #[test]
    fn binary_keeps_bytes_and_content_type() {
        let blob = decoded::<Binary>(Some("image/png"), &[0, 1, 2]).unwrap();
        assert_eq!((blob.content_type.as_deref(), &blob.bytes[..]), (Some("image/png"), &[0u8, 1, 2][..]));
    }

    #[test]
    fn options_are_none_for_no_body_and_json_null() {
        assert_eq!(decoded::<Option<Vec<i64>>>(None, b"  ").unwrap(), None);
        assert_eq!(decoded::<Option<Vec<i64>>>(Some("application/json"), b"null").unwrap(), None);
        assert_eq!(decoded::<Option<Vec<i64>>>(None, b"[1, \"2\"]").unwrap(), Some(vec![1, 2]));
        assert_eq!(decoded::<Option<String>>(Some("text/plain"), b"null").unwrap().as_deref(), Some("null"));
    }

    #[test]
    fn json_errors_name_the_path_and_trailing_text_is_an_error() {
        let err = decoded::<Vec<BTreeMap<String, i64>>>(None, br#"[{"a": 1}, {"b": "x"}]"#).unwrap_err();
        assert!(matches!(&err, Error::Decode { path, .. } if path == "[1].b"), "{err:?}");
        assert!(decoded::<Vec<i64>>(None, b"[1] [2]").is_err());
        let raw = Raw { status: 200, content_type: None, body: &Bytes::new() };
        assert!(matches!(raw.unexpected(), Error::Decode { status: 200, .. }));
    }
}
