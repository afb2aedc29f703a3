//! A client that answers in process, for an app's unit tests (feature
//! `test-util`): no server, no network, no hand-written JSON.
//!
//! Answers are given per operation, typed by its output, and tried in the
//! order they were given: the first whose operation (and condition, if
//! any) fits and that has answers left is used. Every request the client
//! sends is recorded, bytes and all.
//!
//! ```ignore
//! use twilio_api::test_util::Mock;
//!
//! let mock = Mock::new();
//! let mut sent = Message::default();
//! sent.sid = Some("SM123".into());
//! mock.on::<CreateMessage>().returns(sent);
//! mock.on::<FetchMessage>().once().fails(404, json!({"code": 20404, "message": "not found"}));
//!
//! notify_customer(&mock.client(), "+15558675310").await?; // the app's code
//! let request = &mock.requests()[0];
//! assert_eq!(request.form_value("Body").as_deref(), Some("Your order shipped"));
//! ```

use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

use super::hooks::short_name;
use super::{Client, ClientBuilder, Error, Operation};

/// The account SID of a [`Mock::client`].
pub const ACCOUNT_SID: &str = "AC00000000000000000000000000000000";

/// Answers by operation and records requests; see the module docs.
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<State>,
}

#[derive(Default)]
struct State {
    rules: Mutex<Vec<Rule>>,
    seen: Mutex<Vec<Recorded>>,
}

type Condition = Box<dyn Fn(&Recorded) -> bool + Send + Sync>;

struct Rule {
    /// `std::any::type_name` of the operation; `None` for any.
    operation: Option<&'static str>,
    when: Option<Condition>,
    /// Answers left; `None` for as many as asked.
    left: Option<usize>,
    delay: Duration,
    answer: Answer,
}

#[derive(Clone)]
enum Answer {
    Response { status: u16, headers: HeaderMap, body: Bytes },
    Timeout,
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rules = self.state.rules.lock().map_or(0, |rules| rules.len());
        f.debug_struct("Mock").field("answers", &rules).field("requests", &self.requests().len()).finish()
    }
}

impl Mock {
    pub fn new() -> Mock {
        Mock::default()
    }

    /// A client whose requests this mock answers, for the account
    /// [`ACCOUNT_SID`] (its auth token is `test`).
    pub fn client(&self) -> Client {
        self.builder().build().expect("a mock client's settings are valid")
    }

    /// A builder for such a client, for other settings (retries, timeouts,
    /// hooks, other credentials).
    pub fn builder(&self) -> ClientBuilder {
        Client::builder().auth_token(ACCOUNT_SID, "test").mock(self.clone())
    }

    /// Answers for the operation `O`; the answer is given by the method
    /// that ends the chain (`returns`, `fails`, ...).
    pub fn on<O: Operation>(&self) -> When<'_, O> {
        When::new(self, Some(std::any::type_name::<O>()))
    }

    /// Answers for any operation.
    pub fn any(&self) -> When<'_, ()> {
        When::new(self, None)
    }

    /// Every request sent so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.seen.lock().map(|seen| seen.clone()).unwrap_or_default()
    }

    /// The answer to one request (called by the client for each attempt).
    pub(crate) async fn answer(&self, operation: &'static str, request: &reqwest::Request, timeout: Option<Duration>) -> Result<(u16, HeaderMap, Bytes), Error> {
        let recorded = Recorded::new(short_name(operation), request);
        let found = {
            let mut rules = self.state.rules.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let rule = rules.iter_mut().find(|rule| {
                rule.operation.is_none_or(|name| name == operation)
                    && rule.left != Some(0)
                    && rule.when.as_ref().is_none_or(|when| when(&recorded))
            });
            rule.map(|rule| {
                if let Some(left) = &mut rule.left {
                    *left -= 1;
                }
                (rule.delay, rule.answer.clone())
            })
        };
        let what = format!("{} {} {}", recorded.operation, recorded.method, recorded.path);
        self.state.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(recorded);
        let Some((delay, answer)) = found else {
            return Err(Error::Config(format!("test mock: no answer left for {what}")));
        };
        let after = timeout.unwrap_or(Duration::ZERO);
        match answer {
            Answer::Timeout => Err(Error::Timeout { after }),
            Answer::Response { status, headers, body } => {
                let waited = match timeout {
                    Some(timeout) => tokio::time::timeout(timeout, tokio::time::sleep(delay)).await.is_ok(),
                    None => {
                        tokio::time::sleep(delay).await;
                        true
                    }
                };
                if !waited {
                    return Err(Error::Timeout { after });
                }
                Ok((status, headers, body))
            }
        }
    }
}

/// An answer being described: for which requests, how many times, after
/// what delay. Ends with the answer itself.
#[must_use = "no answer is given until `returns`, `responds`, `fails` or `times_out`"]
pub struct When<'m, O> {
    mock: &'m Mock,
    operation: Option<&'static str>,
    when: Option<Condition>,
    left: Option<usize>,
    delay: Duration,
    status: Option<u16>,
    headers: HeaderMap,
    output: PhantomData<fn() -> O>,
}

impl<'m, O> When<'m, O> {
    fn new(mock: &'m Mock, operation: Option<&'static str>) -> Self {
        When { mock, operation, when: None, left: None, delay: Duration::ZERO, status: None, headers: HeaderMap::new(), output: PhantomData }
    }

    /// Answers once; the next request goes to the next fitting answer.
    pub fn once(self) -> Self {
        self.times(1)
    }

    /// Answers `n` times.
    pub fn times(mut self, n: usize) -> Self {
        self.left = Some(n);
        self
    }

    /// Answers only requests for which `condition` holds.
    pub fn when(mut self, condition: impl Fn(&Recorded) -> bool + Send + Sync + 'static) -> Self {
        self.when = Some(Box::new(condition));
        self
    }

    /// Waits this long before answering (a client timeout shorter than
    /// that ends the attempt in [`Error::Timeout`]).
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The answer's status (`200` for [`returns`](When::returns) unless
    /// set).
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// A header of the answer.
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        let value = HeaderValue::from_str(value).expect("a valid header value");
        self.headers.append(HeaderName::from_static(name), value);
        self
    }

    /// Answers with this JSON body, at the status set (else 200).
    pub fn responds(self, body: serde_json::Value) -> &'m Mock {
        let status = self.status.unwrap_or(200);
        self.respond(status, serde_json::to_vec(&body).expect("JSON values encode"))
    }

    /// Answers with an API error: this status (4xx or 5xx) and JSON body
    /// (Twilio's is `{"code": ..., "message": ..., "more_info": ...}`).
    pub fn fails(self, status: u16, body: serde_json::Value) -> &'m Mock {
        self.respond(status, serde_json::to_vec(&body).expect("JSON values encode"))
    }

    /// The attempt times out ([`Error::Timeout`]), however long the
    /// client's timeout.
    pub fn times_out(self) -> &'m Mock {
        self.push(Answer::Timeout)
    }

    fn respond(mut self, status: u16, body: Vec<u8>) -> &'m Mock {
        if !self.headers.contains_key(CONTENT_TYPE) {
            self.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let headers = std::mem::take(&mut self.headers);
        self.push(Answer::Response { status, headers, body: body.into() })
    }

    fn push(self, answer: Answer) -> &'m Mock {
        let rule = Rule { operation: self.operation, when: self.when, left: self.left, delay: self.delay, answer };
        self.mock.state.rules.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(rule);
        self.mock
    }
}

impl<'m, O: Operation> When<'m, O>
where
    O::Output: Serialize,
{
    /// Answers with this output, as the API would send it (JSON), at the
    /// status set (else 200).
    pub fn returns(self, output: O::Output) -> &'m Mock {
        let status = self.status.unwrap_or(200);
        self.respond(status, serde_json::to_vec(&output).expect("models encode as JSON"))
    }
}

/// A request the client sent, as it went out.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Recorded {
    /// The operation's request struct (`CreateMessage`).
    pub operation: &'static str,
    pub method: reqwest::Method,
    /// The path, escaped as sent.
    pub path: String,
    /// The query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    /// The body's bytes (empty for none, and for `multipart/form-data`,
    /// whose parts are streamed).
    pub body: Bytes,
}

impl Recorded {
    fn new(operation: &'static str, request: &reqwest::Request) -> Recorded {
        let url = request.url();
        Recorded {
            operation,
            method: request.method().clone(),
            path: url.path().to_owned(),
            query: url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect(),
            headers: request.headers().clone(),
            body: request.body().and_then(|body| body.as_bytes()).map(Bytes::copy_from_slice).unwrap_or_default(),
        }
    }

    /// A header's value, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The body's fields, decoded, if it is a URL-encoded form.
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
    }

    /// The first value of a form field.
    pub fn form_value(&self, name: &str) -> Option<String> {
        form_urlencoded::parse(&self.body).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}
