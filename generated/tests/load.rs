//! Load test of the runtime: 10,000 calls, 64 at a time, through one
//! `Client` against a local HTTP/1.1 server that answers most requests and,
//! deterministically, rate-limits (429), fails (503), answers slowly or
//! resets the connection.
//!
//! Asserted: every call ends in its result or a typed error; each call's
//! attempts, as the server saw them, are exactly what the retry rules allow
//! (a POST is never resent after a 503 or a reset); connections are reused;
//! memory stays bounded. Nothing depends on how fast the machine is: the
//! server picks its answers by counting requests, never by the clock.
//!
//! `cargo test -p twilio-api --test load -- --nocapture` prints the figures.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{ACCOUNT_SID, AUTH_TOKEN, PARTICIPANT, SESSION, basic_auth, builder_for, fixture};
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use twilio_api::proxy_v1::{CreateMessageInteraction, ListMessageInteraction};
use twilio_api::{Client, Error, RetryPolicy};

const CALLS: u32 = 10_000;
const IN_FLIGHT: usize = 64;
const MAX_RETRIES: u32 = 2;
const ATTEMPTS_PER_CALL: usize = MAX_RETRIES as usize + 1;
/// Far above the slowest answer (40 ms), so that a timeout means a stalled
/// machine or a hang, not a slow response.
const TIMEOUT: Duration = Duration::from_secs(10);
const MIB: u64 = 1024 * 1024;

/// What the server does with one request (one attempt of a call).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Action {
    /// 200 (list) or 201 (create) with the fixture as body.
    Answer,
    /// The same, 20 to 40 ms later.
    Slow,
    /// 429 with `Retry-After: 0`.
    TooMany,
    /// 503 with Twilio's error JSON.
    Unavailable,
    /// The request is read, then the connection is reset (SO_LINGER 0).
    Reset,
}

/// The action for the server's `n`-th request (from 0), for calls that are
/// not [`doomed`]: 2 % resets, 4 % 429s, 5 % 503s, 3 % slow answers.
fn action(n: u64) -> Action {
    match n % 100 {
        7 | 57 => Action::Reset,
        3 | 28 | 53 | 78 => Action::TooMany,
        11 | 31 | 51 | 71 | 91 => Action::Unavailable,
        13 | 43 | 73 => Action::Slow,
        _ => Action::Answer,
    }
}

/// Calls that get the same failure on every attempt, so that retries run
/// out (or, for a POST, are not made) in a known number of calls whatever
/// the interleaving: 20 calls each.
fn doomed(call: u32) -> Option<Action> {
    match call % 500 {
        1 => Some(Action::TooMany),
        2 => Some(Action::Unavailable),
        3 => Some(Action::Reset),
        _ => None,
    }
}

/// One call in three creates (POST), the others list (GET).
fn is_post(call: u32) -> bool {
    call % 3 == 0
}

/// The call number travels in the Service SID (`KS` + 32 hex digits), so the
/// server can tell which call each attempt belongs to.
fn service_sid(call: u32) -> String {
    format!("KS{call:032x}")
}

/// Whether the client sends a call again after an attempt the server
/// answered with `action` (while retries remain): 429 always, 503 and
/// dropped connections only for idempotent methods.
fn retried(post: bool, action: Action) -> bool {
    match action {
        Action::TooMany => true,
        Action::Unavailable | Action::Reset => !post,
        Action::Answer | Action::Slow => false,
    }
}

/// How a call ended, as far as this test distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Ok,
    Api429,
    Api503,
    Transport,
    Timeout,
}

/// The outcome a call ends in when its last attempt got `action`.
fn ends_as(action: Action) -> Outcome {
    match action {
        Action::Answer | Action::Slow => Outcome::Ok,
        Action::TooMany => Outcome::Api429,
        Action::Unavailable => Outcome::Api503,
        Action::Reset => Outcome::Transport,
    }
}

// --- the server ---

/// One request as the server saw it.
#[derive(Debug, Clone, Copy)]
struct Attempt {
    call: u32,
    post: bool,
    action: Action,
}

#[derive(Default)]
struct Stats {
    /// Requests read, in full; also the counter [`action`] reads.
    requests: AtomicU64,
    accepted: AtomicUsize,
    open: AtomicUsize,
    peak_open: AtomicUsize,
    attempts: Mutex<Vec<Attempt>>,
    /// Requests that were not what the client should send.
    malformed: Mutex<Vec<String>>,
}

struct Server {
    url: String,
    stats: Arc<Stats>,
}

/// The response bodies, serialized once.
struct Bodies {
    list: Vec<u8>,
    created: Vec<u8>,
    too_many: Vec<u8>,
    unavailable: Vec<u8>,
}

async fn start_server() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let stats = Arc::new(Stats::default());
    let error = |status: u16, code: u32, message: &str| {
        serde_json::to_vec(&serde_json::json!({
            "code": code, "message": message, "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status
        }))
        .unwrap()
    };
    let bodies = Arc::new(Bodies {
        list: serde_json::to_vec(&fixture("proxy_message_interaction_list.json")).unwrap(),
        created: serde_json::to_vec(&fixture("proxy_message_interaction.json")).unwrap(),
        too_many: error(429, 20429, "Too Many Requests"),
        unavailable: error(503, 20503, "Service Unavailable"),
    });
    let seen = stats.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            seen.accepted.fetch_add(1, Ordering::SeqCst);
            let open = seen.open.fetch_add(1, Ordering::SeqCst) + 1;
            seen.peak_open.fetch_max(open, Ordering::SeqCst);
            let (stats, bodies) = (seen.clone(), bodies.clone());
            tokio::spawn(async move {
                serve(socket, &stats, &bodies).await;
                stats.open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    Server { url, stats }
}

/// Serves the requests of one connection until the client closes it or the
/// server resets it.
async fn serve(mut socket: TcpStream, stats: &Stats, bodies: &Bodies) {
    let expected_auth = basic_auth(ACCOUNT_SID, AUTH_TOKEN);
    let mut buffer = Vec::with_capacity(8192);
    loop {
        let Some(request) = read_request(&mut socket, &mut buffer).await else { return };
        let n = stats.requests.fetch_add(1, Ordering::SeqCst);
        let Some(call) = check(&request, &expected_auth) else {
            stats.malformed.lock().unwrap().push(request.describe());
            if write(&mut socket, "400 Bad Request", "", b"{}").await.is_err() {
                return;
            }
            continue;
        };
        let post = request.method == "POST";
        let action = doomed(call).unwrap_or_else(|| action(n));
        stats.attempts.lock().unwrap().push(Attempt { call, post, action });
        let ok = if post { ("201 Created", &bodies.created) } else { ("200 OK", &bodies.list) };
        let (status, extra, body) = match action {
            Action::Reset => {
                // Closing with SO_LINGER 0 sends RST instead of FIN: the
                // client sees "connection reset", not a clean close.
                let _ = socket.set_zero_linger();
                return;
            }
            Action::Slow => {
                tokio::time::sleep(Duration::from_millis(20 + n % 3 * 10)).await;
                (ok.0, "", ok.1)
            }
            Action::Answer => (ok.0, "", ok.1),
            Action::TooMany => ("429 Too Many Requests", "Retry-After: 0\r\n", &bodies.too_many),
            Action::Unavailable => ("503 Service Unavailable", "", &bodies.unavailable),
        };
        if write(&mut socket, status, extra, body).await.is_err() {
            return;
        }
    }
}

struct RawRequest {
    method: String,
    target: String,
    authorization: Option<String>,
    body: Vec<u8>,
}

impl RawRequest {
    fn describe(&self) -> String {
        format!("{} {} {:?}", self.method, self.target, String::from_utf8_lossy(&self.body))
    }
}

/// Reads one request (head up to `\r\n\r\n`, then `Content-Length` bytes of
/// body) from `socket`, keeping any bytes past it in `buffer`. `None` when
/// the connection ends or the request cannot be framed.
async fn read_request(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<RawRequest> {
    const MAX_HEAD: usize = 64 * 1024;
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if buffer.len() > MAX_HEAD || socket.read_buf(buffer).await.ok()? == 0 {
            return None;
        }
    };
    let head = std::str::from_utf8(&buffer[..head_end]).ok()?.to_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, target) = (request_line.next()?.to_owned(), request_line.next()?.to_owned());
    let mut length = 0;
    let mut authorization = None;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().ok()?;
        } else if name.eq_ignore_ascii_case("authorization") {
            authorization = Some(value.trim().to_owned());
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return None; // reqwest sends sized bodies; chunked is not expected
        }
    }
    let end = head_end + 4 + length;
    while buffer.len() < end {
        if socket.read_buf(buffer).await.ok()? == 0 {
            return None;
        }
    }
    let body = buffer[head_end + 4..end].to_vec();
    buffer.drain(..end);
    Some(RawRequest { method, target, authorization, body })
}

/// The call a request belongs to, if it is what that call should send:
/// credentials, path, method and form body.
fn check(request: &RawRequest, expected_auth: &str) -> Option<u32> {
    if request.authorization.as_deref() != Some(expected_auth) {
        return None;
    }
    let rest = request.target.strip_prefix("/v1/Services/KS")?;
    let (hex, rest) = rest.split_at_checked(32)?;
    let call = u32::try_from(u128::from_str_radix(hex, 16).ok()?).ok()?;
    if rest != format!("/Sessions/{SESSION}/Participants/{PARTICIPANT}/MessageInteractions") || call >= CALLS {
        return None;
    }
    let expected = if is_post(call) { ("POST", format!("Body=call-{call}").into_bytes()) } else { ("GET", Vec::new()) };
    (request.method == expected.0 && request.body == expected.1).then_some(call)
}

async fn write(socket: &mut TcpStream, status: &str, extra_headers: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra_headers}\r\n",
        body.len()
    );
    let mut response = Vec::with_capacity(head.len() + body.len());
    response.extend_from_slice(head.as_bytes());
    response.extend_from_slice(body);
    socket.write_all(&response).await
}

// --- the client ---

/// Sends call number `call` and checks what it decoded.
async fn send(client: &Client, call: u32) -> Result<Outcome, String> {
    let result = if is_post(call) {
        let create = CreateMessageInteraction::new(service_sid(call), SESSION, PARTICIPANT).body(format!("call-{call}"));
        create.send(client).await.map(|created| created.sid.as_deref() == Some("KIaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
    } else {
        let list = ListMessageInteraction::new(service_sid(call), SESSION, PARTICIPANT);
        list.send(client).await.map(|page| page.interactions.is_some_and(|items| items.len() == 1))
    };
    match result {
        Ok(true) => Ok(Outcome::Ok),
        Ok(false) => Err(format!("call {call}: decoded something other than the fixture")),
        Err(Error::Api(e)) if e.status == 429 => Ok(Outcome::Api429),
        Err(Error::Api(e)) if e.status == 503 => Ok(Outcome::Api503),
        Err(Error::Transport(_)) => Ok(Outcome::Transport),
        Err(Error::Timeout { .. }) => Ok(Outcome::Timeout),
        Err(other) => Err(format!("call {call}: unexpected error {other:?}")),
    }
}

/// `VmRSS` and `VmHWM` of this process, in bytes (Linux only).
fn memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kib: u64 = line[name.len()..].trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kib * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_calls_through_one_client_under_faults() {
    let server = start_server().await;
    let policy = RetryPolicy::new()
        .max_retries(MAX_RETRIES)
        .initial_delay(Duration::from_millis(2))
        .max_delay(Duration::from_millis(10));
    let client = builder_for(&server.url).timeout(TIMEOUT).retry(policy).build().unwrap();
    let before = memory();
    let began = Instant::now();

    // Clones of a `Client` share its connection pool: this is one client.
    // Each call is its own task, so both worker threads drive calls, and a
    // panic in one shows up as a `JoinError` rather than ending the run.
    let results: Vec<(u32, Result<Outcome, String>)> = futures::stream::iter(0..CALLS)
        .map(|call| {
            let client = client.clone();
            async move {
                let result = tokio::spawn(async move { send(&client, call).await }).await;
                (call, result.unwrap_or_else(|e| Err(format!("call {call} panicked: {e}"))))
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;

    let elapsed = began.elapsed();
    let after = memory();
    let stats = &server.stats;
    let attempts = stats.attempts.lock().unwrap().clone();
    let requests = stats.requests.load(Ordering::SeqCst);
    let accepted = stats.accepted.load(Ordering::SeqCst);

    // The figures first, so that a failure below comes with them.
    let mut outcomes: BTreeMap<Outcome, usize> = BTreeMap::new();
    for (_, result) in &results {
        if let Ok(outcome) = result {
            *outcomes.entry(*outcome).or_default() += 1;
        }
    }
    let count = |outcome| outcomes.get(&outcome).copied().unwrap_or(0);
    let mut actions: BTreeMap<Action, usize> = BTreeMap::new();
    for attempt in &attempts {
        *actions.entry(attempt.action).or_default() += 1;
    }
    let resets = actions.get(&Action::Reset).copied().unwrap_or(0);
    println!("calls: {} ({} in flight), {:.2?}", results.len(), IN_FLIGHT, elapsed);
    println!("requests seen by the server: {requests} (at most {})", CALLS as usize * ATTEMPTS_PER_CALL);
    println!("server answers: {actions:?}");
    println!(
        "connections: {accepted} accepted, at most {} open at once, {resets} reset by the server",
        stats.peak_open.load(Ordering::SeqCst)
    );
    println!(
        "results: ok {}, api 429 {}, api 503 {}, transport {}, timeout {}",
        count(Outcome::Ok),
        count(Outcome::Api429),
        count(Outcome::Api503),
        count(Outcome::Transport),
        count(Outcome::Timeout),
    );
    if let (Some((rss_before, _)), Some((rss_after, hwm))) = (before, after) {
        println!("memory: VmRSS {} -> {} MiB, VmHWM {} MiB", rss_before / MIB, rss_after / MIB, hwm / MIB);
    }

    // Every call ended in its result or a typed error, and the server got
    // nothing malformed.
    assert_eq!(results.len(), CALLS as usize);
    let failures: Vec<&String> = results.iter().filter_map(|(_, r)| r.as_ref().err()).collect();
    assert!(failures.is_empty(), "{} calls went wrong, first: {:#?}", failures.len(), &failures[..failures.len().min(10)]);
    let malformed = stats.malformed.lock().unwrap();
    assert!(malformed.is_empty(), "{} malformed requests, first: {:#?}", malformed.len(), &malformed[..malformed.len().min(10)]);
    assert_eq!(requests, attempts.len() as u64);
    assert!(attempts.len() <= CALLS as usize * ATTEMPTS_PER_CALL);

    // Each call's attempts, in the order the server read them, are exactly
    // what the retry rules allow. Attempts of one call are sequential: the
    // next goes out only once the previous one's answer (or reset) arrived.
    let mut by_call: Vec<Vec<Action>> = vec![Vec::new(); CALLS as usize];
    for attempt in &attempts {
        assert_eq!(attempt.post, is_post(attempt.call));
        by_call[attempt.call as usize].push(attempt.action);
    }
    let mut outcome_of = vec![Outcome::Ok; CALLS as usize];
    for (call, result) in &results {
        outcome_of[*call as usize] = *result.as_ref().unwrap();
    }
    let mut violations = Vec::new();
    // A GET that timed out is retried whatever the server was about to
    // answer. With a 10 s timeout this takes a stalled process, and one
    // stall times out at most the IN_FLIGHT attempts under way; a client
    // that resent GETs after an answer would do it thousands of times.
    let mut retried_after_timeout = 0;
    for (call, &outcome) in outcome_of.iter().enumerate() {
        let post = is_post(call as u32);
        let seen = &by_call[call];
        let Some((last, earlier)) = seen.split_last() else {
            violations.push(format!("call {call}: never reached the server, ended {outcome:?}"));
            continue;
        };
        if seen.len() > ATTEMPTS_PER_CALL {
            violations.push(format!("call {call}: {} attempts: {seen:?}", seen.len()));
        }
        for action in earlier {
            match (retried(post, *action), post) {
                (true, _) => {}
                (false, false) => retried_after_timeout += 1,
                (false, true) => violations.push(format!("call {call}: POST resent after {action:?}: {seen:?}")),
            }
        }
        if outcome == Outcome::Timeout {
            continue;
        }
        if outcome != ends_as(*last) {
            violations.push(format!("call {call}: ended {outcome:?} after {seen:?}"));
        }
        if retried(post, *last) && seen.len() != ATTEMPTS_PER_CALL {
            violations.push(format!("call {call}: retries left but not made after {seen:?}"));
        }
    }
    let first = &violations[..violations.len().min(10)];
    assert!(violations.is_empty(), "{} calls broke the retry rules, first: {first:#?}", violations.len());
    if retried_after_timeout > 0 {
        println!("GET attempts resent after a client-side timeout: {retried_after_timeout}");
    }
    assert!(retried_after_timeout <= IN_FLIGHT, "{retried_after_timeout} GETs resent after an answer");

    // The doomed calls, whatever the interleaving: a 429 is retried until
    // none are left, for a POST too; after a 503 or a reset a GET is, and a
    // POST is sent exactly once.
    let doomed_of = |action| (0..CALLS).filter(|&c| doomed(c) == Some(action)).count();
    let doomed_posts = |action| (0..CALLS).filter(|&c| is_post(c) && doomed(c) == Some(action)).count();
    for call in (0..CALLS).filter(|&c| doomed(c).is_some()) {
        let (action, post) = (doomed(call).unwrap(), is_post(call));
        let expected = if retried(post, action) { ATTEMPTS_PER_CALL } else { 1 };
        if outcome_of[call as usize] != Outcome::Timeout {
            assert_eq!(by_call[call as usize].len(), expected, "call {call} (POST: {post}) always answered {action:?}");
        }
    }
    // A POST whose connection was reset is not sent again (an earlier 429
    // may have been retried), so its first reset is its last attempt.
    let posts = |reset_at: fn(&[Action]) -> bool| (0..CALLS).filter(|&c| is_post(c) && reset_at(&by_call[c as usize])).count();
    let posts_reset = posts(|seen| seen.contains(&Action::Reset));
    let posts_reset_last = posts(|seen| seen.iter().position(|a| *a == Action::Reset) == Some(seen.len() - 1));
    let posts_sent_once = posts(|seen| seen == [Action::Reset]);
    println!(
        "POSTs reset: {posts_reset}, {posts_sent_once} on their only attempt, {} after a 429",
        posts_reset - posts_sent_once
    );
    assert_eq!(posts_reset, posts_reset_last, "a POST was resent after a reset");
    assert!(posts_sent_once >= doomed_posts(Action::Reset), "the doomed POSTs alone are reset on their first attempt");
    // Every kind of answer happened, and retries ran out at least for the
    // doomed calls.
    for kind in [Action::Answer, Action::Slow, Action::TooMany, Action::Unavailable, Action::Reset] {
        assert!(actions.contains_key(&kind), "the server never answered {kind:?}");
    }
    let timeouts = count(Outcome::Timeout);
    assert!(count(Outcome::Api429) + timeouts >= doomed_of(Action::TooMany));
    assert!(count(Outcome::Api503) + timeouts >= doomed_of(Action::Unavailable));
    assert!(count(Outcome::Transport) + timeouts >= doomed_of(Action::Reset));

    // Connections are reused. Only resets (and timeouts) end a connection
    // during the run, so every other accepted connection is still in the
    // client's pool. The pool opens one only when a request finds none
    // idle: then all live connections are held by one of the IN_FLIGHT
    // requests or on their way back to the pool. hyper races the new
    // connection against one coming back and keeps the loser idle, which
    // adds at most one per waiting request: 2 x IN_FLIGHT in all, as long
    // as fewer than IN_FLIGHT connections are on their way back at once
    // (runs show 60 to 80 above the resets; 100 open at most).
    let bound = resets + count(Outcome::Timeout) + 2 * IN_FLIGHT;
    assert!(accepted <= bound, "{accepted} connections for {requests} requests (bound {bound})");
    assert!(accepted * 10 < requests as usize, "{accepted} connections for {requests} requests");

    // Memory is bounded, at its peak as well as at the end: a generous
    // limit, to catch what grows with the number of requests (a leak per
    // request, results or logs kept without bound).
    if let (Some((rss_before, _)), Some((rss_after, hwm))) = (before, after) {
        for (what, bytes) in [("VmRSS", rss_after), ("VmHWM", hwm)] {
            let growth = bytes.saturating_sub(rss_before);
            assert!(growth < 256 * MIB, "{what} is {} MiB above the VmRSS before the run", growth / MIB);
        }
    }
}
