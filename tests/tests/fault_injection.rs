//! The low-level client through a fault-injecting proxy in front of
//! DynamoDB Local: throttling, 5xx answers, HTML error pages, truncated and
//! short bodies, wrong checksums, connection resets, timeouts and partial
//! batch answers. Writes and reads must come out right anyway, and each
//! fault must surface as the right typed error when retries are off.
//!
//! Tables are created and checked directly against DynamoDB Local; only the
//! traffic under test goes through the proxy.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use dynamo_blocking::wire::*;
use dynamo_blocking::{
    item, key, Attributes, Capacity, Client, Error, KeySchema, ResponseErrorKind, RetryPolicy,
    ScalarType, ServiceErrorKind, TransportErrorKind,
};
use dynamo_tests::fault_proxy::{Fault, FaultProxy};
use dynamo_tests::{builder, client, endpoint, unique_name, DropTable};

const WAIT: Duration = Duration::from_secs(30);
/// The client's read timeout when [`Fault::Delay`] is in play, and the
/// proxy's delay (well past it).
const SHORT_READ: Duration = Duration::from_millis(300);
const DELAY: Duration = Duration::from_millis(700);

fn create_table(direct: &Client, prefix: &str, schema: &KeySchema) -> DropTable {
    let name = unique_name(prefix);
    let guard = DropTable::new(direct, &name);
    direct
        .create_table(&CreateTableInput::new(
            &name,
            schema,
            Capacity::on_demand(),
            &[],
        ))
        .unwrap();
    direct.wait_until_active(&name, WAIT).unwrap();
    guard
}

fn hash_table(direct: &Client, prefix: &str) -> DropTable {
    create_table(direct, prefix, &KeySchema::hash(("id", ScalarType::S)))
}

/// A proxy in front of DynamoDB Local.
fn proxy(seed: u64) -> dynamo_tests::fault_proxy::FaultProxyBuilder {
    FaultProxy::builder(endpoint()).seed(seed).delay(DELAY)
}

/// A client that talks through `proxy`.
fn via(proxy: &FaultProxy, retry: RetryPolicy, read_timeout: Duration) -> Client {
    builder()
        .endpoint(proxy.url())
        .retry_policy(retry)
        .read_timeout(read_timeout)
        .build()
        .unwrap()
}

/// Every item of `table`, read directly (consistent, in pages of 100).
fn scan_all(direct: &Client, table: &str) -> Vec<Attributes> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let page = direct
            .scan(&ScanInput {
                table_name: table.to_owned(),
                consistent_read: Some(true),
                limit: Some(100),
                exclusive_start_key: start,
                ..Default::default()
            })
            .unwrap();
        items.extend(page.items);
        start = page.last_evaluated_key;
        if start.is_none() {
            return items;
        }
    }
}

/// Items by their `id`, failing on duplicates.
fn by_id(items: Vec<Attributes>) -> BTreeMap<String, Attributes> {
    let mut out = BTreeMap::new();
    for item in items {
        let id: String = item.get_as("id").unwrap();
        assert!(out.insert(id.clone(), item).is_none(), "{id} twice");
    }
    out
}

fn get_direct(direct: &Client, table: &str, id: &str) -> Option<Attributes> {
    let mut get = GetItemInput::new(table, key! { "id" => id });
    get.consistent_read = Some(true);
    direct.get_item(&get).unwrap().item
}

/// Checks that `error` is what `fault` should produce with retries off.
fn assert_typed(fault: Fault, error: &Error) {
    let service = |kind: ServiceErrorKind, status: u16| match error {
        Error::Service(e) => {
            assert_eq!((e.kind, e.status), (kind, status), "{fault}: {error}");
            assert!(
                e.request_id
                    .as_deref()
                    .is_some_and(|id| id.starts_with("FAULTPROXY")),
                "{fault}: the request id is kept: {error:?}"
            );
        }
        other => panic!("{fault}: expected a service error, got {other:?}"),
    };
    match fault {
        Fault::ProvisionedThroughputExceeded => {
            service(ServiceErrorKind::ProvisionedThroughputExceeded, 400);
            assert!(error.is_throttling());
        }
        Fault::Throttling => {
            service(ServiceErrorKind::Throttling, 400);
            assert!(error.is_throttling());
        }
        Fault::InternalServerError => service(ServiceErrorKind::InternalServerError, 500),
        Fault::ServiceUnavailable => service(ServiceErrorKind::ServiceUnavailable, 503),
        Fault::ExpiredIterator => service(ServiceErrorKind::ExpiredIterator, 400),
        Fault::BadGatewayHtml | Fault::TruncatedBody => match error {
            Error::Response(e) => {
                assert_eq!(e.kind, ResponseErrorKind::Malformed, "{fault}: {error}");
                let status = if fault == Fault::BadGatewayHtml {
                    502
                } else {
                    200
                };
                assert_eq!(e.status, status, "{fault}: {error}");
                if fault == Fault::BadGatewayHtml {
                    assert!(e.body_start.contains("502 Bad Gateway"), "{error}");
                }
            }
            other => panic!("{fault}: expected a malformed answer, got {other:?}"),
        },
        Fault::WrongCrc32 => match error {
            Error::Response(e) => assert!(
                matches!(e.kind, ResponseErrorKind::ChecksumMismatch { .. }),
                "{fault}: {error}"
            ),
            other => panic!("{fault}: expected a checksum mismatch, got {other:?}"),
        },
        Fault::ShortBody | Fault::ConnectionReset => match error {
            Error::Transport(e) => assert_eq!(e.kind, TransportErrorKind::Io, "{fault}: {error}"),
            other => panic!("{fault}: expected a broken connection, got {other:?}"),
        },
        Fault::Delay => match error {
            Error::Transport(e) => {
                assert_eq!(e.kind, TransportErrorKind::Timeout, "{fault}: {error}")
            }
            other => panic!("{fault}: expected a timeout, got {other:?}"),
        },
    }
}

/// (a) Each fault alone: with retries off, one attempt and the right typed
/// error (and the write applied exactly when the fault forwarded it); with
/// the default policy, success on the third attempt after two faults.
#[test]
fn each_fault_alone_is_a_typed_error_without_retries_and_retried_to_success_with_them() {
    let started = Instant::now();
    let direct = client();
    let table = hash_table(&direct, "fault-each");
    let name = table.name();
    for fault in Fault::ALL {
        // A Delay must outlast the read timeout; other faults must not be
        // mistaken for a timeout on a slow machine.
        let read_timeout = if fault == Fault::Delay {
            SHORT_READ
        } else {
            Duration::from_secs(10)
        };

        let once = proxy(1)
            .fault_rate(1.0)
            .faults(&[fault])
            .max_faults(1)
            .start()
            .unwrap();
        let c = via(&once, RetryPolicy::none(), read_timeout);
        let id = format!("{fault}-no-retry");
        let err = c
            .put_item(&PutItemInput::new(name, item! { "id" => id.as_str() }))
            .unwrap_err();
        assert_typed(fault, &err);
        assert_eq!(err.attempts(), 1, "{fault}");
        assert_eq!(c.requests_sent("PutItem"), 1);
        assert_eq!(once.injected(fault), 1);
        assert_eq!(
            get_direct(&direct, name, &id).is_some(),
            fault.forwards_first(),
            "{fault}: applied exactly when forwarded"
        );

        let twice = proxy(2)
            .fault_rate(1.0)
            .faults(&[fault])
            .max_faults(2)
            .start()
            .unwrap();
        let c = via(&twice, RetryPolicy::default(), read_timeout);
        let id = format!("{fault}-retried");
        c.put_item(&PutItemInput::new(
            name,
            item! { "id" => id.as_str(), "v" => 1 },
        ))
        .unwrap_or_else(|e| panic!("{fault} should be retried: {e}"));
        assert_eq!(c.requests_sent("PutItem"), 3, "{fault}");
        assert_eq!(twice.injected(fault), 2);
        assert_eq!(
            get_direct(&direct, name, &id),
            Some(item! { "id" => id.as_str(), "v" => 1 })
        );
        // Reads too.
        let got = c
            .get_item(&GetItemInput::new(name, key! { "id" => id.as_str() }))
            .unwrap();
        assert!(got.item.is_some());
        assert_eq!(c.requests_sent("GetItem"), 1, "the fault budget is spent");
    }
    println!("each fault alone: {:.1} s", started.elapsed().as_secs_f64());
}

/// (b) 500 puts through 30% faults of every kind: exactly those 500 items
/// are stored, with the right contents.
#[test]
fn five_hundred_puts_through_faults_store_exactly_five_hundred_items() {
    let started = Instant::now();
    let direct = client();
    let table = hash_table(&direct, "fault-puts");
    let name = table.name();
    let proxy = proxy(42)
        .fault_rate(0.3)
        .faults(&Fault::ALL)
        .start()
        .unwrap();
    let c = via(&proxy, RetryPolicy::default(), SHORT_READ);
    for i in 0..500 {
        let put = PutItemInput::new(
            name,
            item! { "id" => format!("item-{i:03}"), "n" => i, "payload" => "x".repeat(i % 50) },
        );
        c.put_item(&put)
            .unwrap_or_else(|e| panic!("put {i} failed through the proxy: {e}"));
    }
    let stats = proxy.stats();
    let stored = by_id(scan_all(&direct, name));
    assert_eq!(stored.len(), 500, "no more, no less");
    for i in 0..500 {
        let id = format!("item-{i:03}");
        assert_eq!(
            stored.get(&id),
            Some(&item! { "id" => id.as_str(), "n" => i, "payload" => "x".repeat(i % 50) })
        );
    }
    // Every attempt went through the proxy, and every fault cost one.
    assert_eq!(c.requests_sent("PutItem"), stats.requests);
    assert!(stats.requests >= 500 + stats.total_injected());
    assert!(
        stats.total_injected() >= 100,
        "about 30% of the attempts: {stats:?}"
    );
    for fault in Fault::ALL {
        assert!(
            stats.injected(fault) > 0,
            "{fault} never injected: {stats:?}"
        );
    }
    assert_eq!(stats.upstream_errors, 0);
    println!(
        "500 puts: {} attempts, {} faults {:?}, {:.1} s",
        stats.requests,
        stats.total_injected(),
        stats.injected,
        started.elapsed().as_secs_f64()
    );
}

fn batch_write(table: &str, requests: Vec<WriteRequest>) -> BatchWriteItemInput {
    let mut write = BatchWriteItemInput::default();
    write.request_items.insert(table.to_owned(), requests);
    write
}

/// Sends `requests` as one BatchWriteItem and resends whatever comes back
/// unprocessed until nothing does; returns how many requests were resent.
fn write_until_done(c: &Client, table: &str, requests: Vec<WriteRequest>) -> usize {
    let mut pending = requests;
    let mut resent = 0;
    for round in 0.. {
        assert!(round < 50, "unprocessed items never drained");
        let out = c
            .batch_write_item(&batch_write(table, pending))
            .unwrap_or_else(|e| panic!("batch write failed through the proxy: {e}"));
        pending = out
            .unprocessed_items
            .get(table)
            .cloned()
            .unwrap_or_default();
        if pending.is_empty() {
            break;
        }
        resent += pending.len();
    }
    resent
}

/// (c) A raw BatchWriteItem loop that resends UnprocessedItems, through
/// faults and partial answers: everything is written (then deleted) exactly
/// as asked, and what was resent is exactly what the proxy withheld.
#[test]
fn batch_writes_resending_unprocessed_items_apply_everything() {
    let started = Instant::now();
    let direct = client();
    let table = hash_table(&direct, "fault-batch");
    let name = table.name();
    let proxy = proxy(7)
        .fault_rate(0.3)
        .faults(&Fault::ALL)
        .partial_batch_rate(0.5)
        .start()
        .unwrap();
    let c = via(&proxy, RetryPolicy::default(), SHORT_READ);

    let item_of = |i: usize| item! { "id" => format!("b{i:03}"), "n" => i, "even" => i & 1 == 0 };
    let mut resent = 0;
    let all: Vec<usize> = (0..250).collect();
    for chunk in all.chunks(MAX_BATCH_WRITE) {
        let puts = chunk
            .iter()
            .map(|&i| WriteRequest::PutRequest { item: item_of(i) })
            .collect();
        resent += write_until_done(&c, name, puts);
    }
    let stored = by_id(scan_all(&direct, name));
    assert_eq!(stored.len(), 250);
    for i in 0..250 {
        assert_eq!(stored[&format!("b{i:03}")], item_of(i));
    }

    // Delete the odd ones, in batches, through the same trouble.
    let odd: Vec<usize> = (1..250).step_by(2).collect();
    for chunk in odd.chunks(MAX_BATCH_WRITE) {
        let deletes = chunk
            .iter()
            .map(|&i| WriteRequest::DeleteRequest {
                key: key! { "id" => format!("b{i:03}") },
            })
            .collect();
        resent += write_until_done(&c, name, deletes);
    }
    let stored = by_id(scan_all(&direct, name));
    let expected: Vec<String> = (0..250).step_by(2).map(|i| format!("b{i:03}")).collect();
    assert_eq!(stored.keys().cloned().collect::<Vec<_>>(), expected);

    let stats = proxy.stats();
    assert!(stats.partial_batch_writes > 0, "{stats:?}");
    assert_eq!(
        resent as u64, stats.withheld_writes,
        "the loop resent exactly what the proxy withheld"
    );
    assert!(stats.total_injected() > 0);
    println!(
        "batch writes: {} calls, {} partial ({} withheld), {} faults, {:.1} s",
        stats.requests,
        stats.partial_batch_writes,
        stats.withheld_writes,
        stats.total_injected(),
        started.elapsed().as_secs_f64()
    );
}

/// Follows Query pages (or Scan pages when `key_condition` is `None`) of
/// `limit` items.
fn read_pages(c: &Client, table: &str, partition: Option<&str>, limit: u32) -> Vec<Attributes> {
    let mut items = Vec::new();
    let mut start: Option<Attributes> = None;
    for page_no in 0.. {
        assert!(page_no < 1000, "pages never end");
        let page = match partition {
            Some(pk) => c.query(&QueryInput {
                table_name: table.to_owned(),
                key_condition_expression: Some("pk = :pk".into()),
                expression_attribute_values: Some(item! { ":pk" => pk }),
                limit: Some(limit),
                exclusive_start_key: start.take(),
                consistent_read: Some(true),
                ..Default::default()
            }),
            None => c.scan(&ScanInput {
                table_name: table.to_owned(),
                limit: Some(limit),
                exclusive_start_key: start.take(),
                consistent_read: Some(true),
                ..Default::default()
            }),
        }
        .unwrap_or_else(|e| panic!("page {page_no} failed through the proxy: {e}"));
        assert!(page.items.len() <= limit as usize);
        items.extend(page.items);
        start = page.last_evaluated_key;
        if start.is_none() {
            return items;
        }
    }
    unreachable!()
}

/// (d) Query and Scan pages followed through faults return the same items,
/// in the same order, as without faults; so does a BatchGetItem loop that
/// resends UnprocessedKeys through partial answers.
#[test]
fn pages_and_batch_gets_through_faults_return_the_same_items() {
    let started = Instant::now();
    let direct = client();
    let table = create_table(
        &direct,
        "fault-pages",
        &KeySchema::hash_range(("pk", ScalarType::S), ("sk", ScalarType::N)),
    );
    let name = table.name();
    for p in 0..3 {
        for chunk in (0..100).collect::<Vec<i32>>().chunks(MAX_BATCH_WRITE) {
            let puts = chunk
                .iter()
                .map(|&s| WriteRequest::PutRequest {
                    item: item! { "pk" => format!("p{p}"), "sk" => s, "v" => format!("{p}/{s}") },
                })
                .collect();
            let out = direct.batch_write_item(&batch_write(name, puts)).unwrap();
            assert!(out.unprocessed_items.is_empty());
        }
    }
    let proxy = proxy(99)
        .fault_rate(0.3)
        .faults(&Fault::ALL)
        .partial_batch_rate(0.5)
        .start()
        .unwrap();
    let c = via(&proxy, RetryPolicy::default(), SHORT_READ);

    for pk in ["p0", "p1", "p2"] {
        let clean = read_pages(&direct, name, Some(pk), 17);
        assert_eq!(clean.len(), 100);
        assert_eq!(read_pages(&c, name, Some(pk), 17), clean, "query {pk}");
    }
    let clean = read_pages(&direct, name, None, 23);
    assert_eq!(clean.len(), 300);
    assert_eq!(read_pages(&c, name, None, 23), clean, "scan");

    // BatchGetItem of every key (and some missing ones), 100 at a time.
    let keys: Vec<Attributes> = (0..3)
        .flat_map(|p| (0..110).map(move |s| key! { "pk" => format!("p{p}"), "sk" => s }))
        .collect();
    let mut found = Vec::new();
    for chunk in keys.chunks(MAX_BATCH_GET) {
        let mut pending = KeysAndAttributes {
            keys: chunk.to_vec(),
            consistent_read: Some(true),
            ..Default::default()
        };
        for round in 0.. {
            assert!(round < 50, "unprocessed keys never drained");
            let mut get = BatchGetItemInput::default();
            get.request_items.insert(name.to_owned(), pending);
            let mut out = c.batch_get_item(&get).unwrap();
            found.extend(out.responses.remove(name).unwrap_or_default());
            match out.unprocessed_keys.remove(name) {
                Some(rest) if !rest.keys.is_empty() => {
                    assert_eq!(rest.consistent_read, Some(true), "read options kept");
                    pending = rest;
                }
                _ => break,
            }
        }
    }
    let sort_key = |i: &Attributes| {
        (
            i.get_as::<String>("pk").unwrap(),
            i.get_as::<i64>("sk").unwrap(),
        )
    };
    found.sort_by_key(sort_key);
    let mut expected = scan_all(&direct, name);
    expected.sort_by_key(sort_key);
    assert_eq!(found, expected, "each item once, none missing");

    let stats = proxy.stats();
    assert!(
        stats.total_injected() > 0 && stats.partial_batch_gets > 0,
        "{stats:?}"
    );
    println!(
        "pages and batch gets: {} calls, {} faults, {} partial gets, {:.1} s",
        stats.requests,
        stats.total_injected(),
        stats.partial_batch_gets,
        started.elapsed().as_secs_f64()
    );
}

/// (e) At-least-once: when DynamoDB applied a conditional put but the answer
/// was lost (wrong checksum, cut or short body), the client's retry fails
/// its own condition. A fault that never reached DynamoDB does not.
/// Unconditional `ADD` updates are applied twice in the same situation.
#[test]
fn a_retried_conditional_put_that_already_applied_fails_its_condition() {
    let direct = client();
    let table = hash_table(&direct, "fault-cond");
    let name = table.name();
    let conditional_put = |id: &str| {
        let mut put = PutItemInput::new(name, item! { "id" => id, "v" => 1 });
        put.condition_expression = Some("attribute_not_exists(id)".into());
        put
    };
    let first_attempt_fails = |fault: Fault| {
        proxy(5)
            .fault_rate(1.0)
            .faults(&[fault])
            .max_faults(1)
            .start()
            .unwrap()
    };

    for fault in Fault::FORWARDING {
        let proxy = first_attempt_fails(fault);
        let c = via(&proxy, RetryPolicy::default(), Duration::from_secs(10));
        let id = format!("cond-{fault}");
        let err = c.put_item(&conditional_put(&id)).unwrap_err();
        assert!(err.is_conditional_check_failed(), "{fault}: {err}");
        assert_eq!(err.attempts(), 2, "{fault}: the retry is what failed");
        assert_eq!(
            get_direct(&direct, name, &id),
            Some(item! { "id" => id.as_str(), "v" => 1 }),
            "{fault}: the first attempt was applied"
        );
    }

    for fault in [
        Fault::Throttling,
        Fault::ConnectionReset,
        Fault::BadGatewayHtml,
    ] {
        let proxy = first_attempt_fails(fault);
        let c = via(&proxy, RetryPolicy::default(), Duration::from_secs(10));
        let id = format!("cond-{fault}");
        c.put_item(&conditional_put(&id))
            .unwrap_or_else(|e| panic!("{fault} never reached DynamoDB: {e}"));
        assert_eq!(c.requests_sent("PutItem"), 2);
    }

    // An ADD whose answer is lost is applied by the first attempt and again
    // by the retry.
    let proxy = first_attempt_fails(Fault::WrongCrc32);
    let c = via(&proxy, RetryPolicy::default(), Duration::from_secs(10));
    let mut add = UpdateItemInput::new(name, key! { "id" => "counter" });
    add.update_expression = Some("ADD hits :one".into());
    add.expression_attribute_values = Some(item! { ":one" => 1 });
    c.update_item(&add).unwrap();
    assert_eq!(c.requests_sent("UpdateItem"), 2);
    let counter = get_direct(&direct, name, "counter").unwrap();
    assert_eq!(counter.get_as::<i64>("hits").unwrap(), 2, "applied twice");
}
