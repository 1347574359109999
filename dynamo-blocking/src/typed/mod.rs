//! [`TypedTable`]: a table of `#[derive(DynamoItem)]` structs.
//!
//! Everything goes through the dynamic [`Table`]; this layer converts
//! between `T` and attribute maps, takes keys as `T::Key`, and adds
//! optimistic locking for structs with a `#[dynamo(version)]` field.

mod batch;
mod entities;
mod reads;
pub(crate) mod version;
mod writes;

use std::marker::PhantomData;
use std::time::Duration;

use dynamo_core::wire::{TableDescription, TimeToLiveSpecification, UpdateTimeToLiveInput};
use dynamo_core::{Capacity, ItemKey, KeyedItem};

pub use batch::{BatchGetOrError, TypedBatchGet, TypedBatchWriter};
pub use reads::{IndexQuery, TypedIndexQuery, TypedItems, TypedQuery, TypedScan};
pub use writes::TypedUpdate;

use crate::{Client, Error, ReadOptions, Table};

/// A table whose items are `T`s.
///
/// ```no_run
/// use dynamo_blocking::{Capacity, Client, DynamoItem, TypedTable};
///
/// #[derive(DynamoItem, Debug, Clone, PartialEq)]
/// #[dynamo(table = "users", rename_all = "snake_case")]
/// struct User {
///     #[dynamo(hash_key)]
///     account_type: String,
///     #[dynamo(range_key)]
///     last_name: String,
///     first_name: Option<String>,
/// }
///
/// let client = Client::from_env()?;
/// let users = TypedTable::<User>::create(&client, Capacity::on_demand())?;
/// let jane = User { account_type: "standard_user".into(), last_name: "Doe".into(), first_name: Some("Jane".into()) };
/// users.put(&jane)?;
/// let found = users.get(&jane.key())?;
/// assert_eq!(found, Some(jane));
/// for user in users.query("standard_user").range_begins_with("D").reverse().limit(2) {
///     let user: User = user?;
///     println!("{}", user.last_name);
/// }
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
pub struct TypedTable<T> {
    table: Table,
    _items: PhantomData<fn() -> T>,
}

impl<T> Clone for TypedTable<T> {
    fn clone(&self) -> Self {
        TypedTable {
            table: self.table.clone(),
            _items: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for TypedTable<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypedTable")
            .field("name", &self.table.name())
            .field("items", &std::any::type_name::<T>())
            .finish()
    }
}

fn table_name_of<T: KeyedItem>() -> Result<&'static str, Error> {
    T::TABLE_NAME.ok_or(Error::MissingTableName {
        item_type: std::any::type_name::<T>(),
    })
}

impl<T: KeyedItem> TypedTable<T> {
    /// The table named by `#[dynamo(table = "...")]`, with the schema and
    /// indexes from the struct (no DescribeTable).
    pub fn new(client: &Client) -> Result<Self, Error> {
        Ok(Self::named(client, table_name_of::<T>()?))
    }

    /// The table `name`, with the schema and indexes from the struct.
    pub fn named(client: &Client, name: impl Into<String>) -> Self {
        TypedTable {
            table: Table::with_schema(client, name, T::key_schema(), T::indexes()),
            _items: PhantomData,
        }
    }

    /// Creates the table named by the struct, with its key schema and
    /// indexes, waits until it is ACTIVE, enables TTL on its
    /// `#[dynamo(ttl)]` field if it has one, and its stream if the struct
    /// names one (`#[dynamo(stream = "...")]`).
    pub fn create(client: &Client, capacity: Capacity) -> Result<Self, Error> {
        Self::create_named(client, table_name_of::<T>()?, capacity)
    }

    /// [`TypedTable::create`] under another name (tests, environments).
    pub fn create_named(
        client: &Client,
        name: impl Into<String>,
        capacity: Capacity,
    ) -> Result<Self, Error> {
        let table = Table::create(client, name, T::key_schema(), capacity, T::indexes())?;
        if let Some(ttl) = T::TTL_ATTRIBUTE {
            client.update_time_to_live(&UpdateTimeToLiveInput {
                table_name: table.name().to_owned(),
                time_to_live_specification: TimeToLiveSpecification {
                    enabled: true,
                    attribute_name: ttl.to_owned(),
                },
            })?;
        }
        if let Some(view) = T::STREAM_VIEW {
            table.enable_stream(view)?;
            table.wait_until_active(crate::table::TABLE_WAIT)?;
        }
        Ok(TypedTable {
            table,
            _items: PhantomData,
        })
    }

    /// The dynamic table underneath, for anything untyped.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// DescribeTable's answer.
    pub fn describe(&self) -> Result<TableDescription, Error> {
        self.table.describe()
    }

    /// Deletes the table and waits until it is gone.
    pub fn delete_table(&self) -> Result<(), Error> {
        self.table.delete_table()
    }

    /// Blocks until the table and its global indexes are ACTIVE.
    pub fn wait_until_active(&self, timeout: Duration) -> Result<TableDescription, Error> {
        self.table.wait_until_active(timeout)
    }

    /// The item with this key, or `None`.
    pub fn get(&self, key: &T::Key) -> Result<Option<T>, Error> {
        self.get_with(key, &ReadOptions::default())
    }

    /// [`TypedTable::get`] with consistency (a projection would make the
    /// struct fail to decode unless the other fields are optional).
    pub fn get_with(&self, key: &T::Key, options: &ReadOptions) -> Result<Option<T>, Error> {
        let found = self.table.get_item_with(key.to_key()?, options)?;
        found
            .map(|item| T::from_item(item.into_attributes()).map_err(Error::from))
            .transpose()
    }
}
