//! One HTTP exchange with DynamoDB over a keep-alive ureq agent.
//!
//! This layer knows HTTP, not DynamoDB: it posts bytes with the given headers
//! and hands back the status, the headers DynamoDB's protocol needs and the
//! body, checked against `x-amz-crc32`. Interpreting the body is the client's
//! job.

mod coalesce;
mod tcp;

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::{ConnectProxyConnector, Connector, RustlsConnector};

use crate::error::{Error, ResponseError, ResponseErrorKind, TransportError, TransportErrorKind};

/// Largest response body read: a BatchGetItem answer may reach 16 MB.
const MAX_BODY: u64 = 32 * 1024 * 1024;

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
/// sharing one client (ureq's own default, 3 per host, makes 8 threads
/// reconnect on most requests).
pub(crate) const DEFAULT_IDLE_CONNECTIONS: usize = 64;

/// Connection settings of the transport.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeouts {
    pub connect: Duration,
    /// Longest time to send a request (head and body).
    pub send: Duration,
    pub read: Duration,
}

pub(crate) struct HttpTransport {
    agent: ureq::Agent,
    /// Connections opened so far (counted by the TCP link).
    connections_opened: Arc<AtomicU64>,
}

impl HttpTransport {
    pub fn new(timeouts: Timeouts, idle_connections: usize) -> Self {
        let config = ureq::Agent::config_builder()
            // DynamoDB answers errors with 4xx/5xx JSON bodies we must read.
            .http_status_as_error(false)
            .timeout_connect(Some(timeouts.connect))
            // A server that stops reading would otherwise block a large
            // request's write forever.
            .timeout_send_request(Some(timeouts.send))
            .timeout_send_body(Some(timeouts.send))
            .timeout_recv_response(Some(timeouts.read))
            .timeout_recv_body(Some(timeouts.read))
            .user_agent(concat!("dynamo-rs/", env!("CARGO_PKG_VERSION")))
            .max_redirects(0)
            // All connections go to one host (the endpoint).
            .max_idle_connections(idle_connections)
            .max_idle_connections_per_host(idle_connections)
            .build();
        // ureq's chain (HTTP proxy, TCP, TLS) with TCP of our own that makes
        // no per-request socket calls, then a link that sends each request's
        // head and body in a single write.
        let connections_opened = Arc::new(AtomicU64::new(0));
        let connector =
            ().chain(ConnectProxyConnector::default())
                .chain(tcp::LeanTcpConnector::new(connections_opened.clone()))
                .chain(RustlsConnector::default())
                .chain(coalesce::CoalescingConnector);
        HttpTransport {
            agent: ureq::Agent::with_parts(config, connector, DefaultResolver::default()),
            connections_opened,
        }
    }

    pub fn connections_opened(&self) -> u64 {
        self.connections_opened.load(Ordering::Relaxed)
    }

    /// POSTs `body` to `url` with `headers` and reads the whole answer,
    /// all within `budget` when one is given (what is left of the call's
    /// operation timeout).
    pub fn post(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        budget: Option<Duration>,
    ) -> Result<RawResponse, Error> {
        let mut request = self.agent.post(url);
        if let Some(budget) = budget {
            request = request.config().timeout_global(Some(budget)).build();
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request.send(body).map_err(transport_error)?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let request_id = header("x-amzn-requestid");
        let error_type = header("x-amzn-errortype");
        let retry_after = header("x-amz-retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_millis);
        let crc = header("x-amz-crc32");
        // Sized from Content-Length up front: a 1 MB scan page is read
        // without growing (and copying) the buffer from empty by doubling.
        let expected = header("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0)
            .min(MAX_BODY);
        let mut body = Vec::with_capacity(expected as usize);
        response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .reader()
            .read_to_end(&mut body)
            .map_err(|e| transport_error(ureq::Error::from(e)))?;
        if let Some(expected) = crc {
            check_crc32(&expected, &body, status, &request_id)?;
        }
        Ok(RawResponse {
            status,
            request_id,
            error_type,
            retry_after,
            body,
        })
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
