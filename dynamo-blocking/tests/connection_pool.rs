//! Many threads sharing one client reuse its connections instead of opening
//! new ones, counted on a loopback server's side.

#[path = "support/loopback.rs"]
mod loopback;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use dynamo_blocking::config::Environment;
use dynamo_blocking::{key, wire, Client, ClientBuilder, Credentials};
use loopback::{Reply, Server};

const THREADS: usize = 32;
/// Requests the server holds until all threads have one in flight: each
/// thread's first two requests, so every thread needs a connection of its
/// own twice over.
const HELD_ROUNDS: usize = 2;
const REQUESTS_PER_THREAD: usize = 20;

/// A server answering every GetItem, whose first `HELD_ROUNDS` rounds of
/// requests each wait until all `THREADS` threads have sent theirs.
fn server() -> Server {
    let barrier = Arc::new(Barrier::new(THREADS));
    let seen = AtomicUsize::new(0);
    Server::start(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) < THREADS * HELD_ROUNDS {
            barrier.wait();
        }
        Reply::ok(r#"{"Item":{"id":{"S":"a"}}}"#)
    })
}

fn builder(server: &Server) -> ClientBuilder {
    Client::builder()
        .endpoint(server.url())
        .region("us-east-1")
        .credentials(Credentials::new("AKIDTEST", "secret-for-tests"))
        .environment(Environment::empty())
        .read_timeout(Duration::from_secs(60))
}

/// Runs `REQUESTS_PER_THREAD` GetItems on each of `THREADS` threads; no
/// thread starts its second request before all have finished their first
/// (so every connection of the first round is back in the pool, or closed).
fn run_threads(client: &Client) {
    let first_round_done = Barrier::new(THREADS);
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                for i in 0..REQUESTS_PER_THREAD {
                    let out = client
                        .get_item(&wire::GetItemInput::new("tbl", key! { "id" => "a" }))
                        .unwrap();
                    assert!(out.item.is_some());
                    if i == 0 {
                        first_round_done.wait();
                    }
                }
            });
        }
    });
}

#[test]
fn thirty_two_threads_reuse_one_connection_each() {
    let server = server();
    let client = builder(&server).build().unwrap();
    run_threads(&client);
    assert_eq!(server.requests().len(), THREADS * REQUESTS_PER_THREAD);
    assert_eq!(
        server.connections_accepted(),
        THREADS,
        "one connection per thread, all reused"
    );
    assert_eq!(client.connections_opened(), THREADS as u64);
}

#[test]
fn a_pool_smaller_than_the_threads_reconnects() {
    let server = server();
    let client = builder(&server).max_idle_connections(2).build().unwrap();
    run_threads(&client);
    assert_eq!(
        client.connections_opened(),
        server.connections_accepted() as u64
    );
    // The second held round finds 2 idle connections for 32 requests.
    assert!(
        server.connections_accepted() >= 2 * THREADS - 2,
        "{} connections",
        server.connections_accepted()
    );
}

#[test]
fn a_connection_the_server_closed_unannounced_fails_as_retryable_and_is_replaced() {
    // Closes each connection right after answering, without saying so.
    let server =
        Server::start(|_| Reply::AnswerThenClose(200, r#"{"Item":{"id":{"S":"a"}}}"#.into()));
    let client = Client::builder()
        .endpoint(server.url())
        .region("us-east-1")
        .credentials(Credentials::new("AKIDTEST", "secret-for-tests"))
        .environment(Environment::empty())
        .build()
        .unwrap();
    for _ in 0..5 {
        // Straight after the last answer: the pooled connection is not
        // probed (it has not been idle for a second) and breaks on use,
        // before any answer: a retryable error, and the retry opens a new
        // connection. The request is not resent behind the retry policy's
        // back: the server might have read it.
        let out = client
            .get_item(&wire::GetItemInput::new("tbl", key! { "id" => "a" }))
            .unwrap();
        assert!(out.item.is_some());
    }
    // Each answer came on a connection of its own; each reuse of a closed
    // one cost an attempt (none if a slow machine let the probe see it).
    assert_eq!(server.connections_accepted(), 5);
    let sent = client.requests_sent("GetItem");
    assert!((5..=9).contains(&sent), "{sent} attempts");
}
