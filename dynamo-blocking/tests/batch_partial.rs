//! Batch writes and gets through partial answers (UnprocessedItems /
//! UnprocessedKeys), which DynamoDB Local never gives: everything ends up
//! written or read, or handed back.

use std::time::Duration;

use dynamo_blocking::config::Environment;
use dynamo_blocking::wire::WriteRequest;
use dynamo_blocking::{
    item, key, Client, Credentials, Error, KeySchema, RetryPolicy, ScalarType, SecondaryIndex,
    Table,
};
use mockito::{Matcher, Server};

const BATCH_WRITE: &str = "DynamoDB_20120810.BatchWriteItem";
const BATCH_GET: &str = "DynamoDB_20120810.BatchGetItem";

fn table(server: &Server, retry: RetryPolicy) -> Table {
    let client = Client::builder()
        .endpoint(server.url())
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret"))
        .environment(Environment::empty())
        .retry_policy(retry)
        .read_timeout(Duration::from_secs(2))
        .sleep_fn(|_| {})
        .build()
        .unwrap();
    Table::with_schema(
        &client,
        "tbl",
        KeySchema::hash(("id", ScalarType::S)),
        Vec::<SecondaryIndex>::new(),
    )
}

#[test]
fn unprocessed_items_are_resent_until_written() {
    let mut server = Server::new();
    let first = server
        .mock("POST", "/")
        .match_header("x-amz-target", BATCH_WRITE)
        .match_body(Matcher::PartialJsonString(
            r#"{"RequestItems":{"tbl":[{"PutRequest":{"Item":{"id":{"S":"a"}}}},{"PutRequest":{"Item":{"id":{"S":"b"}}}},{"PutRequest":{"Item":{"id":{"S":"c"}}}}]}}"#.into(),
        ))
        .with_body(r#"{"UnprocessedItems":{"tbl":[{"PutRequest":{"Item":{"id":{"S":"b"}}}},{"PutRequest":{"Item":{"id":{"S":"c"}}}}]}}"#)
        .expect(1)
        .create();
    let resend = server
        .mock("POST", "/")
        .match_header("x-amz-target", BATCH_WRITE)
        .match_body(Matcher::PartialJsonString(
            r#"{"RequestItems":{"tbl":[{"PutRequest":{"Item":{"id":{"S":"b"}}}},{"PutRequest":{"Item":{"id":{"S":"c"}}}}]}}"#.into(),
        ))
        .with_body(r#"{"UnprocessedItems":{}}"#)
        .expect(1)
        .create();
    let t = table(&server, RetryPolicy::default());
    t.batch_write(|b| -> Result<(), Error> {
        for id in ["a", "b", "c"] {
            b.put_item(item! { "id" => id })?;
        }
        Ok(())
    })
    .unwrap();
    first.assert();
    resend.assert();
}

#[test]
fn a_writer_that_exhausts_retries_hands_back_the_unwritten_items() {
    let mut server = Server::new();
    let always_unprocessed = server
        .mock("POST", "/")
        .match_header("x-amz-target", BATCH_WRITE)
        .with_body(r#"{"UnprocessedItems":{"tbl":[{"DeleteRequest":{"Key":{"id":{"S":"b"}}}}]}}"#)
        .expect(4)
        .create();
    let t = table(&server, RetryPolicy::default().max_attempts(3));
    let err = t
        .batch_write(|b| {
            b.put_item(item! { "id" => "a" })?;
            b.delete_item(key! { "id" => "b" })
        })
        .unwrap_err();
    always_unprocessed.assert();
    match err {
        Error::UnprocessedWrites { unprocessed, cause } => {
            assert_eq!(
                unprocessed,
                vec![WriteRequest::DeleteRequest {
                    key: key! { "id" => "b" }
                }]
            );
            assert!(cause.is_none());
        }
        other => panic!("expected unwritten items back, got {other:?}"),
    }
}

#[test]
fn a_failed_batch_request_hands_back_every_queued_item() {
    let mut server = Server::new();
    server
        .mock("POST", "/")
        .with_status(400)
        .with_body(
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow"}"#,
        )
        .create();
    let t = table(&server, RetryPolicy::default().max_attempts(2));
    let err = t
        .batch_write(|b| (0..30).try_for_each(|i| b.put_item(item! { "id" => format!("k{i}") })))
        .unwrap_err();
    match err {
        Error::UnprocessedWrites { unprocessed, cause } => {
            // The first 25 failed as one request; the writer gives them back
            // along with the 26th it could not queue behind them.
            assert_eq!(unprocessed.len(), 25);
            assert!(cause.unwrap().is_throttling());
        }
        other => panic!("expected unwritten items back, got {other:?}"),
    }
}

#[test]
fn unprocessed_keys_are_asked_again_until_read() {
    let mut server = Server::new();
    let first = server
        .mock("POST", "/")
        .match_header("x-amz-target", BATCH_GET)
        .match_body(Matcher::PartialJsonString(
            r#"{"RequestItems":{"tbl":{"Keys":[{"id":{"S":"a"}},{"id":{"S":"b"}},{"id":{"S":"c"}}]}}}"#.into(),
        ))
        .with_body(r#"{"Responses":{"tbl":[]},"UnprocessedKeys":{"tbl":{"Keys":[{"id":{"S":"b"}},{"id":{"S":"c"}}]}}}"#)
        .expect(1)
        .create();
    let second = server
        .mock("POST", "/")
        .match_header("x-amz-target", BATCH_GET)
        .match_body(Matcher::PartialJsonString(
            r#"{"RequestItems":{"tbl":{"Keys":[{"id":{"S":"b"}},{"id":{"S":"c"}}]}}}"#.into(),
        ))
        .with_body(
            r#"{"Responses":{"tbl":[{"id":{"S":"b"}},{"id":{"S":"c"}}]},"UnprocessedKeys":{}}"#,
        )
        .expect(1)
        .create();
    let t = table(&server, RetryPolicy::default());
    // The first answer is empty *and* partial: boto lost these keys.
    let mut ids: Vec<String> = t
        .batch_get(["a", "b", "c"].map(|id| key! { "id" => id }))
        .into_iter()
        .map(|i| i.unwrap().get_as("id").unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["b", "c"], "a is simply missing");
    first.assert();
    second.assert();
}

#[test]
fn keys_still_unprocessed_after_every_retry_are_handed_back() {
    let mut server = Server::new();
    server
        .mock("POST", "/")
        .match_header("x-amz-target", BATCH_GET)
        .with_body(
            r#"{"Responses":{"tbl":[]},"UnprocessedKeys":{"tbl":{"Keys":[{"id":{"S":"a"}}]}}}"#,
        )
        .expect(2)
        .create();
    let t = table(&server, RetryPolicy::default().max_attempts(2));
    let results: Vec<_> = t.batch_get([key! { "id" => "a" }]).into_iter().collect();
    assert_eq!(results.len(), 1);
    match &results[0] {
        Err(Error::UnprocessedKeys { keys, cause: None }) => {
            assert_eq!(keys, &vec![key! { "id" => "a" }])
        }
        other => panic!("expected the key back, got {other:?}"),
    }
}
