//! The client's own CPU cost per request, measured against a canned HTTP
//! server that answers instantly. The server runs in a child process (this
//! binary re-executed with `--canned-server`), so this process's CPU time is
//! the client's alone.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use dynamo_blocking::config::Environment;
use dynamo_blocking::{Client, Credentials, KeySchema, Overwrite, ScalarType, Table};

use crate::data;
use crate::procfs;
use crate::report::{Report, Row};
use crate::BenchResult;

/// The longest a canned server lives, whatever happens to its parent.
const SERVER_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// Runs the canned server in this process (the `--canned-server` mode):
/// prints its port, serves until stdin closes.
pub fn serve() -> BenchResult<()> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    println!("{}", listener.local_addr()?.port());
    io::stdout().flush()?;
    // The parent holds our stdin: end of file means it is done (or gone).
    std::thread::spawn(|| {
        let mut sink = [0u8; 64];
        let mut stdin = io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        std::process::exit(0);
    });
    std::thread::spawn(|| {
        std::thread::sleep(SERVER_LIFETIME);
        std::process::exit(0);
    });
    let get_item: &'static [u8] = response(&data::get_item_answer_1kb()).leak();
    let empty: &'static [u8] = response(b"{}").leak();
    for stream in listener.incoming() {
        let stream = stream?;
        std::thread::spawn(move || {
            let _ = answer(stream, get_item, empty);
        });
    }
    Ok(())
}

/// A complete keep-alive 200 answer carrying `body`, checksum included.
fn response(body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n\
         x-amzn-RequestId: canned\r\nx-amz-crc32: {}\r\nContent-Length: {}\r\n\r\n",
        crc32fast::hash(body),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// Serves one keep-alive connection until the client closes it.
fn answer(stream: TcpStream, get_item: &[u8], empty: &[u8]) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = BufReader::with_capacity(64 * 1024, stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        let mut content_length = 0usize;
        let mut is_get = false;
        // Request line and headers, up to the empty line.
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("x-amz-target") {
                    is_get = value.ends_with(".GetItem");
                }
            }
        }
        body.resize(content_length, 0);
        reader.read_exact(&mut body)?;
        let answer = if is_get { get_item } else { empty };
        reader.get_mut().write_all(answer)?;
    }
}

/// A canned server child process, stopped when dropped.
struct CannedServer {
    child: Child,
    lifeline: Option<ChildStdin>,
    port: u16,
}

impl CannedServer {
    fn start() -> BenchResult<CannedServer> {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("--canned-server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let lifeline = child.stdin.take();
        let mut first = String::new();
        BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut first)?;
        let port = first
            .trim()
            .parse()
            .map_err(|_| format!("canned server said {first:?}, not a port"))?;
        Ok(CannedServer {
            child,
            lifeline,
            port,
        })
    }
}

impl Drop for CannedServer {
    fn drop(&mut self) {
        drop(self.lifeline.take());
        let _ = self.child.wait();
    }
}

/// CPU and wall time per request over a run.
struct PerRequest {
    thread_cpu_us: Option<f64>,
    /// User and system time of the process (10 ms ticks).
    process_cpu_us: Option<(f64, f64)>,
    wall_us: f64,
}

impl PerRequest {
    /// The client thread's CPU per request (the process's if unknown).
    fn cpu_us(&self) -> f64 {
        self.thread_cpu_us
            .or(self.process_cpu_us.map(|(user, sys)| user + sys))
            .unwrap_or(f64::NAN)
    }
}

/// Rounds per measurement: other processes on a small machine inflate CPU
/// time (shared caches, SMT siblings), so the best round is reported.
const ROUNDS: u64 = 5;

/// The rounds of one measurement, best (least CPU) first.
struct Rounds(Vec<PerRequest>);

impl Rounds {
    fn best(&self) -> &PerRequest {
        &self.0[0]
    }

    fn median_cpu_us(&self) -> f64 {
        self.0[self.0.len() / 2].cpu_us()
    }
}

/// Warms up, then runs `requests` requests in [`ROUNDS`] rounds.
fn measure(requests: u64, mut op: impl FnMut() -> BenchResult<()>) -> BenchResult<Rounds> {
    for _ in 0..(requests / 10).max(200) {
        op()?;
    }
    let per_round = (requests / ROUNDS).max(1);
    let mut rounds = Vec::new();
    for _ in 0..ROUNDS {
        rounds.push(measure_round(per_round, &mut op)?);
    }
    rounds.sort_by(|a, b| a.cpu_us().total_cmp(&b.cpu_us()));
    Ok(Rounds(rounds))
}

fn measure_round(
    requests: u64,
    op: &mut impl FnMut() -> BenchResult<()>,
) -> BenchResult<PerRequest> {
    let (cpu0, ticks0, start) = (
        procfs::thread_cpu_ns(),
        procfs::process_cpu_ticks(),
        Instant::now(),
    );
    for _ in 0..requests {
        op()?;
    }
    let wall = start.elapsed();
    let (cpu1, ticks1) = (procfs::thread_cpu_ns(), procfs::process_cpu_ticks());
    let n = requests as f64;
    Ok(PerRequest {
        thread_cpu_us: cpu0.zip(cpu1).map(|(a, b)| (b - a) as f64 / 1e3 / n),
        process_cpu_us: ticks0.zip(ticks1).map(|((u0, s0), (u1, s1))| {
            let us = |ticks: u64| ticks as f64 * 1e6 / procfs::TICKS_PER_SECOND as f64 / n;
            (us(u1 - u0), us(s1 - s0))
        }),
        wall_us: wall.as_secs_f64() * 1e6 / n,
    })
}

/// The floor any HTTP client pays here: the GetItem exchange over a bare
/// `std::net` socket, the request sent in one write (pre-built, signature
/// and all) and the answer read and split off, nothing decoded.
struct RawClient {
    stream: TcpStream,
    request: Vec<u8>,
    buffer: Vec<u8>,
}

impl RawClient {
    fn connect(port: u16) -> BenchResult<RawClient> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_nodelay(true)?;
        let body = br#"{"TableName":"bench","Key":{"id":{"S":"item-0000000042"}}}"#;
        let mut request = format!(
            "POST / HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\ncontent-type: application/x-amz-json-1.0\r\n\
             x-amz-target: DynamoDB_20120810.GetItemInput\r\nx-amz-date: 20240501T080000Z\r\n\
             authorization: AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240501/us-east-1/dynamodb/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={}\r\n\
             user-agent: raw\r\ncontent-length: {}\r\n\r\n",
            "0".repeat(64),
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        Ok(RawClient {
            stream,
            request,
            buffer: vec![0; 64 * 1024],
        })
    }

    fn round_trip(&mut self) -> BenchResult<()> {
        self.stream.write_all(&self.request)?;
        let mut filled = 0;
        loop {
            let n = self.stream.read(&mut self.buffer[filled..])?;
            if n == 0 {
                return Err("canned server closed the connection".into());
            }
            filled += n;
            let head = &self.buffer[..filled];
            if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                let text = std::str::from_utf8(&head[..end])?;
                let length: usize = text
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse().ok())?
                    })
                    .ok_or("no content-length")?;
                if filled >= end + 4 + length {
                    return Ok(());
                }
            }
        }
    }
}

/// Measures GetItem (1 KB item answered) and PutItem (~200 B item) through
/// `Table`, `requests` of each, and adds a row per operation.
pub fn run(requests: u64, report: &mut Report) -> BenchResult<()> {
    let server = CannedServer::start()?;
    let client = Client::builder()
        .endpoint(format!("http://127.0.0.1:{}", server.port))
        .region("us-east-1")
        .credentials(Credentials::new("AKIDBENCH", "bench-secret"))
        .environment(Environment::empty())
        .build()?;
    let table = Table::with_schema(
        &client,
        "bench",
        KeySchema::hash(("id", ScalarType::S)),
        Vec::<dynamo_blocking::SecondaryIndex>::new(),
    );
    let key = dynamo_blocking::key! { "id" => data::id(42) };
    let get = measure(requests, || {
        let item = table.get_item(key.clone())?;
        std::hint::black_box(item.ok_or("canned GetItem answered no item")?);
        Ok(())
    })?;
    let mut raw = RawClient::connect(server.port)?;
    let floor = measure(requests, || raw.round_trip())?;
    let item = data::item(42);
    let put = measure(requests, || {
        table.put_item(item.clone(), Overwrite::Yes)?;
        Ok(())
    })?;
    for (name, rounds) in [
        ("client CPU: GetItem, 1 KB item", get),
        ("client CPU: PutItem, 200 B item", put),
        ("floor: bare socket, same GetItem", floor),
    ] {
        let best = rounds.best();
        let process = best.process_cpu_us.map_or("n/a".to_owned(), |(user, sys)| {
            format!("{user:.1} user + {sys:.1} sys")
        });
        report.push(Row {
            test: name.into(),
            threads: "1".into(),
            result: format!("{:.1} µs CPU/req", best.cpu_us()),
            p50: String::new(),
            p99: String::new(),
            notes: format!(
                "best of {ROUNDS} rounds of {} reqs (median {:.1}); that round: {process} µs/req, {:.1} µs wall/req",
                requests / ROUNDS,
                rounds.median_cpu_us(),
                best.wall_us
            ),
        });
    }
    Ok(())
}
