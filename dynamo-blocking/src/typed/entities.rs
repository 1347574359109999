//! Tables shared by several entity types (`#[derive(DynamoEntity)]`).

use dynamo_core::{Capacity, DynamoEntity};

use crate::{Client, Error, Table};

impl Table {
    /// Creates a table for every entity type of `E` and waits until it is
    /// ACTIVE. The types must agree on the key schema and on indexes of the
    /// same name ([`Error::EntityLayout`] otherwise, before any request);
    /// the table gets the union of their indexes.
    ///
    /// ```no_run
    /// use dynamo_blocking::{Capacity, Client, DynamoEntity, DynamoItem, Table};
    ///
    /// #[derive(DynamoItem)]
    /// #[dynamo(hash = "pk", range = "sk", entity = "customer")]
    /// #[dynamo(key(hash = "CUSTOMER#{id}", range = "PROFILE"))]
    /// struct Customer { id: String }
    ///
    /// #[derive(DynamoItem)]
    /// #[dynamo(hash = "pk", range = "sk", entity = "order")]
    /// #[dynamo(key(hash = "CUSTOMER#{customer}", range = "ORDER#{order}"))]
    /// struct Order { customer: String, order: u64 }
    ///
    /// #[derive(DynamoEntity)]
    /// enum Row { Customer(Customer), Order(Order) }
    ///
    /// let client = Client::from_env()?;
    /// let table = Table::create_for_entities::<Row>(&client, "shop", Capacity::on_demand())?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn create_for_entities<E: DynamoEntity>(
        client: &Client,
        name: impl Into<String>,
        capacity: Capacity,
    ) -> Result<Table, Error> {
        let (schema, indexes) = E::table_layout().map_err(Error::EntityLayout)?;
        Table::create(client, name, schema, capacity, indexes)
    }
}
