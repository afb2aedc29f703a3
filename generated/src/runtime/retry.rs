//! Opt-in retries: what is retried, and how long to wait first.

use std::time::{Duration, SystemTime};

use reqwest::Method;

/// When and how often a failed request is sent again. Off unless the client
/// is given one ([`ClientBuilder::retry`](super::ClientBuilder::retry)).
///
/// Retried: `429 Too Many Requests` and failures to connect (the request
/// never reached Twilio), for every method; `503 Service Unavailable` and
/// other transport failures (a timeout, a reset connection) only for
/// idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`), because a
/// `POST` may already have taken effect, unless
/// [`retry_non_idempotent`](RetryPolicy::retry_non_idempotent) says so.
///
/// The wait before retry *n* (from 0) is the server's `Retry-After` when it
/// sends one, else a random duration between zero and
/// `min(max_delay, initial_delay * 2^n)` ("full jitter"); never more than
/// `max_delay`. A server that asks for a longer wait than `max_delay` is not
/// retried early: its response is returned, `Retry-After` header included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) initial_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Three retries, 500 ms initial delay, 20 s at most.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            non_idempotent: false,
        }
    }
}

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The connection was never made.
    ConnectFailed,
    /// Sent (at least partly), but no complete response came back.
    TransportFailed,
    /// A response with this status.
    Status(u16),
}

impl RetryPolicy {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many times a request may be sent again (so at most
    /// `max_retries + 1` attempts).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The upper bound of the first backoff; it doubles with each retry.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The longest wait before any retry, `Retry-After` included.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Also retry `POST` and `PATCH` after a 503 or a failure once sent,
    /// accepting that the first attempt may have taken effect.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.non_idempotent = yes;
        self
    }

    /// Whether the attempt numbered `attempt` (from 0) may be followed by
    /// another.
    pub(crate) fn should_retry(&self, method: &Method, outcome: Outcome, attempt: u32) -> bool {
        if attempt >= self.max_retries {
            return false;
        }
        let safe = self.non_idempotent || is_idempotent(method);
        match outcome {
            Outcome::ConnectFailed | Outcome::Status(429) => true,
            Outcome::TransportFailed | Outcome::Status(503) => safe,
            Outcome::Status(_) => false,
        }
    }

    /// The wait before retry `attempt` (from 0). `jitter` is uniform in
    /// [0, 1); `retry_after` is the server's header value, if any. `None`
    /// when the server asks for more than `max_delay`: retrying sooner would
    /// only be refused again.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Option<Duration> {
        if let Some(wait) = retry_after {
            return (wait <= self.max_delay).then_some(wait);
        }
        let ceiling = self.initial_delay.saturating_mul(2u32.saturating_pow(attempt.min(31))).min(self.max_delay);
        Some(ceiling.mul_f64(jitter.clamp(0.0, 1.0)))
    }
}

fn is_idempotent(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS].contains(method)
}

/// A `Retry-After` value: delay-seconds or an HTTP date (RFC 9110).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::from(date.with_timezone(&chrono::Utc));
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_failures_are_retried() {
        let policy = RetryPolicy::default();
        for method in [Method::GET, Method::POST] {
            assert!(policy.should_retry(&method, Outcome::Status(429), 0));
            assert!(policy.should_retry(&method, Outcome::ConnectFailed, 0));
            assert!(!policy.should_retry(&method, Outcome::Status(500), 0));
            assert!(!policy.should_retry(&method, Outcome::Status(400), 0));
        }
        assert!(policy.should_retry(&Method::GET, Outcome::Status(503), 0));
        assert!(policy.should_retry(&Method::DELETE, Outcome::TransportFailed, 0));
        assert!(!policy.should_retry(&Method::POST, Outcome::Status(503), 0));
        assert!(!policy.should_retry(&Method::POST, Outcome::TransportFailed, 0));
        let brave = RetryPolicy::default().retry_non_idempotent(true);
        assert!(brave.should_retry(&Method::POST, Outcome::TransportFailed, 0));
        assert!(brave.should_retry(&Method::POST, Outcome::Status(503), 2));
        assert!(!brave.should_retry(&Method::POST, Outcome::Status(503), 3), "three retries at most");
    }

    #[test]
    fn backoff_is_full_jitter_doubling_up_to_the_cap() {
        let policy = RetryPolicy::new().initial_delay(Duration::from_millis(100)).max_delay(Duration::from_millis(1000));
        let ceilings: Vec<_> = (0..6).map(|n| policy.delay(n, None, 0.999_999).unwrap().as_millis()).collect();
        assert_eq!(ceilings, [99, 199, 399, 799, 999, 999]);
        assert_eq!(policy.delay(3, None, 0.0), Some(Duration::ZERO));
        assert_eq!(policy.delay(1, None, 0.5), Some(Duration::from_millis(100)));
        // Retry-After wins over the backoff, within the cap; beyond it the
        // response is returned instead.
        assert_eq!(policy.delay(0, Some(Duration::from_millis(700)), 0.1), Some(Duration::from_millis(700)));
        assert_eq!(policy.delay(0, Some(Duration::from_secs(60)), 0.1), None);
        // Huge attempt numbers do not overflow.
        assert_eq!(policy.delay(u32::MAX, None, 0.5), Some(Duration::from_millis(500)));
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // Wed, 21 Oct 2015 07:28:00 GMT
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:05 GMT", now), Some(Duration::from_secs(5)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
