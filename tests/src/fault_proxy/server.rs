//! The accept loop and one thread per client connection.

use std::io;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::batch::{self, Partial};
use super::fault::{canned_answer, Fault};
use super::http::{Conn, ReadError, Request, Response};
use super::{lock, Action, Decision, Shared, IDLE_LIMIT};

/// How often blocked reads and sleeps look at the stop flag.
const POLL: Duration = Duration::from_millis(20);
/// Longest wait to connect to the upstream or to write to a peer.
const IO_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while !shared.stopping() {
        match listener.accept() {
            Ok((stream, _)) => {
                let connection = {
                    let shared = Arc::clone(&shared);
                    std::thread::Builder::new()
                        .name("fault-proxy-conn".into())
                        .spawn(move || serve(stream, shared))
                };
                let mut connections = lock(&shared.connections);
                connections.retain(|c| !c.is_finished());
                if let Ok(connection) = connection {
                    connections.push(connection);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2))
            }
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// The upstream connection of one client connection.
struct Upstream {
    conn: Conn,
}

/// Serves one client connection until it closes, a fault closes it, the
/// proxy stops or it idles for [`IDLE_LIMIT`].
fn serve(stream: TcpStream, shared: Arc<Shared>) {
    let setup = stream
        .set_nonblocking(false)
        .and_then(|()| stream.set_read_timeout(Some(POLL)))
        .and_then(|()| stream.set_write_timeout(Some(IO_TIMEOUT)))
        .and_then(|()| stream.set_nodelay(true));
    if setup.is_err() {
        return;
    }
    let mut client = Conn::new(stream);
    let mut upstream: Option<Upstream> = None;
    loop {
        let idle_since = Instant::now();
        let keep_waiting = || !shared.stopping() && idle_since.elapsed() < IDLE_LIMIT;
        let request = match client.read_request(&keep_waiting) {
            Ok(request) => request,
            Err(_) => return,
        };
        shared.count(|s| s.requests += 1);
        let operation = request.operation().map(str::to_owned);
        let (request_no, decision) = shared.decide(operation.as_deref(), &request.body);
        let keep_open = match decision {
            Decision::Forward => {
                shared.record(request_no, operation.as_deref(), Action::Forwarded);
                forward(&shared, &mut client, &mut upstream, &request)
            }
            Decision::Inject(fault) => {
                shared.record(request_no, operation.as_deref(), Action::Injected(fault));
                inject(
                    &shared,
                    &mut client,
                    &mut upstream,
                    &request,
                    fault,
                    request_no,
                )
            }
            Decision::Partial(partial) => {
                // Withheld entries count only when reported back; after an
                // error answer the client resends the whole batch anyway.
                // They are recorded before the answer goes out, so whoever
                // reads the stats after the answer sees them.
                let record = |merged: bool| {
                    let action = if merged {
                        Action::PartialBatch {
                            withheld: partial.count,
                        }
                    } else {
                        Action::Forwarded
                    };
                    shared.record(request_no, operation.as_deref(), action);
                };
                answer_partially(
                    &shared,
                    &mut client,
                    &mut upstream,
                    &request,
                    &partial,
                    record,
                )
            }
        };
        // Dropping the socket closes it (with a reset after
        // `Fault::ConnectionReset`, which set SO_LINGER 0).
        if !keep_open || request.closes() {
            return;
        }
    }
}

/// Sends `request` upstream and reads the answer, reusing the connection
/// when possible. A reused connection that turns out closed before any
/// byte of the answer (the upstream dropped it while idle) is replaced once.
fn exchange(
    shared: &Shared,
    upstream: &mut Option<Upstream>,
    request: &Request,
) -> Result<Response, ReadError> {
    let bytes = request.to_bytes();
    for _ in 0..2 {
        let reused = upstream.is_some();
        if upstream.is_none() {
            let stream =
                TcpStream::connect_timeout(&shared.upstream, IO_TIMEOUT).map_err(ReadError::Io)?;
            stream.set_read_timeout(Some(POLL)).map_err(ReadError::Io)?;
            stream
                .set_write_timeout(Some(IO_TIMEOUT))
                .map_err(ReadError::Io)?;
            let _ = stream.set_nodelay(true);
            *upstream = Some(Upstream {
                conn: Conn::new(stream),
            });
        }
        let conn = &mut upstream.as_mut().expect("connected above").conn;
        let started = Instant::now();
        let timeout = shared.config.upstream_timeout;
        let keep_waiting = || !shared.stopping() && started.elapsed() < timeout;
        let result = match conn.write_all(&bytes) {
            Ok(()) => conn.read_response(&keep_waiting),
            Err(_) if reused => Err(ReadError::Closed),
            Err(e) => Err(ReadError::Io(e)),
        };
        match result {
            Ok(response) => {
                if response.closes() {
                    *upstream = None;
                }
                shared.count(|s| s.forwarded += 1);
                return Ok(response);
            }
            Err(ReadError::Closed) if reused => *upstream = None,
            Err(e) => {
                *upstream = None;
                return Err(e);
            }
        }
    }
    Err(ReadError::Closed)
}

/// Forwards, or counts an upstream failure and says to close the client.
fn forward_for_answer(
    shared: &Shared,
    upstream: &mut Option<Upstream>,
    request: &Request,
) -> Option<Response> {
    match exchange(shared, upstream, request) {
        Ok(response) => Some(response),
        Err(_) => {
            shared.count(|s| s.upstream_errors += 1);
            None
        }
    }
}

/// Relays `response`; returns whether the client connection stays open.
fn relay(client: &mut Conn, response: &Response) -> bool {
    client.write_all(&response.to_bytes()).is_ok()
}

fn forward(
    shared: &Shared,
    client: &mut Conn,
    upstream: &mut Option<Upstream>,
    request: &Request,
) -> bool {
    match forward_for_answer(shared, upstream, request) {
        Some(response) => relay(client, &response),
        None => false,
    }
}

/// Recomputes `x-amz-crc32` for a changed body, when the header is there.
fn refresh_crc(response: &mut Response) {
    if response.header("x-amz-crc32").is_some() {
        let crc = crc32fast::hash(&response.body);
        response.set_header("x-amz-crc32", crc.to_string());
    }
}

fn inject(
    shared: &Shared,
    client: &mut Conn,
    upstream: &mut Option<Upstream>,
    request: &Request,
    fault: Fault,
    request_no: u64,
) -> bool {
    if let Some(answer) = canned_answer(fault, request_no) {
        return relay(client, &answer);
    }
    match fault {
        Fault::TruncatedBody => {
            let Some(mut response) = forward_for_answer(shared, upstream, request) else {
                return false;
            };
            let half = response.body.len() / 2;
            response.body.truncate(half);
            refresh_crc(&mut response);
            relay(client, &response)
        }
        Fault::ShortBody => {
            let Some(response) = forward_for_answer(shared, upstream, request) else {
                return false;
            };
            let half = response.body.len() / 2;
            let mut bytes = response.head_bytes(response.body.len());
            bytes.extend_from_slice(&response.body[..half]);
            let _ = client.write_all(&bytes);
            false
        }
        Fault::WrongCrc32 => {
            let Some(mut response) = forward_for_answer(shared, upstream, request) else {
                return false;
            };
            let right = crc32fast::hash(&response.body);
            response.set_header("x-amz-crc32", (right ^ 0x5A5A_5A5A).to_string());
            relay(client, &response)
        }
        Fault::ConnectionReset => {
            reset(client.stream());
            false
        }
        Fault::Delay => {
            let until = Instant::now() + shared.config.delay;
            while Instant::now() < until && !shared.stopping() {
                std::thread::sleep(POLL.min(until.saturating_duration_since(Instant::now())));
            }
            false
        }
        // Answered by `canned_answer` above.
        Fault::ProvisionedThroughputExceeded
        | Fault::Throttling
        | Fault::InternalServerError
        | Fault::ServiceUnavailable
        | Fault::BadGatewayHtml
        | Fault::ExpiredIterator => true,
    }
}

fn answer_partially(
    shared: &Shared,
    client: &mut Conn,
    upstream: &mut Option<Upstream>,
    request: &Request,
    partial: &Partial,
    record: impl FnOnce(bool),
) -> bool {
    let mut cut = request.clone();
    cut.body = partial.forwarded_body.clone();
    let Some(mut response) = forward_for_answer(shared, upstream, &cut) else {
        record(false);
        return false;
    };
    let mut merged = false;
    if response.status == 200 {
        if let Some(body) = batch::merge(partial, &response.body) {
            response.body = body;
            refresh_crc(&mut response);
            merged = true;
        }
    }
    record(merged);
    relay(client, &response)
}

/// Makes the coming close a reset (RST) rather than an orderly FIN.
fn reset(stream: &TcpStream) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let linger = libc::linger {
            l_onoff: 1,
            l_linger: 0,
        };
        // SAFETY: a valid socket descriptor owned by `stream`, and a
        // correctly sized `linger` that outlives the call.
        unsafe {
            libc::setsockopt(
                stream.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_LINGER,
                (&linger as *const libc::linger).cast(),
                std::mem::size_of::<libc::linger>() as libc::socklen_t,
            );
        }
    }
    #[cfg(not(unix))]
    let _ = stream;
}
