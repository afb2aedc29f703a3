//! Sends a message to a Conversation, configured from the environment.
//!
//! ```sh
//! export TWILIO_ACCOUNT_SID=ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
//! export TWILIO_AUTH_TOKEN=...        # or TWILIO_API_KEY and TWILIO_API_SECRET
//! export TWILIO_EDGE=sydney           # optional, with TWILIO_REGION
//! cargo run -p twilio-api --example send_conversation_message -- \
//!     ISxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx CHxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx "Hello from Rust"
//! ```

use std::process::ExitCode;
use std::time::Duration;

use twilio_api::conversations_v1::CreateServiceConversationMessage;
use twilio_api::{ClientBuilder, Error, RetryPolicy};

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [service, conversation, body] = args.as_slice() else {
        eprintln!("usage: send_conversation_message <ChatServiceSid> <ConversationSid> <message>");
        return ExitCode::from(2);
    };
    match send(service, conversation, body).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn send(service: &str, conversation: &str, body: &str) -> Result<(), Error> {
    let client = ClientBuilder::from_env()?
        .timeout(Duration::from_secs(15))
        // 429s and refused connections are retried; a POST that may have
        // arrived is not sent twice.
        .retry(RetryPolicy::new())
        .build()?;
    let message = CreateServiceConversationMessage::new(service, conversation)
        .author("rust-example")
        .body(body)
        .send(&client)
        .await?;
    println!("sent message {} (#{})", message.sid.as_deref().unwrap_or("?"), message.index.unwrap_or_default());
    Ok(())
}
