//! `tail`: a table's stream as JSON lines, one per change.

use std::path::{Path, PathBuf};
use std::time::Duration;

use dynamo_blocking::{Attributes, Change, Checkpoint, StartAt, Table};

use crate::args::{on_table, Arg, Args, Failure, Formats, EXIT_SERVICE};
use crate::convert::{item_to_plain_json, OutputFormat};
use crate::json::{self, Json};
use crate::output::Out;

/// `dynamo tail TABLE [--from trim-horizon|latest] [--follow] [--checkpoint FILE]`
pub fn tail(mut args: Args) -> Result<(), Failure> {
    let mut positional = Vec::new();
    let mut formats = Formats::default();
    let mut start = StartAt::TrimHorizon;
    let mut follow = false;
    let mut poll = Duration::from_secs(1);
    let mut checkpoint_file: Option<PathBuf> = None;
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(v) => positional.push(v),
            Arg::Flag(f) if formats.take(&f) => {}
            Arg::Flag(f) if f == "from" => {
                start = match args.value("from")?.as_str() {
                    "trim-horizon" => StartAt::TrimHorizon,
                    "latest" => StartAt::Latest,
                    other => {
                        return Err(args.usage(format!(
                            "--from takes trim-horizon or latest, not `{other}`"
                        )))
                    }
                }
            }
            Arg::Flag(f) if f == "follow" => follow = true,
            Arg::Flag(f) if f == "poll" => {
                let millis: u64 = args.parsed("poll", "a number of milliseconds")?;
                if millis == 0 {
                    return Err(args.usage("--poll takes at least 1 millisecond"));
                }
                poll = Duration::from_millis(millis);
            }
            Arg::Flag(f) if f == "checkpoint" => {
                checkpoint_file = Some(PathBuf::from(args.value("checkpoint")?))
            }
            flag => return Err(args.unexpected(flag)),
        }
    }
    formats.check(&args)?;
    let [table] = args.positionals(positional, ["TABLE"])?;
    if let Some(saved) = checkpoint_file
        .as_deref()
        .map(read_checkpoint)
        .transpose()?
    {
        start = saved.map_or(start, StartAt::Checkpoint);
    }
    let client = args.globals.client()?;
    let mut feed = Table::new(&client, &table)
        .stream()
        .map_err(on_table(&table))?
        .from(start);
    if follow {
        feed = feed.follow(poll);
    }
    let format = formats.output();
    let mut out = Out::new();
    while let Some(change) = feed.next() {
        let change = change.map_err(on_table(&table))?;
        out.line(&change_line(&change, format))?;
        if follow {
            // A follower is read as changes come, not when a buffer fills.
            out.flush()?;
        }
        if let Some(path) = &checkpoint_file {
            // Printed before saved: a crash in between repeats a change on
            // the next run, never loses one.
            out.flush()?;
            let checkpoint = feed.checkpoint().map_err(on_table(&table))?;
            write_checkpoint(path, &checkpoint)?;
        }
    }
    if let Some(path) = &checkpoint_file {
        let checkpoint = feed.checkpoint().map_err(on_table(&table))?;
        write_checkpoint(path, &checkpoint)?;
    }
    out.finish()
}

/// One change as a JSON object: event, keys, images, position and time.
fn change_line(change: &Change<Attributes>, format: OutputFormat) -> String {
    let item = |a: &Attributes| match format {
        OutputFormat::Plain => item_to_plain_json(a),
        OutputFormat::DynamoDb => {
            // The wire form, reparsed so it nests in the line.
            json::parse(&serde_json::to_string(a).unwrap_or_default()).unwrap_or(Json::Null)
        }
    };
    let info = change.info();
    let mut fields = vec![
        (
            "event".to_owned(),
            Json::String(change.event_name().to_owned()),
        ),
        ("keys".to_owned(), item(&info.keys)),
    ];
    if let Some(old) = change.old_image() {
        fields.push(("old".to_owned(), item(old)));
    }
    if let Some(new) = change.new_image() {
        fields.push(("new".to_owned(), item(new)));
    }
    fields.push(("event_id".to_owned(), Json::String(info.event_id.clone())));
    fields.push(("shard_id".to_owned(), Json::String(info.shard_id.clone())));
    fields.push((
        "sequence_number".to_owned(),
        Json::String(info.sequence_number.clone()),
    ));
    if let Some(time) = info.approximate_creation {
        fields.push(("time".to_owned(), Json::String(time.to_rfc3339())));
    }
    if info.by_ttl {
        fields.push(("by_ttl".to_owned(), Json::Bool(true)));
    }
    json::to_string(&Json::Object(fields))
}

/// The checkpoint saved in `path`, or `None` when there is no file yet.
fn read_checkpoint(path: &Path) -> Result<Option<Checkpoint>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Failure::new(
                EXIT_SERVICE,
                format!("cannot read the checkpoint {}: {e}", path.display()),
            ))
        }
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        Failure::usage(
            "tail",
            format!("{} is not a checkpoint: {e}", path.display()),
        )
    })
}

/// Replaces `path` with `checkpoint` through a temporary file beside it, so
/// a crash leaves the old checkpoint or the new one, never half of one.
fn write_checkpoint(path: &Path, checkpoint: &Checkpoint) -> Result<(), Failure> {
    let fail = |e: std::io::Error| {
        Failure::new(
            EXIT_SERVICE,
            format!("cannot save the checkpoint {}: {e}", path.display()),
        )
    };
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let text = serde_json::to_string(checkpoint).unwrap_or_default();
    std::fs::write(&temporary, text).map_err(fail)?;
    std::fs::rename(&temporary, path).map_err(fail)
}
