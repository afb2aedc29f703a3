//! Configuring a [`Client`]: the [`ClientBuilder`], and the builder read
//! from the environment.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use url::Url;

use super::client::Inner;
use super::credentials::{Secrets, basic_header};
use super::hooks::{Attempt, Hooks};
use super::token::TokenCache;
use super::{Client, Credentials, Error, RetryPolicy};

/// `twilio-api/<version> (<os> <arch>) rust/<rustc version>`.
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

/// reqwest's builder, with TLS as the crate's features chose: rustls with
/// ring needs its provider installed for the process (unless the app
/// installed one first).
fn http_client_builder() -> reqwest::ClientBuilder {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may have installed one meanwhile: either will do.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    reqwest::Client::builder()
}

/// Configures a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    base_url: Option<String>,
    region: Option<String>,
    edge: Option<String>,
    /// `None`: [`DEFAULT_TIMEOUT`]; `Some(None)`: no timeout.
    timeout: Option<Option<Duration>>,
    deadline: Option<Duration>,
    retry: Option<RetryPolicy>,
    http: Option<reqwest::Client>,
    /// Sent with every request (an API version header, say); checked when
    /// the client is built.
    headers: DefaultHeaders,
    secrets: Secrets,
    server_variables: std::collections::BTreeMap<String, String>,
    hooks: Hooks,
    max_response_bytes: Option<u64>,
    user_agent_extension: Option<String>,
    #[cfg(feature = "test-util")]
    mock: Option<super::mock::Mock>,
}

/// How long one attempt of a call may take unless the builder says
/// otherwise ([`ClientBuilder::timeout`]).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long connecting (TCP and TLS) may take, in the HTTP client the
/// builder makes.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest response body read whole unless the builder says otherwise
/// ([`ClientBuilder::max_response_bytes`]): 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 << 20;

/// Header names and values; `Debug` shows the names only (a value may be a
/// secret).
#[derive(Default)]
struct DefaultHeaders(Vec<(String, String)>);

impl std::fmt::Debug for DefaultHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.0.iter().map(|(name, _)| (name, super::REDACTED))).finish()
    }
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

    /// OAuth2 client credentials, exchanged for bearer tokens at the token
    /// URL of the operation's OAuth2 scheme (the spec's `tokenUrl`), else at
    /// Twilio's; either on the base URL's host when one is set.
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

    /// The longest one attempt of a call may take, response body included
    /// ([`DEFAULT_TIMEOUT`] unless set).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(Some(timeout));
        self
    }

    /// No time limit on an attempt: a stalled connection waits forever.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = Some(None);
        self
    }

    /// The longest all attempts of one call may take together, retries and
    /// their waits included (none unless set): past it, the call ends in
    /// `Error::Timeout`.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The longest response body read whole ([`DEFAULT_MAX_RESPONSE_BYTES`]
    /// unless set); a longer one fails with `Error::ResponseTooLarge`.
    /// `Client::download` streams and has no limit.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Adds your app to the User-Agent (`my-app/1.2`), after the crate's.
    pub fn user_agent_extension(mut self, extension: impl Into<String>) -> Self {
        self.user_agent_extension = Some(extension.into());
        self
    }

    /// Calls `hook` on each request just before it goes out, every attempt
    /// of every call (credentials already in it): to add a header, sign it,
    /// log it.
    pub fn on_request(mut self, hook: impl Fn(&mut reqwest::Request) + Send + Sync + 'static) -> Self {
        self.hooks.on_request.push(Arc::new(hook));
        self
    }

    /// Calls `hook` when each attempt of each call ends: its operation,
    /// URL, attempt number, time taken and status (or error), for metrics
    /// and audit logs.
    pub fn on_response(mut self, hook: impl Fn(&Attempt<'_>) + Send + Sync + 'static) -> Self {
        self.hooks.on_response.push(Arc::new(hook));
        self
    }

    /// Answers from `mock` instead of the network (see `test_util::Mock`).
    #[cfg(feature = "test-util")]
    pub(crate) fn mock(mut self, mock: super::mock::Mock) -> Self {
        self.mock = Some(mock);
        self
    }

    /// Retries failed calls as `policy` allows (off by default).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Uses this `reqwest::Client` as it is (its proxies, TLS, connection
    /// pool, connect timeout, compression). User-Agent, timeout and retries
    /// still apply per request.
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

    /// The secret for the security scheme the spec names `scheme` (an API
    /// key, or the credentials of an HTTP scheme other than basic and
    /// bearer): `.secret("api_key", "...")`. Operations that accept the
    /// scheme send it as the spec says (header, query or cookie).
    pub fn secret(mut self, scheme: impl Into<String>, secret: impl Into<String>) -> Self {
        self.secrets.0.insert(scheme.into(), secret.into());
        self
    }

    /// A value for a variable of the spec's servers
    /// (`https://{region}.api.example.com`), instead of its default.
    pub fn server_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.server_variables.insert(name.into(), value.into());
        self
    }

    /// A header sent with every request, such as `X-GitHub-Api-Version`. An
    /// operation's own header of the same name replaces it.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.0.push((name.into(), value.into()));
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.headers.0 {
            let bad = |what: &str| Error::Config(format!("default header {name:?}: not a valid header {what}"));
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad("name"))?;
            let mut value = HeaderValue::from_str(value).map_err(|_| bad("value"))?;
            value.set_sensitive(true);
            default_headers.append(header, value);
        }
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
            None => http_client_builder()
                // Twilio does not redirect API calls; following one would
                // resend credentials to wherever it points.
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(CONNECT_TIMEOUT)
                .build()
                .map_err(|e| Error::Config(format!("cannot create the HTTP client: {e}")))?,
        };
        let user_agent = match &self.user_agent_extension {
            Some(extension) => format!("{} {extension}", user_agent()),
            None => user_agent(),
        };
        let user_agent =
            HeaderValue::from_str(&user_agent).map_err(|e| Error::Config(format!("cannot use the User-Agent {user_agent:?}: {e}")))?;
        let inner = Inner {
            user_agent,
            http,
            credentials: self.credentials,
            basic,
            base_url,
            region: self.region,
            edge: self.edge,
            tokens: TokenCache::default(),
            default_headers,
            secrets: self.secrets,
            server_variables: self.server_variables,
            hooks: self.hooks,
            max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            #[cfg(feature = "test-util")]
            mock: self.mock,
        };
        let timeout = self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT));
        Ok(Client { inner: Arc::new(inner), timeout, retry: self.retry, deadline: self.deadline })
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
