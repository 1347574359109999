//! Plain TCP for ureq's connector chain, with no system call a warm request
//! does not need.
//!
//! Measured with `strace -c` on the end-to-end bench, ureq's own TCP
//! transport made 9 system calls per keep-alive request where a bare socket
//! makes 2: ureq's pool probes a connection both when it is returned and when
//! it is taken again, each probe toggling the socket non-blocking and back
//! (two `ioctl`) around a read that fails with `EAGAIN`; and every read sets
//! `SO_RCVTIMEO` (`setsockopt`) because the time left before the deadline
//! differs by microseconds from one request to the next.
//!
//! This transport makes 3: the write, the read, and one probe when the pool
//! ([`super::connect::Pool`]) hands the connection out again, a single
//! `recv(MSG_PEEK | MSG_DONTWAIT)` that changes no socket state. Socket
//! timeouts are set again only when the one in place is shorter than the
//! time left or longer by more than a small slack (at most [`MAX_SLACK`] on
//! top of the deadline), so a steady stream of requests sets them once per
//! connection.
//!
//! TLS and proxies are ureq's connectors chained around this one.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle,
    Transport,
};
use ureq::{Error, Timeout};

/// The most a socket timeout may exceed the time actually left.
const MAX_SLACK: Duration = Duration::from_millis(100);

/// Opens plain TCP connections (unless an earlier link, a proxy, already did).
#[derive(Debug)]
pub(crate) struct LeanTcpConnector {
    /// Counts every connection opened.
    opened: Arc<AtomicU64>,
}

impl LeanTcpConnector {
    pub(crate) fn new(opened: Arc<AtomicU64>) -> Self {
        LeanTcpConnector { opened }
    }
}

impl<In: Transport> Connector<In> for LeanTcpConnector {
    type Out = Either<In, LeanTcp>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, Error> {
        if let Some(chained) = chained {
            return Ok(Some(Either::A(chained)));
        }
        let stream = connect(details)?;
        self.opened.fetch_add(1, Ordering::Relaxed);
        let config = details.config;
        let transport = LeanTcp {
            stream: Arc::new(stream),
            buffers: LazyBuffers::new(config.input_buffer_size(), config.output_buffer_size()),
            read_timeout: SocketTimeout::default(),
            write_timeout: SocketTimeout::default(),
        };
        let handle: Weak<dyn ShutdownHandle> = Arc::downgrade(&transport.stream) as _;
        (details.register_shutdown)(handle)?;
        Ok(Some(Either::B(transport)))
    }
}

/// Tries each resolved address in turn within the connect timeout.
fn connect(details: &ConnectionDetails) -> Result<TcpStream, Error> {
    let deadline = details
        .timeout
        .not_zero()
        .map(|t| super::http1::end_of(Instant::now(), *t));
    let mut last = None;
    for addr in details.addrs.iter() {
        let attempt = match deadline {
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Error::Timeout(details.timeout.reason));
                }
                TcpStream::connect_timeout(addr, left)
            }
            None => TcpStream::connect(addr),
        };
        match attempt {
            Ok(stream) => {
                if details.config.no_delay() {
                    stream.set_nodelay(true)?;
                }
                return Ok(stream);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                last = Some(Error::Timeout(Timeout::Connect));
            }
            Err(e) => last = Some(Error::Io(e)),
        }
    }
    Err(last.unwrap_or(Error::ConnectionFailed))
}

/// The timeout a socket has in place, set again only when it must be.
#[derive(Debug, Default)]
struct SocketTimeout {
    current: Option<Duration>,
}

impl SocketTimeout {
    /// What to set for `wanted` (the time left), if anything: `None` keeps
    /// the timeout in place.
    fn change_for(&self, wanted: Option<Duration>) -> Option<Option<Duration>> {
        let Some(wanted) = wanted else {
            return self.current.is_some().then_some(None);
        };
        let slack = (wanted / 16).min(MAX_SLACK / 2);
        match self.current {
            Some(current) if current >= wanted && current <= wanted + 2 * slack => None,
            _ => Some(Some(wanted + slack)),
        }
    }

    fn apply(
        &mut self,
        wanted: Option<Duration>,
        set: impl FnOnce(Option<Duration>) -> io::Result<()>,
    ) -> io::Result<()> {
        if let Some(new) = self.change_for(wanted) {
            set(new)?;
            self.current = new;
        }
        Ok(())
    }
}

/// A keep-alive TCP connection.
pub(crate) struct LeanTcp {
    /// Shared (weakly) with the agent's shutdown handle.
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    read_timeout: SocketTimeout,
    write_timeout: SocketTimeout,
}

/// Without the buffers: the output buffer holds the last request's head,
/// signature and session token included.
impl std::fmt::Debug for LeanTcp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeanTcp")
            .field("peer", &self.stream.peer_addr().ok())
            .finish_non_exhaustive()
    }
}

impl Transport for LeanTcp {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        let timeout = checked(timeout.for_write())?;
        let stream = &*self.stream;
        self.write_timeout
            .apply(timeout.not_zero().map(|t| *t), |t| {
                stream.set_write_timeout(t)
            })?;
        let output = &self.buffers.output()[..amount];
        match (&*self.stream).write_all(output) {
            Ok(()) => Ok(()),
            Err(e) if is_timeout(&e) => Err(Error::Timeout(timeout.reason)),
            Err(e) => Err(e.into()),
        }
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        let timeout = checked(timeout.for_read())?;
        let wanted = timeout.not_zero().map(|t| *t);
        let stream = &*self.stream;
        self.read_timeout
            .apply(wanted, |t| stream.set_read_timeout(t))?;
        let started = Instant::now();
        let input = self.buffers.input_append_buf();
        let amount = loop {
            match (&*self.stream).read(input) {
                // Linux does not restart socket reads with a timeout after a
                // signal: go on with what is left.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    let Some(wanted) = wanted else {
                        return Err(e.into());
                    };
                    let left = wanted.saturating_sub(started.elapsed());
                    if left.is_zero() {
                        return Err(Error::Timeout(timeout.reason));
                    }
                    self.read_timeout
                        .apply(Some(left), |t| stream.set_read_timeout(t))?;
                }
                Err(e) if is_timeout(&e) => return Err(Error::Timeout(timeout.reason)),
                Err(e) => return Err(e.into()),
                Ok(n) => break n,
            }
        };
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        probe(&self.stream)
    }
}

/// A deadline already passed fails before any I/O.
fn checked(timeout: NextTimeout) -> Result<NextTimeout, Error> {
    if timeout.after.is_zero() {
        Err(Error::Timeout(timeout.reason))
    } else {
        Ok(timeout)
    }
}

fn is_timeout(e: &io::Error) -> bool {
    // A socket timeout shows as EAGAIN on Unix, as a timeout on Windows.
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Whether an idle connection can take a request: nothing to read (a closed
/// socket reads end of file, an error, or bytes nobody asked for).
#[cfg(unix)]
fn probe(stream: &TcpStream) -> bool {
    let mut byte = [std::mem::MaybeUninit::<u8>::uninit()];
    let socket = socket2::SockRef::from(stream);
    loop {
        match socket.recv_with_flags(&mut byte, libc::MSG_PEEK | libc::MSG_DONTWAIT) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return e.kind() == io::ErrorKind::WouldBlock,
            Ok(_) => return false,
        }
    }
}

#[cfg(not(unix))]
fn probe(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let open = matches!(stream.peek(&mut [0u8]), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).is_ok() && open
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;

    use super::*;

    #[test]
    fn a_steady_deadline_keeps_the_timeout_in_place() {
        let mut timeout = SocketTimeout::default();
        let mut sets = Vec::new();
        let ten = Duration::from_secs(10);
        for left in [
            ten,
            ten - Duration::from_micros(30),
            ten - Duration::from_micros(5),
        ] {
            timeout
                .apply(Some(left), |t| {
                    sets.push(t);
                    Ok(())
                })
                .unwrap();
            let current = timeout.current.unwrap();
            assert!(
                current >= left && current <= left + MAX_SLACK,
                "{current:?}"
            );
        }
        assert_eq!(sets.len(), 1, "set once: {sets:?}");
    }

    #[test]
    fn a_shorter_deadline_or_none_sets_the_timeout_again() {
        let mut timeout = SocketTimeout::default();
        timeout
            .apply(Some(Duration::from_secs(10)), |_| Ok(()))
            .unwrap();
        let short = Duration::from_millis(300);
        assert!(timeout.change_for(Some(short)).is_some());
        timeout.apply(Some(short), |_| Ok(())).unwrap();
        let current = timeout.current.unwrap();
        assert!(current >= short && current <= short + MAX_SLACK);
        assert_eq!(timeout.change_for(None), Some(None));
        // Much longer than what is in place: set again, or a read would
        // time out before its deadline.
        assert!(timeout.change_for(Some(Duration::from_secs(10))).is_some());
    }

    #[test]
    fn the_probe_tells_idle_from_closed_or_dirty() {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        assert!(probe(&client), "idle and open");
        server.write_all(b"x").unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while probe(&client) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(!probe(&client), "unasked-for bytes");
        let mut byte = [0u8];
        (&client).read_exact(&mut byte).unwrap();
        drop(server);
        while probe(&client) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(!probe(&client), "closed by the server");
        // The probe left the socket blocking: a read waits (here until the
        // timeout) rather than failing at once with WouldBlock.
        let listener2 = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let client2 = TcpStream::connect(listener2.local_addr().unwrap()).unwrap();
        let _server2 = listener2.accept().unwrap();
        assert!(probe(&client2));
        client2
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let started = Instant::now();
        assert!((&client2).read(&mut byte).is_err());
        assert!(started.elapsed() >= Duration::from_millis(40));
    }
}
