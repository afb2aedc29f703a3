//! Wire tests against code generated from GitHub's official REST description
//! (`@octokit/openapi`, unedited), which `cargo xtask corpus` fetches and
//! generates as the module `github`. Each test asserts the bytes that go out
//! and decodes a response shaped like GitHub's: the spec's own examples
//! where it gives them.

use futures::TryStreamExt;
use twilio_api::github::{
    ActionsGetWorkflow, BasicError, DependabotListAlertsForEnterpriseHas, DependabotListAlertsForEnterpriseHasArrayItem,
    DependabotListAlertsForRepo, IntegerOrString, IssuesListForRepo, MarkdownRender, MarkdownRenderBody, ReposGet, ReposGetCodeFrequencyStats,
    ReposGetCodeFrequencyStatsResponse, ReposUploadReleaseAsset,
};
use twilio_api::runtime::Binary;
use twilio_api::{Client, Error};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "ghp_testtoken";

/// A client as a GitHub user makes one: a token, and the API version header
/// GitHub asks for (the spec declares no security scheme).
fn client(server: &MockServer) -> Client {
    Client::builder()
        .bearer_token(TOKEN)
        .default_header("X-GitHub-Api-Version", "2022-11-28")
        .base_url(server.uri())
        .build()
        .unwrap()
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

fn header<'r>(request: &'r wiremock::Request, name: &str) -> &'r str {
    request.headers.get(name).map(|v| v.to_str().unwrap()).unwrap_or_default()
}

/// The spec's example response for an operation and status: the first of
/// `examples` (or `example`) under `application/json`, through `$ref`s.
fn spec_example(path: &str, method: &str, status: &str) -> serde_json::Value {
    let file = format!("{}/../specs/github.json", env!("CARGO_MANIFEST_DIR"));
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let resolve = |value: &serde_json::Value| match value["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            doc.pointer(pointer).unwrap_or_else(|| panic!("{reference} does not resolve")).clone()
        }
        None => value.clone(),
    };
    let response = resolve(&doc["paths"][path][method]["responses"][status]);
    let content = &response["content"]["application/json"];
    match content["examples"].as_object() {
        Some(examples) => resolve(examples.values().next().unwrap())["value"].clone(),
        None => content["example"].clone(),
    }
}

#[tokio::test]
async fn lists_page_through_the_link_header_and_stop_at_the_limit() {
    let server = MockServer::start().await;
    let issues = spec_example("/repos/{owner}/{repo}/issues", "get", "200");
    let issue = issues[0].clone();
    let with_number = |n: u64| {
        let mut item = issue.clone();
        item["number"] = n.into();
        item
    };
    let next = |page: u32| format!(r#"<{}/repos/octo/hello/issues?per_page=2&page={page}>; rel="next", <{}/repos/octo/hello/issues?per_page=2&page=9>; rel="last""#, server.uri(), server.uri());
    Mock::given(method("GET"))
        .and(path("/repos/octo/hello/issues"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).insert_header("Link", next(3).as_str()).set_body_json(vec![with_number(3), with_number(4)]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo/hello/issues"))
        .respond_with(ResponseTemplate::new(200).insert_header("Link", next(2).as_str()).set_body_json(vec![with_number(1), with_number(2)]))
        .mount(&server)
        .await;

    let items: Vec<_> = IssuesListForRepo::new("octo", "hello").stream(&client(&server)).limit(3).try_collect().await.unwrap();
    assert_eq!(items.iter().map(|i| i.number).collect::<Vec<_>>(), [1, 2, 3]);

    // Two pages for three items: the first asks for pages of three, the
    // second is the `Link` header's URL as given; nothing after the limit.
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].url.query(), Some("per_page=3"));
    assert_eq!(sent[1].url.query(), Some("per_page=2&page=2"));
    for request in &sent {
        assert_eq!(header(request, "authorization"), format!("Bearer {TOKEN}"));
        assert_eq!(header(request, "x-github-api-version"), "2022-11-28");
        assert_eq!(header(request, "accept"), "application/json");
    }
}

#[tokio::test]
async fn a_release_asset_uploads_as_octet_stream_bytes() {
    let server = MockServer::start().await;
    let asset = spec_example("/repos/{owner}/{repo}/releases/{release_id}/assets", "post", "201");
    Mock::given(method("POST"))
        .and(path("/repos/octo/hello/releases/7/assets"))
        .respond_with(ResponseTemplate::new(201).set_body_json(&asset))
        .mount(&server)
        .await;

    let bytes: &[u8] = &[0x50, 0x4b, 0x03, 0x04, 0x00, 0xff];
    let created = ReposUploadReleaseAsset::new("octo", "hello", 7, "build.zip")
        .body(Binary::new(bytes))
        .send(&client(&server))
        .await
        .unwrap();
    assert_eq!(created.name, asset["name"].as_str().unwrap());

    let sent = &requests(&server).await[0];
    assert_eq!(sent.url.query(), Some("name=build.zip"));
    assert_eq!(header(sent, "content-type"), "application/octet-stream");
    assert_eq!(sent.body, bytes);

    // Bytes with a type of their own go with it.
    let typed = Binary::with_content_type(&b"PNG"[..], "image/png");
    ReposUploadReleaseAsset::new("octo", "hello", 7, "logo.png").body(typed).send(&client(&server)).await.unwrap();
    let sent = &requests(&server).await[1];
    assert_eq!((header(sent, "content-type"), &sent.body[..]), ("image/png", &b"PNG"[..]));
}

#[tokio::test]
async fn markdown_renders_to_html_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/markdown"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<p>Hello <strong>world</strong></p>\n", "text/html; charset=utf-8"))
        .mount(&server)
        .await;

    let body = MarkdownRenderBody { text: "Hello **world**".into(), mode: None, context: None };
    let html = MarkdownRender::new(body).send(&client(&server)).await.unwrap();
    assert_eq!(html, "<p>Hello <strong>world</strong></p>\n");

    let sent = &requests(&server).await[0];
    assert_eq!(header(sent, "accept"), "text/html");
    assert_eq!(header(sent, "content-type"), "application/json");
    assert_eq!(String::from_utf8(sent.body.clone()).unwrap(), r#"{"text":"Hello **world**"}"#);
}

#[tokio::test]
async fn statuses_with_different_bodies_decode_into_their_variants() {
    let server = MockServer::start().await;
    let stats = "/repos/octo/hello/stats/code_frequency";
    Mock::given(method("GET"))
        .and(path(stats))
        .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(stats))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([[1302998400, 1124, -435]])))
        .mount(&server)
        .await;

    let client = client(&server);
    let computing = ReposGetCodeFrequencyStats::new("octo", "hello").send(&client).await.unwrap();
    assert_eq!(computing, ReposGetCodeFrequencyStatsResponse::Accepted(serde_json::json!({})));
    let ready = ReposGetCodeFrequencyStats::new("octo", "hello").send(&client).await.unwrap();
    assert_eq!(ready, ReposGetCodeFrequencyStatsResponse::Ok(vec![vec![1302998400, 1124, -435]]));
}

#[tokio::test]
async fn a_404_body_decodes_into_the_error_type_the_spec_gives() {
    let server = MockServer::start().await;
    let body = serde_json::json!({
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
        "status": "404"
    });
    Mock::given(method("GET"))
        .and(path("/repos/octo/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(&body))
        .mount(&server)
        .await;

    let error = ReposGet::new("octo", "missing").send(&client(&server)).await.unwrap_err();
    let Error::Api(api) = &error else { panic!("expected an API error, got {error:?}") };
    assert_eq!(api.status, 404);
    let typed: BasicError = api.body_as().unwrap();
    assert_eq!(typed.message.as_deref(), Some("Not Found"));
    assert_eq!(typed.documentation_url.as_deref(), body["documentation_url"].as_str());
    assert_eq!(api.body, body.to_string());
}

/// Values of more than one type (`oneOf` of a string and an integer or an
/// array) go as their text: a workflow file name or id in the path
/// unquoted, an array in the query a pair per item.
#[tokio::test]
async fn one_of_path_and_query_values_go_as_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    let client = client(&server);
    let _ = ActionsGetWorkflow::new("octo", "hello", IntegerOrString::String("ci.yml".into())).send(&client).await;
    let _ = ActionsGetWorkflow::new("octo", "hello", IntegerOrString::Integer(161335)).send(&client).await;
    let patch = vec![DependabotListAlertsForEnterpriseHasArrayItem::Patch];
    let _ = DependabotListAlertsForRepo::new("octo", "hello").has(DependabotListAlertsForEnterpriseHas::Array(patch)).send(&client).await;
    let _ = DependabotListAlertsForRepo::new("octo", "hello").has(DependabotListAlertsForEnterpriseHas::String("patch".into())).send(&client).await;

    let sent: Vec<String> = requests(&server).await.iter().map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or(""))).collect();
    assert_eq!(
        sent,
        [
            "/repos/octo/hello/actions/workflows/ci.yml?",
            "/repos/octo/hello/actions/workflows/161335?",
            "/repos/octo/hello/dependabot/alerts?has=patch",
            "/repos/octo/hello/dependabot/alerts?has=patch",
        ]
    );
}
