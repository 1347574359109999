//! The retry quota under a sustained outage: 16 threads calling a server
//! that fails every request send far fewer attempts than 16 × 10 per round
//! of calls once the quota is spent, and retries come back as calls succeed
//! again (issue 15). Run with `--nocapture` to see the counts.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use dynamo_blocking::config::Environment;
use dynamo_blocking::{key, wire, Client, Credentials, RetryPolicy};
use dynamo_tests::hostile::{Action, Hostile};

const THREADS: usize = 16;
const CALLS: usize = 10;

fn server(healthy: Arc<AtomicBool>) -> Hostile {
    Hostile::start(move |_| {
        if healthy.load(Ordering::SeqCst) {
            Action::ok(r#"{"Item":{"id":{"S":"a"}}}"#)
        } else {
            Action::status(
                503,
                r#"{"__type":"com.amazonaws.dynamodb.v20120810#ServiceUnavailable","message":"down"}"#,
            )
        }
    })
}

fn client(url: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .endpoint(url)
        .region("us-east-1")
        .credentials(Credentials::new("AKIDTEST", "secret"))
        .environment(Environment::empty())
        .retry_policy(policy)
        .sleep_fn(|_| {})
        .build()
        .unwrap()
}

/// `THREADS` threads making `CALLS` GetItems each; how many succeeded.
fn round(client: &Client) -> usize {
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || {
                (0..CALLS)
                    .filter(|_| {
                        client
                            .get_item(&wire::GetItemInput::new("tbl", key! { "id" => "a" }))
                            .is_ok()
                    })
                    .count()
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).sum()
}

#[test]
fn without_a_quota_every_call_uses_every_attempt() {
    let healthy = Arc::new(AtomicBool::new(false));
    let server = server(Arc::clone(&healthy));
    let client = client(&server.url(), RetryPolicy::default().without_quota());
    assert_eq!(round(&client), 0);
    let sent = server.requests();
    eprintln!("no quota, 16 threads x 10 calls, 100% failing: {sent} requests");
    assert_eq!(sent, (THREADS * CALLS * 10) as u64);
}

#[test]
fn the_quota_stops_retries_in_an_outage_and_they_resume_as_it_heals() {
    let healthy = Arc::new(AtomicBool::new(false));
    let server = server(Arc::clone(&healthy));
    let client = client(&server.url(), RetryPolicy::default());
    assert_eq!(client.retry_quota_left(), Some(500));

    // Outage: 160 calls. The 500 tokens pay for 100 retries (5 each);
    // after that every call is one request.
    assert_eq!(round(&client), 0);
    let outage = server.requests();
    eprintln!("quota, 16 threads x 10 calls, 100% failing: {outage} requests");
    assert_eq!(outage, (THREADS * CALLS) as u64 + 100);
    assert_eq!(client.retry_quota_left(), Some(0));

    // Still down: one request per call.
    assert_eq!(round(&client), 0);
    let still_down = server.requests() - outage;
    eprintln!("quota empty, another 160 failing calls: {still_down} requests");
    assert_eq!(still_down, (THREADS * CALLS) as u64);

    // The server heals: every call succeeds at once and gives back a token.
    healthy.store(true, Ordering::SeqCst);
    assert_eq!(round(&client), THREADS * CALLS);
    let tokens = client.retry_quota_left().unwrap();
    eprintln!("after 160 successful calls: {tokens} tokens");
    assert_eq!(tokens, (THREADS * CALLS) as u32);

    // A new failure is retried again (160 tokens pay for 9 retries).
    healthy.store(false, Ordering::SeqCst);
    let before = server.requests();
    let err = client
        .get_item(&wire::GetItemInput::new("tbl", key! { "id" => "a" }))
        .unwrap_err();
    eprintln!(
        "next failing call after recovery: {} attempts",
        server.requests() - before
    );
    assert_eq!(err.attempts(), 10);
}

#[test]
fn a_call_that_succeeds_after_retries_gives_back_its_last_retry() {
    // Fails twice, then answers.
    let failures = Arc::new(std::sync::atomic::AtomicU32::new(2));
    let server = Hostile::start(move |_| {
        let left = failures.load(Ordering::SeqCst);
        if left == 0 {
            return Action::ok(r#"{"Item":{"id":{"S":"a"}}}"#);
        }
        failures.store(left - 1, Ordering::SeqCst);
        Action::status(500, r#"{"__type":"InternalServerError","message":"down"}"#)
    });
    let client = client(&server.url(), RetryPolicy::default().with_quota(20));
    let get = || client.get_item(&wire::GetItemInput::new("tbl", key! { "id" => "a" }));
    // Two retries take 10 tokens; the success gives back the last 5.
    assert!(get().is_ok());
    assert_eq!(server.requests(), 3);
    assert_eq!(client.retry_quota_left(), Some(15));
    // A first-try success gives back 1.
    assert!(get().is_ok());
    assert_eq!(client.retry_quota_left(), Some(16));
}

#[test]
fn no_retries_means_no_quota() {
    assert_eq!(RetryPolicy::none().quota(), None);
    assert_eq!(RetryPolicy::default().quota(), Some(500));
    let healthy = Arc::new(AtomicBool::new(false));
    let server = server(healthy);
    let client = client(&server.url(), RetryPolicy::none());
    assert_eq!(client.retry_quota_left(), None);
}
