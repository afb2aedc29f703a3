//! Responses: a 2xx body decoded into the operation's output, anything else
//! into an [`ApiError`].

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

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

/// Decodes a response: 2xx into `T` (an empty body counts as JSON `null`, so
/// operations without a response body decode to `()`, and those whose body
/// may be missing to `None`), anything else into an [`ApiError`].
pub(super) fn decode<T: DeserializeOwned>(status: u16, headers: HeaderMap, body: &[u8]) -> Result<Response<T>, Error> {
    if !(200..300).contains(&status) {
        return Err(Error::Api(Box::new(ApiError::from_body(status, body).with_headers(headers))));
    }
    Ok(Response { status, headers, body: decode_body(status, body)? })
}

/// Decodes the body of a 2xx response as [`Client`](super::Client) does: an
/// empty body is JSON `null`; a body that does not fit `T` is
/// [`Error::Decode`] with the path to the first value that did not
/// (`available_phone_numbers[0].latitude`).
/// Never panics, whatever the bytes.
pub fn decode_body<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { body };
    match serde_json::from_slice(json) {
        Ok(value) => Ok(value),
        // Decoding again to learn where it failed costs nothing on the way
        // of a good response, which is decoded only once.
        Err(first) => {
            let mut deserializer = serde_json::Deserializer::from_slice(json);
            let (path, source) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                Err(e) => (e.path().to_string(), e.into_inner()),
                Ok(_) => (".".to_owned(), first),
            };
            Err(Error::Decode { status, path, body: String::from_utf8_lossy(body).into_owned(), source })
        }
    }
}
