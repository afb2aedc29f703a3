//! An app's unit tests written only against `twilio_api::test_util`: no
//! server, no network, no JSON by hand. The "app" is `relay` below, as an
//! app would write it.

use std::time::Duration;

use serde_json::json;
use twilio_api::proxy_v1::{CreateMessageInteraction, ListMessageInteraction, ListMessageInteractionResponse, MessageInteraction};
use twilio_api::test_util::Mock;
use twilio_api::{Client, Error};

const SERVICE: &str = "KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const SESSION: &str = "KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const PARTICIPANT: &str = "KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// The app's code under test: relays a text to a participant and says
/// which interaction carried it; a participant who opted out (Twilio's
/// error 80607, say) is reported as such.
async fn relay(client: &Client, text: &str) -> Result<String, String> {
    let sent = CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).body(text).send(client).await;
    match sent {
        Ok(interaction) => Ok(interaction.sid.unwrap_or_default()),
        Err(Error::Api(e)) if e.code == Some(80607) => Err("opted out".to_owned()),
        Err(e) => Err(format!("failed: {e}")),
    }
}

fn interaction(sid: &str) -> MessageInteraction {
    // Models are `#[non_exhaustive]`; under `test-util` they have `Default`.
    let mut interaction = MessageInteraction::default();
    interaction.sid = Some(sid.to_owned());
    interaction
}

#[tokio::test]
async fn answers_go_by_operation_in_order_and_every_request_is_recorded() {
    let mock = Mock::new();
    mock.on::<CreateMessageInteraction>().once().returns(interaction("KI1"));
    mock.on::<CreateMessageInteraction>().once().fails(400, json!({"code": 80607, "message": "Participant opted out", "status": 400}));
    mock.on::<CreateMessageInteraction>().returns(interaction("KI3"));
    let client = mock.client();

    assert_eq!(relay(&client, "Your driver is here").await, Ok("KI1".to_owned()));
    assert_eq!(relay(&client, "Still there?").await, Err("opted out".to_owned()));
    assert_eq!(relay(&client, "Bye").await, Ok("KI3".to_owned()));
    assert_eq!(relay(&client, "Bye again").await, Ok("KI3".to_owned()));

    let requests = mock.requests();
    assert_eq!(requests.len(), 4);
    let first = &requests[0];
    assert_eq!(first.operation, "CreateMessageInteraction");
    assert_eq!(first.method.as_str(), "POST");
    assert_eq!(first.path, format!("/v1/Services/{SERVICE}/Sessions/{SESSION}/Participants/{PARTICIPANT}/MessageInteractions"));
    assert!(first.query.is_empty());
    assert_eq!(first.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert!(first.header("authorization").is_some_and(|v| v.starts_with("Basic ")));
    assert_eq!(&first.body[..], b"Body=Your+driver+is+here");
    assert_eq!(requests[1].form_value("Body").as_deref(), Some("Still there?"));
}

#[tokio::test]
async fn answers_go_by_rule_and_a_request_nobody_answers_fails_clearly() {
    let mock = Mock::new();
    let mut page = ListMessageInteractionResponse::default();
    page.interactions = Some(vec![interaction("KI7")]);
    mock.on::<ListMessageInteraction>().when(|request| request.query.iter().any(|(k, v)| k == "PageSize" && v == "7")).returns(page);
    let client = mock.client();

    let list = ListMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).page_size(7);
    let found = list.send(&client).await.unwrap();
    assert_eq!(found.interactions.unwrap()[0].sid.as_deref(), Some("KI7"));

    // No rule fits another page size, and none answers another operation.
    let error = ListMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).page_size(8).send(&client).await.unwrap_err();
    assert!(error.to_string().contains("no answer left for ListMessageInteraction GET"), "{error}");
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn answers_come_after_a_delay_or_not_at_all() {
    let mock = Mock::new();
    mock.on::<CreateMessageInteraction>().once().after(Duration::from_secs(2)).returns(interaction("KI1"));
    mock.on::<CreateMessageInteraction>().once().after(Duration::from_secs(60)).returns(interaction("KI2"));
    mock.on::<CreateMessageInteraction>().once().times_out();
    let client = mock.builder().timeout(Duration::from_secs(5)).build().unwrap();

    let started = tokio::time::Instant::now();
    assert_eq!(relay(&client, "one").await, Ok("KI1".to_owned()));
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    // Longer than the client's timeout, and a timeout outright.
    for _ in 0..2 {
        let error = CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).send(&client).await.unwrap_err();
        assert!(matches!(error, Error::Timeout { after } if after == Duration::from_secs(5)), "{error:?}");
    }
}
