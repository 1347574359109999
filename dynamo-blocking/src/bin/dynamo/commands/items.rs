//! `put`, `get` and `delete`: one item at a time.

use dynamo_blocking::{Attributes, Overwrite, ReadOptions, Table};

use super::json_argument;
use crate::args::{name_list, on_table, Arg, Args, Failure, Formats, EXIT_NOT_FOUND};
use crate::convert::{item_to_line, parse_item, InputFormat, OutputFormat};
use crate::output::Out;

/// Reads ITEM_JSON / KEY_JSON; a malformed one is a usage error.
fn item_argument(args: &Args, text: String, format: InputFormat) -> Result<Attributes, Failure> {
    let text = json_argument(args, text)?;
    parse_item(&text, format).map_err(|e| args.usage(e))
}

/// `dynamo put TABLE ITEM_JSON [--no-overwrite]`
pub fn put(mut args: Args) -> Result<(), Failure> {
    let mut positional = Vec::new();
    let mut formats = Formats::default();
    let mut overwrite = Overwrite::Yes;
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(v) => positional.push(v),
            Arg::Flag(f) if formats.take(&f) => {}
            Arg::Flag(f) if f == "no-overwrite" => overwrite = Overwrite::No,
            flag => return Err(args.unexpected(flag)),
        }
    }
    formats.check(&args)?;
    let [table, item] = args.positionals(positional, ["TABLE", "ITEM_JSON"])?;
    let item = item_argument(&args, item, formats.input())?;
    let client = args.globals.client()?;
    Table::new(&client, &table)
        .put_item(item, overwrite)
        .map_err(on_table(&table))
}

/// `dynamo get TABLE KEY_JSON [--consistent] [--attributes a,b]`
pub fn get(mut args: Args) -> Result<(), Failure> {
    let mut positional = Vec::new();
    let mut formats = Formats::default();
    let mut options = ReadOptions::new();
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(v) => positional.push(v),
            Arg::Flag(f) if formats.take(&f) => {}
            Arg::Flag(f) if f == "consistent" => options = options.consistent(),
            Arg::Flag(f) if f == "attributes" => {
                let list = args.value("attributes")?;
                options = options.attributes(name_list(&args, "attributes", &list)?);
            }
            flag => return Err(args.unexpected(flag)),
        }
    }
    formats.check(&args)?;
    let [table, key] = args.positionals(positional, ["TABLE", "KEY_JSON"])?;
    let key = item_argument(&args, key, formats.key_input())?;
    let client = args.globals.client()?;
    let found = Table::new(&client, &table)
        .get_item_with(key.clone(), &options)
        .map_err(on_table(&table))?;
    let Some(item) = found else {
        return Err(Failure::new(
            EXIT_NOT_FOUND,
            format!(
                "table `{table}`: no item with key {}",
                item_to_line(&key, OutputFormat::Plain)
            ),
        ));
    };
    let mut out = Out::new();
    out.item(item.attributes(), formats.output())?;
    out.finish()
}

/// `dynamo delete TABLE KEY_JSON`
pub fn delete(mut args: Args) -> Result<(), Failure> {
    let mut positional = Vec::new();
    let mut formats = Formats::default();
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(v) => positional.push(v),
            Arg::Flag(f) if formats.take(&f) => {}
            flag => return Err(args.unexpected(flag)),
        }
    }
    formats.check(&args)?;
    let [table, key] = args.positionals(positional, ["TABLE", "KEY_JSON"])?;
    let key = item_argument(&args, key, formats.input())?;
    let client = args.globals.client()?;
    Table::new(&client, &table)
        .delete_item(key)
        .map_err(on_table(&table))
}
