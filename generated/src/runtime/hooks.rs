//! Hooks an app sets on the [`ClientBuilder`](super::ClientBuilder) to see
//! or change each attempt of each call: metrics, audit logs, request
//! signing, a header from a secret store. Retries run them once per
//! attempt.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use url::Url;

use super::Error;

/// Runs on each request just before it goes out: its URL, headers and
/// body may be changed (credentials are already in it).
pub(crate) type OnRequest = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;

/// Runs when each attempt ends, with what came of it.
pub(crate) type OnResponse = Arc<dyn Fn(&Attempt<'_>) + Send + Sync>;

#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) on_request: Vec<OnRequest>,
    pub(crate) on_response: Vec<OnResponse>,
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks").field("on_request", &self.on_request.len()).field("on_response", &self.on_response.len()).finish()
    }
}

/// One attempt of one call, as an `on_response` hook sees it.
#[derive(Debug)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// The operation's request struct (`CreateMessage`).
    pub operation: &'static str,
    pub method: &'a reqwest::Method,
    /// The URL as sent (it may hold query values: mind what you log).
    pub url: &'a Url,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub number: u32,
    /// From sending the request to having the whole response (or the error).
    pub elapsed: Duration,
    /// The response's status and headers; `None` when none came.
    pub response: Option<(u16, &'a HeaderMap)>,
    /// Why no response came (a timeout, a refused connection, a body
    /// over the size limit).
    pub error: Option<&'a Error>,
}

/// `CreateMessage` from `twilio_api::api_v2010::message::CreateMessage`.
pub(crate) fn short_name(type_name: &'static str) -> &'static str {
    type_name.rsplit("::").next().unwrap_or(type_name)
}
