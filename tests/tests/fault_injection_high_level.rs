//! The high-level API through the fault proxy: the batch writer, batch get,
//! query and scan iterators, parallel scans and conditional saves. Each
//! scenario checks that nothing is lost and nothing duplicated, against
//! DynamoDB Local read directly.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use dynamo_blocking::{
    item, key, Capacity, Client, DynamoItem, Error, KeySchema, Overwrite, RetryPolicy, ScalarType,
    SecondaryIndex, Table, TypedTable,
};
use dynamo_tests::fault_proxy::{Fault, FaultProxy};
use dynamo_tests::{builder, client, endpoint, unique_name, DropTable};

const READ_TIMEOUT: Duration = Duration::from_millis(300);
const DELAY: Duration = Duration::from_millis(700);

/// A client through the proxy, retrying quickly (5 ms base backoff).
fn via(proxy: &FaultProxy) -> Client {
    builder()
        .endpoint(proxy.url())
        .retry_policy(RetryPolicy::default().base(Duration::from_millis(5)))
        .read_timeout(READ_TIMEOUT)
        .build()
        .unwrap()
}

fn faulty(seed: u64, rate: f64) -> FaultProxy {
    FaultProxy::builder(endpoint())
        .seed(seed)
        .fault_rate(rate)
        .faults(&Fault::ALL)
        .partial_batch_rate(rate)
        .delay(DELAY)
        .start()
        .unwrap()
}

fn numbered_table(direct: &Client, prefix: &str) -> (Table, DropTable) {
    let name = unique_name(prefix);
    let guard = DropTable::new(direct, &name);
    let table = Table::create(
        direct,
        &name,
        KeySchema::hash(("id", ScalarType::N)),
        Capacity::on_demand(),
        Vec::<SecondaryIndex>::new(),
    )
    .unwrap();
    (table, guard)
}

fn ids(items: impl IntoIterator<Item = Result<dynamo_blocking::Item, Error>>) -> Vec<i64> {
    items
        .into_iter()
        .map(|i| i.unwrap().get_as::<i64>("id").unwrap())
        .collect()
}

#[test]
fn ten_thousand_items_through_faults_are_written_once_and_read_back_once() {
    let direct = client();
    let (table, _guard) = numbered_table(&direct, "faultbulk");
    let proxy = faulty(7, 0.3);
    let through = Table::with_schema(
        &via(&proxy),
        table.name(),
        KeySchema::hash(("id", ScalarType::N)),
        Vec::<SecondaryIndex>::new(),
    );

    through
        .batch_write(|b| {
            (0..10_000)
                .try_for_each(|i| b.put_item(item! { "id" => i, "payload" => format!("item {i}") }))
        })
        .unwrap();
    let stats = proxy.stats();
    assert!(
        stats.total_injected() > 50,
        "faults were injected: {stats:?}"
    );
    assert!(
        stats.partial_batch_writes > 10,
        "partial answers were given: {stats:?}"
    );

    // A consistent scan, directly: exactly the 10,000 items, each as written.
    let mut stored: Vec<(i64, String)> = table
        .scan()
        .consistent_read()
        .into_iter()
        .map(|i| {
            let i = i.unwrap();
            (i.get_as("id").unwrap(), i.get_as("payload").unwrap())
        })
        .collect();
    stored.sort();
    let expected: Vec<(i64, String)> = (0..10_000).map(|i| (i, format!("item {i}"))).collect();
    assert_eq!(stored, expected);

    // batch_get of every key through the proxy: each item exactly once.
    let before = proxy.stats();
    let mut got = ids(through.batch_get((0..10_000).map(|i| key! { "id" => i })));
    let after = proxy.stats();
    assert!(
        after.partial_batch_gets > before.partial_batch_gets,
        "partial batch-get answers were given"
    );
    got.sort();
    assert_eq!(got, (0..10_000).collect::<Vec<_>>());
}

#[test]
fn query_and_scan_iterators_through_faults_match_a_fault_free_read() {
    let direct = client();
    let name = unique_name("faultread");
    let _guard = DropTable::new(&direct, &name);
    let schema = KeySchema::hash_range(("pk", ScalarType::S), ("n", ScalarType::N));
    let table = Table::create(
        &direct,
        &name,
        schema.clone(),
        Capacity::on_demand(),
        Vec::<SecondaryIndex>::new(),
    )
    .unwrap();
    table
        .batch_write(|b| {
            (0..600).try_for_each(|n| {
                b.put_item(
                    item! { "pk" => if n % 3 == 0 { "a" } else { "b" }, "n" => n, "v" => n % 7 },
                )
            })
        })
        .unwrap();
    let proxy = faulty(11, 0.3);
    let through = Table::with_schema(&via(&proxy), &name, schema, Vec::<SecondaryIndex>::new());

    let clean: Vec<i64> = table
        .query()
        .key_eq("pk", "b")
        .page_size(17)
        .into_iter()
        .map(|i| i.unwrap().get_as("n").unwrap())
        .collect();
    let faulted: Vec<i64> = through
        .query()
        .key_eq("pk", "b")
        .page_size(17)
        .into_iter()
        .map(|i| i.unwrap().get_as("n").unwrap())
        .collect();
    assert_eq!(faulted, clean, "same items, same order");
    assert_eq!(clean.len(), 400);

    let filtered = |t: &Table| -> Vec<i64> {
        t.query()
            .key_eq("pk", "a")
            .filter(dynamo_blocking::attr("v").lt(3))
            .reverse()
            .page_size(9)
            .into_iter()
            .map(|i| i.unwrap().get_as("n").unwrap())
            .collect()
    };
    assert_eq!(filtered(&through), filtered(&table));

    let scan = |t: &Table| -> Vec<i64> {
        t.scan()
            .page_size(23)
            .into_iter()
            .map(|i| i.unwrap().get_as("n").unwrap())
            .collect()
    };
    assert_eq!(
        scan(&through),
        scan(&table),
        "same scan order through faults"
    );

    let mut parallel: Vec<i64> = through
        .scan()
        .page_size(31)
        .parallel(4)
        .into_iter()
        .map(|i| i.unwrap().get_as("n").unwrap())
        .collect();
    parallel.sort();
    assert_eq!(
        parallel,
        (0..600).collect::<Vec<_>>(),
        "parallel scan: every item exactly once"
    );
    assert!(proxy.stats().total_injected() > 10);
}

#[test]
fn a_failing_segment_ends_the_parallel_scan_with_its_error_without_hanging() {
    let direct = client();
    let (table, _guard) = numbered_table(&direct, "faultsegment");
    table
        .batch_write(|b| (0..200).try_for_each(|i| b.put_item(item! { "id" => i })))
        .unwrap();
    // Exactly one Scan request fails, and the client does not retry it.
    let proxy = FaultProxy::builder(endpoint())
        .seed(3)
        .fault_rate(1.0)
        .faults(&[Fault::InternalServerError])
        .max_faults(1)
        .only_operations(&["Scan"])
        .start()
        .unwrap();
    let no_retry = builder()
        .endpoint(proxy.url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let through = Table::with_schema(
        &no_retry,
        table.name(),
        KeySchema::hash(("id", ScalarType::N)),
        Vec::<SecondaryIndex>::new(),
    );
    let start = Instant::now();
    let err = through
        .scan()
        .page_size(10)
        .parallel(4)
        .for_each(|_| Ok::<(), Error>(()))
        .unwrap_err();
    assert_eq!(
        err.service_kind(),
        Some(dynamo_blocking::ServiceErrorKind::InternalServerError),
        "{err}"
    );

    let proxy = FaultProxy::builder(endpoint())
        .seed(4)
        .fault_rate(1.0)
        .faults(&[Fault::ServiceUnavailable])
        .max_faults(1)
        .only_operations(&["Scan"])
        .start()
        .unwrap();
    let no_retry = builder()
        .endpoint(proxy.url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let through = Table::with_schema(
        &no_retry,
        table.name(),
        KeySchema::hash(("id", ScalarType::N)),
        Vec::<SecondaryIndex>::new(),
    );
    let results: Vec<_> = through
        .scan()
        .page_size(10)
        .parallel(4)
        .into_iter()
        .collect();
    let errors = results.iter().filter(|r| r.is_err()).count();
    assert_eq!(errors, 1, "the iterator reports the error once and ends");
    assert!(
        results.last().unwrap().is_err(),
        "nothing follows the error"
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "no hang: {:?}",
        start.elapsed()
    );
}

#[test]
fn conditional_writes_under_lost_answers_never_apply_twice() {
    // A write whose answer is lost after DynamoDB applied it is retried; a
    // conditional write's retry then fails its own condition. The caller
    // sees an error although the first attempt took effect, but the
    // condition is never broken: this is DynamoDB's at-least-once retry.
    let direct = client();
    let name = unique_name("faultsave");
    let _guard = DropTable::new(&direct, &name);
    let table = Table::create(
        &direct,
        &name,
        KeySchema::hash(("id", ScalarType::S)),
        Capacity::on_demand(),
        Vec::<SecondaryIndex>::new(),
    )
    .unwrap();
    let proxy = FaultProxy::builder(endpoint())
        .seed(5)
        .fault_rate(1.0)
        .faults(&Fault::FORWARDING)
        .max_faults(1)
        .start()
        .unwrap();
    let through = Table::with_schema(
        &via(&proxy),
        &name,
        KeySchema::hash(("id", ScalarType::S)),
        Vec::<SecondaryIndex>::new(),
    );
    let err = through
        .put_item(item! { "id" => "once", "n" => 1 }, Overwrite::No)
        .unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
    assert_eq!(
        table
            .get_item(key! { "id" => "once" })
            .unwrap()
            .unwrap()
            .get_as::<i64>("n")
            .unwrap(),
        1
    );

    // Versioned saves through 30% faults: each call applies at most once, so
    // the stored version only ever moves by one per call.
    #[derive(DynamoItem, Debug, Clone, PartialEq)]
    struct Counter {
        #[dynamo(hash_key)]
        id: String,
        value: u64,
        #[dynamo(version)]
        version: u64,
    }
    let proxy = faulty(13, 0.3);
    let typed = TypedTable::<Counter>::named(&via(&proxy), &name);
    let direct_typed = TypedTable::<Counter>::named(&direct, &name);
    let mut counter = Counter {
        id: "c".into(),
        value: 0,
        version: 0,
    };
    let mut applied = 0u64;
    for round in 1..=40u64 {
        counter.value = round;
        let before = counter.version;
        let outcome = typed.save(&mut counter);
        let stored = direct_typed.get(&counter.key()).unwrap().unwrap();
        let stored_version = stored.version;
        match outcome {
            Ok(()) => {
                assert_eq!(stored.version, before + 1);
                applied += 1;
            }
            Err(e) => {
                assert!(e.is_conditional_check_failed(), "round {round}: {e}");
                // Either nothing happened, or the lost first attempt did.
                assert!(
                    stored.version == before || stored.version == before + 1,
                    "round {round}: {stored:?}"
                );
                if stored.version == before + 1 {
                    // An echo of a lost answer: the error must say it retried.
                    assert!(e.attempts() > 1, "round {round}: {e}");
                }
                applied += stored.version - before;
                counter = stored;
            }
        }
        assert_eq!(
            stored_version, applied,
            "never more than one write per call"
        );
    }
    assert_eq!(
        direct_typed.get(&counter.key()).unwrap().unwrap().version,
        applied
    );
    assert!(proxy.stats().total_injected() > 0);
}

#[test]
fn batch_writes_that_keep_failing_are_handed_back() {
    let direct = client();
    let (table, _guard) = numbered_table(&direct, "faultgiveup");
    // Every BatchWriteItem is throttled: the writer must give back every
    // item it could not write, not drop them.
    let proxy = FaultProxy::builder(endpoint())
        .seed(9)
        .fault_rate(1.0)
        .faults(&[Fault::Throttling])
        .only_operations(&["BatchWriteItem"])
        .start()
        .unwrap();
    let client = builder()
        .endpoint(proxy.url())
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .base(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let through = Table::with_schema(
        &client,
        table.name(),
        KeySchema::hash(("id", ScalarType::N)),
        Vec::<SecondaryIndex>::new(),
    );
    let err = through
        .batch_write(|b| (0..10).try_for_each(|i| b.put_item(item! { "id" => i })))
        .unwrap_err();
    match err {
        Error::UnprocessedWrites { unprocessed, cause } => {
            let mut handed_back: BTreeSet<i64> = BTreeSet::new();
            for w in unprocessed {
                if let dynamo_blocking::wire::WriteRequest::PutRequest { item } = w {
                    handed_back.insert(item.get_as("id").unwrap());
                }
            }
            assert_eq!(handed_back, (0..10).collect());
            assert!(cause.unwrap().is_throttling());
        }
        other => panic!("expected the items back, got {other:?}"),
    }
    assert_eq!(table.scan().into_iter().count(), 0);
}
