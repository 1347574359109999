//! What the client does with answers DynamoDB Local cannot be made to give:
//! throttling, server errors, broken bodies, checksum mismatches, timeouts.

use std::io::Read;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use dynamo_blocking::config::Environment;
use dynamo_blocking::{
    key, wire, Client, Credentials, Error, ResponseErrorKind, RetryPolicy, ServiceErrorKind,
    TransportErrorKind,
};
use mockito::{Matcher, Server};

const GET_ITEM: &str = "DynamoDB_20120810.GetItem";
const THROTTLED: &str = r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}"#;
const ITEM: &str = r#"{"Item":{"id":{"S":"a"}}}"#;

fn client_for(url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .endpoint(url)
        .region("us-east-1")
        .credentials(
            Credentials::new("AKIDTEST", "secret-for-tests").with_session_token("token-for-tests"),
        )
        .environment(Environment::empty())
        .retry_policy(retry)
        .read_timeout(Duration::from_millis(500))
        .sleep_fn(|_| {})
        .build()
        .unwrap()
}

fn get_item(client: &Client) -> Result<wire::GetItemOutput, Error> {
    client.get_item(&wire::GetItemInput::new("tbl", key! { "id" => "a" }))
}

#[test]
fn throttled_twice_then_success_takes_three_requests() {
    let mut server = Server::new();
    let throttled = server
        .mock("POST", "/")
        .match_header("x-amz-target", GET_ITEM)
        .with_status(400)
        .with_body(THROTTLED)
        .expect(2)
        .create();
    let ok = server
        .mock("POST", "/")
        .match_header("x-amz-target", GET_ITEM)
        .with_body(ITEM)
        .expect(1)
        .create();
    let client = client_for(&server.url(), RetryPolicy::default());
    let out = get_item(&client).unwrap();
    assert_eq!(out.item.unwrap().get_as::<String>("id").unwrap(), "a");
    throttled.assert();
    ok.assert();
    assert_eq!(client.requests_sent("GetItem"), 3);
}

#[test]
fn every_throttling_kind_and_5xx_is_retried() {
    for (status, body) in [
        (
            400,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"x"}"#,
        ),
        (
            400,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#RequestLimitExceeded","message":"x"}"#,
        ),
        (
            500,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"x"}"#,
        ),
        (
            503,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ServiceUnavailable","message":"x"}"#,
        ),
    ] {
        let mut server = Server::new();
        let failing = server
            .mock("POST", "/")
            .with_status(status)
            .with_body(body)
            .expect(1)
            .create();
        let ok = server.mock("POST", "/").with_body(ITEM).expect(1).create();
        let client = client_for(&server.url(), RetryPolicy::default());
        assert!(get_item(&client).is_ok(), "{body} should be retried");
        failing.assert();
        ok.assert();
    }
}

#[test]
fn a_non_retryable_error_is_sent_exactly_once() {
    let mut server = Server::new();
    let mock = server
        .mock("POST", "/")
        .with_status(400)
        .with_header("x-amzn-RequestId", "REQ123")
        .with_body(r#"{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"One or more parameter values were invalid"}"#)
        .expect(1)
        .create();
    let client = client_for(&server.url(), RetryPolicy::default());
    let err = get_item(&client).unwrap_err();
    mock.assert();
    assert_eq!(err.service_kind(), Some(ServiceErrorKind::Validation));
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.request_id(), Some("REQ123"));
    assert!(
        err.to_string()
            .contains("One or more parameter values were invalid"),
        "{err}"
    );
}

#[test]
fn exhausted_attempts_name_the_count() {
    let mut server = Server::new();
    let mock = server
        .mock("POST", "/")
        .with_status(400)
        .with_body(THROTTLED)
        .expect(4)
        .create();
    let client = client_for(&server.url(), RetryPolicy::default().max_attempts(4));
    let err = get_item(&client).unwrap_err();
    mock.assert();
    assert!(err.is_throttling());
    assert_eq!(err.attempts(), 4);
    assert!(err.to_string().contains("after 4 attempts"), "{err}");
}

#[test]
fn retries_can_be_turned_off() {
    let mut server = Server::new();
    let mock = server
        .mock("POST", "/")
        .with_status(400)
        .with_body(THROTTLED)
        .expect(1)
        .create();
    let client = client_for(&server.url(), RetryPolicy::none());
    assert!(get_item(&client).unwrap_err().is_throttling());
    mock.assert();
}

#[test]
fn a_checksum_mismatch_is_a_typed_error_and_retried() {
    let mut server = Server::new();
    let mock = server
        .mock("POST", "/")
        .with_header("x-amz-crc32", "12345")
        .with_body(ITEM)
        .expect(2)
        .create();
    let client = client_for(&server.url(), RetryPolicy::default().max_attempts(2));
    let err = get_item(&client).unwrap_err();
    mock.assert();
    match &err {
        Error::Response(e) => assert_eq!(
            e.kind,
            ResponseErrorKind::ChecksumMismatch {
                expected: 12345,
                actual: crc32fast::hash(ITEM.as_bytes())
            }
        ),
        other => panic!("expected a checksum error, got {other:?}"),
    }
    assert_eq!(err.attempts(), 2);
}

#[test]
fn a_matching_checksum_is_accepted() {
    let mut server = Server::new();
    let crc = crc32fast::hash(ITEM.as_bytes()).to_string();
    server
        .mock("POST", "/")
        .with_header("x-amz-crc32", &crc)
        .with_body(ITEM)
        .create();
    let client = client_for(&server.url(), RetryPolicy::none());
    assert!(get_item(&client).unwrap().item.is_some());
}

#[test]
fn an_html_502_is_a_typed_error() {
    let mut server = Server::new();
    server
        .mock("POST", "/")
        .with_status(502)
        .with_header("content-type", "text/html")
        .with_body("<html><body><h1>502 Bad Gateway</h1></body></html>")
        .create();
    let client = client_for(&server.url(), RetryPolicy::default().max_attempts(2));
    let err = get_item(&client).unwrap_err();
    match &err {
        Error::Response(e) => {
            assert_eq!(e.kind, ResponseErrorKind::Malformed);
            assert_eq!(e.status, 502);
            assert!(e.body_start.contains("502 Bad Gateway"));
        }
        other => panic!("expected a malformed response, got {other:?}"),
    }
    assert_eq!(err.attempts(), 2, "a proxy's 502 is worth retrying");
}

#[test]
fn truncated_json_is_a_typed_error() {
    let mut server = Server::new();
    server
        .mock("POST", "/")
        .with_body(r#"{"Item":{"id":{"S":"a"#)
        .create();
    let e = malformed_200(&server);
    assert!(e.detail.contains("EOF"), "{}", e.detail);
}

#[test]
fn a_body_that_is_not_utf8_is_a_typed_error() {
    let mut server = Server::new();
    let mut body = br#"{"Item":{"id":{"S":"a"#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe]);
    body.extend_from_slice(br#""}}}"#);
    server.mock("POST", "/").with_body(body).create();
    let e = malformed_200(&server);
    assert!(e.detail.contains("utf-8"), "{}", e.detail);
}

/// The error of a GetItem whose 200 answer `server` gives, which must be a
/// malformed answer, tried once.
fn malformed_200(server: &Server) -> Box<dynamo_blocking::ResponseError> {
    let client = client_for(&server.url(), RetryPolicy::none());
    match get_item(&client).unwrap_err() {
        Error::Response(e) => {
            assert_eq!(e.kind, ResponseErrorKind::Malformed);
            assert_eq!(e.status, 200);
            e
        }
        other => panic!("expected a malformed response, got {other:?}"),
    }
}

#[test]
fn an_unknown_error_type_keeps_its_raw_code() {
    let mut server = Server::new();
    server
        .mock("POST", "/")
        .with_status(400)
        .with_body(
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#BrandNewException","message":"new"}"#,
        )
        .create();
    let client = client_for(&server.url(), RetryPolicy::default());
    match get_item(&client).unwrap_err() {
        Error::Service(e) => {
            assert_eq!(e.kind, ServiceErrorKind::Unknown);
            assert_eq!(e.code, "BrandNewException");
            assert_eq!(e.attempts, 1);
        }
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[test]
fn transaction_cancellation_reasons_are_kept() {
    let mut server = Server::new();
    server
        .mock("POST", "/")
        .with_status(400)
        .with_body(r#"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled","CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]}"#)
        .create();
    let client = client_for(&server.url(), RetryPolicy::none());
    let check = wire::TransactWriteItem::ConditionCheck(wire::TransactCondition {
        table_name: "tbl".into(),
        key: key! { "id" => "a" },
        condition_expression: "attribute_exists(id)".into(),
        ..Default::default()
    });
    let request = wire::TransactWriteItemsInput {
        transact_items: vec![check],
        ..Default::default()
    };
    let err = client.transact_write_items(&request).unwrap_err();
    match &err {
        Error::Service(e) => {
            assert_eq!(e.kind, ServiceErrorKind::TransactionCanceled);
            assert_eq!(e.cancellation_reasons.len(), 2);
            assert_eq!(
                e.cancellation_reasons[1].code.as_deref(),
                Some("ConditionalCheckFailed")
            );
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    assert!(
        err.to_string().contains("action 1: ConditionalCheckFailed"),
        "{err}"
    );
}

#[test]
fn a_read_timeout_is_a_typed_error() {
    // A server that accepts, reads the request and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().take(2) {
            let mut conn = conn.unwrap();
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            held.push(conn);
        }
        std::thread::sleep(Duration::from_secs(5));
    });
    let client = client_for(&url, RetryPolicy::default().max_attempts(2));
    let start = Instant::now();
    let err = get_item(&client).unwrap_err();
    match &err {
        Error::Transport(e) => assert_eq!(e.kind, TransportErrorKind::Timeout, "{e}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(err.attempts(), 2);
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn a_refused_connection_is_a_typed_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client_for(&format!("http://127.0.0.1:{port}"), RetryPolicy::none());
    match get_item(&client).unwrap_err() {
        Error::Transport(e) => assert_eq!(e.kind, TransportErrorKind::Connect, "{e}"),
        other => panic!("expected a connection error, got {other:?}"),
    }
}

#[test]
fn requests_are_signed_with_the_protocol_headers() {
    let mut server = Server::new();
    let mock = server
        .mock("POST", "/")
        .match_header("content-type", "application/x-amz-json-1.0")
        .match_header("x-amz-target", GET_ITEM)
        .match_header("x-amz-security-token", "token-for-tests")
        .match_header("x-amz-date", Matcher::Regex(r"^\d{8}T\d{6}Z$".into()))
        .match_header(
            "authorization",
            Matcher::Regex(
                r"^AWS4-HMAC-SHA256 Credential=AKIDTEST/\d{8}/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$".into(),
            ),
        )
        .match_body(r#"{"TableName":"tbl","Key":{"id":{"S":"a"}}}"#)
        .with_body(ITEM)
        .expect(1)
        .create();
    let client = client_for(&server.url(), RetryPolicy::none());
    get_item(&client).unwrap();
    mock.assert();
}

#[test]
fn secrets_never_reach_debug_or_errors() {
    let mut server = Server::new();
    server
        .mock("POST", "/")
        .with_status(400)
        .with_body(THROTTLED)
        .create();
    let client = client_for(&server.url(), RetryPolicy::none());
    let err = get_item(&client).unwrap_err();
    for text in [format!("{client:?}"), format!("{err:?}"), err.to_string()] {
        assert!(!text.contains("secret-for-tests"), "{text}");
        assert!(!text.contains("token-for-tests"), "{text}");
    }
}

#[test]
fn a_4xx_page_that_is_not_dynamodb_json_is_not_retried() {
    let mut server = Server::new();
    let mock = server
        .mock("POST", "/")
        .with_status(403)
        .with_header("content-type", "text/html")
        .with_body("<html>Forbidden by proxy</html>")
        .expect(1)
        .create();
    let client = client_for(&server.url(), RetryPolicy::default());
    let err = get_item(&client).unwrap_err();
    mock.assert();
    assert!(
        matches!(&err, Error::Response(e) if e.status == 403),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 1);
}

#[test]
fn a_failed_tls_handshake_is_not_retried() {
    // A plain-text server behind an https URL: the handshake fails.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in listener.incoming().take(3) {
            let mut conn = conn.unwrap();
            let _ = std::io::Write::write_all(
                &mut conn,
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
            );
        }
    });
    let client = client_for(&url, RetryPolicy::default());
    let err = get_item(&client).unwrap_err();
    match &err {
        Error::Transport(e) => assert_eq!(e.kind, TransportErrorKind::Tls, "{e}"),
        other => panic!("expected a TLS failure, got {other:?}"),
    }
    assert_eq!(err.attempts(), 1);
}

#[test]
fn raw_requests_dynamodb_would_refuse_are_never_sent() {
    let mut server = Server::new();
    let nothing = server.mock("POST", "/").expect(0).create();
    let client = client_for(&server.url(), RetryPolicy::default());

    let mut too_many_keys = wire::BatchGetItemInput::default();
    too_many_keys.request_items.insert(
        "tbl".into(),
        wire::KeysAndAttributes {
            keys: (0..101).map(|i| key! { "id" => i }).collect(),
            ..Default::default()
        },
    );
    let err = client.batch_get_item(&too_many_keys).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Request(wire::RequestError::Count {
                given: 101,
                max: 100,
                ..
            })
        ),
        "{err}"
    );

    let mut too_many_writes = wire::BatchWriteItemInput::default();
    too_many_writes.request_items.insert(
        "tbl".into(),
        (0..26)
            .map(|i| wire::WriteRequest::DeleteRequest {
                key: key! { "id" => i },
            })
            .collect(),
    );
    assert!(matches!(
        client.batch_write_item(&too_many_writes),
        Err(Error::Request(wire::RequestError::Count {
            given: 26,
            max: 25,
            ..
        }))
    ));

    let bad_name = client
        .get_item(&wire::GetItemInput::new("a b", key! { "id" => 1 }))
        .unwrap_err();
    assert!(matches!(bad_name, Error::Name(_)), "{bad_name}");

    let big = dynamo_blocking::item! { "id" => 1, "blob" => "x".repeat(410 * 1024) };
    let too_big = client
        .put_item(&wire::PutItemInput::new("tbl", big))
        .unwrap_err();
    assert!(matches!(too_big, Error::ItemTooLarge { .. }), "{too_big}");

    let empty_set =
        dynamo_blocking::item! { "id" => 1, "tags" => dynamo_blocking::AttributeValue::Ss(vec![]) };
    let refused = client
        .put_item(&wire::PutItemInput::new("tbl", empty_set))
        .unwrap_err();
    assert!(matches!(refused, Error::Convert(_)), "{refused}");

    nothing.assert();
    assert_eq!(
        client.requests_sent("BatchGetItem") + client.requests_sent("PutItem"),
        0
    );
}
