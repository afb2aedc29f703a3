//! What the wire, runtime and contract tests share: the seed operations'
//! identifiers and the fixtures taken from Twilio's API reference.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

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
