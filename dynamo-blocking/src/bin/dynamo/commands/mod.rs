//! One module per group of subcommands; each command parses its own
//! arguments from [`Args`] and returns a [`Failure`] to stop.

mod bulk;
mod items;
mod read;
mod sql;
mod tables;
mod tail;

use std::io::Read;

use crate::args::{Args, Failure};

/// A subcommand's entry point.
pub type Run = fn(Args) -> Result<(), Failure>;

/// The subcommand called `name`.
pub fn find(name: &str) -> Option<(&'static str, Run)> {
    let commands: [(&'static str, Run); 13] = [
        ("tables", tables::tables),
        ("describe", tables::describe),
        ("create-table", tables::create_table),
        ("delete-table", tables::delete_table),
        ("put", items::put),
        ("get", items::get),
        ("delete", items::delete),
        ("query", read::query),
        ("scan", read::scan),
        ("load", bulk::load),
        ("dump", bulk::dump),
        ("sql", sql::sql),
        ("tail", tail::tail),
    ];
    commands.into_iter().find(|(n, _)| *n == name)
}

/// A JSON argument, or stdin for `-`.
fn json_argument(args: &Args, text: String) -> Result<String, Failure> {
    if text != "-" {
        return Ok(text);
    }
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| args.usage(format!("cannot read stdin: {e}")))?;
    Ok(input)
}
