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

use crate::bare::{self, BareClient};
use crate::data;
use crate::procfs;
use crate::report::{paired_ratio, Report, Row};
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

/// Warms each operation up, then runs `rounds` rounds of `requests /
/// rounds` requests, the operations taking turns within each round (so a
/// busy spell on the machine hits them all alike). One list of rounds per
/// operation, in order.
fn measure_interleaved(
    requests: u64,
    rounds: usize,
    ops: &mut [&mut dyn FnMut() -> BenchResult<()>],
) -> BenchResult<Vec<Vec<PerRequest>>> {
    for op in ops.iter_mut() {
        for _ in 0..(requests / 10).max(200) {
            op()?;
        }
    }
    let per_round = (requests / rounds as u64).max(1);
    let mut results: Vec<Vec<PerRequest>> = ops.iter().map(|_| Vec::new()).collect();
    for round in 0..rounds {
        // Odd rounds go backwards, so no operation always follows the same
        // neighbour.
        let mut order: Vec<usize> = (0..ops.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for i in order {
            results[i].push(measure_round(per_round, &mut *ops[i])?);
        }
    }
    Ok(results)
}

/// The round of median CPU time.
fn median_round(mut rounds: Vec<PerRequest>) -> PerRequest {
    rounds.sort_by(|a, b| a.cpu_us().total_cmp(&b.cpu_us()));
    rounds.swap_remove(rounds.len() / 2)
}

fn measure_round(
    requests: u64,
    op: &mut dyn FnMut() -> BenchResult<()>,
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

/// Measures GetItem and PutItem of a 1 KB item through `Table`, and the
/// same exchanges over a bare socket, `requests` of each in `rounds`
/// rounds; adds a row per operation.
pub fn run(requests: u64, rounds: usize, report: &mut Report) -> BenchResult<()> {
    // Before the server starts, so that it inherits the CPU.
    let pinned = procfs::OneCpu::pin();
    let server = CannedServer::start()?;
    let endpoint = format!("http://127.0.0.1:{}", server.port);
    let client = Client::builder()
        .endpoint(&endpoint)
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
    let item = data::item_1kb(42);
    let mut get = || {
        let item = table.get_item(key.clone())?;
        std::hint::black_box(item.ok_or("canned GetItem answered no item")?);
        Ok(())
    };
    let mut put = || {
        table.put_item(item.clone(), Overwrite::Yes)?;
        Ok(())
    };
    let get_body = bare::get_item_body("bench", &data::id(42));
    let put_body = bare::put_item_body("bench", &item);
    let mut bare_get_client = BareClient::connect(&endpoint, "AKIDBENCH")?;
    let mut bare_put_client = BareClient::connect(&endpoint, "AKIDBENCH")?;
    let mut bare_get = || bare_get_client.exchange("GetItem", &get_body);
    let mut bare_put = || bare_put_client.exchange("PutItem", &put_body);
    let results = measure_interleaved(
        requests,
        rounds,
        &mut [&mut get, &mut bare_get, &mut put, &mut bare_put],
    )?;
    let mut results = results.into_iter();
    let mut next = || results.next().expect("one result per operation");
    for name in ["GetItem", "PutItem"] {
        let (our_rounds, bare_rounds) = (next(), next());
        let vs_bare = paired_ratio(
            our_rounds.iter().map(PerRequest::cpu_us),
            bare_rounds.iter().map(PerRequest::cpu_us),
        );
        let (ours, bare) = (median_round(our_rounds), median_round(bare_rounds));
        let process = ours.process_cpu_us.map_or("n/a".to_owned(), |(user, sys)| {
            format!("{user:.1} user + {sys:.1} sys")
        });
        report.push(Row {
            test: format!("client CPU: {name}, 1 KB item"),
            threads: "1".into(),
            vs_bare,
            result: format!("{:.1} µs CPU/req", ours.cpu_us()),
            bare: format!("{:.1} µs CPU/req", bare.cpu_us()),
            notes: format!(
                "median of {rounds} interleaved rounds of {} reqs; that round: {process} µs/req \
                 (process, 10 ms ticks), {:.1} µs wall/req; {}",
                requests / rounds as u64,
                ours.wall_us,
                if pinned.is_some() {
                    "client and server on one CPU"
                } else {
                    "not pinned to a CPU"
                }
            ),
            ..Row::default()
        });
    }
    Ok(())
}
