//! Change feeds against DynamoDB Local: every change seen exactly once, in
//! order per key, with the right images; checkpoints resume without loss
//! or repetition; `follow` sees new writes.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::time::Duration;

use dynamo_blocking::wire::StreamViewType;
use dynamo_blocking::{
    attr, key, Capacity, Change, Checkpoint, DynamoItem, Error, Feed, KeySchema, ScalarType,
    StartAt, StreamError, Table, TypedTable, Update,
};
use dynamo_tests::fault_proxy::{Fault, FaultProxy};
use dynamo_tests::{client, unique_name, DropTable};

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(stream = "new_and_old_images")]
struct Counter {
    #[dynamo(hash_key)]
    id: String,
    v: u64,
}

/// One change as the test expects it: event, old `v`, new `v`.
type Expected = (&'static str, Option<u64>, Option<u64>);

fn counters() -> (TypedTable<Counter>, DropTable) {
    let client = client();
    let name = unique_name("feed");
    let guard = DropTable::new(&client, &name);
    let table = TypedTable::<Counter>::create_named(&client, &name, Capacity::on_demand()).unwrap();
    (table, guard)
}

/// 1,000 puts, updates and deletes over 50 keys, chosen by a fixed
/// pseudo-random sequence; returns what the stream must show per key.
fn mixed_writes(table: &TypedTable<Counter>, n: u64) -> BTreeMap<String, Vec<Expected>> {
    let mut state: BTreeMap<String, u64> = BTreeMap::new();
    let mut expected: BTreeMap<String, Vec<Expected>> = BTreeMap::new();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 1..=n {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let id = format!("k{:02}", seed % 50);
        let log = expected.entry(id.clone()).or_default();
        match (state.get(&id).copied(), (seed >> 8) % 3) {
            (None, _) => {
                table
                    .put(&Counter {
                        id: id.clone(),
                        v: i,
                    })
                    .unwrap();
                log.push(("INSERT", None, Some(i)));
                state.insert(id, i);
            }
            (Some(old), 0) => {
                table
                    .put(&Counter {
                        id: id.clone(),
                        v: i,
                    })
                    .unwrap();
                log.push(("MODIFY", Some(old), Some(i)));
                state.insert(id, i);
            }
            (Some(old), 1) => {
                let key = Counter {
                    id: id.clone(),
                    v: 0,
                }
                .key();
                table
                    .update(&key, Update::new().set(attr("v"), i))
                    .send()
                    .unwrap();
                log.push(("MODIFY", Some(old), Some(i)));
                state.insert(id, i);
            }
            (Some(old), _) => {
                table
                    .delete(
                        &Counter {
                            id: id.clone(),
                            v: 0,
                        }
                        .key(),
                    )
                    .unwrap();
                log.push(("REMOVE", Some(old), None));
                state.remove(&id);
            }
        }
    }
    expected
}

fn observed(change: &Change<Counter>) -> (String, Expected) {
    let id = match change.keys().get("id") {
        Some(dynamo_blocking::AttributeValue::S(s)) => s.clone(),
        other => panic!("key without id: {other:?}"),
    };
    let old = change.old_image().map(|c| c.v);
    let new = change.new_image().map(|c| c.v);
    if let Some(img) = change.new_image().or(change.old_image()) {
        assert_eq!(img.id, id, "image of another key");
    }
    (id, (change.event_name(), old, new))
}

fn collect(
    feed: impl Iterator<Item = Result<Change<Counter>, Error>>,
    into: &mut BTreeMap<String, Vec<Expected>>,
    event_ids: &mut Vec<String>,
) {
    for change in feed {
        let change = change.unwrap();
        event_ids.push(change.info().event_id.clone());
        let (id, seen) = observed(&change);
        into.entry(id).or_default().push(seen);
    }
}

fn assert_unique(event_ids: &[String]) {
    let mut sorted = event_ids.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        event_ids.len(),
        "an event was handed out twice"
    );
}

#[test]
fn every_change_once_in_order_per_key_with_images() {
    let (table, _guard) = counters();
    let expected = mixed_writes(&table, 1000);
    let total: usize = expected.values().map(Vec::len).sum();
    assert_eq!(total, 1000);

    let mut seen = BTreeMap::new();
    let mut ids = Vec::new();
    collect(table.stream().unwrap(), &mut seen, &mut ids);
    assert_unique(&ids);
    assert_eq!(ids.len(), 1000);
    assert_eq!(seen, expected);

    // The same through several reader threads.
    let mut parallel = BTreeMap::new();
    let mut ids = Vec::new();
    collect(table.stream().unwrap().parallel(4), &mut parallel, &mut ids);
    assert_unique(&ids);
    assert_eq!(parallel, expected);
}

#[test]
fn a_checkpoint_resumes_without_loss_or_repetition() {
    let (table, _guard) = counters();
    let expected = mixed_writes(&table, 400);

    let mut seen: BTreeMap<String, Vec<Expected>> = BTreeMap::new();
    let mut ids = Vec::new();
    let mut feed = table.stream().unwrap().from(StartAt::TrimHorizon);
    for _ in 0..200 {
        let change = feed.next().expect("more changes").unwrap();
        ids.push(change.info().event_id.clone());
        let (id, e) = observed(&change);
        seen.entry(id).or_default().push(e);
    }
    let saved = serde_json::to_string(&feed.checkpoint().unwrap()).unwrap();
    drop(feed);

    let checkpoint: Checkpoint = serde_json::from_str(&saved).unwrap();
    let resumed = table
        .stream()
        .unwrap()
        .from(StartAt::Checkpoint(checkpoint));
    collect(resumed, &mut seen, &mut ids);
    assert_unique(&ids);
    assert_eq!(ids.len(), 400);
    assert_eq!(seen, expected);

    // A checkpoint taken at the end gives nothing more, until a new write.
    let mut feed = table.stream().unwrap();
    assert_eq!(feed.by_ref().count(), 400);
    let at_end = feed.checkpoint().unwrap();
    let rest: Vec<_> = table
        .stream()
        .unwrap()
        .from(StartAt::Checkpoint(at_end.clone()))
        .collect();
    assert!(rest.is_empty(), "{rest:?}");
    table
        .put(&Counter {
            id: "new".into(),
            v: 7,
        })
        .unwrap();
    let rest: Vec<_> = table
        .stream()
        .unwrap()
        .from(StartAt::Checkpoint(at_end))
        .map(|c| c.unwrap())
        .collect();
    assert_eq!(rest.len(), 1);
    assert!(matches!(&rest[0], Change::Insert { new: Some(c), .. } if c.v == 7));
}

#[test]
fn follow_sees_a_new_write() {
    let (table, _guard) = counters();
    table
        .put(&Counter {
            id: "old".into(),
            v: 1,
        })
        .unwrap();
    let mut feed = table
        .stream()
        .unwrap()
        .from(StartAt::Latest)
        .follow(Duration::from_millis(200));
    // Latest is fixed when the feed starts (checkpoint() starts it).
    feed.checkpoint().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for change in feed {
            if tx.send(change).is_err() {
                return;
            }
        }
    });
    table
        .put(&Counter {
            id: "fresh".into(),
            v: 2,
        })
        .unwrap();
    // Generous for a loaded machine; the feed polls every 200 ms.
    let change = rx.recv_timeout(Duration::from_secs(60)).unwrap().unwrap();
    match change {
        Change::Insert { new: Some(c), .. } => assert_eq!(
            c,
            Counter {
                id: "fresh".into(),
                v: 2
            }
        ),
        other => panic!("expected the new insert, got {other:?}"),
    }
}

#[test]
fn keys_only_streams_give_keys_and_no_stream_is_a_typed_error() {
    let client = client();
    let name = unique_name("feedkeys");
    let _guard = DropTable::new(&client, &name);
    let table = Table::create(
        &client,
        &name,
        KeySchema::hash(("id", ScalarType::S)),
        Capacity::on_demand(),
        Vec::<dynamo_blocking::SecondaryIndex>::new(),
    )
    .unwrap();
    match table.stream() {
        Err(Error::Stream(StreamError::NotEnabled { table: t })) => assert_eq!(t, name),
        other => panic!("expected NotEnabled, got {other:?}"),
    }
    table.enable_stream(StreamViewType::KeysOnly).unwrap();
    table
        .put_item(
            dynamo_blocking::item! { "id" => "a", "x" => 1 },
            dynamo_blocking::Overwrite::Yes,
        )
        .unwrap();
    table.delete_item(key! { "id" => "a" }).unwrap();
    let changes: Vec<_> = table.stream().unwrap().map(|c| c.unwrap()).collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].event_name(), "INSERT");
    assert_eq!(changes[1].event_name(), "REMOVE");
    for c in &changes {
        assert_eq!(c.keys(), &key! { "id" => "a" });
        assert!(c.new_image().is_none() && c.old_image().is_none());
        assert!(c.info().approximate_creation.is_some());
    }
    table.disable_stream().unwrap();
    assert!(matches!(
        table.stream(),
        Err(Error::Stream(StreamError::NotEnabled { .. }))
    ));
}

/// The table's feed, read through `proxy`.
fn through(proxy: &FaultProxy, table: &TypedTable<Counter>) -> Feed<Counter> {
    let client = dynamo_tests::builder()
        .endpoint(proxy.url())
        .build()
        .unwrap();
    TypedTable::<Counter>::named(&client, table.table().name())
        .stream()
        .unwrap()
}

#[test]
fn expired_iterators_are_renewed_without_loss() {
    let (table, _guard) = counters();
    let proxy = FaultProxy::builder(dynamo_tests::endpoint())
        .seed(17)
        .fault_rate(0.3)
        .faults(&[Fault::ExpiredIterator])
        .only_operations(&["GetRecords"])
        .start()
        .unwrap();
    let mut feed = through(&proxy, &table).follow(Duration::from_millis(10));
    feed.checkpoint().unwrap();
    // Writes while the feed follows: many small pages, each GetRecords may
    // be answered ExpiredIteratorException.
    let writer = {
        let table = table.clone();
        std::thread::spawn(move || mixed_writes(&table, 300))
    };
    let mut seen: BTreeMap<String, Vec<Expected>> = BTreeMap::new();
    let mut ids = Vec::new();
    while ids.len() < 300 {
        let change = feed.next().expect("a following feed does not end").unwrap();
        ids.push(change.info().event_id.clone());
        let (id, e) = observed(&change);
        seen.entry(id).or_default().push(e);
    }
    let expected = writer.join().unwrap();
    assert_unique(&ids);
    assert_eq!(seen, expected);
    assert!(
        proxy.injected(Fault::ExpiredIterator) > 0,
        "{:?}",
        proxy.stats()
    );
}

#[test]
fn a_feed_through_network_faults_sees_the_same_changes() {
    let (table, _guard) = counters();
    let expected = mixed_writes(&table, 300);
    let proxy = FaultProxy::builder(dynamo_tests::endpoint())
        .seed(5)
        .fault_rate(0.25)
        .faults(&Fault::FAST)
        .only_operations(&["DescribeStream", "GetShardIterator", "GetRecords"])
        .start()
        .unwrap();
    let feed = through(&proxy, &table).parallel(2);
    let mut seen = BTreeMap::new();
    let mut ids = Vec::new();
    collect(feed, &mut seen, &mut ids);
    assert_unique(&ids);
    assert_eq!(seen, expected);
    assert!(proxy.stats().total_injected() > 0, "{:?}", proxy.stats());
}
