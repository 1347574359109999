//! Query and Scan (one page each).

use serde::{Deserialize, Serialize};

use super::common::*;
use crate::Attributes;

/// Query: items sharing a hash key, in range-key order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryInput {
    /// Table name.
    pub table_name: String,
    /// Query an index instead of the table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
    /// Conditions on the hash key (and range key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_condition_expression: Option<String>,
    /// Conditions on other attributes, applied after reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_expression: Option<String>,
    /// Attributes to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_values: Option<Attributes>,
    /// `false` for descending range-key order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_index_forward: Option<bool>,
    /// Most items to read for this page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Resume after this key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_key: Option<Attributes>,
    /// Strongly consistent read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// What to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<Select>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

/// Scan: every item of a table or index (or of one segment of it).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScanInput {
    /// Table name.
    pub table_name: String,
    /// Scan an index instead of the table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_name: Option<String>,
    /// Conditions applied after reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_expression: Option<String>,
    /// Attributes to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection_expression: Option<String>,
    /// `#name` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_names: Option<ExpressionNames>,
    /// `:value` placeholders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression_attribute_values: Option<Attributes>,
    /// Most items to read for this page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Resume after this key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_key: Option<Attributes>,
    /// Strongly consistent read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// What to return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<Select>,
    /// This worker's segment (parallel scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<u32>,
    /// Number of segments (parallel scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_segments: Option<u32>,
    /// Report consumed capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_consumed_capacity: Option<ReturnConsumedCapacity>,
}

/// One page of a Query or Scan.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct QueryOutput {
    /// The items of this page (absent with `Select: COUNT`).
    pub items: Vec<Attributes>,
    /// Items on this page after filtering.
    pub count: u64,
    /// Items read before filtering.
    pub scanned_count: u64,
    /// Where the next page starts; absent on the last page.
    pub last_evaluated_key: Option<Attributes>,
    /// Per `ReturnConsumedCapacity`.
    pub consumed_capacity: Option<ConsumedCapacity>,
}

/// A Scan page has the same shape as a Query page.
pub type ScanOutput = QueryOutput;
