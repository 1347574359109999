//! Typed writes that never lose or corrupt data (issue 14), against
//! DynamoDB Local: one version rule on every write path, updates only on
//! existing items, one answer to "did my conditional write lose?", and
//! typed conditional writes.

use dynamo_blocking::{Capacity, DynamoItem, Error, TypedTable, Update};
use dynamo_tests::{client, unique_name, DropTable};

#[derive(DynamoItem, Debug, Clone, PartialEq)]
struct Order {
    #[dynamo(hash_key)]
    id: String,
    status: String,
    note: Option<String>,
    total: u64,
    #[dynamo(version)]
    version: u64,
}

fn order(id: &str) -> Order {
    Order {
        id: id.into(),
        status: "new".into(),
        note: None,
        total: 100,
        version: 0,
    }
}

fn table<T: dynamo_blocking::KeyedItem>(prefix: &str) -> (TypedTable<T>, DropTable) {
    let client = client();
    let name = unique_name(prefix);
    let guard = DropTable::new(&client, &name);
    let table = TypedTable::<T>::create_named(&client, &name, Capacity::on_demand()).unwrap();
    (table, guard)
}

/// Problem 1: A reads, B updates, A saves: A's save must lose, not erase
/// B's change.
#[test]
fn an_update_bumps_the_version_so_a_stale_save_loses() {
    let (orders, _guard) = table::<Order>("lostupdate");
    let mut first = order("o-1");
    orders.save(&mut first).unwrap();
    assert_eq!(first.version, 1);

    let mut a = orders.get(&first.key()).unwrap().unwrap();
    let b = orders
        .update(
            &first.key(),
            Update::new().set(Order::fields().status, "shipped"),
        )
        .send()
        .unwrap();
    assert_eq!(b.version, 2, "an update stores the next version");

    a.note = Some("gift wrap".into());
    let err = orders.save(&mut a).unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");
    assert!(
        matches!(&err, Error::VersionConflict { expected: 1, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("holds version 1"), "{err}");
    let stored = orders.get(&first.key()).unwrap().unwrap();
    assert_eq!(stored.status, "shipped", "B's change survives");
    assert_eq!(stored.note, None);

    // Re-read and save: fine.
    let mut fresh = stored;
    fresh.note = Some("gift wrap".into());
    orders.save(&mut fresh).unwrap();
    assert_eq!(fresh.version, 3);
}

/// Problem 2: items written by the batch writer with version 0 must be
/// saveable afterwards.
#[test]
fn batch_written_items_follow_the_version_rule() {
    let (orders, _guard) = table::<Order>("batchversion");
    orders
        .batch_write(|b| {
            b.put(&order("a"))?;
            b.put(&order("b"))
        })
        .unwrap();
    let mut a = orders.get(&order("a").key()).unwrap().unwrap();
    assert_eq!(a.version, 1, "version 0 means never stored: 1 is stored");
    a.status = "paid".into();
    orders.save(&mut a).unwrap();
    assert_eq!(a.version, 2);

    // An item stored with version 0 (as older releases did) counts as
    // never stored, so it can be saved once more.
    orders
        .table()
        .put_item(
            dynamo_blocking::item! { "id" => "legacy", "status" => "new", "total" => 1, "version" => 0 },
            dynamo_blocking::Overwrite::Yes,
        )
        .unwrap();
    let mut legacy = orders.get(&order("legacy").key()).unwrap().unwrap();
    assert_eq!(legacy.version, 0);
    orders.save(&mut legacy).unwrap();
    assert_eq!(legacy.version, 1);
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
struct Tiny {
    #[dynamo(hash_key)]
    id: String,
    #[dynamo(version)]
    version: Option<u8>,
}

#[test]
fn every_integer_type_follows_the_rule_and_overflow_is_refused_before_sending() {
    let (tinies, _guard) = table::<Tiny>("tinyversion");
    let mut t = Tiny {
        id: "t".into(),
        version: None,
    };
    tinies.save(&mut t).unwrap();
    assert_eq!(t.version, Some(1));
    tinies
        .put_new(&Tiny {
            id: "u".into(),
            version: Some(0),
        })
        .unwrap();
    // A version the field cannot hold is never stored.
    let mut full = Tiny {
        id: "t".into(),
        version: Some(255),
    };
    let err = tinies.save(&mut full).unwrap_err();
    assert!(matches!(err, Error::Convert(_)), "{err}");
    assert_eq!(full.version, Some(255));
    assert_eq!(tinies.get(&t.key()).unwrap().unwrap().version, Some(1));
    // put_new stores a new item: version 1, whatever the struct holds.
    tinies
        .put_new(&Tiny {
            id: "v".into(),
            version: Some(200),
        })
        .unwrap();
    let v = tinies.get(&TinyKey { id: "v".into() }).unwrap().unwrap();
    assert_eq!(v.version, Some(1));
}

/// Problem 3: an update of a missing key must not create a stub item.
#[test]
fn update_of_a_missing_key_is_not_found_and_writes_nothing() {
    let (orders, _guard) = table::<Order>("stubs");
    orders.put(&order("real")).unwrap();
    let missing = order("ghost").key();
    let err = orders
        .update(&missing, Update::new().set(Order::fields().status, "paid"))
        .send()
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    assert!(err.is_conditional_check_failed());
    assert!(orders.get(&missing).unwrap().is_none(), "no stub item");
    let all: Vec<Order> = orders.scan().into_iter().map(Result::unwrap).collect();
    assert_eq!(all.len(), 1, "scans still decode every item");

    // A false condition on an existing item is a condition failure, not
    // NotFound.
    let err = orders
        .update(
            &order("real").key(),
            Update::new().set(Order::fields().status, "paid"),
        )
        .condition(Order::fields().status.eq("cancelled"))
        .send()
        .unwrap_err();
    assert!(!matches!(err, Error::NotFound { .. }), "{err}");
    assert!(err.is_conditional_check_failed(), "{err}");

    // upsert creates, on purpose.
    #[derive(DynamoItem, Debug, PartialEq)]
    struct Counter {
        #[dynamo(hash_key)]
        id: String,
        hits: Option<u64>,
    }
    let (counters, _guard2) = table::<Counter>("upsert");
    let key = CounterKey { id: "home".into() };
    let c = counters
        .upsert(&key, Update::new().increment(Counter::fields().hits, 1))
        .send()
        .unwrap();
    assert_eq!(c.hits, Some(1));
    let c = counters
        .update(&key, Update::new().increment(Counter::fields().hits, 2))
        .send_returning_old()
        .unwrap();
    assert_eq!(c.hits, Some(1), "the item before");
    assert_eq!(counters.get(&key).unwrap().unwrap().hits, Some(3));
}

/// Problem 6: every lost conditional write answers
/// `is_conditional_check_failed()`, the specific variants kept.
#[test]
fn every_lost_conditional_write_says_so() {
    let (orders, _guard) = table::<Order>("condlost");
    let o = order("o");
    orders.put_new(&o).unwrap();

    let err = orders.put_new(&o).unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
    assert!(err.is_conditional_check_failed());

    let err = orders
        .table()
        .put_item(o.to_item().unwrap(), dynamo_blocking::Overwrite::No)
        .unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
    assert!(err.is_conditional_check_failed());

    let err = orders.put(&o).unwrap_err(); // version 0, but one is stored
    assert!(err.is_conditional_check_failed(), "{err}");

    let err = orders
        .delete_if(&o.key(), Order::fields().status.eq("paid"))
        .unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");

    let err = orders
        .update(
            &order("nobody").key(),
            Update::new().set(Order::fields().total, 1u64),
        )
        .send()
        .unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");
}

#[test]
fn typed_conditional_writes_return_typed_items() {
    let (orders, _guard) = table::<Order>("condtyped");
    let f = Order::fields();
    let mut o = order("o");
    orders.save(&mut o).unwrap();

    let mut paid = o.clone();
    paid.status = "paid".into();
    let old = orders.put_if(&paid, f.status.eq("new")).unwrap();
    assert_eq!(old, Some(o.clone()), "the replaced item, typed");
    let stored = orders.get(&o.key()).unwrap().unwrap();
    assert_eq!((stored.status.as_str(), stored.version), ("paid", 2));

    // put_if honours the version too: `paid` still holds version 1.
    let err = orders.put_if(&paid, f.status.eq("paid")).unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");

    // Atomic counter with a condition.
    let after = orders
        .update(&o.key(), Update::new().increment(f.total, 5u64))
        .condition(f.total.lt(1000u64))
        .send()
        .unwrap();
    assert_eq!((after.total, after.version), (105, 3));

    // delete_unchanged checks the version.
    let err = orders.delete_unchanged(&stored).unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");
    assert!(orders.get(&o.key()).unwrap().is_some());
    orders.delete_unchanged(&after).unwrap();
    let err = orders.delete_unchanged(&after).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");

    orders.put(&order("d")).unwrap();
    let gone = orders
        .delete_if(&order("d").key(), f.status.eq("new"))
        .unwrap();
    assert_eq!(gone.map(|o| o.version), Some(1));
    assert_eq!(
        orders
            .delete_if(&order("d").key(), f.note.not_exists())
            .unwrap(),
        None
    );
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
struct Post {
    #[dynamo(hash_key)]
    id: String,
    title: Option<String>,
    likes: u32,
    tags: std::collections::BTreeSet<String>,
    comments: Vec<String>,
}

/// Problem 5: typed field handles compare and update with the field's own
/// type (wrong types are compile errors, see dynamo-derive's
/// `compile_fail/field_value_types.rs`); right types match what they should.
#[test]
fn typed_conditions_and_collection_updates_match_stored_values() {
    let (posts, _guard) = table::<Post>("typedhandles");
    let f = Post::fields();
    for (id, likes, tag) in [("p1", 5, "rust"), ("p2", 150, "gift"), ("p3", 101, "gift")] {
        posts
            .put(&Post {
                id: id.into(),
                title: Some(format!("gift ideas {id}")),
                likes,
                tags: [tag.to_string()].into(),
                comments: vec![],
            })
            .unwrap();
    }
    let mut hits: Vec<String> = posts
        .scan()
        .filter(
            f.likes
                .gt(100)
                .and(f.tags.contains("gift"))
                .and(f.title.begins_with("gift")),
        )
        .into_iter()
        .map(|p| p.unwrap().id)
        .collect();
    hits.sort();
    assert_eq!(hits, ["p2", "p3"]);

    let key = PostKey { id: "p1".into() };
    let p = posts
        .update(
            &key,
            Update::new()
                .increment(f.likes, 1)
                .add_members(f.tags, ["new", "rust"])
                .append(f.comments, ["first!"]),
        )
        .send()
        .unwrap();
    assert_eq!(p.likes, 6);
    assert_eq!(p.tags, ["new".to_string(), "rust".to_string()].into());
    assert_eq!(p.comments, ["first!"]);
    let p = posts
        .update(
            &key,
            Update::new()
                .delete_members(f.tags, ["new"])
                .append(f.comments, ["second"]),
        )
        .condition(f.comments.size().eq(1))
        .send()
        .unwrap();
    assert_eq!(p.tags, ["rust".to_string()].into());
    assert_eq!(p.comments, ["first!", "second"]);
}
