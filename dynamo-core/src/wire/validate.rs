//! Checks of a request that DynamoDB would refuse, made before it is sent:
//! table and index names, batch and transaction sizes, the item size limit,
//! set rules, key attribute names.

use std::fmt;

use super::*;
use crate::{
    validate_index_name, validate_table_name, Attributes, ConvertError, NameError,
    MAX_INDEX_KEY_ATTRIBUTES,
};

/// Largest item DynamoDB stores, in bytes (400 KB).
pub const MAX_ITEM_BYTES: usize = 400 * 1024;
/// Most actions in one transaction.
pub const MAX_TRANSACT_ITEMS: usize = 100;
/// Most bytes of items in one TransactWriteItems (4 MB).
pub const MAX_TRANSACT_BYTES: usize = 4 * 1024 * 1024;
/// Longest key attribute name, in bytes.
pub const MAX_KEY_NAME_BYTES: usize = 255;

/// Why a request would be refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestError {
    /// A table or index name breaks DynamoDB's naming rules.
    Name(NameError),
    /// An item over 400 KB.
    ItemTooLarge {
        /// Its size as DynamoDB counts it.
        size: usize,
    },
    /// A value DynamoDB refuses (an empty or repeated set member...).
    Value(ConvertError),
    /// Too few or too many entries in one request (keys of a BatchGetItem,
    /// writes of a BatchWriteItem, actions of a transaction...).
    Count {
        /// What is counted, e.g. `BatchWriteItem writes`.
        what: &'static str,
        /// How many were given.
        given: usize,
        /// The most DynamoDB takes (the least is 1).
        max: usize,
    },
    /// A key attribute name of 0 bytes or over
    /// [`MAX_KEY_NAME_BYTES`].
    KeyNameLength {
        /// The name (its first 64 characters).
        name: String,
        /// Its length in bytes.
        len: usize,
    },
    /// A TransactWriteItems whose items and values add up to more than
    /// [`MAX_TRANSACT_BYTES`] (4 MB).
    TransactionTooLarge {
        /// The bytes counted.
        size: usize,
    },
    /// A `ClientRequestToken` of 0 or more than 36 characters.
    TokenLength {
        /// Its length.
        len: usize,
    },
    /// Two actions of one transaction on the same item.
    SameItemTwice {
        /// The item's table.
        table: String,
    },
    /// A Streams request field that is empty, or a sequence number missing
    /// from (or given to) a shard iterator type that needs (or takes) none.
    StreamField {
        /// The field, e.g. `SequenceNumber`.
        field: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Name(e) => e.fmt(f),
            RequestError::ItemTooLarge { size } => write!(
                f,
                "item is {size} bytes; DynamoDB stores at most {MAX_ITEM_BYTES} bytes (400 KB)"
            ),
            RequestError::Value(e) => e.fmt(f),
            RequestError::Count { what, given, max } => write!(
                f,
                "{what}: {given} given, DynamoDB takes 1 to {max} in one request"
            ),
            RequestError::KeyNameLength { name, len } => write!(
                f,
                "key attribute name `{name}` is {len} bytes; it must be 1 to {MAX_KEY_NAME_BYTES}"
            ),
            RequestError::TransactionTooLarge { size } => write!(
                f,
                "TransactWriteItems: the items and values add up to {size} bytes; \
                 DynamoDB takes at most {MAX_TRANSACT_BYTES} (4 MB) in one transaction"
            ),
            RequestError::TokenLength { len } => write!(
                f,
                "ClientRequestToken is {len} characters; DynamoDB takes 1 to 36"
            ),
            RequestError::SameItemTwice { table } => write!(
                f,
                "two actions of one transaction on the same item of `{table}`; DynamoDB refuses that"
            ),
            RequestError::StreamField { field, problem } => write!(f, "{field}: {problem}"),
        }
    }
}

impl std::error::Error for RequestError {}

impl From<NameError> for RequestError {
    fn from(e: NameError) -> Self {
        RequestError::Name(e)
    }
}

/// The checks of one operation's request.
pub(crate) trait Check {
    fn check(&self) -> Result<(), RequestError>;
}

fn table(name: &str) -> Result<(), RequestError> {
    Ok(validate_table_name(name)?)
}

fn index(name: Option<&String>) -> Result<(), RequestError> {
    match name {
        Some(n) => Ok(validate_index_name(n)?),
        None => Ok(()),
    }
}

/// Checks an item to store: set rules, nesting, and the 400 KB limit.
///
/// ```
/// use dynamo_core::{item, wire::validate_item};
/// assert!(validate_item(&item! { "id" => 1 }).is_ok());
/// ```
pub fn validate_item(item: &Attributes) -> Result<(), RequestError> {
    for (name, value) in item {
        value
            .validate()
            .map_err(|e| RequestError::Value(ConvertError::from(e).in_field(name)))?;
    }
    let size = item.size();
    if size > MAX_ITEM_BYTES {
        return Err(RequestError::ItemTooLarge { size });
    }
    Ok(())
}

/// A `ClientRequestToken` takes 1 to 36 characters.
fn request_token(token: Option<&str>) -> Result<(), RequestError> {
    if let Some(token) = token {
        let len = token.chars().count();
        if len == 0 || len > 36 {
            return Err(RequestError::TokenLength { len });
        }
    }
    Ok(())
}

fn count(what: &'static str, n: usize, max: usize) -> Result<(), RequestError> {
    if n == 0 || n > max {
        return Err(RequestError::Count {
            what,
            given: n,
            max,
        });
    }
    Ok(())
}

/// A global index key: one to four HASH attributes, up to four RANGE ones.
fn index_key_counts(elements: &[KeySchemaElement]) -> Result<(), RequestError> {
    let of = |t: &str| elements.iter().filter(|e| e.key_type == t).count();
    count(
        "global index partition-key attributes",
        of("HASH"),
        MAX_INDEX_KEY_ATTRIBUTES,
    )?;
    let range = of("RANGE");
    if range > MAX_INDEX_KEY_ATTRIBUTES {
        return Err(RequestError::Count {
            what: "global index sort-key attributes",
            given: range,
            max: MAX_INDEX_KEY_ATTRIBUTES,
        });
    }
    Ok(())
}

fn key_names(elements: &[KeySchemaElement]) -> Result<(), RequestError> {
    for e in elements {
        let len = e.attribute_name.len();
        if len == 0 || len > MAX_KEY_NAME_BYTES {
            return Err(RequestError::KeyNameLength {
                name: e.attribute_name.chars().take(64).collect(),
                len,
            });
        }
    }
    Ok(())
}

/// Operations whose only check is their table name.
macro_rules! table_only {
    ($($t:ty),*) => {$(
        impl Check for $t {
            fn check(&self) -> Result<(), RequestError> {
                table(&self.table_name)
            }
        }
    )*};
}

table_only!(
    DescribeTableInput,
    DeleteTableInput,
    DescribeTimeToLiveInput,
    UpdateTimeToLiveInput,
    GetItemInput,
    UpdateItemInput,
    DeleteItemInput
);

impl Check for CreateTableInput {
    fn check(&self) -> Result<(), RequestError> {
        table(&self.table_name)?;
        key_names(&self.key_schema)?;
        for lsi in &self.local_secondary_indexes {
            index(Some(&lsi.index_name))?;
            key_names(&lsi.key_schema)?;
        }
        for gsi in &self.global_secondary_indexes {
            index(Some(&gsi.index_name))?;
            key_names(&gsi.key_schema)?;
            index_key_counts(&gsi.key_schema)?;
        }
        Ok(())
    }
}

impl Check for UpdateTableInput {
    fn check(&self) -> Result<(), RequestError> {
        table(&self.table_name)?;
        for update in &self.global_secondary_index_updates {
            match update {
                GlobalSecondaryIndexUpdate::Create(g) => {
                    index(Some(&g.index_name))?;
                    key_names(&g.key_schema)?;
                    index_key_counts(&g.key_schema)?;
                }
                GlobalSecondaryIndexUpdate::Update(u) => index(Some(&u.index_name))?,
                GlobalSecondaryIndexUpdate::Delete(d) => index(Some(&d.index_name))?,
            }
        }
        Ok(())
    }
}

impl Check for ListTablesInput {
    fn check(&self) -> Result<(), RequestError> {
        match self.limit {
            Some(limit) => count("ListTables limit", limit as usize, 100),
            None => Ok(()),
        }
    }
}

impl Check for PutItemInput {
    fn check(&self) -> Result<(), RequestError> {
        table(&self.table_name)?;
        validate_item(&self.item)
    }
}

impl Check for QueryInput {
    fn check(&self) -> Result<(), RequestError> {
        table(&self.table_name)?;
        index(self.index_name.as_ref())
    }
}

impl Check for ScanInput {
    fn check(&self) -> Result<(), RequestError> {
        table(&self.table_name)?;
        index(self.index_name.as_ref())
    }
}

impl Check for BatchWriteItemInput {
    fn check(&self) -> Result<(), RequestError> {
        let mut total = 0;
        for (name, requests) in &self.request_items {
            table(name)?;
            for request in requests {
                if let WriteRequest::PutRequest { item: i } = request {
                    validate_item(i)?;
                }
            }
            total += requests.len();
        }
        count("BatchWriteItem write requests", total, MAX_BATCH_WRITE)
    }
}

impl Check for BatchGetItemInput {
    fn check(&self) -> Result<(), RequestError> {
        let mut total = 0;
        for (name, spec) in &self.request_items {
            table(name)?;
            total += spec.keys.len();
        }
        count("BatchGetItem keys", total, MAX_BATCH_GET)
    }
}

impl Check for TransactWriteItemsInput {
    fn check(&self) -> Result<(), RequestError> {
        let mut size = 0;
        let values = |v: &Option<Attributes>| v.as_ref().map_or(0, Attributes::size);
        for action in &self.transact_items {
            size += match action {
                TransactWriteItem::ConditionCheck(c) => {
                    table(&c.table_name)?;
                    c.key.size() + values(&c.expression_attribute_values)
                }
                TransactWriteItem::Put(p) => {
                    table(&p.table_name)?;
                    validate_item(&p.item)?;
                    p.item.size() + values(&p.expression_attribute_values)
                }
                TransactWriteItem::Delete(d) => {
                    table(&d.table_name)?;
                    d.key.size() + values(&d.expression_attribute_values)
                }
                TransactWriteItem::Update(u) => {
                    table(&u.table_name)?;
                    u.key.size() + values(&u.expression_attribute_values)
                }
            };
        }
        request_token(self.client_request_token.as_deref())?;
        if size > MAX_TRANSACT_BYTES {
            return Err(RequestError::TransactionTooLarge { size });
        }
        count(
            "TransactWriteItems actions",
            self.transact_items.len(),
            MAX_TRANSACT_ITEMS,
        )
    }
}

impl Check for TransactGetItemsInput {
    fn check(&self) -> Result<(), RequestError> {
        for read in &self.transact_items {
            table(&read.get.table_name)?;
        }
        count(
            "TransactGetItems reads",
            self.transact_items.len(),
            MAX_TRANSACT_ITEMS,
        )
    }
}

impl Check for ExecuteStatementInput {
    fn check(&self) -> Result<(), RequestError> {
        Ok(())
    }
}

impl Check for BatchExecuteStatementInput {
    fn check(&self) -> Result<(), RequestError> {
        count(
            "BatchExecuteStatement statements",
            self.statements.len(),
            MAX_BATCH_STATEMENTS,
        )
    }
}

impl Check for ExecuteTransactionInput {
    fn check(&self) -> Result<(), RequestError> {
        request_token(self.client_request_token.as_deref())?;
        count(
            "ExecuteTransaction statements",
            self.transact_statements.len(),
            MAX_TRANSACTION_STATEMENTS,
        )
    }
}

fn non_empty(field: &'static str, value: &str) -> Result<(), RequestError> {
    if value.is_empty() {
        return Err(RequestError::StreamField {
            field,
            problem: "must not be empty",
        });
    }
    Ok(())
}

fn limit(what: &'static str, limit: Option<u32>, max: usize) -> Result<(), RequestError> {
    limit.map_or(Ok(()), |l| count(what, l as usize, max))
}

impl Check for ListStreamsInput {
    fn check(&self) -> Result<(), RequestError> {
        if let Some(name) = &self.table_name {
            table(name)?;
        }
        limit("ListStreams limit", self.limit, 100)
    }
}

impl Check for DescribeStreamInput {
    fn check(&self) -> Result<(), RequestError> {
        non_empty("StreamArn", &self.stream_arn)?;
        limit("DescribeStream limit", self.limit, 100)
    }
}

impl Check for GetShardIteratorInput {
    fn check(&self) -> Result<(), RequestError> {
        non_empty("StreamArn", &self.stream_arn)?;
        non_empty("ShardId", &self.shard_id)?;
        match (
            self.shard_iterator_type.needs_sequence_number(),
            &self.sequence_number,
        ) {
            (true, None) => Err(RequestError::StreamField {
                field: "SequenceNumber",
                problem: "AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER need one",
            }),
            (true, Some(n)) => non_empty("SequenceNumber", n),
            (false, Some(_)) => Err(RequestError::StreamField {
                field: "SequenceNumber",
                problem: "TRIM_HORIZON and LATEST take none",
            }),
            (false, None) => Ok(()),
        }
    }
}

impl Check for GetRecordsInput {
    fn check(&self) -> Result<(), RequestError> {
        non_empty("ShardIterator", &self.shard_iterator)?;
        limit("GetRecords limit", self.limit, 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{item, key, AttributeValue};

    fn batch_get(keys: usize) -> BatchGetItemInput {
        let mut req = BatchGetItemInput::default();
        req.request_items.insert(
            "users".into(),
            KeysAndAttributes {
                keys: (0..keys).map(|i| key! { "id" => i }).collect(),
                ..Default::default()
            },
        );
        req
    }

    #[test]
    fn batch_sizes_are_checked() {
        assert!(batch_get(100).check().is_ok());
        let err = batch_get(101).check().unwrap_err().to_string();
        assert!(err.contains("101") && err.contains("1 to 100"), "{err}");
        assert!(batch_get(0).check().is_err());
        let mut write = BatchWriteItemInput::default();
        write.request_items.insert(
            "users".into(),
            (0..26)
                .map(|i| WriteRequest::DeleteRequest {
                    key: key! { "id" => i },
                })
                .collect(),
        );
        assert!(write.check().unwrap_err().to_string().contains("26"));
    }

    #[test]
    fn names_sizes_and_sets_are_checked() {
        assert!(matches!(
            GetItemInput::new("no spaces allowed", key! { "id" => 1 }).check(),
            Err(RequestError::Name(_))
        ));
        let big = item! { "id" => 1, "blob" => "x".repeat(MAX_ITEM_BYTES) };
        assert!(matches!(
            PutItemInput::new("users", big).check(),
            Err(RequestError::ItemTooLarge { .. })
        ));
        let bad_set = item! { "id" => 1, "tags" => AttributeValue::Ss(vec![]) };
        let err = PutItemInput::new("users", bad_set)
            .check()
            .unwrap_err()
            .to_string();
        assert!(err.contains("tags") && err.contains("empty"), "{err}");
        let mut create = CreateTableInput::new(
            "users",
            &crate::KeySchema::hash(("", crate::ScalarType::S)),
            crate::Capacity::on_demand(),
            &[],
        );
        assert!(create
            .check()
            .unwrap_err()
            .to_string()
            .contains("key attribute name"));
        create.key_schema[0].attribute_name = "x".repeat(256);
        assert!(create.check().is_err());
    }
}
