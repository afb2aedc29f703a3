//! The one error type of the crate.

use std::fmt;

/// Everything that can go wrong calling an operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument failed the spec's checks; no request was sent. `name` is
    /// the parameter's wire name, or the path to a field of a JSON body
    /// (`phone_numbers[0].phone_number`).
    #[error("invalid argument `{name}`: {reason}")]
    InvalidArgument { name: String, reason: String },
    /// The client is not set up for this operation (no credentials of the
    /// kind it needs, an unusable base URL, ...); no request was sent.
    #[error("client configuration: {0}")]
    Config(String),
    /// The request could not be sent or the response not read.
    #[error("HTTP transport: {0}")]
    Transport(#[source] reqwest::Error),
    /// No complete response within the configured timeout (of an attempt,
    /// or the deadline of all attempts together).
    #[error("no response within {after:?}")]
    Timeout { after: std::time::Duration },
    /// The response's body is longer than the client accepts
    /// (`ClientBuilder::max_response_bytes`); use `Client::download` for
    /// large files.
    #[error("the response body is longer than {limit} bytes")]
    ResponseTooLarge { limit: u64 },
    /// The API answered with a status outside 2xx.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// A 2xx response whose body does not match the spec's schema.
    #[error("cannot decode the HTTP {status} response body at `{path}`: {source}")]
    Decode {
        status: u16,
        /// Where in the body decoding failed (`available_phone_numbers[0].latitude`;
        /// `.` for the top level).
        path: String,
        /// The body as received.
        body: String,
        #[source]
        source: serde_json::Error,
    },
}

/// A non-2xx response, with Twilio's error details when the body has them:
/// Twilio's usual `{code, message, more_info, status, details}`, or the
/// RFC 9457 problem shape (`type`, `title`, `detail`, `instance`) some newer
/// APIs use.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// Twilio's error code (see <https://www.twilio.com/docs/api/errors>).
    pub code: Option<i64>,
    /// `message`, or an RFC 9457 `detail` (else its `title`).
    pub message: Option<String>,
    /// A link to documentation about this error (`more_info`, or an RFC 9457
    /// `type`).
    pub more_info: Option<String>,
    /// Further details some APIs add.
    pub details: Option<serde_json::Value>,
    /// RFC 9457 `title`: a short summary of the problem type.
    pub title: Option<String>,
    /// RFC 9457 `instance`: this occurrence of the problem.
    pub instance: Option<String>,
    /// The response headers (`Twilio-Request-Id` helps Twilio support).
    pub headers: reqwest::header::HeaderMap,
    /// The body as received, whatever it was (JSON, HTML, empty).
    pub body: String,
}

impl ApiError {
    /// Reads Twilio's error JSON (`code`, `message`, `more_info`, `status`,
    /// `details`) when the body is such an object; otherwise only the raw
    /// body is kept. Never fails.
    pub fn from_body(status: u16, body: &[u8]) -> ApiError {
        let text = String::from_utf8_lossy(body).into_owned();
        let json = serde_json::from_slice::<serde_json::Value>(body).ok();
        let object = json.as_ref().and_then(|v| v.as_object());
        let field = |key: &str| object.and_then(|o| o.get(key));
        let string = |key: &str| field(key).and_then(|v| v.as_str()).map(str::to_owned);
        ApiError {
            status,
            code: field("code").and_then(serde_json::Value::as_i64),
            message: string("message").or_else(|| string("detail")).or_else(|| string("title")),
            more_info: string("more_info").or_else(|| string("type").filter(|t| t != "about:blank")),
            details: field("details").cloned(),
            title: string("title"),
            instance: string("instance"),
            headers: reqwest::header::HeaderMap::new(),
            body: text,
        }
    }

    /// The same error, with the response's headers.
    /// The body decoded as `T`: the error type the spec gives for this
    /// status (each operation's docs list them), `String`, or
    /// `serde_json::Value`.
    pub fn body_as<T: super::Decode>(&self) -> Result<T, Error> {
        let content_type = self.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let body = bytes::Bytes::copy_from_slice(self.body.as_bytes());
        T::decode(&super::Raw { status: self.status, content_type, body: &body })
    }

    pub fn with_headers(mut self, headers: reqwest::header::HeaderMap) -> ApiError {
        self.headers = headers;
        self
    }

    /// Twilio's request id, for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("twilio-request-id").and_then(|v| v.to_str().ok())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error: HTTP {}", self.status)?;
        if let Some(code) = self.code {
            write!(f, ", code {code}")?;
        }
        match &self.message {
            Some(message) => write!(f, ": {message}")?,
            None if self.body.trim().is_empty() => write!(f, " with an empty body")?,
            None => {
                const SHOWN: usize = 200;
                let body: String = self.body.chars().take(SHOWN).collect();
                let more = if self.body.chars().count() > SHOWN { "..." } else { "" };
                write!(f, ": {body}{more}")?;
            }
        }
        if let Some(more_info) = &self.more_info {
            write!(f, " (see {more_info})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl Error {
    /// The API error, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_twilio_error_json() {
        let body = br#"{"code": 20404, "message": "The requested resource was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}"#;
        let e = ApiError::from_body(404, body);
        assert_eq!(e.code, Some(20404));
        assert_eq!(e.message.as_deref(), Some("The requested resource was not found"));
        assert_eq!(
            e.to_string(),
            "API error: HTTP 404, code 20404: The requested resource was not found (see https://www.twilio.com/docs/errors/20404)"
        );
    }

    #[test]
    fn keeps_bodies_that_are_not_json() {
        let e = ApiError::from_body(503, b"<html>Service Unavailable</html>");
        assert_eq!(e.code, None);
        assert_eq!(e.body, "<html>Service Unavailable</html>");
        assert_eq!(e.to_string(), "API error: HTTP 503: <html>Service Unavailable</html>");
        assert_eq!(ApiError::from_body(502, b"").to_string(), "API error: HTTP 502 with an empty body");
        // A JSON body that is not an object is kept raw too.
        assert_eq!(ApiError::from_body(500, b"[1]").message, None);
    }

    #[test]
    fn reads_rfc_9457_problems() {
        let body = br#"{"type": "https://www.twilio.com/docs/errors/20001", "title": "Invalid parameter", "status": 400, "detail": "PageSize must be at most 1000", "instance": "/v1/Things"}"#;
        let e = ApiError::from_body(400, body);
        assert_eq!(e.message.as_deref(), Some("PageSize must be at most 1000"));
        assert_eq!(e.title.as_deref(), Some("Invalid parameter"));
        assert_eq!(e.instance.as_deref(), Some("/v1/Things"));
        assert_eq!(e.more_info.as_deref(), Some("https://www.twilio.com/docs/errors/20001"));
        assert_eq!(
            e.to_string(),
            "API error: HTTP 400: PageSize must be at most 1000 (see https://www.twilio.com/docs/errors/20001)"
        );
        let bare = ApiError::from_body(429, br#"{"type": "about:blank", "title": "Too Many Requests"}"#);
        assert_eq!((bare.message.as_deref(), bare.more_info), (Some("Too Many Requests"), None));
    }
}
