//! Smoke test: the DynamoDB Local server started by `./scripts/test.sh`
//! answers a raw ListTables request.
//!
//! It fails (rather than silently passing) when no server can be reached,
//! so a test run without DynamoDB Local is noticed.

use std::time::Duration;

fn endpoint() -> String {
    // The server `./scripts/test.sh` started, or one the launcher starts.
    dynamo_tests::endpoint().trim_end_matches('/').to_string()
}

#[test]
fn dynamodb_local_answers_list_tables() {
    let url = format!("{}/", endpoint());

    let agent: ureq::Agent = ureq::Agent::config_builder()
        // Look at the status ourselves instead of getting Err for 4xx/5xx.
        .http_status_as_error(false)
        // The endpoint is on loopback: never go through an HTTP(S)_PROXY.
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();

    let mut response = agent
        .post(&url)
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, \
             SignedHeaders=host, Signature=x",
        )
        .send("{}")
        .unwrap_or_else(|e| panic!("POST ListTables to {url} failed: {e}"));

    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .unwrap_or_else(|e| panic!("reading the ListTables response from {url} failed: {e}"));

    assert_eq!(status, 200, "ListTables to {url} answered {status}: {body}");

    let json: serde_json::Value = serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("ListTables body is not JSON ({e}): {body}"));
    assert!(
        json.get("TableNames").is_some_and(|t| t.is_array()),
        "ListTables body has no TableNames array: {body}"
    );
}
