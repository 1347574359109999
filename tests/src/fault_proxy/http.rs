//! Just enough HTTP/1.1 for a proxy in front of DynamoDB: messages framed by
//! `Content-Length` (or chunked, or read to the end for answers), read from
//! sockets whose read timeout is short so the caller can give up between
//! polls.

use std::io::{self, Read, Write};
use std::net::TcpStream;

/// Largest head accepted.
const MAX_HEAD: usize = 64 * 1024;
/// Largest body accepted (DynamoDB answers stay far below).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Why no message was read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The peer closed (or reset) the connection before sending any byte
    /// of a new message: the normal end of a keep-alive connection.
    Closed,
    /// The caller's `keep_waiting` said stop (proxy stopping, idle limit).
    GaveUp,
    /// The connection failed part-way through a message.
    Io(io::Error),
    /// Not HTTP as this module understands it.
    Malformed(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Closed => f.write_str("connection closed"),
            ReadError::GaveUp => f.write_str("gave up waiting"),
            ReadError::Io(e) => write!(f, "I/O error: {e}"),
            ReadError::Malformed(m) => write!(f, "malformed message: {m}"),
        }
    }
}

/// Header lists keep the order and spelling they came with.
pub(crate) type Headers = Vec<(String, String)>;

fn find_header<'a>(headers: &'a Headers, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn has_token(headers: &Headers, name: &str, token: &str) -> bool {
    headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .flat_map(|(_, v)| v.split(','))
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

/// Writes `headers` minus the framing ones, then `Content-Length: length`.
fn write_headers(out: &mut Vec<u8>, headers: &Headers, length: usize) {
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("content-length")
            || name.eq_ignore_ascii_case("transfer-encoding")
        {
            continue;
        }
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("content-length: {length}\r\n\r\n").as_bytes());
}

/// An HTTP request.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    pub method: String,
    pub target: String,
    pub version: String,
    pub headers: Headers,
    pub body: Vec<u8>,
}

impl Request {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The DynamoDB operation, from `X-Amz-Target: DynamoDB_20120810.<Op>`.
    pub(crate) fn operation(&self) -> Option<&str> {
        let target = self.header("x-amz-target")?;
        Some(target.rsplit_once('.').map_or(target, |(_, op)| op))
    }

    /// Whether the client asked to close the connection after this exchange.
    pub(crate) fn closes(&self) -> bool {
        has_token(&self.headers, "connection", "close") || self.version == "HTTP/1.0"
    }

    /// The request as bytes, framed by `Content-Length`.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!("{} {} {}\r\n", self.method, self.target, self.version).into_bytes();
        write_headers(&mut out, &self.headers, self.body.len());
        out.extend_from_slice(&self.body);
        out
    }
}

/// An HTTP response.
#[derive(Clone, Debug)]
pub(crate) struct Response {
    pub status: u16,
    pub reason: String,
    pub headers: Headers,
    pub body: Vec<u8>,
}

impl Response {
    pub(crate) fn new(status: u16, reason: &str, headers: Headers, body: Vec<u8>) -> Self {
        Response {
            status,
            reason: reason.to_owned(),
            headers,
            body,
        }
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Replaces (or adds) a header.
    pub(crate) fn set_header(&mut self, name: &str, value: String) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value));
    }

    /// Whether the server will close the connection after this answer.
    pub(crate) fn closes(&self) -> bool {
        has_token(&self.headers, "connection", "close")
    }

    /// The head, declaring `length` body bytes (not necessarily the body's).
    pub(crate) fn head_bytes(&self, length: usize) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, self.reason).into_bytes();
        write_headers(&mut out, &self.headers, length);
        out
    }

    /// The whole answer, framed by `Content-Length`.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.head_bytes(self.body.len());
        out.extend_from_slice(&self.body);
        out
    }
}

/// A socket and the bytes read from it but not consumed yet.
pub(crate) struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    pub(crate) fn new(stream: TcpStream) -> Self {
        Conn {
            stream,
            buf: Vec::new(),
        }
    }

    pub(crate) fn stream(&self) -> &TcpStream {
        &self.stream
    }

    pub(crate) fn write_all(&self, bytes: &[u8]) -> io::Result<()> {
        (&self.stream).write_all(bytes)?;
        (&self.stream).flush()
    }

    /// Reads more bytes; `Ok(0)` at end of stream. Read timeouts are polls:
    /// they ask `keep_waiting` whether to go on.
    fn fill(&mut self, keep_waiting: &dyn Fn() -> bool) -> Result<usize, ReadError> {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match (&self.stream).read(&mut chunk) {
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(n);
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    if !keep_waiting() {
                        return Err(ReadError::GaveUp);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(ReadError::Io(e)),
            }
        }
    }

    /// Reads a head (up to and including the blank line) and returns its
    /// lines. A connection that ends (or is reset) before any byte of it is
    /// [`ReadError::Closed`].
    fn read_head(&mut self, keep_waiting: &dyn Fn() -> bool) -> Result<Vec<String>, ReadError> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let head: Vec<u8> = self.buf.drain(..end + 4).collect();
                let text = String::from_utf8(head)
                    .map_err(|_| ReadError::Malformed("head is not UTF-8".into()))?;
                return Ok(text
                    .trim_end_matches("\r\n")
                    .split("\r\n")
                    .map(str::to_owned)
                    .collect());
            }
            if self.buf.len() > MAX_HEAD {
                return Err(ReadError::Malformed("head too large".into()));
            }
            let was_empty = self.buf.is_empty();
            match self.fill(keep_waiting) {
                Ok(0) if was_empty => return Err(ReadError::Closed),
                Ok(0) => {
                    return Err(ReadError::Io(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "connection closed inside a head",
                    )))
                }
                Ok(_) => {}
                Err(ReadError::Io(e))
                    if was_empty && e.kind() == io::ErrorKind::ConnectionReset =>
                {
                    return Err(ReadError::Closed)
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn take(&mut self, n: usize, keep_waiting: &dyn Fn() -> bool) -> Result<Vec<u8>, ReadError> {
        if n > MAX_BODY {
            return Err(ReadError::Malformed(format!("body of {n} bytes")));
        }
        while self.buf.len() < n {
            if self.fill(keep_waiting)? == 0 {
                return Err(ReadError::Io(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "connection closed after {} of {n} body bytes",
                        self.buf.len()
                    ),
                )));
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    fn take_line(&mut self, keep_waiting: &dyn Fn() -> bool) -> Result<String, ReadError> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n") {
                let line: Vec<u8> = self.buf.drain(..end + 2).collect();
                return Ok(String::from_utf8_lossy(&line[..end]).into_owned());
            }
            if self.buf.len() > MAX_HEAD {
                return Err(ReadError::Malformed("line too long".into()));
            }
            if self.fill(keep_waiting)? == 0 {
                return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()));
            }
        }
    }

    fn take_chunked(&mut self, keep_waiting: &dyn Fn() -> bool) -> Result<Vec<u8>, ReadError> {
        let mut body = Vec::new();
        loop {
            let line = self.take_line(keep_waiting)?;
            let size = line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size, 16)
                .map_err(|_| ReadError::Malformed(format!("chunk size {line:?}")))?;
            if size == 0 {
                // Trailers, up to the blank line.
                while !self.take_line(keep_waiting)?.is_empty() {}
                return Ok(body);
            }
            if body.len() + size > MAX_BODY {
                return Err(ReadError::Malformed("chunked body too large".into()));
            }
            body.extend(self.take(size, keep_waiting)?);
            self.take_line(keep_waiting)?;
        }
    }

    fn take_to_end(&mut self, keep_waiting: &dyn Fn() -> bool) -> Result<Vec<u8>, ReadError> {
        while self.fill(keep_waiting)? > 0 {
            if self.buf.len() > MAX_BODY {
                return Err(ReadError::Malformed("body too large".into()));
            }
        }
        Ok(std::mem::take(&mut self.buf))
    }

    /// Reads one request. Requests must be framed by `Content-Length` (or
    /// have no body); chunked requests are accepted too.
    pub(crate) fn read_request(
        &mut self,
        keep_waiting: &dyn Fn() -> bool,
    ) -> Result<Request, ReadError> {
        let lines = self.read_head(keep_waiting)?;
        let mut parts = lines[0].splitn(3, ' ');
        let (Some(method), Some(target), Some(version)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(ReadError::Malformed(format!("request line {:?}", lines[0])));
        };
        let headers = parse_headers(&lines[1..])?;
        let body = if has_token(&headers, "transfer-encoding", "chunked") {
            self.take_chunked(keep_waiting)?
        } else {
            let length = content_length(&headers)?.unwrap_or(0);
            self.take(length, keep_waiting)?
        };
        Ok(Request {
            method: method.to_owned(),
            target: target.to_owned(),
            version: version.to_owned(),
            headers,
            body,
        })
    }

    /// Reads one response to a POST.
    pub(crate) fn read_response(
        &mut self,
        keep_waiting: &dyn Fn() -> bool,
    ) -> Result<Response, ReadError> {
        loop {
            let lines = self.read_head(keep_waiting)?;
            let mut parts = lines[0].splitn(3, ' ');
            let _version = parts.next();
            let status: u16 = parts
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| ReadError::Malformed(format!("status line {:?}", lines[0])))?;
            let reason = parts.next().unwrap_or("").to_owned();
            let headers = parse_headers(&lines[1..])?;
            if (100..200).contains(&status) {
                continue; // 100 Continue and friends: the real answer follows.
            }
            let body = if status == 204 || status == 304 {
                Vec::new()
            } else if has_token(&headers, "transfer-encoding", "chunked") {
                self.take_chunked(keep_waiting)?
            } else if let Some(length) = content_length(&headers)? {
                self.take(length, keep_waiting)?
            } else {
                self.take_to_end(keep_waiting)?
            };
            return Ok(Response {
                status,
                reason,
                headers,
                body,
            });
        }
    }
}

fn parse_headers(lines: &[String]) -> Result<Headers, ReadError> {
    lines
        .iter()
        .map(|line| {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| ReadError::Malformed(format!("header line {line:?}")))?;
            if name.is_empty() || name.starts_with([' ', '\t']) {
                return Err(ReadError::Malformed(format!("header line {line:?}")));
            }
            Ok((name.to_owned(), value.trim().to_owned()))
        })
        .collect()
}

fn content_length(headers: &Headers) -> Result<Option<usize>, ReadError> {
    match find_header(headers, "content-length") {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| ReadError::Malformed(format!("content-length {v:?}"))),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let a = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (b, _) = listener.accept().unwrap();
        b.set_read_timeout(Some(std::time::Duration::from_millis(20)))
            .unwrap();
        (a, b)
    }

    #[test]
    fn keep_alive_requests_are_read_one_after_another() {
        let (mut a, b) = pair();
        a.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\nContent-Length: 2\r\n\r\n{}POST /p HTTP/1.1\r\ncontent-length: 3\r\nconnection: close\r\n\r\nabc").unwrap();
        let mut conn = Conn::new(b);
        let go = || true;
        let first = conn.read_request(&go).unwrap();
        assert_eq!(first.operation(), Some("GetItem"));
        assert_eq!(first.body, b"{}");
        assert!(!first.closes());
        let second = conn.read_request(&go).unwrap();
        assert_eq!(second.target, "/p");
        assert_eq!(second.body, b"abc");
        assert!(second.closes());
        drop(a);
        assert!(matches!(conn.read_request(&go), Err(ReadError::Closed)));
    }

    #[test]
    fn chunked_and_unframed_answers_are_read_whole() {
        let (mut a, b) = pair();
        a.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\nHTTP/1.1 500 Oops\r\n\r\nrest").unwrap();
        drop(a);
        let mut conn = Conn::new(b);
        let go = || true;
        let first = conn.read_response(&go).unwrap();
        assert_eq!((first.status, first.body.as_slice()), (200, &b"abcde"[..]));
        let second = conn.read_response(&go).unwrap();
        assert_eq!(second.status, 500);
        assert_eq!(second.reason, "Oops");
        assert_eq!(second.body, b"rest");
    }

    #[test]
    fn a_short_body_is_an_error_and_waiting_can_be_abandoned() {
        let (mut a, b) = pair();
        a.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
            .unwrap();
        let mut conn = Conn::new(b);
        assert!(matches!(
            conn.read_response(&|| false),
            Err(ReadError::GaveUp)
        ));
        drop(a);
        assert!(matches!(
            conn.read_response(&|| true),
            Err(ReadError::Io(_))
        ));
    }

    #[test]
    fn framing_headers_are_rewritten() {
        let mut r = Response::new(
            200,
            "OK",
            vec![
                ("Content-Length".into(), "99".into()),
                ("x-amz-crc32".into(), "1".into()),
            ],
            b"{}".to_vec(),
        );
        r.set_header("X-Amz-Crc32", "2".into());
        assert_eq!(
            String::from_utf8(r.to_bytes()).unwrap(),
            "HTTP/1.1 200 OK\r\nX-Amz-Crc32: 2\r\ncontent-length: 2\r\n\r\n{}"
        );
    }
}
