//! Which DynamoDB the tutorial talks to, and cleaning up after it.

use std::error::Error;
use std::sync::Mutex;
use std::time::Duration;

use dynamo_blocking::local::DynamoDbLocal;
use dynamo_blocking::{wire, Client, Credentials};

/// A client, and the DynamoDB Local it runs against when the tutorial
/// started one (stopped when this is dropped).
pub struct Connection {
    pub client: Client,
    _local: Option<DynamoDbLocal>,
}

fn env_set(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.trim().is_empty())
}

pub fn connect() -> Result<Connection, Box<dyn Error>> {
    let wants_aws = std::env::args().any(|a| a == "--aws");
    let endpoint_set = env_set("AWS_ENDPOINT_URL_DYNAMODB") || env_set("AWS_ENDPOINT_URL");
    if wants_aws || endpoint_set {
        let mut builder = Client::builder();
        // A local endpoint needs no real credentials: supply placeholders
        // when none are configured (DynamoDB Local accepts any signature).
        if endpoint_set && !wants_aws && !env_set("AWS_ACCESS_KEY_ID") && !env_set("AWS_PROFILE") {
            builder = builder.credentials(Credentials::new("tutorial", "tutorial"));
            if !env_set("AWS_REGION") && !env_set("AWS_DEFAULT_REGION") {
                builder = builder.region("us-east-1");
            }
        }
        return Ok(Connection {
            client: builder.build()?,
            _local: None,
        });
    }
    println!("No endpoint configured: starting DynamoDB Local...");
    let local = DynamoDbLocal::start()?;
    Ok(Connection {
        client: local.client()?,
        _local: Some(local),
    })
}

/// Deletes every table the tutorial created when dropped, whatever happened.
pub struct Cleanup {
    client: Client,
    names: Mutex<Vec<String>>,
}

impl Cleanup {
    pub fn new(client: &Client) -> Self {
        Cleanup {
            client: client.clone(),
            names: Mutex::new(Vec::new()),
        }
    }

    /// Remembers a table to delete at the end.
    pub fn track(&self, name: &str) {
        self.names
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(name.to_owned());
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let names = std::mem::take(&mut *self.names.lock().unwrap_or_else(|p| p.into_inner()));
        for name in names {
            let gone = self.client.send(&wire::DeleteTableInput {
                table_name: name.clone(),
            });
            if gone.is_ok() {
                let _ = self
                    .client
                    .wait_until_deleted(&name, Duration::from_secs(120));
            }
        }
    }
}
