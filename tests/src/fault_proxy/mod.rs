//! A fault-injecting HTTP/1.1 proxy to put between the client and DynamoDB
//! Local, for reliability tests.
//!
//! ```no_run
//! use std::time::Duration;
//! use dynamo_tests::fault_proxy::{Fault, FaultProxy};
//!
//! let proxy = FaultProxy::builder(dynamo_tests::endpoint())
//!     .seed(42)
//!     .fault_rate(0.3)
//!     .faults(&Fault::ALL)
//!     .delay(Duration::from_millis(600))
//!     .partial_batch_rate(0.3)
//!     .start()
//!     .unwrap();
//! let client = dynamo_tests::builder()
//!     .endpoint(proxy.url())
//!     .read_timeout(Duration::from_millis(300))
//!     .build()
//!     .unwrap();
//! // ... use client ...
//! println!("{:?}", proxy.stats());
//! ```
//!
//! The proxy listens on `127.0.0.1:0` and forwards to one upstream, which
//! must be a loopback address. It keeps client connections alive (the
//! client pools them), reads each request whole (`Content-Length`), sends it
//! on over its own upstream connection (one per client connection, reused,
//! reopened when the upstream closes it) and relays DynamoDB's answer with a
//! fresh `Content-Length`.
//!
//! For each request, by **seeded** random choice (xorshift64*; the same seed
//! and the same request order inject the same faults):
//!
//! 1. with probability `fault_rate` (until `max_faults` have been injected)
//!    it injects one of the configured [`Fault`]s, chosen uniformly;
//! 2. otherwise a BatchWriteItem or BatchGetItem of two or more entries is,
//!    with probability `partial_batch_rate`, answered **partially**: some
//!    write requests or keys are cut from the request before forwarding (so
//!    they are never applied or read) and reported back as
//!    `UnprocessedItems` / `UnprocessedKeys`;
//! 3. everything else passes through unchanged.
//!
//! `only_operations` limits steps 1 and 2 to some operations.
//!
//! Dropping the proxy stops it: the accept loop and every connection thread
//! poll a stop flag at least every 20 ms and are joined. No loop waits
//! without a bound: an idle client connection is closed after
//! [`IDLE_LIMIT`], an upstream that does not answer within
//! `upstream_timeout` fails the exchange.

mod batch;
mod fault;
mod http;
mod rng;
mod server;
mod stats;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

pub use fault::Fault;
pub use stats::{Action, Event, ProxyStats};

use batch::{BatchKind, Partial};
use rng::XorShift64;

/// An idle client connection is closed after this long.
pub const IDLE_LIMIT: Duration = Duration::from_secs(120);

/// Most events kept by the log.
const MAX_EVENTS: usize = 200_000;

/// Builds a [`FaultProxy`]; see the [module documentation](self).
#[derive(Clone, Debug)]
pub struct FaultProxyBuilder {
    upstream: String,
    seed: u64,
    fault_rate: f64,
    faults: Vec<Fault>,
    partial_batch_rate: f64,
    delay: Duration,
    max_faults: Option<u64>,
    operations: Vec<String>,
    upstream_timeout: Duration,
}

impl FaultProxyBuilder {
    /// Seeds the fault choices (default 1).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Probability that a request gets a fault (default 0: a transparent
    /// proxy).
    pub fn fault_rate(mut self, rate: f64) -> Self {
        self.fault_rate = rate.clamp(0.0, 1.0);
        self
    }

    /// The faults to choose from, uniformly (default [`Fault::FAST`]).
    pub fn faults(mut self, faults: &[Fault]) -> Self {
        self.faults = faults.to_vec();
        self
    }

    /// Probability that a batch of two or more entries is answered
    /// partially (default 0).
    pub fn partial_batch_rate(mut self, rate: f64) -> Self {
        self.partial_batch_rate = rate.clamp(0.0, 1.0);
        self
    }

    /// How long [`Fault::Delay`] keeps the client waiting before closing
    /// (default 1 s); make it longer than the client's read timeout.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Injects at most this many faults in all, then passes everything
    /// through (partial batches go on). With `fault_rate(1.0)` this makes
    /// "fail the first n requests" scenarios.
    pub fn max_faults(mut self, n: u64) -> Self {
        self.max_faults = Some(n);
        self
    }

    /// Injects faults and partial answers only into these operations
    /// (`"PutItem"`, `"BatchWriteItem"`...); the rest passes through.
    pub fn only_operations(mut self, operations: &[&str]) -> Self {
        self.operations = operations.iter().map(|s| (*s).to_owned()).collect();
        self
    }

    /// Longest wait for the upstream's answer (default 30 s).
    pub fn upstream_timeout(mut self, timeout: Duration) -> Self {
        self.upstream_timeout = timeout;
        self
    }

    /// Binds `127.0.0.1:0` and starts serving.
    ///
    /// # Panics
    ///
    /// When the upstream is not an `http://` URL of a loopback address:
    /// the proxy only ever talks to this machine.
    pub fn start(self) -> std::io::Result<FaultProxy> {
        let upstream = loopback_address(&self.upstream);
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstream,
            rng: Mutex::new(Decider {
                rng: XorShift64::new(self.seed),
                requests: 0,
                faults: 0,
            }),
            config: self,
            enabled: AtomicBool::new(true),
            stop: AtomicBool::new(false),
            stats: Mutex::new(ProxyStats::default()),
            events: Mutex::new(Vec::new()),
            connections: Mutex::new(Vec::new()),
        });
        let accept = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(format!("fault-proxy-{}", addr.port()))
                .spawn(move || server::accept_loop(listener, shared))?
        };
        Ok(FaultProxy {
            addr,
            shared,
            accept: Some(accept),
        })
    }
}

/// Parses `http://HOST:PORT[/...]` and insists on a loopback host.
fn loopback_address(url: &str) -> SocketAddr {
    let rest = url.trim().strip_prefix("http://").unwrap_or_else(|| {
        panic!("the fault proxy's upstream must be an http:// URL, not {url:?}")
    });
    let authority = rest.split('/').next().unwrap_or("");
    let port = |p: &str| {
        p.parse::<u16>()
            .unwrap_or_else(|_| panic!("bad port in {url:?}"))
    };
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .unwrap_or_else(|| panic!("bad IPv6 host in {url:?}"));
        (host, after.strip_prefix(':').map_or(80, port))
    } else {
        match authority.rsplit_once(':') {
            Some((host, p)) => (host, port(p)),
            None => (authority, 80),
        }
    };
    let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        host.parse().unwrap_or_else(|_| {
            panic!("the fault proxy's upstream must be an IP or localhost: {url:?}")
        })
    };
    assert!(
        ip.is_loopback(),
        "the fault proxy only forwards to loopback addresses, not {ip}"
    );
    SocketAddr::new(ip, port)
}

/// A running fault proxy; stops when dropped.
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FaultProxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultProxy")
            .field("addr", &self.addr)
            .field("upstream", &self.shared.upstream)
            .field("config", &self.shared.config)
            .finish()
    }
}

impl FaultProxy {
    /// A builder forwarding to `upstream` (e.g. `http://127.0.0.1:8000`).
    pub fn builder(upstream: impl Into<String>) -> FaultProxyBuilder {
        FaultProxyBuilder {
            upstream: upstream.into(),
            seed: 1,
            fault_rate: 0.0,
            faults: Fault::FAST.to_vec(),
            partial_batch_rate: 0.0,
            delay: Duration::from_secs(1),
            max_faults: None,
            operations: Vec::new(),
            upstream_timeout: Duration::from_secs(30),
        }
    }

    /// The URL to give the client: `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the proxy listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> ProxyStats {
        lock(&self.shared.stats).clone()
    }

    /// How many faults of `kind` were injected so far.
    pub fn injected(&self, kind: Fault) -> u64 {
        lock(&self.shared.stats).injected(kind)
    }

    /// The decisions taken so far, in order (the first 200,000).
    pub fn events(&self) -> Vec<Event> {
        lock(&self.shared.events).clone()
    }

    /// Turns fault injection and partial answers on or off (on at start);
    /// while off, the proxy is transparent.
    pub fn set_enabled(&self, enabled: bool) {
        self.shared.enabled.store(enabled, Ordering::SeqCst);
    }

    /// Stops the proxy (the same as dropping it).
    pub fn stop(self) {}
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        let connections = std::mem::take(&mut *lock(&self.shared.connections));
        for connection in connections {
            let _ = connection.join();
        }
    }
}

/// What a request gets.
#[derive(Debug)]
pub(crate) enum Decision {
    Forward,
    Inject(Fault),
    Partial(Partial),
}

/// The seeded choices, under one lock so they happen in request order.
struct Decider {
    rng: XorShift64,
    requests: u64,
    faults: u64,
}

/// State shared by the accept loop and the connection threads.
pub(crate) struct Shared {
    config: FaultProxyBuilder,
    upstream: SocketAddr,
    rng: Mutex<Decider>,
    enabled: AtomicBool,
    stop: AtomicBool,
    stats: Mutex<ProxyStats>,
    events: Mutex<Vec<Event>>,
    connections: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    pub(crate) fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Decides what `operation` with `body` gets; returns the request's
    /// number too.
    pub(crate) fn decide(&self, operation: Option<&str>, body: &[u8]) -> (u64, Decision) {
        let config = &self.config;
        let eligible = self.enabled.load(Ordering::SeqCst)
            && (config.operations.is_empty()
                || operation.is_some_and(|op| config.operations.iter().any(|o| o == op)));
        let mut decider = lock(&self.rng);
        decider.requests += 1;
        let request_no = decider.requests;
        if !eligible {
            return (request_no, Decision::Forward);
        }
        let budget_left = config.max_faults.is_none_or(|max| decider.faults < max);
        if budget_left && !config.faults.is_empty() && decider.rng.chance(config.fault_rate) {
            let n = config.faults.len();
            let fault = config.faults[decider.rng.below(n)];
            decider.faults += 1;
            return (request_no, Decision::Inject(fault));
        }
        if let Some(kind) = BatchKind::of(operation) {
            if decider.rng.chance(config.partial_batch_rate) {
                if let Some(partial) = batch::plan(kind, body, &mut decider.rng) {
                    return (request_no, Decision::Partial(partial));
                }
            }
        }
        (request_no, Decision::Forward)
    }

    pub(crate) fn record(&self, request_no: u64, operation: Option<&str>, action: Action) {
        {
            let mut stats = lock(&self.stats);
            match &action {
                Action::Forwarded => {}
                Action::Injected(fault) => *stats.injected.entry(*fault).or_insert(0) += 1,
                Action::PartialBatch { withheld } => {
                    let withheld = *withheld as u64;
                    if operation == Some("BatchGetItem") {
                        stats.partial_batch_gets += 1;
                        stats.withheld_keys += withheld;
                    } else {
                        stats.partial_batch_writes += 1;
                        stats.withheld_writes += withheld;
                    }
                }
            }
        }
        let mut events = lock(&self.events);
        if events.len() < MAX_EVENTS {
            events.push(Event {
                request_no,
                operation: operation.map(str::to_owned),
                action,
            });
        }
    }

    pub(crate) fn count(&self, update: impl FnOnce(&mut ProxyStats)) {
        update(&mut lock(&self.stats));
    }
}

/// Locks, ignoring poisoning (a panicking test thread must not hide the
/// counters from the others).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests;
