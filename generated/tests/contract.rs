//! Contract test: the generated client against Stoplight Prism, a mock
//! server that validates every request against our OpenAPI specs and
//! answers with responses built from them.
//!
//! Prism comes from npm (`contract/package.json`, pinned in its lock file);
//! if it is not installed yet, this test installs it with `npm ci`. Each
//! spec gets its own Prism on a free port of 127.0.0.1.

mod common;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use twilio_api::conversations_v1::CreateServiceConversationMessage;
use twilio_api::proxy_v1::{CreateMessageInteraction, ListMessageInteraction};
use common::{ACCOUNT_SID, AUTH_TOKEN, INTERACTIONS_PATH, PARTICIPANT, SERVICE, SESSION, client_for};
use twilio_api::{Client, Error};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// The Prism executable, installed from `contract/package-lock.json` when missing.
fn prism() -> PathBuf {
    let contract = workspace().join("contract");
    let prism = contract.join("node_modules/.bin/prism");
    if !prism.exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&contract)
            .status()
            .expect("npm is needed to install Prism for the contract test");
        assert!(status.success(), "`npm ci` in contract/ failed");
    }
    prism
}

/// A running Prism mock server; stopped when dropped.
struct Prism {
    child: Child,
    url: String,
}

impl Prism {
    fn start(spec: &str) -> Prism {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(prism())
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(workspace().join("specs").join(spec))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting prism");
        let prism = Prism { child, url: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "prism did not start listening on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        prism
    }

    fn client(&self) -> Client {
        client_for(&self.url)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn seed_operations_pass_prism_validation_and_invalid_requests_do_not() {
    let proxy = Prism::start("twilio_proxy_v1.yaml");
    let client = proxy.client();

    let created = CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT)
        .body("Your driver is two minutes away")
        .media_url(["https://example.com/a.png", "https://example.com/b.png"])
        .send(&client)
        .await
        .expect("Prism accepts the create request and its response decodes");
    assert!(created.sid.is_some());

    let page = ListMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).page_size(20).send(&client).await.unwrap();
    assert!(page.meta.is_some());
    // (Prism invents `next_page_url` values such as `http://example.com`, so
    // following pages is tested against wiremock in `wire.rs` instead.)

    let conversations = Prism::start("twilio_conversations_v1.yaml");
    let message = CreateServiceConversationMessage::new("ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .author("support")
        .body("Hello from Rust")
        .attributes(r#"{"importance": "high"}"#)
        .date_created(chrono::DateTime::parse_from_rfc3339("2015-12-16T22:18:37Z").unwrap().with_timezone(&chrono::Utc))
        .x_twilio_webhook_enabled(true)
        .send(&conversations.client())
        .await
        .expect("Prism accepts the message request");
    assert!(message.sid.is_some());

    // The check can fail: requests our client would never send, made by
    // hand, are rejected by Prism's validation.
    let http = reqwest::Client::new();
    let too_big = http
        .get(format!("{}{INTERACTIONS_PATH}?PageSize=5000", proxy.url))
        .basic_auth(ACCOUNT_SID, Some(AUTH_TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status().as_u16(), 422);
    let problem = too_big.text().await.unwrap();
    assert!(problem.contains("must be <= 1000"), "{problem}");

    let no_credentials = http
        .post(format!("{}{INTERACTIONS_PATH}", proxy.url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("Body=hi")
        .send()
        .await
        .unwrap();
    assert_eq!(no_credentials.status().as_u16(), 401);

    // The client reports Prism's rejections as typed API errors: a SID that
    // passes our pattern check but names a path Prism does not know.
    let wrong_path = client.execute(&NotInTheSpec).await;
    let Err(Error::Api(rejected)) = wrong_path else { panic!("expected an API error, got {wrong_path:?}") };
    assert_eq!(rejected.status, 404);
}

/// An operation that is not in the spec, to see Prism refuse it.
struct NotInTheSpec;

impl twilio_api::runtime::Operation for NotInTheSpec {
    type Output = serde_json::Value;

    fn request(&self) -> Result<twilio_api::runtime::Request<'_>, Error> {
        use twilio_api::runtime::{AuthScheme, Method, Request};
        Ok(Request::new(Method::GET, "", "/v1/NotInTheSpec", &[AuthScheme::Basic]))
    }
}
