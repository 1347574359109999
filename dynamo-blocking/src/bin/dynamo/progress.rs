//! A progress line on stderr for `load` and `dump`.
//!
//! Drawn only when stderr is a terminal (and not turned off with
//! `--no-progress`): piped or redirected, nothing is written. The line is
//! redrawn in place with `\r` at most every [`REDRAW`].

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Shortest time between two redraws.
pub const REDRAW: Duration = Duration::from_millis(100);

/// Width of the bar, in characters.
const BAR: usize = 24;

pub struct Progress {
    enabled: bool,
    verb: &'static str,
    start: Instant,
    last_draw: Option<Instant>,
    /// Length of the last line drawn, to blank what a shorter one leaves.
    drawn: usize,
}

impl Progress {
    /// A progress line for items being `verb` ("loaded", "dumped"); shown
    /// only when `wanted` and stderr is a terminal.
    pub fn new(verb: &'static str, wanted: bool) -> Progress {
        Progress {
            enabled: wanted && std::io::stderr().is_terminal(),
            verb,
            start: Instant::now(),
            last_draw: None,
            drawn: 0,
        }
    }

    /// Redraws if the last redraw is old enough. `fraction` is how much of
    /// the work is done, when known.
    pub fn update(&mut self, items: u64, fraction: Option<f64>) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self
            .last_draw
            .is_some_and(|t| now.duration_since(t) < REDRAW)
        {
            return;
        }
        self.last_draw = Some(now);
        self.draw(items, fraction, false);
    }

    /// Draws the final state and ends the line.
    pub fn finish(&mut self, items: u64, complete: bool) {
        if !self.enabled {
            return;
        }
        self.draw(items, complete.then_some(1.0), true);
    }

    fn draw(&mut self, items: u64, fraction: Option<f64>, last: bool) {
        let line = render(self.verb, items, fraction, self.start.elapsed());
        let pad = self.drawn.saturating_sub(line.chars().count());
        self.drawn = line.chars().count();
        let end = if last { "\n" } else { "" };
        let mut err = std::io::stderr().lock();
        // A progress line that cannot be drawn is not worth failing for.
        let _ = write!(err, "\r{line}{}{end}", " ".repeat(pad));
        let _ = err.flush();
    }
}

/// `[#######.................]  31%  12,345 items loaded  4,321/s  2.9s`
pub fn render(verb: &str, items: u64, fraction: Option<f64>, elapsed: Duration) -> String {
    let mut line = String::new();
    if let Some(f) = fraction {
        let f = f.clamp(0.0, 1.0);
        let filled = ((f * BAR as f64).floor() as usize).min(BAR);
        line.push('[');
        line.push_str(&"#".repeat(filled));
        line.push_str(&".".repeat(BAR - filled));
        line.push_str(&format!("] {:>3}%  ", (f * 100.0).floor() as u64));
    }
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        (items as f64 / secs) as u64
    } else {
        0
    };
    line.push_str(&format!(
        "{} {verb}  {}/s  {secs:.1}s",
        self::items(items),
        thousands(rate)
    ));
    line
}

/// `1 item`, `2,500 items`.
pub fn items(n: u64) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{} items", thousands(n))
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        assert_eq!(
            render("loaded", 12_345, Some(0.5), Duration::from_secs(2)),
            "[############............]  50%  12,345 items loaded  6,172/s  2.0s"
        );
        assert_eq!(
            render("dumped", 7, None, Duration::ZERO),
            "7 items dumped  0/s  0.0s"
        );
        assert!(render("x", 1, Some(7.0), Duration::ZERO).contains("100%"));
        assert_eq!(items(1), "1 item");
        assert_eq!(items(0), "0 items");
        assert_eq!(items(2500), "2,500 items");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn nothing_is_drawn_when_disabled() {
        let mut p = Progress::new("loaded", false);
        p.update(1, None);
        p.finish(1, true);
        assert_eq!(p.drawn, 0);
    }
}
