//! The seed tutorial with dynamic items (`item!`, `Table`, `Item`).

use std::error::Error;
use std::time::{SystemTime, UNIX_EPOCH};

use dynamo_blocking::{
    attr, item, key, Capacity, Client, KeySchema, LocalIndex, Overwrite, ScalarType,
    SecondaryIndex, Table,
};

use crate::connect::Cleanup;
use crate::{section, step};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn names(
    items: impl IntoIterator<Item = Result<dynamo_blocking::Item, dynamo_blocking::Error>>,
) -> Result<String, Box<dyn Error>> {
    let mut out = Vec::new();
    for item in items {
        out.push(item?.get_as::<String>("first_name")?);
    }
    Ok(format!("{out:?}"))
}

pub fn run(client: &Client, prefix: &str, cleanup: &Cleanup) -> Result<(), Box<dyn Error>> {
    section("Creating a New Table");
    let users_name = format!("{prefix}-users");
    cleanup.track(&users_name);
    let users = Table::create(
        client,
        &users_name,
        KeySchema::hash(("username", ScalarType::S)),
        Capacity::provisioned(5, 5),
        Vec::<SecondaryIndex>::new(),
    )?;
    step("Table::create (simple: hash key `username`)", users.name());

    // The seed's "full example": a numeric hash key, a range key, 5/15
    // throughput and an all-attributes index. (boto's sample index named
    // only the hash key, which DynamoDB refuses for a local index; a local
    // index needs its own range key.)
    let full_name = format!("{prefix}-accounts");
    cleanup.track(&full_name);
    let accounts = Table::create(
        client,
        &full_name,
        KeySchema::hash_range(
            ("account_type", ScalarType::N),
            ("last_name", ScalarType::S),
        ),
        Capacity::provisioned(5, 15),
        [LocalIndex::all("EverythingIndex", ("date_joined", ScalarType::N)).into()],
    )?;
    let described = accounts.describe()?;
    step(
        "Table::create (full: hash+range, 5/15, EverythingIndex)",
        format!(
            "{} is {}, schema {:?}",
            accounts.name(),
            described.table_status.as_deref().unwrap_or("?"),
            described.schema()?.key_names().collect::<Vec<_>>()
        ),
    );

    section("Using an Existing Table");
    let lazy = Table::new(client, &users_name);
    step(
        "Table::new (lazy) describes itself on first need; schema",
        format!("{:?}", lazy.schema()?),
    );
    let efficient = Table::with_schema(
        client,
        &users_name,
        KeySchema::hash(("username", ScalarType::S)),
        Vec::<SecondaryIndex>::new(),
    );
    step(
        "Table::with_schema (efficient, no DescribeTable)",
        efficient.name(),
    );

    section("Creating a New Item");
    users.put_item(
        item! { "username" => "johndoe", "first_name" => "John", "last_name" => "Doe" },
        Overwrite::No,
    )?;
    step("put_item(johndoe)", "ok");
    let mut janedoe = users
        .new_item(item! { "username" => "janedoe", "first_name" => "Jane", "last_name" => "Doe" });
    step(
        "Item not saved yet, has_item(janedoe)",
        users.has_item(key! { "username" => "janedoe" })?,
    );
    step("janedoe.save()", janedoe.save()?);

    section("Getting an Item & Accessing Data");
    let mut johndoe = users
        .get_item(key! { "username" => "johndoe" })?
        .ok_or("johndoe is missing")?;
    step(
        "johndoe['first_name']",
        johndoe.get_as::<String>("first_name")?,
    );
    johndoe.set("first_name", "Johann")?;
    johndoe.remove("last_name");
    step("after set/remove in memory, is_dirty()", johndoe.is_dirty());
    step(
        "get_item(missing) is None",
        users.get_item(key! { "username" => "nobody" })?.is_none(),
    );

    section("Updating an Item");
    let mut johndoe = users
        .get_item(key! { "username" => "johndoe" })?
        .ok_or("johndoe is missing")?;
    johndoe.set("first_name", "Johann")?;
    johndoe.set("whatever", "man, that's just like your opinion")?;
    johndoe.remove("last_name");
    step(
        "save() (expects the item unchanged since read)",
        johndoe.save()?,
    );

    let mut stale = users
        .get_item(key! { "username" => "johndoe" })?
        .ok_or("johndoe is missing")?;
    let mut other = users
        .get_item(key! { "username" => "johndoe" })?
        .ok_or("johndoe is missing")?;
    other.set("first_name", "Jonathan")?;
    other.save()?;
    stale.set("first_name", "Stale")?;
    let refused = stale.save().map_err(|e| e.is_conditional_check_failed());
    step(
        "save() after another writer changed it: refused",
        refused == Err(true),
    );

    stale.save_overwrite()?;
    step(
        "save_overwrite() writes regardless",
        users
            .get_item(key! { "username" => "johndoe" })?
            .ok_or("missing")?
            .get_as::<String>("first_name")?,
    );

    let mut johndoe = users
        .get_item(key! { "username" => "johndoe" })?
        .ok_or("johndoe is missing")?;
    johndoe.set("first_name", "Johann")?;
    johndoe.set("whatever", "man, that's just like your opinion")?;
    johndoe.remove("last_name");
    step(
        "partial_save() sends only first_name/whatever/last_name",
        johndoe.partial_save()?,
    );

    section("Deleting an Item");
    johndoe.delete()?;
    step(
        "johndoe.delete(), has_item(johndoe)",
        users.has_item(key! { "username" => "johndoe" })?,
    );
    users.delete_item(key! { "username" => "janedoe" })?;
    step(
        "users.delete_item(janedoe), has_item(janedoe)",
        users.has_item(key! { "username" => "janedoe" })?,
    );

    section("Batch Writing");
    users.put_item(
        item! { "username" => "jane", "first_name" => "Jane" },
        Overwrite::Yes,
    )?;
    users.batch_write(|batch| {
        batch.put_item(item! { "username" => "anotherdoe", "first_name" => "Another", "last_name" => "Doe", "date_joined" => now() })?;
        batch.put_item(item! { "username" => "alice", "first_name" => "Alice", "date_joined" => now() })?;
        batch.delete_item(key! { "username" => "jane" })
    })?;
    step(
        "batch_write(put anotherdoe, put alice, delete jane)",
        format!(
            "alice exists: {}",
            users.has_item(key! { "username" => "alice" })?
        ),
    );
    let before = client.requests_sent("BatchWriteItem");
    users.batch_write(|batch| {
        (0..100)
            .try_for_each(|i| batch.put_item(item! { "username" => format!("bulk{i}"), "n" => i }))
    })?;
    step(
        "100 put_item calls became BatchWriteItem requests",
        client.requests_sent("BatchWriteItem") - before,
    );

    section("Querying");
    let query_name = format!("{prefix}-query-users");
    cleanup.track(&query_name);
    let users_q = Table::create(
        client,
        &query_name,
        KeySchema::hash_range(
            ("account_type", ScalarType::S),
            ("last_name", ScalarType::S),
        ),
        Capacity::provisioned(5, 5),
        [LocalIndex::all("DateJoinedIndex", ("date_joined", ScalarType::N)).into()],
    )?;
    let t = now();
    users_q.batch_write(|b| {
        b.put_item(item! { "account_type" => "standard_user", "last_name" => "Doe", "first_name" => "John", "date_joined" => t - 7200, "email" => "john@example.com", "is_owner" => 1 })?;
        b.put_item(item! { "account_type" => "standard_user", "last_name" => "Dole", "first_name" => "Bob", "date_joined" => t - 9000 })?;
        b.put_item(item! { "account_type" => "standard_user", "last_name" => "Dorian", "first_name" => "Jane", "date_joined" => t - 600 })?;
        b.put_item(item! { "account_type" => "standard_user", "last_name" => "Smith", "first_name" => "Alice", "date_joined" => t - 60 })?;
        b.put_item(item! { "account_type" => "admin", "last_name" => "Washington", "first_name" => "George", "date_joined" => t - 99999, "email" => "george@example.com", "is_owner" => 1 })
    })?;
    let names_with_d = users_q
        .query()
        .key_eq("account_type", "standard_user")
        .key_begins_with("last_name", "D");
    step("query(last_name begins with D)", names(names_with_d)?);
    let rev_with_d = users_q
        .query()
        .key_eq("account_type", "standard_user")
        .key_begins_with("last_name", "D")
        .reverse()
        .limit(2);
    step("...reverse().limit(2)", names(rev_with_d)?);
    let recent = users_q
        .query()
        .index("DateJoinedIndex")
        .key_eq("account_type", "standard_user")
        .key_ge("date_joined", t - 3600);
    step(
        "index DateJoinedIndex, joined within the last hour",
        names(recent)?,
    );
    step("scan() of all users", names(users_q.scan())?);
    let owners_with_emails = users_q
        .scan()
        .filter(attr("is_owner").eq(1).and(attr("email").exists()));
    step(
        "scan(is_owner = 1 and email exists)",
        names(owners_with_emails)?,
    );

    section("Parallel Scan");
    let seen = std::sync::Mutex::new(Vec::new());
    users_q
        .scan()
        .parallel(3)
        .for_each(|user| -> Result<(), dynamo_blocking::Error> {
            // The seed sends an email per user here; we collect the names.
            seen.lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(user.get_as::<String>("first_name")?);
            Ok(())
        })?;
    let mut seen = seen.into_inner().unwrap_or_default();
    seen.sort();
    step("scan().parallel(3).for_each(...) saw", format!("{seen:?}"));
    // The seed's hand-rolled version: one thread per segment.
    let total: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..3)
            .map(|segment| {
                let table = users_q.clone();
                scope.spawn(move || {
                    table
                        .scan()
                        .segment(segment, 3)
                        .into_iter()
                        .filter(Result::is_ok)
                        .count()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
    });
    step("three threads with scan().segment(i, 3) read", total);

    section("Batch Reading");
    let before = client.requests_sent("BatchGetItem");
    let many_users = users.batch_get(
        ["alice", "anotherdoe", "fred", "jane", "bulk7"].map(|u| key! { "username" => u }),
    );
    step(
        "batch_get(5 keys) before iterating, requests sent",
        client.requests_sent("BatchGetItem") - before,
    );
    let mut found = Vec::new();
    for user in many_users {
        found.push(user?.get_as::<String>("username")?);
    }
    found.sort();
    step(
        "after iterating (fred and jane do not exist)",
        format!(
            "{found:?} in {} request(s)",
            client.requests_sent("BatchGetItem") - before
        ),
    );

    section("Deleting a Table");
    users.delete_table()?;
    accounts.delete_table()?;
    users_q.delete_table()?;
    step(
        "users.delete(); the table exists",
        client.describe_table(&users_name).is_ok(),
    );
    Ok(())
}
