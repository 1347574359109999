//! PartiQL: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction.
//!
//! Values reach a statement only as `Parameters` (one per `?`, in order),
//! never spliced into its text.

use serde::{Deserialize, Serialize};

use super::common::*;
use super::ItemResponse;
use crate::{AttributeValue, Attributes};

/// Most statements in one BatchExecuteStatement.
pub const MAX_BATCH_STATEMENTS: usize = 25;
/// Most statements in one ExecuteTransaction.
pub const MAX_TRANSACTION_STATEMENTS: usize = 100;

/// ExecuteStatement: one PartiQL statement; a `SELECT` answers a page of
/// items and a `NextToken` for the next.
///
/// ```
/// use dynamo_core::wire::ExecuteStatementInput;
/// use dynamo_core::AttributeValue;
/// let req = ExecuteStatementInput::new("SELECT * FROM users WHERE id = ?")
///     .parameters(vec![AttributeValue::from("ada")]);
/// assert_eq!(
///     serde_json::to_string(&req)?,
///     r#"{"Statement":"SELECT * FROM users WHERE id = ?","Parameters":[{"S":"ada"}]}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ExecuteStatementInput {
    /// The statement, with `?` for each parameter.
    pub statement: String,
    /// The values of the `?`s, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<AttributeValue>>,
    /// Strongly consistent reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// Where the previous page ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// Most items to evaluate for this page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

impl ExecuteStatementInput {
    /// A statement without parameters.
    pub fn new(statement: impl Into<String>) -> Self {
        ExecuteStatementInput {
            statement: statement.into(),
            ..Default::default()
        }
    }

    /// Sets the parameters (left out when empty).
    pub fn parameters(mut self, parameters: Vec<AttributeValue>) -> Self {
        self.parameters = (!parameters.is_empty()).then_some(parameters);
        self
    }
}

/// ExecuteStatement's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ExecuteStatementOutput {
    /// The items of this page (a `SELECT`).
    pub items: Vec<Attributes>,
    /// Present when there are more pages.
    pub next_token: Option<String>,
    /// The key where this page stopped, when it did.
    pub last_evaluated_key: Option<Attributes>,
    /// Per `ReturnConsumedCapacity`.
    pub consumed_capacity: Option<ConsumedCapacity>,
}

/// One statement of a BatchExecuteStatement.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BatchStatementRequest {
    /// The statement.
    pub statement: String,
    /// The values of its `?`s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<AttributeValue>>,
    /// Strongly consistent read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
}

impl BatchStatementRequest {
    /// A statement and its parameters (left out when empty).
    pub fn new(statement: impl Into<String>, parameters: Vec<AttributeValue>) -> Self {
        BatchStatementRequest {
            statement: statement.into(),
            parameters: (!parameters.is_empty()).then_some(parameters),
            consistent_read: None,
        }
    }
}

/// BatchExecuteStatement: up to 25 reads or up to 25 writes, each
/// succeeding or failing on its own.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BatchExecuteStatementInput {
    /// The statements.
    pub statements: Vec<BatchStatementRequest>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

impl BatchExecuteStatementInput {
    /// A batch of these statements.
    pub fn new(statements: Vec<BatchStatementRequest>) -> Self {
        BatchExecuteStatementInput {
            statements,
            return_consumed_capacity: None,
        }
    }
}

/// BatchExecuteStatement's answer: one response per statement, in order.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BatchExecuteStatementOutput {
    /// One per statement.
    pub responses: Vec<BatchStatementResponse>,
    /// Per `ReturnConsumedCapacity`.
    pub consumed_capacity: Option<Vec<ConsumedCapacity>>,
}

/// The outcome of one statement of a batch.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BatchStatementResponse {
    /// Why the statement failed, if it did.
    pub error: Option<BatchStatementError>,
    /// The table of the statement.
    pub table_name: Option<String>,
    /// The item a read found.
    pub item: Option<Attributes>,
}

/// Why one statement of a batch failed.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BatchStatementError {
    /// E.g. `ConditionalCheckFailed`, `DuplicateItem`, `ValidationError`.
    pub code: Option<String>,
    /// DynamoDB's message.
    pub message: Option<String>,
    /// The item a condition failed on, when asked for.
    pub item: Option<Attributes>,
}

/// A statement and its parameters, as ExecuteTransaction takes them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ParameterizedStatement {
    /// The statement.
    pub statement: String,
    /// The values of its `?`s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<AttributeValue>>,
}

impl ParameterizedStatement {
    /// A statement and its parameters (left out when empty).
    pub fn new(statement: impl Into<String>, parameters: Vec<AttributeValue>) -> Self {
        ParameterizedStatement {
            statement: statement.into(),
            parameters: (!parameters.is_empty()).then_some(parameters),
        }
    }
}

/// ExecuteTransaction: up to 100 statements, all applied or none.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ExecuteTransactionInput {
    /// The statements.
    pub transact_statements: Vec<ParameterizedStatement>,
    /// Makes a retried call idempotent (1 to 36 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_request_token: Option<String>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

impl ExecuteTransactionInput {
    /// A transaction of these statements.
    pub fn new(statements: Vec<ParameterizedStatement>) -> Self {
        ExecuteTransactionInput {
            transact_statements: statements,
            ..Default::default()
        }
    }
}

/// ExecuteTransaction's answer: for reads, one response per statement.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ExecuteTransactionOutput {
    /// One per statement of a read transaction.
    pub responses: Vec<ItemResponse>,
    /// Per `ReturnConsumedCapacity`.
    pub consumed_capacity: Option<Vec<ConsumedCapacity>>,
}
