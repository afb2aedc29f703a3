//! Access Tokens for Twilio's browser and mobile SDKs (Conversations, Chat,
//! Voice, Video, Sync, TaskRouter), feature `access-token`.
//!
//! A token is a JWT signed (HS256) with an API key's secret: it names the
//! account, the key, the user's identity and what the user may do (the
//! grants), and expires after its time to live. Hand it to your front end,
//! which gives it to the Twilio SDK.
//!
//! ```
//! use std::time::Duration;
//! use twilio_api::access_token::{AccessToken, ChatGrant};
//!
//! let jwt = AccessToken::new("ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "api_key_secret")
//!     .identity("alice")
//!     .ttl(Duration::from_secs(3600))
//!     .grant(ChatGrant { service_sid: Some("ISxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".to_owned()), ..Default::default() })
//!     .to_jwt();
//! assert_eq!(jwt.split('.').count(), 3);
//! ```

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::Sha256;

/// What Twilio's SDKs default to: an hour.
const DEFAULT_TTL: Duration = Duration::from_secs(3600);

/// An Access Token being built: [`AccessToken::to_jwt`] signs it.
#[derive(Clone)]
pub struct AccessToken {
    account_sid: String,
    api_key_sid: String,
    api_key_secret: String,
    identity: Option<String>,
    ttl: Duration,
    not_before: Option<i64>,
    region: Option<String>,
    grants: Vec<Grant>,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("account_sid", &self.account_sid)
            .field("api_key_sid", &self.api_key_sid)
            .field("api_key_secret", &"<redacted>")
            .field("identity", &self.identity)
            .field("ttl", &self.ttl)
            .field("not_before", &self.not_before)
            .field("region", &self.region)
            .field("grants", &self.grants)
            .finish()
    }
}

impl AccessToken {
    /// A token for the account, signed with an API key (`SK...`) and its
    /// secret (an auth token does not sign Access Tokens).
    pub fn new(account_sid: impl Into<String>, api_key_sid: impl Into<String>, api_key_secret: impl Into<String>) -> AccessToken {
        AccessToken {
            account_sid: account_sid.into(),
            api_key_sid: api_key_sid.into(),
            api_key_secret: api_key_secret.into(),
            identity: None,
            ttl: DEFAULT_TTL,
            not_before: None,
            region: None,
            grants: Vec::new(),
        }
    }

    /// The user the token is for, as your app names them (Conversations
    /// and Chat need one).
    pub fn identity(mut self, identity: impl Into<String>) -> Self {
        self.identity = Some(identity.into());
        self
    }

    /// How long the token is valid from now (default an hour; Twilio
    /// accepts at most 24 hours).
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// The token is not valid before this time (Unix seconds).
    pub fn not_before(mut self, unix_seconds: i64) -> Self {
        self.not_before = Some(unix_seconds);
        self
    }

    /// The region the SDK should connect to (`ie1`, `au1`), sent as the
    /// `twr` header.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Adds what the user may do; a token may carry several grants.
    pub fn grant(mut self, grant: impl Into<Grant>) -> Self {
        self.grants.push(grant.into());
        self
    }

    /// The signed JWT, valid from now for the time to live.
    pub fn to_jwt(&self) -> String {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        self.to_jwt_at(i64::try_from(now.as_secs()).unwrap_or(i64::MAX))
    }

    /// The signed JWT as issued at `now` (Unix seconds): for tests that
    /// need a fixed token.
    pub fn to_jwt_at(&self, now: i64) -> String {
        let mut header = json!({"typ": "JWT", "alg": "HS256", "cty": "twilio-fpa;v=1"});
        if let Some(region) = &self.region {
            header["twr"] = json!(region);
        }
        let mut grants = Map::new();
        if let Some(identity) = &self.identity {
            grants.insert("identity".to_owned(), json!(identity));
        }
        for grant in &self.grants {
            let (key, value) = grant.claim();
            grants.insert(key.to_owned(), value);
        }
        let ttl = i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX);
        let mut claims = json!({
            "jti": format!("{}-{now}", self.api_key_sid),
            "iss": self.api_key_sid,
            "sub": self.account_sid,
            "iat": now,
            "exp": now.saturating_add(ttl),
            "grants": grants,
        });
        if let Some(not_before) = self.not_before {
            claims["nbf"] = json!(not_before);
        }
        let signed = format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let mut mac = Hmac::<Sha256>::new_from_slice(self.api_key_secret.as_bytes()).expect("HMAC takes a key of any length");
        mac.update(signed.as_bytes());
        format!("{signed}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }
}

/// What a token lets its user do.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Grant {
    Chat(ChatGrant),
    Voice(VoiceGrant),
    Video(VideoGrant),
    Sync(SyncGrant),
    TaskRouter(TaskRouterGrant),
}

impl Grant {
    /// The grant's key in the `grants` claim and its value.
    fn claim(&self) -> (&'static str, Value) {
        fn value(grant: &impl Serialize) -> Value {
            serde_json::to_value(grant).expect("a grant is plain JSON")
        }
        match self {
            Grant::Chat(grant) => ("chat", value(grant)),
            Grant::Voice(grant) => ("voice", grant.claim()),
            Grant::Video(grant) => ("video", value(grant)),
            Grant::Sync(grant) => ("data_sync", value(grant)),
            Grant::TaskRouter(grant) => ("taskrouter", value(grant)),
        }
    }
}

/// Conversations and Programmable Chat: `service_sid` is the
/// Conversations (or Chat) service's `IS...`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChatGrant {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment_role_sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push_credential_sid: Option<String>,
}

/// Programmable Voice: incoming calls to the identity, and outgoing ones
/// through a TwiML app (`AP...`) with parameters for it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VoiceGrant {
    pub incoming_allow: bool,
    pub outgoing_application_sid: Option<String>,
    pub outgoing_application_params: Option<Map<String, Value>>,
    pub push_credential_sid: Option<String>,
    pub endpoint_id: Option<String>,
}

impl VoiceGrant {
    fn claim(&self) -> Value {
        let mut claim = Map::new();
        if self.incoming_allow {
            claim.insert("incoming".to_owned(), json!({"allow": true}));
        }
        if let Some(application_sid) = &self.outgoing_application_sid {
            let mut outgoing = json!({"application_sid": application_sid});
            if let Some(params) = &self.outgoing_application_params {
                outgoing["params"] = Value::Object(params.clone());
            }
            claim.insert("outgoing".to_owned(), outgoing);
        }
        if let Some(sid) = &self.push_credential_sid {
            claim.insert("push_credential_sid".to_owned(), json!(sid));
        }
        if let Some(id) = &self.endpoint_id {
            claim.insert("endpoint_id".to_owned(), json!(id));
        }
        Value::Object(claim)
    }
}

/// Programmable Video: the room the user may join (any, when unset).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VideoGrant {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
}

/// Sync: the Sync service (`IS...`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncGrant {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<String>,
}

/// TaskRouter: a worker of a workspace, in a role (`worker`, `supervisor`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TaskRouterGrant {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker_sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

macro_rules! into_grant {
    ($($grant:ident => $variant:ident),*) => {
        $(impl From<$grant> for Grant {
            fn from(grant: $grant) -> Grant {
                Grant::$variant(grant)
            }
        })*
    };
}

into_grant!(ChatGrant => Chat, VoiceGrant => Voice, VideoGrant => Video, SyncGrant => Sync, TaskRouterGrant => TaskRouter);
