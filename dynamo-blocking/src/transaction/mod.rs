//! [`Transaction`]: all-or-nothing writes across typed and dynamic tables
//! (TransactWriteItems), and why a cancelled one failed ([`CancelReason`]).

mod cancel;
mod get;
pub(crate) mod token;

use std::collections::HashSet;

use dynamo_core::expr::{attr, Condition, Placeholders, Update};
use dynamo_core::wire::{
    ExpressionNames, RequestError, ReturnValuesOnConditionCheckFailure, TransactCondition,
    TransactDelete, TransactPut, TransactUpdate, TransactWriteItem, TransactWriteItemsInput,
    MAX_TRANSACT_ITEMS,
};
use dynamo_core::{Attributes, ItemKey, KeySchema, KeyedItem};

pub use cancel::CancelReason;
use token::new_token;

use crate::table::{check_item, key_fingerprint};
use crate::typed::version;
use crate::{Client, Error, Table, TypedTable};

/// Up to 100 writes applied all together or not at all, across tables.
///
/// Typed actions follow the same rules as [`TypedTable`]'s: the version
/// field is checked and bumped, `update` applies only to an existing item.
/// Every action can carry a condition; a false one cancels the whole
/// transaction with a [`CancelReason`] per action ([`Error::cancel_reasons`]).
///
/// The transaction carries a `ClientRequestToken`, fresh for each
/// `Transaction`: committing the same value again within 10 minutes (after a
/// lost answer, say) applies it once. What DynamoDB would refuse (more than
/// 100 actions, over 4 MB, two actions on one item, items that break the
/// key schema) is an error before anything is sent.
///
/// ```no_run
/// use dynamo_blocking::{Client, DynamoItem, Transaction, TypedTable, Update};
///
/// #[derive(DynamoItem)]
/// #[dynamo(table = "accounts")]
/// struct Account {
///     #[dynamo(hash_key)]
///     id: String,
///     balance: i64,
/// }
///
/// let client = Client::from_env()?;
/// let accounts = TypedTable::<Account>::new(&client)?;
/// let f = Account::fields();
/// let (from, to) = (AccountKey { id: "alice".into() }, AccountKey { id: "bob".into() });
/// let mut tx = Transaction::new();
/// tx.update_if(&accounts, &from, Update::new().increment(f.balance, -10), f.balance.ge(10))?;
/// tx.update(&accounts, &to, Update::new().increment(f.balance, 10))?;
/// tx.commit(&client)?;
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Transaction {
    actions: Vec<TransactWriteItem>,
    items: HashSet<(String, String)>,
    token: String,
}

impl Default for Transaction {
    fn default() -> Self {
        Self::new()
    }
}

impl Transaction {
    /// An empty transaction with a fresh idempotency token.
    pub fn new() -> Self {
        Self::with_token(new_token())
    }

    /// An empty transaction with this `ClientRequestToken` (1 to 36
    /// characters), to resume one whose outcome is unknown from another
    /// process.
    pub fn with_token(token: impl Into<String>) -> Self {
        Transaction {
            actions: Vec::new(),
            items: HashSet::new(),
            token: token.into(),
        }
    }

    /// The `ClientRequestToken` sent with every commit of this transaction.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// How many actions it holds.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Whether it holds no action (committing it is an error).
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// Puts `item`, replacing any item with its key; a versioned struct
    /// must hold the stored version (0: none stored), and the next one is
    /// stored.
    pub fn put<T: KeyedItem>(
        &mut self,
        table: &TypedTable<T>,
        item: &T,
    ) -> Result<&mut Self, Error> {
        self.typed_put(table, item, false, None)
    }

    /// Puts `item` only if no item has its key.
    pub fn put_new<T: KeyedItem>(
        &mut self,
        table: &TypedTable<T>,
        item: &T,
    ) -> Result<&mut Self, Error> {
        self.typed_put(table, item, true, None)
    }

    /// [`Transaction::put`] only if `condition` holds on the stored item.
    pub fn put_if<T: KeyedItem>(
        &mut self,
        table: &TypedTable<T>,
        item: &T,
        condition: Condition,
    ) -> Result<&mut Self, Error> {
        self.typed_put(table, item, false, Some(condition))
    }

    /// Applies `update` to the existing item with this key (a missing item
    /// cancels the transaction with [`CancelReason::ConditionFailed`] and
    /// no item); the version field goes up by one.
    pub fn update<T: KeyedItem>(
        &mut self,
        table: &TypedTable<T>,
        key: &T::Key,
        update: Update,
    ) -> Result<&mut Self, Error> {
        self.typed_update(table, key, update, None)
    }

    /// [`Transaction::update`] only if `condition` holds on the item.
    pub fn update_if<T: KeyedItem>(
        &mut self,
        table: &TypedTable<T>,
        key: &T::Key,
        update: Update,
        condition: Condition,
    ) -> Result<&mut Self, Error> {
        self.typed_update(table, key, update, Some(condition))
    }

    /// Deletes the item with this key (a missing item is fine).
    pub fn delete<T: KeyedItem>(
        &mut self,
        table: &TypedTable<T>,
        key: &T::Key,
    ) -> Result<&mut Self, Error> {
        self.delete_item(table.table(), key.to_key()?, None)
    }

    /// Deletes the item with this key only if `condition` holds on it.
    pub fn delete_if<T: KeyedItem>(
        &mut self,
        table: &TypedTable<T>,
        key: &T::Key,
        condition: Condition,
    ) -> Result<&mut Self, Error> {
        self.delete_item(table.table(), key.to_key()?, Some(condition))
    }

    /// Requires `condition` to hold on the item with this key, without
    /// writing it.
    pub fn check<T: KeyedItem>(
        &mut self,
        table: &TypedTable<T>,
        key: &T::Key,
        condition: Condition,
    ) -> Result<&mut Self, Error> {
        self.check_item(table.table(), key.to_key()?, condition)
    }

    /// Puts a dynamic item, if `condition` (when given) holds.
    pub fn put_item(
        &mut self,
        table: &Table,
        item: Attributes,
        condition: Option<Condition>,
    ) -> Result<&mut Self, Error> {
        let schema = table.schema()?;
        self.put_with_schema(table.name(), &schema, item, condition)
    }

    /// Updates a dynamic item (creating it if missing, as UpdateItem does;
    /// add `attr(hash).exists()` to the condition to forbid that).
    pub fn update_item(
        &mut self,
        table: &Table,
        key: Attributes,
        update: Update,
        condition: Option<Condition>,
    ) -> Result<&mut Self, Error> {
        let schema = table.schema()?;
        self.update_with_schema(table.name(), &schema, key, &update, condition)
    }

    /// Deletes a dynamic item, if `condition` (when given) holds.
    pub fn delete_item(
        &mut self,
        table: &Table,
        key: Attributes,
        condition: Option<Condition>,
    ) -> Result<&mut Self, Error> {
        table.schema()?.validate_key(&key)?;
        let r = render(None, condition.as_ref())?;
        let action = TransactWriteItem::Delete(TransactDelete {
            table_name: table.name().to_owned(),
            key: key.clone(),
            condition_expression: r.condition,
            expression_attribute_names: r.names,
            expression_attribute_values: r.values,
            return_values_on_condition_check_failure: Some(ALL_OLD),
        });
        self.push(table.name(), &key, action)
    }

    /// Requires `condition` to hold on a dynamic item.
    pub fn check_item(
        &mut self,
        table: &Table,
        key: Attributes,
        condition: Condition,
    ) -> Result<&mut Self, Error> {
        table.schema()?.validate_key(&key)?;
        let r = render(None, Some(&condition))?;
        let action = TransactWriteItem::ConditionCheck(TransactCondition {
            table_name: table.name().to_owned(),
            key: key.clone(),
            condition_expression: r.condition.unwrap_or_default(),
            expression_attribute_names: r.names,
            expression_attribute_values: r.values,
            return_values_on_condition_check_failure: Some(ALL_OLD),
        });
        self.push(table.name(), &key, action)
    }

    /// Sends the transaction. Committing the same `Transaction` again (after
    /// a transport error, say) sends the same token, so DynamoDB applies it
    /// at most once within 10 minutes. A cancelled transaction fails with a
    /// TransactionCanceled [`Error::Service`]; see
    /// [`Error::cancel_reasons`].
    pub fn commit(&self, client: &Client) -> Result<(), Error> {
        let request = TransactWriteItemsInput {
            transact_items: self.actions.clone(),
            client_request_token: Some(self.token.clone()),
            ..Default::default()
        };
        client.transact_write_items(&request).map(drop)
    }

    fn typed_put<T: KeyedItem>(
        &mut self,
        table: &TypedTable<T>,
        item: &T,
        must_be_new: bool,
        condition: Option<Condition>,
    ) -> Result<&mut Self, Error> {
        let mut data = item.to_item()?;
        let versioned = if must_be_new {
            version::prepare_new::<T>(&mut data)?
        } else {
            version::prepare::<T>(&mut data)?
        };
        let schema = T::key_schema();
        let guard = if must_be_new {
            Some(attr(schema.hash.name.as_str()).not_exists())
        } else {
            versioned.map(|v| v.condition)
        };
        let condition = Condition::all(guard.into_iter().chain(condition));
        self.put_with_schema(table.table().name(), &schema, data, condition)
    }

    fn typed_update<T: KeyedItem>(
        &mut self,
        table: &TypedTable<T>,
        key: &T::Key,
        mut update: Update,
        condition: Option<Condition>,
    ) -> Result<&mut Self, Error> {
        if let Some(name) = T::VERSION_ATTRIBUTE {
            update = update.increment(name, 1);
        }
        let schema = T::key_schema();
        let exists = attr(schema.hash.name.as_str()).exists();
        let condition = Condition::all(std::iter::once(exists).chain(condition));
        self.update_with_schema(
            table.table().name(),
            &schema,
            key.to_key()?,
            &update,
            condition,
        )
    }

    fn put_with_schema(
        &mut self,
        table: &str,
        schema: &KeySchema,
        item: Attributes,
        condition: Option<Condition>,
    ) -> Result<&mut Self, Error> {
        check_item(schema, &item)?;
        let key = schema.key_of(&item)?;
        let r = render(None, condition.as_ref())?;
        let action = TransactWriteItem::Put(TransactPut {
            table_name: table.to_owned(),
            item,
            condition_expression: r.condition,
            expression_attribute_names: r.names,
            expression_attribute_values: r.values,
            return_values_on_condition_check_failure: Some(ALL_OLD),
        });
        self.push(table, &key, action)
    }

    fn update_with_schema(
        &mut self,
        table: &str,
        schema: &KeySchema,
        key: Attributes,
        update: &Update,
        condition: Option<Condition>,
    ) -> Result<&mut Self, Error> {
        schema.validate_key(&key)?;
        let r = render(Some(update), condition.as_ref())?;
        let action = TransactWriteItem::Update(TransactUpdate {
            table_name: table.to_owned(),
            key: key.clone(),
            update_expression: r.update.unwrap_or_default(),
            condition_expression: r.condition,
            expression_attribute_names: r.names,
            expression_attribute_values: r.values,
            return_values_on_condition_check_failure: Some(ALL_OLD),
        });
        self.push(table, &key, action)
    }

    /// Adds an action after the checks DynamoDB would otherwise make.
    fn push(
        &mut self,
        table: &str,
        key: &Attributes,
        action: TransactWriteItem,
    ) -> Result<&mut Self, Error> {
        if self.actions.len() >= MAX_TRANSACT_ITEMS {
            return Err(Error::Request(RequestError::Count {
                what: "TransactWriteItems actions",
                given: self.actions.len() + 1,
                max: MAX_TRANSACT_ITEMS,
            }));
        }
        if !self.items.insert((table.to_owned(), key_fingerprint(key))) {
            return Err(Error::Request(RequestError::SameItemTwice {
                table: table.to_owned(),
            }));
        }
        self.actions.push(action);
        Ok(self)
    }
}

const ALL_OLD: ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure::AllOld;

/// Expressions rendered through one set of placeholders.
struct Rendered {
    update: Option<String>,
    condition: Option<String>,
    names: Option<ExpressionNames>,
    values: Option<Attributes>,
}

fn render(update: Option<&Update>, condition: Option<&Condition>) -> Result<Rendered, Error> {
    let mut ph = Placeholders::new();
    let update = update.map(|u| u.render(&mut ph)).transpose()?;
    let condition = condition.map(|c| c.render(&mut ph)).transpose()?;
    let (names, values) = ph.into_parts();
    Ok(Rendered {
        update,
        condition,
        names,
        values,
    })
}
