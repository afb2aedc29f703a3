//! Wire tests: the generated client against a real HTTP server on 127.0.0.1.
//! Each test asserts the bytes that go out and decodes responses taken from
//! Twilio's API reference (`tests/fixtures/`).

mod common;

use common::{ACCOUNT_SID, AUTH_TOKEN, INTERACTIONS_PATH, PARTICIPANT, SERVICE, SESSION, basic_auth, client_for, fixture, header};
use futures::TryStreamExt;
use twilio_api::conversations_v1::{CreateServiceConversationMessage, ServiceConversationMessage};
use twilio_api::proxy_v1::{
    CreateMessageInteraction, ListMessageInteraction, MessageInteractionEnumResourceStatus,
    MessageInteractionEnumType,
};
use twilio_api::{Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const MESSAGES_PATH: &str = "/v1/Services/ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Messages";

/// The one request the server received.
async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "expected exactly one request, got {received:?}");
    received.remove(0)
}

#[tokio::test]
async fn create_message_interaction_sends_form_with_repeated_media_urls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(INTERACTIONS_PATH))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture("proxy_message_interaction.json")))
        .mount(&server)
        .await;

    let created = CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT)
        .body("some message & more")
        .media_url(["https://example.com/a.png", "https://example.com/b c.png"])
        .send(&client_for(&server.uri()))
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), INTERACTIONS_PATH);
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "authorization"), Some(basic_auth(ACCOUNT_SID, AUTH_TOKEN).as_str()));
    assert_eq!(header(&request, "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(header(&request, "accept"), Some("application/json"));
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        "Body=some+message+%26+more&MediaUrl=https%3A%2F%2Fexample.com%2Fa.png&MediaUrl=https%3A%2F%2Fexample.com%2Fb+c.png"
    );

    assert_eq!(created.sid.as_deref(), Some("KIaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    assert_eq!(created.r#type, Some(MessageInteractionEnumType::Message));
    assert_eq!(created.outbound_resource_status, Some(MessageInteractionEnumResourceStatus::Sent));
    // The reference example sends null for fields the schema does not mark nullable.
    assert_eq!(created.inbound_resource_status, None);
    assert_eq!(created.data.as_deref(), Some(r#"{"body":"some message"}"#));
    assert_eq!(created.date_created.unwrap().to_rfc3339(), "2015-07-30T20:00:00+00:00");
}

#[tokio::test]
async fn create_accepts_200_as_well_as_201_and_omits_unset_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("proxy_message_interaction.json")))
        .mount(&server)
        .await;

    let created = CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).send(&client_for(&server.uri())).await.unwrap();
    assert_eq!(created.session_sid.as_deref(), Some(SESSION));

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(request.body, b"");
}

#[tokio::test]
async fn list_message_interactions_sends_page_size_and_decodes_the_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INTERACTIONS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("proxy_message_interaction_list.json")))
        .mount(&server)
        .await;

    let page = ListMessageInteraction::new(SERVICE, SESSION, PARTICIPANT)
        .page_size(20)
        .send(&client_for(&server.uri()))
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.query(), Some("PageSize=20"));
    assert_eq!(header(&request, "authorization"), Some(basic_auth(ACCOUNT_SID, AUTH_TOKEN).as_str()));
    assert_eq!(header(&request, "content-type"), None);
    assert!(request.body.is_empty());

    let interactions = page.interactions.unwrap();
    assert_eq!(interactions.len(), 1);
    assert_eq!(interactions[0].inbound_resource_status, Some(MessageInteractionEnumResourceStatus::Accepted));
    let meta = page.meta.unwrap();
    assert_eq!(meta.page, Some(42));
    assert_eq!(meta.next_page_url.as_deref(), Some("https://example.com"));
}

#[tokio::test]
async fn create_service_conversation_message_sends_header_dates_and_json_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture("conversations_message_with_media.json")))
        .mount(&server)
        .await;

    let created: chrono::DateTime<chrono::Utc> = "2015-12-16T22:18:37Z".parse().unwrap();
    let updated: chrono::DateTime<chrono::Utc> = "2015-12-16T22:18:38Z".parse().unwrap();
    let message: ServiceConversationMessage =
        CreateServiceConversationMessage::new("ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            .x_twilio_webhook_enabled(true)
            .author("message author")
            .body("Hello")
            .date_created(created)
            .date_updated(updated)
            .attributes(r#"{ "importance": "high" }"#)
            .media_sid("MEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            .send(&client_for(&server.uri()))
            .await
            .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), MESSAGES_PATH);
    assert_eq!(header(&request, "x-twilio-webhook-enabled"), Some("true"));
    assert_eq!(header(&request, "authorization"), Some(basic_auth(ACCOUNT_SID, AUTH_TOKEN).as_str()));
    assert_eq!(header(&request, "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        "Author=message+author&Body=Hello&DateCreated=2015-12-16T22%3A18%3A37Z&DateUpdated=2015-12-16T22%3A18%3A38Z\
         &Attributes=%7B+%22importance%22%3A+%22high%22+%7D&MediaSid=MEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    );

    assert_eq!(message.sid.as_deref(), Some("IMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    assert_eq!(message.index, Some(0));
    assert_eq!(message.body, None);
    let media = message.media.unwrap();
    assert_eq!(media[0].size, Some(42056));
    assert_eq!(media[0].content_type.as_deref(), Some("image/jpeg"));
    let delivery = message.delivery.unwrap();
    assert_eq!((delivery.total, delivery.sent.as_deref()), (Some(2), Some("all")));
    let links = message.links.unwrap();
    assert!(links["delivery_receipts"].ends_with("/Messages/IMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Receipts"));
    assert_eq!(message.date_updated, Some(updated.fixed_offset()));
}

#[tokio::test]
async fn webhook_header_is_only_sent_when_set() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture("conversations_message.json")))
        .mount(&server)
        .await;

    let client = client_for(&server.uri());
    let request = CreateServiceConversationMessage::new("ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "my conversation");
    request.send(&client).await.unwrap();
    request.clone().x_twilio_webhook_enabled(false).send(&client).await.unwrap();

    let received = server.received_requests().await.unwrap();
    assert_eq!(header(&received[0], "x-twilio-webhook-enabled"), None);
    assert_eq!(header(&received[1], "x-twilio-webhook-enabled"), Some("false"));
    // A conversation's unique name is escaped as one path segment.
    assert_eq!(received[0].url.path(), "/v1/Services/ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Conversations/my%20conversation/Messages");
}

#[tokio::test]
async fn unknown_enum_values_decode_and_round_trip() {
    let server = MockServer::start().await;
    let mut body = fixture("proxy_message_interaction.json");
    body["outbound_resource_status"] = "teleported".into();
    body["type"] = "hologram".into();
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201).set_body_json(body)).mount(&server).await;

    let created = CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).send(&client_for(&server.uri())).await.unwrap();
    let status = created.outbound_resource_status.clone().unwrap();
    assert_eq!(status, MessageInteractionEnumResourceStatus::Unrecognized("teleported".into()));
    assert_eq!(status.as_str(), "teleported");
    assert_eq!(status.to_string(), "teleported");

    let encoded = serde_json::to_value(&created).unwrap();
    assert_eq!(encoded["outbound_resource_status"], "teleported");
    assert_eq!(encoded["type"], "hologram");
    assert_eq!(serde_json::from_value::<twilio_api::proxy_v1::MessageInteraction>(encoded).unwrap(), created);
}

#[tokio::test]
async fn twilio_error_json_becomes_a_typed_api_error() {
    let server = MockServer::start().await;
    let body = serde_json::json!({
        "code": 20404,
        "message": "The requested resource was not found",
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 400
    });
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(400).set_body_json(body)).mount(&server).await;

    let error = CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).send(&client_for(&server.uri())).await.unwrap_err();
    let Error::Api(api) = &error else { panic!("expected an API error, got {error:?}") };
    assert_eq!(api.status, 400);
    assert_eq!(api.code, Some(20404));
    assert_eq!(api.message.as_deref(), Some("The requested resource was not found"));
    assert_eq!(api.more_info.as_deref(), Some("https://www.twilio.com/docs/errors/20404"));
    assert!(error.to_string().contains("code 20404"), "{error}");
}

#[tokio::test]
async fn html_error_page_becomes_an_api_error_with_the_raw_body() {
    let server = MockServer::start().await;
    let html = "<html><body><h1>503 Service Unavailable</h1></body></html>";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_raw(html, "text/html"))
        .mount(&server)
        .await;

    let error = ListMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).send(&client_for(&server.uri())).await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status, 503);
    assert_eq!(api.code, None);
    assert_eq!(api.body, html);
}

#[tokio::test]
async fn success_body_that_does_not_match_the_schema_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("{\"sid\": 42}", "application/json"))
        .mount(&server)
        .await;

    let error = CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).send(&client_for(&server.uri())).await.unwrap_err();
    match error {
        Error::Decode { status, body, .. } => assert_eq!((status, body.as_str()), (201, "{\"sid\": 42}")),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_arguments_are_rejected_before_anything_is_sent() {
    let server = MockServer::start().await;
    let client = client_for(&server.uri());

    let bad_sid = CreateMessageInteraction::new("KS123", SESSION, PARTICIPANT).send(&client).await.unwrap_err();
    match &bad_sid {
        Error::InvalidArgument { name, .. } => assert_eq!(*name, "ServiceSid"),
        other => panic!("expected an invalid argument, got {other:?}"),
    }
    // Right length, wrong prefix: the pattern catches it.
    let wrong_kind = ListMessageInteraction::new(SERVICE, "KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", PARTICIPANT);
    let error = wrong_kind.send(&client).await.unwrap_err();
    assert!(error.to_string().contains("`SessionSid`"), "{error}");
    let too_big = ListMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).page_size(1001);
    assert!(matches!(too_big.send(&client).await, Err(Error::InvalidArgument { name, .. }) if name == "PageSize"));
    let bad_media = CreateServiceConversationMessage::new("ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "CH1").media_sid("ME1");
    assert!(matches!(bad_media.send(&client).await, Err(Error::InvalidArgument { name, .. }) if name == "MediaSid"));
    // Streams validate too, before their first request.
    let mut stream = too_big.stream(&client);
    assert!(matches!(stream.try_next().await, Err(Error::InvalidArgument { name, .. }) if name == "PageSize"));

    assert!(server.received_requests().await.unwrap().is_empty());
}

fn page(items: &[&str], next: Option<String>) -> serde_json::Value {
    let mut template = fixture("proxy_message_interaction_list.json");
    let item = template["interactions"][0].clone();
    template["interactions"] = items
        .iter()
        .map(|sid| {
            let mut i = item.clone();
            i["sid"] = (*sid).into();
            i
        })
        .collect();
    template["meta"]["next_page_url"] = next.map_or(serde_json::Value::Null, Into::into);
    template
}

#[tokio::test]
async fn stream_follows_next_page_url_across_three_pages_on_the_same_host() {
    let server = MockServer::start().await;
    // Twilio's links are absolute and name Twilio's host; the client keeps
    // only path and query and stays on the host it was configured with.
    let link = |n: u32| format!("https://proxy.twilio.com{INTERACTIONS_PATH}?PageSize=2&Page={n}&PageToken=PT{n}");
    let pages = [
        (None, page(&["KI1", "KI2"], Some(link(1)))),
        (Some("1"), page(&["KI3", "KI4"], Some(link(2)))),
        (Some("2"), page(&["KI5"], None)),
    ];
    for (number, body) in pages {
        let mut mock = Mock::given(method("GET")).and(path(INTERACTIONS_PATH));
        mock = match number {
            Some(n) => mock.and(wiremock::matchers::query_param("Page", n)),
            None => mock.and(wiremock::matchers::query_param_is_missing("Page")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body)).expect(1).mount(&server).await;
    }

    let client = client_for(&server.uri());
    let sids: Vec<String> = ListMessageInteraction::new(SERVICE, SESSION, PARTICIPANT)
        .page_size(2)
        .stream(&client)
        .map_ok(|i| i.sid.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sids, ["KI1", "KI2", "KI3", "KI4", "KI5"]);

    let received = server.received_requests().await.unwrap();
    let queries: Vec<_> = received.iter().map(|r| r.url.query().unwrap_or_default().to_owned()).collect();
    assert_eq!(queries, ["PageSize=2", "PageSize=2&Page=1&PageToken=PT1", "PageSize=2&Page=2&PageToken=PT2"]);
    for request in &received {
        assert_eq!(header(request, "authorization"), Some(basic_auth(ACCOUNT_SID, AUTH_TOKEN).as_str()));
        assert_eq!(request.url.path(), INTERACTIONS_PATH);
    }
}

#[tokio::test]
async fn stream_stops_at_the_first_error() {
    let server = MockServer::start().await;
    let next = format!("{INTERACTIONS_PATH}?Page=1");
    Mock::given(method("GET"))
        .and(wiremock::matchers::query_param_is_missing("Page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["KI1"], Some(next))))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::query_param("Page", "1"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;

    let client = client_for(&server.uri());
    let mut stream = ListMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).stream(&client);
    assert_eq!(stream.try_next().await.unwrap().unwrap().sid.as_deref(), Some("KI1"));
    let error = stream.try_next().await.unwrap_err();
    assert_eq!(error.api().map(|e| e.status), Some(500));
    assert!(stream.try_next().await.unwrap().is_none());
}

#[test]
fn credentials_are_redacted_in_debug_output() {
    let client = Client::new(ACCOUNT_SID, AUTH_TOKEN).unwrap();
    let debug = format!("{client:?}");
    assert!(debug.contains(ACCOUNT_SID), "{debug}");
    assert!(!debug.contains(AUTH_TOKEN), "{debug}");
}
