//! Safe defaults and hooks through the public API: a stalled server ends
//! in a timeout without any setting, a deadline bounds retries, oversized
//! bodies fail cleanly, gzip is read, the User-Agent takes the app's name,
//! and hooks see (and change) every attempt.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use twilio_api::proxy_v1::ListMessageInteraction;
use twilio_api::runtime::DEFAULT_TIMEOUT;
use twilio_api::{Error, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn list() -> ListMessageInteraction {
    ListMessageInteraction::new(SERVICE, SESSION, PARTICIPANT)
}

/// A server that accepts connections and reads requests but never answers.
async fn silent_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    format!("http://{address}")
}

// Time is paused: the runtime jumps ahead whenever nothing is ready (the
// server is in this runtime and never answers), so the 30 s default passes
// at once.
#[tokio::test(start_paused = true)]
async fn a_server_that_never_answers_times_out_under_the_defaults() {
    let client = client_for(&silent_server().await);
    match list().send(&client).await {
        Err(Error::Timeout { after }) => assert_eq!(after, DEFAULT_TIMEOUT),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_deadline_bounds_all_attempts_of_a_call_together() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let policy = RetryPolicy::default().max_retries(50).initial_delay(Duration::from_millis(20)).max_delay(Duration::from_millis(40));
    let deadline = Duration::from_millis(400);
    let client = builder_for(&server.uri()).retry(policy).deadline(deadline).build().unwrap();
    match list().send(&client).await {
        Err(Error::Timeout { after }) => assert_eq!(after, deadline),
        other => panic!("expected the deadline, got {other:?}"),
    }
    let attempts = server.received_requests().await.unwrap().len();
    assert!((2..50).contains(&attempts), "{attempts} attempts");
}

#[tokio::test]
async fn a_body_over_the_limit_fails_cleanly_and_one_at_the_limit_is_read() {
    let server = MockServer::start().await;
    let page = serde_json::json!({"interactions": [], "meta": {"key": "interactions", "url": "x".repeat(1000)}});
    let length = serde_json::to_vec(&page).unwrap().len() as u64;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(&page)).mount(&server).await;

    let tight = builder_for(&server.uri()).max_response_bytes(length - 1).build().unwrap();
    match list().send(&tight).await {
        Err(error @ Error::ResponseTooLarge { .. }) => {
            assert_eq!(error.to_string(), format!("the response body is longer than {} bytes", length - 1));
        }
        other => panic!("expected the size limit, got {other:?}"),
    }
    let exact = builder_for(&server.uri()).max_response_bytes(length).build().unwrap();
    assert!(list().send(&exact).await.unwrap().interactions.unwrap().is_empty());
}

/// `{"interactions":[{"sid":"KIaaa…"}],"meta":{"page":0,"page_size":50,"key":"interactions"}}`
/// compressed by Python's `gzip.compress(body, mtime=0)`.
const GZIPPED_PAGE: [u8; 90] = [
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0x56, 0xca, 0xcc, 0x2b, 0x49, 0x2d, 0x4a, 0x4c, 0x2e, 0xc9, 0xcc,
    0xcf, 0x2b, 0x56, 0xb2, 0x8a, 0xae, 0x56, 0x2a, 0xce, 0x4c, 0x51, 0xb2, 0x52, 0xf2, 0xf6, 0x4c, 0x24, 0x00, 0x94, 0x6a, 0x63, 0x75,
    0x94, 0x72, 0x53, 0x4b, 0x12, 0x95, 0xac, 0xaa, 0x95, 0x0a, 0x12, 0xd3, 0x53, 0x95, 0xac, 0x0c, 0x74, 0xc0, 0x8c, 0xf8, 0xe2, 0xcc,
    0x2a, 0x20, 0xcf, 0x14, 0xc8, 0xcd, 0x4e, 0xad, 0x04, 0x1a, 0x86, 0x62, 0x47, 0x6d, 0x2d, 0x00, 0xa3, 0x1f, 0x4b, 0xed, 0x75, 0x00,
    0x00, 0x00,
];

#[tokio::test]
async fn gzip_is_asked_for_and_read_and_the_app_names_itself_in_the_user_agent() {
    let server = MockServer::start().await;
    let gzipped = ResponseTemplate::new(200)
        .insert_header("content-encoding", "gzip")
        .insert_header("content-type", "application/json")
        .set_body_bytes(GZIPPED_PAGE.to_vec());
    Mock::given(method("GET")).and(path(INTERACTIONS_PATH)).respond_with(gzipped).mount(&server).await;
    let client = builder_for(&server.uri()).user_agent_extension("my-app/1.2").build().unwrap();
    let page = list().send(&client).await.unwrap();
    assert_eq!(page.interactions.unwrap()[0].sid.as_deref(), Some("KIaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));

    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(header(sent, "accept-encoding"), Some("gzip"));
    let agents: Vec<_> = sent.headers.get_all("user-agent").iter().map(|v| v.to_str().unwrap()).collect();
    assert_eq!(agents.len(), 1);
    assert!(agents[0].starts_with("twilio-api/") && agents[0].ends_with(" my-app/1.2"), "{agents:?}");
}

#[tokio::test]
async fn hooks_see_every_attempt_and_may_change_the_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(429)).up_to_n_times(2).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("proxy_message_interaction_list.json")))
        .mount(&server)
        .await;
    let requests = Arc::new(AtomicU32::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (counted, log) = (requests.clone(), seen.clone());
    let client = builder_for(&server.uri())
        .retry(RetryPolicy::default().max_retries(3).initial_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(5)))
        .on_request(move |request| {
            let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
            request.headers_mut().insert("x-attempt", n.to_string().parse().unwrap());
        })
        .on_response(move |attempt| {
            let status = attempt.response.map(|(status, _)| status);
            log.lock().unwrap().push((attempt.operation, attempt.method.to_string(), attempt.number, status, attempt.url.path().to_owned()));
        })
        .build()
        .unwrap();
    list().send(&client).await.unwrap();

    assert_eq!(requests.load(Ordering::SeqCst), 3);
    let interactions = INTERACTIONS_PATH.to_owned();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            ("ListMessageInteraction", "GET".to_owned(), 1, Some(429), interactions.clone()),
            ("ListMessageInteraction", "GET".to_owned(), 2, Some(429), interactions.clone()),
            ("ListMessageInteraction", "GET".to_owned(), 3, Some(200), interactions),
        ]
    );
    let sent: Vec<String> = server.received_requests().await.unwrap().iter().map(|r| header(r, "x-attempt").unwrap().to_owned()).collect();
    assert_eq!(sent, ["1", "2", "3"]);
}
