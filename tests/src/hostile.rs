//! [`Hostile`]: a small HTTP server on a loopback port that answers
//! DynamoDB requests however a test tells it to, including wrongly: the
//! same page token forever, error codes only in a header, bodies the client
//! cannot read, or no answer at all.
//!
//! Each connection gets a thread that reads `Content-Length`-framed
//! requests and asks the test's handler what to do with each.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// One request as the server read it.
#[derive(Clone, Debug)]
pub struct Request {
    /// The operation, e.g. `Query` (from `x-amz-target`).
    pub operation: String,
    /// The body, parsed as JSON (`Null` if it is not JSON).
    pub body: serde_json::Value,
}

/// What the server does with a request.
pub enum Action {
    /// Answers with this status, extra headers and body.
    Reply {
        /// HTTP status.
        status: u16,
        /// Extra headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: String,
    },
    /// Never answers, keeping the connection open.
    Silence,
}

impl Action {
    /// A 200 answer with this JSON body.
    pub fn ok(body: impl Into<String>) -> Action {
        Action::Reply {
            status: 200,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// An answer with this status and body.
    pub fn status(status: u16, body: impl Into<String>) -> Action {
        Action::Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header to a reply.
    pub fn header(self, name: &str, value: &str) -> Action {
        match self {
            Action::Reply {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.to_owned(), value.to_owned()));
                Action::Reply {
                    status,
                    headers,
                    body,
                }
            }
            silence => silence,
        }
    }
}

type Handler = dyn Fn(&Request) -> Action + Send + Sync;

/// A misbehaving server; stops accepting when dropped.
pub struct Hostile {
    addr: SocketAddr,
    requests: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Hostile {
    /// Answers every request with `handler`.
    pub fn start(handler: impl Fn(&Request) -> Action + Send + Sync + 'static) -> Hostile {
        Self::spawn(Some(Arc::new(handler)))
    }

    /// Accepts connections and never reads from them: a client writing a
    /// large request blocks once the socket buffers are full.
    pub fn never_reading() -> Hostile {
        Self::spawn(None)
    }

    fn spawn(handler: Option<Arc<Handler>>) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, stopping) = (Arc::clone(&requests), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                match &handler {
                    None => held.push(stream),
                    Some(handler) => {
                        let (handler, count) = (Arc::clone(handler), Arc::clone(&count));
                        std::thread::spawn(move || serve(stream, &*handler, &count));
                    }
                }
            }
        });
        Hostile {
            addr,
            requests,
            stop,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests read so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

fn serve(mut stream: TcpStream, handler: &Handler, count: &AtomicU64) {
    let Ok(reading) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(reading);
    loop {
        let Some(request) = read_request(&mut reader) else {
            return;
        };
        count.fetch_add(1, Ordering::SeqCst);
        match handler(&request) {
            Action::Silence => {
                // Keep the connection open, answering nothing, until the
                // client gives up.
                let mut sink = [0u8; 1024];
                while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
                return;
            }
            Action::Reply {
                status,
                headers,
                body,
            } => {
                let mut head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: {}\r\n",
                    body.len()
                );
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                if stream.write_all(head.as_bytes()).is_err()
                    || stream.write_all(body.as_bytes()).is_err()
                {
                    return;
                }
            }
        }
    }
}

fn read_request(stream: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read_until(b'\n', &mut head).ok()? == 0 || head.len() > 64 * 1024 {
            return None;
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let header = |name: &str| {
        head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let length: usize = header("content-length")?.parse().ok()?;
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    let operation = header("x-amz-target")
        .and_then(|t| t.rsplit_once('.').map(|(_, op)| op.to_owned()))
        .unwrap_or_default();
    Some(Request {
        operation,
        body: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
    })
}

/// Runs `f` on a thread and panics if it has not returned after `seconds`:
/// a call that never ends fails its test instead of hanging the run.
pub fn within<T: Send + 'static>(seconds: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(seconds))
        .unwrap_or_else(|_| panic!("did not end within {seconds} s"))
}
