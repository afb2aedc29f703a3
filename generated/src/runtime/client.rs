//! The HTTP client every operation is sent with.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER, USER_AGENT};
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use super::credentials::{DEFAULT_TOKEN_URL, TokenCache, TokenResponse};
use super::host;
use super::request::Body;
use super::retry::{Outcome, parse_retry_after};
use super::{ApiError, AuthScheme, Credentials, Error, ItemStream, NextPage, Operation, Page, Request, RetryPolicy};

/// `twilio-api/<version> (<os> <arch>) rust/<rustc version>`; the compiler
/// version comes from `build.rs`.
fn user_agent() -> String {
    format!(
        "{}/{} ({} {}) rust/{}",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        env!("TWILIO_API_RUSTC_VERSION"),
    )
}

/// A Twilio API client. Cheap to clone; clones share connections, and
/// [`with_timeout`](Client::with_timeout) / [`with_retry`](Client::with_retry)
/// give a handle with other settings for the calls made through it.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    credentials: Option<Credentials>,
    /// `Authorization` for HTTP basic credentials, encoded once.
    basic: Option<HeaderValue>,
    /// The base URL override, without a trailing `/`.
    base_url: Option<String>,
    region: Option<String>,
    edge: Option<String>,
    tokens: TokenCache,
    user_agent: HeaderValue,
}

/// A request ready to go: URL resolved, parts checked.
#[derive(Clone)]
pub(crate) struct Prepared {
    method: reqwest::Method,
    /// The spec's path template, for tracing (values may be personal data).
    template: &'static str,
    /// The spec's server, against which relative links (next pages) are
    /// resolved as the first request was.
    server: &'static str,
    url: Url,
    auth: &'static [AuthScheme],
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Payload,
}

/// A body ready to send: encoded once, shared by retries and pages.
#[derive(Clone)]
enum Payload {
    Empty,
    Bytes { content_type: &'static str, bytes: bytes::Bytes },
}

impl Prepared {
    /// Sets the query parameter `name`, unless the request already has it.
    pub(crate) fn default_query(&mut self, name: &str, value: &str) {
        if !self.url.query_pairs().any(|(key, _)| key == name) {
            self.url.query_pairs_mut().append_pair(name, value);
        }
    }

    /// Sets the query parameter `name` to `value`, replacing any value it had.
    pub(crate) fn set_query(&mut self, name: &str, value: &str) {
        let kept: Vec<(String, String)> =
            self.url.query_pairs().filter(|(key, _)| key != name).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        self.url.query_pairs_mut().clear().extend_pairs(kept).append_pair(name, value);
    }
}

/// A decoded response with its status and headers, from
/// [`Client::execute_with_response`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: T,
}

impl Client {
    /// A client that authenticates with an Account SID and Auth Token.
    pub fn new(account_sid: impl Into<String>, auth_token: impl Into<String>) -> Result<Client, Error> {
        Client::builder().auth_token(account_sid, auth_token).build()
    }

    /// A client configured from the environment, as the official SDKs read it:
    ///
    /// - `TWILIO_ACCOUNT_SID` (required);
    /// - `TWILIO_API_KEY` and `TWILIO_API_SECRET` for an API key, else
    ///   `TWILIO_AUTH_TOKEN`;
    /// - `TWILIO_REGION` and `TWILIO_EDGE`, optional.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The Account SID the credentials act for (Auth Token or API key), to
    /// fill the `AccountSid` of api_v2010 paths.
    pub fn account_sid(&self) -> Option<&str> {
        self.inner.credentials.as_ref().and_then(Credentials::account_sid)
    }

    /// This client with another timeout for each attempt of the calls made
    /// through it.
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        Client { timeout: Some(timeout), ..self.clone() }
    }

    /// This client with another retry policy (`None`: no retries) for the
    /// calls made through it.
    pub fn with_retry(&self, retry: Option<RetryPolicy>) -> Client {
        Client { retry, ..self.clone() }
    }

    /// Sends one operation and decodes its response.
    pub async fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        Ok(self.execute_with_response(operation).await?.body)
    }

    /// Like [`execute`](Client::execute), keeping the response's status and
    /// headers (`Twilio-Request-Id`, rate-limit headers, ...).
    pub async fn execute_with_response<O: Operation>(&self, operation: &O) -> Result<Response<O::Output>, Error> {
        let prepared = self.prepare(operation.request()?)?;
        self.send(&prepared).await
    }

    /// Streams the items of a list operation across all of its pages.
    /// `page_size_param` is the query parameter that sets the page size, if
    /// the operation has one (see [`ItemStream::limit`]).
    ///
    /// Next-page links are followed on the host of the first request, with
    /// the same credentials; a link never sends them anywhere else.
    pub fn paginate<'a, O>(&'a self, operation: &O, page_size_param: Option<&'static str>) -> ItemStream<'a, <O::Output as Page>::Item>
    where
        O: Operation,
        O::Output: Page + Send + 'a,
        <O::Output as Page>::Item: Send + 'a,
    {
        let first = operation.request().and_then(|r| self.prepare(r));
        ItemStream::new::<O::Output>(self, first, page_size_param)
    }

    /// The URL `path_and_query` (starting with `/`) has on `server`: under
    /// the base URL override, or on the spec's host for the region and edge.
    fn url(&self, server: &str, path_and_query: &str) -> Result<Url, Error> {
        match &self.inner.base_url {
            Some(base) => parse_url(&[base, path_and_query].concat()),
            None if server.is_empty() => {
                Err(Error::Config("the spec names no server for this operation; set a base URL".into()))
            }
            None => {
                let host = host::regional(server, self.inner.region.as_deref(), self.inner.edge.as_deref());
                parse_url(&[&host, path_and_query].concat())
            }
        }
    }

    pub(crate) fn prepare(&self, request: Request<'_>) -> Result<Prepared, Error> {
        let mut url = self.url(request.server, &request.path)?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        let mut headers = Vec::with_capacity(request.headers.len());
        for (name, value) in &request.headers {
            let bad = |what: &str| Error::InvalidArgument { name: (*name).to_owned(), reason: format!("is not a valid HTTP header {what}") };
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad("name"))?;
            headers.push((header_name, HeaderValue::from_str(value).map_err(|_| bad("value"))?));
        }
        let body = match request.body {
            Body::Empty => Payload::Empty,
            Body::Form(pairs) => Payload::Bytes { content_type: FORM, bytes: form_encode(&pairs).into() },
            Body::Json(bytes) => Payload::Bytes { content_type: "application/json", bytes },
        };
        Ok(Prepared { method: request.method, template: request.template, server: request.server, url, auth: request.auth, headers, body })
    }

    /// The request for the page after the one `previous` fetched.
    pub(crate) fn follow(&self, previous: &Prepared, next: NextPage<'_>) -> Result<Prepared, Error> {
        let link = match next {
            NextPage::Url(link) => link,
            NextPage::Query { name, value } => {
                let mut next = previous.clone();
                next.set_query(name, value);
                return Ok(next);
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
            url: self.url(previous.server, &path_and_query)?,
            body: Payload::Empty,
            ..previous.clone()
        })
    }

    /// Sends `prepared`, retrying as the policy allows, and decodes the
    /// final response. Each attempt is a `tracing` span `twilio_request`
    /// with the method, the path template, the attempt number and the status.
    pub(crate) async fn send<T: DeserializeOwned>(&self, prepared: &Prepared) -> Result<Response<T>, Error> {
        let mut attempt: u32 = 0;
        loop {
            let span = tracing::info_span!(
                "twilio_request",
                method = %prepared.method,
                path = %prepared.template,
                attempt = attempt + 1,
                status = tracing::field::Empty,
            );
            let result = self.attempt(prepared).instrument(span.clone()).await;
            let outcome = match &result {
                Ok((status, ..)) => {
                    span.record("status", status);
                    Some(Outcome::Status(*status))
                }
                Err(Error::Transport(e)) if e.is_connect() => Some(Outcome::ConnectFailed),
                Err(Error::Transport(_) | Error::Timeout { .. }) => Some(Outcome::TransportFailed),
                Err(_) => None,
            };
            let retry = outcome.and_then(|outcome| {
                self.retry.as_ref().filter(|policy| policy.should_retry(&prepared.method, outcome, attempt))
            });
            let delay = retry.and_then(|policy| {
                let retry_after = match &result {
                    Ok((_, headers, _)) => headers
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, SystemTime::now())),
                    Err(_) => None,
                };
                policy.delay(attempt, retry_after, fastrand::f64())
            });
            if let Some(delay) = delay {
                span.in_scope(|| tracing::info!(delay_ms = delay.as_millis() as u64, "retrying"));
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            span.in_scope(|| tracing::debug!("done"));
            let (status, headers, body) = result?;
            return decode(status, headers, &body);
        }
    }

    /// One attempt: status, headers and body, or why there are none.
    async fn attempt(&self, prepared: &Prepared) -> Result<(u16, HeaderMap, bytes::Bytes), Error> {
        let mut builder = self.http_request(prepared.method.clone(), prepared.url.clone());
        // An `Authorization` header the operation sets itself (Flex Insights
        // takes a Flex token that way) replaces the client's credentials
        // rather than going out next to them.
        if !prepared.headers.iter().any(|(name, _)| name == AUTHORIZATION) {
            builder = self.authorize(builder, prepared.auth).await?;
        }
        for (name, value) in &prepared.headers {
            builder = builder.header(name, value);
        }
        if let Payload::Bytes { content_type, bytes } = &prepared.body {
            builder = builder.header(CONTENT_TYPE, *content_type).body(bytes.clone());
        }
        self.exchange(builder).await
    }

    /// A request with what every call carries: `Accept`, User-Agent and the
    /// timeout.
    fn http_request(&self, method: reqwest::Method, url: Url) -> reqwest::RequestBuilder {
        let builder = self
            .inner
            .http
            .request(method, url)
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, self.inner.user_agent.clone());
        match self.timeout {
            Some(timeout) => builder.timeout(timeout),
            None => builder,
        }
    }

    /// Sends and reads the whole response; a timeout is [`Error::Timeout`].
    async fn exchange(&self, builder: reqwest::RequestBuilder) -> Result<(u16, HeaderMap, bytes::Bytes), Error> {
        let transport = |e: reqwest::Error| match self.timeout {
            Some(after) if e.is_timeout() => Error::Timeout { after },
            _ => Error::Transport(e),
        };
        let mut response = builder.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(transport)?;
        Ok((status, headers, body))
    }

    async fn authorize(&self, builder: reqwest::RequestBuilder, accepted: &[AuthScheme]) -> Result<reqwest::RequestBuilder, Error> {
        if accepted.is_empty() {
            return Ok(builder);
        }
        let credentials = self.inner.credentials.as_ref().filter(|c| accepted.contains(&c.scheme()));
        match credentials {
            Some(Credentials::Bearer { token }) => Ok(builder.bearer_auth(token)),
            Some(Credentials::ClientCredentials { client_id, client_secret, token_url }) => {
                let token = self.inner.tokens.get(|| self.fetch_token(client_id, client_secret, token_url.as_deref())).await?;
                Ok(builder.bearer_auth(token))
            }
            Some(_) => match &self.inner.basic {
                Some(header) => Ok(builder.header(AUTHORIZATION, header.clone())),
                None => Err(Error::Config("credentials without a username and password".into())),
            },
            None => Err(Error::Config(format!(
                "this operation authenticates with {accepted:?}, and the client has no such credentials"
            ))),
        }
    }

    /// Exchanges OAuth2 client credentials for an access token.
    async fn fetch_token(&self, client_id: &str, client_secret: &str, token_url: Option<&str>) -> Result<TokenResponse, Error> {
        let url = match (token_url, &self.inner.base_url) {
            (Some(url), _) => url.to_owned(),
            (None, Some(base)) => format!("{base}/v2/token"),
            (None, None) => DEFAULT_TOKEN_URL.to_owned(),
        };
        let pairs = [("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", client_secret)];
        let builder = self.http_request(reqwest::Method::POST, parse_url(&url)?).header(CONTENT_TYPE, FORM).body(form_encode(&pairs));
        let (status, headers, body) = self.exchange(builder).await?;
        Ok(decode(status, headers, &body)?.body)
    }
}

const FORM: &str = "application/x-www-form-urlencoded";

/// An `application/x-www-form-urlencoded` body; repeated names stay repeated.
fn form_encode<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

/// `Basic <base64(username:password)>`, marked sensitive so that HTTP
/// tooling does not log it.
fn basic_header(username: &str, password: &str) -> Result<HeaderValue, Error> {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    let mut header = HeaderValue::from_str(&format!("Basic {encoded}"))
        .map_err(|_| Error::Config("the username or password cannot go in an HTTP header".into()))?;
    header.set_sensitive(true);
    Ok(header)
}

fn parse_url(url: &str) -> Result<Url, Error> {
    Url::parse(url).map_err(|e| Error::Config(format!("invalid request URL {url:?}: {e}")))
}

/// Decodes a response: 2xx into `T` (an empty body counts as JSON `null`, so
/// operations without a response body decode to `()`, and those whose body
/// may be missing to `None`), anything else into an [`ApiError`].
fn decode<T: DeserializeOwned>(status: u16, headers: HeaderMap, body: &[u8]) -> Result<Response<T>, Error> {
    if !(200..300).contains(&status) {
        return Err(Error::Api(Box::new(ApiError::from_body(status, body).with_headers(headers))));
    }
    Ok(Response { status, headers, body: decode_body(status, body)? })
}

/// Decodes the body of a 2xx response as [`Client`] does: an empty body is
/// JSON `null`; a body that does not fit `T` is [`Error::Decode`] with the
/// path to the first value that did not (`available_phone_numbers[0].latitude`).
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

/// Configures a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    base_url: Option<String>,
    region: Option<String>,
    edge: Option<String>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// Account SID and Auth Token.
    pub fn auth_token(self, account_sid: impl Into<String>, auth_token: impl Into<String>) -> Self {
        self.credentials(Credentials::AuthToken { account_sid: account_sid.into(), auth_token: auth_token.into() })
    }

    /// An API key (`SK...`) and its secret, acting for `account_sid`.
    pub fn api_key(self, account_sid: impl Into<String>, key_sid: impl Into<String>, secret: impl Into<String>) -> Self {
        self.credentials(Credentials::ApiKey { account_sid: account_sid.into(), key_sid: key_sid.into(), secret: secret.into() })
    }

    /// Any HTTP basic username and password.
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials(Credentials::Basic { username: username.into(), password: password.into() })
    }

    /// A bearer token, for APIs that take one.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.credentials(Credentials::Bearer { token: token.into() })
    }

    /// OAuth2 client credentials, exchanged at Twilio's token endpoint (or at
    /// the base URL's `/v2/token` when one is set) for bearer tokens.
    pub fn oauth2_client_credentials(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.credentials(Credentials::ClientCredentials {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            token_url: None,
        })
    }

    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sends every request to this URL instead of the spec's server (a test
    /// server, a proxy). Paths are appended to it; region and edge no
    /// longer apply.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Twilio region (`au1`, `ie1`, ...): `proxy.twilio.com` becomes
    /// `proxy.au1.twilio.com`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Twilio edge location (`sydney`, `dublin`, ...): `proxy.twilio.com`
    /// becomes `proxy.sydney.us1.twilio.com`, or `proxy.sydney.au1.twilio.com`
    /// with region `au1`.
    pub fn edge(mut self, edge: impl Into<String>) -> Self {
        self.edge = Some(edge.into());
        self
    }

    /// The longest one attempt of a call may take, response body included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retries failed calls as `policy` allows (off by default).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Uses this `reqwest::Client` as it is (its proxies, TLS, connection
    /// pool). User-Agent, timeout and retries still apply per request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// A builder set up from the environment as [`Client::from_env`]
    /// describes, to adjust further (a timeout, retries, ...).
    pub fn from_env() -> Result<ClientBuilder, Error> {
        ClientBuilder::from_vars(|name| std::env::var(name).ok())
    }

    /// The builder [`Client::from_env`] uses, reading variables with `var`.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let Some(account_sid) = var("TWILIO_ACCOUNT_SID") else {
            return Err(Error::Config("TWILIO_ACCOUNT_SID is not set".into()));
        };
        let builder = match (var("TWILIO_API_KEY"), var("TWILIO_API_SECRET"), var("TWILIO_AUTH_TOKEN")) {
            (Some(key), Some(secret), _) => ClientBuilder::default().api_key(account_sid, key, secret),
            (Some(_), None, _) | (None, Some(_), _) => {
                return Err(Error::Config("set both TWILIO_API_KEY and TWILIO_API_SECRET, or neither".into()));
            }
            (None, None, Some(token)) => ClientBuilder::default().auth_token(account_sid, token),
            (None, None, None) => {
                return Err(Error::Config("set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET".into()));
            }
        };
        let builder = match var("TWILIO_REGION") {
            Some(region) => builder.region(region),
            None => builder,
        };
        Ok(match var("TWILIO_EDGE") {
            Some(edge) => builder.edge(edge),
            None => builder,
        })
    }

    pub fn build(self) -> Result<Client, Error> {
        let base_url = match self.base_url {
            Some(url) => {
                let parsed = Url::parse(&url).map_err(|e| Error::Config(format!("invalid base URL {url:?}: {e}")))?;
                Some(parsed.as_str().trim_end_matches('/').to_owned())
            }
            None => None,
        };
        let basic = match self.credentials.as_ref().and_then(Credentials::basic) {
            Some((username, password)) => Some(basic_header(username, password)?),
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                // Twilio does not redirect API calls; following one would
                // resend credentials to wherever it points.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::Config(format!("cannot create the HTTP client: {e}")))?,
        };
        let user_agent = HeaderValue::from_str(&user_agent())
            .map_err(|e| Error::Config(format!("cannot use the User-Agent {:?}: {e}", user_agent())))?;
        let inner = Inner {
            user_agent,
            http,
            credentials: self.credentials,
            basic,
            base_url,
            region: self.region,
            edge: self.edge,
            tokens: TokenCache::default(),
        };
        Ok(Client { inner: Arc::new(inner), timeout: self.timeout, retry: self.retry })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: std::collections::HashMap<String, String> =
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn environment_picks_api_key_over_auth_token_and_reads_region_and_edge() {
        let builder = ClientBuilder::from_vars(vars(&[
            ("TWILIO_ACCOUNT_SID", "AC1"),
            ("TWILIO_AUTH_TOKEN", "token"),
            ("TWILIO_API_KEY", "SK1"),
            ("TWILIO_API_SECRET", "secret"),
            ("TWILIO_REGION", "au1"),
            ("TWILIO_EDGE", "sydney"),
        ]))
        .unwrap();
        assert_eq!(
            builder.credentials,
            Some(Credentials::ApiKey { account_sid: "AC1".into(), key_sid: "SK1".into(), secret: "secret".into() })
        );
        assert_eq!((builder.region.as_deref(), builder.edge.as_deref()), (Some("au1"), Some("sydney")));

        let builder = ClientBuilder::from_vars(vars(&[("TWILIO_ACCOUNT_SID", "AC1"), ("TWILIO_AUTH_TOKEN", "token")])).unwrap();
        assert_eq!(builder.credentials, Some(Credentials::AuthToken { account_sid: "AC1".into(), auth_token: "token".into() }));
        assert_eq!((builder.region, builder.edge), (None, None));
    }

    #[test]
    fn environment_errors_name_what_is_missing() {
        let message = |pairs: &[(&str, &str)]| ClientBuilder::from_vars(vars(pairs)).unwrap_err().to_string();
        assert!(message(&[]).contains("TWILIO_ACCOUNT_SID is not set"));
        assert!(message(&[("TWILIO_ACCOUNT_SID", "AC1")]).contains("set TWILIO_AUTH_TOKEN"));
        assert!(message(&[("TWILIO_ACCOUNT_SID", "AC1"), ("TWILIO_API_KEY", "SK1")]).contains("both TWILIO_API_KEY and TWILIO_API_SECRET"));
        assert!(message(&[("TWILIO_ACCOUNT_SID", " "), ("TWILIO_AUTH_TOKEN", "t")]).contains("TWILIO_ACCOUNT_SID is not set"));
    }

    #[test]
    fn user_agent_names_crate_platform_and_rust() {
        let agent = user_agent();
        assert!(agent.starts_with(concat!("twilio-api/", env!("CARGO_PKG_VERSION"), " (")), "{agent}");
        assert!(agent.contains(&format!("({} {})", std::env::consts::OS, std::env::consts::ARCH)), "{agent}");
        assert!(agent.contains(") rust/1."), "{agent}");
    }
}
