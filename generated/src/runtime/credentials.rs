//! Who the client is, and how that goes into a request's `Authorization`.

use std::fmt;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use super::AuthScheme;

/// How the client authenticates. Secrets never appear in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// An Account SID and its Auth Token, sent as HTTP basic.
    AuthToken { account_sid: String, auth_token: String },
    /// An API key and its secret, sent as HTTP basic, for the account named.
    ApiKey { account_sid: String, key_sid: String, secret: String },
    /// Any other username and password, sent as HTTP basic.
    Basic { username: String, password: String },
    /// An access token sent as `Authorization: Bearer ...`.
    Bearer { token: String },
    /// OAuth2 client credentials, exchanged at `token_url` for an access token
    /// that is then sent as a bearer token and renewed before it expires.
    ClientCredentials { client_id: String, client_secret: String, token_url: Option<String> },
}

use super::REDACTED;

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::AuthToken { account_sid, .. } => {
                f.debug_struct("AuthToken").field("account_sid", account_sid).field("auth_token", &REDACTED).finish()
            }
            Credentials::ApiKey { account_sid, key_sid, .. } => f
                .debug_struct("ApiKey")
                .field("account_sid", account_sid)
                .field("key_sid", key_sid)
                .field("secret", &REDACTED)
                .finish(),
            Credentials::Basic { username, .. } => {
                f.debug_struct("Basic").field("username", username).field("password", &REDACTED).finish()
            }
            Credentials::Bearer { .. } => f.debug_struct("Bearer").field("token", &REDACTED).finish(),
            Credentials::ClientCredentials { client_id, token_url, .. } => f
                .debug_struct("ClientCredentials")
                .field("client_id", client_id)
                .field("client_secret", &REDACTED)
                .field("token_url", token_url)
                .finish(),
        }
    }
}

impl Credentials {
    /// The account these credentials act for, when they say.
    pub fn account_sid(&self) -> Option<&str> {
        match self {
            Credentials::AuthToken { account_sid, .. } | Credentials::ApiKey { account_sid, .. } => Some(account_sid),
            _ => None,
        }
    }

    /// The scheme these credentials are sent with.
    pub(crate) fn scheme(&self) -> AuthScheme {
        match self {
            Credentials::AuthToken { .. } | Credentials::ApiKey { .. } | Credentials::Basic { .. } => AuthScheme::Basic,
            Credentials::Bearer { .. } | Credentials::ClientCredentials { .. } => AuthScheme::Bearer,
        }
    }

    /// Username and password for HTTP basic.
    pub(crate) fn basic(&self) -> Option<(&str, &str)> {
        match self {
            Credentials::AuthToken { account_sid, auth_token } => Some((account_sid, auth_token)),
            Credentials::ApiKey { key_sid, secret, .. } => Some((key_sid, secret)),
            Credentials::Basic { username, password } => Some((username, password)),
            _ => None,
        }
    }
}

/// Twilio's OAuth2 token endpoint (oauth_v2 `CreateToken`).
pub(crate) const DEFAULT_TOKEN_URL: &str = "https://oauth.twilio.com/v2/token";

/// A token is renewed this long before it expires, so that a request never
/// leaves with one that runs out on the way.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

/// The access token obtained with client credentials, shared by clones of a
/// client; one refresh at a time.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    current: Mutex<Option<CachedToken>>,
}

struct CachedToken {
    token: String,
    renew_at: Instant,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken").field("token", &REDACTED).field("renew_at", &self.renew_at).finish()
    }
}

/// The token endpoint's answer.
#[derive(Deserialize)]
pub(crate) struct TokenResponse {
    pub(crate) access_token: String,
    #[serde(default)]
    pub(crate) expires_in: Option<u64>,
}

impl TokenCache {
    /// The cached token, or a new one from `fetch` when there is none or it
    /// is about to expire.
    pub(crate) async fn get<F, Fut, E>(&self, fetch: F) -> Result<String, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<TokenResponse, E>>,
    {
        let mut current = self.current.lock().await;
        if let Some(cached) = current.as_ref().filter(|c| Instant::now() < c.renew_at) {
            return Ok(cached.token.clone());
        }
        let response = fetch().await?;
        // Without `expires_in`, the token is used for this request only.
        let lifetime = response.expires_in.map_or(Duration::ZERO, Duration::from_secs);
        let renew_at = Instant::now() + lifetime.saturating_sub(EXPIRY_MARGIN);
        *current = Some(CachedToken { token: response.access_token.clone(), renew_at });
        Ok(response.access_token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_secrets() {
        let all = [
            Credentials::AuthToken { account_sid: "AC1".into(), auth_token: "tok-secret".into() },
            Credentials::ApiKey { account_sid: "AC1".into(), key_sid: "SK1".into(), secret: "key-secret".into() },
            Credentials::Basic { username: "u".into(), password: "pw-secret".into() },
            Credentials::Bearer { token: "bearer-secret".into() },
            Credentials::ClientCredentials { client_id: "id".into(), client_secret: "cc-secret".into(), token_url: None },
        ];
        for credentials in all {
            let shown = format!("{credentials:?} {credentials:#?}");
            assert!(!shown.contains("secret\""), "{shown}");
            assert!(!shown.contains("-secret"), "{shown}");
            assert!(shown.contains(REDACTED), "{shown}");
        }
    }

    #[tokio::test]
    async fn tokens_are_reused_until_shortly_before_they_expire() {
        let cache = TokenCache::default();
        let mut fetched = 0;
        for _ in 0..3 {
            let token = cache
                .get(|| {
                    fetched += 1;
                    async { Ok::<_, ()>(TokenResponse { access_token: "t1".into(), expires_in: Some(3600) }) }
                })
                .await
                .unwrap();
            assert_eq!(token, "t1");
        }
        assert_eq!(fetched, 1);

        // A token that lives less than the margin is fetched every time.
        let short = TokenCache::default();
        let mut fetched = 0;
        for _ in 0..2 {
            short
                .get(|| {
                    fetched += 1;
                    async { Ok::<_, ()>(TokenResponse { access_token: "t2".into(), expires_in: Some(10) }) }
                })
                .await
                .unwrap();
        }
        assert_eq!(fetched, 2);
    }
}
