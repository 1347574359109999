//! One HTTP/1.1 exchange on an open connection.
//!
//! DynamoDB's protocol needs little of HTTP: a POST with a handful of headers
//! and a JSON body, and an answer whose status, four headers and body matter.
//! This module does exactly that and no more, because that is where a
//! general client spends most of a small request's time (ureq's request path
//! measured 37,000 instructions per GetItem under callgrind, eight times a
//! bare socket's whole exchange): the request is written straight into the
//! connection's output buffer and sent with one write, and the answer's head
//! is parsed in place with `httparse`, keeping only what the client reads.
//!
//! Connections (TCP, TLS, proxy tunnels) are ureq's transports; see
//! [`super::connect`].

use std::mem::MaybeUninit;
use std::time::{Duration, Instant};

use ureq::unversioned::transport::{NextTimeout, Transport};
use ureq::Timeout;

use crate::error::{Error, TransportError, TransportErrorKind};

/// Sent with every request.
const USER_AGENT: &str = concat!("dynamo-rs/", env!("CARGO_PKG_VERSION"));

/// The longest answer head read: DynamoDB's are well under 1 KB.
const MAX_HEAD: usize = 64 * 1024;

/// Most header lines an answer head may have.
const MAX_HEADERS: usize = 64;

/// When each step of an exchange must end: its own limit, or the call's
/// budget when that ends first.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    /// The end of the call's operation timeout, if there is one.
    pub budget: Option<Instant>,
}

/// `limit` after `now`, or a year after it for a limit too large to add
/// (`Duration::MAX` as "no limit"): never a panic.
pub(crate) fn end_of(now: Instant, limit: Duration) -> Instant {
    now.checked_add(limit)
        .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600))
}

impl Clock {
    /// The timeout, as of `now`, for I/O of a step that must end at
    /// `step_end`, reported as `reason` (or as the operation timeout when
    /// that ends first). The caller passes `now` so that one reading of the
    /// clock serves several steps: it is a measurable share of a warm
    /// request's CPU.
    pub fn next(&self, now: Instant, step_end: Instant, reason: Timeout) -> NextTimeout {
        let (end, reason) = match self.budget {
            Some(budget) if budget < step_end => (budget, Timeout::Global),
            _ => (step_end, reason),
        };
        NextTimeout {
            after: end.saturating_duration_since(now).into(),
            reason,
            per_read: None,
            per_write: None,
        }
    }
}

/// Writes a POST of `body` to `path` with `headers` (plus `user-agent` and
/// `content-length`), within `limit` of `now`.
pub(crate) fn send(
    conn: &mut dyn Transport,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    clock: Clock,
    (now, limit): (Instant, Duration),
) -> Result<(), Error> {
    let end = end_of(now, limit);
    let mut now = Some(now);
    let mut length = [0u8; 20];
    let head: [&[u8]; 6] = [
        b"POST ",
        path.as_bytes(),
        b" HTTP/1.1\r\nuser-agent: ",
        USER_AGENT.as_bytes(),
        b"\r\ncontent-length: ",
        decimal(body.len(), &mut length),
    ];
    let output = conn.buffers().output();
    let mut filled = 0;
    let mut put = |bytes: &[u8]| -> Result<(), Error> {
        let slot = output
            .get_mut(filled..filled + bytes.len())
            .ok_or_else(|| other("the request head does not fit the output buffer"))?;
        slot.copy_from_slice(bytes);
        filled += bytes.len();
        Ok(())
    };
    for part in head {
        put(part)?;
    }
    for (name, value) in headers {
        check_header(name, value)?;
        for part in [b"\r\n".as_slice(), name.as_bytes(), b": ", value.as_bytes()] {
            put(part)?;
        }
    }
    put(b"\r\n\r\n")?;
    // The body follows the head in the same write when it fits, so a small
    // request leaves as one TCP segment (or TLS record).
    let mut rest = body;
    loop {
        let output = conn.buffers().output();
        let take = rest.len().min(output.len() - filled);
        output[filled..filled + take].copy_from_slice(&rest[..take]);
        rest = &rest[take..];
        let now = now.take().unwrap_or_else(Instant::now);
        conn.transmit_output(filled + take, clock.next(now, end, Timeout::SendBody))
            .map_err(super::transport_error)?;
        if rest.is_empty() {
            return Ok(());
        }
        filled = 0;
    }
}

/// A header value with a line break would end the header early and let the
/// rest be read as another header: refused, without printing the value
/// (it may be a session token).
fn check_header(name: &str, value: &str) -> Result<(), Error> {
    // A fold without early exit: the compiler turns it into a vector loop
    // (an authorization header is a few hundred bytes, on every request).
    let bad = |s: &str| {
        s.bytes().fold(false, |bad, b| {
            bad | ((b < 0x20) & (b != b'\t')) | (b == 0x7f)
        })
    };
    if bad(name) || bad(value) || name.is_empty() {
        return Err(other(&format!(
            "the `{}` header has a control character",
            name.escape_debug()
        )));
    }
    Ok(())
}

/// `n` in decimal, written into `buf`.
fn decimal(mut n: usize, buf: &mut [u8; 20]) -> &[u8] {
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[start..];
        }
    }
}

/// An answer as read off a connection.
pub(crate) struct Answer {
    pub status: u16,
    pub request_id: Option<String>,
    pub error_type: Option<String>,
    pub retry_after: Option<String>,
    pub crc32: Option<String>,
    pub body: Vec<u8>,
    /// Whether the connection can carry another request: the answer had a
    /// known length, was read to its end, nothing followed it, and the
    /// server did not ask to close.
    pub reusable: bool,
}

/// How the body's end is known.
enum Framing {
    Length(usize),
    Chunked,
    /// Read until the server closes the connection.
    Close,
}

/// Reads one answer: its head within `limit` of now, then its body within
/// `limit` of the head's arrival, never more than `max_body` bytes of body.
pub(crate) fn receive(
    conn: &mut dyn Transport,
    clock: Clock,
    limit: Duration,
    max_body: usize,
) -> Result<Answer, Error> {
    let now = Instant::now();
    let head_end = end_of(now, limit);
    let mut now = Some(now);
    let (mut answer, framing) = loop {
        let (answer, framing) = read_head(conn, clock, head_end, &mut now)?;
        // 1xx answers (100 Continue, 103 Early Hints) precede the real one.
        if !(100..200).contains(&answer.status) {
            break (answer, framing);
        }
    };
    let body = Reader {
        conn,
        clock,
        limit,
        end: None,
    };
    let (bytes, ended_cleanly) = match framing {
        Framing::Length(n) if n > max_body => return Err(too_large(max_body)),
        Framing::Length(n) => (body.exact(n)?, true),
        Framing::Chunked => (body.chunked(max_body)?, true),
        Framing::Close => (body.until_closed(max_body)?, false),
    };
    answer.body = bytes;
    answer.reusable &= ended_cleanly && conn.buffers().input().is_empty();
    Ok(answer)
}

/// Reads and parses the head of an answer.
/// `now`, when given, is the time to reckon the first wait from.
fn read_head(
    conn: &mut dyn Transport,
    clock: Clock,
    end: Instant,
    now: &mut Option<Instant>,
) -> Result<(Answer, Framing), Error> {
    loop {
        let input = conn.buffers().input();
        // Uninitialised slots: initialising 64 of them cost more than
        // parsing a DynamoDB answer's head.
        let mut slots = [const { MaybeUninit::<httparse::Header<'_>>::uninit() }; MAX_HEADERS];
        let mut head = httparse::Response::new(&mut []);
        let parsed = httparse::ParserConfig::default()
            .parse_response_with_uninit_headers(&mut head, input, &mut slots)
            .map_err(|e| other(&format!("the answer's head is not HTTP: {e}")))?;
        let httparse::Status::Complete(head_len) = parsed else {
            if input.len() >= MAX_HEAD {
                return Err(other("the answer's head is over 64 KB"));
            }
            let now = now.take().unwrap_or_else(Instant::now);
            let waited = clock.next(now, end, Timeout::RecvResponse);
            if !conn.await_input(waited).map_err(super::transport_error)? {
                return Err(broken(if conn.buffers().input().is_empty() {
                    "the connection closed before an answer came"
                } else {
                    "the connection closed in the middle of the answer's head"
                }));
            }
            continue;
        };
        let status = head.code.unwrap_or(0);
        let mut answer = Answer {
            status,
            request_id: None,
            error_type: None,
            retry_after: None,
            crc32: None,
            body: Vec::new(),
            // HTTP/1.0 closes unless asked to keep alive; we never ask.
            reusable: head.version == Some(1),
        };
        let http_1_1 = head.version == Some(1);
        let mut length = None;
        // The codings in order, over every Transfer-Encoding header.
        let mut codings: Option<String> = None;
        for header in head.headers.iter() {
            let text = || String::from_utf8_lossy(header.value).trim().to_owned();
            let name = header.name;
            if name.eq_ignore_ascii_case("content-length") {
                let value = std::str::from_utf8(header.value).unwrap_or("").trim();
                let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
                let parsed = value.parse::<usize>().ok().filter(|_| digits);
                match (parsed, length) {
                    (Some(n), None) => length = Some(n),
                    (Some(n), Some(m)) if n == m => {}
                    _ => return Err(other("the answer's Content-Length is not one number")),
                }
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                let all = codings.get_or_insert_with(String::new);
                all.push(',');
                all.push_str(&text());
            } else if name.eq_ignore_ascii_case("connection") {
                // A list of options (`keep-alive, close`), maybe over
                // several headers.
                if text()
                    .split(',')
                    .any(|o| o.trim().eq_ignore_ascii_case("close"))
                {
                    answer.reusable = false;
                }
            } else if name.eq_ignore_ascii_case("x-amzn-requestid") {
                answer.request_id = Some(text());
            } else if name.eq_ignore_ascii_case("x-amzn-errortype") {
                answer.error_type = Some(text());
            } else if name.eq_ignore_ascii_case("x-amz-retry-after") {
                answer.retry_after = Some(text());
            } else if name.eq_ignore_ascii_case("x-amz-crc32") {
                answer.crc32 = Some(text());
            }
        }
        conn.buffers().input_consume(head_len);
        // The body's framing, as RFC 9112 section 6.3 sets it out.
        let last_coding = codings.as_deref().map(|all| {
            let last = all.rsplit(',').find(|c| !c.trim().is_empty());
            last.unwrap_or("").trim().to_ascii_lowercase()
        });
        if codings.is_some() && (length.is_some() || !http_1_1) {
            // Framed by both, or chunked over HTTP/1.0: read it, but never
            // trust the connection again.
            answer.reusable = false;
        }
        let framing = if (100..200).contains(&status) || status == 204 || status == 304 {
            // No body by definition.
            Framing::Length(0)
        } else if let Some(coding) = last_coding {
            if coding == "chunked" {
                Framing::Chunked
            } else {
                Framing::Close
            }
        } else if let Some(n) = length {
            Framing::Length(n)
        } else {
            Framing::Close
        };
        return Ok((answer, framing));
    }
}

/// Reads a body from a connection's input buffer, refilling it as needed.
struct Reader<'a> {
    conn: &'a mut dyn Transport,
    clock: Clock,
    limit: Duration,
    /// When the body must be in: `limit` after the first wait for it (an
    /// answer that came whole with its head never reads the clock).
    end: Option<Instant>,
}

impl Reader<'_> {
    /// Waits for more input; `false` at the end of the stream.
    fn fill(&mut self) -> Result<bool, Error> {
        let now = Instant::now();
        let end = *self.end.get_or_insert_with(|| end_of(now, self.limit));
        let waited = self.clock.next(now, end, Timeout::RecvBody);
        self.conn
            .await_input(waited)
            .map_err(super::transport_error)
    }

    /// Moves up to `n` buffered bytes into `out`; how many it moved.
    fn take(&mut self, n: usize, out: &mut Vec<u8>) -> usize {
        let buffers = self.conn.buffers();
        let input = buffers.input();
        let take = input.len().min(n);
        out.extend_from_slice(&input[..take]);
        buffers.input_consume(take);
        take
    }

    fn exact(mut self, n: usize) -> Result<Vec<u8>, Error> {
        let mut body = Vec::with_capacity(n);
        self.exact_into(n, &mut body)?;
        Ok(body)
    }

    fn exact_into(&mut self, n: usize, body: &mut Vec<u8>) -> Result<(), Error> {
        let mut left = n;
        loop {
            left -= self.take(left, body);
            if left == 0 {
                return Ok(());
            }
            if !self.fill()? {
                return Err(broken(&format!(
                    "the connection closed {left} bytes before the end of the answer"
                )));
            }
        }
    }

    fn until_closed(mut self, max: usize) -> Result<Vec<u8>, Error> {
        let mut body = Vec::new();
        loop {
            self.take(usize::MAX, &mut body);
            if body.len() > max {
                return Err(too_large(max));
            }
            if !self.fill()? {
                return Ok(body);
            }
        }
    }

    /// A line ending in CRLF, without it (chunk sizes and trailers).
    fn line(&mut self) -> Result<String, Error> {
        loop {
            let input = self.conn.buffers().input();
            if let Some(at) = input.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&input[..at]).into_owned();
                self.conn.buffers().input_consume(at + 2);
                return Ok(line);
            }
            if input.len() > 4096 {
                return Err(broken("a chunk line of the answer is over 4 KB"));
            }
            if !self.fill()? {
                return Err(broken("the connection closed inside a chunked answer"));
            }
        }
    }

    fn chunked(mut self, max: usize) -> Result<Vec<u8>, Error> {
        let mut body = Vec::new();
        loop {
            let line = self.line()?;
            let size = line.split(';').next().unwrap_or("").trim();
            let hex = !size.is_empty() && size.bytes().all(|b| b.is_ascii_hexdigit());
            let size = usize::from_str_radix(size, 16)
                .ok()
                .filter(|_| hex)
                .ok_or(())
                .map_err(|_| broken("a chunk size of the answer is not a hex number"))?;
            if size == 0 {
                // Trailers, up to the empty line.
                while !self.line()?.is_empty() {}
                return Ok(body);
            }
            if body.len().saturating_add(size) > max {
                return Err(too_large(max));
            }
            self.exact_into(size, &mut body)?;
            if !self.line()?.is_empty() {
                return Err(broken("a chunk of the answer is longer than its size"));
            }
        }
    }
}

/// The connection broke or the answer is not HTTP: worth another attempt.
fn broken(message: &str) -> Error {
    transport(TransportErrorKind::Io, message)
}

/// Not worth another attempt.
fn other(message: &str) -> Error {
    transport(TransportErrorKind::Other, message)
}

fn too_large(max: usize) -> Error {
    other(&format!("the answer is over {} MB", max / (1024 * 1024)))
}

fn transport(kind: TransportErrorKind, message: &str) -> Error {
    Error::Transport(TransportError {
        kind,
        message: message.to_owned(),
        attempts: 1,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use ureq::unversioned::transport::{Buffers, LazyBuffers};

    use super::*;

    /// A connection whose answers arrive in the given pieces, one per read,
    /// then end of stream.
    #[derive(Debug)]
    struct Scripted {
        buffers: LazyBuffers,
        pieces: VecDeque<Vec<u8>>,
        sent: Vec<u8>,
    }

    impl Scripted {
        fn new(pieces: &[&[u8]]) -> Self {
            Scripted {
                buffers: LazyBuffers::new(64 * 1024, 4 * 1024),
                pieces: pieces.iter().map(|p| p.to_vec()).collect(),
                sent: Vec::new(),
            }
        }
    }

    impl Transport for Scripted {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }

        fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> Result<(), ureq::Error> {
            let output = &self.buffers.output()[..amount];
            self.sent.extend_from_slice(output);
            Ok(())
        }

        fn await_input(&mut self, _: NextTimeout) -> Result<bool, ureq::Error> {
            let Some(piece) = self.pieces.pop_front() else {
                return Ok(false);
            };
            let free = self.buffers.input_append_buf();
            free[..piece.len()].copy_from_slice(&piece);
            self.buffers.input_appended(piece.len());
            Ok(true)
        }

        fn is_open(&mut self) -> bool {
            true
        }
    }

    const CLOCK: Clock = Clock { budget: None };
    const LIMIT: Duration = Duration::from_secs(5);

    fn answer(pieces: &[&[u8]]) -> Result<Answer, Error> {
        receive(&mut Scripted::new(pieces), CLOCK, LIMIT, 1024)
    }

    fn io_kind(result: Result<Answer, Error>) -> TransportErrorKind {
        match result {
            Err(Error::Transport(e)) => e.kind,
            Err(other) => panic!("not a transport error: {other}"),
            Ok(a) => panic!("an answer: status {}", a.status),
        }
    }

    #[test]
    fn a_request_is_one_write_of_head_and_body() {
        let mut conn = Scripted::new(&[]);
        let headers = [("host", "localhost:8000"), ("x-amz-target", "T.GetItem")];
        send(
            &mut conn,
            "/",
            &headers,
            b"{}",
            CLOCK,
            (Instant::now(), LIMIT),
        )
        .unwrap();
        let sent = String::from_utf8(conn.sent).unwrap();
        assert_eq!(
            sent,
            format!(
                "POST / HTTP/1.1\r\nuser-agent: {USER_AGENT}\r\ncontent-length: 2\r\n\
                 host: localhost:8000\r\nx-amz-target: T.GetItem\r\n\r\n{{}}"
            )
        );
    }

    #[test]
    fn a_body_larger_than_the_buffer_goes_in_several_writes() {
        let mut conn = Scripted::new(&[]);
        let body = vec![b'x'; 10_000];
        send(&mut conn, "/", &[], &body, CLOCK, (Instant::now(), LIMIT)).unwrap();
        assert!(conn.sent.ends_with(&body));
        assert!(conn.sent.starts_with(b"POST / HTTP/1.1\r\n"));
    }

    #[test]
    fn a_content_length_answer_split_anywhere_is_read_whole() {
        let a = answer(&[
            b"HTTP/1.1 200 OK\r\nx-amzn-RequestId: r1\r\nContent-Le",
            b"ngth: 11\r\nx-amz-crc32: 42\r\n\r\n{\"Item",
            b"\":{}}",
        ])
        .unwrap();
        assert_eq!(a.status, 200);
        assert_eq!(a.body, b"{\"Item\":{}}");
        assert_eq!(a.request_id.as_deref(), Some("r1"));
        assert_eq!(a.crc32.as_deref(), Some("42"));
        assert!(a.reusable);
    }

    #[test]
    fn a_chunked_answer_with_extensions_and_trailers_is_read_whole() {
        let a = answer(&[
            b"HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n",
            b"x-amzn-ErrorType: ThrottlingException\r\n\r\n5;ext=1\r\nhello\r\n",
            b"6\r\n world\r\n0\r\nx-trailer: 1\r\n\r\n",
        ])
        .unwrap();
        assert_eq!(a.status, 400);
        assert_eq!(a.body, b"hello world");
        assert_eq!(a.error_type.as_deref(), Some("ThrottlingException"));
        assert!(a.reusable);
    }

    #[test]
    fn an_answer_without_a_length_is_read_to_the_close_and_not_reused() {
        let a = answer(&[b"HTTP/1.1 502 Bad Gateway\r\n\r\n<html>", b"</html>"]).unwrap();
        assert_eq!(a.body, b"<html></html>");
        assert!(!a.reusable);
    }

    #[test]
    fn connection_close_bytes_after_the_answer_or_http_1_0_are_not_reused() {
        let close =
            answer(&[b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"]);
        assert!(!close.unwrap().reusable);
        let extra = answer(&[b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1"]);
        assert!(!extra.unwrap().reusable);
        let old = answer(&[b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}"]);
        assert!(!old.unwrap().reusable);
    }

    #[test]
    fn every_close_option_and_transfer_coding_rule_is_honoured() {
        let listed = answer(&[
            b"HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 2\r\n\r\n{}",
        ]);
        assert!(!listed.unwrap().reusable);
        // The last coding decides; chunked with a length is read as chunked
        // but the connection is not trusted again.
        let both = answer(&[
            b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        ])
        .unwrap();
        assert_eq!(
            (both.body.as_slice(), both.reusable),
            (b"{}".as_slice(), false)
        );
        let split = answer(&[
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        ])
        .unwrap();
        assert_eq!(
            (split.body.as_slice(), split.reusable),
            (b"{}".as_slice(), true)
        );
        // A coding that is not chunked: read to the close.
        let other_coding = answer(&[
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\nContent-Length: 1\r\n\r\n{}",
        ])
        .unwrap();
        assert_eq!(
            (other_coding.body.as_slice(), other_coding.reusable),
            (b"{}".as_slice(), false)
        );
    }

    #[test]
    fn a_limit_too_large_to_add_is_no_limit_not_a_panic() {
        let mut conn = Scripted::new(&[b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"]);
        send(
            &mut conn,
            "/",
            &[],
            b"{}",
            CLOCK,
            (Instant::now(), Duration::MAX),
        )
        .unwrap();
        let a = receive(&mut conn, CLOCK, Duration::MAX, 1024).unwrap();
        assert_eq!(a.body, b"{}");
    }

    #[test]
    fn an_interim_answer_is_skipped() {
        let a = answer(&[
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
        ])
        .unwrap();
        assert_eq!((a.status, a.body.as_slice()), (200, b"{}".as_slice()));
    }

    #[test]
    fn broken_answers_are_retryable_and_malformed_or_oversized_ones_are_not() {
        // Closed before any answer (a keep-alive connection the server
        // dropped), mid-head, mid-body, mid-chunk.
        assert_eq!(io_kind(answer(&[])), TransportErrorKind::Io);
        assert_eq!(
            io_kind(answer(&[b"HTTP/1.1 200 OK\r\nContent-"])),
            TransportErrorKind::Io
        );
        let short = answer(&[b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}"]);
        assert_eq!(io_kind(short), TransportErrorKind::Io);
        let chunk = answer(&[b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\n{}"]);
        assert_eq!(io_kind(chunk), TransportErrorKind::Io);
        // Not HTTP, or framed two ways: it would go the same way again.
        let not_http = answer(&[b"SSH-2.0-OpenSSH\r\n\r\n"]);
        assert_eq!(io_kind(not_http), TransportErrorKind::Other);
        let two_lengths =
            answer(&[b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"]);
        assert_eq!(io_kind(two_lengths), TransportErrorKind::Other);
        let signed_length = answer(&[b"HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\n{}"]);
        assert_eq!(io_kind(signed_length), TransportErrorKind::Other);
        let signed_chunk = answer(&[
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+2\r\n{}\r\n0\r\n\r\n",
        ]);
        assert_eq!(io_kind(signed_chunk), TransportErrorKind::Io);
        // Over the limit (1 KB here), announced or not.
        let big = answer(&[b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"]);
        assert_eq!(io_kind(big), TransportErrorKind::Other);
        let endless = vec![b'x'; 2000];
        let unannounced = answer(&[b"HTTP/1.1 200 OK\r\n\r\n", &endless]);
        assert_eq!(io_kind(unannounced), TransportErrorKind::Other);
    }

    #[test]
    fn decimal_writes_every_digit() {
        let mut buf = [0u8; 20];
        for n in [0usize, 7, 10, 944, 1_048_576, usize::MAX] {
            assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes());
        }
    }

    #[test]
    fn header_values_with_line_breaks_are_refused_without_echoing_them() {
        assert!(check_header("x-amz-security-token", "abc/DEF+=").is_ok());
        let err = check_header("x-amz-security-token", "secret\r\nx-evil: 1").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("x-amz-security-token"), "{text}");
        assert!(!text.contains("secret"), "{text}");
        assert!(check_header("", "v").is_err());
    }
}
