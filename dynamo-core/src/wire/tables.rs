//! Table management: create, describe, update, delete, list, TTL.

use serde::{Deserialize, Serialize};

use super::schema_wire::*;
use super::streams::{StreamSpecification, StreamViewType};
use crate::{Capacity, GlobalIndex, KeySchema, LocalIndex, SecondaryIndex, Throughput};

/// CreateTable.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateTableInput {
    /// Table name.
    pub table_name: String,
    /// Table key.
    pub key_schema: Vec<KeySchemaElement>,
    /// Types of every key attribute of the table and its indexes.
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// `PROVISIONED` or `PAY_PER_REQUEST`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_mode: Option<String>,
    /// With `PROVISIONED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioned_throughput: Option<ProvisionedThroughput>,
    /// Local indexes (sent only when non-empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub local_secondary_indexes: Vec<LocalSecondaryIndexWire>,
    /// Global indexes (sent only when non-empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub global_secondary_indexes: Vec<GlobalSecondaryIndexWire>,
    /// The table's stream, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_specification: Option<StreamSpecification>,
}

impl CreateTableInput {
    /// The request for a table with this key, billing and indexes.
    pub fn new(
        name: impl Into<String>,
        schema: &KeySchema,
        capacity: Capacity,
        indexes: &[SecondaryIndex],
    ) -> Self {
        let (mode, throughput) = billing(capacity);
        let default_gsi_throughput = match capacity {
            Capacity::Provisioned(t) => Some(t),
            Capacity::OnDemand => None,
        };
        CreateTableInput {
            table_name: name.into(),
            key_schema: key_schema_elements(schema),
            attribute_definitions: attribute_definitions(all_key_attributes(schema, indexes)),
            billing_mode: Some(mode.into()),
            provisioned_throughput: throughput,
            local_secondary_indexes: indexes
                .iter()
                .filter_map(|i| match i {
                    SecondaryIndex::Local(l) => {
                        Some(LocalSecondaryIndexWire::from_index(&schema.hash, l))
                    }
                    SecondaryIndex::Global(_) => None,
                })
                .collect(),
            global_secondary_indexes: indexes
                .iter()
                .filter_map(|i| match i {
                    SecondaryIndex::Global(g) => {
                        let own = if default_gsi_throughput.is_some() {
                            g.throughput
                        } else {
                            None
                        };
                        let g = GlobalIndex {
                            throughput: own,
                            ..g.clone()
                        };
                        Some(GlobalSecondaryIndexWire::from_index(
                            &g,
                            default_gsi_throughput,
                        ))
                    }
                    SecondaryIndex::Local(_) => None,
                })
                .collect(),
            stream_specification: None,
        }
    }
}

/// `TableDescription`, as CreateTable, DescribeTable, UpdateTable and
/// DeleteTable report it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TableDescription {
    /// Table name.
    pub table_name: String,
    /// `CREATING`, `ACTIVE`, `UPDATING`, `DELETING`...
    pub table_status: Option<String>,
    /// Table ARN.
    pub table_arn: Option<String>,
    /// Table key.
    pub key_schema: Vec<KeySchemaElement>,
    /// Key attribute types.
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// Throughput (zeros for on-demand).
    pub provisioned_throughput: Option<ProvisionedThroughputDescription>,
    /// Billing mode.
    pub billing_mode_summary: Option<BillingModeSummary>,
    /// Approximate item count (refreshed by DynamoDB about every six hours).
    pub item_count: Option<u64>,
    /// Approximate size.
    pub table_size_bytes: Option<u64>,
    /// Epoch seconds.
    pub creation_date_time: Option<f64>,
    /// Local indexes.
    pub local_secondary_indexes: Option<Vec<LocalSecondaryIndexWire>>,
    /// Global indexes.
    pub global_secondary_indexes: Option<Vec<GlobalSecondaryIndexWire>>,
    /// The stream settings, when a stream was ever enabled.
    pub stream_specification: Option<StreamSpecification>,
    /// The ARN of the table's current stream.
    pub latest_stream_arn: Option<String>,
    /// The label of the table's current stream.
    pub latest_stream_label: Option<String>,
}

/// `BillingModeSummary`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BillingModeSummary {
    /// `PROVISIONED` or `PAY_PER_REQUEST`.
    pub billing_mode: Option<String>,
}

impl TableDescription {
    /// The table's key schema.
    pub fn schema(&self) -> Result<KeySchema, SchemaWireError> {
        key_schema_from_wire(&self.key_schema, &self.attribute_definitions)
    }

    /// The table's local indexes.
    pub fn local_indexes(&self) -> Result<Vec<LocalIndex>, SchemaWireError> {
        self.local_secondary_indexes
            .iter()
            .flatten()
            .map(|i| i.to_index(&self.attribute_definitions))
            .collect()
    }

    /// The table's global indexes, with their own throughput.
    pub fn global_indexes(&self) -> Result<Vec<GlobalIndex>, SchemaWireError> {
        self.global_secondary_indexes
            .iter()
            .flatten()
            .map(|i| i.to_index(&self.attribute_definitions))
            .collect()
    }

    /// Every secondary index, local ones first.
    pub fn indexes(&self) -> Result<Vec<SecondaryIndex>, SchemaWireError> {
        let mut out: Vec<SecondaryIndex> =
            self.local_indexes()?.into_iter().map(Into::into).collect();
        out.extend(self.global_indexes()?.into_iter().map(SecondaryIndex::from));
        Ok(out)
    }

    /// Provisioned or on-demand.
    pub fn capacity(&self) -> Capacity {
        let on_demand = self
            .billing_mode_summary
            .as_ref()
            .and_then(|b| b.billing_mode.as_deref())
            == Some("PAY_PER_REQUEST");
        match self
            .provisioned_throughput
            .as_ref()
            .and_then(|p| p.throughput())
        {
            Some(t) if !on_demand => Capacity::Provisioned(t),
            _ => Capacity::OnDemand,
        }
    }

    /// Whether the table and all its global indexes are `ACTIVE`.
    pub fn is_active(&self) -> bool {
        self.table_status.as_deref() == Some("ACTIVE")
            && self
                .global_secondary_indexes
                .iter()
                .flatten()
                .all(|g| g.index_status.as_deref().is_none_or(|s| s == "ACTIVE"))
    }
}

/// CreateTable's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct CreateTableOutput {
    /// The new table.
    pub table_description: TableDescription,
}

/// DescribeTable.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeTableInput {
    /// Table name.
    pub table_name: String,
}

/// DescribeTable's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DescribeTableOutput {
    /// The table.
    pub table: TableDescription,
}

/// One change to a global index in UpdateTable.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum GlobalSecondaryIndexUpdate {
    /// Add an index.
    Create(GlobalSecondaryIndexWire),
    /// Change an index's throughput.
    Update(UpdateGlobalIndex),
    /// Drop an index.
    Delete(DeleteGlobalIndex),
}

/// `{"IndexName":..., "ProvisionedThroughput":...}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateGlobalIndex {
    /// Index name.
    pub index_name: String,
    /// New throughput.
    pub provisioned_throughput: ProvisionedThroughput,
}

/// `{"IndexName":...}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteGlobalIndex {
    /// Index name.
    pub index_name: String,
}

/// UpdateTable.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateTableInput {
    /// Table name.
    pub table_name: String,
    /// Needed when creating a global index.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// Switch billing mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_mode: Option<String>,
    /// New table throughput.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioned_throughput: Option<ProvisionedThroughput>,
    /// Global index changes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub global_secondary_index_updates: Vec<GlobalSecondaryIndexUpdate>,
    /// Enable or disable the stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_specification: Option<StreamSpecification>,
}

impl UpdateTableInput {
    /// An update of nothing yet, for `name`.
    pub fn new(name: impl Into<String>) -> Self {
        UpdateTableInput {
            table_name: name.into(),
            ..Default::default()
        }
    }

    /// Adds a global index (on a provisioned table give it throughput).
    pub fn create_global_index(mut self, index: &GlobalIndex) -> Self {
        let defs = attribute_definitions(index.key_attributes());
        for d in defs {
            if !self.attribute_definitions.contains(&d) {
                self.attribute_definitions.push(d);
            }
        }
        self.global_secondary_index_updates
            .push(GlobalSecondaryIndexUpdate::Create(
                GlobalSecondaryIndexWire::from_index(index, None),
            ));
        self
    }

    /// Changes a global index's throughput.
    pub fn update_global_index(mut self, name: impl Into<String>, throughput: Throughput) -> Self {
        self.global_secondary_index_updates
            .push(GlobalSecondaryIndexUpdate::Update(UpdateGlobalIndex {
                index_name: name.into(),
                provisioned_throughput: throughput.into(),
            }));
        self
    }

    /// Drops a global index.
    pub fn delete_global_index(mut self, name: impl Into<String>) -> Self {
        self.global_secondary_index_updates
            .push(GlobalSecondaryIndexUpdate::Delete(DeleteGlobalIndex {
                index_name: name.into(),
            }));
        self
    }

    /// Changes the table's billing or throughput.
    pub fn capacity(mut self, capacity: Capacity) -> Self {
        let (mode, throughput) = billing(capacity);
        self.billing_mode = Some(mode.into());
        self.provisioned_throughput = throughput;
        self
    }

    /// Enables (with `Some(view)`) or disables (`None`) the table's stream.
    pub fn stream(mut self, view: Option<StreamViewType>) -> Self {
        self.stream_specification = Some(match view {
            Some(view) => StreamSpecification::enabled(view),
            None => StreamSpecification::disabled(),
        });
        self
    }

    /// Whether this update changes anything.
    pub fn is_empty(&self) -> bool {
        self.billing_mode.is_none()
            && self.provisioned_throughput.is_none()
            && self.global_secondary_index_updates.is_empty()
            && self.stream_specification.is_none()
    }
}

/// UpdateTable's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct UpdateTableOutput {
    /// The table.
    pub table_description: TableDescription,
}

/// DeleteTable.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteTableInput {
    /// Table name.
    pub table_name: String,
}

/// DeleteTable's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DeleteTableOutput {
    /// The table as it was.
    pub table_description: TableDescription,
}

/// ListTables (one page).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTablesInput {
    /// Start after this name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_start_table_name: Option<String>,
    /// Page size (1-100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// ListTables's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ListTablesOutput {
    /// Names on this page.
    pub table_names: Vec<String>,
    /// Where the next page starts, if there is one.
    pub last_evaluated_table_name: Option<String>,
}

/// DescribeTimeToLive.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeTimeToLiveInput {
    /// Table name.
    pub table_name: String,
}

/// DescribeTimeToLive's answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DescribeTimeToLiveOutput {
    /// The TTL setting.
    pub time_to_live_description: TimeToLiveDescription,
}

/// `TimeToLiveDescription`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TimeToLiveDescription {
    /// `ENABLED`, `DISABLED`, `ENABLING`, `DISABLING`.
    pub time_to_live_status: Option<String>,
    /// The epoch-seconds attribute.
    pub attribute_name: Option<String>,
}

/// UpdateTimeToLive.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateTimeToLiveInput {
    /// Table name.
    pub table_name: String,
    /// The new setting.
    pub time_to_live_specification: TimeToLiveSpecification,
}

/// `TimeToLiveSpecification`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TimeToLiveSpecification {
    /// On or off.
    pub enabled: bool,
    /// The epoch-seconds attribute.
    pub attribute_name: String,
}

/// UpdateTimeToLive's answer.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UpdateTimeToLiveOutput {
    /// The setting applied.
    pub time_to_live_specification: TimeToLiveSpecification,
}
