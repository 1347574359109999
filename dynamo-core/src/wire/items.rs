//! Single-item operations: PutItem, GetItem, UpdateItem, DeleteItem.

use serde::{Deserialize, Serialize};

use super::common::*;
use crate::Attributes;

/// PutItem.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutItemInput {
    /// Table name.
    pub table_name: String,
    /// The whole item.
    pub item: Attributes,
    /// Must hold for the write to happen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_values: Option<Attributes>,
    /// What to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values: Option<ReturnValues>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
    /// Report item collection metrics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_item_collection_metrics: Option<ReturnItemCollectionMetrics>,
    /// Return the item when the condition fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

impl PutItemInput {
    /// An unconditional put of `item` into `table`.
    pub fn new(table: impl Into<String>, item: Attributes) -> Self {
        PutItemInput {
            table_name: table.into(),
            item,
            ..Default::default()
        }
    }
}

/// PutItem's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PutItemOutput {
    /// Per `ReturnValues`.
    pub attributes: Option<Attributes>,
    /// Per `ReturnConsumedCapacity`.
    pub consumed_capacity: Option<ConsumedCapacity>,
    /// Per `ReturnItemCollectionMetrics`.
    pub item_collection_metrics: Option<ItemCollectionMetrics>,
}

/// GetItem.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetItemInput {
    /// Table name.
    pub table_name: String,
    /// The item's key.
    pub key: Attributes,
    /// Strongly consistent read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// Attributes to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionNames>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

impl GetItemInput {
    /// An eventually consistent read of the whole item at `key`.
    pub fn new(table: impl Into<String>, key: Attributes) -> Self {
        GetItemInput {
            table_name: table.into(),
            key,
            ..Default::default()
        }
    }
}

/// GetItem's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct GetItemOutput {
    /// The item; absent when there is none.
    pub item: Option<Attributes>,
    /// Per `ReturnConsumedCapacity`.
    pub consumed_capacity: Option<ConsumedCapacity>,
}

/// UpdateItem.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateItemInput {
    /// Table name.
    pub table_name: String,
    /// The item's key.
    pub key: Attributes,
    /// `SET ... REMOVE ... ADD ... DELETE ...`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_expression: Option<String>,
    /// Must hold for the write to happen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_values: Option<Attributes>,
    /// What to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values: Option<ReturnValues>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
    /// Report item collection metrics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_item_collection_metrics: Option<ReturnItemCollectionMetrics>,
    /// Return the item when the condition fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

impl UpdateItemInput {
    /// An update of the item at `key` (set the expressions next).
    pub fn new(table: impl Into<String>, key: Attributes) -> Self {
        UpdateItemInput {
            table_name: table.into(),
            key,
            ..Default::default()
        }
    }
}

/// UpdateItem's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct UpdateItemOutput {
    /// Per `ReturnValues`.
    pub attributes: Option<Attributes>,
    /// Per `ReturnConsumedCapacity`.
    pub consumed_capacity: Option<ConsumedCapacity>,
    /// Per `ReturnItemCollectionMetrics`.
    pub item_collection_metrics: Option<ItemCollectionMetrics>,
}

/// DeleteItem.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteItemInput {
    /// Table name.
    pub table_name: String,
    /// The item's key.
    pub key: Attributes,
    /// Must hold for the delete to happen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_values: Option<Attributes>,
    /// What to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values: Option<ReturnValues>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
    /// Report item collection metrics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_item_collection_metrics: Option<ReturnItemCollectionMetrics>,
    /// Return the item when the condition fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

impl DeleteItemInput {
    /// An unconditional delete of the item at `key`.
    pub fn new(table: impl Into<String>, key: Attributes) -> Self {
        DeleteItemInput {
            table_name: table.into(),
            key,
            ..Default::default()
        }
    }
}

/// DeleteItem's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DeleteItemOutput {
    /// Per `ReturnValues`.
    pub attributes: Option<Attributes>,
    /// Per `ReturnConsumedCapacity`.
    pub consumed_capacity: Option<ConsumedCapacity>,
    /// Per `ReturnItemCollectionMetrics`.
    pub item_collection_metrics: Option<ItemCollectionMetrics>,
}
