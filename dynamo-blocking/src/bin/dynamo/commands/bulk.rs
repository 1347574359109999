//! `load` and `dump`: many items as JSON lines.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};

use dynamo_blocking::wire::WriteRequest;
use dynamo_blocking::{Attributes, BatchWriter, Error, Table};

use crate::args::{on_table, Arg, Args, Failure, Formats, EXIT_SERVICE, EXIT_USAGE};
use crate::convert::{item_to_line, parse_item, InputFormat, OutputFormat};
use crate::metering::Metering;
use crate::output::Out;
use crate::progress::{items, Progress};

/// Why reading the input stopped early.
enum Stop {
    /// A line that is not an item for this table.
    BadLine {
        line: u64,
        raw: Vec<u8>,
        message: String,
    },
    /// The input could not be read.
    Unreadable { line: u64, message: String },
}

/// The state of a load, kept outside the batch closure.
struct Load {
    reader: Box<dyn BufRead>,
    format: InputFormat,
    /// The input's size, for the progress bar.
    total: Option<u64>,
    bytes: u64,
    /// Lines read so far.
    line: u64,
    /// Items handed to the batch writer (written, queued or unprocessed).
    accepted: u64,
    stop: Option<Stop>,
    progress: Progress,
}

impl Load {
    fn run(&mut self, batch: &mut BatchWriter) -> Result<(), Error> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.reader.read_until(b'\n', &mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => self.bytes += n as u64,
                Err(e) => {
                    self.stop = Some(Stop::Unreadable {
                        line: self.line + 1,
                        message: e.to_string(),
                    });
                    // Stop reading; what was queued is still flushed.
                    return Ok(());
                }
            }
            self.line += 1;
            let parsed = match std::str::from_utf8(&buf) {
                Err(_) => Err("the line is not valid UTF-8".to_owned()),
                Ok(text) if text.trim().is_empty() => continue,
                Ok(text) => parse_item(text.trim(), self.format),
            };
            let item = match parsed {
                Ok(item) => item,
                Err(message) => return self.bad_line(&buf, message),
            };
            match batch.put_item(item) {
                Ok(()) => self.accepted += 1,
                // A failed send: this item is among the unprocessed ones.
                Err(e @ Error::UnprocessedWrites { .. }) => {
                    self.accepted += 1;
                    return Err(e);
                }
                // Refused before sending (key, set rules, size).
                Err(e) => return self.bad_line(&buf, e.to_string()),
            }
            let fraction = self.total.map(|t| self.bytes as f64 / t.max(1) as f64);
            self.progress.update(self.accepted, fraction);
        }
    }

    fn bad_line(&mut self, raw: &[u8], message: String) -> Result<(), Error> {
        self.stop = Some(Stop::BadLine {
            line: self.line,
            raw: raw.to_vec(),
            message,
        });
        // Stop reading; what was queued is still flushed.
        Ok(())
    }
}

/// `dynamo load TABLE FILE [--failed FILE]`
pub fn load(mut args: Args) -> Result<(), Failure> {
    let mut positional = Vec::new();
    let mut formats = Formats::default();
    let mut failed_path: Option<String> = None;
    let mut show_progress = true;
    let mut metering = Metering::new(&args);
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(v) => positional.push(v),
            Arg::Flag(f) if formats.take(&f) => {}
            Arg::Flag(f) if f == "rate" => metering.take_rate(&mut args)?,
            Arg::Flag(f) if f == "failed" => failed_path = Some(args.value("failed")?),
            Arg::Flag(f) if f == "no-progress" => show_progress = false,
            flag => return Err(args.unexpected(flag)),
        }
    }
    formats.check(&args)?;
    let [table, file] = args.positionals(positional, ["TABLE", "FILE"])?;
    let (reader, total): (Box<dyn BufRead>, Option<u64>) = if file == "-" {
        (Box::new(io::stdin().lock()), None)
    } else {
        let f = File::open(&file).map_err(|e| args.usage(format!("cannot open {file}: {e}")))?;
        let size = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
        (Box::new(BufReader::with_capacity(256 * 1024, f)), size)
    };
    let client = args.globals.client()?;
    let mut state = Load {
        reader,
        format: formats.input(),
        total,
        bytes: 0,
        line: 0,
        accepted: 0,
        stop: None,
        progress: Progress::new("loaded", show_progress),
    };
    let result = Table::new(&client, &table).batch_write(|batch| {
        metering.writer(batch)?;
        state.run(batch)
    });
    metering.report();
    let (unprocessed, service_error) = match result {
        // The input stopped at a bad line: everything before it was written.
        Ok(()) if state.stop.is_some() => (Vec::new(), None),
        Ok(()) => {
            state.progress.finish(state.accepted, true);
            return Ok(());
        }
        Err(Error::UnprocessedWrites { unprocessed, cause }) => {
            let items: Vec<Attributes> = unprocessed
                .into_iter()
                .filter_map(|w| match w {
                    WriteRequest::PutRequest { item } => Some(item),
                    WriteRequest::DeleteRequest { .. } => None,
                })
                .collect();
            let message = match cause {
                Some(cause) => cause.to_string(),
                None => "DynamoDB kept returning items as unprocessed".to_owned(),
            };
            (items, Some(message))
        }
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let written = state.accepted.saturating_sub(unprocessed.len() as u64);
    state.progress.finish(written, false);
    report_failed_load(
        &table,
        &file,
        failed_path.as_deref(),
        state,
        written,
        unprocessed,
        service_error,
    )
}

/// Says what was and was not written, and hands back what was not.
fn report_failed_load(
    table: &str,
    file: &str,
    failed_path: Option<&str>,
    mut state: Load,
    written: u64,
    unprocessed: Vec<Attributes>,
    service_error: Option<String>,
) -> Result<(), Failure> {
    let file = if file == "-" { "stdin" } else { file };
    let mut messages = Vec::new();
    if let Some(e) = &service_error {
        messages.push(format!("table `{table}`: {e}"));
    }
    // The first input line not loaded, and whether it (and the rest) can be
    // copied.
    let resume_line = match &state.stop {
        Some(Stop::BadLine { line, message, .. }) => {
            messages.push(format!("{file}: line {line}: {message}"));
            *line
        }
        Some(Stop::Unreadable { line, message }) => {
            messages.push(format!("{file}: cannot read line {line}: {message}"));
            *line
        }
        None => state.line + 1,
    };
    let input_left = state.line > 0 || state.stop.is_some();
    let mut summary = format!("{} written", items(written));
    // Where the rest goes: the --failed file, or stderr for items.
    let mut sink: Option<Box<dyn Write>> = None;
    if let Some(path) = failed_path.filter(|_| input_left || !unprocessed.is_empty()) {
        match File::create(path) {
            Ok(f) => sink = Some(Box::new(BufWriter::new(f))),
            Err(e) => messages.push(format!(
                "cannot create {path} ({e}): unwritten items follow on stderr"
            )),
        }
    }
    let copy_rest = sink.is_some() && !matches!(state.stop, Some(Stop::Unreadable { .. }));
    if !unprocessed.is_empty() {
        let place = if sink.is_some() {
            format!("are in {}", failed_path.unwrap_or_default())
        } else {
            "follow as DynamoDB JSON lines".to_owned()
        };
        summary.push_str(&format!(
            "; {} sent but not written {place}",
            items(unprocessed.len() as u64)
        ));
    }
    if input_left {
        if copy_rest {
            summary.push_str(&format!(
                "; input lines from {resume_line} on were copied to {}",
                failed_path.unwrap_or_default()
            ));
        } else {
            summary.push_str(&format!(
                "; input lines from {resume_line} on were not loaded"
            ));
        }
    }
    messages.push(summary);
    let mut err = io::stderr().lock();
    for m in &messages {
        let _ = writeln!(err, "dynamo: {m}");
    }
    let mut write_failed = || -> io::Result<()> {
        match sink.as_mut() {
            Some(sink) => {
                for item in &unprocessed {
                    writeln!(sink, "{}", item_to_line(item, OutputFormat::DynamoDb))?;
                }
                if copy_rest {
                    if let Some(Stop::BadLine { raw, .. }) = &state.stop {
                        sink.write_all(raw)?;
                        if !raw.ends_with(b"\n") {
                            sink.write_all(b"\n")?;
                        }
                    }
                    io::copy(&mut state.reader, sink)?;
                }
                sink.flush()
            }
            None => {
                for item in &unprocessed {
                    writeln!(err, "{}", item_to_line(item, OutputFormat::DynamoDb))?;
                }
                Ok(())
            }
        }
    };
    if let Err(e) = write_failed() {
        let _ = writeln!(
            err,
            "dynamo: cannot write {}: {e}",
            failed_path.unwrap_or("the unwritten items")
        );
        return Err(Failure::new(EXIT_SERVICE, ""));
    }
    let code = if service_error.is_some() {
        EXIT_SERVICE
    } else {
        EXIT_USAGE
    };
    Err(Failure::new(code, ""))
}

/// `dynamo dump TABLE [--segments N]`
pub fn dump(mut args: Args) -> Result<(), Failure> {
    let mut positional = Vec::new();
    let mut dynamodb_json = false;
    let mut segments: u32 = 4;
    let mut show_progress = true;
    let mut metering = Metering::new(&args);
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(v) => positional.push(v),
            Arg::Flag(f) if f == "rate" => metering.take_rate(&mut args)?,
            Arg::Flag(f) if f == "dynamodb-json" => dynamodb_json = true,
            Arg::Flag(f) if f == "no-progress" => show_progress = false,
            Arg::Flag(f) if f == "segments" => {
                segments = args.parsed("segments", "a whole number from 1 to 1000000")?;
                if !(1..=1_000_000).contains(&segments) {
                    return Err(args.usage("--segments takes a number from 1 to 1000000"));
                }
            }
            flag => return Err(args.unexpected(flag)),
        }
    }
    let [table] = args.positionals(positional, ["TABLE"])?;
    let format = if dynamodb_json {
        OutputFormat::DynamoDb
    } else {
        OutputFormat::Plain
    };
    let client = args.globals.client()?;
    let handle = Table::new(&client, &table);
    // Also caches the key schema the scan needs.
    let approx_total = handle
        .describe()
        .map_err(on_table(&table))?
        .item_count
        .filter(|n| *n > 0);
    // Items on a terminal would be mixed with the bar.
    let mut progress = Progress::new("dumped", show_progress && !io::stdout().is_terminal());
    let mut out = Out::new();
    let mut count = 0u64;
    let mut run = || -> Result<(), Failure> {
        for item in metering.scan(handle.scan()).parallel(segments) {
            let item = item.map_err(on_table(&table))?;
            out.item(item.attributes(), format)?;
            count += 1;
            // DynamoDB's item count is approximate: never claim 100% early.
            let fraction = approx_total.map(|t| (count as f64 / t as f64).min(0.99));
            progress.update(count, fraction);
        }
        Ok(())
    };
    let result = run().and_then(|()| out.finish());
    progress.finish(count, result.is_ok());
    metering.report();
    result
}
