//! `query` and `scan`: items as JSON lines.

use dynamo_blocking::expr::Condition;
use dynamo_blocking::{Error, Item, Table};

use crate::args::{name_list, on_table, Arg, Args, Failure, Formats};
use crate::convert::OutputFormat;
use crate::expr::{parse_filter, parse_key, KeyTerm};
use crate::metering::Metering;
use crate::output::Out;

/// What `query` and `scan` share.
#[derive(Default)]
struct ReadArgs {
    positional: Vec<String>,
    formats: Formats,
    filters: Vec<Condition>,
    index: Option<String>,
    limit: Option<u64>,
    consistent: bool,
    attributes: Option<Vec<String>>,
}

impl ReadArgs {
    /// Takes a shared flag; false if `flag` is not one.
    fn take(&mut self, args: &mut Args, flag: &str) -> Result<bool, Failure> {
        match flag {
            "filter" => {
                let text = args.value("filter")?;
                let condition = parse_filter(&text).map_err(|e| args.usage(e))?;
                self.filters.push(condition);
            }
            "index" => self.index = Some(args.value("index")?),
            "limit" => self.limit = Some(args.parsed("limit", "a whole number")?),
            "consistent" => self.consistent = true,
            "attributes" => {
                let list = args.value("attributes")?;
                self.attributes = Some(name_list(args, "attributes", &list)?);
            }
            f => return Ok(self.formats.take(f)),
        }
        Ok(true)
    }
}

/// Prints items until the iterator ends, fails or `limit` is reached.
fn print_items(
    items: impl Iterator<Item = Result<Item, Error>>,
    table: &str,
    format: OutputFormat,
    limit: Option<u64>,
) -> Result<(), Failure> {
    let mut out = Out::new();
    let wanted = limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    for item in items.take(wanted) {
        let item = item.map_err(on_table(table))?;
        out.item(item.attributes(), format)?;
    }
    out.finish()
}

/// `dynamo query TABLE --key NAME=VALUE ...`
pub fn query(mut args: Args) -> Result<(), Failure> {
    let mut read = ReadArgs::default();
    let mut keys: Vec<KeyTerm> = Vec::new();
    let mut reverse = false;
    let metering = Metering::new(&args);
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(v) => read.positional.push(v),
            Arg::Flag(f) if read.take(&mut args, &f)? => {}
            Arg::Flag(f) if f == "key" => {
                let text = args.value("key")?;
                keys.push(parse_key(&text).map_err(|e| args.usage(e))?);
            }
            Arg::Flag(f) if f == "reverse" => reverse = true,
            flag => return Err(args.unexpected(flag)),
        }
    }
    read.formats.check(&args)?;
    let [table] = args.positionals(std::mem::take(&mut read.positional), ["TABLE"])?;
    if keys.is_empty() {
        return Err(args.usage("a query needs --key NAME=VALUE on the hash key"));
    }
    if read.limit == Some(0) {
        return Ok(());
    }
    let client = args.globals.client()?;
    let handle = Table::new(&client, &table);
    let mut query = handle.query();
    for key in keys {
        query = key.apply(query);
    }
    for filter in read.filters {
        query = query.filter(filter);
    }
    if let Some(index) = read.index {
        query = query.index(index);
    }
    if reverse {
        query = query.reverse();
    }
    if let Some(limit) = read.limit {
        query = query.limit(limit);
    }
    if read.consistent {
        query = query.consistent_read();
    }
    if let Some(names) = read.attributes {
        query = query.attributes(names);
    }
    let printed = print_items(
        metering.query(query).into_iter(),
        &table,
        read.formats.output(),
        None,
    );
    metering.report();
    printed
}

/// `dynamo scan TABLE [--filter EXPR]... [--segments N]`
pub fn scan(mut args: Args) -> Result<(), Failure> {
    let mut read = ReadArgs::default();
    let mut segments: u32 = 1;
    let mut metering = Metering::new(&args);
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(v) => read.positional.push(v),
            Arg::Flag(f) if read.take(&mut args, &f)? => {}
            Arg::Flag(f) if f == "rate" => metering.take_rate(&mut args)?,
            Arg::Flag(f) if f == "segments" => {
                segments = args.parsed("segments", "a whole number from 1 to 1000000")?;
                if !(1..=1_000_000).contains(&segments) {
                    return Err(args.usage("--segments takes a number from 1 to 1000000"));
                }
            }
            flag => return Err(args.unexpected(flag)),
        }
    }
    read.formats.check(&args)?;
    let [table] = args.positionals(std::mem::take(&mut read.positional), ["TABLE"])?;
    if read.limit == Some(0) {
        return Ok(());
    }
    let client = args.globals.client()?;
    let handle = Table::new(&client, &table);
    let mut scan = handle.scan();
    for filter in read.filters {
        scan = scan.filter(filter);
    }
    if let Some(index) = read.index {
        scan = scan.index(index);
    }
    if read.consistent {
        scan = scan.consistent_read();
    }
    if let Some(names) = read.attributes {
        scan = scan.attributes(names);
    }
    if let Some(limit) = read.limit {
        scan = scan.limit(limit);
    }
    let scan = metering.scan(scan);
    let format = read.formats.output();
    let printed = if segments == 1 {
        print_items(scan.into_iter(), &table, format, None)
    } else {
        // The scan's limit applies to each segment: the total is capped here.
        print_items(
            scan.parallel(segments).into_iter(),
            &table,
            format,
            read.limit,
        )
    };
    metering.report();
    printed
}
