//! Change feeds: a table's DynamoDB Stream as a blocking iterator of
//! [`Change`]s, resumable from a serializable [`Checkpoint`].
//!
//! The feed does what every Streams reader must: it lists the stream's
//! shards (DescribeStream), reads each parent shard before its children so
//! the changes to one key come in order, renews iterators that expired
//! (from the last record read, so nothing is lost or repeated), and
//! reports trimmed records as [`StreamError::Trimmed`] unless told to skip
//! them.
//!
//! A write that changes nothing (a put of the item as it is stored) makes
//! no stream record: DynamoDB records changes, not requests.

mod change;
mod checkpoint;
mod error;
mod feed;
mod shard;

use dynamo_core::wire::UpdateTableInput;
use dynamo_core::{Attributes, KeyedItem};

pub use change::{Change, ChangeInfo};
pub use checkpoint::Checkpoint;
/// What a stream's records carry (re-exported from [`wire`](crate::wire)
/// for [`Table::enable_stream`]).
pub use dynamo_core::wire::StreamViewType;
pub use error::StreamError;
pub use feed::{Feed, StartAt};

use crate::{Error, Table, TypedTable};

impl Table {
    /// Turns the table's stream on, its records carrying `view`. Reading
    /// can start at once ([`Table::stream`]).
    ///
    /// ```no_run
    /// use dynamo_blocking::{Client, StreamViewType, Table};
    /// let client = Client::from_env()?;
    /// Table::new(&client, "orders").enable_stream(StreamViewType::NewAndOldImages)?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn enable_stream(
        &self,
        view: StreamViewType,
    ) -> Result<dynamo_core::wire::TableDescription, Error> {
        self.set_stream(Some(view))
    }

    /// Turns the table's stream off. Its records stay readable for 24
    /// hours; a feed reading it ends once it has read them all.
    pub fn disable_stream(&self) -> Result<dynamo_core::wire::TableDescription, Error> {
        self.set_stream(None)
    }

    fn set_stream(
        &self,
        view: Option<StreamViewType>,
    ) -> Result<dynamo_core::wire::TableDescription, Error> {
        let out = self
            .client()
            .update_table(&UpdateTableInput::new(self.name()).stream(view))?;
        Ok(out.table_description)
    }

    /// The table's current stream as a feed of changes with
    /// [`Attributes`] images, from [`StartAt::TrimHorizon`] unless
    /// [`Feed::from`] says otherwise. Fails with [`StreamError::NotEnabled`]
    /// when the table has no stream.
    pub fn stream(&self) -> Result<Feed<Attributes>, Error> {
        Ok(Feed::new(self.client(), self.stream_arn()?, Ok))
    }

    /// The ARN of the table's current stream.
    pub(crate) fn stream_arn(&self) -> Result<String, Error> {
        let description = self.client().describe_table(self.name())?;
        let enabled = description
            .stream_specification
            .as_ref()
            .is_some_and(|s| s.stream_enabled);
        match description.latest_stream_arn {
            Some(arn) if enabled => Ok(arn),
            _ => Err(StreamError::NotEnabled {
                table: self.name().to_owned(),
            }
            .into()),
        }
    }
}

impl<T: KeyedItem> TypedTable<T> {
    /// The table's current stream as a feed of changes to `T`s (see
    /// [`Table::stream`]); images that do not decode as a `T` come as
    /// [`Error::Convert`] and the feed goes on.
    ///
    /// ```no_run
    /// use dynamo_blocking::{Capacity, Change, Client, DynamoItem, TypedTable};
    ///
    /// #[derive(DynamoItem, Debug)]
    /// #[dynamo(table = "orders", stream = "new_and_old_images")]
    /// struct Order {
    ///     #[dynamo(hash_key)]
    ///     id: String,
    ///     total: u64,
    /// }
    ///
    /// let client = Client::from_env()?;
    /// let orders = TypedTable::<Order>::create(&client, Capacity::on_demand())?;
    /// for change in orders.stream()? {
    ///     if let Change::Modify { old: Some(old), new: Some(new), .. } = change? {
    ///         println!("{}: {} -> {}", new.id, old.total, new.total);
    ///     }
    /// }
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn stream(&self) -> Result<Feed<T>, Error> {
        let table = self.table();
        Ok(Feed::new(table.client(), table.stream_arn()?, T::from_item))
    }
}
