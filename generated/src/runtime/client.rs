//! The HTTP client every operation is sent with: a request is prepared
//! once, then sent and retried as the policy allows.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER, USER_AGENT};
use tracing::Instrument;
use url::Url;

use super::credentials::{Credentials, Secrets};
use super::hooks::{Attempt, Hooks, short_name};
use super::decode::{Decode, Response, Successes, api_error, decode_succeeding};
use super::host;
use super::request::{Body, Part, ServerVariable};
use super::retry::{Outcome, parse_retry_after};
use super::token::TokenCache;
use super::paging::PageStream;
use super::{AuthScheme, ClientBuilder, Error, ItemStream, NextPage, Operation, Page, Request, RetryPolicy};

/// A response as it came: status, headers and the whole body.
pub(crate) type Received = (u16, HeaderMap, bytes::Bytes);

/// The exchange of one prepared request, retries included. Boxed and not
/// generic: the futures of every operation share this one state machine,
/// which the compiler checks once.
pub(crate) type Exchange<'a> = Pin<Box<dyn Future<Output = Result<Received, Error>> + Send + 'a>>;

/// The future an operation's `send` returns: its decoded response, or the
/// error, once awaited. The arguments were checked and the request built
/// when `send` was called; nothing goes out until this is polled. It owns
/// all it needs (`'static` and `Send`), so it can be spawned.
#[must_use = "nothing is sent until the future is awaited"]
pub struct Pending<T> {
    state: State,
    successes: Successes,
    output: PhantomData<fn() -> T>,
}

enum State {
    Failed(Error),
    Sending(Exchange<'static>),
    Done,
}

impl<T: Decode> Future for Pending<T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let raw = match &mut this.state {
            State::Sending(exchange) => std::task::ready!(exchange.as_mut().poll(cx)),
            State::Failed(_) | State::Done => match std::mem::replace(&mut this.state, State::Done) {
                State::Failed(error) => Err(error),
                _ => panic!("`Pending` polled after it completed"),
            },
        };
        this.state = State::Done;
        Poll::Ready(raw.and_then(|(status, headers, body)| Ok(decode_succeeding::<T>(status, headers, &body, this.successes)?.body)))
    }
}

impl<T> std::fmt::Debug for Pending<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.state {
            State::Failed(_) => "failed",
            State::Sending(_) => "sending",
            State::Done => "done",
        };
        f.debug_struct("Pending").field("state", &state).finish()
    }
}

/// A Twilio API client. Cheap to clone; clones share connections, and
/// [`with_timeout`](Client::with_timeout) / [`with_retry`](Client::with_retry)
/// give a handle with other settings for the calls made through it.
#[derive(Clone, Debug)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
    pub(super) timeout: Option<Duration>,
    pub(super) retry: Option<RetryPolicy>,
    /// A bound on all attempts of one call together.
    pub(super) deadline: Option<Duration>,
}

#[derive(Debug)]
pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) credentials: Option<Credentials>,
    /// `Authorization` for HTTP basic credentials, encoded once.
    pub(super) basic: Option<HeaderValue>,
    /// The base URL override, without a trailing `/`.
    pub(super) base_url: Option<String>,
    pub(super) region: Option<String>,
    pub(super) edge: Option<String>,
    pub(super) tokens: TokenCache,
    pub(super) user_agent: HeaderValue,
    /// Sent with every request unless the operation sets the same header.
    pub(super) default_headers: HeaderMap,
    /// Values for the variables of the spec's servers (`{region}`).
    pub(super) server_variables: std::collections::BTreeMap<String, String>,
    pub(super) secrets: Secrets,
    pub(super) hooks: Hooks,
    /// Responses with a longer body fail ([`Error::ResponseTooLarge`]).
    pub(super) max_response_bytes: u64,
    /// Answers in process instead of the network (feature `test-util`).
    #[cfg(feature = "test-util")]
    pub(super) mock: Option<super::mock::Mock>,
}

/// A 2xx response whose body arrives as a stream of chunks
/// ([`Client::download`]).
pub struct Download {
    pub status: u16,
    pub headers: HeaderMap,
    /// The body's chunks, in order; an error ends the stream.
    pub body: futures::stream::BoxStream<'static, Result<bytes::Bytes, Error>>,
}

impl Download {
    /// The response's `Content-Type`, if it has one.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download").field("status", &self.status).field("headers", &self.headers).finish_non_exhaustive()
    }
}

/// A request ready to go: URL resolved, parts checked.
#[derive(Clone)]
pub(crate) struct Prepared {
    /// The operation's type name (`std::any::type_name`), for hooks and
    /// test doubles.
    pub(super) operation: &'static str,
    pub(super) method: reqwest::Method,
    /// The spec's path template, for tracing (values may be personal data).
    template: &'static str,
    /// The spec's server, against which relative links (next pages) are
    /// resolved as the first request was.
    pub(super) server: &'static str,
    /// The server's variables and their defaults.
    pub(super) server_variables: &'static [ServerVariable],
    pub(super) url: Url,
    auth: &'static [AuthScheme],
    headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) body: Payload,
    accept: &'static str,
    /// Which statuses decode into the output.
    pub(super) successes: Successes,
}

/// A body ready to send: encoded once, shared by retries and pages.
#[derive(Clone)]
pub(super) enum Payload {
    Empty,
    Bytes { content_type: HeaderValue, bytes: bytes::Bytes },
    /// Parts of `multipart/form-data`: a form (with a new boundary) is
    /// built from them for each attempt, the bytes shared.
    Multipart(Arc<[Part]>),
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

    /// This client with another deadline (`None`: none) for all attempts
    /// of each call made through it together, retries and their waits
    /// included: past it, the call ends in [`Error::Timeout`].
    pub fn with_deadline(&self, deadline: Option<Duration>) -> Client {
        Client { deadline, ..self.clone() }
    }

    /// [`execute`](Client::execute) as a [`Pending`] future: what generated
    /// `send` methods return. The request is built now; the future owns it
    /// and a handle on this client (shared, not copied), so it borrows
    /// nothing. Every operation's future is this one type around the same
    /// boxed exchange (private `Exchange`), which keeps the generated code free of a state
    /// machine per operation, which is what the compiler spends most of its
    /// time on.
    pub fn start<O: Operation>(&self, operation: &O) -> Pending<O::Output> {
        let (state, successes) = match operation.request().and_then(|request| self.prepare(request, operation.name())) {
            Ok(prepared) => {
                let successes = prepared.successes;
                (State::Sending(self.transmit(prepared)), successes)
            }
            Err(error) => (State::Failed(error), Successes::Ok),
        };
        Pending { state, successes, output: PhantomData }
    }

    /// Sends one operation and decodes its response.
    pub async fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        Ok(self.execute_with_response(operation).await?.body)
    }

    /// Like [`execute`](Client::execute), keeping the response's status and
    /// headers (`Twilio-Request-Id`, rate-limit headers, ...).
    pub async fn execute_with_response<O: Operation>(&self, operation: &O) -> Result<Response<O::Output>, Error> {
        let prepared = self.prepare(operation.request()?, operation.name())?;
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
        let first = operation.request().and_then(|r| self.prepare(r, operation.name()));
        ItemStream::new::<O::Output>(self, first, page_size_param)
    }

    /// The pages of a list operation, whole (their metadata too), fetched
    /// as the stream is read: by the page's own next link or token, else
    /// the `Link` header's. (Lists paged by number: set the page on the
    /// operation, or use the items stream.)
    pub fn pages<'a, O>(&'a self, operation: &O) -> PageStream<'a, O::Output>
    where
        O: Operation,
        O::Output: Page,
    {
        PageStream::new(self, operation.request().and_then(|r| self.prepare(r, operation.name())))
    }

    /// The page after `page`, which `operation` (or an earlier
    /// `next_page`) returned; `None` after the last page. Follows the
    /// page's own link or token.
    pub async fn next_page<O>(&self, operation: &O, page: &O::Output) -> Result<Option<O::Output>, Error>
    where
        O: Operation,
        O::Output: Page,
    {
        let Some(next) = page.next_page().filter(|next| !next.is_empty()) else {
            return Ok(None);
        };
        let first = self.prepare(operation.request()?, operation.name())?;
        let request = self.follow(&first, next)?;
        Ok(Some(self.send::<O::Output>(&request).await?.body))
    }

    /// The items of a list from a page stored earlier on (a batch job's
    /// checkpoint): `next` is what a page's `next_page()` said, its next
    /// page URL (`NextPage::Url(&stored)`) or token. The operation gives the
    /// host and credentials; the link, its path and query.
    pub fn resume<'a, O>(&'a self, operation: &O, next: NextPage<'_>) -> ItemStream<'a, <O::Output as Page>::Item>
    where
        O: Operation,
        O::Output: Page + Send + 'a,
        <O::Output as Page>::Item: Send + 'a,
    {
        let first = operation.request().and_then(|r| self.prepare(r, operation.name())).and_then(|first| self.follow(&first, next));
        ItemStream::new::<O::Output>(self, first, None)
    }

    /// The URL `path_and_query` (starting with `/`) has on `server`: under
    /// the base URL override, or on the spec's host for the region and edge.
    ///
    /// `{name}` variables in the server take the client's value for them
    /// ([`ClientBuilder::server_variable`]), else the spec's default. A
    /// relative server (`/api/v3`) is a path under the base URL.
    pub(super) fn url(&self, server: &str, variables: &[ServerVariable], path_and_query: &str) -> Result<Url, Error> {
        let mut server = std::borrow::Cow::Borrowed(server);
        for (name, default, allowed) in variables {
            let value = self.inner.server_variables.get(*name).map_or(*default, String::as_str);
            if !allowed.is_empty() && !allowed.contains(&value) {
                return Err(Error::Config(format!("the server variable {name:?} is {value:?}; the spec allows {allowed:?}")));
            }
            server = server.replace(&format!("{{{name}}}"), value).into();
        }
        let relative = server.starts_with('/');
        match &self.inner.base_url {
            Some(base) if relative => parse_url(&[base, server.as_ref(), path_and_query].concat()),
            Some(base) => parse_url(&[base, path_and_query].concat()),
            None if server.is_empty() || relative => {
                Err(Error::Config("the spec names no server host for this operation; set a base URL".into()))
            }
            None => {
                let host = host::regional(&server, self.inner.region.as_deref(), self.inner.edge.as_deref());
                parse_url(&[&host, path_and_query].concat())
            }
        }
    }

    pub(crate) fn prepare(&self, mut request: Request<'_>, operation: &'static str) -> Result<Prepared, Error> {
        if let Some(name) = request.account_placeholder.take() {
            let Some(account_sid) = self.account_sid() else {
                let reason = "is not set, and the client has no account SID to use (build it with one, or set it on the call)";
                return Err(Error::InvalidArgument { name: name.to_owned(), reason: reason.to_owned() });
            };
            request.path_param(name, account_sid);
        }
        let mut url = self.url(request.server, request.server_variables, &request.path)?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        let mut headers = Vec::with_capacity(request.headers.len());
        for (name, value) in &request.headers {
            let bad = |what: &str| Error::InvalidArgument { name: (*name).to_owned(), reason: format!("is not a valid HTTP header {what}") };
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad("name"))?;
            headers.push((header_name, HeaderValue::from_str(value).map_err(|_| bad("value"))?));
        }
        if !request.cookies.is_empty() {
            let cookies = super::request::cookie_header(&request.cookies);
            let value = HeaderValue::from_str(&cookies)
                .map_err(|_| Error::InvalidArgument { name: "Cookie".to_owned(), reason: "is not a valid HTTP header value".to_owned() })?;
            headers.push((reqwest::header::COOKIE, value));
        }
        let body = match request.body {
            Body::Empty => Payload::Empty,
            Body::Form(pairs) => Payload::Bytes { content_type: HeaderValue::from_static(FORM), bytes: form_encode(&pairs).into() },
            Body::Json(bytes) => Payload::Bytes { content_type: HeaderValue::from_static("application/json"), bytes },
            Body::Raw { content_type, bytes } => {
                let content_type = HeaderValue::from_str(&content_type).map_err(|_| Error::InvalidArgument {
                    name: "body".to_owned(),
                    reason: format!("its content type {content_type:?} is not a valid header value"),
                })?;
                Payload::Bytes { content_type, bytes }
            }
            Body::Multipart(parts) => {
                // Checked here, so that sending cannot fail on it.
                for part in &parts {
                    if let Some(content_type) = &part.content_type
                        && reqwest::multipart::Part::bytes(&[][..]).mime_str(content_type).is_err()
                    {
                        return Err(Error::InvalidArgument {
                            name: part.name.to_string(),
                            reason: format!("its content type {content_type:?} is not a valid media type"),
                        });
                    }
                }
                Payload::Multipart(parts.into())
            }
        };
        Ok(Prepared {
            operation,
            method: request.method,
            template: request.template,
            server: request.server,
            server_variables: request.server_variables,
            url,
            auth: request.auth,
            headers,
            body,
            accept: request.accept,
            successes: if request.redirects { Successes::OkOrRedirect } else { Successes::Ok },
        })
    }

    /// Sends `prepared`, retrying as the policy allows, and decodes the
    /// final response.
    pub(crate) async fn send<T: Decode>(&self, prepared: &Prepared) -> Result<Response<T>, Error> {
        let (status, headers, body) = self.retrying(prepared).await?;
        decode_succeeding(status, headers, &body, prepared.successes)
    }

    /// [`retrying`](Client::retrying) as an owned, boxed future: the one
    /// future type that generic callers hold.
    pub(crate) fn transmit(&self, prepared: Prepared) -> Exchange<'static> {
        let client = self.clone();
        Box::pin(async move { client.retrying(&prepared).await })
    }

    /// Sends `prepared`, retrying as the policy allows; the final response,
    /// whatever its status. Each attempt is a `tracing` span
    /// `twilio_request` with the method, the path template, the attempt
    /// number and the status.
    async fn retrying(&self, prepared: &Prepared) -> Result<Received, Error> {
        match self.deadline {
            Some(deadline) => tokio::time::timeout(deadline, self.attempts(prepared)).await.unwrap_or(Err(Error::Timeout { after: deadline })),
            None => self.attempts(prepared).await,
        }
    }

    async fn attempts(&self, prepared: &Prepared) -> Result<Received, Error> {
        let mut attempt: u32 = 0;
        loop {
            let span = tracing::info_span!(
                "twilio_request",
                method = %prepared.method,
                path = %prepared.template,
                attempt = attempt + 1,
                status = tracing::field::Empty,
            );
            // Without a subscriber that wants the span, nothing wraps the attempt.
            let result = if span.is_disabled() {
                self.attempt(prepared, attempt + 1).await
            } else {
                self.attempt(prepared, attempt + 1).instrument(span.clone()).await
            };
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
            return result;
        }
    }

    /// One attempt: status, headers and body, or why there are none.
    async fn attempt(&self, prepared: &Prepared, number: u32) -> Result<Received, Error> {
        let (builder, secret_in_url) = self.build(prepared).await?;
        self.exchange(builder, secret_in_url, prepared.operation, number).await
    }

    /// Sends an operation once and, on a 2xx, hands over its body as a
    /// stream of chunks as they arrive, for downloads too large to hold:
    /// [`Download`]. Anything else is read whole into [`Error::Api`]. Not
    /// retried (the body may be large and is not kept); the client's timeout
    /// covers the whole download.
    pub async fn download<O: Operation>(&self, operation: &O) -> Result<Download, Error> {
        let prepared = self.prepare(operation.request()?, operation.name())?;
        let (builder, secret_in_url) = self.build(&prepared).await?;
        #[cfg(feature = "test-util")]
        if self.inner.mock.is_some() {
            let (status, headers, body) = self.exchange(builder, secret_in_url, prepared.operation, 1).await?;
            if !(200..300).contains(&status) {
                return Err(api_error(status, headers, &body));
            }
            let chunks = futures::stream::iter([Ok(body)]);
            return Ok(Download { status, headers, body: Box::pin(chunks) });
        }
        let transport = |e| transport_error(e, self.timeout, secret_in_url);
        let mut response = builder.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        if !(200..300).contains(&status) {
            let body = response.bytes().await.map_err(transport)?;
            return Err(api_error(status, headers, &body));
        }
        let timeout = self.timeout;
        let chunks = futures::stream::try_unfold(response, move |mut response| async move {
            match response.chunk().await {
                Ok(chunk) => Ok(chunk.map(|chunk| (chunk, response))),
                Err(e) => Err(transport_error(e, timeout, true)),
            }
        });
        Ok(Download { status, headers, body: Box::pin(chunks) })
    }

    /// Sends an operation with `body` in place of its own body (which sets
    /// the content type; give it empty bytes): for uploads too large to
    /// hold, a `reqwest::Body` from a stream or a file (reqwest's `stream`
    /// feature). Sent once, not retried: a stream cannot be sent again.
    pub async fn upload<O: Operation>(&self, operation: &O, body: impl Into<reqwest::Body>) -> Result<Response<O::Output>, Error> {
        let prepared = self.prepare(operation.request()?, operation.name())?;
        let (builder, secret_in_url) = self.build(&prepared).await?;
        let (status, headers, received) = self.exchange(builder.body(body), secret_in_url, prepared.operation, 1).await?;
        decode_succeeding(status, headers, &received, prepared.successes)
    }

    /// The HTTP request for `prepared`, with credentials and headers; and
    /// whether a secret went into its URL.
    async fn build(&self, prepared: &Prepared) -> Result<(reqwest::RequestBuilder, bool), Error> {
        let mut builder = self.http_request(prepared.method.clone(), prepared.url.clone(), prepared.accept);
        // An `Authorization` header the operation sets itself (Flex Insights
        // takes a Flex token that way) replaces the client's credentials
        // rather than going out next to them.
        let mut secret_in_url = false;
        if !prepared.headers.iter().any(|(name, _)| name == AUTHORIZATION) {
            (builder, secret_in_url) = self.authorize(builder, prepared.auth).await?;
        }
        for (name, value) in &self.inner.default_headers {
            if !prepared.headers.iter().any(|(own, _)| own == name) {
                builder = builder.header(name, value);
            }
        }
        for (name, value) in &prepared.headers {
            builder = builder.header(name, value);
        }
        match &prepared.body {
            Payload::Empty => {}
            Payload::Bytes { content_type, bytes } => builder = builder.header(CONTENT_TYPE, content_type).body(bytes.clone()),
            Payload::Multipart(parts) => builder = builder.multipart(multipart_form(parts)),
        }
        Ok((builder, secret_in_url))
    }

    /// A request with what every call carries: `Accept`, User-Agent and the
    /// timeout.
    pub(super) fn http_request(&self, method: reqwest::Method, url: Url, accept: &'static str) -> reqwest::RequestBuilder {
        let builder = self
            .inner
            .http
            .request(method, url)
            .header(ACCEPT, accept)
            .header(USER_AGENT, self.inner.user_agent.clone());
        match self.timeout {
            Some(timeout) => builder.timeout(timeout),
            None => builder,
        }
    }

    /// Sends and reads the whole response; a timeout is [`Error::Timeout`],
    /// and errors do not show a URL that holds a secret (an API key in the
    /// query).
    /// The hooks run around it: `on_request` on the request as it goes
    /// out, `on_response` on what came back (`number` is the attempt's).
    pub(super) async fn exchange(&self, builder: reqwest::RequestBuilder, secret_in_url: bool, operation: &'static str, number: u32) -> Result<Received, Error> {
        let transport = |e| transport_error(e, self.timeout, secret_in_url);
        let mut request = builder.build().map_err(transport)?;
        let hooks = &self.inner.hooks;
        for hook in &hooks.on_request {
            hook(&mut request);
        }
        if hooks.on_response.is_empty() {
            return self.transport(request, operation, secret_in_url).await;
        }
        let (method, url) = (request.method().clone(), request.url().clone());
        let started = std::time::Instant::now();
        let result = self.transport(request, operation, secret_in_url).await;
        let attempt = Attempt {
            operation: short_name(operation),
            method: &method,
            url: &url,
            number,
            elapsed: started.elapsed(),
            response: result.as_ref().ok().map(|(status, headers, _)| (*status, headers)),
            error: result.as_ref().err(),
        };
        for hook in &hooks.on_response {
            hook(&attempt);
        }
        result
    }

    /// Sends and reads the response, its body up to the size limit (or,
    /// under `test-util`, has the mock answer).
    async fn transport(&self, request: reqwest::Request, operation: &'static str, secret_in_url: bool) -> Result<Received, Error> {
        #[cfg(feature = "test-util")]
        if let Some(mock) = &self.inner.mock {
            return mock.answer(operation, &request, self.timeout).await;
        }
        let _ = operation;
        let transport = |e| transport_error(e, self.timeout, secret_in_url);
        let mut response = self.inner.http.execute(request).await.map_err(transport)?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let limit = self.inner.max_response_bytes;
        if response.content_length().is_some_and(|length| length > limit) {
            return Err(Error::ResponseTooLarge { limit });
        }
        // Most bodies come in one chunk, handed over as it is.
        let Some(first) = response.chunk().await.map_err(transport)? else {
            return Ok((status, headers, bytes::Bytes::new()));
        };
        let Some(second) = response.chunk().await.map_err(transport)? else {
            return if first.len() as u64 > limit { Err(Error::ResponseTooLarge { limit }) } else { Ok((status, headers, first)) };
        };
        let mut body = bytes::BytesMut::from(&first[..]);
        let mut next = Some(second);
        while let Some(chunk) = next {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(Error::ResponseTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
            next = response.chunk().await.map_err(transport)?;
        }
        Ok((status, headers, body.freeze()))
    }
}

/// A transport error as the client reports it: a timeout as
/// [`Error::Timeout`], and without its URL when the URL holds a secret.
fn transport_error(e: reqwest::Error, timeout: Option<Duration>, secret_in_url: bool) -> Error {
    match timeout {
        Some(after) if e.is_timeout() => Error::Timeout { after },
        _ if secret_in_url => Error::Transport(e.without_url()),
        _ => Error::Transport(e),
    }
}

/// A `multipart/form-data` form of the parts (content types already checked).
fn multipart_form(parts: &[Part]) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        let mut field = reqwest::multipart::Part::stream_with_length(part.bytes.clone(), part.bytes.len() as u64);
        if let Some(file_name) = &part.file_name {
            field = field.file_name(file_name.clone());
        }
        if let Some(content_type) = &part.content_type {
            field = match field.mime_str(content_type) {
                Ok(typed) => typed,
                Err(_) => unreachable!("checked by Client::prepare"),
            };
        }
        form = form.part(part.name.clone(), field);
    }
    form
}

pub(super) const FORM: &str = "application/x-www-form-urlencoded";

/// An `application/x-www-form-urlencoded` body; repeated names stay repeated.
pub(super) fn form_encode<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

pub(super) fn parse_url(url: &str) -> Result<Url, Error> {
    Url::parse(url).map_err(|e| Error::Config(format!("invalid request URL {url:?}: {e}")))
}
