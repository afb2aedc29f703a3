//! A Prism mock server for one spec, on a free port of 127.0.0.1. The
//! contract test uses it, and so do the corpus's request tests (which copy
//! this file into their scratch workspace).
//!
//! The port is picked by binding port 0 and letting it go, so another
//! process can take it before Prism binds it. Prism then exits, and a test
//! that only waited for the port to accept connections would talk to that
//! other process (a Prism mocking another spec answers every request with
//! "no path matched"). So `start` waits for this Prism to say that it
//! listens on its port, and tries another port when it exits first.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How many ports `start` tries before giving up.
const PORTS: usize = 5;

/// A running Prism; stopped when dropped.
pub struct Prism {
    child: Child,
    pub url: String,
}

impl Prism {
    /// Starts `executable mock <spec>` and returns once it listens; an error
    /// when it does not within `patience` or exits on every port tried.
    pub fn start(executable: &Path, spec: &Path, patience: Duration) -> Result<Prism, String> {
        let mut last = String::new();
        for _ in 0..PORTS {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|listener| listener.local_addr())
                .map_err(|e| format!("finding a free port: {e}"))?
                .port();
            let mut child = Command::new(executable)
                .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
                .arg(spec)
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("starting {}: {e}", executable.display()))?;
            let listening = said_listening(&mut child, port);
            let url = format!("http://127.0.0.1:{port}");
            let mut prism = Prism { child, url };
            match listening.recv_timeout(patience) {
                Ok(()) => return Ok(prism),
                Err(RecvTimeoutError::Disconnected) => {
                    prism.stop();
                    last = format!("prism exited before listening on port {port}, for {}", spec.display());
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!("prism did not listen within {} s, for {}", patience.as_secs(), spec.display()));
                }
            }
        }
        Err(last)
    }

    /// Whether the process still runs (not stopped, not dead).
    pub fn is_answering(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A receiver that gets one message when `child` prints that it listens on
/// `port`, and disconnects when its output ends first (it exited). The
/// reading thread keeps draining the output afterwards (Prism logs every
/// request), so Prism never blocks on a full pipe.
fn said_listening(child: &mut Child, port: u16) -> mpsc::Receiver<()> {
    let (tell, listening) = mpsc::channel();
    let output = child.stdout.take().expect("stdout is piped");
    let needle = format!("listening on http://127.0.0.1:{port}");
    std::thread::spawn(move || {
        let mut tell = Some(tell);
        for line in BufReader::new(output).lines() {
            let Ok(line) = line else { break };
            if line.contains(&needle) {
                if let Some(tell) = tell.take() {
                    let _ = tell.send(());
                }
            }
        }
    });
    listening
}
