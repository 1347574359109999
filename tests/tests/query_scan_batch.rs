//! Queries, scans, parallel scans, batch gets and batch writes against
//! DynamoDB Local: paging, limits, order, indexes, filters, resume points,
//! exactly-once delivery.

use std::collections::BTreeSet;
use std::sync::Mutex;

use dynamo_blocking::{
    attr, item, key, Attributes, Capacity, Client, Error, GlobalIndex, KeySchema, LocalIndex,
    ParallelScan, ScalarType, SecondaryIndex, Table,
};
use dynamo_tests::{client, unique_name, DropTable};

/// The seed's query table: hash `account_type`, range `last_name`, an LSI on
/// `date_joined` and a GSI on `email`.
fn users(client: &Client) -> (Table, DropTable) {
    let name = unique_name("qusers");
    let guard = DropTable::new(client, &name);
    let indexes: Vec<SecondaryIndex> = vec![
        LocalIndex::all("DateJoinedIndex", ("date_joined", ScalarType::N)).into(),
        GlobalIndex::all("EmailIndex", KeySchema::hash(("email", ScalarType::S))).into(),
    ];
    let table = Table::create(
        client,
        &name,
        KeySchema::hash_range(
            ("account_type", ScalarType::S),
            ("last_name", ScalarType::S),
        ),
        Capacity::on_demand(),
        indexes,
    )
    .unwrap();
    (table, guard)
}

fn seed_users(table: &Table) {
    table
        .batch_write(|b| {
            for (last, first, joined, email) in [
                ("Doe", "John", 300, Some("john@example.com")),
                ("Dole", "Bob", 100, None),
                ("Dorian", "Jane", 200, Some("jane@example.com")),
                ("Smith", "Alice", 400, Some("alice@example.com")),
            ] {
                let mut user = item! { "account_type" => "standard_user", "last_name" => last, "first_name" => first, "date_joined" => joined };
                if let Some(e) = email {
                    user.insert("email", e);
                }
                b.put_item(user)?;
            }
            b.put_item(item! { "account_type" => "admin", "last_name" => "Root", "first_name" => "George", "date_joined" => 50, "email" => "g@example.com" })
        })
        .unwrap();
}

fn first_names(
    items: impl IntoIterator<Item = Result<dynamo_blocking::Item, Error>>,
) -> Vec<String> {
    items
        .into_iter()
        .map(|i| i.unwrap().get_as::<String>("first_name").unwrap())
        .collect()
}

#[test]
fn query_by_prefix_in_order_and_reversed_with_limit() {
    let client = client();
    let (users, _guard) = users(&client);
    seed_users(&users);
    let with_d = users
        .query()
        .key_eq("account_type", "standard_user")
        .key_begins_with("last_name", "D");
    assert_eq!(first_names(with_d.clone()), ["John", "Bob", "Jane"]);
    assert_eq!(first_names(with_d.reverse().limit(2)), ["Jane", "Bob"]);
}

#[test]
fn a_limit_spanning_pages_stops_exactly_and_fetches_no_extra_page() {
    let client = client();
    let name = unique_name("paged");
    let _guard = DropTable::new(&client, &name);
    let table = Table::create(
        &client,
        &name,
        KeySchema::hash_range(("pk", ScalarType::S), ("n", ScalarType::N)),
        Capacity::on_demand(),
        Vec::<SecondaryIndex>::new(),
    )
    .unwrap();
    table
        .batch_write(|b| {
            (0..20).try_for_each(|n| b.put_item(item! { "pk" => "p", "n" => n, "v" => n }))
        })
        .unwrap();
    let before = client.requests_sent("Query");
    let mut items = table
        .query()
        .key_eq("pk", "p")
        .page_size(3)
        .limit(7)
        .into_iter();
    let got: Vec<i64> = items
        .by_ref()
        .map(|i| i.unwrap().get_as("n").unwrap())
        .collect();
    assert_eq!(got, (0..7).collect::<Vec<_>>());
    assert_eq!(items.pages_fetched(), 3, "pages of 3, 3 and 1");
    assert_eq!(client.requests_sent("Query") - before, 3);

    // Without a limit every page is followed.
    let all: Vec<i64> = table
        .query()
        .key_eq("pk", "p")
        .page_size(6)
        .into_iter()
        .map(|i| i.unwrap().get_as("n").unwrap())
        .collect();
    assert_eq!(all, (0..20).collect::<Vec<_>>());

    // count sums Select COUNT across pages.
    assert_eq!(
        table
            .query()
            .key_eq("pk", "p")
            .page_size(4)
            .count()
            .unwrap(),
        20
    );
    assert_eq!(
        table
            .query()
            .key_eq("pk", "p")
            .key_ge("n", 15)
            .count()
            .unwrap(),
        5
    );
    assert_eq!(
        table
            .query()
            .key_eq("pk", "p")
            .filter(attr("v").lt(3))
            .page_size(5)
            .count()
            .unwrap(),
        3
    );

    // Resume after any item: the rest, exactly.
    let mut first_part = table.query().key_eq("pk", "p").page_size(4).into_iter();
    let head: Vec<i64> = first_part
        .by_ref()
        .take(5)
        .map(|i| i.unwrap().get_as("n").unwrap())
        .collect();
    let resume = first_part.resume_key().expect("more to read");
    let rest: Vec<i64> = table
        .query()
        .key_eq("pk", "p")
        .start_from(resume)
        .into_iter()
        .map(|i| i.unwrap().get_as("n").unwrap())
        .collect();
    assert_eq!(head, [0, 1, 2, 3, 4]);
    assert_eq!(rest, (5..20).collect::<Vec<_>>());

    // Filtered-out pages are skipped, not mistaken for the end.
    let late: Vec<i64> = table
        .query()
        .key_eq("pk", "p")
        .filter(attr("v").ge(18))
        .page_size(2)
        .into_iter()
        .map(|i| i.unwrap().get_as("n").unwrap())
        .collect();
    assert_eq!(late, [18, 19]);
}

#[test]
fn local_and_global_index_queries() {
    let client = client();
    let (users, _guard) = users(&client);
    seed_users(&users);
    let recent = users
        .query()
        .index("DateJoinedIndex")
        .key_eq("account_type", "standard_user")
        .key_ge("date_joined", 200);
    assert_eq!(first_names(recent), ["Jane", "John", "Alice"]);
    let by_email = users
        .query()
        .index("EmailIndex")
        .key_eq("email", "jane@example.com");
    assert_eq!(first_names(by_email), ["Jane"]);
    // Resume keys on an index carry the index key too.
    let mut it = users
        .query()
        .index("DateJoinedIndex")
        .key_eq("account_type", "standard_user")
        .into_iter();
    it.next().unwrap().unwrap();
    let resume = it.resume_key().unwrap();
    assert!(
        resume.contains("date_joined") && resume.contains("last_name"),
        "{resume:?}"
    );
    let rest = users
        .query()
        .index("DateJoinedIndex")
        .key_eq("account_type", "standard_user")
        .start_from(resume);
    assert_eq!(first_names(rest), ["Jane", "John", "Alice"]);
}

#[test]
fn key_condition_mistakes_are_errors_before_any_request() {
    let client = client();
    let (users, _guard) = users(&client);
    let before = client.requests_sent("Query");
    let errors = [
        users
            .query()
            .key_eq("first_name", "John")
            .into_iter()
            .next(),
        users
            .query()
            .key_eq("account_type", "a")
            .key_eq("first_name", "John")
            .into_iter()
            .next(),
        users
            .query()
            .key_begins_with("account_type", "a")
            .into_iter()
            .next(),
        users
            .query()
            .index("DateJoinedIndex")
            .key_eq("account_type", "a")
            .key_begins_with("date_joined", 1)
            .into_iter()
            .next(),
        users
            .query()
            .index("NoSuchIndex")
            .key_eq("account_type", "a")
            .into_iter()
            .next(),
        users
            .query()
            .key_eq("account_type", f64::NAN)
            .into_iter()
            .next(),
    ];
    for e in errors {
        assert!(matches!(e, Some(Err(_))), "{e:?}");
    }
    assert_eq!(client.requests_sent("Query"), before);
}

/// One item per operator test; names chosen to be reserved words or odd.
fn filter_table(client: &Client) -> (Table, DropTable) {
    let name = unique_name("filters");
    let guard = DropTable::new(client, &name);
    let table = Table::create(
        client,
        &name,
        KeySchema::hash_range(("pk", ScalarType::S), ("id", ScalarType::N)),
        Capacity::on_demand(),
        Vec::<SecondaryIndex>::new(),
    )
    .unwrap();
    table
        .batch_write(|b| {
            b.put_item(item! { "pk" => "p", "id" => 1, "name" => "alpha", "status" => 10, "date" => "2024-01-01", "odd.name with space" => "x" })?;
            b.put_item(item! { "pk" => "p", "id" => 2, "name" => "beta", "status" => 20, "tags" => dynamo_blocking::AttributeValue::Ss(vec!["red".into()]) })?;
            b.put_item(item! { "pk" => "p", "id" => 3, "name" => "alphabet", "status" => 30, "tags" => dynamo_blocking::AttributeValue::Ss(vec!["blue".into()]) })
        })
        .unwrap();
    (table, guard)
}

#[test]
fn every_filter_operator_on_query_and_scan() {
    let client = client();
    let (table, _guard) = filter_table(&client);
    let cases = vec![
        (attr("name").eq("beta"), vec![2]),
        (attr("name").ne("beta"), vec![1, 3]),
        (attr("status").lt(20), vec![1]),
        (attr("status").le(20), vec![1, 2]),
        (attr("status").gt(20), vec![3]),
        (attr("status").ge(20), vec![2, 3]),
        (attr("date").exists(), vec![1]),
        (attr("date").not_exists(), vec![2, 3]),
        (attr("tags").contains("red"), vec![2]),
        (attr("name").contains("pha"), vec![1, 3]),
        // An item without `tags` does not contain "red" either.
        (attr("tags").not_contains("red"), vec![1, 3]),
        (attr("name").begins_with("alp"), vec![1, 3]),
        (attr("status").is_in([10, 30]), vec![1, 3]),
        (attr("status").between(15, 30), vec![2, 3]),
        (attr("odd.name with space").eq("x"), vec![1]),
        (
            attr("name").eq("alpha").or(attr("status").eq(20)),
            vec![1, 2],
        ),
        (
            attr("name").begins_with("alp").and(attr("status").gt(10)),
            vec![3],
        ),
        (!attr("name").eq("alpha"), vec![2, 3]),
    ];
    for (condition, expected) in cases {
        let ids = |items: dynamo_blocking::Items| -> Vec<i64> {
            let mut v: Vec<i64> = items.map(|i| i.unwrap().get_as("id").unwrap()).collect();
            v.sort();
            v
        };
        let queried = ids(table
            .query()
            .key_eq("pk", "p")
            .filter(condition.clone())
            .into_iter());
        let scanned = ids(table.scan().filter(condition.clone()).into_iter());
        assert_eq!(queried, expected, "query {condition:?}");
        assert_eq!(scanned, expected, "scan {condition:?}");
    }
}

#[test]
fn scans_page_limit_project_and_resume() {
    let client = client();
    let (table, _guard) = filter_table(&client);
    let names: BTreeSet<String> = table
        .scan()
        .page_size(1)
        .into_iter()
        .map(|i| i.unwrap().get_as("name").unwrap())
        .collect();
    assert_eq!(names.len(), 3);
    assert_eq!(table.scan().limit(2).into_iter().count(), 2);
    let projected = table
        .scan()
        .attributes(["name"])
        .limit(1)
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(projected.attributes().names().collect::<Vec<_>>(), ["name"]);
    let mut it = table.scan().page_size(2).into_iter();
    let first = it.next().unwrap().unwrap();
    let rest: Vec<_> = table
        .scan()
        .start_from(it.resume_key().unwrap())
        .into_iter()
        .map(|i| i.unwrap())
        .collect();
    assert_eq!(rest.len(), 2);
    assert!(rest.iter().all(|i| i.attributes() != first.attributes()));
    let seg: usize = (0..3)
        .map(|s| table.scan().segment(s, 3).into_iter().count())
        .sum();
    assert_eq!(seg, 3);
    assert!(matches!(
        table.scan().segment(3, 3).into_iter().next(),
        Some(Err(_))
    ));
}

/// The `id`s a parallel scan's `for_each` sees, sorted.
fn ids_seen_by_for_each(scan: ParallelScan) -> Vec<i64> {
    let seen = Mutex::new(Vec::new());
    scan.for_each(|item| -> Result<(), Error> {
        seen.lock().unwrap().push(item.get_as::<i64>("id")?);
        Ok(())
    })
    .unwrap();
    let mut seen = seen.into_inner().unwrap();
    seen.sort();
    seen
}

fn numbered_table(client: &Client, count: i64) -> (Table, DropTable) {
    let name = unique_name("numbered");
    let guard = DropTable::new(client, &name);
    let table = Table::create(
        client,
        &name,
        KeySchema::hash(("id", ScalarType::N)),
        Capacity::on_demand(),
        Vec::<SecondaryIndex>::new(),
    )
    .unwrap();
    table
        .batch_write(|b| {
            (0..count)
                .try_for_each(|i| b.put_item(item! { "id" => i, "payload" => format!("item {i}") }))
        })
        .unwrap();
    (table, guard)
}

#[test]
fn parallel_scans_deliver_every_item_exactly_once() {
    let client = client();
    let (table, _guard) = numbered_table(&client, 300);
    for segments in [3, 8] {
        let seen = ids_seen_by_for_each(table.scan().page_size(25).parallel(segments));
        assert_eq!(
            seen,
            (0..300).collect::<Vec<_>>(),
            "{segments} segments, callback"
        );

        let mut ids: Vec<i64> = table
            .scan()
            .page_size(25)
            .parallel(segments)
            .buffer(7)
            .into_iter()
            .map(|i| i.unwrap().get_as("id").unwrap())
            .collect();
        ids.sort();
        assert_eq!(
            ids,
            (0..300).collect::<Vec<_>>(),
            "{segments} segments, iterator"
        );
    }
}

#[test]
fn a_scan_counts_matching_items_across_pages() {
    let client = client();
    let (table, _guard) = numbered_table(&client, 100);
    let before = client.requests_sent("Scan");
    let below_50 = table
        .scan()
        .page_size(10)
        .filter(attr("id").lt(50))
        .count()
        .unwrap();
    assert_eq!(below_50, 50);
    assert!(
        client.requests_sent("Scan") - before >= 10,
        "one request per page"
    );
    assert_eq!(table.scan().limit(7).count().unwrap(), 7);
}

#[test]
fn a_limit_on_a_parallel_scan_is_the_limit_of_the_whole_scan() {
    let client = client();
    let (table, _guard) = numbered_table(&client, 100);
    let scan = || table.scan().page_size(10).limit(25).parallel(4);
    let mut ids: Vec<i64> = scan()
        .into_iter()
        .map(|i| i.unwrap().get_as("id").unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 25, "iterator: {ids:?}");

    let mut seen = ids_seen_by_for_each(scan());
    seen.dedup();
    assert_eq!(seen.len(), 25, "for_each: {seen:?}");
}

#[test]
fn a_failing_callback_stops_the_parallel_scan_with_its_error() {
    let client = client();
    let (table, _guard) = numbered_table(&client, 100);
    // The callback's own error type comes back as it is.
    #[derive(Debug, PartialEq)]
    enum Stop {
        At(i64),
        Scan(String),
    }
    impl From<Error> for Stop {
        fn from(e: Error) -> Self {
            Stop::Scan(e.to_string())
        }
    }
    let err = table
        .scan()
        .page_size(10)
        .parallel(4)
        .for_each(
            |item| match item.get_as::<i64>("id").map_err(Error::from)? {
                42 => Err(Stop::At(42)),
                _ => Ok(()),
            },
        )
        .unwrap_err();
    assert_eq!(err, Stop::At(42));
    // Dropping a half-read iterator stops and joins its threads.
    let mut it = table.scan().page_size(5).parallel(4).buffer(1).into_iter();
    it.next().unwrap().unwrap();
    drop(it);
}

#[test]
fn batch_get_reads_250_keys_lazily_with_missing_and_duplicates() {
    let client = client();
    let (table, _guard) = numbered_table(&client, 200);
    // 0..250 (50 missing), plus 30 duplicates.
    let keys: Vec<Attributes> = (0..250).chain(10..40).map(|i| key! { "id" => i }).collect();
    let before = client.requests_sent("BatchGetItem");
    let batch = table.batch_get(keys).consistent_read();
    assert_eq!(
        client.requests_sent("BatchGetItem"),
        before,
        "no request until iterated"
    );
    let mut ids: Vec<i64> = batch
        .into_iter()
        .map(|i| i.unwrap().get_as("id").unwrap())
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        (0..200).collect::<Vec<_>>(),
        "each found key once, missing ones absent"
    );
    assert_eq!(
        client.requests_sent("BatchGetItem") - before,
        3,
        "250 distinct keys: 100 + 100 + 50"
    );

    let projected: Vec<_> = table
        .batch_get([key! { "id" => 7 }])
        .attributes(["payload"])
        .into_iter()
        .collect();
    assert_eq!(
        projected[0].as_ref().unwrap().attributes(),
        &item! { "payload" => "item 7" }
    );
    assert!(matches!(
        table.batch_get([key! { "nope" => 1 }]).into_iter().next(),
        Some(Err(Error::Key(_)))
    ));
}

#[test]
fn batch_write_of_1000_puts_and_deletes_reads_back() {
    let client = client();
    let name = unique_name("bulk");
    let _guard = DropTable::new(&client, &name);
    let table = Table::create(
        &client,
        &name,
        KeySchema::hash(("id", ScalarType::N)),
        Capacity::on_demand(),
        Vec::<SecondaryIndex>::new(),
    )
    .unwrap();
    let before = client.requests_sent("BatchWriteItem");
    table
        .batch_write(|b| -> Result<(), Error> {
            for i in 0..1000 {
                b.put_item(item! { "id" => i, "v" => "first" })?;
            }
            // Deleting a key already queued flushes first: never two in one request.
            for i in (0..1000).step_by(4) {
                b.delete_item(key! { "id" => i })?;
            }
            b.put_item(item! { "id" => 1, "v" => "second" })?;
            Ok(())
        })
        .unwrap();
    let sent = client.requests_sent("BatchWriteItem") - before;
    assert!(
        (50..=52).contains(&sent),
        "1,251 writes are about 51 requests, sent {sent}"
    );
    let mut stored: Vec<(i64, String)> = table
        .scan()
        .consistent_read()
        .into_iter()
        .map(|i| {
            let i = i.unwrap();
            (i.get_as("id").unwrap(), i.get_as("v").unwrap())
        })
        .collect();
    stored.sort();
    let expected: Vec<(i64, String)> = (0..1000)
        .filter(|i| i % 4 != 0)
        .map(|i| {
            (
                i,
                if i == 1 {
                    "second".to_string()
                } else {
                    "first".to_string()
                },
            )
        })
        .collect();
    assert_eq!(stored, expected);
}

#[test]
fn batch_write_rejects_bad_items_before_sending() {
    let client = client();
    let (table, _guard) = numbered_table(&client, 0);
    let before = client.requests_sent("BatchWriteItem");
    let big = "x".repeat(401 * 1024);
    let err = table
        .batch_write(|b| b.put_item(item! { "id" => 1, "blob" => big }))
        .unwrap_err();
    assert!(matches!(err, Error::ItemTooLarge { .. }), "{err}");
    let err = table
        .batch_write(|b| b.put_item(item! { "id" => "not a number" }))
        .unwrap_err();
    assert!(matches!(err, Error::Key(_)), "{err}");
    assert_eq!(client.requests_sent("BatchWriteItem"), before);
}
