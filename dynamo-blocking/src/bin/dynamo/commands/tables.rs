//! `tables`, `describe`, `create-table` and `delete-table`.

use dynamo_blocking::wire::{DeleteTableInput, StreamViewType};
use dynamo_blocking::{
    Capacity, GlobalIndex, KeyAttribute, KeySchema, LocalIndex, Projection, ScalarType,
    SecondaryIndex, Table,
};

use crate::args::{on_table, Arg, Args, Failure, EXIT_SERVICE};
use crate::output::Out;

/// `dynamo tables`
pub fn tables(mut args: Args) -> Result<(), Failure> {
    if let Some(arg) = args.next()? {
        return Err(args.unexpected(arg));
    }
    let client = args.globals.client()?;
    let mut out = Out::new();
    for name in client.list_tables() {
        out.line(&name?)?;
    }
    out.finish()
}

/// `dynamo describe TABLE`
pub fn describe(mut args: Args) -> Result<(), Failure> {
    let mut positional = Vec::new();
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(v) => positional.push(v),
            flag => return Err(args.unexpected(flag)),
        }
    }
    let [table] = args.positionals(positional, ["TABLE"])?;
    let client = args.globals.client()?;
    let description = client.describe_table(&table).map_err(on_table(&table))?;
    let mut json = serde_json::to_value(&description)
        .map_err(|e| Failure::new(EXIT_SERVICE, format!("cannot encode the description: {e}")))?;
    drop_nulls(&mut json);
    let text = serde_json::to_string_pretty(&json)
        .map_err(|e| Failure::new(EXIT_SERVICE, format!("cannot encode the description: {e}")))?;
    let mut out = Out::new();
    out.line(&text)?;
    out.finish()
}

/// Removes the `null` members DynamoDB did not send.
fn drop_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// `S`, `N` or `B` (any case).
fn scalar_type(args: &Args, text: &str, context: &str) -> Result<ScalarType, Failure> {
    ScalarType::from_tag(&text.to_ascii_uppercase()).ok_or_else(|| {
        args.usage(format!(
            "{context}: `{text}` is not a key type (use S, N or B)"
        ))
    })
}

/// `NAME:TYPE`.
fn key_attribute(args: &Args, flag: &str, text: &str) -> Result<KeyAttribute, Failure> {
    match text.split(':').collect::<Vec<_>>()[..] {
        [name, ty] if !name.is_empty() => Ok(KeyAttribute::new(
            name,
            scalar_type(args, ty, &format!("--{flag} {text}"))?,
        )),
        _ => Err(args.usage(format!(
            "--{flag} {text}: expected NAME:TYPE, e.g. username:S"
        ))),
    }
}

/// `all`, `keys-only` or `include=a,b`.
fn projection(args: &Args, context: &str, text: &str) -> Result<Projection, Failure> {
    let lower = text.to_ascii_lowercase();
    match lower.as_str() {
        "all" => return Ok(Projection::All),
        "keys-only" | "keys_only" => return Ok(Projection::KeysOnly),
        _ => {}
    }
    if let Some(list) = lower
        .strip_prefix("include=")
        .map(|_| &text["include=".len()..])
    {
        let names: Vec<String> = list.split(',').map(|s| s.trim().to_owned()).collect();
        if names.iter().all(|n| !n.is_empty()) {
            return Ok(Projection::Include(names));
        }
    }
    Err(args.usage(format!(
        "{context}: `{text}` is not a projection (use all, keys-only or include=ATTR,ATTR)"
    )))
}

/// `NAME:RANGE:TYPE[:PROJECTION]`.
fn local_index(args: &Args, text: &str) -> Result<LocalIndex, Failure> {
    let context = format!("--lsi {text}");
    let parts: Vec<&str> = text.split(':').collect();
    let (name, range, ty, proj) = match parts[..] {
        [name, range, ty] => (name, range, ty, None),
        [name, range, ty, proj] => (name, range, ty, Some(proj)),
        _ => {
            return Err(args.usage(format!(
                "{context}: expected NAME:RANGE_ATTR:TYPE[:PROJECTION]"
            )))
        }
    };
    if name.is_empty() || range.is_empty() {
        return Err(args.usage(format!("{context}: empty index or attribute name")));
    }
    let projection = match proj {
        Some(p) => projection(args, &context, p)?,
        None => Projection::All,
    };
    Ok(LocalIndex::new(
        name,
        (range, scalar_type(args, ty, &context)?),
        projection,
    ))
}

/// `NAME:HASH:TYPE[:RANGE:TYPE][:PROJECTION]`; told apart by the count.
fn global_index(args: &Args, text: &str) -> Result<GlobalIndex, Failure> {
    let context = format!("--gsi {text}");
    let parts: Vec<&str> = text.split(':').collect();
    let (name, hash, range, proj) = match parts[..] {
        [name, h, ht] => (name, (h, ht), None, None),
        [name, h, ht, p] => (name, (h, ht), None, Some(p)),
        [name, h, ht, r, rt] => (name, (h, ht), Some((r, rt)), None),
        [name, h, ht, r, rt, p] => (name, (h, ht), Some((r, rt)), Some(p)),
        _ => {
            return Err(args.usage(format!(
                "{context}: expected NAME:HASH_ATTR:TYPE[:RANGE_ATTR:TYPE][:PROJECTION]"
            )))
        }
    };
    if name.is_empty() || hash.0.is_empty() || range.is_some_and(|r| r.0.is_empty()) {
        return Err(args.usage(format!("{context}: empty index or attribute name")));
    }
    let hash = KeyAttribute::new(hash.0, scalar_type(args, hash.1, &context)?);
    let schema = match range {
        Some((r, rt)) => KeySchema::hash_range(hash, (r, scalar_type(args, rt, &context)?)),
        None => KeySchema::hash(hash),
    };
    let projection = match proj {
        Some(p) => projection(args, &context, p)?,
        None => Projection::All,
    };
    Ok(GlobalIndex::new(name, schema, projection))
}

/// `dynamo create-table TABLE --hash NAME:TYPE ...`
pub fn create_table(mut args: Args) -> Result<(), Failure> {
    let mut positional = Vec::new();
    let (mut hash, mut range) = (None, None);
    let mut billing: Option<String> = None;
    let (mut read, mut write): (Option<u64>, Option<u64>) = (None, None);
    let mut indexes: Vec<SecondaryIndex> = Vec::new();
    let mut wait = true;
    let mut stream: Option<StreamViewType> = None;
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(v) => positional.push(v),
            Arg::Flag(f) => match f.as_str() {
                "stream" => {
                    let v = args.value("stream")?;
                    stream = Some(stream_view(&args, &v)?);
                }
                "hash" => {
                    let v = args.value("hash")?;
                    hash = Some(key_attribute(&args, "hash", &v)?);
                }
                "range" => {
                    let v = args.value("range")?;
                    range = Some(key_attribute(&args, "range", &v)?);
                }
                "billing" => billing = Some(args.value("billing")?),
                "read" => read = Some(args.parsed("read", "a whole number")?),
                "write" => write = Some(args.parsed("write", "a whole number")?),
                "lsi" => {
                    let v = args.value("lsi")?;
                    indexes.push(local_index(&args, &v)?.into());
                }
                "gsi" => {
                    let v = args.value("gsi")?;
                    indexes.push(global_index(&args, &v)?.into());
                }
                "no-wait" => wait = false,
                _ => return Err(args.unexpected(Arg::Flag(f))),
            },
        }
    }
    let [table] = args.positionals(positional, ["TABLE"])?;
    let hash = hash.ok_or_else(|| args.usage("missing --hash NAME:TYPE"))?;
    let schema = KeySchema { hash, range };
    let provisioned = match billing.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => read.is_some() || write.is_some(),
        Some("provisioned") => true,
        Some("on-demand" | "on_demand" | "pay-per-request" | "pay_per_request") => {
            if read.is_some() || write.is_some() {
                return Err(args.usage("--read and --write need provisioned billing"));
            }
            false
        }
        Some(other) => {
            return Err(args.usage(format!("--billing {other}: use on-demand or provisioned")))
        }
    };
    let capacity = if provisioned {
        match (read, write) {
            (Some(r), Some(w)) => Capacity::provisioned(r, w),
            _ => return Err(args.usage("provisioned billing needs both --read N and --write N")),
        }
    } else {
        Capacity::on_demand()
    };
    if schema.range.is_none()
        && indexes
            .iter()
            .any(|i| matches!(i, SecondaryIndex::Local(_)))
    {
        return Err(args.usage("--lsi needs a table with a --range key"));
    }
    if stream.is_some() && !wait {
        // The stream is turned on once the table is ACTIVE.
        return Err(args.usage("--stream waits for the table: drop --no-wait"));
    }
    let client = args.globals.client()?;
    let created = if wait {
        Table::create(&client, &table, schema, capacity, indexes)
    } else {
        Table::create_without_waiting(&client, &table, schema, capacity, indexes)
    };
    let created = created.map_err(on_table(&table))?;
    if let Some(view) = stream {
        created.enable_stream(view).map_err(on_table(&table))?;
    }
    Ok(())
}

/// `--stream VIEW`: what the table's stream records carry.
fn stream_view(args: &Args, value: &str) -> Result<StreamViewType, Failure> {
    match value.to_ascii_lowercase().replace('_', "-").as_str() {
        "new-and-old-images" => Ok(StreamViewType::NewAndOldImages),
        "new-image" => Ok(StreamViewType::NewImage),
        "old-image" => Ok(StreamViewType::OldImage),
        "keys-only" => Ok(StreamViewType::KeysOnly),
        _ => Err(args.usage(format!(
            "--stream {value}: use new-and-old-images, new-image, old-image or keys-only"
        ))),
    }
}

/// `dynamo delete-table TABLE`
pub fn delete_table(mut args: Args) -> Result<(), Failure> {
    let mut positional = Vec::new();
    let mut wait = true;
    while let Some(arg) = args.next()? {
        match arg {
            Arg::Value(v) => positional.push(v),
            Arg::Flag(f) if f == "no-wait" => wait = false,
            flag => return Err(args.unexpected(flag)),
        }
    }
    let [table] = args.positionals(positional, ["TABLE"])?;
    let client = args.globals.client()?;
    let result = if wait {
        Table::new(&client, &table).delete_table()
    } else {
        client
            .delete_table(&DeleteTableInput {
                table_name: table.clone(),
            })
            .map(drop)
    };
    result.map_err(on_table(&table))
}
