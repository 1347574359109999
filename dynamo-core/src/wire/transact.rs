//! TransactWriteItems and TransactGetItems.

use serde::{Deserialize, Serialize};

use super::common::*;
use crate::Attributes;

/// One action of a write transaction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum TransactWriteItem {
    /// A condition that must hold, without writing.
    ConditionCheck(TransactCondition),
    /// A put.
    Put(TransactPut),
    /// A delete.
    Delete(TransactDelete),
    /// An update.
    Update(TransactUpdate),
}

/// `ConditionCheck` of a transaction.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransactCondition {
    /// Table name.
    pub table_name: String,
    /// The item's key.
    pub key: Attributes,
    /// The condition.
    pub condition_expression: String,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_values: Option<Attributes>,
    /// Return the item when the condition fails (in the cancellation reason).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

/// `Put` of a transaction.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransactPut {
    /// Table name.
    pub table_name: String,
    /// The whole item.
    pub item: Attributes,
    /// Optional condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_values: Option<Attributes>,
    /// Return the item when the condition fails (in the cancellation reason).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

/// `Delete` of a transaction.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransactDelete {
    /// Table name.
    pub table_name: String,
    /// The item's key.
    pub key: Attributes,
    /// Optional condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_values: Option<Attributes>,
    /// Return the item when the condition fails (in the cancellation reason).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

/// `Update` of a transaction.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransactUpdate {
    /// Table name.
    pub table_name: String,
    /// The item's key.
    pub key: Attributes,
    /// The update.
    pub update_expression: String,
    /// Optional condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_values: Option<Attributes>,
    /// Return the item when the condition fails (in the cancellation reason).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_values_on_condition_check_failure: Option<ReturnValuesOnConditionCheckFailure>,
}

/// TransactWriteItems: up to 100 actions, all or nothing.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransactWriteItemsInput {
    /// The actions.
    pub transact_items: Vec<TransactWriteItem>,
    /// Makes retries of the same transaction idempotent for 10 minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_request_token: Option<String>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

/// TransactWriteItems's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TransactWriteItemsOutput {
    /// Per `ReturnConsumedCapacity`.
    pub consumed_capacity: Option<Vec<ConsumedCapacity>>,
}

/// One read of a read transaction: `{"Get":{...}}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TransactGetItem {
    /// The read.
    #[serde(rename = "Get")]
    pub get: TransactGet,
}

/// `Get` of a read transaction.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransactGet {
    /// Table name.
    pub table_name: String,
    /// The item's key.
    pub key: Attributes,
    /// Attributes to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionNames>,
}

/// TransactGetItems: up to 100 reads from one consistent snapshot.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransactGetItemsInput {
    /// The reads.
    pub transact_items: Vec<TransactGetItem>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

/// TransactGetItems's answer: one response per read, in order.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TransactGetItemsOutput {
    /// One per read; `item` is absent for missing items.
    pub responses: Vec<ItemResponse>,
    /// Per `ReturnConsumedCapacity`.
    pub consumed_capacity: Option<Vec<ConsumedCapacity>>,
}

/// One read's result.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ItemResponse {
    /// The item, if it exists.
    pub item: Option<Attributes>,
}
