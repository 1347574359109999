//! Opening connections, and keeping idle ones for the next request.
//!
//! Connections are made by ureq's connector chain (an HTTP `CONNECT` proxy
//! from the environment, TCP, rustls), with our own TCP link
//! ([`super::tcp`]) in it. Only the HTTP exchange on top is ours
//! ([`super::http1`]).

use std::fmt;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, Resolver};
use ureq::unversioned::transport::time::Instant as UreqInstant;
use ureq::unversioned::transport::{
    ConnectProxyConnector, ConnectionDetails, Connector, RustlsConnector, Transport,
};
use ureq::Timeout;

use super::http1::Clock;
use super::tcp::LeanTcpConnector;
use crate::error::Error;

/// A connection as the connector chain hands it out.
pub(crate) type Connection = Box<dyn Transport>;

type Chain = dyn Connector<(), Out = Connection>;

/// Opens connections to an origin (`scheme://host:port`).
pub(crate) struct Opener {
    chain: Arc<Chain>,
    config: Config,
    resolver: DefaultResolver,
}

impl Opener {
    pub fn new(config: Config, opened: Arc<AtomicU64>) -> Self {
        let chain =
            ().chain(ConnectProxyConnector::default())
                .chain(LeanTcpConnector::new(opened))
                .chain(RustlsConnector::default())
                .chain(Boxing);
        Opener {
            chain: Arc::new(chain),
            config,
            resolver: DefaultResolver::default(),
        }
    }

    /// Opens a connection to `url`'s origin within `limit` (and the call's
    /// budget).
    pub fn open(&self, url: &str, clock: Clock, limit: Duration) -> Result<Connection, Error> {
        let uri: Uri = url
            .parse()
            .map_err(|e| super::transport_error(ureq::Error::BadUri(format!("{url}: {e}"))))?;
        let end = super::http1::end_of(Instant::now(), limit);
        self.connect(&uri, clock, end)
            .map_err(super::transport_error)
    }

    fn connect(&self, uri: &Uri, clock: Clock, end: Instant) -> Result<Connection, ureq::Error> {
        let config = &self.config;
        // Through a proxy, the proxy resolves the name (as ureq does).
        let proxy = config.proxy().filter(|p| !p.is_no_proxy(uri));
        let addrs = if proxy.is_none_or(|p| p.resolve_target()) {
            self.resolver.resolve(
                uri,
                config,
                clock.next(Instant::now(), end, Timeout::Resolve),
            )?
        } else {
            self.resolver.empty()
        };
        let chain = self.chain.clone();
        let details = ConnectionDetails {
            uri,
            addrs,
            config,
            request_level: false,
            resolver: &self.resolver,
            now: UreqInstant::now(),
            timeout: clock.next(Instant::now(), end, Timeout::Connect),
            current_time: Arc::new(UreqInstant::now),
            run_connector: Arc::new(move |details: &ConnectionDetails| {
                chain
                    .connect(details, None)?
                    .ok_or(ureq::Error::ConnectionFailed)
            }),
            // Calls are not cancelled from other threads: nothing to register.
            register_shutdown: Arc::new(|_| Ok(())),
        };
        let connection = self
            .chain
            .connect(&details, None)?
            .ok_or(ureq::Error::ConnectionFailed)?;
        if details.needs_tls() && !connection.is_tls() {
            return Err(ureq::Error::TlsRequired);
        }
        Ok(connection)
    }
}

/// The last link of the chain: one connection type for every chain.
#[derive(Debug)]
struct Boxing;

impl<In: Transport> Connector<In> for Boxing {
    type Out = Connection;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Connection>, ureq::Error> {
        Ok(chained.map(|t| Box::new(t) as Connection))
    }
}

/// An idle connection is not reused after this long: servers and load
/// balancers close idle connections, and a request sent as they do fails.
const MAX_IDLE_AGE: Duration = Duration::from_secs(15);

/// A connection idle for less than this is handed out without probing it.
/// The probe is a system call, a tenth of a warm request's client CPU, and
/// servers close idle connections after seconds, not milliseconds (a server
/// that closes sooner says so with `Connection: close`, which we honour).
/// Apache HttpClient's `validateAfterInactivity` makes the same trade. A
/// connection that closed anyway fails its request as a broken connection,
/// which is retried.
const PROBE_AFTER: Duration = Duration::from_secs(1);

/// Idle keep-alive connections, most recently used last.
pub(crate) struct Pool {
    idle: Mutex<Vec<Pooled>>,
    max_idle: usize,
}

/// A connection with the origin it goes to.
pub(crate) struct Pooled {
    pub origin: Box<str>,
    pub connection: Connection,
    /// When it was last put back.
    since: Instant,
}

impl Pooled {
    pub fn new(origin: &str, connection: Connection) -> Self {
        Pooled {
            origin: origin.into(),
            connection,
            since: Instant::now(),
        }
    }
}

impl Pool {
    pub fn new(max_idle: usize) -> Self {
        Pool {
            idle: Mutex::new(Vec::new()),
            max_idle,
        }
    }

    /// The most recently used idle connection to `origin` that is still
    /// open, as of `now`. Stale ones met on the way are closed.
    pub fn take(&self, origin: &str, now: Instant) -> Option<Pooled> {
        loop {
            let mut pooled = {
                let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
                let at = idle.iter().rposition(|i| &*i.origin == origin)?;
                idle.remove(at)
            };
            let idle_for = now.saturating_duration_since(pooled.since);
            // The probe is a system call: made outside the lock.
            if idle_for < PROBE_AFTER || (idle_for < MAX_IDLE_AGE && pooled.connection.is_open()) {
                return Some(pooled);
            }
        }
    }

    /// Keeps a connection for the next request to its origin; it counts as
    /// idle from `now`. Connections idle too long are closed on the way,
    /// and when the pool is full the one idle longest makes room, so no
    /// stale socket lingers at the bottom after a burst.
    pub fn put(&self, mut pooled: Pooled, now: Instant) {
        if self.max_idle == 0 {
            return;
        }
        pooled.since = now;
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        // Oldest first: the expired ones are a prefix.
        let expired = idle
            .iter()
            .take_while(|i| now.saturating_duration_since(i.since) >= MAX_IDLE_AGE)
            .count();
        let mut closed: Vec<Pooled> = idle.drain(..expired).collect();
        if idle.len() >= self.max_idle {
            closed.push(idle.remove(0));
        }
        idle.push(pooled);
        drop(idle);
        // Closed outside the lock: closing is a system call.
        drop(closed);
    }
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("max_idle", &self.max_idle)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use ureq::unversioned::transport::{Buffers, LazyBuffers, NextTimeout};

    use super::*;

    /// A connection that answers the probe with `open`, counting probes.
    #[derive(Debug)]
    struct Probed {
        open: bool,
        probes: Arc<AtomicU64>,
        buffers: LazyBuffers,
    }

    impl Transport for Probed {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }
        fn transmit_output(&mut self, _: usize, _: NextTimeout) -> Result<(), ureq::Error> {
            Ok(())
        }
        fn await_input(&mut self, _: NextTimeout) -> Result<bool, ureq::Error> {
            Ok(false)
        }
        fn is_open(&mut self) -> bool {
            self.probes
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.open
        }
    }

    fn idle(open: bool, idle_for: Duration, probes: &Arc<AtomicU64>) -> Pooled {
        let mut pooled = Pooled::new(
            "http://db",
            Box::new(Probed {
                open,
                probes: probes.clone(),
                buffers: LazyBuffers::new(16, 16),
            }),
        );
        pooled.since = Instant::now() - idle_for;
        pooled
    }

    /// Puts `pooled` back as it is (without stamping it as just used).
    fn keep(pool: &Pool, pooled: Pooled) {
        pool.idle.lock().unwrap().push(pooled);
    }

    #[test]
    fn only_connections_idle_for_a_while_are_probed() {
        let probes = Arc::new(AtomicU64::new(0));
        let count = || probes.load(std::sync::atomic::Ordering::Relaxed);
        let pool = Pool::new(8);
        // Just used: handed out without a probe (even one that would fail).
        keep(&pool, idle(false, Duration::ZERO, &probes));
        assert!(pool.take("http://db", Instant::now()).is_some());
        assert_eq!(count(), 0);
        // Idle a while: probed, and closed if the probe fails.
        keep(&pool, idle(false, PROBE_AFTER * 2, &probes));
        assert!(pool.take("http://db", Instant::now()).is_none());
        assert_eq!(count(), 1);
        keep(&pool, idle(true, PROBE_AFTER * 2, &probes));
        assert!(pool.take("http://db", Instant::now()).is_some());
        assert_eq!(count(), 2);
        // Too old: closed without a probe.
        keep(&pool, idle(true, MAX_IDLE_AGE * 2, &probes));
        assert!(pool.take("http://db", Instant::now()).is_none());
        assert_eq!(count(), 2);
    }

    #[test]
    fn a_full_pool_closes_the_connection_idle_longest_and_expired_ones() {
        let probes = Arc::new(AtomicU64::new(0));
        let pool = Pool::new(2);
        let start = Instant::now();
        let first = idle(true, Duration::ZERO, &probes);
        let first_origin: *const u8 = first.origin.as_ptr();
        pool.put(first, start);
        pool.put(idle(true, Duration::ZERO, &probes), start);
        pool.put(idle(true, Duration::ZERO, &probes), start);
        let kept = pool.idle.lock().unwrap();
        assert_eq!(kept.len(), 2);
        assert!(
            kept.iter().all(|i| i.origin.as_ptr() != first_origin),
            "the oldest went"
        );
        drop(kept);
        // Much later: the two left have expired and make way.
        pool.put(
            idle(true, Duration::ZERO, &probes),
            start + MAX_IDLE_AGE * 2,
        );
        assert_eq!(pool.idle.lock().unwrap().len(), 1);
    }

    #[test]
    fn connections_go_back_to_their_own_origin_up_to_the_limit() {
        let probes = Arc::new(AtomicU64::new(0));
        let pool = Pool::new(1);
        pool.put(idle(true, Duration::ZERO, &probes), Instant::now());
        pool.put(idle(true, Duration::ZERO, &probes), Instant::now());
        assert_eq!(
            pool.idle.lock().unwrap().len(),
            1,
            "a full pool keeps the limit"
        );
        assert!(pool.take("https://elsewhere", Instant::now()).is_none());
        assert!(pool.take("http://db", Instant::now()).is_some());
        assert!(pool.take("http://db", Instant::now()).is_none());
    }
}
