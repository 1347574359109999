//! Calls against servers that never read, never answer, or answer errors
//! in the shapes other AWS JSON servers use: each call ends, with the kind
//! of error the AWS SDKs would see (issue 15, problems 2, 4, 5 and 6).

use std::cell::RefCell;
use std::time::Duration;

use dynamo_blocking::config::Environment;
use dynamo_blocking::wire::{self, WriteRequest};
use dynamo_blocking::{
    item, key, Client, ClientBuilder, Credentials, Error, KeySchema, ResponseErrorKind,
    RetryPolicy, ScalarType, SecondaryIndex, ServiceErrorKind, Table, TransportErrorKind,
};
use dynamo_tests::hostile::{within, Action, Hostile};

fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .endpoint(url)
        .region("us-east-1")
        .credentials(Credentials::new("AKIDTEST", "secret"))
        .environment(Environment::empty())
        .sleep_fn(|_| {})
}

fn get_item(client: &Client) -> Result<wire::GetItemOutput, Error> {
    client.get_item(&wire::GetItemInput::new("tbl", key! { "id" => "a" }))
}

/// A client that tries each request `n` times.
fn attempts(url: &str, n: u32) -> Client {
    builder(url)
        .retry_policy(RetryPolicy::default().max_attempts(n))
        .build()
        .unwrap()
}

const ITEM: &str = r#"{"Item":{"id":{"S":"a"}}}"#;

#[test]
fn a_large_write_to_a_server_that_never_reads_times_out() {
    let server = Hostile::never_reading();
    let client = builder(&server.url())
        .retry_policy(RetryPolicy::none())
        .send_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    // 25 items of 390 KB: a 10 MB request, far beyond the socket buffers.
    let filler = "x".repeat(390 * 1024);
    let puts = (0..25)
        .map(|i| WriteRequest::PutRequest {
            item: item! { "id" => format!("i{i}"), "data" => filler.as_str() },
        })
        .collect();
    let mut request = wire::BatchWriteItemInput::default();
    request.request_items.insert("tbl".into(), puts);
    let result = within(60, move || client.batch_write_item(&request));
    match result {
        Err(Error::Transport(e)) => assert_eq!(e.kind, TransportErrorKind::Timeout, "{e}"),
        other => panic!("expected a send timeout, got {other:?}"),
    }
}

#[test]
fn the_operation_timeout_ends_a_call_a_silent_server_would_hold() {
    let server = Hostile::start(|_| Action::Silence);
    // Without an operation timeout this call would take 10 × 10 s.
    let client = builder(&server.url())
        .operation_timeout(Duration::from_millis(1500))
        .build()
        .unwrap();
    let err = within(60, move || get_item(&client)).unwrap_err();
    match &err {
        Error::Transport(e) => assert_eq!(e.kind, TransportErrorKind::OperationTimeout, "{e}"),
        other => panic!("expected the operation timeout, got {other:?}"),
    }
    assert!(err.attempts() >= 1);
}

#[test]
fn the_operation_timeout_spans_retries() {
    // Each attempt answers at once with a 500; the backoff really sleeps.
    let server = Hostile::start(|_| {
        Action::status(500, r#"{"__type":"InternalServerError","message":"down"}"#)
    });
    let client = builder(&server.url())
        .sleep_fn(std::thread::sleep)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(100)
                .base(Duration::from_millis(400))
                .cap(Duration::from_millis(400))
                .without_quota(),
        )
        .operation_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let err = within(60, move || get_item(&client)).unwrap_err();
    match &err {
        Error::Transport(e) => assert_eq!(e.kind, TransportErrorKind::OperationTimeout, "{e}"),
        other => panic!("expected the operation timeout, got {other:?}"),
    }
    assert!(err.attempts() < 100, "stopped by time, not attempts");
    assert!(err.to_string().contains("InternalServerError"), "{err}");
}

fn throttle_header_only() -> Action {
    Action::status(400, "{}").header(
        "x-amzn-ErrorType",
        "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/",
    )
}

#[test]
fn an_error_code_only_in_the_header_is_read_and_retried() {
    let server = Hostile::start(|_| throttle_header_only());
    let client = attempts(&server.url(), 3);
    let err = get_item(&client).unwrap_err();
    assert_eq!(
        err.service_kind(),
        Some(ServiceErrorKind::Throttling),
        "{err}"
    );
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.requests(), 3);
}

#[test]
fn the_header_wins_over_the_body() {
    let server = Hostile::start(|_| {
        Action::status(
            400,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException"}"#,
        )
        .header("x-amzn-ErrorType", "ConditionalCheckFailedException")
    });
    let err = get_item(&builder(&server.url()).build().unwrap()).unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");
}

#[test]
fn a_code_member_is_read_before_type() {
    let server = Hostile::start(|_| {
        Action::status(
            400,
            r#"{"code":"ConditionalCheckFailedException","__type":"ValidationException","message":"no"}"#,
        )
    });
    let err = get_item(&builder(&server.url()).build().unwrap()).unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");
    assert_eq!(err.attempts(), 1);
    assert!(err.to_string().contains("no"), "{err}");
}

#[test]
fn a_type_with_a_url_suffix_keeps_its_kind() {
    let server = Hostile::start(|_| {
        Action::status(
            400,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException:http://internal.amazon.com/coral/com.amazon.coral.availability/","message":"slow down"}"#,
        )
    });
    let client = attempts(&server.url(), 2);
    let err = get_item(&client).unwrap_err();
    assert_eq!(
        err.service_kind(),
        Some(ServiceErrorKind::ProvisionedThroughputExceeded),
        "{err}"
    );
    assert!(err.is_throttling());
    assert_eq!(server.requests(), 2, "throttling is retried");
}

#[test]
fn a_4xx_body_the_client_cannot_decode_keeps_status_and_kind_and_is_not_retried() {
    // `message` is a number and `CancellationReasons` a string: not the
    // shapes DynamoDB sends, but the code is plain.
    let server = Hostile::start(|_| {
        Action::status(
            400,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":42,"CancellationReasons":"nope"}"#,
        )
    });
    let err = get_item(&builder(&server.url()).build().unwrap()).unwrap_err();
    match &err {
        Error::Service(e) => {
            assert_eq!(e.kind, ServiceErrorKind::Validation);
            assert_eq!(e.status, 400);
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    assert_eq!(server.requests(), 1);
}

#[test]
fn a_4xx_json_answer_without_a_code_is_malformed_and_not_retried() {
    let server = Hostile::start(|_| Action::status(403, r#"{"message":"who are you"}"#));
    let err = get_item(&builder(&server.url()).build().unwrap()).unwrap_err();
    match &err {
        Error::Response(e) => {
            assert_eq!(e.kind, ResponseErrorKind::Malformed);
            assert_eq!(e.status, 403);
        }
        other => panic!("expected a malformed answer, got {other:?}"),
    }
    assert_eq!(server.requests(), 1);
}

#[test]
fn a_cut_off_4xx_answer_is_retried() {
    // The JSON ends early: cut off on the way, so the next answer may be
    // whole (what the fault proxy's truncated answers need).
    let server = Hostile::start(|_| {
        Action::status(400, r#"{"__type":"com.amazonaws.dynamodb.v20120810#Condit"#)
    });
    let err = get_item(&attempts(&server.url(), 2)).unwrap_err();
    assert!(
        matches!(&err, Error::Response(e) if e.status == 400),
        "{err}"
    );
    assert_eq!(server.requests(), 2);
}

thread_local! {
    static SLEPT: RefCell<Vec<Duration>> = const { RefCell::new(Vec::new()) };
}

fn record_sleep(d: Duration) {
    SLEPT.with(|s| s.borrow_mut().push(d));
}

#[test]
fn x_amz_retry_after_sets_the_wait_within_bounds() {
    for (asked_ms, expect) in [(1500u64, 1500..=1500u128), (3_600_000, 5000..=5050)] {
        let server = Hostile::start(move |r| {
            if r.body["Key"]["id"]["S"] == "a" {
                Action::status(
                    400,
                    r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException"}"#,
                )
                .header("x-amz-retry-after", &asked_ms.to_string())
            } else {
                Action::ok(ITEM)
            }
        });
        let client = builder(&server.url())
            .retry_policy(RetryPolicy::default().max_attempts(2))
            .sleep_fn(record_sleep)
            .build()
            .unwrap();
        SLEPT.with(|s| s.borrow_mut().clear());
        assert!(get_item(&client).is_err());
        let slept = SLEPT.with(|s| s.borrow().clone());
        assert_eq!(slept.len(), 1);
        assert!(
            expect.contains(&slept[0].as_millis()),
            "asked {asked_ms} ms, slept {:?}",
            slept[0]
        );
    }
}

#[test]
fn a_policy_of_duration_max_does_not_panic() {
    let server = Hostile::start(|_| {
        Action::status(500, r#"{"__type":"InternalServerError","message":"down"}"#)
    });
    let client = builder(&server.url())
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .base(Duration::MAX)
                .cap(Duration::MAX),
        )
        .build()
        .unwrap();
    let err = within(60, move || get_item(&client)).unwrap_err();
    assert_eq!(err.attempts(), 3);
}

#[test]
fn counts_that_overflow_are_an_error_not_a_panic() {
    let server = Hostile::start(|r| {
        if r.body.get("ExclusiveStartKey").is_none() {
            Action::ok(format!(
                r#"{{"Count":{},"ScannedCount":0,"LastEvaluatedKey":{{"id":{{"S":"a"}}}}}}"#,
                u64::MAX
            ))
        } else {
            Action::ok(r#"{"Count":1,"ScannedCount":0}"#)
        }
    });
    let client = builder(&server.url()).build().unwrap();
    let t = Table::with_schema(
        &client,
        "tbl",
        KeySchema::hash(("id", ScalarType::S)),
        Vec::<SecondaryIndex>::new(),
    );
    let err = t.query().key_eq("id", "a").count().unwrap_err();
    match &err {
        Error::Response(e) => assert_eq!(e.kind, ResponseErrorKind::Malformed, "{e}"),
        other => panic!("expected a malformed answer, got {other:?}"),
    }
}

const DESCRIPTION: &str = r#"{"Table":{"TableName":"tbl","TableStatus":"ACTIVE",
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
    "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]}}"#;

/// Eight threads ask a lazy table for its schema at once while DescribeTable
/// is slow: one describe (with its retries) is in flight and all share its
/// outcome, instead of each waiting for the previous ones' retries.
#[test]
fn a_lazy_describe_is_shared_by_every_waiting_thread() {
    for fails in [true, false] {
        let server = Hostile::start(move |_| {
            std::thread::sleep(Duration::from_millis(300));
            if fails {
                Action::status(500, r#"{"__type":"InternalServerError","message":"down"}"#)
            } else {
                Action::ok(DESCRIPTION)
            }
        });
        let client = builder(&server.url())
            .retry_policy(RetryPolicy::default().max_attempts(3))
            .build()
            .unwrap();
        let table = Table::new(&client, "tbl");
        let outcomes: Vec<_> = within(60, move || {
            let threads: Vec<_> = (0..8)
                .map(|_| {
                    let table = table.clone();
                    std::thread::spawn(move || table.meta().map(|m| m.schema.clone()))
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        for outcome in &outcomes {
            match outcome {
                Ok(schema) => assert!(!fails, "{schema:?}"),
                Err(e) => {
                    assert!(fails, "{e}");
                    assert_eq!(
                        e.service_kind(),
                        Some(ServiceErrorKind::InternalServerError)
                    );
                }
            }
        }
        // Before: 8 describes one after the other, 24 requests when
        // failing. Now one flight of 3; a thread the scheduler starts only
        // after a failed flight landed may start one more of its own.
        if fails {
            assert!(
                (3..=12).contains(&server.requests()),
                "{}",
                server.requests()
            );
        } else {
            assert_eq!(server.requests(), 1);
        }
    }
}
