//! OAuth2 access tokens for client credentials: fetched from the token
//! endpoint, cached and shared until shortly before they expire.

use std::fmt;
use std::time::{Duration, Instant};

use reqwest::header::CONTENT_TYPE;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use super::client::{FORM, form_encode, parse_url};
use super::links::path_and_query;
use super::decode::decode;
use super::{Client, Error, REDACTED};

/// Twilio's OAuth2 token endpoint (oauth_v2 `CreateToken`).
const DEFAULT_TOKEN_URL: &str = "https://oauth.twilio.com/v2/token";

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
#[derive(Deserialize, Serialize)]
pub(super) struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// Decoded as JSON (see `Decode`).
impl super::fields::Serde for TokenResponse {}

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

/// Where client credentials are exchanged for a token.
#[derive(Debug, Clone, Copy)]
pub(super) enum TokenUrl<'a> {
    /// The credentials' own, used as it is.
    Given(&'a str),
    /// The spec's `tokenUrl`: on the base URL's host when there is one, as
    /// every request is.
    Spec(&'a str),
    /// Neither: Twilio's (on the base URL's host when there is one).
    Default,
}

impl Client {
    /// Exchanges OAuth2 client credentials for an access token.
    pub(super) async fn fetch_token(&self, client_id: &str, client_secret: &str, token_url: TokenUrl<'_>) -> Result<TokenResponse, Error> {
        let on_base = |url: &str| self.inner.base_url.as_ref().map(|base| format!("{base}{}", path_and_query(url)));
        let url = match token_url {
            TokenUrl::Given(url) => url.to_owned(),
            TokenUrl::Spec(url) => on_base(url).unwrap_or_else(|| url.to_owned()),
            TokenUrl::Default => on_base(DEFAULT_TOKEN_URL).unwrap_or_else(|| DEFAULT_TOKEN_URL.to_owned()),
        };
        let pairs = [("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", client_secret)];
        let builder = self.http_request(reqwest::Method::POST, parse_url(&url)?, "application/json").header(CONTENT_TYPE, FORM).body(form_encode(&pairs));
        let (status, headers, body) = self.exchange(builder, false, "oauth2_token", 1).await?;
        Ok(decode(status, headers, &body)?.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
