//! Wire tests of the runtime: credentials, environment, hosts, User-Agent,
//! timeouts, retries, errors, paging limits, redaction and tracing. Servers
//! run on 127.0.0.1; each test asserts what went out.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

use common::{
    ACCOUNT_SID, AUTH_TOKEN, INTERACTIONS_PATH, PARTICIPANT, SERVICE, SESSION, basic_auth, builder_for, client_for, fixture, header,
};
use futures::TryStreamExt;
use twilio_api::proxy_v1::{CreateMessageInteraction, ListMessageInteraction};
use twilio_api::runtime::Credentials;
use twilio_api::{Client, ClientBuilder, Error, RetryPolicy};
use wiremock::matchers::{body_string, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn list() -> ListMessageInteraction {
    ListMessageInteraction::new(SERVICE, SESSION, PARTICIPANT)
}

async fn mount_interaction(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(INTERACTIONS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("proxy_message_interaction_list.json")))
        .mount(server)
        .await;
}

// --- credentials ---

#[tokio::test]
async fn each_kind_of_credentials_sends_its_authorization_header() {
    let server = MockServer::start().await;
    mount_interaction(&server).await;
    let kinds = [
        (ClientBuilder::default().auth_token(ACCOUNT_SID, AUTH_TOKEN), basic_auth(ACCOUNT_SID, AUTH_TOKEN)),
        (ClientBuilder::default().api_key(ACCOUNT_SID, "SKbbbb", "key-secret"), basic_auth("SKbbbb", "key-secret")),
        (ClientBuilder::default().basic_auth("user", "pw"), basic_auth("user", "pw")),
    ];
    for (builder, expected) in kinds {
        let client = builder.base_url(server.uri()).build().unwrap();
        list().send(&client).await.unwrap();
        let sent = server.received_requests().await.unwrap().pop().unwrap();
        assert_eq!(header(&sent, "authorization"), Some(expected.as_str()));
    }
    let api_key = ClientBuilder::default().api_key(ACCOUNT_SID, "SKbbbb", "key-secret").build().unwrap();
    assert_eq!(api_key.account_sid(), Some(ACCOUNT_SID), "an API key still names its account");
}

#[tokio::test]
async fn bearer_credentials_only_go_to_operations_that_accept_them() {
    let server = MockServer::start().await;
    mount_interaction(&server).await;
    let client = Client::builder().bearer_token("tok").base_url(server.uri()).build().unwrap();
    // The Proxy spec declares basic auth only: nothing is sent.
    match list().send(&client).await {
        Err(Error::Config(message)) => assert!(message.contains("Basic"), "{message}"),
        other => panic!("expected a configuration error, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn oauth2_client_credentials_fetch_one_token_and_reuse_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/token"))
        .and(body_string("grant_type=client_credentials&client_id=my+client&client_secret=cc%26secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "eyJ.access.token", "token_type": "Bearer", "expires_in": 3600
        })))
        .expect(1)
        .mount(&server)
        .await;
    let (credentials, token) = (
        Credentials::ClientCredentials { client_id: "my client".into(), client_secret: "cc&secret".into(), token_url: None },
        "Bearer eyJ.access.token",
    );
    let client = Client::builder().credentials(credentials).base_url(server.uri()).build().unwrap();

    // Neither of this repository's specs declares bearer auth (Twilio's
    // iam and oauth specs do), so a hand-made operation stands in.
    Mock::given(method("GET"))
        .and(path("/v1/Things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    for _ in 0..2 {
        let body = client.execute(&BearerOperation).await.unwrap();
        assert_eq!(body, serde_json::json!({"ok": true}));
    }
    let sent = server.received_requests().await.unwrap();
    let calls: Vec<_> = sent.iter().filter(|r| r.url.path() != "/v2/token").collect();
    assert_eq!(calls.len(), 2);
    assert!(calls.iter().all(|r| header(r, "authorization") == Some(token)));
}

#[tokio::test]
async fn oauth2_client_credentials_are_exchanged_at_the_specs_token_url() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(wiremock::matchers::query_param("audience", "api"))
        .and(body_string("grant_type=client_credentials&client_id=id-1&client_secret=s-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": "from.spec", "expires_in": 600})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    // The spec's token URL, on the base URL's host as every request is.
    let client = Client::builder().oauth2_client_credentials("id-1", "s-1").base_url(server.uri()).build().unwrap();
    client.execute(&Secured(&[OAUTH2])).await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(header(&sent[1], "authorization"), Some("Bearer from.spec"));
}

const OAUTH2: twilio_api::runtime::AuthScheme =
    twilio_api::runtime::AuthScheme::OAuth2 { token_url: "https://auth.example.com/oauth/token?audience=api" };

/// An operation that accepts only bearer tokens, as some Twilio specs declare.
struct BearerOperation;

impl twilio_api::runtime::Operation for BearerOperation {
    type Output = serde_json::Value;

    fn request(&self) -> Result<twilio_api::runtime::Request<'_>, Error> {
        use twilio_api::runtime::{AuthScheme, Method, Request};
        Ok(Request::new(Method::GET, "https://iam.twilio.com", "/v1/Things", &[AuthScheme::Bearer]))
    }
}

/// An operation that accepts what the spec lists in `auth` (generated code
/// writes the same list).
struct Secured(&'static [twilio_api::runtime::AuthScheme]);

impl twilio_api::runtime::Operation for Secured {
    type Output = serde_json::Value;

    fn request(&self) -> Result<twilio_api::runtime::Request<'_>, Error> {
        use twilio_api::runtime::{Method, Request};
        Ok(Request::new(Method::GET, "https://api.example.com", "/things", self.0))
    }
}

#[tokio::test]
async fn api_keys_go_in_header_query_or_cookie_and_other_http_schemes_in_authorization() {
    use twilio_api::runtime::{AuthScheme, KeyIn};
    const HEADER: AuthScheme = AuthScheme::ApiKey { scheme: "header_key", name: "X-Api-Key", location: KeyIn::Header };
    const QUERY: AuthScheme = AuthScheme::ApiKey { scheme: "query_key", name: "api_key", location: KeyIn::Query };
    const COOKIE: AuthScheme = AuthScheme::ApiKey { scheme: "cookie_key", name: "session", location: KeyIn::Cookie };
    const DIGEST: AuthScheme = AuthScheme::Http { scheme: "signed", prefix: "Signature" };
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({}))).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .secret("header_key", "h-s3cr3t")
        .secret("query_key", "q-s3cr3t")
        .secret("cookie_key", "c-s3cr3t")
        .secret("signed", "keyId=1,sig=abc")
        .build()
        .unwrap();

    client.execute(&Secured(&[HEADER])).await.unwrap();
    client.execute(&Secured(&[QUERY])).await.unwrap();
    client.execute(&Secured(&[COOKIE])).await.unwrap();
    client.execute(&Secured(&[DIGEST])).await.unwrap();
    // One requirement naming two schemes: both go.
    client.execute(&Secured(&[AuthScheme::All(&[HEADER, QUERY])])).await.unwrap();
    // Alternatives: the first the client has a secret for.
    const MISSING: AuthScheme = AuthScheme::ApiKey { scheme: "not_given", name: "X-Other", location: KeyIn::Header };
    client.execute(&Secured(&[MISSING, COOKIE])).await.unwrap();

    let sent = server.received_requests().await.unwrap();
    assert_eq!(header(&sent[0], "x-api-key"), Some("h-s3cr3t"));
    assert_eq!((sent[0].url.query(), header(&sent[0], "authorization")), (None, None));
    assert_eq!(sent[1].url.query(), Some("api_key=q-s3cr3t"));
    assert_eq!(header(&sent[2], "cookie"), Some("session=c-s3cr3t"));
    assert_eq!(header(&sent[3], "authorization"), Some("Signature keyId=1,sig=abc"));
    assert_eq!((header(&sent[4], "x-api-key"), sent[4].url.query()), (Some("h-s3cr3t"), Some("api_key=q-s3cr3t")));
    assert_eq!((header(&sent[5], "x-other"), header(&sent[5], "cookie")), (None, Some("session=c-s3cr3t")));

    // What the client lacks is said before anything is sent; `{}` among
    // the requirements makes credentials optional.
    let error = client.execute(&Secured(&[MISSING])).await.unwrap_err();
    assert!(matches!(&error, Error::Config(message) if message.contains("not_given")), "{error:?}");
    client.execute(&Secured(&[MISSING, AuthScheme::Optional])).await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 7);
    assert_eq!((header(&sent[6], "x-other"), header(&sent[6], "authorization")), (None, None));

    let shown = format!("{client:?}");
    assert!(!shown.contains("s3cr3t") && !shown.contains("sig=abc"), "{shown}");
}

#[tokio::test]
async fn a_spec_without_security_sends_what_the_client_has_or_nothing() {
    use twilio_api::runtime::AuthScheme;
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({}))).mount(&server).await;
    let with_token = Client::builder().bearer_token("tok").base_url(server.uri()).build().unwrap();
    let without = Client::builder().base_url(server.uri()).build().unwrap();
    with_token.execute(&Secured(&[AuthScheme::Unspecified])).await.unwrap();
    without.execute(&Secured(&[AuthScheme::Unspecified])).await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(header(&sent[0], "authorization"), Some("Bearer tok"));
    assert_eq!(header(&sent[1], "authorization"), None);
}

/// Parameters in every query style and in cookies, written the way
/// generated code writes them.
struct Styled;

impl twilio_api::runtime::Operation for Styled {
    type Output = serde_json::Value;

    fn request(&self) -> Result<twilio_api::runtime::Request<'_>, Error> {
        use twilio_api::runtime::{Method, Request};
        static IDS: [i64; 3] = [1, 2, 3];
        static NONE: [i64; 0] = [];
        let tags = vec!["a b".to_owned(), "c".to_owned()];
        let mut request = Request::new(Method::GET, "https://api.example.com", "/search", &[]);
        request.query("exploded", &IDS);
        request.query_joined("commas", ",", &IDS);
        request.query_joined("spaces", " ", &IDS);
        request.query_joined("pipes", "|", &IDS);
        request.query_joined("none", ",", &NONE);
        request.query_deep("filter", Some(&serde_json::json!({"state": "open", "range": {"min": 1}, "tags": tags})))?;
        request.cookie("session", Some("s; 1"));
        request.cookie("theme", Some("dark"));
        Ok(request)
    }
}

#[tokio::test]
async fn query_styles_and_cookies_are_written_as_openapi_defines_them() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({}))).mount(&server).await;
    client_for(&server.uri()).execute(&Styled).await.unwrap();
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        sent.url.query(),
        Some(
            "exploded=1&exploded=2&exploded=3&commas=1%2C2%2C3&spaces=1+2+3&pipes=1%7C2%7C3\
             &filter%5Brange%5D%5Bmin%5D=1&filter%5Bstate%5D=open&filter%5Btags%5D=a+b&filter%5Btags%5D=c"
        )
    );
    assert_eq!(header(sent, "cookie"), Some("session=s%3B%201; theme=dark"));
}

/// An operation on a server with a variable, and one on a relative server.
struct OnServer(&'static str, &'static [twilio_api::runtime::ServerVariable]);

impl twilio_api::runtime::Operation for OnServer {
    type Output = serde_json::Value;

    fn request(&self) -> Result<twilio_api::runtime::Request<'_>, Error> {
        use twilio_api::runtime::{Method, Request};
        let mut request = Request::new(Method::GET, self.0, "/things", &[]);
        request.server_variables(self.1);
        Ok(request)
    }
}

#[tokio::test]
async fn server_variables_take_the_clients_values_and_relative_servers_sit_under_the_base_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({}))).mount(&server).await;
    let port = server.address().port().to_string();
    // `{port}` defaults to 1, where nothing listens; the client's value wins.
    let templated = OnServer("http://127.0.0.1:{port}/{version}", &[("port", "1", &[]), ("version", "v2", &["v2", "v3"])]);
    let client = Client::builder().server_variable("port", port).build().unwrap();
    client.execute(&templated).await.unwrap();
    let relative = OnServer("/api/v3", &[]);
    client_for(&server.uri()).execute(&relative).await.unwrap();
    let error = Client::builder().build().unwrap().execute(&relative).await.unwrap_err();
    assert!(matches!(&error, Error::Config(message) if message.contains("base URL")), "{error:?}");
    // A value the spec's `enum` does not allow is refused before sending.
    let other = Client::builder().server_variable("version", "v9").build().unwrap();
    let error = other.execute(&templated).await.unwrap_err();
    assert!(matches!(&error, Error::Config(message) if message.contains("\"v9\"") && message.contains("v3")), "{error:?}");

    let sent = server.received_requests().await.unwrap();
    let paths: Vec<&str> = sent.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/v2/things", "/api/v3/things"]);
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let clients = [
        Client::new(ACCOUNT_SID, AUTH_TOKEN).unwrap(),
        Client::builder().api_key(ACCOUNT_SID, "SKbbbb", AUTH_TOKEN).build().unwrap(),
        Client::builder().bearer_token(AUTH_TOKEN).build().unwrap(),
        Client::builder().oauth2_client_credentials("id", AUTH_TOKEN).build().unwrap(),
    ];
    for client in clients {
        let shown = format!("{client:?} {client:#?}");
        assert!(!shown.contains(AUTH_TOKEN), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}

#[test]
fn personal_data_marked_sensitive_is_redacted_in_debug_output() {
    let interaction: twilio_api::proxy_v1::MessageInteraction =
        serde_json::from_value(fixture("proxy_message_interaction.json")).unwrap();
    let data = interaction.data.clone().expect("the fixture has data");
    let shown = format!("{interaction:?}");
    assert!(!shown.contains(&data), "{shown}");
    assert!(shown.contains(r#"data: Some("<redacted>")"#), "{shown}");
    assert!(shown.contains(interaction.sid.as_deref().unwrap()), "other fields stay visible: {shown}");

    let message: twilio_api::conversations_v1::ServiceConversationMessage =
        serde_json::from_value(fixture("conversations_message.json")).unwrap();
    let shown = format!("{message:?}");
    assert!(!shown.contains(message.body.as_deref().unwrap()), "{shown}");
    assert!(shown.contains(r#"body: Some("<redacted>")"#), "{shown}");
}

// --- environment ---

/// `from_env` reads the real process environment; setting variables in this
/// process is not thread-safe, so a child process (this test binary, running
/// only the ignored `environment_child`) gets them instead.
#[test]
fn from_env_reads_account_api_key_region_and_edge() {
    let server_port = "1"; // nothing listens; the child only builds and inspects
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["environment_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("TWILIO_TEST_CHILD", server_port)
        .env("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
        .env("TWILIO_API_KEY", "SKenv")
        .env("TWILIO_API_SECRET", "env-secret")
        .env("TWILIO_AUTH_TOKEN", "unused-because-api-key-wins")
        .env("TWILIO_REGION", "au1")
        .env("TWILIO_EDGE", "sydney")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("1 passed"), "the child test ran: {stdout}");
}

/// Not a test on its own: the child process of
/// `from_env_reads_account_api_key_region_and_edge`, which gives it the
/// environment it checks.
#[tokio::test]
#[ignore = "run by from_env_reads_account_api_key_region_and_edge, in a child process with the environment it reads"]
async fn environment_child() {
    assert!(
        std::env::var_os("TWILIO_TEST_CHILD").is_some(),
        "run by `from_env_reads_account_api_key_region_and_edge`, which sets the environment this reads"
    );
    let client = Client::from_env().unwrap();
    assert_eq!(client.account_sid(), Some(ACCOUNT_SID));
    let shown = format!("{client:?}");
    assert!(shown.contains("SKenv") && !shown.contains("env-secret"), "{shown}");
    // Region and edge move the request to proxy.sydney.au1.twilio.com; the
    // name resolves to a closed local port, so the URL shows in the error.
    let error = request_url_via_closed_port(ClientBuilder::from_env().unwrap(), "proxy.sydney.au1.twilio.com").await;
    assert!(error.starts_with("https://proxy.sydney.au1.twilio.com/v1/Services/"), "{error}");
}

/// Sends a List call whose host resolves to a closed port on 127.0.0.1 and
/// returns the URL reqwest reports in the resulting error.
async fn request_url_via_closed_port(builder: ClientBuilder, host: &str) -> String {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap(); // dropped: closed
    let http = reqwest::Client::builder().resolve(host, closed).build().unwrap();
    let client = builder.http_client(http).timeout(Duration::from_secs(5)).build().unwrap();
    match list().send(&client).await {
        Err(Error::Transport(e)) => e.url().map(|u| u.to_string()).unwrap_or_default(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

// --- hosts ---

#[tokio::test]
async fn region_and_edge_rewrite_the_spec_host() {
    let cases = [
        (Some("au1"), Some("sydney"), "proxy.sydney.au1.twilio.com"),
        (None, Some("sydney"), "proxy.sydney.us1.twilio.com"),
        (Some("ie1"), None, "proxy.ie1.twilio.com"),
        (None, None, "proxy.twilio.com"),
    ];
    for (region, edge, host) in cases {
        let mut builder = Client::builder().auth_token(ACCOUNT_SID, AUTH_TOKEN);
        if let Some(region) = region {
            builder = builder.region(region);
        }
        if let Some(edge) = edge {
            builder = builder.edge(edge);
        }
        let url = request_url_via_closed_port(builder, host).await;
        assert!(url.starts_with(&format!("https://{host}/v1/Services/{SERVICE}/")), "{region:?} {edge:?}: {url}");
    }
}

// --- requests ---

#[tokio::test]
async fn requests_name_this_crate_platform_and_rust_and_accept_json() {
    let server = MockServer::start().await;
    mount_interaction(&server).await;
    let client = client_for(&server.uri());
    list().send(&client).await.unwrap();
    let sent = &server.received_requests().await.unwrap()[0];
    let agent = header(sent, "user-agent").unwrap();
    let expected_start = format!("twilio-api/{} ({} {}) rust/", env!("CARGO_PKG_VERSION"), std::env::consts::OS, std::env::consts::ARCH);
    assert!(agent.starts_with(&expected_start), "{agent}");
    assert_eq!(header(sent, "accept"), Some("application/json"));
}

#[tokio::test]
async fn timeouts_fire_client_wide_and_per_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INTERACTIONS_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("proxy_message_interaction_list.json"))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let slow_ok = client_for(&server.uri());
    let quick = builder_for(&server.uri()).timeout(Duration::from_millis(200)).build().unwrap();
    for client in [quick, slow_ok.with_timeout(Duration::from_millis(300))] {
        match list().send(&client).await {
            Err(e @ Error::Timeout { .. }) => assert!(e.to_string().starts_with("no response within"), "{e}"),
            other => panic!("expected a timeout, got {other:?}"),
        }
    }
}

// --- retries ---

async fn retrying_client(server: &MockServer, policy: RetryPolicy) -> Client {
    builder_for(&server.uri()).retry(policy).build().unwrap()
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_the_wait() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(INTERACTIONS_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1").set_body_json(serde_json::json!({
            "code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429
        })))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(INTERACTIONS_PATH))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture("proxy_message_interaction.json")))
        .mount(&server)
        .await;
    // The backoff alone would wait at most 1 ms; only Retry-After explains a 1 s wait.
    let policy = RetryPolicy::new().initial_delay(Duration::from_millis(1));
    let client = retrying_client(&server, policy).await;

    let began = Instant::now();
    CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).body("hi").send(&client).await.unwrap();
    let waited = began.elapsed();

    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2, "one 429, then the retry");
    assert_eq!(sent[0].body, sent[1].body, "the retry sends the same form");
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_returns_the_429_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INTERACTIONS_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "60"))
        .mount(&server)
        .await;
    let policy = RetryPolicy::new().max_retries(3).max_delay(Duration::from_secs(5));
    let client = retrying_client(&server, policy).await;
    let began = Instant::now();
    match list().send(&client).await {
        Err(Error::Api(e)) => assert_eq!((e.status, e.headers.get("retry-after").unwrap().to_str().unwrap()), (429, "60")),
        other => panic!("expected the 429, got {other:?}"),
    }
    assert!(began.elapsed() < Duration::from_secs(5), "it waited {:?}", began.elapsed());
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "asked to wait a minute, it does not retry early");
}

#[tokio::test]
async fn retries_stop_at_the_limit_and_return_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INTERACTIONS_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let client = retrying_client(&server, RetryPolicy::new().max_retries(2)).await;
    match list().send(&client).await {
        Err(Error::Api(e)) => assert_eq!(e.status, 429),
        other => panic!("expected the 429, got {other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 3);

    // Without a policy there are no retries at all, and a handle can turn
    // them off for one call.
    let plain = client_for(&server.uri());
    assert!(list().send(&plain).await.is_err());
    assert!(list().send(&client.with_retry(None)).await.is_err());
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

/// A server that reads each request and closes the connection without
/// answering; counts the connections.
async fn resetting_server() -> (String, Arc<AtomicUsize>) {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            drop(socket);
        }
    });
    (address, count)
}

#[tokio::test]
async fn a_post_is_not_resent_after_a_reset_unless_asked() {
    let fast = RetryPolicy::new().max_retries(2).initial_delay(Duration::from_millis(1));
    let create = CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).body("once");

    let (address, connections) = resetting_server().await;
    let client = builder_for(&address).retry(fast.clone()).build().unwrap();
    assert!(matches!(create.send(&client).await, Err(Error::Transport(_))));
    assert_eq!(connections.load(Ordering::SeqCst), 1, "the POST may have been processed: not resent");

    // A GET is safe to resend.
    assert!(matches!(list().send(&client).await, Err(Error::Transport(_))));
    assert_eq!(connections.load(Ordering::SeqCst), 4, "one GET and two retries");

    let (address, connections) = resetting_server().await;
    let brave = builder_for(&address).retry(fast.retry_non_idempotent(true)).build().unwrap();
    assert!(matches!(create.send(&brave).await, Err(Error::Transport(_))));
    assert_eq!(connections.load(Ordering::SeqCst), 3, "asked to: the POST and two retries");
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_post() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let client = builder_for(&format!("http://{closed}"))
        .retry(RetryPolicy::new().max_retries(2).initial_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let (subscriber, logs) = capture_logs();
    let _guard = tracing::subscriber::set_default(subscriber);
    let result = CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).send(&client).await;
    assert!(matches!(result, Err(Error::Transport(ref e)) if e.is_connect()), "{result:?}");
    let logs = logs.lock().unwrap().clone();
    assert_eq!(logs.matches("retrying").count(), 2, "{logs}");
    assert!(logs.contains("attempt=3"), "{logs}");
}

// --- errors ---

#[tokio::test]
async fn every_error_shape_is_typed_and_keeps_what_arrived() {
    let server = MockServer::start().await;
    let client = client_for(&server.uri());
    let respond = |template: ResponseTemplate| Mock::given(method("GET")).and(path(INTERACTIONS_PATH)).respond_with(template);

    // Twilio's error JSON, with the request id from the headers.
    let guard = respond(ResponseTemplate::new(404).insert_header("Twilio-Request-Id", "RQ123").set_body_json(serde_json::json!({
        "code": 20404, "message": "The requested resource was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404
    })))
    .mount_as_scoped(&server)
    .await;
    let Err(Error::Api(e)) = list().send(&client).await else { panic!("expected an API error") };
    assert_eq!((e.status, e.code, e.request_id()), (404, Some(20404), Some("RQ123")));
    drop(guard);

    // RFC 9457 problem details.
    let guard = respond(
        ResponseTemplate::new(400)
            .insert_header("Content-Type", "application/problem+json")
            .set_body_string(r#"{"type":"https://www.twilio.com/docs/errors/20001","title":"Bad Request","status":400,"detail":"Invalid PageSize"}"#),
    )
    .mount_as_scoped(&server)
    .await;
    let Err(Error::Api(e)) = list().send(&client).await else { panic!("expected an API error") };
    assert_eq!((e.message.as_deref(), e.title.as_deref()), (Some("Invalid PageSize"), Some("Bad Request")));
    drop(guard);

    // A 2xx that is not what the spec says: the raw text is kept.
    let guard = respond(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>")).mount_as_scoped(&server).await;
    let Err(Error::Decode { status, body, .. }) = list().send(&client).await else { panic!("expected a decode error") };
    assert_eq!((status, body.as_str()), (200, "<html>maintenance</html>"));
    drop(guard);

    // Bad arguments are caught before anything is sent.
    let before = server.received_requests().await.unwrap().len();
    let Err(Error::InvalidArgument { name, .. }) = ListMessageInteraction::new("not-a-sid", SESSION, PARTICIPANT).send(&client).await
    else {
        panic!("expected an invalid argument")
    };
    assert_eq!(name, "ServiceSid");
    assert_eq!(server.received_requests().await.unwrap().len(), before);

    // Nothing listening: a transport error.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let nowhere = client_for(&format!("http://{closed}"));
    assert!(matches!(list().send(&nowhere).await, Err(Error::Transport(_))));
}

#[tokio::test]
async fn status_and_headers_of_a_response_can_be_inspected() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INTERACTIONS_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Twilio-Request-Id", "RQabc")
                .set_body_json(fixture("proxy_message_interaction_list.json")),
        )
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let response = client.execute_with_response(&list()).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.headers.get("twilio-request-id").unwrap(), "RQabc");
    assert!(response.body.interactions.is_some());
}

// --- paging ---

/// A server with `total` interactions, served `PageSize` at a time through
/// `meta.next_page_url` (`Page=n`).
async fn paged_server(total: usize) -> MockServer {
    struct Pages(usize);
    impl wiremock::Respond for Pages {
        fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
            let query: std::collections::HashMap<String, String> = request.url.query_pairs().into_owned().collect();
            let size: usize = query.get("PageSize").and_then(|s| s.parse().ok()).unwrap_or(50);
            let page: usize = query.get("Page").and_then(|s| s.parse().ok()).unwrap_or(0);
            let mut body = fixture("proxy_message_interaction_list.json");
            let item = body["interactions"][0].clone();
            let items: Vec<_> = (page * size..((page + 1) * size).min(self.0))
                .map(|n| {
                    let mut i = item.clone();
                    i["sid"] = format!("KI{n:032}").into();
                    i
                })
                .collect();
            let next = ((page + 1) * size < self.0)
                .then(|| format!("https://proxy.twilio.com{INTERACTIONS_PATH}?PageSize={size}&Page={}", page + 1));
            body["interactions"] = items.into();
            body["meta"]["next_page_url"] = next.into();
            ResponseTemplate::new(200).set_body_json(body)
        }
    }
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(INTERACTIONS_PATH)).respond_with(Pages(total)).mount(&server).await;
    server
}

async fn page_sizes_requested(server: &MockServer) -> Vec<String> {
    let sent = server.received_requests().await.unwrap();
    sent.iter().map(|r| r.url.query().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn paging_follows_the_official_limit_and_page_size_rules() {
    // No limit, no page size: pages of 50, all of them.
    let server = paged_server(120).await;
    let client = client_for(&server.uri());
    let all: Vec<_> = list().stream(&client).try_collect().await.unwrap();
    assert_eq!(all.len(), 120);
    assert_eq!(page_sizes_requested(&server).await, ["PageSize=50", "PageSize=50&Page=1", "PageSize=50&Page=2"]);

    // Limit only: one page of min(limit, 1000), and nothing past the limit.
    let server = paged_server(120).await;
    let client = client_for(&server.uri());
    let some: Vec<_> = list().stream(&client).limit(70).try_collect().await.unwrap();
    assert_eq!(some.len(), 70);
    assert_eq!(page_sizes_requested(&server).await, ["PageSize=70"]);

    let server = paged_server(3000).await;
    let client = client_for(&server.uri());
    let many: Vec<_> = list().stream(&client).limit(1500).try_collect().await.unwrap();
    assert_eq!(many.len(), 1500);
    assert_eq!(page_sizes_requested(&server).await, ["PageSize=1000", "PageSize=1000&Page=1"]);

    // Limit and page size: pages as asked, and no page that would not be used.
    let server = paged_server(120).await;
    let client = client_for(&server.uri());
    let items: Vec<_> = list().page_size(20).stream(&client).limit(40).try_collect().await.unwrap();
    assert_eq!(items.len(), 40);
    assert_eq!(page_sizes_requested(&server).await, ["PageSize=20", "PageSize=20&Page=1"]);
    let via_stream: Vec<_> = list().stream(&client).page_size(30).limit(31).try_collect().await.unwrap();
    assert_eq!(via_stream.len(), 31);
    assert_eq!(page_sizes_requested(&server).await[2..], ["PageSize=30", "PageSize=30&Page=1"]);
}

#[tokio::test]
async fn pages_come_whole_one_leads_to_the_next_and_a_stored_link_resumes_the_list() {
    let server = paged_server(25).await;
    let client = client_for(&server.uri());
    let sids = |page: &twilio_api::proxy_v1::ListMessageInteractionResponse| -> Vec<String> {
        page.interactions.iter().flatten().map(|i| i.sid.clone().unwrap()).collect()
    };

    // A stream of pages, metadata and all.
    let pages: Vec<_> = client.pages(&list().page_size(10)).try_collect().await.unwrap();
    let sizes: Vec<usize> = pages.iter().map(|page| sids(page).len()).collect();
    assert_eq!(sizes, [10, 10, 5]);
    assert_eq!(pages[2].meta.as_ref().unwrap().next_page_url, None);

    // The next page from a page.
    let operation = list().page_size(10);
    let first = operation.send(&client).await.unwrap();
    let second = client.next_page(&operation, &first).await.unwrap().unwrap();
    assert_eq!(sids(&second), sids(&pages[1]));
    let third = client.next_page(&operation, &second).await.unwrap().unwrap();
    assert!(client.next_page(&operation, &third).await.unwrap().is_none());

    // A batch job stored the second page's next link; the list resumes there.
    let stored = second.meta.as_ref().unwrap().next_page_url.clone().unwrap();
    let rest: Vec<_> = client.resume(&list(), twilio_api::runtime::NextPage::Url(&stored)).try_collect().await.unwrap();
    let rest: Vec<String> = rest.into_iter().map(|i| i.sid.unwrap()).collect();
    assert_eq!(rest, sids(&pages[2]));
    let last = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(last.url.query(), Some("PageSize=10&Page=2"));
}

// --- tracing ---

/// A subscriber that writes span closings and events, with their fields,
/// into a shared string.
fn capture_logs() -> (impl tracing::Subscriber + Send + Sync, Arc<Mutex<String>>) {
    #[derive(Clone)]
    struct Writer(Arc<Mutex<String>>);
    impl std::io::Write for Writer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().push_str(&String::from_utf8_lossy(buf));
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let logs = Arc::new(Mutex::new(String::new()));
    let writer = Writer(logs.clone());
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    (subscriber, logs)
}

#[tokio::test]
async fn each_attempt_is_a_span_with_method_path_template_attempt_and_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(INTERACTIONS_PATH))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture("proxy_message_interaction.json")))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let (subscriber, logs) = capture_logs();
    let _guard = tracing::subscriber::set_default(subscriber);

    CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT)
        .body("call +15558675310 about the order")
        .send(&client)
        .await
        .unwrap();

    let logs = logs.lock().unwrap().clone();
    assert!(
        logs.contains(
            "twilio_request{method=POST path=/v1/Services/{ServiceSid}/Sessions/{SessionSid}/Participants/{ParticipantSid}/MessageInteractions attempt=1 status=201}"
        ),
        "{logs}"
    );
    for secret in [AUTH_TOKEN, "+15558675310", SERVICE] {
        assert!(!logs.contains(secret), "{secret} in {logs}");
    }
}
