//! Key schemas, attribute definitions, projections and throughput as they
//! travel, and their conversion to and from the crate's schema types.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{
    Capacity, GlobalIndex, KeyAttribute, KeySchema, LocalIndex, Projection, ScalarType,
    SecondaryIndex, Throughput,
};

/// `{"AttributeName": "...", "KeyType": "HASH" | "RANGE"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeySchemaElement {
    /// The key attribute.
    pub attribute_name: String,
    /// `HASH` or `RANGE`.
    pub key_type: String,
}

/// `{"AttributeName": "...", "AttributeType": "S" | "N" | "B"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeDefinition {
    /// The attribute.
    pub attribute_name: String,
    /// `S`, `N` or `B`.
    pub attribute_type: String,
}

/// An index's `Projection`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IndexProjection {
    /// `ALL`, `KEYS_ONLY` or `INCLUDE`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub projection_type: Option<String>,
    /// With `INCLUDE`: the copied attributes.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub non_key_attributes: Option<Vec<String>>,
}

/// `ProvisionedThroughput` of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProvisionedThroughput {
    /// Read capacity units.
    pub read_capacity_units: u64,
    /// Write capacity units.
    pub write_capacity_units: u64,
}

/// `ProvisionedThroughput` as DescribeTable reports it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ProvisionedThroughputDescription {
    /// Read capacity units (0 for on-demand tables).
    pub read_capacity_units: Option<u64>,
    /// Write capacity units (0 for on-demand tables).
    pub write_capacity_units: Option<u64>,
    /// Decreases so far today.
    pub number_of_decreases_today: Option<u64>,
    /// Epoch seconds.
    pub last_increase_date_time: Option<f64>,
    /// Epoch seconds.
    pub last_decrease_date_time: Option<f64>,
}

impl From<Throughput> for ProvisionedThroughput {
    fn from(t: Throughput) -> Self {
        ProvisionedThroughput {
            read_capacity_units: t.read,
            write_capacity_units: t.write,
        }
    }
}

impl ProvisionedThroughputDescription {
    /// The provisioned figures, when there are any (on-demand reports zeros).
    pub fn throughput(&self) -> Option<Throughput> {
        match (self.read_capacity_units, self.write_capacity_units) {
            (Some(read), Some(write)) if read > 0 || write > 0 => Some(Throughput { read, write }),
            _ => None,
        }
    }
}

/// A description that does not fit the crate's schema types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaWireError(pub String);

impl fmt::Display for SchemaWireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected table description: {}", self.0)
    }
}

impl std::error::Error for SchemaWireError {}

/// The wire `KeySchema` of a key schema.
pub fn key_schema_elements(schema: &KeySchema) -> Vec<KeySchemaElement> {
    let mut out = vec![KeySchemaElement {
        attribute_name: schema.hash.name.clone(),
        key_type: "HASH".into(),
    }];
    if let Some(range) = &schema.range {
        out.push(KeySchemaElement {
            attribute_name: range.name.clone(),
            key_type: "RANGE".into(),
        });
    }
    out
}

/// Reads a key schema back, taking types from the attribute definitions.
pub fn key_schema_from_wire(
    elements: &[KeySchemaElement],
    definitions: &[AttributeDefinition],
) -> Result<KeySchema, SchemaWireError> {
    let attribute = |name: &str| -> Result<KeyAttribute, SchemaWireError> {
        let def = definitions
            .iter()
            .find(|d| d.attribute_name == name)
            .ok_or_else(|| SchemaWireError(format!("no attribute definition for key `{name}`")))?;
        let scalar = ScalarType::from_tag(&def.attribute_type).ok_or_else(|| {
            SchemaWireError(format!("key `{name}` has type `{}`", def.attribute_type))
        })?;
        Ok(KeyAttribute::new(name, scalar))
    };
    let mut hash = None;
    let mut range = None;
    for e in elements {
        match e.key_type.as_str() {
            "HASH" => hash = Some(attribute(&e.attribute_name)?),
            "RANGE" => range = Some(attribute(&e.attribute_name)?),
            other => return Err(SchemaWireError(format!("unknown KeyType `{other}`"))),
        }
    }
    let hash = hash.ok_or_else(|| SchemaWireError("no HASH key".into()))?;
    Ok(KeySchema { hash, range })
}

impl From<&Projection> for IndexProjection {
    fn from(p: &Projection) -> Self {
        IndexProjection {
            projection_type: Some(p.type_name().into()),
            non_key_attributes: match p {
                Projection::Include(fields) => Some(fields.clone()),
                _ => None,
            },
        }
    }
}

impl IndexProjection {
    /// The crate's projection type.
    pub fn to_projection(&self) -> Result<Projection, SchemaWireError> {
        match self.projection_type.as_deref() {
            Some("ALL") => Ok(Projection::All),
            Some("KEYS_ONLY") => Ok(Projection::KeysOnly),
            Some("INCLUDE") => Ok(Projection::Include(
                self.non_key_attributes.clone().unwrap_or_default(),
            )),
            other => Err(SchemaWireError(format!("unknown ProjectionType {other:?}"))),
        }
    }
}

/// `AttributeDefinitions` for a table and its indexes: every key attribute
/// once, in first-seen order.
pub fn attribute_definitions<'a>(
    keys: impl IntoIterator<Item = &'a KeyAttribute>,
) -> Vec<AttributeDefinition> {
    let mut out: Vec<AttributeDefinition> = Vec::new();
    for k in keys {
        if !out.iter().any(|d| d.attribute_name == k.name) {
            out.push(AttributeDefinition {
                attribute_name: k.name.clone(),
                attribute_type: k.scalar_type.as_str().into(),
            });
        }
    }
    out
}

/// A local index in a CreateTable request or a DescribeTable answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LocalSecondaryIndexWire {
    /// Index name.
    pub index_name: String,
    /// Table hash key + index range key.
    pub key_schema: Vec<KeySchemaElement>,
    /// What it copies.
    pub projection: IndexProjection,
    /// Size (answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_size_bytes: Option<u64>,
    /// Item count (answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_count: Option<u64>,
}

/// A global index in a CreateTable/UpdateTable request or a DescribeTable answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GlobalSecondaryIndexWire {
    /// Index name.
    pub index_name: String,
    /// The index key.
    pub key_schema: Vec<KeySchemaElement>,
    /// What it copies.
    pub projection: IndexProjection,
    /// Throughput (requests: provisioned tables only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioned_throughput: Option<ProvisionedThroughputDescription>,
    /// `CREATING`, `ACTIVE`, ... (answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_status: Option<String>,
    /// Whether the index is still being filled (answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backfilling: Option<bool>,
    /// Size (answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_size_bytes: Option<u64>,
    /// Item count (answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_count: Option<u64>,
}

fn throughput_description(t: Throughput) -> ProvisionedThroughputDescription {
    ProvisionedThroughputDescription {
        read_capacity_units: Some(t.read),
        write_capacity_units: Some(t.write),
        ..Default::default()
    }
}

impl LocalSecondaryIndexWire {
    /// The request form of a local index of a table keyed by `table_hash`.
    pub fn from_index(table_hash: &KeyAttribute, index: &LocalIndex) -> Self {
        LocalSecondaryIndexWire {
            index_name: index.name.clone(),
            key_schema: key_schema_elements(&KeySchema::hash_range(
                table_hash.clone(),
                index.range_key.clone(),
            )),
            projection: (&index.projection).into(),
            ..Default::default()
        }
    }

    /// Reads the index back.
    pub fn to_index(
        &self,
        definitions: &[AttributeDefinition],
    ) -> Result<LocalIndex, SchemaWireError> {
        let schema = key_schema_from_wire(&self.key_schema, definitions)?;
        let range_key = schema.range.ok_or_else(|| {
            SchemaWireError(format!(
                "local index `{}` has no range key",
                self.index_name
            ))
        })?;
        Ok(LocalIndex::new(
            &self.index_name,
            range_key,
            self.projection.to_projection()?,
        ))
    }
}

impl GlobalSecondaryIndexWire {
    /// The request form of a global index; `default_throughput` applies on a
    /// provisioned table when the index names none.
    pub fn from_index(index: &GlobalIndex, default_throughput: Option<Throughput>) -> Self {
        GlobalSecondaryIndexWire {
            index_name: index.name.clone(),
            key_schema: index
                .hash_attributes()
                .map(|k| ("HASH", k))
                .chain(index.range_attributes().map(|k| ("RANGE", k)))
                .map(|(key_type, k)| KeySchemaElement {
                    attribute_name: k.name.clone(),
                    key_type: key_type.into(),
                })
                .collect(),
            projection: (&index.projection).into(),
            provisioned_throughput: index
                .throughput
                .or(default_throughput)
                .map(throughput_description),
            ..Default::default()
        }
    }

    /// Reads the index back, throughput included.
    pub fn to_index(
        &self,
        definitions: &[AttributeDefinition],
    ) -> Result<GlobalIndex, SchemaWireError> {
        // A multi-attribute key lists several HASH and RANGE elements, each
        // kind in order.
        let of_type = |key_type: &str| -> Vec<KeySchemaElement> {
            self.key_schema
                .iter()
                .filter(|e| e.key_type == key_type)
                .cloned()
                .collect()
        };
        let (hash, range) = (of_type("HASH"), of_type("RANGE"));
        if hash.len() + range.len() != self.key_schema.len() {
            // Let the plain reader name the unknown KeyType.
            key_schema_from_wire(&self.key_schema, definitions)?;
        }
        let first: Vec<KeySchemaElement> = hash
            .iter()
            .take(1)
            .chain(range.iter().take(1))
            .cloned()
            .collect();
        let mut index = GlobalIndex::new(
            &self.index_name,
            key_schema_from_wire(&first, definitions)?,
            self.projection.to_projection()?,
        );
        let rest = |elements: &[KeySchemaElement]| -> Result<Vec<KeyAttribute>, SchemaWireError> {
            elements
                .iter()
                .skip(1)
                .map(|e| {
                    let as_hash = KeySchemaElement {
                        attribute_name: e.attribute_name.clone(),
                        key_type: "HASH".into(),
                    };
                    key_schema_from_wire(&[as_hash], definitions).map(|k| k.hash)
                })
                .collect()
        };
        index.more_hash = rest(&hash)?;
        index.more_range = rest(&range)?;
        index.throughput = self
            .provisioned_throughput
            .as_ref()
            .and_then(ProvisionedThroughputDescription::throughput);
        Ok(index)
    }
}

/// `BillingMode` and `ProvisionedThroughput` for a capacity choice.
pub fn billing(capacity: Capacity) -> (&'static str, Option<ProvisionedThroughput>) {
    match capacity {
        Capacity::OnDemand => ("PAY_PER_REQUEST", None),
        Capacity::Provisioned(t) => ("PROVISIONED", Some(t.into())),
    }
}

/// Every key attribute of a table and its indexes, for `AttributeDefinitions`.
pub fn all_key_attributes<'a>(
    schema: &'a KeySchema,
    indexes: &'a [SecondaryIndex],
) -> impl Iterator<Item = &'a KeyAttribute> {
    schema.attributes().chain(indexes.iter().flat_map(|i| {
        let keys: Box<dyn Iterator<Item = &KeyAttribute>> = match i {
            SecondaryIndex::Local(l) => Box::new(std::iter::once(&l.range_key)),
            SecondaryIndex::Global(g) => Box::new(g.key_attributes()),
        };
        keys
    }))
}
