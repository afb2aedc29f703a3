//! Contract test: the generated client against Stoplight Prism, a mock
//! server that validates every request against our OpenAPI specs and
//! answers with responses built from them.
//!
//! Prism comes from npm (`contract/package.json`, pinned in its lock file);
//! if it is not installed yet, this test installs it with `npm ci`. Each
//! spec gets its own Prism on a free port of 127.0.0.1.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use twilio_api::conversations_v1::CreateServiceConversationMessage;
use twilio_api::proxy_v1::{CreateMessageInteraction, ListMessageInteraction};
use common::prism::Prism;
use common::{ACCOUNT_SID, AUTH_TOKEN, INTERACTIONS_PATH, PARTICIPANT, SERVICE, SESSION, client_for};
use twilio_api::Error;

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

/// Prism mocking `spec` (a file of `specs/`).
fn start(spec: &str) -> Prism {
    Prism::start(&prism(), &workspace().join("specs").join(spec), Duration::from_secs(60)).unwrap()
}

#[tokio::test]
async fn seed_operations_pass_prism_validation_and_invalid_requests_do_not() {
    let proxy = start("twilio_proxy_v1.yaml");
    let client = client_for(&proxy.url);

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

    let conversations = start("twilio_conversations_v1.yaml");
    let message = CreateServiceConversationMessage::new("ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .author("support")
        .body("Hello from Rust")
        .attributes(r#"{"importance": "high"}"#)
        .date_created(chrono::DateTime::parse_from_rfc3339("2015-12-16T22:18:37Z").unwrap().with_timezone(&chrono::Utc))
        .x_twilio_webhook_enabled(true)
        .send(&client_for(&conversations.url))
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

/// A stand-in for Prism: a shell script that does what `body` says with
/// Prism's arguments (`$5` is the port).
fn fake_prism(name: &str, body: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    Command::new("chmod").arg("+x").arg(&path).status().unwrap();
    path
}

#[test]
fn a_prism_is_ready_only_once_it_says_it_listens_on_its_own_port() {
    let spec = workspace().join("specs/twilio_proxy_v1.yaml");
    // Exits at once, as Prism does when another process took its port;
    // every port is tried, and none is taken for this Prism's.
    let exits = fake_prism("prism-exits", "exit 1");
    let Err(why) = Prism::start(&exits, &spec, Duration::from_secs(10)) else { panic!("a Prism that exited was taken as listening") };
    assert!(why.starts_with("prism exited before listening on port "), "{why}");

    // Says it listens on another port: not this one.
    let elsewhere = fake_prism("prism-elsewhere", "echo \"Prism is listening on http://127.0.0.1:1\"; sleep 30");
    let Err(why) = Prism::start(&elsewhere, &spec, Duration::from_secs(1)) else { panic!("another port's line was taken for this one") };
    assert!(why.starts_with("prism did not listen within 1 s"), "{why}");

    let listens = fake_prism("prism-listens", "echo \"[CLI] start Prism is listening on http://127.0.0.1:$5\"; sleep 30");
    let mut prism = Prism::start(&listens, &spec, Duration::from_secs(10)).unwrap();
    assert!(prism.url.starts_with("http://127.0.0.1:"), "{}", prism.url);
    assert!(prism.is_answering());
    prism.stop();
    assert!(!prism.is_answering());
}
