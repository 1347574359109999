//! End-to-end benchmark of dynamo-rs against DynamoDB Local.
//!
//! ```text
//! cargo run --release -p dynamo-blocking --example bench --features local [-- OPTIONS]
//!
//!   --items N           table size for batch write and scans (default 100000)
//!   --seconds S         length of each GetItemInput/PutItemInput test (default 5)
//!   --requests N        requests per client CPU test (default 50000)
//!   --quick             smoke run: 10000 items, 1 s tests, 5000 requests
//!   --endpoint URL      use this server instead of starting DynamoDB Local
//!                       (also DYNAMO_BENCH_ENDPOINT)
//!   --client-cpu-only   only the client CPU tests (no DynamoDB needed; for
//!                       profiling under callgrind)
//! ```
//!
//! Prints a plain text table on stdout (progress goes to stderr). Two
//! internal modes re-execute this binary: `--canned-server` (the instant
//! HTTP server of the client CPU tests) and `--scan-memory-probe ENDPOINT
//! TABLE` (a fresh process that scans a table and reports its peak memory).

#[path = "bench/canned.rs"]
mod canned;
#[path = "bench/data.rs"]
mod data;
#[path = "bench/dynamo.rs"]
mod dynamo;
#[path = "bench/procfs.rs"]
mod procfs;
#[path = "bench/report.rs"]
mod report;

use std::time::{Duration, Instant};

use report::Report;

pub type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Sizes of a run.
pub struct Options {
    pub items: u64,
    pub duration: Duration,
    pub warmup: Duration,
    pub requests: u64,
    pub endpoint: Option<String>,
    pub client_cpu_only: bool,
}

const USAGE: &str = "usage: bench [--items N] [--seconds S] [--requests N] [--quick] \
[--endpoint URL] [--client-cpu-only]";

fn parse_options(args: &[String]) -> BenchResult<Options> {
    let mut items = None;
    let mut seconds = None;
    let mut requests = None;
    let mut quick = false;
    let mut endpoint = std::env::var("DYNAMO_BENCH_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty());
    let mut client_cpu_only = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--items" => items = Some(value("--items")?.parse()?),
            "--seconds" => seconds = Some(value("--seconds")?.parse::<f64>()?),
            "--requests" => requests = Some(value("--requests")?.parse()?),
            "--endpoint" => endpoint = Some(value("--endpoint")?),
            "--quick" => quick = true,
            "--client-cpu-only" => client_cpu_only = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}").into()),
        }
    }
    let items: u64 = items.unwrap_or(if quick { 10_000 } else { 100_000 });
    if items < 10 {
        return Err("--items must be at least 10".into());
    }
    let seconds = seconds.unwrap_or(if quick { 1.0 } else { 5.0 });
    Ok(Options {
        items,
        duration: Duration::from_secs_f64(seconds),
        // DynamoDB Local (Java) needs seconds of load before its JIT settles.
        warmup: Duration::from_secs_f64(seconds.max(1.0)),
        requests: requests.unwrap_or(if quick { 5_000 } else { 50_000 }),
        endpoint,
        client_cpu_only,
    })
}

fn run(args: &[String]) -> BenchResult<()> {
    match args.first().map(String::as_str) {
        Some("--canned-server") => return canned::serve(),
        Some("--scan-memory-probe") => {
            let [_, endpoint, table] = args else {
                return Err("usage: bench --scan-memory-probe ENDPOINT TABLE".into());
            };
            return dynamo::memory_probe(endpoint, table);
        }
        _ => {}
    }
    let opts = parse_options(args)?;
    let started = Instant::now();
    let mut report = Report::default();

    eprintln!("client CPU: {} requests of each kind", opts.requests);
    canned::run(opts.requests, &mut report)?;

    let server = if opts.client_cpu_only {
        None
    } else {
        let server = dynamo::connect(opts.endpoint.clone())?;
        dynamo::run(&server, &opts, &mut report)?;
        Some(server)
    };

    println!();
    println!("dynamo-rs end-to-end benchmark");
    println!(
        "machine: {} x {}, {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        procfs::cpu_model(),
        std::env::consts::OS
    );
    if let Some(server) = &server {
        println!("server: {}", server.description);
    }
    let sample = data::item(opts.items / 2);
    println!(
        "items: {} B each as DynamoDB counts size ({} B as JSON, 9 attributes); {} per table \
         for write/scan; each latency test {:.1} s after {:.1} s warm-up",
        sample.size(),
        serde_json::to_vec(&sample).map_or(0, |j| j.len()),
        report::thousands(opts.items),
        opts.duration.as_secs_f64(),
        opts.warmup.as_secs_f64()
    );
    println!();
    report.print();
    println!();
    println!("total time {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = run(&args) {
        eprintln!("bench: {e}");
        std::process::exit(1);
    }
}
