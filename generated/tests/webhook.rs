//! `X-Twilio-Signature` checks through the public API. The expected
//! signatures were computed apart from this crate, with Python's `hmac`,
//! `hashlib` and `base64` modules over the URL and the sorted parameters;
//! the first two are the examples in Twilio's security documentation.

use twilio_api::webhook::RequestValidator;

const TOKEN: &str = "a3f1c0ffee0ddba11deadbeefcafe123";

#[test]
fn twilios_documented_examples_validate() {
    let validator = RequestValidator::new("12345");
    let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    let call = |caller: &'static str| {
        [("CallSid", "CA1234567890ABCDE"), ("Caller", caller), ("Digits", "1234"), ("From", caller), ("To", "+18005551212")]
    };
    assert!(validator.validate(url, call("+12349013030"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    assert!(validator.validate(url, call("+14158675310"), "GvWf1cFY/Q7PnoempGyD5oXAezc="));
    assert_eq!(validator.sign(url, call("+12349013030")), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

#[test]
fn form_parameters_sign_sorted_by_name_and_repeated_names_by_value() {
    let validator = RequestValidator::new(TOKEN);
    let url = "https://example.com/sms/inbound?source=sms";
    // In the order a request carries them; `MediaUrl` twice.
    let params = vec![
        ("To".to_owned(), "+15005550006".to_owned()),
        ("From".to_owned(), "+14155552671".to_owned()),
        ("Body".to_owned(), "Hi & bye, ünïcode".to_owned()),
        ("MediaUrl".to_owned(), "https://b.example/2.jpg".to_owned()),
        ("MediaUrl".to_owned(), "https://a.example/1.jpg".to_owned()),
        ("NumMedia".to_owned(), "2".to_owned()),
    ];
    let signature = "kMeq+4FgMCJYTpJ4YAOxJI4fJag=";
    assert!(validator.validate(url, params.iter().map(|(k, v)| (k, v)), signature));
    assert_eq!(validator.sign(url, params.clone()), signature);

    // A tampered value, a dropped parameter, another URL, another token,
    // a signature that is not base64: all refused.
    let mut tampered = params.clone();
    tampered[2].1 = "Hi & bye, unicode".to_owned();
    assert!(!validator.validate(url, tampered, signature));
    assert!(!validator.validate(url, params[1..].to_vec(), signature));
    assert!(!validator.validate("https://example.com/sms/inbound?source=mms", params.clone(), signature));
    assert!(!RequestValidator::new("b3f1c0ffee0ddba11deadbeefcafe123").validate(url, params.clone(), signature));
    assert!(!validator.validate(url, params, "not base64!"));
}

#[test]
fn the_url_is_tried_with_and_without_the_default_port() {
    let validator = RequestValidator::new(TOKEN);
    let params = [("CallSid", "CA00000000000000000000000000000001")];
    // Signed without a port, checked against a URL naming `:443`; and the
    // other way round.
    assert!(validator.validate("https://example.com:443/voice", params, "nyFFAmgz3WaLKfHfKeuZA9lE91s="));
    assert!(validator.validate("https://example.com/voice", params, "9Ntt0K26TtvVqbojufnrjIDFxyc="));
    assert!(validator.validate("https://example.com/voice", params, "nyFFAmgz3WaLKfHfKeuZA9lE91s="));
    // Another port is another URL.
    assert!(!validator.validate("https://example.com:8443/voice", params, "nyFFAmgz3WaLKfHfKeuZA9lE91s="));
}

#[test]
fn a_json_body_is_checked_by_its_hash_in_the_signed_url() {
    let validator = RequestValidator::new(TOKEN);
    let body = br#"{"event":"onMessageAdded","body":"hello"}"#;
    let url = "https://example.com/conversations/events?bodySHA256=7139c4f5fb60be88adf9ffbae7024fc4e2256a83f6295dec00d1adb25f901d2d";
    let signature = "jTbUX1NxM67nLsG1Iiwcecny1ko=";
    assert!(validator.validate_body(url, body, signature));
    // Another body does not match the hash the URL carries, although the
    // URL's signature holds.
    assert!(!validator.validate_body(url, br#"{"event":"onMessageAdded","body":"hell0"}"#, signature));
    assert!(!RequestValidator::new("12345").validate_body(url, body, signature));
    // Without `bodySHA256` there is nothing to check the body against.
    assert!(!validator.validate_body("https://example.com/conversations/events", body, signature));
}
