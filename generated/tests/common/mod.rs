//! What the wire, runtime, contract and load tests share: the credentials
//! and the client they send with, the seed operations' identifiers, and the
//! fixtures taken from Twilio's API reference.

// Each test binary compiles this module on its own and uses a different
// part of it; what one binary leaves unused is not dead code.
#![allow(dead_code)]

pub mod prism;

use base64::Engine;
use twilio_api::{Client, ClientBuilder};

/// The account every test client acts for.
pub const ACCOUNT_SID: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// The account's Auth Token. Redaction tests search output for it, so it is
/// a string nothing else would print (not, say, `token`).
pub const AUTH_TOKEN: &str = "auth-token-s3cr3t";

/// A builder with the test credentials, sending to `base_url` (a local
/// server) instead of Twilio's hosts.
pub fn builder_for(base_url: &str) -> ClientBuilder {
    Client::builder().auth_token(ACCOUNT_SID, AUTH_TOKEN).base_url(base_url)
}

/// A client with the test credentials and no other settings, sending to
/// `base_url`.
pub fn client_for(base_url: &str) -> Client {
    builder_for(base_url).build().unwrap()
}

/// The `Authorization` header HTTP Basic auth sends for `user` and `password`.
pub fn basic_auth(user: &str, password: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

pub const SERVICE: &str = "KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const SESSION: &str = "KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const PARTICIPANT: &str = "KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// The path of the Proxy MessageInteractions list for the IDs above.
pub const INTERACTIONS_PATH: &str = "/v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sessions/KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Participants/KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/MessageInteractions";

/// A JSON fixture from `tests/fixtures/`.
pub fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A request header as text.
pub fn header<'r>(request: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}
