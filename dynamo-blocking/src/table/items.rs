//! Single-item calls on a [`Table`]: put, get, has, delete.

use dynamo_core::expr::{self, attr, Condition};
use dynamo_core::wire::{DeleteItemInput, GetItemInput, PutItemInput, ReturnValues};
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

/// A put and what guards it. Every conditional put (dynamic and typed) goes
/// through [`Table::put_guarded`], so "the key is taken" is reported one way.
pub(crate) struct GuardedPut<'s> {
    /// The key schema the item is checked against.
    pub schema: &'s KeySchema,
    /// The whole item.
    pub item: Attributes,
    /// The key must be free; losing fails with [`Error::AlreadyExists`].
    pub must_be_new: bool,
    /// Any other condition (a version check, the caller's); losing fails
    /// with a ConditionalCheckFailed [`Error::Service`].
    pub condition: Option<Condition>,
    /// Ask for the item the put replaced.
    pub return_old: bool,
}

impl Table {
    /// Writes a whole item. With [`Overwrite::No`] an existing item with the
    /// same key is left alone and the call fails with
    /// [`Error::AlreadyExists`].
    pub fn put_item(&self, item: Attributes, overwrite: Overwrite) -> Result<(), Error> {
        let meta = self.meta()?;
        self.put_guarded(GuardedPut {
            schema: &meta.schema,
            item,
            must_be_new: overwrite == Overwrite::No,
            condition: None,
            return_old: false,
        })
        .map(drop)
    }

    /// The one conditional put: checks the item, sends it with its guards,
    /// and returns the replaced item when asked.
    pub(crate) fn put_guarded(&self, put: GuardedPut<'_>) -> Result<Option<Attributes>, Error> {
        // The values and the size are checked once, with the request
        // (`Operation::validate`); the key is the table's to check.
        put.schema.validate_item_key(&put.item)?;
        // Only AlreadyExists names the key: no copy for other puts.
        let key = put
            .must_be_new
            .then(|| put.schema.key_of(&put.item))
            .transpose()?;
        let free = put
            .must_be_new
            .then(|| attr(put.schema.hash.name.as_str()).not_exists());
        let only_free = put.condition.is_none();
        let condition = Condition::all(free.into_iter().chain(put.condition));
        let mut request = PutItemInput::new(self.name(), put.item);
        if put.return_old {
            request.return_values = Some(ReturnValues::AllOld);
        }
        expr::apply_to_put_item(&mut request, condition.as_ref())?;
        match self.client().put_item(&request) {
            Err(e) if put.must_be_new && only_free && e.is_conditional_check_failed() => {
                Err(Error::AlreadyExists {
                    table: self.name().to_owned(),
                    key: key.unwrap_or_default(),
                })
            }
            Err(e) => Err(e),
            Ok(out) => Ok(out.attributes),
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
        self.meta()?.schema.validate_key(&key)?;
        let mut request = GetItemInput::new(self.name(), key);
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
        self.delete_guarded(key, None, false).map(drop)
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
        self.delete_guarded(key, Some(&condition), false).map(drop)
    }

    /// The one delete: checks the key, sends it with its condition, and
    /// returns the deleted item when asked.
    pub(crate) fn delete_guarded(
        &self,
        key: Attributes,
        condition: Option<&Condition>,
        return_old: bool,
    ) -> Result<Option<Attributes>, Error> {
        self.meta()?.schema.validate_key(&key)?;
        let mut request = DeleteItemInput::new(self.name(), key);
        if return_old {
            request.return_values = Some(ReturnValues::AllOld);
        }
        expr::apply_to_delete_item(&mut request, condition)?;
        Ok(self.client().delete_item(&request)?.attributes)
    }

    /// A new, unsaved item for this table (boto's `Item(table, data=...)`);
    /// nothing is written until it is saved.
    pub fn new_item(&self, data: Attributes) -> Item {
        Item::new(self, data)
    }
}
