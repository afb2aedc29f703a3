//! The HTTP client every operation is sent with.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use url::Url;

use super::request::Body;
use super::{ApiError, AuthScheme, Error, ItemStream, NextPage, Operation, Page, Request};

/// How the client proves who it is.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// HTTP basic: an Account SID and its Auth Token, or an API key SID and
    /// its secret.
    Basic { username: String, password: String },
    /// An access token sent as `Authorization: Bearer ...`.
    Bearer { token: String },
}

/// Secrets never appear in debug output.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Basic { username, .. } => {
                f.debug_struct("Basic").field("username", username).field("password", &"<redacted>").finish()
            }
            Credentials::Bearer { .. } => f.debug_struct("Bearer").field("token", &"<redacted>").finish(),
        }
    }
}

/// A Twilio API client. Cheap to clone; clones share connections.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    credentials: Option<Credentials>,
    base_url: Option<Url>,
}

/// A request ready to go: URL resolved, parts checked.
#[derive(Clone)]
pub(crate) struct Prepared {
    method: reqwest::Method,
    /// Where relative links (next pages) are resolved against.
    base: String,
    url: Url,
    auth: &'static [AuthScheme],
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Body,
}

impl Client {
    /// A client that authenticates with an Account SID and Auth Token (or an
    /// API key SID and secret).
    pub fn new(account_sid: impl Into<String>, auth_token: impl Into<String>) -> Result<Client, Error> {
        Client::builder().basic_auth(account_sid, auth_token).build()
    }

    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Sends one operation and decodes its response.
    pub async fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        let prepared = self.prepare(operation.request()?)?;
        self.send(&prepared).await
    }

    /// Streams the items of a list operation across all of its pages.
    ///
    /// Next-page links are followed on the host of the first request, with
    /// the same credentials; a link never sends them anywhere else.
    pub fn paginate<'a, O>(&'a self, operation: &O) -> ItemStream<'a, <O::Output as Page>::Item>
    where
        O: Operation,
        O::Output: Page + Send + 'a,
        <O::Output as Page>::Item: Send + 'a,
    {
        let first = operation.request().and_then(|r| self.prepare(r));
        super::paging::items::<O::Output>(self, first)
    }

    pub(crate) fn prepare(&self, request: Request) -> Result<Prepared, Error> {
        let base = match &self.inner.base_url {
            Some(url) => url.as_str().trim_end_matches('/').to_owned(),
            None if request.server.is_empty() => {
                return Err(Error::Config("the spec names no server for this operation; set a base URL".into()));
            }
            None => request.server.to_owned(),
        };
        let mut url = parse_url(&format!("{base}{}", request.path))?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        let mut headers = Vec::with_capacity(request.headers.len());
        for (name, value) in &request.headers {
            let bad = |what: &str| Error::InvalidArgument { name, reason: format!("is not a valid HTTP header {what}") };
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad("name"))?;
            headers.push((header_name, HeaderValue::from_str(value).map_err(|_| bad("value"))?));
        }
        Ok(Prepared { method: request.method, base, url, auth: request.auth, headers, body: request.body })
    }

    /// The request for the page after the one `previous` fetched.
    pub(crate) fn follow(&self, previous: &Prepared, next: NextPage<'_>) -> Result<Prepared, Error> {
        let link = match next {
            NextPage::Url(link) => link,
            NextPage::Query { name, value } => {
                let mut url = previous.url.clone();
                let kept: Vec<(String, String)> =
                    url.query_pairs().filter(|(key, _)| key != name).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
                url.query_pairs_mut().clear().extend_pairs(kept).append_pair(name, value);
                return Ok(Prepared { url, ..previous.clone() });
            }
        };
        // Only the path and query of the link are used, on the host of the
        // first request: a base URL override (a proxy, a test server) keeps
        // applying, and credentials stay with the host they were meant for.
        let path_and_query = match Url::parse(link) {
            Ok(absolute) => match absolute.query() {
                Some(query) => format!("{}?{query}", absolute.path()),
                None => absolute.path().to_owned(),
            },
            Err(_) => link.to_owned(),
        };
        let path_and_query = if path_and_query.starts_with('/') { path_and_query } else { format!("/{path_and_query}") };
        Ok(Prepared {
            method: reqwest::Method::GET,
            base: previous.base.clone(),
            url: parse_url(&format!("{}{path_and_query}", previous.base))?,
            auth: previous.auth,
            headers: previous.headers.clone(),
            body: Body::Empty,
        })
    }

    pub(crate) async fn send<T: DeserializeOwned>(&self, prepared: &Prepared) -> Result<T, Error> {
        let mut builder = self
            .inner
            .http
            .request(prepared.method.clone(), prepared.url.clone())
            .header(ACCEPT, "application/json");
        // An `Authorization` header the operation sets itself (Flex Insights
        // takes a Flex token that way) replaces the client's credentials
        // rather than going out next to them.
        if !prepared.headers.iter().any(|(name, _)| name == AUTHORIZATION) {
            builder = self.authorize(builder, prepared.auth)?;
        }
        for (name, value) in &prepared.headers {
            builder = builder.header(name, value);
        }
        builder = match &prepared.body {
            Body::Empty => builder,
            Body::Form(pairs) => {
                let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
                builder.header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(encoded)
            }
            Body::Json(bytes) => builder.header(CONTENT_TYPE, "application/json").body(bytes.clone()),
        };
        let response = builder.send().await.map_err(Error::Transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(Error::Transport)?;
        decode(status, &body)
    }

    fn authorize(&self, builder: reqwest::RequestBuilder, accepted: &[AuthScheme]) -> Result<reqwest::RequestBuilder, Error> {
        if accepted.is_empty() {
            return Ok(builder);
        }
        match &self.inner.credentials {
            Some(Credentials::Basic { username, password }) if accepted.contains(&AuthScheme::Basic) => {
                Ok(builder.basic_auth(username, Some(password)))
            }
            Some(Credentials::Bearer { token }) if accepted.contains(&AuthScheme::Bearer) => {
                Ok(builder.bearer_auth(token))
            }
            _ => Err(Error::Config(format!(
                "this operation authenticates with {accepted:?}, and the client has no such credentials"
            ))),
        }
    }
}

fn parse_url(url: &str) -> Result<Url, Error> {
    Url::parse(url).map_err(|e| Error::Config(format!("invalid request URL {url:?}: {e}")))
}

/// Decodes a response: 2xx into `T` (an empty body counts as JSON `null`, so
/// operations without a response body decode to `()`), anything else into an
/// [`ApiError`].
fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    if !(200..300).contains(&status) {
        return Err(Error::Api(Box::new(ApiError::from_body(status, body))));
    }
    let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { body };
    serde_json::from_slice(json).map_err(|source| Error::Decode {
        status,
        body: String::from_utf8_lossy(body).into_owned(),
        source,
    })
}

/// Configures a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    base_url: Option<String>,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// HTTP basic credentials: an Account SID and Auth Token, or an API key
    /// SID and secret.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Basic { username: username.into(), password: password.into() });
        self
    }

    /// A bearer token, for APIs that take one.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Bearer { token: token.into() });
        self
    }

    /// Sends every request to this URL instead of the spec's server (a test
    /// server, a proxy). Paths are appended to it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Uses this `reqwest::Client` as it is (its timeouts, proxies, TLS).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let base_url = match self.base_url {
            Some(url) => Some(Url::parse(&url).map_err(|e| Error::Config(format!("invalid base URL {url:?}: {e}")))?),
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                // Twilio does not redirect API calls; following one would
                // resend credentials to wherever it points.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::Config(format!("cannot create the HTTP client: {e}")))?,
        };
        Ok(Client { inner: Arc::new(Inner { http, credentials: self.credentials, base_url }) })
    }
}

