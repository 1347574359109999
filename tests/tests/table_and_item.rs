//! The seed's Table and Item against DynamoDB Local: create, lazy and
//! explicit schemas, put/get/delete, and the three saves.

use std::time::Duration;

use dynamo_blocking::{
    attr, item, key, AttributeValue, Capacity, Error, GlobalIndex, KeySchema, LocalIndex,
    Overwrite, ReadOptions, ScalarType, SecondaryIndex, Table, Throughput,
};
use dynamo_tests::{client, unique_name, DropTable};

fn users_schema() -> KeySchema {
    KeySchema::hash(("username", ScalarType::S))
}

/// A fresh `users`-like table keyed by username, deleted at the end.
fn users_table() -> (Table, DropTable) {
    let client = client();
    let name = unique_name("users");
    let guard = DropTable::new(&client, &name);
    let table = Table::create(
        &client,
        &name,
        users_schema(),
        Capacity::on_demand(),
        Vec::<SecondaryIndex>::new(),
    )
    .unwrap();
    (table, guard)
}

fn john() -> dynamo_blocking::Attributes {
    item! { "username" => "johndoe", "first_name" => "John", "last_name" => "Doe", "age" => 31 }
}

#[test]
fn create_with_local_and_global_indexes_then_describe_shows_them() {
    let client = client();
    let name = unique_name("indexed");
    let _guard = DropTable::new(&client, &name);
    let schema = KeySchema::hash_range(
        ("account_type", ScalarType::S),
        ("last_name", ScalarType::S),
    );
    let indexes: Vec<SecondaryIndex> = vec![
        LocalIndex::all("DateJoinedIndex", ("date_joined", ScalarType::N)).into(),
        LocalIndex::keys_only("KeysIndex", ("first_name", ScalarType::S)).into(),
        LocalIndex::include("IncludeIndex", ("email", ScalarType::S), ["first_name"]).into(),
        GlobalIndex::all("EmailIndex", KeySchema::hash(("email", ScalarType::S)))
            .with_throughput(3, 4)
            .into(),
    ];
    let table = Table::create(
        &client,
        &name,
        schema.clone(),
        Capacity::provisioned(5, 15),
        indexes.clone(),
    )
    .unwrap();
    let description = table.describe().unwrap();
    assert_eq!(description.schema().unwrap(), schema);
    let mut found = description.indexes().unwrap();
    found.sort_by(|a, b| a.name().cmp(b.name()));
    let mut expected = indexes;
    expected.sort_by(|a, b| a.name().cmp(b.name()));
    assert_eq!(found, expected);
    assert_eq!(description.capacity(), Capacity::provisioned(5, 15));
}

#[test]
fn update_adds_and_deletes_a_global_index() {
    let client = client();
    let name = unique_name("gsiupdate");
    let _guard = DropTable::new(&client, &name);
    let table = Table::create(
        &client,
        &name,
        users_schema(),
        Capacity::provisioned(5, 5),
        Vec::<SecondaryIndex>::new(),
    )
    .unwrap();
    let index = GlobalIndex::keys_only("EmailIndex", KeySchema::hash(("email", ScalarType::S)))
        .with_throughput(2, 2);
    table.create_global_index(&index).unwrap();
    table.wait_until_active(Duration::from_secs(60)).unwrap();
    let meta = table.meta().unwrap();
    assert_eq!(meta.global_index("EmailIndex"), Some(&index));

    table
        .update_global_index("EmailIndex", Throughput { read: 4, write: 6 })
        .unwrap();
    table.wait_until_active(Duration::from_secs(60)).unwrap();
    let updated = table
        .meta()
        .unwrap()
        .global_index("EmailIndex")
        .cloned()
        .unwrap();
    assert_eq!(updated.throughput, Some(Throughput { read: 4, write: 6 }));

    table.delete_global_index("EmailIndex").unwrap();
    table.wait_until_active(Duration::from_secs(60)).unwrap();
    let remaining = table.indexes().unwrap();
    assert!(remaining.is_empty(), "{remaining:?}");
}

#[test]
fn lazy_and_explicit_tables_behave_the_same_and_lazy_describes_once() {
    let (created, _guard) = users_table();
    created.put_item(john(), Overwrite::Yes).unwrap();

    let lazy_client = client();
    let lazy = Table::new(&lazy_client, created.name());
    assert_eq!(
        lazy_client.requests_sent("DescribeTable"),
        0,
        "construction sends nothing"
    );
    let explicit_client = client();
    let explicit = Table::with_schema(
        &explicit_client,
        created.name(),
        users_schema(),
        Vec::<SecondaryIndex>::new(),
    );

    for table in [&lazy, &explicit] {
        let got = table
            .get_item(key! { "username" => "johndoe" })
            .unwrap()
            .unwrap();
        assert_eq!(got.attributes(), &john());
        assert!(table
            .get_item(key! { "username" => "nobody" })
            .unwrap()
            .is_none());
        assert!(table.has_item(key! { "username" => "johndoe" }).unwrap());
        assert!(matches!(
            table.get_item(key! { "user" => "johndoe" }),
            Err(Error::Key(_))
        ));
    }
    assert_eq!(lazy_client.requests_sent("DescribeTable"), 1);
    assert_eq!(explicit_client.requests_sent("DescribeTable"), 0);
}

#[test]
fn get_item_of_a_missing_key_is_none() {
    let (users, _guard) = users_table();
    assert!(users
        .get_item(key! { "username" => "ghost" })
        .unwrap()
        .is_none());
    assert!(!users.has_item(key! { "username" => "ghost" }).unwrap());
}

#[test]
fn put_item_without_overwrite_fails_on_an_existing_key() {
    let (users, _guard) = users_table();
    users.put_item(john(), Overwrite::No).unwrap();
    let err = users
        .put_item(
            item! { "username" => "johndoe", "first_name" => "Impostor" },
            Overwrite::No,
        )
        .unwrap_err();
    match &err {
        Error::AlreadyExists { key, .. } => assert_eq!(key, &key! { "username" => "johndoe" }),
        other => panic!("expected AlreadyExists, got {other:?}"),
    }
    assert!(err.to_string().contains("already exists"), "{err}");
    let stored = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    assert_eq!(stored.get_as::<String>("first_name").unwrap(), "John");

    users
        .put_item(
            item! { "username" => "johndoe", "first_name" => "Replaced" },
            Overwrite::Yes,
        )
        .unwrap();
    let stored = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.attributes(),
        &item! { "username" => "johndoe", "first_name" => "Replaced" }
    );
}

#[test]
fn keys_and_items_are_checked_before_any_request() {
    let (users, _guard) = users_table();
    let client = users.client().clone();
    let before = client.requests_sent("PutItem")
        + client.requests_sent("GetItem")
        + client.requests_sent("DeleteItem");
    assert!(matches!(
        users.put_item(item! { "first_name" => "NoKey" }, Overwrite::Yes),
        Err(Error::Key(_))
    ));
    assert!(matches!(
        users.put_item(item! { "username" => 7 }, Overwrite::Yes),
        Err(Error::Key(_))
    ));
    assert!(matches!(
        users.put_item(item! { "username" => "" }, Overwrite::Yes),
        Err(Error::Key(_))
    ));
    assert!(matches!(
        users.get_item(key! { "username" => "a", "extra" => 1 }),
        Err(Error::Key(_))
    ));
    assert!(matches!(
        users.delete_item(key! { "username" => 1 }),
        Err(Error::Key(_))
    ));
    let big = "x".repeat(410 * 1024);
    assert!(matches!(
        users.put_item(item! { "username" => "big", "blob" => big }, Overwrite::Yes),
        Err(Error::ItemTooLarge { .. })
    ));
    assert!(matches!(
        users.put_item(
            item! { "username" => "set", "tags" => AttributeValue::Ss(vec![]) },
            Overwrite::Yes
        ),
        Err(Error::Convert(_))
    ));
    let after = client.requests_sent("PutItem")
        + client.requests_sent("GetItem")
        + client.requests_sent("DeleteItem");
    assert_eq!(before, after, "no request for invalid input");
}

#[test]
fn save_writes_changes_and_fails_after_a_concurrent_change() {
    let (users, _guard) = users_table();
    users.put_item(john(), Overwrite::No).unwrap();

    let mut mine = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    mine.set("first_name", "Johann").unwrap();
    mine.set("whatever", "man, that's just like your opinion")
        .unwrap();
    mine.remove("last_name");
    assert!(mine.save().unwrap());
    assert!(!mine.is_dirty());
    let stored = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    assert_eq!(stored.attributes(), mine.attributes());
    assert!(!mine.save().unwrap(), "nothing to save: no request");

    // Another writer changes a field after we read.
    let mut theirs = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    let mut stale = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    theirs.set("age", 40).unwrap();
    theirs.save().unwrap();
    stale.set("first_name", "Stale").unwrap();
    let err = stale.save().unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");
    let stored = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.attributes(),
        theirs.attributes(),
        "the failed save wrote nothing"
    );

    // An attribute we add must still be absent: someone else added it first.
    let mut stale = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    let mut adder = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    adder.set("email", "john@example.com").unwrap();
    adder.save().unwrap();
    stale.set("email", "stale@example.com").unwrap();
    assert!(stale.save().unwrap_err().is_conditional_check_failed());
    let stored = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.get_as::<String>("email").unwrap(),
        "john@example.com"
    );
}

#[test]
fn save_overwrite_replaces_whatever_is_stored() {
    let (users, _guard) = users_table();
    users.put_item(john(), Overwrite::No).unwrap();
    let mut stale = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    let mut theirs = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    theirs.set("age", 40).unwrap();
    theirs.save().unwrap();
    stale.set("first_name", "Johann").unwrap();
    stale.save_overwrite().unwrap();
    let stored = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    assert_eq!(stored.attributes(), stale.attributes());
    assert_eq!(stored.get_as::<i64>("age").unwrap(), 31);
}

#[test]
fn partial_save_leaves_another_writers_untouched_fields_intact() {
    let (users, _guard) = users_table();
    users.put_item(john(), Overwrite::No).unwrap();
    let mut mine = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    let mut theirs = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    theirs.set("age", 40).unwrap();
    theirs.partial_save().unwrap();

    mine.set("first_name", "Johann").unwrap();
    mine.set("whatever", "new").unwrap();
    mine.remove("last_name");
    let client = users.client().clone();
    let puts = client.requests_sent("PutItem");
    assert!(mine.partial_save().unwrap());
    assert_eq!(
        client.requests_sent("PutItem"),
        puts,
        "partial_save never puts the whole item"
    );
    assert!(client.requests_sent("UpdateItem") > 0);
    let stored = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.attributes(),
        &item! { "username" => "johndoe", "first_name" => "Johann", "whatever" => "new", "age" => 40 }
    );

    // A touched field changed by someone else makes it fail, writing nothing.
    let mut stale = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    let mut other = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    other.set("first_name", "Other").unwrap();
    other.partial_save().unwrap();
    stale.set("first_name", "Stale").unwrap();
    stale.set("city", "Lisbon").unwrap();
    assert!(stale
        .partial_save()
        .unwrap_err()
        .is_conditional_check_failed());
    let stored = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    assert_eq!(stored.get_as::<String>("first_name").unwrap(), "Other");
    assert!(stored.get("city").is_none());
}

#[test]
fn new_items_are_saved_explicitly() {
    let (users, _guard) = users_table();
    let mut jane = users.new_item(item! { "username" => "jane", "first_name" => "Jane" });
    assert!(jane.is_dirty());
    assert!(
        users
            .get_item(key! { "username" => "jane" })
            .unwrap()
            .is_none(),
        "not saved yet"
    );
    assert!(jane.save().unwrap());
    assert!(users
        .get_item(key! { "username" => "jane" })
        .unwrap()
        .is_some());

    let mut partial = users.new_item(item! { "username" => "bob", "first_name" => "Bob" });
    assert!(partial.partial_save().unwrap());
    let bob = users
        .get_item(key! { "username" => "bob" })
        .unwrap()
        .unwrap();
    assert_eq!(
        bob.attributes(),
        &item! { "username" => "bob", "first_name" => "Bob" }
    );
}

#[test]
fn changing_a_key_of_a_read_item_is_an_error_at_save_time() {
    let (users, _guard) = users_table();
    users.put_item(john(), Overwrite::No).unwrap();
    let mut john = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    john.set("username", "someone_else").unwrap();
    assert!(matches!(john.save(), Err(Error::KeyChanged { attribute }) if attribute == "username"));
    assert!(matches!(john.partial_save(), Err(Error::KeyChanged { .. })));
    assert!(users
        .get_item(key! { "username" => "someone_else" })
        .unwrap()
        .is_none());
}

#[test]
fn items_are_map_like_and_iterate_pairs() {
    let (users, _guard) = users_table();
    users.put_item(john(), Overwrite::No).unwrap();
    let john = users
        .get_item(key! { "username" => "johndoe" })
        .unwrap()
        .unwrap();
    assert_eq!(john["first_name"].as_s(), Some("John"));
    let names: Vec<&str> = (&john).into_iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["age", "first_name", "last_name", "username"]);
    assert_eq!(john.get_as::<u8>("age").unwrap(), 31);
}

#[test]
fn get_item_with_projection_and_consistency() {
    let (users, _guard) = users_table();
    users.put_item(john(), Overwrite::No).unwrap();
    let got = users
        .get_item_with(
            key! { "username" => "johndoe" },
            &ReadOptions::new().consistent().attributes(["first_name"]),
        )
        .unwrap()
        .unwrap();
    assert_eq!(got.attributes(), &item! { "first_name" => "John" });
}

#[test]
fn deletes_by_item_by_key_and_with_a_condition() {
    let (users, _guard) = users_table();
    users
        .put_item(item! { "username" => "a", "balance" => 5 }, Overwrite::No)
        .unwrap();
    users
        .put_item(item! { "username" => "b" }, Overwrite::No)
        .unwrap();

    let err = users
        .delete_item_if(key! { "username" => "a" }, attr("balance").eq(0))
        .unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");
    assert!(users.has_item(key! { "username" => "a" }).unwrap());
    users
        .delete_item_if(key! { "username" => "a" }, attr("balance").eq(5))
        .unwrap();
    assert!(!users.has_item(key! { "username" => "a" }).unwrap());

    let b = users.get_item(key! { "username" => "b" }).unwrap().unwrap();
    b.delete().unwrap();
    assert!(!users.has_item(key! { "username" => "b" }).unwrap());
    users
        .delete_item(key! { "username" => "never-existed" })
        .unwrap();
}

#[test]
fn count_and_delete_the_table() {
    let client = client();
    let name = unique_name("counted");
    let _guard = DropTable::new(&client, &name);
    let table = Table::create(
        &client,
        &name,
        users_schema(),
        Capacity::on_demand(),
        Vec::<SecondaryIndex>::new(),
    )
    .unwrap();
    table.put_item(john(), Overwrite::No).unwrap();
    // DynamoDB refreshes ItemCount every ~6 hours; DynamoDB Local at once.
    assert_eq!(table.approximate_item_count().unwrap(), 1);
    table.delete_table().unwrap();
    assert!(client
        .describe_table(&name)
        .unwrap_err()
        .is_resource_not_found());
}
