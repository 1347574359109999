//! Creating, describing, updating and deleting a table.

use std::time::Duration;

use dynamo_core::wire::{CreateTableInput, DeleteTableInput, TableDescription, UpdateTableInput};
use dynamo_core::{
    validate_index_name, validate_table_name, Capacity, GlobalIndex, KeySchema, SecondaryIndex,
    Throughput,
};

use super::{meta_of, Table, TableMeta};
use crate::{Client, Error};

/// How long [`Table::create`] and [`Table::delete`] wait for DynamoDB.
/// Real tables take seconds to a few minutes; indexes can take longer.
pub(crate) const TABLE_WAIT: Duration = Duration::from_secs(300);

impl Table {
    /// Creates a table and waits until it (and its global indexes) are
    /// `ACTIVE`. Local and global indexes may be mixed in `indexes`
    /// (`LocalIndex` and `GlobalIndex` convert `.into()` a
    /// [`SecondaryIndex`]); `[]` for none.
    ///
    /// ```no_run
    /// use dynamo_blocking::{Capacity, Client, KeySchema, LocalIndex, ScalarType, Table};
    /// let client = Client::from_env()?;
    /// let users = Table::create(
    ///     &client,
    ///     "users",
    ///     KeySchema::hash(("username", ScalarType::S)),
    ///     Capacity::on_demand(),
    ///     [],
    /// )?;
    /// let events = Table::create(
    ///     &client,
    ///     "events",
    ///     KeySchema::hash_range(("device", ScalarType::S), ("at", ScalarType::N)),
    ///     Capacity::on_demand(),
    ///     [LocalIndex::all("ByKind", ("kind", ScalarType::S)).into()],
    /// )?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn create<I>(
        client: &Client,
        name: impl Into<String>,
        schema: KeySchema,
        capacity: Capacity,
        indexes: I,
    ) -> Result<Table, Error>
    where
        I: IntoIterator<Item = SecondaryIndex>,
    {
        let table = Self::create_without_waiting(client, name, schema, capacity, indexes)?;
        table.wait_until_active(TABLE_WAIT)?;
        Ok(table)
    }

    /// Sends CreateTable and returns at once; the table is usable when
    /// [`Table::wait_until_active`] returns.
    pub fn create_without_waiting<I>(
        client: &Client,
        name: impl Into<String>,
        schema: KeySchema,
        capacity: Capacity,
        indexes: I,
    ) -> Result<Table, Error>
    where
        I: IntoIterator<Item = SecondaryIndex>,
    {
        let name = name.into();
        let indexes: Vec<SecondaryIndex> = indexes.into_iter().collect();
        validate_table_name(&name)?;
        for index in &indexes {
            validate_index_name(index.name())?;
        }
        client.create_table(&CreateTableInput::new(&name, &schema, capacity, &indexes))?;
        Ok(Table::with_schema(client, name, schema, indexes))
    }

    /// Blocks until the table and its global indexes are `ACTIVE`.
    pub fn wait_until_active(&self, timeout: Duration) -> Result<TableDescription, Error> {
        let description = self.client().wait_until_active(self.name(), timeout)?;
        self.remember(meta_of(&description)?);
        Ok(description)
    }

    /// DescribeTable's full answer. Also refreshes the cached schema and
    /// indexes (every field DescribeTable returns is read, global index
    /// throughput included).
    pub fn describe(&self) -> Result<TableDescription, Error> {
        let description = self.client().describe_table(self.name())?;
        self.remember(meta_of(&description)?);
        Ok(description)
    }

    /// The item count DescribeTable reports: DynamoDB updates it about
    /// every six hours, so recent writes may not show. For an exact count,
    /// use [`Scan::count`](crate::Scan::count).
    pub fn approximate_item_count(&self) -> Result<u64, Error> {
        Ok(self.describe()?.item_count.unwrap_or(0))
    }

    /// Switches billing or changes the provisioned throughput.
    pub fn update_capacity(&self, capacity: Capacity) -> Result<TableDescription, Error> {
        self.update_table(UpdateTableInput::new(self.name()).capacity(capacity))
    }

    /// Adds a global secondary index (give it throughput on a provisioned
    /// table). DynamoDB builds it in the background: wait with
    /// [`Table::wait_until_active`] before querying it.
    pub fn create_global_index(&self, index: &GlobalIndex) -> Result<TableDescription, Error> {
        validate_index_name(&index.name)?;
        self.update_table(UpdateTableInput::new(self.name()).create_global_index(index))
    }

    /// Changes a global index's provisioned throughput.
    pub fn update_global_index(
        &self,
        name: &str,
        throughput: Throughput,
    ) -> Result<TableDescription, Error> {
        self.update_table(UpdateTableInput::new(self.name()).update_global_index(name, throughput))
    }

    /// Drops a global secondary index.
    pub fn delete_global_index(&self, name: &str) -> Result<TableDescription, Error> {
        self.update_table(UpdateTableInput::new(self.name()).delete_global_index(name))
    }

    /// Sends any UpdateTable (built with [`UpdateTableInput`]'s helpers); the
    /// cached schema is dropped so the next need describes the table again.
    pub fn update_table(&self, update: UpdateTableInput) -> Result<TableDescription, Error> {
        if update.is_empty() {
            return Err(Error::NothingToUpdate);
        }
        let out = self.client().update_table(&update)?;
        self.forget_meta();
        Ok(out.table_description)
    }

    /// Deletes the table and waits until it is gone.
    pub fn delete_table(&self) -> Result<(), Error> {
        self.client().delete_table(&DeleteTableInput {
            table_name: self.name().to_owned(),
        })?;
        self.client().wait_until_deleted(self.name(), TABLE_WAIT)
    }

    /// Forgets the cached schema and indexes after an update, so the indexes
    /// are described again on next need.
    fn forget_meta(&self) {
        self.lock_meta().known = None;
    }
}

impl TableMeta {
    /// The global index called `name`, if any.
    pub fn global_index(&self, name: &str) -> Option<&GlobalIndex> {
        self.indexes.iter().find_map(|i| match i {
            SecondaryIndex::Global(g) if g.name == name => Some(g),
            _ => None,
        })
    }
}
