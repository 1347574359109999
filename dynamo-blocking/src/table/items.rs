//! Single-item calls on a [`Table`]: put, get, has, delete.

use dynamo_core::expr::{self, attr, Condition};
use dynamo_core::wire::{DeleteItem, GetItem, PutItem};
use dynamo_core::{AttributeValue, Attributes, KeySchema};

use super::Table;
use crate::{Error, Item};

/// Whether [`Table::put_item`] may replace an existing item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overwrite {
    /// Replace any item with the same key.
    Yes,
    /// Fail with [`Error::AlreadyExists`] if the key is taken.
    No,
}

/// How [`Table::get_item_with`] reads.
///
/// ```
/// use dynamo_blocking::ReadOptions;
/// let opts = ReadOptions::new().consistent().attributes(["first_name", "email"]);
/// # let _ = opts;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    pub(crate) consistent: bool,
    pub(crate) attributes: Option<Vec<String>>,
}

impl ReadOptions {
    /// Eventually consistent, all attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// A strongly consistent read.
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// Returns only these attributes.
    pub fn attributes<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.attributes = Some(names.into_iter().map(Into::into).collect());
        self
    }
}

/// Checks an item DynamoDB would refuse, before sending it: the key
/// attributes, set rules and nesting, and the 400 KB limit.
pub(crate) fn check_item(schema: &KeySchema, item: &Attributes) -> Result<(), Error> {
    schema.validate_item_key(item)?;
    Ok(dynamo_core::wire::validate_item(item)?)
}

/// A key in a form equal keys share (numbers normalised), to spot the same
/// key given twice.
pub(crate) fn key_fingerprint(key: &Attributes) -> String {
    let normal: Attributes = key
        .iter()
        .map(|(k, v)| match v {
            AttributeValue::N(n) => (k.clone(), AttributeValue::N(n.normalized())),
            other => (k.clone(), other.clone()),
        })
        .collect();
    serde_json::to_string(&normal).unwrap_or_default()
}

impl Table {
    /// Writes a whole item. With [`Overwrite::No`] an existing item with the
    /// same key is left alone and the call fails with
    /// [`Error::AlreadyExists`].
    pub fn put_item(&self, item: Attributes, overwrite: Overwrite) -> Result<(), Error> {
        let meta = self.meta()?;
        check_item(&meta.schema, &item)?;
        let key = match overwrite {
            Overwrite::No => Some(meta.schema.key_of(&item)?),
            Overwrite::Yes => None,
        };
        let mut request = PutItem::new(self.name(), item);
        if overwrite == Overwrite::No {
            let absent = attr(meta.schema.hash.name.as_str()).not_exists();
            expr::apply_to_put_item(&mut request, Some(&absent))?;
        }
        match self.client().put_item(&request) {
            Err(e) if e.is_conditional_check_failed() && overwrite == Overwrite::No => {
                Err(Error::AlreadyExists {
                    table: self.name().to_owned(),
                    key: key.unwrap_or_default(),
                })
            }
            other => other.map(drop),
        }
    }

    /// Reads the item with this key, or `None` if there is none. The key is
    /// checked against the schema first: no request is sent for a key with
    /// missing, extra or mistyped attributes.
    pub fn get_item(&self, key: Attributes) -> Result<Option<Item>, Error> {
        self.get_item_with(key, &ReadOptions::default())
    }

    /// [`Table::get_item`] as a strongly consistent read: it sees every write
    /// that succeeded before it (at twice the read capacity).
    ///
    /// ```no_run
    /// use dynamo_blocking::{key, Client, Table};
    /// let users = Table::new(&Client::from_env()?, "users");
    /// let john = users.get_item_consistent(key! { "username" => "johndoe" })?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn get_item_consistent(&self, key: Attributes) -> Result<Option<Item>, Error> {
        self.get_item_with(key, &ReadOptions::new().consistent())
    }

    /// [`Table::get_item`] with consistency and projection options. An item
    /// read with a projection is partial: saving it with `save` or
    /// `save_overwrite` would drop the attributes not read, so prefer
    /// `partial_save` for such items.
    pub fn get_item_with(
        &self,
        key: Attributes,
        options: &ReadOptions,
    ) -> Result<Option<Item>, Error> {
        self.schema()?.validate_key(&key)?;
        let mut request = GetItem::new(self.name(), key);
        if options.consistent {
            request.consistent_read = Some(true);
        }
        if let Some(names) = &options.attributes {
            expr::apply_to_get_item(&mut request, Some(names))?;
        }
        let out = self.client().get_item(&request)?;
        Ok(out.item.map(|data| Item::loaded(self, data)))
    }

    /// Whether an item with this key exists. Unlike boto, errors are
    /// reported, not taken for "no".
    pub fn has_item(&self, key: Attributes) -> Result<bool, Error> {
        let schema = self.schema()?;
        let projection: Vec<String> = vec![schema.hash.name.clone()];
        let found = self.get_item_with(key, &ReadOptions::new().attributes(projection))?;
        Ok(found.is_some())
    }

    /// Deletes the item with this key (deleting a missing item succeeds).
    pub fn delete_item(&self, key: Attributes) -> Result<(), Error> {
        self.delete_item_inner(key, None)
    }

    /// Deletes the item with this key only if `condition` holds on it (boto's
    /// `expected`); otherwise fails with a ConditionalCheckFailed
    /// [`Error::Service`] and deletes nothing.
    ///
    /// ```no_run
    /// # use dynamo_blocking::{attr, key, Client, Table};
    /// # let users = Table::new(&Client::from_env()?, "users");
    /// users.delete_item_if(key! { "username" => "johndoe" }, attr("balance").eq(0))?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn delete_item_if(&self, key: Attributes, condition: Condition) -> Result<(), Error> {
        self.delete_item_inner(key, Some(&condition))
    }

    fn delete_item_inner(
        &self,
        key: Attributes,
        condition: Option<&Condition>,
    ) -> Result<(), Error> {
        self.schema()?.validate_key(&key)?;
        let mut request = DeleteItem::new(self.name(), key);
        expr::apply_to_delete_item(&mut request, condition)?;
        self.client().delete_item(&request).map(drop)
    }

    /// A new, unsaved item for this table (boto's `Item(table, data=...)`);
    /// nothing is written until it is saved.
    pub fn new_item(&self, data: Attributes) -> Item {
        Item::new(self, data)
    }
}
