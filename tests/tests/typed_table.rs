//! The seed's users example with `#[derive(DynamoItem)]` against DynamoDB
//! Local: typed create, put, get, queries, scans, batches, versions.

use std::collections::BTreeSet;
use std::sync::Mutex;

use dynamo_blocking::{Capacity, DynamoItem, DynamoValue, Error, TypedTable, Update};
use dynamo_tests::{client, unique_name, DropTable};

#[derive(DynamoValue, Debug, Clone, Copy, PartialEq, Eq)]
#[dynamo(rename_all = "snake_case")]
enum Plan {
    Free,
    Pro,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "users", rename_all = "snake_case")]
#[dynamo(local_index(name = "DateJoinedIndex", range = "date_joined", projection = "all"))]
#[dynamo(global_index(name = "EmailIndex", hash = "email", projection = "keys_only"))]
struct User {
    #[dynamo(hash_key)]
    account_type: String,
    #[dynamo(range_key)]
    last_name: String,
    first_name: Option<String>,
    date_joined: i64,
    #[dynamo(rename = "mail")]
    email: Option<String>,
    tags: BTreeSet<String>,
    plan: Plan,
    #[dynamo(skip)]
    cached: u32,
}

fn user(last: &str, first: &str, joined: i64, email: Option<&str>) -> User {
    User {
        account_type: "standard_user".into(),
        last_name: last.into(),
        first_name: Some(first.into()),
        date_joined: joined,
        email: email.map(Into::into),
        tags: BTreeSet::new(),
        plan: Plan::Free,
        cached: 0,
    }
}

fn users_table() -> (TypedTable<User>, DropTable) {
    let client = client();
    let name = unique_name("typedusers");
    let guard = DropTable::new(&client, &name);
    let users = TypedTable::<User>::create_named(&client, &name, Capacity::on_demand()).unwrap();
    (users, guard)
}

fn seed(users: &TypedTable<User>) {
    users
        .batch_write(|b| {
            b.put(&user("Doe", "John", 300, Some("john@example.com")))?;
            b.put(&user("Dole", "Bob", 100, None))?;
            b.put(&user("Dorian", "Jane", 200, Some("jane@example.com")))?;
            b.put(&user("Smith", "Alice", 400, Some("alice@example.com")))
        })
        .unwrap();
}

fn first_names(items: impl IntoIterator<Item = Result<User, Error>>) -> Vec<String> {
    items
        .into_iter()
        .map(|u| u.unwrap().first_name.unwrap())
        .collect()
}

#[test]
fn the_seed_walkthrough_typed() {
    let (users, _guard) = users_table();
    // Created with the struct's schema and indexes.
    let description = users.describe().unwrap();
    let mut index_names: Vec<String> = description
        .indexes()
        .unwrap()
        .iter()
        .map(|i| i.name().to_owned())
        .collect();
    index_names.sort();
    assert_eq!(index_names, ["DateJoinedIndex", "EmailIndex"]);

    let mut john = user("Doe", "John", 300, Some("john@example.com"));
    john.tags.insert("admin".into());
    john.plan = Plan::Pro;
    john.cached = 99;
    users.put(&john).unwrap();
    let stored = users
        .table()
        .get_item(dynamo_blocking::key! { "account_type" => "standard_user", "last_name" => "Doe" })
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.get_as::<String>("mail").unwrap(),
        "john@example.com",
        "renamed field"
    );
    assert!(stored.get("cached").is_none(), "skipped field");
    assert_eq!(stored.get_as::<String>("plan").unwrap(), "pro");

    let found = users.get(&john.key()).unwrap().unwrap();
    assert_eq!(
        found,
        User {
            cached: 0,
            ..john.clone()
        }
    );
    assert!(users
        .get(&UserKey {
            account_type: "standard_user".into(),
            last_name: "Nobody".into()
        })
        .unwrap()
        .is_none());

    seed(&users);
    assert_eq!(
        first_names(users.query("standard_user").range_begins_with("D")),
        ["John", "Bob", "Jane"]
    );
    assert_eq!(
        first_names(
            users
                .query("standard_user")
                .range_begins_with("D")
                .reverse()
                .limit(2)
        ),
        ["Jane", "Bob"]
    );
    assert_eq!(users.query("standard_user").count().unwrap(), 4);

    let recent = users
        .query_index("DateJoinedIndex", "standard_user")
        .range_ge(200);
    assert_eq!(first_names(recent), ["Jane", "John", "Alice"]);
    // The same through the index's typed partition: a local index allows
    // strongly consistent reads.
    let recent = users
        .query_by(User::date_joined_index("standard_user"))
        .range_ge(200)
        .consistent_read();
    assert_eq!(first_names(recent), ["Jane", "John", "Alice"]);

    // A keys-only global index: decode only works for what was projected,
    // so count is what we check.
    assert_eq!(
        users
            .query_index("EmailIndex", "jane@example.com")
            .count()
            .unwrap(),
        1
    );
    assert_eq!(
        users
            .query_by(User::email_index("jane@example.com"))
            .count()
            .unwrap(),
        1
    );

    let with_email = users.scan().filter(User::fields().email.exists());
    let mut names = first_names(with_email);
    names.sort();
    assert_eq!(names, ["Alice", "Jane", "John"]);

    let keys = vec![
        UserKey {
            account_type: "standard_user".into(),
            last_name: "Doe".into(),
        },
        UserKey {
            account_type: "standard_user".into(),
            last_name: "Smith".into(),
        },
        UserKey {
            account_type: "standard_user".into(),
            last_name: "Missing".into(),
        },
    ];
    let mut names = first_names(users.batch_get(keys));
    names.sort();
    assert_eq!(names, ["Alice", "John"]);

    let updated = users
        .update(
            &john.key(),
            Update::new().set(User::fields().first_name, "Johann"),
        )
        .send()
        .unwrap();
    assert_eq!(updated.first_name.as_deref(), Some("Johann"));

    users.delete(&john.key()).unwrap();
    assert!(users.get(&john.key()).unwrap().is_none());
    users
        .batch_write(|b| {
            b.delete(&UserKey {
                account_type: "standard_user".into(),
                last_name: "Dole".into(),
            })
        })
        .unwrap();
    assert_eq!(users.scan().into_iter().count(), 2);

    let seen = Mutex::new(Vec::new());
    users
        .scan()
        .parallel_for_each(3, |u| -> Result<(), Error> {
            seen.lock().unwrap().push(u.last_name);
            Ok(())
        })
        .unwrap();
    assert_eq!(seen.into_inner().unwrap().len(), 2);
    assert_eq!(users.scan().parallel(2).count(), 2);
}

#[test]
fn put_new_refuses_an_existing_key() {
    let (users, _guard) = users_table();
    let john = user("Doe", "John", 1, None);
    users.put_new(&john).unwrap();
    assert!(matches!(
        users.put_new(&john),
        Err(Error::AlreadyExists { .. })
    ));
}

#[test]
fn an_item_that_does_not_decode_is_an_error_for_that_item() {
    let (users, _guard) = users_table();
    users.put(&user("Doe", "John", 1, None)).unwrap();
    users
        .table()
        .put_item(
            dynamo_blocking::item! { "account_type" => "standard_user", "last_name" => "Broken", "date_joined" => 5, "first_name" => 42, "plan" => "free" },
            dynamo_blocking::Overwrite::Yes,
        )
        .unwrap();
    let results: Vec<Result<User, Error>> = users.query("standard_user").into_iter().collect();
    assert_eq!(results.len(), 2);
    let err = results[0].as_ref().unwrap_err().to_string();
    assert!(
        err.contains("User") && err.contains("first_name") && err.contains("expected S, found N"),
        "{err}"
    );
    assert!(results[1].is_ok(), "the next item still decodes");
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "documents")]
struct Document {
    #[dynamo(hash_key)]
    id: String,
    body: String,
    #[dynamo(version)]
    version: u64,
    #[dynamo(ttl)]
    expires_at: Option<i64>,
}

#[test]
fn a_version_conflict_fails_the_second_writer() {
    let client = client();
    let name = unique_name("versioned");
    let _guard = DropTable::new(&client, &name);
    let docs = TypedTable::<Document>::create_named(&client, &name, Capacity::on_demand()).unwrap();
    let ttl = client
        .describe_time_to_live(&dynamo_blocking::wire::DescribeTimeToLiveInput {
            table_name: name.clone(),
        })
        .unwrap();
    assert_eq!(
        ttl.time_to_live_description.attribute_name.as_deref(),
        Some("expires_at")
    );

    let mut doc = Document {
        id: "d1".into(),
        body: "draft".into(),
        version: 0,
        expires_at: None,
    };
    docs.save(&mut doc).unwrap();
    assert_eq!(doc.version, 1);
    // A second "new" document with the same key must not overwrite it.
    let mut imposter = Document {
        id: "d1".into(),
        body: "imposter".into(),
        version: 0,
        expires_at: None,
    };
    assert!(docs
        .save(&mut imposter)
        .unwrap_err()
        .is_conditional_check_failed());

    let mut alice = docs.get(&doc.key()).unwrap().unwrap();
    let mut bob = docs.get(&doc.key()).unwrap().unwrap();
    alice.body = "alice's edit".into();
    docs.save(&mut alice).unwrap();
    assert_eq!(alice.version, 2);
    bob.body = "bob's edit".into();
    let err = docs.save(&mut bob).unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");
    assert_eq!(
        bob.version, 1,
        "a failed save leaves the struct's version alone"
    );
    let stored = docs.get(&doc.key()).unwrap().unwrap();
    assert_eq!((stored.body.as_str(), stored.version), ("alice's edit", 2));
}
