//! `-v`/`-vv`/`-vvv`: the library's log events on stderr.
//!
//! A few lines rather than a logger crate: one destination, one format,
//! and a filter that keeps other crates' trace output (ureq's raw wire
//! dumps, which show signed headers) out.

use std::io::Write;

use log::{Level, LevelFilter, Log, Metadata, Record};

struct Stderr;

/// Whose events are shown: this library's at any level, its HTTP client's
/// up to debug (ureq redacts headers there; not below).
fn shown(metadata: &Metadata) -> bool {
    metadata.target().starts_with("dynamo_blocking") || metadata.level() <= Level::Debug
}

impl Log for Stderr {
    fn enabled(&self, metadata: &Metadata) -> bool {
        shown(metadata)
    }

    fn log(&self, record: &Record) {
        if !shown(record.metadata()) {
            return;
        }
        let _ = writeln!(
            std::io::stderr().lock(),
            "dynamo: {} {}",
            record.level(),
            record.args()
        );
    }

    fn flush(&self) {}
}

/// Turns logging on for `verbosity` `-v`s: 1 retries and throttling
/// (info), 2 every request (debug), 3 item values too (trace).
pub fn init(verbosity: u8) {
    let level = match verbosity {
        0 => return,
        1 => LevelFilter::Info,
        2 => LevelFilter::Debug,
        _ => LevelFilter::Trace,
    };
    if log::set_logger(&Stderr).is_ok() {
        log::set_max_level(level);
    }
}
