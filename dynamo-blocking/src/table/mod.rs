//! [`Table`]: the high-level handle on one table (boto's `Table`).
//!
//! A table knows its key schema and indexes, either because it was told
//! ([`Table::with_schema`], [`Table::create`]) or because it asked DynamoDB
//! once, on first need ([`Table::new`]). Single-item calls live in
//! [`items`](self::items); queries, scans and batches in their own modules.

mod items;
mod management;

use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

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
/// users.delete_table()?;
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
    meta: Mutex<MetaSlot>,
    /// Wakes the threads waiting for a describe in flight.
    described: Condvar,
}

/// The schema, or how far finding it out has got.
#[derive(Default)]
struct MetaSlot {
    known: Option<Arc<TableMeta>>,
    /// A thread is describing the table (without holding the lock).
    in_flight: bool,
    /// Counts finished describes, so a waiter knows its flight landed.
    flights: u64,
    /// How the last describe failed, for the threads that waited on it.
    failure: Option<(u64, Error)>,
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
                meta: Mutex::new(MetaSlot {
                    known: meta.map(Arc::new),
                    ..MetaSlot::default()
                }),
                described: Condvar::new(),
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
    /// not known yet.
    ///
    /// However many threads ask at once, one DescribeTable (with its
    /// retries) is in flight: the others wait for it and share its answer,
    /// its failure included, rather than each trying in turn. After a
    /// failure the next call tries again.
    pub fn meta(&self) -> Result<Arc<TableMeta>, Error> {
        let mut slot = self.lock_meta();
        loop {
            if let Some(meta) = &slot.known {
                return Ok(Arc::clone(meta));
            }
            if !slot.in_flight {
                break;
            }
            let flight = slot.flights;
            while slot.in_flight {
                slot = self
                    .inner
                    .described
                    .wait(slot)
                    .unwrap_or_else(|p| p.into_inner());
            }
            if let Some((landed, error)) = &slot.failure {
                if *landed == flight {
                    if let Some(copy) = error.copy_for_waiters() {
                        return Err(copy);
                    }
                }
            }
        }
        slot.in_flight = true;
        let flight = slot.flights;
        drop(slot);
        let landing = Landing { table: self };
        let result = self
            .client()
            .describe_table(self.name())
            .and_then(|d| meta_of(&d).map(Arc::new));
        let mut slot = landing.land();
        match &result {
            Ok(meta) => slot.known = Some(Arc::clone(meta)),
            Err(e) => slot.failure = e.copy_for_waiters().map(|copy| (flight, copy)),
        }
        result
    }

    fn lock_meta(&self) -> MutexGuard<'_, MetaSlot> {
        self.inner.meta.lock().unwrap_or_else(|p| p.into_inner())
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
        self.lock_meta().known = Some(Arc::new(meta));
    }
}

/// Ends a describe in flight, even if it panicked, and wakes its waiters.
struct Landing<'a> {
    table: &'a Table,
}

impl<'a> Landing<'a> {
    /// Marks the flight landed; the caller records its outcome under the
    /// lock before the waiters (woken when it is released) look.
    fn land(self) -> MutexGuard<'a, MetaSlot> {
        let table = self.table;
        std::mem::forget(self);
        let mut slot = table.lock_meta();
        slot.in_flight = false;
        slot.flights += 1;
        slot.failure = None;
        table.inner.described.notify_all();
        slot
    }
}

impl Drop for Landing<'_> {
    fn drop(&mut self) {
        let mut slot = self.table.lock_meta();
        slot.in_flight = false;
        slot.flights += 1;
        self.table.inner.described.notify_all();
    }
}

fn meta_of(d: &dynamo_core::wire::TableDescription) -> Result<TableMeta, Error> {
    let bad = Error::UnreadableDescription;
    Ok(TableMeta {
        schema: d.schema().map_err(bad)?,
        indexes: d.indexes().map_err(bad)?,
    })
}
