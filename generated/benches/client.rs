//! What the generated client costs per request, against the same request
//! written by hand with reqwest, both sent to one local HTTP/1.1 server on
//! 127.0.0.1 in the same run:
//!
//! - a form POST with an array field (Proxy `CreateMessageInteraction` with
//!   two `MediaUrl`s);
//! - a JSON GET that decodes a list page of 50 items (Proxy
//!   `ListMessageInteraction`).
//!
//! Both decode into the same generated types, so the difference is what the
//! client adds: validation, request building, URL and header handling, the
//! retry loop, tracing, decoding glue. The server is a child process (this
//! program again, told so by an environment variable), so that the CPU time
//! this process spends is the client's alone.
//!
//! Two modes, each in rounds that alternate the two sides (ABBA), so that
//! drift on a noisy machine hits both:
//!
//! - one request at a time on a single-threaded runtime: the median time per
//!   request of each and their ratio, and allocations per request;
//! - many in flight (64 tasks, each sending one request after another) through
//!   one client on a multi-threaded runtime: throughput, and the client's CPU
//!   time per request (the process's CPU clock).
//!
//! `cargo bench -p twilio-api --bench client` (also run by `cargo xtask bench`).
//! With `TWILIO_API_BENCH_PROFILE=create` (or `list`, `by-hand-create`,
//! `by-hand-list`) it only sends that request, many in flight, for a profiler.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use twilio_api::Client;
use twilio_api::proxy_v1::{CreateMessageInteraction, ListMessageInteraction, ListMessageInteractionResponse, MessageInteraction};

const SERVICE: &str = "KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const SESSION: &str = "KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const PARTICIPANT: &str = "KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const ACCOUNT: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TOKEN: &str = "bench-token";
const PATH: &str = "/v1/Services/KSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Sessions/KCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Participants/KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/MessageInteractions";
const MEDIA: [&str; 2] = ["https://example.com/a.png", "https://example.com/b.png"];
const BODY: &str = "Your driver is two minutes away";

const ROUNDS: usize = 30;
const PER_ROUND: usize = 200;
const COUNTED: usize = 200;
const IN_FLIGHT: usize = 64;
const CONCURRENT_ROUNDS: usize = 10;
const CONCURRENT_PER_ROUND: usize = 6400;
/// Set in the child process that serves.
const SERVE: &str = "TWILIO_API_BENCH_SERVE";
/// Only the generated client, for a profiler.
const PROFILE: &str = "TWILIO_API_BENCH_PROFILE";

fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("fixture JSON")
}

/// A full HTTP/1.1 response with a JSON body.
fn response(status: &str, body: &serde_json::Value) -> Vec<u8> {
    let body = serde_json::to_vec(body).expect("JSON");
    let mut out = format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend(body);
    out
}

/// Serves keep-alive connections: 201 with an interaction to a POST, 200
/// with a page of 50 to anything else.
async fn serve(listener: TcpListener, created: Vec<u8>, page: Vec<u8>) {
    loop {
        let Ok((socket, _)) = listener.accept().await else { return };
        let (created, page) = (created.clone(), page.clone());
        tokio::spawn(connection(socket, created, page));
    }
}

async fn connection(mut socket: TcpStream, created: Vec<u8>, page: Vec<u8>) {
    let _ = socket.set_nodelay(true);
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        // Read a head, then as many body bytes as it announces.
        let head_end = loop {
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buffer.len() < head_end + length {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let answer = if head.starts_with("post") { &created } else { &page };
        buffer.drain(..head_end + length);
        if socket.write_all(answer).await.is_err() {
            return;
        }
    }
}

/// The two requests, written by hand: what a careful user of reqwest would
/// send without this crate (same headers and body bytes), decoded into the
/// same types.
struct ByHand {
    http: reqwest::Client,
    base: String,
    user_agent: String,
}

impl ByHand {
    async fn create(&self) -> MessageInteraction {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("Body", BODY)
            .append_pair("MediaUrl", MEDIA[0])
            .append_pair("MediaUrl", MEDIA[1])
            .finish();
        let response = self
            .http
            .post(format!("{}{PATH}", self.base))
            .basic_auth(ACCOUNT, Some(TOKEN))
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, &self.user_agent)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("sent");
        assert!(response.status().is_success());
        serde_json::from_slice(&response.bytes().await.expect("body")).expect("decoded")
    }

    async fn list(&self) -> ListMessageInteractionResponse {
        let response = self
            .http
            .get(format!("{}{PATH}?PageSize=50", self.base))
            .basic_auth(ACCOUNT, Some(TOKEN))
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, &self.user_agent)
            .send()
            .await
            .expect("sent");
        assert!(response.status().is_success());
        serde_json::from_slice(&response.bytes().await.expect("body")).expect("decoded")
    }
}

#[derive(Clone)]
struct Generated {
    client: Client,
}

impl Generated {
    async fn create(&self) -> MessageInteraction {
        CreateMessageInteraction::new(SERVICE, SESSION, PARTICIPANT)
            .body(BODY)
            .media_url(MEDIA)
            .send(&self.client)
            .await
            .expect("created")
    }

    async fn list(&self) -> ListMessageInteractionResponse {
        ListMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).page_size(50).send(&self.client).await.expect("listed")
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The server side: listens on 127.0.0.1, prints its address and serves
/// until this process is killed.
fn serve_here() {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    std_listener.set_nonblocking(true).expect("nonblocking");
    println!("http://{}", std_listener.local_addr().expect("address"));
    let interaction = fixture("proxy_message_interaction.json");
    let mut page = fixture("proxy_message_interaction_list.json");
    let item = page["interactions"][0].clone();
    page["interactions"] = serde_json::Value::Array(vec![item; 50]);
    page["meta"]["next_page_url"] = serde_json::Value::Null;
    let (created, page) = (response("201 Created", &interaction), response("200 OK", &page));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime");
    runtime.block_on(async move {
        let listener = TcpListener::from_std(std_listener).expect("listener");
        serve(listener, created, page).await;
    });
}

/// The server in a child process, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(std::env::current_exe().expect("this program"))
            .env(SERVE, "1")
            .stdout(Stdio::piped())
            .spawn()
            .expect("server process");
        let mut base = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut base).expect("server address");
        Server { child, base: base.trim().to_owned() }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU time this process has used, on every thread.
fn cpu_now() -> Duration {
    let spec = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(spec.tv_sec as u64, spec.tv_nsec as u32)
}

fn main() {
    if std::env::var_os(SERVE).is_some() {
        return serve_here();
    }
    let server = Server::start();
    let http = || reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("reqwest");
    let generated = Generated {
        client: Client::builder().auth_token(ACCOUNT, TOKEN).base_url(&server.base).http_client(http()).build().expect("client"),
    };
    let by_hand = ByHand { http: http(), base: server.base.clone(), user_agent: "twilio-api-bench/1".to_owned() };
    if let Ok(request) = std::env::var(PROFILE) {
        return profile(&generated, &Arc::new(by_hand), &request);
    }
    one_at_a_time(&generated, &by_hand);
    many_in_flight(&generated, Arc::new(by_hand));
}

fn one_at_a_time(generated: &Generated, by_hand: &ByHand) {
    // Allocations counted here are the client's: the server is another process.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("client runtime");
    println!("\nper-request cost, generated client / the same request by hand with reqwest");
    println!("(one at a time: {ROUNDS} rounds of {PER_ROUND} requests each, 127.0.0.1)\n");
    println!("| request | generated µs | by hand µs | ratio (median of rounds) | allocations generated | by hand |");
    println!("|---|---:|---:|---:|---:|---:|");
    macro_rules! compare {
        ($label:expr, $method:ident) => {{
            // Warm up both: connections, caches, lazy statics.
            runtime.block_on(async {
                for _ in 0..PER_ROUND {
                    std::hint::black_box(generated.$method().await);
                    std::hint::black_box(by_hand.$method().await);
                }
            });
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            for round in 0..ROUNDS {
                let time_ours = || {
                    let began = Instant::now();
                    runtime.block_on(async {
                        for _ in 0..PER_ROUND {
                            std::hint::black_box(generated.$method().await);
                        }
                    });
                    per_request(began.elapsed(), PER_ROUND)
                };
                let time_theirs = || {
                    let began = Instant::now();
                    runtime.block_on(async {
                        for _ in 0..PER_ROUND {
                            std::hint::black_box(by_hand.$method().await);
                        }
                    });
                    per_request(began.elapsed(), PER_ROUND)
                };
                if round % 2 == 0 {
                    ours.push(time_ours());
                    theirs.push(time_theirs());
                } else {
                    theirs.push(time_theirs());
                    ours.push(time_ours());
                }
            }
            let count = |generated_side: bool| {
                let info = allocation_counter::measure(|| {
                    runtime.block_on(async {
                        for _ in 0..COUNTED {
                            if generated_side {
                                std::hint::black_box(generated.$method().await);
                            } else {
                                std::hint::black_box(by_hand.$method().await);
                            }
                        }
                    })
                });
                info.count_total as f64 / COUNTED as f64
            };
            // Each round's pair ran back to back, so the median of their
            // ratios is the least disturbed by the machine's drift.
            let ratio = median(ours.iter().zip(&theirs).map(|(o, t)| o / t).collect());
            let (ours, theirs) = (median(ours), median(theirs));
            println!(
                "| {} | {ours:.1} | {theirs:.1} | {ratio:.3} | {:.1} | {:.1} |",
                $label,
                count(true),
                count(false)
            );
        }};
    }
    compare!("form POST, array field", create);
    compare!("JSON GET, page of 50", list);
}

/// One round's figures with many requests in flight.
struct Load {
    /// Requests per second.
    throughput: f64,
    /// The client's CPU time per request, µs.
    cpu: f64,
}

/// `IN_FLIGHT` tasks each sending `$requests / IN_FLIGHT` requests one after
/// another through `$side` (cloned into each), on `$runtime`.
macro_rules! load {
    ($runtime:expr, $side:expr, $method:ident, $requests:expr) => {{
        let (began, cpu) = (Instant::now(), cpu_now());
        $runtime.block_on(async {
            let tasks: Vec<_> = (0..IN_FLIGHT)
                .map(|_| {
                    let side = $side.clone();
                    tokio::spawn(async move {
                        for _ in 0..$requests / IN_FLIGHT {
                            std::hint::black_box(side.$method().await);
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.expect("task");
            }
        });
        let (wall, cpu) = (began.elapsed(), cpu_now() - cpu);
        Load { throughput: $requests as f64 / wall.as_secs_f64(), cpu: per_request(cpu, $requests) }
    }};
}

fn profile(generated: &Generated, by_hand: &Arc<ByHand>, request: &str) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("client runtime");
    for _ in 0..CONCURRENT_ROUNDS * 4 {
        let load = match request {
            "create" => load!(runtime, generated, create, CONCURRENT_PER_ROUND),
            "list" => load!(runtime, generated, list, CONCURRENT_PER_ROUND),
            "by-hand-create" => load!(runtime, by_hand, create, CONCURRENT_PER_ROUND),
            "by-hand-list" => load!(runtime, by_hand, list, CONCURRENT_PER_ROUND),
            other => panic!("{PROFILE}: `create`, `list`, `by-hand-create` or `by-hand-list`, not {other:?}"),
        };
        println!("{:.0} requests/s, {:.1} µs of CPU each", load.throughput, load.cpu);
    }
}

fn many_in_flight(generated: &Generated, by_hand: Arc<ByHand>) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("client runtime");
    println!("\n({IN_FLIGHT} in flight through one client, multi-threaded runtime: {CONCURRENT_ROUNDS} rounds of {CONCURRENT_PER_ROUND} requests each)\n");
    println!("| request | throughput generated /s | by hand /s | ratio | client CPU generated µs/req | by hand | ratio |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    macro_rules! compare {
        ($label:expr, $method:ident) => {{
            // Warm up both: a connection per task, caches on every thread.
            load!(runtime, generated, $method, CONCURRENT_PER_ROUND);
            load!(runtime, by_hand, $method, CONCURRENT_PER_ROUND);
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            for number in 0..CONCURRENT_ROUNDS {
                if number % 2 == 0 {
                    ours.push(load!(runtime, generated, $method, CONCURRENT_PER_ROUND));
                    theirs.push(load!(runtime, by_hand, $method, CONCURRENT_PER_ROUND));
                } else {
                    theirs.push(load!(runtime, by_hand, $method, CONCURRENT_PER_ROUND));
                    ours.push(load!(runtime, generated, $method, CONCURRENT_PER_ROUND));
                }
            }
            let pairs = || ours.iter().zip(&theirs);
            let throughput_ratio = median(pairs().map(|(o, t)| o.throughput / t.throughput).collect());
            let cpu_ratio = median(pairs().map(|(o, t)| o.cpu / t.cpu).collect());
            println!(
                "| {} | {:.0} | {:.0} | {throughput_ratio:.3} | {:.1} | {:.1} | {cpu_ratio:.3} |",
                $label,
                median(ours.iter().map(|l| l.throughput).collect()),
                median(theirs.iter().map(|l| l.throughput).collect()),
                median(ours.iter().map(|l| l.cpu).collect()),
                median(theirs.iter().map(|l| l.cpu).collect()),
            );
        }};
    }
    compare!("form POST, array field", create);
    compare!("JSON GET, page of 50", list);
}

fn per_request(elapsed: Duration, requests: usize) -> f64 {
    elapsed.as_secs_f64() * 1e6 / requests as f64
}
