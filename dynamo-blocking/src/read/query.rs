//! [`Query`]: items sharing a hash key, in range-key order.

use dynamo_core::expr::{self, Condition};
use dynamo_core::wire;
use dynamo_core::{Attributes, ToAttribute};

use super::key_terms::{key_condition, multi_attribute_index, multi_key_condition, KeyOp, KeyTerm};
use super::pages::{count_matching, Items, Prepared};
use super::{key_names_for, Settings};
use crate::{Error, Table};

/// A query, built by chaining and run by iterating (boto's `query_2`).
///
/// ```no_run
/// use dynamo_blocking::{attr, Client, Table};
/// let users = Table::new(&Client::from_env()?, "users");
/// let rev_with_d = users
///     .query()
///     .key_eq("account_type", "standard_user")
///     .key_begins_with("last_name", "D")
///     .filter(attr("email").exists())
///     .reverse()
///     .limit(2);
/// for user in rev_with_d {
///     println!("{:?}", user?.get("first_name"));
/// }
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
///
/// Key conditions are checked against the key schema of the table (or of
/// the index given with [`index`](Query::index)) before any request: a
/// non-key attribute, a missing hash key condition, or an operator DynamoDB
/// does not allow on a key is a clear error, the first item of the iteration.
#[derive(Clone)]
#[must_use = "a query does nothing until iterated"]
pub struct Query {
    table: Table,
    keys: Vec<KeyTerm>,
    settings: Settings,
    reverse: bool,
}

impl Table {
    /// Starts a query of this table (or of one of its indexes).
    pub fn query(&self) -> Query {
        Query {
            table: self.clone(),
            keys: Vec::new(),
            settings: Settings::default(),
            reverse: false,
        }
    }
}

macro_rules! key_ops {
    ($($(#[$doc:meta])* $method:ident => $op:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $method(self, key: impl Into<String>, value: impl ToAttribute) -> Self {
            self.key_term(key.into(), KeyOp::$op, &[&value])
        }
    )*};
}

impl Query {
    key_ops! {
        /// `key = value`: required on the hash key; allowed on the range key.
        key_eq => Eq,
        /// `key < value` on the range key.
        key_lt => Lt,
        /// `key <= value` on the range key.
        key_le => Le,
        /// `key > value` on the range key.
        key_gt => Gt,
        /// `key >= value` on the range key.
        key_ge => Ge,
        /// `begins_with(key, prefix)` on a string or binary range key.
        key_begins_with => BeginsWith,
    }

    /// `key BETWEEN low AND high` on the range key.
    pub fn key_between(
        self,
        key: impl Into<String>,
        low: impl ToAttribute,
        high: impl ToAttribute,
    ) -> Self {
        self.key_term(key.into(), KeyOp::Between, &[&low, &high])
    }

    shared_modifiers!();

    fn key_term(mut self, name: String, op: KeyOp, values: &[&dyn ToAttribute]) -> Self {
        let converted: Result<Vec<_>, _> = values.iter().map(|v| v.to_attribute()).collect();
        match converted {
            Ok(values) => self.keys.push(KeyTerm { name, op, values }),
            Err(e) => self.settings.fail(e.in_field(&name)),
        }
        self
    }

    /// Descending range-key order.
    pub fn reverse(mut self) -> Self {
        self.reverse = true;
        self
    }

    /// The number of matching items (Select COUNT), summed across every
    /// page; no items are transferred. A [`capacity_meter`](Self::capacity_meter)
    /// gets what the pages consumed, and a rate limit holds.
    pub fn count(self) -> Result<u64, Error> {
        count_matching(&self.table, self.prepare()?.request, &self.settings.paging)
    }

    fn prepare(&self) -> Result<Prepared<wire::QueryInput>, Error> {
        self.settings.check()?;
        let meta = self.table.meta()?;
        let index = self.settings.index.as_deref();
        let schema = meta.key_schema_for(index)?;
        let mut request = wire::QueryInput {
            table_name: self.table.name().to_owned(),
            index_name: self.settings.index.clone(),
            scan_index_forward: self.reverse.then_some(false),
            consistent_read: self.settings.consistent.then_some(true),
            return_consumed_capacity: self.settings.paging.metering.request_mode(),
            ..Default::default()
        };
        let filter = self.settings.filter.as_ref();
        let attributes = self.settings.attributes.as_deref();
        match multi_attribute_index(&meta, index) {
            Some(g) => {
                let keys = multi_key_condition(&self.keys, g)?;
                expr::apply_multi_key_to_query(&mut request, &keys, filter, attributes)?;
            }
            None => {
                let keys = key_condition(&self.keys, &schema)?;
                expr::apply_to_query(&mut request, Some(&keys), filter, attributes)?;
            }
        }
        Ok(Prepared {
            request,
            key_names: key_names_for(&meta, index)?,
        })
    }
}

/// The error when page counts add up beyond `u64`: no table holds that many
/// items, so the answers cannot be true.
impl IntoIterator for Query {
    type Item = Result<crate::Item, Error>;
    type IntoIter = Items;

    /// Runs the query lazily: the first request is sent by the first `next`.
    fn into_iter(self) -> Items {
        let table = self.table.clone();
        let paging = self.settings.paging.clone();
        Items::new(table, paging, move || self.prepare())
    }
}
