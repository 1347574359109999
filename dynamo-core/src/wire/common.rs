//! Parameters and response parts shared by several operations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Attributes;

/// `ExpressionAttributeNames`: `#placeholder` -> attribute name.
pub type ExpressionNames = BTreeMap<String, String>;

/// What a write returns of the item (`ReturnValues`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReturnValues {
    /// Nothing (the default).
    None,
    /// The whole item as it was before.
    AllOld,
    /// The updated attributes as they were before.
    UpdatedOld,
    /// The whole item as it is after.
    AllNew,
    /// The updated attributes as they are after.
    UpdatedNew,
}

/// Whether to report consumed capacity (`ReturnConsumedCapacity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReturnConsumedCapacity {
    /// Totals per table and index.
    Indexes,
    /// The total only.
    Total,
    /// Nothing.
    None,
}

/// `ReturnItemCollectionMetrics`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReturnItemCollectionMetrics {
    /// Report item collection sizes.
    Size,
    /// Nothing.
    None,
}

/// `ReturnValuesOnConditionCheckFailure`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReturnValuesOnConditionCheckFailure {
    /// Return the item that failed the condition.
    AllOld,
    /// Nothing.
    None,
}

/// Capacity units, as reported per table or index (the AWS model's
/// `Capacity` shape, renamed so that `Capacity` means one thing: how a
/// table is billed, [`crate::Capacity`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct CapacityUnits {
    /// Read and write units together.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_units: Option<f64>,
    /// Read units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_capacity_units: Option<f64>,
    /// Write units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_capacity_units: Option<f64>,
}

/// `ConsumedCapacity` of one operation on one table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ConsumedCapacity {
    /// The table.
    pub table_name: Option<String>,
    /// Total units.
    pub capacity_units: Option<f64>,
    /// Read units.
    pub read_capacity_units: Option<f64>,
    /// Write units.
    pub write_capacity_units: Option<f64>,
    /// Units of the table itself.
    pub table: Option<CapacityUnits>,
    /// Units per local index.
    pub local_secondary_indexes: Option<BTreeMap<String, CapacityUnits>>,
    /// Units per global index.
    pub global_secondary_indexes: Option<BTreeMap<String, CapacityUnits>>,
}

/// `ItemCollectionMetrics` of a write to a table with local indexes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ItemCollectionMetrics {
    /// The hash key of the collection.
    pub item_collection_key: Option<Attributes>,
    /// Lower and upper size estimate in GB.
    pub size_estimate_range_g_b: Option<Vec<f64>>,
}

/// `Select` of Query and Scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Select {
    /// Every attribute.
    AllAttributes,
    /// The attributes projected into the index.
    AllProjectedAttributes,
    /// The attributes in `ProjectionExpression`.
    SpecificAttributes,
    /// Only the count.
    Count,
}
