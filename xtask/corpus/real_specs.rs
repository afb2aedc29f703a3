//! Wire tests against code generated from Twilio's official specs, unedited.
//!
//! `cargo xtask corpus` copies this file into its scratch workspace (the
//! specs are fetched at test time and never committed) and runs it there
//! with the features listed in `xtask/src/corpus.rs`. Each test asserts the
//! bytes that go out and decodes a response shaped like Twilio's.

use chrono::TimeZone;
use futures::TryStreamExt;
use twilio_api::api_v2010::{
    CreateMessage, DeleteRecording, ListAvailablePhoneNumberLocal, ListRecording, ListUsageRecord, RecordingEnumSource, RecordingEnumStatus,
};
use twilio_api::conversations_v1::{ConversationScopedWebhookEnumMethod, ConversationScopedWebhookEnumTarget, CreateConversationScopedWebhook};
use twilio_api::flex_v1::FetchInsightsUserRoles;
use twilio_api::numbers_v1::{CreatePortingPortIn, ListPortInRequests, PortingLosingCarrierInformation, PortingPortInCreate};
use twilio_api::lookups_v2::CreateBulkLookup;
use twilio_api::messaging_v1::CreateUsAppToPerson;
use twilio_api::studio_v2::CreateExecution;
use twilio_api::{Client, Error};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCOUNT: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const RECORDINGS: &str = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Recordings.json";

/// A client for the account `ACCOUNT`, sending to the test server.
fn client(server: &MockServer) -> Client {
    Client::builder().auth_token(ACCOUNT, "token").base_url(server.uri()).build().unwrap()
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

fn form(request: &wiremock::Request) -> String {
    String::from_utf8(request.body.clone()).unwrap()
}

/// A recording as api_v2010 sends it: RFC 2822 dates, and `status` and
/// `source` (bare `$ref`s to enums) as given.
fn recording(sid: &str, status: serde_json::Value, source: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "account_sid": ACCOUNT,
        "api_version": "2010-04-01",
        "call_sid": "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "conference_sid": null,
        "date_created": "Fri, 14 Oct 2016 21:56:34 +0000",
        "date_updated": "Fri, 14 Oct 2016 21:56:38 +0000",
        "start_time": "Fri, 14 Oct 2016 21:56:34 +0000",
        "duration": "4",
        "sid": sid,
        "price": "-0.00250",
        "price_unit": "USD",
        "status": status,
        "channels": 1,
        "source": source,
        "error_code": null,
        "uri": format!("/2010-04-01/Accounts/{ACCOUNT}/Recordings/{sid}.json"),
        "encryption_details": null,
        "subresource_uris": {"transcriptions": format!("/2010-04-01/Accounts/{ACCOUNT}/Recordings/{sid}/Transcriptions.json")},
        "media_url": format!("https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{sid}")
    })
}

/// An api_v2010 page: items under the resource's name, and the next page as
/// a URI relative to the host.
fn recordings_page(items: Vec<serde_json::Value>, page: u32, next: Option<&str>) -> serde_json::Value {
    serde_json::json!({
        "recordings": items,
        "end": page,
        "first_page_uri": format!("{RECORDINGS}?PageSize=1&Page=0"),
        "next_page_uri": next,
        "page": page,
        "page_size": 1,
        "previous_page_uri": null,
        "start": page,
        "uri": format!("{RECORDINGS}?PageSize=1&Page={page}")
    })
}

#[tokio::test]
async fn range_filters_keep_their_wire_names_and_rfc_2822_dates_decode() {
    let server = MockServer::start().await;
    let item = recording("REaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "completed".into(), "OutboundAPI".into());
    Mock::given(method("GET"))
        .and(path(RECORDINGS))
        .respond_with(ResponseTemplate::new(200).set_body_json(recordings_page(vec![item], 0, None)))
        .mount(&server)
        .await;

    let before = chrono::Utc.with_ymd_and_hms(2016, 10, 15, 0, 0, 0).unwrap();
    let after = chrono::Utc.with_ymd_and_hms(2016, 10, 1, 12, 30, 0).unwrap();
    let page = ListRecording::new()
        .date_created_before(before)
        .date_created_after(after)
        .page_size(1)
        .send(&client(&server))
        .await
        .unwrap();

    let sent = &requests(&server).await[0];
    assert_eq!(
        sent.url.query(),
        Some("DateCreated%3C=2016-10-15T00%3A00%3A00Z&DateCreated%3E=2016-10-01T12%3A30%3A00Z&PageSize=1")
    );
    let recordings = page.recordings.unwrap();
    let first = &recordings[0];
    assert_eq!(first.date_created, Some(chrono::Utc.with_ymd_and_hms(2016, 10, 14, 21, 56, 34).unwrap().fixed_offset()));
    assert_eq!(first.status, Some(RecordingEnumStatus::Completed));
    assert_eq!(first.source, Some(RecordingEnumSource::OutboundApi));
}

#[tokio::test]
async fn enum_fields_that_arrive_as_null_decode_as_none() {
    let server = MockServer::start().await;
    let item = recording("REaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", serde_json::Value::Null, serde_json::Value::Null);
    Mock::given(method("GET"))
        .and(path(RECORDINGS))
        .respond_with(ResponseTemplate::new(200).set_body_json(recordings_page(vec![item], 0, None)))
        .mount(&server)
        .await;

    let page = ListRecording::new().send(&client(&server)).await.unwrap();
    let first = &page.recordings.unwrap()[0];
    assert_eq!(first.status, None);
    assert_eq!(first.source, None);
    assert_eq!(first.sid.as_deref(), Some("REaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

#[tokio::test]
async fn api_v2010_lists_page_through_next_page_uri() {
    let server = MockServer::start().await;
    let sids = ["RE00000000000000000000000000000000", "RE11111111111111111111111111111111", "RE22222222222222222222222222222222"];
    for (page, sid) in sids.iter().enumerate() {
        let next = (page + 1 < sids.len())
            .then(|| format!("{RECORDINGS}?PageSize=1&Page={}&PageToken=PA{sid}", page + 1));
        let item = recording(sid, "completed".into(), "OutboundAPI".into());
        let body = recordings_page(vec![item], page as u32, next.as_deref());
        let mut mock = Mock::given(method("GET")).and(path(RECORDINGS)).and(query_param("PageSize", "1"));
        mock = if page == 0 {
            mock.and(wiremock::matchers::query_param_is_missing("Page"))
        } else {
            mock.and(query_param("Page", page.to_string()))
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body)).expect(1).mount(&server).await;
    }

    let items: Vec<_> = ListRecording::new().page_size(1).stream(&client(&server)).try_collect().await.unwrap();
    let got: Vec<_> = items.iter().map(|r| r.sid.as_deref().unwrap()).collect();
    assert_eq!(got, sids);
    let sent = requests(&server).await;
    assert_eq!(sent[1].url.query(), Some("PageSize=1&Page=1&PageToken=PARE00000000000000000000000000000000"));
    assert!(sent.iter().all(|r| r.url.path() == RECORDINGS));
}

#[tokio::test]
async fn token_lists_page_by_sending_the_next_token_back() {
    let server = MockServer::start().await;
    let list = "/v1/Porting/PortIn/PortInRequests";
    let request = |sid: &str| serde_json::json!({
        "port_in_request_sid": sid,
        "port_in_request_status": "Completed",
        "status_last_updated_timestamp": "2025-04-30",
        "phone_numbers_requested": 1,
        "phone_numbers_ported": 1,
        "suggested_action": null
    });
    Mock::given(method("GET"))
        .and(path(list))
        .and(wiremock::matchers::query_param_is_missing("Token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "port_in_requests": [request("KW00000000000000000000000000000000")],
            "meta": {"next_token": "KW11111111111111111111111111111111", "previous_token": null}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list))
        .and(query_param("Token", "KW11111111111111111111111111111111"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "port_in_requests": [request("KW11111111111111111111111111111111")],
            "meta": {"next_token": null, "previous_token": "KW00000000000000000000000000000000"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let items: Vec<_> = ListPortInRequests::new().size(1).stream(&client(&server)).try_collect().await.unwrap();
    let got: Vec<_> = items.iter().map(|r| r.port_in_request_sid.as_deref().unwrap()).collect();
    assert_eq!(got, ["KW00000000000000000000000000000000", "KW11111111111111111111111111111111"]);
    let sent = requests(&server).await;
    assert_eq!(sent[0].url.query(), Some("Size=1"));
    assert_eq!(sent[1].url.query(), Some("Size=1&Token=KW11111111111111111111111111111111"));
}

#[tokio::test]
async fn free_form_object_form_fields_go_as_json_text() {
    let server = MockServer::start().await;
    let flow = "FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    Mock::given(method("POST"))
        .and(path(format!("/v2/Flows/{flow}/Executions")))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "sid": "FNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "account_sid": ACCOUNT,
            "flow_sid": flow,
            "context": {"flow": {"first_name": "Foo"}},
            "contact_channel_address": "+14155555555",
            "status": "active",
            "date_created": "2015-07-30T20:00:00Z",
            "date_updated": "2015-07-30T20:00:00Z",
            "url": "https://studio.twilio.com/v2/Flows/FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Executions/FNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "links": {"steps": "https://studio.twilio.com/v2/Flows/FWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Executions/FNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Steps"}
        })))
        .mount(&server)
        .await;

    let execution = CreateExecution::new(flow, "+14155555555", "+14155554444")
        .parameters(serde_json::json!({"first_name": "Foo", "tags": ["a b", "c&d"]}))
        .send(&client(&server))
        .await
        .unwrap();

    let sent = &requests(&server).await[0];
    assert_eq!(
        form(sent),
        "To=%2B14155555555&From=%2B14155554444&Parameters=%7B%22first_name%22%3A%22Foo%22%2C%22tags%22%3A%5B%22a+b%22%2C%22c%26d%22%5D%7D"
    );
    assert_eq!(execution.context, Some(serde_json::json!({"flow": {"first_name": "Foo"}})));
    assert_eq!(execution.date_created, Some(chrono::Utc.with_ymd_and_hms(2015, 7, 30, 20, 0, 0).unwrap().fixed_offset()));
}

#[tokio::test]
async fn dotted_form_field_names_are_sent_unchanged() {
    let server = MockServer::start().await;
    let conversation = "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    Mock::given(method("POST"))
        .and(path(format!("/v1/Conversations/{conversation}/Webhooks")))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "account_sid": ACCOUNT,
            "conversation_sid": conversation,
            "sid": "WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "target": "webhook",
            "url": "https://conversations.twilio.com/v1/Conversations/CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Webhooks/WHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "configuration": {"url": "https://example.com", "method": "get", "filters": ["onMessageSent", "onConversationDestroyed"]},
            "date_created": "2016-03-24T21:05:50Z",
            "date_updated": "2016-03-24T21:05:50Z"
        })))
        .mount(&server)
        .await;

    let webhook = CreateConversationScopedWebhook::new(conversation, ConversationScopedWebhookEnumTarget::Webhook)
        .configuration_url("https://example.com")
        .configuration_method(ConversationScopedWebhookEnumMethod::Get)
        .configuration_filters(["onMessageSent", "onConversationDestroyed"])
        .send(&client(&server))
        .await
        .unwrap();

    let sent = &requests(&server).await[0];
    assert_eq!(
        form(sent),
        "Target=webhook&Configuration.Url=https%3A%2F%2Fexample.com&Configuration.Method=get\
         &Configuration.Filters=onMessageSent&Configuration.Filters=onConversationDestroyed"
    );
    assert_eq!(webhook.target.as_deref(), Some("webhook"));
    assert_eq!(webhook.configuration.unwrap()["filters"][1], "onConversationDestroyed");
}

#[tokio::test]
async fn delete_with_204_and_no_body_returns_unit() {
    let server = MockServer::start().await;
    let sid = "REaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let one = format!("/2010-04-01/Accounts/{ACCOUNT}/Recordings/{sid}.json");
    Mock::given(method("DELETE")).and(path(one.as_str())).respond_with(ResponseTemplate::new(204)).expect(1).mount(&server).await;

    DeleteRecording::new(sid).send(&client(&server)).await.unwrap();
    let sent = &requests(&server).await[0];
    assert_eq!(sent.method.as_str(), "DELETE");
    assert_eq!(sent.url.path(), one);
    assert!(sent.body.is_empty());

    // A 404 on delete is a typed API error, not a decode failure.
    let missing = "REbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    Mock::given(method("DELETE"))
        .and(path(format!("/2010-04-01/Accounts/{ACCOUNT}/Recordings/{missing}.json")))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "code": 20404, "message": "The requested resource was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404
        })))
        .mount(&server)
        .await;
    match DeleteRecording::new(missing).send(&client(&server)).await {
        Err(Error::Api(api)) => assert_eq!((api.status, api.code), (404, Some(20404))),
        other => panic!("expected a 404 API error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_authorization_header_parameter_replaces_the_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/Insights/UserRoles"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "roles": ["wfo.full_access"], "url": "https://flex-api.twilio.com/v1/Insights/UserRoles"
        })))
        .mount(&server)
        .await;

    let roles = FetchInsightsUserRoles::new().authorization("Token flex-token").send(&client(&server)).await.unwrap();
    assert_eq!(roles.roles, Some(vec!["wfo.full_access".to_owned()]));
    let sent = &requests(&server).await[0];
    let values: Vec<_> = sent.headers.get_all("authorization").iter().map(|v| v.to_str().unwrap()).collect();
    assert_eq!(values, ["Token flex-token"]);

    // Without it, the client's credentials go out as usual.
    FetchInsightsUserRoles::new().send(&client(&server)).await.unwrap();
    let sent = &requests(&server).await[1];
    let values: Vec<_> = sent.headers.get_all("authorization").iter().map(|v| v.to_str().unwrap()).collect();
    assert_eq!(values.len(), 1);
    assert!(values[0].starts_with("Basic "), "{values:?}");
}

#[tokio::test]
async fn json_bodies_are_sent_as_json_without_unset_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/Porting/PortIn"))
        .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({
            "port_in_request_sid": "KWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "url": "https://numbers.twilio.com/v1/Porting/PortIn/KWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "account_sid": ACCOUNT,
            "port_in_request_status": "In Review"
        })))
        .mount(&server)
        .await;
    let carrier: PortingLosingCarrierInformation = serde_json::from_value(serde_json::json!({
        "customer_name": "Jane Doe",
        "authorized_representative": "Jane Doe",
        "authorized_representative_email": "jane@example.com"
    }))
    .unwrap();
    let mut body: PortingPortInCreate = serde_json::from_value(serde_json::json!({
        "account_sid": ACCOUNT,
        "documents": ["RDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
        "losing_carrier_information": {"customer_name": "x", "authorized_representative": "x", "authorized_representative_email": "x"}
    }))
    .unwrap();
    body.losing_carrier_information = carrier;
    body.target_port_in_date = Some(chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap());

    let created = CreatePortingPortIn::new(body).send(&client(&server)).await.unwrap();
    assert_eq!(created.port_in_request_sid.as_deref(), Some("KWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));

    let sent = &requests(&server).await[0];
    assert_eq!(sent.headers.get("content-type").unwrap(), "application/json");
    let json: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "account_sid": ACCOUNT,
            "documents": ["RDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
            "losing_carrier_information": {
                "customer_name": "Jane Doe",
                "authorized_representative": "Jane Doe",
                "authorized_representative_email": "jane@example.com"
            },
            "target_port_in_date": "2025-05-01"
        })
    );
}

/// The example response the spec itself gives for an operation: the
/// largest of `examples` under `content.application/json` of its 200
/// response (Twilio gives a full and an empty page).
fn spec_example(spec: &str, path: &str, method: &str) -> serde_json::Value {
    spec_example_of(spec, path, method, "200")
}

/// [`spec_example`] of another status's response.
fn spec_example_of(spec: &str, path: &str, method: &str, status: &str) -> serde_json::Value {
    let file = format!("{}/../specs/{spec}", env!("CARGO_MANIFEST_DIR"));
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let examples = &doc["paths"][path][method]["responses"][status]["content"]["application/json"]["examples"];
    let values = examples.as_object().into_iter().flat_map(|e| e.values()).map(|e| e["value"].clone());
    values.max_by_key(|v| v.to_string().len()).unwrap_or_else(|| panic!("no example for {method} {path}"))
}

const LOCAL_NUMBERS: &str = "/2010-04-01/Accounts/{AccountSid}/AvailablePhoneNumbers/{CountryCode}/Local.json";

#[tokio::test]
async fn numbers_sent_as_strings_decode_and_round_trip_exactly() {
    // Twilio's own example: `"latitude": "19.720000"` for a `type: number`.
    let example = spec_example("twilio_api_v2010.json", LOCAL_NUMBERS, "get");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/2010-04-01/Accounts/{ACCOUNT}/AvailablePhoneNumbers/US/Local.json")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&example))
        .mount(&server)
        .await;
    let page = ListAvailablePhoneNumberLocal::new("US").send(&client(&server)).await.unwrap();
    let numbers = page.available_phone_numbers.as_ref().unwrap();
    let latitude = numbers[0].latitude.as_ref().unwrap();
    assert_eq!((latitude.as_str(), latitude.to_f64()), ("19.720000", 19.72));
    // Serialized again, every number is as it arrived, digits and quotes.
    let again = serde_json::to_value(&numbers[0]).unwrap();
    for field in ["latitude", "longitude"] {
        assert_eq!(again[field], example["available_phone_numbers"][0][field], "{field}");
    }

    // Money: a price with trailing zeros keeps them, and a spec example too.
    let mut usage = spec_example("twilio_api_v2010.json", "/2010-04-01/Accounts/{AccountSid}/Usage/Records.json", "get");
    let example_price = usage["usage_records"][0]["price"].clone();
    let mut second = usage["usage_records"][0].clone();
    second["price"] = "-0.00750".into();
    usage["usage_records"].as_array_mut().unwrap().push(second);
    usage["next_page_uri"] = serde_json::Value::Null;
    Mock::given(method("GET"))
        .and(path(format!("/2010-04-01/Accounts/{ACCOUNT}/Usage/Records.json")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&usage))
        .mount(&server)
        .await;
    let records = ListUsageRecord::new().send(&client(&server)).await.unwrap().usage_records.unwrap();
    let prices: Vec<serde_json::Value> = records.iter().map(|r| serde_json::to_value(&r.price).unwrap()).collect();
    assert_eq!(prices[0], example_price);
    assert_eq!(prices[1], serde_json::json!("-0.00750"));
    assert_eq!(records[1].price.as_ref().unwrap().as_str(), "-0.00750");
}

#[tokio::test]
async fn a_number_that_is_not_one_is_a_decode_error_naming_where_it_is() {
    let mut example = spec_example("twilio_api_v2010.json", LOCAL_NUMBERS, "get");
    example["available_phone_numbers"][0]["latitude"] = "north".into();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&example))
        .mount(&server)
        .await;
    match ListAvailablePhoneNumberLocal::new("US").send(&client(&server)).await {
        Err(Error::Decode { status, path, body, .. }) => {
            assert_eq!((status, path.as_str()), (200, "available_phone_numbers[0].latitude"));
            assert!(body.contains("north"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn required_arrays_go_to_new_and_cannot_be_left_empty() {
    let server = MockServer::start().await;
    let service = "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    Mock::given(method("POST"))
        .and(path(format!("/v1/Services/{service}/Compliance/Usa2p")))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"sid": "QEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})))
        .mount(&server)
        .await;
    let create = |samples: Vec<&str>| {
        CreateUsAppToPerson::new(
            service,
            "BNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "Send marketing messages about sales to opted-in customers.",
            "End users opt in by visiting www.example.com and adding their number.",
            samples,
            "MARKETING",
            true,
            false,
        )
    };

    let empty = create(Vec::new()).send(&client(&server)).await.unwrap_err();
    assert!(matches!(&empty, Error::InvalidArgument { name, .. } if name == "MessageSamples"), "{empty}");
    assert!(requests(&server).await.is_empty());

    let created = create(vec!["Sale: 20% off today", "Reply STOP to opt out"]).send(&client(&server)).await.unwrap();
    assert_eq!(created.sid.as_deref(), Some("QEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    let body = form(&requests(&server).await[0]);
    assert!(
        body.contains("MessageSamples=Sale%3A+20%25+off+today&MessageSamples=Reply+STOP+to+opt+out"),
        "{body}"
    );
}

#[tokio::test]
async fn constraints_inside_json_bodies_are_checked_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);

    // A Call SID where the Account SID goes (`^AC[0-9a-fA-F]{32}$`).
    let body: PortingPortInCreate = serde_json::from_value(serde_json::json!({
        "account_sid": "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "documents": ["RDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
        "losing_carrier_information": {"customer_name": "x", "authorized_representative": "x", "authorized_representative_email": "x"}
    }))
    .unwrap();
    let error = CreatePortingPortIn::new(body).send(&client).await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { name, .. } if name == "account_sid"), "{error}");
    assert!(error.to_string().contains("does not match the pattern ^AC[0-9a-fA-F]{32}$"), "{error}");

    // Three levels down: the second number's reassigned-number check takes
    // dates of at most 8 characters (`YYYYMMDD`).
    let body = serde_json::from_value(serde_json::json!({
        "phone_numbers": [
            {"phone_number": "+14155550100"},
            {"phone_number": "+14155550101", "reassigned_number": {"last_verified_date": "2024-01-31"}}
        ]
    }))
    .unwrap();
    let error = CreateBulkLookup::new().body(body).send(&client).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidArgument { name, .. } if name == "phone_numbers[1].reassigned_number.last_verified_date"),
        "{error}"
    );

    assert!(requests(&server).await.is_empty(), "nothing is sent when a check fails");
}

/// No official spec has an operation that answers one 2xx with a body and
/// another without; `xtask/corpus/specs/extra_shapes.yaml` does.
#[tokio::test]
async fn an_empty_2xx_where_another_has_a_body_decodes_as_none() {
    use twilio_api::extra_shapes::CreateJob;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::body_string("Name=nightly"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"name": "nightly", "progress": "0.50", "attempts": "2"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::body_string("Name=weekly"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);

    let created = CreateJob::new("nightly").send(&client).await.unwrap().expect("a 201 has a body");
    assert_eq!((created.name.as_deref(), created.attempts), (Some("nightly"), Some(2)));
    assert_eq!(created.progress.unwrap().as_str(), "0.50");
    assert_eq!(CreateJob::new("weekly").send(&client).await.unwrap(), None);
}

#[tokio::test]
async fn the_clients_account_fills_the_account_path_unless_the_call_names_one() {
    let server = MockServer::start().await;
    let message = spec_example_of("twilio_api_v2010.json", "/2010-04-01/Accounts/{AccountSid}/Messages.json", "post", "201");
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201).set_body_json(&message)).mount(&server).await;

    // As every official SDK reads: the account is the client's.
    let sent = CreateMessage::new("+15558675310").from("+15017122661").body("Hi & bye").send(&client(&server)).await.unwrap();
    assert_eq!(sent.sid, message["sid"].as_str().map(str::to_owned));
    // A subaccount's, named on the call.
    let subaccount = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    CreateMessage::new("+15558675310").account_sid(subaccount).body("Hi").send(&client(&server)).await.unwrap();

    let sent = requests(&server).await;
    assert_eq!(sent[0].method.as_str(), "POST");
    assert_eq!(sent[0].url.path(), format!("/2010-04-01/Accounts/{ACCOUNT}/Messages.json"));
    assert_eq!(sent[0].url.query(), None);
    let content_type = sent[0].headers.get("content-type").map(|v| v.to_str().unwrap());
    assert_eq!(content_type, Some("application/x-www-form-urlencoded"));
    assert_eq!(form(&sent[0]), "To=%2B15558675310&From=%2B15017122661&Body=Hi+%26+bye");
    assert_eq!(sent[1].url.path(), format!("/2010-04-01/Accounts/{subaccount}/Messages.json"));
    assert_eq!(form(&sent[1]), "To=%2B15558675310&Body=Hi");

    // A client without an account SID (plain basic credentials) cannot
    // guess one: the call fails before anything is sent.
    let anonymous = Client::builder().basic_auth("user", "password").base_url(server.uri()).build().unwrap();
    let error = CreateMessage::new("+15558675310").body("Hi").send(&anonymous).await.unwrap_err();
    assert!(matches!(&error, Error::InvalidArgument { name, .. } if name == "AccountSid"), "{error}");
    assert_eq!(requests(&server).await.len(), 2);
}
