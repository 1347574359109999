//! The floor every row is measured against: the same DynamoDB exchanges over
//! a bare `std::net` socket. Keep-alive, the request sent in one write with
//! fixed headers and a dummy signature (DynamoDB Local does not check it),
//! bodies built before the clock starts, and the answer read until its
//! `Content-Length` is complete, nothing decoded.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};

use crate::BenchResult;

pub struct BareClient {
    stream: TcpStream,
    host: String,
    access_key: String,
    request: Vec<u8>,
    buffer: Vec<u8>,
}

impl BareClient {
    /// Connects to `endpoint` (`http://host:port`); `access_key` goes into
    /// the Authorization header (DynamoDB Local keeps one database per key).
    pub fn connect(endpoint: &str, access_key: &str) -> BenchResult<BareClient> {
        let host = endpoint
            .strip_prefix("http://")
            .ok_or("the bare socket client speaks plain http:// only")?
            .trim_end_matches('/')
            .to_owned();
        let addr: SocketAddr = host
            .to_socket_addrs()?
            .next()
            .ok_or("endpoint resolves to nothing")?;
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        Ok(BareClient {
            stream,
            host,
            access_key: access_key.to_owned(),
            request: Vec::with_capacity(4096),
            buffer: vec![0; 64 * 1024],
        })
    }

    /// Sends `body` as DynamoDB operation `operation` and reads the whole
    /// answer; an answer other than 200 is an error.
    pub fn exchange(&mut self, operation: &str, body: &[u8]) -> BenchResult<()> {
        self.request.clear();
        write!(
            self.request,
            "POST / HTTP/1.1\r\nhost: {}\r\ncontent-type: application/x-amz-json-1.0\r\n\
             x-amz-target: DynamoDB_20120810.{operation}\r\nx-amz-date: 20240501T080000Z\r\n\
             authorization: AWS4-HMAC-SHA256 Credential={}/20240501/us-east-1/dynamodb/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-target, \
             Signature=0000000000000000000000000000000000000000000000000000000000000000\r\n\
             user-agent: bare\r\ncontent-length: {}\r\n\r\n",
            self.host,
            self.access_key,
            body.len()
        )?;
        self.request.extend_from_slice(body);
        self.stream.write_all(&self.request)?;
        let mut filled = 0;
        let mut head: Option<(usize, usize)> = None;
        loop {
            if filled == self.buffer.len() {
                self.buffer.resize(self.buffer.len() * 2, 0);
            }
            let n = self.stream.read(&mut self.buffer[filled..])?;
            if n == 0 {
                return Err("server closed the connection".into());
            }
            filled += n;
            if head.is_none() {
                head = parse_head(&self.buffer[..filled])?;
            }
            if let Some((end, length)) = head {
                if filled >= end + length {
                    if !self.buffer.starts_with(b"HTTP/1.1 200") {
                        let text = String::from_utf8_lossy(&self.buffer[..filled.min(300)]);
                        return Err(format!("bare socket got {text}").into());
                    }
                    return Ok(());
                }
            }
        }
    }
}

/// The end of the head and the body's length, once the head is complete.
fn parse_head(bytes: &[u8]) -> BenchResult<Option<(usize, usize)>> {
    let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let text = std::str::from_utf8(&bytes[..end])?;
    let length = text
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .ok_or("no content-length")?;
    Ok(Some((end + 4, length)))
}

/// The JSON body of a GetItem of `id` in `table`.
pub fn get_item_body(table: &str, id: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "TableName": table,
        "Key": {"id": {"S": id}},
    }))
    .expect("JSON encodes")
}

/// The JSON body of a PutItem of `item` in `table`.
pub fn put_item_body(table: &str, item: &dynamo_blocking::Attributes) -> Vec<u8> {
    let mut out = format!("{{\"TableName\":{},\"Item\":", serde_json::json!(table)).into_bytes();
    serde_json::to_writer(&mut out, item).expect("items encode");
    out.push(b'}');
    out
}
