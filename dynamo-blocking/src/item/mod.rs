//! [`Item`]: a dynamic item that remembers what it looked like when read, so
//! it can be saved in boto's three ways.

mod changes;

use std::collections::btree_map;
use std::fmt;
use std::ops::Index;

use dynamo_core::expr;
use dynamo_core::wire::{PutItemInput, UpdateItemInput};
use dynamo_core::{
    AttributeValue, Attributes, ConvertError, FromAttribute, KeySchema, ToAttribute,
};

pub use changes::Changes;

use crate::table::check_item;
use crate::{Error, Table};

/// One item of a [`Table`], map-like, with dirty tracking.
///
/// Read items come from [`Table::get_item`] (and queries and scans); new ones
/// from [`Table::new_item`]. Changes stay in memory until one of the saves:
///
/// - [`save`](Item::save): a full put, conditional on every attribute read
///   still holding its value and every attribute this item adds still being
///   absent. A concurrent change to any of those makes it fail and nothing is
///   written. (A condition can only name attributes it knows: an attribute
///   another writer added under a name this item never saw is replaced by
///   the put. Use `partial_save`, or a version attribute, when that matters.)
/// - [`save_overwrite`](Item::save_overwrite): a full put, no condition.
/// - [`partial_save`](Item::partial_save): an UpdateItem of only the changed
///   attributes, conditional on those same attributes; attributes not touched
///   here are not sent, so another writer's change to them survives.
///
/// ```no_run
/// # use dynamo_blocking::{key, Client, Table};
/// # let users = Table::new(&Client::from_env()?, "users");
/// let mut john = users.get_item(key! { "username" => "johndoe" })?.expect("exists");
/// john.set("first_name", "Johann")?;
/// john.remove("last_name");
/// assert!(john.is_dirty());
/// john.partial_save()?; // SET first_name, REMOVE last_name
/// assert!(!john.is_dirty());
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
#[derive(Clone)]
pub struct Item {
    table: Table,
    data: Attributes,
    /// The data as last read or saved (empty for a new item); `None` while
    /// that is still `data` itself, so reading an item copies nothing: the
    /// snapshot is taken by the first change.
    original: Option<Attributes>,
    /// Whether `original` came from DynamoDB (then key changes are refused).
    loaded: bool,
}

impl fmt::Debug for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Item")
            .field("table", &self.table.name())
            .field("data", &self.data)
            .field("dirty", &self.is_dirty())
            .finish()
    }
}

impl Item {
    pub(crate) fn new(table: &Table, data: Attributes) -> Item {
        Item {
            table: table.clone(),
            data,
            original: Some(Attributes::new()),
            loaded: false,
        }
    }

    pub(crate) fn loaded(table: &Table, data: Attributes) -> Item {
        Item {
            table: table.clone(),
            original: None,
            data,
            loaded: true,
        }
    }

    /// The table this item belongs to.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.data.get(name)
    }

    /// The value of `name` decoded as `T` (see [`Attributes::get_as`]).
    pub fn get_as<T: FromAttribute>(&self, name: &str) -> Result<T, ConvertError> {
        self.data.get_as(name)
    }

    /// The data as last read or saved.
    fn original(&self) -> &Attributes {
        self.original.as_ref().unwrap_or(&self.data)
    }

    /// Keeps the data as read before the first change to it.
    fn before_change(&mut self) {
        if self.original.is_none() {
            self.original = Some(self.data.clone());
        }
    }

    /// Sets `name` to `value` (in memory only), converted like any
    /// [`ToAttribute`] value: strings, numbers, sets, lists, maps, derived
    /// structs. An absent value (`None`, an empty set) removes the
    /// attribute. Fails only for a value DynamoDB cannot store (a NaN, a
    /// number out of range), leaving the item as it was.
    ///
    /// ```no_run
    /// # use dynamo_blocking::{item, Client, Table};
    /// # let users = Table::new(&Client::from_env()?, "users");
    /// # let mut user = users.new_item(item! { "username" => "johndoe" });
    /// use std::collections::BTreeSet;
    /// user.set("first_name", "Johann")?;
    /// user.set("friends", BTreeSet::from(["alice".to_owned(), "jane".to_owned()]))?;
    /// user.set("nickname", None::<String>)?; // removes it
    /// assert!(user.set("score", f64::NAN).is_err());
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn set(
        &mut self,
        name: impl Into<String>,
        value: impl ToAttribute,
    ) -> Result<(), ConvertError> {
        let value = match value.is_absent() {
            true => None,
            false => Some(value.to_attribute()?),
        };
        self.before_change();
        match value {
            Some(value) => self.data.insert(name, value),
            None => self.data.remove(&name.into()),
        };
        Ok(())
    }

    /// Removes `name` (in memory only), returning its value.
    pub fn remove(&mut self, name: &str) -> Option<AttributeValue> {
        if !self.data.contains(name) {
            return None;
        }
        self.before_change();
        self.data.remove(name)
    }

    /// Name/value pairs in name order.
    pub fn iter(&self) -> btree_map::Iter<'_, String, AttributeValue> {
        self.data.iter()
    }

    /// The current data.
    pub fn attributes(&self) -> &Attributes {
        &self.data
    }

    /// The current data, consuming the item.
    pub fn into_attributes(self) -> Attributes {
        self.data
    }

    /// What changed since the item was read or last saved.
    pub fn changes(&self) -> Changes {
        Changes::between(self.original(), &self.data)
    }

    /// Whether there are unsaved changes.
    pub fn is_dirty(&self) -> bool {
        self.original.as_ref().is_some_and(|o| *o != self.data)
    }

    /// The item's key attributes (as read, for a read item).
    pub fn key(&self) -> Result<Attributes, Error> {
        let schema = self.table.schema()?;
        let source = if self.loaded {
            self.original()
        } else {
            &self.data
        };
        Ok(schema.key_of(source)?)
    }

    /// A full put, conditional on the item being as read (boto's
    /// `save()`): every attribute read still holds its value and every
    /// attribute added here is still absent. Returns `Ok(false)` without a request when nothing changed.
    /// A concurrent change fails with a ConditionalCheckFailed
    /// [`Error::Service`] and writes nothing; changing a key attribute of a
    /// read item fails with [`Error::KeyChanged`].
    pub fn save(&mut self) -> Result<bool, Error> {
        if self.checked_changes()?.is_none() {
            return Ok(false);
        }
        let condition = changes::full_save_condition(self.original(), &self.data);
        let mut request = PutItemInput::new(self.table.name(), self.data.clone());
        expr::apply_to_put_item(&mut request, condition.as_ref())?;
        self.table.client().put_item(&request)?;
        self.mark_clean();
        Ok(true)
    }

    /// A full put with no condition (boto's `save(overwrite=True)`).
    pub fn save_overwrite(&mut self) -> Result<(), Error> {
        let schema = self.table.schema()?;
        check_item(&schema, &self.data)?;
        self.table
            .client()
            .put_item(&PutItemInput::new(self.table.name(), self.data.clone()))?;
        self.mark_clean();
        Ok(())
    }

    /// An UpdateItem that sets the added and changed attributes and removes
    /// the removed ones, conditional on each of them still being as read.
    /// Untouched attributes are not sent. Returns `Ok(false)` without a
    /// request when nothing changed.
    pub fn partial_save(&mut self) -> Result<bool, Error> {
        let Some((changes, schema)) = self.checked_changes()? else {
            return Ok(false);
        };
        let (update, condition) =
            changes::partial_update(&schema, self.original(), &self.data, &changes);
        let mut request = UpdateItemInput::new(self.table.name(), self.key()?);
        if !update.is_empty() {
            expr::apply_to_update_item(&mut request, &update, condition.as_ref())?;
        }
        self.table.client().update_item(&request)?;
        self.mark_clean();
        Ok(true)
    }

    /// What changed, with the table's key schema, once the changes are known
    /// to be savable (no key changed, a valid item); `None` when clean.
    fn checked_changes(&self) -> Result<Option<(Changes, KeySchema)>, Error> {
        let changes = self.changes();
        if changes.is_empty() {
            return Ok(None);
        }
        let schema = self.table.schema()?;
        if self.loaded {
            changes::check_key_unchanged(&schema, &changes)?;
        }
        check_item(&schema, &self.data)?;
        Ok(Some((changes, schema)))
    }

    /// Deletes the item by its key.
    pub fn delete(&self) -> Result<(), Error> {
        self.table.delete_item(self.key()?)
    }

    /// After a save, what is stored is what we hold: the item is clean and
    /// counts as read.
    fn mark_clean(&mut self) {
        self.original = None;
        self.loaded = true;
    }
}

impl Index<&str> for Item {
    type Output = AttributeValue;

    /// # Panics
    /// When `name` is absent; use [`Item::get`] to avoid that.
    fn index(&self, name: &str) -> &AttributeValue {
        &self.data[name]
    }
}

impl<'a> IntoIterator for &'a Item {
    type Item = (&'a String, &'a AttributeValue);
    type IntoIter = btree_map::Iter<'a, String, AttributeValue>;

    /// Iterates name/value pairs (boto iterated values only).
    fn into_iter(self) -> Self::IntoIter {
        self.data.iter()
    }
}

impl From<Item> for Attributes {
    fn from(item: Item) -> Attributes {
        item.data
    }
}
