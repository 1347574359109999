//! `dynamo`: a command-line client for Amazon DynamoDB and DynamoDB Local,
//! built on dynamo-blocking (cargo feature `cli`).
//!
//! ```text
//! cargo install dynamo-blocking --features cli     # or: cargo run --features cli --bin dynamo -- ...
//! dynamo --endpoint http://localhost:8000 tables
//! dynamo create-table users --hash username:S
//! dynamo put users '{"username":"johndoe","age":31,"tags":["a"]}'
//! dynamo get users '{"username":"johndoe"}'
//! dynamo scan users --filter 'age>30' --segments 4
//! dynamo dump users --dynamodb-json > users.jsonl && dynamo load users2 users.jsonl
//! ```
//!
//! The reference below is the program's own `--help` text (the same files).
//!
//! # Design notes
//!
//! - Numbers keep their exact text both ways: item JSON is read by a small
//!   exact reader ([`json`]) rather than serde_json, whose numbers are
//!   `u64`/`i64`/`f64` without the `arbitrary_precision` feature (which this
//!   crate leaves off so library users are not affected). `12345678901234567890123`
//!   goes to DynamoDB as that `N` and comes back as that JSON number.
//! - Results go to stdout, one JSON document per line; messages go to stderr
//!   prefixed `dynamo: `. A closed stdout (`| head`) ends the command quietly.
//! - Progress bars (`load`, `dump`) are drawn on stderr only when it is a
//!   terminal, redrawn in place with `\r` at most every 100 ms.
//! - Nothing panics on bad input: every failure is a message and an exit
//!   status (0 ok, 1 usage or input, 2 DynamoDB/network/configuration, 3 `get`
//!   found nothing).
//!
//! # `dynamo --help`
//!
//! ```text
#![doc = include_str!("help/main.txt")]
//! ```
//!
//! # Commands
//!
//! ```text
#![doc = include_str!("help/tables.txt")]
//! ```
//!
//! ```text
#![doc = include_str!("help/describe.txt")]
//! ```
//!
//! ```text
#![doc = include_str!("help/create-table.txt")]
//! ```
//!
//! ```text
#![doc = include_str!("help/delete-table.txt")]
//! ```
//!
//! ```text
#![doc = include_str!("help/put.txt")]
//! ```
//!
//! ```text
#![doc = include_str!("help/get.txt")]
//! ```
//!
//! ```text
#![doc = include_str!("help/delete.txt")]
//! ```
//!
//! ```text
#![doc = include_str!("help/query.txt")]
//! ```
//!
//! ```text
#![doc = include_str!("help/scan.txt")]
//! ```
//!
//! ```text
#![doc = include_str!("help/load.txt")]
//! ```
//!
//! ```text
#![doc = include_str!("help/dump.txt")]
//! ```
//!
//! ```text
#![doc = include_str!("help/sql.txt")]
//! ```
//!
//! ```text
#![doc = include_str!("help/tail.txt")]
//! ```

mod args;
mod commands;
mod convert;
mod expr;
mod help;
mod json;
mod logger;
mod metering;
mod output;
mod progress;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use lexopt::prelude::*;

use args::{take_global, Args, Failure, Globals};

fn main() -> ExitCode {
    let failure = match run(std::env::args_os().skip(1)) {
        Ok(()) => return ExitCode::SUCCESS,
        Err(f) => f,
    };
    if let Some(text) = failure.help {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
        return ExitCode::from(failure.code);
    }
    let mut err = std::io::stderr().lock();
    if !failure.message.is_empty() {
        let _ = writeln!(err, "dynamo: {}", failure.message);
    }
    if let Some(command) = failure.usage_of {
        let _ = writeln!(err, "{}", help::usage_line(command));
        let more = if command.is_empty() {
            "dynamo --help".to_owned()
        } else {
            format!("dynamo {command} --help")
        };
        let _ = writeln!(err, "Run `{more}` for more.");
    }
    ExitCode::from(failure.code)
}

/// Parses the global options and the command name, then runs the command.
fn run(arguments: impl IntoIterator<Item = OsString>) -> Result<(), Failure> {
    let mut parser = lexopt::Parser::from_args(arguments);
    let mut globals = Globals::default();
    let usage = |e: lexopt::Error| Failure::usage("", e.to_string());
    let command = loop {
        let name = match parser.next().map_err(usage)? {
            None => return Err(Failure::usage("", "missing command")),
            Some(Value(command)) => break command,
            Some(Short('h') | Long("help")) => return Err(Failure::help(help::MAIN)),
            Some(Short('V') | Long("version")) => {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "dynamo {}", env!("CARGO_PKG_VERSION"));
                return Ok(());
            }
            Some(Short('v') | Long("verbose")) => {
                globals.verbosity = globals.verbosity.saturating_add(1);
                continue;
            }
            Some(Long(name)) => name.to_owned(),
            Some(Short(c)) => return Err(Failure::usage("", format!("unknown option -{c}"))),
        };
        if !take_global(&name, &mut parser, &mut globals).map_err(usage)? {
            return Err(Failure::usage("", format!("unknown option --{name}")));
        }
    };
    logger::init(globals.verbosity);
    let command = command.to_string_lossy().into_owned();
    if command == "help" {
        return help_command(parser);
    }
    let Some((name, run)) = commands::find(&command) else {
        return Err(Failure::usage(
            "",
            format!("unknown command `{command}` (see dynamo --help for the list)"),
        ));
    };
    run(Args::new(parser, globals, name))
}

/// `dynamo help [COMMAND]`
fn help_command(mut parser: lexopt::Parser) -> Result<(), Failure> {
    let usage = |e: lexopt::Error| Failure::usage("help", e.to_string());
    let topic = match parser.next().map_err(usage)? {
        None => return Err(Failure::help(help::MAIN)),
        Some(Value(topic)) => topic.to_string_lossy().into_owned(),
        Some(other) => return Err(Failure::usage("help", other.unexpected().to_string())),
    };
    if let Some(extra) = parser.next().map_err(usage)? {
        return Err(Failure::usage("help", extra.unexpected().to_string()));
    }
    match help::COMMANDS.iter().find(|(name, _)| *name == topic) {
        Some((_, text)) => Err(Failure::help(text)),
        None => Err(Failure::usage("help", format!("unknown command `{topic}`"))),
    }
}
