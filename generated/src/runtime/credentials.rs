//! Who the client is, and how that goes into a request's `Authorization`.

use std::fmt;

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderValue};

use super::request::KeyIn;
use super::{AuthScheme, Client, Error};

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
use super::token::TokenUrl;

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

/// `Basic <base64(username:password)>`, marked sensitive so that HTTP
/// tooling does not log it.
pub(super) fn basic_header(username: &str, password: &str) -> Result<HeaderValue, Error> {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    let mut header = HeaderValue::from_str(&format!("Basic {encoded}"))
        .map_err(|_| Error::Config("the username or password cannot go in an HTTP header".into()))?;
    header.set_sensitive(true);
    Ok(header)
}

impl Client {
    /// Authenticates `builder` with the client's credentials, which must be
    /// of a scheme the operation accepts (it may accept none).
    ///
    /// The first accepted way the client has credentials for is used; an
    /// operation that accepts none goes without. Returns whether a secret
    /// went into the URL (an API key in the query), which error messages
    /// must then leave out.
    pub(super) async fn authorize(
        &self,
        mut builder: reqwest::RequestBuilder,
        accepted: &[AuthScheme],
    ) -> Result<(reqwest::RequestBuilder, bool), Error> {
        if accepted.is_empty() {
            return Ok((builder, false));
        }
        // `{}` (optional) counts only when the client has none of the others.
        let usable = |scheme: &&AuthScheme| **scheme != AuthScheme::Optional && self.can_authorize(scheme);
        let chosen = accepted.iter().find(usable).or_else(|| accepted.iter().find(|scheme| **scheme == AuthScheme::Optional));
        let Some(chosen) = chosen else {
            return Err(Error::Config(format!(
                "this operation authenticates with {accepted:?}, and the client has no such credentials"
            )));
        };
        let schemes = match chosen {
            AuthScheme::All(all) => *all,
            one => std::slice::from_ref(one),
        };
        let mut secret_in_url = false;
        for scheme in schemes {
            builder = match *scheme {
                AuthScheme::Basic | AuthScheme::Bearer | AuthScheme::Unspecified | AuthScheme::OAuth2 { .. } => {
                    let spec_token_url = match *scheme {
                        AuthScheme::OAuth2 { token_url } if !token_url.is_empty() => Some(token_url),
                        _ => None,
                    };
                    match &self.inner.credentials {
                        Some(credentials) => self.send_credentials(builder, credentials, spec_token_url).await?,
                        None => builder,
                    }
                }
                AuthScheme::Optional | AuthScheme::All(_) => builder,
                AuthScheme::ApiKey { scheme, name, location } => {
                    let secret = self.secret(scheme)?;
                    match location {
                        KeyIn::Header => builder.header(name, sensitive(secret)?),
                        KeyIn::Query => {
                            secret_in_url = true;
                            let (http, request) = builder.build_split();
                            let mut request = request.map_err(Error::Transport)?;
                            request.url_mut().query_pairs_mut().append_pair(name, secret);
                            reqwest::RequestBuilder::from_parts(http, request)
                        }
                        KeyIn::Cookie => builder.header(COOKIE, sensitive(&format!("{name}={secret}"))?),
                    }
                }
                AuthScheme::Http { scheme, prefix } => {
                    let secret = self.secret(scheme)?;
                    builder.header(AUTHORIZATION, sensitive(&format!("{prefix} {secret}"))?)
                }
            };
        }
        Ok((builder, secret_in_url))
    }

    /// Whether the client has what `scheme` needs.
    fn can_authorize(&self, scheme: &AuthScheme) -> bool {
        match scheme {
            AuthScheme::Basic | AuthScheme::Bearer => self.inner.credentials.as_ref().is_some_and(|c| c.scheme() == *scheme),
            AuthScheme::OAuth2 { .. } => self.inner.credentials.as_ref().is_some_and(|c| c.scheme() == AuthScheme::Bearer),
            AuthScheme::Unspecified | AuthScheme::Optional => true,
            AuthScheme::ApiKey { scheme, .. } | AuthScheme::Http { scheme, .. } => self.inner.secrets.0.contains_key(*scheme),
            AuthScheme::All(all) => all.iter().all(|s| !matches!(s, AuthScheme::All(_)) && self.can_authorize(s)),
        }
    }

    fn secret(&self, scheme: &str) -> Result<&str, Error> {
        self.inner.secrets.0.get(scheme).map(String::as_str).ok_or_else(|| Error::Config(format!("no secret for the security scheme {scheme:?}")))
    }

    /// `spec_token_url`: the operation's OAuth2 scheme's `tokenUrl`, for
    /// client credentials that name none.
    async fn send_credentials(
        &self,
        builder: reqwest::RequestBuilder,
        credentials: &Credentials,
        spec_token_url: Option<&'static str>,
    ) -> Result<reqwest::RequestBuilder, Error> {
        match credentials {
            Credentials::Bearer { token } => Ok(builder.bearer_auth(token)),
            Credentials::ClientCredentials { client_id, client_secret, token_url } => {
                let url = match (token_url, spec_token_url) {
                    (Some(own), _) => TokenUrl::Given(own),
                    (None, Some(spec)) => TokenUrl::Spec(spec),
                    (None, None) => TokenUrl::Default,
                };
                // Boxed: fetching a token is a whole HTTP exchange, and every
                // call's future would otherwise carry room for it.
                let token = Box::pin(self.inner.tokens.get(|| self.fetch_token(client_id, client_secret, url))).await?;
                Ok(builder.bearer_auth(token))
            }
            _ => match &self.inner.basic {
                Some(header) => Ok(builder.header(AUTHORIZATION, header.clone())),
                None => Err(Error::Config("credentials without a username and password".into())),
            },
        }
    }
}

/// A header value holding a secret: marked sensitive, so HTTP tooling does
/// not log it.
fn sensitive(text: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(text).map_err(|_| Error::Config("a secret cannot go in an HTTP header".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Secrets by the name of the security scheme they are for (see
/// [`AuthScheme::ApiKey`]); `Debug` shows only the names.
#[derive(Clone, Default)]
pub(crate) struct Secrets(pub(crate) std::collections::BTreeMap<String, String>);

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.keys().map(|name| (name, REDACTED))).finish()
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
}
