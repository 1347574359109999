//! The short forms of read options send what their long forms send.

use std::time::Duration;

use dynamo_blocking::config::Environment;
use dynamo_blocking::{key, Client, Credentials, KeySchema, RetryPolicy, ScalarType, Table};
use mockito::{Matcher, Server};

fn table(server: &Server) -> Table {
    let client = Client::builder()
        .endpoint(server.url())
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret"))
        .environment(Environment::empty())
        .retry_policy(RetryPolicy::none())
        .read_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    Table::with_schema(&client, "tbl", KeySchema::hash(("id", ScalarType::S)), [])
}

#[test]
fn get_item_consistent_asks_for_a_consistent_read() {
    let mut server = Server::new();
    let consistent = server
        .mock("POST", "/")
        .match_header("x-amz-target", "DynamoDB_20120810.GetItem")
        .match_body(Matcher::PartialJsonString(
            r#"{"TableName":"tbl","Key":{"id":{"S":"a"}},"ConsistentRead":true}"#.into(),
        ))
        .with_body(r#"{"Item":{"id":{"S":"a"},"n":{"N":"1"}}}"#)
        .expect(1)
        .create();
    let item = table(&server)
        .get_item_consistent(key! { "id" => "a" })
        .unwrap()
        .expect("the mocked item");
    assert_eq!(item.get_as::<i64>("n").unwrap(), 1);
    consistent.assert();
}
