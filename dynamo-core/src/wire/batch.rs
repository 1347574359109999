//! BatchWriteItem and BatchGetItem.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::common::*;
use crate::Attributes;

/// Most write requests in one BatchWriteItem.
pub const MAX_BATCH_WRITE: usize = 25;
/// Most keys in one BatchGetItem.
pub const MAX_BATCH_GET: usize = 100;

/// One put or delete in a BatchWriteItem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WriteRequest {
    /// `{"PutRequest":{"Item":{...}}}`
    PutRequest {
        /// The whole item.
        #[serde(rename = "Item")]
        item: Attributes,
    },
    /// `{"DeleteRequest":{"Key":{...}}}`
    DeleteRequest {
        /// The key.
        #[serde(rename = "Key")]
        key: Attributes,
    },
}

/// BatchWriteItem: up to 25 puts and deletes, across tables.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchWriteItemInput {
    /// Table name -> requests.
    pub request_items: BTreeMap<String, Vec<WriteRequest>>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

/// BatchWriteItem's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BatchWriteItemOutput {
    /// Requests DynamoDB did not apply; send them again.
    pub unprocessed_items: BTreeMap<String, Vec<WriteRequest>>,
    /// Per `ReturnConsumedCapacity`.
    pub consumed_capacity: Option<Vec<ConsumedCapacity>>,
}

/// The keys to read from one table, and how.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeysAndAttributes {
    /// The keys.
    pub keys: Vec<Attributes>,
    /// Strongly consistent reads.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub consistent_read: Option<bool>,
    /// Attributes to return.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub projection_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub expression_attribute_names: Option<ExpressionNames>,
}

/// BatchGetItem: up to 100 keys, across tables.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetItemInput {
    /// Table name -> keys.
    pub request_items: BTreeMap<String, KeysAndAttributes>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

/// BatchGetItem's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BatchGetItemOutput {
    /// Table name -> items found.
    pub responses: BTreeMap<String, Vec<Attributes>>,
    /// Keys DynamoDB did not read; ask again.
    pub unprocessed_keys: BTreeMap<String, KeysAndAttributes>,
    /// Per `ReturnConsumedCapacity`.
    pub consumed_capacity: Option<Vec<ConsumedCapacity>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item;

    #[test]
    fn write_requests_have_the_wire_shape() {
        let mut req = BatchWriteItemInput::default();
        req.request_items.insert(
            "users".into(),
            vec![
                WriteRequest::PutRequest {
                    item: item! { "id" => 1 },
                },
                WriteRequest::DeleteRequest {
                    key: item! { "id" => 2 },
                },
            ],
        );
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"RequestItems":{"users":[{"PutRequest":{"Item":{"id":{"N":"1"}}}},{"DeleteRequest":{"Key":{"id":{"N":"2"}}}}]}}"#
        );
    }

    #[test]
    fn unprocessed_parts_parse() {
        let out: BatchGetItemOutput = serde_json::from_str(
            r#"{"Responses":{"t":[{"id":{"S":"a"}}]},"UnprocessedKeys":{"t":{"Keys":[{"id":{"S":"b"}}],"ConsistentRead":true}}}"#,
        )
        .unwrap();
        assert_eq!(out.responses["t"].len(), 1);
        assert_eq!(out.unprocessed_keys["t"].keys, vec![item! { "id" => "b" }]);
        let out: BatchWriteItemOutput = serde_json::from_str(r#"{"UnprocessedItems":{}}"#).unwrap();
        assert!(out.unprocessed_items.is_empty());
    }
}
