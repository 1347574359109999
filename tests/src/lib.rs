//! Shared helpers for the workspace-level integration tests.
//!
//! Every test gets its client from [`client`]: the server named by
//! `DYNAMO_TEST_ENDPOINT` (what `./scripts/test.sh` starts), or else one
//! DynamoDB Local per test binary started through the library's own launcher,
//! the same mechanism users get with the `local` feature.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use dynamo_blocking::local::DynamoDbLocal;
use dynamo_blocking::{Client, Credentials, RetryPolicy};

pub mod fault_proxy;
pub mod hostile;

/// A client for the test server.
pub fn client() -> Client {
    builder().build().expect("test client")
}

/// A client builder pointed at the test server, for tests that tune retries
/// or timeouts.
pub fn builder() -> dynamo_blocking::ClientBuilder {
    Client::builder()
        .endpoint(endpoint())
        .region("us-east-1")
        .credentials(Credentials::new("dynamorstests", "dynamorstests"))
        .environment(dynamo_blocking::config::Environment::empty())
        .retry_policy(RetryPolicy::default())
}

/// The test server's URL.
pub fn endpoint() -> String {
    static LOCAL: OnceLock<Option<DynamoDbLocal>> = OnceLock::new();
    if let Ok(url) = std::env::var("DYNAMO_TEST_ENDPOINT") {
        if !url.is_empty() {
            return url;
        }
    }
    let local = LOCAL.get_or_init(|| match DynamoDbLocal::start() {
        Ok(local) => Some(local),
        Err(e) => panic!("no DYNAMO_TEST_ENDPOINT and DynamoDB Local could not start: {e}\nRun ./scripts/test.sh"),
    });
    local.as_ref().expect("started").endpoint().to_owned()
}

/// A table name no other test (or test run) uses.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{prefix}-{}-{nanos}-{n}", std::process::id())
}

/// Deletes a table when dropped, so tests clean up even when they fail.
pub struct DropTable {
    client: Client,
    name: String,
}

impl DropTable {
    /// Guards `name`.
    pub fn new(client: &Client, name: &str) -> Self {
        DropTable {
            client: client.clone(),
            name: name.to_owned(),
        }
    }

    /// The table name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for DropTable {
    fn drop(&mut self) {
        let _ = self.client.send(&dynamo_blocking::wire::DeleteTableInput {
            table_name: self.name.clone(),
        });
        let _ = self
            .client
            .wait_until_deleted(&self.name, Duration::from_secs(10));
    }
}

/// The workspace README's Rust examples, compiled and run as doctests so they
/// stay true. They live here, in the unpublished test crate, because the
/// README is outside every published crate.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
