//! `sql`: a PartiQL statement, its items as JSON lines.

use dynamo_blocking::AttributeValue;

use crate::args::{Arg, Args, Failure, Formats};
use crate::convert::{from_dynamodb_json, from_plain_json, looks_like_dynamodb_value};
use crate::json;
use crate::output::Out;

/// `dynamo sql STATEMENT [--param JSON]... [--limit N] [--consistent]`
pub fn sql(mut args: Args) -> Result<(), Failure> {
    let mut positional = Vec::new();
    let mut formats = Formats::default();
    let mut params: Vec<String> = Vec::new();
    let mut limit: Option<u64> = None;
    let mut consistent = false;
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(v) => positional.push(v),
            Arg::Flag(f) if formats.take(&f) => {}
            Arg::Flag(f) if f == "param" => params.push(args.value("param")?),
            Arg::Flag(f) if f == "limit" => limit = Some(args.parsed("limit", "a whole number")?),
            Arg::Flag(f) if f == "consistent" => consistent = true,
            flag => return Err(args.unexpected(flag)),
        }
    }
    formats.check(&args)?;
    let [statement] = args.positionals(positional, ["STATEMENT"])?;
    let values = params
        .iter()
        .enumerate()
        .map(|(i, text)| parameter(text, i + 1, &formats))
        .collect::<Result<Vec<AttributeValue>, String>>()
        .map_err(|e| args.usage(e))?;
    if limit == Some(0) {
        return Ok(());
    }
    let client = args.globals.client()?;
    let mut run = client.execute(statement, values);
    if let Some(limit) = limit {
        run = run.limit(limit);
    }
    if consistent {
        run = run.consistent_read();
    }
    let mut out = Out::new();
    for item in run {
        let item = item.map_err(Failure::from)?;
        out.item(&item, formats.output())?;
    }
    out.finish()
}

/// One `--param`: a JSON value, plain (`"ada"`, `42`) or DynamoDB JSON
/// (`{"N":"42"}`).
fn parameter(text: &str, number: usize, formats: &Formats) -> Result<AttributeValue, String> {
    let path = format!("--param {number}");
    let value = json::parse(text).map_err(|e| format!("{path}: {e}"))?;
    let dynamodb = match formats.input() {
        crate::convert::InputFormat::DynamoDb => true,
        crate::convert::InputFormat::Plain => false,
        crate::convert::InputFormat::Auto => looks_like_dynamodb_value(&value),
    };
    if dynamodb {
        from_dynamodb_json(value, &path)
    } else {
        from_plain_json(value, &path)
    }
}
