//! The plain text results table.

use std::time::Duration;

/// One line of the table.
#[derive(Default)]
pub struct Row {
    pub test: String,
    pub threads: String,
    /// This row's result over the bare socket's, measured in the same run
    /// (empty for rows without a floor).
    pub vs_bare: String,
    pub result: String,
    /// The bare socket's result in the same run.
    pub bare: String,
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

const HEADER: [&str; 8] = [
    "test",
    "threads",
    "vs bare socket",
    "result",
    "bare socket",
    "p50",
    "p99",
    "notes",
];

impl Row {
    fn cells(&self) -> [String; 8] {
        [
            self.test.clone(),
            self.threads.clone(),
            self.vs_bare.clone(),
            self.result.clone(),
            self.bare.clone(),
            self.p50.clone(),
            self.p99.clone(),
            self.notes.clone(),
        ]
    }
}

impl Report {
    pub fn push(&mut self, row: Row) {
        eprintln!("  {}", row.cells().join(" | "));
        self.rows.push(row);
    }

    /// A plain text table, every column.
    pub fn print(&self) {
        let mut widths = HEADER.map(|h| h.chars().count());
        for row in &self.rows {
            for (w, c) in widths.iter_mut().zip(row.cells()) {
                *w = (*w).max(c.chars().count());
            }
        }
        let last = HEADER.len() - 1;
        let line = |cols: [String; 8]| {
            let mut out = String::new();
            for (i, (c, w)) in cols.iter().zip(widths).enumerate() {
                // Text left, figures right, notes unpadded.
                match i {
                    0 => out.push_str(&format!("{c:<w$}")),
                    i if i == last => out.push_str(c),
                    _ => out.push_str(&format!("{c:>w$}")),
                }
                if i < last {
                    out.push_str("  ");
                }
            }
            println!("{}", out.trim_end());
        };
        line(HEADER.map(str::to_owned));
        line(widths.map(|w| "-".repeat(w)));
        for row in &self.rows {
            line(row.cells());
        }
    }

    /// A Markdown table without the notes (the README's Performance table).
    pub fn print_markdown(&self) {
        println!("{}", markdown_header());
        println!("|{}", "---|".repeat(MARKDOWN_COLUMNS));
        for row in &self.rows {
            println!("{}", markdown_line(&row.cells()));
        }
    }
}

/// Every column but the notes.
const MARKDOWN_COLUMNS: usize = HEADER.len() - 1;

fn markdown_line(cells: &[String]) -> String {
    format!("| {} |", cells[..MARKDOWN_COLUMNS].join(" | "))
}

/// The first line of the Markdown table (a test checks the README's).
pub fn markdown_header() -> String {
    markdown_line(&HEADER.map(str::to_owned))
}

/// "1.23×": our figure over the bare socket's, as the median of the ratios
/// of paired rounds (ours and the bare socket's run back to back). A
/// server or machine that drifts between rounds moves both runs of a pair
/// alike, so the ratio of each pair holds where the ratio of two separate
/// medians would not.
pub fn paired_ratio(
    ours: impl IntoIterator<Item = f64>,
    bare: impl IntoIterator<Item = f64>,
) -> String {
    let ratios = ours.into_iter().zip(bare).map(|(o, b)| o / b).collect();
    format!("{:.2}×", median(ratios))
}

/// The median of some figures (the upper middle one for an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
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
