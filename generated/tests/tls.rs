//! Whichever TLS backend the features chose (`rustls`, `rustls-ring`,
//! `native-tls`), a client builds and speaks TLS: a handshake with a
//! server that is not one ends in a transport error, not a panic. CI runs
//! this once per backend (`.ci/run`).

mod common;

use common::{PARTICIPANT, SERVICE, SESSION, client_for};
use tokio::io::AsyncWriteExt;
use twilio_api::Error;
use twilio_api::proxy_v1::ListMessageInteraction;

#[tokio::test]
async fn a_client_builds_and_its_tls_handshake_fails_cleanly_against_plain_text() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n").await;
        }
    });
    let client = client_for(&format!("https://{address}"));
    let error = ListMessageInteraction::new(SERVICE, SESSION, PARTICIPANT).send(&client).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}
