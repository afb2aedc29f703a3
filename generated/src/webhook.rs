//! Checking that a webhook request came from Twilio: the `X-Twilio-Signature`
//! header (feature `webhook`).
//!
//! Twilio signs each webhook request with the account's auth token: HMAC-SHA1
//! over the full URL it called, followed by every POST parameter's name and
//! value sorted by name (a name sent several times: each of its values, in
//! sorted order), in base64. A JSON body is not signed as parameters: the URL
//! carries a `bodySHA256` query parameter, the hex SHA-256 of the body, and
//! the URL is signed as it stands.
//!
//! ```
//! use twilio_api::webhook::RequestValidator;
//!
//! let validator = RequestValidator::new("your_auth_token");
//! let url = "https://example.com/sms";
//! let params = [("From", "+15017122661"), ("Body", "Hello")];
//! let signature = validator.sign(url, params); // what Twilio sends
//! assert!(validator.validate(url, params, &signature));
//! assert!(!validator.validate(url, [("From", "+15017122661"), ("Body", "Hello!")], &signature));
//! ```
//!
//! The URL must be the one Twilio called, scheme, host, port and query
//! included: behind a proxy or load balancer that ends TLS, rebuild it from
//! the public address (`X-Forwarded-Proto`, `X-Forwarded-Host`) rather than
//! from the address your server listens on. See README for an axum handler.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Checks (and, for an app's own tests, makes) `X-Twilio-Signature` values
/// with an account's auth token.
#[derive(Clone)]
pub struct RequestValidator {
    auth_token: String,
}

impl std::fmt::Debug for RequestValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestValidator").field("auth_token", &"<redacted>").finish()
    }
}

impl RequestValidator {
    /// A validator for requests signed with this auth token (the account's,
    /// or a subaccount's for its webhooks).
    pub fn new(auth_token: impl Into<String>) -> RequestValidator {
        RequestValidator { auth_token: auth_token.into() }
    }

    /// Whether `signature` is Twilio's for a request to `url` with these
    /// form (POST) parameters; for a GET, pass no parameters (the query is
    /// part of the URL). The URL is also tried with the scheme's default
    /// port added or removed (`https://host:443/x` and `https://host/x`), as
    /// Twilio signs either; the comparison takes the same time wherever the
    /// signatures differ.
    pub fn validate<K, V>(&self, url: &str, params: impl IntoIterator<Item = (K, V)>, signature: &str) -> bool
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let Ok(expected) = STANDARD.decode(signature.trim()) else {
            return false;
        };
        let pairs = sorted(params);
        urls(url).iter().any(|url| self.mac(url, &pairs).verify_slice(&expected).is_ok())
    }

    /// Whether `signature` is Twilio's for a request to `url` with a body
    /// that is not form parameters (JSON): the URL's `bodySHA256` query
    /// parameter must be the hex SHA-256 of `body`, and the URL, signed as
    /// it stands, must carry `signature`. False when the URL has no
    /// `bodySHA256`.
    pub fn validate_body(&self, url: &str, body: &[u8], signature: &str) -> bool {
        let query = url.split_once('?').map_or("", |(_, query)| query);
        let query = query.split_once('#').map_or(query, |(query, _)| query);
        let Some((_, stated)) = form_urlencoded::parse(query.as_bytes()).find(|(name, _)| name == "bodySHA256") else {
            return false;
        };
        let actual = hex(&Sha256::digest(body));
        let hash_matches: bool = actual.as_bytes().ct_eq(stated.to_ascii_lowercase().as_bytes()).into();
        let signed = self.validate(url, std::iter::empty::<(&str, &str)>(), signature);
        hash_matches & signed
    }

    /// The signature Twilio would send for a request to `url` with these
    /// form parameters: for an app's tests of its own webhook handlers.
    pub fn sign<K, V>(&self, url: &str, params: impl IntoIterator<Item = (K, V)>) -> String
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        STANDARD.encode(self.mac(url, &sorted(params)).finalize().into_bytes())
    }

    /// The HMAC over the URL and the sorted parameters.
    fn mac(&self, url: &str, pairs: &[(String, String)]) -> Hmac<Sha1> {
        let mut mac = Hmac::<Sha1>::new_from_slice(self.auth_token.as_bytes()).expect("HMAC takes a key of any length");
        mac.update(url.as_bytes());
        for (name, value) in pairs {
            mac.update(name.as_bytes());
            mac.update(value.as_bytes());
        }
        mac
    }
}

/// The parameters sorted by name and, under one name, by value (byte
/// order, which is code point order).
fn sorted<K: AsRef<str>, V: AsRef<str>>(params: impl IntoIterator<Item = (K, V)>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = params.into_iter().map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned())).collect();
    pairs.sort_unstable();
    pairs
}

/// `url` as given, and with its scheme's default port added (when it has
/// no port) or removed (when it names that port).
fn urls(url: &str) -> Vec<String> {
    let mut urls = vec![url.to_owned()];
    let Some((scheme, rest)) = url.split_once("://") else {
        return urls;
    };
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" => "443",
        "http" => "80",
        _ => return urls,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    // The port follows the last `:` after any `]` of an IPv6 literal (and
    // after the user information, which has no business here but may be).
    let host_start = authority.rfind('@').map_or(0, |at| at + 1);
    let host_and_port = &authority[host_start..];
    let port_at = host_and_port.rfind(':').filter(|&at| !host_and_port[at..].contains(']'));
    match port_at {
        Some(at) if &host_and_port[at + 1..] == default_port => {
            urls.push(format!("{scheme}://{}{}{tail}", &authority[..host_start], &host_and_port[..at]));
        }
        Some(_) => {}
        None => urls.push(format!("{scheme}://{authority}:{default_port}{tail}")),
    }
    urls
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::urls;

    #[test]
    fn the_default_port_is_added_or_removed_and_any_other_kept() {
        assert_eq!(urls("https://example.com/sms?x=1"), ["https://example.com/sms?x=1", "https://example.com:443/sms?x=1"]);
        assert_eq!(urls("https://example.com:443/sms"), ["https://example.com:443/sms", "https://example.com/sms"]);
        assert_eq!(urls("http://example.com"), ["http://example.com", "http://example.com:80"]);
        assert_eq!(urls("https://example.com:8443/sms"), ["https://example.com:8443/sms"]);
        assert_eq!(urls("https://[::1]/sms"), ["https://[::1]/sms", "https://[::1]:443/sms"]);
    }
}
