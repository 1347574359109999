//! The workloads run against DynamoDB Local (or `DYNAMO_BENCH_ENDPOINT`):
//! single-item latency, batch write, parallel scan and scan memory.

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use dynamo_blocking::config::Environment;
use dynamo_blocking::local::DynamoDbLocal;
use dynamo_blocking::wire::StreamViewType;
use dynamo_blocking::{
    key, Attributes, Capacity, Client, Credentials, KeySchema, Overwrite, ScalarType,
    SecondaryIndex, Table,
};

use crate::bare::{self, BareClient};
use crate::data::{self, Rng};
use crate::procfs;
use crate::report::{latency, median, paired_ratio, rate, thousands, Report, Row};
use crate::{BenchResult, Options};

/// Items preloaded for the GetItem/PutItem tests, read and overwritten at
/// random.
const KV_KEYS: u64 = 1000;

/// Segment counts of the parallel scan test.
const SEGMENTS: [u32; 4] = [1, 2, 4, 8];

/// A server to benchmark: our own DynamoDB Local, or a given endpoint.
pub struct Server {
    pub client: Client,
    pub endpoint: String,
    pub description: String,
    _local: Option<DynamoDbLocal>,
}

/// The dummy access key DynamoDB Local accepts (it keeps one database per
/// key, so the bare socket client uses the same).
const ACCESS_KEY: &str = "dynamorslocal";

/// A client for `endpoint` with the dummy credentials DynamoDB Local accepts.
fn client_for(endpoint: &str) -> BenchResult<Client> {
    Ok(Client::builder()
        .endpoint(endpoint)
        .region("us-east-1")
        .credentials(Credentials::new(ACCESS_KEY, "dynamorslocal"))
        .environment(Environment::empty())
        .build()?)
}

/// Connects to `endpoint`, or starts DynamoDB Local when there is none.
pub fn connect(endpoint: Option<String>) -> BenchResult<Server> {
    match endpoint {
        Some(endpoint) => Ok(Server {
            client: client_for(&endpoint)?,
            description: format!("server at {endpoint} (DYNAMO_BENCH_ENDPOINT / --endpoint)"),
            endpoint,
            _local: None,
        }),
        None => {
            eprintln!("starting DynamoDB Local...");
            let local = DynamoDbLocal::start()?;
            let endpoint = local.endpoint().to_owned();
            Ok(Server {
                client: client_for(&endpoint)?,
                description: format!(
                    "DynamoDB Local (in memory, started by the bench) at {endpoint}"
                ),
                endpoint,
                _local: Some(local),
            })
        }
    }
}

fn schema() -> KeySchema {
    KeySchema::hash(("id", ScalarType::S))
}

fn create(client: &Client, name: String) -> BenchResult<Table> {
    Ok(Table::create(
        client,
        name,
        schema(),
        Capacity::on_demand(),
        Vec::<SecondaryIndex>::new(),
    )?)
}

/// Writes items `0..n` with one batch writer.
fn table_load(table: &Table, n: u64) -> dynamo_blocking::Result<()> {
    table.batch_write(|batch| {
        for i in 0..n {
            batch.put_item(data::item(i))?;
        }
        Ok(())
    })
}

struct OpStats {
    ops: u64,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl OpStats {
    fn per_second(&self) -> f64 {
        self.ops as f64 / self.elapsed.as_secs_f64()
    }
}

/// One thread's operation: called again and again until the time is up.
type Op<'a> = Box<dyn FnMut(&mut Rng) -> BenchResult<()> + 'a>;

/// Runs on `threads` threads, each with the operation `make` gives it, for
/// `duration`, and collects every latency.
fn run_ops<'a>(
    threads: usize,
    duration: Duration,
    make: &(dyn Fn() -> BenchResult<Op<'a>> + Sync),
) -> BenchResult<OpStats> {
    let start = Instant::now();
    let deadline = start + duration;
    let results: Vec<BenchResult<Vec<Duration>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut op = make()?;
                    let mut rng = Rng::new(t as u64 + 1);
                    let mut latencies = Vec::with_capacity(16 * 1024);
                    while Instant::now() < deadline {
                        let t0 = Instant::now();
                        op(&mut rng)?;
                        latencies.push(t0.elapsed());
                    }
                    Ok(latencies)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("bench thread panicked"))
            .collect()
    });
    let elapsed = start.elapsed();
    let mut latencies = Vec::new();
    for r in results {
        latencies.extend(r?);
    }
    Ok(OpStats {
        ops: latencies.len() as u64,
        elapsed,
        latencies,
    })
}

/// A percentile of every latency of some runs.
fn percentile(runs: &[OpStats], pct: usize) -> Duration {
    let mut all: Vec<Duration> = runs
        .iter()
        .flat_map(|r| r.latencies.iter().copied())
        .collect();
    all.sort_unstable();
    all.get((all.len() * pct / 100).min(all.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

/// Thread counts of the GetItem/PutItem tests.
const THREADS: [usize; 3] = [1, 8, 32];

/// GetItem and PutItem of 1 KB items among [`KV_KEYS`] keys, through one
/// shared client and over bare sockets (one per thread), rounds taking
/// turns; a row per operation and thread count.
fn latency_tests<'k>(
    kv: &'k Table,
    server: &Server,
    opts: &Options,
    report: &mut Report,
) -> BenchResult<()> {
    let table = kv.name().to_owned();
    let get_bodies: Vec<Vec<u8>> = (0..KV_KEYS)
        .map(|i| bare::get_item_body(&table, &data::id(i)))
        .collect();
    let put_bodies: Vec<Vec<u8>> = (0..KV_KEYS)
        .map(|i| bare::put_item_body(&table, &data::item_1kb(i)))
        .collect();
    let items: &'static [Attributes] = (0..KV_KEYS).map(data::item_1kb).collect::<Vec<_>>().leak();
    // Made before the clock starts, as the bare socket's bodies are: what
    // the rows compare is the client's work, not the caller's formatting.
    let ids: &'static [String] = (0..KV_KEYS).map(data::id).collect::<Vec<_>>().leak();
    let ours_get = || -> BenchResult<Op<'k>> {
        Ok(Box::new(|rng: &mut Rng| {
            let found = kv.get_item(key! { "id" => ids[rng.below(KV_KEYS) as usize].as_str() })?;
            found.ok_or("preloaded item missing")?;
            Ok(())
        }))
    };
    let ours_put = || -> BenchResult<Op<'k>> {
        Ok(Box::new(|rng: &mut Rng| {
            let item = items[rng.below(KV_KEYS) as usize].clone();
            Ok(kv.put_item(item, Overwrite::Yes)?)
        }))
    };
    let bare_op = |operation: &'static str, bodies: &'static [Vec<u8>]| {
        move || -> BenchResult<Op<'k>> {
            let mut client = BareClient::connect(&server.endpoint, ACCESS_KEY)?;
            Ok(Box::new(move |rng: &mut Rng| {
                client.exchange(operation, &bodies[rng.below(KV_KEYS) as usize])
            }))
        }
    };
    // Leaked (about 2 MB, once per run) so that every thread's operation
    // can borrow them whatever its lifetime.
    let get_bodies: &'static [Vec<u8>] = get_bodies.leak();
    let put_bodies: &'static [Vec<u8>] = put_bodies.leak();
    let bare_get = bare_op("GetItem", get_bodies);
    let bare_put = bare_op("PutItem", put_bodies);
    for threads in THREADS {
        for (name, ours, bare) in [
            (
                "GetItem",
                &ours_get as &(dyn Fn() -> BenchResult<Op<'k>> + Sync),
                &bare_get as &(dyn Fn() -> BenchResult<Op<'k>> + Sync),
            ),
            ("PutItem", &ours_put, &bare_put),
        ] {
            eprintln!(
                "{name}, {threads} thread(s): warm-up, then {} rounds of {:?} each",
                opts.rounds, opts.duration
            );
            run_ops(threads, opts.warmup, ours)?;
            run_ops(threads, opts.warmup, bare)?;
            let connections_before = server.client.connections_opened();
            let (mut our_runs, mut bare_runs) = (Vec::new(), Vec::new());
            // Who goes first alternates: the server (a JVM) runs the second
            // of two back-to-back runs in a different state than the first.
            for round in 0..opts.rounds {
                if round % 2 == 0 {
                    our_runs.push(run_ops(threads, opts.duration, ours)?);
                    bare_runs.push(run_ops(threads, opts.duration, bare)?);
                } else {
                    bare_runs.push(run_ops(threads, opts.duration, bare)?);
                    our_runs.push(run_ops(threads, opts.duration, ours)?);
                }
            }
            let new_connections = server.client.connections_opened() - connections_before;
            let our_ops: u64 = our_runs.iter().map(|r| r.ops).sum();
            let ours_rate = median(our_runs.iter().map(OpStats::per_second).collect());
            let bare_rate = median(bare_runs.iter().map(OpStats::per_second).collect());
            report.push(Row {
                test: format!("{name}, 1 KB item"),
                threads: threads.to_string(),
                vs_bare: paired_ratio(
                    our_runs.iter().map(OpStats::per_second),
                    bare_runs.iter().map(OpStats::per_second),
                ),
                result: rate(ours_rate, "ops"),
                bare: rate(bare_rate, "ops"),
                p50: latency(percentile(&our_runs, 50)),
                p99: latency(percentile(&our_runs, 99)),
                notes: format!(
                    "median of {} interleaved rounds of {:.1} s; one shared client; \
                     {:.2} new connections per 1,000 requests after warm-up; bare p50 {}",
                    opts.rounds,
                    opts.duration.as_secs_f64(),
                    new_connections as f64 * 1000.0 / our_ops.max(1) as f64,
                    latency(percentile(&bare_runs, 50)),
                ),
            });
        }
    }
    Ok(())
}

/// A bulk run (a whole-table scan or load): items, wall time and this
/// process's CPU time (all threads).
struct BulkRun {
    items: u64,
    elapsed: Duration,
    cpu: Option<Duration>,
}

impl BulkRun {
    fn measure(scan: impl FnOnce(&AtomicU64) -> dynamo_blocking::Result<()>) -> BenchResult<Self> {
        let seen = AtomicU64::new(0);
        let ticks = procfs::process_cpu_ticks();
        let start = Instant::now();
        scan(&seen)?;
        let elapsed = start.elapsed();
        let cpu = ticks
            .zip(procfs::process_cpu_ticks())
            .map(|((u0, s0), (u1, s1))| {
                Duration::from_secs_f64(
                    (u1 + s1 - u0 - s0) as f64 / procfs::TICKS_PER_SECOND as f64,
                )
            });
        Ok(BulkRun {
            items: seen.into_inner(),
            elapsed,
            cpu,
        })
    }

    fn per_second(&self) -> f64 {
        self.items as f64 / self.elapsed.as_secs_f64()
    }

    /// "client CPU 3.1 µs/item" (all of this process's threads).
    fn cpu_note(&self) -> String {
        self.cpu.map_or(String::new(), |cpu| {
            format!(
                "client CPU {:.1} µs/item",
                cpu.as_secs_f64() * 1e6 / self.items.max(1) as f64
            )
        })
    }
}

/// Scans the whole table with `segments` threads (Segment/TotalSegments
/// sent even for 1).
fn full_scan(table: &Table, segments: u32) -> BenchResult<BulkRun> {
    BulkRun::measure(|seen| {
        table.scan().parallel(segments).for_each(|item| {
            std::hint::black_box(item);
            seen.fetch_add(1, Ordering::Relaxed);
            Ok(())
        })
    })
}

/// Scans the whole table on this thread without Segment parameters; also
/// returns how long each page took to arrive (the `next` calls that sent a
/// request).
fn plain_scan(table: &Table) -> BenchResult<(BulkRun, Vec<Duration>)> {
    let mut pages = Vec::new();
    let run = BulkRun::measure(|seen| {
        let mut items = table.scan().into_iter();
        loop {
            let before = items.pages_fetched();
            let t0 = Instant::now();
            let Some(item) = items.next() else { break };
            if items.pages_fetched() > before {
                pages.push(t0.elapsed());
            }
            std::hint::black_box(item?);
            seen.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    })?;
    Ok((run, pages))
}

fn scan_tests(table: &Table, items: u64, report: &mut Report) -> BenchResult<()> {
    let check = |run: &BulkRun| -> BenchResult<()> {
        if run.items != items {
            return Err(format!("scan saw {} items, expected {items}", run.items).into());
        }
        Ok(())
    };
    // DynamoDB Local's scans are slow and erratic right after a bulk load
    // and until its JIT has seen each kind of request: one untimed pass of
    // every variant first, so the timed pass does not favour whichever
    // variant runs last.
    eprintln!("full scans: warm-up pass (plain, then 1, 2, 4, 8 segments)");
    plain_scan(table)?;
    for segments in SEGMENTS {
        full_scan(table, segments)?;
    }
    eprintln!("full scan, plain (no Segment parameters)");
    let (plain, pages) = plain_scan(table)?;
    check(&plain)?;
    let page_note = match (pages.first(), pages.len()) {
        (Some(first), n) if n > 1 => format!(
            "{n} pages, wait per page: first {}, last {}, max {}",
            latency(*first),
            latency(pages[n - 1]),
            latency(pages.iter().copied().max().unwrap_or_default())
        ),
        _ => format!("{} page(s)", pages.len()),
    };
    report.push(Row {
        test: format!("Scan, {} items, plain", thousands(items)),
        threads: "1".into(),
        result: rate(plain.per_second(), "items"),
        vs_bare: String::new(),
        bare: String::new(),
        p50: String::new(),
        p99: String::new(),
        notes: format!(
            "table.scan() iterated, {:.2} s; {}; {page_note}",
            plain.elapsed.as_secs_f64(),
            plain.cpu_note()
        ),
    });
    let mut base = None;
    for segments in SEGMENTS {
        eprintln!("full scan, {segments} segment(s)");
        let run = full_scan(table, segments)?;
        check(&run)?;
        let per_second = run.per_second();
        let speedup = per_second / *base.get_or_insert(per_second);
        report.push(Row {
            test: format!("Scan, {} items, segments", thousands(items)),
            threads: segments.to_string(),
            result: rate(per_second, "items"),
            vs_bare: String::new(),
            bare: String::new(),
            p50: String::new(),
            p99: String::new(),
            notes: format!(
                "{:.2} s; speed-up vs 1 segment {speedup:.2}x; {}",
                run.elapsed.as_secs_f64(),
                run.cpu_note()
            ),
        });
    }
    Ok(())
}

/// What a memory probe child reported.
struct Memory {
    count: u64,
    before_kb: u64,
    after_kb: u64,
}

/// Runs the scan memory probe in a fresh process (this binary with
/// `--scan-memory-probe`), so the peak it reports is the scan's.
fn probe_memory(endpoint: &str, table: &str) -> BenchResult<Memory> {
    let output = Command::new(std::env::current_exe()?)
        .args(["--scan-memory-probe", endpoint, table])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()?;
    if !output.status.success() {
        return Err(format!("scan memory probe failed: {}", output.status).into());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |name: &str| -> BenchResult<u64> {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("probe output lacks {name}: {text:?}").into())
    };
    Ok(Memory {
        count: field("count")?,
        before_kb: field("hwm_before_kb")?,
        after_kb: field("hwm_after_kb")?,
    })
}

/// The `--scan-memory-probe ENDPOINT TABLE` mode: scan every item, one at a
/// time, and print peak resident memory before and after.
pub fn memory_probe(endpoint: &str, table: &str) -> BenchResult<()> {
    let client = client_for(endpoint)?;
    let table = Table::with_schema(&client, table, schema(), Vec::<SecondaryIndex>::new());
    let before = procfs::vm_hwm_kb().ok_or("no VmHWM in /proc/self/status")?;
    let mut count = 0u64;
    let mut bytes = 0usize;
    for item in table.scan() {
        let item = item?;
        bytes += item.get("id").and_then(|v| v.as_s()).map_or(0, str::len);
        count += 1;
    }
    let after = procfs::vm_hwm_kb().ok_or("no VmHWM in /proc/self/status")?;
    println!(
        "count={count} id_bytes={bytes} hwm_before_kb={before} hwm_after_kb={after} rss_after_kb={}",
        procfs::vm_rss_kb().unwrap_or(0)
    );
    Ok(())
}

fn memory_tests(
    endpoint: &str,
    tables: [(&Table, u64); 2],
    report: &mut Report,
) -> BenchResult<()> {
    for (table, items) in tables {
        eprintln!("scan memory probe, {items} items");
        let m = probe_memory(endpoint, table.name())?;
        if m.count != items {
            return Err(format!("probe scanned {} items, expected {items}", m.count).into());
        }
        report.push(Row {
            test: format!("Scan memory, {} items", thousands(items)),
            threads: "1".into(),
            result: format!("{:.1} MiB peak", m.after_kb as f64 / 1024.0),
            vs_bare: String::new(),
            bare: String::new(),
            p50: String::new(),
            p99: String::new(),
            notes: format!(
                "VmHWM {:.1} MiB before the scan, +{:.1} MiB during it (fresh process, items consumed one by one)",
                m.before_kb as f64 / 1024.0,
                m.after_kb.saturating_sub(m.before_kb) as f64 / 1024.0
            ),
        });
    }
    Ok(())
}

/// Reads a table's stream from the trim horizon to its end: records per
/// second and the client CPU per record (decode of both images included).
fn stream_tests(table: &Table, changes: u64, report: &mut Report) -> BenchResult<()> {
    // One untimed pass first, as for scans (DynamoDB Local's JIT).
    eprintln!("change feed of {changes} changes: warm-up pass");
    let read = |table: &Table| {
        BulkRun::measure(|seen| {
            for change in table.stream()? {
                std::hint::black_box(change?);
                seen.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        })
    };
    read(table)?;
    eprintln!("change feed of {changes} changes");
    let run = read(table)?;
    if run.items != changes {
        return Err(format!("the feed saw {} changes, expected {changes}", run.items).into());
    }
    report.push(Row {
        test: format!("Change feed, {} changes", thousands(changes)),
        threads: "1".into(),
        result: rate(run.per_second(), "records"),
        vs_bare: String::new(),
        bare: String::new(),
        p50: String::new(),
        p99: String::new(),
        notes: format!(
            "table.stream() from the trim horizon to the end, NEW_AND_OLD_IMAGES, {:.2} s; {}",
            run.elapsed.as_secs_f64(),
            run.cpu_note().replace("/item", "/record")
        ),
    });
    Ok(())
}

/// Every DynamoDB test, on tables created (and deleted) here.
pub fn run(server: &Server, opts: &Options, report: &mut Report) -> BenchResult<()> {
    let client = &server.client;
    let suffix = std::process::id();
    let kv = create(client, format!("bench_kv_{suffix}"))?;
    let scan = create(client, format!("bench_scan_{suffix}"))?;
    let small = create(client, format!("bench_scan_small_{suffix}"))?;
    let stream = create(client, format!("bench_stream_{suffix}"))?;
    let outcome = (|| {
        eprintln!("preloading {KV_KEYS} items");
        kv.batch_write(|batch| {
            for i in 0..KV_KEYS {
                batch.put_item(data::item_1kb(i))?;
            }
            Ok::<_, dynamo_blocking::Error>(())
        })?;
        latency_tests(&kv, server, opts, report)?;

        eprintln!("batch write of {} items", opts.items);
        let write = BulkRun::measure(|written| {
            table_load(&scan, opts.items)?;
            written.store(opts.items, Ordering::Relaxed);
            Ok(())
        })?;
        report.push(Row {
            test: format!("BatchWriteItem, {} items", thousands(opts.items)),
            threads: "1".into(),
            result: rate(write.per_second(), "items"),
            vs_bare: String::new(),
            bare: String::new(),
            p50: String::new(),
            p99: String::new(),
            notes: format!(
                "{:.1} s, 25 items per request, one BatchWriter; {}",
                write.elapsed.as_secs_f64(),
                write.cpu_note()
            ),
        });
        let small_items = opts.items / 10;
        eprintln!("batch write of {small_items} items (scan memory baseline)");
        table_load(&small, small_items)?;

        scan_tests(&scan, opts.items, report)?;

        let changes = opts.items / 10;
        stream.enable_stream(StreamViewType::NewAndOldImages)?;
        eprintln!("batch write of {changes} items into a table with a stream");
        table_load(&stream, changes)?;
        stream_tests(&stream, changes, report)?;

        memory_tests(
            &server.endpoint,
            [(&small, small_items), (&scan, opts.items)],
            report,
        )
    })();
    for table in [&kv, &scan, &small, &stream] {
        let _ = table.delete_table();
    }
    outcome
}
