//! [`Table`]: the high-level handle on one table (boto's `Table`).
//!
//! A table knows its key schema and indexes, either because it was told
//! ([`Table::with_schema`], [`Table::create`]) or because it asked DynamoDB
//! once, on first need ([`Table::new`]). Single-item calls live in
//! [`items`](self::items); queries, scans and batches in their own modules.

mod items;
mod management;

use std::fmt;
use std::sync::{Arc, Mutex};

use dynamo_core::{KeySchema, SecondaryIndex};

use crate::{Client, Error};

pub(crate) use items::{check_item, key_fingerprint, GuardedPut};
pub use items::{Overwrite, ReadOptions};
pub(crate) use management::TABLE_WAIT;

/// A DynamoDB table: the entry point for items, queries, scans and batches.
///
/// Cheap to clone; clones share the cached schema.
///
/// ```no_run
/// use dynamo_blocking::{item, key, Capacity, Client, KeySchema, LocalIndex, Overwrite, ScalarType, Table};
/// let client = Client::from_env()?;
/// let users = Table::create(
///     &client,
///     "users",
///     KeySchema::hash_range(("account_type", ScalarType::S), ("last_name", ScalarType::S)),
///     Capacity::provisioned(5, 15),
///     [LocalIndex::all("DateJoinedIndex", ("date_joined", ScalarType::N)).into()],
/// )?;
/// users.put_item(item! { "account_type" => "standard_user", "last_name" => "Doe", "first_name" => "John" }, Overwrite::No)?;
/// let john = users.get_item(key! { "account_type" => "standard_user", "last_name" => "Doe" })?;
/// assert!(john.is_some());
/// users.delete()?;
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
#[derive(Clone)]
pub struct Table {
    inner: Arc<TableInner>,
}

struct TableInner {
    client: Client,
    name: String,
    /// Filled by the constructor (explicit schema) or the first describe.
    meta: Mutex<Option<Arc<TableMeta>>>,
}

/// What a table is made of: its key schema and secondary indexes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableMeta {
    /// The table's key.
    pub schema: KeySchema,
    /// Its local and global secondary indexes.
    pub indexes: Vec<SecondaryIndex>,
}

impl TableMeta {
    /// The key schema to query `index` with (a local index shares the
    /// table's hash key), or the table's own when `index` is `None`.
    pub fn key_schema_for(&self, index: Option<&str>) -> Result<KeySchema, Error> {
        let Some(name) = index else {
            return Ok(self.schema.clone());
        };
        match self.indexes.iter().find(|i| i.name() == name) {
            Some(SecondaryIndex::Local(l)) => Ok(KeySchema {
                hash: self.schema.hash.clone(),
                range: Some(l.range_key.clone()),
            }),
            Some(SecondaryIndex::Global(g)) => Ok(g.key_schema.clone()),
            None => Err(Error::UnknownIndex {
                index: name.to_owned(),
                known: self.indexes.iter().map(|i| i.name().to_owned()).collect(),
            }),
        }
    }
}

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.inner.name)
            .finish()
    }
}

impl Table {
    /// A table whose schema is fetched with one DescribeTable on first need
    /// (boto's "lazy" table). No request is made here.
    pub fn new(client: &Client, name: impl Into<String>) -> Table {
        Self::build(client, name.into(), None)
    }

    /// A table whose schema and indexes are given, so no DescribeTable is
    /// ever needed (boto's "efficient" table).
    pub fn with_schema<I>(
        client: &Client,
        name: impl Into<String>,
        schema: KeySchema,
        indexes: I,
    ) -> Table
    where
        I: IntoIterator<Item = SecondaryIndex>,
    {
        let meta = TableMeta {
            schema,
            indexes: indexes.into_iter().collect(),
        };
        Self::build(client, name.into(), Some(meta))
    }

    fn build(client: &Client, name: String, meta: Option<TableMeta>) -> Table {
        Table {
            inner: Arc::new(TableInner {
                client: client.clone(),
                name,
                meta: Mutex::new(meta.map(Arc::new)),
            }),
        }
    }

    /// The table name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The client this table sends requests with.
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    /// The key schema and indexes, describing the table first if they are
    /// not known yet (exactly once, however many threads ask).
    pub fn meta(&self) -> Result<Arc<TableMeta>, Error> {
        let mut cached = self.inner.meta.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(meta) = cached.as_ref() {
            return Ok(Arc::clone(meta));
        }
        let description = self.client().describe_table(self.name())?;
        let meta = Arc::new(meta_of(&description)?);
        *cached = Some(Arc::clone(&meta));
        Ok(meta)
    }

    /// The table's key schema (see [`Table::meta`]).
    pub fn schema(&self) -> Result<KeySchema, Error> {
        Ok(self.meta()?.schema.clone())
    }

    /// The table's secondary indexes (see [`Table::meta`]).
    pub fn indexes(&self) -> Result<Vec<SecondaryIndex>, Error> {
        Ok(self.meta()?.indexes.clone())
    }

    fn remember(&self, meta: TableMeta) {
        let mut cached = self.inner.meta.lock().unwrap_or_else(|p| p.into_inner());
        *cached = Some(Arc::new(meta));
    }
}

fn meta_of(d: &dynamo_core::wire::TableDescription) -> Result<TableMeta, Error> {
    let bad = Error::UnreadableDescription;
    Ok(TableMeta {
        schema: d.schema().map_err(bad)?,
        indexes: d.indexes().map_err(bad)?,
    })
}
