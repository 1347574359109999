//! The plain text results table.

use std::time::Duration;

/// One line of the table.
pub struct Row {
    pub test: String,
    pub threads: String,
    pub result: String,
    pub p50: String,
    pub p99: String,
    pub notes: String,
}

/// Rows printed as they come (so a long run shows progress) and again, all
/// together, at the end.
#[derive(Default)]
pub struct Report {
    rows: Vec<Row>,
}

const HEADER: [&str; 6] = ["test", "threads", "result", "p50", "p99", "notes"];

impl Report {
    pub fn push(&mut self, row: Row) {
        eprintln!(
            "  {} [{}]: {} {} {} {}",
            row.test, row.threads, row.result, row.p50, row.p99, row.notes
        );
        self.rows.push(row);
    }

    pub fn print(&self) {
        let cells = |r: &Row| -> [String; 6] {
            [
                r.test.clone(),
                r.threads.clone(),
                r.result.clone(),
                r.p50.clone(),
                r.p99.clone(),
                r.notes.clone(),
            ]
        };
        let mut widths = HEADER.map(|h| h.chars().count());
        for row in &self.rows {
            for (w, c) in widths.iter_mut().zip(cells(row)) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |cols: [String; 6]| {
            let mut out = String::new();
            for (i, (c, w)) in cols.iter().zip(widths).enumerate() {
                // Text left, figures right, notes unpadded.
                match i {
                    0 => out.push_str(&format!("{c:<w$}")),
                    5 => out.push_str(c),
                    _ => out.push_str(&format!("{c:>w$}")),
                }
                if i < 5 {
                    out.push_str("  ");
                }
            }
            println!("{}", out.trim_end());
        };
        line(HEADER.map(str::to_owned));
        line(widths.map(|w| "-".repeat(w)));
        for row in &self.rows {
            line(cells(row));
        }
    }
}

/// A latency in the unit that reads best.
pub fn latency(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.0} µs")
    } else {
        format!("{:.2} ms", us / 1000.0)
    }
}

/// A rate with thousands separated.
pub fn rate(per_second: f64, unit: &str) -> String {
    format!("{} {unit}/s", thousands(per_second.round() as u64))
}

pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
