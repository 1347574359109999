//! Change feeds against a fake DynamoDB Streams service on a loopback port:
//! what DynamoDB Local never does (shard splits, paged DescribeStream,
//! expired iterators, trimmed records, servers that would loop forever).

#[path = "support/loopback.rs"]
mod loopback;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use dynamo_blocking::config::Environment;
use dynamo_blocking::{
    Change, Checkpoint, Client, Credentials, Error, KeySchema, ResponseErrorKind, RetryPolicy,
    ScalarType, SecondaryIndex, StartAt, StreamError, Table,
};
use loopback::{Reply, Server};
use serde_json::{json, Value};

const ARN: &str =
    "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000";

/// One shard of the fake stream: its records are `(sequence, key)`.
#[derive(Clone)]
struct FakeShard {
    id: &'static str,
    parent: Option<&'static str>,
    closed: bool,
    records: Vec<(u64, &'static str)>,
    /// Records before this index are trimmed.
    trimmed_before: usize,
}

#[derive(Default)]
struct Fake {
    shards: Vec<FakeShard>,
    /// Shards per DescribeStream page.
    describe_page: usize,
    /// Records per GetRecords page.
    records_page: usize,
    /// Every n-th GetRecords (n > 0) is answered ExpiredIteratorException.
    expire_every: u64,
    get_records_calls: u64,
    /// Answer GetRecords with the iterator it was given.
    repeat_iterator: bool,
    /// DescribeStream always says there is a next page starting here.
    repeat_page_token: bool,
    /// The first GetRecords calls answer empty pages, as DynamoDB may
    /// before a portion of the shard that has records.
    empty_first: u64,
    /// `target body` of every request.
    log: Vec<String>,
}

fn error(code: &str) -> (u16, Value) {
    (
        400,
        json!({"__type": format!("com.amazonaws.dynamodb.v20120810#{code}"), "message": code}),
    )
}

impl Fake {
    fn answer(&mut self, target: &str, body: &Value) -> (u16, Value) {
        self.log.push(format!("{target} {body}"));
        match target {
            "DynamoDB_20120810.DescribeTable" => (
                200,
                json!({"Table": {"TableName": "orders", "TableStatus": "ACTIVE",
                    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                    "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"},
                    "LatestStreamArn": ARN}}),
            ),
            "DynamoDBStreams_20120810.DescribeStream" => {
                let start = match body.get("ExclusiveStartShardId").and_then(Value::as_str) {
                    Some(id) => self.shards.iter().position(|s| s.id == id).unwrap() + 1,
                    None => 0,
                };
                let page = self.describe_page.max(1);
                let end = (start + page).min(self.shards.len());
                let shards: Vec<Value> = self.shards[start..end]
                    .iter()
                    .map(|s| {
                        let mut range = json!({"StartingSequenceNumber": "1"});
                        if s.closed {
                            range["EndingSequenceNumber"] = json!("999999");
                        }
                        let mut v = json!({"ShardId": s.id, "SequenceNumberRange": range});
                        if let Some(p) = s.parent {
                            v["ParentShardId"] = json!(p);
                        }
                        v
                    })
                    .collect();
                let mut d = json!({"StreamArn": ARN, "StreamStatus": "ENABLED",
                    "StreamViewType": "NEW_IMAGE", "Shards": shards});
                if self.repeat_page_token {
                    d["LastEvaluatedShardId"] = json!(self.shards[0].id);
                } else if end < self.shards.len() {
                    d["LastEvaluatedShardId"] = json!(self.shards[end - 1].id);
                }
                (200, json!({"StreamDescription": d}))
            }
            "DynamoDBStreams_20120810.GetShardIterator" => {
                let shard = self.shard(body["ShardId"].as_str().unwrap());
                let pos = match body["ShardIteratorType"].as_str().unwrap() {
                    "TRIM_HORIZON" => shard.trimmed_before,
                    "LATEST" => shard.records.len(),
                    "AFTER_SEQUENCE_NUMBER" => {
                        let seq: u64 = body["SequenceNumber"].as_str().unwrap().parse().unwrap();
                        let pos = shard
                            .records
                            .iter()
                            .position(|r| r.0 > seq)
                            .unwrap_or(shard.records.len());
                        if pos < shard.trimmed_before {
                            return error("TrimmedDataAccessException");
                        }
                        pos
                    }
                    other => panic!("unexpected iterator type {other}"),
                };
                (200, json!({"ShardIterator": format!("{}|{pos}", shard.id)}))
            }
            "DynamoDBStreams_20120810.GetRecords" => {
                self.get_records_calls += 1;
                if self.expire_every > 0 && self.get_records_calls % self.expire_every == 0 {
                    return error("ExpiredIteratorException");
                }
                let iterator = body["ShardIterator"].as_str().unwrap();
                if self.get_records_calls <= self.empty_first {
                    return (200, json!({"Records": [], "NextShardIterator": iterator}));
                }
                let (id, pos) = iterator.split_once('|').unwrap();
                let pos: usize = pos.parse().unwrap();
                let shard = self.shard(id);
                let end = (pos + self.records_page.max(1)).min(shard.records.len());
                let records: Vec<Value> = shard.records[pos..end]
                    .iter()
                    .map(|(seq, key)| {
                        json!({"eventID": format!("ev{seq}"), "eventName": "INSERT",
                            "dynamodb": {"Keys": {"id": {"S": key}},
                                "NewImage": {"id": {"S": key}, "seq": {"N": seq.to_string()}},
                                "SequenceNumber": seq.to_string(), "StreamViewType": "NEW_IMAGE",
                                "ApproximateCreationDateTime": 1.7e9}})
                    })
                    .collect();
                let mut out = json!({"Records": records});
                if self.repeat_iterator {
                    out["NextShardIterator"] = json!(iterator);
                } else if !(shard.closed && end == shard.records.len()) {
                    out["NextShardIterator"] = json!(format!("{id}|{end}"));
                }
                (200, out)
            }
            other => panic!("unexpected target {other}"),
        }
    }

    fn shard(&self, id: &str) -> FakeShard {
        self.shards.iter().find(|s| s.id == id).unwrap().clone()
    }
}

/// Serves `fake` on a loopback port until the test process ends.
/// Serves `fake` on a loopback port; it stops with the returned server.
fn serve(fake: Fake) -> (Server, Arc<Mutex<Fake>>) {
    let fake = Arc::new(Mutex::new(fake));
    let shared = Arc::clone(&fake);
    let server = Server::start(move |request| {
        let target = request.header("x-amz-target").unwrap_or_default();
        let body: Value = serde_json::from_str(&request.body).unwrap();
        let (status, answer) = shared.lock().unwrap().answer(target, &body);
        Reply::status(status, answer.to_string())
    });
    (server, fake)
}

fn table(url: &str) -> Table {
    let client = Client::builder()
        .endpoint(url)
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret"))
        .environment(Environment::empty())
        .retry_policy(RetryPolicy::default().max_attempts(2))
        .sleep_fn(|_| {})
        .build()
        .unwrap();
    Table::with_schema(
        &client,
        "orders",
        KeySchema::hash(("id", ScalarType::S)),
        Vec::<SecondaryIndex>::new(),
    )
}

/// `(shard id, sequence)` of every change, in the order handed out.
fn read(
    feed: impl Iterator<Item = Result<Change<dynamo_blocking::Attributes>, Error>>,
) -> Vec<(String, u64)> {
    feed.map(|c| {
        let c = c.unwrap();
        (
            c.info().shard_id.clone(),
            c.info().sequence_number.parse().unwrap(),
        )
    })
    .collect()
}

/// A root shard that split in two: children are listed first and sort
/// before their parent, and everything is paged two shards at a time.
fn split() -> Fake {
    Fake {
        shards: vec![
            FakeShard {
                id: "shardId-0001-child-a",
                parent: Some("shardId-0009-parent"),
                closed: true,
                records: vec![(20, "a"), (21, "a"), (22, "a")],
                trimmed_before: 0,
            },
            FakeShard {
                id: "shardId-0002-child-b",
                parent: Some("shardId-0009-parent"),
                closed: false,
                records: vec![(30, "b"), (31, "b")],
                trimmed_before: 0,
            },
            FakeShard {
                id: "shardId-0003-grandchild",
                parent: Some("shardId-0001-child-a"),
                closed: false,
                records: vec![(40, "a")],
                trimmed_before: 0,
            },
            FakeShard {
                id: "shardId-0009-parent",
                parent: None,
                closed: true,
                records: vec![(10, "a"), (11, "b"), (12, "a"), (13, "b"), (14, "a")],
                trimmed_before: 0,
            },
        ],
        describe_page: 2,
        records_page: 2,
        ..Fake::default()
    }
}

fn position(seen: &[(String, u64)], seq: u64) -> usize {
    seen.iter().position(|(_, s)| *s == seq).unwrap()
}

fn assert_parent_first(seen: &[(String, u64)]) {
    let seqs: Vec<u64> = seen.iter().map(|(_, s)| *s).collect();
    let mut sorted = seqs.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [10, 11, 12, 13, 14, 20, 21, 22, 30, 31, 40],
        "each record once: {seen:?}"
    );
    let last_parent = position(seen, 14);
    for child in [20, 30, 40] {
        assert!(
            position(seen, child) > last_parent,
            "child before parent: {seen:?}"
        );
    }
    assert!(
        position(seen, 40) > position(seen, 22),
        "grandchild before child: {seen:?}"
    );
    for shard in [
        "shardId-0009-parent",
        "shardId-0001-child-a",
        "shardId-0002-child-b",
    ] {
        let in_shard: Vec<u64> = seen
            .iter()
            .filter(|(s, _)| s == shard)
            .map(|(_, q)| *q)
            .collect();
        assert!(
            in_shard.windows(2).all(|w| w[0] < w[1]),
            "{shard} out of order: {seen:?}"
        );
    }
}

#[test]
fn shards_are_read_parent_before_child_once_each() {
    let (server, fake) = serve(split());
    let seen = read(table(&server.url()).stream().unwrap());
    assert_parent_first(&seen);
    let log = fake.lock().unwrap().log.clone();
    assert!(
        log.iter()
            .any(|l| l.contains("\"ExclusiveStartShardId\":\"shardId-0002-child-b\"")),
        "DescribeStream was paged"
    );
}

#[test]
fn parallel_readers_keep_parent_before_child() {
    let (server, _fake) = serve(split());
    let seen = read(table(&server.url()).stream().unwrap().parallel(3));
    assert_parent_first(&seen);
}

#[test]
fn expired_iterators_are_renewed_after_the_last_record() {
    let mut fake = split();
    fake.expire_every = 2;
    let (server, fake) = serve(fake);
    let seen = read(table(&server.url()).stream().unwrap());
    assert_parent_first(&seen);
    let log = fake.lock().unwrap().log.clone();
    assert!(
        log.iter().any(|l| l.contains("AFTER_SEQUENCE_NUMBER") && l.contains("\"SequenceNumber\":\"11\"")),
        "renewed after the last record read: {log:#?}"
    );
}

fn trimmed() -> Fake {
    Fake {
        shards: vec![FakeShard {
            id: "shardId-0001-only",
            parent: None,
            closed: false,
            records: vec![(1, "a"), (2, "a"), (3, "a"), (4, "a"), (5, "a")],
            trimmed_before: 3,
        }],
        records_page: 10,
        ..Fake::default()
    }
}

fn checkpoint_after(seq: u64) -> Checkpoint {
    serde_json::from_value(
        json!({"stream_arn": ARN, "shards": {"shardId-0001-only": {"after": seq.to_string()}}}),
    )
    .unwrap()
}

#[test]
fn trimmed_records_are_a_typed_error_unless_skipped() {
    let (server, _fake) = serve(trimmed());
    let mut feed = table(&server.url())
        .stream()
        .unwrap()
        .from(StartAt::Checkpoint(checkpoint_after(1)));
    match feed.next() {
        Some(Err(Error::Stream(StreamError::Trimmed { shard_id, after }))) => {
            assert_eq!(shard_id, "shardId-0001-only");
            assert_eq!(after.as_deref(), Some("1"));
        }
        other => panic!("expected Trimmed, got {other:?}"),
    }
    assert!(feed.next().is_none(), "the feed ends after an error");

    let skipping = table(&server.url())
        .stream()
        .unwrap()
        .from(StartAt::Checkpoint(checkpoint_after(1)))
        .skip_trimmed();
    let seqs: Vec<u64> = read(skipping).into_iter().map(|(_, s)| s).collect();
    assert_eq!(seqs, [4, 5]);

    // From the trim horizon nothing is missing: no error.
    let seqs: Vec<u64> = read(table(&server.url()).stream().unwrap())
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    assert_eq!(seqs, [4, 5]);
}

#[test]
fn a_checkpoint_resumes_across_shards() {
    let (server, _fake) = serve(split());
    let mut feed = table(&server.url()).stream().unwrap();
    let first: Vec<_> = read(feed.by_ref().take(6));
    let saved = serde_json::to_string(&feed.checkpoint().unwrap()).unwrap();
    let resumed = table(&server.url())
        .stream()
        .unwrap()
        .from(StartAt::Checkpoint(serde_json::from_str(&saved).unwrap()));
    let mut all = first;
    all.extend(read(resumed));
    assert_parent_first(&all);
}

/// The errors a feed over `fake` ends with.
fn errors_of(fake: Fake) -> Vec<Error> {
    let (server, _fake) = serve(fake);
    let feed = table(&server.url()).stream().unwrap();
    feed.filter_map(Result::err).collect()
}

#[test]
fn servers_that_would_loop_forever_are_stopped() {
    let errors = errors_of(Fake {
        repeat_iterator: true,
        ..split()
    });
    assert!(
        matches!(
            errors.as_slice(),
            [Error::Stream(StreamError::RepeatedIterator { .. })]
        ),
        "{errors:?}"
    );
    let errors = errors_of(Fake {
        repeat_page_token: true,
        ..split()
    });
    // The one page-token guard every paginator uses.
    assert!(
        matches!(
            errors.as_slice(),
            [Error::Response(e)] if e.kind == ResponseErrorKind::RepeatedPageToken
                && e.detail.contains("DescribeStream")
        ),
        "{errors:?}"
    );
}

#[test]
fn streams_requests_carry_their_own_target_prefix() {
    let (server, fake) = serve(split());
    let _ = read(table(&server.url()).stream().unwrap());
    let log = fake.lock().unwrap().log.clone();
    let targets: BTreeMap<&str, usize> = log.iter().fold(BTreeMap::new(), |mut m, l| {
        *m.entry(l.split(' ').next().unwrap()).or_default() += 1;
        m
    });
    assert!(
        targets
            .keys()
            .all(|t| *t == "DynamoDB_20120810.DescribeTable"
                || t.starts_with("DynamoDBStreams_20120810.")),
        "{targets:?}"
    );
    assert!(targets.contains_key("DynamoDBStreams_20120810.GetRecords"));
}

#[test]
fn a_checkpointed_shard_that_was_trimmed_away_is_reported() {
    let (server, _fake) = serve(trimmed());
    let gone: Checkpoint = serde_json::from_value(json!({"stream_arn": ARN, "shards": {
        "shardId-0000-gone": {"after": "7"}, "shardId-0001-only": {"after": "4"}}}))
    .unwrap();
    let mut feed = table(&server.url())
        .stream()
        .unwrap()
        .from(StartAt::Checkpoint(gone.clone()));
    match feed.next() {
        Some(Err(Error::Stream(StreamError::Trimmed { shard_id, after }))) => {
            assert_eq!(shard_id, "shardId-0000-gone");
            assert_eq!(after.as_deref(), Some("7"));
        }
        other => panic!("expected Trimmed, got {other:?}"),
    }
    let rest = table(&server.url())
        .stream()
        .unwrap()
        .from(StartAt::Checkpoint(gone))
        .skip_trimmed();
    let seqs: Vec<u64> = read(rest).into_iter().map(|(_, s)| s).collect();
    assert_eq!(seqs, [5]);
}

#[test]
fn empty_pages_before_records_do_not_end_the_feed() {
    let fake = Fake {
        empty_first: 2,
        ..trimmed()
    };
    let (server, _fake) = serve(fake);
    let seqs: Vec<u64> = read(table(&server.url()).stream().unwrap())
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    assert_eq!(seqs, [4, 5]);
}
