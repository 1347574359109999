//! The same walkthrough with `#[derive(DynamoItem)]` and `TypedTable`.

use std::collections::BTreeSet;
use std::error::Error;

use dynamo_blocking::{Capacity, Client, DynamoItem, TypedTable, Update};

use crate::connect::Cleanup;
use crate::{section, step};

/// The seed's query table, as a struct.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "users", rename_all = "snake_case")]
#[dynamo(local_index(name = "DateJoinedIndex", range = "date_joined", projection = "all"))]
struct User {
    #[dynamo(hash_key)]
    account_type: String,
    #[dynamo(range_key)]
    last_name: String,
    first_name: Option<String>,
    date_joined: i64,
    email: Option<String>,
    tags: BTreeSet<String>,
}

fn user(last: &str, first: &str, joined: i64, email: Option<&str>) -> User {
    User {
        account_type: "standard_user".into(),
        last_name: last.into(),
        first_name: Some(first.into()),
        date_joined: joined,
        email: email.map(Into::into),
        tags: BTreeSet::new(),
    }
}

fn first_names(
    users: impl IntoIterator<Item = Result<User, dynamo_blocking::Error>>,
) -> Result<String, Box<dyn Error>> {
    let mut out = Vec::new();
    for user in users {
        out.push(user?.first_name.unwrap_or_default());
    }
    Ok(format!("{out:?}"))
}

pub fn run(client: &Client, prefix: &str, cleanup: &Cleanup) -> Result<(), Box<dyn Error>> {
    section("Creating a New Table (derive)");
    let name = format!("{prefix}-typed-users");
    cleanup.track(&name);
    let users = TypedTable::<User>::create_named(client, &name, Capacity::on_demand())?;
    step(
        "TypedTable::<User>::create_named: schema and DateJoinedIndex from the struct",
        users.table().name(),
    );

    section("Using an Existing Table (derive)");
    let existing = TypedTable::<User>::named(client, &name);
    step(
        "TypedTable::named (schema from the struct, no DescribeTable)",
        existing.table().name(),
    );

    section("Creating a New Item (derive)");
    let mut john = user("Doe", "John", 300, Some("john@example.com"));
    john.tags.insert("admin".into());
    users.put(&john)?;
    step("users.put(&john)", "ok");

    section("Getting an Item & Accessing Data (derive)");
    let got = users.get(&john.key())?.ok_or("john is missing")?;
    step("users.get(&john.key())", format!("{got:?}"));

    section("Updating an Item (derive)");
    let updated = users
        .update(
            &john.key(),
            Update::new().set(User::fields().first_name, "Johann"),
        )
        .send()?;
    step(
        "users.update(first_name = Johann)",
        updated.first_name.unwrap_or_default(),
    );

    section("Batch Writing (derive)");
    users.batch_write(|b| {
        b.put(&user("Dole", "Bob", 100, None))?;
        b.put(&user("Dorian", "Jane", 200, Some("jane@example.com")))?;
        b.put(&user("Smith", "Alice", 400, Some("alice@example.com")))
    })?;
    step("batch_write of three users", "ok");

    section("Querying (derive)");
    step(
        "query(\"standard_user\").range_begins_with(\"D\")",
        first_names(users.query("standard_user").range_begins_with("D"))?,
    );
    step(
        "...reverse().limit(2)",
        first_names(
            users
                .query("standard_user")
                .range_begins_with("D")
                .reverse()
                .limit(2),
        )?,
    );
    step(
        "query_index(DateJoinedIndex).range_ge(200)",
        first_names(
            users
                .query_index("DateJoinedIndex", "standard_user")
                .range_ge(200),
        )?,
    );
    step(
        "scan().filter(User::fields().email.exists())",
        first_names(users.scan().filter(User::fields().email.exists()))?,
    );

    section("Parallel Scan (derive)");
    let count = std::sync::atomic::AtomicUsize::new(0);
    users
        .scan()
        .parallel_for_each(3, |_user| -> Result<(), dynamo_blocking::Error> {
            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(())
        })?;
    step("scan().parallel_for_each(3, ...) users", count.into_inner());

    section("Batch Reading (derive)");
    let keys = ["Doe", "Smith", "Nobody"].map(|last| UserKey {
        account_type: "standard_user".into(),
        last_name: last.into(),
    });
    step(
        "batch_get(Doe, Smith, Nobody)",
        first_names(users.batch_get(keys))?,
    );

    section("Deleting an Item (derive)");
    users.delete(&john.key())?;
    step(
        "users.delete(&john.key()), get is None",
        users.get(&john.key())?.is_none(),
    );

    section("Deleting a Table (derive)");
    users.delete_table()?;
    step("users.delete_table()", "ok");
    Ok(())
}
