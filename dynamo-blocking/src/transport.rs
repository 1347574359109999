//! One HTTP exchange with DynamoDB over a keep-alive connection.
//!
//! This layer knows HTTP, not DynamoDB: it posts bytes with the given headers
//! and hands back the status, the headers DynamoDB's protocol needs and the
//! body, checked against `x-amz-crc32`. Interpreting the body is the client's
//! job.
//!
//! Connections are ureq's (proxy, TCP, TLS), opened in [`connect`] with a TCP
//! link of our own ([`tcp`]); the exchange itself is the few lines of
//! HTTP/1.1 DynamoDB needs ([`http1`]).

mod connect;
mod http1;
mod tcp;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Error, ResponseError, ResponseErrorKind, TransportError, TransportErrorKind};
use connect::{Opener, Pool, Pooled};
use http1::Clock;

/// Largest response body read: a BatchGetItem answer may reach 16 MB.
const MAX_BODY: usize = 32 * 1024 * 1024;

/// An answer as it came off the wire.
pub(crate) struct RawResponse {
    pub status: u16,
    pub request_id: Option<String>,
    /// `x-amzn-ErrorType`: the error code, when the server put it there.
    pub error_type: Option<String>,
    /// `x-amz-retry-after`: how long the server asks the client to wait
    /// before retrying (milliseconds on the wire).
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

/// Connections kept open for reuse by default: enough for ~64 threads
/// sharing one client.
pub(crate) const DEFAULT_IDLE_CONNECTIONS: usize = 64;

/// Connection settings of the transport.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeouts {
    pub connect: Duration,
    /// Longest time to send a request (head and body).
    pub send: Duration,
    /// Longest time to wait for the answer's head, and then for its body.
    pub read: Duration,
}

pub(crate) struct HttpTransport {
    opener: Opener,
    pool: Pool,
    timeouts: Timeouts,
    /// Connections opened so far (counted by the TCP link).
    connections_opened: Arc<AtomicU64>,
}

impl HttpTransport {
    pub fn new(timeouts: Timeouts, idle_connections: usize) -> Self {
        // What the connector chain reads: the proxy from the environment,
        // TCP_NODELAY, buffer sizes and TLS settings, all ureq's defaults.
        let config = ureq::Agent::config_builder().build();
        let connections_opened = Arc::new(AtomicU64::new(0));
        HttpTransport {
            opener: Opener::new(config, connections_opened.clone()),
            pool: Pool::new(idle_connections),
            timeouts,
            connections_opened,
        }
    }

    pub fn connections_opened(&self) -> u64 {
        self.connections_opened.load(Ordering::Relaxed)
    }

    /// POSTs `body` to `url` with `headers` (`host` among them) and reads
    /// the whole answer, all before `deadline` when one is given (the end of
    /// the call's operation timeout).
    pub fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        deadline: Option<Instant>,
    ) -> Result<RawResponse, Error> {
        let start = Instant::now();
        let clock = Clock { budget: deadline };
        let (origin, path) = split_url(url);
        // A pooled connection costs no time, so the send's clock starts
        // with the call; a new connection reads the clock again.
        let (mut pooled, send_start) = match self.pool.take(origin, start) {
            Some(pooled) => (pooled, start),
            None => {
                let connection = self.opener.open(url, clock, self.timeouts.connect)?;
                (Pooled::new(origin, connection), Instant::now())
            }
        };
        let connection = &mut *pooled.connection;
        let send_limit = (send_start, self.timeouts.send);
        http1::send(connection, path, headers, body, clock, send_limit)?;
        let answer = http1::receive(connection, clock, self.timeouts.read, MAX_BODY)?;
        if answer.reusable {
            // Stamped with the call's start: a connection then counts as
            // idle for a little longer than it was, which only means an
            // earlier probe, and spares a reading of the clock.
            self.pool.put(pooled, start);
        }
        if let Some(expected) = &answer.crc32 {
            check_crc32(expected, &answer.body, answer.status, &answer.request_id)?;
        }
        Ok(RawResponse {
            status: answer.status,
            request_id: answer.request_id,
            error_type: answer.error_type,
            retry_after: answer
                .retry_after
                .and_then(|v| v.parse::<u64>().ok())
                .map(Duration::from_millis),
            body: answer.body,
        })
    }
}

/// `scheme://authority` and the path (`/` when empty) of an endpoint URL.
fn split_url(url: &str) -> (&str, &str) {
    // A byte scan: `str::find` with a string pattern sets up a searcher
    // that costs more than the whole split.
    let after_scheme = url
        .as_bytes()
        .windows(3)
        .position(|w| w == b"://")
        .map_or(0, |at| at + 3);
    match url.as_bytes()[after_scheme..]
        .iter()
        .position(|&b| b == b'/')
    {
        Some(at) => url.split_at(after_scheme + at),
        None => (url, "/"),
    }
}

fn check_crc32(
    header: &str,
    body: &[u8],
    status: u16,
    request_id: &Option<String>,
) -> Result<(), Error> {
    let actual = crc32fast::hash(body);
    // A header that is not a number cannot vouch for the body: treat it as a
    // mismatch rather than skipping the check.
    let expected = header.trim().parse::<u32>().ok();
    if expected == Some(actual) {
        return Ok(());
    }
    Err(Error::Response(Box::new(ResponseError {
        kind: ResponseErrorKind::ChecksumMismatch {
            expected: expected.unwrap_or(0),
            actual,
        },
        status,
        request_id: request_id.clone(),
        body_start: body_start(body),
        detail: format!("x-amz-crc32 header {header:?}"),
        attempts: 1,
    })))
}

/// The first 200 characters of a body, for error messages.
pub(crate) fn body_start(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(600)])
        .chars()
        .take(200)
        .collect()
}

fn transport_error(e: ureq::Error) -> Error {
    let kind = match &e {
        // The budget given by the operation timeout.
        ureq::Error::Timeout(ureq::Timeout::Global) => TransportErrorKind::OperationTimeout,
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) =>
        {
            TransportErrorKind::Timeout
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            TransportErrorKind::Connect
        }
        // rustls reports a failed handshake or a corrupt record as invalid data.
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            TransportErrorKind::Tls
        }
        ureq::Error::Io(_) | ureq::Error::Protocol(_) => TransportErrorKind::Io,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => TransportErrorKind::Connect,
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::TlsRequired => {
            TransportErrorKind::Tls
        }
        _ => TransportErrorKind::Other,
    };
    Error::Transport(TransportError {
        kind,
        message: e.to_string(),
        attempts: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::split_url;

    #[test]
    fn an_endpoint_splits_into_origin_and_path() {
        assert_eq!(
            split_url("http://127.0.0.1:8000"),
            ("http://127.0.0.1:8000", "/")
        );
        assert_eq!(
            split_url("https://proxy.example.com:8443/dynamodb"),
            ("https://proxy.example.com:8443", "/dynamodb")
        );
        assert_eq!(
            split_url("https://dynamodb.eu-west-1.amazonaws.com/"),
            ("https://dynamodb.eu-west-1.amazonaws.com", "/")
        );
    }
}
