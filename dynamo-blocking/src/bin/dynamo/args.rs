//! Command-line parsing on top of lexopt: global options, per-command
//! arguments, and the [`Failure`] every command returns.

use std::ffi::OsString;
use std::fmt;
use std::str::FromStr;

use std::time::Duration;

use dynamo_blocking::{Client, Error, RetryPolicy};
use lexopt::prelude::*;

use crate::convert::{InputFormat, OutputFormat};
use crate::help;

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: the command line or the input is wrong.
pub const EXIT_USAGE: u8 = 1;
/// Exit status: DynamoDB, network or configuration failure.
pub const EXIT_SERVICE: u8 = 2;
/// Exit status: `get` found no item.
pub const EXIT_NOT_FOUND: u8 = 3;

/// Why a command stops early, and with what exit status.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    /// Printed on stderr after `dynamo: ` (or on stdout, for help).
    pub message: String,
    /// The command whose usage to recall (for usage errors).
    pub usage_of: Option<&'static str>,
    /// Help text to print on stdout with status 0 (`--help`).
    pub help: Option<&'static str>,
}

impl Failure {
    /// A usage or input error of `command` ("" for the top level).
    pub fn usage(command: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_USAGE,
            message: message.into(),
            usage_of: Some(command),
            help: None,
        }
    }

    /// Any failure with its own status and no usage hint.
    pub fn new(code: u8, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
            usage_of: None,
            help: None,
        }
    }

    /// `--help`: print `text` and exit 0.
    pub fn help(text: &'static str) -> Failure {
        Failure {
            code: EXIT_OK,
            message: String::new(),
            usage_of: None,
            help: Some(text),
        }
    }

    /// Stdout was closed (`dynamo dump t | head`): stop quietly.
    pub fn broken_pipe() -> Failure {
        Failure::new(EXIT_OK, "")
    }

    /// Writing to stdout failed.
    pub fn output(e: std::io::Error) -> Failure {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::broken_pipe()
        } else {
            Failure::new(EXIT_SERVICE, format!("cannot write the output: {e}"))
        }
    }

    /// Prefixes the message with where it happened.
    pub fn context(mut self, what: impl fmt::Display) -> Failure {
        if !self.message.is_empty() {
            self.message = format!("{what}: {}", self.message);
        }
        self
    }
}

/// Library errors: input caught before sending is a usage error (1); answers
/// from DynamoDB, the network and configuration are service errors (2).
impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        let code = match &e {
            Error::Key(_)
            | Error::Name(_)
            | Error::Convert(_)
            | Error::Expression(_)
            | Error::Request(_)
            | Error::MissingTableName { .. }
            | Error::UnknownIndex { .. }
            | Error::InvalidSegment { .. }
            | Error::NothingToUpdate
            | Error::ItemTooLarge { .. } => EXIT_USAGE,
            _ => EXIT_SERVICE,
        };
        Failure::new(code, e.to_string())
    }
}

/// Maps a library error on table `table` to a failure naming the table.
pub fn on_table(table: &str) -> impl Fn(Error) -> Failure + '_ {
    move |e| Failure::from(e).context(format_args!("table `{table}`"))
}

/// `--endpoint`, `--region`, `--profile`, `--max-attempts`, `--timeout`:
/// accepted before or after the command.
#[derive(Clone, Debug, Default)]
pub struct Globals {
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub profile: Option<String>,
    pub max_attempts: Option<String>,
    pub timeout: Option<String>,
    /// `-v`: say on stderr where credentials, region and endpoint came from.
    pub verbose: bool,
}

impl Globals {
    /// A client from these options, the environment and the shared files.
    pub fn client(&self) -> Result<Client, Failure> {
        let mut builder = Client::builder();
        if let Some(endpoint) = &self.endpoint {
            builder = builder.endpoint(endpoint);
        }
        if let Some(region) = &self.region {
            builder = builder.region(region);
        }
        if let Some(profile) = &self.profile {
            builder = builder.profile(profile);
        }
        if let Some(text) = &self.max_attempts {
            let attempts = text.trim().parse::<u32>().ok().filter(|n| *n >= 1);
            let Some(attempts) = attempts else {
                return Err(Failure::usage(
                    "",
                    format!("--max-attempts: `{text}` is not a whole number from 1"),
                ));
            };
            builder = builder.retry_policy(RetryPolicy::default().max_attempts(attempts));
        }
        if let Some(text) = &self.timeout {
            let seconds = text.trim().parse::<f64>().ok().filter(|s| *s > 0.0);
            let Some(timeout) = seconds.and_then(|s| Duration::try_from_secs_f64(s).ok()) else {
                return Err(Failure::usage(
                    "",
                    format!("--timeout: `{text}` is not a number of seconds above 0"),
                ));
            };
            builder = builder.operation_timeout(timeout);
        }
        let client = builder.build().map_err(Failure::from)?;
        if self.verbose {
            // Names only: the source, never a key or token.
            eprintln!(
                "dynamo: credentials from {}; region {}; endpoint {}",
                client
                    .credentials_source()
                    .unwrap_or_else(|| "(not fetched yet)".into()),
                client.region(),
                client.endpoint().url()
            );
        }
        Ok(client)
    }
}

/// One argument of a command, owned.
#[derive(Debug)]
pub enum Arg {
    /// `--name` (long) or `-x` (short, as `x`).
    Flag(String),
    /// A positional argument.
    Value(String),
}

/// The arguments after the command name.
pub struct Args {
    parser: lexopt::Parser,
    pub globals: Globals,
    pub command: &'static str,
}

impl Args {
    pub fn new(parser: lexopt::Parser, globals: Globals, command: &'static str) -> Args {
        Args {
            parser,
            globals,
            command,
        }
    }

    /// A usage error of this command.
    pub fn usage(&self, message: impl Into<String>) -> Failure {
        Failure::usage(self.command, message)
    }

    fn lexopt(&self, e: lexopt::Error) -> Failure {
        self.usage(e.to_string())
    }

    /// The next argument that is not a global option; `--help` ends parsing
    /// with the command's help.
    pub fn next(&mut self) -> Result<Option<Arg>, Failure> {
        loop {
            let command = self.command;
            let arg = self
                .parser
                .next()
                .map_err(|e| Failure::usage(command, e.to_string()))?;
            let name = match arg {
                None => return Ok(None),
                Some(Value(v)) => {
                    return v.into_string().map(|s| Some(Arg::Value(s))).map_err(|v| {
                        Failure::usage(command, format!("argument {v:?} is not valid UTF-8"))
                    })
                }
                Some(Short('h')) | Some(Long("help")) => {
                    return Err(Failure::help(help::of(self.command)))
                }
                Some(Short(c)) => return Ok(Some(Arg::Flag(c.to_string()))),
                Some(Long(name)) => name.to_owned(),
            };
            if !take_global(&name, &mut self.parser, &mut self.globals)
                .map_err(|e| self.lexopt(e))?
            {
                return Ok(Some(Arg::Flag(name)));
            }
        }
    }

    fn string(&self, value: OsString) -> Result<String, Failure> {
        value
            .into_string()
            .map_err(|v| self.usage(format!("argument {v:?} is not valid UTF-8")))
    }

    /// The value of `--flag`.
    pub fn value(&mut self, flag: &str) -> Result<String, Failure> {
        let value = self
            .parser
            .value()
            .map_err(|_| self.usage(format!("--{flag} needs a value")))?;
        self.string(value)
    }

    /// The value of `--flag`, parsed.
    pub fn parsed<T: FromStr>(&mut self, flag: &str, what: &str) -> Result<T, Failure> {
        let text = self.value(flag)?;
        text.parse()
            .map_err(|_| self.usage(format!("--{flag}: `{text}` is not {what}")))
    }

    /// The error for a flag the command does not take.
    pub fn unexpected(&self, arg: Arg) -> Failure {
        match arg {
            Arg::Flag(f) if f.chars().count() == 1 => self.usage(format!("unknown option -{f}")),
            Arg::Flag(f) => self.usage(format!("unknown option --{f}")),
            Arg::Value(v) => self.usage(format!("unexpected argument `{v}`")),
        }
    }

    /// Checks the positional arguments against their names (all required).
    pub fn positionals<const N: usize>(
        &self,
        values: Vec<String>,
        names: [&str; N],
    ) -> Result<[String; N], Failure> {
        if values.len() > N {
            return Err(self.usage(format!("unexpected argument `{}`", values[N])));
        }
        if values.len() < N {
            return Err(self.usage(format!("missing {}", names[values.len()])));
        }
        values
            .try_into()
            .map_err(|_| self.usage("wrong number of arguments"))
    }
}

/// Handles the global options; false for any other flag.
pub fn take_global(
    name: &str,
    parser: &mut lexopt::Parser,
    globals: &mut Globals,
) -> Result<bool, lexopt::Error> {
    let slot = match name {
        "endpoint" => &mut globals.endpoint,
        "region" => &mut globals.region,
        "profile" => &mut globals.profile,
        "max-attempts" => &mut globals.max_attempts,
        "timeout" => &mut globals.timeout,
        _ => return Ok(false),
    };
    let value = parser.value()?;
    *slot = Some(value.string()?);
    Ok(true)
}

/// `--dynamodb-json` / `--plain-json`, shared by the item commands.
#[derive(Clone, Copy, Debug, Default)]
pub struct Formats {
    dynamodb: bool,
    plain: bool,
}

impl Formats {
    /// Takes the flag if it is one of these; false otherwise.
    pub fn take(&mut self, flag: &str) -> bool {
        match flag {
            "dynamodb-json" => self.dynamodb = true,
            "plain-json" => self.plain = true,
            _ => return false,
        }
        true
    }

    /// Checks the flags do not contradict each other.
    pub fn check(&self, args: &Args) -> Result<(), Failure> {
        if self.dynamodb && self.plain {
            return Err(args.usage("--dynamodb-json and --plain-json cannot be used together"));
        }
        Ok(())
    }

    pub fn input(&self) -> InputFormat {
        if self.dynamodb {
            InputFormat::DynamoDb
        } else if self.plain {
            InputFormat::Plain
        } else {
            InputFormat::Auto
        }
    }

    /// For commands that print items (`get`): `--dynamodb-json` is about
    /// the output, so a key is auto-detected unless `--plain-json`.
    pub fn key_input(&self) -> InputFormat {
        if self.plain {
            InputFormat::Plain
        } else {
            InputFormat::Auto
        }
    }

    pub fn output(&self) -> OutputFormat {
        if self.dynamodb {
            OutputFormat::DynamoDb
        } else {
            OutputFormat::Plain
        }
    }
}

/// `a,b,c` → names (empty parts refused).
pub fn name_list(args: &Args, flag: &str, text: &str) -> Result<Vec<String>, Failure> {
    let names: Vec<String> = text.split(',').map(|s| s.trim().to_owned()).collect();
    if names.iter().any(String::is_empty) {
        return Err(args.usage(format!(
            "--{flag}: `{text}` is not a comma-separated list of attribute names"
        )));
    }
    Ok(names)
}
