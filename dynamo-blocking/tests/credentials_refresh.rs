//! The client's credentials cache under load and on `ExpiredTokenException`,
//! against loopback servers: a container-credentials server issuing
//! short-lived credentials and a fake DynamoDB that checks every request is
//! signed with credentials it issued and that have not expired.

#[path = "support/loopback.rs"]
mod loopback;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use dynamo_blocking::config::{ConfigError, Environment};
use dynamo_blocking::{Client, Credentials, Error, ProvideCredentials, RetryPolicy};
use loopback::{Reply, Request, Server};

/// The access key id in a SigV4 `Authorization` header.
fn signing_key(r: &Request) -> String {
    let auth = r.header("authorization").unwrap_or("");
    auth.split("Credential=")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("")
        .to_string()
}

fn no_imds() -> Environment {
    Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")])
}

const EXPIRED_TOKEN: &str = r#"{"__type":"com.amazon.coral.service#ExpiredTokenException","message":"The security token included in the request is expired"}"#;

/// Hands out `AKID1`, `AKID2`, ... valid for an hour, counting calls.
struct Numbered(AtomicU32);

impl ProvideCredentials for Numbered {
    fn provide_credentials(&self) -> Result<Credentials, ConfigError> {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(Credentials::new(format!("AKID{n}"), "secret")
            .with_session_token(format!("token{n}"))
            .with_expiry(SystemTime::now() + Duration::from_secs(3600)))
    }
}

fn client_with(provider: Arc<Numbered>, endpoint: &str) -> Client {
    struct Shared(Arc<Numbered>);
    impl ProvideCredentials for Shared {
        fn provide_credentials(&self) -> Result<Credentials, ConfigError> {
            self.0.provide_credentials()
        }
    }
    Client::builder()
        .credentials_provider(Shared(provider))
        .region("us-east-1")
        .endpoint(endpoint)
        .environment(no_imds())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[test]
fn expired_token_refreshes_and_retries_once() {
    // Rejects the first credentials as expired, accepts the next ones.
    let dynamo = Server::start(|r: &Request| {
        if signing_key(r) == "AKID1" {
            Reply::status(400, EXPIRED_TOKEN)
        } else {
            Reply::ok(r#"{"TableNames":["t1"]}"#)
        }
    });
    let provider = Arc::new(Numbered(AtomicU32::new(0)));
    let client = client_with(provider.clone(), &dynamo.url());
    assert_eq!(
        client.credentials_source(),
        None,
        "a custom provider is asked lazily"
    );
    let names: Vec<String> = client.list_tables().collect::<Result<_, _>>().unwrap();
    assert_eq!(names, ["t1"]);
    assert_eq!(provider.0.load(Ordering::SeqCst), 2);
    let keys: Vec<String> = dynamo.requests().iter().map(signing_key).collect();
    assert_eq!(keys, ["AKID1", "AKID2"]);
    assert_eq!(
        client.credentials_source().as_deref(),
        Some("custom provider")
    );
}

#[test]
fn expired_token_twice_is_returned_after_one_refresh() {
    let dynamo = Server::start(|_: &Request| Reply::status(400, EXPIRED_TOKEN));
    let provider = Arc::new(Numbered(AtomicU32::new(0)));
    let client = client_with(provider.clone(), &dynamo.url());
    let err = client.list_tables().next().unwrap().unwrap_err();
    assert!(
        matches!(&err, Error::Service(e) if e.code == "ExpiredTokenException"),
        "{err:?}"
    );
    assert_eq!(provider.0.load(Ordering::SeqCst), 2);
    assert_eq!(dynamo.requests().len(), 2);
}

#[test]
fn a_failing_provider_is_a_config_error_naming_it() {
    struct Down;
    impl ProvideCredentials for Down {
        fn provide_credentials(&self) -> Result<Credentials, ConfigError> {
            Err(dynamo_blocking::CredentialsError::new("vault", "sealed").into())
        }
    }
    let dynamo = Server::start(|_: &Request| Reply::ok("{}"));
    let client = Client::builder()
        .credentials_provider(Down)
        .region("us-east-1")
        .endpoint(dynamo.url())
        .environment(no_imds())
        .build()
        .unwrap();
    let err = client.list_tables().next().unwrap().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_eq!(err.to_string(), "credentials from vault: sealed");
    assert!(dynamo.requests().is_empty());
}

/// Credentials issued by the container server: key -> (token, expiry).
type Issued = Arc<Mutex<HashMap<String, (String, SystemTime)>>>;

#[test]
fn many_threads_share_one_refresh_and_never_sign_with_expired_credentials() {
    const LIFETIME: Duration = Duration::from_secs(2);
    const THREADS: usize = 16;
    const REQUESTS: usize = 200;

    let issued: Issued = Arc::new(Mutex::new(HashMap::new()));
    let counter = Arc::new(AtomicUsize::new(0));
    let container = {
        let (issued, counter) = (issued.clone(), counter.clone());
        Server::start(move |_: &Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let key = format!("ASIAREFRESH{n}");
            let token = format!("token-{n}");
            // Millisecond precision, as the wire format allows.
            let expiry_text = DateTime::<Utc>::from(SystemTime::now() + LIFETIME)
                .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                .to_string();
            let expiry: SystemTime = DateTime::parse_from_rfc3339(&expiry_text).unwrap().into();
            issued
                .lock()
                .unwrap()
                .insert(key.clone(), (token.clone(), expiry));
            Reply::ok(
                serde_json::json!({
                    "AccessKeyId": key,
                    "SecretAccessKey": "refreshSecret",
                    "Token": token,
                    "Expiration": expiry_text,
                })
                .to_string(),
            )
        })
    };
    let violations = Arc::new(Mutex::new(Vec::<String>::new()));
    let dynamo = {
        let (issued, violations) = (issued.clone(), violations.clone());
        Server::start(move |r: &Request| {
            let now = SystemTime::now();
            let key = signing_key(r);
            let token = r.header("x-amz-security-token").unwrap_or("").to_string();
            let verdict = match issued.lock().unwrap().get(&key) {
                None => Some(format!("unknown key {key:?}")),
                Some((expected, _)) if *expected != token => Some(format!("wrong token for {key}")),
                Some((_, expiry)) if now >= *expiry => Some(format!("{key} used after expiry")),
                Some(_) => None,
            };
            match verdict {
                Some(v) => {
                    violations.lock().unwrap().push(v);
                    Reply::status(400, EXPIRED_TOKEN)
                }
                None => Reply::ok(r#"{"TableNames":[]}"#),
            }
        })
    };
    let env = Environment::from_pairs([
        ("AWS_EC2_METADATA_DISABLED", "true"),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            &format!("{}/creds", container.url()),
        ),
        ("HOME", "/nonexistent-dynamo-rs-test-home"),
    ]);
    let client = Client::builder()
        .environment(env)
        .region("us-east-1")
        .endpoint(dynamo.url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert!(client
        .credentials_source()
        .unwrap()
        .starts_with("container credentials"));

    let started = Instant::now();
    let failures = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                for _ in 0..REQUESTS {
                    if client.list_tables().next().is_some_and(|r| r.is_err()) {
                        failures.fetch_add(1, Ordering::SeqCst);
                    }
                    std::thread::sleep(Duration::from_millis(15));
                }
            });
        }
    });
    let elapsed = started.elapsed();
    let fetches = counter.load(Ordering::SeqCst);
    let violations = violations.lock().unwrap();
    eprintln!(
        "{} requests in {elapsed:?}, {fetches} credential fetches",
        dynamo.requests().len()
    );
    assert!(violations.is_empty(), "{violations:?}");
    assert_eq!(failures.load(Ordering::SeqCst), 0);
    assert_eq!(dynamo.requests().len(), THREADS * REQUESTS);
    // Several expiries were crossed (each key lives 2 s)...
    assert!(elapsed > LIFETIME, "{elapsed:?}");
    assert!(fetches >= 3, "{fetches} fetches in {elapsed:?}");
    // ...with one refresh per half-lifetime, not one per thread: 16 threads
    // refreshing on their own would fetch about 16 times as often.
    let windows = (elapsed.as_secs_f64() / (LIFETIME.as_secs_f64() / 2.0)).ceil() as usize;
    assert!(
        fetches <= 2 * windows + 2,
        "{fetches} fetches in {elapsed:?}"
    );
}
