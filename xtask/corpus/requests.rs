//! Every operation of the corpus, sent through the generated client to
//! Stoplight Prism mocking the operation's own spec, which validates the
//! request (path, query, headers, security, body schema) and answers from
//! the spec.
//!
//! `cargo xtask corpus` writes, next to this file in its scratch workspace,
//! `requests/table.rs` (one entry per operation: how to build the request
//! from JSON values, emitted by `codegen::emit::request_table`) and
//! `requests/values.json` (every parameter and body field of every
//! operation, from the spec's examples or made from its schemas, by
//! `xtask/src/requests.rs`), and runs this test with every API enabled and
//! `PRISM` naming the Prism executable. Nothing here names an operation.
//!
//! Each operation is sent twice: once for Prism's static answer (the
//! spec's examples) and once with `Prefer: dynamic=true` (a body made at
//! random from the response schema). Both must be accepted by Prism's
//! request validation and decode into the operation's output type.
//!
//! `prism_errata.txt` lists the operations where Prism, not the client, is
//! wrong, each with its reason: they must keep failing, so the list is
//! never stale.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::Value;
use twilio_api::runtime::{Binary, Operation};
use twilio_api::{Client, Error};

use prism::Prism;

#[path = "requests/table.rs"]
mod table;
// Copied from `generated/tests/common/prism.rs` by `cargo xtask corpus`.
#[path = "common/prism.rs"]
mod prism;

/// One operation: where it is, its parameters, and how to build it.
pub struct Call {
    /// The spec's path in the workspace (`specs/twilio_api_v2010.json`).
    pub spec: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    /// The request struct's name.
    pub operation: &'static str,
    pub build: fn(&Values) -> Result<Box<dyn Sendable>, String>,
}

/// An operation's values, by field name.
pub type Values = serde_json::Map<String, Value>;

/// A request that can be sent, whatever its output type.
pub trait Sendable: Send + Sync {
    fn send<'a>(&'a self, client: &'a Client) -> Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>;
}

impl<O> Sendable for O
where
    O: Operation + Send + Sync,
    O::Output: Send,
{
    fn send<'a>(&'a self, client: &'a Client) -> Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>> {
        Box::pin(async move { client.execute(self).await.map(drop) })
    }
}

/// A required field's value. The values are what the spec shows on the
/// wire, where a boolean or number may be text (`"true"`): text that does
/// not fit is read again as JSON.
pub fn required<T: DeserializeOwned>(values: &Values, field: &str) -> Result<T, String> {
    let value = values.get(field).ok_or_else(|| format!("no value for `{field}`"))?;
    serde_json::from_value(value.clone()).or_else(|e| match value.as_str().and_then(|text| serde_json::from_str(text).ok()) {
        Some(read) => Ok(read),
        None => Err(format!("`{field}` = {value}: {e}")),
    })
}

/// An optional field's value, if there is one.
pub fn optional<T: DeserializeOwned>(values: &Values, field: &str) -> Result<Option<T>, String> {
    values.get(field).map(|_| required(values, field)).transpose()
}

/// Bytes from a JSON value: a file, files, or parts by name.
pub trait Files: Sized {
    fn from_value(value: &Value) -> Result<Self, String>;
}

impl Files for Binary {
    fn from_value(value: &Value) -> Result<Self, String> {
        Ok(Binary::new(value.as_str().map_or_else(|| value.to_string(), str::to_owned).into_bytes()))
    }
}

impl Files for Option<Binary> {
    fn from_value(value: &Value) -> Result<Self, String> {
        Binary::from_value(value).map(Some)
    }
}

impl Files for Vec<Binary> {
    fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Array(items) => items.iter().map(Binary::from_value).collect(),
            one => Ok(vec![Binary::from_value(one)?]),
        }
    }
}

impl Files for BTreeMap<String, Binary> {
    fn from_value(value: &Value) -> Result<Self, String> {
        let map = value.as_object().ok_or("parts by name need an object")?;
        map.iter().map(|(k, v)| Ok((k.clone(), Binary::from_value(v)?))).collect()
    }
}

impl Files for Option<BTreeMap<String, Binary>> {
    fn from_value(value: &Value) -> Result<Self, String> {
        Files::from_value(value).map(Some)
    }
}

pub fn required_files<T: Files>(values: &Values, field: &str) -> Result<T, String> {
    T::from_value(values.get(field).ok_or_else(|| format!("no value for `{field}`"))?)
}

pub fn optional_files<T: Files>(values: &Values, field: &str) -> Result<Option<T>, String> {
    values.get(field).map(T::from_value).transpose()
}

/// Which corpus a spec is from, for the counts.
fn corpus(spec: &str) -> &'static str {
    let name = spec.rsplit('/').next().unwrap_or(spec);
    match name {
        "github.json" => "GitHub",
        "figma.json" => "Figma",
        "petstore.json" => "Petstore",
        _ if name.starts_with("twilio_") => "Twilio",
        _ => "ours",
    }
}


/// A client for Prism with credentials for every security scheme the spec
/// declares; `dynamic` asks for answers made from the response schemas. No
/// retries: a request that fails is reported as it failed.
fn client(url: &str, spec: &Value, dynamic: bool) -> Client {
    let timeout = if dynamic { DYNAMIC_TIMEOUT } else { STATIC_TIMEOUT };
    let mut builder = Client::builder().base_url(url).timeout(timeout);
    let schemes = spec["components"]["securitySchemes"].as_object().cloned().unwrap_or_default();
    let kind = |scheme: &Value| (scheme["type"].as_str().unwrap_or_default().to_owned(), scheme["scheme"].as_str().unwrap_or_default().to_ascii_lowercase());
    if schemes.values().any(|s| kind(s) == ("http".to_owned(), "basic".to_owned())) {
        builder = builder.basic_auth("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "secret");
    } else if schemes.values().any(|s| matches!(kind(s).0.as_str(), "http" | "oauth2" | "openIdConnect")) {
        builder = builder.bearer_token("token-1");
    }
    for (name, scheme) in &schemes {
        if scheme["type"] == "apiKey" {
            builder = builder.secret(name.clone(), "key-1");
        }
    }
    if dynamic {
        builder = builder.default_header("Prefer", "dynamic=true");
    }
    builder.build().expect("a client").with_retry(None)
}

/// How long Prism may take to answer: its random answers for the largest
/// recursive schemas can take it minutes, or forever.
const STATIC_TIMEOUT: Duration = Duration::from_secs(60);
const DYNAMIC_TIMEOUT: Duration = Duration::from_secs(20);
/// How long Prism may take to load a spec (GitHub's takes the longest).
const PATIENCE: Duration = Duration::from_secs(300);

/// What became of one operation.
struct Outcome {
    corpus: &'static str,
    /// `METHOD /path (spec)`, as errata name it.
    name: String,
    /// Static and dynamic: `None` when accepted and decoded, else why not.
    answers: [Option<String>; 2],
    /// Whether Prism accepted the request (in either round).
    accepted: bool,
    sent: bool,
}

/// Whether a call's answer (the client's result) was Prism accepting the
/// request, and why it failed if it did.
fn problem(result: &Result<(), Error>) -> (bool, Option<String>) {
    match result {
        Ok(()) => (true, None),
        Err(Error::Api(e)) if e.status >= 400 && e.status < 500 => {
            // Prism lists what it found wrong in `sl-violations` when the
            // spec has an error response of its own to answer with.
            let violations = e.headers.get("sl-violations").and_then(|v| v.to_str().ok()).unwrap_or_default();
            (false, Some(format!("Prism refused the request ({}): {} {violations}", e.status, e.body)))
        }
        Err(e @ Error::Decode { .. }) => (true, Some(format!("accepted, but the answer does not decode: {e:?}"))),
        Err(other) => (false, Some(format!("{other}"))),
    }
}

/// Whether the failure may be Prism's own death or stall, not an answer.
fn no_answer(result: &Result<(), Error>) -> bool {
    matches!(result, Err(Error::Transport(_) | Error::Timeout { .. }))
}

/// Every call of one spec against one Prism: the static round, then the
/// dynamic one. Calls that got no answer (Prism died or stalled, maybe on
/// another call's random answer) are sent again one at a time on a fresh
/// Prism, so that only the call that stops it is charged with it.
async fn run_spec(executable: String, spec_path: &'static str, calls: Vec<&'static Call>, values: &Value) -> Vec<Outcome> {
    let name = |call: &Call| format!("{} {} ({})", call.method, call.path, call.spec);
    let text = std::fs::read_to_string(format!("{}/../{spec_path}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_default();
    let spec: Value = if spec_path.ends_with(".json") { serde_json::from_str(&text).unwrap_or_default() } else { serde_yaml::from_str(&text).unwrap_or_default() };
    let mut outcomes: Vec<Outcome> =
        calls.iter().map(|call| Outcome { corpus: corpus(call.spec), name: name(call), answers: [None, None], accepted: false, sent: false }).collect();
    let empty = serde_json::Map::new();
    let mut requests: Vec<(usize, Box<dyn Sendable>)> = Vec::new();
    for (i, call) in calls.iter().enumerate() {
        let key = format!("{} {} {}", call.spec, call.method, call.path);
        match (call.build)(values[&key].as_object().unwrap_or(&empty)) {
            Ok(request) => {
                outcomes[i].sent = true;
                requests.push((i, request));
            }
            Err(why) => {
                let why = format!("its values do not build the request: {why}");
                outcomes[i].answers = [Some(why.clone()), Some(why)];
            }
        }
    }
    let start = |executable: String| async move { tokio::task::spawn_blocking(move || Prism::start(Path::new(&executable), &Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(spec_path), PATIENCE)).await.expect("no panic") };
    let mut prism = match start(executable.clone()).await {
        Ok(prism) => prism,
        Err(why) => {
            for outcome in &mut outcomes {
                outcome.answers = [Some(why.clone()), Some(why.clone())];
            }
            return outcomes;
        }
    };
    for round in 0..2 {
        let round_client = client(&prism.url, &spec, round == 1);
        let results: Vec<(usize, Result<(), Error>)> = futures::stream::iter(&requests)
            .map(|(i, request)| {
                let client = &round_client;
                async move { (*i, request.send(client).await) }
            })
            .buffer_unordered(4)
            .collect()
            .await;
        let mut again = Vec::new();
        for (i, result) in results {
            if no_answer(&result) {
                again.push(i);
            } else {
                let (accepted, problem) = problem(&result);
                outcomes[i].accepted |= accepted;
                outcomes[i].answers[round] = problem;
            }
        }
        again.sort_unstable();
        for i in again {
            if !prism.is_answering() {
                match start(executable.clone()).await {
                    Ok(fresh) => prism = fresh,
                    Err(why) => {
                        outcomes[i].answers[round] = Some(why);
                        continue;
                    }
                }
            }
            let fresh_client = client(&prism.url, &spec, round == 1);
            let request = &requests.iter().find(|(j, _)| *j == i).expect("sent before").1;
            let result = request.send(&fresh_client).await;
            let (accepted, problem) = problem(&result);
            outcomes[i].accepted |= accepted;
            outcomes[i].answers[round] = problem;
            if no_answer(&result) {
                // It stalled or stopped Prism: the next call gets a fresh one.
                prism.stop();
            }
        }
    }
    outcomes
}

const ROUNDS: [&str; 2] = ["static", "dynamic"];

/// The failures that are not the client's: `prism_errata.txt` (operations,
/// or kinds of failure by the text they print), and, for Prism's static
/// answers, which are the spec's examples, the examples `spec_errata.txt`
/// lists as contradicting their own schemas.
struct Errata {
    lines: Vec<String>,
    /// `METHOD /path` of the examples that contradict their schemas.
    examples: Vec<String>,
}

impl Errata {
    fn read() -> Errata {
        let entries = |text: &str| -> Vec<String> {
            text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).map(str::to_owned).collect()
        };
        let examples = entries(include_str!("spec_errata.txt"))
            .iter()
            .filter_map(|e| {
                let (method, rest) = e.split_once(' ')?;
                let (path, _) = rest.split_once(' ')?;
                Some(format!("{method} {path}"))
            })
            .collect();
        Errata { lines: entries(include_str!("prism_errata.txt")), examples }
    }

    /// The erratum that excuses this failure, if one does. A refusal that
    /// lists Prism's violations is excused only when each one is.
    fn excusing(&self, operation: &str, round: &str, answer: &str) -> Option<&str> {
        if let Some(line) = self.lines.iter().find(|line| Self::what(line) == operation) {
            return Some(line);
        }
        let kind = |text: &str| {
            self.lines.iter().find(|line| match Self::what(line).split_once(": ") {
                Some((kind, pattern)) if ["static", "dynamic", "any"].contains(&kind) => (kind == "any" || kind == round) && glob(pattern, text),
                _ => false,
            })
        };
        let violations: Vec<String> = answer
            .split_once("): ")
            .and_then(|(_, body)| serde_json::Deserializer::from_str(body).into_iter::<Value>().next()?.ok())
            .and_then(|problem| problem["validation"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|v| v["message"].as_str().unwrap_or_default().to_owned())
            .collect();
        if !violations.is_empty() {
            let lines: Option<Vec<&String>> = violations.iter().map(|v| kind(v)).collect();
            return lines.and_then(|lines| lines.first().map(|l| l.as_str()));
        }
        if let Some(line) = kind(answer) {
            return Some(line);
        }
        let example = round == "static" && answer.contains("does not decode") && self.examples.iter().any(|e| operation.starts_with(&format!("{e} (")));
        example.then_some("spec_errata.txt: the spec's example, Prism's static answer, contradicts its schema")
    }

    /// What an erratum names: the text before its ` # `.
    fn what(line: &str) -> &str {
        line.split(" # ").next().unwrap_or_default().trim()
    }
}

/// Whether `text` contains the parts of `pattern` between its `*`s, in order.
fn glob(pattern: &str, text: &str) -> bool {
    let mut rest = text;
    for part in pattern.split('*') {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[test]
fn every_operation_is_accepted_by_prism_and_its_answers_decode() {
    let executable = std::env::var("PRISM").expect("PRISM names the Prism executable (`cargo xtask corpus` sets it)");
    let values_path = format!("{}/tests/requests/values.json", env!("CARGO_MANIFEST_DIR"));
    let values: Value = serde_json::from_str(&std::fs::read_to_string(&values_path).expect("requests/values.json")).expect("JSON values");
    let only = std::env::var("REQUESTS_ONLY").unwrap_or_default();
    // `REQUESTS_EXCUSED=1` prints each failure an erratum excuses.
    let show_excused = std::env::var_os("REQUESTS_EXCUSED").is_some();
    let mut by_spec: BTreeMap<&'static str, Vec<&'static Call>> = BTreeMap::new();
    // Our own specs have wire tests of their own (`zoo.rs`, `lenient.rs`);
    // the lenient zoo is not a document Prism reads.
    for call in table::CALLS.iter().filter(|c| c.spec.contains(only.as_str()) && corpus(c.spec) != "ours") {
        by_spec.entry(call.spec).or_default().push(call);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let began = Instant::now();
    // The biggest specs first, so that they do not finish last alone.
    let mut specs: Vec<(&'static str, Vec<&'static Call>)> = by_spec.into_iter().collect();
    specs.sort_by_key(|(_, calls)| std::cmp::Reverse(calls.len()));
    let values = &values;
    let outcomes: Vec<Outcome> = runtime.block_on(async {
        futures::stream::iter(specs)
            .map(|(spec, calls)| run_spec(executable.clone(), spec, calls, values))
            .buffer_unordered(3)
            .flat_map(futures::stream::iter)
            .collect()
            .await
    });

    let errata = Errata::read();
    let mut failures = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    #[derive(Default)]
    struct Counts {
        operations: usize,
        sent: usize,
        accepted: usize,
        decoded: [usize; 2],
        errata: usize,
    }
    let mut counts: BTreeMap<&str, Counts> = BTreeMap::new();
    for outcome in &outcomes {
        let count = counts.entry(outcome.corpus).or_default();
        count.operations += 1;
        count.sent += usize::from(outcome.sent);
        count.accepted += usize::from(outcome.accepted);
        for (round, answer) in outcome.answers.iter().enumerate() {
            count.decoded[round] += usize::from(answer.is_none());
        }
        let mut unexcused = Vec::new();
        for (round, answer) in ROUNDS.iter().zip(&outcome.answers) {
            let Some(answer) = answer else { continue };
            match errata.excusing(&outcome.name, round, answer) {
                Some(erratum) => {
                    if show_excused {
                        println!("excused: {} {round}: {answer}", outcome.name);
                    }
                    used.insert(erratum);
                }
                None => unexcused.push(format!("  {round}: {answer}")),
            }
        }
        if !unexcused.is_empty() {
            failures.push(format!("{}\n{}", outcome.name, unexcused.join("\n")));
        } else if outcome.answers.iter().any(Option::is_some) {
            count.errata += 1;
        }
    }
    println!("{} operations sent to Prism in {:.0} s", outcomes.len(), began.elapsed().as_secs_f64());
    println!("| corpus | operations | sent | accepted by the mock | decoded (static) | decoded (dynamic) | errata |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (corpus, c) in &counts {
        println!("| {corpus} | {} | {} | {} | {} | {} | {} |", c.operations, c.sent, c.accepted, c.decoded[0], c.decoded[1], c.errata);
    }
    // A run on part of the corpus (`REQUESTS_ONLY`, or `REQUESTS_PARTIAL`
    // for a workspace with other specs) does not ask every erratum to apply.
    if only.is_empty() && std::env::var_os("REQUESTS_PARTIAL").is_none() {
        // Prism's random answers differ from run to run (it takes no seed):
        // a kind of failure of the dynamic round may excuse nothing.
        let random = |e: &&String| Errata::what(e).starts_with("dynamic: ");
        // An operation of another release of the specs is not in this run.
        let names: std::collections::BTreeSet<&str> = outcomes.iter().map(|o| o.name.as_str()).collect();
        let elsewhere = |e: &&String| Errata::what(e).ends_with(')') && !names.contains(Errata::what(e));
        for erratum in errata.lines.iter().filter(|e| !used.contains(e.as_str()) && !random(e) && !elsewhere(e)) {
            failures.push(format!("prism_errata.txt excuses nothing now (remove it): {erratum}"));
        }
    }
    println!("errata used:");
    for erratum in &used {
        println!("  {erratum}");
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}
