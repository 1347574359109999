//! Paginators against a server that repeats its page tokens, and parallel
//! scans whose consumer stops: every iteration must end, with a typed error
//! when the server is at fault (issue 15, problems 1 and 3).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dynamo_blocking::config::Environment;
use dynamo_blocking::{
    key, Client, Credentials, Error, KeySchema, ResponseErrorKind, RetryPolicy, ScalarType,
    SecondaryIndex, Table,
};
use dynamo_tests::hostile::{within, Action, Hostile};
use serde_json::json;

fn client(url: &str) -> Client {
    Client::builder()
        .endpoint(url)
        .region("us-east-1")
        .credentials(Credentials::new("AKIDTEST", "secret"))
        .environment(Environment::empty())
        .retry_policy(RetryPolicy::default().max_attempts(3))
        .sleep_fn(|_| {})
        .build()
        .unwrap()
}

fn table(url: &str) -> Table {
    Table::with_schema(
        &client(url),
        "tbl",
        KeySchema::hash(("id", ScalarType::S)),
        Vec::<SecondaryIndex>::new(),
    )
}

fn is_repeated_token(e: &Error) -> bool {
    matches!(e, Error::Response(r) if r.kind == ResponseErrorKind::RepeatedPageToken)
}

fn page(items: serde_json::Value, next: Option<serde_json::Value>) -> Action {
    let count = items.as_array().map_or(0, Vec::len);
    let mut body = json!({"Items": items, "Count": count, "ScannedCount": count});
    if let Some(next) = next {
        body["LastEvaluatedKey"] = next;
    }
    Action::ok(body.to_string())
}

#[test]
fn a_query_whose_token_repeats_ends_with_a_typed_error() {
    let server =
        Hostile::start(|_| page(json!([{"id": {"S": "a"}}]), Some(json!({"id": {"S": "a"}}))));
    let t = table(&server.url());
    let results: Vec<_> = within(60, move || {
        t.query().key_eq("id", "a").into_iter().collect()
    });
    assert_eq!(results.len(), 2, "one item, then the error");
    assert!(results[0].is_ok());
    let err = results[1].as_ref().unwrap_err();
    assert!(is_repeated_token(err), "{err}");
    assert!(err.to_string().contains("Query"), "{err}");
    assert_eq!(server.requests(), 2);
}

#[test]
fn a_scan_of_empty_pages_with_one_token_ends_at_the_first_next() {
    let server = Hostile::start(|_| page(json!([]), Some(json!({"id": {"S": "x"}}))));
    let t = table(&server.url());
    let first = within(60, move || t.scan().into_iter().next());
    let err = first.expect("an error, not the end").unwrap_err();
    assert!(is_repeated_token(&err), "{err}");
    assert_eq!(server.requests(), 2);
}

#[test]
fn a_cycle_of_tokens_is_caught_too() {
    // None -> A -> B -> A -> ...
    let server = Hostile::start(|r| {
        let next = match r.body["ExclusiveStartKey"]["id"]["S"].as_str() {
            Some("A") => "B",
            _ => "A",
        };
        page(json!([]), Some(json!({"id": {"S": next}})))
    });
    let t = table(&server.url());
    let first = within(60, move || t.scan().into_iter().next());
    assert!(is_repeated_token(&first.unwrap().unwrap_err()));
    assert_eq!(server.requests(), 3);
}

#[test]
fn a_resume_key_handed_back_is_a_repeat() {
    let server = Hostile::start(|_| page(json!([]), Some(json!({"id": {"S": "k"}}))));
    let t = table(&server.url());
    let first = within(60, move || {
        t.scan().start_from(key! { "id" => "k" }).into_iter().next()
    });
    assert!(is_repeated_token(&first.unwrap().unwrap_err()));
    assert_eq!(server.requests(), 1);
}

#[test]
fn a_parallel_scan_whose_segments_repeat_tokens_fails() {
    let server = Hostile::start(|_| page(json!([]), Some(json!({"id": {"S": "x"}}))));
    let t = table(&server.url());
    let result = within(60, move || {
        t.scan().parallel(4).for_each(|_| Ok::<(), Error>(()))
    });
    assert!(is_repeated_token(&result.unwrap_err()));
}

#[test]
fn count_with_a_repeating_token_fails() {
    let server = Hostile::start(|_| {
        Action::ok(r#"{"Count":3,"ScannedCount":3,"LastEvaluatedKey":{"id":{"S":"a"}}}"#)
    });
    let t = table(&server.url());
    let result = within(60, move || t.query().key_eq("id", "a").count());
    assert!(is_repeated_token(&result.unwrap_err()));
    assert_eq!(server.requests(), 2);
}

#[test]
fn list_tables_with_a_repeating_token_fails() {
    let server =
        Hostile::start(|_| Action::ok(r#"{"TableNames":["t1"],"LastEvaluatedTableName":"t1"}"#));
    let c = client(&server.url());
    let results: Vec<_> = within(60, move || c.list_tables().collect());
    // The page that repeats the token is not handed out: its names are
    // those of a page already read.
    assert_eq!(results.len(), 2, "t1, then the error");
    let err = results[1].as_ref().unwrap_err();
    assert!(is_repeated_token(err), "{err}");
    assert!(err.to_string().contains("ListTables"), "{err}");
}

#[test]
fn a_batch_get_whose_keys_always_come_back_unprocessed_ends() {
    // Answers the item and, at the same time, every key as unprocessed.
    let server = Hostile::start(|r| {
        let keys = r.body["RequestItems"]["tbl"]["Keys"].clone();
        Action::ok(
            json!({
                "Responses": {"tbl": [{"id": {"S": "a"}}]},
                "UnprocessedKeys": {"tbl": {"Keys": keys}}
            })
            .to_string(),
        )
    });
    let t = table(&server.url());
    let results: Vec<_> = within(60, move || {
        t.batch_get([key! { "id" => "a" }]).into_iter().collect()
    });
    match results.last() {
        Some(Err(Error::UnprocessedKeys { keys, cause: None })) => assert_eq!(keys.len(), 1),
        other => panic!("expected UnprocessedKeys, got {other:?}"),
    }
    assert_eq!(
        server.requests(),
        3,
        "one request per attempt of the policy"
    );
}

#[test]
fn a_batch_get_answer_naming_keys_never_asked_is_refused() {
    let server = Hostile::start(|_| {
        Action::ok(
            r#"{"Responses":{"tbl":[]},"UnprocessedKeys":{"tbl":{"Keys":[{"id":{"S":"other"}}]}}}"#,
        )
    });
    let t = table(&server.url());
    let results: Vec<_> = within(60, move || {
        t.batch_get([key! { "id" => "a" }]).into_iter().collect()
    });
    match results.last() {
        Some(Err(Error::UnprocessedKeys {
            keys,
            cause: Some(cause),
        })) => {
            assert_eq!(keys.len(), 1, "the key asked is handed back");
            assert!(cause.to_string().contains("not asked"), "{cause}");
        }
        other => panic!("expected UnprocessedKeys, got {other:?}"),
    }
    assert_eq!(server.requests(), 1);
}

/// Segment 0: one item on its first page; then, as every other segment,
/// empty pages with fresh tokens forever (a filter matching nothing in an
/// endless table).
fn endless_segments() -> Hostile {
    let counter = Arc::new(AtomicU64::new(0));
    Hostile::start(move |r| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let next = Some(json!({"id": {"S": format!("k{n}")}}));
        if r.body.get("ExclusiveStartKey").is_none() && r.body["Segment"] == 0 {
            page(json!([{"id": {"S": format!("item{n}")}}]), next)
        } else {
            page(json!([]), next)
        }
    })
}

#[test]
fn dropping_a_parallel_scan_stops_its_threads() {
    let server = endless_segments();
    let t = table(&server.url());
    within(60, move || {
        let mut items = t.scan().parallel(4).into_iter();
        assert!(items.next().unwrap().is_ok());
        // Joins the threads: returns only once every segment stopped.
        drop(items);
    });
    let after_drop = server.requests();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.requests(), after_drop, "no request after the drop");
}

/// The callback's own error type.
#[derive(Debug)]
enum Stop {
    Enough,
    Scan(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Scan(e)
    }
}

#[test]
fn a_failing_callback_stops_a_parallel_scan() {
    let server = endless_segments();
    let t = table(&server.url());
    let result = within(60, move || {
        t.scan().parallel(4).for_each(|_| Err(Stop::Enough))
    });
    match result {
        Err(Stop::Enough) => {}
        Err(Stop::Scan(e)) => panic!("the scan failed first: {e}"),
        Ok(()) => panic!("the callback's error was lost"),
    }
    let after = server.requests();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        server.requests(),
        after,
        "no request after for_each returned"
    );
}
