//! A request as the generated code describes it, before the client turns it
//! into HTTP.

use std::borrow::Cow;
use std::collections::BTreeMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use serde::Serialize;

use super::{Binary, Error, ParamValue};

/// A way an operation accepts to be authenticated (from the spec's security
/// requirements). An operation lists the ways it accepts; the client uses
/// the first it has credentials for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// HTTP basic with an Account SID or API key and its secret.
    Basic,
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// OAuth2: a bearer token, given or fetched with client credentials
    /// from `token_url` (the spec's `tokenUrl`; empty when it names none)
    /// unless the credentials name a token URL of their own.
    OAuth2 { token_url: &'static str },
    /// The spec says nothing about authentication: whatever credentials the
    /// client has are sent, and none if it has none.
    Unspecified,
    /// No credentials needed (`{}` among the requirements): the request goes
    /// without any when the client has none of the other ways.
    Optional,
    /// An API key, the secret given for `scheme` (the spec's name for the
    /// security scheme) with [`ClientBuilder::secret`](super::ClientBuilder::secret),
    /// sent as the header, query parameter or cookie `name`.
    ApiKey { scheme: &'static str, name: &'static str, location: KeyIn },
    /// Another HTTP scheme: `Authorization: <prefix> <secret>`, the secret
    /// given for `scheme`.
    Http { scheme: &'static str, prefix: &'static str },
    /// All of these at once (one security requirement naming several
    /// schemes).
    All(&'static [AuthScheme]),
}

/// A `{variable}` of a server URL: its name, its default, and the values
/// the spec allows (none listed: any).
pub type ServerVariable = (&'static str, &'static str, &'static [&'static str]);

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyIn {
    Header,
    Query,
    Cookie,
}

/// Everything but the unreserved characters of RFC 3986 is escaped in a path
/// segment, so a value can never add segments or a query.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The body as the operation describes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Body<'a> {
    Empty,
    Form(Vec<(Cow<'a, str>, Cow<'a, str>)>),
    Json(bytes::Bytes),
    /// Bytes or text as they are, with their media type.
    Raw { content_type: Cow<'a, str>, bytes: bytes::Bytes },
    /// `multipart/form-data`: the parts in order.
    Multipart(Vec<Part>),
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Part {
    pub(crate) name: Cow<'static, str>,
    /// Set for files: most servers read a part without one as a plain field.
    pub(crate) file_name: Option<String>,
    /// The part's `Content-Type`; none for plain text fields (RFC 7578 reads
    /// them as `text/plain`).
    pub(crate) content_type: Option<String>,
    pub(crate) bytes: bytes::Bytes,
}

/// The parts of one HTTP request. Values borrow from the operation they
/// come from; the client encodes them into an owned request right away.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub(crate) method: Method,
    /// The spec's server for this operation (`https://proxy.twilio.com`).
    pub(crate) server: &'static str,
    /// The variables in `server` (`{region}`).
    pub(crate) server_variables: &'static [ServerVariable],
    /// The spec's path template, before values are filled in.
    pub(crate) template: &'static str,
    /// The path with its placeholders filled in and escaped.
    pub(crate) path: String,
    pub(crate) auth: &'static [AuthScheme],
    /// Names are built for `deepObject` pairs (`filter[state]`), else the
    /// spec's.
    pub(crate) query: Vec<(Cow<'static, str>, Cow<'a, str>)>,
    pub(crate) headers: Vec<(&'static str, Cow<'a, str>)>,
    pub(crate) cookies: Vec<(&'static str, Cow<'a, str>)>,
    pub(crate) body: Body<'a>,
    /// The `Accept` header: the media types of the operation's responses.
    pub(crate) accept: &'static str,
    /// Whether a `3xx` answer is a success (the operation only redirects).
    pub(crate) redirects: bool,
    /// Whether the spec offers the JSON body as a URL-encoded form too
    /// (see [`AsForm`](super::AsForm)).
    pub(crate) form_offered: bool,
    /// The account's path placeholder, left for the client to fill with
    /// its account SID (see [`Request::account_path_param`]).
    pub(crate) account_placeholder: Option<&'static str>,
}

impl<'a> Request<'a> {
    /// `path` is the spec's template (`/v1/Services/{ServiceSid}`).
    pub fn new(method: Method, server: &'static str, path: &'static str, auth: &'static [AuthScheme]) -> Request<'a> {
        Request {
            method,
            server,
            template: path,
            path: path.to_owned(),
            auth,
            query: Vec::new(),
            headers: Vec::new(),
            server_variables: &[],
            cookies: Vec::new(),
            body: Body::Empty,
            accept: "application/json",
            redirects: false,
            form_offered: false,
            account_placeholder: None,
        }
    }

    /// Fills the `{name}` placeholder with the escaped value.
    pub fn path_param(&mut self, name: &str, value: &(impl ParamValue + ?Sized)) {
        self.fill(name, &value.to_param());
    }

    /// Fills the account's `{name}` placeholder (Twilio's `AccountSid`) with
    /// `value`, or, when the call gave none, leaves it for the client to
    /// fill with its own account SID.
    pub fn account_path_param(&mut self, name: &'static str, value: Option<&str>) {
        match value {
            Some(value) => self.path_param(name, value),
            None => self.account_placeholder = Some(name),
        }
    }

    /// Fills the `{name}` placeholder with `prefix` and the escaped values
    /// joined by `separator`: `simple` arrays (`a,b`), `label` (`.a,b`,
    /// exploded `.a.b`), `matrix` (`;id=a,b`, exploded `;id=a;id=b`).
    pub fn path_styled<T: ParamValue + ?Sized + 'a>(&mut self, name: &str, prefix: &str, separator: &str, values: impl IntoIterator<Item = &'a T>) {
        let escaped = joined(values, separator, |value| utf8_percent_encode(&value, PATH_SEGMENT).to_string().into()).unwrap_or_default();
        self.fill_escaped(name, &format!("{prefix}{escaped}"));
    }

    /// Fills the `{name}` placeholder with the value's text: a string as it
    /// is, a number or boolean as written, an array or object as JSON (a
    /// `oneOf` of strings and integers, say).
    pub fn path_param_value(&mut self, name: &'static str, value: &impl Serialize) -> Result<(), Error> {
        self.fill(name, &to_text(name, value)?);
        Ok(())
    }

    /// Fills the `{name}` placeholder with the value as JSON text (a
    /// parameter given by `content`).
    pub fn path_param_json(&mut self, name: &'static str, value: &impl Serialize) -> Result<(), Error> {
        self.fill(name, &to_json(name, value)?);
        Ok(())
    }

    fn fill(&mut self, name: &str, value: &str) {
        // `.` and `..` are unreserved but would be read as relative segments.
        let escaped: Cow<'_, str> = match value {
            "." => "%2E".into(),
            ".." => "%2E%2E".into(),
            _ => utf8_percent_encode(value, PATH_SEGMENT).into(),
        };
        self.fill_escaped(name, &escaped);
    }

    fn fill_escaped(&mut self, name: &str, escaped: &str) {
        // Every `{name}` of the template, found without building the
        // placeholder's text.
        let mut from = 0;
        while let Some(offset) = self.path[from..].find('{') {
            let open = from + offset;
            let rest = &self.path[open + 1..];
            if rest.strip_prefix(name).is_some_and(|after| after.starts_with('}')) {
                self.path.replace_range(open..open + name.len() + 2, escaped);
                from = open + escaped.len();
            } else {
                from = open + 1;
            }
        }
    }

    // The methods below take a field's values: `Some(&value)` for a
    // required one, `&option` for an optional one (nothing when `None`), or
    // `&vec` for an array (the name repeated for each item).

    /// Adds a query pair per value.
    pub fn query<T: ParamValue + ?Sized + 'a>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'a T>) {
        self.query.extend(values.into_iter().map(|value| (name.into(), value.to_param())));
    }

    /// Adds a query pair per value, the value written as JSON text.
    pub fn query_json<'v, T: Serialize + 'v>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'v T>) -> Result<(), Error> {
        for value in values {
            self.query.push((name.into(), to_json(name, value)?.into()));
        }
        Ok(())
    }

    /// Adds each value as OpenAPI's `form` style (exploded) writes it: a
    /// scalar as one pair, an array as a pair per item, an object as a pair
    /// per property (named after it). Values inside are text, or JSON text
    /// when they are arrays or objects themselves; `null`s are left out.
    pub fn query_form<'v, T: Serialize + 'v>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'v T>) -> Result<(), Error> {
        for value in values {
            let json = serde_json::to_value(value)
                .map_err(|e| Error::InvalidArgument { name: name.to_owned(), reason: format!("cannot be encoded: {e}") })?;
            let pairs: Vec<(Cow<'static, str>, &serde_json::Value)> = match &json {
                serde_json::Value::Object(map) => map.iter().map(|(key, inner)| (Cow::Owned(key.clone()), inner)).collect(),
                serde_json::Value::Array(items) => items.iter().map(|item| (Cow::Borrowed(name), item)).collect(),
                scalar => vec![(Cow::Borrowed(name), scalar)],
            };
            for (key, inner) in pairs {
                if !inner.is_null() {
                    self.query.push((key, Cow::Owned(inner.to_param().into_owned())));
                }
            }
        }
        Ok(())
    }

    /// Adds one query pair holding every value, joined by `separator`
    /// (`form` not exploded: `,`; `spaceDelimited`; `pipeDelimited`).
    /// Nothing when there are no values.
    pub fn query_joined<T: ParamValue + ?Sized + 'a>(&mut self, name: &'static str, separator: &str, values: impl IntoIterator<Item = &'a T>) {
        if let Some(text) = joined(values, separator, |value| value) {
            self.query.push((name.into(), text.into()));
        }
    }

    /// Adds `name[key]=value` for each property of each value (an object;
    /// `deepObject`), nested objects as `name[key][inner]`, arrays as
    /// repeated pairs.
    pub fn query_deep<'v, T: Serialize + 'v>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'v T>) -> Result<(), Error> {
        for value in values {
            let json = serde_json::to_value(value)
                .map_err(|e| Error::InvalidArgument { name: name.to_owned(), reason: format!("cannot be encoded: {e}") })?;
            deep_pairs(name.to_owned(), &json, &mut self.query);
        }
        Ok(())
    }

    /// Adds a cookie per value (`Cookie: name=value`, the value escaped).
    pub fn cookie<T: ParamValue + ?Sized + 'a>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'a T>) {
        self.cookies.extend(values.into_iter().map(|value| (name, value.to_param())));
    }

    /// Adds a cookie per value, the value written as JSON text.
    pub fn cookie_json<'v, T: Serialize + 'v>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'v T>) -> Result<(), Error> {
        for value in values {
            self.cookies.push((name, to_json(name, value)?.into()));
        }
        Ok(())
    }

    /// Adds a cookie per value, as its text (see `path_param_value`).
    pub fn cookie_value<'v, T: Serialize + 'v>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'v T>) -> Result<(), Error> {
        for value in values {
            self.cookies.push((name, to_text(name, value)?.into()));
        }
        Ok(())
    }

    /// Adds a header per value, as its text (see `path_param_value`).
    pub fn header_value<'v, T: Serialize + 'v>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'v T>) -> Result<(), Error> {
        for value in values {
            self.headers.push((name, to_text(name, value)?.into()));
        }
        Ok(())
    }

    /// Adds a header per value.
    pub fn header<T: ParamValue + ?Sized + 'a>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'a T>) {
        self.headers.extend(values.into_iter().map(|value| (name, value.to_param())));
    }

    /// Adds one header holding every value, joined by `,` (`simple`, the
    /// style of header arrays). Nothing when there are no values.
    pub fn header_joined<T: ParamValue + ?Sized + 'a>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'a T>) {
        if let Some(text) = joined(values, ",", |value| value) {
            self.headers.push((name, text.into()));
        }
    }

    /// Adds a header per value, the value written as JSON text.
    pub fn header_json<'v, T: Serialize + 'v>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'v T>) -> Result<(), Error> {
        for value in values {
            self.headers.push((name, to_json(name, value)?.into()));
        }
        Ok(())
    }

    /// Marks the body as `application/x-www-form-urlencoded`, even if no
    /// field ends up set.
    pub fn use_form_body(&mut self) {
        if !matches!(self.body, Body::Form(_)) {
            self.body = Body::Form(Vec::new());
        }
    }

    /// Adds a form field per value: arrays are repeated keys
    /// (`MediaUrl=a&MediaUrl=b`), as Twilio reads them.
    pub fn form<T: ParamValue + ?Sized + 'a>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'a T>) {
        for value in values {
            self.form_pair(name, value.to_param());
        }
    }

    /// Adds a form field per value, the value written as JSON text (Twilio's
    /// free-form object fields).
    pub fn form_json<'v, T: Serialize + 'v>(&mut self, name: &'static str, values: impl IntoIterator<Item = &'v T>) -> Result<(), Error> {
        for value in values {
            self.form_pair(name, to_json(name, value)?.into());
        }
        Ok(())
    }

    fn form_pair(&mut self, name: impl Into<Cow<'a, str>>, value: Cow<'a, str>) {
        self.use_form_body();
        if let Body::Form(pairs) = &mut self.body {
            pairs.push((name.into(), value));
        }
    }

    /// Adds a form field per entry of a map (a form whose schema names no
    /// fields).
    pub fn form_map(&mut self, maps: impl IntoIterator<Item = &'a BTreeMap<String, String>>) {
        for map in maps {
            for (name, value) in map {
                self.form_pair(name.as_str(), Cow::Borrowed(value.as_str()));
            }
        }
    }

    /// Adds a part per entry of a map (a multipart body whose schema names
    /// no parts): its bytes, with the entry's content type and file name
    /// if it has them (a part without a file name is a plain field).
    pub fn part_map(&mut self, maps: impl IntoIterator<Item = &'a BTreeMap<String, Binary>>) {
        for map in maps {
            for (name, value) in map {
                self.add_part(Part {
                    name: Cow::Owned(name.clone()),
                    file_name: value.file_name.clone(),
                    content_type: value.content_type.clone(),
                    bytes: value.bytes.clone(),
                });
            }
        }
    }

    /// The variables of the server (`https://{region}.example.com`); the
    /// client's values (see `ClientBuilder::server_variable`) replace the
    /// defaults, and must be among the allowed values if the spec lists them.
    pub fn server_variables(&mut self, variables: &'static [ServerVariable]) {
        self.server_variables = variables;
    }

    /// Makes a redirect (`3xx`, not followed) the operation's success, for
    /// one that answers with nothing else (a download's `302`).
    pub fn redirect_is_success(&mut self) {
        self.redirects = true;
    }

    /// Notes that the spec offers this operation's JSON body as a URL-encoded
    /// form too, which a caller may choose with [`AsForm`](super::AsForm).
    pub fn form_offered(&mut self) {
        self.form_offered = true;
    }

    /// The JSON body as a URL-encoded form: a field per member of the
    /// object (in name order), an array as repeated fields, a nested object or array as JSON
    /// text (as form fields of objects are written), `null` left out. Fails
    /// where the spec offers no form.
    pub(crate) fn json_as_form(&mut self) -> Result<(), Error> {
        let refuse = |reason: &str| Err(Error::InvalidArgument { name: "body".to_owned(), reason: reason.to_owned() });
        if !self.form_offered {
            return refuse("the operation takes no URL-encoded form");
        }
        let Body::Json(bytes) = &self.body else {
            // No body set: an empty form.
            self.body = Body::Form(Vec::new());
            return Ok(());
        };
        let Ok(serde_json::Value::Object(members)) = serde_json::from_slice::<serde_json::Value>(bytes) else {
            return refuse("only an object can go as a URL-encoded form");
        };
        let mut pairs = Vec::with_capacity(members.len());
        for (name, value) in members {
            let values = match value {
                serde_json::Value::Array(items) => items,
                value => vec![value],
            };
            for value in values {
                let text = match value {
                    serde_json::Value::Null => continue,
                    serde_json::Value::String(text) => text,
                    other => other.to_string(),
                };
                pairs.push((Cow::Owned(name.clone()), Cow::Owned(text)));
            }
        }
        self.body = Body::Form(pairs);
        Ok(())
    }

    /// Asks for responses of these media types (`text/html`), for an
    /// operation whose responses are not JSON.
    pub fn accept(&mut self, media_types: &'static str) {
        self.accept = media_types;
    }

    /// The body as text, sent as `content_type`.
    pub fn text_body(&mut self, content_type: &'static str, values: impl IntoIterator<Item = &'a String>) {
        for value in values {
            self.body = Body::Raw { content_type: content_type.into(), bytes: bytes::Bytes::copy_from_slice(value.as_bytes()) };
        }
    }

    /// The body as bytes, sent as their own content type, else as
    /// `content_type` (the operation's).
    pub fn binary_body(&mut self, content_type: &'static str, values: impl IntoIterator<Item = &'a Binary>) {
        for value in values {
            let content_type = value.content_type.as_deref().map_or(Cow::Borrowed(content_type), Cow::Borrowed);
            self.body = Body::Raw { content_type, bytes: value.bytes.clone() };
        }
    }

    /// Sets an `application/json` body, if there is a value.
    pub fn json_body<'v, T: Serialize + 'v>(&mut self, values: impl IntoIterator<Item = &'v T>) -> Result<(), Error> {
        for value in values {
            let bytes = serde_json::to_vec(value)
                .map_err(|e| Error::InvalidArgument { name: "body".to_owned(), reason: format!("cannot be encoded as JSON: {e}") })?;
            self.body = Body::Json(bytes.into());
        }
        Ok(())
    }

    /// Marks the body as `multipart/form-data`, even if no part ends up set.
    pub fn use_multipart_body(&mut self) {
        if !matches!(self.body, Body::Multipart(_)) {
            self.body = Body::Multipart(Vec::new());
        }
    }

    /// Adds a text part per value (arrays are repeated parts), with the
    /// spec's `encoding.contentType` if it gives one.
    pub fn part<T: ParamValue + ?Sized + 'a>(&mut self, name: &'static str, content_type: Option<&'static str>, values: impl IntoIterator<Item = &'a T>) {
        for value in values {
            let bytes = match value.to_param() {
                Cow::Borrowed(text) => bytes::Bytes::copy_from_slice(text.as_bytes()),
                Cow::Owned(text) => text.into(),
            };
            self.add_part(Part { name: Cow::Borrowed(name), file_name: None, content_type: content_type.map(str::to_owned), bytes });
        }
    }

    /// Adds a part per value holding its JSON text (`application/json`,
    /// unless the spec's `encoding.contentType` says otherwise).
    pub fn part_json<'v, T: Serialize + 'v>(&mut self, name: &'static str, content_type: &'static str, values: impl IntoIterator<Item = &'v T>) -> Result<(), Error> {
        for value in values {
            let bytes = to_json(name, value)?.into();
            self.add_part(Part { name: Cow::Borrowed(name), file_name: None, content_type: Some(content_type.to_owned()), bytes });
        }
        Ok(())
    }

    /// Adds a file part per value: its bytes, sent with its own content type
    /// (else `content_type`, the spec's or `application/octet-stream`) and
    /// its file name (else the part's name, so that the server sees a file).
    pub fn part_file(&mut self, name: &'static str, content_type: &'static str, values: impl IntoIterator<Item = &'a Binary>) {
        for value in values {
            self.add_part(Part {
                name: Cow::Borrowed(name),
                file_name: Some(value.file_name.clone().unwrap_or_else(|| name.to_owned())),
                content_type: Some(value.content_type.clone().unwrap_or_else(|| content_type.to_owned())),
                bytes: value.bytes.clone(),
            });
        }
    }

    fn add_part(&mut self, part: Part) {
        self.use_multipart_body();
        if let Body::Multipart(parts) = &mut self.body {
            parts.push(part);
        }
    }
}

/// The values' text (as `map` makes it) joined by `separator`; `None` when
/// there are none.
fn joined<'v, T: ParamValue + ?Sized + 'v>(
    values: impl IntoIterator<Item = &'v T>,
    separator: &str,
    map: impl Fn(Cow<'v, str>) -> Cow<'v, str>,
) -> Option<String> {
    let mut joined: Option<String> = None;
    for value in values {
        let text = map(value.to_param());
        match &mut joined {
            Some(all) => {
                all.push_str(separator);
                all.push_str(&text);
            }
            None => joined = Some(text.into_owned()),
        }
    }
    joined
}

/// The `deepObject` pairs of a JSON value under `name`.
fn deep_pairs(name: String, value: &serde_json::Value, out: &mut Vec<(Cow<'static, str>, Cow<'_, str>)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                deep_pairs(format!("{name}[{key}]"), inner, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| deep_pairs(name.clone(), item, out)),
        serde_json::Value::Null => {}
        serde_json::Value::String(text) => out.push((name.into(), text.clone().into())),
        other => out.push((name.into(), other.to_string().into())),
    }
}

/// What a cookie value may hold as it is (RFC 6265 cookie-octets, less `%`);
/// the rest is percent-encoded.
const COOKIE_VALUE: &AsciiSet = &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\').add(b'%');

/// One `Cookie` header value for the request's cookies.
pub(crate) fn cookie_header(cookies: &[(&'static str, Cow<'_, str>)]) -> String {
    let pairs: Vec<String> = cookies.iter().map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, COOKIE_VALUE))).collect();
    pairs.join("; ")
}

/// The value's text: strings unquoted, arrays and objects as JSON.
fn to_text(name: &'static str, value: &impl Serialize) -> Result<String, Error> {
    let value = serde_json::to_value(value)
        .map_err(|e| Error::InvalidArgument { name: name.to_owned(), reason: format!("cannot be encoded: {e}") })?;
    Ok(value.to_param().into_owned())
}

fn to_json(name: &'static str, value: &impl Serialize) -> Result<String, Error> {
    serde_json::to_string(value)
        .map_err(|e| Error::InvalidArgument { name: name.to_owned(), reason: format!("cannot be encoded as JSON: {e}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_values_are_escaped_whole() {
        let mut r = Request::new(Method::GET, "https://x", "/v1/Conversations/{Sid}/Messages", &[]);
        r.path_param("Sid", "my chat/../x?y");
        assert_eq!(r.path, "/v1/Conversations/my%20chat%2F..%2Fx%3Fy/Messages");
        let mut r = Request::new(Method::GET, "https://x", "/v1/{A}/{B}", &[]);
        r.path_param("A", "..");
        r.path_param("B", "a.b~c_d-e");
        assert_eq!(r.path, "/v1/%2E%2E/a.b~c_d-e");
        // Every occurrence; a value that looks like a placeholder stays text.
        let mut r = Request::new(Method::GET, "https://x", "/v1/{A}/{AB}/{A}.json", &[]);
        r.path_param("A", "{AB}");
        r.path_param("AB", "x");
        assert_eq!(r.path, "/v1/%7BAB%7D/x/%7BAB%7D.json");
    }
}
