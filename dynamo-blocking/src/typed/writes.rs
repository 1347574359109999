//! Typed writes: puts, deletes and updates, each following the one version
//! rule of [`version`](super::version).

use dynamo_core::expr::{self, attr, Condition, Update};
use dynamo_core::wire::{ReturnValues, ReturnValuesOnConditionCheckFailure, UpdateItemInput};
use dynamo_core::{Attributes, ItemKey, KeyedItem};

use super::{version, TypedTable};
use crate::table::GuardedPut;
use crate::Error;

/// How a typed put is guarded.
enum PutMode {
    /// Replace any item (the version rule still applies).
    Any,
    /// The key must be free.
    New,
    /// The caller's condition must hold on the stored item.
    If(Condition),
}

impl<T: KeyedItem> TypedTable<T> {
    /// Writes `item`, replacing any item with its key. For a struct with a
    /// `#[dynamo(version)]` field the write is checked: the stored version
    /// must be the struct's (0: no item stored yet), and the version plus
    /// one is stored; a concurrent writer makes it fail with a
    /// ConditionalCheckFailed error. Use [`TypedTable::save`] to also bump
    /// the struct's own version field.
    pub fn put(&self, item: &T) -> Result<(), Error> {
        self.write(item, PutMode::Any).map(drop)
    }

    /// Writes `item` only if no item has its key yet, else fails with
    /// [`Error::AlreadyExists`]. For a versioned struct version 1 is stored
    /// (the item is new, whatever version the struct holds).
    pub fn put_new(&self, item: &T) -> Result<(), Error> {
        self.write(item, PutMode::New).map(drop)
    }

    /// Writes `item` only if `condition` holds on the stored item (and, for
    /// versioned structs, the stored version is the struct's), and returns
    /// the item it replaced. A false condition fails with a
    /// ConditionalCheckFailed error and writes nothing.
    ///
    /// ```no_run
    /// # use dynamo_blocking::{Client, DynamoItem, TypedTable};
    /// # #[derive(DynamoItem)]
    /// # #[dynamo(table = "orders")]
    /// # struct Order { #[dynamo(hash_key)] id: String, status: String }
    /// # let orders = TypedTable::<Order>::new(&Client::from_env()?)?;
    /// let order = Order { id: "o-1".into(), status: "shipped".into() };
    /// let old: Option<Order> = orders.put_if(&order, Order::fields().status.eq("paid"))?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn put_if(&self, item: &T, condition: Condition) -> Result<Option<T>, Error> {
        self.write(item, PutMode::If(condition))?
            .1
            .map(decode)
            .transpose()
    }

    /// [`TypedTable::put`], then sets the struct's version field to the
    /// stored version, so the same value can be saved again.
    pub fn save(&self, item: &mut T) -> Result<(), Error> {
        if let (Some(stored), _) = self.write(item, PutMode::Any)? {
            item.set_version(stored)?;
        }
        Ok(())
    }

    /// Returns the stored version (versioned types) and the replaced item
    /// (only asked for by `put_if`).
    fn write(&self, item: &T, mode: PutMode) -> Result<(Option<u64>, Option<Attributes>), Error> {
        let mut data = item.to_item()?;
        let versioned = match mode {
            PutMode::New => version::prepare_new::<T>(&mut data)?,
            _ => version::prepare::<T>(&mut data)?,
        };
        let schema = T::key_schema();
        let (must_be_new, extra, return_old) = match mode {
            PutMode::Any => (false, None, false),
            PutMode::New => (true, None, false),
            PutMode::If(condition) => (false, Some(condition), true),
        };
        // put_new already requires a free key, which implies version 0.
        let version_check = versioned
            .as_ref()
            .filter(|_| !must_be_new)
            .map(|v| v.condition.clone());
        // Without a condition of the caller's, a lost write can only be the
        // version check: say so, with the key and the version held.
        let only_version = version_check.is_some() && extra.is_none();
        let old = self
            .table
            .put_guarded(GuardedPut {
                schema: &schema,
                item: data,
                must_be_new,
                condition: Condition::all(version_check.into_iter().chain(extra)),
                return_old,
            })
            .map_err(|e| match (&versioned, only_version) {
                (Some(v), true) if e.is_conditional_check_failed() => match item.key().to_key() {
                    Ok(key) => Error::VersionConflict {
                        table: self.table.name().to_owned(),
                        key,
                        expected: v.stored - 1,
                        attempts: e.attempts(),
                    },
                    Err(_) => e,
                },
                _ => e,
            })?;
        Ok((versioned.map(|v| v.stored), old))
    }

    /// Deletes the item with this key, whatever it holds (deleting a missing
    /// item succeeds). The version field is not checked: use
    /// [`TypedTable::delete_unchanged`] for that.
    pub fn delete(&self, key: &T::Key) -> Result<(), Error> {
        self.table.delete_item(key.to_key()?)
    }

    /// Deletes the item with this key only if `condition` holds on it, and
    /// returns the deleted item (`None` if there was none). A false
    /// condition fails with a ConditionalCheckFailed error and deletes
    /// nothing.
    pub fn delete_if(&self, key: &T::Key, condition: Condition) -> Result<Option<T>, Error> {
        self.table
            .delete_guarded(key.to_key()?, Some(&condition), true)?
            .map(decode)
            .transpose()
    }

    /// Deletes `item` only if the stored item still holds the struct's
    /// version (for types without a version field: if it exists). Fails
    /// with a ConditionalCheckFailed error when another writer changed it,
    /// [`Error::NotFound`] when it is gone.
    pub fn delete_unchanged(&self, item: &T) -> Result<(), Error> {
        let key = item.key().to_key()?;
        let exists = attr(T::key_schema().hash.name.as_str()).exists();
        let condition = match version::prepare::<T>(&mut item.to_item()?)? {
            Some(versioned) => exists.and(versioned.condition),
            None => exists,
        };
        match self
            .table
            .delete_guarded(key.clone(), Some(&condition), false)
        {
            Err(e) if e.is_conditional_check_failed() && self.get(&item.key())?.is_none() => {
                Err(self.not_found(key))
            }
            other => other.map(drop),
        }
    }

    /// Applies `update` to the existing item with this key. Nothing is sent
    /// until [`TypedUpdate::send`]. Name fields with `T::fields()`:
    ///
    /// ```no_run
    /// # use dynamo_blocking::{Client, DynamoItem, TypedTable, Update};
    /// # #[derive(DynamoItem)]
    /// # #[dynamo(table = "orders")]
    /// # struct Order { #[dynamo(hash_key)] id: String, status: String, total: u64 }
    /// # let orders = TypedTable::<Order>::new(&Client::from_env()?)?;
    /// # let key = OrderKey { id: "o-1".into() };
    /// let f = Order::fields();
    /// let order: Order = orders
    ///     .update(&key, Update::new().set(f.status, "shipped"))
    ///     .condition(f.status.eq("paid"))
    ///     .send()?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    ///
    /// An update never creates an item: a missing key fails with
    /// [`Error::NotFound`] (use [`TypedTable::upsert`] to create). For a
    /// struct with a version field the stored version goes up by one.
    pub fn update(&self, key: &T::Key, update: Update) -> TypedUpdate<'_, T> {
        TypedUpdate {
            table: self,
            key: key.to_key().map_err(Error::from),
            update,
            condition: None,
            must_exist: true,
        }
    }

    /// Like [`TypedTable::update`], but creates the item when the key is
    /// missing. The created item holds only the key and the updated
    /// attributes; [`TypedUpdate::send`] fails to decode it unless those are
    /// all the struct's required fields.
    pub fn upsert(&self, key: &T::Key, update: Update) -> TypedUpdate<'_, T> {
        TypedUpdate {
            must_exist: false,
            ..self.update(key, update)
        }
    }

    fn not_found(&self, key: Attributes) -> Error {
        Error::NotFound {
            table: self.table.name().to_owned(),
            key,
        }
    }
}

/// An update of one typed item, from [`TypedTable::update`] or
/// [`TypedTable::upsert`]; nothing is sent until [`TypedUpdate::send`].
#[must_use = "an update does nothing until sent"]
pub struct TypedUpdate<'t, T> {
    table: &'t TypedTable<T>,
    key: Result<Attributes, Error>,
    update: Update,
    condition: Option<Condition>,
    must_exist: bool,
}

impl<T: KeyedItem> TypedUpdate<'_, T> {
    /// Applies the update only if `condition` holds on the stored item
    /// (several calls must all hold); otherwise fails with a
    /// ConditionalCheckFailed error holding the stored item and writes
    /// nothing.
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(match self.condition.take() {
            Some(first) => first.and(condition),
            None => condition,
        });
        self
    }

    /// Sends the update and returns the item as it is afterwards.
    pub fn send(self) -> Result<T, Error> {
        self.send_returning(ReturnValues::AllNew)
    }

    /// Sends the update and returns the item as it was before (for an
    /// upsert that created the item, fails to decode the empty item).
    pub fn send_returning_old(self) -> Result<T, Error> {
        self.send_returning(ReturnValues::AllOld)
    }

    fn send_returning(self, returning: ReturnValues) -> Result<T, Error> {
        let key = self.key?;
        let table = self.table.table();
        let mut update = self.update;
        if let Some(name) = T::VERSION_ATTRIBUTE {
            update = update.increment(name, 1);
        }
        let exists = self
            .must_exist
            .then(|| attr(T::key_schema().hash.name.as_str()).exists());
        let condition = Condition::all(exists.into_iter().chain(self.condition));
        let mut request = UpdateItemInput::new(table.name(), key.clone());
        request.return_values = Some(returning);
        request.return_values_on_condition_check_failure =
            Some(ReturnValuesOnConditionCheckFailure::AllOld);
        expr::apply_to_update_item(&mut request, &update, condition.as_ref())?;
        match table.client().update_item(&request) {
            // The stored item comes back with a failed condition; none
            // means there was no item.
            Err(Error::Service(e)) if self.must_exist && is_missing_item(&e) => {
                Err(self.table.not_found(key))
            }
            Err(e) => Err(e),
            Ok(out) => decode(out.attributes.unwrap_or_default()),
        }
    }
}

fn is_missing_item(e: &crate::ServiceError) -> bool {
    e.kind == crate::ServiceErrorKind::ConditionalCheckFailed && e.item.is_none()
}

fn decode<T: KeyedItem>(item: Attributes) -> Result<T, Error> {
    Ok(T::from_item(item)?)
}
