//! End-to-end benchmark of dynamo-rs against DynamoDB Local.
//!
//! ```text
//! cargo run --release -p dynamo-blocking --example bench --features local [-- OPTIONS]
//!
//!   --items N           table size for batch write and scans (default 100000)
//!   --seconds S         length of each GetItem/PutItem round (default 2)
//!   --rounds N          rounds per GetItem/PutItem and client CPU test, ours
//!                       and the bare socket's taking turns (default 7)
//!   --requests N        requests per client CPU test (default 50000)
//!   --quick             smoke run: 10000 items, 3 rounds of 0.3 s, 3000
//!                       requests
//!   --markdown          print the table as Markdown, without the notes
//!                       (the README's Performance table)
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

#[path = "bench/bare.rs"]
mod bare;
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
    pub rounds: usize,
    pub markdown: bool,
    pub requests: u64,
    pub endpoint: Option<String>,
    pub client_cpu_only: bool,
}

const USAGE: &str = "usage: bench [--items N] [--seconds S] [--rounds N] [--requests N] [--quick] \
[--markdown] [--endpoint URL] [--client-cpu-only]";

fn parse_options(args: &[String]) -> BenchResult<Options> {
    let mut items = None;
    let mut seconds = None;
    let mut requests = None;
    let mut rounds = None;
    let mut quick = false;
    let mut markdown = false;
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
            "--rounds" => rounds = Some(value("--rounds")?.parse::<usize>()?),
            "--markdown" => markdown = true,
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
    let seconds = seconds.unwrap_or(if quick { 0.3 } else { 2.0 });
    let rounds = rounds.unwrap_or(if quick { 3 } else { 7 });
    if rounds == 0 {
        return Err("--rounds must be at least 1".into());
    }
    Ok(Options {
        items,
        duration: Duration::from_secs_f64(seconds),
        // DynamoDB Local (Java) needs seconds of load before its JIT settles.
        warmup: Duration::from_secs_f64(if quick { 0.5 } else { 3.0 }),
        rounds,
        markdown,
        requests: requests.unwrap_or(if quick { 3_000 } else { 50_000 }),
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
    canned::run(opts.requests, opts.rounds, &mut report)?;

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
    let (sample, kv) = (data::item(opts.items / 2), data::item_1kb(opts.items / 2));
    println!(
        "items (DynamoDB size, 9 attributes): GetItem/PutItem {} B, batch write/scan {} B, \
         {} per table; GetItem/PutItem: {:.1} s warm-up, then {} rounds of {:.1} s",
        kv.size(),
        sample.size(),
        report::thousands(opts.items),
        opts.warmup.as_secs_f64(),
        opts.rounds,
        opts.duration.as_secs_f64()
    );
    println!();
    if opts.markdown {
        report.print_markdown();
    } else {
        report.print();
    }
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
