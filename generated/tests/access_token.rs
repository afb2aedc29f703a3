//! Access Tokens through the public API, decoded and verified by the
//! `jsonwebtoken` crate (not by our encoder): signature, header and claims.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::{Value, json};
use twilio_api::access_token::{AccessToken, ChatGrant, SyncGrant, VideoGrant, VoiceGrant};

const ACCOUNT: &str = "AC00000000000000000000000000000001";
const KEY: &str = "SK00000000000000000000000000000002";
const SECRET: &str = "the api key secret";

fn validation() -> Validation {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[KEY]);
    validation.sub = Some(ACCOUNT.to_owned());
    validation.validate_nbf = true;
    validation
}

#[test]
fn a_token_with_grants_verifies_and_carries_twilios_claims() {
    let mut params = serde_json::Map::new();
    params.insert("agent".to_owned(), json!("7"));
    let jwt = AccessToken::new(ACCOUNT, KEY, SECRET)
        .identity("alice@example.com")
        .ttl(Duration::from_secs(600))
        .region("ie1")
        .grant(ChatGrant { service_sid: Some("IS00000000000000000000000000000003".to_owned()), ..Default::default() })
        .grant(VoiceGrant {
            incoming_allow: true,
            outgoing_application_sid: Some("AP00000000000000000000000000000004".to_owned()),
            outgoing_application_params: Some(params),
            ..Default::default()
        })
        .grant(VideoGrant { room: Some("standup".to_owned()) })
        .grant(SyncGrant { service_sid: Some("IS00000000000000000000000000000005".to_owned()), endpoint_id: None })
        .to_jwt();

    let header = decode_header(&jwt).unwrap();
    assert_eq!(header.alg, Algorithm::HS256);
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    assert_eq!(header.cty.as_deref(), Some("twilio-fpa;v=1"));

    let token = decode::<Value>(&jwt, &DecodingKey::from_secret(SECRET.as_bytes()), &validation()).unwrap();
    let claims = token.claims;
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(claims["exp"].as_i64().unwrap() - iat, 600);
    assert_eq!(claims["jti"], json!(format!("{KEY}-{iat}")));
    assert_eq!(
        claims["grants"],
        json!({
            "identity": "alice@example.com",
            "chat": {"service_sid": "IS00000000000000000000000000000003"},
            "voice": {
                "incoming": {"allow": true},
                "outgoing": {"application_sid": "AP00000000000000000000000000000004", "params": {"agent": "7"}}
            },
            "video": {"room": "standup"},
            "data_sync": {"service_sid": "IS00000000000000000000000000000005"}
        })
    );

    // The region goes in the header, where Twilio's SDKs read it.
    let header_json: Value = {
        use base64::Engine;
        let first = jwt.split('.').next().unwrap();
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(first).unwrap()).unwrap()
    };
    assert_eq!(header_json["twr"], json!("ie1"));
}

#[test]
fn another_secret_an_expired_token_or_a_tampered_one_is_refused() {
    let token = AccessToken::new(ACCOUNT, KEY, SECRET).identity("bob");
    let jwt = token.to_jwt();
    let wrong = DecodingKey::from_secret(b"another secret");
    assert!(decode::<Value>(&jwt, &wrong, &validation()).is_err());

    // Issued two hours ago with the default hour to live.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let old = token.to_jwt_at(now - 7200);
    let right = DecodingKey::from_secret(SECRET.as_bytes());
    let error = decode::<Value>(&old, &right, &validation()).unwrap_err();
    assert_eq!(error.kind(), &jsonwebtoken::errors::ErrorKind::ExpiredSignature);

    // Claims swapped for another identity's, the signature kept.
    let parts: Vec<&str> = jwt.split('.').collect();
    let mallory = AccessToken::new(ACCOUNT, KEY, SECRET).identity("mallory").to_jwt();
    let forged = format!("{}.{}.{}", parts[0], mallory.split('.').nth(1).unwrap(), parts[2]);
    assert!(decode::<Value>(&forged, &right, &validation()).is_err());

    // A token not valid yet.
    let later = AccessToken::new(ACCOUNT, KEY, SECRET).not_before(now + 3600).to_jwt();
    let error = decode::<Value>(&later, &right, &validation()).unwrap_err();
    assert_eq!(error.kind(), &jsonwebtoken::errors::ErrorKind::ImmatureSignature);
}
